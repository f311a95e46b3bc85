/* SPDX-License-Identifier: MPL-2.0 */
#include "latin1.h"

const char *latin1_to_utf8(const char *in, char *out, size_t cap)
{
    size_t pos = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        size_t need = *p < 0x80 ? 1 : 2;
        if (pos + need >= cap)
            break;
        if (need == 1) {
            out[pos++] = (char)*p;
        } else { /* U+0080..U+00FF: two bytes, 110000xx 10xxxxxx */
            out[pos++] = (char)(0xC0 | (*p >> 6));
            out[pos++] = (char)(0x80 | (*p & 0x3F));
        }
    }
    out[pos] = '\0';
    return out;
}
