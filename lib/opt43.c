/* SPDX-License-Identifier: MPL-2.0 */
#include "opt43.h"

#include <stdio.h>
#include <string.h>

#include "fqdn.h"
#include "errtext.h"

int opt43_append_sub(struct opt_bytes *opt, uint8_t code, const void *value, size_t len)
{
    if (len > DHCP_OPTION_MAX || opt->len + 2 + len > DHCP_OPTION_MAX)
        return -1;
    opt->data[opt->len++] = code;
    opt->data[opt->len++] = (uint8_t)len;
    memcpy(opt->data + opt->len, value, len);
    opt->len += len;
    return 0;
}

int opt43_next_sub(const uint8_t *in, size_t len, size_t *pos, struct opt43_sub *sub)
{
    while (*pos < len && in[*pos] == 0)
        (*pos)++; /* PAD */
    if (*pos >= len || in[*pos] == 255)
        return 0;
    if (len - *pos < 2)
        return -1;
    uint8_t sublen = in[*pos + 1];
    if (sublen > len - *pos - 2)
        return -1;
    sub->code = in[*pos];
    sub->len = sublen;
    sub->value = in + *pos + 2;
    *pos += 2u + sublen;
    return 1;
}

static int is_url_path(const char *path)
{
    if (path[0] != '/')
        return 0;
    for (const char *p = path; *p != '\0'; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return 0;
    return 1;
}

static int is_url_scheme(const char *scheme)
{
    if (!(scheme[0] >= 'a' && scheme[0] <= 'z'))
        return 0;
    for (const char *p = scheme; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '+' ||
              *p == '-' || *p == '.'))
            return 0;
    return strlen(scheme) <= 32;
}

int opt43_encode_ucclient(const struct ucclient_params *params, struct opt_bytes *out,
                          char *err, size_t errlen)
{
    char reason[128];
    out->len = 0;
    if (params->url_scheme == NULL || !is_url_scheme(params->url_scheme))
        return errtext_fail(err, errlen, "URL scheme must be lower-case letters (e.g. https)");
    if (params->web_fqdn == NULL || fqdn_validate(params->web_fqdn, reason, sizeof reason)) {
        char msg[192];
        snprintf(msg, sizeof msg, "web server FQDN: %s",
                 params->web_fqdn == NULL ? "missing" : reason);
        return errtext_fail(err, errlen, "%s", msg);
    }
    if (params->web_port < 1 || params->web_port > 65535)
        return errtext_fail(err, errlen, "port must be 1-65535");
    if (params->cert_prov_path == NULL || !is_url_path(params->cert_prov_path))
        return errtext_fail(err, errlen,
                    "certificate provisioning path must start with / and hold "
                    "printable ASCII without spaces");

    char port[8];
    size_t fqdn_len = strlen(params->web_fqdn);
    if (params->web_fqdn[fqdn_len - 1] == '.')
        fqdn_len--; /* the phone builds a URL from it: no root dot */
    snprintf(port, sizeof port, "%u", params->web_port);
    if (opt43_append_sub(out, UCCLIENT_SUB_IDENTIFIER, VENDOR_CLASS_UC_CLIENT,
                         strlen(VENDOR_CLASS_UC_CLIENT)) ||
        opt43_append_sub(out, UCCLIENT_SUB_URL_SCHEME, params->url_scheme,
                         strlen(params->url_scheme)) ||
        opt43_append_sub(out, UCCLIENT_SUB_WEB_FQDN, params->web_fqdn, fqdn_len) ||
        opt43_append_sub(out, UCCLIENT_SUB_WEB_PORT, port, strlen(port)) ||
        opt43_append_sub(out, UCCLIENT_SUB_CERT_PATH, params->cert_prov_path,
                         strlen(params->cert_prov_path))) {
        out->len = 0;
        return errtext_fail(err, errlen, "option 43 would be longer than 255 bytes");
    }
    return 0;
}

int opt43_decode_ucclient(const uint8_t *in, size_t len, struct ucclient_decoded *out)
{
    memset(out, 0, sizeof *out);
    size_t pos = 0;
    struct opt43_sub sub;
    int rc;
    while ((rc = opt43_next_sub(in, len, &pos, &sub)) == 1) {
        char *field;
        switch (sub.code) {
        case UCCLIENT_SUB_IDENTIFIER: field = out->identifier; break;
        case UCCLIENT_SUB_URL_SCHEME: field = out->url_scheme; break;
        case UCCLIENT_SUB_WEB_FQDN: field = out->web_fqdn; break;
        case UCCLIENT_SUB_WEB_PORT: field = out->web_port; break;
        case UCCLIENT_SUB_CERT_PATH: field = out->cert_prov_path; break;
        default: continue; /* unknown sub-options are skipped, as a phone would */
        }
        memcpy(field, sub.value, sub.len); /* sub.len <= 255 < field size */
        field[sub.len] = '\0';
        out->present |= 1u << sub.code;
    }
    return rc;
}

int vlan_format_parse(const char *text, enum vlan_format *format)
{
    if (strcmp(text, "word") == 0)
        *format = VLAN_FORMAT_WORD;
    else if (strcmp(text, "ascii") == 0)
        *format = VLAN_FORMAT_ASCII;
    else if (strcmp(text, "byte") == 0)
        *format = VLAN_FORMAT_BYTE;
    else
        return -1;
    return 0;
}

const char *vlan_format_name(enum vlan_format format)
{
    switch (format) {
    case VLAN_FORMAT_ASCII: return "ascii";
    case VLAN_FORMAT_BYTE: return "byte";
    case VLAN_FORMAT_WORD: break;
    }
    return "word";
}

int opt43_encode_vlan(unsigned vlan_id, enum vlan_format format, struct opt_bytes *out,
                      char *err, size_t errlen)
{
    out->len = 0;
    if (vlan_id < 1 || vlan_id > 4094)
        return errtext_fail(err, errlen, "VLAN id must be 1-4094");
    uint8_t value[4];
    size_t len;
    switch (format) {
    case VLAN_FORMAT_BYTE:
        if (vlan_id > 255)
            return errtext_fail(err, errlen, "VLAN id above 255 does not fit vlan-id-format byte");
        value[0] = (uint8_t)vlan_id;
        len = 1;
        break;
    case VLAN_FORMAT_ASCII: {
        char text[8];
        len = (size_t)snprintf(text, sizeof text, "%u", vlan_id);
        memcpy(value, text, len);
        break;
    }
    case VLAN_FORMAT_WORD:
    default:
        value[0] = (uint8_t)(vlan_id >> 8);
        value[1] = (uint8_t)vlan_id;
        len = 2;
        break;
    }
    return opt43_append_sub(out, CPE_OCPHONE_SUB_VLAN, value, len);
}

int opt43_decode_vlan(const uint8_t *in, size_t len, struct vlan_decoded *out)
{
    memset(out, 0, sizeof *out);
    out->as_word = out->as_byte = out->as_ascii = -1;
    size_t pos = 0;
    struct opt43_sub sub;
    int rc;
    while ((rc = opt43_next_sub(in, len, &pos, &sub)) == 1) {
        if (sub.code != CPE_OCPHONE_SUB_VLAN)
            continue;
        out->present = true;
        memcpy(out->raw, sub.value, sub.len);
        out->raw_len = sub.len;
        if (sub.len == 1)
            out->as_byte = sub.value[0];
        if (sub.len == 2)
            out->as_word = (sub.value[0] << 8) | sub.value[1];
        if (sub.len >= 1 && sub.len <= 4) {
            int value = 0;
            for (size_t i = 0; i < sub.len && value >= 0; i++)
                value = (sub.value[i] >= '0' && sub.value[i] <= '9')
                            ? value * 10 + (sub.value[i] - '0')
                            : -1;
            out->as_ascii = value;
        }
    }
    return rc;
}
