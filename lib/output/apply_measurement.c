// SPDX-License-Identifier: GPL-2.0
/*
 * The system as measured again after apply, against the plan's
 * prediction: what both apply printouts (apply_json.c, apply_human.c)
 * compare.
 */
#include <errno.h>
#include <string.h>
#include "output/apply_output.h"

int pp_measurement_build(struct pp_measurement *m)
{
	m->ok = false;
	if (pp_report_build(&m->t, &m->rep)) {
		pp_topology_free(&m->t);
		return -ENOMEM;
	}
	m->ok = true;
	return 0;
}

void pp_measurement_free(struct pp_measurement *m)
{
	if (!m->ok)
		return;
	pp_report_free(&m->rep);
	pp_topology_free(&m->t);
	m->ok = false;
}

const struct pp_region_report *
pp_measurement_region(const struct pp_measurement *m, const char *dev)
{
	unsigned int i;

	for (i = 0; m && m->ok && i < m->rep.nr_regions; i++)
		if (!strcmp(m->rep.regions[i].r->dev, dev))
			return &m->rep.regions[i];
	return NULL;
}

const struct pp_cxl_region *
pp_measurement_cxl(const struct pp_measurement *m, const char *dev)
{
	unsigned int i;

	for (i = 0; m && m->ok && i < m->t.nr_cxl; i++)
		if (!strcmp(m->t.cxl[i].dev, dev))
			return &m->t.cxl[i];
	return NULL;
}

uint64_t pp_report_blocks(const struct pp_region_report *rr)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < rr->r->nr_ns; i++)
		if (rr->ns[i].active)
			n += rr->ns[i].blocks;
	return n;
}

bool pp_region_verified(const struct pp_region_plan *rp,
			const struct pp_region_report *rr,
			const struct pp_apply_result *res)
{
	unsigned int i;

	if (!rr || rr->kmem != rp->predicted.kmem ||
	    pp_report_blocks(rr) != rp->predicted.blocks)
		return false;
	for (i = 0; res && i < res->nr_ns; i++)
		if (!strcmp(res->ns[i].region, rp->r->dev) &&
		    !res->ns[i].verified)
			return false;
	return true;
}
