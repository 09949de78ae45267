/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "show" prints: the human view (sentences, a libsmartcols tree like
 * lsblk, the platform facts) and the JSON document of the contract.
 * Columns and -o: show_columns.c; the human view: show_human.c; the JSON
 * document: show_json.c; the region sentence: summary.c.
 */
#ifndef PMEMPLAN_OUTPUT_H
#define PMEMPLAN_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "account/account.h"
#include "topology/topology.h"

enum pp_column_id {
	PP_COL_NAME, PP_COL_TYPE, PP_COL_MAP, PP_COL_ALIGN, PP_COL_START,
	PP_COL_SIZE, PP_COL_DATAOFF, PP_COL_KMEM, PP_COL_GAIN, PP_COL_NET,
	PP_COL_BLOCKS, PP_COL_LOST, PP_COL_SOURCE, PP_COL_ZONE, PP_COL_NODE,
	PP_NR_COLUMNS
};

struct pp_output_opts {
	bool bytes;		/* --bytes: exact byte counts */
	bool verbose;		/* -v: every platform fact and its source */
	enum pp_column_id columns[PP_NR_COLUMNS];	/* -o, in order */
	unsigned int nr_columns;
};

void pp_output_default_columns(struct pp_output_opts *o);
void pp_output_all_columns(struct pp_output_opts *o);
/* "NAME,KMEM" replaces the list, "+ZONE" appends; bad names a column
 * that does not exist. */
int pp_output_parse_columns(const char *list, struct pp_output_opts *o,
			    char *bad, size_t badlen);
void pp_output_list_columns(FILE *out);

/* Print the whole "show --json" document; -ENOMEM on failure. */
int pp_show_json_print(FILE *out, const struct pp_topology *t,
		       const struct pp_report *rep);
int pp_show_human(FILE *out, const struct pp_topology *t,
		  const struct pp_report *rep,
		  const struct pp_output_opts *opts);

/*
 * Print v pretty as the member "key" (an array element when key is NULL)
 * of an object being printed at indent, and release v.  Documents are
 * printed piece by piece: a json-c object costs a hash table each.
 */
int pp_json_put_member(FILE *out, int indent, const char *key,
		       struct json_object *v, bool last);
/*
 * Print the array "key" of a document element by element, elem(base, i)
 * for i < n, and the comma after it; nothing when n is 0 unless always
 * (optional arrays leave older documents as they were).
 */
int pp_json_put_elements(FILE *out, const char *key, unsigned int n,
			 bool always,
			 struct json_object *(*elem)(const void *base,
						     unsigned int i),
			 const void *base);

/* "region0: 4.0 GiB, 3.9 GiB usable as RAM, 128 MiB lost: ..." */
void pp_region_summary(const struct pp_region_report *rr, bool bytes,
		       char *buf, size_t len);
/* "CXL region0 (ram, 1-way, ...): 4.0 GiB, 2.0 GiB usable as RAM, ..." */
void pp_cxl_summary(const struct pp_cxl_report *cr, uint64_t block_size,
		    bool bytes, char *buf, size_t len);

#endif /* PMEMPLAN_OUTPUT_H */
