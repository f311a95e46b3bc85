/* SPDX-License-Identifier: MPL-2.0 */
#include "zone_conflicts.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dnswire.h"
#include "errtext.h"

/* Name lengths without a trailing dot ("." is the root: 0). */
static size_t name_len(const char *name)
{
    size_t n = strlen(name);
    return n > 0 && name[n - 1] == '.' ? n - 1 : n;
}

bool zone_name_within(const char *name, const char *zone)
{
    size_t n = name_len(name), z = name_len(zone);
    if (z == 0)
        return true; /* the root holds every name */
    if (n < z || strncasecmp(name + n - z, zone, z) != 0)
        return false;
    return n == z || name[n - z - 1] == '.';
}

static bool same_name(const char *a, const char *b)
{
    size_t n = name_len(a);
    return n == name_len(b) && strncasecmp(a, b, n) == 0;
}

static bool type_is(const char *type, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(type, *list) == 0)
            return true;
    return false;
}

/* Types under which a query with no local data at its name is resolved normally, so it
 * reaches the module. */
static const char *const MODULE_PASSES[] = {"transparent", "typetransparent", "inform",
                                            "always_transparent", "nodefault", NULL};
/* Types that ignore local data below the zone's name, or all local data: the
 * publisher's records would not be answered. */
static const char *const PUBLISHER_HIDDEN[] = {"redirect", "inform_redirect",
                                               "always_transparent", "always_refuse",
                                               "always_nxdomain", "always_nodata",
                                               "always_deny", "always_null", "block_a", NULL};

/* The local zone that answers for owner: the closest enclosing one, an explicit zone
 * winning over a built-in zone of the same name. */
static const struct zone_local *closest_zone(const struct zone_inputs *in, const char *owner)
{
    const struct zone_local *best = NULL;
    for (size_t i = 0; i < in->zone_count; i++) {
        const struct zone_local *z = &in->zones[i];
        if (!zone_name_within(owner, z->name))
            continue;
        if (!best || name_len(z->name) > name_len(best->name) ||
            (name_len(z->name) == name_len(best->name) && best->builtin && !z->builtin))
            best = z;
    }
    return best;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The owner and type of a local-data line; false when it has neither. */
static bool data_owner_type(const char *line, char *owner, size_t cap, char *type, size_t tcap)
{
    char tokens[4][80];
    int n = sscanf(line, " %79s %79s %79s %79s", tokens[0], tokens[1], tokens[2], tokens[3]);
    if (n < 2)
        return false;
    copy_text(owner, cap, tokens[0]);
    /* owner [ttl] [class] type: the type is the first token that is neither. */
    for (int i = 1; i < n; i++) {
        bool ttl = strspn(tokens[i], "0123456789") == strlen(tokens[i]);
        bool cls = strcasecmp(tokens[i], "IN") == 0 || strcasecmp(tokens[i], "CH") == 0;
        if (!ttl && !cls) {
            copy_text(type, tcap, tokens[i]);
            return true;
        }
    }
    return false;
}

static int check_one(const struct site_record *r, const struct zone_inputs *in,
                     enum zone_user user, char *err, size_t errlen)
{
    const char *rtype = r->type == DNS_TYPE_SRV ? "SRV" : "A";
    const struct zone_local *z = closest_zone(in, r->owner);
    if (z && user == ZONE_USER_MODULE && !type_is(z->type, MODULE_PASSES)) {
        if (z->builtin)
            return errtext_fail(err, errlen,
                                "%s is inside unbound's built-in local zone \"%s\" (%s), which "
                                "unbound answers before any module runs: add 'local-zone: "
                                "\"%s\" nodefault' to unbound.conf, or 'local-zone: \"%s.\" "
                                "transparent' for each of lyncboot's names",
                                r->owner, z->name, z->type, z->name, r->owner);
        return errtext_fail(err, errlen,
                            "%s is inside local-zone \"%s\" %s of unbound.conf (or a file it "
                            "includes), which unbound answers before any module runs: add "
                            "'local-zone: \"%s.\" transparent' there (the zone's other names "
                            "keep their answers), and the same for each of lyncboot's names",
                            r->owner, z->name, z->type, r->owner);
    }
    if (z && user == ZONE_USER_PUBLISHER && type_is(z->type, PUBLISHER_HIDDEN))
        return errtext_fail(err, errlen,
                            "%s is inside local zone \"%s\" of type %s, which does not answer "
                            "local data put below it: add 'local-zone: \"%s.\" transparent' to "
                            "unbound.conf, and the same for each of lyncboot's names",
                            r->owner, z->name, z->type, r->owner);
    if (user != ZONE_USER_MODULE)
        return 0;
    for (size_t i = 0; i < in->local_data_count; i++) {
        char owner[300], type[80];
        if (data_owner_type(in->local_data[i], owner, sizeof owner, type, sizeof type) &&
            same_name(owner, r->owner) && strcasecmp(type, rtype) == 0 &&
            !(z && strcasecmp(z->type, "always_transparent") == 0))
            return errtext_fail(err, errlen,
                                "unbound.conf has local-data for %s %s, answered before any "
                                "module runs: remove it (lyncboot.conf describes these records)",
                                r->owner, rtype);
    }
    for (size_t i = 0; i < in->auth_count; i++)
        if (in->auths[i].for_downstream && zone_name_within(r->owner, in->auths[i].name))
            return errtext_fail(err, errlen,
                                "%s is inside auth-zone \"%s\" with for-downstream: yes, which "
                                "unbound answers before any module runs: set for-downstream: "
                                "no (the iterator then serves the zone after the module), or "
                                "put lyncboot's records into the zone (lyncboot-unbound-publish "
                                "--dry-run prints them)", r->owner, in->auths[i].name);
    return 0;
}

int zone_conflicts_check(const struct site_record_set *records, const struct zone_inputs *in,
                         enum zone_user user, char *err, size_t errlen)
{
    for (size_t i = 0; i < records->count; i++)
        if (check_one(&records->records[i], in, user, err, errlen) != 0)
            return -1;
    return 0;
}
