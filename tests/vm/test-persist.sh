#!/usr/bin/env bash
# Boot persistence on the real Debian 12 system (mkimage.sh, booted by
# debian-vm.sh), on each kernel, with a fresh labelled 4 GiB NVDIMM:
#   - the package installed with apt puts pmemplan's udev rule and its unit
#     pmemplan-restore@.service where udev and systemd read them
#   - "pmemplan apply --write-config", as a user types it: System RAM, a
#     section in /etc/daxctl.conf.d/pmemplan.conf
#   - a clean reboot: the unit ran for the dax device (its line in the
#     journal, exit 0), and the kernel shows the same as before: the same
#     "System RAM (kmem)" ranges in /proc/iomem, every memory block of them
#     online in ZONE_MOVABLE (state and valid_zones), the same ndctl and
#     daxctl lists, auto_online_blocks (online on 6.12) and MemTotal; Debian's
#     own daxctl rule fails beside it, harmlessly
#   - the section changed to movable = false, then back: "apply --restore
#     DEV" moves the blocks to the recorded zone (or says why it cannot)
#   - "pmemplan apply --remove-config", a clean reboot: no kmem at all, the
#     namespaces still there, the dax device devdax, the policy as before
#   - "pmemplan apply --zone=normal --write-config" then, a clean reboot:
#     the same kmem, every block online in ZONE_NORMAL again
#
#   test-persist.sh PATH-TO-DEB [KERNEL...]      (default kernels: 6.1 6.12)
#
# Needs root (the image build, QEMU).  Each boot holds /tmp/pmemplan-vm.lock
# (debian-vm.sh).  PMEMPLAN_VM_KEEP=1 keeps the guests' directories.  Prints
# one line per check; exits 1 if any failed.
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
# shellcheck disable=SC2016 # the guest's scripts, in single quotes, are the guest's
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=debian-vm.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-vm.sh"

dvm_driver_init persist "$@"

CONF=/etc/daxctl.conf.d/pmemplan.conf


# What the kernel shows of the memory, one fact a line, into $1:
#   kmem START-END          each "System RAM (kmem)" range of /proc/iomem
#   block memoryN STATE ZONE  every memory block inside those ranges
#   policy VALUE            auto_online_blocks
#   memtotal KB
kernel_state() {
	dvm_ssh "$DVM_KMEM_BLOCKS_SH"'
		echo "policy $(cat /sys/devices/system/memory/auto_online_blocks)"
		echo "memtotal $(awk "/^MemTotal:/ { print \$2 }" /proc/meminfo)"' >"$1" 2>&1
}

# ndctl's and daxctl's view: namespaces, dax devices and their mode.
lists() {
	dvm_ssh 'ndctl list -RNi; daxctl list -D' >"$1" 2>&1
}

# Waits until systemd is done with pmemplan-restore@$2.service: the
# journal of this boot says it finished, failed or was skipped for its
# condition.  libnvdimm probes asynchronously, so the dax device (and the
# unit udev asks for) may come after ssh works and after systemd says it
# has booted.  The unit's properties do not tell: an inactive unit nothing
# holds is unloaded, and systemctl show then gives a fresh one's.  Its
# journal, each line with the seconds since the kernel started, goes to
# $dir/unit-$1.
wait_unit() {
	local n=$1 dev=$2
	dvm_ssh "u=pmemplan-restore@$dev.service
		for i in \$(seq 240); do
			journalctl -b -q -o short-monotonic -u \$u >/tmp/unit 2>&1
			grep -q 'Finished pmemplan-restore\\|Failed to start\\|was skipped because' /tmp/unit && break
			sleep 1
		done
		cat /tmp/unit" >"$dir/unit-$n" 2>&1 || :
}

# The seconds since the kernel started of the first line of $dir/unit-$1
# matching $2.
unit_time() { grep -m1 -- "$2" "$dir/unit-$1" | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'; }

install_package() {
	local k=$1 f=$dir/install
	dvm_install_deb "$k" "$f" || return 1
	dvm_ssh 'ls /lib/udev/rules.d/90-pmemplan.rules /lib/systemd/system/pmemplan-restore@.service || exit 1
		systemd-analyze verify pmemplan-restore@dax0.0.service' >"$f" 2>&1 &&
		ok "installed: 90-pmemplan.rules, pmemplan-restore@.service (systemd-analyze verify: no complaint)" ||
		{ fail "$k: the udev rule or the unit is missing or wrong"; show_file "$f"; }
}

# The plain command on a fresh NVDIMM; the record it writes.
apply_write_config() {
	local k=$1 f=$dir/apply
	dvm_ssh "pmemplan apply --write-config; echo \"rc \$?\"; cat $CONF" >"$f" 2>&1 || :
	grep -qx 'rc 0' "$f" && grep -q '^wrote 1 section to /etc/daxctl.conf.d/pmemplan.conf' "$f" &&
		grep -qx 'movable = true' "$f" &&
		ok "pmemplan apply --write-config: exit 0, 1 section, movable = true" ||
		{ fail "$k: pmemplan apply --write-config"; show_file "$f" 40; return 1; }
}

# Judges the state after a reboot with the record: $1 the kernel.
check_restored() {
	local k=$1 dev=$2 f=$dir/journal-2 nblocks m1 m2
	wait_unit 2 "$dev"
	grep -q "Finished pmemplan-restore@$dev.service" "$dir/unit-2" &&
		! grep -q 'Failed' "$dir/unit-2" &&
		ok "pmemplan-restore@$dev.service: started $(unit_time 2 Starting) s after the kernel, finished at $(unit_time 2 Finished) s" ||
		{ fail "$k: pmemplan-restore@$dev.service did not finish"; show_file "$dir/unit-2"; }
	kernel_state "$dir/kernel-2"
	lists "$dir/lists-2"
	grep -q '^kmem ' "$dir/kernel-2" &&
		cmp -s <(grep '^kmem ' "$dir/kernel-1") <(grep '^kmem ' "$dir/kernel-2") &&
		ok "reboot: the same System RAM (kmem) in /proc/iomem: $(sed -n 's/^kmem //p' "$dir/kernel-2" | paste -sd ' ')" ||
		{ fail "$k: kmem after the reboot is not what it was"; show_diff "$dir/kernel-1" "$dir/kernel-2"; }
	nblocks=$(grep -c '^block ' "$dir/kernel-2") || :
	((nblocks > 0)) && ! grep '^block ' "$dir/kernel-2" | grep -qv ' online Movable$' &&
		cmp -s <(grep '^block ' "$dir/kernel-1") <(grep '^block ' "$dir/kernel-2") &&
		ok "reboot: all $nblocks memory blocks online in ZONE_MOVABLE (state, valid_zones), as before" ||
		{ fail "$k: memory blocks not all online movable after the reboot"; show_diff "$dir/kernel-1" "$dir/kernel-2"; }
	grep -v '^kmem \|^block ' "$dir/kernel-1" >"$dir/other-1" || :
	grep -v '^kmem \|^block ' "$dir/kernel-2" >"$dir/other-2" || :
	# MemTotal: a few kB differ between any two boots (what the kernel
	# reserves early); one block missing would be 128 MiB.
	m1=$(sed -n 's/^memtotal //p' "$dir/kernel-1") m2=$(sed -n 's/^memtotal //p' "$dir/kernel-2")
	cmp -s <(grep '^policy ' "$dir/other-1") <(grep '^policy ' "$dir/other-2") &&
		[[ -n $m1 && -n $m2 ]] && ((m1 - m2 < 1024 && m2 - m1 < 1024)) &&
		ok "reboot: $(grep '^policy ' "$dir/kernel-2") as before, MemTotal $m2 kB (before: $m1 kB)" ||
		{ fail "$k: auto_online_blocks or MemTotal changed"; show_diff "$dir/other-1" "$dir/other-2"; }
	cmp -s "$dir/lists-1" "$dir/lists-2" &&
		ok "reboot: ndctl list -RNi, daxctl list -D as before ($(jq -r '.[].mode' "$dir/lists-2" 2>/dev/null | tail -n 1))" ||
		{ fail "$k: ndctl or daxctl lists changed"; show_diff "$dir/lists-1" "$dir/lists-2"; }
	dvm_ssh "journalctl -b -o cat -u 'pmemplan-restore@*';
		journalctl -b -o cat -u systemd-udevd | grep -F 'daxctl -C'" >"$f" 2>&1 || :
	grep -q "^$dev: System RAM 0x[0-9a-f]*-0x[0-9a-f]*, $nblocks blocks online movable" "$f" &&
		grep -q "pmemplan-restore@$dev.service: Deactivated successfully" "$f" &&
		ok "journal: pmemplan-restore@$dev.service ran, exit 0: \"$(grep "^$dev: System RAM" "$f")\"" ||
		{ fail "$k: the journal shows no successful pmemplan-restore@$dev.service"; show_file "$f"; }
	grep -q "failed with exit code 129" "$f" &&
		ok "Debian's daxctl rule failed beside it, harmlessly: \"$(grep -m1 'exit code 129' "$f" | sed 's/.*: Process/Process/')\"" ||
		ok "(Debian's daxctl rule left no failure in the journal)"
}

check_removed() {
	local k=$1 dev=$2 f=$dir/remove
	dvm_ssh "pmemplan apply --remove-config; echo \"rc \$?\"; ls $CONF" >"$f" 2>&1 || :
	grep -qx 'rc 0' "$f" && grep -q "^removed $CONF" "$f" && grep -q 'No such file' "$f" &&
		ok "pmemplan apply --remove-config: exit 0, $CONF gone" ||
		{ fail "$k: --remove-config"; show_file "$f"; return 1; }
	if ! dvm_reboot "$k"; then
		fail "$k: the reboot after --remove-config failed"
		return 1
	fi
	echo "== $k: rebooted without a record: ssh after $DVM_BOOT_SECONDS s (lock: $DVM_LOCK_SECONDS s)"
	wait_unit 3 "$dev"
	grep -q "was skipped because .*ConditionPathExists=$CONF" "$dir/unit-3" &&
		! grep -q 'Starting pmemplan-restore' "$dir/unit-3" &&
		ok "pmemplan-restore@$dev.service: asked for by udev, skipped for its condition at $(unit_time 3 skipped) s (no $CONF)" ||
		{ fail "$k: pmemplan-restore@$dev.service was not skipped"; show_file "$dir/unit-3"; }
	kernel_state "$dir/kernel-3"
	lists "$dir/lists-3"
	! grep -q '^kmem ' "$dir/kernel-3" && ! grep -q 'System RAM (kmem)' "$dir/kernel-3" &&
		ok "reboot after --remove-config: no System RAM (kmem) in /proc/iomem" ||
		{ fail "$k: kmem after --remove-config and a reboot"; show_file "$dir/kernel-3"; }
	jq -e '[.[] | select(.mode == "devdax")] | length == 1' "$dir/lists-3" >/dev/null 2>&1 &&
		[[ $(jq -s '[.[0][] | .namespaces // [] | .[] | .uuid] | sort' "$dir/lists-1" 2>/dev/null) == \
		   $(jq -s '[.[0][] | .namespaces // [] | .[] | .uuid] | sort' "$dir/lists-3" 2>/dev/null) ]] &&
		ok "the namespaces are still there, the dax device is devdax" ||
		{ fail "$k: namespaces or dax device after --remove-config"; show_diff "$dir/lists-1" "$dir/lists-3"; }
	cmp -s <(grep '^policy ' "$dir/kernel-1") <(grep '^policy ' "$dir/kernel-3") &&
		ok "$(grep '^policy ' "$dir/kernel-3") as before" ||
		{ fail "$k: the policy changed"; show_diff "$dir/kernel-1" "$dir/kernel-3"; }
	dvm_ssh "journalctl -b -o cat -u 'pmemplan-restore@*'" >"$dir/journal-3" 2>&1 || :
	! grep -q 'System RAM 0x' "$dir/journal-3" &&
		ok "journal: the unit restored nothing" ||
		{ fail "$k: the unit ran without a record"; show_file "$dir/journal-3"; }
}

# The other zone: "apply --zone=normal --write-config" finishes the devdax
# pmemplan-kmem namespace the reboot left (pmemplan-apply(1), "Interrupted
# applies") in ZONE_NORMAL and records movable = false; a reboot brings
# every block back online in ZONE_NORMAL.
check_normal() {
	local k=$1 dev=$2 f=$dir/normal n
	dvm_ssh "pmemplan apply --zone=normal --write-config; echo \"rc \$?\"; cat $CONF" >"$f" 2>&1 || :
	kernel_state "$dir/kernel-4"
	n=$(grep -c '^block .* online Normal$' "$dir/kernel-4") || :
	grep -qx 'rc 0' "$f" && grep -qx 'movable = false' "$f" && ((n > 0)) &&
		! grep '^block ' "$dir/kernel-4" | grep -qv ' online Normal$' &&
		ok "apply --zone=normal --write-config: $n blocks online Normal, movable = false recorded" ||
		{ fail "$k: apply --zone=normal --write-config"; show_file "$f" 40; show_file "$dir/kernel-4"; return 1; }
	if ! dvm_reboot "$k"; then
		fail "$k: the reboot with movable = false failed"
		return 1
	fi
	echo "== $k: rebooted with movable = false: ssh after $DVM_BOOT_SECONDS s (lock: $DVM_LOCK_SECONDS s)"
	wait_unit 5 "$dev"
	grep -q "Finished pmemplan-restore@$dev.service" "$dir/unit-5" ||
		{ fail "$k: pmemplan-restore@$dev.service did not finish"; show_file "$dir/unit-5"; }
	kernel_state "$dir/kernel-5"
	cmp -s <(grep '^kmem \|^block ' "$dir/kernel-4") <(grep '^kmem \|^block ' "$dir/kernel-5") &&
		cmp -s <(grep '^policy ' "$dir/kernel-1") <(grep '^policy ' "$dir/kernel-5") &&
		ok "reboot: the same kmem, all $n blocks online in ZONE_NORMAL again, $(grep '^policy ' "$dir/kernel-5")" ||
		{ fail "$k: ZONE_NORMAL not restored"; show_diff "$dir/kernel-4" "$dir/kernel-5"; }
	dvm_ssh "journalctl -b -o cat -u 'pmemplan-restore@*'" >"$dir/journal-5" 2>&1 || :
	grep -q "^$dev: System RAM 0x[0-9a-f]*-0x[0-9a-f]*, $n blocks online normal" "$dir/journal-5" &&
		ok "journal: \"$(grep "^$dev: System RAM" "$dir/journal-5")\"" ||
		{ fail "$k: no journal line for the normal zone"; show_file "$dir/journal-5"; }
}

# Blocks online in the other zone than the section's (what upstream
# daxctl's own rule leaves when the kernel's policy picks the zone), after
# the restoring boot, every block online Movable as recorded:
#   1. the section changed to movable = false: "apply --restore DEV"
#      offlines them (ZONE_MOVABLE always lets go) and onlines them Normal;
#   2. back to movable = true: it offlines them and onlines them Movable,
#      or, when ZONE_NORMAL holds pages the kernel cannot move, fails
#      (exit 1) saying to boot with memhp_default_state=offline, and leaves
#      them as they were.
# Judged from the kernel: the same kmem ranges and MemTotal, every block
# in the zone the command said.
rezone_restore() {
	local from=$1 to=$2 out=$3 dev=$4
	dvm_ssh "sed -i 's/^movable = $from\$/movable = $to/' $CONF && grep -qx 'movable = $to' $CONF &&
		{ pmemplan apply --restore $dev; echo \"rc \$?\"; }" >"$out" 2>&1 || :
}

check_rezone() {
	local k=$1 dev=$2 f=$dir/rezone n
	kernel_state "$dir/kernel-r0"
	n=$(grep -c '^block .* online Movable$' "$dir/kernel-r0") || :
	rezone_restore true false "$f-1" "$dev"
	kernel_state "$dir/kernel-r1"
	grep -qx 'rc 0' "$f-1" &&
		grep -q "^$dev: $n blocks were online Movable, not Normal as $CONF records: offlined, to online them normal$" "$f-1" &&
		cmp -s <(grep '^kmem \|^memtotal ' "$dir/kernel-r0") <(grep '^kmem \|^memtotal ' "$dir/kernel-r1") &&
		((n > 0)) && [ "$(grep -c '^block .* online Normal$' "$dir/kernel-r1")" = "$n" ] &&
		[ "$(grep -c '^block ' "$dir/kernel-r1")" = "$n" ] &&
		ok "apply --restore, the section changed to movable = false: all $n Movable blocks offlined and online Normal, the same kmem and MemTotal" ||
		{ fail "$k: apply --restore from Movable into the recorded Normal"; show_file "$f-1"; show_diff "$dir/kernel-r0" "$dir/kernel-r1"; return 1; }
	rezone_restore false true "$f-2" "$dev"
	kernel_state "$dir/kernel-r2"
	if grep -qx 'rc 0' "$f-2"; then
		grep -q "^$dev: $n blocks were online Normal, not Movable as $CONF records: offlined, to online them movable$" "$f-2" &&
			cmp -s <(grep '^kmem \|^block \|^memtotal ' "$dir/kernel-r0") <(grep '^kmem \|^block \|^memtotal ' "$dir/kernel-r2") &&
			ok "apply --restore, movable = true again: all $n Normal blocks offlined and online Movable, as the boot left them" ||
			{ fail "$k: apply --restore from Normal into the recorded Movable"; show_file "$f-2"; show_diff "$dir/kernel-r0" "$dir/kernel-r2"; }
	else
		grep -qx 'rc 1' "$f-2" &&
			grep -q "^pmemplan: apply: --restore: $dev: System RAM online in zone Normal, not Movable as $CONF records; offlining it failed: .*; left as it was: .*memhp_default_state=offline" "$f-2" &&
			cmp -s <(grep '^kmem \|^block \|^memtotal ' "$dir/kernel-r1") <(grep '^kmem \|^block \|^memtotal ' "$dir/kernel-r2") &&
			ok "apply --restore, movable = true again: ZONE_NORMAL would not let go, exit 1, says memhp_default_state=offline, every block as it was" ||
			{ fail "$k: apply --restore with blocks in ZONE_NORMAL"; show_file "$f-2"; show_diff "$dir/kernel-r1" "$dir/kernel-r2"; }
	fi
}

for k in "${kernels[@]}"; do
	current=$k dir=$out/$k
	t0=$SECONDS
	dvm_driver_boot "$k" || continue
	if install_package "$k" && apply_write_config "$k"; then
		kernel_state "$dir/kernel-1"
		lists "$dir/lists-1"
		dev=$(jq -r 'select(type == "array") | .[] | select(.mode? == "system-ram") | .chardev' "$dir/lists-1" 2>/dev/null | head -n 1) || dev=''
		[[ -n $dev ]] || dev=dax0.0
		grep -q '^kmem ' "$dir/kernel-1" &&
			ok "before: kmem $(sed -n 's/^kmem //p' "$dir/kernel-1" | paste -sd ' '), $(grep -c '^block .* online Movable$' "$dir/kernel-1") blocks online Movable, $(grep '^policy ' "$dir/kernel-1")" ||
			fail "$k: no kmem after apply"
		if dvm_reboot "$k"; then
			echo "== $k: rebooted: ssh after $DVM_BOOT_SECONDS s (lock: $DVM_LOCK_SECONDS s)"
			check_restored "$k" "$dev"
			check_rezone "$k" "$dev" || :
			check_removed "$k" "$dev" && check_normal "$k" "$dev" || :
		else
			fail "$k: the clean reboot failed"
		fi
	fi
	if dvm_running; then
		dvm_poweroff && ok "clean poweroff" || fail "$k: no clean poweroff"
	fi
	echo "== $k: $((SECONDS - t0)) s"
done

vm_finish persistence
