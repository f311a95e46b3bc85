/* SPDX-License-Identifier: MPL-2.0 */
/* The DNS side of a lyncboot site (/etc/unbound/lyncboot.conf): unbound.conf-like
 * "key: value" lines, "domain:" opening a block.
 *
 *   ttl: 60
 *   health-file: /run/lyncboot/ntp-health
 *   domain: contoso.com
 *       ntp: ntp1.contoso.com            # [port] [priority] [weight]; port 123
 *       registrar: pool01.contoso.com    # _sipinternaltls._tcp + _sipinternal._tcp, 5061
 *       updates: 10.1.2.3                # A record of ucupdates-r2.<domain>
 */
#ifndef LYNCBOOT_SITE_CONF_H
#define LYNCBOOT_SITE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fqdn.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SITE_MAX_DOMAINS 16
#define SITE_MAX_TARGETS 16
#define SITE_MAX_WARNINGS 16
#define SITE_DEFAULT_TTL 60
#define SITE_DEFAULT_HEALTH_MAX_AGE 120
#define SITE_REGISTRAR_PORT 5061
#define SITE_CONF_DEFAULT_PATH "/etc/unbound/lyncboot.conf"
#define SITE_CONF_ENV "LYNCBOOT_UNBOUND_CONF"

/* The site file the module and the publisher read when not told otherwise:
 * $LYNCBOOT_UNBOUND_CONF when set and not empty, else SITE_CONF_DEFAULT_PATH. */
const char *site_conf_default_path(void);

struct site_srv_target {
    char name[FQDN_TEXT_SIZE];
    unsigned port, priority, weight;
};

struct site_domain {
    char name[FQDN_TEXT_SIZE];
    struct site_srv_target ntp[SITE_MAX_TARGETS];
    size_t ntp_count;
    char registrars[SITE_MAX_TARGETS][FQDN_TEXT_SIZE];
    size_t registrar_count;
    uint8_t updates[SITE_MAX_TARGETS][4];
    size_t updates_count;
};

struct site_conf {
    unsigned ttl;
    char health_file[1024];     /* "" = no health file: every NTP target is advertised */
    unsigned health_max_age;    /* seconds after which a health entry is stale */
    struct site_domain domains[SITE_MAX_DOMAINS];
    size_t domain_count;
    char warnings[SITE_MAX_WARNINGS][300]; /* "file:line: ..." for what is allowed but odd */
    size_t warning_count;
};

/* Parses the file. Returns 0, or -1 with "file:line: reason" in err; nothing of a bad
 * file is used. */
int site_conf_load(const char *path, struct site_conf *conf, char *err, size_t errlen);

/* Parses text as if read from a file called name (for tests and other sources). */
int site_conf_parse(const char *name, const char *text, struct site_conf *conf, char *err,
                    size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
