// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting of "show": the free extents of a region (the one
 * computation the planner shares, lib/model/extents.c) with namespaces at
 * various places and alignments, and the report on every snapshot under
 * tests/snapshots: every byte of a region counted once, the losses of a
 * namespace adding up to what it does not hot-plug.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "account/account.h"
#include "planner/planner.h"
#include "snapshot/snapshot.h"
#include "topology/whatif.h"
#include "util/util.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#define BASE 0x100000000ULL

static struct pp_namespace nss[4];

static struct pp_region region(uint64_t start, uint64_t size, uint64_t align)
{
	struct pp_region r = { .start = start, .size = size, .align = align,
			       .ways = 1, .labelled = true, .ns = nss };

	memset(nss, 0, sizeof(nss));
	snprintf(r.dev, sizeof(r.dev), "region0");
	return r;
}

static void add_ns(struct pp_region *r, uint64_t start, uint64_t size)
{
	struct pp_namespace *ns = &nss[r->nr_ns];

	snprintf(ns->dev, sizeof(ns->dev), "namespace0.%u", r->nr_ns);
	ns->start = start;
	ns->size = size;
	r->nr_ns++;
}

/* pp_region_free_extents() gives exactly the n extents ext[2 * n]. */
static void expect_free(const struct pp_region *r, unsigned int n,
			const uint64_t *ext)
{
	struct pp_extent *free_ext;
	unsigned int nr, i;

	assert_int_equal(pp_region_free_extents(r, &free_ext, &nr), 0);
	assert_int_equal(nr, n);
	if (!n)
		assert_null(free_ext);
	for (i = 0; i < n; i++) {
		assert_int_equal(free_ext[i].start, ext[2 * i]);
		assert_int_equal(free_ext[i].end, ext[2 * i + 1]);
	}
	free(free_ext);
}

static void free_empty_region(void **state)
{
	struct pp_region r = region(BASE, GiB(4), SZ_16M);
	const uint64_t whole[] = { BASE, BASE + GiB(4) };

	(void)state;
	expect_free(&r, 1, whole);
	/* no align read: the kernel's default, 16 MiB */
	r.align = PP_UNKNOWN;
	expect_free(&r, 1, whole);
}

static void free_around_namespaces(void **state)
{
	struct pp_region r = region(BASE, GiB(4), SZ_16M);
	const uint64_t after_first[] = { BASE + GiB(1), BASE + GiB(4) };
	const uint64_t between[] = { BASE + GiB(1), BASE + GiB(2),
				     BASE + GiB(3), BASE + GiB(4) };
	const uint64_t before_last[] = { BASE, BASE + GiB(3) };

	(void)state;
	add_ns(&r, BASE, GiB(1));
	expect_free(&r, 1, after_first);
	add_ns(&r, BASE + GiB(2), GiB(1));
	expect_free(&r, 2, between);
	/* the order of the namespaces does not matter */
	nss[2] = nss[0];
	nss[0] = nss[1];
	nss[1] = nss[2];
	expect_free(&r, 2, between);

	r = region(BASE, GiB(4), SZ_16M);
	add_ns(&r, BASE + GiB(3), GiB(1));
	expect_free(&r, 1, before_last);
	/* full: nothing free */
	add_ns(&r, BASE, GiB(3));
	expect_free(&r, 0, NULL);
}

/* space_valid(): each hole trimmed to the region align from its start */
static void free_trimmed_to_align(void **state)
{
	struct pp_region r = region(BASE, GiB(1), SZ_16M);
	const uint64_t around[] = { BASE, BASE + MiB(96),
				    BASE + MiB(160), BASE + GiB(1) };
	const uint64_t at_2m[] = { BASE, BASE + MiB(100),
				   BASE + MiB(150), BASE + GiB(1) };
	const uint64_t off[] = { BASE + MiB(2), BASE + MiB(18),
				 BASE + MiB(34), BASE + MiB(2) + GiB(1) };

	(void)state;
	/* [100M, 150M): the holes shrink to 96M and from 160M */
	add_ns(&r, BASE + MiB(100), MiB(50));
	expect_free(&r, 2, around);
	r.align = SZ_2M;
	expect_free(&r, 2, at_2m);

	/* an unaligned region start: aligned from the region, not from 0 */
	r = region(BASE + MiB(2), GiB(1), SZ_16M);
	add_ns(&r, BASE + MiB(2) + MiB(20), MiB(10));
	expect_free(&r, 2, off);
}

/* holes smaller than a dax-capable namespace (16 MiB) are stranded */
static void free_small_holes_left_out(void **state)
{
	struct pp_region r = region(BASE, GiB(1), SZ_2M);
	const uint64_t big[] = { BASE + MiB(40), BASE + GiB(1) };
	struct pp_extent *holes;
	unsigned int nr;

	(void)state;
	add_ns(&r, BASE, MiB(16));
	add_ns(&r, BASE + MiB(24), MiB(16));	/* 8 MiB between */
	expect_free(&r, 1, big);
	/* the planner's view: every hole, however small */
	assert_int_equal(pp_free_extents(&r, NULL, SZ_2M, 0, &holes, &nr), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(holes[0].start, BASE + MiB(16));
	assert_int_equal(holes[0].end, BASE + MiB(24));
	free(holes);
}

/* the planner's view: the space of namespaces it will destroy is free */
static void free_with_namespaces_gone(void **state)
{
	struct pp_region r = region(BASE, GiB(4), SZ_16M);
	bool gone[3] = { false, true, false };
	struct pp_extent *holes;
	unsigned int nr;

	(void)state;
	add_ns(&r, BASE, GiB(1));
	add_ns(&r, BASE + GiB(1), GiB(1));
	add_ns(&r, BASE + GiB(3), GiB(1));
	assert_int_equal(pp_free_extents(&r, gone, SZ_16M, 0, &holes, &nr),
			 0);
	assert_int_equal(nr, 1);
	assert_int_equal(holes[0].start, BASE + GiB(1));
	assert_int_equal(holes[0].end, BASE + GiB(3));
	free(holes);
	/* a namespace that stays with an unknown start: no extents */
	nss[2].start = PP_UNKNOWN;
	assert_int_equal(pp_free_extents(&r, gone, SZ_16M, 0, &holes, &nr),
			 -EINVAL);
	assert_null(holes);
	assert_int_equal(nr, 0);
	/* one that goes may have an unknown start */
	nss[2].start = BASE + GiB(3);
	nss[1].start = PP_UNKNOWN;
	assert_int_equal(pp_free_extents(&r, gone, SZ_16M, 0, &holes, &nr),
			 0);
	assert_int_equal(nr, 1);
	free(holes);
}

/* show cannot say where the free space is without the addresses */
static void free_unknown(void **state)
{
	struct pp_region r = region(BASE, GiB(4), SZ_16M);

	(void)state;
	add_ns(&r, BASE, GiB(1));
	nss[0].start = PP_UNKNOWN;
	expect_free(&r, 0, NULL);
	r = region(PP_UNKNOWN, GiB(4), SZ_16M);
	expect_free(&r, 0, NULL);
	/* label-less: one io namespace, nothing to allocate from */
	r = region(BASE, GiB(4), PP_UNKNOWN);
	r.labelled = false;
	expect_free(&r, 0, NULL);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

/* Every byte of each region once; each namespace's losses add up. */
static void check_report(const char *name, const struct pp_topology *t,
			 const struct pp_report *rep)
{
	uint64_t capacity = 0, kmem = 0, stranded = 0, free_bytes = 0;
	uint64_t usable = 0, kmem_ready = 0, kmem_ready_all = 0;
	unsigned int i, j;

	assert_int_equal(rep->nr_regions, t->nr_regions);
	for (i = 0; i < rep->nr_regions; i++) {
		const struct pp_region_report *rr = &rep->regions[i];
		const struct pp_region *r = &t->regions[i];
		const struct pp_loss *rl = &rr->loss;
		uint64_t ns_bytes = 0, free_ext = 0, loss = 0;

		print_message("%s %s: capacity %llu kmem %llu usable %llu free %llu stranded %llu\n",
			      name, r->dev, (unsigned long long)rr->capacity,
			      (unsigned long long)rr->kmem,
			      (unsigned long long)rr->usable,
			      (unsigned long long)rr->free_bytes,
			      (unsigned long long)rr->stranded);
		assert_int_equal(rr->capacity, r->size);
		/* kmem, usable, free and stranded: the whole, once */
		assert_true(rr->kmem + rr->usable + rr->free_bytes <=
			    rr->capacity);
		assert_int_equal(rr->kmem + rr->usable + rr->free_bytes +
				 rr->stranded, rr->capacity);
		assert_true(rr->kmem <= rr->bound || !rr->addresses);
		for (j = 0; j < r->nr_ns; j++) {
			const struct pp_ns_report *nr = &rr->ns[j];
			const struct pp_loss *l = &nr->loss;

			ns_bytes += r->ns[j].size;
			if (r->ns[j].mode != PP_MODE_DEVDAX)
				continue;
			loss += l->total;
			if (nr->source == PP_KMEM_UNKNOWN)
				continue;
			/* what is not hot-plugged is lost, by cause */
			assert_int_equal(nr->bytes + l->total, r->ns[j].size);
			assert_int_equal(l->info_block + l->memmap +
					 l->head_gap + l->tail_gap +
					 l->end_trunc + l->refused, l->total);
			/* kmem lies inside its dax device */
			if (nr->bytes && r->ns[j].dax &&
			    r->ns[j].dax->start != PP_UNKNOWN) {
				assert_true(nr->kmem_start >=
					    r->ns[j].dax->start);
				assert_true(nr->kmem_end <=
					    r->ns[j].dax->start +
					    r->ns[j].dax->size);
			}
			kmem_ready += nr->bytes;
			assert_int_equal(nr->blocks * t->plat.block_size.value,
					 nr->bytes);
			assert_true(nr->ram_gain <= nr->bytes);
		}
		assert_true(ns_bytes <= rr->capacity);
		/* the region's loss is its devdax namespaces', by cause */
		assert_int_equal(loss, rl->total);
		assert_int_equal(rl->info_block + rl->memmap + rl->head_gap +
				 rl->tail_gap + rl->end_trunc + rl->refused,
				 rl->total);
		/* hot-plugged now, and once every devdax one is bound */
		assert_int_equal(rr->kmem_ready, kmem_ready);
		assert_true(rr->kmem <= rr->kmem_ready);
		kmem_ready_all += kmem_ready;
		kmem_ready = 0;
		for (j = 0; j < rr->nr_free; j++) {
			assert_true(rr->free[j].end - rr->free[j].start >=
				    PP_MIN_DAX_NAMESPACE);
			free_ext += rr->free[j].end - rr->free[j].start;
		}
		if (rr->addresses)
			assert_int_equal(free_ext, rr->free_bytes);
		capacity += rr->capacity;
		kmem += rr->kmem;
		stranded += rr->stranded;
		free_bytes += rr->free_bytes;
		usable += rr->usable;
	}
	assert_int_equal(rep->capacity, capacity);
	assert_int_equal(rep->kmem, kmem);
	assert_int_equal(rep->stranded, stranded);
	assert_int_equal(rep->free_bytes, free_bytes);
	assert_int_equal(rep->usable, usable);
	assert_int_equal(rep->kmem + rep->usable + rep->free_bytes +
			 rep->stranded, rep->capacity);
	assert_int_equal(rep->kmem_ready, kmem_ready_all);
	/* the snapshots are of real kernels: the model matches them, and
	 * a what-if is never a model error */
	assert_false(rep->model_error);
}

/*
 * The what-ifs that change what nd_pfn_init() would write: each snapshot
 * read again as if its kernel were another one.
 */
static const struct pp_whatif snapshot_whatifs[] = {
	{ .page_size = SZ_64K },
	{ .page_size = SZ_4K },
	{ .arch = "aarch64", .page_size = SZ_64K },
	{ .arch = "aarch64", .page_size = 16384 },
	{ .arch = "ppc64le" },
	{ .block_size = 1ULL << 30 },
	{ .kernel = "5.10", .arch = "aarch64" },
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void report_on_snapshots(void **state)
{
	const char *dir = PP_SRCDIR "/tests/snapshots";
	char *names[64], path[4096], err[256];
	unsigned int n = 0, i, w;
	struct dirent *de;
	DIR *d = opendir(dir);

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) && n < 64) {
		size_t len = strlen(de->d_name);

		if (len > 5 && !strcmp(de->d_name + len - 5, ".json"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	assert_true(n >= 10);
	qsort(names, n, sizeof(names[0]), by_name);
	for (i = 0; i < n; i++) {
		struct pp_topology t;
		struct pp_report rep;
		size_t len = 0;
		char *text;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		text = slurp(path, &len);
		assert_non_null(text);
		if (pp_snapshot_parse(text, len, &t, err, sizeof(err)))
			fail_msg("%s: %s", names[i], err);
		assert_int_equal(pp_report_build(&t, &rep), 0);
		check_report(names[i], &t, &rep);
		pp_report_free(&rep);
		pp_topology_free(&t);
		for (w = 0; w < ARRAY_SIZE(snapshot_whatifs); w++) {
			assert_int_equal(pp_snapshot_parse(text, len, &t, err,
							   sizeof(err)), 0);
			pp_whatif_apply(&t, &snapshot_whatifs[w]);
			assert_int_equal(pp_report_build(&t, &rep), 0);
			check_report(names[i], &t, &rep);
			pp_report_free(&rep);
			pp_topology_free(&t);
		}
		free(text);
		free(names[i]);
	}
}

static void report_of(const char *snapshot, const struct pp_whatif *w,
		      struct pp_topology *t, struct pp_report *rep)
{
	char path[4096], err[256];
	size_t len = 0;
	char *text;

	snprintf(path, sizeof(path), PP_SRCDIR "/tests/snapshots/%s",
		 snapshot);
	text = slurp(path, &len);
	assert_non_null(text);
	assert_int_equal(pp_snapshot_parse(text, len, t, err, sizeof(err)),
			 0);
	free(text);
	pp_whatif_apply(t, w);
	assert_int_equal(pp_report_build(t, rep), 0);
}

/*
 * nd_pfn_validate() reads the info block a 4 KiB kernel wrote: a 64 KiB
 * kernel keeps its data offset (18 MiB for the 1 GiB map=dev namespace,
 * not the 2 MiB it would write now), so kmem starts where the dax device
 * does; a 2 MiB devdax align is no 64 KiB kernel's (64K or 512M on arm64):
 * "init failed, alignment mismatch".
 */
static void whatif_keeps_info_block(void **state)
{
	struct pp_whatif w = { .page_size = SZ_64K };
	const struct pp_ns_report *nr;
	struct pp_topology t;
	struct pp_report rep;

	(void)state;
	report_of("x86-mixed-modes.json", &w, &t, &rep);
	assert_false(rep.model_error);
	/* fsdax map=dev: no align check, the page size may grow */
	nr = &rep.regions[0].ns[0];
	assert_false(nr->model_error);
	assert_null(nr->refused);
	/* devdax 2 MiB align: refused, all of it lost, by that cause */
	nr = &rep.regions[0].ns[1];
	assert_non_null(nr->refused);
	assert_int_equal(nr->bytes, 0);
	assert_int_equal(nr->loss.refused, GiB(1));
	assert_int_equal(nr->loss.total, GiB(1));
	pp_report_free(&rep);
	pp_topology_free(&t);

	/* a block-size what-if keeps the page size: the measured data
	 * offset is still checked, and kmem comes from the dax device */
	w = (struct pp_whatif){ .block_size = 1ULL << 30 };
	report_of("x86-mixed-modes.json", &w, &t, &rep);
	assert_false(rep.model_error);
	nr = &rep.regions[0].ns[2];
	assert_int_equal(nr->kmem_start, 0x180000000ULL);
	assert_int_equal(nr->bytes, GiB(1));
	pp_report_free(&rep);
	pp_topology_free(&t);
}

/*
 * The planner keeps existing namespaces as show reports them (one
 * function, pp_account_existing_ns()): under 64 KiB pages the two devdax
 * namespaces bound to kmem (1 GiB and 1.5 GiB, 2 MiB align) are refused by
 * the what-if kernel, so the plan counts no kmem for them and strands
 * them, and its 640 MiB come from the namespace it creates in the free
 * space alone (before, it counted 2.9 GiB of kmem).
 */
static void plan_keeps_what_show_reports(void **state)
{
	struct pp_whatif w = { .page_size = SZ_64K };
	struct pp_plan_opts o = { .keep = true };
	const struct pp_region_plan *rp;
	struct pp_topology t;
	struct pp_report rep;
	struct pp_plan plan;
	uint64_t created = 0, refused = 0;
	char err[256];
	unsigned int i;

	(void)state;
	report_of("x86-mixed-modes.json", &w, &t, &rep);
	assert_int_equal(rep.kmem, 0);
	assert_int_equal(pp_plan_build(&t, &o, &plan, err, sizeof(err)), 0);
	rp = &plan.regions[0];
	for (i = 0; i < rp->nr_ops; i++)
		if (rp->ops[i].kind == PP_OP_CREATE &&
		    rp->ops[i].role == PP_ROLE_KMEM)
			created += rp->ops[i].size;
	for (i = 0; i < rep.regions[0].r->nr_ns; i++)
		if (rep.regions[0].ns[i].refused)
			refused += rep.regions[0].ns[i].ns->size;
	assert_int_equal(refused, GiB(2) + GiB(1) / 2);
	assert_int_equal(rp->predicted.kmem, 640ULL << 20);
	assert_true(rp->predicted.kmem < created);
	assert_true(rp->predicted.stranded >= refused);
	pp_plan_free(&plan);
	pp_report_free(&rep);
	pp_topology_free(&t);
}

/* A map=dev info block written with 64 KiB pages, read with 4 KiB ones:
 * "init failed, page size mismatch" (PFN_MODE_PMEM only). */
static void whatif_smaller_pages_refused(void **state)
{
	struct pp_whatif w = { .page_size = SZ_4K };
	const struct pp_ns_report *nr;
	struct pp_topology t;
	struct pp_report rep;

	(void)state;
	report_of("arm64-64k.json", &w, &t, &rep);
	nr = &rep.regions[0].ns[0];
	assert_false(rep.model_error);
	assert_non_null(nr->refused);
	assert_non_null(strstr(nr->refused, "page size mismatch"));
	assert_int_equal(nr->loss.refused, nr->ns->size);
	assert_int_equal(rep.kmem_ready, 0);
	pp_report_free(&rep);
	pp_topology_free(&t);

	/* map=mem allocates its memmap at run time: no page-size check */
	report_of("ppc64-64k.json", &w, &t, &rep);
	nr = &rep.regions[0].ns[0];
	assert_null(nr->refused);
	assert_false(rep.model_error);
	assert_true(nr->bytes > 0);
	pp_report_free(&rep);
	pp_topology_free(&t);
}

/*
 * CXL ram (test-cxl.sh's snapshots): with 2 GiB blocks the 4 GiB region
 * at 0x1410000000 holds 2 GiB of kmem and loses 1.75 GiB + 256 MiB, as
 * /proc/iomem said; before kmem binds the same, predicted; every byte of
 * the region is kmem or lost by one cause.  A region without its dax
 * region (dax_cxl not loaded) is lost whole.
 */
static void cxl_ram_report(void **state)
{
	struct pp_whatif none = { 0 };
	const struct pp_cxl_report *cr;
	struct pp_topology t;
	struct pp_report rep;

	(void)state;
	report_of("x86-612-cxl-ram-2g-blocks.json", &none, &t, &rep);
	assert_int_equal(rep.nr_cxl, 1);
	cr = &rep.cxl[0];
	assert_int_equal(cr->source, PP_KMEM_MEASURED);
	assert_int_equal(cr->kmem, GiB(2));
	assert_int_equal(cr->bound, GiB(2));
	assert_int_equal(cr->head_gap, MiB(1792));
	assert_int_equal(cr->tail_gap, MiB(256));
	assert_int_equal(cr->kmem + cr->lost, cr->capacity);
	assert_int_equal(cr->window_head, MiB(1792));
	assert_false(cr->model_error);
	/* nvdimm totals are untouched by CXL memory */
	assert_int_equal(rep.capacity, 0);
	assert_int_equal(rep.kmem, 0);
	pp_report_free(&rep);
	pp_topology_free(&t);

	report_of("x86-612-cxl-ram-before-kmem.json", &none, &t, &rep);
	cr = &rep.cxl[0];
	assert_int_equal(cr->source, PP_KMEM_PREDICTED);
	assert_int_equal(cr->kmem, 0);
	assert_int_equal(cr->kmem_if_bound, GiB(1));
	assert_int_equal(cr->mom_bytes, MiB(16));
	assert_int_equal(cr->dax[0].acc.ram_gain, MiB(1008));
	pp_report_free(&rep);

	free(t.cxl[0].dax);
	t.cxl[0].dax = NULL;
	t.cxl[0].nr_dax = 0;
	assert_int_equal(pp_report_build(&t, &rep), 0);
	assert_int_equal(rep.cxl[0].lost, GiB(1));
	assert_int_equal(rep.cxl[0].unassigned, GiB(1));
	pp_report_free(&rep);
	pp_topology_free(&t);
}

/* Before binding: nothing hot-plugged now, 2.2 GiB once bound. */
static void totals_before_binding(void **state)
{
	struct pp_whatif none = { 0 };
	struct pp_topology t;
	struct pp_report rep;

	(void)state;
	report_of("x86-mixed-before-kmem.json", &none, &t, &rep);
	assert_int_equal(rep.kmem, 0);
	assert_int_equal(rep.kmem_ready, MiB(896) + MiB(1408));
	pp_report_free(&rep);
	pp_topology_free(&t);
	report_of("x86-mixed-modes.json", &none, &t, &rep);
	assert_int_equal(rep.kmem, rep.kmem_ready);
	pp_report_free(&rep);
	pp_topology_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(free_empty_region),
		cmocka_unit_test(free_around_namespaces),
		cmocka_unit_test(free_trimmed_to_align),
		cmocka_unit_test(free_small_holes_left_out),
		cmocka_unit_test(free_with_namespaces_gone),
		cmocka_unit_test(free_unknown),
		cmocka_unit_test(report_on_snapshots),
		cmocka_unit_test(whatif_keeps_info_block),
		cmocka_unit_test(whatif_smaller_pages_refused),
		cmocka_unit_test(plan_keeps_what_show_reports),
		cmocka_unit_test(totals_before_binding),
		cmocka_unit_test(cxl_ram_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
