#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""lyncboot-probe bootstrap against a whole site of real servers in namespaces:

  [srv] 10.100.0.1: kea-dhcp4 + lyncboot hook (options 43/120, 6, 15), unbound with the
        site's records (local-data), chronyd (local stratum 8, allow the phone VLAN),
        nginx (the CA chain over HTTP on 80, TLS on 443 as web01.contoso.com and
        ucupdates-r2.contoso.com, a stand-in Device Update handler), the stand-in
        registrar pool01.contoso.com on 5061 (sip_registrar.py: Lync's 401 with TLS-DSK),
        lldpd on the phone's untagged port when a case needs the switch
  [phone] 10.100.0.50 on the voice segment, p-data untagged; lyncboot-probe bootstrap
"""
import json
import os
import re
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (BUILD, DEBIAN_PYTHON, HOOK, Lab, expect, expect_eq, run_tests,  # noqa: E402
                    site_fixture, unbound_server_head)

PROBE = os.path.join(BUILD, "probe", "lyncboot-probe")
REGISTRAR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sip_registrar.py")
SRV_ADDR = "10.100.0.1"


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def asn1_time(unix):
    return time.strftime("%Y%m%d%H%M%SZ", time.gmtime(unix))


DAY = 86400


def make_pki(work):
    """A test root CA and server certificates: good, dated in the future, expired,
    for the wrong host, and valid by this host's clock but not yet two days ago."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "800", "-subj", "/CN=Contoso Test Root",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=work)
    with open(os.path.join(work, "ca.cnf"), "w") as f:
        f.write(f"""[ca]
default_ca = lab
[lab]
database = {work}/index.txt
new_certs_dir = {work}
serial = {work}/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
""")
    open(os.path.join(work, "index.txt"), "w").close()
    with open(os.path.join(work, "serial"), "w") as f:
        f.write("1000\n")
    now = time.time()
    # The web services' certificate carries the Device Update name too [C S21].
    for name, host, start, end in (("web", "web01.contoso.com,ucupdates-r2.contoso.com", None,
                                    None),
                                   ("web-no-updates", "web01.contoso.com", None, None),
                                   ("pool", "pool01.contoso.com", None, None),
                                   ("web-future", "web01.contoso.com", "20400101000000Z",
                                    "20410101000000Z"),
                                   ("web-expired", "web01.contoso.com",
                                    asn1_time(now - 10 * DAY), asn1_time(now - DAY)),
                                   ("web-wrong-host", "other.contoso.com", None, None),
                                   ("web-recent", "web01.contoso.com",
                                    asn1_time(now - DAY), asn1_time(now + 365 * DAY))):
        names = ",".join(f"DNS:{h}" for h in host.split(","))
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out",
                f"{name}.csr", "-subj", f"/CN={host.split(',')[0]}", "-addext",
                f"subjectAltName={names}", cwd=work)
        dates = ["-startdate", start, "-enddate", end] if start else ["-days", "365"]
        openssl("ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile",
                "ca.key", "-in", f"{name}.csr", "-out", f"{name}.pem", *dates, cwd=work)


def unbound_conf(work, ntp_srv=True, strict=True, dnstap_socket=None, allow=()):
    records = [
        '"pool01.contoso.com. 300 IN A 10.100.0.1"',
        '"web01.contoso.com. 300 IN A 10.100.0.1"',
        '"ntp1.contoso.com. 300 IN A 10.100.0.1"',
        '"ucupdates-r2.contoso.com. 300 IN A 10.100.0.1"',
        '"_sipinternaltls._tcp.contoso.com. 300 IN SRV 0 0 5061 %s."'
        % ("pool01.contoso.com" if strict else "pool01.fabrikam.net"),
    ]
    if ntp_srv:
        records.append('"_ntp._udp.contoso.com. 300 IN SRV 0 0 123 ntp1.contoso.com."')
    data = "\n".join(f"    local-data: {r}" for r in records)
    access = "".join(f"    access-control: {network} allow\n" for network in allow)
    return unbound_server_head(work, SRV_ADDR) + access + f"""    module-config: "iterator"
    local-zone: "contoso.com." static
    local-zone: "windows.com." static
    local-zone: "fabrikam.net." static
{data}
remote-control:
    control-enable: no
""" + (f"""dnstap:
    dnstap-enable: yes
    dnstap-socket-path: "{dnstap_socket}"
    dnstap-log-client-query-messages: yes
    dnstap-log-client-response-messages: yes
""" if dnstap_socket else "")


class Site:
    def __init__(self):
        self.lab = lab = Lab("pb")
        self.work = lab.workdir
        self.srv = lab.netns("srv")
        self.phone = lab.netns("phone")
        lab.segment(self.srv, "v-voice", self.phone, "p-voice", "10.100.0.1/24",
                    "10.100.0.50/24")
        # The phone's port (untagged): the switch's LLDP, and DHCP for CPE-OCPHONE.
        lab.segment(self.srv, "v-data", self.phone, "p-data", "10.10.0.1/24")
        make_pki(self.work)
        self.daemons = {}
        kea = {"Dhcp4": {
            "interfaces-config": {"interfaces": ["v-voice", "v-data"],
                                  "dhcp-socket-type": "raw"},
            "lease-database": {"type": "memfile", "persist": False},
            "hooks-libraries": [{"library": HOOK, "parameters": {
                "sip-server": "pool01.contoso.com", "web-server": "web01.contoso.com"}}],
            "subnet4": [{"id": 1, "subnet": "10.100.0.0/24",
                         "pools": [{"pool": "10.100.0.100 - 10.100.0.199"}],
                         "option-data": [
                             {"name": "domain-name", "data": "contoso.com"},
                             {"name": "domain-name-servers", "data": SRV_ADDR}]},
                        {"id": 10, "subnet": "10.10.0.0/24",
                         "pools": [{"pool": "10.10.0.100 - 10.10.0.199"}],
                         "user-context": {"lyncboot": {"voice-vlan": 100}}}],
            "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                         "output_options": [{"output": "stdout"}]}]}}
        self.kea_config = kea
        self.kea(kea)
        self.unbound()
        self.chronyd("allow 10.100.0.0/24")
        self.nginx("web")
        self.registrar()

    def kea(self, config):
        if "kea" in self.daemons:
            self.daemons["kea"].stop()
        self.daemons["kea"] = self.lab.kea("kea-dhcp4", config, ns=self.srv)
        expect(self.daemons["kea"].wait_for("DHCP4_STARTED", 15), "kea-dhcp4 did not start")

    def kea_plain_hostile(self):
        """Kea without lyncboot, option 43 for MS-UC-Client made by hand (as a site with
        a broken or hostile DHCP server might): sub-option 3 carries terminal escape
        sequences in front of the web server's name."""
        config = json.loads(json.dumps(self.kea_config))
        dhcp4 = config["Dhcp4"]
        del dhcp4["hooks-libraries"]
        space = "vendor-encapsulated-options-space"
        hostile = b"\x1b]0;pwned\x07\x1b[2Jweb01.contoso.com".hex()
        dhcp4["option-def"] = [
            {"space": space, "name": n, "code": c, "type": t} for n, c, t in (
                ("UCIdentifier", 1, "string"), ("URLScheme", 2, "string"),
                ("WebServerFqdn", 3, "binary"), ("WebServerPort", 4, "string"),
                ("CertProvRelPath", 5, "string"))] + [
            {"space": "dhcp4", "name": "sip-server", "code": 120, "type": "binary"}]
        dhcp4["client-classes"] = [{
            "name": "MS-UC-Client", "test": "option[60].text == 'MS-UC-Client'",
            "option-data": [
                {"name": "vendor-encapsulated-options", "always-send": True},
                {"space": space, "name": "UCIdentifier", "data": "MS-UC-Client"},
                {"space": space, "name": "URLScheme", "data": "https"},
                {"space": space, "name": "WebServerFqdn", "data": hostile},
                {"space": space, "name": "WebServerPort", "data": "443"},
                {"space": space, "name": "CertProvRelPath",
                 "data": "/CertProv/CertProvisioningService.svc"},
                {"name": "sip-server", "data": "0006706F6F6C303107636F6E746F736F03636F6D00",
                 "always-send": True}]}]
        self.kea(config)

    def restart(self, name, argv, ready=None):
        if name in self.daemons:
            self.daemons[name].stop()
        self.daemons[name] = self.lab.start(name, self.srv, argv)
        if ready:
            expect(self.daemons[name].wait_for(ready, 10),
                   f"{name} did not start:\n" + self.daemons[name].log()[-1500:])

    def unbound(self, **kw):
        path = os.path.join(self.work, "unbound.conf")
        with open(path, "w") as f:
            f.write(unbound_conf(self.work, **kw))
        self.restart("unbound", ["unbound", "-d", "-v", "-c", path], "start of service")

    def chronyd(self, access, extra=""):
        path = os.path.join(self.work, "chrony.conf")
        with open(path, "w") as f:
            f.write(f"local stratum 8\n{access}\nbindaddress {SRV_ADDR}\ncmdport 0\n"
                    f"pidfile {self.work}/chronyd.pid\n{extra}")
        # -x: serve time without touching this host's clock.
        self.restart("chronyd", ["chronyd", "-d", "-x", "-u", "_chrony", "-f", path],
                     "chronyd version")

    def skewed_ntp(self, offset):
        """A test NTP server whose clock is offset from this host's (chronyd would
        serve this host's clock)."""
        self.daemons["chronyd"].stop()
        self.restart("chronyd", [sys.executable, os.path.join(os.path.dirname(
            os.path.abspath(__file__)), "ntp_responder.py"), "--bind", SRV_ADDR,
            "--offset", str(offset)], "ntp_responder ready")

    def registrar(self, mode="tls-dsk"):
        """The stand-in registrar pool01.contoso.com on 5061 (sip_registrar.py)."""
        self.restart("registrar", [DEBIAN_PYTHON, REGISTRAR, "--bind", SRV_ADDR, "--cert",
                                   f"{self.work}/pool.pem", "--key", f"{self.work}/pool.key",
                                   "--fqdn", "pool01.contoso.com", "--mode", mode],
                     ready="sip_registrar ready")

    def nginx(self, cert, chain_location=True, updates_handler=True, access_log="off"):
        path = os.path.join(self.work, "nginx.conf")
        location = (f"location = /CertProv/CertProvisioningService.svc {{ default_type "
                    f"application/x-pem-file; alias {self.work}/ca.pem; }}"
                    if chain_location else "")
        # A stand-in for the Device Update handler (the phone's step 4).
        handler = ('location = /RequestHandler/ucdevice.upx { return 200 "lyncboot stand-in\\n"; }'
                   if updates_handler else "")
        with open(path, "w") as f:
            f.write(f"""daemon off;
master_process off;
user root;
pid {self.work}/nginx.pid;
error_log stderr;
events {{ }}
http {{
    access_log {access_log};
    client_body_temp_path {self.work}/nginx-body;
    proxy_temp_path {self.work}/nginx-proxy;
    fastcgi_temp_path {self.work}/nginx-fastcgi;
    uwsgi_temp_path {self.work}/nginx-uwsgi;
    scgi_temp_path {self.work}/nginx-scgi;
    server {{ listen {SRV_ADDR}:80; {location} }}
    server {{
        listen {SRV_ADDR}:443 ssl;
        ssl_certificate {self.work}/{cert}.pem;
        ssl_certificate_key {self.work}/{cert}.key;
        location / {{ return 404; }}
        {handler}
    }}
}}
""")
        self.restart("nginx", ["nginx", "-c", path, "-p", self.work])
        # nginx logs nothing when it starts well: wait until port 80 answers.
        for _ in range(50):
            if "LISTEN" in self.lab.ns_run(self.srv, "ss", "-ltn", "sport = :80").stdout:
                return
            subprocess.run(["sleep", "0.1"])
        raise AssertionError("nginx did not start:\n" + self.daemons["nginx"].log())

    def bootstrap_changed(self, change, restore):
        """Runs bootstrap --json with one server changed, then puts it back."""
        change()
        try:
            out = self.bootstrap("--json")
        finally:
            restore()
        return (out, *steps_of(out))

    def bootstrap(self, *args):
        return self.lab.ns_run(self.phone, PROBE, "bootstrap", "--interface", "p-voice",
                               "--timeout", "2", *args, check=False, timeout=120)


def steps_of(out):
    doc = json.loads(out.stdout)
    return doc, {s["name"]: s for s in doc["steps"]}


site = site_fixture(Site)


def test_whole_walk_passes(site):
    """whole walk against real servers: Success"""
    out = site.bootstrap()
    expect_eq(out.returncode, 0, "exit status\n" + out.stdout + out.stderr)
    for text in ["'DHCPDiscovery' activity started.",
                 "Found registrar fqdn : pool01.contoso.com.",
                 "_ntp._udp.contoso.com SRV -> ntp1.contoso.com:123.",
                 "strict naming satisfied",
                 "ucupdates-r2.contoso.com -> 10.100.0.1.",
                 "stratum 8: the phone's time is",
                 "Certificate chain downloaded successfully (1 certificate).",
                 "TLS to web01.contoso.com:443 verified at the phone's NTP time",
                 "TLS to pool01.contoso.com:5061 verified",
                 "Device Update handler https://ucupdates-r2.contoso.com/RequestHandler/"
                 "ucdevice.upx answered 200 OK",
                 "Registrar ready for phones: SIP/2.0 401 Unauthorized",
                 "offering NTLM, Kerberos, TLS-DSK (TLS-DSK targetname pool01.contoso.com, "
                 "sts-uri https://pool01.contoso.com:443/CertProv/CertProvisioningService.svc)",
                 "'PinSignIn' activity skipped",
                 "TargetUri : https://web01.contoso.com:443/CertProv/"
                 "CertProvisioningService.svc",
                 "TargetFqdn : pool01.contoso.com", "Result : Success"]:
        expect(text in out.stdout, f"missing {text!r}:\n{out.stdout}")


def test_json_report(site):
    """--json: every step passes, log on stderr"""
    out = site.bootstrap("--json")
    expect_eq(out.returncode, 0, "exit status")
    doc, steps = steps_of(out)
    expect_eq(doc["result"], "Success", "result")
    expect_eq(doc["target_fqdn"], "pool01.contoso.com", "target")
    for name in ["DHCPDiscovery", "NtpSrvLookup", "RegistrarSrvLookup",
                 "DeviceUpdateLookup", "NtpQuery", "CertChainDownload",
                 "WebServiceTls", "DeviceUpdateService", "RegistrarTls",
                 "RegistrarRegister"]:
        expect_eq(steps[name]["status"], "pass", name)
    expect_eq(steps["PinSignIn"]["status"], "skip", "PinSignIn")
    expect("'DHCPDiscovery' activity started." in out.stderr, "log on stderr")


def test_strict_naming_violation(site):
    """registrar SRV target outside the domain: strict naming"""
    out, doc, steps = site.bootstrap_changed(
        lambda: site.unbound(strict=False),
        lambda: site.unbound())
    expect_eq(out.returncode, 1, "exit status")
    expect_eq(steps["RegistrarSrvLookup"]["status"], "fail", "step")
    expect("pool01.fabrikam.net" in steps["RegistrarSrvLookup"]["detail"], "target named")
    expect("strict DNS naming" in steps["RegistrarSrvLookup"]["cause"], "cause")


def test_no_ntp_srv_falls_back_to_time_windows_com(site):
    """no _ntp._udp SRV: time.windows.com fallback flagged"""
    out, doc, steps = site.bootstrap_changed(
        lambda: site.unbound(ntp_srv=False),
        lambda: site.unbound())
    expect_eq(out.returncode, 1, "exit status")
    expect_eq(steps["NtpSrvLookup"]["status"], "warning", "SRV step")
    expect("time.windows.com" in steps["NtpSrvLookup"]["detail"], "fallback named")
    expect_eq(steps["NtpQuery"]["status"], "fail", "NTP step")
    expect("time.windows.com" in steps["NtpQuery"]["detail"], "what failed")


def test_ntp_denies_the_phone_subnet(site):
    """chronyd without 'allow' for the phones: NTP fails"""
    out, doc, steps = site.bootstrap_changed(
        lambda: site.chronyd("allow 10.200.0.0/24"),
        lambda: site.chronyd("allow 10.100.0.0/24"))
    expect_eq(out.returncode, 1, "exit status")
    expect_eq(steps["NtpQuery"]["status"], "fail", "NTP step")
    expect("allow" in steps["NtpQuery"]["cause"], steps["NtpQuery"]["cause"])


def test_chain_not_published_on_port_80(site):
    """chain not on port 80: download fails, TLS skipped"""
    out, doc, steps = site.bootstrap_changed(
        lambda: site.nginx("web", chain_location=False),
        lambda: site.nginx("web"))
    expect_eq(out.returncode, 1, "exit status")
    expect_eq(steps["CertChainDownload"]["status"], "fail", "chain step")
    expect("HTTP status 404" in steps["CertChainDownload"]["detail"], "404 named")
    expect("port 80" in steps["CertChainDownload"]["cause"], "cause")
    expect_eq(steps["WebServiceTls"]["status"], "skip", "TLS skipped without chain")


def test_certificate_not_valid_at_ntp_time(site):
    """certificate not yet valid at the NTP time"""
    out, doc, steps = site.bootstrap_changed(
        lambda: site.nginx("web-future"),
        lambda: site.nginx("web"))
    expect_eq(out.returncode, 1, "exit status")
    expect_eq(steps["WebServiceTls"]["status"], "fail", "TLS step")
    expect("not yet valid" in steps["WebServiceTls"]["detail"],
           steps["WebServiceTls"]["detail"])
    expect("NTP time" in steps["WebServiceTls"]["cause"], "cause")
    expect(doc["result"] == "Failure", "result")


def test_expired_certificate(site):
    """expired certificate"""
    out, doc, steps = site.bootstrap_changed(
        lambda: site.nginx("web-expired"),
        lambda: site.nginx("web"))
    expect_eq(out.returncode, 1, "exit status")
    expect("certificate has expired" in steps["WebServiceTls"]["detail"],
           steps["WebServiceTls"]["detail"])


def test_wrong_host_name(site):
    """certificate for another host name"""
    out, doc, steps = site.bootstrap_changed(
        lambda: site.nginx("web-wrong-host"),
        lambda: site.nginx("web"))
    expect_eq(out.returncode, 1, "exit status")
    expect("hostname mismatch" in steps["WebServiceTls"]["detail"],
           steps["WebServiceTls"]["detail"])
    expect("does not name the host" in steps["WebServiceTls"]["cause"], "cause")


def test_valid_by_host_clock_not_at_ntp_time(site):
    """valid by the host clock, not yet at the NTP time"""
    # The certificate started a day ago; the phone's NTP says two days ago.
    out, doc, steps = site.bootstrap_changed(
        lambda: (site.nginx("web-recent"), site.skewed_ntp(-2 * DAY)),
        lambda: (site.nginx("web"), site.chronyd("allow 10.100.0.0/24")))
    # Two days between the NTP time and this host's clock: said, as a warning.
    expect_eq(steps["NtpQuery"]["status"], "warning", "NTP step")
    expect(re.search(r"offset to this host -17(2800|2799)\.\d+ s, delay [0-9.]+ s\), "
                     r"more than --max-offset", steps["NtpQuery"]["detail"]),
           steps["NtpQuery"]["detail"])
    expect("disagree" in steps["NtpQuery"]["cause"], steps["NtpQuery"]["cause"])
    expect_eq(steps["WebServiceTls"]["status"], "fail", "TLS step")
    expect("not yet valid" in steps["WebServiceTls"]["detail"],
           steps["WebServiceTls"]["detail"])
    expect_eq(out.returncode, 1, "exit status")


def test_hostile_sub_option_3(site):
    """sub-option 3 with escape sequences: shown as \\xNN, the walk stops"""
    out, doc, steps = site.bootstrap_changed(site.kea_plain_hostile,
                                             lambda: site.kea(site.kea_config))
    expect_eq(out.returncode, 1, "exit status")
    expect("\x1b" not in out.stdout + out.stderr and "\x07" not in out.stdout + out.stderr,
           "raw escape sequences printed")
    dhcp = steps["DHCPDiscovery"]
    expect_eq(dhcp["status"], "fail", "the walk stops at the DHCP step")
    expect("sub-option 3 '\\x1B]0;pwned\\x07\\x1B[2Jweb01.contoso.com' is not a valid "
           "FQDN" in dhcp["detail"], dhcp["detail"])
    for name in ("NtpSrvLookup", "CertChainDownload", "WebServiceTls", "RegistrarTls"):
        expect_eq(steps[name]["status"], "skip", f"{name} not tried with that host")


def test_tls_handshake_deadline(site):
    """a registrar that trickles: the TLS handshake's deadline ends it"""
    # A registrar that takes the connection and trickles a byte every 0.3 s: per-read
    # timeouts would never fire; the handshake's deadline does.
    trickle = site.lab.start("trickle", site.srv, [
        "/usr/bin/python3", "-c",
        "import socket, time\n"
        "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        f"s.bind(('{SRV_ADDR}', 5070)); s.listen(8); print('ready', flush=True)\n"
        "while True:\n"
        "    c, _ = s.accept()\n"
        "    try:\n"
        "        c.send(bytes.fromhex('1603034000'))\n"  # a record of 16 KiB...
        "        for _ in range(1000):\n"
        "            c.send(b'\\x02'); time.sleep(0.3)\n"  # ...one byte at a time
        "    except OSError:\n"
        "        pass\n"])
    try:
        expect(trickle.wait_for("ready", 5), trickle.log())
        start = time.monotonic()
        out = site.bootstrap("--json", "--registrar-port", "5070")
        took = time.monotonic() - start
    finally:
        trickle.stop()
    doc, steps = steps_of(out)
    expect_eq(steps["RegistrarTls"]["status"], "fail", "registrar TLS step")
    expect("not complete within 2000 ms" in steps["RegistrarTls"]["detail"],
           steps["RegistrarTls"]["detail"])
    expect(took < 30, f"the walk took {took:.1f} s")


def test_updates_name_missing(site):
    """a web certificate without ucupdates-r2: Device Update fails, the name named"""
    out, doc, steps = site.bootstrap_changed(lambda: site.nginx("web-no-updates"),
                                             lambda: site.nginx("web"))
    expect_eq(out.returncode, 1, "exit status")
    expect_eq(steps["WebServiceTls"]["status"], "pass", "web services TLS")
    step = steps["DeviceUpdateService"]
    expect_eq(step["status"], "fail", "DeviceUpdateService")
    expect("does not carry the ucupdates-r2 name" in step["cause"], step["cause"])
    expect("TLS to ucupdates-r2.contoso.com:443" in step["detail"], step["detail"])


def test_no_update_handler(site):
    """no Device Update handler on the web server: 404, named"""
    out, doc, steps = site.bootstrap_changed(lambda: site.nginx("web", updates_handler=False),
                                             lambda: site.nginx("web"))
    step = steps["DeviceUpdateService"]
    expect_eq(step["status"], "fail", "DeviceUpdateService")
    expect("ucdevice.upx: 404 Not Found" in step["detail"], step["detail"])
    expect("no Device Update handler" in step["cause"], step["cause"])


@pytest.mark.parametrize("mode,text", [
    ("no-tls-dsk", "SIP/2.0 401 Unauthorized offering NTLM, Kerberos, but not TLS-DSK."),
    ("not-sip", "not a SIP response: it begins \"HTTP/1.1 400 Bad Request\""),
    ("silent", "No answer to REGISTER sip:contoso.com from pool01.contoso.com:5061 within "
               "2000 ms.")], ids=["401 without TLS-DSK", "not SIP", "silence"])
def test_registrar_answers(site, mode, text):
    """the registrar's answer to REGISTER: {id}, named"""
    out, doc, steps = site.bootstrap_changed(lambda: site.registrar(mode),
                                             lambda: site.registrar())
    expect_eq(out.returncode, 1, "exit status")
    expect_eq(steps["RegistrarTls"]["status"], "pass", "registrar TLS")
    step = steps["RegistrarRegister"]
    expect_eq(step["status"], "fail", "RegistrarRegister")
    expect(text in step["detail"], step["detail"])
    if mode == "no-tls-dsk":
        expect("UseCertificateForClientToProxyAuth" in step["cause"], step["cause"])


def vlan_walk(site, *args):
    """The walk from the phone's untagged port: the VLAN found there, continuing on the
    voice VLAN's segment."""
    out = site.lab.ns_run(site.phone, PROBE, "bootstrap", "--interface", "p-data",
                          "--vlan-discovery", "--voice-interface", "p-voice", "--timeout", "2",
                          "--json", *args, check=False, timeout=120)
    return (out, *steps_of(out))


def test_lldp_gives_the_vlan(site):
    """--vlan-discovery: LLDP-MED gives VLAN 100 first; DHCP is not asked for it"""
    lldpd, _ = site.lab.lldpd("lldpd-switch", site.srv, "v-data", 4, [
        "configure system hostname access-sw1", "configure med fast-start enable",
        "configure med policy application voice tagged vlan 100 priority voice dscp 46"])
    try:
        out, doc, steps = vlan_walk(site)
    finally:
        lldpd.stop()
    expect_eq(out.returncode, 0, "exit status\n" + out.stderr)
    expect_eq(steps["LLDP"]["status"], "pass", "LLDP step")
    expect("Voice VLAN 100 from LLDP-MED (tagged, priority 5, DSCP 46; switch access-sw1, "
           "port " in steps["LLDP"]["detail"], steps["LLDP"]["detail"])
    expect_eq(steps["VLANDiscovery"]["status"], "skip", "VLANDiscovery step")
    expect("gave VLAN 100 by LLDP-MED" in steps["VLANDiscovery"]["detail"],
           steps["VLANDiscovery"]["detail"])
    expect_eq(doc["result"], "Success", "result")


def test_dhcp_when_the_switch_says_nothing(site):
    """--vlan-discovery without LLDP on the port: CPE-OCPHONE DHCP gives VLAN 100"""
    out, doc, steps = vlan_walk(site, "--lldp-wait", "1")
    expect_eq(out.returncode, 0, "exit status\n" + out.stderr)
    expect_eq(steps["LLDP"]["status"], "warning", "LLDP step")
    expect("No LLDPDU within 1.0 s: the phone asks DHCP (CPE-OCPHONE)." in
           steps["LLDP"]["detail"], steps["LLDP"]["detail"])
    expect_eq(steps["VLANDiscovery"]["status"], "pass", "VLANDiscovery step")
    expect("Voice VLAN 100 from DHCP (CPE-OCPHONE); continuing on p-voice." in
           steps["VLANDiscovery"]["detail"], steps["VLANDiscovery"]["detail"])
    out, doc, steps = vlan_walk(site, "--lldp-wait", "0")
    expect("LLDP" not in steps, "--lldp-wait 0: DHCP only")


def test_dora_first(site):
    """--dora: leases on the voice VLAN, releases"""
    out = site.bootstrap("--dora", "--json")
    expect_eq(out.returncode, 0, "exit status\n" + out.stderr)
    doc, steps = steps_of(out)
    expect_eq(steps["DORA"]["status"], "pass", "DORA step")
    expect("Lease of 10.100.0.1" in steps["DORA"]["detail"], steps["DORA"]["detail"])
    expect(site.daemons["kea"].wait_for("DHCP4_RELEASE", 5), "lease released")


def test_no_dhcp_answer(site):
    """no DHCP answer: later steps skipped, diagnosis"""
    site.daemons["kea"].stop()
    out = site.bootstrap()
    expect_eq(out.returncode, 1, "exit status")
    expect("No response received for the DHCP discovery message" in out.stdout,
           out.stdout)
    expect("'NtpSrvLookup' activity skipped: needs the DHCP step" in out.stdout,
           "later steps skipped")
    expect("Diagnosis : no DHCP server answered MS-UC-Client" in out.stdout, "diagnosis")


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
