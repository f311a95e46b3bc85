/* SPDX-License-Identifier: MPL-2.0 */
#include "mac_text.h"

#include <stdio.h>

const char *mac_text(const uint8_t mac[6], char out[MAC_TEXT_LEN])
{
    snprintf(out, MAC_TEXT_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
             mac[3], mac[4], mac[5]);
    return out;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

int mac_parse(const char *text, uint8_t mac[6])
{
    if (!text)
        return -1;
    for (int i = 0; i < 6; i++, text += 3) {
        int high = hex_digit(text[0]), low = high < 0 ? -1 : hex_digit(text[1]);
        if (low < 0 || text[2] != (i < 5 ? ':' : '\0'))
            return -1;
        mac[i] = (uint8_t)(high << 4 | low);
    }
    return 0;
}
