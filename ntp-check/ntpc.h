/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-ntp-check: shared declarations of its parts. */
#ifndef LYNCBOOT_NTPC_H
#define LYNCBOOT_NTPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chrony_csv.h"
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

#endif
