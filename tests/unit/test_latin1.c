/* SPDX-License-Identifier: MPL-2.0 */
#include <stdint.h>

#include "check.h"
#include "latin1.h"

static void ascii_stays_as_it_is(void)
{
    char out[32];
    CHECK(strcmp(latin1_to_utf8("pool01.contoso.com", out, sizeof out), "pool01.contoso.com") == 0);
}

static void high_bytes_become_two_byte_characters(void)
{
    char out[32];
    /* 0xE9 (e acute) and 0xFF: U+00E9, U+00FF */
    const char *utf8 = latin1_to_utf8("caf\xE9 \xFF", out, sizeof out);
    CHECK_HEX_EQ((const uint8_t *)utf8, strlen(utf8), "636166C3A920C3BF");
}

static void cut_at_a_character_boundary(void)
{
    char out[5];
    /* "ab" + e acute needs 5 bytes with its NUL: the character does not fit whole. */
    const char *utf8 = latin1_to_utf8("ab\xE9\xE9", out, sizeof out);
    CHECK_HEX_EQ((const uint8_t *)utf8, strlen(utf8), "6162C3A9");
    CHECK_INT_EQ(strlen(latin1_to_utf8("abc\xE9", out, sizeof out)), 3);
}

int main(void)
{
    RUN(ascii_stays_as_it_is);
    RUN(high_bytes_become_two_byte_characters);
    RUN(cut_at_a_character_boundary);
    CHECK_DONE();
}
