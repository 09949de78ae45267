# Helpers for guest scripts (busybox ash), installed as /etc/pmemplan-vm/common.sh.
# Output sections are "=== NAME" lines; the host splits on them.

section() { echo "=== $1"; }

# init_labels and to_system_ram come from the harness (guest/helpers.sh).
. /lib/pmemplan-vm/helpers.sh

# Bind devdax device $1 (default: all) to kmem, movable, policy restored.
bind_kmem() {
	to_system_ram "${1:-all}" >/dev/null 2>/tmp/daxctl.err ||
		{ echo "daxctl failed:"; cat /tmp/daxctl.err; }
}

# "regionN 0xSTART SIZE" for every region, from sysfs: the region of a
# platform whose /proc/iomem has no "Persistent Memory" line (ppc64's
# papr_scm); section "regions" (lib.sh: vm_iomem_regions, check-show.sh).
regions() {
	section regions
	for r in /sys/bus/nd/devices/region*; do
		[ -e "$r/resource" ] && echo "${r##*/} $(cat "$r/resource") $(cat "$r/size")"
	done
}

# The show JSON and /proc/iomem, as one labelled pair of sections.
snapshot() {
	[ "$1" != before ] || regions
	section "json-$1"
	pmemplan show --json
	echo "exit $?" >/tmp/show.rc
	section "iomem-$1"
	cat /proc/iomem
	section "meminfo-$1"
	grep -E '^Mem(Total|Available):' /proc/meminfo
	section "human-$1"
	pmemplan show | cat
}

# What show prints for an ordinary user.
nonroot() {
	section nonroot-json
	runas nobody pmemplan show --json
	echo "exit $?"
	section nonroot-human
	runas nobody pmemplan show >/tmp/show.out 2>&1
	rc=$?
	cat /tmp/show.out
	echo "exit $rc"
}

# For scenarios judged in the guest (fwmap, usage): "ok   WHAT", or
# "FAIL WHAT" with both values and fail=1; the scenario exits $fail.
# shellcheck disable=SC2034 # fail is the sourcing scenario's
expect() { # what, expected, actual
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1"
		echo "  expected: $2" | sed '2,$s/^/            /'
		echo "  got:      $3" | sed '2,$s/^/            /'
		fail=1
	fi
}
