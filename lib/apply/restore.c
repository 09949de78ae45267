// SPDX-License-Identifier: GPL-2.0
/*
 * Boot persistence: "pmemplan apply --restore", which pmemplan's udev rule
 * has systemd run for every dax device that appears
 * (pmemplan-restore@.service), makes a device System RAM again as
 * "apply --write-config" recorded it, with the same calls and the same
 * auto-online rule as apply itself (kmem.c apply_op_kmem(), after
 * daxctl/device.c reconfig_mode_system_ram()).
 *
 * At boot dax_pmem creates the dax device and device_dax binds it (kmem
 * takes only the devices dax_hmem and CXL mark for it, drivers/dax/bus.c
 * dax_match_type()), so the kernel never hot-plugs pmem by itself: the
 * memory appears only when kmem is bound here, with the policy switched
 * to offline around it, and lands in the zone the section names.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apply/apply_ctx.h"
#include "parse/parse.h"
#include "system/libctx.h"
#include "system/memblock.h"
#include "system/sysfs.h"
#include "util/util.h"

int pp_apply_read_config(const char *dir, char **text, char *path,
			 size_t pathlen, char *err, size_t errlen)
{
	struct pp_daxconf_section sec;
	char why[256];
	int rc;

	snprintf(path, pathlen, "%s/%s", dir, PP_DAXCTL_CONF_FILE);
	*text = pp_read_text(path, &rc);
	if (!*text) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = pp_daxctl_conf_find(*text, NULL, &sec, why, sizeof(why));
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		free(*text);
		*text = NULL;
	}
	return rc;
}

/* The state of a device's memory blocks: what kmem hot-plugged. */
struct restore_state {
	uint64_t start, end, blocks, online;
	char zone[16];
};

static int restore_measure(struct daxctl_dev *dev, struct restore_state *st)
{
	uint64_t bsz, total = 0;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = pp_sysfs_read_u64(PP_BLOCK_SIZE, 16, &bsz);
	if (rc)
		return rc;
	if (!bsz)
		return -EINVAL;
	rc = apply_kmem_range(dev, &st->start, &st->end);
	if (rc)
		return rc;
	st->blocks = (st->end - st->start) / bsz;
	pp_walk_blocks(st->start, st->end, bsz, &total, &st->online,
		       st->zone, sizeof(st->zone));
	return 0;
}

/* Every block hot-plugged, and online in the zone the section names. */
static bool restore_done(const struct pp_daxconf_section *s,
			 const struct restore_state *st)
{
	if (!st->blocks)
		return false;
	if (!s->online)
		return !st->online;
	return st->online == st->blocks &&
	       !strcmp(st->zone, s->movable ? "Movable" : "Normal");
}

/*
 * Back to devdax after a failure: what was onlined offline again, kmem
 * unbound, device_dax bound (kmem.c apply_undo_kmem()).
 */
static void restore_undo(struct daxctl_dev *dev)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);

	if (mem) {
		if (daxctl_memory_offline(mem) < 0 ||
		    daxctl_memory_is_online(mem) > 0)
			return;		/* blocks that will not go: keep them */
		if (daxctl_dev_disable(dev) < 0)
			return;
	}
	if (!daxctl_dev_is_enabled(dev))
		daxctl_dev_enable_devdax(dev);
}

/*
 * kmem bound and the blocks onlined, with auto_online_blocks "offline"
 * meanwhile when it is an online policy, and SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT held until it is written back: a stop of the unit then cannot
 * leave the policy changed.
 */
static int restore_bind(struct daxctl_dev *dev,
			const struct pp_daxconf_section *s,
			struct pp_apply_opts *o, char *why, size_t whylen)
{
	struct daxctl_memory *mem;
	sigset_t hold, old;
	char policy[32];
	bool switched = false;
	int rc = 0, rc2;

	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	sigprocmask(SIG_BLOCK, &hold, &old);
	if (pp_sysfs_read(PP_AUTO_ONLINE, policy, sizeof(policy)))
		policy[0] = '\0';
	if (!daxctl_dev_get_memory(dev) && !strncmp(policy, "online", 6)) {
		pp_apply_vlog(o, "auto_online_blocks: %s -> offline", policy);
		rc = pp_sysfs_write(PP_AUTO_ONLINE, "offline");
		if (rc) {
			snprintf(why, whylen, "auto_online_blocks: offline: %s",
				 strerror(-rc));
			goto out;
		}
		switched = true;
	}
	if (!daxctl_dev_get_memory(dev)) {
		pp_apply_vlog(o, "unbind device_dax, bind kmem");
		rc = daxctl_dev_disable(dev);
		if (rc < 0) {
			snprintf(why, whylen, "unbind device_dax: %s",
				 strerror(-rc));
			goto out;
		}
		rc = daxctl_dev_enable_ram(dev);
		if (rc < 0) {
			snprintf(why, whylen, "bind kmem: %s", strerror(-rc));
			goto out;
		}
	}
	mem = daxctl_dev_get_memory(dev);
	if (!mem) {
		rc = -ENXIO;
		snprintf(why, whylen, "bound to kmem, but no memory blocks");
		goto out;
	}
	if (s->online) {
		/* as daxctl reconfigure-device does: libdaxctl onlines them */
		pp_apply_vlog(o, "online %s", s->movable ? "movable" : "normal");
		rc = s->movable ? daxctl_memory_online(mem) :
				  daxctl_memory_online_no_movable(mem);
		if (rc < 0)
			snprintf(why, whylen, "online %s: %s",
				 s->movable ? "movable" : "normal",
				 strerror(-rc));
		else
			rc = 0;
	}
out:
	if (switched) {
		rc2 = pp_sysfs_write(PP_AUTO_ONLINE, policy);
		pp_apply_vlog(o, "auto_online_blocks: %s again", policy);
		if (rc2) {
			/* said even after another failure: every later
			 * hot-plug would stay offline */
			size_t n = rc ? strlen(why) : 0;

			snprintf(why + n, whylen - n,
				 "%sauto_online_blocks left offline (writing %s: %s)",
				 n ? "; " : "", policy, strerror(-rc2));
			rc = rc ?: rc2;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* What went offline of dev's blocks, online again in zone. */
static void restore_online_in(struct daxctl_dev *dev, const char *zone)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);

	if (!mem)
		return;
	if (!strcmp(zone, "Movable"))
		daxctl_memory_online(mem);
	else
		daxctl_memory_online_no_movable(mem);
}

/*
 * What a failed restore left, measured into buf: "left as it was" only
 * when the device is System RAM as before (before NULL: it was not), with
 * as many blocks online in the same zone.
 */
static const char *restore_left(struct daxctl_dev *dev,
				const struct restore_state *before,
				char *buf, size_t len)
{
	struct restore_state now;

	if (restore_measure(dev, &now))
		snprintf(buf, len, "%s",
			 daxctl_dev_get_memory(dev) ?
			 "bound to kmem, with no System RAM (kmem) in /proc/iomem (see daxctl list)" :
			 !daxctl_dev_is_enabled(dev) ?
			 "left with no driver (daxctl enable-device binds device_dax)" :
			 before ? "no longer System RAM: devdax (see daxctl list)" :
			 "left in devdax mode");
	else if (before && now.blocks == before->blocks &&
		 now.online == before->online &&
		 !strcmp(now.zone, before->zone))
		snprintf(buf, len, "left as it was");
	else if (!now.online)
		snprintf(buf, len, "left System RAM with its %llu blocks offline (see lsmem)",
			 (unsigned long long)now.blocks);
	else
		snprintf(buf, len, "left System RAM, %llu of %llu blocks online in zone %s (see lsmem)",
			 (unsigned long long)now.online,
			 (unsigned long long)now.blocks,
			 now.zone[0] ? now.zone : "(unknown)");
	return buf;
}

/*
 * System RAM online in the other zone than the section's: onlined before
 * pmemplan ran (upstream daxctl's own rule binds kmem under the kernel's
 * auto-online policy, which picks the zone).  Offline it, so that
 * restore_bind() onlines it in the recorded zone: offlining migrates what
 * the pages hold, and fails (EBUSY) when ZONE_NORMAL holds pages the kernel
 * cannot move (the caller then onlines again what went offline).
 */
static int restore_offline_wrong_zone(struct daxctl_dev *dev,
				      const struct restore_state *st,
				      struct pp_apply_opts *o)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);
	int rc;

	pp_apply_vlog(o, "%llu blocks online %s: offline them",
		      (unsigned long long)st->online, st->zone);
	rc = daxctl_memory_offline(mem);
	rc = rc < 0 ? rc : 0;
	if (!rc && daxctl_memory_is_online(mem) > 0)
		rc = -EBUSY;
	return rc;
}

/* One device and its section: 0 when it is as recorded, or -errno. */
static int restore_dev(struct daxctl_dev *dev, const char *ns,
		       const struct pp_daxconf_section *s, const char *path,
		       struct pp_apply_opts *o, FILE *out, char *err,
		       size_t errlen)
{
	const char *name = daxctl_dev_get_devname(dev);
	const char *zone = s->movable ? "Movable" : "Normal";
	struct restore_state st, before;
	char why[256] = "", left[112], was_zone[16] = "";
	bool was_ram = daxctl_dev_get_memory(dev) != NULL, measured;
	int rc;

	if (!s->system_ram) {
		/* never unplug memory at boot: devdax is what it comes up as */
		fprintf(out, "%s: %s records mode devdax (%s line %u): %s\n",
			name, path, s->name, s->line, was_ram ?
			"it is System RAM: left as it is" : "nothing to do");
		return 0;
	}
	/* the state before, what "left as it was" is measured against */
	measured = was_ram && !restore_measure(dev, &before);
	if (measured && restore_done(s, &before)) {
		fprintf(out, "%s: already System RAM as %s records (%s): nothing to do\n",
			name, path, s->name);
		return 0;
	}
	/* "mixed" or unreadable zones: restore_bind() onlines what is not */
	if (measured && before.online && s->online &&
	    (!strcmp(before.zone, "Movable") || !strcmp(before.zone, "Normal")) &&
	    strcmp(before.zone, zone)) {
		st = before;
		rc = restore_offline_wrong_zone(dev, &st, o);
		if (rc) {
			restore_online_in(dev, st.zone);
			snprintf(err, errlen, "%s: System RAM online in zone %s, not %s as %s records; offlining it failed: %s; %s: %s",
				 name, st.zone, zone, path, strerror(-rc),
				 restore_left(dev, &before, left, sizeof(left)),
				 strcmp(st.zone, "Normal") ?
				 "pages in use for I/O (pinned) keep it busy: run 'pmemplan apply --restore' again once they are released" :
				 "ZONE_NORMAL holds pages the kernel cannot move (boot with memhp_default_state=offline, so that what binds kmem before pmemplan leaves its blocks offline)");
			return rc;
		}
		fprintf(out, "%s: %llu blocks were online %s, not %s as %s records: offlined, to online them %s\n",
			name, (unsigned long long)st.online, st.zone, zone,
			path, s->movable ? "movable" : "normal");
		snprintf(was_zone, sizeof(was_zone), "%s", st.zone);
	}
	rc = restore_bind(dev, s, o, why, sizeof(why));
	if (!rc) {
		rc = restore_measure(dev, &st);
		if (rc)
			snprintf(why, sizeof(why), "no System RAM (kmem) in /proc/iomem: %s",
				 strerror(-rc));
		else if (!restore_done(s, &st)) {
			rc = -EDOM;
			snprintf(why, sizeof(why),
				 "%llu of %llu blocks online in zone %s, not %s",
				 (unsigned long long)st.online,
				 (unsigned long long)st.blocks,
				 st.zone[0] ? st.zone : "(none)",
				 s->online ? zone : "offline");
		}
	}
	if (rc) {
		if (!was_ram)
			restore_undo(dev);
		else if (was_zone[0])
			restore_online_in(dev, was_zone);
		snprintf(err, errlen, "%s: %s; %s", name, why,
			 restore_left(dev, measured ? &before : NULL, left,
				      sizeof(left)));
		return rc;
	}
	fprintf(out, "%s: System RAM %#llx-%#llx, %llu blocks %s (%s, as %s records)\n",
		name, (unsigned long long)st.start,
		(unsigned long long)st.end - 1, (unsigned long long)st.blocks,
		s->online ? (s->movable ? "online movable" : "online normal") :
			    "offline", ns, path);
	return 0;
}

/* A dax-bus device of that name outside libnvdimm (dax_hmem, CXL)? */
static bool restore_other_dax(struct daxctl_ctx *dctx, const char *name)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev;

	daxctl_region_foreach(dctx, region)
		daxctl_dev_foreach(region, dev)
			if (!strcmp(daxctl_dev_get_devname(dev), name))
				return true;
	return false;
}

int pp_apply_restore(const char *text, const char *path, const char *name,
		     struct pp_apply_opts *o, FILE *out, char *err,
		     size_t errlen)
{
	struct pp_daxconf_section sec;
	struct ndctl_namespace *ndns;
	struct ndctl_region *region;
	struct daxctl_ctx *dctx;
	struct daxctl_dev *dev;
	struct ndctl_ctx *ctx;
	struct ndctl_bus *bus;
	struct ndctl_dax *dax;
	char uu[40], why[256];
	int rc, ret = 0, n = 0;
	bool seen = false;
	uuid_t u;

	rc = pp_libctx_new(&ctx, &dctx);
	if (rc || !dctx) {
		snprintf(err, errlen, "cannot initialise libndctl/libdaxctl");
		if (!rc)
			ndctl_unref(ctx);
		return rc ? rc : -ENOMEM;
	}
	pp_libctx_log(ctx, dctx, apply_lib_verbose, -1);
	err[0] = '\0';
	ndctl_bus_foreach(ctx, bus) {
		ndctl_region_foreach(bus, region) {
			ndctl_namespace_foreach(region, ndns) {
				dax = ndctl_namespace_get_dax(ndns);
				dev = dax ? apply_ns_daxdev(ndns) : NULL;
				if (!dev || (name &&
				    strcmp(daxctl_dev_get_devname(dev), name)))
					continue;
				seen = true;
				ndctl_dax_get_uuid(dax, u);
				uuid_unparse(u, uu);
				rc = pp_daxctl_conf_find(text, uu, &sec, why,
							 sizeof(why));
				if (rc < 0) {
					snprintf(err, errlen, "%s: %s", path, why);
					ret = rc;
					goto out;
				}
				if (!rc) {
					if (name)
						fprintf(out, "%s: %s has no section for it (uuid %s of %s): nothing to do\n",
							name, path, uu,
							ndctl_namespace_get_devname(ndns));
					continue;
				}
				n++;
				rc = restore_dev(dev,
						 ndctl_namespace_get_devname(ndns),
						 &sec, path, o, out,
						 err[0] ? why : err,
						 err[0] ? sizeof(why) : errlen);
				if (rc && !ret)
					ret = rc;
			}
		}
	}
	if (name && !seen) {
		if (restore_other_dax(dctx, name)) {
			fprintf(out, "%s: not the dax device of a namespace: nothing to do\n",
				name);
		} else {
			snprintf(err, errlen, "no dax device %s (see daxctl list)",
				 name);
			ret = -ENODEV;
		}
	} else if (!name && !n) {
		fprintf(out, "no dax device has a section in %s: nothing to do\n",
			path);
	}
out:
	ndctl_unref(ctx);
	return ret;
}

int pp_apply_remove_config(const char *dir, char *path, size_t pathlen,
			   char *err, size_t errlen)
{
	int rc;

	snprintf(path, pathlen, "%s/%s", dir, PP_DAXCTL_CONF_FILE);
	if (!unlink(path))
		return 1;
	rc = -errno;
	if (rc == -ENOENT)
		return 0;
	snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}
