#!/usr/bin/env bash
# Installs what pmemplan needs to build and test (Debian 12 packages) and
# builds it out of tree.  Sourced by demo.sh and run-all.sh; run alone it
# just builds:   tests/build.sh [BUILD_DIR [CONFIGURE_ARGS...]]
set -euo pipefail

PP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PP_PACKAGES=(
	build-essential autoconf automake pkg-config
	libndctl-dev libdaxctl-dev libcxl-dev libkmod-dev libjson-c-dev
	libsmartcols-dev libblkid-dev uuid-dev libcmocka-dev
	jq time xz-utils
	qemu-system-x86 busybox-static ndctl daxctl kmod cpio
	clang libclang-rt-14-dev valgrind cppcheck clang-tidy bear gcovr
)

# What tests/cross-build.sh installs per Debian architecture ARCH (arm64,
# ppc64el), beside the native packages above: the cross toolchain, the
# TRIPLET-pkg-config wrapper and the -dev:ARCH of every library configure
# checks (all Multi-Arch: same).  The make check of a cross build on the
# target's ABI adds qemu-user and the target's cmocka.
pp_cross_packages() {
	local p
	printf '%s\n' "crossbuild-essential-$1" "pkgconf:$1"
	for p in libndctl-dev libdaxctl-dev libcxl-dev libkmod-dev libjson-c-dev \
		libsmartcols-dev libblkid-dev uuid-dev; do
		printf '%s\n' "$p:$1"
	done
}
pp_cross_check_packages() { printf '%s\n' qemu-user "libcmocka-dev:$1"; }

pp_log() { printf '\n### %s\n' "$*"; }

# shellcheck source=apt.sh
. "$PP_TOP/tests/apt.sh"

# apt-get only for what is missing; one "apt-get update" when a fresh
# machine's package lists are empty or stale.
pp_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	pp_log "installing ${missing[*]}"
	[ "$(id -u)" = 0 ] || { echo "run as root to install ${missing[*]}" >&2; return 1; }
	pp_apt_install "${missing[@]}" || { echo "cannot install ${missing[*]}" >&2; return 1; }
}

# pp_build DIR [configure args...]: autoreconf once, configure and make.
# A native build of the test command: cmocka is required (--with-cmocka=yes),
# so that the unit tests cannot drop out of "make check" unnoticed.
pp_build() {
	local dir=$1
	shift
	[ -x "$PP_TOP/configure" ] || (cd "$PP_TOP" && autoreconf -fi >/dev/null 2>&1) ||
		(cd "$PP_TOP" && autoreconf -fi)
	mkdir -p "$dir"
	(cd "$dir" && "$PP_TOP/configure" -q --with-cmocka=yes "$@" && make -s -j"$(nproc)")
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	pp_install "${PP_PACKAGES[@]}"
	pp_build "${1:-$PP_TOP/build}" "${@:2}"
fi
