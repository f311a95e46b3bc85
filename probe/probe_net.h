/* SPDX-License-Identifier: MPL-2.0 */
/* The probe's view of this host's interfaces and its DHCP client socket. */
#ifndef LYNCBOOT_PROBE_NET_H
#define LYNCBOOT_PROBE_NET_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp4_msg.h"

struct iface_info {
    char name[IF_NAMESIZE];
    int up;
    int has_addr;
    uint8_t addr[4];
    uint8_t mac[6];
};

/* Looks an interface up. Returns 0, or -1 with a reason. */
int net_iface_info(const char *name, struct iface_info *info, char *err, size_t errlen);

/* Lists interfaces other than skip_a/skip_b that are up, not loopback and hold an
 * IPv4 address (the field advice: test with exactly one interface active). */
size_t net_other_active_ifaces(const char *skip_a, const char *skip_b,
                               char names[][IF_NAMESIZE], size_t max);

/* A UDP socket on 0.0.0.0:68 bound to the interface, allowed to broadcast. Returns
 * the descriptor, or -1 with a reason (and *need_root set when it was a permission). */
int net_dhcp_client_socket(const char *ifname, int *need_root, char *err, size_t errlen);

#define NET_MAX_REPLIES 16

struct net_reply {
    uint8_t from[4];
    uint8_t data[DHCP4_MAX_LEN];
    size_t len;
    struct dhcp4_reply parsed; /* points into data */
};

/* Sends the query to 255.255.255.255:67 and collects every reply with its xid for
 * timeout_ms. Returns the number of replies, or -1 with a reason. */
int net_dhcp_exchange(int sock, const uint8_t *query, size_t len, uint32_t xid,
                      int timeout_ms, struct net_reply *replies, size_t max, char *err,
                      size_t errlen);

#endif
