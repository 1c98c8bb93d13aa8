#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the vfio run of run-qemu-tests.sh (kernel argument
# uio_msi_test=vfio): pmd-core's VFIO backend (dev.wirespeed.core.vfio) on
# QEMU's emulated Intel IOMMU (intel-iommu,intremap=on; intel_iommu=on), with
# the host's JDK and classes over 9p as in guest-java.sh.
#
# Cases, in this order:
#   - vfio modules not loaded: the open fails with one line naming modprobe;
#   - e1000e not bound: one line naming bin/devbind --bind vfio-pci;
#   - e1000e on vfio-pci, as root: VfioSelfTest msix (BAR0, config space, bus
#     mastering, MSI-X eventfds, the interrupt idle strategy woken, DMA through
#     the IOMMU, faults at never-mapped and unmapped IOVAs, canary unchanged);
#   - the same as an unprivileged user (uid 65534) once the group's node is
#     handed over; before that, one line naming --owner;
#   - memlock limit too low for that user: one line naming ulimit -l;
#   - e1000 (no MSI) on vfio-pci: VfioSelfTest intx;
#   - a group that is not viable (the other function of a multifunction e1000
#     pair on the e1000 driver): one line naming that function;
#   - the kernel log has a DMAR fault for every IOVA the Java test expected to
#     fault, and none for any other address.
# Prints PASS:/FAIL: lines, UIO_MSI_CASES and, only if all passed,
# UIO_MSI_TESTS_PASSED; the host also requires the Java program's markers.

GUEST_LABEL=vfio
. /bin/guest-lib # ok, bad, finish, mount_host, find_e1000e, jrun; java.env
# Nine JVM starts in one TCG guest: the host gives this boot twice the usual
# time, and each JVM twice the java run's guard.
JAVA_TIMEOUT=$((JAVA_TIMEOUT * 2))

NOBODY=65534
mount_host

# The unprivileged user cannot read the host's /root (Maven's repository):
# its class path gets copies of those jars on the guest's tmpfs.
mkdir -p /host/dev/shm/cp
NOBODY_CP=""
for e in $(echo "$CLASSPATH" | tr ':' ' '); do
	case $e in
	/root/*) cp "/host$e" /host/dev/shm/cp/ && e=/dev/shm/cp/$(basename "$e") ;;
	esac
	NOBODY_CP=${NOBODY_CP:+$NOBODY_CP:}$e
done

find_e1000e
intx=0000:00:04.0 # an e1000: INTx only
mf0=0000:00:06.0  # a multifunction e1000 pair: one IOMMU group
mf1=0000:00:06.1

# jrun_nobody <output file> <class> <args...>: jrun as uid 65534.
jrun_nobody() {
	JRUN_AS="/usr/bin/setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups --"
	JRUN_CP=$NOBODY_CP
	jrun "$@"
	JRUN_AS=""
	JRUN_CP=""
	return $rc
}
# expect_error <case> <bdf> <text> [nobody]: the open must fail with one line containing text.
expect_error() {
	if [ "${4:-}" = nobody ]; then
		jrun_nobody /tmp/err.out dev.wirespeed.core.vfio.VfioSelfTest expect-error "$2"
	else
		jrun /tmp/err.out dev.wirespeed.core.vfio.VfioSelfTest expect-error "$2"
	fi
	if [ $rc -eq 0 ] && grep '^VFIO_ERROR:' /tmp/err.out | grep -q -F -- "$3"; then
		ok "$1: one line naming '$3'"
	else
		bad "$1: expected one VFIO_ERROR line naming '$3' (exit $rc)"
	fi
}
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
bind_vfio() {
	[ -e "/sys/bus/pci/devices/$1/driver" ] && echo "$1" >"/sys/bus/pci/devices/$1/driver/unbind"
	echo vfio-pci >"/sys/bus/pci/devices/$1/driver_override"
	echo "$1" >/sys/bus/pci/drivers_probe
	[ "$(driver_of "$1")" = vfio-pci ]
}

expect_error "vfio modules not loaded" "$e1000e" "modprobe vfio-pci"

for m in $(cat /lib/vfio/order); do
	case $m in e1000.ko) continue ;; esac # loaded later, for the non-viable group
	insmod "/lib/vfio/$m" || { bad "setup: insmod $m"; finish; }
done
[ -c /dev/vfio/vfio ] || { bad "setup: no /dev/vfio/vfio after loading the vfio modules"; finish; }

expect_error "device not bound" "$e1000e" "not bound to any driver, not vfio-pci; bind it as root with bin/devbind --bind vfio-pci $e1000e"

bind_vfio "$e1000e" || { bad "setup: bind $e1000e to vfio-pci (driver $(driver_of "$e1000e"))"; finish; }
group=$(basename "$(readlink "/sys/bus/pci/devices/$e1000e/iommu_group")")
echo "vfio: $e1000e on vfio-pci, IOMMU group $group ($(ls -l "/dev/vfio/$group"))"

msix_case() { # <label> <runner>
	$2 /tmp/msix.out dev.wirespeed.core.vfio.VfioSelfTest msix "$e1000e"
	if [ $rc -eq 0 ] && grep -q '^VFIO_JAVA_PASSED$' /tmp/msix.out; then
		ok "$1: VfioSelfTest msix $e1000e (BAR0, config, bus mastering, MSI-X eventfds bound/rebound/unbound)"
	else
		bad "$1: VfioSelfTest msix $e1000e (exit $rc)"
	fi
	grep -q '^VFIO_JAVA_IDLE_WAKE_PASSED$' /tmp/msix.out && ok "$1: interrupt idle strategy woken by MSI-X vector 0" ||
		bad "$1: interrupt idle strategy not woken by MSI-X vector 0"
	grep -q '^VFIO_JAVA_IOMMU_PROTECTS$' /tmp/msix.out &&
		ok "$1: DMA to mapped IOVAs works, never-mapped and unmapped IOVAs fault, canary unchanged" ||
		bad "$1: DMA through the IOMMU"
	sed -n 's/^VFIO_EXPECT_FAULT //p' /tmp/msix.out >>/tmp/expected-faults
	cat /tmp/msix.out >>/tmp/all-java.out
}
: >/tmp/expected-faults
: >/tmp/all-java.out
msix_case root jrun

expect_error "group node not handed to the user" "$e1000e" "bin/devbind --owner USER $e1000e" nobody

chown $NOBODY "/dev/vfio/$group"
(
	ulimit -l 65536
	msix_case "uid $NOBODY, /dev/vfio/$group handed over, memlock 64 MiB" jrun_nobody
	echo "$pass $fail" >/tmp/sub.counts
)
read -r pass fail </tmp/sub.counts
(
	ulimit -l 1024
	expect_error "memlock limit 1 MiB" "$e1000e" "ulimit -l unlimited" nobody
	echo "$pass $fail" >/tmp/sub.counts
)
read -r pass fail </tmp/sub.counts
chown 0 "/dev/vfio/$group"

if bind_vfio "$mf0" && insmod /lib/vfio/e1000.ko && [ "$(driver_of "$mf1")" = e1000 ]; then
	expect_error "group not viable" "$mf0" "but $mf1 (bound to e1000) is not; as root, bin/devbind --bind vfio-pci $mf1"
else
	bad "setup: $mf0 on vfio-pci with $mf1 on e1000 (drivers $(driver_of "$mf0"), $(driver_of "$mf1"))"
fi

# Every DMAR fault in the log must be one the Java test announced (same 4 KiB
# page), and every announced one must be there.
dmesg | grep -o 'fault addr 0x[0-9a-fA-F]*' | sed 's/fault addr 0x//' | tr 'A-F' 'a-f' | sed 's/...$//' | sort -u >/tmp/seen-pages
sed 's/^0x//' /tmp/expected-faults | tr 'A-F' 'a-f' | sed 's/...$//' | sort -u >/tmp/expected-pages
echo none >>/tmp/seen-pages # grep -f with an empty file would match nothing in some greps, everything in others
missing=$(grep -v -x -F -f /tmp/seen-pages /tmp/expected-pages | tr '\n' ' ')
if [ -s /tmp/expected-pages ] && [ -z "$missing" ]; then
	ok "a DMAR fault for each of the $(wc -l </tmp/expected-pages) IOVA pages the test pointed the device at"
else
	bad "DMAR faults missing for IOVA pages: $missing"
fi
unexpected=$(grep -v -x -F -f /tmp/expected-pages /tmp/seen-pages | grep -v -x none | tr '\n' ' ')
[ -z "$unexpected" ] && ok "no DMAR fault at any other address" || bad "unexpected DMAR faults at pages: $unexpected"
# Last: an INTx problem (a line that stays asserted) can stall the guest.
echo "vfio: binding $intx (e1000, INTx) to vfio-pci"
if bind_vfio "$intx"; then
	jrun /tmp/intx.out dev.wirespeed.core.vfio.VfioSelfTest intx "$intx"
	[ $rc -eq 0 ] && grep -q '^VFIO_JAVA_INTX_PASSED$' /tmp/intx.out &&
		ok "INTx on e1000 $intx: delivered, masked until unmaskIntx(), delivered again" ||
		bad "VfioSelfTest intx $intx (exit $rc)"
	cat /tmp/intx.out >>/tmp/all-java.out
else
	bad "setup: bind $intx to vfio-pci"
fi

finish
