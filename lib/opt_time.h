/* SPDX-License-Identifier: MPL-2.0 */
/* Time options a phone may use: 42 NTP servers and 2 time offset (RFC 2132 s8.3, s3.4). */
#ifndef LYNCBOOT_OPT_TIME_H
#define LYNCBOOT_OPT_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "opt43.h" /* struct opt_bytes */

#ifdef __cplusplus
extern "C" {
#endif

#define OPT42_MAX_SERVERS 63 /* 63 * 4 bytes fit in 255 */

/* Encodes option 42 from dotted-quad addresses. Returns 0, or -1 with a reason. */
int opt42_encode(const char *const *addresses, size_t count, struct opt_bytes *out,
                 char *err, size_t errlen);

/* Decodes option 42 into up to max addresses (network order). Returns the count,
 * or -1 if the length is 0 or not a multiple of 4. */
int opt42_decode(const uint8_t *in, size_t len, uint8_t (*addresses)[4], size_t max);

/* Encodes option 2: a signed 32-bit offset from UTC in seconds, big-endian. */
int opt2_encode(long long offset_seconds, struct opt_bytes *out, char *err, size_t errlen);

/* Decodes option 2. Returns 0, or -1 if the length is not 4. */
int opt2_decode(const uint8_t *in, size_t len, int32_t *offset_seconds);

#ifdef __cplusplus
}
#endif

#endif
