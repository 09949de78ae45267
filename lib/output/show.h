/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of the show output share, and nothing else includes:
 *   show_columns.c  the tree's columns and -o parsing
 *   show_human.c    the platform facts and the libsmartcols tree
 *   show_json.c     the "show --json" document
 *   summary.c       the one-sentence summary of a region, sizes in words
 */
#ifndef PMEMPLAN_OUTPUT_SHOW_H
#define PMEMPLAN_OUTPUT_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "account/account.h"
#include "output/output.h"

/* Columns of the tree, lsblk style: -o picks them, in that order. */
struct pp_column {
	const char *name;
	double whint;
	int flags;		/* SCOLS_FL_* */
	const char *help;
};

extern const struct pp_column pp_show_columns[PP_NR_COLUMNS];

/* "measured" or "predicted" */
const char *pp_kmem_source_name(enum pp_kmem_source s);

#endif /* PMEMPLAN_OUTPUT_SHOW_H */
