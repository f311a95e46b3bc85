/* SPDX-License-Identifier: MPL-2.0 */
/* Strict host-name checks and DNS wire form (RFC 1035 s3.1, uncompressed). */
#ifndef LYNCBOOT_FQDN_H
#define LYNCBOOT_FQDN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FQDN_MAX_TEXT 253 /* without a trailing dot */
#define FQDN_MAX_LABEL 63
#define FQDN_MAX_WIRE 255
#define FQDN_TEXT_SIZE 256 /* room for any accepted name, its dot and NUL */ /* RFC 1035 limit on a name in wire form */

/* Checks an LDH host name: labels of letters, digits and inner hyphens, 1-63 bytes
 * each, at least two labels, at most 253 bytes, one optional trailing dot.
 * Returns 0, or -1 with a reason in err (which may be NULL). */
int fqdn_validate(const char *name, char *err, size_t errlen);

/* Writes the validated name as length-prefixed labels ending in 00.
 * Returns the bytes written, or -1 if it is invalid or out has too little room. */
int fqdn_to_wire(const char *name, uint8_t *out, size_t cap);

/* Reads one uncompressed wire name starting at in[0], never past in[len-1].
 * Writes it as dotted text (no trailing dot) into text; returns the bytes consumed,
 * or -1 on a truncated name, a compression pointer, an over-long name or a label
 * that is not printable ASCII. */
int fqdn_from_wire(const uint8_t *in, size_t len, char *text, size_t textcap);

/* Appends count dotted-quad addresses as 4-byte network-order values at out[*len];
 * out must have room. Returns 0, or -1 naming the bad address (out[*len] untouched). */
int ipv4_list_append(const char *const *addresses, size_t count, uint8_t *out, size_t *len,
                     char *err, size_t errlen);

/* Parses a dotted-quad IPv4 address ("10.0.0.1") into network order bytes.
 * Returns 0, or -1 if it is not exactly four decimal octets. */
int ipv4_parse(const char *text, uint8_t out[4]);

#ifdef __cplusplus
}
#endif

#endif
