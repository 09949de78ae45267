/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What-if: show and plan a topology as if the platform were another one
 * (--block-size, --page-size, --arch, --kernel, --auto-online,
 * --memmap-on-memory), and keep only the
 * regions named with -r.  Pure transforms of a struct pp_topology, so that
 * the options fuzzer and the unit tests run them without the system.
 */
#ifndef PMEMPLAN_WHATIF_H
#define PMEMPLAN_WHATIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "topology/topology.h"

/* The facts a user overrides; 0 or NULL = as probed or read. */
struct pp_whatif {
	uint64_t block_size;
	uint64_t page_size;
	const char *arch;	/* a name pp_arch_from_name() knows */
	const char *kernel;	/* a release pp_parse_kver() accepts */
	const char *auto_online;	/* auto_online_blocks: "offline", ... */
	const char *memmap_on_memory;	/* the module parameter: N, Y, force */
};

/* Which what-if value pp_whatif_parse() reads. */
enum pp_whatif_key {
	PP_WHATIF_BLOCK_SIZE,
	PP_WHATIF_PAGE_SIZE,
	PP_WHATIF_ARCH,
	PP_WHATIF_KERNEL,
	PP_WHATIF_AUTO_ONLINE,
	PP_WHATIF_MEMMAP_ON_MEMORY,
};

/*
 * Check one what-if value (the text of --block-size=ARG and the like) and
 * store it in w; arch and kernel point into arg.  Returns 0, or -EINVAL /
 * -ERANGE with the message, naming the option, in err.
 */
int pp_whatif_parse(struct pp_whatif *w, enum pp_whatif_key key,
		    const char *arg, char *err, size_t errlen);

/* True when w overrides anything. */
bool pp_whatif_any(const struct pp_whatif *w);

/*
 * Replace the facts w names, derive again every fact that was derived
 * from the old ones (under --arch the auto-online policy too: the
 * target's build default, unless given), and forget the kmem ranges measured on the old
 * platform (with a note saying so).  Does nothing when w overrides
 * nothing.
 */
void pp_whatif_apply(struct pp_topology *t, const struct pp_whatif *w);

/*
 * Keep only the regions named (regionN or N; a CXL region of the cxl bus
 * as cxl/regionN or cxl/N), freeing the others, CXL ones included, and
 * the free CXL capacity (in no region).  n == 0 keeps them all.  Returns 0, -ENOENT for a name that is no region (the
 * message in err) or -ENOMEM.
 */
int pp_topology_keep_regions(struct pp_topology *t, const char *const *names,
			     unsigned int n, char *err, size_t errlen);

#endif /* PMEMPLAN_WHATIF_H */
