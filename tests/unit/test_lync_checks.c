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

int main(void)
{
    RUN(good_options_pass);
    RUN(binary_port_is_named);
    RUN(missing_and_broken);
    CHECK_DONE();
}
