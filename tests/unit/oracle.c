// SPDX-License-Identifier: GPL-2.0
/*
 * Brute-force oracle: every start, size, map and devdax align of a single
 * kmem namespace in a free extent.  Deliberately naive; see oracle.h.
 */
#include <stdlib.h>
#include <string.h>
#include "oracle.h"

uint64_t oracle_piece_stranded(uint64_t bytes)
{
	return bytes >= SZ_16M ? 0 : bytes;
}

bool oracle_kernel_takes(const struct pp_platform *p, uint64_t s, uint64_t n,
			 bool devdax, enum pp_map map, uint64_t align,
			 unsigned int ways)
{
	uint64_t page = p->page_size.value, compat = p->compat_align.value;
	uint64_t eff, end, data;

	if (!align)
		align = p->nr_supported_align > 1 ? p->supported_align[1] :
			page;
	eff = align > compat ? align : compat;
	if (n % (align * (ways ? ways : 1)) || s % compat || n < SZ_16M)
		return false;
	/* nd_pfn_init(): end cut to eff, data from ALIGN(s + 8K [+ map], eff) */
	end = (s + n) / eff * eff;
	data = map == PP_MAP_DEV ?
	       s + 8192 + 64 * ((n - 8192) / page) : s + 8192;
	data = (data + eff - 1) / eff * eff;
	if (data >= end)
		return false;
	if (devdax && align > page) {
		uint64_t first = map == PP_MAP_MEM ? s : data;

		if (first % align || end % align)
			return false;
	}
	return true;
}

/* Is (net, kmem, stranded) strictly better than the best so far? */
static bool better(const struct oracle_result *best, uint64_t net,
		   uint64_t kmem, uint64_t stranded)
{
	if (!best->found)
		return true;
	if (net != best->net)
		return net > best->net;
	if (kmem != best->kmem)
		return kmem > best->kmem;
	return stranded < best->stranded;
}

void oracle_extent(const struct pp_platform *p, uint64_t region_start,
		   uint64_t f0, uint64_t f1, uint64_t gran,
		   uint64_t max_blocks, bool mom, struct oracle_result *out)
{
	oracle_extent_ways(p, region_start, f0, f1, gran, 1, max_blocks, mom,
			   out);
}

void oracle_extent_ways(const struct pp_platform *p, uint64_t region_start,
			uint64_t f0, uint64_t f1, uint64_t gran,
			unsigned int ways, uint64_t max_blocks, bool mom,
			struct oracle_result *out)
{
	static const enum pp_map maps[] = { PP_MAP_MEM, PP_MAP_DEV };
	uint64_t b = p->block_size.value;
	uint64_t compat = p->compat_align.value;
	uint64_t s, n;
	unsigned int m, a;

	memset(out, 0, sizeof(*out));
	if (f1 <= f0)
		return;
	if (f0 < region_start || !gran)
		abort();
	/* every start on the region-align grid from region_start */
	for (s = region_start + (f0 - region_start + gran - 1) / gran * gran;
	     s < f1; s += gran) {
		if (s % compat)		/* nd_pfn_init(): start misaligned */
			continue;
		for (n = gran; s + n <= f1; n += gran) {
			/* claim.c: < 16 MiB cannot host devdax */
			if (n < SZ_16M)
				continue;
			for (m = 0; m < 2; m++) {
				for (a = 0; a < p->nr_supported_align; a++) {
					struct pp_ns_account acct;
					uint64_t kmem, usable, stranded, net;

					if (!oracle_kernel_takes(p, s, n, true,
						maps[m],
						p->supported_align[a], ways))
						continue;
					pp_account_namespace(p, s, n, maps[m],
						p->supported_align[a], mom,
						&acct);
					out->layouts++;
					if (acct.pfn_err || acct.kmem_err ||
					    acct.kmem.blocks == 0)
						continue;
					if (acct.kmem.blocks > max_blocks)
						continue;
					kmem = acct.kmem.blocks * b;
					/* sanity: kmem is inside the namespace */
					if (acct.kmem.start < s ||
					    acct.kmem.end > s + n ||
					    acct.kmem.end - acct.kmem.start != kmem)
						abort();
					usable = (s - f0 >= SZ_16M ? s - f0 : 0) +
						 (f1 - s - n >= SZ_16M ?
						  f1 - s - n : 0);
					stranded = (f1 - f0) - kmem - usable;
					/* the memory the user gets */
					net = acct.ram_gain - acct.dram_memmap;
					if (out->found && net == out->net &&
					    kmem == out->kmem &&
					    stranded == out->stranded) {
						out->optimal++;
						continue;
					}
					if (!better(out, net, kmem, stranded))
						continue;
					out->found = true;
					out->net = net;
					out->kmem = kmem;
					out->stranded = stranded;
					out->optimal = 1;
					out->start = s;
					out->size = n;
					out->map = maps[m];
					out->align = p->supported_align[a];
				}
			}
		}
	}
}

static int cmp_range(const void *a, const void *b)
{
	const struct oracle_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The raw holes of [r0, r1) between the busy ranges, ascending. */
static unsigned int holes(uint64_t r0, uint64_t r1,
			  const struct oracle_range *busy, unsigned int nr_busy,
			  struct oracle_range *out)
{
	struct oracle_range *sorted = malloc((nr_busy + 1) * sizeof(*sorted));
	uint64_t at = r0;
	unsigned int i, nr = 0;

	if (!sorted)
		abort();
	memcpy(sorted, busy, nr_busy * sizeof(*sorted));
	qsort(sorted, nr_busy, sizeof(*sorted), cmp_range);
	for (i = 0; i < nr_busy; i++) {
		if (sorted[i].start < at || sorted[i].end > r1 ||
		    sorted[i].end < sorted[i].start)
			abort();	/* overlap or outside: a test bug */
		if (sorted[i].start > at)
			out[nr++] = (struct oracle_range){ at, sorted[i].start };
		at = sorted[i].end;
	}
	if (r1 > at)
		out[nr++] = (struct oracle_range){ at, r1 };
	free(sorted);
	return nr;
}

static bool trim(uint64_t r0, uint64_t gran, struct oracle_range *h)
{
	uint64_t lo = (h->start - r0 + gran - 1) / gran * gran + r0;
	uint64_t hi = (h->end - r0) / gran * gran + r0;

	if (hi <= lo)
		return false;
	h->start = lo;
	h->end = hi;
	return true;
}

unsigned int oracle_free_extents(uint64_t r0, uint64_t r1,
				 const struct oracle_range *busy,
				 unsigned int nr_busy, uint64_t gran,
				 struct oracle_range *out, unsigned int max)
{
	struct oracle_range *h = malloc((nr_busy + 1) * sizeof(*h));
	unsigned int i, nr, n = 0;

	if (!h)
		abort();
	nr = holes(r0, r1, busy, nr_busy, h);
	for (i = 0; i < nr && n < max; i++)
		if (trim(r0, gran, &h[i]))
			out[n++] = h[i];
	free(h);
	return n;
}

uint64_t oracle_first_fit(uint64_t r0, uint64_t r1,
			  const struct oracle_range *busy, unsigned int nr_busy,
			  uint64_t gran, uint64_t size)
{
	struct oracle_range *h = malloc((nr_busy + 1) * sizeof(*h));
	uint64_t at = UINT64_MAX;
	unsigned int i, nr;

	if (!h)
		abort();
	nr = holes(r0, r1, busy, nr_busy, h);
	for (i = 0; i < nr; i++)
		if (trim(r0, gran, &h[i]) && h[i].end - h[i].start >= size) {
			at = h[i].start;
			break;
		}
	free(h);
	return at;
}
