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
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${DPDK_ROOT:-$(dirname "$HERE")/work/dpdk/root}
LIBS=$ROOT/usr/lib/x86_64-linux-gnu
TESTPMD=$ROOT/usr/bin/dpdk-testpmd
[ -x "$TESTPMD" ] || { echo "testpmd.sh: no $TESTPMD; run $HERE/fetch-dpdk.sh on the host first" >&2; exit 2; }
PMD_DIR=/usr/lib/x86_64-linux-gnu/dpdk
export LD_LIBRARY_PATH=$LIBS:$ROOT/lib/x86_64-linux-gnu
exec unshare --mount --propagation private /bin/sh -c '
	[ ! -d "$0" ] || mount -t tmpfs -o ro,size=4k,mode=0555 dpdk-installed-pmds-hidden "$0" || exit 2
	exec "$@"' "$PMD_DIR" "$TESTPMD" -d "$LIBS/librte_net_e1000.so.23" -d "$LIBS/librte_mempool_ring.so.23" "$@"
