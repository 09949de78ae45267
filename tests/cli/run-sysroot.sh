#!/bin/bash
# show --sysroot on every captured tree of tests/sysroot: the platform facts
# pmemplan reads from the tree must be the ones its live probe printed in
# the same guest (pmemplan-show.json, captured beside the tree by
# tests/sysroot/capture.sh), and the bad uses are refused with exit 2.
# MemAvailable moves between two reads; "root" is the caller's euid; what
# uname(2) gave the live probe comes from /proc/sys/kernel in a tree.
set -uo pipefail
: "${PMEMPLAN:?set PMEMPLAN to the binary}" "${SRCDIR:?set SRCDIR to the source tree}"
command -v jq >/dev/null || { echo "run-sysroot: jq is not installed (apt-get install jq)"; exit 77; }
cd "$SRCDIR/tests" || exit 1
fail=0 n=0
facts='.platform | del(.mem_available, .source.mem_available, .root) |
	.source |= map_values(if . == "uname" then "proc" else . end)'
for tree in sysroot/*/; do
	tree=${tree%/}
	[ -f "$tree/pmemplan-show.json" ] || continue
	n=$((n + 1))
	want=$(jq -S "$facts" "$tree/pmemplan-show.json") || { fail=1; continue; }
	got=$("$PMEMPLAN" show --sysroot "$tree" --json | jq -S "$facts") ||
		{ echo "FAIL show --sysroot $tree"; fail=1; continue; }
	if [ "$want" != "$got" ]; then
		echo "FAIL show --sysroot $tree: not what the live probe saw"
		diff <(echo "$want") <(echo "$got") | head -20
		fail=1
	fi
done
[ "$n" -ge 4 ] || { echo "FAIL: only $n captured trees in tests/sysroot"; fail=1; }
bad() { # EXPECTED-MESSAGE ARGS...: exit 2 and that message
	local msg=$1 out rc
	shift
	n=$((n + 1))
	out=$("$PMEMPLAN" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" != 2 ] || [[ "$out" != *"$msg"* ]]; then
		echo "FAIL pmemplan $*: exit $rc, '$out' (wanted 2, '$msg')"
		fail=1
	fi
}
bad "--sysroot sysroot/none: No such file or directory" show --sysroot sysroot/none
bad "--sysroot sysroot/README.md: Not a directory" plan --sysroot sysroot/README.md
bad "show: --input and --sysroot" show --sysroot sysroot/6.12 --input snapshots/arm64-4k.json
bad "apply: --sysroot: apply works on this machine only" apply --sysroot sysroot/6.12
echo "sysroot: $n checks, $([ $fail = 0 ] && echo ok || echo FAILED)"
exit $fail
