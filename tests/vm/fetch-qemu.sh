#!/usr/bin/env bash
# Usage: fetch-qemu.sh
#
# Downloads bookworm-backports' QEMU (qemu-system-x86, -common, -data and
# the seabios it wants) and prints the directory it was unpacked into:
#   usr/bin/qemu-system-x86_64   the emulator
#   usr/share/qemu, usr/share/seabios   its firmware (run it with -L)
#   version                      the package version
#
# Why: CXL memory expanders in a guest.  Debian 12's QEMU 7.2 has no
# volatile CXL memory (cxl-type3 volatile-memdev), its type-3 device
# silently drops writes to the window without a second root port, and the
# 6.12 kernel's cxl_pci fails on it ("Failed to get interrupt for event
# Info log").  bookworm-backports' QEMU 10.0 has both memdevs and works
# with 6.12.  It is built for bookworm, so the machine's own libraries
# serve it; the packages are never installed, only unpacked with dpkg -x
# (the system's QEMU stays as it is).
#
# The archive URI is this machine's (lib.sh vm_archive_uri), reached
# through the private apt state of private-apt.sh.  The result is cached
# in $PMEMPLAN_VM_CACHE/qemu-backports; delete it to fetch a newer build.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=private-apt.sh
. "$VM_DIR/private-apt.sh"

PKGS=(qemu-system-x86 qemu-system-common qemu-system-data seabios)

# shellcheck disable=SC2317 # run through vm_locked
fetch_locked() {
	local dest=$VM_CACHE/qemu-backports tmp deb p
	local -a want=() libs=()
	if [[ -x $dest/usr/bin/qemu-system-x86_64 && -f $dest/version ]]; then
		printf '%s\n' "$dest"
		return 0
	fi
	vm_need_pkgs debian-archive-keyring
	tmp=$dest.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp/download"
	vm_papt_setup "$VM_CACHE/apt-$VM_SUITE-backports-qemu"
	for p in "${PKGS[@]}"; do
		want+=("$p/$VM_SUITE-backports")
	done
	vm_log "downloading ${PKGS[*]} from $VM_SUITE-backports"
	vm_papt_download "$tmp/download" "${want[@]}"
	for deb in "$tmp"/download/*.deb; do
		dpkg -x "$deb" "$tmp"
	done
	# the libraries they link (their Depends, first alternatives), from
	# the machine's own suite: backports build against it
	mapfile -t libs < <(for deb in "$tmp"/download/*.deb; do
		dpkg-deb -f "$deb" Depends
	done | tr ',' '\n' | sed -E 's/^ *//; s/[ |(].*//' |
		grep -vE '^(qemu-|seabios|ipxe-qemu|$)' | sort -u)
	((${#libs[@]} == 0)) || vm_need_pkgs "${libs[@]}"
	dpkg-deb -f "$tmp"/download/qemu-system-x86_*.deb Version >"$tmp/version"
	rm -rf "$tmp/download"
	"$tmp/usr/bin/qemu-system-x86_64" --version >/dev/null ||
		vm_die "the unpacked qemu-system-x86_64 does not run on this machine"
	rm -rf "$dest"
	mv "$tmp" "$dest"
	vm_log "QEMU $(cat "$dest/version") cached in $dest"
	printf '%s\n' "$dest"
}

[[ $# -eq 0 ]] || { echo "usage: ${0##*/}" >&2; exit 2; }
vm_locked "$VM_CACHE/.lock-qemu-backports" fetch_locked
