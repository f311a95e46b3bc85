/* SPDX-License-Identifier: MPL-2.0 */
/* How far each phone of a rollout got, from what the servers saw of it: the DHCP server
 * (lib/phone_table: its voice VLAN, a lease, the DHCPINFORM answered), the DNS server
 * (its SRV look-ups), the NTP server (its time queries) and the web server (its CA chain
 * download), joined by the phone's address and time; for a phone that stopped, the
 * likely cause in the probe's words. */
#ifndef LYNCBOOT_ROLLOUT_H
#define LYNCBOOT_ROLLOUT_H

#include <stddef.h>
#include <stdint.h>

#include "phone_table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The walk's steps a server can see, in the phone's order. */
enum rollout_step {
    ROLLOUT_NONE,       /* nothing seen of it */
    ROLLOUT_VLAN,       /* CPE-OCPHONE answered: its voice VLAN */
    ROLLOUT_LEASE,      /* an address on the voice VLAN */
    ROLLOUT_INFORM,     /* the DHCPINFORM answered: registrar and web services */
    ROLLOUT_DNS,        /* its SRV look-ups answered */
    ROLLOUT_TIME,       /* its NTP queries served */
    ROLLOUT_CHAIN,      /* the CA chain downloaded */
    ROLLOUT_STEPS
};

/* "none", "vlan", "lease", "inform", "dns", "time", "chain". */
const char *rollout_step_name(unsigned step);

/* A DNS query a client made (from dnstap), and what it was answered. */
struct rollout_dns {
    uint8_t client[4];
    int64_t when;
    char name[256];     /* lower case, without the final dot */
    uint16_t type;      /* 33 SRV; 1 A (ucupdates-r2, the Device Update server) */
    int rcode;          /* 0 NOERROR, 3 NXDOMAIN, ... */
    unsigned answers;   /* records in the answer section */
};

/* A client the NTP server served (chronyc clients), as of now. */
struct rollout_ntp {
    uint8_t client[4];
    int64_t last;       /* its last NTP packet (seconds since the epoch) */
    unsigned long packets;
};

/* A request a client made to the web server (its access log). */
struct rollout_http {
    uint8_t client[4];
    int64_t when;
    char path[512];
    int status;
};

struct rollout_sources {
    const struct rollout_dns *dns;
    size_t dns_count;
    const struct rollout_ntp *ntp;
    size_t ntp_count;
    const struct rollout_http *http;
    size_t http_count;
    /* Which sources there are: a step no source could show is not held against a phone
     * ("not seen" is then "not known"). */
    int have_dns, have_ntp, have_http;
    const char *chain_path; /* the CA chain's path, "/CertProv/CertProvisioningService.svc" */
};

struct rollout_phone {
    struct phone_record dhcp;    /* what the DHCP server saw */
    enum rollout_step reached;   /* the furthest step of its walk without a gap */
    int64_t reached_at;
    int64_t step_at[ROLLOUT_STEPS]; /* when each was first seen; 0: not */
    enum rollout_step later_seen; /* a step seen after the one it missed; NONE: none */
    int stuck;                   /* it has not reached the last step a source can show */
    char cause[400];             /* why it stopped, the likely cause; "" when not stuck */
    char warning[360];           /* what else is wrong (no Device Update server); "" */
};

/* Joins one phone's DHCP record with the other sources, by the phone's address and from
 * its first DHCP event on. */
void rollout_follow(const struct phone_record *dhcp, const struct rollout_sources *sources,
                    struct rollout_phone *out);

#ifdef __cplusplus
}
#endif

#endif
