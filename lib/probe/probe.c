// SPDX-License-Identifier: GPL-2.0
/*
 * The live topology: libndctl for regions and namespaces, libdaxctl for
 * the dax-bus devices behind devdax namespaces, sysfs and /proc for the
 * platform facts and for what kmem actually hot-plugged.
 *
 * Physical addresses (regionN/resource, namespaceX.Y/resource, the pfn and
 * dax "resource" attributes) are 0400 in sysfs and /proc/iomem shows zeros
 * to readers without CAP_SYS_ADMIN (kernel-model.md §7), so a non-root
 * probe leaves them PP_UNKNOWN and says so once.  Everything else is
 * world-readable and is read either way.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <linux/ndctl.h>	/* ND_DEVICE_*: <ndctl/ndctl.h> needs ccan */
#include <ndctl/libndctl.h>
#include <daxctl/libdaxctl.h>
#include <blkid.h>
#include "probe/probe.h"
#include "system/sysfs.h"

#define SYS_MEMORY	"/sys/devices/system/memory"
#define SYS_NODE	"/sys/devices/system/node"
#define SYS_DAX_DEVICES	"/sys/bus/dax/devices"
#define SYS_FW_MEMMAP	"/sys/firmware/memmap"

/* The snapshot reader's cap; a real e820 map has a few dozen entries. */
#define MAX_FWMAP	4096

/*
 * drivers/nvdimm/label.h ND_LABEL_MIN_SIZE: the smallest label area the
 * DIMM driver accepts (nvdimm_init_nsarea()); below it no labels fit.
 */
#define LABEL_MIN_SIZE	(256 * 4)

/* Big enough for any single sysfs attribute we read (PAGE_SIZE max). */
#define ATTR_MAX 4096

struct probe_state {
	struct pp_topology *t;
	char *iomem;		/* /proc/iomem, read on first need */
	bool iomem_tried;
	bool addr_hidden;	/* an address was unreadable for privilege */
	char no_dax_seed[PP_NAME_MAX];	/* first enabled region w/o seed */
};

static int probe_verbose;

void pp_probe_set_verbose(int level)
{
	probe_verbose = level < 0 ? 0 : level;
}

/* ------------------------------------------------------------------ */
/* Small readers                                                       */
/* ------------------------------------------------------------------ */




/* The whole string must be a number in base (0: C prefixes). */
static int parse_u64(const char *s, int base, uint64_t *v)
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

static int read_u64(const char *path, int base, uint64_t *v)
{
	char buf[64];
	int rc;

	rc = pp_sysfs_read(path, buf, sizeof(buf));
	if (rc)
		return rc;
	return parse_u64(buf, base, v);
}

static void set_fact(struct pp_fact *f, uint64_t v, enum pp_source src)
{
	f->value = v;
	f->src = src;
}

/* ------------------------------------------------------------------ */
/* Platform                                                            */
/* ------------------------------------------------------------------ */

/*
 * Number of entries in a sysfs cpulist/nodelist ("0-1,3"), the format of
 * bitmap_print_to_pagebuf(list=true).  Returns -EINVAL if malformed.
 */
static int count_list(const char *s)
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

/* "MemTotal:       1012345 kB" -> bytes (fs/proc/meminfo.c show_val_kb()) */
static int meminfo_bytes(const char *text, const char *key, uint64_t *v)
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

static void probe_meminfo(struct pp_platform *p)
{
	uint64_t v;
	char *text;
	int err;

	text = pp_read_text("/proc/meminfo", &err);
	if (!text)
		return;
	if (!meminfo_bytes(text, "MemTotal", &v))
		set_fact(&p->mem_total, v, PP_SRC_PROC);
	if (!meminfo_bytes(text, "MemAvailable", &v))
		set_fact(&p->mem_available, v, PP_SRC_PROC);
	free(text);
}

/*
 * pageblock_order is printed only by /proc/pagetypeinfo (mm/vmstat.c
 * pagetypeinfo_show(): "Page block order: %d"), which is 0400 since
 * v5.4 ("mm, vmstat: hide /proc/pagetypeinfo from normal users").
 */
static int probe_pageblock_order(struct pp_platform *p)
{
	const char *key = "Page block order:";
	unsigned int order;
	char *text, *s;
	int err;

	text = pp_read_text("/proc/pagetypeinfo", &err);
	if (!text)
		return err;
	err = -ENOENT;
	s = strstr(text, key);
	if (s && sscanf(s + strlen(key), "%u", &order) == 1) {
		set_fact(&p->pageblock_order, order, PP_SRC_PROC);
		err = 0;
	}
	free(text);
	return err;
}

/* /sys/module/memory_hotplug/parameters/memmap_on_memory: a bool, "Y" or
 * "N" (v5.13), or "force" too since v6.6 (memmap_mode_ops). */
static void probe_mom(struct pp_platform *p)
{
	char buf[32];

	if (pp_sysfs_read("/sys/module/memory_hotplug/parameters/memmap_on_memory",
		      buf, sizeof(buf))) {
		p->memmap_on_memory = PP_MOM_ABSENT;
		p->memmap_on_memory_src = PP_SRC_NONE;
		return;
	}
	p->memmap_on_memory = pp_mom_from_name(buf);
	p->memmap_on_memory_src = PP_SRC_SYSFS;
}

static int fw_range_cmp(const void *a, const void *b)
{
	const struct pp_fw_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->type, y->type);
}

/* One /sys/firmware/memmap/N entry; -ENOENT for one to skip. */
static int read_fw_range(const char *name, struct pp_fw_range *e)
{
	char path[PATH_MAX], buf[64];
	uint64_t end;
	int rc;

	snprintf(path, sizeof(path), SYS_FW_MEMMAP "/%s/start", name);
	rc = read_u64(path, 16, &e->start);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), SYS_FW_MEMMAP "/%s/end", name);
	rc = read_u64(path, 16, &end);
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
	snprintf(path, sizeof(path), SYS_FW_MEMMAP "/%s/type", name);
	rc = pp_sysfs_read(path, buf, sizeof(buf));
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

	dir = opendir(SYS_FW_MEMMAP);
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
	/* readdir() of sysfs follows name hashes, not the map's order */
	if (n > 1)
		qsort(v, n, sizeof(*v), fw_range_cmp);
	if (!n) {
		free(v);
		v = NULL;
	}
	p->fwmap = v;
	p->nr_fwmap = n;
	return 0;
}

int pp_probe_platform(struct pp_platform *p, struct pp_topology *t)
{
	struct utsname u;
	char buf[64];
	uint64_t v;
	long ps;
	int rc;

	p->is_root = geteuid() == 0;

	if (uname(&u) == 0) {
		p->arch = pp_arch_from_name(u.machine);
		if (p->arch != PP_ARCH_UNKNOWN)
			p->arch_src = PP_SRC_UNAME;
		pp_strscpy(p->kernel, sizeof(p->kernel), u.release);
		if (!pp_parse_kver_uname(u.release, u.version, &p->kver))
			p->kver_src = PP_SRC_UNAME;
	}

	ps = sysconf(_SC_PAGESIZE);
	if (ps > 0)
		set_fact(&p->page_size, (uint64_t)ps, PP_SRC_UNAME);

	/* drivers/base/memory.c block_size_bytes_show(): "%lx", no 0x */
	if (!read_u64(SYS_MEMORY "/block_size_bytes", 16, &v) && v)
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
	if (!read_u64("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
		      10, &v) && v)
		set_fact(&p->hpage_pmd_size, v, PP_SRC_SYSFS);

	/* sizeof(struct page) and memremap_compat_align(): derived later. */

	probe_mom(p);

	/* drivers/base/memory.c auto_online_blocks_show() */
	if (!pp_sysfs_read(SYS_MEMORY "/auto_online_blocks", buf, sizeof(buf)))
		pp_strscpy(p->auto_online_blocks, sizeof(p->auto_online_blocks),
			 buf);

	probe_meminfo(p);

	rc = probe_fwmap(p);
	if (rc)
		return rc;

	/* drivers/base/node.c: the N_ONLINE node mask, as a list */
	if (!pp_sysfs_read(SYS_NODE "/online", buf, sizeof(buf))) {
		rc = count_list(buf);
		if (rc > 0)
			set_fact(&p->nr_nodes, (uint64_t)rc, PP_SRC_SYSFS);
	}

	/* supported_align comes from a dax seed: filled by pp_probe(). */
	return 0;
}

/* ------------------------------------------------------------------ */
/* /proc/iomem                                                         */
/* ------------------------------------------------------------------ */

int pp_iomem_kmem_range(const char *iomem_text, uint64_t dax_start,
			uint64_t dax_end, uint64_t *kstart, uint64_t *kend)
{
	static const char ram[] = "System RAM";
	uint64_t lo = UINT64_MAX, hi = 0;
	const char *line = iomem_text;
	unsigned long long s, e;
	int n;

	if (!iomem_text || !kstart || !kend || dax_start >= dax_end)
		return -EINVAL;

	/* kernel/resource.c r_show(): "%*s%0*llx-%0*llx : %s\n" */
	while (*line) {
		const char *next = strchr(line, '\n');

		n = 0;
		if (sscanf(line, " %llx-%llx : %n", &s, &e, &n) == 2 && n &&
		    !strncmp(line + n, ram, sizeof(ram) - 1) &&
		    s <= e && e != ULLONG_MAX && !(s == 0 && e == 0) &&
		    s >= dax_start && e + 1 <= dax_end) {
			if (s < lo)
				lo = s;
			if (e + 1 > hi)
				hi = e + 1;
		}
		if (!next)
			break;
		line = next + 1;
	}
	if (lo >= hi)
		return -ENOENT;
	*kstart = lo;
	*kend = hi;
	return 0;
}

static const char *probe_iomem(struct probe_state *st)
{
	int err;

	if (!st->iomem_tried) {
		st->iomem_tried = true;
		st->iomem = pp_read_text("/proc/iomem", &err);
	}
	return st->iomem;
}

/* ------------------------------------------------------------------ */
/* Dax-bus devices and what kmem made of them                          */
/* ------------------------------------------------------------------ */

/* drivers/dax/bus.c memmap_on_memory_show(), v6.8+: "0" or "1" */
static int dax_memmap_on_memory(const char *devname)
{
	char path[PATH_MAX], buf[16];
	uint64_t v;

	snprintf(path, sizeof(path), SYS_DAX_DEVICES "/%s/memmap_on_memory",
		 devname);
	if (pp_sysfs_read(path, buf, sizeof(buf)) || parse_u64(buf, 10, &v))
		return -1;
	return v ? 1 : 0;
}

static void probe_kmem(struct probe_state *st, struct daxctl_dev *dev,
		       struct pp_dax *d)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);
	uint64_t bsz = st->t->plat.block_size.value;
	uint64_t lo, hi, total = PP_UNKNOWN, online = PP_UNKNOWN;
	const char *iomem;
	int n;

	/*
	 * libdaxctl counts the blocks under node<target_node>/ whose start
	 * lies in the device's range (memblock_in_dev()); it needs the
	 * 0400 resource, so it fails with -EACCES for non-root.
	 */
	n = daxctl_memory_num_sections(mem);
	if (n >= 0)
		d->total_blocks = (uint64_t)n;
	n = daxctl_memory_is_online(mem);
	if (n >= 0)
		d->online_blocks = (uint64_t)n;

	if (d->start == PP_UNKNOWN || d->size == PP_UNKNOWN)
		return;

	/* dax/kmem.c dev_dax_kmem_probe(): "System RAM (kmem)" per range */
	iomem = probe_iomem(st);
	if (iomem && !pp_iomem_kmem_range(iomem, d->start,
					  d->start + d->size, &lo, &hi)) {
		d->kmem_start = lo;
		d->kmem_end = hi;
	}

	/*
	 * The zone, which libdaxctl 76.1 cannot give: its
	 * daxctl_memory_is_movable() says 0 for both "all Normal" and
	 * "mixed", and fails outright while any block is offline
	 * (memblock_find_zone() -ENXIO).  Walk the blocks ourselves: the
	 * measured kmem range, else dax_kmem_range()'s block-aligned part
	 * of the device.
	 */
	if (!st->t->plat.block_size.src || !bsz)
		return;
	if (d->kmem_start != PP_UNKNOWN) {
		lo = d->kmem_start;
		hi = d->kmem_end;
	} else {
		lo = (d->start + bsz - 1) / bsz * bsz;
		hi = (d->start + d->size) / bsz * bsz;
	}
	if (lo >= hi)
		return;
	pp_walk_blocks(lo, hi, bsz, &total, &online, d->zone, sizeof(d->zone));
	if (d->total_blocks == PP_UNKNOWN)
		d->total_blocks = total;
	if (d->online_blocks == PP_UNKNOWN)
		d->online_blocks = online;
}

/*
 * The dax-bus device of a devdax namespace.  Linked through libndctl
 * (nd_dax -> its daxctl_region -> the devices below it), never by name:
 * /sys/bus/nd/devices/daxX.Y and /sys/bus/dax/devices/daxX.Y can be
 * different objects (kernel-model.md §13).
 */
static int probe_dax(struct probe_state *st, struct pp_namespace *ns,
		     struct ndctl_dax *ndax)
{
	struct daxctl_region *dregion;
	struct daxctl_dev *dev, *pick = NULL;
	unsigned long long v;
	struct pp_dax *d;

	dregion = ndctl_dax_get_daxctl_region(ndax);
	if (!dregion)
		return 0;
	/* dax_pmem creates one static device; skip zero-size seeds */
	daxctl_dev_foreach(dregion, dev) {
		if (!pick)
			pick = dev;
		if (daxctl_dev_get_size(dev)) {
			pick = dev;
			break;
		}
	}
	if (!pick) {
		if (ns->enabled)
			return pp_topology_note(st->t,
				"%s: no dax device visible (is /dev populated? "
				"libdaxctl skips devices without a /dev node)",
				ns->dev);
		return 0;
	}
	dev = pick;

	d = pp_namespace_add_dax(ns);
	if (!d)
		return -ENOMEM;
	pp_strscpy(d->dev, sizeof(d->dev), daxctl_dev_get_devname(dev));

	/*
	 * daxX.Y/resource is 0400; libdaxctl then falls back to the
	 * device's line in /proc/iomem, all zeros for non-root: 0 means
	 * unknown.
	 */
	v = daxctl_dev_get_resource(dev);
	if (v && v != ULLONG_MAX)
		d->start = v;
	else
		st->addr_hidden |= !st->t->plat.is_root;
	v = daxctl_dev_get_size(dev);
	if (v != ULLONG_MAX)
		d->size = v;
	v = daxctl_dev_get_align(dev);		/* 0: before v5.10 */
	if (v && v != ULONG_MAX)
		d->align = v;
	d->target_node = daxctl_dev_get_target_node(dev);
	if (d->target_node < 0)
		d->target_node = -1;
	d->memmap_on_memory = dax_memmap_on_memory(d->dev);

	/*
	 * daxctl_dev_get_memory() is non-NULL only while the device is
	 * bound to kmem (dev_is_system_ram_capable()).
	 */
	if (daxctl_dev_get_memory(dev)) {
		d->mode = PP_DAX_SYSTEM_RAM;
		probe_kmem(st, dev, d);
	} else if (daxctl_dev_is_enabled(dev)) {
		d->mode = PP_DAX_DEVDAX;
	} else {
		d->mode = PP_DAX_DISABLED;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Namespaces                                                          */
/* ------------------------------------------------------------------ */

static enum pp_map map_from_loc(enum ndctl_pfn_loc loc)
{
	switch (loc) {
	case NDCTL_PFN_LOC_RAM:
		return PP_MAP_MEM;
	case NDCTL_PFN_LOC_PMEM:
		return PP_MAP_DEV;
	default:
		return PP_MAP_NONE;
	}
}


/*
 * What libblkid recognises on a block device: a filesystem, LVM or RAID
 * member ("TYPE"), else a partition table ("PTTYPE"), else "".  Several
 * superblocks at once (blkid_do_safeprobe() -2) is data too, of no single
 * type: "(ambivalent)", in blkid's word.  Returns 0 when the probe ran.
 */
static int probe_signature(const char *path, char *sig, size_t len)
{
	const char *v = "";
	blkid_probe pr;
	int rc;

	errno = 0;
	pr = blkid_new_probe_from_filename(path);
	if (!pr)
		return errno ? -errno : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	blkid_probe_enable_partitions(pr, 1);
	rc = blkid_do_safeprobe(pr);
	if (rc == 0 && blkid_probe_lookup_value(pr, "TYPE", &v, NULL) &&
	    blkid_probe_lookup_value(pr, "PTTYPE", &v, NULL))
		v = "";
	else if (rc == -2)
		v = "(ambivalent)";
	if (rc != -1)
		pp_strscpy(sig, len, v);
	blkid_free_probe(pr);
	return rc == -1 ? -EIO : 0;
}

/*
 * What may already hold data, so that a plan does not offer to reconfigure
 * it silently.  A btt, pfn or dax device named by the namespace's "holder"
 * (namespace_devs.c holder_show(), 0444) has an info block at its start;
 * a measured data offset comes from one.  An unclaimed namespace's block
 * device is probed for signatures instead.  Busy: the block device of the
 * namespace or of its claim is in use, or the dax device is System RAM
 * with memory online (ndctl_namespace_disable_safe() refuses both).
 */
static void probe_usage(struct pp_namespace *ns, struct ndctl_namespace *ndns)
{
	struct ndctl_btt *btt = ndctl_namespace_get_btt(ndns);
	struct ndctl_pfn *pfn = ndctl_namespace_get_pfn(ndns);
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	const char *bdev = NULL;
	char path[PATH_MAX];

	ns->claimed = btt || pfn || dax ||
		      (ns->dataoff != PP_UNKNOWN && ns->dataoff);

	/*
	 * Online blocks unknown (not root: libdaxctl needs the 0400
	 * resource) counts as busy: only "all offline" would not be.
	 */
	if (ns->dax && ns->dax->mode == PP_DAX_SYSTEM_RAM &&
	    ns->dax->online_blocks)
		ns->busy = true;

	if (pfn && ndctl_pfn_is_enabled(pfn))
		bdev = ndctl_pfn_get_block_device(pfn);
	else if (btt && ndctl_btt_is_enabled(btt))
		bdev = ndctl_btt_get_block_device(btt);
	else if (!ns->claimed && ns->enabled)
		bdev = ndctl_namespace_get_block_device(ndns);
	if (!bdev || !*bdev)
		return;
	snprintf(path, sizeof(path), "/dev/%s", bdev);
	if (pp_bdev_busy(path) == 1)
		ns->busy = true;

	/* a claim already says "in use": its info block is the data */
	if (ns->claimed)
		return;
	if (!probe_signature(path, ns->signature, sizeof(ns->signature)))
		ns->sig_probed = true;
}

static int probe_namespace(struct probe_state *st, struct pp_region *r,
			   struct ndctl_namespace *ndns)
{
	unsigned long long size, v, data = ULLONG_MAX;
	struct ndctl_pfn *pfn = NULL;
	struct ndctl_dax *dax = NULL;
	struct pp_namespace *ns;
	const char *name;
	uuid_t uu;
	int mode;

	/*
	 * The namespace's own "size" attribute (nvdimm_namespace_capacity()),
	 * read by libndctl at scan time: the raw capacity.  The dax/pfn data
	 * size that "ndctl list" prints as "size" comes from its JSON code.
	 * Size 0 is an idle seed.
	 */
	size = ndctl_namespace_get_size(ndns);
	if (!size || size == ULLONG_MAX)
		return 0;

	ns = pp_region_add_namespace(r);
	if (!ns)
		return -ENOMEM;
	pp_strscpy(ns->dev, sizeof(ns->dev), ndctl_namespace_get_devname(ndns));
	ns->size = size;
	ns->enabled = ndctl_namespace_is_active(ndns);

	/* 0400: ULLONG_MAX for non-root (cached by add_namespace()) */
	v = ndctl_namespace_get_resource(ndns);
	if (v != ULLONG_MAX) {
		ns->start = v;
	} else if (!r->labelled && r->start != PP_UNKNOWN &&
		   size == r->size) {
		/*
		 * A label-less namespace is the whole region
		 * (namespace_devs.c create_namespace_io()); its resource
		 * attribute was briefly hidden before v5.11 ("Fix
		 * visibility of namespace resource attribute").
		 */
		ns->start = r->start;
	} else {
		st->addr_hidden |= !st->t->plat.is_root;
	}

	/* The label's uuid and name; io namespaces have neither. */
	if (ndctl_namespace_get_type(ndns) != ND_DEVICE_NAMESPACE_IO) {
		ndctl_namespace_get_uuid(ndns, uu);
		if (!uuid_is_null(uu))
			uuid_unparse(uu, ns->uuid);
		name = ndctl_namespace_get_alt_name(ndns);
		pp_strscpy(ns->name, sizeof(ns->name), name);
	}

	/* namespace_devs.c mode_show(): from the claim, enabled or not */
	mode = ndctl_namespace_get_mode(ndns);
	switch (mode) {
	case NDCTL_NS_MODE_FSDAX:
		ns->mode = PP_MODE_FSDAX;
		pfn = ndctl_namespace_get_pfn(ndns);
		if (pfn) {
			ns->map = map_from_loc(ndctl_pfn_get_location(pfn));
			v = ndctl_pfn_get_align(pfn);
			if (v)
				ns->align = v;
			data = ndctl_pfn_get_resource(pfn);
		} else {
			/*
			 * "memory" without a pfn claim: pmem_should_map_pages()
			 * on an ND_REGION_PAGEMAP (e820) region.  No info
			 * block; struct pages in RAM, data at the start.
			 */
			ns->map = PP_MAP_MEM;
			ns->dataoff = 0;
		}
		break;
	case NDCTL_NS_MODE_DEVDAX:
		ns->mode = PP_MODE_DEVDAX;
		dax = ndctl_namespace_get_dax(ndns);
		if (dax) {
			ns->map = map_from_loc(ndctl_dax_get_location(dax));
			v = ndctl_dax_get_align(dax);
			if (v)
				ns->align = v;
			data = ndctl_dax_get_resource(dax);
		}
		break;
	case NDCTL_NS_MODE_SECTOR:
		ns->mode = PP_MODE_SECTOR;
		break;
	case NDCTL_NS_MODE_RAW:
		ns->mode = PP_MODE_RAW;
		break;
	default:
		ns->mode = PP_MODE_UNKNOWN;
		break;
	}

	/*
	 * pfn_devs.c resource_show(): nsio->res.start + start_pad + dataoff,
	 * 0400, and -ENXIO while the pfn/dax device is disabled; libndctl
	 * caches it at scan time.
	 */
	if ((pfn || dax) && data != ULLONG_MAX && ns->start != PP_UNKNOWN &&
	    data >= ns->start && data - ns->start <= size)
		ns->dataoff = data - ns->start;
	else if ((pfn || dax) && ns->enabled && !st->t->plat.is_root)
		st->addr_hidden = true;

	if (dax) {
		int rc = probe_dax(st, ns, dax);

		if (rc)
			return rc;
	}
	probe_usage(ns, ndns);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Regions                                                             */
/* ------------------------------------------------------------------ */

/* nd_desc.provider_name: "e820" (nd_e820.c), "virtio-pmem"
 * (virtio_pmem.c), "ACPI.NFIT", "papr_scm", "of_pmem", "nfit_test.N" */
static enum pp_region_kind region_kind(const char *provider)
{
	if (!provider)
		return PP_REGION_NFIT;
	if (!strcmp(provider, "e820"))
		return PP_REGION_E820;
	if (!strncmp(provider, "virtio", 6))
		return PP_REGION_VIRTIO;
	return PP_REGION_NFIT;
}

/*
 * nd_pfn_supported_alignments() as the region's dax seed reports it
 * (pfn_devs.c supported_alignments_show()).  libndctl substitutes
 * "4096 2097152" when the attribute is missing (pre-v5.1 kernels).
 */
static void probe_alignments(struct probe_state *st,
			     struct ndctl_region *region, const char *dev)
{
	struct pp_platform *p = &st->t->plat;
	struct ndctl_dax *seed;
	unsigned long a;
	int i, n;

	seed = ndctl_region_get_dax_seed(region);
	if (!seed) {
		if (!st->no_dax_seed[0])
			pp_strscpy(st->no_dax_seed,
				   sizeof(st->no_dax_seed), dev);
		return;
	}
	if (p->nr_supported_align)
		return;
	n = ndctl_dax_get_num_alignments(seed);
	for (i = 0; i < n && p->nr_supported_align < PP_MAX_ALIGNMENTS; i++) {
		/* out of range: -EINVAL cast to unsigned long */
		a = ndctl_dax_get_supported_alignment(seed, i);
		if ((long)a > 0)
			p->supported_align[p->nr_supported_align++] = a;
	}
}

/*
 * Whether a DIMM has a label area.  An enabled DIMM driver has already
 * read its size and refused one under LABEL_MIN_SIZE (dimm.c
 * nvdimm_probe()), and only then is available_slots (0444) readable; its
 * value is the free slot count, which may be 0 on a full area.  For a
 * disabled DIMM ask the DIMM itself: GET_CONFIG_SIZE through /dev/nmemN,
 * root only.  When neither can be read, decide as ndctl's enable_labels()
 * does, on the commands alone.
 */
static bool dimm_has_label_area(struct ndctl_dimm *dimm)
{
	struct ndctl_cmd *cmd;
	unsigned int size;
	bool known = false, ok = false;

	if (ndctl_dimm_is_enabled(dimm) &&
	    ndctl_dimm_get_available_labels(dimm) != ULONG_MAX)
		return true;
	cmd = ndctl_dimm_cmd_new_cfg_size(dimm);
	if (!cmd)
		return false;
	if (ndctl_cmd_submit(cmd) >= 0 &&
	    ndctl_cmd_get_firmware_status(cmd) == 0) {
		size = ndctl_cmd_cfg_size_get_size(cmd);
		known = true;
		ok = size >= LABEL_MIN_SIZE;
	}
	ndctl_cmd_unref(cmd);
	return known ? ok : true;
}

/*
 * Can the region hold namespace labels, i.e. could "ndctl init-labels"
 * make it divisible?  ndctl's enable_labels(): every DIMM mapped by the
 * region supports the three label commands, and there is at least one
 * mapping.  e820 and virtio-pmem regions have no DIMMs at all.
 */
static bool region_label_capable(struct ndctl_region *region)
{
	unsigned int mappings = ndctl_region_get_mappings(region), n = 0;
	struct ndctl_dimm *dimm;

	if (!mappings)
		return false;
	ndctl_dimm_foreach_in_region(region, dimm) {
		if (!ndctl_dimm_is_cmd_supported(dimm,
						 ND_CMD_GET_CONFIG_SIZE) ||
		    !ndctl_dimm_is_cmd_supported(dimm,
						 ND_CMD_GET_CONFIG_DATA) ||
		    !ndctl_dimm_is_cmd_supported(dimm,
						 ND_CMD_SET_CONFIG_DATA) ||
		    !dimm_has_label_area(dimm))
			return false;
		n++;
	}
	/* a mapping whose DIMM libndctl could not add counts as missing */
	return n == mappings;
}

static int probe_region(struct probe_state *st, struct ndctl_region *region)
{
	struct ndctl_bus *bus = ndctl_region_get_bus(region);
	struct ndctl_namespace *ndns;
	unsigned long long v;
	unsigned long align;
	struct pp_region *r;
	int rc;

	r = pp_topology_add_region(st->t);
	if (!r)
		return -ENOMEM;
	pp_strscpy(r->dev, sizeof(r->dev), ndctl_region_get_devname(region));
	r->kind = region_kind(ndctl_bus_get_provider(bus));

	/* region_devs.c resource_show(): 0400 since about v5.5 */
	errno = 0;
	v = ndctl_region_get_resource(region);
	if (v != ULLONG_MAX)
		r->start = v;
	else if (errno == EACCES || errno == EPERM || !st->t->plat.is_root)
		st->addr_hidden = true;

	r->size = ndctl_region_get_size(region);
	align = ndctl_region_get_align(region);	/* ULONG_MAX: < v5.7 */
	if (align && align != ULONG_MAX)
		r->align = align;
	r->ways = ndctl_region_get_interleave_ways(region);
	r->labelled = ndctl_region_get_nstype(region) ==
		      ND_DEVICE_NAMESPACE_PMEM;
	r->label_capable = region_label_capable(region);
	r->enabled = ndctl_region_is_enabled(region);
	r->readonly = ndctl_region_get_ro(region) > 0;
	/* NUMA_NO_ATTR (-2) when the attribute is absent */
	r->numa_node = ndctl_region_get_numa_node(region);
	if (r->numa_node < 0)
		r->numa_node = -1;
	r->target_node = ndctl_region_get_target_node(region);
	if (r->target_node < 0)
		r->target_node = -1;

	/*
	 * libndctl returns 0 for io (label-less) regions without reading
	 * sysfs: nothing there can be allocated.  ULLONG_MAX: unreadable,
	 * or max_available_extent missing (< v4.19).
	 */
	v = ndctl_region_get_available_size(region);
	if (v != ULLONG_MAX)
		r->available_size = v;
	v = ndctl_region_get_max_available_extent(region);
	if (v != ULLONG_MAX)
		r->max_available_extent = v;

	/* Seeds and namespaces exist only while the region is enabled. */
	if (!r->enabled)
		return 0;
	probe_alignments(st, region, r->dev);

	ndctl_namespace_foreach(region, ndns) {
		rc = probe_namespace(st, r, ndns);
		if (rc)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Ordering: libndctl lists children in reverse readdir order          */
/* ------------------------------------------------------------------ */

/* "region10" after "region9", "namespace1.10" after "namespace1.9" */
static int devname_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			unsigned long long x, y;
			char *ea, *eb;

			x = strtoull(a, &ea, 10);
			y = strtoull(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static int region_cmp(const void *a, const void *b)
{
	return devname_cmp(((const struct pp_region *)a)->dev,
			   ((const struct pp_region *)b)->dev);
}

static int ns_cmp(const void *a, const void *b)
{
	return devname_cmp(((const struct pp_namespace *)a)->dev,
			   ((const struct pp_namespace *)b)->dev);
}

static void sort_topology(struct pp_topology *t)
{
	unsigned int i;

	if (t->nr_regions > 1)
		qsort(t->regions, t->nr_regions, sizeof(*t->regions),
		      region_cmp);
	for (i = 0; i < t->nr_regions; i++)
		if (t->regions[i].nr_ns > 1)
			qsort(t->regions[i].ns, t->regions[i].nr_ns,
			      sizeof(*t->regions[i].ns), ns_cmp);
}

/* ------------------------------------------------------------------ */
/* Library logging                                                     */
/* ------------------------------------------------------------------ */

static void lib_log(const char *owner, const char *fn, const char *format,
		    va_list args) __attribute__((format(printf, 3, 0)));

static void lib_log(const char *owner, const char *fn, const char *format,
		    va_list args)
{
	fprintf(stderr, "%s: %s: ", owner, fn);
	vfprintf(stderr, format, args);
}

static void ndctl_log(struct ndctl_ctx *ctx, int priority, const char *file,
		      int line, const char *fn, const char *format,
		      va_list args) __attribute__((format(printf, 6, 0)));

static void ndctl_log(struct ndctl_ctx *ctx, int priority, const char *file,
		      int line, const char *fn, const char *format,
		      va_list args)
{
	(void)ctx;
	(void)priority;
	(void)file;
	(void)line;
	if (probe_verbose)
		lib_log("libndctl", fn, format, args);
}

static void daxctl_log(struct daxctl_ctx *ctx, int priority,
		       const char *file, int line, const char *fn,
		       const char *format, va_list args)
	__attribute__((format(printf, 6, 0)));

static void daxctl_log(struct daxctl_ctx *ctx, int priority,
		       const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
	(void)ctx;
	(void)priority;
	(void)file;
	(void)line;
	if (probe_verbose)
		lib_log("libdaxctl", fn, format, args);
}

/*
 * The libraries log at LOG_ERR to stderr by default (util/log.c
 * log_init()), e.g. "libdaxctl: memblock_in_dev: dax0.0: Unable to
 * determine resource" for every non-root probe of a kmem device.  Route
 * everything through our own sink, which is silent unless -v.
 */
static void setup_logging(struct ndctl_ctx *ctx, struct daxctl_ctx *dctx)
{
	static const int prio[] = { LOG_CRIT, LOG_NOTICE, LOG_INFO, LOG_DEBUG };
	int level = probe_verbose > 3 ? 3 : probe_verbose;

	if (!level && (getenv("NDCTL_LOG") || getenv("DAXCTL_LOG")))
		return;
	ndctl_set_log_fn(ctx, ndctl_log);
	ndctl_set_log_priority(ctx, prio[level]);
	if (dctx) {
		daxctl_set_log_fn(dctx, daxctl_log);
		daxctl_set_log_priority(dctx, prio[level]);
	}
}

/* ------------------------------------------------------------------ */

static int add_notes(struct probe_state *st)
{
	struct pp_topology *t = st->t;
	int rc = 0;

	if (st->no_dax_seed[0])
		rc = pp_topology_note(t,
			"kernel has no devdax support: %s has no dax seed "
			"(CONFIG_ZONE_DEVICE / CONFIG_NVDIMM_DAX off?)",
			st->no_dax_seed);
	if (!rc && st->addr_hidden)
		rc = pp_topology_note(t,
			"physical addresses need root: run as root to see "
			"resources, data offsets, kmem ranges and hot-plugged "
			"blocks");
	return rc;
}

int pp_probe(struct pp_topology *t)
{
	struct probe_state st = { .t = t };
	struct ndctl_region *region;
	struct daxctl_ctx *dctx;
	struct ndctl_bus *bus;
	struct ndctl_ctx *ctx;
	struct stat sb;
	int rc;

	rc = pp_probe_platform(&t->plat, t);
	if (rc)
		return rc;

	/*
	 * No libnvdimm, no pmem: not an error, and no reason to need the
	 * libraries (udev, kmod) to initialise.
	 */
	if (stat("/sys/bus/nd", &sb))
		return pp_topology_note(t,
			"no /sys/bus/nd: the libnvdimm driver is not loaded");

	/* ndctl_new() creates the libdaxctl context too (daxctl_new()). */
	rc = ndctl_new(&ctx);
	if (rc)
		return rc < 0 ? rc : -ENXIO;
	dctx = ndctl_get_daxctl_ctx(ctx);
	setup_logging(ctx, dctx);
	if (!dctx) {
		rc = -ENXIO;
		goto out;
	}

	ndctl_bus_foreach(ctx, bus) {
		ndctl_region_foreach(bus, region) {
			/* BLK regions are gone since v5.18 and not for kmem */
			if (ndctl_region_get_type(region) !=
			    ND_DEVICE_REGION_PMEM)
				continue;
			rc = probe_region(&st, region);
			if (rc)
				goto out;
		}
	}
	sort_topology(t);
	rc = add_notes(&st);

out:
	free(st.iomem);
	ndctl_unref(ctx);
	return rc;
}
