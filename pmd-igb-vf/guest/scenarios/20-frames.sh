# shellcheck shell=bash
# (b) Frames, byte for byte, in every direction the PF's switch offers:
#  - wirespeed VF -> the PF's netdev (captured in the guest with tcpdump):
#    raw frames of 60..1514 bytes, and an IPv4/UDP frame sent with zero
#    checksums and the checksum-offload flags (the capture must carry the
#    correct checksums, computed by IgbGuestProbe in software);
#  - wirespeed VF -> the far end of QEMU's netdev backend (unknown unicast
#    goes to the wire): raw, checksum-offloaded, and VLAN-inserted (tag 100)
#    frames, found byte for byte by the host in its capture;
#  - the guest kernel (PF netdev: UDP through bash's /dev/udp, and ping) ->
#    the wirespeed VF: the bytes the VF received are the bytes tcpdump saw
#    leave the PF, and the rx flags say IP (and UDP) checksum good.
PROBE=dev.wirespeed.igbvf.guest.IgbGuestProbe
VF_MAC=02:00:00:00:0a:00
ip link set "$IGB_PF" vf 0 mac "$VF_MAC"
PF_MAC=$(cat "/sys/class/net/$IGB_PF/address")

# in_capture <pcap> <hex>: the frame's bytes appear in the capture.
in_capture() { xxd -p "$1" | tr -d '\n' | grep -q "$2"; }

# 1 and 2, from one JVM (a JVM start costs about a minute under TCG): group 1
# to the PF's MAC, group 2 to an unknown unicast MAC (the wire).
tcpdump -i "$IGB_PF" -U -s 0 -w pf-rx.pcap "ether src $VF_MAC" 2>tcpdump1.err &
tpid=$!
bg_started "$tpid"
sleep 2
jrun send.out "$PROBE" send frames "pci:${IGB_VF[0]}" "$PF_MAC" raw csum + 02:ff:00:00:00:01 raw csum vlan:100 ||
	fail "send to the PF and to the wire" "IgbGuestProbe exit $?"
sleep 1
kill -INT "$tpid"
wait "$tpid"
n=0
while read -r group kind hex; do
	n=$((n + 1))
	if [ "$group" = 2 ]; then
		# the host looks for it at the far end of the netdev backend
		farend "frames:VF->wire:$kind#$n" "$hex"
	elif in_capture pf-rx.pcap "$hex"; then
		pass "VF -> PF netdev: $kind frame $n ($(( ${#hex} / 2 )) bytes) arrived intact"
	else
		fail "VF -> PF netdev: $kind frame $n ($(( ${#hex} / 2 )) bytes) arrived intact" "not in the PF capture: $(tcpdump -r pf-rx.pcap -c 8 -n -e 2>/dev/null | tr '\n' ';')"
	fi
done < <(sed -n 's/^IGB_SENT //p' send.out)
[ "$n" -ge 13 ] || fail "VF -> PF netdev and far end: 13 frames sent" "$n sent"

# 3. guest kernel -> VF
ip addr add 10.11.0.1/24 dev "$IGB_PF"
ip neigh replace 10.11.0.2 lladdr "$VF_MAC" dev "$IGB_PF" nud permanent
tcpdump -i "$IGB_PF" -U -s 0 -w pf-tx.pcap "ether dst $VF_MAC" 2>tcpdump2.err &
tpid=$!
bg_started "$tpid"
jstart recv.out "$PROBE" recv frames "pci:${IGB_VF[0]}" 60 5
if wait_until 60 grep -q '^IGB_READY' recv.out; then
	sleep 1
	for i in 1 2 3; do
		echo "wirespeed igb datagram $i $(head -c 300 /dev/zero | tr '\0' "$i")" >/dev/udp/10.11.0.2/9
		sleep 0.3
	done
	ping -c 2 -i 0.5 -W 1 10.11.0.2 >/dev/null
fi
jstop
jshow recv.out
kill -INT "$tpid"
wait "$tpid"
n=0
while read -r flags tci hex; do
	n=$((n + 1))
	proto=$(( 16#${hex:46:2} ))
	# The PF's own UDP leaves with checksum offload: tcpdump sees the partial
	# (pseudo-header) checksum the device completes, so those 2 bytes are not
	# compared here; the VF's rx flags below say whether the device's is right.
	pattern=$hex
	[ "$proto" = 17 ] && pattern="${hex:0:80}....${hex:84}"
	if ! in_capture pf-tx.pcap "$pattern"; then
		fail "PF netdev -> VF: frame $n ($(( ${#hex} / 2 )) bytes) as the PF sent it" "not in the PF's tx capture"
		continue
	fi
	want=$(( 0x4 ))
	[ "$proto" = 17 ] && want=$(( 0x4 | 0x10 ))
	if (( (16#$flags & want) == want )) && (( (16#$flags & 0x28) == 0 )); then
		pass "PF netdev -> VF: frame $n (IP proto $proto, $(( ${#hex} / 2 )) bytes) intact, rx flags 0x$flags say checksums good"
	else
		fail "PF netdev -> VF: frame $n (IP proto $proto) rx checksum flags" "flags 0x$flags, want bits 0x$(printf %x $want) and not 0x28"
	fi
done < <(sed -n 's/^IGB_RECEIVED //p' recv.out)
[ "$n" -ge 5 ] || fail "PF netdev -> VF: 5 frames (3 UDP, 2 ICMP) received" "got $n"
