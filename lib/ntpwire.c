/* SPDX-License-Identifier: MPL-2.0 */
#include "ntpwire.h"

#include <stdio.h>
#include <string.h>

static uint32_t get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

struct ntp_timestamp ntp_from_unix(double unix_seconds)
{
    struct ntp_timestamp ts;
    double whole = (double)(uint64_t)unix_seconds;
    ts.seconds = (uint32_t)((uint64_t)whole + NTP_UNIX_EPOCH_OFFSET);
    ts.fraction = (uint32_t)((unix_seconds - whole) * 4294967296.0);
    return ts;
}

double ntp_to_unix(struct ntp_timestamp ts)
{
    /* Era 0 until 2036; later readings wrap into era 1, as RFC 5905 suggests. */
    double seconds = (double)ts.seconds - NTP_UNIX_EPOCH_OFFSET;
    if (ts.seconds < 0x80000000u)
        seconds += 4294967296.0;
    return seconds + ts.fraction / 4294967296.0;
}

void ntp_build_request(struct ntp_timestamp transmit, uint8_t out[NTP_PACKET_LEN])
{
    memset(out, 0, NTP_PACKET_LEN);
    out[0] = (0 << 6) | (4 << 3) | 3; /* LI 0, version 4, mode 3 (client) */
    put32(out + 40, transmit.seconds);
    put32(out + 44, transmit.fraction);
}

static double short_format(const uint8_t *p)
{
    return get32(p) / 65536.0;
}

static struct ntp_timestamp timestamp_at(const uint8_t *p)
{
    struct ntp_timestamp ts = {get32(p), get32(p + 4)};
    return ts;
}

enum ntp_verdict ntp_parse_reply(const uint8_t *in, size_t len, struct ntp_timestamp sent,
                                 struct ntp_reply *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len < NTP_PACKET_LEN) {
        snprintf(err, errlen, "reply of %zu bytes, shorter than an NTP header (48)", len);
        return NTP_REPLY_INVALID;
    }
    out->leap = in[0] >> 6;
    out->version = (in[0] >> 3) & 7;
    out->mode = in[0] & 7;
    out->stratum = in[1];
    out->root_delay = short_format(in + 4);
    out->root_dispersion = short_format(in + 8);
    out->origin = timestamp_at(in + 24);
    out->receive = timestamp_at(in + 32);
    out->transmit = timestamp_at(in + 40);
    if (out->stratum <= 1) {
        for (int i = 0; i < 4; i++)
            out->refid[i] = (in[12 + i] >= 0x20 && in[12 + i] < 0x7f) ? (char)in[12 + i] : '\0';
    } else {
        snprintf(out->refid, sizeof out->refid, "%u.%u.%u.%u", in[12], in[13], in[14], in[15]);
    }
    if (out->mode != 4) {
        snprintf(err, errlen, "mode %d, not 4 (server)", out->mode);
        return NTP_REPLY_INVALID;
    }
    if (out->version < 1 || out->version > 4) {
        snprintf(err, errlen, "version %d", out->version);
        return NTP_REPLY_INVALID;
    }
    /* The origin must echo our transmit timestamp: otherwise it is stale or spoofed. */
    if (out->origin.seconds != sent.seconds || out->origin.fraction != sent.fraction) {
        snprintf(err, errlen, "origin timestamp does not match the request (stale or "
                              "spoofed reply)");
        return NTP_REPLY_INVALID;
    }
    if (out->stratum == 0) {
        /* A kiss code is four ASCII letters; stratum 0 without one is a server with no
         * time to give (chrony answers so while unsynchronised). */
        int letters = 0;
        for (int i = 0; i < 4; i++)
            letters += in[12 + i] >= 'A' && in[12 + i] <= 'Z';
        if (letters == 4) {
            memcpy(out->kiss, in + 12, 4);
            out->kiss[4] = '\0';
            return NTP_REPLY_KISS_OF_DEATH;
        }
        return NTP_REPLY_UNSYNCHRONIZED;
    }
    if (out->leap == 3 || out->stratum >= 16)
        return NTP_REPLY_UNSYNCHRONIZED;
    if (out->transmit.seconds == 0 && out->transmit.fraction == 0) {
        snprintf(err, errlen, "zero transmit timestamp");
        return NTP_REPLY_INVALID;
    }
    return NTP_REPLY_OK;
}

void ntp_offset_delay(double t1, double t2, double t3, double t4, double *offset,
                      double *delay)
{
    *offset = ((t2 - t1) + (t3 - t4)) / 2;
    *delay = (t4 - t1) - (t3 - t2);
}
