// SPDX-License-Identifier: GPL-2.0
/*
 * The undo journal.  Before a step changes anything, the way to take it
 * back is recorded here; a failed step (the kernel refusing, a
 * verification that does not match the model, a signal, or the test hook)
 * undoes the journal in reverse and stops at the first undo that fails,
 * saying what was left.  Undo actions are written so that running one for
 * a step that never happened is harmless; each lives beside its operation
 * (namespace.c, labels.c, kmem.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ndctl.h>	/* ND_DEVICE_*: <ndctl/ndctl.h> needs ccan */
#include "apply/apply_ctx.h"
#include "system/sysfs.h"
#include "util/util.h"

void apply_free_undo(struct undo *u)
{
	unsigned int i;

	free(u->info);
	for (i = 0; i < u->nr_labels; i++)
		free(u->labels[i].data);
	free(u->labels);
}

struct undo *apply_push_undo(struct apply_ctx *a, enum undo_kind kind,
			     const char *region, const char *dev)
{
	struct undo *u;

	if (a->nr_undo == a->cap_undo) {
		unsigned int cap = a->cap_undo ? 2 * a->cap_undo : 16;

		u = realloc(a->undo, cap * sizeof(*u));
		if (!u)
			return NULL;
		a->undo = u;
		a->cap_undo = cap;
	}
	u = &a->undo[a->nr_undo++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	pp_strscpy(u->region, sizeof(u->region), region);
	pp_strscpy(u->dev, sizeof(u->dev), dev);
	return u;
}

static int undo_tidy(struct apply_ctx *a, struct undo *u)
{
	struct ndctl_region *region = apply_find_region(a, u->region);
	int rc;

	if (!region || !apply_region_empty(region))
		return 0;
	rc = ndctl_region_disable_invalidate(region);
	if (rc < 0)
		return rc;
	return ndctl_region_enable(region);
}

static const char *undo_what(const struct undo *u, char *buf, size_t len)
{
	switch (u->kind) {
	case U_REGION_TIDY:
		snprintf(buf, len, "%s: re-enable the region", u->region);
		break;
	case U_LABELS:
		snprintf(buf, len, "%s: write the old label area back",
			 u->region);
		break;
	case U_REGION_ALIGN:
		snprintf(buf, len, "%s: write region align %#llx back",
			 u->region, (unsigned long long)u->value);
		break;
	case U_NS_DESTROYED:
		snprintf(buf, len, "%s: re-create %s", u->region, u->dev);
		break;
	case U_NS_RECONF:
		snprintf(buf, len, "%s: restore %s", u->region, u->dev);
		break;
	case U_NS_CREATED:
		snprintf(buf, len, "%s: delete %s", u->region, u->dev);
		break;
	case U_CLAIM:
		snprintf(buf, len, "%s: remove %s", u->region, u->dev);
		break;
	case U_MOM:
		snprintf(buf, len, "%s: memmap_on_memory of %s back to %llu",
			 u->region, u->dev, (unsigned long long)u->value);
		break;
	case U_POLICY:
		snprintf(buf, len, "write auto_online_blocks %s back",
			 u->policy);
		break;
	case U_KMEM:
		snprintf(buf, len, "%s: take %s out of System RAM", u->region,
			 u->dev);
		break;
	case U_CXL:
		snprintf(buf, len, "CXL %s: its dax devices as they were",
			 u->region);
		break;
	}
	return buf;
}

static int undo_one(struct apply_ctx *a, struct undo *u)
{
	char buf[32];

	switch (u->kind) {
	case U_REGION_TIDY:
		return undo_tidy(a, u);
	case U_LABELS:
		return apply_undo_labels(a, u);
	case U_REGION_ALIGN: {
		struct ndctl_region *region = apply_find_region(a, u->region);

		if (!region)
			return -ENODEV;
		if (ndctl_region_get_align(region) == u->value)
			return 0;
		return ndctl_region_set_align(region, u->value);
	}
	case U_NS_DESTROYED:
		return apply_undo_destroyed(a, u);
	case U_NS_RECONF:
		return apply_undo_reconf(a, u);
	case U_NS_CREATED:
		return apply_undo_created(a, u);
	case U_CLAIM:
		return apply_undo_claim(a, u);
	case U_MOM:
		return apply_undo_mom(a, u);
	case U_POLICY:
		if (!pp_sysfs_read(PP_AUTO_ONLINE, buf, sizeof(buf)) &&
		    !strcmp(buf, u->policy))
			return 0;
		return pp_sysfs_write(PP_AUTO_ONLINE, u->policy);
	case U_KMEM:
		return apply_undo_kmem(a, u);
	case U_CXL:
		return apply_undo_cxl(a, u);
	}
	return 0;
}

/* Undo the journal in reverse; stop at the first undo that fails. */
void apply_rollback(struct apply_ctx *a)
{
	struct pp_apply_result *res = a->res;
	char what[160];
	int rc;

	while (a->nr_undo) {
		struct undo *u = &a->undo[a->nr_undo - 1];

		pp_apply_vlog(&a->vo, "undo: %s",
			      undo_what(u, what, sizeof(what)));
		rc = undo_one(a, u);
		if (rc < 0) {
			snprintf(res->rollback_error,
				 sizeof(res->rollback_error), "%s: %s",
				 undo_what(u, what, sizeof(what)),
				 rc == -EDOM ? "not at its old address" :
				 rc == -ENOTRECOVERABLE ?
				 "its dax devices are not as they were (daxctl list -D -u shows them)" :
				 strerror(-rc));
			return;
		}
		apply_free_undo(u);
		a->nr_undo--;
	}
	res->rolled_back = true;
}
