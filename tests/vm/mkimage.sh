#!/usr/bin/env bash
# Usage: mkimage.sh [--force]
#
# Builds the real Debian 12 system the tests of debian-vm.sh boot, and
# prints the directory that holds it:
#   tree/               the root file system (its boot/ has both kernels)
#   disk.img            the same as an ext4 image (raw, for -drive), made
#                       from tree/ with mkfs.ext4 -d: no loop device, no mount
#   id_root, id_operator        ssh keys of root and of the unprivileged
#                       user operator (their .pub in authorized_keys)
#   known_hosts         the guest's host key, under the alias pmemplan-debian-vm
#   inputs              the hash of what built it
#
# The system: mmdebstrap, variant important, bookworm plus bookworm-backports
# from the archive this machine's apt sources name; systemd, udev, openssh,
# ndctl, daxctl, Debian's 6.1 kernel and bookworm-backports' 6.12 with their
# initramfs, bash-completion, sudo, and the libraries pmemplan's package
# depends on (so that "apt install ./pmemplan_*.deb" works offline).
#
# Cached under $PMEMPLAN_VM_CACHE/debian-image (default tests/vm/.cache);
# rebuilt only when this script changes (its hash is the input) or with
# --force (to pick up newer packages).  Needs root (mmdebstrap's root mode,
# chroot).  Cold build: about 4 minutes here (README.md).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGE=$VM_CACHE/debian-image
DISK_SIZE=4G
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# The host key's name in known_hosts: the forwarded port changes every boot.
HOST_ALIAS=pmemplan-debian-vm

# What the guest runs.  The libraries are pmemplan's run-time dependencies
# (debian/control's ${shlibs:Depends}); the rest is what a user's machine has.
PACKAGES=(
	systemd-sysv udev openssh-server kmod initramfs-tools linux-image-amd64
	ndctl daxctl bash-completion sudo man-db less
	libndctl6 libdaxctl1 libcxl1 libkmod2 libjson-c5 libsmartcols1 libblkid1 libuuid1
)

usage() {
	echo "usage: ${0##*/} [--force]" >&2
	exit 2
}

# The hash of everything that decides the image: this script (the package
# list, the hooks, the configuration written below).
inputs_hash() {
	sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1
}

# The apt sources of the image: the suites this machine's apt names, on the
# same archive, plus bookworm-backports there (for 6.12).
sources() {
	local uri suite
	uri=$(vm_archive_uri "$VM_SUITE") ||
		vm_die "no '$VM_SUITE' suite in this machine's apt sources; cannot derive the archive URI"
	for suite in "$VM_SUITE" "$VM_SUITE-updates" "$VM_SUITE-backports"; do
		echo "deb [signed-by=$KEYRING] $uri $suite main"
	done
	uri=$(vm_archive_uri "$VM_SUITE-security") || return 0
	echo "deb [signed-by=$KEYRING] $uri $VM_SUITE-security main"
}

# Configuration of the root tree $1, written from the host after
# mmdebstrap: the disk, the network, ssh keys, the user operator, and less
# to do at boot.
configure_tree() {
	local t=$1 dir=$2 u home
	echo debian-vm >"$t/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian-vm\n' >"$t/etc/hosts"
	echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$t/etc/fstab"
	# One machine id for every boot of every copy: the journal stays in
	# one directory across reboots.
	echo 5f0b2bd4a6a84c6c9d7e1c4f2a3b9e01 >"$t/etc/machine-id"
	# QEMU's user network: DHCP on whatever the NIC is called.
	mkdir -p "$t/etc/systemd/network"
	printf '[Match]\nType=ether\n\n[Network]\nDHCP=ipv4\n' >"$t/etc/systemd/network/10-vm.network"
	chroot "$t" systemctl enable -q systemd-networkd.service
	# Nothing waits for "network online", and no timer runs in a test.
	chroot "$t" systemctl mask -q systemd-networkd-wait-online.service \
		apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer \
		fstrim.timer logrotate.timer
	# The unprivileged user: its own group is taken (base-passwd has a
	# group "operator", gid 37), so it joins "users"; /etc/skel's .bashrc
	# loads bash-completion in interactive shells, as on any install.
	chroot "$t" useradd -m -s /bin/bash -g users operator
	for u in root operator; do
		home=/root
		[[ $u == root ]] || home=/home/$u
		ssh-keygen -q -t ed25519 -N '' -C "$u@$HOST_ALIAS" -f "$dir/id_$u"
		install -d -m 700 "$t$home/.ssh"
		install -m 600 "$dir/id_$u.pub" "$t$home/.ssh/authorized_keys"
		chroot "$t" chown -R "$u:" "$home/.ssh"
	done
	# The host keys openssh-server's postinst made.
	awk -v a="$HOST_ALIAS" '{ print a, $1, $2 }' "$t"/etc/ssh/ssh_host_*_key.pub >"$dir/known_hosts"
	ls "$t"/boot/vmlinuz-6.1.* "$t"/boot/vmlinuz-6.12.* >/dev/null 2>&1 ||
		vm_die "the image lacks a 6.1 or a 6.12 kernel: $(ls "$t/boot")"
}

build() {
	local dir=$IMAGE.tmp t0=$SECONDS
	rm -rf "$dir"
	mkdir -p "$dir"
	vm_log "building the Debian image (mmdebstrap, a few minutes)"
	# The 6.12 kernel comes from backports through linux-image-amd64 of
	# that suite; the 6.1 one it replaces as the meta package's target
	# stays installed.  policy-rc.d keeps services from starting in the
	# chroot.
	# shellcheck disable=SC2016 # "$1" is the hook's: the chroot
	sources | mmdebstrap --quiet --variant=important --mode=root \
		--include="$(IFS=,; echo "${PACKAGES[*]}")" \
		--customize-hook='chroot "$1" apt-get install -y -q -t bookworm-backports linux-image-amd64 >/dev/null' \
		"$VM_SUITE" "$dir/tree" - ||
		vm_die "mmdebstrap failed"
	configure_tree "$dir/tree" "$dir"
	truncate -s "$DISK_SIZE" "$dir/disk.img"
	mkfs.ext4 -q -L debian-vm -d "$dir/tree" -F "$dir/disk.img" ||
		vm_die "mkfs.ext4 -d failed"
	inputs_hash >"$dir/inputs"
	rm -rf "$IMAGE"
	mv "$dir" "$IMAGE"
	vm_log "image built in $((SECONDS - t0)) s: $(du -sh --apparent-size "$IMAGE/tree" | cut -f1) tree, kernels$(printf ' %s' "$IMAGE"/tree/boot/vmlinuz-* | sed "s|[^ ]*/vmlinuz-||g")"
}

# shellcheck disable=SC2317 # run through vm_locked
ensure() {
	local force=$1
	if ((!force)) && [[ -s $IMAGE/disk.img && -s $IMAGE/inputs ]] &&
		[[ $(cat "$IMAGE/inputs") == "$(inputs_hash)" ]]; then
		return 0
	fi
	[[ $(id -u) == 0 ]] || vm_die "building the image needs root (mmdebstrap, chroot)"
	vm_need_pkgs mmdebstrap e2fsprogs openssh-client debian-archive-keyring
	build
}

main() {
	local force=0
	case ${1:-} in
	'') ;;
	--force) force=1 ;;
	*) usage ;;
	esac
	vm_locked "$VM_CACHE/.lock-debian-image" ensure "$force"
	echo "$IMAGE"
}

main "$@"
