// SPDX-License-Identifier: GPL-2.0
/* The memory blocks: state and zone of a range of them; onlining them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "util/util.h"
#include "system/sysfs.h"
#include "system/memblock.h"
#include "system/paths.h"
#include "system/sysroot.h"

/*
 * One attribute of memoryN, relative to the memory directory: a 40 GiB
 * device has 320 blocks, and under TCG resolving
 * /sys/devices/system/memory again for every attribute is a good part of
 * the cost of reading them.
 */
static int block_attr(int dfd, uint64_t id, const char *attr, char *buf,
		      size_t len)
{
	char name[64];

	snprintf(name, sizeof(name), "memory%llu/%s", (unsigned long long)id,
		 attr);
	return pp_sysfs_read_at(dfd, name, buf, len);
}

void pp_walk_blocks(uint64_t start, uint64_t end, uint64_t bsz,
		    uint64_t *total, uint64_t *online, char *zone, size_t zlen)
{
	char dir[PATH_MAX], buf[64], first[16] = "";
	uint64_t id, nr_total = 0, nr_online = 0;
	bool mixed = false;
	int dfd = -1;

	if (!pp_sysroot_path(dir, sizeof(dir), PP_SYS_MEMORY))
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (id = start / bsz; dfd >= 0 && id < end / bsz; id++) {
		if (block_attr(dfd, id, "state", buf, sizeof(buf)))
			continue;
		nr_total++;
		if (strcmp(buf, "online"))
			continue;
		nr_online++;
		if (block_attr(dfd, id, "valid_zones", buf, sizeof(buf)))
			continue;
		buf[strcspn(buf, " ")] = '\0';
		if (!first[0])
			pp_strscpy(first, sizeof(first), buf);
		else if (strcmp(first, buf))
			mixed = true;
	}
	if (dfd >= 0)
		close(dfd);
	*total = nr_total;
	*online = nr_online;
	pp_strscpy(zone, zlen, mixed ? "mixed" : first);
}
