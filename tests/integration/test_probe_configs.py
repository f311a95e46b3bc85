#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""The configurations `lyncboot-probe options` prints for Kea are ready to paste: the
plain Kea one (option-def + client-class) and the lyncboot hook one, each loaded by
Debian's kea-dhcp4, answer an INFORM with exactly the option bytes the probe printed."""
import json
import os
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (BUILD, DEBIAN_PYTHON, HOOK, Lab, expect, expect_eq,  # noqa: E402
                    require_root_and_hook, run_tests)

PROBE = os.path.join(BUILD, "probe", "lyncboot-probe")
QUERY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dhcp_query.py")
ARGS = ["--sip-server", "pool01.contoso.com", "--web-server", "web01.contoso.com",
        "--port", "4443"]


def section(text, title):
    """The lines under '-- title ... --' up to the next section."""
    match = re.search(r"^-- " + re.escape(title) + r".*?--\n(.*?)(?=^-- |\Z)", text, re.M | re.S)
    expect(match, f"no section {title!r}")
    return match.group(1)


def kea_with(lab, fragment):
    config = json.loads("{" + fragment.strip().rstrip(",") + "}")
    if "hooks-libraries" in config:
        config["hooks-libraries"][0]["library"] = HOOK  # the built one, not installed
    dhcp4 = {
        "interfaces-config": {"interfaces": ["lo/127.0.0.1"], "dhcp-socket-type": "udp"},
        "lease-database": {"type": "memfile", "persist": False},
        "subnet4": [{"id": 1, "subnet": "127.0.0.0/8",
                     "pools": [{"pool": "127.1.0.1 - 127.1.0.100"}]}],
        "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                     "output_options": [{"output": "stdout"}]}],
    }
    dhcp4.update(config)
    return {"Dhcp4": dhcp4}


@pytest.fixture(scope="module")
def lab():
    require_root_and_hook()
    with Lab("pc") as lab:
        lab.ns = lab.netns("kea")
        lab.ns_run(lab.ns, "ip", "addr", "add", "127.0.0.2/8", "dev", "lo")
        yield lab


@pytest.fixture(scope="module")
def printed():
    """What the probe prints for ARGS: as text and as JSON."""
    text = subprocess.run([PROBE, "options", *ARGS], capture_output=True, text=True,
                          check=True).stdout
    want = json.loads(subprocess.run([PROBE, "options", *ARGS, "--json"],
                                     capture_output=True, text=True, check=True).stdout)
    return text, want


@pytest.mark.parametrize("index,title", enumerate(["lyncboot Kea hook", "Kea without lyncboot"]),
                         ids=["hook", "plain"])
def test_pasted_configuration(lab, printed, index, title):
    """the pasted configuration answers with the printed bytes"""
    text, want = printed
    daemon = lab.kea(f"kea{index}", kea_with(lab, section(text, title)), ns=lab.ns)
    expect(daemon.wait_for("DHCP4_STARTED", 15),
           "kea-dhcp4 refused the pasted configuration:\n" + daemon.log()[-1500:])
    out = lab.ns_run(lab.ns, DEBIAN_PYTHON, QUERY, "--iface", "lo", "--mac",
                     "02:00:00:00:00:01", "--ciaddr", "127.0.0.2",
                     "--bind-addr", "127.0.0.2", "--server", "127.0.0.1",
                     "--vendor-class", "MS-UC-Client").stdout
    replies = json.loads(out)["replies"]
    expect_eq(len(replies), 1, "replies")
    expect_eq(replies[0]["options"].get("43"), want["option43"], "option 43")
    expect_eq(replies[0]["options"].get("120"), want["option120"], "option 120")
    daemon.stop()


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
