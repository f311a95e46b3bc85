/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe: the phone's view of the Lync bootstrap options. This first part
 * decodes option bytes captured from a DHCP reply (the lab prints what its emulated
 * phone received with it); the DHCPUtil-style encoder and the live emulation build
 * on the same lib/ decoders. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fqdn.h"
#include "lync_settings.h"
#include "opt120.h"
#include "opt43.h"
#include "opt_time.h"

#define EXIT_USAGE 2

static void usage(FILE *out)
{
    fputs("Usage: lyncboot-probe options --sip-server FQDN [--web-server FQDN] [--port N] [--json]\n"
          "       lyncboot-probe decode [OPTION HEX]...\n\n"
          "options: print options 120 and 43 as DHCPUtil.exe does, decoded back, and\n"
          "configuration for the lyncboot Kea hook, plain Kea, ISC dhcpd, Cisco IOS and\n"
          "Windows Server.\n"
          "  --sip-server FQDN    registrar pool (Director or Front End) -> option 120\n"
          "  --web-server FQDN    web services FQDN -> option 43 sub-option 3 (default: SIP server)\n"
          "  --port N             web services port (default 443)\n"
          "  --json               machine-readable output\n\n"
          "decode: decode Lync phone DHCP options as a phone reads them.\n"
          "  --option43-uc HEX    option 43 for vendor class MS-UC-Client\n"
          "  --option43-vlan HEX  option 43 for vendor class CPE-OCPHONE (voice VLAN)\n"
          "  --option120 HEX      option 120, SIP servers (RFC 3361)\n"
          "  --option42 HEX       option 42, NTP servers\n"
          "  --option2 HEX        option 2, time offset\n"
          "  -h, --help           show this help\n\n"
          "HEX is the option value without code and length, in either case.\n"
          "Exit status: 0 success, 1 an option is malformed, 2 usage or input error.\n",
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

/* IOS 15.1(3)S and later cut "option 43 hex" values after 180 hex digits. */
#define CISCO_HEX_LIMIT 180

static void hex_upper(const uint8_t *data, size_t len, char *out)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

/* Prints bytes as dhcpd's colon-hex or PowerShell's 0x.. list. */
static void print_bytes_sep(const uint8_t *data, size_t len, const char *prefix,
                            const char *sep)
{
    for (size_t i = 0; i < len; i++)
        printf("%s%s%02X", i ? sep : "", prefix, data[i]);
}

struct dhcputil_values {
    const char *sip, *web;
    unsigned port;
    struct opt_bytes opt120, opt43;
    char url[600];
};

static const char *const subopt_labels[] = {NULL, "UC Identifier", "URL Scheme",
                                            "Web Server FQDN", "Port",
                                            "Relative Path for Cert Prov"};
static const char *const subopt_names[] = {NULL, "UCIdentifier", "URLScheme",
                                           "WebServerFqdn", "WebServerPort",
                                           "CertProvRelPath"};

static void print_dhcputil(const struct dhcputil_values *v)
{
    char hex[2 * DHCP_OPTION_MAX + 1];
    printf("SIP Server FQDN : %s\n", v->sip);
    printf("Certificate Provisioning Service URL : %s\n\n", v->url);
    hex_upper(v->opt120.data, v->opt120.len, hex);
    printf("Option 120:\n%s\n\n", hex);
    printf("Vendor Class Identifier: %s\n", VENDOR_CLASS_UC_CLIENT);
    printf("Option 43 (for vendor=%s):\n", VENDOR_CLASS_UC_CLIENT);
    hex_upper(v->opt43.data, v->opt43.len, hex);
    printf("        Full Option 43 value (Length: %zu) : \n", 2 * v->opt43.len);
    printf("        %s\n", hex);
    size_t pos = 0;
    struct opt43_sub sub;
    while (opt43_next_sub(v->opt43.data, v->opt43.len, &pos, &sub) == 1) {
        hex_upper(sub.value, sub.len, hex);
        printf("        sub-option %u <%s>: %s\n", sub.code,
               sub.code <= 5 ? subopt_labels[sub.code] : "?", hex);
    }
}

static void print_configs(const struct dhcputil_values *v)
{
    char hex43[2 * DHCP_OPTION_MAX + 1], hex120[2 * DHCP_OPTION_MAX + 1];
    hex_upper(v->opt43.data, v->opt43.len, hex43);
    hex_upper(v->opt120.data, v->opt120.len, hex120);

    printf("\nConfiguration\n=============\n\n");
    printf("-- lyncboot Kea hook (kea-dhcp4.conf) --\n");
    printf("\"hooks-libraries\": [ {\n"
           "  \"library\": \"/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lyncboot.so\",\n"
           "  \"parameters\": { \"sip-server\": \"%s\", \"web-server\": \"%s\", "
           "\"web-port\": %u }\n} ]\n\n",
           v->sip, v->web, v->port);

    printf("-- Kea without lyncboot (kea-dhcp4.conf: option-def + client-class) --\n");
    printf("\"option-def\": [\n");
    for (int i = 1; i <= 5; i++)
        printf("  { \"space\": \"vendor-encapsulated-options-space\", \"name\": \"%s\", "
               "\"code\": %d, \"type\": \"string\" },\n", subopt_names[i], i);
    printf("  { \"space\": \"dhcp4\", \"name\": \"sip-server\", \"code\": 120, "
           "\"type\": \"binary\" } ],\n");
    printf("\"client-classes\": [ {\n"
           "  \"name\": \"MS-UC-Client\",\n"
           "  \"test\": \"option[60].text == 'MS-UC-Client'\",\n"
           "  \"option-data\": [\n"
           "    { \"name\": \"vendor-encapsulated-options\", \"always-send\": true },\n");
    const char *values[6] = {NULL, VENDOR_CLASS_UC_CLIENT, "https", v->web, NULL,
                             LYNC_DEFAULT_CERT_PROV_PATH};
    char port[8];
    snprintf(port, sizeof port, "%u", v->port);
    values[4] = port;
    for (int i = 1; i <= 5; i++)
        printf("    { \"space\": \"vendor-encapsulated-options-space\", \"name\": \"%s\", "
               "\"data\": \"%s\" },\n", subopt_names[i], values[i]);
    printf("    { \"name\": \"sip-server\", \"data\": \"%s\", \"always-send\": true } ] } ]\n\n",
           hex120);

    printf("-- ISC dhcpd (dhcpd.conf) --\n");
    printf("option ms-uc-sip-server code 120 = string;\n"
           "class \"MS-UC-Client\" {\n"
           "  match if option vendor-class-identifier = \"MS-UC-Client\";\n"
           "  option vendor-encapsulated-options ");
    print_bytes_sep(v->opt43.data, v->opt43.len, "", ":");
    printf(";\n  option ms-uc-sip-server ");
    print_bytes_sep(v->opt120.data, v->opt120.len, "", ":");
    printf(";\n}\n\n");

    printf("-- Cisco IOS (ip dhcp pool of the voice VLAN) --\n");
    printf(" option 43 hex %s\n option 120 hex %s\n", hex43, hex120);
    if (strlen(hex43) > CISCO_HEX_LIMIT) {
        printf("! WARNING: option 43 is %zu hex digits. IOS 15.1(3)S and later silently cut\n"
               "! 'option 43 hex' after %d digits (sub-option 5 is corrupted and the phone\n"
               "! never shows the PIN prompt). Use instead (IOS XE 3.2.1S and later):\n"
               " option ext 43 hex %s\n"
               "! or a shorter web server FQDN (at most 23 characters with the defaults).\n",
               strlen(hex43), CISCO_HEX_LIMIT, hex43);
    }
    printf("\n-- Windows Server DHCP (PowerShell) --\n");
    printf("Add-DhcpServerv4Class -Name MSUCClient -Type Vendor -Data \"MS-UC-Client\" "
           "-Description \"UC Vendor Class Id\"\n");
    printf("Add-DhcpServerv4OptionDefinition -OptionId 120 -Name UCSipServer -Type BinaryData\n");
    for (int i = 1; i <= 5; i++)
        printf("Add-DhcpServerv4OptionDefinition -VendorClass MSUCClient -OptionId %d "
               "-Name %s -Type BinaryData\n", i, subopt_names[i]);
    printf("Set-DhcpServerv4OptionValue -OptionId 120 -Value ");
    print_bytes_sep(v->opt120.data, v->opt120.len, "0x", ",");
    printf("\n");
    size_t pos = 0;
    struct opt43_sub sub;
    while (opt43_next_sub(v->opt43.data, v->opt43.len, &pos, &sub) == 1) {
        printf("Set-DhcpServerv4OptionValue -VendorClass MSUCClient -OptionId %u -Value ",
               sub.code);
        print_bytes_sep(sub.value, sub.len, "0x", ",");
        printf("\n");
    }
}

static void print_json(const struct dhcputil_values *v)
{
    char hex[2 * DHCP_OPTION_MAX + 1];
    /* Every string here passed FQDN or fixed-text checks: no JSON escaping needed. */
    printf("{\"sip_server\": \"%s\", \"web_server\": \"%s\", \"port\": %u, "
           "\"cert_prov_url\": \"%s\", ", v->sip, v->web, v->port, v->url);
    hex_upper(v->opt120.data, v->opt120.len, hex);
    printf("\"option120\": \"%s\", ", hex);
    hex_upper(v->opt43.data, v->opt43.len, hex);
    printf("\"vendor_class\": \"%s\", \"option43\": \"%s\", \"option43_hex_digits\": %zu, "
           "\"cisco_option_hex_truncated\": %s, \"sub_options\": {",
           VENDOR_CLASS_UC_CLIENT, hex, 2 * v->opt43.len,
           2 * v->opt43.len > CISCO_HEX_LIMIT ? "true" : "false");
    size_t pos = 0;
    struct opt43_sub sub;
    int first = 1;
    while (opt43_next_sub(v->opt43.data, v->opt43.len, &pos, &sub) == 1) {
        hex_upper(sub.value, sub.len, hex);
        printf("%s\"%u\": \"%s\"", first ? "" : ", ", sub.code, hex);
        first = 0;
    }
    printf("}}\n");
}

static int cmd_options(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"sip-server", required_argument, NULL, 's'},
        {"web-server", required_argument, NULL, 'w'},
        {"port", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct dhcputil_values v = {.port = LYNC_DEFAULT_WEB_PORT};
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 's': v.sip = optarg; break;
        case 'w': v.web = optarg; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return 0;
        case 'p': {
            char *end;
            unsigned long port = strtoul(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || port < 1 || port > 65535) {
                fprintf(stderr, "lyncboot-probe: --port: '%s' is not a port (1-65535)\n",
                        optarg);
                return EXIT_USAGE;
            }
            v.port = (unsigned)port;
            break;
        }
        default: return EXIT_USAGE;
        }
    }
    if (v.sip == NULL || optind != argc) {
        fprintf(stderr, "lyncboot-probe: options needs --sip-server FQDN (try --help)\n");
        return EXIT_USAGE;
    }
    if (v.web == NULL)
        v.web = v.sip; /* as DHCPUtil does without -WebServer */
    char err[320];
    for (int i = 0; i < 2; i++) {
        const char *name = i ? v.web : v.sip;
        if (fqdn_validate(name, err, sizeof err) != 0) {
            fprintf(stderr, "lyncboot-probe: --%s '%s': %s\n",
                    i ? "web-server" : "sip-server", name, err);
            return EXIT_USAGE;
        }
    }
    if (opt120_encode_names(&v.sip, 1, &v.opt120, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-probe: --sip-server: %s\n", err);
        return EXIT_USAGE;
    }
    struct ucclient_params params = {LYNC_DEFAULT_URL_SCHEME, v.web, v.port,
                                     LYNC_DEFAULT_CERT_PROV_PATH};
    if (opt43_encode_ucclient(&params, &v.opt43, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-probe: --web-server: %s\n", err);
        return EXIT_USAGE;
    }
    size_t web_len = strlen(v.web);
    snprintf(v.url, sizeof v.url, "%s://%.*s:%u%s", LYNC_DEFAULT_URL_SCHEME,
             (int)(v.web[web_len - 1] == '.' ? web_len - 1 : web_len), v.web, v.port,
             LYNC_DEFAULT_CERT_PROV_PATH);
    if (json) {
        print_json(&v);
        return 0;
    }
    print_dhcputil(&v);
    printf("\nAs a phone reads it\n===================\n");
    int status = decode_120(v.opt120.data, v.opt120.len);
    status |= decode_uc(v.opt43.data, v.opt43.len);
    print_configs(&v);
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
    if (strcmp(argv[1], "options") == 0)
        return cmd_options(argc - 1, argv + 1);
    fprintf(stderr, "lyncboot-probe: unknown command '%s' (try --help)\n", argv[1]);
    return EXIT_USAGE;
}
