/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "apply" prints: the system re-measured after the run beside the
 * plan's prediction, as plan's JSON document with apply's keys added, or
 * as a report per region.  Pure: the re-measurement is a topology the
 * caller loaded (probing is the system library's), with its report.
 */
#ifndef PMEMPLAN_APPLY_OUTPUT_H
#define PMEMPLAN_APPLY_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "account/account.h"
#include "planner/apply_result.h"
#include "planner/planner.h"
#include "topology/topology.h"

/* The topology as probed again after apply, and its report. */
struct pp_measurement {
	struct pp_topology t;
	struct pp_report rep;
	bool ok;			/* t and rep hold a measurement */
};

/*
 * Account m->t, just loaded by the caller (who hands it over): m->ok on
 * success; on failure m->t is freed.  Returns 0 or -ENOMEM.
 */
int pp_measurement_build(struct pp_measurement *m);
void pp_measurement_free(struct pp_measurement *m);
/* The measured report of region dev, NULL when m is NULL or lacks it */
const struct pp_region_report *
pp_measurement_region(const struct pp_measurement *m, const char *dev);
/* The CXL region dev as measured, NULL when m is NULL or lacks it */
const struct pp_cxl_region *
pp_measurement_cxl(const struct pp_measurement *m, const char *dev);
/* Memory blocks of the region's namespaces that are System RAM */
uint64_t pp_report_blocks(const struct pp_region_report *rr);
/* The region turned out as planned: kmem, blocks, every namespace. */
bool pp_region_verified(const struct pp_region_plan *rp,
			const struct pp_region_report *rr,
			const struct pp_apply_result *res);

/* What apply's document says about the run beside plan's keys. */
struct pp_apply_doc {
	const char *status;		/* "applied", "dry run", "failed" ... */
	const struct pp_apply_result *res;	/* NULL: no run */
	const struct pp_measurement *m;		/* NULL: not measured */
	const char *config;		/* --write-config file, or NULL */
	int config_sections;
};

/*
 * Print plan's JSON document (pp_plan_json_print()) with "command":
 * "apply", an "apply" object, and, when measured, per region and in the
 * totals "result" and "verified", and "verified" at the end.  Returns 0
 * or -ENOMEM.
 */
int pp_apply_json_print(FILE *out, const struct pp_topology *t,
			const struct pp_plan *plan,
			const struct pp_apply_doc *doc);

/*
 * Per region the prediction beside the measurement and each namespace
 * apply made or bound, then the MemTotal growth.  Returns whether every
 * region turned out as planned.
 */
bool pp_apply_human(FILE *out, const struct pp_plan *plan,
		    const struct pp_apply_result *res,
		    const struct pp_measurement *m, bool bytes);

#endif /* PMEMPLAN_APPLY_OUTPUT_H */
