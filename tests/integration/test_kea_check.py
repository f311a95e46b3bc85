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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (PLATFORM_BUILD, KEA_VERSION, TOP, Lab, Tap, expect, expect_eq,  # noqa: E402
                    sanitizer_env)
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


def main():
    tap = Tap()
    lab = Lab("kk")
    # The checker as installed on the platform: a copy the platform's python3 can read.
    lab.checker = os.path.join(lab.workdir, "lyncboot-kea-check")
    shutil.copy(CHECKER, lab.checker)
    version = f"Kea {KEA_VERSION[0]}.{KEA_VERSION[1]}"
    hardened = KEA_VERSION >= (2, 6)
    try:
        def good():
            code, out = check(lab, "good", candidate(lab, GOOD, {"lyncboot": {"voice-vlan": 100}}))
            expect_eq(code, 0, "exit code of a good candidate:\n" + out)
            expect("accepted by kea-dhcp4 with its hooks" in out, out)
        tap.case(f"{version}: a good candidate (control socket in /run/kea) is accepted", good)

        for index, (name, parameters, subnet_context, network_context, text) in enumerate(CASES):
            def bad(parameters=parameters, subnet_context=subnet_context,
                    network_context=network_context, text=text, index=index):
                config = candidate(lab, parameters, subnet_context, network_context)
                code, out = check(lab, f"bad{index}", config)
                expect_eq(code, 1, "exit code:\n" + out)
                expect(text in out, f"output lacks {text!r}:\n{out}")
                expect(out.rstrip().endswith("refused"), out)
            tap.case(f"{version}: refused: {name}", bad)

        def hook_outside_hooks_dir():
            elsewhere = os.path.join(lab.workdir, "libdhcp_lyncboot.so")
            shutil.copy(os.path.join(PLATFORM_BUILD, "kea-hook", "libdhcp_lyncboot.so"), elsewhere)
            config = candidate(lab, GOOD)
            config["Dhcp4"]["hooks-libraries"][0]["library"] = elsewhere
            code, out = check(lab, "elsewhere", config)
            expect_eq(code, 1 if hardened else 0, "exit code:\n" + out)
            if hardened:
                # Kea names the directory it refused and the one it takes.
                expect(f"invalid path specified: '{lab.workdir}'" in out and
                       "kea/hooks" in out, f"the library's directory is not named:\n{out}")
        tap.case(f"{version}: a hook outside Kea's hooks directory is "
                 f"{'refused' if hardened else 'accepted'}", hook_outside_hooks_dir)

        def socket_outside_run_kea():
            config = candidate(lab, GOOD)
            config["Dhcp4"]["control-socket"]["socket-name"] = "/tmp/kea4-ctrl-socket"
            code, out = check(lab, "socket", config)
            expect_eq(code, 1 if hardened else 0, "exit code:\n" + out)
            if hardened:
                expect("'socket-name' /tmp/kea4-ctrl-socket" in out and "/run/kea" in out, out)
        tap.case(f"{version}: a control socket outside /run/kea is "
                 f"{'refused' if hardened else 'accepted'}", socket_outside_run_kea)

        def not_json():
            path = os.path.join(lab.workdir, "broken.json")
            with open(path, "w") as f:
                f.write('{"Dhcp4": {')
            daemon = lab.start("check-broken", None, ["python3", lab.checker, path], platform=True)
            daemon.proc.wait(timeout=30)
            expect_eq(daemon.proc.returncode, 1, "exit code")
            expect(f"{path}: not JSON" in daemon.log(), daemon.log())
        tap.case(f"{version}: a file that is not JSON is refused, named", not_json)
    finally:
        lab.close()
    tap.done()


if __name__ == "__main__":
    main()
