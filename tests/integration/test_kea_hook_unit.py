#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""The hook's gtest unit tests (tests/hook) against a platform's own Kea: the test
program built in the release's tree runs there (tools/in-tree), its results as TAP.
On this host meson runs the same program directly (suite unit)."""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
PLATFORM = os.environ.get("LYNCBOOT_PLATFORM", "")
BUILD = os.path.abspath(os.environ.get("LYNCBOOT_PLATFORM_BUILD",
                                       os.environ.get("LYNCBOOT_BUILD", os.path.join(TOP, "build"))))


def main():
    program = os.path.join(BUILD, "tests", "test_lyncboot_hook")
    library = os.path.join(BUILD, "kea-hook", "libdhcp_lyncboot.so")
    if not os.path.exists(program):
        print(f"not ok 1 - the hook's unit tests are built in {BUILD} (libgtest-dev?)\n1..1")
        return 1
    argv = ["env", "KEA_LOCKFILE_DIR=none", program, library]
    if PLATFORM:
        argv = [os.path.join(TOP, "tools", "in-tree"), PLATFORM] + argv
    proc = subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=300)
    results = re.findall(r"^\[ +(OK|FAILED) +\] (\w+\.\w+)(?: \(\d+ ms\))?$", proc.stdout, re.M)
    seen, number, failed = set(), 0, False
    for verdict, name in results:
        if name in seen:  # gtest lists the failed ones again at the end
            continue
        seen.add(name)
        number += 1
        failed |= verdict != "OK"
        print(f"{'ok' if verdict == 'OK' else 'not ok'} {number} - {name}")
    if proc.returncode != 0 and not failed:
        number += 1
        print(f"not ok {number} - the test program ended with {proc.returncode}")
        failed = True
    if failed or number == 0:
        print("".join(f"# {line}\n" for line in proc.stdout.splitlines()[-60:]), end="")
    if number == 0:
        number = 1
        print("not ok 1 - no test ran")
        failed = True
    print(f"1..{number}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
