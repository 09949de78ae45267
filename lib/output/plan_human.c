// SPDX-License-Identifier: GPL-2.0
/*
 * "plan" for people: per region the plan, ndctl's defaults and the bound
 * side by side, then the operations in order.
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

static void outcome_line(FILE *out, const char *what,
			 const struct pp_outcome *o, bool bytes)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN], c[PP_HUMAN_LEN];
	char d[PP_HUMAN_LEN];

	if (o->error) {
		fprintf(out, "  %-8s %12s  fails: %s\n", what, "-",
			o->error_msg);
		return;
	}
	/* NET: what MemTotal grows by, less the DRAM for struct pages */
	fprintf(out, "  %-8s %12s %12s %12s %12s %6" PRIu64 "\n", what,
		pp_size_text(o->kmem, bytes, a, PP_HUMAN_LEN),
		pp_size_text(pp_outcome_net(o), bytes, d, PP_HUMAN_LEN),
		pp_size_text(o->stranded, bytes, b, PP_HUMAN_LEN),
		pp_size_text(o->dram_memmap, bytes, c, PP_HUMAN_LEN), o->blocks);
}

static void op_line(FILE *out, unsigned int n, const struct pp_op *op,
		    bool bytes)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN];

	fprintf(out, "  %2u. %-22s", n, pp_op_name(op->kind));
	switch (op->kind) {
	case PP_OP_INIT_LABELS:
		fprintf(out, " %s (%s)", op->dev, op->destructive ?
			"erases the label area" : "label area never written");
		break;
	case PP_OP_REGION_ALIGN:
		fprintf(out, " %s align %s", op->dev,
			pp_size_text(op->align, bytes, a, PP_HUMAN_LEN));
		break;
	case PP_OP_DESTROY:
		fprintf(out, " %s (%s at %#" PRIx64 ")", op->dev,
			pp_size_text(op->size, bytes, a, PP_HUMAN_LEN), op->start);
		break;
	case PP_OP_CREATE:
	case PP_OP_RECONFIGURE:
		fprintf(out, " %s%s%-6s %-8s %s at %#" PRIx64, op->dev,
			op->dev[0] ? " " : "", pp_mode_name(op->mode),
			pp_role_name(op->role), pp_size_text(op->size, bytes, a, PP_HUMAN_LEN),
			op->start);
		if (op->map != PP_MAP_NONE)
			fprintf(out, ", map=%s", pp_map_name(op->map));
		if (op->align)
			fprintf(out, ", align=%s", pp_size_text(op->align, bytes, b, PP_HUMAN_LEN));
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

/* A CXL ram region's layout: the plan, the kernel's default, the bound. */
static void cxl_layout(FILE *out, const struct pp_cxl_plan *cp, bool bytes)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN], d[PP_HUMAN_LEN], e[PP_HUMAN_LEN];
	char f[PP_HUMAN_LEN];
	unsigned int j;

	fprintf(out, "  %-8s %12s %12s %12s %12s %12s %s\n", "", "KMEM",
		"DEVDAX", "LOST", "RAM-GAIN", "DRAM-MEMMAP", "ZONE");
	fprintf(out, "  %-8s %12s %12s %12s %12s %12s %s\n", "plan",
		pp_size_text(cp->kmem, bytes, a, PP_HUMAN_LEN),
		pp_size_text(cp->devdax, bytes, b, PP_HUMAN_LEN),
		pp_size_text(cp->lost, bytes, d, PP_HUMAN_LEN),
		pp_size_text(cp->ram_gain, bytes, e, PP_HUMAN_LEN),
		pp_size_text(cp->dram_memmap, bytes, f, PP_HUMAN_LEN),
		pp_zone_name(cp->zone));
	fprintf(out, "  %-8s %12s %12s %12s %12s %12s %s\n", "kernel",
		pp_size_text(cp->default_kmem, bytes, a, PP_HUMAN_LEN),
		pp_size_text(0, bytes, b, PP_HUMAN_LEN),
		pp_size_text(cp->default_lost, bytes, d, PP_HUMAN_LEN),
		pp_size_text(cp->default_ram_gain, bytes, e, PP_HUMAN_LEN),
		pp_size_text(cp->default_dram_memmap, bytes, f, PP_HUMAN_LEN),
		cp->default_zone);
	fprintf(out, "  %-8s %12s\n", "bound",
		pp_size_text(cp->bound, bytes, a, PP_HUMAN_LEN));
	for (j = 0; j < cp->nr_dev; j++)
		fprintf(out, "  %u. dax device of %s at %#" PRIx64 ": %s%s\n",
			j + 1, pp_size_text(cp->dev[j].size, bytes, a,
					    PP_HUMAN_LEN),
			cp->dev[j].start, cp->dev[j].kmem ? "kmem, online " :
			"devdax", cp->dev[j].kmem ? pp_zone_name(cp->zone) : "");
	if (cp->nr_dev == 1 && cp->dev[0].kmem)
		fprintf(out, "  the layout is the kernel's: one device, all kmem\n");
}

static void cxl_advice(FILE *out, const struct pp_cxl_plan *cp)
{
	unsigned int j;

	for (j = 0; j < cp->nr_advice; j++)
		fprintf(out, "  advice: %s\n", cp->advice[j]);
}

/* A CXL ram region: its layout, what apply does, advice. */
static void cxl_plan(FILE *out, const struct pp_cxl_plan *cp, bool bytes)
{
	const struct pp_cxl_region *c = cp->c;
	char a[PP_HUMAN_LEN];

	fprintf(out, "\nCXL %s: %s ram", c->dev,
		pp_size_text(c->size, bytes, a, PP_HUMAN_LEN));
	if (c->start != PP_UNKNOWN)
		fprintf(out, " at %#" PRIx64, c->start);
	fprintf(out, ", %u-way, window %s\n", c->ways,
		c->decoder[0] ? c->decoder : "unknown");
	if (cp->unknown) {
		fprintf(out, "  physical layout unknown (needs root)\n");
		return;
	}
	cxl_layout(out, cp, bytes);
	if (cp->as_planned)
		fprintf(out, "  apply: nothing to do, the dax devices are these\n");
	else if (cp->nr_dev)
		fprintf(out, "  apply: takes its dax devices down and makes these%s%s%s\n",
			cp->busy[0] ? " (" : "", cp->busy,
			cp->busy[0] ? " is devdax: --force)" : "");
	cxl_advice(out, cp);
}

/* Free CXL ram capacity: the region it would make, and how to make it. */
static void cxl_free_plan(FILE *out, const struct pp_cxl_free_plan *fp,
			  bool bytes)
{
	const struct pp_cxl_free *f = fp->f;
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN];

	fprintf(out, "\nCXL %s: %s of %s ram in no region, window %s\n",
		f->memdev, pp_size_text(f->ram_free, bytes, a, PP_HUMAN_LEN),
		pp_size_text(f->ram_size, bytes, b, PP_HUMAN_LEN),
		f->decoder);
	if (fp->place == -ENOSPC) {
		fprintf(out, "  no 256 MiB of it fits in the window's free address space\n");
		return;
	}
	if (fp->place) {
		fprintf(out, "  where the kernel would place a region is unknown (needs root)\n");
		return;
	}
	fprintf(out, "  a 1-way ram region of it would be %s at %#" PRIx64 ":\n",
		pp_size_text(fp->size, bytes, a, PP_HUMAN_LEN), fp->start);
	cxl_layout(out, &fp->layout, bytes);
	fprintf(out, "  to create it (pmemplan does not; cxl-cli 76.1 cannot): the kernel's sysfs ABI, %s/create_ram_region, the region's interleave_granularity, interleave_ways=1 and size=%" PRIu64 ", %s's mode=ram and dpa_size, target0=%s, commit, then bind it to cxl_region; then pmemplan plan again\n",
		f->decoder, fp->size, f->endpoint, f->endpoint);
	cxl_advice(out, &fp->layout);
}

int pp_plan_human(FILE *out, const struct pp_topology *t,
		  const struct pp_plan *plan, bool bytes)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN], c[PP_HUMAN_LEN];
	unsigned int i, j;

	fprintf(out, "%s, kernel %s, %s memory blocks; struct pages: %s (%s)\n",
		pp_arch_name(t->plat.arch),
		t->plat.kernel[0] ? t->plat.kernel : "unknown",
		pp_size_text(t->plat.block_size.value, bytes, a, PP_HUMAN_LEN),
		plan->mom ? "on the device (memmap_on_memory)" : "in DRAM",
		plan->mom_why);
	if (plan->mom)
		fprintf(out, "memmap_on_memory: %s of every block holds its struct pages (%s of it pageblock padding); %s of DRAM saved\n",
			pp_size_text(plan->mom_per_block, bytes, a, PP_HUMAN_LEN),
			pp_size_text(plan->mom_padding, bytes, b, PP_HUMAN_LEN),
			pp_size_text(plan->dram_saved, bytes, c, PP_HUMAN_LEN));
	if (plan->dram_budget)
		fprintf(out, "DRAM for struct pages: at most %s (of %s available)\n",
			pp_size_text(plan->dram_budget, bytes, a, PP_HUMAN_LEN),
			pp_size_text(t->plat.mem_available.value, bytes, b, PP_HUMAN_LEN));
	if (!plan->nr_regions && !plan->nr_cxl && !plan->nr_cxl_free) {
		fprintf(out, "no persistent memory regions found\n");
		return 0;
	}
	for (i = 0; i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];

		fprintf(out, "\n%s: %s %s%s at %#" PRIx64 ", region align %s\n",
			rp->r->dev, pp_size_text(rp->r->size, bytes, a, PP_HUMAN_LEN),
			pp_region_kind_name(rp->r->kind),
			rp->r->labelled ? "" : " (label-less)", rp->r->start,
			pp_size_text(rp->region_align, bytes, b, PP_HUMAN_LEN));
		fprintf(out, "  %-8s %12s %12s %12s %12s %6s\n", "", "KMEM",
			"NET", "STRANDED", "DRAM-MEMMAP", "BLOCKS");
		outcome_line(out, "plan", &rp->predicted, bytes);
		outcome_line(out, "ndctl", &rp->baseline, bytes);
		fprintf(out, "  %-8s %12s\n", "bound",
			pp_size_text(rp->bound, bytes, a, PP_HUMAN_LEN));
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
		fprintf(out, "  %-8s %12s\n", "bound",
			pp_size_text(plan->bound, bytes, a, PP_HUMAN_LEN));
	}
	for (i = 0; i < plan->nr_cxl; i++)
		cxl_plan(out, &plan->cxl[i], bytes);
	for (i = 0; i < plan->nr_cxl_free; i++)
		cxl_free_plan(out, &plan->cxl_free[i], bytes);
	for (i = 0; i < t->nr_notes; i++)
		fprintf(out, "note: %s\n", t->notes[i]);
	return 0;
}
