/* SPDX-License-Identifier: MPL-2.0 */
/* Remote probing: our own RFC 5905 client (mode 3), every target at once, so 64
 * targets cost about one round trip of the slowest. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ntpc.h"

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

struct sample {
    double offset, delay;
};

void ntpc_probe_targets(struct ntpc_target *t, size_t count, int samples, int timeout_ms,
                        const uint8_t *source)
{
    struct probe_state {
        struct pollfd pfd[NTPC_MAX_TARGETS];
        struct ntp_client_exchange exchange[NTPC_MAX_TARGETS];
        struct sample got[NTPC_MAX_TARGETS][NTPC_MAX_SAMPLES];
        int waiting[NTPC_MAX_TARGETS];
    } *st = calloc(1, sizeof *st);
    char err[200];
    if (st == NULL || count > NTPC_MAX_TARGETS) {
        for (size_t i = 0; i < count && i < NTPC_MAX_TARGETS; i++)
            snprintf(t[i].problem, sizeof t[i].problem, "out of memory");
        free(st);
        return;
    }
    struct pollfd *pfd = st->pfd;
    struct ntp_client_exchange *exchange = st->exchange;
    int *waiting = st->waiting;
    struct sample (*got)[NTPC_MAX_SAMPLES] = st->got;

    for (size_t i = 0; i < count; i++) {
        t[i].answered = 0;
        t[i].verdict = NTP_REPLY_INVALID;
        if (t[i].unusable) { /* its problem says why */
            pfd[i].fd = -1;
            continue;
        }
        t[i].problem[0] = '\0';
        pfd[i].fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        pfd[i].events = POLLIN;
        struct sockaddr_in local = {.sin_family = AF_INET};
        if (source)
            memcpy(&local.sin_addr, source, 4);
        struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(t[i].port)};
        memcpy(&to.sin_addr, t[i].addr, 4);
        if (pfd[i].fd < 0 || bind(pfd[i].fd, (struct sockaddr *)&local, sizeof local) != 0 ||
            connect(pfd[i].fd, (struct sockaddr *)&to, sizeof to) != 0) {
            snprintf(t[i].problem, sizeof t[i].problem, "cannot send from %s: %s",
                     source ? "--source" : "this host", strerror(errno));
            if (pfd[i].fd >= 0)
                close(pfd[i].fd);
            pfd[i].fd = -1;
        }
    }
    for (int round = 0; round < samples; round++) {
        size_t pending = 0;
        for (size_t i = 0; i < count; i++) {
            waiting[i] = 0;
            if (pfd[i].fd < 0)
                continue;
            uint8_t request[NTP_PACKET_LEN];
            if (ntp_client_start(&exchange[i], request) != 0) {
                snprintf(t[i].problem, sizeof t[i].problem, "no randomness for the request");
                continue;
            }
            if (send(pfd[i].fd, request, sizeof request, 0) == (ssize_t)sizeof request) {
                waiting[i] = 1;
                pending++;
            }
        }
        long deadline = now_ms() + timeout_ms;
        while (pending > 0) {
            long left = deadline - now_ms();
            if (left <= 0)
                break;
            for (size_t i = 0; i < count; i++)
                pfd[i].events = waiting[i] ? POLLIN : 0;
            if (poll(pfd, (nfds_t)count, (int)left) <= 0)
                continue;
            for (size_t i = 0; i < count; i++) {
                if (!waiting[i] || !(pfd[i].revents & (POLLIN | POLLERR)))
                    continue;
                uint8_t reply[512];
                ssize_t n = recv(pfd[i].fd, reply, sizeof reply, 0);
                struct timespec received = ntp_client_now();
                if (n < 0) {
                    if (errno == ECONNREFUSED)
                        snprintf(t[i].problem, sizeof t[i].problem, "port %u closed (ICMP "
                                 "unreachable)", t[i].port);
                    waiting[i] = 0;
                    pending--;
                    continue;
                }
                struct ntp_sample sample;
                enum ntp_verdict v = ntp_client_finish(&exchange[i], reply, (size_t)n, received,
                                                       &sample, err, sizeof err);
                if (v == NTP_REPLY_INVALID) {
                    /* A stale or forged reply: keep waiting for the real one, but say so. */
                    snprintf(t[i].problem, sizeof t[i].problem, "invalid reply: %.150s", err);
                    continue;
                }
                waiting[i] = 0;
                pending--;
                t[i].verdict = v;
                t[i].reply = sample.reply;
                if (v == NTP_REPLY_OK && t[i].answered < NTPC_MAX_SAMPLES) {
                    got[i][t[i].answered++] = (struct sample){sample.offset, sample.delay};
                    t[i].problem[0] = '\0';
                }
            }
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (pfd[i].fd >= 0)
            close(pfd[i].fd);
        if (t[i].answered == 0)
            continue;
        /* The sample with the least delay is the least disturbed (NTP's clock filter). */
        size_t best = 0;
        double mean = 0;
        for (int k = 0; k < t[i].answered; k++) {
            if (got[i][k].delay < got[i][best].delay)
                best = (size_t)k;
            mean += got[i][k].offset / t[i].answered;
        }
        double var = 0;
        for (int k = 0; k < t[i].answered; k++)
            var += (got[i][k].offset - mean) * (got[i][k].offset - mean) / t[i].answered;
        t[i].offset = got[i][best].offset;
        t[i].delay = got[i][best].delay;
        t[i].jitter = sqrt(var);
        t[i].root_distance = t[i].reply.root_delay / 2 + t[i].reply.root_dispersion +
                             t[i].delay / 2;
        t[i].verdict = NTP_REPLY_OK;
    }
    free(st);
}
