/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libndctl and libdaxctl: the context, where their messages go, and the
 * link from a namespace's dax claim to its dax-bus device.
 */
#ifndef PMEMPLAN_LIBCTX_H
#define PMEMPLAN_LIBCTX_H

#include <stdbool.h>
#include <ndctl/libndctl.h>
#include <daxctl/libdaxctl.h>

/*
 * ndctl_new(), which creates the libdaxctl context too (daxctl_new());
 * *dctx is NULL when that one failed.  Returns 0 or a negative errno.
 */
int pp_libctx_new(struct ndctl_ctx **ctx, struct daxctl_ctx **dctx);

/*
 * Route both libraries' messages through one sink: to stderr as
 * "libndctl: function: text" when print, else nowhere.  priority is the
 * syslog level passed on to ndctl/daxctl_set_log_priority(), or < 0 to
 * keep the libraries' own (LOG_ERR, or NDCTL_LOG / DAXCTL_LOG).  dctx may
 * be NULL.
 */
void pp_libctx_log(struct ndctl_ctx *ctx, struct daxctl_ctx *dctx,
		   bool print, int priority);

/*
 * The dax-bus device of a devdax namespace's dax claim.  Linked through
 * libndctl (nd_dax -> its daxctl_region -> the devices below it), never by
 * name: /sys/bus/nd/devices/daxX.Y and /sys/bus/dax/devices/daxX.Y can be
 * different objects (kernel-model.md §13).  dax_pmem creates one static
 * device: the first with a size, else the (zero-size) seed.  Returns 0
 * and sets *dev; -ENODEV when the claim has no dax region, -ENOENT when
 * the region lists no device (libdaxctl skips devices without a /dev
 * node).
 */
int pp_libctx_daxdev(struct ndctl_dax *ndax, struct daxctl_dev **dev);

#endif /* PMEMPLAN_LIBCTX_H */
