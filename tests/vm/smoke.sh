#!/usr/bin/env bash
# Smoke test of the VM harness against the measured vectors of
# shared/reference/kernel-model.md §13, on both Debian kernels:
#   kmem      1 GiB RAM, 4098M labelled NVDIMM, devdax -> system-ram:
#             "108000000-1ffffffff : System RAM (kmem)", blocks movable
#   persist   second boot on the same backing file: the namespace is still there
#   memmap    6 GiB RAM, memmap=2G!4G: legacy region 100000000-17fffffff,
#             and kmem 108000000-17fffffff
#   big       66 GiB RAM, --big-blocks: block_size_bytes 80000000, and an
#             8194M NVDIMM at 0x1150000000 gives kmem 1180000000-12ffffffff
#
# Environment: PMEMPLAN_VM_KERNELS (default "6.1 6.12") picks the kernels.
# Exit status 0 only if every case matched.  Prints one line per boot with
# its wall time.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KERNELS=${PMEMPLAN_VM_KERNELS:-6.1 6.12}
FAILED=0

# Guest scripts.  Each prints what the host then checks.
guest_kmem() {
	cat <<-'EOF'
		set -e
		. /lib/pmemplan-vm/helpers.sh
		init_labels
		ndctl create-namespace -m devdax
		to_system_ram dax0.0
		echo "policy now: $(cat /sys/devices/system/memory/auto_online_blocks)"
		cat /proc/iomem
	EOF
}

guest_persist() {
	echo 'ndctl list -N'
}

# The memmap= region has no labels: reconfigure its raw namespace in place.
guest_memmap() {
	cat <<-'EOF'
		set -e
		. /lib/pmemplan-vm/helpers.sh
		ndctl create-namespace -f -e namespace0.0 -m devdax
		to_system_ram dax0.0
		cat /proc/iomem
	EOF
}

guest_big() {
	cat <<-'EOF'
		echo "block_size_bytes $(cat /sys/devices/system/memory/block_size_bytes)"
	EOF
	guest_kmem
}

# Every pattern (grep -E) must match a line of the output in file $1.
expect() {
	local out=$1 re
	shift
	for re in "$@"; do
		grep -Eq -- "$re" "$out" || {
			echo "  missing: $re"
			return 1
		}
	done
}

# run_case NAME KERNEL GUEST_FN PATTERNS_FN [run-vm options...]
# PATTERNS_FN gets the output file and the kernel flavour.
run_case() {
	local name=$1 kernel=$2 guest=$3 patterns=$4 t0 secs rc=0 why
	shift 4
	"$guest" >"$WORK/$name.sh"
	t0=$EPOCHREALTIME
	"$VM_DIR/run-vm.sh" --kernel "$kernel" --script "$WORK/$name.sh" --timeout 600 "$@" \
		>"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	if ((rc == 0)) && why=$("$patterns" "$WORK/$name.out" "$kernel"); then
		printf 'PASS %-12s kernel %-5s %6s s\n' "$name" "$kernel" "$secs"
		return
	fi
	printf 'FAIL %-12s kernel %-5s %6s s (exit %s)\n' "$name" "$kernel" "$secs" "$rc"
	[[ -z ${why:-} ]] || echo "$why"
	sed 's/^/  | /' "$WORK/$name.out" "$WORK/$name.err"
	FAILED=1
}

kmem_patterns() {
	expect "$1" '^ *108000000-1ffffffff : System RAM \(kmem\)$' \
		'"movable":true' "^policy now: $(default_policy "$2")\$"
}
# Debian's 6.12 enables MEMORY_HOTPLUG_DEFAULT_ONLINE, 6.1 does not;
# to_system_ram must leave the policy as it found it.
default_policy() {
	case $1 in
	6.1) echo offline ;;
	*) echo online ;;
	esac
}
persist_patterns() { expect "$1" '"mode":"devdax"'; }
memmap_patterns() {
	expect "$1" '^100000000-17fffffff : Persistent Memory \(legacy\)$' \
		'^ *108000000-17fffffff : System RAM \(kmem\)$'
}
big_patterns() {
	expect "$1" '^block_size_bytes 80000000$' \
		'^ *1180000000-12ffffffff : System RAM \(kmem\)$'
}

main() {
	local k
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/pmemplan-smoke.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
	for k in $KERNELS; do
		# Fetch outside the timed boots: the first run downloads the kernel.
		"$VM_DIR/fetch-kernel.sh" "$k" >/dev/null
		run_case "kmem-$k" "$k" guest_kmem kmem_patterns \
			--mem 1G --nvdimm 4098M,label --nvdimm-file "$WORK/nv-$k.img"
		run_case "persist-$k" "$k" guest_persist persist_patterns \
			--mem 1G --nvdimm 4098M,label --nvdimm-file "$WORK/nv-$k.img"
		run_case "memmap-$k" "$k" guest_memmap memmap_patterns \
			--mem 6G --append 'memmap=2G!4G'
		run_case "big-$k" "$k" guest_big big_patterns --big-blocks --mem 66G \
			--nvdimm 8194M,label,addr=0x1150000000
	done
	((FAILED == 0)) || {
		echo "smoke: FAILED"
		exit 1
	}
	echo "smoke: all passed"
}

main "$@"
