/* SPDX-License-Identifier: MPL-2.0 */
/* DNS messages (RFC 1035) for the records Lync phones look up: a query for one name
 * and type, and the A and SRV (RFC 2782) answers of a response. */
#ifndef LYNCBOOT_DNSWIRE_H
#define LYNCBOOT_DNSWIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DNS_TYPE_A 1
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_SRV 33
#define DNS_CLASS_IN 1
#define DNS_TYPE_OPT 41
#define DNS_MAX_RECORDS 64
#define DNS_RCODE_NXDOMAIN 3
/* The EDNS0 (RFC 6891) UDP payload size lyncboot's queries advertise: a site with a
 * dozen NTP servers does not fit in 512 bytes. */
#define DNS_EDNS_UDP_SIZE 4096

/* How a query asks: recursion desired (a stub resolver's look-up), or not (asking a
 * server what it answers itself: local and downstream auth zones, not recursion). */
enum dns_recursion { DNS_RECURSIVE, DNS_NO_RECURSION };

/* Writes a query for name (dotted, optional trailing dot); with edns_udp_size > 0 it
 * carries an EDNS0 OPT record advertising that size. Returns its length, or -1 if the
 * name is not a valid DNS name or cap is too small. */
int dns_build_query(uint16_t id, const char *name, uint16_t qtype, uint16_t edns_udp_size,
                    enum dns_recursion recursion, uint8_t *out, size_t cap);

struct dns_srv {
    uint16_t priority, weight, port;
    char target[256]; /* no trailing dot */
};

struct dns_answer {
    int rcode;
    int truncated;
    int authoritative; /* AA: the server answered from data it holds for the name */
    size_t a_count;
    uint8_t a[DNS_MAX_RECORDS][4];
    size_t srv_count;
    struct dns_srv srv[DNS_MAX_RECORDS];
    size_t dropped; /* A or SRV records beyond DNS_MAX_RECORDS, not kept */
    uint32_t min_ttl;
};

/* Reads the answer section of a response to query (as dns_build_query wrote it): the
 * ID and the question (name in any letter case, type, class) must be the query's.
 * Records of other types (a CNAME chain) are skipped; names may be compressed. Returns
 * 0, or -1 with a reason for a message that is not that response or is malformed.
 * Never reads past msg[len-1]. */
int dns_parse_response(const uint8_t *msg, size_t len, const uint8_t *query,
                       size_t query_len, struct dns_answer *out, char *err, size_t errlen);

/* Reads a possibly compressed name at msg[*pos] into dotted text; advances *pos past
 * it. Returns 0, or -1 on a loop, an out-of-range pointer or truncation. */
/* Writes one record's RDLENGTH (network order) and RDATA at out. Returns the bytes
 * written, or -1 when len is over 65535 or they do not fit in cap. */
int dns_put_rdata(uint8_t *out, size_t cap, const uint8_t *rdata, size_t len);

int dns_read_name(const uint8_t *msg, size_t len, size_t *pos, char *text, size_t cap);

/* A DNS message at a glance, as a log of clients' queries needs it: its question (name
 * in lower case without the final dot, type), whether it is a response, its rcode and
 * how many answer records it has. */
struct dns_summary {
    char name[256];
    uint16_t type;
    int response;
    int rcode;
    unsigned answers;
};

/* Returns 0, or -1 when the header or the question is malformed or missing. */
int dns_summarize(const uint8_t *msg, size_t len, struct dns_summary *out);

#ifdef __cplusplus
}
#endif

#endif
