/* SPDX-License-Identifier: MPL-2.0 */
/* An HTTP/1.1 request as a phone sends it to the web services (the Device Update
 * handler, step 4), and the status line of the answer. */
#ifndef LYNCBOOT_HTTP_REQUEST_H
#define LYNCBOOT_HTTP_REQUEST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "GET PATH HTTP/1.1" for host, closing after the answer. Returns the request's length,
 * or -1 with a reason when host is no host name, path no absolute path of printable
 * characters, or out too small. */
int http_get_build(const char *host, const char *path, const char *user_agent, char *out,
                   size_t cap, char *err, size_t errlen);

struct http_status {
    int code;          /* 100-599 */
    char reason[128];  /* quoted */
};

/* Parses the status line at the start of an answer ("HTTP/1.x NNN reason"). Returns 0,
 * or -1 with a reason when it is not HTTP. */
int http_status_parse(const char *in, size_t len, struct http_status *out, char *err,
                      size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
