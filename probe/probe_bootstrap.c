/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe bootstrap: Test-CsPhoneBootstrap's walk for Linux, without a phone
 * and without PIN sign-in: a table of steps (STEPS below), each a function of what the
 * earlier ones learnt (struct bootstrap, probe_bootstrap.h), run in order through
 * probe_walk. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fqdn.h"
#include "probe.h"
#include "probe_bootstrap.h"

#define DEFAULT_REGISTRAR_PORT 5061
#define DEFAULT_MAX_OFFSET 60.0 /* seconds: check_ntp_time's warning default */
#define DEFAULT_LLDP_WAIT_MS 5000

/* The walk, in the cmdlet's order and with its activity names. */
static const struct {
    const char *name;
    void (*run)(struct bootstrap *b, const char *name);
} STEPS[] = {
    {"LLDP", step_lldp},
    {"VLANDiscovery", step_vlan_discovery},
    {"DORA", step_dora},
    {"DHCPDiscovery", step_dhcp},
    {"NtpSrvLookup", step_ntp_srv},
    {"RegistrarSrvLookup", step_registrar_srv},
    {"DeviceUpdateLookup", step_device_update},
    {"NtpQuery", step_ntp_query},
    {"CertChainDownload", step_cert_chain},
    {"WebServiceTls", step_web_tls},
    {"DeviceUpdateService", step_device_update_service},
    {"RegistrarTls", step_registrar_tls},
    {"RegistrarRegister", step_registrar_register},
    {"PinSignIn", step_pin_sign_in},
};

int cmd_bootstrap(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"interface", required_argument, NULL, 'i'},
        {"voice-interface", required_argument, NULL, 'v'},
        {"vlan-discovery", no_argument, NULL, 'd'},
        {"dora", no_argument, NULL, 'o'},
        {"sip-domain", required_argument, NULL, 's'},
        {"dns-server", required_argument, NULL, 'n'},
        {"ca", required_argument, NULL, 'c'},
        {"registrar-port", required_argument, NULL, 'r'},
        {"timeout", required_argument, NULL, 't'},
        {"max-offset", required_argument, NULL, 'm'},
        {"lldp-wait", required_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct bootstrap b;
    memset(&b, 0, sizeof b);
    b.timeout_ms = 3000;
    b.max_offset = DEFAULT_MAX_OFFSET;
    b.registrar_port = DEFAULT_REGISTRAR_PORT;
    b.lldp_wait_ms = DEFAULT_LLDP_WAIT_MS;
    const char *ifname = NULL;
    int json = 0, c;
    char err[512];
    while ((c = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': ifname = optarg; break;
        case 'v': b.voice_ifname = optarg; break;
        case 'd': b.vlan_discovery = 1; break;
        case 'o': b.dora = 1; break;
        case 'c': b.ca_file = optarg; break;
        case 'j': json = 1; break;
        case 's':
            if (fqdn_validate(optarg, err, sizeof err) != 0) {
                fprintf(stderr, "lyncboot-probe: --sip-domain '%s': %s\n", optarg, err);
                return EXIT_USAGE;
            }
            snprintf(b.site.domain, sizeof b.site.domain, "%s", optarg);
            break;
        case 'n':
            if (ipv4_parse(optarg, b.site.dns_server) != 0) {
                fprintf(stderr, "lyncboot-probe: --dns-server '%s' is not an IPv4 address\n",
                        optarg);
                return EXIT_USAGE;
            }
            b.site.have_dns_server = 1;
            break;
        case 'r':
            if (parse_port("--registrar-port", optarg, &b.registrar_port) != 0)
                return EXIT_USAGE;
            break;
        case 't':
            if (parse_timeout_ms(optarg, &b.timeout_ms) != 0)
                return EXIT_USAGE;
            break;
        case 'l':
            if (parse_seconds_ms("--lldp-wait", optarg, 0, 60, &b.lldp_wait_ms) != 0)
                return EXIT_USAGE;
            break;
        case 'm': {
            char *end;
            b.max_offset = strtod(optarg, &end);
            if (*end || end == optarg || !(b.max_offset >= 0.001 && b.max_offset <= 31536000)) {
                fprintf(stderr, "lyncboot-probe: --max-offset '%s': seconds, 0.001-31536000\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'h': probe_usage(stdout); return 0;
        default: return EXIT_USAGE;
        }
    }
    if (ifname == NULL || optind != argc) {
        fprintf(stderr, "lyncboot-probe: bootstrap needs --interface IF (try --help)\n");
        return EXIT_USAGE;
    }
    struct iface_info iface, voice;
    if (net_iface_info(ifname, &iface, err, sizeof err) != 0 ||
        (b.voice_ifname && net_iface_info(b.voice_ifname, &voice, err, sizeof err) != 0)) {
        fprintf(stderr, "lyncboot-probe: %s\n", err);
        return EXIT_USAGE;
    }
    if (b.ca_file && cert_chain_add_file(&b.extra_ca, b.ca_file, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-probe: --ca: %s\n", err);
        return EXIT_USAGE;
    }

    /* With --json the log goes to stderr and stdout carries only the JSON document. */
    int saved_stdout = -1;
    if (json) {
        fflush(stdout);
        saved_stdout = dup(STDOUT_FILENO);
        dup2(STDERR_FILENO, STDOUT_FILENO);
    }
    b.iface = &iface;
    b.target = b.voice_ifname ? &voice : &iface;
    b.ntp_port = 123;
    b.phone_time = time(NULL);
    walk_start(&b.w);
    for (size_t i = 0; i < sizeof STEPS / sizeof STEPS[0]; i++)
        STEPS[i].run(&b, STEPS[i].name);
    cert_chain_free(b.chain);
    cert_chain_free(b.extra_ca);

    walk_report_text(&b.w, b.site.url, b.site.registrar);
    if (json) {
        dup2(saved_stdout, STDOUT_FILENO);
        close(saved_stdout);
        walk_report_json(&b.w, b.site.url, b.site.registrar);
    }
    return walk_first_failure(&b.w) ? 1 : 0;
}
