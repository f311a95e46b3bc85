/* SPDX-License-Identifier: MPL-2.0 */
#define _GNU_SOURCE
#include "dns_client.h"
#include "deadline.h"
#include "fqdn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/random.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A socket of type bound to source (NULL: the kernel's choice). */
static int socket_from(int type, const uint8_t *source)
{
    int sock = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (sock < 0 || !source)
        return sock;
    struct sockaddr_in local = {.sin_family = AF_INET};
    memcpy(&local.sin_addr, source, 4);
    if (bind(sock, (struct sockaddr *)&local, sizeof local) != 0) {
        int saved = errno;
        close(sock);
        errno = saved;
        return -1;
    }
    return sock;
}

long udp_exchange(const uint8_t addr[4], uint16_t port, const uint8_t *query, size_t len,
                  uint8_t *reply, size_t cap, int timeout_ms, char *err, size_t errlen)
{
    return udp_exchange_from(NULL, addr, port, query, len, reply, cap, timeout_ms, err, errlen);
}

/* A UDP exchange: send, then wait for one datagram from addr:port. */
long udp_exchange_from(const uint8_t *source, const uint8_t addr[4], uint16_t port,
                       const uint8_t *query, size_t len, uint8_t *reply, size_t cap,
                       int timeout_ms, char *err, size_t errlen)
{
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    memcpy(&to.sin_addr, addr, 4);
    int sock = socket_from(SOCK_DGRAM, source);
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

/* A query ID an off-path sender cannot guess (RFC 5452): from the kernel's CSPRNG. */
static uint16_t query_id(void)
{
    uint16_t id;
    if (getrandom(&id, sizeof id, 0) == (ssize_t)sizeof id)
        return id;
    struct timespec ts; /* getrandom cannot fail for 2 bytes once the pool is ready */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint16_t)(ts.tv_nsec ^ getpid());
}

/* The same query over TCP (RFC 7766), for an answer too large for UDP: two-byte length
 * prefix each way, the whole exchange within the deadline. */
static long tcp_exchange(const uint8_t *source, const uint8_t addr[4], const uint8_t *query,
                         size_t len, uint8_t *reply, size_t cap,
                         const struct timespec *deadline, char *err, size_t errlen)
{
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(53)};
    memcpy(&to.sin_addr, addr, 4);
    uint8_t out[2 + 600];
    if (len > sizeof out - 2)
        return -1;
    out[0] = (uint8_t)(len >> 8);
    out[1] = (uint8_t)len;
    memcpy(out + 2, query, len);
    int sock = socket_from(SOCK_STREAM | SOCK_NONBLOCK, source);
    long result = -1;
    const char *why = "connection failed";
    if (sock < 0)
        goto out;
    if (connect(sock, (struct sockaddr *)&to, sizeof to) != 0 && errno != EINPROGRESS)
        goto out;
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (deadline_wait_fd(sock, POLLOUT, deadline) != 0 ||
        getsockopt(sock, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
        why = soerr ? strerror(soerr) : "no connection in time";
        goto out;
    }
    if (send(sock, out, len + 2, MSG_NOSIGNAL) != (ssize_t)(len + 2)) {
        why = "send failed";
        goto out;
    }
    uint8_t prefix[2];
    size_t got = 0, want = 2;
    why = "no complete answer in time";
    while (got < want) {
        if (deadline_wait_fd(sock, POLLIN, deadline) != 0)
            goto out;
        uint8_t *dst = want == 2 ? prefix + got : reply + got;
        ssize_t n = recv(sock, dst, want - got, 0);
        if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR)))
            goto out;
        got += n > 0 ? (size_t)n : 0;
        if (want == 2 && got == 2) {
            want = (size_t)(prefix[0] << 8 | prefix[1]);
            got = 0;
            if (want > cap || want == 0) {
                why = "answer larger than lyncboot reads";
                goto out;
            }
        }
    }
    result = (long)want;
out:
    if (result < 0)
        snprintf(err, errlen, "TCP to %u.%u.%u.%u:53: %s", addr[0], addr[1], addr[2], addr[3],
                 why);
    if (sock >= 0)
        close(sock);
    return result;
}

int dns_lookup(const uint8_t server[4], const char *name, uint16_t type,
               enum dns_recursion recursion, int timeout_ms, struct dns_answer *ans,
               char *err, size_t errlen)
{
    return dns_lookup_from(NULL, server, name, type, recursion, timeout_ms, ans, err, errlen);
}

int dns_lookup_from(const uint8_t *source, const uint8_t server[4], const char *name,
                    uint16_t type, enum dns_recursion recursion, int timeout_ms,
                    struct dns_answer *ans, char *err, size_t errlen)
{
    uint8_t query[512], reply[65535];
    int qlen = dns_build_query(query_id(), name, type, DNS_EDNS_UDP_SIZE, recursion, query,
                               sizeof query);
    if (qlen < 0) {
        snprintf(err, errlen, "'%.260s' is not a valid DNS name", name);
        return -1;
    }
    /* One deadline for the whole look-up, the TCP retry included. */
    struct timespec deadline;
    deadline_after(&deadline, timeout_ms);
    long n = udp_exchange_from(source, server, 53, query, (size_t)qlen, reply,
                               DNS_EDNS_UDP_SIZE, timeout_ms, err, errlen);
    if (n < 0 || dns_parse_response(reply, (size_t)n, query, (size_t)qlen, ans, err, errlen))
        return -1;
    if (!ans->truncated)
        return 0;
    n = tcp_exchange(source, server, query, (size_t)qlen, reply, sizeof reply, &deadline, err, errlen);
    if (n < 0)
        return -1;
    return dns_parse_response(reply, (size_t)n, query, (size_t)qlen, ans, err, errlen);
}

int dns_resolve_a(const uint8_t server[4], const char *name, int timeout_ms, uint8_t out[4],
                  char *err, size_t errlen)
{
    if (ipv4_parse(name, out) == 0)
        return 0;
    struct dns_answer ans;
    if (dns_lookup(server, name, DNS_TYPE_A, DNS_RECURSIVE, timeout_ms, &ans, err, errlen) != 0)
        return -1;
    if (ans.a_count == 0) {
        snprintf(err, errlen, "%.200s has no A record (%s)", name,
                 ans.rcode == DNS_RCODE_NXDOMAIN ? "NXDOMAIN" : "no data");
        return -1;
    }
    memcpy(out, ans.a[0], 4);
    return 0;
}
