/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: chronyc -c output (tracking, sources, sourcestats, clients), one line at
 * a time, as lyncboot reads it from a chronyc it does not control. */
#include "chrony_csv.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), *line = text, err[256];
    for (;;) {
        char *next = strchr(line, '\n');
        if (next)
            *next = '\0';
        struct chrony_tracking tracking;
        struct chrony_source source;
        struct chrony_sourcestats stats;
        struct chrony_client client;
        if (chrony_parse_tracking(line, &tracking, err, sizeof err) == 0)
            FUZZ_ASSERT(tracking.stratum >= 0);
        (void)chrony_parse_source(line, &source, err, sizeof err);
        (void)chrony_parse_sourcestats(line, &stats, err, sizeof err);
        if (chrony_parse_client(line, &client, err, sizeof err) == 0)
            FUZZ_ASSERT(client.address[0] && client.ntp_last_ago >= -1);
        if (!next)
            break;
        line = next + 1;
    }
    free(text);
    return 0;
}
