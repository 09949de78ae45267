// SPDX-License-Identifier: GPL-2.0
/*
 * The planner (see plan.h for the objective).  Pure: no I/O.
 *
 * One kmem namespace per free extent: two namespaces in one extent would
 * pay two info blocks and two block-alignment gaps for the same space.
 * Inside an extent the namespace starts within one memory block of the
 * extent start (starting a block later only loses that block) and ends
 * either at the extent end or at the last block boundary, leaving the rest
 * as a usable spacer.  That leaves B / gran starts x 2 ends x 2 maps x the
 * supported alignments to score exactly with the kernel model; the tests
 * check the result against an exhaustive search.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "planner/planner.h"

const char *pp_op_name(enum pp_op_kind k)
{
	static const char *const names[] = {
		[PP_OP_INIT_LABELS] = "init-labels",
		[PP_OP_REGION_ALIGN] = "region-align",
		[PP_OP_DESTROY] = "destroy-namespace",
		[PP_OP_CREATE] = "create-namespace",
		[PP_OP_RECONFIGURE] = "reconfigure-namespace",
		[PP_OP_MEMMAP_ON_MEMORY] = "memmap-on-memory",
		[PP_OP_KMEM] = "system-ram",
	};

	return (unsigned int)k < sizeof(names) / sizeof(names[0]) ?
	       names[k] : "unknown";
}

const char *pp_role_name(enum pp_role r)
{
	static const char *const names[] = {
		[PP_ROLE_KMEM] = "kmem", [PP_ROLE_SPACER] = "spacer",
		[PP_ROLE_FILLER] = "filler", [PP_ROLE_LEFTOVER] = "leftover",
	};

	return (unsigned int)r < sizeof(names) / sizeof(names[0]) ?
	       names[r] : "unknown";
}

const char *pp_zone_name(enum pp_zone z)
{
	return z == PP_ZONE_NORMAL ? "normal" : "movable";
}

/* The better of two choices by the objective; ties keep a. */
static bool better(const struct pp_extent_choice *a,
		   const struct pp_extent_choice *b, uint64_t dflt_align)
{
	if (!a->found)
		return b->found;
	if (!b->found)
		return false;
	if (b->kmem != a->kmem)
		return b->kmem > a->kmem;
	if (b->stranded != a->stranded)
		return b->stranded < a->stranded;
	if (b->nr_ops != a->nr_ops)
		return b->nr_ops < a->nr_ops;
	if (b->map != a->map)
		return b->map == PP_MAP_MEM;
	return b->align == dflt_align && a->align != dflt_align;
}

/* Score one candidate namespace [s, e) in [f0, f1). */
static void score(const struct pp_platform *p, uint64_t f0, uint64_t f1,
		  uint64_t s, uint64_t e, enum pp_map map, uint64_t align,
		  uint64_t max_blocks, bool mom, struct pp_extent_choice *c)
{
	memset(c, 0, sizeof(*c));
	if (e <= s || e - s < PP_MIN_DAX_NAMESPACE)
		return;
	pp_account_namespace(p, s, e - s, map, align, mom, &c->acct);
	if (c->acct.pfn_err || c->acct.kmem_err ||
	    c->acct.kmem.blocks > max_blocks)
		return;
	c->found = true;
	c->start = s;
	c->size = e - s;
	c->map = map;
	c->align = align;
	c->head = s - f0;
	c->tail = f1 - e;
	c->kmem = c->acct.kmem.end - c->acct.kmem.start;
	c->stranded = (f1 - f0) - c->kmem -
		      (c->head - pp_piece_stranded(c->head)) -
		      (c->tail - pp_piece_stranded(c->tail));
	c->nr_ops = 1 + (c->head > 0) + (c->tail >= PP_MIN_DAX_NAMESPACE);
}

#define MAP_MEM_BIT 1u
#define MAP_DEV_BIT 2u

/* Score the namespaces starting at s: to f1, or cut after the cap. */
static void try_start(const struct pp_platform *p, uint64_t f0, uint64_t f1,
		      uint64_t s, uint64_t region_start, uint64_t gran,
		      uint64_t max_blocks, bool mom, unsigned int maps,
		      struct pp_extent_choice *out)
{
	uint64_t b = p->block_size.value, dflt = pp_default_dax_align(p);
	struct pp_extent_choice c, cut;
	unsigned int m, i;
	uint64_t e;

	for (m = 0; m < 2; m++) {
		enum pp_map map = m ? PP_MAP_DEV : PP_MAP_MEM;

		if (!(maps & (m ? MAP_DEV_BIT : MAP_MEM_BIT)))
			continue;
		for (i = 0; i < p->nr_supported_align; i++) {
			uint64_t a = p->supported_align[i];

			/* to the extent end ... */
			score(p, f0, f1, s, f1, map, a, UINT64_MAX, mom, &c);
			if (!c.found)
				continue;
			if (c.acct.kmem.blocks <= max_blocks &&
			    better(out, &c, dflt))
				*out = c;
			/* ... or to the last block it may use */
			e = c.acct.kmem.start + b *
			    (c.acct.kmem.blocks < max_blocks ?
			     c.acct.kmem.blocks : max_blocks);
			e = region_start + pp_align_up(e - region_start, gran);
			if (e >= f1)
				continue;
			score(p, f0, f1, s, e, map, a, max_blocks, mom, &cut);
			if (better(out, &cut, dflt))
				*out = cut;
		}
	}
}

/*
 * Starts worth scoring: within one block of the extent start (a later
 * start only loses a block); within one block of f0 + 16 MiB, where the
 * bytes before become a usable spacer; and, when a cap leaves room, within
 * one block of where the capped namespace would end exactly at f1.
 */
static void plan_extent_maps(const struct pp_platform *p,
			     uint64_t region_start, uint64_t f0, uint64_t f1,
			     uint64_t gran, uint64_t max_blocks, bool mom,
			     unsigned int maps, struct pp_extent_choice *out)
{
	uint64_t b = p->block_size.value, compat = p->compat_align.value;
	/* starts are multiples of both (powers of two): step the larger */
	uint64_t step = gran > compat ? gran : compat;
	uint64_t win[3], w, s;
	unsigned int n = 2, k;

	memset(out, 0, sizeof(*out));
	if (!max_blocks || f1 <= f0)
		return;
	win[0] = f0;
	win[1] = f0 + PP_MIN_DAX_NAMESPACE;
	if (max_blocks != UINT64_MAX && max_blocks < (f1 - f0) / b &&
	    f1 - f0 > (max_blocks + 1) * b + gran)
		win[n++] = f1 - (max_blocks + 1) * b - gran;
	for (k = 0; k < n; k++) {
		w = region_start + pp_align_down(win[k] - region_start, gran);
		if (w < f0)
			w = f0;
		while (w < f1 && !pp_is_aligned(w, compat))
			w += gran;
		for (s = w; s < f1 && s < win[k] + b + 2 * step; s += step) {
			if (!pp_is_aligned(s - region_start, gran))
				continue;
			try_start(p, f0, f1, s, region_start, gran,
				  max_blocks, mom, maps, out);
		}
	}
}

int pp_plan_extent(const struct pp_platform *p, uint64_t region_start,
		   uint64_t f0, uint64_t f1, uint64_t gran, uint64_t max_blocks,
		   bool mom, struct pp_extent_choice *out)
{
	plan_extent_maps(p, region_start, f0, f1, gran, max_blocks, mom,
			 MAP_MEM_BIT | MAP_DEV_BIT, out);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Regions                                                            */

static bool named(const char *const *list, unsigned int n, const char *dev)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], dev))
			return true;
	return false;
}

/*
 * Free raw space: what a fresh device or carve-out shows, a namespace with
 * no claim, not busy, on which libblkid found nothing.
 */
static bool is_free_raw(const struct pp_namespace *ns)
{
	return !ns->claimed && !ns->busy && ns->sig_probed &&
	       !ns->signature[0] &&
	       (ns->mode == PP_MODE_RAW || ns->mode == PP_MODE_FSDAX) &&
	       !ns->dax;
}

enum ns_fate { KEEP, REUSE, REPLACE, RECONFIGURE };

static bool asked_to_change(const struct pp_namespace *ns,
			    const struct pp_plan_opts *o)
{
	return o->force || named(o->reconfigure, o->nr_reconfigure, ns->dev) ||
	       named(o->replace, o->nr_replace, ns->dev);
}

static enum ns_fate fate(const struct pp_namespace *ns,
			 const struct pp_plan_opts *o)
{
	if (ns->busy)
		return KEEP;
	if (named(o->reconfigure, o->nr_reconfigure, ns->dev))
		return RECONFIGURE;
	if (named(o->replace, o->nr_replace, ns->dev))
		return REPLACE;
	if (is_free_raw(ns) && !o->keep)
		return REUSE;
	if (o->force)
		return REPLACE;
	return KEEP;
}

struct ctx {
	const struct pp_platform *p;
	const struct pp_plan_opts *o;
	struct pp_region_plan *rp;
	uint64_t blocks_left;		/* --size and DRAM caps, all regions */
	bool mom;
	uint64_t dram_budget;		/* 0: unknown, no limit */
	uint64_t align_saving;		/* stranded a 2M region align saves */
	unsigned int cap_ops;
};

static struct pp_op *add_op(struct ctx *c, enum pp_op_kind kind)
{
	struct pp_region_plan *rp = c->rp;
	struct pp_op *op;

	if (rp->nr_ops == c->cap_ops) {
		unsigned int cap = c->cap_ops ? 2 * c->cap_ops : 8;

		op = realloc(rp->ops, cap * sizeof(*op));
		if (!op)
			return NULL;
		rp->ops = op;
		c->cap_ops = cap;
	}
	op = &rp->ops[rp->nr_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->zone = c->o->zone;
	return op;
}

static void advise(struct pp_region_plan *rp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void advise(struct pp_region_plan *rp, const char *fmt, ...)
{
	va_list ap;

	if (rp->nr_advice == PP_MAX_ADVICE)
		return;
	va_start(ap, fmt);
	vsnprintf(rp->advice[rp->nr_advice++], sizeof(rp->advice[0]), fmt,
		  ap);
	va_end(ap);
}

static int create(struct ctx *c, enum pp_role role, uint64_t start,
		  uint64_t size, enum pp_ns_mode mode, enum pp_map map,
		  uint64_t align)
{
	struct pp_op *op = add_op(c, PP_OP_CREATE);

	if (!op)
		return -ENOMEM;
	op->role = role;
	op->start = start;
	op->size = size;
	op->mode = mode;
	op->map = map;
	op->align = align;
	return 0;
}

/* The operations that bind a planned kmem namespace. */
static int bind_ops(struct ctx *c, const char *dev, uint64_t start,
		    uint64_t size)
{
	struct pp_op *op;

	if (c->mom) {
		op = add_op(c, PP_OP_MEMMAP_ON_MEMORY);
		if (!op)
			return -ENOMEM;
		snprintf(op->dev, sizeof(op->dev), "%s", dev);
		op->start = start;
		op->size = size;
	}
	op = add_op(c, PP_OP_KMEM);
	if (!op)
		return -ENOMEM;
	snprintf(op->dev, sizeof(op->dev), "%s", dev);
	op->start = start;
	op->size = size;
	return 0;
}

/* Account a planned kmem namespace into the region's outcome. */
static void count_kmem(struct ctx *c, const struct pp_ns_account *a)
{
	struct pp_outcome *out = &c->rp->predicted;
	uint64_t bytes = a->kmem.end - a->kmem.start;

	out->kmem += bytes;
	out->blocks += a->kmem.blocks;
	out->ram_gain += a->ram_gain;
	out->dram_memmap += a->dram_memmap;
	if (c->blocks_left != UINT64_MAX)
		c->blocks_left -= a->kmem.blocks;
}

/*
 * Say before anything is created that a free extent yields nothing (kmem
 * would reject a namespace there) and how large one would have to be.
 */
static void too_small(struct ctx *c, uint64_t f0, uint64_t f1)
{
	uint64_t b = c->p->block_size.value, gran = c->rp->region_align;
	uint64_t k = pp_align_up(f0 + c->p->compat_align.value, b);
	uint64_t need = c->rp->r->start +
			pp_align_up(k + b - c->rp->r->start, gran) - f0;

	advise(c->rp, "the %llu MiB free at %#llx would yield nothing: kmem would reject it (no whole %llu MiB memory block after the info block); a devdax namespace there needs %llu MiB",
	       (unsigned long long)((f1 - f0) >> 20), (unsigned long long)f0,
	       (unsigned long long)(b >> 20),
	       (unsigned long long)(need >> 20));
}

static int plan_extent_ops(struct ctx *c, uint64_t f0, uint64_t f1)
{
	const struct pp_region *r = c->rp->r;
	uint64_t gran = c->rp->region_align;
	struct pp_extent_choice ch;
	uint64_t devdax;
	int rc;

	pp_plan_extent(c->p, r->start, f0, f1, gran, c->blocks_left, c->mom,
		       &ch);
	if (!ch.found) {
		if (f1 - f0 >= PP_MIN_DAX_NAMESPACE)
			c->rp->predicted.free += f1 - f0;
		else
			c->rp->predicted.stranded += f1 - f0;
		if (f1 - f0 >= PP_MIN_DAX_NAMESPACE && c->blocks_left)
			too_small(c, f0, f1);
		return 0;
	}
	if (gran > c->p->compat_align.value) {
		struct pp_extent_choice fine;

		pp_plan_extent(c->p, r->start, f0, f1, c->p->compat_align.value,
			       c->blocks_left, c->mom, &fine);
		if (fine.found && fine.kmem >= ch.kmem &&
		    fine.stranded < ch.stranded)
			c->align_saving += ch.stranded - fine.stranded;
	}
	/* device_dax's memmap while the namespace is devdax: map=dev if the
	 * DRAM cannot carry it, at the cost of a struct-page reserve */
	devdax = ch.map == PP_MAP_MEM ?
		 pp_devdax_memmap_bytes(c->p, ch.size, ch.align) : 0;
	if (devdax && c->dram_budget && devdax > c->dram_budget) {
		struct pp_extent_choice dev;

		plan_extent_maps(c->p, r->start, f0, f1, gran, c->blocks_left,
				 c->mom, MAP_DEV_BIT, &dev);
		if (dev.found) {
			advise(c->rp, "device_dax would need %llu MiB of DRAM for the struct pages of a map=mem namespace: map=dev instead, %llu MiB of pmem for them",
			       (unsigned long long)(devdax >> 20),
			       (unsigned long long)(dev.acct.pfn.memmap >> 20));
			ch = dev;
			devdax = 0;
		}
	}
	c->rp->predicted.devdax_dram += devdax;
	if (ch.head) {
		rc = create(c, ch.head >= PP_MIN_DAX_NAMESPACE ?
			    PP_ROLE_SPACER : PP_ROLE_FILLER, f0, ch.head,
			    ch.head >= PP_MIN_DAX_NAMESPACE ? PP_MODE_FSDAX :
			    PP_MODE_RAW, ch.head >= PP_MIN_DAX_NAMESPACE ?
			    PP_MAP_DEV : PP_MAP_NONE, 0);
		if (rc)
			return rc;
		if (ch.head >= PP_MIN_DAX_NAMESPACE)
			c->rp->predicted.usable += ch.head;
	}
	rc = create(c, PP_ROLE_KMEM, ch.start, ch.size, PP_MODE_DEVDAX, ch.map,
		    ch.align);
	if (!rc)
		rc = bind_ops(c, "", ch.start, ch.size);
	if (!rc && ch.tail >= PP_MIN_DAX_NAMESPACE) {
		rc = create(c, PP_ROLE_SPACER, ch.start + ch.size, ch.tail,
			    PP_MODE_FSDAX, PP_MAP_DEV, 0);
		c->rp->predicted.usable += ch.tail;
	}
	if (rc)
		return rc;
	count_kmem(c, &ch.acct);
	c->rp->predicted.stranded += ch.stranded;
	return 0;
}

/*
 * scan_allocate() is first fit: a new namespace lands in the lowest hole
 * that holds it.  Replay the creates; where one would land lower than
 * planned, first fill that hole with a leftover namespace (usable pmem).
 */
static int place_first_fit(struct ctx *c, struct pp_extent *holes,
			   unsigned int nr_holes)
{
	struct pp_region_plan *rp = c->rp;
	unsigned int i, h;

	for (i = 0; i < rp->nr_ops; i++) {
		struct pp_op *op = &rp->ops[i];

		if (op->kind != PP_OP_CREATE)
			continue;
		for (h = 0; h < nr_holes; h++)
			if (holes[h].end - holes[h].start >= op->size)
				break;
		if (h < nr_holes && holes[h].start < op->start) {
			/* insert a leftover before op i, retry op i */
			struct pp_op tmp;
			uint64_t n = holes[h].end - holes[h].start;

			if (!add_op(c, PP_OP_CREATE))
				return -ENOMEM;
			op = &rp->ops[i];
			memmove(op + 1, op, (rp->nr_ops - 1 - i) * sizeof(*op));
			memset(&tmp, 0, sizeof(tmp));
			tmp.kind = PP_OP_CREATE;
			tmp.start = holes[h].start;
			tmp.size = n;
			tmp.zone = c->o->zone;
			if (n >= PP_MIN_DAX_NAMESPACE) {
				/* it was free space: now usable fsdax */
				tmp.role = PP_ROLE_LEFTOVER;
				tmp.mode = PP_MODE_FSDAX;
				tmp.map = PP_MAP_DEV;
				rp->predicted.free -= n;
				rp->predicted.usable += n;
			} else {
				tmp.role = PP_ROLE_FILLER;
				tmp.mode = PP_MODE_RAW;
			}
			*op = tmp;
			i--;
			continue;
		}
		if (h == nr_holes || holes[h].start != op->start)
			return -EDOM;	/* a planner bug: never plan it */
		holes[h].start += op->size;
	}
	return 0;
}

/* An existing namespace: its kmem if it already is, its bytes otherwise. */
static void count_kept(struct ctx *c, const struct pp_namespace *ns,
		       struct pp_outcome *out)
{
	struct pp_ns_account a;
	enum pp_map map = ns->map != PP_MAP_NONE ? ns->map : PP_MAP_DEV;
	uint64_t align = ns->align != PP_UNKNOWN ? ns->align :
			 pp_default_dax_align(c->p);

	if (ns->mode == PP_MODE_DEVDAX && ns->dax &&
	    ns->dax->mode == PP_DAX_SYSTEM_RAM) {
		pp_account_namespace(c->p, ns->start, ns->size, map, align,
				     ns->dax->memmap_on_memory == 1, &a);
		if (ns->dax->kmem_start != PP_UNKNOWN &&
		    ns->dax->kmem_end != PP_UNKNOWN) {
			a.kmem.start = ns->dax->kmem_start;
			a.kmem.end = ns->dax->kmem_end;
			a.kmem.blocks = (a.kmem.end - a.kmem.start) /
					c->p->block_size.value;
		}
		out->kmem += a.kmem.end - a.kmem.start;
		out->blocks += a.kmem.blocks;
		out->ram_gain += a.ram_gain;
		out->dram_memmap += a.dram_memmap;
		out->stranded += ns->size - (a.kmem.end - a.kmem.start);
		return;
	}
	if (ns->size >= PP_MIN_DAX_NAMESPACE)
		out->usable += ns->size;
	else
		out->stranded += ns->size;
}

/* The best devdax layout of an existing namespace, in place. */
static void best_in_place(struct ctx *c, const struct pp_namespace *ns,
			  uint64_t max_blocks, struct pp_extent_choice *best)
{
	uint64_t dflt = pp_default_dax_align(c->p);
	struct pp_extent_choice cand;
	unsigned int m, i;

	memset(best, 0, sizeof(*best));
	for (m = 0; m < 2; m++)
		for (i = 0; i < c->p->nr_supported_align; i++) {
			score(c->p, ns->start, ns->start + ns->size,
			      ns->start, ns->start + ns->size,
			      m ? PP_MAP_DEV : PP_MAP_MEM,
			      c->p->supported_align[i], max_blocks, c->mom,
			      &cand);
			if (better(best, &cand, dflt))
				*best = cand;
		}
}

/*
 * A namespace the plan leaves alone.  Say so when it was asked to change
 * it, and say what reconfiguring it in place would gain when it would.
 */
static void keep(struct ctx *c, const struct pp_namespace *ns)
{
	const struct pp_outcome *o = &c->rp->predicted;
	uint64_t before = o->kmem, now;
	struct pp_extent_choice best;

	count_kept(c, ns, &c->rp->predicted);
	if (ns->busy && asked_to_change(ns, c->o)) {
		advise(c->rp, "%s is in use (mounted, open or online as System RAM): left as it is",
		       ns->dev);
		return;
	}
	if (ns->busy || ns->start == PP_UNKNOWN ||
	    ns->size < PP_MIN_DAX_NAMESPACE)
		return;
	now = o->kmem - before;
	if (ns->mode == PP_MODE_DEVDAX && !now) {
		/* not bound yet: what binding it as it is would give */
		struct pp_ns_account a;

		pp_account_namespace(c->p, ns->start, ns->size,
				     ns->map != PP_MAP_NONE ? ns->map :
				     PP_MAP_DEV, ns->align != PP_UNKNOWN ?
				     ns->align : pp_default_dax_align(c->p),
				     c->mom, &a);
		if (!a.kmem_err && !a.pfn_err)
			now = a.kmem.end - a.kmem.start;
	}
	best_in_place(c, ns, UINT64_MAX, &best);
	if (best.found && best.kmem > now)
		advise(c->rp, "--reconfigure=%s (destructive) would hot-plug %llu MiB of its %llu MiB as devdax map=%s (as it is: %llu MiB)",
		       ns->dev, (unsigned long long)(best.kmem >> 20),
		       (unsigned long long)(ns->size >> 20),
		       pp_map_name(best.map), (unsigned long long)(now >> 20));
}

/* What reconfiguring a namespace in place to devdax for kmem would give. */
static int reconfigure_in_place(struct ctx *c, const struct pp_namespace *ns,
				bool destructive)
{
	struct pp_extent_choice best;
	struct pp_op *op;

	best_in_place(c, ns, c->blocks_left, &best);
	if (!best.found) {
		count_kept(c, ns, &c->rp->predicted);
		advise(c->rp, "%s: kmem would reject it: no whole memory block fits in its %llu MiB after the info block",
		       ns->dev, (unsigned long long)(ns->size >> 20));
		return 0;
	}
	op = add_op(c, PP_OP_RECONFIGURE);
	if (!op)
		return -ENOMEM;
	snprintf(op->dev, sizeof(op->dev), "%s", ns->dev);
	op->role = PP_ROLE_KMEM;
	op->start = ns->start;
	op->size = ns->size;
	op->mode = PP_MODE_DEVDAX;
	op->map = best.map;
	op->align = best.align;
	op->destructive = destructive;
	if (bind_ops(c, ns->dev, ns->start, ns->size))
		return -ENOMEM;
	count_kmem(c, &best.acct);
	c->rp->predicted.stranded += ns->size - best.kmem;
	return 0;
}

/*
 * "memmap=nn!ss" advice for e820 carve-outs (x86 only: no memmap= on other
 * architectures).  Keep the end; start one map=mem info block before a
 * block boundary, so the carve-out loses only that (§9(b), measured in
 * §13: memmap=2050M!5118M hot-plugs 2048 MiB where 2G!5G gives 1920 MiB).
 * The carve-out must stay inside one firmware "System RAM" range.
 */
static void carveout_advice(struct ctx *c, uint64_t kmem_now)
{
	const struct pp_platform *p = c->p;
	const struct pp_region *r = c->rp->r;
	uint64_t b = p->block_size.value, d = p->compat_align.value;
	uint64_t end = r->start + r->size, k1 = pp_align_down(end, b);
	uint64_t k0 = pp_align_up(r->start + d, b), k, lo;
	unsigned int f;

	if (r->kind != PP_REGION_E820 || p->arch != PP_ARCH_X86_64 ||
	    k1 <= k0)
		return;
	/* the lowest block boundary whose carve-out fits the firmware map */
	for (k = k0 >= b ? k0 - b : k0; k <= k0; k += b) {
		bool fits = !p->nr_fwmap;

		lo = k - d;
		for (f = 0; f < p->nr_fwmap; f++)
			if (!strcmp(p->fwmap[f].type, "System RAM") &&
			    p->fwmap[f].start <= lo && k1 <= p->fwmap[f].end)
				fits = true;
		if (fits)
			break;
	}
	if (k > k0 || (k1 - k == kmem_now && lo == r->start && k1 == end))
		return;
	advise(c->rp, "memmap=%lluM!%lluM instead of this carve-out hot-plugs %llu MiB (now %llu MiB) from %llu MiB of RAM (now %llu MiB)%s",
	       (unsigned long long)((k1 - lo) >> 20),
	       (unsigned long long)(lo >> 20),
	       (unsigned long long)((k1 - k) >> 20),
	       (unsigned long long)(kmem_now >> 20),
	       (unsigned long long)((k1 - lo) >> 20),
	       (unsigned long long)(r->size >> 20),
	       p->nr_fwmap ? "" : "; not checked against the firmware memory map");
}

/*
 * What "ndctl create-namespace -m devdax" (or, label-less, "-f -e
 * namespaceX.0") then "daxctl reconfigure-device -m system-ram" with their
 * defaults give on the namespace [start, start + size).
 */
static void ndctl_defaults(struct ctx *c, uint64_t start, uint64_t size)
{
	const struct pp_platform *p = c->p;
	struct pp_outcome *bl = &c->rp->baseline;
	uint64_t align = pp_default_dax_align(p);
	struct pp_ns_account a;

	if (!pp_is_aligned(start, align))
		align = p->page_size.value;	/* ndctl falls back to 4K */
	pp_account_namespace(p, start, size, PP_MAP_DEV, align, false, &a);
	if (a.pfn_err || a.kmem_err) {
		bl->error = -EINVAL;
		snprintf(bl->error_msg, sizeof(bl->error_msg),
			 "daxctl: Invalid argument (kmem: \"rejecting DAX region without any memory after alignment\")");
		return;
	}
	if (p->mem_available.src && a.dram_memmap > p->mem_available.value) {
		bl->error = -ENOMEM;
		snprintf(bl->error_msg, sizeof(bl->error_msg),
			 "struct pages need %llu MiB of DRAM, %llu MiB available: the kernel runs out of memory (\"System is deadlocked on memory\")",
			 (unsigned long long)(a.dram_memmap >> 20),
			 (unsigned long long)(p->mem_available.value >> 20));
		return;
	}
	if (!strncmp(p->auto_online_blocks, "online", 6)) {
		bl->error = -EBUSY;
		snprintf(bl->error_msg, sizeof(bl->error_msg),
			 "daxctl: \"kernel policy will auto-online memory, aborting\" (with -f the blocks go to ZONE_NORMAL)");
		return;
	}
	bl->kmem += a.kmem.end - a.kmem.start;
	bl->blocks += a.kmem.blocks;
	bl->ram_gain += a.ram_gain;
	bl->dram_memmap += a.dram_memmap;
}

/*
 * The baseline: every existing namespace stays; ndctl takes the largest
 * free extent (max_available_extent, aligned) wherever first fit puts it,
 * or, label-less, reconfigures the free io namespace.
 */
static void baseline(struct ctx *c)
{
	const struct pp_region *r = c->rp->r;
	struct pp_outcome *bl = &c->rp->baseline;
	uint64_t ralign = r->align != PP_UNKNOWN ? r->align :
			  PP_DEFAULT_REGION_ALIGN;
	uint64_t size = 0, start = PP_UNKNOWN, taken;
	struct pp_extent *holes;
	unsigned int i, nh;

	for (i = 0; i < r->nr_ns; i++) {
		const struct pp_namespace *ns = &r->ns[i];

		if (!r->labelled && is_free_raw(ns) && !c->o->keep) {
			if (r->align != PP_UNKNOWN && r->size % r->align) {
				bl->error = -EINVAL;
				snprintf(bl->error_msg, sizeof(bl->error_msg),
					 "ndctl refuses: \"align setting is %#llx size %#llx is misaligned\"",
					 (unsigned long long)r->align,
					 (unsigned long long)r->size);
				continue;
			}
			ndctl_defaults(c, ns->start, ns->size);
			continue;
		}
		count_kept(c, ns, bl);
	}
	if (r->labelled) {
		if (pp_free_extents(r, NULL, ralign, 0, &holes, &nh))
			return;
		for (i = 0; i < nh; i++)
			if (holes[i].end - holes[i].start > size)
				size = holes[i].end - holes[i].start;
		size = pp_align_down(size, ralign * r->ways);
		if (size < PP_MIN_DAX_NAMESPACE)
			size = 0;
		for (i = 0; i < nh; i++) {
			uint64_t n = holes[i].end - holes[i].start;

			if (size && start == PP_UNKNOWN && n >= size) {
				start = holes[i].start;	/* first fit */
				n -= size;
			}
			if (n >= PP_MIN_DAX_NAMESPACE)
				bl->free += n;
		}
		free(holes);
		if (size)
			ndctl_defaults(c, start, size);
	}
	taken = bl->kmem + bl->usable + bl->free;
	bl->stranded = taken < r->size ? r->size - taken : 0;
}

static int plan_labelled(struct ctx *c, bool *gone)
{
	struct pp_region_plan *rp = c->rp;
	const struct pp_region *r = rp->r;
	struct pp_extent *holes;
	unsigned int i, nh;
	uint64_t cur = r->align != PP_UNKNOWN ? r->align :
		       PP_DEFAULT_REGION_ALIGN;
	int rc;

	if (rp->region_align != cur) {
		struct pp_op *op = add_op(c, PP_OP_REGION_ALIGN);

		if (!op)
			return -ENOMEM;
		snprintf(op->dev, sizeof(op->dev), "%s", r->dev);
		op->align = rp->region_align;
	}
	for (i = 0; i < r->nr_ns; i++) {
		struct pp_op *op;

		if (!gone[i])
			continue;
		op = add_op(c, PP_OP_DESTROY);
		if (!op)
			return -ENOMEM;
		snprintf(op->dev, sizeof(op->dev), "%s", r->ns[i].dev);
		op->start = r->ns[i].start;
		op->size = r->ns[i].size;
		op->destructive = !is_free_raw(&r->ns[i]);
	}
	rc = pp_free_extents(r, gone, rp->region_align, 0, &holes, &nh);
	if (rc)
		return rc;
	for (i = 0; !rc && i < nh; i++)
		rc = plan_extent_ops(c, holes[i].start, holes[i].end);
	if (!rc)
		rc = place_first_fit(c, holes, nh);
	free(holes);
	return rc;
}

static uint64_t region_capacity_stranded(const struct pp_region_plan *rp)
{
	const struct pp_outcome *o = &rp->predicted;
	uint64_t taken = o->kmem + o->usable + o->free;

	return taken < rp->r->size ? rp->r->size - taken : 0;
}

/* Insert a new operation at index at (before the ones there). */
static struct pp_op *insert_op(struct ctx *c, unsigned int at,
			       enum pp_op_kind kind)
{
	struct pp_region_plan *rp = c->rp;
	struct pp_op *op = add_op(c, kind), tmp;

	if (!op)
		return NULL;
	tmp = *op;
	memmove(&rp->ops[at + 1], &rp->ops[at],
		(rp->nr_ops - 1 - at) * sizeof(*op));
	rp->ops[at] = tmp;
	return &rp->ops[at];
}

/* Label-less: the io namespace spans the region; only its mode moves. */
static int plan_labelless(struct ctx *c)
{
	struct pp_region_plan *rp = c->rp;
	const struct pp_region *r = rp->r;
	unsigned int i, before;
	int rc = 0;

	for (i = 0; !rc && i < r->nr_ns; i++) {
		enum ns_fate f = fate(&r->ns[i], c->o);
		struct pp_op *op;
		uint64_t a = r->align;

		if (f == KEEP) {
			keep(c, &r->ns[i]);
			continue;
		}
		before = rp->nr_ops;
		rc = reconfigure_in_place(c, &r->ns[i], f != REUSE);
		if (rc || rp->nr_ops == before || a == PP_UNKNOWN ||
		    !(r->size % a))
			continue;
		/* ndctl refuses a namespace that is not a multiple of the
		 * region align; keep the region usable with ndctl too */
		while (r->size % a)
			a >>= 1;
		op = insert_op(c, before, PP_OP_REGION_ALIGN);
		if (!op)
			return -ENOMEM;
		snprintf(op->dev, sizeof(op->dev), "%s", r->dev);
		op->align = a;
		rp->region_align = a;
	}
	if (!rc)
		carveout_advice(c, rp->predicted.kmem);
	return rc;
}

/*
 * A label-capable region without labels (a fresh QEMU NVDIMM with a label
 * area) shows one label-less namespace; initialising the labels makes it
 * divisible.  Only when that namespace is free, or --force.
 */
static bool wants_labels(const struct ctx *c)
{
	const struct pp_region *r = c->rp->r;
	unsigned int i;

	if (r->labelled || !r->label_capable)
		return false;
	for (i = 0; i < r->nr_ns; i++)
		if (fate(&r->ns[i], c->o) == KEEP ||
		    fate(&r->ns[i], c->o) == RECONFIGURE)
			return false;
	return true;
}

/* One way to lay the region out; relabel: initialise its labels first. */
static int plan_variant(struct ctx *c, bool relabel)
{
	struct pp_region_plan *rp = c->rp;
	const struct pp_region *r = rp->r, *orig = rp->r;
	struct pp_region relabelled;
	struct pp_op *op;
	unsigned int i;
	bool *gone;
	int rc = 0;

	if (relabel) {
		op = add_op(c, PP_OP_INIT_LABELS);
		if (!op)
			return -ENOMEM;
		snprintf(op->dev, sizeof(op->dev), "%s", r->dev);
		op->destructive = true;
		/* it comes back labelled, empty, with the default align */
		relabelled = *r;
		relabelled.labelled = true;
		relabelled.nr_ns = 0;
		relabelled.align = PP_DEFAULT_REGION_ALIGN;
		r = rp->r = &relabelled;
		rp->region_align = PP_DEFAULT_REGION_ALIGN;
	}
	if (!r->labelled) {
		rc = plan_labelless(c);
		goto out;
	}
	if (c->o->region_align)
		rp->region_align = c->o->region_align;
	gone = calloc(r->nr_ns + 1, sizeof(*gone));
	if (!gone)
		return -ENOMEM;
	for (i = 0; !rc && i < r->nr_ns; i++) {
		switch (fate(&r->ns[i], c->o)) {
		case KEEP:
			keep(c, &r->ns[i]);
			break;
		case RECONFIGURE:
			/* in place: its space stays taken */
			rc = reconfigure_in_place(c, &r->ns[i], true);
			break;
		case REUSE:
		case REPLACE:
			gone[i] = true;
			break;
		}
	}
	if (!rc)
		rc = plan_labelled(c, gone);
	free(gone);
out:
	rp->predicted.stranded = region_capacity_stranded(rp);
	rp->r = orig;
	return rc;
}

static void align_advice(struct ctx *c);

static int plan_region(struct ctx *c)
{
	struct pp_region_plan *rp = c->rp, saved, as_is;
	const struct pp_region *r = rp->r;
	uint64_t left = c->blocks_left, left_as_is;
	int rc;

	rp->bound = pp_kmem_bound(c->p, r->start, r->start + r->size);
	baseline(c);
	rp->region_align = r->align != PP_UNKNOWN ? r->align :
			   PP_DEFAULT_REGION_ALIGN;
	c->align_saving = 0;
	if (!wants_labels(c)) {
		rc = plan_variant(c, false);
		align_advice(c);
		return rc;
	}
	/*
	 * Labels make the region divisible, but cost the label-less
	 * namespace and may trim the end to the 16 MiB region align: plan
	 * both and initialise labels only when that is strictly better.
	 */
	saved = *rp;
	saved.ops = NULL;	/* each variant allocates its own */
	saved.nr_ops = 0;
	rc = plan_variant(c, false);
	if (rc)
		return rc;
	as_is = *rp;
	left_as_is = c->blocks_left;
	*rp = saved;
	c->blocks_left = left;
	c->cap_ops = 0;
	rc = plan_variant(c, true);
	if (!rc && (rp->predicted.kmem > as_is.predicted.kmem ||
		    (rp->predicted.kmem == as_is.predicted.kmem &&
		     rp->predicted.stranded < as_is.predicted.stranded))) {
		free(as_is.ops);
		align_advice(c);
		return 0;
	}
	free(rp->ops);
	*rp = as_is;
	c->blocks_left = left_as_is;
	c->cap_ops = as_is.nr_ops;	/* ops is exactly that large or more */
	return rc;
}

/* --region-align=2M: what it would save, said once per region */
static void align_advice(struct ctx *c)
{
	if (!c->align_saving)
		return;
	advise(c->rp, "--region-align=%lluM would strand %llu MiB less here (%llu MiB keeps the media usable on every architecture)",
	       (unsigned long long)(c->p->compat_align.value >> 20),
	       (unsigned long long)(c->align_saving >> 20),
	       (unsigned long long)(c->rp->region_align >> 20));
}

/*
 * --force permits replacing namespaces, it does not ask for it: plan the
 * region without it too, and keep that plan unless forcing hot-plugs more
 * or strands less.  So a second "apply --force" finds nothing to do.
 */
static int plan_region_best(struct ctx *c)
{
	const struct pp_plan_opts *o = c->o;
	struct pp_region_plan saved = *c->rp, mild;
	uint64_t left = c->blocks_left, left_mild;
	struct pp_plan_opts unforced;
	int rc;

	if (!o->force)
		return plan_region(c);
	saved.ops = NULL;	/* each plan allocates its own */
	saved.nr_ops = 0;
	unforced = *o;
	unforced.force = false;
	c->o = &unforced;
	rc = plan_region(c);
	c->o = o;
	if (rc)
		return rc;
	mild = *c->rp;
	left_mild = c->blocks_left;
	*c->rp = saved;
	c->blocks_left = left;
	c->cap_ops = 0;
	rc = plan_region(c);
	if (!rc && (c->rp->predicted.kmem > mild.predicted.kmem ||
		    (c->rp->predicted.kmem == mild.predicted.kmem &&
		     c->rp->predicted.stranded < mild.predicted.stranded))) {
		/* the analyzer loses track that both plans started from
		 * saved.ops == NULL: mild.ops is the first plan's own array */
		free(mild.ops); /* NOLINT(clang-analyzer-unix.Malloc) */
		return 0;
	}
	free(c->rp->ops);
	*c->rp = mild;
	c->blocks_left = left_mild;
	c->cap_ops = mild.nr_ops;
	return rc;
}

static void add_outcome(struct pp_outcome *sum, const struct pp_outcome *o)
{
	sum->kmem += o->kmem;
	sum->blocks += o->blocks;
	sum->stranded += o->stranded;
	sum->usable += o->usable;
	sum->free += o->free;
	sum->dram_memmap += o->dram_memmap;
	sum->ram_gain += o->ram_gain;
	sum->devdax_dram += o->devdax_dram;
	if (o->error && !sum->error) {
		sum->error = o->error;
		memcpy(sum->error_msg, o->error_msg, sizeof(sum->error_msg));
	}
}

/* memmap_on_memory: --memmap policy against what the kernel can do. */
static int choose_mom(const struct pp_platform *p, const struct pp_plan_opts *o,
		      struct pp_plan *plan, char *err, size_t errlen)
{
	enum pp_mom_verdict v = pp_mom_supported(p, p->memmap_on_memory);

	plan->mom = o->memmap != PP_MEMMAP_DRAM && v == PP_MOM_OK;
	snprintf(plan->mom_why, sizeof(plan->mom_why), "%s",
		 o->memmap == PP_MEMMAP_DRAM ? "--memmap=dram" :
		 pp_mom_verdict_str(v));
	if (o->memmap == PP_MEMMAP_PMEM && v != PP_MOM_OK) {
		snprintf(err, errlen,
			 "--memmap=pmem: memmap_on_memory cannot be used: %s (use --memmap=auto or dram)",
			 pp_mom_verdict_str(v));
		return -EINVAL;
	}
	return 0;
}

int pp_plan_build(const struct pp_topology *t, const struct pp_plan_opts *o,
		  struct pp_plan *plan, char *err, size_t errlen)
{
	const struct pp_platform *p = &t->plat;
	struct ctx c = { .p = p, .o = o, .blocks_left = UINT64_MAX };
	uint64_t b = p->block_size.value, per_block;
	unsigned int i, j;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (err && errlen)
		err[0] = '\0';
	if (o->size && o->size % b) {
		snprintf(err, errlen,
			 "--size=%llu is not a whole number of %llu MiB memory blocks: did you intend --size=%lluM?",
			 (unsigned long long)o->size,
			 (unsigned long long)(b >> 20),
			 (unsigned long long)(pp_align_up(o->size, b) >> 20));
		return -EINVAL;
	}
	if (o->region_align && (!pp_is_pow2(o->region_align) ||
				o->region_align < p->compat_align.value)) {
		snprintf(err, errlen,
			 "--region-align=%llu must be a power of two of at least %llu KiB (memremap_compat_align)",
			 (unsigned long long)o->region_align,
			 (unsigned long long)(p->compat_align.value >> 10));
		return -EINVAL;
	}
	rc = choose_mom(p, o, plan, err, errlen);
	if (rc)
		return rc;
	c.mom = plan->mom;
	if (o->size)
		c.blocks_left = o->size / b;
	/* kmem's struct pages come out of DRAM (§13: a panic otherwise) */
	per_block = pp_block_memmap_bytes(p);
	if (!c.mom && p->mem_available.src) {
		unsigned int pct = o->dram_percent ? o->dram_percent :
				   PP_DEFAULT_DRAM_PERCENT;

		plan->dram_budget = p->mem_available.value / 100 * pct;
		if (plan->dram_budget / per_block < c.blocks_left)
			c.blocks_left = plan->dram_budget / per_block;
	}
	plan->regions = calloc(t->nr_regions ? t->nr_regions : 1,
			       sizeof(*plan->regions));
	if (!plan->regions)
		return -ENOMEM;
	plan->nr_regions = t->nr_regions;
	for (i = 0; i < t->nr_regions; i++) {
		struct pp_region_plan *rp = &plan->regions[i];

		rp->r = &t->regions[i];
		rp->mom = c.mom;
		if (rp->r->start == PP_UNKNOWN) {
			snprintf(err, errlen,
				 "%s: physical addresses are unknown: run as root, or plan from a snapshot taken as root",
				 rp->r->dev);
			pp_plan_free(plan);
			return -EINVAL;
		}
		for (j = 0; j < rp->r->nr_ns; j++)
			if (rp->r->ns[j].start == PP_UNKNOWN)
				break;
		if (j < rp->r->nr_ns) {
			/* its free extents would wrap around the start */
			snprintf(err, errlen,
				 "%s: the physical address of %s is unknown: run as root, or plan from a snapshot taken as root",
				 rp->r->dev, rp->r->ns[j].dev);
			pp_plan_free(plan);
			return -EINVAL;
		}
		c.rp = rp;
		c.cap_ops = 0;
		rc = plan_region_best(&c);
		if (rc) {
			if (rc == -EDOM)
				snprintf(err, errlen,
					 "%s: internal error: the planned layout does not follow first-fit allocation",
					 rp->r->dev);
			pp_plan_free(plan);
			return rc;
		}
		add_outcome(&plan->predicted, &rp->predicted);
		add_outcome(&plan->baseline, &rp->baseline);
		plan->bound += rp->bound;
		plan->capacity += rp->r->size;
	}
	if (plan->mom) {
		bool force = p->memmap_on_memory == PP_MOM_FORCE;
		uint64_t ps = p->page_size.value;

		/* memory_block_memmap_on_memory_pages(), mm/memory_hotplug.c */
		plan->mom_per_block = pp_mom_pages(p, force) * ps;
		plan->mom_padding = plan->mom_per_block -
				    pp_mom_pages(p, false) * ps;
		plan->dram_saved = plan->predicted.blocks * per_block;
	}
	if (o->size && plan->predicted.kmem < o->size)
		snprintf(err, errlen,
			 "--size: only %llu MiB of kmem fit, not %llu MiB",
			 (unsigned long long)(plan->predicted.kmem >> 20),
			 (unsigned long long)(o->size >> 20));
	return 0;
}

void pp_plan_free(struct pp_plan *plan)
{
	unsigned int i;

	for (i = 0; i < plan->nr_regions; i++)
		free(plan->regions[i].ops);
	free(plan->regions);
	memset(plan, 0, sizeof(*plan));
}
