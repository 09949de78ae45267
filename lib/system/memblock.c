// SPDX-License-Identifier: GPL-2.0
/* The memory blocks: state and zone of a range of them. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "util/util.h"
#include "system/memblock.h"
#include "system/paths.h"
#include "system/sysroot.h"

void pp_walk_blocks(uint64_t start, uint64_t end, uint64_t bsz,
		    uint64_t *total, uint64_t *online, char *zone, size_t zlen)
{
	char path[128], buf[64], first[16] = "";
	uint64_t id, nr_total = 0, nr_online = 0;
	bool mixed = false;

	for (id = start / bsz; id < end / bsz; id++) {
		snprintf(path, sizeof(path), PP_SYS_MEMORY "/memory%llu/state",
			 (unsigned long long)id);
		if (pp_sysroot_read(path, buf, sizeof(buf)))
			continue;
		nr_total++;
		if (strcmp(buf, "online"))
			continue;
		nr_online++;
		snprintf(path, sizeof(path),
			 PP_SYS_MEMORY "/memory%llu/valid_zones",
			 (unsigned long long)id);
		if (pp_sysroot_read(path, buf, sizeof(buf)))
			continue;
		buf[strcspn(buf, " ")] = '\0';
		if (!first[0])
			pp_strscpy(first, sizeof(first), buf);
		else if (strcmp(first, buf))
			mixed = true;
	}
	*total = nr_total;
	*online = nr_online;
	pp_strscpy(zone, zlen, mixed ? "mixed" : first);
}
