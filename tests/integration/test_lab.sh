#!/bin/bash
# SPDX-License-Identifier: MPL-2.0
# README command 1, the lab, on the tree under test: the emulated phone must learn
# VLAN 100, get a lease there, and pass every step of lyncboot-probe bootstrap.
set -u
[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(LYNCBOOT_LAB_NO_BUILD=1 "$top/lab/run" 2>&1)
status=$?
n=0; failed=0
check() { # description, pattern
    n=$((n + 1))
    if grep -qF -- "$2" <<<"$out"; then echo "ok $n - $1"
    else echo "not ok $n - $1"; failed=1; fi
}
check "lab exits 0" "lab: done"
[ $status -eq 0 ] || failed=1
check "phone learns VLAN 100 on the data segment" "as a 16-bit word: VLAN 100"
check "phone leases on VLAN 100" "leased 10.100.0.100 from 10.100.0.1"
check "INFORM answered with the registrar" "Found registrar fqdn : pool01.contoso.com."
check "INFORM answered with the web service URL" "https://web01.contoso.com:443/CertProv/CertProvisioningService.svc"
check "time source checked by lyncboot-ntp-check" "NTP OK: 1 target"
check "phone records published into unbound" "lyncboot-unbound-publish: published 4 records"
check "NTP found through _ntp._udp SRV" "_ntp._udp.contoso.com SRV -> ntp1.contoso.com:123."
check "the phone's time from chronyd" "stratum 8: the phone's time is"
check "CA chain downloaded over HTTP" "Certificate chain downloaded successfully"
check "web services TLS verified at the NTP time" "TLS to web01.contoso.com:443 verified at the phone's NTP time"
check "registrar TLS verified" "TLS to pool01.contoso.com:5061 verified"
check "bootstrap result" "Result : Success"
check "statistics shown" "subnet[100].lyncboot-uc-client-answered"
[ $failed -eq 0 ] || sed 's/^/# /' <<<"$out"
if ip netns list | grep -q lyncboot- || pgrep -f /run/lyncboot-lab/ >/dev/null; then
    echo "not ok $((n + 1)) - namespaces and daemons removed"; failed=1
else
    echo "ok $((n + 1)) - namespaces and daemons removed"
fi
echo "1..$((n + 1))"
exit $failed
