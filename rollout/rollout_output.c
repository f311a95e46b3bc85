/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-rollout's terminal table, JSON and Prometheus text. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mac_text.h"
#include "rollout_cmd.h"

const char *rollout_time_text(int64_t when, char *buf, size_t cap)
{
    time_t t = (time_t)when;
    struct tm tm;
    if (when <= 0 || !gmtime_r(&t, &tm) || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, cap, "-");
    return buf;
}

const char *rollout_vlan_text(unsigned vlan, char *buf, size_t cap)
{
    if (vlan)
        snprintf(buf, cap, "%u", vlan);
    else
        snprintf(buf, cap, "unknown");
    return buf;
}

static void addr_text(const uint8_t addr[4], char out[16])
{
    inet_ntop(AF_INET, addr, out, 16);
}

static void print_phone(const struct rollout_report *r, size_t i)
{
    const struct rollout_phone *p = &r->phones[i];
    char mac[MAC_TEXT_LEN], addr[16], vlan[12], at[40];
    mac_text(p->dhcp.mac, mac);
    addr_text(p->dhcp.addr, addr);
    printf("  %-17s  %-15s  %-7s  %-6s  %-20s  %s\n", mac, addr,
           rollout_vlan_text(r->phone_vlan[i], vlan, sizeof vlan),
           rollout_step_name(p->reached), rollout_time_text(p->reached_at, at, sizeof at),
           p->stuck ? p->cause : "at the last step the servers show");
    if (p->warning[0])
        printf("  %-17s  also: %s\n", "", p->warning);
}

void rollout_print_table(const struct rollout_data *d, const struct rollout_report *r,
                         bool all)
{
    char made[40], vlan[12];
    printf("Rollout report at %s: %zu phone(s), %lu stuck before '%s' (the last step these "
           "sources show)\n", rollout_time_text(r->made_at, made, sizeof made), r->phone_count,
           r->stuck, rollout_step_name(r->last));
    for (size_t i = 0; i < d->source_count; i++)
        printf("  %s\n", d->sources[i]);
    for (size_t i = 0; i < d->note_count; i++)
        printf("  partial: %s\n", d->notes[i]);
    printf("\nPhones that reached each step, per voice VLAN:\n  %-7s", "VLAN");
    for (unsigned step = ROLLOUT_VLAN; step <= r->last; step++)
        printf("  %6s", rollout_step_name(step));
    printf("  %6s\n", "stuck");
    for (size_t v = 0; v < r->vlan_count; v++) {
        unsigned long stuck = 0;
        printf("  %-7s", rollout_vlan_text(r->vlans[v].vlan, vlan, sizeof vlan));
        for (unsigned step = ROLLOUT_VLAN; step <= r->last; step++)
            printf("  %6lu", r->vlans[v].reached[step]);
        for (unsigned step = 0; step < ROLLOUT_STEPS; step++)
            stuck += r->vlans[v].stuck[step];
        printf("  %6lu\n", stuck);
    }
    printf("\n%s (%s):\n  %-17s  %-15s  %-7s  %-6s  %-20s  %s\n",
           all ? "Phones" : "Stuck phones", all ? "all" : "the likely cause",
           "HW-ADDRESS", "ADDRESS", "VLAN", "STEP", "AT", all ? "STATE" : "CAUSE");
    size_t shown = 0, warned = 0;
    for (size_t i = 0; i < r->phone_count; i++) {
        if (all || r->phones[i].stuck) {
            print_phone(r, i);
            shown++;
        }
        warned += r->phones[i].warning[0] != '\0';
    }
    if (!shown)
        printf("  (none)\n");
    if (warned && !all) {
        printf("\nPhones that carry on with a problem:\n");
        for (size_t i = 0; i < r->phone_count; i++)
            if (!r->phones[i].stuck && r->phones[i].warning[0])
                print_phone(r, i);
    }
}

static json_t *counts_json(const unsigned long *counts, unsigned last)
{
    json_t *o = json_object();
    for (unsigned step = ROLLOUT_VLAN; step <= last; step++)
        json_object_set_new(o, rollout_step_name(step), json_integer((json_int_t)counts[step]));
    return o;
}

int rollout_print_json(const struct rollout_data *d, const struct rollout_report *r)
{
    json_t *root = json_object(), *phones = json_array(), *vlans = json_array();
    json_t *sources = json_array(), *notes = json_array();
    char text[40];
    for (size_t i = 0; i < r->phone_count; i++) {
        const struct rollout_phone *p = &r->phones[i];
        char mac[MAC_TEXT_LEN], addr[16], relay[16];
        mac_text(p->dhcp.mac, mac);
        addr_text(p->dhcp.addr, addr);
        addr_text(p->dhcp.relay, relay);
        json_t *steps = json_object();
        for (unsigned step = ROLLOUT_VLAN; step < ROLLOUT_STEPS; step++)
            if (p->step_at[step])
                json_object_set_new(steps, rollout_step_name(step),
                                    json_string(rollout_time_text(p->step_at[step], text,
                                                                  sizeof text)));
        json_t *phone = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:b}", "hw-address", mac,
                                  "address", addr, "relay", relay,
                                  "subnet-id", (json_int_t)p->dhcp.subnet_id, "reached",
                                  rollout_step_name(p->reached), "reached-at",
                                  rollout_time_text(p->reached_at, text, sizeof text), "steps",
                                  steps, "stuck", p->stuck);
        json_object_set_new(phone, "voice-vlan", r->phone_vlan[i]
                                                     ? json_integer(r->phone_vlan[i])
                                                     : json_null());
        if (p->stuck)
            json_object_set_new(phone, "cause", json_string(p->cause));
        if (p->warning[0])
            json_object_set_new(phone, "warning", json_string(p->warning));
        json_array_append_new(phones, phone);
    }
    for (size_t v = 0; v < r->vlan_count; v++)
        json_array_append_new(
            vlans, json_pack("{s:o, s:o, s:o}", "voice-vlan",
                             r->vlans[v].vlan ? json_integer(r->vlans[v].vlan) : json_null(),
                             "reached", counts_json(r->vlans[v].reached, r->last), "stuck",
                             counts_json(r->vlans[v].stuck, r->last)));
    for (size_t i = 0; i < d->source_count; i++)
        json_array_append_new(sources, json_string(d->sources[i]));
    for (size_t i = 0; i < d->note_count; i++)
        json_array_append_new(notes, json_string(d->notes[i]));
    json_object_set_new(root, "made-at", json_string(rollout_time_text(r->made_at, text,
                                                                       sizeof text)));
    json_object_set_new(root, "last-step", json_string(rollout_step_name(r->last)));
    json_object_set_new(root, "phones-count", json_integer((json_int_t)r->phone_count));
    json_object_set_new(root, "stuck-count", json_integer((json_int_t)r->stuck));
    json_object_set_new(root, "tracked", json_integer(d->tracked));
    json_object_set_new(root, "capacity", json_integer(d->capacity));
    json_object_set_new(root, "dropped", json_integer(d->dropped));
    json_object_set_new(root, "partial", json_boolean(d->note_count > 0));
    json_object_set_new(root, "sources", sources);
    json_object_set_new(root, "problems", notes);
    json_object_set_new(root, "vlans", vlans);
    json_object_set_new(root, "phones", phones);
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(root);
    return rc;
}

/* The text exposition format, for node_exporter's textfile collector or a push. */
void rollout_print_prometheus(const struct rollout_data *d, const struct rollout_report *r)
{
    char vlan[12];
    printf("# HELP lyncboot_rollout_phones Phones that reached this step of the bootstrap or "
           "a later one, by voice VLAN.\n# TYPE lyncboot_rollout_phones gauge\n");
    for (size_t v = 0; v < r->vlan_count; v++)
        for (unsigned step = ROLLOUT_VLAN; step <= r->last; step++)
            printf("lyncboot_rollout_phones{vlan=\"%s\",step=\"%s\"} %lu\n",
                   rollout_vlan_text(r->vlans[v].vlan, vlan, sizeof vlan),
                   rollout_step_name(step), r->vlans[v].reached[step]);
    printf("# HELP lyncboot_rollout_stuck Phones stopped at this step (the furthest they "
           "reached) before the last step the sources show, by voice VLAN.\n"
           "# TYPE lyncboot_rollout_stuck gauge\n");
    for (size_t v = 0; v < r->vlan_count; v++)
        for (unsigned step = ROLLOUT_NONE; step < r->last; step++)
            printf("lyncboot_rollout_stuck{vlan=\"%s\",step=\"%s\"} %lu\n",
                   rollout_vlan_text(r->vlans[v].vlan, vlan, sizeof vlan),
                   rollout_step_name(step), r->vlans[v].stuck[step]);
    printf("# HELP lyncboot_rollout_source_up Whether a source was read whole (1) or the "
           "report is partial for it (0).\n# TYPE lyncboot_rollout_source_up gauge\n");
    printf("lyncboot_rollout_source_up{source=\"dhcp\"} 1\n");
    if (d->asked_dns)
        printf("lyncboot_rollout_source_up{source=\"dns\"} %d\n", d->have_dns && !d->dns_until);
    if (d->asked_ntp)
        printf("lyncboot_rollout_source_up{source=\"ntp\"} %d\n", d->have_ntp);
    if (d->asked_http)
        printf("lyncboot_rollout_source_up{source=\"web\"} %d\n", d->have_http);
    printf("# HELP lyncboot_rollout_tracked Phones the Kea hook remembers.\n"
           "# TYPE lyncboot_rollout_tracked gauge\nlyncboot_rollout_tracked %ld\n"
           "# HELP lyncboot_rollout_capacity Phones the Kea hook can remember.\n"
           "# TYPE lyncboot_rollout_capacity gauge\nlyncboot_rollout_capacity %ld\n"
           "# HELP lyncboot_rollout_dropped_total DHCP events the hook could not record.\n"
           "# TYPE lyncboot_rollout_dropped_total counter\nlyncboot_rollout_dropped_total %ld\n",
           d->tracked, d->capacity, d->dropped);
}
