// SPDX-License-Identifier: GPL-2.0
/*
 * cxl_regions[] of a snapshot: the facts pp_snapshot_cxl_region() wrote
 * (the computed "kmem", "loss" and totals of show_json.c are recomputed),
 * each checked as the kernel would have made them: dax devices inside
 * their region, a measured kmem range inside its device and on block
 * boundaries.  Documents from before CXL support have no cxl_regions.
 */
#include <inttypes.h>
#include <stdio.h>
#include "snapshot/reader.h"
#include "util/util.h"

#define MAX_GRANULARITY (16u << 10)	/* CXL: 256 B .. 16 KiB */

/* dax_devices[i].kmem_range: {start, end} where kmem holds the device */
static int read_kmem_range(struct rd *c, struct json_object *o,
			   const char *parent, struct pp_dax *d)
{
	char kpath[PATH_LEN], path[PATH_LEN];
	struct json_object *k;
	uint64_t start = PP_UNKNOWN, end = PP_UNKNOWN;
	int rc;

	rc = rd_get_typed(c, o, parent, "kmem_range", json_type_object, 0, &k);
	if (rc || !k)
		return rc;
	rd_join(kpath, parent, "kmem_range");
	rc = rd_get_u64(c, k, kpath, "start", REQ, &start);
	if (!rc)
		rc = rd_get_u64(c, k, kpath, "end", REQ, &end);
	if (rc)
		return rc;
	if (end <= start)
		return rd_fail(c, "%s: not after kmem_range.start (0x%" PRIx64 " <= 0x%" PRIx64 ")",
			       rd_join(path, kpath, "end"), end, start);
	if (d->mode != PP_DAX_SYSTEM_RAM)
		return rd_fail(c, "%s: a kmem range on a device in mode %s (expected system-ram)",
			       kpath, pp_dax_mode_name(d->mode));
	if (d->start != PP_UNKNOWN && d->size != PP_UNKNOWN &&
	    (start < d->start || end > d->start + d->size))
		return rd_fail(c, "%s: [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside %s [0x%" PRIx64 ", 0x%" PRIx64 ")",
			       kpath, start, end, d->dev, d->start,
			       d->start + d->size);
	d->kmem_start = start;
	d->kmem_end = end;
	return 0;
}

static int read_targets(struct rd *c, struct json_object *o,
			const char *parent, struct pp_cxl_region *x)
{
	char path[PATH_LEN];
	struct json_object *a, *e;
	size_t i, n;

	if (rd_get_typed(c, o, parent, "targets", json_type_array, 0, &a))
		return -EINVAL;
	if (!a)
		return 0;
	n = json_object_array_length(a);
	if (n > PP_CXL_MAX_TARGETS)
		return rd_fail(c, "%s: too many entries (max %d)",
			       rd_join(path, parent, "targets"),
			       PP_CXL_MAX_TARGETS);
	for (i = 0; i < n; i++) {
		const char *s;

		e = json_object_array_get_idx(a, i);
		snprintf(path, sizeof(path), "%s.targets[%zu]", parent, i);
		if (!json_object_is_type(e, json_type_string))
			return rd_bad_type(c, path, "a string", e);
		s = json_object_get_string(e);
		if (!s[0] || json_object_get_string_len(e) >= PP_NAME_MAX ||
		    rd_control_char(s, json_object_get_string_len(e)) >= 0)
			return rd_fail(c, "%s: expected a decoder name (1 to %d characters)",
				       path, PP_NAME_MAX - 1);
		pp_strscpy(x->targets[x->nr_targets++], PP_NAME_MAX, s);
	}
	return 0;
}

static int read_dax_devices(struct rd *c, struct json_object *o,
			    const char *parent, struct pp_cxl_region *x)
{
	char path[PATH_LEN];
	struct json_object *a, *e;
	size_t i, n;
	int rc;

	rc = rd_get_typed(c, o, parent, "dax_devices", json_type_array, 0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > PP_CXL_MAX_DAX)
		return rd_fail(c, "%s: too many entries (max %d)",
			       rd_join(path, parent, "dax_devices"),
			       PP_CXL_MAX_DAX);
	if (n && x->mode != PP_CXL_RAM)
		return rd_fail(c, "%s: dax devices in a region of mode %s (expected ram)",
			       rd_join(path, parent, "dax_devices"),
			       pp_cxl_mode_name(x->mode));
	for (i = 0; i < n; i++) {
		struct pp_dax *d;

		e = json_object_array_get_idx(a, i);
		snprintf(path, sizeof(path), "%s.dax_devices[%zu]", parent, i);
		if (!json_object_is_type(e, json_type_object))
			return rd_bad_type(c, path, "an object", e);
		d = pp_cxl_add_dax(x);
		if (!d)
			return rd_nomem(c);
		rc = rd_read_dax(c, e, path, x->dev, x->start, x->size, d);
		if (!rc)
			rc = read_kmem_range(c, e, path, d);
		if (rc)
			return rc;
	}
	return 0;
}

int rd_read_cxl_region(struct rd *c, struct json_object *o, unsigned int ci,
		       struct pp_cxl_region *x)
{
	char parent[32], path[PATH_LEN];
	int rc, v;

	snprintf(parent, sizeof(parent), "cxl_regions[%u]", ci);
	rc = rd_get_buf(c, o, parent, "dev", REQ | NONEMPTY, x->dev,
			sizeof(x->dev));
	if (!rc)
		rc = rd_get_enum(c, o, parent, "mode", 0, &pp_cxl_mode_names,
				 PP_CXL_UNKNOWN, &v);
	if (rc)
		return rc;
	x->mode = (enum pp_cxl_mode)v;
	rc = rd_get_u64(c, o, parent, "resource", 0, &x->start);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "size", 0, &x->size);
	if (!rc)
		rc = rd_get_int(c, o, parent, "interleave_ways", 1,
				PP_CXL_MAX_TARGETS, 1, &v);
	if (rc)
		return rc;
	x->ways = (unsigned int)v;
	rc = rd_get_u64(c, o, parent, "interleave_granularity", 0,
			&x->granularity);
	if (!rc && x->granularity != PP_UNKNOWN &&
	    (x->granularity > MAX_GRANULARITY || x->granularity < 256))
		return rd_fail(c, "%s: %" PRIu64 " is not a CXL interleave granularity (256 to 16384)",
			       rd_join(path, parent, "interleave_granularity"),
			       x->granularity);
	if (!rc)
		rc = rd_check_pow2(c, rd_join(path, parent,
					      "interleave_granularity"),
				   x->granularity);
	if (!rc)
		rc = rd_get_bool(c, o, parent, "committed", &x->committed);
	if (!rc)
		rc = rd_get_bool(c, o, parent, "enabled", &x->enabled);
	if (!rc)
		rc = rd_get_buf(c, o, parent, "root_decoder", 0, x->decoder,
				sizeof(x->decoder));
	if (!rc)
		rc = rd_get_u64(c, o, parent, "window_start", 0,
				&x->window_start);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "window_size", 0,
				&x->window_size);
	if (!rc)
		rc = read_targets(c, o, parent, x);
	if (!rc)
		rc = rd_get_int(c, o, parent, "target_node", -1, MAX_NODE, -1,
				&x->target_node);
	if (!rc)
		rc = rd_get_buf(c, o, parent, "nd_region", 0, x->nd_region,
				sizeof(x->nd_region));
	if (!rc)
		rc = rd_get_buf(c, o, parent, "dax_region", 0, x->dax_region,
				sizeof(x->dax_region));
	if (!rc)
		rc = rd_get_u64(c, o, parent, "dax_available_size", 0,
				&x->dax_available);
	if (rc)
		return rc;
	if (x->start != PP_UNKNOWN && x->size != PP_UNKNOWN &&
	    x->start + x->size < x->start)
		return rd_fail(c, "%s.size: resource + size exceeds 64 bits",
			       parent);
	if (x->start != PP_UNKNOWN && x->size != PP_UNKNOWN &&
	    x->window_start != PP_UNKNOWN && x->window_size != PP_UNKNOWN &&
	    (x->start < x->window_start ||
	     x->start + x->size > x->window_start + x->window_size))
		return rd_fail(c, "%s: [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside its window [0x%" PRIx64 ", 0x%" PRIx64 ")",
			       rd_join(path, parent, "resource"), x->start,
			       x->start + x->size, x->window_start,
			       x->window_start + x->window_size);
	return read_dax_devices(c, o, parent, x);
}

/*
 * cxl_free[fi]: a memdev's ram capacity in no decoder and a window that
 * could hold it (pp_snapshot_cxl_free()); absent from older documents.
 */
int rd_read_cxl_free(struct rd *c, struct json_object *o, unsigned int fi,
		     struct pp_cxl_free *f)
{
	char parent[32], path[PATH_LEN];
	int rc;

	snprintf(parent, sizeof(parent), "cxl_free[%u]", fi);
	rc = rd_get_buf(c, o, parent, "memdev", REQ | NONEMPTY, f->memdev,
			sizeof(f->memdev));
	if (!rc)
		rc = rd_get_buf(c, o, parent, "endpoint_decoder", REQ | NONEMPTY,
				f->endpoint, sizeof(f->endpoint));
	if (!rc)
		rc = rd_get_u64(c, o, parent, "ram_size", 0, &f->ram_size);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "ram_free", REQ, &f->ram_free);
	if (!rc)
		rc = rd_get_buf(c, o, parent, "root_decoder", REQ | NONEMPTY,
				f->decoder, sizeof(f->decoder));
	if (!rc)
		rc = rd_get_u64(c, o, parent, "window_start", 0,
				&f->window_start);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "window_size", 0,
				&f->window_size);
	if (rc)
		return rc;
	if (f->ram_size != PP_UNKNOWN && f->ram_free > f->ram_size)
		return rd_fail(c, "%s: %" PRIu64 " is more than ram_size %" PRIu64,
			       rd_join(path, parent, "ram_free"), f->ram_free,
			       f->ram_size);
	if (f->window_start != PP_UNKNOWN && f->window_size != PP_UNKNOWN &&
	    f->window_start + f->window_size < f->window_start)
		return rd_fail(c, "%s: window_start + window_size exceeds 64 bits",
			       rd_join(path, parent, "window_size"));
	return 0;
}
