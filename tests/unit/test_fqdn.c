/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "fqdn.h"

static void accepts_ldh_names(void)
{
    CHECK_INT_EQ(fqdn_validate("pool01.contoso.com", NULL, 0), 0);
    CHECK_INT_EQ(fqdn_validate("a-b.c1.example", NULL, 0), 0);
    CHECK_INT_EQ(fqdn_validate("pool01.contoso.com.", NULL, 0), 0);
    CHECK_INT_EQ(fqdn_validate("EPSLYNC01.epsilonhq.local", NULL, 0), 0);
}

static void rejects_bad_names_with_reason(void)
{
    char err[128];
    CHECK_INT_EQ(fqdn_validate("", err, sizeof err), -1);
    CHECK_STR_EQ(err, "empty name");
    CHECK_INT_EQ(fqdn_validate("pool..contoso.com", err, sizeof err), -1);
    CHECK_STR_EQ(err, "empty label");
    CHECK_INT_EQ(fqdn_validate(".contoso.com", err, sizeof err), -1);
    CHECK_STR_EQ(err, "empty label");
    CHECK_INT_EQ(fqdn_validate("pool_01.contoso.com", err, sizeof err), -1);
    CHECK_CONTAINS(err, "character outside");
    CHECK_INT_EQ(fqdn_validate("-pool.contoso.com", err, sizeof err), -1);
    CHECK_CONTAINS(err, "starts with a hyphen");
    CHECK_INT_EQ(fqdn_validate("pool-.contoso.com", err, sizeof err), -1);
    CHECK_CONTAINS(err, "ends with a hyphen");
    CHECK_INT_EQ(fqdn_validate("localhost", err, sizeof err), -1);
    CHECK_CONTAINS(err, "not fully qualified");
    CHECK_INT_EQ(fqdn_validate("pool 1.contoso.com", err, sizeof err), -1);
    CHECK_INT_EQ(fqdn_validate("pool.contoso.com..", err, sizeof err), -1);
}

static void enforces_label_and_name_limits(void)
{
    char name[400], err[128];
    memset(name, 'a', 63);
    strcpy(name + 63, ".com");
    CHECK_INT_EQ(fqdn_validate(name, err, sizeof err), 0);
    memset(name, 'a', 64);
    strcpy(name + 64, ".com");
    CHECK_INT_EQ(fqdn_validate(name, err, sizeof err), -1);
    CHECK_STR_EQ(err, "label longer than 63 characters");

    /* 4 labels of 61 + dots = 247, plus ".abcde" = 253: the longest allowed. */
    name[0] = '\0';
    for (int i = 0; i < 4; i++) {
        char label[64];
        memset(label, 'b', 61);
        label[61] = '\0';
        strcat(name, label);
        strcat(name, ".");
    }
    strcat(name, "abcde");
    CHECK_INT_EQ(strlen(name), 253);
    CHECK_INT_EQ(fqdn_validate(name, err, sizeof err), 0);
    strcat(name, "f");
    CHECK_INT_EQ(fqdn_validate(name, err, sizeof err), -1);
    CHECK_STR_EQ(err, "name longer than 253 characters");
}

static void writes_wire_form(void)
{
    unsigned char out[FQDN_MAX_WIRE];
    int n = fqdn_to_wire("server.fqdn.company.com", out, sizeof out);
    CHECK_INT_EQ(n, 25);
    CHECK_HEX_EQ(out, (size_t)n, "06736572766572046671646E07636F6D70616E7903636F6D00");
    n = fqdn_to_wire("sip.contoso.com.", out, sizeof out);
    CHECK_HEX_EQ(out, (size_t)n, "0373697007636f6e746f736f03636f6d00");
    CHECK_INT_EQ(fqdn_to_wire("sip.contoso.com", out, 10), -1);
    CHECK_INT_EQ(fqdn_to_wire("bad..name", out, sizeof out), -1);
}

static void reads_wire_form_within_bounds(void)
{
    unsigned char wire[64];
    char text[256];
    size_t len = hex_to_bytes("0373697007636f6e746f736f03636f6d00", wire, sizeof wire);
    CHECK_INT_EQ(fqdn_from_wire(wire, len, text, sizeof text), (int)len);
    CHECK_STR_EQ(text, "sip.contoso.com");
    /* Every truncation fails instead of reading on. */
    for (size_t cut = 0; cut < len; cut++)
        CHECK_INT_EQ(fqdn_from_wire(wire, cut, text, sizeof text), -1);
    /* A compression pointer is refused. */
    unsigned char pointer[] = {0x03, 's', 'i', 'p', 0xC0, 0x0C};
    CHECK_INT_EQ(fqdn_from_wire(pointer, sizeof pointer, text, sizeof text), -1);
    /* Too small an output buffer is refused, not overrun. */
    CHECK_INT_EQ(fqdn_from_wire(wire, len, text, 8), -1);
}

static void parses_ipv4(void)
{
    unsigned char addr[4];
    CHECK_INT_EQ(ipv4_parse("10.20.0.1", addr), 0);
    CHECK_HEX_EQ(addr, 4, "0A140001");
    CHECK_INT_EQ(ipv4_parse("256.0.0.1", addr), -1);
    CHECK_INT_EQ(ipv4_parse("10.0.0", addr), -1);
    CHECK_INT_EQ(ipv4_parse("10.0.0.1.", addr), -1);
    CHECK_INT_EQ(ipv4_parse("10.0.0.1x", addr), -1);
    CHECK_INT_EQ(ipv4_parse("", addr), -1);
    CHECK_INT_EQ(ipv4_parse("1000.0.0.1", addr), -1);
}

int main(void)
{
    RUN(accepts_ldh_names);
    RUN(rejects_bad_names_with_reason);
    RUN(enforces_label_and_name_limits);
    RUN(writes_wire_form);
    RUN(reads_wire_form_within_bounds);
    RUN(parses_ipv4);
    CHECK_DONE();
}
