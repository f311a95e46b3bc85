/* SPDX-License-Identifier: MPL-2.0 */
#include "mp_range.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errtext.h"

static int parse_number(const char *text, size_t len, double *out)
{
    char buf[64];
    char *end;
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    *out = strtod(buf, &end);
    return *end == '\0' ? 0 : -1;
}

int mp_range_parse(const char *text, struct mp_range *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    const char *p = text;
    if (*p == '@') {
        r->alert_inside = true;
        p++;
    }
    const char *colon = strchr(p, ':');
    if (colon == NULL) {
        r->start = 0;
        if (parse_number(p, strlen(p), &r->end) != 0)
            return errtext_fail(err, errlen, "'%s' is not a range (N, N:, ~:N, N:M, @N:M)", text);
    } else {
        if (colon - p == 1 && *p == '~')
            r->start_infinite = true;
        else if (colon == p)
            r->start = 0;
        else if (parse_number(p, (size_t)(colon - p), &r->start) != 0)
            return errtext_fail(err, errlen, "'%s': bad range start", text);
        if (colon[1] == '\0')
            r->end_infinite = true;
        else if (parse_number(colon + 1, strlen(colon + 1), &r->end) != 0)
            return errtext_fail(err, errlen, "'%s': bad range end", text);
    }
    if (!r->start_infinite && !r->end_infinite && r->start > r->end)
        return errtext_fail(err, errlen, "'%s': start is above end", text);
    r->set = true;
    return 0;
}

bool mp_range_alerts(const struct mp_range *r, double value)
{
    if (!r->set)
        return false;
    bool inside = (r->start_infinite || value >= r->start) && (r->end_infinite || value <= r->end);
    return r->alert_inside ? inside : !inside;
}

/* The shortest text that reads back as exactly v: perfdata shows "0.1", not
 * "0.10000000000000001", and a threshold never moves by being printed. */
static void number_text(double v, char *out, size_t cap)
{
    for (int precision = 6; precision <= 17; precision++) {
        snprintf(out, cap, "%.*g", precision, v);
        if (strtod(out, NULL) == v || v != v)
            return;
    }
}

void mp_range_text(const struct mp_range *r, char *out, size_t cap)
{
    if (!r->set) {
        snprintf(out, cap, "%s", "");
        return;
    }
    char start[32] = "", end[32] = "";
    if (r->start_infinite)
        snprintf(start, sizeof start, "~");
    else
        number_text(r->start, start, sizeof start);
    if (!r->end_infinite)
        number_text(r->end, end, sizeof end);
    if (!r->alert_inside && !r->start_infinite && r->start == 0 && !r->end_infinite)
        snprintf(out, cap, "%s", end);
    else
        snprintf(out, cap, "%s%s:%s", r->alert_inside ? "@" : "", start, end);
}
