/* SPDX-License-Identifier: MPL-2.0 */
#include "fqdn.h"
#include "errtext.h"

#include <stdio.h>
#include <string.h>

static int is_ldh(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-';
}

int fqdn_validate(const char *name, char *err, size_t errlen)
{
    if (name == NULL || name[0] == '\0')
        return errtext_fail(err, errlen, "empty name");
    size_t len = strlen(name);
    if (name[len - 1] == '.')
        len--; /* one trailing dot marks the root, nothing more */
    if (len == 0)
        return errtext_fail(err, errlen, "empty name");
    if (len > FQDN_MAX_TEXT)
        return errtext_fail(err, errlen, "name longer than 253 characters");

    size_t label_len = 0, labels = 0;
    for (size_t i = 0; i <= len; i++) {
        unsigned char c = (i < len) ? (unsigned char)name[i] : '.';
        if (c == '.') {
            if (label_len == 0)
                return errtext_fail(err, errlen, "empty label");
            if (name[i - 1] == '-')
                return errtext_fail(err, errlen, "label ends with a hyphen");
            labels++;
            label_len = 0;
            continue;
        }
        if (!is_ldh(c))
            return errtext_fail(err, errlen,
                        "character outside letters, digits, hyphen and dot");
        if (label_len == 0 && c == '-')
            return errtext_fail(err, errlen, "label starts with a hyphen");
        if (++label_len > FQDN_MAX_LABEL)
            return errtext_fail(err, errlen, "label longer than 63 characters");
    }
    if (labels < 2)
        return errtext_fail(err, errlen, "not fully qualified (needs at least two labels)");
    return 0;
}

int fqdn_to_wire(const char *name, uint8_t *out, size_t cap)
{
    if (fqdn_validate(name, NULL, 0) != 0)
        return -1;
    size_t len = strlen(name);
    if (name[len - 1] == '.')
        len--;
    /* Wire form: one length byte per label replaces each dot, plus the root 00. */
    if (len + 2 > cap)
        return -1;
    size_t pos = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || name[i] == '.') {
            out[pos++] = (uint8_t)(i - start);
            memcpy(out + pos, name + start, i - start);
            pos += i - start;
            start = i + 1;
        }
    }
    out[pos++] = 0;
    return (int)pos;
}

int fqdn_from_wire(const uint8_t *in, size_t len, char *text, size_t textcap)
{
    size_t pos = 0, out = 0;
    if (textcap == 0)
        return -1;
    for (;;) {
        if (pos >= len)
            return -1; /* truncated before the root label */
        uint8_t label = in[pos++];
        if (label == 0)
            break;
        if (label > FQDN_MAX_LABEL)
            return -1; /* compression pointer or reserved label type */
        if (label > len - pos)
            return -1;
        if (pos + label > FQDN_MAX_WIRE)
            return -1;
        if (out + label + 2 > textcap)
            return -1;
        if (out > 0)
            text[out++] = '.';
        for (size_t i = 0; i < label; i++) {
            uint8_t c = in[pos + i];
            if (c < 0x21 || c > 0x7e || c == '.')
                return -1;
            text[out++] = (char)c;
        }
        pos += label;
    }
    text[out] = '\0';
    return (int)pos;
}

int ipv4_parse(const char *text, uint8_t out[4])
{
    const char *p = text;
    for (int octet = 0; octet < 4; octet++) {
        unsigned value = 0;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            value = value * 10 + (unsigned)(*p - '0');
            if (++digits > 3 || value > 255)
                return -1;
            p++;
        }
        if (digits == 0)
            return -1;
        out[octet] = (uint8_t)value;
        if (octet < 3) {
            if (*p != '.')
                return -1;
            p++;
        }
    }
    return *p == '\0' ? 0 : -1;
}

int ipv4_list_append(const char *const *addresses, size_t count, uint8_t *out, size_t *len,
                     char *err, size_t errlen)
{
    size_t at = *len;
    for (size_t i = 0; i < count; i++, at += 4)
        if (ipv4_parse(addresses[i], out + at) != 0)
            return errtext_fail(err, errlen, "'%s' is not an IPv4 address", addresses[i]);
    *len = at;
    return 0;
}
