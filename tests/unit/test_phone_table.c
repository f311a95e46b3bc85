/* SPDX-License-Identifier: MPL-2.0 */
#include <pthread.h>

#include "check.h"
#include "phone_table.h"

#define T INT64_C(1796048000) /* 2026-11-30 */

static struct phone_event event(unsigned phone, enum phone_step step, int64_t when)
{
    struct phone_event e = {.mac = {0x00, 0x04, 0xf2, 0x00, (uint8_t)(phone >> 8),
                                    (uint8_t)phone},
                            .step = step, .when = when, .subnet_id = 100,
                            .relay = {10, 200, 0, 1}};
    if (step == PHONE_STEP_LEASE || step == PHONE_STEP_INFORM) {
        e.addr[0] = 10;
        e.addr[1] = 100;
        e.addr[3] = (uint8_t)phone;
    }
    if (step == PHONE_STEP_VLAN)
        e.vlan = 100;
    return e;
}

static void records_each_step(void)
{
    struct phone_table *t = phone_table_new(16);
    CHECK(t != NULL);
    CHECK_INT_EQ(phone_table_capacity(t), 16);
    struct phone_event e = event(1, PHONE_STEP_VLAN, T + 1000);
    CHECK_INT_EQ(phone_table_note(t, &e), 0);
    e = event(1, PHONE_STEP_LEASE, T + 1005);
    CHECK_INT_EQ(phone_table_note(t, &e), 0);
    e = event(1, PHONE_STEP_INFORM, T + 1007);
    e.subnet_id = 200;
    CHECK_INT_EQ(phone_table_note(t, &e), 0);
    e = event(2, PHONE_STEP_CASE_MISMATCH, T + 1010);
    CHECK_INT_EQ(phone_table_note(t, &e), 0);
    struct phone_record r[16];
    size_t total = 0;
    size_t n = phone_table_read(t, r, 16, &total);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(total, 2);
    struct phone_record *one = r[0].mac[5] == 1 ? &r[0] : &r[1];
    CHECK_INT_EQ(one->first_seen, T + 1000);
    CHECK_INT_EQ(one->last_seen, T + 1007);
    CHECK_INT_EQ(one->step_time[PHONE_STEP_VLAN], T + 1000);
    CHECK_INT_EQ(one->step_time[PHONE_STEP_LEASE], T + 1005);
    CHECK_INT_EQ(one->step_time[PHONE_STEP_INFORM], T + 1007);
    CHECK_INT_EQ(one->step_time[PHONE_STEP_CASE_MISMATCH], 0);
    CHECK_INT_EQ(one->subnet_id, 200);
    CHECK_INT_EQ(one->vlan, 100);
    CHECK_INT_EQ(one->addr[3], 1);
    CHECK_INT_EQ(one->relay[1], 200);
    /* A read into a smaller buffer still says how many there are. */
    CHECK_INT_EQ(phone_table_read(t, r, 1, &total), 1);
    CHECK_INT_EQ(total, 2);
    phone_table_reset(t);
    CHECK_INT_EQ(phone_table_read(t, r, 16, &total), 0);
    phone_table_free(t);
}

static void evicts_the_least_recently_seen(void)
{
    /* One set of eight (capacity 4, twice the room): the ninth phone takes the place of
     * the one seen longest ago. */
    struct phone_table *t = phone_table_new(4);
    for (unsigned phone = 1; phone <= 8; phone++) {
        struct phone_event e = event(phone, PHONE_STEP_INFORM, T + 100 + phone);
        phone_table_note(t, &e);
    }
    struct phone_event e = event(1, PHONE_STEP_INFORM, T + 200); /* 1 seen again: 2 is oldest */
    phone_table_note(t, &e);
    e = event(9, PHONE_STEP_INFORM, T + 201);
    phone_table_note(t, &e);
    struct phone_record r[16];
    size_t n = phone_table_read(t, r, 16, NULL);
    CHECK_INT_EQ(n, 8);
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++)
        seen |= 1u << r[i].mac[5];
    CHECK_INT_EQ(seen, 0x3fau); /* 1, 3-9: 2 gave way */
    CHECK(phone_table_new(0) == NULL);
    CHECK_STR_EQ(phone_step_name(PHONE_STEP_CASE_MISMATCH), "case-mismatch");
    CHECK(phone_step_name(PHONE_STEPS) == NULL);
    CHECK_INT_EQ(phone_step_parse("lease"), PHONE_STEP_LEASE);
    CHECK_INT_EQ(phone_step_parse("nope"), -1);
    phone_table_free(t);
}

struct writer {
    struct phone_table *table;
    unsigned first;
};

static void *write_many(void *arg)
{
    struct writer *w = arg;
    for (unsigned i = 0; i < 200000; i++) {
        struct phone_event e = event(w->first + i % 500, (enum phone_step)(i % 3),
                                     T + (int64_t)i);
        phone_table_note(w->table, &e);
    }
    return NULL;
}

static void many_writers_at_once(void)
{
    /* Four threads, 500 phones each (two threads share each phone), a table for 1,000:
     * nearly every phone is there with every step, and a dropped event is rare. */
    struct phone_table *t = phone_table_new(1000);
    pthread_t threads[4];
    struct writer writers[4] = {{t, 0}, {t, 0}, {t, 500}, {t, 500}};
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, write_many, &writers[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    static struct phone_record r[2000];
    size_t total;
    size_t n = phone_table_read(t, r, 2000, &total);
    CHECK(n >= 980); /* a crowded set evicts early: about 2 % of the sets at capacity */
    printf("# %zu phones kept of 1000, %llu of 800000 events dropped\n", n,
           (unsigned long long)phone_table_dropped(t));
    CHECK(phone_table_dropped(t) < 8000);
    size_t whole = 0;
    for (size_t i = 0; i < n; i++)
        whole += r[i].step_time[PHONE_STEP_VLAN] && r[i].step_time[PHONE_STEP_LEASE] &&
                 r[i].step_time[PHONE_STEP_INFORM];
    CHECK(whole >= 970);
    phone_table_free(t);
}

int main(void)
{
    RUN(records_each_step);
    RUN(evicts_the_least_recently_seen);
    RUN(many_writers_at_once);
    CHECK_DONE();
}
