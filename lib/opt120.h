/* SPDX-License-Identifier: MPL-2.0 */
/* DHCP option 120, SIP servers (RFC 3361): an encoding byte, then either
 * uncompressed DNS names (enc 0) or IPv4 addresses (enc 1). */
#ifndef LYNCBOOT_OPT120_H
#define LYNCBOOT_OPT120_H

#include <stddef.h>
#include <stdint.h>

#include "opt43.h" /* struct opt_bytes */

#ifdef __cplusplus
extern "C" {
#endif

#define OPT120_ENC_NAMES 0
#define OPT120_ENC_ADDRESSES 1
#define OPT120_MAX_ENTRIES 32

/* Encodes names as enc 0. Returns 0, or -1 with a reason in err. */
int opt120_encode_names(const char *const *names, size_t count, struct opt_bytes *out,
                        char *err, size_t errlen);

/* Encodes dotted-quad IPv4 addresses as enc 1. Returns 0, or -1 with a reason. */
int opt120_encode_addresses(const char *const *addresses, size_t count,
                            struct opt_bytes *out, char *err, size_t errlen);

struct opt120_decoded {
    int encoding; /* 0 or 1 */
    size_t count;
    char entries[OPT120_MAX_ENTRIES][256]; /* names (no trailing dot) or dotted quads */
};

/* Decodes option 120. Returns 0, or -1 with a reason in err for an unknown encoding,
 * an empty list, a truncated or compressed name, or an address list whose length is
 * not a multiple of 4. */
int opt120_decode(const uint8_t *in, size_t len, struct opt120_decoded *out, char *err,
                  size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
