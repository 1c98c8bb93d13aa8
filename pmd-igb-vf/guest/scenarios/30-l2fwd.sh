# shellcheck shell=bash
# (c, d) Real Linux traffic through samples' l2fwd on two igb VFs, and
# l2fwd's interrupt idling on the VFs' MSI-X vectors through uio_msi.
#
# Topology (README.md, "The l2fwd topology"): four VFs.
#   ns A: VF 2 (igbvf) 10.9.0.1, MAC 02:00:00:00:00:00, port VLAN 10
#   ns B: VF 3 (igbvf) 10.9.0.2, MAC 02:00:00:00:00:01, port VLAN 20
#   l2fwd port 0 = VF 0 (uio_msi) MAC 02:00:00:00:0a:00, port VLAN 10
#   l2fwd port 1 = VF 1 (uio_msi) MAC 02:00:00:00:0b:00, port VLAN 20
# A's only neighbour entry for B is VF 0's MAC, B's for A is VF 1's MAC
# (permanent, so no ARP). l2fwd rewrites the destination to
# 02:00:00:00:00:<tx port> and the source to the tx port's MAC: exactly A's
# and B's MACs. The PF's switch cannot short-circuit: A and B are in
# different VLANs, and nothing is ever addressed to the other namespace's
# MAC; the check "no ping without l2fwd" shows it.
igb_fresh 4 >fresh4.out 2>&1 || { fail "4 VFs on uio_msi" "$(tail -n 2 fresh4.out | tr '\n' ' ')"; return; }
ip link set "$IGB_PF" vf 0 mac 02:00:00:00:0a:00 vlan 10
ip link set "$IGB_PF" vf 1 mac 02:00:00:00:0b:00 vlan 20
ip link set "$IGB_PF" vf 2 mac 02:00:00:00:00:00 vlan 10
ip link set "$IGB_PF" vf 3 mac 02:00:00:00:00:01 vlan 20
igb_modprobe igbvf
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns add A
ip netns add B
for i in 2 3; do
	igb_bind "${IGB_VF[i]}" igbvf || { fail "VF $i on igbvf" "bind failed"; return; }
	wait_until 10 ls "/sys/bus/pci/devices/${IGB_VF[i]}/net/"
	nic[i]=$(ls "/sys/bus/pci/devices/${IGB_VF[i]}/net/")
done
ip link set "${nic[2]}" netns A
ip link set "${nic[3]}" netns B
ip -n A addr add 10.9.0.1/24 dev "${nic[2]}"
ip -n B addr add 10.9.0.2/24 dev "${nic[3]}"
ip -n A link set "${nic[2]}" up
ip -n B link set "${nic[3]}" up
ip -n A link set lo up
ip -n B link set lo up
ip -n A neigh replace 10.9.0.2 lladdr 02:00:00:00:0a:00 dev "${nic[2]}" nud permanent
ip -n B neigh replace 10.9.0.1 lladdr 02:00:00:00:0b:00 dev "${nic[3]}" nud permanent
wait_until 20 ip netns exec A grep -q 1 "/sys/class/net/${nic[2]}/carrier"
wait_until 20 ip netns exec B grep -q 1 "/sys/class/net/${nic[3]}/carrier"

if ip netns exec A ping -c 2 -W 1 10.9.0.2 >/dev/null 2>&1; then
	fail "without l2fwd, A cannot reach B (the PF's switch does not short-circuit)" "ping went through"
else
	pass "without l2fwd, A cannot reach B (the PF's switch does not short-circuit)"
fi

jstart l2fwd.out dev.wirespeed.samples.l2fwd.L2fwd --dev "pci:${IGB_VF[0]}" --dev "pci:${IGB_VF[1]}" \
	--idle interrupt --stats-format json -T 2 --pool-size 2048 --ring-size 256
l2pid=$JPID
# The first stats line with lcores means the ports run; then 4 s of idling.
if ! wait_until 180 grep -q '"lcores"' l2fwd.out; then
	fail "l2fwd on VF 0 and VF 1 starts" "no stats line in 180 s: $(tail -n 5 l2fwd.out | tr '\n' ' ')"
	jstop "$l2pid"
	jshow l2fwd.out
	return
fi
sleep 4
# lcore counters of the last stats line: sleeps wakeups
idle_counts() { grep '"lcores"' l2fwd.out | tail -1 | sed -E 's/.*"lcores":\[\{[^}]*"sleeps":([0-9]+),"wakeups":([0-9]+).*/\1 \2/'; }
read -r sleeps0 wakes0 < <(idle_counts)

if ip netns exec A ping -c 5 -i 0.3 -W 2 10.9.0.2 >ping-ab.out 2>&1; then
	pass "ping A -> B through l2fwd: $(grep -o '[0-9]* received' ping-ab.out), $(grep -o 'rtt.*' ping-ab.out)"
else
	fail "ping A -> B through l2fwd" "$(tail -n 2 ping-ab.out | tr '\n' ' ')"
fi
if ip netns exec B ping -c 5 -i 0.3 -W 2 10.9.0.1 >ping-ba.out 2>&1; then
	pass "ping B -> A through l2fwd: $(grep -o '[0-9]* received' ping-ba.out)"
else
	fail "ping B -> A through l2fwd" "$(tail -n 2 ping-ba.out | tr '\n' ' ')"
fi
# tcp_through <client ns> <server ns> <server ip>: a 3 s iperf3 TCP run.
tcp_through() {
	ip netns exec "$2" iperf3 -s -1 >"iperf-s-$2.out" 2>&1 &
	bg_started $!
	sleep 1
	if ip netns exec "$1" timeout 60 iperf3 -c "$3" -t 3 >"iperf-$1$2.out" 2>&1; then
		pass "TCP $1 -> $2 through l2fwd (iperf3): $(grep receiver "iperf-$1$2.out" | grep -o '[0-9.]* [KMG]*bits/sec')"
	else
		fail "TCP $1 -> $2 through l2fwd (iperf3)" "$(tail -n 3 "iperf-$1$2.out" | tr '\n' ' ')"
	fi
}
tcp_through A B 10.9.0.2
tcp_through B A 10.9.0.1
sleep 3
read -r sleeps1 wakes1 < <(idle_counts)
if [ "${sleeps0:-0}" -gt 0 ] && [ "${wakes1:-0}" -gt "${wakes0:-0}" ]; then
	pass "l2fwd --idle interrupt: the lcore slept ($sleeps0 sleeps before traffic) and woke on frames (wake-ups $wakes0 -> $wakes1, sleeps $sleeps1)"
else
	fail "l2fwd --idle interrupt slept and woke on frames" "sleeps $sleeps0 -> $sleeps1, wake-ups $wakes0 -> $wakes1"
fi
jstop "$l2pid"
rc=$?
grep -v '^{' l2fwd.out | sed 's/^/   | /'
grep '"lcores"' l2fwd.out | tail -1 | sed 's/^/   | /'
if [ $rc -eq 0 ] && grep -q '"event":"pool_check","leaked":0' l2fwd.out && ! grep -q 'Exception' l2fwd.out; then
	pass "l2fwd stopped cleanly on SIGINT (exit 0, pool check: 0 buffers leaked)"
else
	fail "l2fwd stopped cleanly on SIGINT" "exit $rc: $(grep -m2 'pool_check\|Exception' l2fwd.out | tr '\n' ' ')"
fi
