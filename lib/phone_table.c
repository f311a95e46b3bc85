/* SPDX-License-Identifier: MPL-2.0 */
#include "phone_table.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Eight phones a set: a phone's MAC picks its set, the set keeps the eight most recently
 * seen. The table has twice the room asked for, so that phones crowding one set before
 * the table is full are rare (with the table at its capacity a set holds four phones on
 * average; more than eight in about 2 % of the sets), and a full table evicts close to
 * the least recently seen phone overall. */
enum { WAYS = 8, ROOM = 2 };
/* A writer that finds its set held tries this often before it drops the event: a set is
 * held for a few stores, so a second writer in it is rare and brief. */
enum { TRIES = 256 };

struct entry {
    bool used;
    struct phone_record record;
};

struct set {
    atomic_flag held;
    struct entry way[WAYS];
};

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
    struct phone_table *table = calloc(1, sizeof *table + sets * sizeof(struct set));
    if (!table)
        return NULL;
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
    return key;
}

static struct set *set_of(struct phone_table *table, const uint8_t mac[6])
{
    /* Fibonacci hashing: MACs of one vendor differ in their last bytes only. */
    uint64_t h = mac_key(mac) * UINT64_C(0x9E3779B97F4A7C15);
    return &table->set[(size_t)((h >> 32) % table->sets)];
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
    struct set *set = set_of(table, event->mac);
    if (!take(set, TRIES)) {
        atomic_fetch_add_explicit(&table->dropped, 1, memory_order_relaxed);
        return -1;
    }
    struct entry *slot = NULL, *empty = NULL, *least_recent = NULL;
    for (int i = 0; i < WAYS && !slot; i++) {
        struct entry *e = &set->way[i];
        if (!e->used)
            empty = empty ? empty : e;
        else if (memcmp(e->record.mac, event->mac, 6) == 0)
            slot = e;
        else if (!least_recent || e->record.last_seen < least_recent->record.last_seen)
            least_recent = e;
    }
    if (!slot) { /* a phone new to the table: in an empty way, else the least recent's */
        slot = empty ? empty : least_recent;
        memset(slot, 0, sizeof *slot);
        slot->used = true;
        memcpy(slot->record.mac, event->mac, 6);
        slot->record.first_seen = event->when;
    }
    struct phone_record *r = &slot->record;
    r->last_seen = event->when;
    r->step_time[event->step] = event->when;
    r->subnet_id = event->subnet_id;
    memcpy(r->relay, event->relay, 4);
    if (event->addr[0] | event->addr[1] | event->addr[2] | event->addr[3])
        memcpy(r->addr, event->addr, 4);
    if (event->step == PHONE_STEP_VLAN)
        r->vlan = event->vlan;
    give(set);
    return 0;
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
            if (!set->way[i].used)
                continue;
            held++;
            if (copied < max)
                out[copied++] = set->way[i].record;
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
        memset(set->way, 0, sizeof set->way);
        give(set);
    }
    atomic_store(&table->dropped, 0);
}

uint64_t phone_table_dropped(struct phone_table *table)
{
    return atomic_load(&table->dropped);
}
