#!/usr/bin/env bash
# Judges "pmemplan show --json" against the kernel's own /proc/iomem.
#
#   check-show.sh JSON IOMEM [BEFORE_JSON]
#
# For every region and namespace in JSON, the addresses pmemplan reports
# must be the ones in IOMEM: region span (from the "regions" file beside
# IOMEM, the guest's sysfs regionN/resource and size, when IOMEM has no
# "Persistent Memory" line there, as on ppc64), namespace span (fsdax/raw) or
# metadata span [S, S+dataoff) (devdax), device-dax range, and for devices
# bound to kmem the "System RAM (kmem)" range, reported as measured with no
# model error.  With BEFORE_JSON (a show taken before the devices were
# bound to kmem), every namespace that is System RAM now must have been
# predicted then exactly as the kernel placed it.  Prints one line per check
# and exits 1 on any mismatch.
set -euo pipefail

json=$1 iomem=$2 before=${3:-} regions=${2%/*}/regions
fail=0 checks=0

ok() { checks=$((checks + 1)); echo "  ok   $*"; }
bad() { checks=$((checks + 1)); fail=1; echo "  FAIL $*"; }

# The span of the iomem line named $1 (exact name), as "start end_exclusive"
# in decimal; the first match.  $2, when given, restricts to lines whose
# parent's name is $2.
iomem_span() {
	local s e
	read -r s e < <(awk -v want="$1" -v parent="${2:-}" '
	{
		match($0, /^ */); depth = RLENGTH
		line = substr($0, depth + 1)
		split(line, f, " : "); split(f[1], r, "-")
		name = substr(line, length(f[1]) + 4)
		names[depth] = name
		if (name == want && (parent == "" || names[depth - 2] == parent)) {
			print r[1], r[2]; exit
		}
	}' "$iomem") || return 1
	[ -n "${s:-}" ] || return 1
	echo "$((16#$s)) $((16#$e + 1))"
}

expect_eq() { # what measured reported
	if [ "$2" = "$3" ]; then ok "$1 = $2"; else bad "$1: /proc/iomem $2, pmemplan $3"; fi
}

# Regions: "Persistent Memory" (NFIT) or "Persistent Memory (legacy)".
while read -r dev res size; do
	[ "$res" = null ] && { bad "$dev: no resource in the JSON"; continue; }
	span=$(iomem_span "Persistent Memory" || true)
	found=0
	while read -r s e; do
		[ "$s" = "$res" ] && found=1 && expect_eq "$dev span" "$s $e" "$res $((res + size))"
	done < <(awk '/: Persistent Memory/ { split($1, r, "-"); print r[1], r[2] }' "$iomem" |
		while read -r a b; do echo "$((16#$a)) $((16#$b + 1))"; done)
	# no such line (ppc64's papr_scm inserts none): the region's sysfs
	if [ $found = 0 ] && [ -f "$regions" ] && ! grep -q ': Persistent Memory' "$iomem"; then
		while read -r rdev s e; do
			[ "$rdev" = "$dev" ] || continue
			found=1
			expect_eq "$dev span (sysfs regionN/resource, size)" "$((s)) $((s + e))" "$res $((res + size))"
		done <"$regions"
	fi
	[ $found = 1 ] || bad "$dev: no Persistent Memory line starts at $res (${span:-none})"
done < <(jq -r '.regions[] | "\(.dev) \(.resource) \(.size)"' "$json")

# Namespaces.
jq -r '.regions[].namespaces[] | [.dev, .mode, .resource, .size, .dataoff,
	(.dax.chardev // "-"), (.dax.mode // "-"), (.dax.resource // "-"),
	(.dax.size // "-"), (.kmem.start // "-"), (.kmem.end // "-"),
	(.kmem.source // "-"), (.kmem.model_error | tostring),
	(.kmem.predicted.start // "-"), (.kmem.predicted.end // "-")] | @tsv' "$json" |
while IFS=$'\t' read -r dev mode res size dataoff dax dmode dres dsize ks ke ksrc kerr ps pe; do
	case $mode in
	devdax)
		read -r s e < <(iomem_span "$dev") || { bad "$dev: not in /proc/iomem"; continue; }
		expect_eq "$dev start" "$s" "$res"
		expect_eq "$dev data offset" "$((e - s))" "$dataoff"
		if [ "$dmode" = system-ram ]; then
			read -r s e < <(iomem_span "System RAM (kmem)" "$dax") ||
				{ bad "$dax: no System RAM (kmem) in /proc/iomem"; continue; }
			expect_eq "$dax kmem range" "$s $e" "$ks $ke"
			expect_eq "$dax kmem source" measured "$ksrc"
			expect_eq "$dax predicted range" "$s $e" "$ps $pe"
			expect_eq "$dax model error" false "$kerr"
		elif [ "$dmode" = devdax ]; then
			read -r s e < <(iomem_span "$dax") || { bad "$dax: not in /proc/iomem"; continue; }
			expect_eq "$dax device-dax range" "$s $e" "$dres $((dres + dsize))"
			expect_eq "$dax device-dax start" "$s" "$((res + dataoff))"
		fi
		;;
	fsdax|raw|sector)
		read -r s e < <(iomem_span "$dev") || { bad "$dev: not in /proc/iomem"; continue; }
		expect_eq "$dev span" "$s $e" "$res $((res + size))"
		;;
	esac
done | tee /tmp/check-show.$$
grep -q FAIL /tmp/check-show.$$ && fail=1
checks=$((checks + $(grep -c '^  ' /tmp/check-show.$$ || true)))
rm -f /tmp/check-show.$$

# Predictions made before binding kmem, judged by what the kernel did after.
if [ -n "$before" ]; then
	while IFS=$'\t' read -r dev dax ks ke; do
		[ "$dax" = "-" ] && continue
		now=$(jq -r --arg d "$dev" '.regions[].namespaces[] | select(.dev == $d) | .dax.mode // "-"' "$json")
		[ "$now" = system-ram ] || continue
		read -r s e < <(iomem_span "System RAM (kmem)" "$dax") || { echo "  FAIL $dax: no kmem"; fail=1; continue; }
		if [ "$s $e" = "$ks $ke" ]; then
			echo "  ok   $dev predicted before binding = kernel after: $ks $ke"
		else
			echo "  FAIL $dev predicted $ks $ke before binding, kernel placed $s $e"
			fail=1
		fi
		checks=$((checks + 1))
	done < <(jq -r '.regions[].namespaces[] | select(.mode == "devdax") |
		[.dev, (.dax.chardev // "-"), (.kmem.start // "-"), (.kmem.end // "-")] | @tsv' "$before")
fi
[ "$checks" -gt 0 ] || { echo "  FAIL nothing was checked"; fail=1; }
exit $fail
