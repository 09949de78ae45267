// SPDX-License-Identifier: GPL-2.0
/*
 * CXL ram regions: the layout that loses the least, beside what the
 * kernel does by itself and the bound.
 *
 * dax_cxl makes one dax device over the whole region (drivers/dax/cxl.c
 * cxl_dax_region_probe()) and kmem hot-plugs its block-aligned middle
 * (dax_kmem_range()): the head before the first block boundary and the
 * tail after the last are lost to everyone.  A dax region of a CXL ram
 * region can be divided (drivers/dax/bus.c: the region's "create", a
 * device's "size" and "mapping", as daxctl create-device does): the head
 * and the tail as devdax devices an application can still map, the middle
 * as kmem.  Devices are sized in the dax region's align (PMD_SIZE for
 * dax_cxl) and placed first fit from the region's start
 * (alloc_dev_dax_range()), so creating them in address order puts each
 * where the plan says.  CXL regions and windows align to 256 MiB x ways;
 * a window that does not start on a memory block boundary costs a head
 * gap no layout can avoid: said as advice.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "planner/planner_ctx.h"

/* dax_cxl's dax region align: PMD_SIZE (drivers/dax/cxl.c); c may be NULL */
static uint64_t cxl_dax_align(const struct pp_platform *p,
			      const struct pp_cxl_region *c)
{
	if (c && c->nr_dax && c->dax[0].align != PP_UNKNOWN)
		return c->dax[0].align;
	return p->hpage_pmd_size.value ? p->hpage_pmd_size.value : SZ_2M;
}

/*
 * Where the blocks of a hot-plugged range go by themselves: kmem's
 * add_memory_driver_managed() onlines them as auto_online_blocks says
 * (drivers/base/memory.c mhp_get_default_online_type()); "online" is the
 * zone the kernel picks, ZONE_NORMAL for a range no movable zone covers
 * (measured on 6.12: issue 13).
 */
static const char *default_zone(const struct pp_platform *p)
{
	const char *s = p->auto_online_blocks;

	if (!s[0])
		return "unknown";
	if (!strcmp(s, "offline"))
		return "offline";
	if (!strcmp(s, "online_movable"))
		return "movable";
	return "normal";
}

static void add_dev(struct pp_cxl_plan *cp, uint64_t start, uint64_t size,
		    bool kmem)
{
	struct pp_cxl_dev *d = &cp->dev[cp->nr_dev++];

	d->start = start;
	d->size = size;
	d->kmem = kmem;
}

static void advise(struct pp_cxl_plan *cp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void advise(struct pp_cxl_plan *cp, const char *fmt, ...)
{
	va_list ap;

	if (cp->nr_advice >= PP_MAX_ADVICE)
		return;
	va_start(ap, fmt);
	vsnprintf(cp->advice[cp->nr_advice++], sizeof(cp->advice[0]), fmt,
		  ap);
	va_end(ap);
}

/*
 * The dax device of the region at [start, start + size), or NULL.  Devices
 * without a size (seeds: drivers/dax/bus.c create_store()) hold nothing.
 */
const struct pp_dax *pp_cxl_dax_at(const struct pp_cxl_region *c,
				   uint64_t start, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < c->nr_dax; i++)
		if (c->dax[i].size == size && c->dax[i].start == start)
			return &c->dax[i];
	return NULL;
}

bool pp_cxl_layout_matches(const struct pp_cxl_region *c,
			   const struct pp_cxl_plan *cp)
{
	const char *zone = cp->zone == PP_ZONE_NORMAL ? "Normal" : "Movable";
	unsigned int i, sized = 0;

	if (cp->unknown || !cp->nr_dev)
		return false;
	for (i = 0; i < c->nr_dax; i++)
		sized += c->dax[i].size > 0;
	if (sized != cp->nr_dev)
		return false;
	for (i = 0; i < cp->nr_dev; i++) {
		const struct pp_cxl_dev *d = &cp->dev[i];
		const struct pp_dax *x = pp_cxl_dax_at(c, d->start, d->size);

		if (!x)
			return false;
		if (!d->kmem) {
			if (x->mode != PP_DAX_DEVDAX)
				return false;
			continue;
		}
		if (x->mode != PP_DAX_SYSTEM_RAM ||
		    x->total_blocks != cp->blocks ||
		    x->online_blocks != cp->blocks || strcmp(x->zone, zone) ||
		    (x->kmem_end != PP_UNKNOWN &&
		     (x->kmem_start != d->start ||
		      x->kmem_end != d->start + d->size)) ||
		    (cp->mom_supported && x->memmap_on_memory >= 0 &&
		     !x->memmap_on_memory != !cp->mom))
			return false;
	}
	return true;
}

/*
 * Unless the devices are the planned ones, apply takes every device
 * down; a devdax device among them may be mapped by an application
 * (what it holds goes): busy.
 */
static void compare_layout(const struct pp_cxl_region *c,
			   struct pp_cxl_plan *cp)
{
	unsigned int i;

	cp->as_planned = pp_cxl_layout_matches(c, cp);
	for (i = 0; !cp->as_planned && i < c->nr_dax; i++)
		if (c->dax[i].size && c->dax[i].mode == PP_DAX_DEVDAX) {
			snprintf(cp->busy, sizeof(cp->busy), "%s",
				 c->dax[i].dev);
			break;
		}
}

/*
 * The layout of a ram region at [s, s + size), existing or not: the
 * kernel's default, the plan and the bound.  a: the dax region's align;
 * dev_mom: whether dax_cxl's device asks for memmap_on_memory (it does
 * unless a device of the region says otherwise).
 */
static void plan_layout(const struct pp_platform *p,
			const struct pp_plan_opts *o, uint64_t s,
			uint64_t size, uint64_t a, bool dev_mom,
			struct pp_cxl_plan *cp)
{
	uint64_t ps = p->page_size.value, e, head, tail, mom_block;
	bool force = p->memmap_on_memory == PP_MOM_FORCE;
	bool supported = pp_mom_supported(p, p->memmap_on_memory) == PP_MOM_OK;
	struct pp_kmem_range k;

	cp->zone = o->zone;
	cp->default_zone = default_zone(p);
	if (s == PP_UNKNOWN || size == PP_UNKNOWN) {
		cp->unknown = true;
		return;
	}
	e = s + size;
	mom_block = pp_mom_pages(p, force) * ps;
	/* the kernel's default: dax_cxl asks for memmap_on_memory */
	cp->default_mom = supported && dev_mom;
	cp->mom = o->memmap != PP_MEMMAP_DRAM && supported;
	cp->mom_supported = supported;
	if (pp_kmem_range(p, s, e, &k)) {
		/* no whole block: the region is devdax or nothing */
		cp->default_lost = size;
		if (size >= a)
			add_dev(cp, s, pp_align_down(size, a), false);
		cp->devdax = cp->nr_dev ? cp->dev[0].size : 0;
		cp->lost = size - cp->devdax;
	} else {
		cp->bound = cp->kmem = cp->default_kmem = k.end - k.start;
		cp->blocks = k.blocks;
		head = k.start - s;
		tail = e - k.end;
		cp->default_lost = head + tail +
				   (cp->default_mom ? k.blocks * mom_block : 0);
		cp->default_ram_gain = cp->default_kmem -
				(cp->default_mom ? k.blocks * mom_block : 0);
		cp->default_dram_memmap = cp->default_mom ? 0 :
				k.blocks * pp_block_memmap_bytes(p);
		/* head and tail are multiples of 256 MiB: of the align too */
		if (head >= a)
			add_dev(cp, s, pp_align_down(head, a), false);
		add_dev(cp, k.start, k.end - k.start, true);
		if (tail >= a)
			add_dev(cp, k.end, pp_align_down(tail, a), false);
		cp->devdax = (head >= a ? pp_align_down(head, a) : 0) +
			     (tail >= a ? pp_align_down(tail, a) : 0);
		cp->mom_bytes = cp->mom ? k.blocks * mom_block : 0;
		cp->ram_gain = cp->kmem - cp->mom_bytes;
		cp->dram_memmap = cp->mom ? 0 :
				  k.blocks * pp_block_memmap_bytes(p);
		cp->lost = size - cp->kmem - cp->devdax + cp->mom_bytes;
	}
	cp->ram_net = cp->ram_gain > cp->dram_memmap ?
		      cp->ram_gain - cp->dram_memmap : 0;
}

/*
 * The advice on a region named name at [s, s + size) of window decoder
 * at window_start: a region at its window's start is as aligned as it.
 */
static void plan_advice(const struct pp_platform *p, struct pp_cxl_plan *cp,
			const char *name, const char *decoder,
			uint64_t window_start, uint64_t s, uint64_t size)
{
	uint64_t b = p->block_size.value, aligned = pp_align_down(size, b);

	if (aligned > cp->bound)
		advise(cp, "a CXL window starting on a %llu MiB memory block boundary would hot-plug %llu MiB of %s instead of %llu MiB (window %s at %#llx, region at %#llx): ask for CFMWS windows aligned to the block size",
		       (unsigned long long)(b >> 20),
		       (unsigned long long)(aligned >> 20), name,
		       (unsigned long long)(cp->bound >> 20),
		       decoder[0] ? decoder : "?",
		       (unsigned long long)window_start,
		       (unsigned long long)s);
	else if (size % b && size > b)
		advise(cp, "%s is not a whole number of %llu MiB blocks: %llu MiB of it can never be kmem",
		       name, (unsigned long long)(b >> 20),
		       (unsigned long long)((size % b) >> 20));
	if (!strcmp(cp->default_zone, "offline"))
		advise(cp, "auto_online_blocks is offline: by itself the kernel hot-plugs %s's blocks offline, MemTotal does not grow until they are onlined",
		       name);
	else if (!strcmp(cp->default_zone, "normal") &&
		 cp->zone == PP_ZONE_MOVABLE)
		advise(cp, "auto_online_blocks=%s onlines %s at once into ZONE_NORMAL (not removable); the plan onlines its kmem movable, with the policy set to offline while it binds, as apply does for pmem",
		       p->auto_online_blocks, name);
}

/*
 * apply divides a region by offlining its kmem device first; blocks in
 * ZONE_NORMAL (where auto_online_blocks=online puts them) go offline only
 * while the kernel keeps nothing there it cannot migrate
 * (offline_pages() fails with -EBUSY), and a running system soon does:
 * measured on the Debian image (tests/vm/test-debian-cxl.sh).
 */
static void advise_normal(const struct pp_cxl_region *c,
			  struct pp_cxl_plan *cp)
{
	unsigned int i;

	for (i = 0; i < c->nr_dax; i++)
		if (c->dax[i].mode == PP_DAX_SYSTEM_RAM &&
		    c->dax[i].online_blocks && c->dax[i].online_blocks !=
		    PP_UNKNOWN && !strcmp(c->dax[i].zone, "Normal")) {
			advise(cp, "%s is online in ZONE_NORMAL: apply must offline it first, which fails once the kernel holds pages there it cannot move; boot with memhp_default_state=online_movable so that CXL memory comes up movable",
			       c->dax[i].dev);
			return;
		}
}

static void plan_region(const struct pp_platform *p,
			const struct pp_plan_opts *o,
			const struct pp_cxl_region *c, struct pp_cxl_plan *cp)
{
	cp->c = c;
	plan_layout(p, o, c->start, c->size, cxl_dax_align(p, c),
		    !c->nr_dax || c->dax[0].memmap_on_memory != 0, cp);
	if (cp->unknown)
		return;
	compare_layout(c, cp);
	plan_advice(p, cp, c->dev, c->decoder, c->window_start, c->start,
		    c->size);
	if (!cp->as_planned)
		advise_normal(c, cp);
}

/*
 * Where a new region goes: drivers/cxl/core/region.c alloc_hpa(), on the
 * write of the region's size, asks alloc_free_mem_region() for size
 * bytes aligned to SZ_256M * interleave_ways inside the root decoder's
 * resource; kernel/resource.c get_free_mem_region() without
 * GFR_DESCENDING walks up from the window's start, aligned, to the first
 * range disjoint from the window's children (its regions).  The size must
 * be a multiple of 256 MiB * ways (alloc_hpa()) and of the DPA the
 * endpoint decoder can take in 256 MiB steps (drivers/cxl/core/port.c
 * dpa_size_store()).  1-way only: the region of one memdev.
 */
#define WINDOW_REGIONS 64	/* more in one window: not placed */

int pp_cxl_free_place(const struct pp_topology *t,
		      const struct pp_cxl_free *f, uint64_t *start,
		      uint64_t *size)
{
	uint64_t align = SZ_256M, ws = f->window_start, we, want, best = 0;
	uint64_t lo[WINDOW_REGIONS + 1], hi[WINDOW_REGIONS + 1], gs, ge, x;
	unsigned int i, j, n = 0;

	if (ws == PP_UNKNOWN || f->window_size == PP_UNKNOWN ||
	    f->ram_free == PP_UNKNOWN)
		return -ENXIO;
	we = ws + f->window_size;
	/* the window's regions, sorted by address */
	for (i = 0; i < t->nr_cxl; i++) {
		const struct pp_cxl_region *c = &t->cxl[i];

		if (strcmp(c->decoder, f->decoder))
			continue;
		if (c->start == PP_UNKNOWN || c->size == PP_UNKNOWN)
			return -ENXIO;
		if (n >= WINDOW_REGIONS)
			return -ENXIO;
		for (j = n; j && lo[j - 1] > c->start; j--) {
			lo[j] = lo[j - 1];
			hi[j] = hi[j - 1];
		}
		lo[j] = c->start;
		hi[j] = c->start + c->size;
		n++;
	}
	lo[n] = hi[n] = we;	/* the window's end closes the last gap */
	want = pp_align_down(f->ram_free, align);
	/* the largest 256 MiB-aligned free range: the size that fits */
	for (i = 0, gs = ws; i <= n; gs = hi[i] > gs ? hi[i] : gs, i++) {
		ge = lo[i];
		x = pp_align_up(gs, align);
		if (ge > x && pp_align_down(ge - x, align) > best)
			best = pp_align_down(ge - x, align);
	}
	*size = want < best ? want : best;
	if (!*size)
		return -ENOSPC;
	/* the lowest aligned place it fits, as get_free_mem_region() finds */
	for (i = 0, gs = ws; i <= n; gs = hi[i] > gs ? hi[i] : gs, i++) {
		x = pp_align_up(gs, align);
		if (lo[i] > x && lo[i] - x >= *size) {
			*start = x;
			return 0;
		}
	}
	return -ENOSPC;
}

/*
 * The ram region f's free capacity would make, planned as an existing
 * one would be (dax_cxl makes one device over it, asking for
 * memmap_on_memory, drivers/dax/cxl.c), named "memN's region".
 */
static void plan_free(const struct pp_topology *t,
		      const struct pp_plan_opts *o,
		      const struct pp_cxl_free *f, struct pp_cxl_free_plan *fp)
{
	const struct pp_platform *p = &t->plat;
	char name[PP_NAME_MAX + 16];

	fp->f = f;
	fp->start = fp->size = PP_UNKNOWN;
	fp->place = pp_cxl_free_place(t, f, &fp->start, &fp->size);
	if (fp->place) {
		fp->layout.unknown = true;
		return;
	}
	plan_layout(p, o, fp->start, fp->size, cxl_dax_align(p, NULL), true,
		    &fp->layout);
	snprintf(name, sizeof(name), "%s's region", f->memdev);
	plan_advice(p, &fp->layout, name, f->decoder, f->window_start,
		    fp->start, fp->size);
}

int pl_plan_cxl(const struct pp_topology *t, const struct pp_plan_opts *o,
		struct pp_plan *plan)
{
	unsigned int i, n = 0;

	if (t->nr_cxl_free) {
		plan->cxl_free = calloc(t->nr_cxl_free,
					sizeof(*plan->cxl_free));
		if (!plan->cxl_free)
			return -ENOMEM;
	}
	for (i = 0; i < t->nr_cxl_free; i++)
		plan_free(t, o, &t->cxl_free[i],
			  &plan->cxl_free[plan->nr_cxl_free++]);
	for (i = 0; i < t->nr_cxl; i++)
		n += t->cxl[i].mode == PP_CXL_RAM;
	if (!n)
		return 0;
	plan->cxl = calloc(n, sizeof(*plan->cxl));
	if (!plan->cxl)
		return -ENOMEM;
	for (i = 0; i < t->nr_cxl; i++) {
		if (t->cxl[i].mode != PP_CXL_RAM)
			continue;
		plan_region(&t->plat, o, &t->cxl[i],
			    &plan->cxl[plan->nr_cxl++]);
	}
	return 0;
}
