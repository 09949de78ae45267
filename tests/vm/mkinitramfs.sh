#!/usr/bin/env bash
# Usage: mkinitramfs.sh KERNELDIR OUT.cpio.gz [SRC[:DST]...]
#
# Builds the test VM's initramfs for the kernel in KERNELDIR (as printed by
# fetch-kernel.sh; its "arch" file names the Debian architecture, amd64
# when there is none):
#   * busybox-static (applet links made by /init), kmod (modprobe, insmod, ...),
#     ndctl, daxctl (and on amd64 cxl), and every library they need plus the loader: the
#     host's programs and ldd on amd64, the architecture's own Debian
#     packages (lib.sh: vm_userland) and readelf's NEEDED lists elsewhere
#     (ldd cannot run a foreign program);
#   * the pmem/dax drivers and their dependencies, decompressed and depmod'ed;
#   * /etc/passwd with root and nobody (65534), and /bin/runas USER CMD ARGS;
#   * /lib/pmemplan-vm/helpers.sh (init_labels, to_system_ram) for scripts;
#   * /init (guest/init), which runs /test.sh and prints the exit marker;
#   * each extra SRC (file or directory) at DST, default /bin/<basename of SRC>,
#     with the libraries of any ELF executable in it (which must be built
#     for the kernel's architecture).
#
# Environment:
#   PMEMPLAN_VM_MODULES  drivers loaded at boot (default: the architecture's
#                        ARCH_MODULES); one the kernel lacks is left out
#                        with a note (arm64's 6.1 has no dax_pmem), and
#                        /init then reports that it cannot load it.
#   PMEMPLAN_VM_EXTRA_MODULES  drivers packed too but not loaded at boot, for
#                        the test script to load (test-cxl.sh: kmem)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: ${0##*/} KERNELDIR OUT.cpio.gz [SRC[:DST]...]" >&2
	exit 2
}

is_elf() { [[ -f $1 && $(head -c 4 "$1" | tr -d '\0') == $'\x7fELF' ]]; }

# Copies host file $1 to the same absolute path in the image.
copy_same_path() {
	mkdir -p "$ROOT$(dirname "$1")"
	cp -L "$1" "$ROOT$1"
}

# The ELF machine of file $1 as readelf names it ("AArch64").
elf_machine() { readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p'; }

# An ELF file built for another architecture would only fail in the
# guest ("exec format error"): stop here.
check_machine() {
	local m
	m=$(elf_machine "$1")
	[[ -z $m || $m == "$ARCH_ELF_MACHINE" ]] ||
		vm_die "$1 is built for $m; the $KARCH guest needs $ARCH_ELF_MACHINE (a cross build: configure --host=$ARCH_TRIPLET)"
}

# Adds the shared libraries and the dynamic loader of ELF file $1.
add_libs() {
	is_elf "$1" || return 0
	check_machine "$1"
	if [[ $ARCH_USERLAND == host ]]; then
		add_libs_ldd "$1"
	else
		add_libs_readelf "$1"
	fi
}

# The host's programs: ldd lists every library, transitively.  A library
# ldd cannot find would only fail later inside the guest, so stop here.
add_libs_ldd() {
	local f=$1 out line lib
	# Static executables and non-executable objects: ldd has nothing to say.
	out=$(ldd "$f" 2>/dev/null) || return 0
	while read -r line; do
		case $line in
		*"=> not found"*) vm_die "$f: ldd cannot find ${line%% *}; set LD_LIBRARY_PATH to its directory (a libtool build keeps it in .libs/)" ;;
		*"=> /"*) lib=${line#*=> } ;;
		/*) lib=$line ;;
		*) continue ;; # linux-vdso and the like live in the kernel
		esac
		lib=${lib%% (*}
		[[ -e $ROOT$lib ]] || copy_same_path "$lib"
		# Found through LD_LIBRARY_PATH (a build tree): also put it where
		# the guest's loader looks without an ld.so.cache.
		case ${lib%/*} in
		/lib/x86_64-linux-gnu | /usr/lib/x86_64-linux-gnu | /lib | /usr/lib | /lib64) ;;
		*) cp -L "$lib" "$ROOT/usr/lib/" ;;
		esac
	done <<<"$out"
}

# A foreign program: its interpreter and NEEDED libraries (readelf),
# looked up in the architecture's unpacked packages ($USERLAND) where the
# guest's loader looks without an ld.so.cache, then each library's own
# NEEDED in turn.  Copied with symlinks resolved, to the same path.
add_libs_readelf() {
	local f=$1 interp soname dir found
	interp=$(readelf -l "$f" 2>/dev/null |
		sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
	if [[ -n $interp && ! -e $ROOT$interp ]]; then
		[[ -e $USERLAND$interp ]] || vm_die "$f: no loader $interp in the $KARCH packages"
		mkdir -p "$ROOT${interp%/*}"
		cp "$(realpath "$USERLAND$interp")" "$ROOT$interp"
	fi
	while read -r soname; do
		found=
		for dir in "/lib/$ARCH_TRIPLET" "/usr/lib/$ARCH_TRIPLET" /lib /usr/lib; do
			if [[ -e $ROOT$dir/$soname ]]; then
				found=present
				break
			fi
			if [[ -e $USERLAND$dir/$soname ]]; then
				mkdir -p "$ROOT$dir"
				cp "$(realpath "$USERLAND$dir/$soname")" "$ROOT$dir/$soname"
				found=$ROOT$dir/$soname
				break
			fi
		done
		[[ -n $found ]] ||
			vm_die "$f needs $soname, which no $KARCH package of ARCH_GUEST_PKGS (tests/vm/arch/$KARCH.sh) provides"
		[[ $found == present ]] || add_libs_readelf "$found"
	done < <(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
}

# Installs program $1 into /bin of the image, with its libraries: the
# host's, or the one in the architecture's packages.
add_program() {
	local p d
	if [[ $ARCH_USERLAND == host ]]; then
		p=$(command -v "$1") || vm_die "$1 not found on the host"
	else
		for d in /bin /sbin /usr/bin /usr/sbin; do
			p=$USERLAND$d/$1
			[[ ! -f $p ]] || break
		done
		[[ -f $p ]] || vm_die "no $1 in the $KARCH packages (tests/vm/arch/$KARCH.sh)"
	fi
	cp -L "$p" "$ROOT/bin/$1"
	add_libs "$p"
}

# Only /bin/sh links to busybox here: /init creates the other applet links
# at boot (busybox --install, much faster than ~400 ln on the host), and as
# that never replaces a file, /bin/modprobe etc. stay kmod's, the tools a
# user's system has.
add_base() {
	local a
	mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,usr/lib,lib,lib64,etc,proc,sys,dev,tmp,run,root,mnt,boot}
	add_program busybox
	ln -s busybox "$ROOT/bin/sh"
	add_program kmod
	for a in modprobe insmod rmmod lsmod modinfo depmod; do
		ln -sf kmod "$ROOT/bin/$a"
	done
	add_program ndctl
	add_program daxctl
	# cxl-cli (Debian's ndctl package) for the CXL scenarios; the foreign
	# userlands do not carry it
	[[ $ARCH_USERLAND != host ]] || add_program cxl
}

add_etc() {
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
		'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' >"$ROOT/etc/passwd"
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$ROOT/etc/group"
	mkdir -p "$ROOT/etc/pmemplan-vm"
	echo "$MODULES" >"$ROOT/etc/pmemplan-vm/modules"
	install -m 0755 "$VM_DIR/guest/init" "$ROOT/init"
	install -m 0755 "$VM_DIR/guest/runas" "$ROOT/bin/runas"
	install -D -m 0644 "$VM_DIR/guest/helpers.sh" "$ROOT/lib/pmemplan-vm/helpers.sh"
}

# Unpacks a compressed module in place (Debian's 6.12 ships .ko.xz, 6.1 plain
# .ko): kmod could read it, but busybox's insmod/modprobe, which the guest
# shell runs in preference to PATH, cannot.
decompress_module() {
	case $1 in
	*.ko.xz) xz -dq "$1" ;;
	*.ko.zst) zstd -dq --rm "$1" ;;
	*.ko.gz) gzip -dq "$1" ;;
	esac
}

# Copies the drivers and everything modprobe would load with them.  -C
# /dev/null keeps the host's modprobe.d (ndctl's "install libnvdimm ..." rule)
# from hiding dependencies.
add_modules() {
	local rel=$1 mdir=$KDIR/lib/modules/$1 deps='' path relpath m have=()
	for m in $MODULES ${PMEMPLAN_VM_EXTRA_MODULES:-}; do
		if path=$(modprobe -C /dev/null -d "$KDIR" -S "$rel" --show-depends "$m" 2>/dev/null); then
			deps+=$path$'\n'
			have+=("$m")
		else
			vm_log "note: kernel $rel has no module $m; left out"
		fi
	done
	((${#have[@]})) || vm_die "kernel $rel has none of the modules: $MODULES"
	while read -r path; do
		relpath=${path#"$mdir"/}
		mkdir -p "$ROOT/lib/modules/$rel/$(dirname "$relpath")"
		cp "$path" "$ROOT/lib/modules/$rel/$relpath"
		decompress_module "$ROOT/lib/modules/$rel/$relpath"
	done < <(awk '$1 == "insmod" { print $2 }' <<<"$deps" | sort -u)
	# modules.builtin lets modprobe accept built-in drivers (dax is one).
	cp "$mdir"/modules.{order,builtin,builtin.modinfo} "$ROOT/lib/modules/$rel/"
	depmod -b "$ROOT" "$rel"
	cp "$KDIR/boot/config-$rel" "$ROOT/boot/" 2>/dev/null || :
}

# SRC[:DST] -> copies SRC (file or tree) into the image, with ELF libraries.
add_extra() {
	local src=${1%%:*} dst=${1#*:} f
	[[ $1 == *:* ]] || dst=/bin/${src##*/}
	[[ -e $src ]] || vm_die "extra file $src does not exist"
	if [[ -f $src ]] && grep -q 'Generated by libtool' "$src" 2>/dev/null; then
		vm_die "$src is a libtool wrapper script; pass the real binary (e.g. its .libs/ one) or build with --disable-shared"
	fi
	mkdir -p "$ROOT$(dirname "$dst")"
	rm -rf "${ROOT:?}$dst"
	cp -a "$src" "$ROOT$dst"
	while IFS= read -r -d '' f; do
		add_libs "$f"
	done < <(find "$src" -type f -print0)
}

pack() {
	(cd "$ROOT" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$OUT"
}

main() {
	(($# >= 2)) || usage
	[[ -f $1/release ]] || vm_die "$1 is not a directory from fetch-kernel.sh"
	# Absolute, as modprobe --show-depends prints absolute paths.
	KDIR=$(cd "$1" && pwd) OUT=$2
	shift 2
	KARCH=$(cat "$KDIR/arch" 2>/dev/null || echo amd64)
	vm_arch_load "$KARCH"
	MODULES=${PMEMPLAN_VM_MODULES:-$ARCH_MODULES}
	if [[ $ARCH_USERLAND == host ]]; then
		vm_need_pkgs busybox-static kmod ndctl daxctl cpio xz-utils binutils
	else
		vm_need_pkgs kmod cpio xz-utils binutils
		USERLAND=$(vm_userland "$KARCH")/root
	fi
	if find "$KDIR/lib/modules" -name '*.ko.zst' -print -quit | grep -q .; then
		vm_need_pkgs zstd
	fi
	ROOT=$(mktemp -d)
	trap 'rm -rf "$ROOT"' EXIT
	# mktemp's 0700 would become the guest's / and lock out non-root users.
	chmod 0755 "$ROOT"
	add_base
	add_etc
	add_modules "$(cat "$KDIR/release")"
	local e
	for e in "$@"; do
		add_extra "$e"
	done
	pack
}

main "$@"
