// SPDX-License-Identifier: GPL-2.0
/*
 * The planner on the layouts measured on a real kernel
 * (../shared/reference/kernel-model.md §13) and the cases the issue names.
 * The exhaustive comparison with a brute-force search is test_plan_oracle.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "planner/consent.h"
#include "planner/planner.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

static struct pp_region regions[2];
static struct pp_namespace nss[4];

static struct pp_topology topo_of(enum pp_arch arch, uint64_t page,
				  uint64_t block, uint64_t avail, uint32_t kver,
				  enum pp_mom_param mom)
{
	struct pp_topology t = { 0 };

	t.plat.arch = arch;
	t.plat.kver = kver;
	t.plat.page_size = (struct pp_fact){ page, PP_SRC_UNAME };
	t.plat.block_size = (struct pp_fact){ block, PP_SRC_SYSFS };
	t.plat.mem_available = (struct pp_fact){ avail, PP_SRC_PROC };
	t.plat.memmap_on_memory = mom;
	t.plat.memmap_on_memory_src = PP_SRC_SYSFS;
	snprintf(t.plat.auto_online_blocks, sizeof(t.plat.auto_online_blocks),
		 "offline");
	pp_platform_derive(&t.plat);
	memset(regions, 0, sizeof(regions));
	memset(nss, 0, sizeof(nss));
	t.regions = regions;
	return t;
}

static struct pp_topology topo(uint64_t block, uint64_t avail, uint32_t kver)
{
	return topo_of(PP_ARCH_X86_64, SZ_4K, block, avail, kver, PP_MOM_OFF);
}

static struct pp_region *region(struct pp_topology *t, uint64_t start,
				uint64_t size, bool labelled)
{
	struct pp_region *r = &regions[t->nr_regions++];

	snprintf(r->dev, sizeof(r->dev), "region%u", t->nr_regions - 1);
	r->start = start;
	r->size = size;
	r->align = labelled ? SZ_16M : PP_UNKNOWN;
	r->ways = 1;
	r->labelled = labelled;
	r->label_capable = labelled;
	r->kind = labelled ? PP_REGION_NFIT : PP_REGION_E820;
	return r;
}

/* nss[i]: namespace0.i in mode at [start, start + size) */
static struct pp_namespace *ns_at(unsigned int i, enum pp_ns_mode mode,
				  uint64_t start, uint64_t size)
{
	struct pp_namespace *ns = &nss[i];

	snprintf(ns->dev, sizeof(ns->dev), "namespace0.%u", i);
	ns->mode = mode;
	ns->start = start;
	ns->size = size;
	return ns;
}

static const struct pp_op *find(const struct pp_region_plan *rp,
				enum pp_op_kind k, enum pp_role role)
{
	unsigned int i;

	for (i = 0; i < rp->nr_ops; i++)
		if (rp->ops[i].kind == k &&
		    (k != PP_OP_CREATE || rp->ops[i].role == role))
			return &rp->ops[i];
	return NULL;
}

static void plan_ok(struct pp_topology *t, const struct pp_plan_opts *o,
		    struct pp_plan *plan)
{
	char err[256];

	assert_int_equal(pp_plan_build(t, o, plan, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

/*
 * §13 last row: region align 2M, a 126M fsdax spacer, then a devdax
 * map=mem namespace at 0x107e00000: kmem 108000000-1ffffffff, 2 MiB
 * stranded.  With the default 16M align: the same kmem, 16 MiB stranded.
 */
static void fresh_labelled_spacer(void **state)
{
	struct pp_topology t = topo(SZ_128M, GiB(1), PP_KVER(6, 1, 100));
	struct pp_plan_opts o = { .region_align = SZ_2M };
	const struct pp_op *spacer, *kmem;
	struct pp_plan plan;

	(void)state;
	region(&t, 0x100000000, GiB(4), true);
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.predicted.kmem, MiB(3968));
	assert_int_equal(plan.predicted.kmem, plan.bound);
	assert_int_equal(plan.predicted.stranded, SZ_2M);
	assert_non_null(find(&plan.regions[0], PP_OP_REGION_ALIGN, 0));
	spacer = find(&plan.regions[0], PP_OP_CREATE, PP_ROLE_SPACER);
	kmem = find(&plan.regions[0], PP_OP_CREATE, PP_ROLE_KMEM);
	assert_non_null(spacer);
	assert_non_null(kmem);
	assert_int_equal(spacer->start, 0x100000000);
	assert_int_equal(spacer->size, MiB(126));
	assert_int_equal(kmem->start, 0x107e00000);
	assert_int_equal(kmem->size, MiB(3970));
	assert_int_equal(kmem->map, PP_MAP_MEM);
	assert_non_null(find(&plan.regions[0], PP_OP_KMEM, 0));
	/* ndctl: map=dev, 66 MiB of metadata, 3968 MiB, 128 MiB stranded */
	assert_int_equal(plan.baseline.kmem, MiB(3968));
	assert_int_equal(plan.baseline.stranded, MiB(128));
	pp_plan_free(&plan);

	o.region_align = 0;
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.predicted.kmem, MiB(3968));
	assert_int_equal(plan.predicted.stranded, SZ_16M);
	assert_null(find(&plan.regions[0], PP_OP_REGION_ALIGN, 0));
	pp_plan_free(&plan);
}

/*
 * Issue 11: the fresh 4 GiB NVDIMM under Debian's 6.12 arm64 16K kernel
 * (16 KiB pages, 128 MiB blocks, 32 MiB PMD and default align).  The old
 * plan, devdax map=mem align 32M at 0xc7000000, oopsed as device_dax
 * bound (compound pages past the end).  Of the safe layouts that reach
 * the bound, 3968 MiB: align 16K at the same start strands 16 MiB (2 MiB
 * info block + 14 MiB before the first block); a 96 MiB spacer and a
 * 32 MiB aligned start strand 32 MiB (the 32 MiB data offset).  The
 * spacer is fsdax at 16K: at the 32M default ndctl refuses 112 MiB.
 */
static void arm64_16k_fresh(void **state)
{
	struct pp_topology t = topo_of(PP_ARCH_ARM64, 16384, SZ_128M, GiB(1),
				       PP_KVER(6, 12, 95), PP_MOM_OFF);
	struct pp_plan_opts o = { 0 };
	const struct pp_op *spacer, *kmem;
	struct pp_plan plan;
	struct pp_op *op;
	char err[512];

	(void)state;
	assert_int_equal(pp_default_dax_align(&t.plat), SZ_32M);
	region(&t, 0xc0000000, GiB(4), true);
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.predicted.kmem, MiB(3968));
	assert_int_equal(plan.predicted.kmem, plan.bound);
	assert_int_equal(plan.predicted.stranded, SZ_16M);
	spacer = find(&plan.regions[0], PP_OP_CREATE, PP_ROLE_SPACER);
	kmem = find(&plan.regions[0], PP_OP_CREATE, PP_ROLE_KMEM);
	assert_non_null(spacer);
	assert_non_null(kmem);
	assert_int_equal(spacer->start, 0xc0000000);
	assert_int_equal(spacer->size, MiB(112));
	assert_int_equal(spacer->mode, PP_MODE_FSDAX);
	assert_int_equal(spacer->align, 16384);
	assert_int_equal(kmem->start, 0xc7000000);
	assert_int_equal(kmem->size, MiB(3984));
	assert_int_equal(kmem->map, PP_MAP_MEM);
	assert_int_equal(kmem->align, 16384);
	/* apply's check takes it ... */
	assert_int_equal(pp_plan_check_layouts(&t.plat, &plan, err,
					       sizeof(err)), 0);
	/* ... and refuses the old plan, naming the namespace and the rule */
	op = (struct pp_op *)kmem;
	op->align = SZ_32M;
	assert_int_equal(pp_plan_check_layouts(&t.plat, &plan, err,
					       sizeof(err)), -EDOM);
	assert_non_null(strstr(err, "region0: create-namespace kmem devdax "
				    "3984 MiB at 0xc7000000"));
	assert_non_null(strstr(err, "[ndctl-size-align]"));
	op->size = MiB(3968);
	assert_int_equal(pp_plan_check_layouts(&t.plat, &plan, err,
					       sizeof(err)), -EDOM);
	assert_non_null(strstr(err, "oopses"));
	assert_non_null(strstr(err, "[kernel: compound-page]"));
	op->align = 16384;
	op = (struct pp_op *)spacer;
	op->align = 0;		/* the seed's 32 MiB */
	assert_int_equal(pp_plan_check_layouts(&t.plat, &plan, err,
					       sizeof(err)), -EDOM);
	assert_non_null(strstr(err, "spacer fsdax 112 MiB"));
	pp_plan_free(&plan);

	/* --region-align=2M: a 126 MiB spacer, still align 16K there */
	o.region_align = SZ_2M;
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.predicted.kmem, MiB(3968));
	assert_int_equal(plan.predicted.stranded, SZ_2M);
	kmem = find(&plan.regions[0], PP_OP_CREATE, PP_ROLE_KMEM);
	assert_non_null(kmem);
	assert_int_equal(kmem->start, 0xc7e00000);
	assert_int_equal(kmem->align, 16384);
	assert_int_equal(pp_plan_check_layouts(&t.plat, &plan, err,
					       sizeof(err)), 0);
	pp_plan_free(&plan);
}

/* §13 row 3: 40 GiB, map=dev loses 640 MiB to the defaults */
static void forty_gib(void **state)
{
	struct pp_topology t = topo(SZ_128M, GiB(3), PP_KVER(6, 1, 100));
	struct pp_plan_opts o = { 0 };
	struct pp_plan plan;

	(void)state;
	region(&t, 0x140000000, GiB(40), true);
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.baseline.kmem, MiB(40192));
	assert_int_equal(plan.predicted.kmem, MiB(40832));
	assert_int_equal(plan.predicted.kmem, plan.bound);
	pp_plan_free(&plan);
}

/*
 * §13: a 512 MiB guest (MemAvailable 361 516 kB) with a 40 GiB NVDIMM
 * panicked with ndctl's defaults.  The plan keeps struct pages within half
 * of MemAvailable: 88 blocks (176 MiB) and the rest as usable pmem.
 */
static void small_dram(void **state)
{
	struct pp_topology t = topo(SZ_128M, 361516ULL * 1024,
				    PP_KVER(6, 1, 100));
	struct pp_plan_opts o = { 0 };
	struct pp_plan plan;

	(void)state;
	region(&t, 0x140000000, GiB(40), true);
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.baseline.error, -ENOMEM);
	assert_int_equal(plan.predicted.blocks, 361516ULL * 1024 / 2 / MiB(2));
	assert_true(plan.predicted.dram_memmap <= plan.dram_budget);
	assert_true(plan.predicted.usable > GiB(28));
	assert_non_null(find(&plan.regions[0], PP_OP_CREATE, PP_ROLE_SPACER));
	pp_plan_free(&plan);

	/* 6.12 with memmap_on_memory=1: all of it, no DRAM for struct pages */
	t.plat.kver = PP_KVER(6, 12, 0);
	t.plat.memmap_on_memory = PP_MOM_ON;
	plan_ok(&t, &o, &plan);
	assert_true(plan.mom);
	/* --memmap=auto: DRAM cannot carry them (the budget fallback) */
	assert_non_null(strstr(plan.mom_why, "cannot carry"));
	assert_int_equal(plan.predicted.kmem, plan.bound);
	assert_int_equal(plan.predicted.dram_memmap, 0);
	assert_int_equal(plan.predicted.ram_gain,
			 plan.predicted.kmem - plan.predicted.blocks * SZ_2M);
	assert_non_null(find(&plan.regions[0], PP_OP_MEMMAP_ON_MEMORY, 0));
	pp_plan_free(&plan);
}

/*
 * device_dax's memmap of a map=mem namespace is DRAM while it is devdax,
 * memmap_on_memory or not (pp_devdax_memmap_bytes()): 40 GiB at 2 MiB on
 * 6.12 needs more than half of 200 MiB, so the plan takes map=dev and
 * says why, where before the check never ran (the budget was not passed
 * to it).
 */
static void devdax_dram_budget(void **state)
{
	struct pp_topology t = topo(SZ_128M, MiB(200), PP_KVER(6, 12, 0));
	struct pp_plan_opts o = { .memmap = PP_MEMMAP_PMEM };
	const struct pp_op *op;
	struct pp_plan plan;
	unsigned int i;
	bool said = false;

	(void)state;
	t.plat.memmap_on_memory = PP_MOM_ON;
	region(&t, 0x140000000, GiB(40), true);
	assert_true(pp_devdax_memmap_bytes(&t.plat, GiB(40), SZ_2M) >
		    MiB(100));
	plan_ok(&t, &o, &plan);
	assert_true(plan.mom);
	op = find(&plan.regions[0], PP_OP_CREATE, PP_ROLE_KMEM);
	assert_non_null(op);
	assert_int_equal(op->map, PP_MAP_DEV);
	assert_int_equal(plan.predicted.devdax_dram, 0);
	for (i = 0; i < plan.regions[0].nr_advice; i++)
		said |= strstr(plan.regions[0].advice[i], "map=dev instead") !=
			NULL;
	assert_true(said);
	pp_plan_free(&plan);

	/* with room for it: map=mem, its memmap counted */
	t.plat.mem_available.value = GiB(2);
	plan_ok(&t, &o, &plan);
	op = find(&plan.regions[0], PP_OP_CREATE, PP_ROLE_KMEM);
	assert_int_equal(op->map, PP_MAP_MEM);
	assert_true(plan.predicted.devdax_dram > MiB(100));
	pp_plan_free(&plan);
}

/* The 2021 carve-out thread (§13): memmap=2050M!5118M hot-plugs 2 GiB */
static void carveout_advice(void **state)
{
	struct pp_topology t = topo(SZ_128M, GiB(4), PP_KVER(6, 1, 100));
	struct pp_fw_range fw[] = {
		{ 0x0, 0x9fc00, "System RAM" },
		{ 0x100000, 0xbffe0000, "System RAM" },
		{ 0xfffc0000, 0x100000000, "Reserved" },
		{ 0x100000000, 0x240000000, "System RAM" },
	};
	struct pp_plan_opts o = { 0 };
	struct pp_region *r;
	struct pp_plan plan;

	(void)state;
	t.plat.fwmap = fw;
	t.plat.nr_fwmap = 4;
	r = region(&t, 0x140000000, GiB(2), false);
	r->ns = nss;
	r->nr_ns = 1;
	snprintf(nss[0].dev, sizeof(nss[0].dev), "namespace0.0");
	nss[0].mode = PP_MODE_FSDAX;
	nss[0].start = 0x140000000;
	nss[0].size = GiB(2);
	nss[0].sig_probed = true;
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.predicted.kmem, MiB(1920));
	assert_non_null(find(&plan.regions[0], PP_OP_RECONFIGURE, 0));
	assert_non_null(strstr(plan.regions[0].advice[0],
			       "memmap=2050M!5118M"));
	pp_plan_free(&plan);

	/* memmap=2G!4G: 4094M would cross the firmware hole below 4 GiB */
	r->start = nss[0].start = 0x100000000;
	plan_ok(&t, &o, &plan);
	assert_null(strstr(plan.regions[0].advice[0], "!4094M"));
	pp_plan_free(&plan);
	t.plat.fwmap = NULL;
}

/* Existing namespaces: kept unless free, named or forced */
static void existing(void **state)
{
	struct pp_topology t = topo(SZ_128M, GiB(4), PP_KVER(6, 1, 100));
	struct pp_plan_opts o = { 0 };
	struct pp_region *r;
	struct pp_plan plan;

	(void)state;
	r = region(&t, 0x100000000, GiB(4), true);
	r->ns = nss;
	r->nr_ns = 1;
	ns_at(0, PP_MODE_FSDAX, 0x100000000, GiB(1))->claimed = true;
	nss[0].map = PP_MAP_DEV;
	plan_ok(&t, &o, &plan);
	assert_null(find(&plan.regions[0], PP_OP_DESTROY, 0));
	assert_int_equal(plan.predicted.kmem, MiB(3072 - 128));
	assert_int_equal(plan.predicted.usable,
			 GiB(1) + MiB(128 - 16));
	pp_plan_free(&plan);

	o.force = true;
	plan_ok(&t, &o, &plan);
	assert_non_null(find(&plan.regions[0], PP_OP_DESTROY, 0));
	assert_true(find(&plan.regions[0], PP_OP_DESTROY, 0)->destructive);
	assert_int_equal(plan.predicted.kmem, MiB(3968));
	pp_plan_free(&plan);

	/* busy: never, even forced */
	nss[0].busy = true;
	plan_ok(&t, &o, &plan);
	assert_null(find(&plan.regions[0], PP_OP_DESTROY, 0));
	pp_plan_free(&plan);
}

/*
 * Free raw space is reused only for a gain.  A 112 MiB raw namespace at the
 * start of a region whose rest is an fsdax namespace (as arm64-16k-unsafe):
 * destroying it frees nothing kmem could take (no whole 128 MiB block
 * after an info block), so it stays; as large as the region, it is reused.
 */
static void free_raw_reused_for_a_gain(void **state)
{
	struct pp_topology t = topo(SZ_128M, GiB(4), PP_KVER(6, 1, 100));
	struct pp_plan_opts o = { 0 };
	struct pp_region *r;
	struct pp_plan plan;

	(void)state;
	r = region(&t, 0x100000000, GiB(4), true);
	r->ns = nss;
	r->nr_ns = 2;
	ns_at(0, PP_MODE_RAW, 0x100000000, MiB(112))->sig_probed = true;
	ns_at(1, PP_MODE_FSDAX, 0x107000000, GiB(4) - MiB(112))->claimed = true;
	nss[1].map = PP_MAP_DEV;
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.regions[0].nr_ops, 0);
	assert_int_equal(plan.predicted.usable, GiB(4));
	pp_plan_free(&plan);

	/* the data namespace gone: the raw one's space is worth reusing */
	r->nr_ns = 1;
	nss[0].size = GiB(4);
	plan_ok(&t, &o, &plan);
	assert_non_null(find(&plan.regions[0], PP_OP_DESTROY, 0));
	assert_false(find(&plan.regions[0], PP_OP_DESTROY, 0)->destructive);
	assert_int_equal(plan.predicted.kmem, MiB(3968));
	pp_plan_free(&plan);

	/* --keep: never */
	o.keep = true;
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.regions[0].nr_ops, 0);
	assert_int_equal(plan.baseline.kmem, 0);
	pp_plan_free(&plan);
}

/* A fresh label-capable NVDIMM without labels: init-labels first */
static void init_labels(void **state)
{
	struct pp_topology t = topo(SZ_128M, GiB(1), PP_KVER(6, 1, 100));
	static const char *const names[] = { "namespace0.0" };
	struct pp_plan_opts o = { 0 };
	struct pp_region *r;
	struct pp_plan plan;

	(void)state;
	r = region(&t, 0x100000000, GiB(4), false);
	r->kind = PP_REGION_NFIT;
	r->label_capable = true;
	r->ns = nss;
	r->nr_ns = 1;
	snprintf(nss[0].dev, sizeof(nss[0].dev), "namespace0.0");
	nss[0].mode = PP_MODE_RAW;
	nss[0].start = 0x100000000;
	nss[0].size = GiB(4);
	nss[0].sig_probed = true;
	/* the label area was never written: nothing to lose, no --force */
	r->label_index = PP_LABEL_INDEX_NONE;
	plan_ok(&t, &o, &plan);
	assert_non_null(find(&plan.regions[0], PP_OP_INIT_LABELS, 0));
	assert_false(plan.regions[0].ops[0].destructive);
	assert_int_equal(plan.predicted.kmem, MiB(3968));
	assert_null(strstr(plan.regions[0].advice[0], "--force"));
	pp_plan_free(&plan);

	/*
	 * A label index on it (or one that could not be read): without
	 * --force the best plan that needs none, in place, and one advice
	 * line says what --force would gain.
	 */
	r->label_index = PP_LABEL_INDEX_VALID;
	plan_ok(&t, &o, &plan);
	assert_null(find(&plan.regions[0], PP_OP_INIT_LABELS, 0));
	assert_non_null(find(&plan.regions[0], PP_OP_RECONFIGURE, 0));
	assert_non_null(strstr(plan.regions[0].advice[0],
			       "--force (destructive: its label area holds a label index) would initialise the labels"));
	pp_plan_free(&plan);
	o.force = true;
	plan_ok(&t, &o, &plan);
	assert_non_null(find(&plan.regions[0], PP_OP_INIT_LABELS, 0));
	assert_true(plan.regions[0].ops[0].destructive);
	pp_plan_free(&plan);
	o.force = false;
	r->label_index = PP_LABEL_INDEX_UNKNOWN;
	plan_ok(&t, &o, &plan);
	assert_null(find(&plan.regions[0], PP_OP_INIT_LABELS, 0));
	assert_non_null(strstr(plan.regions[0].advice[0],
			       "its label area was not read"));
	pp_plan_free(&plan);

	/* something on it: no init-labels, the io namespace is kept */
	r->label_index = PP_LABEL_INDEX_NONE;
	snprintf(nss[0].signature, sizeof(nss[0].signature), "ext4");
	plan_ok(&t, &o, &plan);
	assert_null(find(&plan.regions[0], PP_OP_INIT_LABELS, 0));
	assert_int_equal(plan.predicted.kmem, 0);
	pp_plan_free(&plan);
	/* named: no index to lose, so naming it is consent enough */
	o.replace = names;
	o.nr_replace = 1;
	plan_ok(&t, &o, &plan);
	assert_non_null(find(&plan.regions[0], PP_OP_INIT_LABELS, 0));
	assert_true(plan.regions[0].ops[0].destructive);
	pp_plan_free(&plan);
}

/* --size: exactly that much kmem, the rest usable; errors say why */
static void size_option(void **state)
{
	struct pp_topology t = topo(SZ_128M, GiB(4), PP_KVER(6, 1, 100));
	struct pp_plan_opts o = { .size = GiB(1) };
	struct pp_plan plan;
	char err[256];

	(void)state;
	region(&t, 0x100000000, GiB(4), true);
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.predicted.kmem, GiB(1));
	assert_true(plan.predicted.usable >= GiB(4) - GiB(1) - MiB(16) -
		    MiB(128));
	assert_string_equal(plan.shortfall, "");
	pp_plan_free(&plan);

	/* more than fits: no error, the plan is what fits and says so */
	o.size = GiB(8);
	assert_int_equal(pp_plan_build(&t, &o, &plan, err, sizeof(err)), 0);
	assert_true(plan.predicted.kmem > 0 && plan.predicted.kmem < GiB(4));
	assert_non_null(strstr(plan.shortfall, "--size: only "));
	assert_non_null(strstr(plan.shortfall, "not 8192 MiB"));
	pp_plan_free(&plan);

	o.size = MiB(1000);
	assert_int_equal(pp_plan_build(&t, &o, &plan, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "did you intend --size=1024M?"));

	o.size = 0;
	o.memmap = PP_MEMMAP_PMEM;
	assert_int_equal(pp_plan_build(&t, &o, &plan, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "6.8"));
}

/* 2 GiB blocks and a small namespace: say so before creating anything */
static void too_small(void **state)
{
	struct pp_topology t = topo(SZ_2G, GiB(60), PP_KVER(6, 1, 100));
	struct pp_plan_opts o = { 0 };
	struct pp_plan plan;

	(void)state;
	region(&t, 0x100000000, GiB(2), true);
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.predicted.kmem, 0);
	assert_int_equal(plan.baseline.error, -EINVAL);
	assert_null(find(&plan.regions[0], PP_OP_CREATE, PP_ROLE_KMEM));
	pp_plan_free(&plan);
}

/* §13 ppc64le radix: 64K pages, 256 MiB blocks, memmap_on_memory=force */
static struct pp_topology ppc64_topo(uint64_t avail)
{
	return topo_of(PP_ARCH_PPC64, SZ_64K, SZ_256M, avail,
		       PP_KVER(6, 12, 0), PP_MOM_FORCE);
}

/*
 * --memmap=auto takes the larger net memory.  §13 ppc64le, 4 GiB at
 * 0x80000000: on the device +3810 MiB; in DRAM +3840 MiB for 3.75 MiB of
 * DRAM, net 3836.25 MiB: DRAM.  --memmap=pmem still gets the device.
 */
static void memmap_auto_ppc64(void **state)
{
	struct pp_topology t = ppc64_topo(GiB(1));
	struct pp_plan_opts o = { 0 };
	struct pp_plan plan;

	(void)state;
	region(&t, 0x80000000, GiB(4), true);
	plan_ok(&t, &o, &plan);
	assert_false(plan.mom);
	assert_int_equal(plan.predicted.blocks, 15);
	assert_int_equal(plan.predicted.ram_gain, MiB(3840));
	assert_int_equal(plan.predicted.dram_memmap, 15 * 256 * 1024);
	assert_int_equal(pp_outcome_net(&plan.predicted),
			 MiB(3836) + MiB(1) / 4);
	assert_non_null(strstr(plan.mom_why, "more net memory"));
	assert_null(find(&plan.regions[0], PP_OP_MEMMAP_ON_MEMORY, 0));
	pp_plan_free(&plan);

	o.memmap = PP_MEMMAP_PMEM;
	plan_ok(&t, &o, &plan);
	assert_true(plan.mom);
	assert_int_equal(plan.predicted.ram_gain, MiB(3810));
	assert_int_equal(pp_outcome_net(&plan.predicted), MiB(3810));
	assert_int_equal(plan.mom_padding, 28 * SZ_64K);
	pp_plan_free(&plan);

	/* DRAM for 8 blocks' struct pages only (4 MiB x 50%): the device */
	t.plat.mem_available.value = MiB(4);
	o.memmap = PP_MEMMAP_AUTO;
	plan_ok(&t, &o, &plan);
	assert_true(plan.mom);
	assert_int_equal(plan.predicted.blocks, 15);
	assert_int_equal(plan.predicted.ram_gain, MiB(3810));
	assert_non_null(strstr(plan.mom_why, "cannot carry"));
	assert_non_null(find(&plan.regions[0], PP_OP_MEMMAP_ON_MEMORY, 0));
	pp_plan_free(&plan);
}

/* x86 4K, 128 MiB blocks: 2 MiB a block either way, a tie: the device */
static void memmap_auto_x86_tie(void **state)
{
	struct pp_topology t = topo(SZ_128M, GiB(2), PP_KVER(6, 12, 0));
	struct pp_plan_opts o = { 0 };
	struct pp_plan plan, dram;

	(void)state;
	t.plat.memmap_on_memory = PP_MOM_ON;
	region(&t, 0x100000000, GiB(4), true);
	plan_ok(&t, &o, &plan);
	assert_true(plan.mom);
	assert_int_equal(plan.predicted.dram_memmap, 0);
	assert_non_null(strstr(plan.mom_why, "as much net memory"));
	o.memmap = PP_MEMMAP_DRAM;
	plan_ok(&t, &o, &dram);
	assert_false(dram.mom);
	assert_int_equal(pp_outcome_net(&plan.predicted),
			 pp_outcome_net(&dram.predicted));
	assert_int_equal(plan.predicted.kmem, dram.predicted.kmem);
	assert_int_equal(dram.predicted.dram_memmap,
			 dram.predicted.blocks * SZ_2M);
	pp_plan_free(&dram);
	pp_plan_free(&plan);
}

/*
 * CXL ram (issue 13's measurement, 66 GiB guest, 2 GiB blocks): a 4 GiB
 * region at 0x1410000000, its window there.  The kernel's default (one
 * dax device, all kmem) hot-plugs 0x1480000000-0x14ffffffff and loses
 * the 1.75 GiB head and the 256 MiB tail; the plan keeps them as devdax
 * devices, in address order, and advises a block-aligned window.  With
 * memmap_on_memory the memmap of each block is the only loss.
 */
static void cxl_ram(void **state)
{
	struct pp_topology t = topo(SZ_2G, 60 * SZ_1G, PP_KVER(6, 12, 95));
	struct pp_plan_opts o = { 0 };
	struct pp_cxl_region c = { .dev = "region0", .mode = PP_CXL_RAM,
		.start = 0x1410000000ULL, .size = 4 * SZ_1G, .ways = 1,
		.decoder = "decoder0.0", .window_start = 0x1410000000ULL,
		.window_size = 4 * SZ_1G };
	const struct pp_cxl_plan *cp;
	struct pp_plan plan;

	(void)state;
	snprintf(t.plat.auto_online_blocks, sizeof(t.plat.auto_online_blocks),
		 "online");
	t.cxl = &c;
	t.nr_cxl = 1;
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.nr_cxl, 1);
	cp = &plan.cxl[0];
	assert_int_equal(cp->bound, 2 * SZ_1G);
	assert_int_equal(cp->default_kmem, 2 * SZ_1G);
	assert_int_equal(cp->default_lost, 2 * SZ_1G);
	assert_string_equal(cp->default_zone, "normal");
	assert_int_equal(cp->nr_dev, 3);
	assert_int_equal(cp->dev[0].start, 0x1410000000ULL);
	assert_int_equal(cp->dev[0].size, 1792ULL << 20);
	assert_false(cp->dev[0].kmem);
	assert_int_equal(cp->dev[1].start, 0x1480000000ULL);
	assert_int_equal(cp->dev[1].size, 2 * SZ_1G);
	assert_true(cp->dev[1].kmem);
	assert_int_equal(cp->dev[2].start, 0x1500000000ULL);
	assert_int_equal(cp->dev[2].size, 256ULL << 20);
	assert_int_equal(cp->kmem, cp->default_kmem);
	assert_int_equal(cp->devdax, 2 * SZ_1G);
	assert_int_equal(cp->lost, 0);
	assert_int_equal(cp->zone, PP_ZONE_MOVABLE);
	/* the window advice, and the policy's */
	assert_int_equal(cp->nr_advice, 2);
	assert_non_null(strstr(cp->advice[0], "would hot-plug 4096 MiB"));
	assert_non_null(strstr(cp->advice[1], "ZONE_NORMAL"));
	pp_plan_free(&plan);

	/* 128 MiB blocks, memmap_on_memory=1: 1008 of 1024 MiB, as measured */
	t = topo_of(PP_ARCH_X86_64, SZ_4K, SZ_128M, SZ_1G, PP_KVER(6, 12, 95),
		    PP_MOM_ON);
	c.start = 0x11d0000000ULL;
	c.size = SZ_1G;
	c.window_start = c.start;
	t.cxl = &c;
	t.nr_cxl = 1;
	o.zone = PP_ZONE_NORMAL;
	plan_ok(&t, &o, &plan);
	cp = &plan.cxl[0];
	assert_int_equal(cp->nr_dev, 1);
	assert_true(cp->mom && cp->default_mom);
	assert_int_equal(cp->ram_gain, 1008ULL << 20);
	assert_int_equal(cp->default_ram_gain, 1008ULL << 20);
	assert_int_equal(cp->lost, 16ULL << 20);
	assert_string_equal(cp->default_zone, "offline");
	assert_int_equal(cp->nr_advice, 1);
	pp_plan_free(&plan);
}

/* A dax device of the CXL region, bound as mode says, blocks online. */
static void cxl_dax(struct pp_dax *d, const char *dev, uint64_t start,
		    uint64_t size, enum pp_dax_mode mode, uint64_t blocks,
		    const char *zone)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->dev, sizeof(d->dev), "%s", dev);
	d->mode = mode;
	d->start = start;
	d->size = size;
	d->memmap_on_memory = 1;
	d->align = SZ_2M;		/* dax_cxl: PMD_SIZE */
	d->kmem_start = d->kmem_end = PP_UNKNOWN;
	d->total_blocks = d->online_blocks = blocks;
	snprintf(d->zone, sizeof(d->zone), "%s", zone);
}

/*
 * What apply does with a CXL ram region (lib/apply/cxl.c): nothing once
 * its dax devices are the plan's (as after apply: test-cxl.sh ram-big);
 * with the kernel's layout, the zone or the memmap placement differing,
 * it re-makes them; a devdax device it would take down needs --force.
 */
static void cxl_as_planned(void **state)
{
	struct pp_topology t = topo(SZ_2G, 60 * SZ_1G, PP_KVER(6, 12, 95));
	struct pp_plan_opts o = { 0 };
	struct pp_dax dax[3];
	struct pp_cxl_region c = { .dev = "region0", .mode = PP_CXL_RAM,
		.start = 0x1410000000ULL, .size = 4 * SZ_1G, .ways = 1,
		.decoder = "decoder0.0", .window_start = 0x1410000000ULL,
		.window_size = 4 * SZ_1G, .dax = dax, .nr_dax = 1 };
	struct pp_consent force = { .force = true }, none = { 0 };
	struct pp_plan plan;
	char err[256];

	(void)state;
	t.cxl = &c;
	t.nr_cxl = 1;
	/* the kernel's layout: one device, kmem, Normal */
	cxl_dax(&dax[0], "dax0.0", c.start, c.size, PP_DAX_SYSTEM_RAM, 1,
		"Normal");
	plan_ok(&t, &o, &plan);
	assert_false(plan.cxl[0].as_planned);
	assert_string_equal(plan.cxl[0].busy, "");
	assert_true(pp_plan_has_ops(&plan));
	assert_int_equal(pp_apply_consent(&plan, &none, err, sizeof(err)), 0);
	pp_plan_free(&plan);

	/* apply's: head and tail devdax, the middle kmem online Movable */
	cxl_dax(&dax[0], "dax0.0", 0x1480000000ULL, 2 * SZ_1G,
		PP_DAX_SYSTEM_RAM, 1, "Movable");
	cxl_dax(&dax[1], "dax0.1", c.start, 1792ULL << 20, PP_DAX_DEVDAX, 0,
		"");
	cxl_dax(&dax[2], "dax0.2", 0x1500000000ULL, 256ULL << 20,
		PP_DAX_DEVDAX, 0, "");
	c.nr_dax = 3;
	plan_ok(&t, &o, &plan);
	assert_true(plan.cxl[0].as_planned);
	assert_false(pp_plan_has_ops(&plan));
	pp_plan_free(&plan);

	/* measured System RAM elsewhere than the device: not as planned */
	dax[0].kmem_start = 0x1480000000ULL;
	dax[0].kmem_end = 0x1480000000ULL + SZ_1G;
	plan_ok(&t, &o, &plan);
	assert_false(plan.cxl[0].as_planned);
	pp_plan_free(&plan);
	dax[0].kmem_start = dax[0].kmem_end = PP_UNKNOWN;

	/* another zone: re-made, and the devdax devices need --force */
	o.zone = PP_ZONE_NORMAL;
	plan_ok(&t, &o, &plan);
	assert_false(plan.cxl[0].as_planned);
	assert_string_equal(plan.cxl[0].busy, "dax0.1");
	assert_int_equal(pp_apply_consent(&plan, &none, err, sizeof(err)),
			 -EPERM);
	assert_non_null(strstr(err, "CXL region0"));
	assert_non_null(strstr(err, "--force"));
	assert_int_equal(pp_apply_consent(&plan, &force, err, sizeof(err)), 0);
	pp_plan_free(&plan);

	/* an extra device with a size: not as planned */
	o.zone = PP_ZONE_MOVABLE;
	c.nr_dax = 2;
	plan_ok(&t, &o, &plan);
	assert_false(plan.cxl[0].as_planned);
	pp_plan_free(&plan);
}

/*
 * Free CXL ram capacity (issue 13): the region a memdev's free ram would
 * make is placed as alloc_hpa()'s alloc_free_mem_region() does (lowest
 * 256 MiB-aligned free range of the window, ascending) and sized to the
 * smaller of the free DPA and the largest free range; its layout is the
 * one of an existing region at that place (test-cxl.sh ram-big measured
 * the kernel's region at 0x1410000000, 4 GiB, kmem 0x1480000000-
 * 0x14ffffffff).
 */
static void cxl_free(void **state)
{
	struct pp_topology t = topo(SZ_2G, 60 * SZ_1G, PP_KVER(6, 12, 95));
	struct pp_plan_opts o = { 0 };
	const uint64_t ws = 0x1410000000ULL;
	struct pp_cxl_free f = { .memdev = "mem0", .endpoint = "decoder2.0",
		.ram_size = 4 * SZ_1G, .ram_free = 4 * SZ_1G,
		.decoder = "decoder0.0", .window_start = ws,
		.window_size = 4 * SZ_1G };
	struct pp_cxl_region c[3] = {
		{ .dev = "region0", .mode = PP_CXL_RAM, .start = ws,
		  .size = 4 * SZ_1G, .ways = 1, .decoder = "decoder0.0",
		  .window_start = ws, .window_size = 4 * SZ_1G },
	};
	const struct pp_cxl_plan *cp, *fl;
	struct pp_plan plan, real;
	uint64_t start = 0, size = 0;
	unsigned int i;

	(void)state;
	snprintf(t.plat.auto_online_blocks, sizeof(t.plat.auto_online_blocks),
		 "online");
	t.cxl_free = &f;
	t.nr_cxl_free = 1;
	plan_ok(&t, &o, &plan);
	assert_int_equal(plan.nr_cxl, 0);
	assert_int_equal(plan.nr_cxl_free, 1);
	assert_int_equal(plan.cxl_free[0].place, 0);
	assert_int_equal(plan.cxl_free[0].start, ws);
	assert_int_equal(plan.cxl_free[0].size, 4 * SZ_1G);
	fl = &plan.cxl_free[0].layout;
	/* the same layout as the region the kernel made there */
	t.cxl = c;
	t.nr_cxl = 1;
	t.nr_cxl_free = 0;
	plan_ok(&t, &o, &real);
	cp = &real.cxl[0];
	assert_int_equal(fl->nr_dev, 3);
	assert_int_equal(fl->nr_dev, cp->nr_dev);
	for (i = 0; i < fl->nr_dev; i++) {
		assert_int_equal(fl->dev[i].start, cp->dev[i].start);
		assert_int_equal(fl->dev[i].size, cp->dev[i].size);
		assert_int_equal(fl->dev[i].kmem, cp->dev[i].kmem);
	}
	assert_int_equal(fl->dev[1].start, 0x1480000000ULL);
	assert_int_equal(fl->dev[1].size, 2 * SZ_1G);
	assert_int_equal(fl->kmem, cp->kmem);
	assert_int_equal(fl->default_kmem, 2 * SZ_1G);
	assert_int_equal(fl->default_lost, cp->default_lost);
	assert_int_equal(fl->devdax, cp->devdax);
	assert_int_equal(fl->lost, cp->lost);
	assert_int_equal(fl->ram_gain, cp->ram_gain);
	assert_int_equal(fl->bound, cp->bound);
	assert_false(fl->as_planned);
	assert_int_equal(fl->nr_advice, 2);
	assert_non_null(strstr(fl->advice[0], "mem0's region"));
	pp_plan_free(&real);
	pp_plan_free(&plan);

	/*
	 * Regions at [ws, ws + 1G) and [ws + 2G, ws + 3G): free ranges of
	 * 1 GiB each; 1.5 GiB of DPA makes 1 GiB, in the lower one.  A
	 * region of another window is not in the way.
	 */
	c[0].size = SZ_1G;
	c[1] = c[0];
	c[1].start = ws + 2 * SZ_1G;
	snprintf(c[1].dev, sizeof(c[1].dev), "region1");
	c[2] = c[0];
	c[2].start = ws + SZ_1G;
	snprintf(c[2].decoder, sizeof(c[2].decoder), "decoder0.1");
	t.nr_cxl = 3;
	f.ram_free = 3 * SZ_512M;
	assert_int_equal(pp_cxl_free_place(&t, &f, &start, &size), 0);
	assert_int_equal(start, ws + SZ_1G);
	assert_int_equal(size, SZ_1G);
	/* 768 MiB: fits below region1, the lowest place */
	f.ram_free = 3 * SZ_256M + SZ_2M;
	assert_int_equal(pp_cxl_free_place(&t, &f, &start, &size), 0);
	assert_int_equal(start, ws + SZ_1G);
	assert_int_equal(size, 3 * SZ_256M);
	/* less than 256 MiB of DPA: nothing */
	f.ram_free = SZ_128M;
	assert_int_equal(pp_cxl_free_place(&t, &f, &start, &size), -ENOSPC);
	/* a full window: nothing */
	f.ram_free = SZ_1G;
	c[0].size = 4 * SZ_1G;
	t.nr_cxl = 1;
	assert_int_equal(pp_cxl_free_place(&t, &f, &start, &size), -ENOSPC);
	/* an address unknown (as nobody): unknown */
	c[0].start = PP_UNKNOWN;
	assert_int_equal(pp_cxl_free_place(&t, &f, &start, &size), -ENXIO);
	t.nr_cxl = 0;
	f.window_start = PP_UNKNOWN;
	assert_int_equal(pp_cxl_free_place(&t, &f, &start, &size), -ENXIO);
	t.cxl = NULL;
	t.cxl_free = &f;
	t.nr_cxl_free = 1;
	plan_ok(&t, &o, &plan);
	assert_true(plan.cxl_free[0].layout.unknown);
	assert_int_equal(plan.cxl_free[0].place, -ENXIO);
	pp_plan_free(&plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_labelled_spacer),
		cmocka_unit_test(arm64_16k_fresh),
		cmocka_unit_test(forty_gib),
		cmocka_unit_test(small_dram),
		cmocka_unit_test(devdax_dram_budget),
		cmocka_unit_test(memmap_auto_ppc64),
		cmocka_unit_test(memmap_auto_x86_tie),
		cmocka_unit_test(carveout_advice),
		cmocka_unit_test(existing),
		cmocka_unit_test(free_raw_reused_for_a_gain),
		cmocka_unit_test(init_labels),
		cmocka_unit_test(size_option),
		cmocka_unit_test(too_small),
		cmocka_unit_test(cxl_ram),
		cmocka_unit_test(cxl_as_planned),
		cmocka_unit_test(cxl_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
