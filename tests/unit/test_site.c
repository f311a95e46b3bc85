/* SPDX-License-Identifier: MPL-2.0 */
/* The site description (lyncboot.conf) and the records built from it with NTP health. */
#include "check.h"
#include "dnswire.h"
#include "site_conf.h"
#include "site_records.h"

static const char *GOOD =
    "ttl: 30\n"
    "health-file: /run/lyncboot/ntp-health\n"
    "domain: contoso.com\n"
    "    ntp: ntp1.contoso.com            # port 123\n"
    "    ntp: ntp2.contoso.com 123 10 50\n"
    "    registrar: pool01.contoso.com\n"
    "    updates: 10.1.2.3\n"
    "domain: fabrikam.com\n"
    "    ntp: time.windows.com\n";

static struct site_conf conf;
static struct site_record_set set;

static const char *error_of(const char *text)
{
    static char err[400];
    err[0] = '\0';
    site_conf_parse("lyncboot.conf", text, &conf, err, sizeof err);
    return err;
}

static void parses_a_site(void)
{
    char err[400];
    CHECK_INT_EQ(site_conf_parse("lyncboot.conf", GOOD, &conf, err, sizeof err), 0);
    CHECK_INT_EQ(conf.ttl, 30);
    CHECK_INT_EQ(conf.domain_count, 2);
    CHECK_INT_EQ(conf.domains[0].ntp_count, 2);
    CHECK_INT_EQ(conf.domains[0].ntp[1].priority, 10);
    CHECK_INT_EQ(conf.domains[0].ntp[1].weight, 50);
    CHECK_STR_EQ(conf.domains[0].registrars[0], "pool01.contoso.com");
    CHECK_INT_EQ(conf.warning_count, 1); /* time.windows.com is outside fabrikam.com */
    CHECK_CONTAINS(conf.warnings[0], "lyncboot.conf:9: ntp target time.windows.com is outside");
}

static void refuses_bad_lines_with_their_number(void)
{
    CHECK_STR_EQ(error_of("domain: contoso.com\n  ntp: ntp1.contoso.com\n  frob: 1\n"),
                 "lyncboot.conf:3: unknown key 'frob'");
    CHECK_STR_EQ(error_of("ntp: ntp1.contoso.com\n"),
                 "lyncboot.conf:1: 'ntp' must follow a 'domain:' line");
    CHECK_CONTAINS(error_of("domain: contoso.com\n  registrar: pool01.fabrikam.com\n"),
                   "lyncboot.conf:2: registrar pool01.fabrikam.com is outside domain "
                   "contoso.com");
    CHECK_STR_EQ(error_of("domain: contoso.com\n  ntp: ntp1.contoso.com 0\n"),
                 "lyncboot.conf:2: ntp port '0' must be 1-65535");
    CHECK_CONTAINS(error_of("domain: contoso..com\n"), "lyncboot.conf:1: domain 'contoso..com'");
    CHECK_STR_EQ(error_of("ttl: 0\ndomain: a.com\n ntp: n.a.com\n"),
                 "lyncboot.conf:1: ttl must be 1-86400 seconds");
    CHECK_CONTAINS(error_of("domain: a.com\n updates: 10.1.2\n"),
                   "lyncboot.conf:2: updates needs one IPv4 address");
    CHECK_STR_EQ(error_of("domain: a.com\n"), "lyncboot.conf: domain a.com has no ntp, "
                                              "registrar or updates line");
    CHECK_STR_EQ(error_of("ttl 30\n"), "lyncboot.conf:1: expected 'key: value'");
    CHECK_STR_EQ(error_of("# nothing\n"), "lyncboot.conf: no 'domain:' block");
    CHECK_STR_EQ(error_of("domain: a.com\n ntp: n.a.com\ndomain: A.com\n"),
                 "lyncboot.conf:3: domain A.com is given twice");
}

static size_t count_owner(const char *owner)
{
    size_t n = 0;
    for (size_t i = 0; i < set.count; i++)
        n += strcmp(set.records[i].owner, owner) == 0;
    return n;
}

static void records_follow_health(void)
{
    char err[400], text[400];
    CHECK_INT_EQ(site_conf_parse("lyncboot.conf", GOOD, &conf, err, sizeof err), 0);
    site_records_build(&conf, NULL, 0, 1000, &set);
    CHECK_INT_EQ(set.count, 2 + 2 + 1 + 1);
    site_record_text(&set.records[1], text, sizeof text);
    CHECK_STR_EQ(text, "_ntp._udp.contoso.com. 30 IN SRV 10 50 123 ntp2.contoso.com.");
    site_record_text(&set.records[4], text, sizeof text);
    CHECK_STR_EQ(text, "ucupdates-r2.contoso.com. 30 IN A 10.1.2.3");
    CHECK_INT_EQ(count_owner("_sipinternal._tcp.contoso.com"), 1);

    struct ntp_health_entry health[3] = {
        {"ntp1.contoso.com", 123, false, 990, "no answer"},
        {"NTP2.contoso.com", 123, true, 990, "ok"},
        {"time.windows.com", 123, false, 990, "blocked"},
    };
    site_records_build(&conf, health, 3, 1000, &set);
    CHECK_INT_EQ(count_owner("_ntp._udp.contoso.com"), 1);
    CHECK_STR_EQ(set.records[0].target, "ntp2.contoso.com");
    /* fabrikam's only target is unhealthy: fail open, and say so. */
    CHECK_INT_EQ(count_owner("_ntp._udp.fabrikam.com"), 1);
    CHECK_INT_EQ(set.fail_open_count, 1);
    CHECK_CONTAINS(set.notes[0], "fabrikam.com");
    /* A stale healthy mark does not count (health-max-age 120 s). */
    site_records_build(&conf, health, 3, 990 + 121, &set);
    CHECK_INT_EQ(count_owner("_ntp._udp.contoso.com"), 2);
    CHECK_INT_EQ(set.fail_open_count, 2);
    /* A mark from the future (a clock set wrong, a forged file) is not known health:
     * within a minute it counts, beyond it never. */
    health[1].checked = 1000 + 60;
    site_records_build(&conf, health, 3, 1000, &set);
    CHECK_INT_EQ(count_owner("_ntp._udp.contoso.com"), 1);
    health[1].checked = 1000 + 61;
    site_records_build(&conf, health, 3, 1000, &set);
    CHECK_INT_EQ(count_owner("_ntp._udp.contoso.com"), 2);
    CHECK_INT_EQ(set.fail_open_count, 2);
    health[1].checked = INT64_MAX;
    site_records_build(&conf, health, 3, 1000, &set);
    CHECK_INT_EQ(count_owner("_ntp._udp.contoso.com"), 2);
}

static void writes_srv_and_a_rdata(void)
{
    struct site_record srv = {.type = DNS_TYPE_SRV, .priority = 0, .weight = 10,
                              .port = 123, .target = "ntp1.contoso.com"};
    uint8_t out[300];
    int len = site_record_rdata(&srv, out, sizeof out);
    /* 0, 10, 123 in network order, then 4ntp17contoso3com0 */
    CHECK_INT_EQ(len, 6 + 18);
    CHECK_HEX_EQ(out, (size_t)len, "0000000A007B046E74703107636F6E746F736F03636F6D00");
    CHECK_INT_EQ(site_record_rdata(&srv, out, 20), -1); /* no room for the target */
    srv.port = 70000;
    CHECK_INT_EQ(site_record_rdata(&srv, out, sizeof out), -1);
    struct site_record a = {.type = DNS_TYPE_A, .addr = {10, 0, 0, 5}};
    CHECK_INT_EQ(site_record_rdata(&a, out, sizeof out), 4);
    CHECK_HEX_EQ(out, 4, "0A000005");
}

static void an_unusable_health_file_advertises_every_target(void)
{
    static struct site_conf site;
    static struct ntp_health_entry health[4];
    char err[400], note[600];
    CHECK_INT_EQ(site_conf_parse("lyncboot.conf", "domain: contoso.com\n    ntp: ntp1.contoso.com\n",
                                 &site, err, sizeof err), 0);
    CHECK_INT_EQ(site_health_load(&site, health, 4, note, sizeof note), -1);
    CHECK_STR_EQ(note, ""); /* no health file named: nothing to say */
    snprintf(site.health_file, sizeof site.health_file, "/nonexistent/ntp-health");
    CHECK_INT_EQ(site_health_load(&site, health, 4, note, sizeof note), -1);
    CHECK_CONTAINS(note, "health file unusable, advertising every NTP target: ");
    CHECK_CONTAINS(note, "/nonexistent/ntp-health");
}

int main(void)
{
    RUN(writes_srv_and_a_rdata);
    RUN(parses_a_site);
    RUN(refuses_bad_lines_with_their_number);
    RUN(records_follow_health);
    RUN(an_unusable_health_file_advertises_every_target);
    CHECK_DONE();
}
