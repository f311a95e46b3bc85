#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""lyncboot-probe emulate-client against real kea-dhcp4 servers on one L2 segment
(a Linux bridge in a 'switch' namespace), as an admin would run it from the phones' VLAN:

  [srv1] kea-dhcp4 + lyncboot hook (pool01)   s1 10.100.0.1 --+
  [srv2] a second kea-dhcp4 (per case)        s2 10.100.0.2 --+-- br0 [switch]
  [phone] lyncboot-probe                p-voice 10.100.0.50 --+
          and a data segment p-data -- v-data [srv1] (voice-vlan 100)
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import BUILD, HOOK, Lab, expect, expect_eq, run  # noqa: E402
from netlab import require_root_and_hook, run_tests  # noqa: E402

PROBE = os.path.join(BUILD, "probe", "lyncboot-probe")


def kea_config(interfaces, subnets, hook_parameters=None, classes=None, option_defs=None):
    dhcp4 = {
        "interfaces-config": {"interfaces": interfaces, "dhcp-socket-type": "raw"},
        "lease-database": {"type": "memfile", "persist": False},
        "subnet4": subnets,
        "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                     "output_options": [{"output": "stdout"}]}],
    }
    if hook_parameters:
        dhcp4["hooks-libraries"] = [{"library": HOOK, "parameters": hook_parameters}]
    if classes:
        dhcp4["client-classes"] = classes
    if option_defs:
        dhcp4["option-def"] = option_defs
    return {"Dhcp4": dhcp4}


VOICE_SUBNET = {"id": 1, "subnet": "10.100.0.0/24",
                "pools": [{"pool": "10.100.0.100 - 10.100.0.149"}]}
SRV1 = kea_config(["s1", "v-data"], [
    dict(VOICE_SUBNET, interface="s1"),
    {"id": 10, "subnet": "10.10.0.0/24", "interface": "v-data",
     "pools": [{"pool": "10.10.0.100 - 10.10.0.199"}],
     "user-context": {"lyncboot": {"voice-vlan": 100}}}],
    hook_parameters={"sip-server": "pool01.contoso.com"})
SRV2_OTHER_POOL = kea_config(["s2"], [dict(VOICE_SUBNET, interface="s2",
                                           pools=[{"pool": "10.100.0.150 - 10.100.0.199"}])],
                             hook_parameters={"sip-server": "pool02.contoso.com"})
# A server configured by hand with the class in the wrong case.
SRV2_LOWER_CASE = kea_config(
    ["s2"], [dict(VOICE_SUBNET, interface="s2", pools=[{"pool": "10.100.0.150 - 10.100.0.199"}])],
    option_defs=[{"space": "dhcp4", "name": "sip-server", "code": 120, "type": "binary"}],
    classes=[{"name": "lync", "test": "option[60].text == 'ms-uc-client'",
              "option-data": [{"name": "sip-server", "always-send": True,
                               "data": "0006706F6F6C303307636F6E746F736F03636F6D00"}]}])


class Segment:
    def __init__(self):
        self.lab = lab = Lab("pe")
        self.switch = lab.netns("sw")
        self.srv1 = lab.netns("srv1")
        self.srv2 = lab.netns("srv2")
        self.phone = lab.netns("phone")
        lab.ns_run(self.switch, "ip", "link", "add", "br0", "type", "bridge")
        lab.ns_run(self.switch, "ip", "link", "set", "br0", "up")
        for ns, ifname, port, addr in ((self.srv1, "s1", "b1", "10.100.0.1/24"),
                                       (self.srv2, "s2", "b2", "10.100.0.2/24"),
                                       (self.phone, "p-voice", "b3", "10.100.0.50/24")):
            lab.segment(ns, ifname, self.switch, port, addr)
            lab.ns_run(self.switch, "ip", "link", "set", port, "master", "br0")
        lab.segment(self.srv1, "v-data", self.phone, "p-data", "10.10.0.1/24")
        self.kea1 = self.kea2 = None

    def start(self, which, config):
        ns = self.srv1 if which == 1 else self.srv2
        self.stop(which)
        daemon = self.lab.kea(f"kea{which}", config, ns=ns)
        expect(daemon.wait_for("DHCP4_STARTED", 15), f"kea{which}:\n" + daemon.log()[-1500:])
        setattr(self, f"kea{which}", daemon)

    def stop(self, which):
        daemon = getattr(self, f"kea{which}")
        if daemon:
            daemon.stop()
            setattr(self, f"kea{which}", None)

    def probe(self, *args, user=None):
        argv = [PROBE, "emulate-client", "--timeout", "1.5", *args]
        if user:
            argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + argv
        return self.lab.ns_run(self.phone, *argv, check=False, timeout=60)


def kernel_has_8021q(lab, ns):
    ok = run("ip", "netns", "exec", ns, "ip", "link", "add", "link", "p-data", "name", "q.9",
             "type", "vlan", "id", "9", check=False).returncode == 0
    if ok:
        run("ip", "netns", "exec", ns, "ip", "link", "del", "q.9", check=False)
    return ok


@pytest.fixture(scope="module")
def seg():
    require_root_and_hook()
    seg = Segment()
    with seg.lab:
        seg.start(1, SRV1)
        yield seg


def test_one_good_server(seg):
    """one server: checks pass, registrar and URL found"""
    out = seg.probe("--interface", "p-voice")
    expect_eq(out.returncode, 0, "exit status\n" + out.stdout + out.stderr)
    for text in ["DHCPINFORM from 10.100.0.50 with vendor class MS-UC-Client",
                 "DHCP server 10.100.0.1 (DHCPACK)",
                 "Found registrar fqdn : pool01.contoso.com.",
                 "Found web service url : https://pool01.contoso.com:443/CertProv/"
                 "CertProvisioningService.svc.",
                 "Checks: passed", "Result : Success"]:
        expect(text in out.stdout, f"missing {text!r}:\n{out.stdout}")
    expect("WARNING" not in out.stdout, "no other interface is active")


def test_other_active_interface_warned(seg):
    """another active interface is warned about"""
    seg.lab.ns_run(seg.phone, "ip", "addr", "add", "10.10.0.50/24", "dev", "p-data")
    try:
        out = seg.probe("--interface", "p-voice")
    finally:
        seg.lab.ns_run(seg.phone, "ip", "addr", "del", "10.10.0.50/24", "dev", "p-data")
    expect("WARNING: interface p-data is also up" in out.stdout, out.stdout)


def test_conflicting_servers(seg):
    """two servers answering differently: conflict named"""
    seg.start(2, SRV2_OTHER_POOL)
    try:
        out = seg.probe("--interface", "p-voice")
    finally:
        seg.stop(2)
    expect_eq(out.returncode, 1, "exit status")
    expect("DHCP server 10.100.0.2 (DHCPACK)" in out.stdout, out.stdout)
    expect("pool02.contoso.com" in out.stdout, "second server decoded")
    expect("answers differently from 10.100.0.1" in out.stdout or
           "answers differently from 10.100.0.2" in out.stdout, out.stdout)
    expect("Result : Failure" in out.stdout, "result")


def test_wrong_case_class_on_a_server(seg):
    """a server whose class is 'ms-uc-client': wrong case named"""
    seg.start(2, SRV2_LOWER_CASE)
    try:
        out = seg.probe("--interface", "p-voice")
    finally:
        seg.stop(2)
    expect_eq(out.returncode, 1, "exit status")
    expect("DHCP server 10.100.0.2 (DHCPACK)" in out.stdout,
           out.stdout)
    expect("wrong letter case" in out.stdout, out.stdout)


def test_no_address_uses_discover(seg):
    """no address on the interface: DISCOVER, OFFER decoded"""
    seg.lab.ns_run(seg.phone, "ip", "addr", "del", "10.100.0.50/24", "dev", "p-voice")
    try:
        out = seg.probe("--interface", "p-voice")
    finally:
        seg.lab.ns_run(seg.phone, "ip", "addr", "add", "10.100.0.50/24", "dev", "p-voice")
    expect_eq(out.returncode, 0, "exit status\n" + out.stdout)
    expect("p-voice has no IPv4 address, so no DHCPINFORM" in out.stdout, out.stdout)
    expect("DHCP server 10.100.0.1 (DHCPOFFER)" in out.stdout, out.stdout)


def test_vlan_discovery_then_voice_segment(seg):
    """--vlan-discovery finds VLAN 100, continues on --voice-interface"""
    out = seg.probe("--interface", "p-data", "--vlan-discovery",
                    "--voice-interface", "p-voice")
    expect_eq(out.returncode, 0, "exit status\n" + out.stdout + out.stderr)
    expect("as a 16-bit word: VLAN 100" in out.stdout, out.stdout)
    expect("The phone moves to VLAN 100: using p-voice" in out.stdout, out.stdout)
    expect("Found registrar fqdn : pool01.contoso.com." in out.stdout, out.stdout)


def test_vlan_discovery_without_8021q(seg):
    """--vlan-discovery without 802.1Q asks for --voice-interface"""
    if kernel_has_8021q(seg.lab, seg.phone):
        pytest.skip("this kernel can create p-data.100: nothing to refuse")
    out = seg.probe("--interface", "p-data", "--vlan-discovery")
    expect_eq(out.returncode, 1, "exit status")
    expect("give the voice VLAN's interface with --voice-interface" in out.stderr,
           out.stderr)


def test_no_server_answers(seg):
    """no server: no answer, likely causes"""
    seg.stop(1)
    try:
        out = seg.probe("--interface", "p-voice")
    finally:
        seg.start(1, SRV1)
    expect_eq(out.returncode, 1, "exit status")
    expect("No DHCP server answered on p-voice" in out.stdout, out.stdout)
    expect("Likely causes:" in out.stdout and "ignores DHCPINFORM" in out.stdout,
           out.stdout)


def test_needs_root(seg):
    """without root: says it needs root"""
    out = seg.probe("--interface", "p-voice", user="65534")
    expect_eq(out.returncode, 2, "exit status")
    expect("needs root" in out.stderr, out.stderr)


def test_bad_interface(seg):
    """unknown interface: clear error"""
    out = seg.probe("--interface", "nosuch0")
    expect_eq(out.returncode, 2, "exit status")
    expect("no interface 'nosuch0'" in out.stderr, out.stderr)


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
