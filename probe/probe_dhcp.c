/* SPDX-License-Identifier: MPL-2.0 */
/* The phone's DHCP exchanges, shared by emulate-client and bootstrap. */
#define _GNU_SOURCE
#include "probe_dhcp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opt43.h"
#include "probe.h"

/* What the phone asks for: 1 3 6 15 (addressing, DNS, domain), 42 2 (time), 43 120. */

const char *ip_text(const uint8_t addr[4], char *buf)
{
    snprintf(buf, 16, "%u.%u.%u.%u", addr[0], addr[1], addr[2], addr[3]);
    return buf;
}

uint32_t new_xid(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint32_t)(ts.tv_nsec ^ (ts.tv_sec << 12) ^ getpid());
}

/* One query on the segment; replies land in replies[]. */
int dhcp_ask(int sock, const struct iface_info *iface, enum dhcp4_type type,
               const char *vendor_class, int use_ciaddr, const uint8_t *ciaddr,
               int timeout_ms, struct net_reply *replies, char *err, size_t errlen)
{
    uint8_t packet[DHCP4_MAX_LEN];
    struct dhcp4_query q = {.type = type, .xid = new_xid(), .vendor_class = vendor_class,
                            .param_request = dhcp4_lync_phone_request,
                            .param_request_len = sizeof dhcp4_lync_phone_request,
                            /* without an address of its own it asks for a broadcast */
                            .broadcast = !use_ciaddr};
    memcpy(q.mac, iface->mac, 6);
    if (use_ciaddr)
        memcpy(q.ciaddr, ciaddr, 4);
    int len = dhcp4_build_query(&q, packet, sizeof packet);
    if (len < 0) {
        snprintf(err, errlen, "cannot build the query");
        return -1;
    }
    return net_dhcp_exchange(sock, packet, (size_t)len, q.xid, timeout_ms, replies,
                             NET_MAX_REPLIES, err, errlen);
}

int server_id_of(const struct net_reply *r, uint8_t out[4])
{
    uint8_t id[255];
    if (dhcp4_get_option(&r->parsed, DHCP4_OPT_SERVER_ID, id, sizeof id) == 4) {
        memcpy(out, id, 4);
        return 1;
    }
    memcpy(out, r->from, 4);
    return 0;
}

/* VLAN discovery on the untagged segment: CPE-OCPHONE in a DISCOVER, as the phone
 * does when LLDP-MED says nothing. Returns the VLAN id (word, else ascii, else byte),
 * 0 when no server sent one, -1 on a local error. */
int discover_vlan(const struct iface_info *iface, int timeout_ms, int *need_root, int quiet)
{
    char err[256];
    static struct net_reply replies[NET_MAX_REPLIES];
    int sock = net_dhcp_client_socket(iface->name, need_root, err, sizeof err);
    if (sock < 0) {
        fprintf(stderr, "lyncboot-probe: %s\n", err);
        return -1;
    }
    if (!quiet)
        printf("'VLANDiscovery' activity started on %s: DHCPDISCOVER with vendor class %s\n",
               iface->name, VENDOR_CLASS_CPE_OCPHONE);
    int n = dhcp_ask(sock, iface, DHCP4_DISCOVER, VENDOR_CLASS_CPE_OCPHONE, 0, NULL, timeout_ms,
                replies, err, sizeof err);
    close(sock);
    if (n < 0) {
        fprintf(stderr, "lyncboot-probe: %s\n", err);
        return -1;
    }
    int vlan = 0;
    for (int i = 0; i < n; i++) {
        uint8_t server[4], opt43[255];
        char ip[16];
        server_id_of(&replies[i], server);
        int len = dhcp4_get_option(&replies[i].parsed, DHCP4_OPT_VENDOR_SPECIFIC, opt43, sizeof opt43);
        if (!quiet)
            printf("  DHCP server %s answered (%s):\n", ip_text(server, ip),
                   replies[i].parsed.message_type == DHCP4_OFFER ? "DHCPOFFER" : "other");
        if (len <= 0) {
            if (!quiet)
                printf("    no option 43: this server sends no voice VLAN\n");
            continue;
        }
        struct vlan_decoded dec;
        if (!quiet)
            report_vlan_option43(opt43, (size_t)len);
        if (opt43_decode_vlan(opt43, (size_t)len, &dec) != 0 || !dec.present)
            continue;
        int this_vlan = dec.as_word > 0 && dec.as_word <= 4094 ? dec.as_word
                        : dec.as_ascii > 0 && dec.as_ascii <= 4094 ? dec.as_ascii
                        : dec.as_byte > 0 ? dec.as_byte : 0;
        if (vlan == 0)
            vlan = this_vlan;
    }
    if (quiet)
        return vlan;
    if (n == 0)
        printf("  no DHCP server answered CPE-OCPHONE on %s within %d ms\n", iface->name,
               timeout_ms);
    printf("'VLANDiscovery' activity completed: %s\n\n",
           vlan ? "voice VLAN found" : "no voice VLAN (the phone stays untagged, VLAN ID 0)");
    return vlan;
}

