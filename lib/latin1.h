/* SPDX-License-Identifier: MPL-2.0 */
/* Bytes as UTF-8 text: for a JSON writer (jansson takes UTF-8 only) given text that is
 * not, such as a server's reply quoted in a message. Each byte is taken as the Latin-1
 * character of the same value, which is how lyncboot's JSON always read such bytes. */
#ifndef LYNCBOOT_LATIN1_H
#define LYNCBOOT_LATIN1_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes in (NUL-terminated) to out as UTF-8, cut at a character boundary where out
 * (cap >= 1 bytes) is full. Returns out. */
const char *latin1_to_utf8(const char *in, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
