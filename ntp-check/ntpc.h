/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-ntp-check: shared declarations of its parts. */
#ifndef LYNCBOOT_NTPC_H
#define LYNCBOOT_NTPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chrony_csv.h"
#include "mp_range.h"
#include "ntp_client.h"

enum plugin_state { STATE_OK = 0, STATE_WARNING = 1, STATE_CRITICAL = 2, STATE_UNKNOWN = 3 };
extern const char *const plugin_state_names[4];

#define NTPC_MAX_TARGETS 256
#define NTPC_MAX_SAMPLES 8

struct ntpc_target {
    char name[256];     /* as given or found in SRV (printable, not necessarily a host name) */
    uint8_t addr[4];
    uint16_t port;
    bool unusable;      /* not probed: not a host name or not resolved; problem says why */
    /* results */
    int answered;       /* samples with a usable reply */
    enum ntp_verdict verdict;
    char problem[200];  /* why it is not OK, "" when it is */
    struct ntp_reply reply;
    double offset, delay, jitter, root_distance;
    enum plugin_state state;
};

/* Queries every target samples times, all targets concurrently in each round, each
 * round waiting at most timeout_ms. source (may be NULL) binds the local address. */
void ntpc_probe_targets(struct ntpc_target *targets, size_t count, int samples,
                        int timeout_ms, const uint8_t *source);

struct ntpc_chrony {
    bool queried;
    enum plugin_state state;
    char problem[256];
    struct chrony_tracking tracking;
    int sources, reachable, selected;
    double worst_std_dev; /* largest std dev of chronyc sourcestats, seconds */
};

/* Reads local chronyd through `chronyc -c -n` (tracking, sources) within timeout_ms.
 * chronyc_host may be NULL (chronyc's default). */
void ntpc_query_chrony(const char *chronyc, const char *chronyc_host, int timeout_ms,
                       struct ntpc_chrony *out);

/* What the command line asks (ntpc_args.c). */
struct ntpc_host {
    char name[256];
    uint16_t port;
};

struct ntpc_options {
    struct mp_range offset_warn, offset_crit, stratum_warn, stratum_crit, rootdist_warn,
        rootdist_crit;
    int timeout_ms, samples, interval;
    double deadline; /* seconds for the whole check (single runs); 0: the default */
    bool json, chrony, have_source, have_dns_server;
    uint8_t source[4], dns_server[4];
    const char *chronyc, *chronyc_host, *prometheus, *health_file;
    struct ntpc_host hosts[NTPC_MAX_TARGETS]; /* -H and --site-config, parsed at start */
    size_t n_hosts;
    const char *srv_domains[8];
    size_t n_srv;
};

enum ntpc_args_result {
    NTPC_ARGS_RUN,   /* check */
    NTPC_ARGS_DONE,  /* --help or --version printed: exit OK */
    NTPC_ARGS_USAGE, /* a usage error printed: exit UNKNOWN */
};

/* Parses the command line into o (zeroed by the caller), with check_ntp_time's
 * defaults; every error is a usage error at start, never in a later --interval round. */
enum ntpc_args_result ntpc_parse_args(int argc, char **argv, struct ntpc_options *o);

/* A target's state and problem from its samples and the thresholds (ntpc_evaluate.c). */
void ntpc_evaluate(const struct ntpc_options *o, struct ntpc_target *t);
/* The worst state of the targets and chronyd; UNKNOWN when nothing was checked. */
enum plugin_state ntpc_overall(const struct ntpc_target *t, size_t n,
                               const struct ntpc_chrony *c);

/* The outputs of a round (ntpc_report.c): the monitoring-plugin status line with
 * perfdata, JSON, Prometheus metrics for node-exporter's textfile collector, and the
 * health file the DNS side reads. */
void ntpc_print_status_line(const struct ntpc_options *o, const struct ntpc_target *t,
                            size_t n, const struct ntpc_chrony *c, enum plugin_state state,
                            const char *srv_problem);
void ntpc_print_json(const struct ntpc_target *t, size_t n, const struct ntpc_chrony *c,
                     enum plugin_state state, double probe_seconds);
int ntpc_write_prometheus(const char *path, const struct ntpc_target *t, size_t n,
                          enum plugin_state state);
int ntpc_write_health(const char *path, const struct ntpc_target *t, size_t n);

#endif
