# shellcheck shell=bash
# (e) PF events while a wirespeed port runs (IgbGuestProbe watch on VF 0):
# PF link down/up, admin settings (`ip link set PF vf 0 spoofchk|trust|vlan|mac`),
# and `rmmod igb` (the VF disappears under the running port) with reload and
# new VFs. After each event frames from the PF must reach the port again, or
# the port must say clearly what happened; after stop every buffer is back in
# the pool (IgbGuestProbe's own verdict). The guest kernel log is checked for
# the whole boot by the host.
PROBE=dev.wirespeed.igbvf.guest.IgbGuestProbe
VF_MAC=02:00:00:00:0a:00
ip link set "$IGB_PF" vf 0 mac "$VF_MAC"
ip addr add 10.12.0.1/24 dev "$IGB_PF"
ip neigh replace 10.12.0.2 lladdr "$VF_MAC" dev "$IGB_PF" nud permanent

rx_count() { local c; c=$(grep '^IGB_RX ' "$1" | tail -1 | cut -d' ' -f2); echo "${c:-0}"; }
rx_at_least() { [ "$(rx_count "$1")" -ge "$2" ]; }
# traffic_flows <watch output> <what> [ip]: 3 UDP datagrams from the PF's
# netdev to the port; its rx count must grow by 3 within 30 s.
traffic_flows() {
	local out=$1 what=$2 ip=${3:-10.12.0.2} before i
	before=$(rx_count "$out")
	for i in 1 2 3; do
		echo "pf-events $i" >"/dev/udp/$ip/9" 2>/dev/null
		sleep 0.3
	done
	if wait_until 30 rx_at_least "$out" $((before + 3)); then
		pass "$what: frames from the PF reach the port (rx $before -> $(rx_count "$out"))"
	else
		fail "$what: frames from the PF reach the port" "rx $before -> $(rx_count "$out") in 30 s"
	fi
}

jstart watch.out "$PROBE" watch pf-events "pci:${IGB_VF[0]}"
watch=$JPID
if ! wait_until 180 grep -q '^IGB_LINK up' watch.out; then
	fail "the watched port comes up" "$(tail -n 5 watch.out | tr '\n' ' ')"
	touch release
	wait "$watch"
	return
fi
traffic_flows watch.out "running port"

ip link set "$IGB_PF" down
if wait_until 30 grep -q '^IGB_LINK down' watch.out; then
	pass "PF link down: the port reports link down ($(grep -m1 '^IGB_LINK down' watch.out | cut -d' ' -f3-))"
else
	fail "PF link down: the port reports link down" "no IGB_LINK down within 30 s"
fi
ip link set "$IGB_PF" up
link_ups() { [ "$(grep -c '^IGB_LINK up' watch.out)" -ge "$1" ]; }
if wait_until 60 link_ups 2; then
	pass "PF link up again: the port reports link up ($(grep '^IGB_LINK up' watch.out | tail -1 | cut -d' ' -f3-))"
else
	fail "PF link up again: the port reports link up" "no second IGB_LINK up within 60 s"
fi
wait_until 20 grep -q 1 "/sys/class/net/$IGB_PF/carrier"
ip neigh replace 10.12.0.2 lladdr "$VF_MAC" dev "$IGB_PF" nud permanent
traffic_flows watch.out "after PF link down/up"

for setting in "spoofchk off" "trust on" "trust off" "spoofchk on"; do
	# shellcheck disable=SC2086
	if ip link set "$IGB_PF" vf 0 $setting; then
		traffic_flows watch.out "ip link set PF vf 0 $setting"
	else
		fail "ip link set PF vf 0 $setting" "the PF refused"
	fi
done

# Port VLAN 30: the PF's tagged frames (via a VLAN device on the PF) reach the
# port with the tag stripped; back to no VLAN, untagged frames do again.
ip link set "$IGB_PF" vf 0 vlan 30
ip link add link "$IGB_PF" name pfv30 type vlan id 30
ip addr add 10.13.0.1/24 dev pfv30
ip link set pfv30 up
ip neigh replace 10.13.0.2 lladdr "$VF_MAC" dev pfv30 nud permanent
# Linux's igb PF logs "Reload the VF driver to make this change effective":
# the VF is not told, and on QEMU's model the running port receives none of
# the tagged frames. Shown, not counted, until it is understood (model or
# driver); see the harness report of issue 14.
before=$(rx_count watch.out)
for i in 1 2 3; do echo "vlan30 $i" >/dev/udp/10.13.0.2/9 2>/dev/null; sleep 0.3; done
if wait_until 15 rx_at_least watch.out $((before + 3)); then
	note "ip link set PF vf 0 vlan 30: frames the PF tagged 30 reach the running port"
else
	skip "ip link set PF vf 0 vlan 30 while the port runs: frames the PF tags 30 do not reach it (rx $before -> $(rx_count watch.out)); the PF asks for a VF driver reload"
fi
ip link del pfv30
ip link set "$IGB_PF" vf 0 vlan 0
traffic_flows watch.out "ip link set PF vf 0 vlan 0"

# A new MAC from the PF while the port runs: Linux's igb PF says "Reload the VF
# driver"; what the port reports is shown, frames to the new MAC must arrive.
ip link set "$IGB_PF" vf 0 mac 02:00:00:00:0a:01
ip neigh replace 10.12.0.2 lladdr 02:00:00:00:0a:01 dev "$IGB_PF" nud permanent
traffic_flows watch.out "ip link set PF vf 0 mac 02:00:00:00:0a:01 (frames to the new MAC)"
note "port MAC after the PF changed it: $(grep '^IGB_MAC ' watch.out | tail -1 | cut -d' ' -f2-) (initially $VF_MAC)"

# rmmod igb: SR-IOV goes away with the PF driver, the VF under the port too.
if timeout 120 rmmod igb; then
	pass "rmmod igb with a wirespeed port running on its VF returns"
else
	fail "rmmod igb with a wirespeed port running on its VF returns" "rmmod exit $?"
fi
if wait_until 60 eval '! kill -0 '"$watch"' 2>/dev/null'; then
	wait "$watch"
	rc=$?
	if grep -q '^IGB_ERROR ' watch.out; then
		pass "the port said what happened: $(grep -m1 '^IGB_ERROR ' watch.out | cut -d' ' -f2-)"
	else
		fail "the port says what happened to its VF" "exit $rc, no error reported"
	fi
else
	fail "the port notices its VF is gone within 60 s" "still running"
	touch release
	wait "$watch"
fi
jshow watch.out

# Reload, new VFs, a new port: everything works again.
rm -f release
if igb_fresh 2 >reload.out 2>&1; then
	pass "igb reloaded, 2 VFs recreated and bound to uio_msi"
	ip link set "$IGB_PF" vf 0 mac "$VF_MAC"
	ip addr add 10.12.0.1/24 dev "$IGB_PF" 2>/dev/null
	ip neigh replace 10.12.0.2 lladdr "$VF_MAC" dev "$IGB_PF" nud permanent
	jstart watch2.out "$PROBE" watch pf-events "pci:${IGB_VF[0]}"
	if wait_until 180 grep -q '^IGB_LINK up' watch2.out; then
		traffic_flows watch2.out "a new port after igb was reloaded"
	else
		fail "a new port after igb was reloaded comes up" "$(tail -n 5 watch2.out | tr '\n' ' ')"
	fi
	touch release
	wait "$JPID"
	jshow watch2.out
else
	fail "igb reloaded, 2 VFs recreated" "$(tail -n 3 reload.out | tr '\n' ' ')"
fi
