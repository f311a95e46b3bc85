#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""lyncboot-unbound-publish against Debian's stock unbound (no dynlib): the site's phone
records pushed through the control socket, answered to dig from another namespace,
following the NTP health file, and put back after unbound restarts."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (Lab, dig_short, expect, expect_eq, health_writer_dir,  # noqa: E402
                    platform_user, process_uid, run_health_writer, run_tests, site_fixture,
                    unbound_server_head, wait_for_dig, write_ntp_health)

SITE = """ttl: 60
health-file: {work}/health/ntp-health
domain: contoso.com
    ntp: ntp1.contoso.com
    ntp: ntp2.contoso.com 123 10 50
    registrar: pool01.contoso.com
    updates: 10.1.2.3
domain: fabrikam.com
    ntp: time.fabrikam.com
    registrar: sip.fabrikam.com
"""


class Site:
    def __init__(self):
        self.lab = lab = Lab("ub")
        self.work = lab.workdir
        self.srv = lab.netns("srv")
        self.phone = lab.netns("phone")
        # The platform's publisher against the platform's stock unbound.
        self.publisher = lab.platform_binary(os.path.join("unbound-module",
                                                          "lyncboot-unbound-publish"))
        lab.segment(self.srv, "v-srv", self.phone, "p-ph", "10.100.0.1/24", "10.100.0.50/24")
        self.ctl = os.path.join(self.work, "unbound.ctl")
        self.conf = os.path.join(self.work, "lyncboot.conf")
        with open(self.conf, "w") as f:
            f.write(SITE.format(work=self.work))
        bulk = os.path.join(self.work, "bulk.conf")
        with open(bulk, "w") as f:
            f.write('server:\n    local-zone: "bulk.example." static\n')
            f.writelines(f'    local-data: "h{i:05d}.bulk.example. 60 IN A 10.9.{i // 250}.{i % 250}"\n'
                         for i in range(BULK_RECORDS))
        with open(os.path.join(self.work, "unbound.conf"), "w") as f:
            f.write(unbound_server_head(self.work) + f"""    module-config: "iterator"
    local-data: "ntp1.contoso.com. 60 IN A 10.100.0.1"
    local-data: "ntp2.contoso.com. 60 IN A 10.100.0.9"
    local-data: "time.fabrikam.com. 60 IN A 10.100.0.1"
include: "{bulk}"
include: "{self.work}/site-zones.conf"
remote-control:
    control-enable: yes
    control-interface: {self.ctl}
    control-use-cert: no
""")
        self.site_zones("")
        self.health_dir = health_writer_dir(lab)
        self.unbound = None
        self.start_unbound()

    def site_zones(self, text):
        """What the site's unbound.conf already has for its SIP domain (server: lines)."""
        with open(os.path.join(self.work, "site-zones.conf"), "w") as f:
            f.write("server:\n" + text)

    def start_unbound(self):
        if self.unbound:
            self.unbound.stop()
        self.unbound = self.lab.start("unbound", self.srv, [
            "unbound", "-d", "-v", "-c", os.path.join(self.work, "unbound.conf")], platform=True)
        expect(self.unbound.wait_for("start of service", 10), "unbound:\n" + self.unbound.log())

    def health(self, **states):
        write_ntp_health(os.path.join(self.health_dir, "ntp-health"), **states)

    def dig(self, name, rtype):
        return dig_short(self.lab, self.phone, name, rtype)

    def publish(self, *args, config=None):
        return self.lab.ns_run(self.srv, self.publisher, "--config", config or self.conf,
                               "--control", self.ctl, *args, check=False, platform=True)

    def wait_for_answer(self, name, rtype, want, seconds):
        return wait_for_dig(self.lab, self.phone, name, rtype, want, seconds)


# The site's own local data next to lyncboot's: 40,000 names (unbound's listing of them
# is about 1.8 MB, past the 1 MiB the publisher used to read).
BULK_RECORDS = 40000


BOTH_NTP = ["0 0 123 ntp1.contoso.com.", "10 50 123 ntp2.contoso.com."]


site = site_fixture(Site)


def test_exact_records_for_two_domains(site):
    """exact SRV and A records for two domains, next to 40,000 of the site's own"""
    out = site.publish()
    expect_eq(out.returncode, 0, out.stderr)
    expect("published 8 records" in out.stderr, out.stderr)
    expect_eq(site.dig("_ntp._udp.contoso.com", "SRV"), BOTH_NTP, "NTP SRV")
    expect_eq(site.dig("_sipinternaltls._tcp.contoso.com", "SRV"),
              ["0 0 5061 pool01.contoso.com."], "TLS registrar SRV")
    expect_eq(site.dig("_sipinternal._tcp.contoso.com", "SRV"),
              ["0 0 5061 pool01.contoso.com."], "TCP registrar SRV")
    expect_eq(site.dig("ucupdates-r2.contoso.com", "A"), ["10.1.2.3"], "updates A")
    expect_eq(site.dig("_ntp._udp.fabrikam.com", "SRV"), ["0 0 123 time.fabrikam.com."],
              "second domain")
    expect_eq(site.dig("_sipinternaltls._tcp.fabrikam.com", "SRV"),
              ["0 0 5061 sip.fabrikam.com."], "second domain registrar")
    out = site.publish()
    expect("published" not in out.stderr, "a second run changes nothing")
    expect_eq(site.dig("h39999.bulk.example", "A"), ["10.9.159.249"], "the site's own")


def test_case_insensitive(site):
    """names answered whatever their case"""
    expect_eq(site.dig("_NTP._UDP.Contoso.COM", "SRV"), BOTH_NTP, "mixed case")


def test_health_flips_within_two_seconds(site, record_property):
    """an unhealthy NTP target is withdrawn within 2 s"""
    site.health(ntp1_contoso_com=True, ntp2_contoso_com=True, time_fabrikam_com=True)
    site.daemon = daemon = site.lab.start("publish", site.srv, [site.publisher, "--config", site.conf,
                                                  "--control", site.ctl, "--interval", "1"],
                            platform=True)
    site.wait_for_answer("_ntp._udp.contoso.com", "SRV", BOTH_NTP, 3)
    site.health(ntp1_contoso_com=False, ntp2_contoso_com=True, time_fabrikam_com=True)
    took = site.wait_for_answer("_ntp._udp.contoso.com", "SRV",
                                ["10 50 123 ntp2.contoso.com."], 2.0)
    record_property("note", f"unhealthy ntp1 withdrawn after {took:.2f} s")
    # Only the name whose records changed is rewritten; the others never blink.
    expect(daemon.wait_for("published 7 records (1 name rewritten)", 2), daemon.log())


def test_health_from_the_writer_as_its_own_user(site, record_property):
    """unbound as user unbound: the verdict lyncboot-ntp-check writes as its own user is published"""
    # As deployed: unbound as user unbound, lyncboot-ntp-check as a user of its own
    # writing the health file the publisher follows. ntp1 (10.100.0.1) has a
    # chronyd, ntp2 (10.100.0.9) nothing.
    conf = os.path.join(site.work, "chrony.conf")
    with open(conf, "w") as f:
        f.write(f"local stratum 8\nallow 10.100.0.0/24\nbindaddress 10.100.0.1\n"
                f"cmdport 0\npidfile {site.work}/chronyd.pid\n")
    chronyd = site.lab.start("chronyd", site.srv, ["chronyd", "-d", "-x", "-u",
                                                   "_chrony", "-f", conf], platform=True)
    expect(chronyd.wait_for("chronyd version", 10), chronyd.log())
    try:
        site.health(ntp1_contoso_com=False, ntp2_contoso_com=True, time_fabrikam_com=True)
        site.wait_for_answer("_ntp._udp.contoso.com", "SRV",
                             ["10 50 123 ntp2.contoso.com."], 2.0)
        out = run_health_writer(site.lab, site.phone, "-t", "0.5", "--site-config",
                                site.conf, "--dns-server", "10.100.0.1",
                                "--health-file",
                                os.path.join(site.health_dir, "ntp-health"))
        expect_eq(out.returncode, 2, "ntp2 is CRITICAL: " + out.stdout)
        st = os.stat(os.path.join(site.health_dir, "ntp-health"))
        expect_eq((st.st_uid, oct(st.st_mode & 0o777)), (65534, oct(0o644)),
                  "written by the writer's user, readable by others")
        took = site.wait_for_answer("_ntp._udp.contoso.com", "SRV",
                                    ["0 0 123 ntp1.contoso.com."], 2.0)
        record_property("note", f"the writer's verdict reached the phone's answer in {took:.2f} s")
        expect_eq(process_uid(site.unbound.proc.pid), platform_user("unbound")[0],
                  "unbound's user")
    finally:
        chronyd.stop()


def test_fail_open_when_none_is_healthy(site):
    """none healthy: every target advertised (fail open), logged"""
    site.health(ntp1_contoso_com=False, ntp2_contoso_com=False, time_fabrikam_com=True)
    site.wait_for_answer("_ntp._udp.contoso.com", "SRV", BOTH_NTP, 2.0)
    expect(site.daemon.wait_for("no healthy NTP target for contoso.com: advertising all 2 "
                                "(fail open)", 2), site.daemon.log())


def test_re_pushed_after_unbound_restart(site, record_property):
    """records put back after unbound restarts"""
    site.health(ntp1_contoso_com=True, ntp2_contoso_com=False, time_fabrikam_com=True)
    site.wait_for_answer("_ntp._udp.contoso.com", "SRV", ["0 0 123 ntp1.contoso.com."], 2.0)
    site.start_unbound()
    took = site.wait_for_answer("_ntp._udp.contoso.com", "SRV",
                                ["0 0 123 ntp1.contoso.com."], 4.0)
    record_property("note", f"records back {took:.2f} s after the restart")
    site.daemon.stop()


def test_bad_config_refused_with_line(site):
    """bad configuration refused with file and line"""
    bad = os.path.join(site.work, "bad.conf")
    with open(bad, "w") as f:
        f.write("ttl: 60\ndomain: contoso.com\n    registrar: pool01.fabrikam.com\n")
    before = site.dig("_sipinternaltls._tcp.contoso.com", "SRV")
    out = site.publish(config=bad)
    expect_eq(out.returncode, 2, "exit status")
    expect(f"{bad}:3: registrar pool01.fabrikam.com is outside domain contoso.com"
           in out.stderr, out.stderr)
    expect_eq(site.dig("_sipinternaltls._tcp.contoso.com", "SRV"), before,
              "unbound untouched")
    out = site.publish("--check")
    expect_eq(out.returncode, 0, out.stderr)
    expect("OK, 2 domains" in out.stdout, out.stdout)


def test_unbound_unreachable(site):
    """unbound not reachable: exit 1, said"""
    out = site.lab.ns_run(site.srv, site.publisher, "--config", site.conf, "--control",
                          os.path.join(site.work, "nosuch.ctl"), check=False,
                          platform=True)
    expect_eq(out.returncode, 1, "exit status")
    expect("cannot connect to unbound's control socket" in out.stderr, out.stderr)


def test_coexists_with_a_static_zone(site):
    """coexists with the site's static zone and its names"""
    # The site serves contoso.com from unbound: a static zone with its own names.
    site.site_zones('    local-zone: "contoso.com." static\n'
                    '    local-data: "www.contoso.com. 60 IN A 192.0.2.10"\n')
    site.start_unbound()
    try:
        # What the role asks before it writes anything: fine for the publisher,
        # not for the module (a static zone is answered before modules run).
        out = site.publish("--check-zones", "publisher")
        expect_eq(out.returncode, 0, "publisher check: " + out.stderr)
        out = site.publish("--check-zones", "module")
        expect_eq(out.returncode, 2, "module check: " + out.stderr)
        expect('local-zone "contoso.com." static' in out.stderr, out.stderr)
        out = site.publish()
        expect_eq(out.returncode, 0, out.stderr)
        expect_eq(site.dig("_sipinternaltls._tcp.contoso.com", "SRV"),
                  ["0 0 5061 pool01.contoso.com."], "lyncboot's record")
        expect_eq(site.dig("www.contoso.com", "A"), ["192.0.2.10"], "the site's own")
    finally:
        site.site_zones("")
        site.start_unbound()


def test_auth_zone_checked_for_the_module(site):
    """the module check asks unbound whether an auth-zone serves downstream"""
    # An auth-zone for the SIP domain: served downstream it is answered before any
    # module, served to the iterator only it is not. list_auth_zones does not say
    # which; the check asks unbound itself, without recursion.
    zonefile = os.path.join(site.work, "contoso.com.zone")
    with open(zonefile, "w") as f:
        f.write("$ORIGIN contoso.com.\n$TTL 300\n@ IN SOA ns hostmaster 1 3600 600 "
                "86400 300\n@ IN NS ns\nns IN A 192.0.2.53\nwww IN A 192.0.2.10\n")
    try:
        for downstream in ("yes", "no"):
            site.site_zones(f'auth-zone:\n    name: "contoso.com."\n    zonefile: '
                            f'"{zonefile}"\n    for-downstream: {downstream}\n'
                            '    for-upstream: yes\n')
            site.start_unbound()
            out = site.publish("--check-zones", "module", "--dns-server", "10.100.0.1")
            if downstream == "yes":
                expect_eq(out.returncode, 2, "for-downstream: yes: " + out.stderr)
                expect('inside auth-zone "contoso.com." with for-downstream: yes' in
                       out.stderr and "set for-downstream: no" in out.stderr, out.stderr)
            else:
                expect_eq(out.returncode, 0, "for-downstream: no: " + out.stderr)
            # The publisher's local-data is answered before any auth zone.
            out = site.publish("--check-zones", "publisher")
            expect_eq(out.returncode, 0, "publisher check: " + out.stderr)
        # Where unbound does not answer (here not on 127.0.0.1): refused, the option named.
        out = site.publish("--check-zones", "module")
        expect_eq(out.returncode, 2, "unanswered: " + out.stderr)
        expect("asking unbound at 127.0.0.1 failed" in out.stderr and
               "give --dns-server an address unbound answers on" in out.stderr, out.stderr)
    finally:
        site.site_zones("")
        site.start_unbound()


def test_refuses_under_a_redirect_zone(site):
    """refuses to publish under a redirect zone, zone and fix named"""
    # (the zone is _tcp.contoso.com: unbound itself refuses local-data for the NTP
    # servers' names below a redirect zone)
    site.site_zones('    local-zone: "_tcp.contoso.com." redirect\n'
                    '    local-data: "_tcp.contoso.com. 60 IN A 192.0.2.10"\n')
    site.start_unbound()
    try:
        out = site.publish("--check-zones", "publisher")
        expect_eq(out.returncode, 2, "the role's check: " + out.stderr)
        out = site.publish()
        expect_eq(out.returncode, 2, "exit status: " + out.stderr)
        expect('not publishing: _sipinternaltls._tcp.contoso.com is inside local zone '
               '"_tcp.contoso.com." of type redirect' in out.stderr, out.stderr)
        expect('local-zone: "_sipinternaltls._tcp.contoso.com." transparent' in
               out.stderr, "the fix named: " + out.stderr)
        expect_eq(site.dig("_ntp._udp.fabrikam.com", "SRV"), [],
                  "nothing published, not even the other domain's")
    finally:
        site.site_zones("")
        site.start_unbound()


def test_unbound_wedged(site):
    """unbound wedged: the round ends at its deadline, exit 1"""
    # A control socket that takes the connection and never answers (a wedged
    # unbound): the round gives up at its deadline, says so, exits 1.
    path = os.path.join(site.work, "wedged.ctl")
    listener = site.lab.start("wedged", site.srv, [
        "/usr/bin/python3", "-c",
        "import socket, sys, time\n"
        "s = socket.socket(socket.AF_UNIX)\n"
        f"s.bind({path!r}); s.listen(8); print('ready', flush=True)\n"
        "c = s.accept()\n"
        "time.sleep(60)\n"])
    try:
        expect(listener.wait_for("ready", 5), listener.log())
        start = time.monotonic()
        out = site.lab.ns_run(site.srv, site.publisher, "--config", site.conf,
                              "--control", path, check=False, platform=True, timeout=30)
        took = time.monotonic() - start
    finally:
        listener.stop()
    expect_eq(out.returncode, 1, "exit status: " + out.stderr)
    expect("did not end within 10 s" in out.stderr, out.stderr)
    expect(took < 15, f"took {took:.1f} s")


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
