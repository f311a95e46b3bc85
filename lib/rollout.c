/* SPDX-License-Identifier: MPL-2.0 */
#include "rollout.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* A phone's later traffic may come a little before the DHCP event its server logged
 * (clocks of different servers, a retransmitted INFORM): this much earlier still counts. */
enum { SLACK_SECONDS = 5 };
enum { DNS_TYPE_A = 1, DNS_TYPE_SRV = 33, DNS_NOERROR = 0 };

const char *rollout_step_name(unsigned step)
{
    static const char *const names[ROLLOUT_STEPS] = {"none", "vlan", "lease", "inform",
                                                     "dns", "time", "chain"};
    return step < ROLLOUT_STEPS ? names[step] : NULL;
}

static bool starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

static void first_at(struct rollout_phone *p, enum rollout_step step, int64_t when)
{
    if (when > 0 && (p->step_at[step] == 0 || when < p->step_at[step]))
        p->step_at[step] = when;
}

/* What the DNS server saw of the phone: its SRV look-ups, answered or not. */
struct dns_seen {
    bool srv_asked, ntp_srv_empty;
    bool updates_found, updates_missing; /* its Device Update server's A look-up */
    char empty_name[256], updates_name[256];
};

static void follow_dns(const uint8_t addr[4], int64_t since, const struct rollout_sources *s,
                       struct rollout_phone *p, struct dns_seen *seen)
{
    for (size_t i = 0; i < s->dns_count; i++) {
        const struct rollout_dns *q = &s->dns[i];
        if (memcmp(q->client, addr, 4) != 0 || q->when < since)
            continue;
        if (q->type == DNS_TYPE_A && starts_with(q->name, "ucupdates-r2.")) {
            if (q->rcode == DNS_NOERROR && q->answers > 0) {
                seen->updates_found = true;
            } else if (!seen->updates_missing) {
                seen->updates_missing = true;
                snprintf(seen->updates_name, sizeof seen->updates_name, "%s", q->name);
            }
            continue;
        }
        if (q->type != DNS_TYPE_SRV)
            continue;
        if (!starts_with(q->name, "_sipinternaltls._tcp.") &&
            !starts_with(q->name, "_sipinternal._tcp.") && !starts_with(q->name, "_ntp._udp."))
            continue;
        seen->srv_asked = true;
        if (q->rcode == DNS_NOERROR && q->answers > 0) {
            first_at(p, ROLLOUT_DNS, q->when);
        } else if (starts_with(q->name, "_ntp._udp.")) {
            seen->ntp_srv_empty = true;
        } else if (!seen->empty_name[0]) {
            snprintf(seen->empty_name, sizeof seen->empty_name, "%s", q->name);
        }
    }
}

void rollout_follow(const struct phone_record *dhcp, const struct rollout_sources *s,
                    struct rollout_phone *p)
{
    memset(p, 0, sizeof *p);
    p->dhcp = *dhcp;
    first_at(p, ROLLOUT_VLAN, dhcp->step_time[PHONE_STEP_VLAN]);
    first_at(p, ROLLOUT_LEASE, dhcp->step_time[PHONE_STEP_LEASE]);
    first_at(p, ROLLOUT_INFORM, dhcp->step_time[PHONE_STEP_INFORM]);
    static const uint8_t none[4] = {0, 0, 0, 0};
    const int64_t since = dhcp->first_seen - SLACK_SECONDS;
    struct dns_seen dns = {0};
    int http_failed = 0;
    if (memcmp(dhcp->addr, none, 4) != 0) {
        follow_dns(dhcp->addr, since, s, p, &dns);
        for (size_t i = 0; i < s->ntp_count; i++)
            if (memcmp(s->ntp[i].client, dhcp->addr, 4) == 0 && s->ntp[i].packets > 0 &&
                s->ntp[i].last >= since)
                first_at(p, ROLLOUT_TIME, s->ntp[i].last);
        for (size_t i = 0; i < s->http_count; i++) {
            const struct rollout_http *h = &s->http[i];
            if (memcmp(h->client, dhcp->addr, 4) != 0 || h->when < since ||
                strcmp(h->path, s->chain_path) != 0)
                continue;
            if (h->status >= 200 && h->status < 300)
                first_at(p, ROLLOUT_CHAIN, h->when);
            else if (!http_failed)
                http_failed = h->status;
        }
    }
    /* The furthest step of an unbroken walk: a phone's later step seen after a missing one
     * (a chain downloaded without an NTP query) does not make up for it. The VLAN and the
     * lease may be missing (LLDP-MED gave the VLAN; the lease came before tracking), and
     * so may a step no source can show. */
    const bool known[ROLLOUT_STEPS] = {[ROLLOUT_INFORM] = true, [ROLLOUT_DNS] = s->have_dns,
                                       [ROLLOUT_TIME] = s->have_ntp,
                                       [ROLLOUT_CHAIN] = s->have_http};
    unsigned gap = ROLLOUT_STEPS;
    for (unsigned step = ROLLOUT_VLAN; step < ROLLOUT_STEPS; step++) {
        if (p->step_at[step]) {
            if (gap == ROLLOUT_STEPS) {
                p->reached = (enum rollout_step)step;
                p->reached_at = p->step_at[step];
            } else {
                p->later_seen = (enum rollout_step)step;
            }
        } else if (known[step] && gap == ROLLOUT_STEPS && p->step_at[ROLLOUT_VLAN] |
                   p->step_at[ROLLOUT_LEASE] | p->step_at[ROLLOUT_INFORM]) {
            gap = step;
        }
    }
    enum rollout_step last = s->have_http ? ROLLOUT_CHAIN
                           : s->have_ntp  ? ROLLOUT_TIME
                           : s->have_dns  ? ROLLOUT_DNS
                                          : ROLLOUT_INFORM;
    /* Not a step of the walk (the phone carries on without it), but a phone that will
     * never be updated is worth a word, stuck or not. */
    if (dns.updates_missing && !dns.updates_found)
        snprintf(p->warning, sizeof p->warning,
                 "its Device Update look-up of %s found nothing: it gets no updates (publish "
                 "the ucupdates-r2 A record)", dns.updates_name);
    p->stuck = p->reached < last;
    if (!p->stuck)
        return;
    const bool wrong_case = dhcp->step_time[PHONE_STEP_CASE_MISMATCH] != 0;
    switch (p->reached) {
    case ROLLOUT_NONE:
        snprintf(p->cause, sizeof p->cause, "%s",
                 wrong_case ? "its vendor class is in the wrong letter case (not "
                              "MS-UC-Client or CPE-OCPHONE): the server does not answer it"
                            : "nothing answered it yet");
        break;
    case ROLLOUT_VLAN:
        snprintf(p->cause, sizeof p->cause,
                 "voice VLAN %u given on the data VLAN, but no lease on the voice VLAN: the "
                 "switch port is not tagging VLAN %u, or DHCP does not reach the voice "
                 "subnet (no relay there)", dhcp->vlan, dhcp->vlan);
        break;
    case ROLLOUT_LEASE:
        snprintf(p->cause, sizeof p->cause, "%s",
                 wrong_case ? "a lease, but its DHCPINFORM has the vendor class in the wrong "
                              "letter case: the server does not answer it"
                            : "a lease on the voice VLAN but no DHCPINFORM answered: the "
                              "INFORM does not reach the server (a relay that drops "
                              "DHCPINFORM?) or is not sent with MS-UC-Client");
        break;
    case ROLLOUT_INFORM:
        if (!s->have_dns)
            snprintf(p->cause, sizeof p->cause, "%s",
                     "options delivered, no NTP query seen (its DNS look-ups are not known: "
                     "no DNS source for this time)");
        else if (dns.srv_asked)
            snprintf(p->cause, sizeof p->cause,
                     "its SRV look-ups found nothing (%s): publish the registrar's and the "
                     "time source's SRV records in its DNS server",
                     dns.empty_name[0] ? dns.empty_name : "_ntp._udp");
        else
            snprintf(p->cause, sizeof p->cause, "%s",
                     "options delivered, no SRV look-up: wrong DNS server in option 6 (or "
                     "no DNS domain, option 15)");
        break;
    case ROLLOUT_DNS:
        snprintf(p->cause, sizeof p->cause, "%s",
                 dns.ntp_srv_empty ? "no _ntp._udp record answered: the phone tries "
                                     "time.windows.com, which firewalls usually block"
                                   : "SRV answered, no NTP query: UDP 123 filtered between "
                                     "the phone and its time source, or chronyd has no "
                                     "'allow' for the phone subnet");
        break;
    case ROLLOUT_TIME:
        if (http_failed)
            snprintf(p->cause, sizeof p->cause,
                     "its CA chain download failed with HTTP %d: the certificate provisioning "
                     "URL in option 43 is wrong", http_failed);
        else
            snprintf(p->cause, sizeof p->cause, "%s",
                     "time set, no CA chain download: port 80 to the web services blocked, "
                     "or their name in option 43 does not resolve");
        break;
    default:
        break;
    }
    if (p->later_seen) {
        size_t used = strlen(p->cause);
        snprintf(p->cause + used, sizeof p->cause - used, " (yet it got as far as '%s')",
                 rollout_step_name(p->later_seen));
    }
}
