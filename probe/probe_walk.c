/* SPDX-License-Identifier: MPL-2.0 */
#define _POSIX_C_SOURCE 200809L
#include "probe_walk.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *step_status_name(enum step_status status)
{
    static const char *const names[] = {"pass", "warning", "fail", "skip"};
    return names[status];
}

void walk_start(struct walk *w)
{
    memset(w, 0, sizeof *w);
    w->started = now_seconds();
}

static struct step *next_step(struct walk *w, const char *name)
{
    /* The table of steps is fixed and shorter: one more than it would be a bug. */
    struct step *s = &w->steps[w->count < WALK_MAX_STEPS ? w->count++ : WALK_MAX_STEPS - 1];
    memset(s, 0, sizeof *s);
    s->name = name;
    return s;
}

struct step *step_begin(struct walk *w, const char *name)
{
    struct step *s = next_step(w, name);
    printf("'%s' activity started.\n", name);
    fflush(stdout);
    w->step_started = now_seconds();
    return s;
}

void step_end(struct walk *w, struct step *s, enum step_status status, const char *cause,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->detail, sizeof s->detail, fmt, ap);
    va_end(ap);
    snprintf(s->cause, sizeof s->cause, "%s", cause ? cause : "");
    s->status = status;
    s->seconds = now_seconds() - w->step_started;
    printf("%s\n", s->detail);
    if (status == STEP_FAIL && s->cause[0])
        printf("CHECK : %s\n", s->cause);
    printf("'%s' activity completed in '%.7f' secs: %s.\n\n", s->name, s->seconds,
           step_status_name(status));
    fflush(stdout);
}

void step_skip(struct walk *w, const char *name, const char *why)
{
    struct step *s = next_step(w, name);
    s->status = STEP_SKIP;
    snprintf(s->detail, sizeof s->detail, "%s", why);
    printf("'%s' activity skipped: %s\n\n", name, why);
}

const struct step *walk_first_failure(const struct walk *w)
{
    for (size_t i = 0; i < w->count; i++)
        if (w->steps[i].status == STEP_FAIL)
            return &w->steps[i];
    return NULL;
}

double walk_seconds(const struct walk *w)
{
    return now_seconds() - w->started;
}
