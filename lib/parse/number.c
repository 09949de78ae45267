// SPDX-License-Identifier: GPL-2.0
/* Numbers and number lists as sysfs prints them. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include "parse/parse.h"

int pp_parse_u64(const char *s, int base, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, base);
	if (errno || end == s || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

int pp_count_list(const char *s)
{
	unsigned long a, b;
	int count = 0;
	char *end;

	while (*s) {
		errno = 0;
		a = strtoul(s, &end, 10);
		if (errno || end == s)
			return -EINVAL;
		b = a;
		s = end;
		if (*s == '-') {
			b = strtoul(s + 1, &end, 10);
			if (errno || end == s + 1 || b < a)
				return -EINVAL;
			s = end;
		}
		if (b - a >= INT_MAX - (unsigned long)count)
			return -EINVAL;
		count += (int)(b - a + 1);
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	return count;
}
