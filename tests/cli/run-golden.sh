#!/bin/bash
# Golden CLI tests: run each case of tests/cli/golden.list on its checked-in
# snapshot and compare with tests/cli/golden/<case>.out.  The expected
# numbers were checked by hand against kernel-model.md §13 (see the comments
# in golden.list); UPDATE=1 rewrites the .out files for review with git diff.
# Also checks that every snapshot round-trips through show --json.
set -uo pipefail
: "${PMEMPLAN:?set PMEMPLAN to the binary}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR/tests" || exit 1
fail=0 n=0
while IFS='|' read -r name args stdin; do
	case $name in ''|'#'*) continue ;; esac
	n=$((n + 1))
	# a third field names the file on standard input (from tests/);
	# without it standard input is empty, never this list
	# shellcheck disable=SC2086 # args are a word list by design
	out=$(cd "$SRCDIR/tests" && COLUMNS=160 "$PMEMPLAN" $args 2>&1 <"${stdin:-/dev/null}"; echo "exit $?")
	if [ "${UPDATE:-0}" = 1 ]; then
		printf '%s\n' "$out" >"cli/golden/$name.out"
	elif ! diff -u "cli/golden/$name.out" - <<<"$out"; then
		echo "FAIL golden $name: $PMEMPLAN $args"
		fail=1
	fi
done <cli/golden.list
for snap in snapshots/*.json; do
	n=$((n + 1))
	a=$("$PMEMPLAN" show --input "$snap" --json) || { echo "FAIL $snap"; fail=1; continue; }
	b=$("$PMEMPLAN" show --input - --json <<<"$a")
	[ "$a" = "$b" ] || { echo "FAIL round trip of $snap"; diff <(echo "$a") <(echo "$b") | head; fail=1; }
done
echo "golden: $n checks, $([ $fail = 0 ] && echo ok || echo FAILED)"
exit $fail
