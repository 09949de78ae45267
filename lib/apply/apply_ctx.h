/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of lib/apply/ share: the context of one run (the library
 * handles, the plan, the result being filled, the undo journal), the step
 * bookkeeping every change goes through, and each file's entry points.
 * Private to lib/apply/; the interface is apply/apply.h.
 *
 * libndctl frees its objects on delete and on region disable, so nothing
 * is held across steps: regions, namespaces and claims are looked up again
 * by their libnvdimm device name each time (lookup.c).
 */
#ifndef PMEMPLAN_APPLY_CTX_H
#define PMEMPLAN_APPLY_CTX_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <uuid/uuid.h>
#include <ndctl/libndctl.h>
#include <daxctl/libdaxctl.h>
#include "apply/apply.h"
#include "system/paths.h"


/* ndctl zero_info_block(): the info block lives in the first 8 KiB */
#define INFO_BLOCK_SIZE	8192

/* ------------------------------------------------------------------ */
/* The context and the undo journal (journal.c)                        */
/* ------------------------------------------------------------------ */

enum undo_kind {
	U_REGION_TIDY,		/* cycle an empty region: fresh seeds */
	U_LABELS,		/* write the saved label areas back */
	U_REGION_ALIGN,		/* write the old region align */
	U_NS_DESTROYED,		/* re-create / re-enable a namespace */
	U_NS_RECONF,		/* first 8 KiB, enforce mode, enabled */
	U_NS_CREATED,		/* delete a namespace we configured */
	U_CLAIM,		/* remove a dax/pfn claim */
	U_MOM,			/* old memmap_on_memory */
	U_POLICY,		/* old auto_online_blocks */
	U_KMEM,			/* offline, unbind kmem, devdax again */
	U_CXL,			/* a CXL ram region's dax devices back */
};

struct label_backup {
	char dimm[PP_NAME_MAX];
	void *data;
	size_t size;
};

struct undo {
	enum undo_kind kind;
	char region[PP_NAME_MAX];
	char dev[PP_NAME_MAX];		/* namespace or claim device */
	bool pfn;			/* U_CLAIM: a pfn, not a dax */
	uint64_t value;			/* U_REGION_ALIGN, U_MOM */
	char policy[24];		/* U_POLICY */
	/* U_NS_DESTROYED, U_NS_RECONF, U_KMEM */
	enum ndctl_namespace_mode enforce;
	bool was_enabled;
	bool was_kmem;
	void *info;			/* saved first 8 KiB */
	uuid_t uuid;
	char name[64];
	uint64_t size, start;
	unsigned int sector;
	/* U_LABELS */
	struct label_backup *labels;
	unsigned int nr_labels;
	/* U_CXL: the region as probed, its dax devices as they were */
	const struct pp_cxl_region *cxl;
};

struct apply_ctx {
	struct ndctl_ctx *ctx;
	struct daxctl_ctx *dctx;
	const struct pp_topology *t;
	const struct pp_plan *plan;
	const struct pp_apply_opts *o;
	struct pp_apply_result *res;
	struct undo *undo;
	unsigned int nr_undo, cap_undo;
	char desc[160];			/* the operation under way */
	bool injected;
	struct pp_apply_opts vo;	/* for -v: *o with t0 set */
	/* CXL (cxl.c): its own libdaxctl context, made again after each
	 * device is created (libdaxctl lists a region's devices once) */
	struct daxctl_ctx *cxl_dctx;
};

struct undo *apply_push_undo(struct apply_ctx *a, enum undo_kind kind,
			     const char *region, const char *dev);
void apply_free_undo(struct undo *u);
/* Undo the journal in reverse; stop at the first undo that fails. */
void apply_rollback(struct apply_ctx *a);

/* ------------------------------------------------------------------ */
/* Steps and failures (context.c)                                      */
/* ------------------------------------------------------------------ */

/* The signal that interrupted the run, 0 if none (run.c catches them). */
extern volatile sig_atomic_t apply_interrupted;
/* -vv: the libraries' own messages on stderr */
extern int apply_lib_verbose;

/*
 * Begin step number res->steps + 1.  The testing hook and a pending
 * signal make it fail before it changes anything.
 */
int apply_begin_step(struct apply_ctx *a, const char *what);
/* Record the failure of step "what" of the current operation; returns rc. */
int apply_fail(struct apply_ctx *a, const char *what, int rc);
/* Like apply_fail(), with our own words for why; returns rc. */
int apply_failf(struct apply_ctx *a, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A refusal for safety (exit 3): returns -EPERM. */
int apply_refuse(struct apply_ctx *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * One step: begin it, make the call, turn a negative result into a
 * recorded failure.  Calls that return a positive count on success (the
 * libraries have several) count as success.
 */
#define STEP(a, rc, what, call) do {					\
	(rc) = apply_begin_step((a), (what));				\
	if (!(rc))							\
		(rc) = (call);						\
	(rc) = (rc) < 0 ? apply_fail((a), (what), (rc)) : 0;		\
} while (0)

/*
 * A call made going forward as a STEP, or during a rollback (undoing) as
 * it is: no step, nothing recorded, the errno kept.
 */
#define APPLY_CALL(a, undoing, rc, what, call) do {			\
	if (undoing) {							\
		(rc) = (call);						\
		(rc) = (rc) < 0 ? (rc) : 0;				\
	} else {							\
		STEP((a), (rc), (what), (call));			\
	}								\
} while (0)

/* ------------------------------------------------------------------ */
/* Finding objects again (lookup.c)                                    */
/* ------------------------------------------------------------------ */

struct ndctl_region *apply_find_region(struct apply_ctx *a,
				       const char *name);
/* NULL when region is NULL */
struct ndctl_namespace *apply_find_ns(struct ndctl_region *region,
				      const char *name);
/* The namespace an undo entry is about, or NULL. */
struct ndctl_namespace *apply_undo_ns(struct apply_ctx *a,
				      const struct undo *u);
/* The dax-bus device of a devdax namespace (the one with a size). */
struct daxctl_dev *apply_ns_daxdev(struct ndctl_namespace *ndns);
/* The region has no namespace with a size (see lookup.c). */
bool apply_region_empty(struct ndctl_region *region);
/* The result record of a namespace (by dev, or the kmem one by start). */
struct pp_apply_ns *apply_find_rec(struct apply_ctx *a, const char *region,
				   const char *dev, uint64_t start);
/* A new record for namespace dev of region, as op plans it. */
struct pp_apply_ns *apply_add_rec(struct apply_ctx *a, const char *region,
				  const char *dev, const struct pp_op *op);

/* ------------------------------------------------------------------ */
/* What a namespace holds, checked just before changing it (check.c)   */
/* ------------------------------------------------------------------ */

/*
 * Refuse when ndns is in use, and, unless may_hold_data, when it holds an
 * info block or data; 0 when it may be changed.
 */
int apply_check_target(struct apply_ctx *a, struct ndctl_namespace *ndns,
		       bool may_hold_data);
/* The namespace op destroys or reconfigures (*ndns), found and checked. */
int apply_check_op_target(struct apply_ctx *a, struct ndctl_region *region,
			  const struct pp_op *op,
			  struct ndctl_namespace **ndns);

/* ------------------------------------------------------------------ */
/* Claims: the info block and the personality (claim.c)                */
/* ------------------------------------------------------------------ */

int apply_ns_head(struct ndctl_namespace *ndns, void *save, bool zero,
		  const void *restore);
int apply_set_enforce(struct ndctl_namespace *ndns,
		      enum ndctl_namespace_mode mode);
/* The prediction for a namespace with its info block as configured. */
void apply_predict(struct apply_ctx *a, struct pp_apply_ns *rec, bool mom);
int apply_setup_claim(struct apply_ctx *a, struct ndctl_region *region,
		      struct ndctl_namespace *ndns, const struct pp_op *op,
		      struct pp_apply_ns *rec);

/* ------------------------------------------------------------------ */
/* The operations and their undo                                       */
/* ------------------------------------------------------------------ */

/* labels.c */
int apply_op_init_labels(struct apply_ctx *a, struct ndctl_region *region);
int apply_undo_labels(struct apply_ctx *a, struct undo *u);

/* namespace.c */
int apply_op_region_align(struct apply_ctx *a, struct ndctl_region *region,
			  const struct pp_op *op);
int apply_op_destroy(struct apply_ctx *a, struct ndctl_region *region,
		     const struct pp_op *op);
int apply_op_create(struct apply_ctx *a, struct ndctl_region *region,
		    const struct pp_region_plan *rp, const struct pp_op *op);
int apply_op_reconfigure(struct apply_ctx *a, struct ndctl_region *region,
			 const struct pp_region_plan *rp,
			 const struct pp_op *op);
int apply_undo_claim(struct apply_ctx *a, struct undo *u);
int apply_undo_created(struct apply_ctx *a, struct undo *u);
int apply_undo_reconf(struct apply_ctx *a, struct undo *u);
int apply_undo_destroyed(struct apply_ctx *a, struct undo *u);

/* MemTotal in bytes, 0 when unreadable (run.c) */
uint64_t apply_mem_total(void);

/* kmem.c */
/* /sys/bus/dax/devices/daxX.Y/memmap_on_memory (6.8+) of dev */
void apply_mom_path(struct daxctl_dev *dev, char *path, size_t len);
int apply_op_mom(struct apply_ctx *a, struct ndctl_region *region,
		 const struct pp_region_plan *rp, const struct pp_op *op);
int apply_op_kmem(struct apply_ctx *a, struct ndctl_region *region,
		  const struct pp_region_plan *rp, const struct pp_op *op);
int apply_undo_kmem(struct apply_ctx *a, struct undo *u);
int apply_undo_mom(struct apply_ctx *a, struct undo *u);
/*
 * Bind dev to kmem under the auto-online policy (switched to "offline"
 * meanwhile) and, when online, online its blocks in zone; owner names
 * what it is for in the journal.  undoing: a rollback's call, no steps.
 */
int apply_bind_kmem(struct apply_ctx *a, const char *owner,
		    struct daxctl_dev *dev, uint64_t blocks,
		    enum pp_zone zone, bool online, bool undoing);

/* cxl.c: CXL ram regions */
int apply_preflight_cxl(struct apply_ctx *a, const struct pp_cxl_plan *cp);
int apply_cxl_region(struct apply_ctx *a, const struct pp_cxl_plan *cp);
int apply_undo_cxl(struct apply_ctx *a, struct undo *u);
void apply_cxl_done(struct apply_ctx *a);
/*
 * The System RAM (kmem) inside the dax device's range, from /proc/iomem:
 * 0 and [*ks, *ke), -ENOENT when there is none, another -errno.
 */
int apply_kmem_range(struct daxctl_dev *dev, uint64_t *ks, uint64_t *ke);

#endif /* PMEMPLAN_APPLY_CTX_H */
