/* SPDX-License-Identifier: MPL-2.0 */
/* The Lync settings of one scope (global, shared network or subnet), the keys that
 * set them, and the option bytes built from them. Server adapters translate their
 * configuration into lync_settings_set() calls; inheritance is a struct copy. */
#ifndef LYNCBOOT_LYNC_SETTINGS_H
#define LYNCBOOT_LYNC_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "dhcp4_msg.h"
#include "fqdn.h"
#include "opt43.h"
#include "opt_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LYNC_MAX_SIP_SERVERS 8

#define LYNC_DEFAULT_WEB_PORT 443
#define LYNC_DEFAULT_URL_SCHEME "https"
#define LYNC_DEFAULT_CERT_PROV_PATH "/CertProv/CertProvisioningService.svc"

enum lync_scope {
    LYNC_SCOPE_GLOBAL,  /* the hook's own parameters */
    LYNC_SCOPE_NETWORK, /* a subnet's or shared network's user-context */
};

struct lync_settings {
    char sip_servers[LYNC_MAX_SIP_SERVERS][FQDN_TEXT_SIZE];
    size_t sip_server_count;
    char web_server[FQDN_TEXT_SIZE]; /* "" = the first SIP server */
    unsigned web_port;
    char url_scheme[33];
    char cert_prov_path[DHCP_OPTION_MAX + 1];
    char ntp_servers[OPT42_MAX_SERVERS][16];
    size_t ntp_server_count;
    bool has_time_offset;
    long long time_offset;
    enum vlan_format vlan_format;
    unsigned voice_vlan; /* 0 = not a data subnet */
    bool enabled;
};

/* A configuration value, as the adapter found it. */
enum lync_value_type {
    LYNC_VALUE_STRING,
    LYNC_VALUE_INTEGER,
    LYNC_VALUE_BOOLEAN,
    LYNC_VALUE_STRING_LIST,
    LYNC_VALUE_OTHER, /* anything else; type_name says what */
};

struct lync_value {
    enum lync_value_type type;
    const char *text;
    long long integer;
    bool boolean;
    const char *const *items;
    size_t count;
    const char *type_name; /* "map", "real", "list of integer", ... */
};

void lync_settings_defaults(struct lync_settings *settings);

/* Applies one key. Returns 0, or -1 with an error that names the key. The settings
 * are unchanged on error. */
int lync_settings_set(struct lync_settings *settings, enum lync_scope scope,
                      const char *key, const struct lync_value *value, char *err,
                      size_t errlen);

/* Every option a scope answers with, precomputed. */
struct lync_optset {
    bool enabled;
    struct opt_bytes uc_opt43; /* MS-UC-Client option 43 */
    struct opt_bytes opt120;
    bool has_ntp;
    struct opt_bytes opt42;
    bool has_time_offset;
    struct opt_bytes opt2;
    bool has_vlan;
    struct opt_bytes vlan_opt43; /* CPE-OCPHONE option 43 */
};

/* The options a reply gets, sorted by code, as dhcp4_replace_options() takes them:
 * for vendor class MS-UC-Client (43, 120, and 42, 2 where configured) and for
 * CPE-OCPHONE (43 with the voice VLAN). Return the count (0 when none); out holds 4. */
size_t lync_optset_uc_client_refs(const struct lync_optset *optset,
                                  struct dhcp4_option_ref out[4]);
size_t lync_optset_vlan_refs(const struct lync_optset *optset,
                             struct dhcp4_option_ref out[4]);

/* Builds the option bytes. Returns 0, or -1 with an error that names the key
 * (a missing sip-server, an option that would pass 255 bytes). */
int lync_optset_build(const struct lync_settings *settings, struct lync_optset *optset,
                      char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
