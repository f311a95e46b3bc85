#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""A rollout of 1,000 emulated phones (bench/phonestorm, through relay addresses as
phones behind routers reach a central Kea) with a planted fault per step, reported by
lyncboot-rollout from what the real servers saw (test_rollout's site: kea-dhcp4 with the
hook remembering phones, unbound's dnstap through fstrm_capture, chronyd's clients,
nginx's access log):

  VLAN 104  40 phones whose switch port does not trunk the voice VLAN (VLAN only)
            40 whose DHCPINFORM never comes (lease only)
            760 healthy ones (the whole walk, the CA chain downloaded)
  VLAN 105  60 handed option 6 = an address with no DNS server
  VLAN 106  50 whose NTP nftables drops in the server
  VLAN 107  50 whose port 80 nftables drops (the chain URL unreachable)

Each phone first asks CPE-OCPHONE on its data VLAN (the subnet's voice-vlan), then
leases on the voice VLAN and sends its DNS, NTP and HTTP from the leased address (the
phone namespace holds the pools through a local route). The counts per step and VLAN
must be exactly the planted ones.
"""
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import BUILD, expect, expect_eq, require_root_and_hook, run_tests  # noqa: E402
import test_rollout  # noqa: E402

PHONESTORM = os.path.join(BUILD, "bench", "phonestorm")
WRONG_DNS = "10.100.0.9"
THREADS = 8
# VLAN -> the voice subnet's second octet and option 6; its data subnet is 10.(VLAN+4).0.0/24.
VLANS = {104: "10.100.0.1", 105: WRONG_DNS, 106: "10.100.0.1", 107: "10.100.0.1"}
# (VLAN, phones, phonestorm arguments, the step they stop at)
GROUPS = [(104, 40, ["--stop-after", "vlan"], "vlan"),
          (104, 40, ["--stop-after", "lease"], "lease"),
          (104, 760, ["--from-lease", "--chain"], "chain"),
          (105, 60, ["--from-lease", "--chain"], "inform"),
          (106, 50, ["--from-lease", "--chain"], "dns"),
          (107, 50, ["--from-lease", "--chain"], "time")]
STEPS = ["vlan", "lease", "inform", "dns", "time", "chain"]


def relay(vlan, i=0):
    """The voice VLAN's relay addresses (giaddr) at the top of its subnet."""
    return f"10.{vlan}.0.{240 + i}" if vlan != 104 else f"10.104.3.{240 + i}"


class StormSite(test_rollout.RolloutSite):
    def kea(self, config):
        subnets = config["Dhcp4"]["subnet4"]
        for vlan, dns in VLANS.items():
            net = "10.104.0.0/22" if vlan == 104 else f"10.{vlan}.0.0/24"
            last = "10.104.3.200" if vlan == 104 else f"10.{vlan}.0.200"
            subnets.append({"id": vlan, "subnet": net,
                            "pools": [{"pool": f"{net.split('/')[0][:-1]}10 - {last}"}],
                            "option-data": [{"name": "domain-name", "data": "contoso.com"},
                                            {"name": "domain-name-servers", "data": dns}]})
            subnets.append({"id": vlan + 1000, "subnet": f"10.{vlan + 4}.0.0/24",
                            "pools": [{"pool": f"10.{vlan + 4}.0.10 - 10.{vlan + 4}.0.200"}],
                            "user-context": {"lyncboot": {"voice-vlan": vlan}}})
        config["Dhcp4"]["hooks-libraries"][0]["parameters"]["phones-tracked"] = 2000
        super().kea(config)

    def unbound(self, **kw):
        super().unbound(allow=("10.104.0.0/13",), **kw)

    def chronyd(self, access, extra=""):
        super().chronyd(access, "allow 10.104.0.0/13\n" + extra)


@pytest.fixture(scope="module")
def storm():
    """1,000 phones booted, each group stopped at its step"""
    require_root_and_hook()
    site = StormSite()
    with site.lab:
        lab = site.lab
        # The phones' pools and relays are this namespace's (AnyIP); the server routes
        # them back through the phone's end of the segment.
        lab.ns_run(site.phone, "ip", "route", "add", "local", "10.104.0.0/13", "dev", "lo")
        lab.ns_run(site.srv, "ip", "route", "add", "10.104.0.0/13", "via", "10.100.0.50")
        site.nft("add", "table", "inet", "rollout")
        site.nft("add", "chain", "inet", "rollout", "input",
                 "{ type filter hook input priority 0 ; }")
        site.nft("add", "rule", "inet", "rollout", "input", "ip", "saddr", "10.106.0.0/24",
                 "udp", "dport", "123", "drop")
        site.nft("add", "rule", "inet", "rollout", "input", "ip", "saddr", "10.107.0.0/24",
                 "tcp", "dport", "80", "drop")
        site.runs = []
        for number, (vlan, phones, args, stop) in enumerate(GROUPS):
            out = lab.ns_run(site.phone, PHONESTORM, "10.100.0.1", relay(vlan),
                             str(THREADS), str(phones), "--data-relay",
                             f"10.{vlan + 4}.0.240", "--first", str(number * 1000), *args,
                             check=False, timeout=600)
            site.runs.append((vlan, phones, stop, out))
        site.flush_capture()
        yield site


def test_phonestorm_groups(storm):
    """each group of phones got as far as its planted fault lets it"""
    for vlan, phones, stop, out in storm.runs:
        booted = re.search(r"booted=(\d+) failed=(\d+)", out.stdout)
        expect(booted, f"VLAN {vlan} ({stop}): {out.stdout}{out.stderr}")
        want_failed = 0 if stop in ("vlan", "lease", "chain") else phones
        expect_eq(int(booted.group(2)), want_failed,
                  f"VLAN {vlan} ({stop}) failed phones: {out.stdout}")


def test_report_counts(storm, record_property):
    """lyncboot-rollout counts each VLAN's phones per step exactly as planted"""
    out, doc = storm.rollout_json()
    expect_eq(doc["phones-count"], 1000, "phones")
    expect_eq(doc["partial"], False, "sources: " + repr(doc["problems"]))
    want = {}
    for vlan, phones, _, stop in [(v, n, a, s) for v, n, a, s in GROUPS]:
        counts = want.setdefault(vlan, {"reached": dict.fromkeys(STEPS, 0),
                                        "stuck": dict.fromkeys(STEPS, 0)})
        for step in STEPS[:STEPS.index(stop) + 1]:
            counts["reached"][step] += phones
        if stop != "chain":
            counts["stuck"][stop] += phones
    got = {v["voice-vlan"]: {"reached": v["reached"], "stuck": v["stuck"]}
           for v in doc["vlans"]}
    expect_eq(got, want, "counts per VLAN")
    expect_eq(doc["stuck-count"], 240, "stuck phones")
    table = storm.rollout()
    lines = table.stdout.splitlines()
    stuck = lines.index("Stuck phones (the likely cause):")
    # The report's head, and the first stuck phone of each step as the table shows it.
    first = {}
    for line in lines[stuck + 2:]:
        fields = line.split()
        if len(fields) > 3:
            first.setdefault(fields[3], line)
    record_property("note", "\n".join(lines[:stuck + 2] + list(first.values()) + ["  ..."]))


def test_report_causes(storm):
    """each stuck phone's cause is its VLAN's planted fault"""
    out, doc = storm.rollout_json()
    causes = {}
    for phone in doc["phones"]:
        if phone["stuck"]:
            causes.setdefault((phone["voice-vlan"], phone["reached"]), set()).add(
                phone["cause"].split(":")[0])
    expect_eq(sorted(causes), [(104, "lease"), (104, "vlan"), (105, "inform"),
                               (106, "dns"), (107, "time")], "stuck groups")
    for key, text in (((104, "vlan"), "voice VLAN 104 given on the data VLAN, but no lease"),
                      ((104, "lease"), "a lease on the voice VLAN but no DHCPINFORM answered"),
                      ((105, "inform"), "options delivered, no SRV look-up"),
                      ((106, "dns"), "SRV answered, no NTP query"),
                      ((107, "time"), "time set, no CA chain download")):
        expect(len(causes[key]) == 1 and next(iter(causes[key])).startswith(text),
               f"cause of {key}: {causes[key]}")


def test_report_html(storm):
    """the 1,000-phone HTML report in chromium: the stuck list has 240 rows"""
    path = os.path.join(storm.work, "storm.html")
    storm.rollout("--html", path)
    dom = test_rollout.chromium_dom(path)
    expect_eq(len(re.findall(r'<tr class="phone"', dom)), 240, "stuck rows")
    expect('data-phones="1000" data-stuck="240"' in dom, "summary")


if __name__ == "__main__":
    run_tests(__file__)
