#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""A small NTP server for the tests and benchmarks, able to misbehave on purpose: a
clock offset (time skewed from this host), Kiss-o'-Death, a wrong origin timestamp, leap
indicator 3, stratum 16, a truncated reply; optionally on many ports at once and with a
reply delay (a far-away server). Serves until killed. Traffic only to who asks it."""
import argparse
import heapq
import select
import socket
import struct
import time

NTP_EPOCH = 2208988800


def ntp_time(unix):
    seconds = int(unix)
    return struct.pack("!II", seconds + NTP_EPOCH, int((unix - seconds) * 2**32))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", required=True)
    ap.add_argument("--port", type=int, default=123)
    ap.add_argument("--ports", type=int, default=1, help="listen on PORT .. PORT+N-1")
    ap.add_argument("--delay-ms", type=float, default=0.0, help="answer this much later")
    ap.add_argument("--offset", type=float, default=0.0, help="seconds added to this host's time")
    ap.add_argument("--mode", default="good",
                    choices=["good", "kod-rate", "kod-deny", "kod-rstr", "wrong-origin",
                             "leap3", "stratum16", "truncated"])
    args = ap.parse_args()
    socks = []
    for port in range(args.port, args.port + args.ports):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.bind, port))
        socks.append(sock)
    print(f"ntp_responder ready on {args.bind}:{args.port} mode {args.mode}", flush=True)
    due = []  # (when, sequence, sock, reply, peer): replies held back by --delay-ms
    sequence = 0
    while True:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        ready, _, _ = select.select(socks, [], [], timeout)
        for sock in ready:
            request, peer = sock.recvfrom(512)
            if len(request) < 48:
                continue
            reply = build_reply(args, request)
            if args.delay_ms > 0:
                sequence += 1
                heapq.heappush(due, (time.monotonic() + args.delay_ms / 1000, sequence, sock,
                                     reply, peer))
            else:
                sock.sendto(reply, peer)
        while due and due[0][0] <= time.monotonic():
            _, _, sock, reply, peer = heapq.heappop(due)
            sock.sendto(reply, peer)


def build_reply(args, request):
    now = time.time() + args.offset
    leap, stratum, refid = 0, 2, socket.inet_aton("10.99.0.1")
    origin = request[40:48]
    if args.mode.startswith("kod-"):
        stratum, refid = 0, args.mode[4:].upper().encode()
    elif args.mode == "leap3":
        leap = 3
    elif args.mode == "stratum16":
        stratum = 16
    elif args.mode == "wrong-origin":
        origin = bytes(b ^ 0xFF for b in origin)
    header = struct.pack("!BBbb", (leap << 6) | (4 << 3) | 4, stratum, 6, -20)
    reply = (header + struct.pack("!II", 0x0100, 0x0200) + refid + ntp_time(now - 10) +
             origin + ntp_time(now) + ntp_time(now))
    return reply[:30] if args.mode == "truncated" else reply


if __name__ == "__main__":
    main()
