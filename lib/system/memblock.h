/* SPDX-License-Identifier: GPL-2.0 */
/* The memory blocks of /sys/devices/system/memory (under the sysroot). */
#ifndef PMEMPLAN_MEMBLOCK_H
#define PMEMPLAN_MEMBLOCK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Walk the memory blocks of [start, end) (block aligned) and report how
 * many exist, how many are online, and the zone of the online ones.
 * memoryN covers [N * B, (N + 1) * B) (drivers/base/memory.c
 * memory_block_id()); valid_zones of an online block names the one zone
 * it is in (valid_zones_show(), or "none" if it spans zones).
 */
void pp_walk_blocks(uint64_t start, uint64_t end, uint64_t bsz,
		    uint64_t *total, uint64_t *online, char *zone, size_t zlen);

#endif /* PMEMPLAN_MEMBLOCK_H */
