/* SPDX-License-Identifier: MPL-2.0 */
/* A round's outputs: the status line with perfdata (monitoring-plugin guidelines),
 * JSON, Prometheus metrics, the health file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fqdn.h"
#include "latin1.h"
#include "ntp_health.h"
#include "ntpc.h"

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

void ntpc_print_status_line(const struct ntpc_options *o, const struct ntpc_target *t, size_t n,
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

void ntpc_print_json(const struct ntpc_target *t, size_t n, const struct ntpc_chrony *c,
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
int ntpc_write_prometheus(const char *path, const struct ntpc_target *t, size_t n,
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

int ntpc_write_health(const char *path, const struct ntpc_target *t, size_t n)
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

