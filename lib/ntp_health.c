/* SPDX-License-Identifier: MPL-2.0 */
#define _POSIX_C_SOURCE 200809L
#include "ntp_health.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errtext.h"

#define HEADER "# lyncboot-ntp-health 1"

int ntp_health_write(const char *path, const struct ntp_health_entry *e, size_t count,
                     char *err, size_t errlen)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path) >= (int)sizeof tmp)
        return errtext_fail(err, errlen, "%s: path too long", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return errtext_fail(err, errlen, "%s: %s", tmp, strerror(errno));
    /* mkstemp makes it 0600; the DNS side (unbound's module as user unbound, the
     * publisher) reads it as another user. Writable by its writer alone. */
    FILE *f = fchmod(fd, 0644) == 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        close(fd);
        unlink(tmp);
        return errtext_fail(err, errlen, "%s: %s", tmp, strerror(errno));
    }
    fprintf(f, "%s\n", HEADER);
    for (size_t i = 0; i < count; i++) {
        char reason[sizeof e[i].reason];
        snprintf(reason, sizeof reason, "%s", e[i].reason);
        for (char *p = reason; *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' '; /* one entry, one line */
        fprintf(f, "%s %u %s %" PRId64 " %s\n", e[i].target, e[i].port,
                e[i].healthy ? "healthy" : "unhealthy", e[i].checked, reason);
    }
    int failed = fflush(f) != 0 || fsync(fileno(f)) != 0;
    failed |= fclose(f) != 0;
    if (failed || rename(tmp, path) != 0) {
        int saved = errno;
        unlink(tmp);
        return errtext_fail(err, errlen, "%s: %s", path, strerror(saved));
    }
    return 0;
}

int ntp_health_parse(const char *name, const char *text, size_t len,
                     struct ntp_health_entry *entries, size_t max, char *err, size_t errlen)
{
    size_t count = 0, pos = 0;
    int lineno = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        char line[1024];
        size_t n = end - pos;
        lineno++;
        if (n >= sizeof line || memchr(text + pos, '\0', n) != NULL)
            return errtext_fail(err, errlen, "%s:%d: line too long or not text", name, lineno);
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos = end + 1;
        if (lineno == 1) {
            if (strncmp(line, HEADER, strlen(HEADER)) != 0)
                return errtext_fail(err, errlen, "%s:1: not a lyncboot NTP health file", name);
            continue;
        }
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (count == max)
            return errtext_fail(err, errlen, "%s:%d: more than %zu targets", name, lineno, max);
        struct ntp_health_entry *e = &entries[count];
        char state[16];
        int consumed = 0;
        long long checked;
        memset(e, 0, sizeof *e);
        if (sscanf(line, "%255s %u %15s %lld %n", e->target, &e->port, state, &checked,
                   &consumed) != 4 ||
            e->port < 1 || e->port > 65535 ||
            (strcmp(state, "healthy") != 0 && strcmp(state, "unhealthy") != 0))
            return errtext_fail(err, errlen, "%s:%d: expected '<target> <port> "
                                "healthy|unhealthy <time> <reason>'", name, lineno);
        e->healthy = strcmp(state, "healthy") == 0;
        e->checked = checked;
        snprintf(e->reason, sizeof e->reason, "%s", line + consumed);
        count++;
    }
    if (lineno == 0)
        return errtext_fail(err, errlen, "%s: empty, not a lyncboot NTP health file", name);
    return (int)count;
}

int ntp_health_read(const char *path, struct ntp_health_entry *entries, size_t max,
                    char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errtext_fail(err, errlen, "%s: %s", path, strerror(errno));
    /* A full file of the most targets is well under this; more is not a health file. */
    size_t cap = max * 1100 + 100;
    char *text = malloc(cap + 1);
    size_t len = text ? fread(text, 1, cap + 1, f) : 0;
    int failed = text == NULL || ferror(f);
    fclose(f);
    int rc;
    if (failed)
        rc = errtext_fail(err, errlen, "%s: cannot read", path);
    else if (len > cap)
        rc = errtext_fail(err, errlen, "%s: larger than %zu bytes", path, cap);
    else
        rc = ntp_health_parse(path, text, len, entries, max, err, errlen);
    free(text);
    return rc;
}
