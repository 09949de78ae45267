#!/bin/bash
# Print N synthetic snapshots as JSON Lines (one "show --json" document a
# line), or write them to DIR/hostNNNNN.json: a fleet for the benchmark
# of "plan --input" (tests/bench/fleet-bench.sh).  Each host is one of the
# real snapshots of tests/snapshots (taken in QEMU), with 2 to 4 regions
# cloned from its own and moved 1 TiB apart (a multiple of every block
# size and alignment, so each keeps the layout the kernel gave it), the
# labelled ones grown by 0 to 7 x 256 MiB of free space at their end; its
# host name is hostNNNNN.  Left out: the non-root snapshot (no addresses:
# it cannot be planned), the e820 carve-out (its firmware map would not
# match a moved region) and those with no nvdimm region.  Needs jq.
#
#   tests/bench/gen-fleet.sh 10000 >fleet.jsonl
#   tests/bench/gen-fleet.sh 10000 /tmp/fleet
set -euo pipefail
n=${1:?usage: gen-fleet.sh N [DIR]}
dir=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
snaps=$here/../snapshots

bases=()
for f in "$snaps"/*.json; do
	case ${f##*/} in x86-nonroot.json|x86-e820-carveout.json) continue ;; esac
	bases+=("$f")
done

gen() {
	jq -c -n --argjson n "$n" '
	def moved($d):
		walk(if type == "object" then
			with_entries(if (.key == "resource" or .key == "start" or
					 .key == "end") and (.value | type) == "number"
				     then .value += $d else . end)
		     else . end);
	def renamed($r):
		.dev = "region\($r)"
		| .namespaces |= map(.dev |= sub("^namespace[0-9]+"; "namespace\($r)")
				     | if .dax then .dax.chardev |= sub("^dax[0-9]+"; "dax\($r)")
				       else . end);
	def grown($mib):
		if .labelled then .size += $mib * 1048576 else . end;
	# snapshots with no nvdimm region (CXL ram only) give no host here
	[inputs | select(.regions | length > 0)] as $b | ($b | length) as $nb
	# the four regions each base can give, moved and renamed once
	| [$b[] | .regions as $rs
	   | [range(4) as $r | $rs[$r % ($rs | length)]
	      | moved(($r + 1) * 1099511627776) | renamed($r)]] as $moved
	| range($n) as $i
	| $b[$i % $nb]
	| .platform.hostname = ("host" + ($i | tostring | "0000\(.)" | .[-5:]))
	| .regions = [range(2 + ($i % 3)) as $r
		      | $moved[$i % $nb][$r]
		      | grown(256 * ((($i * 37) + ($r * 11)) % 8))]
	' "${bases[@]}"
}

if [ -z "$dir" ]; then
	gen
else
	mkdir -p "$dir"
	gen | awk -v dir="$dir" '{ f = sprintf("%s/host%05d.json", dir, NR - 1); print > f; close(f) }'
fi
