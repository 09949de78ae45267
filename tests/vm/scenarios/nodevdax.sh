# A kernel without devdax (Debian 12's arm64 6.1: CONFIG_ZONE_DEVICE off),
# a fresh labelled 4 GiB NVDIMM.  What the kernel says (no dax seed, ndctl
# cannot make a devdax namespace) and what pmemplan says: show notes it,
# plan and apply refuse in one line with exit 1, and apply changes nothing.
. /etc/pmemplan-vm/common.sh
state() {
	ndctl list -RNDi 2>&1
	cat /proc/iomem
	cat /sys/bus/nd/devices/region*/align 2>/dev/null
	cat /sys/devices/system/memory/auto_online_blocks
}
section kernel
for r in /sys/bus/nd/devices/region*; do
	[ -e "$r/dax_seed" ] && echo "${r##*/} dax_seed $(cat "$r/dax_seed")" ||
		echo "${r##*/} no dax_seed"
done
section show
pmemplan show 2>&1
echo "exit $?"
section plan
pmemplan plan 2>&1
echo "exit $?"
state >/tmp/before
section apply
pmemplan apply 2>&1
echo "exit $?"
section unchanged
state >/tmp/after
if cmp -s /tmp/before /tmp/after; then echo identical; else diff /tmp/before /tmp/after; fi
# what the kernel itself answers (after apply: this one changes labels)
section ndctl
init_labels >/dev/null 2>&1
ndctl create-namespace -m devdax 2>&1
echo "exit $?"
