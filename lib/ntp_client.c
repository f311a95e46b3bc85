/* SPDX-License-Identifier: MPL-2.0 */
#define _DEFAULT_SOURCE /* clock_gettime, getrandom under -std=c11 */
#include "ntp_client.h"

#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

static double unix_seconds(struct timespec t)
{
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct timespec ntp_client_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t;
}

int ntp_client_start(struct ntp_client_exchange *x, uint8_t request[NTP_PACKET_LEN])
{
    uint32_t random[2];
    if (getrandom(random, sizeof random, GRND_NONBLOCK) != (ssize_t)sizeof random)
        return -1;
    x->origin.seconds = random[0];
    x->origin.fraction = random[1];
    ntp_build_request(x->origin, request);
    x->sent = ntp_client_now();
    return 0;
}

enum ntp_verdict ntp_client_finish(const struct ntp_client_exchange *x, const uint8_t *in,
                                   size_t len, struct timespec received,
                                   struct ntp_sample *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->verdict = ntp_parse_reply(in, len, x->origin, &out->reply, err, errlen);
    if (out->verdict == NTP_REPLY_OK || out->verdict == NTP_REPLY_UNSYNCHRONIZED) {
        double t1 = unix_seconds(x->sent), t4 = unix_seconds(received);
        ntp_offset_delay(t1, ntp_to_unix(out->reply.receive), ntp_to_unix(out->reply.transmit),
                         t4, &out->offset, &out->delay);
        out->server_time = t4 + out->offset;
    }
    return out->verdict;
}
