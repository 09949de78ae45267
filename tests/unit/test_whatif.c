// SPDX-License-Identifier: GPL-2.0
/*
 * What-if (lib/topology/whatif.c): the values --block-size, --page-size,
 * --arch, --kernel, --auto-online and --memmap-on-memory accept, the overrides and the facts derived again
 * from them, measured kmem forgotten, and the -r region filter.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "model/model.h"
#include "topology/whatif.h"
#include "util/util.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

static int parse(enum pp_whatif_key key, const char *arg,
		 struct pp_whatif *w, char *err, size_t len)
{
	err[0] = '\0';
	return pp_whatif_parse(w, key, arg, err, len);
}

static void parse_sizes(void **state)
{
	struct pp_whatif w = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(PP_WHATIF_BLOCK_SIZE, "2G", &w, err,
			       sizeof(err)), 0);
	assert_int_equal(w.block_size, GiB(2));
	assert_int_equal(parse(PP_WHATIF_PAGE_SIZE, "64K", &w, err,
			       sizeof(err)), 0);
	assert_int_equal(w.page_size, SZ_64K);
	/* the bounds: 16 MiB to 1 TiB blocks, 4 to 64 KiB pages */
	assert_int_equal(parse(PP_WHATIF_BLOCK_SIZE, "16M", &w, err,
			       sizeof(err)), 0);
	assert_int_equal(parse(PP_WHATIF_BLOCK_SIZE, "8M", &w, err,
			       sizeof(err)), -ERANGE);
	assert_string_equal(err,
			    "--block-size=8M: must be a power of two from 16 MiB to 1 TiB");
	assert_int_equal(w.block_size, MiB(16));	/* unchanged */
	assert_int_equal(parse(PP_WHATIF_BLOCK_SIZE, "3G", &w, err,
			       sizeof(err)), -ERANGE);
	assert_int_equal(parse(PP_WHATIF_PAGE_SIZE, "128K", &w, err,
			       sizeof(err)), -ERANGE);
	assert_string_equal(err,
			    "--page-size=128K: must be a power of two from 4 KiB to 64 KiB");
	assert_int_equal(parse(PP_WHATIF_BLOCK_SIZE, "lots", &w, err,
			       sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "--block-size=lots: not a size (examples: 128M, 2G, 0x8000000)");
	assert_int_equal(parse(PP_WHATIF_BLOCK_SIZE,
			       "99999999999999999999999", &w, err,
			       sizeof(err)), -ERANGE);
	assert_string_equal(err,
			    "--block-size=99999999999999999999999: does not fit in 64 bits");
}

static void parse_names(void **state)
{
	struct pp_whatif w = { 0 };
	char err[256];

	(void)state;
	assert_false(pp_whatif_any(&w));
	assert_int_equal(parse(PP_WHATIF_ARCH, "aarch64", &w, err,
			       sizeof(err)), 0);
	assert_string_equal(w.arch, "aarch64");
	assert_true(pp_whatif_any(&w));
	assert_int_equal(parse(PP_WHATIF_ARCH, "vax", &w, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err,
			    "--arch=vax: unknown architecture (use x86_64, aarch64, ppc64le, riscv64, s390x or loongarch64)");
	assert_int_equal(parse(PP_WHATIF_KERNEL, "6.12.9", &w, err,
			       sizeof(err)), 0);
	assert_string_equal(w.kernel, "6.12.9");
	assert_int_equal(parse(PP_WHATIF_KERNEL, "six", &w, err,
			       sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "--kernel=six: not a kernel release (examples: 6.1, 6.12.9)");
	/* a short buffer truncates the message, never overflows */
	assert_int_equal(parse(PP_WHATIF_KERNEL, "six", &w, err, 8), -EINVAL);
	assert_string_equal(err, "--kerne");
}

/* x86_64 6.1 as probed: the block size read from sysfs, 1 GiB of RAM. */
static void probed_x86(struct pp_topology *t)
{
	struct pp_platform *p = &t->plat;

	memset(t, 0, sizeof(*t));
	p->arch = PP_ARCH_X86_64;
	p->arch_src = PP_SRC_UNAME;
	pp_strscpy(p->kernel, sizeof(p->kernel), "6.1.0-30-amd64");
	p->kver = PP_KVER(6, 1, 123);
	p->kver_src = PP_SRC_UNAME;
	p->page_size = (struct pp_fact){ SZ_4K, PP_SRC_UNAME };
	p->block_size = (struct pp_fact){ MiB(128), PP_SRC_SYSFS };
	p->hpage_pmd_size = (struct pp_fact){ MiB(2), PP_SRC_SYSFS };
	p->mem_total = (struct pp_fact){ GiB(1), PP_SRC_PROC };
	pp_platform_derive(p);
}

/* One region with a devdax namespace whose kmem range was measured. */
static struct pp_dax *add_kmem(struct pp_topology *t, const char *region)
{
	struct pp_region *r = pp_topology_add_region(t);
	struct pp_namespace *ns;
	struct pp_dax *d;

	assert_non_null(r);
	pp_strscpy(r->dev, sizeof(r->dev), region);
	ns = pp_region_add_namespace(r);
	assert_non_null(ns);
	ns->mode = PP_MODE_DEVDAX;
	d = pp_namespace_add_dax(ns);
	assert_non_null(d);
	d->mode = PP_DAX_SYSTEM_RAM;
	d->kmem_start = GiB(4) + MiB(128);
	d->kmem_end = GiB(8);
	d->online_blocks = d->total_blocks = 31;
	return d;
}

/* The published arm64 case: 4 KiB pages before 5.12 have 1 GiB sections. */
static void overrides_derive_again(void **state)
{
	struct pp_whatif w = { .arch = "aarch64", .kernel = "5.10" };
	struct pp_topology t;
	struct pp_platform *p = &t.plat;

	(void)state;
	probed_x86(&t);
	assert_int_equal(p->section_size.value, MiB(128));
	assert_int_equal(p->section_size.src, PP_SRC_DERIVED);
	pp_whatif_apply(&t, &w);
	assert_int_equal(p->arch, PP_ARCH_ARM64);
	assert_int_equal(p->arch_src, PP_SRC_OVERRIDE);
	assert_string_equal(p->kernel, "5.10");
	assert_int_equal(p->kver, PP_KVER(5, 10, 0));
	assert_int_equal(p->kver_src, PP_SRC_OVERRIDE);
	/* derived again for the new platform */
	assert_int_equal(p->section_size.value, GiB(1));
	assert_int_equal(p->section_size.src, PP_SRC_DERIVED);
	/* the measured readings belonged to the old platform */
	assert_int_equal(p->block_size.src, PP_SRC_DERIVED);
	assert_int_equal(p->block_size.value, GiB(1));
	assert_int_equal(p->hpage_pmd_size.src, PP_SRC_DERIVED);
	/* what was read and has nothing to do with the arch stays */
	assert_int_equal(p->page_size.src, PP_SRC_UNAME);
	assert_int_equal(p->mem_total.value, GiB(1));
	pp_topology_free(&t);
}

static void override_block_size(void **state)
{
	struct pp_whatif w = { .block_size = GiB(2) };
	struct pp_topology t;
	struct pp_platform *p = &t.plat;

	(void)state;
	probed_x86(&t);
	pp_whatif_apply(&t, &w);
	assert_int_equal(p->block_size.value, GiB(2));
	assert_int_equal(p->block_size.src, PP_SRC_OVERRIDE);
	/* the arch and the page size stay, and with them the kernel's
	 * own reading of the PMD size */
	assert_int_equal(p->arch, PP_ARCH_X86_64);
	assert_int_equal(p->hpage_pmd_size.src, PP_SRC_SYSFS);
	assert_int_equal(p->section_size.value, MiB(128));
	pp_topology_free(&t);

	/* a block size given with --arch is kept, the sysfs one is not */
	probed_x86(&t);
	w.arch = "ppc64le";
	w.page_size = SZ_64K;
	pp_whatif_apply(&t, &w);
	assert_int_equal(p->block_size.value, GiB(2));
	assert_int_equal(p->block_size.src, PP_SRC_OVERRIDE);
	assert_int_equal(p->page_size.value, SZ_64K);
	assert_int_equal(p->page_size.src, PP_SRC_OVERRIDE);
	assert_int_equal(p->hpage_pmd_size.src, PP_SRC_DERIVED);
	pp_topology_free(&t);
}

static void measured_kmem_forgotten(void **state)
{
	struct pp_whatif none = { 0 }, w = { .page_size = SZ_64K };
	struct pp_topology t;
	struct pp_dax *d;

	(void)state;
	probed_x86(&t);
	d = add_kmem(&t, "region0");
	/* no what-if: nothing changes, no note */
	pp_whatif_apply(&t, &none);
	assert_int_equal(d->kmem_start, GiB(4) + MiB(128));
	assert_int_equal(t.nr_notes, 0);
	pp_whatif_apply(&t, &w);
	assert_int_equal(d->kmem_start, PP_UNKNOWN);
	assert_int_equal(d->kmem_end, PP_UNKNOWN);
	assert_int_equal(d->online_blocks, PP_UNKNOWN);
	assert_int_equal(d->total_blocks, PP_UNKNOWN);
	assert_int_equal(t.nr_notes, 1);
	assert_string_equal(t.notes[0],
			    "what-if: kmem is predicted for the overridden platform, not measured");
	pp_topology_free(&t);
}

static void parse_policy(void **state)
{
	struct pp_whatif w = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(parse(PP_WHATIF_AUTO_ONLINE, "online_movable", &w,
			       err, sizeof(err)), 0);
	assert_string_equal(w.auto_online, "online_movable");
	assert_true(pp_whatif_any(&w));
	assert_int_equal(parse(PP_WHATIF_AUTO_ONLINE, "movable", &w, err,
			       sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "--auto-online=movable: use offline, online, online_kernel or online_movable");
	assert_string_equal(w.auto_online, "online_movable");	/* kept */

	memset(&w, 0, sizeof(w));
	assert_int_equal(parse(PP_WHATIF_MEMMAP_ON_MEMORY, "force", &w, err,
			       sizeof(err)), 0);
	assert_string_equal(w.memmap_on_memory, "force");
	assert_true(pp_whatif_any(&w));
	assert_int_equal(parse(PP_WHATIF_MEMMAP_ON_MEMORY, "N", &w, err,
			       sizeof(err)), 0);
	/* "absent" is a kernel without the parameter: --kernel says so */
	assert_int_equal(parse(PP_WHATIF_MEMMAP_ON_MEMORY, "absent", &w, err,
			       sizeof(err)), -EINVAL);
	assert_string_equal(err, "--memmap-on-memory=absent: use N, Y or force");
	assert_int_equal(parse(PP_WHATIF_MEMMAP_ON_MEMORY, "1", &w, err,
			       sizeof(err)), -EINVAL);
}

/*
 * Debian's x86 6.12 boots with auto_online_blocks=online, its arm64 and
 * ppc64le 6.12 with offline (kernel-model.md §13): the x86 snapshot's
 * policy is not the ppc64le machine's.
 */
static void arch_derives_policy(void **state)
{
	struct pp_whatif w = { .arch = "ppc64le" };
	struct pp_topology t;
	struct pp_platform *p = &t.plat;

	(void)state;
	probed_x86(&t);
	p->kver = PP_KVER(6, 12, 95);
	pp_strscpy(p->auto_online_blocks, sizeof(p->auto_online_blocks),
		   "online");
	p->memmap_on_memory = PP_MOM_ON;
	p->memmap_on_memory_src = PP_SRC_SYSFS;
	pp_whatif_apply(&t, &w);
	assert_string_equal(p->auto_online_blocks, "offline");
	assert_int_equal(p->auto_online_src, PP_SRC_DERIVED);
	/* the boot parameter stays as read unless given */
	assert_int_equal(p->memmap_on_memory, PP_MOM_ON);
	assert_int_equal(p->memmap_on_memory_src, PP_SRC_SYSFS);
	pp_topology_free(&t);

	/* to x86 6.12: Debian's online */
	probed_x86(&t);
	w.arch = "x86_64";
	w.kernel = "6.12";
	pp_whatif_apply(&t, &w);
	assert_string_equal(p->auto_online_blocks, "online");
	pp_topology_free(&t);

	/* given, it wins over the derived one; no --arch: as read */
	probed_x86(&t);
	w = (struct pp_whatif){ .arch = "ppc64le", .auto_online = "online",
				.memmap_on_memory = "force" };
	pp_whatif_apply(&t, &w);
	assert_string_equal(p->auto_online_blocks, "online");
	assert_int_equal(p->auto_online_src, PP_SRC_OVERRIDE);
	assert_int_equal(p->memmap_on_memory, PP_MOM_FORCE);
	assert_int_equal(p->memmap_on_memory_src, PP_SRC_OVERRIDE);
	pp_topology_free(&t);

	probed_x86(&t);
	pp_strscpy(p->auto_online_blocks, sizeof(p->auto_online_blocks),
		   "online");
	w = (struct pp_whatif){ .page_size = SZ_64K };
	pp_whatif_apply(&t, &w);
	assert_string_equal(p->auto_online_blocks, "online");
	/* the page size the info blocks were written with */
	assert_int_equal(p->media_page_size, SZ_4K);
	pp_topology_free(&t);
}

/* region0, region1, region10: "1" is region1, never region10. */
static void three_regions(struct pp_topology *t)
{
	probed_x86(t);
	add_kmem(t, "region0");
	add_kmem(t, "region1");
	add_kmem(t, "region10");
}

static void keep(const char *const *names, unsigned int n,
		 const char *expect)
{
	struct pp_topology t;
	char err[128], got[64] = "";
	unsigned int i;

	three_regions(&t);
	assert_int_equal(pp_topology_keep_regions(&t, names, n, err,
						  sizeof(err)), 0);
	for (i = 0; i < t.nr_regions; i++) {
		strcat(got, i ? " " : "");
		strcat(got, t.regions[i].dev);
	}
	assert_string_equal(got, expect);
	pp_topology_free(&t);
}

static void region_filter(void **state)
{
	static const char *const zero[] = { "0" }, *const full[] = { "region0" },
		*const one[] = { "1" }, *const two[] = { "region10", "1" },
		*const twice[] = { "0", "region0" };

	(void)state;
	keep(NULL, 0, "region0 region1 region10");
	keep(zero, 1, "region0");
	keep(full, 1, "region0");
	keep(one, 1, "region1");
	/* the table's order, not the command line's */
	keep(two, 2, "region1 region10");
	keep(twice, 2, "region0");
}

/*
 * -r cxl/regionN names a CXL region (the cxl bus's names repeat the
 * nvdimm ones); -r drops the CXL regions not named and free CXL capacity
 * (in no region), so that apply -r region0 touches no CXL memory.
 */
static void region_filter_cxl(void **state)
{
	static const char *const nd[] = { "region0" },
		*const cxl[] = { "cxl/0", "region1" },
		*const full[] = { "cxl/region1" };
	struct pp_topology t;
	char err[128];

	(void)state;
	three_regions(&t);
	snprintf(pp_topology_add_cxl(&t)->dev, PP_NAME_MAX, "region0");
	snprintf(pp_topology_add_cxl(&t)->dev, PP_NAME_MAX, "region1");
	assert_non_null(pp_topology_add_cxl_free(&t));
	assert_int_equal(pp_topology_keep_regions(&t, nd, 1, err,
						  sizeof(err)), 0);
	assert_int_equal(t.nr_regions, 1);
	assert_int_equal(t.nr_cxl, 0);
	assert_int_equal(t.nr_cxl_free, 0);
	pp_topology_free(&t);

	three_regions(&t);
	snprintf(pp_topology_add_cxl(&t)->dev, PP_NAME_MAX, "region0");
	snprintf(pp_topology_add_cxl(&t)->dev, PP_NAME_MAX, "region1");
	assert_int_equal(pp_topology_keep_regions(&t, cxl, 2, err,
						  sizeof(err)), 0);
	assert_int_equal(t.nr_regions, 1);
	assert_string_equal(t.regions[0].dev, "region1");
	assert_int_equal(t.nr_cxl, 1);
	assert_string_equal(t.cxl[0].dev, "region0");
	pp_topology_free(&t);

	three_regions(&t);
	snprintf(pp_topology_add_cxl(&t)->dev, PP_NAME_MAX, "region0");
	assert_int_equal(pp_topology_keep_regions(&t, full, 1, err,
						  sizeof(err)), -ENOENT);
	assert_int_equal(t.nr_cxl, 1);
	pp_topology_free(&t);
}

static void region_filter_unknown(void **state)
{
	static const char *const names[] = { "0", "2" },
		*const prefix[] = { "regionX" }, *const empty[] = { "" };
	struct pp_topology t;
	char err[128];

	(void)state;
	three_regions(&t);
	assert_int_equal(pp_topology_keep_regions(&t, names, 2, err,
						  sizeof(err)), -ENOENT);
	assert_string_equal(err,
			    "unknown region '2': see the regions with 'pmemplan show' (a CXL region as cxl/regionN)");
	/* nothing was dropped */
	assert_int_equal(t.nr_regions, 3);
	assert_int_equal(pp_topology_keep_regions(&t, prefix, 1, err,
						  sizeof(err)), -ENOENT);
	assert_string_equal(err,
			    "unknown region 'regionX': see the regions with 'pmemplan show' (a CXL region as cxl/regionN)");
	assert_int_equal(pp_topology_keep_regions(&t, empty, 1, err,
						  sizeof(err)), -ENOENT);
	assert_int_equal(t.nr_regions, 3);
	pp_topology_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_sizes),
		cmocka_unit_test(parse_names),
		cmocka_unit_test(parse_policy),
		cmocka_unit_test(arch_derives_policy),
		cmocka_unit_test(overrides_derive_again),
		cmocka_unit_test(override_block_size),
		cmocka_unit_test(measured_kmem_forgotten),
		cmocka_unit_test(region_filter),
		cmocka_unit_test(region_filter_cxl),
		cmocka_unit_test(region_filter_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
