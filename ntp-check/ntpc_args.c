/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-ntp-check's command line, as monitoring plugins take theirs: check_ntp_time's
 * -w/-c ranges and defaults, -t, -V, every error a usage error (exit UNKNOWN) at start. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fqdn.h"
#include "ntpc.h"
#include "site_conf.h"

static void usage(FILE *out)
{
    fputs("Usage: lyncboot-ntp-check [-H HOST[:PORT]]... [--srv DOMAIN [--dns-server ADDR]]\n"
          "          [--site-config FILE]\n"
          "          [--chrony [--chronyc PATH] [--chronyc-host HOST]]\n"
          "          [-w RANGE] [-c RANGE] [--stratum-warn RANGE] [--stratum-crit RANGE]\n"
          "          [--rootdist-warn RANGE] [--rootdist-crit RANGE] [-t SECONDS] [--samples N]\n"
          "          [--source ADDR] [--json] [--prometheus FILE] [--health-file FILE]\n"
          "          [--interval SECONDS]\n\n"
          "Checks the NTP servers Lync phones use (found with -H or the _ntp._udp SRV record\n"
          "of --srv DOMAIN) with its own RFC 5905 client, all at once, and with --chrony the\n"
          "local chronyd through chronyc. Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n\n"
          "  -H, --host HOST[:PORT]   a time source (repeatable; port 123 by default)\n"
          "  --srv DOMAIN             the targets of _ntp._udp.DOMAIN SRV\n"
          "  --site-config FILE       the ntp targets of a lyncboot.conf (the unbound side)\n"
          "  --dns-server ADDR        resolver for --srv (default: /etc/resolv.conf)\n"
          "  --chrony                 also check the local chronyd (chronyc -c -n tracking/sources)\n"
          "  -w, -c RANGE             offset thresholds in seconds (default 60 and 120)\n"
          "  --stratum-warn/-crit     stratum thresholds (e.g. 10, 12)\n"
          "  --rootdist-warn/-crit    root distance thresholds in seconds\n"
          "  -t SECONDS               per-query timeout (default 1)\n"
          "  --samples N              queries per target, for offset and jitter (default 3)\n"
          "  --source ADDR            send from this local address (a phone subnet's)\n"
          "  --json                   print JSON instead of the status line\n"
          "  --prometheus FILE        write metrics for node-exporter's textfile collector\n"
          "  --health-file FILE       write the health file the DNS side reads\n"
          "  --interval SECONDS       keep running, checking every SECONDS\n"
          "  --deadline SECONDS       the whole check's limit, as check_ntp_time's -t: past it,\n"
          "                           UNKNOWN (default: samples x -t + 2 x -t + 5, 10 s with\n"
          "                           the defaults; not with --interval)\n"
          "  -V, --version            show the version\n"
          "RANGE: N (0..N), N: (>= N), ~:N (<= N), N:M, @N:M (alert inside).\n",
          out);
}

static int die_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "lyncboot-ntp-check: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return NTPC_ARGS_USAGE;
}

/* The first nameserver of /etc/resolv.conf. */
static int system_resolver(uint8_t out[4])
{
    FILE *f = fopen("/etc/resolv.conf", "r");
    char line[256], addr[64];
    int found = 0;
    while (f && !found && fgets(line, sizeof line, f))
        found = sscanf(line, "nameserver %63s", addr) == 1 && ipv4_parse(addr, out) == 0;
    if (f)
        fclose(f);
    return found ? 0 : -1;
}

/* Parses -H HOST[:PORT] once, at start-up: a bad one is a usage error then, never in a
 * later --interval round. */
static int parse_host_spec(const char *spec, struct ntpc_host *out)
{
    char *colon;
    if (snprintf(out->name, sizeof out->name, "%s", spec) >= (int)sizeof out->name ||
        !out->name[0])
        return die_usage("-H '%s': not a host", spec);
    out->port = 123;
    if ((colon = strrchr(out->name, ':')) != NULL) {
        char *end;
        unsigned long p = strtoul(colon + 1, &end, 10);
        if (*end || colon[1] == '\0' || p < 1 || p > 65535)
            return die_usage("-H '%s': bad port", spec);
        out->port = (uint16_t)p;
        *colon = '\0';
    }
    return 0;
}

enum ntpc_args_result ntpc_parse_args(int argc, char **argv, struct ntpc_options *o)
{
    static const struct option longopts[] = {
        {"host", required_argument, NULL, 'H'}, {"srv", required_argument, NULL, 'S'},
        {"site-config", required_argument, NULL, 'G'},
        {"dns-server", required_argument, NULL, 'D'}, {"chrony", no_argument, NULL, 'C'},
        {"chronyc", required_argument, NULL, 'P'}, {"chronyc-host", required_argument, NULL, 'Q'},
        {"warning", required_argument, NULL, 'w'}, {"critical", required_argument, NULL, 'c'},
        {"stratum-warn", required_argument, NULL, 1}, {"stratum-crit", required_argument, NULL, 2},
        {"rootdist-warn", required_argument, NULL, 3}, {"rootdist-crit", required_argument, NULL, 4},
        {"timeout", required_argument, NULL, 't'}, {"samples", required_argument, NULL, 'n'},
        {"source", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
        {"prometheus", required_argument, NULL, 'p'}, {"health-file", required_argument, NULL, 'f'},
        {"interval", required_argument, NULL, 'i'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'}, {"deadline", required_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    o->timeout_ms = 1000;
    o->samples = 3;
    o->chronyc = "chronyc";
    char err[256];
    mp_range_parse("60", &o->offset_warn, err, sizeof err); /* check_ntp_time's defaults */
    mp_range_parse("120", &o->offset_crit, err, sizeof err);
    int c;
    while ((c = getopt_long(argc, argv, "H:w:c:t:hV", longopts, NULL)) != -1) {
        struct mp_range *range = NULL;
        switch (c) {
        case 'H':
            if (o->n_hosts == NTPC_MAX_TARGETS)
                return die_usage("more than 256 targets at -H '%s'", optarg);
            if (parse_host_spec(optarg, &o->hosts[o->n_hosts]) != 0)
                return NTPC_ARGS_USAGE;
            o->n_hosts++;
            break;
        case 'S':
            if (o->n_srv == 8 || fqdn_validate(optarg, err, sizeof err) != 0)
                return die_usage("--srv '%s': not a domain (or more than 8)", optarg);
            o->srv_domains[o->n_srv++] = optarg;
            break;
        case 'G': {
            /* The same targets the DNS side advertises: lyncboot.conf's ntp lines. */
            struct site_conf *site = malloc(sizeof *site);
            if (!site || site_conf_load(optarg, site, err, sizeof err) != 0) {
                free(site);
                return die_usage("--site-config: %s", err);
            }
            for (size_t d = 0; d < site->domain_count; d++)
                for (size_t k = 0; k < site->domains[d].ntp_count; k++) {
                    if (o->n_hosts == NTPC_MAX_TARGETS) {
                        free(site);
                        return die_usage("--site-config %s: more than 256 targets", optarg);
                    }
                    snprintf(o->hosts[o->n_hosts].name, sizeof o->hosts[0].name, "%s",
                             site->domains[d].ntp[k].name);
                    o->hosts[o->n_hosts++].port = (uint16_t)site->domains[d].ntp[k].port;
                }
            free(site);
            break;
        }
        case 'D':
            if (ipv4_parse(optarg, o->dns_server) != 0)
                return die_usage("--dns-server '%s': not an IPv4 address", optarg);
            o->have_dns_server = true;
            break;
        case 's':
            if (ipv4_parse(optarg, o->source) != 0)
                return die_usage("--source '%s': not an IPv4 address", optarg);
            o->have_source = true;
            break;
        case 'C': o->chrony = true; break;
        case 'P': o->chronyc = optarg; break;
        case 'Q': o->chronyc_host = optarg; break;
        case 'j': o->json = true; break;
        case 'p': o->prometheus = optarg; break;
        case 'f': o->health_file = optarg; break;
        case 'w': range = &o->offset_warn; break;
        case 'c': range = &o->offset_crit; break;
        case 1: range = &o->stratum_warn; break;
        case 2: range = &o->stratum_crit; break;
        case 3: range = &o->rootdist_warn; break;
        case 4: range = &o->rootdist_crit; break;
        case 't': {
            char *end;
            double s = strtod(optarg, &end);
            if (*end || s < 0.01 || s > 60)
                return die_usage("-t '%s': seconds, 0.01-60", optarg);
            o->timeout_ms = (int)(s * 1000);
            break;
        }
        case 'n': {
            char *end;
            long s = strtol(optarg, &end, 10);
            if (*end || s < 1 || s > NTPC_MAX_SAMPLES)
                return die_usage("--samples '%s': 1-8", optarg);
            o->samples = (int)s;
            break;
        }
        case 'L': {
            char *end;
            double s = strtod(optarg, &end);
            if (*end || end == optarg || !(s >= 0.1 && s <= 3600))
                return die_usage("--deadline '%s': seconds, 0.1-3600", optarg);
            o->deadline = s;
            break;
        }
        case 'i': {
            char *end;
            long s = strtol(optarg, &end, 10);
            if (*end || s < 1 || s > 86400)
                return die_usage("--interval '%s': seconds, 1-86400", optarg);
            o->interval = (int)s;
            break;
        }
        case 'h': usage(stdout); return NTPC_ARGS_DONE;
        case 'V': puts("lyncboot-ntp-check " LYNCBOOT_VERSION); return NTPC_ARGS_DONE;
        default: return NTPC_ARGS_USAGE;
        }
        if (range && mp_range_parse(optarg, range, err, sizeof err) != 0)
            return die_usage("%s", err);
    }
    if (optind != argc)
        return die_usage("unexpected argument '%s'", argv[optind]);
    if (o->n_hosts == 0 && o->n_srv == 0 && !o->chrony)
        return die_usage("%s", "nothing to check: give -H, --srv, --site-config or --chrony");
    if (o->n_srv > 0 && !o->have_dns_server && system_resolver(o->dns_server) == 0)
        o->have_dns_server = true;
    if (o->deadline == 0) /* every sample's wait, DNS and chronyc, and a margin */
        o->deadline = (o->samples + 2) * o->timeout_ms / 1000.0 + 5;

    return NTPC_ARGS_RUN;
}
