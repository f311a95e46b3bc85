/* SPDX-License-Identifier: MPL-2.0 */
#include "sip_register.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "errtext.h"
#include "fqdn.h"

static bool is_user_part(const char *user)
{
    if (!*user || strlen(user) > 64)
        return false;
    for (const char *p = user; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
            return false;
    return true;
}

static bool is_header_text(const char *text)
{
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            return false;
    return strlen(text) < SIP_TEXT_MAX;
}

int sip_register_build(const struct sip_register_params *p, char *out, size_t cap, char *err,
                       size_t errlen)
{
    uint8_t addr[4];
    char why[200];
    if (fqdn_validate(p->domain, why, sizeof why) != 0)
        return errtext_fail(err, errlen, "SIP domain '%s': %s", p->domain, why);
    if (!is_user_part(p->user))
        return errtext_fail(err, errlen, "SIP user '%s': letters, digits, '.', '_', '-'",
                            p->user);
    if (ipv4_parse(p->local_addr, addr) != 0 || p->local_port == 0 || p->local_port > 65535)
        return errtext_fail(err, errlen, "local address '%s:%u' is not an IPv4 address and "
                            "port", p->local_addr, p->local_port);
    if (!is_header_text(p->user_agent))
        return errtext_fail(err, errlen, "User-Agent holds characters a header cannot");
    /* RFC 3261 8.1.1: branch starts with the magic cookie; tag and Call-ID are random. */
    int n = snprintf(out, cap,
                     "REGISTER sip:%s SIP/2.0\r\n"
                     "Via: SIP/2.0/TLS %s:%u;branch=z9hG4bK%08x%08x\r\n"
                     "Max-Forwards: 70\r\n"
                     "From: <sip:%s@%s>;tag=%08x\r\n"
                     "To: <sip:%s@%s>\r\n"
                     "Call-ID: %08x%08x@%s\r\n"
                     "CSeq: 1 REGISTER\r\n"
                     "Contact: <sip:%s:%u;transport=tls>\r\n"
                     "User-Agent: %s\r\n"
                     "Event: registration\r\n"
                     "Content-Length: 0\r\n"
                     "\r\n",
                     p->domain, p->local_addr, p->local_port, p->nonce[0], p->nonce[1], p->user,
                     p->domain, p->nonce[2], p->user, p->domain, p->nonce[1], p->nonce[2],
                     p->local_addr, p->local_addr, p->local_port, p->user_agent);
    if (n < 0 || (size_t)n >= cap)
        return errtext_fail(err, errlen, "REGISTER longer than its buffer (%zu bytes)", cap);
    return n;
}

/* The end of the head: the offset after the empty line, or 0 when there is none. */
static size_t head_end(const char *in, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (in[i] == '\n' && in[i + 1] == '\n')
            return i + 2;
        if (i + 3 < len && memcmp(in + i, "\r\n\r\n", 4) == 0)
            return i + 4;
    }
    return 0;
}

static void quote_into(const char *in, size_t len, char *out, size_t cap)
{
    while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
        len--;
    while (len > 0 && (*in == ' ' || *in == '\t')) {
        in++;
        len--;
    }
    errtext_quote(in, len, out, cap);
}

/* key=value or key="value", comma-separated, after the scheme. */
static void challenge_params(const char *in, size_t len, struct sip_challenge *c)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && (in[i] == ' ' || in[i] == '\t' || in[i] == ','))
            i++;
        size_t key = i;
        while (i < len && in[i] != '=' && in[i] != ',')
            i++;
        size_t key_len = i - key;
        const char *value = in + i;
        size_t value_len = 0;
        if (i < len && in[i] == '=') {
            i++;
            if (i < len && in[i] == '"') {
                value = in + ++i;
                while (i < len && in[i] != '"')
                    i++;
                value_len = (size_t)(in + i - value);
                if (i < len)
                    i++;
            } else {
                value = in + i;
                while (i < len && in[i] != ',')
                    i++;
                value_len = (size_t)(in + i - value);
            }
        }
        char name[32];
        quote_into(in + key, key_len, name, sizeof name);
        if (strcasecmp(name, "realm") == 0)
            quote_into(value, value_len, c->realm, sizeof c->realm);
        else if (strcasecmp(name, "targetname") == 0)
            quote_into(value, value_len, c->targetname, sizeof c->targetname);
        else if (strcasecmp(name, "sts-uri") == 0)
            quote_into(value, value_len, c->sts_uri, sizeof c->sts_uri);
        else if (strcasecmp(name, "version") == 0)
            quote_into(value, value_len, c->version, sizeof c->version);
    }
}

static void take_header(const char *name, size_t name_len, const char *value, size_t value_len,
                        struct sip_response *out)
{
    if (name_len == 6 && strncasecmp(name, "Server", 6) == 0) {
        quote_into(value, value_len, out->server, sizeof out->server);
        return;
    }
    if (name_len != 16 || strncasecmp(name, "WWW-Authenticate", 16) != 0 ||
        out->challenges == SIP_SCHEMES_MAX)
        return;
    while (value_len > 0 && (*value == ' ' || *value == '\t')) {
        value++;
        value_len--;
    }
    size_t scheme_len = 0;
    while (scheme_len < value_len && value[scheme_len] != ' ' && value[scheme_len] != '\t')
        scheme_len++;
    if (scheme_len == 0)
        return;
    struct sip_challenge *c = &out->challenge[out->challenges++];
    quote_into(value, scheme_len, c->scheme, sizeof c->scheme);
    challenge_params(value + scheme_len, value_len - scheme_len, c);
}

int sip_response_parse(const char *in, size_t len, struct sip_response *out, char *err,
                       size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len < 12 || memcmp(in, "SIP/2.0 ", 8) != 0 || !isdigit((unsigned char)in[8]) ||
        !isdigit((unsigned char)in[9]) || !isdigit((unsigned char)in[10]) ||
        (in[11] != ' ' && in[11] != '\r' && in[11] != '\n')) {
        char start[64];
        errtext_quote(in, len < 24 ? len : 24, start, sizeof start);
        return errtext_fail(err, errlen, "not a SIP response: it begins \"%s\"", start);
    }
    out->status = (in[8] - '0') * 100 + (in[9] - '0') * 10 + (in[10] - '0');
    if (out->status < 100)
        return errtext_fail(err, errlen, "not a SIP response: status %03d", out->status);
    size_t end = head_end(in, len);
    if (end == 0)
        return errtext_fail(err, errlen, "SIP response without the end of its headers in %zu "
                            "bytes", len);
    const char *line = in, *stop = in + end;
    const char *eol = memchr(line, '\n', (size_t)(stop - line));
    const char *reason = line + (in[11] == ' ' ? 12 : 11);
    size_t reason_len = eol > reason ? (size_t)(eol - reason) : 0;
    if (reason_len > 0 && reason[reason_len - 1] == '\r')
        reason_len--;
    quote_into(reason, reason_len, out->reason, sizeof out->reason);
    line = eol + 1;
    /* Each header, with its folded continuation lines (RFC 3261 7.3.1). */
    while (line < stop) {
        eol = memchr(line, '\n', (size_t)(stop - line));
        size_t line_len = (size_t)(eol - line);
        if (line_len > 0 && line[line_len - 1] == '\r')
            line_len--;
        if (line_len == 0)
            break;
        const char *colon = memchr(line, ':', line_len);
        if (!colon)
            return errtext_fail(err, errlen, "SIP response header line without a colon");
        const char *value = colon + 1;
        const char *next = eol + 1;
        while (next < stop && (*next == ' ' || *next == '\t')) { /* folded */
            const char *more = memchr(next, '\n', (size_t)(stop - next));
            next = more + 1;
        }
        size_t value_len = (size_t)(next - value);
        char joined[1024];
        size_t j = 0;
        for (size_t k = 0; k < value_len && j + 1 < sizeof joined; k++)
            joined[j++] = value[k] == '\r' || value[k] == '\n' ? ' ' : value[k];
        size_t name_len = (size_t)(colon - line);
        while (name_len > 0 && (line[name_len - 1] == ' ' || line[name_len - 1] == '\t'))
            name_len--;
        take_header(line, name_len, joined, j, out);
        line = next;
    }
    return 0;
}

const struct sip_challenge *sip_response_challenge(const struct sip_response *response,
                                                   const char *scheme)
{
    for (size_t i = 0; i < response->challenges; i++)
        if (strcasecmp(response->challenge[i].scheme, scheme) == 0)
            return &response->challenge[i];
    return NULL;
}
