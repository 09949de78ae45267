#!/bin/bash
# Print a synthetic "show --json" snapshot: REGIONS regions of NS namespaces
# each (default 64 x 32), x86_64, 128 MiB blocks, mixed modes, some devdax
# namespaces bound to kmem.  Used by the benchmark only.
set -euo pipefail
regions=${1:-64} per=${2:-32}
ns_size=$((1 << 30))			# 1 GiB namespaces
region_size=$(( (per + 1) * ns_size ))	# one namespace worth of free space
base=$((1 << 36))
cat <<HEAD
{ "schema": 1,
  "platform": { "arch": "x86_64", "kernel": "6.1.0-28-amd64", "page_size": 4096,
    "block_size": 134217728, "memmap_on_memory": "N", "auto_online_blocks": "offline",
    "mem_total": 68719476736, "mem_available": 60129542144, "numa_nodes": 2, "root": true },
  "regions": [
HEAD
for ((r = 0; r < regions; r++)); do
	start=$((base + r * region_size))
	[ "$r" = 0 ] || echo ","
	printf '{ "dev": "region%d", "kind": "nfit", "resource": %d, "size": %d, "align": 16777216, "interleave_ways": 1, "labelled": true, "enabled": true, "numa_node": %d, "target_node": %d, "namespaces": [\n' \
		"$r" "$start" "$region_size" $((r % 2)) $((r % 2 + 2))
	for ((n = 0; n < per; n++)); do
		s=$((start + n * ns_size))
		[ "$n" = 0 ] || echo ","
		case $((n % 4)) in
		0) printf '{ "dev": "namespace%d.%d", "mode": "fsdax", "map": "dev", "align": 2097152, "resource": %d, "size": %d, "dataoff": 18874368 }' "$r" "$n" "$s" "$ns_size" ;;
		1) printf '{ "dev": "namespace%d.%d", "mode": "raw", "resource": %d, "size": %d }' "$r" "$n" "$s" "$ns_size" ;;
		2) printf '{ "dev": "namespace%d.%d", "mode": "devdax", "map": "mem", "align": 2097152, "resource": %d, "size": %d, "dataoff": 2097152, "dax": { "chardev": "dax%d.%d", "mode": "devdax", "resource": %d, "size": %d, "align": 2097152, "target_node": 2 } }' \
			"$r" "$n" "$s" "$ns_size" "$r" "$n" $((s + 2097152)) $((ns_size - 2097152)) ;;
		3) printf '{ "dev": "namespace%d.%d", "mode": "devdax", "map": "dev", "align": 2097152, "resource": %d, "size": %d, "dataoff": 18874368, "dax": { "chardev": "dax%d.%d", "mode": "system-ram", "resource": %d, "size": %d, "align": 2097152, "target_node": 2, "memmap_on_memory": null }, "kmem": { "start": %d, "end": %d, "source": "measured" } }' \
			"$r" "$n" "$s" "$ns_size" "$r" "$n" $((s + 18874368)) $((ns_size - 18874368)) $((s + 134217728)) $((s + ns_size)) ;;
		esac
	done
	printf '\n] }'
done
printf '\n] }\n'
