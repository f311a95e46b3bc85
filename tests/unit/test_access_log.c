/* SPDX-License-Identifier: MPL-2.0 */
#include "access_log.h"
#include "check.h"

static void reads_a_chain_download(void)
{
    struct access_entry e;
    char err[160];
    /* nginx's combined format, as the lab's web services log a phone's chain download. */
    CHECK_INT_EQ(access_log_parse("10.100.0.50 - - [30/Nov/2026:14:23:47 +0000] \"GET "
                                  "/CertProv/CertProvisioningService.svc HTTP/1.1\" 200 1147 "
                                  "\"-\" \"lyncboot-probe/0.1.0\"",
                                  &e, err, sizeof err), 0);
    CHECK_HEX_EQ(e.client, 4, "0a640032");
    CHECK_INT_EQ(e.when, 1796048627); /* 2026-11-30T14:23:47Z */
    CHECK_STR_EQ(e.method, "GET");
    CHECK_STR_EQ(e.path, "/CertProv/CertProvisioningService.svc");
    CHECK_INT_EQ(e.status, 200);
    /* The common format, a zone east of UTC, a query string (not kept). */
    CHECK_INT_EQ(access_log_parse("10.100.0.51 - alice [30/Nov/2026:15:23:47 +0100] \"GET "
                                  "/RequestHandler/ucdevice.upx?v=4.0 HTTP/1.0\" 404 0",
                                  &e, err, sizeof err), 0);
    CHECK_INT_EQ(e.when, 1796048627);
    CHECK_STR_EQ(e.path, "/RequestHandler/ucdevice.upx");
    CHECK_INT_EQ(e.status, 404);
}

static void names_what_it_cannot_read(void)
{
    struct access_entry e;
    char err[160];
    CHECK_INT_EQ(access_log_parse("::1 - - [30/Nov/2026:14:23:47 +0000] \"GET / HTTP/1.1\" 200 1",
                                  &e, err, sizeof err), -1);
    CHECK_CONTAINS(err, "no IPv4 address");
    CHECK_INT_EQ(access_log_parse("10.0.0.1 - - [31/Foo/2026:14:23:47 +0000] \"GET / HTTP/1.1\" "
                                  "200 1", &e, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad time '31/Foo/2026:14:23:47 +0000'");
    CHECK_INT_EQ(access_log_parse("10.0.0.1 - - [30/Nov/2026:14:23:47 +0000] \"GET / HTTP/1.1",
                                  &e, err, sizeof err), -1);
    CHECK_CONTAINS(err, "no \"request\" field");
    CHECK_INT_EQ(access_log_parse("10.0.0.1 - - [30/Nov/2026:14:23:47 +0000] \"GET / HTTP/1.1\" "
                                  "2000 1", &e, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad status '2000'");
    CHECK_INT_EQ(access_log_parse("", &e, err, sizeof err), -1);
    /* A path with control characters is quoted. */
    CHECK_INT_EQ(access_log_parse("10.0.0.1 - - [30/Nov/2026:14:23:47 +0000] \"GET /a\x1b[2J "
                                  "HTTP/1.1\" 400 1", &e, err, sizeof err), 0);
    CHECK_STR_EQ(e.path, "/a\\x1B[2J");
}

int main(void)
{
    RUN(reads_a_chain_download);
    RUN(names_what_it_cannot_read);
    CHECK_DONE();
}
