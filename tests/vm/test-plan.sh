#!/usr/bin/env bash
# VM tests of "pmemplan plan": fresh emulated NVDIMMs and a memmap=
# carve-out on Debian's kernels.  The planned kmem must equal the bound the
# test computes itself from /proc/iomem (whole memory blocks between the
# region start plus the smallest info block and the region end), and
# planning must change nothing on the system.
#
#   test-plan.sh PMEMPLAN_BINARY [KERNEL...]     (default kernels: 6.1 6.12)
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_driver_init "$@"

# boot NAME KERNEL run-vm options...; then judge it.
run() {
	local name=$1 kernel=$2 dir=$out/$2-$1 rc=0 t0=$SECONDS bound planned
	shift 2
	want "$name" || return 0
	# what the architecture's guests cannot have (lib.sh: vm_kernel_has)
	case $name in
	unaligned) vm_kernel_has "$kernel" addr || return 0 ;;
	carveout) vm_kernel_has "$kernel" e820 || return 0 ;;
	bigblocks) vm_kernel_has "$kernel" bigblocks || return 0 ;;
	esac
	current="$kernel $name"
	vm_boot "$dir" --kernel "$kernel" --script "$here/scenarios/plan.sh" \
		"$@" || rc=$?
	echo "== $kernel $name: guest exit $rc, $((SECONDS - t0)) s"
	[ "$rc" = 0 ] || { fail "$kernel $name: guest exit $rc"; tail -20 "$dir/console"; return; }
	grep -qx 'exit 0' "$dir/plan-rc" || { fail "$kernel $name: plan exit $(cat "$dir/plan-rc")"; cat "$dir/plan-human"; return; }
	bound=$(vm_kmem_bound "$dir/iomem" "$(vm_block_size "$dir/block-size")")
	planned=$(jq '.totals.kmem' "$dir/plan-json")
	if [ "${EXPECT:-bound}" = capped ]; then
		# DRAM cannot carry struct pages for all of it: less than the
		# bound, within the budget, the rest usable pmem
		if [ "$planned" -gt 0 ] && [ "$planned" -lt "$bound" ] &&
		   jq -e '.totals.dram_memmap <= .totals.dram_budget and
			  ([.regions[].predicted.usable] | add) > 0' "$dir/plan-json" >/dev/null; then
			ok "planned kmem $planned < bound $bound: struct pages $(jq .totals.dram_memmap "$dir/plan-json") within the DRAM budget $(jq .totals.dram_budget "$dir/plan-json")"
		else
			fail "$kernel $name: capped plan wrong: kmem $planned, bound $bound"
			cat "$dir/plan-human"
		fi
	elif [ "$planned" = "$bound" ] && [ "$bound" -gt 0 ]; then
		ok "planned kmem $planned = bound from /proc/iomem"
	else
		fail "$kernel $name: planned kmem $planned, bound from /proc/iomem $bound"
		cat "$dir/plan-human"
	fi
	if [ "$(head -1 "$dir/unchanged")" = yes ]; then
		ok "planning changed nothing (ndctl list, iomem, region align, online policy)"
	else
		fail "$kernel $name: planning changed the system"; cat "$dir/unchanged"
	fi
	jq -e '([.regions[].baseline.kmem] | add) <= .totals.kmem' "$dir/plan-json" >/dev/null &&
		ok "plan >= ndctl defaults ($(jq '[.regions[].baseline.kmem] | add' "$dir/plan-json"))" ||
		fail "$kernel $name: worse than the baseline"
	sed -n '/^region/,$p' "$dir/plan-human" | sed 's/^/    /' | head -14
}

for k in "${kernels[@]}"; do
	run fresh "$k" --mem 1G --nvdimm 4098M,label
	run unaligned "$k" --mem 1G --nvdimm 4098M,label,addr=0x10a000000
	run two-regions "$k" --mem 1G --nvdimm 4098M,label --nvdimm 2050M,label
	run big "$k" --mem 4G --nvdimm 40962M,label
	run carveout "$k" --mem 6G --append 'memmap=2G!4G'
	run bigblocks "$k" --mem 66G --big-blocks --nvdimm 8194M,label
	# 512 MiB of RAM and 40 GiB of pmem: kmem's struct pages would not
	# fit (a panic with the defaults, kernel-model.md §13) ...
	EXPECT=capped run small-dram "$k" --mem 512M --nvdimm 40962M,label
	# ... unless they live on the device (6.8+)
	if vm_kernel_has "$k" mom; then
		run small-dram-mom "$k" --mem 512M --nvdimm 40962M,label \
			--append "$(vm_mom_append "$k")"
	fi
done

vm_finish plan
