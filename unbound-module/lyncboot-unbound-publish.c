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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ntp_health.h"
#include "site_conf.h"
#include "site_records.h"

#define DEFAULT_CONFIG "/etc/unbound/lyncboot.conf"
#define DEFAULT_CONTROL "/run/unbound.ctl"
#define REPLY_MAX (1 << 20)

static void usage(FILE *out)
{
    fputs("Usage: lyncboot-unbound-publish [--config FILE] [--control SOCKET]\n"
          "                                [--interval SECONDS] [--check | --dry-run]\n\n"
          "Publishes the site's phone records into a running unbound through its control\n"
          "socket (unbound.conf: control-enable: yes, control-interface: /run/unbound.ctl).\n"
          "  --config FILE      site description (default " DEFAULT_CONFIG ",\n"
          "                     or $LYNCBOOT_UNBOUND_CONF)\n"
          "  --control SOCKET   unbound's control socket (default " DEFAULT_CONTROL ")\n"
          "  --interval SECONDS keep running: re-push when the health file changes or\n"
          "                     unbound lost the records (restart), checking every SECONDS\n"
          "  --check            validate the configuration and exit\n"
          "  --dry-run          print the records instead of publishing them\n"
          "Exit status: 0 published, 1 unbound not reachable, 2 bad configuration or usage.\n",
          out);
}

/* One control command; the reply (NUL-terminated) in *reply, to free. Returns 0, or -1. */
static int control(const char *socket_path, const char *command, char **reply, char *err,
                   size_t errlen)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    *reply = NULL;
    if (strlen(socket_path) >= sizeof addr.sun_path) {
        snprintf(err, errlen, "%s: path too long", socket_path);
        return -1;
    }
    strcpy(addr.sun_path, socket_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        snprintf(err, errlen, "cannot connect to unbound's control socket %s: %s", socket_path,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char line[1200];
    int n = snprintf(line, sizeof line, "UBCT1 %s\n", command);
    char *buf = malloc(REPLY_MAX);
    size_t len = 0;
    if (!buf || n >= (int)sizeof line || write(fd, line, (size_t)n) != n) {
        snprintf(err, errlen, "cannot send to %s", socket_path);
        free(buf);
        close(fd);
        return -1;
    }
    ssize_t got;
    while (len < REPLY_MAX - 1 && (got = read(fd, buf + len, REPLY_MAX - 1 - len)) > 0)
        len += (size_t)got;
    close(fd);
    buf[len] = '\0';
    *reply = buf;
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

static int owner_is_ours(const char *line, const struct site_record_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        size_t n = strlen(set->records[i].owner);
        if (strncasecmp(line, set->records[i].owner, n) == 0 && line[n] == '.' &&
            isspace((unsigned char)line[n + 1]))
            return 1;
    }
    return 0;
}

static int compare_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True when unbound already serves exactly the desired records for our names. */
static int in_step(const char *listing, const struct site_record_set *set,
                   char desired[][400], size_t n_desired)
{
    char *have[SITE_MAX_RECORDS * 2], *want[SITE_MAX_RECORDS];
    size_t n_have = 0;
    char (*have_text)[400] = malloc(SITE_MAX_RECORDS * 2 * sizeof *have_text);
    int same = 0;
    if (!have_text)
        return 0;
    for (const char *p = listing; *p;) {
        size_t len = strcspn(p, "\n");
        char line[600];
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
        if (owner_is_ours(line, set)) {
            if (n_have == SITE_MAX_RECORDS * 2)
                goto done;
            normalise(line, have_text[n_have], sizeof have_text[0]);
            have[n_have] = have_text[n_have];
            n_have++;
        }
        p += len + (p[len] == '\n');
    }
    if (n_have != n_desired)
        goto done;
    for (size_t i = 0; i < n_desired; i++)
        want[i] = desired[i];
    qsort(have, n_have, sizeof have[0], compare_text);
    qsort(want, n_desired, sizeof want[0], compare_text);
    same = 1;
    for (size_t i = 0; i < n_desired; i++)
        same &= strcmp(have[i], want[i]) == 0;
done:
    free(have_text);
    return same;
}

static int publish(const char *socket_path, const struct site_record_set *set,
                   char desired[][400], size_t n, int *changed, char *err, size_t errlen)
{
    char *reply;
    *changed = 0;
    if (control(socket_path, "list_local_data", &reply, err, errlen) != 0)
        return -1;
    int same = in_step(reply, set, desired, n);
    free(reply);
    if (same)
        return 0;
    /* Remove every name we own, then add the desired set. */
    char command[700];
    for (size_t i = 0; i < set->count; i++) {
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= strcasecmp(set->records[j].owner, set->records[i].owner) == 0;
        if (seen)
            continue;
        snprintf(command, sizeof command, "local_data_remove %s.", set->records[i].owner);
        if (control(socket_path, command, &reply, err, errlen) != 0)
            return -1;
        free(reply);
    }
    for (size_t i = 0; i < set->count; i++) {
        char text[400];
        site_record_text(&set->records[i], text, sizeof text);
        snprintf(command, sizeof command, "local_data %s", text);
        if (control(socket_path, command, &reply, err, errlen) != 0)
            return -1;
        int ok = strncmp(reply, "ok", 2) == 0;
        if (!ok)
            snprintf(err, errlen, "unbound refused '%.300s': %.100s", text, reply);
        free(reply);
        if (!ok)
            return -1;
    }
    *changed = 1;
    return 0;
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
        {NULL, 0, NULL, 0},
    };
    const char *config = getenv("LYNCBOOT_UNBOUND_CONF");
    const char *socket_path = DEFAULT_CONTROL;
    int interval = 0, check_only = 0, dry_run = 0, c;
    if (!config || !*config)
        config = DEFAULT_CONFIG;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 's': socket_path = optarg; break;
        case 'k': check_only = 1; break;
        case 'n': dry_run = 1; break;
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
    if (check_only) {
        printf("%s: OK, %zu domain%s\n", config, conf->domain_count,
               conf->domain_count == 1 ? "" : "s");
        goto out;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    char last_notes[1200] = "";
    do {
        int n_health = -1;
        if (conf->health_file[0]) {
            n_health = ntp_health_read(conf->health_file, health, NTP_HEALTH_MAX_TARGETS, err,
                                       sizeof err);
            if (n_health < 0 && strcmp(last_notes, err) != 0) {
                say("health file unusable, advertising every NTP target: %s", err);
                snprintf(last_notes, sizeof last_notes, "%s", err);
            }
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
        int changed = 0;
        if (publish(socket_path, set, desired, set->count, &changed, err, sizeof err) != 0) {
            say("%s", err);
            status = 1;
        } else {
            status = 0;
            if (changed) {
                char count[32];
                snprintf(count, sizeof count, "%zu", set->count);
                say("published %s records", count);
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
