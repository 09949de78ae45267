/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to lib/planner/: the state of planning one region and the
 * functions the planner's files share (prefix pl_).  Nothing outside
 * lib/planner/ includes this; the interface is planner.h.
 *
 *   extent.c     the best kmem namespace in one free extent
 *   ops.c        the operations of a region plan, advice, predicted outcome
 *   existing.c   what becomes of the namespaces a region already has
 *   labelled.c   labelled regions: extents, first-fit placement
 *   labelless.c  label-less regions: the io namespace, carve-out advice
 *   baseline.c   what ndctl's and daxctl's defaults would give
 *   names.c      operation, role and zone names
 *   planner.c    the driver: pp_plan_build(), the better of two ways
 */
#ifndef PMEMPLAN_PLANNER_CTX_H
#define PMEMPLAN_PLANNER_CTX_H

#include <stdbool.h>
#include <stdint.h>
#include "planner/planner.h"

struct ctx {
	const struct pp_platform *p;
	const struct pp_plan_opts *o;	/* of the variant being planned */
	const struct pp_plan_opts *asked;	/* the user's: baseline */
	struct pp_region_plan *rp;
	uint64_t blocks_left;		/* --size and DRAM caps, all regions */
	bool mom;
	uint64_t dram_budget;		/* 0: unknown, no limit */
	uint64_t align_saving;		/* stranded a 2M region align saves */
	unsigned int cap_ops;
};

/* extent.c */
#define MAP_MEM_BIT 1u
#define MAP_DEV_BIT 2u

/* The better of two choices by the objective; ties keep a. */
bool pl_better(const struct pp_extent_choice *a,
	       const struct pp_extent_choice *b, uint64_t dflt_align);
/* What ndctl checks a namespace's size against (constraints.c). */
struct pl_where {
	uint64_t region_align;		/* 0: not checked */
	unsigned int ways;
};

/*
 * Score one candidate namespace [s, e) in [f0, f1); none (c->found
 * false) where the kernel or ndctl would not take it.
 */
void pl_score(const struct pp_platform *p, const struct pl_where *w,
	      uint64_t f0, uint64_t f1, uint64_t s, uint64_t e,
	      enum pp_map map, uint64_t align, uint64_t max_blocks, bool mom,
	      struct pp_extent_choice *c);
/* pp_plan_extent() in a region of ways interleave ways, with the maps
 * (MAP_*_BIT) it may choose from. */
void pl_plan_extent_maps(const struct pp_platform *p,
			 uint64_t region_start, uint64_t f0, uint64_t f1,
			 uint64_t gran, unsigned int ways, uint64_t max_blocks,
			 bool mom, unsigned int maps,
			 struct pp_extent_choice *out);
/*
 * The claim of a spacer or leftover namespace [start, +size): fsdax
 * (map=dev) at the seed's default align (*align 0) when the kernel and
 * ndctl take that, else at the largest supported align they take; raw
 * when no align suits (or it is below 16 MiB).
 */
void pl_spacer_claim(const struct ctx *c, uint64_t start, uint64_t size,
		     enum pp_ns_mode *mode, enum pp_map *map, uint64_t *align);

/* ops.c: each returns NULL or -ENOMEM when out of memory */
struct pp_op *pl_add_op(struct ctx *c, enum pp_op_kind kind);
/* Insert a new operation at index at (before the ones there). */
struct pp_op *pl_insert_op(struct ctx *c, unsigned int at,
			   enum pp_op_kind kind);
int pl_create(struct ctx *c, enum pp_role role, uint64_t start,
	      uint64_t size, enum pp_ns_mode mode, enum pp_map map,
	      uint64_t align);
/* The operations that bind a planned kmem namespace. */
int pl_bind_ops(struct ctx *c, const char *dev, uint64_t start,
		uint64_t size);
void pl_advise(struct pp_region_plan *rp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Account a planned kmem namespace into the region's outcome. */
void pl_count_kmem(struct ctx *c, const struct pp_ns_account *a);

/* existing.c */
enum ns_fate { NS_KEEP, NS_REUSE, NS_REPLACE, NS_RECONFIGURE };

bool pl_is_free_raw(const struct pp_namespace *ns);
enum ns_fate pl_fate(const struct pp_namespace *ns,
		     const struct pp_plan_opts *o);
/* An existing namespace: its kmem if it already is, its bytes otherwise. */
void pl_count_kept(struct ctx *c, const struct pp_namespace *ns,
		   struct pp_outcome *out);
/* A namespace the plan leaves alone, with advice where it could gain. */
void pl_keep(struct ctx *c, const struct pp_namespace *ns);
int pl_reconfigure_in_place(struct ctx *c, const struct pp_namespace *ns,
			    bool destructive);

/* labelled.c, labelless.c, baseline.c */
int pl_plan_labelled(struct ctx *c, bool *gone);
int pl_plan_labelless(struct ctx *c);
void pl_baseline(struct ctx *c);
/*
 * cxl.c: every CXL ram region of t, into plan->cxl, and the regions
 * its free CXL ram capacity would make, into plan->cxl_free
 */
int pl_plan_cxl(const struct pp_topology *t, const struct pp_plan_opts *o,
		struct pp_plan *plan);

#endif /* PMEMPLAN_PLANNER_CTX_H */
