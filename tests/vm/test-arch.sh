#!/usr/bin/env bash
# The VM tests on another architecture: test-show.sh, test-plan.sh and
# test-apply.sh (and their judges) on that architecture's kernels, with the
# scenarios its ARCH_TESTS (arch/ARCH.sh) lists, each line one driver on
# one kernel.
#
#   test-arch.sh ARCH PMEMPLAN_BINARY      (ARCH: arm64; the binary built
#                                           for it, e.g. by tests/cross-build.sh)
#
# Every boot holds flock on $PMEMPLAN_VM_LOCK (default /tmp/pmemplan-vm.lock;
# set it empty for none), so the guests of several jobs on one machine take
# turns.  PMEMPLAN_VM_KEEP keeps the drivers' outputs.  Prints each
# driver's checks, the seconds each line took and the total, and exits 1
# if any failed.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 2)) || { echo "usage: ${0##*/} ARCH PMEMPLAN_BINARY" >&2; exit 2; }
arch=$1 bin=$2
[ -f "$VM_DIR/arch/$arch.sh" ] || vm_die "no architecture $arch (tests/vm/arch/)"
[ -x "$bin" ] || vm_die "no pmemplan binary $bin"
vm_arch_load "$arch"
((${#ARCH_TESTS[@]})) || vm_die "arch/$arch.sh lists no ARCH_TESTS"
export PMEMPLAN_VM_LOCK=${PMEMPLAN_VM_LOCK-/tmp/pmemplan-vm.lock}

t_all=$SECONDS failed=()
# Downloads first (kernels, the guest userland), outside the timed lines.
for line in "${ARCH_TESTS[@]}"; do
	read -r _ kernel _ <<<"$line"
	"$VM_DIR/fetch-kernel.sh" "$kernel" >/dev/null
done
vm_userland "$arch" >/dev/null
echo "== $arch: downloads $((SECONDS - t_all)) s"

for line in "${ARCH_TESTS[@]}"; do
	read -r driver kernel scenarios <<<"$line"
	t0=$SECONDS rc=0
	echo "== $arch: test-$driver.sh $kernel: $scenarios"
	PMEMPLAN_VM_ONLY=$scenarios "$VM_DIR/test-$driver.sh" "$bin" "$kernel" || rc=$?
	echo "== $arch: test-$driver.sh $kernel: exit $rc, $((SECONDS - t0)) s"
	((rc == 0)) || failed+=("$driver $kernel")
done

if ((${#failed[@]})); then
	echo "VM tests on $arch FAILED ($((SECONDS - t_all)) s): ${failed[*]}"
	exit 1
fi
echo "VM tests on $arch passed ($((SECONDS - t_all)) s)"
