/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Topology <-> JSON.  The writer emits the facts of a topology in the
 * "show --json" shape (schema PP_SCHEMA); show_json.c adds the computed
 * accounting to the same objects.  The reader takes such a document back
 * (computed keys are ignored, unknown keys tolerated) so that
 * "show --json | show --input - --json" round-trips.
 */
#ifndef PMEMPLAN_SNAPSHOT_H
#define PMEMPLAN_SNAPSHOT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "snapshot/json_put.h"
#include "topology/topology.h"

#define PP_SCHEMA 1

/* The most a snapshot may take (bytes): bounds the reader's memory. */
#define PP_SNAPSHOT_MAX (64u << 20)

/*
 * Parse a snapshot.  On failure returns a negative errno (-EINVAL for bad
 * content, -ENOMEM, -EIO) and writes one line naming the offending field
 * and what to do into err (e.g. "regions[0].size: expected a non-negative
 * integer, got -5").  t is left empty on failure.
 */
int pp_snapshot_read(FILE *in, struct pp_topology *t, char *err,
		     size_t errlen);
int pp_snapshot_parse(const char *text, size_t len, struct pp_topology *t,
		      char *err, size_t errlen);

/*
 * The same, with the first headlen bytes of the input already read into
 * head (the line pp_snapshot_whole_line() looked at).
 */
int pp_snapshot_read_rest(const char *head, size_t headlen, FILE *in,
			  struct pp_topology *t, char *err, size_t errlen);

/*
 * Whether line (its newline optional) holds one whole JSON value: the
 * first line of JSON Lines, one snapshot a line, rather than the "{" that
 * opens a pretty-printed "show --json" document.
 */
bool pp_snapshot_whole_line(const char *line, size_t len);

/* Fact objects; each returns a new json_object or NULL on ENOMEM. */
struct json_object *pp_snapshot_platform(const struct pp_platform *p);
struct json_object *pp_snapshot_region(const struct pp_region *r);
struct json_object *pp_snapshot_namespace(const struct pp_namespace *ns);
struct json_object *pp_snapshot_dax(const struct pp_dax *d);
/* A CXL ram region's dax device: pp_snapshot_dax() and its kmem_range */
struct json_object *pp_snapshot_cxl_dax(const struct pp_dax *d);
/* A CXL region's facts; with_dax: its "dax_devices" too. */
struct json_object *pp_snapshot_cxl_region(const struct pp_cxl_region *c,
					   bool with_dax);
/* Free CXL ram capacity: a memdev and a window (cxl_free[]) */
struct json_object *pp_snapshot_cxl_free(const struct pp_cxl_free *f);


#endif /* PMEMPLAN_SNAPSHOT_H */
