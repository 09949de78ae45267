/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/meminfo (under the sysroot). */
#ifndef PMEMPLAN_MEMINFO_H
#define PMEMPLAN_MEMINFO_H

#include <stdint.h>

/*
 * MemTotal and MemAvailable in bytes; either pointer may be NULL.  A key
 * the file lacks leaves its value untouched.  Returns 0 when the file
 * was read, else -errno.
 */
int pp_meminfo_read(uint64_t *total, uint64_t *available);

#endif /* PMEMPLAN_MEMINFO_H */
