/* SPDX-License-Identifier: MPL-2.0 */
/* A stub resolver for the look-ups lyncboot makes itself (SRV, A): one query to a given
 * server with a random ID and EDNS0, over UDP and again over TCP when the answer is
 * truncated, within one time limit. */
#ifndef LYNCBOOT_DNS_CLIENT_H
#define LYNCBOOT_DNS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "dnswire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One query to server:53. Returns 0 with the answer (check ans->rcode), or -1 with a
 * reason (no answer in time, malformed response, not the answer to this question). */
int dns_lookup(const uint8_t server[4], const char *name, uint16_t type,
               enum dns_recursion recursion, int timeout_ms, struct dns_answer *ans,
               char *err, size_t errlen);

/* The same from a given local address (a phone emulator's leased one); NULL: any. */
int dns_lookup_from(const uint8_t *source, const uint8_t server[4], const char *name,
                    uint16_t type, enum dns_recursion recursion, int timeout_ms,
                    struct dns_answer *ans, char *err, size_t errlen);

/* An IPv4 literal as it is, else the first A record of name from server (recursion
 * desired). Returns 0, or -1 with a reason that names the name. */
int dns_resolve_a(const uint8_t server[4], const char *name, int timeout_ms, uint8_t out[4],
                  char *err, size_t errlen);

/* Sends one datagram to addr:port and waits for the answer. Returns its length, or -1
 * with a reason. */
long udp_exchange(const uint8_t addr[4], uint16_t port, const uint8_t *query, size_t len,
                  uint8_t *reply, size_t cap, int timeout_ms, char *err, size_t errlen);
long udp_exchange_from(const uint8_t *source, const uint8_t addr[4], uint16_t port,
                       const uint8_t *query, size_t len, uint8_t *reply, size_t cap,
                       int timeout_ms, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
