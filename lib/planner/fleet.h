/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fleet report: one machine's plan in one row (what it hot-plugs
 * today, what the plan would, what apply would refuse), and the sums over
 * the fleet.  A row holds numbers and short strings only, so that planning
 * 10,000 snapshots in one process keeps nothing of each but its row (and
 * less when the row is printed at once, as --json does).  Pure.
 */
#ifndef PMEMPLAN_FLEET_H
#define PMEMPLAN_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "planner/planner.h"
#include "topology/topology.h"

struct pp_fleet_host {
	const char *name;		/* the snapshot's host name, or file */
	const char *source;		/* where it came from: path, <stdin>:N */
	const char *arch;		/* of the snapshot's platform */
	char kernel[64];		/* its uname -r, "" when unknown */
	uint64_t capacity;		/* of the selected regions */
	uint64_t kmem_now;		/* hot-plugged today (show's kmem) */
	uint64_t kmem_planned;		/* hot-plugged once applied */
	uint64_t bound;
	uint64_t net_now;		/* memory the user gets, today */
	uint64_t net_planned;		/* ... once applied */
	uint64_t ram_added;		/* net_planned - net_now, or 0 */
	unsigned int nr_ops;		/* operations apply would run */
	unsigned int nr_destructive;	/* of which erase what may hold data */
	unsigned int nr_unsafe;		/* namespaces breaking a rule today */
	bool model_error;		/* measured kmem != the model's */
	/* what apply with the same options would refuse (exit 3): consent,
	 * or a layout the kernel cannot take; "" when nothing */
	char refused[320];
	/* --size cannot be met (apply exits 2); "" when it is */
	char shortfall[160];
};

struct pp_fleet_totals {
	unsigned long hosts;		/* planned */
	unsigned long failed;		/* snapshots not read or not planned */
	unsigned long refused;		/* hosts with refused[0] */
	unsigned long short_of_size;	/* hosts with shortfall[0] */
	unsigned long unsafe;		/* hosts with nr_unsafe */
	unsigned long ops;
	uint64_t capacity, kmem_now, kmem_planned, bound, ram_added;
};

/*
 * Plan t (a loaded snapshot, what-if and region filter applied) with o as
 * "plan" does, and fill h (name and source are the caller's) from the
 * report of today, the plan, apply's consent and layout checks.
 * Everything it allocates is freed before it returns.  0, or a negative
 * errno with a line in err: the plan's own refusal (-EINVAL), -ENOMEM.
 */
int pp_fleet_plan_host(const struct pp_topology *t,
		       const struct pp_plan_opts *o, struct pp_fleet_host *h,
		       char *err, size_t errlen);

void pp_fleet_totals_add(struct pp_fleet_totals *tot,
			 const struct pp_fleet_host *h);

#endif /* PMEMPLAN_FLEET_H */
