/* SPDX-License-Identifier: MPL-2.0 */
/* The steps of a walk such as `lyncboot-probe bootstrap`: each begins, ends with a
 * status, a detail and (when it fails) the likely cause in a sentence, and is logged as
 * it goes in the spirit of Test-CsPhoneBootstrap's verbose log; at the end the walk is
 * summarised as the cmdlet does, or as JSON (probe_walk_report.c). */
#ifndef LYNCBOOT_PROBE_WALK_H
#define LYNCBOOT_PROBE_WALK_H

#include <stddef.h>

#define WALK_MAX_STEPS 16

enum step_status { STEP_PASS, STEP_WARN, STEP_FAIL, STEP_SKIP };

struct step {
    const char *name;
    enum step_status status;
    double seconds;
    char detail[512];
    char cause[512];
};

struct walk {
    struct step steps[WALK_MAX_STEPS];
    size_t count;
    double started, step_started;
};

/* "pass", "warning", "fail", "skip". */
const char *step_status_name(enum step_status status);

void walk_start(struct walk *w);
/* Logs "'NAME' activity started." and times the step from here. */
struct step *step_begin(struct walk *w, const char *name);
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void step_end(struct walk *w, struct step *s, enum step_status status, const char *cause,
              const char *fmt, ...);
/* A step that could not run, and why. */
void step_skip(struct walk *w, const char *name, const char *why);

/* The first failed step, or NULL. */
const struct step *walk_first_failure(const struct walk *w);
/* Seconds since walk_start(). */
double walk_seconds(const struct walk *w);

/* The closing summary as the cmdlet prints it (TargetUri, Result, Latency, Error,
 * Diagnosis), on stdout. */
void walk_report_text(const struct walk *w, const char *target_uri, const char *target_fqdn);
/* The walk as one JSON document on stdout: target_uri, target_fqdn, result,
 * latency_s, and every step's name, status, latency_s, detail and cause. */
void walk_report_json(const struct walk *w, const char *target_uri, const char *target_fqdn);

#endif
