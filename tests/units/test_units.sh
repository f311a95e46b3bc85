#!/bin/bash
# SPDX-License-Identifier: MPL-2.0
# The systemd units lyncboot's packages ship, as Debian would: each passes
# `systemd-analyze verify`, runs as its own user (DynamicUser, never root), keeps no
# capability, and scores "OK" or better in `systemd-analyze security` (exposure at most
# 2.0 of 10). systemd need not be running: both commands work offline.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0; failed=0
tap() { # ok?, description
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
for file in "$top"/debian/*.service; do
    # debian/PACKAGE.UNIT.service, installed as UNIT.service
    unit=$(basename "$file" | sed 's/^[^.]*\.//')
    cp "$file" "$work/$unit"
    out=$(cd "$work" && systemd-analyze verify "$unit" 2>&1)
    tap $? "$unit: systemd-analyze verify"
    [ -n "$out" ] && sed 's/^/# /' <<<"$out"
    grep -q '^DynamicUser=yes$' "$file" && ! grep -q '^User=root$' "$file"
    tap $? "$unit: its own unprivileged user"
    grep -q '^CapabilityBoundingSet=$' "$file" && grep -q '^NoNewPrivileges=yes$' "$file"
    tap $? "$unit: no capabilities, no new privileges"
    score=$(cd "$work" && systemd-analyze security --offline=yes "$unit" 2>&1 |
            sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    echo "# $unit: exposure $score"
    [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'
    tap $? "$unit: exposure ${score:-?} <= 2.0"
done
echo "1..$n"
exit $failed
