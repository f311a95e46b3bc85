/* SPDX-License-Identifier: MPL-2.0 */
/* The local chronyd, through chronyc's CSV output under a time limit: a chronyd that
 * hangs or is gone is a clear state, never a hung check. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chronyc_run.h"
#include "ntpc.h"

void ntpc_query_chrony(const char *chronyc, const char *host, int timeout_ms,
                       struct ntpc_chrony *out)
{
    char buf[65536], err[200];
    memset(out, 0, sizeof *out);
    out->queried = true;
    int rc = chronyc_run(chronyc, host, "tracking", timeout_ms, buf, sizeof buf);
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
    rc = chronyc_run(chronyc, host, "sources", timeout_ms, buf, sizeof buf);
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
    rc = chronyc_run(chronyc, host, "sourcestats", timeout_ms, buf, sizeof buf);
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
