/* SPDX-License-Identifier: MPL-2.0 */
/* One NTP client exchange (RFC 5905 s8, mode 3), the same for every lyncboot program
 * that asks a server for the time: the request, the local send and receive times, and
 * the sample a reply gives. The request's transmit timestamp is random, not the clock
 * (as chrony sends it): the request does not tell this host's time, and a reply must
 * echo 64 bits an off-path forger cannot guess. Times are CLOCK_REALTIME timespecs. */
#ifndef LYNCBOOT_NTP_CLIENT_H
#define LYNCBOOT_NTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ntpwire.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ntp_client_exchange {
    struct ntp_timestamp origin; /* the random transmit timestamp the reply must echo */
    struct timespec sent;        /* t1: when the request left */
};

struct ntp_sample {
    enum ntp_verdict verdict;
    struct ntp_reply reply;
    double offset, delay; /* seconds (server - client; round trip), for OK and
                             UNSYNCHRONIZED verdicts */
    double server_time;   /* Unix seconds: the server's clock when the reply came */
};

/* Writes the request and notes its time. Call right before sending it. Returns 0, or
 * -1 when the system has no randomness to give. */
int ntp_client_start(struct ntp_client_exchange *x, uint8_t request[NTP_PACKET_LEN]);

/* Checks a reply that arrived at received (t4) and fills out. Returns the verdict;
 * for NTP_REPLY_INVALID err says why. */
enum ntp_verdict ntp_client_finish(const struct ntp_client_exchange *x, const uint8_t *in,
                                   size_t len, struct timespec received,
                                   struct ntp_sample *out, char *err, size_t errlen);

/* CLOCK_REALTIME now. */
struct timespec ntp_client_now(void);

#ifdef __cplusplus
}
#endif

#endif
