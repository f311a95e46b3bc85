#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""lyncboot's Debian packages (tools/build-debs) in a clean minbase tree of the release
they were built for (tools/platform-tree --minbase): apt installs them with what they
depend on; kea-dhcp4 loads the hook from the package's path; lyncboot-kea-check and the
tools run from the package; apt purge leaves nothing of theirs behind.

  LYNCBOOT_DEBS=DIR LYNCBOOT_PACKAGE_RELEASE=bookworm|trixie|forky test_packages.py"""
import glob
import os
import re
import shutil
import sys
import types

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import TOP, Lab, chrooted, expect, expect_eq, run, run_tests  # noqa: E402

DEBS = os.environ.get("LYNCBOOT_DEBS", "")
RELEASE = os.environ.get("LYNCBOOT_PACKAGE_RELEASE", "")
# What the packages need that minbase lacks comes with them through apt; these are the
# servers a site already runs, installed first so that purge can be compared to them.
SITE_PACKAGES = ["kea-dhcp4-server", "unbound", "chrony"]
# Where apt and dpkg keep their own records: not the packages' leftovers.
OWN_RECORDS = ("/var/lib/dpkg/", "/var/lib/apt/", "/var/cache/", "/var/log/", "/tmp/",
               "/proc/", "/run/", "/var/lib/systemd/deb-systemd", "/etc/ld.so.cache",
               "/var/lib/ucf/")


def in_root(root, *argv, check=True, timeout=600):
    """argv chrooted in root, with /proc for its duration (private mount namespace)."""
    return run(*chrooted(root, ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                "LC_ALL=C.UTF-8", "DEBIAN_FRONTEND=noninteractive", *argv]),
               check=check, timeout=timeout)


def unpack_minbase(root):
    """A clean minbase tree of RELEASE (tools/platform-tree --minbase, cached) at root."""
    tarball = run(os.path.join(TOP, "tools", "platform-tree"), "--minbase", RELEASE,
                  timeout=900).stdout.strip()
    os.makedirs(root)
    run("tar", "-C", root, "-xf", tarball)


def files(root):
    out = in_root(root, "find", "/", "-xdev", "-not", "-type", "d").stdout.splitlines()
    return {path for path in out if not path.startswith(OWN_RECORDS)}


@pytest.fixture(scope="module")
def pk():
    """A clean minbase tree of RELEASE and the packages to install there."""
    if os.geteuid() != 0 or not DEBS or not RELEASE:
        raise RuntimeError("packages: needs root, LYNCBOOT_DEBS and LYNCBOOT_PACKAGE_RELEASE")
    debs = sorted(path for path in glob.glob(os.path.join(DEBS, "lyncboot-*.deb"))
                  if "-dbgsym_" not in path)
    with Lab("pk") as lab:
        root = os.path.join(lab.workdir, "root")
        try:
            unpack_minbase(root)
            yield types.SimpleNamespace(lab=lab, root=root, debs=debs, state={},
                                        names=[os.path.basename(path).split("_")[0]
                                               for path in debs])
        finally:
            shutil.rmtree(root, ignore_errors=True)


def test_installs(pk, record_property):
    """apt installs lyncboot's packages with their dependencies"""
    in_root(pk.root, "apt-get", "update", "-q")
    # The site's servers and everything the packages depend on first, so that the
    # snapshot holds all but lyncboot's own files.
    depends = set()
    for path in pk.debs:
        field = run("dpkg-deb", "-f", path, "Depends").stdout
        for item in field.split(","):
            name = item.split("|")[0].split("(")[0].strip()
            if name and not name.startswith("lyncboot"):
                depends.add(name)
    in_root(pk.root, "apt-get", "install", "-y", "-q", "--no-install-recommends",
            *SITE_PACKAGES, *sorted(depends))
    pk.state["before"] = files(pk.root)
    os.makedirs(os.path.join(pk.root, "tmp", "debs"))
    for path in pk.debs:
        shutil.copy(path, os.path.join(pk.root, "tmp", "debs"))
    inner = [os.path.join("/tmp/debs", os.path.basename(path)) for path in pk.debs]
    out = in_root(pk.root, "apt-get", "install", "-y", "-q", "--no-install-recommends",
                  *inner, check=False)
    expect_eq(out.returncode, 0, "apt-get install:\n" + out.stdout[-1500:] + out.stderr)
    for name in pk.names:
        status = in_root(pk.root, "dpkg-query", "-W", "-f", "${Status}", name).stdout
        expect_eq(status, "install ok installed", name)
    record_property("note", f"{RELEASE}: installed {' '.join(pk.names)}")


def test_kea_loads_packaged_hook(pk, record_property):
    """kea-dhcp4 loads the hook from the package"""
    hook = in_root(pk.root, "dpkg", "-L", "lyncboot-kea-hook").stdout.splitlines()
    hook = next(path for path in hook if path.endswith("/libdhcp_lyncboot.so"))
    ns = pk.lab.netns("kea")
    config = os.path.join(pk.root, "etc", "kea", "lyncboot-test.json")
    with open(config, "w") as f:
        f.write('{"Dhcp4": {"interfaces-config": {"interfaces": []},'
                ' "lease-database": {"type": "memfile", "persist": false},'
                f' "hooks-libraries": [{{"library": "{hook}",'
                ' "parameters": {"sip-server": "pool01.contoso.com"}}],'
                ' "subnet4": [{"id": 1, "subnet": "10.1.0.0/24"}],'
                ' "loggers": [{"name": "kea-dhcp4", "severity": "INFO",'
                ' "output_options": [{"output": "stdout"}]}]}}')
    # What kea-dhcp4.service's RuntimeDirectory makes before Kea starts.
    in_root(pk.root, "install", "-d", "-o", "_kea", "-g", "_kea", "-m", "750", "/run/kea")
    daemon = pk.lab.start("kea", ns, chrooted(pk.root, ["kea-dhcp4", "-c",
                                                  "/etc/kea/lyncboot-test.json"]))
    try:
        expect(daemon.wait_for("DHCP4_STARTED", 20), daemon.log()[-2000:])
        expect("LYNCBOOT_LOAD_OK" in daemon.log(), daemon.log()[-2000:])
        record_property("note", f"{RELEASE}: kea-dhcp4 loaded {hook}")
    finally:
        daemon.stop()
        os.unlink(config)


def test_packaged_commands_run(pk):
    """the packaged commands and man pages are there; --version"""
    for command in (["lyncboot-kea-check", "--help"], ["lyncboot-probe", "--help"],
                    ["lyncboot-ntp-check", "--help"], ["lyncboot-rollout", "--help"],
                    ["lyncboot-unbound-publish", "--help"], ["man", "-w", "lyncboot.conf"]):
        if command[0] == "man" and in_root(pk.root, "sh", "-c", "command -v man",
                                           check=False).returncode != 0:
            out = in_root(pk.root, "test", "-f", "/usr/share/man/man5/lyncboot.conf.5.gz",
                          check=False)
        else:
            out = in_root(pk.root, *command, check=False)
        expect_eq(out.returncode, 0, f"{command}: {out.stdout[-500:]}{out.stderr[-500:]}")
    # Each says its name and the release it is from (meson's project version).
    for command in ("lyncboot-kea-check", "lyncboot-probe", "lyncboot-ntp-check",
                    "lyncboot-rollout", "lyncboot-unbound-publish"):
        out = in_root(pk.root, command, "--version", check=False)
        expect(out.returncode == 0 and
               re.fullmatch(rf"{command} \d+\.\d+\.\d+\n", out.stdout),
               f"{command} --version: {out.stdout!r} {out.stderr[-300:]!r}")


def test_purge_leaves_nothing(pk):
    """apt purge leaves nothing behind"""
    out = in_root(pk.root, "apt-get", "purge", "-y", "-q", *pk.names, check=False)
    expect_eq(out.returncode, 0, "apt-get purge:\n" + out.stdout[-1500:] + out.stderr)
    left = sorted(files(pk.root) - pk.state["before"])
    expect(not left, f"{len(left)} files left after purge: {left[:20]}")


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
