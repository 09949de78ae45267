// SPDX-License-Identifier: GPL-2.0
/*
 * "show" output.  JSON: the facts from snapshot.c plus the accounting of
 * account.c, one document per run (schema PP_SCHEMA).  Human: a sentence
 * per region, then a region -> namespace -> dax -> kmem tree drawn by
 * libsmartcols the way lsblk draws devices.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <libsmartcols/libsmartcols.h>
#include "output/output.h"
#include "snapshot/snapshot.h"
#include "util/units.h"

#define JADD(obj, key, val) json_object_object_add(obj, key, val)

static struct json_object *loss_json(const struct pp_loss *l)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	JADD(o, "info_block", pp_json_u64(l->info_block));
	JADD(o, "struct_page_reserve", pp_json_u64(l->memmap));
	JADD(o, "head_gap", pp_json_u64(l->head_gap));
	JADD(o, "tail_gap", pp_json_u64(l->tail_gap));
	JADD(o, "end_truncation", pp_json_u64(l->end_trunc));
	JADD(o, "total", pp_json_u64(l->total));
	return o;
}

static const char *source_name(enum pp_kmem_source s)
{
	return s == PP_KMEM_MEASURED ? "measured" : "predicted";
}

static struct json_object *kmem_json(const struct pp_platform *p,
				     const struct pp_ns_report *nr)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	JADD(o, "start", nr->bytes ? pp_json_u64(nr->kmem_start) : NULL);
	JADD(o, "end", nr->bytes ? pp_json_u64(nr->kmem_end) : NULL);
	JADD(o, "blocks", pp_json_u64(nr->blocks));
	JADD(o, "bytes", pp_json_u64(nr->bytes));
	JADD(o, "source", json_object_new_string(source_name(nr->source)));
	JADD(o, "active", json_object_new_boolean(nr->active));
	JADD(o, "map", json_object_new_string(pp_map_name(nr->map)));
	JADD(o, "align", pp_json_u64(nr->align));
	JADD(o, "memmap_on_memory", json_object_new_boolean(nr->mom));
	if (nr->source == PP_KMEM_MEASURED) {
		struct json_object *pr = json_object_new_object();

		if (pr) {
			JADD(pr, "start", pp_json_u64(nr->pred.kmem.start));
			JADD(pr, "end", pp_json_u64(nr->pred.kmem.end));
			JADD(pr, "blocks", pp_json_u64(nr->pred.kmem.blocks));
		}
		JADD(o, "predicted", pr);
	}
	JADD(o, "model_error", json_object_new_boolean(nr->model_error));
	if (nr->model_error)
		JADD(o, "model_error_detail",
		     json_object_new_string(nr->model_error_what));
	if (!nr->bytes)
		JADD(o, "error", json_object_new_string(nr->pred.pfn_err ?
			"no info block fits: the namespace is too small for its alignment" :
			"kmem would reject it: no whole memory block after alignment"));
	(void)p;
	return o;
}

static struct json_object *namespace_json(const struct pp_platform *p,
					  const struct pp_ns_report *nr)
{
	struct json_object *o = pp_snapshot_namespace(nr->ns);

	if (!o)
		return NULL;
	if (nr->source == PP_KMEM_UNKNOWN) {
		JADD(o, "kmem", NULL);
		JADD(o, "loss", NULL);
		return o;
	}
	JADD(o, "kmem", kmem_json(p, nr));
	JADD(o, "loss", loss_json(&nr->loss));
	JADD(o, "ram_gain", pp_json_u64(nr->ram_gain));
	JADD(o, "dram_memmap", pp_json_u64(nr->dram_memmap));
	return o;
}

static struct json_object *region_json(const struct pp_platform *p,
				       const struct pp_region_report *rr)
{
	struct json_object *o = pp_snapshot_region(rr->r), *a, *ns;
	char summary[256];
	unsigned int i;

	if (!o)
		return NULL;
	JADD(o, "capacity", pp_json_u64(rr->capacity));
	JADD(o, "bound", rr->addresses ? pp_json_u64(rr->bound) : NULL);
	JADD(o, "kmem", pp_json_u64(rr->kmem));
	JADD(o, "stranded", rr->addresses ? pp_json_u64(rr->stranded) : NULL);
	JADD(o, "free", pp_json_u64(rr->free_bytes));
	JADD(o, "usable", pp_json_u64(rr->usable));
	JADD(o, "yield", rr->addresses ? pp_json_u64(rr->yield) : NULL);
	JADD(o, "dram_memmap", pp_json_u64(rr->dram_memmap));
	a = json_object_new_array();
	for (i = 0; a && i < rr->nr_free; i++) {
		struct json_object *e = json_object_new_object();

		if (!e)
			break;
		JADD(e, "start", pp_json_u64(rr->free[i].start));
		JADD(e, "end", pp_json_u64(rr->free[i].end));
		JADD(e, "size",
		     pp_json_u64(rr->free[i].end - rr->free[i].start));
		json_object_array_add(a, e);
	}
	JADD(o, "free_extents", a);
	pp_region_summary(rr, true, summary, sizeof(summary));
	JADD(o, "summary", json_object_new_string(summary));
	ns = json_object_new_array();
	for (i = 0; ns && i < rr->r->nr_ns; i++)
		json_object_array_add(ns, namespace_json(p, &rr->ns[i]));
	JADD(o, "namespaces", ns);
	return o;
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

static struct json_object *totals_json(const struct pp_report *rep)
{
	struct json_object *tot = json_object_new_object();

	if (!tot)
		return NULL;
	JADD(tot, "capacity", pp_json_u64(rep->capacity));
	JADD(tot, "kmem", pp_json_u64(rep->kmem));
	JADD(tot, "bound", pp_json_u64(rep->bound));
	JADD(tot, "stranded", pp_json_u64(rep->stranded));
	JADD(tot, "dram_memmap", pp_json_u64(rep->dram_memmap));
	JADD(tot, "ram_gain", pp_json_u64(rep->ram_gain));
	JADD(tot, "free", pp_json_u64(rep->free_bytes));
	JADD(tot, "usable", pp_json_u64(rep->usable));
	JADD(tot, "yield", pp_json_u64(rep->yield));
	JADD(tot, "model_error", json_object_new_boolean(rep->model_error));
	return tot;
}

/*
 * The document is printed region by region rather than built whole: a
 * json-c object costs a hash table, and a fleet snapshot has thousands.
 */
int pp_show_json_print(FILE *out, const struct pp_topology *t,
		       const struct pp_report *rep)
{
	struct json_object *notes;
	unsigned int i;
	int rc;

	fprintf(out, "{\n  \"schema\": %d,\n  \"command\": \"show\",\n",
		PP_SCHEMA);
	rc = pp_json_put_member(out, 2, "platform", pp_snapshot_platform(&t->plat),
			false);
	if (!rc)
		rc = pp_json_put_member(out, 2, "totals", totals_json(rep), false);
	fprintf(out, "  \"regions\": [\n");
	for (i = 0; !rc && i < rep->nr_regions; i++)
		rc = pp_json_put_member(out, 4, NULL,
				region_json(&t->plat, &rep->regions[i]),
				i + 1 == rep->nr_regions);
	fprintf(out, "  ],\n");
	notes = json_object_new_array();
	for (i = 0; notes && i < t->nr_notes; i++)
		json_object_array_add(notes,
				      json_object_new_string(t->notes[i]));
	if (!rc)
		rc = pp_json_put_member(out, 2, "notes", notes, true);
	fprintf(out, "}\n");
	return rc;
}

static const char *size_str(uint64_t v, bool bytes, char *buf, size_t len)
{
	if (v == PP_UNKNOWN)
		return "-";
	if (bytes)
		snprintf(buf, len, "%" PRIu64, v);
	else
		pp_human_size(v, buf, len);
	return buf;
}

/* Append ", <size> <what>" when size is not zero. */
static size_t add_cause(char *buf, size_t len, size_t pos, bool *first,
			uint64_t v, const char *what, bool bytes)
{
	char s[PP_HUMAN_LEN];

	if (!v || pos >= len)
		return pos;
	pos += (size_t)snprintf(buf + pos, len - pos, "%s%s %s",
				*first ? ": " : ", ",
				size_str(v, bytes, s, sizeof(s)), what);
	*first = false;
	return pos;
}

void pp_region_summary(const struct pp_region_report *rr, bool bytes,
		       char *buf, size_t len)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN], c[PP_HUMAN_LEN];
	const struct pp_loss *l = &rr->loss;
	bool first = true;
	size_t pos;

	pos = (size_t)snprintf(buf, len, "%s: %s", rr->r->dev,
			       size_str(rr->capacity, bytes, a, sizeof(a)));
	if (!rr->addresses) {
		snprintf(buf + pos, len - pos,
			 ", physical layout unknown (needs root)");
		return;
	}
	if (rr->kmem || rr->kmem_ready || l->total) {
		pos += (size_t)snprintf(buf + pos, len - pos,
			", %s %s as RAM, %s lost",
			size_str(rr->kmem_ready, bytes, b, sizeof(b)),
			rr->kmem == rr->kmem_ready ? "usable" :
			"would be usable", size_str(l->total, bytes, c,
						    sizeof(c)));
		pos = add_cause(buf, len, pos, &first, l->info_block,
				"info block", bytes);
		pos = add_cause(buf, len, pos, &first, l->memmap,
				"struct-page reserve", bytes);
		pos = add_cause(buf, len, pos, &first, l->head_gap,
				"before the first memory block", bytes);
		pos = add_cause(buf, len, pos, &first, l->tail_gap,
				"after the last memory block", bytes);
		pos = add_cause(buf, len, pos, &first, l->end_trunc,
				"cut to the alignment", bytes);
	} else {
		pos += (size_t)snprintf(buf + pos, len - pos,
					", no devdax namespace");
	}
	if (rr->kmem > rr->ram_gain && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos,
				"; %s of it holds its own struct pages",
				size_str(rr->kmem - rr->ram_gain, bytes, a,
					 sizeof(a)));
	if (rr->dram_memmap && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos,
				"; its struct pages take %s of DRAM",
				size_str(rr->dram_memmap, bytes, a,
					 sizeof(a)));
	if (rr->other_modes && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos,
				"; %s in fsdax, sector or raw namespaces",
				size_str(rr->other_modes, bytes, a, sizeof(a)));
	if (rr->free_bytes && pos < len)
		snprintf(buf + pos, len - pos,
			 "; %s free could yield %s of RAM",
			 size_str(rr->free_bytes, bytes, a, sizeof(a)),
			 size_str(rr->yield, bytes, b, sizeof(b)));
}

/* Columns of the tree, lsblk style: -o picks them, in that order. */
static const struct pp_column {
	const char *name;
	double whint;
	int flags;
	const char *help;
} columns[PP_NR_COLUMNS] = {
	[PP_COL_NAME] = { "NAME", 0.2, SCOLS_FL_TREE, "region, namespace, dax device or kmem" },
	[PP_COL_TYPE] = { "TYPE", 0.1, 0, "region kind, namespace mode, dax mode" },
	[PP_COL_MAP] = { "MAP", 3, 0, "where struct pages live: mem or dev" },
	[PP_COL_ALIGN] = { "ALIGN", 6, SCOLS_FL_RIGHT, "region or device alignment" },
	[PP_COL_START] = { "START", 12, SCOLS_FL_RIGHT, "physical start address" },
	[PP_COL_SIZE] = { "SIZE", 8, SCOLS_FL_RIGHT, "size" },
	[PP_COL_DATAOFF] = { "DATAOFF", 7, SCOLS_FL_RIGHT, "info-block data offset" },
	[PP_COL_KMEM] = { "KMEM", 8, SCOLS_FL_RIGHT, "bytes hot-plugged as RAM" },
	[PP_COL_BLOCKS] = { "BLOCKS", 6, SCOLS_FL_RIGHT, "memory blocks hot-plugged" },
	[PP_COL_LOST] = { "LOST", 8, SCOLS_FL_RIGHT, "bytes not hot-plugged (region: stranded)" },
	[PP_COL_SOURCE] = { "SOURCE", 9, 0, "measured, predicted or MODEL-ERROR" },
	[PP_COL_ZONE] = { "ZONE", 7, 0, "zone of the hot-plugged blocks" },
	[PP_COL_NODE] = { "NODE", 4, SCOLS_FL_RIGHT, "target NUMA node" },
};

/* Fits 80 columns; -o/-O show the rest. */
static const enum pp_column_id default_columns[] = {
	PP_COL_NAME, PP_COL_TYPE, PP_COL_START, PP_COL_SIZE, PP_COL_KMEM,
	PP_COL_LOST, PP_COL_SOURCE,
};

void pp_output_default_columns(struct pp_output_opts *o)
{
	unsigned int i;

	o->nr_columns = 0;
	for (i = 0; i < sizeof(default_columns) / sizeof(default_columns[0]);
	     i++)
		o->columns[o->nr_columns++] = default_columns[i];
}

void pp_output_all_columns(struct pp_output_opts *o)
{
	unsigned int i;

	for (i = 0; i < PP_NR_COLUMNS; i++)
		o->columns[i] = (enum pp_column_id)i;
	o->nr_columns = PP_NR_COLUMNS;
}

int pp_output_parse_columns(const char *list, struct pp_output_opts *o,
			    char *bad, size_t badlen)
{
	const char *p = list;
	unsigned int i;

	if (*p == '+')
		p++;			/* lsblk: "+COL" appends to the default */
	else
		o->nr_columns = 0;
	while (*p) {
		size_t len = strcspn(p, ",");

		for (i = 0; i < PP_NR_COLUMNS; i++)
			if (strlen(columns[i].name) == len &&
			    !strncasecmp(p, columns[i].name, len))
				break;
		if (i == PP_NR_COLUMNS || o->nr_columns == PP_NR_COLUMNS) {
			snprintf(bad, badlen, "%.*s", (int)len, p);
			return -EINVAL;
		}
		o->columns[o->nr_columns++] = (enum pp_column_id)i;
		p += len;
		if (*p == ',')
			p++;
	}
	return o->nr_columns ? 0 : -EINVAL;
}

void pp_output_list_columns(FILE *out)
{
	unsigned int i;

	for (i = 0; i < PP_NR_COLUMNS; i++)
		fprintf(out, "  %-8s %s\n", columns[i].name, columns[i].help);
}

/* The libsmartcols table and where each column landed in it. */
struct tree {
	struct libscols_table *tb;
	int pos[PP_NR_COLUMNS];		/* -1: column not shown */
	bool bytes;
};

static void set_cell(const struct tree *tr, struct libscols_line *ln,
		     enum pp_column_id col, const char *s)
{
	if (s && tr->pos[col] >= 0)
		scols_line_set_data(ln, (size_t)tr->pos[col], s);
}

static void set_size(const struct tree *tr, struct libscols_line *ln,
		     enum pp_column_id col, uint64_t v)
{
	char buf[PP_HUMAN_LEN];

	set_cell(tr, ln, col, size_str(v, tr->bytes, buf, sizeof(buf)));
}

/* An address in hex or a count in decimal; nothing when unknown. */
static void set_num(const struct tree *tr, struct libscols_line *ln,
		    enum pp_column_id col, bool hex, uint64_t v)
{
	char buf[24];

	if (v == PP_UNKNOWN)
		return;
	if (hex)
		snprintf(buf, sizeof(buf), "%#" PRIx64, v);
	else
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
	set_cell(tr, ln, col, buf);
}

static void kmem_line(const struct tree *tr, struct libscols_line *parent,
		      const struct pp_ns_report *nr)
{
	const struct pp_dax *d = nr->ns->dax;
	struct libscols_line *kl = scols_table_new_line(tr->tb, parent);

	if (!kl)
		return;
	set_cell(tr, kl, PP_COL_NAME, "kmem");
	set_cell(tr, kl, PP_COL_TYPE, nr->mom ? "ram+memmap" : "ram");
	set_num(tr, kl, PP_COL_START, true, nr->kmem_start);
	set_size(tr, kl, PP_COL_SIZE, nr->bytes);
	set_size(tr, kl, PP_COL_KMEM, nr->bytes);
	set_num(tr, kl, PP_COL_BLOCKS, false, nr->blocks);
	set_cell(tr, kl, PP_COL_SOURCE, source_name(nr->source));
	if (d->zone[0])
		set_cell(tr, kl, PP_COL_ZONE, d->zone);
	if (d->target_node >= 0)
		set_num(tr, kl, PP_COL_NODE, false,
			(uint64_t)d->target_node);
}

static void ns_lines(const struct tree *tr, struct libscols_line *parent,
		     const struct pp_ns_report *nr)
{
	const struct pp_namespace *ns = nr->ns;
	struct libscols_line *ln = scols_table_new_line(tr->tb, parent), *dl;

	if (!ln)
		return;
	set_cell(tr, ln, PP_COL_NAME, ns->dev);
	set_cell(tr, ln, PP_COL_TYPE, pp_mode_name(ns->mode));
	if (ns->map != PP_MAP_NONE)
		set_cell(tr, ln, PP_COL_MAP, pp_map_name(ns->map));
	if (ns->align != PP_UNKNOWN)
		set_size(tr, ln, PP_COL_ALIGN, ns->align);
	set_num(tr, ln, PP_COL_START, true, ns->start);
	set_size(tr, ln, PP_COL_SIZE, ns->size);
	if (ns->dataoff != PP_UNKNOWN)
		set_size(tr, ln, PP_COL_DATAOFF, ns->dataoff);
	if (nr->source != PP_KMEM_UNKNOWN && ns->mode == PP_MODE_DEVDAX) {
		set_size(tr, ln, PP_COL_KMEM, nr->bytes);
		set_num(tr, ln, PP_COL_BLOCKS, false, nr->blocks);
		set_size(tr, ln, PP_COL_LOST, nr->loss.total);
		set_cell(tr, ln, PP_COL_SOURCE, nr->model_error ?
			 "MODEL-ERROR" : source_name(nr->source));
	}
	if (!ns->dax)
		return;
	dl = scols_table_new_line(tr->tb, ln);
	if (!dl)
		return;
	set_cell(tr, dl, PP_COL_NAME, ns->dax->dev);
	set_cell(tr, dl, PP_COL_TYPE, pp_dax_mode_name(ns->dax->mode));
	if (ns->dax->align != PP_UNKNOWN)
		set_size(tr, dl, PP_COL_ALIGN, ns->dax->align);
	set_num(tr, dl, PP_COL_START, true, ns->dax->start);
	set_size(tr, dl, PP_COL_SIZE, ns->dax->size);
	if (ns->dax->target_node >= 0)
		set_num(tr, dl, PP_COL_NODE, false,
			(uint64_t)ns->dax->target_node);
	if (nr->active && nr->bytes)
		kmem_line(tr, dl, nr);
}

static void region_lines(const struct tree *tr,
			 const struct pp_region_report *rr)
{
	struct libscols_line *ln = scols_table_new_line(tr->tb, NULL);
	char type[24];
	unsigned int j;

	if (!ln)
		return;
	snprintf(type, sizeof(type), "%s%s", pp_region_kind_name(rr->r->kind),
		 rr->r->labelled ? "" : ",io");
	set_cell(tr, ln, PP_COL_NAME, rr->r->dev);
	set_cell(tr, ln, PP_COL_TYPE, type);
	if (rr->r->align != PP_UNKNOWN)
		set_size(tr, ln, PP_COL_ALIGN, rr->r->align);
	set_num(tr, ln, PP_COL_START, true, rr->r->start);
	set_size(tr, ln, PP_COL_SIZE, rr->r->size);
	if (rr->addresses) {
		set_size(tr, ln, PP_COL_KMEM, rr->kmem);
		set_size(tr, ln, PP_COL_LOST, rr->stranded);
	}
	if (rr->r->target_node >= 0)
		set_num(tr, ln, PP_COL_NODE, false,
			(uint64_t)rr->r->target_node);
	for (j = 0; j < rr->r->nr_ns; j++)
		ns_lines(tr, ln, &rr->ns[j]);
}

static int print_tree(FILE *out, const struct pp_report *rep,
		      const struct pp_output_opts *o)
{
	struct tree tr = { .tb = scols_new_table(), .bytes = o->bytes };
	unsigned int i;
	int rc = -ENOMEM;

	if (!tr.tb)
		return -ENOMEM;
	scols_table_set_stream(tr.tb, out);
	for (i = 0; i < PP_NR_COLUMNS; i++)
		tr.pos[i] = -1;
	for (i = 0; i < o->nr_columns; i++) {
		const struct pp_column *c = &columns[o->columns[i]];
		/* only the first column can draw the tree */
		int flags = i ? c->flags & ~SCOLS_FL_TREE : c->flags;

		if (!scols_table_new_column(tr.tb, c->name, c->whint, flags))
			goto out;
		tr.pos[o->columns[i]] = (int)i;
	}
	for (i = 0; i < rep->nr_regions; i++)
		region_lines(&tr, &rep->regions[i]);
	rc = scols_print_table(tr.tb);
out:
	scols_unref_table(tr.tb);
	return rc;
}

static void print_fact(FILE *out, const char *label, const struct pp_fact *f,
		       bool size, bool bytes)
{
	char buf[PP_HUMAN_LEN];

	if (f->src == PP_SRC_NONE)
		fprintf(out, "  %-20s unknown\n", label);
	else if (size)
		fprintf(out, "  %-20s %s (%s)\n", label,
			size_str(f->value, bytes, buf, sizeof(buf)),
			pp_source_name(f->src));
	else
		fprintf(out, "  %-20s %" PRIu64 " (%s)\n", label, f->value,
			pp_source_name(f->src));
}

static void print_platform(FILE *out, const struct pp_platform *p,
			   const struct pp_output_opts *o)
{
	char bs[PP_HUMAN_LEN], ps[PP_HUMAN_LEN];

	if (!o->verbose) {
		fprintf(out, "%s, kernel %s, %s pages, %s memory blocks, "
			"memmap_on_memory %s, auto_online_blocks %s\n",
			pp_arch_name(p->arch),
			p->kernel[0] ? p->kernel : "unknown",
			size_str(p->page_size.value, o->bytes, ps, sizeof(ps)),
			size_str(p->block_size.value, o->bytes, bs, sizeof(bs)),
			pp_mom_name(p->memmap_on_memory),
			p->auto_online_blocks[0] ? p->auto_online_blocks :
			"unknown");
		return;
	}
	fprintf(out, "platform:\n  %-20s %s (%s)\n  %-20s %s (%s)\n",
		"arch", pp_arch_name(p->arch), pp_source_name(p->arch_src),
		"kernel", p->kernel[0] ? p->kernel : "unknown",
		pp_source_name(p->kver_src));
	print_fact(out, "page size", &p->page_size, true, o->bytes);
	print_fact(out, "section size", &p->section_size, true, o->bytes);
	print_fact(out, "memory block size", &p->block_size, true, o->bytes);
	print_fact(out, "pageblock order", &p->pageblock_order, false,
		   o->bytes);
	print_fact(out, "struct page size", &p->struct_page_size, true,
		   o->bytes);
	print_fact(out, "compat alignment", &p->compat_align, true, o->bytes);
	print_fact(out, "PMD huge page", &p->hpage_pmd_size, true, o->bytes);
	fprintf(out, "  %-20s %s (%s)\n", "memmap_on_memory",
		pp_mom_name(p->memmap_on_memory),
		pp_source_name(p->memmap_on_memory_src));
	fprintf(out, "  %-20s %s\n", "auto_online_blocks",
		p->auto_online_blocks[0] ? p->auto_online_blocks : "unknown");
	print_fact(out, "MemTotal", &p->mem_total, true, o->bytes);
	print_fact(out, "MemAvailable", &p->mem_available, true, o->bytes);
	print_fact(out, "NUMA nodes", &p->nr_nodes, false, o->bytes);
}

int pp_show_human(FILE *out, const struct pp_topology *t,
		  const struct pp_report *rep,
		  const struct pp_output_opts *opts)
{
	char line[512];
	unsigned int i;
	int rc = 0;

	print_platform(out, &t->plat, opts);
	if (!rep->nr_regions) {
		fprintf(out, "no persistent memory regions found\n");
	} else {
		fputc('\n', out);
		for (i = 0; i < rep->nr_regions; i++) {
			pp_region_summary(&rep->regions[i], opts->bytes, line,
					  sizeof(line));
			fprintf(out, "%s\n", line);
		}
		fputc('\n', out);
		rc = print_tree(out, rep, opts);
	}
	for (i = 0; i < t->nr_notes; i++)
		fprintf(out, "note: %s\n", t->notes[i]);
	for (i = 0; i < rep->nr_regions; i++) {
		unsigned int j;

		for (j = 0; j < rep->regions[i].r->nr_ns; j++) {
			const struct pp_ns_report *nr = &rep->regions[i].ns[j];

			if (nr->model_error)
				fprintf(out, "MODEL ERROR: %s: %s\n",
					nr->ns->dev, nr->model_error_what);
		}
	}
	return rc;
}
