# A CXL pmem region over the guest's first memory expander (run-vm.sh
# --cxl pmem=SIZE), created by cxl-cli as a user would; cxl_pmem makes an
# nvdimm region of it on the bus "CXL" (drivers/cxl/pmem.c).  Sections:
# cxl (the region's sysfs facts), ndregions (the nvdimm regions:
# name, provider, resource, size), json, iomem, human.
. /etc/pmemplan-vm/common.sh
bus=/sys/bus/cxl/devices
cxl create-region -m -t pmem -d decoder0.0 mem0 >/tmp/cxl.out 2>&1 ||
	{ echo "FAIL cxl create-region:"; cat /tmp/cxl.out; }
for f in /sys/bus/nd/devices/ndbus*/wait_probe; do
	[ -e "$f" ] && cat "$f" >/dev/null
done
section cxl
for r in "$bus"/region*; do
	# no mode attribute before 6.3: every region is pmem
	echo "${r##*/} $(cat "$r/mode" 2>/dev/null || echo pmem) $(cat "$r/resource") $(cat "$r/size") $(cat "$r/interleave_ways")"
done
section ndregions
for r in /sys/bus/nd/devices/region*; do
	echo "${r##*/} $(cat "$r/../provider" 2>/dev/null || echo -) $(cat "$r/resource") $(cat "$r/size")"
done
section json
pmemplan show --json
section iomem
cat /proc/iomem
section human
pmemplan show | cat
