/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe options: DHCPUtil.exe's output for a pool, and ready-to-paste
 * configuration for the DHCP servers admins run. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fqdn.h"
#include "lync_settings.h"
#include "opt120.h"
#include "opt43.h"
#include "probe.h"

/* IOS 15.1(3)S and later cut "option 43 hex" values after 180 hex digits. */
#define CISCO_HEX_LIMIT 180

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
    json_t *root = json_object(), *subs = json_object();
    json_object_set_new(root, "sip_server", json_string(v->sip));
    json_object_set_new(root, "web_server", json_string(v->web));
    json_object_set_new(root, "port", json_integer(v->port));
    json_object_set_new(root, "cert_prov_url", json_string(v->url));
    hex_upper(v->opt120.data, v->opt120.len, hex);
    json_object_set_new(root, "option120", json_string(hex));
    hex_upper(v->opt43.data, v->opt43.len, hex);
    json_object_set_new(root, "vendor_class", json_string(VENDOR_CLASS_UC_CLIENT));
    json_object_set_new(root, "option43", json_string(hex));
    json_object_set_new(root, "option43_hex_digits", json_integer((json_int_t)(2 * v->opt43.len)));
    json_object_set_new(root, "cisco_option_hex_truncated",
                        json_boolean(2 * v->opt43.len > CISCO_HEX_LIMIT));
    size_t pos = 0;
    struct opt43_sub sub;
    while (opt43_next_sub(v->opt43.data, v->opt43.len, &pos, &sub) == 1) {
        char code[4];
        snprintf(code, sizeof code, "%u", sub.code);
        hex_upper(sub.value, sub.len, hex);
        json_object_set_new(subs, code, json_string(hex));
    }
    json_object_set_new(root, "sub_options", subs);
    json_dumpf(root, stdout, 0);
    putchar('\n');
    json_decref(root);
}

int cmd_options(int argc, char **argv)
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
        case 'h': probe_usage(stdout); return 0;
        case 'p':
            if (parse_port("--port", optarg, &v.port) != 0)
                return EXIT_USAGE;
            break;
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
    int status = report_option120(v.opt120.data, v.opt120.len);
    status |= report_uc_option43(v.opt43.data, v.opt43.len);
    print_configs(&v);
    return status;
}

