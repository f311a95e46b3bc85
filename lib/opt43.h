/* SPDX-License-Identifier: MPL-2.0 */
/* DHCP option 43 (RFC 2132 s8.4) as Lync phones use it: an RFC 2132 TLV list of
 * sub-options without an END byte, keyed by the vendor class in option 60. */
#ifndef LYNCBOOT_OPT43_H
#define LYNCBOOT_OPT43_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DHCP_OPTION_MAX 255

/* MS-UC-Client sub-options (Windows optiondef names in comments). */
enum {
    UCCLIENT_SUB_IDENTIFIER = 1, /* UCIdentifier: "MS-UC-Client" */
    UCCLIENT_SUB_URL_SCHEME = 2, /* URLScheme: "https" */
    UCCLIENT_SUB_WEB_FQDN = 3,   /* WebServerFqdn */
    UCCLIENT_SUB_WEB_PORT = 4,   /* WebServerPort: ASCII decimal, not a uint16 */
    UCCLIENT_SUB_CERT_PATH = 5,  /* CertProvRelPath */
};
#define CPE_OCPHONE_SUB_VLAN 10

#define VENDOR_CLASS_UC_CLIENT "MS-UC-Client"
#define VENDOR_CLASS_CPE_OCPHONE "CPE-OCPHONE"

/* A buffer of one encoded option value (without code and length bytes). */
struct opt_bytes {
    uint8_t data[DHCP_OPTION_MAX];
    size_t len;
};

/* One sub-option seen by the TLV walker; value points into the walked input. */
struct opt43_sub {
    uint8_t code;
    uint8_t len;
    const uint8_t *value;
};

/* Appends one sub-option; returns 0, or -1 if the option would pass 255 bytes. */
int opt43_append_sub(struct opt_bytes *opt, uint8_t code, const void *value, size_t len);

/* Walks the TLV list: *pos starts at 0. Returns 1 with the next sub-option, 0 at the
 * end, -1 if a sub-option runs past the input. PAD (0) is skipped, END (255) ends. */
int opt43_next_sub(const uint8_t *in, size_t len, size_t *pos, struct opt43_sub *sub);

/* The values that make up an MS-UC-Client option 43. */
struct ucclient_params {
    const char *url_scheme;     /* "https" */
    const char *web_fqdn;       /* pool web services FQDN */
    unsigned web_port;          /* 1-65535, sent as ASCII text */
    const char *cert_prov_path; /* "/CertProv/CertProvisioningService.svc" */
};

/* Encodes sub-options 1..5 in order. Returns 0, or -1 with a reason in err. */
int opt43_encode_ucclient(const struct ucclient_params *params, struct opt_bytes *out,
                          char *err, size_t errlen);

/* A decoded MS-UC-Client option 43: each field is a NUL-terminated copy, "" when
 * the sub-option was absent (its bit in present is then clear). */
struct ucclient_decoded {
    unsigned present; /* bit n set = sub-option n seen */
    char identifier[DHCP_OPTION_MAX + 1];
    char url_scheme[DHCP_OPTION_MAX + 1];
    char web_fqdn[DHCP_OPTION_MAX + 1];
    char web_port[DHCP_OPTION_MAX + 1];
    char cert_prov_path[DHCP_OPTION_MAX + 1];
};

/* Decodes an MS-UC-Client option 43. Returns 0, or -1 if the TLV list is broken. */
int opt43_decode_ucclient(const uint8_t *in, size_t len, struct ucclient_decoded *out);

/* How the voice VLAN id is written into CPE-OCPHONE sub-option 10; no source
 * confirms the phones' format, so the server side makes it a setting. */
enum vlan_format {
    VLAN_FORMAT_WORD,  /* 2 bytes big-endian (default) */
    VLAN_FORMAT_ASCII, /* decimal text */
    VLAN_FORMAT_BYTE,  /* 1 byte, VLAN <= 255 */
};

/* Returns 0 and the format for "word", "ascii" or "byte", else -1. */
int vlan_format_parse(const char *text, enum vlan_format *format);
const char *vlan_format_name(enum vlan_format format);

/* Encodes option 43 carrying sub-option 10 = vlan_id (1-4094). */
int opt43_encode_vlan(unsigned vlan_id, enum vlan_format format, struct opt_bytes *out,
                      char *err, size_t errlen);

/* Every reading of sub-option 10 a phone might make (it may be any format). */
struct vlan_decoded {
    bool present;
    uint8_t raw[DHCP_OPTION_MAX];
    size_t raw_len;
    int as_word;  /* -1 when the length is not 2 */
    int as_byte;  /* -1 when the length is not 1 */
    int as_ascii; /* -1 when it is not 1-4 decimal digits */
};

/* Decodes sub-option 10 from option 43. Returns 0 (present may be false), or -1 if
 * the TLV list is broken. */
int opt43_decode_vlan(const uint8_t *in, size_t len, struct vlan_decoded *out);

#ifdef __cplusplus
}
#endif

#endif
