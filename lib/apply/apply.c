// SPDX-License-Identifier: GPL-2.0
/*
 * apply: execute a plan, verify it, undo it on failure.
 *
 * Every change to the system is one numbered step.  Before a step changes
 * anything, the way to take it back is recorded in an undo journal; a
 * failed step (the kernel refusing, a verification that does not match
 * the model, a signal, or the test hook) undoes the journal in reverse and
 * stops at the first undo that fails, saying what was left.  Undo actions
 * are written so that running one for a step that never happened is
 * harmless.
 *
 * The sequences follow ndctl 76.1 (ndctl/namespace.c setup_namespace(),
 * namespace_prep_reconfig(), zero_info_block(), enable_labels(),
 * namespace_destroy()) and daxctl (daxctl/device.c
 * reconfig_mode_system_ram()), through the same library calls; see
 * ../shared/reference/ndctl-notes.md §1.3-1.6 and §2.
 *
 * libndctl frees its objects on delete and on region disable, so nothing
 * is held across steps: regions, namespaces and claims are looked up again
 * by their libnvdimm device name each time, and a namespace's dax-bus
 * device only through the namespace (ndctl_namespace_get_dax() ->
 * ndctl_dax_get_daxctl_region()), never by name.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/ndctl.h>	/* ND_DEVICE_*: <ndctl/ndctl.h> needs ccan */
#include <ndctl/libndctl.h>
#include <daxctl/libdaxctl.h>
#include <libkmod.h>
#include <blkid.h>
#include "apply/apply.h"
#include "model/model.h"
#include "probe/probe.h"
#include "system/sysfs.h"

#define SYS_MEMORY	"/sys/devices/system/memory"
#define AUTO_ONLINE	SYS_MEMORY "/auto_online_blocks"
#define SYS_DAX_DEVICES	"/sys/bus/dax/devices"
#define SYS_ND_DEVICES	"/sys/bus/nd/devices"

/* ndctl zero_info_block(): the info block lives in the first 8 KiB */
#define INFO_BLOCK_SIZE	8192

#define ATTR_MAX	4096

static volatile sig_atomic_t interrupted;

/* ------------------------------------------------------------------ */
/* Small readers and writers                                           */
/* ------------------------------------------------------------------ */





/* MemTotal in bytes, 0 when unreadable */
static uint64_t mem_total(void)
{
	unsigned long long kb;
	char *text, *s;
	int err;

	text = pp_read_text("/proc/meminfo", &err);
	if (!text)
		return 0;
	s = strstr(text, "MemTotal:");
	if (!s || sscanf(s + 9, "%llu", &kb) != 1)
		kb = 0;
	free(text);
	return (uint64_t)kb * 1024;
}

/* ------------------------------------------------------------------ */
/* Library logging: silent unless -vv, like probe.c                    */
/* ------------------------------------------------------------------ */

static int lib_verbose;

static void nd_log(struct ndctl_ctx *ctx, int priority, const char *file,
		   int line, const char *fn, const char *format, va_list args)
	__attribute__((format(printf, 6, 0)));

static void nd_log(struct ndctl_ctx *ctx, int priority, const char *file,
		   int line, const char *fn, const char *format, va_list args)
{
	(void)ctx;
	(void)priority;
	(void)file;
	(void)line;
	if (lib_verbose) {
		fprintf(stderr, "libndctl: %s: ", fn);
		vfprintf(stderr, format, args);
	}
}

static void dax_log(struct daxctl_ctx *ctx, int priority, const char *file,
		    int line, const char *fn, const char *format,
		    va_list args) __attribute__((format(printf, 6, 0)));

static void dax_log(struct daxctl_ctx *ctx, int priority, const char *file,
		    int line, const char *fn, const char *format,
		    va_list args)
{
	(void)ctx;
	(void)priority;
	(void)file;
	(void)line;
	if (lib_verbose) {
		fprintf(stderr, "libdaxctl: %s: ", fn);
		vfprintf(stderr, format, args);
	}
}

/* ------------------------------------------------------------------ */
/* The plan, without I/O                                               */
/* ------------------------------------------------------------------ */

bool pp_plan_has_ops(const struct pp_plan *plan)
{
	unsigned int i;

	for (i = 0; i < plan->nr_regions; i++)
		if (plan->regions[i].nr_ops)
			return true;
	return false;
}

static bool named(const char *const *list, unsigned int n, const char *dev)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], dev))
			return true;
	return false;
}

int pp_apply_consent(const struct pp_plan *plan,
		     const struct pp_apply_opts *o, char *err, size_t errlen)
{
	unsigned int i, j;

	for (i = 0; i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];

		for (j = 0; j < rp->nr_ops; j++) {
			const struct pp_op *op = &rp->ops[j];

			if (op->kind == PP_OP_INIT_LABELS && !o->force) {
				snprintf(err, errlen,
					 "%s: initialising labels erases the label area; run with --force",
					 rp->r->dev);
				return -EPERM;
			}
			if (!op->destructive || o->force)
				continue;
			if (op->kind == PP_OP_DESTROY &&
			    !named(o->replace, o->nr_replace, op->dev)) {
				snprintf(err, errlen,
					 "%s: destroying %s erases what it holds; name it with --replace=%s or run with --force",
					 rp->r->dev, op->dev, op->dev);
				return -EPERM;
			}
			if (op->kind == PP_OP_RECONFIGURE &&
			    !named(o->reconfigure, o->nr_reconfigure,
				   op->dev)) {
				snprintf(err, errlen,
					 "%s: reconfiguring %s erases what it holds; name it with --reconfigure=%s or run with --force",
					 rp->r->dev, op->dev, op->dev);
				return -EPERM;
			}
		}
	}
	return 0;
}

static bool plan_touches(const struct pp_region_plan *rp, const char *dev)
{
	unsigned int i;

	for (i = 0; i < rp->nr_ops; i++)
		if (!strcmp(rp->ops[i].dev, dev))
			return true;
	return false;
}

/* Insert n operations at the front of rp's list. */
static int prepend_ops(struct pp_region_plan *rp, const struct pp_op *ops,
		       unsigned int n)
{
	struct pp_op *v = malloc((rp->nr_ops + n) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	memcpy(v, ops, n * sizeof(*v));
	if (rp->nr_ops)
		memcpy(v + n, rp->ops, rp->nr_ops * sizeof(*v));
	free(rp->ops);
	rp->ops = v;
	rp->nr_ops += n;
	return 0;
}

int pp_apply_complete(const struct pp_topology *t, struct pp_plan *plan,
		      enum pp_zone zone)
{
	const struct pp_platform *p = &t->plat;
	unsigned int i, j, done = 0;

	for (i = 0; i < plan->nr_regions; i++) {
		struct pp_region_plan *rp = &plan->regions[i];
		const struct pp_region *r = rp->r;

		for (j = 0; j < r->nr_ns; j++) {
			const struct pp_namespace *ns = &r->ns[j];
			const struct pp_dax *d = ns->dax;
			struct pp_op ops[2];
			struct pp_ns_account a;
			unsigned int n = 0, k;
			uint64_t bytes;

			if (strcmp(ns->name, PP_APPLY_NAME_KMEM) ||
			    ns->mode != PP_MODE_DEVDAX || !d ||
			    ns->start == PP_UNKNOWN || ns->map == PP_MAP_NONE ||
			    ns->align == PP_UNKNOWN ||
			    plan_touches(rp, ns->dev))
				continue;
			/* bound with every block offline: only onlining left */
			if (d->mode == PP_DAX_SYSTEM_RAM &&
			    (d->online_blocks != 0 || !d->total_blocks ||
			     d->total_blocks == PP_UNKNOWN))
				continue;
			pp_account_namespace(p, ns->start, ns->size, ns->map,
					     ns->align, rp->mom, &a);
			if (a.pfn_err || a.kmem_err)
				continue;
			if (plan->dram_budget &&
			    plan->predicted.dram_memmap + a.dram_memmap >
			    plan->dram_budget)
				continue;
			memset(ops, 0, sizeof(ops));
			if (rp->mom && d->mode != PP_DAX_SYSTEM_RAM &&
			    d->memmap_on_memory == 0)
				ops[n++].kind = PP_OP_MEMMAP_ON_MEMORY;
			ops[n++].kind = PP_OP_KMEM;
			for (k = 0; k < n; k++) {
				pp_strscpy(ops[k].dev, sizeof(ops[k].dev),
					 ns->dev);
				ops[k].role = PP_ROLE_KMEM;
				ops[k].start = ns->start;
				ops[k].size = ns->size;
				ops[k].mode = PP_MODE_DEVDAX;
				ops[k].map = ns->map;
				ops[k].align = ns->align;
				ops[k].zone = zone;
			}
			if (prepend_ops(rp, ops, n))
				return -ENOMEM;
			/* the planner counted it as usable pmem */
			bytes = a.kmem.end - a.kmem.start;
			if (ns->size >= PP_MIN_DAX_NAMESPACE) {
				rp->predicted.usable -= ns->size;
				plan->predicted.usable -= ns->size;
			} else {
				rp->predicted.stranded -= ns->size;
				plan->predicted.stranded -= ns->size;
			}
			rp->predicted.kmem += bytes;
			rp->predicted.blocks += a.kmem.blocks;
			rp->predicted.stranded += ns->size - bytes;
			rp->predicted.ram_gain += a.ram_gain;
			rp->predicted.dram_memmap += a.dram_memmap;
			plan->predicted.kmem += bytes;
			plan->predicted.blocks += a.kmem.blocks;
			plan->predicted.stranded += ns->size - bytes;
			plan->predicted.ram_gain += a.ram_gain;
			plan->predicted.dram_memmap += a.dram_memmap;
			done++;
		}
	}
	return (int)done;
}

/* ------------------------------------------------------------------ */
/* The undo journal                                                     */
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
};

struct actx {
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
	struct timespec t0;		/* for -v: seconds since the start */
};

static void free_undo(struct undo *u)
{
	unsigned int i;

	free(u->info);
	for (i = 0; i < u->nr_labels; i++)
		free(u->labels[i].data);
	free(u->labels);
}

static struct undo *push_undo(struct actx *a, enum undo_kind kind,
			      const char *region, const char *dev)
{
	struct undo *u;

	if (a->nr_undo == a->cap_undo) {
		unsigned int cap = a->cap_undo ? 2 * a->cap_undo : 16;

		u = realloc(a->undo, cap * sizeof(*u));
		if (!u)
			return NULL;
		a->undo = u;
		a->cap_undo = cap;
	}
	u = &a->undo[a->nr_undo++];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	pp_strscpy(u->region, sizeof(u->region), region);
	pp_strscpy(u->dev, sizeof(u->dev), dev);
	return u;
}

/* ------------------------------------------------------------------ */
/* Steps and failures                                                  */
/* ------------------------------------------------------------------ */

/* Record the failure of step "what" of the current operation. */
static int fail(struct actx *a, const char *what, int rc)
{
	struct pp_apply_result *res = a->res;

	if (res->error[0])
		return rc;
	if (a->injected)
		snprintf(res->error, sizeof(res->error),
			 "%s: %s: injected failure (PMEMPLAN_TEST_FAIL_STEP=%u)",
			 a->desc, what, a->o->fail_step);
	else if (rc == -EINTR)
		snprintf(res->error, sizeof(res->error),
			 "%s: %s: interrupted by signal %d", a->desc, what,
			 (int)interrupted);
	else
		snprintf(res->error, sizeof(res->error), "%s: %s: %s",
			 a->desc, what, strerror(-rc));
	return rc;
}

/* Like fail(), with our own words for why. */
static int failf(struct actx *a, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int failf(struct actx *a, int rc, const char *fmt, ...)
{
	struct pp_apply_result *res = a->res;
	size_t n;
	va_list ap;

	if (res->error[0])
		return rc;
	snprintf(res->error, sizeof(res->error), "%s: ", a->desc);
	n = strlen(res->error);
	va_start(ap, fmt);
	vsnprintf(res->error + n, sizeof(res->error) - n, fmt, ap);
	va_end(ap);
	return rc;
}

/* A refusal for safety: exit 3. */
static int refuse(struct actx *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int refuse(struct actx *a, const char *fmt, ...)
{
	struct pp_apply_result *res = a->res;
	size_t n;
	va_list ap;

	res->refused = true;
	if (res->error[0])
		return -EPERM;
	snprintf(res->error, sizeof(res->error), "%s: ", a->desc);
	n = strlen(res->error);
	va_start(ap, fmt);
	vsnprintf(res->error + n, sizeof(res->error) - n, fmt, ap);
	va_end(ap);
	return -EPERM;
}

/*
 * Begin step number res->steps + 1.  The testing hook and a pending
 * signal make it fail before it changes anything.
 */
static int begin_step(struct actx *a, const char *what)
{
	unsigned int n = ++a->res->steps;
	struct timespec now;

	if (a->o->verbose) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		fprintf(stderr, "pmemplan: apply: %.3f s: step %u: %s: %s\n",
			(double)(now.tv_sec - a->t0.tv_sec) +
			(double)(now.tv_nsec - a->t0.tv_nsec) / 1e9, n,
			a->desc, what);
	}
	if (interrupted)
		return -EINTR;
	if (a->o->fail_step && n == a->o->fail_step) {
		a->injected = true;
		return -EIO;
	}
	return 0;
}

/*
 * One step: begin it, make the call, turn a negative result into a
 * recorded failure.  Calls that return a positive count on success (the
 * libraries have several) count as success.
 */
#define STEP(a, rc, what, call) do {				\
	(rc) = begin_step((a), (what));				\
	if (!(rc))						\
		(rc) = (call);					\
	(rc) = (rc) < 0 ? fail((a), (what), (rc)) : 0;		\
} while (0)

/* ------------------------------------------------------------------ */
/* Finding objects again                                               */
/* ------------------------------------------------------------------ */

static struct ndctl_region *find_region(struct actx *a, const char *name)
{
	struct ndctl_region *region;
	struct ndctl_bus *bus;

	ndctl_bus_foreach(a->ctx, bus)
		ndctl_region_foreach(bus, region)
			if (!strcmp(ndctl_region_get_devname(region), name))
				return region;
	return NULL;
}

static struct ndctl_namespace *find_ns(struct ndctl_region *region,
				       const char *name)
{
	struct ndctl_namespace *ndns;

	if (!region)
		return NULL;
	ndctl_namespace_foreach(region, ndns)
		if (!strcmp(ndctl_namespace_get_devname(ndns), name))
			return ndns;
	return NULL;
}

static struct ndctl_namespace *find_ns_uuid(struct ndctl_region *region,
					    const uuid_t uu)
{
	struct ndctl_namespace *ndns;
	uuid_t cur;

	ndctl_namespace_foreach(region, ndns) {
		ndctl_namespace_get_uuid(ndns, cur);
		if (!uuid_compare(cur, uu))
			return ndns;
	}
	return NULL;
}

/* The dax-bus device of a devdax namespace (the one with a size). */
static struct daxctl_dev *ns_daxdev(struct ndctl_namespace *ndns)
{
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	struct daxctl_region *dregion;
	struct daxctl_dev *dev, *pick = NULL;

	if (!dax)
		return NULL;
	dregion = ndctl_dax_get_daxctl_region(dax);
	if (!dregion)
		return NULL;
	daxctl_dev_foreach(dregion, dev) {
		if (!pick)
			pick = dev;
		if (daxctl_dev_get_size(dev)) {
			pick = dev;
			break;
		}
	}
	return pick;
}

static struct pp_apply_ns *find_rec(struct actx *a, const char *region,
				    const char *dev, uint64_t start)
{
	unsigned int i;

	for (i = 0; i < a->res->nr_ns; i++) {
		struct pp_apply_ns *rec = &a->res->ns[i];

		if (strcmp(rec->region, region))
			continue;
		if (dev[0] ? !strcmp(rec->dev, dev) :
		    rec->role == PP_ROLE_KMEM && rec->predicted.start == start)
			return rec;
	}
	return NULL;
}

static struct pp_apply_ns *add_rec(struct actx *a, const char *region)
{
	struct pp_apply_result *res = a->res;
	struct pp_apply_ns *v = realloc(res->ns,
					(res->nr_ns + 1) * sizeof(*v));

	if (!v)
		return NULL;
	res->ns = v;
	v = &res->ns[res->nr_ns++];
	memset(v, 0, sizeof(*v));
	pp_strscpy(v->region, sizeof(v->region), region);
	return v;
}

/* ------------------------------------------------------------------ */
/* What a namespace holds, checked just before changing it             */
/* ------------------------------------------------------------------ */

static int bdev_busy(const char *bdev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/dev/%s", bdev);
	return pp_bdev_busy(path);
}

/* libblkid: a filesystem, LVM/RAID member or partition table, or "". */
static int bdev_signature(const char *bdev, char *sig, size_t len)
{
	char path[PATH_MAX];
	const char *v = "";
	blkid_probe pr;
	int rc;

	snprintf(path, sizeof(path), "/dev/%s", bdev);
	errno = 0;
	pr = blkid_new_probe_from_filename(path);
	if (!pr)
		return errno ? -errno : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	blkid_probe_enable_partitions(pr, 1);
	rc = blkid_do_safeprobe(pr);
	if (rc == 0 && blkid_probe_lookup_value(pr, "TYPE", &v, NULL) &&
	    blkid_probe_lookup_value(pr, "PTTYPE", &v, NULL))
		v = "";
	else if (rc == -2)
		v = "(ambivalent)";
	if (rc != -1)
		pp_strscpy(sig, len, v);
	blkid_free_probe(pr);
	return rc == -1 ? -EIO : 0;
}

/*
 * Just before a namespace is changed: refuse when it is in use (what
 * ndctl_namespace_disable_safe() refuses: its block device, or its
 * claim's, held exclusively -- mounted, a dm/md member, opened O_EXCL --
 * or its dax device online as System RAM), and, unless may_hold_data,
 * when it now holds an info block or a signature libblkid recognises.
 */
static int check_target(struct actx *a, struct ndctl_namespace *ndns,
			bool may_hold_data)
{
	const char *name = ndctl_namespace_get_devname(ndns);
	struct ndctl_pfn *pfn = ndctl_namespace_get_pfn(ndns);
	struct ndctl_btt *btt = ndctl_namespace_get_btt(ndns);
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	const char *bdev = NULL;
	char sig[32] = "";
	int rc;

	if (pfn && ndctl_pfn_is_enabled(pfn)) {
		bdev = ndctl_pfn_get_block_device(pfn);
	} else if (btt && ndctl_btt_is_enabled(btt)) {
		bdev = ndctl_btt_get_block_device(btt);
	} else if (dax && ndctl_dax_is_enabled(dax)) {
		struct daxctl_dev *dev = ns_daxdev(ndns);

		if (dev && daxctl_dev_has_online_memory(dev) > 0)
			return refuse(a, "%s is online as System RAM (%s); refusing",
				      name, daxctl_dev_get_devname(dev));
	} else if (ndctl_namespace_is_enabled(ndns)) {
		bdev = ndctl_namespace_get_block_device(ndns);
	}
	if (bdev && *bdev) {
		rc = bdev_busy(bdev);
		if (rc == 1)
			return refuse(a, "%s is in use (/dev/%s is mounted or held open); refusing",
				      name, bdev);
		if (rc < 0)
			return refuse(a, "%s: cannot tell whether /dev/%s is in use: %s; refusing",
				      name, bdev, strerror(-rc));
	}
	if (may_hold_data)
		return 0;
	if (pfn || btt || dax)
		return refuse(a, "%s now holds an info block (%s); name it with --replace/--reconfigure or run with --force",
			      name, pfn ? "fsdax" : btt ? "sector" : "devdax");
	if (bdev && *bdev) {
		rc = bdev_signature(bdev, sig, sizeof(sig));
		if (rc)
			return refuse(a, "%s: cannot read /dev/%s to look for data: %s; refusing",
				      name, bdev, strerror(-rc));
		if (sig[0])
			return refuse(a, "%s now holds data (%s signature on /dev/%s); name it with --replace/--reconfigure or run with --force",
				      name, sig, bdev);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Kernel modules                                                      */
/* ------------------------------------------------------------------ */

/*
 * nd_pmem (namespaces), dax_pmem (nd dax -> dax bus), device_dax and kmem,
 * through libkmod as libdaxctl does (daxctl_insert_kmod_for_mode()); a
 * driver built into the kernel needs nothing.
 */
static int load_modules(struct actx *a)
{
	static const char *const mods[] = {
		"nd_pmem", "dax_pmem", "device_dax", "kmem",
	};
	struct kmod_module *mod;
	struct kmod_ctx *kctx;
	unsigned int i;
	int rc = 0, state;

	kctx = kmod_new(NULL, NULL);
	if (!kctx)
		return failf(a, -ENOMEM, "cannot initialise libkmod");
	for (i = 0; !rc && i < sizeof(mods) / sizeof(mods[0]); i++) {
		rc = kmod_module_new_from_name(kctx, mods[i], &mod);
		if (rc < 0) {
			rc = failf(a, rc, "%s: %s", mods[i], strerror(-rc));
			break;
		}
		state = kmod_module_get_initstate(mod);
		if (state == KMOD_MODULE_BUILTIN || state == KMOD_MODULE_LIVE) {
			kmod_module_unref(mod);
			continue;
		}
		rc = kmod_module_probe_insert_module(mod,
				KMOD_PROBE_APPLY_BLACKLIST, NULL, NULL, NULL,
				NULL);
		kmod_module_unref(mod);
		if (rc < 0)
			rc = failf(a, rc, "%s: %s", mods[i],
				   rc == -ENOENT ? "no such module" :
				   strerror(-rc));
		else
			rc = 0;
	}
	kmod_unref(kctx);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Namespace building blocks                                            */
/* ------------------------------------------------------------------ */

/*
 * ndctl zero_info_block(): enable the namespace in raw mode (force_raw),
 * open its block device O_RDWR|O_DIRECT|O_EXCL and read the first 8 KiB
 * into save; write zeros there when they are not zero already (zero), or
 * write restore back; disable it again.
 */
static int ns_head(struct ndctl_namespace *ndns, void *save, bool zero,
		   const void *restore)
{
	const char *bdev;
	char path[PATH_MAX];
	void *buf = NULL, *zeros = NULL;
	ssize_t n;
	int fd, rc;

	rc = ndctl_namespace_set_raw_mode(ndns, 1);
	if (rc < 0)
		return rc;
	rc = ndctl_namespace_enable(ndns);
	if (rc < 0)
		goto out_raw;
	bdev = ndctl_namespace_get_block_device(ndns);
	if (!bdev || !*bdev) {
		rc = -ENXIO;
		goto out_disable;
	}
	if (posix_memalign(&buf, 4096, INFO_BLOCK_SIZE) ||
	    posix_memalign(&zeros, 4096, INFO_BLOCK_SIZE)) {
		rc = -ENOMEM;
		goto out_disable;
	}
	memset(zeros, 0, INFO_BLOCK_SIZE);
	snprintf(path, sizeof(path), "/dev/%s", bdev);
	fd = open(path, O_RDWR | O_DIRECT | O_EXCL | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out_disable;
	}
	n = pread(fd, buf, INFO_BLOCK_SIZE, 0);
	if (n != INFO_BLOCK_SIZE) {
		rc = n < 0 ? -errno : -EIO;
		goto out_close;
	}
	if (save)
		memcpy(save, buf, INFO_BLOCK_SIZE);
	rc = 0;
	n = INFO_BLOCK_SIZE;
	if (restore && memcmp(buf, restore, INFO_BLOCK_SIZE)) {
		memcpy(buf, restore, INFO_BLOCK_SIZE);
		n = pwrite(fd, buf, INFO_BLOCK_SIZE, 0);
	} else if (zero && memcmp(buf, zeros, INFO_BLOCK_SIZE)) {
		n = pwrite(fd, zeros, INFO_BLOCK_SIZE, 0);
	}
	if (n != INFO_BLOCK_SIZE)
		rc = n < 0 ? -errno : -EIO;
	if (!rc && fsync(fd))
		rc = -errno;
out_close:
	close(fd);
out_disable:
	ndctl_namespace_disable(ndns);
out_raw:
	ndctl_namespace_set_raw_mode(ndns, 0);
	free(buf);
	free(zeros);
	return rc;
}

static enum ndctl_namespace_mode nd_mode(enum pp_ns_mode m)
{
	switch (m) {
	case PP_MODE_FSDAX:
		return NDCTL_NS_MODE_FSDAX;
	case PP_MODE_DEVDAX:
		return NDCTL_NS_MODE_DEVDAX;
	case PP_MODE_SECTOR:
		return NDCTL_NS_MODE_SECTOR;
	default:
		return NDCTL_NS_MODE_RAW;
	}
}

/*
 * holder_class ("enforce mode"): ndctl ignores the result, and so must
 * we: for a label-less namespace the kernel takes the new class and then
 * fails the label update with ENXIO (namespace_devs.c
 * nd_namespace_label_update()), and kernels before 4.13 lack it.
 */
static int set_enforce(struct ndctl_namespace *ndns,
		       enum ndctl_namespace_mode mode)
{
	ndctl_namespace_set_enforce_mode(ndns, mode);
	return 0;
}

static enum ndctl_pfn_loc nd_loc(enum pp_map map)
{
	return map == PP_MAP_MEM ? NDCTL_PFN_LOC_RAM : NDCTL_PFN_LOC_PMEM;
}

static const char *role_name(enum pp_role role)
{
	switch (role) {
	case PP_ROLE_KMEM:
		return PP_APPLY_NAME_KMEM;
	case PP_ROLE_SPACER:
		return PP_APPLY_NAME_SPACER;
	case PP_ROLE_FILLER:
		return PP_APPLY_NAME_FILLER;
	default:
		return PP_APPLY_NAME_LEFTOVER;
	}
}

/* The prediction for a namespace with its info block as configured. */
static void predict(struct actx *a, struct pp_apply_ns *rec, bool mom)
{
	struct pp_ns_account acct;

	pp_account_namespace(&a->t->plat, rec->predicted.start, rec->size,
			     rec->map, rec->align, mom, &acct);
	rec->predicted.dataoff = acct.pfn.dataoff;
	rec->predicted.dax_start = acct.dax_start;
	rec->predicted.dax_end = acct.dax_end;
	if (rec->role == PP_ROLE_KMEM && !acct.kmem_err) {
		rec->predicted.kmem_start = acct.kmem.start;
		rec->predicted.kmem_end = acct.kmem.end;
		rec->predicted.blocks = acct.kmem.blocks;
	}
}

/*
 * After the claim is enabled: the data offset (dax or pfn resource minus
 * the namespace start) and, for devdax, the dax-bus device's range must be
 * what nd_pfn_init() was predicted to write.
 */
static int verify_layout(struct actx *a, struct ndctl_namespace *ndns,
			 struct pp_apply_ns *rec)
{
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	struct ndctl_pfn *pfn = ndctl_namespace_get_pfn(ndns);
	unsigned long long res = ULLONG_MAX;
	struct daxctl_dev *dev;
	uuid_t uu;

	if (dax) {
		res = ndctl_dax_get_resource(dax);
		ndctl_dax_get_uuid(dax, uu);
		uuid_unparse(uu, rec->uuid);
	} else if (pfn) {
		res = ndctl_pfn_get_resource(pfn);
		ndctl_pfn_get_uuid(pfn, uu);
		uuid_unparse(uu, rec->uuid);
		/* the seed's default align when the plan set none */
		if (!rec->align && ndctl_pfn_get_align(pfn)) {
			rec->align = ndctl_pfn_get_align(pfn);
			predict(a, rec, false);
		}
	}
	if (res == ULLONG_MAX || res < rec->measured.start)
		return failf(a, -ENXIO, "verify: no data offset readable");
	rec->measured.dataoff = res - rec->measured.start;
	if (rec->measured.dataoff != rec->predicted.dataoff)
		return failf(a, -EDOM,
			     "verify: data offset %#llx, predicted %#llx",
			     (unsigned long long)rec->measured.dataoff,
			     (unsigned long long)rec->predicted.dataoff);
	if (!dax)
		return 0;
	dev = ns_daxdev(ndns);
	if (!dev)
		return failf(a, -ENXIO, "verify: %s has no dax device",
			     ndctl_namespace_get_devname(ndns));
	pp_strscpy(rec->dax, sizeof(rec->dax), daxctl_dev_get_devname(dev));
	rec->measured.dax_start = daxctl_dev_get_resource(dev);
	rec->measured.dax_end = rec->measured.dax_start +
				daxctl_dev_get_size(dev);
	if (rec->measured.dax_start != rec->predicted.dax_start ||
	    rec->measured.dax_end != rec->predicted.dax_end)
		return failf(a, -EDOM,
			     "verify: %s is %#llx-%#llx, predicted %#llx-%#llx",
			     rec->dax,
			     (unsigned long long)rec->measured.dax_start,
			     (unsigned long long)rec->measured.dax_end - 1,
			     (unsigned long long)rec->predicted.dax_start,
			     (unsigned long long)rec->predicted.dax_end - 1);
	return 0;
}

/*
 * The personality: setup_namespace() from "enforce mode" on.  devdax and
 * fsdax through the region's dax / pfn seed (uuid, location, align,
 * namespace, enable), raw by enabling the namespace itself.
 */
static int setup_claim(struct actx *a, struct ndctl_region *region,
		       struct ndctl_namespace *ndns, const struct pp_op *op,
		       struct pp_apply_ns *rec)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_dax *dax;
	struct ndctl_pfn *pfn;
	struct undo *u;
	uuid_t uu;
	int rc;

	STEP(a, rc, "enforce mode", set_enforce(ndns, nd_mode(op->mode)));
	if (rc)
		return rc;
	if (op->mode == PP_MODE_RAW) {
		STEP(a, rc, "enable", ndctl_namespace_enable(ndns));
		return rc;
	}
	uuid_generate(uu);
	if (op->mode == PP_MODE_DEVDAX) {
		dax = ndctl_region_get_dax_seed(region);
		if (!dax)
			return failf(a, -ENXIO, "no dax seed: kernel without devdax support?");
		u = push_undo(a, U_CLAIM, rname, ndctl_dax_get_devname(dax));
		if (!u)
			return fail(a, "journal", -ENOMEM);
		STEP(a, rc, "dax uuid", ndctl_dax_set_uuid(dax, uu));
		if (!rc)
			STEP(a, rc, "dax map",
			     ndctl_dax_set_location(dax, nd_loc(op->map)));
		if (!rc)
			STEP(a, rc, "dax align",
			     ndctl_dax_set_align(dax, op->align));
		if (!rc)
			STEP(a, rc, "dax namespace",
			     ndctl_dax_set_namespace(dax, ndns));
		if (!rc)
			STEP(a, rc, "enable devdax", ndctl_dax_enable(dax));
	} else {
		pfn = ndctl_region_get_pfn_seed(region);
		if (!pfn)
			return failf(a, -ENXIO, "no pfn seed: kernel without fsdax support?");
		u = push_undo(a, U_CLAIM, rname, ndctl_pfn_get_devname(pfn));
		if (!u)
			return fail(a, "journal", -ENOMEM);
		u->pfn = true;
		STEP(a, rc, "pfn uuid", ndctl_pfn_set_uuid(pfn, uu));
		if (!rc)
			STEP(a, rc, "pfn map",
			     ndctl_pfn_set_location(pfn, nd_loc(op->map)));
		if (!rc && op->align && ndctl_pfn_has_align(pfn))
			STEP(a, rc, "pfn align",
			     ndctl_pfn_set_align(pfn, op->align));
		if (!rc)
			STEP(a, rc, "pfn namespace",
			     ndctl_pfn_set_namespace(pfn, ndns));
		if (!rc)
			STEP(a, rc, "enable fsdax", ndctl_pfn_enable(pfn));
	}
	if (rc)
		return rc;
	STEP(a, rc, "verify data offset", 0);
	if (!rc)
		rc = verify_layout(a, ndns, rec);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Operations                                                          */
/* ------------------------------------------------------------------ */

static int op_region_align(struct actx *a, struct ndctl_region *region,
			   const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	unsigned long old = ndctl_region_get_align(region);
	struct undo *u;
	int rc;

	if (old == ULONG_MAX)
		return failf(a, -EOPNOTSUPP,
			     "this kernel has no region align (needs 5.7)");
	u = push_undo(a, U_REGION_ALIGN, rname, "");
	if (!u)
		return fail(a, "journal", -ENOMEM);
	u->value = old;
	STEP(a, rc, "write align", ndctl_region_set_align(region, op->align));
	return rc;
}

/* Each DIMM's label area, to write back on rollback. */
static int save_labels(struct actx *a, struct ndctl_region *region,
		       struct undo *u)
{
	struct ndctl_dimm *dimm;
	struct ndctl_cmd *cmd;
	ssize_t size;

	ndctl_dimm_foreach_in_region(region, dimm) {
		struct label_backup *lb, *v;

		v = realloc(u->labels, (u->nr_labels + 1) * sizeof(*v));
		if (!v)
			return fail(a, "save labels", -ENOMEM);
		u->labels = v;
		lb = &v[u->nr_labels];
		memset(lb, 0, sizeof(*lb));
		pp_strscpy(lb->dimm, sizeof(lb->dimm),
			 ndctl_dimm_get_devname(dimm));
		cmd = ndctl_dimm_read_labels(dimm);
		if (!cmd)
			return failf(a, -ENXIO, "%s: cannot read the label area",
				     lb->dimm);
		size = ndctl_cmd_cfg_read_get_size(cmd);
		lb->data = size > 0 ? malloc((size_t)size) : NULL;
		if (!lb->data ||
		    ndctl_cmd_cfg_read_get_data(cmd, lb->data,
				(unsigned int)size, 0) != size) {
			ndctl_cmd_unref(cmd);
			free(lb->data);
			return failf(a, -EIO, "%s: cannot read the label area",
				     lb->dimm);
		}
		lb->size = (size_t)size;
		u->nr_labels++;
		ndctl_cmd_unref(cmd);
	}
	return 0;
}

/* ndctl's enable_labels() for one DIMM, v1.2 labels, else v1.1 */
static int init_dimm_labels(struct ndctl_dimm *dimm)
{
	enum ndctl_namespace_version v = NDCTL_NS_VERSION_1_2;
	struct ndctl_cmd *cmd;
	int n, avail;

	for (;;) {
		cmd = ndctl_dimm_read_label_index(dimm);
		if (!cmd)
			return -ENXIO;
		n = ndctl_dimm_init_labels(dimm, v);
		ndctl_cmd_unref(cmd);
		if (n < 0)
			return n;
		ndctl_dimm_disable(dimm);
		ndctl_dimm_enable(dimm);
		/* the kernel keeps one free label for updates */
		avail = (int)ndctl_dimm_get_available_labels(dimm) + 1;
		if (n == avail || v == NDCTL_NS_VERSION_1_1)
			return 0;
		v = NDCTL_NS_VERSION_1_1;
	}
}

static unsigned int region_nstype(struct ndctl_region *region)
{
	char path[PATH_MAX], buf[32];

	snprintf(path, sizeof(path), SYS_ND_DEVICES "/%s/nstype",
		 ndctl_region_get_devname(region));
	if (pp_sysfs_read(path, buf, sizeof(buf)))
		return 0;
	return (unsigned int)strtoul(buf, NULL, 10);
}

static int op_init_labels(struct actx *a, struct ndctl_region *region)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_namespace *ndns;
	struct ndctl_dimm *dimm;
	struct undo *u;
	char what[64];
	int rc;

	u = push_undo(a, U_LABELS, rname, "");
	if (!u)
		return fail(a, "journal", -ENOMEM);
	rc = save_labels(a, region, u);
	if (rc)
		return rc;
	STEP(a, rc, "disable region", 0);
	if (rc)
		return rc;
	ndctl_namespace_foreach(region, ndns) {
		if (!ndctl_namespace_is_active(ndns))
			continue;
		rc = check_target(a, ndns, true);
		if (rc)
			return rc;
		rc = ndctl_namespace_disable_safe(ndns);
		if (rc < 0)
			return fail(a, "disable region", rc);
	}
	rc = ndctl_region_disable_invalidate(region);
	if (rc < 0)
		return fail(a, "disable region", rc);
	ndctl_dimm_foreach_in_region(region, dimm) {
		if (ndctl_dimm_is_active(dimm))
			return failf(a, -EBUSY, "%s is active in another region",
				     ndctl_dimm_get_devname(dimm));
		snprintf(what, sizeof(what), "init labels %s",
			 ndctl_dimm_get_devname(dimm));
		STEP(a, rc, what, init_dimm_labels(dimm));
		if (rc)
			return rc;
	}
	STEP(a, rc, "enable region", ndctl_region_enable(region));
	if (rc)
		return rc;
	if (region_nstype(region) != ND_DEVICE_NAMESPACE_PMEM)
		return failf(a, -EIO, "the region is still label-less after initialising its labels");
	return 0;
}

/*
 * The region has no namespace with a size: after rollback a disable and
 * enable brings back exactly one fresh seed of each kind, instead of the
 * zero-size namespace devices a create and delete leave behind.
 */
static bool region_empty(struct ndctl_region *region)
{
	struct ndctl_namespace *ndns;

	if (!ndctl_region_is_enabled(region) ||
	    ndctl_region_get_nstype(region) != ND_DEVICE_NAMESPACE_PMEM)
		return false;
	ndctl_namespace_foreach(region, ndns)
		if (ndctl_namespace_get_size(ndns))
			return false;
	return true;
}

static int op_destroy(struct actx *a, struct ndctl_region *region,
		      const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_namespace *ndns = find_ns(region, op->dev);
	const char *alt;
	struct undo *u;
	int rc;

	if (!ndns)
		return failf(a, -ENOENT, "%s is gone", op->dev);
	rc = check_target(a, ndns, op->destructive);
	if (rc)
		return rc;
	u = push_undo(a, U_NS_DESTROYED, rname, op->dev);
	if (!u)
		return fail(a, "journal", -ENOMEM);
	ndctl_namespace_get_uuid(ndns, u->uuid);
	alt = ndctl_namespace_get_alt_name(ndns);
	pp_strscpy(u->name, sizeof(u->name), alt);
	u->size = ndctl_namespace_get_size(ndns);
	u->start = ndctl_namespace_get_resource(ndns);
	u->sector = ndctl_namespace_get_sector_size(ndns);
	u->enforce = ndctl_namespace_get_enforce_mode(ndns);
	u->was_enabled = ndctl_namespace_is_active(ndns);
	STEP(a, rc, "disable", ndctl_namespace_disable_safe(ndns));
	if (!rc)
		STEP(a, rc, "delete", ndctl_namespace_delete(ndns));
	return rc;
}

static int op_create(struct actx *a, struct ndctl_region *region,
		     const struct pp_region_plan *rp, const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_namespace *ndns;
	struct pp_apply_ns *rec;
	struct undo *u;
	uuid_t uu;
	int rc;

	ndns = ndctl_region_get_namespace_seed(region);
	if (!ndns || !ndctl_namespace_is_configuration_idle(ndns))
		return failf(a, -ENXIO, "no idle namespace seed in %s", rname);
	rec = add_rec(a, rname);
	if (!rec)
		return fail(a, "result", -ENOMEM);
	pp_strscpy(rec->dev, sizeof(rec->dev),
		   ndctl_namespace_get_devname(ndns));
	snprintf(a->desc + strlen(a->desc), sizeof(a->desc) - strlen(a->desc),
		 " (%s)", rec->dev);
	rec->role = op->role;
	rec->mode = op->mode;
	rec->map = op->map;
	rec->align = op->align;
	rec->size = op->size;
	rec->created = true;
	rec->zone = op->zone;
	rec->predicted.start = op->start;
	if (op->mode != PP_MODE_RAW)
		predict(a, rec, rp->mom);

	u = push_undo(a, U_NS_CREATED, rname, rec->dev);
	if (!u)
		return fail(a, "journal", -ENOMEM);
	uuid_generate(uu);
	STEP(a, rc, "set uuid", ndctl_namespace_set_uuid(ndns, uu));
	if (!rc)
		STEP(a, rc, "set name", ndctl_namespace_set_alt_name(ndns,
						role_name(op->role)));
	if (!rc)
		STEP(a, rc, "set size", ndctl_namespace_set_size(ndns,
								 op->size));
	if (rc)
		return rc;
	/* first fit put it where the plan said, or the plan is wrong */
	STEP(a, rc, "verify placement", 0);
	if (rc)
		return rc;
	rec->measured.start = ndctl_namespace_get_resource(ndns);
	if (rec->measured.start != op->start)
		return failf(a, -EDOM,
			     "verify: the kernel placed it at %#llx, planned %#llx",
			     (unsigned long long)rec->measured.start,
			     (unsigned long long)op->start);
	rc = setup_claim(a, region, ndns, op, rec);
	/* a kmem namespace is verified once its blocks are */
	if (!rc && op->role != PP_ROLE_KMEM)
		rec->verified = true;
	return rc;
}

/*
 * In place, as ndctl --reconfig: namespace_prep_reconfig() (disable safe,
 * enforce raw, zero the info block) then setup_namespace() on the same
 * namespace.  A labelled namespace keeps its uuid, name, size and so its
 * place; a label-less one has nothing else.
 */
static int op_reconfigure(struct actx *a, struct ndctl_region *region,
			  const struct pp_region_plan *rp,
			  const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct ndctl_namespace *ndns = find_ns(region, op->dev);
	struct pp_apply_ns *rec;
	struct undo *u;
	int rc;

	if (!ndns)
		return failf(a, -ENOENT, "%s is gone", op->dev);
	rc = check_target(a, ndns, op->destructive);
	if (rc)
		return rc;
	rec = add_rec(a, rname);
	if (!rec)
		return fail(a, "result", -ENOMEM);
	pp_strscpy(rec->dev, sizeof(rec->dev), op->dev);
	rec->role = op->role;
	rec->mode = op->mode;
	rec->map = op->map;
	rec->align = op->align;
	rec->size = op->size;
	rec->zone = op->zone;
	rec->predicted.start = op->start;
	rec->measured.start = ndctl_namespace_get_resource(ndns);
	predict(a, rec, rp->mom);

	u = push_undo(a, U_NS_RECONF, rname, op->dev);
	if (!u)
		return fail(a, "journal", -ENOMEM);
	u->enforce = ndctl_namespace_get_enforce_mode(ndns);
	u->was_enabled = ndctl_namespace_is_active(ndns);
	STEP(a, rc, "disable", ndctl_namespace_disable_safe(ndns));
	if (!rc)
		STEP(a, rc, "enforce raw", set_enforce(ndns,
							NDCTL_NS_MODE_RAW));
	if (rc)
		return rc;
	u->info = malloc(INFO_BLOCK_SIZE);
	if (!u->info)
		return fail(a, "zero info block", -ENOMEM);
	STEP(a, rc, "zero info block", ns_head(ndns, u->info, true, NULL));
	if (rc) {
		/* nothing was saved, so nothing to write back */
		free(u->info);
		u->info = NULL;
		return rc;
	}
	if (rec->measured.start != op->start)
		return failf(a, -EDOM, "verify: it is at %#llx, planned %#llx",
			     (unsigned long long)rec->measured.start,
			     (unsigned long long)op->start);
	return setup_claim(a, region, ndns, op, rec);
}

/* The namespace a memmap-on-memory / system-ram operation is about. */
static struct pp_apply_ns *kmem_target(struct actx *a,
				       struct ndctl_region *region,
				       const struct pp_region_plan *rp,
				       const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct pp_apply_ns *rec = find_rec(a, rname, op->dev, op->start);
	struct ndctl_namespace *ndns;
	struct ndctl_dax *dax;

	if (rec || !op->dev[0])
		return rec;
	/* an interrupted apply's namespace (pp_apply_complete()) */
	ndns = find_ns(region, op->dev);
	if (!ndns)
		return NULL;
	rec = add_rec(a, rname);
	if (!rec)
		return NULL;
	pp_strscpy(rec->dev, sizeof(rec->dev), op->dev);
	rec->role = PP_ROLE_KMEM;
	rec->mode = PP_MODE_DEVDAX;
	rec->map = op->map;
	rec->align = op->align;
	rec->size = op->size;
	rec->zone = op->zone;
	rec->predicted.start = op->start;
	rec->measured.start = ndctl_namespace_get_resource(ndns);
	predict(a, rec, rp->mom);
	dax = ndctl_namespace_get_dax(ndns);
	if (dax && ndctl_dax_get_resource(dax) != ULLONG_MAX)
		rec->measured.dataoff = ndctl_dax_get_resource(dax) -
					rec->measured.start;
	return rec;
}

static void mom_path(struct daxctl_dev *dev, char *path, size_t len)
{
	snprintf(path, len, SYS_DAX_DEVICES "/%s/memmap_on_memory",
		 daxctl_dev_get_devname(dev));
}

static int op_mom(struct actx *a, struct ndctl_region *region,
		  const struct pp_region_plan *rp, const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct pp_apply_ns *rec = kmem_target(a, region, rp, op);
	struct ndctl_namespace *ndns;
	struct daxctl_dev *dev;
	char path[PATH_MAX], buf[16];
	struct undo *u;
	int rc;

	if (!rec)
		return failf(a, -ENOENT, "no kmem namespace to apply it to");
	ndns = find_ns(region, rec->dev);
	dev = ndns ? ns_daxdev(ndns) : NULL;
	if (!dev)
		return failf(a, -ENXIO, "%s has no dax device", rec->dev);
	mom_path(dev, path, sizeof(path));
	rc = pp_sysfs_read(path, buf, sizeof(buf));
	if (rc)
		return failf(a, rc, "%s: %s (needs kernel 6.8)", path,
			     strerror(-rc));
	u = push_undo(a, U_MOM, rname, rec->dev);
	if (!u)
		return fail(a, "journal", -ENOMEM);
	u->value = strtoul(buf, NULL, 10);
	STEP(a, rc, "write memmap_on_memory", pp_sysfs_write(path, "1"));
	if (!rc)
		rec->mom = true;
	return rc;
}

/*
 * What kmem hot-plugged, from /proc/iomem (the System RAM inside the dax
 * device's range) and the memory blocks' state and zone.
 */
static int measure_kmem(struct actx *a, struct daxctl_dev *dev,
			struct pp_apply_ns *rec)
{
	uint64_t bsz = a->t->plat.block_size.value, total = 0;
	unsigned long long ds = daxctl_dev_get_resource(dev);
	unsigned long long dsz = daxctl_dev_get_size(dev);
	uint64_t ks, ke;
	char *iomem;
	int rc;

	if (!ds || ds == ULLONG_MAX || !dsz || dsz == ULLONG_MAX)
		return -ENXIO;
	iomem = pp_read_text("/proc/iomem", &rc);
	if (!iomem)
		return rc;
	rc = pp_iomem_kmem_range(iomem, ds, ds + dsz, &ks, &ke);
	free(iomem);
	if (rc)
		return rc;
	rec->measured.kmem_start = ks;
	rec->measured.kmem_end = ke;
	rec->measured.blocks = bsz ? (ke - ks) / bsz : 0;
	if (bsz)
		pp_walk_blocks(ks, ke, bsz, &total, &rec->measured.online,
			    rec->zone_seen, sizeof(rec->zone_seen));
	return 0;
}

static int verify_kmem(struct actx *a, struct daxctl_dev *dev,
		       struct pp_apply_ns *rec)
{
	const char *want = rec->zone == PP_ZONE_NORMAL ? "Normal" : "Movable";
	int rc = measure_kmem(a, dev, rec);

	if (rc == -ENOENT)
		return failf(a, -EDOM, "verify: no System RAM (kmem) for %s in /proc/iomem",
			     rec->dax);
	if (rc)
		return failf(a, rc, "verify: cannot measure kmem: %s",
			     strerror(-rc));
	if (rec->measured.kmem_start != rec->predicted.kmem_start ||
	    rec->measured.kmem_end != rec->predicted.kmem_end)
		return failf(a, -EDOM,
			     "verify: kmem %#llx-%#llx, predicted %#llx-%#llx",
			     (unsigned long long)rec->measured.kmem_start,
			     (unsigned long long)rec->measured.kmem_end - 1,
			     (unsigned long long)rec->predicted.kmem_start,
			     (unsigned long long)rec->predicted.kmem_end - 1);
	if (rec->measured.online != rec->measured.blocks)
		return failf(a, -EDOM, "verify: %llu of %llu memory blocks online",
			     (unsigned long long)rec->measured.online,
			     (unsigned long long)rec->measured.blocks);
	if (strcmp(rec->zone_seen, want))
		return failf(a, -EDOM, "verify: the blocks are in zone %s, not %s",
			     rec->zone_seen[0] ? rec->zone_seen : "(none)",
			     want);
	return 0;
}

/*
 * kmem and the auto-online policy.  With auto_online_blocks "online"
 * (Debian's 6.12) the kernel onlines every hot-plugged block itself, into
 * ZONE_NORMAL, where it can never be unplugged, and daxctl refuses.  So:
 * write "offline" there, unbind device_dax, bind kmem, online the blocks
 * in the requested zone ourselves, and write the policy back at once (the
 * journal writes it back too on any failure in between).
 */
static int op_kmem(struct actx *a, struct ndctl_region *region,
		   const struct pp_region_plan *rp, const struct pp_op *op)
{
	const char *rname = ndctl_region_get_devname(region);
	struct pp_apply_ns *rec = kmem_target(a, region, rp, op);
	struct pp_apply_result *res = a->res;
	struct ndctl_namespace *ndns;
	struct daxctl_memory *mem;
	struct daxctl_dev *dev;
	char policy[32], what[64];
	struct pp_ns_account acct;
	bool switched = false;
	struct undo *u;
	int rc;

	if (!rec)
		return failf(a, -ENOENT, "no kmem namespace to bind");
	ndns = find_ns(region, rec->dev);
	dev = ndns ? ns_daxdev(ndns) : NULL;
	if (!dev)
		return failf(a, -ENXIO, "%s has no dax device", rec->dev);
	pp_strscpy(rec->dax, sizeof(rec->dax), daxctl_dev_get_devname(dev));
	snprintf(a->desc + strlen(a->desc), sizeof(a->desc) - strlen(a->desc),
		 " (%s)", rec->dax);
	if (!rec->predicted.blocks)
		return failf(a, -EDOM, "kmem would reject it: no whole memory block");

	u = push_undo(a, U_KMEM, rname, rec->dev);
	if (!u)
		return fail(a, "journal", -ENOMEM);
	u->was_kmem = daxctl_dev_get_memory(dev) != NULL;
	u->was_enabled = daxctl_dev_is_enabled(dev);

	if (pp_sysfs_read(AUTO_ONLINE, policy, sizeof(policy)))
		policy[0] = '\0';
	if (!res->policy[0])
		pp_strscpy(res->policy, sizeof(res->policy), policy);
	if (!strncmp(policy, "online", 6)) {
		u = push_undo(a, U_POLICY, rname, "");
		if (!u)
			return fail(a, "journal", -ENOMEM);
		pp_strscpy(u->policy, sizeof(u->policy), policy);
		STEP(a, rc, "auto_online_blocks: offline",
		     pp_sysfs_write(AUTO_ONLINE, "offline"));
		if (rc)
			return rc;
		res->policy_switched = switched = true;
	}
	if (!daxctl_dev_get_memory(dev)) {
		STEP(a, rc, "unbind device_dax", daxctl_dev_disable(dev));
		if (!rc)
			STEP(a, rc, "bind kmem", daxctl_dev_enable_ram(dev));
		if (rc)
			return rc;
	}
	mem = daxctl_dev_get_memory(dev);
	if (!mem)
		return failf(a, -ENXIO, "%s: bound to kmem, but no memory blocks",
			     rec->dax);
	snprintf(what, sizeof(what), "online %llu blocks %s",
		 (unsigned long long)rec->predicted.blocks,
		 rec->zone == PP_ZONE_NORMAL ? "normal" : "movable");
	STEP(a, rc, what, rec->zone == PP_ZONE_NORMAL ?
	     daxctl_memory_online_no_movable(mem) :
	     daxctl_memory_online(mem));
	if (rc)
		return rc;
	if (switched) {
		rc = pp_sysfs_write(AUTO_ONLINE, policy);
		if (rc)
			return fail(a, "restore auto_online_blocks", rc);
	}
	rec->kmem = true;
	STEP(a, rc, "verify kmem", 0);
	if (!rc)
		rc = verify_kmem(a, dev, rec);
	if (rc)
		return rc;
	pp_account_namespace(&a->t->plat, rec->predicted.start, rec->size,
			     rec->map, rec->align, rec->mom, &acct);
	res->ram_gain_predicted += acct.ram_gain;
	rec->verified = rec->measured.start == rec->predicted.start &&
			(!rec->measured.dataoff ||
			 rec->measured.dataoff == rec->predicted.dataoff);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Undo                                                                 */
/* ------------------------------------------------------------------ */

static int undo_kmem(struct actx *a, struct undo *u)
{
	struct ndctl_namespace *ndns = find_ns(find_region(a, u->region),
					       u->dev);
	struct daxctl_memory *mem;
	struct daxctl_dev *dev;
	int rc;

	dev = ndns ? ns_daxdev(ndns) : NULL;
	if (!dev)
		return 0;
	mem = daxctl_dev_get_memory(dev);
	if (mem) {
		rc = daxctl_memory_offline(mem);
		if (rc < 0)
			return rc;
		rc = daxctl_memory_is_online(mem);
		if (rc > 0)
			return -EBUSY;	/* blocks that will not go */
		if (u->was_kmem)
			return 0;
		rc = daxctl_dev_disable(dev);
		if (rc < 0)
			return rc;
	}
	if (u->was_enabled && !daxctl_dev_is_enabled(dev))
		return daxctl_dev_enable_devdax(dev);
	return 0;
}

static int undo_mom(struct actx *a, struct undo *u)
{
	struct ndctl_namespace *ndns = find_ns(find_region(a, u->region),
					       u->dev);
	struct daxctl_dev *dev = ndns ? ns_daxdev(ndns) : NULL;
	char path[PATH_MAX], buf[16];

	if (!dev)
		return 0;
	mom_path(dev, path, sizeof(path));
	if (pp_sysfs_read(path, buf, sizeof(buf)) ||
	    strtoul(buf, NULL, 10) == u->value)
		return 0;
	return pp_sysfs_write(path, u->value ? "1" : "0");
}

static int undo_claim(struct actx *a, struct undo *u)
{
	struct ndctl_region *region = find_region(a, u->region);
	struct ndctl_namespace *ndns;
	struct ndctl_dax *dax;
	struct ndctl_pfn *pfn;

	if (!region)
		return -ENODEV;
	if (u->pfn) {
		ndctl_pfn_foreach(region, pfn) {
			if (strcmp(ndctl_pfn_get_devname(pfn), u->dev))
				continue;
			ndns = ndctl_pfn_get_namespace(pfn);
			if (ndns && ndctl_pfn_is_enabled(pfn) &&
			    check_target(a, ndns, true))
				return -EBUSY;
			return ndctl_pfn_delete(pfn);
		}
		return 0;
	}
	ndctl_dax_foreach(region, dax) {
		if (strcmp(ndctl_dax_get_devname(dax), u->dev))
			continue;
		ndns = ndctl_dax_get_namespace(dax);
		if (ndns && ndctl_dax_is_enabled(dax) &&
		    check_target(a, ndns, true))
			return -EBUSY;
		return ndctl_dax_delete(dax);
	}
	return 0;
}

static int undo_created(struct actx *a, struct undo *u)
{
	struct ndctl_region *region = find_region(a, u->region);
	struct ndctl_namespace *ndns = find_ns(region, u->dev);
	const char *alt;
	int rc;

	if (!ndns)
		return 0;
	if (ndctl_namespace_is_active(ndns)) {
		if (check_target(a, ndns, true))
			return -EBUSY;
		rc = ndctl_namespace_disable_invalidate(ndns);
		if (rc < 0)
			return rc;
	}
	alt = ndctl_namespace_get_alt_name(ndns);
	if (alt && *alt) {
		rc = ndctl_namespace_set_alt_name(ndns, "");
		if (rc < 0)
			return rc;
	}
	return ndctl_namespace_delete(ndns);
}

static int undo_reconf(struct actx *a, struct undo *u)
{
	struct ndctl_namespace *ndns = find_ns(find_region(a, u->region),
					       u->dev);
	enum ndctl_namespace_mode mode;
	int rc;

	if (!ndns)
		return -ENOENT;
	if (ndctl_namespace_is_active(ndns)) {
		if (check_target(a, ndns, true))
			return -EBUSY;
		rc = ndctl_namespace_disable_invalidate(ndns);
		if (rc < 0)
			return rc;
	}
	if (u->info) {
		rc = ns_head(ndns, NULL, false, u->info);
		if (rc < 0)
			return rc;
	}
	mode = u->enforce == NDCTL_NS_MODE_UNKNOWN ? NDCTL_NS_MODE_RAW :
	       u->enforce;
	set_enforce(ndns, mode);
	if (u->was_enabled) {
		rc = ndctl_namespace_enable(ndns);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int undo_destroyed(struct actx *a, struct undo *u)
{
	struct ndctl_region *region = find_region(a, u->region);
	struct ndctl_namespace *ndns;
	int rc;

	if (!region)
		return -ENODEV;
	ndns = find_ns_uuid(region, u->uuid);
	if (!ndns) {
		/*
		 * Re-create it: same uuid, name and size, placed by first
		 * fit; on its own device, which a delete leaves behind idle,
		 * so that it keeps its name, else on the seed.
		 */
		ndns = find_ns(region, u->dev);
		if (!ndns || ndctl_namespace_get_size(ndns) ||
		    !ndctl_namespace_is_configuration_idle(ndns))
			ndns = ndctl_region_get_namespace_seed(region);
		if (!ndns)
			return -ENXIO;
		rc = ndctl_namespace_set_uuid(ndns, u->uuid);
		if (!rc)
			rc = ndctl_namespace_set_alt_name(ndns, u->name);
		if (!rc)
			rc = ndctl_namespace_set_size(ndns, u->size);
		if (!rc && u->sector &&
		    ndctl_namespace_get_sector_size(ndns) != u->sector)
			rc = ndctl_namespace_set_sector_size(ndns, u->sector);
		if (rc < 0)
			return rc;
		if (ndctl_namespace_get_resource(ndns) != u->start)
			return -EDOM;
		if (u->enforce != NDCTL_NS_MODE_UNKNOWN)
			set_enforce(ndns, u->enforce);
	}
	if (u->was_enabled && !ndctl_namespace_is_active(ndns)) {
		rc = ndctl_namespace_enable(ndns);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Does the DIMM's label area still hold what lb saved?  1 yes, 0 no. */
static int labels_unchanged(struct ndctl_dimm *dimm,
			    const struct label_backup *lb)
{
	struct ndctl_cmd *rd = ndctl_dimm_read_labels(dimm);
	void *cur;
	int same = 0;

	if (!rd)
		return -ENXIO;
	cur = malloc(lb->size);
	if (cur && ndctl_cmd_cfg_read_get_size(rd) == (ssize_t)lb->size &&
	    ndctl_cmd_cfg_read_get_data(rd, cur, (unsigned int)lb->size, 0) ==
	    (ssize_t)lb->size)
		same = !memcmp(cur, lb->data, lb->size);
	free(cur);
	ndctl_cmd_unref(rd);
	return same;
}

static int write_labels(struct ndctl_dimm *dimm, const struct label_backup *lb)
{
	struct ndctl_cmd *rd, *wr = NULL;
	int rc = -ENXIO;

	rd = ndctl_dimm_read_labels(dimm);
	if (!rd)
		return -ENXIO;
	if (ndctl_cmd_cfg_read_get_size(rd) == (ssize_t)lb->size)
		wr = ndctl_dimm_cmd_new_cfg_write(rd);
	if (wr && ndctl_cmd_cfg_write_set_data(wr, lb->data,
				(unsigned int)lb->size, 0) == (ssize_t)lb->size)
		rc = ndctl_cmd_submit(wr);
	ndctl_cmd_unref(wr);
	ndctl_cmd_unref(rd);
	if (rc < 0)
		return rc;
	/* the DIMM driver caches the label area: make it read it again */
	ndctl_dimm_disable(dimm);
	return ndctl_dimm_enable(dimm);
}

static struct ndctl_dimm *find_dimm(struct ndctl_region *region,
				    const char *name)
{
	struct ndctl_dimm *dimm;

	ndctl_dimm_foreach_in_region(region, dimm)
		if (!strcmp(ndctl_dimm_get_devname(dimm), name))
			return dimm;
	return NULL;
}

/*
 * Write the saved label areas back (a region can only be disabled for
 * that when no namespace is left in it).  The kernel never forgets that a
 * DIMM had labels (dimm.c nvdimm_probe() sets NDD_LABELING and nothing
 * clears it): the region stays labelled, and empty, until the next boot,
 * which then finds the old label area and the old namespace.
 */
static int undo_labels(struct actx *a, struct undo *u)
{
	struct ndctl_region *region = find_region(a, u->region);
	struct ndctl_namespace *ndns;
	struct ndctl_dimm *dimm;
	bool changed = false;
	unsigned int i;
	int rc;

	if (!region)
		return -ENODEV;
	for (i = 0; i < u->nr_labels; i++) {
		dimm = find_dimm(region, u->labels[i].dimm);
		if (!dimm)
			return -ENODEV;
		rc = labels_unchanged(dimm, &u->labels[i]);
		if (rc < 0)
			return rc;
		changed |= !rc;
	}
	if (!changed)
		return ndctl_region_enable(region);
	if (ndctl_region_is_enabled(region)) {
		bool labelled = region_nstype(region) ==
				ND_DEVICE_NAMESPACE_PMEM;

		ndctl_namespace_foreach(region, ndns) {
			/* never with a namespace still in a labelled one */
			if (labelled && ndctl_namespace_get_size(ndns))
				return -EBUSY;
			if (!ndctl_namespace_is_active(ndns))
				continue;
			rc = ndctl_namespace_disable_safe(ndns);
			if (rc < 0)
				return rc;
		}
	}
	rc = ndctl_region_disable_invalidate(region);
	if (rc < 0)
		return rc;
	for (i = 0; i < u->nr_labels; i++) {
		dimm = find_dimm(region, u->labels[i].dimm);
		rc = dimm ? write_labels(dimm, &u->labels[i]) : -ENODEV;
		if (rc < 0)
			return rc;
	}
	rc = ndctl_region_enable(region);
	if (rc < 0)
		return rc;
	if (region_nstype(region) == ND_DEVICE_NAMESPACE_PMEM)
		snprintf(a->res->note, sizeof(a->res->note),
			 "%s: its label area is as it was, but the kernel shows the region without its namespace until the next boot",
			 u->region);
	return 0;
}

static int undo_tidy(struct actx *a, struct undo *u)
{
	struct ndctl_region *region = find_region(a, u->region);
	int rc;

	if (!region || !region_empty(region))
		return 0;
	rc = ndctl_region_disable_invalidate(region);
	if (rc < 0)
		return rc;
	return ndctl_region_enable(region);
}

static const char *undo_what(const struct undo *u, char *buf, size_t len)
{
	switch (u->kind) {
	case U_REGION_TIDY:
		snprintf(buf, len, "%s: re-enable the region", u->region);
		break;
	case U_LABELS:
		snprintf(buf, len, "%s: write the old label area back",
			 u->region);
		break;
	case U_REGION_ALIGN:
		snprintf(buf, len, "%s: write region align %#llx back",
			 u->region, (unsigned long long)u->value);
		break;
	case U_NS_DESTROYED:
		snprintf(buf, len, "%s: re-create %s", u->region, u->dev);
		break;
	case U_NS_RECONF:
		snprintf(buf, len, "%s: restore %s", u->region, u->dev);
		break;
	case U_NS_CREATED:
		snprintf(buf, len, "%s: delete %s", u->region, u->dev);
		break;
	case U_CLAIM:
		snprintf(buf, len, "%s: remove %s", u->region, u->dev);
		break;
	case U_MOM:
		snprintf(buf, len, "%s: memmap_on_memory of %s back to %llu",
			 u->region, u->dev, (unsigned long long)u->value);
		break;
	case U_POLICY:
		snprintf(buf, len, "write auto_online_blocks %s back",
			 u->policy);
		break;
	case U_KMEM:
		snprintf(buf, len, "%s: take %s out of System RAM", u->region,
			 u->dev);
		break;
	}
	return buf;
}

static int undo_one(struct actx *a, struct undo *u)
{
	char buf[32];

	switch (u->kind) {
	case U_REGION_TIDY:
		return undo_tidy(a, u);
	case U_LABELS:
		return undo_labels(a, u);
	case U_REGION_ALIGN: {
		struct ndctl_region *region = find_region(a, u->region);

		if (!region)
			return -ENODEV;
		if (ndctl_region_get_align(region) == u->value)
			return 0;
		return ndctl_region_set_align(region, u->value);
	}
	case U_NS_DESTROYED:
		return undo_destroyed(a, u);
	case U_NS_RECONF:
		return undo_reconf(a, u);
	case U_NS_CREATED:
		return undo_created(a, u);
	case U_CLAIM:
		return undo_claim(a, u);
	case U_MOM:
		return undo_mom(a, u);
	case U_POLICY:
		if (!pp_sysfs_read(AUTO_ONLINE, buf, sizeof(buf)) &&
		    !strcmp(buf, u->policy))
			return 0;
		return pp_sysfs_write(AUTO_ONLINE, u->policy);
	case U_KMEM:
		return undo_kmem(a, u);
	}
	return 0;
}

/* Undo the journal in reverse; stop at the first undo that fails. */
static void rollback(struct actx *a)
{
	struct pp_apply_result *res = a->res;
	char what[160];
	int rc;

	while (a->nr_undo) {
		struct undo *u = &a->undo[a->nr_undo - 1];

		if (a->o->verbose)
			fprintf(stderr, "pmemplan: apply: undo: %s\n",
				undo_what(u, what, sizeof(what)));
		rc = undo_one(a, u);
		if (rc < 0) {
			snprintf(res->rollback_error,
				 sizeof(res->rollback_error), "%s: %s",
				 undo_what(u, what, sizeof(what)),
				 rc == -EDOM ? "not at its old address" :
				 strerror(-rc));
			return;
		}
		free_undo(u);
		a->nr_undo--;
	}
	res->rolled_back = true;
}

/* ------------------------------------------------------------------ */
/* The run                                                              */
/* ------------------------------------------------------------------ */

static void on_signal(int sig)
{
	interrupted = sig;
}

static const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void catch_signals(struct sigaction *old)
{
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	for (i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction *old)
{
	unsigned int i;

	for (i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &old[i], NULL);
}

static void describe(char *buf, size_t len, const struct pp_region_plan *rp,
		     const struct pp_op *op)
{
	const char *r = rp->r->dev;
	char size[48];

	if (op->size % SZ_1M)
		snprintf(size, sizeof(size), "%llu bytes",
			 (unsigned long long)op->size);
	else
		snprintf(size, sizeof(size), "%llu MiB",
			 (unsigned long long)(op->size >> 20));
	switch (op->kind) {
	case PP_OP_INIT_LABELS:
		snprintf(buf, len, "%s: init-labels", r);
		break;
	case PP_OP_REGION_ALIGN:
		snprintf(buf, len, "%s: region-align %llu KiB", r,
			 (unsigned long long)(op->align >> 10));
		break;
	case PP_OP_DESTROY:
		snprintf(buf, len, "%s: destroy-namespace %s", r, op->dev);
		break;
	case PP_OP_CREATE:
		snprintf(buf, len, "%s: create-namespace %s %s %s", r,
			 pp_mode_name(op->mode), pp_role_name(op->role), size);
		break;
	case PP_OP_RECONFIGURE:
		snprintf(buf, len, "%s: reconfigure-namespace %s %s %s", r,
			 op->dev, pp_mode_name(op->mode), size);
		break;
	case PP_OP_MEMMAP_ON_MEMORY:
		snprintf(buf, len, "%s: memmap-on-memory %s", r,
			 op->dev[0] ? op->dev : "of the kmem namespace");
		break;
	case PP_OP_KMEM:
		snprintf(buf, len, "%s: system-ram %s", r,
			 op->dev[0] ? op->dev : "of the kmem namespace");
		break;
	}
}

/*
 * Before anything changes: every namespace an operation will destroy or
 * reconfigure, and every namespace of a region whose labels will be
 * initialised, must be free of users now (and of data, unless the user
 * consented), so that a refusal leaves everything untouched.
 */
static int preflight(struct actx *a)
{
	unsigned int i, j;
	int rc;

	for (i = 0; i < a->plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &a->plan->regions[i];
		struct ndctl_region *region = find_region(a, rp->r->dev);
		struct ndctl_namespace *ndns;

		for (j = 0; j < rp->nr_ops; j++) {
			const struct pp_op *op = &rp->ops[j];

			describe(a->desc, sizeof(a->desc), rp, op);
			if (!region)
				return failf(a, -ENODEV, "%s is gone",
					     rp->r->dev);
			if (op->kind == PP_OP_INIT_LABELS) {
				ndctl_namespace_foreach(region, ndns) {
					if (!ndctl_namespace_is_active(ndns))
						continue;
					rc = check_target(a, ndns, true);
					if (rc)
						return rc;
				}
				continue;
			}
			if (op->kind != PP_OP_DESTROY &&
			    op->kind != PP_OP_RECONFIGURE)
				continue;
			ndns = find_ns(region, op->dev);
			if (!ndns)
				return failf(a, -ENOENT, "%s is gone",
					     op->dev);
			rc = check_target(a, ndns, op->destructive);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int run_region(struct actx *a, const struct pp_region_plan *rp)
{
	struct ndctl_region *region = find_region(a, rp->r->dev);
	unsigned int j;
	int rc = 0;

	if (!region)
		return failf(a, -ENODEV, "%s is gone", rp->r->dev);
	if (region_empty(region) &&
	    !push_undo(a, U_REGION_TIDY, rp->r->dev, ""))
		return fail(a, "journal", -ENOMEM);
	for (j = 0; !rc && j < rp->nr_ops; j++) {
		const struct pp_op *op = &rp->ops[j];

		describe(a->desc, sizeof(a->desc), rp, op);
		region = find_region(a, rp->r->dev);
		if (!region)
			return failf(a, -ENODEV, "%s is gone", rp->r->dev);
		switch (op->kind) {
		case PP_OP_INIT_LABELS:
			rc = op_init_labels(a, region);
			break;
		case PP_OP_REGION_ALIGN:
			rc = op_region_align(a, region, op);
			break;
		case PP_OP_DESTROY:
			rc = op_destroy(a, region, op);
			break;
		case PP_OP_CREATE:
			rc = op_create(a, region, rp, op);
			break;
		case PP_OP_RECONFIGURE:
			rc = op_reconfigure(a, region, rp, op);
			break;
		case PP_OP_MEMMAP_ON_MEMORY:
			rc = op_mom(a, region, rp, op);
			break;
		case PP_OP_KMEM:
			rc = op_kmem(a, region, rp, op);
			break;
		}
		if (!rc)
			a->res->ops++;
	}
	return rc;
}

int pp_apply_run(const struct pp_topology *t, const struct pp_plan *plan,
		 const struct pp_apply_opts *o, struct pp_apply_result *res)
{
	struct actx a = { .t = t, .plan = plan, .o = o, .res = res };
	struct sigaction old[sizeof(caught) / sizeof(caught[0])];
	unsigned int i;
	char buf[32];
	int rc;

	memset(res, 0, sizeof(*res));
	clock_gettime(CLOCK_MONOTONIC, &a.t0);
	lib_verbose = o->verbose > 1;
	res->mem_total_before = mem_total();
	rc = ndctl_new(&a.ctx);
	if (rc) {
		snprintf(res->error, sizeof(res->error),
			 "cannot initialise libndctl: %s", strerror(-rc));
		return rc < 0 ? rc : -ENXIO;
	}
	a.dctx = ndctl_get_daxctl_ctx(a.ctx);
	ndctl_set_log_fn(a.ctx, nd_log);
	ndctl_set_log_priority(a.ctx, lib_verbose ? LOG_DEBUG : LOG_ERR);
	if (a.dctx) {
		daxctl_set_log_fn(a.dctx, dax_log);
		daxctl_set_log_priority(a.dctx,
					lib_verbose ? LOG_DEBUG : LOG_ERR);
	}
	catch_signals(old);

	rc = preflight(&a);
	if (!rc) {
		snprintf(a.desc, sizeof(a.desc), "load kernel modules");
		STEP(&a, rc, "kmod", load_modules(&a));
	}
	for (i = 0; !rc && i < plan->nr_regions; i++)
		rc = run_region(&a, &plan->regions[i]);
	if (rc)
		rollback(&a);
	/* the policy as found, whatever happened */
	if (res->policy_switched &&
	    !pp_sysfs_read(AUTO_ONLINE, buf, sizeof(buf)) &&
	    strcmp(buf, res->policy)) {
		int err = pp_sysfs_write(AUTO_ONLINE, res->policy);

		if (err && !res->rollback_error[0])
			snprintf(res->rollback_error,
				 sizeof(res->rollback_error),
				 "write auto_online_blocks %s back: %s",
				 res->policy, strerror(-err));
	}
	restore_signals(old);
	while (a.nr_undo)
		free_undo(&a.undo[--a.nr_undo]);
	free(a.undo);
	res->mem_total_after = mem_total();
	ndctl_unref(a.ctx);
	if (rc && res->refused)
		return -EPERM;
	return rc;
}

void pp_apply_result_free(struct pp_apply_result *res)
{
	free(res->ns);
	memset(res, 0, sizeof(*res));
}

/* ------------------------------------------------------------------ */
/* Persistent reconfiguration for daxctl                               */
/* ------------------------------------------------------------------ */

/* The section of one devdax namespace that is System RAM now. */
static bool config_section(FILE *f, struct ndctl_region *region,
			   struct ndctl_namespace *ndns, char *uu)
{
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	struct daxctl_memory *mem;
	struct daxctl_dev *dev;
	uuid_t u;

	dev = dax ? ns_daxdev(ndns) : NULL;
	mem = dev ? daxctl_dev_get_memory(dev) : NULL;
	if (!mem)
		return false;
	ndctl_dax_get_uuid(dax, u);
	uuid_unparse(u, uu);
	fprintf(f, "\n# %s %s (%s)\n[reconfigure-device %s]\n"
		"nvdimm.uuid = %s\nmode = system-ram\nonline = true\n"
		"movable = %s\n",
		ndctl_region_get_devname(region),
		ndctl_namespace_get_devname(ndns),
		daxctl_dev_get_devname(dev), uu, uu,
		daxctl_memory_is_movable(mem) == 1 ? "true" : "false");
	return true;
}

int pp_apply_write_config(const char *dir, char *path, size_t pathlen,
			  char *err, size_t errlen)
{
	struct ndctl_namespace *ndns;
	struct ndctl_region *region;
	struct ndctl_bus *bus;
	struct ndctl_ctx *ctx;
	char tmp[PATH_MAX], uu[40];
	int rc, fd, n = 0;
	FILE *f;

	snprintf(path, pathlen, "%s/%s", dir, PP_DAXCTL_CONF_FILE);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, PP_DAXCTL_CONF_FILE);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		rc = -errno;
		snprintf(err, errlen, "mkdir %s: %s", dir, strerror(errno));
		return rc;
	}
	rc = ndctl_new(&ctx);
	if (rc) {
		snprintf(err, errlen, "cannot initialise libndctl");
		return rc < 0 ? rc : -ENXIO;
	}
	ndctl_set_log_fn(ctx, nd_log);
	if (ndctl_get_daxctl_ctx(ctx))
		daxctl_set_log_fn(ndctl_get_daxctl_ctx(ctx), dax_log);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	fputs("# Written by pmemplan apply --write-config: the devdax\n"
	      "# namespaces that were System RAM then, for daxctl's udev rule\n"
	      "# (daxctl reconfigure-device --check-config), keyed by the dax\n"
	      "# info-block uuid (\"uuid\" in ndctl list).\n", f);
	ndctl_bus_foreach(ctx, bus) {
		ndctl_region_foreach(bus, region) {
			ndctl_namespace_foreach(region, ndns) {
				if (config_section(f, region, ndns, uu))
					n++;
			}
		}
	}
	if (fflush(f) || fsync(fileno(f))) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) || rename(tmp, path)) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = n;
out:
	ndctl_unref(ctx);
	return rc;
}
