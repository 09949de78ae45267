// SPDX-License-Identifier: GPL-2.0
/* libndctl and libdaxctl: context, logging, namespace -> dax device. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include "system/libctx.h"

int pp_libctx_new(struct ndctl_ctx **ctx, struct daxctl_ctx **dctx)
{
	int rc = ndctl_new(ctx);

	if (rc)
		return rc < 0 ? rc : -ENXIO;
	*dctx = ndctl_get_daxctl_ctx(*ctx);
	return 0;
}

/*
 * The userdata of a context whose messages are printed; a silent one has
 * none.  Kept per context, so that the probe's and apply's settings do not
 * leak into each other.
 */
static char print_marker;

static void lib_log(const char *owner, const char *fn, const char *format,
		    va_list args) __attribute__((format(printf, 3, 0)));

static void lib_log(const char *owner, const char *fn, const char *format,
		    va_list args)
{
	fprintf(stderr, "%s: %s: ", owner, fn);
	vfprintf(stderr, format, args);
}

static void ndctl_log(struct ndctl_ctx *ctx, int priority, const char *file,
		      int line, const char *fn, const char *format,
		      va_list args) __attribute__((format(printf, 6, 0)));

static void ndctl_log(struct ndctl_ctx *ctx, int priority, const char *file,
		      int line, const char *fn, const char *format,
		      va_list args)
{
	(void)priority;
	(void)file;
	(void)line;
	if (ndctl_get_userdata(ctx) == &print_marker)
		lib_log("libndctl", fn, format, args);
}

static void daxctl_log(struct daxctl_ctx *ctx, int priority,
		       const char *file, int line, const char *fn,
		       const char *format, va_list args)
	__attribute__((format(printf, 6, 0)));

static void daxctl_log(struct daxctl_ctx *ctx, int priority,
		       const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
	(void)priority;
	(void)file;
	(void)line;
	if (daxctl_get_userdata(ctx) == &print_marker)
		lib_log("libdaxctl", fn, format, args);
}

void pp_libctx_log(struct ndctl_ctx *ctx, struct daxctl_ctx *dctx,
		   bool print, int priority)
{
	ndctl_set_userdata(ctx, print ? &print_marker : NULL);
	ndctl_set_log_fn(ctx, ndctl_log);
	if (priority >= 0)
		ndctl_set_log_priority(ctx, priority);
	if (dctx) {
		daxctl_set_userdata(dctx, print ? &print_marker : NULL);
		daxctl_set_log_fn(dctx, daxctl_log);
		if (priority >= 0)
			daxctl_set_log_priority(dctx, priority);
	}
}

int pp_libctx_daxdev(struct ndctl_dax *ndax, struct daxctl_dev **dev)
{
	struct daxctl_region *dregion;
	struct daxctl_dev *d, *pick = NULL;

	dregion = ndctl_dax_get_daxctl_region(ndax);
	if (!dregion)
		return -ENODEV;
	/* dax_pmem creates one static device; skip zero-size seeds */
	daxctl_dev_foreach(dregion, d) {
		if (!pick)
			pick = d;
		if (daxctl_dev_get_size(d)) {
			pick = d;
			break;
		}
	}
	if (!pick)
		return -ENOENT;
	*dev = pick;
	return 0;
}
