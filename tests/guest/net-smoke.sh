#!/usr/bin/env bash
# Network smoke test of the WebVirt test guest: builds it (build.sh, cached), then,
# inside a network namespace of its own (a bridge 10.77.5.1/24, taps, dnsmasq for
# DHCP), boots it under QEMU TCG (kernel + initrd) several times:
#   1. no NIC                      -> READY, WEBVIRT-GUEST-NICS none (boot time baseline)
#   2. NIC on the bridge, DHCP     -> "webvirt-guest: eth0 up ADDR mac MAC", the lease in
#                                     dnsmasq's file, ping, httpd page, TCP echo on 7,
#                                     ping from the guest, route and resolv.conf
#   3. wv.ip= / wv.gw= static      -> same checks, no DHCP lease for that MAC
#   4. NoCloud seed (cidata ISO on virtio-scsi) with a network-config (eth0 static,
#      eth1 dhcp4: true) and a local-hostname -> same checks, the hostname on the page,
#                                     eth1's lease
#   5. NIC without a DHCP server   -> READY as fast as without a NIC, the "no DHCP
#                                     answer yet" line
# Needs root (netns, taps).  Touches nothing outside its namespace and temp folder;
# both are removed on exit, failure included.
#
#   tests/guest/net-smoke.sh [--keep]     (--keep: keep the temp folder with the logs)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
keep=
[ "${1:-}" = --keep ] && keep=1
[ "$(id -u)" -eq 0 ] || { echo "net-smoke.sh: needs root (network namespace, taps)" >&2; exit 1; }

missing=()
command -v qemu-system-x86_64 > /dev/null || missing+=(qemu-system-x86)
command -v dnsmasq > /dev/null || missing+=(dnsmasq-base)
command -v xorriso > /dev/null || missing+=(xorriso)
command -v busybox > /dev/null || missing+=(busybox-static)
command -v curl > /dev/null || missing+=(curl)
command -v python3 > /dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    echo "net-smoke.sh: installing missing packages: ${missing[*]}" >&2
    compgen -G '/var/lib/apt/lists/*_Packages*' > /dev/null || apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

guest=$("$here/build.sh" | tail -n 1)
echo "guest: $guest"

ns=wvgn-$$
tmp=$(mktemp -d /tmp/webvirt-net-smoke.XXXXXX)
qemu_pid=
# kill_pidfile FILE: ends the process whose pid FILE holds (`ip netns exec` is not the
# process itself, so $! is not enough), and waits for it to go.
kill_pidfile() {
    local pid i=0
    pid=$(cat "$1" 2> /dev/null) || return 0
    rm -f "$1"
    kill "$pid" 2> /dev/null || return 0
    while kill -0 "$pid" 2> /dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$pid" 2> /dev/null || true
}
cleanup() {
    rc=$?
    for f in "$tmp"/*.pid; do kill_pidfile "$f"; done
    wait 2> /dev/null || true
    # Whatever is still in the namespace was started by this script.
    for p in $(ip netns pids "$ns" 2> /dev/null); do kill -9 "$p" 2> /dev/null || true; done
    ip netns del "$ns" 2> /dev/null || true
    if [ -n "$keep" ] || [ "$rc" -ne 0 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nsx() { ip netns exec "$ns" "$@"; }
ok() { echo "ok   $*"; }
fail() {
    echo "FAIL $*"
    if [ -n "${log:-}" ] && [ -f "$log" ]; then
        echo "----- serial output ($log) -----"; tr -d '\r' < "$log"; echo "-----"
    fi
    exit 1
}

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add br0 type bridge
ip -n "$ns" addr add 10.77.5.1/24 dev br0
ip -n "$ns" link set br0 up
for t in tap0 tap1 tap2; do
    ip -n "$ns" tuntap add dev "$t" mode tap
done
ip -n "$ns" link set tap0 master br0 up
ip -n "$ns" link set tap1 master br0 up
ip -n "$ns" link set tap2 up          # on no bridge: a NIC that no DHCP server hears

leases=$tmp/dnsmasq.leases
nsx dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root --port=0 \
    --interface=br0 --bind-interfaces --dhcp-range=10.77.5.100,10.77.5.150,255.255.255.0,1h \
    --dhcp-option=option:router,10.77.5.1 --dhcp-option=option:dns-server,10.77.5.1 \
    --dhcp-leasefile="$leases" --log-dhcp --log-facility="$tmp/dnsmasq.log" \
    --pid-file="$tmp/dnsmasq.pid" > "$tmp/dnsmasq.out" 2>&1 &
ok "namespace $ns: br0 10.77.5.1/24, tap0 tap1 on it, tap2 alone, dnsmasq"

# boot NAME APPEND QEMU-ARGS...: starts the guest in the namespace, waits for READY.
# Sets log, sock, boot_s.
boot() {
    local name=$1 append=$2 t0
    shift 2
    log=$tmp/serial-$name.log sock=$tmp/serial-$name.sock
    t0=$(date +%s%N)
    nsx qemu-system-x86_64 -machine q35 -accel tcg -cpu max -m 256 -nodefaults -no-user-config \
        -display none -kernel "$guest/vmlinuz" -initrd "$guest/initrd.gz" -append "$append" \
        -chardev "socket,id=ser0,path=$sock,server=on,wait=off,logfile=$log" -serial chardev:ser0 \
        -pidfile "$tmp/qemu.pid" "$@" > "$tmp/qemu-$name.out" 2>&1 &
    qemu_pid=$!
    wait_for 'WEBVIRT-GUEST-READY' 120 || fail "$name: no WEBVIRT-GUEST-READY"
    boot_s=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
}
# wait_for REGEX SECONDS: until REGEX (grep -E) is in the serial log.
wait_for() {
    local deadline=$(($(date +%s) + $2))
    until [ -f "$log" ] && tr -d '\r' < "$log" | grep -Eq -- "$1"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        kill -0 "$qemu_pid" 2> /dev/null || fail "QEMU exited: $(cat "$tmp"/qemu-*.out)"
        sleep 0.1
    done
}
# send LINE: writes LINE to the guest's ttyS0.
send() {
    python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n"); time.sleep(0.3); s.close()' "$sock" "$1"
}
stop() {
    kill_pidfile "$tmp/qemu.pid"
    wait "$qemu_pid" 2> /dev/null || true
    qemu_pid=
}
# net_checks NAME MAC ADDR HOSTNAME: ping, httpd page, echo, guest -> bridge.
net_checks() {
    local name=$1 mac=$2 addr=$3 host=$4 ip=${3%/*} page echo_reply
    nsx busybox ping -c 3 -W 2 "$ip" > "$tmp/ping-$name.txt" || fail "$name: no ping reply from $ip"
    ok "$name: ping $ip from the namespace: $(grep -o '[0-9]* packets received' "$tmp/ping-$name.txt")"
    page=$(nsx curl -sS --max-time 10 "http://$ip/") || fail "$name: no httpd page on $ip:80"
    grep -q "WEBVIRT-GUEST-HTTP hostname $host" <<< "$page" || fail "$name: page without hostname $host: $page"
    grep -q "WEBVIRT-GUEST-HTTP eth0 mac $mac ip $addr" <<< "$page" || fail "$name: page without eth0 $mac $addr: $page"
    ok "$name: http://$ip/ names hostname $host, eth0 mac $mac ip $addr"
    echo_reply=$(nsx python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[1], 7), 10); s.settimeout(10)
s.sendall(b"webvirt-echo\n"); data = b""
while not data.endswith(b"\n"): data += s.recv(100)
print(data.decode().strip())' "$ip") || fail "$name: no TCP echo on $ip:7"
    [ "$echo_reply" = webvirt-echo ] || fail "$name: echo on port 7 answered '$echo_reply'"
    ok "$name: TCP echo on $ip:7"
    # From the guest: ping the bridge, and the default route.
    send 'ping -c 2 -W 2 10.77.5.1 > /dev/null && echo GUEST-PING-$((20 + 22))'
    wait_for 'GUEST-PING-42' 30 || fail "$name: the guest cannot ping 10.77.5.1"
    send 'ip route | grep -q "^default via 10.77.5.1 dev eth0" && echo GUEST-ROUTE-$((20 + 22))'
    wait_for 'GUEST-ROUTE-42' 30 || fail "$name: no default route via 10.77.5.1 in the guest"
    ok "$name: the guest pings 10.77.5.1 (busybox ping), default route via 10.77.5.1"
}

# 1. No NIC
boot none "console=ttyS0 quiet" -nic none
none_s=$boot_s
wait_for 'WEBVIRT-GUEST-NICS none' 5 || fail "none: no WEBVIRT-GUEST-NICS none"
sleep 2
! grep -q 'webvirt-guest:' "$log" || fail "none: network lines without a NIC"
ok "none: READY after $none_s s, WEBVIRT-GUEST-NICS none, no network line"
stop

# 2. DHCP
mac=52:54:00:77:05:02
boot dhcp "console=ttyS0 quiet" -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
    -device "virtio-net-pci,netdev=n0,mac=$mac"
dhcp_s=$boot_s
t_ready=$(date +%s%N)
wait_for "webvirt-guest: eth0 up [0-9./]+ mac $mac" 60 || fail "dhcp: no 'eth0 up' line"
addr=$(tr -d '\r' < "$log" | sed -nE "s/.*webvirt-guest: eth0 up ([0-9./]+) mac $mac.*/\1/p" | head -n 1)
up_s=$(awk -v a="$t_ready" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
ok "dhcp: READY after $dhcp_s s; 'webvirt-guest: eth0 up $addr mac $mac' $up_s s after READY"
case $addr in 10.77.5.1[0-4][0-9]/24 | 10.77.5.150/24) ;; *) fail "dhcp: address $addr not from the pool" ;; esac
grep -q "$mac ${addr%/*} webvirt-guest" "$leases" || fail "dhcp: no lease for $mac ${addr%/*} in $(cat "$leases")"
ok "dhcp: dnsmasq lease: $(grep "$mac" "$leases")"
net_checks dhcp "$mac" "$addr" webvirt-guest
send 'grep -q "^nameserver 10.77.5.1" /etc/resolv.conf && echo GUEST-RESOLV-$((20 + 22))'
wait_for 'GUEST-RESOLV-42' 30 || fail "dhcp: resolv.conf without nameserver 10.77.5.1"
ok "dhcp: /etc/resolv.conf has nameserver 10.77.5.1"
stop

# 3. Static address from the kernel command line
mac=52:54:00:77:05:03
boot static "console=ttyS0 quiet wv.ip=10.77.5.9/24 wv.gw=10.77.5.1" \
    -netdev tap,id=n0,ifname=tap1,script=no,downscript=no -device "virtio-net-pci,netdev=n0,mac=$mac"
static_s=$boot_s
wait_for "webvirt-guest: eth0 up 10.77.5.9/24 mac $mac" 30 || fail "static: no 'eth0 up 10.77.5.9/24' line"
ok "static: READY after $static_s s, 'webvirt-guest: eth0 up 10.77.5.9/24 mac $mac'"
net_checks static "$mac" 10.77.5.9/24 webvirt-guest
! grep -q "$mac" "$leases" || fail "static: the guest asked for a DHCP lease"
ok "static: no DHCP lease for $mac"
stop

# 4. NoCloud seed: cidata ISO on virtio-scsi with a static network-config
mac=52:54:00:77:05:04 mac2=52:54:00:77:05:06
mkdir -p "$tmp/seed"
printf 'instance-id: net-smoke\nlocal-hostname: seeded-guest\n' > "$tmp/seed/meta-data"
printf '#cloud-config\n' > "$tmp/seed/user-data"
cat > "$tmp/seed/network-config" << NETPLAN
version: 2
ethernets:
  nic0:
    match:
      macaddress: "${mac^^}"
    set-name: eth0
    addresses: [10.77.5.10/24]
    routes:
      - to: default
        via: 10.77.5.1
    nameservers:
      addresses: [10.77.5.1]
  nic1:
    match:
      macaddress: "$mac2"
    dhcp4: true
NETPLAN
xorriso -as mkisofs -quiet -o "$tmp/seed.iso" -V cidata -R -J "$tmp/seed" 2> /dev/null
boot seed "console=ttyS0 quiet" -netdev tap,id=n0,ifname=tap1,script=no,downscript=no \
    -device "virtio-net-pci,netdev=n0,mac=$mac" \
    -netdev tap,id=n1,ifname=tap0,script=no,downscript=no -device "virtio-net-pci,netdev=n1,mac=$mac2" \
    -device virtio-scsi-pci,id=scsi0 \
    -drive "if=none,id=seed,media=cdrom,file=$tmp/seed.iso,format=raw,readonly=on" \
    -device scsi-cd,bus=scsi0.0,drive=seed
seed_s=$boot_s
wait_for "webvirt-guest: eth0 up 10.77.5.10/24 mac $mac" 30 || fail "seed: no 'eth0 up 10.77.5.10/24' line"
ok "seed: READY after $seed_s s, 'webvirt-guest: eth0 up 10.77.5.10/24 mac $mac' from network-config"
net_checks seed "$mac" 10.77.5.10/24 seeded-guest
! grep -q "$mac" "$leases" || fail "seed: the guest asked for a DHCP lease"
ok "seed: hostname seeded-guest from meta-data, no DHCP lease for $mac"
wait_for "webvirt-guest: eth1 up 10\.77\.5\.[0-9]+/24 mac $mac2" 60 || fail "seed: no 'eth1 up' line (dhcp4: true)"
grep -q "$mac2 10.77.5.[0-9]* seeded-guest" "$leases" || fail "seed: no lease for $mac2 in $(cat "$leases")"
ok "seed: eth1 by dhcp4: true: $(tr -d '\r' < "$log" | grep -o "webvirt-guest: eth1 up [^ ]* mac [^ ]*"), lease $(grep "$mac2" "$leases" | cut -d' ' -f2-4)"
stop

# 5. A NIC no DHCP server answers
mac=52:54:00:77:05:05
boot nodhcp "console=ttyS0 quiet" -netdev tap,id=n0,ifname=tap2,script=no,downscript=no \
    -device "virtio-net-pci,netdev=n0,mac=$mac"
nodhcp_s=$boot_s
wait_for 'WEBVIRT-GUEST-NICS eth0' 5 || fail "nodhcp: no WEBVIRT-GUEST-NICS eth0"
wait_for 'webvirt-guest: eth0 no DHCP answer yet, retrying in the background' 30 ||
    fail "nodhcp: no 'no DHCP answer yet' line"
send 'echo SHELL-$((20 + 22))'
wait_for 'SHELL-42' 10 || fail "nodhcp: the shell does not answer"
ok "nodhcp: READY after $nodhcp_s s, 'no DHCP answer yet' line, the shell answers"
stop

echo "PASS  READY: no NIC $none_s s, DHCP $dhcp_s s, wv.ip $static_s s, seed $seed_s s, NIC without DHCP server $nodhcp_s s"
