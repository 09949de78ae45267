#!/bin/bash
# Every document in tests/bad-input/ must be refused with its expected exit
# code and a one-line message containing the expected text, print nothing on
# stdout, and never crash (exit codes >= 128 are signals).
set -uo pipefail
: "${PMEMPLAN:?set PMEMPLAN to the binary}" "${SRCDIR:?set SRCDIR to the source tree}"
dir=$SRCDIR/tests/bad-input
fail=0 n=0
for doc in "$dir"/*.json; do
	expect=${doc%.json}.expect
	[ -f "$expect" ] || { echo "FAIL $doc: no $expect"; fail=1; continue; }
	want_rc=$(sed -n 1p "$expect")
	want_msg=$(sed -n 2p "$expect")
	out=$(timeout 20 "$PMEMPLAN" show --input "$doc" --json 2>/tmp/pp-bad.$$)
	rc=$?
	err=$(cat /tmp/pp-bad.$$)
	n=$((n + 1))
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL $(basename "$doc"): exit $rc, expected $want_rc: $err"
		fail=1
	elif ! grep -qF -- "$want_msg" <<<"$err"; then
		echo "FAIL $(basename "$doc"): message '$err' lacks '$want_msg'"
		fail=1
	elif [ "$(wc -l <<<"$err")" != 1 ] || [ -n "$out" ]; then
		echo "FAIL $(basename "$doc"): expected one line on stderr and nothing on stdout"
		fail=1
	fi
done
rm -f /tmp/pp-bad.$$
[ "$n" -ge 50 ] || { echo "FAIL: only $n bad-input cases (need 50)"; fail=1; }
echo "bad input: $n cases, $([ $fail = 0 ] && echo ok || echo FAILED)"
exit $fail
