// SPDX-License-Identifier: GPL-2.0
/*
 * The layouts the kernel and ndctl take: the rules a devdax or fsdax
 * namespace must satisfy, each named after the code that enforces it.
 * Pure functions: no I/O, no allocation.
 *
 * The kernel refuses most bad layouts with an error, but one it does not
 * check at all and oopses on: device_dax's compound pages.  dev_dax_probe()
 * (drivers/dax/device.c, v5.17+ "device-dax: compound devmap support")
 * sets pgmap->vmemmap_shift = order_base_2(align / PAGE_SIZE) whenever the
 * dax align is larger than a page, and memmap_init_zone_device()
 * (mm/mm_init.c) walks the pgmap range in steps of that many pages from
 * its first pfn, memmap_init_compound() initialising a whole compound page
 * each time.  For a pmem device that range is __nvdimm_setup_pfn()'s
 * (drivers/nvdimm/pfn_devs.c): the namespace from its start (map=mem) or
 * from the end of the altmap, start + dataoff (map=dev: base_pfn +
 * vmem_altmap_offset()), to start + size - end_trunc.  Unless both ends
 * are multiples of align the last compound page runs past the memmap
 * arch_add_memory() populated and __init_zone_device_page() faults: seen
 * on Debian's 6.12 arm64 16K kernel with a map=mem namespace at a 16 MiB
 * but not 32 MiB aligned start, align 32 MiB.  nd_pfn_init() keeps
 * start + dataoff and the end multiples of max(align, compat), so a fresh
 * map=dev layout is always safe and a map=mem one needs start % align == 0.
 *
 * The rest are the checks that refuse: align_store() (the align must be in
 * supported_alignments), nd_namespace_store() (16 MiB at least),
 * nd_pfn_init() (a compat-aligned start, data left after alignment), and
 * for an info block already on the media nd_pfn_validate() ("bad offset").
 * And what "ndctl create-namespace" refuses (ndctl v81 ndctl/namespace.c
 * validate_namespace_options()): a size that is not a multiple of the
 * region align ("align setting is ... is misaligned") or of align x ways
 * ("'--size=' must align to interleave-width"), which pmemplan, writing
 * sysfs itself, would otherwise get past.  ndctl's check_dax_align() (a
 * 16 MiB aligned start) is not a rule here: --force overrides it, the
 * kernel takes such starts (kernel-model.md §13, measured) and
 * --region-align=2M plans rely on them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "model/model.h"
#include "util/units.h"

static const char *const rule_names[] = {
	[PP_RULE_ALIGN_UNSUPPORTED] = "align-unsupported",
	[PP_RULE_TOO_SMALL] = "too-small",
	[PP_RULE_START_MISALIGNED] = "start-misaligned",
	[PP_RULE_NO_DATA] = "no-data",
	[PP_RULE_BAD_OFFSET] = "bad-offset",
	[PP_RULE_COMPOUND_PAGE] = "compound-page",
	[PP_RULE_NDCTL_REGION_ALIGN] = "ndctl-region-align",
	[PP_RULE_NDCTL_SIZE_ALIGN] = "ndctl-size-align",
};

const char *pp_rule_name(enum pp_rule r)
{
	if ((unsigned int)r < sizeof(rule_names) / sizeof(rule_names[0]) &&
	    rule_names[r])
		return rule_names[r];
	return "unknown";
}

bool pp_rule_is_ndctl(enum pp_rule r)
{
	return r == PP_RULE_NDCTL_REGION_ALIGN || r == PP_RULE_NDCTL_SIZE_ALIGN;
}

struct found {
	struct pp_violation *v;
	unsigned int max, nr;
};

static void add(struct found *f, enum pp_rule rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct found *f, enum pp_rule rule, const char *fmt, ...)
{
	va_list ap;

	if (f->nr < f->max) {
		f->v[f->nr].rule = rule;
		va_start(ap, fmt);
		vsnprintf(f->v[f->nr].why, sizeof(f->v[f->nr].why), fmt, ap);
		va_end(ap);
	}
	f->nr++;
}

/*
 * The compound-page rule for the pgmap range [lo, hi) of a devdax
 * namespace at dax align a (see the top of this file).  Compound devmaps
 * exist since v5.17; the rule is held on every kernel all the same, since
 * a layout made on an older one oopses once the machine boots a newer.
 */
static void compound(const struct pp_platform *p, struct found *f,
		     uint64_t lo, uint64_t hi, uint64_t a, const char *what)
{
	char b1[PP_HUMAN_LEN];

	if (a <= p->page_size.value || !pp_is_pow2(a))
		return;
	if (pp_is_aligned(lo, a) && pp_is_aligned(hi, a))
		return;
	add(f, PP_RULE_COMPOUND_PAGE,
	    "device_dax maps %#llx-%#llx (%s) in compound pages of its align %s, so both ends must be multiples of it: the kernel oopses in memmap_init_compound() when device_dax binds",
	    (unsigned long long)lo, (unsigned long long)hi - 1, what,
	    pp_exact_size(a, b1, sizeof(b1)));
}

unsigned int pp_shape_check(const struct pp_platform *p,
			    const struct pp_shape *s, struct pp_violation *v,
			    unsigned int max)
{
	struct found f = { .v = v, .max = max };
	uint64_t ps = p->page_size.value, compat = p->compat_align.value;
	uint64_t a = s->align ? s->align : pp_default_dax_align(p);
	uint64_t ways = s->ways ? s->ways : 1, ndctl_align;
	struct pp_pfn_layout l;
	char b1[PP_HUMAN_LEN], b2[PP_HUMAN_LEN];
	bool fresh;
	int rc;

	/* ndctl: the size of every namespace, raw ones included */
	if (s->region_align && s->region_align != PP_UNKNOWN &&
	    s->size % s->region_align)
		add(&f, PP_RULE_NDCTL_REGION_ALIGN,
		    "ndctl create-namespace refuses its size %s: not a multiple of the region align %s",
		    pp_exact_size(s->size, b1, sizeof(b1)),
		    pp_exact_size(s->region_align, b2, sizeof(b2)));
	ndctl_align = s->mode == PP_MODE_DEVDAX || s->mode == PP_MODE_FSDAX ?
		      a : ps;
	if (s->size % (ndctl_align * ways))
		add(&f, PP_RULE_NDCTL_SIZE_ALIGN,
		    "ndctl create-namespace refuses its size %s: not a multiple of align %s x %llu interleave ways",
		    pp_exact_size(s->size, b1, sizeof(b1)),
		    pp_exact_size(ndctl_align, b2, sizeof(b2)),
		    (unsigned long long)ways);
	if (s->mode != PP_MODE_DEVDAX && s->mode != PP_MODE_FSDAX)
		return f.nr;

	/* align_store(): one entry of nd_pfn_supported_alignments(); on
	 * the media nd_pfn_validate() checks it for DAX_SIG only */
	fresh = s->dataoff == PP_UNKNOWN || !s->dataoff;
	if ((fresh || s->mode == PP_MODE_DEVDAX) && !pp_align_supported(p, a))
		add(&f, PP_RULE_ALIGN_UNSUPPORTED,
		    "align %s is not one of this kernel's supported_alignments",
		    pp_exact_size(a, b1, sizeof(b1)));
	/* nd_namespace_store(): too small to host a pfn/dax claim */
	if (s->size < PP_MIN_DAX_NAMESPACE)
		add(&f, PP_RULE_TOO_SMALL,
		    "%s is below the 16 MiB a devdax or fsdax namespace needs (nd_namespace_store())",
		    pp_exact_size(s->size, b1, sizeof(b1)));

	if (!fresh) {
		/* an info block on the media: nd_pfn_validate() */
		uint64_t end = s->data_end != PP_UNKNOWN ? s->data_end :
			       s->start + s->size;

		if (!pp_is_aligned(s->dataoff, ps) ||
		    !pp_is_aligned(s->start + s->dataoff, a))
			add(&f, PP_RULE_BAD_OFFSET,
			    "its data offset %#llx does not put the data on a multiple of align %s (nd_pfn_validate(): bad offset)",
			    (unsigned long long)s->dataoff,
			    pp_exact_size(a, b1, sizeof(b1)));
		if (s->mode == PP_MODE_DEVDAX)
			compound(p, &f, s->map == PP_MAP_DEV ?
				 s->start + s->dataoff : s->start, end, a,
				 s->map == PP_MAP_DEV ? "its data" :
				 "the namespace from its start");
		return f.nr;
	}

	/* a fresh info block: nd_pfn_init() */
	rc = pp_pfn_layout(p, s->start, s->size, s->map, a, &l);
	if (rc == -EINVAL && !pp_is_aligned(s->start, compat)) {
		add(&f, PP_RULE_START_MISALIGNED,
		    "its start %#llx is not a multiple of %s, memremap_compat_align() (nd_pfn_init(): start misaligned)",
		    (unsigned long long)s->start,
		    pp_exact_size(compat, b1, sizeof(b1)));
		return f.nr;
	}
	if (rc) {
		add(&f, PP_RULE_NO_DATA,
		    "no data is left after the info block at align %s (nd_pfn_init(): unable to satisfy requested alignment)",
		    pp_exact_size(l.align, b1, sizeof(b1)));
		return f.nr;
	}
	if (s->mode == PP_MODE_DEVDAX)
		compound(p, &f, s->map == PP_MAP_DEV ?
			 s->start + l.dataoff : s->start,
			 s->start + s->size - l.end_trunc, a,
			 s->map == PP_MAP_DEV ? "its data" :
			 "map=mem: the namespace from its start");
	return f.nr;
}

bool pp_shape_ok(const struct pp_platform *p, const struct pp_shape *s)
{
	return !pp_shape_check(p, s, NULL, 0);
}
