#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""Two kea-dhcp4 servers with the hook share one PostgreSQL (Debian's) as configuration
backend and lease database, as a fleet does; subnets with a lyncboot context are
written to the backend while they run, and both answer as the backend says.

Topology (namespaces made and removed here):

  [db] postgres (user postgres) on 10.98.1.1 and 10.98.2.1
    db1 10.98.1.1/24 -- v-db 10.98.1.2  [srv1] kea-dhcp4 (_kea)
    db2 10.98.2.1/24 -- v-db 10.98.2.2  [srv2] kea-dhcp4 (_kea)
  [srv1] v-up 10.99.1.1/24 -- r-up1 10.99.1.2 [rtr]   relay; the phone VLANs
  [srv2] v-up 10.99.2.1/24 -- r-up2 10.99.2.2 [rtr]   10.204-206.0.0/24 behind it
"""
import datetime
import json
import os
import pwd
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (DEBIAN_PYTHON, HOOK, KEA_VERSION, Lab,  # noqa: E402
                    expect, expect_eq, kea_command, kea_hooks_library, process_uid,
                    require_root_and_hook, run_tests)
from pglab import (Postgres, backend_global_set, backend_network_del,  # noqa: E402
                   backend_network_set, backend_subnet_del, backend_subnet_set, kea_admin_init,
                   postgres_processes)

HERE = os.path.dirname(os.path.abspath(__file__))
QUERY = os.path.join(HERE, "dhcp_query.py")
# Expected bytes: see test_kea_hook.py (lync-bootstrap.md 1.6, DHCPUtil's layout).
OPT43_WEB01_4443 = ("010C4D532D55432D436C69656E740205687474707303117765623031"
                    "2E636F6E746F736F2E636F6D04043434343305252F4365727450726F762F"
                    "4365727450726F766973696F6E696E67536572766963652E737663")
OPT120_POOL01 = "0006706F6F6C303107636F6E746F736F03636F6D00"
OPT120_POOL02 = "0006706F6F6C303207636F6E746F736F03636F6D00"
FETCH_SECONDS = 1  # config-fetch-wait-time
# How long a change may take to reach both servers: a fetch interval, the fetch, and
# a loaded 2-vCPU machine's scheduling (measured: 1-2 s).
FOLLOW_BUDGET = 15.0
FOLLOWED = "LYNCBOOT_CHANGE_FOLLOWED after a configuration backend update"
# Kea 3.0 moved the PostgreSQL backends (leases and configuration) into one hook library.
BACKEND_LIBRARY = "libdhcp_pgsql.so" if KEA_VERSION >= (3, 0) else "libdhcp_pgsql_cb.so"
# Debian ships subnet_cmds from Kea 3.0 on: there the servers load it too.
SUBNET_CMDS = kea_hooks_library("libdhcp_subnet_cmds.so")


def kea_config(lab, pg, server, db_host, socket):
    return {"Dhcp4": {
        "interfaces-config": {"interfaces": ["v-up"], "dhcp-socket-type": "raw"},
        "lease-database": pg.access(db_host),
        "config-control": {"config-databases": [pg.access(db_host)],
                           "config-fetch-wait-time": FETCH_SECONDS},
        "control-socket": {"socket-type": "unix", "socket-name": lab.kea_socket(socket)},
        # The site's own configuration next to lyncboot: another vendor's option-def and
        # a class for its access points.
        "option-def": [{"space": "vendor-encapsulated-options-space", "name": "other-vendor",
                        "code": 1, "type": "string"}],
        "client-classes": [{"name": "cisco-ap",
                            "test": "substring(option[60].hex,0,8) == 'Cisco AP'"}],
        "hooks-libraries": [{"library": kea_hooks_library(BACKEND_LIBRARY)},
                            {"library": HOOK,
                             "parameters": {"sip-server": "pool01.contoso.com"}}] +
                           ([{"library": SUBNET_CMDS}] if SUBNET_CMDS else []),
        # The upstream subnet is the file's; the phone VLANs are the backend's.
        "subnet4": [{"id": 99, "subnet": f"10.99.{server[-1]}.0/24"}],
        "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                     "output_options": [{"output": "stdout"}]}],
    }}


class Fleet:
    def __init__(self):
        self.lab = Lab("kb")
        lab = self.lab
        self.db = lab.netns("db")
        self.router = lab.netns("rtr")
        self.servers = {}
        for n in (1, 2):
            srv = lab.netns(f"srv{n}")
            lab.segment(self.db, f"db{n}", srv, "v-db", f"10.98.{n}.1/24", f"10.98.{n}.2/24")
            lab.segment(srv, "v-up", self.router, f"r-up{n}", f"10.99.{n}.1/24",
                        f"10.99.{n}.2/24")
            for net in ("10.204.0", "10.205.0", "10.206.0"):
                lab.ns_run(srv, "ip", "route", "add", f"{net}.0/24", "via", f"10.99.{n}.2")
            self.servers[f"srv{n}"] = {"ns": srv, "db": f"10.98.{n}.1", "kea": None}
        for net in ("10.204.0", "10.205.0", "10.206.0"):
            lab.ns_run(self.router, "ip", "addr", "add", f"{net}.1/24", "dev", "lo")
        self.pg = None

    def start_postgres(self):
        self.pg = Postgres(self.lab, self.db, ["10.98.1.1", "10.98.2.1"])
        return kea_admin_init(self.lab, self.servers["srv1"]["ns"], "10.98.1.1")

    def start_kea(self, server, name=None):
        info = self.servers[server]
        name = name or f"kea-{server}"
        kea = self.lab.kea(name, kea_config(self.lab, self.pg, server, info["db"], name),
                           ns=info["ns"])
        if name == f"kea-{server}":
            info["kea"] = kea
        return kea

    def inform(self, server, net):
        """A relayed INFORM from a phone on VLAN net (10.20N.0.0/24) to one server."""
        n = server[-1]
        out = self.lab.ns_run(self.router, DEBIAN_PYTHON, QUERY, "--iface", f"r-up{n}",
                              "--mac", "02:00:00:00:02:04", "--giaddr", f"{net}.1",
                              "--server", f"10.99.{n}.1", "--bind-addr", f"{net}.1",
                              "--bind-port", "67", "--vendor-class", "MS-UC-Client").stdout
        replies = json.loads(out)["replies"]
        expect_eq(len(replies), 1, f"replies from {server}")  # Kea answers an INFORM anyway
        return replies[0]["options"]

    def follow(self, write, net, want, what):
        """Writes a change to the backend, waits until both servers have followed it
        (their logs) and checks both answers for VLAN net (option 120, or None for no
        Lync options). Returns the seconds from the write to the later server's log
        line (Kea's log times are milliseconds, the machine's clock)."""
        counts = {server: info["kea"].log().count(FOLLOWED) for server, info in
                  self.servers.items()}
        written = time.time()
        write()
        seconds = 0.0
        for server, info in self.servers.items():
            kea = info["kea"]
            expect(kea.wait_for_count(FOLLOWED, counts[server] + 1, FOLLOW_BUDGET),
                   f"{what}: {server} did not follow within {FOLLOW_BUDGET} s")
            line = [line for line in kea.log().splitlines() if FOLLOWED in line][counts[server]]
            logged = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f").timestamp()
            seconds = max(seconds, logged - written)
            expect_eq(self.inform(server, net).get("120"), want, f"{what}: {server}'s option 120")
        return seconds

    def stats(self, server):
        answer = kea_command(self.lab.kea_socket(f"kea-{server}"), "statistic-get-all")
        expect_eq(answer.get("result"), 0, "statistic-get-all result")
        return {name: values[0][0] for name, values in answer["arguments"].items()}

    def close(self):
        """Ends the servers and PostgreSQL (the last case does, to see that nothing is
        left; the fixture again, which is then a no-op)."""
        self.lab.close()
        if self.pg:
            self.pg.remove()
            self.pg = None


@pytest.fixture(scope="module")
def fleet():
    require_root_and_hook()
    if not kea_hooks_library(BACKEND_LIBRARY):
        raise RuntimeError(f"Kea {'.'.join(map(str, KEA_VERSION))} has no {BACKEND_LIBRARY}")
    fleet = Fleet()
    fleet.followed = {}
    try:
        fleet.postgres_out = fleet.start_postgres()
        yield fleet
    finally:
        fleet.close()


def followed_scope(fleet, server):
    """What the server's last LYNCBOOT_CHANGE_FOLLOWED says it built again."""
    lines = [line for line in fleet.servers[server]["kea"].log().splitlines()
             if FOLLOWED in line]
    return lines[-1].split(FOLLOWED + " (", 1)[1].split(" built again")[0]


# Kea 3.0.4 in forky: the audit entries cannot be read (see doc/benchmarks.md), so every
# subnet is built again there.
PROPORTIONAL = KEA_VERSION < (3, 0)


def test_schema(fleet):
    """PostgreSQL (Debian's) runs as user postgres; kea-admin db-init pgsql of this Kea made the schema"""
    out = fleet.postgres_out
    expect_eq(process_uid(fleet.pg.daemon.proc.pid), pwd.getpwnam("postgres").pw_uid,
              "postgres's uid")
    version = fleet.pg.sql("SELECT version FROM schema_version")
    expect(version, f"kea-admin made no schema: {out[-500:]}")


def test_started_with_backend_subnet(fleet):
    """a subnet in the backend when the servers start: both answer it"""
    backend_subnet_set(fleet.pg, 204, "10.204.0.0/24",
                       {"lyncboot": {"web-server": "web01.contoso.com", "web-port": 4443}},
                       pool=("10.204.0.100", "10.204.0.199"))
    for server in fleet.servers:
        kea = fleet.start_kea(server)
        expect(kea.wait_for("DHCP4_STARTED", 20),
               f"{server} did not start:\n" + kea.log()[-2000:])
        expect("LYNCBOOT_BACKEND_LOADED" in kea.log(),
               f"{server}: answers not built with the backend's subnets")
        options = fleet.inform(server, "10.204.0")
        expect_eq(options.get("43"), OPT43_WEB01_4443, f"{server}: option 43")
        expect_eq(options.get("120"), OPT120_POOL01, f"{server}: option 120")


def test_added_while_running(fleet):
    """a subnet written to the backend while they run: both answer it within the fetch interval"""
    expect("120" not in fleet.inform("srv1", "10.205.0"), "no subnet yet: no Lync options")
    fleet.followed["added"] = fleet.follow(lambda: backend_subnet_set(
        fleet.pg, 205, "10.205.0.0/24", {"lyncboot": {"sip-server": "pool02.contoso.com"}}),
        "10.205.0", OPT120_POOL02, "added")


def test_changed_while_running(fleet):
    """its context changed in the backend: both follow"""
    fleet.followed["changed"] = fleet.follow(lambda: backend_subnet_set(
        fleet.pg, 205, "10.205.0.0/24", {"lyncboot": {"sip-server": "pool01.contoso.com"}}),
        "10.205.0", OPT120_POOL01, "changed")


def test_bad_change_refused(fleet):
    """a bad context written to the backend: refused on both, named, counted; the previous answer stays"""
    backend_subnet_set(fleet.pg, 205, "10.205.0.0/24",
                       {"lyncboot": {"sip-server": "pool02.contoso.com", "web-port": 70000}})
    want = ("LYNCBOOT_CHANGE_REFUSED after a configuration backend update: subnet "
            "10.205.0.0/24 (id 205): parameter 'web-port' must be 1-65535 (got 70000)")
    for server, info in fleet.servers.items():
        expect(info["kea"].wait_for(want, FOLLOW_BUDGET), f"{server}: refusal logged")
        expect_eq(fleet.stats(server).get("lyncboot-changes-refused"), 1, f"{server}: counted")
        expect_eq(fleet.inform(server, "10.205.0").get("120"), OPT120_POOL01,
                  f"{server}: the previous answer stays")


def test_deleted_while_running(fleet):
    """the subnet deleted from the backend: both follow; its statistics go"""
    for server in fleet.servers:
        expect("subnet[205].lyncboot-uc-client-answered" in fleet.stats(server),
               f"{server}: counted while it lived")
    fleet.followed["deleted"] = fleet.follow(lambda: backend_subnet_del(fleet.pg, 205),
                                       "10.205.0", None, "deleted")
    for server in fleet.servers:
        expect("subnet[205].lyncboot-uc-client-answered" not in fleet.stats(server),
               f"{server}: its statistic removed with it")


def test_network_followed(fleet):
    """a shared network added, changed and deleted in the backend: both follow, building only its subnet again"""
    def east_with_its_subnet():
        backend_network_set(fleet.pg, "east", {"lyncboot": {"sip-server": "pool02.contoso.com"}})
        backend_subnet_set(fleet.pg, 205, "10.205.0.0/24", {"site": "east"}, network="east")
    fleet.followed["network added"] = fleet.follow(east_with_its_subnet, "10.205.0",
                                             OPT120_POOL02, "network added")
    fleet.followed["network changed"] = fleet.follow(lambda: backend_network_set(
        fleet.pg, "east", {"lyncboot": {"sip-server": "pool01.contoso.com"}}),
        "10.205.0", OPT120_POOL01, "network changed")
    for server in fleet.servers:
        expect_eq(followed_scope(fleet, server), "1 subnet" if PROPORTIONAL else "every subnet",
                  f"{server}: what the network's change built again")
    fleet.follow(lambda: backend_network_set(
        fleet.pg, "east", {"lyncboot": {"sip-server": "pool02.contoso.com"}}),
        "10.205.0", OPT120_POOL02, "network changed back")
    # Its subnet stays, on its own: the global answer.
    fleet.followed["network deleted"] = fleet.follow(lambda: backend_network_del(fleet.pg, "east"),
                                               "10.205.0", OPT120_POOL01, "network deleted")


def test_unrelated_change_builds_nothing(fleet):
    """a global parameter changed in the backend: nothing built again, answers kept"""
    # A global parameter is none of lyncboot's business: nothing is built again.
    fleet.followed["global parameter"] = fleet.follow(
        lambda: backend_global_set(fleet.pg, "valid-lifetime", 7200), "10.204.0",
        OPT120_POOL01, "global parameter")
    for server in fleet.servers:
        expect_eq(followed_scope(fleet, server), "0 subnets" if PROPORTIONAL else "every subnet",
                  f"{server}: what a global parameter's change built again")


def test_leases_shared(fleet):
    """a lease by one server is in the shared lease database"""
    out = fleet.lab.ns_run(fleet.router, DEBIAN_PYTHON, QUERY, "--iface", "r-up1",
                           "--mac", "02:00:00:00:02:05", "--type", "discover",
                           "--giaddr", "10.204.0.1", "--server", "10.99.1.1",
                           "--bind-addr", "10.204.0.1", "--bind-port", "67",
                           "--vendor-class", "MS-UC-Client").stdout
    offer = json.loads(out)["replies"][0]
    expect_eq(offer["type"], "offer", "srv1's reply")
    out = fleet.lab.ns_run(fleet.router, DEBIAN_PYTHON, QUERY, "--iface", "r-up1",
                           "--mac", "02:00:00:00:02:05", "--type", "request",
                           "--requested-addr", offer["yiaddr"], "--server-id", "10.99.1.1",
                           "--giaddr", "10.204.0.1", "--server", "10.99.1.1",
                           "--bind-addr", "10.204.0.1", "--bind-port", "67",
                           "--vendor-class", "MS-UC-Client").stdout
    ack = json.loads(out)["replies"][0]
    expect_eq(ack["type"], "ack", "srv1's reply to the REQUEST")
    expect_eq(ack["options"].get("43"), OPT43_WEB01_4443, "option 43 in the ACK")
    rows = fleet.pg.sql("SELECT subnet_id FROM lease4 WHERE address = "
                        f"'{offer['yiaddr']}'::inet - '0.0.0.0'::inet")
    expect_eq(rows, "204", "the lease in the shared lease4 table")


def test_subnet_cmds_next_to_the_backend(fleet):
    """subnet_cmds next to the backend: subnet4-add, -update, -del on one server followed there"""
    if not SUBNET_CMDS:
        pytest.skip(f"no libdhcp_subnet_cmds.so in Kea {'.'.join(map(str, KEA_VERSION))}")
    sock = fleet.lab.kea_socket("kea-srv1")
    context = {"lyncboot": {"sip-server": "pool02.contoso.com"}}
    answer = kea_command(sock, "subnet4-add", {"subnet4": [
        {"id": 206, "subnet": "10.206.0.0/24", "user-context": context}]})
    expect_eq(answer.get("result"), 0, f"subnet4-add: {answer}")
    expect_eq(fleet.inform("srv1", "10.206.0").get("120"), OPT120_POOL02,
              "srv1 answers the subnet it was given")
    # subnet_cmds change one server's running configuration, not the backend.
    expect("120" not in fleet.inform("srv2", "10.206.0"), "srv2 does not have it")
    context["lyncboot"]["sip-server"] = "pool01.contoso.com"
    answer = kea_command(sock, "subnet4-update", {"subnet4": [
        {"id": 206, "subnet": "10.206.0.0/24", "user-context": context}]})
    expect_eq(answer.get("result"), 0, f"subnet4-update: {answer}")
    expect_eq(fleet.inform("srv1", "10.206.0").get("120"), OPT120_POOL01, "updated")
    answer = kea_command(sock, "subnet4-del", {"id": 206})
    expect_eq(answer.get("result"), 0, f"subnet4-del: {answer}")
    expect("120" not in fleet.inform("srv1", "10.206.0"), "deleted")


def test_bad_backend_subnet_refused_at_start(fleet):
    """a server started with a bad context in the backend refuses its configuration, naming the subnet"""
    backend_subnet_set(fleet.pg, 206, "10.206.0.0/24",
                       {"lyncboot": {"web-port": 70000}})
    kea = fleet.start_kea("srv1", name="kea-srv1-restart")
    # Refused: Kea says so and ends (under the sanitizer runtime of the ASan tree
    # it may not end by itself after its libraries are closed; the lab ends it).
    expect(kea.wait_for("DHCP4_INIT_FAIL", 30), "kea-dhcp4 refused to start:\n" +
           kea.log()[-1500:])
    expect("LYNCBOOT_CONFIG_ERROR invalid lyncboot setting in subnet 10.206.0.0/24 (id 206): "
           "parameter 'web-port' must be 1-65535 (got 70000)" in kea.log(),
           "the subnet and the setting named:\n" + kea.log()[-1500:])
    expect("DHCP4_STARTED" not in kea.log(), "never served")




def test_lab_end_stops_everything(fleet, record_property):
    """the lab's end stops PostgreSQL and both servers: none of their processes is left"""
    if fleet.followed:
        record_property("note", "backend change to both servers' answers: " + ", ".join(
            f"{what} {seconds:.2f} s" for what, seconds in fleet.followed.items()))
    expect(fleet.pg, "PostgreSQL ran")
    data = fleet.pg.data
    fleet.close()
    expect_eq(postgres_processes(data), [], "postgres left")


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
