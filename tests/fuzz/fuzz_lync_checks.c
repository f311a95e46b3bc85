/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: the phone-side checks of options 43 and 120 (lyncboot-probe's verdicts).
 * Whatever a DHCP server sends, every problem and the URL and registrar made from it are
 * printable, and a URL or registrar is only made from valid parts. */
#include "fqdn.h"
#include "fuzz_target.h"
#include "lync_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char url[600], registrar[256];
    struct lync_problems p43 = {0}, p120 = {0};
    size_t len = size > 255 ? 255 : size;
    lync_check_uc_option43(data, len, url, sizeof url, &p43);
    lync_check_option120(data, len, registrar, sizeof registrar, &p120);
    FUZZ_ASSERT(fuzz_printable(url));
    FUZZ_ASSERT(fuzz_printable(registrar));
    for (size_t i = 0; i < p43.count; i++)
        FUZZ_ASSERT(fuzz_printable(p43.text[i]));
    for (size_t i = 0; i < p120.count; i++)
        FUZZ_ASSERT(fuzz_printable(p120.text[i]));
    if (url[0]) {
        /* scheme://host:port/path with host a valid name */
        const char *host = strstr(url, "://");
        FUZZ_ASSERT(host != NULL);
        host += 3;
        const char *colon = strchr(host, ':');
        FUZZ_ASSERT(colon != NULL);
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(colon - host), host);
        FUZZ_ASSERT(fqdn_validate(name, NULL, 0) == 0);
        FUZZ_ASSERT(strchr(colon, '/') != NULL && strchr(url, ' ') == NULL);
    }
    if (registrar[0]) {
        uint8_t addr[4];
        FUZZ_ASSERT(fqdn_validate(registrar, NULL, 0) == 0 || ipv4_parse(registrar, addr) == 0);
    }
    return 0;
}
