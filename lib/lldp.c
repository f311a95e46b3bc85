/* SPDX-License-Identifier: MPL-2.0 */
#include "lldp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errtext.h"
#include "mac_text.h"

static const uint8_t OUI_IEEE_8021[3] = {0x00, 0x80, 0xc2};
static const uint8_t OUI_TIA_MED[3] = {0x00, 0x12, 0xbb};
enum { IEEE_8021_PORT_VLAN_ID = 1, IEEE_8021_VLAN_NAME = 3 };
/* 802.1AB 8.5.2-8.5.3: an ID is a subtype byte and 1-255 bytes. */
enum { LLDP_ID_MIN = 2, LLDP_ID_MAX = 256 };
/* TIA-1057 10.2.6: inventory strings are at most 32 bytes. */
enum { MED_INVENTORY_MAX = 32 };
/* A TLV's length is 9 bits. */
enum { LLDP_TLV_LEN_MAX = 511 };

const char *med_application_name(unsigned application)
{
    static const char *const names[] = {
        "reserved", "voice", "voice-signaling", "guest-voice", "guest-voice-signaling",
        "softphone-voice", "video-conferencing", "streaming-video", "video-signaling"};
    return application < sizeof names / sizeof names[0] ? names[application] : "unknown";
}

int lldp_next_tlv(const uint8_t *in, size_t len, size_t *pos, struct lldp_tlv *tlv)
{
    if (*pos + 2 > len)
        return *pos == len ? 0 : -1;
    tlv->type = in[*pos] >> 1;
    tlv->len = (uint16_t)(((in[*pos] & 1) << 8) | in[*pos + 1]);
    if (*pos + 2 + tlv->len > len)
        return -1;
    tlv->value = in + *pos + 2;
    *pos += 2 + (size_t)tlv->len;
    return tlv->type == LLDP_TLV_END ? 0 : 1;
}

void med_policy_encode(const struct med_policy *policy, uint8_t out[4])
{
    uint32_t bits = (policy->unknown ? 1u << 23 : 0) | (policy->tagged ? 1u << 22 : 0) |
                    (uint32_t)(policy->vlan_id & 0x0fff) << 9 |
                    (uint32_t)(policy->priority & 7) << 6 | (policy->dscp & 0x3f);
    out[0] = policy->application;
    out[1] = (uint8_t)(bits >> 16);
    out[2] = (uint8_t)(bits >> 8);
    out[3] = (uint8_t)bits;
}

int med_policy_decode(const uint8_t *in, size_t len, struct med_policy *policy)
{
    if (len != 4)
        return -1;
    uint32_t bits = (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 | in[3];
    policy->application = in[0];
    policy->unknown = bits >> 23 & 1;
    policy->tagged = bits >> 22 & 1;
    policy->vlan_id = (uint16_t)(bits >> 9 & 0x0fff);
    policy->priority = (uint8_t)(bits >> 6 & 7);
    policy->dscp = (uint8_t)(bits & 0x3f);
    return 0;
}

/* The encoder's output buffer. */
struct pdu {
    uint8_t *out;
    size_t cap, len;
};

static int put_tlv(struct pdu *pdu, unsigned type, const uint8_t *head, size_t head_len,
                   const void *value, size_t len, char *err, size_t errlen)
{
    size_t total = head_len + len;
    if (total > LLDP_TLV_LEN_MAX)
        return errtext_fail(err, errlen, "LLDP TLV %u would be %zu bytes (511 at most)", type,
                            total);
    if (pdu->len + 2 + total > pdu->cap)
        return errtext_fail(err, errlen, "LLDPDU longer than its buffer (%zu bytes)",
                            pdu->cap);
    pdu->out[pdu->len++] = (uint8_t)(type << 1 | total >> 8);
    pdu->out[pdu->len++] = (uint8_t)total;
    if (head_len)
        memcpy(pdu->out + pdu->len, head, head_len);
    if (len)
        memcpy(pdu->out + pdu->len + head_len, value, len);
    pdu->len += total;
    return 0;
}

static int put_med(struct pdu *pdu, uint8_t subtype, const void *value, size_t len,
                   char *err, size_t errlen)
{
    uint8_t head[4] = {OUI_TIA_MED[0], OUI_TIA_MED[1], OUI_TIA_MED[2], subtype};
    return put_tlv(pdu, LLDP_TLV_ORGANIZATIONAL, head, sizeof head, value, len, err, errlen);
}

static int put_inventory(struct pdu *pdu, uint8_t subtype, const char *text, char *err,
                         size_t errlen)
{
    if (!text || !*text)
        return 0;
    size_t len = strlen(text);
    if (len > MED_INVENTORY_MAX)
        return errtext_fail(err, errlen, "LLDP-MED inventory '%s' is longer than 32 bytes",
                            text);
    return put_med(pdu, subtype, text, len, err, errlen);
}

int lldp_encode_endpoint(const struct lldp_endpoint *endpoint, uint8_t *out, size_t cap,
                         char *err, size_t errlen)
{
    struct pdu pdu = {out, cap, 0};
    uint8_t chassis_subtype = LLDP_CHASSIS_MAC, port_subtype = LLDP_PORT_MAC;
    uint8_t ttl[2] = {(uint8_t)(endpoint->ttl >> 8), (uint8_t)endpoint->ttl};
    uint8_t capabilities[4] = {0, LLDP_CAP_TELEPHONE, 0, LLDP_CAP_TELEPHONE};
    uint8_t med_capabilities[3] = {
        0, MED_CAP_CAPABILITIES | MED_CAP_NETWORK_POLICY | MED_CAP_INVENTORY,
        MED_CLASS_ENDPOINT_III};
    /* A phone that has no policy yet says so for voice: the switch answers with its own. */
    struct med_policy asking = {.application = MED_APP_VOICE, .unknown = true};
    uint8_t policy[4];
    med_policy_encode(&asking, policy);
    if (endpoint->ttl > 65535)
        return errtext_fail(err, errlen, "LLDP TTL %u is more than 65535 s", endpoint->ttl);
    if (put_tlv(&pdu, LLDP_TLV_CHASSIS_ID, &chassis_subtype, 1, endpoint->mac, 6, err,
                errlen) ||
        put_tlv(&pdu, LLDP_TLV_PORT_ID, &port_subtype, 1, endpoint->mac, 6, err, errlen) ||
        put_tlv(&pdu, LLDP_TLV_TTL, NULL, 0, ttl, 2, err, errlen))
        return -1;
    if (endpoint->interface && *endpoint->interface &&
        put_tlv(&pdu, LLDP_TLV_PORT_DESCRIPTION, NULL, 0, endpoint->interface,
                strlen(endpoint->interface), err, errlen))
        return -1;
    if (endpoint->system_name && *endpoint->system_name &&
        put_tlv(&pdu, LLDP_TLV_SYSTEM_NAME, NULL, 0, endpoint->system_name,
                strlen(endpoint->system_name), err, errlen))
        return -1;
    if (put_tlv(&pdu, LLDP_TLV_SYSTEM_CAPABILITIES, NULL, 0, capabilities, 4, err, errlen) ||
        put_med(&pdu, MED_SUBTYPE_CAPABILITIES, med_capabilities, 3, err, errlen) ||
        put_med(&pdu, MED_SUBTYPE_NETWORK_POLICY, policy, 4, err, errlen) ||
        put_inventory(&pdu, MED_SUBTYPE_SOFTWARE_REVISION, endpoint->software, err, errlen) ||
        put_inventory(&pdu, MED_SUBTYPE_MANUFACTURER, endpoint->manufacturer, err, errlen) ||
        put_inventory(&pdu, MED_SUBTYPE_MODEL, endpoint->model, err, errlen) ||
        put_tlv(&pdu, LLDP_TLV_END, NULL, 0, NULL, 0, err, errlen))
        return -1;
    return (int)pdu.len;
}

int lldp_encode_shutdown(const struct lldp_endpoint *endpoint, uint8_t *out, size_t cap)
{
    struct pdu pdu = {out, cap, 0};
    uint8_t chassis_subtype = LLDP_CHASSIS_MAC, port_subtype = LLDP_PORT_MAC, ttl[2] = {0, 0};
    if (put_tlv(&pdu, LLDP_TLV_CHASSIS_ID, &chassis_subtype, 1, endpoint->mac, 6, NULL, 0) ||
        put_tlv(&pdu, LLDP_TLV_PORT_ID, &port_subtype, 1, endpoint->mac, 6, NULL, 0) ||
        put_tlv(&pdu, LLDP_TLV_TTL, NULL, 0, ttl, 2, NULL, 0) ||
        put_tlv(&pdu, LLDP_TLV_END, NULL, 0, NULL, 0, NULL, 0))
        return -1;
    return (int)pdu.len;
}

/* An ID as a phone's report shows it: a MAC or an IPv4 address in its usual form, any
 * other subtype as quoted text. */
static void format_id(bool is_mac, bool is_address, const uint8_t *value, size_t len,
                      char out[LLDP_TEXT_MAX])
{
    if (is_mac && len == 6) {
        mac_text(value, out);
    } else if (is_address && len == 5 && value[0] == 1) { /* IANA family 1: IPv4 */
        snprintf(out, LLDP_TEXT_MAX, "%u.%u.%u.%u", value[1], value[2], value[3], value[4]);
    } else {
        errtext_quote((const char *)value, len, out, LLDP_TEXT_MAX);
    }
}

/* Keeps the first thing the decoder could not take: one named problem is what a report
 * needs, and later ones are often its consequences. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void note_problem(struct lldp_neighbor *out, const char *fmt, ...)
{
    if (out->problem[0])
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(out->problem, sizeof out->problem, fmt, args);
    va_end(args);
}

static void decode_ieee_8021(const struct lldp_tlv *tlv, struct lldp_neighbor *out)
{
    const uint8_t *v = tlv->value + 4;
    size_t len = tlv->len - 4u;
    switch (tlv->value[3]) {
    case IEEE_8021_PORT_VLAN_ID:
        if (len != 2) {
            note_problem(out, "802.1 Port VLAN ID TLV of %u bytes (6 expected)",
                         (unsigned)tlv->len);
            return;
        }
        out->has_port_vlan = true;
        out->port_vlan_id = (uint16_t)(v[0] << 8 | v[1]);
        return;
    case IEEE_8021_VLAN_NAME:
        if (len < 3 || v[2] > 32 || len != 3u + v[2]) {
            note_problem(out, "802.1 VLAN Name TLV of %u bytes does not hold its name",
                         (unsigned)tlv->len);
            return;
        }
        if (out->vlan_names < LLDP_VLAN_NAMES_MAX) {
            struct lldp_vlan_name *name = &out->vlan_name[out->vlan_names++];
            name->vlan_id = (uint16_t)((v[0] << 8 | v[1]) & 0x0fff);
            errtext_quote((const char *)v + 3, v[2], name->name, sizeof name->name);
        }
        return;
    default:
        return;
    }
}

static void decode_med(const struct lldp_tlv *tlv, struct lldp_neighbor *out)
{
    const uint8_t *v = tlv->value + 4;
    size_t len = tlv->len - 4u;
    struct med_policy policy;
    switch (tlv->value[3]) {
    case MED_SUBTYPE_CAPABILITIES:
        if (len != 3) {
            note_problem(out, "LLDP-MED Capabilities TLV of %u bytes (7 expected)",
                         (unsigned)tlv->len);
            return;
        }
        out->has_med = true;
        out->med_capabilities = (uint16_t)(v[0] << 8 | v[1]);
        out->med_device_class = v[2];
        return;
    case MED_SUBTYPE_NETWORK_POLICY:
        if (med_policy_decode(v, len, &policy) < 0) {
            note_problem(out, "LLDP-MED Network Policy TLV of %u bytes (8 expected)",
                         (unsigned)tlv->len);
            return;
        }
        /* TIA-1057 10.2.3.1: one policy an application; a second one is not taken. */
        if (lldp_neighbor_policy(out, policy.application)) {
            note_problem(out, "a second LLDP-MED Network Policy for application %s, not taken",
                         med_application_name(policy.application));
            return;
        }
        if (out->policies < LLDP_POLICIES_MAX)
            out->policy[out->policies++] = policy;
        return;
    default:
        return;
    }
}

static int decode_mandatory(const struct lldp_tlv *tlv, unsigned index,
                            struct lldp_neighbor *out, char *err, size_t errlen)
{
    static const char *const names[] = {"Chassis ID", "Port ID", "Time To Live"};
    if (tlv->type != index + 1)
        return errtext_fail(err, errlen, "not an LLDPDU: TLV %u is of type %u, not %s", index + 1,
                            tlv->type, names[index]);
    if (index < 2 && (tlv->len < LLDP_ID_MIN || tlv->len > LLDP_ID_MAX))
        return errtext_fail(err, errlen, "not an LLDPDU: %s TLV of %u bytes (2-256)",
                            names[index], (unsigned)tlv->len);
    if (index == 2 && tlv->len < 2)
        return errtext_fail(err, errlen, "not an LLDPDU: Time To Live TLV of %u bytes",
                            (unsigned)tlv->len);
    if (index == 0) {
        out->chassis_subtype = tlv->value[0];
        format_id(tlv->value[0] == LLDP_CHASSIS_MAC,
                  tlv->value[0] == LLDP_CHASSIS_NETWORK_ADDRESS, tlv->value + 1, tlv->len - 1u,
                  out->chassis_id);
    } else if (index == 1) {
        out->port_subtype = tlv->value[0];
        format_id(tlv->value[0] == LLDP_PORT_MAC,
                  tlv->value[0] == LLDP_PORT_NETWORK_ADDRESS, tlv->value + 1, tlv->len - 1u,
                  out->port_id);
    } else {
        out->ttl = (unsigned)(tlv->value[0] << 8 | tlv->value[1]);
    }
    return 0;
}

int lldp_decode(const uint8_t *in, size_t len, struct lldp_neighbor *out, char *err,
                size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t pos = 0;
    struct lldp_tlv tlv;
    unsigned index = 0;
    int more;
    while ((more = lldp_next_tlv(in, len, &pos, &tlv)) == 1) {
        if (index < 3) {
            if (decode_mandatory(&tlv, index++, out, err, errlen) < 0)
                return -1;
            continue;
        }
        switch (tlv.type) {
        case LLDP_TLV_CHASSIS_ID:
        case LLDP_TLV_PORT_ID:
        case LLDP_TLV_TTL:
            note_problem(out, "a second mandatory TLV (type %u) at byte %zu, not taken",
                         (unsigned)tlv.type, pos - tlv.len - 2);
            break;
        case LLDP_TLV_PORT_DESCRIPTION:
            errtext_quote((const char *)tlv.value, tlv.len, out->port_description,
                          sizeof out->port_description);
            break;
        case LLDP_TLV_SYSTEM_NAME:
            errtext_quote((const char *)tlv.value, tlv.len, out->system_name,
                          sizeof out->system_name);
            break;
        case LLDP_TLV_SYSTEM_DESCRIPTION:
            errtext_quote((const char *)tlv.value, tlv.len, out->system_description,
                          sizeof out->system_description);
            break;
        case LLDP_TLV_SYSTEM_CAPABILITIES:
            if (tlv.len != 4) {
                note_problem(out, "System Capabilities TLV of %u bytes (4 expected)",
                             (unsigned)tlv.len);
                break;
            }
            out->has_capabilities = true;
            out->capabilities = (uint16_t)(tlv.value[0] << 8 | tlv.value[1]);
            out->enabled_capabilities = (uint16_t)(tlv.value[2] << 8 | tlv.value[3]);
            break;
        case LLDP_TLV_ORGANIZATIONAL:
            if (tlv.len < 4) {
                note_problem(out, "organizationally specific TLV of %u bytes (4 at least)",
                             (unsigned)tlv.len);
                break;
            }
            if (memcmp(tlv.value, OUI_IEEE_8021, 3) == 0)
                decode_ieee_8021(&tlv, out);
            else if (memcmp(tlv.value, OUI_TIA_MED, 3) == 0)
                decode_med(&tlv, out);
            break;
        default:
            break;
        }
    }
    if (more < 0)
        return errtext_fail(err, errlen, "not an LLDPDU: a TLV at byte %zu runs past its end "
                            "(%zu bytes)", pos, len);
    if (index < 3)
        return errtext_fail(err, errlen, "not an LLDPDU: it ends before its %s TLV",
                            index == 0 ? "Chassis ID" : index == 1 ? "Port ID" : "Time To Live");
    return 0;
}

const struct med_policy *lldp_neighbor_policy(const struct lldp_neighbor *neighbor,
                                              unsigned application)
{
    for (size_t i = 0; i < neighbor->policies; i++)
        if (neighbor->policy[i].application == application)
            return &neighbor->policy[i];
    return NULL;
}
