/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "lldp.h"

/* A switch's LLDPDU as lldpd 1.0.16 (-M 4, a voice policy configured) sends it, shortened:
 * chassis MAC, port by name, TTL 120, system name, capabilities (bridge, router), the
 * 802.1 Port VLAN ID 10 and VLAN name 100 "voice", LLDP-MED capabilities (class:
 * network connectivity) and two policies: voice tagged on VLAN 100, priority 5, DSCP 46;
 * voice signaling tagged on VLAN 100, priority 4, DSCP 26. */
static const char SWITCH_PDU[] =
    "020704" "021100000001"            /* chassis: MAC 02:11:00:00:00:01 */
    "040505" "65746831"                /* port: interface name eth1 */
    "06020078"                         /* TTL 120 */
    "0a03" "737731"                    /* system name sw1 */
    "0e04" "00140014"                  /* capabilities: bridge, router */
    "fe06" "0080c201" "000a"           /* 802.1 Port VLAN ID 10 */
    "fe0c" "0080c203" "0064" "05" "766f696365" /* 802.1 VLAN name 100 "voice" */
    "fe07" "0012bb01" "003304"         /* MED capabilities, class 4 */
    "fe08" "0012bb02" "0140c96e"       /* voice: T, VLAN 100, priority 5, DSCP 46 */
    "fe08" "0012bb02" "0240c91a"       /* voice signaling: T, VLAN 100, priority 4, DSCP 26 */
    "0000";

static void encodes_a_phone(void)
{
    struct lldp_endpoint phone = {
        .mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x50},
        .interface = "p-data",
        .system_name = "phone",
        .manufacturer = "lyncboot",
        .model = "lyncboot-probe",
        .software = "0.1.0",
        .ttl = 120,
    };
    unsigned char out[LLDP_PDU_MAX];
    int len = lldp_encode_endpoint(&phone, out, sizeof out, NULL, 0);
    CHECK_HEX_EQ(out, (size_t)(len < 0 ? 0 : len),
                 "020704020000000050"                  /* chassis: MAC */
                 "040703020000000050"                  /* port: MAC */
                 "06020078"                            /* TTL 120 */
                 "0806702d64617461"                    /* port description p-data */
                 "0a0570686f6e65"                      /* system name phone */
                 "0e0400200020"                        /* capabilities: telephone */
                 "fe070012bb01002303"                  /* MED: caps, policy, inventory; III */
                 "fe080012bb0201800000"                /* voice policy unknown: asking */
                 "fe090012bb07302e312e30"              /* software revision */
                 "fe0c0012bb096c796e63626f6f74"        /* manufacturer */
                 "fe120012bb0a6c796e63626f6f742d70726f6265" /* model */
                 "0000");
    /* What it sends, it reads back. */
    struct lldp_neighbor back;
    CHECK_INT_EQ(lldp_decode(out, (size_t)len, &back, NULL, 0), 0);
    CHECK_STR_EQ(back.chassis_id, "02:00:00:00:00:50");
    CHECK_INT_EQ(back.med_device_class, MED_CLASS_ENDPOINT_III);
    const struct med_policy *voice = lldp_neighbor_policy(&back, MED_APP_VOICE);
    CHECK(voice && voice->unknown);
    CHECK_STR_EQ(back.problem, "");
    /* Its goodbye: the IDs and TTL 0. */
    len = lldp_encode_shutdown(&phone, out, sizeof out);
    CHECK_HEX_EQ(out, (size_t)(len < 0 ? 0 : len),
                 "020704020000000050" "040703020000000050" "06020000" "0000");
    CHECK_INT_EQ(lldp_encode_shutdown(&phone, out, 10), -1);
}

static void encoder_refuses_what_does_not_fit(void)
{
    struct lldp_endpoint phone = {.interface = "p", .ttl = 120,
                                  .model = "a model name longer than thirty-two bytes"};
    unsigned char out[LLDP_PDU_MAX];
    char err[128];
    CHECK_INT_EQ(lldp_encode_endpoint(&phone, out, sizeof out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "longer than 32 bytes");
    phone.model = "m";
    CHECK_INT_EQ(lldp_encode_endpoint(&phone, out, 20, err, sizeof err), -1);
    CHECK_CONTAINS(err, "longer than its buffer");
    phone.ttl = 70000;
    CHECK_INT_EQ(lldp_encode_endpoint(&phone, out, sizeof out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "TTL 70000");
}

static void decodes_a_switch(void)
{
    unsigned char in[LLDP_PDU_MAX];
    size_t len = hex_to_bytes(SWITCH_PDU, in, sizeof in);
    struct lldp_neighbor sw;
    char err[128];
    CHECK_INT_EQ(lldp_decode(in, len, &sw, err, sizeof err), 0);
    CHECK_STR_EQ(sw.chassis_id, "02:11:00:00:00:01");
    CHECK_INT_EQ(sw.port_subtype, LLDP_PORT_INTERFACE_NAME);
    CHECK_STR_EQ(sw.port_id, "eth1");
    CHECK_INT_EQ(sw.ttl, 120);
    CHECK_STR_EQ(sw.system_name, "sw1");
    CHECK(sw.has_capabilities && sw.enabled_capabilities == (LLDP_CAP_BRIDGE | LLDP_CAP_ROUTER));
    CHECK(sw.has_port_vlan && sw.port_vlan_id == 10);
    CHECK_INT_EQ(sw.vlan_names, 1);
    CHECK_INT_EQ(sw.vlan_name[0].vlan_id, 100);
    CHECK_STR_EQ(sw.vlan_name[0].name, "voice");
    CHECK(sw.has_med && sw.med_device_class == MED_CLASS_NETWORK_CONNECTIVITY);
    CHECK_INT_EQ(sw.policies, 2);
    const struct med_policy *voice = lldp_neighbor_policy(&sw, MED_APP_VOICE);
    CHECK(voice != NULL);
    if (voice) {
        CHECK(!voice->unknown && voice->tagged);
        CHECK_INT_EQ(voice->vlan_id, 100);
        CHECK_INT_EQ(voice->priority, 5);
        CHECK_INT_EQ(voice->dscp, 46);
    }
    const struct med_policy *signaling = lldp_neighbor_policy(&sw, MED_APP_VOICE_SIGNALING);
    CHECK(signaling && signaling->dscp == 26 && signaling->priority == 4);
    CHECK(lldp_neighbor_policy(&sw, MED_APP_GUEST_VOICE) == NULL);
    CHECK_STR_EQ(sw.problem, "");
    CHECK_STR_EQ(med_application_name(MED_APP_VOICE_SIGNALING), "voice-signaling");
    CHECK_STR_EQ(med_application_name(200), "unknown");
}

static void policy_bits_round_trip(void)
{
    struct med_policy policy = {.application = MED_APP_VOICE, .tagged = true, .vlan_id = 4094,
                                .priority = 7, .dscp = 63};
    unsigned char bytes[4];
    med_policy_encode(&policy, bytes);
    CHECK_HEX_EQ(bytes, 4, "015ffdff");
    struct med_policy back;
    CHECK_INT_EQ(med_policy_decode(bytes, 4, &back), 0);
    CHECK(back.tagged && !back.unknown && back.vlan_id == 4094 && back.priority == 7 &&
          back.dscp == 63);
    CHECK_INT_EQ(med_policy_decode(bytes, 3, &back), -1);
}

static void refuses_what_is_no_lldpdu(void)
{
    unsigned char in[LLDP_PDU_MAX];
    struct lldp_neighbor sw;
    char err[160];
    /* The Port ID first. */
    size_t len = hex_to_bytes("040505657468310207040211000000010602007800", in, sizeof in);
    CHECK_INT_EQ(lldp_decode(in, len, &sw, err, sizeof err), -1);
    CHECK_CONTAINS(err, "not Chassis ID");
    /* No TTL. */
    len = hex_to_bytes("0207040211000000010405056574683100000000", in, sizeof in);
    CHECK_INT_EQ(lldp_decode(in, len, &sw, err, sizeof err), -1);
    CHECK_CONTAINS(err, "ends before its Time To Live TLV");
    /* A TLV that says it is longer than the frame. */
    len = hex_to_bytes("02070402110000000104050565746831060200780a20737731", in, sizeof in);
    CHECK_INT_EQ(lldp_decode(in, len, &sw, err, sizeof err), -1);
    CHECK_CONTAINS(err, "runs past its end");
    /* A chassis ID of one byte. */
    len = hex_to_bytes("02010404050565746831060200780000", in, sizeof in);
    CHECK_INT_EQ(lldp_decode(in, len, &sw, err, sizeof err), -1);
    CHECK_CONTAINS(err, "Chassis ID TLV of 1 bytes");
    CHECK_INT_EQ(lldp_decode(in, 0, &sw, err, sizeof err), -1);
}

static void names_what_it_skips(void)
{
    unsigned char in[LLDP_PDU_MAX];
    struct lldp_neighbor sw;
    /* A policy of 3 value bytes, then a good one: the good one is taken, the bad named. */
    size_t len = hex_to_bytes("0207040211000000010405056574683106020078"
                              "fe070012bb0201c96e" "fe080012bb020140c96e" "0000", in,
                              sizeof in);
    CHECK_INT_EQ(lldp_decode(in, len, &sw, NULL, 0), 0);
    CHECK_CONTAINS(sw.problem, "Network Policy TLV of 7 bytes");
    CHECK(lldp_neighbor_policy(&sw, MED_APP_VOICE) != NULL);
    /* Two voice policies: the first counts, the second is named. */
    len = hex_to_bytes("0207040211000000010405056574683106020078"
                       "fe080012bb020140c96e" "fe080012bb0201410000" "0000", in, sizeof in);
    CHECK_INT_EQ(lldp_decode(in, len, &sw, NULL, 0), 0);
    CHECK_CONTAINS(sw.problem, "a second LLDP-MED Network Policy for application voice");
    CHECK_INT_EQ(lldp_neighbor_policy(&sw, MED_APP_VOICE)->vlan_id, 100);
    /* A system name with control characters is quoted. */
    len = hex_to_bytes("0207040211000000010405056574683106020078" "0a03731b31" "0000", in,
                       sizeof in);
    CHECK_INT_EQ(lldp_decode(in, len, &sw, NULL, 0), 0);
    CHECK_STR_EQ(sw.system_name, "s\\x1B1");
    /* Frame padding after the End TLV is not read. */
    len = hex_to_bytes("0207040211000000010405056574683106020078" "0000" "000000000000", in,
                       sizeof in);
    CHECK_INT_EQ(lldp_decode(in, len, &sw, NULL, 0), 0);
}

int main(void)
{
    RUN(encodes_a_phone);
    RUN(encoder_refuses_what_does_not_fit);
    RUN(decodes_a_switch);
    RUN(policy_bits_round_trip);
    RUN(refuses_what_is_no_lldpdu);
    RUN(names_what_it_skips);
    CHECK_DONE();
}
