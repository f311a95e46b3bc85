/* SPDX-License-Identifier: MPL-2.0 */
/* What a DNS server logs of its clients through dnstap (unbound's dnstap-log-client-*
 * options): Frame Streams data frames, as fstrm_capture writes them to a file, each a
 * dnstap protobuf message (dnstap.proto, proto2) with the client's address, the time and
 * the DNS message. Read here by hand, the few fields a rollout needs: Frame Streams is a
 * length-prefixed framing and protobuf a tag-length-value encoding, and a hostile or
 * truncated file must give a named error, never a read past the buffer. */
#ifndef LYNCBOOT_DNSTAP_H
#define LYNCBOOT_DNSTAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The next data frame of a Frame Streams file at in[*pos]: control frames (START,
 * STOP) are read past; a START whose content type is not dnstap's is refused. Returns 1
 * with the frame, 0 at the end (a STOP, or the end of in), -1 with a reason when the
 * framing is broken or a frame runs past the end (a file still being written ends so:
 * what came before it is good). */
int fstrm_next_frame(const uint8_t *in, size_t len, size_t *pos, const uint8_t **frame,
                     size_t *frame_len, char *err, size_t errlen);

enum dnstap_message_type {
    DNSTAP_CLIENT_QUERY = 5,
    DNSTAP_CLIENT_RESPONSE = 6,
};

struct dnstap_message {
    int type;                  /* Message.type */
    bool client_is_ipv4;       /* socket_family INET and a 4-byte query_address */
    uint8_t client[4];         /* query_address: the client */
    int64_t when;              /* response_time_sec, else query_time_sec */
    const uint8_t *dns;        /* response_message, else query_message (into the frame) */
    size_t dns_len;
};

/* Decodes one dnstap frame. Returns 0, or -1 with a reason (not a dnstap MESSAGE, a
 * field past the end, an unknown wire type). */
int dnstap_decode(const uint8_t *frame, size_t len, struct dnstap_message *out, char *err,
                  size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
