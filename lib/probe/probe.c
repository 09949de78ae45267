// SPDX-License-Identifier: GPL-2.0
/*
 * The live topology: libndctl for regions and namespaces, libdaxctl for
 * the dax-bus devices behind devdax namespaces, sysfs and /proc for the
 * platform facts and for what kmem actually hot-plugged.  This file runs
 * the probe: the platform (platform.c), then every PMEM region
 * (region.c), its namespaces (namespace.c) and their dax devices
 * (dax.c); then it sorts what libndctl listed and adds the notes.
 *
 * Physical addresses (regionN/resource, namespaceX.Y/resource, the pfn and
 * dax "resource" attributes) are 0400 in sysfs and /proc/iomem shows zeros
 * to readers without CAP_SYS_ADMIN (kernel-model.md §7), so a non-root
 * probe leaves them PP_UNKNOWN and says so once.  Everything else is
 * world-readable and is read either way.
 */
#include <errno.h>
#include <stdlib.h>
#include <syslog.h>
#include <sys/stat.h>
#include <linux/ndctl.h>	/* ND_DEVICE_*: <ndctl/ndctl.h> needs ccan */
#include "probe/probe.h"
#include "probe/probe_state.h"
#include "system/libctx.h"
#include "system/paths.h"
#include "system/sysroot.h"

static int probe_verbose;

void pp_probe_set_verbose(int level)
{
	probe_verbose = level < 0 ? 0 : level;
}

int pp_probe_set_sysroot(const char *dir)
{
	return pp_sysroot_set(dir);
}

/* ------------------------------------------------------------------ */
/* Ordering: libndctl lists children in reverse readdir order          */
/* ------------------------------------------------------------------ */

/* "region10" after "region9", "namespace1.10" after "namespace1.9" */
int pp_devname_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			unsigned long long x, y;
			char *ea, *eb;

			x = strtoull(a, &ea, 10);
			y = strtoull(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static int region_cmp(const void *a, const void *b)
{
	return pp_devname_cmp(((const struct pp_region *)a)->dev,
			   ((const struct pp_region *)b)->dev);
}

static int ns_cmp(const void *a, const void *b)
{
	return pp_devname_cmp(((const struct pp_namespace *)a)->dev,
			   ((const struct pp_namespace *)b)->dev);
}

static void sort_topology(struct pp_topology *t)
{
	unsigned int i;

	if (t->nr_regions > 1)
		qsort(t->regions, t->nr_regions, sizeof(*t->regions),
		      region_cmp);
	for (i = 0; i < t->nr_regions; i++)
		if (t->regions[i].nr_ns > 1)
			qsort(t->regions[i].ns, t->regions[i].nr_ns,
			      sizeof(*t->regions[i].ns), ns_cmp);
}

/*
 * The libraries log at LOG_ERR to stderr by default (util/log.c
 * log_init()), e.g. "libdaxctl: memblock_in_dev: dax0.0: Unable to
 * determine resource" for every non-root probe of a kmem device.  Route
 * everything through our own sink, which is silent unless -v.
 */
static void setup_logging(struct ndctl_ctx *ctx, struct daxctl_ctx *dctx)
{
	static const int prio[] = { LOG_CRIT, LOG_NOTICE, LOG_INFO, LOG_DEBUG };
	int level = probe_verbose > 3 ? 3 : probe_verbose;

	if (!level && (getenv("NDCTL_LOG") || getenv("DAXCTL_LOG")))
		return;
	pp_libctx_log(ctx, dctx, level > 0, prio[level]);
}

/* ------------------------------------------------------------------ */

static int add_notes(struct probe_state *st)
{
	struct pp_topology *t = st->t;
	int rc = 0;

	if (st->no_dax_seed[0]) {
		pp_strscpy(t->no_devdax, sizeof(t->no_devdax),
			   st->no_dax_seed);
		rc = pp_topology_note(t,
			"kernel has no devdax support (%s has no dax seed: "
			"CONFIG_ZONE_DEVICE off): no devdax namespace, no kmem",
			st->no_dax_seed);
	}
	if (!rc && st->label_unread[0])
		rc = pp_topology_note(t,
			"%s: its label area could not be read (run as root): "
			"initialising its labels counts as destructive "
			"(--force)", st->label_unread);
	if (!rc && st->addr_hidden)
		rc = pp_topology_note(t,
			"physical addresses need root: run as root to see "
			"resources, data offsets, kmem ranges and hot-plugged "
			"blocks");
	return rc;
}

int pp_probe(struct pp_topology *t)
{
	struct probe_state st = { .t = t, .verbose = probe_verbose };
	struct ndctl_region *region;
	struct daxctl_ctx *dctx;
	struct ndctl_bus *bus;
	struct ndctl_ctx *ctx;
	struct stat sb;
	int rc;

	rc = pp_probe_platform(&t->plat, t);
	if (rc)
		return rc;

	/* CXL regions first: a machine with CXL ram may have no libnvdimm */
	rc = pp_probe_cxl(&st);
	if (rc)
		goto out_cxl;

	/*
	 * No libnvdimm, no pmem: not an error, and no reason to need the
	 * libraries (udev, kmod) to initialise.  The real /sys, not the
	 * sysroot's: libndctl reads the running system whatever the sysroot.
	 */
	if (stat(PP_SYS_ND, &sb)) {
		rc = t->nr_cxl || t->nr_cxl_free ? add_notes(&st) : pp_topology_note(t,
			"no /sys/bus/nd: the libnvdimm driver is not loaded");
		goto out_cxl;
	}

	rc = pp_libctx_new(&ctx, &dctx);
	if (rc)
		return rc;
	setup_logging(ctx, dctx);
	if (!dctx) {
		rc = -ENXIO;
		goto out;
	}

	ndctl_bus_foreach(ctx, bus) {
		ndctl_region_foreach(bus, region) {
			/* BLK regions are gone since v5.18 and not for kmem */
			if (ndctl_region_get_type(region) !=
			    ND_DEVICE_REGION_PMEM)
				continue;
			rc = pp_probe_region(&st, region);
			if (rc)
				goto out;
		}
	}
	sort_topology(t);
	pp_probe_cxl_link(t);
	rc = add_notes(&st);

out:
	ndctl_unref(ctx);
out_cxl:
	free(st.iomem);
	return rc;
}
