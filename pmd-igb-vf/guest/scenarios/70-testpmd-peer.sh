# shellcheck shell=bash
# igb-guest-boot: iommu
# igb-guest-needs: dpdk
#
# A peer nobody here wrote (issue 14): DPDK 22.11's own igb VF PMD (net_e1000_igb_vf in Debian's
# dpdk-testpmd, staged on the host by dpdk/fetch-dpdk.sh) drives VF 1 through vfio-pci while
# wirespeed's pktgen drives VF 0 through uio_msi, in the same guest (intel_iommu=on iommu=pt).
# Frames go both ways through the igb PF's switch; nothing in between is ours.
#   1. testpmd (macswap, its one port looped onto itself) brings its VF up against Linux's igb PF:
#      link up, the MAC address the PF assigned.
#   2. Frames from the PF's netdev (dpdk/pf-echo.py, no wirespeed code) come back from testpmd once
#      each, addresses swapped, payload intact.
#   3. pktgen on VF 0 sends numbered frames to testpmd's MAC at a paced rate; testpmd swaps and returns
#      them; pktgen (--reflector) finds no loss, duplicate, reordering or corruption, and every frame
#      addressed from testpmd's VF to VF 0.
#   4. testpmd's counters agree: forwarded rx = tx = the frames of 2 and 3, nothing dropped; the VF's
#      hardware counters (NIC statistics) say the same.
#   5. For information (issue 14 part 4, not verdicts): pktgen at full rate through testpmd (round-trip
#      rate and latency percentiles), then each VF transmitting alone: testpmd txonly -> pktgen rx, and
#      pktgen tx -> testpmd rxonly.  Lines "RATE ..." for docs/perf/RESULTS.md.

DPDK_DIR=$IGB_GUEST_DIR/dpdk
TESTPMD_SH=$DPDK_DIR/testpmd.sh
ECHO_COUNT=${IGB_TESTPMD_ECHO_COUNT:-200}
# The paced verdict run: slow enough that a poller descheduled for a second on a loaded host (TCG)
# does not overflow a ring: pktgen's rx ring has 512 entries, testpmd's 4096.
PACED_RATE=${IGB_TESTPMD_RATE:-500}        # frames/s, pktgen -> testpmd -> pktgen
PACED_COUNT=${IGB_TESTPMD_COUNT:-5000}
INFO_SECONDS=${IGB_TESTPMD_INFO_SECONDS:-5} # each full-rate run of step 5
INFO_PKTGEN_LIMIT=${IGB_TESTPMD_INFO_PKTGEN_LIMIT:-180} # a JVM start took up to 250 s here under load

if [ ! -x "$IGB_GUEST_DIR/work/dpdk/root/usr/bin/dpdk-testpmd" ]; then
	fail "dpdk-testpmd staged" "no $IGB_GUEST_DIR/work/dpdk/root; run pmd-igb-vf/guest/dpdk/fetch-dpdk.sh on the host before booting"
	return 0
fi
VF0=${IGB_VF[0]}
VF1=${IGB_VF[1]}
# Nothing but our frames should reach testpmd, so that its counters can be compared exactly: the PF's
# kernel must not send IPv6 neighbour/router solicitations.  Restored at the end (restore_pf).
ipv6_was=$(sysctl -n "net.ipv6.conf.$IGB_PF.disable_ipv6")
sysctl -qw "net.ipv6.conf.$IGB_PF.disable_ipv6=1"
restore_pf() { sysctl -qw "net.ipv6.conf.$IGB_PF.disable_ipv6=$ipv6_was"; }
# A VF's MAC as the igb PF has it: all zeros until the VF's driver sets one (Linux's igb assigns
# none at creation, igb_vf_configure) or the admin does.
vf_mac() { ip link show "$IGB_PF" | sed -n "s/^ *vf $1 .*link\/ether \([0-9a-f:]*\).*/\1/p"; }
# VF 0 (pktgen) gets its MAC from the admin, so it stays the same across pktgen's runs (each resets the
# VF, and the PF forgets a MAC the VF chose); VF 1 gets none: testpmd picks one and the PF must accept it.
VF0_MAC=02:00:00:00:70:00
ip link set "$IGB_PF" vf 0 mac "$VF0_MAC"
SCENARIO_T0=$(date +%s)
note "PF $IGB_PF, VF 0 $VF0 (uio_msi, MAC $(vf_mac 0)), VF 1 $VF1 (for vfio-pci, MAC $(vf_mac 1))"
# DPDK's VF, when testpmd closes it, was seen writing to IOVA 0 (6.12, 1 run in 3): the IOMMU blocks
# it and the kernel logs DMAR faults naming that VF. That is the peer, contained; the host's log check
# lets such faults through for this VF only (and says how many), never for wirespeed's VF.
echo "IGB_DMAR_ALLOWED ${VF1#0000:} DPDK's igb VF PMD (testpmd) on vfio-pci"

# ---- testpmd on VF 1 ------------------------------------------------------------------------------
# EAL: two lcores (main on CPU 0 sleeps between stats, forwarding on CPU 1), only VF 1, no shared files
# or hugetlbfs files (--in-memory: memfd hugepages), no telemetry socket.  testpmd: one port looped
# onto itself, periodic stats (which also keeps it running without a terminal until SIGINT); without
# link-change interrupts (the igb VF PMD has none) testpmd prints each port's link after starting it.
testpmd_start() { # <output> <testpmd args...>
	local out=$1
	shift
	"$TESTPMD_SH" -l 0,1 -n 1 --in-memory --no-telemetry -a "$VF1" -- \
		--port-topology=loop --nb-cores=1 --rxq=1 --txq=1 --rxd=4096 --txd=512 --total-num-mbufs=8192 \
		--no-mlockall --no-lsc-interrupt --stats-period 1 "$@" >"$out" 2>&1 </dev/null &
	TPID=$!
	bg_started "$TPID"
	# Ready once it printed its port's MAC and a first statistics block; given up when it exits first.
	wait_until 90 testpmd_ready_or_gone "$out"
	if ! kill -0 "$TPID" 2>/dev/null || ! testpmd_ready "$out"; then
		sed 's/^/   | /' "$out" | tail -n 40
		kill -0 "$TPID" 2>/dev/null || { wait "$TPID"; echo "   testpmd exited with status $?"; }
		return 1
	fi
	# Its port's MAC: the PF forgets a MAC its VF chose when the VF resets, so each start picks anew.
	TP_MAC=$(grep -m1 -o -E '^Port 0: ([0-9A-F]{2}:){5}[0-9A-F]{2}' "$out" | cut -c9- | tr 'A-F' 'a-f')
}
testpmd_ready() {
	grep -q -E '^Port 0: ([0-9A-F]{2}:){5}[0-9A-F]{2}' "$1" && grep -q 'NIC statistics for port 0' "$1"
}
testpmd_ready_or_gone() { ! kill -0 "$TPID" 2>/dev/null || testpmd_ready "$1"; }
# testpmd_stop <output>: SIGINT, as Ctrl-C: testpmd stops forwarding, prints its forward statistics,
# closes the port and exits by the signal (status 130).
testpmd_stop() {
	local i
	kill -INT "$TPID" 2>/dev/null
	for ((i = 0; i < 150; i++)); do
		kill -0 "$TPID" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$TPID" 2>/dev/null; then
		kill -KILL "$TPID"
		wait "$TPID" 2>/dev/null
		return 1
	fi
	wait "$TPID" 2>/dev/null
	grep -q 'Bye' "$1"
}
# forward_stat <output> <RX|TX>-<packets|dropped>: from testpmd's final "Forward statistics for port 0".
forward_stat() {
	sed -n '/Forward statistics for port 0/,/-----------------------------$/p' "$1" |
		sed -n "s/.*$2: *\([0-9]*\).*/\1/p" | head -1
}
# nic_stat <output> <RX-packets|TX-packets|RX-missed|RX-errors|TX-errors|RX-nombuf>: from the last
# periodic "NIC statistics for port 0" (the VF's own counters, read by the DPDK PMD).
nic_stat() {
	sed '/Signal [0-9]* received/,$d' "$1" | tac | sed -n "0,/NIC statistics for port 0/{s/.*$2: *\([0-9]*\).*/\1/p}" | head -1
}

if ! out=$(igb_bind "$VF1" vfio-pci 2>&1); then
	fail "VF 1 $VF1 bound to vfio-pci" "$out"
	restore_pf
	return 0
fi
group=$(basename "$(readlink "/sys/bus/pci/devices/$VF1/iommu_group")")
check "VF 1 $VF1 on vfio-pci, IOMMU group $group (/dev/vfio/$group), VF 0 $VF0 still on uio_msi" \
	test -c "/dev/vfio/$group" -a "$(igb_driver_of "$VF0")" = uio_msi

t0=$(date +%s%N)
if ! testpmd_start tp1.out --forward-mode=macswap; then
	fail "dpdk-testpmd started on VF 1 with the igb VF PMD" "no port or no statistics within 90 s; output above"
	restore_pf
	return 0
fi
note "testpmd up in $(( ($(date +%s%N) - t0) / 1000000 )) ms: $(grep -m1 -E '^Port 0 Link' tp1.out), MAC $TP_MAC"
# What testpmd said up to its first statistics (EAL's IOVA mode and IOMMU, the probe, the port, link).
sed -n '1,/Port statistics/p' tp1.out | grep -v -e '^ *$' -e 'Port statistics' | sed 's/^/   | /'
if grep -q 'Probe PCI driver: net_e1000_igb_vf' tp1.out && grep -q -E '^Port 0 Link up' tp1.out; then
	pass "testpmd's net_e1000_igb_vf drives VF 1 through vfio-pci: link up, MAC $TP_MAC"
else
	fail "testpmd's net_e1000_igb_vf drives VF 1 with link up" \
		"driver lines: $(grep -c net_e1000_igb_vf tp1.out), link: $(grep -m1 -E '^Port 0 Link' tp1.out)"
fi

# ---- 2: the PF's netdev <-> testpmd, no wirespeed code ---------------------------------------------
if python3 "$DPDK_DIR/pf-echo.py" "$IGB_PF" "$TP_MAC" "$ECHO_COUNT" 0.005 >echo.out 2>&1; then
	pass "$(cat echo.out): every frame from the PF's netdev returned once by testpmd, swapped and intact"
else
	fail "frames from the PF's netdev returned by testpmd" "$(tail -n 3 echo.out | tr '\n' ' ')"
fi
echoed=$(sed -n 's/.*echoed \([0-9]*\),.*/\1/p' echo.out)

# ---- 3: wirespeed's pktgen on VF 0 <-> testpmd on VF 1 ---------------------------------------------
# pktgen_run <seconds> <output> <pktgen args...>: pktgen on VF 0 in the background, given at most
# <seconds> (TCG on a loaded machine: a JVM may take a minute to start).  One still running then shows
# its threads (SIGQUIT) and is stopped with SIGINT; its status is then 124.
pktgen_run() {
	local limit=$1 out=$2 rc t0
	shift 2
	t0=$(date +%s)
	jstart "$out" dev.wirespeed.samples.pktgen.PktGen --dev "pci:$VF0" "$@"
	wait_until "$limit" pid_gone "$JPID"
	if pid_gone "$JPID"; then
		wait "$JPID"
		rc=$?
	else
		echo "   pktgen still running after ${limit}s: its threads (SIGQUIT), then SIGINT"
		kill -QUIT "$JPID"
		sleep 3
		jstop "$JPID"
		rc=124
	fi
	sed 's/^/   | /' "$out"
	echo "   pktgen: $(( $(date +%s) - t0 ))s from start to exit (JVM start included), status $rc"
	return $rc
}
pid_gone() { ! kill -0 "$1" 2>/dev/null; }
paced_sent=""
if pktgen_run 400 pktgen-paced.out --mode tx-rx --reflector "$TP_MAC" --rate "$PACED_RATE" --count "$PACED_COUNT" \
	--size 64 --drain 3 -T 5; then
	pass "pktgen on VF 0 (uio_msi) -> testpmd on VF 1 (vfio-pci) -> VF 0 at $PACED_RATE frames/s: $(grep -m1 '^rx checked:' pktgen-paced.out)"
else
	fail "pktgen on VF 0 through testpmd's macswap at $PACED_RATE frames/s: no loss, duplicates, reordering or corruption" \
		"exit $?; $(grep -E '^(rx checked|pktgen:|Exception|Caused)' pktgen-paced.out | head -n 3 | tr '\n' ' ')"
fi
paced_sent=$(sed -n 's/^tx: \([0-9,]*\) frames sent.*/\1/p' pktgen-paced.out | tr -d ,)
VF1_MAC=$(vf_mac 1)
if [ "$TP_MAC" = "$VF1_MAC" ]; then
	pass "the igb PF has testpmd's MAC $TP_MAC for VF 1 (ip link show $IGB_PF)"
else
	fail "the igb PF has testpmd's MAC for VF 1" "testpmd $TP_MAC, PF says '$VF1_MAC'"
fi
sleep 2 # testpmd's next periodic NIC statistics include every frame
if testpmd_stop tp1.out; then
	pass "testpmd stopped by SIGINT, printed its forward statistics and closed the port"
else
	fail "testpmd stops cleanly on SIGINT" "$(tail -n 5 tp1.out | tr '\n' ' ')"
fi
sed -n '/Forward statistics for port 0/,/----------------------------$/p' tp1.out | sed 's/^/   | /'
tp_rx=$(forward_stat tp1.out RX-packets)
tp_tx=$(forward_stat tp1.out TX-packets)
tp_rxdrop=$(forward_stat tp1.out RX-dropped)
tp_txdrop=$(forward_stat tp1.out TX-dropped)
nic_rx=$(nic_stat tp1.out RX-packets)
nic_tx=$(nic_stat tp1.out TX-packets)
expected=$(( ${echoed:-0} + ${paced_sent:-0} ))
note "testpmd forward rx $tp_rx tx $tp_tx (dropped $tp_rxdrop/$tp_txdrop); NIC rx $nic_rx tx $nic_tx missed $(nic_stat tp1.out RX-missed) errors $(nic_stat tp1.out RX-errors); expected $expected (pf-echo ${echoed:-?} + pktgen ${paced_sent:-?})"
if [ -n "$tp_rx" ] && [ "$tp_rx" = "$expected" ] && [ "$tp_tx" = "$expected" ] && [ "$tp_rxdrop$tp_txdrop" = 00 ] &&
	[ "$nic_rx" = "$expected" ] && [ "$nic_tx" = "$expected" ]; then
	pass "testpmd's counters agree: forwarded and NIC rx = tx = $expected (pf-echo $echoed + pktgen $paced_sent), none dropped"
else
	fail "testpmd's counters agree with what was sent" \
		"forward rx $tp_rx tx $tp_tx dropped $tp_rxdrop/$tp_txdrop, NIC rx $nic_rx tx $nic_tx, expected $expected"
fi

# ---- 5: rates through the model, for information -------------------------------------------------
# RATE lines: what docs/perf/RESULTS.md quotes.  TCG bounds all of them; they compare the two drivers
# on the same model in the same boot, nothing more.
rate() { echo "RATE igb-testpmd $*"; }
# Each part of step 5 starts only while the scenario has time left: guest-run.sh kills a scenario after
# 600 s (half the boot's timeout), and a part takes at most 90 (testpmd) + 180 (pktgen) + 30 (stop) s.
in_budget() {
	if [ "${IGB_TESTPMD_RATES:-0}" != 1 ]; then
		rate "$1: not measured (IGB_TESTPMD_RATES=1 on the host measures it)"
		return 1
	fi
	[ $(( $(date +%s) - SCENARIO_T0 )) -lt "${IGB_TESTPMD_INFO_BUDGET:-290}" ] && return 0
	rate "$1: skipped, the scenario has run $(( $(date +%s) - SCENARIO_T0 ))s (budget ${IGB_TESTPMD_INFO_BUDGET:-290}s)"
	return 1
}
pktgen_line() { grep -m1 "^$2" "$1" | sed 's/  */ /g'; }
# pps <pktgen output> <tx|rx>: frames per second over pktgen's whole run ("== final (S s)"), since its
# own Mpps column rounds TCG's rates to 0.000.
pps() {
	local n s
	n=$(sed -n "s/^$2: \([0-9,]*\) frames.*/\1/p" "$1" | tr -d ,)
	s=$(sed -n 's/^== final (\([0-9.]*\) s)$/\1/p' "$1")
	[ -n "$n" ] && [ -n "$s" ] && awk -v n="$n" -v s="$s" 'BEGIN { printf "%d frames in %.1f s = %.0f frames/s", n, s, n / s }'
}

# 5a: round trip at full rate, pktgen -> testpmd macswap -> pktgen.
if in_budget "round trip" && testpmd_start tp2.out --forward-mode=macswap; then
	pktgen_run "$INFO_PKTGEN_LIMIT" pktgen-full.out --mode tx-rx --reflector "$TP_MAC" --duration "$INFO_SECONDS" --size 64 --drain 2 -T 0 >/dev/null
	rate "round trip (pktgen VF0 -> testpmd macswap VF1 -> VF0), 64 B, full rate for ${INFO_SECONDS} s: sent $(pps pktgen-full.out tx); back $(pps pktgen-full.out rx)"
	rate "round trip latency: $(pktgen_line pktgen-full.out 'latency')"
	rate "round trip check: $(pktgen_line pktgen-full.out 'rx checked:')"
	testpmd_stop tp2.out || true
	rate "round trip testpmd forward: rx $(forward_stat tp2.out RX-packets) tx $(forward_stat tp2.out TX-packets) tx-dropped $(forward_stat tp2.out TX-dropped)"
fi
# 5b: testpmd's VF transmits alone (txonly, 60 B + CRC, to VF 0's MAC), pktgen only receives.
if in_budget "testpmd txonly" && testpmd_start tp3.out --forward-mode=txonly --txpkts=60 --eth-peer="0,$VF0_MAC"; then
	pktgen_run "$INFO_PKTGEN_LIMIT" pktgen-rx.out --mode rx --duration "$INFO_SECONDS" -T 0 >/dev/null
	testpmd_stop tp3.out || true
	rate "testpmd VF1 txonly -> pktgen VF0 rx, 60+4 B, ${INFO_SECONDS} s: pktgen received $(pps pktgen-rx.out rx); testpmd sent $(forward_stat tp3.out TX-packets) over its whole run, NIC tx-pps at the end $(sed '/Signal [0-9]* received/,$d' tp3.out | grep 'Tx-pps' | tail -n 1 | awk '{print $2}')"
fi
# 5c: wirespeed's VF transmits alone (pktgen tx at full rate to testpmd's MAC), testpmd only receives.
if in_budget "pktgen tx" && testpmd_start tp4.out --forward-mode=rxonly; then
	pktgen_run "$INFO_PKTGEN_LIMIT" pktgen-tx.out --mode tx --dst-mac "$TP_MAC" --duration "$INFO_SECONDS" --size 64 -T 0 >/dev/null
	sleep 2
	testpmd_stop tp4.out || true
	rate "pktgen VF0 tx -> testpmd VF1 rxonly, 64 B, ${INFO_SECONDS} s: pktgen sent $(pps pktgen-tx.out tx); testpmd received $(forward_stat tp4.out RX-packets), NIC rx $(nic_stat tp4.out RX-packets) missed $(nic_stat tp4.out RX-missed)"
fi
restore_pf
