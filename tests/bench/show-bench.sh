#!/bin/bash
# Benchmark: wall time and peak RSS of "pmemplan show --input" on a
# generated 64-region x 32-namespace snapshot, human and JSON output.
# Prints figures; asserts nothing (targets: < 50 ms, < 20 MiB).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pmemplan=${PMEMPLAN:-$here/../../build/pmemplan}
snap=$(mktemp --suffix=.json)
trap 'rm -f "$snap"' EXIT
"$here/gen-snapshot.sh" 64 32 >"$snap"
echo "snapshot: 64 regions x 32 namespaces, $(stat -c %s "$snap") bytes"
for mode in "" "--json"; do
	best=999999 rss=0
	for _ in 1 2 3 4 5; do
		# wall time from the clock (ns); peak RSS (KiB) from GNU time
		t0=$(date +%s%N)
		kib=$( { /usr/bin/time -f '%M' "$pmemplan" show --input "$snap" \
			$mode >/dev/null; } 2>&1 | tail -1)
		ms=$(( ($(date +%s%N) - t0) / 1000000 ))
		[ "$ms" -lt "$best" ] && best=$ms
		[ "$kib" -gt "$rss" ] && rss=$kib
	done
	printf 'show %-7s best of 5: %4d ms wall, peak RSS %d KiB (%.1f MiB)\n' \
		"${mode:-human}" "$best" "$rss" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
done
