/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What apply decides from the plan alone, before it touches the system:
 * whether there is anything to do, whether the user consented to what it
 * destroys, and the operations that finish an interrupted apply.  Pure.
 */
#ifndef PMEMPLAN_CONSENT_H
#define PMEMPLAN_CONSENT_H

#include <stdbool.h>
#include <stddef.h>
#include "planner/planner.h"
#include "topology/topology.h"

/* What the user consented to lose. */
struct pp_consent {
	bool force;			/* --force */
	const char *const *reconfigure;	/* --reconfigure NS */
	unsigned int nr_reconfigure;
	const char *const *replace;	/* --replace NS */
	unsigned int nr_replace;
};

/*
 * Initialising r's labels loses data unless no DIMM holds a valid label
 * index and every namespace is free raw space; it is consented with
 * --force, or without it when it loses nothing, or when the label area
 * holds no index and every namespace that may hold data is named with
 * --replace.  _why: the reason it is destructive, for messages.
 */
bool pp_init_labels_destructive(const struct pp_region *r);
bool pp_init_labels_consented(const struct pp_region *r, bool force,
			      const char *const *replace,
			      unsigned int nr_replace);
const char *pp_init_labels_why(const struct pp_region *r);

/* Does the plan change anything? */
bool pp_plan_has_ops(const struct pp_plan *plan);

/*
 * Consent, before anything is touched: initialising labels as
 * pp_init_labels_consented() says; a destructive destroy or reconfigure
 * needs --force or the namespace named with --replace / --reconfigure.
 * Returns 0, or -EPERM with one line in err (exit 3).
 */
int pp_apply_consent(const struct pp_plan *plan, const struct pp_consent *c,
		     char *err, size_t errlen);

/*
 * Before anything is written: every namespace the plan creates or
 * reconfigures must satisfy the kernel's rules and ndctl's
 * (pp_shape_check(), lib/model/constraints.c), under the region align it
 * is created with.  Returns 0, or -EDOM with one line in err naming the
 * region, the namespace and the rule (exit 3).
 */
int pp_plan_check_layouts(const struct pp_platform *p,
			  const struct pp_plan *plan, char *err,
			  size_t errlen);

/*
 * An interrupted apply leaves a namespace named PP_APPLY_NAME_KMEM in
 * devdax mode that is not (or not yet online) System RAM; the planner
 * keeps it as it is.  Add the operations that finish it (memmap_on_memory
 * when the plan uses it, bind kmem, online) to its region's plan, and its
 * kmem to the prediction, unless the plan changes that namespace or its
 * struct pages would exceed the plan's DRAM budget.  Returns the number
 * of namespaces completed, or -ENOMEM.
 */
int pp_apply_complete(const struct pp_topology *t, struct pp_plan *plan,
		      enum pp_zone zone);

#endif /* PMEMPLAN_CONSENT_H */
