/* SPDX-License-Identifier: MPL-2.0 */
/* The phone's DHCP exchanges: the queries it sends and VLAN discovery. */
#ifndef LYNCBOOT_PROBE_DHCP_H
#define LYNCBOOT_PROBE_DHCP_H

#include <stdint.h>

#include "dhcp4_msg.h"
#include "probe_net.h"

/* Dotted quad of addr, written into buf (16 bytes). */
const char *ip_text(const uint8_t addr[4], char *buf);
uint32_t new_xid(void);

/* One query as the phone sends it (PRL 1 3 6 15 42 2 43 120), broadcast on the
 * interface; with use_ciaddr the server answers ciaddr by unicast, else the BROADCAST
 * flag asks it to broadcast. Returns the number of replies, or -1 with a reason. */
int dhcp_ask(int sock, const struct iface_info *iface, enum dhcp4_type type,
             const char *vendor_class, int use_ciaddr, const uint8_t *ciaddr, int timeout_ms,
             struct net_reply *replies, char *err, size_t errlen);

/* Option 54 of a reply, else its source address. Returns 1 when option 54 was there. */
int server_id_of(const struct net_reply *reply, uint8_t out[4]);

/* CPE-OCPHONE DISCOVER on the untagged interface, reported as it goes unless quiet.
 * Returns the voice VLAN (word, else ascii, else byte reading), 0 for none, -1 on a
 * local error (*need_root set when it was a permission). */
int discover_vlan(const struct iface_info *iface, int timeout_ms, int *need_root, int quiet);

#endif
