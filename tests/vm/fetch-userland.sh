#!/usr/bin/env bash
# Usage: fetch-userland.sh ARCH          (a Debian architecture: ppc64el, arm64)
#
# Downloads the guest userland of the test VM for a foreign architecture --
# busybox-static, kmod, ndctl and daxctl of this machine's Debian release,
# with the shared libraries they need -- unpacks it and prints the path of
# a directory that holds the merged tree:
#   root/      the packages unpacked with dpkg -x (bin/busybox, bin/kmod,
#              usr/bin/ndctl, usr/bin/daxctl, the libraries and the loader,
#              with the usr-merge links /lib -> usr/lib etc.)
#   packages   one line "name version" per package unpacked
#
# Libraries come from the packages' Depends, followed only through library
# packages (lib*): an initramfs needs the DSOs, not what installs them
# (dpkg, perl, init-system-helpers).  Every DT_NEEDED of every executable
# and library in the tree is then checked against the tree, so a missing
# one fails here instead of in the guest.
#
# Cached as $PMEMPLAN_VM_CACHE/userland-ARCH/ (default tests/vm/.cache);
# delete it to fetch newer builds.  The private apt state is
# apt-bookworm-ARCH, as fetch-ppc64el.sh uses (see private-apt.sh).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=private-apt.sh
. "$VM_DIR/private-apt.sh"

PROGRAMS=(busybox-static kmod ndctl daxctl)

usage() {
	echo "usage: ${0##*/} ARCH   (ppc64el, arm64, ...)" >&2
	exit 2
}

# The Depends (and Pre-Depends) of package $1 that are libraries, one a
# line, without version or architecture; the first of an "a | b" choice.
lib_depends() {
	apt-cache "${APT_OPTS[@]}" show --no-all-versions "$1" 2>/dev/null |
		awk '/^(Pre-)?Depends:/ { sub(/^[^:]*: */, ""); n = split($0, d, /, */)
			for (i = 1; i <= n; i++) { sub(/ *\|.*/, "", d[i]); sub(/ .*/, "", d[i])
				sub(/:.*/, "", d[i]); if (d[i] ~ /^lib/) print d[i] } }'
}

# Every package to unpack: PROGRAMS and the library closure.
closure() {
	local -A seen=()
	local queue=("${PROGRAMS[@]}") p d
	while ((${#queue[@]})); do
		p=${queue[0]}
		queue=("${queue[@]:1}")
		[[ -z ${seen[$p]:-} ]] || continue
		seen[$p]=1
		echo "$p"
		while read -r d; do
			[[ -n $d && -z ${seen[$d]:-} ]] && queue+=("$d")
		done < <(lib_depends "$p:$ARCH")
	done
}

# Fails if an ELF file of tree $1 needs a shared library the tree lacks.
check_needed() {
	local root=$1 f so missing=()
	local -A have=()
	while IFS= read -r f; do
		have[${f##*/}]=1
	done < <(find "$root" \( -type f -o -type l \) -name '*.so*')
	while IFS= read -r -d '' f; do
		[[ $(head -c 4 "$f" | tr -d '\0') == $'\x7fELF' ]] || continue
		while read -r so; do
			[[ -n ${have[$so]:-} ]] || missing+=("${f#"$root"} needs $so")
		done < <(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	done < <(find "$root" -type f -print0)
	((${#missing[@]} == 0)) || vm_die "libraries missing from the $ARCH userland: ${missing[*]}"
}

fill() {
	local dir=$1 dl=$1/download p pkgs=() deb
	vm_papt_setup "$VM_CACHE/apt-$VM_SUITE-$ARCH" "$ARCH"
	mapfile -t pkgs < <(closure)
	mkdir -p "$dl" "$dir/root"
	vm_log "downloading ${#pkgs[@]} $ARCH packages: ${pkgs[*]}"
	vm_papt_download "$dl" "${pkgs[@]/%/:$ARCH}"
	for deb in "$dl"/*.deb; do
		dpkg -x "$deb" "$dir/root"
		# shellcheck disable=SC2016 # dpkg-query's field syntax
		dpkg-deb --show --showformat '${Package} ${Version}\n' "$deb" >>"$dir/packages"
	done
	# Documentation, locales and iconv modules: not for an initramfs.
	rm -rf "$dir/root/usr/share"/{doc,man,info,locale,lintian,bug,bash-completion} \
		"$dir/root/usr/lib"/*-linux-gnu*/gconv
	check_needed "$dir/root"
	for p in bin/busybox bin/kmod usr/bin/ndctl usr/bin/daxctl; do
		[[ -x $dir/root/$p ]] || vm_die "no $p in the $ARCH packages"
	done
	rm -rf "$dl"
}

fetch() {
	local dest=$VM_CACHE/userland-$ARCH
	if [[ ! -e $dest/packages ]]; then
		vm_need_pkgs binutils
		rm -rf "$dest.tmp"
		mkdir -p "$dest.tmp"
		fill "$dest.tmp"
		rm -rf "$dest"
		mv "$dest.tmp" "$dest"
		vm_log "$ARCH userland cached in $dest"
	fi
	printf '%s\n' "$dest"
}

main() {
	(($# == 1)) || usage
	[[ $1 =~ ^[a-z0-9]+$ ]] || usage
	ARCH=$1
	vm_locked "$VM_CACHE/.lock-apt-$VM_SUITE-$ARCH" fetch
}

main "$@"
