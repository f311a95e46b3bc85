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

int ntp_health_read(const char *path, struct ntp_health_entry *entries, size_t max,
                    char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errtext_fail(err, errlen, "%s: %s", path, strerror(errno));
    char line[1024];
    size_t count = 0;
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (lineno == 1) {
            if (strncmp(line, HEADER, strlen(HEADER)) != 0) {
                rc = errtext_fail(err, errlen, "%s:1: not a lyncboot NTP health file", path);
                break;
            }
            continue;
        }
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (count == max) {
            rc = errtext_fail(err, errlen, "%s:%d: more than %zu targets", path, lineno, max);
            break;
        }
        struct ntp_health_entry *e = &entries[count];
        char state[16];
        int consumed = 0;
        long long checked;
        memset(e, 0, sizeof *e);
        if (sscanf(line, "%255s %u %15s %lld %n", e->target, &e->port, state, &checked,
                   &consumed) != 4 ||
            e->port < 1 || e->port > 65535 ||
            (strcmp(state, "healthy") != 0 && strcmp(state, "unhealthy") != 0)) {
            rc = errtext_fail(err, errlen, "%s:%d: expected '<target> <port> healthy|unhealthy "
                                           "<time> <reason>'", path, lineno);
            break;
        }
        e->healthy = strcmp(state, "healthy") == 0;
        e->checked = checked;
        snprintf(e->reason, sizeof e->reason, "%.*s", (int)strcspn(line + consumed, "\n"),
                 line + consumed);
        count++;
    }
    fclose(f);
    return rc < 0 ? -1 : (int)count;
}
