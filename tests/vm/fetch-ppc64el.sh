#!/usr/bin/env bash
# Usage: fetch-ppc64el.sh powerpc64le|powerpc64le-64k
#
# Downloads Debian's ppc64el kernel of that flavour from bookworm-backports
# (6.12: no Debian ppc64el kernel has CONFIG_LIBNVDIMM, and only 6.12 has
# what build-ppc64-nvdimm.sh needs to add it) and prints the path of a
# directory with
#   vmlinux                 -> boot/vmlinux-<release>, the ELF image that
#                           qemu-system-ppc64 -M pseries -kernel loads
#   boot/config-<release>   the kernel's configuration
#   lib/modules/<release>/  the full, depmod'ed modules tree
#   release                 the kernel release string (uname -r)
#   package                 the image package and its version
#   headers                 -> usr/src/linux-headers-<release>, the
#                           out-of-tree module build directory, with its
#                           -common part and the amd64 linux-kbuild tools
#                           (fixdep, modpost) it calls, unpacked beside it
#   src/                    the files of linux-source-<major.minor> (same
#                           version) that the libnvdimm modules are built
#                           from: drivers/nvdimm, drivers/dax, papr_scm.c
#                           and, for reference, arch/powerpc/lib/pmem.c
#
# The packages come from a private apt state under the cache
# (apt-bookworm-ppc64el, see private-apt.sh); the system's apt state and
# dpkg's architecture list are left alone.  The result is cached under
# $PMEMPLAN_VM_CACHE (default tests/vm/.cache) as kernel-ppc64el-<flavour>/;
# delete that directory to fetch a newer build.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=private-apt.sh
. "$VM_DIR/private-apt.sh"

ARCH=ppc64el
# What build-ppc64-nvdimm.sh compiles, and the kernel's own flush helpers
# the README compares them with.
SRC_PATHS=(drivers/nvdimm drivers/dax arch/powerpc/platforms/pseries/papr_scm.c
	arch/powerpc/lib/pmem.c)

usage() {
	echo "usage: ${0##*/} powerpc64le|powerpc64le-64k" >&2
	exit 2
}

# The version apt would download for package $1.
candidate() {
	apt-cache "${APT_OPTS[@]}" policy "$1" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }'
}

# Unpacks only SRC_PATHS of linux-source's tarball, streamed (150 MB of
# .tar.xz) from the .deb $1 into $2/src.
unpack_source() {
	local deb=$1 dir=$2 tarball top p paths=()
	tarball=$(dpkg-deb -c "$deb" | awk '$NF ~ /\/linux-source-[0-9.]+\.tar\.xz$/ { print $NF }')
	[[ -n $tarball ]] || vm_die "no linux-source tarball in $deb"
	top=${tarball##*/}
	top=${top%.tar.xz}
	for p in "${SRC_PATHS[@]}"; do
		paths+=("$top/$p")
	done
	mkdir -p "$dir/src"
	dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "$tarball" |
		tar -xJf - -C "$dir/src" --strip-components=1 "${paths[@]}" ||
		vm_die "cannot unpack ${SRC_PATHS[*]} from $deb"
}

# Downloads and unpacks everything into $2 (a fresh directory).
fill() {
	local flavour=$1 dir=$2 dl=$2/download img rel ver common kbuild major deb
	vm_papt_setup "$VM_CACHE/apt-$VM_SUITE-$ARCH" "$ARCH"
	# Both suites have linux-image-powerpc64le (6.1 and 6.12): prefer
	# backports for every package of this kernel, the kbuild tools too.
	APT_OPTS+=(-o "APT::Default-Release=$VM_SUITE-backports")
	img=$(vm_papt_depends "linux-image-$flavour:$ARCH" '^linux-image-[0-9]')
	[[ -n $img ]] || vm_die "cannot resolve linux-image-$flavour:$ARCH in $VM_SUITE-backports"
	rel=${img#linux-image-}
	ver=$(candidate "$img:$ARCH")
	common=$(vm_papt_depends "linux-headers-$rel:$ARCH" '^linux-headers-.*-common$')
	kbuild=$(vm_papt_depends "linux-headers-$rel:$ARCH" '^linux-kbuild-')
	[[ -n $ver && -n $common && -n $kbuild ]] ||
		vm_die "cannot resolve the headers of $img"
	major=$(cut -d. -f1,2 <<<"$rel")
	mkdir -p "$dl"
	vm_log "downloading $img $ver, its headers and linux-source-$major"
	# The kbuild tools run on this machine: the native architecture's.
	vm_papt_download "$dl" "$img:$ARCH=$ver" "linux-headers-$rel:$ARCH=$ver" \
		"$common=$ver" "$kbuild=$ver" "linux-source-$major=$ver"
	for deb in "$dl"/*.deb; do
		case ${deb##*/} in
		linux-source-*) unpack_source "$deb" "$dir" ;;
		*) dpkg -x "$deb" "$dir" ;;
		esac
	done
	[[ -f $dir/boot/vmlinux-$rel && -d $dir/lib/modules/$rel ]] ||
		vm_die "no boot/vmlinux-$rel or lib/modules/$rel in $img"
	[[ -f $dir/usr/src/linux-headers-$rel/Makefile ]] || vm_die "no headers for $rel"
	# The flavour's Makefile includes the -common one by its absolute path
	# under /usr/src; "make -C headers" finds it relative to there.
	sed -i 's|^include /usr/src/|include ../|' "$dir/usr/src/linux-headers-$rel/Makefile"
	depmod -b "$dir" "$rel"
	ln -s "boot/vmlinux-$rel" "$dir/vmlinux"
	ln -s "usr/src/linux-headers-$rel" "$dir/headers"
	echo "$rel" >"$dir/release"
	echo "$img $ver" >"$dir/package"
	rm -rf "$dl"
}

# Fills $VM_CACHE/kernel-ppc64el-$1 unless an earlier run did; atomically,
# so an interrupted download never leaves a half tree that looks complete.
fetch() {
	local flavour=$1 dest=$VM_CACHE/kernel-$ARCH-$1
	if [[ ! -e $dest/release ]]; then
		vm_need_pkgs kmod xz-utils
		rm -rf "$dest.tmp"
		mkdir -p "$dest.tmp"
		fill "$flavour" "$dest.tmp"
		rm -rf "$dest"
		mv "$dest.tmp" "$dest"
		vm_log "kernel $(cat "$dest/release") cached in $dest"
	fi
	printf '%s\n' "$dest"
}

main() {
	(($# == 1)) || usage
	case $1 in
	powerpc64le | powerpc64le-64k) ;;
	*) usage ;;
	esac
	# One lock for both flavours: they share the private apt state.
	vm_locked "$VM_CACHE/.lock-apt-$VM_SUITE-$ARCH" fetch "$1"
}

main "$@"
