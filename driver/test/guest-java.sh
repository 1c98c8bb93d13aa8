#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the Java run of run-qemu-tests.sh (kernel argument
# uio_msi_test=java).  Runs pmd-core's uio_msi backend with the *host's* JDK
# and the classes compiled on the host: the host's / arrives read-only over
# 9p and java runs chrooted into it, so every path in /lib/java.env is the
# host's own.  The guest's /proc, /sys and /dev are mounted over the host's,
# so the JVM sees the guest's devices; its scratch space is a tmpfs on
# /dev/shm.  The host's /tmp stays visible: the checkout (and so the classes)
# may well live there, as in a CI clone.
#
# Cases: DevBindTool binds the e1000e to uio_msi; its --status shows it bound;
# UioMsiSelfTest passes (BAR0, vector 0 to an eventfd, rebind, unbind, bus
# mastering); its idle-strategy wake-up from vector 0 passes; its --removal
# mode sees a sleeping poll thread woken by an unbind and notices the removal
# (issue 13 point 2); DevBindTool unbinds the device again.  Prints PASS:/FAIL: lines, UIO_MSI_CASES and,
# only if all passed, UIO_MSI_TESTS_PASSED; the host also requires the Java
# program's own markers.

GUEST_LABEL=java
. /bin/guest-lib # ok, bad, finish, mount_host, find_e1000e, jrun; java.env

mount_host
insmod /lib/uio_msi.ko allow_unsafe_dma=1 || { bad "setup: insmod uio_msi.ko allow_unsafe_dma=1"; finish; }
find_e1000e
bdf=$e1000e

if jrun /tmp/bind.out dev.wirespeed.core.uio.DevBindTool --bind uio_msi "$bdf" &&
	[ "$(basename "$(readlink "/sys/bus/pci/devices/$bdf/driver")")" = uio_msi ]; then
	ok "DevBindTool --bind uio_msi $bdf"
else
	bad "DevBindTool --bind uio_msi $bdf (exit $rc, driver $(readlink "/sys/bus/pci/devices/$bdf/driver"))"
	finish
fi

if jrun /tmp/status.out dev.wirespeed.core.uio.DevBindTool --status &&
	grep -q "^$bdf .* uio_msi .*/dev/uio[0-9]* msix" /tmp/status.out; then
	ok "DevBindTool --status lists $bdf bound to uio_msi with its /dev/uio node and MSI-X"
else
	bad "DevBindTool --status (exit $rc) does not list $bdf bound to uio_msi with MSI-X"
fi

jrun /tmp/selftest.out dev.wirespeed.core.uio.UioMsiSelfTest "$bdf"
rc=$?
if [ $rc -eq 0 ] && grep -q '^UIO_MSI_JAVA_PASSED$' /tmp/selftest.out; then
	ok "UioMsiSelfTest $bdf: open by PCI address, BAR0, vector 0 bound/rebound/unbound, bus mastering"
else
	bad "UioMsiSelfTest $bdf (exit $rc)"
fi
if grep -q '^UIO_MSI_JAVA_IDLE_WAKE_PASSED$' /tmp/selftest.out; then
	ok "UioMsiSelfTest $bdf: InterruptIdleStrategy woken by vector 0"
else
	bad "UioMsiSelfTest $bdf: InterruptIdleStrategy not woken by vector 0"
fi

jrun /tmp/removal.out dev.wirespeed.core.uio.UioMsiSelfTest --removal "$bdf"
rc=$?
if [ $rc -eq 0 ] && grep -q '^UIO_MSI_JAVA_REMOVAL_NOTICED$' /tmp/removal.out &&
	[ "$(basename "$(readlink "/sys/bus/pci/devices/$bdf/driver")")" = uio_msi ]; then
	ok "UioMsiSelfTest --removal $bdf: poll thread woken by the unbind, removal noticed, rebound"
else
	bad "UioMsiSelfTest --removal $bdf (exit $rc)"
fi

if jrun /tmp/unbind.out dev.wirespeed.core.uio.DevBindTool --unbind "$bdf" &&
	[ ! -e "/sys/bus/pci/devices/$bdf/driver" ]; then
	ok "DevBindTool --unbind $bdf"
else
	bad "DevBindTool --unbind $bdf (exit $rc)"
fi
finish
