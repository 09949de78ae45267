// SPDX-License-Identifier: GPL-2.0
/*
 * The "show --json" document: the facts from lib/snapshot/writer.c plus
 * the accounting of account.c, one document per run (schema PP_SCHEMA).
 * Every member is added with the checked pp_json_put helpers, so a failed
 * allocation is -ENOMEM, never a silent null.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "output/output.h"
#include "output/show.h"
#include "snapshot/snapshot.h"

/* A string member, "" included (pp_json_put_str() writes "" as null). */
static int put_text(struct json_object *o, const char *key, const char *s)
{
	return pp_json_put(o, key, json_object_new_string(s), false);
}

static struct json_object *loss_json(const struct pp_loss *l)
{
	struct json_object *o = json_object_new_object();
	int rc;

	if (!o)
		return NULL;
	rc = pp_json_put_u64(o, "info_block", l->info_block) ?:
	     pp_json_put_u64(o, "struct_page_reserve", l->memmap) ?:
	     pp_json_put_u64(o, "head_gap", l->head_gap) ?:
	     pp_json_put_u64(o, "tail_gap", l->tail_gap) ?:
	     pp_json_put_u64(o, "end_truncation", l->end_trunc) ?:
	     pp_json_put_u64(o, "refused", l->refused) ?:
	     pp_json_put_u64(o, "total", l->total);
	return pp_json_built(o, rc);
}

/* What the model predicted where kmem was measured. */
static struct json_object *predicted_json(const struct pp_ns_report *nr)
{
	struct json_object *o = json_object_new_object();
	int rc;

	if (!o)
		return NULL;
	rc = pp_json_put_u64(o, "start", nr->pred.kmem.start) ?:
	     pp_json_put_u64(o, "end", nr->pred.kmem.end) ?:
	     pp_json_put_u64(o, "blocks", nr->pred.kmem.blocks);
	return pp_json_built(o, rc);
}

static struct json_object *kmem_json(const struct pp_ns_report *nr)
{
	struct json_object *o = json_object_new_object();
	int rc;

	if (!o)
		return NULL;
	/* no range where kmem would take nothing */
	rc = pp_json_put_u64(o, "start",
			     nr->bytes ? nr->kmem_start : PP_UNKNOWN) ?:
	     pp_json_put_u64(o, "end", nr->bytes ? nr->kmem_end : PP_UNKNOWN) ?:
	     pp_json_put_u64(o, "blocks", nr->blocks) ?:
	     pp_json_put_u64(o, "bytes", nr->bytes) ?:
	     pp_json_put_str(o, "source", pp_kmem_source_name(nr->source)) ?:
	     pp_json_put_bool(o, "active", nr->active) ?:
	     pp_json_put_str(o, "map", pp_map_name(nr->map)) ?:
	     pp_json_put_u64(o, "align", nr->align) ?:
	     pp_json_put_bool(o, "memmap_on_memory", nr->mom);
	if (!rc && nr->source == PP_KMEM_MEASURED)
		rc = pp_json_put(o, "predicted", predicted_json(nr), false);
	if (!rc)
		rc = pp_json_put_bool(o, "model_error", nr->model_error);
	if (!rc && nr->model_error)
		rc = put_text(o, "model_error_detail", nr->model_error_what);
	if (!rc && !nr->bytes)
		rc = put_text(o, "error", nr->refused ? nr->refused :
			nr->pred.pfn_err ?
			"no info block fits: the namespace is too small for its alignment" :
			"kmem would reject it: no whole memory block after alignment");
	return pp_json_built(o, rc);
}

/* [{"rule": "compound-page", "by": "kernel", "detail": "..."}, ...] */
static struct json_object *violations_json(const struct pp_ns_report *nr)
{
	struct json_object *a = json_object_new_array(), *v;
	unsigned int i;
	int rc = 0;

	if (!a)
		return NULL;
	for (i = 0; !rc && i < nr->nr_viol; i++) {
		enum pp_rule rule = nr->viol[i].rule;

		v = json_object_new_object();
		if (v)
			v = pp_json_built(v,
				pp_json_put_str(v, "rule", pp_rule_name(rule)) ?:
				pp_json_put_str(v, "by", pp_rule_is_ndctl(rule) ?
						"ndctl" : "kernel") ?:
				put_text(v, "detail", nr->viol[i].why));
		rc = pp_json_array_put(a, v);
	}
	return pp_json_built(a, rc);
}

static struct json_object *namespace_json(const struct pp_ns_report *nr)
{
	struct json_object *o = pp_snapshot_namespace(nr->ns);
	int rc;

	if (!o)
		return NULL;
	if (nr->source == PP_KMEM_UNKNOWN)
		rc = pp_json_put(o, "kmem", NULL, true) ?:
		     pp_json_put(o, "loss", NULL, true);
	else
		rc = pp_json_put(o, "kmem", kmem_json(nr), false) ?:
		     pp_json_put(o, "loss", loss_json(&nr->loss), false) ?:
		     pp_json_put_u64(o, "ram_gain", nr->ram_gain) ?:
		     pp_json_put_u64(o, "dram_memmap", nr->dram_memmap) ?:
		     pp_json_put_u64(o, "net_gain", nr->net_gain);
	if (!rc)
		rc = pp_json_put(o, "layout_violations", violations_json(nr),
				 false);
	if (!rc)
		rc = nr->interrupted ?
		     put_text(o, "interrupted_apply", nr->interrupted) :
		     pp_json_put(o, "interrupted_apply", NULL, true);
	return pp_json_built(o, rc);
}

static struct json_object *extent_json(const struct pp_extent *e)
{
	struct json_object *o = json_object_new_object();
	int rc;

	if (!o)
		return NULL;
	rc = pp_json_put_u64(o, "start", e->start) ?:
	     pp_json_put_u64(o, "end", e->end) ?:
	     pp_json_put_u64(o, "size", e->end - e->start);
	return pp_json_built(o, rc);
}

static struct json_object *free_extents_json(const struct pp_region_report *rr)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;
	int rc = 0;

	if (!a)
		return NULL;
	for (i = 0; !rc && i < rr->nr_free; i++)
		rc = pp_json_array_put(a, extent_json(&rr->free[i]));
	return pp_json_built(a, rc);
}

static struct json_object *namespaces_json(const struct pp_region_report *rr)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;
	int rc = 0;

	if (!a)
		return NULL;
	for (i = 0; !rc && i < rr->r->nr_ns; i++)
		rc = pp_json_array_put(a, namespace_json(&rr->ns[i]));
	return pp_json_built(a, rc);
}

static struct json_object *region_json(const struct pp_region_report *rr)
{
	struct json_object *o = pp_snapshot_region(rr->r);
	uint64_t unknown = PP_UNKNOWN;
	bool addr = rr->addresses;
	char summary[512];
	int rc;

	if (!o)
		return NULL;
	pp_region_summary(rr, true, summary, sizeof(summary));
	/* bound, stranded and yield need the physical layout */
	rc = pp_json_put_u64(o, "capacity", rr->capacity) ?:
	     pp_json_put_u64(o, "bound", addr ? rr->bound : unknown) ?:
	     pp_json_put_u64(o, "kmem", rr->kmem) ?:
	     pp_json_put_u64(o, "kmem_if_bound",
			     addr ? rr->kmem_ready : unknown) ?:
	     pp_json_put_u64(o, "stranded", addr ? rr->stranded : unknown) ?:
	     pp_json_put_u64(o, "free", rr->free_bytes) ?:
	     pp_json_put_u64(o, "usable", rr->usable) ?:
	     pp_json_put_u64(o, "yield", addr ? rr->yield : unknown) ?:
	     pp_json_put_u64(o, "dram_memmap", rr->dram_memmap) ?:
	     pp_json_put_u64(o, "ram_gain", rr->ram_gain) ?:
	     pp_json_put_u64(o, "net_gain", rr->net_gain) ?:
	     pp_json_put(o, "free_extents", free_extents_json(rr), false) ?:
	     put_text(o, "summary", summary) ?:
	     pp_json_put(o, "namespaces", namespaces_json(rr), false);
	return pp_json_built(o, rc);
}

/* A CXL ram region's dax device: facts, then what kmem makes of it. */
static struct json_object *cxl_dax_json(const struct pp_cxl_dax_report *dr)
{
	const struct pp_ns_report *nr = &dr->acc;
	struct json_object *o = pp_snapshot_cxl_dax(dr->d), *k, *l;
	int rc;

	if (!o)
		return NULL;
	if (nr->source == PP_KMEM_UNKNOWN)
		return pp_json_built(o, pp_json_put(o, "kmem", NULL, true));
	k = json_object_new_object();
	if (k)
		k = pp_json_built(k,
			pp_json_put_u64(k, "start", nr->bytes ? nr->kmem_start :
					PP_UNKNOWN) ?:
			pp_json_put_u64(k, "end", nr->bytes ? nr->kmem_end :
					PP_UNKNOWN) ?:
			pp_json_put_u64(k, "blocks", nr->blocks) ?:
			pp_json_put_u64(k, "bytes", nr->bytes) ?:
			pp_json_put_str(k, "source",
					pp_kmem_source_name(nr->source)) ?:
			pp_json_put_bool(k, "active", nr->active) ?:
			pp_json_put_bool(k, "memmap_on_memory", nr->mom) ?:
			pp_json_put_bool(k, "model_error", nr->model_error));
	if (k && nr->model_error)
		k = pp_json_built(k, put_text(k, "model_error_detail",
					      nr->model_error_what));
	l = json_object_new_object();
	if (l)
		l = pp_json_built(l,
			pp_json_put_u64(l, "head_gap", nr->loss.head_gap) ?:
			pp_json_put_u64(l, "tail_gap", nr->loss.tail_gap) ?:
			pp_json_put_u64(l, "memmap_on_memory", dr->mom_bytes) ?:
			pp_json_put_u64(l, "total", nr->loss.total));
	rc = pp_json_put(o, "kmem", k, false) ?:
	     pp_json_put(o, "loss", l, false) ?:
	     pp_json_put_u64(o, "ram_gain", nr->ram_gain) ?:
	     pp_json_put_u64(o, "dram_memmap", nr->dram_memmap);
	return pp_json_built(o, rc);
}

/*
 * A CXL region: its facts, and for a ram region what kmem holds, could
 * hold, the bound and the loss by cause (lost: if every device were
 * bound; a window not on a block boundary costs its head gap).
 */
static struct json_object *cxl_json(const struct pp_cxl_report *cr)
{
	const struct pp_cxl_region *c = cr->c;
	struct json_object *o = pp_snapshot_cxl_region(c, false), *l, *a;
	bool addr = cr->addresses;
	uint64_t unknown = PP_UNKNOWN;
	unsigned int i;
	int rc = 0;

	if (!o)
		return NULL;
	if (c->mode != PP_CXL_RAM)
		return o;
	l = json_object_new_object();
	if (l)
		l = pp_json_built(l,
			pp_json_put_u64(l, "head_gap", cr->head_gap) ?:
			pp_json_put_u64(l, "tail_gap", cr->tail_gap) ?:
			pp_json_put_u64(l, "memmap_on_memory", cr->mom_bytes) ?:
			pp_json_put_u64(l, "unassigned", cr->unassigned) ?:
			pp_json_put_u64(l, "total", cr->lost));
	if (!addr) {
		json_object_put(l);
		l = NULL;
	}
	/* kmem and what follows from it need the dax devices' addresses */
	rc = pp_json_put_u64(o, "capacity", cr->capacity) ?:
	     pp_json_put_u64(o, "bound", addr ? cr->bound : unknown) ?:
	     pp_json_put_u64(o, "kmem", addr ? cr->kmem : unknown) ?:
	     pp_json_put_u64(o, "kmem_if_bound",
			     addr ? cr->kmem_if_bound : unknown) ?:
	     pp_json_put_str(o, "source", pp_kmem_source_name(cr->source)) ?:
	     pp_json_put(o, "loss", l, !addr) ?:
	     pp_json_put_u64(o, "ram_gain", addr ? cr->ram_gain : unknown) ?:
	     pp_json_put_u64(o, "dram_memmap",
			     addr ? cr->dram_memmap : unknown) ?:
	     pp_json_put_u64(o, "window_head_gap",
			     c->window_start != PP_UNKNOWN ? cr->window_head :
			     unknown) ?:
	     pp_json_put_bool(o, "model_error", cr->model_error);
	if (rc)
		return pp_json_built(o, rc);
	a = json_object_new_array();
	for (i = 0; a && !rc && i < c->nr_dax; i++)
		rc = pp_json_array_put(a, cxl_dax_json(&cr->dax[i]));
	if (a)
		a = pp_json_built(a, rc);
	return pp_json_built(o, pp_json_put(o, "dax_devices", a, false));
}

#define JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
		    JSON_C_TO_STRING_NOSLASHESCAPE)

/*
 * Print v pretty, every line but the first prefixed by indent spaces, as
 * the member "key" (or an array element when key is NULL).  Returns -ENOMEM
 * when v could not be built.
 */
int pp_json_put_member(FILE *out, int indent, const char *key,
		       struct json_object *v, bool last)
{
	const char *s, *nl;

	if (!v)
		return -ENOMEM;
	s = json_object_to_json_string_ext(v, JSON_FLAGS);
	fprintf(out, "%*s", indent, "");
	if (key)
		fprintf(out, "\"%s\": ", key);
	while ((nl = strchr(s, '\n'))) {
		fwrite(s, 1, (size_t)(nl - s) + 1, out);
		fprintf(out, "%*s", indent, "");
		s = nl + 1;
	}
	fprintf(out, "%s%s\n", s, last ? "" : ",");
	json_object_put(v);
	return 0;
}

int pp_json_put_elements(FILE *out, const char *key, unsigned int n,
			 bool always,
			 struct json_object *(*elem)(const void *base,
						     unsigned int i),
			 const void *base)
{
	unsigned int i;
	int rc = 0;

	if (!n && !always)
		return 0;
	fprintf(out, "  \"%s\": [\n", key);
	for (i = 0; !rc && i < n; i++)
		rc = pp_json_put_member(out, 4, NULL, elem(base, i),
					i + 1 == n);
	fprintf(out, "  ],\n");
	return rc;
}

/* kmem_if_bound needs every namespace's physical layout */
static bool addresses_known(const struct pp_report *rep)
{
	unsigned int i;

	for (i = 0; i < rep->nr_regions; i++)
		if (!rep->regions[i].addresses)
			return false;
	return true;
}

/*
 * kmem is what is hot-plugged now (the key's meaning since schema 1);
 * kmem_if_bound what it would be with every devdax namespace bound.
 */
static struct json_object *totals_json(const struct pp_report *rep)
{
	struct json_object *o = json_object_new_object();
	int rc;

	if (!o)
		return NULL;
	rc = pp_json_put_u64(o, "capacity", rep->capacity) ?:
	     pp_json_put_u64(o, "kmem", rep->kmem) ?:
	     pp_json_put_u64(o, "kmem_if_bound",
			     addresses_known(rep) ? rep->kmem_ready :
			     PP_UNKNOWN) ?:
	     pp_json_put_u64(o, "bound", rep->bound) ?:
	     pp_json_put_u64(o, "stranded", rep->stranded) ?:
	     pp_json_put_u64(o, "dram_memmap", rep->dram_memmap) ?:
	     pp_json_put_u64(o, "ram_gain", rep->ram_gain) ?:
	     pp_json_put_u64(o, "net_gain", rep->net_gain) ?:
	     pp_json_put_u64(o, "free", rep->free_bytes) ?:
	     pp_json_put_u64(o, "usable", rep->usable) ?:
	     pp_json_put_u64(o, "yield", rep->yield) ?:
	     pp_json_put_bool(o, "model_error", rep->model_error) ?:
	     pp_json_put_u64(o, "unsafe_namespaces", rep->nr_unsafe);
	return pp_json_built(o, rc);
}

static struct json_object *notes_json(const struct pp_topology *t)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;
	int rc = 0;

	if (!a)
		return NULL;
	for (i = 0; !rc && i < t->nr_notes; i++)
		rc = pp_json_array_put(a, json_object_new_string(t->notes[i]));
	return pp_json_built(a, rc);
}

static struct json_object *region_at(const void *rep, unsigned int i)
{
	return region_json(&((const struct pp_report *)rep)->regions[i]);
}

static struct json_object *cxl_at(const void *rep, unsigned int i)
{
	return cxl_json(&((const struct pp_report *)rep)->cxl[i]);
}

static struct json_object *cxl_free_at(const void *t, unsigned int i)
{
	return pp_snapshot_cxl_free(&((const struct pp_topology *)t)->cxl_free[i]);
}

/*
 * The document is printed region by region rather than built whole: a
 * json-c object costs a hash table, and a fleet snapshot has thousands.
 */
int pp_show_json_print(FILE *out, const struct pp_topology *t,
		       const struct pp_report *rep)
{
	int rc;

	fprintf(out, "{\n  \"schema\": %d,\n  \"command\": \"show\",\n",
		PP_SCHEMA);
	rc = pp_json_put_member(out, 2, "platform",
				pp_snapshot_platform(&t->plat), false);
	if (!rc)
		rc = pp_json_put_member(out, 2, "totals", totals_json(rep),
					false);
	rc = rc ?: pp_json_put_elements(out, "regions", rep->nr_regions, true,
					region_at, rep);
	/* only where there are CXL regions: older documents stay as they were */
	rc = rc ?: pp_json_put_elements(out, "cxl_regions", rep->nr_cxl, false,
					cxl_at, rep);
	/* only where a memdev has ram in no region (lib/probe/cxl.c) */
	rc = rc ?: pp_json_put_elements(out, "cxl_free", t->nr_cxl_free, false,
					cxl_free_at, t);
	if (!rc)
		rc = pp_json_put_member(out, 2, "notes", notes_json(t), true);
	fprintf(out, "}\n");
	return rc;
}
