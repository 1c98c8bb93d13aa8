# shellcheck shell=bash
# (a) Bring-up of a wirespeed VF through Linux's igb PF: VF reset and mailbox
# handshake, the MAC the PF assigned (VF 0: `ip link set PF vf 0 mac`) or,
# when it assigned none (VF 1: the PF NACKs VF_RESET), one the driver chose
# and the PF accepted; link up; promiscuous/all-multicast as granted; after
# stop every buffer back in its pool.  The PF's own log lines are shown.
PROBE=dev.wirespeed.igbvf.guest.IgbGuestProbe
ip link set "$IGB_PF" vf 0 mac 02:00:00:00:0a:00
kernel_log_mark
jrun vf0.out "$PROBE" bringup bringup "pci:${IGB_VF[0]}" 02:00:00:00:0a:00 ||
	fail "VF 0 with a MAC from the PF" "IgbGuestProbe exit $?"
jstart vf1.out "$PROBE" bringup bringup "pci:${IGB_VF[1]}" any hold
wait_until 120 grep -q '^IGB_HOLDING' vf1.out
mac1=$(sed -n 's/^IGB_MAC //p' vf1.out)
pf_view=$(ip link show "$IGB_PF" | sed -n 's/^ *vf 1 *link\/ether \([^ ,]*\).*/\1/p')
touch release
wait "$JPID" || fail "VF 1 with no MAC from the PF" "IgbGuestProbe exit $?"
jshow vf1.out
if [ -n "$mac1" ] && [ "$mac1" = "$pf_view" ]; then
	pass "the PF holds VF 1's self-chosen MAC $mac1 while the port runs (ip link show: vf 1 $pf_view)"
else
	fail "the PF holds VF 1's self-chosen MAC while the port runs" "port said '$mac1', ip link show says '$pf_view'"
fi
note "granted: VF 0 promiscuous $(sed -n 's/^IGB_PROMISC_GRANTED //p' vf0.out), all-multicast $(sed -n 's/^IGB_ALLMULTI_GRANTED //p' vf0.out), MTU $(sed -n 's/^IGB_MTU //p' vf0.out)"
note "PF log during bring-up:"
kernel_log_since | grep -i -E 'igb|vf' | sed 's/^/     /'
