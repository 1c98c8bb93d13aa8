#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the guest scripts that run Java (guest-java.sh, guest-vfio.sh):
# verdict counters, the host's / over 9p, and jrun.  Set GUEST_LABEL first.

. /lib/java.env # JAVA, CLASSPATH, JAVA_TIMEOUT

pass=0
fail=0
ok() { echo "PASS: $GUEST_LABEL: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $GUEST_LABEL: $*"; fail=$((fail + 1)); }
finish() {
	echo "UIO_MSI_CASES passed=$pass failed=$fail"
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] && echo UIO_MSI_TESTS_PASSED
	exit 0
}

# The host's / read-only on /host (JDK, classes, jars at their host paths),
# with the guest's /proc, /sys and /dev over it and a tmpfs on /dev/shm for
# scratch; java runs chrooted into it.
mount_host() {
	for m in $(cat /lib/9p/order); do
		insmod "/lib/9p/$m" || { bad "setup: insmod $m"; finish; }
	done
	mkdir -p /host
	mount -t 9p -o trans=virtio,version=9p2000.L,ro hostfs /host ||
		{ bad "setup: mount the host's / over 9p"; finish; }
	mount -t proc proc /host/proc && mount -t sysfs sysfs /host/sys &&
		mount -t devtmpfs devtmpfs /host/dev && mkdir -p /host/dev/shm &&
		mount -t tmpfs -o mode=1777 tmpfs /host/dev/shm ||
		{ bad "setup: mount proc, sys, dev, dev/shm inside the host tree"; finish; }
}

# The e1000e (8086:10d3) the harness gives every guest, or a FAIL and the end.
find_e1000e() {
	e1000e=""
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = "0x8086:0x10d3" ] && e1000e=$(basename "$d")
	done
	[ -n "$e1000e" ] || { bad "setup: no e1000e (8086:10d3) in the guest"; finish; }
	echo "$GUEST_LABEL: e1000e at $e1000e, $JAVA"
}

# jrun <output file> <class> <args...>: runs a main class with a hang guard,
# shows its output as is (the host looks for the Java markers at the start of
# a line), sets rc to its exit status and returns it.  JRUN_AS (a command
# prefix inside the chroot) and JRUN_CP (a class path) change who runs it.
jrun() {
	out=$1
	shift
	# shellcheck disable=SC2086 # JRUN_AS is a command and its arguments
	timeout "$JAVA_TIMEOUT" chroot /host ${JRUN_AS:-} "$JAVA" -Xmx64m -XX:TieredStopAtLevel=1 -XX:-UsePerfData \
		-Djava.io.tmpdir=/dev/shm --enable-native-access=ALL-UNNAMED -cp "${JRUN_CP:-$CLASSPATH}" "$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	return $rc
}
