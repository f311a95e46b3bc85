/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "lync_checks.h"

static const char *GOOD43 =
    "010C4D532D55432D436C69656E74020568747470730312706F6F6C30312E636F6E746F736F2E636F6D"
    "040334343305252F4365727450726F762F4365727450726F766973696F6E696E67536572766963652E737663";

static void good_options_pass(void)
{
    unsigned char in[255];
    char url[300], registrar[256];
    struct lync_problems p = {0};
    size_t len = hex_to_bytes(GOOD43, in, sizeof in);
    lync_check_uc_option43(in, len, url, sizeof url, &p);
    CHECK_INT_EQ(p.count, 0);
    CHECK_STR_EQ(url, "https://pool01.contoso.com:443/CertProv/CertProvisioningService.svc");
    len = hex_to_bytes("0006706F6F6C303107636F6E746F736F03636F6D00", in, sizeof in);
    lync_check_option120(in, len, registrar, sizeof registrar, &p);
    CHECK_INT_EQ(p.count, 0);
    CHECK_STR_EQ(registrar, "pool01.contoso.com");
}

static void binary_port_is_named(void)
{
    unsigned char in[255];
    char url[300];
    struct lync_problems p = {0};
    /* The uint16 mistake of some plugins: 04 02 01BB. */
    size_t len = hex_to_bytes("010C4D532D55432D436C69656E7402056874747073030F7369702E636F6E746F"
                              "736F2E636F6D040201BB05012F", in, sizeof in);
    lync_check_uc_option43(in, len, url, sizeof url, &p);
    CHECK_INT_EQ(p.count, 1);
    CHECK_CONTAINS(p.text[0], "2 binary bytes (443)");
    CHECK_STR_EQ(url, "");
}

static void missing_and_broken(void)
{
    unsigned char in[255];
    char url[300], registrar[256];
    struct lync_problems p = {0};
    lync_check_uc_option43(NULL, 0, url, sizeof url, &p);
    CHECK_CONTAINS(p.text[0], "no option 43");
    p.count = 0;
    size_t len = hex_to_bytes("010C4D532D55432D436C69656E74", in, sizeof in);
    lync_check_uc_option43(in, len, url, sizeof url, &p);
    CHECK_INT_EQ(p.count, 4);
    CHECK_CONTAINS(p.text[0], "lacks sub-option 2 (URL Scheme)");
    p.count = 0;
    len = hex_to_bytes("06706F6F6C303107636F6E746F736F03636F6D00", in, sizeof in);
    lync_check_option120(in, len, registrar, sizeof registrar, &p);
    CHECK_CONTAINS(p.text[0], "leading 00 missing");
    p.count = 0;
    len = hex_to_bytes("0006706F6F6C303107636F6E746F736F03636F6D", in, sizeof in);
    lync_check_option120(in, len, registrar, sizeof registrar, &p);
    CHECK_CONTAINS(p.text[0], "trailing 00 missing");
    p.count = 0;
    len = hex_to_bytes("010A000001", in, sizeof in);
    lync_check_option120(in, len, registrar, sizeof registrar, &p);
    CHECK_CONTAINS(p.text[0], "encoding 1");
    CHECK_STR_EQ(registrar, "10.0.0.1");
}

/* Sub-option 3 carrying terminal escape sequences (ESC ] 0 ; ... BEL: "set the
 * window title"): named with \xNN in the problem, and no URL is made from it. The same
 * for option 120: no registrar from a name that is not one. */
static void hostile_text_never_reaches_a_url(void)
{
    unsigned char in[255];
    char url[300], registrar[256];
    struct lync_problems p = {0};
    /* 03 0B: ESC "]0;pwn" BEL "e.co" */
    size_t len = hex_to_bytes("010C4D532D55432D436C69656E74020568747470730310"
                              "1B5D303B70776E07652E636F6E746F736F2E636F6D"
                              "040334343305012F", in, sizeof in);
    in[22] = (unsigned char)(len - 23 - 8); /* sub-option 3's length */
    lync_check_uc_option43(in, len, url, sizeof url, &p);
    CHECK_STR_EQ(url, "");
    CHECK_INT_EQ(p.count, 1);
    CHECK_CONTAINS(p.text[0], "sub-option 3 '\\x1B]0;pwn\\x07e.contoso.com' is not a valid FQDN");
    for (const char *c = p.text[0]; *c; c++)
        CHECK((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f);
    /* A path with a blank: no URL either. */
    struct lync_problems p2 = {0};
    len = hex_to_bytes("010C4D532D55432D436C69656E74020568747470730312706F6F6C30312E636F6E74"
                       "6F736F2E636F6D04033434330503612062", in, sizeof in);
    lync_check_uc_option43(in, len, url, sizeof url, &p2);
    CHECK_STR_EQ(url, "");
    CHECK_INT_EQ(p2.count, 1);
    /* Option 120 whose first name is not a host name (its decoder already refuses
     * unprintable bytes): named, and no registrar. */
    struct lync_problems p3 = {0};
    len = hex_to_bytes("0006706F6F6C3A3107636F6E746F736F03636F6D00", in, sizeof in);
    lync_check_option120(in, len, registrar, sizeof registrar, &p3);
    CHECK_STR_EQ(registrar, "");
    CHECK_INT_EQ(p3.count, 1);
    CHECK_CONTAINS(p3.text[0], "option 120 name 'pool:1.contoso.com'");
}

int main(void)
{
    RUN(good_options_pass);
    RUN(binary_port_is_named);
    RUN(missing_and_broken);
    RUN(hostile_text_never_reaches_a_url);
    CHECK_DONE();
}
