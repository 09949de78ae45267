# Labelled 4 GiB NVDIMM: fsdax, devdax map=dev, devdax map=mem and raw
# namespaces; then both devdax devices bound to kmem.
. /etc/pmemplan-vm/common.sh
init_labels
ndctl create-namespace -r region0 -m fsdax -s 512M >/dev/null
ndctl create-namespace -r region0 -m devdax -M dev -s 1G >/dev/null
ndctl create-namespace -r region0 -m devdax -M mem -s 1536M >/dev/null
ndctl create-namespace -r region0 -m raw -s 256M >/dev/null
snapshot before
bind_kmem
snapshot after
nonroot
