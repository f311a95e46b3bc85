/* SPDX-License-Identifier: MPL-2.0 */
#include "dnstap.h"

#include <fstrm.h>
#include <stdlib.h>
#include <string.h>

#include "dnstap.pb-c.h"
#include "errtext.h"

static const char DNSTAP_CONTENT_TYPE[] = "protobuf:dnstap.Dnstap";
/* A dnstap frame holds one DNS message (at most 65,535 bytes) and a few fields; libfstrm
 * keeps a buffer of this size per reader. */
enum { DNSTAP_MAX_FRAME = 128 * 1024 };

/* libfstrm reads through an fstrm_rdwr; this one reads the capture in memory and
 * remembers where a read ran past its end. */
struct memory_stream {
    const uint8_t *in;
    size_t len, pos;
    bool cut;            /* a read asked for more than was left */
};

struct dnstap_reader {
    struct memory_stream stream;
    struct fstrm_reader *reader;
};

static fstrm_res memory_read(void *obj, void *data, size_t count)
{
    struct memory_stream *s = obj;
    if (s->pos == s->len)
        return fstrm_res_stop; /* the end, between frames */
    if (count > s->len - s->pos) {
        s->cut = true;
        return fstrm_res_failure;
    }
    memcpy(data, s->in + s->pos, count);
    s->pos += count;
    return fstrm_res_success;
}

static fstrm_res memory_nothing(void *obj)
{
    (void)obj;
    return fstrm_res_success;
}

struct dnstap_reader *dnstap_reader_new(const uint8_t *in, size_t len)
{
    struct dnstap_reader *r = calloc(1, sizeof *r);
    struct fstrm_reader_options *options = fstrm_reader_options_init();
    struct fstrm_rdwr *rdwr = r ? fstrm_rdwr_init(&r->stream) : NULL;
    if (r && options && rdwr) {
        r->stream = (struct memory_stream){.in = in, .len = len};
        fstrm_rdwr_set_open(rdwr, memory_nothing);
        fstrm_rdwr_set_close(rdwr, memory_nothing);
        fstrm_rdwr_set_read(rdwr, memory_read);
        fstrm_reader_options_add_content_type(options, DNSTAP_CONTENT_TYPE,
                                              sizeof DNSTAP_CONTENT_TYPE - 1);
        fstrm_reader_options_set_max_frame_size(options, DNSTAP_MAX_FRAME);
        r->reader = fstrm_reader_init(options, &rdwr); /* takes rdwr */
    }
    if (rdwr)
        fstrm_rdwr_destroy(&rdwr);
    if (options)
        fstrm_reader_options_destroy(&options);
    if (r && !r->reader) {
        free(r);
        r = NULL;
    }
    return r;
}

void dnstap_reader_free(struct dnstap_reader *r)
{
    if (!r)
        return;
    fstrm_reader_destroy(&r->reader);
    free(r);
}

int dnstap_reader_next(struct dnstap_reader *r, const uint8_t **frame, size_t *frame_len,
                       char *err, size_t errlen)
{
    const size_t before = r->stream.pos;
    *frame = NULL;
    *frame_len = 0;
    fstrm_res res = fstrm_reader_read(r->reader, frame, frame_len);
    /* libfstrm 0.6.1 answers a frame longer than its maximum with success and a length it
     * did not read (found by the fuzzer): a frame is good only if it came out of the bytes
     * this read consumed. */
    if (res == fstrm_res_success && (!*frame || *frame_len == 0 ||
                                     *frame_len > r->stream.pos - before))
        return errtext_fail(err, errlen, "Frame Streams frame after byte %zu: not a frame "
                            "lyncboot reads (longer than %d bytes, or empty)", before,
                            DNSTAP_MAX_FRAME);
    if (res == fstrm_res_success)
        return 1;
    if (res == fstrm_res_stop)
        return 0;
    if (r->stream.cut)
        return errtext_fail(err, errlen, "Frame Streams frame at byte %zu runs past the end "
                            "(%zu bytes left)", before, r->stream.len - before);
    if (before == 0)
        return errtext_fail(err, errlen, "not a dnstap capture: no Frame Streams START for "
                            "'%s' at its start", DNSTAP_CONTENT_TYPE);
    return errtext_fail(err, errlen, "Frame Streams framing broken after byte %zu", before);
}

int dnstap_decode(const uint8_t *frame, size_t len, struct dnstap_message *out, char *err,
                  size_t errlen)
{
    memset(out, 0, sizeof *out);
    Dnstap__Dnstap *d = dnstap__dnstap__unpack(NULL, len, frame);
    if (!d)
        return errtext_fail(err, errlen, "not a dnstap protobuf message (%zu bytes)", len);
    const Dnstap__Message *m = d->message;
    if (d->type != DNSTAP__DNSTAP__TYPE__MESSAGE || !m) {
        dnstap__dnstap__free_unpacked(d, NULL);
        return errtext_fail(err, errlen, "dnstap frame that is not a MESSAGE");
    }
    out->unpacked = d;
    out->type = (int)m->type;
    out->client_is_ipv4 = m->has_socket_family &&
                          m->socket_family == DNSTAP__SOCKET_FAMILY__INET &&
                          m->has_query_address && m->query_address.len == 4;
    if (out->client_is_ipv4)
        memcpy(out->client, m->query_address.data, 4);
    out->when = (int64_t)(m->has_response_time_sec ? m->response_time_sec
                          : m->has_query_time_sec  ? m->query_time_sec
                                                   : 0);
    const ProtobufCBinaryData *dns = m->has_response_message ? &m->response_message
                                     : m->has_query_message  ? &m->query_message
                                                             : NULL;
    if (dns) {
        out->dns = dns->data;
        out->dns_len = dns->len;
    }
    return 0;
}

void dnstap_message_clear(struct dnstap_message *message)
{
    if (message->unpacked)
        dnstap__dnstap__free_unpacked(message->unpacked, NULL);
    memset(message, 0, sizeof *message);
}
