// SPDX-License-Identifier: GPL-2.0
/* String helpers. */
#include <string.h>
#include "util/util.h"

void pp_strscpy(char *dst, size_t len, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}
