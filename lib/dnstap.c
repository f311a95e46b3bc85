/* SPDX-License-Identifier: MPL-2.0 */
#include "dnstap.h"

#include <string.h>

#include "errtext.h"

/* Frame Streams: a data frame is a 32-bit big-endian length and the payload; a length
 * of 0 escapes a control frame: its 32-bit length, a 32-bit type and its fields. */
enum { FSTRM_CONTROL_START = 2, FSTRM_CONTROL_STOP = 3, FSTRM_FIELD_CONTENT_TYPE = 1 };
enum { FSTRM_CONTROL_MAX = 512 };
static const char DNSTAP_CONTENT_TYPE[] = "protobuf:dnstap.Dnstap";

/* dnstap.proto: Dnstap.type = 15 (MESSAGE = 1), Dnstap.message = 14; in Message the
 * fields below. */
enum { DNSTAP_FIELD_MESSAGE = 14, DNSTAP_FIELD_TYPE = 15, DNSTAP_TYPE_MESSAGE = 1 };
enum {
    MESSAGE_TYPE = 1,
    MESSAGE_SOCKET_FAMILY = 2,
    MESSAGE_QUERY_ADDRESS = 4,
    MESSAGE_QUERY_TIME_SEC = 8,
    MESSAGE_QUERY_MESSAGE = 10,
    MESSAGE_RESPONSE_TIME_SEC = 12,
    MESSAGE_RESPONSE_MESSAGE = 14,
};
enum { SOCKET_FAMILY_INET = 1 };

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A START's content-type field, if it has one, must be dnstap's. */
static int check_start(const uint8_t *fields, size_t len, char *err, size_t errlen)
{
    size_t pos = 0;
    while (pos + 8 <= len) {
        uint32_t type = be32(fields + pos), field_len = be32(fields + pos + 4);
        pos += 8;
        if (field_len > len - pos)
            return errtext_fail(err, errlen, "Frame Streams START field runs past it");
        if (type == FSTRM_FIELD_CONTENT_TYPE &&
            (field_len != sizeof DNSTAP_CONTENT_TYPE - 1 ||
             memcmp(fields + pos, DNSTAP_CONTENT_TYPE, field_len) != 0)) {
            char quoted[128];
            return errtext_fail(err, errlen, "Frame Streams content type '%s', not '%s'",
                                errtext_quote((const char *)fields + pos, field_len, quoted,
                                              sizeof quoted),
                                DNSTAP_CONTENT_TYPE);
        }
        pos += field_len;
    }
    return 0;
}

int fstrm_next_frame(const uint8_t *in, size_t len, size_t *pos, const uint8_t **frame,
                     size_t *frame_len, char *err, size_t errlen)
{
    while (*pos < len) {
        if (len - *pos < 4)
            return errtext_fail(err, errlen, "Frame Streams frame at byte %zu cut short", *pos);
        uint32_t n = be32(in + *pos);
        if (n > 0) { /* a data frame */
            if (n > len - *pos - 4)
                return errtext_fail(err, errlen, "Frame Streams frame at byte %zu runs past "
                                    "the end (%u bytes)", *pos, n);
            *frame = in + *pos + 4;
            *frame_len = n;
            *pos += 4 + (size_t)n;
            return 1;
        }
        if (len - *pos < 12)
            return errtext_fail(err, errlen, "Frame Streams control frame at byte %zu cut "
                                "short", *pos);
        uint32_t control_len = be32(in + *pos + 4);
        if (control_len < 4 || control_len > FSTRM_CONTROL_MAX ||
            control_len > len - *pos - 8)
            return errtext_fail(err, errlen, "Frame Streams control frame at byte %zu of %u "
                                "bytes", *pos, control_len);
        uint32_t type = be32(in + *pos + 8);
        if (type == FSTRM_CONTROL_START &&
            check_start(in + *pos + 12, control_len - 4, err, errlen) != 0)
            return -1;
        *pos += 8 + (size_t)control_len;
        if (type == FSTRM_CONTROL_STOP)
            return 0;
    }
    return 0;
}

/* Protobuf: a field is a varint key (number << 3 | wire type) and its value. */
struct pb_field {
    uint32_t number;
    int wire_type;
    uint64_t varint;          /* wire type 0 */
    const uint8_t *bytes;     /* wire type 2 */
    size_t len;
};

static int read_varint(const uint8_t *in, size_t len, size_t *pos, uint64_t *out)
{
    uint64_t value = 0;
    for (int shift = 0; shift < 64 && *pos < len; shift += 7) {
        uint8_t byte = in[(*pos)++];
        value |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *out = value;
            return 0;
        }
    }
    return -1;
}

/* Returns 1 with the next field, 0 at the end, -1 when it is broken. */
static int next_field(const uint8_t *in, size_t len, size_t *pos, struct pb_field *f)
{
    if (*pos >= len)
        return 0;
    uint64_t key;
    if (read_varint(in, len, pos, &key) != 0 || key >> 3 == 0 || key >> 3 > UINT32_MAX)
        return -1;
    f->number = (uint32_t)(key >> 3);
    f->wire_type = (int)(key & 7);
    switch (f->wire_type) {
    case 0:
        return read_varint(in, len, pos, &f->varint) == 0 ? 1 : -1;
    case 1: /* 64-bit */
        if (len - *pos < 8)
            return -1;
        *pos += 8;
        return 1;
    case 2: {
        uint64_t n;
        if (read_varint(in, len, pos, &n) != 0 || n > len - *pos)
            return -1;
        f->bytes = in + *pos;
        f->len = (size_t)n;
        *pos += (size_t)n;
        return 1;
    }
    case 5: /* 32-bit */
        if (len - *pos < 4)
            return -1;
        *pos += 4;
        return 1;
    default: /* groups (3, 4) are not in dnstap.proto */
        return -1;
    }
}

static int decode_message(const uint8_t *in, size_t len, struct dnstap_message *out,
                          char *err, size_t errlen)
{
    size_t pos = 0;
    struct pb_field f;
    int more;
    bool inet = false, has_type = false;
    int64_t query_time = 0, response_time = 0;
    const uint8_t *query = NULL, *response = NULL, *address = NULL;
    size_t query_len = 0, response_len = 0, address_len = 0;
    while ((more = next_field(in, len, &pos, &f)) == 1) {
        if (f.wire_type == 0) {
            if (f.number == MESSAGE_TYPE) {
                out->type = (int)f.varint;
                has_type = true;
            } else if (f.number == MESSAGE_SOCKET_FAMILY) {
                inet = f.varint == SOCKET_FAMILY_INET;
            } else if (f.number == MESSAGE_QUERY_TIME_SEC) {
                query_time = (int64_t)f.varint;
            } else if (f.number == MESSAGE_RESPONSE_TIME_SEC) {
                response_time = (int64_t)f.varint;
            }
        } else if (f.wire_type == 2) {
            if (f.number == MESSAGE_QUERY_ADDRESS) {
                address = f.bytes;
                address_len = f.len;
            } else if (f.number == MESSAGE_QUERY_MESSAGE) {
                query = f.bytes;
                query_len = f.len;
            } else if (f.number == MESSAGE_RESPONSE_MESSAGE) {
                response = f.bytes;
                response_len = f.len;
            }
        }
    }
    if (more < 0)
        return errtext_fail(err, errlen, "dnstap Message: a field runs past its end");
    if (!has_type)
        return errtext_fail(err, errlen, "dnstap Message without its type");
    out->client_is_ipv4 = inet && address && address_len == 4;
    if (out->client_is_ipv4)
        memcpy(out->client, address, 4);
    out->when = response_time ? response_time : query_time;
    out->dns = response ? response : query;
    out->dns_len = response ? response_len : query_len;
    return 0;
}

int dnstap_decode(const uint8_t *frame, size_t len, struct dnstap_message *out, char *err,
                  size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t pos = 0;
    struct pb_field f;
    int more;
    bool is_message = false;
    const uint8_t *message = NULL;
    size_t message_len = 0;
    while ((more = next_field(frame, len, &pos, &f)) == 1) {
        if (f.number == DNSTAP_FIELD_TYPE && f.wire_type == 0)
            is_message = f.varint == DNSTAP_TYPE_MESSAGE;
        else if (f.number == DNSTAP_FIELD_MESSAGE && f.wire_type == 2) {
            message = f.bytes;
            message_len = f.len;
        }
    }
    if (more < 0)
        return errtext_fail(err, errlen, "dnstap frame: a field runs past its end");
    if (!is_message || !message)
        return errtext_fail(err, errlen, "dnstap frame that is not a MESSAGE");
    return decode_message(message, message_len, out, err, errlen);
}
