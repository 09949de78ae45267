# A CXL ram region over every memory expander of the guest (run-vm.sh
# --cxl ram=SIZE, once per device: n devices make an n-way region),
# created through the kernel's sysfs ABI with kmem not loaded yet: the dax
# device dax_cxl makes stays unbound (a kmem-type device matches no other
# driver, drivers/dax/bus.c dax_match_type()), so show predicts.  Then
# kmem is loaded and binds it as the kernel's default would have, and
# show measures.  Needs Linux 6.3+ (create_ram_region, dax_cxl).
# Sections: free-json, free-plan, free-human (before the region, below),
# cxl (the region's sysfs facts, each memdev's ram size, the block size),
# json/iomem/meminfo/human before and after, plan (plan --json before
# kmem) and iomem-plan, nonroot-json and nonroot-human (guest/common.sh),
# blocks-after (each memory block: index, state, zones), then rollback,
# apply, iomem-apply, meminfo-apply, daxdevs-apply, blocks-apply,
# apply-again, iomem-again, rezone, iomem-rezone, rezone-force and
# blocks-rezone (pmemplan apply after it all), sysroot-tar.
. /etc/pmemplan-vm/common.sh
bus=/sys/bus/cxl/devices
# Before any region: what plan says a region of each memdev's free ram
# would be (lib/planner/cxl.c pp_cxl_free_place()); test-cxl.sh judges it
# by the region the kernel then makes.  Sections free-json (show --json),
# free-plan (plan --json) and free-human (plan).
section free-json
pmemplan show --json
section free-plan
pmemplan plan --json
section free-human
pmemplan plan
region=$(cxl_ram_region_all 2>/tmp/cxl.err) ||
	{ echo "FAIL creating the ram region:"; cat /tmp/cxl.err; dmesg | tail -5; }
section cxl
for a in mode resource size interleave_ways interleave_granularity commit target0 target1; do
	[ -e "$bus/$region/$a" ] && echo "$a $(cat "$bus/$region/$a")"
done
echo "window $(cat $bus/decoder0.0/start) $(cat $bus/decoder0.0/size)"
for m in "$bus"/mem*; do
	echo "memdev ${m##*/} $(($(cat "$m/ram/size")))"
done
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
section blocks-after
for b in /sys/devices/system/memory/memory[0-9]*; do
	echo "${b##*memory} $(cat "$b/state") $(cat "$b/valid_zones")"
done
# apply (issue 13), from the kernel's layout (one device, kmem, online
# as auto_online_blocks says).  First a failure injected at every step in
# turn (PMEMPLAN_TEST_FAIL_STEP=2, 3, ...): each must roll back to that
# layout, the kernel's state (iomem, dax devices and drivers, blocks,
# MemTotal) the same as before; the first run with no step left to fail
# is the apply.  Then the plain apply again: nothing to do; and --zone
# normal, which needs --force where there are devdax devices.
# (left out when capturing a sysroot: that is the kernel's layout)
apply_part() {
	kstate() {
		cat /proc/iomem
		for d in /sys/bus/dax/devices/dax*; do
			drv=$(readlink "$d/driver" 2>/dev/null)
			echo "${d##*/} $(cat "$d/size") $(cat "$d/resource" 2>/dev/null) ${drv##*/}"
		done
		for b in /sys/devices/system/memory/memory[0-9]*; do
			echo "${b##*memory} $(cat "$b/state") $(cat "$b/valid_zones")"
		done
		grep -E '^MemTotal:' /proc/meminfo
	}
	kstate >/tmp/kstate-before
	section rollback
	n=1
	while [ $n -le 60 ]; do
		PMEMPLAN_TEST_FAIL_STEP=$n pmemplan apply >/tmp/apply.out 2>&1
		rc=$?
		[ $rc -eq 0 ] && break
		kstate >/tmp/kstate
		if cmp -s /tmp/kstate-before /tmp/kstate; then same=same; else same=DIFFERENT; fi
		echo "step $n exit $rc $same: $(grep -m1 'injected\|apply:' /tmp/apply.out)"
		[ $same = same ] || diff /tmp/kstate-before /tmp/kstate | head -20
		n=$((n + 1))
	done
	echo "applied at $n"
	section apply
	cat /tmp/apply.out
	echo "exit $rc"
	section iomem-apply
	cat /proc/iomem
	section meminfo-apply
	grep -E '^Mem(Total|Available):' /proc/meminfo
	section daxdevs-apply
	for d in /sys/bus/dax/devices/dax*; do
		drv=$(readlink "$d/driver" 2>/dev/null)
		echo "${d##*/} $(cat "$d/size") $(($(cat "$d/resource"))) ${drv##*/}"
	done
	section blocks-apply
	for b in /sys/devices/system/memory/memory[0-9]*; do
		echo "${b##*memory} $(cat "$b/state") $(cat "$b/valid_zones")"
	done
	section apply-again
	pmemplan apply 2>&1
	echo "exit $?"
	section iomem-again
	cat /proc/iomem
	# another zone: the devices are made again, and a devdax device
	# among them (an application may map it) needs --force
	section rezone
	pmemplan apply --zone normal 2>&1
	echo "exit $?"
	section iomem-rezone
	cat /proc/iomem
	section rezone-force
	pmemplan apply --zone normal --force --json 2>/tmp/rezone.err
	echo "exit $?"
	section blocks-rezone
	for b in /sys/devices/system/memory/memory[0-9]*; do
		echo "${b##*memory} $(cat "$b/state") $(cat "$b/valid_zones")"
	done
}
grep -qw pmemplan.capture /proc/cmdline || apply_part
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
