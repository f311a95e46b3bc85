/* SPDX-License-Identifier: MPL-2.0 */
/* Prints decoded Lync options as a phone reads them. */
#include <stdio.h>
#include <stdlib.h>

#include "opt120.h"
#include "opt43.h"
#include "opt_time.h"
#include "probe.h"

void hex_upper(const uint8_t *data, size_t len, char *out)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

static void print_hex(const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        printf("%02X", data[i]);
}

/* Prints text from the network with anything unprintable as \xNN, so a hostile or
 * broken server cannot drive the terminal. */
void print_safe(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p >= 0x20 && *p < 0x7f)
            putchar(*p);
        else
            printf("\\x%02X", *p);
    }
}

int report_uc_option43(const uint8_t *data, size_t len)
{
    struct ucclient_decoded dec;
    printf("Option 43 (vendor class MS-UC-Client), %zu bytes:\n", len);
    if (opt43_decode_ucclient(data, len, &dec) != 0) {
        printf("  MALFORMED: a sub-option runs past the end of the option\n");
        return 1;
    }
    static const char *const labels[] = {NULL, "UC Identifier", "URL Scheme",
                                          "Web Server FQDN", "Port",
                                          "Relative Path for Cert Prov"};
    const char *values[] = {NULL, dec.identifier, dec.url_scheme, dec.web_fqdn,
                            dec.web_port, dec.cert_prov_path};
    int missing = 0;
    for (int sub = 1; sub <= 5; sub++) {
        if (dec.present & (1u << sub)) {
            printf("  sub-option %d <%s>: ", sub, labels[sub]);
            print_safe(values[sub]);
            putchar('\n');
        } else {
            printf("  sub-option %d <%s>: MISSING\n", sub, labels[sub]);
            missing = 1;
        }
    }
    if (!missing) {
        printf("  Certificate Provisioning Service URL: ");
        print_safe(dec.url_scheme);
        printf("://");
        print_safe(dec.web_fqdn);
        putchar(':');
        print_safe(dec.web_port);
        print_safe(dec.cert_prov_path);
        putchar('\n');
    }
    return missing;
}

int report_vlan_option43(const uint8_t *data, size_t len)
{
    struct vlan_decoded dec;
    printf("Option 43 (vendor class CPE-OCPHONE), %zu bytes:\n", len);
    if (opt43_decode_vlan(data, len, &dec) != 0) {
        printf("  MALFORMED: a sub-option runs past the end of the option\n");
        return 1;
    }
    if (!dec.present) {
        printf("  sub-option 10 <Voice VLAN>: MISSING\n");
        return 1;
    }
    printf("  sub-option 10 <Voice VLAN>: ");
    print_hex(dec.raw, dec.raw_len);
    printf("\n");
    if (dec.as_word >= 0)
        printf("    as a 16-bit word: VLAN %d\n", dec.as_word);
    if (dec.as_byte >= 0)
        printf("    as one byte: VLAN %d\n", dec.as_byte);
    if (dec.as_ascii >= 0)
        printf("    as ASCII decimal: VLAN %d\n", dec.as_ascii);
    return 0;
}

int report_option120(const uint8_t *data, size_t len)
{
    struct opt120_decoded dec;
    char err[128];
    printf("Option 120 (SIP servers), %zu bytes:\n", len);
    if (opt120_decode(data, len, &dec, err, sizeof err) != 0) {
        printf("  MALFORMED: %s\n", err);
        return 1;
    }
    printf("  encoding %d (%s)\n", dec.encoding,
           dec.encoding == OPT120_ENC_NAMES ? "domain names" : "IPv4 addresses");
    for (size_t i = 0; i < dec.count; i++)
        printf("  %s: %s\n", i == 0 ? "registrar" : "next", dec.entries[i]);
    if (dec.encoding == OPT120_ENC_ADDRESSES)
        printf("  WARNING: phones need a name for TLS; use encoding 0\n");
    return 0;
}

int report_option42(const uint8_t *data, size_t len)
{
    uint8_t addrs[OPT42_MAX_SERVERS][4];
    printf("Option 42 (NTP servers), %zu bytes:\n", len);
    int n = opt42_decode(data, len, addrs, OPT42_MAX_SERVERS);
    if (n < 0) {
        printf("  MALFORMED: length is not a multiple of 4\n");
        return 1;
    }
    for (int i = 0; i < n; i++)
        printf("  %u.%u.%u.%u\n", addrs[i][0], addrs[i][1], addrs[i][2], addrs[i][3]);
    return 0;
}

int report_option2(const uint8_t *data, size_t len)
{
    int32_t offset;
    printf("Option 2 (time offset), %zu bytes:\n", len);
    if (opt2_decode(data, len, &offset) != 0) {
        printf("  MALFORMED: length is not 4\n");
        return 1;
    }
    printf("  %+d s (UTC%+d:%02d)\n", offset, offset / 3600, abs(offset % 3600) / 60);
    return 0;
}

