#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""lyncboot-probe lldp, a phone's first step, against Debian's lldpd as the switch:

  [sw]    lldpd -M 4 (an LLDP-MED network connectivity device) on s-p1, configured with
          lldpcli per case; kea-dhcp4 with the hook answering CPE-OCPHONE with VLAN 100
  [phone] lyncboot-probe lldp on p-data; lldpd -M 3 (an endpoint) as an independent
          reader of what the switch sends (lldpcli -f json show neighbors)

The switch with a voice policy (the probe and lldpd read the same VLAN, priority and
DSCP; DHCP agrees), one whose policy is untagged, one without any, one that says
another VLAN than DHCP, no LLDP at all, malformed LLDPDUs sent with scapy, and bad
input."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (BUILD, DEBIAN_PYTHON, HOOK, Lab, expect, expect_eq, run_tests,  # noqa: E402
                    site_fixture)

PROBE = os.path.join(BUILD, "probe", "lyncboot-probe")
SWITCH_MAC = "02:5c:00:00:00:01"
VOICE = "configure med policy application voice tagged vlan 100 priority voice dscp 46"
SWITCH_SETUP = ["configure system hostname access-sw1", "configure med fast-start enable"]
KEA = {"Dhcp4": {
    "interfaces-config": {"interfaces": ["s-p1"], "dhcp-socket-type": "raw"},
    "lease-database": {"type": "memfile", "persist": False},
    "hooks-libraries": [{"library": HOOK, "parameters": {"sip-server": "pool01.contoso.com"}}],
    "subnet4": [{"id": 10, "subnet": "10.10.0.0/24", "interface": "s-p1",
                 "pools": [{"pool": "10.10.0.100 - 10.10.0.199"}],
                 "user-context": {"lyncboot": {"voice-vlan": 100}}}],
    "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                 "output_options": [{"output": "stdout"}]}]}}


class Port:
    """A switch port and the phone on it."""

    def __init__(self):
        self.lab = lab = Lab("pl")
        self.switch = lab.netns("sw")
        self.phone = lab.netns("phone")
        lab.segment(self.switch, "s-p1", self.phone, "p-data", "10.10.0.1/24")
        lab.ns_run(self.switch, "ip", "link", "set", "s-p1", "address", SWITCH_MAC)
        self.lldpd = None
        kea = lab.kea("kea-dhcp4", KEA, ns=self.switch)
        expect(kea.wait_for("DHCP4_STARTED", 15), "kea-dhcp4:\n" + kea.log()[-1500:])

    def lldpcli(self, ns, sock, *command):
        return self.lab.ns_run(ns, "lldpcli", "-u", sock, *command, platform=True)

    def switch_with(self, *commands):
        """lldpd started afresh as the switch, configured as a switch serving phones runs
        (LLDP-MED fast start), then with commands."""
        if self.lldpd:
            self.lldpd.stop()
        self.lldpd, _ = self.lab.lldpd("lldpd-switch", self.switch, "s-p1", 4,
                                       SWITCH_SETUP + list(commands))

    def probe(self, *args):
        return self.lab.ns_run(self.phone, PROBE, "lldp", "--interface", "p-data", *args,
                               check=False, timeout=60)

    def probe_json(self, *args):
        out = self.probe("--json", *args)
        expect(out.returncode in (0, 1), f"exit {out.returncode}: {out.stderr}")
        return out.returncode, json.loads(out.stdout)


port = site_fixture(Port)


def test_voice_policy(port):
    """a voice policy on the port: VLAN 100 tagged, priority 5, DSCP 46; DHCP agrees"""
    port.switch_with(VOICE)
    out = port.probe("--wait", "5")
    expect_eq(out.returncode, 0, "exit status:\n" + out.stdout + out.stderr)
    for text in [f"LLDPDU from {SWITCH_MAC}", "System name       : access-sw1",
                 "LLDP-MED          : network connectivity device (class 4)",
                 "Policy voice      : VLAN 100 tagged, priority 5, DSCP 46",
                 "Voice VLAN from LLDP-MED: VLAN 100 tagged, priority 5, DSCP 46.",
                 "DHCP VLAN discovery (CPE-OCPHONE) on p-data: VLAN 100.", "Result : Success"]:
        expect(text in out.stdout, f"missing {text!r}:\n{out.stdout}")


def voice_policy_of(neighbors):
    """The voice policy in lldpcli's JSON of one interface's neighbor."""
    policies = neighbors.get("lldp-med", {}).get("policy", [])
    for policy in policies if isinstance(policies, list) else [policies]:
        if policy.get("apptype") == "Voice":
            return policy
    return None


def test_lldpd_reads_the_same(port, record_property):
    """--json, and lldpd on the phone's side reads the same policy from the switch"""
    code, doc = port.probe_json("--wait", "5")
    expect_eq(code, 0, f"exit status: {doc['problems']}")
    expect_eq(doc["voice_vlan"], 100, "voice_vlan")
    expect_eq(doc["dhcp_voice_vlan"], 100, "dhcp_voice_vlan")
    (switch,) = doc["neighbors"]
    expect_eq((switch["from"], switch["system_name"], switch["med_device_class"]),
              (SWITCH_MAC, "access-sw1", 4), "the switch")
    ours = doc["voice_policy"]
    # An endpoint lldpd on the same port, after the probe said goodbye (so the switch
    # sees a new neighbor and answers it at once).
    reader, sock = port.lab.lldpd("lldpd-phone", port.phone, "p-data", 3)
    try:
        theirs, deadline = None, time.monotonic() + 10
        while theirs is None and time.monotonic() < deadline:
            time.sleep(0.2)
            if os.path.exists(sock):
                shown = json.loads(port.lldpcli(port.phone, sock, "-f", "json", "show",
                                                "neighbors", "details").stdout)
                interface = shown.get("lldp", {}).get("interface", {}).get("p-data", {})
                theirs = voice_policy_of(interface)
        expect(theirs, "lldpd on the phone's side saw no voice policy")
        record_property("note", f"lldpd reads: {theirs}")
        expect_eq((int(theirs["vlan"]["vid"]), int(theirs["pcp"]), int(theirs["dscp"])),
                  (ours["vlan_id"], ours["priority"], ours["dscp"]), "VLAN, priority, DSCP")
        expect(ours["tagged"] and theirs.get("defined") is True, f"{ours} / {theirs}")
    finally:
        reader.stop()


def test_untagged_policy(port):
    """a voice policy without 'tagged' (lldpcli's default): the VLAN it names is ignored, named"""
    port.switch_with(VOICE.replace(" tagged", ""))
    code, doc = port.probe_json("--wait", "5")
    expect_eq(code, 1, "exit status")
    expect_eq(doc["voice_vlan"], None, "no tagged voice VLAN")
    expect(any("untagged but names VLAN 100" in p for p in doc["problems"]), doc["problems"])


def test_no_policy(port):
    """LLDP-MED without a voice policy: named, with the fix"""
    port.switch_with()
    code, doc = port.probe_json("--wait", "5", "--no-dhcp")
    expect_eq(code, 1, "exit status")
    expect_eq(len(doc["neighbors"]), 1, "the switch heard")
    expect(any("no network policy for application voice" in p and "lldpcli" in p
               for p in doc["problems"]), doc["problems"])
    expect_eq(doc["dhcp_voice_vlan"], None, "--no-dhcp")


def test_vlan_differs_from_dhcp(port):
    """LLDP-MED says VLAN 200, DHCP says 100: the phone goes to 200, named"""
    port.switch_with(VOICE.replace("vlan 100", "vlan 200"))
    out = port.probe("--wait", "5")
    expect_eq(out.returncode, 1, "exit status")
    expect("LLDP-MED says voice VLAN 200, DHCP (CPE-OCPHONE) says 100: phones trust LLDP-MED "
           "and go to 200" in out.stdout, out.stdout)


def test_no_lldp(port):
    """no LLDP on the port: named; DHCP still gives VLAN 100"""
    port.lldpd.stop()
    port.lldpd = None
    code, doc = port.probe_json("--wait", "1.5")
    expect_eq(code, 1, "exit status")
    expect_eq(doc["neighbors"], [], "neighbors")
    expect(any("no LLDPDU on p-data" in p for p in doc["problems"]), doc["problems"])
    expect_eq(doc["dhcp_voice_vlan"], 100, "DHCP's VLAN")


# Frames a broken or hostile switch sends: the Port ID first (no LLDPDU); a policy TLV
# one byte short next to a good one; a system name with an escape sequence.
MALFORMED = {
    "port-id-first": "040505657468310207040211000000010602007800",
    "short-policy": "0207040211000000020405056574683206020078fe070012bb0201c96e"
                    "fe080012bb020140c96e0000",
    "escape-in-name": "0207040211000000030405056574683306020078" "0a051b5b326a61" "0000",
}


def test_malformed_lldpdus(port):
    """malformed LLDPDUs from scapy: each named, text escaped, the good policy still read"""
    port.switch_with(VOICE)
    probe = subprocess.Popen(["ip", "netns", "exec", port.phone, PROBE, "lldp", "--interface",
                              "p-data", "--wait", "5", "--no-dhcp", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    sender = ("import sys\nfrom scapy.all import Ether, Raw, sendp\n"
              "for i, pdu in enumerate(sys.argv[1:]):\n"
              "    sendp(Ether(dst='01:80:c2:00:00:0e', src='02:66:00:00:00:%02x' % (i + 1),"
              " type=0x88cc) / Raw(bytes.fromhex(pdu)), iface='s-p1', verbose=False)\n")
    port.lab.ns_run(port.switch, DEBIAN_PYTHON, "-c", sender, *MALFORMED.values())
    out, err = probe.communicate(timeout=30)
    expect_eq(probe.returncode, 1, "exit status: " + err)
    doc = json.loads(out)
    expect_eq(doc["malformed"], 1, "frames that were no LLDPDU")
    problems = "\n".join(doc["problems"])
    expect("from 02:66:00:00:00:01 were no LLDPDU (not an LLDPDU: TLV 1 is of type 2, not "
           "Chassis ID)" in problems, problems)
    expect("LLDPDU from 02:66:00:00:00:02: LLDP-MED Network Policy TLV of 7 bytes" in problems,
           problems)
    names = {n["from"]: n for n in doc["neighbors"]}
    expect_eq(names["02:66:00:00:00:03"]["system_name"], "\\x1B[2ja", "escaped system name")
    expect_eq(doc["voice_vlan"], 100, "the switch's policy still taken")


def test_bad_input(port):
    """bad input: no interface, a bad --wait, an unknown interface, not root: exit 2"""
    for args, text in ((["lldp"], "needs --interface IF"),
                       (["lldp", "--interface", "p-data", "--wait", "0"], "--wait '0': seconds"),
                       (["lldp", "--interface", "nosuch0"], "no interface 'nosuch0'")):
        out = port.lab.ns_run(port.phone, PROBE, *args, check=False)
        expect_eq(out.returncode, 2, f"exit status of {args}")
        expect(text in out.stderr, f"{args}: {out.stderr!r}")
    out = port.lab.ns_run(port.phone, "setpriv", "--reuid=65534", "--regid=65534",
                          "--clear-groups", PROBE, "lldp", "--interface", "p-data", check=False)
    expect_eq(out.returncode, 2, "exit status without root")
    expect("needs root" in out.stderr, out.stderr)


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
