/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe bootstrap: the services a phone talks to before and at sign-in, each
 * over TLS verified at the phone's NTP time: the Device Update handler (steps 3-4) and
 * the registrar's answer to a REGISTER without credentials (step 9, first half). PIN
 * sign-in itself needs a real pool. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "http_request.h"
#include "probe_bootstrap.h"
#include "sip_register.h"

#define DEVICE_UPDATE_PORT 443
#define DEVICE_UPDATE_PATH "/RequestHandler/ucdevice.upx"
#define USER_AGENT "lyncboot-probe/" LYNCBOOT_VERSION

static int make_device_update_get(const struct tls_reply *where, void *ctx, char *out,
                                  size_t cap)
{
    (void)where;
    const struct bootstrap *b = ctx;
    return http_get_build(b->updates_host, DEVICE_UPDATE_PATH, USER_AGENT, out, cap, NULL, 0);
}

/* Why the walk cannot make a TLS step here, or NULL. */
static const char *tls_not_ready(const struct bootstrap *b)
{
    return !b->dhcp_ok ? "needs the DHCP step" : !b->chain ? "no CA chain to verify with" : NULL;
}

void step_device_update_service(struct bootstrap *b, const char *name)
{
    const char *why = tls_not_ready(b);
    if (!why && !b->updates_resolved)
        why = "no address for ucupdates-r2 (DeviceUpdateLookup)";
    if (why) {
        step_skip(&b->w, name, why);
        return;
    }
    char err[512];
    struct step *s = step_begin(&b->w, name);
    struct tls_result tls;
    static struct tls_reply reply;
    const char *host = b->updates_host;
    if (tls_exchange(b->updates_addr, DEVICE_UPDATE_PORT, host, b->chain, b->phone_time,
                     b->timeout_ms, make_device_update_get, b, &tls, &reply, err,
                     sizeof err) != 0) {
        step_end(&b->w, s, STEP_FAIL, "the Device Update service does not accept TLS on 443",
                 "%s", err);
        return;
    }
    if (!tls.verified) {
        step_end(&b->w, s, STEP_FAIL,
                 tls_name_mismatch(&tls)
                     ? "the web services certificate does not carry the ucupdates-r2 name: add "
                       "it to the certificate's subject alternative names, or phones cannot "
                       "update before sign-in"
                     : tls_rejection_cause(&tls),
                 "TLS to %s:%u: certificate %s rejected at the phone's NTP time: %s", host,
                 DEVICE_UPDATE_PORT, tls.subject, tls.error);
        return;
    }
    struct http_status status;
    if (!reply.head_complete && reply.len == 0) {
        step_end(&b->w, s, STEP_FAIL, "the web server accepts TLS but does not answer HTTP",
                 "No answer to GET https://%s%s within %d ms.", host, DEVICE_UPDATE_PATH,
                 b->timeout_ms);
    } else if (http_status_parse(reply.data, reply.len, &status, err, sizeof err) != 0) {
        step_end(&b->w, s, STEP_FAIL, "something other than a web server listens there",
                 "GET https://%s%s: %s", host, DEVICE_UPDATE_PATH, err);
    } else if (status.code == 404) {
        step_end(&b->w, s, STEP_FAIL,
                 "no Device Update handler at " DEVICE_UPDATE_PATH ": is the web services' "
                 "RequestHandler published on the name phones use?",
                 "GET https://%s%s: %d %s (%.1f ms).", host, DEVICE_UPDATE_PATH, status.code,
                 status.reason, reply.seconds * 1000);
    } else if (status.code >= 400) {
        step_end(&b->w, s, STEP_FAIL,
                 "the Device Update handler refuses phones that have not signed in",
                 "GET https://%s%s: %d %s (%.1f ms).", host, DEVICE_UPDATE_PATH, status.code,
                 status.reason, reply.seconds * 1000);
    } else {
        step_end(&b->w, s, STEP_PASS, NULL,
                 "Device Update handler https://%s%s answered %d %s in %.1f ms (certificate "
                 "%s verified at the phone's NTP time).", host, DEVICE_UPDATE_PATH,
                 status.code, status.reason, reply.seconds * 1000, tls.subject);
    }
}

static int make_register(const struct tls_reply *where, void *ctx, char *out, size_t cap)
{
    const struct bootstrap *b = ctx;
    struct sip_register_params p = {.domain = b->site.domain, .user = "lyncboot-probe",
                                    .local_addr = where->local_addr,
                                    .local_port = where->local_port, .user_agent = USER_AGENT};
    if (getrandom(p.nonce, sizeof p.nonce, GRND_NONBLOCK) != (ssize_t)sizeof p.nonce)
        p.nonce[0] ^= (uint32_t)b->phone_time; /* rare: the tag need only differ */
    return sip_register_build(&p, out, cap, NULL, 0);
}

/* "TLS-DSK, NTLM, Kerberos": the schemes a challenge offers. */
static const char *scheme_list(const struct sip_response *r, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t i = 0; i < r->challenges; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? ", " : "",
                 r->challenge[i].scheme);
    return out;
}

void step_registrar_register(struct bootstrap *b, const char *name)
{
    const char *why = tls_not_ready(b);
    if (why) {
        step_skip(&b->w, name, why);
        return;
    }
    char err[512], schemes[256];
    struct step *s = step_begin(&b->w, name);
    uint8_t addr[4];
    struct tls_result tls;
    static struct tls_reply reply;
    const char *host = b->site.registrar;
    if (bootstrap_resolve(&b->site, host, b->timeout_ms, addr, err, sizeof err) != 0) {
        step_end(&b->w, s, STEP_FAIL, "publish an A record for it", "Cannot resolve %s: %s",
                 host, err);
        return;
    }
    if (tls_exchange(addr, (uint16_t)b->registrar_port, host, b->chain, b->phone_time,
                     b->timeout_ms, make_register, b, &tls, &reply, err, sizeof err) != 0) {
        step_end(&b->w, s, STEP_FAIL, "the registrar does not accept TLS on this port", "%s",
                 err);
        return;
    }
    if (!tls.verified) {
        step_end(&b->w, s, STEP_FAIL, tls_rejection_cause(&tls),
                 "TLS to %s:%u: certificate %s rejected at the phone's NTP time: %s", host,
                 b->registrar_port, tls.subject, tls.error);
        return;
    }
    struct sip_response r;
    if (reply.len == 0) {
        step_end(&b->w, s, STEP_FAIL,
                 "something accepts TLS on the registrar's port but does not speak SIP",
                 "No answer to REGISTER sip:%s from %s:%u within %d ms.", b->site.domain, host,
                 b->registrar_port, b->timeout_ms);
    } else if (sip_response_parse(reply.data, reply.len, &r, err, sizeof err) != 0) {
        step_end(&b->w, s, STEP_FAIL,
                 "something other than a SIP registrar answers on the registrar's port",
                 "REGISTER to %s:%u: %s", host, b->registrar_port, err);
    } else if (r.status == 401 && sip_response_challenge(&r, "TLS-DSK")) {
        const struct sip_challenge *dsk = sip_response_challenge(&r, "TLS-DSK");
        step_end(&b->w, s, STEP_PASS, NULL,
                 "Registrar ready for phones: SIP/2.0 %d %s in %.1f ms, offering %s (TLS-DSK "
                 "targetname %s, sts-uri %s).", r.status, r.reason, reply.seconds * 1000,
                 scheme_list(&r, schemes, sizeof schemes),
                 dsk->targetname[0] ? dsk->targetname : "none",
                 dsk->sts_uri[0] ? dsk->sts_uri : "none");
    } else if (r.status == 401 || r.status == 407) {
        step_end(&b->w, s, STEP_FAIL,
                 "phones sign in with TLS-DSK (certificate authentication): enable certificate "
                 "authentication on the registrar (Set-CsProxyConfiguration "
                 "-UseCertificateForClientToProxyAuth)",
                 "SIP/2.0 %d %s offering %s, but not TLS-DSK.", r.status, r.reason,
                 r.challenges ? scheme_list(&r, schemes, sizeof schemes) : "nothing");
    } else {
        step_end(&b->w, s, STEP_FAIL,
                 "a registrar challenges an unauthenticated REGISTER with 401 and TLS-DSK: is "
                 "this the pool's registrar?",
                 "REGISTER sip:%s answered SIP/2.0 %d %s%s%s.", b->site.domain, r.status,
                 r.reason, r.server[0] ? " by " : "", r.server);
    }
}

void step_pin_sign_in(struct bootstrap *b, const char *name)
{
    step_skip(&b->w, name, "needs a real Lync/SfB pool (web ticket, certificate enrollment, "
                           "then REGISTER with TLS-DSK credentials); not emulated");
}
