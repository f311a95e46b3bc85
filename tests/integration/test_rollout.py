#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""lyncboot-rollout against a site of real servers (test_probe_bootstrap's site) that
records what each phone did: kea-dhcp4 with the hook remembering phones (lyncboot-phones
on its authenticated control socket), unbound sending dnstap to Debian's fstrm_capture,
chronyd with its command socket (chronyc clients), nginx writing a combined access log.

Phones, each its own MAC and address on the same segments, stopped at each step in turn:
  vlan    CPE-OCPHONE on the data port, never on the voice VLAN (no voice-VLAN trunk)
  lease   a lease on the voice VLAN, no DHCPINFORM
  inform  a reservation hands it option 6 = an address with no DNS server
  dns     nftables in the server drops its UDP 123
  time    nftables drops its TCP 80 (the chain URL unreachable)
  chain   nothing in its way
lyncboot-rollout names each one's step and cause, in the table, JSON, Prometheus and
HTML (read back by headless chromium); then its sources break: a dnstap file cut in a
frame, frames that are not dnstap, the collector's socket gone, chronyd down, Kea's
socket gone.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (BUILD, expect, expect_eq, kea_command,  # noqa: E402
                    require_root_and_hook, run_tests)
import test_probe_bootstrap as bootstrap  # noqa: E402

ROLLOUT = os.path.join(BUILD, "rollout", "lyncboot-rollout")
UDHCPC_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "udhcpc_script.sh")
WRONG_DNS = "10.100.0.9"
# The step each phone is made to stop at, and a MAC of its own.
PHONES = {"vlan": "02:1b:00:00:00:01", "lease": "02:1b:00:00:00:02",
          "inform": "02:1b:00:00:00:03", "dns": "02:1b:00:00:00:04",
          "time": "02:1b:00:00:00:05", "chain": "02:1b:00:00:00:06"}
CAUSES = {"vlan": "the switch port is not tagging VLAN 100",
          "lease": "no DHCPINFORM answered",
          "inform": "wrong DNS server in option 6",
          "dns": "SRV answered, no NTP query: UDP 123 filtered",
          "time": "time set, no CA chain download"}


class RolloutSite(bootstrap.Site):
    """The probe's site with what rollout tracking needs switched on, as the Ansible
    roles switch it on (dnstap to a collector's socket, the hook parameter, chronyd's
    command socket, an access log)."""

    def __init__(self):
        self.capture = None
        self.leases = {}
        super().__init__()

    def paths(self):
        work = self.work
        return {"dnstap_dir": f"{work}/dnstap", "dnstap_sock": f"{work}/dnstap/dnstap.sock",
                "dnstap_file": f"{work}/dnstap/unbound.fstrm",
                "chrony_dir": f"{work}/chrony-run",
                "chrony_sock": f"{work}/chrony-run/chronyd.sock",
                "access_log": f"{work}/access.log"}

    def kea(self, config):
        dhcp4 = config["Dhcp4"]
        dhcp4["control-socket"] = {"socket-type": "unix",
                                   "socket-name": self.lab.kea_socket()}
        dhcp4["hooks-libraries"][0]["parameters"].setdefault("phones-tracked", 1000)
        voice = dhcp4["subnet4"][0]
        voice["reservations"] = [{"hw-address": PHONES["inform"], "option-data": [
            {"name": "domain-name-servers", "data": WRONG_DNS}]}]
        super().kea(config)

    def start_capture(self):
        """Debian's fstrm_capture as the dnstap collector, as lyncboot-dnstap.service runs
        it: a user of its own (the unit's DynamicUser; nobody here, without systemd) in
        group unbound, umask 007, so unbound alone may write to its socket."""
        p = self.paths()
        os.makedirs(p["dnstap_dir"], exist_ok=True)
        shutil.chown(p["dnstap_dir"], "nobody", "unbound")
        os.chmod(p["dnstap_dir"], 0o750)
        if os.path.exists(p["dnstap_sock"]):
            os.unlink(p["dnstap_sock"])
        self.capture = self.lab.start(
            "fstrm_capture", self.srv,
            ["setpriv", "--reuid=nobody", "--regid=unbound", "--clear-groups",
             "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "sh", "-c",
             'umask 007 && exec fstrm_capture -t protobuf:dnstap.Dnstap -u "$0" -w "$1"',
             p["dnstap_sock"], p["dnstap_file"]], stop_signal=signal.SIGINT)
        for _ in range(50):
            if os.path.exists(p["dnstap_sock"]):
                return
            time.sleep(0.1)
        raise AssertionError("fstrm_capture made no socket:\n" + self.capture.log())

    def flush_capture(self):
        """fstrm_capture writes through stdio; SIGHUP makes it flush (what the role's
        unit does on reload, before a report). unbound's dnstap thread sends its frames
        in batches, so flush until the file stops growing."""
        path, size, flushes = self.paths()["dnstap_file"], -1, 0
        for _ in range(20):
            time.sleep(1)
            os.kill(self.capture.proc.pid, signal.SIGHUP)
            flushes += 1
            self.capture.wait_for_count("flushing output", flushes, 5)
            now = os.path.getsize(path)
            if now == size and now > 0:
                return
            size = now
        raise AssertionError("the dnstap capture kept growing")

    def unbound(self, **kw):
        if self.capture is None:
            self.start_capture()
        super().unbound(dnstap_socket=self.paths()["dnstap_sock"], **kw)

    def chronyd(self, access, extra=""):
        p = self.paths()
        os.makedirs(p["chrony_dir"], mode=0o750, exist_ok=True)
        shutil.chown(p["chrony_dir"], "_chrony", "_chrony")
        super().chronyd(access, f"bindcmdaddress {p['chrony_sock']}\n{extra}")

    def nginx(self, cert, **kw):
        kw.setdefault("access_log", f"{self.paths()['access_log']} combined")
        super().nginx(cert, **kw)

    # The phones.

    def be_phone(self, mac, address=None):
        for ifname in ("p-voice", "p-data"):
            self.lab.ns_run(self.phone, "ip", "link", "set", ifname, "down")
            self.lab.ns_run(self.phone, "ip", "link", "set", ifname, "address", mac)
            self.lab.ns_run(self.phone, "ip", "link", "set", ifname, "up")
        self.lab.ns_run(self.phone, "ip", "addr", "flush", "dev", "p-voice")
        if address:
            self.lab.ns_run(self.phone, "ip", "addr", "add", f"{address}/24", "dev", "p-voice")

    def udhcpc(self, ifname, vendor_class):
        out = os.path.join(self.work, "udhcpc.env")
        if os.path.exists(out):
            os.unlink(out)
        self.lab.ns_run(self.phone, "env", f"LYNCBOOT_UDHCPC_OUT={out}", "busybox", "udhcpc",
                        "-i", ifname, "-f", "-q", "-n", "-t", "3", "-T", "1", "-V",
                        vendor_class, "-O", "43", "-s", UDHCPC_SCRIPT, check=False)
        expect(os.path.exists(out), f"udhcpc on {ifname} got no lease")
        with open(out) as f:
            return dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)

    def nft(self, *rule):
        self.lab.ns_run(self.srv, "nft", *rule)

    def walk(self, stop):
        """One phone, made to stop at `stop`."""
        mac = PHONES[stop]
        self.be_phone(mac)
        self.udhcpc("p-data", "CPE-OCPHONE")
        if stop == "vlan":
            return
        lease = self.udhcpc("p-voice", "MS-UC-Client")["ip"]
        self.leases[stop] = lease
        if stop == "lease":
            return
        self.be_phone(mac, lease)
        if stop == "dns":
            self.nft("add", "rule", "inet", "rollout", "input", "ip", "saddr", lease, "udp",
                     "dport", "123", "drop")
        if stop == "time":
            self.nft("add", "rule", "inet", "rollout", "input", "ip", "saddr", lease, "tcp",
                     "dport", "80", "drop")
        self.bootstrap("--json")

    def rollout(self, *args, sources=True):
        p = self.paths()
        argv = [ROLLOUT, "--kea-socket", self.lab.kea_socket()]
        if sources:
            argv += ["--dnstap", p["dnstap_file"], "--dnstap-socket", p["dnstap_sock"],
                     "--chrony-socket", p["chrony_sock"], "--access-log", p["access_log"]]
        return self.lab.ns_run(self.srv, *argv, *args, check=False)

    def rollout_json(self, *args, **kw):
        out = self.rollout("--json", *args, **kw)
        expect(out.stdout.startswith("{"), "no JSON:\n" + out.stdout + out.stderr)
        return out, json.loads(out.stdout)


@pytest.fixture(scope="module")
def walked():
    """every phone walked once, each stopped at its step"""
    require_root_and_hook()
    site = RolloutSite()
    with site.lab:
        site.nft("add", "table", "inet", "rollout")
        site.nft("add", "chain", "inet", "rollout", "input",
                 "{ type filter hook input priority 0 ; }")
        for stop in PHONES:
            site.walk(stop)
        site.flush_capture()
        yield site


def phones_by_mac(doc):
    return {p["hw-address"]: p for p in doc["phones"]}


def test_each_phone_step_and_cause(walked):
    """each phone: the furthest step it reached and the likely cause (JSON)"""
    out = walked.rollout("--json")
    expect_eq(out.returncode, 1, "exit status (phones stuck)\n" + out.stdout + out.stderr)
    doc = json.loads(out.stdout)
    phones = phones_by_mac(doc)
    for stop, mac in PHONES.items():
        expect(mac in phones, f"phone {stop} ({mac}) missing:\n{out.stdout}")
        phone = phones[mac]
        expect_eq(phone["reached"], stop, f"phone {stop}'s step: {phone}")
        if stop == "chain":
            expect_eq(phone["stuck"], False, "the healthy phone is not stuck")
        else:
            expect_eq(phone["stuck"], True, f"phone {stop} stuck")
            expect(CAUSES[stop] in phone["cause"], f"phone {stop}'s cause: {phone['cause']}")
        expect_eq(phone["voice-vlan"], 100, f"phone {stop}'s VLAN")
    expect_eq(doc["stuck-count"], 5, "stuck count")
    expect_eq(doc["partial"], False, "every source read: " + repr(doc["problems"]))


def test_dnstap_read_independently(walked):
    """the capture as Debian's dnstap-ldns reads it: as many client responses as lyncboot"""
    if not shutil.which("dnstap-ldns"):
        pytest.skip("dnstap-ldns is not installed")
    out = subprocess.run(["dnstap-ldns", "-r", walked.paths()["dnstap_file"]],
                         capture_output=True, text=True, timeout=60)
    responses = [line for line in out.stdout.splitlines()
                 if re.match(r"\S+ \S+ CR \d+\.\d+\.\d+\.\d+ ", line)]
    expect(responses, "dnstap-ldns read no client response:\n" + out.stdout + out.stderr)
    _, doc = walked.rollout_json()
    dns = next(line for line in doc["sources"] if line.startswith("DNS: "))
    expect(dns.startswith(f"DNS: {len(responses)} client response(s) in "),
           f"{dns!r}, dnstap-ldns: {len(responses)}")
    ours = {walked.leases[stop] for stop in ("dns", "time", "chain")}
    theirs = {line.split()[3] for line in responses if '"_ntp._udp.contoso.com."' in line}
    expect_eq(theirs, ours, "the phones dnstap-ldns saw look up _ntp._udp")


def test_table(walked):
    """terminal table: counts per VLAN and the stuck phones with their causes"""
    out = walked.rollout()
    expect_eq(out.returncode, 1, "exit status\n" + out.stdout + out.stderr)
    expect("6 phone(s), 5 stuck before 'chain'" in out.stdout, out.stdout)
    row = re.search(r"^  100 +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)$", out.stdout,
                    re.M)
    expect(row, "no row for VLAN 100:\n" + out.stdout)
    expect_eq([int(n) for n in row.groups()], [6, 5, 4, 3, 2, 1, 5], "VLAN 100's counts")
    for stop, cause in CAUSES.items():
        line = next((ln for ln in out.stdout.splitlines() if PHONES[stop] in ln), "")
        expect(cause in line, f"phone {stop}: {line!r}")
    expect(PHONES["chain"] not in out.stdout, "the healthy phone is not listed as stuck")


def test_prometheus(walked):
    """--prometheus: phones per step and VLAN, stuck per step, every source up"""
    out = walked.rollout("--prometheus")
    expect_eq(out.returncode, 1, "exit status\n" + out.stderr)
    metrics = dict(re.findall(r"^(lyncboot_rollout_\S+) (\d+)$", out.stdout, re.M))
    for step, count in (("vlan", 6), ("lease", 5), ("inform", 4), ("dns", 3), ("time", 2),
                        ("chain", 1)):
        expect_eq(metrics.get(f'lyncboot_rollout_phones{{vlan="100",step="{step}"}}'),
                  str(count), f"phones at {step}")
    for step in CAUSES:
        expect_eq(metrics.get(f'lyncboot_rollout_stuck{{vlan="100",step="{step}"}}'), "1",
                  f"stuck at {step}")
    for source in ("dhcp", "dns", "ntp", "web"):
        expect_eq(metrics.get(f'lyncboot_rollout_source_up{{source="{source}"}}'), "1", source)
    expect_eq(metrics.get("lyncboot_rollout_tracked"), "6", "tracked")
    expect("# TYPE lyncboot_rollout_phones gauge" in out.stdout, "TYPE line")


def chromium_dom(path):
    """The report as headless chromium builds it (the page's DOM after parsing)."""
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian's chromium is not installed")
    profile = path + ".profile"
    out = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                          "--no-first-run", f"--user-data-dir={profile}",
                          "--dump-dom", "file://" + path],
                         capture_output=True, text=True, timeout=120)
    shutil.rmtree(profile, ignore_errors=True)
    expect("<table" in out.stdout, "chromium showed no table:\n" + out.stderr[-2000:])
    return out.stdout


def test_html_in_chromium(walked):
    """--html: a self-contained page whose counts headless chromium shows"""
    path = os.path.join(walked.work, "rollout.html")
    out = walked.rollout("--html", path)
    expect_eq(out.returncode, 1, "exit status\n" + out.stderr)
    with open(path) as f:
        page = f.read()
    for external in ("src=", "<link", "<script", "url(", "@import"):
        expect(external not in page, f"the page loads something: {external}")
    dom = chromium_dom(path)
    cells = dict(((vlan, step), int(n)) for vlan, step, n in re.findall(
        r'data-vlan="(\w+)" data-step="(\w+)">(\d+)<', dom))
    for step, count in (("vlan", 6), ("lease", 5), ("inform", 4), ("dns", 3), ("time", 2),
                        ("chain", 1), ("stuck", 5)):
        expect_eq(cells.get(("100", step)), count, f"the page's count for {step}")
    rows = re.findall(r'<tr class="phone" data-step="(\w+)">(.*?)</tr>', dom)
    expect_eq(sorted(step for step, _ in rows), sorted(CAUSES), "stuck rows")
    for step, row in rows:
        expect(PHONES[step] in row and CAUSES[step] in row, f"row {step}: {row}")


def test_saved_answers(walked):
    """--phones and --chrony-clients: saved answers give the same report"""
    phones = os.path.join(walked.work, "phones.json")
    with open(phones, "w") as f:
        json.dump(kea_command(walked.lab.kea_socket(), "lyncboot-phones"), f)
    clients = os.path.join(walked.work, "clients.csv")
    with open(clients, "w") as f:
        f.write(walked.lab.ns_run(walked.srv, "chronyc", "-c", "-n", "-h",
                                  walked.paths()["chrony_sock"], "clients").stdout)
    p = walked.paths()
    out = walked.lab.ns_run(walked.srv, ROLLOUT, "--phones", phones, "--dnstap",
                            p["dnstap_dir"], "--chrony-clients", clients, "--access-log",
                            p["access_log"], "--json", check=False)
    doc = json.loads(out.stdout)
    got = {p["hw-address"]: p["reached"] for p in doc["phones"]}
    expect_eq(got, {mac: stop for stop, mac in PHONES.items()}, "steps from saved answers")


def test_two_dhcp_servers(walked):
    """an HA pair's two answers (--phones twice, overlapping): phones merged by MAC"""
    answer = kea_command(walked.lab.kea_socket(), "lyncboot-phones")
    phones = answer["arguments"]["phones"]
    first, second = json.loads(json.dumps(answer)), json.loads(json.dumps(answer))
    first["arguments"]["phones"] = json.loads(json.dumps(phones[:4]))
    second["arguments"]["phones"] = json.loads(json.dumps(phones[2:]))
    for phone in second["arguments"]["phones"][:2]:  # the overlap: one server saw less
        phone["steps"].pop("inform", None)
        phone["last-seen"] -= 100
    paths = []
    for name, doc in (("a", first), ("b", second)):
        paths.append(os.path.join(walked.work, f"phones-{name}.json"))
        with open(paths[-1], "w") as f:
            json.dump(doc, f)
    p = walked.paths()
    out = walked.lab.ns_run(walked.srv, ROLLOUT, "--phones", paths[0], "--phones", paths[1],
                            "--dnstap", p["dnstap_dir"], "--chrony-socket", p["chrony_sock"],
                            "--access-log", p["access_log"], "--json", check=False)
    doc = json.loads(out.stdout)
    got = {p["hw-address"]: p["reached"] for p in doc["phones"]}
    expect_eq(got, {mac: stop for stop, mac in PHONES.items()}, "steps, merged")
    expect("2 phone(s) answered by more than one server, merged" in doc["sources"][2],
           repr(doc["sources"]))


def dnstap_bytes(walked):
    with open(walked.paths()["dnstap_file"], "rb") as f:
        return f.read()


def test_dnstap_cut_in_a_frame(walked):
    """a dnstap file cut inside a frame: named, what came before it counts"""
    data = dnstap_bytes(walked)
    path = os.path.join(walked.work, "cut.fstrm")
    with open(path, "wb") as f:
        f.write(data[:len(data) - 40])
    out = walked.lab.ns_run(walked.srv, ROLLOUT, "--kea-socket", walked.lab.kea_socket(),
                            "--dnstap", path, "--json", check=False)
    expect_eq(out.returncode, 1, "exit status\n" + out.stderr)
    doc = json.loads(out.stdout)
    expect_eq(doc["partial"], True, "partial")
    problem = doc["problems"][0]
    expect(path in problem and "frame(s) before it were read" in problem, problem)
    expect(f"partial report: dnstap: {path}" in out.stderr, "said on stderr:\n" + out.stderr)
    reached = {p["hw-address"]: p["reached"] for p in doc["phones"]}
    expect_eq(reached[PHONES["time"]], "dns", "a phone whose DNS came before the cut")


def test_dnstap_frames_not_dnstap(walked):
    """frames that are not dnstap, and a file that is not Frame Streams: named, no crash"""
    data = dnstap_bytes(walked)
    start_len = int.from_bytes(data[4:8], "big")
    head = data[:8 + start_len]
    junk = b"\x0a\xff\xff\xff\x7f" + b"hello"  # a field longer than the frame
    mixed = head + len(junk).to_bytes(4, "big") + junk + data[8 + start_len:]
    bad = os.path.join(walked.work, "mixed.fstrm")
    with open(bad, "wb") as f:
        f.write(mixed)
    text = os.path.join(walked.work, "text.fstrm")
    with open(text, "w") as f:
        f.write("this is a log file, not a dnstap capture\n")
    out = walked.lab.ns_run(walked.srv, ROLLOUT, "--kea-socket", walked.lab.kea_socket(),
                            "--dnstap", bad, "--dnstap", text, "--json", check=False)
    expect_eq(out.returncode, 1, "exit status\n" + out.stderr)
    doc = json.loads(out.stdout)
    problems = "\n".join(doc["problems"])
    expect(f"{bad}: 1 frame(s) not dnstap messages, skipped (the first: frame 1:" in problems,
           problems)
    expect(f"dnstap: {text}: " in problems, problems)
    reached = {p["hw-address"]: p["reached"] for p in doc["phones"]}
    expect_eq(reached[PHONES["time"]], "dns", "the good frames still count")


def test_bad_arguments_and_kea_gone(walked):
    """bad arguments, and Kea's socket gone: exit 2, the option or the path named"""
    for args, text in ((["--timeout", "0", "--phones", "x"], "--timeout '0'"),
                       ([], "give the DHCP source"),
                       (["--phones", "/nonexistent/a", "--kea-socket", "b"],
                        "/nonexistent/a: No such file or directory"),
                       (["--phones", "/nonexistent/phones.json"], "/nonexistent/phones.json"),
                       (["--kea-socket", "/nonexistent/kea.sock"],
                        "Kea control socket /nonexistent/kea.sock"),
                       (["--phones", UDHCPC_SCRIPT], f"{UDHCPC_SCRIPT}: not Kea's JSON")):
        out = subprocess.run([ROLLOUT, *args], capture_output=True, text=True)
        expect_eq(out.returncode, 2, f"{args}: exit status")
        expect(text in out.stderr, f"{args}: {out.stderr}")


def test_collector_gone(walked):
    """the dnstap collector gone: unbound still answers, the report names it"""
    walked.capture.stop()
    dig = walked.lab.ns_run(walked.phone, "dig", "+short", "+time=2", "@" + bootstrap.SRV_ADDR,
                            "_ntp._udp.contoso.com", "SRV", check=False)
    expect("ntp1.contoso.com." in dig.stdout, "unbound stopped answering:\n" + dig.stdout)
    out, doc = walked.rollout_json()
    expect_eq(out.returncode, 1, "exit status")
    problems = "\n".join(doc["problems"])
    expect("nothing collects unbound's dnstap now" in problems, problems)
    reached = {p["hw-address"]: p["reached"] for p in doc["phones"]}
    expect_eq(reached[PHONES["chain"]], "chain", "phones before the capture's end count")
    out = walked.rollout("--prometheus")
    expect('lyncboot_rollout_source_up{source="dns"} 0' in out.stdout, out.stdout)


def test_chronyd_down(walked):
    """chronyd down: chronyc's answer named, a partial report"""
    walked.daemons["chronyd"].stop()
    out, doc = walked.rollout_json()
    expect_eq(out.returncode, 1, "exit status")
    problems = "\n".join(doc["problems"])
    expect("NTP: chronyc clients -h " in problems and "time steps not known" in problems,
           problems)
    expect_eq(len(doc["phones"]), 6, "every phone still reported")
    out = walked.rollout("--prometheus")
    expect('lyncboot_rollout_source_up{source="ntp"} 0' in out.stdout, out.stdout)


if __name__ == "__main__":
    run_tests(__file__)
