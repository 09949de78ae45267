/* SPDX-License-Identifier: GPL-2.0 */
/* What "plan" prints: a report per region, or the JSON document. */
#ifndef PMEMPLAN_PLAN_OUTPUT_H
#define PMEMPLAN_PLAN_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "planner/planner.h"
#include "topology/topology.h"

int pp_plan_json_print(FILE *out, const struct pp_topology *t,
		       const struct pp_plan *plan);
int pp_plan_human(FILE *out, const struct pp_topology *t,
		  const struct pp_plan *plan, bool bytes);

#endif /* PMEMPLAN_PLAN_OUTPUT_H */
