/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: a switch's LLDPDU as lyncboot-probe lldp reads it off the wire. A decoded
 * LLDPDU has only printable texts (a hostile switch cannot drive the terminal of the
 * admin reading the report), at most one policy an application, VLAN IDs and policy
 * fields within their bit widths; and what the phone's encoder writes, the decoder
 * reads back. */
#include "fuzz_target.h"
#include "lldp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lldp_neighbor sw;
    char err[256];
    if (lldp_decode(data, size, &sw, err, sizeof err) == 0) {
        FUZZ_ASSERT(fuzz_printable(sw.chassis_id) && fuzz_printable(sw.port_id));
        FUZZ_ASSERT(fuzz_printable(sw.system_name) && fuzz_printable(sw.system_description));
        FUZZ_ASSERT(fuzz_printable(sw.port_description) && fuzz_printable(sw.problem));
        FUZZ_ASSERT(sw.policies <= LLDP_POLICIES_MAX && sw.vlan_names <= LLDP_VLAN_NAMES_MAX);
        for (size_t i = 0; i < sw.vlan_names; i++) {
            FUZZ_ASSERT(fuzz_printable(sw.vlan_name[i].name));
            FUZZ_ASSERT(sw.vlan_name[i].vlan_id <= 4095);
        }
        for (size_t i = 0; i < sw.policies; i++) {
            FUZZ_ASSERT(sw.policy[i].vlan_id <= 4095 && sw.policy[i].priority <= 7 &&
                        sw.policy[i].dscp <= 63);
            FUZZ_ASSERT(lldp_neighbor_policy(&sw, sw.policy[i].application) == &sw.policy[i]);
        }
    } else {
        FUZZ_ASSERT(strncmp(err, "not an LLDPDU: ", 15) == 0 && fuzz_printable(err));
    }
    /* The input's first bytes as a phone's texts: encoded, read back the same. */
    char name[33];
    size_t take = size < 32 ? size : 32;
    for (size_t i = 0; i < take; i++) { /* printable, no blank, no backslash (quoted) */
        name[i] = (char)(0x21 + data[i] % 94);
        if (name[i] == '\\')
            name[i] = '/';
    }
    name[take] = '\0';
    struct lldp_endpoint phone = {.mac = {2, 0, 0, 0, 0, 1}, .interface = name,
                                  .system_name = name, .model = name, .ttl = 120};
    uint8_t pdu[LLDP_PDU_MAX];
    int len = lldp_encode_endpoint(&phone, pdu, sizeof pdu, err, sizeof err);
    FUZZ_ASSERT(len > 0);
    FUZZ_ASSERT(lldp_decode(pdu, (size_t)len, &sw, err, sizeof err) == 0);
    FUZZ_ASSERT(strcmp(sw.system_name, name) == 0 && strcmp(sw.port_description, name) == 0);
    FUZZ_ASSERT(sw.problem[0] == '\0');
    return 0;
}
