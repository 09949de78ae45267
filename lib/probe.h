/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live topology, through libndctl, libdaxctl, sysfs and /proc.  One of
 * the two files that touch the system (the other is apply.c).
 */
#ifndef PMEMPLAN_PROBE_H
#define PMEMPLAN_PROBE_H

#include "topology.h"

/*
 * Fill t from the running system.  Facts that cannot be read (non-root,
 * old kernel, missing module) are left unknown and explained with
 * pp_topology_note().  Returns 0, or a negative errno when libndctl or
 * libdaxctl cannot be initialised at all.  No pmem is not an error: the
 * topology simply has no regions.
 */
int pp_probe(struct pp_topology *t);

/* The platform facts alone (uname, sysfs, /proc): used by pp_probe(). */
int pp_probe_platform(struct pp_platform *p, struct pp_topology *t);

#endif /* PMEMPLAN_PROBE_H */
