/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "show" prints: the human view (sentences, a libsmartcols tree like
 * lsblk, the platform facts) and the JSON document of the contract.
 */
#ifndef PMEMPLAN_OUTPUT_H
#define PMEMPLAN_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "account.h"
#include "topology.h"

struct pp_output_opts {
	bool bytes;		/* --bytes: exact byte counts */
	bool verbose;		/* -v: every platform fact and its source */
};

/* Print the whole "show --json" document; -ENOMEM on failure. */
int pp_show_json_print(FILE *out, const struct pp_topology *t,
		       const struct pp_report *rep);
int pp_show_human(FILE *out, const struct pp_topology *t,
		  const struct pp_report *rep,
		  const struct pp_output_opts *opts);

/* "region0: 4.0 GiB, 3.9 GiB usable as RAM, 128 MiB lost: ..." */
void pp_region_summary(const struct pp_region_report *rr, bool bytes,
		       char *buf, size_t len);

#endif /* PMEMPLAN_OUTPUT_H */
