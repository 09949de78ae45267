// SPDX-License-Identifier: GPL-2.0
/* The columns of the show tree and -o/--output parsing, lsblk style. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <libsmartcols/libsmartcols.h>
#include "output/output.h"
#include "output/show.h"
#include "util/util.h"

/* Name, width hint, flags and the -o help line of every column. */
const struct pp_column pp_show_columns[PP_NR_COLUMNS] = {
	[PP_COL_NAME] = { "NAME", 0.2, SCOLS_FL_TREE, "region, namespace, dax device or kmem" },
	[PP_COL_TYPE] = { "TYPE", 0.1, 0, "region kind, namespace mode, dax mode" },
	[PP_COL_MAP] = { "MAP", 3, 0, "where struct pages live: mem or dev" },
	[PP_COL_ALIGN] = { "ALIGN", 6, SCOLS_FL_RIGHT, "region or device alignment" },
	[PP_COL_START] = { "START", 12, SCOLS_FL_RIGHT, "physical start address" },
	[PP_COL_SIZE] = { "SIZE", 8, SCOLS_FL_RIGHT, "size" },
	[PP_COL_DATAOFF] = { "DATAOFF", 7, SCOLS_FL_RIGHT, "info-block data offset" },
	[PP_COL_KMEM] = { "KMEM", 8, SCOLS_FL_RIGHT, "bytes hot-plugged as RAM" },
	[PP_COL_GAIN] = { "GAIN", 8, SCOLS_FL_RIGHT, "MemTotal growth: kmem less struct pages on the device" },
	[PP_COL_NET] = { "NET", 8, SCOLS_FL_RIGHT, "memory the user gets: GAIN less struct pages in DRAM" },
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
	for (i = 0; i < ARRAY_SIZE(default_columns); i++)
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
			if (strlen(pp_show_columns[i].name) == len &&
			    !strncasecmp(p, pp_show_columns[i].name, len))
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
		fprintf(out, "  %-8s %s\n", pp_show_columns[i].name,
			pp_show_columns[i].help);
}

