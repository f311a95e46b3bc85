/* SPDX-License-Identifier: MPL-2.0 */
/* A web server's access log in the common or combined format (nginx's and Apache's
 * default): who fetched what, when, with what result. A phone's download of the CA
 * chain (step 6 of its walk) shows there. */
#ifndef LYNCBOOT_ACCESS_LOG_H
#define LYNCBOOT_ACCESS_LOG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct access_entry {
    uint8_t client[4];   /* an IPv4 client (the phones' addresses) */
    int64_t when;        /* seconds since the epoch, from [dd/Mon/yyyy:hh:mm:ss +zzzz] */
    char method[16];
    char path[512];      /* quoted (errtext_quote), without the query string */
    int status;          /* 100-599 */
};

/* Parses one line: `ADDR IDENT USER [TIME] "METHOD PATH PROTOCOL" STATUS BYTES ...`.
 * Returns 0, or -1 with a reason naming the field (a client that is no IPv4 address is
 * one: phones have IPv4 addresses). */
int access_log_parse(const char *line, struct access_entry *out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
