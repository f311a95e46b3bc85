/* SPDX-License-Identifier: MPL-2.0 */
/* A round's verdicts: each target's state from its samples and check_ntp_time's kind of
 * ranges, and the round's from the worst. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ntpc.h"

const char *const plugin_state_names[4] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

void ntpc_evaluate(const struct ntpc_options *o, struct ntpc_target *t)
{
    if (t->answered == 0) {
        t->state = STATE_CRITICAL;
        if (t->verdict == NTP_REPLY_KISS_OF_DEATH)
            snprintf(t->problem, sizeof t->problem, "Kiss-o'-Death %s (%s)", t->reply.kiss,
                     strcmp(t->reply.kiss, "RATE") == 0 ? "rate limited"
                     : strcmp(t->reply.kiss, "DENY") == 0 || strcmp(t->reply.kiss, "RSTR") == 0
                         ? "access denied"
                         : "server refuses");
        else if (t->verdict == NTP_REPLY_UNSYNCHRONIZED)
            snprintf(t->problem, sizeof t->problem, "unsynchronised (leap %d, stratum %d)",
                     t->reply.leap, t->reply.stratum);
        else if (!t->problem[0])
            snprintf(t->problem, sizeof t->problem, "no answer within %d ms (no 'allow' for "
                     "this subnet, or UDP 123 blocked?)", o->timeout_ms);
        return;
    }
    t->state = STATE_OK;
    const struct { const struct mp_range *warn, *crit; double value; const char *what; } checks[] = {
        {&o->offset_warn, &o->offset_crit, fabs(t->offset), "offset"},
        {&o->stratum_warn, &o->stratum_crit, t->reply.stratum, "stratum"},
        {&o->rootdist_warn, &o->rootdist_crit, t->root_distance, "root distance"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        enum plugin_state s = mp_range_alerts(checks[i].crit, checks[i].value) ? STATE_CRITICAL
                              : mp_range_alerts(checks[i].warn, checks[i].value) ? STATE_WARNING
                                                                                  : STATE_OK;
        if (s > t->state) {
            t->state = s;
            snprintf(t->problem, sizeof t->problem, "%s %g outside its %s range", checks[i].what,
                     checks[i].value, plugin_state_names[s]);
        }
    }
}

enum plugin_state ntpc_overall(const struct ntpc_target *t, size_t n, const struct ntpc_chrony *c)
{
    enum plugin_state s = n == 0 && !c->queried ? STATE_UNKNOWN : STATE_OK;
    for (size_t i = 0; i < n; i++)
        if (t[i].state > s)
            s = t[i].state;
    if (c->queried && c->state > s)
        s = c->state;
    return s;
}

