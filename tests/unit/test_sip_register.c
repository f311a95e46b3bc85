/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "http_request.h"
#include "sip_register.h"

/* A Lync 2013 front end's answer to an unauthenticated REGISTER (lync-bootstrap.md 3,
 * step 9), with its NTLM and Kerberos offers after TLS-DSK. */
static const char LYNC_401[] =
    "SIP/2.0 401 Unauthorized\r\n"
    "Date: Mon, 30 Nov 2026 12:00:00 GMT\r\n"
    "WWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"fe01.contoso.com\", version=4\r\n"
    "WWW-Authenticate: Kerberos realm=\"SIP Communications Service\", targetname=\"sip/fe01.contoso.com\", version=4\r\n"
    "WWW-Authenticate: TLS-DSK realm=\"SIP Communications Service\", targetname=\"fe01.contoso.com\", version=4,\r\n"
    " sts-uri=\"https://fe01.contoso.com:443/CertProv/CertProvisioningService.svc\"\r\n"
    "From: <sip:phone@contoso.com>;tag=1\r\n"
    "To: <sip:phone@contoso.com>;tag=2\r\n"
    "Call-ID: 1@x\r\n"
    "CSeq: 1 REGISTER\r\n"
    "Via: SIP/2.0/TLS 10.100.0.50:5061;branch=z9hG4bK1;ms-received-port=5061\r\n"
    "Server: RTC/5.0\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static void builds_a_register(void)
{
    struct sip_register_params p = {.domain = "contoso.com", .user = "lyncboot-probe",
                                    .local_addr = "10.100.0.50", .local_port = 40000,
                                    .user_agent = "lyncboot-probe/0.1.0",
                                    .nonce = {0x11111111, 0x22222222, 0x33333333}};
    char out[1024];
    int len = sip_register_build(&p, out, sizeof out, NULL, 0);
    CHECK(len > 0);
    CHECK_STR_EQ(out,
                 "REGISTER sip:contoso.com SIP/2.0\r\n"
                 "Via: SIP/2.0/TLS 10.100.0.50:40000;branch=z9hG4bK1111111122222222\r\n"
                 "Max-Forwards: 70\r\n"
                 "From: <sip:lyncboot-probe@contoso.com>;tag=33333333\r\n"
                 "To: <sip:lyncboot-probe@contoso.com>\r\n"
                 "Call-ID: 2222222233333333@10.100.0.50\r\n"
                 "CSeq: 1 REGISTER\r\n"
                 "Contact: <sip:10.100.0.50:40000;transport=tls>\r\n"
                 "User-Agent: lyncboot-probe/0.1.0\r\n"
                 "Event: registration\r\n"
                 "Content-Length: 0\r\n"
                 "\r\n");
    char err[200];
    p.domain = "contoso..com";
    CHECK_INT_EQ(sip_register_build(&p, out, sizeof out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "SIP domain 'contoso..com'");
    p.domain = "contoso.com";
    p.user_agent = "x\r\nEvil: 1";
    CHECK_INT_EQ(sip_register_build(&p, out, sizeof out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "User-Agent");
    p.user_agent = "ok";
    CHECK_INT_EQ(sip_register_build(&p, out, 40, err, sizeof err), -1);
    CHECK_CONTAINS(err, "longer than its buffer");
}

static void reads_a_lync_challenge(void)
{
    struct sip_response r;
    char err[200];
    CHECK_INT_EQ(sip_response_parse(LYNC_401, sizeof LYNC_401 - 1, &r, err, sizeof err), 0);
    CHECK_INT_EQ(r.status, 401);
    CHECK_STR_EQ(r.reason, "Unauthorized");
    CHECK_STR_EQ(r.server, "RTC/5.0");
    CHECK_INT_EQ(r.challenges, 3);
    const struct sip_challenge *dsk = sip_response_challenge(&r, "tls-dsk");
    CHECK(dsk != NULL);
    if (dsk) {
        CHECK_STR_EQ(dsk->targetname, "fe01.contoso.com");
        CHECK_STR_EQ(dsk->realm, "SIP Communications Service");
        CHECK_STR_EQ(dsk->version, "4");
        CHECK_STR_EQ(dsk->sts_uri,
                     "https://fe01.contoso.com:443/CertProv/CertProvisioningService.svc");
    }
    CHECK(sip_response_challenge(&r, "NTLM") && sip_response_challenge(&r, "Kerberos"));
    CHECK(sip_response_challenge(&r, "Digest") == NULL);
}

static void refuses_what_is_not_sip(void)
{
    struct sip_response r;
    char err[200];
    const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
    CHECK_INT_EQ(sip_response_parse(http, sizeof http - 1, &r, err, sizeof err), -1);
    CHECK_CONTAINS(err, "not a SIP response: it begins \"HTTP/1.1 400 Bad Request\"");
    const char garbage[] = "\x16\x03\x01\x02\x00\x01";
    CHECK_INT_EQ(sip_response_parse(garbage, sizeof garbage - 1, &r, err, sizeof err), -1);
    CHECK_CONTAINS(err, "\\x16\\x03");
    const char unfinished[] = "SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: NTLM\r\n";
    CHECK_INT_EQ(sip_response_parse(unfinished, sizeof unfinished - 1, &r, err, sizeof err), -1);
    CHECK_CONTAINS(err, "without the end of its headers");
    const char no_colon[] = "SIP/2.0 200 OK\r\nbroken header\r\n\r\n";
    CHECK_INT_EQ(sip_response_parse(no_colon, sizeof no_colon - 1, &r, err, sizeof err), -1);
    CHECK_CONTAINS(err, "without a colon");
    const char bare[] = "SIP/2.0 403\r\n\r\n";
    CHECK_INT_EQ(sip_response_parse(bare, sizeof bare - 1, &r, err, sizeof err), 0);
    CHECK_INT_EQ(r.status, 403);
    CHECK_STR_EQ(r.reason, "");
}

static void http_request_and_status(void)
{
    char out[512], err[200];
    int len = http_get_build("ucupdates-r2.contoso.com", "/RequestHandler/ucdevice.upx",
                             "lyncboot-probe/0.1.0", out, sizeof out, err, sizeof err);
    CHECK(len > 0);
    CHECK_STR_EQ(out, "GET /RequestHandler/ucdevice.upx HTTP/1.1\r\n"
                      "Host: ucupdates-r2.contoso.com\r\n"
                      "User-Agent: lyncboot-probe/0.1.0\r\n"
                      "Accept: */*\r\nConnection: close\r\n\r\n");
    CHECK_INT_EQ(http_get_build("a b", "/", "x", out, sizeof out, err, sizeof err), -1);
    CHECK_INT_EQ(http_get_build("a.com", "/x y", "x", out, sizeof out, err, sizeof err), -1);
    CHECK_CONTAINS(err, "blank");
    struct http_status st;
    const char ok[] = "HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n";
    CHECK_INT_EQ(http_status_parse(ok, sizeof ok - 1, &st, err, sizeof err), 0);
    CHECK_INT_EQ(st.code, 200);
    CHECK_STR_EQ(st.reason, "OK");
    const char sip[] = "SIP/2.0 200 OK\r\n\r\n";
    CHECK_INT_EQ(http_status_parse(sip, sizeof sip - 1, &st, err, sizeof err), -1);
    CHECK_CONTAINS(err, "not an HTTP answer");
}

int main(void)
{
    RUN(builds_a_register);
    RUN(reads_a_lync_challenge);
    RUN(refuses_what_is_not_sip);
    RUN(http_request_and_status);
    CHECK_DONE();
}
