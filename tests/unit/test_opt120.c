/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "opt120.h"

static void encodes_dhcputil_vectors(void)
{
    struct opt_bytes out;
    const char *a[] = {"server.fqdn.company.com"};
    CHECK_INT_EQ(opt120_encode_names(a, 1, &out, NULL, 0), 0);
    CHECK_HEX_EQ(out.data, out.len, "0006736572766572046671646E07636F6D70616E7903636F6D00");
    const char *b[] = {"sipserver.fqdn.company.com"};
    CHECK_INT_EQ(opt120_encode_names(b, 1, &out, NULL, 0), 0);
    CHECK_HEX_EQ(out.data, out.len,
                 "0009736970736572766572046671646E07636F6D70616E7903636F6D00");
    const char *c[] = {"sip.contoso.com"};
    CHECK_INT_EQ(opt120_encode_names(c, 1, &out, NULL, 0), 0);
    CHECK_HEX_EQ(out.data, out.len, "000373697007636f6e746f736f03636f6d00");
    const char *d[] = {"pool01.contoso.com"};
    CHECK_INT_EQ(opt120_encode_names(d, 1, &out, NULL, 0), 0);
    CHECK_HEX_EQ(out.data, out.len, "0006706F6F6C303107636F6E746F736F03636F6D00");
}

static void encodes_several_names_and_addresses(void)
{
    struct opt_bytes out;
    const char *names[] = {"a.example.com", "b.example.com"};
    CHECK_INT_EQ(opt120_encode_names(names, 2, &out, NULL, 0), 0);
    CHECK_HEX_EQ(out.data, out.len,
                 "000161076578616d706c6503636f6d000162076578616d706c6503636f6d00");
    const char *addrs[] = {"10.0.0.1", "192.0.2.5"};
    CHECK_INT_EQ(opt120_encode_addresses(addrs, 2, &out, NULL, 0), 0);
    CHECK_HEX_EQ(out.data, out.len, "010A000001C0000205");
}

static void refuses_bad_input(void)
{
    struct opt_bytes out;
    char err[256];
    const char *bad[] = {"pool..contoso.com"};
    CHECK_INT_EQ(opt120_encode_names(bad, 1, &out, err, sizeof err), -1);
    CHECK_STR_EQ(err, "'pool..contoso.com': empty label");
    CHECK_INT_EQ(opt120_encode_names(bad, 0, &out, err, sizeof err), -1);
    const char *bad_addr[] = {"10.0.0.300"};
    CHECK_INT_EQ(opt120_encode_addresses(bad_addr, 1, &out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "not an IPv4 address");

    /* Two names of 139 chars make 2 * 141 wire bytes + 1: longer than 255. */
    char name[200];
    memset(name, 'x', 63);
    name[63] = '.';
    memset(name + 64, 'y', 63);
    name[127] = '.';
    strcpy(name + 128, "example.com");
    const char *many[] = {name, name};
    CHECK_INT_EQ(opt120_encode_names(many, 2, &out, err, sizeof err), -1);
    CHECK_STR_EQ(err, "option 120 would be longer than 255 bytes");
    CHECK_INT_EQ(out.len, 0);
}

static void decodes_and_round_trips(void)
{
    unsigned char in[64];
    char err[128];
    struct opt120_decoded dec;
    size_t len = hex_to_bytes("0006706F6F6C303107636F6E746F736F03636F6D00", in, sizeof in);
    CHECK_INT_EQ(opt120_decode(in, len, &dec, err, sizeof err), 0);
    CHECK_INT_EQ(dec.encoding, 0);
    CHECK_INT_EQ(dec.count, 1);
    CHECK_STR_EQ(dec.entries[0], "pool01.contoso.com");
    len = hex_to_bytes("010A000001C0000205", in, sizeof in);
    CHECK_INT_EQ(opt120_decode(in, len, &dec, err, sizeof err), 0);
    CHECK_INT_EQ(dec.count, 2);
    CHECK_STR_EQ(dec.entries[1], "192.0.2.5");
}

static void decoder_refuses_broken_options(void)
{
    unsigned char in[64];
    char err[128];
    struct opt120_decoded dec;
    /* The missing trailing 00 is the classic hand-typed mistake. */
    size_t len = hex_to_bytes("0006706F6F6C303107636F6E746F736F03636F6D", in, sizeof in);
    CHECK_INT_EQ(opt120_decode(in, len, &dec, err, sizeof err), -1);
    CHECK_CONTAINS(err, "truncated");
    /* A missing leading encoding byte reads as encoding 6. */
    len = hex_to_bytes("06706F6F6C303107636F6E746F736F03636F6D00", in, sizeof in);
    CHECK_INT_EQ(opt120_decode(in, len, &dec, err, sizeof err), -1);
    CHECK_CONTAINS(err, "unknown encoding");
    len = hex_to_bytes("010A0000", in, sizeof in);
    CHECK_INT_EQ(opt120_decode(in, len, &dec, err, sizeof err), -1);
    CHECK_CONTAINS(err, "multiple of 4");
    CHECK_INT_EQ(opt120_decode(in, 1, &dec, err, sizeof err), -1);
    len = hex_to_bytes("0000", in, sizeof in);
    CHECK_INT_EQ(opt120_decode(in, len, &dec, err, sizeof err), -1);
    CHECK_CONTAINS(err, "empty");
}

int main(void)
{
    RUN(encodes_dhcputil_vectors);
    RUN(encodes_several_names_and_addresses);
    RUN(refuses_bad_input);
    RUN(decodes_and_round_trips);
    RUN(decoder_refuses_broken_options);
    CHECK_DONE();
}
