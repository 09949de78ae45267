/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live topology, through libndctl, libdaxctl, sysfs and /proc
 * (lib/probe/: platform.c, region.c, namespace.c, dax.c, probe.c).
 */
#ifndef PMEMPLAN_PROBE_H
#define PMEMPLAN_PROBE_H

#include <stdint.h>
#include "parse/parse.h"	/* pp_iomem_kmem_range(), formerly here */
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
 * Read the platform facts and the memory blocks (/proc/meminfo,
 * /proc/iomem, /proc/pagetypeinfo, /sys/devices/system/memory, /sys/
 * module, /sys/kernel/mm, /sys/firmware/memmap, the node list) from the
 * tree dir instead, as lsmem --sysroot does; the kernel release, version
 * and architecture from dir/proc/sys/kernel/{osrelease,version,arch} and
 * the page size from the "KernelPageSize:" of dir/proc/self/smaps
 * (tests/sysroot/capture.sh makes such a tree).  Regions, namespaces and
 * dax devices still come from libndctl and libdaxctl, which read the real
 * /sys.  NULL, "" or "/": the running system.  Returns 0 or -errno
 * (-ENOENT, -ENOTDIR, -ENAMETOOLONG).  Call before pp_probe().
 */
int pp_probe_set_sysroot(const char *dir);

/*
 * libndctl/libdaxctl logging, silent by default so that no library noise
 * reaches the user: 0 silent, 1 errors and notices, 2 info, 3 debug (the
 * -v count).  Messages go to stderr as "libndctl: function: text".  With
 * level 0 and NDCTL_LOG / DAXCTL_LOG set in the environment the libraries
 * keep their own logging, as with ndctl itself.  Call before pp_probe().
 */
void pp_probe_set_verbose(int level);

#endif /* PMEMPLAN_PROBE_H */
