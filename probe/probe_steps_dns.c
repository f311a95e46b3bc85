/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe bootstrap: the DNS look-ups (NTP and registrar SRV, Device Update). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe_bootstrap.h"
#include "probe_dhcp.h"

static int in_domain(const char *target, const char *domain)
{
    size_t t = strlen(target), d = strlen(domain);
    return t > d && strcasecmp(target + t - d, domain) == 0 && target[t - d - 1] == '.';
}

/* Whether the DNS steps can run; if not, the step is recorded as skipped. */
static int dns_ready(struct bootstrap *b, const char *name)
{
    if (!b->dhcp_ok)
        step_skip(&b->w, name, "needs the DHCP step");
    else if (!b->site.have_dns_server)
        step_skip(&b->w, name, "no DNS server (DHCP option 6 or --dns-server)");
    return b->dhcp_ok && b->site.have_dns_server;
}

void step_ntp_srv(struct bootstrap *b, const char *name)
{
    if (!dns_ready(b, name))
        return;
    char fqdn[300], err[512], ip[16];
    struct dns_answer ans;
    struct step *s = step_begin(&b->w, name);
    snprintf(fqdn, sizeof fqdn, "_ntp._udp.%s", b->site.domain);
    if (dns_lookup(b->site.dns_server, fqdn, DNS_TYPE_SRV, DNS_RECURSIVE, b->timeout_ms, &ans,
                   err, sizeof err)) {
        step_end(&b->w, s, STEP_FAIL, "the DNS server does not answer this host",
                 "DNS query for %s SRV to %s failed: %s", fqdn, ip_text(b->site.dns_server, ip),
                 err);
    } else if (ans.srv_count == 0) {
        snprintf(b->ntp_target, sizeof b->ntp_target, "time.windows.com");
        step_end(&b->w, s, STEP_WARN, NULL,
                 "No %s SRV record: the phone falls back to time.windows.com, which "
                 "firewalls usually block; publish the record for the site's NTP servers.",
                 fqdn);
    } else {
        snprintf(b->ntp_target, sizeof b->ntp_target, "%s", ans.srv[0].target);
        b->ntp_port = ans.srv[0].port;
        step_end(&b->w, s, STEP_PASS, NULL, "%s SRV -> %s:%u.", fqdn, b->ntp_target,
                 b->ntp_port);
    }
}

void step_registrar_srv(struct bootstrap *b, const char *name)
{
    if (!dns_ready(b, name))
        return;
    char fqdn[300], err[512];
    struct dns_answer ans;
    struct step *s = step_begin(&b->w, name);
    snprintf(fqdn, sizeof fqdn, "_sipinternaltls._tcp.%s", b->site.domain);
    if (dns_lookup(b->site.dns_server, fqdn, DNS_TYPE_SRV, DNS_RECURSIVE, b->timeout_ms, &ans,
                   err, sizeof err)) {
        step_end(&b->w, s, STEP_FAIL, "the DNS server does not answer this host",
                 "DNS query for %s SRV failed: %s", fqdn, err);
    } else if (ans.srv_count == 0) {
        step_end(&b->w, s, STEP_WARN, NULL,
                 "No %s SRV record: the phone relies on the DHCP registrar %s.", fqdn,
                 b->site.registrar);
    } else if (!in_domain(ans.srv[0].target, b->site.domain)) {
        step_end(&b->w, s, STEP_FAIL,
                 "since LPE CU7 (4.0.7577.4363) an SRV target must be in the SRV record's "
                 "domain (strict DNS naming): publish a name under that domain for the pool",
                 "%s SRV -> %s:%u, outside %s.", fqdn, ans.srv[0].target, ans.srv[0].port,
                 b->site.domain);
    } else {
        step_end(&b->w, s, STEP_PASS, NULL, "%s SRV -> %s:%u (strict naming satisfied).",
                 fqdn, ans.srv[0].target, ans.srv[0].port);
    }
}

void step_device_update(struct bootstrap *b, const char *name)
{
    if (!dns_ready(b, name))
        return;
    char fqdn[300], err[512], ip[16];
    struct dns_answer ans;
    struct step *s = step_begin(&b->w, name);
    snprintf(fqdn, sizeof fqdn, "ucupdates-r2.%s", b->site.domain);
    if (dns_lookup(b->site.dns_server, fqdn, DNS_TYPE_A, DNS_RECURSIVE, b->timeout_ms, &ans,
                   err, sizeof err))
        step_end(&b->w, s, STEP_FAIL, "the DNS server does not answer this host",
                 "DNS query for %s A failed: %s", fqdn, err);
    else if (ans.a_count == 0)
        step_end(&b->w, s, STEP_WARN, NULL,
                 "No A record for %s: the phone cannot find Device Update before sign-in.",
                 fqdn);
    else {
        snprintf(b->updates_host, sizeof b->updates_host, "%s", fqdn);
        memcpy(b->updates_addr, ans.a[0], 4);
        b->updates_resolved = 1;
        step_end(&b->w, s, STEP_PASS, NULL, "%s -> %s.", fqdn, ip_text(ans.a[0], ip));
    }
}
