// SPDX-License-Identifier: GPL-2.0
/*
 * "plan --json" of many snapshots: the fleet document (schema PP_SCHEMA),
 * "hosts", "totals" and "failures".  A host is printed as soon as the next
 * one is planned, so that a fleet of any size costs the memory of one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "output/fleet_output.h"
#include "output/output.h"
#include "snapshot/json_put.h"
#include "snapshot/snapshot.h"

static struct json_object *host_json(const struct pp_fleet_host *h)
{
	struct json_object *j = json_object_new_object();
	int rc;

	if (!j)
		return NULL;
	rc = pp_json_put_str(j, "name", h->name);
	rc = rc ?: pp_json_put_str(j, "source", h->source);
	rc = rc ?: pp_json_put_str(j, "arch", h->arch);
	rc = rc ?: pp_json_put_str(j, "kernel", h->kernel);
	rc = rc ?: pp_json_put_u64(j, "capacity", h->capacity);
	rc = rc ?: pp_json_put_u64(j, "kmem_now", h->kmem_now);
	rc = rc ?: pp_json_put_u64(j, "kmem_planned", h->kmem_planned);
	rc = rc ?: pp_json_put_u64(j, "bound", h->bound);
	rc = rc ?: pp_json_put_u64(j, "net_now", h->net_now);
	rc = rc ?: pp_json_put_u64(j, "net_planned", h->net_planned);
	rc = rc ?: pp_json_put_u64(j, "ram_added", h->ram_added);
	rc = rc ?: pp_json_put_int(j, "operations", (int)h->nr_ops);
	rc = rc ?: pp_json_put_int(j, "destructive_operations",
				   (int)h->nr_destructive);
	rc = rc ?: pp_json_put_int(j, "unsafe_namespaces", (int)h->nr_unsafe);
	rc = rc ?: pp_json_put_bool(j, "model_error", h->model_error);
	rc = rc ?: pp_json_put_str(j, "refused", h->refused);
	rc = rc ?: pp_json_put_str(j, "shortfall", h->shortfall);
	return pp_json_built(j, rc);
}

static int put_count(struct json_object *j, const char *key,
		     unsigned long v)
{
	return pp_json_put(j, key, json_object_new_int64((int64_t)v), false);
}

static struct json_object *totals_json(const struct pp_fleet_totals *tot)
{
	struct json_object *j = json_object_new_object();
	int rc;

	if (!j)
		return NULL;
	rc = put_count(j, "hosts", tot->hosts);
	rc = rc ?: put_count(j, "failed", tot->failed);
	rc = rc ?: put_count(j, "refused", tot->refused);
	rc = rc ?: put_count(j, "short_of_size", tot->short_of_size);
	rc = rc ?: put_count(j, "unsafe", tot->unsafe);
	rc = rc ?: put_count(j, "operations", tot->ops);
	rc = rc ?: pp_json_put_u64(j, "capacity", tot->capacity);
	rc = rc ?: pp_json_put_u64(j, "kmem_now", tot->kmem_now);
	rc = rc ?: pp_json_put_u64(j, "kmem_planned", tot->kmem_planned);
	rc = rc ?: pp_json_put_u64(j, "bound", tot->bound);
	rc = rc ?: pp_json_put_u64(j, "ram_added", tot->ram_added);
	return pp_json_built(j, rc);
}

int pp_fleet_json_begin(struct pp_fleet_json *fj, FILE *out)
{
	memset(fj, 0, sizeof(*fj));
	fj->out = out;
	fj->failures = json_object_new_array();
	if (!fj->failures)
		fj->rc = -ENOMEM;
	fprintf(out, "{\n  \"schema\": %d,\n  \"command\": \"plan\",\n"
		"  \"report\": \"fleet\",\n  \"hosts\": [\n", PP_SCHEMA);
	return fj->rc;
}

int pp_fleet_json_host(struct pp_fleet_json *fj,
		       const struct pp_fleet_host *h)
{
	struct json_object *j;

	if (fj->rc)
		return fj->rc;
	j = host_json(h);
	if (!j)
		return fj->rc = -ENOMEM;
	if (fj->pending)
		fj->rc = pp_json_put_member(fj->out, 4, NULL, fj->pending,
					    false);
	fj->pending = j;
	return fj->rc;
}

int pp_fleet_json_failure(struct pp_fleet_json *fj, const char *source,
			  const char *error)
{
	struct json_object *j;
	int rc;

	if (fj->rc)
		return fj->rc;
	j = json_object_new_object();
	if (!j)
		return fj->rc = -ENOMEM;
	rc = pp_json_put_str(j, "source", source);
	rc = rc ?: pp_json_put_str(j, "error", error);
	return fj->rc = pp_json_array_put(fj->failures, pp_json_built(j, rc));
}

int pp_fleet_json_end(struct pp_fleet_json *fj,
		      const struct pp_fleet_totals *tot)
{
	struct json_object *failures = fj->failures;
	int rc = fj->rc;

	if (fj->pending && !rc)
		rc = pp_json_put_member(fj->out, 4, NULL, fj->pending, true);
	else
		json_object_put(fj->pending);
	fj->pending = fj->failures = NULL;
	if (rc) {
		json_object_put(failures);
		return fj->rc = rc;
	}
	fprintf(fj->out, "  ],\n");
	rc = pp_json_put_member(fj->out, 2, "totals", totals_json(tot), false);
	if (!rc)
		rc = pp_json_put_member(fj->out, 2, "failures", failures, true);
	else
		json_object_put(failures);
	fprintf(fj->out, "}\n");
	return fj->rc = rc;
}
