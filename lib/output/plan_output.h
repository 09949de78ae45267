/* SPDX-License-Identifier: GPL-2.0 */
/* What "plan" prints: a report per region, or the JSON document. */
#ifndef PMEMPLAN_PLAN_OUTPUT_H
#define PMEMPLAN_PLAN_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include "planner/planner.h"
#include "topology/topology.h"

int pp_plan_json_print(FILE *out, const struct pp_topology *t,
		       const struct pp_plan *plan);
int pp_plan_human(FILE *out, const struct pp_topology *t,
		  const struct pp_plan *plan, bool bytes);

/*
 * The members of plan's document ("totals", one of "regions", "notes"),
 * for the documents that extend it (apply's); each a new object, or NULL
 * when out of memory.
 */
struct json_object *pp_plan_totals_json(const struct pp_plan *plan);
struct json_object *pp_plan_region_json(const struct pp_region_plan *rp);
/* A CXL ram region's plan, an item of "cxl_regions" */
struct json_object *pp_plan_cxl_json(const struct pp_cxl_plan *cp);
struct json_object *pp_plan_notes_json(const struct pp_topology *t);


#endif /* PMEMPLAN_PLAN_OUTPUT_H */
