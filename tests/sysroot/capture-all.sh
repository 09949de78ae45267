#!/usr/bin/env bash
# Captures the trees under tests/sysroot/ from real kernels in QEMU: one
# boot per tree, each under the VM lock.  Run from anywhere:
#
#   tests/sysroot/capture-all.sh PMEMPLAN_BINARY [NAME...]
#
# NAME: 6.1, 6.12, 6.12-bigblocks, 6.12-mom, 6.12-cxl (default: all).
# 6.12-cxl is a 1 GiB CXL ram region bound to kmem with
# memmap_on_memory=1 (tests/vm/scenarios/cxl-ram.sh, bookworm-backports'
# QEMU), beside the platform files the CXL and dax ones lib/probe/cxl.c
# reads.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
vm=$here/../vm
bin=$(realpath "${1:?usage: capture-all.sh PMEMPLAN_BINARY [NAME...]}")
shift
names=("$@")
((${#names[@]})) || names=(6.1 6.12 6.12-bigblocks 6.12-mom 6.12-cxl)

for name in "${names[@]}"; do
	case $name in
	6.1) args=(--kernel 6.1 --mem 1G --nvdimm "2050M,label") ;;
	6.12) args=(--kernel 6.12 --mem 1G --nvdimm "2050M,label") ;;
	6.12-bigblocks)
		args=(--kernel 6.12 --mem 66G --big-blocks --nvdimm "8194M,label") ;;
	6.12-mom)
		args=(--kernel 6.12 --mem 1G --nvdimm "2050M,label"
			--append memory_hotplug.memmap_on_memory=1) ;;
	6.12-cxl)
		args=(--kernel 6.12 --mem 1G --cxl ram=1G
			--append memory_hotplug.memmap_on_memory=1
			--append pmemplan.capture) ;;
	*) echo "unknown tree $name" >&2; exit 2 ;;
	esac
	console=$(mktemp)
	script=$here/capture.sh
	if [[ $name == *-cxl ]]; then
		script=$vm/scenarios/cxl-ram.sh
		export PMEMPLAN_VM_MODULES="cxl_acpi cxl_pci cxl_mem cxl_pmem dax_cxl device_dax"
		export PMEMPLAN_VM_EXTRA_MODULES=kmem
	fi
	flock /tmp/pmemplan-vm.lock "$vm/run-vm.sh" --timeout 900 "${args[@]}" \
		--file "$bin:/bin/pmemplan" \
		--file "$vm/guest/common.sh:/etc/pmemplan-vm/common.sh" \
		--script "$script" >"$console"
	rm -rf "${here:?}/$name"
	mkdir -p "$here/$name"
	sed -n '/^=== sysroot-tar$/,/^=== end$/p' "$console" | sed '1d;$d' |
		base64 -d | tar -C "$here/$name" -xzf -
	rm -f "$console"
	echo "$name: $(find "$here/$name" -type f | wc -l) files," \
		"$(du -sk "$here/$name" | cut -f1) KiB"
done
