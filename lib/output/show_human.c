// SPDX-License-Identifier: GPL-2.0
/*
 * The human view of "show": the platform facts, a sentence per region,
 * then a region -> namespace -> dax -> kmem tree drawn by libsmartcols the
 * way lsblk draws devices, then notes and model errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <libsmartcols/libsmartcols.h>
#include "output/output.h"
#include "output/show.h"
#include "util/units.h"

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

	set_cell(tr, ln, col, pp_size_text(v, tr->bytes, buf, sizeof(buf)));
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
	set_size(tr, kl, PP_COL_GAIN, nr->ram_gain);
	set_size(tr, kl, PP_COL_NET, nr->net_gain);
	set_num(tr, kl, PP_COL_BLOCKS, false, nr->blocks);
	set_cell(tr, kl, PP_COL_SOURCE, pp_kmem_source_name(nr->source));
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
		set_size(tr, ln, PP_COL_GAIN, nr->ram_gain);
		set_size(tr, ln, PP_COL_NET, nr->net_gain);
		set_num(tr, ln, PP_COL_BLOCKS, false, nr->blocks);
		set_size(tr, ln, PP_COL_LOST, nr->loss.total);
		set_cell(tr, ln, PP_COL_SOURCE, nr->model_error ?
			 "MODEL-ERROR" : pp_kmem_source_name(nr->source));
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
		set_size(tr, ln, PP_COL_GAIN, rr->ram_gain);
		set_size(tr, ln, PP_COL_NET, rr->net_gain);
		set_size(tr, ln, PP_COL_LOST, rr->stranded);
	}
	if (rr->r->target_node >= 0)
		set_num(tr, ln, PP_COL_NODE, false,
			(uint64_t)rr->r->target_node);
	for (j = 0; j < rr->r->nr_ns; j++)
		ns_lines(tr, ln, &rr->ns[j]);
}

/* A CXL region, its dax devices and what kmem holds of each. */
static void cxl_lines(const struct tree *tr, const struct pp_cxl_report *cr)
{
	const struct pp_cxl_region *c = cr->c;
	struct libscols_line *ln = scols_table_new_line(tr->tb, NULL), *dl;
	char type[24];
	unsigned int j;

	if (!ln)
		return;
	snprintf(type, sizeof(type), "cxl-%s", pp_cxl_mode_name(c->mode));
	set_cell(tr, ln, PP_COL_NAME, c->dev);
	set_cell(tr, ln, PP_COL_TYPE, type);
	set_num(tr, ln, PP_COL_START, true, c->start);
	set_size(tr, ln, PP_COL_SIZE, c->size);
	if (c->target_node >= 0)
		set_num(tr, ln, PP_COL_NODE, false, (uint64_t)c->target_node);
	if (c->mode != PP_CXL_RAM)
		return;
	if (cr->addresses) {
		set_size(tr, ln, PP_COL_KMEM, cr->kmem);
		set_size(tr, ln, PP_COL_GAIN, cr->ram_gain);
		set_size(tr, ln, PP_COL_LOST, cr->lost);
	}
	for (j = 0; j < c->nr_dax; j++) {
		const struct pp_cxl_dax_report *dr = &cr->dax[j];
		const struct pp_dax *d = dr->d;

		dl = scols_table_new_line(tr->tb, ln);
		if (!dl)
			return;
		set_cell(tr, dl, PP_COL_NAME, d->dev);
		set_cell(tr, dl, PP_COL_TYPE, pp_dax_mode_name(d->mode));
		if (d->align != PP_UNKNOWN)
			set_size(tr, dl, PP_COL_ALIGN, d->align);
		set_num(tr, dl, PP_COL_START, true, d->start);
		set_size(tr, dl, PP_COL_SIZE, d->size);
		if (d->target_node >= 0)
			set_num(tr, dl, PP_COL_NODE, false,
				(uint64_t)d->target_node);
		if (dr->acc.source == PP_KMEM_UNKNOWN)
			continue;
		set_size(tr, dl, PP_COL_LOST, dr->acc.loss.total);
		set_cell(tr, dl, PP_COL_SOURCE, dr->acc.model_error ?
			 "MODEL-ERROR" :
			 pp_kmem_source_name(dr->acc.source));
		if (dr->acc.active && dr->acc.bytes) {
			struct pp_ns_report nr = dr->acc;

			/* kmem_line() reads the dax device off nr->ns */
			struct pp_namespace ns = { .dax = (struct pp_dax *)d };

			nr.ns = &ns;
			kmem_line(tr, dl, &nr);
		}
	}
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
		const struct pp_column *c =
			&pp_show_columns[o->columns[i]];
		/* only the first column can draw the tree */
		int flags = i ? c->flags & ~SCOLS_FL_TREE : c->flags;

		if (!scols_table_new_column(tr.tb, c->name, c->whint, flags))
			goto out;
		tr.pos[o->columns[i]] = (int)i;
	}
	for (i = 0; i < rep->nr_regions; i++)
		region_lines(&tr, &rep->regions[i]);
	for (i = 0; i < rep->nr_cxl; i++)
		cxl_lines(&tr, &rep->cxl[i]);
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
			pp_size_text(f->value, bytes, buf, sizeof(buf)),
			pp_source_name(f->src));
	else
		fprintf(out, "  %-20s %" PRIu64 " (%s)\n", label, f->value,
			pp_source_name(f->src));
}

/* auto_online_blocks' source, said only for a what-if (given, or the
 * target's default under --arch) */
static const char *policy_source(const struct pp_platform *p)
{
	if (p->auto_online_src == PP_SRC_OVERRIDE)
		return " (override)";
	if (p->auto_online_src == PP_SRC_DERIVED)
		return " (derived)";
	return "";
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
			pp_size_text(p->page_size.value, o->bytes, ps,
				     sizeof(ps)),
			pp_size_text(p->block_size.value, o->bytes, bs,
				     sizeof(bs)),
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
	fprintf(out, "  %-20s %s%s\n", "auto_online_blocks",
		p->auto_online_blocks[0] ? p->auto_online_blocks : "unknown",
		policy_source(p));
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
	if (!rep->nr_regions && !rep->nr_cxl) {
		fprintf(out, "no persistent memory regions found\n");
	} else {
		fputc('\n', out);
		for (i = 0; i < rep->nr_regions; i++) {
			pp_region_summary(&rep->regions[i], opts->bytes, line,
					  sizeof(line));
			fprintf(out, "%s\n", line);
		}
		for (i = 0; i < rep->nr_cxl; i++) {
			pp_cxl_summary(&rep->cxl[i], t->plat.block_size.value,
				       opts->bytes, line, sizeof(line));
			fprintf(out, "%s\n", line);
		}
		fputc('\n', out);
		rc = print_tree(out, rep, opts);
	}
	/* free CXL ram capacity: plan says what a region of it would give */
	for (i = 0; i < t->nr_cxl_free; i++) {
		const struct pp_cxl_free *f = &t->cxl_free[i];
		char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN];

		fprintf(out, "CXL %s: %s of its %s of ram in no region, window %s: pmemplan plan says what a region of it would give\n",
			f->memdev, pp_size_text(f->ram_free, opts->bytes, a,
						PP_HUMAN_LEN),
			pp_size_text(f->ram_size, opts->bytes, b, PP_HUMAN_LEN),
			f->decoder);
	}
	for (i = 0; i < t->nr_notes; i++)
		fprintf(out, "note: %s\n", t->notes[i]);
	for (i = 0; i < rep->nr_regions; i++) {
		unsigned int j, k;

		for (j = 0; j < rep->regions[i].r->nr_ns; j++) {
			const struct pp_ns_report *nr = &rep->regions[i].ns[j];

			if (nr->refused)
				fprintf(out, "what-if: %s: %s\n",
					nr->ns->dev, nr->refused);
			if (nr->model_error)
				fprintf(out, "MODEL ERROR: %s: %s\n",
					nr->ns->dev, nr->model_error_what);
			for (k = 0; k < nr->nr_viol; k++)
				fprintf(out, "warning: %s: %s\n", nr->ns->dev,
					nr->viol[k].why);
			if (nr->interrupted)
				fprintf(out, "note: %s (%s): %s\n", nr->ns->dev,
					nr->ns->name, nr->interrupted);
		}
	}
	for (i = 0; i < rep->nr_cxl; i++) {
		unsigned int j;

		for (j = 0; j < rep->cxl[i].c->nr_dax; j++)
			if (rep->cxl[i].dax[j].acc.model_error)
				fprintf(out, "MODEL ERROR: %s: %s\n",
					rep->cxl[i].dax[j].d->dev,
					rep->cxl[i].dax[j].acc.model_error_what);
	}
	return rc;
}
