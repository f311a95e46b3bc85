/* SPDX-License-Identifier: MPL-2.0 */
/* A walk's closing report: the cmdlet's summary, or JSON through jansson. */
#include <jansson.h>
#include <stdio.h>

#include "latin1.h"
#include "probe_walk.h"

void walk_report_text(const struct walk *w, const char *target_uri, const char *target_fqdn)
{
    const struct step *failed = walk_first_failure(w);
    double latency = walk_seconds(w);
    int minutes = (int)(latency / 60);
    printf("TargetUri : %s\nTargetFqdn : %s\nResult : %s\nLatency : 00:%02d:%010.7f\n",
           target_uri, target_fqdn, failed ? "Failure" : "Success", minutes,
           latency - minutes * 60);
    if (failed)
        printf("Error : ERROR - %s\nDiagnosis : %s\n", failed->detail, failed->cause);
    fflush(stdout);
}

/* A JSON string of text that may hold bytes from the network (not UTF-8). */
static json_t *json_text(const char *text)
{
    char utf8[2 * 1024];
    json_t *j = json_string(text);
    return j ? j : json_string(latin1_to_utf8(text, utf8, sizeof utf8));
}

void walk_report_json(const struct walk *w, const char *target_uri, const char *target_fqdn)
{
    json_t *root = json_object(), *steps = json_array();
    json_object_set_new(root, "target_uri", json_text(target_uri));
    json_object_set_new(root, "target_fqdn", json_text(target_fqdn));
    json_object_set_new(root, "result", json_string(walk_first_failure(w) ? "Failure" : "Success"));
    json_object_set_new(root, "latency_s", json_real(walk_seconds(w)));
    for (size_t i = 0; i < w->count; i++) {
        const struct step *s = &w->steps[i];
        json_t *step = json_object();
        json_object_set_new(step, "name", json_string(s->name));
        json_object_set_new(step, "status", json_string(step_status_name(s->status)));
        json_object_set_new(step, "latency_s", json_real(s->seconds));
        json_object_set_new(step, "detail", json_text(s->detail));
        json_object_set_new(step, "cause", json_text(s->cause));
        json_array_append_new(steps, step);
    }
    json_object_set_new(root, "steps", steps);
    json_dumpf(root, stdout, JSON_ENSURE_ASCII | JSON_REAL_PRECISION(9));
    putchar('\n');
    json_decref(root);
}
