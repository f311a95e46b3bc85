#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""ansible/site.yml from this Debian 12 controller onto a clean host of another
release: a minbase tree of it (tools/platform-tree --minbase) with python3, reached by
the community.general.chroot connection. The roles install Kea, unbound and chrony from
the release and lyncboot from its packages (LYNCBOOT_DEBS, tools/build-debs), render
and check every configuration with the release's own servers (lyncboot-kea-check runs a
throwaway kea-dhcp4 of the release), and a second converge changes nothing. Services
stay unmanaged (no systemd); unbound in stock mode (the release's unbound has no
dynlib).

  LYNCBOOT_DEBS=DIR LYNCBOOT_PACKAGE_RELEASE=trixie|forky test_ansible_tree.py"""
import json
import os
import re
import shutil
import sys
import types

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import TOP, Lab, expect, expect_eq, run, run_tests  # noqa: E402
from test_packages import in_root, unpack_minbase  # noqa: E402

DEBS = os.environ.get("LYNCBOOT_DEBS", "")
RELEASE = os.environ.get("LYNCBOOT_PACKAGE_RELEASE", "")
ANSIBLE = os.path.join(TOP, "ansible")


@pytest.fixture(scope="module")
def host():
    """A clean minbase tree of RELEASE that Ansible manages through chroot, and the
    inventory of it."""
    if os.geteuid() != 0 or not DEBS or not RELEASE:
        raise RuntimeError("ansible onto a tree: needs root, LYNCBOOT_DEBS and "
                           "LYNCBOOT_PACKAGE_RELEASE")
    with Lab("at") as lab:
        root = os.path.join(lab.workdir, "root")
        inventory = os.path.join(lab.workdir, "hosts.yml")
        try:
            unpack_minbase(root)
            # A host Ansible can manage has python3 (and apt's module its python3-apt).
            in_root(root, "apt-get", "update", "-q")
            in_root(root, "apt-get", "install", "-y", "-q", "--no-install-recommends",
                    "python3", "python3-apt")
            host = {"ansible_connection": "community.general.chroot", "ansible_host": root,
                    "ansible_python_interpreter": "/usr/bin/python3"}
            with open(inventory, "w") as f:
                json.dump({"all": {
                    "hosts": {RELEASE: host},
                    "children": {group: {"hosts": {RELEASE: None}} for group in
                                 ("lyncboot_kea", "lyncboot_unbound", "lyncboot_chrony",
                                  "lyncboot_lldp")},
                    "vars": {"lyncboot_package_dir": DEBS, "lyncboot_unbound_mode": "stock",
                             "lyncboot_kea_manage_services": False,
                             "lyncboot_unbound_manage_services": False,
                             "lyncboot_chrony_manage_services": False,
                             "lyncboot_lldp_manage_services": False,
                             "lyncboot_rollout_tracking": True,
                             "lyncboot_lldp_ports": [{"vlan": "data",
                                                      "interfaces": ["eth1", "eth2"]}]}}}, f)
            yield types.SimpleNamespace(root=root, inventory=inventory)
        finally:
            shutil.rmtree(root, ignore_errors=True)


def play(host):
    """ansible-playbook site.yml onto the host: its output and the host's recap line."""
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PY_COLORS="0")
    # A host has /proc (forky's kea-common runs systemd-tmpfiles, which needs it):
    # mounted into the tree for the converge, in a mount namespace of its own.
    out = run("unshare", "--mount", "--propagation", "private", "sh", "-c",
              'mount -t proc proc "$0/proc" && exec "$@"', host.root,
              "ansible-playbook", "-i", host.inventory, "-e",
              "@inventory/lab/group_vars/all/site.yml", "site.yml", check=False,
              cwd=ANSIBLE, env=env, timeout=1200)
    recap = re.search(r"^" + RELEASE + r"\s+: (.*)$", out.stdout, re.M)
    return out, (re.sub(r"\s+", " ", recap.group(1)) if recap else "no recap")


def test_converge(host, record_property):
    """site.yml converges onto a clean host of the release"""
    out, recap = play(host)
    record_property("note", f"{RELEASE}: {recap}")
    fatal = "\n".join(line[:1500] for line in out.stdout.splitlines()
                      if line.startswith(("fatal:", "failed:", "TASK [")))
    expect(out.returncode == 0 and "failed=0" in recap,
           f"{recap}\n{fatal[-4000:]}\n{out.stderr[-1000:]}")


def test_second_converge(host, record_property):
    """a second converge changes nothing"""
    out, recap = play(host)
    record_property("note", f"{RELEASE}: {recap}")
    changed = [line for line in out.stdout.splitlines() if line.startswith("changed:")]
    expect(out.returncode == 0 and "changed=0" in recap and "failed=0" in recap,
           f"{recap}\n" + "\n".join(changed))


def test_what_it_left(host):
    """the packages installed, the hook at the package's path, lldpd's policy, tracking"""
    root = host.root
    for name in ("lyncboot-kea-hook", "lyncboot-unbound", "lyncboot-tools"):
        status = in_root(root, "dpkg-query", "-W", "-f", "${Status}", name).stdout
        expect_eq(status, "install ok installed", name)
    with open(os.path.join(root, "etc/kea/kea-dhcp4.conf")) as f:
        hooks = [h["library"] for h in json.load(f)["Dhcp4"]["hooks-libraries"]]
    owned = in_root(root, "dpkg-query", "-L", "lyncboot-kea-hook").stdout.splitlines()
    expect(hooks[-1] in owned, f"hook path {hooks[-1]} is not the package's")
    for path in ("etc/default/lyncboot-ntp-health", "etc/default/lyncboot-unbound-publish",
                 "etc/unbound/lyncboot.conf", "etc/chrony/conf.d/lyncboot.conf",
                 "etc/lldpd.d/lyncboot.conf"):
        expect(os.path.exists(os.path.join(root, path)), f"/{path} missing")
    with open(os.path.join(root, "etc/lldpd.d/lyncboot.conf")) as f:
        expect("configure ports eth1,eth2 med policy application voice tagged vlan 100 priority "
               "voice dscp 46" in f.read(), "the voice policy lldpd reads")
    # Rollout tracking: the release's unbound-checkconf took the dnstap snippet, the
    # collector's unit comes with lyncboot-unbound, fstrm_capture with fstrm-bin.
    with open(os.path.join(root, "etc/kea/kea-dhcp4.conf")) as f:
        params = json.load(f)["Dhcp4"]["hooks-libraries"][-1]["parameters"]
    expect_eq(params.get("phones-tracked"), 10000, "phones-tracked")
    for path in ("etc/unbound/unbound.conf.d/lyncboot-dnstap.conf",
                 "etc/default/lyncboot-dnstap", "usr/bin/fstrm_capture"):
        expect(os.path.exists(os.path.join(root, path)), f"/{path} missing")
    units = in_root(root, "dpkg-query", "-L", "lyncboot-unbound").stdout
    expect("/lyncboot-dnstap.service" in units, "lyncboot-dnstap.service not packaged")
    out = in_root(root, "unbound-checkconf", "/etc/unbound/unbound.conf.d/lyncboot-dnstap.conf",
                  check=False)
    expect_eq(out.returncode, 0, "unbound-checkconf: " + out.stdout + out.stderr)


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
