/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-rollout: which Lync phones got how far in their bootstrap, and where the rest
 * are stuck, from what the site's servers saw: the Kea hook's phone table
 * (lyncboot-phones), unbound's dnstap capture, chronyd's clients, the web server's access
 * log. Exit 0: every phone at the last step the sources show; 1: phones stuck, or a
 * source only partly read; 2: no report (bad arguments, the DHCP source unreadable). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rollout_cmd.h"

enum { EXIT_DONE = 0, EXIT_STUCK = 1, EXIT_NO_REPORT = 2 };

static void usage(FILE *out)
{
    fputs("Usage: lyncboot-rollout (--kea-socket PATH | --phones FILE)...\n"
          "          [--dnstap FILE|DIR... [--dnstap-socket PATH]]\n"
          "          [--chronyc | --chrony-socket PATH | --chrony-clients FILE]\n"
          "          [--access-log FILE [--chain-path PATH]]\n"
          "          [--json | --prometheus] [--html FILE] [--all] [--timeout SECONDS]\n\n"
          "Joins what the site's servers saw of each Lync phone, by its address and time, and\n"
          "reports the furthest bootstrap step each reached (vlan, lease, inform, dns, time,\n"
          "chain) and, for a phone that stopped, the likely cause. Exit 0 when every phone\n"
          "reached the last step the sources show, 1 when some are stuck or a source could\n"
          "be read only in part, 2 when no report could be made.\n\n"
          "  --kea-socket PATH     kea-dhcp4's control socket: the hook's lyncboot-phones\n"
          "  --phones FILE         or that command's answer, saved; both repeatable (an HA\n"
          "                        pair, a fleet: a phone's records merged by its MAC)\n"
          "  --dnstap FILE|DIR     unbound's dnstap as fstrm_capture writes it (its client\n"
          "                        responses: the SRV look-ups); a directory: its *.fstrm\n"
          "                        files (fstrm_capture -s rotates them); repeatable\n"
          "  --dnstap-socket PATH  the socket unbound sends dnstap to: checks something still\n"
          "                        collects it\n"
          "  --chronyc             chronyd's clients from `chronyc -c -n clients`\n"
          "  --chrony-socket PATH  the same through chronyd's command socket PATH\n"
          "  --chrony-clients FILE or that command's output, saved\n"
          "  --access-log FILE     the web server's access log (common or combined format)\n"
          "  --chain-path PATH     the CA chain's path in it\n"
          "                        (default /CertProv/CertProvisioningService.svc)\n"
          "  --json                the report as JSON\n"
          "  --prometheus          counts per step and voice VLAN in Prometheus's text format\n"
          "  --html FILE           also write a self-contained HTML report\n"
          "  --all                 list every phone, not only the stuck ones\n"
          "  --timeout SECONDS     for Kea's and chronyd's answers (default 5)\n"
          "  -h, --help            this text; -V, --version  the version\n",
          out);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "lyncboot-rollout: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return EXIT_NO_REPORT;
}

static int parse_args(int argc, char **argv, struct rollout_options *o)
{
    enum { KEA = 256, PHONES, DNSTAP, DNSTAP_SOCKET, CHRONYC, CHRONY_SOCKET, CHRONY_CLIENTS,
           ACCESS_LOG, CHAIN_PATH, JSON, PROMETHEUS, HTML, ALL, TIMEOUT };
    static const struct option longopts[] = {
        {"kea-socket", required_argument, NULL, KEA},
        {"phones", required_argument, NULL, PHONES},
        {"dnstap", required_argument, NULL, DNSTAP},
        {"dnstap-socket", required_argument, NULL, DNSTAP_SOCKET},
        {"chronyc", no_argument, NULL, CHRONYC},
        {"chrony-socket", required_argument, NULL, CHRONY_SOCKET},
        {"chrony-clients", required_argument, NULL, CHRONY_CLIENTS},
        {"access-log", required_argument, NULL, ACCESS_LOG},
        {"chain-path", required_argument, NULL, CHAIN_PATH},
        {"json", no_argument, NULL, JSON},
        {"prometheus", no_argument, NULL, PROMETHEUS},
        {"html", required_argument, NULL, HTML},
        {"all", no_argument, NULL, ALL},
        {"timeout", required_argument, NULL, TIMEOUT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    *o = (struct rollout_options){.chain_path = "/CertProv/CertProvisioningService.svc",
                                  .timeout_ms = 5000};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
        switch (c) {
        case KEA:
        case PHONES:
            if (o->kea_count == sizeof o->kea / sizeof o->kea[0])
                return usage_error("%s", "--kea-socket/--phones: at most 16 DHCP servers");
            o->kea_is_file[o->kea_count] = c == PHONES;
            o->kea[o->kea_count++] = optarg;
            break;
        case DNSTAP:
            if (o->dnstap_count == sizeof o->dnstap / sizeof o->dnstap[0])
                return usage_error("%s", "--dnstap: at most 64 (give a directory)");
            o->dnstap[o->dnstap_count++] = optarg;
            break;
        case DNSTAP_SOCKET: o->dnstap_socket = optarg; break;
        case CHRONYC: o->chronyc = true; break;
        case CHRONY_SOCKET: o->chrony_socket = optarg; break;
        case CHRONY_CLIENTS: o->chrony_clients = optarg; break;
        case ACCESS_LOG: o->access_log = optarg; break;
        case CHAIN_PATH:
            if (optarg[0] != '/')
                return usage_error("--chain-path '%s': a path starting with /", optarg);
            o->chain_path = optarg;
            break;
        case JSON: o->json = true; break;
        case PROMETHEUS: o->prometheus = true; break;
        case HTML: o->html_file = optarg; break;
        case ALL: o->all = true; break;
        case TIMEOUT: {
            char *end;
            double s = strtod(optarg, &end);
            if (end == optarg || *end || !(s > 0 && s <= 600))
                return usage_error("--timeout '%s': seconds, more than 0 and at most 600",
                                   optarg);
            o->timeout_ms = (int)(s * 1000);
            break;
        }
        case 'h': usage(stdout); exit(EXIT_DONE);
        case 'V': printf("lyncboot-rollout %s\n", LYNCBOOT_VERSION); exit(EXIT_DONE);
        case ':': return usage_error("%s needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (!o->kea_count)
        return usage_error("%s", "give the DHCP source: --kea-socket PATH or --phones FILE");
    if (o->json && o->prometheus)
        return usage_error("%s", "--json and --prometheus: one output on standard output");
    if (o->dnstap_socket && !o->dnstap_count)
        return usage_error("%s", "--dnstap-socket checks the collector of --dnstap FILE: "
                                 "give both");
    if ((o->chronyc || o->chrony_socket) + !!o->chrony_clients > 1)
        return usage_error("%s", "--chronyc/--chrony-socket or --chrony-clients: one NTP "
                                 "source");
    return 0;
}

int main(int argc, char **argv)
{
    struct rollout_options o;
    if (parse_args(argc, argv, &o) != 0)
        return EXIT_NO_REPORT;
    struct rollout_data data = {0};
    char err[600];
    const int64_t now = (int64_t)time(NULL);
    if (rollout_read_phones(&o, &data, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-rollout: %s\n", err);
        rollout_data_free(&data);
        return EXIT_NO_REPORT;
    }
    rollout_read_dnstap(&o, &data);
    rollout_read_chrony(&o, &data, now);
    rollout_read_access_log(&o, &data);
    struct rollout_report report;
    if (rollout_make_report(&data, o.chain_path, now, &report) != 0) {
        fprintf(stderr, "lyncboot-rollout: out of memory for %zu phones\n", data.phone_count);
        rollout_data_free(&data);
        return EXIT_NO_REPORT;
    }
    for (size_t i = 0; i < data.note_count && (o.json || o.prometheus); i++)
        fprintf(stderr, "lyncboot-rollout: partial report: %s\n", data.notes[i]);
    if (o.json)
        rollout_print_json(&data, &report);
    else if (o.prometheus)
        rollout_print_prometheus(&data, &report);
    else
        rollout_print_table(&data, &report, o.all);
    int rc = report.stuck || data.note_count ? EXIT_STUCK : EXIT_DONE;
    if (o.html_file && rollout_write_html(&data, &report, o.html_file, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-rollout: HTML report: %s\n", err);
        rc = EXIT_NO_REPORT;
    }
    rollout_report_free(&report);
    rollout_data_free(&data);
    return rc;
}
