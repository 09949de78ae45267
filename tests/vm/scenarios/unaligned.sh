# A region that does not start on a memory block boundary, ndctl defaults.
. /etc/pmemplan-vm/common.sh
init_labels
ndctl create-namespace -m devdax >/dev/null
snapshot before
bind_kmem
snapshot after
