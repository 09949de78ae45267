# 66 GiB of RAM on "bare metal": 2 GiB memory blocks, 8 GiB NVDIMM.
. /etc/pmemplan-vm/common.sh
section block-size
cat /sys/devices/system/memory/block_size_bytes
init_labels
ndctl create-namespace -m devdax >/dev/null
snapshot before
bind_kmem
snapshot after
