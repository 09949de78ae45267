// SPDX-License-Identifier: GPL-2.0
/* /proc/iomem: the resources kmem hot-plugged. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "parse/parse.h"

int pp_iomem_kmem_range(const char *iomem_text, uint64_t dax_start,
			uint64_t dax_end, uint64_t *kstart, uint64_t *kend)
{
	static const char ram[] = "System RAM";
	uint64_t lo = UINT64_MAX, hi = 0;
	const char *line = iomem_text;
	unsigned long long s, e;
	int n;

	if (!iomem_text || !kstart || !kend || dax_start >= dax_end)
		return -EINVAL;

	/* kernel/resource.c r_show(): "%*s%0*llx-%0*llx : %s\n" */
	while (*line) {
		const char *next = strchr(line, '\n');

		n = 0;
		if (sscanf(line, " %llx-%llx : %n", &s, &e, &n) == 2 && n &&
		    !strncmp(line + n, ram, sizeof(ram) - 1) &&
		    s <= e && e != ULLONG_MAX && !(s == 0 && e == 0) &&
		    s >= dax_start && e + 1 <= dax_end) {
			if (s < lo)
				lo = s;
			if (e + 1 > hi)
				hi = e + 1;
		}
		if (!next)
			break;
		line = next + 1;
	}
	if (lo >= hi)
		return -ENOENT;
	*kstart = lo;
	*kend = hi;
	return 0;
}
