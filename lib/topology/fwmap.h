/* SPDX-License-Identifier: GPL-2.0 */
/* The firmware memory map (struct pp_fw_range): its one order. */
#ifndef PMEMPLAN_FWMAP_H
#define PMEMPLAN_FWMAP_H

#include "topology/topology.h"

/*
 * qsort() comparison of two struct pp_fw_range: by start, then end, then
 * type name.  The live probe sorts what readdir() of /sys/firmware/memmap
 * returns (name-hash order) with it, the snapshot reader what a document
 * lists, so that both give the same map.
 */
int pp_fw_range_cmp(const void *a, const void *b);

/* Sort a map of n entries into that order. */
void pp_fwmap_sort(struct pp_fw_range *v, unsigned int n);

#endif /* PMEMPLAN_FWMAP_H */
