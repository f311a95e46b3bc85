/* SPDX-License-Identifier: MPL-2.0 */
/* LLDP on a packet socket: the phone's LLDPDU out, the switch's in. */
#define _GNU_SOURCE
#include "probe_lldp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errtext.h"

#define FAST_START_FRAMES 4 /* TIA-1057 fast start: one a second at first */
#define ETHER_HEADER 14

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_socket(const struct iface_info *iface, int *ifindex, int *need_root, char *err,
                       size_t errlen)
{
    int sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(LLDP_ETHERTYPE));
    if (sock < 0) {
        *need_root = errno == EPERM || errno == EACCES;
        return errtext_fail(err, errlen, "packet socket for LLDP: %s", strerror(errno));
    }
    struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(LLDP_ETHERTYPE),
                              .sll_ifindex = (int)if_nametoindex(iface->name)};
    static const uint8_t group[6] = LLDP_MULTICAST_ADDR;
    struct packet_mreq mr = {.mr_ifindex = sll.sll_ifindex, .mr_type = PACKET_MR_MULTICAST,
                             .mr_alen = 6};
    memcpy(mr.mr_address, group, 6);
    if (sll.sll_ifindex == 0 || bind(sock, (struct sockaddr *)&sll, sizeof sll) != 0 ||
        setsockopt(sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0) {
        int saved = errno;
        close(sock);
        return errtext_fail(err, errlen, "LLDP on %s: %s", iface->name, strerror(saved));
    }
    *ifindex = sll.sll_ifindex;
    return sock;
}

static int send_lldpdu(int sock, int ifindex, const struct iface_info *iface,
                       const uint8_t *pdu, size_t len)
{
    static const uint8_t group[6] = LLDP_MULTICAST_ADDR;
    uint8_t frame[ETHER_HEADER + LLDP_PDU_MAX];
    memcpy(frame, group, 6);
    memcpy(frame + 6, iface->mac, 6);
    frame[12] = LLDP_ETHERTYPE >> 8;
    frame[13] = LLDP_ETHERTYPE & 0xff;
    memcpy(frame + ETHER_HEADER, pdu, len);
    struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(LLDP_ETHERTYPE),
                             .sll_ifindex = ifindex, .sll_halen = 6};
    memcpy(to.sll_addr, group, 6);
    return sendto(sock, frame, ETHER_HEADER + len, 0, (struct sockaddr *)&to, sizeof to) ==
                   (ssize_t)(ETHER_HEADER + len)
               ? 0
               : -1;
}

/* One received frame: a neighbor's first LLDPDU is kept, later ones counted. */
static void take_frame(struct lldp_heard *heard, const uint8_t *frame, size_t len, double after)
{
    const uint8_t *from = frame + 6;
    size_t i;
    for (i = 0; i < heard->neighbors; i++)
        if (memcmp(heard->neighbor[i].from, from, 6) == 0)
            break;
    if (i < heard->neighbors) {
        heard->neighbor[i].frames++;
        return;
    }
    struct lldp_neighbor pdu;
    char err[256];
    if (lldp_decode(frame + ETHER_HEADER, len - ETHER_HEADER, &pdu, err, sizeof err) != 0) {
        if (heard->malformed++ == 0) {
            snprintf(heard->malformed_error, sizeof heard->malformed_error, "%s", err);
            memcpy(heard->malformed_from, from, 6);
        }
        return;
    }
    if (heard->neighbors == LLDP_HEARD_MAX)
        return;
    i = heard->neighbors++;
    memcpy(heard->neighbor[i].from, from, 6);
    heard->neighbor[i].after = after;
    heard->neighbor[i].frames = 1;
    heard->neighbor[i].pdu = pdu;
}

const struct med_policy *lldp_voice_policy(const struct lldp_heard *heard, size_t *which)
{
    for (size_t i = 0; i < heard->neighbors; i++) {
        const struct med_policy *p = lldp_neighbor_policy(&heard->neighbor[i].pdu, MED_APP_VOICE);
        if (p && !p->unknown) {
            if (which)
                *which = i;
            return p;
        }
    }
    return NULL;
}

int lldp_listen(const struct iface_info *iface, int wait_ms, int stop_on_voice,
                struct lldp_heard *heard, int *need_root, char *err, size_t errlen)
{
    memset(heard, 0, sizeof *heard);
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    struct lldp_endpoint phone = {.interface = iface->name, .system_name = host,
                                  .manufacturer = "lyncboot", .model = "lyncboot-probe",
                                  .software = LYNCBOOT_VERSION, .ttl = 120};
    memcpy(phone.mac, iface->mac, 6);
    uint8_t pdu[LLDP_PDU_MAX];
    int pdu_len = lldp_encode_endpoint(&phone, pdu, sizeof pdu, err, errlen);
    if (pdu_len < 0)
        return -1;
    int ifindex = 0;
    int sock = open_socket(iface, &ifindex, need_root, err, errlen);
    if (sock < 0)
        return -1;
    const double start = now_seconds(), end = start + wait_ms / 1000.0;
    double next_send = start;
    for (;;) {
        double now = now_seconds();
        if (heard->sent < FAST_START_FRAMES && now >= next_send) {
            if (send_lldpdu(sock, ifindex, iface, pdu, (size_t)pdu_len) != 0) {
                int saved = errno;
                close(sock);
                return errtext_fail(err, errlen, "sending LLDP on %s: %s", iface->name,
                                    strerror(saved));
            }
            heard->sent++;
            next_send = now + 1.0;
        }
        if (now >= end || (stop_on_voice && lldp_voice_policy(heard, NULL)))
            break;
        double until = end;
        if (heard->sent < FAST_START_FRAMES && next_send < until)
            until = next_send;
        struct pollfd pfd = {.fd = sock, .events = POLLIN};
        int ms = (int)((until - now) * 1000.0) + 1;
        if (poll(&pfd, 1, ms) <= 0)
            continue;
        uint8_t frame[ETHER_HEADER + LLDP_PDU_MAX + 64];
        struct sockaddr_ll from;
        socklen_t from_len = sizeof from;
        ssize_t n = recvfrom(sock, frame, sizeof frame, 0, (struct sockaddr *)&from, &from_len);
        /* Our own frames come back as outgoing; a frame shorter than a header is noise. */
        if (n < ETHER_HEADER || from.sll_pkttype == PACKET_OUTGOING ||
            memcmp(frame + 6, iface->mac, 6) == 0)
            continue;
        take_frame(heard, frame, (size_t)n, now_seconds() - start);
    }
    /* Goodbye: the switch forgets this endpoint, and the next run is new to it again. */
    int bye = lldp_encode_shutdown(&phone, pdu, sizeof pdu);
    if (bye > 0)
        (void)send_lldpdu(sock, ifindex, iface, pdu, (size_t)bye);
    close(sock);
    return 0;
}
