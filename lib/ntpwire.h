/* SPDX-License-Identifier: MPL-2.0 */
/* NTP (RFC 5905) client packets: a mode 3 request and the checks a client makes on
 * the server's reply. */
#ifndef LYNCBOOT_NTPWIRE_H
#define LYNCBOOT_NTPWIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NTP_PACKET_LEN 48
#define NTP_UNIX_EPOCH_OFFSET 2208988800u /* seconds from 1900 to 1970 */

struct ntp_timestamp {
    uint32_t seconds;
    uint32_t fraction;
};

struct ntp_timestamp ntp_from_unix(double unix_seconds);
double ntp_to_unix(struct ntp_timestamp ts);

/* Writes a version 4, mode 3 request whose transmit timestamp is transmit (the reply
 * must echo it as its origin timestamp). */
void ntp_build_request(struct ntp_timestamp transmit, uint8_t out[NTP_PACKET_LEN]);

enum ntp_verdict {
    NTP_REPLY_OK,
    NTP_REPLY_KISS_OF_DEATH,  /* stratum 0: kiss holds the code (RATE, DENY, RSTR, ...) */
    NTP_REPLY_UNSYNCHRONIZED, /* leap indicator 3, or stratum 16 */
    NTP_REPLY_INVALID,        /* short, wrong mode or version, origin mismatch */
};

struct ntp_reply {
    int leap, version, mode, stratum;
    double root_delay, root_dispersion; /* seconds */
    char refid[16];                     /* dotted quad, or the ASCII code at stratum 1/0 */
    char kiss[5];
    struct ntp_timestamp origin, receive, transmit;
};

/* Checks a reply to the request sent with transmit timestamp sent. Returns the
 * verdict; for NTP_REPLY_INVALID err says why. */
enum ntp_verdict ntp_parse_reply(const uint8_t *in, size_t len, struct ntp_timestamp sent,
                                 struct ntp_reply *out, char *err, size_t errlen);

/* Clock offset (server - client) and round-trip delay from the four timestamps, in
 * seconds: t1 request sent, t2 received by the server, t3 reply sent, t4 received. */
void ntp_offset_delay(double t1, double t2, double t3, double t4, double *offset,
                      double *delay);

#ifdef __cplusplus
}
#endif

#endif
