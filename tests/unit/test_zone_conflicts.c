/* SPDX-License-Identifier: MPL-2.0 */
/* Which existing unbound zones hide lyncboot's records, for the module and for the
 * publisher, and what the message says. */
#include "check.h"
#include "site_conf.h"
#include "site_records.h"
#include "zone_conflicts.h"

static struct site_conf conf;
static struct site_record_set set;

static void build(const char *domain)
{
    char text[300], err[300];
    snprintf(text, sizeof text, "domain: %s\n    ntp: ntp1.%s\n    registrar: pool01.%s\n",
             domain, domain, domain);
    CHECK_INT_EQ(site_conf_parse("lyncboot.conf", text, &conf, err, sizeof err), 0);
    site_records_build(&conf, NULL, 0, 0, &set);
}

static int check(const struct zone_local *zones, size_t n, const char *const *data, size_t nd,
                 const struct zone_auth *auths, size_t na, enum zone_user user, char *err)
{
    struct zone_inputs in = {zones, n, data, nd, auths, na};
    return zone_conflicts_check(&set, &in, user, err, 600);
}

static void module_needs_pass_through_zones(void)
{
    char err[600];
    build("contoso.com");
    struct zone_local stat[] = {{"contoso.com.", "static", false}};
    CHECK_INT_EQ(check(stat, 1, NULL, 0, NULL, 0, ZONE_USER_MODULE, err), -1);
    CHECK_CONTAINS(err, "inside local-zone \"contoso.com.\" static");
    CHECK_CONTAINS(err, "'local-zone: \"_ntp._udp.contoso.com.\" transparent'");
    /* Transparent sub-zones for every name of ours: fine, in any letter case. */
    struct zone_local fixed[] = {{"CONTOSO.com", "static", false},
                                 {"_ntp._udp.contoso.com.", "transparent", false},
                                 {"_sipinternaltls._tcp.contoso.com.", "transparent", false},
                                 {"_SIPinternal._tcp.contoso.com.", "transparent", false}};
    CHECK_INT_EQ(check(fixed, 4, NULL, 0, NULL, 0, ZONE_USER_MODULE, err), 0);
    for (const char *const *t = (const char *const[]){"transparent", "typetransparent",
                                                       "inform", NULL}; *t; t++) {
        struct zone_local z[] = {{"contoso.com.", *t, false}};
        CHECK_INT_EQ(check(z, 1, NULL, 0, NULL, 0, ZONE_USER_MODULE, err), 0);
    }
    /* A zone beside the domain, or a longer name that only ends alike: no matter. */
    struct zone_local beside[] = {{"fabrikam.com.", "static", false},
                                  {"xcontoso.com.", "static", false}};
    CHECK_INT_EQ(check(beside, 2, NULL, 0, NULL, 0, ZONE_USER_MODULE, err), 0);
}

static void builtin_zones_and_nodefault(void)
{
    char err[600];
    build("contoso.test");
    struct zone_local builtin[] = {{"test.", "static", true}};
    CHECK_INT_EQ(check(builtin, 1, NULL, 0, NULL, 0, ZONE_USER_MODULE, err), -1);
    CHECK_CONTAINS(err, "built-in local zone \"test.\" (static)");
    CHECK_CONTAINS(err, "'local-zone: \"test.\" nodefault'");
    /* The site's own zone of the same name wins over the built-in one. */
    struct zone_local own[] = {{"test.", "static", true}, {"test.", "transparent", false}};
    CHECK_INT_EQ(check(own, 2, NULL, 0, NULL, 0, ZONE_USER_MODULE, err), 0);
    /* The publisher's local data is answered inside a static zone. */
    CHECK_INT_EQ(check(builtin, 1, NULL, 0, NULL, 0, ZONE_USER_PUBLISHER, err), 0);
}

static void data_and_auth_zones(void)
{
    char err[600];
    build("contoso.com");
    const char *const data[] = {"www.contoso.com. 60 IN A 192.0.2.1",
                                "_sipinternaltls._tcp.contoso.com. TXT \"x\"",
                                "_ntp._udp.contoso.com 300 SRV 0 0 123 old.contoso.com."};
    CHECK_INT_EQ(check(NULL, 0, data, 2, NULL, 0, ZONE_USER_MODULE, err), 0);
    CHECK_INT_EQ(check(NULL, 0, data, 3, NULL, 0, ZONE_USER_MODULE, err), -1);
    CHECK_CONTAINS(err, "local-data for _ntp._udp.contoso.com SRV");
    struct zone_auth up[] = {{"contoso.com.", false}}, down[] = {{"contoso.com.", true}};
    CHECK_INT_EQ(check(NULL, 0, NULL, 0, up, 1, ZONE_USER_MODULE, err), 0);
    CHECK_INT_EQ(check(NULL, 0, NULL, 0, down, 1, ZONE_USER_MODULE, err), -1);
    CHECK_CONTAINS(err, "auth-zone \"contoso.com.\" with for-downstream: yes");
    /* Local data comes before auth zones: the publisher is not hidden by them. */
    CHECK_INT_EQ(check(NULL, 0, NULL, 0, down, 1, ZONE_USER_PUBLISHER, err), 0);
}

static void publisher_hidden_by_zones_that_ignore_data(void)
{
    char err[600];
    build("contoso.com");
    struct zone_local redirect[] = {{"contoso.com.", "redirect", false}};
    CHECK_INT_EQ(check(redirect, 1, NULL, 0, NULL, 0, ZONE_USER_PUBLISHER, err), -1);
    CHECK_CONTAINS(err, "of type redirect");
    struct zone_local nx[] = {{"com.", "always_nxdomain", false}};
    CHECK_INT_EQ(check(nx, 1, NULL, 0, NULL, 0, ZONE_USER_PUBLISHER, err), -1);
    struct zone_local st[] = {{"contoso.com.", "static", false}, {"com.", "deny", false}};
    CHECK_INT_EQ(check(st, 2, NULL, 0, NULL, 0, ZONE_USER_PUBLISHER, err), 0);
}

int main(void)
{
    RUN(module_needs_pass_through_zones);
    RUN(builtin_zones_and_nodefault);
    RUN(data_and_auth_zones);
    RUN(publisher_hidden_by_zones_that_ignore_data);
    CHECK_DONE();
}
