// SPDX-License-Identifier: GPL-2.0
/*
 * A PMEM region through libndctl: provider, address, size, alignment,
 * interleave, labels (can its DIMMs hold them?), free space, the dax
 * seed's supported alignments, and its namespaces.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <linux/ndctl.h>	/* ND_DEVICE_*: <ndctl/ndctl.h> needs ccan */
#include "probe/probe_state.h"

/*
 * drivers/nvdimm/label.h ND_LABEL_MIN_SIZE: the smallest label area the
 * DIMM driver accepts (nvdimm_init_nsarea()); below it no labels fit.
 */
#define LABEL_MIN_SIZE	(256 * 4)

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

/*
 * What the label areas hold, as "ndctl read-labels" reads them and as
 * "ndctl init-labels" decides "labels already initialized":
 * ndctl_dimm_read_label_index() then ndctl_dimm_validate_labels(), which
 * is >= 0 (the current index) when a valid label index exists.  A region
 * the kernel made labelled has one (nd_region_to_nstype() wants
 * NDD_LABELING on a DIMM, set by nvdimm_probe() only when a valid index
 * was found); otherwise read every DIMM.  Unknown when one cannot be read
 * (not root: the commands need /dev/nmemN).
 */
static enum pp_label_index region_label_index(struct ndctl_region *region,
					       bool labelled)
{
	enum pp_label_index li = PP_LABEL_INDEX_NONE;
	struct ndctl_dimm *dimm;
	struct ndctl_cmd *cmd;

	if (labelled)
		return PP_LABEL_INDEX_VALID;
	ndctl_dimm_foreach_in_region(region, dimm) {
		cmd = ndctl_dimm_read_label_index(dimm);
		if (!cmd)
			return PP_LABEL_INDEX_UNKNOWN;
		if (ndctl_dimm_validate_labels(dimm) >= 0)
			li = PP_LABEL_INDEX_VALID;
		ndctl_cmd_unref(cmd);
	}
	return li;
}

int pp_probe_region(struct probe_state *st, struct ndctl_region *region)
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
	r->kind = pp_region_kind_from_provider(ndctl_bus_get_provider(bus));

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
	if (r->label_capable)
		r->label_index = region_label_index(region, r->labelled);
	if (r->label_capable && r->label_index == PP_LABEL_INDEX_UNKNOWN &&
	    !st->label_unread[0])
		pp_strscpy(st->label_unread, sizeof(st->label_unread), r->dev);
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
		rc = pp_probe_namespace(st, r, ndns);
		if (rc)
			return rc;
	}
	return 0;
}
