/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The brute-force oracle for the planner's proof (issue 3).  Written
 * without looking at lib/planner/: it enumerates every single kmem
 * namespace a free extent can hold and keeps the best, using only the
 * kernel model (pp_account_namespace(), tested on its own against the
 * kernel in test_model.c) for the arithmetic.
 */
#ifndef PMEMPLAN_TEST_ORACLE_H
#define PMEMPLAN_TEST_ORACLE_H

#include <stdbool.h>
#include <stdint.h>
#include "model/model.h"

/*
 * The best layout of one free extent, by the planner's objective: the
 * most net memory (MemTotal growth less struct pages in DRAM), then kmem,
 * then the least stranded.
 */
struct oracle_result {
	bool found;		/* some namespace yields at least one block */
	uint64_t net;		/* the maximum ram_gain - dram_memmap */
	uint64_t kmem;		/* the maximum kmem bytes at that net */
	uint64_t stranded;	/* the minimum stranded bytes at that kmem */
	uint64_t layouts;	/* how many layouts were looked at */
	uint64_t optimal;	/* how many reach (kmem, stranded) */
	/* the first optimal layout met (lowest start, then size, ...) */
	uint64_t start, size;
	enum pp_map map;
	uint64_t align;
};

/*
 * Would the kernel and ndctl take a devdax or fsdax namespace [s, s + n)
 * at align (0: the seed's default, supported_alignments[1]) with a fresh
 * info block?  Written from the kernel, not from lib/model/constraints.c:
 * ndctl wants n a multiple of align x ways; device_dax (mode devdax,
 * align above a page) lays compound pages of align from the start of a
 * map=mem namespace, from its data start for map=dev, so that start and
 * the end nd_pfn_init() leaves must be multiples of align; nd_pfn_init()
 * wants a compat-aligned start and data left.
 */
bool oracle_kernel_takes(const struct pp_platform *p, uint64_t s, uint64_t n,
			 bool devdax, enum pp_map map, uint64_t align,
			 unsigned int ways);

/* Bytes of a piece of an extent that are not usable: < 16 MiB. */
uint64_t oracle_piece_stranded(uint64_t bytes);

/*
 * Every namespace [S, S + N) with S and N multiples of gran measured from
 * region_start, f0 <= S, S + N <= f1, S compat-aligned, N >= 16 MiB, every
 * map (mem, dev) and every supported devdax align; at most max_blocks
 * blocks, struct pages on the device when mom.  Stranded bytes of
 * [f0, f1) = (f1 - f0) - kmem - usable, usable being [f0, S) and
 * [S + N, f1) when each is >= 16 MiB.
 */
void oracle_extent(const struct pp_platform *p, uint64_t region_start,
		   uint64_t f0, uint64_t f1, uint64_t gran,
		   uint64_t max_blocks, bool mom, struct oracle_result *out);
/* The same in a region of ways interleave ways (ndctl's size rule). */
void oracle_extent_ways(const struct pp_platform *p, uint64_t region_start,
			uint64_t f0, uint64_t f1, uint64_t gran,
			unsigned int ways, uint64_t max_blocks, bool mom,
			struct oracle_result *out);

/* A busy range [start, end) of a region. */
struct oracle_range {
	uint64_t start, end;
};

/*
 * The free extents of region [r0, r1) around the sorted, disjoint busy
 * ranges, each trimmed to gran from r0 the way space_valid() does:
 * [ALIGN(lo - r0, gran) + r0, ALIGN_DOWN(hi - r0, gran) + r0).  Empty
 * extents are dropped.  Returns how many were written (at most max).
 */
unsigned int oracle_free_extents(uint64_t r0, uint64_t r1,
				 const struct oracle_range *busy,
				 unsigned int nr_busy, uint64_t gran,
				 struct oracle_range *out, unsigned int max);

/*
 * The kernel's first fit (scan_allocate() + space_valid()): the lowest
 * free hole of [r0, r1), trimmed to gran from r0, whose trimmed size is
 * >= size.  Returns its start, or UINT64_MAX when none is large enough.
 */
uint64_t oracle_first_fit(uint64_t r0, uint64_t r1,
			  const struct oracle_range *busy, unsigned int nr_busy,
			  uint64_t gran, uint64_t size);

#endif /* PMEMPLAN_TEST_ORACLE_H */
