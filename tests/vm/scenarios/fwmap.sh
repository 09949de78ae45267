# memmap=2G!4G next to an NVDIMM without a label area, judged in the guest:
# firmware_memmap is /sys/firmware/memmap (end made exclusive) and still
# shows the carve-out as the System RAM it was; neither region can hold
# labels.  Exits 1 on a mismatch.
#   tests/vm/run-vm.sh --kernel 6.1 --mem 6G --append 'memmap=2G!4G' \
#	--nvdimm 1026M --file build/pmemplan:/bin/pmemplan \
#	--file tests/vm/guest/common.sh:/etc/pmemplan-vm/common.sh \
#	--script tests/vm/scenarios/fwmap.sh
. /etc/pmemplan-vm/common.sh
fail=0

pmemplan show --json >/tmp/show.json || fail=1

section firmware-memmap
sysfs=$(for d in /sys/firmware/memmap/*; do
	echo "$(($(cat "$d/start"))) $(($(cat "$d/end") + 1)) $(cat "$d/type")"
done | sort -n)
json=$(awk '
	/^    "firmware_memmap": \[/ { on = 1; next }
	on && /^    \]/ { exit }
	on && /^        "start":/ { s = $2; sub(/,/, "", s) }
	on && /^        "end":/ { e = $2; sub(/,/, "", e) }
	on && /^        "type":/ {
		t = $0; sub(/^[^:]*: "/, "", t); sub(/"$/, "", t)
		print s, e, t
	}' /tmp/show.json)
echo "$json"
expect "firmware_memmap = /sys/firmware/memmap" "$sysfs" "$json"
case $json in
*"4294967296 7516192768 System RAM"*)
	echo "ok   the firmware's RAM at 4G-7G, before memmap= took 4G-6G" ;;
*)
	echo "FAIL no System RAM entry 0x100000000-0x1c0000000"; fail=1 ;;
esac
if grep -q '^100000000-17fffffff : Persistent Memory (legacy)' /proc/iomem
then
	echo "ok   /proc/iomem: 4G-6G is Persistent Memory (legacy)"
else
	echo "FAIL /proc/iomem has no legacy pmem at 4G"
	fail=1
fi

section regions
regions=$(awk '
	function val(s) { sub(/^[^:]*: /, "", s); sub(/,$/, "", s); return s }
	/^      "kind":/ { k = val($0) }
	/^      "label_capable":/ { print k, "label_capable=" val($0) }
	/^          "signature":/ { print "  signature=" val($0) }' \
	/tmp/show.json | sort)
expect "no region can hold labels" '  signature=""
  signature=""
"e820" label_capable=false
"nfit" label_capable=false' "$regions"
exit $fail
