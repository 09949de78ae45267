# Plan on fresh devices and prove planning changed nothing: the state of
# libnvdimm (ndctl list), /proc/iomem and every region's align before and
# after.  The host judges the planned kmem against the bound from iomem.
. /etc/pmemplan-vm/common.sh
state() {
	ndctl list -RNDi 2>&1
	cat /proc/iomem
	cat /sys/bus/nd/devices/region*/align 2>/dev/null
	cat /sys/devices/system/memory/auto_online_blocks
}
state >/tmp/before
section block-size
cat /sys/devices/system/memory/block_size_bytes
section plan-json
pmemplan plan --json
echo "exit $?" >/tmp/plan.rc
section plan-human
pmemplan plan 2>&1 | cat
section plan-rc
cat /tmp/plan.rc
state >/tmp/after
section unchanged
if cmp -s /tmp/before /tmp/after; then echo yes; else echo no; diff /tmp/before /tmp/after; fi
section iomem
cat /proc/iomem
regions
section show-json
pmemplan show --json
