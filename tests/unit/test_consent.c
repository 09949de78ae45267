// SPDX-License-Identifier: GPL-2.0
/*
 * What apply decides from the plan alone (planner/consent.h): whether
 * there is anything to do, consent to what a plan destroys, and completing
 * the kmem namespace an interrupted apply left behind.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "model/model.h"
#include "planner/consent.h"
#include "snapshot/snapshot.h"
#include "util/util.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

static struct pp_region region;
static struct pp_namespace ns;
static struct pp_dax dax;

/*
 * x86-64, 6.1, 128 MiB blocks: one labelled 4 GiB region with one devdax
 * namespace (map=dev, align 2M) over all of it, as the planner's kmem
 * namespace, bound to device_dax and not (yet) System RAM.
 */
static struct pp_topology half_applied(const char *name)
{
	struct pp_topology t = { 0 };

	t.plat.arch = PP_ARCH_X86_64;
	t.plat.kver = PP_KVER(6, 1, 100);
	t.plat.page_size = (struct pp_fact){ SZ_4K, PP_SRC_UNAME };
	t.plat.block_size = (struct pp_fact){ SZ_128M, PP_SRC_SYSFS };
	t.plat.mem_available = (struct pp_fact){ GiB(3), PP_SRC_PROC };
	snprintf(t.plat.auto_online_blocks, sizeof(t.plat.auto_online_blocks),
		 "offline");
	pp_platform_derive(&t.plat);

	memset(&region, 0, sizeof(region));
	memset(&ns, 0, sizeof(ns));
	memset(&dax, 0, sizeof(dax));
	snprintf(region.dev, sizeof(region.dev), "region0");
	region.start = 0x140000000;
	region.size = GiB(4);
	region.align = SZ_16M;
	region.ways = 1;
	region.labelled = true;
	region.label_capable = true;
	region.enabled = true;
	snprintf(ns.dev, sizeof(ns.dev), "namespace0.0");
	snprintf(ns.name, sizeof(ns.name), "%s", name);
	ns.mode = PP_MODE_DEVDAX;
	ns.map = PP_MAP_DEV;
	ns.align = SZ_2M;
	ns.start = region.start;
	ns.size = region.size;
	ns.enabled = true;
	ns.claimed = true;
	ns.dax = &dax;
	snprintf(dax.dev, sizeof(dax.dev), "dax0.0");
	dax.mode = PP_DAX_DEVDAX;
	dax.memmap_on_memory = 0;
	dax.kmem_start = PP_UNKNOWN;
	dax.kmem_end = PP_UNKNOWN;
	dax.total_blocks = PP_UNKNOWN;
	dax.target_node = -1;
	region.ns = &ns;
	region.nr_ns = 1;
	t.regions = &region;
	t.nr_regions = 1;
	return t;
}

/*
 * The planner's view of it: nothing to do, the namespace counted as
 * usable pmem; ops as given (copied, so that pp_plan_free() frees them).
 */
static void plan_of(struct pp_plan *plan, const struct pp_op *ops,
		    unsigned int nr_ops, bool mom)
{
	struct pp_region_plan *rp;

	memset(plan, 0, sizeof(*plan));
	rp = calloc(1, sizeof(*rp));
	assert_non_null(rp);
	rp->r = &region;
	rp->mom = mom;
	rp->predicted.usable = ns.size;
	if (nr_ops) {
		rp->ops = calloc(nr_ops, sizeof(*ops));
		assert_non_null(rp->ops);
		memcpy(rp->ops, ops, nr_ops * sizeof(*ops));
		rp->nr_ops = nr_ops;
	}
	plan->regions = rp;
	plan->nr_regions = 1;
	plan->mom = mom;
	plan->predicted.usable = ns.size;
}

static struct pp_op op(enum pp_op_kind kind, const char *dev,
		       bool destructive)
{
	struct pp_op o;

	memset(&o, 0, sizeof(o));
	o.kind = kind;
	snprintf(o.dev, sizeof(o.dev), "%s", dev);
	o.destructive = destructive;
	return o;
}

/* ------------------------------------------------------------------ */
/* pp_plan_has_ops                                                     */
/* ------------------------------------------------------------------ */

static void has_ops(void **state)
{
	struct pp_op ops[] = { op(PP_OP_KMEM, "namespace0.0", false) };
	struct pp_plan plan;

	(void)state;
	half_applied("");
	plan_of(&plan, NULL, 0, false);
	assert_false(pp_plan_has_ops(&plan));
	pp_plan_free(&plan);
	plan_of(&plan, ops, ARRAY_SIZE(ops), false);
	assert_true(pp_plan_has_ops(&plan));
	pp_plan_free(&plan);
	/* no regions at all */
	memset(&plan, 0, sizeof(plan));
	assert_false(pp_plan_has_ops(&plan));
}

/* ------------------------------------------------------------------ */
/* pp_apply_consent                                                    */
/* ------------------------------------------------------------------ */

static int consent(const struct pp_op *ops, unsigned int n,
		   const struct pp_consent *c, char *err, size_t len)
{
	struct pp_plan plan;
	int rc;

	plan_of(&plan, ops, n, false);
	err[0] = '\0';
	rc = pp_apply_consent(&plan, c, err, len);
	pp_plan_free(&plan);
	return rc;
}

static void init_labels_needs_force(void **state)
{
	struct pp_op ops[] = { op(PP_OP_INIT_LABELS, "region0", true) };
	const char *const names[] = { "region0" };
	struct pp_consent c = {
		.reconfigure = names, .nr_reconfigure = 1,
		.replace = names, .nr_replace = 1,
	};
	char err[256];

	(void)state;
	half_applied("");
	/* a label area not read may hold labels: naming does not do */
	region.labelled = false;
	assert_int_equal(consent(ops, 1, &c, err, sizeof(err)), -EPERM);
	assert_string_equal(err,
		"region0: initialising labels erases what it holds (its label area was not read); run with --force");
	region.label_index = PP_LABEL_INDEX_VALID;
	assert_int_equal(consent(ops, 1, &c, err, sizeof(err)), -EPERM);
	assert_string_equal(err,
		"region0: initialising labels erases what it holds (its label area holds a label index); run with --force");
	c.force = true;
	assert_int_equal(consent(ops, 1, &c, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

/* Consent is about data: a label area never written on free raw space */
static void init_labels_fresh_needs_nothing(void **state)
{
	struct pp_op ops[] = { op(PP_OP_INIT_LABELS, "region0", false) };
	const char *const it[] = { "namespace0.0" };
	struct pp_consent c = { 0 };
	char err[256];

	(void)state;
	half_applied("");
	region.labelled = false;
	region.label_index = PP_LABEL_INDEX_NONE;
	ns.mode = PP_MODE_RAW;
	ns.map = PP_MAP_NONE;
	ns.claimed = false;
	ns.dax = NULL;
	ns.sig_probed = true;
	assert_false(pp_init_labels_destructive(&region));
	assert_int_equal(consent(ops, 1, &c, err, sizeof(err)), 0);
	/* something on it: destructive, --force or the namespace named */
	snprintf(ns.signature, sizeof(ns.signature), "xfs");
	assert_true(pp_init_labels_destructive(&region));
	assert_int_equal(consent(ops, 1, &c, err, sizeof(err)), -EPERM);
	assert_string_equal(err,
		"region0: initialising labels erases what it holds (a namespace may hold data); run with --force");
	c.replace = it;
	c.nr_replace = 1;
	assert_int_equal(consent(ops, 1, &c, err, sizeof(err)), 0);
	/* not probed by libblkid: may hold data */
	ns.signature[0] = '\0';
	ns.sig_probed = false;
	assert_true(pp_init_labels_destructive(&region));
}

static void destroy_needs_name_or_force(void **state)
{
	struct pp_op ops[] = {
		op(PP_OP_DESTROY, "namespace0.0", true),
		op(PP_OP_CREATE, "", false),
	};
	const char *const other[] = { "namespace0.1" };
	const char *const it[] = { "namespace0.0" };
	struct pp_consent c = { 0 };
	char err[256];

	(void)state;
	half_applied("");
	assert_int_equal(consent(ops, 2, &c, err, sizeof(err)), -EPERM);
	assert_string_equal(err,
		"region0: destroying namespace0.0 erases what it holds; name it with --replace=namespace0.0 or run with --force");
	/* another namespace named, or this one for the other operation */
	c.replace = other;
	c.nr_replace = 1;
	c.reconfigure = it;
	c.nr_reconfigure = 1;
	assert_int_equal(consent(ops, 2, &c, err, sizeof(err)), -EPERM);
	c.replace = it;
	assert_int_equal(consent(ops, 2, &c, err, sizeof(err)), 0);
	memset(&c, 0, sizeof(c));
	c.force = true;
	assert_int_equal(consent(ops, 2, &c, err, sizeof(err)), 0);
}

static void reconfigure_needs_name_or_force(void **state)
{
	struct pp_op ops[] = {
		op(PP_OP_RECONFIGURE, "namespace0.0", true),
		op(PP_OP_KMEM, "namespace0.0", false),
	};
	const char *const it[] = { "namespace0.0" };
	struct pp_consent c = { 0 };
	char err[256];

	(void)state;
	half_applied("");
	assert_int_equal(consent(ops, 2, &c, err, sizeof(err)), -EPERM);
	assert_string_equal(err,
		"region0: reconfiguring namespace0.0 erases what it holds; name it with --reconfigure=namespace0.0 or run with --force");
	/* --replace of a label-less namespace reconfigures it in place */
	c.replace = it;
	c.nr_replace = 1;
	assert_int_equal(consent(ops, 2, &c, err, sizeof(err)), 0);
	memset(&c, 0, sizeof(c));
	c.reconfigure = it;
	c.nr_reconfigure = 1;
	assert_int_equal(consent(ops, 2, &c, err, sizeof(err)), 0);
	memset(&c, 0, sizeof(c));
	c.force = true;
	assert_int_equal(consent(ops, 2, &c, err, sizeof(err)), 0);
}

/* Free raw space reused, new namespaces, kmem: no consent needed. */
static void non_destructive_needs_nothing(void **state)
{
	struct pp_op ops[] = {
		op(PP_OP_REGION_ALIGN, "region0", false),
		op(PP_OP_DESTROY, "namespace0.0", false),
		op(PP_OP_RECONFIGURE, "namespace0.1", false),
		op(PP_OP_CREATE, "", false),
		op(PP_OP_MEMMAP_ON_MEMORY, "", false),
		op(PP_OP_KMEM, "", false),
	};
	struct pp_consent c = { 0 };
	char err[256];

	(void)state;
	half_applied("");
	assert_int_equal(consent(ops, ARRAY_SIZE(ops), &c, err, sizeof(err)),
			 0);
	assert_string_equal(err, "");
	assert_int_equal(consent(NULL, 0, &c, err, sizeof(err)), 0);
}

/* ------------------------------------------------------------------ */
/* pp_apply_complete                                                   */
/* ------------------------------------------------------------------ */

static void expect_kmem_op(const struct pp_op *o, enum pp_op_kind kind,
			   enum pp_zone zone)
{
	assert_int_equal(o->kind, kind);
	assert_string_equal(o->dev, "namespace0.0");
	assert_int_equal(o->role, PP_ROLE_KMEM);
	assert_int_equal(o->mode, PP_MODE_DEVDAX);
	assert_int_equal(o->start, ns.start);
	assert_int_equal(o->size, ns.size);
	assert_int_equal(o->map, PP_MAP_DEV);
	assert_int_equal(o->align, SZ_2M);
	assert_int_equal(o->zone, zone);
	assert_false(o->destructive);
}

/* Left in devdax mode: bind kmem and online it; its kmem predicted. */
static void complete_devdax(void **state)
{
	struct pp_topology t = half_applied(PP_APPLY_NAME_KMEM);
	struct pp_ns_account a;
	struct pp_plan plan;
	uint64_t kmem;

	(void)state;
	pp_account_namespace(&t.plat, ns.start, ns.size, ns.map, ns.align,
			     false, &a);
	kmem = a.kmem.end - a.kmem.start;
	assert_true(kmem > 0);

	plan_of(&plan, NULL, 0, false);
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 1);
	assert_int_equal(plan.regions[0].nr_ops, 1);
	expect_kmem_op(&plan.regions[0].ops[0], PP_OP_KMEM, PP_ZONE_MOVABLE);
	assert_true(pp_plan_has_ops(&plan));
	/* usable pmem until now, kmem from now on */
	assert_int_equal(plan.predicted.usable, 0);
	assert_int_equal(plan.predicted.kmem, kmem);
	assert_int_equal(plan.predicted.blocks, a.kmem.blocks);
	assert_int_equal(plan.predicted.stranded, ns.size - kmem);
	assert_int_equal(plan.predicted.ram_gain, a.ram_gain);
	assert_int_equal(plan.predicted.dram_memmap, a.dram_memmap);
	assert_int_equal(plan.regions[0].predicted.kmem, kmem);
	assert_int_equal(plan.regions[0].predicted.usable, 0);
	pp_plan_free(&plan);
}

/* With memmap_on_memory planned: written first, then kmem. */
static void complete_with_memmap_on_memory(void **state)
{
	struct pp_topology t = half_applied(PP_APPLY_NAME_KMEM);
	struct pp_plan plan;

	(void)state;
	plan_of(&plan, NULL, 0, true);
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_NORMAL), 1);
	assert_int_equal(plan.regions[0].nr_ops, 2);
	expect_kmem_op(&plan.regions[0].ops[0], PP_OP_MEMMAP_ON_MEMORY,
		       PP_ZONE_NORMAL);
	expect_kmem_op(&plan.regions[0].ops[1], PP_OP_KMEM, PP_ZONE_NORMAL);
	pp_plan_free(&plan);

	/* already written: only kmem */
	dax.memmap_on_memory = 1;
	plan_of(&plan, NULL, 0, true);
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 1);
	assert_int_equal(plan.regions[0].nr_ops, 1);
	assert_int_equal(plan.regions[0].ops[0].kind, PP_OP_KMEM);
	pp_plan_free(&plan);
}

/* Bound to kmem with every block offline: only onlining is left. */
static void complete_offline_system_ram(void **state)
{
	struct pp_topology t = half_applied(PP_APPLY_NAME_KMEM);
	struct pp_plan plan;

	(void)state;
	dax.mode = PP_DAX_SYSTEM_RAM;
	dax.total_blocks = 31;
	dax.online_blocks = 0;
	plan_of(&plan, NULL, 0, true);
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 1);
	/* memmap_on_memory cannot be written once kmem holds it */
	assert_int_equal(plan.regions[0].nr_ops, 1);
	expect_kmem_op(&plan.regions[0].ops[0], PP_OP_KMEM, PP_ZONE_MOVABLE);
	pp_plan_free(&plan);

	/* online already: nothing to finish */
	dax.online_blocks = 31;
	plan_of(&plan, NULL, 0, false);
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 0);
	assert_false(pp_plan_has_ops(&plan));
	pp_plan_free(&plan);
}

/* Not apply's namespace, or not in devdax mode: left alone. */
static void complete_only_ours(void **state)
{
	struct pp_topology t = half_applied("data");
	struct pp_plan plan;

	(void)state;
	plan_of(&plan, NULL, 0, false);
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 0);
	assert_false(pp_plan_has_ops(&plan));
	assert_int_equal(plan.predicted.usable, ns.size);
	pp_plan_free(&plan);

	t = half_applied(PP_APPLY_NAME_KMEM);
	ns.mode = PP_MODE_FSDAX;
	ns.dax = NULL;
	plan_of(&plan, NULL, 0, false);
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 0);
	assert_false(pp_plan_has_ops(&plan));
	pp_plan_free(&plan);
}

/* The plan changes that namespace: the plan wins. */
static void complete_not_when_planned(void **state)
{
	struct pp_topology t = half_applied(PP_APPLY_NAME_KMEM);
	struct pp_op ops[] = {
		op(PP_OP_RECONFIGURE, "namespace0.0", false),
		op(PP_OP_KMEM, "namespace0.0", false),
	};
	struct pp_plan plan;

	(void)state;
	plan_of(&plan, ops, ARRAY_SIZE(ops), false);
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 0);
	assert_int_equal(plan.regions[0].nr_ops, 2);
	assert_int_equal(plan.regions[0].ops[0].kind, PP_OP_RECONFIGURE);
	assert_int_equal(plan.predicted.kmem, 0);
	pp_plan_free(&plan);
}

/* Its struct pages in DRAM would exceed the plan's budget. */
static void complete_not_over_dram_budget(void **state)
{
	struct pp_topology t = half_applied(PP_APPLY_NAME_KMEM);
	struct pp_ns_account a;
	struct pp_plan plan;

	(void)state;
	pp_account_namespace(&t.plat, ns.start, ns.size, ns.map, ns.align,
			     false, &a);
	assert_true(a.dram_memmap > 0);

	plan_of(&plan, NULL, 0, false);
	plan.dram_budget = a.dram_memmap - 1;
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 0);
	assert_false(pp_plan_has_ops(&plan));
	pp_plan_free(&plan);

	/* what the plan already spends counts too */
	plan_of(&plan, NULL, 0, false);
	plan.dram_budget = a.dram_memmap;
	plan.predicted.dram_memmap = 1;
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 0);
	pp_plan_free(&plan);

	/* exactly within it */
	plan_of(&plan, NULL, 0, false);
	plan.dram_budget = a.dram_memmap;
	assert_int_equal(pp_apply_complete(&t, &plan, PP_ZONE_MOVABLE), 1);
	pp_plan_free(&plan);
}

/* ------------------------------------------------------------------ */
/* plan shows what apply does: consent never refuses a plan of the    */
/* same options, on every snapshot of tests/snapshots                 */
/* ------------------------------------------------------------------ */

static void snapshots_dir(char *path, size_t size)
{
	const char *src = getenv("SRCDIR");
	const char *here = __FILE__;	/* .../tests/unit/test_consent.c */
	const char *cut = strrchr(here, '/');

	if (src && *src)
		snprintf(path, size, "%s/tests/snapshots", src);
	else if (cut)
		snprintf(path, size, "%.*s/../snapshots", (int)(cut - here),
			 here);
	else
		snprintf(path, size, "../snapshots");
}

/* pp_plan_build() then apply's consent and completion, as cmd/apply.c */
static void plan_then_consent(const char *name, struct pp_topology *t,
			      const struct pp_plan_opts *o, const char *what)
{
	struct pp_consent c = {
		.force = o->force,
		.reconfigure = o->reconfigure,
		.nr_reconfigure = o->nr_reconfigure,
		.replace = o->replace,
		.nr_replace = o->nr_replace,
	};
	struct pp_plan plan;
	char err[256] = "";

	if (pp_plan_build(t, o, &plan, err, sizeof(err)))
		return;		/* a usage error (exit 2): no plan */
	if (pp_apply_consent(&plan, &c, err, sizeof(err)))
		fail_msg("%s, %s: consent refuses the plan: %s", name, what,
			 err);
	assert_true(pp_apply_complete(t, &plan, o->zone) >= 0);
	if (pp_apply_consent(&plan, &c, err, sizeof(err)))
		fail_msg("%s, %s: consent refuses the completed plan: %s",
			 name, what, err);
	pp_plan_free(&plan);
}

static void opts_on(const char *name, struct pp_topology *t)
{
	struct pp_plan_opts base = {
		.memmap = PP_MEMMAP_AUTO, .zone = PP_ZONE_MOVABLE,
		.dram_percent = PP_DEFAULT_DRAM_PERCENT,
	}, o;
	const char *dev[1];
	unsigned int i, j, v;

	for (v = 0; v < 7; v++) {
		static const char *const what[] = {
			"plain", "--force", "--keep", "--region-align=2M",
			"--memmap=dram", "--force --keep", "--size=1 block",
		};

		o = base;
		o.force = v == 1 || v == 5;
		o.keep = v == 2 || v == 5;
		o.region_align = v == 3 ? SZ_2M : 0;
		o.memmap = v == 4 ? PP_MEMMAP_DRAM : PP_MEMMAP_AUTO;
		o.size = v == 6 ? t->plat.block_size.value : 0;
		plan_then_consent(name, t, &o, what[v]);
	}
	/* every namespace named, each way, alone */
	for (i = 0; i < t->nr_regions; i++)
		for (j = 0; j < t->regions[i].nr_ns; j++) {
			dev[0] = t->regions[i].ns[j].dev;
			o = base;
			o.replace = dev;
			o.nr_replace = 1;
			plan_then_consent(name, t, &o, dev[0]);
			o = base;
			o.reconfigure = dev;
			o.nr_reconfigure = 1;
			plan_then_consent(name, t, &o, dev[0]);
		}
}

static void consent_agrees_on_snapshots(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 256], err[256];
	unsigned int n = 0, li;
	struct dirent *de;
	DIR *d;

	(void)state;
	snapshots_dir(dir, sizeof(dir));
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		struct pp_topology t;
		unsigned int i;
		FILE *f;

		if (len <= 5 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		if (pp_snapshot_read(f, &t, err, sizeof(err)))
			fail_msg("%s: %s", de->d_name, err);
		fclose(f);
		/* and as if its label areas held each thing they may */
		for (li = 0; li < 4; li++) {
			for (i = 0; li && i < t.nr_regions; i++)
				if (t.regions[i].label_capable &&
				    !t.regions[i].labelled)
					t.regions[i].label_index =
						(enum pp_label_index)(li - 1);
			opts_on(de->d_name, &t);
		}
		pp_topology_free(&t);
		n++;
	}
	closedir(d);
	assert_true(n >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(has_ops),
		cmocka_unit_test(init_labels_needs_force),
		cmocka_unit_test(init_labels_fresh_needs_nothing),
		cmocka_unit_test(consent_agrees_on_snapshots),
		cmocka_unit_test(destroy_needs_name_or_force),
		cmocka_unit_test(reconfigure_needs_name_or_force),
		cmocka_unit_test(non_destructive_needs_nothing),
		cmocka_unit_test(complete_devdax),
		cmocka_unit_test(complete_with_memmap_on_memory),
		cmocka_unit_test(complete_offline_system_ram),
		cmocka_unit_test(complete_only_ours),
		cmocka_unit_test(complete_not_when_planned),
		cmocka_unit_test(complete_not_over_dram_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
