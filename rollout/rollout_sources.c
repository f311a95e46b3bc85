/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-rollout's sources: Kea's lyncboot-phones answer, unbound's dnstap capture,
 * chronyd's clients and the web server's access log, each read into lib/rollout's
 * events. Only the DHCP source is required; any other that fails leaves a note naming the
 * file, line or byte, and its steps unknown. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "access_log.h"
#include "chrony_csv.h"
#include "chronyc_run.h"
#include "deadline.h"
#include "dnstap.h"
#include "dnswire.h"
#include "errtext.h"
#include "mac_text.h"
#include "rollout_cmd.h"

/* Kea's answer for every phone of a large table: 1,000,000 phones is about 300 MB. */
enum { KEA_ANSWER_MAX = 512 * 1024 * 1024 };

void rollout_note(struct rollout_data *d, const char *fmt, ...)
{
    if (d->note_count == ROLLOUT_MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->notes[d->note_count++], sizeof d->notes[0], fmt, ap);
    va_end(ap);
}

static void source_line(struct rollout_data *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void source_line(struct rollout_data *d, const char *fmt, ...)
{
    if (d->source_count == sizeof d->sources / sizeof d->sources[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->sources[d->source_count++], sizeof d->sources[0], fmt, ap);
    va_end(ap);
}

/* A whole file into memory (NUL-terminated). */
static char *read_file(const char *path, size_t *len, size_t max, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, used = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t n = fread(buf + used, 1, cap - used, f);
        used += n;
        if (used < cap)
            break;
        if (cap >= max) {
            snprintf(err, errlen, "%s: larger than %zu MB", path, max >> 20);
            free(buf);
            buf = NULL;
            break;
        }
        cap *= 2;
        char *bigger = realloc(buf, cap + 1);
        if (!bigger) {
            free(buf);
            buf = NULL;
            snprintf(err, errlen, "%s: out of memory", path);
        }
        buf = bigger;
    }
    if (buf && ferror(f)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[used] = '\0';
        *len = used;
    }
    return buf;
}

/* lyncboot-phones over Kea's control socket; Kea closes the connection after its answer. */
static char *ask_kea(const char *path, int timeout_ms, size_t *len, char *err, size_t errlen)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sun.sun_path) {
        snprintf(err, errlen, "Kea control socket %s: path too long", path);
        return NULL;
    }
    strcpy(sun.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
        snprintf(err, errlen, "Kea control socket %s: %s (is kea-dhcp4 running, and may this "
                 "user use its socket?)", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    static const char request[] = "{ \"command\": \"lyncboot-phones\" }";
    struct timespec deadline;
    deadline_after(&deadline, timeout_ms);
    size_t cap = 65536, used = 0;
    char *buf = NULL;
    if (send(fd, request, sizeof request - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof request - 1)) {
        snprintf(err, errlen, "Kea control socket %s: %s", path, strerror(errno));
        goto fail;
    }
    buf = malloc(cap + 1);
    for (;;) {
        if (!buf) {
            snprintf(err, errlen, "Kea control socket %s: out of memory", path);
            goto fail;
        }
        if (deadline_wait_fd(fd, POLLIN, &deadline) != 0) {
            snprintf(err, errlen, "Kea control socket %s: no whole answer within %d ms (%zu "
                     "bytes)", path, timeout_ms, used);
            goto fail;
        }
        ssize_t n = recv(fd, buf + used, cap - used, 0);
        if (n < 0) {
            snprintf(err, errlen, "Kea control socket %s: %s", path, strerror(errno));
            goto fail;
        }
        if (n == 0)
            break;
        used += (size_t)n;
        if (used == cap) {
            if (cap >= KEA_ANSWER_MAX) {
                snprintf(err, errlen, "Kea control socket %s: answer larger than %d MB", path,
                         KEA_ANSWER_MAX >> 20);
                goto fail;
            }
            cap *= 2;
            char *bigger = realloc(buf, cap + 1);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    close(fd);
    buf[used] = '\0';
    *len = used;
    return buf;
fail:
    free(buf);
    close(fd);
    return NULL;
}

static int parse_addr(json_t *phone, const char *key, uint8_t out[4])
{
    const char *text = json_string_value(json_object_get(phone, key));
    return text && inet_pton(AF_INET, text, out) == 1 ? 0 : -1;
}

/* One element of lyncboot-phones' "phones" list into a phone_record. */
static int parse_phone(json_t *phone, struct phone_record *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    json_t *steps = json_object_get(phone, "steps");
    if (!json_is_object(phone) ||
        mac_parse(json_string_value(json_object_get(phone, "hw-address")), r->mac) != 0)
        return errtext_fail(err, errlen, "no hw-address");
    if (!json_is_integer(json_object_get(phone, "first-seen")) ||
        !json_is_integer(json_object_get(phone, "last-seen")) || !json_is_object(steps))
        return errtext_fail(err, errlen, "no first-seen, last-seen or steps");
    r->first_seen = json_integer_value(json_object_get(phone, "first-seen"));
    r->last_seen = json_integer_value(json_object_get(phone, "last-seen"));
    r->subnet_id = (uint32_t)json_integer_value(json_object_get(phone, "subnet-id"));
    r->vlan = (uint16_t)json_integer_value(json_object_get(phone, "voice-vlan"));
    if (parse_addr(phone, "address", r->addr) != 0 || parse_addr(phone, "relay", r->relay) != 0)
        return errtext_fail(err, errlen, "address or relay is not an IPv4 address");
    const char *name;
    json_t *when;
    json_object_foreach(steps, name, when) {
        int step = phone_step_parse(name);
        if (step < 0 || !json_is_integer(when))
            return errtext_fail(err, errlen, "unknown step \"%s\"", name);
        r->step_time[step] = json_integer_value(when);
    }
    return 0;
}

/* One DHCP server's lyncboot-phones answer, its phones appended to d. */
static int read_server(const struct rollout_options *o, size_t index, struct rollout_data *d,
                       char *err, size_t errlen)
{
    size_t len = 0;
    const char *from = o->kea[index];
    char *text = o->kea_is_file[index] ? read_file(from, &len, KEA_ANSWER_MAX, err, errlen)
                                       : ask_kea(from, o->timeout_ms, &len, err, errlen);
    if (!text)
        return -1;
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    free(text);
    if (!root)
        return errtext_fail(err, errlen, "%s: not Kea's JSON answer: line %d: %s", from,
                            jerr.line, jerr.text);
    /* Kea's control agent wraps answers in a list; kea-dhcp4's own socket does not. */
    json_t *answer = json_is_array(root) ? json_array_get(root, 0) : root;
    json_t *result = json_object_get(answer, "result");
    json_t *args = json_object_get(answer, "arguments");
    json_t *list = json_object_get(args, "phones");
    int rc = -1;
    if (!json_is_integer(result)) {
        errtext_fail(err, errlen, "%s: not an answer to lyncboot-phones (no \"result\")", from);
    } else if (json_integer_value(result) != 0) {
        const char *text = json_string_value(json_object_get(answer, "text"));
        errtext_fail(err, errlen, "%s: lyncboot-phones failed: %s%s", from,
                     text ? text : "(no text)",
                     json_integer_value(result) == 2
                         ? " (is libdhcp_lyncboot.so loaded with this command's version?)"
                         : "");
    } else if (!json_is_array(list)) {
        errtext_fail(err, errlen, "%s: the answer has no \"phones\" list", from);
    } else {
        const size_t count = json_array_size(list), before = d->phone_count;
        struct phone_record *more =
            realloc(d->phones, (before + count + 1) * sizeof *d->phones);
        rc = more ? 0 : errtext_fail(err, errlen, "out of memory");
        if (more)
            d->phones = more;
        for (size_t i = 0; rc == 0 && i < count; i++) {
            char why[200];
            if (parse_phone(json_array_get(list, i), &d->phones[before + i], why,
                            sizeof why) != 0)
                rc = errtext_fail(err, errlen, "%s: phones[%zu]: %s", from, i, why);
        }
        const long tracked = (long)json_integer_value(json_object_get(args, "tracked"));
        const long capacity = (long)json_integer_value(json_object_get(args, "capacity"));
        const long dropped = (long)json_integer_value(json_object_get(args, "dropped"));
        if (rc == 0) {
            d->phone_count += count;
            d->tracked += tracked;
            d->capacity += capacity;
            d->dropped += dropped;
            source_line(d, "DHCP: %zu phone(s) from %s (%ld remembered of %ld, %ld event(s) "
                        "dropped)", count, from, tracked, capacity, dropped);
        }
    }
    json_decref(root);
    return rc;
}

static int by_mac(const void *a, const void *b)
{
    return memcmp(((const struct phone_record *)a)->mac, ((const struct phone_record *)b)->mac,
                  6);
}

/* A phone answered by several servers (an HA pair, a fleet): one record, each step at its
 * latest time (the hook keeps the latest), the rest from its latest event. */
static void merge_into(struct phone_record *into, const struct phone_record *r)
{
    const struct phone_record older = *into;
    if (r->last_seen > into->last_seen) {
        *into = *r;
        if (!into->vlan)
            into->vlan = older.vlan;
    } else if (!into->vlan) {
        into->vlan = r->vlan;
    }
    into->first_seen = older.first_seen < r->first_seen ? older.first_seen : r->first_seen;
    for (unsigned step = 0; step < PHONE_STEPS; step++)
        into->step_time[step] = older.step_time[step] > r->step_time[step]
                                    ? older.step_time[step]
                                    : r->step_time[step];
}

int rollout_read_phones(const struct rollout_options *o, struct rollout_data *d, char *err,
                        size_t errlen)
{
    for (size_t i = 0; i < o->kea_count; i++)
        if (read_server(o, i, d, err, errlen) != 0)
            return -1;
    if (o->kea_count < 2 || !d->phone_count)
        return 0;
    qsort(d->phones, d->phone_count, sizeof *d->phones, by_mac);
    size_t kept = 0;
    for (size_t i = 0; i < d->phone_count; i++) {
        if (kept && memcmp(d->phones[kept - 1].mac, d->phones[i].mac, 6) == 0)
            merge_into(&d->phones[kept - 1], &d->phones[i]);
        else
            d->phones[kept++] = d->phones[i];
    }
    if (kept < d->phone_count)
        source_line(d, "DHCP: %zu phone(s) answered by more than one server, merged",
                    d->phone_count - kept);
    d->phone_count = kept;
    return 0;
}

/* Is anything collecting the dnstap socket? unbound writes to it, fstrm_capture (or any
 * Frame Streams collector) listens; a connection made and closed at once tells. */
static bool socket_listens(const char *path, char *why, size_t whylen)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sun.sun_path) {
        snprintf(why, whylen, "path too long");
        return false;
    }
    strcpy(sun.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
    if (!ok)
        snprintf(why, whylen, "%s", strerror(errno));
    if (fd >= 0)
        close(fd);
    return ok;
}

static int grow(void **array, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return 0;
    size_t bigger = *cap ? *cap * 2 : 1024;
    void *p = realloc(*array, bigger * size);
    if (!p)
        return -1;
    *array = p;
    *cap = bigger;
    return 0;
}

/* One capture file's client responses into d. Returns how many frames it read; a file
 * cut inside a frame (still being written) or with broken framing leaves a note, and
 * what came before counts. */
static size_t read_dnstap_file(struct rollout_data *d, const char *path, size_t *cap,
                               int64_t *last_frame)
{
    char err[300];
    size_t len = 0, frames = 0, undecoded = 0;
    char *text = read_file(path, &len, (size_t)4 << 30, err, sizeof err);
    if (!text) {
        rollout_note(d, "dnstap: %s", err);
        return 0;
    }
    char first_bad[340] = "";
    const uint8_t *frame;
    size_t frame_len;
    int rc;
    struct dnstap_reader *reader = dnstap_reader_new((const uint8_t *)text, len);
    if (!reader) {
        free(text);
        rollout_note(d, "dnstap: %s: out of memory", path);
        return 0;
    }
    while ((rc = dnstap_reader_next(reader, &frame, &frame_len, err, sizeof err)) == 1) {
        frames++;
        struct dnstap_message m;
        char why[200];
        if (dnstap_decode(frame, frame_len, &m, why, sizeof why) != 0) {
            if (!undecoded++)
                snprintf(first_bad, sizeof first_bad, "frame %zu: %s", frames, why);
            continue;
        }
        if (m.when > *last_frame)
            *last_frame = m.when;
        struct dns_summary sum;
        const bool wanted = m.type == DNSTAP_CLIENT_RESPONSE && m.client_is_ipv4 && m.dns &&
                            dns_summarize(m.dns, m.dns_len, &sum) == 0;
        uint8_t client[4];
        memcpy(client, m.client, 4);
        const int64_t when = m.when;
        dnstap_message_clear(&m);
        if (!wanted)
            continue;
        if (grow((void **)&d->dns, cap, d->dns_count, sizeof *d->dns) != 0) {
            rollout_note(d, "dnstap: %s: out of memory after %zu frames", path, frames);
            break;
        }
        struct rollout_dns *q = &d->dns[d->dns_count++];
        memcpy(q->client, client, 4);
        q->when = when;
        snprintf(q->name, sizeof q->name, "%s", sum.name);
        q->type = sum.type;
        q->rcode = sum.rcode;
        q->answers = sum.answers;
    }
    dnstap_reader_free(reader);
    free(text);
    if (rc < 0)
        rollout_note(d, "dnstap: %s: %s; the %zu frame(s) before it were read", path, err,
                     frames);
    if (undecoded)
        rollout_note(d, "dnstap: %s: %zu frame(s) not dnstap messages, skipped (the first: %s)",
                     path, undecoded, first_bad);
    return frames;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The capture files of a directory (fstrm_capture -s rotates them: name.fstrm), oldest
 * name first. Returns how many, with *names to free. */
static size_t capture_files(const char *dir, char ***names)
{
    DIR *dp = opendir(dir);
    size_t n = 0, cap = 0;
    *names = NULL;
    if (!dp)
        return 0;
    for (struct dirent *e; (e = readdir(dp));) {
        size_t len = strlen(e->d_name);
        if (len < 7 || strcmp(e->d_name + len - 6, ".fstrm") != 0)
            continue;
        if (grow((void **)names, &cap, n, sizeof **names) != 0)
            break;
        if (asprintf(&(*names)[n], "%s/%s", dir, e->d_name) < 0)
            break;
        n++;
    }
    closedir(dp);
    if (n)
        qsort(*names, n, sizeof **names, by_name);
    return n;
}

void rollout_read_dnstap(const struct rollout_options *o, struct rollout_data *d)
{
    if (!o->dnstap_count)
        return;
    d->asked_dns = true;
    size_t cap = 0, frames = 0, files = 0;
    int64_t last_frame = 0;
    for (size_t i = 0; i < o->dnstap_count; i++) {
        struct stat st;
        if (stat(o->dnstap[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            char **names;
            size_t n = capture_files(o->dnstap[i], &names);
            if (!n)
                rollout_note(d, "dnstap: %s: no capture file (*.fstrm) in it", o->dnstap[i]);
            for (size_t k = 0; k < n; k++) {
                frames += read_dnstap_file(d, names[k], &cap, &last_frame);
                free(names[k]);
            }
            free(names);
            files += n;
        } else {
            frames += read_dnstap_file(d, o->dnstap[i], &cap, &last_frame);
            files++;
        }
    }
    d->have_dns = true;
    char until[40] = "none";
    if (last_frame)
        rollout_time_text(last_frame, until, sizeof until);
    source_line(d, "DNS: %zu client response(s) in %zu frame(s) of %zu dnstap file(s) (the "
                "last at %s)", d->dns_count, frames, files, until);
    char why[200];
    if (o->dnstap_socket && !socket_listens(o->dnstap_socket, why, sizeof why)) {
        d->dns_until = last_frame ? last_frame : 1;
        rollout_note(d, "dnstap socket %s: %s: nothing collects unbound's dnstap now, so DNS "
                     "look-ups after the capture's last frame (%s) are not known",
                     o->dnstap_socket, why, until);
    }
}

void rollout_read_chrony(const struct rollout_options *o, struct rollout_data *d, int64_t now)
{
    if (!o->chronyc && !o->chrony_socket && !o->chrony_clients)
        return;
    d->asked_ntp = true;
    char err[300];
    size_t len = 0, cap = 0, lines = 0, bad = 0;
    char *text;
    const char *from;
    if (o->chrony_clients) {
        from = o->chrony_clients;
        if (!(text = read_file(o->chrony_clients, &len, (size_t)1 << 30, err, sizeof err))) {
            rollout_note(d, "NTP: %s: time steps not known", err);
            return;
        }
    } else {
        from = "chronyc clients";
        const size_t size = (size_t)64 << 20;
        if (!(text = malloc(size))) {
            rollout_note(d, "NTP: out of memory");
            return;
        }
        int rc = chronyc_run("chronyc", o->chrony_socket, "clients", o->timeout_ms, text, size);
        if (rc != 0) {
            text[strcspn(text, "\n")] = '\0';
            rollout_note(d, "NTP: chronyc clients%s%s %s: %s; time steps not known",
                         o->chrony_socket ? " -h " : "",
                         o->chrony_socket ? o->chrony_socket : "",
                         rc == -2 ? "did not answer in time"
                         : rc == 127 ? "could not run (is chrony installed?)"
                                     : "failed",
                         text[0] ? text : "no output");
            free(text);
            return;
        }
    }
    char first_bad[340] = "";
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lines++;
        struct chrony_client c;
        uint8_t addr[4];
        if (chrony_parse_client(line, &c, err, sizeof err) != 0) {
            if (!bad++)
                snprintf(first_bad, sizeof first_bad, "line %zu: %s", lines, err);
            continue;
        }
        if (inet_pton(AF_INET, c.address, addr) != 1 || c.ntp_packets == 0 ||
            c.ntp_last_ago < 0)
            continue;
        if (grow((void **)&d->ntp, &cap, d->ntp_count, sizeof *d->ntp) != 0)
            break;
        struct rollout_ntp *n = &d->ntp[d->ntp_count++];
        memcpy(n->client, addr, 4);
        n->last = now - c.ntp_last_ago;
        n->packets = c.ntp_packets;
    }
    free(text);
    if (bad)
        rollout_note(d, "NTP: %s: %zu line(s) not understood, skipped (the first: %s)", from,
                     bad, first_bad);
    d->have_ntp = true;
    source_line(d, "NTP: %zu IPv4 client(s) served, from %s", d->ntp_count, from);
}

void rollout_read_access_log(const struct rollout_options *o, struct rollout_data *d)
{
    if (!o->access_log)
        return;
    d->asked_http = true;
    FILE *f = fopen(o->access_log, "r");
    if (!f) {
        rollout_note(d, "web: %s: %s: CA chain downloads not known", o->access_log,
                     strerror(errno));
        return;
    }
    char *line = NULL, err[300], first_bad[400] = "";
    size_t linecap = 0, lines = 0, bad = 0, cap = 0;
    while (getline(&line, &linecap, f) > 0) {
        lines++;
        line[strcspn(line, "\r\n")] = '\0';
        struct access_entry e;
        if (access_log_parse(line, &e, err, sizeof err) != 0) {
            if (!bad++)
                snprintf(first_bad, sizeof first_bad, "line %zu: %s", lines, err);
            continue;
        }
        if (strcmp(e.path, o->chain_path) != 0)
            continue;
        if (grow((void **)&d->http, &cap, d->http_count, sizeof *d->http) != 0)
            break;
        struct rollout_http *h = &d->http[d->http_count++];
        memcpy(h->client, e.client, 4);
        h->when = e.when;
        snprintf(h->path, sizeof h->path, "%s", e.path);
        h->status = e.status;
    }
    free(line);
    fclose(f);
    if (bad)
        rollout_note(d, "web: %s: %zu line(s) not in the common or combined format, skipped "
                     "(the first: %s)", o->access_log, bad, first_bad);
    d->have_http = true;
    source_line(d, "web: %zu request(s) for %s in %s (%zu line(s))", d->http_count,
                o->chain_path, o->access_log, lines);
}

void rollout_data_free(struct rollout_data *d)
{
    free(d->phones);
    free(d->dns);
    free(d->ntp);
    free(d->http);
}
