/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe emulate-client: ask the DHCP servers of one segment what a Lync
 * phone would ask (DHCPUtil -EmulateClient for Linux), check every answer as the
 * phone would read it, and name what is wrong. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dhcp4_msg.h"
#include "lync_checks.h"
#include "opt43.h"
#include "probe.h"
#include "probe_dhcp.h"
#include "probe_net.h"

#define DEFAULT_TIMEOUT_MS 3000

struct server_answer {
    uint8_t server[4];
    int message_type;
    uint8_t opt43[255], opt120[255], opt42[255], opt2[255];
    int opt43_len, opt120_len, opt42_len, opt2_len;
    int answered_lowercase; /* options in the reply to "ms-uc-client" */
    char url[600], registrar[256];
    struct lync_problems problems;
};

/* Creates IF.VLAN where the kernel supports 802.1Q. Returns 0, or -1. */
static int create_vlan_interface(const char *parent, int vlan, char *name, size_t size)
{
    char id[16];
    if (vlan < 1 || vlan > 4094)
        return -1;
    snprintf(name, size, "%.10s.%u", parent, (unsigned)vlan % 10000u);
    snprintf(id, sizeof id, "%d", vlan);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("ip", "ip", "link", "add", "link", parent, "name", name, "type", "vlan", "id",
               id, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        execlp("ip", "ip", "link", "set", name, "up", (char *)NULL);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    return 0;
}

static void print_no_answer_causes(const char *ifname, int inform)
{
    printf("  Likely causes:\n"
           "  - no DHCP server on this segment, and no relay (ip helper-address) forwarding\n"
           "    to one;\n");
    if (inform)
        printf("  - the server ignores DHCPINFORM (some do), or has no subnet for this\n"
               "    address, so it drops the INFORM;\n");
    printf("  - no vendor class MS-UC-Client (exact case) on the server: it answers\n"
           "    without options 43/120, or not at all;\n"
           "  - a firewall on this host drops the reply to UDP port 68 (check iptables/nft),\n"
           "    or %s is not the phones' VLAN.\n", ifname);
}

int cmd_emulate_client(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"interface", required_argument, NULL, 'i'},
        {"voice-interface", required_argument, NULL, 'v'},
        {"vlan-discovery", no_argument, NULL, 'd'},
        {"timeout", required_argument, NULL, 't'},
        {"no-case-check", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *ifname = NULL, *voice_ifname = NULL;
    int vlan_discovery = 0, case_check = 1, timeout_ms = DEFAULT_TIMEOUT_MS, c;
    while ((c = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': ifname = optarg; break;
        case 'v': voice_ifname = optarg; break;
        case 'd': vlan_discovery = 1; break;
        case 'c': case_check = 0; break;
        case 't':
            if (parse_timeout_ms(optarg, &timeout_ms) != 0)
                return EXIT_USAGE;
            break;
        case 'h': probe_usage(stdout); return 0;
        default: return EXIT_USAGE;
        }
    }
    if (ifname == NULL || optind != argc) {
        fprintf(stderr, "lyncboot-probe: emulate-client needs --interface IF (try --help)\n");
        return EXIT_USAGE;
    }
    char err[256], ip[16];
    struct iface_info iface, voice;
    if (net_iface_info(ifname, &iface, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-probe: --interface: %s\n", err);
        return EXIT_USAGE;
    }
    if (!iface.up) {
        fprintf(stderr, "lyncboot-probe: --interface: %s is down\n", ifname);
        return EXIT_USAGE;
    }
    if (voice_ifname != NULL && net_iface_info(voice_ifname, &voice, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-probe: --voice-interface: %s\n", err);
        return EXIT_USAGE;
    }

    char others[8][IF_NAMESIZE];
    size_t n_others = net_other_active_ifaces(ifname, voice_ifname, others, 8);
    for (size_t i = 0; i < n_others; i++)
        printf("WARNING: interface %s is also up with an IPv4 address; test with exactly "
               "one active interface, as a phone has\n", others[i]);

    int need_root = 0, exit_status = 0;
    char created[IF_NAMESIZE] = "";
    const struct iface_info *target = &iface;
    if (vlan_discovery) {
        int vlan = discover_vlan(&iface, timeout_ms, &need_root, 0);
        if (vlan < 0)
            goto local_error;
        if (vlan == 0) {
            exit_status = 1;
        } else if (voice_ifname != NULL) {
            printf("The phone moves to VLAN %d: using %s (--voice-interface)\n\n", vlan,
                   voice_ifname);
            target = &voice;
        } else if (create_vlan_interface(ifname, vlan, created, sizeof created) == 0 &&
                   net_iface_info(created, &voice, err, sizeof err) == 0) {
            printf("The phone moves to VLAN %d: created %s\n\n", vlan, created);
            target = &voice;
        } else {
            created[0] = '\0';
            fprintf(stderr, "lyncboot-probe: cannot create an 802.1Q interface for VLAN %d on "
                            "%s (no 802.1Q support in this kernel?); give the voice VLAN's "
                            "interface with --voice-interface\n", vlan, ifname);
            return 1;
        }
    } else if (voice_ifname != NULL) {
        target = &voice;
    }

    int sock = net_dhcp_client_socket(target->name, &need_root, err, sizeof err);
    if (sock < 0) {
        fprintf(stderr, "lyncboot-probe: %s\n", err);
        goto local_error;
    }
    const int inform = target->has_addr;
    static struct net_reply replies[NET_MAX_REPLIES], lower[NET_MAX_REPLIES];
    printf("'DHCPDiscovery' activity started on %s.\n", target->name);
    if (inform)
        printf("DHCPINFORM from %s with vendor class %s, asking for 43 and 120.\n",
               ip_text(target->addr, ip), VENDOR_CLASS_UC_CLIENT);
    else
        printf("%s has no IPv4 address, so no DHCPINFORM: DHCPDISCOVER with vendor class %s "
               "instead (the phone would INFORM after its lease).\n", target->name,
               VENDOR_CLASS_UC_CLIENT);
    int n = dhcp_ask(sock, target, inform ? DHCP4_INFORM : DHCP4_DISCOVER, VENDOR_CLASS_UC_CLIENT,
                inform, target->addr, timeout_ms, replies, err, sizeof err);
    int n_lower = 0;
    if (n >= 0 && case_check)
        n_lower = dhcp_ask(sock, target, inform ? DHCP4_INFORM : DHCP4_DISCOVER, "ms-uc-client",
                      inform, target->addr, timeout_ms, lower, err, sizeof err);
    close(sock);
    if (n < 0 || n_lower < 0) {
        fprintf(stderr, "lyncboot-probe: %s\n", err);
        goto local_error;
    }

    static struct server_answer answers[NET_MAX_REPLIES];
    int n_answers = 0;
    for (int i = 0; i < n; i++) {
        struct server_answer *a = &answers[n_answers++];
        memset(a, 0, sizeof *a);
        server_id_of(&replies[i], a->server);
        a->message_type = replies[i].parsed.message_type;
        a->opt43_len = dhcp4_get_option(&replies[i].parsed, DHCP4_OPT_VENDOR_SPECIFIC, a->opt43, sizeof a->opt43);
        a->opt120_len = dhcp4_get_option(&replies[i].parsed, DHCP4_OPT_SIP_SERVERS, a->opt120, sizeof a->opt120);
        a->opt42_len = dhcp4_get_option(&replies[i].parsed, DHCP4_OPT_NTP_SERVERS, a->opt42, sizeof a->opt42);
        a->opt2_len = dhcp4_get_option(&replies[i].parsed, DHCP4_OPT_TIME_OFFSET, a->opt2, sizeof a->opt2);
        lync_check_option120(a->opt120_len > 0 ? a->opt120 : NULL,
                             a->opt120_len > 0 ? (size_t)a->opt120_len : 0, a->registrar,
                             sizeof a->registrar, &a->problems);
        lync_check_uc_option43(a->opt43_len > 0 ? a->opt43 : NULL,
                               a->opt43_len > 0 ? (size_t)a->opt43_len : 0, a->url,
                               sizeof a->url, &a->problems);
    }
    /* The case check: which servers put Lync options in the reply to "ms-uc-client". */
    for (int j = 0; j < n_lower; j++) {
        uint8_t server[4], value[255];
        server_id_of(&lower[j], server);
        if (dhcp4_get_option(&lower[j].parsed, DHCP4_OPT_SIP_SERVERS, value, sizeof value) <= 0 &&
            dhcp4_get_option(&lower[j].parsed, DHCP4_OPT_VENDOR_SPECIFIC, value, sizeof value) <= 0)
            continue;
        struct server_answer *a = NULL;
        for (int i = 0; i < n_answers; i++)
            if (memcmp(answers[i].server, server, 4) == 0)
                a = &answers[i];
        if (a == NULL && n_answers < NET_MAX_REPLIES) {
            a = &answers[n_answers++];
            memset(a, 0, sizeof *a);
            memcpy(a->server, server, 4);
            a->message_type = -1;
        }
        if (a == NULL)
            continue;
        if (a->opt43_len > 0 || a->opt120_len > 0) {
            a->answered_lowercase = 1;
        } else {
            /* Only the wrong case gets options: that is the diagnosis, not "missing". */
            a->problems.count = 0;
            snprintf(a->problems.text[a->problems.count++], LYNC_CHECK_TEXT,
                     "answers vendor class 'ms-uc-client' but not 'MS-UC-Client': its class "
                     "string has the wrong letter case (option 60 is case-sensitive)");
        }
    }

    for (int i = 0; i < n_answers; i++) {
        struct server_answer *a = &answers[i];
        printf("\nDHCP server %s", ip_text(a->server, ip));
        if (a->message_type < 0) {
            printf(": no answer with Lync options to MS-UC-Client\n");
        } else {
            printf(" (%s):\n", a->message_type == DHCP4_ACK ? "DHCPACK" : "DHCPOFFER");
            if (a->opt120_len > 0)
                report_option120(a->opt120, (size_t)a->opt120_len);
            if (a->opt43_len > 0)
                report_uc_option43(a->opt43, (size_t)a->opt43_len);
            if (a->opt42_len > 0)
                report_option42(a->opt42, (size_t)a->opt42_len);
            if (a->opt2_len > 0)
                report_option2(a->opt2, (size_t)a->opt2_len);
            if (a->registrar[0])
                printf("  Found registrar fqdn : %s.\n", a->registrar);
            if (a->url[0])
                printf("  Found web service url : %s.\n", a->url);
            if (a->answered_lowercase)
                printf("  note: it also answers 'ms-uc-client': its class match ignores case "
                       "(phones send MS-UC-Client, so they are served)\n");
        }
        /* Conflicts: the phone takes the first answer with an FQDN, so only servers that
         * both send Lync options can disagree. */
        for (int j = 0; j < i; j++) {
            if (a->message_type < 0 || answers[j].message_type < 0 ||
                a->opt120_len <= 0 || answers[j].opt120_len <= 0)
                continue;
            if (a->opt43_len != answers[j].opt43_len || a->opt120_len != answers[j].opt120_len ||
                memcmp(a->opt43, answers[j].opt43, (size_t)(a->opt43_len > 0 ? a->opt43_len : 0)) ||
                memcmp(a->opt120, answers[j].opt120, (size_t)(a->opt120_len > 0 ? a->opt120_len : 0))) {
                char other[16];
                snprintf(a->problems.text[a->problems.count < LYNC_CHECK_MAX_PROBLEMS
                                              ? a->problems.count++
                                              : LYNC_CHECK_MAX_PROBLEMS - 1],
                         LYNC_CHECK_TEXT,
                         "answers differently from %s: the phone uses whichever answers first",
                         ip_text(answers[j].server, other));
            }
        }
        if (a->problems.count == 0) {
            printf("  Checks: passed\n");
        } else {
            exit_status = 1;
            printf("  Problems:\n");
            for (size_t k = 0; k < a->problems.count; k++)
                printf("  - %s\n", a->problems.text[k]);
        }
    }
    if (n_answers == 0) {
        exit_status = 1;
        printf("\nNo DHCP server answered on %s within %d ms.\n", target->name, timeout_ms);
        print_no_answer_causes(target->name, inform);
    }
    printf("\n'DHCPDiscovery' activity completed.\nResult : %s\n",
           exit_status == 0 ? "Success" : "Failure");
    if (created[0]) {
        pid_t pid = fork();
        if (pid == 0) {
            execlp("ip", "ip", "link", "del", created, (char *)NULL);
            _exit(127);
        }
        waitpid(pid, NULL, 0);
    }
    return exit_status;

local_error:
    if (need_root)
        fprintf(stderr, "lyncboot-probe: emulate-client needs root (it listens on UDP port "
                        "68 and broadcasts on %s); run it as root\n", ifname);
    return EXIT_USAGE;
}
