#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""Every kind of bad lyncboot setting makes kea-dhcp4 refuse its configuration: the
hook's load() fails with LYNCBOOT_CONFIG_ERROR naming the place and the key, and
kea-dhcp4 exits non-zero instead of serving with part of the settings."""
import copy
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (HOOK, KEA_VERSION, Lab, expect, expect_eq, kea_command,  # noqa: E402
                    require_root_and_hook, run_tests)


def base_config(lab, parameters, subnet_context=None, network_context=None):
    subnet = {"id": 7, "subnet": "10.7.0.0/24", "pools": [{"pool": "10.7.0.10 - 10.7.0.20"}]}
    if subnet_context is not None:
        subnet["user-context"] = subnet_context
    network = {"name": "phones", "subnet4": [
        {"id": 8, "subnet": "10.8.0.0/24", "pools": [{"pool": "10.8.0.10 - 10.8.0.20"}]}]}
    if network_context is not None:
        network["user-context"] = network_context
    return {"Dhcp4": {
        "interfaces-config": {"interfaces": ["lo"], "dhcp-socket-type": "udp"},
        "lease-database": {"type": "memfile", "persist": False},
        "control-socket": {"socket-type": "unix",
                           "socket-name": lab.kea_socket()},
        "hooks-libraries": [{"library": HOOK, "parameters": parameters}],
        "subnet4": [subnet],
        "shared-networks": [network],
        "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                     "output_options": [{"output": "stdout"}]}],
    }}


GOOD = {"sip-server": "pool01.contoso.com"}
LONG_NAME = "a" * 62 + "." + "b" * 62 + "." + "c" * 58 + ".comx"  # 189 characters

# (case name, hook parameters, subnet user-context, network user-context, expected text)
CASES = [
    ("unknown key in the hook parameters",
     {"sip-server": "pool01.contoso.com", "sip-servers": "x.contoso.com"}, None, None,
     "invalid lyncboot setting in the hook parameters: unknown parameter 'sip-servers'"),
    ("unknown key in a subnet",
     GOOD, {"lyncboot": {"vlan": 100}}, None,
     "invalid lyncboot setting in subnet 10.7.0.0/24 (id 7): unknown parameter 'vlan'"),
    ("unknown key in a shared network",
     GOOD, None, {"lyncboot": {"sip-srv": "a.contoso.com"}},
     "invalid lyncboot setting in shared network 'phones': unknown parameter 'sip-srv'"),
    ("phones-tracked not a count",
     {"sip-server": "pool01.contoso.com", "phones-tracked": "many"}, None, None,
     "invalid lyncboot setting in the hook parameters: parameter 'phones-tracked' must be the "
     "number of phones to remember, 0-1000000 (got \"many\")"),
    ("phones-tracked in a subnet (the hook's own)",
     GOOD, {"lyncboot": {"phones-tracked": 10}}, None,
     "subnet 10.7.0.0/24 (id 7): unknown parameter 'phones-tracked'"),
    ("missing sip-server",
     {"web-port": 443}, None, None,
     "invalid lyncboot setting in the hook parameters: missing parameter 'sip-server'"),
    ("wrong type: web-port as a string",
     {"sip-server": "pool01.contoso.com", "web-port": "443"}, None, None,
     "parameter 'web-port' must be an integer (got string)"),
    ("wrong type: sip-server list of integers",
     {"sip-server": [1, 2]}, None, None,
     "parameter 'sip-server' must be a string or a list of strings (got list of integer)"),
    ("wrong type: enabled as a string in a subnet",
     GOOD, {"lyncboot": {"enabled": "no"}}, None,
     "subnet 10.7.0.0/24 (id 7): parameter 'enabled' must be a boolean (got string)"),
    ("wrong type: lyncboot user-context not a map",
     GOOD, {"lyncboot": "yes"}, None,
     "subnet 10.7.0.0/24 (id 7): user-context key 'lyncboot' must be a map (got string)"),
    ("invalid FQDN in sip-server",
     {"sip-server": "pool..contoso.com"}, None, None,
     "parameter 'sip-server': 'pool..contoso.com' is not a valid FQDN: empty label"),
    ("invalid FQDN in a subnet's web-server",
     GOOD, {"lyncboot": {"web-server": "web_01.contoso.com"}}, None,
     "subnet 10.7.0.0/24 (id 7): parameter 'web-server': 'web_01.contoso.com' is not a valid FQDN"),
    ("option 43 over 255 bytes",
     {"sip-server": "pool01.contoso.com", "web-server": LONG_NAME}, None, None,
     "parameter 'web-server': option 43 would be longer than 255 bytes"),
    ("option 120 over 255 bytes in a subnet",
     GOOD, {"lyncboot": {"sip-server": [LONG_NAME[:140].rstrip("."), LONG_NAME[:140].rstrip(".")]}}, None,
     "subnet 10.7.0.0/24 (id 7): parameter 'sip-server': option 120 would be longer than 255 bytes"),
    ("VLAN out of range",
     GOOD, {"lyncboot": {"voice-vlan": 4095}}, None,
     "subnet 10.7.0.0/24 (id 7): parameter 'voice-vlan' must be 1-4094 (got 4095)"),
    ("VLAN too large for vlan-id-format byte",
     {"sip-server": "pool01.contoso.com", "vlan-id-format": "byte"},
     {"lyncboot": {"voice-vlan": 300}}, None,
     "parameter 'voice-vlan': VLAN id above 255 does not fit vlan-id-format byte"),
    ("voice-vlan in the hook parameters",
     {"sip-server": "pool01.contoso.com", "voice-vlan": 100}, None, None,
     "parameter 'voice-vlan' belongs in a subnet's or shared network's user-context"),
    ("bad vlan-id-format",
     {"sip-server": "pool01.contoso.com", "vlan-id-format": "hex"}, None, None,
     "parameter 'vlan-id-format' must be \"word\", \"ascii\" or \"byte\" (got \"hex\")"),
    ("ntp-servers not an address",
     {"sip-server": "pool01.contoso.com", "ntp-servers": ["ntp.contoso.com"]}, None, None,
     "parameter 'ntp-servers': 'ntp.contoso.com' is not an IPv4 address"),
    ("web-port out of range",
     GOOD, {"lyncboot": {"web-port": 70000}}, None,
     "subnet 10.7.0.0/24 (id 7): parameter 'web-port' must be 1-65535 (got 70000)"),
]


def run_kea(lab, name, config, timeout=15):
    daemon = lab.kea(name, config, ns=lab.ns)
    try:
        daemon.proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    return daemon


@pytest.fixture(scope="module")
def lab():
    require_root_and_hook()
    with Lab("kc") as lab:
        lab.ns = lab.netns("kea")
        yield lab


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case[0] for case in CASES])
def test_refused(lab, index):
    """refused: {id}"""
    _, parameters, subnet_context, network_context, text = CASES[index]
    config = base_config(lab, parameters, subnet_context, network_context)
    daemon = run_kea(lab, f"bad{index}", config)
    log = daemon.log()
    expect(daemon.proc.returncode not in (None, 0),
           f"kea-dhcp4 exit code {daemon.proc.returncode}; log:\n{log[-1500:]}")
    expect("LYNCBOOT_CONFIG_ERROR" in log, "no LYNCBOOT_CONFIG_ERROR:\n" + log[-1500:])
    expect(text in log, f"log lacks {text!r}:\n{log[-1500:]}")
    expect("DHCP4_STARTED" not in log, "server started anyway")


def test_wrong_daemon(lab):
    """refused: loaded by kea-dhcp6"""
    config = base_config(lab, GOOD)
    v6 = {"Dhcp6": {
        "interfaces-config": {"interfaces": []},
        "lease-database": {"type": "memfile", "persist": False},
        "hooks-libraries": [{"library": HOOK, "parameters": GOOD}],
        "loggers": config["Dhcp4"]["loggers"]}}
    daemon = lab.kea("v6", v6, ns=lab.ns, daemon_bin="kea-dhcp6")
    try:
        daemon.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    log = daemon.log()
    expect(daemon.proc.returncode not in (None, 0), "kea-dhcp6 accepted the hook")
    expect("LYNCBOOT_LOAD_ERROR" in log and "loaded by kea-dhcp6" in log,
           "no LYNCBOOT_LOAD_ERROR naming kea-dhcp6:\n" + log[-1500:])


def test_bad_reconfiguration_is_refused(lab):
    """bad config-set is refused with the key named; a good one recovers"""
    # Kea 2.2 unloads the running hook libraries before it loads the new ones, so a
    # refused config-set leaves the server without hooks until a good configuration
    # is set (DHCP4_CONFIG_UNRECOVERABLE_ERROR). What the hook owes: the refusal names
    # the key, and a good config-set recovers.
    good = base_config(lab, GOOD, {"lyncboot": {"voice-vlan": 100}})
    daemon = lab.kea("good", good, ns=lab.ns)
    expect(daemon.wait_for("DHCP4_STARTED", 15), "good config did not start")
    sock = lab.kea_socket()
    bad = copy.deepcopy(good)
    bad["Dhcp4"]["subnet4"][0]["user-context"]["lyncboot"]["voice-vlan"] = 0
    answer = kea_command(sock, "config-set", bad)
    # Kea 3.0 answers a configuration its hooks refused with 5 (fatal error: the
    # server runs on without hooks), 2.x with 1.
    expect_eq(answer.get("result"), 5 if KEA_VERSION >= (3, 0) else 1, "config-set result")
    expect("subnet 10.7.0.0/24 (id 7): parameter 'voice-vlan' must be 1-4094 (got 0)"
           in daemon.log(), "reason logged")
    expect(daemon.proc.poll() is None, "kea-dhcp4 died")
    expect_eq(kea_command(sock, "config-set", good).get("result"), 0, "recovery")
    expect_eq(daemon.log().count("LYNCBOOT_LOAD_OK"), 2, "hook back after recovery")
    daemon.stop()


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
