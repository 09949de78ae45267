// SPDX-License-Identifier: GPL-2.0
/*
 * apply: execute a plan, verify it, undo it on failure (the driver).
 *
 * Before anything changes, a preflight checks every namespace the plan
 * will destroy or reconfigure; then the kernel modules are loaded and each
 * region's operations run in order, every change one step (context.c)
 * recorded in the undo journal (journal.c).  A failure or a signal rolls
 * the journal back.
 *
 * The sequences follow ndctl 76.1 (ndctl/namespace.c setup_namespace(),
 * namespace_prep_reconfig(), zero_info_block(), enable_labels(),
 * namespace_destroy()) and daxctl (daxctl/device.c
 * reconfig_mode_system_ram()), through the same library calls; see
 * ../shared/reference/ndctl-notes.md §1.3-1.6 and §2.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <libkmod.h>
#include "apply/apply_ctx.h"
#include "system/libctx.h"
#include "system/meminfo.h"
#include "system/paths.h"
#include "system/sysfs.h"
#include "util/units.h"
#include "util/util.h"

uint64_t apply_mem_total(void)
{
	uint64_t v = 0;

	pp_meminfo_read(&v, NULL);
	return v;
}

/* ------------------------------------------------------------------ */
/* Kernel modules                                                      */
/* ------------------------------------------------------------------ */

/* the modules of pmem regions; CXL ram needs only the last two (its dax
 * region exists, so cxl and dax_cxl are loaded already) */
static const char *const modules[] = {
	"nd_pmem", "dax_pmem", "device_dax", "kmem",
};
#define NR_MODULES	(sizeof(modules) / sizeof(modules[0]))
#define NR_CXL_MODULES	2

/* The modules the plan needs: from modules + first */
static unsigned int first_module(const struct pp_plan *plan)
{
	unsigned int i;

	for (i = 0; i < plan->nr_regions; i++)
		if (plan->regions[i].nr_ops)
			return 0;
	return NR_MODULES - NR_CXL_MODULES;
}

/*
 * Every module loaded already: /sys/module/NAME/initstate "live", what
 * kmod_module_get_initstate() reads.  Then libkmod, whose context reads
 * the module indexes and configuration (a good part of a TCG guest's
 * apply before anything changes), is not needed at all.
 */
static bool modules_live(unsigned int first)
{
	char path[128], buf[16];
	unsigned int i;

	for (i = first; i < NR_MODULES; i++) {
		snprintf(path, sizeof(path), PP_SYS_MODULE "/%s/initstate",
			 modules[i]);
		if (pp_sysfs_read(path, buf, sizeof(buf)) ||
		    strcmp(buf, "live"))
			return false;
	}
	return true;
}

/*
 * nd_pmem (namespaces), dax_pmem (nd dax -> dax bus), device_dax and kmem
 * (only the last two for CXL ram alone: first_module()),
 * through libkmod as libdaxctl does (daxctl_insert_kmod_for_mode()); a
 * driver built into the kernel needs nothing.
 */
static int load_modules(struct apply_ctx *a)
{
	const char *const *mods = modules;
	unsigned int i = first_module(a->plan);
	struct kmod_module *mod;
	struct kmod_ctx *kctx;
	int rc = 0, state;

	if (modules_live(i))
		return 0;
	kctx = kmod_new(NULL, NULL);
	if (!kctx)
		return apply_failf(a, -ENOMEM, "cannot initialise libkmod");
	for (; !rc && i < NR_MODULES; i++) {
		rc = kmod_module_new_from_name(kctx, mods[i], &mod);
		if (rc < 0) {
			rc = apply_failf(a, rc, "%s: %s", mods[i], strerror(-rc));
			break;
		}
		state = kmod_module_get_initstate(mod);
		if (state == KMOD_MODULE_BUILTIN || state == KMOD_MODULE_LIVE) {
			kmod_module_unref(mod);
			continue;
		}
		rc = kmod_module_probe_insert_module(mod,
				KMOD_PROBE_APPLY_BLACKLIST, NULL, NULL, NULL,
				NULL);
		kmod_module_unref(mod);
		if (rc < 0)
			rc = apply_failf(a, rc, "%s: %s", mods[i],
					 rc == -ENOENT ? "no such module" :
					 strerror(-rc));
		else
			rc = 0;
	}
	kmod_unref(kctx);
	return rc;
}

static void on_signal(int sig)
{
	apply_interrupted = sig;
}

static const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void catch_signals(struct sigaction *old)
{
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	apply_interrupted = 0;
	for (i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction *old)
{
	unsigned int i;

	for (i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &old[i], NULL);
}

static void describe(char *buf, size_t len, const struct pp_region_plan *rp,
		     const struct pp_op *op)
{
	const char *r = rp->r->dev;
	char size[PP_HUMAN_LEN];

	pp_exact_size(op->size, size, sizeof(size));
	switch (op->kind) {
	case PP_OP_INIT_LABELS:
		snprintf(buf, len, "%s: init-labels", r);
		break;
	case PP_OP_REGION_ALIGN:
		snprintf(buf, len, "%s: region-align %llu KiB", r,
			 (unsigned long long)(op->align >> 10));
		break;
	case PP_OP_DESTROY:
		snprintf(buf, len, "%s: destroy-namespace %s", r, op->dev);
		break;
	case PP_OP_CREATE:
		snprintf(buf, len, "%s: create-namespace %s %s %s", r,
			 pp_mode_name(op->mode), pp_role_name(op->role), size);
		break;
	case PP_OP_RECONFIGURE:
		snprintf(buf, len, "%s: reconfigure-namespace %s %s %s", r,
			 op->dev, pp_mode_name(op->mode), size);
		break;
	case PP_OP_MEMMAP_ON_MEMORY:
		snprintf(buf, len, "%s: memmap-on-memory %s", r,
			 op->dev[0] ? op->dev : "of the kmem namespace");
		break;
	case PP_OP_KMEM:
		snprintf(buf, len, "%s: system-ram %s", r,
			 op->dev[0] ? op->dev : "of the kmem namespace");
		break;
	}
}

/*
 * Before anything changes: every namespace the plan creates or reconfigures
 * must be a layout the kernel and ndctl take (pp_plan_check_layouts()), and
 * every namespace an operation will destroy or reconfigure, and every
 * namespace of a region whose labels will be initialised, must be free of
 * users now (and of data, unless the user consented), so that a refusal
 * leaves everything untouched.
 */
static int preflight(struct apply_ctx *a)
{
	char err[512];
	unsigned int i, j;
	int rc;

	/* the layouts first: the kernel's rules and ndctl's (the command
	 * checked them too; the library does not rely on it) */
	snprintf(a->desc, sizeof(a->desc), "check the planned layouts");
	if (pp_plan_check_layouts(&a->t->plat, a->plan, err, sizeof(err)))
		return apply_refuse(a, "%s", err);

	for (i = 0; i < a->plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &a->plan->regions[i];
		struct ndctl_region *region = apply_find_region(a, rp->r->dev);
		struct ndctl_namespace *ndns;

		for (j = 0; j < rp->nr_ops; j++) {
			const struct pp_op *op = &rp->ops[j];

			describe(a->desc, sizeof(a->desc), rp, op);
			if (!region)
				return apply_failf(a, -ENODEV, "%s is gone",
						   rp->r->dev);
			if (op->kind == PP_OP_INIT_LABELS) {
				ndctl_namespace_foreach(region, ndns) {
					if (!ndctl_namespace_is_active(ndns))
						continue;
					rc = apply_check_target(a, ndns, true);
					if (rc)
						return rc;
				}
				continue;
			}
			if (op->kind != PP_OP_DESTROY &&
			    op->kind != PP_OP_RECONFIGURE)
				continue;
			rc = apply_check_op_target(a, region, op, &ndns);
			if (rc)
				return rc;
		}
	}
	for (i = 0; i < a->plan->nr_cxl; i++) {
		rc = apply_preflight_cxl(a, &a->plan->cxl[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int run_region(struct apply_ctx *a, const struct pp_region_plan *rp)
{
	struct ndctl_region *region = apply_find_region(a, rp->r->dev);
	unsigned int j;
	int rc = 0;

	if (!region)
		return apply_failf(a, -ENODEV, "%s is gone", rp->r->dev);
	if (apply_region_empty(region) &&
	    !apply_push_undo(a, U_REGION_TIDY, rp->r->dev, ""))
		return apply_fail(a, "journal", -ENOMEM);
	for (j = 0; !rc && j < rp->nr_ops; j++) {
		const struct pp_op *op = &rp->ops[j];

		describe(a->desc, sizeof(a->desc), rp, op);
		region = apply_find_region(a, rp->r->dev);
		if (!region)
			return apply_failf(a, -ENODEV, "%s is gone", rp->r->dev);
		switch (op->kind) {
		case PP_OP_INIT_LABELS:
			rc = apply_op_init_labels(a, region);
			break;
		case PP_OP_REGION_ALIGN:
			rc = apply_op_region_align(a, region, op);
			break;
		case PP_OP_DESTROY:
			rc = apply_op_destroy(a, region, op);
			break;
		case PP_OP_CREATE:
			rc = apply_op_create(a, region, rp, op);
			break;
		case PP_OP_RECONFIGURE:
			rc = apply_op_reconfigure(a, region, rp, op);
			break;
		case PP_OP_MEMMAP_ON_MEMORY:
			rc = apply_op_mom(a, region, rp, op);
			break;
		case PP_OP_KMEM:
			rc = apply_op_kmem(a, region, rp, op);
			break;
		}
		if (!rc)
			a->res->ops++;
	}
	return rc;
}

int pp_apply_run(const struct pp_topology *t, const struct pp_plan *plan,
		 const struct pp_apply_opts *o, struct pp_apply_result *res)
{
	struct apply_ctx a = { .t = t, .plan = plan, .o = o, .res = res };
	struct sigaction old[sizeof(caught) / sizeof(caught[0])];
	unsigned int i;
	char buf[32];
	int rc;

	memset(res, 0, sizeof(*res));
	a.vo = *o;
	pp_apply_vlog(&a.vo, "begin: %u region%s", plan->nr_regions +
		      plan->nr_cxl, plan->nr_regions + plan->nr_cxl == 1 ?
		      "" : "s");
	apply_lib_verbose = o->verbose > 1;
	res->mem_total_before = apply_mem_total();
	rc = pp_libctx_new(&a.ctx, &a.dctx);
	if (rc) {
		snprintf(res->error, sizeof(res->error),
			 "cannot initialise libndctl: %s", strerror(-rc));
		return rc;
	}
	pp_libctx_log(a.ctx, a.dctx, apply_lib_verbose,
		      apply_lib_verbose ? LOG_DEBUG : LOG_ERR);
	catch_signals(old);

	rc = preflight(&a);
	if (!rc) {
		snprintf(a.desc, sizeof(a.desc), "load kernel modules");
		STEP(&a, rc, "kmod", load_modules(&a));
	}
	for (i = 0; !rc && i < plan->nr_regions; i++)
		rc = run_region(&a, &plan->regions[i]);
	for (i = 0; !rc && i < plan->nr_cxl; i++) {
		rc = apply_cxl_region(&a, &plan->cxl[i]);
		if (!rc && pp_cxl_plan_has_work(&plan->cxl[i]))
			a.res->ops++;
	}
	if (rc)
		apply_rollback(&a);
	apply_cxl_done(&a);
	/* the policy as found, whatever happened */
	if (res->policy_switched &&
	    !pp_sysfs_read(PP_AUTO_ONLINE, buf, sizeof(buf)) &&
	    strcmp(buf, res->policy)) {
		int err = pp_sysfs_write(PP_AUTO_ONLINE, res->policy);

		if (err && !res->rollback_error[0])
			snprintf(res->rollback_error,
				 sizeof(res->rollback_error),
				 "write auto_online_blocks %s back: %s",
				 res->policy, strerror(-err));
	}
	restore_signals(old);
	while (a.nr_undo)
		apply_free_undo(&a.undo[--a.nr_undo]);
	free(a.undo);
	res->mem_total_after = apply_mem_total();
	ndctl_unref(a.ctx);
	pp_apply_vlog(&a.vo, "end: %u steps, %s", res->steps,
		      !rc ? "done" : res->rolled_back ? "rolled back" :
		      res->steps ? "rollback incomplete" : "nothing changed");
	if (rc && res->refused)
		return -EPERM;
	return rc;
}

void pp_apply_result_free(struct pp_apply_result *res)
{
	free(res->ns);
	free(res->cxl);
	memset(res, 0, sizeof(*res));
}
