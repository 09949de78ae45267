# Runs INSIDE a tests/vm guest (busybox sh, as root): binds the pmem, if
# there is any, to kmem as one devdax namespace, then copies the files the
# platform probe reads (lib/probe/platform.c, lib/system/memblock.c) into a
# tree and prints it, as a gzipped tar in base64, between the lines
# "=== sysroot-tar" and "=== end".  capture-all.sh runs it and unpacks the
# trees into tests/sysroot/NAME/; "pmemplan show --sysroot NAME" and
# tests/unit/test_sysroot read them.
#
# Beside the kernel's own files the tree holds proc/self/smaps with just
# the "KernelPageSize:" line: the page size, which a live probe takes from
# sysconf(_SC_PAGESIZE).  The kernel release, version and architecture
# come from proc/sys/kernel/{osrelease,version,arch} (uname(2) answers
# for the running kernel, not for the tree).
. /etc/pmemplan-vm/common.sh

if ls -d /sys/bus/nd/devices/region* >/dev/null 2>&1; then
	init_labels
	ndctl create-namespace -m devdax >/dev/null
	bind_kmem
fi

D=/tmp/sysroot
M=/sys/devices/system/memory

# copy FILE...: each existing, readable file to the same path under $D
copy() {
	for f; do
		[ -f "$f" ] || continue
		mkdir -p "$D${f%/*}"
		cat "$f" >"$D$f" 2>/dev/null || rm -f "$D$f"
	done
}

copy /proc/meminfo /proc/iomem /proc/pagetypeinfo \
	/proc/sys/kernel/osrelease /proc/sys/kernel/version \
	/proc/sys/kernel/arch \
	$M/block_size_bytes $M/auto_online_blocks \
	/sys/module/memory_hotplug/parameters/memmap_on_memory \
	/sys/kernel/mm/transparent_hugepage/hpage_pmd_size \
	/sys/devices/system/node/online
for b in "$M"/memory[0-9]*; do
	copy "$b/state" "$b/valid_zones"
done
for e in /sys/firmware/memmap/[0-9]*; do
	copy "$e/start" "$e/end" "$e/type"
done
mkdir -p $D/proc/self
grep -m 1 '^KernelPageSize:' /proc/self/smaps >$D/proc/self/smaps

# What the live probe said, to check a --sysroot probe against.
if command -v pmemplan >/dev/null; then
	pmemplan show --json >$D/pmemplan-show.json 2>&1
fi

section sysroot-tar
tar -C $D -cf - . | gzip -9 | base64
section end
