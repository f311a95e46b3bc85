/* SPDX-License-Identifier: MPL-2.0 */
/* The records a site publishes for its phones, from its configuration and the NTP
 * health file: SRV _ntp._udp (healthy, fresh targets; all of them when none is: fail
 * open), SRV _sipinternaltls._tcp and _sipinternal._tcp, A ucupdates-r2. */
#ifndef LYNCBOOT_SITE_RECORDS_H
#define LYNCBOOT_SITE_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "ntp_health.h"
#include "site_conf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SITE_MAX_RECORDS 512
#define SITE_NOTE_SIZE 300

struct site_record {
    char owner[FQDN_TEXT_SIZE + 32]; /* no trailing dot */
    uint16_t type;                   /* DNS_TYPE_SRV or DNS_TYPE_A */
    unsigned ttl;
    unsigned priority, weight, port; /* SRV */
    char target[FQDN_TEXT_SIZE];     /* SRV */
    uint8_t addr[4];                 /* A */
};

struct site_record_set {
    size_t count;
    struct site_record records[SITE_MAX_RECORDS];
    size_t fail_open_count;          /* domains whose NTP targets were all unhealthy */
    char notes[SITE_MAX_DOMAINS][SITE_NOTE_SIZE];
};

/* The site's NTP health for site_records_build(), with the one policy the module and
 * the publisher share: a health file that cannot be read counts as none, so every NTP
 * target is advertised (fail open: phones keep a time source), and note (cap >= 1) says
 * so, naming the file and why, for a log. Returns the entries read, or -1 when there
 * are none to go by: note empty when the site names no health file, else why. */
int site_health_load(const struct site_conf *conf, struct ntp_health_entry *entries,
                     size_t max, char *note, size_t cap);

/* health may be NULL (no health file, or unreadable: every target is advertised). */
void site_records_build(const struct site_conf *conf, const struct ntp_health_entry *health,
                        size_t health_count, int64_t now, struct site_record_set *out);

/* The record's rdata in wire form: for SRV (RFC 2782) priority, weight and port in
 * network order and the target uncompressed; for A the address. Returns its length,
 * or -1 when it does not fit in cap or the target is not a host name. */
int site_record_rdata(const struct site_record *record, uint8_t *out, size_t cap);

/* The record in zone-file form: "owner. TTL IN SRV prio weight port target." */
void site_record_text(const struct site_record *record, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
