/* SPDX-License-Identifier: MPL-2.0 */
#include "lync_settings.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "opt120.h"
#include "errtext.h"

void lync_settings_defaults(struct lync_settings *settings)
{
    memset(settings, 0, sizeof *settings);
    settings->web_port = LYNC_DEFAULT_WEB_PORT;
    snprintf(settings->url_scheme, sizeof settings->url_scheme, "%s",
             LYNC_DEFAULT_URL_SCHEME);
    snprintf(settings->cert_prov_path, sizeof settings->cert_prov_path, "%s",
             LYNC_DEFAULT_CERT_PROV_PATH);
    settings->vlan_format = VLAN_FORMAT_WORD;
    settings->enabled = true;
}

static const char *value_type_name(const struct lync_value *value)
{
    switch (value->type) {
    case LYNC_VALUE_STRING: return "string";
    case LYNC_VALUE_INTEGER: return "integer";
    case LYNC_VALUE_BOOLEAN: return "boolean";
    case LYNC_VALUE_STRING_LIST: return "list";
    case LYNC_VALUE_OTHER: break;
    }
    return value->type_name != NULL ? value->type_name : "unknown type";
}

/* A string or a list of strings, as one list. */
static int as_string_list(const char *key, const struct lync_value *value,
                          const char *const **items, size_t *count, char *err,
                          size_t errlen)
{
    if (value->type == LYNC_VALUE_STRING) {
        *items = &value->text;
        *count = 1;
        return 0;
    }
    if (value->type == LYNC_VALUE_STRING_LIST) {
        if (value->count == 0)
            return errtext_fail(err, errlen, "parameter '%s' must not be an empty list", key);
        *items = value->items;
        *count = value->count;
        return 0;
    }
    return errtext_fail(err, errlen, "parameter '%s' must be a string or a list of strings (got %s)",
                key, value_type_name(value));
}

static int set_sip_server(struct lync_settings *s, const char *key,
                          const struct lync_value *value, char *err, size_t errlen)
{
    const char *const *items;
    size_t count;
    if (as_string_list(key, value, &items, &count, err, errlen) != 0)
        return -1;
    if (count > LYNC_MAX_SIP_SERVERS)
        return errtext_fail(err, errlen, "parameter '%s' lists more than %d servers", key,
                    LYNC_MAX_SIP_SERVERS);
    /* All names (option 120 encoding 0) or all IPv4 addresses (encoding 1). */
    uint8_t addr[4];
    bool first_is_address = ipv4_parse(items[0], addr) == 0;
    for (size_t i = 0; i < count; i++) {
        char reason[128];
        if ((ipv4_parse(items[i], addr) == 0) != first_is_address)
            return errtext_fail(err, errlen,
                        "parameter '%s' mixes names and IPv4 addresses (RFC 3361 allows "
                        "one kind per option)", key);
        if (!first_is_address && fqdn_validate(items[i], reason, sizeof reason) != 0)
            return errtext_fail(err, errlen, "parameter '%s': '%s' is not a valid FQDN: %s", key,
                        items[i], reason);
    }
    for (size_t i = 0; i < count; i++)
        snprintf(s->sip_servers[i], sizeof s->sip_servers[i], "%s", items[i]);
    s->sip_server_count = count;
    return 0;
}

static int set_web_server(struct lync_settings *s, const char *key,
                          const struct lync_value *value, char *err, size_t errlen)
{
    char reason[128];
    if (value->type != LYNC_VALUE_STRING)
        return errtext_fail(err, errlen, "parameter '%s' must be a string (got %s)", key,
                    value_type_name(value));
    if (fqdn_validate(value->text, reason, sizeof reason) != 0)
        return errtext_fail(err, errlen, "parameter '%s': '%s' is not a valid FQDN: %s", key,
                    value->text, reason);
    snprintf(s->web_server, sizeof s->web_server, "%s", value->text);
    return 0;
}

static int get_integer(const char *key, const struct lync_value *value, long long min,
                       long long max, long long *out, char *err, size_t errlen)
{
    if (value->type != LYNC_VALUE_INTEGER)
        return errtext_fail(err, errlen, "parameter '%s' must be an integer (got %s)", key,
                    value_type_name(value));
    if (value->integer < min || value->integer > max)
        return errtext_fail(err, errlen, "parameter '%s' must be %lld-%lld (got %lld)", key, min,
                    max, value->integer);
    *out = value->integer;
    return 0;
}

static int set_web_port(struct lync_settings *s, const char *key,
                        const struct lync_value *value, char *err, size_t errlen)
{
    long long port = 0;
    if (get_integer(key, value, 1, 65535, &port, err, errlen) != 0)
        return -1;
    s->web_port = (unsigned)port;
    return 0;
}

static int set_url_scheme(struct lync_settings *s, const char *key,
                          const struct lync_value *value, char *err, size_t errlen)
{
    if (value->type != LYNC_VALUE_STRING)
        return errtext_fail(err, errlen, "parameter '%s' must be a string (got %s)", key,
                    value_type_name(value));
    if (strcmp(value->text, "https") != 0 && strcmp(value->text, "http") != 0)
        return errtext_fail(err, errlen, "parameter '%s' must be \"https\" or \"http\" (got \"%s\")",
                    key, value->text);
    snprintf(s->url_scheme, sizeof s->url_scheme, "%s", value->text);
    return 0;
}

static int set_cert_prov_path(struct lync_settings *s, const char *key,
                              const struct lync_value *value, char *err, size_t errlen)
{
    if (value->type != LYNC_VALUE_STRING)
        return errtext_fail(err, errlen, "parameter '%s' must be a string (got %s)", key,
                    value_type_name(value));
    const char *p = value->text;
    if (p[0] != '/')
        return errtext_fail(err, errlen, "parameter '%s' must start with '/'", key);
    if (strlen(p) > DHCP_OPTION_MAX - 2)
        return errtext_fail(err, errlen, "parameter '%s' is longer than 253 characters", key);
    for (; *p != '\0'; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return errtext_fail(err, errlen,
                        "parameter '%s' must be printable ASCII without spaces", key);
    snprintf(s->cert_prov_path, sizeof s->cert_prov_path, "%s", value->text);
    return 0;
}

static int set_ntp_servers(struct lync_settings *s, const char *key,
                           const struct lync_value *value, char *err, size_t errlen)
{
    const char *const *items;
    size_t count;
    if (as_string_list(key, value, &items, &count, err, errlen) != 0)
        return -1;
    if (count > OPT42_MAX_SERVERS)
        return errtext_fail(err, errlen, "parameter '%s' lists more than %d servers", key,
                    OPT42_MAX_SERVERS);
    for (size_t i = 0; i < count; i++) {
        uint8_t addr[4];
        if (ipv4_parse(items[i], addr) != 0)
            return errtext_fail(err, errlen, "parameter '%s': '%s' is not an IPv4 address", key,
                        items[i]);
    }
    for (size_t i = 0; i < count; i++)
        snprintf(s->ntp_servers[i], sizeof s->ntp_servers[i], "%s", items[i]);
    s->ntp_server_count = count;
    return 0;
}

static int set_time_offset(struct lync_settings *s, const char *key,
                           const struct lync_value *value, char *err, size_t errlen)
{
    long long offset = 0;
    if (get_integer(key, value, -86400, 86400, &offset, err, errlen) != 0)
        return -1;
    s->has_time_offset = true;
    s->time_offset = offset;
    return 0;
}

static int set_vlan_id_format(struct lync_settings *s, const char *key,
                              const struct lync_value *value, char *err, size_t errlen)
{
    enum vlan_format format;
    if (value->type != LYNC_VALUE_STRING)
        return errtext_fail(err, errlen, "parameter '%s' must be a string (got %s)", key,
                    value_type_name(value));
    if (vlan_format_parse(value->text, &format) != 0)
        return errtext_fail(err, errlen,
                    "parameter '%s' must be \"word\", \"ascii\" or \"byte\" (got \"%s\")", key,
                    value->text);
    s->vlan_format = format;
    return 0;
}

static int set_voice_vlan(struct lync_settings *s, const char *key,
                          const struct lync_value *value, char *err, size_t errlen)
{
    long long vlan = 0;
    if (get_integer(key, value, 1, 4094, &vlan, err, errlen) != 0)
        return -1;
    s->voice_vlan = (unsigned)vlan;
    return 0;
}

static int set_enabled(struct lync_settings *s, const char *key,
                       const struct lync_value *value, char *err, size_t errlen)
{
    if (value->type != LYNC_VALUE_BOOLEAN)
        return errtext_fail(err, errlen, "parameter '%s' must be a boolean (got %s)", key,
                    value_type_name(value));
    s->enabled = value->boolean;
    return 0;
}

typedef int (*setter_fn)(struct lync_settings *, const char *, const struct lync_value *,
                         char *, size_t);

static const struct {
    const char *key;
    bool network_only; /* meaningful per subnet, not for the whole server */
    setter_fn set;
} keys[] = {
    {"sip-server", false, set_sip_server},
    {"web-server", false, set_web_server},
    {"web-port", false, set_web_port},
    {"url-scheme", false, set_url_scheme},
    {"cert-prov-path", false, set_cert_prov_path},
    {"ntp-servers", false, set_ntp_servers},
    {"time-offset", false, set_time_offset},
    {"vlan-id-format", false, set_vlan_id_format},
    {"voice-vlan", true, set_voice_vlan},
    {"enabled", true, set_enabled},
};

int lync_settings_set(struct lync_settings *settings, enum lync_scope scope,
                      const char *key, const struct lync_value *value, char *err,
                      size_t errlen)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(keys[i].key, key) != 0)
            continue;
        if (keys[i].network_only && scope == LYNC_SCOPE_GLOBAL)
            return errtext_fail(err, errlen,
                        "parameter '%s' belongs in a subnet's or shared network's "
                        "user-context, not in the hook parameters", key);
        /* Work on a copy so a failed key leaves the settings as they were. */
        struct lync_settings candidate = *settings;
        if (keys[i].set(&candidate, key, value, err, errlen) != 0)
            return -1;
        *settings = candidate;
        return 0;
    }
    return errtext_fail(err, errlen, "unknown parameter '%s'", key);
}

int lync_optset_build(const struct lync_settings *s, struct lync_optset *o, char *err,
                      size_t errlen)
{
    char reason[256];
    memset(o, 0, sizeof *o);
    o->enabled = s->enabled;
    if (!s->enabled)
        return 0;
    if (s->sip_server_count == 0)
        return errtext_fail(err, errlen, "missing parameter 'sip-server'");

    const char *names[LYNC_MAX_SIP_SERVERS];
    for (size_t i = 0; i < s->sip_server_count; i++)
        names[i] = s->sip_servers[i];
    uint8_t addr[4];
    bool addresses = ipv4_parse(names[0], addr) == 0;
    int rc = addresses ? opt120_encode_addresses(names, s->sip_server_count, &o->opt120,
                                                 reason, sizeof reason)
                       : opt120_encode_names(names, s->sip_server_count, &o->opt120,
                                             reason, sizeof reason);
    if (rc != 0)
        return errtext_fail(err, errlen, "parameter 'sip-server': %s", reason);

    const char *web = s->web_server[0] != '\0' ? s->web_server : names[0];
    if (s->web_server[0] == '\0' && addresses)
        return errtext_fail(err, errlen,
                    "parameter 'web-server' is required when 'sip-server' lists addresses");
    struct ucclient_params params = {
        .url_scheme = s->url_scheme,
        .web_fqdn = web,
        .web_port = s->web_port,
        .cert_prov_path = s->cert_prov_path,
    };
    if (opt43_encode_ucclient(&params, &o->uc_opt43, reason, sizeof reason) != 0)
        return errtext_fail(err, errlen, "parameter '%s': %s",
                    s->web_server[0] != '\0' ? "web-server" : "sip-server", reason);

    if (s->ntp_server_count > 0) {
        const char *ntp[OPT42_MAX_SERVERS];
        for (size_t i = 0; i < s->ntp_server_count; i++)
            ntp[i] = s->ntp_servers[i];
        if (opt42_encode(ntp, s->ntp_server_count, &o->opt42, reason, sizeof reason) != 0)
            return errtext_fail(err, errlen, "parameter 'ntp-servers': %s", reason);
        o->has_ntp = true;
    }
    if (s->has_time_offset) {
        if (opt2_encode(s->time_offset, &o->opt2, reason, sizeof reason) != 0)
            return errtext_fail(err, errlen, "parameter 'time-offset': %s", reason);
        o->has_time_offset = true;
    }
    if (s->voice_vlan != 0) {
        if (opt43_encode_vlan(s->voice_vlan, s->vlan_format, &o->vlan_opt43, reason,
                              sizeof reason) != 0)
            return errtext_fail(err, errlen, "parameter 'voice-vlan': %s", reason);
        o->has_vlan = true;
    }
    return 0;
}

static void add_ref(struct dhcp4_option_ref *out, size_t *n, uint8_t code,
                    const struct opt_bytes *bytes)
{
    out[*n].code = code;
    out[*n].value = bytes->data;
    out[*n].len = bytes->len;
    (*n)++;
}

size_t lync_optset_uc_client_refs(const struct lync_optset *o, struct dhcp4_option_ref out[4])
{
    size_t n = 0;
    if (!o->enabled)
        return 0;
    if (o->has_time_offset)
        add_ref(out, &n, 2, &o->opt2);
    if (o->has_ntp)
        add_ref(out, &n, 42, &o->opt42);
    add_ref(out, &n, 43, &o->uc_opt43);
    add_ref(out, &n, 120, &o->opt120);
    return n;
}

size_t lync_optset_vlan_refs(const struct lync_optset *o, struct dhcp4_option_ref out[4])
{
    size_t n = 0;
    if (o->enabled && o->has_vlan)
        add_ref(out, &n, 43, &o->vlan_opt43);
    return n;
}
