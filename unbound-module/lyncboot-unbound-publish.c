/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-unbound-publish: the site's phone records (SRV _ntp._udp, _sipinternaltls._tcp,
 * _sipinternal._tcp, A ucupdates-r2) pushed into a running stock unbound through its
 * control socket (local_data / local_data_remove), from the same lib/ code as the dynlib
 * module. With --interval it keeps them in step with the NTP health file and puts them
 * back after unbound restarts (control-added data does not survive one). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "dns_client.h"
#include "ntp_health.h"
#include "site_conf.h"
#include "site_records.h"
#include "zone_conflicts.h"

#define DEFAULT_CONTROL "/run/unbound.ctl"
#define DEFAULT_DNS_SERVER "127.0.0.1"
/* How long unbound may take to answer the question whether an auth zone serves
 * downstream (it answers from memory, or refuses). */
#define AUTH_PROBE_TIMEOUT_MS 2000

static void usage(FILE *out)
{
    fputs("Usage: lyncboot-unbound-publish [--config FILE] [--control SOCKET]\n"
          "                                [--interval SECONDS] [--check | --dry-run]\n"
          "                                [--check-zones module|publisher]\n"
          "                                [--dns-server ADDRESS]\n\n"
          "Publishes the site's phone records into a running unbound through its control\n"
          "socket (unbound.conf: control-enable: yes, control-interface: /run/unbound.ctl).\n"
          "  --config FILE      site description (default " SITE_CONF_DEFAULT_PATH ",\n"
          "                     or $LYNCBOOT_UNBOUND_CONF)\n"
          "  --control SOCKET   unbound's control socket (default " DEFAULT_CONTROL ")\n"
          "  --interval SECONDS keep running: re-push when the health file changes or\n"
          "                     unbound lost the records (restart), checking every SECONDS\n"
          "  --check            validate the configuration and exit\n"
          "  --check-zones MODE also ask the running unbound whether its own zones would\n"
          "                     hide the records, for MODE module or publisher (exit 2 if\n"
          "                     so, naming the zone and the fix); implies --check\n"
          "  --dns-server ADDRESS where the check asks unbound itself whether an auth-zone\n"
          "                     above a record serves downstream (list_auth_zones does\n"
          "                     not say; default " DEFAULT_DNS_SERVER ")\n"
          "  --dry-run          print the records instead of publishing them\n"
          "  -V, --version      show the version\n"
          "Exit status: 0 published, 1 unbound not reachable, 2 bad configuration or usage,\n"
          "or unbound's own local zones would hide the records (zone and fix named).\n",
          out);
}

/* How long one control command may take, connection to last byte: a wedged unbound
 * must not wedge the publisher (the next round tries again). */
#define CONTROL_DEADLINE_MS 10000
#define LINE_MAX_TEXT 1200

/* One control command's connection, read a line at a time (no cap on the reply: a
 * site may have any number of local-data records of its own). */
struct control_conn {
    int fd;
    struct timespec deadline;
    char buf[16384];
    size_t start, end;
    int eof;
};

/* Connects and sends one command. Returns 0, or -1 with a reason. */
static int control_open(const char *socket_path, const char *command,
                        struct control_conn *conn, char *err, size_t errlen)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    conn->fd = -1;
    conn->start = conn->end = 0;
    conn->eof = 0;
    deadline_after(&conn->deadline, CONTROL_DEADLINE_MS);
    if (strlen(socket_path) >= sizeof addr.sun_path) {
        snprintf(err, errlen, "%s: path too long", socket_path);
        return -1;
    }
    strcpy(addr.sun_path, socket_path);
    char line[LINE_MAX_TEXT];
    int n = snprintf(line, sizeof line, "UBCT1 %s\n", command);
    if (n >= (int)sizeof line) {
        snprintf(err, errlen, "control command too long: %.100s", command);
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 &&
                   errno != EINPROGRESS && errno != EAGAIN)) {
        snprintf(err, errlen, "cannot connect to unbound's control socket %s: %s", socket_path,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    for (int sent = 0; sent < n;) {
        ssize_t w = deadline_wait_fd(fd, POLLOUT, &conn->deadline) == 0
                        ? send(fd, line + sent, (size_t)(n - sent), MSG_NOSIGNAL) : -1;
        if (w < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (w <= 0) {
            snprintf(err, errlen, "cannot send to %s: %s", socket_path,
                     w < 0 ? strerror(errno) : "closed");
            close(fd);
            return -1;
        }
        sent += (int)w;
    }
    conn->fd = fd;
    return 0;
}

/* The next line of the reply, without its newline (longer lines cut at cap, the rest
 * skipped). Returns 1, 0 at the end of the reply, or -1 when the deadline passed. */
static int control_line(struct control_conn *conn, char *line, size_t cap)
{
    size_t out = 0;
    for (;;) {
        while (conn->start < conn->end) {
            char c = conn->buf[conn->start++];
            if (c == '\n') {
                line[out] = '\0';
                return 1;
            }
            if (out + 1 < cap)
                line[out++] = c;
        }
        if (conn->eof) {
            line[out] = '\0';
            return out > 0;
        }
        if (deadline_wait_fd(conn->fd, POLLIN, &conn->deadline) != 0)
            return -1;
        ssize_t got = recv(conn->fd, conn->buf, sizeof conn->buf, 0);
        if (got < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        conn->start = 0;
        conn->end = got > 0 ? (size_t)got : 0;
        conn->eof = got <= 0;
    }
}

static void control_close(struct control_conn *conn)
{
    if (conn->fd >= 0)
        close(conn->fd);
    conn->fd = -1;
}

/* One command whose reply is one line ("ok", or unbound's reason). */
static int control_simple(const char *socket_path, const char *command, char *reply,
                          size_t cap, char *err, size_t errlen)
{
    struct control_conn conn;
    if (control_open(socket_path, command, &conn, err, errlen) != 0)
        return -1;
    int rc = control_line(&conn, reply, cap);
    control_close(&conn);
    if (rc < 0) {
        snprintf(err, errlen, "%s: no answer to '%.100s' within %d s", socket_path, command,
                 CONTROL_DEADLINE_MS / 1000);
        return -1;
    }
    if (rc == 0)
        reply[0] = '\0';
    return 0;
}

/* Collapses runs of blanks to one space and lower-cases owner names, so unbound's
 * tab-separated listing and our text compare equal. */
static void normalise(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    int space = 0;
    for (const char *p = in; *p && *p != '\n' && o + 1 < cap; p++) {
        if (isspace((unsigned char)*p)) {
            space = o > 0;
            continue;
        }
        if (space && o + 1 < cap)
            out[o++] = ' ';
        space = 0;
        out[o++] = (char)tolower((unsigned char)*p);
    }
    out[o] = '\0';
}

/* The index of the first record of set whose owner the listing line names, or -1. */
static long owner_of(const char *line, const struct site_record_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        size_t n = strlen(set->records[i].owner);
        if (strncasecmp(line, set->records[i].owner, n) == 0 && line[n] == '.' &&
            isspace((unsigned char)line[n + 1]))
            return (long)i;
    }
    return -1;
}

static int compare_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One owner name of the site's records: what unbound serves for it, what it should. */
struct owner_state {
    size_t first;     /* its first record in the set */
    size_t have, want;
    char *have_text[16], *want_text[16];
    int overflow;     /* unbound has more records there than we keep: not in step */
};

/* Reads unbound's whole listing as it streams (any size) and keeps only our names'
 * lines; marks each owner in step or not. Returns 0, or -1 with a reason. */
static int compare_listing(const char *socket_path, const struct site_record_set *set,
                           struct owner_state *owners, const long *owner_index,
                           char (*have_text)[400], char *err, size_t errlen)
{
    struct control_conn conn;
    if (control_open(socket_path, "list_local_data", &conn, err, errlen) != 0)
        return -1;
    char line[LINE_MAX_TEXT];
    size_t kept = 0;
    int rc;
    while ((rc = control_line(&conn, line, sizeof line)) == 1) {
        long rec = owner_of(line, set);
        if (rec < 0)
            continue;
        struct owner_state *o = &owners[owner_index[rec]];
        if (o->have == 16 || kept == SITE_MAX_RECORDS) {
            o->overflow = 1;
            continue;
        }
        normalise(line, have_text[kept], sizeof have_text[0]);
        o->have_text[o->have++] = have_text[kept++];
    }
    control_close(&conn);
    if (rc < 0) {
        snprintf(err, errlen, "%s: list_local_data did not end within %d s", socket_path,
                 CONTROL_DEADLINE_MS / 1000);
        return -1;
    }
    return 0;
}

static int owner_in_step(struct owner_state *o)
{
    if (o->overflow || o->have != o->want)
        return 0;
    qsort(o->have_text, o->have, sizeof o->have_text[0], compare_text);
    qsort(o->want_text, o->want, sizeof o->want_text[0], compare_text);
    for (size_t i = 0; i < o->want; i++)
        if (strcmp(o->have_text[i], o->want_text[i]) != 0)
            return 0;
    return 1;
}

/* The local-data lines of unbound at our names (list_local_data), for the module's
 * rules: data there is answered before any module runs. */
static int our_local_data(const char *socket_path, const struct site_record_set *set,
                          char (*lines)[LINE_MAX_TEXT], size_t cap, size_t *count, char *err,
                          size_t errlen)
{
    struct control_conn conn;
    *count = 0;
    if (control_open(socket_path, "list_local_data", &conn, err, errlen) != 0)
        return -1;
    int got;
    char line[LINE_MAX_TEXT];
    while ((got = control_line(&conn, line, sizeof line)) == 1)
        if (*count < cap && owner_of(line, set) >= 0)
            snprintf(lines[(*count)++], LINE_MAX_TEXT, "%s", line);
    control_close(&conn);
    if (got < 0)
        snprintf(err, errlen, "%s: list_local_data did not end within %d s", socket_path,
                 CONTROL_DEADLINE_MS / 1000);
    return got < 0 ? -1 : 0;
}

#define AUTH_ZONES_MAX 64

/* The auth zones above one of our records that unbound serves downstream, for the
 * module's rules (unbound answers them before any module runs). list_auth_zones names
 * the zones but not their for-downstream flag, so unbound is asked for each record
 * under a zone, without recursion: an authoritative answer (AA) can only come from a
 * zone it serves downstream (its local zones are checked apart). Returns 0, 1 when
 * unbound could not be asked over DNS (the reason in err, the fix named), or -1 when
 * the control socket failed. */
static int downstream_auth_zones(const char *socket_path, const uint8_t dns_server[4],
                                 const struct site_record_set *set,
                                 char (*names)[300], struct zone_auth *auths, size_t *count,
                                 char *err, size_t errlen)
{
    struct control_conn conn;
    *count = 0;
    if (control_open(socket_path, "list_auth_zones", &conn, err, errlen) != 0)
        return -1;
    int got;
    char line[LINE_MAX_TEXT];
    while ((got = control_line(&conn, line, sizeof line)) == 1) /* "name\tserial N" */
        if (*count < AUTH_ZONES_MAX && sscanf(line, "%299s", names[*count]) == 1)
            (*count)++;
    control_close(&conn);
    if (got < 0) {
        snprintf(err, errlen, "%s: list_auth_zones did not end within %d s", socket_path,
                 CONTROL_DEADLINE_MS / 1000);
        return -1;
    }
    for (size_t z = 0; z < *count; z++) {
        auths[z] = (struct zone_auth){names[z], false};
        for (size_t i = 0; i < set->count && !auths[z].for_downstream; i++) {
            const struct site_record *r = &set->records[i];
            if (!zone_name_within(r->owner, names[z]))
                continue;
            struct dns_answer ans;
            char why[300];
            if (dns_lookup(dns_server, r->owner, r->type, DNS_NO_RECURSION,
                           AUTH_PROBE_TIMEOUT_MS, &ans, why, sizeof why) != 0) {
                snprintf(err, errlen,
                         "%.120s is inside auth-zone \"%.120s\", which unbound answers before "
                         "any module runs if it has for-downstream: yes; list_auth_zones does "
                         "not say, and asking unbound at %u.%u.%u.%u failed (%.100s): give "
                         "--dns-server an address unbound answers on", r->owner, names[z],
                         dns_server[0], dns_server[1], dns_server[2], dns_server[3], why);
                return 1;
            }
            auths[z].for_downstream = ans.authoritative != 0;
        }
    }
    return 0;
}

/* Whether unbound's local zones (list_local_zones: "name type" lines) would hide a
 * record: for the publisher, a zone type that ignores local data below its name, or all
 * of it; for the module (--check-zones module), a zone answered before modules, local
 * data at one of its names, or an auth zone served downstream. Returns 0, 1 with the
 * reason in err, or -1 when unbound could not be asked. */
static int zones_hide_records(const char *socket_path, const uint8_t dns_server[4],
                              const struct site_record_set *set, enum zone_user user,
                              char *err, size_t errlen)
{
    struct control_conn conn;
    if (control_open(socket_path, "list_local_zones", &conn, err, errlen) != 0)
        return -1;
    size_t cap = 64, n = 0;
    struct zone_local *zones = malloc(cap * sizeof *zones);
    char (*text)[2][300] = malloc(cap * sizeof *text);
    char line[LINE_MAX_TEXT];
    int rc = 0, got;
    while (zones && text && (got = control_line(&conn, line, sizeof line)) == 1) {
        if (n == cap) {
            cap *= 2;
            void *z = realloc(zones, cap * sizeof *zones), *t = z ? realloc(text, cap * sizeof *text) : NULL;
            if (z)
                zones = z;
            if (!z || !t) {
                rc = -1;
                snprintf(err, errlen, "out of memory");
                break;
            }
            text = t;
        }
        if (sscanf(line, "%299s %299s", text[n][0], text[n][1]) == 2)
            n++;
    }
    control_close(&conn);
    if (!zones || !text) {
        rc = -1;
        snprintf(err, errlen, "out of memory");
    } else if (rc == 0 && got < 0) {
        rc = -1;
        snprintf(err, errlen, "%s: list_local_zones did not end within %d s", socket_path,
                 CONTROL_DEADLINE_MS / 1000);
    } else if (rc == 0) {
        for (size_t i = 0; i < n; i++)
            zones[i] = (struct zone_local){text[i][0], text[i][1], false};
        struct zone_inputs in = {.zones = zones, .zone_count = n};
        static char data[64][LINE_MAX_TEXT];
        const char *data_ptrs[64];
        size_t data_count = 0;
        if (user == ZONE_USER_MODULE &&
            our_local_data(socket_path, set, data, 64, &data_count, err, errlen) != 0)
            rc = -1;
        for (size_t i = 0; i < data_count; i++)
            data_ptrs[i] = data[i];
        in.local_data = data_ptrs;
        in.local_data_count = data_count;
        char auth_names[AUTH_ZONES_MAX][300];
        struct zone_auth auths[AUTH_ZONES_MAX];
        if (rc == 0 && user == ZONE_USER_MODULE)
            rc = downstream_auth_zones(socket_path, dns_server, set, auth_names, auths,
                                       &in.auth_count, err, errlen);
        in.auths = auths;
        if (rc == 0)
            rc = zone_conflicts_check(set, &in, user, err, errlen) != 0 ? 1 : 0;
    }
    free(zones);
    free(text);
    return rc;
}

/* Brings unbound in step name by name: a name whose records differ is removed and
 * added again; the others are left alone, so a health change touches one name and
 * the rest never blink. *changed counts the names rewritten. */
static int publish(const char *socket_path, const struct site_record_set *set,
                   char desired[][400], size_t n, size_t *changed, char *err, size_t errlen)
{
    *changed = 0;
    struct owner_state *owners = calloc(n ? n : 1, sizeof *owners);
    long *owner_index = calloc(n ? n : 1, sizeof *owner_index);
    char (*have_text)[400] = malloc(SITE_MAX_RECORDS * sizeof *have_text);
    size_t n_owners = 0;
    int rc = -1;
    if (!owners || !owner_index || !have_text) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < n_owners && strcasecmp(set->records[owners[k].first].owner,
                                          set->records[i].owner) != 0)
            k++;
        if (k == n_owners)
            owners[n_owners++].first = i;
        owner_index[i] = (long)k;
        if (owners[k].want == 16) {
            snprintf(err, errlen, "more than 16 records for %s", set->records[i].owner);
            goto out;
        }
        owners[k].want_text[owners[k].want++] = desired[i];
    }
    int hidden = zones_hide_records(socket_path, NULL, set, ZONE_USER_PUBLISHER, err, errlen);
    if (hidden != 0) {
        rc = hidden < 0 ? -1 : -2;
        goto out;
    }
    if (compare_listing(socket_path, set, owners, owner_index, have_text, err, errlen) != 0)
        goto out;
    char command[700], reply[400];
    for (size_t k = 0; k < n_owners; k++) {
        if (owner_in_step(&owners[k]))
            continue;
        const char *owner = set->records[owners[k].first].owner;
        snprintf(command, sizeof command, "local_data_remove %s.", owner);
        if (control_simple(socket_path, command, reply, sizeof reply, err, errlen) != 0)
            goto out;
        for (size_t i = 0; i < n; i++) {
            if (owner_index[i] != (long)k)
                continue;
            char text[400];
            site_record_text(&set->records[i], text, sizeof text);
            snprintf(command, sizeof command, "local_data %s", text);
            if (control_simple(socket_path, command, reply, sizeof reply, err, errlen) != 0)
                goto out;
            if (strncmp(reply, "ok", 2) != 0) {
                snprintf(err, errlen, "unbound refused '%.300s': %.100s", text, reply);
                goto out;
            }
        }
        (*changed)++;
    }
    rc = 0;
out:
    free(owners);
    free(owner_index);
    free(have_text);
    return rc;
}

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void say(const char *fmt, const char *arg)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s lyncboot-unbound-publish: ", when);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'}, {"control", required_argument, NULL, 's'},
        {"interval", required_argument, NULL, 'i'}, {"check", no_argument, NULL, 'k'},
        {"dry-run", no_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'},
        {"check-zones", required_argument, NULL, 'z'},
        {"dns-server", required_argument, NULL, 'd'},
        {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0},
    };
    const char *config = site_conf_default_path();
    const char *socket_path = DEFAULT_CONTROL;
    int interval = 0, check_only = 0, dry_run = 0, check_zones = -1, c;
    uint8_t dns_server[4];
    inet_pton(AF_INET, DEFAULT_DNS_SERVER, dns_server);
    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 's': socket_path = optarg; break;
        case 'k': check_only = 1; break;
        case 'n': dry_run = 1; break;
        case 'z':
            if (strcmp(optarg, "module") != 0 && strcmp(optarg, "publisher") != 0) {
                fprintf(stderr, "lyncboot-unbound-publish: --check-zones: module or publisher\n");
                return 2;
            }
            check_zones = strcmp(optarg, "module") == 0 ? ZONE_USER_MODULE : ZONE_USER_PUBLISHER;
            check_only = 1;
            break;
        case 'd':
            if (inet_pton(AF_INET, optarg, dns_server) != 1) {
                fprintf(stderr, "lyncboot-unbound-publish: --dns-server: '%s' is not an IPv4 "
                                "address\n", optarg);
                return 2;
            }
            break;
        case 'i': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 3600) {
                fprintf(stderr, "lyncboot-unbound-publish: --interval: 1-3600 seconds\n");
                return 2;
            }
            interval = (int)v;
            break;
        }
        case 'h': usage(stdout); return 0;
        case 'V': puts("lyncboot-unbound-publish " LYNCBOOT_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    char err[600];
    struct site_conf *conf = malloc(sizeof *conf);
    struct site_record_set *set = malloc(sizeof *set);
    struct ntp_health_entry *health = calloc(NTP_HEALTH_MAX_TARGETS, sizeof *health);
    char (*desired)[400] = malloc(SITE_MAX_RECORDS * sizeof *desired);
    int status = 0;
    if (!conf || !set || !health || !desired) {
        status = 2;
        goto out;
    }
    if (site_conf_load(config, conf, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-unbound-publish: %s\n", err);
        status = 2;
        goto out;
    }
    for (size_t i = 0; i < conf->warning_count; i++)
        say("warning: %s", conf->warnings[i]);
    if (check_only && check_zones >= 0) {
        /* Before a rollout changes anything: would the running unbound's own zones hide
         * these records? Not reachable (no unbound yet): said, not an error. */
        site_records_build(conf, NULL, 0, 0, set);
        int hidden = zones_hide_records(socket_path, dns_server, set,
                                        (enum zone_user)check_zones, err, sizeof err);
        if (hidden > 0) {
            fprintf(stderr, "lyncboot-unbound-publish: %s: %s\n", config, err);
            status = 2;
            goto out;
        }
        if (hidden < 0)
            say("warning: zones not checked: %s", err);
    }
    if (check_only) {
        printf("%s: OK, %zu domain%s\n", config, conf->domain_count,
               conf->domain_count == 1 ? "" : "s");
        goto out;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    char last_notes[1200] = "", last_refusal[600] = "";
    do {
        char note[600];
        int n_health = site_health_load(conf, health, NTP_HEALTH_MAX_TARGETS, note, sizeof note);
        if (note[0] && strcmp(last_notes, note) != 0) {
            say("%s", note);
            snprintf(last_notes, sizeof last_notes, "%s", note);
        }
        site_records_build(conf, n_health >= 0 ? health : NULL, n_health >= 0 ? (size_t)n_health : 0,
                           (int64_t)time(NULL), set);
        char notes[1200] = "";
        for (size_t i = 0; i < set->fail_open_count; i++)
            snprintf(notes + strlen(notes), sizeof notes - strlen(notes), "%s; ", set->notes[i]);
        if (notes[0] && strcmp(notes, last_notes) != 0)
            say("%s", notes);
        if (n_health >= 0)
            snprintf(last_notes, sizeof last_notes, "%s", notes);
        for (size_t i = 0; i < set->count; i++) {
            char text[400];
            site_record_text(&set->records[i], text, sizeof text);
            normalise(text, desired[i], sizeof desired[0]);
            if (dry_run)
                printf("%s\n", text);
        }
        if (dry_run)
            goto out;
        size_t changed = 0;
        int rc = publish(socket_path, set, desired, set->count, &changed, err, sizeof err);
        if (rc == -2) {
            /* unbound's own zones would hide the records: publish none, say why once */
            if (strcmp(err, last_refusal) != 0)
                say("not publishing: %s", err);
            snprintf(last_refusal, sizeof last_refusal, "%s", err);
            status = 2;
        } else if (rc != 0) {
            say("%s", err);
            status = 1;
        } else {
            last_refusal[0] = '\0';
            status = 0;
            if (changed) {
                char count[64];
                snprintf(count, sizeof count, "%zu records (%zu name%s rewritten)", set->count,
                         changed, changed == 1 ? "" : "s");
                say("published %s", count);
            }
        }
        for (int s = 0; interval && s < interval * 10 && !stop_requested; s++)
            usleep(100000);
    } while (interval && !stop_requested);
out:
    free(conf);
    free(set);
    free(health);
    free(desired);
    return status;
}
