/* SPDX-License-Identifier: MPL-2.0 */
/* What a DNS server logs of its clients through dnstap (unbound's dnstap-log-client-*
 * options): a Frame Streams capture, as fstrm_capture writes it, of dnstap protobuf
 * messages with the client's address, the time and the DNS message. Read with Debian's
 * libfstrm (the framing, its control frames and content type) and protobuf-c (code
 * generated from dnstap.proto, the dnstap project's schema): a hostile or truncated file
 * gives a named error, never a read past the buffer. */
#ifndef LYNCBOOT_DNSTAP_H
#define LYNCBOOT_DNSTAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A capture in memory, read frame by frame. */
struct dnstap_reader;

/* NULL only when out of memory. */
struct dnstap_reader *dnstap_reader_new(const uint8_t *in, size_t len);
void dnstap_reader_free(struct dnstap_reader *reader);

/* The next data frame (valid until the next call): control frames are read past, a START
 * for another content type than dnstap's is refused. Returns 1 with the frame, 0 at the
 * end (a STOP, or the end of the capture), -1 with a reason when the framing is broken or
 * the capture ends inside a frame (a file still being written ends so: the frames before
 * it are good). */
int dnstap_reader_next(struct dnstap_reader *reader, const uint8_t **frame, size_t *frame_len,
                       char *err, size_t errlen);

enum dnstap_message_type {
    DNSTAP_CLIENT_QUERY = 5,
    DNSTAP_CLIENT_RESPONSE = 6,
};

struct dnstap_message {
    int type;                  /* Message.type */
    bool client_is_ipv4;       /* socket_family INET and a 4-byte query_address */
    uint8_t client[4];         /* query_address: the client */
    int64_t when;              /* response_time_sec, else query_time_sec */
    const uint8_t *dns;        /* response_message, else query_message */
    size_t dns_len;
    void *unpacked;            /* what dns points into; dnstap_message_clear() frees it */
};

/* Decodes one dnstap frame. Returns 0 (then dnstap_message_clear() when done), or -1
 * with a reason (not a dnstap protobuf message, not a MESSAGE). */
int dnstap_decode(const uint8_t *frame, size_t len, struct dnstap_message *out, char *err,
                  size_t errlen);
void dnstap_message_clear(struct dnstap_message *message);

#ifdef __cplusplus
}
#endif

#endif
