/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers every layer uses. */
#ifndef PMEMPLAN_UTIL_H
#define PMEMPLAN_UTIL_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* strscpy(): always terminated, truncates silently. */
void pp_strscpy(char *dst, size_t len, const char *src);

#endif /* PMEMPLAN_UTIL_H */
