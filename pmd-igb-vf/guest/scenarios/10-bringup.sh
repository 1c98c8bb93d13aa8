# shellcheck shell=bash
# (a) Bring-up of a wirespeed VF through Linux's igb PF: VF reset and mailbox
# handshake, the MAC the PF assigned (VF 0: `ip link set PF vf 0 mac`) or,
# when it assigned none (VF 1: the PF NACKs VF_RESET), one the driver chose
# and the PF accepted; link up; promiscuous/all-multicast as granted; after
# stop every buffer back in its pool.  The PF's own log lines are shown.
PROBE=dev.wirespeed.igbvf.guest.IgbGuestProbe
ip link set "$IGB_PF" vf 0 mac 02:00:00:00:0a:00
kernel_log_mark
# One JVM for both (a JVM start costs about a minute under TCG): VF 0 first,
# then VF 1, which holds its port open until the shell has looked at the PF.
jstart bringup.out "$PROBE" bringup bringup "pci:${IGB_VF[0]}" 02:00:00:00:0a:00 "pci:${IGB_VF[1]}" any hold
if ! wait_until 240 grep -q '^IGB_HOLDING' bringup.out; then
	fail "VF 1 with no MAC from the PF comes up" "$(tail -n 3 bringup.out | tr '\n' ' ')"
fi
mac1=$(sed -n 's/^IGB_MAC //p' bringup.out | tail -1)
pf_view=$(ip link show "$IGB_PF" | sed -n 's/^ *vf 1 *link\/ether \([^ ,]*\).*/\1/p')
touch release
wait "$JPID" || fail "bring-up of VF 0 and VF 1" "IgbGuestProbe exit $?"
jshow bringup.out
if [ -n "$mac1" ] && [ "$mac1" = "$pf_view" ]; then
	pass "the PF holds VF 1's self-chosen MAC $mac1 while the port runs (ip link show: vf 1 $pf_view)"
else
	fail "the PF holds VF 1's self-chosen MAC while the port runs" "port said '$mac1', ip link show says '$pf_view'"
fi
note "granted: promiscuous $(sed -n 's/^IGB_PROMISC_GRANTED //p' bringup.out | tr '\n' ' '), all-multicast $(sed -n 's/^IGB_ALLMULTI_GRANTED //p' bringup.out | tr '\n' ' '), MTU $(sed -n 's/^IGB_MTU //p' bringup.out | tr '\n' ' ')"
note "PF log during bring-up:"
kernel_log_since | grep -i -E 'igb|vf' | sed 's/^/     /'
