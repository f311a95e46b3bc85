/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe bootstrap: the phone's clock from NTP, the CA chain over HTTP, and TLS
 * checked at that clock. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fqdn.h"
#include "probe_bootstrap.h"
#include "probe_dhcp.h"

/* Resolves a name through the site's DNS server (an IPv4 literal needs none). */
int bootstrap_resolve(const struct site *site, const char *name, int timeout_ms, uint8_t out[4],
                   char *err, size_t errlen)
{
    if (!site->have_dns_server && ipv4_parse(name, out) != 0) {
        snprintf(err, errlen, "no DNS server (none from DHCP option 6; give --dns-server)");
        return -1;
    }
    return dns_resolve_a(site->dns_server, name, timeout_ms, out, err, errlen);
}

/* The phone's clock: from NTP, else (flagged) this host's. */
void step_ntp_query(struct bootstrap *b, const char *name)
{
    if (!b->ntp_target[0]) {
        step_skip(&b->w, name, "no NTP source found");
        return;
    }
    char err[512], ip[16];
    struct step *s = step_begin(&b->w, name);
    uint8_t addr[4];
    struct ntp_sample ntp;
    if (bootstrap_resolve(&b->site, b->ntp_target, b->timeout_ms, addr, err, sizeof err) != 0) {
        step_end(&b->w, s, STEP_FAIL, "the phone cannot set its clock, so certificate checks "
                                      "fail: publish _ntp._udp for a reachable NTP server",
                 "Cannot resolve the NTP source: %s", err);
    } else if (lookup_ntp(addr, (uint16_t)b->ntp_port, b->timeout_ms, &ntp, err, sizeof err)) {
        step_end(&b->w, s, STEP_FAIL,
                 "the NTP server does not answer this VLAN (chrony serves no clients "
                 "without an 'allow' for the phone subnets; UDP 123 blocked?)",
                 "NTP query to %s (%s:%u): %s", b->ntp_target, ip_text(addr, ip), b->ntp_port,
                 err);
    } else if (ntp.verdict == NTP_REPLY_KISS_OF_DEATH) {
        step_end(&b->w, s, STEP_FAIL,
                 "the server refuses this client (DENY/RSTR: an access restriction; "
                 "RATE: too many queries)",
                 "NTP server %s sent Kiss-o'-Death %s.", b->ntp_target, ntp.reply.kiss);
    } else if (ntp.verdict == NTP_REPLY_UNSYNCHRONIZED) {
        step_end(&b->w, s, STEP_FAIL,
                 "the NTP server has no synchronised source; phones would take a wrong "
                 "time and reject certificates",
                 "NTP server %s is unsynchronised (leap %d, stratum %d).", b->ntp_target,
                 ntp.reply.leap, ntp.reply.stratum);
    } else if (ntp.verdict != NTP_REPLY_OK) {
        step_end(&b->w, s, STEP_FAIL, NULL, "NTP reply from %s rejected: %s", b->ntp_target,
                 err);
    } else {
        b->phone_time = (time_t)ntp.server_time;
        b->have_ntp_time = 1;
        char when[64];
        struct tm tm;
        gmtime_r(&b->phone_time, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        /* One unauthenticated reply sets the phone's clock, as on the phone; a large
         * difference from this host means one of the two is wrong, and every
         * certificate check below depends on which. */
        int far = fabs(ntp.offset) > b->max_offset;
        step_end(&b->w, s, far ? STEP_WARN : STEP_PASS,
                 far ? "this host's clock and the NTP server disagree by more than "
                       "--max-offset: check both; certificates are judged by the NTP time"
                     : NULL,
                 "NTP %s (%s) stratum %d: the phone's time is %s (offset to this host "
                 "%+.3f s, delay %.3f s)%s.", b->ntp_target, ip_text(addr, ip),
                 ntp.reply.stratum, when, ntp.offset, ntp.delay,
                 far ? ", more than --max-offset" : "");
    }
}

void step_cert_chain(struct bootstrap *b, const char *name)
{
    if (!b->dhcp_ok) {
        step_skip(&b->w, name, "needs the DHCP step");
    } else {
        char err[512];
        struct step *s = step_begin(&b->w, name);
        printf("Trying to download a certificate chain from web service.\nWeb Service url :\n"
               "http://%s%s\n", b->site.web_host, b->site.cert_path);
        long status = 0;
        if (bootstrap_resolve(&b->site, b->site.web_host, b->timeout_ms, b->web_addr, err,
                              sizeof err) != 0) {
            step_end(&b->w, s, STEP_FAIL, "publish an A record for the web services FQDN",
                     "Unable to locate Lync Certificate Web service: %s", err);
        } else if (b->web_resolved = 1,
                   !(b->chain = fetch_chain_http(b->site.web_host, b->web_addr,
                                                 b->site.cert_path, b->timeout_ms, &status, err,
                                                 sizeof err))) {
            step_end(&b->w, s, STEP_FAIL,
                     "the phone fetches the chain over plain HTTP on port 80: is port 80 open "
                     "to the web services, and the anonymous CertProv URL published?",
                     "Error downloading certificate chain: %s", err);
        } else {
            step_end(&b->w, s, STEP_PASS, NULL,
                     "Certificate chain downloaded successfully (%zu certificate%s).",
                     cert_chain_count(b->chain), cert_chain_count(b->chain) == 1 ? "" : "s");
        }
    }
    /* --ca adds to what the phone downloaded (an enterprise root it already trusts). */
    if (b->extra_ca) {
        if (!b->chain) {
            b->chain = b->extra_ca;
            b->extra_ca = NULL;
        } else {
            char ignored[256];
            (void)cert_chain_add_file(&b->chain, b->ca_file, ignored, sizeof ignored);
        }
    }
}

int tls_name_mismatch(const struct tls_result *tls)
{
    return strstr(tls->error, "hostname") || strstr(tls->error, "Hostname");
}

const char *tls_rejection_cause(const struct tls_result *tls)
{
    if (strstr(tls->error, "not yet valid") || strstr(tls->error, "expired"))
        return "the certificate is not valid at the phone's NTP time: check the NTP source and "
               "the certificate's dates";
    if (tls_name_mismatch(tls))
        return "the certificate does not name the host the phone was given";
    return "the downloaded chain does not lead to this certificate's issuer";
}

/* TLS to host:port, verified with the chain at the phone's time. */
static void tls_step(struct bootstrap *b, const char *name, const char *host, unsigned port,
                     int is_web)
{
    if (!b->dhcp_ok || !b->chain) {
        step_skip(&b->w, name, b->dhcp_ok ? "no CA chain to verify with" : "needs the DHCP step");
        return;
    }
    char err[512];
    struct step *s = step_begin(&b->w, name);
    uint8_t addr[4];
    struct tls_result tls;
    if (is_web && b->web_resolved) {
        memcpy(addr, b->web_addr, 4);
    } else if (bootstrap_resolve(&b->site, host, b->timeout_ms, addr, err, sizeof err) != 0) {
        step_end(&b->w, s, STEP_FAIL, "publish an A record for it", "Cannot resolve %s: %s",
                 host, err);
        return;
    }
    const char *clock = b->have_ntp_time ? "the phone's NTP" : "this host's";
    if (check_tls(addr, (uint16_t)port, host, b->chain, b->phone_time, b->timeout_ms, &tls, err,
                  sizeof err) != 0) {
        step_end(&b->w, s, STEP_FAIL,
                 is_web ? "the web services do not accept TLS on this port"
                        : "the registrar does not accept TLS on this port (5061 by default)",
                 "%s", err);
    } else if (!tls.verified) {
        const char *cause = tls_rejection_cause(&tls);
        step_end(&b->w, s, STEP_FAIL, cause, "TLS to %s:%u: certificate %s rejected at %s time: %s",
                 host, port, tls.subject, clock, tls.error);
    } else {
        step_end(&b->w, s, tls.days_left < 30 ? STEP_WARN : STEP_PASS, NULL,
                 "TLS to %s:%u verified at %s time (%s), certificate expires in %ld days.",
                 host, port, clock, tls.subject, tls.days_left);
    }
}

void step_web_tls(struct bootstrap *b, const char *name)
{
    tls_step(b, name, b->site.web_host, b->site.web_port, 1);
}

void step_registrar_tls(struct bootstrap *b, const char *name)
{
    tls_step(b, name, b->site.registrar, b->registrar_port, 0);
}
