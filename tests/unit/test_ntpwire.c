/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
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

int main(void)
{
    RUN(request_layout);
    RUN(verdicts);
    RUN(time_conversions);
    CHECK_DONE();
}
