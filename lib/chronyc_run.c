/* SPDX-License-Identifier: MPL-2.0 */
#define _GNU_SOURCE
#include "chronyc_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"

int chronyc_run(const char *chronyc, const char *host, const char *command, int timeout_ms,
                char *buf, size_t cap)
{
    int pipefd[2];
    if (cap == 0 || pipe2(pipefd, O_CLOEXEC) != 0)
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
    struct timespec deadline;
    deadline_after(&deadline, timeout_ms);
    int timed_out = 0;
    for (;;) {
        long left = deadline_ms_left(&deadline);
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
