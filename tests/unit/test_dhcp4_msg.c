/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "dhcp4_msg.h"

static int build_inform(uint8_t *buf, size_t cap)
{
    struct dhcp4_query q = {
        .type = DHCP4_INFORM,
        .xid = 0x11223344,
        .mac = {0x02, 0, 0, 0, 0, 0x42},
        .ciaddr = {10, 100, 0, 50},
        .vendor_class = "MS-UC-Client",
        .param_request = dhcp4_lync_phone_request,
        .param_request_len = sizeof dhcp4_lync_phone_request,
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
    CHECK_HEX_EQ(buf + 10, 2, "0000"); /* flags: no BROADCAST (it has an address) */
    CHECK_HEX_EQ(buf + 12, 4, "0A640032");
    CHECK_HEX_EQ(buf + 236, 4, "63825363");
    CHECK_HEX_EQ(buf + 240, 3, "350108");
    CHECK_HEX_EQ(buf + 252, 10, "37080103060F2A022B78");
    CHECK_HEX_EQ(buf + 262, 14, "3C0C4D532D55432D436C69656E74");
    CHECK_INT_EQ(buf[len - 1], 255);
    CHECK_INT_EQ(build_inform(buf, 260), -1);
}

static void sets_the_broadcast_flag_when_asked(void)
{
    uint8_t buf[DHCP4_MAX_LEN];
    struct dhcp4_query q = {.type = DHCP4_DISCOVER, .xid = 1, .broadcast = 1};
    CHECK(dhcp4_build_query(&q, buf, sizeof buf) > 0);
    CHECK_HEX_EQ(buf + 10, 2, "8000"); /* RFC 2131 s2: the high bit of flags */
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

/* A reply as Kea packs it: 53 first, then by code, 82 last, then END. */
static size_t kea_like_reply(uint8_t *buf)
{
    memset(buf, 0, 240);
    buf[0] = 2;
    memcpy(buf + 236, "\x63\x82\x53\x63", 4);
    static const uint8_t options[] = {53, 1, 5, 1, 4, 255, 255, 255, 0, 43, 2, 0xDE, 0xAD,
                                      54, 4, 10, 0, 0, 1, 82, 3, 1, 1, 7, 255, 0, 0};
    memcpy(buf + 240, options, sizeof options);
    return 240 + sizeof options;
}

static void replaces_and_inserts_in_code_order(void)
{
    uint8_t buf[DHCP4_MAX_LEN];
    size_t len = kea_like_reply(buf);
    static const uint8_t v2[] = {0, 0, 0x0E, 0x10}, v43[] = {0x0A, 0x02, 0x00, 0x64},
                         v120[] = {0, 1, 'a', 0};
    const struct dhcp4_option_ref opts[] = {{2, v2, 4}, {43, v43, 4}, {120, v120, 4}};
    int n = dhcp4_replace_options(buf, len, sizeof buf, opts, 3);
    CHECK_INT_EQ(n, (int)(240 + 3 + 6 + 6 + 6 + 6 + 6 + 5 + 1));
    CHECK_HEX_EQ(buf + 240, (size_t)n - 240,
                 "350105" "0104FFFFFF00" "020400000E10" "2B040A020064" "36040A000001"
                 "780400016100" "5203010107" "FF");
    struct dhcp4_reply reply;
    CHECK_INT_EQ(dhcp4_parse_reply(buf, (size_t)n, &reply), 0);
    CHECK_INT_EQ(reply.message_type, DHCP4_ACK);
}

static void keeps_padding_length(void)
{
    uint8_t buf[DHCP4_MAX_LEN];
    size_t len = kea_like_reply(buf);
    memset(buf + len, 0, 60);
    len += 60; /* padded to a BOOTP minimum */
    static const uint8_t v43[] = {0x0A, 0x02, 0x00, 0x64};
    const struct dhcp4_option_ref opts[] = {{43, v43, 4}};
    CHECK_INT_EQ(dhcp4_replace_options(buf, len, sizeof buf, opts, 1), (int)len);
}

static void refuses_what_does_not_fit_or_parse(void)
{
    uint8_t buf[DHCP4_MAX_LEN], before[DHCP4_MAX_LEN];
    size_t len = kea_like_reply(buf);
    memcpy(before, buf, len);
    static const uint8_t big[255] = {0};
    const struct dhcp4_option_ref opts[] = {{43, big, 255}, {120, big, 255}};
    CHECK_INT_EQ(dhcp4_replace_options(buf, len, 400, opts, 2), -1);
    CHECK(memcmp(buf, before, len) == 0);
    const struct dhcp4_option_ref unsorted[] = {{120, big, 1}, {43, big, 1}};
    CHECK_INT_EQ(dhcp4_replace_options(buf, len, sizeof buf, unsorted, 2), -1);
    buf[240 + 10] = 200; /* option 43's length now runs past the end */
    CHECK_INT_EQ(dhcp4_replace_options(buf, len, sizeof buf, opts, 1), -1);
    CHECK_INT_EQ(dhcp4_replace_options(buf, 200, sizeof buf, opts, 1), -1);
}

/* A reply without 43 and 82, END last: the case the hook appends to. */
static size_t plain_reply(uint8_t *buf)
{
    memset(buf, 0, 240);
    buf[0] = 2;
    memcpy(buf + 236, "\x63\x82\x53\x63", 4);
    static const uint8_t options[] = {53, 1, 5, 1, 4, 255, 255, 255, 0, 54, 4, 10, 0, 0, 1, 255};
    memcpy(buf + 240, options, sizeof options);
    return 240 + sizeof options;
}

static void appends_in_place_of_end(void)
{
    uint8_t buf[DHCP4_MAX_LEN];
    size_t len = plain_reply(buf);
    static const uint8_t v43[] = {0x0A, 0x02, 0x00, 0x64}, v120[] = {0, 1, 'a', 0};
    const struct dhcp4_option_ref opts[] = {{43, v43, 4}, {120, v120, 4}};
    struct dhcp4_code_set blockers;
    dhcp4_append_blockers(opts, 2, &blockers);
    CHECK(dhcp4_code_set_has(&blockers, 43) && dhcp4_code_set_has(&blockers, 120) &&
          dhcp4_code_set_has(&blockers, 82) && !dhcp4_code_set_has(&blockers, 53) &&
          !dhcp4_code_set_has(&blockers, 255));
    int at = dhcp4_append_offset(buf, len, &blockers);
    CHECK_INT_EQ(at, (int)len - 1);
    uint8_t tail[64];
    int n = dhcp4_encode_tail(opts, 2, tail, sizeof tail);
    CHECK_HEX_EQ(tail, (size_t)n, "2B040A020064" "780400016100" "FF");
    memcpy(buf + at, tail, (size_t)n);
    struct dhcp4_reply reply;
    CHECK_INT_EQ(dhcp4_parse_reply(buf, (size_t)(at + n), &reply), 0);
    uint8_t value[8];
    CHECK_INT_EQ(dhcp4_get_option(&reply, 120, value, sizeof value), 4);
    CHECK_INT_EQ(dhcp4_encode_tail(opts, 2, tail, 12), -1); /* END does not fit */
}

static void does_not_append_where_it_must_replace(void)
{
    uint8_t buf[DHCP4_MAX_LEN];
    static const uint8_t v43[] = {1};
    const struct dhcp4_option_ref opts[] = {{43, v43, 1}};
    const struct dhcp4_option_ref other[] = {{120, v43, 1}};
    struct dhcp4_code_set ours, others;
    dhcp4_append_blockers(opts, 1, &ours);
    dhcp4_append_blockers(other, 1, &others);
    size_t len = kea_like_reply(buf); /* has 43 and 82, padding after END */
    CHECK_INT_EQ(dhcp4_append_offset(buf, len, &ours), -1);
    CHECK_INT_EQ(dhcp4_append_offset(buf, len - 2, &others), -1); /* 82 must stay last */
    len = plain_reply(buf);
    CHECK_INT_EQ(dhcp4_append_offset(buf, len, &ours), (int)len - 1);
    CHECK_INT_EQ(dhcp4_append_offset(buf, len + 1, &ours), -1); /* a byte after END */
    CHECK_INT_EQ(dhcp4_append_offset(buf, len - 1, &ours), -1); /* no END */
    buf[240 + 3] = 0;                                           /* a PAD between options */
    buf[240 + 4] = 0;
    CHECK_INT_EQ(dhcp4_append_offset(buf, len, &ours), -1);     /* ...shifts the rest */
    len = plain_reply(buf);
    memmove(buf + 241, buf + 240, len - 240);                   /* a PAD at the start */
    buf[240] = 0;
    CHECK_INT_EQ(dhcp4_append_offset(buf, len + 1, &ours), (int)len);
    len = plain_reply(buf);
    buf[240 + 10] = 200; /* runs past the end */
    CHECK_INT_EQ(dhcp4_append_offset(buf, len, &ours), -1);
    buf[240 + 10] = 4;
    buf[len - 1] = 0; /* ends in a PAD, not END */
    CHECK_INT_EQ(dhcp4_append_offset(buf, len, &ours), -1);
    len = plain_reply(buf);
    for (size_t cut = 0; cut <= len; cut++)
        CHECK_INT_EQ(dhcp4_append_offset(buf, cut, &ours), cut == len ? (int)len - 1 : -1);
}

static void reads_the_packed_message_type(void)
{
    uint8_t buf[DHCP4_MAX_LEN];
    size_t len = plain_reply(buf);
    CHECK_INT_EQ(dhcp4_packed_type(buf, len), 5);
    buf[240] = 1; /* option 53 moved behind a subnet mask: still found */
    buf[241] = 4;
    memcpy(buf + 242, "\xff\xff\xff\x00\x35\x01\x02", 7);
    CHECK_INT_EQ(dhcp4_packed_type(buf, len), 2);
    buf[247] = 2; /* option 53 with two bytes is no message type */
    CHECK_INT_EQ(dhcp4_packed_type(buf, len), -1);
    len = plain_reply(buf);
    buf[240] = 54; /* no option 53 at all */
    CHECK_INT_EQ(dhcp4_packed_type(buf, len), -1);
    CHECK_INT_EQ(dhcp4_packed_type(buf, 240), -1);
    buf[236] = 0; /* no magic cookie */
    CHECK_INT_EQ(dhcp4_packed_type(buf, len), -1);
    len = plain_reply(buf);
    for (size_t cut = 0; cut < 243; cut++)
        CHECK_INT_EQ(dhcp4_packed_type(buf, cut), -1);
}

static void reads_who_a_packed_message_is_about(void)
{
    uint8_t buf[600];
    struct dhcp4_query q = {.type = DHCP4_INFORM, .xid = 7,
                            .mac = {0x00, 0x04, 0xf2, 0x12, 0x34, 0x56},
                            .ciaddr = {10, 100, 0, 50}};
    int len = dhcp4_build_query(&q, buf, sizeof buf);
    CHECK(len > 0);
    buf[16] = 10; /* yiaddr, and giaddr as a relay sets it */
    buf[19] = 77;
    buf[24] = 10;
    buf[25] = 200;
    buf[27] = 1;
    struct dhcp4_parties who;
    CHECK_INT_EQ(dhcp4_packed_parties(buf, (size_t)len, &who), 0);
    CHECK_HEX_EQ(who.mac, 6, "0004f2123456");
    CHECK_HEX_EQ(who.ciaddr, 4, "0a640032");
    CHECK_HEX_EQ(who.yiaddr, 4, "0a00004d");
    CHECK_HEX_EQ(who.giaddr, 4, "0ac80001");
    CHECK_INT_EQ(dhcp4_packed_parties(buf, 235, &who), -1);
    buf[2] = 16; /* hlen 16: no MAC */
    CHECK_INT_EQ(dhcp4_packed_parties(buf, (size_t)len, &who), -1);
}

int main(void)
{
    RUN(builds_an_inform_like_the_phone);
    RUN(sets_the_broadcast_flag_when_asked);
    RUN(parses_and_finds_options);
    RUN(concatenates_split_options);
    RUN(refuses_short_or_broken_messages);
    RUN(replaces_and_inserts_in_code_order);
    RUN(keeps_padding_length);
    RUN(refuses_what_does_not_fit_or_parse);
    RUN(appends_in_place_of_end);
    RUN(does_not_append_where_it_must_replace);
    RUN(reads_the_packed_message_type);
    RUN(reads_who_a_packed_message_is_about);
    CHECK_DONE();
}
