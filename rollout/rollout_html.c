/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-rollout's HTML report: one self-contained file (style inline, no script, no
 * external asset), so it can be mailed or opened from a share: per voice VLAN the
 * phones that reached each step as bars, the problems with the sources, and the stuck
 * phones with their likely causes. Every count cell carries data-vlan and data-step. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errtext.h"
#include "mac_text.h"
#include "rollout_cmd.h"

static void put_escaped(FILE *f, const char *text)
{
    for (; *text; text++) {
        switch (*text) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*text, f);
        }
    }
}

static const char style[] =
    "body{font-family:sans-serif;margin:2em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
    "td.count{text-align:right;min-width:9em}"
    ".bar{background:#4a8;height:.6em;margin-top:.2em}"
    ".stuck .bar{background:#c64}"
    ".note{color:#a40}.ok{color:#282}code{font-size:.95em}";

static void vlan_table(FILE *f, const struct rollout_report *r)
{
    char vlan[12];
    fputs("<h2>Phones per step and voice VLAN</h2>\n<table id=\"steps\">\n<tr><th>VLAN</th>",
          f);
    for (unsigned step = ROLLOUT_VLAN; step <= r->last; step++)
        fprintf(f, "<th>%s</th>", rollout_step_name(step));
    fputs("<th>stuck</th></tr>\n", f);
    for (size_t v = 0; v < r->vlan_count; v++) {
        const struct rollout_vlan_counts *c = &r->vlans[v];
        unsigned long total = 0, stuck = 0;
        for (unsigned step = 0; step < ROLLOUT_STEPS; step++)
            stuck += c->stuck[step];
        total = c->reached[ROLLOUT_VLAN] + c->stuck[ROLLOUT_NONE];
        rollout_vlan_text(c->vlan, vlan, sizeof vlan);
        fprintf(f, "<tr><th>%s</th>", vlan);
        for (unsigned step = ROLLOUT_VLAN; step <= r->last; step++)
            fprintf(f, "<td class=\"count\" data-vlan=\"%s\" data-step=\"%s\">%lu"
                    "<div class=\"bar\" style=\"width:%lu%%\"></div></td>", vlan,
                    rollout_step_name(step), c->reached[step],
                    total ? c->reached[step] * 100 / total : 0);
        fprintf(f, "<td class=\"count stuck\" data-vlan=\"%s\" data-step=\"stuck\">%lu"
                "<div class=\"bar\" style=\"width:%lu%%\"></div></td></tr>\n", vlan, stuck,
                total ? stuck * 100 / total : 0);
    }
    fputs("</table>\n<p>A phone counts at every step up to the furthest it reached.</p>\n", f);
}

static void stuck_table(FILE *f, const struct rollout_report *r)
{
    fprintf(f, "<h2>Stuck phones (%lu)</h2>\n", r->stuck);
    if (!r->stuck) {
        fputs("<p class=\"ok\">Every phone reached the last step the sources show.</p>\n", f);
        return;
    }
    fputs("<table id=\"stuck\">\n<tr><th>hardware address</th><th>address</th><th>VLAN</th>"
          "<th>furthest step</th><th>at</th><th>likely cause</th></tr>\n", f);
    for (size_t i = 0; i < r->phone_count; i++) {
        const struct rollout_phone *p = &r->phones[i];
        if (!p->stuck)
            continue;
        char addr[16], vlan[12], at[40], mac[MAC_TEXT_LEN];
        inet_ntop(AF_INET, p->dhcp.addr, addr, sizeof addr);
        fprintf(f, "<tr class=\"phone\" data-step=\"%s\"><td><code>%s</code></td><td>%s</td>"
                "<td>%s</td><td>%s</td><td>%s</td><td>", rollout_step_name(p->reached),
                mac_text(p->dhcp.mac, mac), addr,
                rollout_vlan_text(r->phone_vlan[i], vlan, sizeof vlan),
                rollout_step_name(p->reached), rollout_time_text(p->reached_at, at, sizeof at));
        put_escaped(f, p->cause);
        if (p->warning[0]) {
            fputs("; also ", f);
            put_escaped(f, p->warning);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* Phones at the last step that will still miss something (no Device Update server). */
static void warning_list(FILE *f, const struct rollout_report *r)
{
    size_t warned = 0;
    for (size_t i = 0; i < r->phone_count; i++)
        warned += !r->phones[i].stuck && r->phones[i].warning[0];
    if (!warned)
        return;
    fprintf(f, "<h2>Phones that carry on with a problem (%zu)</h2>\n<ul id=\"warnings\">\n",
            warned);
    for (size_t i = 0; i < r->phone_count; i++) {
        const struct rollout_phone *p = &r->phones[i];
        if (p->stuck || !p->warning[0])
            continue;
        char mac[MAC_TEXT_LEN];
        fprintf(f, "<li><code>%s</code>: ", mac_text(p->dhcp.mac, mac));
        put_escaped(f, p->warning);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

int rollout_write_html(const struct rollout_data *d, const struct rollout_report *r,
                       const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return errtext_fail(err, errlen, "%s: %s", path, strerror(errno));
    char made[40];
    rollout_time_text(r->made_at, made, sizeof made);
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Lync phone rollout, %s</title><style>%s</style></head><body>\n"
            "<h1>Lync phone rollout at %s</h1>\n<p id=\"summary\" data-phones=\"%zu\" "
            "data-stuck=\"%lu\">%zu phone(s), %lu stuck before <b>%s</b>, the last step "
            "these sources show.</p>\n<ul>", made, style, made, r->phone_count, r->stuck,
            r->phone_count, r->stuck, rollout_step_name(r->last));
    for (size_t i = 0; i < d->source_count; i++) {
        fputs("<li>", f);
        put_escaped(f, d->sources[i]);
        fputs("</li>", f);
    }
    for (size_t i = 0; i < d->note_count; i++) {
        fputs("<li class=\"note\">partial: ", f);
        put_escaped(f, d->notes[i]);
        fputs("</li>", f);
    }
    fputs("</ul>\n", f);
    vlan_table(f, r);
    stuck_table(f, r);
    warning_list(f, r);
    fputs("<p>Made by lyncboot-rollout " LYNCBOOT_VERSION ".</p>\n</body></html>\n", f);
    if (fclose(f) != 0)
        return errtext_fail(err, errlen, "%s: %s", path, strerror(errno));
    return 0;
}
