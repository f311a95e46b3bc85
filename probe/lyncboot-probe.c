/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe: the Lync phone's view of the network (DHCPUtil and
 * Test-CsPhoneBootstrap for Linux). This file holds the command dispatch and help. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"

void probe_usage(FILE *out)
{
    fputs("Usage: lyncboot-probe options --sip-server FQDN [--web-server FQDN] [--port N] [--json]\n"
          "       lyncboot-probe emulate-client --interface IF [--vlan-discovery]\n"
          "                      [--voice-interface IF] [--timeout S] [--no-case-check]\n"
          "       lyncboot-probe bootstrap --interface IF [--vlan-discovery] [--dora]\n"
          "                      [--voice-interface IF] [--sip-domain D] [--dns-server ADDR]\n"
          "                      [--ca FILE] [--registrar-port N] [--timeout S]\n"
          "                      [--max-offset S] [--lldp-wait S] [--json]\n"
          "       lyncboot-probe lldp --interface IF [--wait S] [--no-dhcp] [--timeout S]\n"
          "                      [--json]\n"
          "       lyncboot-probe decode [OPTION HEX]...\n\n"
          "options: print options 120 and 43 as DHCPUtil.exe does, decoded back, and\n"
          "configuration for the lyncboot Kea hook, plain Kea, ISC dhcpd, Cisco IOS and\n"
          "Windows Server.\n"
          "  --sip-server FQDN    registrar pool (Director or Front End) -> option 120\n"
          "  --web-server FQDN    web services FQDN -> option 43 sub-option 3 (default: SIP server)\n"
          "  --port N             web services port (default 443)\n"
          "  --json               machine-readable output\n\n"
          "emulate-client: ask this segment's DHCP servers what a Lync phone asks (a\n"
          "DHCPINFORM with vendor class MS-UC-Client, or a DISCOVER when IF has no\n"
          "address), check each answer and name the problems. Needs root.\n"
          "  --interface IF       the phones' segment; use a host with one active interface\n"
          "  --vlan-discovery     first ask for the voice VLAN with vendor class CPE-OCPHONE\n"
          "                       on IF, then continue on that VLAN (creates IF.VLAN where\n"
          "                       the kernel has 802.1Q, else use --voice-interface)\n"
          "  --voice-interface IF the voice VLAN's interface\n"
          "  --timeout S          seconds to collect answers (default 3)\n"
          "  --no-case-check      skip the second query with 'ms-uc-client'\n\n"
          "bootstrap: Test-CsPhoneBootstrap's walk without a phone (root): the VLAN (with\n"
          "--vlan-discovery: LLDP-MED first, CPE-OCPHONE DHCP if the switch gave none),\n"
          "DHCPINFORM, DNS (_ntp._udp, _sipinternaltls._tcp with strict naming,\n"
          "ucupdates-r2), NTP, the CA chain over HTTP on port 80, TLS to the web services\n"
          "and the registrar verified at the NTP time. PIN sign-in needs a real pool and\n"
          "is not emulated.\n"
          "  --lldp-wait S        with --vlan-discovery, seconds to wait for the switch's\n"
          "                       LLDP-MED voice policy (default 5; 0: DHCP only)\n"
          "  --dora               first lease an address on the voice VLAN (shown, released)\n"
          "  --sip-domain D       domain for the SRV look-ups (default: DHCP option 15)\n"
          "  --dns-server ADDR    resolver (default: DHCP option 6)\n"
          "  --ca FILE            certificates trusted besides the downloaded chain\n"
          "  --registrar-port N   registrar TLS port (default 5061)\n"
          "  --timeout S          seconds for each answer, a TLS handshake included\n"
          "                       (default 3)\n"
          "  --max-offset S       warn when the NTP time and this host's clock differ by\n"
          "                       more (default 60): certificates are judged by the NTP\n"
          "                       time, which one unauthenticated reply gave\n"
          "  --json               JSON on stdout; the step log goes to stderr\n\n"
          "lldp: a phone's first step (root): send the LLDPDU of an LLDP-MED endpoint of\n"
          "class III on IF (at once and every second for four), listen for the switch's,\n"
          "decode it (system and port, VLANs, the LLDP-MED network policies) and take the\n"
          "voice VLAN from the policy for application voice; then ask DHCP (CPE-OCPHONE)\n"
          "on the same port and compare (phones trust LLDP-MED).\n"
          "  --wait S             seconds to listen (default 10)\n"
          "  --no-dhcp            do not compare with DHCP VLAN discovery\n"
          "  --timeout S          seconds for the DHCP answers (default 3)\n"
          "  --json               machine-readable output\n\n"
          "decode: decode Lync phone DHCP options as a phone reads them.\n"
          "  --option43-uc HEX    option 43 for vendor class MS-UC-Client\n"
          "  --option43-vlan HEX  option 43 for vendor class CPE-OCPHONE (voice VLAN)\n"
          "  --option120 HEX      option 120, SIP servers (RFC 3361)\n"
          "  --option42 HEX       option 42, NTP servers\n"
          "  --option2 HEX        option 2, time offset\n"
          "  -h, --help           show this help\n"
          "  -V, --version        show the version\n\n"
          "HEX is the option value without code and length, in either case.\n"
          "Exit status: 0 success, 1 an option is malformed, 2 usage or input error.\n",
          out);
}

int main(int argc, char **argv)
{
    /* A peer that closes a TLS or HTTP connection must not kill the probe. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        probe_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
        puts("lyncboot-probe " LYNCBOOT_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "decode") == 0)
        return cmd_decode(argc - 1, argv + 1);
    if (strcmp(argv[1], "options") == 0)
        return cmd_options(argc - 1, argv + 1);
    if (strcmp(argv[1], "emulate-client") == 0)
        return cmd_emulate_client(argc - 1, argv + 1);
    if (strcmp(argv[1], "bootstrap") == 0)
        return cmd_bootstrap(argc - 1, argv + 1);
    if (strcmp(argv[1], "lldp") == 0)
        return cmd_lldp(argc - 1, argv + 1);
    fprintf(stderr, "lyncboot-probe: unknown command '%s' (try --help)\n", argv[1]);
    return EXIT_USAGE;
}
