/* SPDX-License-Identifier: MPL-2.0 */
#define _POSIX_C_SOURCE 200809L
/* The lib/ pieces of lyncboot-ntp-check: threshold ranges, chronyc CSV (golden files
 * from chrony 4.3, passed as argv[1]), the health file. */
#include "check.h"
#include "chrony_csv.h"
#include "mp_range.h"
#include "ntp_health.h"

#include <unistd.h>

static const char *golden_dir;

static int read_lines(const char *name, char lines[][512], int max)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", golden_dir, name);
    FILE *f = fopen(path, "r");
    int n = 0;
    if (!f) {
        printf("# cannot open %s\n", path);
        return -1;
    }
    while (n < max && fgets(lines[n], 512, f))
        n++;
    fclose(f);
    return n;
}

static void ranges(void)
{
    struct mp_range r;
    char err[128], text[64];
    CHECK_INT_EQ(mp_range_parse("10", &r, err, sizeof err), 0);
    CHECK(!mp_range_alerts(&r, 5) && mp_range_alerts(&r, 11) && mp_range_alerts(&r, -1));
    mp_range_text(&r, text, sizeof text);
    CHECK_STR_EQ(text, "10");
    CHECK_INT_EQ(mp_range_parse("10:", &r, err, sizeof err), 0);
    CHECK(mp_range_alerts(&r, 9) && !mp_range_alerts(&r, 1e9));
    CHECK_INT_EQ(mp_range_parse("~:10", &r, err, sizeof err), 0);
    CHECK(!mp_range_alerts(&r, -1e9) && mp_range_alerts(&r, 10.5));
    CHECK_INT_EQ(mp_range_parse("10:20", &r, err, sizeof err), 0);
    CHECK(mp_range_alerts(&r, 9) && !mp_range_alerts(&r, 15) && mp_range_alerts(&r, 21));
    CHECK_INT_EQ(mp_range_parse("@10:20", &r, err, sizeof err), 0);
    CHECK(!mp_range_alerts(&r, 9) && mp_range_alerts(&r, 15));
    mp_range_text(&r, text, sizeof text);
    CHECK_STR_EQ(text, "@10:20");
    CHECK_INT_EQ(mp_range_parse("0.5", &r, err, sizeof err), 0);
    CHECK(mp_range_alerts(&r, 0.6));
    CHECK_INT_EQ(mp_range_parse("abc", &r, err, sizeof err), -1);
    CHECK_CONTAINS(err, "'abc' is not a range");
    CHECK_INT_EQ(mp_range_parse("20:10", &r, err, sizeof err), -1);
    CHECK_CONTAINS(err, "start is above end");
    struct mp_range unset = {0};
    CHECK(!mp_range_alerts(&unset, 1e9));
}

static void chrony_tracking_golden(void)
{
    char lines[4][512], err[128];
    struct chrony_tracking t;
    CHECK_INT_EQ(read_lines("tracking-synced.csv", lines, 4), 1);
    CHECK_INT_EQ(chrony_parse_tracking(lines[0], &t, err, sizeof err), 0);
    CHECK_STR_EQ(t.refid, "0A4D0001");
    CHECK_STR_EQ(t.ref_name, "10.77.0.1");
    CHECK_INT_EQ(t.stratum, 9);
    CHECK(t.synchronised);
    CHECK_STR_EQ(t.leap_status, "Normal");
    CHECK(t.root_delay > 0.000009 && t.root_delay < 0.0000091);
    CHECK_INT_EQ(read_lines("tracking-unsynced.csv", lines, 4), 1);
    CHECK_INT_EQ(chrony_parse_tracking(lines[0], &t, err, sizeof err), 0);
    CHECK(!t.synchronised);
    CHECK_INT_EQ(t.stratum, 0);
}

static void chrony_tracking_malformed(void)
{
    char lines[4][512], err[128];
    struct chrony_tracking t;
    CHECK_INT_EQ(read_lines("tracking-malformed.csv", lines, 4), 3);
    CHECK_INT_EQ(chrony_parse_tracking(lines[0], &t, err, sizeof err), -1);
    CHECK_CONTAINS(err, "5 fields, expected 14");
    CHECK_INT_EQ(chrony_parse_tracking(lines[1], &t, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad stratum 'x9'");
    CHECK_INT_EQ(chrony_parse_tracking(lines[2], &t, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad root delay 'abc'");
}

static void chrony_sources_golden(void)
{
    char lines[4][512], err[128];
    struct chrony_source s;
    CHECK_INT_EQ(read_lines("sources-synced.csv", lines, 4), 1);
    CHECK_INT_EQ(chrony_parse_source(lines[0], &s, err, sizeof err), 0);
    CHECK_INT_EQ(s.mode, '^');
    CHECK_INT_EQ(s.state, '*');
    CHECK_STR_EQ(s.name, "10.77.0.1");
    CHECK_INT_EQ(s.reach, 0377);
    CHECK_INT_EQ(s.poll, -2);
    CHECK_INT_EQ(read_lines("sources-three.csv", lines, 4), 3);
    CHECK_INT_EQ(chrony_parse_source(lines[2], &s, err, sizeof err), 0);
    CHECK_INT_EQ(s.state, '?');
    CHECK_INT_EQ(s.reach, 0);
    CHECK_INT_EQ(read_lines("sources-malformed.csv", lines, 4), 3);
    CHECK_INT_EQ(chrony_parse_source(lines[0], &s, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad mode '!'");
    CHECK_INT_EQ(chrony_parse_source(lines[1], &s, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad reach '999'");
    CHECK_INT_EQ(chrony_parse_source(lines[2], &s, err, sizeof err), -1);
    CHECK_CONTAINS(err, "3 fields, expected 10");
}

static void chrony_sourcestats_golden(void)
{
    char lines[4][512], err[128];
    struct chrony_sourcestats s;
    CHECK_INT_EQ(read_lines("sourcestats-synced.csv", lines, 4), 1);
    CHECK_INT_EQ(chrony_parse_sourcestats(lines[0], &s, err, sizeof err), 0);
    CHECK_STR_EQ(s.name, "10.77.0.1");
    CHECK_INT_EQ(s.samples, 57);
    CHECK_INT_EQ(s.runs, 33);
    CHECK(s.std_dev > 0.00000018 && s.std_dev < 0.00000019);
    CHECK_INT_EQ(chrony_parse_sourcestats("10.77.0.1,57,x,18,0,0,0,0", &s, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad run count 'x'");
}

static void chrony_clients_golden(void)
{
    /* chronyc -c -n clients of chrony 4.3: the first line as chronyd 4.3 printed it. */
    char lines[4][512], err[128];
    struct chrony_client c;
    CHECK_INT_EQ(read_lines("clients.csv", lines, 4), 3);
    CHECK_INT_EQ(chrony_parse_client(lines[0], &c, err, sizeof err), 0);
    CHECK_STR_EQ(c.address, "127.0.0.1");
    CHECK_INT_EQ(c.ntp_packets, 6);
    CHECK_INT_EQ(c.ntp_last_ago, 0);
    CHECK_INT_EQ(chrony_parse_client(lines[1], &c, err, sizeof err), 0);
    CHECK_INT_EQ(c.ntp_dropped, 1);
    CHECK_INT_EQ(c.ntp_last_ago, 42);
    /* A command client that never sent NTP. */
    CHECK_INT_EQ(chrony_parse_client(lines[2], &c, err, sizeof err), 0);
    CHECK_INT_EQ(c.ntp_packets, 0);
    CHECK_INT_EQ(c.ntp_last_ago, -1);
    CHECK_INT_EQ(chrony_parse_client("10.0.0.1,x,0,0,0,0,0,0,0,0", &c, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad NTP packet count 'x'");
    CHECK_INT_EQ(chrony_parse_client("10.0.0.1,1,0", &c, err, sizeof err), -1);
    CHECK_CONTAINS(err, "3 fields, expected 10");
}

static void health_file_round_trip(void)
{
    char path[] = "/tmp/lyncboot-health-test-XXXXXX", err[256];
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct ntp_health_entry in[2] = {
        {"ntp1.contoso.com", 123, true, 1764000000, "offset 0.000012 s, stratum 8"},
        {"10.99.0.3", 123, false, 1764000001, "no answer\nwithin 1000 ms"},
    }, out[4];
    CHECK_INT_EQ(ntp_health_write(path, in, 2, err, sizeof err), 0);
    CHECK_INT_EQ(ntp_health_read(path, out, 4, err, sizeof err), 2);
    CHECK_STR_EQ(out[0].target, "ntp1.contoso.com");
    CHECK(out[0].healthy);
    CHECK(!out[1].healthy);
    CHECK_INT_EQ(out[1].checked, 1764000001);
    CHECK_STR_EQ(out[1].reason, "no answer within 1000 ms");
    FILE *f = fopen(path, "w");
    fputs("# lyncboot-ntp-health 1\nntp1 123 healthy 1 ok\nntp2 0 healthy 1 bad port\n", f);
    fclose(f);
    CHECK_INT_EQ(ntp_health_read(path, out, 4, err, sizeof err), -1);
    CHECK_CONTAINS(err, ":3: expected");
    f = fopen(path, "w");
    fputs("something else\n", f);
    fclose(f);
    CHECK_INT_EQ(ntp_health_read(path, out, 4, err, sizeof err), -1);
    CHECK_CONTAINS(err, ":1: not a lyncboot NTP health file");
    unlink(path);
}

int main(int argc, char **argv)
{
    golden_dir = argc > 1 ? argv[1] : "tests/golden/chrony-4.3";
    RUN(ranges);
    RUN(chrony_tracking_golden);
    RUN(chrony_tracking_malformed);
    RUN(chrony_sources_golden);
    RUN(chrony_sourcestats_golden);
    RUN(chrony_clients_golden);
    RUN(health_file_round_trip);
    CHECK_DONE();
}
