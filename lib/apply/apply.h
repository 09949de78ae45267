/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apply: carry out a plan through libndctl, libdaxctl and libkmod (the
 * calls "ndctl create-namespace", "ndctl destroy-namespace", "ndctl
 * init-labels" and "daxctl reconfigure-device" make), verify every result
 * against the model, and undo what was done when a step fails.
 *
 * The part of the system library that changes the system (probe/ reads
 * it).  The plan logic apply needs before it touches anything (consent,
 * completing an interrupted apply) is pure: planner/consent.h.
 * Everything is found through the libraries, never by name across buses:
 * a namespace leads to its dax device through ndctl_namespace_get_dax()
 * -> ndctl_dax_get_daxctl_region().
 */
#ifndef PMEMPLAN_APPLY_H
#define PMEMPLAN_APPLY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "planner/apply_result.h"
#include "planner/consent.h"
#include "planner/planner.h"
#include "topology/topology.h"

/* daxctl's persistent-reconfiguration directory and our file in it */
#define PP_DAXCTL_CONF_DIR	"/etc/daxctl.conf.d"
#define PP_DAXCTL_CONF_FILE	"pmemplan.conf"

#define PP_STOP_EVERY_STEP	(~0u)

struct pp_apply_opts {
	/*
	 * Testing aid: step number fail_step fails before it changes
	 * anything, as if the kernel had refused it (PMEMPLAN_TEST_FAIL_STEP
	 * in the environment of "pmemplan apply").  0: none.
	 */
	unsigned int fail_step;
	/*
	 * Testing aid for power cuts: the process stops (SIGSTOP) before
	 * step stop_step begins, after saying so on stderr, so that a test
	 * can cut the power between two steps (PMEMPLAN_TEST_STOP_STEP).
	 * 0: never; PP_STOP_EVERY_STEP: before every step.
	 */
	unsigned int stop_step;
	int verbose;			/* 1: every step on stderr; 2: the
					 * libraries' own messages too */
	/*
	 * -v times count from here (CLOCK_MONOTONIC): the start of the
	 * command, so that the probe and the plan before the first step
	 * show; zero: from when pp_apply_run() begins.
	 */
	struct timespec t0;
};

/*
 * -v: "pmemplan: apply: S s: MESSAGE" on stderr, S the seconds since
 * o->t0 (which a zero t0 is set to); nothing unless o->verbose.
 */
void pp_apply_vlog(struct pp_apply_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

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

/*
 * Read dir/PP_DAXCTL_CONF_FILE (path receives its name) into *text
 * (free() it) and check all of it (parse/parse.h pp_daxctl_conf_find()).
 * Returns the number of reconfigure-device sections, or a negative errno
 * with the reason in err: -ENOENT when there is no such file, -EINVAL
 * when it is malformed ("PATH: line N: why").
 */
int pp_apply_read_config(const char *dir, char **text, char *path,
			 size_t pathlen, char *err, size_t errlen);

/*
 * Boot persistence (restore.c): make dax device name ("daxX.Y"; NULL:
 * every dax device of a namespace that has a section) what the section
 * of config text (read from path) keyed by its namespace's dax info-block
 * uuid records: kmem bound with auto_online_blocks "offline" meanwhile,
 * the blocks online in the zone the section names (movable or not),
 * verified from /proc/iomem and the blocks' valid_zones.  One line per
 * device on out: what it did, or why there was nothing to do (no section,
 * already done, not a namespace's dax device).  A device that fails is put
 * back in devdax mode.  Returns 0, -ENODEV when there is no dax device
 * name, or another negative errno with the (first) failure in err.
 */
int pp_apply_restore(const char *text, const char *path, const char *name,
		     struct pp_apply_opts *o, FILE *out, char *err,
		     size_t errlen);

/*
 * Remove dir/PP_DAXCTL_CONF_FILE (path receives its name): 1 removed, 0
 * there was none, or a negative errno with the reason in err.
 */
int pp_apply_remove_config(const char *dir, char *path, size_t pathlen,
			   char *err, size_t errlen);

#endif /* PMEMPLAN_APPLY_H */
