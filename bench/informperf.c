/* SPDX-License-Identifier: MPL-2.0 */
/* informperf: a closed-loop DHCPINFORM load generator (perfdhcp cannot count INFORM
 * exchanges: their ACKs go to ciaddr or giaddr, outside its DORA bookkeeping).
 * It acts as a relay: binds LOCAL:67, sends INFORMs with giaddr = LOCAL to SERVER:67
 * and keeps WINDOW of them in flight for SECONDS, counting ACKs and those that carry
 * option 43 and 120. With COUNT it stops after that many ACKs (for instruction
 * counts under callgrind). With -d it sends DISCOVERs and counts OFFERs instead: a
 * client that parses replies cheaply, unlike perfdhcp, whose full option parsing
 * slows it (and the shared CPU) as replies grow. With -p it sleeps that long between
 * rounds instead of waiting on the socket (then give a WINDOW that covers the pause).
 * With -w it spins that long per reply: how much the client's own work per reply moves
 * the server's figures on a machine where the two share CPUs.
 * Traffic goes only to SERVER. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcp4_msg.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    enum dhcp4_type query_type = DHCP4_INFORM, reply_type = DHCP4_ACK;
    long pause_us = 0, spin_ns = 0;
    for (; argc > 1 && argv[1][0] == '-'; argc--, argv++) {
        if (strcmp(argv[1], "-d") == 0) {
            query_type = DHCP4_DISCOVER;
            reply_type = DHCP4_OFFER;
        } else if (strcmp(argv[1], "-w") == 0 && argc > 2) {
            spin_ns = atol(argv[2]);
            argc--;
            argv++;
        } else if (strcmp(argv[1], "-p") == 0 && argc > 2) {
            pause_us = atol(argv[2]);
            argc--;
            argv++;
        } else {
            break;
        }
    }
    if ((argc != 6 && argc != 7) || pause_us < 0 || pause_us > 100000 || spin_ns < 0 ||
        spin_ns > 100000) {
        fprintf(stderr, "usage: informperf [-d] [-p MICROSECONDS] [-w NANOSECONDS] LOCAL SERVER "
                        "SECONDS WINDOW VENDOR-CLASS [COUNT]\n");
        return 2;
    }
    struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = htons(67)};
    struct sockaddr_in server = {.sin_family = AF_INET, .sin_port = htons(67)};
    if (inet_pton(AF_INET, argv[1], &local.sin_addr) != 1 ||
        inet_pton(AF_INET, argv[2], &server.sin_addr) != 1) {
        fprintf(stderr, "informperf: LOCAL and SERVER must be IPv4 addresses\n");
        return 2;
    }
    double seconds = atof(argv[3]);
    int window = atoi(argv[4]);
    const char *vendor_class = argv[5];
    long count = argc == 7 ? atol(argv[6]) : 0;
    if (seconds <= 0 || seconds > 600 || window < 1 || window > 4096) {
        fprintf(stderr, "informperf: SECONDS 0-600, WINDOW 1-4096\n");
        return 2;
    }

    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    int one = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (sock < 0 || bind(sock, (struct sockaddr *)&local, sizeof local) != 0) {
        fprintf(stderr, "informperf: bind %s:67: %s\n", argv[1], strerror(errno));
        return 1;
    }

    struct dhcp4_query query = {.type = query_type, .vendor_class = vendor_class,
                                .param_request = dhcp4_lync_phone_request,
                                .param_request_len = sizeof dhcp4_lync_phone_request};
    memcpy(query.giaddr, &local.sin_addr, 4);
    uint8_t packet[DHCP4_MAX_LEN], reply_buf[DHCP4_MAX_LEN], value[255];
    uint32_t xid = 1;
    long sent = 0, acks = 0, with_options = 0;
    int in_flight = 0;
    double start = now(), end = start + seconds, last_reply = start;

    while (now() < end && (count == 0 || acks < count)) {
        while (in_flight < window && (count == 0 || sent < count)) {
            query.xid = xid++;
            /* A different client per query, as in a boot storm. */
            query.mac[0] = 0x02;
            memcpy(query.mac + 2, &query.xid, 4);
            int len = dhcp4_build_query(&query, packet, sizeof packet);
            if (len < 0 || sendto(sock, packet, (size_t)len, 0, (struct sockaddr *)&server,
                                  sizeof server) < 0)
                break;
            sent++;
            in_flight++;
        }
        struct pollfd pfd = {.fd = sock, .events = POLLIN};
        if (pause_us > 0) {
            /* Paced: sleep on a timer, not on the socket, and take the replies that came
             * meanwhile in one go. The server's sends then never have to wake the
             * client, and the client's share of the CPUs stays small and the same
             * whatever the replies hold. */
            struct timespec pause = {.tv_sec = 0, .tv_nsec = pause_us * 1000};
            nanosleep(&pause, NULL);
        }
        if (poll(&pfd, 1, 20) > 0) {
            ssize_t n;
            while ((n = recv(sock, reply_buf, sizeof reply_buf, MSG_DONTWAIT)) > 0) {
                struct dhcp4_reply reply;
                if (dhcp4_parse_reply(reply_buf, (size_t)n, &reply) != 0 ||
                    reply.message_type != (int)reply_type)
                    continue;
                acks++;
                in_flight--;
                if (dhcp4_get_option(&reply, DHCP4_OPT_VENDOR_SPECIFIC, value, sizeof value) > 0 &&
                    dhcp4_get_option(&reply, DHCP4_OPT_SIP_SERVERS, value, sizeof value) > 0)
                    with_options++;
                if (spin_ns > 0) /* extra client work per reply (bench's own checks) */
                    for (double until = now() + (double)spin_ns / 1e9; now() < until;)
                        ;
                last_reply = now();
            }
        } else if (now() - last_reply > (count ? 5.0 : 0.1)) {
            in_flight = 0; /* lost replies: refill the window */
            last_reply = now();
        }
    }
    double elapsed = now() - start;
    printf("sent=%ld acks=%ld with_43_120=%ld seconds=%.3f acks_per_second=%.0f\n", sent,
           acks, with_options, elapsed, (double)acks / elapsed);
    close(sock);
    return 0;
}
