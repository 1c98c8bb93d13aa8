#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds uio_msi against Debian's 6.1 and 6.12 kernels and runs
# test/uio_msi_test.c in a QEMU (TCG) guest of each kernel, with an emulated
# e1000e (MSI-X) and an emulated e1000 (INTx).
#
# Passes only if, for every kernel, the module builds without warnings, the
# guest prints UIO_MSI_TESTS_PASSED, and the guest's full kernel log (dumped
# to the console at the end of the run) has no BUG/WARNING/Oops.  QEMU's own
# exit status says nothing about the guest, so it is not used.
#
# Needs root on Debian 12 (it apt-gets what is missing).  Downloads and
# builds are cached under test/work/, so a second run only boots.
#
# Environment:
#   UIO_MSI_KERNELS        kernel series to test (default "6.1 6.12")
#   UIO_MSI_WORK           work directory (default test/work)
#   UIO_MSI_QEMU_TIMEOUT   hang guard per guest boot, seconds (default 600)
#
# The last line is "uio_msi: N passed, M failed", N and M counting test cases
# over all kernels (a guest that never reports counts as one failure).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DRIVER=$(dirname "$HERE")
WORK=${UIO_MSI_WORK:-$HERE/work}
KERNELS=${UIO_MSI_KERNELS:-"6.1 6.12"}
QEMU_TIMEOUT=${UIO_MSI_QEMU_TIMEOUT:-600}
PACKAGES="qemu-system-x86 busybox-static gcc gcc-12 make libc6-dev xz-utils cpio pahole"

# Kernel log lines that mean the kernel (or our module) misbehaved.
BAD_LOG='BUG:|WARNING:|Oops|Call Trace|general protection fault|Kernel panic|kernel BUG|UBSAN|KASAN|list_del corruption|refcount_t:|INFO: task .* blocked|nobody cared|Disabling IRQ'

log() { printf '== %s\n' "$*"; }
die() { printf 'uio_msi: error: %s\n' "$*" >&2; printf 'uio_msi: 0 passed, 1 failed\n'; exit 1; }
now() { date +%s; }

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
for k in $KERNELS; do
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
t_dl=$(( $(now) - t0 ))

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
mode=$(sed -n 's/.*uio_msi_test=\([a-z]*\).*/\1/p' /proc/cmdline)
uio_msi_test /lib/uio_msi.ko $mode
echo UIO_MSI_DMESG_BEGIN
dmesg
echo UIO_MSI_DMESG_END
poweroff -f
EOF
	chmod 755 "$ird/init"
	(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initramfs-$r.gz"
done
t_build=$(( $(now) - t0 ))

# ---- boot -----------------------------------------------------------------
total_pass=0
total_fail=0
boot_times=""

# boot_run <series> <label> <extra kernel args> <extra qemu args...>
boot_run() {
	local k=$1 label=$2 append=$3 r=${REL[$1]} cases p f problems console t0
	shift 3
	console=$WORK/console-$r-$label.log
	log "booting $r, $label run (e1000e + e1000, TCG)"
	t0=$(now)
	timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg -m 512 -smp 1 \
		-nographic -no-reboot -nic none "$@" \
		-device e1000e,romfile= -device e1000,romfile= \
		-kernel "$WORK/kernels/$r/boot/vmlinuz-$r" \
		-initrd "$WORK/initramfs-$r.gz" \
		-append "console=ttyS0 quiet panic=-1 $append" \
		</dev/null >"$console" 2>&1 || true
	boot_times="$boot_times $k/$label:$(( $(now) - t0 ))s"
	tr -d '\r' <"$console" >"$console.txt"

	cases=$(sed -n 's/^UIO_MSI_CASES passed=\([0-9]*\) failed=\([0-9]*\)$/\1 \2/p' "$console.txt" | tail -1)
	p=${cases% *}
	f=${cases#* }
	[ -n "$cases" ] || { p=0; f=0; }
	problems=""
	grep -q '^UIO_MSI_TESTS_PASSED$' "$console.txt" || problems="$problems no-pass-marker"
	grep -q '^UIO_MSI_DMESG_END$' "$console.txt" || problems="$problems no-kernel-log"
	grep -q '^qemu-system-x86_64: .*Assertion' "$console.txt" && problems="$problems qemu-crashed"
	if grep -E -n "$BAD_LOG" "$console.txt" >"$console.bad"; then
		problems="$problems kernel-log-errors"
	fi
	if [ -z "$problems" ]; then
		log "PASS $r $label: $p cases"
		grep -E '^(PASS|FAIL):' "$console.txt" | sed 's/^/   /'
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

for k in $KERNELS; do
	boot_run "$k" main ""
	# Same devices behind an emulated Intel IOMMU that translates DMA.
	boot_run "$k" iommu "intel_iommu=on uio_msi_test=iommu" \
		-machine q35 -device intel-iommu
	# ... and in passthrough mode, where DMA is untranslated again.
	boot_run "$k" iommupt "intel_iommu=on iommu=pt uio_msi_test=iommupt" \
		-machine q35 -device intel-iommu
done

log "timings: download ${t_dl}s, build ${t_build}s, boot${boot_times}"
echo "uio_msi: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
