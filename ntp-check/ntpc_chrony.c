/* SPDX-License-Identifier: MPL-2.0 */
/* The local chronyd, through chronyc's CSV output under a time limit: a chronyd that
 * hangs or is gone is a clear state, never a hung check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ntpc.h"

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Runs chronyc -c -n [-h host] command; output into buf. Returns chronyc's exit status,
 * -2 on timeout, -1 when it cannot run. */
static int run_chronyc(const char *chronyc, const char *host, const char *command,
                       int timeout_ms, char *buf, size_t cap)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(pipefd[1], STDOUT_FILENO);
        dup2(pipefd[1], STDERR_FILENO);
        if (host)
            execlp(chronyc, chronyc, "-c", "-n", "-h", host, command, (char *)NULL);
        else
            execlp(chronyc, chronyc, "-c", "-n", command, (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    size_t len = 0;
    long deadline = now_ms() + timeout_ms;
    int timed_out = 0;
    for (;;) {
        long left = deadline - now_ms();
        struct pollfd pfd = {.fd = pipefd[0], .events = POLLIN};
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
            timed_out = 1;
            break;
        }
        ssize_t n = read(pipefd[0], buf + len, cap - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        if (len == cap - 1)
            break;
    }
    buf[len] = '\0';
    close(pipefd[0]);
    if (timed_out)
        kill(pid, SIGKILL); /* our own child, by PID */
    int status = 0;
    waitpid(pid, &status, 0);
    if (timed_out)
        return -2;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ntpc_query_chrony(const char *chronyc, const char *host, int timeout_ms,
                       struct ntpc_chrony *out)
{
    char buf[65536], err[200];
    memset(out, 0, sizeof *out);
    out->queried = true;
    int rc = run_chronyc(chronyc, host, "tracking", timeout_ms, buf, sizeof buf);
    if (rc == -2) {
        out->state = STATE_UNKNOWN;
        snprintf(out->problem, sizeof out->problem, "chronyc tracking did not answer within "
                 "%d ms", timeout_ms);
        return;
    }
    if (rc != 0) {
        out->state = rc == -1 || rc == 127 ? STATE_UNKNOWN : STATE_CRITICAL;
        snprintf(out->problem, sizeof out->problem, "%s: %.*s",
                 rc == 127 ? "cannot run chronyc" : "chronyd not answering (chronyc tracking)",
                 (int)strcspn(buf, "\n"), buf);
        return;
    }
    if (chrony_parse_tracking(buf, &out->tracking, err, sizeof err) != 0) {
        out->state = STATE_UNKNOWN;
        snprintf(out->problem, sizeof out->problem, "chronyc output not understood: %s", err);
        return;
    }
    rc = run_chronyc(chronyc, host, "sources", timeout_ms, buf, sizeof buf);
    if (rc == 0) {
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            struct chrony_source s;
            if (chrony_parse_source(line, &s, err, sizeof err) != 0)
                continue;
            out->sources++;
            out->reachable += s.reach != 0;
            out->selected += s.state == '*';
        }
    }
    rc = run_chronyc(chronyc, host, "sourcestats", timeout_ms, buf, sizeof buf);
    if (rc == 0) {
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            struct chrony_sourcestats st;
            if (chrony_parse_sourcestats(line, &st, err, sizeof err) == 0 &&
                st.std_dev > out->worst_std_dev)
                out->worst_std_dev = st.std_dev;
        }
    }
    if (!out->tracking.synchronised) {
        out->state = STATE_CRITICAL;
        snprintf(out->problem, sizeof out->problem,
                 "local chronyd is not synchronised (%d sources, %d reachable)", out->sources,
                 out->reachable);
    } else {
        out->state = STATE_OK;
    }
}
