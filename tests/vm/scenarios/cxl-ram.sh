# A CXL ram region over every memory expander of the guest (run-vm.sh
# --cxl ram=SIZE, once per device: n devices make an n-way region),
# created through the kernel's sysfs ABI with kmem not loaded yet: the dax
# device dax_cxl makes stays unbound (a kmem-type device matches no other
# driver, drivers/dax/bus.c dax_match_type()), so show predicts.  Then
# kmem is loaded and binds it as the kernel's default would have, and
# show measures.  Needs Linux 6.3+ (create_ram_region, dax_cxl).
# Sections: cxl (the region's sysfs facts, the block size),
# json/iomem/meminfo/human before and after, plan (plan --json before
# kmem) and iomem-plan, nonroot-json and nonroot-human (guest/common.sh),
# apply and iomem-apply (pmemplan apply after it all),
# blocks-after (each memory block: index, state, zones), sysroot-tar.
. /etc/pmemplan-vm/common.sh
bus=/sys/bus/cxl/devices
size=0
for m in "$bus"/mem*; do
	size=$((size + $(cat "$m/ram/size")))
done
# one endpoint decoder per memdev, in the order of the host bridge's
# ports (decoder names follow the endpoint ports' enumeration)
eps=''
for d in "$bus"/decoder*.0; do
	[ "$(cat "$d/devtype")" = cxl_decoder_endpoint ] && eps="$eps ${d##*/}"
done
# shellcheck disable=SC2086 # the list is words
region=$(cxl_ram_region decoder0.0 256 "$size" $eps 2>/tmp/cxl.err) ||
	{ echo "FAIL creating the ram region ($eps, $size bytes):"; cat /tmp/cxl.err; dmesg | tail -5; }
section cxl
for a in mode resource size interleave_ways interleave_granularity commit target0 target1; do
	[ -e "$bus/$region/$a" ] && echo "$a $(cat "$bus/$region/$a")"
done
echo "window $(cat $bus/decoder0.0/start) $(cat $bus/decoder0.0/size)"
echo "block_size_bytes $(cat /sys/devices/system/memory/block_size_bytes)"
echo "auto_online_blocks $(cat /sys/devices/system/memory/auto_online_blocks)"
echo "dax $(ls /sys/bus/dax/devices/)"
snapshot before
# the plan, made before kmem binds: it changes nothing (iomem-plan)
section plan
pmemplan plan --json
section iomem-plan
cat /proc/iomem
# kmod's modprobe: busybox's applet would win over PATH (guest/init)
/bin/modprobe kmem
snapshot after
nonroot
# apply leaves CXL regions alone (pmemplan-plan(1)) and says so
section apply
pmemplan apply --target kmem 2>&1
echo "exit $?"
section iomem-apply
cat /proc/iomem
section blocks-after
for b in /sys/devices/system/memory/memory[0-9]*; do
	echo "${b##*memory} $(cat "$b/state") $(cat "$b/valid_zones")"
done
# The tree pmemplan show --sysroot reads (tests/sysroot/6.12-cxl), when
# booted with pmemplan.capture (tests/sysroot/capture-all.sh): the
# platform files of tests/sysroot/capture.sh and the CXL and dax ones
# lib/probe/cxl.c reads, links left out (it follows none).
grep -qw pmemplan.capture /proc/cmdline || exit 0
section sysroot-tar
D=/tmp/sysroot M=/sys/devices/system/memory
copy() {
	for f; do
		[ -f "$f" ] || continue
		mkdir -p "$D${f%/*}"
		cat "$f" >"$D$f" 2>/dev/null || rm -f "$D$f"
	done
}
copy /proc/meminfo /proc/iomem /proc/pagetypeinfo /proc/sys/kernel/osrelease \
	/proc/sys/kernel/version /proc/sys/kernel/arch $M/block_size_bytes \
	$M/auto_online_blocks /sys/module/memory_hotplug/parameters/memmap_on_memory \
	/sys/kernel/mm/transparent_hugepage/hpage_pmd_size /sys/devices/system/node/online
for b in "$M"/memory[0-9]*; do
	copy "$b/state" "$b/valid_zones"
done
for e in /sys/firmware/memmap/[0-9]*; do
	copy "$e/start" "$e/end" "$e/type"
done
mkdir -p $D/proc/self
grep -m 1 '^KernelPageSize:' /proc/self/smaps >$D/proc/self/smaps
for d in "$bus"/decoder* "$bus"/region*; do
	copy "$d"/*
	for r in "$d"/region[0-9]*; do
		[ -d "$r" ] && mkdir -p "$D$r"
	done
done
for x in "$bus"/region*/dax_region*; do
	copy "$x"/dax_region/*
	for v in "$x"/dax[0-9]*; do
		mkdir -p "$D$v"
	done
done
for v in /sys/bus/dax/devices/*; do
	copy "$v"/resource "$v"/size "$v"/align "$v"/target_node \
		"$v"/memmap_on_memory "$v"/uevent
done
pmemplan show --json >$D/pmemplan-show.json 2>&1
tar -C $D -cf - . | gzip -9 | base64
section end
