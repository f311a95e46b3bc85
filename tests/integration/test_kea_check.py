#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""lyncboot-kea-check, the Ansible role's validator, on the platform's kea-dhcp4: a good
candidate is accepted, every bad lyncboot setting is refused with its key named, and
the paths Kea 2.6 and later refuse (a hook library outside Kea's hooks directory, a
control socket outside /run/kea) are refused there and accepted on 2.2."""
import json
import os
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (PLATFORM_BUILD, KEA_VERSION, TOP, Lab, expect, expect_eq,  # noqa: E402
                    require_root_and_hook, run_tests, sanitizer_env)
from test_kea_config_errors import CASES, GOOD, base_config  # noqa: E402

CHECKER = os.path.join(TOP, "kea-hook", "lyncboot-kea-check")


def candidate(lab, parameters, subnet_context=None, network_context=None):
    """A configuration as a site writes it: its control socket where Debian's is."""
    config = base_config(lab, parameters, subnet_context, network_context)
    config["Dhcp4"]["control-socket"]["socket-name"] = "/run/kea/kea4-ctrl-socket"
    return config


def check(lab, name, config):
    """Runs the checker as the platform's host would on config; (exit code, output)."""
    path = os.path.join(lab.workdir, f"{name}.json")
    with open(path, "w") as f:
        json.dump(config, f)
    daemon = lab.start(f"check-{name}", None, ["python3", lab.checker, path],
                       env=sanitizer_env(), platform=True)
    try:
        daemon.proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        daemon.stop()
    return daemon.proc.returncode, daemon.log()


HARDENED = KEA_VERSION >= (2, 6)


@pytest.fixture(scope="module")
def lab():
    require_root_and_hook()
    with Lab("kk") as lab:
        # The checker as installed on the platform: a copy the platform's python3 can read.
        lab.checker = os.path.join(lab.workdir, "lyncboot-kea-check")
        shutil.copy(CHECKER, lab.checker)
        yield lab


def test_good(lab):
    """a good candidate (control socket in /run/kea) is accepted"""
    code, out = check(lab, "good", candidate(lab, GOOD, {"lyncboot": {"voice-vlan": 100}}))
    expect_eq(code, 0, "exit code of a good candidate:\n" + out)
    expect("accepted by kea-dhcp4 with its hooks" in out, out)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case[0] for case in CASES])
def test_bad(lab, index):
    """refused: {id}"""
    _, parameters, subnet_context, network_context, text = CASES[index]
    config = candidate(lab, parameters, subnet_context, network_context)
    code, out = check(lab, f"bad{index}", config)
    expect_eq(code, 1, "exit code:\n" + out)
    expect(text in out, f"output lacks {text!r}:\n{out}")
    expect(out.rstrip().endswith("refused"), out)


def test_hook_outside_hooks_dir(lab):
    """a hook outside Kea's hooks directory: refused from Kea 2.6, accepted by 2.2"""
    elsewhere = os.path.join(lab.workdir, "libdhcp_lyncboot.so")
    shutil.copy(os.path.join(PLATFORM_BUILD, "kea-hook", "libdhcp_lyncboot.so"), elsewhere)
    config = candidate(lab, GOOD)
    config["Dhcp4"]["hooks-libraries"][0]["library"] = elsewhere
    code, out = check(lab, "elsewhere", config)
    expect_eq(code, 1 if HARDENED else 0, "exit code:\n" + out)
    if HARDENED:
        # Kea names the directory it refused and the one it takes.
        expect(f"invalid path specified: '{lab.workdir}'" in out and
               "kea/hooks" in out, f"the library's directory is not named:\n{out}")


def test_socket_outside_run_kea(lab):
    """a control socket outside /run/kea: refused from Kea 2.6, accepted by 2.2"""
    config = candidate(lab, GOOD)
    config["Dhcp4"]["control-socket"]["socket-name"] = "/tmp/kea4-ctrl-socket"
    code, out = check(lab, "socket", config)
    expect_eq(code, 1 if HARDENED else 0, "exit code:\n" + out)
    if HARDENED:
        expect("'socket-name' /tmp/kea4-ctrl-socket" in out and "/run/kea" in out, out)


def test_not_json(lab):
    """a file that is not JSON is refused, named"""
    path = os.path.join(lab.workdir, "broken.json")
    with open(path, "w") as f:
        f.write('{"Dhcp4": {')
    daemon = lab.start("check-broken", None, ["python3", lab.checker, path], platform=True)
    daemon.proc.wait(timeout=30)
    expect_eq(daemon.proc.returncode, 1, "exit code")
    expect(f"{path}: not JSON" in daemon.log(), daemon.log())


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
