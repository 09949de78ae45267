/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an apply run did: every namespace it made or bound, predicted
 * beside measured, and how the run ended.  Plain data, filled by
 * pp_apply_run() (lib/apply/) and printed by the core's apply report
 * (lib/output/apply_output.h), so it includes no system header.
 */
#ifndef PMEMPLAN_APPLY_RESULT_H
#define PMEMPLAN_APPLY_RESULT_H

#include <stdbool.h>
#include <stdint.h>
#include "planner/planner.h"
#include "topology/topology.h"

/* Predicted beside measured, for one namespace apply made or bound. */
struct pp_apply_values {
	uint64_t start;			/* namespace resource */
	uint64_t dataoff;		/* dax/pfn data start - start */
	uint64_t dax_start, dax_end;	/* device-dax range [start, end) */
	uint64_t kmem_start, kmem_end;	/* System RAM (kmem), [start, end) */
	uint64_t blocks;
	uint64_t online;		/* online blocks (measured only) */
};

struct pp_apply_ns {
	char region[PP_NAME_MAX];
	char dev[PP_NAME_MAX];		/* namespaceX.Y */
	char dax[PP_NAME_MAX];		/* dax-bus device, kmem only */
	char uuid[40];			/* the namespace's, or "" (io) */
	char claim_uuid[40];		/* its dax/pfn info block's, or "" */
	enum pp_role role;
	enum pp_ns_mode mode;
	enum pp_map map;
	uint64_t align;
	uint64_t size;
	bool created;			/* new namespace (else reconfigured
					 * or an interrupted apply's) */
	bool kmem;			/* bound to kmem by this apply */
	bool mom;			/* memmap_on_memory written */
	enum pp_zone zone;
	char zone_seen[16];		/* valid_zones: "Movable", "Normal" */
	struct pp_apply_values predicted, measured;
	bool verified;
};

/*
 * A CXL ram region apply divided (lib/apply/cxl.c): its dax devices as
 * made, and MemTotal around binding the kmem one beside the prediction.
 */
struct pp_apply_cxl {
	char region[PP_NAME_MAX];	/* "region0" of the cxl bus */
	char dev[3][PP_NAME_MAX];	/* the plan's devices, in its order */
	unsigned int nr_dev;
	uint64_t ram_gain_predicted;	/* of binding the kmem device */
	uint64_t mem_total_unbound;	/* MemTotal with no device bound */
	uint64_t mem_total_bound;	/* and after binding, bytes */
	bool done;			/* made and verified */
};

struct pp_apply_result {
	struct pp_apply_ns *ns;
	unsigned int nr_ns;
	struct pp_apply_cxl *cxl;
	unsigned int nr_cxl;
	unsigned int steps;		/* steps begun */
	unsigned int ops;		/* plan operations completed */
	bool refused;			/* stopped for safety: exit 3 */
	bool rolled_back;		/* everything done was undone */
	char error[320];		/* "region0: create-namespace ...: why" */
	char rollback_error[320];	/* what could not be undone */
	char note[200];			/* what rollback cannot show yet */
	char policy[24];		/* auto_online_blocks as found */
	bool policy_switched;		/* written "offline" for a while */
	uint64_t mem_total_before;	/* MemTotal, bytes */
	uint64_t mem_total_after;
	uint64_t ram_gain_predicted;	/* of what this apply bound */
	uint64_t dram_memmap_predicted;	/* its struct pages in DRAM */
};

#endif /* PMEMPLAN_APPLY_RESULT_H */
