/* SPDX-License-Identifier: MPL-2.0 */
#include "chrony_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errtext.h"

#define MAX_FIELDS 16

/* Splits a copy of line at commas; returns the field count, or -1 if too long. */
static int split_csv(const char *line, char *copy, size_t cap, char *fields[MAX_FIELDS])
{
    size_t len = strcspn(line, "\r\n");
    if (len >= cap)
        return -1;
    memcpy(copy, line, len);
    copy[len] = '\0';
    int n = 0;
    char *p = copy;
    for (;;) {
        if (n == MAX_FIELDS)
            return -1;
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static int number(const char *text, double *out)
{
    char *end;
    if (*text == '\0')
        return -1;
    *out = strtod(text, &end);
    return *end == '\0' ? 0 : -1;
}

static int integer(const char *text, int base, long *out)
{
    char *end;
    if (*text == '\0')
        return -1;
    *out = strtol(text, &end, base);
    return *end == '\0' ? 0 : -1;
}

int chrony_parse_tracking(const char *line, struct chrony_tracking *t, char *err,
                          size_t errlen)
{
    static const char *const names[] = {
        "reference ID", "reference name", "stratum", "reference time", "system time",
        "last offset", "RMS offset", "frequency", "residual frequency", "skew",
        "root delay", "root dispersion", "update interval", "leap status"};
    char copy[512], *f[MAX_FIELDS];
    memset(t, 0, sizeof *t);
    int n = split_csv(line, copy, sizeof copy, f);
    if (n != 14)
        return errtext_fail(err, errlen, "tracking: %d fields, expected 14", n < 0 ? 0 : n);
    long stratum;
    double *doubles[] = {&t->ref_time, &t->system_offset, &t->last_offset, &t->rms_offset,
                         &t->frequency_ppm, &t->residual_ppm, &t->skew_ppm, &t->root_delay,
                         &t->root_dispersion, &t->update_interval};
    if (strlen(f[0]) > 8)
        return errtext_fail(err, errlen, "tracking: bad %s '%s'", names[0], f[0]);
    if (integer(f[2], 10, &stratum) != 0 || stratum < 0 || stratum > 16)
        return errtext_fail(err, errlen, "tracking: bad %s '%s'", names[2], f[2]);
    for (int i = 0; i < 10; i++)
        if (number(f[3 + i], doubles[i]) != 0)
            return errtext_fail(err, errlen, "tracking: bad %s '%s'", names[3 + i], f[3 + i]);
    snprintf(t->refid, sizeof t->refid, "%s", f[0]);
    snprintf(t->ref_name, sizeof t->ref_name, "%s", f[1]);
    snprintf(t->leap_status, sizeof t->leap_status, "%s", f[13]);
    t->stratum = (int)stratum;
    t->synchronised = strcmp(f[13], "Not synchronised") != 0 && t->stratum > 0;
    return 0;
}

int chrony_parse_source(const char *line, struct chrony_source *s, char *err, size_t errlen)
{
    char copy[512], *f[MAX_FIELDS];
    memset(s, 0, sizeof *s);
    int n = split_csv(line, copy, sizeof copy, f);
    if (n != 10)
        return errtext_fail(err, errlen, "sources: %d fields, expected 10", n < 0 ? 0 : n);
    if (strlen(f[0]) != 1 || !strchr("^=#", f[0][0]))
        return errtext_fail(err, errlen, "sources: bad mode '%s'", f[0]);
    if (strlen(f[1]) != 1 || !strchr("*+-?x~", f[1][0]))
        return errtext_fail(err, errlen, "sources: bad state '%s'", f[1]);
    long stratum, poll, reach;
    if (integer(f[3], 10, &stratum) != 0 || stratum < 0 || stratum > 16)
        return errtext_fail(err, errlen, "sources: bad stratum '%s'", f[3]);
    if (integer(f[4], 10, &poll) != 0)
        return errtext_fail(err, errlen, "sources: bad poll '%s'", f[4]);
    if (integer(f[5], 8, &reach) != 0 || reach < 0 || reach > 0377)
        return errtext_fail(err, errlen, "sources: bad reach '%s'", f[5]);
    if (number(f[7], &s->last_offset) || number(f[8], &s->measured_offset) ||
        number(f[9], &s->error))
        return errtext_fail(err, errlen, "sources: bad offset or error fields");
    s->mode = f[0][0];
    s->state = f[1][0];
    snprintf(s->name, sizeof s->name, "%s", f[2]);
    s->stratum = (int)stratum;
    s->poll = (int)poll;
    s->reach = (unsigned)reach;
    return 0;
}

int chrony_parse_sourcestats(const char *line, struct chrony_sourcestats *s, char *err,
                             size_t errlen)
{
    char copy[512], *f[MAX_FIELDS];
    memset(s, 0, sizeof *s);
    int n = split_csv(line, copy, sizeof copy, f);
    if (n != 8)
        return errtext_fail(err, errlen, "sourcestats: %d fields, expected 8", n < 0 ? 0 : n);
    long samples, runs;
    if (integer(f[1], 10, &samples) != 0 || samples < 0)
        return errtext_fail(err, errlen, "sourcestats: bad sample count '%s'", f[1]);
    if (integer(f[2], 10, &runs) != 0 || runs < 0)
        return errtext_fail(err, errlen, "sourcestats: bad run count '%s'", f[2]);
    double *doubles[] = {&s->span, &s->frequency_ppm, &s->skew_ppm, &s->offset, &s->std_dev};
    for (int i = 0; i < 5; i++)
        if (number(f[3 + i], doubles[i]) != 0)
            return errtext_fail(err, errlen, "sourcestats: bad field %d '%s'", 4 + i, f[3 + i]);
    snprintf(s->name, sizeof s->name, "%s", f[0]);
    s->samples = (int)samples;
    s->runs = (int)runs;
    return 0;
}

int chrony_parse_client(const char *line, struct chrony_client *c, char *err, size_t errlen)
{
    char copy[512], *f[MAX_FIELDS];
    memset(c, 0, sizeof *c);
    int n = split_csv(line, copy, sizeof copy, f);
    if (n != 10)
        return errtext_fail(err, errlen, "clients: %d fields, expected 10", n < 0 ? 0 : n);
    long packets, dropped, last;
    if (f[0][0] == '\0' || strlen(f[0]) >= sizeof c->address)
        return errtext_fail(err, errlen, "clients: bad address field");
    if (integer(f[1], 10, &packets) != 0 || packets < 0)
        return errtext_fail(err, errlen, "clients: bad NTP packet count '%s'", f[1]);
    if (integer(f[2], 10, &dropped) != 0 || dropped < 0)
        return errtext_fail(err, errlen, "clients: bad NTP drop count '%s'", f[2]);
    /* The age of the last packet: 4294967295 (and "-" in the table form) is "never". */
    if (strcmp(f[5], "-") == 0 || strcmp(f[5], "4294967295") == 0)
        last = -1;
    else if (integer(f[5], 10, &last) != 0 || last < 0)
        return errtext_fail(err, errlen, "clients: bad last-packet age '%s'", f[5]);
    snprintf(c->address, sizeof c->address, "%s", f[0]);
    c->ntp_packets = (unsigned long)packets;
    c->ntp_dropped = (unsigned long)dropped;
    c->ntp_last_ago = packets == 0 ? -1 : last;
    return 0;
}
