/* SPDX-License-Identifier: MPL-2.0 */
/* How lib/ reports an error: a sentence into the caller's buffer (which may be NULL),
 * and -1 as the return value. */
#ifndef LYNCBOOT_ERRTEXT_H
#define LYNCBOOT_ERRTEXT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int errtext_fail(char *err, size_t errlen, const char *fmt, ...);

/* Text from the network (len bytes, NULs included) as a message may quote it: printable
 * ASCII as is, anything else and '\\' as \\xNN, so a hostile peer cannot drive a
 * terminal or forge log lines. Cut where out (cap bytes, cap >= 1) is full; returns
 * out. */
const char *errtext_quote(const char *in, size_t len, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
