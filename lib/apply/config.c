// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent reconfiguration: the daxctl.conf.d file that "pmemplan apply
 * --restore" reads at boot (pmemplan-restore@.service, restore.c), in
 * daxctl's format, so that "daxctl reconfigure-device --check-config"
 * reads the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "apply/apply_ctx.h"
#include "system/libctx.h"

/* The section of one devdax namespace that is System RAM now. */
static bool config_section(FILE *f, struct ndctl_region *region,
			   struct ndctl_namespace *ndns, char *uu)
{
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	struct daxctl_memory *mem;
	struct daxctl_dev *dev;
	uuid_t u;

	dev = dax ? apply_ns_daxdev(ndns) : NULL;
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
	struct daxctl_ctx *dctx;
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
	rc = pp_libctx_new(&ctx, &dctx);
	if (rc) {
		snprintf(err, errlen, "cannot initialise libndctl");
		return rc;
	}
	/* -1: the libraries' own priority, as daxctl itself */
	pp_libctx_log(ctx, dctx, apply_lib_verbose, -1);
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
	      "# namespaces that were System RAM then, made System RAM again\n"
	      "# at boot by pmemplan-restore@.service (pmemplan apply --restore;\n"
	      "# daxctl reconfigure-device --check-config reads it too), keyed\n"
	      "# by the dax info-block uuid (\"uuid\" in ndctl list).\n"
	      "# \"pmemplan apply --remove-config\" removes it.\n", f);
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
