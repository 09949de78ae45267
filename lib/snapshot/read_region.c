// SPDX-License-Identifier: GPL-2.0
/*
 * Reader: regions, namespaces and dax devices, and the checks that
 * make them a consistent machine (inside their parent, no overlaps, no
 * duplicate names).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snapshot/reader.h"

/* every architecture with pmem has pages of at least 4 KiB */
#define SNAP_MIN_PAGE 4096ULL

/* [start, start + size) must not wrap: the model computes the end. */
static int check_range(struct rd *c, const char *parent, uint64_t start,
		       uint64_t size)
{
	if (start == PP_UNKNOWN || size == PP_UNKNOWN)
		return 0;
	if (size > UINT64_MAX - start)
		return rd_fail(c, "%s.size: resource + size exceeds 64 bits (0x%" PRIx64 " + 0x%" PRIx64 ")",
			       parent, start, size);
	return 0;
}

static bool inside(uint64_t start, uint64_t size, uint64_t ostart,
		   uint64_t osize)
{
	return start >= ostart && start + size <= ostart + osize;
}

static int check_align(struct rd *c, const char *parent, uint64_t align)
{
	char path[PATH_LEN];

	return rd_check_pow2(c, rd_join(path, parent, "align"), align);
}

int rd_read_dax(struct rd *c, struct json_object *o, const char *parent,
		const char *owner, uint64_t ostart, uint64_t osize,
		struct pp_dax *d)
{
	char path[PATH_LEN];
	int rc, v;

	rc = rd_get_buf(c, o, parent, "chardev", REQ | NONEMPTY, d->dev,
			sizeof(d->dev));
	if (rc)
		return rc;
	rc = rd_get_enum(c, o, parent, "mode", REQ, &pp_dax_mode_names, 0, &v);
	if (rc)
		return rc;
	d->mode = (enum pp_dax_mode)v;
	rc = rd_get_u64(c, o, parent, "resource", 0, &d->start);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "size", 0, &d->size);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "align", 0, &d->align);
	if (!rc)
		rc = check_align(c, parent, d->align);
	if (!rc)
		rc = rd_get_int(c, o, parent, "target_node", -1, MAX_NODE, -1,
				&d->target_node);
	if (!rc)
		rc = rd_get_int(c, o, parent, "memmap_on_memory", 0, 1, -1,
				&d->memmap_on_memory);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "online_memblocks", 0,
				&d->online_blocks);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "total_memblocks", 0,
				&d->total_blocks);
	if (!rc)
		rc = rd_get_buf(c, o, parent, "zone", 0, d->zone,
				sizeof(d->zone));
	if (!rc)
		rc = check_range(c, parent, d->start, d->size);
	if (rc)
		return rc;
	if (d->online_blocks != PP_UNKNOWN && d->total_blocks != PP_UNKNOWN &&
	    d->online_blocks > d->total_blocks)
		return rd_fail(c, "%s: more than total_memblocks (%" PRIu64 " > %" PRIu64 ")",
			       rd_join(path, parent, "online_memblocks"),
			       d->online_blocks, d->total_blocks);
	if (d->start != PP_UNKNOWN && d->size != PP_UNKNOWN &&
	    ostart != PP_UNKNOWN && osize != PP_UNKNOWN &&
	    !inside(d->start, d->size, ostart, osize))
		return rd_fail(c, "%s: [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside %s [0x%" PRIx64 ", 0x%" PRIx64 ")",
			       rd_join(path, parent, "resource"), d->start,
			       d->start + d->size, owner, ostart,
			       ostart + osize);
	return 0;
}

/*
 * show_json.c writes the kmem range inside the namespace's computed "kmem"
 * object; only a measured one is a fact.  A predicted one is recomputed.
 */
static int read_kmem(struct rd *c, struct json_object *o, const char *parent,
		     struct pp_namespace *ns)
{
	char kpath[ELEM_LEN + 8], path[PATH_LEN];
	struct json_object *k, *s;
	uint64_t start, end;
	int rc;

	rd_lookup(o, "kmem", &k);
	if (!k || !json_object_is_type(k, json_type_object))
		return 0;
	rd_lookup(k, "source", &s);
	if (!s || !json_object_is_type(s, json_type_string) ||
	    strcmp(json_object_get_string(s), "measured"))
		return 0;
	rd_join(kpath, parent, "kmem");
	if (!ns->dax)
		return rd_fail(c, "%s.source: \"measured\" but the namespace has no dax device",
			       kpath);
	rc = rd_get_u64(c, k, kpath, "start", 0, &start);
	if (!rc)
		rc = rd_get_u64(c, k, kpath, "end", 0, &end);
	if (rc)
		return rc;
	if ((start == PP_UNKNOWN) != (end == PP_UNKNOWN))
		return rd_fail(c, "%s: a measured range needs both start and end",
			       kpath);
	if (start != PP_UNKNOWN && end != PP_UNKNOWN) {
		const struct pp_dax *d = ns->dax;
		uint64_t lo = PP_UNKNOWN, hi = 0;
		const char *what = ns->dev;

		if (end < start)
			return rd_fail(c, "%s: before kmem.start (0x%" PRIx64 " < 0x%" PRIx64 ")",
				       rd_join(path, kpath, "end"), end, start);
		/*
		 * kmem hot-plugs whole blocks inside the dax range, which
		 * starts dataoff into the namespace; the accounting takes
		 * the gaps on either side by subtraction.
		 */
		if (d->start != PP_UNKNOWN && d->size != PP_UNKNOWN) {
			lo = d->start;
			hi = d->start + d->size;
			what = d->dev;
		} else if (ns->start != PP_UNKNOWN) {
			lo = ns->start + (ns->dataoff != PP_UNKNOWN ?
					  ns->dataoff : 0);
			hi = ns->start + ns->size;
		}
		if (lo != PP_UNKNOWN && (start < lo || end > hi))
			return rd_fail(c, "%s: [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside %s [0x%" PRIx64 ", 0x%" PRIx64 ")",
				       rd_join(path, kpath, "start"), start,
				       end, what, lo, hi);
	}
	ns->dax->kmem_start = start;
	ns->dax->kmem_end = end;
	return 0;
}

/* null or missing: not probed; a string, even "", is what was found */
static int read_signature(struct rd *c, struct json_object *o,
			  const char *parent, struct pp_namespace *ns)
{
	struct json_object *v;
	int rc;

	rd_lookup(o, "signature", &v);
	if (!v)
		return 0;
	rc = rd_get_buf(c, o, parent, "signature", 0, ns->signature,
			sizeof(ns->signature));
	if (!rc)
		ns->sig_probed = true;
	return rc;
}

/*
 * A document from before "claimed" and "busy" says what they would have
 * been in other words: devdax and sector modes and an fsdax info block
 * (a data offset that is not known to be 0, which only a claim-less e820
 * namespace has) are claims; a dax device in System RAM with memory
 * online, or not known to be offline, is busy.  Only the O_EXCL test is
 * lost.  A true or false in the document is taken as it is.
 */
static int read_usage(struct rd *c, struct json_object *o,
		      const char *parent, struct pp_namespace *ns)
{
	const struct pp_dax *d = ns->dax;
	struct json_object *v;
	int rc = 0;

	rd_lookup(o, "claimed", &v);
	if (v)
		rc = rd_get_bool(c, o, parent, "claimed", &ns->claimed);
	else
		ns->claimed = ns->mode == PP_MODE_DEVDAX ||
			      ns->mode == PP_MODE_SECTOR ||
			      (ns->mode == PP_MODE_FSDAX && ns->dataoff);
	if (rc)
		return rc;
	rd_lookup(o, "busy", &v);
	if (v)
		return rd_get_bool(c, o, parent, "busy", &ns->busy);
	ns->busy = d && d->mode == PP_DAX_SYSTEM_RAM && d->online_blocks;
	return 0;
}

/*
 * Resources and sizes are whole pages (the smallest page is 4 KiB on
 * every architecture pmem exists on), and a region align is at least a
 * page (align_store(), region_devs.c): anything else is not a machine.
 */
static int check_pages(struct rd *c, const char *parent, uint64_t start,
		       uint64_t size)
{
	char path[PATH_LEN];

	if (start != PP_UNKNOWN && start % SNAP_MIN_PAGE)
		return rd_fail(c, "%s: 0x%" PRIx64 " is not a multiple of 4 KiB",
			       rd_join(path, parent, "resource"), start);
	if (size != PP_UNKNOWN && size % SNAP_MIN_PAGE)
		return rd_fail(c, "%s: %" PRIu64 " is not a multiple of 4 KiB",
			       rd_join(path, parent, "size"), size);
	return 0;
}

static int read_namespace(struct rd *c, struct json_object *o,
			  const char *parent, const struct pp_region *r,
			  struct pp_namespace *ns)
{
	char path[PATH_LEN], dpath[ELEM_LEN + 8];
	struct json_object *d;
	int rc, v;

	rc = rd_get_buf(c, o, parent, "dev", REQ | NONEMPTY, ns->dev,
			sizeof(ns->dev));
	if (rc)
		return rc;
	/* null is the writer's "unknown" mode; a missing key is an error */
	if (!json_object_object_get_ex(o, "mode", NULL))
		return rd_missing(c, rd_join(path, parent, "mode"));
	rc = rd_get_enum(c, o, parent, "mode", 0, &pp_mode_names,
			 PP_MODE_UNKNOWN, &v);
	if (rc)
		return rc;
	ns->mode = (enum pp_ns_mode)v;
	rc = rd_get_enum(c, o, parent, "map", 0, &pp_map_names, PP_MAP_NONE,
			 &v);
	if (rc)
		return rc;
	ns->map = (enum pp_map)v;
	rc = rd_get_u64(c, o, parent, "align", 0, &ns->align);
	if (!rc)
		rc = check_align(c, parent, ns->align);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "resource", 0, &ns->start);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "size", REQ, &ns->size);
	if (rc)
		return rc;
	if (!ns->size)
		return rd_fail(c, "%s: expected a positive size, got 0",
			       rd_join(path, parent, "size"));
	rc = check_pages(c, parent, ns->start, ns->size);
	if (rc)
		return rc;
	rc = rd_get_u64(c, o, parent, "dataoff", 0, &ns->dataoff);
	if (!rc)
		rc = rd_get_buf(c, o, parent, "uuid", 0, ns->uuid,
				sizeof(ns->uuid));
	if (!rc)
		rc = rd_get_buf(c, o, parent, "name", 0, ns->name,
				sizeof(ns->name));
	if (!rc)
		rc = rd_get_bool(c, o, parent, "enabled", &ns->enabled);
	if (!rc)
		rc = check_range(c, parent, ns->start, ns->size);
	if (rc)
		return rc;
	if (ns->dataoff != PP_UNKNOWN && ns->dataoff > ns->size)
		return rd_fail(c, "%s: beyond the end of the namespace (%" PRIu64 " > size %" PRIu64 ")",
			       rd_join(path, parent, "dataoff"), ns->dataoff,
			       ns->size);
	if (ns->start != PP_UNKNOWN && r->start != PP_UNKNOWN &&
	    !inside(ns->start, ns->size, r->start, r->size))
		return rd_fail(c, "%s: [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside %s [0x%" PRIx64 ", 0x%" PRIx64 ")",
			       rd_join(path, parent, "resource"), ns->start,
			       ns->start + ns->size, r->dev, r->start,
			       r->start + r->size);

	rc = rd_get_typed(c, o, parent, "dax", json_type_object, 0, &d);
	if (rc)
		return rc;
	if (d) {
		if (!pp_namespace_add_dax(ns))
			return rd_nomem(c);
		rc = rd_read_dax(c, d, rd_join(dpath, parent, "dax"), ns->dev,
				 ns->start, ns->size, ns->dax);
		if (rc)
			return rc;
	}
	rc = read_signature(c, o, parent, ns);
	if (!rc)
		rc = read_usage(c, o, parent, ns);
	if (!rc)
		rc = read_kmem(c, o, parent, ns);
	return rc;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* qsort: namespace pointers by start address */
static int cmp_ns_start(const void *a, const void *b)
{
	const struct pp_namespace *x = *(const struct pp_namespace *const *)a;
	const struct pp_namespace *y = *(const struct pp_namespace *const *)b;
	int d = cmp_u64(x->start, y->start);

	/* ties by array position so that the report names the later one */
	return d ? d : (x < y ? -1 : x > y);
}

/*
 * Namespaces of one region share its address space; an overlap would make
 * the free-extent arithmetic wrap.
 */
static int check_overlap(struct rd *c, unsigned int ri, struct pp_region *r)
{
	struct pp_namespace **v;
	unsigned int i, n = 0;
	int rc = 0;

	if (r->nr_ns < 2)
		return 0;
	v = calloc(r->nr_ns, sizeof(*v));
	if (!v)
		return rd_nomem(c);
	for (i = 0; i < r->nr_ns; i++)
		if (r->ns[i].start != PP_UNKNOWN)
			v[n++] = &r->ns[i];
	qsort(v, n, sizeof(*v), cmp_ns_start);
	for (i = 1; i < n; i++) {
		const struct pp_namespace *a = v[i - 1], *b = v[i];

		if (a->start + a->size <= b->start)
			continue;
		if (b < a) {
			const struct pp_namespace *tmp = a;

			a = b;
			b = tmp;
		}
		rc = rd_fail(c, "regions[%u].namespaces[%u].resource: [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps %s [0x%" PRIx64 ", 0x%" PRIx64 ")",
			     ri, (unsigned int)(b - r->ns), b->start,
			     b->start + b->size, a->dev, a->start,
			     a->start + a->size);
		break;
	}
	free(v);
	return rc;
}

int rd_read_region(struct rd *c, struct json_object *o, unsigned int ri,
		   struct pp_region *r)
{
	char parent[24], path[PATH_LEN], npath[ELEM_LEN];
	struct json_object *a, *lc;
	uint64_t total = 0;
	size_t i, n;
	int rc, v;

	snprintf(parent, sizeof(parent), "regions[%u]", ri);
	rc = rd_get_buf(c, o, parent, "dev", REQ | NONEMPTY, r->dev,
			sizeof(r->dev));
	if (rc)
		return rc;
	rc = rd_get_enum(c, o, parent, "kind", 0, &pp_region_kind_names,
			 PP_REGION_NFIT, &v);
	if (rc)
		return rc;
	r->kind = (enum pp_region_kind)v;
	rc = rd_get_u64(c, o, parent, "resource", 0, &r->start);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "size", REQ, &r->size);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "align", 0, &r->align);
	if (!rc)
		rc = check_align(c, parent, r->align);
	if (!rc)
		rc = rd_get_int(c, o, parent, "interleave_ways", 1, MAX_WAYS, 1,
				&v);
	if (rc)
		return rc;
	r->ways = (unsigned int)v;
	rc = rd_get_bool(c, o, parent, "labelled", &r->labelled);
	/*
	 * Missing (older documents) or null: a region the kernel made
	 * labelled has DIMMs with labels (nd_region_to_nstype() wants
	 * NDD_LABELING on all of them).
	 */
	rd_lookup(o, "label_capable", &lc);
	if (!rc && !lc)
		r->label_capable = r->labelled;
	else if (!rc)
		rc = rd_get_bool(c, o, parent, "label_capable",
				 &r->label_capable);
	/* absent (older documents): unknown, which needs --force */
	if (!rc) {
		rc = rd_get_enum(c, o, parent, "label_index", 0,
				 &pp_label_index_names, PP_LABEL_INDEX_UNKNOWN,
				 &v);
		r->label_index = (enum pp_label_index)v;
	}
	if (!rc)
		rc = rd_get_bool(c, o, parent, "enabled", &r->enabled);
	if (!rc)
		rc = rd_get_bool(c, o, parent, "readonly", &r->readonly);
	if (!rc)
		rc = rd_get_int(c, o, parent, "numa_node", -1, MAX_NODE, -1,
				&r->numa_node);
	if (!rc)
		rc = rd_get_int(c, o, parent, "target_node", -1, MAX_NODE, -1,
				&r->target_node);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "available_size", 0,
				&r->available_size);
	if (!rc)
		rc = rd_get_u64(c, o, parent, "max_available_extent", 0,
				&r->max_available_extent);
	if (!rc)
		rc = check_range(c, parent, r->start, r->size);
	if (!rc)
		rc = check_pages(c, parent, r->start, r->size);
	if (rc)
		return rc;
	if (r->align != PP_UNKNOWN && r->align < SNAP_MIN_PAGE)
		return rd_fail(c, "%s: %" PRIu64 " is smaller than a page (4096)",
			       rd_join(path, parent, "align"), r->align);
	if (r->available_size != PP_UNKNOWN && r->available_size > r->size)
		return rd_fail(c, "%s: larger than the region (%" PRIu64 " > size %" PRIu64 ")",
			       rd_join(path, parent, "available_size"),
			       r->available_size, r->size);
	if (r->max_available_extent != PP_UNKNOWN &&
	    r->max_available_extent > r->size)
		return rd_fail(c, "%s: larger than the region (%" PRIu64 " > size %" PRIu64 ")",
			       rd_join(path, parent, "max_available_extent"),
			       r->max_available_extent, r->size);

	rc = rd_get_typed(c, o, parent, "namespaces", json_type_array, 0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > MAX_NAMESPACES)
		return rd_fail(c, "%s.namespaces: too many entries (max %d)",
			       parent, MAX_NAMESPACES);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct pp_namespace *ns;

		snprintf(npath, sizeof(npath), "%s.namespaces[%zu]", parent,
			 i);
		if (!json_object_is_type(e, json_type_object))
			return rd_bad_type(c, npath, "an object", e);
		ns = pp_region_add_namespace(r);
		if (!ns)
			return rd_nomem(c);
		rc = read_namespace(c, e, npath, r, ns);
		if (rc)
			return rc;
		/* with or without addresses, they cannot hold more */
		total += ns->size;
		if (total > r->size)
			return rd_fail(c, "%s.namespaces: %" PRIu64 " bytes in namespaces, more than the region's %" PRIu64,
				       parent, total, r->size);
	}
	return check_overlap(c, ri, r);
}

/* ------------------------------------------------------------------ */
/* Reader: duplicate names                                             */
/* ------------------------------------------------------------------ */

struct name_ref {
	const char *name;
	unsigned int r, n;	/* position in the document */
};

static int cmp_ref(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int d = strcmp(x->name, y->name);

	if (d)
		return d;
	if (x->r != y->r)
		return x->r < y->r ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

static void ref_path(char *buf, enum name_kind kind,
		     const struct name_ref *ref)
{
	switch (kind) {
	case NAME_REGION:
		snprintf(buf, PATH_LEN, "regions[%u].dev", ref->r);
		break;
	case NAME_NS:
		snprintf(buf, PATH_LEN, "regions[%u].namespaces[%u].dev",
			 ref->r, ref->n);
		break;
	case NAME_DAX:
		snprintf(buf, PATH_LEN,
			 "regions[%u].namespaces[%u].dax.chardev",
			 ref->r, ref->n);
		break;
	}
}

/*
 * Device names identify what plan and apply act on, so each must be unique
 * (namespace and dax names are global in the kernel, not per region).
 * Sorting keeps this O(n log n) at the caps; of several duplicates the one
 * reported is the first to repeat an earlier name in document order.
 */
int rd_check_dups(struct rd *c, const struct pp_topology *t,
		  enum name_kind kind)
{
	struct name_ref *v, *first = NULL, *later = NULL;
	char p1[PATH_LEN], p2[PATH_LEN];
	size_t n = 0, total = 0, i, group = 0;
	unsigned int ri, ni;

	for (ri = 0; ri < t->nr_regions; ri++)
		total += kind == NAME_REGION ? 1 : t->regions[ri].nr_ns;
	if (total < 2)
		return 0;
	v = calloc(total, sizeof(*v));
	if (!v)
		return rd_nomem(c);
	for (ri = 0; ri < t->nr_regions; ri++) {
		const struct pp_region *r = &t->regions[ri];

		if (kind == NAME_REGION) {
			v[n++] = (struct name_ref){ r->dev, ri, 0 };
			continue;
		}
		for (ni = 0; ni < r->nr_ns; ni++) {
			if (kind == NAME_NS)
				v[n++] = (struct name_ref){ r->ns[ni].dev,
							    ri, ni };
			else if (r->ns[ni].dax)
				v[n++] = (struct name_ref){
					r->ns[ni].dax->dev, ri, ni };
		}
	}
	qsort(v, n, sizeof(*v), cmp_ref);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1].name, v[i].name)) {
			group = i;
			continue;
		}
		/* v[i] repeats v[group], the first of its name */
		if (!later || v[i].r < later->r ||
		    (v[i].r == later->r && v[i].n < later->n)) {
			later = &v[i];
			first = &v[group];
		}
	}
	if (later) {
		ref_path(p1, kind, later);
		ref_path(p2, kind, first);
		rd_fail(c, "%s: duplicate name \"%s\" (also %s)", p1,
			later->name, p2);
	}
	free(v);
	return later ? -EINVAL : 0;
}
