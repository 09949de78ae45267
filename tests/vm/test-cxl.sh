#!/usr/bin/env bash
# VM tests of "pmemplan show" on CXL memory (issue 13): Debian's kernels
# in QEMU with CXL type-3 memory expanders (run-vm.sh --cxl: q35 with
# cxl=on, bookworm-backports' QEMU 10.0, fetch-qemu.sh).  Judged from the
# guest's /proc/iomem, memory blocks and MemTotal, never from pmemplan:
#
#   ram-mom     6.12, one 1 GiB expander, 128 MiB blocks,
#               memory_hotplug.memmap_on_memory=1 (dax_cxl asks for the
#               memmap on the memory: MemTotal grows by less than kmem)
#   ram-2way    6.12, two 512 MiB expanders interleaved 2 ways
#   ram-big     6.12, 66 GiB of RAM (2 GiB blocks), a 4 GiB expander in a
#               window that is not 2 GiB aligned: head and tail gaps
#   (each ram scenario then applies the plan: judge_apply)
#   pmem        6.1 and 6.12, a 1 GiB persistent expander made a region
#               by cxl-cli: the nvdimm region is kind "cxl"
#
# For a ram region (scenarios/cxl-ram.sh) show runs before kmem is loaded
# (predicted) and after (measured): the prediction must be the kmem range
# the kernel then hot-plugs ("System RAM (kmem)" under the region in
# /proc/iomem), the measured range that one, the head and tail gaps what
# iomem leaves of the region, the zone the blocks' valid_zones, the RAM
# gain MemTotal's growth (the memmap on the memory is the difference).
# Before the region, plan's prediction of the region the free capacity
# would make must be the one the kernel then makes (judge_free).
# Linux 6.1 has no ram regions (no create_ram_region, no dax_cxl).
#
#   test-cxl.sh PMEMPLAN_BINARY        (the kernels are fixed: see above)
#
# Every boot holds flock $PMEMPLAN_VM_LOCK (default /tmp/pmemplan-vm.lock).
# The hot-plugged CXL memory is never filled (QEMU 10.0.2 segfaults when
# the guest's pages land there): layouts and ranges are judged, not
# contents.  Prints one line per check and each boot's seconds.
# shellcheck disable=SC2015 # "check && ok || fail": ok (an echo) cannot fail
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
vm_driver_init "${1:?usage: test-cxl.sh PMEMPLAN_BINARY}" 6.12
export PMEMPLAN_VM_LOCK=${PMEMPLAN_VM_LOCK-/tmp/pmemplan-vm.lock}
# kmem is left out: cxl-ram.sh loads it after the first show
RAM_MODULES="cxl_acpi cxl_pci cxl_mem cxl_pmem dax_cxl device_dax"
PMEM_MODULES="cxl_acpi cxl_pci cxl_mem cxl_pmem nd_pmem dax_pmem device_dax kmem"

boot() {
	local name=$1 kernel=$2 scenario=$3 modules=$4 rc=0 t0=$SECONDS
	shift 4
	PMEMPLAN_VM_MODULES=$modules PMEMPLAN_VM_EXTRA_MODULES=kmem vm_boot "$out/$kernel-$name" --kernel "$kernel" \
		--script "$here/scenarios/$scenario.sh" "$@" || rc=$?
	echo "== $kernel $name: guest exit $rc, $((SECONDS - t0)) s"
	return $rc
}

hex() { printf '0x%x' "$1"; }

# The [start, end] of the first iomem line named $2 (file $1), in decimal.
iomem_range() {
	awk -v name="$2" '{ line = $0; sub(/^ +/, "", line)
		split(line, a, " : ")
		if (a[2] == name) { split(a[1], r, "-"); print r[1], r[2]; exit } }' "$1" |
		{ read -r s e && echo $((16#$s)) $((16#$e)); }
}

# Lowest start and highest end + 1 of the "System RAM (kmem)" lines in
# [$2, $3] (file $1): what kmem hot-plugged of the region.
iomem_kmem() {
	local lo='' hi='' s e
	while read -r s e; do
		s=$((16#$s)) e=$((16#$e + 1))
		((s >= $2 && e <= $3 + 1)) || continue
		[[ -n $lo ]] && ((lo <= s)) || lo=$s
		[[ -n $hi ]] && ((hi >= e)) || hi=$e
	done < <(awk '/: System RAM \(kmem\)$/ { sub(/^ +/, ""); split($1, r, "-"); print r[1], r[2] }' "$1")
	[[ -n $lo ]] && echo "$lo $hi"
}

# jq on a JSON section, the CXL region $2's value of expression $3.
cj() { jq -r --arg d "$2" ".cxl_regions[] | select(.dev == \$d) | $3" "$1"; }

judge_ram() {
	local name=$1 ways=$2 dir=$out/6.12-$1 f region rs re bsz ks ke bs be
	local k0 k1 head tail before after growth kmem rg mom zones want
	current="6.12 $name"
	for f in cxl json-before iomem-before json-after iomem-after meminfo-before meminfo-after \
		blocks-after plan iomem-plan nonroot-json rollback apply iomem-apply meminfo-apply \
		daxdevs-apply blocks-apply apply-again iomem-again rezone iomem-rezone rezone-force \
		blocks-rezone; do
		[[ -s $dir/$f ]] || { fail "$name: no $f section"; tail -20 "$dir/console" | sed 's/^/    /'; return; }
	done
	grep -q '^FAIL' "$dir/console" && { fail "$name: $(grep -m1 '^FAIL' "$dir/console")"; return; }
	region=$(jq -r '.cxl_regions[0].dev' "$dir/json-after")
	read -r rs re < <(iomem_range "$dir/iomem-after" "$region") ||
		{ fail "$name: no $region in /proc/iomem"; return; }
	bsz=$((16#$(awk '$1 == "block_size_bytes" { print $2 }' "$dir/cxl")))
	# the CXL window: the root decoder's range in iomem
	read -r bs be < <(iomem_range "$dir/iomem-after" "CXL Window 0")
	[[ $(cj "$dir/json-after" "$region" '"\(.mode) \(.resource) \(.size) \(.interleave_ways) \(.window_start) \(.window_size)"') == "ram $rs $((re + 1 - rs)) $ways $bs $((be + 1 - bs))" ]] &&
		ok "$name: $region ram [$(hex "$rs"), $(hex $((re + 1)))), $ways-way, window [$(hex "$bs"), $(hex $((be + 1)))) as iomem says" ||
		fail "$name: region or window facts differ from iomem: $(cj "$dir/json-after" "$region" '"\(.mode) \(.resource) \(.size) \(.interleave_ways) \(.window_start) \(.window_size)"') vs ram $rs $((re + 1 - rs)) $ways $bs $((be + 1 - bs))"
	read -r ks ke < <(iomem_kmem "$dir/iomem-after" "$rs" "$re") ||
		{ fail "$name: no System RAM (kmem) in $region after modprobe kmem"; return; }
	head=$((ks - rs)) tail=$((re + 1 - ke))
	# before kmem: nothing hot-plugged, a prediction
	[[ -z $(iomem_kmem "$dir/iomem-before" "$rs" "$re") ]] &&
		[[ $(cj "$dir/json-before" "$region" '"\(.kmem) \(.source) \(.dax_devices[0].mode)"') == "0 predicted disabled" ]] &&
		ok "$name: before kmem: nothing in iomem, show predicts (dax device unbound)" ||
		fail "$name: before kmem: $(cj "$dir/json-before" "$region" '"\(.kmem) \(.source) \(.dax_devices[0].mode)"')"
	read -r k0 k1 < <(cj "$dir/json-before" "$region" '.dax_devices[0].kmem | "\(.start) \(.end)"')
	[[ "$k0 $k1" == "$ks $ke" ]] &&
		ok "$name: predicted kmem [$(hex "$k0"), $(hex "$k1")) = what kmem then hot-plugged" ||
		fail "$name: predicted kmem [$k0, $k1), iomem [$ks, $ke)"
	read -r k0 k1 < <(cj "$dir/json-after" "$region" '.dax_devices[0].kmem | "\(.start) \(.end)"')
	[[ "$k0 $k1 $(cj "$dir/json-after" "$region" '.dax_devices[0].kmem.source')" == "$ks $ke measured" ]] &&
		ok "$name: measured kmem = iomem's System RAM (kmem)" ||
		fail "$name: measured kmem [$k0, $k1), iomem [$ks, $ke)"
	[[ $(cj "$dir/json-after" "$region" '"\(.loss.head_gap) \(.loss.tail_gap)"') == "$head $tail" &&
		$(cj "$dir/json-before" "$region" '"\(.loss.head_gap) \(.loss.tail_gap)"') == "$head $tail" ]] &&
		ok "$name: head gap $((head >> 20)) MiB, tail gap $((tail >> 20)) MiB (block $((bsz >> 20)) MiB), predicted and measured" ||
		fail "$name: gaps $(cj "$dir/json-before" "$region" '"\(.loss.head_gap) \(.loss.tail_gap)"') / $(cj "$dir/json-after" "$region" '"\(.loss.head_gap) \(.loss.tail_gap)"'), iomem $head $tail"
	# RAM gain: MemTotal's growth (kB); the memmap on the memory the rest
	# kB; bash does the arithmetic (awk would print 7.2e+10)
	before=$(awk '/MemTotal/ { print $2 }' "$dir/meminfo-before")
	after=$(awk '/MemTotal/ { print $2 }' "$dir/meminfo-after")
	growth=$(((after - before) * 1024)) kmem=$((ke - ks))
	rg=$(cj "$dir/json-before" "$region" '.dax_devices[0].ram_gain')
	mom=$(cj "$dir/json-before" "$region" '.loss.memmap_on_memory')
	[[ $rg == "$growth" && $mom == $((kmem - growth)) ]] &&
		ok "$name: MemTotal grew $((growth >> 20)) of $((kmem >> 20)) MiB = predicted ram_gain; memmap on memory $((mom >> 20)) MiB" ||
		fail "$name: MemTotal grew $growth of $kmem, predicted ram_gain $rg, memmap_on_memory $mom"
	# the zone: valid_zones of the online blocks in the kmem range
	zones=$(awk -v lo=$((ks / bsz)) -v hi=$((ke / bsz)) '$1 >= lo && $1 < hi && $2 == "online" { print $3 }' "$dir/blocks-after" | sort -u | paste -sd,)
	want=$(cj "$dir/json-after" "$region" '.dax_devices[0].zone')
	[[ $zones == "$want" && $(cj "$dir/json-after" "$region" '.dax_devices[0].online_memblocks') == $((kmem / bsz)) ]] &&
		ok "$name: $((kmem / bsz)) blocks online in $zones, as sysfs says" ||
		fail "$name: zone $want, sysfs $zones; online $(cj "$dir/json-after" "$region" '.dax_devices[0].online_memblocks') of $((kmem / bsz))"
	# the plan (before kmem): its kmem device is what the kernel then
	# hot-plugged, its devices tile the region, and planning changed
	# nothing
	local devs
	devs=$(jq -r --arg d "$region" '.cxl_regions[] | select(.dev == $d) |
		[.devices[] | "\(.start)+\(.size):\(.mode)"] | join(" ")' "$dir/plan")
	[[ " $devs " == *" $ks+$((ke - ks)):system-ram "* ]] &&
		cmp -s "$dir/iomem-before" "$dir/iomem-plan" &&
		[[ $(jq --arg d "$region" '.cxl_regions[] | select(.dev == $d) | .kmem + .devdax + .lost - .memmap_on_memory_bytes' "$dir/plan") == $((re + 1 - rs)) ]] &&
		ok "$name: plan: kmem [$(hex "$ks"), $(hex "$ke")) as the kernel hot-plugged it, devdax $(($(jq --arg d "$region" '.cxl_regions[] | select(.dev == $d) | .devdax' "$dir/plan") >> 20)) MiB, iomem unchanged" ||
		fail "$name: plan devices $devs, kmem [$ks, $ke); iomem changed: $(cmp -s "$dir/iomem-before" "$dir/iomem-plan" && echo no || echo yes)"
	judge_free "$name" "$ways" "$dir" "$region" "$rs" "$re" "$ks" "$ke"
	judge_apply "$name" "$dir" "$region" "$bsz"
	# as nobody: the region and its facts; the dax device's address
	# (0400), so its kmem and the loss, unknown; a note (the region's
	# resource is 0444 on 6.12, the window's start 0400)
	sed '$d' "$dir/nonroot-json" | jq -e --arg d "$region" '
		(.cxl_regions[] | select(.dev == $d) |
		 .size > 0 and .window_start == null and .dax_devices[0].resource == null and
		 .dax_devices[0].kmem == null and .loss == null and .kmem == null) and
		(.notes | any(test("root")))' >/dev/null &&
		grep -qx 'exit 0' "$dir/nonroot-json" &&
		ok "$name: as nobody: exit 0, $region listed, dax address, kmem and loss null, a note says root is needed" ||
		fail "$name: non-root show: $(head -c 300 "$dir/nonroot-json")"
	sed -n '/^CXL /p' "$dir/human-after" | sed 's/^/    /'
}

# plan before any region (scenarios/cxl-ram.sh free-plan): per memdev,
# its ram in no decoder (memN/ram/size) and the 1-way region it would
# make.  1 way: the region the kernel then made from the whole memdev is
# that one (start and size from iomem), the predicted kmem device the
# System RAM (kmem) iomem then shows.  2 ways (two memdevs, one region
# of both): each memdev's 1-way prediction is its whole ram at the
# window's lowest free address, which is where the kernel put the 2-way
# region; its size and kmem are not that region's, so not compared.
# After the region, no memdev has ram left (no cxl_free in show).
judge_free() {
	local name=$1 ways=$2 dir=$3 region=$4 rs=$5 re=$6 ks=$7 ke=$8 want got f
	for f in free-json free-plan free-human; do
		[[ -s $dir/$f ]] || { fail "$name: no $f section"; return; }
	done
	want=$(awk '$1 == "memdev" { print $2, $3 }' "$dir/cxl" | sort)
	got=$(jq -r '.cxl_free[] | "\(.memdev) \(.ram_free)"' "$dir/free-plan" | sort)
	[[ -n $want && $want == "$got" && $(jq '.cxl_regions | length' "$dir/free-plan") == 0 ]] &&
		ok "$name: plan before the region: each memdev's free ram as sysfs ram/size says ($(echo "$got" | tr '\n' ' '))" ||
		fail "$name: free ram: plan $(echo "$got" | tr '\n' ';') vs sysfs $(echo "$want" | tr '\n' ';')"
	if ((ways == 1)); then
		got=$(jq -r '.cxl_free[0] | "\(.resource) \(.size) \(.devices[] | select(.mode == "system-ram") | "\(.start) \(.start + .size)") \(.kernel_default.kmem)"' "$dir/free-plan")
		[[ $got == "$rs $((re + 1 - rs)) $ks $ke $((ke - ks))" ]] &&
			ok "$name: predicted region [$(hex "$rs"), $(hex $((re + 1)))) with kmem [$(hex "$ks"), $(hex "$ke")) = what the kernel then made and kmem hot-plugged" ||
			fail "$name: predicted region/kmem $got, kernel $rs $((re + 1 - rs)) $ks $ke $((ke - ks))"
	else
		got=$(jq -r '.cxl_free[] | "\(.memdev) \(.resource) \(.size) \(.interleave_ways)"' "$dir/free-plan" | sort)
		want=$(awk -v s="$rs" '$1 == "memdev" { print $2, s, $3, 1 }' "$dir/cxl" | sort)
		[[ $got == "$want" && $(jq '[.cxl_free[].size] | add' "$dir/free-plan") == $((re + 1 - rs)) ]] &&
			ok "$name: predicted per memdev a 1-way region of its ram at $(hex "$rs"), where the kernel put the $ways-way one (sizes add up to it; kmem not compared)" ||
			fail "$name: 1-way predictions $(echo "$got" | tr '\n' ';'), want $(echo "$want" | tr '\n' ';')"
	fi
	[[ $(jq '.cxl_free | length' "$dir/json-before") == 0 ]] && grep -q 'create_ram_region' "$dir/free-human" &&
		ok "$name: after the region no free ram is listed; plan says how to create it (sysfs ABI)" ||
		fail "$name: cxl_free after the region: $(jq -c '.cxl_free' "$dir/json-before")"
}

# apply on the kernel's layout (scenarios/cxl-ram.sh): rolled back to it
# from every step, then the plan's devices as sysfs lists them, the kmem
# one's System RAM in iomem, its blocks online movable, MemTotal grown by
# the plan's ram_gain from before kmem; a second apply does nothing.
judge_apply() {
	local name=$1 dir=$2 region=$3 bsz=$4 steps bad devs want got ks ke
	local kstart ksize before after gain
	steps=$(grep -c '^step ' "$dir/rollback" || :)
	bad=$(grep '^step ' "$dir/rollback" | grep -v ' same: .*injected failure' || :)
	[[ $steps -ge 8 && -z $bad ]] && grep -q '^applied at' "$dir/rollback" &&
		ok "$name: apply failing at each of its $steps steps rolled back to the kernel's layout (iomem, dax devices, blocks, MemTotal as before)" ||
		fail "$name: rollback: $steps steps; ${bad:-no final apply}$(grep -A3 DIFFERENT "$dir/rollback" | head -8)"
	grep -qx 'exit 0' "$dir/apply" ||
		{ fail "$name: apply: $(tr '\n' ' ' <"$dir/apply")"; return; }
	# the plan's devices, "start size driver", against sysfs
	want=$(jq -r --arg d "$region" '.cxl_regions[] | select(.dev == $d) | .devices[] |
		"\(.start) \(.size) \(if .mode == "system-ram" then "kmem" else "device_dax" end)"' "$dir/plan" | sort)
	got=$(awk '$2 > 0 { print $3, $2, $4 }' "$dir/daxdevs-apply" | sort)
	[[ -n $want && $want == "$got" ]] &&
		ok "$name: apply: the dax devices are the plan's:$(while read -r s z d; do printf ' [%#x +%d MiB %s]' "$s" $((z >> 20)) "$d"; done <<<"$got")" ||
		fail "$name: apply: sysfs devices $(echo "$got" | tr '\n' ';') vs plan $(echo "$want" | tr '\n' ';')"
	read -r kstart ksize < <(jq -r --arg d "$region" '.cxl_regions[] | select(.dev == $d) |
		.devices[] | select(.mode == "system-ram") | "\(.start) \(.size)"' "$dir/plan")
	read -r ks ke < <(iomem_kmem "$dir/iomem-apply" "$kstart" $((kstart + ksize - 1))) || :
	[[ "$ks $ke" == "$kstart $((kstart + ksize))" ]] &&
		ok "$name: apply: System RAM (kmem) [$(hex "$ks"), $(hex "$ke")) in iomem, the planned device's range" ||
		fail "$name: apply: iomem kmem [$ks, $ke), planned [$kstart, $((kstart + ksize)))"
	got=$(awk -v lo=$((kstart / bsz)) -v hi=$(((kstart + ksize) / bsz)) '$1 >= lo && $1 < hi { print $2, $3 }' \
		"$dir/blocks-apply" | sort | uniq -c | awk '{ $1 = $1; print }')
	[[ $got == "$((ksize / bsz)) online Movable" ]] &&
		ok "$name: apply: $((ksize / bsz)) blocks online Movable, as valid_zones says" ||
		fail "$name: apply: blocks $got"
	before=$(awk '/MemTotal/ { print $2 }' "$dir/meminfo-before")
	after=$(awk '/MemTotal/ { print $2 }' "$dir/meminfo-apply")
	gain=$(cj "$dir/plan" "$region" '.ram_gain')
	[[ $(((after - before) * 1024)) == "$gain" ]] &&
		ok "$name: apply: MemTotal $((((after - before) * 1024) >> 20)) MiB above the boot's = plan's ram_gain" ||
		fail "$name: apply: MemTotal grew $(((after - before) * 1024)) from before kmem, plan's ram_gain $gain"
	grep -q '^nothing to do' "$dir/apply-again" && grep -qx 'exit 0' "$dir/apply-again" &&
		cmp -s "$dir/iomem-apply" "$dir/iomem-again" &&
		ok "$name: apply again: nothing to do, exit 0, iomem unchanged" ||
		fail "$name: apply again: $(tr '\n' ' ' <"$dir/apply-again" | head -c 300)"
	# --zone normal: where the plan has devdax devices, refused without
	# --force (exit 3, iomem unchanged); with it, the blocks Normal
	if [[ $(cj "$dir/plan" "$region" '.devdax') != 0 ]]; then
		grep -qx 'exit 3' "$dir/rezone" && grep -q -- '--force' "$dir/rezone" &&
			cmp -s "$dir/iomem-again" "$dir/iomem-rezone" &&
			ok "$name: apply --zone normal: refused (exit 3), devdax devices need --force, iomem unchanged" ||
			fail "$name: apply --zone normal: $(tr '\n' ' ' <"$dir/rezone" | head -c 300)"
	else
		grep -qx 'exit 0' "$dir/rezone" &&
			ok "$name: apply --zone normal: no devdax device, done without --force" ||
			fail "$name: apply --zone normal: $(tr '\n' ' ' <"$dir/rezone" | head -c 300)"
	fi
	got=$(awk -v lo=$((kstart / bsz)) -v hi=$(((kstart + ksize) / bsz)) '$1 >= lo && $1 < hi { print $2, $3 }' \
		"$dir/blocks-rezone" | sort | uniq -c | awk '{ $1 = $1; print }')
	grep -qx 'exit 0' "$dir/rezone-force" && [[ $got == "$((ksize / bsz)) online Normal"* ]] &&
		sed '$d' "$dir/rezone-force" | jq -e --arg d "$region" --argjson n "$(cj "$dir/plan" "$region" '.devices | length')" '
			.verified == true and (.apply.status | IN("applied", "nothing to do")) and
			(.cxl_regions[] | select(.dev == $d) | (.result | length) == $n and .verified)' >/dev/null &&
		ok "$name: apply --zone normal --force --json: exit 0, $((ksize / bsz)) blocks online Normal, the document's result lists the devices" ||
		fail "$name: apply --zone normal --force: blocks $got; $(tr '\n' ' ' <"$dir/rezone-force" | head -c 300)"
}

judge_pmem() {
	local kernel=$1 dir=$out/$1-pmem nd rs re
	current="$kernel pmem"
	for f in cxl ndregions json iomem; do
		[[ -s $dir/$f ]] || { fail "pmem: no $f section"; tail -20 "$dir/console" | sed 's/^/    /'; return; }
	done
	grep -q '^FAIL' "$dir/console" && { fail "pmem: $(grep -m1 '^FAIL' "$dir/console")"; return; }
	read -r nd _ < <(awk '$2 == "CXL"' "$dir/ndregions")
	read -r rs re < <(iomem_range "$dir/iomem" "$(awk '$2 == "pmem" { print $1; exit }' "$dir/cxl")") ||
		{ fail "pmem: no CXL region in /proc/iomem"; return; }
	[[ -n $nd && $(jq -r --arg d "$nd" '.regions[] | select(.dev == $d) | "\(.kind) \(.resource) \(.size)"' "$dir/json") == "cxl $rs $((re + 1 - rs))" ]] &&
		ok "pmem: nvdimm $nd (bus provider CXL) is kind cxl at $(hex "$rs"), as iomem says" ||
		fail "pmem: nvdimm region ${nd:-none}: $(jq -c '[.regions[] | {dev, kind, resource}]' "$dir/json")"
	[[ $(jq -r '.cxl_regions[] | select(.mode == "pmem") | "\(.resource) \(.nd_region)"' "$dir/json") == "$rs $nd" ]] &&
		ok "pmem: the CXL region lists $nd as its nvdimm region" ||
		fail "pmem: cxl_regions: $(jq -c '.cxl_regions' "$dir/json")"
}

if want ram-mom; then
	boot ram-mom 6.12 cxl-ram "$RAM_MODULES" --cxl ram=1G \
		--append memory_hotplug.memmap_on_memory=1 || :
	judge_ram ram-mom 1
fi
if want ram-2way; then
	boot ram-2way 6.12 cxl-ram "$RAM_MODULES" --cxl ram=512M --cxl ram=512M || :
	judge_ram ram-2way 2
fi
if want ram-big; then
	boot ram-big 6.12 cxl-ram "$RAM_MODULES" --big-blocks --cxl ram=4G || :
	judge_ram ram-big 1
fi
for k in 6.1 6.12; do
	want pmem || continue
	boot pmem "$k" cxl-pmem "$PMEM_MODULES" --cxl pmem=1G || :
	judge_pmem "$k"
done
kernels=(6.1 6.12)
vm_finish CXL
