# shellcheck shell=bash
# Helpers for the igb guest scenarios (sourced by guest-run.sh before every
# scenario; runs with the host's bash chrooted into the host's / over 9p, the
# guest's /proc, /sys and /dev mounted over it).  README.md lists them.
#
# Set for every scenario by guest-run.sh's igb_fresh:
#   IGB_PF        the PF's netdev name      IGB_PF_BDF   its PCI address
#   IGB_VF[i]     VF i's PCI address (bound to uio_msi unless the scenario rebinds)
#   IGB_SCRATCH   a writable directory for this scenario (tmpfs)
#   JAVA, CLASSPATH, IGB_REPO, IGB_GUEST_DIR, IGB_BOOT (main|iommu)

IGB_SCENARIO=${IGB_SCENARIO:-setup}

pass() { echo "PASS: igb: $IGB_SCENARIO: $*"; }
# fail <what> [why]
fail() { echo "FAIL: igb: $IGB_SCENARIO: $1${2:+ ($2)}"; }
skip() { echo "SKIP: igb: $IGB_SCENARIO: $*"; }
note() { echo "   $IGB_SCENARIO: $*"; }

# check <what> <command...>: PASS if the command succeeds, FAIL with its output if not.
check() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$what"
	else
		fail "$what" "$(echo "$out" | tail -n 3 | tr '\n' ' ')"
		return 1
	fi
}

# wait_until <seconds> <command...>: polls every 0.2 s.
wait_until() {
	local end=$(( $(date +%s) + $1 ))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# igb_modprobe <module>: loads it and its dependencies from the kernel's
# modules (run-igb-guests.sh decompressed them, in order, host paths).
igb_modprobe() {
	local ko name
	[ -e "$IGB_KO/$1.order" ] || { echo "no module $1 prepared (GUEST_MODULES in run-igb-guests.sh)"; return 1; }
	while read -r ko; do
		name=$(basename "$ko" .ko)
		[ -d "/sys/module/${name//-/_}" ] && continue
		insmod "$ko" || return 1
	done <"$IGB_KO/$1.order"
}

# igb_uio_msi: uio_msi of this kernel, built from driver/ (no IOMMU in the main
# boot, so DMA to physical addresses must be allowed explicitly).
igb_uio_msi() {
	[ -d /sys/module/uio_msi ] && return 0
	igb_modprobe uio && insmod "$IGB_UIO_MSI_KO" allow_unsafe_dma=1
}

igb_driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }

# igb_bind <bdf> <driver|none>: driver_override + drivers_probe, as the facts
# say (new_id does not bind VFs when the PF's sriov_drivers_autoprobe is 0).
igb_bind() {
	local bdf=$1 drv=$2 d=/sys/bus/pci/devices/$1
	if [ -e "$d/driver" ]; then
		echo "$bdf" >"$d/driver/unbind" || return 1
	fi
	[ "$drv" = none ] && { echo >"$d/driver_override"; return 0; }
	echo "$drv" >"$d/driver_override"
	echo "$bdf" >/sys/bus/pci/drivers_probe
	[ "$(igb_driver_of "$bdf")" = "$drv" ] || {
		echo "$bdf did not bind to $drv (driver: $(igb_driver_of "$bdf"))"
		return 1
	}
}

# igb_pf: finds the PF (8086:10c9) and its netdev: IGB_PF_BDF, IGB_PF.
igb_pf() {
	local d
	IGB_PF_BDF=""
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x8086:0x10c9 ] && IGB_PF_BDF=$(basename "$d")
	done
	[ -n "$IGB_PF_BDF" ] || { echo "no igb PF (8086:10c9) in the guest"; return 1; }
	wait_until 10 ls "/sys/bus/pci/devices/$IGB_PF_BDF/net/" || { echo "igb did not create a netdev for $IGB_PF_BDF"; return 1; }
	IGB_PF=$(ls "/sys/bus/pci/devices/$IGB_PF_BDF/net/" | head -1)
}

# igb_vfs <n>: PF driver loaded and up, exactly n VFs (re)created, not probed
# by any driver; IGB_VF[0..n-1] their addresses.
igb_vfs() {
	local n=$1 i pfd
	igb_modprobe igb && igb_pf || return 1
	pfd=/sys/bus/pci/devices/$IGB_PF_BDF
	ip link set "$IGB_PF" up || return 1
	echo 0 >"$pfd/sriov_drivers_autoprobe"
	if [ "$(cat "$pfd/sriov_numvfs")" != "$n" ]; then
		echo 0 >"$pfd/sriov_numvfs"
		[ "$n" = 0 ] || echo "$n" >"$pfd/sriov_numvfs" || return 1
	fi
	IGB_VF=()
	for ((i = 0; i < n; i++)); do
		IGB_VF[i]=$(basename "$(readlink "$pfd/virtfn$i")")
	done
}

# igb_fresh [n]: the state every scenario starts from: n (default 2) fresh VFs
# on uio_msi, PF up with its link, hugepages reserved.
igb_fresh() {
	local i
	igb_uio_msi || return 1
	igb_vfs 0 && igb_vfs "${1:-2}" || return 1
	for i in "${!IGB_VF[@]}"; do
		igb_bind "${IGB_VF[i]}" uio_msi || return 1
	done
	wait_until 10 grep -q 1 "/sys/class/net/$IGB_PF/carrier" || { echo "PF $IGB_PF has no carrier"; return 1; }
}

# Under TCG a JVM start costs tens of seconds; C1 only, and a class-data
# archive that the first JVM of the boot writes and the later ones map.
IGB_JAVA_OPTS=(-XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss1m -Xmx256m -Djava.io.tmpdir=/dev/shm
	-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=/dev/shm/wirespeed-guest.jsa -Xlog:cds=off -Xlog:cds+dynamic=off
	--enable-native-access=ALL-UNNAMED)

# jrun <output file> <main class> <args...>: the host's JDK with the samples
# jar and this module's guest programs; output shown and kept.
jrun() {
	local out=$1 rc t0
	shift
	t0=$(date +%s)
	timeout "${IGB_JAVA_TIMEOUT:-300}" "$JAVA" "${IGB_JAVA_OPTS[@]}" -cp "$CLASSPATH" "$@" >"$out" 2>&1
	rc=$?
	jshow "$out"
	note "java ${2:-$1} ... ${3:-}: exit $rc after $(( $(date +%s) - t0 )) s"
	return $rc
}

# jshow <output file>: a Java program's output, its own verdict lines as they
# are (the host counts them), the rest indented.
jshow() { sed -E '/^(PASS|FAIL|SKIP): /!s/^/   | /' "$1"; }

# jstart <output file> <main class> <args...>: as jrun, in the background; the
# pid is in JPID.  jstop sends SIGINT (a clean stop) and waits.
jstart() {
	local out=$1
	shift
	"$JAVA" "${IGB_JAVA_OPTS[@]}" -cp "$CLASSPATH" "$@" >"$out" 2>&1 &
	JPID=$!
	bg_started "$JPID"
}

# bg_started <pid>: guest-run.sh kills it after the scenario if it still runs.
bg_started() { echo "$1" >>"$IGB_SCRATCH/pids"; }
jstop() {
	local pid=${1:-$JPID} i
	kill -INT "$pid" 2>/dev/null
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; wait "$pid" 2>/dev/null; return 124; }
	wait "$pid"
}

# farend <label> <frame hex>: asks the host to find this frame, byte for byte,
# at the far end of QEMU's netdev backend (run-igb-guests.sh checks it).
farend() { echo "IGB_FAREND $1 $2"; }

# kernel_log_mark: dmesg lines since the last mark (for per-scenario checks).
kernel_log_mark() { IGB_DMESG_LINES=$(dmesg | wc -l); }
kernel_log_since() { dmesg | tail -n +"$(( ${IGB_DMESG_LINES:-0} + 1 ))"; }
