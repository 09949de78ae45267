// SPDX-License-Identifier: GPL-2.0
/*
 * A namespace through libndctl: size, address, label uuid and name, mode
 * and claim, data offset, and what it may already hold (a claim, a
 * signature libblkid recognises, a busy block device).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <linux/ndctl.h>	/* ND_DEVICE_*: <ndctl/ndctl.h> needs ccan */
#include "probe/probe_state.h"
#include "system/blkdev.h"

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
	if (!pp_bdev_signature(path, ns->signature, sizeof(ns->signature)))
		ns->sig_probed = true;
}

int pp_probe_namespace(struct probe_state *st, struct pp_region *r,
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
		int rc = pp_probe_dax(st, ns, dax);

		if (rc)
			return rc;
	}
	probe_usage(ns, ndns);
	return 0;
}
