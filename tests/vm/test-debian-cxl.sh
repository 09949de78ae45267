#!/usr/bin/env bash
# CXL ram on the real Debian 12 system (mkimage.sh, booted by
# debian-vm.sh, issue 13): Debian's 6.12 with systemd and udev on q35 with
# a 4 GiB CXL type-3 memory expander (bookworm-backports' QEMU 10) and
# 66 GiB of RAM, so 2 GiB memory blocks: the window is not block-aligned.
#   - the package installed with apt; a ram region made through the
#     kernel's sysfs ABI (guest/helpers.sh cxl_ram_region_all; cxl-cli
#     76.1 cannot make ram regions, and QEMU's firmware commits no
#     decoders, so no region exists at boot)
#   - what the system does by itself, with nobody asking: udev loads the
#     modules the new devices' aliases name, dax_cxl makes one dax device,
#     kmem takes it, auto_online_blocks (online on 6.12) onlines its
#     block-aligned middle into ZONE_NORMAL (iomem, sysfs)
#   - the plain "pmemplan apply", as a user types it: the devices plan
#     showed, their drivers, the System RAM (kmem) range in /proc/iomem,
#     the blocks online movable, MemTotal grown by the plan's ram_gain
#     from before the region existed; after udev has handled the devices
#     apply made (Debian's daxctl rule runs for each) nothing changed and
#     no systemd unit failed that had not failed before; a second apply
#     has nothing to do
#
#   test-debian-cxl.sh PATH-TO-DEB [KERNEL...]      (default 6.12; 6.1 has
#                                                   no ram regions)
#
# Two boots: Debian's default policy, where the region comes up in
# ZONE_NORMAL and apply may find pages it cannot move (then it must say so
# and change nothing), and memhp_default_state=online_movable, where it
# must divide the region.
#
# Needs root (the image build, QEMU).  The boot holds /tmp/pmemplan-vm.lock
# (debian-vm.sh).  PMEMPLAN_VM_KEEP=1 keeps the guest's directory.  The
# hot-plugged CXL memory is never filled (QEMU 10.0.2 segfaults when the
# guest's pages land there).  Prints one line per check; exits 1 if any
# failed.
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
# shellcheck disable=SC2016 # the guest's scripts, in single quotes, are the guest's
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=debian-vm.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-vm.sh"

dvm_driver_init debian-cxl "$@"
[[ $# -gt 1 ]] || kernels=(6.12)

# What the kernel shows, one fact a line, into $1: each System RAM (kmem)
# range and the blocks in it, every dax device "dax NAME SIZE START DRIVER",
# the policy and MemTotal (kB).
kernel_state() {
	dvm_ssh "$DVM_KMEM_BLOCKS_SH"'
		for d in /sys/bus/dax/devices/dax*; do
			[ -e "$d" ] || continue
			drv=$(readlink "$d/driver")
			echo "dax ${d##*/} $(cat "$d/size") $(($(cat "$d/resource"))) ${drv##*/}"
		done
		echo "policy $(cat /sys/devices/system/memory/auto_online_blocks)"
		echo "blocksize $((0x$(cat /sys/devices/system/memory/block_size_bytes)))"
		echo "memtotal $(awk "/^MemTotal:/ { print \$2 }" /proc/meminfo)"' >"$1" 2>&1
}

failed_units() {
	dvm_ssh 'systemctl --failed --plain --no-legend | cut -d" " -f1 | sort' >"$1" 2>&1
}

# The kmem range of state file $1, "START END" (hex, inclusive end), and
# its blocks' "STATE ZONE" counted.
kmem_of() { awk '$1 == "kmem" { print $2 }' "$1" | tr '-' ' '; }
zones_of() { awk '$1 == "block" { print $3, $4 }' "$1" | sort | uniq -c | awk '{ $1 = $1; print }'; }

# The checks of an apply that went through: state files of $dir.
judge_applied() {
	local want got s e f before after gain sum z
	want=$(jq -r '.cxl_regions[0].devices[] |
		"\(.start) \(.size) \(if .mode == "system-ram" then "kmem" else "device_dax" end)"' "$dir/plan" | sort)
	got=$(awk '$1 == "dax" && $3 > 0 { print $4, $3, $5 }' "$dir/state-apply" | sort)
	# the plan's devices, and together the whole region (sysfs, before)
	[[ -n $want && $want == "$got" ]] &&
		[[ $(sum=0; while read -r _ z _; do sum=$((sum + z)); done <<<"$got"; echo $sum) == \
			"$(awk '$1 == "dax" { print $3 }' "$dir/state-default")" ]] &&
		ok "$label: apply: the dax devices and drivers are the plan's ($(wc -l <<<"$got") devices, sysfs), tiling the region" ||
		fail "$label: apply: sysfs $(tr '\n' ';' <<<"$got"), plan $(tr '\n' ';' <<<"$want")"
	read -r s e < <(kmem_of "$dir/state-apply") || s=''
	f=$(jq -r '.cxl_regions[0].devices[] | select(.mode == "system-ram") | "\(.start) \(.size)"' "$dir/plan")
	# the kmem range: the planned device's, and the one the kernel chose
	# by itself for the whole region (its block-aligned middle)
	[[ -n $s && $((16#$s)) == "${f% *}" && $((16#$e + 1)) == $((${f% *} + ${f#* })) ]] &&
		[[ "$s $e" == "$(kmem_of "$dir/state-default")" ]] &&
		[[ $(zones_of "$dir/state-apply") == "$((${f#* } / $(awk '$1 == "blocksize" { print $2 }' "$dir/state-apply"))) online Movable" ]] &&
		ok "$label: apply: System RAM (kmem) 0x$s-0x$e, the planned device's range and the kernel's own for the region, every block online Movable" ||
		fail "$label: apply: kmem ${s:-none}-${e:-}, planned $f; blocks $(zones_of "$dir/state-apply")"
	before=$(awk '$1 == "memtotal" { print $2 }' "$dir/state-boot")
	after=$(awk '$1 == "memtotal" { print $2 }' "$dir/state-apply")
	gain=$(jq -r '.cxl_regions[0].ram_gain' "$dir/plan")
	[[ $(((after - before) * 1024)) == "$gain" ]] &&
		ok "$label: apply: MemTotal $((((after - before) * 1024) >> 20)) MiB above the boot's, the plan's ram_gain" ||
		fail "$label: apply: MemTotal grew $(((after - before) * 1024)) bytes since boot, plan's ram_gain $gain"
	# what udev and systemd do with the devices apply made
	sleep 5
	dvm_ssh 'udevadm settle' || :
	kernel_state "$dir/state-settled"
	failed_units "$dir/failed-after"
	cmp -s "$dir/state-apply" "$dir/state-settled" &&
		ok "$label: after udev handled the new dax devices: the kernel's state unchanged" ||
		{ fail "$label: udev or systemd changed the state after apply"; show_diff "$dir/state-apply" "$dir/state-settled"; }
	[[ -z $(comm -13 "$dir/failed-before" "$dir/failed-after") ]] &&
		ok "$label: no systemd unit failed that had not before ($(wc -l <"$dir/failed-before") at boot: $(tr '\n' ' ' <"$dir/failed-before"))" ||
		fail "$label: units failed since apply: $(comm -13 "$dir/failed-before" "$dir/failed-after" | tr '\n' ' ')"
	dvm_ssh 'pmemplan apply; echo "exit $?"' >"$dir/again" 2>&1 || :
	kernel_state "$dir/state-again"
	grep -q '^nothing to do' "$dir/again" && grep -qx 'exit 0' "$dir/again" &&
		cmp -s "$dir/state-settled" "$dir/state-again" &&
		ok "$label: apply again: nothing to do, exit 0, nothing changed" ||
		fail "$label: apply again: $(tr '\n' ' ' <"$dir/again" | head -c 300)"
}

# run_boot KERNEL LABEL ZONE [KERNEL-ARG...]: a fresh guest booted with
# the arguments, the region made, the kernel's layout judged (its blocks
# online in ZONE), then the plain apply.  Under the boot's default policy
# (auto_online_blocks=online: ZONE_NORMAL) the kernel may already hold
# pages there it cannot move: apply then fails offlining them, says what
# to boot with, and rolls back to the same state; else (and always with
# memhp_default_state=online_movable) it divides the region.
run_boot() {
	local k=$1 zone=$3 rs f s e got
	label=$2
	shift 3
	dir=$out/$k-$label
	current="$k $label"
	echo "== $k $label${1:+ ($*)}"
	dvm_init "$dir"
	dvm_cxl ram=4G
	DVM_APPEND=("$@")
	if ! PMEMPLAN_VM_MEM=66G dvm_boot "$k"; then
		fail "$label: the guest gave no ssh login"
		show_file "$DVM_CONSOLE" 20
		dvm_stop
		return
	fi
	echo "== $k $label: ssh after $DVM_BOOT_SECONDS s (lock: $DVM_LOCK_SECONDS s)"
	dvm_install_deb "$k" "$dir/install" || { dvm_stop; return; }
	dvm_scp "$VM_DIR/guest/helpers.sh" /tmp/
	kernel_state "$dir/state-boot"
	failed_units "$dir/failed-before"
	# the region; then what udev and the kernel do by themselves
	dvm_ssh '. /tmp/helpers.sh; r=$(cxl_ram_region_all) || exit 1
		udevadm settle
		echo "region $r $(($(cat /sys/bus/cxl/devices/$r/resource))) $(($(cat /sys/bus/cxl/devices/$r/size)))"
		for i in $(seq 30); do
			[ -e /sys/bus/dax/devices/dax0.0/driver ] && break
			sleep 1
		done
		udevadm settle' >"$dir/region" 2>&1 ||
		{ fail "$label: creating the ram region: $(tr '\n' ' ' <"$dir/region")"; dvm_stop; return; }
	read -r _ _ rs f < <(grep '^region ' "$dir/region")
	kernel_state "$dir/state-default"
	got=$(awk '$1 == "dax" { print $2, $3, $4, $5 }' "$dir/state-default")
	read -r s e < <(kmem_of "$dir/state-default") || s=''
	[[ $got == "dax0.0 $f $rs kmem" && -n $s ]] &&
		[[ $(zones_of "$dir/state-default") =~ ^[0-9]+\ online\ $zone$ ]] &&
		ok "$label: by itself: udev loaded dax_cxl and kmem, dax0.0 over the whole region is kmem, System RAM (kmem) 0x$s-0x$e, online $zone (auto_online_blocks $(awk '$1 == "policy" { print $2 }' "$dir/state-default"))" ||
		fail "$label: by itself: $(tr '\n' ';' <"$dir/state-default" | head -c 400)"
	dvm_ssh 'pmemplan plan --json' >"$dir/plan" 2>"$dir/plan.err" ||
		fail "$label: pmemplan plan: $(head -3 "$dir/plan.err")"
	dvm_ssh 'pmemplan apply; echo "exit $?"' >"$dir/apply" 2>&1 || :
	show_file "$dir/apply" 12
	kernel_state "$dir/state-apply"
	if grep -qx 'exit 0' "$dir/apply"; then
		ok "$label: the plain pmemplan apply: exit 0"
		judge_applied
	elif [[ $zone == Normal ]] && grep -q 'cannot move.*memhp_default_state=online_movable.*; rolled back' "$dir/apply" &&
		grep -qx 'exit 1' "$dir/apply" && cmp -s "$dir/state-default" "$dir/state-apply"; then
		ok "$label: the plain pmemplan apply: the kernel keeps pages in ZONE_NORMAL it cannot move; exit 1, says to boot with memhp_default_state=online_movable, rolled back: iomem, dax devices, blocks and MemTotal as before"
	else
		fail "$label: pmemplan apply: $(tr '\n' ' ' <"$dir/apply" | head -c 400)"
		show_diff "$dir/state-default" "$dir/state-apply"
	fi
	dvm_stop
}

for k in "${kernels[@]}"; do
	if [[ $k == 6.1 ]]; then
		echo "== 6.1: skipped (no CXL ram regions before 6.3: no create_ram_region, no dax_cxl)"
		continue
	fi
	run_boot "$k" default Normal
	run_boot "$k" movable Movable memhp_default_state=online_movable
done
vm_finish "CXL on the Debian system"
