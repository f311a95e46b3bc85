/* SPDX-License-Identifier: MPL-2.0 */
/* The phone's first step, LLDP-MED: send its LLDPDU as an endpoint of class III, listen
 * for the switch's, and take the voice VLAN from its network policy. */
#ifndef LYNCBOOT_PROBE_LLDP_H
#define LYNCBOOT_PROBE_LLDP_H

#include <stdint.h>

#include "lldp.h"
#include "probe_net.h"

#define LLDP_HEARD_MAX 4 /* neighbors kept, by source MAC */

struct lldp_heard {
    int sent;                 /* our LLDPDUs sent */
    size_t neighbors;
    struct {
        uint8_t from[6];
        double after;         /* seconds from the start to its first LLDPDU */
        int frames;
        struct lldp_neighbor pdu; /* the first LLDPDU of this source */
    } neighbor[LLDP_HEARD_MAX];
    int malformed;            /* frames that were no LLDPDU */
    char malformed_error[256]; /* the first such, named */
    uint8_t malformed_from[6];
};

/* Sends the phone's LLDPDU on the interface at once and every second for the first
 * four (LLDP-MED fast start), and collects what others send for wait_ms; with
 * stop_on_voice, returns as soon as a neighbor gave a voice policy. At the end it says
 * goodbye (a shutdown LLDPDU). Returns 0, or -1 with a reason (*need_root set when it
 * was a permission). */
int lldp_listen(const struct iface_info *iface, int wait_ms, int stop_on_voice,
                struct lldp_heard *heard, int *need_root, char *err, size_t errlen);

/* The voice VLAN the phone takes from what it heard: the first neighbor's voice policy
 * that is known. Returns the policy, or NULL. */
const struct med_policy *lldp_voice_policy(const struct lldp_heard *heard, size_t *which);

#endif
