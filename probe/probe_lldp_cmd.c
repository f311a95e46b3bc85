/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe lldp: what a phone learns from the switch port by LLDP-MED, compared
 * with what DHCP VLAN discovery (CPE-OCPHONE) says on the same port; the problems
 * named. */
#define _GNU_SOURCE
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "latin1.h"
#include "mac_text.h"
#include "probe.h"
#include "probe_dhcp.h"
#include "probe_lldp.h"
#include "probe_net.h"

#define DEFAULT_WAIT_MS 10000
#define PROBLEMS_MAX 8

struct lldp_report {
    const char *ifname;
    struct lldp_heard heard;
    const struct med_policy *voice; /* the policy the phone takes, or NULL */
    int dhcp_checked, dhcp_vlan;    /* CPE-OCPHONE on the same port */
    size_t problems;
    char problem[PROBLEMS_MAX][400];
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void add_problem(struct lldp_report *r, const char *fmt, ...)
{
    if (r->problems == PROBLEMS_MAX)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(r->problem[r->problems++], sizeof r->problem[0], fmt, args);
    va_end(args);
}

/* "bridge, router": the names of the capability bits set. */
static const char *capability_names(uint16_t bits, char *out, size_t cap)
{
    static const char *const names[] = {"other", "repeater", "bridge", "wlan-ap", "router",
                                        "telephone", "docsis", "station", "c-vlan", "s-vlan",
                                        "tpmr"};
    out[0] = '\0';
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (bits & (1u << i))
            snprintf(out + strlen(out), cap - strlen(out), "%s%s", out[0] ? ", " : "", names[i]);
    if (!out[0])
        snprintf(out, cap, "none");
    return out;
}

static const char *med_class_name(unsigned device_class)
{
    switch (device_class) {
    case 1: return "endpoint class I";
    case 2: return "endpoint class II";
    case MED_CLASS_ENDPOINT_III: return "endpoint class III";
    case MED_CLASS_NETWORK_CONNECTIVITY: return "network connectivity device";
    default: return "not defined";
    }
}

static void policy_text(const struct med_policy *p, char *out, size_t cap)
{
    if (p->unknown)
        snprintf(out, cap, "unknown (the sender has no policy)");
    else if (p->tagged)
        snprintf(out, cap, "VLAN %u tagged, priority %u, DSCP %u", p->vlan_id, p->priority,
                 p->dscp);
    else
        snprintf(out, cap, "untagged (the port's VLAN), priority %u, DSCP %u", p->priority,
                 p->dscp);
}

/* What is wrong with what the port said, as a phone would suffer it. */
static void find_problems(struct lldp_report *r)
{
    const struct lldp_heard *h = &r->heard;
    char mac[MAC_TEXT_LEN];
    if (h->malformed)
        add_problem(r, "%d frame(s) from %s were no LLDPDU (%s): a phone drops them", h->malformed,
                    mac_text(h->malformed_from, mac), h->malformed_error);
    for (size_t i = 0; i < h->neighbors; i++)
        if (h->neighbor[i].pdu.problem[0])
            add_problem(r, "LLDPDU from %s: %s", mac_text(h->neighbor[i].from, mac),
                        h->neighbor[i].pdu.problem);
    if (h->neighbors == 0) {
        add_problem(r, "no LLDPDU on %s within the wait: LLDP is off on the switch port (or "
                    "not sent to endpoints); phones fall back to DHCP (CPE-OCPHONE)", r->ifname);
        return;
    }
    int any_med = 0;
    for (size_t i = 0; i < h->neighbors; i++)
        any_med |= h->neighbor[i].pdu.has_med;
    if (!r->voice) {
        int unknown = 0;
        for (size_t i = 0; i < h->neighbors; i++) {
            const struct med_policy *p = lldp_neighbor_policy(&h->neighbor[i].pdu, MED_APP_VOICE);
            unknown |= p && p->unknown;
        }
        add_problem(r, unknown ? "the switch's voice policy says 'unknown': it has no voice VLAN "
                                 "for this port; phones fall back to DHCP (CPE-OCPHONE)"
                    : any_med ? "LLDP-MED but no network policy for application voice: "
                                "configure the voice VLAN on the port (e.g. lldpd: lldpcli "
                                "configure med policy application voice vlan N)"
                              : "LLDP without LLDP-MED: the switch sends no network policy, so "
                                "no voice VLAN; enable LLDP-MED on the port");
    } else if (!r->voice->tagged && r->voice->vlan_id != 0) {
        add_problem(r, "the voice policy is untagged but names VLAN %u: phones ignore the VLAN "
                    "of an untagged policy", r->voice->vlan_id);
    }
    int lldp_vlan = r->voice && r->voice->tagged ? r->voice->vlan_id : 0;
    if (r->voice && r->dhcp_checked && r->dhcp_vlan > 0 && r->dhcp_vlan != lldp_vlan)
        add_problem(r, "LLDP-MED says voice VLAN %d, DHCP (CPE-OCPHONE) says %d: phones trust "
                    "LLDP-MED and go to %d", lldp_vlan, r->dhcp_vlan, lldp_vlan);
}

static void print_neighbor(const struct lldp_heard *h, size_t i)
{
    const struct lldp_neighbor *n = &h->neighbor[i].pdu;
    char mac[MAC_TEXT_LEN], text[200];
    printf("  LLDPDU from %s (first after %.1f s, %d in all):\n", mac_text(h->neighbor[i].from, mac),
           h->neighbor[i].after, h->neighbor[i].frames);
    printf("    Chassis ID        : %s\n", n->chassis_id);
    printf("    Port ID           : %s%s%s\n", n->port_id,
           n->port_description[0] ? ", " : "", n->port_description);
    printf("    TTL               : %u s\n", n->ttl);
    if (n->system_name[0])
        printf("    System name       : %s\n", n->system_name);
    if (n->system_description[0])
        printf("    System description: %s\n", n->system_description);
    if (n->has_capabilities)
        printf("    Capabilities      : %s\n",
               capability_names(n->enabled_capabilities, text, sizeof text));
    if (n->has_port_vlan)
        printf("    Port VLAN ID      : %u (untagged)\n", n->port_vlan_id);
    for (size_t v = 0; v < n->vlan_names; v++)
        printf("    VLAN %-4u         : %s\n", n->vlan_name[v].vlan_id, n->vlan_name[v].name);
    if (n->has_med)
        printf("    LLDP-MED          : %s (class %u)\n", med_class_name(n->med_device_class),
               n->med_device_class);
    for (size_t p = 0; p < n->policies; p++) {
        policy_text(&n->policy[p], text, sizeof text);
        printf("    Policy %-11s: %s\n", med_application_name(n->policy[p].application), text);
    }
}

static void report_text(const struct lldp_report *r)
{
    const struct lldp_heard *h = &r->heard;
    for (size_t i = 0; i < h->neighbors; i++)
        print_neighbor(h, i);
    if (r->voice) {
        char text[200];
        policy_text(r->voice, text, sizeof text);
        printf("Voice VLAN from LLDP-MED: %s.\n", text);
    } else {
        printf("No voice VLAN from LLDP-MED.\n");
    }
    if (r->dhcp_checked && r->dhcp_vlan > 0)
        printf("DHCP VLAN discovery (CPE-OCPHONE) on %s: VLAN %d.\n", r->ifname, r->dhcp_vlan);
    else if (r->dhcp_checked)
        printf("DHCP VLAN discovery (CPE-OCPHONE) on %s: %s.\n", r->ifname,
               r->dhcp_vlan == 0 ? "no voice VLAN" : "could not ask");
    for (size_t i = 0; i < r->problems; i++)
        printf("PROBLEM: %s\n", r->problem[i]);
    printf("Result : %s\n", r->problems ? "Failure" : "Success");
}

static json_t *json_text(const char *text)
{
    char utf8[1024];
    json_t *j = json_string(text);
    return j ? j : json_string(latin1_to_utf8(text, utf8, sizeof utf8));
}

static json_t *json_policy(const struct med_policy *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "application", json_string(med_application_name(p->application)));
    json_object_set_new(o, "unknown", json_boolean(p->unknown));
    json_object_set_new(o, "tagged", json_boolean(p->tagged));
    json_object_set_new(o, "vlan_id", json_integer(p->vlan_id));
    json_object_set_new(o, "priority", json_integer(p->priority));
    json_object_set_new(o, "dscp", json_integer(p->dscp));
    return o;
}

static void report_json(const struct lldp_report *r)
{
    const struct lldp_heard *h = &r->heard;
    char mac[MAC_TEXT_LEN], text[200];
    json_t *root = json_object(), *neighbors = json_array(), *problems = json_array();
    json_object_set_new(root, "interface", json_text(r->ifname));
    json_object_set_new(root, "sent", json_integer(h->sent));
    for (size_t i = 0; i < h->neighbors; i++) {
        const struct lldp_neighbor *n = &h->neighbor[i].pdu;
        json_t *o = json_object(), *policies = json_array(), *names = json_array();
        json_object_set_new(o, "from", json_string(mac_text(h->neighbor[i].from, mac)));
        json_object_set_new(o, "after_s", json_real(h->neighbor[i].after));
        json_object_set_new(o, "frames", json_integer(h->neighbor[i].frames));
        json_object_set_new(o, "chassis_id", json_text(n->chassis_id));
        json_object_set_new(o, "port_id", json_text(n->port_id));
        json_object_set_new(o, "port_description", json_text(n->port_description));
        json_object_set_new(o, "system_name", json_text(n->system_name));
        json_object_set_new(o, "system_description", json_text(n->system_description));
        json_object_set_new(o, "ttl", json_integer(n->ttl));
        json_object_set_new(o, "capabilities",
                            n->has_capabilities
                                ? json_string(capability_names(n->enabled_capabilities, text,
                                                               sizeof text))
                                : json_null());
        json_object_set_new(o, "port_vlan_id",
                            n->has_port_vlan ? json_integer(n->port_vlan_id) : json_null());
        for (size_t v = 0; v < n->vlan_names; v++) {
            json_t *name = json_object();
            json_object_set_new(name, "vlan_id", json_integer(n->vlan_name[v].vlan_id));
            json_object_set_new(name, "name", json_text(n->vlan_name[v].name));
            json_array_append_new(names, name);
        }
        json_object_set_new(o, "vlan_names", names);
        json_object_set_new(o, "med_device_class",
                            n->has_med ? json_integer(n->med_device_class) : json_null());
        for (size_t p = 0; p < n->policies; p++)
            json_array_append_new(policies, json_policy(&n->policy[p]));
        json_object_set_new(o, "policies", policies);
        json_object_set_new(o, "problem", json_text(n->problem));
        json_array_append_new(neighbors, o);
    }
    json_object_set_new(root, "neighbors", neighbors);
    json_object_set_new(root, "malformed", json_integer(h->malformed));
    json_object_set_new(root, "voice_vlan",
                        r->voice && r->voice->tagged ? json_integer(r->voice->vlan_id)
                                                     : json_null());
    json_object_set_new(root, "voice_policy", r->voice ? json_policy(r->voice) : json_null());
    json_object_set_new(root, "dhcp_voice_vlan",
                        r->dhcp_checked && r->dhcp_vlan > 0 ? json_integer(r->dhcp_vlan)
                                                            : json_null());
    for (size_t i = 0; i < r->problems; i++)
        json_array_append_new(problems, json_text(r->problem[i]));
    json_object_set_new(root, "problems", problems);
    json_object_set_new(root, "result", json_string(r->problems ? "Failure" : "Success"));
    json_dumpf(root, stdout, JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
    putchar('\n');
    json_decref(root);
}

int cmd_lldp(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"interface", required_argument, NULL, 'i'},
        {"wait", required_argument, NULL, 'w'},
        {"timeout", required_argument, NULL, 't'},
        {"no-dhcp", no_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *ifname = NULL;
    int wait_ms = DEFAULT_WAIT_MS, timeout_ms = 3000, no_dhcp = 0, json = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "i:w:t:njh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'i': ifname = optarg; break;
        case 'w':
            if (parse_seconds_ms("--wait", optarg, 0.1, 300, &wait_ms) != 0)
                return EXIT_USAGE;
            break;
        case 't':
            if (parse_timeout_ms(optarg, &timeout_ms) != 0)
                return EXIT_USAGE;
            break;
        case 'n': no_dhcp = 1; break;
        case 'j': json = 1; break;
        case 'h': probe_usage(stdout); return 0;
        default: return EXIT_USAGE;
        }
    }
    if (!ifname || optind != argc) {
        fprintf(stderr, "lyncboot-probe lldp: needs --interface IF and nothing else (try "
                        "--help)\n");
        return EXIT_USAGE;
    }
    struct iface_info iface;
    char err[256];
    if (net_iface_info(ifname, &iface, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-probe: %s\n", err);
        return EXIT_USAGE;
    }
    static struct lldp_report r;
    r.ifname = iface.name;
    int need_root = 0;
    if (!json)
        printf("'LLDP' activity started on %s: an LLDP-MED endpoint (class III) sends its "
               "LLDPDU and listens %.1f s.\n", iface.name, wait_ms / 1000.0);
    if (lldp_listen(&iface, wait_ms, 0, &r.heard, &need_root, err, sizeof err) != 0) {
        fprintf(stderr, "lyncboot-probe: %s%s\n", err, need_root ? " (needs root)" : "");
        return EXIT_USAGE;
    }
    r.voice = lldp_voice_policy(&r.heard, NULL);
    if (!no_dhcp) {
        r.dhcp_vlan = discover_vlan(&iface, timeout_ms, &need_root, 1);
        r.dhcp_checked = 1;
    }
    find_problems(&r);
    if (json)
        report_json(&r);
    else
        report_text(&r);
    return r.problems ? 1 : 0;
}
