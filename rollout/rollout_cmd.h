/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-rollout: what it read from each server, and the report it makes of it. */
#ifndef LYNCBOOT_ROLLOUT_CMD_H
#define LYNCBOOT_ROLLOUT_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rollout.h"

#define ROLLOUT_MAX_NOTES 16

struct rollout_options {
    const char *kea[16];         /* Kea's control sockets (lyncboot-phones) or saved answers */
    bool kea_is_file[16];
    size_t kea_count;
    const char *dnstap[64];      /* Frame Streams captures of unbound's dnstap: files, or
                                  * directories of *.fstrm files */
    size_t dnstap_count;
    const char *dnstap_socket;   /* the socket unbound writes dnstap to: is it collected? */
    bool chronyc;                /* chronyc clients on this host */
    const char *chrony_socket;   /* chronyc -h: chronyd's command socket */
    const char *chrony_clients;  /* or `chronyc -c -n clients`, saved */
    const char *access_log;      /* the web server's access log (common/combined) */
    const char *chain_path;      /* the CA chain's path in it */
    const char *html_file;
    bool json, prometheus, all;
    int timeout_ms;
};

/* Everything read, and what could not be: a source that failed leaves a note and its
 * steps unknown; the report is then partial. */
struct rollout_data {
    struct phone_record *phones;
    size_t phone_count;
    long tracked, capacity, dropped;
    struct rollout_dns *dns;
    size_t dns_count;
    struct rollout_ntp *ntp;
    size_t ntp_count;
    struct rollout_http *http;
    size_t http_count;
    bool asked_dns, asked_ntp, asked_http; /* a source given */
    bool have_dns, have_ntp, have_http;    /* and read */
    int64_t dns_until;           /* the capture's last frame, when its collector is gone */
    char sources[24][300];       /* what was read from each source, a line each */
    size_t source_count;
    char notes[ROLLOUT_MAX_NOTES][400];
    size_t note_count;
};

/* The report: each phone followed, and the counts per voice VLAN. */
struct rollout_vlan_counts {
    unsigned vlan;               /* 0: not known (no CPE-OCPHONE answer for its subnet) */
    unsigned long reached[ROLLOUT_STEPS]; /* phones at this step or beyond */
    unsigned long stuck[ROLLOUT_STEPS];   /* phones stopped at this step */
};

struct rollout_report {
    struct rollout_phone *phones;
    unsigned *phone_vlan;        /* its voice VLAN, given or inferred from its subnet */
    size_t phone_count;
    struct rollout_vlan_counts *vlans;
    size_t vlan_count;
    unsigned long stuck;
    enum rollout_step last;      /* the last step the sources can show */
    int64_t made_at;
};

void rollout_note(struct rollout_data *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reading the sources (rollout_sources.c). The DHCP source is needed: -1 with err when
 * it cannot be read. The others leave a note when they cannot. */
int rollout_read_phones(const struct rollout_options *o, struct rollout_data *d, char *err,
                        size_t errlen);
void rollout_read_dnstap(const struct rollout_options *o, struct rollout_data *d);
void rollout_read_chrony(const struct rollout_options *o, struct rollout_data *d,
                         int64_t now);
void rollout_read_access_log(const struct rollout_options *o, struct rollout_data *d);
void rollout_data_free(struct rollout_data *d);

/* The join (rollout_join.c). Returns 0, -1 when out of memory. */
int rollout_make_report(struct rollout_data *d, const char *chain_path, int64_t now,
                        struct rollout_report *r);
void rollout_report_free(struct rollout_report *r);

/* Outputs (rollout_output.c, rollout_html.c). */
void rollout_print_table(const struct rollout_data *d, const struct rollout_report *r,
                         bool all);
int rollout_print_json(const struct rollout_data *d, const struct rollout_report *r);
void rollout_print_prometheus(const struct rollout_data *d, const struct rollout_report *r);
int rollout_write_html(const struct rollout_data *d, const struct rollout_report *r,
                       const char *path, char *err, size_t errlen);
const char *rollout_time_text(int64_t when, char *buf, size_t cap);
const char *rollout_vlan_text(unsigned vlan, char *buf, size_t cap);

#endif
