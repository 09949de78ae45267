#!/bin/bash
# The fleet report against the single-host commands: for every snapshot of
# tests/snapshots, its row of "plan --input tests/snapshots --json" must say
# what "plan --input SNAPSHOT --json" (capacity, kmem, bound, net memory,
# the number of actions, and of dax devices of each CXL ram region not
# as planned) and "show --input SNAPSHOT --json" (kmem and net
# memory today) say of it alone; a snapshot plan refuses alone must be
# among the failures with plan's own message.  The same fleet as JSON Lines
# on standard input must give the same rows.
set -euo pipefail
: "${PMEMPLAN:?set PMEMPLAN to the binary}" "${SRCDIR:?set SRCDIR to the source tree}"
snaps=$SRCDIR/tests/snapshots
fail=0 n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bad() { echo "FAIL $*"; fail=1; }

rc=0
"$PMEMPLAN" plan --input "$snaps" --json >"$tmp/fleet.json" 2>"$tmp/fleet.err" || rc=$?
for s in "$snaps"/*.json; do
	name=$(basename "$s" .json)
	n=$((n + 1))
	if ! "$PMEMPLAN" plan --input "$s" --json >"$tmp/plan.json" 2>"$tmp/plan.err"; then
		msg=$(sed 's/^pmemplan: plan: //; s/^pmemplan: //' "$tmp/plan.err")
		got=$(jq -r --arg s "$s" '.failures[] | select(.source == $s) | .error' "$tmp/fleet.json")
		[ "$got" = "$msg" ] || bad "$name: refused alone ($msg), in the fleet: '$got'"
		grep -qF "snapshot $s: $msg" "$tmp/fleet.err" || bad "$name: not named on stderr"
		continue
	fi
	"$PMEMPLAN" show --input "$s" --json >"$tmp/show.json"
	want=$(jq -c -s '.[0].totals as $p | .[1].totals as $s |
		{capacity: $p.capacity, kmem_now: $s.kmem, kmem_planned: $p.kmem,
		 bound: $p.bound, net_now: $s.net_gain, net_planned: $p.net_gain,
		 ram_added: ([$p.net_gain - $s.net_gain, 0] | max),
		 operations: (([.[0].regions[].actions | length] | add // 0) +
			      ([.[0].cxl_regions[]? | select(.as_planned == false) |
				.devices | length] | add // 0))}' \
		"$tmp/plan.json" "$tmp/show.json")
	# by source: two machines may have the same name
	got=$(jq -c --arg s "$s" '.hosts[] | select(.source == $s) |
		{capacity, kmem_now, kmem_planned, bound, net_now, net_planned,
		 ram_added, operations}' "$tmp/fleet.json")
	[ "$got" = "$want" ] || bad "$name: fleet row $got, alone $want"
done
[ "$rc" = 2 ] || bad "exit $rc with a failed snapshot, expected 2"
hosts=$(jq '.totals.hosts + .totals.failed' "$tmp/fleet.json")
[ "$hosts" = "$n" ] || bad "$hosts hosts and failures for $n snapshots"

# the same fleet as JSON Lines: the same rows, named <stdin>:N
for s in "$snaps"/*.json; do jq -c . "$s"; done >"$tmp/fleet.jsonl"
"$PMEMPLAN" plan --input - --json <"$tmp/fleet.jsonl" >"$tmp/lines.json" 2>/dev/null || true
a=$(jq -c '[.hosts[] | del(.name, .source)], .totals' "$tmp/fleet.json")
b=$(jq -c '[.hosts[] | del(.name, .source)], .totals' "$tmp/lines.json")
n=$((n + 1))
[ "$a" = "$b" ] || bad "JSON Lines and the directory give different rows"
echo "fleet: $n checks, $([ $fail = 0 ] && echo ok || echo FAILED)"
exit $fail
