// SPDX-License-Identifier: GPL-2.0
/* /proc/meminfo: how much RAM the kernel manages. */
#include <stdlib.h>
#include "parse/parse.h"
#include "system/meminfo.h"
#include "system/paths.h"
#include "system/sysroot.h"

int pp_meminfo_read(uint64_t *total, uint64_t *available)
{
	uint64_t v;
	char *text;
	int err;

	text = pp_sysroot_read_text(PP_PROC_MEMINFO, &err);
	if (!text)
		return err;
	if (total && !pp_meminfo_bytes(text, "MemTotal", &v))
		*total = v;
	if (available && !pp_meminfo_bytes(text, "MemAvailable", &v))
		*available = v;
	free(text);
	return 0;
}
