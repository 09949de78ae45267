// SPDX-License-Identifier: GPL-2.0
/*
 * "plan" of many snapshots for people: one row a host, drawn by
 * libsmartcols like show's tree, the fleet's totals in the last row, and
 * a sentence that counts what needs attention.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <libsmartcols/libsmartcols.h>
#include "output/fleet_output.h"
#include "output/show.h"
#include "util/units.h"
#include "util/util.h"

enum fleet_col {
	COL_HOST, COL_CAPACITY, COL_KMEM_NOW, COL_KMEM_PLAN, COL_BOUND,
	COL_ADDS, COL_OPS, COL_ISSUES, NR_COLS
};

static const struct pp_column fleet_columns[NR_COLS] = {
	[COL_HOST] = { "HOST", 0.2, 0, "" },
	[COL_CAPACITY] = { "CAPACITY", 8, SCOLS_FL_RIGHT, "" },
	[COL_KMEM_NOW] = { "KMEM-NOW", 8, SCOLS_FL_RIGHT, "" },
	[COL_KMEM_PLAN] = { "KMEM-PLAN", 8, SCOLS_FL_RIGHT, "" },
	[COL_BOUND] = { "BOUND", 8, SCOLS_FL_RIGHT, "" },
	[COL_ADDS] = { "ADDS", 8, SCOLS_FL_RIGHT, "" },
	[COL_OPS] = { "OPS", 3, SCOLS_FL_RIGHT, "" },
	[COL_ISSUES] = { "ISSUES", 0.2, 0, "" },
};

struct pp_fleet_table {
	struct libscols_table *tb;
	bool bytes;
};

struct pp_fleet_table *pp_fleet_human_new(bool bytes)
{
	struct pp_fleet_table *ft = calloc(1, sizeof(*ft));
	unsigned int i;

	if (!ft)
		return NULL;
	ft->bytes = bytes;
	ft->tb = scols_new_table();
	for (i = 0; ft->tb && i < NR_COLS; i++)
		if (!scols_table_new_column(ft->tb, fleet_columns[i].name,
					    fleet_columns[i].whint,
					    fleet_columns[i].flags))
			break;
	if (i < NR_COLS) {
		pp_fleet_human_free(ft);
		return NULL;
	}
	return ft;
}

void pp_fleet_human_free(struct pp_fleet_table *ft)
{
	if (!ft)
		return;
	scols_unref_table(ft->tb);
	free(ft);
}

static int set(struct libscols_line *ln, enum fleet_col col, const char *s)
{
	return scols_line_set_data(ln, col, s) ? -ENOMEM : 0;
}

static int set_size(const struct pp_fleet_table *ft,
		    struct libscols_line *ln, enum fleet_col col, uint64_t v)
{
	char buf[PP_HUMAN_LEN];

	return set(ln, col, pp_size_text(v, ft->bytes, buf, sizeof(buf)));
}

static int set_count(struct libscols_line *ln, enum fleet_col col,
		     unsigned long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lu", v);
	return set(ln, col, buf);
}

/* The sizes of a row; the totals row has the same. */
static int set_sizes(const struct pp_fleet_table *ft,
		     struct libscols_line *ln, uint64_t capacity,
		     uint64_t kmem_now, uint64_t kmem_planned, uint64_t bound,
		     uint64_t ram_added)
{
	int rc = set_size(ft, ln, COL_CAPACITY, capacity);

	rc = rc ?: set_size(ft, ln, COL_KMEM_NOW, kmem_now);
	rc = rc ?: set_size(ft, ln, COL_KMEM_PLAN, kmem_planned);
	rc = rc ?: set_size(ft, ln, COL_BOUND, bound);
	return rc ?: set_size(ft, ln, COL_ADDS, ram_added);
}

/* "refused,size,unsafe=2,model-error": what the row's JSON says in full */
static void issues(const struct pp_fleet_host *h, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	if (h->refused[0])
		pos += (size_t)snprintf(buf + pos, len - pos, ",refused");
	if (h->shortfall[0] && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos, ",size");
	if (h->nr_unsafe && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos, ",unsafe=%u",
					h->nr_unsafe);
	if (h->model_error && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos, ",model-error");
	if (!pos)
		snprintf(buf, len, ",-");
}

int pp_fleet_human_row(struct pp_fleet_table *ft,
		       const struct pp_fleet_host *h)
{
	struct libscols_line *ln = scols_table_new_line(ft->tb, NULL);
	char buf[64];
	int rc;

	if (!ln)
		return -ENOMEM;
	issues(h, buf, sizeof(buf));
	rc = set(ln, COL_HOST, h->name);
	rc = rc ?: set_sizes(ft, ln, h->capacity, h->kmem_now, h->kmem_planned,
			     h->bound, h->ram_added);
	rc = rc ?: set_count(ln, COL_OPS, h->nr_ops);
	return rc ?: set(ln, COL_ISSUES, buf + 1);
}

int pp_fleet_human_print(FILE *out, struct pp_fleet_table *ft,
			 const struct pp_fleet_totals *tot)
{
	struct libscols_line *ln = scols_table_new_line(ft->tb, NULL);
	int rc;

	if (!ln)
		return -ENOMEM;
	rc = set(ln, COL_HOST, "total");
	rc = rc ?: set_sizes(ft, ln, tot->capacity, tot->kmem_now,
			     tot->kmem_planned, tot->bound, tot->ram_added);
	rc = rc ?: set_count(ln, COL_OPS, tot->ops);
	if (rc)
		return rc;
	scols_table_set_stream(ft->tb, out);
	rc = scols_print_table(ft->tb);
	if (rc)
		return rc;
	fprintf(out, "%lu host%s planned", tot->hosts,
		tot->hosts == 1 ? "" : "s");
	if (tot->refused)
		fprintf(out, ", %lu that apply would refuse", tot->refused);
	if (tot->short_of_size)
		fprintf(out, ", %lu short of --size", tot->short_of_size);
	if (tot->unsafe)
		fprintf(out, ", %lu with unsafe namespaces", tot->unsafe);
	if (tot->failed)
		fprintf(out, "; %lu snapshot%s failed (named on standard error)",
			tot->failed, tot->failed == 1 ? "" : "s");
	fprintf(out, "\n");
	return 0;
}
