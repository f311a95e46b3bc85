/* SPDX-License-Identifier: MPL-2.0 */
/* LLDP (IEEE 802.1AB) as a desk phone speaks it: the LLDPDU an LLDP-MED endpoint of
 * class III sends (ANSI/TIA-1057), and the switch's LLDPDU decoded into what a phone
 * takes from it: the MED network policy of application "voice" (its VLAN), the port's
 * VLANs (IEEE 802.1 organizationally specific TLVs), and who the switch is. Only the
 * LLDPDU itself (the Ethernet payload of type 0x88cc); the frame around it is the
 * caller's. */
#ifndef LYNCBOOT_LLDP_H
#define LYNCBOOT_LLDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LLDP_ETHERTYPE 0x88cc
/* The nearest-bridge group address: a switch does not forward it. */
#define LLDP_MULTICAST_ADDR {0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e}
/* An LLDPDU fits one untagged Ethernet frame. */
#define LLDP_PDU_MAX 1500

enum lldp_tlv_type {
    LLDP_TLV_END = 0,
    LLDP_TLV_CHASSIS_ID = 1,
    LLDP_TLV_PORT_ID = 2,
    LLDP_TLV_TTL = 3,
    LLDP_TLV_PORT_DESCRIPTION = 4,
    LLDP_TLV_SYSTEM_NAME = 5,
    LLDP_TLV_SYSTEM_DESCRIPTION = 6,
    LLDP_TLV_SYSTEM_CAPABILITIES = 7,
    LLDP_TLV_MANAGEMENT_ADDRESS = 8,
    LLDP_TLV_ORGANIZATIONAL = 127,
};

/* Chassis ID and port ID subtypes that carry a MAC or a network address; the others
 * are text. */
enum {
    LLDP_CHASSIS_MAC = 4,
    LLDP_CHASSIS_NETWORK_ADDRESS = 5,
    LLDP_PORT_MAC = 3,
    LLDP_PORT_NETWORK_ADDRESS = 4,
    LLDP_PORT_INTERFACE_NAME = 5,
};

/* System capabilities (802.1AB 8.5.8): the bits a phone and a switch set. */
enum {
    LLDP_CAP_BRIDGE = 0x0004,
    LLDP_CAP_ROUTER = 0x0010,
    LLDP_CAP_TELEPHONE = 0x0020,
};

/* LLDP-MED (TIA-1057 10.2): OUI 00-12-BB, its TLV subtypes, capabilities, device types
 * and network policy applications. */
enum {
    MED_SUBTYPE_CAPABILITIES = 1,
    MED_SUBTYPE_NETWORK_POLICY = 2,
    MED_SUBTYPE_HARDWARE_REVISION = 5,
    MED_SUBTYPE_FIRMWARE_REVISION = 6,
    MED_SUBTYPE_SOFTWARE_REVISION = 7,
    MED_SUBTYPE_SERIAL_NUMBER = 8,
    MED_SUBTYPE_MANUFACTURER = 9,
    MED_SUBTYPE_MODEL = 10,
};
enum {
    MED_CAP_CAPABILITIES = 0x01,
    MED_CAP_NETWORK_POLICY = 0x02,
    MED_CAP_INVENTORY = 0x20,
};
enum {
    MED_CLASS_ENDPOINT_III = 3, /* communication device: a phone */
    MED_CLASS_NETWORK_CONNECTIVITY = 4,
};
enum med_application {
    MED_APP_VOICE = 1,
    MED_APP_VOICE_SIGNALING = 2,
    MED_APP_GUEST_VOICE = 3,
    MED_APP_GUEST_VOICE_SIGNALING = 4,
    MED_APP_SOFTPHONE_VOICE = 5,
    MED_APP_VIDEO_CONFERENCING = 6,
    MED_APP_STREAMING_VIDEO = 7,
    MED_APP_VIDEO_SIGNALING = 8,
};

/* The name of a MED application ("voice", "voice-signaling", ...), "unknown" past 8. */
const char *med_application_name(unsigned application);

/* One TLV seen by the walker: value points into the walked LLDPDU. */
struct lldp_tlv {
    uint8_t type;
    uint16_t len;
    const uint8_t *value;
};

/* Walks the LLDPDU's TLVs: *pos starts at 0. Returns 1 with the next TLV, 0 at the end
 * (an End TLV or the end of the input), -1 if a TLV runs past the input. */
int lldp_next_tlv(const uint8_t *in, size_t len, size_t *pos, struct lldp_tlv *tlv);

/* An LLDP-MED network policy (TIA-1057 10.2.3). */
struct med_policy {
    uint8_t application; /* enum med_application */
    bool unknown;        /* U: the device does not know its policy (a phone asking) */
    bool tagged;         /* T: frames carry an 802.1Q tag with vlan_id */
    uint16_t vlan_id;    /* 0: the port's own VLAN (priority tagged, or untagged) */
    uint8_t priority;    /* 802.1p, 0-7 */
    uint8_t dscp;        /* 0-63 */
};

/* Writes the policy's 4 value bytes after the OUI and subtype; reads them back.
 * med_policy_decode returns 0, or -1 when len is not 4. */
void med_policy_encode(const struct med_policy *policy, uint8_t out[4]);
int med_policy_decode(const uint8_t *in, size_t len, struct med_policy *policy);

/* What a phone sends (lyncboot-probe lldp): an LLDP-MED endpoint of class III with the
 * interface's MAC as chassis and port ID, a voice policy marked unknown (it asks), and
 * its inventory. */
struct lldp_endpoint {
    uint8_t mac[6];
    const char *interface;    /* port description */
    const char *system_name;  /* the host's name */
    const char *manufacturer; /* inventory */
    const char *model;
    const char *software;
    unsigned ttl;             /* seconds: 120 as phones do */
};

/* Encodes the endpoint's LLDPDU into out (cap bytes). Returns its length, or -1 with a
 * reason in err when a text is too long or out too small. */
int lldp_encode_endpoint(const struct lldp_endpoint *endpoint, uint8_t *out, size_t cap,
                         char *err, size_t errlen);

/* The endpoint's shutdown LLDPDU (802.1AB 9.2.7.7.x: its IDs, TTL 0): the switch
 * forgets the endpoint at once, so the next probe is a new neighbor again, which LLDP-MED
 * fast start answers within a second. Returns its length, or -1 when out is too small. */
int lldp_encode_shutdown(const struct lldp_endpoint *endpoint, uint8_t *out, size_t cap);

#define LLDP_TEXT_MAX 256          /* a TLV's text, quoted (errtext_quote) */
#define LLDP_POLICIES_MAX 8        /* one per application */
#define LLDP_VLAN_NAMES_MAX 16

struct lldp_vlan_name {
    uint16_t vlan_id;
    char name[LLDP_TEXT_MAX];
};

/* A switch's LLDPDU as a phone reads it. Texts are quoted: printable ASCII as is, the
 * rest as \xNN. Absent fields are "" or their has_ flag clear. */
struct lldp_neighbor {
    uint8_t chassis_subtype;
    char chassis_id[LLDP_TEXT_MAX]; /* a MAC as aa:bb:..., an IPv4 address dotted */
    uint8_t port_subtype;
    char port_id[LLDP_TEXT_MAX];
    unsigned ttl;
    char port_description[LLDP_TEXT_MAX];
    char system_name[LLDP_TEXT_MAX];
    char system_description[LLDP_TEXT_MAX];
    bool has_capabilities;
    uint16_t capabilities, enabled_capabilities;
    bool has_port_vlan;
    uint16_t port_vlan_id; /* 802.1 Port VLAN ID: the untagged VLAN */
    size_t vlan_names;
    struct lldp_vlan_name vlan_name[LLDP_VLAN_NAMES_MAX];
    bool has_med;          /* an LLDP-MED capabilities TLV */
    uint16_t med_capabilities;
    uint8_t med_device_class;
    size_t policies;
    struct med_policy policy[LLDP_POLICIES_MAX];
    /* A TLV the decoder could not take as it is (a wrong length, a second policy for
     * one application): the first such, named; the rest of the LLDPDU is still read. */
    char problem[LLDP_TEXT_MAX];
};

/* Decodes an LLDPDU. Returns 0 (out filled; out->problem may name a TLV it skipped), or
 * -1 with a reason in err when it is no LLDPDU: the mandatory Chassis ID, Port ID and
 * TTL TLVs missing or out of order, a TLV past the end, or a mandatory TLV of the wrong
 * length (802.1AB 9.2.7.7.1: such a frame is discarded). */
int lldp_decode(const uint8_t *in, size_t len, struct lldp_neighbor *out, char *err,
                size_t errlen);

/* The neighbor's policy for application, or NULL. */
const struct med_policy *lldp_neighbor_policy(const struct lldp_neighbor *neighbor,
                                              unsigned application);

#ifdef __cplusplus
}
#endif

#endif
