// SPDX-License-Identifier: GPL-2.0
/*
 * apply's report: per region the prediction beside the measurement, each
 * namespace apply made or bound as it is now, and the MemTotal growth
 * against the predicted RAM gain.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "output/apply_output.h"
#include "output/plan_output.h"
#include "util/units.h"

static void ns_line(FILE *out, const struct pp_apply_ns *n, bool bytes)
{
	char a[PP_HUMAN_LEN];

	fprintf(out, "  %-14s %-6s %-8s %#14" PRIx64 " %9s", n->dev,
		pp_mode_name(n->mode), pp_role_name(n->role),
		n->measured.start, pp_size_text(n->size, bytes, a, PP_HUMAN_LEN));
	if (n->role == PP_ROLE_KMEM && n->kmem)
		fprintf(out, "  %s: kmem %#" PRIx64 "-%#" PRIx64 ", %" PRIu64
			"/%" PRIu64 " blocks %s", n->dax,
			n->measured.kmem_start, n->measured.kmem_end - 1,
			n->measured.online, n->measured.blocks,
			n->zone_seen[0] ? n->zone_seen : "offline");
	else if (n->mode != PP_MODE_RAW)
		fprintf(out, "  data +%s", pp_size_text(n->measured.dataoff, bytes, a, PP_HUMAN_LEN));
	fprintf(out, "  %s\n", n->verified ? "as planned" : "NOT AS PLANNED");
}

/*
 * A CXL ram region: its dax devices as measured after apply, and MemTotal
 * around binding the kmem one beside the prediction.  Returns whether
 * they are the planned ones.
 */
static bool cxl_lines(FILE *out, const struct pp_cxl_plan *cp,
		      const struct pp_apply_result *res,
		      const struct pp_measurement *m, bool bytes)
{
	const struct pp_cxl_region *mc = pp_measurement_cxl(m, cp->c->dev);
	const struct pp_apply_cxl *r = NULL;
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN];
	unsigned int i;
	bool ok;

	if (!pp_cxl_plan_has_work(cp))
		return true;
	for (i = 0; i < res->nr_cxl; i++)
		if (!strcmp(res->cxl[i].region, cp->c->dev))
			r = &res->cxl[i];
	ok = mc && pp_cxl_layout_matches(mc, cp);
	fprintf(out, "CXL %s: %u dax device%s made\n", cp->c->dev, cp->nr_dev,
		cp->nr_dev == 1 ? "" : "s");
	for (i = 0; mc && i < mc->nr_dax; i++) {
		const struct pp_dax *d = &mc->dax[i];

		if (!d->size)
			continue;
		fprintf(out, "  %-8s %#" PRIx64 "-%#" PRIx64 " %10s %s",
			d->dev, d->start, d->start + d->size - 1,
			pp_size_text(d->size, bytes, a, PP_HUMAN_LEN),
			pp_dax_mode_name(d->mode));
		if (d->mode == PP_DAX_SYSTEM_RAM)
			fprintf(out, ", %" PRIu64 " of %" PRIu64 " blocks online %s",
				d->online_blocks, d->total_blocks,
				d->zone[0] ? d->zone : "-");
		fprintf(out, "\n");
	}
	if (r && r->done && r->mem_total_bound >= r->mem_total_unbound)
		fprintf(out, "  binding the system-ram device grew MemTotal by %s (predicted %s)\n",
			pp_size_text(r->mem_total_bound - r->mem_total_unbound,
				     bytes, a, PP_HUMAN_LEN),
			pp_size_text(r->ram_gain_predicted, bytes, b,
				     PP_HUMAN_LEN));
	fprintf(out, "  verified: %s\n", ok ? "yes" : "NO");
	return ok;
}

bool pp_apply_human(FILE *out, const struct pp_plan *plan,
		    const struct pp_apply_result *res,
		    const struct pp_measurement *m, bool bytes)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN];
	bool all = true;
	unsigned int i, j;

	for (i = 0; i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];
		const struct pp_region_report *rr;
		bool ok;

		rr = pp_measurement_region(m, rp->r->dev);
		ok = pp_region_verified(rp, rr, res);

		all &= ok;
		fprintf(out, "%s: %u operation%s done\n", rp->r->dev,
			rp->nr_ops, rp->nr_ops == 1 ? "" : "s");
		fprintf(out, "  %-10s %12s %12s\n", "", "PREDICTED",
			"MEASURED");
		fprintf(out, "  %-10s %12s %12s\n", "kmem",
			pp_size_text(rp->predicted.kmem, bytes, a, PP_HUMAN_LEN),
			rr ? pp_size_text(rr->kmem, bytes, b, PP_HUMAN_LEN) : "-");
		fprintf(out, "  %-10s %12" PRIu64 " %12" PRIu64 "\n",
			"blocks", rp->predicted.blocks,
			rr ? pp_report_blocks(rr) : 0);
		fprintf(out, "  %-10s %12s %12s\n", "stranded",
			pp_size_text(rp->predicted.stranded, bytes, a, PP_HUMAN_LEN),
			rr ? pp_size_text(rr->stranded, bytes, b, PP_HUMAN_LEN) : "-");
		for (j = 0; j < res->nr_ns; j++)
			if (!strcmp(res->ns[j].region, rp->r->dev))
				ns_line(out, &res->ns[j], bytes);
		fprintf(out, "  verified: %s\n", ok ? "yes" : "NO");
	}
	for (i = 0; i < plan->nr_cxl; i++)
		all &= cxl_lines(out, &plan->cxl[i], res, m, bytes);
	if (res->mem_total_before && res->mem_total_after >=
	    res->mem_total_before)
		fprintf(out, "MemTotal grew by %s (predicted %s); %u steps%s\n",
			pp_size_text(res->mem_total_after - res->mem_total_before, bytes, a, PP_HUMAN_LEN),
			pp_size_text(res->ram_gain_predicted, bytes, b, PP_HUMAN_LEN), res->steps,
			res->policy_switched ?
			"; auto_online_blocks was switched to offline while binding, and is back" :
			"");
	if (res->mem_total_before && res->mem_total_after >=
	    res->mem_total_before && res->dram_memmap_predicted) {
		uint64_t grew = res->mem_total_after - res->mem_total_before;
		uint64_t dram = res->dram_memmap_predicted;

		/* net memory: MemTotal does not show struct pages in DRAM */
		fprintf(out, "struct pages in DRAM: %s; net memory gained %s\n",
			pp_size_text(dram, bytes, a, PP_HUMAN_LEN),
			pp_size_text(grew > dram ? grew - dram : 0, bytes, b,
				     PP_HUMAN_LEN));
	}
	return all;
}
