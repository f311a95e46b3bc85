#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""The lyncboot dynlib module in unbound rebuilt with --with-dynlibmodule
(unbound-module/build-unbound-dynlib), queried with dig from another namespace:
exact SRV/A for two domains, case, pass-through to an auth-zone the iterator serves
(for-downstream: no), repeats served from unbound's message cache, a reload taking a new
configuration at once, the NTP health file changing the answer within 2 s although it is
cached, fail open, a mixed dnsperf load while health flips (the ASan tree runs this with
the sanitizers: no report, nothing lost), and bad configurations refused at start with
their line."""
import os
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (PLATFORM, PLATFORM_BUILD, TREE, Lab, dig_short, expect,  # noqa: E402
                    expect_eq, health_writer_dir, platform_user, process_uid,
                    require_root_and_hook, run_health_writer, run_tests,
                    unbound_server_head, wait_for_dig, write_ntp_health)

# The dynlib unbound (build-unbound-dynlib; on a platform tree, a path inside it).
UNBOUND_TREE = os.environ.get("LYNCBOOT_UNBOUND_TREE", "")
DEBS = os.environ.get("LYNCBOOT_UNBOUND_DEBS", "")  # build-unbound-dynlib --deb
SITE = """ttl: 60
health-file: {work}/health/ntp-health
domain: contoso.com
    ntp: ntp1.contoso.com
    ntp: ntp2.contoso.com 123 10 50
    registrar: pool01.contoso.com
    updates: 10.1.2.3
domain: example.com
    ntp: ntp.example.com
"""
# Where the site's NTP servers are (a chronyd at ntp1; nothing at ntp2).
NTP_ADDRESSES = ('    local-data: "ntp1.contoso.com. 60 IN A 10.100.0.1"\n'
                 '    local-data: "ntp2.contoso.com. 60 IN A 10.100.0.9"\n')
ZONE = """$ORIGIN example.com.
$TTL 300
@ IN SOA ns hostmaster 1 3600 600 86400 300
@ IN NS ns
ns IN A 192.0.2.53
www IN A 192.0.2.80
_ntp._udp IN TXT "from the zone"
"""


# The shapes a site's unbound.conf may already have for its SIP domain. For each:
# lyncboot's records and the site's own names both answered, or unbound refuses to
# start with the zone, the reason and the fix named. Never silently shadowed.
ours = [f'    local-zone: "{n}.contoso.com." transparent\n' for n in (
    "_ntp._udp", "_sipinternaltls._tcp", "_sipinternal._tcp", "ucupdates-r2")]
www = '    local-data: "www.contoso.com. 60 IN A 192.0.2.10"\n'
# ({work}: the lab's directory, filled in by the case.)
auth_downstream = ('auth-zone:\n    name: "contoso.com."\n    zonefile: '
                   '"{work}/contoso.com.zone"\n    for-downstream: yes\n'
                   '    for-upstream: yes\nserver:\n')
WORKS = [("local-zone static + the site's local-data + transparent sub-zones",
          '    local-zone: "contoso.com." static\n' + www + "".join(ours), "contoso"),
         ("local-zone transparent with the site's local-data",
          '    local-zone: "contoso.com." transparent\n' + www, "contoso"),
         ("local-zone typetransparent with the site's local-data",
          '    local-zone: "contoso.com." typetransparent\n' + www, "contoso"),
         ("the domain under the built-in zone test., with nodefault",
          '    local-zone: "test." nodefault\n' +
          www.replace("contoso.com", "contoso.test"), "test"),
         ("auth-zone for-downstream: no", auth_downstream.replace(
             "for-downstream: yes", "for-downstream: no"), "auth")]
REFUSED = [("local-zone static without sub-zones",
            '    local-zone: "contoso.com." static\n' + www,
            'local-zone "contoso.com." static', 'local-zone: "_ntp._udp.contoso.com." '
            'transparent'),
           ("local-zone redirect", '    local-zone: "contoso.com." redirect\n' +
            www.replace("www.", ""), 'local-zone "contoso.com." redirect', "transparent"),
           ("the domain under the built-in zone test.", "",
            "built-in local zone \"test.\" (static)", 'local-zone: "test." nodefault'),
           ("auth-zone for-downstream: yes", auth_downstream,
            'auth-zone "contoso.com." with for-downstream: yes', "for-downstream: no"),
           ("local-data at one of lyncboot's names",
            '    local-data: "_sipinternal._tcp.contoso.com. 60 IN SRV 0 0 5061 '
            'old.contoso.com."\n', "local-data for _sipinternal._tcp.contoso.com SRV",
            "remove it")]


BOTH = ["0 0 123 ntp1.contoso.com.", "10 50 123 ntp2.contoso.com."]


class UnboundSite:
    """unbound with the module in a server namespace, dig from a phone namespace."""

    def __init__(self, lab):
        self.lab = lab
        self.module = lab.platform_binary(os.path.join("unbound-module", "lyncboot_unbound.so"))
        self.work = lab.workdir
        self.srv = lab.netns("srv")
        self.phone = lab.netns("phone")
        lab.segment(self.srv, "v-srv", self.phone, "p-ph", "10.100.0.1/24", "10.100.0.50/24")
        with open(os.path.join(self.work, "example.com.zone"), "w") as f:
            f.write(ZONE)
        self.unbound_bin = os.path.join(UNBOUND_TREE, "build", "unbound")
        self.version = subprocess.run(lab.platform_argv([self.unbound_bin, "-V"]),
                                      capture_output=True, text=True).stdout.splitlines()[0]
        self.state = {"daemon": None, "msg_cache_size": "4m", "site_conf": ""}
        self.health_dir = health_writer_dir(lab)

    def write_unbound_conf(self):
        state, work = self.state, self.work
        path = os.path.join(work, "unbound.conf")
        with open(path, "w") as f:
            f.write(unbound_server_head(work) + f"""    num-threads: 2
    msg-cache-size: {state["msg_cache_size"]}
    module-config: "dynlib validator iterator"
{state["site_conf"] or NTP_ADDRESSES}auth-zone:
    name: "example.com."
    zonefile: "{work}/example.com.zone"
    for-downstream: no
    for-upstream: yes
    fallback-enabled: no
dynlib:
    dynlib-file: "{self.module}"
remote-control:
    control-enable: yes
    control-interface: "{work}/unbound.ctl"
    control-use-cert: no
""")
        return path

    def start(self, site_text, binary=None):
        conf = os.path.join(self.work, "lyncboot.conf")
        with open(conf, "w") as f:
            f.write(site_text)
        if self.state["daemon"]:
            self.state["daemon"].stop()
        env = {"LYNCBOOT_UNBOUND_CONF": conf}
        preload = os.environ.get("LYNCBOOT_KEA_PRELOAD")  # the ASan tree's runtime
        if preload:
            env.update(LD_PRELOAD=preload, ASAN_OPTIONS="detect_leaks=0")
        self.state["daemon"] = self.lab.start(
            "unbound", self.srv, [binary or self.unbound_bin, "-d", "-v", "-c",
                                  self.write_unbound_conf()], env=env, platform=binary is None)
        return self.state["daemon"]

    def control(self, *args):
        return subprocess.run(self.lab.platform_argv(["unbound-control", "-c",
                                                      os.path.join(self.work, "unbound.conf"),
                                                      *args]),
                              capture_output=True, text=True, timeout=10, check=True)

    def stats(self):
        out = self.control("stats_noreset").stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def write_site(self, text):
        with open(os.path.join(self.work, "lyncboot.conf"), "w") as f:
            f.write(text)

    def dig(self, name, rtype):
        return dig_short(self.lab, self.phone, name, rtype)

    def health(self, **states):
        write_ntp_health(os.path.join(self.health_dir, "ntp-health"), **states)

    def wait_for(self, name, rtype, want, seconds):
        return wait_for_dig(self.lab, self.phone, name, rtype, want, seconds)

    def site_for(self, kind):
        text = SITE.format(work=self.work)
        return text.replace("contoso.com", "contoso.test") if kind == "test" else text


@pytest.fixture(scope="module")
def um():
    require_root_and_hook()
    built = os.path.join(PLATFORM_BUILD, "unbound-module", "lyncboot_unbound.so")
    if not UNBOUND_TREE or not os.path.exists(built):
        if TREE:  # a platform asked for is never skipped quietly
            raise RuntimeError(f"no module or dynlib unbound for {PLATFORM}")
        pytest.skip("no dynlib-enabled unbound (unbound-module/build-unbound-dynlib)")
    with Lab("um") as lab:
        yield UnboundSite(lab)


def test_loads_and_answers(um, record_property):
    """loads; exact SRV and A for two domains"""
    record_property("note", f"{PLATFORM}: {um.version} (dynlib build in {UNBOUND_TREE})")
    d = um.start(SITE.format(work=um.work))
    expect(d.wait_for("start of service", 10), d.log())
    expect("lyncboot: " in d.log() and "2 domains, 5 answers" in d.log(), d.log())
    expect_eq(um.dig("_ntp._udp.contoso.com", "SRV"), BOTH, "NTP SRV")
    expect_eq(um.dig("_sipinternaltls._tcp.contoso.com", "SRV"),
              ["0 0 5061 pool01.contoso.com."], "registrar TLS")
    expect_eq(um.dig("_sipinternal._tcp.contoso.com", "SRV"),
              ["0 0 5061 pool01.contoso.com."], "registrar TCP")
    expect_eq(um.dig("ucupdates-r2.contoso.com", "A"), ["10.1.2.3"], "updates")
    expect_eq(um.dig("_ntp._udp.example.com", "SRV"), ["0 0 123 ntp.example.com."],
              "second domain")


def test_case_insensitive(um):
    """names answered whatever their case"""
    expect_eq(um.dig("_NTP._UDP.Contoso.COM", "SRV"), BOTH, "mixed case")


def test_pass_through_to_the_iterator(um):
    """other names and types pass to the iterator"""
    expect_eq(um.dig("www.example.com", "A"), ["192.0.2.80"], "auth-zone via iterator")
    expect_eq(um.dig("_ntp._udp.example.com", "TXT"), ['"from the zone"'],
              "other type at a module name")


def test_served_from_the_cache(um):
    """repeats served from the message cache"""
    # The module's message lives a whole second past the one it was stored in
    # (MSG_CACHE_LIFE): start just after a second begins, so every repeat falls
    # within its life.
    time.sleep(1.02 - time.time() % 1)
    um.dig("_sipinternal._tcp.contoso.com", "SRV")
    before = um.stats()
    for _ in range(5):
        expect_eq(um.dig("_sipinternal._tcp.contoso.com", "SRV"),
                  ["0 0 5061 pool01.contoso.com."], "cached answer")
    after = um.stats()
    hits = int(after["total.num.cachehits"]) - int(before["total.num.cachehits"])
    misses = int(after["total.num.cachemiss"]) - int(before["total.num.cachemiss"])
    expect(hits == 5 and misses == 0, f"cache hits {hits}, misses {misses}")
    ttl = um.lab.ns_run(um.phone, "dig", "+noall", "+answer", "@10.100.0.1",
                     "_sipinternal._tcp.contoso.com", "SRV").stdout.split()
    expect(len(ttl) > 1 and 0 < int(ttl[1]) <= 60, f"TTL from the cache: {ttl}")


def test_reload_takes_new_config(um):
    """reload: new lyncboot.conf answered at once"""
    um.dig("_sipinternaltls._tcp.contoso.com", "SRV")  # cached with the old registrar
    um.write_site(SITE.format(work=um.work).replace("pool01", "pool02"))
    um.control("reload")
    expect_eq(um.dig("_sipinternaltls._tcp.contoso.com", "SRV"),
              ["0 0 5061 pool02.contoso.com."], "registrar after reload")
    um.write_site(SITE.format(work=um.work))
    um.control("reload")
    expect_eq(um.dig("_sipinternaltls._tcp.contoso.com", "SRV"),
              ["0 0 5061 pool01.contoso.com."], "registrar after second reload")


def test_health_within_the_message_life(um, record_property):
    """unhealthy NTP target withdrawn within 2.5 s"""
    # A watcher tick (0.1 s) plus the cached message's life (1-2 s).
    um.health(ntp1_contoso_com=False, ntp2_contoso_com=True, ntp_example_com=True)
    took = um.wait_for("_ntp._udp.contoso.com", "SRV", ["10 50 123 ntp2.contoso.com."], 2.5)
    record_property("note", f"withdrawn after {took:.2f} s")


def test_fail_open(um):
    """none healthy: all advertised (fail open)"""
    um.health(ntp1_contoso_com=False, ntp2_contoso_com=False, ntp_example_com=True)
    um.wait_for("_ntp._udp.contoso.com", "SRV", BOTH, 2.5)


def test_mixed_load_with_health_flips(um, record_property):
    """mixed dnsperf load while health flips"""
    queries = os.path.join(um.work, "mixed.queries")
    with open(queries, "w") as f:
        f.write("_ntp._udp.contoso.com SRV\n_NTP._udp.CONTOSO.com SRV\n"
                "_sipinternaltls._tcp.contoso.com SRV\n_sipinternal._tcp.contoso.com SRV\n"
                "ucupdates-r2.contoso.com A\n_ntp._udp.example.com SRV\n"
                "_ntp._udp.example.com TXT\nwww.example.com A\n"
                "nothere.example.com A\nexample.com SOA\nucupdates-r2.contoso.com SRV\n")
    dnsperf = subprocess.Popen(
        ["ip", "netns", "exec", um.phone, "dnsperf", "-s", "10.100.0.1", "-d", queries,
         "-l", "6", "-c", "4", "-q", "32", "-t", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    flips = 0
    while dnsperf.poll() is None:
        um.health(ntp1_contoso_com=flips % 2 == 0, ntp2_contoso_com=flips % 3 != 0,
               ntp_example_com=flips % 2 == 1)
        flips += 1
        time.sleep(0.3)
    out = dnsperf.communicate()[0]
    sent = [line for line in out.splitlines() if "Queries sent" in line]
    lost = [line for line in out.splitlines() if "Queries lost" in line]
    expect(sent and lost and lost[0].split()[2] == "0", out)
    record_property("note", f"{sent[0].strip()} with {flips} health flips")
    daemon = um.state["daemon"]
    expect(daemon.proc.poll() is None, "unbound died:\n" + daemon.log()[-2000:])
    for marker in ("AddressSanitizer", "runtime error:", "LeakSanitizer"):
        expect(marker not in daemon.log(), daemon.log()[-3000:])
    expect_eq(um.dig("www.example.com", "A"), ["192.0.2.80"], "still answering")


def test_health_from_the_writer_as_its_own_user(um, record_property):
    """unbound as user unbound follows the health file lyncboot-ntp-check writes as its own user"""
    # As deployed: unbound runs as user unbound; lyncboot-ntp-check, as a user of
    # its own with no capabilities, writes the health file in its own directory.
    # ntp1 (10.100.0.1) has a chronyd, ntp2 (10.100.0.9) nothing.
    conf = os.path.join(um.work, "chrony.conf")
    with open(conf, "w") as f:
        f.write(f"local stratum 8\nallow 10.100.0.0/24\nbindaddress 10.100.0.1\n"
                f"cmdport 0\npidfile {um.work}/chronyd.pid\n")
    chronyd = um.lab.start("chronyd", um.srv, ["chronyd", "-d", "-x", "-u", "_chrony", "-f",
                                         conf], platform=True)
    expect(chronyd.wait_for("chronyd version", 10), chronyd.log())
    um.health(ntp1_contoso_com=False, ntp2_contoso_com=True, ntp_example_com=True)
    um.wait_for("_ntp._udp.contoso.com", "SRV", ["10 50 123 ntp2.contoso.com."], 2.5)
    out = run_health_writer(um.lab, um.phone, "-t", "0.5", "-H", "ntp1.contoso.com", "-H",
                            "ntp2.contoso.com", "-H", "ntp.example.com",
                            "--dns-server", "10.100.0.1", "--health-file",
                            os.path.join(um.health_dir, "ntp-health"))
    expect_eq(out.returncode, 2, "ntp2 and ntp.example.com are CRITICAL: " + out.stdout)
    st = os.stat(os.path.join(um.health_dir, "ntp-health"))
    expect_eq((st.st_uid, oct(st.st_mode & 0o777)), (65534, oct(0o644)),
              "written by the writer's user, readable by unbound")
    took = um.wait_for("_ntp._udp.contoso.com", "SRV", ["0 0 123 ntp1.contoso.com."], 2.5)
    record_property("note", f"the writer's verdict reached the phone's answer in {took:.2f} s")
    expect_eq(process_uid(um.state["daemon"].proc.pid), platform_user("unbound")[0],
              "unbound's user")
    chronyd.stop()


def test_reloads_resizing_the_cache_under_load(um, record_property):
    """reloads resizing the message cache while health flips, under load"""
    # Each reload with another msg-cache-size makes unbound free its message cache
    # and make a new one while the module's watcher runs; health flips the whole
    # time and dnsperf keeps the workers busy between reloads.
    queries = os.path.join(um.work, "mixed.queries")
    dnsperf = subprocess.Popen(
        ["ip", "netns", "exec", um.phone, "dnsperf", "-s", "10.100.0.1", "-d", queries,
         "-l", "8", "-c", "4", "-q", "32", "-t", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    flips = reloads = 0
    try:
        while dnsperf.poll() is None:
            um.health(ntp1_contoso_com=flips % 2 == 0, ntp2_contoso_com=True,
                   ntp_example_com=True)
            flips += 1
            if flips % 5 == 0:
                um.state["msg_cache_size"] = "4m" if reloads % 2 else "8m"
                um.write_unbound_conf()
                um.control("reload")
                reloads += 1
            time.sleep(0.1)
    finally:
        dnsperf.communicate()
        if um.state["msg_cache_size"] != "4m":
            um.state["msg_cache_size"] = "4m"
            um.write_unbound_conf()
            um.control("reload")
    record_property("note", f"{reloads} reloads resizing the message cache, {flips} health flips")
    daemon = um.state["daemon"]
    expect(daemon.proc.poll() is None, "unbound died:\n" + daemon.log()[-2000:])
    for marker in ("AddressSanitizer", "runtime error:", "LeakSanitizer"):
        expect(marker not in daemon.log(), daemon.log()[-3000:])
    expect(reloads >= 4, f"only {reloads} reloads")
    # The last reload went back to 4m: the cache was made again at that size.
    size = um.control("get_option", "msg-cache-size").stdout.strip()
    expect_eq(size, str(4 * 1024 * 1024), "msg-cache-size after the reloads")
    # Health still reaches the answer after all that.
    um.health(ntp1_contoso_com=False, ntp2_contoso_com=True, ntp_example_com=True)
    um.wait_for("_ntp._udp.contoso.com", "SRV", ["10 50 123 ntp2.contoso.com."], 2.5)
    um.health(ntp1_contoso_com=True, ntp2_contoso_com=True, ntp_example_com=True)
    um.wait_for("_ntp._udp.contoso.com", "SRV", BOTH, 2.5)


def contoso_zone(um):
    with open(os.path.join(um.work, "contoso.com.zone"), "w") as f:
        f.write("$ORIGIN contoso.com.\n$TTL 300\n@ IN SOA ns hostmaster 1 3600 600 86400 "
                "300\n@ IN NS ns\nns IN A 192.0.2.53\nwww IN A 192.0.2.10\n")


@pytest.mark.parametrize("extra,kind", [(extra, kind) for _, extra, kind in WORKS],
                         ids=[title for title, _, _ in WORKS])
def test_coexists(um, extra, kind):
    """coexists: {id}"""
    contoso_zone(um)
    um.state["site_conf"] = extra.replace("{work}", um.work)
    try:
        d = um.start(um.site_for(kind))
        expect(d.wait_for("start of service", 10), d.log()[-1500:])
        domain = "contoso.test" if kind == "test" else "contoso.com"
        expect_eq(um.dig(f"_sipinternaltls._tcp.{domain}", "SRV"),
                  [f"0 0 5061 pool01.{domain}."], "lyncboot's record")
        expect_eq(um.dig(f"www.{domain}", "A"), ["192.0.2.10"], "the site's own name")
    finally:
        um.state["site_conf"] = ""


@pytest.mark.parametrize("extra,zone_text,fix", [case[1:] for case in REFUSED],
                         ids=[case[0] for case in REFUSED])
def test_refused(um, extra, zone_text, fix):
    """refused, zone and fix named: {id}"""
    contoso_zone(um)
    um.state["site_conf"] = extra.replace("{work}", um.work)
    try:
        d = um.start(um.site_for("test" if "test." in zone_text else ""))
        try:
            d.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        expect(d.proc.returncode not in (None, 0), "unbound started:\n" + d.log()[-1500:])
        expect(zone_text in d.log() and fix in d.log(),
               f"{zone_text!r} and {fix!r} not in:\n{d.log()[-1500:]}")
    finally:
        um.state["site_conf"] = ""


def test_debian_package_loads_module(um, record_property):
    """the rebuilt Debian package's unbound loads the module"""
    if TREE or not DEBS:
        pytest.skip("no packages (build-unbound-dynlib --deb)" if not TREE else "this host's packages only")
    deb = [f for f in os.listdir(DEBS) if f.startswith("unbound_") and f.endswith(".deb")]
    expect(len(deb) == 1, f"one unbound_*.deb in {DEBS}: {deb}")
    root = os.path.join(um.work, "deb-root")
    subprocess.run(["dpkg-deb", "-x", os.path.join(DEBS, deb[0]), root], check=True)
    binary = os.path.join(root, "usr", "sbin", "unbound")
    version = subprocess.run([binary, "-V"], capture_output=True, text=True).stdout
    expect("dynlib" in version, version)
    field = subprocess.run(["dpkg-deb", "-f", os.path.join(DEBS, deb[0]), "Version"],
                           capture_output=True, text=True, check=True).stdout.strip()
    expect(field.endswith("+lyncboot1"), f"package version {field}")
    d = um.start(SITE.format(work=um.work), binary)
    expect(d.wait_for("start of service", 10), d.log())
    expect_eq(um.dig("_sipinternaltls._tcp.contoso.com", "SRV"),
              ["0 0 5061 pool01.contoso.com."], "answered by the packaged unbound")
    record_property("note", f"{deb[0]}")


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
