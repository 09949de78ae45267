// SPDX-License-Identifier: GPL-2.0
/*
 * The dax-bus device behind a devdax namespace (libdaxctl), and what kmem
 * made of it: the System RAM it hot-plugged (/proc/iomem) and the state
 * and zone of those memory blocks.  /proc/iomem and the memory blocks are
 * read under the sysroot, the dax device's own attributes from /sys.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include "parse/parse.h"
#include "probe/probe_state.h"
#include "system/libctx.h"
#include "system/memblock.h"
#include "system/paths.h"
#include "system/sysfs.h"
#include "system/sysroot.h"

const char *pp_probe_iomem(struct probe_state *st)
{
	int err;

	if (!st->iomem_tried) {
		st->iomem_tried = true;
		st->iomem = pp_sysroot_read_text(PP_PROC_IOMEM, &err);
	}
	return st->iomem;
}

/* drivers/dax/bus.c memmap_on_memory_show(), v6.8+: "0" or "1" */
static int dax_memmap_on_memory(const char *devname)
{
	char path[PATH_MAX];
	uint64_t v;

	snprintf(path, sizeof(path), PP_SYS_DAX_DEVICES "/%s/memmap_on_memory",
		 devname);
	if (pp_sysfs_read_u64(path, 10, &v))
		return -1;
	return v ? 1 : 0;
}

/*
 * The "System RAM (kmem)" range of dax device d from /proc/iomem (dax/kmem.c
 * dev_dax_kmem_probe() registers one per range), and [*lo, *hi): the
 * blocks to walk for its state and zone, the measured range, else
 * dax_kmem_range()'s block-aligned part of the device.  False when the
 * device's range or the block size is unknown: nothing to walk.
 */
bool pp_probe_kmem_span(struct probe_state *st, struct pp_dax *d,
			uint64_t *lo, uint64_t *hi)
{
	uint64_t bsz = st->t->plat.block_size.value;
	const char *iomem;

	if (d->start == PP_UNKNOWN || d->size == PP_UNKNOWN)
		return false;
	iomem = pp_probe_iomem(st);
	if (iomem && !pp_iomem_kmem_range(iomem, d->start,
					  d->start + d->size, lo, hi)) {
		d->kmem_start = *lo;
		d->kmem_end = *hi;
	}
	if (!st->t->plat.block_size.src || !bsz)
		return false;
	if (d->kmem_start != PP_UNKNOWN) {
		*lo = d->kmem_start;
		*hi = d->kmem_end;
	} else {
		*lo = (d->start + bsz - 1) / bsz * bsz;
		*hi = (d->start + d->size) / bsz * bsz;
	}
	return true;
}

static void probe_kmem(struct probe_state *st, struct daxctl_dev *dev,
		       struct pp_dax *d)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);
	uint64_t bsz = st->t->plat.block_size.value;
	uint64_t lo, hi, total = PP_UNKNOWN, online = PP_UNKNOWN;
	bool walk;
	int n;

	/*
	 * libdaxctl counts the blocks under node<target_node>/ whose start
	 * lies in the device's range (memblock_in_dev()); it needs the
	 * 0400 resource, so it fails with -EACCES for non-root.  When that
	 * range is readable, and the blocks are the running system's, the
	 * walk below counts the same blocks (kmem adds blocks only inside
	 * the device, on its target node) and libdaxctl's two walks over
	 * every block of the node (700 sysfs reads for 40 GiB, a tenth of
	 * a second under TCG, after every apply) are left out.
	 */
	walk = d->start != PP_UNKNOWN && d->size != PP_UNKNOWN &&
	       st->t->plat.block_size.src && bsz && !pp_sysroot_get()[0];
	if (!walk) {
		n = daxctl_memory_num_sections(mem);
		if (n >= 0)
			d->total_blocks = (uint64_t)n;
		n = daxctl_memory_is_online(mem);
		if (n >= 0)
			d->online_blocks = (uint64_t)n;
	}

	/*
	 * The zone, which libdaxctl 76.1 cannot give: its
	 * daxctl_memory_is_movable() says 0 for both "all Normal" and
	 * "mixed", and fails outright while any block is offline
	 * (memblock_find_zone() -ENXIO).  Walk the blocks ourselves.
	 */
	if (!pp_probe_kmem_span(st, d, &lo, &hi))
		return;
	if (lo >= hi) {
		if (walk)
			d->total_blocks = d->online_blocks = 0;
		return;
	}
	pp_walk_blocks(lo, hi, bsz, &total, &online, d->zone, sizeof(d->zone));
	if (d->total_blocks == PP_UNKNOWN)
		d->total_blocks = total;
	if (d->online_blocks == PP_UNKNOWN)
		d->online_blocks = online;
}

/*
 * The dax-bus device of a devdax namespace, found through libndctl
 * (pp_libctx_daxdev()), never by name.
 */
int pp_probe_dax(struct probe_state *st, struct pp_namespace *ns,
		 struct ndctl_dax *ndax)
{
	struct daxctl_dev *dev;
	unsigned long long v;
	struct pp_dax *d;
	int rc;

	rc = pp_libctx_daxdev(ndax, &dev);
	if (rc == -ENOENT) {
		if (ns->enabled)
			return pp_topology_note(st->t,
				"%s: no dax device visible (is /dev populated? "
				"libdaxctl skips devices without a /dev node)",
				ns->dev);
		return 0;
	}
	if (rc)
		return 0;

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
