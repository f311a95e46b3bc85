/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe: the phone's view of the Lync bootstrap options. This first part
 * decodes option bytes captured from a DHCP reply (the lab prints what its emulated
 * phone received with it); the DHCPUtil-style encoder and the live emulation build
 * on the same lib/ decoders. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt120.h"
#include "opt43.h"
#include "opt_time.h"

#define EXIT_USAGE 2

static void usage(FILE *out)
{
    fputs("Usage: lyncboot-probe decode [OPTION HEX]...\n"
          "Decode Lync phone DHCP options as a phone reads them.\n\n"
          "  --option43-uc HEX    option 43 for vendor class MS-UC-Client\n"
          "  --option43-vlan HEX  option 43 for vendor class CPE-OCPHONE (voice VLAN)\n"
          "  --option120 HEX      option 120, SIP servers (RFC 3361)\n"
          "  --option42 HEX       option 42, NTP servers\n"
          "  --option2 HEX        option 2, time offset\n"
          "  -h, --help           show this help\n\n"
          "HEX is the option value without code and length, in either case.\n"
          "Exit status: 0 decoded, 1 an option is malformed, 2 usage error.\n",
          out);
}

/* Returns the byte count, or -1 if text is not an even run of hex digits. */
static int hex_decode(const char *text, uint8_t *out, size_t cap)
{
    size_t len = strlen(text);
    if (len % 2 != 0 || len / 2 > cap)
        return -1;
    for (size_t i = 0; i < len / 2; i++) {
        unsigned value;
        char pair[3] = {text[2 * i], text[2 * i + 1], '\0'};
        char *end;
        value = (unsigned)strtoul(pair, &end, 16);
        if (*end != '\0' || pair[0] == '+' || pair[0] == '-' || pair[0] == ' ')
            return -1;
        out[i] = (uint8_t)value;
    }
    return (int)(len / 2);
}

static void print_hex(const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        printf("%02X", data[i]);
}

/* Prints text from the network with anything unprintable as \xNN, so a hostile or
 * broken server cannot drive the terminal. */
static void print_safe(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p >= 0x20 && *p < 0x7f)
            putchar(*p);
        else
            printf("\\x%02X", *p);
    }
}

static int decode_uc(const uint8_t *data, size_t len)
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

static int decode_vlan(const uint8_t *data, size_t len)
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

static int decode_120(const uint8_t *data, size_t len)
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

static int decode_42(const uint8_t *data, size_t len)
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

static int decode_2(const uint8_t *data, size_t len)
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

static int cmd_decode(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"option43-uc", required_argument, NULL, 'u'},
        {"option43-vlan", required_argument, NULL, 'v'},
        {"option120", required_argument, NULL, 's'},
        {"option42", required_argument, NULL, 'n'},
        {"option2", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int status = 0, any = 0, c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        uint8_t data[DHCP_OPTION_MAX];
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        if (c == '?')
            return EXIT_USAGE;
        int len = hex_decode(optarg, data, sizeof data);
        if (len < 0) {
            fprintf(stderr, "lyncboot-probe: --%s: not hex bytes, or over 255 bytes: %s\n",
                    longopts[c == 'u' ? 0 : c == 'v' ? 1 : c == 's' ? 2 : c == 'n' ? 3 : 4].name,
                    optarg);
            return EXIT_USAGE;
        }
        any = 1;
        switch (c) {
        case 'u': status |= decode_uc(data, (size_t)len); break;
        case 'v': status |= decode_vlan(data, (size_t)len); break;
        case 's': status |= decode_120(data, (size_t)len); break;
        case 'n': status |= decode_42(data, (size_t)len); break;
        case 't': status |= decode_2(data, (size_t)len); break;
        default: break;
        }
    }
    if (!any || optind != argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "decode") == 0)
        return cmd_decode(argc - 1, argv + 1);
    fprintf(stderr, "lyncboot-probe: unknown command '%s' (try --help)\n", argv[1]);
    return EXIT_USAGE;
}
