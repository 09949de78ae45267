// SPDX-License-Identifier: GPL-2.0
/*
 * CXL regions (/sys/bus/cxl/devices/regionN): mode, HPA range, interleave,
 * the root decoder (the CXL fixed memory window) and the endpoint
 * decoders, and for a ram region the dax region dax_cxl made of it, its
 * dax devices and what kmem hot-plugged of each.  For a pmem region the
 * nvdimm region cxl_pmem made of it (probed with the other nvdimm
 * regions, kind "cxl"; pp_probe_cxl_link()).
 *
 * On the running system libcxl gives what it has: the regions of each
 * root decoder, their resource, size, interleave ways and granularity,
 * commit and enable state and targets, and the root decoder's window.
 * What libcxl (ndctl 76.1) lacks is read from sysfs: the region's mode
 * (cxl_region_get_mode() came after 76.1), its dax region and dax
 * devices (libdaxctl cannot be asked for the dax region of a CXL region).
 * libcxl reads only the running system's /sys, so under --sysroot every
 * fact comes from the tree's sysfs instead (tests/sysroot/6.12-cxl), by
 * the same attributes.  Links (driver, subsystem) are never followed
 * there: the bound driver is uevent's DRIVER= line, and the region's root
 * decoder the decoder that has it as a child directory (cxl/core/region.c
 * devm_cxl_add_region() parents it there).
 */
#include <dirent.h>
#include <errno.h>
#include <syslog.h>
#include <sys/stat.h>
#include <cxl/libcxl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse/parse.h"
#include "probe/probe_state.h"
#include "system/memblock.h"
#include "system/paths.h"
#include "system/sysroot.h"

/* dir/name into buf; false when it does not fit */
static bool join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n >= 0 && (size_t)n < len;
}

static int attr_str(const char *dir, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	if (!join(path, sizeof(path), dir, attr))
		return -ENAMETOOLONG;
	return pp_sysroot_read(path, buf, len);
}

/* hex with 0x ("0x11d0000000", "0x0000000040000000") or decimal */
static uint64_t attr_u64(const char *dir, const char *attr)
{
	char path[PATH_MAX];
	uint64_t v;

	if (!join(path, sizeof(path), dir, attr) ||
	    pp_sysroot_read_u64(path, 0, &v))
		return PP_UNKNOWN;
	return v;
}

/* The DRIVER= line of dir/uevent (drivers/base/core.c dev_uevent()). */
static void attr_driver(const char *dir, char *buf, size_t len)
{
	char text[512], *s, *save;

	buf[0] = '\0';
	if (attr_str(dir, "uevent", text, sizeof(text)))
		return;
	for (s = strtok_r(text, "\n", &save); s;
	     s = strtok_r(NULL, "\n", &save))
		if (!strncmp(s, "DRIVER=", 7))
			pp_strscpy(buf, len, s + 7);
}

static bool name_is(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(name, prefix, n) && name[n] >= '0' && name[n] <= '9';
}

/* The first entry of dir named prefix<N>, into buf; false for none. */
static bool find_child(const char *dir, const char *prefix, char *buf,
		       size_t len)
{
	struct dirent *de;
	DIR *d = pp_sysroot_opendir(dir);
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		if (name_is(de->d_name, prefix)) {
			pp_strscpy(buf, len, de->d_name);
			found = true;
		}
	closedir(d);
	return found;
}

/* The root decoder holding the region as a child: the window. */
static void probe_window(struct pp_cxl_region *c)
{
	char dir[PATH_MAX], path[PATH_MAX], type[32];
	struct dirent *de;
	DIR *d = pp_sysroot_opendir(PP_SYS_CXL_DEVICES);

	if (!d)
		return;
	while ((de = readdir(d))) {
		DIR *sub;

		if (!name_is(de->d_name, "decoder"))
			continue;
		if (!join(dir, sizeof(dir), PP_SYS_CXL_DEVICES, de->d_name) ||
		    attr_str(dir, "devtype", type, sizeof(type)) ||
		    strcmp(type, "cxl_decoder_root"))
			continue;
		sub = join(path, sizeof(path), dir, c->dev) ?
		      pp_sysroot_opendir(path) : NULL;
		if (!sub)
			continue;
		closedir(sub);
		pp_strscpy(c->decoder, sizeof(c->decoder), de->d_name);
		c->window_start = attr_u64(dir, "start");
		c->window_size = attr_u64(dir, "size");
		break;
	}
	closedir(d);
}

/* The kmem ranges, blocks and zone of a dax device bound to kmem. */
static void probe_kmem(struct probe_state *st, struct pp_dax *d)
{
	uint64_t bsz = st->t->plat.block_size.value, lo, hi;

	if (!pp_probe_kmem_span(st, d, &lo, &hi))
		return;
	if (lo >= hi) {
		d->total_blocks = d->online_blocks = 0;
		return;
	}
	pp_walk_blocks(lo, hi, bsz, &d->total_blocks, &d->online_blocks,
		       d->zone, sizeof(d->zone));
}

/*
 * One dax device of the dax region (drivers/dax/bus.c): resource (0400),
 * size, align, target_node, memmap_on_memory (v6.8+), its driver.
 */
static int probe_dax(struct probe_state *st, struct pp_cxl_region *c,
		     const char *name)
{
	char dir[PATH_MAX], drv[32];
	struct pp_dax *d;
	uint64_t v;

	d = pp_cxl_add_dax(c);
	if (!d)
		return c->nr_dax >= PP_CXL_MAX_DAX ? 0 : -ENOMEM;
	pp_strscpy(d->dev, sizeof(d->dev), name);
	if (!join(dir, sizeof(dir), PP_SYS_DAX_DEVICES, name))
		return 0;
	d->start = attr_u64(dir, "resource");
	if (d->start == PP_UNKNOWN || !d->start) {
		d->start = PP_UNKNOWN;
		st->addr_hidden |= !st->t->plat.is_root;
	}
	d->size = attr_u64(dir, "size");
	v = attr_u64(dir, "align");
	if (v && v != PP_UNKNOWN)
		d->align = v;
	v = attr_u64(dir, "target_node");
	d->target_node = v == PP_UNKNOWN || v > INT_MAX ? -1 : (int)v;
	v = attr_u64(dir, "memmap_on_memory");
	d->memmap_on_memory = v == PP_UNKNOWN ? -1 : v ? 1 : 0;
	attr_driver(dir, drv, sizeof(drv));
	if (!strcmp(drv, "kmem")) {
		d->mode = PP_DAX_SYSTEM_RAM;
		probe_kmem(st, d);
	} else if (drv[0]) {
		d->mode = PP_DAX_DEVDAX;
	}
	if (c->target_node < 0)
		c->target_node = d->target_node;
	return 0;
}

/*
 * dax_cxl's dax region, a child of the region (drivers/dax/cxl.c
 * cxl_dax_region_probe(): "dax_regionN"), and its devices daxN.M.  A
 * size-0 device is the region's seed, left for daxctl create-device.
 */
static int probe_dax_region(struct probe_state *st, struct pp_cxl_region *c,
			    const char *rdir)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (!find_child(rdir, "dax_region", c->dax_region,
			sizeof(c->dax_region)))
		return 0;
	if (!join(dir, sizeof(dir), rdir, c->dax_region))
		return 0;
	/* the attributes are in the "dax_region" group (dax/bus.c) */
	c->dax_available = attr_u64(dir, "dax_region/available_size");
	d = pp_sysroot_opendir(dir);
	if (!d)
		return 0;
	while (!rc && (de = readdir(d)))
		if (name_is(de->d_name, "dax") && strchr(de->d_name, '.'))
			rc = probe_dax(st, c, de->d_name);
	closedir(d);
	return rc;
}

static void sysfs_facts(struct probe_state *st, struct pp_cxl_region *c,
			const char *dir)
{
	char buf[64], attr[24];
	unsigned int i;
	uint64_t v;

	/*
	 * region.c resource_show(): readable by all on 6.12 (the root
	 * decoder's start and the dax devices' resource are 0400)
	 */
	c->start = attr_u64(dir, "resource");
	if (c->start == PP_UNKNOWN)
		st->addr_hidden |= !st->t->plat.is_root;
	c->size = attr_u64(dir, "size");
	v = attr_u64(dir, "interleave_ways");
	if (v && v <= PP_CXL_MAX_TARGETS)
		c->ways = (unsigned int)v;
	c->granularity = attr_u64(dir, "interleave_granularity");
	c->committed = attr_u64(dir, "commit") == 1;
	attr_driver(dir, buf, sizeof(buf));
	c->enabled = !strcmp(buf, "cxl_region");
	for (i = 0; i < c->ways; i++) {
		snprintf(attr, sizeof(attr), "target%u", i);
		if (attr_str(dir, attr, buf, sizeof(buf)) || !buf[0])
			continue;
		pp_strscpy(c->targets[c->nr_targets++], PP_NAME_MAX, buf);
	}
	probe_window(c);
}

/*
 * A root decoder's window: its start and size, each left unknown where
 * libcxl has ULLONG_MAX (the start is 0400: unreadable as nobody).
 */
static void libcxl_window(struct cxl_decoder *root, uint64_t *start,
			  uint64_t *size)
{
	unsigned long long v = cxl_decoder_get_resource(root);

	if (v != ULLONG_MAX)
		*start = v;
	v = cxl_decoder_get_size(root);
	if (v != ULLONG_MAX)
		*size = v;
}

/*
 * The facts libcxl has (cxl/lib/libcxl.c add_cxl_region(), read when the
 * context is made): resource (ULLONG_MAX when unreadable), size,
 * interleave, decode state, enabled, targets, and the root decoder's.
 */
static void libcxl_facts(struct probe_state *st, struct pp_cxl_region *c,
			 struct cxl_region *lib)
{
	struct cxl_decoder *root = cxl_region_get_decoder(lib), *ep;
	unsigned long long v;
	unsigned int i, ways;

	v = cxl_region_get_resource(lib);
	if (v != ULLONG_MAX)
		c->start = v;
	else
		st->addr_hidden |= !st->t->plat.is_root;
	v = cxl_region_get_size(lib);
	if (v != ULLONG_MAX)
		c->size = v;
	ways = cxl_region_get_interleave_ways(lib);
	if (ways && ways <= PP_CXL_MAX_TARGETS)
		c->ways = ways;
	v = cxl_region_get_interleave_granularity(lib);
	if (v && v != UINT_MAX)
		c->granularity = v;
	c->committed = cxl_region_decode_is_committed(lib) == 1;
	c->enabled = cxl_region_is_enabled(lib) == 1;
	for (i = 0; i < c->ways; i++) {
		ep = cxl_region_get_target_decoder(lib, (int)i);
		if (ep)
			pp_strscpy(c->targets[c->nr_targets++], PP_NAME_MAX,
				   cxl_decoder_get_devname(ep));
	}
	if (!root)
		return;
	pp_strscpy(c->decoder, sizeof(c->decoder),
		   cxl_decoder_get_devname(root));
	libcxl_window(root, &c->window_start, &c->window_size);
}

/* What libcxl lacks, or everything under a sysroot (sysfs_facts). */
static int probe_cxl_region(struct probe_state *st, const char *name,
			    struct cxl_region *lib)
{
	char dir[PATH_MAX], buf[64];
	struct pp_cxl_region *c;

	c = pp_topology_add_cxl(st->t);
	if (!c)
		return -ENOMEM;
	pp_strscpy(c->dev, sizeof(c->dev), name);
	if (!join(dir, sizeof(dir), PP_SYS_CXL_DEVICES, name))
		return 0;
	if (lib)
		libcxl_facts(st, c, lib);
	else
		sysfs_facts(st, c, dir);
	/*
	 * region.c mode_show(), v6.3+ (with create_ram_region); before, a
	 * region could only be made by create_pmem_region
	 */
	if (!attr_str(dir, "mode", buf, sizeof(buf)))
		c->mode = !strcmp(buf, "ram") ? PP_CXL_RAM :
			  !strcmp(buf, "pmem") ? PP_CXL_PMEM : PP_CXL_UNKNOWN;
	else
		c->mode = PP_CXL_PMEM;
	if (c->mode == PP_CXL_RAM)
		return probe_dax_region(st, c, dir);
	return 0;
}

static int cxl_cmp(const void *a, const void *b)
{
	return pp_devname_cmp(((const struct pp_cxl_region *)a)->dev,
			      ((const struct pp_cxl_region *)b)->dev);
}

static int dax_cmp(const void *a, const void *b)
{
	return pp_devname_cmp(((const struct pp_dax *)a)->dev,
			      ((const struct pp_dax *)b)->dev);
}

/*
 * The nvdimm region of each pmem region: cxl_pmem_region_probe()
 * (drivers/cxl/pmem.c) creates it on the nvdimm bridge's bus, not under
 * the region, over the same HPA range: matched by address (root only).
 */
void pp_probe_cxl_link(struct pp_topology *t)
{
	unsigned int i, j;

	for (i = 0; i < t->nr_cxl; i++) {
		struct pp_cxl_region *c = &t->cxl[i];

		if (c->mode != PP_CXL_PMEM || c->start == PP_UNKNOWN)
			continue;
		for (j = 0; j < t->nr_regions; j++)
			if (t->regions[j].kind == PP_REGION_CXL &&
			    t->regions[j].start == c->start)
				pp_strscpy(c->nd_region, sizeof(c->nd_region),
					   t->regions[j].dev);
	}
}

/*
 * A memdev's volatile capacity in no endpoint decoder yet: its ram
 * partition (memN/ram/size) less the dpa_size of its endpoint decoders
 * in ram mode, and the first endpoint decoder with no DPA, the one a new
 * region takes (drivers/cxl/core/hdm.c __cxl_dpa_reserve(), under
 * cxl_dpa_alloc(), wants the decoders allocated in id order).  0 when it
 * has no free decoder.
 */
static uint64_t memdev_ram_free(struct cxl_memdev *md, char *ep, size_t len)
{
	struct cxl_endpoint *endpoint = cxl_memdev_get_endpoint(md);
	unsigned long long ram = cxl_memdev_get_ram_size(md), used = 0, v;
	struct cxl_decoder *d;
	struct cxl_port *port;

	ep[0] = '\0';
	if (!endpoint || !ram || ram == ULLONG_MAX)
		return 0;
	port = cxl_endpoint_get_port(endpoint);
	cxl_decoder_foreach(port, d) {
		v = cxl_decoder_get_dpa_size(d);
		if (v == ULLONG_MAX)
			continue;
		if (v && cxl_decoder_get_mode(d) == CXL_DECODER_MODE_RAM)
			used += v;
		else if (!v && !ep[0] && !cxl_decoder_get_region(d))
			pp_strscpy(ep, len, cxl_decoder_get_devname(d));
	}
	return ep[0] && used < ram ? ram - used : 0;
}

/*
 * Free CXL ram capacity (struct pp_cxl_free): each memdev with volatile
 * capacity in no decoder, beside each window that can hold volatile
 * memory (cap_ram: cxl_decoder_is_volatile_capable()) and has the
 * memdev's host bridge among its targets (libcxl matches the memdev's
 * host path).  libcxl only: under --sysroot nothing is read (the captured
 * trees hold no memdevs).
 */
static int probe_libcxl_free(struct probe_state *st, struct cxl_ctx *ctx)
{
	struct cxl_decoder *root;
	struct cxl_memdev *md;
	struct cxl_bus *bus;
	char ep[PP_NAME_MAX];

	cxl_memdev_foreach(ctx, md) {
		uint64_t free_ram = memdev_ram_free(md, ep, sizeof(ep));

		if (!free_ram)
			continue;
		cxl_bus_foreach(ctx, bus)
			cxl_decoder_foreach(cxl_bus_get_port(bus), root) {
				struct pp_cxl_free *f;

				if (!cxl_decoder_is_volatile_capable(root) ||
				    !cxl_decoder_get_target_by_memdev(root, md))
					continue;
				f = pp_topology_add_cxl_free(st->t);
				if (!f)
					return st->t->nr_cxl_free >=
					       PP_CXL_MAX_FREE ? 0 : -ENOMEM;
				pp_strscpy(f->memdev, sizeof(f->memdev),
					   cxl_memdev_get_devname(md));
				pp_strscpy(f->endpoint, sizeof(f->endpoint), ep);
				f->ram_size = cxl_memdev_get_ram_size(md);
				f->ram_free = free_ram;
				pp_strscpy(f->decoder, sizeof(f->decoder),
					   cxl_decoder_get_devname(root));
				libcxl_window(root, &f->window_start,
					      &f->window_size);
				if (f->window_start == PP_UNKNOWN)
					st->addr_hidden |= !st->t->plat.is_root;
			}
	}
	return 0;
}

/*
 * Every region of every root decoder (the regions are its children).  No
 * CXL bus, or no libcxl context (no /sys/bus/cxl): nothing to say.  The
 * library logs at LOG_ERR to stderr by default: quiet unless -v.
 */
static int probe_libcxl(struct probe_state *st)
{
	struct cxl_decoder *decoder;
	struct cxl_region *region;
	struct cxl_bus *bus;
	struct cxl_ctx *ctx;
	struct stat sb;
	int rc = 0;

	if (stat(PP_SYS_CXL_DEVICES, &sb) || cxl_new(&ctx))
		return 0;
	/* as setup_logging() (probe.c) sets libndctl's and libdaxctl's */
	cxl_set_log_priority(ctx, st->verbose > 2 ? LOG_DEBUG :
			     st->verbose == 2 ? LOG_INFO :
			     st->verbose ? LOG_NOTICE : LOG_CRIT);
	cxl_bus_foreach(ctx, bus) {
		struct cxl_port *port = cxl_bus_get_port(bus);

		cxl_decoder_foreach(port, decoder)
			cxl_region_foreach(decoder, region) {
				rc = probe_cxl_region(st,
					cxl_region_get_devname(region), region);
				if (rc)
					goto out;
			}
	}
	rc = probe_libcxl_free(st, ctx);
out:
	cxl_unref(ctx);
	return rc;
}

int pp_probe_cxl(struct probe_state *st)
{
	struct pp_topology *t = st->t;
	struct dirent *de;
	unsigned int i;
	DIR *d;
	int rc = 0;

	if (pp_sysroot_get()[0]) {
		d = pp_sysroot_opendir(PP_SYS_CXL_DEVICES);
		if (!d)
			return 0;	/* no CXL bus: nothing to say */
		while (!rc && (de = readdir(d)))
			if (name_is(de->d_name, "region"))
				rc = probe_cxl_region(st, de->d_name, NULL);
		closedir(d);
	} else {
		rc = probe_libcxl(st);
	}
	if (t->nr_cxl > 1)
		qsort(t->cxl, t->nr_cxl, sizeof(*t->cxl), cxl_cmp);
	for (i = 0; i < t->nr_cxl; i++)
		if (t->cxl[i].nr_dax > 1)
			qsort(t->cxl[i].dax, t->cxl[i].nr_dax,
			      sizeof(*t->cxl[i].dax), dax_cmp);
	return rc;
}
