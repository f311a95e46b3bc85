/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: check_ntp_time's range syntax (-w, -c, --stratum-*, --rootdist-*). A
 * range accepted prints as text that parses back to a range alerting on the same
 * values. */
#include <math.h>

#include "fuzz_target.h"
#include "mp_range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size > 200 ? 200 : size), err[300], printed[128];
    struct mp_range range, again;
    if (mp_range_parse(text, &range, err, sizeof err) == 0) {
        mp_range_text(&range, printed, sizeof printed);
        FUZZ_ASSERT(mp_range_parse(printed, &again, err, sizeof err) == 0);
        static const double probes[] = {-1e300, -120, -1, -0.5, 0, 0.5, 1, 10, 60, 120, 1e300};
        for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
            FUZZ_ASSERT(mp_range_alerts(&range, probes[i]) ==
                        mp_range_alerts(&again, probes[i]));
    } else {
        FUZZ_ASSERT(fuzz_printable(err) || strchr(text, '\n') || strchr(text, '\t') ||
                    !fuzz_printable(text));
    }
    free(text);
    return 0;
}
