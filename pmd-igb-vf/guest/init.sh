#!/bin/busybox sh
# /init of the igb guests (run-igb-guests.sh).  Mounts the host's / (read-only,
# virtio-9p) on /host with the guest's /proc, /sys, /dev and scratch tmpfs
# mounts over it, then runs guest-run.sh with the host's bash chrooted into
# /host: every tool (ip, tcpdump, iperf3, java) and every path is the host's.
# Afterwards it dumps the guest's kernel log for the host to check, and powers
# off.  igb_env=<host path> on the kernel command line names the run's settings.
/bin/busybox --install -s /bin
export PATH=/bin
for fs in proc:/proc sysfs:/sys devtmpfs:/dev; do
	mount -t "${fs%%:*}" "${fs%%:*}" "${fs#*:}"
done
echo "IGB_GUEST kernel $(uname -r)"
env=$(sed -n 's/.*igb_env=\([^ ]*\).*/\1/p' /proc/cmdline)

setup() {
	for m in $(cat /lib/9p/order); do
		insmod "/lib/9p/$m" || return 1
	done
	# cache=loose: the host's files do not change during the run, and without
	# a page cache every JVM start reads the JDK and the jar over 9p again.
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostfs /host || return 1
	mount -t proc proc /host/proc && mount -t sysfs sysfs /host/sys &&
		mount -t devtmpfs devtmpfs /host/dev || return 1
	mkdir -p /host/dev/shm /host/dev/hugepages /host/dev/pts
	mount -t tmpfs -o size=256m tmpfs /host/dev/shm &&
		mount -t hugetlbfs -o pagesize=2M hugetlbfs /host/dev/hugepages &&
		mount -t devpts devpts /host/dev/pts &&
		mount -t tmpfs tmpfs /host/run || return 1
	# ip netns keeps its handles under /run/netns, and wants /sys remounted per namespace.
	mkdir -p /host/run/netns
	ln -s /proc/self/fd /host/dev/fd	# bash's <(...) and /dev/stdin
	ln -s /proc/self/fd/0 /host/dev/stdin
	ln -s /proc/self/fd/1 /host/dev/stdout
	ln -s /proc/self/fd/2 /host/dev/stderr
	mount -t bpf bpf /host/sys/fs/bpf 2>/dev/null
	return 0
}
if setup; then
	chroot /host /bin/bash "$(sed -n "s/^IGB_GUEST_DIR='\(.*\)'$/\1/p" "/host$env")/guest-run.sh" "$env"
else
	echo "FAIL: igb: guest setup: mounting the host's / over 9p failed"
fi
echo IGB_DMESG_BEGIN
dmesg
echo IGB_DMESG_END
echo IGB_GUEST_DONE
poweroff -f
