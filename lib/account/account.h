/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where every byte of pmem goes today: per namespace and per region, kmem
 * measured (the kernel has it as System RAM) or predicted (the model), the
 * loss split by cause, struct-page DRAM.  Pure: topology in, report out.
 */
#ifndef PMEMPLAN_ACCOUNT_H
#define PMEMPLAN_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include "model/model.h"
#include "topology/topology.h"

enum pp_kmem_source {
	PP_KMEM_UNKNOWN = 0,	/* addresses not readable (non-root) */
	PP_KMEM_PREDICTED,
	PP_KMEM_MEASURED,
};

struct pp_loss {
	uint64_t info_block;	/* info block and its alignment padding */
	uint64_t memmap;	/* map=dev struct-page reserve */
	uint64_t head_gap;	/* before the first memory block */
	uint64_t tail_gap;	/* after the last memory block */
	uint64_t end_trunc;	/* cut by nd_pfn_init() to the alignment */
	/* all of it: no info block fits (nd_pfn_init()), or the kernel
	 * refuses the one on the media (nd_pfn_validate(), a what-if) */
	uint64_t refused;
	uint64_t total;
};

#define PP_NS_MAX_VIOLATIONS 4

struct pp_ns_report {
	const struct pp_namespace *ns;
	enum pp_map map;		/* used for the prediction */
	uint64_t align;			/* likewise */
	bool assumed;			/* map/align are ndctl's defaults */
	bool active;			/* dax device bound to kmem */
	bool mom;			/* dax memmap_on_memory set */
	struct pp_ns_account pred;
	enum pp_kmem_source source;
	uint64_t kmem_start, kmem_end, blocks, bytes;
	struct pp_loss loss;
	uint64_t ram_gain;		/* MemTotal growth */
	uint64_t dram_memmap;
	uint64_t net_gain;		/* ram_gain less dram_memmap */
	/* a what-if kernel refuses the info block on the media
	 * (nd_pfn_validate()'s message), or NULL */
	const char *refused;
	bool model_error;		/* the live kernel disagrees */
	char model_error_what[160];
	/*
	 * The rules its layout breaks (lib/model/constraints.c): one the
	 * kernel oopses on (device_dax's compound pages), one it refuses,
	 * or one ndctl create-namespace refuses.  devdax and fsdax only.
	 */
	struct pp_violation viol[PP_NS_MAX_VIOLATIONS];
	unsigned int nr_viol;
	/* what an apply cut off before it finished left here, and what the
	 * next apply does with it; NULL for anything else */
	const char *interrupted;
};

struct pp_region_report {
	const struct pp_region *r;
	struct pp_ns_report *ns;	/* r->nr_ns entries */
	struct pp_extent *free;		/* usable free extents */
	unsigned int nr_free;
	bool addresses;			/* region and namespace starts known */
	uint64_t capacity;
	uint64_t bound;
	uint64_t kmem;			/* hot-plugged now */
	uint64_t kmem_ready;		/* devdax namespaces, if bound */
	uint64_t free_bytes;
	uint64_t usable;		/* in namespaces that stay usable */
	uint64_t other_modes;		/* of which not devdax */
	uint64_t stranded;
	uint64_t yield;			/* what the free space could add */
	uint64_t dram_memmap;
	uint64_t ram_gain;		/* of the kmem hot-plugged now */
	uint64_t net_gain;		/* ram_gain less dram_memmap */
	struct pp_loss loss;		/* of kmem namespaces */
};

/*
 * A dax device of a CXL ram region.  acc is what a devdax namespace's
 * report holds, without the namespace (acc.ns NULL, no info block):
 * measured where kmem holds it, predicted (as if bound) otherwise.
 */
struct pp_cxl_dax_report {
	const struct pp_dax *d;
	struct pp_ns_report acc;
	uint64_t mom_bytes;		/* hot-plugged bytes holding memmap */
};

/*
 * A CXL region.  For a ram region: what kmem holds now, what it would
 * hold with every dax device bound, the bound (one device over the whole
 * region, the kernel's default: its block-aligned middle), and every byte
 * lost if all were bound, by cause.
 */
struct pp_cxl_report {
	const struct pp_cxl_region *c;
	struct pp_cxl_dax_report *dax;	/* c->nr_dax entries */
	bool addresses;			/* region and dax starts known */
	enum pp_kmem_source source;	/* measured if any device is */
	uint64_t capacity, bound, kmem, kmem_if_bound;
	uint64_t head_gap, tail_gap, mom_bytes;
	uint64_t unassigned;		/* in no dax device */
	uint64_t lost;			/* all of the above */
	uint64_t ram_gain, dram_memmap;
	uint64_t window_head;		/* window start to the first block */
	bool model_error;
};

struct pp_report {
	struct pp_region_report *regions;
	unsigned int nr_regions;
	struct pp_cxl_report *cxl;
	unsigned int nr_cxl;
	uint64_t capacity, kmem, bound, stranded, dram_memmap, free_bytes;
	uint64_t usable, yield, ram_gain, net_gain;
	/* kmem: hot-plugged now; kmem_ready: once every devdax namespace
	 * is bound to kmem (measured where bound, predicted elsewhere) */
	uint64_t kmem_ready;
	bool model_error;
	unsigned int nr_unsafe;		/* namespaces breaking a rule */
};

int pp_report_build(const struct pp_topology *t, struct pp_report *rep);

/*
 * One existing namespace as the kernel takes it, into nr (zeroed by the
 * caller): its kmem measured where kmem holds it, else predicted from the
 * dax device there is and the info block on its media (a what-if kernel
 * keeps the data offset, or refuses the block as nd_pfn_validate() would:
 * nr->refused), the loss by cause and the struct-page cost.  Shared by
 * the report and by the planner for the namespaces a plan keeps.
 */
void pp_account_existing_ns(const struct pp_platform *p,
			    const struct pp_namespace *ns,
			    struct pp_ns_report *nr);
/*
 * The rules (lib/model/constraints.c) an existing devdax or fsdax
 * namespace of r breaks, into nr->viol, after pp_account_existing_ns().
 */
void pp_account_ns_rules(const struct pp_platform *p,
			 const struct pp_region *r,
			 const struct pp_namespace *ns, struct pp_ns_report *nr);
void pp_report_free(struct pp_report *rep);

/*
 * The free extents of a labelled region at its own alignment, each at
 * least 16 MiB (smaller holes are stranded); none when a start is unknown.
 */
int pp_region_free_extents(const struct pp_region *r, struct pp_extent **out,
			   unsigned int *nr);

#endif /* PMEMPLAN_ACCOUNT_H */
