# A snapshot for tests/snapshots (capture-arch.sh): the device prepared as
# PREP says, then "pmemplan show --json" and the kernel's view to judge it.
#   PREP  fresh: as QEMU made it; ndctl: labels, one devdax namespace with
#         ndctl's defaults, bound to kmem (movable); ndctl-mom: one
#         devdax map=mem namespace, its dax device's memmap_on_memory set,
#         bound to kmem; apply: the plain "pmemplan apply" on the fresh
#         device
. /etc/pmemplan-vm/common.sh
case ${PREP:-fresh} in
fresh) ;;
ndctl)
	init_labels >/dev/null 2>&1
	ndctl create-namespace -m devdax >/dev/null
	bind_kmem
	;;
ndctl-mom)
	init_labels >/dev/null 2>&1
	ndctl create-namespace -m devdax -M mem >/dev/null
	for d in /sys/bus/dax/devices/dax*; do echo 1 >"$d/memmap_on_memory"; done
	bind_kmem
	;;
apply)
	pmemplan apply >/tmp/apply.out 2>&1 || { echo "apply failed:"; cat /tmp/apply.out; exit 1; }
	;;
esac
regions
section json
pmemplan show --json
section iomem
cat /proc/iomem
