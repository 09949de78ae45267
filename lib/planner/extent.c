// SPDX-License-Identifier: GPL-2.0
/*
 * The single-extent optimiser: the best kmem namespace inside one free
 * extent, scored exactly with the kernel model.  Pure: no I/O.
 *
 * One kmem namespace per free extent: two namespaces in one extent would
 * pay two info blocks and two block-alignment gaps for the same space.
 * Inside an extent the namespace starts within one memory block of the
 * extent start (starting a block later only loses that block) and ends
 * either at the extent end or at the last block boundary, leaving the rest
 * as a usable spacer.  That leaves B / gran starts x 2 ends x 2 maps x the
 * supported alignments to score exactly with the kernel model; the tests
 * check the result against an exhaustive search.
 */
#include <string.h>
#include "planner/planner_ctx.h"

/* The better of two choices by the objective; ties keep a. */
bool pl_better(const struct pp_extent_choice *a,
	       const struct pp_extent_choice *b, uint64_t dflt_align)
{
	if (!a->found)
		return b->found;
	if (!b->found)
		return false;
	/* net memory first (planner.h); with one memmap placement for the
	 * whole plan it orders exactly as kmem, which breaks its ties */
	if (b->net != a->net)
		return b->net > a->net;
	if (b->kmem != a->kmem)
		return b->kmem > a->kmem;
	if (b->stranded != a->stranded)
		return b->stranded < a->stranded;
	if (b->nr_ops != a->nr_ops)
		return b->nr_ops < a->nr_ops;
	if (b->map != a->map)
		return b->map == PP_MAP_MEM;
	return b->align == dflt_align && a->align != dflt_align;
}

/* Score one candidate namespace [s, e) in [f0, f1). */
void pl_score(const struct pp_platform *p, const struct pl_where *w,
	      uint64_t f0, uint64_t f1, uint64_t s, uint64_t e,
	      enum pp_map map, uint64_t align, uint64_t max_blocks, bool mom,
	      struct pp_extent_choice *c)
{
	struct pp_shape shape = {
		.start = s, .size = e - s, .mode = PP_MODE_DEVDAX, .map = map,
		.align = align, .region_align = w->region_align,
		.ways = w->ways, .dataoff = PP_UNKNOWN, .data_end = PP_UNKNOWN,
	};

	memset(c, 0, sizeof(*c));
	if (e <= s || e - s < PP_MIN_DAX_NAMESPACE)
		return;
	/* never a layout the kernel cannot take or ndctl would refuse
	 * (constraints.c): the kernel oopses on some it does not check */
	if (!pp_shape_ok(p, &shape))
		return;
	pp_account_namespace(p, s, e - s, map, align, mom, &c->acct);
	if (c->acct.pfn_err || c->acct.kmem_err ||
	    c->acct.kmem.blocks > max_blocks)
		return;
	c->found = true;
	c->start = s;
	c->size = e - s;
	c->map = map;
	c->align = align;
	c->head = s - f0;
	c->tail = f1 - e;
	c->kmem = c->acct.kmem.end - c->acct.kmem.start;
	c->net = c->acct.ram_gain - c->acct.dram_memmap;
	c->stranded = (f1 - f0) - c->kmem -
		      (c->head - pp_piece_stranded(c->head)) -
		      (c->tail - pp_piece_stranded(c->tail));
	c->nr_ops = 1 + (c->head > 0) + (c->tail >= PP_MIN_DAX_NAMESPACE);
}

/* Score the namespaces starting at s: to f1, or cut after the cap. */
static void try_start(const struct pp_platform *p, const struct pl_where *w,
		      uint64_t f0, uint64_t f1, uint64_t s,
		      uint64_t region_start, uint64_t gran,
		      uint64_t max_blocks, bool mom, unsigned int maps,
		      struct pp_extent_choice *out)
{
	uint64_t b = p->block_size.value, dflt = pp_default_dax_align(p);
	struct pp_extent_choice c, cut;
	unsigned int m, i;
	uint64_t e;

	for (m = 0; m < 2; m++) {
		enum pp_map map = m ? PP_MAP_DEV : PP_MAP_MEM;

		if (!(maps & (m ? MAP_DEV_BIT : MAP_MEM_BIT)))
			continue;
		for (i = 0; i < p->nr_supported_align; i++) {
			uint64_t a = p->supported_align[i];

			/* to the extent end ... */
			pl_score(p, w, f0, f1, s, f1, map, a, UINT64_MAX, mom,
				 &c);
			if (!c.found)
				continue;
			if (c.acct.kmem.blocks <= max_blocks &&
			    pl_better(out, &c, dflt))
				*out = c;
			/* ... or to the last block it may use */
			e = c.acct.kmem.start + b *
			    (c.acct.kmem.blocks < max_blocks ?
			     c.acct.kmem.blocks : max_blocks);
			e = region_start + pp_align_up(e - region_start, gran);
			if (e >= f1)
				continue;
			pl_score(p, w, f0, f1, s, e, map, a, max_blocks, mom,
				 &cut);
			if (pl_better(out, &cut, dflt))
				*out = cut;
		}
	}
}

/*
 * Starts worth scoring: within one block of the extent start (a later
 * start only loses a block); within one block of f0 + 16 MiB, where the
 * bytes before become a usable spacer; and, when a cap leaves room, within
 * one block of where the capped namespace would end exactly at f1.
 */
void pl_plan_extent_maps(const struct pp_platform *p,
			 uint64_t region_start, uint64_t f0, uint64_t f1,
			 uint64_t gran, unsigned int ways, uint64_t max_blocks,
			 bool mom, unsigned int maps,
			 struct pp_extent_choice *out)
{
	const struct pl_where where = { .region_align = gran, .ways = ways };
	uint64_t b = p->block_size.value, compat = p->compat_align.value;
	/* starts are multiples of both (powers of two): step the larger */
	uint64_t step = gran > compat ? gran : compat;
	uint64_t win[3], w, s;
	unsigned int n = 2, k;

	memset(out, 0, sizeof(*out));
	if (!max_blocks || f1 <= f0)
		return;
	win[0] = f0;
	win[1] = f0 + PP_MIN_DAX_NAMESPACE;
	if (max_blocks != UINT64_MAX && max_blocks < (f1 - f0) / b &&
	    f1 - f0 > (max_blocks + 1) * b + gran)
		win[n++] = f1 - (max_blocks + 1) * b - gran;
	for (k = 0; k < n; k++) {
		w = region_start + pp_align_down(win[k] - region_start, gran);
		if (w < f0)
			w = f0;
		while (w < f1 && !pp_is_aligned(w, compat))
			w += gran;
		for (s = w; s < f1 && s < win[k] + b + 2 * step; s += step) {
			if (!pp_is_aligned(s - region_start, gran))
				continue;
			try_start(p, &where, f0, f1, s, region_start, gran,
				  max_blocks, mom, maps, out);
		}
	}
}

int pp_plan_extent(const struct pp_platform *p, uint64_t region_start,
		   uint64_t f0, uint64_t f1, uint64_t gran, uint64_t max_blocks,
		   bool mom, struct pp_extent_choice *out)
{
	pl_plan_extent_maps(p, region_start, f0, f1, gran, 1, max_blocks, mom,
			    MAP_MEM_BIT | MAP_DEV_BIT, out);
	return 0;
}
