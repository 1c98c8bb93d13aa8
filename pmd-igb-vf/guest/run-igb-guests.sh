#!/usr/bin/env bash
# Runs pmd-igb-vf against a real PF driver: QEMU 10's igb (82576) SR-IOV model
# in a TCG guest of Debian's 6.1 and 6.12 kernels, Linux's igb driving the PF,
# VFs bound to uio_msi, wirespeed (host JDK and classes over 9p) on the VFs.
# See README.md beside this file for the design, the scenarios and the hook.
#
# QEMU 10 comes from Debian's bookworm-backports suite, fetched with a private
# apt configuration and unpacked under $IGB_GUEST_WORK/qemu: the system QEMU
# (7.2, used by the uio_msi tests, which has no igb device) is left alone.
# The kernels are the ones driver/test/run-qemu-tests.sh downloads and unpacks
# (./test runs it first); uio_msi is built here from driver/ for each kernel.
#
# Each guest prints "PASS: igb: ..." / "FAIL: igb: ..." lines; this script
# adds its own for what only the host can see (frames at the far end of the
# netdev backend, the guest kernel log, a guest that never finished).  QEMU's
# exit status says nothing about the guest and is not used.
#
# Environment:
#   IGB_GUEST_KERNELS    kernel series (default "6.1 6.12")
#   IGB_GUEST_SCENARIOS  scenario names, e.g. "bringup frames" (default: all in
#                        scenarios/, in file order; a name is NN-name.sh less NN-
#                        and .sh)
#   IGB_GUEST_SCENARIOS_<series>  one kernel's scenarios instead, e.g.
#                        IGB_GUEST_SCENARIOS_6_1="bringup frames"
#   IGB_GUEST_TIMEOUT    hang guard per guest boot, seconds (default 1200)
#   IGB_GUEST_WORK       work directory (default pmd-igb-vf/guest/work)
#   IGB_GUEST_UIO_WORK   run-qemu-tests.sh's work directory, where Debian's
#                        kernels are (default driver/test/work)
#   IGB_GUEST_MEM        guest RAM in MiB (default 1536; 2048 for iommu boots)
#   IGB_GUEST_NO_BUILD   1: use the classes and jars as they are (no ./mvnw)
#   IGB_TESTPMD_RATES    1: the testpmd-peer scenario also measures full-rate RATE
#                        lines (information only; off by default: under TCG with
#                        interrupt remapping a guest CPU stalled for good (RCU
#                        stall, timer not firing) after the full-rate steps once)
#
# The last line is "igb-vf: N passed, M failed" over all kernels and boots.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${IGB_GUEST_WORK:-$HERE/work}
UIO_WORK=${IGB_GUEST_UIO_WORK:-$REPO/driver/test/work}
KERNELS=${IGB_GUEST_KERNELS:-"6.1 6.12"}
TIMEOUT=${IGB_GUEST_TIMEOUT:-1200}
QEMU_SUITE=bookworm-backports
QEMU_PACKAGES="qemu-system-x86 qemu-system-common qemu-system-data"
# Guest modules loaded from the host tree (lib.sh's igb_modprobe) and the ones
# the initramfs needs to mount that tree.  Dependencies come from modules.dep.
GUEST_MODULES="igb igbvf uio 8021q veth vfio-pci"
INITRD_MODULES="virtio_pci 9pnet_virtio 9p"
# Kernel log lines that mean the kernel (or a module) misbehaved: the uio_msi
# harness's list, plus IOMMU faults (the iommu boot).
BAD_LOG="$(sed -n "s/^BAD_LOG='\(.*\)'$/\1/p" "$REPO/driver/test/run-qemu-tests.sh")|DMAR: DRHD: handling fault"

log() { printf '== %s\n' "$*"; }
die() { printf 'igb-vf: error: %s\n' "$*" >&2; printf 'igb-vf: 0 passed, 1 failed\n'; exit 1; }
now() { date +%s; }

[ "$BAD_LOG" != "|DMAR: DRHD: handling fault" ] || die "no BAD_LOG='...' line in driver/test/run-qemu-tests.sh"
[ "$(id -u)" = 0 ] || die "run as root: it fetches QEMU with apt and boots guests that load kernel modules"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
t_start=$(now)

# ---- scenarios ---------------------------------------------------------------
# A scenario file may say which boot it needs on a line "# igb-guest-boot: iommu"
# (intel-iommu, iommu=pt, vfio modules, more RAM); the default is "main".
declare -A BOOT_OF
ALL=""
for f in "$HERE"/scenarios/[0-9][0-9]-*.sh; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .sh)
	n=${n#[0-9][0-9]-}
	ALL="$ALL $n"
	b=$(sed -n 's/^# igb-guest-boot: *\([a-z]*\).*/\1/p' "$f" | head -1)
	BOOT_OF[$n]=${b:-main}
	eval "FILE_$(echo "$n" | tr -c 'a-zA-Z0-9\n' _)=\$f"
done
SCENARIOS=${IGB_GUEST_SCENARIOS:-$ALL}
for s in $SCENARIOS; do
	[ -n "${BOOT_OF[$s]:-}" ] || die "unknown scenario '$s' in IGB_GUEST_SCENARIOS (known:$ALL)"
done
for k in $KERNELS; do
	kvar=IGB_GUEST_SCENARIOS_${k//./_}
	for s in ${!kvar:-}; do
		[ -n "${BOOT_OF[$s]:-}" ] || die "unknown scenario '$s' in $kvar (known:$ALL)"
	done
done
scenario_file() { eval "echo \$FILE_$(echo "$1" | tr -c 'a-zA-Z0-9\n' _)"; }
# A scenario that runs DPDK's testpmd says "# igb-guest-needs: dpdk": Debian's DPDK 22.11 is staged
# (downloaded and unpacked, not installed) by dpdk/fetch-dpdk.sh before any guest boots.
for s in $SCENARIOS; do
	if grep -q '^# igb-guest-needs: dpdk' "$(scenario_file "$s")"; then
		"$HERE/dpdk/fetch-dpdk.sh" >/dev/null || die "staging DPDK for scenario $s failed (see above)"
		break
	fi
done

# ---- QEMU 10 ----------------------------------------------------------------
QEMU_ROOT=$WORK/qemu
QEMU=$QEMU_ROOT/usr/bin/qemu-system-x86_64
fetch_qemu() {
	local apt=$WORK/apt deb
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$WORK/qemu-debs"
	echo "deb http://deb.debian.org/debian $QEMU_SUITE main" >"$apt/sources.list"
	local opts=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o Dir::Etc::sourceparts=/dev/null
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -q)
	log "fetching QEMU 10 from $QEMU_SUITE (private apt lists in $apt)"
	apt-get "${opts[@]}" update >/dev/null || die "apt-get update of $QEMU_SUITE failed"
	rm -f "$WORK/qemu-debs/"*.deb
	(
		cd "$WORK/qemu-debs"
		for p in $QEMU_PACKAGES; do
			apt-get "${opts[@]}" download "$p/$QEMU_SUITE" 2>&1 | grep -v -e 'unsandboxed' -e '^Get:' || true
		done
	)
	rm -rf "$QEMU_ROOT"
	for deb in "$WORK/qemu-debs/"*.deb; do
		dpkg -x "$deb" "$QEMU_ROOT" || die "cannot unpack $deb"
	done
	"$QEMU" --version >/dev/null 2>&1 ||
		die "$QEMU does not run (its libraries are bookworm's: is the system qemu-system-x86 installed?)"
}
# Its libraries are the system QEMU's (run-qemu-tests.sh installs it).
dpkg-query -W -f='${Status}' qemu-system-x86 2>/dev/null | grep -q 'install ok installed' || {
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends qemu-system-x86 >/dev/null
}
[ -x "$QEMU" ] || fetch_qemu
# QEMU 10 also finds the system 7.2's modules and says so on every start; the
# lines are noise (it does not need them), so they are filtered from the log.
QEMU_NOISE='failed to (initialize|open) module|Only modules from the same build'
# (Not "-device help": that loads every module, and the system's abort it.)
igb_help=$(QEMU_MODULE_DIR=$QEMU_ROOT/usr/lib/x86_64-linux-gnu/qemu "$QEMU" -device igb,help 2>/dev/null) || true
[[ $igb_help == *netdev=* ]] || die "$QEMU has no igb device"
QEMU_VERSION=$("$QEMU" --version | head -1)
log "$QEMU_VERSION"
command -v tcpdump >/dev/null || die "tcpdump is needed on the host (the far end of the netdev backend is captured with it; ./test installs it)"

# ---- kernels: modules, uio_msi, initramfs -------------------------------------
declare -A REL
for k in $KERNELS; do
	r=$(find "$UIO_WORK/kernels" -mindepth 1 -maxdepth 1 -name "$k.*-amd64" -printf '%f\n' 2>/dev/null |
		grep -E "^${k//./\\.}\.[0-9]" | sort -V | tail -1) || true
	deb=$(ls "$UIO_WORK/debs/linux-image-${r:-none}"_*.deb 2>/dev/null | head -1) || true
	[ -n "$r" ] && [ -e "$UIO_WORK/kernels/$r/.unpacked" ] && [ -n "$deb" ] ||
		die "no Debian $k kernel unpacked in $UIO_WORK; run driver/test/run-qemu-tests.sh first (e.g. UIO_MSI_KERNELS=$k UIO_MSI_RUNS=main), it downloads and unpacks them"
	REL[$k]=$r
done

# prepare_kernel <release>: every module of linux-image-<release> unpacked once
# with a modules.dep; the ones GUEST_MODULES need decompressed into ko/ with a
# load order per top module (ko/<name>.order, host paths); uio_msi built.
prepare_kernel() {
	local r=$1 kdir=$WORK/kernels/$1 deb m line ko name
	deb=$(ls "$UIO_WORK/debs/linux-image-${r}"_*.deb | head -1)
	if [ ! -e "$kdir/.modules" ]; then
		log "unpacking the modules of $r"
		rm -rf "$kdir"
		mkdir -p "$kdir/root" "$kdir/ko"
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$kdir/root" --wildcards "*/modules/$r/*"
		[ -d "$kdir/root/lib/modules/$r" ] || die "no lib/modules/$r in $deb"
		depmod -b "$kdir/root" "$r" || die "depmod failed for $r"
		for m in $GUEST_MODULES $INITRD_MODULES; do
			: >"$kdir/ko/$m.order"
			# "insmod PATH" per module, dependencies first; "builtin NAME" skipped.
			modprobe -d "$kdir/root" -S "$r" --show-depends "$m" >"$kdir/deps" 2>&1 ||
				die "linux-image-$r has no module $m: $(cat "$kdir/deps")"
			while read -r line; do
				case $line in insmod\ *) ;; *) continue ;; esac
				ko=${line#insmod }
				ko=${ko%% *}
				name=$(basename "$ko")
				name=${name%.xz}
				name=${name%.zst}
				case $ko in
				*.xz) xz -dc "$ko" >"$kdir/ko/$name" ;;
				*.zst) zstd -q -dc "$ko" >"$kdir/ko/$name" ;;
				*) cp "$ko" "$kdir/ko/$name" ;;
				esac
				echo "$kdir/ko/$name" >>"$kdir/ko/$m.order"
			done <"$kdir/deps"
		done
		rm -rf "$kdir/root" "$kdir/deps"
		touch "$kdir/.modules"
	fi

	# uio_msi from the working tree, for this kernel.
	local build=$kdir/uio_msi
	rm -rf "$build"
	mkdir -p "$build"
	cp -r "$REPO/driver/uio_msi.c" "$REPO/driver/Kbuild" "$REPO/driver/Makefile" "$REPO/driver/uapi" "$build/"
	make -C "$build" KDIR="$UIO_WORK/kernels/$r/usr/src/linux-headers-$r" >"$build/build.log" 2>&1 || {
		cat "$build/build.log"
		die "uio_msi does not build for $r"
	}

	# initramfs: busybox, what mounting the host's / needs, init.sh.
	local ird=$kdir/initramfs
	rm -rf "$ird"
	mkdir -p "$ird"/{bin,proc,sys,dev,lib/9p,host,tmp}
	cp /bin/busybox "$ird/bin/busybox"
	cp "$HERE/init.sh" "$ird/init"
	chmod 755 "$ird/init"
	: >"$ird/lib/9p/order"
	for m in $INITRD_MODULES; do
		while read -r ko; do
			name=$(basename "$ko")
			grep -qx "$name" "$ird/lib/9p/order" && continue
			cp "$ko" "$ird/lib/9p/$name"
			echo "$name" >>"$ird/lib/9p/order"
		done <"$kdir/ko/$m.order"
	done
	(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$kdir/initramfs.gz"
}

# ---- Java: the samples jar (every driver, ServiceLoader-registered, l2fwd,
# pktgen) and the guest programs (pmd-igb-vf's test package
# dev.wirespeed.igbvf.guest, compiled here with javac against the jar alone,
# which proves they use nothing but the public API the jar exports).
JAVA_HOME=$(. "$REPO/bin/jdk.sh" >&2 && echo "$JAVA_HOME") || die "a JDK 25 is needed (see above)"
JAR=$REPO/samples/target/wirespeed-samples.jar
if [ "${IGB_GUEST_NO_BUILD:-0}" != 1 ]; then
	stale=$(find "$REPO"/pom.xml "$REPO"/pmd-core "$REPO"/pmd-ixgbe-vf "$REPO"/pmd-igb-vf "$REPO"/emulator "$REPO"/samples \
		\( -path '*/src/main/*' -o -name pom.xml \) -newer "$JAR" -print -quit 2>/dev/null || echo missing)
	if [ ! -e "$JAR" ] || [ -n "$stale" ]; then
		log "building the samples jar (./mvnw -pl samples -am package, tests not compiled)"
		(cd "$REPO" && JAVA_HOME=$JAVA_HOME ./mvnw -q -B -ntp -pl samples -am -Dmaven.test.skip=true package) ||
			die "the build failed (see above)"
		touch "$JAR"
	fi
fi
[ -e "$JAR" ] || die "no $JAR"
GUEST_SRC=$REPO/pmd-igb-vf/src/test/java/dev/wirespeed/igbvf/guest
GUEST_CLASSES=$WORK/classes
rm -rf "$GUEST_CLASSES"
mkdir -p "$GUEST_CLASSES"
"$JAVA_HOME/bin/javac" -Xlint:all -Werror -d "$GUEST_CLASSES" -cp "$JAR" "$GUEST_SRC"/*.java || die "the guest programs in $GUEST_SRC do not compile"
# A jar, not the directory: the JVM's class-data archive (lib.sh) takes jars only.
"$JAVA_HOME/bin/jar" cf "$WORK/guest-programs.jar" -C "$GUEST_CLASSES" . || die "cannot pack $GUEST_CLASSES"
GUEST_CLASSPATH=$JAR:$WORK/guest-programs.jar
t_prep=$(( $(now) - t_start ))

# ---- boots ------------------------------------------------------------------
total_pass=0
total_fail=0
timings=""

# host_case <PASS|FAIL> <text>: a verdict only the host can give.
host_case() {
	echo "$1: igb: $2"
	if [ "$1" = PASS ]; then total_pass=$((total_pass + 1)); else total_fail=$((total_fail + 1)); fi
}

# Frames the guest promised at the far end of the netdev backend
# ("IGB_FAREND <label> <hex>" on the console) must be in the host capture.
check_far_end() {
	local console=$1 pcap=$2 hex label frame
	[ -s "$pcap" ] && hex=$(xxd -p "$pcap" | tr -d '\n') || hex=""
	sed -n 's/^IGB_FAREND \([^ ]*\) \([0-9a-f]*\)$/\1 \2/p' "$console" | while read -r label frame; do
		if [ -n "$hex" ] && [[ $hex == *"$frame"* ]]; then
			echo "PASS: igb: far end of the netdev backend: $label arrived intact (${#frame} hex digits)"
		else
			echo "FAIL: igb: far end of the netdev backend: $label not captured intact on the host"
		fi
	done
}

# run_qemu <release> <boot> <console> <pcap> <MiB> <kernel args> <qemu args...>:
# one guest, its console (less QEMU 10's module noise) in <console>, the far
# end of its netdev backend captured into <pcap>.
run_qemu() {
	local r=$1 b=$2 console=$3 pcap=$4 mem=$5 append=$6 port tpid
	shift 6
	# The netdev backend: UDP datagrams, one frame each, from 127.0.0.1:<port+1>
	# to 127.0.0.1:<port>, captured on the host's loopback.
	port=$(( 20000 + RANDOM % 20000 ))
	rm -f "$pcap"
	tcpdump -i lo -U -s 0 -w "$pcap" "udp and dst port $port" 2>"$pcap.log" &
	tpid=$!
	sleep 1
	QEMU_MODULE_DIR=$QEMU_ROOT/usr/lib/x86_64-linux-gnu/qemu \
	timeout "$TIMEOUT" "$QEMU" -accel tcg "$@" -m "$mem" -smp 2 -nodefaults -display none \
		-serial stdio -no-reboot -L "$QEMU_ROOT/usr/share/qemu" -L /usr/share/seabios \
		-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,slot=1 \
		-netdev "dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=$((port + 1)),remote.type=inet,remote.host=127.0.0.1,remote.port=$port" \
		-device igb,netdev=n0,bus=rp1,romfile=,mac=52:54:00:12:34:56 \
		-virtfs local,path=/,mount_tag=hostfs,security_model=none,readonly=on,multidevs=remap \
		-kernel "$UIO_WORK/kernels/$r/boot/vmlinuz-$r" -initrd "$WORK/kernels/$r/initramfs.gz" \
		-append "$append" </dev/null 2>&1 | tr -d '\r' | grep -v -E "$QEMU_NOISE" >"$console" || true
	sleep 1
	kill "$tpid" 2>/dev/null || true
	wait "$tpid" 2>/dev/null || true
}

# boot <series> <boot> <scenarios...>
boot() {
	local k=$1 b=$2 r=${REL[$1]} kdir append mem console env pcap t0 p f s dt
	shift 2
	kdir=$WORK/kernels/$r
	console=$WORK/console-$r-$b.log
	env=$WORK/run-$r-$b.env
	pcap=$WORK/farend-$r-$b.pcap
	mem=${IGB_GUEST_MEM:-1536}
	local qargs=(-machine q35)
	append="console=ttyS0 quiet panic=-1 igb_env=$env"
	if [ "$b" = iommu ]; then
		mem=${IGB_GUEST_MEM:-2048}
		# Nehalem, not the default qemu64: Debian's DPDK (testpmd) needs SSE4.2 and POPCNT.
		qargs=(-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on -cpu Nehalem)
		# no_timer_check: on a loaded host the early IO-APIC timer test can miss its ticks, and with
		# interrupt remapping the kernel then panics ("timer doesn't work through Interrupt-remapped
		# IO-APIC"), seen once in three boots here.
		append="$append intel_iommu=on iommu=pt no_timer_check"
	fi
	{
		echo "IGB_REPO='$REPO'"
		echo "IGB_GUEST_DIR='$HERE'"
		echo "IGB_KO='$kdir/ko'"
		echo "IGB_UIO_MSI_KO='$kdir/uio_msi/uio_msi.ko'"
		echo "IGB_BOOT='$b'"
		echo "JAVA='$JAVA_HOME/bin/java'"
		echo "CLASSPATH='$GUEST_CLASSPATH'"
		echo "IGB_SCENARIO_TIMEOUT=$(( TIMEOUT / 2 ))"
		echo "IGB_TESTPMD_RATES=${IGB_TESTPMD_RATES:-0}"
		printf "IGB_SCENARIOS='"
		for s in "$@"; do printf '%s ' "$(scenario_file "$s")"; done
		echo "'"
	} >"$env"
	# QEMU 10's multi-threaded TCG occasionally dies on an internal assertion
	# (seen: "iotlb_to_section: Assertion `section_index < d->map.sections_nb'"),
	# a QEMU bug, not the guest's: such a boot is run once more, and says so.
	log "booting $r ($b boot: $*; QEMU 10 igb, $mem MiB, 2 CPUs, TCG)"
	t0=$(now)
	run_qemu "$r" "$b" "$console" "$pcap" "$mem" "$append" "${qargs[@]}"
	if grep -q '^qemu-system-x86_64: .*Assertion' "$console"; then
		log "QEMU itself crashed ($(grep -m1 'Assertion' "$console")); booting again"
		cp "$console" "$console.qemu-crash"
		run_qemu "$r" "$b" "$console" "$pcap" "$mem" "$append" "${qargs[@]}"
	fi
	dt=$(( $(now) - t0 ))
	timings="$timings $k/$b:${dt}s"

	check_far_end "$console" "$pcap" >"$console.host"
	grep -E '^(PASS|FAIL|SKIP): igb: ' "$console" "$console.host" -h || true
	p=$(cat "$console" "$console.host" | grep -c '^PASS: igb: ' || true)
	f=$(cat "$console" "$console.host" | grep -c '^FAIL: igb: ' || true)
	grep -E '^IGB_SCENARIO_TIME ' "$console" | sed 's/^IGB_SCENARIO_TIME /   time: /' || true
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))

	if ! grep -q '^IGB_GUEST_DONE$' "$console"; then
		host_case FAIL "$r $b boot: the guest did not finish (timeout ${TIMEOUT}s or crash; console follows)"
		tail -n 80 "$console"
	fi
	if ! grep -q '^IGB_DMESG_END$' "$console"; then
		host_case FAIL "$r $b boot: no guest kernel log on the console"
	elif guest_dmesg "$console" | grep -E -n "$BAD_LOG|DMAR: \[DMA (Read|Write)" >"$console.bad"; then
		host_case FAIL "$r $b boot: the guest kernel log has errors:"
		cat "$console.bad"
	else
		host_case PASS "$r $b boot: guest kernel log clean (no BUG/WARNING/Oops/Call Trace)"
	fi
	log "$r $b boot: ${dt}s, console $console"
}

# guest_dmesg <console>: the guest kernel log the guest dumped at its end. IOMMU faults of a function a
# scenario declared a peer's ("IGB_DMAR_ALLOWED <bus:dev.fn> <whose>", e.g. DPDK's VF) are left out,
# counted in a NOTE; any other device's fault stays and fails the boot.
guest_dmesg() {
	local console=$1 bdf allowed n
	allowed=$(sed -n 's/^IGB_DMAR_ALLOWED \([0-9a-f:.]*\) .*/\1/p' "$console" | sort -u)
	if [ -z "$allowed" ]; then
		sed -n '/^IGB_DMESG_BEGIN$/,/^IGB_DMESG_END$/p' "$console"
		return
	fi
	for bdf in $allowed; do
		n=$(sed -n '/^IGB_DMESG_BEGIN$/,/^IGB_DMESG_END$/p' "$console" | grep -c "DMAR: \[DMA .*Request device \[$bdf\]" || true)
		[ "$n" -eq 0 ] || echo "NOTE: igb: $n IOMMU fault(s) of the peer's function $bdf (contained by the IOMMU; not wirespeed's VF)" >&2
	done
	sed -n '/^IGB_DMESG_BEGIN$/,/^IGB_DMESG_END$/p' "$console" |
		grep -v 'DMAR: DRHD: handling fault status' |
		grep -v -E "DMAR: \[DMA .*Request device \[($(echo $allowed | tr ' ' '|'))\]"
}

for k in $KERNELS; do
	t0=$(now)
	prepare_kernel "${REL[$k]}"
	t_prep=$(( t_prep + $(now) - t0 ))
	# IGB_GUEST_SCENARIOS_6_1 (say) narrows one kernel's set; names checked above.
	kvar=IGB_GUEST_SCENARIOS_${k//./_}
	kscen=${!kvar:-$SCENARIOS}
	for b in main iommu; do
		set --
		for s in $kscen; do
			[ "${BOOT_OF[$s]}" = "$b" ] && set -- "$@" "$s"
		done
		[ $# -eq 0 ] || boot "$k" "$b" "$@"
	done
done

log "timings: preparation ${t_prep}s, guests${timings}, total $(( $(now) - t_start ))s"
echo "igb-vf: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
