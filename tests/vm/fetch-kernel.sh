#!/usr/bin/env bash
# Usage: fetch-kernel.sh KERNEL
#
# Downloads one of Debian's kernels and prints the path of a directory with
#   vmlinuz                 -> boot/vmlinuz-<release>
#   lib/modules/<release>/  the full, depmod'ed modules tree
#   release                 the kernel release string (uname -r)
#   arch                    its Debian architecture (amd64, arm64, ...)
#   package                 the .deb it came from
#
# KERNEL is VERSION (amd64) or FLAVOUR/VERSION (lib.sh: vm_kernel_parse):
#   6.1   the package linux-image-amd64 depends on, from this machine's apt
#         sources (bookworm; its security updates may give a newer 6.1.0-N).
#   6.12  the same from bookworm-backports, which this machine's sources do not
#         list: a private apt configuration under the cache points at the same
#         archive URI, so the system's apt state is left alone.
#   arm64/6.1, arm64/6.12, arm64-16k/6.12, ...
#         the package linux-image-FLAVOUR (linux-image-arm64-16k) depends on,
#         for that architecture, through the private apt state of lib.sh's
#         vm_foreign_apt_setup: 6.1 from the machine's bookworm sources, 6.12
#         from bookworm-backports.  An architecture may prepare the tree
#         further (arch/ARCH.sh: arch_kernel_prepare KDIR) or fetch it its
#         own way (arch_kernel_fetch: ppc64el/6.12 and ppc64el-64k/6.12,
#         fetch-ppc64el.sh and the modules of build-ppc64-nvdimm.sh).
#
# The result is cached under $PMEMPLAN_VM_CACHE (default tests/vm/.cache);
# delete kernel-<flavour>/ there to fetch a newer build.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: ${0##*/} 6.1|6.12|ARCH[-VARIANT]/6.1|ARCH[-VARIANT]/6.12" >&2
	exit 2
}

# Writes the private sources and refreshes the private package lists.
backports_apt_setup() {
	local d=$1 uri
	uri=$(vm_archive_uri "$VM_SUITE") ||
		vm_die "no '$VM_SUITE' suite in this machine's apt sources; cannot derive the archive URI"
	mkdir -p "$d/sources.list.d" "$d/preferences.d" "$d/lists/partial" "$d/cache/archives/partial"
	: >"$d/sources.list"
	: >"$d/status"
	vm_backports_sources "$uri" >"$d/sources.list.d/backports.sources"
	vm_apt_state_opts "$d"
	pp_apt_get "${APT_OPTS[@]}" update -qq >/dev/null ||
		vm_die "apt-get update of $VM_SUITE-backports from $uri failed"
}

# Name of the versioned image package the meta package $1 points at.
image_package() {
	local meta=$1
	shift
	apt-cache "${APT_OPTS[@]}" "$@" depends "$meta" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

# Downloads the image package into $2 and prints the .deb's path.
download_image() {
	local flavour=$1 dir=$2 pkg
	APT_OPTS=()
	if [[ $flavour == 6.12 ]]; then
		backports_apt_setup "$VM_CACHE/apt-$VM_SUITE-backports"
	fi
	pkg=$(image_package linux-image-amd64)
	if [[ -z $pkg && $flavour == 6.1 ]]; then
		# A fresh machine may have no package lists yet.
		pp_apt_get update -qq >/dev/null 2>&1 || vm_die "apt-get update failed"
		pkg=$(image_package linux-image-amd64)
	fi
	[[ -n $pkg ]] || vm_die "cannot resolve linux-image-amd64 for kernel $flavour"
	vm_log "downloading $pkg"
	# No _apt sandbox: the cache may sit where that user cannot write.
	(cd "$dir" && pp_apt_get "${APT_OPTS[@]}" -o APT::Sandbox::User=root download -qq "$pkg" >/dev/null) ||
		vm_die "apt-get download $pkg failed"
	ls "$dir"/*.deb
}

# The same for another architecture's kernel ($VM_KARCH etc. set): the
# meta package of its flavour, 6.12 from bookworm-backports (-t), 6.1
# from bookworm (the candidate: backports are never the default).
download_foreign_image() {
	local name=$1 dir=$2 meta pkg
	local -a target=()
	vm_arch_load "$VM_KARCH"
	meta=linux-image-$ARCH_KFLAVOUR$VM_KVARIANT
	vm_foreign_apt_setup "$VM_KARCH"
	[[ $VM_KVERSION == 6.1 ]] || target=(-t "$VM_SUITE-backports")
	pkg=$(image_package "$meta" "${target[@]}")
	[[ $pkg == linux-image-"$VM_KVERSION".* ]] ||
		vm_die "kernel $name: $meta ($VM_KARCH) gives ${pkg:-nothing}, not Linux $VM_KVERSION"
	vm_log "downloading $pkg ($VM_KARCH)"
	vm_foreign_download "$VM_KARCH" "$dir" "$pkg"
	ls "$dir"/*.deb
}

# Unpacks the .deb into $2 and builds modules.dep so modprobe -d works there.
unpack_image() {
	local deb=$1 dir=$2 rel
	dpkg -x "$deb" "$dir"
	rel=$(ls "$dir/lib/modules")
	[[ -f $dir/boot/vmlinuz-$rel ]] || vm_die "no boot/vmlinuz-$rel in $deb"
	depmod -b "$dir" "$rel"
	ln -s "boot/vmlinuz-$rel" "$dir/vmlinuz"
	echo "$rel" >"$dir/release"
	echo "$VM_KARCH" >"$dir/arch"
	dpkg-deb -f "$deb" Package Version | tr '\n' ' ' >"$dir/package"
	echo >>"$dir/package"
	rm -f "$deb"
}

# Fills $VM_CACHE/$VM_KDIR_NAME unless an earlier run did; atomically, so an
# interrupted download never leaves a half tree that looks complete.
fetch() {
	local name=$1 dest=$VM_CACHE/$VM_KDIR_NAME tmp deb
	if [[ ! -e $dest/release ]]; then
		vm_need_pkgs debian-archive-keyring kmod
		rm -rf "$dest.tmp"
		tmp=$dest.tmp
		mkdir -p "$tmp/download"
		if [[ $VM_KARCH == amd64 ]]; then
			deb=$(download_image "$VM_KVERSION" "$tmp/download")
		else
			deb=$(download_foreign_image "$name" "$tmp/download")
		fi
		unpack_image "$deb" "$tmp"
		rmdir "$tmp/download"
		if declare -F arch_kernel_prepare >/dev/null; then
			arch_kernel_prepare "$tmp"
		fi
		rm -rf "$dest"
		mv "$tmp" "$dest"
		vm_log "kernel $(cat "$dest/release") cached in $dest"
	fi
	printf '%s\n' "$dest"
}

main() {
	(($# == 1)) || usage
	vm_kernel_parse "$1" || usage
	vm_arch_load "$VM_KARCH"
	# an architecture with its own way (ppc64el: modules built out of tree)
	if declare -F arch_kernel_fetch >/dev/null; then
		arch_kernel_fetch
		return
	fi
	vm_locked "$VM_CACHE/.lock-$VM_KDIR_NAME" fetch "$1"
}

main "$@"
