// SPDX-License-Identifier: GPL-2.0
/*
 * apply's JSON document: plan's (plan_json.c), with "command": "apply"
 * in place of "plan", an "apply" object on the run, and, once the system
 * has been measured again, per region and in the totals what it turned
 * out to be ("result") and whether that is the plan ("verified").  It is
 * built whole and printed compact-keyed ("key":value), as it always was.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "output/apply_output.h"
#include "output/plan_output.h"
#include "snapshot/json_put.h"
#include "snapshot/snapshot.h"

static struct json_object *values_json(const struct pp_apply_values *v,
				       bool kmem, bool measured,
				       const char *zone)
{
	struct json_object *j = json_object_new_object();
	int rc;

	if (!j)
		return NULL;
	rc = pp_json_put_u64(j, "resource", v->start);
	rc = rc ?: pp_json_put_u64(j, "dataoff", v->dataoff);
	if (!kmem)
		return pp_json_built(j, rc);
	rc = rc ?: pp_json_put_u64(j, "dax_start", v->dax_start);
	rc = rc ?: pp_json_put_u64(j, "dax_end", v->dax_end);
	rc = rc ?: pp_json_put_u64(j, "kmem_start", v->kmem_start);
	rc = rc ?: pp_json_put_u64(j, "kmem_end", v->kmem_end);
	rc = rc ?: pp_json_put_u64(j, "blocks", v->blocks);
	if (measured) {
		rc = rc ?: pp_json_put_u64(j, "online_blocks", v->online);
		rc = rc ?: pp_json_put(j, "zone", json_object_new_string(zone),
				       false);
	}
	return pp_json_built(j, rc);
}

static struct json_object *ns_json(const struct pp_apply_ns *n)
{
	struct json_object *j = json_object_new_object();
	bool kmem = n->role == PP_ROLE_KMEM;
	int rc;

	if (!j)
		return NULL;
	rc = pp_json_put_str(j, "dev", n->dev);
	rc = rc ?: pp_json_put_str(j, "role", pp_role_name(n->role));
	rc = rc ?: pp_json_put_str(j, "mode", pp_mode_name(n->mode));
	rc = rc ?: pp_json_put_str(j, "map", n->map != PP_MAP_NONE ?
				   pp_map_name(n->map) : NULL);
	rc = rc ?: pp_json_put_u64(j, "align", n->align ? n->align :
				   PP_UNKNOWN);
	rc = rc ?: pp_json_put_u64(j, "size", n->size);
	/*
	 * "uuid" is the namespace's, as in show; the info block's is named
	 * after its device (sysfs daxX.Y/uuid, pfnX.Y/uuid), the one
	 * "ndctl list" prints as "uuid" of a claimed namespace and
	 * daxctl.conf's nvdimm.uuid matches.
	 */
	rc = rc ?: pp_json_put_str(j, "uuid", n->uuid);
	rc = rc ?: pp_json_put_str(j, n->mode == PP_MODE_FSDAX ? "pfn_uuid" :
				   "dax_uuid", n->claim_uuid);
	rc = rc ?: pp_json_put_str(j, "chardev", n->dax);
	rc = rc ?: pp_json_put_bool(j, "created", n->created);
	rc = rc ?: pp_json_put_bool(j, "system_ram", n->kmem);
	rc = rc ?: pp_json_put_bool(j, "memmap_on_memory", n->mom);
	if (kmem)
		rc = rc ?: pp_json_put_str(j, "zone", pp_zone_name(n->zone));
	rc = rc ?: pp_json_put(j, "predicted",
			       values_json(&n->predicted, kmem, false, NULL),
			       false);
	rc = rc ?: pp_json_put(j, "measured",
			       values_json(&n->measured, kmem, true,
					   n->zone_seen), false);
	rc = rc ?: pp_json_put_bool(j, "verified", n->verified);
	return pp_json_built(j, rc);
}

/* What a region turned out to be, and the namespaces apply made in it. */
static struct json_object *result_json(const struct pp_region_plan *rp,
				       const struct pp_region_report *rr,
				       const struct pp_apply_result *res)
{
	struct json_object *j = json_object_new_object(), *a;
	unsigned int i;
	int rc;

	if (!j)
		return NULL;
	rc = pp_json_put_u64(j, "kmem", rr ? rr->kmem : PP_UNKNOWN);
	rc = rc ?: pp_json_put_u64(j, "blocks", rr ? pp_report_blocks(rr) :
				   PP_UNKNOWN);
	rc = rc ?: pp_json_put_u64(j, "stranded", rr ? rr->stranded :
				   PP_UNKNOWN);
	rc = rc ?: pp_json_put_u64(j, "usable", rr ? rr->usable : PP_UNKNOWN);
	a = rc ? NULL : json_object_new_array();
	for (i = 0; a && !rc && res && i < res->nr_ns; i++)
		if (!strcmp(res->ns[i].region, rp->r->dev))
			rc = pp_json_array_put(a, ns_json(&res->ns[i]));
	rc = rc ?: pp_json_put(j, "namespaces", a, false);
	return pp_json_built(j, rc);
}

/*
 * net_gain: the MemTotal growth, predicted and measured, less the struct
 * pages the model puts in DRAM (MemTotal does not show them).
 */
static int net_gain_json(struct json_object *j,
			 const struct pp_apply_result *res)
{
	uint64_t dram = res->dram_memmap_predicted;
	uint64_t grew = res->mem_total_after - res->mem_total_before;
	struct json_object *g = json_object_new_object();
	int rc;

	if (!g)
		return -ENOMEM;
	rc = pp_json_put_u64(g, "predicted", res->ram_gain_predicted > dram ?
			     res->ram_gain_predicted - dram : 0);
	rc = rc ?: pp_json_put_u64(g, "measured",
				   grew > dram ? grew - dram : 0);
	return rc ?: pp_json_put(j, "net_gain", pp_json_built(g, rc), false);
}

static struct json_object *run_json(const struct pp_apply_doc *d)
{
	const struct pp_apply_result *res = d->res;
	bool measured = d->m && d->m->ok;
	struct json_object *j = json_object_new_object(), *g;
	int rc;

	if (!j)
		return NULL;
	rc = pp_json_put_str(j, "status", d->status);
	rc = rc ?: pp_json_put_int(j, "steps", res ? (int)res->steps : 0);
	rc = rc ?: pp_json_put_int(j, "operations", res ? (int)res->ops : 0);
	rc = rc ?: pp_json_put_str(j, "error", res ? res->error : NULL);
	rc = rc ?: pp_json_put_bool(j, "rolled_back",
				    res && res->rolled_back);
	rc = rc ?: pp_json_put_str(j, "rollback_error",
				   res ? res->rollback_error : NULL);
	rc = rc ?: pp_json_put_str(j, "note", res ? res->note : NULL);
	rc = rc ?: pp_json_put_str(j, "auto_online_blocks",
				   res ? res->policy : NULL);
	rc = rc ?: pp_json_put_bool(j, "policy_switched",
				    res && res->policy_switched);
	if (!rc && res && measured && res->mem_total_before &&
	    res->mem_total_after >= res->mem_total_before) {
		g = json_object_new_object();
		if (!g)
			return pp_json_built(j, -ENOMEM);
		rc = pp_json_put_u64(g, "predicted", res->ram_gain_predicted);
		rc = rc ?: pp_json_put_u64(g, "measured",
					   res->mem_total_after -
					   res->mem_total_before);
		rc = rc ?: pp_json_put(j, "ram_gain", pp_json_built(g, rc), false);
		rc = rc ?: net_gain_json(j, res);
	}
	rc = rc ?: pp_json_put_str(j, "config", d->config);
	if (d->config)
		rc = rc ?: pp_json_put_int(j, "config_sections",
					   d->config_sections);
	return pp_json_built(j, rc);
}

/* The regions, and with a measurement the totals' result and verdict. */
static int put_regions(struct json_object *doc, struct json_object *tot,
		       const struct pp_plan *plan,
		       const struct pp_apply_doc *d, bool *verified)
{
	const struct pp_measurement *m = d->m && d->m->ok ? d->m : NULL;
	struct json_object *regions = json_object_new_array(), *r, *j;
	uint64_t kmem = 0, blocks = 0, stranded = 0;
	bool all = true;
	unsigned int i;
	int rc;

	rc = pp_json_put(doc, "regions", regions, false);
	for (i = 0; !rc && i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];
		const struct pp_region_report *rr;
		bool ok;

		r = pp_plan_region_json(rp);
		rc = pp_json_array_put(regions, r);
		if (rc || !m)
			continue;
		rr = pp_measurement_region(m, rp->r->dev);
		ok = pp_region_verified(rp, rr, d->res);
		all &= ok;
		if (rr) {
			kmem += rr->kmem;
			blocks += pp_report_blocks(rr);
			stranded += rr->stranded;
		}
		rc = pp_json_put(r, "result", result_json(rp, rr, d->res),
				 false);
		rc = rc ?: pp_json_put_bool(r, "verified", ok);
	}
	if (rc || !m)
		return rc;
	j = json_object_new_object();
	if (!j)
		return -ENOMEM;
	rc = pp_json_put_u64(j, "kmem", kmem);
	rc = rc ?: pp_json_put_u64(j, "blocks", blocks);
	rc = rc ?: pp_json_put_u64(j, "stranded", stranded);
	rc = rc ?: pp_json_put(tot, "result", pp_json_built(j, rc), false);
	rc = rc ?: pp_json_put_bool(tot, "verified", all);
	*verified = all;
	return rc;
}

/*
 * A measured CXL ram region's dax devices: what apply made, to set beside
 * the plan's "devices".
 */
static struct json_object *cxl_result_json(const struct pp_cxl_region *c)
{
	struct json_object *a = json_object_new_array(), *o;
	unsigned int i;
	int rc = 0;

	for (i = 0; a && !rc && i < c->nr_dax; i++) {
		const struct pp_dax *d = &c->dax[i];

		if (!d->size)
			continue;
		o = json_object_new_object();
		if (o)
			o = pp_json_built(o,
				pp_json_put_str(o, "dev", d->dev) ?:
				pp_json_put_u64(o, "start", d->start) ?:
				pp_json_put_u64(o, "size", d->size) ?:
				pp_json_put_str(o, "mode",
					pp_dax_mode_name(d->mode)) ?:
				pp_json_put_u64(o, "online_memblocks",
						d->online_blocks));
		rc = pp_json_array_put(a, o);
	}
	return a ? pp_json_built(a, rc) : NULL;
}

/* "cxl_regions", only where there are any: the plan's, and measured */
static int put_cxl(struct json_object *doc, const struct pp_plan *plan,
		   const struct pp_apply_doc *d, bool *verified)
{
	const struct pp_measurement *m = d->m && d->m->ok ? d->m : NULL;
	struct json_object *a, *o;
	unsigned int i;
	int rc;

	if (!plan->nr_cxl)
		return 0;
	a = json_object_new_array();
	rc = pp_json_put(doc, "cxl_regions", a, false);
	for (i = 0; !rc && i < plan->nr_cxl; i++) {
		const struct pp_cxl_plan *cp = &plan->cxl[i];
		const struct pp_cxl_region *mc;
		bool ok;

		o = pp_plan_cxl_json(cp);
		rc = pp_json_array_put(a, o);
		if (rc || !m || cp->unknown)
			continue;
		mc = pp_measurement_cxl(m, cp->c->dev);
		ok = mc && pp_cxl_layout_matches(mc, cp);
		*verified &= ok;
		rc = pp_json_put(o, "result", mc ? cxl_result_json(mc) : NULL,
				 !mc);
		rc = rc ?: pp_json_put_bool(o, "verified", ok);
	}
	return rc;
}

int pp_apply_json_print(FILE *out, const struct pp_topology *t,
			const struct pp_plan *plan,
			const struct pp_apply_doc *d)
{
	struct json_object *doc = json_object_new_object(), *tot;
	bool measured = d->m && d->m->ok, verified = true;
	int rc;

	if (!doc)
		return -ENOMEM;
	rc = pp_json_put_int(doc, "schema", PP_SCHEMA);
	rc = rc ?: pp_json_put_str(doc, "command", "apply");
	rc = rc ?: pp_json_put(doc, "platform",
			       pp_snapshot_platform(&t->plat), false);
	tot = rc ? NULL : pp_plan_totals_json(plan);
	rc = rc ?: pp_json_put(doc, "totals", tot, false);
	rc = rc ?: put_regions(doc, tot, plan, d, &verified);
	rc = rc ?: put_cxl(doc, plan, d, &verified);
	rc = rc ?: pp_json_put(doc, "notes", pp_plan_notes_json(t), false);
	rc = rc ?: pp_json_put(doc, "apply", run_json(d), false);
	/* the verdict, null when the system was not measured again */
	rc = rc ?: pp_json_put(doc, "verified", measured ?
			       json_object_new_boolean(verified) : NULL,
			       !measured);
	if (!rc)
		fprintf(out, "%s\n", json_object_to_json_string_ext(doc,
				JSON_C_TO_STRING_PRETTY |
				JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return rc;
}
