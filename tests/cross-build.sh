#!/usr/bin/env bash
# Cross-builds pmemplan from this tree for other Debian architectures
# (issue 11), the way a Debian cross build does it: multiarch -dev packages
# of the target, the cross toolchain, and ./configure --host.
#
#   tests/cross-build.sh [ARCH...]        (Debian names; default: arm64 ppc64el)
#
# Per architecture:
#   install  dpkg --add-architecture ARCH, apt-get update, then
#            crossbuild-essential-ARCH, pkgconf:ARCH (the TRIPLET-pkg-config
#            wrapper) and the libraries' -dev:ARCH packages (Multi-Arch:
#            same, co-installed with the native ones)
#   build    out of tree in build-CPU/ at the top of the tree:
#            configure --host=TRIPLET --enable-werror --with-cmocka=no (the
#            tool needs no cmocka), pkg-config reading the target's .pc files
#            only; the result must be an ELF of the target machine:
#                build-aarch64/pmemplan   (arm64)
#                build-ppc64le/pmemplan   (ppc64el)
#            (tests/vm's foreign-architecture guests run these)
#   check    unless PP_CROSS_CHECK=0: libcmocka-dev:ARCH and qemu-user, a
#            second build in build-CPU-check/ with --with-cmocka=yes, and its
#            whole "make check" on the target's ABI: the unit tests under
#            qemu-user (qemu-CPU, with the target's multiarch loader), the
#            CLI tests through a wrapper that runs the cross-built pmemplan
#            the same way, the core-symbol check with the target's nm.
#            Holds the QEMU lock ($PP_QEMU_LOCK, default
#            /tmp/pmemplan-vm.lock) while the tests run.
#
# Prints the seconds each architecture took, stage by stage (the wait for
# the QEMU lock apart).  Exits non-zero on the first failure.  Needs root
# when a package or architecture is missing.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=build.sh
. "$(dirname "$0")/build.sh"
cd "$PP_TOP"

PP_QEMU_LOCK=${PP_QEMU_LOCK:-/tmp/pmemplan-vm.lock}
CHECK=${PP_CROSS_CHECK:-1}
JOBS=$(nproc)
((JOBS <= 2)) || JOBS=2

# Debian architecture -> GNU triplet, build directory, readelf's Machine,
# qemu-user binary.
arch_info() {
	case $1 in
	arm64) triplet=aarch64-linux-gnu cpu=aarch64 machine=AArch64 ;;
	ppc64el) triplet=powerpc64le-linux-gnu cpu=ppc64le machine=PowerPC64 ;;
	*)
		echo "cross-build: unknown architecture '$1' (known: arm64 ppc64el)" >&2
		return 2
		;;
	esac
	qemu=qemu-$cpu
}

# the foreign architectures in $@ that dpkg does not know yet get added,
# and the package lists read again once for all of them
add_architectures() {
	local a added=0 have
	have=" $(dpkg --print-foreign-architectures | tr '\n' ' ') "
	for a in "$@"; do
		[[ $have == *" $a "* ]] && continue
		[ "$(id -u)" = 0 ] || { echo "run as root to add the architecture $a" >&2; return 1; }
		dpkg --add-architecture "$a"
		added=1
	done
	# the lists of an architecture added earlier may still be missing
	for a in "$@"; do
		apt-cache show "libc6:$a" >/dev/null 2>&1 || added=1
	done
	((added)) || return 0
	[ "$(id -u)" = 0 ] || { echo "run as root: apt-get update for $*" >&2; return 1; }
	pp_log "apt-get update (architectures $*)"
	pp_apt_get update -qq >/dev/null
}

# ELF $1 must be a 64-bit little-endian executable of machine $2
check_elf() {
	local hdr
	hdr=$(LC_ALL=C readelf -h "$1") || return 1
	grep -Eq '^ *Class: +ELF64$' <<<"$hdr" &&
		grep -Eq '^ *Data: +.*little endian$' <<<"$hdr" &&
		grep -Eq "^ *Machine: +$2\$" <<<"$hdr" && return 0
	echo "cross-build: $1 is not a 64-bit little-endian $2 ELF:" >&2
	grep -E '^ *(Class|Data|Machine):' <<<"$hdr" >&2
	return 1
}

# configure out of tree in $1 for $triplet, with the target's pkg-config
cross_configure() {
	local dir=$1 pc=pkg-config
	shift
	# pkgconf:ARCH makes TRIPLET-pkg-config, whose personality searches
	# the target's directories; PKG_CONFIG_LIBDIR says the same thing
	# explicitly and keeps the build machine's .pc files out either way
	command -v "$triplet-pkg-config" >/dev/null && pc=$triplet-pkg-config
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && "$PP_TOP/configure" -q --build="$(dpkg-architecture -qDEB_BUILD_GNU_TYPE)" \
		--host="$triplet" --enable-werror "$@" PKG_CONFIG="$pc" \
		PKG_CONFIG_LIBDIR="/usr/lib/$triplet/pkgconfig:/usr/share/pkgconfig")
}

# A pmemplan for the CLI tests that runs the cross-built one under qemu-user.
# No -L: the target's loader is the multiarch libc6:ARCH's (/lib/ld-linux-
# aarch64.so.1, /lib64/ld64.so.2), which the -dev:ARCH packages pulled in,
# and it loads its own libc.  "-L /usr/TRIPLET" would take the cross
# toolchain's ld.so, which finds the multiarch libc of another build through
# /etc/ld.so.cache: on ppc64el every program then dies at start ("stack
# smashing detected"), even a hello world.
qemu_wrapper() {
	local dir=$1
	printf '#!/bin/sh\nexec %s %q "$@"\n' "$qemu" "$dir/pmemplan" >"$dir/pmemplan-qemu"
	chmod +x "$dir/pmemplan-qemu"
}

main() {
	local archs=("$@") a t0 t_all=$SECONDS dir
	((${#archs[@]})) || archs=(arm64 ppc64el)
	local -A took_install=() took_build=() took_check=() took_run=() waited=()
	local pkgs=() t1
	for a in "${archs[@]}"; do arch_info "$a" || exit 2; done

	[ -x configure ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
	t0=$SECONDS
	add_architectures "${archs[@]}"
	local t_update=$((SECONDS - t0))

	for a in "${archs[@]}"; do
		arch_info "$a"
		pp_log "cross-build $a ($triplet): install"
		t0=$SECONDS
		mapfile -t pkgs < <(pp_cross_packages "$a")
		pp_install "${pkgs[@]}"
		took_install[$a]=$((SECONDS - t0))

		pp_log "cross-build $a: configure --host=$triplet --enable-werror --with-cmocka=no, make"
		t0=$SECONDS
		dir=$PP_TOP/build-$cpu
		cross_configure "$dir" --with-cmocka=no
		make -s -C "$dir" -j"$JOBS" >/dev/null
		check_elf "$dir/pmemplan" "$machine"
		took_build[$a]=$((SECONDS - t0))
		echo "$dir/pmemplan: $(LC_ALL=C readelf -h "$dir/pmemplan" |
			sed -n 's/^ *Machine: *//p'), needs $(LC_ALL=C readelf -d "$dir/pmemplan" |
			sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"

		((CHECK)) || continue
		pp_log "cross-build $a: make check under qemu-user ($qemu)"
		t0=$SECONDS
		mapfile -t pkgs < <(pp_cross_check_packages "$a")
		pp_install "${pkgs[@]}"
		dir=$PP_TOP/build-$cpu-check
		cross_configure "$dir" --with-cmocka=yes
		# the tool and the check programs (a check of no tests), before
		# the lock is taken
		make -s -C "$dir" -j"$JOBS" check TESTS= >/dev/null
		qemu_wrapper "$dir"
		t1=$SECONDS
		exec 9>"$PP_QEMU_LOCK"
		flock 9
		waited[$a]=$((SECONDS - t1))
		# unit tests (no extension): LOG_COMPILER; the CLI tests run
		# the wrapper; the .sh tests themselves run on this machine
		make -s -C "$dir" -j"$JOBS" check LOG_COMPILER="$qemu" \
			PP_TEST_PMEMPLAN="$dir/pmemplan-qemu" >"$dir/check.log" 2>&1 || {
			cat "$dir/check.log" "$dir/test-suite.log"
			exit 1
		}
		exec 9>&-
		took_run[$a]=$((SECONDS - t1 - waited[$a]))
		grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR)' "$dir/check.log" | tr '\n' ' '
		echo
		took_check[$a]=$((SECONDS - t0 - waited[$a]))
	done

	pp_log "cross-build: seconds per architecture"
	# check: its install, build and run; qemu: the run under qemu-user
	printf '  %-8s %8s %8s %8s %8s %8s %10s\n' arch install build check qemu total lock-wait
	for a in "${archs[@]}"; do
		printf '  %-8s %8d %8d %8s %8s %8d %10s\n' "$a" "${took_install[$a]}" \
			"${took_build[$a]}" "${took_check[$a]:--}" "${took_run[$a]:--}" \
			$((took_install[$a] + took_build[$a] + ${took_check[$a]:-0})) \
			"${waited[$a]:--}"
	done
	printf '  %-8s %8d   (dpkg --add-architecture + apt-get update, once)\n' update "$t_update"
	printf '  %-8s %8d\n' all $((SECONDS - t_all))
}

main "$@"
