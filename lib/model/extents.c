// SPDX-License-Identifier: GPL-2.0
/*
 * The free extents of a labelled region: the region minus its namespaces,
 * each hole trimmed to the region alignment the way space_valid() trims
 * free DPA (drivers/nvdimm/namespace_devs.c).  One computation for the
 * accounting of "show" and for the planner.
 */
#include <errno.h>
#include <stdlib.h>
#include "model/model.h"

static int cmp_extent(const void *a, const void *b)
{
	const struct pp_extent *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int pp_free_extents(const struct pp_region *r, const bool *gone,
		    uint64_t align, uint64_t min_size, struct pp_extent **out,
		    unsigned int *nr)
{
	uint64_t end = r->start + r->size, pos = r->start;
	struct pp_extent *used, *holes;
	unsigned int i, n = 0, nh = 0;

	*out = NULL;
	*nr = 0;
	for (i = 0; i < r->nr_ns; i++)
		if ((!gone || !gone[i]) && r->ns[i].start == PP_UNKNOWN)
			return -EINVAL;	/* the holes would wrap around it */
	used = calloc(r->nr_ns + 1, sizeof(*used));
	holes = calloc(r->nr_ns + 1, sizeof(*holes));
	if (!used || !holes) {
		free(used);
		free(holes);
		return -ENOMEM;
	}
	for (i = 0; i < r->nr_ns; i++) {
		if (gone && gone[i])
			continue;
		used[n].start = r->ns[i].start;
		used[n++].end = r->ns[i].start + r->ns[i].size;
	}
	qsort(used, n, sizeof(*used), cmp_extent);
	used[n].start = used[n].end = end;	/* sentinel */
	for (i = 0; i <= n; i++) {
		/* space_valid(): holes trimmed to the region alignment */
		uint64_t lo = r->start + pp_align_up(pos - r->start, align);
		uint64_t hi = r->start +
			      pp_align_down(used[i].start - r->start, align);

		if (used[i].start > pos && hi > lo && hi - lo >= min_size) {
			holes[nh].start = lo;
			holes[nh++].end = hi;
		}
		if (used[i].end > pos)
			pos = used[i].end;
	}
	free(used);
	if (!nh) {
		free(holes);
		return 0;
	}
	*out = holes;
	*nr = nh;
	return 0;
}
