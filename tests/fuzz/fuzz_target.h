/* SPDX-License-Identifier: MPL-2.0 */
/* What every fuzz target shares: libFuzzer's entry point, and a check that stops the
 * run (abort: a crash to libFuzzer, a "not ok" to the replay) when a property of the
 * code under test does not hold. */
#ifndef LYNCBOOT_FUZZ_TARGET_H
#define LYNCBOOT_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(expr)                                                               \
    do {                                                                                \
        if (!(expr)) {                                                                  \
            fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #expr); \
            abort();                                                                    \
        }                                                                               \
    } while (0)

/* The input as a NUL-terminated string (a parser of text takes one), in a buffer the
 * caller frees; NUL bytes inside cut it short, as in a C program reading a file. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

/* True when every byte of text is printable ASCII: what may reach a terminal or log. */
static inline int fuzz_printable(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p >= 0x7f)
            return 0;
    return 1;
}

#endif
