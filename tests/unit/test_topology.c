// SPDX-License-Identifier: GPL-2.0
/*
 * lib/topology/: the name tables (every name <-> enum round trip, the
 * aliases, the fallbacks), kernel version parsing, and the add/free
 * helpers' defaults.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "topology/topology.h"

/* ------------------------------------------------------------------ */
/* names                                                               */
/* ------------------------------------------------------------------ */

static const struct pp_name_table *const tables[] = {
	&pp_arch_names, &pp_source_names, &pp_mode_names, &pp_map_names,
	&pp_dax_mode_names, &pp_mom_names, &pp_region_kind_names,
};

/* Every value has one name, found again as that value. */
static void tables_round_trip(void **state)
{
	unsigned int i, v, w;

	(void)state;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		const struct pp_name_table *t = tables[i];

		assert_non_null(t->what);
		assert_true(t->nr > 1);
		for (v = 0; v < t->nr; v++) {
			const char *s = pp_name_of(t, v);

			assert_non_null(t->names[v]);
			assert_int_equal(pp_name_find(t, s), v);
			for (w = 0; w < v; w++)
				assert_string_not_equal(t->names[w], s);
		}
		assert_string_equal(pp_name_of(t, t->nr), "unknown");
		assert_int_equal(pp_name_find(t, "no-such-name"), -1);
		assert_int_equal(pp_name_find(t, NULL), -1);
		assert_int_equal(pp_name_find(t, ""), -1);
	}
}

/* The typed functions agree with the tables, both ways. */
static void typed_round_trip(void **state)
{
	unsigned int v;

	(void)state;
	for (v = 0; v < pp_arch_names.nr; v++)
		assert_int_equal(pp_arch_from_name(pp_arch_name(v)), v);
	for (v = 0; v < pp_mode_names.nr; v++)
		assert_int_equal(pp_mode_from_name(pp_mode_name(v)), v);
	for (v = 0; v < pp_map_names.nr; v++)
		assert_int_equal(pp_map_from_name(pp_map_name(v)), v);
	for (v = 0; v < pp_dax_mode_names.nr; v++)
		assert_int_equal(pp_dax_mode_from_name(pp_dax_mode_name(v)),
				 v);
	for (v = 0; v < pp_mom_names.nr; v++)
		assert_int_equal(pp_mom_from_name(pp_mom_name(v)), v);
	for (v = 0; v < pp_region_kind_names.nr; v++)
		assert_int_equal(pp_region_kind_from_name(
					 pp_region_kind_name(v)), (int)v);
	for (v = 0; v < pp_source_names.nr; v++)
		assert_string_equal(pp_source_name(v),
				    pp_source_names.names[v]);
}

/* The strings of the JSON contract and of the options. */
static void contract_names(void **state)
{
	(void)state;
	assert_string_equal(pp_arch_name(PP_ARCH_ARM64), "aarch64");
	assert_string_equal(pp_arch_name(PP_ARCH_PPC64), "ppc64le");
	assert_string_equal(pp_mode_name(PP_MODE_DEVDAX), "devdax");
	assert_string_equal(pp_map_name(PP_MAP_DEV), "dev");
	assert_string_equal(pp_dax_mode_name(PP_DAX_SYSTEM_RAM), "system-ram");
	assert_string_equal(pp_mom_name(PP_MOM_OFF), "N");
	assert_string_equal(pp_mom_name(PP_MOM_FORCE), "force");
	assert_string_equal(pp_region_kind_name(PP_REGION_E820), "e820");
	assert_string_equal(pp_source_name(PP_SRC_NONE), "unknown");
	assert_string_equal(pp_source_name(PP_SRC_SNAPSHOT), "snapshot");
	assert_string_equal(pp_mode_name((enum pp_ns_mode)99), "unknown");
}

/* Each bus driver's nd_desc.provider_name, as libndctl gives it. */
static void region_providers(void **state)
{
	(void)state;
	assert_int_equal(pp_region_kind_from_provider("ACPI.NFIT"),
			 PP_REGION_NFIT);
	assert_int_equal(pp_region_kind_from_provider("papr_scm"),
			 PP_REGION_PAPR_SCM);
	/* what QEMU's pseries NVDIMM gave bookworm-backports' 6.12 ppc64el */
	assert_int_equal(pp_region_kind_from_provider(
				 "ibm,persistent-memory:ibm,pmemory@90000000"),
			 PP_REGION_PAPR_SCM);
	assert_int_equal(pp_region_kind_from_provider("e820"),
			 PP_REGION_E820);
	assert_int_equal(pp_region_kind_from_provider("virtio-pmem"),
			 PP_REGION_VIRTIO);
	assert_int_equal(pp_region_kind_from_provider("of_pmem"),
			 PP_REGION_OF_PMEM);
	assert_int_equal(pp_region_kind_from_provider("CXL"), PP_REGION_CXL);
	assert_int_equal(pp_region_kind_from_provider("nfit_test.1"),
			 PP_REGION_NFIT_TEST);
	assert_int_equal(pp_region_kind_from_provider("hyperv"),
			 PP_REGION_OTHER);
	assert_int_equal(pp_region_kind_from_provider(NULL), PP_REGION_OTHER);
	assert_string_equal(pp_region_kind_name(PP_REGION_PAPR_SCM),
			    "papr_scm");
	/* documents from before the providers were told apart */
	assert_int_equal(pp_region_kind_from_name("nfit"), PP_REGION_NFIT);
}

/* uname -m spellings, and the zero value (or -1) for the rest */
static void aliases_and_fallbacks(void **state)
{
	(void)state;
	assert_int_equal(pp_arch_from_name("arm64"), PP_ARCH_ARM64);
	assert_int_equal(pp_arch_from_name("amd64"), PP_ARCH_X86_64);
	assert_int_equal(pp_arch_from_name("ppc64"), PP_ARCH_PPC64);
	assert_int_equal(pp_name_find(&pp_arch_names, "arm64"),
			 PP_ARCH_ARM64);
	assert_int_equal(pp_arch_from_name("vax"), PP_ARCH_UNKNOWN);
	assert_int_equal(pp_arch_from_name(NULL), PP_ARCH_UNKNOWN);
	/* aliases are the arch table's only */
	assert_int_equal(pp_name_find(&pp_mode_names, "arm64"), -1);
	assert_int_equal(pp_mode_from_name("Devdax"), PP_MODE_UNKNOWN);
	assert_int_equal(pp_map_from_name("x"), PP_MAP_NONE);
	assert_int_equal(pp_dax_mode_from_name("x"), PP_DAX_DISABLED);
	assert_int_equal(pp_mom_from_name("y"), PP_MOM_ABSENT);
	assert_int_equal(pp_region_kind_from_name("x"), -1);
	assert_int_equal(pp_region_kind_from_name(NULL), -1);
}

/* The lists the snapshot reader's messages give. */
static void name_lists(void **state)
{
	char buf[128];

	(void)state;
	pp_name_list(&pp_mode_names, buf, sizeof(buf));
	assert_string_equal(buf, "raw, fsdax, devdax or sector");
	pp_name_list(&pp_arch_names, buf, sizeof(buf));
	assert_string_equal(buf, "x86_64, aarch64, ppc64le, riscv64, s390x "
			    "or loongarch64");
	pp_name_list(&pp_mom_names, buf, sizeof(buf));
	assert_string_equal(buf, "absent, N, Y or force");
	pp_name_list(&pp_map_names, buf, sizeof(buf));
	assert_string_equal(buf, "none, mem or dev");
	pp_name_list(&pp_region_kind_names, buf, sizeof(buf));
	assert_string_equal(buf, "nfit, e820, virtio, papr_scm, of_pmem, "
			    "cxl, nfit_test or other");
	/* cut, not overrun */
	memset(buf, 'x', sizeof(buf));
	pp_name_list(&pp_mode_names, buf, 8);
	assert_string_equal(buf, "raw, fs");
	assert_int_equal(buf[8], 'x');
	pp_name_list(&pp_mode_names, buf, 0);
	assert_int_equal(buf[0], 'r');
}

/* ------------------------------------------------------------------ */
/* kernel versions                                                     */
/* ------------------------------------------------------------------ */

static void kver_release(void **state)
{
	static const struct { const char *in; uint32_t out; } ok[] = {
		{ "6.1.0-28-amd64", PP_KVER(6, 1, 0) },
		{ "6.12.9+bpo-amd64", PP_KVER(6, 12, 9) },
		{ "5.10", PP_KVER(5, 10, 0) },
		{ "6.1x", PP_KVER(6, 1, 0) },
		{ "4.18.0-553.el8_10.x86_64", PP_KVER(4, 18, 0) },
		{ "255.255.255", PP_KVER(255, 255, 255) },
	};
	static const char *const bad[] = {
		"", "6", "6.", "x6.1", "256.1", "6.256",
		"4294967302.1",		/* would wrap to 6.1 */
		"6.1.0000000000",	/* more digits than the field */
		"61234.1",
	};
	uint32_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 0;
		assert_int_equal(pp_parse_kver(ok[i].in, &v), 0);
		assert_int_equal(v, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 7;
		if (pp_parse_kver(bad[i], &v) != -EINVAL)
			print_error("accepted \"%s\"\n", bad[i]);
		assert_int_equal(pp_parse_kver(bad[i], &v), -EINVAL);
		assert_int_equal(v, 7);
	}
	assert_int_equal(pp_parse_kver(NULL, &v), -EINVAL);
}

static void kver_uname(void **state)
{
	const char *deb =
		"#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)";
	uint32_t v;

	(void)state;
	/* Debian's ABI name, the real sublevel in the version */
	assert_int_equal(pp_parse_kver_uname("6.1.0-28-amd64", deb, &v), 0);
	assert_int_equal(v, PP_KVER(6, 1, 119));
	/* no version, or one without a matching A.B: the release */
	assert_int_equal(pp_parse_kver_uname("6.1.0-28-amd64", NULL, &v), 0);
	assert_int_equal(v, PP_KVER(6, 1, 0));
	assert_int_equal(pp_parse_kver_uname("6.1.0", "#1 SMP 5.10.7", &v),
			 0);
	assert_int_equal(v, PP_KVER(6, 1, 0));
	/* not inside a longer number, and never older than the release */
	assert_int_equal(pp_parse_kver_uname("6.1.5", "x 16.1.200 1.6.1.9",
					     &v), 0);
	assert_int_equal(v, PP_KVER(6, 1, 5));
	assert_int_equal(pp_parse_kver_uname("6.1.5", "6.1.2 then 6.1.9",
					     &v), 0);
	assert_int_equal(v, PP_KVER(6, 1, 9));
	assert_int_equal(pp_parse_kver_uname("bogus", deb, &v), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* building and freeing                                                */
/* ------------------------------------------------------------------ */

static void add_and_free(void **state)
{
	struct pp_topology t = { 0 };
	struct pp_region *r;
	struct pp_namespace *ns;
	struct pp_dax *d;

	(void)state;
	r = pp_topology_add_region(&t);
	assert_non_null(r);
	assert_int_equal(t.nr_regions, 1);
	assert_true(r->start == PP_UNKNOWN && r->align == PP_UNKNOWN);
	assert_true(r->available_size == PP_UNKNOWN);
	assert_true(r->max_available_extent == PP_UNKNOWN);
	assert_int_equal(r->ways, 1);
	assert_int_equal(r->numa_node, -1);
	assert_int_equal(r->target_node, -1);
	assert_int_equal(r->size, 0);

	ns = pp_region_add_namespace(r);
	assert_non_null(ns);
	assert_non_null(pp_region_add_namespace(r));
	assert_int_equal(r->nr_ns, 2);
	ns = &r->ns[0];
	assert_true(ns->start == PP_UNKNOWN && ns->dataoff == PP_UNKNOWN &&
		    ns->align == PP_UNKNOWN);
	assert_null(ns->dax);

	d = pp_namespace_add_dax(ns);
	assert_non_null(d);
	assert_ptr_equal(ns->dax, d);
	assert_true(d->start == PP_UNKNOWN && d->size == PP_UNKNOWN &&
		    d->align == PP_UNKNOWN);
	assert_true(d->kmem_start == PP_UNKNOWN && d->kmem_end == PP_UNKNOWN);
	assert_true(d->online_blocks == PP_UNKNOWN &&
		    d->total_blocks == PP_UNKNOWN);
	assert_int_equal(d->target_node, -1);
	assert_int_equal(d->memmap_on_memory, -1);
	/* a second one replaces the first (valgrind sees no leak) */
	strcpy(d->dev, "dax0.0");
	d = pp_namespace_add_dax(ns);
	assert_non_null(d);
	assert_string_equal(ns->dax->dev, "");

	/* growing moves the array: the region pointer is re-read */
	assert_non_null(pp_topology_add_region(&t));
	assert_int_equal(t.nr_regions, 2);
	assert_int_equal(t.regions[0].nr_ns, 2);

	assert_int_equal(pp_topology_note(&t, "%s has %d", "region0", 2), 0);
	assert_int_equal(pp_topology_note(&t, "second"), 0);
	assert_int_equal(t.nr_notes, 2);
	assert_string_equal(t.notes[0], "region0 has 2");
	assert_string_equal(t.notes[1], "second");

	pp_topology_free(&t);
	assert_int_equal(t.nr_regions, 0);
	assert_null(t.regions);
	assert_null(t.notes);
	/* freeing an empty topology is fine, twice */
	pp_topology_free(&t);
}

/* by start, then end, then type, as /sys/firmware/memmap reads */
static void fwmap_sort(void **state)
{
	struct pp_platform p = { 0 };
	struct pp_fw_range v[] = {
		{ 0x100000, 0x200000, "System RAM" },
		{ 0, 0x9fc00, "System RAM" },
		{ 0x100000, 0x200000, "Reserved" },
		{ 0x100000, 0x180000, "System RAM" },
	};

	(void)state;
	p.fwmap = v;
	p.nr_fwmap = 4;
	pp_fwmap_sort(&p);
	assert_int_equal(v[0].start, 0);
	assert_int_equal(v[1].end, 0x180000);
	assert_string_equal(v[2].type, "Reserved");
	assert_string_equal(v[3].type, "System RAM");
	assert_int_equal(v[3].end, 0x200000);
	p.nr_fwmap = 0;
	pp_fwmap_sort(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tables_round_trip),
		cmocka_unit_test(typed_round_trip),
		cmocka_unit_test(contract_names),
		cmocka_unit_test(aliases_and_fallbacks),
		cmocka_unit_test(region_providers),
		cmocka_unit_test(name_lists),
		cmocka_unit_test(kver_release),
		cmocka_unit_test(kver_uname),
		cmocka_unit_test(add_and_free),
		cmocka_unit_test(fwmap_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
