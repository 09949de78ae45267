/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live topology, through libndctl, libdaxctl, sysfs and /proc.  One of
 * the two files that touch the system (the other is apply.c).
 */
#ifndef PMEMPLAN_PROBE_H
#define PMEMPLAN_PROBE_H

#include <stdint.h>
#include "topology/topology.h"

/*
 * Fill t from the running system.  Facts that cannot be read (non-root,
 * old kernel, missing module) are left unknown and explained with
 * pp_topology_note().  Returns 0, or a negative errno when libndctl or
 * libdaxctl cannot be initialised at all.  No pmem is not an error: the
 * topology simply has no regions.  On error t may be partly filled; the
 * caller frees it with pp_topology_free() either way.
 */
int pp_probe(struct pp_topology *t);

/* The platform facts alone (uname, sysfs, /proc): used by pp_probe().
 * t receives the notes and may be NULL. */
int pp_probe_platform(struct pp_platform *p, struct pp_topology *t);

/*
 * libndctl/libdaxctl logging, silent by default so that no library noise
 * reaches the user: 0 silent, 1 errors and notices, 2 info, 3 debug (the
 * -v count).  Messages go to stderr as "libndctl: function: text".  With
 * level 0 and NDCTL_LOG / DAXCTL_LOG set in the environment the libraries
 * keep their own logging, as with ndctl itself.  Call before pp_probe().
 */
void pp_probe_set_verbose(int level);

/*
 * What kmem hot-plugged of the device-dax range [dax_start, dax_end)
 * (exclusive end), from the text of /proc/iomem: the lowest start and the
 * highest end + 1 of the "System RAM" resources contained in that range
 * ("System RAM (kmem)" since v5.8, plain "System RAM" before).  Matching
 * by address containment, not by the "daxX.Y" parent's name, because the
 * libnvdimm dax device and the dax-bus device of the same name can be
 * different objects (kernel-model.md §13), because a device with several
 * ranges has several parents, and because the nesting depth differs
 * between kernels.  Returns 0 and sets *kstart, *kend (exclusive);
 * -ENOENT when nothing matches (not bound to kmem, or the all-zero
 * addresses a reader without CAP_SYS_ADMIN sees); -EINVAL on bad input.
 */
int pp_iomem_kmem_range(const char *iomem_text, uint64_t dax_start,
			uint64_t dax_end, uint64_t *kstart, uint64_t *kend);

#endif /* PMEMPLAN_PROBE_H */
