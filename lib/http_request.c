/* SPDX-License-Identifier: MPL-2.0 */
#include "http_request.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "errtext.h"
#include "fqdn.h"

int http_get_build(const char *host, const char *path, const char *user_agent, char *out,
                   size_t cap, char *err, size_t errlen)
{
    char why[200];
    if (fqdn_validate(host, why, sizeof why) != 0)
        return errtext_fail(err, errlen, "host '%s': %s", host, why);
    if (path[0] != '/')
        return errtext_fail(err, errlen, "path '%s' does not begin with '/'", path);
    for (const char *p = path; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return errtext_fail(err, errlen, "path holds a blank or a control character");
    for (const char *p = user_agent; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            return errtext_fail(err, errlen, "User-Agent holds a control character");
    int n = snprintf(out, cap,
                     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\n"
                     "Connection: close\r\n\r\n",
                     path, host, user_agent);
    if (n < 0 || (size_t)n >= cap)
        return errtext_fail(err, errlen, "request longer than its buffer (%zu bytes)", cap);
    return n;
}

int http_status_parse(const char *in, size_t len, struct http_status *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len < 12 || (memcmp(in, "HTTP/1.1 ", 9) != 0 && memcmp(in, "HTTP/1.0 ", 9) != 0) ||
        !isdigit((unsigned char)in[9]) || !isdigit((unsigned char)in[10]) ||
        !isdigit((unsigned char)in[11]) || in[9] == '0' ||
        (len > 12 && in[12] != ' ' && in[12] != '\r' && in[12] != '\n')) {
        char start[64];
        errtext_quote(in, len < 24 ? len : 24, start, sizeof start);
        return errtext_fail(err, errlen, "not an HTTP answer: it begins \"%s\"", start);
    }
    out->code = (in[9] - '0') * 100 + (in[10] - '0') * 10 + (in[11] - '0');
    const char *reason = in + (len > 12 && in[12] == ' ' ? 13 : 12);
    const char *eol = memchr(reason, '\n', (size_t)(in + len - reason));
    size_t reason_len = (size_t)((eol ? eol : in + len) - reason);
    if (reason_len > 0 && reason[reason_len - 1] == '\r')
        reason_len--;
    errtext_quote(reason, reason_len, out->reason, sizeof out->reason);
    return 0;
}
