#!/usr/bin/env bash
# Stages Debian bookworm's DPDK 22.11 dpdk-testpmd, with the igb VF PMD (net_e1000_igb_vf) and every
# library they load, in a private tree for the igb guests (issue 14, "a peer nobody here wrote").
# Nothing is installed on this machine: the packages in ./packages are fetched with `apt-get download`
# and unpacked with `dpkg -x` into a cache, the way the harness stages QEMU 10.
#
# The guest reaches the tree over 9p (the host's / under /host, chrooted into), so every path printed
# here is a host path that also works inside the guest's chroot. testpmd runs from it with
#   LD_LIBRARY_PATH=<root>/usr/lib/x86_64-linux-gnu  <root>/usr/bin/dpdk-testpmd -d <pmd> ...
# (see testpmd-peer.md).  -d is needed because Debian's testpmd looks for PMDs only in the
# installed pmds-23.0 directory, which does not exist on this host.
#
# Usage:
#   fetch-dpdk.sh [--work DIR]       fetch + unpack (cached), check that every NEEDED soname of
#                                    testpmd and the PMDs resolves, print "DPDK_ROOT=<root>"
#   fetch-dpdk.sh --resolve [--work DIR]
#                                    recompute the package list from scratch (NEEDED sonames ->
#                                    the Depends field that provides them) and print it; use it
#                                    to refresh ./packages when Debian's DPDK changes
# Environment: DPDK_WORK overrides the cache (default pmd-igb-vf/guest/work/dpdk).
# Needs: apt-get with bookworm's main (or -security) suite in its lists, dpkg-deb, readelf (binutils).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${DPDK_WORK:-$(dirname "$HERE")/work/dpdk}
MODE=fetch
while [ $# -gt 0 ]; do
	case $1 in
	--resolve) MODE=resolve ;;
	--work) WORK=$2; shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "fetch-dpdk: unknown argument '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done

# What testpmd must load besides what it links: the igb VF PMD and the ring mempool handler
# (testpmd's default mbuf pool ops, "ring_mp_mc").  Paths relative to the staged root.
LIBDIR=usr/lib/x86_64-linux-gnu
# Bookworm's packages are not all usr-merged inside: zlib1g, libnl and libdbus unpack to lib/.
LIBDIRS="$LIBDIR lib/x86_64-linux-gnu"
PMDS="$LIBDIR/librte_net_e1000.so.23 $LIBDIR/librte_mempool_ring.so.23"
TESTPMD=usr/bin/dpdk-testpmd

die() { echo "fetch-dpdk: error: $*" >&2; exit 1; }
log() { echo "== fetch-dpdk: $*" >&2; }
for t in apt-get apt-cache dpkg-deb readelf; do
	command -v "$t" >/dev/null || die "'$t' not found (apt-get install binutils for readelf)"
done

# Sonames the host's C library provides: the guest runs testpmd chrooted into the host's /, whose
# libc6 matches bookworm's DPDK build (both Debian 12).  Everything else comes from the tree.
libc_sonames() {
	dpkg -L libc6 2>/dev/null | sed -n 's#^/\(usr/\)\{0,1\}lib/x86_64-linux-gnu/\([^/]*\.so\.[0-9]*\)$#\2#p' |
		sort -u
}

# Candidate versions, looked up for many packages in one apt-cache call (one call takes ~1.5 s).
declare -A CAND=()
candidates() {
	local p v
	while read -r p v; do CAND[$p]=$v; done < <(apt-cache policy "$@" 2>/dev/null |
		awk '/^[^ ].*:$/ {p = substr($1, 1, length($1) - 1)} /^  Candidate: / {print p, $2}')
}

# download <dir> <package>: the candidate version's .deb, once; prints its path.
download() {
	local dir=$1 p=$2 v deb
	[ -n "${CAND[$p]:-}" ] || candidates "$p"
	v=${CAND[$p]:-}
	if [ -z "$v" ] || [ "$v" = "(none)" ]; then
		# A fresh machine may have no apt lists yet: one update, then ask again.
		log "no candidate for $p in the apt lists; apt-get update"
		apt-get update -qq >&2 || true
		candidates "$p"
		v=${CAND[$p]:-}
	fi
	[ -n "$v" ] && [ "$v" != "(none)" ] ||
		die "package $p is not in the apt lists (is bookworm main enabled? try: apt-get update)"
	deb=$(ls "$dir/${p}_${v//:/%3a}"_*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		(cd "$dir" && apt-get download -qq "$p=$v" 2>&1 | grep -v 'Download is performed unsandboxed' >&2) || true
		deb=$(ls "$dir/${p}_${v//:/%3a}"_*.deb 2>/dev/null | head -1)
		[ -n "$deb" ] || die "apt-get download $p=$v failed"
	fi
	echo "$deb"
}

# needed <root> <elf>: its NEEDED sonames.
needed() { readelf -d "$1/$2" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }

# missing <root>: sonames that testpmd, the PMDs and (transitively) the libraries in the tree need
# but that neither the tree nor libc6 provides; "<soname> <path of the ELF that needs it>".
missing() {
	local root=$1 elf so d found
	local -A seen=()
	local queue="$TESTPMD $PMDS"
	local base
	base=" $(libc_sonames | tr '\n' ' ') "
	while [ -n "${queue// /}" ]; do
		set -- $queue
		elf=$1; shift; queue="$*"
		[ -z "${seen[$elf]:-}" ] || continue
		seen[$elf]=1
		for so in $(needed "$root" "$elf"); do
			case $base in *" $so "*) continue ;; esac
			found=""
			for d in $LIBDIRS; do
				[ -e "$root/$d/$so" ] && { found=$d/$so; break; }
			done
			if [ -n "$found" ]; then
				queue="$queue $found"
			else
				echo "$so $elf"
			fi
		done
	done | sort -u
}

# Debian names a library package after its soname: libfoo.so.N -> libfooN, libfoo-bar.so.1.2 ->
# libfoo-bar1.2, librte_net_e1000.so.23 -> librte-net-e1000-23 (a '-' before the version when
# the name ends in a digit).  The exceptions testpmd meets are listed.
package_guess() {
	local so=$1 name ver
	case $so in
	libz.so.1) echo zlib1g; return ;;
	libmlx5.so.1 | libmlx4.so.1) echo ibverbs-providers; return ;;
	esac
	name=${so%%.so.*}
	ver=${so#*.so.}
	name=${name//_/-}
	case $name in *[0-9]) echo "$name-$ver" ;; *) echo "$name$ver" ;; esac | tr 'A-Z' 'a-z'
}

# owners <deb> <package>: "<path> <package>" for every file and link the package holds.
owners() { dpkg-deb -c "$1" | awk -v p="$2" '{print substr($6, 3), p}'; }

# resolve: the package list, from scratch.  Roots: dpdk-dev (testpmd) and the two PMD packages.
# Each soname still missing is mapped to a package by package_guess; that package must be in the
# Depends field of the package whose ELF needs the soname, and its shlibs file must list the soname.
resolve() {
	local dir=$WORK/resolve deb p so elf owner guess todo list=""
	rm -rf "$dir/root" # the .debs stay cached
	mkdir -p "$dir/debs" "$dir/root"
	: >"$dir/owners"
	for p in dpdk-dev librte-net-e1000-23 librte-mempool-ring23; do
		deb=$(download "$dir/debs" "$p")
		dpkg -x "$deb" "$dir/root"
		owners "$deb" "$p" >>"$dir/owners"
		list="$list $p"
	done
	local rounds=0
	while todo=$(missing "$dir/root") && [ -n "$todo" ]; do
		rounds=$((rounds + 1))
		[ "$rounds" -le 20 ] || die "still missing after 20 rounds:
$todo"
		while read -r so elf; do
			case " $list " in *" $(package_guess "$so") "*) continue ;; esac
			owner=$(awk -v f="$elf" '$1 == f {print $2; exit}' "$dir/owners")
			[ -n "$owner" ] || die "no package owns $elf in the tree (internal error)"
			guess=$(package_guess "$so")
			dpkg-deb -f "$(ls "$dir/debs/${owner}"_*.deb | head -1)" Depends | tr ',|' '\n\n' |
				sed 's/(.*//; s/^ *//; s/ *$//; s/:any$//' | grep -qx "$guess" ||
				die "$so (needed by $elf of $owner) -> $guess, which $owner does not depend on; extend package_guess"
			deb=$(download "$dir/debs" "$guess")
			dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./shlibs 2>/dev/null | awk '{print $1 ".so." $2}' |
				grep -qx "$so" || die "$guess's shlibs do not list $so (needed by $elf); extend package_guess"
			dpkg -x "$deb" "$dir/root"
			owners "$deb" "$guess" >>"$dir/owners"
			list="$list $guess"
			log "$so (needed by $elf of $owner) <- $guess"
		done <<<"$todo"
	done
	echo "$list" | tr ' ' '\n' | sed '/^$/d' | sort -u
}

if [ "$MODE" = resolve ]; then
	resolve
	exit 0
fi

# ---- fetch: the listed packages, unpacked once per set of versions ---------------------------
PACKAGES=$(sed 's/#.*//' "$HERE/packages" | xargs)
[ -n "$PACKAGES" ] || die "$HERE/packages lists no package"
mkdir -p "$WORK/debs"
# shellcheck disable=SC2086
candidates $PACKAGES
debs=""
for p in $PACKAGES; do
	debs="$debs $(download "$WORK/debs" "$p")"
done
ROOT=$WORK/root
stamp=$(for d in $debs; do basename "$d"; done | sort | sha256sum | cut -c1-16)
if [ "$(cat "$ROOT/.staged" 2>/dev/null)" != "$stamp" ]; then
	log "unpacking $(echo "$PACKAGES" | wc -w) packages into $ROOT"
	rm -rf "$ROOT.tmp"
	mkdir -p "$ROOT.tmp"
	for d in $debs; do dpkg -x "$d" "$ROOT.tmp"; done
	echo "$stamp" >"$ROOT.tmp/.staged"
	rm -rf "$ROOT"
	mv "$ROOT.tmp" "$ROOT"
fi
todo=$(missing "$ROOT")
[ -z "$todo" ] || die "sonames not found in the staged tree nor in libc6:
$todo
run '$0 --resolve' and update $HERE/packages"
for f in $TESTPMD $PMDS; do [ -e "$ROOT/$f" ] || die "$f is missing from the staged tree"; done
log "dpdk-testpmd $(dpkg-deb -f "$(ls "$WORK/debs"/dpdk-dev_*.deb | head -1)" Version), $(echo "$PACKAGES" | wc -w) packages, in $ROOT"
echo "DPDK_ROOT=$ROOT"
