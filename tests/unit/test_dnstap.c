/* SPDX-License-Identifier: MPL-2.0 */
#include <stdio.h>
#include <string.h>

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
    size_t frames = 0;
    const uint8_t *frame;
    size_t frame_len;
    char err[200];
    int srv_answered = 0, srv_nxdomain = 0, a_answered = 0, queries = 0;
    int more;
    struct dnstap_reader *reader = dnstap_reader_new(file, len);
    CHECK(reader != NULL);
    while ((more = dnstap_reader_next(reader, &frame, &frame_len, err, sizeof err)) == 1) {
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
        dnstap_message_clear(&m);
    }
    dnstap_reader_free(reader);
    CHECK_INT_EQ(more, 0);
    CHECK_INT_EQ(frames, 6); /* fstrm_capture counts its START and STOP too: 8 */
    CHECK(queries >= 3);
    CHECK(srv_answered >= 1 && srv_nxdomain >= 1 && a_answered >= 1);
    /* The file cut in the middle of a frame: every frame before is good, then the cut is
     * named. */
    frames = 0;
    reader = dnstap_reader_new(file, 500);
    while ((more = dnstap_reader_next(reader, &frame, &frame_len, err, sizeof err)) == 1)
        frames++;
    dnstap_reader_free(reader);
    CHECK_INT_EQ(more, -1);
    CHECK(frames >= 3 && frames < 6);
    CHECK_CONTAINS(err, "runs past the end");
}

static int next_of(const uint8_t *in, size_t len, char *err, size_t errlen)
{
    const uint8_t *frame;
    size_t frame_len;
    struct dnstap_reader *reader = dnstap_reader_new(in, len);
    int more = dnstap_reader_next(reader, &frame, &frame_len, err, errlen);
    dnstap_reader_free(reader);
    return more;
}

static void refuses_what_is_not_dnstap(void)
{
    char err[200];
    /* A START for another content type. */
    static const uint8_t other[] = {0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 8,
                                    'p', 'r', 'o', 't', 'o', 'b', 'u', 'f'};
    CHECK_INT_EQ(next_of(other, sizeof other, err, sizeof err), -1);
    CHECK_CONTAINS(err, "not a dnstap capture: no Frame Streams START for "
                        "'protobuf:dnstap.Dnstap'");
    /* Text, not Frame Streams. */
    static const char text[] = "this is a log file\n";
    CHECK_INT_EQ(next_of((const uint8_t *)text, sizeof text - 1, err, sizeof err), -1);
    CHECK_CONTAINS(err, "not a dnstap capture");
    /* A START for dnstap, then a STOP: the end. */
    static const uint8_t start_stop[] = {
        0, 0, 0, 0, 0, 0, 0, 34, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 22,
        'p', 'r', 'o', 't', 'o', 'b', 'u', 'f', ':', 'd', 'n', 's', 't', 'a', 'p', '.',
        'D', 'n', 's', 't', 'a', 'p', 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 3};
    CHECK_INT_EQ(next_of(start_stop, sizeof start_stop, err, sizeof err), 0);
    /* A frame that says it is 256 MB long (libfstrm 0.6.1 called that a success with a
     * length it did not read; the fuzzer found it). */
    uint8_t huge[sizeof start_stop - 12 + 4 + 16] = {0};
    memcpy(huge, start_stop, sizeof start_stop - 12); /* the START */
    memcpy(huge + sizeof start_stop - 12, "\x10\x00\x00\x6a", 4);
    CHECK_INT_EQ(next_of(huge, sizeof huge, err, sizeof err), -1);
    CHECK_CONTAINS(err, "not a frame lyncboot reads");
    struct dnstap_message m;
    /* type 15 = 1 (MESSAGE) and a message field 14 that says it is longer than it is. */
    static const uint8_t cut[] = {0x78, 0x01, 0x72, 0x10, 0x08, 0x05};
    CHECK_INT_EQ(dnstap_decode(cut, sizeof cut, &m, err, sizeof err), -1);
    CHECK_CONTAINS(err, "not a dnstap protobuf message");
    static const uint8_t not_message[] = {0x78, 0x02};
    CHECK_INT_EQ(dnstap_decode(not_message, sizeof not_message, &m, err, sizeof err), -1);
    static const uint8_t group[] = {0x0b};
    CHECK_INT_EQ(dnstap_decode(group, sizeof group, &m, err, sizeof err), -1);
    static const uint8_t varint_forever[] = {0x78, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff};
    CHECK_INT_EQ(dnstap_decode(varint_forever, sizeof varint_forever, &m, err, sizeof err), -1);
    /* A MESSAGE without its required type. */
    static const uint8_t no_type[] = {0x78, 0x01, 0x72, 0x02, 0x10, 0x01};
    CHECK_INT_EQ(dnstap_decode(no_type, sizeof no_type, &m, err, sizeof err), -1);
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
