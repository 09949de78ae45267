// SPDX-License-Identifier: GPL-2.0
/*
 * Reader: the "platform" object, its facts and their sources.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "snapshot/reader.h"
#include "util/util.h"

/*
 * A fact's provenance.  An absent map or entry means the document did not
 * say: PP_SRC_SNAPSHOT.  A name this version does not know is taken as
 * PP_SRC_SNAPSHOT too, since a newer pmemplan may add sources and the
 * source does not change any arithmetic.
 */
static int get_source(struct rd *c, struct json_object *srcmap,
		      const char *key, enum pp_source *out)
{
	const char *s;
	int rc, v;

	*out = PP_SRC_SNAPSHOT;
	if (!srcmap)
		return 0;
	rc = rd_get_string(c, srcmap, "platform.source", key, 0, &s);
	if (rc || !s)
		return rc;
	v = pp_name_find(&pp_source_names, s);
	if (v >= 0)
		*out = (enum pp_source)v;
	return 0;
}

static int get_fact(struct rd *c, struct json_object *o,
		    struct json_object *srcmap, const char *key,
		    struct pp_fact *f)
{
	int rc = rd_get_u64(c, o, "platform", key, 0, &f->value);

	f->src = PP_SRC_NONE;
	if (rc || f->value == PP_UNKNOWN)
		return rc;
	return get_source(c, srcmap, key, &f->src);
}

static int read_alignments(struct rd *c, struct json_object *o,
			   struct pp_platform *p)
{
	char path[PATH_LEN];
	struct json_object *a;
	size_t i, n;
	int rc;

	rc = rd_get_typed(c, o, "platform", "supported_alignments",
			  json_type_array, 0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > PP_MAX_ALIGNMENTS)
		return rd_fail(c, "platform.supported_alignments: too many entries (max %d)",
			       PP_MAX_ALIGNMENTS);
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		uint64_t x;

		snprintf(path, sizeof(path),
			 "platform.supported_alignments[%zu]", i);
		if (!v)
			return rd_bad_type(c, path, "a non-negative integer",
					   v);
		rc = rd_as_u64(c, path, v, &x);
		if (!rc)
			rc = rd_check_pow2(c, path, x);
		if (rc)
			return rc;
		p->supported_align[i] = x;
	}
	p->nr_supported_align = (unsigned int)n;
	return 0;
}

/*
 * The firmware memory map: optional (documents before it, and machines
 * without /sys/firmware/memmap, have none).  Sorted by start as the probe
 * gives it, so that a hand-edited map reads like a probed one.
 */
static int read_fwmap(struct rd *c, struct json_object *o,
		      struct pp_platform *p)
{
	char path[PATH_LEN];
	struct json_object *a;
	size_t i, n;
	int rc;

	rc = rd_get_typed(c, o, "platform", "firmware_memmap", json_type_array,
			  0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > MAX_FWMAP)
		return rd_fail(c, "platform.firmware_memmap: too many entries (max %d)",
			       MAX_FWMAP);
	if (!n)
		return 0;
	p->fwmap = calloc(n, sizeof(*p->fwmap));
	if (!p->fwmap)
		return rd_nomem(c);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct pp_fw_range *f = &p->fwmap[i];

		snprintf(path, sizeof(path), "platform.firmware_memmap[%zu]",
			 i);
		if (!json_object_is_type(e, json_type_object))
			return rd_bad_type(c, path, "an object", e);
		rc = rd_get_u64(c, e, path, "start", REQ, &f->start);
		if (!rc)
			rc = rd_get_u64(c, e, path, "end", REQ, &f->end);
		if (!rc)
			rc = rd_get_buf(c, e, path, "type", 0, f->type,
					sizeof(f->type));
		if (rc)
			return rc;
		/* end is exclusive: /sys's inclusive end + 1 */
		if (f->end <= f->start)
			return rd_fail(c, "%s.end: not after start (0x%" PRIx64 " <= 0x%" PRIx64 ")",
				       path, f->end, f->start);
		p->nr_fwmap++;
	}
	pp_fwmap_sort(p);
	return 0;
}

/*
 * "kernel_version" is the version the model uses; the release alone can
 * be wrong ("6.1.0-28-amd64" is 6.1.119), and rules such as
 * MAX_STRUCT_PAGE_SIZE depend on the sublevel.  A document without it
 * (hand-written, or older) falls back to parsing the release.
 */
static int read_kernel(struct rd *c, struct json_object *o,
		       struct json_object *srcmap, struct pp_platform *p)
{
	const char *ver;
	char g[GOT_LEN];
	struct json_object *v;
	int rc;

	rc = rd_get_buf(c, o, "platform", "kernel", 0, p->kernel,
			sizeof(p->kernel));
	if (!rc)
		rc = rd_get_string(c, o, "platform", "kernel_version", 0, &ver);
	if (rc)
		return rc;
	p->kver = 0;
	p->kver_src = PP_SRC_NONE;
	if (ver && pp_parse_kver(ver, &p->kver)) {
		rd_lookup(o, "kernel_version", &v);
		return rd_fail(c, "platform.kernel_version: expected a version such as \"6.1.119\", got %s",
			       rd_got(v, g));
	}
	/* an unparsable release stays as text, version unknown */
	if (!ver && p->kernel[0] && pp_parse_kver(p->kernel, &p->kver))
		p->kver = 0;
	if (!ver && !p->kernel[0])
		return 0;
	return get_source(c, srcmap, "kernel", &p->kver_src);
}

#define SZ_1G_SNAP (1ULL << 30)

/* A platform size fact, when known, within [min, max]. */
static int check_between(struct rd *c, const char *key,
			 const struct pp_fact *f, uint64_t min, uint64_t max)
{
	if (f->src == PP_SRC_NONE || f->value == PP_UNKNOWN)
		return 0;
	if (f->value < min || f->value > max)
		return rd_fail(c, "platform.%s: expected %" PRIu64 " to %" PRIu64 ", got %" PRIu64,
			       key, min, max, f->value);
	return 0;
}

/* The page size of the info blocks on the media: only a what-if document
 * has it (writer.c); missing, it is the page size. */
static int read_media_page_size(struct rd *c, struct json_object *o,
				struct pp_platform *p)
{
	uint64_t v;
	int rc = rd_get_u64(c, o, "platform", "media_page_size", 0, &v);

	if (rc || v == PP_UNKNOWN)
		return rc;
	if (v < MIN_PAGE_SIZE || v > MAX_PAGE_SIZE || (v & (v - 1)))
		return rd_fail(c, "platform.media_page_size: expected a power of two from %d to %d, got %" PRIu64,
			       MIN_PAGE_SIZE, MAX_PAGE_SIZE, v);
	p->media_page_size = v;
	return 0;
}

int rd_read_platform(struct rd *c, struct json_object *o,
		     struct pp_platform *p)
{
#define FACT(key, field, pow2) \
	{ key, offsetof(struct pp_platform, field), pow2 }
	static const struct {
		const char *key;
		size_t off;
		bool pow2;	/* must be a power of two when known */
	} facts[] = {
		FACT("page_size", page_size, true),
		FACT("section_size", section_size, true),
		FACT("block_size", block_size, true),
		FACT("pageblock_order", pageblock_order, false),
		FACT("struct_page_size", struct_page_size, false),
		FACT("compat_align", compat_align, true),
		FACT("hpage_pmd_size", hpage_pmd_size, true),
		FACT("mem_total", mem_total, false),
		FACT("mem_available", mem_available, false),
		FACT("numa_nodes", nr_nodes, false),
	};
#undef FACT
	struct json_object *srcmap;
	char path[PATH_LEN];
	uint64_t page;
	unsigned int i;
	int rc, v;

	rc = rd_get_typed(c, o, "platform", "source", json_type_object, 0,
			  &srcmap);
	if (rc)
		return rc;

	/* null is the writer's "unknown"; a missing key is an error */
	if (!json_object_object_get_ex(o, "arch", NULL))
		return rd_missing(c, "platform.arch");
	rc = rd_get_enum(c, o, "platform", "arch", 0, &pp_arch_names,
			 PP_ARCH_UNKNOWN, &v);
	if (rc)
		return rc;
	p->arch = (enum pp_arch)v;
	p->arch_src = PP_SRC_NONE;
	if (p->arch != PP_ARCH_UNKNOWN) {
		rc = get_source(c, srcmap, "arch", &p->arch_src);
		if (rc)
			return rc;
	}

	rc = read_kernel(c, o, srcmap, p);
	if (!rc)
		rc = rd_get_buf(c, o, "platform", "hostname", 0, p->hostname,
				sizeof(p->hostname));
	if (rc)
		return rc;

	for (i = 0; i < ARRAY_SIZE(facts); i++) {
		struct pp_fact *f = (struct pp_fact *)((char *)p +
						       facts[i].off);

		rc = get_fact(c, o, srcmap, facts[i].key, f);
		if (!rc && facts[i].pow2)
			rc = rd_check_pow2(c, rd_join(path, "platform",
						      facts[i].key), f->value);
		if (rc)
			return rc;
	}

	if (p->page_size.value != PP_UNKNOWN &&
	    (p->page_size.value < MIN_PAGE_SIZE ||
	     p->page_size.value > MAX_PAGE_SIZE))
		return rd_fail(c, "platform.page_size: expected a power of two from %d to %d, got %" PRIu64,
			       MIN_PAGE_SIZE, MAX_PAGE_SIZE,
			       p->page_size.value);
	/* against the page pp_platform_derive() will assume if none is given */
	page = p->page_size.value != PP_UNKNOWN ? p->page_size.value :
	       pp_default_page_size(p->arch);
	if (p->block_size.value != PP_UNKNOWN && p->block_size.value < page)
		return rd_fail(c, "platform.block_size: smaller than page_size (%" PRIu64 " < %" PRIu64 ")",
			       p->block_size.value, page);
	/*
	 * Sizes the kernel could have: memremap_compat_align() is 2 MiB or
	 * the ppc64 hash page (16 MiB); no arch has memory blocks above
	 * 2 GiB today (x86 MAX_BLOCK_SIZE), so 64 GiB leaves room.
	 */
	if ((rc = check_between(c, "compat_align", &p->compat_align,
				MIN_PAGE_SIZE, SZ_1G_SNAP)) ||
	    (rc = check_between(c, "hpage_pmd_size", &p->hpage_pmd_size,
				MIN_PAGE_SIZE, 16 * SZ_1G_SNAP)) ||
	    (rc = check_between(c, "block_size", &p->block_size,
				MIN_PAGE_SIZE, 64 * SZ_1G_SNAP)) ||
	    (rc = check_between(c, "section_size", &p->section_size,
				MIN_PAGE_SIZE, 64 * SZ_1G_SNAP)) ||
	    (rc = check_between(c, "struct_page_size", &p->struct_page_size,
				MIN_STRUCT_PAGE_SIZE, MAX_STRUCT_PAGE_SIZE)))
		return rc;
	if (p->pageblock_order.value != PP_UNKNOWN &&
	    p->pageblock_order.value > MAX_PAGEBLOCK_ORDER)
		return rd_fail(c, "platform.pageblock_order: expected at most %d, got %" PRIu64,
			       MAX_PAGEBLOCK_ORDER, p->pageblock_order.value);

	rc = read_alignments(c, o, p);
	if (rc)
		return rc;

	rc = rd_get_enum(c, o, "platform", "memmap_on_memory", 0, &pp_mom_names,
			 -1, &v);
	if (rc)
		return rc;
	p->memmap_on_memory = PP_MOM_ABSENT;
	p->memmap_on_memory_src = PP_SRC_NONE;
	if (v >= 0) {
		p->memmap_on_memory = (enum pp_mom_param)v;
		rc = get_source(c, srcmap, "memmap_on_memory",
				&p->memmap_on_memory_src);
		if (rc)
			return rc;
	}

	rc = rd_get_buf(c, o, "platform", "auto_online_blocks", 0,
			p->auto_online_blocks, sizeof(p->auto_online_blocks));
	if (rc)
		return rc;
	/* only a what-if document has it (writer.c) */
	rc = read_media_page_size(c, o, p);
	if (rc)
		return rc;
	/* older documents have no source for it: the snapshot's */
	if (p->auto_online_blocks[0]) {
		rc = get_source(c, srcmap, "auto_online_blocks",
				&p->auto_online_src);
		if (rc)
			return rc;
	}
	rc = rd_get_bool(c, o, "platform", "root", &p->is_root);
	if (rc)
		return rc;
	return read_fwmap(c, o, p);
}

void rd_init_platform(struct pp_platform *p)
{
	struct pp_fact *facts[] = {
		&p->page_size, &p->section_size, &p->block_size,
		&p->pageblock_order, &p->struct_page_size, &p->compat_align,
		&p->hpage_pmd_size, &p->mem_total, &p->mem_available,
		&p->nr_nodes,
	};
	unsigned int i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < ARRAY_SIZE(facts); i++)
		facts[i]->value = PP_UNKNOWN;
}
