/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "opt43.h"

#define CERT_PATH "/CertProv/CertProvisioningService.svc"

static struct ucclient_params params_for(const char *web)
{
    struct ucclient_params params = {"https", web, 443, CERT_PATH};
    return params;
}

/* lync-bootstrap.md 1.6, DHCPUtil output (S17). */
static void dhcputil_vector_server_fqdn_company(void)
{
    struct opt_bytes out;
    struct ucclient_params params = params_for("server.fqdn.company.com");
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, NULL, 0), 0);
    CHECK_INT_EQ(out.len, 90);
    CHECK_HEX_EQ(out.data, out.len,
                 "010C4D532D55432D436C69656E740205687474707303177365727665722E6671646E2E636F"
                 "6D70616E792E636F6D040334343305252F4365727450726F762F4365727450726F76697369"
                 "6F6E696E67536572766963652E737663");
}

/* S18 (Get-CsCiscoIosDhcp). */
static void vector_sip_contoso(void)
{
    struct opt_bytes out;
    struct ucclient_params params = params_for("sip.contoso.com");
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, NULL, 0), 0);
    CHECK_HEX_EQ(out.data, out.len,
                 "010c4d532d55432d436c69656e7402056874747073030f7369702e636f6e746f736f2e636f"
                 "6d040334343305252f4365727450726f762f4365727450726f766973696f6e696e67536572"
                 "766963652e737663");
}

static void vector_pool01_contoso(void)
{
    struct opt_bytes out;
    struct ucclient_params params = params_for("pool01.contoso.com");
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, NULL, 0), 0);
    CHECK_INT_EQ(out.len, 85);
    CHECK_HEX_EQ(out.data, out.len,
                 "010C4D532D55432D436C69656E74020568747470730312706F6F6C30312E636F6E746F736F"
                 "2E636F6D040334343305252F4365727450726F762F4365727450726F766973696F6E696E67"
                 "536572766963652E737663");
}

/* S24: only the sub-option 3/4 part is published; check it is embedded. */
static void vector_epsilonhq_subs(void)
{
    struct opt_bytes out;
    struct ucclient_params params = params_for("epslync01.epsilonhq.local");
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, NULL, 0), 0);
    CHECK_HEX_EQ(out.data + 21, 2 + 25 + 5,
                 "03196570736c796e6330312e657073696c6f6e68712e6c6f63616c0403343433");
}

static void port_is_ascii_text(void)
{
    struct opt_bytes out;
    struct ucclient_params params = params_for("pool01.contoso.com");
    params.web_port = 4443;
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, NULL, 0), 0);
    struct ucclient_decoded dec;
    CHECK_INT_EQ(opt43_decode_ucclient(out.data, out.len, &dec), 0);
    CHECK_STR_EQ(dec.web_port, "4443");
    CHECK_STR_EQ(dec.identifier, "MS-UC-Client");
    CHECK_STR_EQ(dec.url_scheme, "https");
    CHECK_STR_EQ(dec.web_fqdn, "pool01.contoso.com");
    CHECK_STR_EQ(dec.cert_prov_path, CERT_PATH);
    CHECK_INT_EQ(dec.present, 0x3E);
}

static void trailing_dot_is_not_sent(void)
{
    struct opt_bytes out;
    struct ucclient_params params = params_for("pool01.contoso.com.");
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, NULL, 0), 0);
    CHECK_INT_EQ(out.len, 85);
}

static void longest_web_fqdn_fits_and_one_more_fails(void)
{
    /* 67 fixed bytes + 188 = 255. */
    char name[300];
    memset(name, 0, sizeof name);
    memset(name, 'a', 62);
    name[62] = '.';
    memset(name + 63, 'b', 62);
    name[125] = '.';
    memset(name + 126, 'c', 58);
    strcpy(name + 184, ".com");
    CHECK_INT_EQ(strlen(name), 188);
    struct opt_bytes out;
    char err[128] = "";
    struct ucclient_params params = params_for(name);
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, err, sizeof err), 0);
    CHECK_INT_EQ(out.len, 255);
    strcpy(name + 184, ".comx");
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, err, sizeof err), -1);
    CHECK_STR_EQ(err, "option 43 would be longer than 255 bytes");
    CHECK_INT_EQ(out.len, 0);
}

static void rejects_bad_ucclient_values(void)
{
    struct opt_bytes out;
    char err[160];
    struct ucclient_params params = params_for("bad..name");
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, err, sizeof err), -1);
    CHECK_STR_EQ(err, "web server FQDN: empty label");
    params = params_for("pool01.contoso.com");
    params.web_port = 0;
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, err, sizeof err), -1);
    CHECK_STR_EQ(err, "port must be 1-65535");
    params = params_for("pool01.contoso.com");
    params.cert_prov_path = "CertProv";
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "must start with /");
    params = params_for("pool01.contoso.com");
    params.url_scheme = "HTTPS";
    CHECK_INT_EQ(opt43_encode_ucclient(&params, &out, err, sizeof err), -1);
}

static void vlan_formats(void)
{
    struct opt_bytes out;
    char err[128];
    CHECK_INT_EQ(opt43_encode_vlan(100, VLAN_FORMAT_WORD, &out, err, sizeof err), 0);
    CHECK_HEX_EQ(out.data, out.len, "0A020064");
    CHECK_INT_EQ(opt43_encode_vlan(100, VLAN_FORMAT_ASCII, &out, err, sizeof err), 0);
    CHECK_HEX_EQ(out.data, out.len, "0A03313030");
    CHECK_INT_EQ(opt43_encode_vlan(100, VLAN_FORMAT_BYTE, &out, err, sizeof err), 0);
    CHECK_HEX_EQ(out.data, out.len, "0A0164");
    CHECK_INT_EQ(opt43_encode_vlan(4094, VLAN_FORMAT_WORD, &out, err, sizeof err), 0);
    CHECK_HEX_EQ(out.data, out.len, "0A020FFE");
    CHECK_INT_EQ(opt43_encode_vlan(0, VLAN_FORMAT_WORD, &out, err, sizeof err), -1);
    CHECK_STR_EQ(err, "VLAN id must be 1-4094");
    CHECK_INT_EQ(opt43_encode_vlan(4095, VLAN_FORMAT_WORD, &out, err, sizeof err), -1);
    CHECK_INT_EQ(opt43_encode_vlan(300, VLAN_FORMAT_BYTE, &out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "does not fit vlan-id-format byte");

    enum vlan_format format;
    CHECK_INT_EQ(vlan_format_parse("ascii", &format), 0);
    CHECK_INT_EQ(format, VLAN_FORMAT_ASCII);
    CHECK_STR_EQ(vlan_format_name(format), "ascii");
    CHECK_INT_EQ(vlan_format_parse("Word", &format), -1);
}

static void vlan_decoding_reads_every_format(void)
{
    unsigned char in[16];
    struct vlan_decoded dec;
    size_t len = hex_to_bytes("0A020064", in, sizeof in);
    CHECK_INT_EQ(opt43_decode_vlan(in, len, &dec), 0);
    CHECK(dec.present);
    CHECK_INT_EQ(dec.as_word, 100);
    CHECK_INT_EQ(dec.as_byte, -1);
    CHECK_INT_EQ(dec.as_ascii, -1);
    len = hex_to_bytes("0A03313030", in, sizeof in);
    CHECK_INT_EQ(opt43_decode_vlan(in, len, &dec), 0);
    CHECK_INT_EQ(dec.as_ascii, 100);
    CHECK_INT_EQ(dec.as_word, -1);
    len = hex_to_bytes("0A0164", in, sizeof in);
    CHECK_INT_EQ(opt43_decode_vlan(in, len, &dec), 0);
    CHECK_INT_EQ(dec.as_byte, 100);
    len = hex_to_bytes("01024142", in, sizeof in);
    CHECK_INT_EQ(opt43_decode_vlan(in, len, &dec), 0);
    CHECK(!dec.present);
}

static void tlv_walker_never_reads_past_input(void)
{
    unsigned char in[] = {0x01, 0x05, 'a', 'b'}; /* claims 5, holds 2 */
    size_t pos = 0;
    struct opt43_sub sub;
    CHECK_INT_EQ(opt43_next_sub(in, sizeof in, &pos, &sub), -1);
    unsigned char lone_code[] = {0x01};
    pos = 0;
    CHECK_INT_EQ(opt43_next_sub(lone_code, sizeof lone_code, &pos, &sub), -1);
    unsigned char padded[] = {0x00, 0x02, 0x01, 'x', 0xFF, 0x03};
    pos = 0;
    CHECK_INT_EQ(opt43_next_sub(padded, sizeof padded, &pos, &sub), 1);
    CHECK_INT_EQ(sub.code, 2);
    CHECK_INT_EQ(opt43_next_sub(padded, sizeof padded, &pos, &sub), 0);
    struct ucclient_decoded dec;
    CHECK_INT_EQ(opt43_decode_ucclient(in, sizeof in, &dec), -1);
}

int main(void)
{
    RUN(dhcputil_vector_server_fqdn_company);
    RUN(vector_sip_contoso);
    RUN(vector_pool01_contoso);
    RUN(vector_epsilonhq_subs);
    RUN(port_is_ascii_text);
    RUN(trailing_dot_is_not_sent);
    RUN(longest_web_fqdn_fits_and_one_more_fails);
    RUN(rejects_bad_ucclient_values);
    RUN(vlan_formats);
    RUN(vlan_decoding_reads_every_format);
    RUN(tlv_walker_never_reads_past_input);
    CHECK_DONE();
}
