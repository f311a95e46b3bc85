/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-ntp-check: checks the time sources Lync phones will use, the way monitoring
 * people expect (exit 0/1/2/3, one status line with perfdata, check_ntp_time's ranges),
 * with --json, --prometheus and the health file for the DNS side. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dns_client.h"
#include "fqdn.h"
#include "latin1.h"
#include "mp_range.h"
#include "ntp_health.h"
#include "ntpc.h"
#include "site_conf.h"

const char *const plugin_state_names[4] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

struct options {
    struct mp_range offset_warn, offset_crit, stratum_warn, stratum_crit, rootdist_warn,
        rootdist_crit;
    int timeout_ms, samples, interval;
    bool json, chrony, have_source, have_dns_server;
    uint8_t source[4], dns_server[4];
    const char *chronyc, *chronyc_host, *prometheus, *health_file;
};

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
          "  -V, --version            show the version\n"
          "RANGE: N (0..N), N: (>= N), ~:N (<= N), N:M, @N:M (alert inside).\n",
          out);
}

static int die_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "lyncboot-ntp-check: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return STATE_UNKNOWN;
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

static int resolve_host(const struct options *o, const char *name, uint8_t out[4], char *err,
                        size_t errlen)
{
    if (ipv4_parse(name, out) == 0)
        return 0;
    if (o->have_dns_server)
        return dns_resolve_a(o->dns_server, name, o->timeout_ms, out, err, errlen);
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_DGRAM}, *res;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "%.200s: %s", name, gai_strerror(rc));
        return -1;
    }
    memcpy(out, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
    freeaddrinfo(res);
    return 0;
}

static void evaluate(const struct options *o, struct ntpc_target *t)
{
    if (t->answered == 0) {
        t->state = STATE_CRITICAL;
        if (t->verdict == NTP_REPLY_KISS_OF_DEATH)
            snprintf(t->problem, sizeof t->problem, "Kiss-o'-Death %s (%s)", t->reply.kiss,
                     strcmp(t->reply.kiss, "RATE") == 0 ? "rate limited"
                     : strcmp(t->reply.kiss, "DENY") == 0 || strcmp(t->reply.kiss, "RSTR") == 0
                         ? "access denied"
                         : "server refuses");
        else if (t->verdict == NTP_REPLY_UNSYNCHRONIZED)
            snprintf(t->problem, sizeof t->problem, "unsynchronised (leap %d, stratum %d)",
                     t->reply.leap, t->reply.stratum);
        else if (!t->problem[0])
            snprintf(t->problem, sizeof t->problem, "no answer within %d ms (no 'allow' for "
                     "this subnet, or UDP 123 blocked?)", o->timeout_ms);
        return;
    }
    t->state = STATE_OK;
    const struct { const struct mp_range *warn, *crit; double value; const char *what; } checks[] = {
        {&o->offset_warn, &o->offset_crit, fabs(t->offset), "offset"},
        {&o->stratum_warn, &o->stratum_crit, t->reply.stratum, "stratum"},
        {&o->rootdist_warn, &o->rootdist_crit, t->root_distance, "root distance"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        enum plugin_state s = mp_range_alerts(checks[i].crit, checks[i].value) ? STATE_CRITICAL
                              : mp_range_alerts(checks[i].warn, checks[i].value) ? STATE_WARNING
                                                                                  : STATE_OK;
        if (s > t->state) {
            t->state = s;
            snprintf(t->problem, sizeof t->problem, "%s %g outside its %s range", checks[i].what,
                     checks[i].value, plugin_state_names[s]);
        }
    }
}

/* A target's name (and port unless 123) for a report. '|' (where a status line's
 * perfdata begins) becomes '?': a name from DNS may hold one. */
static void label_of(const struct ntpc_target *t, char *out, size_t cap)
{
    if (t->port == 123)
        snprintf(out, cap, "%s", t->name);
    else
        snprintf(out, cap, "%s:%u", t->name, t->port);
    for (char *p = out; (p = strchr(p, '|')) != NULL;)
        *p = '?';
}

/* A perfdata label as the monitoring-plugin guidelines allow it: no '=', and a single
 * quote doubled inside the quotes. */
static void perfdata_label(const char *label, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = label; *p && o + 3 < cap; p++) {
        if (*p == '\'')
            out[o++] = '\'';
        out[o++] = *p == '=' ? '_' : *p;
    }
    out[o] = '\0';
}

/* A Prometheus label value in the text exposition format: \\, \" and \n escaped. */
static void prometheus_label_value(const char *label, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = label; *p && o + 3 < cap; p++) {
        if (*p == '\\' || *p == '"') {
            out[o++] = '\\';
            out[o++] = *p;
        } else if (*p == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static enum plugin_state overall(const struct ntpc_target *t, size_t n, const struct ntpc_chrony *c)
{
    enum plugin_state s = n == 0 && !c->queried ? STATE_UNKNOWN : STATE_OK;
    for (size_t i = 0; i < n; i++)
        if (t[i].state > s)
            s = t[i].state;
    if (c->queried && c->state > s)
        s = c->state;
    return s;
}

static void print_status_line(const struct options *o, const struct ntpc_target *t, size_t n,
                              const struct ntpc_chrony *c, enum plugin_state state,
                              const char *srv_problem)
{
    char label[300], plabel[600], w[64], cr[64];
    size_t bad = 0, worst = n;
    for (size_t i = 0; i < n; i++) {
        bad += t[i].state != STATE_OK;
        if (t[i].answered && (worst == n || fabs(t[i].offset) > fabs(t[worst].offset)))
            worst = i;
    }
    printf("NTP %s: %zu target%s", plugin_state_names[state], n, n == 1 ? "" : "s");
    if (srv_problem[0])
        printf(", %s", srv_problem);
    for (size_t i = 0; i < n; i++) {
        if (t[i].state == STATE_OK)
            continue;
        label_of(&t[i], label, sizeof label);
        printf(", %s %s: %s", label, plugin_state_names[t[i].state], t[i].problem);
    }
    if (worst < n) {
        label_of(&t[worst], label, sizeof label);
        printf(", worst offset %.6f s (%s)", t[worst].offset, label);
    }
    if (c->queried)
        printf(", chronyd %s%s%s", plugin_state_names[c->state], c->problem[0] ? ": " : "",
               c->problem);
    (void)bad;
    printf("|");
    for (size_t i = 0; i < n; i++) {
        if (!t[i].answered)
            continue;
        label_of(&t[i], label, sizeof label);
        perfdata_label(label, plabel, sizeof plabel);
        mp_range_text(&o->offset_warn, w, sizeof w);
        mp_range_text(&o->offset_crit, cr, sizeof cr);
        printf("'offset_%s'=%.6fs;%s;%s; ", plabel, t[i].offset, w, cr);
        printf("'jitter_%s'=%.6fs;;; ", plabel, t[i].jitter);
        mp_range_text(&o->stratum_warn, w, sizeof w);
        mp_range_text(&o->stratum_crit, cr, sizeof cr);
        printf("'stratum_%s'=%d;%s;%s;0;16 ", plabel, t[i].reply.stratum, w, cr);
        mp_range_text(&o->rootdist_warn, w, sizeof w);
        mp_range_text(&o->rootdist_crit, cr, sizeof cr);
        printf("'rootdist_%s'=%.6fs;%s;%s; ", plabel, t[i].root_distance, w, cr);
    }
    if (c->queried && c->tracking.stratum > 0)
        printf("'chrony_offset'=%.9fs;;; 'chrony_stratum'=%d;;;0;16 ", c->tracking.system_offset,
               c->tracking.stratum);
    printf("\n");
}

/* A JSON string of text that may hold bytes from the network (not UTF-8). */
static json_t *json_text(const char *text)
{
    char utf8[1024];
    json_t *j = json_string(text);
    return j ? j : json_string(latin1_to_utf8(text, utf8, sizeof utf8));
}

static void print_json(const struct ntpc_target *t, size_t n, const struct ntpc_chrony *c,
                       enum plugin_state state, double probe_seconds)
{
    char ip[16];
    json_t *root = json_object(), *targets = json_array();
    json_object_set_new(root, "status", json_string(plugin_state_names[state]));
    json_object_set_new(root, "exit_code", json_integer(state));
    json_object_set_new(root, "probe_seconds", json_real(probe_seconds));
    for (size_t i = 0; i < n; i++) {
        json_t *target = json_object();
        snprintf(ip, sizeof ip, "%u.%u.%u.%u", t[i].addr[0], t[i].addr[1], t[i].addr[2], t[i].addr[3]);
        json_object_set_new(target, "target", json_text(t[i].name));
        json_object_set_new(target, "address", json_string(ip));
        json_object_set_new(target, "port", json_integer(t[i].port));
        json_object_set_new(target, "status", json_string(plugin_state_names[t[i].state]));
        json_object_set_new(target, "problem", json_text(t[i].problem));
        if (t[i].answered) {
            json_object_set_new(target, "offset", json_real(t[i].offset));
            json_object_set_new(target, "delay", json_real(t[i].delay));
            json_object_set_new(target, "jitter", json_real(t[i].jitter));
            json_object_set_new(target, "stratum", json_integer(t[i].reply.stratum));
            json_object_set_new(target, "root_distance", json_real(t[i].root_distance));
            json_object_set_new(target, "leap", json_integer(t[i].reply.leap));
            json_object_set_new(target, "refid", json_text(t[i].reply.refid));
        }
        json_array_append_new(targets, target);
    }
    json_object_set_new(root, "targets", targets);
    if (c->queried) {
        json_t *chrony = json_object();
        json_object_set_new(chrony, "status", json_string(plugin_state_names[c->state]));
        json_object_set_new(chrony, "problem", json_text(c->problem));
        json_object_set_new(chrony, "synchronised", json_boolean(c->tracking.synchronised));
        json_object_set_new(chrony, "stratum", json_integer(c->tracking.stratum));
        json_object_set_new(chrony, "leap_status", json_text(c->tracking.leap_status));
        json_object_set_new(chrony, "system_offset", json_real(c->tracking.system_offset));
        json_object_set_new(chrony, "root_delay", json_real(c->tracking.root_delay));
        json_object_set_new(chrony, "root_dispersion", json_real(c->tracking.root_dispersion));
        json_object_set_new(chrony, "sources", json_integer(c->sources));
        json_object_set_new(chrony, "reachable", json_integer(c->reachable));
        json_object_set_new(chrony, "selected", json_integer(c->selected));
        json_object_set_new(chrony, "worst_std_dev", json_real(c->worst_std_dev));
        json_object_set_new(root, "chrony", chrony);
    }
    json_dumpf(root, stdout, JSON_ENSURE_ASCII | JSON_REAL_PRECISION(9));
    putchar('\n');
    json_decref(root);
}

/* Writes a new file next to FILE (mkstemp: created, never followed through a symlink
 * someone else left there) and renames it over FILE, so node-exporter never reads half
 * a file and a writable textfile directory gives nobody a way to make this overwrite
 * another file. Returns 0, or -1 with errno. */
static int write_prometheus(const char *path, const struct ntpc_target *t, size_t n,
                            enum plugin_state state)
{
    char tmp[4096], label[300], value[600];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    FILE *f = fchmod(fd, 0644) == 0 ? fdopen(fd, "w") : NULL; /* node-exporter's user reads it */
    if (!f) {
        int saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        return -1;
    }
    fprintf(f, "# HELP lyncboot_ntp_check_status Overall state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
               "# TYPE lyncboot_ntp_check_status gauge\nlyncboot_ntp_check_status %d\n", state);
    fprintf(f, "# HELP lyncboot_ntp_up Whether the target answered with usable time.\n"
               "# TYPE lyncboot_ntp_up gauge\n");
    for (size_t i = 0; i < n; i++) {
        label_of(&t[i], label, sizeof label);
        prometheus_label_value(label, value, sizeof value);
        fprintf(f, "lyncboot_ntp_up{target=\"%s\"} %d\n", value, t[i].answered > 0);
    }
    static const char *const metrics[][2] = {
        {"lyncboot_ntp_offset_seconds", "Offset of the target from this host."},
        {"lyncboot_ntp_jitter_seconds", "Standard deviation of the sampled offsets."},
        {"lyncboot_ntp_stratum", "Stratum the target reports."},
        {"lyncboot_ntp_root_distance_seconds", "Root delay / 2 + root dispersion + delay / 2."},
    };
    for (size_t m = 0; m < 4; m++) {
        fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", metrics[m][0], metrics[m][1], metrics[m][0]);
        for (size_t i = 0; i < n; i++) {
            if (!t[i].answered)
                continue;
            double v = m == 0 ? t[i].offset : m == 1 ? t[i].jitter
                       : m == 2 ? t[i].reply.stratum : t[i].root_distance;
            label_of(&t[i], label, sizeof label);
            prometheus_label_value(label, value, sizeof value);
            fprintf(f, "%s{target=\"%s\"} %.9g\n", metrics[m][0], value, v);
        }
    }
    int failed = fflush(f) != 0;
    failed |= fclose(f) != 0;
    if (failed || rename(tmp, path) != 0) {
        int saved = errno;
        unlink(tmp);
        errno = saved;
        return -1;
    }
    return 0;
}

static int write_health(const char *path, const struct ntpc_target *t, size_t n)
{
    struct ntp_health_entry *e = calloc(n ? n : 1, sizeof *e);
    char err[256];
    if (!e)
        return -1;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        /* Only names the DNS side could advertise: one that is not a host name has
         * nothing to mark there (and might not fit the file's syntax). */
        uint8_t addr[4];
        if (fqdn_validate(t[i].name, NULL, 0) != 0 && ipv4_parse(t[i].name, addr) != 0)
            continue;
        struct ntp_health_entry *x = &e[count++];
        snprintf(x->target, sizeof x->target, "%s", t[i].name);
        x->port = t[i].port;
        x->healthy = t[i].state == STATE_OK;
        x->checked = (int64_t)time(NULL);
        if (t[i].state == STATE_OK)
            snprintf(x->reason, sizeof x->reason, "offset %.6f s, stratum %d",
                     t[i].offset, t[i].reply.stratum);
        else
            snprintf(x->reason, sizeof x->reason, "%s", t[i].problem);
    }
    int rc = ntp_health_write(path, e, count, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "lyncboot-ntp-check: --health-file: %s\n", err);
    free(e);
    return rc;
}

/* A time source as given: -H HOST[:PORT] or a lyncboot.conf ntp line. */
struct host_spec {
    char name[256];
    uint16_t port;
};

/* Parses -H HOST[:PORT] once, at start-up: a bad one is a usage error then, never in a
 * later --interval round. */
static int parse_host_spec(const char *spec, struct host_spec *out)
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

/* Adds one target of this round; resolves it. A name that does not resolve, or one
 * from an SRV record (DNS data, not configuration) that is not a host name, is a
 * CRITICAL target with its reason, not an error. Returns -1 when the round already has
 * the most targets it checks. */
static int add_target(struct ntpc_target *t, size_t *n, const struct options *o,
                      const char *name, uint16_t port, bool from_dns)
{
    char err[256];
    if (*n == NTPC_MAX_TARGETS)
        return -1;
    struct ntpc_target *x = &t[*n];
    memset(x, 0, sizeof *x);
    snprintf(x->name, sizeof x->name, "%s", name);
    x->port = port;
    uint8_t addr[4];
    if (from_dns && fqdn_validate(name, err, sizeof err) != 0 && ipv4_parse(name, addr) != 0) {
        snprintf(x->problem, sizeof x->problem, "not a host name: %.150s", err);
        x->unusable = true;
    } else if (resolve_host(o, name, x->addr, err, sizeof err) != 0) {
        snprintf(x->problem, sizeof x->problem, "cannot resolve: %.150s", err);
        x->unusable = true;
    }
    (*n)++;
    return 0;
}

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

int main(int argc, char **argv)
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
        {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0},
    };
    struct options o = {.timeout_ms = 1000, .samples = 3, .chronyc = "chronyc"};
    char err[256];
    const char *srv_domains[8];
    static struct host_spec hosts[NTPC_MAX_TARGETS];
    size_t n_hosts = 0, n_srv = 0;
    mp_range_parse("60", &o.offset_warn, err, sizeof err); /* check_ntp_time's defaults */
    mp_range_parse("120", &o.offset_crit, err, sizeof err);
    int c;
    while ((c = getopt_long(argc, argv, "H:w:c:t:hV", longopts, NULL)) != -1) {
        struct mp_range *range = NULL;
        switch (c) {
        case 'H':
            if (n_hosts == NTPC_MAX_TARGETS)
                return die_usage("more than 256 targets at -H '%s'", optarg);
            if (parse_host_spec(optarg, &hosts[n_hosts]) != 0)
                return STATE_UNKNOWN;
            n_hosts++;
            break;
        case 'S':
            if (n_srv == 8 || fqdn_validate(optarg, err, sizeof err) != 0)
                return die_usage("--srv '%s': not a domain (or more than 8)", optarg);
            srv_domains[n_srv++] = optarg;
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
                    if (n_hosts == NTPC_MAX_TARGETS) {
                        free(site);
                        return die_usage("--site-config %s: more than 256 targets", optarg);
                    }
                    snprintf(hosts[n_hosts].name, sizeof hosts[0].name, "%s",
                             site->domains[d].ntp[k].name);
                    hosts[n_hosts++].port = (uint16_t)site->domains[d].ntp[k].port;
                }
            free(site);
            break;
        }
        case 'D':
            if (ipv4_parse(optarg, o.dns_server) != 0)
                return die_usage("--dns-server '%s': not an IPv4 address", optarg);
            o.have_dns_server = true;
            break;
        case 's':
            if (ipv4_parse(optarg, o.source) != 0)
                return die_usage("--source '%s': not an IPv4 address", optarg);
            o.have_source = true;
            break;
        case 'C': o.chrony = true; break;
        case 'P': o.chronyc = optarg; break;
        case 'Q': o.chronyc_host = optarg; break;
        case 'j': o.json = true; break;
        case 'p': o.prometheus = optarg; break;
        case 'f': o.health_file = optarg; break;
        case 'w': range = &o.offset_warn; break;
        case 'c': range = &o.offset_crit; break;
        case 1: range = &o.stratum_warn; break;
        case 2: range = &o.stratum_crit; break;
        case 3: range = &o.rootdist_warn; break;
        case 4: range = &o.rootdist_crit; break;
        case 't': {
            char *end;
            double s = strtod(optarg, &end);
            if (*end || s < 0.01 || s > 60)
                return die_usage("-t '%s': seconds, 0.01-60", optarg);
            o.timeout_ms = (int)(s * 1000);
            break;
        }
        case 'n': {
            char *end;
            long s = strtol(optarg, &end, 10);
            if (*end || s < 1 || s > NTPC_MAX_SAMPLES)
                return die_usage("--samples '%s': 1-8", optarg);
            o.samples = (int)s;
            break;
        }
        case 'i': {
            char *end;
            long s = strtol(optarg, &end, 10);
            if (*end || s < 1 || s > 86400)
                return die_usage("--interval '%s': seconds, 1-86400", optarg);
            o.interval = (int)s;
            break;
        }
        case 'h': usage(stdout); return STATE_OK;
        case 'V': puts("lyncboot-ntp-check " LYNCBOOT_VERSION); return STATE_OK;
        default: return STATE_UNKNOWN;
        }
        if (range && mp_range_parse(optarg, range, err, sizeof err) != 0)
            return die_usage("%s", err);
    }
    if (optind != argc)
        return die_usage("unexpected argument '%s'", argv[optind]);
    if (n_hosts == 0 && n_srv == 0 && !o.chrony)
        return die_usage("%s", "nothing to check: give -H, --srv, --site-config or --chrony");
    if (n_srv > 0 && !o.have_dns_server && system_resolver(o.dns_server) == 0)
        o.have_dns_server = true;

    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    struct ntpc_target *targets = calloc(NTPC_MAX_TARGETS, sizeof *targets);
    if (!targets)
        return STATE_UNKNOWN;
    enum plugin_state state;
    do {
        /* Nothing in a round exits: what DNS returns is reported, whatever it is. */
        size_t n = 0, not_checked = 0;
        for (size_t i = 0; i < n_hosts; i++)
            add_target(targets, &n, &o, hosts[i].name, hosts[i].port, false);
        int srv_failed = 0;
        char srv_problem[420] = "";
        for (size_t d = 0; d < n_srv; d++) {
            char name[300];
            struct dns_answer ans;
            snprintf(name, sizeof name, "_ntp._udp.%s", srv_domains[d]);
            if (!o.have_dns_server ||
                dns_lookup(o.dns_server, name, DNS_TYPE_SRV, DNS_RECURSIVE, o.timeout_ms, &ans,
                           err, sizeof err)) {
                snprintf(srv_problem, sizeof srv_problem, "%.250s SRV: %.100s", name,
                         o.have_dns_server ? err : "no DNS server");
                fprintf(stderr, "lyncboot-ntp-check: %s\n", srv_problem);
                srv_failed = 1;
                continue;
            }
            if (ans.srv_count == 0) {
                snprintf(srv_problem, sizeof srv_problem, "no %.300s SRV record (phones "
                         "would fall back to time.windows.com)", name);
                fprintf(stderr, "lyncboot-ntp-check: %s\n", srv_problem);
                srv_failed = 1;
            }
            not_checked += ans.dropped;
            for (size_t k = 0; k < ans.srv_count; k++)
                if (add_target(targets, &n, &o, ans.srv[k].target, ans.srv[k].port, true) != 0)
                    not_checked++;
        }
        if (not_checked > 0 && !srv_failed) {
            snprintf(srv_problem, sizeof srv_problem, "%zu SRV target%s not checked (at most "
                     "%d a round, %d a domain)", not_checked, not_checked == 1 ? "" : "s",
                     NTPC_MAX_TARGETS, DNS_MAX_RECORDS);
            fprintf(stderr, "lyncboot-ntp-check: %s\n", srv_problem);
        }
        /* Targets that did not resolve stay out of the probe but in the report. */
        struct timespec probe_start, probe_end;
        clock_gettime(CLOCK_MONOTONIC, &probe_start);
        ntpc_probe_targets(targets, n, o.samples, o.timeout_ms, o.have_source ? o.source : NULL);
        clock_gettime(CLOCK_MONOTONIC, &probe_end);
        double probe_seconds = (double)(probe_end.tv_sec - probe_start.tv_sec) +
                               (probe_end.tv_nsec - probe_start.tv_nsec) / 1e9;
        for (size_t i = 0; i < n; i++)
            evaluate(&o, &targets[i]);
        struct ntpc_chrony chrony = {0};
        if (o.chrony)
            ntpc_query_chrony(o.chronyc, o.chronyc_host, o.timeout_ms * 2, &chrony);
        state = overall(targets, n, &chrony);
        if (srv_failed && (state < STATE_CRITICAL || n == 0))
            state = STATE_CRITICAL;
        if (not_checked > 0 && state < STATE_WARNING)
            state = STATE_WARNING;
        if (o.json)
            print_json(targets, n, &chrony, state, probe_seconds);
        else
            print_status_line(&o, targets, n, &chrony, state, srv_problem);
        fflush(stdout);
        if (o.prometheus && write_prometheus(o.prometheus, targets, n, state) != 0)
            fprintf(stderr, "lyncboot-ntp-check: --prometheus %s: %s\n", o.prometheus,
                    strerror(errno));
        if (o.health_file)
            write_health(o.health_file, targets, n);
        for (int s = 0; o.interval && s < o.interval * 10 && !stop_requested; s++)
            usleep(100000);
    } while (o.interval && !stop_requested);
    free(targets);
    return state;
}
