// SPDX-License-Identifier: GPL-2.0
/*
 * "plan --json": the document (schema PP_SCHEMA) with "actions",
 * "predicted" and "baseline" per region, and the pieces of it that apply's
 * document reuses.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "output/output.h"
#include "output/plan_output.h"
#include "snapshot/json_put.h"
#include "snapshot/snapshot.h"
#include "util/units.h"

static struct json_object *outcome_json(const struct pp_outcome *o,
					bool with_error)
{
	struct json_object *j = json_object_new_object();
	int rc;

	if (!j)
		return NULL;
	rc = pp_json_put_u64(j, "kmem", o->kmem);
	rc = rc ?: pp_json_put_u64(j, "blocks", o->blocks);
	rc = rc ?: pp_json_put_u64(j, "stranded", o->stranded);
	rc = rc ?: pp_json_put_u64(j, "usable", o->usable);
	rc = rc ?: pp_json_put_u64(j, "free", o->free);
	rc = rc ?: pp_json_put_u64(j, "dram_memmap", o->dram_memmap);
	rc = rc ?: pp_json_put_u64(j, "ram_gain", o->ram_gain);
	rc = rc ?: pp_json_put_u64(j, "net_gain", pp_outcome_net(o));
	rc = rc ?: pp_json_put_u64(j, "devdax_dram", o->devdax_dram);
	if (with_error)
		rc = rc ?: pp_json_put(j, "error", o->error ?
				       json_object_new_string(o->error_msg) :
				       NULL, !o->error);
	return pp_json_built(j, rc);
}

static struct json_object *op_json(const struct pp_op *op)
{
	struct json_object *j = json_object_new_object();
	int rc;

	if (!j)
		return NULL;
	rc = pp_json_put_str(j, "op", pp_op_name(op->kind));
	rc = rc ?: pp_json_put_str(j, "dev", op->dev);
	switch (op->kind) {
	case PP_OP_CREATE:
	case PP_OP_RECONFIGURE:
		rc = rc ?: pp_json_put_str(j, "role", pp_role_name(op->role));
		rc = rc ?: pp_json_put_str(j, "mode", pp_mode_name(op->mode));
		rc = rc ?: pp_json_put_str(j, "map", op->map != PP_MAP_NONE ?
					   pp_map_name(op->map) : NULL);
		rc = rc ?: pp_json_put_u64(j, "align", op->align ? op->align :
					   PP_UNKNOWN);
		/* fall through */
	case PP_OP_DESTROY:
	case PP_OP_MEMMAP_ON_MEMORY:
		rc = rc ?: pp_json_put_u64(j, "resource", op->start);
		rc = rc ?: pp_json_put_u64(j, "size", op->size);
		break;
	case PP_OP_KMEM:
		rc = rc ?: pp_json_put_u64(j, "resource", op->start);
		rc = rc ?: pp_json_put_u64(j, "size", op->size);
		rc = rc ?: pp_json_put_str(j, "zone", pp_zone_name(op->zone));
		break;
	case PP_OP_REGION_ALIGN:
		rc = rc ?: pp_json_put_u64(j, "align", op->align);
		break;
	case PP_OP_INIT_LABELS:
		break;
	}
	rc = rc ?: pp_json_put_bool(j, "destructive", op->destructive);
	return pp_json_built(j, rc);
}

struct json_object *pp_plan_region_json(const struct pp_region_plan *rp)
{
	struct json_object *j = pp_snapshot_region(rp->r), *a;
	unsigned int i;
	int rc;

	if (!j)
		return NULL;
	rc = pp_json_put_u64(j, "bound", rp->bound);
	rc = rc ?: pp_json_put_u64(j, "region_align", rp->region_align);
	rc = rc ?: pp_json_put_bool(j, "memmap_on_memory", rp->mom);
	a = rc ? NULL : json_object_new_array();
	for (i = 0; a && !rc && i < rp->nr_ops; i++)
		rc = pp_json_array_put(a, op_json(&rp->ops[i]));
	rc = rc ?: pp_json_put(j, "actions", a, false);
	rc = rc ?: pp_json_put(j, "predicted",
			       outcome_json(&rp->predicted, false), false);
	rc = rc ?: pp_json_put(j, "baseline",
			       outcome_json(&rp->baseline, true), false);
	a = rc ? NULL : json_object_new_array();
	for (i = 0; a && !rc && i < rp->nr_advice; i++)
		rc = pp_json_array_put(a,
				       json_object_new_string(rp->advice[i]));
	rc = rc ?: pp_json_put(j, "advice", a, false);
	return pp_json_built(j, rc);
}

struct json_object *pp_plan_totals_json(const struct pp_plan *plan)
{
	struct json_object *j = json_object_new_object();
	int rc;

	if (!j)
		return NULL;
	rc = pp_json_put_u64(j, "capacity", plan->capacity);
	rc = rc ?: pp_json_put_u64(j, "kmem", plan->predicted.kmem);
	rc = rc ?: pp_json_put_u64(j, "bound", plan->bound);
	rc = rc ?: pp_json_put_u64(j, "stranded", plan->predicted.stranded);
	rc = rc ?: pp_json_put_u64(j, "dram_memmap",
				   plan->predicted.dram_memmap);
	rc = rc ?: pp_json_put_u64(j, "ram_gain", plan->predicted.ram_gain);
	rc = rc ?: pp_json_put_u64(j, "net_gain",
				   pp_outcome_net(&plan->predicted));
	rc = rc ?: pp_json_put_u64(j, "baseline_kmem", plan->baseline.kmem);
	rc = rc ?: pp_json_put_u64(j, "dram_budget", plan->dram_budget ?
				   plan->dram_budget : PP_UNKNOWN);
	rc = rc ?: pp_json_put_bool(j, "memmap_on_memory", plan->mom);
	rc = rc ?: pp_json_put(j, "memmap_on_memory_reason",
			       json_object_new_string(plan->mom_why), false);
	rc = rc ?: pp_json_put_u64(j, "memmap_per_block", plan->mom_per_block);
	rc = rc ?: pp_json_put_u64(j, "memmap_padding_per_block",
				   plan->mom_padding);
	rc = rc ?: pp_json_put_u64(j, "dram_saved", plan->dram_saved);
	return pp_json_built(j, rc);
}

static struct json_object *cxl_dev_json(const struct pp_cxl_dev *d)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	return pp_json_built(o, pp_json_put_u64(o, "start", d->start) ?:
			     pp_json_put_u64(o, "size", d->size) ?:
			     pp_json_put_str(o, "mode", d->kmem ? "system-ram" :
					     "devdax"));
}

/*
 * The members of a CXL ram region's layout (lib/planner/cxl.c), the
 * default beside it; an existing region's also say what apply does.
 */
static int cxl_layout_json(struct json_object *o, const struct pp_cxl_plan *cp,
			   bool existing)
{
	struct json_object *a, *k, *adv;
	unsigned int i;
	int rc = 0;

	a = json_object_new_array();
	for (i = 0; a && !rc && i < cp->nr_dev; i++)
		rc = pp_json_array_put(a, cxl_dev_json(&cp->dev[i]));
	if (a)
		a = pp_json_built(a, rc);
	k = json_object_new_object();
	if (k)
		k = pp_json_built(k,
			pp_json_put_u64(k, "kmem", cp->default_kmem) ?:
			pp_json_put_u64(k, "lost", cp->default_lost) ?:
			pp_json_put_u64(k, "ram_gain", cp->default_ram_gain) ?:
			pp_json_put_u64(k, "dram_memmap",
					cp->default_dram_memmap) ?:
			pp_json_put_bool(k, "memmap_on_memory",
					 cp->default_mom) ?:
			pp_json_put_str(k, "zone", cp->default_zone));
	adv = json_object_new_array();
	for (i = 0; adv && i < cp->nr_advice; i++)
		rc = rc ?: pp_json_array_put(adv,
				json_object_new_string(cp->advice[i]));
	if (adv)
		adv = pp_json_built(adv, rc);
	rc = pp_json_put(o, "devices", a, false);
	rc = rc ?: pp_json_put_u64(o, "kmem", cp->kmem);
	rc = rc ?: pp_json_put_u64(o, "blocks", cp->blocks);
	rc = rc ?: pp_json_put_u64(o, "devdax", cp->devdax);
	rc = rc ?: pp_json_put_u64(o, "lost", cp->lost);
	rc = rc ?: pp_json_put_u64(o, "memmap_on_memory_bytes", cp->mom_bytes);
	rc = rc ?: pp_json_put_u64(o, "ram_gain", cp->ram_gain);
	rc = rc ?: pp_json_put_u64(o, "dram_memmap", cp->dram_memmap);
	rc = rc ?: pp_json_put_u64(o, "net_gain", cp->ram_net);
	rc = rc ?: pp_json_put_bool(o, "memmap_on_memory", cp->mom);
	rc = rc ?: pp_json_put_str(o, "zone", pp_zone_name(cp->zone));
	rc = rc ?: pp_json_put_u64(o, "bound", cp->bound);
	if (existing) {
		rc = rc ?: pp_json_put_bool(o, "as_planned", cp->as_planned);
		rc = rc ?: pp_json_put_str(o, "needs_force",
					   cp->busy[0] ? cp->busy : NULL);
	}
	if (rc) {
		json_object_put(k);
		json_object_put(adv);
		return rc;
	}
	rc = pp_json_put(o, "kernel_default", k, false);
	return rc ? (json_object_put(adv), rc) :
	       pp_json_put(o, "advice", adv, false);
}

/* A CXL ram region's plan (lib/planner/cxl.c), the default beside it. */
struct json_object *pp_plan_cxl_json(const struct pp_cxl_plan *cp)
{
	struct json_object *o = json_object_new_object();
	int rc;

	if (!o)
		return NULL;
	rc = pp_json_put_str(o, "dev", cp->c->dev) ?:
	     pp_json_put_u64(o, "resource", cp->c->start) ?:
	     pp_json_put_u64(o, "size", cp->c->size);
	if (rc || cp->unknown)
		return pp_json_built(o, rc ?: pp_json_put(o, "plan", NULL,
							    true));
	return pp_json_built(o, cxl_layout_json(o, cp, true));
}

/*
 * The region free CXL ram capacity would make: where the kernel would put
 * it ("resource" null when unknown or nothing fits: "placement" says
 * which), its layout, and how to create it.
 */
static struct json_object *cxl_free_json(const struct pp_cxl_free_plan *fp)
{
	const struct pp_cxl_free *f = fp->f;
	struct json_object *o = pp_snapshot_cxl_free(f);
	char how[400];
	int rc;

	if (!o)
		return NULL;
	snprintf(how, sizeof(how), "the kernel's sysfs ABI (cxl-cli 76.1 cannot create ram regions): %s/create_ram_region, the region's interleave_granularity, interleave_ways=1, size=%" PRIu64 ", %s's mode=ram and dpa_size=%" PRIu64 ", target0=%s, commit, bind to cxl_region",
		 f->decoder, fp->size, f->endpoint, fp->size, f->endpoint);
	rc = pp_json_put_int(o, "interleave_ways", 1) ?:
	     pp_json_put_str(o, "placement", !fp->place ? "placed" :
			     fp->place == -ENOSPC ? "no_space" : "unknown") ?:
	     pp_json_put_u64(o, "resource", fp->place ? PP_UNKNOWN : fp->start) ?:
	     pp_json_put_u64(o, "size", fp->place ? PP_UNKNOWN : fp->size);
	if (rc || fp->place)
		return pp_json_built(o, rc ?: pp_json_put(o, "plan", NULL,
							    true));
	rc = cxl_layout_json(o, &fp->layout, false) ?:
	     pp_json_put_str(o, "create", how);
	return pp_json_built(o, rc);
}

struct json_object *pp_plan_notes_json(const struct pp_topology *t)
{
	struct json_object *notes = json_object_new_array();
	unsigned int i;
	int rc = 0;

	for (i = 0; notes && !rc && i < t->nr_notes; i++)
		rc = pp_json_array_put(notes,
				       json_object_new_string(t->notes[i]));
	return notes ? pp_json_built(notes, rc) : NULL;
}

static struct json_object *region_at(const void *plan, unsigned int i)
{
	return pp_plan_region_json(&((const struct pp_plan *)plan)->regions[i]);
}

static struct json_object *cxl_at(const void *plan, unsigned int i)
{
	return pp_plan_cxl_json(&((const struct pp_plan *)plan)->cxl[i]);
}

static struct json_object *cxl_free_at(const void *plan, unsigned int i)
{
	return cxl_free_json(&((const struct pp_plan *)plan)->cxl_free[i]);
}

int pp_plan_json_print(FILE *out, const struct pp_topology *t,
		       const struct pp_plan *plan)
{
	int rc;

	fprintf(out, "{\n  \"schema\": %d,\n  \"command\": \"plan\",\n",
		PP_SCHEMA);
	rc = pp_json_put_member(out, 2, "platform",
				pp_snapshot_platform(&t->plat), false);
	if (!rc)
		rc = pp_json_put_member(out, 2, "totals",
					pp_plan_totals_json(plan), false);
	rc = rc ?: pp_json_put_elements(out, "regions", plan->nr_regions, true,
					region_at, plan);
	/* only where there are CXL ram regions: other plans stay as they were */
	rc = rc ?: pp_json_put_elements(out, "cxl_regions", plan->nr_cxl, false,
					cxl_at, plan);
	/* only where there is free CXL ram capacity */
	rc = rc ?: pp_json_put_elements(out, "cxl_free", plan->nr_cxl_free,
					false, cxl_free_at, plan);
	if (!rc)
		rc = pp_json_put_member(out, 2, "notes", pp_plan_notes_json(t),
					true);
	fprintf(out, "}\n");
	return rc;
}
