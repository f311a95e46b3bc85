/* SPDX-License-Identifier: MPL-2.0 */
#include "dhcp4_msg.h"

#include <string.h>

static const uint8_t magic_cookie[4] = {99, 130, 83, 99};

const uint8_t dhcp4_lync_phone_request[8] = {
    DHCP4_OPT_SUBNET_MASK, DHCP4_OPT_ROUTER,      DHCP4_OPT_DNS_SERVERS,     DHCP4_OPT_DOMAIN_NAME,
    DHCP4_OPT_NTP_SERVERS, DHCP4_OPT_TIME_OFFSET, DHCP4_OPT_VENDOR_SPECIFIC, DHCP4_OPT_SIP_SERVERS};

#define DHCP4_FLAG_BROADCAST 0x80 /* high bit of the flags field (offset 10) */

static int put_option(uint8_t *out, size_t cap, size_t *pos, uint8_t code,
                      const void *value, size_t len)
{
    if (len > 255 || *pos + 2 + len > cap)
        return -1;
    out[(*pos)++] = code;
    out[(*pos)++] = (uint8_t)len;
    memcpy(out + *pos, value, len);
    *pos += len;
    return 0;
}

int dhcp4_build_query(const struct dhcp4_query *q, uint8_t *out, size_t cap)
{
    if (cap < DHCP4_MIN_LEN + 1)
        return -1;
    memset(out, 0, DHCP4_MIN_LEN);
    out[0] = 1; /* BOOTREQUEST */
    out[1] = 1; /* Ethernet */
    out[2] = 6;
    out[3] = memcmp(q->giaddr, "\0\0\0\0", 4) != 0 ? 1 : 0; /* hops: relayed once */
    out[4] = (uint8_t)(q->xid >> 24);
    out[5] = (uint8_t)(q->xid >> 16);
    out[6] = (uint8_t)(q->xid >> 8);
    out[7] = (uint8_t)q->xid;
    if (q->broadcast)
        out[10] = DHCP4_FLAG_BROADCAST;
    memcpy(out + 12, q->ciaddr, 4);
    memcpy(out + 24, q->giaddr, 4);
    memcpy(out + 28, q->mac, 6);
    memcpy(out + DHCP4_HEADER_LEN, magic_cookie, 4);

    size_t pos = DHCP4_MIN_LEN;
    uint8_t type = (uint8_t)q->type;
    uint8_t client_id[7] = {1};
    memcpy(client_id + 1, q->mac, 6);
    if (put_option(out, cap, &pos, DHCP4_OPT_MESSAGE_TYPE, &type, 1) ||
        put_option(out, cap, &pos, DHCP4_OPT_CLIENT_ID, client_id, sizeof client_id))
        return -1;
    if (q->requested_addr && put_option(out, cap, &pos, DHCP4_OPT_REQUESTED_ADDR, q->requested_addr, 4))
        return -1;
    if (q->server_id && put_option(out, cap, &pos, DHCP4_OPT_SERVER_ID, q->server_id, 4))
        return -1;
    if (q->param_request_len > 0 &&
        put_option(out, cap, &pos, DHCP4_OPT_PARAM_REQUEST, q->param_request, q->param_request_len))
        return -1;
    if (q->vendor_class != NULL &&
        put_option(out, cap, &pos, DHCP4_OPT_VENDOR_CLASS, q->vendor_class, strlen(q->vendor_class)))
        return -1;
    if (pos >= cap)
        return -1;
    out[pos++] = DHCP4_OPT_END;
    return (int)pos;
}

/* Walks options; returns 1 with code/value/len, 0 at END or the end, -1 if broken. */
static int next_option(const uint8_t *opts, size_t len, size_t *pos, uint8_t *code,
                       const uint8_t **value, uint8_t *vlen)
{
    while (*pos < len && opts[*pos] == DHCP4_OPT_PAD)
        (*pos)++;
    if (*pos >= len || opts[*pos] == DHCP4_OPT_END)
        return 0;
    if (len - *pos < 2 || opts[*pos + 1] > len - *pos - 2)
        return -1;
    *code = opts[*pos];
    *vlen = opts[*pos + 1];
    *value = opts + *pos + 2;
    *pos += 2u + *vlen;
    return 1;
}

int dhcp4_parse_reply(const uint8_t *in, size_t len, struct dhcp4_reply *reply)
{
    memset(reply, 0, sizeof *reply);
    if (len < DHCP4_MIN_LEN || memcmp(in + DHCP4_HEADER_LEN, magic_cookie, 4) != 0)
        return -1;
    reply->op = in[0];
    reply->xid = ((uint32_t)in[4] << 24) | ((uint32_t)in[5] << 16) | ((uint32_t)in[6] << 8) |
                 in[7];
    memcpy(reply->ciaddr, in + 12, 4);
    memcpy(reply->yiaddr, in + 16, 4);
    memcpy(reply->siaddr, in + 20, 4);
    memcpy(reply->giaddr, in + 24, 4);
    memcpy(reply->chaddr, in + 28, 16);
    reply->options = in + DHCP4_MIN_LEN;
    reply->options_len = len - DHCP4_MIN_LEN;
    reply->message_type = -1;

    size_t pos = 0;
    uint8_t code, vlen;
    const uint8_t *value;
    int rc;
    while ((rc = next_option(reply->options, reply->options_len, &pos, &code, &value,
                             &vlen)) == 1)
        if (code == DHCP4_OPT_MESSAGE_TYPE && vlen == 1 && reply->message_type < 0)
            reply->message_type = value[0];
    return rc;
}

int dhcp4_get_option(const struct dhcp4_reply *reply, uint8_t code, uint8_t *out,
                     size_t cap)
{
    size_t pos = 0, total = 0;
    int found = 0;
    uint8_t this_code, vlen;
    const uint8_t *value;
    while (next_option(reply->options, reply->options_len, &pos, &this_code, &value,
                       &vlen) == 1) {
        if (this_code != code)
            continue;
        if (total + vlen > cap)
            return -1;
        memcpy(out + total, value, vlen);
        total += vlen;
        found = 1;
    }
    return found ? (int)total : -1;
}

static int is_replaced(uint8_t code, const struct dhcp4_option_ref *opts, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (opts[i].code == code)
            return 1;
    return 0;
}

int dhcp4_replace_options(uint8_t *msg, size_t len, size_t cap,
                          const struct dhcp4_option_ref *opts, size_t count)
{
    uint8_t out[DHCP4_MAX_LEN];
    if (len < DHCP4_MIN_LEN || len > DHCP4_MAX_LEN ||
        memcmp(msg + DHCP4_HEADER_LEN, magic_cookie, 4) != 0)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (opts[i].len > 255 || (i > 0 && opts[i].code <= opts[i - 1].code) ||
            opts[i].code == DHCP4_OPT_PAD || opts[i].code == DHCP4_OPT_END)
            return -1;
    if (cap > sizeof out)
        cap = sizeof out;

    const uint8_t *in = msg + DHCP4_MIN_LEN;
    size_t in_len = len - DHCP4_MIN_LEN, pos = 0, next = 0, o = DHCP4_MIN_LEN;
    uint8_t code, vlen;
    const uint8_t *value;
    int rc;
    memcpy(out, msg, DHCP4_MIN_LEN);
    while ((rc = next_option(in, in_len, &pos, &code, &value, &vlen)) == 1) {
        if (is_replaced(code, opts, count))
            continue;
        /* Ours go before the first larger code, but never before the message type
         * and always before relay agent information. */
        while (next < count && code != DHCP4_OPT_MESSAGE_TYPE &&
               (opts[next].code < code || code == DHCP4_OPT_RELAY_AGENT_INFO)) {
            if (put_option(out, cap, &o, opts[next].code, opts[next].value, opts[next].len))
                return -1;
            next++;
        }
        if (put_option(out, cap, &o, code, value, vlen))
            return -1;
    }
    if (rc < 0)
        return -1;
    for (; next < count; next++)
        if (put_option(out, cap, &o, opts[next].code, opts[next].value, opts[next].len))
            return -1;
    if (o >= cap)
        return -1;
    out[o++] = DHCP4_OPT_END;
    if (o < len) { /* keep the old length: Kea or a relay may rely on the padding */
        memset(out + o, 0, len - o);
        o = len;
    }
    memcpy(msg, out, o);
    return (int)o;
}

int dhcp4_packed_parties(const uint8_t *msg, size_t len, struct dhcp4_parties *out)
{
    /* op htype hlen hops xid(4) secs(2) flags(2) ciaddr yiaddr siaddr giaddr chaddr(16) */
    if (len < DHCP4_HEADER_LEN || msg[1] != 1 || msg[2] != 6)
        return -1;
    memcpy(out->ciaddr, msg + 12, 4);
    memcpy(out->yiaddr, msg + 16, 4);
    memcpy(out->giaddr, msg + 24, 4);
    memcpy(out->mac, msg + 28, 6);
    return 0;
}

int dhcp4_packed_type(const uint8_t *msg, size_t len)
{
    if (len < DHCP4_MIN_LEN || memcmp(msg + DHCP4_HEADER_LEN, magic_cookie, 4) != 0)
        return -1;
    const uint8_t *in = msg + DHCP4_MIN_LEN;
    size_t in_len = len - DHCP4_MIN_LEN, pos = 0;
    uint8_t code, vlen;
    const uint8_t *value;
    while (next_option(in, in_len, &pos, &code, &value, &vlen) == 1)
        if (code == DHCP4_OPT_MESSAGE_TYPE)
            return vlen == 1 ? value[0] : -1;
    return -1;
}

static void code_set_add(struct dhcp4_code_set *set, uint8_t code)
{
    set->bits[code >> 6] |= UINT64_C(1) << (code & 63);
}

void dhcp4_append_blockers(const struct dhcp4_option_ref *opts, size_t count,
                           struct dhcp4_code_set *blockers)
{
    memset(blockers, 0, sizeof *blockers);
    code_set_add(blockers, DHCP4_OPT_RELAY_AGENT_INFO);
    for (size_t i = 0; i < count; i++)
        code_set_add(blockers, opts[i].code);
}

int dhcp4_append_offset(const uint8_t *msg, size_t len,
                        const struct dhcp4_code_set *blockers)
{
    if (len < DHCP4_MIN_LEN + 1 || len > DHCP4_MAX_LEN ||
        memcmp(msg + DHCP4_HEADER_LEN, magic_cookie, 4) != 0)
        return -1;
    /* Walk the headers up to the last byte, which must be END. While pos < last, the
     * length byte msg[pos + 1] is inside the message. */
    size_t pos = DHCP4_MIN_LEN, last = len - 1;
    while (pos < last) {
        uint8_t code = msg[pos];
        if (code == DHCP4_OPT_PAD) {
            pos++;
            continue;
        }
        if (code == DHCP4_OPT_END || dhcp4_code_set_has(blockers, code))
            return -1; /* END before the last byte, or something to replace or keep last */
        pos += 2u + msg[pos + 1];
    }
    return pos == last && msg[last] == DHCP4_OPT_END ? (int)pos : -1;
}

int dhcp4_encode_tail(const struct dhcp4_option_ref *opts, size_t count, uint8_t *out,
                      size_t cap)
{
    size_t pos = 0;
    for (size_t i = 0; i < count; i++)
        if (put_option(out, cap, &pos, opts[i].code, opts[i].value, opts[i].len))
            return -1;
    if (pos >= cap)
        return -1;
    out[pos++] = DHCP4_OPT_END;
    return (int)pos;
}
