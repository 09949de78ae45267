#!/usr/bin/env bash
# Captures the snapshots of tests/snapshots/ that an architecture's
# ARCH_CAPTURES (arch/ARCH.sh) lists, live: "pmemplan show --json" in the
# guest (scenarios/capture.sh), judged by check-show.sh against the same
# guest's /proc/iomem (and sysfs regions) before it is written.
#
#   capture-arch.sh ARCH PMEMPLAN_BINARY [DIR]   (DIR: tests/snapshots)
#
# Each boot holds flock on $PMEMPLAN_VM_LOCK (default /tmp/pmemplan-vm.lock).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# >= 2)) || { echo "usage: ${0##*/} ARCH PMEMPLAN_BINARY [DIR]" >&2; exit 2; }
arch=$1 bin=$(realpath "$2") dest=${3:-$VM_DIR/../snapshots}
vm_arch_load "$arch"
((${#ARCH_CAPTURES[@]})) || vm_die "arch/$arch.sh lists no ARCH_CAPTURES"
command -v jq >/dev/null || vm_die "needs jq"
export PMEMPLAN_VM_LOCK=${PMEMPLAN_VM_LOCK-/tmp/pmemplan-vm.lock}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0

for line in "${ARCH_CAPTURES[@]}"; do
	read -r name kernel prep args <<<"$line"
	dir=$out/$name rc=0
	# shellcheck disable=SC2086 # args is a list of run-vm options
	vm_boot "$dir" --kernel "$kernel" --command "PREP=$prep . /etc/pmemplan-vm/capture.sh" \
		--file "$VM_DIR/scenarios/capture.sh:/etc/pmemplan-vm/capture.sh" $args || rc=$?
	if ((rc)) || ! jq -e . "$dir/json" >/dev/null 2>&1; then
		echo "FAIL $name: guest exit $rc"
		sed 's/^/    | /' "$dir/console" | tail -20
		failed=1
		continue
	fi
	if "$VM_DIR/check-show.sh" "$dir/json" "$dir/iomem" >"$dir/check"; then
		cp "$dir/json" "$dest/$name.json"
		echo "ok   $name ($kernel, $prep): $(grep -c '^  ok' "$dir/check") checks against /proc/iomem; $dest/$name.json"
	else
		echo "FAIL $name: the snapshot disagrees with /proc/iomem"
		grep FAIL "$dir/check" | sed 's/^/    /'
		failed=1
	fi
done
exit $failed
