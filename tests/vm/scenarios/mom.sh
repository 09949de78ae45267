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
