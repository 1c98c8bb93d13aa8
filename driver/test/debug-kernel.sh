#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds a Debian 6.12 kernel (Debian's linux-source-6.12, Debian patches
# included) with the kernel's own bug detectors turned on, and runs the whole
# guest suite of run-qemu-tests.sh on it:
#
#   KASAN (generic)           use-after-free, out-of-bounds
#   lockdep (PROVE_LOCKING)   lock order inversions, irq-unsafe locks, sleeping in atomic
#   UBSAN                     undefined behaviour (shifts, bounds, ...)
#   kmemleak                  leaks (the guest scans and prints before powering off)
#   failslab + fail-nth       the failslab_probe case fails every slab allocation
#                             of a bind in turn; it is skipped on Debian's kernels
#
# The guests boot with acpi=noirq (UIO_MSI_APPEND): every PCI probe evaluates
# the DSDT's _PRT to route INTx, and QEMU's i440fx _PRT is a 128-iteration AML
# While loop.  Under KASAN, kmemleak and lockdep in TCG the interpreter needs
# more than ACPICA's 30 s loop limit (ACPI_MAX_LOOP_TIMEOUT) for it on a busy
# 2-CPU host: "AE_AML_LOOP_TIMEOUT ... can't derive routing for PCI INT A",
# no INTx for the e1000s, and 30 s per bind.  With acpi=noirq the kernel
# routes PCI interrupts from SeaBIOS's MP table instead (both e1000s still
# share IRQ 11); Debian's kernels run the _PRT in well under a second.
#
# Not part of ./test or CI: the build takes about 30 minutes of both CPUs of
# a 2-core machine (x86_64_defconfig plus what the guests need, no debug
# info), and the guests run several times slower under KASAN and lockdep.
# Run it before changing uio_msi's locking, lifetime or error paths.
#
# Needs root on Debian 12 (it apt-gets build dependencies, idempotently,
# with --no-install-recommends).  The kernel is built under
# test/work/debug-build and laid out under test/work/kernels/<release>;
# a second run reuses both and rebuilds only what changed.
#
# Environment: UIO_MSI_WORK (default test/work), UIO_MSI_RUNS (passed on),
# UIO_MSI_QEMU_TIMEOUT (default 1800: KASAN under TCG is slow), JOBS
# (default: number of CPUs), BUILD_ONLY=1 (build and lay out, run nothing).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${UIO_MSI_WORK:-$HERE/work}
JOBS=${JOBS:-$(nproc)}
BUILD=$WORK/debug-build
LOCALVERSION=-uio-msi-debug
PACKAGES="build-essential bc bison flex libelf-dev libssl-dev xz-utils cpio kmod perl rsync"

log() { printf '== %s\n' "$*"; }
die() { printf 'debug-kernel: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get, and the guest tests need it)"
mkdir -p "$WORK/debs" "$BUILD"

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

src=linux-source-6.12
if [ ! -e "$BUILD/.unpacked" ]; then
	(
		cd "$WORK/debs"
		ls "${src}"_*.deb >/dev/null 2>&1 || apt-get download -qq "$src" 2>&1 |
			grep -v 'Download is performed unsandboxed' || true
	)
	deb=$(ls "$WORK/debs/${src}"_*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || die "download of $src failed (is bookworm-security enabled?)"
	log "unpacking $(basename "$deb")"
	rm -rf "$BUILD"
	mkdir -p "$BUILD"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards "*/$src.tar.xz" | xz -dc |
		tar -x -C "$BUILD" --strip-components=1
	touch "$BUILD/.unpacked"
fi

# Configured and built on every run (make is incremental), so a change of
# the options below takes effect on the next run.
cd "$BUILD"
if [ ! -e .config ]; then
	make -s x86_64_defconfig
fi
	# What the guests need: serial console, initramfs, devtmpfs, PCI MSI,
	# UIO as a module (the harness insmods uio.ko), virtio-9p built in (the
	# Java run mounts the host's / over it), the lockdown LSM, and an
	# Intel IOMMU for the iommu runs.
	sc() { scripts/config "$@"; }
	# The guests' e1000e and e1000 must stay unbound for uio_msi to take
	# them: no in-kernel drivers for them.
	sc -d E1000 -d E1000E
	sc -e BLK_DEV_INITRD -e DEVTMPFS -e PCI_MSI -m UIO \
		-e VIRTIO -e VIRTIO_PCI -e NET_9P -e NET_9P_VIRTIO -e 9P_FS -e 9P_FS_POSIX_ACL \
		-e SECURITY -e SECURITYFS -e SECURITY_LOCKDOWN_LSM -e SECURITY_LOCKDOWN_LSM_EARLY \
		--set-str LSM "lockdown,yama,integrity" \
		-e IOMMU_SUPPORT -e INTEL_IOMMU -e IRQ_REMAP \
		-e DEBUG_FS -e DEBUG_KERNEL \
		-e KASAN -e KASAN_GENERIC -e KASAN_INLINE \
		-e PROVE_LOCKING -e DEBUG_ATOMIC_SLEEP -e DEBUG_LIST \
		-e UBSAN -e UBSAN_BOUNDS -e UBSAN_SHIFT \
		-e DEBUG_KMEMLEAK -d DEBUG_KMEMLEAK_DEFAULT_OFF --set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 16000 \
		-e FAULT_INJECTION -e FAILSLAB -e FAULT_INJECTION_DEBUG_FS \
		-d MODULE_SIG -d MODULE_SIG_ALL -d DEBUG_INFO -e DEBUG_INFO_NONE -d DEBUG_INFO_BTF \
		--set-str LOCALVERSION "$LOCALVERSION" -d LOCALVERSION_AUTO \
		--set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS ""
	make -s olddefconfig
	for opt in KASAN PROVE_LOCKING UBSAN DEBUG_KMEMLEAK FAILSLAB FAULT_INJECTION_DEBUG_FS UIO 9P_FS INTEL_IOMMU SECURITY_LOCKDOWN_LSM; do
		grep -q -E "^CONFIG_$opt=(y|m)" .config || die "CONFIG_$opt did not stick in .config"
	done
	log "building $(make -s kernelrelease) with $JOBS jobs (about 30 minutes on 2 CPUs the first time)"
	t0=$(date +%s)
	make -s -j"$JOBS" bzImage modules
	make -s modules_prepare
	log "built in $(( $(date +%s) - t0 )) s"

cd "$BUILD"
r=$(make -s kernelrelease)
root=$WORK/kernels/$r
rm -rf "$root"
mkdir -p "$root/boot" "$root/usr/src"
cp arch/x86/boot/bzImage "$root/boot/vmlinuz-$r"
make -s INSTALL_MOD_PATH="$root" modules_install
# The build tree doubles as the headers for out-of-tree builds.
ln -s "$BUILD" "$root/usr/src/linux-headers-$r"
# virtio-9p is built in: the Java run's guest loads no modules for it.
mkdir -p "$root/9p"
: >"$root/9p.order"
touch "$root/.unpacked" "$root/.unpacked-9p"

if [ "${BUILD_ONLY:-0}" = 1 ]; then
	log "built $r; run the suite with: UIO_MSI_PREBUILT=$r UIO_MSI_QEMU_TIMEOUT=1800 UIO_MSI_APPEND=acpi=noirq $HERE/run-qemu-tests.sh"
	exit 0
fi
log "running the guest suite on $r"
UIO_MSI_PREBUILT=$r UIO_MSI_QEMU_TIMEOUT=${UIO_MSI_QEMU_TIMEOUT:-1800} \
	UIO_MSI_APPEND="acpi=noirq ${UIO_MSI_APPEND:-}" "$HERE/run-qemu-tests.sh"
