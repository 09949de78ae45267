#!/usr/bin/env bash
# VM tests of "pmemplan show": real Debian kernels in QEMU with emulated
# NVDIMMs and memmap= carve-outs.  Every number pmemplan reports is judged
# by /proc/iomem (check-show.sh), not by pmemplan itself; fwmap and usage
# judge themselves in the guest (firmware_memmap, label_capable, claimed,
# signature and busy against sysfs, mounts and open devices).
#
#   test-show.sh PMEMPLAN_BINARY [KERNEL...]     (default kernels: 6.1 6.12)
#
# A kernel of another architecture (arm64/6.12) skips what its guests
# cannot have (lib.sh: vm_kernel_has): memmap= carve-outs, 2 GiB blocks,
# the x86 NVDIMM addresses.  PMEMPLAN must be built for that architecture.
#
# Exits 1 if any scenario fails; prints one line per check.
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_driver_init "$@"

# Run scenario $1 on kernel $2 with the rest as run-vm.sh options; the guest
# output lands in $out/$2-$1/ split into one file per "=== section".
boot() {
	local name=$1 kernel=$2 rc=0 t0=$SECONDS
	shift 2
	vm_boot "$out/$kernel-$name" --kernel "$kernel" \
		--script "$here/scenarios/$name.sh" "$@" || rc=$?
	echo "== $kernel $name: guest exit $rc, $((SECONDS - t0)) s"
	return $rc
}

# A scenario that judges itself in the guest: its "ok"/"FAIL" lines.
guest_checks() { grep -E '^(ok|FAIL) ' "$out/$1/console" | sed 's/^/  /'; }

# A before/after pair: show against iomem, and predictions against binding.
judge() {
	local dir=$out/$1
	for f in json-before iomem-before json-after iomem-after; do
		[ -s "$dir/$f" ] || { fail "$1: no $f section"; sed 's/^/    /' "$dir/console" | tail -20; return; }
	done
	"$here/check-show.sh" "$dir/json-before" "$dir/iomem-before" || fail "$1 before binding"
	"$here/check-show.sh" "$dir/json-after" "$dir/iomem-after" "$dir/json-before" || fail "$1 after binding"
	jq -e '[.regions[].namespaces[] | select(.dax.mode == "system-ram")] | length > 0' \
		"$dir/json-after" >/dev/null || fail "$1: nothing was bound to kmem"
	sed -n 1,3p "$dir/human-after" | sed 's/^/    /'
}

# Non-root: exit 0, no addresses, and a note saying root is needed.
judge_nonroot() {
	local dir=$out/$1
	grep -qx 'exit 0' "$dir/nonroot-human" || fail "$1: non-root show did not exit 0"
	sed '$d' "$dir/nonroot-json" | jq -e '
		([.regions[].resource, .regions[].namespaces[].resource] | all(. == null)) and
		(.notes | any(test("root")))' >/dev/null &&
		echo "  ok   non-root: addresses null, note says root is needed" ||
		fail "$1: non-root JSON has addresses or no note"
}

# memmap_on_memory: predicted RAM gain == MemTotal growth (kB -> bytes).
judge_mom() {
	local dir=$out/$1 before after predicted
	# MemTotal is in kB; bash does the arithmetic (awk would print 4.9e+09)
	before=$(awk '/MemTotal/ { print $2 }' "$dir/meminfo-before")
	after=$(awk '/MemTotal/ { print $2 }' "$dir/meminfo-after")
	predicted=$(jq '[.regions[].namespaces[] | select(.mode == "devdax") | .ram_gain] | add' "$dir/json-before")
	[[ $before =~ ^[0-9]+$ && $after =~ ^[0-9]+$ && $predicted =~ ^[0-9]+$ ]] ||
		{ fail "$1: no MemTotal or prediction ($before $after $predicted)"; return 1; }
	before=$((before * 1024)) after=$((after * 1024))
	if [ "$((after - before))" = "$predicted" ]; then
		echo "  ok   MemTotal grew by $((after - before)) = predicted ram_gain"
	else
		fail "$1: MemTotal grew by $((after - before)), predicted $predicted"
	fi
	jq -e '[.regions[].namespaces[] | .kmem.memmap_on_memory] | any' "$dir/json-before" >/dev/null ||
		fail "$1: no namespace predicted with memmap_on_memory"
}

# --memmap=auto on the second region: MemTotal grows by the predicted
# ram_gain, and the struct pages are where the plan put them (sysfs
# memmap_on_memory of the dax device).  x86 4K: a tie, so the device, and
# nothing in DRAM (ram_gain = net_gain); ppc64 64K: the 28 pages of
# pageblock padding make DRAM the better place.
judge_mom_net() {
	local dir=$out/$1 before after predicted net dev want where
	for f in plan-net apply-net sysfs-net meminfo-net; do
		[ -s "$dir/$f" ] || { fail "$1: no $f section"; return 1; }
	done
	before=$(awk '/MemTotal/ { print $2 }' "$dir/meminfo-after")
	after=$(awk '/MemTotal/ { print $2 }' "$dir/meminfo-net")
	predicted=$(jq '.totals.ram_gain' "$dir/plan-net")
	net=$(jq '.totals.net_gain' "$dir/plan-net")
	dev=$(jq '.totals.memmap_on_memory' "$dir/plan-net")
	[[ $before =~ ^[0-9]+$ && $after =~ ^[0-9]+$ && $predicted =~ ^[0-9]+$ ]] ||
		{ fail "$1: no MemTotal or ram_gain ($before $after $predicted)"; return 1; }
	grep -qx 'exit 0' "$dir/apply-net" || { fail "$1: apply failed"; sed 's/^/    /' "$dir/apply-net"; return 1; }
	before=$((before * 1024)) after=$((after * 1024))
	if [ "$((after - before))" = "$predicted" ] && [ "$predicted" -gt 0 ]; then
		echo "  ok   --memmap=auto: MemTotal grew by $((after - before)) = predicted ram_gain"
	else
		fail "$1: MemTotal grew by $((after - before)), predicted ram_gain $predicted"
	fi
	if [ "$dev" = true ]; then
		want=1 where="on the device"
		[ "$net" = "$predicted" ] || fail "$1: struct pages on the device, yet net_gain $net != ram_gain $predicted"
	else
		want=0 where="in DRAM ($(jq -r '.totals.memmap_on_memory_reason' "$dir/plan-net"))"
	fi
	grep -qE "^dax1\.[0-9]+ $want\$" "$dir/sysfs-net" &&
		echo "  ok   --memmap=auto: struct pages $where (sysfs memmap_on_memory $want)" ||
		fail "$1: region1's dax device: $(tr '\n' ' ' <"$dir/sysfs-net"), planned memmap_on_memory $want"
}

# A kernel without devdax: the kernel cannot, and pmemplan says so.
judge_nodevdax() {
	local dir=$out/$1
	grep -Eq "^region0 (no dax_seed|dax_seed )$" "$dir/kernel" &&
		grep -q 'Kernel does not support devdax mode' "$dir/ndctl" &&
		! grep -qx 'exit 0' "$dir/ndctl" &&
		echo "  ok   the kernel: region0 has no dax seed, ndctl cannot make a devdax namespace" ||
		{ fail "$1: the kernel makes devdax after all"; sed 's/^/    | /' "$dir/kernel" "$dir/ndctl"; }
	grep -qx 'exit 0' "$dir/show" && grep -q '^note: kernel has no devdax support' "$dir/show" &&
		echo "  ok   show: exit 0, a note says the kernel has no devdax support" ||
		{ fail "$1: show"; sed 's/^/    | /' "$dir/show"; }
	local c
	for c in plan apply; do
		[ "$(grep -c . "$dir/$c")" = 2 ] && grep -qx 'exit 1' "$dir/$c" &&
			grep -q "^pmemplan: $c: kernel .* has no devdax support" "$dir/$c" &&
			echo "  ok   $c: exit 1, one line: $(head -c 72 "$dir/$c")..." ||
			{ fail "$1: $c"; sed 's/^/    | /' "$dir/$c"; }
	done
	grep -qx identical "$dir/unchanged" &&
		echo "  ok   apply changed nothing (ndctl list, iomem, align, online policy)" ||
		{ fail "$1: apply changed the system"; sed 's/^/    | /' "$dir/unchanged"; }
}

# A hand-made layout off its devdax align (scenarios/compound.sh): the
# kernel holds a namespace whose start is no multiple of its dax align, and
# show must warn of it, plan must not bind it and must say how to fix it.
judge_compound() {
	local dir=$out/$1 start align
	start=$(awk '/ : namespace0\.1$/ { sub(/-.*/, "", $1); print $1; exit }' "$dir/iomem")
	align=$(awk '$1 == "dax0.1" { print $2 }' "$dir/align")
	if [ -n "$start" ] && [ -n "$align" ] && (((16#$start) % align)); then
		echo "  ok   the kernel holds namespace0.1 at 0x$start, off its dax align $align"
	else
		fail "$1: no misaligned namespace0.1 (start '$start', align '$align')"
		sed 's/^/    | /' "$dir/ndctl"
		return
	fi
	grep -qx 'exit 0' "$dir/show-human" && grep -q '^warning: namespace0\.1: .*memmap_init_compound' "$dir/show-human" &&
		jq -e '[.regions[].namespaces[] | select(.dev == "namespace0.1") | .layout_violations[].rule] | index("compound-page")' "$dir/show-json" >/dev/null &&
		jq -e '[.regions[].namespaces[] | select(.dev != "namespace0.1") | .layout_violations[]] | length == 0' "$dir/show-json" >/dev/null &&
		echo "  ok   show warns of namespace0.1 (compound-page), of nothing else" ||
		{ fail "$1: show"; sed 's/^/    | /' "$dir/show-human"; }
	jq -e '[.regions[].actions[] | select(.op == "system-ram" or .op == "reconfigure-namespace")] | length == 0' "$dir/plan-json" >/dev/null &&
		jq -e '[.regions[].advice[] | select(test("--reconfigure=namespace0.1"))] | length == 1' "$dir/plan-json" >/dev/null &&
		echo "  ok   plan binds nothing of it and advises --reconfigure=namespace0.1" ||
		{ fail "$1: plan"; jq '.regions[] | {actions, advice}' "$dir/plan-json" | sed 's/^/    | /'; }
}

for k in "${kernels[@]}"; do
	if ! vm_kernel_has "$k" devdax; then
		current="$k nodevdax"
		if want nodevdax; then
			boot nodevdax "$k" --mem 1G --nvdimm 4098M,label &&
				judge_nodevdax "$k-nodevdax" || fail "$current"
		fi
		continue
	fi
	# compound: a devdax align above what the region align and ndctl's
	# 16 MiB start check guarantee: 32 MiB of the 16K-page kernel only
	current="$k compound"
	vm_kernel_parse "$k"
	if want compound && [[ $VM_KVARIANT == -16k ]]; then
		(export PMEMPLAN_VM_MODULES="nfit nd_pmem dax_pmem kmem"
		 boot compound "$k" --mem 2G --nvdimm 4098M,label) &&
			judge_compound "$k-compound" || fail "$current"
	fi
	current="$k mixed"
	if want mixed; then
		boot mixed "$k" --mem 1G --nvdimm 4098M,label && judge "$k-mixed" && judge_nonroot "$k-mixed" || fail "$current"
	fi
	current="$k unaligned"
	if want unaligned && vm_kernel_has "$k" addr; then
		boot unaligned "$k" --mem 1G --nvdimm 4098M,label,addr=0x10a000000 && judge "$k-unaligned" || fail "$current"
	fi
	current="$k carveout"
	if want carveout && vm_kernel_has "$k" e820; then
		boot carveout "$k" --mem 6G --append 'memmap=2G!4G' && judge "$k-carveout" || fail "$current"
	fi
	current="$k bigblocks"
	if ! want bigblocks || ! vm_kernel_has "$k" bigblocks; then :
	elif boot bigblocks "$k" --mem 66G --big-blocks --nvdimm 8194M,label; then
		grep -qx 80000000 "$out/$k-bigblocks/block-size" || fail "$k bigblocks: blocks are not 2 GiB"
		judge "$k-bigblocks"
	else
		fail "$current"
	fi
	current="$k nopmem"
	if ! want nopmem; then :
	elif boot nopmem "$k" --mem 512M; then
		grep -q 'no persistent memory regions found' "$out/$k-nopmem/human" &&
			grep -qx 'exit 0' "$out/$k-nopmem/human" &&
			echo "  ok   no pmem: message and exit 0" || fail "$current: message"
	else
		fail "$current"
	fi
	# firmware_memmap and label_capable beside a memmap= carve-out
	current="$k fwmap"
	if want fwmap && vm_kernel_has "$k" e820; then
		boot fwmap "$k" --mem 6G --append 'memmap=2G!4G' --nvdimm 1026M &&
			guest_checks "$k-fwmap" || { guest_checks "$k-fwmap"; fail "$current"; }
	fi
	# label_capable, claimed, signature and busy; mount needs ext4
	current="$k usage"
	if want usage; then
		PMEMPLAN_VM_MODULES="$(vm_kernel_modules "$k") ext4" \
			boot usage "$k" --mem 1G --nvdimm 4098M,label &&
			guest_checks "$k-usage" || { guest_checks "$k-usage"; fail "$current"; }
	fi
	if vm_kernel_has "$k" mom && want mom; then
		current="$k memmap_on_memory"
		boot mom "$k" --mem 1G --nvdimm 4098M,label --nvdimm 4098M,label \
			--append "$(vm_mom_append "$k")" &&
			judge "$k-mom" && judge_mom "$k-mom" &&
			judge_mom_net "$k-mom" || fail "$current"
	fi
done

vm_finish show
