/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-rollout's join: each phone of the DHCP table followed through the other
 * sources' events (lib/rollout), which are sorted by client address once so a phone's
 * events are found by binary search, and the phones counted per voice VLAN and step. */
#include <stdlib.h>
#include <string.h>

#include "rollout_cmd.h"

static int by_client(const void *a, const void *b)
{
    return memcmp(a, b, 4); /* each event struct starts with its client address */
}

/* The events of one client: [*first, *first + count) of a sorted array. */
static const void *client_range(const void *base, size_t n, size_t size, const uint8_t addr[4],
                                size_t *count)
{
    *count = 0;
    if (n == 0)
        return NULL;
    const char *events = base;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(events + mid * size, addr, 4) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && memcmp(events + end * size, addr, 4) == 0)
        end++;
    *count = end - lo;
    return events + lo * size;
}

struct subnet_vlan {
    uint32_t subnet_id;
    unsigned vlan;
};

/* The voice VLAN of a phone that was not given one (its VLAN came from LLDP-MED or it
 * was set by hand): the one the phones leasing in its subnet were given. */
static unsigned subnet_vlan(const struct subnet_vlan *map, size_t n, uint32_t subnet_id)
{
    for (size_t i = 0; i < n; i++)
        if (map[i].subnet_id == subnet_id)
            return map[i].vlan;
    return 0;
}

static struct rollout_vlan_counts *vlan_counts(struct rollout_report *r, unsigned vlan)
{
    for (size_t i = 0; i < r->vlan_count; i++)
        if (r->vlans[i].vlan == vlan)
            return &r->vlans[i];
    struct rollout_vlan_counts *c = &r->vlans[r->vlan_count++];
    memset(c, 0, sizeof *c);
    c->vlan = vlan;
    return c;
}

static int by_vlan(const void *a, const void *b)
{
    const struct rollout_vlan_counts *x = a, *y = b;
    /* VLAN not known last */
    unsigned vx = x->vlan ? x->vlan : 65536, vy = y->vlan ? y->vlan : 65536;
    return (vx > vy) - (vx < vy);
}

int rollout_make_report(struct rollout_data *d, const char *chain_path, int64_t now,
                        struct rollout_report *r)
{
    memset(r, 0, sizeof *r);
    r->made_at = now;
    /* A source with no event has no array (qsort must not be handed NULL). */
    if (d->dns_count)
        qsort(d->dns, d->dns_count, sizeof *d->dns, by_client);
    if (d->ntp_count)
        qsort(d->ntp, d->ntp_count, sizeof *d->ntp, by_client);
    if (d->http_count)
        qsort(d->http, d->http_count, sizeof *d->http, by_client);
    size_t n = d->phone_count ? d->phone_count : 1;
    r->phones = calloc(n, sizeof *r->phones);
    r->phone_vlan = calloc(n, sizeof *r->phone_vlan);
    r->vlans = calloc(n, sizeof *r->vlans);
    struct subnet_vlan *map = calloc(n, sizeof *map);
    if (!r->phones || !r->phone_vlan || !r->vlans || !map) {
        free(map);
        rollout_report_free(r);
        return -1;
    }
    size_t mapped = 0;
    for (size_t i = 0; i < d->phone_count; i++) {
        const struct phone_record *p = &d->phones[i];
        if (p->vlan && (p->step_time[PHONE_STEP_LEASE] || p->step_time[PHONE_STEP_INFORM]) &&
            !subnet_vlan(map, mapped, p->subnet_id))
            map[mapped++] = (struct subnet_vlan){p->subnet_id, p->vlan};
    }
    r->last = d->have_http ? ROLLOUT_CHAIN
            : d->have_ntp  ? ROLLOUT_TIME
            : d->have_dns  ? ROLLOUT_DNS
                           : ROLLOUT_INFORM;
    for (size_t i = 0; i < d->phone_count; i++) {
        const struct phone_record *p = &d->phones[i];
        struct rollout_sources s = {.chain_path = chain_path,
                                    .have_dns = d->have_dns,
                                    .have_ntp = d->have_ntp,
                                    .have_http = d->have_http};
        /* With the dnstap collector gone, a phone that came after its last frame has DNS
         * look-ups nobody saw: not known, not missing. */
        if (d->dns_until && p->last_seen > d->dns_until)
            s.have_dns = 0;
        s.dns = client_range(d->dns, d->dns_count, sizeof *d->dns, p->addr, &s.dns_count);
        s.ntp = client_range(d->ntp, d->ntp_count, sizeof *d->ntp, p->addr, &s.ntp_count);
        s.http = client_range(d->http, d->http_count, sizeof *d->http, p->addr, &s.http_count);
        struct rollout_phone *f = &r->phones[i];
        rollout_follow(p, &s, f);
        r->phone_vlan[i] = p->vlan ? p->vlan : subnet_vlan(map, mapped, p->subnet_id);
        struct rollout_vlan_counts *c = vlan_counts(r, r->phone_vlan[i]);
        for (unsigned step = ROLLOUT_VLAN; step <= f->reached; step++)
            c->reached[step]++;
        if (f->stuck) {
            c->stuck[f->reached]++;
            r->stuck++;
        }
    }
    r->phone_count = d->phone_count;
    free(map);
    qsort(r->vlans, r->vlan_count, sizeof *r->vlans, by_vlan);
    return 0;
}

void rollout_report_free(struct rollout_report *r)
{
    free(r->phones);
    free(r->phone_vlan);
    free(r->vlans);
    memset(r, 0, sizeof *r);
}
