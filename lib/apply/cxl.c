// SPDX-License-Identifier: GPL-2.0
/*
 * CXL ram regions: divide the dax region dax_cxl made of one into the
 * plan's devices (lib/planner/cxl.c), head and tail devdax, the
 * block-aligned middle System RAM, through libdaxctl's calls for what
 * daxctl destroy-device and create-device do (daxctl/device.c
 * dev_destroy(), do_create()): offline and unbind, size 0, delete; then
 * create, mapping, bind.
 *
 * drivers/dax/bus.c decides the shape of it.  daxX.0 cannot be deleted
 * (delete_store() keeps id 0), so it becomes the kmem device: it also
 * keeps the memmap_on_memory dax_cxl gave it (cxl_dax_region_probe()),
 * where a device made through the region's "create" starts without.  A
 * device is placed with "mapping" (mapping_store() ->
 * alloc_dev_dax_range() at the given start), not left to the first fit
 * of "size", so every device lands where the plan says whatever the
 * order.  A kmem-type region's devices match kmem by type
 * (dax_match_type()); libdaxctl binds device_dax by name (new_id).
 *
 * The division lives in the kernel only: CXL ram has no label, and
 * after a reboot dax_cxl makes one device of the region again.  Nothing
 * of it can be half made across a power cut either.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include "apply/apply_ctx.h"
#include "system/libctx.h"
#include "system/memblock.h"
#include "system/sysfs.h"
#include "util/util.h"

/* A dax device as it is to be: the plan's, or the one found (undo). */
struct cxl_spec {
	uint64_t start, size;
	enum pp_dax_mode mode;
	int mom;			/* memmap_on_memory, -1: leave it */
	enum pp_zone zone;
	bool online;			/* online its blocks (kmem) */
	uint64_t blocks;
	char name[PP_NAME_MAX];		/* as made */
};

#define CXL_MAX_SPECS PP_CXL_MAX_DAX

/*
 * A fresh libdaxctl context: libdaxctl lists a region's devices once
 * (dax_devices_init()) and keeps the sizes it wrote, so after a change
 * everything is looked up again by name (as lookup.c does for libndctl).
 */
static int cxl_ctx(struct apply_ctx *a)
{
	int rc;

	if (a->cxl_dctx)
		daxctl_unref(a->cxl_dctx);
	a->cxl_dctx = NULL;
	rc = daxctl_new(&a->cxl_dctx);
	if (rc < 0)
		return rc;
	pp_libctx_log(a->ctx, a->cxl_dctx, apply_lib_verbose,
		      apply_lib_verbose ? LOG_DEBUG : LOG_ERR);
	return 0;
}

void apply_cxl_done(struct apply_ctx *a)
{
	if (a->cxl_dctx)
		daxctl_unref(a->cxl_dctx);
	a->cxl_dctx = NULL;
}

/* The id of dax region "daxR.N" belongs to, -1 when it is no such name. */
static int region_id(const char *dax)
{
	int id, n;

	return sscanf(dax, "dax%d.%d", &id, &n) == 2 ? id : -1;
}

static struct daxctl_region *find_region(struct apply_ctx *a, int id)
{
	struct daxctl_region *region;

	if (cxl_ctx(a))
		return NULL;
	daxctl_region_foreach(a->cxl_dctx, region)
		if (daxctl_region_get_id(region) == id)
			return region;
	return NULL;
}

static struct daxctl_dev *find_dev(struct apply_ctx *a, const char *name)
{
	struct daxctl_region *region = find_region(a, region_id(name));
	struct daxctl_dev *dev;

	if (!region)
		return NULL;
	daxctl_dev_foreach(region, dev)
		if (!strcmp(daxctl_dev_get_devname(dev), name))
			return dev;
	return NULL;
}

static unsigned int nr_mappings(struct daxctl_dev *dev)
{
	struct daxctl_mapping *m;
	unsigned int n = 0;

	daxctl_mapping_foreach(dev, m)
		n++;
	return n;
}

/* The operation under way: "CXL region0: what[ dev]" */
static void set_desc(struct apply_ctx *a, const struct pp_cxl_region *c,
		     const char *what, const char *dev)
{
	snprintf(a->desc, sizeof(a->desc), "CXL %s: %s%s%s", c->dev, what,
		 dev ? " " : "", dev ? dev : "");
}

/*
 * Before anything changes: the region has a dax region whose devices
 * each hold one range (pmemplan divides no others), and the planned
 * devices fit its align.
 */
int apply_preflight_cxl(struct apply_ctx *a, const struct pp_cxl_plan *cp)
{
	const struct pp_cxl_region *c = cp->c;
	struct daxctl_region *region;
	struct daxctl_dev *dev;
	unsigned long align;
	unsigned int i;

	if (!pp_cxl_plan_has_work(cp))
		return 0;
	set_desc(a, c, "check its dax region", NULL);
	if (!c->nr_dax || region_id(c->dax[0].dev) < 0)
		return apply_refuse(a, "no dax region (dax_cxl makes it: modprobe dax_cxl, or the region is not enabled)");
	region = find_region(a, region_id(c->dax[0].dev));
	if (!region)
		return apply_refuse(a, "libdaxctl finds no dax region %d: load dax_cxl (modprobe dax_cxl) and see 'daxctl list -R'",
				    region_id(c->dax[0].dev));
	daxctl_dev_foreach(region, dev)
		if (nr_mappings(dev) > 1)
			return apply_refuse(a, "%s holds %u ranges; pmemplan divides regions whose devices hold one (daxctl destroy-device it first)",
					    daxctl_dev_get_devname(dev),
					    nr_mappings(dev));
	align = daxctl_region_get_align(region);
	for (i = 0; align && align != ULONG_MAX && i < cp->nr_dev; i++)
		if (cp->dev[i].start % align || cp->dev[i].size % align)
			return apply_refuse(a, "a planned device at %#llx is not aligned to the dax region's %lu",
					    (unsigned long long)cp->dev[i].start,
					    align);
	/*
	 * daxR.0 keeps its own align through size 0 and is mapped to the
	 * kmem range: mapping_store() checks that one (alloc_is_aligned()),
	 * so a raised align would fail only after the region is taken down
	 */
	daxctl_dev_foreach(region, dev) {
		if (daxctl_dev_get_id(dev))
			continue;
		align = daxctl_dev_get_align(dev);
		for (i = 0; align && align != ULONG_MAX && i < cp->nr_dev; i++)
			if (cp->dev[i].kmem && (cp->dev[i].start % align ||
						cp->dev[i].size % align))
				return apply_refuse(a, "%s has align %lu, which the planned kmem range at %#llx is not a multiple of (daxctl disable-device it, write the dax region's %lu to its align, then apply again)",
						    daxctl_dev_get_devname(dev),
						    align,
						    (unsigned long long)cp->dev[i].start,
						    daxctl_region_get_align(region));
	}
	return 0;
}

/* Was dax device name of c online in ZONE_NORMAL when probed? */
static bool in_normal(const struct pp_cxl_region *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nr_dax; i++)
		if (!strcmp(c->dax[i].dev, name))
			return !strcmp(c->dax[i].zone, "Normal");
	return false;
}

/*
 * Offline every block of a kmem device (the step daxctl's offline-memory
 * is): offline_pages() migrates what the pages hold, and fails with
 * -EBUSY on a page it cannot move, which ZONE_NORMAL may hold (the zone
 * auto_online_blocks=online puts hot-plugged memory in): then the error
 * says what to boot with.
 */
static int offline_step(struct apply_ctx *a, const struct pp_cxl_region *c,
			const char *name, struct daxctl_memory *mem,
			bool undoing)
{
	const char *what = "offline its blocks";
	int rc = undoing ? 0 : apply_begin_step(a, what);

	if (rc)
		return apply_fail(a, what, rc);
	rc = daxctl_memory_offline(mem);
	rc = rc < 0 ? rc : 0;
	if (!rc && daxctl_memory_is_online(mem) > 0)
		rc = -EBUSY;
	if (!rc || undoing)
		return rc;
	return apply_failf(a, rc, "%s: %s%s", what, strerror(-rc),
			   in_normal(c, name) ?
			   ": ZONE_NORMAL holds pages the kernel cannot move (boot with memhp_default_state=online_movable so that CXL memory comes up movable)" :
			   "");
}

/*
 * Take every dax device of the region down: offline and unbind kmem
 * (daxctl_memory_offline() migrates what the pages hold: nothing is
 * lost), unbind device_dax, size 0, delete all but daxR.0.
 */
static int take_down(struct apply_ctx *a, const struct pp_cxl_region *c,
		     int id, bool undoing)
{
	char names[CXL_MAX_SPECS][PP_NAME_MAX];
	struct daxctl_region *region = find_region(a, id);
	struct daxctl_memory *mem;
	struct daxctl_dev *dev;
	unsigned int n = 0, i;
	int rc = 0;

	if (!region)
		return undoing ? -ENODEV :
		       apply_failf(a, -ENODEV, "dax region %d is gone", id);
	daxctl_dev_foreach(region, dev)
		if (n < CXL_MAX_SPECS && (daxctl_dev_get_size(dev) ||
					  daxctl_dev_get_id(dev) > 0))
			pp_strscpy(names[n++], PP_NAME_MAX,
				   daxctl_dev_get_devname(dev));
	/* the youngest first: what delete takes, daxR.0 last */
	for (i = n; !rc && i-- > 0;) {
		set_desc(a, c, "take down", names[i]);
		dev = find_dev(a, names[i]);
		if (!dev)
			continue;
		mem = daxctl_dev_get_memory(dev);
		if (mem)
			rc = offline_step(a, c, names[i], mem, undoing);
		if (!rc && daxctl_dev_is_enabled(dev))
			APPLY_CALL(a, undoing, rc, mem ? "unbind kmem" :
				   "unbind device_dax", daxctl_dev_disable(dev));
		if (!rc && daxctl_dev_get_size(dev))
			APPLY_CALL(a, undoing, rc, "size 0",
				   daxctl_dev_set_size(dev, 0));
		if (!rc && daxctl_dev_get_id(dev) > 0)
			APPLY_CALL(a, undoing, rc, "delete",
				   daxctl_region_destroy_dev(
					daxctl_dev_get_region(dev), dev));
	}
	return rc;
}

/* The device "create" made last (drivers/dax/bus.c create_show()). */
static int youngest(struct daxctl_region *region, char *name, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/dax_region/create",
		 daxctl_region_get_path(region));
	return pp_sysfs_read(path, name, len);
}

static int write_mom(struct daxctl_dev *dev, int mom)
{
	char path[PATH_MAX], buf[16];

	apply_mom_path(dev, path, sizeof(path));
	/* absent before 6.8: kmem then follows the module parameter */
	if (pp_sysfs_read(path, buf, sizeof(buf)) ||
	    !strtoul(buf, NULL, 10) == !mom)
		return 0;
	return pp_sysfs_write(path, mom ? "1" : "0");
}

/*
 * Make the devices of specs, in their order: the kmem one (or else the
 * first) is daxR.0, the others are created; each placed by "mapping";
 * devdax bound at once, kmem last, under the auto-online policy.
 */
static int make(struct apply_ctx *a, const struct pp_cxl_region *c, int id,
		struct cxl_spec *specs, unsigned int n, bool undoing)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev;
	unsigned int i, zero = 0;
	char what[80];
	int rc = 0;

	for (i = 0; i < n; i++)
		if (specs[i].mode == PP_DAX_SYSTEM_RAM) {
			zero = i;
			break;
		}
	for (i = 0; !rc && i < n; i++) {
		struct cxl_spec *s = &specs[i];

		set_desc(a, c, s->mode == PP_DAX_SYSTEM_RAM ?
			 "make the system-ram device" : "make a devdax device",
			 NULL);
		if (i == zero) {
			snprintf(s->name, sizeof(s->name), "dax%d.0", id);
		} else {
			region = find_region(a, id);
			if (!region)
				return undoing ? -ENODEV :
				       apply_failf(a, -ENODEV, "dax region %d is gone", id);
			APPLY_CALL(a, undoing, rc, "create",
				   daxctl_region_create_dev(region));
			if (!rc && youngest(region, s->name, sizeof(s->name)))
				rc = undoing ? -ENXIO :
				     apply_failf(a, -ENXIO, "no new dax device in dax region %d",
						 id);
			if (rc)
				break;
		}
		dev = find_dev(a, s->name);
		if (!dev)
			return undoing ? -ENOENT :
			       apply_failf(a, -ENOENT, "libdaxctl finds no %s",
					   s->name);
		snprintf(what, sizeof(what), "%s: mapping %#llx-%#llx",
			 s->name, (unsigned long long)s->start,
			 (unsigned long long)(s->start + s->size - 1));
		APPLY_CALL(a, undoing, rc, what,
			   daxctl_dev_set_mapping(dev, s->start,
						  s->start + s->size - 1));
		if (!rc && s->mode == PP_DAX_SYSTEM_RAM && s->mom >= 0) {
			snprintf(what, sizeof(what), "%s: memmap_on_memory %d",
				 s->name, s->mom);
			APPLY_CALL(a, undoing, rc, what, write_mom(dev, s->mom));
		}
		if (!rc && s->mode == PP_DAX_DEVDAX) {
			snprintf(what, sizeof(what), "%s: bind device_dax",
				 s->name);
			APPLY_CALL(a, undoing, rc, what,
				   daxctl_dev_enable_devdax(dev));
		}
	}
	for (i = 0; !rc && i < n; i++) {
		if (specs[i].mode != PP_DAX_SYSTEM_RAM)
			continue;
		set_desc(a, c, "system-ram", specs[i].name);
		dev = find_dev(a, specs[i].name);
		if (!dev)
			return undoing ? -ENOENT :
			       apply_failf(a, -ENOENT, "libdaxctl finds no %s",
					   specs[i].name);
		rc = apply_bind_kmem(a, c->dev, dev, specs[i].blocks,
				     specs[i].zone, specs[i].online, undoing);
	}
	return rc;
}

/* What the kernel made, checked against the plan: iomem and sysfs. */
static int verify(struct apply_ctx *a, const struct pp_cxl_plan *cp,
		  const struct cxl_spec *specs)
{
	const char *want = cp->zone == PP_ZONE_NORMAL ? "Normal" : "Movable";
	uint64_t bsz = a->t->plat.block_size.value, ks, ke, total, online;
	struct daxctl_dev *dev;
	char zone[16];
	unsigned int i;
	int rc;

	set_desc(a, cp->c, "verify", NULL);
	for (i = 0; i < cp->nr_dev; i++) {
		const struct pp_cxl_dev *d = &cp->dev[i];

		dev = find_dev(a, specs[i].name);
		if (!dev || daxctl_dev_get_resource(dev) != d->start ||
		    daxctl_dev_get_size(dev) != d->size)
			return apply_failf(a, -EDOM, "%s is not [%#llx, %#llx)",
					   specs[i].name,
					   (unsigned long long)d->start,
					   (unsigned long long)d->start + d->size);
		if (!daxctl_dev_is_enabled(dev))
			return apply_failf(a, -EDOM, "%s has no driver",
					   specs[i].name);
		if (!d->kmem)
			continue;
		rc = apply_kmem_range(dev, &ks, &ke);
		if (rc)
			return apply_failf(a, -EDOM, "no System RAM (kmem) for %s in /proc/iomem",
					   specs[i].name);
		if (ks != d->start || ke != d->start + d->size)
			return apply_failf(a, -EDOM, "kmem %#llx-%#llx, predicted %#llx-%#llx",
					   (unsigned long long)ks,
					   (unsigned long long)ke - 1,
					   (unsigned long long)d->start,
					   (unsigned long long)(d->start + d->size - 1));
		total = online = 0;
		zone[0] = '\0';
		pp_walk_blocks(ks, ke, bsz, &total, &online, zone,
			       sizeof(zone));
		if (online != cp->blocks || total != cp->blocks)
			return apply_failf(a, -EDOM, "%llu of %llu memory blocks online",
					   (unsigned long long)online,
					   (unsigned long long)cp->blocks);
		if (strcmp(zone, want))
			return apply_failf(a, -EDOM, "the blocks are in zone %s, not %s",
					   zone[0] ? zone : "(none)", want);
	}
	return 0;
}

static struct pp_apply_cxl *add_result(struct pp_apply_result *res,
				       const struct pp_cxl_plan *cp)
{
	struct pp_apply_cxl *v = realloc(res->cxl,
					 (res->nr_cxl + 1) * sizeof(*v));

	if (!v)
		return NULL;
	res->cxl = v;
	v = &res->cxl[res->nr_cxl++];
	memset(v, 0, sizeof(*v));
	pp_strscpy(v->region, sizeof(v->region), cp->c->dev);
	v->nr_dev = cp->nr_dev;
	v->ram_gain_predicted = cp->ram_gain;
	return v;
}

int apply_cxl_region(struct apply_ctx *a, const struct pp_cxl_plan *cp)
{
	struct cxl_spec specs[3];
	struct pp_apply_cxl *r;
	uint64_t before, removed;
	unsigned int i;
	struct undo *u;
	int id, rc;

	if (!pp_cxl_plan_has_work(cp))
		return 0;
	id = region_id(cp->c->dax[0].dev);
	r = add_result(a->res, cp);
	u = r ? apply_push_undo(a, U_CXL, cp->c->dev, cp->c->dax[0].dev) :
	    NULL;
	if (!u)
		return apply_fail(a, "journal", -ENOMEM);
	u->cxl = cp->c;
	memset(specs, 0, sizeof(specs));
	for (i = 0; i < cp->nr_dev; i++) {
		specs[i].start = cp->dev[i].start;
		specs[i].size = cp->dev[i].size;
		specs[i].mode = cp->dev[i].kmem ? PP_DAX_SYSTEM_RAM :
				PP_DAX_DEVDAX;
		/* where kmem cannot place the memmap on the memory the
		 * attribute is moot, and "1" cannot be written back */
		specs[i].mom = cp->mom_supported ? cp->mom : -1;
		specs[i].zone = cp->zone;
		specs[i].online = true;
		specs[i].blocks = cp->blocks;
	}
	before = apply_mem_total();
	rc = take_down(a, cp->c, id, false);
	if (rc)
		return rc;
	r->mem_total_unbound = apply_mem_total();
	rc = make(a, cp->c, id, specs, cp->nr_dev, false);
	if (rc)
		return rc;
	STEP(a, rc, "verify", 0);
	rc = rc ?: verify(a, cp, specs);
	if (rc)
		return rc;
	r->mem_total_bound = apply_mem_total();
	for (i = 0; i < cp->nr_dev; i++)
		pp_strscpy(r->dev[i], PP_NAME_MAX, specs[i].name);
	r->done = true;
	/* MemTotal lost what the old devices held, then grew by the plan's */
	removed = before > r->mem_total_unbound ?
		  before - r->mem_total_unbound : 0;
	if (cp->ram_gain > removed)
		a->res->ram_gain_predicted += cp->ram_gain - removed;
	/* its struct pages in DRAM, if any, replace those of the old
	 * devices: not added to what MemTotal's growth costs */
	return 0;
}

/*
 * A kmem device still as d was: its online blocks in d's zone (some may
 * be offline unless all_online: as many online as d had), its
 * memmap_on_memory the same (written only while unbound: a device
 * re-bound with another one is not as it was).
 */
static bool bound_as_was(struct apply_ctx *a, struct daxctl_dev *dev,
			 const struct pp_dax *d, bool all_online)
{
	uint64_t bsz = a->t->plat.block_size.value, ks, ke, total = 0;
	uint64_t online = 0;
	char zone[16] = "", path[PATH_MAX], buf[16];

	if (!apply_kmem_range(dev, &ks, &ke) && bsz)
		pp_walk_blocks(ks, ke, bsz, &total, &online, zone,
			       sizeof(zone));
	if (online && strcmp(zone, d->zone))
		return false;
	if (all_online && online != d->online_blocks)
		return false;
	apply_mom_path(dev, path, sizeof(path));
	return d->memmap_on_memory < 0 || pp_sysfs_read(path, buf, sizeof(buf)) ||
	       !strtoul(buf, NULL, 10) == !d->memmap_on_memory;
}

/*
 * The region has the devices it had, each bound as it was: a step failed
 * before anything was taken down, or while blocks were being offlined
 * (some may be offline now: online_as_was(); with all_online, none is
 * that was online).
 */
static bool as_it_was(struct apply_ctx *a, const struct pp_cxl_region *c,
		      int id, bool all_online)
{
	struct daxctl_region *region = find_region(a, id);
	const struct pp_dax *d;
	struct daxctl_dev *dev;
	unsigned int i, n = 0, sized = 0;
	enum pp_dax_mode mode;

	if (!region)
		return false;
	for (i = 0; i < c->nr_dax; i++)
		sized += c->dax[i].size > 0;
	daxctl_dev_foreach(region, dev) {
		if (!daxctl_dev_get_size(dev))
			continue;
		d = pp_cxl_dax_at(c, daxctl_dev_get_resource(dev),
			   daxctl_dev_get_size(dev));
		mode = daxctl_dev_get_memory(dev) ? PP_DAX_SYSTEM_RAM :
		       daxctl_dev_is_enabled(dev) ? PP_DAX_DEVDAX :
		       PP_DAX_DISABLED;
		if (!d || d->mode != mode ||
		    (mode == PP_DAX_SYSTEM_RAM &&
		     !bound_as_was(a, dev, d, all_online)))
			return false;
		n++;
	}
	return n == sized;
}

/* Online again, in the zone they were in, the blocks offlining left. */
static int online_as_was(struct apply_ctx *a, const struct pp_cxl_region *c,
			 int id)
{
	struct daxctl_region *region = find_region(a, id);
	struct daxctl_memory *mem;
	const struct pp_dax *d;
	struct daxctl_dev *dev;
	int rc = 0, on;

	if (!region)
		return -ENODEV;
	daxctl_dev_foreach(region, dev) {
		mem = daxctl_dev_get_memory(dev);
		d = mem ? pp_cxl_dax_at(c, daxctl_dev_get_resource(dev),
				 daxctl_dev_get_size(dev)) : NULL;
		if (!d || !d->online_blocks)
			continue;
		on = daxctl_memory_is_online(mem);
		if (on >= 0 && (uint64_t)on >= d->online_blocks)
			continue;
		rc = !strcmp(d->zone, "Normal") ?
		     daxctl_memory_online_no_movable(mem) :
		     daxctl_memory_online(mem);
		if (rc < 0)
			return rc;
		rc = 0;
	}
	return rc;
}

/* The devices as probed before apply, made again. */
int apply_undo_cxl(struct apply_ctx *a, struct undo *u)
{
	const struct pp_cxl_region *c = u->cxl;
	struct cxl_spec specs[CXL_MAX_SPECS];
	unsigned int i, n = 0;
	int id = region_id(u->dev), rc;

	memset(specs, 0, sizeof(specs));
	for (i = 0; i < c->nr_dax && n < CXL_MAX_SPECS; i++) {
		const struct pp_dax *d = &c->dax[i];
		struct cxl_spec *s = &specs[n];

		if (!d->size || d->start == PP_UNKNOWN)
			continue;
		s->start = d->start;
		s->size = d->size;
		s->mode = d->mode;
		s->mom = d->memmap_on_memory;
		s->zone = !strcmp(d->zone, "Normal") ? PP_ZONE_NORMAL :
			  PP_ZONE_MOVABLE;
		s->online = d->online_blocks > 0;
		s->blocks = d->total_blocks;
		n++;
	}
	if (as_it_was(a, c, id, false)) {
		rc = online_as_was(a, c, id);
	} else {
		rc = take_down(a, c, id, true);
		rc = rc ?: make(a, c, id, specs, n, true);
	}
	/*
	 * Measured, not assumed: the kernel picks the zone of what
	 * online_no_movable onlines, and binding kmem may attach an unbound
	 * device of a kmem-type region too (drivers/dax/bus.c
	 * dax_match_type())
	 */
	if (!rc && !as_it_was(a, c, id, true))
		rc = -ENOTRECOVERABLE;
	return rc;
}
