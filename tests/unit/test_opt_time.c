/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "opt_time.h"

static void option42_round_trip(void)
{
    struct opt_bytes out;
    const char *servers[] = {"10.20.0.1", "10.20.0.2"};
    CHECK_INT_EQ(opt42_encode(servers, 2, &out, NULL, 0), 0);
    CHECK_HEX_EQ(out.data, out.len, "0A1400010A140002");
    unsigned char addrs[4][4];
    CHECK_INT_EQ(opt42_decode(out.data, out.len, addrs, 4), 2);
    CHECK_HEX_EQ(addrs[1], 4, "0A140002");
    CHECK_INT_EQ(opt42_decode(out.data, 7, addrs, 4), -1);
    CHECK_INT_EQ(opt42_decode(out.data, 0, addrs, 4), -1);
}

static void option42_refuses_bad_lists(void)
{
    struct opt_bytes out;
    char err[128];
    const char *bad[] = {"ntp.contoso.com"};
    CHECK_INT_EQ(opt42_encode(bad, 1, &out, err, sizeof err), -1);
    CHECK_STR_EQ(err, "'ntp.contoso.com' is not an IPv4 address");
    CHECK_INT_EQ(opt42_encode(bad, 0, &out, err, sizeof err), -1);
    const char *many[64];
    for (int i = 0; i < 64; i++)
        many[i] = "10.0.0.1";
    CHECK_INT_EQ(opt42_encode(many, 63, &out, err, sizeof err), 0);
    CHECK_INT_EQ(out.len, 252);
    CHECK_INT_EQ(opt42_encode(many, 64, &out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "63");
}

/* S18 emits 00008ca0 for +10 h; -5 h is FFFFB9B0. */
static void option2_vectors(void)
{
    struct opt_bytes out;
    char err[128];
    CHECK_INT_EQ(opt2_encode(36000, &out, err, sizeof err), 0);
    CHECK_HEX_EQ(out.data, out.len, "00008ca0");
    CHECK_INT_EQ(opt2_encode(-18000, &out, err, sizeof err), 0);
    CHECK_HEX_EQ(out.data, out.len, "FFFFB9B0");
    int32_t offset;
    CHECK_INT_EQ(opt2_decode(out.data, out.len, &offset), 0);
    CHECK_INT_EQ(offset, -18000);
    CHECK_INT_EQ(opt2_decode(out.data, 3, &offset), -1);
    CHECK_INT_EQ(opt2_encode(90000, &out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "-86400..86400");
}

int main(void)
{
    RUN(option42_round_trip);
    RUN(option42_refuses_bad_lists);
    RUN(option2_vectors);
    CHECK_DONE();
}
