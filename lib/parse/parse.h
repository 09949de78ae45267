/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parsers of the text the kernel prints in /proc and /sys: no I/O,
 * so that the core and its unit tests can use them on captured text.
 */
#ifndef PMEMPLAN_PARSE_H
#define PMEMPLAN_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The whole string must be a number in base (0: C prefixes); 0 or -EINVAL. */
int pp_parse_u64(const char *s, int base, uint64_t *v);

/*
 * Number of entries in a sysfs cpulist/nodelist ("0-1,3"), the format of
 * bitmap_print_to_pagebuf(list=true).  Returns -EINVAL if malformed.
 */
int pp_count_list(const char *s);

/*
 * The value of a "Key:   1012345 kB" line of /proc/meminfo (fs/proc/
 * meminfo.c show_val_kb()) or /proc/PID/smaps ("KernelPageSize:"), in
 * bytes.  The key must start a line.  Returns 0, -ENOENT when no line has
 * it, -EINVAL when its value is not a number, -ERANGE when it overflows.
 */
int pp_meminfo_bytes(const char *text, const char *key, uint64_t *v);

/*
 * pageblock_order from the text of /proc/pagetypeinfo (mm/vmstat.c
 * pagetypeinfo_show(): "Page block order: %d").  0 or -ENOENT.
 */
int pp_pagetypeinfo_order(const char *text, unsigned int *order);

/*
 * What kmem hot-plugged of the device-dax range [dax_start, dax_end)
 * (exclusive end), from the text of /proc/iomem: the lowest start and the
 * highest end + 1 of the "System RAM" resources contained in that range
 * ("System RAM (kmem)" since v5.8, plain "System RAM" before).  Matching
 * by address containment, not by the "daxX.Y" parent's name, because the
 * libnvdimm dax device and the dax-bus device of the same name can be
 * different objects (kernel-model.md §13), because a device with several
 * ranges has several parents, and because the nesting depth differs
 * between kernels.  Returns 0 and sets *kstart, *kend (exclusive);
 * -ENOENT when nothing matches (not bound to kmem, or the all-zero
 * addresses a reader without CAP_SYS_ADMIN sees); -EINVAL on bad input.
 */
int pp_iomem_kmem_range(const char *iomem_text, uint64_t dax_start,
			uint64_t dax_end, uint64_t *kstart, uint64_t *kend);

/*
 * One [reconfigure-device NAME] section of a daxctl.conf.d file, with
 * daxctl's defaults for what it leaves out (daxctl-reconfigure-device(1):
 * mode system-ram, online and movable true).
 */
struct pp_daxconf_section {
	char name[64];			/* NAME: any, unique */
	char uuid[40];			/* nvdimm.uuid: the dax info block's */
	bool system_ram;		/* mode = system-ram (else devdax) */
	bool online;
	bool movable;
	unsigned int line;		/* of the [section] line */
};

/*
 * Check the whole text of a daxctl.conf.d file and find the
 * reconfigure-device section whose nvdimm.uuid is uuid (compared without
 * case, as uuid_parse() would), as "daxctl reconfigure-device
 * --check-config" does (daxctl/device.c parse_config_reconfig_set_params()).
 * Comments (# or ;), blank lines, other sections and keys daxctl does
 * not read are skipped.  Returns 1 (*sec filled), 0 when no section has
 * that uuid, the number of reconfigure-device sections when uuid is NULL,
 * or -EINVAL with "line N: why" in err when the text is malformed: a line
 * that is neither a section, a key = value nor a comment, a section without
 * nvdimm.uuid, a value daxctl would not take, a key given twice, the uuid
 * in two sections.
 */
int pp_daxctl_conf_find(const char *text, const char *uuid,
			struct pp_daxconf_section *sec, char *err,
			size_t errlen);

#endif /* PMEMPLAN_PARSE_H */
