# memmap=2G!4G: a label-less e820 region, its namespace made devdax.
. /etc/pmemplan-vm/common.sh
ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null
snapshot before
bind_kmem
snapshot after
