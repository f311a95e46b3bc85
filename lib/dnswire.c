/* SPDX-License-Identifier: MPL-2.0 */
#include "dnswire.h"
#include "errtext.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

#define DNS_OPT_RR_LEN 11 /* root name, type, size, extended rcode/flags, rdlength */

int dns_build_query(uint16_t id, const char *name, uint16_t qtype, uint16_t edns_udp_size,
                    enum dns_recursion recursion, uint8_t *out, size_t cap)
{
    size_t name_len = strlen(name);
    if (name_len > 0 && name[name_len - 1] == '.')
        name_len--;
    if (name_len == 0 || name_len > 253 ||
        cap < 12 + name_len + 2 + 4 + (edns_udp_size ? DNS_OPT_RR_LEN : 0))
        return -1;
    memset(out, 0, 12);
    out[0] = (uint8_t)(id >> 8);
    out[1] = (uint8_t)id;
    out[2] = recursion == DNS_RECURSIVE ? 0x01 : 0x00; /* RD */
    out[5] = 1;    /* QDCOUNT */
    size_t pos = 12, start = 0;
    for (size_t i = 0; i <= name_len; i++) {
        if (i == name_len || name[i] == '.') {
            size_t label = i - start;
            if (label == 0 || label > 63)
                return -1;
            out[pos++] = (uint8_t)label;
            memcpy(out + pos, name + start, label);
            pos += label;
            start = i + 1;
        }
    }
    out[pos++] = 0;
    out[pos++] = (uint8_t)(qtype >> 8);
    out[pos++] = (uint8_t)qtype;
    out[pos++] = 0;
    out[pos++] = DNS_CLASS_IN;
    if (edns_udp_size) {
        out[11] = 1; /* ARCOUNT */
        const uint8_t opt[DNS_OPT_RR_LEN] = {0, 0, DNS_TYPE_OPT, (uint8_t)(edns_udp_size >> 8),
                                            (uint8_t)edns_udp_size, 0, 0, 0, 0, 0, 0};
        memcpy(out + pos, opt, sizeof opt);
        pos += sizeof opt;
    }
    return (int)pos;
}

int dns_read_name(const uint8_t *msg, size_t len, size_t *pos, char *text, size_t cap)
{
    size_t p = *pos, out = 0, end = 0;
    int jumps = 0, jumped = 0;
    if (cap == 0)
        return -1;
    for (;;) {
        if (p >= len)
            return -1;
        uint8_t label = msg[p];
        if ((label & 0xC0) == 0xC0) {
            if (p + 1 >= len || ++jumps > 32)
                return -1; /* truncated pointer, or a loop */
            if (!jumped)
                end = p + 2;
            jumped = 1;
            p = (size_t)((label & 0x3F) << 8 | msg[p + 1]);
            continue;
        }
        if (label & 0xC0)
            return -1; /* reserved label types */
        p++;
        if (label == 0)
            break;
        /* the text so far, its dot, this label: never more than a name's 253 */
        if (label > len - p || out + label + 2 > cap || out + (out > 0) + label > 253)
            return -1;
        if (out > 0)
            text[out++] = '.';
        for (size_t i = 0; i < label; i++) {
            uint8_t c = msg[p + i];
            text[out++] = (c > 0x20 && c < 0x7f && c != '.') ? (char)c : '?';
        }
        p += label;
    }
    text[out] = '\0';
    *pos = jumped ? end : p;
    return 0;
}

/* Whether the response's question at msg[*pos] is the query's one question (the name
 * compared without regard to letter case, RFC 4343); advances *pos past it. */
static int same_question(const uint8_t *msg, size_t len, size_t *pos, const uint8_t *query,
                         size_t query_len)
{
    char asked[256], answered[256];
    size_t qpos = 12;
    if (query_len < 12 || dns_read_name(query, query_len, &qpos, asked, sizeof asked) != 0 ||
        query_len - qpos < 4)
        return -1;
    if (dns_read_name(msg, len, pos, answered, sizeof answered) != 0 || len - *pos < 4)
        return -1;
    int same = strcasecmp(asked, answered) == 0 && memcmp(msg + *pos, query + qpos, 4) == 0;
    *pos += 4;
    return same ? 0 : -1;
}

int dns_parse_response(const uint8_t *msg, size_t len, const uint8_t *query,
                       size_t query_len, struct dns_answer *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->min_ttl = UINT32_MAX;
    if (len < 12)
        return errtext_fail(err, errlen, "DNS response shorter than its header");
    if (query_len < 12 || memcmp(msg, query, 2) != 0 || !(msg[2] & 0x80))
        return errtext_fail(err, errlen, "not a response to this query (ID)");
    out->truncated = (msg[2] & 0x02) != 0;
    out->authoritative = (msg[2] & 0x04) != 0;
    out->rcode = msg[3] & 0x0F;
    uint16_t qdcount = get16(msg + 4), ancount = get16(msg + 6);
    size_t pos = 12;
    char name[256];
    if (qdcount != 1 || same_question(msg, len, &pos, query, query_len) != 0)
        return errtext_fail(err, errlen, "not a response to this query (question section)");
    for (uint16_t i = 0; i < ancount; i++) {
        if (dns_read_name(msg, len, &pos, name, sizeof name) != 0 || len - pos < 10)
            return errtext_fail(err, errlen, "malformed answer record");
        uint16_t type = get16(msg + pos), rclass = get16(msg + pos + 2);
        uint32_t ttl = get32(msg + pos + 4);
        uint16_t rdlength = get16(msg + pos + 8);
        pos += 10;
        if (rdlength > len - pos)
            return errtext_fail(err, errlen, "answer record runs past the end of the message");
        size_t rdata = pos;
        pos += rdlength;
        if (rclass != DNS_CLASS_IN)
            continue;
        if ((type == DNS_TYPE_A && out->a_count == DNS_MAX_RECORDS) ||
            (type == DNS_TYPE_SRV && out->srv_count == DNS_MAX_RECORDS)) {
            out->dropped++;
            continue;
        }
        if (type == DNS_TYPE_A && rdlength == 4) {
            memcpy(out->a[out->a_count++], msg + rdata, 4);
        } else if (type == DNS_TYPE_SRV) {
            struct dns_srv *srv = &out->srv[out->srv_count];
            size_t target = rdata + 6;
            if (rdlength < 7 ||
                dns_read_name(msg, rdata + rdlength, &target, srv->target, sizeof srv->target))
                return errtext_fail(err, errlen, "malformed SRV record");
            srv->priority = get16(msg + rdata);
            srv->weight = get16(msg + rdata + 2);
            srv->port = get16(msg + rdata + 4);
            out->srv_count++;
        } else {
            continue;
        }
        if (ttl < out->min_ttl)
            out->min_ttl = ttl;
    }
    if (out->min_ttl == UINT32_MAX)
        out->min_ttl = 0;
    return 0;
}

int dns_put_rdata(uint8_t *out, size_t cap, const uint8_t *rdata, size_t len)
{
    if (len > 0xffff || cap < 2 || len > cap - 2)
        return -1;
    out[0] = (uint8_t)(len >> 8);
    out[1] = (uint8_t)len;
    memcpy(out + 2, rdata, len);
    return (int)(2 + len);
}

int dns_summarize(const uint8_t *msg, size_t len, struct dns_summary *out)
{
    memset(out, 0, sizeof *out);
    if (len < 12 || (msg[4] << 8 | msg[5]) == 0) /* a header and a question */
        return -1;
    size_t pos = 12;
    if (dns_read_name(msg, len, &pos, out->name, sizeof out->name) != 0 || len - pos < 4)
        return -1;
    for (char *c = out->name; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    out->type = (uint16_t)(msg[pos] << 8 | msg[pos + 1]);
    out->response = msg[2] >> 7;
    out->rcode = msg[3] & 0x0f;
    out->answers = (unsigned)(msg[6] << 8 | msg[7]);
    return 0;
}
