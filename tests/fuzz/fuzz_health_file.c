/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: the NTP health file, which the DNS side reads from another process's
 * directory. Whatever it holds, the records built from it stay within the site's own
 * targets, and a domain never goes without NTP records (fail open). */
#include "fuzz_target.h"
#include "ntp_health.h"
#include "site_conf.h"
#include "site_records.h"

static const char *const SITE =
    "health-file: /run/lyncboot/ntp-health\n"
    "domain: contoso.com\n"
    "    ntp: ntp1.contoso.com\n"
    "    ntp: ntp2.contoso.com 123 10 50\n"
    "    registrar: pool01.contoso.com\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct site_conf conf;
    static struct site_record_set set;
    static struct ntp_health_entry health[NTP_HEALTH_MAX_TARGETS];
    static int loaded;
    char err[600];
    if (!loaded) {
        FUZZ_ASSERT(site_conf_parse("site.conf", SITE, &conf, err, sizeof err) == 0);
        loaded = 1;
    }
    int n = ntp_health_parse("health", (const char *)data, size, health,
                             NTP_HEALTH_MAX_TARGETS, err, sizeof err);
    if (n < 0) {
        FUZZ_ASSERT(strncmp(err, "health", 6) == 0);
        return 0;
    }
    FUZZ_ASSERT((size_t)n <= NTP_HEALTH_MAX_TARGETS);
    site_records_build(&conf, health, (size_t)n, 1000000, &set);
    size_t ntp = 0;
    for (size_t i = 0; i < set.count; i++)
        if (strncmp(set.records[i].owner, "_ntp._udp.", 10) == 0) {
            ntp++;
            FUZZ_ASSERT(strcmp(set.records[i].target, "ntp1.contoso.com") == 0 ||
                        strcmp(set.records[i].target, "ntp2.contoso.com") == 0);
        }
    FUZZ_ASSERT(ntp >= 1 && ntp <= 2);
    return 0;
}
