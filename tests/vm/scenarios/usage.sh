# What may hold data, judged in the guest: label_capable, claimed, signature
# (libblkid) and busy (O_EXCL, kmem), before and after labels.  Exits 1 on a
# mismatch.  mount needs ext4 (it mounts ext2), which the default module
# list lacks:
#   PMEMPLAN_VM_MODULES="nfit nd_pmem nd_e820 dax_pmem device_dax kmem ext4" \
#   tests/vm/run-vm.sh --kernel 6.1 --mem 1G --nvdimm 4098M,label \
#	--file build/pmemplan:/bin/pmemplan \
#	--file tests/vm/guest/common.sh:/etc/pmemplan-vm/common.sh \
#	--script tests/vm/scenarios/usage.sh
. /etc/pmemplan-vm/common.sh
fail=0

# "region0 labelled=false label_capable=true" and
# "namespace0.0 claimed=false signature="" busy=false", one a line
usage() {
	"$@" pmemplan show --json | awk '
	function val(s) { sub(/^[^:]*: /, "", s); sub(/,$/, "", s); return s }
	/^      "dev": "region/ { r = val($0); gsub(/"/, "", r) }
	/^      "labelled":/ { l = val($0) }
	/^      "label_capable":/ {
		print r, "labelled=" l, "label_capable=" val($0)
	}
	/^          "dev": "namespace/ { n = val($0); gsub(/"/, "", n) }
	/^          "claimed":/ { c = val($0) }
	/^          "signature":/ { s = val($0) }
	/^          "busy":/ {
		print n, "claimed=" c, "signature=" s, "busy=" val($0)
	}'
}

blockdev_of() { tr -d ' \n' | sed -n 's/.*"blockdev":"\([^"]*\)".*/\1/p'; }

section fresh
# a blank label area: label-less for now, but init-labels would work
expect "fresh, root" 'region0 labelled=false label_capable=true
namespace0.0 claimed=false signature="" busy=false' "$(usage)"
expect "fresh, non-root" 'region0 labelled=false label_capable=true
namespace0.0 claimed=false signature=null busy=false' "$(usage runas nobody)"

section dimm-disabled
# label_capable from GET_CONFIG_SIZE (root) or the commands alone: no
# available_slots without the DIMM driver
ndctl disable-region all >/dev/null 2>&1
ndctl disable-dimm all >/dev/null 2>&1
expect "DIMM disabled, root" 'region0 labelled=false label_capable=true' \
	"$(usage)"
expect "DIMM disabled, non-root" \
	'region0 labelled=false label_capable=true' "$(usage runas nobody)"
ndctl enable-dimm all >/dev/null 2>&1
ndctl enable-region all >/dev/null 2>&1

section labelled
init_labels >/dev/null 2>&1
raw=$(ndctl create-namespace -m raw -s 512M | blockdev_of)
ext=$(ndctl create-namespace -m raw -s 256M | blockdev_of)
dos=$(ndctl create-namespace -m raw -s 256M | blockdev_of)
fsd=$(ndctl create-namespace -m fsdax -s 512M | blockdev_of)
ndctl create-namespace -m devdax -M mem -s 1G >/dev/null
mke2fs -F "/dev/$ext" >/dev/null 2>&1 || echo "mke2fs /dev/$ext failed"
printf 'o\nw\n' | fdisk "/dev/$dos" >/dev/null 2>&1
mke2fs -F "/dev/$fsd" >/dev/null 2>&1 || echo "mke2fs /dev/$fsd failed"
mkdir -p /mnt/ext /mnt/fsd
mount -t ext2 "/dev/$ext" /mnt/ext || echo "mount /dev/$ext failed"
mount -t ext2 "/dev/$fsd" /mnt/fsd || echo "mount /dev/$fsd failed"
# an ordinary open is no exclusive hold: not busy
# shellcheck disable=SC2217 # the open is the point, not the reading
sleep 1000 <"/dev/$raw" &
bind_kmem
expect "labelled, root" 'region0 labelled=true label_capable=true
namespace0.0 claimed=false signature="" busy=false
namespace0.1 claimed=false signature="ext2" busy=true
namespace0.2 claimed=false signature="dos" busy=false
namespace0.3 claimed=true signature=null busy=true
namespace0.4 claimed=true signature=null busy=true' "$(usage)"
# no device access, no resource: only kmem's "not known offline" remains
expect "labelled, non-root" 'region0 labelled=true label_capable=true
namespace0.0 claimed=false signature=null busy=false
namespace0.1 claimed=false signature=null busy=false
namespace0.2 claimed=false signature=null busy=false
namespace0.3 claimed=true signature=null busy=false
namespace0.4 claimed=true signature=null busy=true' "$(usage runas nobody)"
umount /mnt/ext /mnt/fsd
expect "unmounted" 'region0 labelled=true label_capable=true
namespace0.0 claimed=false signature="" busy=false
namespace0.1 claimed=false signature="ext2" busy=false
namespace0.2 claimed=false signature="dos" busy=false
namespace0.3 claimed=true signature=null busy=false
namespace0.4 claimed=true signature=null busy=true' "$(usage)"

exit $fail
