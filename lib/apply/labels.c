// SPDX-License-Identifier: GPL-2.0
/*
 * Label areas: saved before init-labels (ndctl enable_labels()) and
 * written back on rollback.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ndctl.h>	/* ND_DEVICE_*: <ndctl/ndctl.h> needs ccan */
#include "apply/apply_ctx.h"
#include "system/sysfs.h"
#include "util/util.h"

/* Each DIMM's label area, to write back on rollback. */
static int save_labels(struct apply_ctx *a, struct ndctl_region *region,
		       struct undo *u)
{
	struct ndctl_dimm *dimm;
	struct ndctl_cmd *cmd;
	ssize_t size;

	ndctl_dimm_foreach_in_region(region, dimm) {
		struct label_backup *lb, *v;

		v = realloc(u->labels, (u->nr_labels + 1) * sizeof(*v));
		if (!v)
			return apply_fail(a, "save labels", -ENOMEM);
		u->labels = v;
		lb = &v[u->nr_labels];
		memset(lb, 0, sizeof(*lb));
		pp_strscpy(lb->dimm, sizeof(lb->dimm),
			   ndctl_dimm_get_devname(dimm));
		cmd = ndctl_dimm_read_labels(dimm);
		if (!cmd)
			return apply_failf(a, -ENXIO, "%s: cannot read the label area",
					   lb->dimm);
		size = ndctl_cmd_cfg_read_get_size(cmd);
		lb->data = size > 0 ? malloc((size_t)size) : NULL;
		if (!lb->data ||
		    ndctl_cmd_cfg_read_get_data(cmd, lb->data,
				(unsigned int)size, 0) != size) {
			ndctl_cmd_unref(cmd);
			free(lb->data);
			return apply_failf(a, -EIO, "%s: cannot read the label area",
					   lb->dimm);
		}
		lb->size = (size_t)size;
		u->nr_labels++;
		ndctl_cmd_unref(cmd);
	}
	return 0;
}

/* ndctl's enable_labels() for one DIMM, v1.2 labels, else v1.1 */
static int init_dimm_labels(struct ndctl_dimm *dimm)
{
	enum ndctl_namespace_version v = NDCTL_NS_VERSION_1_2;
	struct ndctl_cmd *cmd;
	int n, avail;

	for (;;) {
		cmd = ndctl_dimm_read_label_index(dimm);
		if (!cmd)
			return -ENXIO;
		n = ndctl_dimm_init_labels(dimm, v);
		ndctl_cmd_unref(cmd);
		if (n < 0)
			return n;
		ndctl_dimm_disable(dimm);
		ndctl_dimm_enable(dimm);
		/* the kernel keeps one free label for updates */
		avail = (int)ndctl_dimm_get_available_labels(dimm) + 1;
		if (n == avail || v == NDCTL_NS_VERSION_1_1)
			return 0;
		v = NDCTL_NS_VERSION_1_1;
	}
}

static unsigned int region_nstype(struct ndctl_region *region)
{
	char path[PATH_MAX], buf[32];

	snprintf(path, sizeof(path), PP_SYS_ND_DEVICES "/%s/nstype",
		 ndctl_region_get_devname(region));
	if (pp_sysfs_read(path, buf, sizeof(buf)))
		return 0;
	return (unsigned int)strtoul(buf, NULL, 10);
}

int apply_op_init_labels(struct apply_ctx *a, struct ndctl_region *region)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_namespace *ndns;
	struct ndctl_dimm *dimm;
	struct undo *u;
	char what[64];
	int rc;

	u = apply_push_undo(a, U_LABELS, rname, "");
	if (!u)
		return apply_fail(a, "journal", -ENOMEM);
	rc = save_labels(a, region, u);
	if (rc)
		return rc;
	STEP(a, rc, "disable region", 0);
	if (rc)
		return rc;
	ndctl_namespace_foreach(region, ndns) {
		if (!ndctl_namespace_is_active(ndns))
			continue;
		rc = apply_check_target(a, ndns, true);
		if (rc)
			return rc;
		rc = ndctl_namespace_disable_safe(ndns);
		if (rc < 0)
			return apply_fail(a, "disable region", rc);
	}
	rc = ndctl_region_disable_invalidate(region);
	if (rc < 0)
		return apply_fail(a, "disable region", rc);
	ndctl_dimm_foreach_in_region(region, dimm) {
		if (ndctl_dimm_is_active(dimm))
			return apply_failf(a, -EBUSY, "%s is active in another region",
					   ndctl_dimm_get_devname(dimm));
		snprintf(what, sizeof(what), "init labels %s",
			 ndctl_dimm_get_devname(dimm));
		STEP(a, rc, what, init_dimm_labels(dimm));
		if (rc)
			return rc;
	}
	STEP(a, rc, "enable region", ndctl_region_enable(region));
	if (rc)
		return rc;
	if (region_nstype(region) != ND_DEVICE_NAMESPACE_PMEM)
		return apply_failf(a, -EIO, "the region is still label-less after initialising its labels");
	return 0;
}

/* Does the DIMM's label area still hold what lb saved?  1 yes, 0 no. */
static int labels_unchanged(struct ndctl_dimm *dimm,
			    const struct label_backup *lb)
{
	struct ndctl_cmd *rd = ndctl_dimm_read_labels(dimm);
	void *cur;
	int same = 0;

	if (!rd)
		return -ENXIO;
	cur = malloc(lb->size);
	if (cur && ndctl_cmd_cfg_read_get_size(rd) == (ssize_t)lb->size &&
	    ndctl_cmd_cfg_read_get_data(rd, cur, (unsigned int)lb->size, 0) ==
	    (ssize_t)lb->size)
		same = !memcmp(cur, lb->data, lb->size);
	free(cur);
	ndctl_cmd_unref(rd);
	return same;
}

static int write_labels(struct ndctl_dimm *dimm, const struct label_backup *lb)
{
	struct ndctl_cmd *rd, *wr = NULL;
	int rc = -ENXIO;

	rd = ndctl_dimm_read_labels(dimm);
	if (!rd)
		return -ENXIO;
	if (ndctl_cmd_cfg_read_get_size(rd) == (ssize_t)lb->size)
		wr = ndctl_dimm_cmd_new_cfg_write(rd);
	if (wr && ndctl_cmd_cfg_write_set_data(wr, lb->data,
				(unsigned int)lb->size, 0) == (ssize_t)lb->size)
		rc = ndctl_cmd_submit(wr);
	ndctl_cmd_unref(wr);
	ndctl_cmd_unref(rd);
	if (rc < 0)
		return rc;
	/* the DIMM driver caches the label area: make it read it again */
	ndctl_dimm_disable(dimm);
	return ndctl_dimm_enable(dimm);
}

static struct ndctl_dimm *find_dimm(struct ndctl_region *region,
				    const char *name)
{
	struct ndctl_dimm *dimm;

	ndctl_dimm_foreach_in_region(region, dimm)
		if (!strcmp(ndctl_dimm_get_devname(dimm), name))
			return dimm;
	return NULL;
}

/*
 * Write the saved label areas back (a region can only be disabled for
 * that when no namespace is left in it).  The kernel never forgets that a
 * DIMM had labels (dimm.c nvdimm_probe() sets NDD_LABELING and nothing
 * clears it): the region stays labelled, and empty, until the next boot,
 * which then finds the old label area and the old namespace.
 */
int apply_undo_labels(struct apply_ctx *a, struct undo *u)
{
	struct ndctl_region *region = apply_find_region(a, u->region);
	struct ndctl_namespace *ndns;
	struct ndctl_dimm *dimm;
	bool changed = false;
	unsigned int i;
	int rc;

	if (!region)
		return -ENODEV;
	for (i = 0; i < u->nr_labels; i++) {
		dimm = find_dimm(region, u->labels[i].dimm);
		if (!dimm)
			return -ENODEV;
		rc = labels_unchanged(dimm, &u->labels[i]);
		if (rc < 0)
			return rc;
		changed |= !rc;
	}
	if (!changed)
		return ndctl_region_enable(region);
	if (ndctl_region_is_enabled(region)) {
		bool labelled = region_nstype(region) ==
				ND_DEVICE_NAMESPACE_PMEM;

		ndctl_namespace_foreach(region, ndns) {
			/* never with a namespace still in a labelled one */
			if (labelled && ndctl_namespace_get_size(ndns))
				return -EBUSY;
			if (!ndctl_namespace_is_active(ndns))
				continue;
			rc = ndctl_namespace_disable_safe(ndns);
			if (rc < 0)
				return rc;
		}
	}
	rc = ndctl_region_disable_invalidate(region);
	if (rc < 0)
		return rc;
	for (i = 0; i < u->nr_labels; i++) {
		dimm = find_dimm(region, u->labels[i].dimm);
		rc = dimm ? write_labels(dimm, &u->labels[i]) : -ENODEV;
		if (rc < 0)
			return rc;
	}
	rc = ndctl_region_enable(region);
	if (rc < 0)
		return rc;
	if (region_nstype(region) == ND_DEVICE_NAMESPACE_PMEM)
		snprintf(a->res->note, sizeof(a->res->note),
			 "%s: its label area is as it was, but the kernel shows the region without its namespace until the next boot",
			 u->region);
	return 0;
}
