#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""README command 1, the lab, on the tree under test, once a way the site's unbound can
take lyncboot's records: ansible/site.yml rolls the example site out onto this host, with
the Unbound module (when the dynlib unbound packages were built) or with the publisher
(stock unbound), and the daemons start from what it rendered. The emulated phone must
learn VLAN 100, get a lease there, find its records over DNS and pass every step of
lyncboot-probe bootstrap; afterwards nothing of the lab is left."""
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import BUILD, TOP, run_tests  # noqa: E402

LAB = os.path.join(TOP, "lab", "run")
MODES = ["stock"]
if os.environ.get("LYNCBOOT_UNBOUND_TREE") and os.environ.get("LYNCBOOT_UNBOUND_DEBS"):
    MODES = ["module", "stock"]

# What the lab's report says when each part worked, in both modes.
REPORTED = [
    ("site rolled out by ansible/site.yml", "failed=0 skipped="),
    ("kea-dhcp4 runs the rendered config with the hook", "kea-dhcp4: LYNCBOOT_LOAD_OK"),
    ("daemons as Debian's units run them",
     "running as: kea-dhcp4=_kea unbound=unbound chronyd=_chrony ntp-health=nobody"),
    ("kea-dhcp4 with only its two capabilities", "(net_bind_service, net_raw only)"),
    ("phone learns VLAN 100 on the data segment", "as a 16-bit word: VLAN 100"),
    ("phone leases on VLAN 100", "leased 10.100.0.100 from 10.100.0.1"),
    ("INFORM answered with the registrar", "Found registrar fqdn : pool01.contoso.com."),
    ("INFORM answered with the web service URL",
     "https://web01.contoso.com:443/CertProv/CertProvisioningService.svc"),
    ("time source checked by the role's monitoring plugin",
     "check_lyncboot_ntp: NTP OK: 1 target"),
    ("phone's dig of _ntp._udp",
     "_ntp._udp.contoso.com.\t60\tIN\tSRV\t0 0 123 ntp1.contoso.com."),
    ("phone's dig of _sipinternaltls._tcp",
     "_sipinternaltls._tcp.contoso.com. 60 IN\tSRV\t0 0 5061 pool01.contoso.com."),
    ("NTP found through _ntp._udp SRV", "_ntp._udp.contoso.com SRV -> ntp1.contoso.com:123."),
    ("the phone's time from chronyd", "stratum 8: the phone's time is"),
    ("CA chain downloaded over HTTP", "Certificate chain downloaded successfully"),
    ("web services TLS verified at the NTP time",
     "TLS to web01.contoso.com:443 verified at the phone's NTP time"),
    ("registrar TLS verified", "TLS to pool01.contoso.com:5061 verified"),
    ("the switch port's LLDP-MED voice policy, as lldpd shows it",
     "lldpd on v-data advertises the LLDP-MED policy: apptype=Voice defined=yes "
     "vlan.vid=100"),
    ("the phone's LLDP-MED: VLAN 100 from the switch, DHCP agrees",
     "Voice VLAN from LLDP-MED: VLAN 100 tagged, priority 5, DSCP 46."),
    ("bootstrap takes the VLAN from LLDP-MED first",
     "Voice VLAN 100 from LLDP-MED (tagged, priority 5, DSCP 46; switch "),
    ("Device Update answered over TLS at the NTP time",
     "Device Update handler https://ucupdates-r2.contoso.com/RequestHandler/ucdevice.upx "
     "answered 200 OK"),
    ("the registrar challenges REGISTER with TLS-DSK", "Registrar ready for phones"),
    ("bootstrap result", "Result : Success"),
    ("the rollout report follows the phone (one MAC on both VLANs) to the CA chain",
     "1 phone(s), 0 stuck before 'chain'"),
    ("the rollout report read every source",
     "web: 1 request(s) for /CertProv/CertProvisioningService.svc"),
    ("statistics shown", "subnet[100].lyncboot-uc-client-answered")]
# And what only one mode reports.
REPORTED_BY_MODE = {
    "module": [("unbound loaded the module",
                "unbound: lyncboot: /etc/unbound/lyncboot.conf: 1 domains, 4 answers"),
               ("the phone's SRV look-ups answered by the module",
                "(answered by lyncboot_unbound.so")],
    "stock": [("phone records published into unbound",
               "lyncboot-unbound-publish: published 4 records")]}


def lab_run(*args):
    return subprocess.run([LAB, *args], env=dict(os.environ, LYNCBOOT_LAB_NO_BUILD="1"),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=1800)


@pytest.fixture(scope="module", params=MODES)
def lab(request):
    """One lab run: its exit status and report. With the module, the lab stays up for a
    small boot storm, then goes."""
    if os.geteuid() != 0:
        pytest.skip("needs root")
    mode = request.param
    out = lab_run("--keep" if mode == "module" else "--stock-unbound")
    report, storm = out.stdout, ""
    if mode == "module":
        storm = subprocess.run([os.path.join(TOP, "bench", "boot-storm"), "--lab-running",
                                "--phones", "200", "--threads", "4"],
                               env=dict(os.environ, LYNCBOOT_BUILD=BUILD), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=900).stdout
        report += storm + lab_run("--down").stdout
    return mode, out.returncode, report, storm


def test_exits_0(lab):
    """lab/run exits 0"""
    _, status, report, _ = lab
    assert status == 0, f"lab/run exited {status}:\n{report[-6000:]}"


@pytest.mark.parametrize("what,text", REPORTED, ids=[what for what, _ in REPORTED])
def test_reported(lab, what, text):
    """{id}"""
    assert text in lab[2], f"{text!r} not in the report:\n{lab[2][-6000:]}"


def test_reported_by_mode(lab):
    """what only this mode's unbound reports (the module loaded, or the records published)"""
    mode, _, report, _ = lab
    for what, text in REPORTED_BY_MODE[mode]:
        assert text in report, f"{what}: {text!r} not in the report:\n{report[-6000:]}"


def test_boot_storm(lab, record_property):
    """with the module: a boot storm of 200 phones, every step answered"""
    mode, _, _, storm = lab
    if mode != "module":
        pytest.skip("the storm runs against the module's lab")
    record_property("note", "\n".join(line for line in storm.splitlines() if "phones=" in line))
    assert "phones=200 booted=200 failed=0" in storm, storm[-3000:]


def test_nothing_left(lab):
    """namespaces and daemons removed"""
    namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert "lyncboot-" not in namespaces, namespaces
    daemons = subprocess.run(["pgrep", "-f", "/run/lyncboot-lab/"], capture_output=True,
                             text=True).stdout
    assert not daemons.strip(), f"still running: {daemons}"


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
