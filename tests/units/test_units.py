#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""The systemd units lyncboot's packages ship, as Debian would: each passes
`systemd-analyze verify`, runs as its own user (DynamicUser, never root), keeps no
capability, and scores "OK" or better in `systemd-analyze security` (exposure at most
2.0 of 10). systemd need not be running: both commands work offline."""
import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# debian/PACKAGE.UNIT.service, installed as UNIT.service
UNITS = {os.path.basename(path).split(".", 1)[1]: path
         for path in sorted(glob.glob(os.path.join(TOP, "debian", "*.service")))}


@pytest.fixture
def installed(tmp_path, request):
    """The unit under its installed name, alone in a directory; its text."""
    unit = request.node.callspec.params["unit"]
    shutil.copy(UNITS[unit], tmp_path / unit)
    with open(UNITS[unit]) as f:
        return tmp_path, f.read().splitlines()


def analyze(directory, *args):
    return subprocess.run(["systemd-analyze", *args], cwd=directory, capture_output=True,
                          text=True, timeout=120)


def test_units_found():
    """the packages ship systemd units"""
    assert UNITS, "no debian/*.service"


@pytest.mark.parametrize("unit", UNITS)
def test_verify(installed, unit, record_property):
    """{id}: systemd-analyze verify"""
    directory, _ = installed
    out = analyze(directory, "verify", unit)
    if (out.stdout + out.stderr).strip():
        record_property("note", out.stdout + out.stderr)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("unit", UNITS)
def test_own_user(installed, unit):
    """{id}: its own unprivileged user"""
    _, lines = installed
    assert "DynamicUser=yes" in lines and "User=root" not in lines, lines


@pytest.mark.parametrize("unit", UNITS)
def test_no_capabilities(installed, unit):
    """{id}: no capabilities, no new privileges"""
    _, lines = installed
    assert "CapabilityBoundingSet=" in lines and "NoNewPrivileges=yes" in lines, lines


@pytest.mark.parametrize("unit", UNITS)
def test_exposure(installed, unit, record_property):
    """{id}: exposure at most 2.0"""
    directory, _ = installed
    out = analyze(directory, "security", "--offline=yes", unit)
    score = re.search(r"Overall exposure level for [^:]*: ([0-9.]+)", out.stdout + out.stderr)
    assert score, out.stdout + out.stderr
    record_property("note", f"{unit}: exposure {score.group(1)}")
    assert float(score.group(1)) <= 2.0


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
