/* SPDX-License-Identifier: MPL-2.0 */
/* A MAC address (EUI-48) as text, "00:04:f2:0a:0b:0c", the form Kea, lldpd and the
 * reports print, and back. */
#ifndef LYNCBOOT_MAC_TEXT_H
#define LYNCBOOT_MAC_TEXT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { MAC_TEXT_LEN = 18 }; /* with its NUL */

/* Returns out. */
const char *mac_text(const uint8_t mac[6], char out[MAC_TEXT_LEN]);

/* Six two-digit hex bytes separated by colons, nothing after. Returns 0, or -1. */
int mac_parse(const char *text, uint8_t mac[6]);

#ifdef __cplusplus
}
#endif

#endif
