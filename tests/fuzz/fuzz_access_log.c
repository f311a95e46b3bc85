/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: a web server's access log, one line at a time, as lyncboot reads it to
 * see phones fetch the CA chain: a parsed line has a status in range, a method and a
 * printable path; an error quotes what it names. */
#include "access_log.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), *line = text, err[256];
    for (;;) {
        char *next = strchr(line, '\n');
        if (next)
            *next = '\0';
        struct access_entry e;
        if (access_log_parse(line, &e, err, sizeof err) == 0) {
            FUZZ_ASSERT(e.status >= 100 && e.status <= 599);
            FUZZ_ASSERT(e.method[0] && fuzz_printable(e.path));
        } else {
            FUZZ_ASSERT(fuzz_printable(err)); /* the line's bytes quoted */
        }
        if (!next)
            break;
        line = next + 1;
    }
    free(text);
    return 0;
}
