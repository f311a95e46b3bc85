/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: the Kea hook's rewrite of a packed reply (dhcp4_replace_options). For a
 * reply that parses, the result must parse too, carry lyncboot's options exactly, and
 * keep every other option it had with the same value; for one that does not, the bytes
 * must stay as they were. */
#include "dhcp4_msg.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t v43[] = {1, 12, 'M', 'S', '-', 'U', 'C', '-', 'C', 'l', 'i', 'e', 'n', 't'};
    static const uint8_t v120[] = {0, 4, 'p', 'o', 'o', 'l', 0};
    const struct dhcp4_option_ref ours[] = {{43, v43, sizeof v43}, {120, v120, sizeof v120}};
    static uint8_t msg[4096], before_bytes[4096], value_a[1024], value_b[1024];
    static struct dhcp4_reply before, after;
    if (size > 1500)
        return 0;
    memcpy(msg, data, size);
    memcpy(before_bytes, data, size);
    /* The parse of the original points into its bytes: parse the copy, not msg. */
    int parsed = dhcp4_parse_reply(before_bytes, size, &before) == 0;
    int len = dhcp4_replace_options(msg, size, sizeof msg, ours, 2);
    if (len < 0) {
        FUZZ_ASSERT(memcmp(msg, before_bytes, size) == 0); /* unchanged on refusal */
        return 0;
    }
    if (!parsed)
        return 0;
    FUZZ_ASSERT(dhcp4_parse_reply(msg, (size_t)len, &after) == 0);
    for (int code = 1; code < 255; code++) {
        int a = dhcp4_get_option(&after, (uint8_t)code, value_a, sizeof value_a);
        if (code == 43 || code == 120) {
            const struct dhcp4_option_ref *o = &ours[code == 120];
            FUZZ_ASSERT(a == (int)o->len && memcmp(value_a, o->value, o->len) == 0);
            continue;
        }
        int b = dhcp4_get_option(&before, (uint8_t)code, value_b, sizeof value_b);
        FUZZ_ASSERT(a == b);
        FUZZ_ASSERT(a < 0 || memcmp(value_a, value_b, (size_t)a) == 0);
    }
    return 0;
}
