#!/bin/bash
# SPDX-License-Identifier: MPL-2.0
# ansible/: lint, syntax, two converges of the example site onto this host (the second
# must change nothing), wrong variables and a bad FQDN stopped before any server
# configuration changes, a bad hook setting refused by the throwaway kea-dhcp4 while the
# running configuration stays, and a two-host group rendered as a Kea HA pair that a
# real kea-dhcp4 accepts with the HA hooks loaded. Services stay unmanaged (no systemd).
set -u
[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
command -v ansible-playbook >/dev/null || { echo "1..0 # SKIP ansible-core not installed"; exit 0; }
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${LYNCBOOT_BUILD:-$top/build}
work=$(mktemp -d /tmp/lyncboot-ansible.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$top/ansible" || exit 1
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0
mode_args=(-e "lyncboot_build_dir=$build" -e lyncboot_unbound_mode=stock)
if [ -n "${LYNCBOOT_UNBOUND_DEBS:-}" ]; then
    mode_args=(-e "lyncboot_build_dir=$build" -e lyncboot_unbound_mode=module
               -e "lyncboot_unbound_deb_dir=$LYNCBOOT_UNBOUND_DEBS")
fi
rendered="/etc/kea/kea-dhcp4.conf /etc/unbound/lyncboot.conf /etc/chrony/conf.d/lyncboot.conf
/etc/chrony/sources.d/lyncboot.sources"

n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { # description, output
    n=$((n + 1)); failed=1; echo "not ok $n - $1"; sed 's/^/# /' <<<"$2" | tail -40
}
play() { ansible-playbook -i inventory/lab/hosts.yml site.yml "${mode_args[@]}" "$@" 2>&1; }
recap() { grep -A1 "PLAY RECAP" <<<"$1" | tail -1; }
sums() { md5sum $rendered 2>&1; }

out=$(yamllint . 2>&1) && ok "yamllint clean" || not_ok "yamllint clean" "$out"
out=$(ansible-lint --offline 2>&1) && ok "ansible-lint clean (production profile)" ||
    not_ok "ansible-lint clean" "$out"
out=$(ansible-playbook -i inventory/lab/hosts.yml site.yml --syntax-check 2>&1) &&
    ok "site.yml syntax" || not_ok "site.yml syntax" "$out"

out=$(play)
if [ $? -eq 0 ] && grep -q "failed=0" <<<"$(recap "$out")"; then
    ok "converge: $(recap "$out" | sed 's/  */ /g')"
else not_ok "converge" "$out"; fi

out=$(play)
if [ $? -eq 0 ] && grep -q "changed=0 .*failed=0" <<<"$(recap "$out")"; then
    ok "second converge changes nothing: $(recap "$out" | sed 's/  */ /g')"
else not_ok "second converge changes nothing" "$(grep -B2 'changed:' <<<"$out"; recap "$out")"; fi

before=$(sums)
out=$(play -e lyncboot_kea_manage_services=maybe)
if [ $? -ne 0 ] && grep -q "lyncboot_kea_manage_services.*not a valid boolean" <<<"$out" &&
   grep -q "ok=.*changed=0" <<<"$(recap "$out")" && [ "$(sums)" = "$before" ]; then
    ok "a wrong role variable fails the argument specs before anything changes"
else not_ok "a wrong role variable fails the argument specs before anything changes" "$out"; fi

sed 's/^      voice_vlan: 100 .*/      voice_vlan: 100\n      colour: blue/' inventory/lab/group_vars/all/site.yml \
    > "$work/unknown-key.yml"
out=$(play -e "@$work/unknown-key.yml")
if [ $? -ne 0 ] && grep -q "lyncboot_site.vlans.colour. Supported parameters include" <<<"$out" &&
   [ "$(sums)" = "$before" ]; then
    ok "an unknown key in the site description is rejected by the argument spec"
else not_ok "an unknown key in the site description is rejected" "$out"; fi

sed 's/registrars: \[pool01.contoso.com\]/registrars: [pool01..contoso.com]/' \
    inventory/lab/group_vars/all/site.yml > "$work/bad-fqdn.yml"
out=$(play -e "@$work/bad-fqdn.yml")
if [ $? -ne 0 ] &&
   grep -q "lyncboot_site.domains\[0\].registrars\[0\]: 'pool01..contoso.com' is not a valid FQDN" <<<"$out" &&
   grep -q "changed=0" <<<"$(recap "$out")" && [ "$(sums)" = "$before" ]; then
    ok "a bad FQDN stops the play before any server configuration changes"
else not_ok "a bad FQDN stops the play before any server configuration changes" "$out"; fi

# Only the hook knows its keys: the throwaway kea-dhcp4 of lyncboot-kea-check refuses it.
sed 's/^      interface: v-vlan100$/      interface: v-vlan100\n      lyncboot: {web-port: 70000}/' \
    inventory/lab/group_vars/all/site.yml > "$work/bad-hook.yml"
out=$(play -e "@$work/bad-hook.yml")
if [ $? -ne 0 ] && grep -q "LYNCBOOT_CONFIG_ERROR.*web-port" <<<"$out" &&
   grep -q "failed to validate" <<<"$out" && [ "$(sums)" = "$before" ]; then
    ok "a bad hook setting is refused by a throwaway kea-dhcp4; the configuration stays"
else not_ok "a bad hook setting is refused by a throwaway kea-dhcp4" "$out"; fi

# Two hosts in lyncboot_kea: a load-balancing HA pair. Both are this machine here, each
# with its own config path; kea-dhcp4 itself checks each rendered file with the HA hook.
cat > "$work/ha.yml" <<HA
all:
  children:
    lyncboot_kea:
      hosts:
        kea-a: {lyncboot_kea_config_path: $work/kea-a.conf, lyncboot_kea_ha_url: "http://127.0.0.1:8001/"}
        kea-b: {lyncboot_kea_config_path: $work/kea-b.conf, lyncboot_kea_ha_url: "http://127.0.0.1:8002/"}
  vars:
    ansible_connection: local
    ansible_python_interpreter: /usr/bin/python3
HA
out=$(ansible-playbook -i "$work/ha.yml" -e "@inventory/lab/group_vars/all/site.yml" \
      -e "@inventory/lab/group_vars/all/lab.yml" "${mode_args[@]}" site.yml 2>&1)
ha_ok=$?
check_ha=$(/usr/bin/python3 - "$work/kea-a.conf" "$work/kea-b.conf" <<'PY' 2>&1
import json, sys
for path, me in zip(sys.argv[1:], ("kea-a", "kea-b")):
    d = json.load(open(path))["Dhcp4"]
    libs = [h["library"].rsplit("/", 1)[1] for h in d["hooks-libraries"]]
    assert libs == ["libdhcp_lyncboot.so", "libdhcp_lease_cmds.so", "libdhcp_ha.so"], libs
    ha = d["hooks-libraries"][2]["parameters"]["high-availability"][0]
    assert ha["this-server-name"] == me and ha["mode"] == "load-balancing", ha
    assert [p["role"] for p in ha["peers"]] == ["primary", "secondary"], ha
    pools = d["subnet4"][1]["pools"]
    assert pools == [{"pool": "10.100.0.100-10.100.0.149", "client-class": "HA_kea-a"},
                     {"pool": "10.100.0.150-10.100.0.199", "client-class": "HA_kea-b"}], pools
print("ok")
PY
)
if [ $ha_ok -eq 0 ] && [ "$check_ha" = ok ]; then
    ok "two Kea hosts: an HA pair (load-balancing, split pools, lyncboot hook on both), accepted by kea-dhcp4"
else not_ok "two Kea hosts: an HA pair" "$out
$check_ha"; fi

echo "1..$n"
exit $failed
