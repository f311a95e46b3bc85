/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "dnswire.h"

static void builds_a_query(void)
{
    unsigned char q[512];
    int n = dns_build_query(0x1234, "_ntp._udp.contoso.com", DNS_TYPE_SRV, 0, DNS_RECURSIVE,
                            q, sizeof q);
    CHECK_HEX_EQ(q, (size_t)n,
                 "123401000001000000000000" "045F6E7470045F75647007636F6E746F736F03636F6D00"
                 "00210001");
    /* Without RD: what the server answers from its own data. */
    n = dns_build_query(0x1234, "_ntp._udp.contoso.com", DNS_TYPE_SRV, 0, DNS_NO_RECURSION,
                        q, sizeof q);
    CHECK_HEX_EQ(q, 4, "12340000");
    CHECK_INT_EQ(dns_build_query(1, "a..b", DNS_TYPE_A, 0, DNS_RECURSIVE, q, sizeof q), -1);
    CHECK_INT_EQ(dns_build_query(1, "contoso.com", DNS_TYPE_A, 0, DNS_RECURSIVE, q, 20), -1);
    /* With EDNS0: ARCOUNT 1 and an OPT record (root, type 41, 4096, no flags). */
    n = dns_build_query(0x1234, "contoso.com", DNS_TYPE_A, DNS_EDNS_UDP_SIZE, DNS_RECURSIVE, q,
                        sizeof q);
    CHECK_HEX_EQ(q, (size_t)n,
                 "123401000001000000000001" "07636F6E746F736F03636F6D00" "00010001"
                 "0000291000000000000000");
    CHECK_INT_EQ(dns_build_query(1, "contoso.com", DNS_TYPE_A, 4096, DNS_RECURSIVE, q,
                                 12 + 13 + 4 + 10), -1);
}

/* A response to the query above: one SRV record 0 5 123 ntp1.<pointer to contoso.com>,
 * then an A record for a name that points at the SRV target. */
static const char *RESPONSE =
    "123481800001000200000000"
    "045F6E7470045F75647007636F6E746F736F03636F6D0000210001"
    "C00C00210001" "0000003C" "000D" "0000" "0005" "007B" "046E747031C016"
    "C03900010001" "0000001E" "0004" "0A000001";

/* The query RESPONSE answers, as dns_build_query writes it. */
static size_t srv_query(uint16_t id, const char *name, unsigned char *q, size_t cap)
{
    return (size_t)dns_build_query(id, name, DNS_TYPE_SRV, DNS_EDNS_UDP_SIZE, DNS_RECURSIVE, q,
                                   cap);
}

static void parses_srv_and_a_with_compression(void)
{
    unsigned char q[512];
    size_t qlen = srv_query(0x1234, "_ntp._udp.contoso.com", q, sizeof q);
    unsigned char msg[512];
    char err[128];
    struct dns_answer ans;
    size_t len = hex_to_bytes(RESPONSE, msg, sizeof msg);
    CHECK_INT_EQ(dns_parse_response(msg, len, q, qlen, &ans, err, sizeof err), 0);
    CHECK_INT_EQ(ans.rcode, 0);
    CHECK_INT_EQ(ans.authoritative, 0);
    CHECK_INT_EQ(ans.srv_count, 1);
    CHECK_STR_EQ(ans.srv[0].target, "ntp1.contoso.com");
    CHECK_INT_EQ(ans.srv[0].port, 123);
    CHECK_INT_EQ(ans.srv[0].weight, 5);
    CHECK_INT_EQ(ans.a_count, 1);
    CHECK_HEX_EQ(ans.a[0], 4, "0A000001");
    CHECK_INT_EQ(ans.min_ttl, 30);
    /* The question is compared without regard to letter case (0x20 randomisation). */
    qlen = srv_query(0x1234, "_NTP._udp.Contoso.COM", q, sizeof q);
    CHECK_INT_EQ(dns_parse_response(msg, len, q, qlen, &ans, err, sizeof err), 0);
    /* Another ID, another name, another type: not the answer to this query. */
    qlen = srv_query(0x9999, "_ntp._udp.contoso.com", q, sizeof q);
    CHECK_INT_EQ(dns_parse_response(msg, len, q, qlen, &ans, err, sizeof err), -1);
    CHECK_STR_EQ(err, "not a response to this query (ID)");
    qlen = srv_query(0x1234, "_ntp._udp.fabrikam.com", q, sizeof q);
    CHECK_INT_EQ(dns_parse_response(msg, len, q, qlen, &ans, err, sizeof err), -1);
    CHECK_STR_EQ(err, "not a response to this query (question section)");
    qlen = (size_t)dns_build_query(0x1234, "_ntp._udp.contoso.com", DNS_TYPE_A, 0, DNS_RECURSIVE,
                                   q, sizeof q);
    CHECK_INT_EQ(dns_parse_response(msg, len, q, qlen, &ans, err, sizeof err), -1);
    /* The same response with AA set (flags 0x8580): from the server's own data. */
    qlen = srv_query(0x1234, "_ntp._udp.contoso.com", q, sizeof q);
    msg[2] |= 0x04;
    CHECK_INT_EQ(dns_parse_response(msg, len, q, qlen, &ans, err, sizeof err), 0);
    CHECK_INT_EQ(ans.authoritative, 1);
}

/* More SRV records than a dns_answer keeps: the first DNS_MAX_RECORDS, and a count of
 * the rest, never an overflow. */
static void counts_records_beyond_its_room(void)
{
    static unsigned char msg[65535];
    unsigned char q[512];
    char err[128];
    static struct dns_answer ans;
    size_t qlen = srv_query(0x4242, "_ntp._udp.contoso.com", q, sizeof q);
    size_t len = hex_to_bytes("424281800001000000000000"
                              "045F6E7470045F75647007636F6E746F736F03636F6D0000210001",
                              msg, sizeof msg);
    const size_t total = DNS_MAX_RECORDS + 5;
    for (size_t i = 0; i < total; i++)
        len += hex_to_bytes("C00C00210001" "0000003C" "000D" "0000" "0005" "007B"
                            "046E747031C016", msg + len, sizeof msg - len);
    msg[6] = (unsigned char)(total >> 8);
    msg[7] = (unsigned char)total;
    CHECK_INT_EQ(dns_parse_response(msg, len, q, qlen, &ans, err, sizeof err), 0);
    CHECK_INT_EQ(ans.srv_count, DNS_MAX_RECORDS);
    CHECK_INT_EQ(ans.dropped, 5);
}

static void refuses_loops_and_truncation(void)
{
    unsigned char msg[512];
    char err[128];
    struct dns_answer ans;
    unsigned char q[512];
    size_t qlen = srv_query(0x1234, "_ntp._udp.contoso.com", q, sizeof q);
    size_t len = hex_to_bytes(RESPONSE, msg, sizeof msg);
    for (size_t cut = 0; cut < len; cut++)
        (void)dns_parse_response(msg, cut, q, qlen, &ans, err, sizeof err);
    CHECK_INT_EQ(dns_parse_response(msg, len - 1, q, qlen, &ans, err, sizeof err), -1);
    /* The SRV target's pointer now points at itself. */
    msg[12 + 27 + 12 + 6 + 5] = 0xC0;
    msg[12 + 27 + 12 + 6 + 6] = (unsigned char)(12 + 27 + 12 + 6 + 5);
    CHECK_INT_EQ(dns_parse_response(msg, len, q, qlen, &ans, err, sizeof err), -1);
    char name[256];
    unsigned char self[] = {0xC0, 0x00};
    size_t pos = 0;
    CHECK_INT_EQ(dns_read_name(self, sizeof self, &pos, name, sizeof name), -1);
}

static void nxdomain(void)
{
    unsigned char msg[512];
    char err[128];
    struct dns_answer ans;
    unsigned char q[512];
    size_t qlen = srv_query(0x1234, "_ntp._udp.contoso.com", q, sizeof q);
    size_t len = hex_to_bytes("123481830001000000000000"
                              "045F6E7470045F75647007636F6E746F736F03636F6D0000210001",
                              msg, sizeof msg);
    CHECK_INT_EQ(dns_parse_response(msg, len, q, qlen, &ans, err, sizeof err), 0);
    CHECK_INT_EQ(ans.rcode, DNS_RCODE_NXDOMAIN);
    CHECK_INT_EQ(ans.srv_count, 0);
}

static void puts_rdlength_and_rdata(void)
{
    const uint8_t rdata[4] = {10, 0, 0, 5};
    uint8_t out[8];
    CHECK_INT_EQ(dns_put_rdata(out, sizeof out, rdata, 4), 6);
    CHECK_HEX_EQ(out, 6, "00040A000005");
    CHECK_INT_EQ(dns_put_rdata(out, 5, rdata, 4), -1);
}

int main(void)
{
    RUN(builds_a_query);
    RUN(puts_rdlength_and_rdata);
    RUN(parses_srv_and_a_with_compression);
    RUN(counts_records_beyond_its_room);
    RUN(refuses_loops_and_truncation);
    RUN(nxdomain);
    CHECK_DONE();
}
