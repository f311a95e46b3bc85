/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe bootstrap: the DHCPINFORM with vendor class MS-UC-Client (registrar,
 * web services, DNS). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcp4_msg.h"
#include "fqdn.h"
#include "lync_checks.h"
#include "opt43.h"
#include "probe_bootstrap.h"
#include "probe_dhcp.h"

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

void step_dhcp(struct bootstrap *b, const char *name)
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
