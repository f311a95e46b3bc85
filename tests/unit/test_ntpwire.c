/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "ntp_client.h"
#include "ntpwire.h"

static const struct ntp_timestamp SENT = {0xE9000000u, 0x12345678u};

static void reply_with(unsigned char *p, int li, int mode, int stratum,
                       struct ntp_timestamp origin)
{
    memset(p, 0, NTP_PACKET_LEN);
    p[0] = (unsigned char)((li << 6) | (4 << 3) | mode);
    p[1] = (unsigned char)stratum;
    memcpy(p + 12, "RATE", 4);
    unsigned char o[8] = {(unsigned char)(origin.seconds >> 24), (unsigned char)(origin.seconds >> 16),
                          (unsigned char)(origin.seconds >> 8), (unsigned char)origin.seconds,
                          (unsigned char)(origin.fraction >> 24), (unsigned char)(origin.fraction >> 16),
                          (unsigned char)(origin.fraction >> 8), (unsigned char)origin.fraction};
    memcpy(p + 24, o, 8);
    p[40] = 0xE9; /* transmit */
    p[41] = 0x01;
}

static void request_layout(void)
{
    unsigned char req[NTP_PACKET_LEN];
    ntp_build_request(SENT, req);
    CHECK_INT_EQ(req[0], 0x23); /* LI 0, VN 4, mode 3 */
    CHECK_HEX_EQ(req + 40, 8, "E900000012345678");
}

static void verdicts(void)
{
    unsigned char p[NTP_PACKET_LEN];
    struct ntp_reply r;
    char err[128];
    reply_with(p, 0, 4, 2, SENT);
    CHECK_INT_EQ(ntp_parse_reply(p, sizeof p, SENT, &r, err, sizeof err), NTP_REPLY_OK);
    CHECK_INT_EQ(r.stratum, 2);
    reply_with(p, 0, 4, 0, SENT);
    CHECK_INT_EQ(ntp_parse_reply(p, sizeof p, SENT, &r, err, sizeof err), NTP_REPLY_KISS_OF_DEATH);
    CHECK_STR_EQ(r.kiss, "RATE");
    /* chrony while unsynchronised: stratum 0, no kiss code, leap 3. */
    reply_with(p, 3, 4, 0, SENT);
    memset(p + 12, 0, 4);
    CHECK_INT_EQ(ntp_parse_reply(p, sizeof p, SENT, &r, err, sizeof err), NTP_REPLY_UNSYNCHRONIZED);
    reply_with(p, 3, 4, 8, SENT);
    CHECK_INT_EQ(ntp_parse_reply(p, sizeof p, SENT, &r, err, sizeof err), NTP_REPLY_UNSYNCHRONIZED);
    reply_with(p, 0, 4, 16, SENT);
    CHECK_INT_EQ(ntp_parse_reply(p, sizeof p, SENT, &r, err, sizeof err), NTP_REPLY_UNSYNCHRONIZED);
    struct ntp_timestamp other = {SENT.seconds, SENT.fraction + 1};
    reply_with(p, 0, 4, 2, other);
    CHECK_INT_EQ(ntp_parse_reply(p, sizeof p, SENT, &r, err, sizeof err), NTP_REPLY_INVALID);
    CHECK_CONTAINS(err, "origin timestamp");
    reply_with(p, 0, 3, 2, SENT);
    CHECK_INT_EQ(ntp_parse_reply(p, sizeof p, SENT, &r, err, sizeof err), NTP_REPLY_INVALID);
    CHECK_INT_EQ(ntp_parse_reply(p, 47, SENT, &r, err, sizeof err), NTP_REPLY_INVALID);
    CHECK_CONTAINS(err, "shorter");
}

static void time_conversions(void)
{
    struct ntp_timestamp ts = ntp_from_unix(1764000000.5);
    CHECK_INT_EQ(ts.seconds, 1764000000u + NTP_UNIX_EPOCH_OFFSET);
    CHECK_INT_EQ(ts.fraction, 0x80000000u);
    CHECK(ntp_to_unix(ts) > 1764000000.49 && ntp_to_unix(ts) < 1764000000.51);
    double offset, delay;
    ntp_offset_delay(100.0, 105.0, 105.5, 101.0, &offset, &delay);
    CHECK(offset > 4.74 && offset < 4.76);
    CHECK(delay > 0.49 && delay < 0.51);
}

static void put_timestamp(unsigned char *p, struct ntp_timestamp ts)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (unsigned char)(ts.seconds >> (24 - 8 * i));
        p[4 + i] = (unsigned char)(ts.fraction >> (24 - 8 * i));
    }
}

static void client_exchange(void)
{
    unsigned char req1[NTP_PACKET_LEN], req2[NTP_PACKET_LEN], p[NTP_PACKET_LEN];
    struct ntp_client_exchange x1, x2;
    CHECK_INT_EQ(ntp_client_start(&x1, req1), 0);
    CHECK_INT_EQ(ntp_client_start(&x2, req2), 0);
    /* The transmit timestamp is random, not the clock: two requests differ, and it is
     * what a reply must echo. */
    CHECK(memcmp(req1 + 40, req2 + 40, 8) != 0);
    unsigned char echoed[8];
    put_timestamp(echoed, x1.origin);
    CHECK(memcmp(req1 + 40, echoed, 8) == 0);
    /* A server 2 s ahead, replying at once: offset 2 s, delay what passed. */
    struct timespec received = x1.sent;
    received.tv_sec += 1;
    double t1 = (double)x1.sent.tv_sec + x1.sent.tv_nsec / 1e9;
    reply_with(p, 0, 4, 2, x1.origin);
    put_timestamp(p + 32, ntp_from_unix(t1 + 2.5));
    put_timestamp(p + 40, ntp_from_unix(t1 + 2.5));
    struct ntp_sample sample;
    char err[128];
    CHECK_INT_EQ(ntp_client_finish(&x1, p, sizeof p, received, &sample, err, sizeof err),
                 NTP_REPLY_OK);
    CHECK(sample.offset > 1.999 && sample.offset < 2.001);
    CHECK(sample.delay > 0.999 && sample.delay < 1.001);
    CHECK(sample.server_time > t1 + 2.999 && sample.server_time < t1 + 3.001);
    /* The other exchange's reply does not match this one. */
    CHECK_INT_EQ(ntp_client_finish(&x2, p, sizeof p, received, &sample, err, sizeof err),
                 NTP_REPLY_INVALID);
}

int main(void)
{
    RUN(request_layout);
    RUN(verdicts);
    RUN(time_conversions);
    RUN(client_exchange);
    CHECK_DONE();
}
