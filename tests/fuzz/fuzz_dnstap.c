/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: a dnstap capture file (Frame Streams of dnstap protobuf messages) as
 * lyncboot reads a DNS server's log of its clients: frames stay within the file, a
 * decoded message's DNS bytes within its frame, a summary's name is printable, and an
 * error is named in printable text. */
#include "dnstap.h"
#include "dnswire.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pos = 0;
    const uint8_t *frame;
    size_t frame_len;
    char err[256];
    int more;
    while ((more = fstrm_next_frame(data, size, &pos, &frame, &frame_len, err, sizeof err)) ==
           1) {
        FUZZ_ASSERT(frame >= data && frame + frame_len <= data + size && pos <= size);
        struct dnstap_message m;
        if (dnstap_decode(frame, frame_len, &m, err, sizeof err) != 0) {
            FUZZ_ASSERT(fuzz_printable(err));
            continue;
        }
        FUZZ_ASSERT(!m.dns || (m.dns >= frame && m.dns + m.dns_len <= frame + frame_len));
        struct dns_summary dns;
        if (m.dns && dns_summarize(m.dns, m.dns_len, &dns) == 0)
            FUZZ_ASSERT(fuzz_printable(dns.name) && dns.rcode <= 15);
    }
    if (more < 0)
        FUZZ_ASSERT(fuzz_printable(err));
    return 0;
}
