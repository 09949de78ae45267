// SPDX-License-Identifier: GPL-2.0
/* Key-value text of /proc: meminfo, smaps, pagetypeinfo. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "parse/parse.h"

/* "MemTotal:       1012345 kB" -> bytes (fs/proc/meminfo.c show_val_kb()) */
int pp_meminfo_bytes(const char *text, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);
	const char *line = text;
	unsigned long long kb;

	while (line && *line) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			if (sscanf(line + klen + 1, "%llu", &kb) != 1)
				return -EINVAL;
			if (kb > UINT64_MAX / 1024)
				return -ERANGE;
			*v = (uint64_t)kb * 1024;
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -ENOENT;
}

int pp_pagetypeinfo_order(const char *text, unsigned int *order)
{
	const char *key = "Page block order:";
	const char *s = strstr(text, key);

	if (s && sscanf(s + strlen(key), "%u", order) == 1)
		return 0;
	return -ENOENT;
}
