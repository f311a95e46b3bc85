/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "rollout.h"

#define T0 1796048000

static struct phone_record phone(uint8_t last, int steps)
{
    /* steps: how many of vlan, lease, inform it got, a minute apart */
    struct phone_record r = {.mac = {0x00, 0x04, 0xf2, 0, 0, last}, .first_seen = T0,
                             .subnet_id = 100, .addr = {10, 100, 0, last}, .vlan = 100};
    for (int i = 0; i < steps; i++)
        r.step_time[i] = T0 + 60 * i; /* PHONE_STEP_VLAN, _LEASE, _INFORM in order */
    r.last_seen = steps ? r.step_time[steps - 1] : T0;
    return r;
}

static const struct rollout_dns DNS[] = {
    {{10, 100, 0, 4}, T0 + 130, "_sipinternaltls._tcp.contoso.com", 33, 0, 1},
    {{10, 100, 0, 4}, T0 + 131, "_ntp._udp.contoso.com", 33, 0, 1},
    {{10, 100, 0, 5}, T0 + 130, "_sipinternaltls._tcp.contoso.com", 33, 0, 1},
    {{10, 100, 0, 5}, T0 + 131, "_ntp._udp.contoso.com", 33, 0, 1},
    {{10, 100, 0, 6}, T0 + 130, "_sipinternaltls._tcp.contoso.com", 33, 3, 0},
    {{10, 100, 0, 7}, T0 + 130, "_sipinternaltls._tcp.contoso.com", 33, 0, 1},
    {{10, 100, 0, 7}, T0 + 131, "_ntp._udp.contoso.com", 33, 3, 0},
    {{10, 100, 0, 8}, T0 + 130, "_sipinternaltls._tcp.contoso.com", 33, 0, 1},
    {{10, 100, 0, 8}, T0 + 131, "_ntp._udp.contoso.com", 33, 0, 1},
    {{10, 100, 0, 9}, T0 - 3600, "_sipinternaltls._tcp.contoso.com", 33, 0, 1}, /* before */
    {{10, 100, 0, 10}, T0 + 130, "_ntp._udp.contoso.com", 33, 0, 1},
    {{10, 100, 0, 10}, T0 + 131, "ucupdates-r2.contoso.com", 1, 3, 0},
    {{10, 100, 0, 5}, T0 + 131, "ucupdates-r2.contoso.com", 1, 0, 1},
};
static const struct rollout_ntp NTP[] = {{{10, 100, 0, 5}, T0 + 132, 3},
                                         {{10, 100, 0, 8}, T0 + 132, 3}};
static const struct rollout_http HTTP[] = {
    {{10, 100, 0, 5}, T0 + 133, "/CertProv/CertProvisioningService.svc", 200},
    {{10, 100, 0, 8}, T0 + 133, "/CertProv/CertProvisioningService.svc", 404},
    {{10, 100, 0, 10}, T0 + 133, "/CertProv/CertProvisioningService.svc", 200}};

static struct rollout_sources all_sources(void)
{
    struct rollout_sources s = {DNS, sizeof DNS / sizeof DNS[0], NTP, 2, HTTP, 3, 1, 1, 1,
                                "/CertProv/CertProvisioningService.svc"};
    return s;
}

static void follows_each_phone_to_its_step(void)
{
    struct rollout_sources s = all_sources();
    struct rollout_phone p;
    struct phone_record r = phone(5, 3);
    rollout_follow(&r, &s, &p);
    CHECK_STR_EQ(rollout_step_name(p.reached), "chain");
    CHECK(!p.stuck);
    CHECK_INT_EQ(p.step_at[ROLLOUT_DNS], T0 + 130);
    CHECK_INT_EQ(p.step_at[ROLLOUT_TIME], T0 + 132);
    CHECK_INT_EQ(p.reached_at, T0 + 133);
    CHECK_STR_EQ(p.cause, "");
    CHECK_STR_EQ(p.warning, ""); /* its ucupdates-r2 found */

    r = phone(1, 1); /* its VLAN only */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_VLAN);
    CHECK(p.stuck);
    CHECK_CONTAINS(p.cause, "the switch port is not tagging VLAN 100");

    r = phone(2, 2); /* a lease, no INFORM */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_LEASE);
    CHECK_CONTAINS(p.cause, "no DHCPINFORM answered");
    r.step_time[PHONE_STEP_CASE_MISMATCH] = T0 + 70;
    rollout_follow(&r, &s, &p);
    CHECK_CONTAINS(p.cause, "wrong letter case");

    r = phone(3, 3); /* options delivered, nothing after */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_INFORM);
    CHECK_CONTAINS(p.cause, "options delivered, no SRV look-up: wrong DNS server in option 6");

    r = phone(6, 3); /* its SRV look-up answered NXDOMAIN */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_INFORM);
    CHECK_CONTAINS(p.cause, "found nothing (_sipinternaltls._tcp.contoso.com)");

    r = phone(4, 3); /* SRV answered, no NTP */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_DNS);
    CHECK_CONTAINS(p.cause, "SRV answered, no NTP query: UDP 123 filtered");

    r = phone(7, 3); /* no _ntp._udp record */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_DNS);
    CHECK_CONTAINS(p.cause, "no _ntp._udp record answered");

    r = phone(8, 3); /* time, then a 404 for the chain */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_TIME);
    CHECK_CONTAINS(p.cause, "failed with HTTP 404");

    r = phone(10, 3); /* the chain downloaded, but no NTP query: stuck at dns */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_DNS);
    CHECK_INT_EQ(p.later_seen, ROLLOUT_CHAIN);
    CHECK(p.stuck);
    CHECK_CONTAINS(p.cause, "UDP 123 filtered");
    CHECK_CONTAINS(p.cause, "(yet it got as far as 'chain')");
    CHECK_CONTAINS(p.warning, "its Device Update look-up of ucupdates-r2.contoso.com found "
                              "nothing");

    r = phone(5, 3);
    r.step_time[PHONE_STEP_VLAN] = r.step_time[PHONE_STEP_LEASE] = 0; /* VLAN by LLDP-MED */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_CHAIN);
    CHECK(!p.stuck);

    r = phone(9, 3); /* DNS seen only an hour before its DHCP: not this rollout's */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_INFORM);
}

static void a_missing_source_is_not_held_against_a_phone(void)
{
    struct rollout_sources s = all_sources();
    s.have_http = 0;
    s.http_count = 0;
    struct rollout_phone p;
    struct phone_record r = phone(5, 3);
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_TIME);
    CHECK(!p.stuck); /* no access log: the chain cannot be seen */
    s.have_dns = s.have_ntp = 0;
    s.dns_count = s.ntp_count = 0;
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_INFORM);
    CHECK(!p.stuck);
    s.have_ntp = 1; /* NTP known, DNS not (its collector was gone): no NTP query */
    rollout_follow(&r, &s, &p);
    CHECK_INT_EQ(p.reached, ROLLOUT_INFORM);
    CHECK(p.stuck);
    CHECK_CONTAINS(p.cause, "its DNS look-ups are not known");
    CHECK(rollout_step_name(ROLLOUT_STEPS) == NULL);
}

int main(void)
{
    RUN(follows_each_phone_to_its_step);
    RUN(a_missing_source_is_not_held_against_a_phone);
    CHECK_DONE();
}
