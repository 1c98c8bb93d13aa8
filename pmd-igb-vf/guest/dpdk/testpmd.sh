#!/bin/bash
# Runs the dpdk-testpmd that fetch-dpdk.sh staged, with the PMDs it must load (-d), from the staged tree
# only.  Used inside the igb guests (chrooted into the host's /), usable on any Debian 12 machine.
#
#   testpmd.sh [EAL args] -- [testpmd args]
#
# DPDK_ROOT (default: ../work/dpdk/root beside this script) is the staged tree.  The igb VF PMD
# (net_e1000_igb_vf) and the ring mempool handler are passed with -d.  Debian's EAL also loads every
# PMD in its built-in directory /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0 when that exists, i.e. when
# DPDK is installed on the machine; those would be a second copy of the bus and mempool drivers
# ("UIO_RESOURCE_LIST tailq is already registered", a PANIC).  So testpmd runs in a private mount
# namespace in which an empty tmpfs hides that directory.
#
# EAL also refuses a -d plugin when the file or any directory above it is world-writable ("directory
# path /tmp is world-writable and insecure": a checkout under /tmp, as a CI clone may be). So, in that
# same namespace, the two PMDs are copied onto a private tmpfs (mode 0755) mounted over an existing
# root-owned directory such as /mnt, and loaded from there.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${DPDK_ROOT:-$(dirname "$HERE")/work/dpdk/root}
LIBS=$ROOT/usr/lib/x86_64-linux-gnu
TESTPMD=$ROOT/usr/bin/dpdk-testpmd
[ -x "$TESTPMD" ] || { echo "testpmd.sh: no $TESTPMD; run $HERE/fetch-dpdk.sh on the host first" >&2; exit 2; }
PMD_DIR=/usr/lib/x86_64-linux-gnu/dpdk
export LD_LIBRARY_PATH=$LIBS:$ROOT/lib/x86_64-linux-gnu
PLUGIN_DIR=""
for d in /mnt /srv /opt /media; do
	if [ -d "$d" ] && [ "$(stat -c %u "$d")" = 0 ] && [ $(( 0$(stat -c %a "$d") & 2 )) -eq 0 ]; then
		PLUGIN_DIR=$d
		break
	fi
done
[ -n "$PLUGIN_DIR" ] || { echo "testpmd.sh: no root-owned, not world-writable directory (/mnt, /srv, /opt, /media) to stage the PMDs on" >&2; exit 2; }
exec unshare --mount --propagation private /bin/sh -c '
	hidden=$1 plugins=$2 libs=$3 testpmd=$4
	shift 4
	[ ! -d "$hidden" ] || mount -t tmpfs -o ro,size=4k,mode=0555 dpdk-installed-pmds-hidden "$hidden" || exit 2
	mount -t tmpfs -o size=32m,mode=0755 dpdk-pmds "$plugins" &&
		cp "$libs/librte_net_e1000.so.23" "$libs/librte_mempool_ring.so.23" "$plugins/" &&
		chmod 0644 "$plugins"/*.so.23 || exit 2
	exec "$testpmd" -d "$plugins/librte_net_e1000.so.23" -d "$plugins/librte_mempool_ring.so.23" "$@"' \
	sh "$PMD_DIR" "$PLUGIN_DIR" "$LIBS" "$TESTPMD" "$@"
