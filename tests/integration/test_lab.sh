#!/bin/bash
# SPDX-License-Identifier: MPL-2.0
# README command 1, the lab, on the tree under test, twice: ansible/site.yml rolls the
# example site out onto this host, with the Unbound module (when the dynlib unbound
# packages were built) and with the publisher, and the daemons start from what it
# rendered. The
# emulated phone must learn VLAN 100, get a lease there, find its records over DNS and
# pass every step of lyncboot-probe bootstrap; afterwards nothing of the lab is left.
set -u
[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${LYNCBOOT_BUILD:-$top/build}
n=0; failed=0
check() { # description, pattern
    n=$((n + 1))
    if grep -qF -- "$2" <<<"$out"; then echo "ok $n - $mode: $1"
    else echo "not ok $n - $mode: $1"; failed=1; fi
}
modes="stock"
[ -n "${LYNCBOOT_UNBOUND_TREE:-}" ] && [ -n "${LYNCBOOT_UNBOUND_DEBS:-}" ] && modes="module stock"
for mode in $modes; do
    flag=--keep  # the module run stays up for a small boot storm, then goes
    [ "$mode" = stock ] && flag=--stock-unbound
    out=$(LYNCBOOT_LAB_NO_BUILD=1 "$top/lab/run" $flag 2>&1)
    status=$?
    if [ "$mode" = module ]; then
        storm=$(LYNCBOOT_BUILD="$build" "$top/bench/boot-storm" --lab-running --phones 200 \
                --threads 4 2>&1)
        out="$out
$storm
$("$top/lab/run" --down 2>&1)"
        check "boot storm: 200 phones, every step answered" "phones=200 booted=200 failed=0"
        grep -F "phones=" <<<"$storm" | sed 's/^/# /'
    fi
    n=$((n + 1))
    if [ $status -eq 0 ]; then echo "ok $n - $mode: lab/run exits 0"
    else echo "not ok $n - $mode: lab/run exits 0 (it exited $status)"; failed=1; fi
    check "site rolled out by ansible/site.yml" "failed=0 skipped="
    check "kea-dhcp4 runs the rendered config with the hook" "kea-dhcp4: LYNCBOOT_LOAD_OK"
    check "daemons as Debian's units run them" "running as: kea-dhcp4=_kea unbound=unbound chronyd=_chrony ntp-health=nobody"
    check "kea-dhcp4 with only its two capabilities" "(net_bind_service, net_raw only)"
    check "phone learns VLAN 100 on the data segment" "as a 16-bit word: VLAN 100"
    check "phone leases on VLAN 100" "leased 10.100.0.100 from 10.100.0.1"
    check "INFORM answered with the registrar" "Found registrar fqdn : pool01.contoso.com."
    check "INFORM answered with the web service URL" "https://web01.contoso.com:443/CertProv/CertProvisioningService.svc"
    check "time source checked by the role's monitoring plugin" "check_lyncboot_ntp: NTP OK: 1 target"
    if [ "$mode" = module ]; then
        check "unbound loaded the module" "unbound: lyncboot: /etc/unbound/lyncboot.conf: 1 domains, 4 answers"
        check "the phone's SRV look-ups answered by the module" "(answered by lyncboot_unbound.so"
    else
        check "phone records published into unbound" "lyncboot-unbound-publish: published 4 records"
    fi
    check "phone's dig of _ntp._udp" "_ntp._udp.contoso.com.	60	IN	SRV	0 0 123 ntp1.contoso.com."
    check "phone's dig of _sipinternaltls._tcp" "_sipinternaltls._tcp.contoso.com. 60 IN	SRV	0 0 5061 pool01.contoso.com."
    check "NTP found through _ntp._udp SRV" "_ntp._udp.contoso.com SRV -> ntp1.contoso.com:123."
    check "the phone's time from chronyd" "stratum 8: the phone's time is"
    check "CA chain downloaded over HTTP" "Certificate chain downloaded successfully"
    check "web services TLS verified at the NTP time" "TLS to web01.contoso.com:443 verified at the phone's NTP time"
    check "registrar TLS verified" "TLS to pool01.contoso.com:5061 verified"
    check "bootstrap result" "Result : Success"
    check "statistics shown" "subnet[100].lyncboot-uc-client-answered"
    [ $failed -eq 0 ] || sed 's/^/# /' <<<"$out"
    n=$((n + 1))
    if ip netns list | grep -q lyncboot- || pgrep -f /run/lyncboot-lab/ >/dev/null; then
        echo "not ok $n - $mode: namespaces and daemons removed"; failed=1
    else
        echo "ok $n - $mode: namespaces and daemons removed"
    fi
done
echo "1..$n"
exit $failed
