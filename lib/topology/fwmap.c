// SPDX-License-Identifier: GPL-2.0
/* The firmware memory map: its one order. */
#include <stdlib.h>
#include <string.h>
#include "topology/fwmap.h"

int pp_fw_range_cmp(const void *a, const void *b)
{
	const struct pp_fw_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->type, y->type);
}

void pp_fwmap_sort(struct pp_fw_range *v, unsigned int n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), pp_fw_range_cmp);
}
