#!/bin/bash
# Benchmark of the planner (issue 3):
#  1. planner vs brute-force oracle, side by side, on the small synthetic
#     topologies of tests/unit/test_plan_oracle (single extents and whole
#     topologies of 1-3 regions);
#  2. wall time and peak RSS of "pmemplan plan --input" on a generated
#     64-region x 32-namespace snapshot, human and JSON output.
# Prints figures; asserts nothing (target for 2: < 50 ms).
#
# Environment: PMEMPLAN (the binary), ORACLE (the test program), CASES
# (random cases for 1, default 2000), PP_ORACLE_SEED (as the test).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pmemplan=${PMEMPLAN:-$here/../../build/pmemplan}
oracle=${ORACLE:-$here/../../build/tests/unit/test_plan_oracle}
cases=${CASES:-2000}

if [ -x "$oracle" ]; then
	# KEEP_GOING: a planner mismatch must not cut the timing short
	out=$(PP_ORACLE_CASES=$cases PP_ORACLE_KEEP_GOING=1 PP_ORACLE_PRINT=0 \
		"$oracle" 2>/dev/null || true)
	seed=$(printf '%s\n' "$out" | sed -n 's/^oracle: seed \(0x[0-9a-f]*\).*/\1/p')
	echo "small topologies: $cases random cases each, seed $seed"
	printf '%s\n' "$out" | awk '
		/^extent: / { n = $2; fail = $(NF - 1) }
		/^region: / { r = $2; rfail = 0
			      for (i = 1; i <= NF; i++) if ($i == "failed") rfail = $(i - 1) }
		/^extent time: / { pe = $4; oe = $7 }
		/^region time: / { pr = $4; or_ = $7 }
		END {
			printf "  %-34s %12s %12s %8s\n", "", "planner", "oracle", "ratio"
			if (pe != "")
				printf "  %-34s %9.1f ms %9.1f ms %7.0fx\n",
				       "one extent (pp_plan_extent)", pe, oe,
				       (pe > 0 ? oe / pe : 0)
			if (pr != "")
				printf "  %-34s %9.1f ms %9.1f ms %7.0fx\n",
				       "1-3 regions (pp_plan_build)", pr, or_,
				       (pr > 0 ? or_ / pr : 0)
			if (n != "" && pe != "")
				printf "  per case: planner %.1f us / %.1f us, oracle %.0f us / %.0f us\n",
				       pe * 1000 / n, pr * 1000 / r, oe * 1000 / n, or_ * 1000 / r
			printf "  (mismatches while timing: %s extent, %s region)\n", fail, rfail
		}'
else
	echo "no $oracle (make check builds it): oracle timing skipped"
fi

if ! "$pmemplan" plan --help >/dev/null 2>&1; then
	echo "no 'pmemplan plan' in $pmemplan: plan --input timing skipped"
	exit 0
fi
snap=$(mktemp --suffix=.json)
trap 'rm -f "$snap"' EXIT
"$here/gen-snapshot.sh" 64 32 >"$snap"
echo "snapshot: 64 regions x 32 namespaces, $(stat -c %s "$snap") bytes"
for mode in "" "--json"; do
	best=999999 rss=0
	for _ in 1 2 3 4 5; do
		t0=$(date +%s%N)
		kib=$( { /usr/bin/time -f '%M' "$pmemplan" plan --input "$snap" \
			$mode >/dev/null; } 2>&1 | tail -1)
		ms=$(( ($(date +%s%N) - t0) / 1000000 ))
		[ "$ms" -lt "$best" ] && best=$ms
		[ "$kib" -gt "$rss" ] && rss=$kib
	done
	printf 'plan %-7s best of 5: %4d ms wall, peak RSS %d KiB (%.1f MiB)\n' \
		"${mode:-human}" "$best" "$rss" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
done
