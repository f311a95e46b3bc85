/* SPDX-License-Identifier: MPL-2.0 */
#include "opt_time.h"

#include <stdio.h>
#include <string.h>

#include "fqdn.h"
#include "errtext.h"

int opt42_encode(const char *const *addresses, size_t count, struct opt_bytes *out,
                 char *err, size_t errlen)
{
    out->len = 0;
    if (count == 0)
        return errtext_fail(err, errlen, "empty NTP server list");
    if (count > OPT42_MAX_SERVERS)
        return errtext_fail(err, errlen, "more than 63 NTP servers do not fit in 255 bytes");
    if (ipv4_list_append(addresses, count, out->data, &out->len, err, errlen) != 0) {
        out->len = 0;
        return -1;
    }
    return 0;
}

int opt42_decode(const uint8_t *in, size_t len, uint8_t (*addresses)[4], size_t max)
{
    if (len == 0 || len % 4 != 0)
        return -1;
    size_t count = 0;
    for (size_t pos = 0; pos + 4 <= len && count < max; pos += 4)
        memcpy(addresses[count++], in + pos, 4);
    return (int)count;
}

int opt2_encode(long long offset_seconds, struct opt_bytes *out, char *err, size_t errlen)
{
    out->len = 0;
    /* RFC 2132 allows any int32; a real zone lies within -12 h .. +14 h. */
    if (offset_seconds < -86400 || offset_seconds > 86400)
        return errtext_fail(err, errlen, "time offset must be -86400..86400 seconds");
    uint32_t wire = (uint32_t)(int32_t)offset_seconds;
    out->data[0] = (uint8_t)(wire >> 24);
    out->data[1] = (uint8_t)(wire >> 16);
    out->data[2] = (uint8_t)(wire >> 8);
    out->data[3] = (uint8_t)wire;
    out->len = 4;
    return 0;
}

int opt2_decode(const uint8_t *in, size_t len, int32_t *offset_seconds)
{
    if (len != 4)
        return -1;
    uint32_t wire = ((uint32_t)in[0] << 24) | ((uint32_t)in[1] << 16) |
                    ((uint32_t)in[2] << 8) | in[3];
    *offset_seconds = (int32_t)wire;
    return 0;
}
