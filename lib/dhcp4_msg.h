/* SPDX-License-Identifier: MPL-2.0 */
/* DHCPv4 messages (RFC 2131 s2): the fixed BOOTP header, the magic cookie and the
 * option area. Enough to build the queries a Lync phone sends and to read replies. */
#ifndef LYNCBOOT_DHCP4_MSG_H
#define LYNCBOOT_DHCP4_MSG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DHCP4_HEADER_LEN 236 /* op .. file, before the magic cookie */
#define DHCP4_MIN_LEN 240    /* header + cookie */
#define DHCP4_MAX_LEN 1500

/* The option codes lyncboot reads or writes (RFC 2132 unless noted). */
enum dhcp4_option_code {
    DHCP4_OPT_PAD = 0,
    DHCP4_OPT_SUBNET_MASK = 1,
    DHCP4_OPT_TIME_OFFSET = 2,
    DHCP4_OPT_ROUTER = 3,
    DHCP4_OPT_DNS_SERVERS = 6,
    DHCP4_OPT_DOMAIN_NAME = 15,
    DHCP4_OPT_NTP_SERVERS = 42,
    DHCP4_OPT_VENDOR_SPECIFIC = 43,
    DHCP4_OPT_REQUESTED_ADDR = 50,
    DHCP4_OPT_MESSAGE_TYPE = 53,
    DHCP4_OPT_SERVER_ID = 54,
    DHCP4_OPT_PARAM_REQUEST = 55,
    DHCP4_OPT_VENDOR_CLASS = 60,
    DHCP4_OPT_CLIENT_ID = 61,
    DHCP4_OPT_RELAY_AGENT_INFO = 82, /* RFC 3046 */
    DHCP4_OPT_SIP_SERVERS = 120,     /* RFC 3361 */
    DHCP4_OPT_END = 255,
};

/* The parameter request list (option 55) a Lync Phone Edition phone sends, in its
 * order: mask, router, DNS, domain, NTP, time offset, 43, 120. */
extern const uint8_t dhcp4_lync_phone_request[8];

enum dhcp4_type {
    DHCP4_DISCOVER = 1,
    DHCP4_OFFER = 2,
    DHCP4_REQUEST = 3,
    DHCP4_ACK = 5,
    DHCP4_NAK = 6,
    DHCP4_RELEASE = 7,
    DHCP4_INFORM = 8,
};

/* What a query carries; addresses are in network byte order. */
struct dhcp4_query {
    enum dhcp4_type type;
    uint32_t xid;
    uint8_t mac[6];
    uint8_t ciaddr[4];
    uint8_t giaddr[4];
    const char *vendor_class;        /* option 60, NULL for none */
    const uint8_t *param_request;    /* option 55 */
    size_t param_request_len;
    const uint8_t *requested_addr;   /* option 50, 4 bytes or NULL */
    const uint8_t *server_id;        /* option 54, 4 bytes or NULL */
    int broadcast;                   /* the BROADCAST flag: a client without an
                                        address asks for a broadcast reply */
};

/* Writes the query; returns its length, or -1 if cap is too small or a field is
 * too long for an option. */
int dhcp4_build_query(const struct dhcp4_query *query, uint8_t *out, size_t cap);

/* A reply's header fields, and where its options are (pointing into the input). */
struct dhcp4_reply {
    uint8_t op;
    uint32_t xid;
    uint8_t ciaddr[4], yiaddr[4], siaddr[4], giaddr[4];
    uint8_t chaddr[16];
    int message_type; /* option 53, -1 when absent */
    const uint8_t *options;
    size_t options_len;
};

/* Parses the header and checks the cookie and the option area's TLV structure.
 * Returns 0, or -1 if it is shorter than 240 bytes, has no magic cookie, or an
 * option runs past the end. Never reads past in[len-1]. */
int dhcp4_parse_reply(const uint8_t *in, size_t len, struct dhcp4_reply *reply);

/* Copies the value of option code (instances concatenated, RFC 3396) into out.
 * Returns its length, or -1 when the option is absent or does not fit. */
int dhcp4_get_option(const struct dhcp4_reply *reply, uint8_t code, uint8_t *out,
                     size_t cap);

/* One option to place into a packed message. */
struct dhcp4_option_ref {
    uint8_t code;
    const uint8_t *value;
    size_t len; /* <= 255 */
};

/* Rewrites the option area of a packed DHCPv4 message in place: every instance of the
 * codes in opts is removed and opts are inserted in ascending code order among the
 * remaining options, keeping message type (53) first and relay agent information (82)
 * last, as Kea packs them. Bytes after END (padding) are kept up to the old length.
 * opts must be sorted by code, without duplicates. Returns the new length, or -1 with
 * the message unchanged if it is malformed or the result would not fit in cap. */
int dhcp4_replace_options(uint8_t *msg, size_t len, size_t cap,
                          const struct dhcp4_option_ref *opts, size_t count);

/* Who a packed DHCPv4 message is about (RFC 2131 section 2): the client's hardware
 * address (chaddr, when it is an Ethernet MAC: htype 1, hlen 6), ciaddr, yiaddr and the
 * relay's giaddr, read in place. Returns 0, or -1 when msg is shorter than the fixed
 * header or chaddr is no MAC. */
struct dhcp4_parties {
    uint8_t mac[6];
    uint8_t ciaddr[4], yiaddr[4], giaddr[4];
};
int dhcp4_packed_parties(const uint8_t *msg, size_t len, struct dhcp4_parties *out);

/* The message type (option 53) of a packed DHCPv4 message without parsing the rest:
 * Kea packs 53 first, so this usually reads one option. Returns the type, or -1 when
 * the message is malformed before option 53 or has none. */
int dhcp4_packed_type(const uint8_t *msg, size_t len);

/* A set of option codes, tested with one load and one mask. */
struct dhcp4_code_set {
    uint64_t bits[4];
};

static inline int dhcp4_code_set_has(const struct dhcp4_code_set *set, uint8_t code)
{
    return (int)((set->bits[code >> 6] >> (code & 63)) & 1u);
}

/* The codes that keep dhcp4_append_offset() from appending opts: their own codes,
 * which must replace what is there, and relay agent information (82), which must stay
 * last. Computed once per set of options, not per message. */
void dhcp4_append_blockers(const struct dhcp4_option_ref *opts, size_t count,
                           struct dhcp4_code_set *blockers);

/* Where options can be appended to a packed DHCPv4 message without rewriting it: the
 * offset of its END option, when the option area is well formed, holds no code in
 * blockers (dhcp4_append_blockers()), and END is the last byte. Returns -1 otherwise
 * (then use dhcp4_replace_options). One pass over the option headers; never reads
 * past msg[len-1]. */
int dhcp4_append_offset(const uint8_t *msg, size_t len,
                        const struct dhcp4_code_set *blockers);

/* Encodes opts as options followed by END, the bytes that replace END at the offset
 * dhcp4_append_offset() returns. Returns the length, or -1 if a value is over 255 bytes
 * or the result does not fit in cap. */
int dhcp4_encode_tail(const struct dhcp4_option_ref *opts, size_t count, uint8_t *out,
                      size_t cap);

#ifdef __cplusplus
}
#endif

#endif
