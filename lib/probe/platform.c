// SPDX-License-Identifier: GPL-2.0
/*
 * The platform facts: uname, the memory-block size and onlining policy,
 * memmap_on_memory, pageblock order, MemTotal, the firmware memory map,
 * the NUMA nodes.  Every path goes through lib/system/sysroot.h, so that
 * --sysroot DIR reads them from a captured tree.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "parse/parse.h"
#include "probe/probe.h"
#include "system/meminfo.h"
#include "system/paths.h"
#include "system/sysroot.h"
#include "util/util.h"

/* The snapshot reader's cap; a real e820 map has a few dozen entries. */
#define MAX_FWMAP	4096

static void set_fact(struct pp_fact *f, uint64_t v, enum pp_source src)
{
	f->value = v;
	f->src = src;
}

static void probe_meminfo(struct pp_platform *p)
{
	uint64_t total = PP_UNKNOWN, avail = PP_UNKNOWN;

	if (pp_meminfo_read(&total, &avail))
		return;
	if (total != PP_UNKNOWN)
		set_fact(&p->mem_total, total, PP_SRC_PROC);
	if (avail != PP_UNKNOWN)
		set_fact(&p->mem_available, avail, PP_SRC_PROC);
}

/*
 * pageblock_order is printed only by /proc/pagetypeinfo (mm/vmstat.c
 * pagetypeinfo_show(): "Page block order: %d"), which is 0400 since
 * v5.4 ("mm, vmstat: hide /proc/pagetypeinfo from normal users").
 */
static int probe_pageblock_order(struct pp_platform *p)
{
	unsigned int order;
	char *text;
	int err;

	text = pp_sysroot_read_text(PP_PROC_PAGETYPEINFO, &err);
	if (!text)
		return err;
	err = pp_pagetypeinfo_order(text, &order);
	if (!err)
		set_fact(&p->pageblock_order, order, PP_SRC_PROC);
	free(text);
	return err;
}

/* /sys/module/memory_hotplug/parameters/memmap_on_memory: a bool, "Y" or
 * "N" (v5.13), or "force" too since v6.6 (memmap_mode_ops). */
static void probe_mom(struct pp_platform *p)
{
	char buf[32];

	if (pp_sysroot_read(PP_SYS_MOM, buf, sizeof(buf))) {
		p->memmap_on_memory = PP_MOM_ABSENT;
		p->memmap_on_memory_src = PP_SRC_NONE;
		return;
	}
	p->memmap_on_memory = pp_mom_from_name(buf);
	p->memmap_on_memory_src = PP_SRC_SYSFS;
}

/* One /sys/firmware/memmap/N entry; -ENOENT for one to skip. */
static int read_fw_range(const char *name, struct pp_fw_range *e)
{
	char path[PATH_MAX], buf[64];
	uint64_t end;
	int rc;

	snprintf(path, sizeof(path), PP_SYS_FW_MEMMAP "/%s/start", name);
	rc = pp_sysroot_read_u64(path, 16, &e->start);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), PP_SYS_FW_MEMMAP "/%s/end", name);
	rc = pp_sysroot_read_u64(path, 16, &end);
	if (rc)
		return rc;
	/*
	 * The end is inclusive.  An entry ending at the last byte of the
	 * address space has no exclusive end in 64 bits, and one ending
	 * before it starts is no range: neither is RAM anyone could use.
	 */
	if (end < e->start || end == UINT64_MAX)
		return -ENOENT;
	e->end = end + 1;
	snprintf(path, sizeof(path), PP_SYS_FW_MEMMAP "/%s/type", name);
	rc = pp_sysroot_read(path, buf, sizeof(buf));
	if (rc)
		return rc;
	pp_strscpy(e->type, sizeof(e->type), buf);
	return 0;
}

/*
 * drivers/firmware/memmap.c: the memory map the firmware handed over (on
 * x86 e820_table_firmware, before memmap= and mem= edited it), one
 * directory per entry with "start" and "end" (inclusive) as "0x%llx" and
 * the e820 type name, all 0444.  It shows where a memmap=nn!ss carve-out
 * took its pmem from.  Without CONFIG_FIRMWARE_MEMMAP (every architecture
 * but x86, loongarch and mips) the directory is absent: no entries.
 */
static int probe_fwmap(struct pp_platform *p)
{
	struct pp_fw_range *v = NULL, *grown;
	unsigned int n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;

	dir = pp_sysroot_opendir(PP_SYS_FW_MEMMAP);
	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < MAX_FWMAP) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				closedir(dir);
				free(v);
				return -ENOMEM;
			}
			v = grown;
		}
		memset(&v[n], 0, sizeof(v[n]));
		if (!read_fw_range(de->d_name, &v[n]))
			n++;
	}
	closedir(dir);
	if (!n) {
		free(v);
		v = NULL;
	}
	p->fwmap = v;
	p->nr_fwmap = n;
	/* readdir() of sysfs follows name hashes, not the map's order */
	pp_fwmap_sort(p);
	return 0;
}

/* The kernel and the page size of the running system: uname(2), sysconf. */
static void probe_uname(struct pp_platform *p)
{
	struct utsname u;
	long ps;

	if (uname(&u) == 0) {
		p->arch = pp_arch_from_name(u.machine);
		if (p->arch != PP_ARCH_UNKNOWN)
			p->arch_src = PP_SRC_UNAME;
		pp_strscpy(p->kernel, sizeof(p->kernel), u.release);
		pp_strscpy(p->hostname, sizeof(p->hostname), u.nodename);
		if (!pp_parse_kver_uname(u.release, u.version, &p->kver))
			p->kver_src = PP_SRC_UNAME;
	}

	ps = sysconf(_SC_PAGESIZE);
	if (ps > 0)
		set_fact(&p->page_size, (uint64_t)ps, PP_SRC_UNAME);
}

/*
 * The same facts of a sysroot, whose kernel is not the one uname(2)
 * answers for: the files uname's fields come from (kernel/
 * utsname_sysctl.c: osrelease, version, and arch since v6.1), and the
 * KernelPageSize of a mapping in proc/self/smaps (fs/proc/task_mmu.c),
 * which tests/sysroot/capture.sh saves.
 */
static void probe_sysroot_kernel(struct pp_platform *p)
{
	char release[sizeof(p->kernel)], version[256], arch[32];
	uint64_t ps;
	char *text;
	int err;

	if (!pp_sysroot_read(PP_PROC_ARCH, arch, sizeof(arch))) {
		p->arch = pp_arch_from_name(arch);
		if (p->arch != PP_ARCH_UNKNOWN)
			p->arch_src = PP_SRC_PROC;
	}
	if (!pp_sysroot_read(PP_PROC_OSRELEASE, release, sizeof(release))) {
		pp_strscpy(p->kernel, sizeof(p->kernel), release);
		if (pp_sysroot_read(PP_PROC_VERSION, version, sizeof(version)))
			version[0] = '\0';
		if (!pp_parse_kver_uname(release, version, &p->kver))
			p->kver_src = PP_SRC_PROC;
	}
	text = pp_sysroot_read_text(PP_PROC_SMAPS, &err);
	if (text && !pp_meminfo_bytes(text, "KernelPageSize", &ps) && ps)
		set_fact(&p->page_size, ps, PP_SRC_PROC);
	free(text);
}

int pp_probe_platform(struct pp_platform *p, struct pp_topology *t)
{
	char buf[64];
	uint64_t v;
	int rc;

	p->is_root = geteuid() == 0;

	if (pp_sysroot_get()[0])
		probe_sysroot_kernel(p);
	else
		probe_uname(p);

	/* drivers/base/memory.c block_size_bytes_show(): "%lx", no 0x */
	if (!pp_sysroot_read_u64(PP_BLOCK_SIZE, 16, &v) && v)
		set_fact(&p->block_size, v, PP_SRC_SYSFS);

	/* SECTION_SIZE_BITS is not exported anywhere: derived later. */

	rc = probe_pageblock_order(p);
	if (rc && t) {
		rc = pp_topology_note(t,
			"pageblock order derived from the architecture: "
			"/proc/pagetypeinfo %s",
			rc == -EACCES || rc == -EPERM ?
			"is readable by root only" : "could not be read");
		if (rc)
			return rc;
	}

	/* mm/huge_memory.c hpage_pmd_size_show(): needs THP configured */
	if (!pp_sysroot_read_u64(PP_SYS_HPAGE_PMD_SIZE, 10, &v) && v)
		set_fact(&p->hpage_pmd_size, v, PP_SRC_SYSFS);

	/* sizeof(struct page) and memremap_compat_align(): derived later. */

	probe_mom(p);

	/* drivers/base/memory.c auto_online_blocks_show() */
	if (!pp_sysroot_read(PP_AUTO_ONLINE, buf, sizeof(buf)))
		pp_strscpy(p->auto_online_blocks, sizeof(p->auto_online_blocks),
			 buf);

	probe_meminfo(p);

	rc = probe_fwmap(p);
	if (rc)
		return rc;

	/* drivers/base/node.c: the N_ONLINE node mask, as a list */
	if (!pp_sysroot_read(PP_SYS_NODE "/online", buf, sizeof(buf))) {
		rc = pp_count_list(buf);
		if (rc > 0)
			set_fact(&p->nr_nodes, (uint64_t)rc, PP_SRC_SYSFS);
	}

	/* supported_align comes from a dax seed: filled by pp_probe(). */
	return 0;
}
