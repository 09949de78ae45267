// SPDX-License-Identifier: GPL-2.0
/* Size parsing and printing, ndctl's binary units (parse_size64()). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/units.h"

static const char units[] = "KMGTPE";

static int unit_shift(const char *s, unsigned int *shift)
{
	const char *u;

	*shift = 0;
	if (!*s)
		return 0;
	u = strchr(units, toupper((unsigned char)*s));
	if (!u)
		return -EINVAL;
	*shift = 10 * (unsigned int)(u - units + 1);
	s++;
	if (!strcmp(s, "") || !strcmp(s, "B") || !strcmp(s, "iB") ||
	    !strcmp(s, "ib"))
		return 0;
	return -EINVAL;
}

int pp_parse_size(const char *s, uint64_t *out)
{
	unsigned long long whole, frac = 0, scale = 1;
	unsigned int shift;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	whole = strtoull(s, &end, 0);
	if (errno)
		return -ERANGE;
	if (*end == '.' && isdigit((unsigned char)end[1])) {
		/* a fraction: at most 6 digits matter for binary units */
		for (end++; isdigit((unsigned char)*end); end++) {
			if (scale >= 1000000)
				continue;
			frac = frac * 10 + (unsigned long long)(*end - '0');
			scale *= 10;
		}
	}
	if (unit_shift(end, &shift))
		return -EINVAL;
	if (shift >= 64 || (shift && whole > (UINT64_MAX >> shift)))
		return -ERANGE;
	if (frac && !shift)
		return -EINVAL;		/* "1.5" bytes */
	*out = ((uint64_t)whole << shift) +
	       (uint64_t)((frac << shift) / scale);
	if (*out < ((uint64_t)whole << shift))
		return -ERANGE;
	return 0;
}

char *pp_human_size(uint64_t v, char *buf, size_t len)
{
	static const char *const names[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};
	unsigned int i = 0;
	uint64_t unit = 1;

	while (i < 6 && v >= (unit << 10)) {
		unit <<= 10;
		i++;
	}
	if (v % unit == 0)
		snprintf(buf, len, "%llu %s",
			 (unsigned long long)(v / unit), names[i]);
	else
		snprintf(buf, len, "%.1f %s", (double)v / (double)unit,
			 names[i]);
	return buf;
}

char *pp_exact_size(uint64_t v, char *buf, size_t len)
{
	if (v >= (1ULL << 20) && !(v % (1ULL << 20)))
		snprintf(buf, len, "%" PRIu64 " MiB", v >> 20);
	else if (v >= 1024 && !(v % 1024))
		snprintf(buf, len, "%" PRIu64 " KiB", v >> 10);
	else
		snprintf(buf, len, "%" PRIu64 " bytes", v);
	return buf;
}

const char *pp_size_text(uint64_t v, bool bytes, char *buf, size_t len)
{
	/* PP_UNKNOWN of topology.h: util/ sits below every other folder */
	if (v == UINT64_MAX)
		return "-";
	if (bytes)
		snprintf(buf, len, "%" PRIu64, v);
	else
		pp_human_size(v, buf, len);
	return buf;
}
