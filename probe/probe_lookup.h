/* SPDX-License-Identifier: MPL-2.0 */
/* The network look-ups of the bootstrap walk: DNS over UDP, an NTP query, the CA
 * chain over HTTP and TLS handshakes checked at the phone's time. */
#ifndef LYNCBOOT_PROBE_LOOKUP_H
#define LYNCBOOT_PROBE_LOOKUP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dns_client.h"
#include "ntp_client.h"

/* One NTP exchange (lib/ntp_client); out->server_time is the phone's clock after it.
 * Returns 0 with the sample, or -1 with a reason (no answer). */
int lookup_ntp(const uint8_t addr[4], uint16_t port, int timeout_ms, struct ntp_sample *out,
               char *err, size_t errlen);

struct cert_chain; /* the certificates the web server hands out over HTTP */

/* GET http://host/path from addr:80, as the phone fetches the CA chain before it can
 * trust TLS. Returns the chain (PEM, DER or PKCS#7 certificates), or NULL with a reason. */
struct cert_chain *fetch_chain_http(const char *host, const uint8_t addr[4], const char *path,
                                    int timeout_ms, long *http_status, char *err, size_t errlen);
size_t cert_chain_count(const struct cert_chain *chain);
/* Adds the certificates of a PEM file (--ca). Returns 0, or -1 with a reason. */
int cert_chain_add_file(struct cert_chain **chain, const char *path, char *err, size_t errlen);
void cert_chain_free(struct cert_chain *chain);

struct tls_result {
    int verified;        /* chain and host name good at the given time */
    char error[200];     /* why not */
    long days_left;      /* leaf certificate, from the given time */
    char subject[256];
};

/* TLS handshake to addr:port with SNI host; verifies the server's chain against the
 * given certificates at time at (not this host's clock) and the host name. Returns 0
 * when a handshake happened (see out->verified), -1 with a reason when not. */
int check_tls(const uint8_t addr[4], uint16_t port, const char *host,
              const struct cert_chain *trusted, time_t at, int timeout_ms,
              struct tls_result *out, char *err, size_t errlen);

/* What the server answered to a request sent over a verified connection. */
struct tls_reply {
    char data[8192];
    size_t len;
    int head_complete; /* the empty line after the headers arrived */
    double seconds;    /* from the request sent to the end of the headers (or the wait) */
    char local_addr[16];
    unsigned local_port;
};

/* check_tls, then (when verified) the request and the answer's head, read until its
 * empty line, the server closing, or timeout_ms after the request. The request is made
 * by make_request once the connection's local address is known (a SIP Via carries it);
 * it returns the request's length or -1. Returns as check_tls. */
int tls_exchange(const uint8_t addr[4], uint16_t port, const char *host,
                 const struct cert_chain *trusted, time_t at, int timeout_ms,
                 int (*make_request)(const struct tls_reply *where, void *ctx, char *out,
                                     size_t cap),
                 void *ctx, struct tls_result *out, struct tls_reply *reply, char *err,
                 size_t errlen);

#endif
