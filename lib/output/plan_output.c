// SPDX-License-Identifier: GPL-2.0
/*
 * "plan" output: per region the plan, ndctl's defaults and the bound side
 * by side, then the operations in order; or the JSON document (schema
 * PP_SCHEMA) with "actions", "predicted" and "baseline" per region.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "output/output.h"
#include "output/plan_output.h"
#include "snapshot/snapshot.h"
#include "util/units.h"

#define JADD(obj, key, val) json_object_object_add(obj, key, val)

static struct json_object *outcome_json(const struct pp_outcome *o,
					bool with_error)
{
	struct json_object *j = json_object_new_object();

	if (!j)
		return NULL;
	JADD(j, "kmem", pp_json_u64(o->kmem));
	JADD(j, "blocks", pp_json_u64(o->blocks));
	JADD(j, "stranded", pp_json_u64(o->stranded));
	JADD(j, "usable", pp_json_u64(o->usable));
	JADD(j, "free", pp_json_u64(o->free));
	JADD(j, "dram_memmap", pp_json_u64(o->dram_memmap));
	JADD(j, "ram_gain", pp_json_u64(o->ram_gain));
	JADD(j, "devdax_dram", pp_json_u64(o->devdax_dram));
	if (with_error)
		JADD(j, "error", o->error ?
		     json_object_new_string(o->error_msg) : NULL);
	return j;
}

static struct json_object *op_json(const struct pp_op *op)
{
	struct json_object *j = json_object_new_object();

	if (!j)
		return NULL;
	JADD(j, "op", json_object_new_string(pp_op_name(op->kind)));
	JADD(j, "dev", op->dev[0] ? json_object_new_string(op->dev) : NULL);
	switch (op->kind) {
	case PP_OP_CREATE:
	case PP_OP_RECONFIGURE:
		JADD(j, "role", json_object_new_string(pp_role_name(op->role)));
		JADD(j, "mode", json_object_new_string(pp_mode_name(op->mode)));
		JADD(j, "map", op->map != PP_MAP_NONE ?
		     json_object_new_string(pp_map_name(op->map)) : NULL);
		JADD(j, "align", op->align ? pp_json_u64(op->align) : NULL);
		/* fall through */
	case PP_OP_DESTROY:
	case PP_OP_MEMMAP_ON_MEMORY:
		JADD(j, "resource", pp_json_u64(op->start));
		JADD(j, "size", pp_json_u64(op->size));
		break;
	case PP_OP_KMEM:
		JADD(j, "resource", pp_json_u64(op->start));
		JADD(j, "size", pp_json_u64(op->size));
		JADD(j, "zone", json_object_new_string(pp_zone_name(op->zone)));
		break;
	case PP_OP_REGION_ALIGN:
		JADD(j, "align", pp_json_u64(op->align));
		break;
	case PP_OP_INIT_LABELS:
		break;
	}
	JADD(j, "destructive", json_object_new_boolean(op->destructive));
	return j;
}

static struct json_object *region_json(const struct pp_region_plan *rp)
{
	struct json_object *j = pp_snapshot_region(rp->r), *a;
	unsigned int i;

	if (!j)
		return NULL;
	JADD(j, "bound", pp_json_u64(rp->bound));
	JADD(j, "region_align", pp_json_u64(rp->region_align));
	JADD(j, "memmap_on_memory", json_object_new_boolean(rp->mom));
	a = json_object_new_array();
	for (i = 0; a && i < rp->nr_ops; i++)
		json_object_array_add(a, op_json(&rp->ops[i]));
	JADD(j, "actions", a);
	JADD(j, "predicted", outcome_json(&rp->predicted, false));
	JADD(j, "baseline", outcome_json(&rp->baseline, true));
	a = json_object_new_array();
	for (i = 0; a && i < rp->nr_advice; i++)
		json_object_array_add(a, json_object_new_string(rp->advice[i]));
	JADD(j, "advice", a);
	return j;
}

static struct json_object *totals_json(const struct pp_plan *plan)
{
	struct json_object *j = json_object_new_object();

	if (!j)
		return NULL;
	JADD(j, "capacity", pp_json_u64(plan->capacity));
	JADD(j, "kmem", pp_json_u64(plan->predicted.kmem));
	JADD(j, "bound", pp_json_u64(plan->bound));
	JADD(j, "stranded", pp_json_u64(plan->predicted.stranded));
	JADD(j, "dram_memmap", pp_json_u64(plan->predicted.dram_memmap));
	JADD(j, "ram_gain", pp_json_u64(plan->predicted.ram_gain));
	JADD(j, "baseline_kmem", pp_json_u64(plan->baseline.kmem));
	JADD(j, "dram_budget", plan->dram_budget ?
	     pp_json_u64(plan->dram_budget) : NULL);
	JADD(j, "memmap_on_memory", json_object_new_boolean(plan->mom));
	JADD(j, "memmap_on_memory_reason",
	     json_object_new_string(plan->mom_why));
	JADD(j, "memmap_per_block", pp_json_u64(plan->mom_per_block));
	JADD(j, "memmap_padding_per_block", pp_json_u64(plan->mom_padding));
	JADD(j, "dram_saved", pp_json_u64(plan->dram_saved));
	return j;
}

int pp_plan_json_print(FILE *out, const struct pp_topology *t,
		       const struct pp_plan *plan)
{
	struct json_object *notes;
	unsigned int i;
	int rc;

	fprintf(out, "{\n  \"schema\": %d,\n  \"command\": \"plan\",\n",
		PP_SCHEMA);
	rc = pp_json_put_member(out, 2, "platform", pp_snapshot_platform(&t->plat), false);
	if (!rc)
		rc = pp_json_put_member(out, 2, "totals", totals_json(plan), false);
	fprintf(out, "  \"regions\": [\n");
	for (i = 0; !rc && i < plan->nr_regions; i++)
		rc = pp_json_put_member(out, 4, NULL,
					region_json(&plan->regions[i]),
			 i + 1 == plan->nr_regions);
	fprintf(out, "  ],\n");
	notes = json_object_new_array();
	for (i = 0; notes && i < t->nr_notes; i++)
		json_object_array_add(notes,
				      json_object_new_string(t->notes[i]));
	if (!rc)
		rc = pp_json_put_member(out, 2, "notes", notes, true);
	fprintf(out, "}\n");
	return rc;
}

static const char *sz(uint64_t v, bool bytes, char *buf)
{
	if (bytes)
		snprintf(buf, PP_HUMAN_LEN, "%" PRIu64, v);
	else
		pp_human_size(v, buf, PP_HUMAN_LEN);
	return buf;
}

static void outcome_line(FILE *out, const char *what,
			 const struct pp_outcome *o, bool bytes)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN], c[PP_HUMAN_LEN];

	if (o->error) {
		fprintf(out, "  %-8s %12s  fails: %s\n", what, "-",
			o->error_msg);
		return;
	}
	fprintf(out, "  %-8s %12s %12s %12s %6" PRIu64 "\n", what,
		sz(o->kmem, bytes, a), sz(o->stranded, bytes, b),
		sz(o->dram_memmap, bytes, c), o->blocks);
}

static void op_line(FILE *out, unsigned int n, const struct pp_op *op,
		    bool bytes)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN];

	fprintf(out, "  %2u. %-22s", n, pp_op_name(op->kind));
	switch (op->kind) {
	case PP_OP_INIT_LABELS:
		fprintf(out, " %s (erases the label area)", op->dev);
		break;
	case PP_OP_REGION_ALIGN:
		fprintf(out, " %s align %s", op->dev, sz(op->align, bytes, a));
		break;
	case PP_OP_DESTROY:
		fprintf(out, " %s (%s at %#" PRIx64 ")", op->dev,
			sz(op->size, bytes, a), op->start);
		break;
	case PP_OP_CREATE:
	case PP_OP_RECONFIGURE:
		fprintf(out, " %s%s%-6s %-8s %s at %#" PRIx64, op->dev,
			op->dev[0] ? " " : "", pp_mode_name(op->mode),
			pp_role_name(op->role), sz(op->size, bytes, a),
			op->start);
		if (op->map != PP_MAP_NONE)
			fprintf(out, ", map=%s", pp_map_name(op->map));
		if (op->align)
			fprintf(out, ", align=%s", sz(op->align, bytes, b));
		break;
	case PP_OP_MEMMAP_ON_MEMORY:
		fprintf(out, " %s (struct pages on the device)",
			op->dev[0] ? op->dev : "its dax device");
		break;
	case PP_OP_KMEM:
		fprintf(out, " %s, online %s", op->dev[0] ? op->dev :
			"its dax device", pp_zone_name(op->zone));
		break;
	}
	fprintf(out, "%s\n", op->destructive ? "  [destructive]" : "");
}

int pp_plan_human(FILE *out, const struct pp_topology *t,
		  const struct pp_plan *plan, bool bytes)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN], c[PP_HUMAN_LEN];
	unsigned int i, j;

	fprintf(out, "%s, kernel %s, %s memory blocks; struct pages: %s (%s)\n",
		pp_arch_name(t->plat.arch),
		t->plat.kernel[0] ? t->plat.kernel : "unknown",
		sz(t->plat.block_size.value, bytes, a),
		plan->mom ? "on the device (memmap_on_memory)" : "in DRAM",
		plan->mom_why);
	if (plan->mom)
		fprintf(out, "memmap_on_memory: %s of every block holds its struct pages (%s of it pageblock padding); %s of DRAM saved\n",
			sz(plan->mom_per_block, bytes, a),
			sz(plan->mom_padding, bytes, b),
			sz(plan->dram_saved, bytes, c));
	if (plan->dram_budget)
		fprintf(out, "DRAM for struct pages: at most %s (of %s available)\n",
			sz(plan->dram_budget, bytes, a),
			sz(t->plat.mem_available.value, bytes, b));
	if (!plan->nr_regions) {
		fprintf(out, "no persistent memory regions found\n");
		return 0;
	}
	for (i = 0; i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];

		fprintf(out, "\n%s: %s %s%s at %#" PRIx64 ", region align %s\n",
			rp->r->dev, sz(rp->r->size, bytes, a),
			pp_region_kind_name(rp->r->kind),
			rp->r->labelled ? "" : " (label-less)", rp->r->start,
			sz(rp->region_align, bytes, b));
		fprintf(out, "  %-8s %12s %12s %12s %6s\n", "", "KMEM",
			"STRANDED", "DRAM-MEMMAP", "BLOCKS");
		outcome_line(out, "plan", &rp->predicted, bytes);
		outcome_line(out, "ndctl", &rp->baseline, bytes);
		fprintf(out, "  %-8s %12s\n", "bound", sz(rp->bound, bytes, a));
		if (!rp->nr_ops)
			fprintf(out, "  nothing to do\n");
		for (j = 0; j < rp->nr_ops; j++)
			op_line(out, j + 1, &rp->ops[j], bytes);
		for (j = 0; j < rp->nr_advice; j++)
			fprintf(out, "  advice: %s\n", rp->advice[j]);
	}
	if (plan->nr_regions > 1) {
		fprintf(out, "\ntotal:\n");
		outcome_line(out, "plan", &plan->predicted, bytes);
		outcome_line(out, "ndctl", &plan->baseline, bytes);
		fprintf(out, "  %-8s %12s\n", "bound", sz(plan->bound, bytes, a));
	}
	for (i = 0; i < t->nr_notes; i++)
		fprintf(out, "note: %s\n", t->notes[i]);
	return 0;
}
