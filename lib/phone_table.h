/* SPDX-License-Identifier: MPL-2.0 */
/* The phones a DHCP server has answered, by MAC: when each got the step of the bootstrap
 * it answered (its voice VLAN, a lease, the DHCPINFORM answer, a vendor class in the
 * wrong letter case), in which subnet and through which relay. Bounded: a fixed table
 * made once with room for twice its capacity, in sets a phone's MAC picks; the least
 * recently seen phone of a full set gives way. Made for a packet
 * path on many threads: noting an event never allocates and never waits for long (the
 * set it falls in is held for a few stores; a writer that finds it held retries a
 * bounded number of times and then drops the event, which is counted). */
#ifndef LYNCBOOT_PHONE_TABLE_H
#define LYNCBOOT_PHONE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum phone_step {
    PHONE_STEP_VLAN,          /* CPE-OCPHONE: the voice VLAN given */
    PHONE_STEP_LEASE,         /* MS-UC-Client: an address leased (DHCPACK to a REQUEST) */
    PHONE_STEP_INFORM,        /* MS-UC-Client: the DHCPINFORM answered with 43 and 120 */
    PHONE_STEP_CASE_MISMATCH, /* a Lync vendor class in the wrong letter case: not answered */
    PHONE_STEPS
};

/* "vlan", "lease", "inform", "case-mismatch"; NULL past the last. */
const char *phone_step_name(unsigned step);
/* The step of that name, or -1. */
int phone_step_parse(const char *name);

struct phone_event {
    uint8_t mac[6];
    enum phone_step step;
    int64_t when;       /* seconds since the epoch */
    uint32_t subnet_id;
    uint8_t addr[4];    /* the lease (yiaddr) or the phone's address (ciaddr); 0 if none */
    uint8_t relay[4];   /* giaddr; 0 when the phone is on the server's segment */
    uint16_t vlan;      /* the voice VLAN given (PHONE_STEP_VLAN) */
};

struct phone_record {
    uint8_t mac[6];
    int64_t first_seen, last_seen;
    int64_t step_time[PHONE_STEPS]; /* 0: never */
    uint32_t subnet_id;             /* of the last event */
    uint8_t addr[4];                /* the last address seen */
    uint8_t relay[4];               /* of the last event */
    uint16_t vlan;                  /* the last voice VLAN given */
};

struct phone_table;

/* A table for capacity phones (about 140 bytes each; from 1 MB in 2 MB huge pages, so
 * that a note anywhere in it costs no page walk). Returns NULL when capacity is 0 or the
 * memory cannot be had. */
struct phone_table *phone_table_new(size_t capacity);
void phone_table_free(struct phone_table *table);
size_t phone_table_capacity(const struct phone_table *table);

/* Notes one event. Returns 0, or -1 when the event was dropped (its set stayed held by
 * other writers). */
int phone_table_note(struct phone_table *table, const struct phone_event *event);

/* Copies out the phones recorded, at most max, each consistent in itself. Returns how
 * many were copied; *total (when not NULL) gets how many the table holds. */
size_t phone_table_read(struct phone_table *table, struct phone_record *out, size_t max,
                        size_t *total);

/* Forgets every phone (and the drop count). */
void phone_table_reset(struct phone_table *table);

/* Events dropped since the table was made or reset. */
uint64_t phone_table_dropped(struct phone_table *table);

#ifdef __cplusplus
}
#endif

#endif
