#!/usr/bin/env bash
# The what-ifs held to the real thing.  An x86 guest's fresh NVDIMM is
# captured with "pmemplan show --json" and planned on the host with the
# --arch, --page-size, --block-size, --kernel and --auto-online (and
# --memmap-on-memory) of another target; the same NVDIMM on that target's
# real kernel gets the plain "pmemplan apply".  The kmem the what-if plan
# predicts must be what the target's kernel hot-plugged (its /proc/iomem),
# block for block, and the RAM it predicts what MemTotal gained.
#
#   test-whatif.sh PMEMPLAN KERNEL=BINARY...
#
# PMEMPLAN is the host's (amd64) pmemplan: it runs in the x86 guest and
# plans on the host.  Each KERNEL=BINARY is a target kernel (tests/vm:
# arm64/6.12, arm64-16k/6.12, ppc64el-64k/6.12, ...) and the pmemplan built
# for it; a KERNEL may carry a kernel parameter after a comma, e.g.
# ppc64el-64k/6.12,memory_hotplug.memmap_on_memory=force.  The facts the
# what-if takes are read from the target's kernel (uname -r, the page size
# of /proc/self/smaps, block_size_bytes, auto_online_blocks,
# memmap_on_memory), as a person would read them off the machine.
#
# Every boot holds flock on $PMEMPLAN_VM_LOCK (default /tmp/pmemplan-vm.lock).
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# >= 2)) || { echo "usage: ${0##*/} PMEMPLAN KERNEL=BINARY..." >&2; exit 2; }
native=$1
shift
vm_driver_init "$native" 6.12
kernels=()
export PMEMPLAN_VM_LOCK=${PMEMPLAN_VM_LOCK-/tmp/pmemplan-vm.lock}
# The NVDIMM every guest gets: 4 GiB of data plus QEMU's label area, which
# ppc64's PAPR SCM needs to be a multiple of 256 MiB once the label is off.
NVDIMM=4098M,label
MEM=2G

# The x86 snapshot: the fresh NVDIMM on Debian's 6.12, as a user captures it.
x86=$out/x86
current="6.12 capture"
bin=$(realpath "$native")
rc=0
vm_boot "$x86" --kernel 6.12 --mem "$MEM" --nvdimm "$NVDIMM" \
	--command '. /etc/pmemplan-vm/common.sh; section json; pmemplan show --json' || rc=$?
if ((rc)) || ! jq -e .platform "$x86/json" >/dev/null 2>&1; then
	fail "6.12: the x86 capture failed (guest exit $rc)"
	tail -20 "$x86/console"
	vm_finish what-if
fi
ok "x86 6.12 snapshot: region $(jq -r '.regions[0].dev + " " + (.regions[0].size | tostring)' "$x86/json") bytes"

# The target's guest: its facts, then the plain apply, then the kernel's view.
# shellcheck disable=SC2016 # expanded in the guest
guest='. /etc/pmemplan-vm/common.sh
section facts
echo "release $(uname -r)"
echo "page_size $(awk "/^KernelPageSize:/ { print \$2 * 1024; exit }" /proc/self/smaps)"
echo "block_size $((0x$(cat /sys/devices/system/memory/block_size_bytes)))"
echo "auto_online $(cat /sys/devices/system/memory/auto_online_blocks)"
echo "memmap_on_memory $(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>/dev/null || echo N)"
section mem-before
awk "/^MemTotal:/ { print \$2 }" /proc/meminfo
pmemplan apply >/tmp/apply.out 2>&1
echo "exit $?" >/tmp/apply.rc
section apply
cat /tmp/apply.out /tmp/apply.rc
section mem-after
awk "/^MemTotal:/ { print \$2 }" /proc/meminfo
section iomem
cat /proc/iomem'

fact() { awk -v k="$2" '$1 == k { print $2 }' "$1/facts"; }

# kmem bytes of a guest's /proc/iomem: its "System RAM (kmem)" lines.
iomem_kmem() {
	local range rest lo hi sum=0
	while read -r range rest; do
		[[ $rest == *"System RAM (kmem)"* ]] || continue
		lo=${range%-*} hi=${range#*-}
		sum=$((sum + 16#$hi - 16#$lo + 1))
	done <"$1"
	echo "$sum"
}

for spec in "$@"; do
	target=${spec%=*} tbin=${spec##*=}
	kernel=${target%%,*} append=
	[[ $target != *,* ]] || append=${target#*,}
	vm_kernel_parse "$kernel" || vm_die "unknown kernel '$kernel'"
	[ -x "$tbin" ] || vm_die "no pmemplan binary $tbin for $kernel"
	kernels+=("$target")
	current="$target"
	dir=$out/$(vm_ktag "$target")
	bin=$(realpath "$tbin")
	rc=0 t0=$SECONDS
	args=(--kernel "$kernel" --mem "$MEM" --nvdimm "$NVDIMM" --command "$guest")
	[ -z "$append" ] || args+=(--append "$append")
	vm_boot "$dir" "${args[@]}" || rc=$?
	echo "== $target: guest exit $rc, $((SECONDS - t0)) s"
	if ((rc)) || ! grep -qx 'exit 0' "$dir/apply" 2>/dev/null; then
		fail "$target: guest exit $rc, apply: $(tail -1 "$dir/apply" 2>/dev/null)"
		tail -20 "$dir/console"
		continue
	fi
	arch=aarch64
	[[ $VM_KARCH != ppc64el ]] || arch=ppc64le
	whatif=(--arch "$arch" --kernel "$(fact "$dir" release)"
		--page-size "$(fact "$dir" page_size)" --block-size "$(fact "$dir" block_size)"
		--auto-online "$(fact "$dir" auto_online)"
		--memmap-on-memory "$(fact "$dir" memmap_on_memory)")
	if ! "$native" plan --target kmem --json --input "$x86/json" "${whatif[@]}" \
		>"$dir/whatif.json" 2>"$dir/whatif.err"; then
		fail "$target: plan ${whatif[*]} failed: $(cat "$dir/whatif.err")"
		continue
	fi
	block=$(fact "$dir" block_size)
	measured=$(iomem_kmem "$dir/iomem")
	predicted=$(jq .totals.kmem "$dir/whatif.json")
	[ "$measured" -gt 0 ] && [ "$measured" = "$predicted" ] &&
		ok "$target: what-if (${whatif[*]}) kmem $((predicted / block)) blocks = $((measured / block)) hot-plugged by the kernel ($((measured >> 20)) MiB)" ||
		fail "$target: what-if kmem $predicted, the kernel hot-plugged $measured"
	gained=$((($(cat "$dir/mem-after") - $(cat "$dir/mem-before")) * 1024))
	predicted_ram=$(jq .totals.ram_gain "$dir/whatif.json")
	[ "$gained" = "$predicted_ram" ] &&
		ok "$target: what-if RAM $((predicted_ram >> 10)) kB = MemTotal gained" ||
		fail "$target: what-if RAM $predicted_ram, MemTotal gained $gained"
done

vm_finish what-if
