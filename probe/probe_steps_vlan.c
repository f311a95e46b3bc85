/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe bootstrap: the VLAN (LLDP-MED, then CPE-OCPHONE DHCP) and DORA on it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcp4_msg.h"
#include "opt43.h"
#include "probe_bootstrap.h"
#include "probe_dhcp.h"
#include "probe_lldp.h"

/* DORA as the phone does on the voice VLAN (--dora). The lease is shown, not configured
 * on the interface (the probe changes nothing on this host), and released at once. */
void step_dora(struct bootstrap *b, const char *name)
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

/* --vlan-discovery, first as the phone does: LLDP-MED on the untagged port for at most
 * --lldp-wait; the switch's voice policy gives the VLAN. */
void step_lldp(struct bootstrap *b, const char *name)
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
void step_vlan_discovery(struct bootstrap *b, const char *name)
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
