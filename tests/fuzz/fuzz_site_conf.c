/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: lyncboot.conf, as unbound's module and the publisher load it. A file is
 * accepted whole or refused with "file:line: reason"; what is accepted builds records
 * whose text unbound could read back. */
#include "fqdn.h"
#include "fuzz_target.h"
#include "site_conf.h"
#include "site_records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct site_conf conf;
    static struct site_record_set set;
    char *text = fuzz_text(data, size), err[600];
    if (site_conf_parse("fuzz.conf", text, &conf, err, sizeof err) != 0) {
        FUZZ_ASSERT(strncmp(err, "fuzz.conf", 9) == 0);
        FUZZ_ASSERT(fuzz_printable(err));
    } else {
        site_records_build(&conf, NULL, 0, 0, &set);
        for (size_t i = 0; i < set.count; i++) {
            char line[400];
            site_record_text(&set.records[i], line, sizeof line);
            FUZZ_ASSERT(fuzz_printable(line));
            /* The owner: a service label or two (_ntp._udp.) on a valid domain. */
            const char *domain = set.records[i].owner;
            while (domain[0] == '_' && strchr(domain, '.'))
                domain = strchr(domain, '.') + 1;
            FUZZ_ASSERT(fqdn_validate(domain, NULL, 0) == 0);
        }
    }
    free(text);
    return 0;
}
