#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""An independent DHCPv4 test client: builds the query with scapy, sends it from a
plain UDP socket (broadcast or unicast, as a client on :68 or a relay on :67), and
prints every reply with the same xid as JSON, options as raw hex by code.

Run it inside a namespace with Debian's python3 (scapy): `ip netns exec NS
/usr/bin/python3 dhcp_query.py --iface veth --type inform ...`.
"""
import argparse
import json
import random
import select
import socket
import sys
import time

from scapy.layers.dhcp import BOOTP, DHCP  # noqa: E402  (Debian's python3-scapy)
from scapy.utils import mac2str

MESSAGE_TYPES = {1: "discover", 2: "offer", 3: "request", 4: "decline", 5: "ack",
                 6: "nak", 7: "release", 8: "inform"}


def raw_options(payload):
    """Returns {code: bytes} from a BOOTP payload (after the magic cookie)."""
    options = {}
    data = payload[240:] if len(payload) >= 240 else b""
    pos = 0
    while pos < len(data):
        code = data[pos]
        if code == 0:
            pos += 1
            continue
        if code == 255 or pos + 1 >= len(data):
            break
        length = data[pos + 1]
        options.setdefault(code, b"")
        options[code] += data[pos + 2:pos + 2 + length]  # RFC 3396 concatenation
        pos += 2 + length
    return options


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", required=True)
    ap.add_argument("--type", choices=["inform", "discover", "request"], default="inform")
    ap.add_argument("--vendor-class")
    ap.add_argument("--ciaddr", default="0.0.0.0")
    ap.add_argument("--giaddr", default="0.0.0.0")
    ap.add_argument("--requested-addr")
    ap.add_argument("--server-id")
    ap.add_argument("--server", default="255.255.255.255")
    ap.add_argument("--bind-addr", default="0.0.0.0")
    ap.add_argument("--bind-port", type=int, default=68)
    ap.add_argument("--mac", required=True)
    ap.add_argument("--prl", default="1,3,6,15,42,2,43,120")
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--burst", type=int, default=0, help="send N queries, print each one's replies")
    ap.add_argument("--vendor-classes", help="with --burst: comma-separated, used in turn")
    ap.add_argument("--pace", type=float, default=0.0, help="seconds between the queries")
    ap.add_argument("--broadcast-flag", action="store_true",
                    help="set BOOTP's broadcast flag (RFC 2131 4.1): replies to an unconfigured "
                         "client are broadcast, not sent to the address it is offered")
    args = ap.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, args.iface.encode())
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    sock.bind((args.bind_addr, args.bind_port))

    # One query, or with --burst N as many (each its own MAC and xid, the vendor classes
    # of --vendor-classes in turn), sent --pace seconds apart from the one socket.
    count = args.burst or 1
    classes = args.vendor_classes.split(",") if args.vendor_classes else [args.vendor_class]
    base_mac = int(args.mac.replace(":", ""), 16)
    queries = {}
    for i in range(count):
        xid = random.randint(1, 0xFFFFFFFF)
        mac = f"{base_mac + i:012x}"
        vendor = classes[i % len(classes)]
        chaddr = mac2str(":".join(mac[k:k + 2] for k in range(0, 12, 2)))
        options = [("message-type", args.type),
                   ("client_id", b"\x01" + chaddr),
                   ("param_req_list", [int(c) for c in args.prl.split(",") if c])]
        if vendor is not None:
            options.append(("vendor_class_id", vendor.encode()))
        if args.requested_addr:
            options.append(("requested_addr", args.requested_addr))
        if args.server_id:
            options.append(("server_id", args.server_id))
        options.append("end")
        hops = 1 if args.giaddr != "0.0.0.0" else 0
        packet = BOOTP(op=1, xid=xid, hops=hops, ciaddr=args.ciaddr, giaddr=args.giaddr,
                       chaddr=chaddr + b"\x00" * 10,
                       flags=0x8000 if args.broadcast_flag else 0) / DHCP(options=options)
        queries[xid] = {"xid": xid, "vendor_class": vendor, "replies": [],
                        "wire": bytes(packet)}
    for query in queries.values():
        sock.sendto(query.pop("wire"), (args.server, 67))
        if args.pace:
            time.sleep(args.pace)

    deadline = time.monotonic() + args.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            break
        data, peer = sock.recvfrom(4096)
        reply = BOOTP(data)
        if reply.op != 2 or reply.xid not in queries:
            continue
        opts = raw_options(data)
        msg_type = opts.get(53, b"\x00")[0]
        queries[reply.xid]["replies"].append({
            "from": peer[0],
            "length": len(data),
            "type": MESSAGE_TYPES.get(msg_type, str(msg_type)),
            "yiaddr": reply.yiaddr,
            "ciaddr": reply.ciaddr,
            "server_id": socket.inet_ntoa(opts[54]) if len(opts.get(54, b"")) == 4 else None,
            "options": {str(code): value.hex().upper() for code, value in opts.items()},
        })
        if args.burst and all(q["replies"] for q in queries.values()):
            break
    if args.burst:
        json.dump({"burst": list(queries.values())}, sys.stdout)
    else:
        query = next(iter(queries.values()))
        json.dump({"xid": query["xid"], "replies": query["replies"]}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
