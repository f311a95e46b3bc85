#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""The lyncboot hook loaded by Debian's kea-dhcp4, driven by independent clients.

Topology (namespaces made and removed here; one veth segment per VLAN, since the
test kernel has no 802.1Q):

  [srv] kea-dhcp4, raw sockets on v-data, v-voice, v-up
    v-data  10.10.0.1/24  -- p-data  [phone]   data segment (native VLAN)
    v-voice 10.100.0.1/24 -- p-voice [phone]   voice segment (VLAN 100)
    v-up    10.99.0.1/24  -- r-up    [router]  10.99.0.2; relayed VLANs behind it:
            10.200.0.0/24 overrides, 10.201.0.0/24 disabled,
            10.202.0.0/24 + 10.203.0.0/24 a shared network with its own sip-server
"""
import json
import os
import re
import sys
import types

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (DEBIAN_PYTHON, HOOK, KEA_VERSION, Lab, expect, expect_eq,  # noqa: E402
                    kea_command, kea_hooks_library, platform_user, run_tests, site_fixture)

HERE = os.path.dirname(os.path.abspath(__file__))
QUERY = os.path.join(HERE, "dhcp_query.py")
UDHCPC_SCRIPT = os.path.join(HERE, "udhcpc_script.sh")

# Expected bytes, computed by hand from lync-bootstrap.md 1.6 (DHCPUtil layout).
OPT43_POOL01 = ("010C4D532D55432D436C69656E74020568747470730312706F6F6C30312E636F6E746F736F"
                "2E636F6D040334343305252F4365727450726F762F4365727450726F766973696F6E696E67"
                "536572766963652E737663")
OPT120_POOL01 = "0006706F6F6C303107636F6E746F736F03636F6D00"
# web-server web01.contoso.com, port 4443 (ASCII "4443")
OPT43_WEB01_4443 = ("010C4D532D55432D436C69656E740205687474707303117765623031"
                    "2E636F6E746F736F2E636F6D04043434343305252F4365727450726F762F"
                    "4365727450726F766973696F6E696E67536572766963652E737663")
OPT120_POOL02 = "0006706F6F6C303207636F6E746F736F03636F6D00"
OPT43_OTHER_CONFIG = "01056F74686572"  # Kea's own option 43 on the voice subnet: "other"


def kea_config(lab, hook_parameters, subnets=None, shared_networks=None, mt=False, after=()):
    """after: Kea's own hook libraries to list after lyncboot."""
    return {"Dhcp4": {
        "interfaces-config": {"interfaces": ["v-data", "v-voice", "v-up"],
                              "dhcp-socket-type": "raw"},
        "lease-database": {"type": "memfile", "persist": False},
        "control-socket": {"socket-type": "unix",
                           "socket-name": lab.kea_socket()},
        # Kea's default queue (64): the 120-INFORM burst below must not outrun a smaller
        # one when the sanitized hook and a loaded CI machine slow the threads down.
        "multi-threading": {"enable-multi-threading": mt, "thread-pool-size": 2,
                            "packet-queue-size": 64},
        # The site's configuration before lyncboot: an option-def and option 43 for
        # another vendor on the voice subnet, and a client class for its Cisco access
        # points (option 43 sub-option 241: the wireless LAN controllers).
        "option-def": [{"space": "vendor-encapsulated-options-space", "name": "other-vendor",
                        "code": 1, "type": "string"},
                       {"space": "vendor-encapsulated-options-space", "name": "cisco-wlc",
                        "code": 241, "type": "ipv4-address", "array": True}],
        "client-classes": [{
            "name": "cisco-ap", "test": "substring(option[60].hex,0,8) == 'Cisco AP'",
            "option-data": [{"name": "vendor-encapsulated-options"},
                            {"space": "vendor-encapsulated-options-space", "name": "cisco-wlc",
                             "data": "10.10.0.5, 10.10.0.6"}]}],
        "hooks-libraries": [{"library": HOOK, "parameters": hook_parameters}] +
                           [{"library": library} for library in after],
        "subnet4": subnets if subnets is not None else SUBNETS,
        "shared-networks": shared_networks if shared_networks is not None else SHARED,
        "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                     "output_options": [{"output": "stdout"}]},
                    {"name": "kea-dhcp4.lyncboot-hooks", "severity": "DEBUG",
                     "debuglevel": 40, "output_options": [{"output": "stdout"}]}],
    }}


# The phones the hook answers are remembered (lyncboot-phones), as a site tracking a
# rollout runs it.
GLOBAL_PARAMETERS = {"sip-server": "pool01.contoso.com", "phones-tracked": 1000}
SUBNETS = [
    {"id": 10, "subnet": "10.10.0.0/24", "interface": "v-data",
     "pools": [{"pool": "10.10.0.100 - 10.10.0.199"}],
     "user-context": {"lyncboot": {"voice-vlan": 100}, "site": "hq"}},
    {"id": 100, "subnet": "10.100.0.0/24", "interface": "v-voice",
     "pools": [{"pool": "10.100.0.100 - 10.100.0.199"}],
     "option-data": [{"name": "vendor-encapsulated-options", "always-send": True},
                     {"space": "vendor-encapsulated-options-space", "name": "other-vendor",
                      "data": "other", "always-send": True}]},
    {"id": 200, "subnet": "10.200.0.0/24", "pools": [{"pool": "10.200.0.100 - 10.200.0.199"}],
     "user-context": {"lyncboot": {"web-server": "web01.contoso.com", "web-port": 4443,
                                   "ntp-servers": ["10.99.0.1", "10.99.0.3"],
                                   "time-offset": -18000}}},
    {"id": 201, "subnet": "10.201.0.0/24", "pools": [{"pool": "10.201.0.100 - 10.201.0.199"}],
     "user-context": {"lyncboot": {"enabled": False}}},
]
SHARED = [
    {"name": "branch", "user-context": {"lyncboot": {"sip-server": "pool02.contoso.com"}},
     "relay": {"ip-addresses": ["10.202.0.1"]},
     "subnet4": [
         {"id": 202, "subnet": "10.202.0.0/24",
          "pools": [{"pool": "10.202.0.100 - 10.202.0.100"}]},
         {"id": 203, "subnet": "10.203.0.0/24",
          "pools": [{"pool": "10.203.0.100 - 10.203.0.199"}],
          "user-context": {"lyncboot": {"web-port": 4443}}}]},
]

# The same network without the relay binding: Kea then selects its subnets by giaddr.
SHARED_WITHOUT_RELAY = [{key: value for key, value in SHARED[0].items() if key != "relay"}]


class Site:
    def __init__(self):
        self.lab = Lab("kh")
        lab = self.lab
        self.srv = lab.netns("srv")
        self.phone = lab.netns("phone")
        self.router = lab.netns("rtr")
        lab.segment(self.srv, "v-data", self.phone, "p-data", "10.10.0.1/24")
        lab.segment(self.srv, "v-voice", self.phone, "p-voice", "10.100.0.1/24")
        lab.segment(self.srv, "v-up", self.router, "r-up", "10.99.0.1/24", "10.99.0.2/24")
        for net in ("10.200.0", "10.201.0", "10.202.0", "10.203.0", "10.204.0"):
            lab.ns_run(self.router, "ip", "addr", "add", f"{net}.1/24", "dev", "lo")
            lab.ns_run(self.srv, "ip", "route", "add", f"{net}.0/24", "via", "10.99.0.2")
        # A phone that already holds an address behind the relay (for ciaddr INFORMs).
        lab.ns_run(self.router, "ip", "addr", "add", "10.200.0.50/32", "dev", "lo")
        self.kea = None
        # The phone's address on the voice segment (for its INFORMs; udhcpc's DORA does
        # not mind it).
        lab.ns_run(self.phone, "ip", "addr", "add", "10.100.0.50/24", "dev", "p-voice")
        self.phone_mac_voice = lab.mac(self.phone, "p-voice")
        self.router_mac = lab.mac(self.router, "r-up")

    def start_kea(self, config):
        if self.kea:
            self.kea.stop()
        self.kea = self.lab.kea("kea-dhcp4", config, ns=self.srv)
        expect(self.kea.wait_for("DHCP4_STARTED", 15),
               "kea-dhcp4 did not start:\n" + self.kea.log()[-2000:])

    def query(self, ns, iface, mac, *args):
        out = self.lab.ns_run(ns, DEBIAN_PYTHON, QUERY, "--iface", iface, "--mac", mac,
                              *args).stdout
        return json.loads(out)["replies"]

    def udhcpc(self, iface, vendor_class):
        out = os.path.join(self.lab.workdir, f"udhcpc-{iface}.env")
        if os.path.exists(out):
            os.unlink(out)
        argv = ["env", f"LYNCBOOT_UDHCPC_OUT={out}", "busybox", "udhcpc", "-i", iface,
                "-f", "-q", "-n", "-t", "3", "-T", "1", "-O", "43", "-O", "120",
                "-s", UDHCPC_SCRIPT]
        if vendor_class is not None:
            argv[argv.index("-O"):argv.index("-O")] = ["-V", vendor_class]
        self.lab.ns_run(self.phone, *argv, check=False)
        expect(os.path.exists(out), f"udhcpc on {iface} got no lease")
        with open(out) as f:
            return dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)

    def stats(self):
        answer = kea_command(self.lab.kea_socket(), "statistic-get-all")
        expect_eq(answer.get("result"), 0, "statistic-get-all result")
        return {name: values[0][0] for name, values in answer["arguments"].items()}

    def close(self):
        self.lab.close()


def only_reply(replies):
    expect_eq(len(replies), 1, "number of replies")
    return replies[0]


MODES = [
    # Every case runs twice: with the site's relay binding (and lease_cmds listed after
    # lyncboot, which Kea tells lyncboot nothing more of) the hook needs Kea's
    # subnet4_select (two callouts); without them the hook finds each reply's subnet
    # itself (one callout). The answers must be the same.
    ("two callouts", SHARED, ["libdhcp_lease_cmds.so"],
     "LYNCBOOT_TWO_CALLOUTS lyncboot takes each query's subnet from Kea's subnet4_select: "
     "two callouts per query, because shared network 'branch' is bound to relay addresses"),
    ("one callout", SHARED_WITHOUT_RELAY, [], "LYNCBOOT_ONE_CALLOUT")]


site = site_fixture(Site)


@pytest.fixture(scope="module", params=MODES, ids=[mode[0] for mode in MODES])
def kea_mode(request, site):
    """kea-dhcp4 running the site's configuration in one of the MODES."""
    name, shared, after, logged = request.param
    mode = types.SimpleNamespace(name=name, shared=shared, logged=logged,
                                 after=[kea_hooks_library(library) for library in after])
    site.start_kea(kea_config(site.lab, GLOBAL_PARAMETERS, shared_networks=shared,
                              after=mode.after))
    return mode


def test_vlan_discovery_on_data_segment(site, kea_mode):
    """data segment: CPE-OCPHONE DORA (udhcpc) gets VLAN 100"""
    env = site.udhcpc("p-data", "CPE-OCPHONE")
    expect(env["ip"].startswith("10.10.0."), f"lease {env['ip']}")
    expect_eq(env["opt43"].upper(), "0A020064", "CPE-OCPHONE option 43 (VLAN 100, word)")


def test_cisco_ap_keeps_its_class_answer(site, kea_mode):
    """data segment: the site's Cisco AP class keeps its option 43"""
    # The site's own class, next to the hook: the access point gets its controllers.
    env = site.udhcpc("p-data", "Cisco AP c1240")
    expect(env["ip"].startswith("10.10.0."), f"lease {env['ip']}")
    expect_eq(env["opt43"].upper(), "F1080A0A00050A0A0006",
              "the Cisco class's option 43 (sub-option 241, two controllers)")
    expect("sipsrv" not in env or not env["sipsrv"], "no option 120 for the AP")


def test_dora_on_voice_segment(site, kea_mode):
    """voice segment: MS-UC-Client DORA (udhcpc) gets 43 and 120"""
    env = site.udhcpc("p-voice", "MS-UC-Client")
    expect(env["ip"].startswith("10.100.0."), f"lease {env['ip']}")
    expect_eq(env["opt43"].upper(), OPT43_POOL01, "MS-UC-Client option 43 in the ACK")
    expect_eq(env["sipsrv"], "pool01.contoso.com", "option 120 as decoded by udhcpc")


def test_other_vendor_class_keeps_kea_option43(site, kea_mode):
    """voice segment: other vendor class keeps Kea's option 43"""
    env = site.udhcpc("p-voice", None)  # udhcpc's own "udhcp 1.35.0"
    expect_eq(env["opt43"].upper(), OPT43_OTHER_CONFIG, "Kea's own option 43")
    expect_eq(env["sipsrv"], "", "no option 120")


def test_cpe_ocphone_on_voice_subnet_gets_no_vlan(site, kea_mode):
    """voice segment: CPE-OCPHONE on a subnet without voice-vlan"""
    env = site.udhcpc("p-voice", "CPE-OCPHONE")
    expect_eq(env["opt43"].upper(), OPT43_OTHER_CONFIG, "option 43 left to Kea")


def test_mode_is_logged(site, kea_mode):
    """the hook logs which callouts it uses"""
    log = site.kea.log()
    expect(kea_mode.logged in log, f"'{kea_mode.logged}' in the log:\n" + log[-1500:])
    # A library listed after lyncboot is warned of (its subnet4_select would come after
    # lyncboot's).
    warned = (f"LYNCBOOT_NOT_LISTED_LAST hook library {kea_mode.after[0]} is listed after "
              "lyncboot" if kea_mode.after else "LYNCBOOT_NOT_LISTED_LAST")
    expect_eq(warned in log, bool(kea_mode.after), "LYNCBOOT_NOT_LISTED_LAST logged")
    # Six subnets, six different answers (the disabled subnet's is empty).
    loaded = (r"LYNCBOOT_LOAD_OK lyncboot \d+\.\d+\.\d+\S* hook loaded: 5 subnets answer "
              r"MS-UC-Client, 1 answer CPE-OCPHONE with a voice VLAN, 6 distinct answers")
    expect(re.search(loaded, site.kea.log()), f"'{loaded}' (its version first) in the log:\n"
           + site.kea.log()[-1500:])


def test_kea_runs_as_deployed(site, kea_mode):
    """kea-dhcp4 runs as _kea with CAP_NET_RAW and CAP_NET_BIND_SERVICE only"""
    with open(f"/proc/{site.kea.proc.pid}/status") as f:
        status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    kea_uid = platform_user("_kea")[0]
    expect_eq(status["Uid"].split()[0], str(kea_uid), "kea-dhcp4's user is _kea")
    # CAP_NET_BIND_SERVICE (10) and CAP_NET_RAW (13), nothing else.
    expect_eq(status["CapEff"], "0000000000002400", "effective capabilities")
    expect_eq(status["CapBnd"], "0000000000002400", "bounding set")


def test_inform_broadcast(site, kea_mode):
    """INFORM broadcast (scapy) gets exact 43 and 120"""
    reply = only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice,
                                  "--ciaddr", "10.100.0.50",
                                  "--vendor-class", "MS-UC-Client"))
    expect_eq(reply["type"], "ack", "reply type")
    expect_eq(reply["yiaddr"], "0.0.0.0", "INFORM ACK yiaddr")
    expect_eq(reply["options"].get("43"), OPT43_POOL01, "option 43")
    expect_eq(reply["options"].get("120"), OPT120_POOL01, "option 120")
    expect("42" not in reply["options"], "no option 42 where none is configured")


def test_inform_unicast_replaces_kea_option43(site, kea_mode):
    """INFORM unicast replaces Kea's option 43"""
    reply = only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice,
                                  "--ciaddr", "10.100.0.50", "--server", "10.100.0.1",
                                  "--bind-addr", "10.100.0.50",
                                  "--vendor-class", "MS-UC-Client"))
    expect_eq(reply["options"].get("43"), OPT43_POOL01, "option 43 replaced")


def test_inform_other_vendor_class_gets_nothing(site, kea_mode):
    """INFORM with another vendor class gets nothing"""
    reply = only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice,
                                  "--ciaddr", "10.100.0.50",
                                  "--vendor-class", "MS-UC-Client2"))
    expect_eq(reply["options"].get("43"), OPT43_OTHER_CONFIG, "option 43 untouched")
    expect("120" not in reply["options"], "no option 120")


def test_inform_case_mismatch_not_answered(site, kea_mode):
    """INFORM ms-uc-client (case) is logged, counted, not answered"""
    before = site.stats().get("subnet[100].lyncboot-vendor-class-case-mismatch", 0)
    reply = only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice,
                                  "--ciaddr", "10.100.0.50",
                                  "--vendor-class", "ms-uc-client"))
    expect("120" not in reply["options"], "no option 120 for ms-uc-client")
    expect_eq(reply["options"].get("43"), OPT43_OTHER_CONFIG, "option 43 untouched")
    after = site.stats()["subnet[100].lyncboot-vendor-class-case-mismatch"]
    expect_eq(after, before + 1, "case mismatch counted")
    expect(site.kea.wait_for("LYNCBOOT_CASE_MISMATCH", 2), "case mismatch logged")
    expect("(0 more such queries since the last warning; at most one warning every 60 s)"
           in site.kea.log(), "the first one is logged whole")
    # Any client can send these: a burst is counted whole and logged once a minute.
    for vendor in ("MS-uc-Client", "ms-UC-client", "CPE-ocphone") * 3:
        site.query(site.phone, "p-voice", site.phone_mac_voice, "--ciaddr", "10.100.0.50",
                   "--vendor-class", vendor)
    burst = site.stats()["subnet[100].lyncboot-vendor-class-case-mismatch"]
    expect_eq(burst, after + 9, "every one counted")
    expect_eq(site.kea.log().count("LYNCBOOT_CASE_MISMATCH"), 1, "logged once")


def test_relayed_inform_with_overrides(site, kea_mode):
    """relayed INFORM gets per-subnet overrides, 42 and 2"""
    reply = only_reply(site.query(site.router, "r-up", site.router_mac,
                                  "--giaddr", "10.200.0.1", "--server", "10.99.0.1",
                                  "--bind-addr", "10.200.0.1", "--bind-port", "67",
                                  "--vendor-class", "MS-UC-Client"))
    expect_eq(reply["options"].get("43"), OPT43_WEB01_4443, "option 43 (override)")
    expect_eq(reply["options"].get("120"), OPT120_POOL01, "option 120 (global)")
    expect_eq(reply["options"].get("42"), "0A6300010A630003", "option 42")
    expect_eq(reply["options"].get("2"), "FFFFB9B0", "option 2 (-5 h)")


def test_relayed_inform_with_ciaddr_answered_directly(site, kea_mode):
    """relayed INFORM with ciaddr is answered directly"""
    reply = only_reply(site.query(site.router, "r-up", site.router_mac,
                                  "--giaddr", "10.200.0.1", "--ciaddr", "10.200.0.50",
                                  "--server", "10.99.0.1", "--bind-port", "68",
                                  "--vendor-class", "MS-UC-Client"))
    expect_eq(reply["options"].get("43"), OPT43_WEB01_4443, "option 43")


def test_relayed_discover(site, kea_mode):
    """relayed DISCOVER gets the options in the OFFER"""
    reply = only_reply(site.query(site.router, "r-up", site.router_mac, "--type", "discover",
                                  "--giaddr", "10.200.0.1", "--server", "10.99.0.1",
                                  "--bind-addr", "10.200.0.1", "--bind-port", "67",
                                  "--vendor-class", "MS-UC-Client"))
    expect_eq(reply["type"], "offer", "reply type")
    expect(reply["yiaddr"].startswith("10.200.0."), "offered address")
    expect_eq(reply["options"].get("43"), OPT43_WEB01_4443, "option 43 in OFFER")
    expect_eq(reply["options"].get("120"), OPT120_POOL01, "option 120 in OFFER")


def test_disabled_subnet_gets_nothing(site, kea_mode):
    """disabled subnet gets no Lync options"""
    reply = only_reply(site.query(site.router, "r-up", site.router_mac,
                                  "--giaddr", "10.201.0.1", "--server", "10.99.0.1",
                                  "--bind-addr", "10.201.0.1", "--bind-port", "67",
                                  "--vendor-class", "MS-UC-Client"))
    expect("43" not in reply["options"], "no option 43")
    expect("120" not in reply["options"], "no option 120")


def test_shared_network_inherits(site, kea_mode):
    """shared network inherits, subnet overrides"""
    # The only address of 10.202.0.0/24 goes first, so the second DISCOVER is
    # leased from the sibling 10.203.0.0/24, which overrides web-port.
    first = only_reply(site.query(site.router, "r-up", site.router_mac, "--type", "discover",
                                  "--giaddr", "10.202.0.1", "--server", "10.99.0.1",
                                  "--bind-addr", "10.202.0.1", "--bind-port", "67",
                                  "--vendor-class", "MS-UC-Client"))
    expect_eq(first["options"].get("120"), OPT120_POOL02, "option 120 from the network")
    expect(first["options"].get("43", "").find("0312706F6F6C30322E636F6E746F736F2E636F6D"
                                              "0403343433") > 0, "pool02 on port 443")
    expect_eq(first["yiaddr"], "10.202.0.100", "first address")
    # Take the lease so the next client is moved to the sibling subnet.
    site.query(site.router, "r-up", site.router_mac, "--type", "request",
               "--giaddr", "10.202.0.1", "--server", "10.99.0.1",
               "--bind-addr", "10.202.0.1", "--bind-port", "67",
               "--requested-addr", "10.202.0.100", "--server-id", "10.99.0.1",
               "--vendor-class", "MS-UC-Client")
    second = only_reply(site.query(site.router, "r-up", "02:00:00:00:02:03",
                                   "--type", "discover",
                                   "--giaddr", "10.202.0.1", "--server", "10.99.0.1",
                                   "--bind-addr", "10.202.0.1", "--bind-port", "67",
                                   "--vendor-class", "MS-UC-Client"))
    expect(second["yiaddr"].startswith("10.203.0."), f"sibling lease {second['yiaddr']}")
    expect_eq(second["options"].get("120"), OPT120_POOL02, "option 120 (network)")
    expect(second["options"].get("43", "").find("04043434343") > 0,
           "the sibling's web-port 4443")


def test_statistics_per_subnet(site, kea_mode):
    """statistics per subnet in statistic-get-all"""
    stats = site.stats()
    expect(stats.get("subnet[10].lyncboot-vlan-answered", 0) >= 1, "VLAN answers")
    expect(stats.get("subnet[100].lyncboot-uc-client-answered", 0) >= 3,
           f"voice answers {stats.get('subnet[100].lyncboot-uc-client-answered')}")
    expect(stats.get("subnet[200].lyncboot-uc-client-answered", 0) >= 3, "relayed")
    # A statistic appears with its subnet's first count (made at load for every
    # subnet, they cost Kea 13 MB at 10,000 subnets).
    expect("subnet[201].lyncboot-uc-client-answered" not in stats, "disabled: never counted")
    expect("subnet[203].lyncboot-vlan-answered" not in stats, "no voice VLAN there")


def test_phones_remembered(site, kea_mode):
    """lyncboot-phones: each phone's steps, subnet and relay; filters; reset"""
    sock = site.lab.kea_socket()
    expect_eq(kea_command(sock, "lyncboot-phones-reset").get("result"), 0, "reset")
    data_mac = site.lab.mac(site.phone, "p-data")
    site.udhcpc("p-data", "CPE-OCPHONE")                      # its voice VLAN
    site.udhcpc("p-voice", "MS-UC-Client")                    # a lease on the voice VLAN
    only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice, "--ciaddr",
                          "10.100.0.50", "--vendor-class", "MS-UC-Client"))  # its INFORM
    only_reply(site.query(site.router, "r-up", site.router_mac, "--giaddr", "10.200.0.1",
                          "--server", "10.99.0.1", "--bind-addr", "10.200.0.1",
                          "--bind-port", "67", "--vendor-class", "MS-UC-Client"))
    site.query(site.phone, "p-voice", "02:00:00:00:07:02", "--ciaddr", "10.100.0.50",
               "--vendor-class", "ms-uc-client")
    answer = kea_command(sock, "lyncboot-phones")
    expect_eq(answer.get("result"), 0, f"lyncboot-phones: {answer}")
    phones = {p["hw-address"]: p for p in answer["arguments"]["phones"]}
    expect_eq(sorted(phones), sorted([data_mac, site.phone_mac_voice, site.router_mac,
                                      "02:00:00:00:07:02"]), "the phones remembered")
    data = phones[data_mac]
    expect_eq((sorted(data["steps"]), data["voice-vlan"], data["subnet-id"]),
              (["vlan"], 100, 10), "the data segment's phone: its VLAN")
    voice = phones[site.phone_mac_voice]
    expect_eq((sorted(voice["steps"]), voice["subnet-id"], voice["address"], voice["relay"]),
              (["inform", "lease"], 100, "10.100.0.50", "0.0.0.0"), "the voice phone")
    relayed = phones[site.router_mac]
    expect_eq((sorted(relayed["steps"]), relayed["subnet-id"], relayed["relay"]),
              (["inform"], 200, "10.200.0.1"), "the relayed phone")
    expect_eq(sorted(phones["02:00:00:00:07:02"]["steps"]), ["case-mismatch"], "wrong case")
    expect(all(p["first-seen"] <= p["last-seen"] for p in phones.values()), "times")
    for arguments, want in (({"reached": "inform"}, {site.phone_mac_voice, site.router_mac}),
                            ({"missing": "inform"}, {data_mac, "02:00:00:00:07:02"}),
                            ({"hw-address": site.router_mac}, {site.router_mac}),
                            ({"subnet-id": 10}, {data_mac})):
        got = kea_command(sock, "lyncboot-phones", arguments)["arguments"]["phones"]
        expect_eq({p["hw-address"] for p in got}, want, f"filter {arguments}")
    bad = kea_command(sock, "lyncboot-phones", {"reached": "signed-in"})
    expect(bad.get("result") == 1 and "'reached'" in bad.get("text", ""), f"{bad}")
    expect_eq(kea_command(sock, "lyncboot-phones-reset").get("result"), 0, "reset")
    expect_eq(kea_command(sock, "lyncboot-phones")["arguments"]["phones"], [], "forgotten")


def test_statistic_commands_see_every_reply(site, kea_mode):
    """statistic-get and statistic-reset-all see every reply"""
    # lyncboot counts replies itself and hands the counts to Kea's statistics
    # manager when a statistic-* command runs: reading and resetting must see them.
    sock = site.lab.kea_socket()
    name = "subnet[100].lyncboot-uc-client-answered"
    before = kea_command(sock, "statistic-get", {"name": name})["arguments"][name][0][0]
    for _ in range(3):
        only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice,
                              "--ciaddr", "10.100.0.50", "--vendor-class", "MS-UC-Client"))
    after = kea_command(sock, "statistic-get", {"name": name})["arguments"][name][0][0]
    expect_eq(after, before + 3, "statistic-get right after three INFORMs")
    only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice,
                          "--ciaddr", "10.100.0.50", "--vendor-class", "MS-UC-Client"))
    expect_eq(kea_command(sock, "statistic-reset-all").get("result"), 0, "reset-all")
    expect_eq(site.stats()[name], 0, "the reply before statistic-reset-all is reset too")
    commands = kea_command(sock, "list-commands")["arguments"]
    expect_eq(commands.count("statistic-get-all"), 1, "statistic-get-all listed once")


def test_too_long_with_lync_options_goes_out_as_kea_made_it(site, kea_mode):
    """a reply the Lync options would take past 1472 bytes goes out as Kea made it"""
    # Kea's own reply to a phone on the voice subnet, made 1420 bytes long by an
    # always-sent option of the site's (Kea splits it, RFC 3396): the Lync options
    # would take it past 1472, one Ethernet frame.
    def inform():
        return only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice,
                                     "--ciaddr", "10.100.0.50",
                                     "--vendor-class", "MS-UC-Client2"))
    base = inform()["length"]
    filler = 0
    while base + filler + 2 * -(-filler // 255) < 1420:
        filler += 1
    subnets = json.loads(json.dumps(SUBNETS))
    subnets[1]["option-data"].append({"name": "site-filler", "data": "x" * filler,
                                      "always-send": True})
    config = kea_config(site.lab, GLOBAL_PARAMETERS, subnets=subnets,
                        shared_networks=kea_mode.shared, after=kea_mode.after)
    config["Dhcp4"]["option-def"].append({"space": "dhcp4", "name": "site-filler",
                                          "code": 224, "type": "string"})
    site.start_kea(config)
    try:
        other = inform()
        # Fits one frame as it is; the 105 bytes the Lync options add would not.
        expect(1472 - 105 < other["length"] <= 1472, f"Kea's reply is "
               f"{other['length']} bytes, too short or too long for this case")
        reply = only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice,
                                      "--ciaddr", "10.100.0.50",
                                      "--vendor-class", "MS-UC-Client"))
        expect_eq(reply["length"], other["length"], "reply length, as Kea made it")
        expect_eq(reply["options"].get("43"), OPT43_OTHER_CONFIG, "Kea's option 43 kept")
        expect("120" not in reply["options"], "no option 120")
        expect_eq(len(reply["options"].get("224", "")) // 2, filler, "the site's option")
        expect(site.kea.wait_for("LYNCBOOT_PROCESS_ERROR", 2) and
               "would pass 1472 bytes" in site.kea.log(), "logged")
    finally:
        site.start_kea(kea_config(site.lab, GLOBAL_PARAMETERS, shared_networks=kea_mode.shared,
                                  after=kea_mode.after))


def test_multi_threaded_kea_answers(site, kea_mode):
    """multi-threaded kea-dhcp4 loads the hook and answers"""
    site.start_kea(kea_config(site.lab, GLOBAL_PARAMETERS, shared_networks=kea_mode.shared,
                              mt=True, after=kea_mode.after))
    expect("DHCP4_MULTI_THREADING_INFO enabled: yes" in site.kea.log(), "MT enabled")
    reply = only_reply(site.query(site.phone, "p-voice", site.phone_mac_voice,
                                  "--ciaddr", "10.100.0.50",
                                  "--vendor-class", "MS-UC-Client"))
    expect_eq(reply["options"].get("43"), OPT43_POOL01, "option 43 with MT")
    # Both of Kea's threads at once: 120 INFORMs from 120 clients, phones and others
    # interleaved, 2 ms apart. Every one answered, each with what its class gets.
    name = "subnet[100].lyncboot-uc-client-answered"
    before = site.stats().get(name, 0)
    out = site.lab.ns_run(site.phone, DEBIAN_PYTHON, QUERY, "--iface", "p-voice",
                          "--mac", "02:00:00:10:00:00", "--ciaddr", "10.100.0.50",
                          "--burst", "120", "--pace", "0.002", "--timeout", "5",
                          "--vendor-classes", "MS-UC-Client,Cisco AP c1240,ms-uc-client")
    burst = json.loads(out.stdout)["burst"]
    unanswered = [q["xid"] for q in burst if len(q["replies"]) != 1]
    expect_eq(unanswered, [], "queries without exactly one reply")
    for q in burst:
        opts = q["replies"][0]["options"]
        if q["vendor_class"] == "MS-UC-Client":
            expect_eq((opts.get("43"), opts.get("120")), (OPT43_POOL01, OPT120_POOL01),
                      f"phone {q['xid']:08x}")
        else:
            expect_eq((opts.get("43"), opts.get("120")), (OPT43_OTHER_CONFIG, None),
                      f"{q['vendor_class']} {q['xid']:08x}")
    expect_eq(site.stats().get(name, 0), before + 40, "every phone's answer counted")


class RunningChanges:
    """Kea 3.0's subnet_cmds change the running subnets; the answers follow. Kea runs
    with subnet_cmds listed before lyncboot: two callouts, because it is loaded at all."""

    def __init__(self, site, library):
        self.site = site
        config = kea_config(site.lab, GLOBAL_PARAMETERS, shared_networks=SHARED_WITHOUT_RELAY)
        config["Dhcp4"]["hooks-libraries"].insert(0, {"library": library})
        site.start_kea(config)
        expect(f"because hook library {library} is loaded too" in site.kea.log(),
               "two callouts with another library")
        expect("LYNCBOOT_NOT_LISTED_LAST" not in site.kea.log(), "listed first: no warning")
        self.sock = site.lab.kea_socket()

    def inform_204(self):
        replies = self.site.query(self.site.router, "r-up", self.site.router_mac, "--giaddr", "10.204.0.1",
                             "--server", "10.99.0.1", "--bind-addr", "10.204.0.1",
                             "--bind-port", "67", "--vendor-class", "MS-UC-Client")
        expect_eq(len(replies), 1, "number of replies")  # Kea answers an INFORM anyway
        return replies[0]["options"]


    def subnet(self, context):
        return {"subnet4": [{"id": 204, "subnet": "10.204.0.0/24",
                             "pools": [{"pool": "10.204.0.100 - 10.204.0.199"}],
                             "user-context": {"lyncboot": context}}]}


    def followed(self, command):
        """The scope of the hook's last LYNCBOOT_CHANGE_FOLLOWED after command."""
        lines = [line for line in self.site.kea.log().splitlines()
                 if f"LYNCBOOT_CHANGE_FOLLOWED after {command} (" in line]
        expect(lines, f"LYNCBOOT_CHANGE_FOLLOWED after {command} logged")
        return lines[-1].split(f"after {command} (", 1)[1].split(" built again")[0]


    def east(self, context):
        return {"shared-networks": [{"name": "east", "user-context": {"lyncboot": context},
                                     "subnet4": self.subnet({})["subnet4"]}]}


@pytest.fixture(scope="module")
def changes(site):
    library = kea_hooks_library("libdhcp_subnet_cmds.so")  # Debian ships it from 3.0
    if not library:
        pytest.skip(f"no libdhcp_subnet_cmds.so in Kea {'.'.join(map(str, KEA_VERSION))}")
    return RunningChanges(site, library)


def test_added(changes):
    """running changes: subnet4-add: the new subnet's context answers the next query"""
    expect("43" not in changes.inform_204(), "no subnet yet: no Lync options")
    answer = kea_command(changes.sock, "subnet4-add", changes.subnet({"web-server": "web01.contoso.com",
                                                     "web-port": 4443}))
    expect_eq(answer.get("result"), 0, f"subnet4-add: {answer}")
    options = changes.inform_204()
    expect_eq(options.get("43"), OPT43_WEB01_4443, "option 43 of the new subnet")
    expect_eq(options.get("120"), OPT120_POOL01, "option 120 (global)")
    expect("LYNCBOOT_CHANGE_FOLLOWED after subnet4-add" in changes.site.kea.log(), "logged")


def test_updated(changes):
    """running changes: subnet4-update: the changed context answers the next query"""
    answer = kea_command(changes.sock, "subnet4-update", changes.subnet({"sip-server": "pool02.contoso.com"}))
    expect_eq(answer.get("result"), 0, f"subnet4-update: {answer}")
    options = changes.inform_204()
    # The web server defaults to the (new) registrar.
    expect_eq(options.get("43"), OPT43_POOL01.replace("706F6F6C3031", "706F6F6C3032"),
              "option 43 with web server pool02")
    expect_eq(options.get("120"), OPT120_POOL02, "option 120 of the update")


def test_bad_update_refused(changes):
    """running changes: subnet4-update with a bad context: refused, named, counted; the answer stays"""
    answer = kea_command(changes.sock, "subnet4-update", changes.subnet({"sip-server": "pool02.contoso.com",
                                                        "web-port": 70000}))
    # Kea has applied it (its own result); lyncboot says what it refused.
    expect_eq(answer.get("result"), 0, f"subnet4-update: {answer}")
    expect("lyncboot refused (previous answers kept): subnet 10.204.0.0/24 (id 204): "
           "parameter 'web-port' must be 1-65535 (got 70000)" in answer.get("text", ""),
           f"the refusal in the answer: {answer}")
    expect("LYNCBOOT_CHANGE_REFUSED after subnet4-update: subnet 10.204.0.0/24 (id 204)"
           in changes.site.kea.log(), "logged with the subnet")
    expect_eq(changes.site.stats().get("lyncboot-changes-refused"), 1, "counted")
    options = changes.inform_204()
    expect_eq(options.get("120"), OPT120_POOL02, "the previous answer stays")


def test_deleted(changes):
    """running changes: subnet4-del: the subnet's answer and statistics go"""
    before = changes.site.stats()
    expect("subnet[204].lyncboot-uc-client-answered" in before, "counted while it lived")
    answer = kea_command(changes.sock, "subnet4-del", {"id": 204})
    expect_eq(answer.get("result"), 0, f"subnet4-del: {answer}")
    expect("43" not in changes.inform_204(), "no subnet: no Lync options")
    expect("subnet[204].lyncboot-uc-client-answered" not in changes.site.stats(),
           "its statistic removed with it")


def test_network_added(changes):
    """running changes: network4-add: a new shared network's context answers its subnet"""
    answer = kea_command(changes.sock, "network4-add", changes.east({"sip-server": "pool02.contoso.com"}))
    expect_eq(answer.get("result"), 0, f"network4-add: {answer}")
    expect_eq(changes.inform_204().get("120"), OPT120_POOL02, "option 120 of the new network")
    expect_eq(changes.followed("network4-add"), "1 subnet", "only its subnet built again")


def test_subnet_leaves_and_joins(changes):
    """running changes: network4-subnet-del and -add: the subnet leaves and joins the network"""
    answer = kea_command(changes.sock, "network4-subnet-del", {"id": 204, "name": "east"})
    expect_eq(answer.get("result"), 0, f"network4-subnet-del: {answer}")
    expect_eq(changes.inform_204().get("120"), OPT120_POOL01, "on its own: the global option 120")
    expect_eq(changes.followed("network4-subnet-del"), "1 subnet", "only the subnet built again")
    answer = kea_command(changes.sock, "network4-subnet-add", {"id": 204, "name": "east"})
    expect_eq(answer.get("result"), 0, f"network4-subnet-add: {answer}")
    expect_eq(changes.inform_204().get("120"), OPT120_POOL02, "in the network again")


def test_bad_network_refused(changes):
    """running changes: network4-add with a bad context: refused, named, counted"""
    before = changes.site.stats().get("lyncboot-changes-refused", 0)
    bad = changes.east({"sip-server": "pool03.contoso.com", "web-port": 0})
    bad["shared-networks"][0]["name"] = "west"
    bad["shared-networks"][0]["subnet4"][0].update(id=205, subnet="10.205.0.0/24",
                                                    pools=[{"pool": "10.205.0.100 - "
                                                                    "10.205.0.199"}])
    answer = kea_command(changes.sock, "network4-add", bad)
    expect_eq(answer.get("result"), 0, f"network4-add: {answer}")
    expect("lyncboot refused (previous answers kept): shared network 'west': "
           "parameter 'web-port'" in answer.get("text", ""), f"the refusal: {answer}")
    expect_eq(changes.site.stats().get("lyncboot-changes-refused"), before + 1, "counted")
    expect_eq(changes.inform_204().get("120"), OPT120_POOL02, "the other network's answer stays")


def test_network_deleted(changes):
    """running changes: network4-del: its subnets go with it"""
    answer = kea_command(changes.sock, "network4-del", {"name": "east", "subnets-action": "delete"})
    expect_eq(answer.get("result"), 0, f"network4-del: {answer}")
    expect("43" not in changes.inform_204(), "its subnet gone: no Lync options")
    expect("subnet[204].lyncboot-uc-client-answered" not in changes.site.stats(),
           "its subnet's statistic removed")


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
