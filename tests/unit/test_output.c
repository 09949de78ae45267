// SPDX-License-Identifier: GPL-2.0
/*
 * lib/output/ (show): -o column parsing, the one-sentence region summary,
 * the human view and the "show --json" document of the contract, on the
 * snapshots of tests/snapshots/ that the CLI golden tests also print.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "account/account.h"
#include "model/model.h"
#include "output/fleet_output.h"
#include "output/output.h"
#include "planner/fleet.h"
#include "snapshot/snapshot.h"

/* ------------------------------------------------------------------ */
/* -o / --output                                                       */
/* ------------------------------------------------------------------ */

static void columns_default(void **state)
{
	struct pp_output_opts o = { 0 };

	(void)state;
	pp_output_default_columns(&o);
	assert_int_equal(o.nr_columns, 7);
	assert_int_equal(o.columns[0], PP_COL_NAME);
	assert_int_equal(o.columns[6], PP_COL_SOURCE);
	pp_output_all_columns(&o);
	assert_int_equal(o.nr_columns, PP_NR_COLUMNS);
	assert_int_equal(o.columns[PP_NR_COLUMNS - 1], PP_COL_NODE);
}

static void columns_replace(void **state)
{
	struct pp_output_opts o = { 0 };
	char bad[32] = "";

	(void)state;
	pp_output_default_columns(&o);
	assert_int_equal(pp_output_parse_columns("NAME,kmem,Zone", &o, bad,
						 sizeof(bad)), 0);
	assert_int_equal(o.nr_columns, 3);
	assert_int_equal(o.columns[0], PP_COL_NAME);
	assert_int_equal(o.columns[1], PP_COL_KMEM);
	assert_int_equal(o.columns[2], PP_COL_ZONE);
	/* a trailing comma names nothing more */
	assert_int_equal(pp_output_parse_columns("SIZE,", &o, bad,
						 sizeof(bad)), 0);
	assert_int_equal(o.nr_columns, 1);
	assert_int_equal(o.columns[0], PP_COL_SIZE);
}

static void columns_append(void **state)
{
	struct pp_output_opts o = { 0 };
	char bad[32] = "";

	(void)state;
	pp_output_default_columns(&o);
	assert_int_equal(pp_output_parse_columns("+ZONE,NODE", &o, bad,
						 sizeof(bad)), 0);
	assert_int_equal(o.nr_columns, 9);
	assert_int_equal(o.columns[0], PP_COL_NAME);
	assert_int_equal(o.columns[7], PP_COL_ZONE);
	assert_int_equal(o.columns[8], PP_COL_NODE);
}

/* GAIN and NET: what MemTotal grows by, and less the DRAM memmap; -o only */
static void columns_net(void **state)
{
	struct pp_output_opts o = { 0 };
	char bad[32] = "";
	unsigned int i;

	(void)state;
	pp_output_default_columns(&o);
	for (i = 0; i < o.nr_columns; i++)
		assert_true(o.columns[i] != PP_COL_GAIN &&
			    o.columns[i] != PP_COL_NET);
	assert_int_equal(pp_output_parse_columns("+gain,NET", &o, bad,
						 sizeof(bad)), 0);
	assert_int_equal(o.nr_columns, 9);
	assert_int_equal(o.columns[7], PP_COL_GAIN);
	assert_int_equal(o.columns[8], PP_COL_NET);
}

static void columns_bad(void **state)
{
	struct pp_output_opts o = { 0 };
	char bad[32] = "";

	(void)state;
	pp_output_default_columns(&o);
	assert_int_equal(pp_output_parse_columns("NAME,BOGUS,SIZE", &o, bad,
						 sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "BOGUS");
	/* a prefix of a name is not the name */
	assert_int_equal(pp_output_parse_columns("NAM", &o, bad, sizeof(bad)),
			 -EINVAL);
	assert_string_equal(bad, "NAM");
	/* nothing at all */
	assert_int_equal(pp_output_parse_columns("", &o, bad, sizeof(bad)),
			 -EINVAL);
	/* one more than there are columns */
	pp_output_all_columns(&o);
	assert_int_equal(pp_output_parse_columns("+NAME", &o, bad,
						 sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "NAME");
}

static void columns_list(void **state)
{
	char *buf = NULL;
	size_t len = 0, lines = 0, i;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	pp_output_list_columns(f);
	assert_int_equal(fclose(f), 0);
	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	assert_int_equal(lines, PP_NR_COLUMNS);
	assert_non_null(strstr(buf, "  NAME     region, namespace"));
	free(buf);
}

/* ------------------------------------------------------------------ */
/* a snapshot, its report, and what show prints of it                  */
/* ------------------------------------------------------------------ */

struct shown {
	struct pp_topology t;
	struct pp_report rep;
};

static void snapshot_path(const char *name, char *path, size_t size)
{
	const char *src = getenv("SRCDIR");
	const char *here = __FILE__;	/* .../tests/unit/test_output.c */
	const char *cut = strrchr(here, '/');

	if (src && *src)
		snprintf(path, size, "%s/tests/snapshots/%s", src, name);
	else if (cut)
		snprintf(path, size, "%.*s/../snapshots/%s",
			 (int)(cut - here), here, name);
	else
		snprintf(path, size, "../snapshots/%s", name);
}

/* What "show --input NAME" computes before it prints. */
static void load(const char *name, struct shown *s)
{
	char path[PATH_MAX], err[512] = "";
	FILE *f;
	int rc;

	snapshot_path(name, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		print_error("cannot open %s\n", path);
	assert_non_null(f);
	rc = pp_snapshot_read(f, &s->t, err, sizeof(err));
	fclose(f);
	if (rc)
		print_error("%s: %s\n", path, err);
	assert_int_equal(rc, 0);
	pp_platform_derive(&s->t.plat);
	assert_int_equal(pp_report_build(&s->t, &s->rep), 0);
}

static void unload(struct shown *s)
{
	pp_report_free(&s->rep);
	pp_topology_free(&s->t);
}

static char *print_json(const struct pp_topology *t,
			const struct pp_report *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(pp_show_json_print(f, t, rep), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static char *print_human(const struct shown *s, bool bytes)
{
	struct pp_output_opts o = { .bytes = bytes };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	pp_output_default_columns(&o);
	assert_int_equal(pp_show_human(f, &s->t, &s->rep, &o), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* as tests/cli/golden/x86-e820.out says it */
#define E820_SUMMARY "region0: 2 GiB, 1.9 GiB usable as RAM, 128 MiB lost: " \
	"2 MiB info block, 32 MiB struct-page reserve, 94 MiB before the " \
	"first memory block; its struct pages take 30 MiB of DRAM"

static void summary_sentences(void **state)
{
	struct shown s;
	char line[512];

	(void)state;
	load("x86-e820-carveout.json", &s);
	assert_int_equal(s.rep.nr_regions, 1);
	pp_region_summary(&s.rep.regions[0], false, line, sizeof(line));
	assert_string_equal(line, E820_SUMMARY);
	pp_region_summary(&s.rep.regions[0], true, line, sizeof(line));
	assert_true(!strncmp(line, "region0: 2147483648, ", 21));
	assert_non_null(strstr(line, " 2097152 info block"));
	/* a short buffer is cut, never overrun */
	memset(line, 'x', sizeof(line));
	pp_region_summary(&s.rep.regions[0], false, line, 12);
	assert_string_equal(line, "region0: 2 ");
	assert_int_equal(line[12], 'x');
	pp_region_summary(&s.rep.regions[0], false, line, 40);
	assert_int_equal(strlen(line), 39);
	unload(&s);

	/* without root: no addresses, so no accounting */
	load("x86-nonroot.json", &s);
	assert_true(s.rep.nr_regions > 0);
	pp_region_summary(&s.rep.regions[0], false, line, sizeof(line));
	assert_non_null(strstr(line, ", physical layout unknown (needs root)"));
	unload(&s);

	/* fsdax, sector and raw namespaces are named as such */
	load("x86-mixed-modes.json", &s);
	pp_region_summary(&s.rep.regions[0], false, line, sizeof(line));
	assert_non_null(strstr(line, "in fsdax, sector or raw namespaces"));
	unload(&s);
}

static void human_view(void **state)
{
	struct shown s;
	char *out;

	(void)state;
	load("x86-e820-carveout.json", &s);
	out = print_human(&s, false);
	assert_true(!strncmp(out, "x86_64, kernel 6.1.0-56-amd64, 4 KiB pages",
			     42));
	assert_non_null(strstr(out, "\n" E820_SUMMARY "\n"));
	assert_non_null(strstr(out, "\nNAME "));
	assert_non_null(strstr(out, "`-namespace0.0 devdax"));
	assert_non_null(strstr(out, "    `-kmem     ram "));
	free(out);
	unload(&s);
}

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		print_error("missing key \"%s\"\n", key);
	assert_true(json_object_object_get_ex(o, key, NULL));
	return v;
}

static void has_keys(struct json_object *o, const char *const *keys)
{
	assert_true(json_object_is_type(o, json_type_object));
	for (; *keys; keys++)
		member(o, *keys);
}

static const char *const totals_keys[] = {
	"capacity", "kmem", "bound", "stranded", "dram_memmap", "ram_gain",
	"net_gain", "free", "usable", "yield", "model_error", NULL,
};
static const char *const region_keys[] = {
	"dev", "kind", "resource", "size", "align", "capacity", "bound",
	"kmem", "stranded", "free", "usable", "yield", "dram_memmap",
	"ram_gain", "net_gain", "free_extents", "summary", "namespaces", NULL,
};
static const char *const ns_keys[] = {
	"dev", "mode", "kmem", "loss", "ram_gain", "dram_memmap", "net_gain",
	NULL,
};
static const char *const kmem_keys[] = {
	"start", "end", "blocks", "bytes", "source", "active", "map",
	"align", "memmap_on_memory", "model_error", NULL,
};
static const char *const loss_keys[] = {
	"info_block", "struct_page_reserve", "head_gap", "tail_gap",
	"end_truncation", "total", NULL,
};

static void json_document(void **state)
{
	struct json_object *doc, *r, *ns, *k;
	struct shown s;
	char line[512];
	char *out;

	(void)state;
	load("x86-e820-carveout.json", &s);
	out = print_json(&s.t, &s.rep);
	doc = json_tokener_parse(out);
	assert_non_null(doc);
	assert_int_equal(json_object_get_int(member(doc, "schema")),
			 PP_SCHEMA);
	assert_string_equal(json_object_get_string(member(doc, "command")),
			    "show");
	assert_true(json_object_is_type(member(doc, "platform"),
					json_type_object));
	has_keys(member(doc, "totals"), totals_keys);
	assert_true(json_object_is_type(member(doc, "notes"),
					json_type_array));
	assert_int_equal(json_object_array_length(member(doc, "regions")), 1);
	r = json_object_array_get_idx(member(doc, "regions"), 0);
	has_keys(r, region_keys);
	/* the JSON sentence gives exact bytes */
	pp_region_summary(&s.rep.regions[0], true, line, sizeof(line));
	assert_string_equal(json_object_get_string(member(r, "summary")),
			    line);
	ns = json_object_array_get_idx(member(r, "namespaces"), 0);
	has_keys(ns, ns_keys);
	has_keys(member(ns, "loss"), loss_keys);
	k = member(ns, "kmem");
	has_keys(k, kmem_keys);
	assert_string_equal(json_object_get_string(member(k, "source")),
			    "measured");
	has_keys(member(k, "predicted"), (const char *const[]){
		"start", "end", "blocks", NULL });
	json_object_put(doc);
	free(out);
	unload(&s);
}

/* show --json | show --input - --json prints the same bytes */
static void json_round_trip(void **state)
{
	static const char *const names[] = {
		"x86-e820-carveout.json", "x86-mixed-modes.json",
		"x86-nonroot.json", "arm64-64k.json",
	};
	char err[512] = "";
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct shown s, back;
		char *first, *second;

		load(names[i], &s);
		first = print_json(&s.t, &s.rep);
		assert_int_equal(pp_snapshot_parse(first, strlen(first),
						   &back.t, err, sizeof(err)),
				 0);
		pp_platform_derive(&back.t.plat);
		assert_int_equal(pp_report_build(&back.t, &back.rep), 0);
		second = print_json(&back.t, &back.rep);
		assert_string_equal(first, second);
		free(first);
		free(second);
		unload(&back);
		unload(&s);
	}
}

/* ------------------------------------------------------------------ */
/* the fleet report                                                    */
/* ------------------------------------------------------------------ */

/*
 * x86-mixed-modes.json, taken in QEMU on 6.1: two devdax namespaces online
 * as System RAM, 7 + 11 blocks of 128 MiB measured in /proc/iomem; the
 * plan adds the 656 MiB devdax namespace of the free 768 MiB, 5 blocks.
 */
static void fleet_host(const char *name, struct pp_fleet_host *h,
		       const struct pp_plan_opts *po)
{
	struct shown s;
	char err[512];

	load(name, &s);
	memset(h, 0, sizeof(*h));
	h->name = name;
	h->source = name;
	assert_int_equal(pp_fleet_plan_host(&s.t, po, h, err, sizeof(err)),
			 0);
	unload(&s);
}

static void fleet_row(void **state)
{
	struct pp_plan_opts po = { 0 };
	struct pp_fleet_host h;

	(void)state;
	fleet_host("x86-mixed-modes.json", &h, &po);
	assert_int_equal(h.capacity, 4ull << 30);
	assert_int_equal(h.kmem_now, 18 * (128ull << 20));
	assert_int_equal(h.kmem_planned, 23 * (128ull << 20));
	/* 31 blocks: the region is block-aligned at 4 GiB, the info block
	 * costs the first */
	assert_int_equal(h.bound, 31 * (128ull << 20));
	assert_int_equal(h.nr_ops, 3);
	assert_int_equal(h.nr_destructive, 0);
	assert_string_equal(h.arch, "x86_64");
	assert_string_equal(h.kernel, "6.1.0-56-amd64");
	/* 5 blocks, less their 2 MiB of struct pages each in DRAM */
	assert_int_equal(h.ram_added, 5 * ((128ull << 20) - (2ull << 20)));
	assert_string_equal(h.refused, "");
	assert_string_equal(h.shortfall, "");

	/* --size beyond what fits: planned what fits, and said */
	po.size = 8ull << 30;
	fleet_host("x86-mixed-modes.json", &h, &po);
	assert_int_equal(h.kmem_planned, 23 * (128ull << 20));
	assert_string_not_equal(h.shortfall, "");
}

static void fleet_json(void **state)
{
	struct pp_fleet_totals tot = { 0 };
	struct pp_plan_opts po = { 0 };
	struct pp_fleet_host a, b;
	struct pp_fleet_json fj;
	struct json_object *doc, *hosts, *v;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	fleet_host("x86-mixed-modes.json", &a, &po);
	fleet_host("arm64-4k-fresh.json", &b, &po);
	pp_fleet_totals_add(&tot, &a);
	pp_fleet_totals_add(&tot, &b);
	tot.failed = 1;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pp_fleet_json_begin(&fj, f), 0);
	assert_int_equal(pp_fleet_json_host(&fj, &a), 0);
	assert_int_equal(pp_fleet_json_failure(&fj, "x.json", "bad"), 0);
	assert_int_equal(pp_fleet_json_host(&fj, &b), 0);
	assert_int_equal(pp_fleet_json_end(&fj, &tot), 0);
	assert_int_equal(fclose(f), 0);
	doc = json_tokener_parse(buf);
	assert_non_null(doc);
	hosts = json_object_object_get(doc, "hosts");
	assert_int_equal(json_object_array_length(hosts), 2);
	v = json_object_array_get_idx(hosts, 1);
	assert_string_equal(json_object_get_string(
		json_object_object_get(v, "name")), "arm64-4k-fresh.json");
	assert_true(json_object_is_type(json_object_object_get(v, "refused"),
					json_type_null));
	v = json_object_object_get(doc, "totals");
	assert_int_equal(json_object_get_int64(
		json_object_object_get(v, "kmem_planned")),
		(int64_t)(a.kmem_planned + b.kmem_planned));
	assert_int_equal(json_object_get_int64(
		json_object_object_get(v, "hosts")), 2);
	v = json_object_array_get_idx(json_object_object_get(doc, "failures"),
				      0);
	assert_string_equal(json_object_get_string(
		json_object_object_get(v, "source")), "x.json");
	json_object_put(doc);
	free(buf);

	/* no host at all: still a document */
	memset(&tot, 0, sizeof(tot));
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pp_fleet_json_begin(&fj, f), 0);
	assert_int_equal(pp_fleet_json_end(&fj, &tot), 0);
	assert_int_equal(fclose(f), 0);
	doc = json_tokener_parse(buf);
	assert_non_null(doc);
	assert_int_equal(json_object_array_length(
		json_object_object_get(doc, "hosts")), 0);
	json_object_put(doc);
	free(buf);
}

static void fleet_human(void **state)
{
	struct pp_fleet_totals tot = { 0 };
	struct pp_plan_opts po = { 0 };
	struct pp_fleet_table *ft;
	struct pp_fleet_host a;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	fleet_host("x86-mixed-modes.json", &a, &po);
	a.nr_unsafe = 2;
	pp_fleet_totals_add(&tot, &a);
	ft = pp_fleet_human_new(false);
	assert_non_null(ft);
	assert_int_equal(pp_fleet_human_row(ft, &a), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pp_fleet_human_print(f, ft, &tot), 0);
	assert_int_equal(fclose(f), 0);
	pp_fleet_human_free(ft);
	assert_non_null(strstr(buf, "HOST"));
	assert_non_null(strstr(buf, "KMEM-PLAN"));
	assert_non_null(strstr(buf, "2.9 GiB"));
	assert_non_null(strstr(buf, "unsafe=2"));
	assert_non_null(strstr(buf, "\ntotal "));
	assert_non_null(strstr(buf, "1 host planned, 1 with unsafe namespaces\n"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(columns_default),
		cmocka_unit_test(columns_replace),
		cmocka_unit_test(columns_append),
		cmocka_unit_test(columns_net),
		cmocka_unit_test(columns_bad),
		cmocka_unit_test(columns_list),
		cmocka_unit_test(summary_sentences),
		cmocka_unit_test(human_view),
		cmocka_unit_test(json_document),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(fleet_row),
		cmocka_unit_test(fleet_json),
		cmocka_unit_test(fleet_human),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
