// SPDX-License-Identifier: GPL-2.0
/*
 * lib/snapshot/: the fact writers, the reader, and every validation rule of
 * the reader (each with a small document, -EINVAL and the message).  The
 * files in tests/bad-input/ are checked against the reader here too, so
 * their .expect lines are known to be what the reader says.
 */
#include <dirent.h>
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
#include "snapshot/snapshot.h"

#define ERRLEN 512

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static bool topology_is_empty(const struct pp_topology *t)
{
	static const struct pp_topology zero;

	return !memcmp(t, &zero, sizeof(zero));
}

static int parse(const char *doc, struct pp_topology *t, char *err)
{
	return pp_snapshot_parse(doc, strlen(doc), t, err, ERRLEN);
}

/* The document must be refused with -EINVAL, one line containing msg. */
static void check_bad(const char *name, const char *doc, size_t len,
		      const char *msg)
{
	struct pp_topology t;
	char err[ERRLEN] = "";
	int rc;

	memset(&t, 0x5a, sizeof(t));	/* must come back zeroed */
	rc = pp_snapshot_parse(doc, len, &t, err, sizeof(err));
	if (rc != -EINVAL || !strstr(err, msg) || strchr(err, '\n'))
		print_error("case %s: rc %d, message \"%s\", wanted \"%s\"\n",
			    name, rc, err, msg);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err, msg));
	assert_null(strchr(err, '\n'));
	assert_true(topology_is_empty(&t));
}

static void expect_ok(const char *doc, struct pp_topology *t)
{
	char err[ERRLEN] = "";
	int rc = parse(doc, t, err);

	if (rc)
		print_error("unexpected failure %d: %s\n", rc, err);
	assert_int_equal(rc, 0);
}

/* ------------------------------------------------------------------ */
/* a hand-built topology, written and read back                        */
/* ------------------------------------------------------------------ */

#define G (1ULL << 30)
#define M (1ULL << 20)

static void build(struct pp_topology *t)
{
	struct pp_platform *p = &t->plat;
	struct pp_region *r;
	struct pp_namespace *ns;
	struct pp_dax *d;

	memset(t, 0, sizeof(*t));
	p->arch = PP_ARCH_X86_64;
	p->arch_src = PP_SRC_UNAME;
	strcpy(p->kernel, "6.1.0-28-amd64");
	/* Debian's 6.1.119: the release alone says 6.1.0 */
	p->kver = PP_KVER(6, 1, 119);
	p->kver_src = PP_SRC_UNAME;
	p->page_size = (struct pp_fact){ 4096, PP_SRC_UNAME };
	p->section_size = (struct pp_fact){ 128 * M, PP_SRC_DERIVED };
	p->block_size = (struct pp_fact){ 128 * M, PP_SRC_SYSFS };
	p->pageblock_order = (struct pp_fact){ 9, PP_SRC_DERIVED };
	p->struct_page_size = (struct pp_fact){ 64, PP_SRC_DERIVED };
	p->compat_align = (struct pp_fact){ 2 * M, PP_SRC_DERIVED };
	p->hpage_pmd_size = (struct pp_fact){ 2 * M, PP_SRC_SYSFS };
	p->memmap_on_memory = PP_MOM_OFF;
	p->memmap_on_memory_src = PP_SRC_SYSFS;
	strcpy(p->auto_online_blocks, "offline");
	p->mem_total = (struct pp_fact){ 1002 * M, PP_SRC_PROC };
	p->mem_available = (struct pp_fact){ PP_UNKNOWN, PP_SRC_NONE };
	p->nr_nodes = (struct pp_fact){ 1, PP_SRC_SYSFS };
	p->supported_align[0] = 4096;
	p->supported_align[1] = 2 * M;
	p->supported_align[2] = G;
	p->nr_supported_align = 3;
	p->is_root = true;
	/* the firmware's map of a memmap=2G!4G guest; one type left blank */
	p->fwmap = calloc(4, sizeof(*p->fwmap));
	assert_non_null(p->fwmap);
	p->fwmap[0] = (struct pp_fw_range){ 0, 0x9fc00, "System RAM" };
	p->fwmap[1] = (struct pp_fw_range){ 0x9fc00, 0xa0000, "Reserved" };
	p->fwmap[2] = (struct pp_fw_range){ 0x100000, 0xbffe0000,
					    "System RAM" };
	p->fwmap[3] = (struct pp_fw_range){ 4 * G, 8 * G, "" };
	p->nr_fwmap = 4;

	r = pp_topology_add_region(t);
	assert_non_null(r);
	strcpy(r->dev, "region0");
	r->kind = PP_REGION_NFIT;
	r->start = 4 * G;
	r->size = 4 * G + 2 * M;
	r->align = 16 * M;
	r->ways = 1;
	r->labelled = true;
	r->label_capable = true;
	r->label_index = PP_LABEL_INDEX_NONE;
	r->enabled = true;
	r->numa_node = 0;
	r->target_node = 1;
	r->available_size = 1 * G;
	r->max_available_extent = 1 * G;

	ns = pp_region_add_namespace(r);
	assert_non_null(ns);
	strcpy(ns->dev, "namespace0.0");
	ns->mode = PP_MODE_DEVDAX;
	ns->map = PP_MAP_DEV;
	ns->align = 2 * M;
	ns->start = 4 * G;
	ns->size = 2 * G;
	ns->dataoff = 34 * M;
	strcpy(ns->uuid, "1b3d5f7a-0c2e-4a6b-8d9f-0123456789ab");
	strcpy(ns->name, "kmem0");
	ns->enabled = true;
	ns->claimed = true;
	ns->busy = true;
	d = pp_namespace_add_dax(ns);
	assert_non_null(d);
	strcpy(d->dev, "dax0.0");
	d->mode = PP_DAX_SYSTEM_RAM;
	d->start = 4 * G + 34 * M;
	d->size = 2 * G - 34 * M;
	d->align = 2 * M;
	d->target_node = 1;
	d->memmap_on_memory = 0;
	d->kmem_start = 4 * G + 128 * M;
	d->kmem_end = 6 * G;
	d->online_blocks = 15;
	d->total_blocks = 15;
	strcpy(d->zone, "Movable");

	ns = pp_region_add_namespace(r);
	assert_non_null(ns);
	strcpy(ns->dev, "namespace0.1");
	ns->mode = PP_MODE_FSDAX;
	ns->map = PP_MAP_MEM;
	ns->align = 2 * M;
	ns->start = 6 * G;
	ns->size = 1 * G;
	ns->dataoff = 2 * M;
	ns->enabled = true;
	ns->claimed = true;

	/* what a non-root probe of a carve-out gives: addresses unknown */
	r = pp_topology_add_region(t);
	assert_non_null(r);
	strcpy(r->dev, "region1");
	r->kind = PP_REGION_E820;
	r->size = 2 * G;
	ns = pp_region_add_namespace(r);
	assert_non_null(ns);
	strcpy(ns->dev, "namespace1.0");
	ns->mode = PP_MODE_RAW;
	ns->size = 2 * G;
	ns->enabled = true;
	ns->sig_probed = true;
	strcpy(ns->signature, "ext4");
	ns->busy = true;
	d = NULL;

	/* a uint64 above INT64_MAX must survive as such */
	r = pp_topology_add_region(t);
	assert_non_null(r);
	strcpy(r->dev, "region2");
	r->kind = PP_REGION_VIRTIO;
	r->start = 0x8000000000000000ULL;
	r->size = 16 * G;
	r->ways = 2;
	r->readonly = true;
	/* probed, nothing found: "" and not null */
	ns = pp_region_add_namespace(r);
	assert_non_null(ns);
	strcpy(ns->dev, "namespace2.0");
	ns->mode = PP_MODE_RAW;
	ns->size = G;
	ns->enabled = true;
	ns->sig_probed = true;

	assert_int_equal(pp_topology_note(t, "not root: %s", "no addresses"),
			 0);
	assert_int_equal(pp_topology_note(t, "second note"), 0);
}

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	assert_int_equal(json_object_object_add(o, key, v), 0);
}

/*
 * What show_json.c does around the facts: schema, namespaces arrays, the
 * computed "kmem" object, notes.  A predicted kmem with nonsense numbers
 * checks that the reader ignores it.
 */
static struct json_object *document(const struct pp_topology *t)
{
	struct json_object *doc, *regions, *notes;
	unsigned int i, j;

	doc = json_object_new_object();
	assert_non_null(doc);
	add(doc, "schema", json_object_new_int(PP_SCHEMA));
	add(doc, "platform", pp_snapshot_platform(&t->plat));
	assert_non_null(json_object_object_get(doc, "platform"));
	regions = json_object_new_array();
	add(doc, "regions", regions);
	for (i = 0; i < t->nr_regions; i++) {
		const struct pp_region *r = &t->regions[i];
		struct json_object *ro = pp_snapshot_region(r), *nsa;

		assert_non_null(ro);
		add(ro, "capacity", pp_json_u64(r->size));
		nsa = json_object_new_array();
		add(ro, "namespaces", nsa);
		for (j = 0; j < r->nr_ns; j++) {
			const struct pp_namespace *ns = &r->ns[j];
			struct json_object *no = pp_snapshot_namespace(ns);
			struct json_object *k = json_object_new_object();
			const struct pp_dax *d = ns->dax;

			assert_non_null(no);
			if (d && d->kmem_start != PP_UNKNOWN) {
				add(k, "start", pp_json_u64(d->kmem_start));
				add(k, "end", pp_json_u64(d->kmem_end));
				add(k, "source",
				    json_object_new_string("measured"));
			} else {
				add(k, "start", pp_json_u64(12345));
				add(k, "end", pp_json_u64(1));
				add(k, "source",
				    json_object_new_string("predicted"));
			}
			add(no, "kmem", k);
			assert_int_equal(json_object_array_add(nsa, no), 0);
		}
		assert_int_equal(json_object_array_add(regions, ro), 0);
	}
	notes = json_object_new_array();
	for (i = 0; i < t->nr_notes; i++)
		json_object_array_add(notes,
				      json_object_new_string(t->notes[i]));
	add(doc, "notes", notes);
	return doc;
}

static char *serialize(const struct pp_topology *t)
{
	struct json_object *doc = document(t);
	int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE;
	char *s = strdup(json_object_to_json_string_ext(doc, flags));

	json_object_put(doc);
	assert_non_null(s);
	return s;
}

static void compare_fact(const struct pp_fact *a, const struct pp_fact *b)
{
	assert_true(a->value == b->value);
	/* the writer says "unknown" for an unknown value, whatever src is */
	assert_int_equal(a->value == PP_UNKNOWN ? PP_SRC_NONE : a->src,
			 b->src);
}

static void compare(const struct pp_topology *a, const struct pp_topology *b)
{
	const struct pp_platform *p = &a->plat, *q = &b->plat;
	unsigned int i, j;

	assert_int_equal(p->arch, q->arch);
	assert_int_equal(p->arch_src, q->arch_src);
	assert_string_equal(p->kernel, q->kernel);
	assert_int_equal(p->kver, q->kver);
	assert_int_equal(p->kver_src, q->kver_src);
	compare_fact(&p->page_size, &q->page_size);
	compare_fact(&p->section_size, &q->section_size);
	compare_fact(&p->block_size, &q->block_size);
	compare_fact(&p->pageblock_order, &q->pageblock_order);
	compare_fact(&p->struct_page_size, &q->struct_page_size);
	compare_fact(&p->compat_align, &q->compat_align);
	compare_fact(&p->hpage_pmd_size, &q->hpage_pmd_size);
	compare_fact(&p->mem_total, &q->mem_total);
	compare_fact(&p->mem_available, &q->mem_available);
	compare_fact(&p->nr_nodes, &q->nr_nodes);
	assert_int_equal(p->memmap_on_memory, q->memmap_on_memory);
	assert_int_equal(p->memmap_on_memory_src, q->memmap_on_memory_src);
	assert_string_equal(p->auto_online_blocks, q->auto_online_blocks);
	assert_int_equal(p->nr_supported_align, q->nr_supported_align);
	for (i = 0; i < p->nr_supported_align; i++)
		assert_true(p->supported_align[i] == q->supported_align[i]);
	assert_int_equal(p->is_root, q->is_root);
	assert_int_equal(p->nr_fwmap, q->nr_fwmap);
	for (i = 0; i < p->nr_fwmap; i++) {
		assert_true(p->fwmap[i].start == q->fwmap[i].start);
		assert_true(p->fwmap[i].end == q->fwmap[i].end);
		assert_string_equal(p->fwmap[i].type, q->fwmap[i].type);
	}

	assert_int_equal(a->nr_regions, b->nr_regions);
	for (i = 0; i < a->nr_regions; i++) {
		const struct pp_region *r = &a->regions[i], *s = &b->regions[i];

		assert_string_equal(r->dev, s->dev);
		assert_int_equal(r->kind, s->kind);
		assert_true(r->start == s->start);
		assert_true(r->size == s->size);
		assert_true(r->align == s->align);
		assert_int_equal(r->ways, s->ways);
		assert_int_equal(r->labelled, s->labelled);
		assert_int_equal(r->label_capable, s->label_capable);
		assert_int_equal(r->label_index, s->label_index);
		assert_int_equal(r->enabled, s->enabled);
		assert_int_equal(r->readonly, s->readonly);
		assert_int_equal(r->numa_node, s->numa_node);
		assert_int_equal(r->target_node, s->target_node);
		assert_true(r->available_size == s->available_size);
		assert_true(r->max_available_extent == s->max_available_extent);
		assert_int_equal(r->nr_ns, s->nr_ns);
		for (j = 0; j < r->nr_ns; j++) {
			const struct pp_namespace *n = &r->ns[j];
			const struct pp_namespace *m = &s->ns[j];

			assert_string_equal(n->dev, m->dev);
			assert_int_equal(n->mode, m->mode);
			assert_int_equal(n->map, m->map);
			assert_true(n->align == m->align);
			assert_true(n->start == m->start);
			assert_true(n->size == m->size);
			assert_true(n->dataoff == m->dataoff);
			assert_string_equal(n->uuid, m->uuid);
			assert_string_equal(n->name, m->name);
			assert_int_equal(n->enabled, m->enabled);
			assert_int_equal(n->claimed, m->claimed);
			assert_int_equal(n->sig_probed, m->sig_probed);
			assert_string_equal(n->signature, m->signature);
			assert_int_equal(n->busy, m->busy);
			assert_int_equal(!n->dax, !m->dax);
			if (!n->dax)
				continue;
			assert_string_equal(n->dax->dev, m->dax->dev);
			assert_int_equal(n->dax->mode, m->dax->mode);
			assert_true(n->dax->start == m->dax->start);
			assert_true(n->dax->size == m->dax->size);
			assert_true(n->dax->align == m->dax->align);
			assert_int_equal(n->dax->target_node,
					 m->dax->target_node);
			assert_int_equal(n->dax->memmap_on_memory,
					 m->dax->memmap_on_memory);
			assert_true(n->dax->kmem_start == m->dax->kmem_start);
			assert_true(n->dax->kmem_end == m->dax->kmem_end);
			assert_true(n->dax->online_blocks ==
				    m->dax->online_blocks);
			assert_true(n->dax->total_blocks ==
				    m->dax->total_blocks);
			assert_string_equal(n->dax->zone, m->dax->zone);
		}
	}
	assert_int_equal(a->nr_notes, b->nr_notes);
	for (i = 0; i < a->nr_notes; i++)
		assert_string_equal(a->notes[i], b->notes[i]);
}

static void test_round_trip(void **state)
{
	struct pp_topology t, u, w;
	char *s1, *s2, *s3;

	(void)state;
	build(&t);
	s1 = serialize(&t);
	expect_ok(s1, &u);
	compare(&t, &u);
	/* the measured kmem range came from the namespace's kmem object */
	assert_true(u.regions[0].ns[0].dax->kmem_start == 4 * G + 128 * M);
	assert_true(u.regions[0].ns[0].dax->kmem_end == 6 * G);
	assert_true(u.regions[2].start == 0x8000000000000000ULL);
	s2 = serialize(&u);
	assert_string_equal(s1, s2);
	/* and once more through a FILE, as --input reads it */
	{
		FILE *f = fmemopen(s2, strlen(s2), "r");
		char err[ERRLEN];

		assert_non_null(f);
		assert_int_equal(pp_snapshot_read(f, &w, err, sizeof(err)),
				 0);
		fclose(f);
	}
	s3 = serialize(&w);
	assert_string_equal(s1, s3);
	free(s1);
	free(s2);
	free(s3);
	pp_topology_free(&t);
	pp_topology_free(&u);
	pp_topology_free(&w);
}

/*
 * A CXL ram region with two dax devices (one bound to kmem, one not) and
 * a CXL pmem region: written as show --json writes them (cxl_regions),
 * read back, the same facts and the same bytes again.
 */
static char *cxl_document(const struct pp_topology *t)
{
	struct json_object *doc = json_object_new_object(), *a;
	int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE;
	unsigned int i;
	char *s;

	add(doc, "schema", json_object_new_int(PP_SCHEMA));
	add(doc, "platform", pp_snapshot_platform(&t->plat));
	add(doc, "regions", json_object_new_array());
	a = json_object_new_array();
	for (i = 0; i < t->nr_cxl; i++)
		assert_int_equal(json_object_array_add(a,
			pp_snapshot_cxl_region(&t->cxl[i], true)), 0);
	add(doc, "cxl_regions", a);
	s = strdup(json_object_to_json_string_ext(doc, flags));
	json_object_put(doc);
	assert_non_null(s);
	return s;
}

static void build_cxl(struct pp_topology *t)
{
	struct pp_cxl_region *c;
	struct pp_dax *d;

	build(t);
	c = pp_topology_add_cxl(t);
	assert_non_null(c);
	strcpy(c->dev, "region0");
	c->mode = PP_CXL_RAM;
	c->start = 0x1410000000ULL;
	c->size = 4 * G;
	c->ways = 2;
	c->granularity = 256;
	c->committed = c->enabled = true;
	strcpy(c->decoder, "decoder0.0");
	c->window_start = 0x1410000000ULL;
	c->window_size = 8 * G;
	strcpy(c->targets[0], "decoder2.0");
	strcpy(c->targets[1], "decoder3.0");
	c->nr_targets = 2;
	c->target_node = 1;
	strcpy(c->dax_region, "dax_region0");
	c->dax_available = 0;
	d = pp_cxl_add_dax(c);
	strcpy(d->dev, "dax0.0");
	d->mode = PP_DAX_SYSTEM_RAM;
	d->start = 0x1410000000ULL;
	d->size = 3 * G;
	d->align = 2 * M;
	d->target_node = 1;
	d->memmap_on_memory = 1;
	d->kmem_start = 0x1480000000ULL;
	d->kmem_end = 0x1480000000ULL + G;
	d->online_blocks = d->total_blocks = 1;
	strcpy(d->zone, "Normal");
	d = pp_cxl_add_dax(c);
	strcpy(d->dev, "dax0.1");
	d->mode = PP_DAX_DEVDAX;
	d->start = 0x1410000000ULL + 3 * G;
	d->size = G;
	c = pp_topology_add_cxl(t);
	strcpy(c->dev, "region1");
	c->mode = PP_CXL_PMEM;
	c->start = 0x1610000000ULL;
	c->size = G;
	strcpy(c->nd_region, "region3");
}

static void test_round_trip_cxl(void **state)
{
	struct pp_topology t, u;
	const struct pp_cxl_region *c;
	char *s1, *s2;
	unsigned int i;

	(void)state;
	build_cxl(&t);
	s1 = cxl_document(&t);
	expect_ok(s1, &u);
	assert_int_equal(u.nr_cxl, 2);
	c = &u.cxl[0];
	assert_string_equal(c->dev, "region0");
	assert_int_equal(c->mode, PP_CXL_RAM);
	assert_true(c->start == 0x1410000000ULL && c->size == 4 * G);
	assert_int_equal(c->ways, 2);
	assert_int_equal(c->granularity, 256);
	assert_true(c->committed && c->enabled);
	assert_string_equal(c->decoder, "decoder0.0");
	assert_true(c->window_size == 8 * G);
	assert_int_equal(c->nr_targets, 2);
	assert_string_equal(c->targets[1], "decoder3.0");
	assert_int_equal(c->target_node, 1);
	assert_int_equal(c->dax_available, 0);
	assert_int_equal(c->nr_dax, 2);
	for (i = 0; i < 2; i++) {
		const struct pp_dax *a = &t.cxl[0].dax[i], *b = &c->dax[i];

		assert_string_equal(a->dev, b->dev);
		assert_int_equal(a->mode, b->mode);
		assert_true(a->start == b->start && a->size == b->size);
		assert_true(a->kmem_start == b->kmem_start &&
			    a->kmem_end == b->kmem_end);
		assert_int_equal(a->memmap_on_memory, b->memmap_on_memory);
		assert_string_equal(a->zone, b->zone);
	}
	assert_int_equal(u.cxl[1].mode, PP_CXL_PMEM);
	assert_string_equal(u.cxl[1].nd_region, "region3");
	assert_int_equal(u.cxl[1].nr_dax, 0);
	s2 = cxl_document(&u);
	assert_string_equal(s1, s2);
	free(s1);
	free(s2);
	pp_topology_free(&t);
	pp_topology_free(&u);
}

/* A CXL document that breaks what the kernel guarantees is refused. */
static void test_cxl_bad(void **state)
{
	static const struct {
		const char *from, *to, *msg;
	} cases[] = {
		/* dax0.1 moved past its region */
		{ "\"resource\":89389006848", "\"resource\":93683974144",
		  "lies outside region0" },
		{ "\"interleave_granularity\":256",
		  "\"interleave_granularity\":300",
		  "cxl_regions[0].interleave_granularity: expected a power of two, got 300" },
		{ "\"interleave_granularity\":256",
		  "\"interleave_granularity\":128",
		  "cxl_regions[0].interleave_granularity: 128 is not a CXL interleave granularity" },
		{ "\"mode\":\"ram\"", "\"mode\":\"rom\"",
		  "cxl_regions[0].mode" },
		{ "\"window_size\":8589934592", "\"window_size\":1073741824",
		  "lies outside its window" },
		{ "\"mode\":\"system-ram\"", "\"mode\":\"devdax\"",
		  "a kmem range on a device in mode devdax" },
	};
	struct pp_topology t;
	unsigned int i;
	char *s;

	(void)state;
	build_cxl(&t);
	s = cxl_document(&t);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = strstr(s, cases[i].from), *doc;
		size_t n = strlen(s) + strlen(cases[i].to) + 1;

		if (!p)
			print_error("case %u: no \"%s\" in\n%s\n", i,
				    cases[i].from, s);
		assert_non_null(p);
		doc = malloc(n);
		assert_non_null(doc);
		snprintf(doc, n, "%.*s%s%s", (int)(p - s), s, cases[i].to,
			 p + strlen(cases[i].from));
		check_bad(cases[i].msg, doc, strlen(doc), cases[i].msg);
		free(doc);
	}
	free(s);
	pp_topology_free(&t);
}

/* Everything unknown: nulls out, unknowns back in, same bytes again. */
static void test_round_trip_unknown(void **state)
{
	struct pp_topology t, u;
	struct pp_region *r;
	struct pp_namespace *ns;
	char *s1, *s2;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.plat.page_size.value = PP_UNKNOWN;
	t.plat.section_size.value = PP_UNKNOWN;
	t.plat.block_size.value = PP_UNKNOWN;
	t.plat.pageblock_order.value = PP_UNKNOWN;
	t.plat.struct_page_size.value = PP_UNKNOWN;
	t.plat.compat_align.value = PP_UNKNOWN;
	t.plat.hpage_pmd_size.value = PP_UNKNOWN;
	t.plat.mem_total.value = PP_UNKNOWN;
	t.plat.mem_available.value = PP_UNKNOWN;
	t.plat.nr_nodes.value = PP_UNKNOWN;
	/* a source without a value is not written */
	t.plat.block_size.src = PP_SRC_SYSFS;
	r = pp_topology_add_region(&t);
	strcpy(r->dev, "region0");
	r->size = G;
	ns = pp_region_add_namespace(r);
	strcpy(ns->dev, "namespace0.0");
	ns->size = G;
	assert_non_null(pp_namespace_add_dax(ns));
	strcpy(ns->dax->dev, "dax0.0");

	s1 = serialize(&t);
	assert_non_null(strstr(s1, "\"arch\":null"));
	assert_non_null(strstr(s1, "\"kernel_version\":null"));
	assert_non_null(strstr(s1, "\"mode\":null"));
	assert_non_null(strstr(s1, "\"memmap_on_memory\":null"));
	assert_non_null(strstr(s1, "\"block_size\":\"unknown\""));
	assert_non_null(strstr(s1, "\"signature\":null"));
	/* an empty map is [], not null and not missing */
	{
		struct json_object *o = pp_snapshot_platform(&t.plat);

		assert_non_null(strstr(json_object_to_json_string_ext(o,
					JSON_C_TO_STRING_PLAIN),
				       "\"firmware_memmap\":[]"));
		json_object_put(o);
	}
	expect_ok(s1, &u);
	compare(&t, &u);
	s2 = serialize(&u);
	assert_string_equal(s1, s2);
	free(s1);
	free(s2);
	pp_topology_free(&t);
	pp_topology_free(&u);
}

/* The exact shape of the fact objects (the JSON contract). */
static void test_writer_shape(void **state)
{
	struct pp_topology t;
	struct json_object *o;

	(void)state;
	build(&t);
	o = pp_snapshot_platform(&t.plat);
	assert_string_equal(json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN),
		"{\"arch\":\"x86_64\",\"kernel\":\"6.1.0-28-amd64\","
		"\"kernel_version\":\"6.1.119\","
		"\"page_size\":4096,\"section_size\":134217728,"
		"\"block_size\":134217728,\"pageblock_order\":9,"
		"\"struct_page_size\":64,\"compat_align\":2097152,"
		"\"hpage_pmd_size\":2097152,"
		"\"supported_alignments\":[4096,2097152,1073741824],"
		"\"memmap_on_memory\":\"N\",\"auto_online_blocks\":\"offline\","
		"\"mem_total\":1050673152,\"mem_available\":null,"
		"\"numa_nodes\":1,\"root\":true,"
		"\"firmware_memmap\":["
		"{\"start\":0,\"end\":654336,\"type\":\"System RAM\"},"
		"{\"start\":654336,\"end\":655360,\"type\":\"Reserved\"},"
		"{\"start\":1048576,\"end\":3221094400,"
		"\"type\":\"System RAM\"},"
		"{\"start\":4294967296,\"end\":8589934592,\"type\":null}],"
		"\"source\":{\"arch\":\"uname\",\"kernel\":\"uname\","
		"\"page_size\":\"uname\",\"section_size\":\"derived\","
		"\"block_size\":\"sysfs\",\"pageblock_order\":\"derived\","
		"\"struct_page_size\":\"derived\","
		"\"compat_align\":\"derived\",\"hpage_pmd_size\":\"sysfs\","
		"\"memmap_on_memory\":\"sysfs\",\"mem_total\":\"proc\","
		"\"mem_available\":\"unknown\",\"numa_nodes\":\"sysfs\"}}");
	json_object_put(o);

	o = pp_snapshot_region(&t.regions[1]);
	assert_string_equal(json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN),
		"{\"dev\":\"region1\",\"kind\":\"e820\",\"resource\":null,"
		"\"size\":2147483648,\"align\":null,\"interleave_ways\":1,"
		"\"labelled\":false,\"label_capable\":false,"
		"\"label_index\":\"unknown\",\"enabled\":false,\"readonly\":false,"
		"\"numa_node\":-1,\"target_node\":-1,"
		"\"available_size\":null,\"max_available_extent\":null}");
	json_object_put(o);

	o = pp_snapshot_namespace(&t.regions[0].ns[0]);
	assert_string_equal(json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN),
		"{\"dev\":\"namespace0.0\",\"mode\":\"devdax\",\"map\":\"dev\","
		"\"align\":2097152,\"resource\":4294967296,"
		"\"size\":2147483648,\"dataoff\":35651584,"
		"\"uuid\":\"1b3d5f7a-0c2e-4a6b-8d9f-0123456789ab\","
		"\"name\":\"kmem0\",\"enabled\":true,"
		"\"claimed\":true,\"signature\":null,\"busy\":true,"
		"\"dax\":{\"chardev\":\"dax0.0\",\"mode\":\"system-ram\","
		"\"resource\":4330618880,\"size\":2111832064,"
		"\"align\":2097152,\"target_node\":1,"
		"\"memmap_on_memory\":0,\"online_memblocks\":15,"
		"\"total_memblocks\":15,\"zone\":\"Movable\"}}");
	json_object_put(o);

	o = pp_snapshot_namespace(&t.regions[1].ns[0]);
	assert_string_equal(json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN),
		"{\"dev\":\"namespace1.0\",\"mode\":\"raw\",\"map\":null,"
		"\"align\":null,\"resource\":null,\"size\":2147483648,"
		"\"dataoff\":null,\"uuid\":null,\"name\":null,"
		"\"enabled\":true,\"claimed\":false,"
		"\"signature\":\"ext4\",\"busy\":true}");
	json_object_put(o);

	o = pp_snapshot_namespace(&t.regions[2].ns[0]);
	assert_non_null(strstr(json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN),
		"\"claimed\":false,\"signature\":\"\",\"busy\":false"));
	json_object_put(o);
	pp_topology_free(&t);
}

static void test_json_u64(void **state)
{
	struct json_object *o;

	(void)state;
	assert_null(pp_json_u64(PP_UNKNOWN));
	o = pp_json_u64(0);
	assert_string_equal(json_object_to_json_string(o), "0");
	json_object_put(o);
	o = pp_json_u64(0x8000000000000000ULL);
	assert_string_equal(json_object_to_json_string(o),
			    "9223372036854775808");
	json_object_put(o);
	o = pp_json_u64(UINT64_MAX - 1);
	assert_string_equal(json_object_to_json_string(o),
			    "18446744073709551614");
	json_object_put(o);
}

/* ------------------------------------------------------------------ */
/* reader: sources, defaults, tolerance                                */
/* ------------------------------------------------------------------ */

#define DOC(plat, regions) \
	"{\"schema\":1,\"platform\":" plat ",\"regions\":" regions "}"
#define PLAT "{\"arch\":\"x86_64\"}"
#define DOCP(plat_keys) DOC("{\"arch\":\"x86_64\"," plat_keys "}", "[]")
#define REG(keys) \
	DOC(PLAT, "[{\"dev\":\"region0\",\"size\":4294967296" keys "}]")
#define REGA(keys) REG(",\"resource\":4294967296" keys)
#define NS(keys) REGA(",\"namespaces\":[{\"dev\":\"namespace0.0\"," \
		      "\"mode\":\"devdax\",\"size\":1073741824" keys "}]")
#define DAX(keys) NS(",\"dax\":{\"chardev\":\"dax0.0\"," \
		     "\"mode\":\"system-ram\"" keys "}")

static void test_sources(void **state)
{
	struct pp_topology t;

	(void)state;
	/* no source map: every present fact is "snapshot" */
	expect_ok(DOCP("\"page_size\":65536,\"block_size\":null,"
		       "\"memmap_on_memory\":\"Y\",\"kernel\":\"6.12.9\""),
		  &t);
	assert_int_equal(t.plat.arch_src, PP_SRC_SNAPSHOT);
	assert_true(t.plat.page_size.value == 65536);
	assert_int_equal(t.plat.page_size.src, PP_SRC_SNAPSHOT);
	assert_true(t.plat.block_size.value == PP_UNKNOWN);
	assert_int_equal(t.plat.block_size.src, PP_SRC_NONE);
	assert_true(t.plat.section_size.value == PP_UNKNOWN);
	assert_int_equal(t.plat.memmap_on_memory, PP_MOM_ON);
	assert_int_equal(t.plat.memmap_on_memory_src, PP_SRC_SNAPSHOT);
	assert_int_equal(t.plat.kver, PP_KVER(6, 12, 9));
	assert_int_equal(t.plat.kver_src, PP_SRC_SNAPSHOT);
	assert_false(t.plat.is_root);
	pp_topology_free(&t);

	/* entries kept; missing entry, null or unknown name -> snapshot */
	expect_ok(DOCP("\"page_size\":4096,\"block_size\":134217728,"
		       "\"section_size\":134217728,\"compat_align\":2097152,"
		       "\"mem_total\":5,"
		       "\"source\":{\"page_size\":\"override\","
		       "\"block_size\":null,\"section_size\":\"acpi\","
		       "\"mem_total\":\"unknown\",\"arch\":\"uname\"}"), &t);
	assert_int_equal(t.plat.page_size.src, PP_SRC_OVERRIDE);
	assert_int_equal(t.plat.block_size.src, PP_SRC_SNAPSHOT);
	assert_int_equal(t.plat.section_size.src, PP_SRC_SNAPSHOT);
	assert_int_equal(t.plat.compat_align.src, PP_SRC_SNAPSHOT);
	assert_int_equal(t.plat.mem_total.src, PP_SRC_NONE);
	assert_int_equal(t.plat.arch_src, PP_SRC_UNAME);
	pp_topology_free(&t);

	/* the version, when given, is not re-derived from the release */
	expect_ok(DOCP("\"kernel\":\"6.1.0-28-amd64\","
		       "\"kernel_version\":\"6.1.119\""), &t);
	assert_int_equal(t.plat.kver, PP_KVER(6, 1, 119));
	assert_int_equal(t.plat.kver_src, PP_SRC_SNAPSHOT);
	pp_topology_free(&t);
	expect_ok(DOCP("\"kernel\":\"6.1.0-28-amd64\""), &t);
	assert_int_equal(t.plat.kver, PP_KVER(6, 1, 0));
	pp_topology_free(&t);

	/* unparsable kernel release: kept as text, version unknown */
	expect_ok(DOCP("\"kernel\":\"custom\","
		       "\"source\":{\"kernel\":\"uname\"}"), &t);
	assert_string_equal(t.plat.kernel, "custom");
	assert_int_equal(t.plat.kver, 0);
	assert_int_equal(t.plat.kver_src, PP_SRC_UNAME);
	pp_topology_free(&t);

	/* arch aliases that pp_arch_from_name() knows */
	expect_ok(DOC("{\"arch\":\"arm64\"}", "[]"), &t);
	assert_int_equal(t.plat.arch, PP_ARCH_ARM64);
	pp_topology_free(&t);
	expect_ok(DOC("{\"arch\":null}", "[]"), &t);
	assert_int_equal(t.plat.arch, PP_ARCH_UNKNOWN);
	assert_int_equal(t.plat.arch_src, PP_SRC_NONE);
	pp_topology_free(&t);
}

static void test_defaults(void **state)
{
	struct pp_topology t;
	const struct pp_region *r;
	const struct pp_namespace *ns;

	(void)state;
	expect_ok(REG(",\"namespaces\":[{\"dev\":\"namespace0.0\","
		      "\"mode\":\"fsdax\",\"size\":16777216,"
		      "\"dax\":null,\"kmem\":null}]"), &t);
	r = &t.regions[0];
	assert_int_equal(r->kind, PP_REGION_NFIT);
	assert_true(r->start == PP_UNKNOWN);
	assert_true(r->align == PP_UNKNOWN);
	assert_int_equal(r->ways, 1);
	assert_int_equal(r->numa_node, -1);
	assert_int_equal(r->target_node, -1);
	assert_false(r->enabled);
	assert_true(r->available_size == PP_UNKNOWN);
	ns = &r->ns[0];
	assert_int_equal(ns->map, PP_MAP_NONE);
	assert_true(ns->start == PP_UNKNOWN);
	assert_true(ns->dataoff == PP_UNKNOWN);
	assert_true(ns->align == PP_UNKNOWN);
	assert_string_equal(ns->uuid, "");
	assert_null(ns->dax);
	pp_topology_free(&t);

	/* dax defaults; a predicted kmem object is not a fact */
	expect_ok(DAX("}, \"kmem\":{\"source\":\"predicted\","
		      "\"start\":1,\"end\":0"), &t);
	ns = &t.regions[0].ns[0];
	assert_non_null(ns->dax);
	assert_int_equal(ns->dax->memmap_on_memory, -1);
	assert_int_equal(ns->dax->target_node, -1);
	assert_true(ns->dax->kmem_start == PP_UNKNOWN);
	assert_true(ns->dax->kmem_end == PP_UNKNOWN);
	assert_true(ns->dax->online_blocks == PP_UNKNOWN);
	pp_topology_free(&t);
}

static void test_tolerance(void **state)
{
	struct pp_topology t;

	(void)state;
	/* unknown keys, computed keys, whitespace, map "none" */
	expect_ok("\n {\"schema\": 1, \"future\": {\"x\": [1, 2]},"
		  " \"totals\": {\"kmem\": 5},"
		  " \"platform\": {\"arch\": \"ppc64le\", \"new_fact\": 3},"
		  " \"regions\": [{\"dev\": \"region0\", \"size\": 0,"
		  "   \"capacity\": \"whatever\", \"namespaces\": [] }],"
		  " \"notes\": []}\n\n", &t);
	assert_int_equal(t.plat.arch, PP_ARCH_PPC64);
	assert_int_equal(t.nr_regions, 1);
	pp_topology_free(&t);

	/* biggest values that fit */
	expect_ok(REG(",\"resource\":0,\"align\":9223372036854775808,"
		      "\"available_size\":0"), &t);
	assert_true(t.regions[0].align == 0x8000000000000000ULL);
	pp_topology_free(&t);
	expect_ok(DOC(PLAT, "[{\"dev\":\"region0\","
		      "\"resource\":18446744073709543424,\"size\":4096}]"), &t);
	assert_true(t.regions[0].start == UINT64_MAX - 8191);
	pp_topology_free(&t);

	/* names at the buffer limit (31 bytes + NUL) */
	expect_ok(DOC(PLAT, "[{\"dev\":\"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr\","
		      "\"size\":4096}]"), &t);
	assert_int_equal(strlen(t.regions[0].dev), 31);
	pp_topology_free(&t);

	/* UTF-8 is fine in names and notes */
	expect_ok(DOC(PLAT, "[{\"dev\":\"r\xc3\xa9gion\",\"size\":4096}]"), &t);
	pp_topology_free(&t);
}

#define STR31 "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"
#define STR32 STR31 "r"

/* The firmware map: optional, sorted on reading, type may be blank. */
static void test_fwmap(void **state)
{
	struct pp_topology t;
	const struct pp_fw_range *f;

	(void)state;
	/* absent and empty both read as no map */
	expect_ok(DOCP("\"root\":true"), &t);
	assert_int_equal(t.plat.nr_fwmap, 0);
	assert_null(t.plat.fwmap);
	pp_topology_free(&t);
	expect_ok(DOCP("\"firmware_memmap\":[]"), &t);
	assert_int_equal(t.plat.nr_fwmap, 0);
	assert_null(t.plat.fwmap);
	pp_topology_free(&t);
	expect_ok(DOCP("\"firmware_memmap\":null"), &t);
	assert_int_equal(t.plat.nr_fwmap, 0);
	pp_topology_free(&t);

	/* out of order in the document, in order in the topology */
	expect_ok(DOCP("\"firmware_memmap\":["
		       "{\"start\":4294967296,\"end\":6442450944,"
		       "\"type\":\"System RAM\",\"extra\":1},"
		       "{\"start\":0,\"end\":654336,\"type\":\"System RAM\"},"
		       "{\"start\":654336,\"end\":655360,\"type\":null},"
		       "{\"start\":18446744073709551613,"
		       "\"end\":18446744073709551614,"
		       "\"type\":\"" STR31 "\"}]"), &t);
	assert_int_equal(t.plat.nr_fwmap, 4);
	f = t.plat.fwmap;
	assert_true(f[0].start == 0 && f[0].end == 0x9fc00);
	assert_string_equal(f[0].type, "System RAM");
	assert_true(f[1].start == 0x9fc00 && f[1].end == 0xa0000);
	assert_string_equal(f[1].type, "");
	assert_true(f[2].start == 4 * G && f[2].end == 6 * G);
	assert_true(f[3].end == UINT64_MAX - 1);
	assert_int_equal(strlen(f[3].type), 31);
	pp_topology_free(&t);
}

/*
 * claimed, signature, busy: taken as written; derived for a document from
 * before the keys, from what the probe would have said.
 */
static void test_usage(void **state)
{
	struct pp_topology t;
	const struct pp_namespace *ns;

	(void)state;
	expect_ok(NS(",\"claimed\":false,\"signature\":\"xfs\","
		     "\"busy\":true"), &t);
	ns = &t.regions[0].ns[0];
	assert_false(ns->claimed);
	assert_true(ns->sig_probed);
	assert_string_equal(ns->signature, "xfs");
	assert_true(ns->busy);
	pp_topology_free(&t);

	expect_ok(NS(",\"signature\":\"\""), &t);
	ns = &t.regions[0].ns[0];
	assert_true(ns->sig_probed);
	assert_string_equal(ns->signature, "");
	pp_topology_free(&t);

	expect_ok(NS(",\"signature\":null"), &t);
	assert_false(t.regions[0].ns[0].sig_probed);
	pp_topology_free(&t);

	expect_ok(REG(",\"label_capable\":true"), &t);
	assert_true(t.regions[0].label_capable);
	pp_topology_free(&t);
	/* no key: a labelled region can hold labels; others are not known to */
	expect_ok(REG(",\"labelled\":true"), &t);
	assert_true(t.regions[0].label_capable);
	pp_topology_free(&t);
	expect_ok(REG(",\"labelled\":false"), &t);
	assert_false(t.regions[0].label_capable);
	pp_topology_free(&t);
	expect_ok(REG(",\"labelled\":true,\"label_capable\":null"), &t);
	assert_true(t.regions[0].label_capable);
	pp_topology_free(&t);
	expect_ok(REG(",\"labelled\":true,\"label_capable\":false"), &t);
	assert_false(t.regions[0].label_capable);
	pp_topology_free(&t);
	/* label_index: absent (older documents) is unknown */
	expect_ok(REG(",\"label_capable\":true"), &t);
	assert_int_equal(t.regions[0].label_index, PP_LABEL_INDEX_UNKNOWN);
	pp_topology_free(&t);
	expect_ok(REG(",\"label_capable\":true,\"label_index\":\"none\""), &t);
	assert_int_equal(t.regions[0].label_index, PP_LABEL_INDEX_NONE);
	pp_topology_free(&t);
	expect_ok(REG(",\"label_index\":\"valid\""), &t);
	assert_int_equal(t.regions[0].label_index, PP_LABEL_INDEX_VALID);
	pp_topology_free(&t);
	expect_ok(REG(",\"label_index\":null"), &t);
	assert_int_equal(t.regions[0].label_index, PP_LABEL_INDEX_UNKNOWN);
	pp_topology_free(&t);

	/* no keys: devdax and sector are claims, so is an fsdax info block */
	expect_ok(REGA(",\"namespaces\":["
		       "{\"dev\":\"namespace0.0\",\"mode\":\"devdax\","
		       "\"size\":4096},"
		       "{\"dev\":\"namespace0.1\",\"mode\":\"sector\","
		       "\"size\":4096},"
		       "{\"dev\":\"namespace0.2\",\"mode\":\"fsdax\","
		       "\"size\":4096},"
		       "{\"dev\":\"namespace0.3\",\"mode\":\"fsdax\","
		       "\"size\":4096,\"dataoff\":0},"
		       "{\"dev\":\"namespace0.4\",\"mode\":\"raw\","
		       "\"size\":4096},"
		       "{\"dev\":\"namespace0.5\",\"mode\":\"devdax\","
		       "\"size\":4096,\"claimed\":false}]"), &t);
	ns = t.regions[0].ns;
	assert_true(ns[0].claimed);
	assert_true(ns[1].claimed);
	assert_true(ns[2].claimed);
	assert_false(ns[3].claimed);	/* e820 fsdax: no info block */
	assert_false(ns[4].claimed);
	assert_false(ns[5].claimed);
	assert_false(ns[0].sig_probed);
	assert_false(ns[4].busy);
	pp_topology_free(&t);

	/* no busy key: System RAM is busy unless known to be all offline */
	expect_ok(DAX(",\"online_memblocks\":3"), &t);
	assert_true(t.regions[0].ns[0].busy);
	pp_topology_free(&t);
	expect_ok(DAX(""), &t);
	assert_true(t.regions[0].ns[0].busy);
	pp_topology_free(&t);
	expect_ok(DAX(",\"online_memblocks\":0"), &t);
	assert_false(t.regions[0].ns[0].busy);
	pp_topology_free(&t);
	expect_ok(DAX(",\"online_memblocks\":3},\"busy\":false,\"x\":{"), &t);
	assert_false(t.regions[0].ns[0].busy);
	pp_topology_free(&t);
	expect_ok(NS(",\"dax\":{\"chardev\":\"dax0.0\",\"mode\":\"devdax\"}"),
		  &t);
	assert_false(t.regions[0].ns[0].busy);
	pp_topology_free(&t);
}

/* ------------------------------------------------------------------ */
/* reader: every validation rule                                       */
/* ------------------------------------------------------------------ */

static const struct bad_case {
	const char *name;
	const char *doc;
	const char *msg;
} bad_cases[] = {
	/* syntax */
	{ "truncated", "{\"schema\": 1, \"platform\": {\"ar",
	  "malformed JSON at byte 30 (line 1, column 31): unexpected end of data" },
	{ "unterminated string", "{\"schema\": 1, \"x\": \"abc",
	  "unexpected end of data" },
	{ "garbage", "hello", "malformed JSON at byte 0" },
	{ "trailing comma", "{\"schema\": 1,}", "malformed JSON at byte 13" },
	{ "comment", "/* x */ {\"schema\": 1}", "malformed JSON at byte 0" },
	/* json-c takes 'key' even when strict; a 'value' it refuses */
	{ "single quotes", "{\"schema\": 'x'}", "malformed JSON at byte 11" },
	{ "trailing data", "{\"schema\": 1} {}",
	  "malformed JSON at byte 14 (line 1, column 15): trailing data after the JSON document" },
	{ "trailing data on later line", "{\"schema\": 1}\n\n  x",
	  "byte 17 (line 3, column 3): trailing data" },
	{ "error on line 3", "{\n\"schema\": 1,\n\"platform\": tru }",
	  "(line 3, column 16): boolean expected" },
	{ "leading zero", DOC(PLAT, "[{\"dev\":\"r\",\"size\":012}]"),
	  "malformed JSON" },
	{ "invalid utf-8", "{\"schema\": 1, \"x\": \"\xff\"}",
	  "malformed JSON at byte 20 (line 1, column 21): invalid utf-8 string" },
	{ "empty", "", "empty input: not a pmemplan snapshot" },
	{ "blank", " \n\t\r\n", "empty input" },
	{ "nesting", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
	  "malformed JSON at byte 32 (line 1, column 33): nesting too deep" },

	/* top level */
	{ "array", "[]",
	  "not a pmemplan snapshot: expected a JSON object, got an array" },
	{ "number", "42", "expected a JSON object, got 42" },
	{ "no schema", "{\"platform\": {}, \"regions\": []}",
	  "not a pmemplan snapshot: no \"schema\" key (expected the output of pmemplan show --json)" },
	{ "schema 2", "{\"schema\": 2}",
	  "unsupported schema 2: this pmemplan reads schema 1" },
	{ "schema 0", "{\"schema\": 0}", "unsupported schema 0" },
	{ "schema string", "{\"schema\": \"1\"}",
	  "schema: expected an integer, got \"1\"" },
	{ "schema double", "{\"schema\": 1.0}",
	  "schema: expected an integer, got 1.0" },
	{ "no platform", "{\"schema\": 1, \"regions\": []}",
	  "platform: required key is missing" },
	{ "platform array", "{\"schema\": 1, \"platform\": [], \"regions\": []}",
	  "platform: expected an object, got an array" },
	{ "no regions", "{\"schema\": 1, \"platform\": " PLAT "}",
	  "regions: required key is missing" },
	{ "regions null", DOC(PLAT, "null"),
	  "regions: expected an array, got null" },
	{ "regions object", DOC(PLAT, "{}"),
	  "regions: expected an array, got an object" },
	{ "region not object", DOC(PLAT, "[5]"),
	  "regions[0]: expected an object, got 5" },
	{ "notes not array",
	  "{\"schema\":1,\"platform\":" PLAT ",\"regions\":[],\"notes\":\"x\"}",
	  "notes: expected an array, got \"x\"" },
	{ "note not string",
	  "{\"schema\":1,\"platform\":" PLAT ",\"regions\":[],\"notes\":[\"a\",1]}",
	  "notes[1]: expected a string, got 1" },

	/* platform */
	{ "no arch", DOC("{}", "[]"), "platform.arch: required key is missing" },
	{ "arch number", DOC("{\"arch\":64}", "[]"),
	  "platform.arch: expected a string, got 64" },
	{ "arch unknown", DOC("{\"arch\":\"mips64\"}", "[]"),
	  "platform.arch: unknown architecture \"mips64\" (expected x86_64, aarch64, ppc64le, riscv64, s390x or loongarch64)" },
	{ "page_size string", DOCP("\"page_size\":\"4K\""),
	  "platform.page_size: expected a non-negative integer, got \"4K\"" },
	{ "page_size not pow2", DOCP("\"page_size\":5000"),
	  "platform.page_size: expected a power of two, got 5000" },
	{ "page_size small", DOCP("\"page_size\":2048"),
	  "platform.page_size: expected a power of two from 4096 to 65536, got 2048" },
	{ "page_size big", DOCP("\"page_size\":131072"),
	  "platform.page_size: expected a power of two from 4096 to 65536, got 131072" },
	{ "page_size zero", DOCP("\"page_size\":0"),
	  "platform.page_size: expected a power of two, got 0" },
	{ "block_size not pow2", DOCP("\"block_size\":100000000"),
	  "platform.block_size: expected a power of two, got 100000000" },
	{ "section_size not pow2", DOCP("\"section_size\":3"),
	  "platform.section_size: expected a power of two, got 3" },
	{ "compat_align not pow2", DOCP("\"compat_align\":3145728"),
	  "platform.compat_align: expected a power of two, got 3145728" },
	{ "hpage_pmd_size not pow2", DOCP("\"hpage_pmd_size\":3000000"),
	  "platform.hpage_pmd_size: expected a power of two, got 3000000" },
	{ "block below page", DOCP("\"page_size\":65536,\"block_size\":32768"),
	  "platform.block_size: smaller than page_size (32768 < 65536)" },
	{ "pageblock_order", DOCP("\"pageblock_order\":21"),
	  "platform.pageblock_order: expected at most 20, got 21" },
	{ "negative mem_total", DOCP("\"mem_total\":-5"),
	  "platform.mem_total: expected a non-negative integer, got -5" },
	{ "double numa_nodes", DOCP("\"numa_nodes\":1.5"),
	  "platform.numa_nodes: expected a non-negative integer, got 1.5" },
	{ "bool page_size", DOCP("\"page_size\":true"),
	  "platform.page_size: expected a non-negative integer, got true" },
	{ "alignments not array", DOCP("\"supported_alignments\":4096"),
	  "platform.supported_alignments: expected an array, got 4096" },
	{ "alignments too many",
	  DOCP("\"supported_alignments\":[4096,8192,16384,32768,65536]"),
	  "platform.supported_alignments: too many entries (max 4)" },
	{ "alignment not pow2", DOCP("\"supported_alignments\":[4096,6144]"),
	  "platform.supported_alignments[1]: expected a power of two, got 6144" },
	{ "alignment null", DOCP("\"supported_alignments\":[null]"),
	  "platform.supported_alignments[0]: expected a non-negative integer, got null" },
	{ "mom unknown", DOCP("\"memmap_on_memory\":\"yes\""),
	  "platform.memmap_on_memory: unknown memmap_on_memory value \"yes\" (expected absent, N, Y or force)" },
	{ "mom bool", DOCP("\"memmap_on_memory\":true"),
	  "platform.memmap_on_memory: expected a string, got true" },
	{ "fwmap not array", DOCP("\"firmware_memmap\":{}"),
	  "platform.firmware_memmap: expected an array, got an object" },
	{ "fwmap entry not object", DOCP("\"firmware_memmap\":[[0,1]]"),
	  "platform.firmware_memmap[0]: expected an object, got an array" },
	{ "fwmap no start",
	  DOCP("\"firmware_memmap\":[{\"end\":1,\"type\":\"System RAM\"}]"),
	  "platform.firmware_memmap[0].start: required key is missing" },
	{ "fwmap end null",
	  DOCP("\"firmware_memmap\":[{\"start\":0,\"end\":null}]"),
	  "platform.firmware_memmap[0].end: expected a non-negative integer, got null" },
	{ "fwmap end string",
	  DOCP("\"firmware_memmap\":[{\"start\":0,\"end\":\"0x9fbff\"}]"),
	  "platform.firmware_memmap[0].end: expected a non-negative integer, got \"0x9fbff\"" },
	{ "fwmap empty range",
	  DOCP("\"firmware_memmap\":[{\"start\":0,\"end\":4096},"
	       "{\"start\":4096,\"end\":4096}]"),
	  "platform.firmware_memmap[1].end: not after start (0x1000 <= 0x1000)" },
	{ "fwmap end before start",
	  DOCP("\"firmware_memmap\":[{\"start\":8192,\"end\":4095}]"),
	  "platform.firmware_memmap[0].end: not after start (0xfff <= 0x2000)" },
	{ "fwmap end u64 max",
	  DOCP("\"firmware_memmap\":[{\"start\":0,"
	       "\"end\":18446744073709551615}]"),
	  "platform.firmware_memmap[0].end: integer too large" },
	{ "fwmap type long",
	  DOCP("\"firmware_memmap\":[{\"start\":0,\"end\":1,"
	       "\"type\":\"" STR32 "\"}]"),
	  "platform.firmware_memmap[0].type: string too long (32 bytes, max 31)" },
	{ "fwmap type number",
	  DOCP("\"firmware_memmap\":[{\"start\":0,\"end\":1,\"type\":1}]"),
	  "platform.firmware_memmap[0].type: expected a string, got 1" },
	{ "fwmap type control",
	  DOCP("\"firmware_memmap\":[{\"start\":0,\"end\":1,"
	       "\"type\":\"System\\nRAM\"}]"),
	  "platform.firmware_memmap[0].type: control character in string at offset 6" },
	{ "kernel long",
	  DOCP("\"kernel\":\"6.1.0-" STR32 STR32 "\""),
	  "platform.kernel: string too long (70 bytes, max 63)" },
	{ "kernel_version garbage", DOCP("\"kernel_version\":\"six\""),
	  "platform.kernel_version: expected a version such as \"6.1.119\", got \"six\"" },
	{ "kernel_version number", DOCP("\"kernel_version\":6.1"),
	  "platform.kernel_version: expected a string, got 6.1" },
	{ "auto_online long",
	  DOCP("\"auto_online_blocks\":\"online_movable_and_more_x\""),
	  "platform.auto_online_blocks: string too long (25 bytes, max 23)" },
	{ "root string", DOCP("\"root\":\"yes\""),
	  "platform.root: expected true or false, got \"yes\"" },
	{ "source not object", DOCP("\"source\":\"sysfs\""),
	  "platform.source: expected an object, got \"sysfs\"" },
	{ "source entry type", DOCP("\"page_size\":4096,\"source\":{\"page_size\":1}"),
	  "platform.source.page_size: expected a string, got 1" },

	/* 64-bit limits: json-c clamps, the reader must not */
	{ "u64 max", REG(",\"align\":18446744073709551615"),
	  "regions[0].align: integer too large (max 18446744073709551614)" },
	{ "2^64", REG(",\"resource\":18446744073709551616"),
	  "regions[0].resource: integer too large" },
	{ "huge", DOCP("\"mem_total\":99999999999999999999999999"),
	  "platform.mem_total: integer too large" },
	{ "huge negative", REG(",\"available_size\":-99999999999999999999"),
	  "regions[0].available_size: expected a non-negative integer, got a negative number" },
	{ "exponent", REG(",\"align\":1e3"),
	  "regions[0].align: expected a non-negative integer, got 1e3" },
	{ "huge exponent", REG(",\"align\":1E400"),
	  "regions[0].align: expected a non-negative integer, got 1E400" },
	{ "NaN", REG(",\"align\":NaN"),
	  "regions[0].align: expected a non-negative integer, got NaN" },
	{ "int field huge", REG(",\"numa_node\":18446744073709551615"),
	  "regions[0].numa_node: expected an integer from -1 to 65535, got 18446744073709551615" },

	/* regions */
	{ "region no dev", DOC(PLAT, "[{\"size\":4096}]"),
	  "regions[0].dev: required key is missing" },
	{ "region dev null", DOC(PLAT, "[{\"dev\":null,\"size\":4096}]"),
	  "regions[0].dev: expected a string, got null" },
	{ "region dev empty", DOC(PLAT, "[{\"dev\":\"\",\"size\":4096}]"),
	  "regions[0].dev: expected a non-empty string" },
	{ "region dev long", DOC(PLAT, "[{\"dev\":\"" STR32 "\",\"size\":4096}]"),
	  "regions[0].dev: string too long (32 bytes, max 31)" },
	{ "region dev control", DOC(PLAT, "[{\"dev\":\"a\\nb\",\"size\":4096}]"),
	  "regions[0].dev: control character in string at offset 1" },
	{ "region dev raw newline", DOC(PLAT, "[{\"dev\":\"a\nb\",\"size\":4096}]"),
	  "regions[0].dev: control character in string at offset 1" },
	{ "region dev NUL escape",
	  DOC(PLAT, "[{\"dev\":\"a\\u0000b\",\"size\":4096}]"),
	  "regions[0].dev: control character in string at offset 1" },
	{ "region no size", DOC(PLAT, "[{\"dev\":\"region0\"}]"),
	  "regions[0].size: required key is missing" },
	{ "region size null", DOC(PLAT, "[{\"dev\":\"region0\",\"size\":null}]"),
	  "regions[0].size: expected a non-negative integer, got null" },
	{ "region size string", DOC(PLAT, "[{\"dev\":\"region0\",\"size\":\"12G\"}]"),
	  "regions[0].size: expected a non-negative integer, got \"12G\"" },
	{ "region size negative", DOC(PLAT, "[{\"dev\":\"region0\",\"size\":-5}]"),
	  "regions[0].size: expected a non-negative integer, got -5" },
	{ "region kind", REG(",\"kind\":\"hyperv\""),
	  "regions[0].kind: unknown region kind \"hyperv\" (expected nfit, e820, virtio, papr_scm, of_pmem, cxl, nfit_test or other)" },
	{ "region align", REG(",\"align\":3000000"),
	  "regions[0].align: expected a power of two, got 3000000" },
	{ "region align zero", REG(",\"align\":0"),
	  "regions[0].align: expected a power of two, got 0" },
	{ "ways 0", REG(",\"interleave_ways\":0"),
	  "regions[0].interleave_ways: expected an integer from 1 to 64, got 0" },
	{ "ways 65", REG(",\"interleave_ways\":65"),
	  "regions[0].interleave_ways: expected an integer from 1 to 64, got 65" },
	{ "ways string", REG(",\"interleave_ways\":\"2\""),
	  "regions[0].interleave_ways: expected an integer from 1 to 64, got \"2\"" },
	{ "numa_node -2", REG(",\"numa_node\":-2"),
	  "regions[0].numa_node: expected an integer from -1 to 65535, got -2" },
	{ "target_node double", REG(",\"target_node\":0.5"),
	  "regions[0].target_node: expected an integer from -1 to 65535, got 0.5" },
	{ "enabled int", REG(",\"enabled\":1"),
	  "regions[0].enabled: expected true or false, got 1" },
	{ "region overflow",
	  DOC(PLAT, "[{\"dev\":\"region0\",\"resource\":18446744073709551000,"
	      "\"size\":4096}]"),
	  "regions[0].size: resource + size exceeds 64 bits" },
	{ "available > size", REG(",\"available_size\":4294967297"),
	  "regions[0].available_size: larger than the region (4294967297 > size 4294967296)" },
	{ "extent > size", REG(",\"max_available_extent\":8589934592"),
	  "regions[0].max_available_extent: larger than the region" },
	{ "namespaces object", REG(",\"namespaces\":{}"),
	  "regions[0].namespaces: expected an array, got an object" },
	{ "duplicate region",
	  DOC(PLAT, "[{\"dev\":\"region0\",\"size\":4096},"
	      "{\"dev\":\"region1\",\"size\":4096},"
	      "{\"dev\":\"region0\",\"size\":4096},"
	      "{\"dev\":\"region1\",\"size\":4096}]"),
	  "regions[2].dev: duplicate name \"region0\" (also regions[0].dev)" },

	/* namespaces */
	{ "ns not object", REG(",\"namespaces\":[[]]"),
	  "regions[0].namespaces[0]: expected an object, got an array" },
	{ "ns no dev", REG(",\"namespaces\":[{\"mode\":\"raw\",\"size\":4096}]"),
	  "regions[0].namespaces[0].dev: required key is missing" },
	{ "ns no mode", REG(",\"namespaces\":[{\"dev\":\"n\",\"size\":4096}]"),
	  "regions[0].namespaces[0].mode: required key is missing" },
	{ "ns no size", REG(",\"namespaces\":[{\"dev\":\"n\",\"mode\":\"raw\"}]"),
	  "regions[0].namespaces[0].size: required key is missing" },
	{ "ns mode", NS(",\"mode\":\"dax\""),
	  "regions[0].namespaces[0].mode: unknown mode \"dax\" (expected raw, fsdax, devdax or sector)" },
	{ "ns map", NS(",\"map\":\"pmem\""),
	  "regions[0].namespaces[0].map: unknown map \"pmem\" (expected none, mem or dev)" },
	{ "ns size 0", REGA(",\"namespaces\":[{\"dev\":\"n\",\"mode\":\"raw\",\"size\":0}]"),
	  "regions[0].namespaces[0].size: expected a positive size, got 0" },
	{ "ns size string", REGA(",\"namespaces\":[{\"dev\":\"n\",\"mode\":\"raw\",\"size\":\"12G\"}]"),
	  "regions[0].namespaces[0].size: expected a non-negative integer, got \"12G\"" },
	{ "ns align", NS(",\"align\":12345"),
	  "regions[0].namespaces[0].align: expected a power of two, got 12345" },
	{ "ns dataoff", NS(",\"dataoff\":1073741825"),
	  "regions[0].namespaces[0].dataoff: beyond the end of the namespace" },
	{ "ns uuid long", NS(",\"uuid\":\"" STR32 STR32 "\""),
	  "regions[0].namespaces[0].uuid: string too long (64 bytes, max 39)" },
	{ "ns name long", NS(",\"name\":\"" STR32 STR32 "\""),
	  "regions[0].namespaces[0].name: string too long (64 bytes, max 63)" },
	{ "ns outside region", NS(",\"resource\":8589934592"),
	  "regions[0].namespaces[0].resource: [0x200000000, 0x240000000) lies outside region0 [0x100000000, 0x200000000)" },
	{ "ns below region", NS(",\"resource\":4294963200"),
	  "regions[0].namespaces[0].resource: [0xfffff000, 0x13ffff000) lies outside region0" },
	{ "ns overflow", NS(",\"resource\":18446744072635809792"),
	  "regions[0].namespaces[0].size: resource + size exceeds 64 bits" },
	{ "ns overlap",
	  REGA(",\"namespaces\":["
	       "{\"dev\":\"namespace0.0\",\"mode\":\"raw\",\"size\":1073741824,\"resource\":4294967296},"
	       "{\"dev\":\"namespace0.1\",\"mode\":\"raw\",\"size\":1073741824,\"resource\":5368709120},"
	       "{\"dev\":\"namespace0.2\",\"mode\":\"raw\",\"size\":1073741824,\"resource\":5368705024}]"),
	  "regions[0].namespaces[2].resource: [0x13ffff000, 0x17ffff000) overlaps namespace0.0 [0x100000000, 0x140000000)" },
	{ "duplicate ns across regions",
	  DOC(PLAT, "[{\"dev\":\"region0\",\"size\":4096,\"namespaces\":"
	      "[{\"dev\":\"namespace0.0\",\"mode\":\"raw\",\"size\":4096}]},"
	      "{\"dev\":\"region1\",\"size\":4096,\"namespaces\":"
	      "[{\"dev\":\"namespace0.0\",\"mode\":\"raw\",\"size\":4096}]}]"),
	  "regions[1].namespaces[0].dev: duplicate name \"namespace0.0\" (also regions[0].namespaces[0].dev)" },

	/* what may hold data */
	{ "label_index bad", REG(",\"label_index\":\"blank\""),
	  "regions[0].label_index: unknown label index \"blank\" (expected none or valid)" },
	{ "label_capable string", REG(",\"label_capable\":\"yes\""),
	  "regions[0].label_capable: expected true or false, got \"yes\"" },
	{ "claimed int", NS(",\"claimed\":1"),
	  "regions[0].namespaces[0].claimed: expected true or false, got 1" },
	{ "busy string", NS(",\"busy\":\"false\""),
	  "regions[0].namespaces[0].busy: expected true or false, got \"false\"" },
	{ "signature bool", NS(",\"signature\":false"),
	  "regions[0].namespaces[0].signature: expected a string, got false" },
	{ "signature long", NS(",\"signature\":\"" STR32 "\""),
	  "regions[0].namespaces[0].signature: string too long (32 bytes, max 31)" },
	{ "signature nul", NS(",\"signature\":\"ext\\u00004\""),
	  "regions[0].namespaces[0].signature: control character in string at offset 3" },

	/* dax */
	{ "dax not object", NS(",\"dax\":\"dax0.0\""),
	  "regions[0].namespaces[0].dax: expected an object, got \"dax0.0\"" },
	{ "dax no chardev", NS(",\"dax\":{\"mode\":\"devdax\"}"),
	  "regions[0].namespaces[0].dax.chardev: required key is missing" },
	{ "dax no mode", NS(",\"dax\":{\"chardev\":\"dax0.0\"}"),
	  "regions[0].namespaces[0].dax.mode: required key is missing" },
	{ "dax mode null", NS(",\"dax\":{\"chardev\":\"dax0.0\",\"mode\":null}"),
	  "regions[0].namespaces[0].dax.mode: expected a string, got null" },
	{ "dax mode", NS(",\"dax\":{\"chardev\":\"dax0.0\",\"mode\":\"kmem\"}"),
	  "regions[0].namespaces[0].dax.mode: unknown dax mode \"kmem\" (expected disabled, devdax or system-ram)" },
	{ "dax mom 2", DAX(",\"memmap_on_memory\":2"),
	  "regions[0].namespaces[0].dax.memmap_on_memory: expected an integer from 0 to 1, got 2" },
	{ "dax mom bool", DAX(",\"memmap_on_memory\":true"),
	  "regions[0].namespaces[0].dax.memmap_on_memory: expected an integer from 0 to 1, got true" },
	{ "dax zone long", DAX(",\"zone\":\"Movable-and-Normal\""),
	  "regions[0].namespaces[0].dax.zone: string too long (18 bytes, max 15)" },
	{ "dax align", DAX(",\"align\":3"),
	  "regions[0].namespaces[0].dax.align: expected a power of two, got 3" },
	{ "dax blocks", DAX(",\"online_memblocks\":3,\"total_memblocks\":2"),
	  "regions[0].namespaces[0].dax.online_memblocks: more than total_memblocks (3 > 2)" },
	{ "dax outside ns",
	  NS(",\"resource\":4294967296,\"dax\":{\"chardev\":\"dax0.0\","
	     "\"mode\":\"devdax\",\"resource\":4294967296,\"size\":2147483648}"),
	  "regions[0].namespaces[0].dax.resource: [0x100000000, 0x180000000) lies outside namespace0.0" },
	{ "dax size negative", DAX(",\"size\":-1"),
	  "regions[0].namespaces[0].dax.size: expected a non-negative integer, got -1" },
	{ "duplicate dax",
	  REGA(",\"namespaces\":["
	       "{\"dev\":\"namespace0.0\",\"mode\":\"devdax\",\"size\":4096,\"dax\":{\"chardev\":\"dax0.0\",\"mode\":\"devdax\"}},"
	       "{\"dev\":\"namespace0.1\",\"mode\":\"devdax\",\"size\":4096,\"dax\":{\"chardev\":\"dax0.0\",\"mode\":\"devdax\"}}]"),
	  "regions[0].namespaces[1].dax.chardev: duplicate name \"dax0.0\" (also regions[0].namespaces[0].dax.chardev)" },

	/* the measured kmem range */
	{ "kmem without dax", NS(",\"kmem\":{\"source\":\"measured\",\"start\":0,\"end\":0}"),
	  "regions[0].namespaces[0].kmem.source: \"measured\" but the namespace has no dax device" },
	{ "kmem start string", DAX("},\"kmem\":{\"source\":\"measured\",\"start\":\"0x1\",\"end\":0"),
	  "regions[0].namespaces[0].kmem.start: expected a non-negative integer, got \"0x1\"" },
	{ "kmem end before start", DAX("},\"kmem\":{\"source\":\"measured\",\"start\":5368709120,\"end\":4294967296"),
	  "regions[0].namespaces[0].kmem.end: before kmem.start" },
	{ "kmem outside ns",
	  NS(",\"resource\":4294967296,\"dax\":{\"chardev\":\"dax0.0\","
	     "\"mode\":\"system-ram\"},"
	     "\"kmem\":{\"source\":\"measured\",\"start\":4429185024,\"end\":5502926848}"),
	  "regions[0].namespaces[0].kmem.start: [0x108000000, 0x148000000) lies outside namespace0.0 [0x100000000, 0x140000000)" },
	{ "kmem in the info block",
	  NS(",\"resource\":4294967296,\"dataoff\":35651584,"
	     "\"dax\":{\"chardev\":\"dax0.0\",\"mode\":\"system-ram\"},"
	     "\"kmem\":{\"source\":\"measured\",\"start\":4294967296,\"end\":4429185024}"),
	  "kmem.start: [0x100000000, 0x108000000) lies outside namespace0.0 [0x102200000, 0x140000000)" },
	{ "kmem before the dax range",
	  NS(",\"resource\":4294967296,\"dax\":{\"chardev\":\"dax0.0\","
	     "\"mode\":\"system-ram\",\"resource\":4330618880,\"size\":1038090240},"
	     "\"kmem\":{\"source\":\"measured\",\"start\":4294967296,\"end\":4429185024}"),
	  "kmem.start: [0x100000000, 0x108000000) lies outside dax0.0 [0x102200000, 0x140000000)" },
};

static void test_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		check_bad(bad_cases[i].name, bad_cases[i].doc,
			  strlen(bad_cases[i].doc), bad_cases[i].msg);
}

/* ------------------------------------------------------------------ */
/* reader: limits, streams, garbage                                    */
/* ------------------------------------------------------------------ */

/* text appended to a growing heap buffer */
struct buf {
	char *s;
	size_t len, size;
};

static void append(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->size) {
		b->size = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->size);
		assert_non_null(b->s);
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static void test_array_caps(void **state)
{
	struct buf b = { 0 };
	struct pp_topology t;
	char item[96];
	unsigned int i;

	(void)state;
	/* 4096 regions are fine, 4097 are not */
	append(&b, "{\"schema\":1,\"platform\":" PLAT ",\"regions\":[");
	for (i = 0; i < 4096; i++) {
		snprintf(item, sizeof(item),
			 "%s{\"dev\":\"region%u\",\"size\":4096}",
			 i ? "," : "", i);
		append(&b, item);
	}
	append(&b, "]}");
	expect_ok(b.s, &t);
	assert_int_equal(t.nr_regions, 4096);
	pp_topology_free(&t);
	b.len -= 2;
	append(&b, ",{\"dev\":\"region4096\",\"size\":4096}]}");
	check_bad("4097 regions", b.s, b.len,
		  "regions: too many entries (max 4096)");

	b.len = 0;
	append(&b, "{\"schema\":1,\"platform\":" PLAT ",\"regions\":"
		   "[{\"dev\":\"region0\",\"size\":4096,\"namespaces\":[");
	for (i = 0; i < 4097; i++) {
		snprintf(item, sizeof(item),
			 "%s{\"dev\":\"namespace0.%u\",\"mode\":\"raw\",\"size\":4096}",
			 i ? "," : "", i);
		append(&b, item);
	}
	append(&b, "]}]}");
	check_bad("4097 namespaces", b.s, b.len,
		  "regions[0].namespaces: too many entries (max 4096)");

	b.len = 0;
	append(&b, "{\"schema\":1,\"platform\":" PLAT ",\"regions\":[],"
		   "\"notes\":[");
	for (i = 0; i < 4097; i++)
		append(&b, i ? ",\"n\"" : "\"n\"");
	append(&b, "]}");
	check_bad("4097 notes", b.s, b.len,
		  "notes: too many entries (max 4096)");

	/* 4096 firmware map entries are fine, 4097 are not */
	b.len = 0;
	append(&b, "{\"schema\":1,\"platform\":{\"arch\":\"x86_64\","
		   "\"firmware_memmap\":[");
	for (i = 0; i < 4096; i++) {
		snprintf(item, sizeof(item),
			 "%s{\"start\":%u,\"end\":%u,\"type\":\"Reserved\"}",
			 i ? "," : "", (4096 - i) * 4096, (4097 - i) * 4096);
		append(&b, item);
	}
	append(&b, "]},\"regions\":[]}");
	expect_ok(b.s, &t);
	assert_int_equal(t.plat.nr_fwmap, 4096);
	assert_true(t.plat.fwmap[0].start == 4096);
	assert_true(t.plat.fwmap[4095].end == 4097 * 4096);
	pp_topology_free(&t);
	b.len -= strlen("]},\"regions\":[]}");
	append(&b, ",{\"start\":0,\"end\":1}]},\"regions\":[]}");
	check_bad("4097 fwmap entries", b.s, b.len,
		  "platform.firmware_memmap: too many entries (max 4096)");
	free(b.s);
}

static void test_nesting(void **state)
{
	size_t len = 10 << 20;
	char *s = malloc(len);
	FILE *f;
	struct pp_topology t;
	char err[ERRLEN];

	(void)state;
	assert_non_null(s);
	memset(s, '[', len);
	check_bad("10 MB of [", s, len,
		  "malformed JSON at byte 32 (line 1, column 33): nesting too deep (limit 32 levels)");
	f = fmemopen(s, len, "r");
	assert_non_null(f);
	assert_int_equal(pp_snapshot_read(f, &t, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "nesting too deep"));
	fclose(f);
	free(s);
}

static void test_nul_byte(void **state)
{
	static const char doc[] = "{\"schema\": 1\0, \"platform\": {}}";
	static const char after[] = "{\"schema\":1,\"platform\":" PLAT
				    ",\"regions\":[]}\n\0\n";

	(void)state;
	check_bad("NUL", doc, sizeof(doc) - 1,
		  "malformed JSON at byte 12 (line 1, column 13): NUL byte in input");
	check_bad("NUL after", after, sizeof(after) - 1,
		  "trailing data after the JSON document");
}

/* pp_snapshot_read(): positions count across its 64 KiB chunks */
static void test_read_chunks(void **state)
{
	struct buf b = { 0 };
	struct pp_topology t;
	char err[ERRLEN];
	unsigned int i;
	FILE *f;

	(void)state;
	append(&b, "{\"schema\":1,\"platform\":" PLAT ",");
	for (i = 0; i < 20000; i++)
		append(&b, "        \n");	/* 180000 bytes, 20000 lines */
	append(&b, "\"regions\":[]}");
	f = fmemopen(b.s, b.len, "r");
	assert_non_null(f);
	assert_int_equal(pp_snapshot_read(f, &t, err, sizeof(err)), 0);
	fclose(f);
	pp_topology_free(&t);

	b.len -= 2;
	append(&b, "x}");
	f = fmemopen(b.s, b.len, "r");
	assert_non_null(f);
	memset(&t, 0x5a, sizeof(t));
	assert_int_equal(pp_snapshot_read(f, &t, err, sizeof(err)), -EINVAL);
	assert_true(topology_is_empty(&t));
	fclose(f);
	assert_string_equal(err,
		"malformed JSON at byte 180052 (line 20001, column 12): unexpected character");

	/* trailing garbage in a later chunk */
	b.len = 0;
	append(&b, "{\"schema\":1,\"platform\":" PLAT ",\"regions\":[]}");
	for (i = 0; i < 20000; i++)
		append(&b, "        \n");
	append(&b, "}");
	f = fmemopen(b.s, b.len, "r");
	assert_non_null(f);
	assert_int_equal(pp_snapshot_read(f, &t, err, sizeof(err)), -EINVAL);
	fclose(f);
	assert_string_equal(err,
		"malformed JSON at byte 180054 (line 20001, column 1): trailing data after the JSON document");

	/* empty stream */
	f = fmemopen(b.s, 0, "r");
	if (f) {
		assert_int_equal(pp_snapshot_read(f, &t, err, sizeof(err)),
				 -EINVAL);
		assert_non_null(strstr(err, "empty input"));
		fclose(f);
	}
	free(b.s);
}

/*
 * plan --input - tells JSON Lines from one pretty-printed document by its
 * first line: a whole value, or the "{" that opens a document.
 */
static void test_whole_line(void **state)
{
	static const char *const whole[] = {
		"{\"schema\":1}\n", "{\"schema\":1}", "{}\r\n", "[1, 2]  \n",
		"  {\"a\": {\"b\": [1]}}\t\n",
	};
	static const char *const part[] = {
		"{\n", "{", "", "\n", "   \n", "{\"schema\": 1,\n", "}\n",
		"{\"a\":1} {\"b\":2}\n", "{\"a\":1}x\n", "\"unterminated\n",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
		if (!pp_snapshot_whole_line(whole[i], strlen(whole[i])))
			fail_msg("not whole: '%s'", whole[i]);
	for (i = 0; i < sizeof(part) / sizeof(part[0]); i++)
		if (pp_snapshot_whole_line(part[i], strlen(part[i])))
			fail_msg("whole: '%s'", part[i]);
	/* a NUL inside the line: never taken for a value */
	assert_false(pp_snapshot_whole_line("{}\0{}", 5));
}

/*
 * A document whose first line was read already (head) reads as the whole
 * of it does: the same topology, and an error at the same byte, line and
 * column as pp_snapshot_read() of the whole.
 */
static void test_read_rest(void **state)
{
	static const char doc[] = "{\n\"schema\": 1,\n\"platform\": " PLAT
				  ",\n\"regions\": []\n}\n";
	static const char bad[] = "{\n\"schema\": 1,\n\"platform\": " PLAT
				  ",\n\"regions\": [}\n";
	char err[ERRLEN], err2[ERRLEN];
	struct pp_topology t;
	FILE *f;

	(void)state;
	f = fmemopen((void *)(doc + 2), sizeof(doc) - 3, "r");
	assert_non_null(f);
	assert_int_equal(pp_snapshot_read_rest(doc, 2, f, &t, err,
					       sizeof(err)), 0);
	fclose(f);
	assert_int_equal(t.plat.arch, PP_ARCH_X86_64);
	assert_int_equal(t.nr_regions, 0);
	pp_topology_free(&t);

	f = fmemopen((void *)bad, sizeof(bad) - 1, "r");
	assert_non_null(f);
	assert_int_equal(pp_snapshot_read(f, &t, err2, sizeof(err2)),
			 -EINVAL);
	fclose(f);
	f = fmemopen((void *)(bad + 2), sizeof(bad) - 3, "r");
	assert_non_null(f);
	assert_int_equal(pp_snapshot_read_rest(bad, 2, f, &t, err,
					       sizeof(err)), -EINVAL);
	fclose(f);
	assert_string_equal(err, err2);
	assert_non_null(strstr(err, "line 4"));
}

/* platform.hostname: written when known, read back, checked as a string. */
static void test_hostname(void **state)
{
	struct pp_topology t = { 0 }, u;
	struct json_object *o;
	char err[ERRLEN];
	const char *s;

	(void)state;
	o = pp_snapshot_platform(&t.plat);
	assert_non_null(o);
	assert_false(json_object_object_get_ex(o, "hostname", NULL));
	json_object_put(o);

	snprintf(t.plat.hostname, sizeof(t.plat.hostname), "db1");
	o = pp_snapshot_platform(&t.plat);
	assert_non_null(o);
	s = json_object_get_string(json_object_object_get(o, "hostname"));
	assert_string_equal(s, "db1");
	json_object_put(o);

	s = DOCP("\"hostname\":\"web-2.example\"");
	assert_int_equal(pp_snapshot_parse(s, strlen(s), &u, err,
					   sizeof(err)), 0);
	assert_string_equal(u.plat.hostname, "web-2.example");
	pp_topology_free(&u);
	s = DOCP("\"hostname\":\"a\\u0007b\"");
	assert_int_equal(pp_snapshot_parse(s, strlen(s), &u, err,
					   sizeof(err)), -EINVAL);
	assert_string_equal(err,
		"platform.hostname: control character in string at offset 1");
	s = DOCP("\"hostname\":"
		 "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"");
	assert_int_equal(pp_snapshot_parse(s, strlen(s), &u, err,
					   sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "platform.hostname: string too long"));
	s = DOCP("\"hostname\":7");
	assert_int_equal(pp_snapshot_parse(s, strlen(s), &u, err,
					   sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "platform.hostname"));
}

/* Every prefix of a valid document is refused, cleanly. */
static void test_truncations(void **state)
{
	struct pp_topology t;
	char err[ERRLEN];
	char *s;
	size_t len, i, end;

	(void)state;
	build(&t);
	s = serialize(&t);
	pp_topology_free(&t);
	len = strlen(s);
	end = len;
	while (end && s[end - 1] == '\n')
		end--;
	for (i = 1; i < end; i++) {
		int rc = pp_snapshot_parse(s, i, &t, err, sizeof(err));

		if (rc != -EINVAL || !strstr(err, "unexpected end of data"))
			print_error("prefix %zu: rc %d: %s\n", i, rc, err);
		assert_int_equal(rc, -EINVAL);
		assert_non_null(strstr(err, "unexpected end of data"));
		assert_true(topology_is_empty(&t));
	}
	free(s);
}

/* Corrupt each byte: never a crash, a leak or a multi-line message. */
static void test_mutations(void **state)
{
	static const char subst[] = { '\0', '"', '-', '9', 'x', '\xff' };
	struct pp_topology t;
	char err[ERRLEN];
	char *s, saved;
	size_t len, i, j;
	unsigned int ok = 0, bad = 0;

	(void)state;
	build(&t);
	s = serialize(&t);
	pp_topology_free(&t);
	len = strlen(s);
	for (i = 0; i < len; i++) {
		saved = s[i];
		for (j = 0; j < sizeof(subst); j++) {
			int rc;

			if (subst[j] == saved)
				continue;
			s[i] = subst[j];
			err[0] = '\0';
			rc = pp_snapshot_parse(s, len, &t, err, sizeof(err));
			if (rc) {
				assert_int_equal(rc, -EINVAL);
				assert_true(err[0] != '\0');
				assert_null(strchr(err, '\n'));
				assert_true(topology_is_empty(&t));
				bad++;
			} else {
				pp_topology_free(&t);
				ok++;
			}
		}
		s[i] = saved;
	}
	assert_true(bad > ok);
	free(s);
}

/* The input cap, and a stream that cannot be read. */
static void test_too_big_and_eio(void **state)
{
	size_t len = (64u << 20) + 1;
	char *s = malloc(len);
	struct pp_topology t;
	char err[ERRLEN];
	FILE *f;

	(void)state;
	assert_non_null(s);
	memset(s, ' ', len);
	check_bad("65 MiB", s, len, "input larger than 64 MiB");
	f = fmemopen(s, len, "r");
	assert_non_null(f);
	assert_int_equal(pp_snapshot_read(f, &t, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "input larger than 64 MiB"));
	fclose(f);
	free(s);

	/* fread() of a directory fails with EISDIR */
	f = fopen(".", "r");
	if (!f)
		skip();
	memset(&t, 0x5a, sizeof(t));
	assert_int_equal(pp_snapshot_read(f, &t, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "read error: "));
	assert_true(topology_is_empty(&t));
	fclose(f);
}

/* An error buffer too small, or none, still gives the right code. */
static void test_small_err(void **state)
{
	struct pp_topology t;
	char err[8];

	(void)state;
	assert_int_equal(pp_snapshot_parse("[]", 2, &t, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a p");
	assert_int_equal(pp_snapshot_parse("[]", 2, &t, NULL, 0), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* tests/bad-input: every .expect says what the reader really says      */
/* ------------------------------------------------------------------ */

static bool corpus_dir(char *dir, size_t size)
{
	const char *src = getenv("SRCDIR");
	char here[PATH_MAX / 2];
	char *slash;
	DIR *d;

	if (src && *src)
		snprintf(dir, size, "%s/tests/bad-input", src);
	else {
		/* __FILE__ is .../tests/unit/test_snapshot.c */
		snprintf(here, sizeof(here), "%s", __FILE__);
		slash = strrchr(here, '/');
		if (slash)
			*slash = '\0';
		else
			snprintf(here, sizeof(here), ".");
		snprintf(dir, size, "%s/../bad-input", here);
	}
	d = opendir(dir);
	if (!d)
		return false;
	closedir(d);
	return true;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_bad_input_corpus(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 300], line1[32], line2[400];
	char err[ERRLEN];
	char **names = NULL;
	size_t n = 0, i, len;
	struct dirent *de;
	struct pp_topology t;
	DIR *d;

	(void)state;
	if (!corpus_dir(dir, sizeof(dir))) {
		print_message("tests/bad-input not found; set SRCDIR\n");
		skip();
	}
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		assert_non_null(names);
		names[n] = strdup(de->d_name);
		assert_non_null(names[n++]);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	assert_true(n >= 50);
	for (i = 0; i < n; i++) {
		FILE *f;
		int rc;

		len = strlen(names[i]);
		snprintf(path, sizeof(path), "%s/%.*s.expect", dir,
			 (int)(len - 5), names[i]);
		f = fopen(path, "r");
		if (!f)
			print_error("%s: no .expect file\n", names[i]);
		assert_non_null(f);
		assert_non_null(fgets(line1, sizeof(line1), f));
		assert_non_null(fgets(line2, sizeof(line2), f));
		fclose(f);
		line2[strcspn(line2, "\n")] = '\0';
		assert_int_equal(atoi(line1), 2);
		assert_true(line2[0] != '\0');

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "r");
		assert_non_null(f);
		rc = pp_snapshot_read(f, &t, err, sizeof(err));
		fclose(f);
		if (rc != -EINVAL || !strstr(err, line2))
			print_error("%s: rc %d, \"%s\", wanted \"%s\"\n",
				    names[i], rc, err, line2);
		assert_int_equal(rc, -EINVAL);
		assert_non_null(strstr(err, line2));
		assert_null(strchr(err, '\n'));
		free(names[i]);
	}
	free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_u64),
		cmocka_unit_test(test_writer_shape),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_unknown),
		cmocka_unit_test(test_round_trip_cxl),
		cmocka_unit_test(test_cxl_bad),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_tolerance),
		cmocka_unit_test(test_fwmap),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_array_caps),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_read_chunks),
		cmocka_unit_test(test_whole_line),
		cmocka_unit_test(test_read_rest),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_small_err),
		cmocka_unit_test(test_too_big_and_eio),
		cmocka_unit_test(test_bad_input_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
