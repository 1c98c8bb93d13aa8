#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds uio_msi against Debian's 6.1 and 6.12 kernels and runs
# test/uio_msi_test.c in a QEMU (TCG) guest of each kernel, with an emulated
# e1000e (MSI-X) and an emulated e1000 (INTx); then, per kernel, boots once
# more and runs pmd-core's Java uio_msi backend in the guest (the host's JDK
# and pmd-core's classes over 9p, see guest-java.sh).
#
# Passes only if checkpatch.pl --strict and sparse (per kernel) find nothing,
# for every kernel the module builds without warnings, every
# guest prints UIO_MSI_TESTS_PASSED (the Java run also the Java programs' own
# markers), and the guest's full kernel log (dumped to the console at the end
# of the run) has no BUG/WARNING/Oops.  QEMU's own exit status says nothing
# about the guest, so it is not used.
#
# Needs root on Debian 12 (it apt-gets what is missing).  Downloads and
# builds are cached under test/work/, so a second run only boots.
#
# Environment:
#   UIO_MSI_KERNELS        kernel series to test (default "6.1 6.12")
#   UIO_MSI_WORK           work directory (default test/work)
#   UIO_MSI_QEMU_TIMEOUT   hang guard per guest boot, seconds (default 600)
#   UIO_MSI_PREBUILT       a kernel release already laid out under
#                          $UIO_MSI_WORK/kernels/<release> (boot/vmlinuz-<release>,
#                          lib/modules/<release>, usr/src/linux-headers-<release>,
#                          .unpacked, .unpacked-9p, 9p.order), tested instead of
#                          Debian's packages: what debug-kernel.sh builds
#   UIO_MSI_APPEND         extra guest kernel arguments for every boot
#                          (debug-kernel.sh: acpi=noirq, see there)
#   UIO_MSI_RUNS           runs per kernel (default "main iommu iommupt java vfio");
#                          "vfio" runs pmd-core's VFIO backend (guest-vfio.sh)
#                          behind intel-iommu,intremap=on;
#                          "java" and "vfio" need a JDK 25 (bin/jdk.sh finds it) and
#                          builds pmd-core with ./mvnw if its classes are
#                          missing or older than its sources
#
# The last line is "uio_msi: N passed, M failed", N and M counting test cases
# over all kernels (a guest that never reports counts as one failure).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DRIVER=$(dirname "$HERE")
WORK=${UIO_MSI_WORK:-$HERE/work}
KERNELS=${UIO_MSI_KERNELS:-"6.1 6.12"}
QEMU_TIMEOUT=${UIO_MSI_QEMU_TIMEOUT:-600}
RUNS=" ${UIO_MSI_RUNS:-main iommu iommupt java vfio} "
case $RUNS in *" java "* | *" vfio "*) JAVA_RUNS=1 ;; *) JAVA_RUNS=0 ;; esac
case $RUNS in *" vfio "*) VFIO_RUNS=1 ;; *) VFIO_RUNS=0 ;; esac
REPO=$(dirname "$DRIVER")
# Modules the Java run's guest needs to mount the host's / over virtio-9p
# (with their dependencies, from the image's modules.dep; built-ins skipped).
GUEST_9P_MODULES="virtio_pci 9pnet_virtio 9p"
# ... and the vfio run its VFIO modules, and e1000 for a group that is not viable.
GUEST_VFIO_MODULES="vfio_iommu_type1 vfio_pci e1000"
PACKAGES="qemu-system-x86 busybox-static gcc gcc-12 make libc6-dev xz-utils cpio pahole kmod sparse perl"

# Kernel log lines that mean the kernel (or our module) misbehaved.
BAD_LOG='BUG:|WARNING:|Oops|Call Trace|general protection fault|Kernel panic|kernel BUG|UBSAN|KASAN|list_del corruption|refcount_t:|INFO: task .* blocked|nobody cared|Disabling IRQ|unreferenced object|possible circular locking|inconsistent lock state'

log() { printf '== %s\n' "$*"; }
die() { printf 'uio_msi: error: %s\n' "$*" >&2; printf 'uio_msi: 0 passed, 1 failed\n'; exit 1; }
now() { date +%s; }

for run in $RUNS; do
	case $run in main | iommu | iommupt | java | vfio) ;; *) die "unknown run '$run' in UIO_MSI_RUNS (main iommu iommupt java vfio)" ;; esac
done
[ "$(id -u)" = 0 ] || die "run as root: it installs packages, and the guest tests need nothing else"
mkdir -p "$WORK/debs"

# ---- packages -------------------------------------------------------------
t0=$(now)
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
apt-cache show linux-headers-amd64 >/dev/null 2>&1 || apt-get update -qq

# Newest amd64 flavour release of a series that has both image and headers.
release_of() {
	local series=${1//./\\.} r
	for r in $(apt-cache pkgnames linux-headers-"$1". |
		   grep -E "^linux-headers-${series}\.[0-9][^ ]*-amd64$" |
		   grep -v -E -- '-(cloud|rt)-amd64$' |
		   sed 's/^linux-headers-//' | sort -rV); do
		if apt-cache show "linux-image-$r" >/dev/null 2>&1; then
			echo "$r"
			return 0
		fi
	done
	return 1
}

# The image plus every headers/kbuild package the headers need.
packages_of() {
	local r=$1
	echo "linux-image-$r linux-headers-$r"
	apt-cache depends "linux-headers-$r" |
		awk '$1 == "Depends:" && $2 ~ /^linux-(headers|kbuild)-/ { print $2 }'
}

declare -A REL
if [ -n "${UIO_MSI_PREBUILT:-}" ]; then
	KERNELS=prebuilt
	REL[prebuilt]=$UIO_MSI_PREBUILT
	[ -e "$WORK/kernels/$UIO_MSI_PREBUILT/.unpacked" ] ||
		die "no prebuilt kernel in $WORK/kernels/$UIO_MSI_PREBUILT (run debug-kernel.sh)"
	log "kernel prebuilt -> $UIO_MSI_PREBUILT"
fi
for k in $KERNELS; do
	[ "$k" != prebuilt ] || continue
	REL[$k]=$(release_of "$k") ||
		die "no Debian kernel $k (image + headers) in the apt lists; is bookworm-security enabled?"
	log "kernel $k -> ${REL[$k]}"
	(
		cd "$WORK/debs"
		for p in $(packages_of "${REL[$k]}"); do
			ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -qq "$p" 2>&1 |
				grep -v 'Download is performed unsandboxed' || true
			ls "${p}"_*.deb >/dev/null 2>&1 || die "download of $p failed"
		done
	)
done
# checkpatch.pl (with its spelling and const-struct lists) from Debian's
# linux-source package of the newest series; only those three files are kept.
CHECKPATCH_DIR=$WORK/checkpatch
if [ ! -x "$CHECKPATCH_DIR/scripts/checkpatch.pl" ]; then
	src=$(apt-cache pkgnames linux-source- | grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V | tail -1)
	[ -n "$src" ] || die "no linux-source-X.Y package in the apt lists (for checkpatch.pl)"
	log "fetching checkpatch.pl from $src"
	(
		cd "$WORK/debs"
		ls "${src}"_*.deb >/dev/null 2>&1 || apt-get download -qq "$src" 2>&1 |
			grep -v 'Download is performed unsandboxed' || true
	)
	deb=$(ls "$WORK/debs/${src}"_*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || die "download of $src failed"
	rm -rf "$CHECKPATCH_DIR.tmp"
	mkdir -p "$CHECKPATCH_DIR.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards "*/$src.tar.xz" | xz -dc |
		tar -x -C "$CHECKPATCH_DIR.tmp" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch' ||
		die "cannot extract checkpatch.pl from $deb"
	rm -rf "$CHECKPATCH_DIR"
	mv "$CHECKPATCH_DIR.tmp" "$CHECKPATCH_DIR"
	rm -f "$deb"	# 150 MB; the three files are all we need
fi
t_dl=$(( $(now) - t0 ))

# ---- Java classes (host side of the Java runs) -----------------------------
# The guest runs the host's JDK and pmd-core's classes in place (over 9p), so
# JAVA and CLASSPATH are host paths.
t0=$(now)
JAVA=""
CLASSPATH_FILE=$WORK/pmd-core.runtime-classpath
prepare_java() {
	local jdk classes=$REPO/pmd-core/target/classes stamp jar
	jdk=$(. "$REPO/bin/jdk.sh" >&2 && echo "$JAVA_HOME") ||
		die "the Java runs need a JDK 25 (see above); or leave java out of UIO_MSI_RUNS"
	JAVA=$jdk/bin/java
	stamp=$classes/dev/wirespeed/core/uio/UioMsiSelfTest.class
	if [ ! -e "$stamp" ] || [ -n "$(find "$REPO/pmd-core/src/main" "$REPO/pmd-core/pom.xml" -newer "$stamp" | head -1)" ]; then
		log "building pmd-core (classes missing or older than the sources)"
		(cd "$REPO" && JAVA_HOME=$jdk ./mvnw -q -B -pl pmd-core -DskipTests package) ||
			die "building pmd-core failed (see above)"
		touch "$stamp"
	fi
	if [ ! -s "$CLASSPATH_FILE" ] || [ "$REPO/pom.xml" -nt "$CLASSPATH_FILE" ] ||
	   [ "$REPO/pmd-core/pom.xml" -nt "$CLASSPATH_FILE" ]; then
		(cd "$REPO" && JAVA_HOME=$jdk ./mvnw -q -B -pl pmd-core dependency:build-classpath \
			-DincludeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE") ||
			die "resolving pmd-core's runtime classpath failed (see above)"
	fi
	for jar in $(tr ':' ' ' <"$CLASSPATH_FILE"); do
		[ -e "$jar" ] || die "$jar (from $CLASSPATH_FILE) is missing; delete that file to resolve again"
	done
	grep -q 'agrona' "$CLASSPATH_FILE" || die "no Agrona jar on pmd-core's classpath ($CLASSPATH_FILE)"
	GUEST_CLASSPATH=$classes:$(cat "$CLASSPATH_FILE")
}
[ "$JAVA_RUNS" = 0 ] || prepare_java
t_java=$(( $(now) - t0 ))

# Copies the modules GUEST_9P_MODULES need from linux-image-<release> to
# <root>/9p/ and writes their paths in load order (dependencies first) to
# <root>/9p.order.  The package has no modules.dep (depmod makes it at
# install time), so this unpacks all modules aside and runs depmod there.
unpack_9p_modules() { # <release> <root> [<name> <modules>] (default: 9p, GUEST_9P_MODULES)
	local r=$1 root=$2 name=${3:-9p} modules=${4:-$GUEST_9P_MODULES} deb all moddir order m
	deb=$(ls "$WORK/debs/linux-image-${r}"_*.deb | head -1)
	all=$root/.all-modules
	rm -rf "$all" "$root/$name"
	mkdir -p "$all" "$root/$name"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$all" --wildcards "*/modules/$r/*"
	moddir=$(find "$all" -type d -path "*/lib/modules/$r" | head -1)
	[ -n "$moddir" ] || die "no lib/modules/$r in linux-image-$r"
	depmod -b "${moddir%/lib/modules/$r}" "$r" || die "depmod failed for $r"
	order=$(
		# Depth-first over modules.dep: a module's dependencies load before it.
		for m in $modules; do echo "$m"; done | awk -v dep="$moddir/modules.dep" \
			-v builtin="$moddir/modules.builtin" '
			function base(p) { sub(/.*\//, "", p); sub(/\.ko(\.[a-z]+)?$/, "", p); gsub(/-/, "_", p); return p }
			function visit(m,   n, i, d) {
				if (m in seen) return
				seen[m] = 1
				if (!(m in path)) {
					if (!(m in isbuiltin)) { print "MISSING " m; return }
					return
				}
				n = split(deps[m], d, " ")
				for (i = n; i >= 1; i--) visit(base(d[i]))
				print path[m]
			}
			BEGIN {
				while ((getline line < builtin) > 0) isbuiltin[base(line)] = 1
				while ((getline line < dep) > 0) {
					split(line, f, ":")
					m = base(f[1]); path[m] = f[1]; deps[m] = f[2]
				}
			}
			{ visit($1) }')
	if echo "$order" | grep -q '^MISSING'; then
		die "linux-image-$r has no module (nor built-in) for:$(echo "$order" | sed -n 's/^MISSING//p' | tr '\n' ' ')"
	fi
	: >"$root/$name.order"
	for m in $order; do
		cp "$moddir/$m" "$root/$name/"
		echo "$root/$name/$(basename "$m")" >>"$root/$name.order"
	done
	rm -rf "$all"
}

# stage_modules <name>: the modules listed in $root/<name>.order, uncompressed,
# into the initramfs's /lib/<name>/ with their load order in /lib/<name>/order.
stage_modules() {
	local name=$1 ko m
	mkdir -p "$ird/lib/$name"
	: >"$ird/lib/$name/order"
	while read -r ko; do
		m=$(basename "$ko")
		case $m in
		*.xz) m=${m%.xz}; xz -dc "$ko" >"$ird/lib/$name/$m" ;;
		*.zst) m=${m%.zst}; zstd -dc "$ko" >"$ird/lib/$name/$m" ;;
		*) cp "$ko" "$ird/lib/$name/$m" ;;
		esac
		echo "$m" >>"$ird/lib/$name/order"
	done <"$root/$name.order"
}

# ---- unpack, build module and test program --------------------------------
t0=$(now)
TESTBIN=$WORK/uio_msi_test
gcc -static -O2 -Wall -Wextra -Wno-format-truncation -Wno-unused-result \
	-o "$TESTBIN" "$HERE/uio_msi_test.c"

for k in $KERNELS; do
	r=${REL[$k]}
	root=$WORK/kernels/$r
	if [ ! -e "$root/.unpacked" ]; then
		log "unpacking $r"
		rm -rf "$root"
		mkdir -p "$root"
		for p in $(packages_of "$r"); do
			deb=$(ls "$WORK/debs/${p}"_*.deb | head -1)
			case $p in
			linux-image-*)
				# Only the kernel and uio.ko are needed from the image.
				dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" \
					--wildcards './boot/vmlinuz-*' '*/drivers/uio/uio.ko*'
				;;
			*) dpkg -x "$deb" "$root" ;;
			esac
		done
		# The flavour Makefile includes the common one by absolute path.
		sed -i "s#^include /usr/src/#include $root/usr/src/#" \
			"$root/usr/src/linux-headers-$r/Makefile"
		touch "$root/.unpacked"
	fi
	if [ "$JAVA_RUNS" != 0 ] && [ ! -e "$root/.unpacked-9p" ]; then
		unpack_9p_modules "$r" "$root"
		touch "$root/.unpacked-9p"
	fi
	if [ "$VFIO_RUNS" != 0 ] && [ ! -e "$root/.unpacked-vfio" ]; then
		unpack_9p_modules "$r" "$root" vfio "$GUEST_VFIO_MODULES"
		touch "$root/.unpacked-vfio"
	fi

	build=$WORK/build/$r
	rm -rf "$build"
	mkdir -p "$build"
	cp -r "$DRIVER/uio_msi.c" "$DRIVER/Kbuild" "$DRIVER/Makefile" "$DRIVER/uapi" "$build/"
	log "building uio_msi for $r"
	if ! make -C "$build" KDIR="$root/usr/src/linux-headers-$r" >"$build/build.log" 2>&1; then
		cat "$build/build.log"
		die "module build failed for $r"
	fi
	if grep -E -i 'warning:|error:' "$build/build.log"; then
		die "module build for $r is not warning-free"
	fi

	# initramfs: busybox, uio.ko of this kernel, our module and the test.
	ird=$WORK/initramfs/$r
	rm -rf "$ird"
	mkdir -p "$ird"/{bin,proc,sys,dev,lib,tmp}
	cp /bin/busybox "$ird/bin/busybox"
	uio=$(find "$root/lib/modules/$r" -path '*/drivers/uio/uio.ko*' | head -1)
	[ -n "$uio" ] || die "no uio.ko in linux-image-$r"
	case $uio in
	*.xz) xz -dc "$uio" >"$ird/lib/uio.ko" ;;
	*.zst) zstd -dc "$uio" >"$ird/lib/uio.ko" ;;
	*) cp "$uio" "$ird/lib/uio.ko" ;;
	esac
	cp "$build/uio_msi.ko" "$ird/lib/uio_msi.ko"
	cp "$TESTBIN" "$ird/bin/uio_msi_test"
	if [ "$JAVA_RUNS" != 0 ]; then
		# The Java runs: guest scripts, modules in load order, host paths.
		cp "$HERE/guest-lib.sh" "$ird/bin/guest-lib"
		cp "$HERE/guest-java.sh" "$ird/bin/guest-java"
		stage_modules 9p
		if [ "$VFIO_RUNS" != 0 ]; then
			cp "$HERE/guest-vfio.sh" "$ird/bin/guest-vfio"
			stage_modules vfio
		fi
		cat >"$ird/lib/java.env" <<-EOF
		JAVA='$JAVA'
		CLASSPATH='$GUEST_CLASSPATH'
		JAVA_TIMEOUT=$(( QEMU_TIMEOUT / 5 ))
		EOF
	fi
	cat >"$ird/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "UIO_MSI_GUEST kernel $(uname -r)"
insmod /lib/uio.ko || echo "FAIL: setup: insmod uio.ko"
# "uio_msi_test=iommu" on the kernel command line selects the IOMMU run.
# "uio_msi_test=java" selects the Java run (guest-java.sh).
mode=$(sed -n 's/.*uio_msi_test=\([a-z]*\).*/\1/p' /proc/cmdline)
if [ "$mode" = java ]; then
	guest-java
elif [ "$mode" = vfio ]; then
	guest-vfio
else
	uio_msi_test /lib/uio_msi.ko $mode
fi
# A kmemleak kernel (debug-kernel.sh): scan, and print what leaked (the main
# run has scanned already, before its lockdown case closed debugfs).
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ -r /sys/kernel/debug/kmemleak ] && echo scan 2>/dev/null >/sys/kernel/debug/kmemleak; then
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
fi
echo UIO_MSI_DMESG_BEGIN
dmesg
echo UIO_MSI_DMESG_END
poweroff -f
EOF
	chmod 755 "$ird/init"
	(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initramfs-$r.gz"
done
t_build=$(( $(now) - t0 ))

# ---- static checks: checkpatch --strict, sparse ---------------------------
# Counted as cases.  checkpatch ignores only what an out-of-tree module built
# for several kernels cannot avoid: LINUX_VERSION_CODE tests and the unused
# argument of the pre-6.6 __counted_by() fallback.  The uapi header is checked
# where it would live in the tree (include/uapi/linux/), so checkpatch applies
# its uapi rules (__inline__ for user space).
static_pass=0
static_fail=0
static_case() { # <name> <log>: pass if the log is empty
	if [ -s "$2" ]; then
		log "FAIL static: $1"
		cat "$2"
		static_fail=$((static_fail + 1))
	else
		log "PASS static: $1"
		static_pass=$((static_pass + 1))
	fi
}
t0=$(now)
cp=$WORK/checkpatch-tree
rm -rf "$cp"
mkdir -p "$cp/include/uapi/linux"
cp "$DRIVER/uio_msi.c" "$cp/"
cp "$DRIVER/uapi/uio_msi.h" "$cp/include/uapi/linux/uio_msi.h"
(
	cd "$cp"
	"$CHECKPATCH_DIR/scripts/checkpatch.pl" --strict --no-tree --terse --show-types --quiet \
		--ignore LINUX_VERSION_CODE,MACRO_ARG_UNUSED -f uio_msi.c
	"$CHECKPATCH_DIR/scripts/checkpatch.pl" --strict --no-tree --terse --show-types --quiet \
		-f include/uapi/linux/uio_msi.h
) 2>&1 | grep -v -E '^total: 0 errors, 0 warnings, 0 checks, [0-9]+ lines checked$' >"$WORK/checkpatch.log" || true
static_case "checkpatch.pl --strict (uio_msi.c, uapi/uio_msi.h)" "$WORK/checkpatch.log"
for k in $KERNELS; do
	r=${REL[$k]}
	sb=$WORK/sparse/$r
	rm -rf "$sb"
	mkdir -p "$sb"
	cp -r "$DRIVER/uio_msi.c" "$DRIVER/Kbuild" "$DRIVER/Makefile" "$DRIVER/uapi" "$sb/"
	make -C "$sb" KDIR="$WORK/kernels/$r/usr/src/linux-headers-$r" C=2 CHECK="sparse" >"$sb/sparse.all" 2>&1 || true
	# sparse ran on the module, and said nothing about it (nor anything else).
	grep -q 'CHECK .*uio_msi\.c' "$sb/sparse.all" || echo "sparse did not run (see $sb/sparse.all)" >"$sb/sparse.log"
	grep -E ':[0-9]+:[0-9]+: (warning|error):|error:' "$sb/sparse.all" >>"$sb/sparse.log" || true
	static_case "sparse, $r" "$sb/sparse.log"
done
t_static=$(( $(now) - t0 ))

# ---- boot -----------------------------------------------------------------
total_pass=$static_pass
total_fail=$static_fail
boot_times=""

# Markers a run must print besides UIO_MSI_TESTS_PASSED, by label: the Java
# programs' own verdicts, so a guest script bug cannot pass them.
declare -A EXTRA_MARKERS=([java]="UIO_MSI_JAVA_PASSED UIO_MSI_JAVA_IDLE_WAKE_PASSED UIO_MSI_JAVA_REMOVAL_NOTICED"
	[vfio]="VFIO_JAVA_PASSED VFIO_JAVA_IDLE_WAKE_PASSED VFIO_JAVA_IOMMU_PROTECTS VFIO_JAVA_INTX_PASSED")

# [QEMU_MEM=<MiB>] boot_run <series> <label> <extra kernel args> <extra qemu args...>
boot_run() {
	local k=$1 label=$2 append=$3 r=${REL[$1]} cases p f problems console t0 marker
	shift 3
	console=$WORK/console-$r-$label.log
	log "booting $r, $label run (e1000e + 2 e1000, 2 CPUs, TCG)"
	t0=$(now)
	# Two CPUs, so handlers race commands and closes on the other CPU.
	# no_timer_check: under TCG on a busy host the boot-time check that the
	# IO-APIC timer ticks can miss its ticks and panic ("IO-APIC + timer
	# doesn't work!"); many VM images boot with it for that reason.
	# Slots 4 and 8 share an INTx line (i440fx/q35 route slot s, pin A to
	# PIRQ (s - 1) & 3), so the two e1000s really share IRQ 11.
	timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg -m "${QEMU_MEM:-512}" -smp 2 \
		-nographic -no-reboot -nic none \
		-device e1000e,romfile=,addr=3 -device e1000,romfile=,addr=4 \
		-device e1000,romfile=,addr=8 "$@" \
		-kernel "$WORK/kernels/$r/boot/vmlinuz-$r" \
		-initrd "$WORK/initramfs-$r.gz" \
		-append "console=ttyS0 quiet panic=-1 no_timer_check uio_msi_alarm=$(( QEMU_TIMEOUT / 2 )) $append ${UIO_MSI_APPEND:-}" \
		</dev/null >"$console" 2>&1 || true
	boot_times="$boot_times $k/$label:$(( $(now) - t0 ))s"
	tr -d '\r' <"$console" >"$console.txt"

	cases=$(sed -n 's/^UIO_MSI_CASES passed=\([0-9]*\) failed=\([0-9]*\)$/\1 \2/p' "$console.txt" | tail -1)
	p=${cases% *}
	f=${cases#* }
	[ -n "$cases" ] || { p=0; f=0; }
	problems=""
	grep -q '^UIO_MSI_TESTS_PASSED$' "$console.txt" || problems="$problems no-pass-marker"
	for marker in ${EXTRA_MARKERS[$label]:-}; do
		grep -q "^$marker\$" "$console.txt" || problems="$problems no-$marker"
	done
	grep -q '^UIO_MSI_DMESG_END$' "$console.txt" || problems="$problems no-kernel-log"
	grep -q '^qemu-system-x86_64: .*Assertion' "$console.txt" && problems="$problems qemu-crashed"
	if grep -E -n "$BAD_LOG" "$console.txt" >"$console.bad"; then
		problems="$problems kernel-log-errors"
	fi
	# DMAR faults: only the vfio run provokes them, and its guest script checks
	# each against the IOVAs the test announced; anywhere else they are errors.
	if [ "$label" != vfio ] && grep -n 'DMAR: \[DMA' "$console.txt" >>"$console.bad"; then
		problems="$problems dmar-faults"
	fi
	if [ -z "$problems" ]; then
		log "PASS $r $label: $p cases"
		grep -E '^(PASS|FAIL|SKIP):' "$console.txt" | sed 's/^/   /'
	else
		log "FAIL $r $label:$problems (console log follows)"
		cat "$console.txt"
		if [ -s "$console.bad" ]; then
			log "offending kernel log lines:"
			cat "$console.bad"
		fi
		[ "$f" -gt 0 ] || f=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

wanted() { case $RUNS in *" $1 "*) return 0 ;; esac; return 1; }
for k in $KERNELS; do
	if wanted main; then
		# A PCI-to-PCI bridge, which uio_msi must refuse.
		boot_run "$k" main "" -device pci-bridge,chassis_nr=1,addr=5
	fi
	# Same devices behind an emulated Intel IOMMU that translates DMA.
	if wanted iommu; then
		boot_run "$k" iommu "intel_iommu=on uio_msi_test=iommu" -machine q35 -device intel-iommu
	fi
	# ... and in passthrough mode, where DMA is untranslated again.
	if wanted iommupt; then
		boot_run "$k" iommupt "intel_iommu=on iommu=pt uio_msi_test=iommupt" -machine q35 -device intel-iommu
	fi
done
# The Java backend, with the host's / (JDK, pmd-core classes, Agrona jar)
# shared read-only over virtio-9p.  After the C runs: they fail faster.
if wanted java; then
	for k in $KERNELS; do
		# The JVM is the guest's only big process; 512 MiB would do, 1 GiB leaves room.
		QEMU_MEM=1024 boot_run "$k" java "uio_msi_test=java" \
			-virtfs local,path=/,mount_tag=hostfs,security_model=none,readonly=on,multidevs=remap
	done
fi

# The VFIO backend behind an emulated Intel IOMMU with interrupt remapping
# (vfio_iommu_type1 refuses MSI without it); a multifunction e1000 pair shares
# an IOMMU group, for the not-viable case.  no_timer_check: under TCG the
# kernel's timer check through the remapped IO-APIC fails and panics
# ("timer doesn't work through Interrupt-remapped IO-APIC") on QEMU 7.2.
# Nine JVM starts: twice the usual hang guard (guest-vfio.sh doubles its own).
if [ "$VFIO_RUNS" != 0 ]; then
	for k in $KERNELS; do
		QEMU_MEM=1024 QEMU_TIMEOUT=$((QEMU_TIMEOUT * 2)) boot_run "$k" vfio "intel_iommu=on no_timer_check uio_msi_test=vfio" \
			-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on \
			-device e1000,romfile=,addr=6.0,multifunction=on -device e1000,romfile=,addr=6.1 \
			-virtfs local,path=/,mount_tag=hostfs,security_model=none,readonly=on,multidevs=remap
	done
fi

log "timings: download ${t_dl}s, java classes ${t_java}s, build ${t_build}s, static checks ${t_static}s, boot${boot_times}"
echo "uio_msi: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
