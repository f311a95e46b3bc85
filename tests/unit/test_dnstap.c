/* SPDX-License-Identifier: MPL-2.0 */
#include <stdio.h>

#include "check.h"
#include "dnstap.h"
#include "dnswire.h"

static const char *golden_dir;

static size_t read_golden(const char *name, uint8_t *buf, size_t cap)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", golden_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("# cannot open %s\n", path);
        return 0;
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* fstrm_capture's file of unbound 1.17's dnstap (client queries and responses) while dig
 * asked for _ntp._udp.contoso.com SRV, _sipinternaltls._tcp.contoso.com SRV (not there:
 * a static zone) and ntp1.contoso.com A. */
static void reads_unbounds_client_messages(void)
{
    static uint8_t file[4096];
    size_t len = read_golden("unbound-1.17-clients.fstrm", file, sizeof file);
    CHECK(len > 0);
    size_t pos = 0, frames = 0;
    const uint8_t *frame;
    size_t frame_len;
    char err[200];
    int srv_answered = 0, srv_nxdomain = 0, a_answered = 0, queries = 0;
    int more;
    while ((more = fstrm_next_frame(file, len, &pos, &frame, &frame_len, err, sizeof err)) == 1) {
        frames++;
        struct dnstap_message m;
        CHECK_INT_EQ(dnstap_decode(frame, frame_len, &m, err, sizeof err), 0);
        CHECK(m.client_is_ipv4 && m.client[0] == 127 && m.client[3] == 1);
        CHECK(m.when > 1700000000);
        struct dns_summary dns;
        CHECK_INT_EQ(dns_summarize(m.dns, m.dns_len, &dns), 0);
        if (m.type == DNSTAP_CLIENT_QUERY) {
            queries++;
            CHECK(!dns.response);
        } else if (m.type == DNSTAP_CLIENT_RESPONSE) {
            CHECK(dns.response);
            srv_answered += strcmp(dns.name, "_ntp._udp.contoso.com") == 0 && dns.type == 33 &&
                            dns.rcode == 0 && dns.answers == 1;
            srv_nxdomain += strcmp(dns.name, "_sipinternaltls._tcp.contoso.com") == 0 &&
                            dns.rcode == 3 && dns.answers == 0;
            a_answered += strcmp(dns.name, "ntp1.contoso.com") == 0 && dns.type == 1 &&
                          dns.answers == 1;
        }
    }
    CHECK_INT_EQ(more, 0);
    CHECK_INT_EQ(frames, 6); /* fstrm_capture counts its START and STOP too: 8 */
    CHECK(queries >= 3);
    CHECK(srv_answered >= 1 && srv_nxdomain >= 1 && a_answered >= 1);
    /* The file cut in the middle of a frame: every frame before is good, then the cut is
     * named. */
    pos = 0;
    frames = 0;
    while ((more = fstrm_next_frame(file, 500, &pos, &frame, &frame_len, err, sizeof err)) == 1)
        frames++;
    CHECK_INT_EQ(more, -1);
    CHECK(frames >= 3 && frames < 6);
    CHECK_CONTAINS(err, "runs past the end");
}

static void refuses_what_is_not_dnstap(void)
{
    char err[200];
    size_t pos = 0;
    const uint8_t *frame;
    size_t frame_len;
    /* A START for another content type. */
    static const uint8_t other[] = {0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 8,
                                    'p', 'r', 'o', 't', 'o', 'b', 'u', 'f'};
    CHECK_INT_EQ(fstrm_next_frame(other, sizeof other, &pos, &frame, &frame_len, err,
                                  sizeof err), -1);
    CHECK_CONTAINS(err, "content type 'protobuf', not 'protobuf:dnstap.Dnstap'");
    /* A STOP ends the file. */
    static const uint8_t stop[] = {0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 1, 0xff};
    pos = 0;
    CHECK_INT_EQ(fstrm_next_frame(stop, sizeof stop, &pos, &frame, &frame_len, err,
                                  sizeof err), 0);
    struct dnstap_message m;
    /* type 15 = 1 (MESSAGE) and a message field 14 that says it is longer than it is. */
    static const uint8_t cut[] = {0x78, 0x01, 0x72, 0x10, 0x08, 0x05};
    CHECK_INT_EQ(dnstap_decode(cut, sizeof cut, &m, err, sizeof err), -1);
    CHECK_CONTAINS(err, "runs past its end");
    static const uint8_t not_message[] = {0x78, 0x02};
    CHECK_INT_EQ(dnstap_decode(not_message, sizeof not_message, &m, err, sizeof err), -1);
    CHECK_CONTAINS(err, "not a MESSAGE");
    static const uint8_t group[] = {0x0b};
    CHECK_INT_EQ(dnstap_decode(group, sizeof group, &m, err, sizeof err), -1);
    static const uint8_t varint_forever[] = {0x78, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff};
    CHECK_INT_EQ(dnstap_decode(varint_forever, sizeof varint_forever, &m, err, sizeof err), -1);
    struct dns_summary dns;
    static const uint8_t header_only[12] = {0};
    CHECK_INT_EQ(dns_summarize(header_only, sizeof header_only, &dns), -1);
}

int main(int argc, char **argv)
{
    golden_dir = argc > 1 ? argv[1] : "tests/golden/dnstap";
    RUN(reads_unbounds_client_messages);
    RUN(refuses_what_is_not_dnstap);
    CHECK_DONE();
}
