# 6.12 with memory_hotplug.memmap_on_memory=1: two 2 GiB devdax map=mem
# namespaces, memmap_on_memory set on the first dax device only.
. /etc/pmemplan-vm/common.sh
init_labels
ndctl create-namespace -r region0 -m devdax -M mem -s 2G >/dev/null
ndctl create-namespace -r region0 -m devdax -M mem -s 2G >/dev/null
first=$(ls /sys/bus/dax/devices | head -n 1)
echo 1 >"/sys/bus/dax/devices/$first/memmap_on_memory"
snapshot before
bind_kmem
snapshot after
# The plain command on a second, empty region: --memmap=auto picks where
# the struct pages go (x86 4K: the device, 2 MiB of each block either way,
# a tie; ppc64 64K: DRAM, the device's pageblock padding costs more), and
# MemTotal must grow by exactly the plan's predicted ram_gain.
section plan-net
pmemplan plan --target kmem -r region1 --json
section apply-net
pmemplan apply --target kmem -r region1 2>&1
echo "exit $?"
section sysfs-net
for d in /sys/bus/dax/devices/dax1.*; do
	echo "${d##*/} $(cat "$d/memmap_on_memory")"
done
section meminfo-net
grep -E '^Mem(Total|Available):' /proc/meminfo
