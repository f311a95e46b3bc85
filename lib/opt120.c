/* SPDX-License-Identifier: MPL-2.0 */
#include "opt120.h"

#include <stdio.h>
#include <string.h>

#include "fqdn.h"
#include "errtext.h"

int opt120_encode_names(const char *const *names, size_t count, struct opt_bytes *out,
                        char *err, size_t errlen)
{
    out->len = 0;
    if (count == 0)
        return errtext_fail(err, errlen, "no SIP server name");
    out->data[out->len++] = OPT120_ENC_NAMES;
    for (size_t i = 0; i < count; i++) {
        char reason[128];
        if (fqdn_validate(names[i], reason, sizeof reason) != 0) {
            char msg[400];
            snprintf(msg, sizeof msg, "'%s': %s", names[i], reason);
            out->len = 0;
            return errtext_fail(err, errlen, "%s", msg);
        }
        int n = fqdn_to_wire(names[i], out->data + out->len, sizeof out->data - out->len);
        if (n < 0) {
            out->len = 0;
            return errtext_fail(err, errlen, "option 120 would be longer than 255 bytes");
        }
        out->len += (size_t)n;
    }
    return 0;
}

int opt120_encode_addresses(const char *const *addresses, size_t count,
                            struct opt_bytes *out, char *err, size_t errlen)
{
    out->len = 0;
    if (count == 0)
        return errtext_fail(err, errlen, "no SIP server address");
    if (1 + 4 * count > DHCP_OPTION_MAX)
        return errtext_fail(err, errlen, "option 120 would be longer than 255 bytes");
    out->data[out->len++] = OPT120_ENC_ADDRESSES;
    if (ipv4_list_append(addresses, count, out->data, &out->len, err, errlen) != 0) {
        out->len = 0;
        return -1;
    }
    return 0;
}

int opt120_decode(const uint8_t *in, size_t len, struct opt120_decoded *out, char *err,
                  size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len < 2)
        return errtext_fail(err, errlen, "option 120 is too short");
    out->encoding = in[0];
    size_t pos = 1;
    if (in[0] == OPT120_ENC_NAMES) {
        while (pos < len) {
            if (out->count == OPT120_MAX_ENTRIES)
                return errtext_fail(err, errlen, "option 120 lists too many names");
            int n = fqdn_from_wire(in + pos, len - pos, out->entries[out->count],
                                   sizeof out->entries[0]);
            if (n < 0)
                return errtext_fail(err, errlen,
                            "option 120 holds a truncated, compressed or invalid name");
            if (n == 1)
                return errtext_fail(err, errlen, "option 120 holds an empty (root) name");
            out->count++;
            pos += (size_t)n;
        }
        return 0;
    }
    if (in[0] == OPT120_ENC_ADDRESSES) {
        if ((len - 1) % 4 != 0)
            return errtext_fail(err, errlen, "option 120 address list is not a multiple of 4 bytes");
        for (; pos + 4 <= len && out->count < OPT120_MAX_ENTRIES; pos += 4)
            snprintf(out->entries[out->count++], sizeof out->entries[0], "%u.%u.%u.%u",
                     in[pos], in[pos + 1], in[pos + 2], in[pos + 3]);
        return 0;
    }
    return errtext_fail(err, errlen, "option 120 has an unknown encoding byte (not 0 or 1)");
}
