/* SPDX-License-Identifier: MPL-2.0 */
#define _GNU_SOURCE
#include "dns_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A UDP exchange: send, then wait for one datagram from addr:port. */
long udp_exchange(const uint8_t addr[4], uint16_t port, const uint8_t *query,
                            size_t len, uint8_t *reply, size_t cap, int timeout_ms,
                            char *err, size_t errlen)
{
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    memcpy(&to.sin_addr, addr, 4);
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&to, sizeof to) != 0 ||
        send(sock, query, len, 0) < 0) {
        snprintf(err, errlen, "cannot send to %u.%u.%u.%u:%u: %s", addr[0], addr[1], addr[2],
                 addr[3], port, strerror(errno));
        if (sock >= 0)
            close(sock);
        return -1;
    }
    struct pollfd pfd = {.fd = sock, .events = POLLIN};
    ssize_t n = -1;
    if (poll(&pfd, 1, timeout_ms) > 0)
        n = recv(sock, reply, cap, 0);
    if (n < 0)
        snprintf(err, errlen, "no answer from %u.%u.%u.%u:%u within %d ms%s", addr[0],
                 addr[1], addr[2], addr[3], port, timeout_ms,
                 errno == ECONNREFUSED ? " (port closed)" : "");
    close(sock);
    return n;
}

static uint16_t query_id(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint16_t)(ts.tv_nsec / 1000 ^ (unsigned long)getpid());
}

int dns_lookup(const uint8_t server[4], const char *name, uint16_t type, int timeout_ms,
               struct dns_answer *ans, char *err, size_t errlen)
{
    uint8_t query[512], reply[4096];
    uint16_t id = query_id();
    int qlen = dns_build_query(id, name, type, query, sizeof query);
    if (qlen < 0) {
        snprintf(err, errlen, "'%s' is not a valid DNS name", name);
        return -1;
    }
    long n = udp_exchange(server, 53, query, (size_t)qlen, reply, sizeof reply, timeout_ms,
                             err, errlen);
    if (n < 0)
        return -1;
    return dns_parse_response(reply, (size_t)n, id, ans, err, errlen);
}

