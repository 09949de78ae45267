/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "plan" prints for many snapshots: a libsmartcols table, one row a
 * host, and the fleet's totals; or the fleet document of the JSON
 * contract, printed host by host as they are planned.
 */
#ifndef PMEMPLAN_FLEET_OUTPUT_H
#define PMEMPLAN_FLEET_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "planner/fleet.h"

/* The table: rows added as hosts are planned, printed once at the end
 * (its columns are as wide as their widest cell). */
struct pp_fleet_table;

struct pp_fleet_table *pp_fleet_human_new(bool bytes);
/* 0 or -ENOMEM */
int pp_fleet_human_row(struct pp_fleet_table *ft,
		       const struct pp_fleet_host *h);
int pp_fleet_human_print(FILE *out, struct pp_fleet_table *ft,
			 const struct pp_fleet_totals *tot);
void pp_fleet_human_free(struct pp_fleet_table *ft);

/*
 * The document: pp_fleet_json_begin() prints its head, each host is
 * printed when the next arrives (a host is the last only at the end), the
 * failures are kept for the end, pp_fleet_json_end() prints the rest and
 * releases what is kept.  Each returns 0 or -ENOMEM; after an error the
 * others do nothing but return it, and end still releases.
 */
struct pp_fleet_json {
	FILE *out;
	struct json_object *pending;	/* the host printed next */
	struct json_object *failures;
	int rc;
};

int pp_fleet_json_begin(struct pp_fleet_json *fj, FILE *out);
int pp_fleet_json_host(struct pp_fleet_json *fj,
		       const struct pp_fleet_host *h);
int pp_fleet_json_failure(struct pp_fleet_json *fj, const char *source,
			  const char *error);
int pp_fleet_json_end(struct pp_fleet_json *fj,
		      const struct pp_fleet_totals *tot);

#endif /* PMEMPLAN_FLEET_OUTPUT_H */
