/* SPDX-License-Identifier: MPL-2.0 */
#define _GNU_SOURCE
#include "probe_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int net_iface_info(const char *name, struct iface_info *info, char *err, size_t errlen)
{
    struct ifaddrs *list, *ifa;
    int found = 0;
    memset(info, 0, sizeof *info);
    if (strlen(name) >= IF_NAMESIZE) {
        snprintf(err, errlen, "interface name '%s' is too long", name);
        return -1;
    }
    snprintf(info->name, sizeof info->name, "%s", name);
    if (getifaddrs(&list) != 0) {
        snprintf(err, errlen, "cannot list interfaces: %s", strerror(errno));
        return -1;
    }
    for (ifa = list; ifa != NULL; ifa = ifa->ifa_next) {
        if (strcmp(ifa->ifa_name, name) != 0 || ifa->ifa_addr == NULL)
            continue;
        found = 1;
        info->up = (ifa->ifa_flags & IFF_UP) != 0;
        if (ifa->ifa_addr->sa_family == AF_INET && !info->has_addr) {
            memcpy(info->addr, &((struct sockaddr_in *)ifa->ifa_addr)->sin_addr, 4);
            info->has_addr = 1;
        } else if (ifa->ifa_addr->sa_family == AF_PACKET) {
            struct sockaddr_ll *ll = (struct sockaddr_ll *)ifa->ifa_addr;
            if (ll->sll_halen == 6)
                memcpy(info->mac, ll->sll_addr, 6);
        }
    }
    freeifaddrs(list);
    if (!found) {
        snprintf(err, errlen, "no interface '%s'", name);
        return -1;
    }
    return 0;
}

size_t net_other_active_ifaces(const char *skip_a, const char *skip_b,
                               char names[][IF_NAMESIZE], size_t max)
{
    struct ifaddrs *list, *ifa;
    size_t count = 0;
    if (getifaddrs(&list) != 0)
        return 0;
    for (ifa = list; ifa != NULL && count < max; ifa = ifa->ifa_next) {
        if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET ||
            !(ifa->ifa_flags & IFF_UP) || (ifa->ifa_flags & IFF_LOOPBACK))
            continue;
        if ((skip_a && strcmp(ifa->ifa_name, skip_a) == 0) ||
            (skip_b && strcmp(ifa->ifa_name, skip_b) == 0))
            continue;
        int seen = 0;
        for (size_t i = 0; i < count; i++)
            seen |= strcmp(names[i], ifa->ifa_name) == 0;
        if (!seen)
            snprintf(names[count++], IF_NAMESIZE, "%s", ifa->ifa_name);
    }
    freeifaddrs(list);
    return count;
}

int net_dhcp_client_socket(const char *ifname, int *need_root, char *err, size_t errlen)
{
    *need_root = 0;
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(68)};
    if (setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        setsockopt(sock, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0 ||
        setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) !=
            0 ||
        bind(sock, (struct sockaddr *)&any, sizeof any) != 0) {
        *need_root = errno == EACCES || errno == EPERM;
        snprintf(err, errlen, "cannot listen on UDP port 68 of %s: %s", ifname,
                 strerror(errno));
        close(sock);
        return -1;
    }
    return sock;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int net_dhcp_exchange(int sock, const uint8_t *query, size_t len, uint32_t xid,
                      int timeout_ms, struct net_reply *replies, size_t max, char *err,
                      size_t errlen)
{
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(67),
                             .sin_addr.s_addr = htonl(INADDR_BROADCAST)};
    if (sendto(sock, query, len, 0, (struct sockaddr *)&to, sizeof to) < 0) {
        snprintf(err, errlen, "sending the query: %s", strerror(errno));
        return -1;
    }
    size_t count = 0;
    long deadline = now_ms() + timeout_ms;
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0 || count >= max)
            break;
        struct pollfd pfd = {.fd = sock, .events = POLLIN};
        if (poll(&pfd, 1, (int)left) <= 0)
            continue;
        struct sockaddr_in from;
        socklen_t from_len = sizeof from;
        struct net_reply *r = &replies[count];
        ssize_t n = recvfrom(sock, r->data, sizeof r->data, 0, (struct sockaddr *)&from,
                             &from_len);
        if (n <= 0)
            continue;
        r->len = (size_t)n;
        /* Anything else on port 68 (other clients' traffic, garbage) is skipped. */
        if (dhcp4_parse_reply(r->data, r->len, &r->parsed) != 0 || r->parsed.op != 2 ||
            r->parsed.xid != xid)
            continue;
        memcpy(r->from, &from.sin_addr, 4);
        count++;
    }
    return (int)count;
}
