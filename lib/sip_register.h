/* SPDX-License-Identifier: MPL-2.0 */
/* The first half of a Lync phone's sign-in (step 9): a SIP REGISTER without credentials
 * over TLS to the registrar (RFC 3261), and the registrar's answer read as a phone reads
 * it: the status line and the authentication schemes it offers in WWW-Authenticate. A
 * Lync/SfB front end challenges with TLS-DSK (certificate authentication, the scheme
 * phones use after PIN sign-in), besides NTLM and Kerberos. */
#ifndef LYNCBOOT_SIP_REGISTER_H
#define LYNCBOOT_SIP_REGISTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sip_register_params {
    const char *domain;      /* the SIP domain: Request-URI sip:DOMAIN */
    const char *user;        /* the From/To user part */
    const char *local_addr;  /* the phone's address (Via, Contact) */
    unsigned local_port;
    const char *user_agent;
    uint32_t nonce[3];       /* random: the branch, tag and Call-ID */
};

/* Writes the REGISTER (headers only, Content-Length 0) into out. Returns its length, or
 * -1 with a reason when a field is not a host name or out is too small. */
int sip_register_build(const struct sip_register_params *params, char *out, size_t cap,
                       char *err, size_t errlen);

#define SIP_SCHEMES_MAX 8
#define SIP_TEXT_MAX 256

/* One offered scheme: its name, and for TLS-DSK the parameters a phone uses. */
struct sip_challenge {
    char scheme[32];          /* "TLS-DSK", "NTLM", "Kerberos", ... (quoted) */
    char realm[SIP_TEXT_MAX];
    char targetname[SIP_TEXT_MAX];
    char sts_uri[SIP_TEXT_MAX];
    char version[16];
};

/* A SIP response as the probe reports it. Texts are quoted (errtext_quote). */
struct sip_response {
    int status;               /* 100-699 */
    char reason[SIP_TEXT_MAX];
    char server[SIP_TEXT_MAX]; /* the Server header, if any */
    size_t challenges;
    struct sip_challenge challenge[SIP_SCHEMES_MAX];
};

/* Parses the head of a SIP response (status line and headers up to the empty line;
 * what follows is not read). Returns 0, or -1 with a reason when it is not a SIP
 * response: no "SIP/2.0 NNN " status line, a header line without a colon, or no end
 * of the headers within len bytes. */
int sip_response_parse(const char *in, size_t len, struct sip_response *out, char *err,
                       size_t errlen);

/* The challenge for scheme (case-insensitive), or NULL. */
const struct sip_challenge *sip_response_challenge(const struct sip_response *response,
                                                   const char *scheme);

#ifdef __cplusplus
}
#endif

#endif
