/* SPDX-License-Identifier: MPL-2.0 */
/* Whether a site's existing unbound configuration would hide lyncboot's records. unbound
 * answers local zones (and auth zones served downstream) before any module runs, and
 * some local-zone types ignore local data: a SIP domain inside such a zone gets
 * NXDOMAIN or the zone's answer, and phones fall back to time.windows.com. The adapters
 * gather what unbound has (its configuration, or `list_local_zones`); this decides. */
#ifndef LYNCBOOT_ZONE_CONFLICTS_H
#define LYNCBOOT_ZONE_CONFLICTS_H

#include <stdbool.h>
#include <stddef.h>

#include "site_records.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Who puts the records into unbound: the dynlib module answers after the local zones
 * and downstream auth zones; the publisher's local-data lives inside the local zones. */
enum zone_user { ZONE_USER_MODULE, ZONE_USER_PUBLISHER };

struct zone_local {
    const char *name;  /* "contoso.com." or "contoso.com" */
    const char *type;  /* unbound's local-zone type: "static", "transparent", ... */
    bool builtin;      /* one of unbound's default zones, not the site's */
};

struct zone_auth {
    const char *name;
    bool for_downstream;
};

struct zone_inputs {
    const struct zone_local *zones;  /* explicit ones win over a built-in of the same name */
    size_t zone_count;
    const char *const *local_data;   /* local-data: lines ("name [ttl] [IN] TYPE rdata") */
    size_t local_data_count;
    const struct zone_auth *auths;
    size_t auth_count;
};

/* Whether name is zone or lies below it, without regard to letter case (either may
 * end in a dot; "." or "" is the root). */
bool zone_name_within(const char *name, const char *zone);

/* Checks every record's owner name. Returns 0, or -1 with a sentence that names the
 * zone (or data), why it hides the record, and the fix. */
int zone_conflicts_check(const struct site_record_set *records, const struct zone_inputs *in,
                         enum zone_user user, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
