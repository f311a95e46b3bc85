/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: a dnstap capture file (Frame Streams of dnstap protobuf messages) as
 * lyncboot reads a DNS server's log of its clients, through libfstrm and protobuf-c: a
 * decoded message's DNS bytes are readable to their end, a summary's name is printable,
 * and an error is named in printable text. */
#include <string.h>

#include "dnstap.h"
#include "dnswire.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *frame;
    size_t frame_len;
    char err[256];
    int more;
    struct dnstap_reader *reader = dnstap_reader_new(data, size);
    FUZZ_ASSERT(reader != NULL);
    while ((more = dnstap_reader_next(reader, &frame, &frame_len, err, sizeof err)) == 1) {
        FUZZ_ASSERT(frame_len <= size);
        struct dnstap_message m;
        if (dnstap_decode(frame, frame_len, &m, err, sizeof err) != 0) {
            FUZZ_ASSERT(fuzz_printable(err));
            continue;
        }
        if (m.dns && m.dns_len) { /* every byte of it readable (ASan) */
            volatile uint8_t last = m.dns[m.dns_len - 1];
            (void)last;
        }
        struct dns_summary dns;
        if (m.dns && dns_summarize(m.dns, m.dns_len, &dns) == 0)
            FUZZ_ASSERT(fuzz_printable(dns.name) && dns.rcode <= 15);
        dnstap_message_clear(&m);
    }
    if (more < 0)
        FUZZ_ASSERT(fuzz_printable(err));
    dnstap_reader_free(reader);
    return 0;
}
