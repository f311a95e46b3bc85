/* SPDX-License-Identifier: MPL-2.0 */
#define _DEFAULT_SOURCE /* madvise */
#include "phone_table.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Eight phones a set: a phone's MAC picks its set, the set keeps the eight most recently
 * seen. The table has twice the room asked for, so that phones crowding one set before
 * the table is full are rare (with the table at its capacity a set holds four phones on
 * average; more than eight in about 2 % of the sets), and a full table evicts close to
 * the least recently seen phone overall. */
enum { WAYS = 8, ROOM = 2 };
/* A writer that finds its set held tries this often before it drops the event: a set is
 * held for a few stores, so a second writer in it is rare and brief. */
enum { TRIES = 256 };

/* One phone, in one cache line: times as seconds after the table's epoch. */
struct way {
    uint8_t mac[6];
    uint16_t vlan;
    uint32_t first_seen, last_seen;
    uint32_t step_time[PHONE_STEPS];
    uint32_t subnet_id;
    uint8_t addr[4], relay[4];
} __attribute__((aligned(64)));

/* A set: its first cache line tells a writer which way holds the phone (a 16-bit tag of
 * its MAC, then the MAC itself in the way) and which way's phone was seen least
 * recently, so a note reads and writes two cache lines however full the table is (a
 * rollout's benchmark sends every query from a new MAC). */
struct set {
    atomic_flag held;
    uint16_t tag[WAYS]; /* 0: an empty way */
    uint32_t last_seen[WAYS];
    struct way way[WAYS];
} __attribute__((aligned(64)));

struct phone_table {
    size_t capacity, sets;
    atomic_uint_fast64_t dropped;
    struct set set[];
};

const char *phone_step_name(unsigned step)
{
    static const char *const names[PHONE_STEPS] = {"vlan", "lease", "inform", "case-mismatch"};
    return step < PHONE_STEPS ? names[step] : NULL;
}

int phone_step_parse(const char *name)
{
    for (unsigned step = 0; step < PHONE_STEPS; step++)
        if (strcmp(name, phone_step_name(step)) == 0)
            return (int)step;
    return -1;
}

struct phone_table *phone_table_new(size_t capacity)
{
    if (capacity == 0 || capacity > SIZE_MAX / 2 / sizeof(struct set))
        return NULL;
    size_t sets = (ROOM * capacity + WAYS - 1) / WAYS;
    size_t bytes = sizeof(struct phone_table) + sets * sizeof(struct set);
    /* In huge pages where the kernel gives them (transparent huge pages, "madvise"): a
     * note lands anywhere in the table, and with 4 KiB pages a table of a few MB costs
     * a page walk a note (measured: 5 % of a phone's INFORM at 10,000 phones). */
    const size_t huge = (size_t)2 << 20;
    const bool in_huge_pages = bytes >= huge / 2; /* from 1 MB: at most half a page unused */
    bytes = in_huge_pages ? (bytes + huge - 1) / huge * huge : (bytes + 63) / 64 * 64;
    struct phone_table *table = aligned_alloc(in_huge_pages ? huge : 64, bytes);
    if (!table)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (in_huge_pages)
        (void)madvise(table, bytes, MADV_HUGEPAGE);
#endif
    memset(table, 0, bytes);
    table->capacity = capacity;
    table->sets = sets;

    atomic_init(&table->dropped, 0);
    for (size_t i = 0; i < sets; i++)
        atomic_flag_clear(&table->set[i].held);
    return table;
}

void phone_table_free(struct phone_table *table)
{
    free(table);
}

size_t phone_table_capacity(const struct phone_table *table)
{
    return table->capacity;
}

static uint64_t mac_key(const uint8_t mac[6])
{
    uint64_t key = 0;
    for (int i = 0; i < 6; i++)
        key = key << 8 | mac[i];
    return key | UINT64_C(1) << 63; /* never 0, the empty way's key */
}

/* Fibonacci hashing (MACs of one vendor differ in their last bytes only): the high half
 * picks the set, 16 bits below it the tag. */
static uint64_t mac_hash(const uint8_t mac[6])
{
    return mac_key(mac) * UINT64_C(0x9E3779B97F4A7C15);
}

static uint16_t tag_of(uint64_t hash)
{
    return (uint16_t)(hash >> 16) | 1; /* never 0, the empty way's tag */
}

/* Times are kept in 32 bits, as seconds after 2020-01-01 (good until 2156): a time
 * before it counts as its first second, 0 being "never". */
#define EPOCH INT64_C(1577836800)

static uint32_t since_epoch(int64_t when)
{
    int64_t t = when - EPOCH;
    return t < 1 ? 1 : t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

static bool take(struct set *set, int tries)
{
    for (int i = 0; i < tries; i++)
        if (!atomic_flag_test_and_set_explicit(&set->held, memory_order_acquire))
            return true;
    return false;
}

static void give(struct set *set)
{
    atomic_flag_clear_explicit(&set->held, memory_order_release);
}

int phone_table_note(struct phone_table *table, const struct phone_event *event)
{
    if ((unsigned)event->step >= PHONE_STEPS)
        return -1;
    const uint64_t hash = mac_hash(event->mac);
    struct set *set = &table->set[(size_t)((hash >> 32) % table->sets)];
    const uint16_t tag = tag_of(hash);
    const uint32_t when = since_epoch(event->when);
    if (!take(set, TRIES)) {
        atomic_fetch_add_explicit(&table->dropped, 1, memory_order_relaxed);
        return -1;
    }
    int found = -1, empty = -1, least_recent = -1;
    for (int i = 0; i < WAYS; i++) {
        if (set->tag[i] == tag && memcmp(set->way[i].mac, event->mac, 6) == 0) {
            found = i;
            break;
        }
        if (set->tag[i] == 0)
            empty = empty < 0 ? i : empty;
        else if (least_recent < 0 || set->last_seen[i] < set->last_seen[least_recent])
            least_recent = i;
    }
    struct way *w;
    if (found < 0) { /* a phone new to the table: in an empty way, else the least recent's */
        found = empty >= 0 ? empty : least_recent;
        set->tag[found] = tag;
        w = &set->way[found];
        memset(w, 0, sizeof *w);
        memcpy(w->mac, event->mac, 6);
        w->first_seen = when;
    } else {
        w = &set->way[found];
    }
    set->last_seen[found] = when;
    w->last_seen = when;
    w->step_time[event->step] = when;
    w->subnet_id = event->subnet_id;
    memcpy(w->relay, event->relay, 4);
    if (event->addr[0] | event->addr[1] | event->addr[2] | event->addr[3])
        memcpy(w->addr, event->addr, 4);
    if (event->step == PHONE_STEP_VLAN)
        w->vlan = event->vlan;
    give(set);
    return 0;
}

/* A way as the caller reads it: times back to seconds since the epoch. */
static void copy_out(const struct way *w, struct phone_record *r)
{
    memset(r, 0, sizeof *r);
    memcpy(r->mac, w->mac, 6);
    r->first_seen = EPOCH + w->first_seen;
    r->last_seen = EPOCH + w->last_seen;
    for (int step = 0; step < PHONE_STEPS; step++)
        r->step_time[step] = w->step_time[step] ? EPOCH + w->step_time[step] : 0;
    r->subnet_id = w->subnet_id;
    memcpy(r->addr, w->addr, 4);
    memcpy(r->relay, w->relay, 4);
    r->vlan = w->vlan;
}

size_t phone_table_read(struct phone_table *table, struct phone_record *out, size_t max,
                        size_t *total)
{
    size_t copied = 0, held = 0;
    for (size_t s = 0; s < table->sets; s++) {
        struct set *set = &table->set[s];
        while (!take(set, TRIES))
            ; /* the reader may wait: it is a command, not the packet path */
        for (int i = 0; i < WAYS; i++) {
            if (set->tag[i] == 0)
                continue;
            held++;
            if (copied < max)
                copy_out(&set->way[i], &out[copied++]);
        }
        give(set);
    }
    if (total)
        *total = held;
    return copied;
}

void phone_table_reset(struct phone_table *table)
{
    for (size_t s = 0; s < table->sets; s++) {
        struct set *set = &table->set[s];
        while (!take(set, TRIES))
            ;
        memset(set->tag, 0, sizeof set->tag);
        memset(set->last_seen, 0, sizeof set->last_seen);
        give(set);
    }
    atomic_store(&table->dropped, 0);
}

uint64_t phone_table_dropped(struct phone_table *table)
{
    return atomic_load(&table->dropped);
}
