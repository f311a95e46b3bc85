/* SPDX-License-Identifier: MPL-2.0 */
/* chronyc's CSV output (chronyc -c -n tracking | sources), the stable interface to a
 * local chronyd (its command protocol is private and changes). Layout of chrony 4.3. */
#ifndef LYNCBOOT_CHRONY_CSV_H
#define LYNCBOOT_CHRONY_CSV_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct chrony_tracking {
    char refid[16];
    char ref_name[128];
    int stratum;
    double ref_time, system_offset, last_offset, rms_offset;
    double frequency_ppm, residual_ppm, skew_ppm;
    double root_delay, root_dispersion, update_interval;
    char leap_status[32]; /* Normal, Insert second, Delete second, Not synchronised */
    bool synchronised;
};

/* One line of `chronyc -c -n tracking`. Returns 0, or -1 with the field at fault. */
int chrony_parse_tracking(const char *line, struct chrony_tracking *out, char *err,
                          size_t errlen);

struct chrony_source {
    char mode;  /* ^ server, = peer, # reference clock */
    char state; /* * selected, + combined, - not combined, ? unusable, x falseticker, ~ jittery */
    char name[128];
    int stratum, poll;
    unsigned reach; /* the 8-bit register, from chronyc's octal */
    double last_offset, measured_offset, error;
};

/* One line of `chronyc -c -n sources`. Returns 0, or -1 with the field at fault. */
int chrony_parse_source(const char *line, struct chrony_source *out, char *err,
                        size_t errlen);

struct chrony_sourcestats {
    char name[128];
    int samples, runs;
    double span, frequency_ppm, skew_ppm, offset, std_dev; /* seconds or ppm */
};

/* One line of `chronyc -c -n sourcestats`. Returns 0, or -1 with the field at fault. */
int chrony_parse_sourcestats(const char *line, struct chrony_sourcestats *out, char *err,
                             size_t errlen);

/* One NTP client chronyd has served (chronyc -c -n clients): a phone that asked for
 * the time. */
struct chrony_client {
    char address[64];
    unsigned long ntp_packets, ntp_dropped;
    long ntp_last_ago; /* seconds since its last NTP packet; -1: none */
};

/* One line of `chronyc -c -n clients` (chrony 4.x: address, NTP packets, dropped,
 * interval, burst interval, last, then the same for commands; 4294967295 for "never").
 * Returns 0, or -1 with the field at fault. */
int chrony_parse_client(const char *line, struct chrony_client *out, char *err,
                        size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
