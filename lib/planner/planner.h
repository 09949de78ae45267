/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The planner: for each region, the namespace layout that gives the user
 * the most net memory (what MemTotal grows by, less the DRAM spent on
 * struct pages: pp_outcome_net()), then hot-plugs the most as kmem, then
 * strands the least pmem, then needs the fewest and least destructive
 * operations; beside it what ndctl's and daxctl's defaults would give (the
 * baseline) and the most any layout can give (the bound).
 *
 * With one placement of struct pages every memory block costs the same, so
 * inside a plan net memory orders layouts exactly as kmem does; it decides
 * between the placements (--memmap=auto, planner.c choose_by_net()): on
 * ppc64le 64K with memmap_on_memory=force the device gives 254 MiB of a
 * 256 MiB block (28 of its 4096 pages are pageblock padding), DRAM 256 MiB
 * for 256 KiB of DRAM, so DRAM wins; on x86 4K both give 126 MiB of a
 * 128 MiB block net, a tie, and the tie goes to the device (DRAM saved).
 *
 * Pure: a topology and options in, a plan out.  Placement follows the
 * kernel's first-fit allocation (scan_allocate(), namespace_devs.c).
 */
#ifndef PMEMPLAN_PLAN_H
#define PMEMPLAN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/model.h"
#include "topology/topology.h"

enum pp_memmap_policy {
	PP_MEMMAP_AUTO = 0,	/* the larger net memory; device on a tie */
	PP_MEMMAP_DRAM,		/* always in DRAM */
	PP_MEMMAP_PMEM,		/* on the device, or refuse */
};

enum pp_zone {
	PP_ZONE_MOVABLE = 0,
	PP_ZONE_NORMAL,
};

struct pp_plan_opts {
	uint64_t size;			/* --size: kmem bytes wanted, 0 = all */
	uint64_t region_align;		/* --region-align, 0 = keep */
	enum pp_memmap_policy memmap;
	enum pp_zone zone;
	bool force;			/* may replace any namespace not busy */
	bool keep;			/* keep free raw namespaces */
	const char *const *reconfigure;	/* --reconfigure NS: in place */
	unsigned int nr_reconfigure;
	const char *const *replace;	/* --replace NS: destroy, reuse space */
	unsigned int nr_replace;
	unsigned int dram_percent;	/* of MemAvailable for struct pages */
};

#define PP_DEFAULT_DRAM_PERCENT 50

enum pp_op_kind {
	PP_OP_INIT_LABELS,	/* ndctl init-labels: erases the label area */
	PP_OP_REGION_ALIGN,	/* write regionN/align */
	PP_OP_DESTROY,		/* a namespace whose space the plan reuses */
	PP_OP_CREATE,		/* a new namespace, placed by first fit */
	PP_OP_RECONFIGURE,	/* an existing namespace, in place */
	PP_OP_MEMMAP_ON_MEMORY,	/* daxX.Y/memmap_on_memory = 1 */
	PP_OP_KMEM,		/* bind kmem, online the blocks in a zone */
};

enum pp_role {
	PP_ROLE_KMEM = 0,	/* the devdax namespace hot-plugged as RAM */
	PP_ROLE_SPACER,		/* before/after it: usable pmem (fsdax) */
	PP_ROLE_FILLER,		/* < 16 MiB before it, only to place it (raw) */
	PP_ROLE_LEFTOVER,	/* a lower hole first fit would pick (fsdax) */
};

struct pp_op {
	enum pp_op_kind kind;
	enum pp_role role;
	char dev[PP_NAME_MAX];		/* the existing object, "" when new */
	uint64_t start;			/* where the kernel will place it */
	uint64_t size;
	enum pp_ns_mode mode;
	enum pp_map map;
	uint64_t align;			/* dax align; region align for ALIGN */
	enum pp_zone zone;
	bool destructive;		/* erases what may hold data */
};

/* What a layout of one region (or all) gives. */
struct pp_outcome {
	uint64_t kmem;			/* bytes hot-plugged */
	uint64_t blocks;
	uint64_t stranded;
	uint64_t usable;		/* pmem left in usable namespaces */
	uint64_t free;			/* left unallocated (>= 16 MiB holes) */
	uint64_t dram_memmap;		/* struct pages of kmem in DRAM */
	uint64_t ram_gain;		/* MemTotal growth */
	uint64_t devdax_dram;		/* device_dax memmap before kmem */
	int error;			/* baseline: 0 or -errno */
	char error_msg[200];
};

/*
 * The memory the user gets: MemTotal growth less the struct pages kept in
 * DRAM (never negative: a block's DRAM memmap is smaller than the block).
 */
static inline uint64_t pp_outcome_net(const struct pp_outcome *o)
{
	return o->ram_gain > o->dram_memmap ? o->ram_gain - o->dram_memmap :
	       0;
}

#define PP_MAX_ADVICE 6

struct pp_region_plan {
	const struct pp_region *r;
	struct pp_op *ops;
	unsigned int nr_ops;
	struct pp_outcome predicted;
	struct pp_outcome baseline;
	uint64_t bound;
	uint64_t region_align;		/* as planned */
	bool mom;			/* memmap_on_memory planned */
	unsigned int nr_advice;
	char advice[PP_MAX_ADVICE][240];
};

/* A dax device of a CXL ram region's planned layout, in address order. */
struct pp_cxl_dev {
	uint64_t start, size;
	bool kmem;			/* else devdax */
};

/*
 * A CXL ram region (lib/planner/cxl.c): the kernel's default (one dax
 * device, all kmem, onlined as auto_online_blocks says), the layout that
 * loses the least (head and tail as devdax, the block-aligned middle as
 * kmem, onlined in zone) and the bound (its whole blocks).
 */
struct pp_cxl_plan {
	const struct pp_cxl_region *c;
	bool unknown;			/* addresses unknown: nothing planned */
	struct pp_cxl_dev dev[3];
	unsigned int nr_dev;
	uint64_t bound, blocks;
	uint64_t kmem, devdax, lost;	/* lost: in no device, and memmap */
	uint64_t mom_bytes, ram_gain, dram_memmap, ram_net;
	bool mom;			/* memmap on the memory planned */
	bool mom_supported;		/* else a device's memmap_on_memory
					 * is moot (kmem cannot) */
	enum pp_zone zone;
	uint64_t default_kmem, default_lost, default_ram_gain;
	uint64_t default_dram_memmap;
	bool default_mom;
	const char *default_zone;	/* normal, movable, offline, unknown */
	unsigned int nr_advice;
	char advice[PP_MAX_ADVICE][240];
	/*
	 * What apply does with it: nothing when the dax devices are the
	 * planned ones already (kmem bound, every block online in zone,
	 * memmap_on_memory as planned); else it takes every device down and
	 * makes the planned ones.  busy: a devdax device it would take down
	 * (an application may be using it: apply needs --force).
	 */
	bool as_planned;
	char busy[PP_NAME_MAX];
};

/*
 * The ram region a memdev's free capacity would make (struct
 * pp_cxl_free), 1-way: where the kernel would place it in the window and
 * its size, and its layout as for an existing region (layout.c NULL,
 * never "as_planned": apply creates no region).
 */
struct pp_cxl_free_plan {
	const struct pp_cxl_free *f;
	int place;			/* 0, or pp_cxl_free_place()'s error */
	uint64_t start, size;
	struct pp_cxl_plan layout;
};

struct pp_plan {
	struct pp_region_plan *regions;
	unsigned int nr_regions;
	struct pp_cxl_plan *cxl;	/* CXL ram regions */
	unsigned int nr_cxl;
	struct pp_cxl_free_plan *cxl_free;	/* would-be ram regions */
	unsigned int nr_cxl_free;
	struct pp_outcome predicted;	/* sums */
	struct pp_outcome baseline;
	uint64_t bound;
	uint64_t capacity;
	uint64_t dram_budget;		/* struct-page DRAM the plan allowed */
	bool mom;
	char mom_why[200];		/* why memmap_on_memory is (not) used */
	uint64_t mom_per_block;		/* bytes of each block for its memmap */
	uint64_t mom_padding;		/* of which pageblock padding (force) */
	uint64_t dram_saved;		/* struct pages not in DRAM */
	/* --size cannot be met: what fits instead; "" when it is met */
	char shortfall[160];
};

/*
 * Whether c's dax devices are cp's: each planned device at its range,
 * devdax bound to device_dax, the kmem one bound with its System RAM the
 * device's range (when measured), every block online in cp's zone and
 * memmap_on_memory as planned (where the kernel says and kmem can), no other
 * device with a size.  The plan's as_planned, and apply's verdict on the
 * system probed again after it.
 */
bool pp_cxl_layout_matches(const struct pp_cxl_region *c,
			   const struct pp_cxl_plan *cp);
/* Whether apply has anything to do to cp: known, and not as planned. */
static inline bool pp_cxl_plan_has_work(const struct pp_cxl_plan *cp)
{
	return !cp->unknown && !cp->as_planned;
}

/* c's dax device at [start, start + size), or NULL */
const struct pp_dax *pp_cxl_dax_at(const struct pp_cxl_region *c,
				   uint64_t start, uint64_t size);

/*
 * Where the kernel would place a 1-way ram region of f's free capacity
 * in its window, beside t's regions there, and how large it can be: 0
 * with start and size; -ENOSPC no 256 MiB fits (no free capacity or no
 * free HPA); -ENXIO the window's or a region's address is unknown.
 */
int pp_cxl_free_place(const struct pp_topology *t,
		      const struct pp_cxl_free *f, uint64_t *start,
		      uint64_t *size);

/*
 * Plan every region of t.  Returns 0 with a plan, or a negative errno with
 * a one-line reason in err and no plan: -EINVAL (e.g. --memmap=pmem on a
 * kernel that cannot, a --size that is not a whole number of memory
 * blocks, unknown addresses), -ENOMEM, -EDOM (an internal error).  A
 * --size larger than what fits is no error: the plan is what fits, and
 * plan->shortfall says so.
 */
int pp_plan_build(const struct pp_topology *t, const struct pp_plan_opts *o,
		  struct pp_plan *plan, char *err, size_t errlen);
void pp_plan_free(struct pp_plan *plan);

/*
 * The core, exposed for the brute-force oracle in the tests: the best
 * single kmem namespace inside the free extent [f0, f1), whose bounds and
 * every namespace start and size are multiples of gran from the region
 * start, with at most max_blocks memory blocks.  Bytes before it become a
 * spacer (>= 16 MiB) or a filler, bytes after it a spacer when >= 16 MiB.
 */
struct pp_extent_choice {
	bool found;
	uint64_t start, size;		/* the kmem namespace */
	enum pp_map map;
	uint64_t align;
	uint64_t head;			/* [f0, start): spacer or filler */
	uint64_t tail;			/* [start + size, f1) */
	struct pp_ns_account acct;
	uint64_t kmem;
	uint64_t net;			/* ram_gain - dram_memmap of acct */
	uint64_t stranded;		/* of [f0, f1) */
	unsigned int nr_ops;
};
int pp_plan_extent(const struct pp_platform *p, uint64_t region_start,
		   uint64_t f0, uint64_t f1, uint64_t gran, uint64_t max_blocks,
		   bool mom, struct pp_extent_choice *out);

/* Stranded bytes of a spacer-or-tail piece: usable iff >= 16 MiB. */
static inline uint64_t pp_piece_stranded(uint64_t bytes)
{
	return bytes >= PP_MIN_DAX_NAMESPACE ? 0 : bytes;
}

/*
 * The one spelling of each operation, role and zone (names.c): plan
 * printouts, JSON and apply's step descriptions all use these.
 */
const char *pp_op_name(enum pp_op_kind k);
const char *pp_role_name(enum pp_role r);
const char *pp_zone_name(enum pp_zone z);

/* Whether name is one of list[0..n), e.g. a --reconfigure or --replace. */
bool pp_name_listed(const char *const *list, unsigned int n,
		    const char *name);

#endif /* PMEMPLAN_PLAN_H */
