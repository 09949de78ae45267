# shellcheck shell=sh
# A layout made by hand that the kernel takes but oopses on when device_dax
# binds (arm64 16K pages: a devdax namespace, map=mem, align 32 MiB, at a
# start that is 16 MiB but not 32 MiB aligned; issue 11).  The guest loads
# no device_dax (test-show.sh: PMEMPLAN_VM_MODULES), so the namespace can
# exist unbound; ndctl makes it exactly as a user would.  What the kernel
# holds (sections iomem, align), what show says of it and what plan does.
. /etc/pmemplan-vm/common.sh
init_labels >/dev/null 2>&1
section ndctl
ndctl create-namespace -m raw -s 112M >/dev/null 2>&1
echo "raw exit $?"
ndctl create-namespace -m devdax -M mem -a 32M -s 3968M >/dev/null 2>&1
echo "devdax exit $?"
section iomem
cat /proc/iomem
section align
for d in /sys/bus/dax/devices/dax*; do
	[ -e "$d/align" ] && echo "${d##*/} $(cat "$d/align")"
done
section show-human
pmemplan show 2>&1
echo "exit $?"
section show-json
pmemplan show --json
section plan-json
pmemplan plan --json
