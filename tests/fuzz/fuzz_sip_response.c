/* SPDX-License-Identifier: MPL-2.0 */
/* Fuzz target: what a registrar (or anything listening on its port) answers to the
 * probe's REGISTER, and what a web server answers to its GET. A parsed answer has a
 * status in range and only printable texts; a challenge named is one of those parsed. */
#include "fuzz_target.h"
#include "http_request.h"
#include "sip_register.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sip_response r;
    char err[256];
    if (sip_response_parse((const char *)data, size, &r, err, sizeof err) == 0) {
        FUZZ_ASSERT(r.status >= 100 && r.status <= 999);
        FUZZ_ASSERT(fuzz_printable(r.reason) && fuzz_printable(r.server));
        FUZZ_ASSERT(r.challenges <= SIP_SCHEMES_MAX);
        for (size_t i = 0; i < r.challenges; i++) {
            const struct sip_challenge *c = &r.challenge[i];
            FUZZ_ASSERT(c->scheme[0] && fuzz_printable(c->scheme));
            FUZZ_ASSERT(fuzz_printable(c->realm) && fuzz_printable(c->targetname));
            FUZZ_ASSERT(fuzz_printable(c->sts_uri) && fuzz_printable(c->version));
            FUZZ_ASSERT(sip_response_challenge(&r, c->scheme) != NULL);
        }
    } else {
        FUZZ_ASSERT(fuzz_printable(err));
    }
    struct http_status st;
    if (http_status_parse((const char *)data, size, &st, err, sizeof err) == 0)
        FUZZ_ASSERT(st.code >= 100 && st.code <= 999 && fuzz_printable(st.reason));
    else
        FUZZ_ASSERT(fuzz_printable(err));
    return 0;
}
