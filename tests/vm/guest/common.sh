# Helpers for guest scripts (busybox ash), installed as /etc/pmemplan-vm/common.sh.
# Output sections are "=== NAME" lines; the host splits on them.

section() { echo "=== $1"; }

# Labels: a QEMU NVDIMM with label-size starts with no label index, which the
# kernel shows as one label-less namespace; initialise them as ndctl's man
# page says (disable-region, init-labels, enable-region).
init_labels() {
	ndctl disable-region all >/dev/null 2>&1
	ndctl init-labels -f all >/dev/null 2>&1
	ndctl enable-region all >/dev/null 2>&1
}

# Bind every devdax device to kmem and online it movable, as daxctl does.
# Debian's 6.12 has auto_online_blocks=online, where daxctl refuses (and,
# forced, the kernel onlines into ZONE_NORMAL): set offline around it and put
# the policy back, which §13 of kernel-model.md shows gives ZONE_MOVABLE.
bind_kmem() {
	policy=$(cat /sys/devices/system/memory/auto_online_blocks)
	echo offline >/sys/devices/system/memory/auto_online_blocks
	daxctl reconfigure-device -m system-ram "${1:-all}" >/dev/null 2>/tmp/daxctl.err ||
		{ echo "daxctl failed:"; cat /tmp/daxctl.err; }
	echo "$policy" >/sys/devices/system/memory/auto_online_blocks
}

# The show JSON and /proc/iomem, as one labelled pair of sections.
snapshot() {
	section "json-$1"
	pmemplan show --json
	echo "exit $?" >/tmp/show.rc
	section "iomem-$1"
	cat /proc/iomem
	section "meminfo-$1"
	grep -E '^Mem(Total|Available):' /proc/meminfo
	section "human-$1"
	pmemplan show | cat
}

# What show prints for an ordinary user.
nonroot() {
	section nonroot-json
	runas nobody pmemplan show --json
	echo "exit $?"
	section nonroot-human
	runas nobody pmemplan show >/tmp/show.out 2>&1
	rc=$?
	cat /tmp/show.out
	echo "exit $rc"
}
