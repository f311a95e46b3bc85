#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""ansible/: lint, syntax, two converges of the example site onto this host (the second
must change nothing), wrong variables and a bad FQDN stopped before any server
configuration changes, a bad hook setting refused by the throwaway kea-dhcp4 while the
running configuration stays, a two-host group rendered as a Kea HA pair that a real
kea-dhcp4 accepts with the HA hooks loaded (then run for real over mutual TLS), and the
same two hosts as a fleet on a shared PostgreSQL (run for real too). Services stay
unmanaged (no systemd)."""
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (DEBIAN_PYTHON, KEA_AS_DEPLOYED, TOP, Lab, expect, expect_eq,  # noqa: E402
                    platform_user, run_tests)
import fleet_live  # noqa: E402

ANSIBLE = os.path.join(TOP, "ansible")
SITE = os.path.join(ANSIBLE, "inventory", "lab", "group_vars", "all", "site.yml")
QUERY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dhcp_query.py")
# lyncboot's packages for this host (tests/run makes them with tools/build-debs).
DEBS = os.environ.get("LYNCBOOT_HOST_DEBS", os.path.join(TOP, "build-debs-host"))
MODE_ARGS = ["-e", f"lyncboot_package_dir={DEBS}", "-e", "lyncboot_unbound_mode=stock"]
if os.environ.get("LYNCBOOT_UNBOUND_DEBS"):
    # Module mode with no packages given: the role runs build-unbound-dynlib --deb on the
    # host, which finds tests/run's build in its cache (the lab gives the packages).
    MODE_ARGS = ["-e", f"lyncboot_package_dir={DEBS}", "-e", "lyncboot_unbound_mode=module",
                 "-e", "lyncboot_unbound_deb_dir="]
# What the role writes on this host: a refused play must leave each as it was.
RENDERED = ["/etc/kea/kea-dhcp4.conf", "/etc/unbound/lyncboot.conf",
            "/etc/chrony/conf.d/lyncboot.conf", "/etc/chrony/sources.d/lyncboot.sources",
            "/etc/lldpd.d/lyncboot.conf"]
ENV = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PY_COLORS="0")


@pytest.fixture(scope="module")
def lab():
    """The test's directory (inventories, site variants, the HA pair's files) and the
    namespaces and servers of the live runs."""
    if os.geteuid() != 0:
        pytest.skip("needs root")
    if not shutil.which("ansible-playbook"):
        pytest.skip("ansible-core not installed")
    if not os.path.exists(os.path.join(DEBS, "stamp")):
        raise RuntimeError(f"no packages in {DEBS} (tools/build-debs host)")
    with Lab("an") as lab:
        yield lab


def ansible(*argv):
    return subprocess.run(list(argv), cwd=ANSIBLE, env=ENV, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=1800)


def play(*args, inventory="inventory/lab/hosts.yml", mode_args=True):
    """ansible-playbook site.yml: (exit status, output)."""
    out = ansible("ansible-playbook", "-i", inventory, "site.yml",
                  *(MODE_ARGS if mode_args else []), *args)
    return out.returncode, out.stdout


def recap(output):
    """The host's line of the PLAY RECAP, blanks squeezed."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if "PLAY RECAP" in line and index + 1 < len(lines):
            return re.sub(r"\s+", " ", lines[index + 1])
    return "no recap"


def sums(paths=RENDERED):
    """What the files hold now (missing ones too)."""
    result = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                result.append(hashlib.md5(f.read()).hexdigest())
        except OSError as ex:
            result.append(str(ex))
    return result


def site_variant(lab, name, *edits):
    """The example site's variables with edits (pattern, replacement, per line): a file
    for -e @FILE."""
    with open(SITE) as f:
        text = f.read()
    for pattern, replacement in edits:
        text = re.sub(pattern, replacement, text, flags=re.M)
    path = os.path.join(lab.workdir, f"{name}.yml")
    with open(path, "w") as f:
        f.write(text)
    return path


def refused_before_anything_changes(lab, name, edits, *wanted):
    """A play with the edited site fails, its output has every wanted pattern, and no
    server configuration changed."""
    before = sums()
    status, out = play("-e", "@" + site_variant(lab, name, *edits))
    expect(status != 0, "the play succeeded:\n" + out[-3000:])
    for pattern in wanted:
        expect(re.search(pattern, out), f"{pattern!r} not in:\n{out[-3000:]}")
    expect("changed=0" in recap(out), recap(out))
    expect_eq(sums(), before, "the rendered configuration")


def test_yamllint(lab):
    """yamllint clean"""
    out = ansible("yamllint", ".")
    expect_eq(out.returncode, 0, out.stdout)


def test_ansible_lint(lab):
    """ansible-lint clean (production profile)"""
    out = ansible("ansible-lint", "--offline")
    expect_eq(out.returncode, 0, out.stdout[-4000:])


def test_syntax(lab):
    """site.yml syntax"""
    out = ansible("ansible-playbook", "-i", "inventory/lab/hosts.yml", "site.yml",
                  "--syntax-check")
    expect_eq(out.returncode, 0, out.stdout)


def test_converge(lab, record_property):
    """converge"""
    status, out = play()
    record_property("note", recap(out))
    expect(status == 0 and "failed=0" in recap(out), out[-4000:])


def test_second_converge(lab, record_property):
    """second converge changes nothing"""
    status, out = play()
    record_property("note", recap(out))
    changed = [line for line in out.splitlines() if line.startswith("changed:")]
    expect(status == 0 and re.search(r"changed=0 .*failed=0", recap(out)),
           "\n".join(changed) + "\n" + recap(out))


TRACKING = {"/etc/unbound/unbound.conf.d/lyncboot-dnstap.conf":
            'dnstap-socket-path: "/run/lyncboot-lab/dnstap/dnstap.sock"',
            "/etc/default/lyncboot-dnstap": "LYNCBOOT_DNSTAP_SPLIT=300",
            "/etc/chrony/conf.d/lyncboot.conf": "clientloglimit 524288",
            "/etc/apparmor.d/local/usr.sbin.unbound": "/run/lyncboot-lab/dnstap/dnstap.sock rw,"}


def phones_tracked():
    with open("/etc/kea/kea-dhcp4.conf") as f:
        hooks = json.load(f)["Dhcp4"]["hooks-libraries"]
    return next(h["parameters"] for h in hooks if "lyncboot" in h["library"]).get(
        "phones-tracked")


def test_rollout_tracking_rendered(lab):
    """rollout tracking rendered: phones-tracked, dnstap snippet, collector, clientloglimit, AppArmor"""
    expect_eq(phones_tracked(), 2000, "phones-tracked")
    for path, text in TRACKING.items():
        with open(path) as f:
            expect(text in f.read(), f"{path} lacks {text!r}")
    out = subprocess.run(["unbound-checkconf", "/etc/unbound/unbound.conf.d/lyncboot-dnstap.conf"],
                         capture_output=True, text=True)
    expect_eq(out.returncode, 0, "unbound-checkconf: " + out.stdout + out.stderr)


def test_rollout_tracking_off(lab, record_property):
    """rollout tracking off: nothing of it is left; on again: back as it was"""
    status, out = play("-e", "lyncboot_rollout_tracking=false")
    record_property("note", "off: " + recap(out))
    expect(status == 0 and "failed=0" in recap(out), out[-3000:])
    expect_eq(phones_tracked(), None, "phones-tracked")
    for path in list(TRACKING)[:2]:
        expect(not os.path.exists(path), f"{path} left behind")
    for path, text in list(TRACKING.items())[2:]:
        with open(path) as f:
            expect(text not in f.read(), f"{path} still has {text!r}")
    status, out = play()
    expect(status == 0 and "failed=0" in recap(out), out[-3000:])
    expect_eq(phones_tracked(), 2000, "phones-tracked again")


def test_wrong_role_variable(lab):
    """a wrong role variable fails the argument specs before anything changes"""
    before = sums()
    status, out = play("-e", "lyncboot_kea_manage_services=maybe")
    expect(status != 0, "the play succeeded")
    expect(re.search(r"lyncboot_kea_manage_services.*not a valid boolean", out), out[-3000:])
    expect(re.search(r"ok=.*changed=0", recap(out)), recap(out))
    expect_eq(sums(), before, "the rendered configuration")


def test_unknown_key(lab):
    """an unknown key in the site description is rejected by the argument spec"""
    refused_before_anything_changes(
        lab, "unknown-key", [(r"^      voice_vlan: 100 .*$", "      voice_vlan: 100\n      colour: blue")],
        r"lyncboot_site.vlans.colour. Supported parameters include")


def test_bad_fqdn(lab):
    """a bad FQDN stops the play before any server configuration changes"""
    refused_before_anything_changes(
        lab, "bad-fqdn", [(r"registrars: \[pool01\.contoso\.com\]",
                           "registrars: [pool01..contoso.com]")],
        r"lyncboot_site.domains\[0\].registrars\[0\]: 'pool01..contoso.com' is not a valid FQDN")


# Text that would reach a configuration file or a command line: a newline that would add
# chrony directives (and still pass chronyd -p), a blank that would split the health
# writer's command line. Each stopped by its pattern before anything changes. (The
# backslash-n is YAML's escape inside double quotes: a newline in the value.)
DATA_WITH_NEWLINE = (r"^    - name: data$", r'    - name: "data\\nallow 0.0.0.0/0"')


def test_newline_in_upstream(lab):
    """a newline in an upstream time source stops the play before anything changes"""
    refused_before_anything_changes(
        lab, "injection", [(r"^  ntp_upstreams: \[\].*$",
                            r'  ntp_upstreams: ["pool.ntp.org\\nallow all"]'),
                           DATA_WITH_NEWLINE],
        r"lyncboot_site.ntp_upstreams\[0\]: .*pool.ntp.org.*is not a host name")


def test_newline_in_vlan_name(lab):
    """a newline in a VLAN name stops the play before anything changes"""
    refused_before_anything_changes(
        lab, "injection", [(r"^  ntp_upstreams: \[\].*$", "  ntp_upstreams: []"),
                           DATA_WITH_NEWLINE],
        r"lyncboot_site.vlans\[0\].name: .*must match")


def test_blank_in_health_file(lab):
    """a blank in health_file (a unit's command line) stops the play before anything changes"""
    refused_before_anything_changes(
        lab, "injection", [(r"^  health_file: .*$",
                            '  health_file: "/run/lyncboot-lab/health/ntp health --interval 1"')],
        r"lyncboot_site.health_file: .*must match")


def test_bad_hook_setting(lab):
    """a bad hook setting is refused by a throwaway kea-dhcp4; the configuration stays"""
    # Only the hook knows its keys: the throwaway kea-dhcp4 of lyncboot-kea-check refuses it.
    before = sums()
    status, out = play("-e", "@" + site_variant(
        lab, "bad-hook", (r"^      interface: v-vlan100$",
                          "      interface: v-vlan100\n      lyncboot: {web-port: 70000}")))
    expect(status != 0, "the play succeeded")
    expect(re.search(r"LYNCBOOT_CONFIG_ERROR.*web-port", out) and "failed to validate" in out,
           out[-3000:])
    expect_eq(sums(), before, "the rendered configuration")


# Two hosts in lyncboot_kea: a load-balancing HA pair. Both are this machine here, each
# with its own files; the role's check runs each rendered file in a throwaway kea-dhcp4
# with the HA hooks. Then the two run for real, each in its own namespace on one phone
# segment (a bridge), until they reach load-balancing, and phones are answered by both.
HA_PEERS = {"kea-a": "10.100.0.11", "kea-b": "10.100.0.12"}


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def ha_pki(work):
    """The peers authenticate each other with certificates from the site's CA (mutual
    TLS): a CA and one certificate a peer, client and server, for its address; and an
    intruder's certificate of its own making."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{work}/ha-ca.key",
            "-out", f"{work}/ha-ca.pem", "-days", "30", "-subj", "/CN=lyncboot HA test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    for name, addr in list(HA_PEERS.items()) + [("kea-intruder", "10.100.0.50")]:
        if name == "kea-intruder":
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    f"{work}/{name}.key", "-out", f"{work}/{name}.pem", "-days", "30",
                    "-subj", f"/CN={name}")
            continue
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{work}/{name}.key",
                "-out", f"{work}/{name}.csr", "-subj", f"/CN={name}")
        with open(f"{work}/ext", "w") as f:
            f.write(f"subjectAltName=IP:{addr}\nextendedKeyUsage=serverAuth,clientAuth\n")
        openssl("x509", "-req", "-in", f"{work}/{name}.csr", "-CA", f"{work}/ha-ca.pem",
                "-CAkey", f"{work}/ha-ca.key", "-CAcreateserial", "-days", "30",
                "-extfile", f"{work}/ext", "-out", f"{work}/{name}.pem")


def two_kea_hosts(path, hosts, group_vars=()):
    """An inventory of two lyncboot_kea hosts (name -> variables) on this machine."""
    inventory = {"all": {
        "children": {"lyncboot_kea": {"hosts": hosts}},
        "vars": dict({"ansible_connection": "local",
                      "ansible_python_interpreter": "/usr/bin/python3",
                      "lyncboot_kea_manage_services": False}, **dict(group_vars))}}
    with open(path, "w") as f:
        json.dump(inventory, f)
    return path


def ha_site(lab):
    return site_variant(lab, "ha-site", (r"interface: v-data", "interface: eth0"),
                        (r"interface: v-vlan100", "interface: eth0"))


@pytest.fixture(scope="module")
def ha(lab):
    """The pair's inventory, site and certificates."""
    work = lab.workdir
    ha_pki(work)
    hosts = {name: {
        "lyncboot_kea_config_path": f"{work}/{name}.conf",
        "lyncboot_kea_ha_url": f"https://{addr}:8001/",
        "lyncboot_kea_interfaces": ["eth0"],
        "lyncboot_kea_lease_file": f"{work}/{name}-leases.csv",
        "lyncboot_kea_control_socket": f"{work}/{name}.sock",
        "lyncboot_kea_log_file": f"{work}/{name}.log",
        "lyncboot_kea_ha_tls_ca_file": f"{work}/ha-ca.pem",
        "lyncboot_kea_ha_tls_dir": f"{work}/tls-{name}",
        "lyncboot_kea_ha_tls_cert_file": f"{work}/{name}.pem",
        "lyncboot_kea_ha_tls_key_file": f"{work}/{name}.key"}
        for name, addr in HA_PEERS.items()}
    return two_kea_hosts(os.path.join(work, "ha.yml"), hosts), ha_site(lab)


def test_ha_pair_rendered(lab, ha):
    """two Kea hosts: an HA pair (load-balancing, split pools, lyncboot hook on both), accepted by kea-dhcp4"""
    inventory, site = ha
    status, out = play("-e", "@" + site, "-e", f"lyncboot_package_dir={DEBS}",
                       inventory=inventory, mode_args=False)
    expect_eq(status, 0, "the play:\n" + out[-4000:])
    for me in HA_PEERS:
        with open(os.path.join(lab.workdir, f"{me}.conf")) as f:
            d = json.load(f)["Dhcp4"]
        libs = [h["library"].rsplit("/", 1)[1] for h in d["hooks-libraries"]]
        expect_eq(libs, ["libdhcp_lease_cmds.so", "libdhcp_ha.so", "libdhcp_lyncboot.so"],
                  "hook libraries")
        config = d["hooks-libraries"][1]["parameters"]["high-availability"][0]
        expect(config["this-server-name"] == me and config["mode"] == "load-balancing", config)
        expect_eq([p["role"] for p in config["peers"]], ["primary", "secondary"], "roles")
        expect(all(p["url"].startswith("https://") for p in config["peers"]), config["peers"])
        expect(config["require-client-certs"] is True and config["restrict-commands"] is True,
               config)
        expect(config["trust-anchor"].endswith(f"tls-{me}/ca.pem"), config)
        expect(d["multi-threading"]["enable-multi-threading"] is True, d["multi-threading"])
        expect_eq(d["subnet4"][1]["pools"],
                  [{"pool": "10.100.0.100-10.100.0.149", "client-class": "HA_kea-a"},
                   {"pool": "10.100.0.150-10.100.0.199", "client-class": "HA_kea-b"}], "pools")


def test_ha_pair_without_tls_files(lab, ha):
    """an HA pair without its TLS files is refused before anything changes"""
    # Without them the pair's HA listener would be open.
    inventory, site = ha
    confs = [os.path.join(lab.workdir, f"{name}.conf") for name in HA_PEERS]
    before = sums(confs)
    status, out = play("-e", "@" + site, "-e", f"lyncboot_package_dir={DEBS}",
                       "-e", "lyncboot_kea_ha_tls_key_file=", inventory=inventory,
                       mode_args=False)
    expect(status != 0, "the play succeeded")
    expect("kea-a is one of a Kea HA pair: set lyncboot_kea_ha_tls_ca_file" in out, out[-3000:])
    expect("changed=0" in recap(out), recap(out))
    expect_eq(sums(confs), before, "the pair's configuration")


# The same two hosts sharing a PostgreSQL database: a fleet (no HA), the database their
# lease database and configuration backend; checked by the role's throwaway kea-dhcp4,
# then run for real against Debian's PostgreSQL (fleet_live.py).
FLEET = {"fleet-a": "10.98.1.1", "fleet-b": "10.98.2.1"}


@pytest.fixture(scope="module")
def fleet(lab):
    work = lab.workdir
    hosts = {name: {"lyncboot_kea_config_path": f"{work}/{name}.conf",
                    "lyncboot_kea_interfaces": ["eth0"],
                    "lyncboot_kea_control_socket": f"{work}/{name}.sock",
                    "lyncboot_kea_log_file": f"{work}/{name}.log",
                    "lyncboot_kea_database_host": db}
             for name, db in FLEET.items()}
    inventory = two_kea_hosts(os.path.join(work, "fleet.yml"), hosts, [
        ("lyncboot_kea_database_password", "lyncboot-test-only"),
        ("lyncboot_kea_database_fetch_wait_time", 5)])
    return inventory, ha_site(lab), [f"{work}/{name}.conf" for name in FLEET]


def test_fleet_rendered(lab, fleet):
    """two Kea hosts sharing PostgreSQL: a fleet (lease database and configuration backend, no HA), accepted by kea-dhcp4"""
    inventory, site, confs = fleet
    status, out = play("-e", "@" + site, "-e", f"lyncboot_package_dir={DEBS}",
                       inventory=inventory, mode_args=False)
    expect_eq(status, 0, "the play:\n" + out[-4000:])
    for path, db in zip(confs, FLEET.values()):
        with open(path) as f:
            d = json.load(f)["Dhcp4"]
        libs = [h["library"].rsplit("/", 1)[1] for h in d["hooks-libraries"]]
        expect(libs in (["libdhcp_pgsql_cb.so", "libdhcp_lyncboot.so"],
                        ["libdhcp_pgsql.so", "libdhcp_lyncboot.so"]), libs)
        access = {"type": "postgresql", "host": db, "port": 5432, "name": "kea", "user": "kea",
                  "password": "lyncboot-test-only"}
        expect_eq(d["lease-database"], access, "lease-database")
        expect_eq(d["config-control"], {"config-databases": [access],
                                        "config-fetch-wait-time": 5}, "config-control")
        expect(d["multi-threading"]["enable-multi-threading"] is False, d["multi-threading"])
        expect_eq(d["subnet4"][1]["pools"], [{"pool": "10.100.0.100-10.100.0.199"}], "pools")


def test_fleet_bad_database_settings(lab, fleet):
    """a bad database name or no password is refused before anything changes"""
    inventory, site, confs = fleet
    before = sums(confs)
    common = ["-e", "@" + site, "-e", f"lyncboot_package_dir={DEBS}"]
    status, out = play(*common, "-e", '{"lyncboot_kea_database_name": "kea; DROP TABLE lease4"}',
                       inventory=inventory, mode_args=False)
    expect(status != 0 and "needs a host name or IPv4 address" in out and
           "kea; DROP TABLE lease4" in out, out[-3000:])
    expect("changed=0" in recap(out), recap(out))
    status, out = play(*common, "-e", "lyncboot_kea_database_password=",
                       inventory=inventory, mode_args=False)
    expect(status != 0 and '"assertion": "lyncboot_kea_database_password' in out, out[-3000:])
    expect("changed=0" in recap(out), recap(out))
    expect_eq(sums(confs), before, "the fleet's configuration")


def test_fleet_runs(fleet, record_property):
    """the fleet runs on Debian's PostgreSQL"""
    _, _, confs = fleet
    with Lab("fl") as live:
        try:
            record_property("note", fleet_live.run(live, confs))
        except AssertionError as ex:  # with what the servers said about it
            said = [f"{daemon.name}: {line}" for daemon in live.daemons
                    for line in daemon.log().splitlines()
                    if " ERROR " in line or " WARN " in line or "FATAL" in line]
            raise AssertionError("\n".join([str(ex)] + said[-40:])) from None


def test_ha_pair_runs(lab, ha, record_property):
    """the HA pair runs over mutual TLS: both reach load-balancing and share the phones, lyncboot options from each"""
    work = lab.workdir
    phone = lab.netns("phone")
    lab.ns_run(phone, "ip", "link", "add", "br0", "type", "bridge")
    lab.ns_run(phone, "ip", "addr", "add", "10.100.0.50/24", "dev", "br0")
    lab.ns_run(phone, "ip", "link", "set", "br0", "up")
    # As Debian's unit runs it: _kea, its two capabilities (its socket, log and lease
    # files in the test's directory, which _kea's group may write).
    kea_uid, kea_gid = platform_user("_kea")
    os.chown(work, -1, kea_gid)
    os.chmod(work, 0o775)
    logs = {}
    for n, (name, addr) in enumerate(HA_PEERS.items(), 1):
        srv = lab.netns(name)
        lab.segment(srv, "eth0", phone, f"p{n}", f"{addr}/24")
        lab.ns_run(phone, "ip", "link", "set", f"p{n}", "master", "br0")
        run_dir = os.path.join(work, f"run-{name}")
        os.makedirs(run_dir, exist_ok=True)
        os.chown(run_dir, kea_uid, kea_gid)
        for path in (f"{work}/{name}.log", f"{work}/{name}-leases.csv"):
            open(path, "a").close()
            os.chown(path, kea_uid, -1)
        logs[name] = f"{work}/{name}.log"
        lab.start(f"{name}.out", srv, KEA_AS_DEPLOYED + ["kea-dhcp4", "-c", f"{work}/{name}.conf"],
                  env={"KEA_PIDFILE_DIR": run_dir, "KEA_LOCKFILE_DIR": run_dir})

    def log(name):
        with open(logs[name], errors="replace") as f:
            return f.read()

    def what_they_said():
        return "\n".join(line for name in HA_PEERS for line in log(name).splitlines()
                         if "HA_" in line or "ERROR" in line)[-3000:]

    # Both in load-balancing (heartbeats every 10 s, lease sync): about 30 s, so up to 60.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all("to LOAD-BALANCING" in log(name)
                                                  for name in HA_PEERS):
        time.sleep(0.1)
    expect(all("to LOAD-BALANCING" in log(name) for name in HA_PEERS),
           "no LOAD-BALANCING state:\n" + what_they_said())
    # 16 phones (different MACs) send a DHCPINFORM: each is answered once, by the peer
    # whose half of the clients it is, with the lyncboot options.
    replies = []
    for i in range(10, 26):
        out = lab.ns_run(phone, DEBIAN_PYTHON, QUERY, "--iface", "br0", "--type", "inform",
                         "--ciaddr", "10.100.0.50", "--vendor-class", "MS-UC-Client",
                         "--mac", f"02:1c:00:00:00:{i}", "--timeout", "1").stdout
        answer = json.loads(out)["replies"]
        expect_eq(len(answer), 1, f"replies to phone {i}")
        replies.append(answer[0])
    servers = collections.Counter(r["server_id"] for r in replies)
    expect_eq(set(servers), set(HA_PEERS.values()), "the servers that answered")
    expect(all("43" in r["options"] and "120" in r["options"] for r in replies), replies)
    record_property("note", ", ".join(f"answered by {addr}: {servers[addr]}"
                                      for addr in HA_PEERS.values()))
    # The listeners are locked: from the phone segment, dhcp-disable without a
    # certificate and with one the CA did not sign is refused at the TLS handshake; a
    # peer's certificate gets in, and then only HA commands (config-write: 403).
    disable = '{"command": "dhcp-disable", "service": ["dhcp4"]}'
    write = ('{"command": "config-write", "service": ["dhcp4"], '
             '"arguments": {"filename": "/tmp/x"}}')

    def curl(body, *cert):
        return lab.ns_run(phone, "curl", "-sS", "-m", "5", "-H", "Content-Type: application/json",
                          "--cacert", f"{work}/ha-ca.pem", *cert, "-d", body,
                          "https://10.100.0.11:8001/", check=False)
    expect(curl(disable).returncode != 0, "dhcp-disable without a certificate was answered")
    expect(curl(disable, "--cert", f"{work}/kea-intruder.pem", "--key",
                f"{work}/kea-intruder.key").returncode != 0,
           "dhcp-disable with a certificate of another CA was answered")
    answer = curl(write, "--cert", f"{work}/kea-b.pem", "--key", f"{work}/kea-b.key")
    expect("403" in answer.stdout + answer.stderr,
           f"config-write with a peer's certificate was not refused: {answer.stdout}")


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
