/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to lib/probe/: the state one pp_probe() run carries from region
 * to namespace to dax device, and the functions that walk them.
 */
#ifndef PMEMPLAN_PROBE_STATE_H
#define PMEMPLAN_PROBE_STATE_H

#include <stdbool.h>
#include <ndctl/libndctl.h>
#include <daxctl/libdaxctl.h>
#include "topology/topology.h"
#include "util/util.h"

struct probe_state {
	struct pp_topology *t;
	char *iomem;		/* /proc/iomem, read on first need */
	bool iomem_tried;
	bool addr_hidden;	/* an address was unreadable for privilege */
	char no_dax_seed[PP_NAME_MAX];	/* first enabled region w/o seed */
	char label_unread[PP_NAME_MAX];	/* first label area not read */
	int verbose;		/* pp_probe_set_verbose(): libraries speak */
};

/* probe.c: "region10" after "region9" */
int pp_devname_cmp(const char *a, const char *b);

/* dax.c: /proc/iomem (under the sysroot), read on first need */
const char *pp_probe_iomem(struct probe_state *st);
bool pp_probe_kmem_span(struct probe_state *st, struct pp_dax *d,
			uint64_t *lo, uint64_t *hi);

/* cxl.c: every CXL region, ram regions with their dax devices */
int pp_probe_cxl(struct probe_state *st);
/* cxl.c: each CXL pmem region's nvdimm region, once both are probed */
void pp_probe_cxl_link(struct pp_topology *t);

/* region.c: one PMEM region, its alignments and its namespaces */
int pp_probe_region(struct probe_state *st, struct ndctl_region *region);

/* namespace.c: one namespace of r, with its claim and what it holds */
int pp_probe_namespace(struct probe_state *st, struct pp_region *r,
		       struct ndctl_namespace *ndns);

/* dax.c: the dax-bus device of a devdax namespace, and its kmem state */
int pp_probe_dax(struct probe_state *st, struct pp_namespace *ns,
		 struct ndctl_dax *ndax);

#endif /* PMEMPLAN_PROBE_STATE_H */
