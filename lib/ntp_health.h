/* SPDX-License-Identifier: MPL-2.0 */
/* The NTP health file: written by lyncboot-ntp-check (one writer, atomically), read by
 * the DNS side to advertise only healthy time sources. Text, one target a line:
 *
 *   # lyncboot-ntp-health 1
 *   <target> <port> healthy|unhealthy <unix time checked> <reason to end of line>
 */
#ifndef LYNCBOOT_NTP_HEALTH_H
#define LYNCBOOT_NTP_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NTP_HEALTH_MAX_TARGETS 256

struct ntp_health_entry {
    char target[256];
    unsigned port;
    bool healthy;
    int64_t checked; /* Unix time */
    char reason[200];
};

/* Writes the file atomically (a new temporary file in the same directory, mode 0644,
 * then rename). Returns 0, or -1 with a reason. */
int ntp_health_write(const char *path, const struct ntp_health_entry *entries, size_t count,
                     char *err, size_t errlen);

/* Parses len bytes of a health file's text, read from name. Returns the count of
 * entries (at most max), or -1 with name, line and reason. */
int ntp_health_parse(const char *name, const char *text, size_t len,
                     struct ntp_health_entry *entries, size_t max, char *err, size_t errlen);

/* Reads up to max entries. Returns the count, or -1 with file, line and reason. */
int ntp_health_read(const char *path, struct ntp_health_entry *entries, size_t max,
                    char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
