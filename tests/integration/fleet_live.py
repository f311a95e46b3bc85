#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""fleet_live.py CONF_A CONF_B: runs the two kea-dhcp4.conf files the Ansible role
rendered for a fleet on a shared PostgreSQL (test_ansible.py), for real: Debian's
PostgreSQL in a namespace (pglab), Kea's schema by kea-admin, each server in its own
namespace as _kea on one phone segment (a bridge) and on its own link to the database
(10.98.1.1 for the first, 10.98.2.1 for the second, as the inventory says). run()
returns (main() prints) one line of what it saw; exit 0 when both servers loaded the hook with the backend, both
answered a phone's INFORM with the Lync options, and a lease one of them gave is in the
shared database."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import DEBIAN_PYTHON, Lab, expect, expect_eq  # noqa: E402
from pglab import Postgres, kea_admin_init  # noqa: E402

QUERY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dhcp_query.py")


def query(lab, ns, *args):
    out = lab.ns_run(ns, DEBIAN_PYTHON, QUERY, "--iface", "br0", *args).stdout
    return json.loads(out)["replies"]


def run(lab, configs):
    db = lab.netns("db")
    phone = lab.netns("phone")
    lab.ns_run(phone, "ip", "link", "add", "br0", "type", "bridge")
    lab.ns_run(phone, "ip", "addr", "add", "10.100.0.50/24", "dev", "br0")
    lab.ns_run(phone, "ip", "link", "set", "br0", "up")
    servers = []
    for n, path in enumerate(configs, 1):
        srv = lab.netns(f"kea{n}")
        lab.segment(db, f"db{n}", srv, "v-db", f"10.98.{n}.1/24", f"10.98.{n}.2/24")
        lab.segment(srv, "eth0", phone, f"p{n}", f"10.100.0.1{n}/24")
        lab.ns_run(phone, "ip", "link", "set", f"p{n}", "master", "br0")
        servers.append((srv, path))
    pg = Postgres(lab, db, ["10.98.1.1", "10.98.2.1"])
    try:
        kea_admin_init(lab, servers[0][0], "10.98.1.1")
        keas = []
        for n, (srv, path) in enumerate(servers, 1):
            with open(path) as f:
                config = json.load(f)
            dhcp4 = config["Dhcp4"]
            # The role's database, hooks and subnets as rendered; the socket and the
            # log where the lab keeps a test's.
            dhcp4["control-socket"]["socket-name"] = lab.kea_socket(f"kea{n}.sock")
            dhcp4["loggers"] = [{"name": "kea-dhcp4", "severity": "INFO",
                                 "output_options": [{"output": "stdout"}]}]
            keas.append(lab.kea(f"kea{n}", config, ns=srv))
        for kea in keas:
            expect(kea.wait_for("DHCP4_STARTED", 30), f"{kea.name}:\n{kea.log()[-1500:]}")
            expect("LYNCBOOT_BACKEND_LOADED" in kea.log(), f"{kea.name}: no backend build")
        # No HA: each server answers the INFORM, each with the Lync options.
        replies = query(lab, phone, "--type", "inform", "--ciaddr", "10.100.0.50",
                        "--vendor-class", "MS-UC-Client", "--mac", "02:1c:00:00:01:01")
        expect_eq(sorted(r["server_id"] for r in replies), ["10.100.0.11", "10.100.0.12"],
                  "the servers that answered")
        expect(all("43" in r["options"] and "120" in r["options"] for r in replies),
               f"Lync options in each reply: {replies}")
        offers = query(lab, phone, "--type", "discover", "--vendor-class", "MS-UC-Client",
                       "--mac", "02:1c:00:00:01:02", "--broadcast-flag")
        expect(offers, "no offer")
        offer = offers[0]
        acks = query(lab, phone, "--type", "request", "--requested-addr", offer["yiaddr"],
                     "--server-id", offer["server_id"], "--vendor-class", "MS-UC-Client",
                     "--mac", "02:1c:00:00:01:02", "--broadcast-flag")
        expect(any(a["type"] == "ack" for a in acks), f"no ACK: {acks}")
        rows = pg.sql("SELECT count(*) FROM lease4 WHERE address = "
                      f"'{offer['yiaddr']}'::inet - '0.0.0.0'::inet")
        expect_eq(rows, "1", "the lease in the shared lease4 table")
        return (f"both servers answered with the Lync options; {offer['yiaddr']} from "
                f"{offer['server_id']} is in the shared lease database")
    finally:
        lab.close()
        pg.remove()


def main():
    lab = Lab("fl")
    try:
        print(run(lab, sys.argv[1:3]))
    except AssertionError as ex:
        print(f"fleet: {ex}")
        for daemon in lab.daemons:  # what the servers said about it
            for line in daemon.log().splitlines():
                if " ERROR " in line or " WARN " in line or "FATAL" in line:
                    print(f"{daemon.name}: {line}")
        return 1
    finally:
        lab.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
