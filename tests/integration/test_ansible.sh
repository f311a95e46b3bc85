#!/bin/bash
# SPDX-License-Identifier: MPL-2.0
# ansible/: lint, syntax, two converges of the example site onto this host (the second
# must change nothing), wrong variables and a bad FQDN stopped before any server
# configuration changes, a bad hook setting refused by the throwaway kea-dhcp4 while the
# running configuration stays, and a two-host group rendered as a Kea HA pair that a
# real kea-dhcp4 accepts with the HA hooks loaded, and the same two hosts as a fleet on a
# shared PostgreSQL. Services stay unmanaged (no systemd).
set -u
[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
command -v ansible-playbook >/dev/null || { echo "1..0 # SKIP ansible-core not installed"; exit 0; }
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/lyncboot-ansible.XXXXXX)
ha_ns="lbha-a lbha-b lbha-phone"
cleanup() {
    # Only the servers this test started (ha_live runs in a subshell: PIDs in a file).
    ha_pids=$(cat "$work/ha.pids" 2>/dev/null)
    for pid in $ha_pids; do kill "$pid" 2>/dev/null; done
    for pid in $ha_pids; do
        for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    done
    for ns in $ha_ns; do ip netns del "$ns" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
cd "$top/ansible" || exit 1
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0
# lyncboot's packages for this host (tests/run makes them with tools/build-debs).
debs=${LYNCBOOT_HOST_DEBS:-$top/build-debs-host}
[ -f "$debs/stamp" ] || { echo "not ok 1 - no packages in $debs (tools/build-debs host)"; echo "1..1"; exit 1; }
mode_args=(-e "lyncboot_package_dir=$debs" -e lyncboot_unbound_mode=stock)
if [ -n "${LYNCBOOT_UNBOUND_DEBS:-}" ]; then
    # Module mode with no packages given: the role runs build-unbound-dynlib --deb on
    # the host, which finds tests/run's build in its cache (the lab gives the packages).
    mode_args=(-e "lyncboot_package_dir=$debs" -e lyncboot_unbound_mode=module
               -e lyncboot_unbound_deb_dir=)
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

# Text that would reach a configuration file or a command line: a newline that would add
# chrony directives (and still pass chronyd -p), a blank that would split the health
# writer's command line. Each stopped by its pattern before anything changes.
sed -e 's/^  ntp_upstreams: \[\].*$/  ntp_upstreams: ["pool.ntp.org\\nallow all"]/' \
    -e 's/^    - name: data$/    - name: "data\\nallow 0.0.0.0\/0"/' \
    inventory/lab/group_vars/all/site.yml > "$work/injection.yml"
out=$(play -e "@$work/injection.yml")
if [ $? -ne 0 ] &&
   grep -q 'lyncboot_site.ntp_upstreams\[0\]: .*pool.ntp.org.*is not a host name' <<<"$out" &&
   grep -q "changed=0" <<<"$(recap "$out")" && [ "$(sums)" = "$before" ]; then
    ok "a newline in an upstream time source stops the play before anything changes"
else not_ok "a newline in an upstream time source stops the play" "$out"; fi
sed -e 's/^  ntp_upstreams: \[\].*$/  ntp_upstreams: []/' \
    -e 's/^    - name: data$/    - name: "data\\nallow 0.0.0.0\/0"/' \
    inventory/lab/group_vars/all/site.yml > "$work/injection.yml"
out=$(play -e "@$work/injection.yml")
if [ $? -ne 0 ] && grep -q 'lyncboot_site.vlans\[0\].name: .*must match' <<<"$out" &&
   grep -q "changed=0" <<<"$(recap "$out")" && [ "$(sums)" = "$before" ]; then
    ok "a newline in a VLAN name stops the play before anything changes"
else not_ok "a newline in a VLAN name stops the play" "$out"; fi
sed 's|^  health_file: .*$|  health_file: "/run/lyncboot-lab/health/ntp health --interval 1"|' \
    inventory/lab/group_vars/all/site.yml > "$work/injection.yml"
out=$(play -e "@$work/injection.yml")
if [ $? -ne 0 ] && grep -q 'lyncboot_site.health_file: .*must match' <<<"$out" &&
   grep -q "changed=0" <<<"$(recap "$out")" && [ "$(sums)" = "$before" ]; then
    ok "a blank in health_file (a unit's command line) stops the play before anything changes"
else not_ok "a blank in health_file stops the play" "$out"; fi

# Only the hook knows its keys: the throwaway kea-dhcp4 of lyncboot-kea-check refuses it.
sed 's/^      interface: v-vlan100$/      interface: v-vlan100\n      lyncboot: {web-port: 70000}/' \
    inventory/lab/group_vars/all/site.yml > "$work/bad-hook.yml"
out=$(play -e "@$work/bad-hook.yml")
if [ $? -ne 0 ] && grep -q "LYNCBOOT_CONFIG_ERROR.*web-port" <<<"$out" &&
   grep -q "failed to validate" <<<"$out" && [ "$(sums)" = "$before" ]; then
    ok "a bad hook setting is refused by a throwaway kea-dhcp4; the configuration stays"
else not_ok "a bad hook setting is refused by a throwaway kea-dhcp4" "$out"; fi

# Two hosts in lyncboot_kea: a load-balancing HA pair. Both are this machine here, each
# with its own files; the role's check runs each rendered file in a throwaway kea-dhcp4
# with the HA hooks. Then the two run for real, each in its own namespace on one phone
# segment (a bridge), until they reach load-balancing, and phones are answered by both.
sed 's/interface: v-data/interface: eth0/; s/interface: v-vlan100/interface: eth0/' \
    inventory/lab/group_vars/all/site.yml > "$work/ha-site.yml"
# The peers authenticate each other with certificates from the site's CA (mutual TLS):
# here a CA and one certificate a peer, client and server, for its address.
pki() { openssl "$@" >/dev/null 2>&1; }
pki req -x509 -newkey rsa:2048 -nodes -keyout "$work/ha-ca.key" -out "$work/ha-ca.pem" \
    -days 30 -subj "/CN=lyncboot HA test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
for x in a:11 b:12 intruder:50; do
    name=${x%%:*} addr=10.100.0.${x##*:}
    pki req -newkey rsa:2048 -nodes -keyout "$work/kea-$name.key" -out "$work/kea-$name.csr" \
        -subj "/CN=kea-$name"
    printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$addr" > "$work/ext"
    if [ "$name" = intruder ]; then  # a certificate of its own making: not from the CA
        pki req -x509 -newkey rsa:2048 -nodes -keyout "$work/kea-$name.key" \
            -out "$work/kea-$name.pem" -days 30 -subj "/CN=kea-$name"
    else
        pki x509 -req -in "$work/kea-$name.csr" -CA "$work/ha-ca.pem" -CAkey "$work/ha-ca.key" \
            -CAcreateserial -days 30 -extfile "$work/ext" -out "$work/kea-$name.pem"
    fi
done
host_vars() { # name address
    echo "{lyncboot_kea_config_path: $work/$1.conf, lyncboot_kea_ha_url: 'https://$2:8001/',"
    echo " lyncboot_kea_interfaces: [eth0], lyncboot_kea_lease_file: $work/$1-leases.csv,"
    echo " lyncboot_kea_control_socket: $work/$1.sock, lyncboot_kea_log_file: $work/$1.log,"
    echo " lyncboot_kea_ha_tls_ca_file: $work/ha-ca.pem, lyncboot_kea_ha_tls_dir: $work/tls-$1,"
    echo " lyncboot_kea_ha_tls_cert_file: $work/$1.pem, lyncboot_kea_ha_tls_key_file: $work/$1.key}"
}
two_kea_hosts() { # name-a vars-a name-b vars-b [group variable line...]: an inventory
    printf 'all:\n  children:\n    lyncboot_kea:\n      hosts:\n'
    printf '        %s: %s\n' "$1" "$(tr -d '\n' <<<"$2")" "$3" "$(tr -d '\n' <<<"$4")"
    printf '  vars:\n    ansible_connection: local\n'
    printf '    ansible_python_interpreter: /usr/bin/python3\n'
    printf '    lyncboot_kea_manage_services: false\n'
    shift 4
    for line in "$@"; do printf '    %s\n' "$line"; done
}
two_kea_hosts kea-a "$(host_vars kea-a 10.100.0.11)" kea-b "$(host_vars kea-b 10.100.0.12)" \
    > "$work/ha.yml"
out=$(ansible-playbook -i "$work/ha.yml" -e "@$work/ha-site.yml" \
      -e "lyncboot_package_dir=$debs" site.yml 2>&1)
ha_ok=$?
check_ha=$(/usr/bin/python3 - "$work/kea-a.conf" "$work/kea-b.conf" <<'PY' 2>&1
import json, sys
for path, me in zip(sys.argv[1:], ("kea-a", "kea-b")):
    d = json.load(open(path))["Dhcp4"]
    libs = [h["library"].rsplit("/", 1)[1] for h in d["hooks-libraries"]]
    assert libs == ["libdhcp_lease_cmds.so", "libdhcp_ha.so", "libdhcp_lyncboot.so"], libs
    ha = d["hooks-libraries"][1]["parameters"]["high-availability"][0]
    assert ha["this-server-name"] == me and ha["mode"] == "load-balancing", ha
    assert [p["role"] for p in ha["peers"]] == ["primary", "secondary"], ha
    assert all(p["url"].startswith("https://") for p in ha["peers"]), ha["peers"]
    assert ha["require-client-certs"] is True and ha["restrict-commands"] is True, ha
    assert ha["trust-anchor"].endswith(f"tls-{me}/ca.pem"), ha
    assert d["multi-threading"]["enable-multi-threading"] is True, d["multi-threading"]
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

# Without the TLS files the pair's HA listener would be open: refused before anything changes.
ha_before=$(md5sum "$work/kea-a.conf" "$work/kea-b.conf" 2>&1)
out=$(ansible-playbook -i "$work/ha.yml" -e "@$work/ha-site.yml" -e "lyncboot_package_dir=$debs" \
      -e lyncboot_kea_ha_tls_key_file= site.yml 2>&1)
if [ $? -ne 0 ] && grep -q "kea-a is one of a Kea HA pair: set lyncboot_kea_ha_tls_ca_file" <<<"$out" &&
   grep -q "changed=0" <<<"$(recap "$out")" &&
   [ "$(md5sum "$work/kea-a.conf" "$work/kea-b.conf" 2>&1)" = "$ha_before" ]; then
    ok "an HA pair without its TLS files is refused before anything changes"
else not_ok "an HA pair without its TLS files is refused before anything changes" "$out"; fi

# The same two hosts sharing a PostgreSQL database: a fleet (no HA), the database their
# lease database and configuration backend; checked by the role's throwaway kea-dhcp4,
# then run for real against Debian's PostgreSQL (fleet_live.py).
fleet_vars() { # name database-host
    echo "{lyncboot_kea_config_path: $work/$1.conf, lyncboot_kea_interfaces: [eth0],"
    echo " lyncboot_kea_control_socket: $work/$1.sock, lyncboot_kea_log_file: $work/$1.log,"
    echo " lyncboot_kea_database_host: $2}"
}
two_kea_hosts fleet-a "$(fleet_vars fleet-a 10.98.1.1)" fleet-b "$(fleet_vars fleet-b 10.98.2.1)" \
    "lyncboot_kea_database_password: lyncboot-test-only" \
    "lyncboot_kea_database_fetch_wait_time: 5" > "$work/fleet.yml"
out=$(ansible-playbook -i "$work/fleet.yml" -e "@$work/ha-site.yml" \
      -e "lyncboot_package_dir=$debs" site.yml 2>&1)
fleet_ok=$?
check_fleet=$(/usr/bin/python3 - "$work/fleet-a.conf" "$work/fleet-b.conf" <<'PY' 2>&1
import json, sys
for path, db in zip(sys.argv[1:], ("10.98.1.1", "10.98.2.1")):
    d = json.load(open(path))["Dhcp4"]
    libs = [h["library"].rsplit("/", 1)[1] for h in d["hooks-libraries"]]
    assert libs in (["libdhcp_pgsql_cb.so", "libdhcp_lyncboot.so"],
                    ["libdhcp_pgsql.so", "libdhcp_lyncboot.so"]), libs
    access = {"type": "postgresql", "host": db, "port": 5432, "name": "kea", "user": "kea",
              "password": "lyncboot-test-only"}
    assert d["lease-database"] == access, d["lease-database"]
    assert d["config-control"] == {"config-databases": [access], "config-fetch-wait-time": 5}, \
        d["config-control"]
    assert d["multi-threading"]["enable-multi-threading"] is False, d["multi-threading"]
    assert d["subnet4"][1]["pools"] == [{"pool": "10.100.0.100-10.100.0.199"}], d["subnet4"][1]
print("ok")
PY
)
if [ $fleet_ok -eq 0 ] && [ "$check_fleet" = ok ]; then
    ok "two Kea hosts sharing PostgreSQL: a fleet (lease database and configuration backend, no HA), accepted by kea-dhcp4"
else not_ok "two Kea hosts sharing PostgreSQL: a fleet" "$out
$check_fleet"; fi

fleet_before=$(md5sum "$work/fleet-a.conf" "$work/fleet-b.conf" 2>&1)
out=$(ansible-playbook -i "$work/fleet.yml" -e "@$work/ha-site.yml" -e "lyncboot_package_dir=$debs" \
      -e '{"lyncboot_kea_database_name": "kea; DROP TABLE lease4"}' site.yml 2>&1)
out2=$(ansible-playbook -i "$work/fleet.yml" -e "@$work/ha-site.yml" -e "lyncboot_package_dir=$debs" \
       -e lyncboot_kea_database_password= site.yml 2>&1)
if [ $? -ne 0 ] && grep -qF 'needs a host name or IPv4 address' <<<"$out" &&
   grep -qF 'kea; DROP TABLE lease4' <<<"$out" && grep -qF '"assertion": "lyncboot_kea_database_password' <<<"$out2" &&
   grep -q "changed=0" <<<"$(recap "$out")" && grep -q "changed=0" <<<"$(recap "$out2")" &&
   [ "$(md5sum "$work/fleet-a.conf" "$work/fleet-b.conf" 2>&1)" = "$fleet_before" ]; then
    ok "a bad database name or no password is refused before anything changes"
else not_ok "a bad database name or no password is refused before anything changes" "$out
$out2"; fi

live=$(/usr/bin/python3 "$top/tests/integration/fleet_live.py" "$work/fleet-a.conf" "$work/fleet-b.conf" 2>&1)
if [ $? -eq 0 ]; then
    ok "the fleet runs on Debian's PostgreSQL: $live"
else not_ok "the fleet runs on Debian's PostgreSQL" "$live"; fi

ha_live() {
    local x addr
    ip netns add lbha-phone && ip -n lbha-phone link set lo up &&
    ip -n lbha-phone link add br0 type bridge && ip -n lbha-phone link set br0 up &&
    ip -n lbha-phone addr add 10.100.0.50/24 dev br0 || return 1
    for x in a b; do
        addr=10.100.0.1$([ $x = a ] && echo 1 || echo 2)
        ip netns add "lbha-$x" && ip -n "lbha-$x" link set lo up &&
        ip link add "lbha-$x" type veth peer name "lbha-$x-p" &&
        ip link set "lbha-$x" netns "lbha-$x" name eth0 &&
        ip link set "lbha-$x-p" netns lbha-phone &&
        ip -n lbha-phone link set "lbha-$x-p" master br0 up &&
        ip -n "lbha-$x" addr add "$addr/24" dev eth0 && ip -n "lbha-$x" link set eth0 up || return 1
        mkdir -p "$work/run-$x"
        # As Debian's unit runs it: _kea, its two capabilities (its socket, log and
        # lease files in the test's directory, which _kea's group may write).
        chgrp _kea "$work" && chmod 0775 "$work" && chown _kea:_kea "$work/run-$x"
        touch "$work/kea-$x.log" "$work/kea-$x-leases.csv" && chown _kea "$work/kea-$x.log" "$work/kea-$x-leases.csv"
        ip netns exec "lbha-$x" env KEA_PIDFILE_DIR="$work/run-$x" KEA_LOCKFILE_DIR="$work/run-$x" \
            setpriv --reuid=_kea --regid=_kea --init-groups \
            --inh-caps=-all,+net_raw,+net_bind_service --ambient-caps=-all,+net_raw,+net_bind_service \
            --bounding-set=-all,+net_raw,+net_bind_service \
            kea-dhcp4 -c "$work/kea-$x.conf" > "$work/kea-$x.out" 2>&1 &
        echo "$!" >> "$work/ha.pids"
    done
    # Both in load-balancing (heartbeats every 10 s, lease sync): about 30 s, so up to 60.
    for _ in $(seq 600); do
        grep -q "to LOAD-BALANCING" "$work/kea-a.log" 2>/dev/null &&
            grep -q "to LOAD-BALANCING" "$work/kea-b.log" 2>/dev/null && break
        sleep 0.1
    done
    grep -q "to LOAD-BALANCING" "$work/kea-a.log" && grep -q "to LOAD-BALANCING" "$work/kea-b.log" ||
        { echo "no LOAD-BALANCING state"; return 1; }
    # 16 phones (different MACs) send a DHCPINFORM: each is answered once, by the peer
    # whose half of the clients it is, with the lyncboot options.
    for i in $(seq 10 25); do
        ip netns exec lbha-phone /usr/bin/python3 "$top/tests/integration/dhcp_query.py" \
            --iface br0 --type inform --ciaddr 10.100.0.50 --vendor-class MS-UC-Client \
            --mac "02:1c:00:00:00:$i" --timeout 1
    done > "$work/ha-replies.json"
    /usr/bin/python3 - "$work/ha-replies.json" <<'PY'
import collections, json, sys
answers = [json.loads(line)["replies"] for line in open(sys.argv[1]) if line.startswith("{")]
assert len(answers) == 16 and all(len(a) == 1 for a in answers), \
    f"want one reply to each of 16 INFORMs: {[len(a) for a in answers]}"
replies = [a[0] for a in answers]
servers = collections.Counter(r["server_id"] for r in replies)
assert set(servers) == {"10.100.0.11", "10.100.0.12"}, servers
assert all("43" in r["options"] and "120" in r["options"] for r in replies)
print(f"answered by 10.100.0.11: {servers['10.100.0.11']}, by 10.100.0.12: {servers['10.100.0.12']}")
PY
    # The listeners are locked: from the phone segment, dhcp-disable without a certificate
    # and with one the CA did not sign is refused at the TLS handshake; a peer's
    # certificate gets in, and then only HA commands (config-write: 403).
    local cmd='{"command": "dhcp-disable", "service": ["dhcp4"]}' write
    write='{"command": "config-write", "service": ["dhcp4"], "arguments": {"filename": "/tmp/x"}}'
    if ip netns exec lbha-phone curl -s -m 5 -H "Content-Type: application/json" --cacert "$work/ha-ca.pem" -d "$cmd" \
        https://10.100.0.11:8001/ >/dev/null 2>&1; then
        echo "dhcp-disable without a certificate was answered"; return 1
    fi
    if ip netns exec lbha-phone curl -s -m 5 -H "Content-Type: application/json" --cacert "$work/ha-ca.pem" \
        --cert "$work/kea-intruder.pem" --key "$work/kea-intruder.key" -d "$cmd" \
        https://10.100.0.11:8001/ >/dev/null 2>&1; then
        echo "dhcp-disable with a certificate of another CA was answered"; return 1
    fi
    local answer
    answer=$(ip netns exec lbha-phone curl -sS -m 5 -H "Content-Type: application/json" --cacert "$work/ha-ca.pem" \
        --cert "$work/kea-b.pem" --key "$work/kea-b.key" -d "$write" https://10.100.0.11:8001/ 2>&1)
    grep -q '403' <<<"$answer" ||
        { echo "config-write with a peer's certificate was not refused: $answer"; return 1; }
    echo "unauthenticated dhcp-disable refused; only HA commands for a peer"
}
live=$(ha_live 2>&1)
if [ $? -eq 0 ]; then
    ok "the HA pair runs over mutual TLS: both reach load-balancing and share the phones, lyncboot options from each ($(paste -sd ';' <<<"$live"))"
else
    not_ok "the HA pair runs" "$live
$(grep -h "HA_\|ERROR" "$work"/kea-?.log "$work"/kea-?.out 2>/dev/null | tail -20)"
fi

echo "1..$n"
exit $failed
