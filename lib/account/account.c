// SPDX-License-Identifier: GPL-2.0
/*
 * Accounting for "show": measured where the kernel has the memory as
 * System RAM, predicted by the model otherwise, and the two compared.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "account/account.h"

/*
 * Free space of a labelled region: the region minus its namespaces, each
 * hole trimmed to the region alignment the way space_valid() trims free
 * DPA (drivers/nvdimm/namespace_devs.c).  Holes smaller than a dax-capable
 * namespace (16 MiB, claim.c) are not reported: they are stranded.
 */
int pp_region_free_extents(const struct pp_region *r, struct pp_extent **out,
			   unsigned int *nr)
{
	uint64_t align = r->align != PP_UNKNOWN ? r->align :
			 PP_DEFAULT_REGION_ALIGN;
	int rc;

	*out = NULL;
	*nr = 0;
	if (!r->labelled || r->start == PP_UNKNOWN)
		return 0;
	rc = pp_free_extents(r, NULL, align, PP_MIN_DAX_NAMESPACE, out, nr);
	return rc == -EINVAL ? 0 : rc;	/* a start unknown: none known */
}

static bool mom_effective(const struct pp_platform *p, const struct pp_dax *d)
{
	/* add_memory_resource() silently ignores the flag when unsupported */
	return d && d->memmap_on_memory == 1 &&
	       pp_mom_supported(p, p->memmap_on_memory) == PP_MOM_OK;
}

/* Split the data offset the way nd_pfn_init() built it. */
static void split_dataoff(const struct pp_platform *p, struct pp_ns_report *nr,
			  uint64_t dataoff)
{
	uint64_t s = nr->ns->start;
	uint64_t a = nr->pred.pfn.align;
	uint64_t info = pp_align_up(s + SZ_8K, a) - s;

	nr->loss.info_block = dataoff < info ? dataoff : info;
	nr->loss.memmap = dataoff - nr->loss.info_block;
	(void)p;
}

static void compare(struct pp_ns_report *nr, const char *what,
		    uint64_t measured, uint64_t predicted)
{
	size_t len = strlen(nr->model_error_what);

	if (measured == predicted)
		return;
	nr->model_error = true;
	snprintf(nr->model_error_what + len,
		 sizeof(nr->model_error_what) - len,
		 "%s%s measured %#llx, predicted %#llx", len ? "; " : "",
		 what, (unsigned long long)measured,
		 (unsigned long long)predicted);
}

/* a - b, or 0 where a fact contradicts the model: never ~2^64 bytes */
static uint64_t gap(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/*
 * A what-if changed a fact nd_pfn_init() computes the data offset from:
 * the measured one was written by another kernel, so it is a fact of the
 * media, not a prediction to check.
 */
static bool layout_overridden(const struct pp_platform *p)
{
	return p->media_page_size || p->arch_src == PP_SRC_OVERRIDE ||
	       p->kver_src == PP_SRC_OVERRIDE ||
	       p->page_size.src == PP_SRC_OVERRIDE;
}

/*
 * What the (what-if) kernel makes of the info block on the media, as
 * nd_pfn_validate() (drivers/nvdimm/pfn_devs.c) checks it: NULL when it
 * takes it with its own dataoff, else the kernel's message.  The live
 * kernel has taken it already; only a what-if can refuse it.
 */
static const char *info_block_refused(const struct pp_platform *p,
				      const struct pp_namespace *ns,
				      enum pp_map map, uint64_t dataoff)
{
	uint64_t ps = p->page_size.value;

	if (!layout_overridden(p))
		return NULL;
	/* PFN_MODE_PMEM only: pages smaller than those it was written with
	 * need more struct pages than it reserved (PFN_MODE_RAM allocates
	 * its memmap at run time) */
	if (map == PP_MAP_DEV && p->media_page_size > ps)
		return "init failed, page size mismatch: the info block was written with larger pages";
	/* DAX_SIG only: nd_supported_alignment(pfn_sb->align) */
	if (ns->mode == PP_MODE_DEVDAX && ns->align != PP_UNKNOWN &&
	    !pp_align_supported(p, ns->align))
		return "init failed, alignment mismatch: the info block's align is not supported here";
	if (!pp_is_aligned(dataoff, ps) ||
	    (ns->align != PP_UNKNOWN &&
	     !pp_is_aligned(ns->start + dataoff, ns->align)))
		return "bad offset: the info block's data offset does not suit this page size";
	return NULL;
}

/* The dax range the kernel hot-plugs from and whole blocks of it. */
static void kmem_from_dax(const struct pp_platform *p, struct pp_ns_report *nr,
			  uint64_t dax_start, uint64_t dax_end)
{
	struct pp_kmem_range k;

	if (pp_kmem_range(p, dax_start, dax_end, &k))
		k.start = k.end = 0;
	nr->kmem_start = k.start;
	nr->kmem_end = k.end;
}

/*
 * A dax device bound to kmem: what /proc/iomem says wins over the
 * prediction, which is held against it (a model error when they differ).
 * Then the bytes and whole blocks of whichever it is.
 */
static void take_measured(struct pp_ns_report *nr, const struct pp_dax *d,
			  uint64_t block)
{
	if (nr->active && d->kmem_start != PP_UNKNOWN &&
	    d->kmem_end != PP_UNKNOWN) {
		nr->source = PP_KMEM_MEASURED;
		compare(nr, "kmem start", d->kmem_start, nr->kmem_start);
		compare(nr, "kmem end", d->kmem_end, nr->kmem_end);
		nr->kmem_start = d->kmem_start;
		nr->kmem_end = d->kmem_end;
	}
	nr->bytes = nr->kmem_end - nr->kmem_start;
	nr->blocks = nr->bytes / block;
}

void pp_account_existing_ns(const struct pp_platform *p,
			    const struct pp_namespace *ns,
			    struct pp_ns_report *nr)
{
	const struct pp_dax *d = ns->dax;
	uint64_t b = p->block_size.value;
	uint64_t dataoff, dax_start, dax_end;
	bool on_media = false;

	nr->ns = ns;
	nr->map = ns->map != PP_MAP_NONE ? ns->map : PP_MAP_DEV;
	nr->align = ns->align != PP_UNKNOWN ? ns->align :
		    pp_default_dax_align(p);
	nr->assumed = ns->map == PP_MAP_NONE || ns->align == PP_UNKNOWN;
	nr->active = ns->mode == PP_MODE_DEVDAX && d &&
		     d->mode == PP_DAX_SYSTEM_RAM;
	nr->mom = mom_effective(p, d);
	if (ns->start == PP_UNKNOWN)
		return;		/* source stays unknown: needs root */

	pp_account_namespace(p, ns->start, ns->size, nr->map, nr->align,
			     nr->mom, &nr->pred);
	nr->source = PP_KMEM_PREDICTED;
	dataoff = nr->pred.pfn.dataoff;
	dax_start = nr->pred.dax_start;
	dax_end = nr->pred.dax_end;

	/* only an info block has a data offset: fresh io namespaces report
	 * "memory" mode with none.  The kernel reads it, never rewrites it
	 * (nd_pfn_validate()): it stays under any what-if. */
	if (ns->dataoff != PP_UNKNOWN && ns->dataoff &&
	    (ns->mode == PP_MODE_DEVDAX || ns->mode == PP_MODE_FSDAX)) {
		on_media = true;
		if (!layout_overridden(p))
			compare(nr, "data offset", ns->dataoff,
				nr->pred.pfn.dataoff);
		dataoff = ns->dataoff;
		dax_start = ns->start + dataoff;
		nr->refused = info_block_refused(p, ns, nr->map, dataoff);
	}
	/* the model found no layout, yet a kernel took the info block on
	 * the media: its data runs to the namespace's end, as far as a
	 * snapshot tells (the info block's end_trunc is not in it) */
	if (on_media && nr->pred.pfn_err && dax_end < dax_start)
		dax_end = ns->start + ns->size;
	if (nr->refused || (nr->pred.pfn_err && !nr->active && !on_media)) {
		/* nd_pfn_init() or nd_pfn_validate() would refuse: nothing
		 * can be hot-plugged */
		nr->loss.refused = nr->loss.total = ns->size;
		return;
	}
	if (d && d->start != PP_UNKNOWN && d->size != PP_UNKNOWN &&
	    ns->mode == PP_MODE_DEVDAX) {
		dax_start = d->start;
		dax_end = d->start + d->size;
	}
	/* dax_kmem_range() of the dax device there is, not of the one the
	 * model would have made */
	kmem_from_dax(p, nr, dax_start, dax_end);
	take_measured(nr, d, b);

	split_dataoff(p, nr, dataoff);
	nr->loss.end_trunc = gap(ns->start + ns->size, dax_end);
	if (nr->bytes) {
		nr->loss.head_gap = gap(nr->kmem_start, dax_start);
		nr->loss.tail_gap = gap(dax_end, nr->kmem_end);
	} else {
		nr->loss.head_gap = dax_end > dax_start ?
				    dax_end - dax_start : 0;
	}
	nr->loss.total = ns->size - nr->bytes;
	nr->ram_gain = nr->bytes - (nr->mom ? nr->blocks *
			pp_mom_pages(p, p->memmap_on_memory == PP_MOM_FORCE) *
			p->page_size.value : 0);
	nr->dram_memmap = nr->mom ? 0 : nr->blocks * pp_block_memmap_bytes(p);
	/* the memory the user gets (planner.h): a block's DRAM memmap is
	 * always smaller than the block */
	nr->net_gain = nr->ram_gain > nr->dram_memmap ?
		       nr->ram_gain - nr->dram_memmap : 0;
}

/*
 * The rules an existing devdax or fsdax namespace breaks, as the kernel
 * will take it at its next enable or boot: from the info block on the
 * media where there is one (its data offset, the dax device's end), else
 * from the one nd_pfn_init() would write.  The region align it was made
 * under may differ from today's (--region-align comes back 16 MiB after a
 * reboot), so only ndctl's align x ways rule applies to sizes.
 */
void pp_account_ns_rules(const struct pp_platform *p,
			 const struct pp_region *r,
			 const struct pp_namespace *ns, struct pp_ns_report *nr)
{
	const struct pp_dax *d = ns->dax;
	struct pp_shape s = {
		.start = ns->start, .size = ns->size, .mode = ns->mode,
		.map = nr->map, .align = nr->align, .ways = r->ways,
		.dataoff = PP_UNKNOWN, .data_end = PP_UNKNOWN,
	};
	uint64_t a;
	unsigned int n;

	/* a block the kernel refuses is never mapped (nr->refused) */
	if ((ns->mode != PP_MODE_DEVDAX && ns->mode != PP_MODE_FSDAX) ||
	    ns->start == PP_UNKNOWN || ns->size == PP_UNKNOWN || nr->refused)
		return;
	if (ns->dataoff != PP_UNKNOWN && ns->dataoff) {
		s.dataoff = ns->dataoff;
		a = nr->align > p->compat_align.value ? nr->align :
		    p->compat_align.value;
		s.data_end = pp_align_down(ns->start + ns->size, a);
		if (ns->mode == PP_MODE_DEVDAX && d &&
		    d->start != PP_UNKNOWN && d->size != PP_UNKNOWN)
			s.data_end = d->start + d->size;
	}
	n = pp_shape_check(p, &s, nr->viol, PP_NS_MAX_VIOLATIONS);
	nr->nr_viol = n < PP_NS_MAX_VIOLATIONS ? n : PP_NS_MAX_VIOLATIONS;
}

/*
 * What an apply cut off before it finished leaves (a power cut, a kill),
 * recognised by the name apply gives what it creates.  A namespace gets
 * its label when its size is set and its info block when it is enabled;
 * at the next boot nd_pmem_probe() finds no btt, pfn or dax info block and
 * attaches the namespace as a raw disk, so a cut between the two leaves a
 * raw namespace under that name.  A cut before kmem, like a reboot
 * without --write-config's record, leaves the devdax namespace bound to
 * device_dax.
 */
static const char *interrupted_apply(const struct pp_namespace *ns)
{
	const struct pp_dax *d = ns->dax;

	if (strncmp(ns->name, PP_APPLY_NAME_PREFIX,
		    strlen(PP_APPLY_NAME_PREFIX)))
		return NULL;
	if (ns->mode == PP_MODE_RAW && !ns->claimed)
		return ns->sig_probed ?
			"raw, a label and no info block: an apply was cut off while it made this namespace; it holds no data, and \"pmemplan apply\" makes it again" :
			"raw, a label and no info block: an apply was cut off while it made this namespace; \"pmemplan apply\" makes it again";
	if (strcmp(ns->name, PP_APPLY_NAME_KMEM) || ns->mode != PP_MODE_DEVDAX ||
	    !d)
		return NULL;
	if (d->mode != PP_DAX_SYSTEM_RAM)
		return "devdax, not System RAM: an apply was cut off before kmem, or the machine booted without a record of --write-config; \"pmemplan apply\" makes it System RAM";
	if (!d->online_blocks && d->total_blocks &&
	    d->total_blocks != PP_UNKNOWN)
		return "System RAM with every block offline: an apply was cut off before it onlined them; \"pmemplan apply\" onlines them";
	return NULL;
}

static void add_loss(struct pp_loss *sum, const struct pp_loss *l)
{
	sum->info_block += l->info_block;
	sum->memmap += l->memmap;
	sum->head_gap += l->head_gap;
	sum->tail_gap += l->tail_gap;
	sum->end_trunc += l->end_trunc;
	sum->refused += l->refused;
	sum->total += l->total;
}

static int account_region(const struct pp_platform *p,
			  const struct pp_region *r,
			  struct pp_region_report *rr)
{
	unsigned int i;
	uint64_t taken;
	int rc;

	rr->r = r;
	rr->capacity = r->size;
	rr->addresses = r->start != PP_UNKNOWN;
	rr->ns = calloc(r->nr_ns ? r->nr_ns : 1, sizeof(*rr->ns));
	if (!rr->ns)
		return -ENOMEM;
	rc = pp_region_free_extents(r, &rr->free, &rr->nr_free);
	if (rc)
		return rc;
	if (rr->addresses)
		rr->bound = pp_kmem_bound(p, r->start, r->start + r->size);

	for (i = 0; i < r->nr_ns; i++) {
		struct pp_ns_report *nr = &rr->ns[i];

		pp_account_existing_ns(p, &r->ns[i], nr);
		pp_account_ns_rules(p, r, &r->ns[i], nr);
		nr->interrupted = interrupted_apply(&r->ns[i]);
		rr->addresses &= nr->source != PP_KMEM_UNKNOWN;
		if (r->ns[i].mode == PP_MODE_DEVDAX) {
			rr->kmem_ready += nr->bytes;
			add_loss(&rr->loss, &nr->loss);
		}
		if (nr->active) {
			rr->kmem += nr->bytes;
			rr->ram_gain += nr->ram_gain;
			rr->dram_memmap += nr->dram_memmap;
			rr->net_gain += nr->net_gain;
		} else if (r->ns[i].size >= PP_MIN_DAX_NAMESPACE) {
			rr->usable += r->ns[i].size;
			if (r->ns[i].mode != PP_MODE_DEVDAX)
				rr->other_modes += r->ns[i].size;
		}
	}
	for (i = 0; i < rr->nr_free; i++) {
		rr->free_bytes += rr->free[i].end - rr->free[i].start;
		rr->yield += pp_kmem_bound(p, rr->free[i].start,
					   rr->free[i].end);
	}
	if (!rr->addresses && r->available_size != PP_UNKNOWN)
		rr->free_bytes = r->available_size;
	taken = rr->kmem + rr->usable + rr->free_bytes;
	rr->stranded = taken < rr->capacity ? rr->capacity - taken : 0;
	return 0;
}

/*
 * One dax device of a CXL ram region: kmem takes dax_kmem_range() of it
 * (dev_dax_kmem_probe()), measured in /proc/iomem where bound.  Its
 * memmap goes on the device when the dax device asks for it (dax_cxl
 * sets memmap_on_memory, drivers/dax/cxl.c) and the kernel can
 * (mhp_supports_memmap_on_memory()), else into DRAM.
 */
static void account_cxl_dax(const struct pp_platform *p,
			    const struct pp_dax *d,
			    struct pp_cxl_dax_report *dr)
{
	struct pp_ns_report *nr = &dr->acc;
	uint64_t b = p->block_size.value, end;
	bool force = p->memmap_on_memory == PP_MOM_FORCE;

	dr->d = d;
	nr->map = PP_MAP_MEM;
	nr->align = d->align;
	nr->active = d->mode == PP_DAX_SYSTEM_RAM;
	nr->mom = mom_effective(p, d);
	if (d->start == PP_UNKNOWN || d->size == PP_UNKNOWN)
		return;		/* source stays unknown: needs root */
	end = d->start + d->size;
	pp_account_dax_range(p, d->start, d->size, nr->mom, &nr->pred);
	nr->source = PP_KMEM_PREDICTED;
	kmem_from_dax(p, nr, d->start, end);
	take_measured(nr, d, b);
	if (nr->bytes) {
		nr->loss.head_gap = gap(nr->kmem_start, d->start);
		nr->loss.tail_gap = gap(end, nr->kmem_end);
	} else {
		nr->loss.head_gap = d->size;
	}
	dr->mom_bytes = nr->mom ? nr->blocks * pp_mom_pages(p, force) *
				  p->page_size.value : 0;
	nr->loss.total = d->size - nr->bytes + dr->mom_bytes;
	nr->ram_gain = nr->bytes - dr->mom_bytes;
	nr->dram_memmap = nr->mom ? 0 : nr->blocks * pp_block_memmap_bytes(p);
	nr->net_gain = nr->ram_gain > nr->dram_memmap ?
		       nr->ram_gain - nr->dram_memmap : 0;
}

static int account_cxl(const struct pp_platform *p,
		       const struct pp_cxl_region *c, struct pp_cxl_report *cr)
{
	uint64_t b = p->block_size.value, used = 0;
	struct pp_kmem_range k;
	unsigned int i;

	cr->c = c;
	cr->capacity = c->size != PP_UNKNOWN ? c->size : 0;
	cr->addresses = c->start != PP_UNKNOWN && c->size != PP_UNKNOWN;
	if (c->window_start != PP_UNKNOWN && b)
		cr->window_head = pp_align_up(c->window_start, b) -
				  c->window_start;
	if (c->mode != PP_CXL_RAM)
		return 0;
	if (cr->addresses && !pp_kmem_range(p, c->start, c->start + c->size,
					    &k))
		cr->bound = k.end - k.start;
	if (!c->nr_dax) {
		/* no dax region (dax_cxl not loaded, region not bound):
		 * nothing of it can be used */
		cr->unassigned = cr->lost = cr->capacity;
		return 0;
	}
	cr->dax = calloc(c->nr_dax, sizeof(*cr->dax));
	if (!cr->dax)
		return -ENOMEM;
	for (i = 0; i < c->nr_dax; i++) {
		struct pp_cxl_dax_report *dr = &cr->dax[i];
		struct pp_ns_report *nr = &dr->acc;

		account_cxl_dax(p, &c->dax[i], dr);
		if (nr->source == PP_KMEM_UNKNOWN) {
			cr->addresses = false;
			continue;
		}
		if (nr->source == PP_KMEM_MEASURED)
			cr->source = PP_KMEM_MEASURED;
		else if (!cr->source)
			cr->source = PP_KMEM_PREDICTED;
		if (nr->active)
			cr->kmem += nr->bytes;
		cr->kmem_if_bound += nr->bytes;
		cr->head_gap += nr->loss.head_gap;
		cr->tail_gap += nr->loss.tail_gap;
		cr->mom_bytes += dr->mom_bytes;
		cr->ram_gain += nr->active ? nr->ram_gain : 0;
		cr->dram_memmap += nr->active ? nr->dram_memmap : 0;
		cr->model_error |= nr->model_error;
		used += c->dax[i].size;
	}
	/* dax_region available_size: what no device holds */
	cr->unassigned = c->dax_available != PP_UNKNOWN ? c->dax_available :
			 cr->capacity > used ? cr->capacity - used : 0;
	cr->lost = cr->head_gap + cr->tail_gap + cr->mom_bytes +
		   cr->unassigned;
	return 0;
}

static int report_cxl(const struct pp_topology *t, struct pp_report *rep)
{
	unsigned int i;
	int rc;

	if (!t->nr_cxl)
		return 0;
	rep->cxl = calloc(t->nr_cxl, sizeof(*rep->cxl));
	if (!rep->cxl)
		return -ENOMEM;
	rep->nr_cxl = t->nr_cxl;
	for (i = 0; i < t->nr_cxl; i++) {
		rc = account_cxl(&t->plat, &t->cxl[i], &rep->cxl[i]);
		if (rc)
			return rc;
		rep->model_error |= rep->cxl[i].model_error;
	}
	return 0;
}

int pp_report_build(const struct pp_topology *t, struct pp_report *rep)
{
	unsigned int i;
	int rc;

	memset(rep, 0, sizeof(*rep));
	rc = report_cxl(t, rep);
	if (rc) {
		pp_report_free(rep);
		return rc;
	}
	if (!t->nr_regions)
		return 0;
	rep->regions = calloc(t->nr_regions, sizeof(*rep->regions));
	if (!rep->regions)
		return -ENOMEM;
	rep->nr_regions = t->nr_regions;
	for (i = 0; i < t->nr_regions; i++) {
		struct pp_region_report *rr = &rep->regions[i];
		unsigned int j;

		rc = account_region(&t->plat, &t->regions[i], rr);
		if (rc) {
			pp_report_free(rep);
			return rc;
		}
		rep->capacity += rr->capacity;
		rep->kmem += rr->kmem;
		rep->kmem_ready += rr->kmem_ready;
		rep->bound += rr->bound;
		rep->stranded += rr->stranded;
		rep->dram_memmap += rr->dram_memmap;
		rep->free_bytes += rr->free_bytes;
		rep->usable += rr->usable;
		rep->yield += rr->yield;
		rep->ram_gain += rr->ram_gain;
		rep->net_gain += rr->net_gain;
		for (j = 0; j < t->regions[i].nr_ns; j++) {
			rep->model_error |= rr->ns[j].model_error;
			rep->nr_unsafe += rr->ns[j].nr_viol > 0;
		}
	}
	return 0;
}

void pp_report_free(struct pp_report *rep)
{
	unsigned int i;

	for (i = 0; i < rep->nr_regions; i++) {
		free(rep->regions[i].ns);
		free(rep->regions[i].free);
	}
	free(rep->regions);
	for (i = 0; i < rep->nr_cxl; i++)
		free(rep->cxl[i].dax);
	free(rep->cxl);
	memset(rep, 0, sizeof(*rep));
}
