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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (BUILD, DEBIAN_PYTHON, HOOK, Lab, Tap, expect, expect_eq)  # noqa: E402

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


def main():
    tap = Tap()
    lab = Lab("pc")
    ns = lab.netns("kea")
    lab.ns_run(ns, "ip", "addr", "add", "127.0.0.2/8", "dev", "lo")
    try:
        text = subprocess.run([PROBE, "options", *ARGS], capture_output=True, text=True,
                              check=True).stdout
        want = json.loads(subprocess.run([PROBE, "options", *ARGS, "--json"],
                                         capture_output=True, text=True, check=True).stdout)
        for index, title in enumerate(["lyncboot Kea hook", "Kea without lyncboot"]):
            def case(title=title, index=index):
                daemon = lab.kea(f"kea{index}", kea_with(lab, section(text, title)), ns=ns)
                expect(daemon.wait_for("DHCP4_STARTED", 15),
                       "kea-dhcp4 refused the pasted configuration:\n" + daemon.log()[-1500:])
                out = lab.ns_run(ns, DEBIAN_PYTHON, QUERY, "--iface", "lo", "--mac",
                                 "02:00:00:00:00:01", "--ciaddr", "127.0.0.2",
                                 "--bind-addr", "127.0.0.2", "--server", "127.0.0.1",
                                 "--vendor-class", "MS-UC-Client").stdout
                replies = json.loads(out)["replies"]
                expect_eq(len(replies), 1, "replies")
                expect_eq(replies[0]["options"].get("43"), want["option43"], "option 43")
                expect_eq(replies[0]["options"].get("120"), want["option120"], "option 120")
                daemon.stop()
            tap.case(f"pasted '{title}' configuration answers with the printed bytes", case)
    finally:
        lab.close()
    tap.done()


if __name__ == "__main__":
    main()
