/* SPDX-License-Identifier: MPL-2.0 */
#include "site_records.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dnswire.h"
#include "fqdn.h"

/* How far in the future a health mark may lie (writer and reader clocks, a step of the
 * clock) before it is not believed: a mark from the future would otherwise stay fresh
 * forever. */
#define HEALTH_FUTURE_SLACK 60

static bool target_healthy(const struct site_srv_target *t, const struct ntp_health_entry *h,
                           size_t n, int64_t now, unsigned max_age)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(h[i].target, t->name) == 0 && h[i].port == t->port)
            return h[i].healthy && h[i].checked >= now - (int64_t)max_age &&
                   h[i].checked <= now + HEALTH_FUTURE_SLACK;
    return false; /* not checked: not known to be healthy */
}

static struct site_record *add(struct site_record_set *s, const char *prefix,
                               const char *domain, uint16_t type, unsigned ttl)
{
    if (s->count == SITE_MAX_RECORDS)
        return NULL;
    struct site_record *r = &s->records[s->count++];
    memset(r, 0, sizeof *r);
    snprintf(r->owner, sizeof r->owner, "%s%s", prefix, domain);
    r->type = type;
    r->ttl = ttl;
    return r;
}

void site_records_build(const struct site_conf *c, const struct ntp_health_entry *health,
                        size_t health_count, int64_t now, struct site_record_set *out)
{
    out->count = 0;
    out->fail_open_count = 0;
    for (size_t d = 0; d < c->domain_count; d++) {
        const struct site_domain *dom = &c->domains[d];
        size_t healthy = 0;
        for (size_t i = 0; health && i < dom->ntp_count; i++)
            healthy += target_healthy(&dom->ntp[i], health, health_count, now, c->health_max_age);
        bool all = health == NULL || healthy == 0;
        if (health && healthy == 0 && dom->ntp_count > 0)
            snprintf(out->notes[out->fail_open_count++], sizeof out->notes[0],
                     "no healthy NTP target for %s: advertising all %zu (fail open)",
                     dom->name, dom->ntp_count);
        for (size_t i = 0; i < dom->ntp_count; i++) {
            if (!all && !target_healthy(&dom->ntp[i], health, health_count, now,
                                        c->health_max_age))
                continue;
            struct site_record *r = add(out, "_ntp._udp.", dom->name, DNS_TYPE_SRV, c->ttl);
            if (!r)
                return;
            r->priority = dom->ntp[i].priority;
            r->weight = dom->ntp[i].weight;
            r->port = dom->ntp[i].port;
            snprintf(r->target, sizeof r->target, "%s", dom->ntp[i].name);
        }
        static const char *const sip[] = {"_sipinternaltls._tcp.", "_sipinternal._tcp."};
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < dom->registrar_count; i++) {
                struct site_record *r = add(out, sip[k], dom->name, DNS_TYPE_SRV, c->ttl);
                if (!r)
                    return;
                r->port = SITE_REGISTRAR_PORT;
                snprintf(r->target, sizeof r->target, "%s", dom->registrars[i]);
            }
        for (size_t i = 0; i < dom->updates_count; i++) {
            struct site_record *r = add(out, "ucupdates-r2.", dom->name, DNS_TYPE_A, c->ttl);
            if (!r)
                return;
            memcpy(r->addr, dom->updates[i], 4);
        }
    }
}

void site_record_text(const struct site_record *r, char *out, size_t cap)
{
    if (r->type == DNS_TYPE_SRV)
        snprintf(out, cap, "%s. %u IN SRV %u %u %u %s.", r->owner, r->ttl, r->priority,
                 r->weight, r->port, r->target);
    else
        snprintf(out, cap, "%s. %u IN A %u.%u.%u.%u", r->owner, r->ttl, r->addr[0],
                 r->addr[1], r->addr[2], r->addr[3]);
}

int site_record_rdata(const struct site_record *r, uint8_t *out, size_t cap)
{
    if (r->type == DNS_TYPE_A) {
        if (cap < 4)
            return -1;
        memcpy(out, r->addr, 4);
        return 4;
    }
    if (cap < 6 || r->priority > 0xffff || r->weight > 0xffff || r->port > 0xffff)
        return -1;
    const unsigned fields[3] = {r->priority, r->weight, r->port};
    for (size_t i = 0; i < 3; i++) {
        out[2 * i] = (uint8_t)(fields[i] >> 8);
        out[2 * i + 1] = (uint8_t)fields[i];
    }
    int target = fqdn_to_wire(r->target, out + 6, cap - 6);
    return target < 0 ? -1 : 6 + target;
}

int site_health_load(const struct site_conf *conf, struct ntp_health_entry *entries,
                     size_t max, char *note, size_t cap)
{
    note[0] = '\0';
    if (!conf->health_file[0])
        return -1;
    char why[300];
    int n = ntp_health_read(conf->health_file, entries, max, why, sizeof why);
    if (n < 0) /* why names the file, and the line where there is one */
        snprintf(note, cap, "health file unusable, advertising every NTP target: %s", why);
    return n;
}
