#!/bin/bash
# Benchmark of the fleet report (issue 12): "pmemplan plan --input" of
# 10,000 snapshots of 2 to 4 regions each (tests/bench/gen-fleet.sh, made
# from the real snapshots of tests/snapshots) in one process: as JSON Lines
# on standard input (--json and the table) and as a directory of files
# (--json).  Prints the wall time, the time per host, the peak RSS
# (/usr/bin/time) and the memory each host leaves behind: the peak RSS of
# 10,000 hosts less that of 1,000, over the 9,000 between.  Asserts only
# that every host was planned (the totals' "hosts"), no times: the target
# is <= 1 ms and <= 1 KiB retained per host.
#
# Environment: PMEMPLAN (the binary), HOSTS (default 10000).  Needs jq and
# /usr/bin/time (tests/build.sh installs both).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pmemplan=${PMEMPLAN:-$here/../../build/pmemplan}
hosts=${HOSTS:-10000}
small=$((hosts / 10))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s%N)
"$here/gen-fleet.sh" "$hosts" >"$tmp/fleet.jsonl"
head -n "$small" "$tmp/fleet.jsonl" >"$tmp/small.jsonl"
mkdir "$tmp/dir"
awk -v dir="$tmp/dir" '{ f = sprintf("%s/host%05d.json", dir, NR - 1); print > f; close(f) }' \
	"$tmp/fleet.jsonl"
echo "fleet: $hosts snapshots of 2-4 regions, $(stat -c %s "$tmp/fleet.jsonl") bytes as JSON Lines, made in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

# run NAME ARGS...: prints "ms kib" of one run; its output in $tmp/NAME.out
run() {
	local name=$1 t kib
	shift
	t=$(date +%s%N)
	kib=$( { /usr/bin/time -f '%M' "$pmemplan" plan "$@" >"$tmp/$name.out"; } 2>&1 | tail -1)
	echo "$(( ($(date +%s%N) - t) / 1000000 )) $kib"
}

# planned NAME: the number of hosts planned, from the document or the table
planned() {
	if [ "${1%-json}" != "$1" ]; then
		jq '.totals.hosts' "$tmp/$1.out"
	else
		sed -n 's/^\([0-9]*\) hosts\? planned.*/\1/p' "$tmp/$1.out"
	fi
}

fail=0
printf '%-26s %9s %10s %10s %16s\n' "" "wall" "per host" "peak RSS" "retained/host"
for mode in jsonl-json jsonl-human dir-json; do
	json=--json
	[ "$mode" = jsonl-human ] && json=
	case $mode in
	dir-*)	read -r ms kib < <(run "$mode" --input "$tmp/dir" $json)
		# a directory of 1/10 the size, for the retained memory
		mkdir "$tmp/dir-small"
		for ((i = 0; i < small; i++)); do
			ln "$tmp/dir/$(printf 'host%05d.json' "$i")" "$tmp/dir-small/"
		done
		read -r _ skib < <(run "$mode-small" --input "$tmp/dir-small" $json) ;;
	*)	read -r ms kib < <(run "$mode" --input - $json <"$tmp/fleet.jsonl")
		read -r _ skib < <(run "$mode-small" --input - $json <"$tmp/small.jsonl") ;;
	esac
	n=$(planned "$mode")
	if [ "$n" != "$hosts" ]; then
		echo "FAIL $mode: $n of $hosts hosts planned"
		fail=1
	fi
	awk -v m="$mode" -v ms="$ms" -v kib="$kib" -v skib="$skib" -v n="$hosts" -v s="$small" 'BEGIN {
		printf "%-26s %6d ms %7.0f us %7d KiB %10.0f bytes\n", m " (" n " hosts)", ms,
		       ms * 1000 / n, kib, (kib - skib) * 1024 / (n - s)
	}'
done
echo "(retained/host: peak RSS of $hosts hosts less that of $small, over the $((hosts - small)) between; target <= 1 ms and <= 1024 bytes a host)"
exit $fail
