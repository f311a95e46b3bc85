/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe bootstrap: Test-CsPhoneBootstrap's walk for Linux, without a phone
 * and without PIN sign-in: a table of steps (STEPS below), each a function of what the
 * earlier ones learnt (struct bootstrap), run in order through probe_walk. */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dhcp4_msg.h"
#include "fqdn.h"
#include "lync_checks.h"
#include "opt120.h"
#include "opt43.h"
#include "probe.h"
#include "probe_dhcp.h"
#include "probe_lldp.h"
#include "probe_lookup.h"
#include "probe_net.h"
#include "probe_walk.h"

#define DEFAULT_REGISTRAR_PORT 5061
#define DEFAULT_MAX_OFFSET 60.0 /* seconds: check_ntp_time's warning default */
#define DEFAULT_LLDP_WAIT_MS 5000

/* What the DHCP step learnt, for the later steps. */
struct site {
    char registrar[256], url[600], web_host[256], cert_path[256], domain[256];
    unsigned web_port;
    int have_dns_server;
    uint8_t dns_server[4];
};

/* The walk's options and what its steps learnt, for the later steps. */
struct bootstrap {
    /* options */
    const struct iface_info *iface;  /* --interface */
    const struct iface_info *target; /* where the phone's queries go: --voice-interface or it */
    const char *voice_ifname, *ca_file;
    int vlan_discovery, dora, timeout_ms, lldp_wait_ms;
    double max_offset;
    unsigned registrar_port;
    /* learnt */
    struct walk w;
    unsigned lldp_vlan; /* the voice VLAN the switch gave by LLDP-MED, or 0 */
    struct site site;
    int dhcp_ok;
    char ntp_target[256];
    unsigned ntp_port;
    time_t phone_time;
    int have_ntp_time;
    struct cert_chain *chain, *extra_ca;
    uint8_t web_addr[4];
    int web_resolved;
};

/* Resolves a name through the site's DNS server (an IPv4 literal needs none). */
static int resolve(const struct site *site, const char *name, int timeout_ms, uint8_t out[4],
                   char *err, size_t errlen)
{
    if (!site->have_dns_server && ipv4_parse(name, out) != 0) {
        snprintf(err, errlen, "no DNS server (none from DHCP option 6; give --dns-server)");
        return -1;
    }
    return dns_resolve_a(site->dns_server, name, timeout_ms, out, err, errlen);
}

static int in_domain(const char *target, const char *domain)
{
    size_t t = strlen(target), d = strlen(domain);
    return t > d && strcasecmp(target + t - d, domain) == 0 && target[t - d - 1] == '.';
}

static int parse_url(const char *url, struct site *site)
{
    /* scheme://host:port/path, as lync_check_uc_option43 composed it */
    const char *host = strstr(url, "://");
    if (!host)
        return -1;
    host += 3;
    const char *colon = strchr(host, ':'), *slash = colon ? strchr(colon, '/') : NULL;
    if (!colon || !slash || (size_t)(colon - host) >= sizeof site->web_host)
        return -1;
    snprintf(site->web_host, sizeof site->web_host, "%.*s", (int)(colon - host), host);
    site->web_port = (unsigned)atoi(colon + 1);
    snprintf(site->cert_path, sizeof site->cert_path, "%s", slash);
    return 0;
}

/* DHCPINFORM (or DISCOVER without an address) with vendor class MS-UC-Client: the
 * registrar from option 120, the web services from option 43, DNS from 6 and 15. */
static int dhcp_inform(struct bootstrap *b, const char *name)
{
    struct walk *w = &b->w;
    struct site *site = &b->site;
    const struct iface_info *iface = b->target;
    const int timeout_ms = b->timeout_ms;
    char err[256], ip[16];
    struct step *s = step_begin(w, name);
    int need_root = 0;
    int sock = net_dhcp_client_socket(iface->name, &need_root, err, sizeof err);
    if (sock < 0) {
        step_end(w, s, STEP_FAIL, need_root ? "run lyncboot-probe as root" : NULL, "%s", err);
        return -1;
    }
    printf("Starting DHCP registrar discovery... DHCP %s message send on %s. Waiting for dhcp "
           "servers to respond.\n", iface->has_addr ? "INFORM" : "DISCOVER", iface->name);
    static struct net_reply replies[NET_MAX_REPLIES];
    int n = dhcp_ask(sock, iface, iface->has_addr ? DHCP4_INFORM : DHCP4_DISCOVER,
                     VENDOR_CLASS_UC_CLIENT, iface->has_addr, iface->addr, timeout_ms,
                     replies, err, sizeof err);
    close(sock);
    if (n <= 0) {
        step_end(w, s, STEP_FAIL,
                 "no DHCP server answered MS-UC-Client here: is a server or relay on this VLAN, "
                 "does it answer DHCPINFORM, and does the host firewall let UDP 68 in?",
                 "No response received for the DHCP discovery message%s%s.", n < 0 ? ": " : "",
                 n < 0 ? err : "");
        return -1;
    }
    /* "The first DHCP response with an FQDN is used." */
    for (int i = 0; i < n; i++) {
        uint8_t value[255];
        struct lync_problems problems = {0};
        int len120 = dhcp4_get_option(&replies[i].parsed, DHCP4_OPT_SIP_SERVERS, value, sizeof value);
        char registrar[256];
        lync_check_option120(len120 > 0 ? value : NULL, len120 > 0 ? (size_t)len120 : 0,
                             registrar, sizeof registrar, &problems);
        if (!registrar[0] || ipv4_parse(registrar, value) == 0)
            continue;
        uint8_t opt43[255];
        int len43 = dhcp4_get_option(&replies[i].parsed, DHCP4_OPT_VENDOR_SPECIFIC, opt43, sizeof opt43);
        lync_check_uc_option43(len43 > 0 ? opt43 : NULL, len43 > 0 ? (size_t)len43 : 0,
                               site->url, sizeof site->url, &problems);
        snprintf(site->registrar, sizeof site->registrar, "%s", registrar);
        int len = dhcp4_get_option(&replies[i].parsed, DHCP4_OPT_DOMAIN_NAME, value, sizeof value);
        if (len > 0 && !site->domain[0]) {
            snprintf(site->domain, sizeof site->domain, "%.*s", len, (const char *)value);
            size_t dlen = strlen(site->domain);
            while (dlen > 0 && (site->domain[dlen - 1] == '\0' || site->domain[dlen - 1] == '.'))
                site->domain[--dlen] = '\0';
            if (fqdn_validate(site->domain, err, sizeof err) != 0)
                site->domain[0] = '\0';
        }
        len = dhcp4_get_option(&replies[i].parsed, DHCP4_OPT_DNS_SERVERS, value, sizeof value);
        if (len >= 4 && !site->have_dns_server) {
            memcpy(site->dns_server, value, 4);
            site->have_dns_server = 1;
        }
        uint8_t server[4];
        server_id_of(&replies[i], server);
        printf("Response received for the DHCP Discovery message from %s. Found registrar "
               "fqdn : %s.\n", ip_text(server, ip), registrar);
        if (!site->url[0] || parse_url(site->url, site) != 0) {
            step_end(w, s, STEP_FAIL,
                     "option 43 for vendor class MS-UC-Client is missing or incomplete: run "
                     "lyncboot-probe emulate-client for the details",
                     "Registrar found, but no usable web service URL: %s",
                     problems.count ? problems.text[0] : "option 43 missing");
            return -1;
        }
        step_end(w, s, STEP_PASS, NULL, "Found web service url : %s.", site->url);
        return 0;
    }
    step_end(w, s, STEP_FAIL,
             "no server sent option 120 with an FQDN for MS-UC-Client (exact case): check the "
             "vendor class and option 120 (encoding 0, trailing 00)",
             "%d DHCP answer(s), none with a registrar FQDN in option 120.", n);
    return -1;
}

/* DORA as the phone does on the voice VLAN (--dora). The lease is shown, not configured
 * on the interface (the probe changes nothing on this host), and released at once. */
static void step_dora(struct bootstrap *b, const char *name)
{
    if (!b->dora)
        return;
    struct walk *w = &b->w;
    const struct iface_info *iface = b->target;
    const int timeout_ms = b->timeout_ms;
    char err[256], ip[16], server_ip[16];
    struct step *s = step_begin(w, name);
    int need_root = 0;
    int sock = net_dhcp_client_socket(iface->name, &need_root, err, sizeof err);
    if (sock < 0) {
        step_end(w, s, STEP_FAIL, need_root ? "run lyncboot-probe as root" : NULL, "%s", err);
        return;
    }
    static struct net_reply offers[NET_MAX_REPLIES], acks[NET_MAX_REPLIES];
    int n = dhcp_ask(sock, iface, DHCP4_DISCOVER, VENDOR_CLASS_UC_CLIENT, 0, NULL,
                     timeout_ms, offers, err, sizeof err);
    if (n <= 0) {
        close(sock);
        step_end(w, s, STEP_FAIL,
                 "no DHCP server offers addresses on this VLAN: a scope for the voice "
                 "subnet, or a relay (ip helper-address) to one?",
                 "No DHCPOFFER on %s%s%s.", iface->name, n < 0 ? ": " : "", n < 0 ? err : "");
        return;
    }
    uint8_t server[4], lease[4];
    server_id_of(&offers[0], server);
    memcpy(lease, offers[0].parsed.yiaddr, 4);
    struct dhcp4_query q = {.type = DHCP4_REQUEST, .xid = new_xid(),
                            .vendor_class = VENDOR_CLASS_UC_CLIENT,
                            .requested_addr = lease, .server_id = server,
                            .broadcast = 1 /* no address yet */};
    memcpy(q.mac, iface->mac, 6);
    uint8_t packet[DHCP4_MAX_LEN];
    int len = dhcp4_build_query(&q, packet, sizeof packet);
    int m = len < 0 ? -1
                    : net_dhcp_exchange(sock, packet, (size_t)len, q.xid, timeout_ms, acks,
                                        NET_MAX_REPLIES, err, sizeof err);
    int acked = 0;
    for (int i = 0; i < m; i++)
        acked |= acks[i].parsed.message_type == DHCP4_ACK;
    if (acked) {
        /* Give the address back: a test must not hold a phone's lease. */
        struct dhcp4_query release = {.type = DHCP4_RELEASE, .xid = new_xid(),
                                      .server_id = server};
        memcpy(release.mac, iface->mac, 6);
        memcpy(release.ciaddr, lease, 4);
        len = dhcp4_build_query(&release, packet, sizeof packet);
        if (len > 0)
            (void)net_dhcp_exchange(sock, packet, (size_t)len, release.xid, 0, acks, 0, err,
                                    sizeof err);
    }
    close(sock);
    if (!acked)
        step_end(w, s, STEP_FAIL, "the server offered but did not acknowledge the request",
                 "DHCPOFFER of %s from %s, but no DHCPACK.", ip_text(lease, ip),
                 ip_text(server, server_ip));
    else
        step_end(w, s, STEP_PASS, NULL,
                 "Lease of %s from %s (shown, not configured here; released again).",
                 ip_text(lease, ip), ip_text(server, server_ip));
}

static void step_dhcp(struct bootstrap *b, const char *name)
{
    b->dhcp_ok = dhcp_inform(b, name) == 0;
    if (b->dhcp_ok && !b->site.domain[0]) {
        /* No option 15: take the registrar's domain, as after sign-in the SIP domain. */
        const char *dot = strchr(b->site.registrar, '.');
        snprintf(b->site.domain, sizeof b->site.domain, "%s", dot ? dot + 1 : b->site.registrar);
        printf("No DNS domain from DHCP option 15 and no --sip-domain: using %s.\n\n",
               b->site.domain);
    }
}

/* --vlan-discovery, first as the phone does: LLDP-MED on the untagged port for at most
 * --lldp-wait; the switch's voice policy gives the VLAN. */
static void step_lldp(struct bootstrap *b, const char *name)
{
    if (!b->vlan_discovery || b->lldp_wait_ms == 0)
        return;
    struct step *s = step_begin(&b->w, name);
    printf("Sending LLDP-MED as an endpoint of class III on %s; waiting up to %.1f s for the "
           "switch's voice policy.\n", b->iface->name, b->lldp_wait_ms / 1000.0);
    static struct lldp_heard heard;
    char err[256];
    int need_root = 0;
    if (lldp_listen(b->iface, b->lldp_wait_ms, 1, &heard, &need_root, err, sizeof err) != 0) {
        step_end(&b->w, s, STEP_FAIL, need_root ? "run lyncboot-probe as root" : NULL, "%s", err);
        return;
    }
    size_t which = 0;
    const struct med_policy *voice = lldp_voice_policy(&heard, &which);
    const struct lldp_neighbor *sw = heard.neighbors ? &heard.neighbor[which].pdu : NULL;
    const char *sw_name = !sw ? "" : sw->system_name[0] ? sw->system_name : sw->chassis_id;
    if (voice && voice->tagged) {
        b->lldp_vlan = voice->vlan_id;
        step_end(&b->w, s, b->voice_ifname ? STEP_PASS : STEP_WARN, NULL,
                 "Voice VLAN %u from LLDP-MED (tagged, priority %u, DSCP %u; switch %s, port "
                 "%s); continuing on %s.", voice->vlan_id, voice->priority, voice->dscp, sw_name,
                 sw->port_id, b->voice_ifname ? b->voice_ifname : b->iface->name);
    } else if (voice) {
        step_end(&b->w, s, STEP_WARN,
                 "the switch's voice policy is untagged, so phones stay on the port's VLAN: "
                 "configure the policy 'tagged' with the voice VLAN",
                 "LLDP-MED voice policy from %s is untagged: no voice VLAN; the phone asks DHCP "
                 "(CPE-OCPHONE).", sw_name);
    } else if (sw) {
        step_end(&b->w, s, STEP_WARN, NULL,
                 "LLDP from %s, but no LLDP-MED voice policy: the phone asks DHCP "
                 "(CPE-OCPHONE).", sw_name);
    } else {
        step_end(&b->w, s, STEP_WARN, NULL,
                 "No LLDPDU within %.1f s: the phone asks DHCP (CPE-OCPHONE).",
                 b->lldp_wait_ms / 1000.0);
    }
}

/* --vlan-discovery when LLDP-MED gave no VLAN: DHCP with vendor class CPE-OCPHONE on the
 * untagged interface. */
static void step_vlan_discovery(struct bootstrap *b, const char *name)
{
    if (!b->vlan_discovery)
        return;
    if (b->lldp_vlan) {
        char why[128];
        snprintf(why, sizeof why, "the switch gave VLAN %u by LLDP-MED; the phone does not ask "
                                  "DHCP for one", b->lldp_vlan);
        step_skip(&b->w, name, why);
        return;
    }
    struct step *s = step_begin(&b->w, name);
    int need_root = 0;
    int vlan = discover_vlan(b->iface, b->timeout_ms, &need_root, 0);
    if (vlan > 0 && b->voice_ifname)
        step_end(&b->w, s, STEP_PASS, NULL,
                 "Voice VLAN %d from DHCP (CPE-OCPHONE); continuing on %s.", vlan,
                 b->voice_ifname);
    else if (vlan > 0)
        step_end(&b->w, s, STEP_WARN, NULL,
                 "Voice VLAN %d from DHCP (CPE-OCPHONE), but no --voice-interface: continuing "
                 "on %s.", vlan, b->iface->name);
    else
        step_end(&b->w, s, vlan < 0 ? STEP_FAIL : STEP_WARN,
                 vlan < 0 ? "cannot send on the interface (root needed?)" : NULL,
                 "No voice VLAN from CPE-OCPHONE: the phone stays untagged (VLAN ID 0).");
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

static void step_ntp_srv(struct bootstrap *b, const char *name)
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

static void step_registrar_srv(struct bootstrap *b, const char *name)
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

static void step_device_update(struct bootstrap *b, const char *name)
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
    else
        step_end(&b->w, s, STEP_PASS, NULL, "%s -> %s.", fqdn, ip_text(ans.a[0], ip));
}

/* The phone's clock: from NTP, else (flagged) this host's. */
static void step_ntp_query(struct bootstrap *b, const char *name)
{
    if (!b->ntp_target[0]) {
        step_skip(&b->w, name, "no NTP source found");
        return;
    }
    char err[512], ip[16];
    struct step *s = step_begin(&b->w, name);
    uint8_t addr[4];
    struct ntp_sample ntp;
    if (resolve(&b->site, b->ntp_target, b->timeout_ms, addr, err, sizeof err) != 0) {
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

static void step_cert_chain(struct bootstrap *b, const char *name)
{
    if (!b->dhcp_ok) {
        step_skip(&b->w, name, "needs the DHCP step");
    } else {
        char err[512];
        struct step *s = step_begin(&b->w, name);
        printf("Trying to download a certificate chain from web service.\nWeb Service url :\n"
               "http://%s%s\n", b->site.web_host, b->site.cert_path);
        long status = 0;
        if (resolve(&b->site, b->site.web_host, b->timeout_ms, b->web_addr, err, sizeof err) != 0) {
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
    } else if (resolve(&b->site, host, b->timeout_ms, addr, err, sizeof err) != 0) {
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
        const char *cause =
            strstr(tls.error, "not yet valid") || strstr(tls.error, "expired")
                ? "the certificate is not valid at the phone's NTP time: check the NTP "
                  "source and the certificate's dates"
            : strstr(tls.error, "hostname") || strstr(tls.error, "Hostname")
                ? "the certificate does not name the host the phone was given"
                : "the downloaded chain does not lead to this certificate's issuer";
        step_end(&b->w, s, STEP_FAIL, cause, "TLS to %s:%u: certificate %s rejected at %s time: %s",
                 host, port, tls.subject, clock, tls.error);
    } else {
        step_end(&b->w, s, tls.days_left < 30 ? STEP_WARN : STEP_PASS, NULL,
                 "TLS to %s:%u verified at %s time (%s), certificate expires in %ld days.",
                 host, port, clock, tls.subject, tls.days_left);
    }
}

static void step_web_tls(struct bootstrap *b, const char *name)
{
    tls_step(b, name, b->site.web_host, b->site.web_port, 1);
}

static void step_registrar_tls(struct bootstrap *b, const char *name)
{
    tls_step(b, name, b->site.registrar, b->registrar_port, 0);
}

static void step_pin_sign_in(struct bootstrap *b, const char *name)
{
    step_skip(&b->w, name, "needs a real Lync/SfB pool (web ticket, certificate enrollment, "
                           "SIP REGISTER with TLS-DSK); not emulated");
}

/* The walk, in the cmdlet's order and with its activity names. */
static const struct {
    const char *name;
    void (*run)(struct bootstrap *b, const char *name);
} STEPS[] = {
    {"LLDP", step_lldp},
    {"VLANDiscovery", step_vlan_discovery},
    {"DORA", step_dora},
    {"DHCPDiscovery", step_dhcp},
    {"NtpSrvLookup", step_ntp_srv},
    {"RegistrarSrvLookup", step_registrar_srv},
    {"DeviceUpdateLookup", step_device_update},
    {"NtpQuery", step_ntp_query},
    {"CertChainDownload", step_cert_chain},
    {"WebServiceTls", step_web_tls},
    {"RegistrarTls", step_registrar_tls},
    {"PinSignIn", step_pin_sign_in},
};

int cmd_bootstrap(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"interface", required_argument, NULL, 'i'},
        {"voice-interface", required_argument, NULL, 'v'},
        {"vlan-discovery", no_argument, NULL, 'd'},
        {"dora", no_argument, NULL, 'o'},
        {"sip-domain", required_argument, NULL, 's'},
        {"dns-server", required_argument, NULL, 'n'},
        {"ca", required_argument, NULL, 'c'},
        {"registrar-port", required_argument, NULL, 'r'},
        {"timeout", required_argument, NULL, 't'},
        {"max-offset", required_argument, NULL, 'm'},
        {"lldp-wait", required_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct bootstrap b;
    memset(&b, 0, sizeof b);
    b.timeout_ms = 3000;
    b.max_offset = DEFAULT_MAX_OFFSET;
    b.registrar_port = DEFAULT_REGISTRAR_PORT;
    b.lldp_wait_ms = DEFAULT_LLDP_WAIT_MS;
    const char *ifname = NULL;
    int json = 0, c;
    char err[512];
    while ((c = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': ifname = optarg; break;
        case 'v': b.voice_ifname = optarg; break;
        case 'd': b.vlan_discovery = 1; break;
        case 'o': b.dora = 1; break;
        case 'c': b.ca_file = optarg; break;
        case 'j': json = 1; break;
        case 's':
            if (fqdn_validate(optarg, err, sizeof err) != 0) {
                fprintf(stderr, "lyncboot-probe: --sip-domain '%s': %s\n", optarg, err);
                return EXIT_USAGE;
            }
            snprintf(b.site.domain, sizeof b.site.domain, "%s", optarg);
            break;
        case 'n':
            if (ipv4_parse(optarg, b.site.dns_server) != 0) {
                fprintf(stderr, "lyncboot-probe: --dns-server '%s' is not an IPv4 address\n",
                        optarg);
                return EXIT_USAGE;
            }
            b.site.have_dns_server = 1;
            break;
        case 'r':
            if (parse_port("--registrar-port", optarg, &b.registrar_port) != 0)
                return EXIT_USAGE;
            break;
        case 't':
            if (parse_timeout_ms(optarg, &b.timeout_ms) != 0)
                return EXIT_USAGE;
            break;
        case 'l':
            if (parse_seconds_ms("--lldp-wait", optarg, 0, 60, &b.lldp_wait_ms) != 0)
                return EXIT_USAGE;
            break;
        case 'm': {
            char *end;
            b.max_offset = strtod(optarg, &end);
            if (*end || end == optarg || !(b.max_offset >= 0.001 && b.max_offset <= 31536000)) {
                fprintf(stderr, "lyncboot-probe: --max-offset '%s': seconds, 0.001-31536000\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'h': probe_usage(stdout); return 0;
        default: return EXIT_USAGE;
        }
    }
    if (ifname == NULL || optind != argc) {
        fprintf(stderr, "lyncboot-probe: bootstrap needs --interface IF (try --help)\n");
        return EXIT_USAGE;
    }
    struct iface_info iface, voice;
    if (net_iface_info(ifname, &iface, err, sizeof err) != 0 ||
        (b.voice_ifname && net_iface_info(b.voice_ifname, &voice, err, sizeof err) != 0)) {
        fprintf(stderr, "lyncboot-probe: %s\n", err);
        return EXIT_USAGE;
    }
    if (b.ca_file && cert_chain_add_file(&b.extra_ca, b.ca_file, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-probe: --ca: %s\n", err);
        return EXIT_USAGE;
    }

    /* With --json the log goes to stderr and stdout carries only the JSON document. */
    int saved_stdout = -1;
    if (json) {
        fflush(stdout);
        saved_stdout = dup(STDOUT_FILENO);
        dup2(STDERR_FILENO, STDOUT_FILENO);
    }
    b.iface = &iface;
    b.target = b.voice_ifname ? &voice : &iface;
    b.ntp_port = 123;
    b.phone_time = time(NULL);
    walk_start(&b.w);
    for (size_t i = 0; i < sizeof STEPS / sizeof STEPS[0]; i++)
        STEPS[i].run(&b, STEPS[i].name);
    cert_chain_free(b.chain);
    cert_chain_free(b.extra_ca);

    walk_report_text(&b.w, b.site.url, b.site.registrar);
    if (json) {
        dup2(saved_stdout, STDOUT_FILENO);
        close(saved_stdout);
        walk_report_json(&b.w, b.site.url, b.site.registrar);
    }
    return walk_first_failure(&b.w) ? 1 : 0;
}
