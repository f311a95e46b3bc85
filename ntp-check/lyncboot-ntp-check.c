/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-ntp-check: checks the time sources Lync phones will use, the way monitoring
 * people expect (exit 0/1/2/3, one status line with perfdata, check_ntp_time's ranges),
 * with --json, --prometheus and the health file for the DNS side. This file runs the
 * rounds: the targets of each (-H, --site-config, _ntp._udp SRV), the probe, the
 * verdicts and the outputs (ntpc_args.c, ntpc_probe.c, ntpc_evaluate.c, ntpc_report.c). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "dns_client.h"
#include "fqdn.h"
#include "ntpc.h"

static int resolve_host(const struct ntpc_options *o, const char *name, uint8_t out[4], char *err,
                        size_t errlen)
{
    if (ipv4_parse(name, out) == 0)
        return 0;
    if (o->have_dns_server)
        return dns_resolve_a(o->dns_server, name, o->timeout_ms, out, err, errlen);
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_DGRAM}, *res;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "%.200s: %s", name, gai_strerror(rc));
        return -1;
    }
    memcpy(out, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
    freeaddrinfo(res);
    return 0;
}

/* Adds one target of this round; resolves it. A name that does not resolve, or one
 * from an SRV record (DNS data, not configuration) that is not a host name, is a
 * CRITICAL target with its reason, not an error. Returns -1 when the round already has
 * the most targets it checks. */
static int add_target(struct ntpc_target *t, size_t *n, const struct ntpc_options *o,
                      const char *name, uint16_t port, bool from_dns)
{
    char err[256];
    if (*n == NTPC_MAX_TARGETS)
        return -1;
    struct ntpc_target *x = &t[*n];
    memset(x, 0, sizeof *x);
    snprintf(x->name, sizeof x->name, "%s", name);
    x->port = port;
    uint8_t addr[4];
    if (from_dns && fqdn_validate(name, err, sizeof err) != 0 && ipv4_parse(name, addr) != 0) {
        snprintf(x->problem, sizeof x->problem, "not a host name: %.150s", err);
        x->unusable = true;
    } else if (resolve_host(o, name, x->addr, err, sizeof err) != 0) {
        snprintf(x->problem, sizeof x->problem, "cannot resolve: %.150s", err);
        x->unusable = true;
    }
    (*n)++;
    return 0;
}

/* The plugin-wide deadline of a single run (--deadline): past it, the status line of
 * a check that could not finish, and UNKNOWN, as check_ntp_time does. The line is made
 * before the timer is armed: the handler only writes it. */
static char deadline_line[80];
static size_t deadline_line_len;
static void on_deadline(int sig)
{
    (void)sig;
    ssize_t ignored = write(STDOUT_FILENO, deadline_line, deadline_line_len);
    (void)ignored;
    _exit(STATE_UNKNOWN);
}

static void arm_deadline(double seconds)
{
    int len = snprintf(deadline_line, sizeof deadline_line,
                       "NTP UNKNOWN: the check did not finish within %g s (--deadline)\n",
                       seconds);
    deadline_line_len = len > 0 && (size_t)len < sizeof deadline_line ? (size_t)len : 0;
    signal(SIGALRM, on_deadline);
    struct itimerval timer = {.it_value = {.tv_sec = (time_t)seconds,
                                           .tv_usec = (suseconds_t)((seconds - (time_t)seconds) * 1e6)}};
    setitimer(ITIMER_REAL, &timer, NULL);
}

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

int main(int argc, char **argv)
{
    struct ntpc_options *opts = calloc(1, sizeof *opts);
    if (!opts)
        return STATE_UNKNOWN;
    enum ntpc_args_result parsed = ntpc_parse_args(argc, argv, opts);
    if (parsed != NTPC_ARGS_RUN) {
        free(opts);
        return parsed == NTPC_ARGS_DONE ? STATE_OK : STATE_UNKNOWN;
    }
    const struct ntpc_options o = *opts; /* read-only from here */
    free(opts);
    char err[256];

    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    if (!o.interval)
        arm_deadline(o.deadline);
    struct ntpc_target *targets = calloc(NTPC_MAX_TARGETS, sizeof *targets);
    if (!targets)
        return STATE_UNKNOWN;
    enum plugin_state state;
    do {
        /* Nothing in a round exits: what DNS returns is reported, whatever it is. */
        size_t n = 0, not_checked = 0;
        for (size_t i = 0; i < o.n_hosts; i++)
            add_target(targets, &n, &o, o.hosts[i].name, o.hosts[i].port, false);
        int srv_failed = 0;
        char srv_problem[420] = "";
        for (size_t d = 0; d < o.n_srv; d++) {
            char name[300];
            struct dns_answer ans;
            snprintf(name, sizeof name, "_ntp._udp.%s", o.srv_domains[d]);
            if (!o.have_dns_server ||
                dns_lookup(o.dns_server, name, DNS_TYPE_SRV, DNS_RECURSIVE, o.timeout_ms, &ans,
                           err, sizeof err)) {
                snprintf(srv_problem, sizeof srv_problem, "%.250s SRV: %.100s", name,
                         o.have_dns_server ? err : "no DNS server");
                fprintf(stderr, "lyncboot-ntp-check: %s\n", srv_problem);
                srv_failed = 1;
                continue;
            }
            if (ans.srv_count == 0) {
                snprintf(srv_problem, sizeof srv_problem, "no %.300s SRV record (phones "
                         "would fall back to time.windows.com)", name);
                fprintf(stderr, "lyncboot-ntp-check: %s\n", srv_problem);
                srv_failed = 1;
            }
            not_checked += ans.dropped;
            for (size_t k = 0; k < ans.srv_count; k++)
                if (add_target(targets, &n, &o, ans.srv[k].target, ans.srv[k].port, true) != 0)
                    not_checked++;
        }
        if (not_checked > 0 && !srv_failed) {
            snprintf(srv_problem, sizeof srv_problem, "%zu SRV target%s not checked (at most "
                     "%d a round, %d a domain)", not_checked, not_checked == 1 ? "" : "s",
                     NTPC_MAX_TARGETS, DNS_MAX_RECORDS);
            fprintf(stderr, "lyncboot-ntp-check: %s\n", srv_problem);
        }
        /* Targets that did not resolve stay out of the probe but in the report. */
        struct timespec probe_start, probe_end;
        clock_gettime(CLOCK_MONOTONIC, &probe_start);
        ntpc_probe_targets(targets, n, o.samples, o.timeout_ms, o.have_source ? o.source : NULL);
        clock_gettime(CLOCK_MONOTONIC, &probe_end);
        double probe_seconds = (double)(probe_end.tv_sec - probe_start.tv_sec) +
                               (probe_end.tv_nsec - probe_start.tv_nsec) / 1e9;
        for (size_t i = 0; i < n; i++)
            ntpc_evaluate(&o, &targets[i]);
        struct ntpc_chrony chrony = {0};
        if (o.chrony)
            ntpc_query_chrony(o.chronyc, o.chronyc_host, o.timeout_ms * 2, &chrony);
        state = ntpc_overall(targets, n, &chrony);
        if (srv_failed && (state < STATE_CRITICAL || n == 0))
            state = STATE_CRITICAL;
        if (not_checked > 0 && state < STATE_WARNING)
            state = STATE_WARNING;
        if (o.json)
            ntpc_print_json(targets, n, &chrony, state, probe_seconds);
        else
            ntpc_print_status_line(&o, targets, n, &chrony, state, srv_problem);
        fflush(stdout);
        if (o.prometheus && ntpc_write_prometheus(o.prometheus, targets, n, state) != 0)
            fprintf(stderr, "lyncboot-ntp-check: --prometheus %s: %s\n", o.prometheus,
                    strerror(errno));
        if (o.health_file)
            ntpc_write_health(o.health_file, targets, n);
        for (int s = 0; o.interval && s < o.interval * 10 && !stop_requested; s++)
            usleep(100000);
    } while (o.interval && !stop_requested);
    free(targets);
    return state;
}
