/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "dhcp4_msg.h"

static const uint8_t prl[] = {1, 3, 6, 15, 42, 2, 43, 120};

static int build_inform(uint8_t *buf, size_t cap)
{
    struct dhcp4_query q = {
        .type = DHCP4_INFORM,
        .xid = 0x11223344,
        .mac = {0x02, 0, 0, 0, 0, 0x42},
        .ciaddr = {10, 100, 0, 50},
        .vendor_class = "MS-UC-Client",
        .param_request = prl,
        .param_request_len = sizeof prl,
    };
    return dhcp4_build_query(&q, buf, cap);
}

static void builds_an_inform_like_the_phone(void)
{
    uint8_t buf[DHCP4_MAX_LEN];
    int len = build_inform(buf, sizeof buf);
    /* 240 + 53(3) + 61(9) + 55(10) + 60(14) + END */
    CHECK_INT_EQ(len, 240 + 3 + 9 + 10 + 14 + 1);
    CHECK_HEX_EQ(buf, 8, "0101060011223344");
    CHECK_HEX_EQ(buf + 12, 4, "0A640032");
    CHECK_HEX_EQ(buf + 236, 4, "63825363");
    CHECK_HEX_EQ(buf + 240, 3, "350108");
    CHECK_HEX_EQ(buf + 252, 10, "37080103060F2A022B78");
    CHECK_HEX_EQ(buf + 262, 14, "3C0C4D532D55432D436C69656E74");
    CHECK_INT_EQ(buf[len - 1], 255);
    CHECK_INT_EQ(build_inform(buf, 260), -1);
}

static void parses_and_finds_options(void)
{
    uint8_t buf[DHCP4_MAX_LEN], value[255];
    int len = build_inform(buf, sizeof buf);
    struct dhcp4_reply reply;
    CHECK_INT_EQ(dhcp4_parse_reply(buf, (size_t)len, &reply), 0);
    CHECK_INT_EQ(reply.xid, 0x11223344);
    CHECK_INT_EQ(reply.message_type, DHCP4_INFORM);
    CHECK_HEX_EQ(reply.ciaddr, 4, "0A640032");
    int n = dhcp4_get_option(&reply, 60, value, sizeof value);
    CHECK_HEX_EQ(value, (size_t)n, "4D532D55432D436C69656E74");
    CHECK_INT_EQ(dhcp4_get_option(&reply, 120, value, sizeof value), -1);
    CHECK_INT_EQ(dhcp4_get_option(&reply, 60, value, 4), -1);
}

static void concatenates_split_options(void)
{
    uint8_t buf[DHCP4_MAX_LEN], value[255];
    int len = build_inform(buf, sizeof buf);
    /* Replace END by two instances of option 43 (RFC 3396) and END. */
    uint8_t extra[] = {43, 2, 0x0A, 0x02, 43, 2, 0x00, 0x64, 255};
    memcpy(buf + len - 1, extra, sizeof extra);
    len += (int)sizeof extra - 1;
    struct dhcp4_reply reply;
    CHECK_INT_EQ(dhcp4_parse_reply(buf, (size_t)len, &reply), 0);
    int n = dhcp4_get_option(&reply, 43, value, sizeof value);
    CHECK_HEX_EQ(value, (size_t)n, "0A020064");
}

static void refuses_short_or_broken_messages(void)
{
    uint8_t buf[DHCP4_MAX_LEN];
    int len = build_inform(buf, sizeof buf);
    struct dhcp4_reply reply;
    CHECK_INT_EQ(dhcp4_parse_reply(buf, 239, &reply), -1);
    /* Cut inside option 60: its length now runs past the end. */
    CHECK_INT_EQ(dhcp4_parse_reply(buf, (size_t)len - 5, &reply), -1);
    buf[236] = 0;
    CHECK_INT_EQ(dhcp4_parse_reply(buf, (size_t)len, &reply), -1);
    /* Every truncation is either refused or parsed within bounds (ASan checks). */
    buf[236] = 99;
    for (int cut = 0; cut <= len; cut++)
        (void)dhcp4_parse_reply(buf, (size_t)cut, &reply);
}

int main(void)
{
    RUN(builds_an_inform_like_the_phone);
    RUN(parses_and_finds_options);
    RUN(concatenates_split_options);
    RUN(refuses_short_or_broken_messages);
    CHECK_DONE();
}
