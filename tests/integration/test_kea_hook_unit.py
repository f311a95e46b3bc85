#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""The hook's gtest unit tests (tests/hook) against a platform's own Kea: the test
program built in the release's tree runs there (tools/in-tree); each gtest case is a
case here. On this host meson runs it the same way (suite unit)."""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
PLATFORM = os.environ.get("LYNCBOOT_PLATFORM", "")
BUILD = os.path.abspath(os.environ.get("LYNCBOOT_PLATFORM_BUILD",
                                       os.environ.get("LYNCBOOT_BUILD", os.path.join(TOP, "build"))))
PROGRAM = os.path.join(BUILD, "tests", "test_lyncboot_hook")
LIBRARY = os.path.join(BUILD, "kea-hook", "libdhcp_lyncboot.so")


def gtest(*args):
    """The test program with args, where the platform runs it."""
    argv = ["env", "KEA_LOCKFILE_DIR=none", PROGRAM, LIBRARY, *args]
    if PLATFORM:
        argv = [os.path.join(TOP, "tools", "in-tree"), PLATFORM] + argv
    return subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=300)


def listed():
    """The program's cases, as gtest lists them ("Suite.Case"); none if it is not built,
    which the one case "built" then says."""
    if not os.path.exists(PROGRAM):
        return []
    names, suite = [], ""
    for line in gtest("--gtest_list_tests").stdout.splitlines():
        if not line.startswith(" ") and line.endswith("."):
            suite = line
        elif line.startswith("  ") and suite:
            names.append(suite + line.split()[0])
    return names


@pytest.fixture(scope="module")
def results():
    """Every case run once, in one program run: name -> (passed, failure text)."""
    report = os.path.join(os.path.dirname(PROGRAM), "test_lyncboot_hook.json")
    if os.path.exists(report):
        os.unlink(report)
    proc = gtest(f"--gtest_output=json:{report}")
    try:
        with open(report) as f:
            doc = json.load(f)
    except (OSError, ValueError):
        pytest.fail(f"the test program ended with {proc.returncode} and no report:\n"
                    + proc.stdout[-3000:])
    verdicts = {}
    for suite in doc.get("testsuites", []):
        for case in suite.get("testsuite", []):
            failures = "\n".join(f["failure"] for f in case.get("failures", []))
            verdicts[f"{suite['name']}.{case['name']}"] = (not failures, failures)
    return verdicts, proc


def test_built():
    """the hook's unit tests are built (libgtest-dev) and list their cases"""
    assert os.path.exists(PROGRAM), f"no {PROGRAM}"
    assert listed(), "the program lists no case"


@pytest.mark.parametrize("name", listed())
def test_case(results, name):
    """{id}"""
    verdicts, proc = results
    assert name in verdicts, f"{name} did not run:\n{proc.stdout[-3000:]}"
    passed, failures = verdicts[name]
    assert passed, failures


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
