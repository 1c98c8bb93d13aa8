#!/bin/bash
# Guest side of run-igb-guests.sh: started by init.sh with the host's bash,
# chrooted into the host's / (so this file is read from the host's checkout).
# Runs the scenarios named in the settings file ($1), each in its own bash with
# lib.sh sourced, from a fresh state (igb_fresh: 2 new VFs on uio_msi), under a
# timeout.  Results are the PASS:/FAIL:/SKIP: lines the scenarios print.
# shellcheck disable=SC1090
. "$1"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export TMPDIR=/dev/shm HOME=/dev/shm
export IGB_REPO IGB_GUEST_DIR IGB_KO IGB_UIO_MSI_KO IGB_BOOT JAVA CLASSPATH
. "$IGB_GUEST_DIR/lib.sh"

echo "IGB_GUEST_RUN boot=$IGB_BOOT kernel=$(uname -r) cpus=$(nproc) mem=$(awk '/MemTotal/ {print $2 / 1024 " MiB"}' /proc/meminfo)"
# 2 MiB pages for wirespeed's DMA memory (and DPDK's in the iommu boot).
echo "${IGB_HUGEPAGES:-192}" >/proc/sys/vm/nr_hugepages
if [ "$IGB_BOOT" = iommu ]; then
	igb_modprobe vfio-pci || fail "setup" "vfio-pci does not load"
fi
IGB_SCENARIO=setup
if ! out=$({ igb_uio_msi && igb_modprobe igb && igb_pf; } 2>&1); then
	fail "modules uio_msi and igb, igb PF" "$out"
	exit 0
fi

for f in $IGB_SCENARIOS; do
	name=$(basename "$f" .sh)
	name=${name#[0-9][0-9]-}
	t0=$(date +%s)
	scratch=/dev/shm/scenario-$name
	rm -rf "$scratch"
	mkdir -p "$scratch"
	IGB_SCENARIO=$name timeout -k 10 "${IGB_SCENARIO_TIMEOUT:-600}" bash -c '
		. "$IGB_GUEST_DIR/lib.sh"
		IGB_SCRATCH=$1
		cd "$IGB_SCRATCH" || exit 1
		if ! igb_fresh >fresh.out 2>&1; then
			fail "fresh PF and VFs on uio_msi" "$(tail -n 3 fresh.out | tr "\n" " ")"
			exit 1
		fi
		. "$2"' igb-scenario "$scratch" "$f"
	rc=$?
	[ $rc -ne 124 ] && [ $rc -ne 137 ] || echo "FAIL: igb: $name: timed out after ${IGB_SCENARIO_TIMEOUT:-600}s"
	# Whatever a scenario left running (a JVM, tcpdump, iperf3) is stopped
	# before the next one starts.
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL
		ip netns del "$ns"
	done
	[ -e "$scratch/pids" ] && xargs -r kill -KILL <"$scratch/pids" 2>/dev/null
	echo "IGB_SCENARIO_TIME $name $(( $(date +%s) - t0 ))s"
done
