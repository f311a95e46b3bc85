/* SPDX-License-Identifier: MPL-2.0 */
/* A minimal TAP test harness: one process per test file, one "ok N" line a case. */
#ifndef LYNCBOOT_CHECK_H
#define LYNCBOOT_CHECK_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed_in_case;
static int check_case_number;
static int check_any_failed;

#define CHECK(expr)                                                                     \
    do {                                                                                \
        if (!(expr)) {                                                                  \
            printf("# %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #expr);           \
            check_failed_in_case = 1;                                                   \
        }                                                                               \
    } while (0)

#define CHECK_INT_EQ(a, b)                                                              \
    do {                                                                                \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                 \
        if (check_a_ != check_b_) {                                                     \
            printf("# %s:%d: %s == %s: %lld != %lld\n", __FILE__, __LINE__, #a, #b,     \
                   check_a_, check_b_);                                                 \
            check_failed_in_case = 1;                                                   \
        }                                                                               \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                              \
    do {                                                                                \
        const char *check_a_ = (a), *check_b_ = (b);                                    \
        if (strcmp(check_a_, check_b_) != 0) {                                          \
            printf("# %s:%d: %s == %s:\n#   \"%s\"\n#   \"%s\"\n", __FILE__, __LINE__,  \
                   #a, #b, check_a_, check_b_);                                         \
            check_failed_in_case = 1;                                                   \
        }                                                                               \
    } while (0)

/* Fails unless haystack contains needle (error texts are checked by their key part). */
#define CHECK_CONTAINS(haystack, needle)                                                \
    do {                                                                                \
        const char *check_h_ = (haystack), *check_n_ = (needle);                        \
        if (strstr(check_h_, check_n_) == NULL) {                                       \
            printf("# %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,     \
                   check_h_, check_n_);                                                 \
            check_failed_in_case = 1;                                                   \
        }                                                                               \
    } while (0)

/* Compares bytes against an expected hex string (either case), printing both in hex. */
static inline int check_hex_eq(const unsigned char *data, size_t len, const char *hex,
                               const char *file, int line)
{
    size_t hex_len = strlen(hex);
    int same = hex_len == 2 * len;
    for (size_t i = 0; same && i < len; i++) {
        unsigned value;
        char pair[3] = {hex[2 * i], hex[2 * i + 1], 0};
        if (sscanf(pair, "%2x", &value) != 1 || value != data[i])
            same = 0;
    }
    if (!same) {
        printf("# %s:%d: bytes differ\n#   got      ", file, line);
        for (size_t i = 0; i < len; i++)
            printf("%02X", data[i]);
        printf("\n#   expected ");
        for (size_t i = 0; i < hex_len; i++)
            putchar(toupper((unsigned char)hex[i]));
        printf("\n");
    }
    return same;
}

#define CHECK_HEX_EQ(data, len, hex)                                                    \
    do {                                                                                \
        if (!check_hex_eq((data), (len), (hex), __FILE__, __LINE__))                    \
            check_failed_in_case = 1;                                                   \
    } while (0)

/* Turns a hex string into bytes; returns the length. */
static inline size_t hex_to_bytes(const char *hex, unsigned char *out, size_t cap)
{
    size_t n = 0;
    for (; hex[0] && hex[1] && n < cap; hex += 2) {
        unsigned value;
        char pair[3] = {hex[0], hex[1], 0};
        if (sscanf(pair, "%2x", &value) != 1)
            break;
        out[n++] = (unsigned char)value;
    }
    return n;
}

#define RUN(test_fn)                                                                    \
    do {                                                                                \
        check_failed_in_case = 0;                                                       \
        test_fn();                                                                      \
        printf("%s %d - %s\n", check_failed_in_case ? "not ok" : "ok",                 \
               ++check_case_number, #test_fn);                                          \
        check_any_failed |= check_failed_in_case;                                       \
    } while (0)

#define CHECK_DONE()                                                                    \
    do {                                                                                \
        printf("1..%d\n", check_case_number);                                           \
        return check_any_failed ? EXIT_FAILURE : EXIT_SUCCESS;                          \
    } while (0)

#endif
