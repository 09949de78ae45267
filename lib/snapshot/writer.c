// SPDX-License-Identifier: GPL-2.0
/*
 * The fact objects of a "show --json" document (schema PP_SCHEMA): the
 * platform, regions, namespaces and dax devices as probed.  The writer
 * emits facts only; lib/output/show_json.c adds the computed keys to the
 * same objects, and the reader (read_document.c) takes them back.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include "snapshot/json_put.h"
#include "snapshot/snapshot.h"

/* ------------------------------------------------------------------ */

/*
 * A fact and its entry in the "source" map.  An unknown value is written
 * with source "unknown" whatever src says, so that reading the document
 * back (null -> PP_SRC_NONE) gives the same bytes.
 */
static int put_fact(struct json_object *o, struct json_object *src,
		    const char *key, const struct pp_fact *f)
{
	enum pp_source s = f->value == PP_UNKNOWN ? PP_SRC_NONE : f->src;

	if (pp_json_put_u64(o, key, f->value))
		return -ENOMEM;
	return pp_json_put_str(src, key, pp_source_name(s));
}

static int put_alignments(struct json_object *o, const struct pp_platform *p)
{
	struct json_object *a, *v;
	unsigned int i, n = p->nr_supported_align;

	if (!n)
		return pp_json_put(o, "supported_alignments", NULL, true);
	if (n > PP_MAX_ALIGNMENTS)
		n = PP_MAX_ALIGNMENTS;
	a = json_object_new_array();
	if (!a)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		v = pp_json_u64(p->supported_align[i]);
		if (!v && p->supported_align[i] != PP_UNKNOWN)
			goto nomem;
		if (json_object_array_add(a, v)) {
			json_object_put(v);
			goto nomem;
		}
	}
	return pp_json_put(o, "supported_alignments", a, false);
nomem:
	json_object_put(a);
	return -ENOMEM;
}

/* Always an array, [] where the kernel has no /sys/firmware/memmap. */
static int put_fwmap(struct json_object *o, const struct pp_platform *p)
{
	struct json_object *a, *e;
	unsigned int i;

	a = json_object_new_array();
	if (!a)
		return -ENOMEM;
	for (i = 0; i < p->nr_fwmap; i++) {
		const struct pp_fw_range *f = &p->fwmap[i];

		e = json_object_new_object();
		if (!e)
			goto nomem;
		if (pp_json_put_u64(e, "start", f->start) ||
		    pp_json_put_u64(e, "end", f->end) ||
		    pp_json_put_str(e, "type", f->type) ||
		    json_object_array_add(a, e)) {
			json_object_put(e);
			goto nomem;
		}
	}
	return pp_json_put(o, "firmware_memmap", a, false);
nomem:
	json_object_put(a);
	return -ENOMEM;
}

/*
 * Where auto_online_blocks came from, said only for a what-if (given, or
 * the target's default under --arch): documents read from a machine
 * keep the key they always had.
 */
static int put_policy_source(struct json_object *src,
			     const struct pp_platform *p)
{
	if (p->auto_online_src != PP_SRC_OVERRIDE &&
	    p->auto_online_src != PP_SRC_DERIVED)
		return 0;
	return pp_json_put_str(src, "auto_online_blocks",
			       pp_source_name(p->auto_online_src));
}

/*
 * The page size the existing info blocks were written with, when a
 * what-if changed it: read back, the document still says what the media
 * holds.  Absent from documents of a machine as it is.
 */
/* Only when known: a snapshot of a sysroot or an older one has none. */
static int put_hostname(struct json_object *o, const struct pp_platform *p)
{
	if (!p->hostname[0])
		return 0;
	return pp_json_put_str(o, "hostname", p->hostname);
}

static int put_media_page_size(struct json_object *o,
			       const struct pp_platform *p)
{
	if (!p->media_page_size)
		return 0;
	return pp_json_put_u64(o, "media_page_size", p->media_page_size);
}

struct json_object *pp_snapshot_platform(const struct pp_platform *p)
{
	struct json_object *o, *src;
	bool arch = p->arch != PP_ARCH_UNKNOWN;
	bool kernel = p->kernel[0] != '\0' || p->kver;
	char ver[16] = "";
	/* the enum has no "unknown": PP_SRC_NONE marks it */
	bool mom = p->memmap_on_memory_src != PP_SRC_NONE;

	if (p->kver)
		snprintf(ver, sizeof(ver), "%u.%u.%u", p->kver >> 16,
			 (p->kver >> 8) & 0xff, p->kver & 0xff);
	o = json_object_new_object();
	if (!o)
		return NULL;
	src = json_object_new_object();
	if (!src)
		goto err;
	if (put_hostname(o, p) ||
	    pp_json_put_str(o, "arch", arch ? pp_arch_name(p->arch) : NULL) ||
	    pp_json_put_str(src, "arch", pp_source_name(arch ? p->arch_src :
							  PP_SRC_NONE)) ||
	    pp_json_put_str(o, "kernel", p->kernel) ||
	    pp_json_put_str(o, "kernel_version", ver) ||
	    pp_json_put_str(src, "kernel", pp_source_name(kernel ? p->kver_src :
							      PP_SRC_NONE)) ||
	    put_fact(o, src, "page_size", &p->page_size) ||
	    put_media_page_size(o, p) ||
	    put_fact(o, src, "section_size", &p->section_size) ||
	    put_fact(o, src, "block_size", &p->block_size) ||
	    put_fact(o, src, "pageblock_order", &p->pageblock_order) ||
	    put_fact(o, src, "struct_page_size", &p->struct_page_size) ||
	    put_fact(o, src, "compat_align", &p->compat_align) ||
	    put_fact(o, src, "hpage_pmd_size", &p->hpage_pmd_size) ||
	    put_alignments(o, p) ||
	    pp_json_put_str(o, "memmap_on_memory",
		    mom ? pp_mom_name(p->memmap_on_memory) : NULL) ||
	    pp_json_put_str(src, "memmap_on_memory",
		    pp_source_name(p->memmap_on_memory_src)) ||
	    pp_json_put_str(o, "auto_online_blocks", p->auto_online_blocks) ||
	    put_policy_source(src, p) ||
	    put_fact(o, src, "mem_total", &p->mem_total) ||
	    put_fact(o, src, "mem_available", &p->mem_available) ||
	    put_fact(o, src, "numa_nodes", &p->nr_nodes) ||
	    pp_json_put_bool(o, "root", p->is_root) ||
	    put_fwmap(o, p))
		goto err_src;
	/* last, so that a reader of the text sees the facts first */
	if (pp_json_put(o, "source", src, false))
		goto err;
	return o;

err_src:
	json_object_put(src);
err:
	json_object_put(o);
	return NULL;
}

struct json_object *pp_snapshot_region(const struct pp_region *r)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (pp_json_put_str(o, "dev", r->dev) ||
	    pp_json_put_str(o, "kind", pp_region_kind_name(r->kind)) ||
	    pp_json_put_u64(o, "resource", r->start) ||
	    pp_json_put_u64(o, "size", r->size) ||
	    pp_json_put_u64(o, "align", r->align) ||
	    pp_json_put_int(o, "interleave_ways", (int)r->ways) ||
	    pp_json_put_bool(o, "labelled", r->labelled) ||
	    pp_json_put_bool(o, "label_capable", r->label_capable) ||
	    pp_json_put_str(o, "label_index",
			    pp_label_index_name(r->label_index)) ||
	    pp_json_put_bool(o, "enabled", r->enabled) ||
	    pp_json_put_bool(o, "readonly", r->readonly) ||
	    pp_json_put_int(o, "numa_node", r->numa_node) ||
	    pp_json_put_int(o, "target_node", r->target_node) ||
	    pp_json_put_u64(o, "available_size", r->available_size) ||
	    pp_json_put_u64(o, "max_available_extent", r->max_available_extent)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* -1: the dax attribute does not exist on this kernel (< v6.8) */
static int put_mom(struct json_object *o, int mom)
{
	if (mom < 0)
		return pp_json_put(o, "memmap_on_memory", NULL, true);
	return pp_json_put_int(o, "memmap_on_memory", mom);
}

struct json_object *pp_snapshot_dax(const struct pp_dax *d)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (pp_json_put_str(o, "chardev", d->dev) ||
	    pp_json_put_str(o, "mode", pp_dax_mode_name(d->mode)) ||
	    pp_json_put_u64(o, "resource", d->start) ||
	    pp_json_put_u64(o, "size", d->size) ||
	    pp_json_put_u64(o, "align", d->align) ||
	    pp_json_put_int(o, "target_node", d->target_node) ||
	    put_mom(o, d->memmap_on_memory) ||
	    pp_json_put_u64(o, "online_memblocks", d->online_blocks) ||
	    pp_json_put_u64(o, "total_memblocks", d->total_blocks) ||
	    pp_json_put_str(o, "zone", d->zone)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/*
 * null: nobody looked (not root, no block device, or claimed); "": looked
 * and found nothing.  pp_json_put_str() would write null for both.
 */
static int put_signature(struct json_object *o, const struct pp_namespace *ns)
{
	if (!ns->sig_probed)
		return pp_json_put(o, "signature", NULL, true);
	return pp_json_put(o, "signature", json_object_new_string(ns->signature),
		   false);
}

struct json_object *pp_snapshot_namespace(const struct pp_namespace *ns)
{
	struct json_object *o = json_object_new_object();
	struct json_object *dax;
	bool mode = ns->mode != PP_MODE_UNKNOWN;
	bool map = ns->map != PP_MAP_NONE;

	if (!o)
		return NULL;
	if (pp_json_put_str(o, "dev", ns->dev) ||
	    pp_json_put_str(o, "mode", mode ? pp_mode_name(ns->mode) : NULL) ||
	    pp_json_put_str(o, "map", map ? pp_map_name(ns->map) : NULL) ||
	    pp_json_put_u64(o, "align", ns->align) ||
	    pp_json_put_u64(o, "resource", ns->start) ||
	    pp_json_put_u64(o, "size", ns->size) ||
	    pp_json_put_u64(o, "dataoff", ns->dataoff) ||
	    pp_json_put_str(o, "uuid", ns->uuid) ||
	    pp_json_put_str(o, "name", ns->name) ||
	    pp_json_put_bool(o, "enabled", ns->enabled) ||
	    pp_json_put_bool(o, "claimed", ns->claimed) ||
	    put_signature(o, ns) ||
	    pp_json_put_bool(o, "busy", ns->busy))
		goto err;
	if (ns->dax) {
		dax = pp_snapshot_dax(ns->dax);
		if (pp_json_put(o, "dax", dax, false))
			goto err;
	}
	return o;
err:
	json_object_put(o);
	return NULL;
}

/*
 * A dax device of a CXL ram region: the dax object, plus the range kmem
 * hot-plugged of it as a fact ("kmem_range", null when not bound or not
 * read): no namespace object holds it here.
 */
struct json_object *pp_snapshot_cxl_dax(const struct pp_dax *d)
{
	struct json_object *o = pp_snapshot_dax(d), *k = NULL;
	int rc;

	if (!o)
		return NULL;
	if (d->kmem_start != PP_UNKNOWN && d->kmem_end != PP_UNKNOWN) {
		k = json_object_new_object();
		if (!k || pp_json_put_u64(k, "start", d->kmem_start) ||
		    pp_json_put_u64(k, "end", d->kmem_end)) {
			json_object_put(k);
			json_object_put(o);
			return NULL;
		}
	}
	rc = pp_json_put(o, "kmem_range", k, !k);
	return pp_json_built(o, rc);
}

static struct json_object *cxl_targets(const struct pp_cxl_region *c)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;
	int rc = 0;

	if (!a)
		return NULL;
	for (i = 0; !rc && i < c->nr_targets; i++)
		rc = pp_json_array_put(a, json_object_new_string(c->targets[i]));
	return pp_json_built(a, rc);
}

struct json_object *pp_snapshot_cxl_region(const struct pp_cxl_region *c,
					   bool with_dax)
{
	struct json_object *o = json_object_new_object(), *a;
	bool mode = c->mode != PP_CXL_UNKNOWN;
	unsigned int i;
	int rc;

	if (!o)
		return NULL;
	rc = pp_json_put_str(o, "dev", c->dev) ?:
	     pp_json_put_str(o, "mode", mode ? pp_cxl_mode_name(c->mode) :
			     NULL) ?:
	     pp_json_put_u64(o, "resource", c->start) ?:
	     pp_json_put_u64(o, "size", c->size) ?:
	     pp_json_put_int(o, "interleave_ways", (int)c->ways) ?:
	     pp_json_put_u64(o, "interleave_granularity", c->granularity) ?:
	     pp_json_put_bool(o, "committed", c->committed) ?:
	     pp_json_put_bool(o, "enabled", c->enabled) ?:
	     pp_json_put_str(o, "root_decoder", c->decoder) ?:
	     pp_json_put_u64(o, "window_start", c->window_start) ?:
	     pp_json_put_u64(o, "window_size", c->window_size) ?:
	     pp_json_put(o, "targets", cxl_targets(c), false) ?:
	     pp_json_put_int(o, "target_node", c->target_node) ?:
	     pp_json_put_str(o, "nd_region", c->nd_region) ?:
	     pp_json_put_str(o, "dax_region", c->dax_region) ?:
	     pp_json_put_u64(o, "dax_available_size", c->dax_available);
	if (rc || !with_dax)
		return pp_json_built(o, rc);
	a = json_object_new_array();
	for (i = 0; a && !rc && i < c->nr_dax; i++)
		rc = pp_json_array_put(a, pp_snapshot_cxl_dax(&c->dax[i]));
	if (a)
		a = pp_json_built(a, rc);
	return pp_json_built(o, pp_json_put(o, "dax_devices", a, false));
}

struct json_object *pp_snapshot_cxl_free(const struct pp_cxl_free *f)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	return pp_json_built(o,
		pp_json_put_str(o, "memdev", f->memdev) ?:
		pp_json_put_str(o, "endpoint_decoder", f->endpoint) ?:
		pp_json_put_u64(o, "ram_size", f->ram_size) ?:
		pp_json_put_u64(o, "ram_free", f->ram_free) ?:
		pp_json_put_str(o, "root_decoder", f->decoder) ?:
		pp_json_put_u64(o, "window_start", f->window_start) ?:
		pp_json_put_u64(o, "window_size", f->window_size));
}
