/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: everything lyncboot reads off the network (DHCP replies and their
 * options, DNS responses, NTP replies) goes through lib/ decoders; none may read past its input or crash. Built as a libFuzzer
 * target with clang (see README), and as a corpus replayer (replay_main.c) in the
 * tests, under ASan/UBSan in the sanitized tree. */
#include <stddef.h>
#include <stdint.h>

#include "dhcp4_msg.h"
#include "dnswire.h"
#include "ntpwire.h"
#include "opt120.h"
#include "opt43.h"
#include "opt_time.h"
#include "vendor_class.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t value[255 * 4];
    struct dhcp4_reply reply;

    /* The raw input as an option value, for each decoder. */
    size_t opt_len = size > 255 ? 255 : size;
    struct ucclient_decoded uc;
    struct vlan_decoded vlan;
    struct opt120_decoded sip;
    uint8_t addrs[OPT42_MAX_SERVERS][4];
    int32_t offset;
    char err[128];
    (void)opt43_decode_ucclient(data, opt_len, &uc);
    (void)opt43_decode_vlan(data, opt_len, &vlan);
    (void)opt120_decode(data, opt_len, &sip, err, sizeof err);
    (void)opt42_decode(data, opt_len, addrs, OPT42_MAX_SERVERS);
    (void)opt2_decode(data, opt_len, &offset);
    (void)vendor_class_classify(data, opt_len);

    /* The raw input as a DNS response and as an NTP reply. */
    struct dns_answer dns;
    struct ntp_reply ntp;
    struct ntp_timestamp sent = {0, 0};
    /* The input is also its own query: the same ID and question, so the answer
     * section is reached. */
    (void)dns_parse_response(data, size, data, size, &dns, err, sizeof err);
    (void)ntp_parse_reply(data, size, sent, &ntp, err, sizeof err);

    /* The raw input as a packed reply the Kea hook appends to. */
    static const uint8_t v43[] = {1, 1, 'x'};
    const struct dhcp4_option_ref ours[] = {{43, v43, sizeof v43}};
    struct dhcp4_code_set blockers;
    dhcp4_append_blockers(ours, 1, &blockers);
    (void)dhcp4_append_offset(data, size, &blockers);
    (void)dhcp4_packed_type(data, size);

    /* The raw input as a whole DHCP reply, and the options found in it. */
    if (dhcp4_parse_reply(data, size, &reply) != 0)
        return 0;
    int n = dhcp4_get_option(&reply, 43, value, sizeof value);
    if (n > 0) {
        (void)opt43_decode_ucclient(value, (size_t)n > 255 ? 255 : (size_t)n, &uc);
        (void)opt43_decode_vlan(value, (size_t)n > 255 ? 255 : (size_t)n, &vlan);
    }
    n = dhcp4_get_option(&reply, 120, value, sizeof value);
    if (n > 0)
        (void)opt120_decode(value, (size_t)n > 255 ? 255 : (size_t)n, &sip, err, sizeof err);
    n = dhcp4_get_option(&reply, 42, value, sizeof value);
    if (n > 0)
        (void)opt42_decode(value, (size_t)n, addrs, OPT42_MAX_SERVERS);
    return 0;
}
