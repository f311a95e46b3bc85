#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""lyncboot-ntp-check against real chronyd servers and a misbehaving responder, in
namespaces this test creates:

  [srv] 10.100.0.1 chronyd, local stratum 8, allows the phone subnet (synchronised)
        10.100.0.2 chronyd with no sources (unsynchronised)
        10.100.0.3 chronyd that allows only another subnet (denies the phones)
        10.100.0.4.. ntp_responder.py: KoD RATE/DENY, wrong origin, LI 3, stratum 16,
                     truncated, a clock 5 s ahead
        unbound with _ntp._udp SRV records for --srv
  [phone] 10.100.0.50 runs the check
"""
import json
import os
import re
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (Lab, expect, expect_eq, run_tests, site_fixture,  # noqa: E402
                    unbound_server_head)

HERE = os.path.dirname(os.path.abspath(__file__))
# Target names long enough that a dozen SRV records pass 512 bytes, and forty pass
# unbound's UDP limit (max-udp-size 1232) even with EDNS0: TC set, the answer over TCP.
LONG_TARGET = "ntp-{:02d}.stratum-two.time-sources.datacentre-{:02d}.contoso.net"
RESPONDERS = {"10.100.0.4": "kod-rate", "10.100.0.5": "kod-deny", "10.100.0.6": "wrong-origin",
              "10.100.0.7": "leap3", "10.100.0.8": "stratum16", "10.100.0.9": "truncated",
              "10.100.0.10": "good"}
PERFDATA = re.compile(r"'(offset|jitter|rootdist)_[^']+'=-?\d+\.\d{6}s;[^;]*;[^;]*; "
                      r"|'stratum_[^']+'=\d+;[^;]*;[^;]*;0;16 ")


class Site:
    def __init__(self):
        self.lab = lab = Lab("nc")
        self.work = lab.workdir
        self.srv = lab.netns("srv")
        self.phone = lab.netns("phone")
        # The platform's checker, with the platform's chronyc.
        self.checker = lab.platform_binary(os.path.join("ntp-check", "lyncboot-ntp-check"))
        lab.segment(self.srv, "v-srv", self.phone, "p-ph", "10.100.0.1/24", "10.100.0.50/24")
        for host in ["2", "3"] + [a.split(".")[-1] for a in RESPONDERS]:
            lab.ns_run(self.srv, "ip", "addr", "add", f"10.100.0.{host}/24", "dev", "v-srv")
        self.chronyd("a", "local stratum 8\nallow 10.100.0.0/24\nbindaddress 10.100.0.1\n"
                          "bindcmdaddress 127.0.0.1\n")
        self.chronyd("b", "allow 10.100.0.0/24\nbindaddress 10.100.0.2\ncmdport 0\n")
        self.chronyd("c", "local stratum 8\nallow 10.200.0.0/24\nbindaddress 10.100.0.3\n"
                          "cmdport 0\n")
        for addr, mode in RESPONDERS.items():
            extra = ["--offset", "5"] if addr == "10.100.0.10" else []
            d = lab.start(f"responder-{mode}", self.srv,
                          [sys.executable, os.path.join(HERE, "ntp_responder.py"), "--bind", addr,
                           "--mode", mode, *extra])
            expect(d.wait_for("ready", 10), f"responder {mode}")
        conf = os.path.join(self.work, "unbound.conf")
        with open(conf, "w") as f:
            f.write(unbound_server_head(self.work) + """    module-config: "iterator"
    local-zone: "contoso.com." static
    local-data: "_ntp._udp.contoso.com. 60 IN SRV 0 0 123 ntp1.contoso.com."
    local-data: "_ntp._udp.contoso.com. 60 IN SRV 0 0 123 ntp2.contoso.com."
    local-data: "ntp1.contoso.com. 60 IN A 10.100.0.1"
    local-data: "ntp2.contoso.com. 60 IN A 10.100.0.2"
    local-zone: "fabrikam.com." static
    local-zone: "evil.com." static
    local-data: "_ntp._udp.evil.com. 60 IN SRV 0 0 123 evil:x.contoso.com."
    local-data: "_ntp._udp.evil.com. 60 IN SRV 0 0 123 ntp1.contoso.com."
    local-zone: "dozen.com." static
    local-zone: "forty.com." static
""" + "".join(f'    local-data: "_ntp._udp.dozen.com. 60 IN SRV 0 0 123 {LONG_TARGET.format(i, i)}."\n'
              for i in range(12))
            + "".join(f'    local-data: "_ntp._udp.forty.com. 60 IN SRV 0 0 123 {LONG_TARGET.format(i, i)}."\n'
                      for i in range(40)) + """remote-control:
    control-enable: no
""")
        d = lab.start("unbound", self.srv, ["unbound", "-d", "-v", "-c", conf], platform=True)
        expect(d.wait_for("start of service", 10), "unbound:\n" + d.log())

    def chronyd(self, name, conf, user="_chrony"):
        path = os.path.join(self.work, f"chrony-{name}.conf")
        with open(path, "w") as f:
            f.write(conf + f"pidfile {self.work}/chronyd-{name}.pid\n")
        d = self.lab.start(f"chronyd-{name}", self.srv, ["chronyd", "-d", "-x", "-u", user,
                                                         "-f", path], platform=True)
        expect(d.wait_for("chronyd version", 10), f"chronyd {name}:\n" + d.log())
        return d

    def check(self, *args, ns=None):
        return self.lab.ns_run(ns or self.phone, self.checker, "-t", "0.5", *args, check=False,
                               timeout=60, platform=True)


site = site_fixture(Site)


def test_synchronised_server_ok(site):
    """synchronised chronyd: OK, perfdata"""
    out = site.check("-H", "10.100.0.1")
    expect_eq(out.returncode, 0, "exit status: " + out.stdout + out.stderr)
    status, _, perf = out.stdout.partition("|")
    expect(status.startswith("NTP OK: 1 target"), status)
    expect(len(PERFDATA.findall(perf)) == 4, f"perfdata: {perf!r}")


def test_unsynchronised_server_critical(site):
    """unsynchronised chronyd: CRITICAL"""
    out = site.check("-H", "10.100.0.2")
    expect_eq(out.returncode, 2, "exit status")
    expect("10.100.0.2 CRITICAL: unsynchronised" in out.stdout, out.stdout)


def test_denying_server_critical(site):
    """chronyd denying the phone subnet: CRITICAL, no answer"""
    out = site.check("-H", "10.100.0.3")
    expect_eq(out.returncode, 2, "exit status")
    expect("no answer within 500 ms" in out.stdout, out.stdout)


@pytest.mark.parametrize("addr,text", [
    ("10.100.0.4", "Kiss-o'-Death RATE (rate limited)"),
    ("10.100.0.5", "Kiss-o'-Death DENY (access denied)"),
    ("10.100.0.6", "origin timestamp does not match"),
    ("10.100.0.7", "unsynchronised (leap 3"),
    ("10.100.0.8", "unsynchronised (leap 0, stratum 16)"),
    ("10.100.0.9", "shorter than an NTP header")],
    ids=["kod-rate", "kod-deny", "wrong-origin", "leap3", "stratum16", "truncated"])
def test_misbehaving(site, addr, text):
    """responder {id}: CRITICAL, named"""
    out = site.check("-H", addr)
    expect_eq(out.returncode, 2, f"exit status: {out.stdout}")
    expect(text in out.stdout, f"{text!r} not in {out.stdout!r}")


def test_offset_thresholds(site):
    """offset thresholds in check_ntp_time's range syntax"""
    out = site.check("-H", "10.100.0.10", "-w", "1", "-c", "10")
    expect_eq(out.returncode, 1, "WARNING at 5 s: " + out.stdout)
    expect(re.search(r"offset (4\.99\d*|5(\.0\d*)?) outside its WARNING range",
                     out.stdout), out.stdout)
    out = site.check("-H", "10.100.0.10", "-w", "1", "-c", "2")
    expect_eq(out.returncode, 2, "CRITICAL at 5 s")
    out = site.check("-H", "10.100.0.10", "-w", "~:10", "-c", "@20:30")
    expect_eq(out.returncode, 0, "ranges that allow 5 s")


def test_stratum_thresholds(site):
    """stratum and root-distance thresholds"""
    out = site.check("-H", "10.100.0.1", "--stratum-warn", "5", "--stratum-crit", "10")
    expect_eq(out.returncode, 1, "stratum 8 warns above 5: " + out.stdout)
    expect("'stratum_10.100.0.1'=8;5;10;0;16" in out.stdout, out.stdout)
    out = site.check("-H", "10.100.0.1", "--rootdist-crit", "0.000000001")
    expect_eq(out.returncode, 2, "root distance")


def test_srv_targets(site):
    """--srv: targets from _ntp._udp SRV; missing record"""
    out = site.check("--srv", "contoso.com", "--dns-server", "10.100.0.1", "--json")
    doc = json.loads(out.stdout)
    names = sorted(t["target"] for t in doc["targets"])
    expect_eq(names, ["ntp1.contoso.com", "ntp2.contoso.com"], "targets from SRV")
    expect_eq(doc["status"], "CRITICAL", "ntp2 is unsynchronised")
    expect_eq(out.returncode, 2, "exit status")
    out = site.check("--srv", "fabrikam.com", "--dns-server", "10.100.0.1")
    expect_eq(out.returncode, 2, "no SRV record is CRITICAL")
    expect("time.windows.com" in out.stderr, out.stderr)


def test_site_config_targets(site):
    """--site-config: the targets the DNS side advertises"""
    conf = os.path.join(site.work, "lyncboot.conf")
    with open(conf, "w") as f:
        f.write("domain: contoso.com\n    ntp: ntp1.contoso.com\n    ntp: ntp2.contoso.com\n")
    out = site.check("--site-config", conf, "--dns-server", "10.100.0.1", "--json")
    doc = json.loads(out.stdout)
    by = {t["target"]: t["status"] for t in doc["targets"]}
    expect_eq(by, {"ntp1.contoso.com": "OK", "ntp2.contoso.com": "CRITICAL"}, "targets")
    with open(conf, "w") as f:
        f.write("domain: contoso.com\n    ntp: ntp1.contoso.com 0\n")
    out = site.check("--site-config", conf)
    expect_eq(out.returncode, 3, "bad site config is UNKNOWN")
    expect(f"{conf}:2: ntp port '0'" in out.stderr, out.stderr)


def test_json_prometheus_health(site):
    """--json, --prometheus, --health-file (mode 0644)"""
    prom = os.path.join(site.work, "ntp.prom")
    health = os.path.join(site.work, "ntp-health")
    out = site.check("-H", "10.100.0.1", "-H", "10.100.0.3", "--json",
                     "--prometheus", prom, "--health-file", health)
    doc = json.loads(out.stdout)
    expect_eq(doc["exit_code"], 2, "json exit code")
    by = {t["address"]: t for t in doc["targets"]}
    expect_eq(by["10.100.0.1"]["stratum"], 8, "stratum in JSON")
    expect_eq(by["10.100.0.3"]["status"], "CRITICAL", "denied target")
    text = open(prom).read()
    expect('lyncboot_ntp_up{target="10.100.0.1"} 1' in text, text)
    expect('lyncboot_ntp_up{target="10.100.0.3"} 0' in text, text)
    expect("lyncboot_ntp_check_status 2" in text, text)
    lines = open(health).read().splitlines()
    # Readable by unbound's module and the publisher (other users), written by
    # its writer alone.
    expect_eq(oct(os.stat(health).st_mode & 0o777), oct(0o644), "health file mode")
    expect_eq(lines[0], "# lyncboot-ntp-health 1", "health header")
    expect(re.match(r"10\.100\.0\.1 123 healthy \d+ offset", lines[1]), lines[1])
    expect(re.match(r"10\.100\.0\.3 123 unhealthy \d+ no answer", lines[2]), lines[2])


def test_srv_target_not_a_host_name(site):
    """an SRV target that is not a host name: CRITICAL, named; --interval goes on"""
    out = site.check("--srv", "evil.com", "--dns-server", "10.100.0.1", "--json")
    expect_eq(out.returncode, 2, "exit status: " + out.stdout + out.stderr)
    by = {t["target"]: t for t in json.loads(out.stdout)["targets"]}
    expect_eq(sorted(by), ["evil:x.contoso.com", "ntp1.contoso.com"], "both targets")
    expect(by["evil:x.contoso.com"]["problem"].startswith("not a host name"),
           by["evil:x.contoso.com"])
    expect_eq(by["ntp1.contoso.com"]["status"], "OK", "the good target is checked")
    # A monitoring loop: every round reports it, none exits, the health file
    # keeps the good target (and nothing the DNS side could not name).
    health = os.path.join(site.work, "evil-health")
    d = site.lab.start("interval-evil", site.phone,
                       [site.checker, "--srv", "evil.com", "--dns-server", "10.100.0.1",
                        "-t", "0.5", "--interval", "1", "--health-file", health],
                       platform=True)
    try:
        expect(d.wait_for_count("NTP CRITICAL", 2, 8), "two rounds:\n" + d.log())
        expect(d.proc.poll() is None, "still running:\n" + d.log())
        lines = open(health).read().splitlines()
        expect(re.match(r"ntp1\.contoso\.com 123 healthy ", lines[1]), lines)
        expect_eq(len(lines), 2, "only the host name in the health file")
    finally:
        d.stop()


def test_many_srv_targets_edns_and_tcp(site):
    """12 and 40 SRV targets: EDNS0, then TCP on TC"""
    for domain, count in (("dozen.com", 12), ("forty.com", 40)):
        out = site.check("--srv", domain, "--dns-server", "10.100.0.1", "--json")
        doc = json.loads(out.stdout)
        names = sorted(t["target"] for t in doc["targets"])
        expect_eq(names, sorted(LONG_TARGET.format(i, i) for i in range(count)),
                  f"{domain}: every SRV target ({out.stderr})")
        expect("no SRV record" not in out.stderr, out.stderr)


def test_labels_escaped(site):
    """Prometheus label values and perfdata labels escaped"""
    prom = os.path.join(site.work, "escape.prom")
    out = site.check("-H", 'a"}b', "-H", "x'y=z:123", "-H", "10.100.0.1",
                     "--prometheus", prom)
    expect_eq(out.returncode, 2, out.stdout)
    text = open(prom).read()
    expect('lyncboot_ntp_up{target="a\\"}b"} 0' in text, text)
    sample = re.compile(r'^[a-z_]+(\{target="(?:[^"\\\n]|\\.)*"\})? -?[0-9.e+-]+$')
    for line in text.splitlines():
        expect(line.startswith("#") or sample.match(line), f"not exposition: {line!r}")
    _, _, perf = out.stdout.partition("|")
    expect(len(PERFDATA.findall(perf)) == 4, f"perfdata: {perf!r}")


def test_prometheus_never_follows_a_planted_link(site):
    """--prometheus never writes through a planted symlink"""
    # A user who can write the textfile directory plants a link where the old
    # temporary file went (FILE.<pid>.tmp; exec keeps the shell's pid).
    textdir = os.path.join(site.work, "textfile")
    os.makedirs(textdir, exist_ok=True)
    victim = os.path.join(site.work, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    prom = os.path.join(textdir, "ntp.prom")
    out = site.lab.ns_run(site.phone, "sh", "-c",
                          f'ln -s {victim} {prom}.$$.tmp; ln -s {victim} {prom}; '
                          f'exec "$@"', "sh", site.checker, "-t", "0.5", "-H",
                          "10.100.0.1", "--prometheus", prom, check=False,
                          platform=True)
    expect_eq(out.returncode, 0, out.stdout + out.stderr)
    expect_eq(open(victim).read(), "precious\n", "the link's target is untouched")
    expect(not os.path.islink(prom) and "lyncboot_ntp_up" in open(prom).read(),
           "FILE is a new regular file")
    expect_eq(oct(os.stat(prom).st_mode & 0o777), oct(0o644), "node-exporter reads it")


def test_source_address(site):
    """--source: from a phone-subnet address"""
    site.lab.ns_run(site.phone, "ip", "addr", "add", "10.100.0.77/24", "dev", "p-ph")
    out = site.check("-H", "10.100.0.1", "--source", "10.100.0.77")
    expect_eq(out.returncode, 0, out.stdout + out.stderr)
    out = site.check("-H", "10.100.0.1", "--source", "192.0.2.1")
    expect_eq(out.returncode, 2, "an address this host lacks: " + out.stdout)
    expect("cannot send from --source" in out.stdout, out.stdout)


def test_local_chronyd(site):
    """--chrony: local chronyd via chronyc; none there"""
    out = site.check("--chrony", "--chronyc-host", "127.0.0.1", ns=site.srv)
    expect_eq(out.returncode, 0, out.stdout + out.stderr)
    expect("chronyd OK" in out.stdout, out.stdout)
    out = site.check("--chrony", "--chronyc-host", "127.0.0.1", "--json", ns=site.srv)
    doc = json.loads(out.stdout)
    expect_eq(doc["chrony"]["stratum"], 8, "tracking parsed")
    expect("worst_std_dev" in doc["chrony"], "sourcestats read")
    out = site.check("--chrony", "--chronyc-host", "127.0.0.1", ns=site.phone)
    expect_eq(out.returncode, 2, "no chronyd there: " + out.stdout)
    expect("chronyd not answering" in out.stdout, out.stdout)


def test_chronyd_as_chrony_over_its_socket(site):
    """--chrony: chronyd as _chrony over its unix socket, checker as root"""
    # As Debian runs it: chronyd as _chrony, its command socket in a directory of
    # _chrony's, the checker as root. chronyc 4.8 and later drop to _chrony
    # themselves when run as root; earlier ones stay root. Both must get in.
    sockdir = os.path.join(site.work, "chrony-run")
    os.makedirs(sockdir, exist_ok=True)
    ids = site.lab.ns_run(site.srv, "sh", "-c", "id -u _chrony; id -g _chrony",
                          platform=True).stdout.split()
    os.chown(sockdir, int(ids[0]), int(ids[1]))
    os.chmod(sockdir, 0o750)
    sock = os.path.join(sockdir, "chronyd.sock")
    site.chronyd("d", f"local stratum 9\nbindaddress 10.100.0.11\nport 0\n"
                      f"bindcmdaddress {sock}\ncmdport 0\n", user="_chrony")
    out = site.check("--chrony", "--chronyc-host", sock, "--json", ns=site.srv)
    doc = json.loads(out.stdout)
    expect_eq(doc["chrony"]["stratum"], 9, "tracking over the unix socket: " + out.stdout)


def test_usage_errors(site):
    """usage errors: UNKNOWN (3) with the reason"""
    for args, text in ((["-w", "abc", "-H", "x"], "'abc' is not a range"),
                       ([], "nothing to check"),
                       (["-H", "10.0.0.1:99999"], "bad port")):
        out = site.check(*args)
        expect_eq(out.returncode, 3, f"UNKNOWN for {args}")
        expect(text in out.stderr, out.stderr)


def test_deadline_ends_a_single_run(site):
    """--deadline ends a single run with UNKNOWN"""
    # 10.100.0.3 never answers: 3 samples of 5 s would take 15 s; the deadline
    # ends the whole check after 1 s with UNKNOWN, as check_ntp_time's -t does.
    began = time.monotonic()
    out = site.check("-H", "10.100.0.3", "-t", "5", "--deadline", "1")
    took = time.monotonic() - began
    expect_eq(out.returncode, 3, "UNKNOWN: " + out.stdout + out.stderr)
    expect("NTP UNKNOWN: the check did not finish within 1 s (--deadline)" in out.stdout,
           out.stdout)
    expect(took < 10, f"ended by the deadline, not the samples ({took:.1f} s)")
    bad = site.check("-H", "10.100.0.1", "--deadline", "0")
    expect_eq(bad.returncode, 3, "a bad --deadline is a usage error")
    expect("--deadline '0': seconds, 0.1-3600" in bad.stderr, bad.stderr)


def test_interval_keeps_running(site):
    """--interval rewrites the health file, stops on SIGTERM"""
    health = os.path.join(site.work, "interval-health")
    d = site.lab.start("interval", site.phone, [site.checker, "-H", "10.100.0.1", "-t",
                                                "0.5", "--interval", "1", "--health-file",
                                                health], platform=True)
    try:
        expect(d.wait_for("NTP OK", 5), "first round")
        # The status line of a round may come out before its health file.
        deadline = time.monotonic() + 3
        while not os.path.exists(health) and time.monotonic() < deadline:
            time.sleep(0.05)
        first = os.stat(health).st_mtime_ns
        expect(d.wait_for_count("NTP OK", 2, 5), "second round")
        deadline = time.monotonic() + 3
        while os.stat(health).st_mtime_ns <= first and time.monotonic() < deadline:
            time.sleep(0.05)
        expect(os.stat(health).st_mtime_ns > first, "health file rewritten")
    finally:
        d.stop()
    expect_eq(d.proc.returncode, 0, "stops cleanly on SIGTERM")


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
