/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: DNS names at any offset of a message (compression pointers anywhere,
 * loops, truncation), as the SRV and A answers lyncboot reads hold them. A name read
 * is printable, at most 253 characters, and the position moves forward within the
 * message. */
#include "dnswire.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char name[256];
    for (size_t start = 0; start < size && start < 512; start++) {
        size_t pos = start;
        if (dns_read_name(data, size, &pos, name, sizeof name) != 0)
            continue;
        FUZZ_ASSERT(pos > start && pos <= size);
        FUZZ_ASSERT(strlen(name) <= 253);
        FUZZ_ASSERT(fuzz_printable(name));
        FUZZ_ASSERT(strchr(name, ' ') == NULL);
    }
    return 0;
}
