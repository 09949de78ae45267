/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apply: carry out a plan through libndctl, libdaxctl and libkmod (the
 * calls "ndctl create-namespace", "ndctl destroy-namespace", "ndctl
 * init-labels" and "daxctl reconfigure-device" make), verify every result
 * against the model, and undo what was done when a step fails.
 *
 * The second of the two files that touch the system (the other is
 * probe.c).  Everything is found through the libraries, never by name
 * across buses: a namespace leads to its dax device through
 * ndctl_namespace_get_dax() -> ndctl_dax_get_daxctl_region().
 */
#ifndef PMEMPLAN_APPLY_H
#define PMEMPLAN_APPLY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "planner/planner.h"
#include "topology/topology.h"

/* The alt name (label "name") of what apply creates: how an interrupted
 * apply's kmem namespace is recognised later. */
#define PP_APPLY_NAME_KMEM	"pmemplan-kmem"
#define PP_APPLY_NAME_SPACER	"pmemplan-spacer"
#define PP_APPLY_NAME_FILLER	"pmemplan-filler"
#define PP_APPLY_NAME_LEFTOVER	"pmemplan-leftover"

/* daxctl's persistent-reconfiguration directory and our file in it */
#define PP_DAXCTL_CONF_DIR	"/etc/daxctl.conf.d"
#define PP_DAXCTL_CONF_FILE	"pmemplan.conf"

struct pp_apply_opts {
	bool force;			/* --force */
	const char *const *reconfigure;	/* --reconfigure NS */
	unsigned int nr_reconfigure;
	const char *const *replace;	/* --replace NS */
	unsigned int nr_replace;
	/*
	 * Testing aid: step number fail_step fails before it changes
	 * anything, as if the kernel had refused it (PMEMPLAN_TEST_FAIL_STEP
	 * in the environment of "pmemplan apply").  0: none.
	 */
	unsigned int fail_step;
	int verbose;			/* 1: every step on stderr; 2: the
					 * libraries' own messages too */
};

/* Predicted beside measured, for one namespace apply made or bound. */
struct pp_apply_values {
	uint64_t start;			/* namespace resource */
	uint64_t dataoff;		/* dax/pfn data start - start */
	uint64_t dax_start, dax_end;	/* device-dax range [start, end) */
	uint64_t kmem_start, kmem_end;	/* System RAM (kmem), [start, end) */
	uint64_t blocks;
	uint64_t online;		/* online blocks (measured only) */
};

struct pp_apply_ns {
	char region[PP_NAME_MAX];
	char dev[PP_NAME_MAX];		/* namespaceX.Y */
	char dax[PP_NAME_MAX];		/* dax-bus device, kmem only */
	char uuid[40];			/* dax/pfn info-block uuid, or "" */
	enum pp_role role;
	enum pp_ns_mode mode;
	enum pp_map map;
	uint64_t align;
	uint64_t size;
	bool created;			/* new namespace (else reconfigured
					 * or an interrupted apply's) */
	bool kmem;			/* bound to kmem by this apply */
	bool mom;			/* memmap_on_memory written */
	enum pp_zone zone;
	char zone_seen[16];		/* valid_zones: "Movable", "Normal" */
	struct pp_apply_values predicted, measured;
	bool verified;
};

struct pp_apply_result {
	struct pp_apply_ns *ns;
	unsigned int nr_ns;
	unsigned int steps;		/* steps begun */
	unsigned int ops;		/* plan operations completed */
	bool refused;			/* stopped for safety: exit 3 */
	bool rolled_back;		/* everything done was undone */
	char error[320];		/* "region0: create-namespace ...: why" */
	char rollback_error[320];	/* what could not be undone */
	char note[200];			/* what rollback cannot show yet */
	char policy[24];		/* auto_online_blocks as found */
	bool policy_switched;		/* written "offline" for a while */
	uint64_t mem_total_before;	/* MemTotal, bytes */
	uint64_t mem_total_after;
	uint64_t ram_gain_predicted;	/* of what this apply bound */
};

/* Does the plan change anything? */
bool pp_plan_has_ops(const struct pp_plan *plan);

/*
 * Consent, before anything is touched: initialising labels needs
 * --force; a destructive destroy or reconfigure needs --force or the
 * namespace named with --replace / --reconfigure.  Returns 0, or -EPERM
 * with one line in err (exit 3).
 */
int pp_apply_consent(const struct pp_plan *plan,
		     const struct pp_apply_opts *o, char *err, size_t errlen);

/*
 * An interrupted apply leaves a namespace named PP_APPLY_NAME_KMEM in
 * devdax mode that is not (or not yet online) System RAM; the planner
 * keeps it as it is.  Add the operations that finish it (memmap_on_memory
 * when the plan uses it, bind kmem, online) to its region's plan, and its
 * kmem to the prediction, unless the plan changes that namespace or its
 * struct pages would exceed the plan's DRAM budget.  Pure.  Returns the
 * number of namespaces completed, or -ENOMEM.
 */
int pp_apply_complete(const struct pp_topology *t, struct pp_plan *plan,
		      enum pp_zone zone);

/*
 * Carry out every operation of plan (built from t, the live topology) in
 * order.  On failure everything done so far is undone in reverse and
 * res->error names the step and the reason.  Returns 0, -EPERM when a
 * safety check refused (res->refused: nothing changed, or undone), or
 * another negative errno.  res is filled either way; free it with
 * pp_apply_result_free().
 */
int pp_apply_run(const struct pp_topology *t, const struct pp_plan *plan,
		 const struct pp_apply_opts *o, struct pp_apply_result *res);
void pp_apply_result_free(struct pp_apply_result *res);

/*
 * Write dir/PP_DAXCTL_CONF_FILE: one [reconfigure-device UUID] section per
 * devdax namespace that is System RAM now (any region), keyed by the dax
 * info-block uuid that "daxctl reconfigure-device --check-config" matches
 * (what "ndctl list" prints as the namespace's "uuid"), with mode,
 * online and movable as they are.  Atomic (rename).  Returns the number of
 * sections, or a negative errno with a reason in err; path receives the
 * file name.
 */
int pp_apply_write_config(const char *dir, char *path, size_t pathlen,
			  char *err, size_t errlen);

#endif /* PMEMPLAN_APPLY_H */
