/* SPDX-License-Identifier: MPL-2.0 */
#define _DEFAULT_SOURCE /* timegm */
#include "access_log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errtext.h"
#include "fqdn.h"

/* The next blank-separated field of *p (not past a NUL), copied into out. */
static int field(const char **p, char *out, size_t cap)
{
    while (**p == ' ')
        (*p)++;
    size_t n = strcspn(*p, " ");
    if (n == 0 || n >= cap)
        return -1;
    memcpy(out, *p, n);
    out[n] = '\0';
    *p += n;
    return 0;
}

/* "30/Nov/2026:14:23:47 +0000" -> seconds since the epoch. */
static int parse_time(const char *text, int64_t *out)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char mon[4];
    int day, year, hour, min, sec, zone;
    char sign;
    if (sscanf(text, "%2d/%3s/%4d:%2d:%2d:%2d %c%4d", &day, mon, &year, &hour, &min, &sec,
               &sign, &zone) != 8 || (sign != '+' && sign != '-'))
        return -1;
    const char *at = strstr(months, mon);
    if (!at || (at - months) % 3 != 0 || strlen(mon) != 3 || day < 1 || day > 31 ||
        hour > 23 || min > 59 || sec > 60 || year < 1970 || zone % 100 > 59 || zone > 1400)
        return -1;
    struct tm tm = {.tm_year = year - 1900, .tm_mon = (int)((at - months) / 3),
                    .tm_mday = day, .tm_hour = hour, .tm_min = min, .tm_sec = sec};
    int64_t offset = (int64_t)(zone / 100 * 3600 + zone % 100 * 60);
    *out = (int64_t)timegm(&tm) - (sign == '+' ? offset : -offset);
    return 0;
}

int access_log_parse(const char *line, struct access_entry *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = line;
    char client[64], skip[256];
    if (field(&p, client, sizeof client) != 0 || ipv4_parse(client, out->client) != 0)
        return errtext_fail(err, errlen, "access log: the client is no IPv4 address");
    if (field(&p, skip, sizeof skip) != 0 || field(&p, skip, sizeof skip) != 0)
        return errtext_fail(err, errlen, "access log: no ident and user fields");
    while (*p == ' ')
        p++;
    const char *close = *p == '[' ? strchr(p, ']') : NULL;
    char when[64];
    if (!close || (size_t)(close - p - 1) >= sizeof when)
        return errtext_fail(err, errlen, "access log: no [time] field");
    memcpy(when, p + 1, (size_t)(close - p - 1));
    when[close - p - 1] = '\0';
    if (parse_time(when, &out->when) != 0) {
        char quoted[256];
        return errtext_fail(err, errlen, "access log: bad time '%s'",
                            errtext_quote(when, strlen(when), quoted, sizeof quoted));
    }
    p = close + 1;
    while (*p == ' ')
        p++;
    const char *request_end = *p == '"' ? strchr(p + 1, '"') : NULL;
    if (!request_end)
        return errtext_fail(err, errlen, "access log: no \"request\" field");
    char request[1024];
    size_t request_len = (size_t)(request_end - p - 1);
    if (request_len >= sizeof request)
        request_len = sizeof request - 1;
    memcpy(request, p + 1, request_len);
    request[request_len] = '\0';
    const char *r = request;
    char target[1024];
    if (field(&r, out->method, sizeof out->method) != 0 || field(&r, target, sizeof target) != 0)
        return errtext_fail(err, errlen, "access log: the request has no method and path");
    target[strcspn(target, "?")] = '\0';
    errtext_quote(target, strlen(target), out->path, sizeof out->path);
    p = request_end + 1;
    char status[16];
    char *end;
    if (field(&p, status, sizeof status) != 0)
        return errtext_fail(err, errlen, "access log: no status");
    long code = strtol(status, &end, 10);
    if (*end || code < 100 || code > 599) {
        char quoted[64];
        return errtext_fail(err, errlen, "access log: bad status '%s'",
                            errtext_quote(status, strlen(status), quoted, sizeof quoted));
    }
    out->status = (int)code;
    return 0;
}
