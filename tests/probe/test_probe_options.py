#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""lyncboot-probe options and decode: DHCPUtil's output format and vectors
(lync-bootstrap.md 1.6-1.7), the ready-to-paste configurations, and bad input."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from netlab import BUILD, expect, expect_eq, run_tests  # noqa: E402

PROBE = os.path.join(BUILD, "probe", "lyncboot-probe")

# DHCPUtil.exe -sipserver server.fqdn.company.com, SfB 2015 (S17), without the
# console wrapping of the Full value line.
DHCPUTIL_SERVER_FQDN = """\
SIP Server FQDN : server.fqdn.company.com
Certificate Provisioning Service URL : https://server.fqdn.company.com:443/CertProv/CertProvisioningService.svc

Option 120:
0006736572766572046671646E07636F6D70616E7903636F6D00

Vendor Class Identifier: MS-UC-Client
Option 43 (for vendor=MS-UC-Client):
        Full Option 43 value (Length: 180) : 
        010C4D532D55432D436C69656E740205687474707303177365727665722E6671646E2E636F6D70616E792E636F6D040334343305252F4365727450726F762F4365727450726F766973696F6E696E67536572766963652E737663
        sub-option 1 <UC Identifier>: 4D532D55432D436C69656E74
        sub-option 2 <URL Scheme>: 6874747073
        sub-option 3 <Web Server FQDN>: 7365727665722E6671646E2E636F6D70616E792E636F6D
        sub-option 4 <Port>: 343433
        sub-option 5 <Relative Path for Cert Prov>: 2F4365727450726F762F4365727450726F766973696F6E696E67536572766963652E737663
"""


def probe(*args):
    return subprocess.run([PROBE, *args], capture_output=True, text=True, timeout=10)


def test_dhcputil_layout():
    """options: DHCPUtil layout and vector (server.fqdn.company.com)"""
    out = probe("options", "--sip-server", "server.fqdn.company.com")
    expect_eq(out.returncode, 0, "exit status")
    expect(out.stdout.startswith(DHCPUTIL_SERVER_FQDN),
           "DHCPUtil block differs:\n" + out.stdout[:len(DHCPUTIL_SERVER_FQDN) + 200])
    expect("WARNING" not in out.stdout, "180 hex digits still fit Cisco IOS")


def test_sipserver_vector_and_cisco_warning():
    """options: 186 hex digits, Cisco IOS truncation warning"""
    out = probe("options", "--sip-server", "sipserver.fqdn.company.com")
    expect("0009736970736572766572046671646E07636F6D70616E7903636F6D00" in out.stdout,
           "option 120 vector")
    expect("Full Option 43 value (Length: 186)" in out.stdout, "length in hex digits")
    expect("WARNING: option 43 is 186 hex digits" in out.stdout, "truncation warning")
    expect(" option ext 43 hex 010C" in out.stdout, "option ext alternative")


def test_web_server_and_port():
    """options: --web-server and --port"""
    out = probe("options", "--sip-server", "pool01.contoso.com",
                "--web-server", "web01.contoso.com", "--port", "4443")
    expect("Certificate Provisioning Service URL : "
           "https://web01.contoso.com:4443/CertProv/CertProvisioningService.svc"
           in out.stdout, "URL")
    expect("sub-option 4 <Port>: 34343433" in out.stdout, "port as ASCII")
    expect("0006706F6F6C303107636F6E746F736F03636F6D00" in out.stdout, "option 120")
    expect('"web-server": "web01.contoso.com", "web-port": 4443' in out.stdout,
           "hook snippet")


def test_json_output():
    """options: --json"""
    out = probe("options", "--sip-server", "pool01.contoso.com", "--json")
    expect_eq(out.returncode, 0, "exit status")
    doc = json.loads(out.stdout)
    expect_eq(doc["option120"], "0006706F6F6C303107636F6E746F736F03636F6D00", "option120")
    expect_eq(doc["option43_hex_digits"], 170, "length")
    expect_eq(doc["sub_options"]["4"], "343433", "sub-option 4")
    expect_eq(doc["cisco_option_hex_truncated"], False, "truncation flag")
    expect_eq(doc["cert_prov_url"],
              "https://pool01.contoso.com:443/CertProv/CertProvisioningService.svc", "url")


def test_bad_input():
    """bad input: clear error, exit 2"""
    cases = [
        (["options", "--sip-server", "pool..contoso.com"],
         "--sip-server 'pool..contoso.com': empty label"),
        (["options", "--sip-server", "pool01.contoso.com", "--web-server", "web_01.x.com"],
         "--web-server 'web_01.x.com': character outside"),
        (["options", "--sip-server", "pool01.contoso.com", "--port", "0"],
         "--port: '0' is not a port"),
        (["options"], "needs --sip-server"),
        (["options", "--sip-server", "pool01.contoso.com", "--web-server",
          "a" * 62 + "." + "b" * 62 + "." + "c" * 58 + ".comx"],
         "option 43 would be longer than 255 bytes"),
        (["decode", "--option120", "zz"], "not hex bytes"),
        (["frobnicate"], "unknown command"),
    ]
    for args, text in cases:
        out = probe(*args)
        expect_eq(out.returncode, 2, f"exit status of {args}")
        expect(text in out.stderr, f"{args}: stderr lacks {text!r}: {out.stderr!r}")


def test_decode_reports_malformed():
    """decode: malformed options exit 1 and are named"""
    out = probe("decode", "--option120", "0006706F6F6C303107636F6E746F736F03636F6D")
    expect_eq(out.returncode, 1, "exit status")
    expect("MALFORMED" in out.stdout, "names the problem")
    out = probe("decode", "--option43-uc", "010C4D532D55432D436C69656E74")
    expect_eq(out.returncode, 1, "missing sub-options")
    expect("sub-option 3 <Web Server FQDN>: MISSING" in out.stdout, "names the sub-option")
    out = probe("decode", "--option43-uc", "0103410A42")
    expect("A\\x0AB" in out.stdout, "control characters escaped")


def test_help_text():
    """--help"""
    out = probe("--help")
    expect_eq(out.returncode, 0, "exit status")
    expect("lyncboot-probe options --sip-server FQDN" in out.stdout, "usage")


if __name__ == "__main__":
    sys.exit(run_tests(__file__))
