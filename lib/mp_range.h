/* SPDX-License-Identifier: MPL-2.0 */
/* Monitoring-plugins threshold ranges (as check_ntp_time takes them): "10" alerts
 * outside 0..10, "10:" below 10, "~:10" above 10, "10:20" outside 10..20, "@10:20"
 * inside 10..20. */
#ifndef LYNCBOOT_MP_RANGE_H
#define LYNCBOOT_MP_RANGE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mp_range {
    bool set;
    bool start_infinite, end_infinite, alert_inside;
    double start, end;
};

/* Returns 0, or -1 with a reason naming the text. */
int mp_range_parse(const char *text, struct mp_range *range, char *err, size_t errlen);

/* True when value should raise this range's alert (false for an unset range). */
bool mp_range_alerts(const struct mp_range *range, double value);

/* The range as perfdata writes it ("" when unset). */
void mp_range_text(const struct mp_range *range, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
