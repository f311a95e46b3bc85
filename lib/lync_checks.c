/* SPDX-License-Identifier: MPL-2.0 */
#define _POSIX_C_SOURCE 200809L
#include "lync_checks.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errtext.h"
#include "fqdn.h"
#include "opt120.h"
#include "opt43.h"

/* Text from a DHCP packet as a problem quotes it: at most max bytes, \xNN escaped. */
static const char *quoted(const char *in, size_t max, char *out, size_t cap)
{
    return errtext_quote(in, strnlen(in, max), out, cap);
}

/* A URL scheme (RFC 3986 s3.1): a letter, then letters, digits, '+', '-', '.'. */
static int scheme_valid(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '+' && *s != '-' && *s != '.')
            return 0;
    return 1;
}

/* A URL path: '/', then printable ASCII without blanks. */
static int path_valid(const char *s)
{
    if (s[0] != '/')
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return 0;
    return 1;
}

static void problem(struct lync_problems *p, const char *fmt, ...)
{
    if (p->count >= LYNC_CHECK_MAX_PROBLEMS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->text[p->count++], LYNC_CHECK_TEXT, fmt, ap);
    va_end(ap);
}

void lync_check_uc_option43(const uint8_t *opt43, size_t len, char *url, size_t url_size,
                            struct lync_problems *p)
{
    struct ucclient_decoded dec;
    char reason[128];
    url[0] = '\0';
    if (opt43 == NULL || len == 0) {
        problem(p, "no option 43: the phone cannot find the certificate provisioning "
                   "service (is the vendor class MS-UC-Client defined, in this exact case?)");
        return;
    }
    if (opt43_decode_ucclient(opt43, len, &dec) != 0) {
        problem(p, "option 43 is not a valid sub-option list (a length runs past the end; "
                   "typed as a string instead of binary?)");
        return;
    }
    static const char *const names[] = {NULL, "1 (UC Identifier)", "2 (URL Scheme)",
                                        "3 (Web Server FQDN)", "4 (Port)",
                                        "5 (Relative Path for Cert Prov)"};
    int complete = 1;
    char q[4 * 100 + 1];
    for (int sub = 1; sub <= 5; sub++) {
        if (!(dec.present & (1u << sub))) {
            problem(p, "option 43 lacks sub-option %s", names[sub]);
            complete = 0;
        }
    }
    if ((dec.present & 2u) && strcmp(dec.identifier, "MS-UC-Client") != 0)
        problem(p, "sub-option 1 is '%s', not 'MS-UC-Client'",
                quoted(dec.identifier, 60, q, sizeof q));
    if ((dec.present & 4u) && strcmp(dec.url_scheme, "https") != 0) {
        problem(p, "sub-option 2 (URL scheme) is '%s'; phones expect 'https'",
                quoted(dec.url_scheme, 40, q, sizeof q));
        complete &= scheme_valid(dec.url_scheme); /* http is wrong, but still a URL */
    }
    /* No URL from a part that is not what it claims: callers print it and go on to
     * DNS, HTTP and TLS with its host. */
    if ((dec.present & 8u) && fqdn_validate(dec.web_fqdn, reason, sizeof reason) != 0) {
        problem(p, "sub-option 3 '%s' is not a valid FQDN: %s",
                quoted(dec.web_fqdn, 80, q, sizeof q), reason);
        complete = 0;
    }
    if (dec.present & 16u) {
        char *end;
        long port = strtol(dec.web_port, &end, 10);
        if (dec.web_port[0] < '1' || dec.web_port[0] > '9' || *end != '\0' || port > 65535) {
            if (strlen(dec.web_port) == 2)
                problem(p, "sub-option 4 (port) is 2 binary bytes (%u); phones expect "
                           "ASCII text such as '443' (hex 343433)",
                        ((unsigned)(uint8_t)dec.web_port[0] << 8) | (uint8_t)dec.web_port[1]);
            else
                problem(p, "sub-option 4 (port) '%s' is not a decimal port",
                        quoted(dec.web_port, 20, q, sizeof q));
            complete = 0;
        }
    }
    if ((dec.present & 32u) && !path_valid(dec.cert_prov_path)) {
        problem(p, dec.cert_prov_path[0] != '/'
                       ? "sub-option 5 (path) '%s' does not start with '/'"
                       : "sub-option 5 (path) '%s' holds blanks or bytes that are not ASCII",
                quoted(dec.cert_prov_path, 80, q, sizeof q));
        complete = 0;
    }
    if (complete)
        snprintf(url, url_size, "%s://%s:%s%s", dec.url_scheme, dec.web_fqdn, dec.web_port,
                 dec.cert_prov_path);
}

void lync_check_option120(const uint8_t *opt120, size_t len, char *registrar,
                          size_t registrar_size, struct lync_problems *p)
{
    struct opt120_decoded dec;
    char reason[128];
    registrar[0] = '\0';
    if (opt120 == NULL || len == 0) {
        problem(p, "no option 120: the phone finds its registrar through DNS only");
        return;
    }
    if (len >= 1 && opt120[0] != 0 && opt120[0] != 1) {
        problem(p, "option 120 starts with %u, not the encoding byte 0 (names) or 1 "
                   "(addresses): is the leading 00 missing?", opt120[0]);
        return;
    }
    if (opt120_decode(opt120, len, &dec, reason, sizeof reason) != 0) {
        problem(p, "%s (is the trailing 00 missing?)", reason);
        return;
    }
    if (dec.encoding == OPT120_ENC_ADDRESSES)
        problem(p, "option 120 lists IPv4 addresses (encoding 1); TLS to the registrar "
                   "needs its name: use encoding 0 with the pool FQDN");
    char q[4 * 80 + 1];
    int first_valid = 0;
    for (size_t i = 0; i < dec.count && dec.encoding == OPT120_ENC_NAMES; i++) {
        int valid = fqdn_validate(dec.entries[i], reason, sizeof reason) == 0;
        if (!valid)
            problem(p, "option 120 name '%s': %s", quoted(dec.entries[i], 80, q, sizeof q),
                    reason);
        if (i == 0)
            first_valid = valid;
    }
    /* The registrar the phone would use: the first name, only when it is one. */
    if (dec.count > 0 && (dec.encoding != OPT120_ENC_NAMES || first_valid))
        snprintf(registrar, registrar_size, "%s", dec.entries[0]);
}
