// SPDX-License-Identifier: GPL-2.0
/* Options shared by show, plan and apply; loading the topology. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "planner/planner.h"
#include "pmemplan.h"
#include "probe/probe.h"
#include "snapshot/snapshot.h"
#include "topology/whatif.h"
#include "util/units.h"
#include "util/util.h"

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "pmemplan: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pp_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void pp_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

/* getopt_long's value of a what-if option: which one, or -1. */
static int whatif_key(int opt)
{
	switch (opt) {
	case OPT_BLOCK_SIZE:
		return PP_WHATIF_BLOCK_SIZE;
	case OPT_PAGE_SIZE:
		return PP_WHATIF_PAGE_SIZE;
	case OPT_ARCH:
		return PP_WHATIF_ARCH;
	case OPT_KERNEL:
		return PP_WHATIF_KERNEL;
	case OPT_AUTO_ONLINE:
		return PP_WHATIF_AUTO_ONLINE;
	case OPT_MEMMAP_ON_MEMORY:
		return PP_WHATIF_MEMMAP_ON_MEMORY;
	}
	return -1;
}

static struct pp_whatif whatif_of(const struct pp_common_opts *o)
{
	struct pp_whatif w = {
		.block_size = o->block_size,
		.page_size = o->page_size,
		.arch = o->arch,
		.kernel = o->kernel,
		.auto_online = o->auto_online,
		.memmap_on_memory = o->memmap_on_memory,
	};

	return w;
}

/* A what-if option: checked by the core, kept in o. */
static enum pp_opt_result whatif_option(struct pp_common_opts *o,
					enum pp_whatif_key key,
					const char *arg)
{
	struct pp_whatif w = whatif_of(o);
	char err[PP_ERR_LEN];

	if (pp_whatif_parse(&w, key, arg, err, sizeof(err))) {
		pp_error("%s", err);
		return PP_OPT_ERROR;
	}
	o->block_size = w.block_size;
	o->page_size = w.page_size;
	o->arch = w.arch;
	o->kernel = w.kernel;
	o->auto_online = w.auto_online;
	o->memmap_on_memory = w.memmap_on_memory;
	return PP_OPT_HANDLED;
}

static int add_name(const char *const **list, unsigned int *n,
		    const char *name)
{
	const char **l = realloc((void *)*list, (*n + 1) * sizeof(*l));

	if (!l) {
		pp_error("out of memory");
		return -ENOMEM;
	}
	l[(*n)++] = name;
	*list = l;
	return 0;
}

enum pp_opt_result pp_common_option(struct pp_common_opts *o, int opt,
				    const char *arg)
{
	const char **r;
	int key = whatif_key(opt);

	if (key >= 0)
		return whatif_option(o, (enum pp_whatif_key)key, arg);
	switch (opt) {
	case OPT_INPUT:
		if (!o->many_inputs) {
			if (o->input) {
				pp_error("--input=%s: one snapshot at a time here ('pmemplan plan' takes many)",
					 arg);
				return PP_OPT_ERROR;
			}
			o->input = arg;
			return PP_OPT_HANDLED;
		}
		if (add_name(&o->inputs, &o->nr_inputs, arg))
			return PP_OPT_ERROR;
		o->input = o->inputs[0];
		return PP_OPT_HANDLED;
	case OPT_SYSROOT:
		o->sysroot = arg;
		return PP_OPT_HANDLED;
	case 'r':
		r = realloc(o->regions, (o->nr_regions + 1) * sizeof(*r));
		if (!r) {
			pp_error("out of memory");
			return PP_OPT_ERROR;
		}
		o->regions = r;
		o->regions[o->nr_regions++] = arg;
		return PP_OPT_HANDLED;
	case 'J':
		o->json = true;
		return PP_OPT_HANDLED;
	case 'b':
		o->bytes = true;
		return PP_OPT_HANDLED;
	case 'v':
		o->verbose++;
		return PP_OPT_HANDLED;
	}
	return PP_OPT_OTHER;
}

/*
 * Options that cannot go together, one row each, as util-linux's lsblk
 * keeps them in excl[]: a command refuses the row's options when every
 * one of them was given.  A snapshot and a sysroot are two different
 * machines.  apply works on this machine as it is: no snapshot, no
 * sysroot, no what-if.
 */
enum {
	PP_GIVEN_INPUT = 1 << 0,	/* --input */
	PP_GIVEN_WHATIF = 1 << 1,	/* any of the what-if options */
	PP_GIVEN_SYSROOT = 1 << 2,	/* --sysroot */
};

static const struct {
	const char *cmd;	/* the command that refuses them, NULL: all */
	unsigned int given;	/* PP_GIVEN_*: all of these */
	const char *why;
} exclusive[] = {
	{ NULL, PP_GIVEN_INPUT | PP_GIVEN_SYSROOT,
	  "--input and --sysroot: a snapshot already holds its machine's facts; give one of them" },
	{ "apply", PP_GIVEN_INPUT,
	  "--input: apply works on this machine only (plan from a snapshot with 'pmemplan plan --input')" },
	{ "apply", PP_GIVEN_WHATIF,
	  "--block-size, --page-size, --arch, --kernel, --auto-online and --memmap-on-memory are what-if options of plan; apply works on this machine as it is" },
	{ "apply", PP_GIVEN_SYSROOT,
	  "--sysroot: apply works on this machine only (show and plan read a captured tree)" },
};

int pp_check_exclusive(const char *cmd, const struct pp_common_opts *o)
{
	struct pp_whatif w = whatif_of(o);
	unsigned int given = 0;
	size_t i;

	if (o->input)
		given |= PP_GIVEN_INPUT;
	if (pp_whatif_any(&w))
		given |= PP_GIVEN_WHATIF;
	if (o->sysroot)
		given |= PP_GIVEN_SYSROOT;
	for (i = 0; i < ARRAY_SIZE(exclusive); i++)
		if ((!exclusive[i].cmd || !strcmp(exclusive[i].cmd, cmd)) &&
		    (given & exclusive[i].given) == exclusive[i].given) {
			pp_error("%s: %s", cmd, exclusive[i].why);
			return -EINVAL;
		}
	return 0;
}

static int parse_size_opt(const char *cmd, const char *opt, const char *arg,
			  uint64_t *out)
{
	int rc = pp_parse_size(arg, out);

	if (rc || !*out) {
		pp_error("%s: --%s=%s: %s (examples: 2G, 3968M)", cmd, opt, arg,
			 rc == -ERANGE ? "does not fit in 64 bits" :
			 "not a positive size");
		return -EINVAL;
	}
	return 0;
}

enum pp_opt_result pp_plan_option(const char *cmd, struct pp_plan_opts *po,
				  int opt, const char *arg)
{
	char *end;
	long v;

	switch (opt) {
	case 't':
		if (strcmp(arg, "kmem")) {
			pp_error("%s: --target=%s: only 'kmem' is supported",
				 cmd, arg);
			return PP_OPT_ERROR;
		}
		return PP_OPT_HANDLED;
	case 's':
		return parse_size_opt(cmd, "size", arg, &po->size) ? PP_OPT_ERROR :
		       PP_OPT_HANDLED;
	case 'f':
		po->force = true;
		return PP_OPT_HANDLED;
	case OPT_REGION_ALIGN:
		return parse_size_opt(cmd, "region-align", arg,
				      &po->region_align) ? PP_OPT_ERROR :
		       PP_OPT_HANDLED;
	case OPT_MEMMAP:
		if (!strcmp(arg, "auto"))
			po->memmap = PP_MEMMAP_AUTO;
		else if (!strcmp(arg, "dram"))
			po->memmap = PP_MEMMAP_DRAM;
		else if (!strcmp(arg, "pmem"))
			po->memmap = PP_MEMMAP_PMEM;
		else {
			pp_error("%s: --memmap=%s: use auto, dram or pmem",
				 cmd, arg);
			return PP_OPT_ERROR;
		}
		return PP_OPT_HANDLED;
	case OPT_ZONE:
		if (!strcmp(arg, "movable"))
			po->zone = PP_ZONE_MOVABLE;
		else if (!strcmp(arg, "normal"))
			po->zone = PP_ZONE_NORMAL;
		else {
			pp_error("%s: --zone=%s: use movable or normal", cmd,
				 arg);
			return PP_OPT_ERROR;
		}
		return PP_OPT_HANDLED;
	case OPT_DRAM_PERCENT:
		v = strtol(arg, &end, 10);
		if (*end || v < 1 || v > 90) {
			pp_error("%s: --dram-percent=%s: a whole number from 1 to 90",
				 cmd, arg);
			return PP_OPT_ERROR;
		}
		po->dram_percent = (unsigned int)v;
		return PP_OPT_HANDLED;
	case OPT_RECONFIGURE:
		return add_name(&po->reconfigure, &po->nr_reconfigure, arg) ?
		       -1 : 1;
	case OPT_REPLACE:
		return add_name(&po->replace, &po->nr_replace, arg) ? PP_OPT_ERROR :
		       PP_OPT_HANDLED;
	case OPT_KEEP:
		po->keep = true;
		return PP_OPT_HANDLED;
	}
	return PP_OPT_OTHER;
}

static int check_list(const char *cmd, const struct pp_topology *t,
		      const char *const *names, unsigned int n,
		      const char *opt)
{
	unsigned int i, r, k;

	for (i = 0; i < n; i++) {
		bool found = false;

		for (r = 0; r < t->nr_regions; r++)
			for (k = 0; k < t->regions[r].nr_ns; k++)
				found |= !strcmp(t->regions[r].ns[k].dev,
						 names[i]);
		if (!found) {
			pp_error("%s: --%s=%s: no such namespace in the selected regions; see 'pmemplan show'",
				 cmd, opt, names[i]);
			return -EINVAL;
		}
	}
	return 0;
}

int pp_check_names(const char *cmd, const struct pp_topology *t,
		   const struct pp_plan_opts *po)
{
	int rc = check_list(cmd, t, po->reconfigure, po->nr_reconfigure,
			    "reconfigure");

	if (rc)
		return rc;
	return check_list(cmd, t, po->replace, po->nr_replace, "replace");
}

void pp_plan_opts_free(struct pp_plan_opts *po)
{
	free((void *)po->reconfigure);
	free((void *)po->replace);
	po->reconfigure = po->replace = NULL;
	po->nr_reconfigure = po->nr_replace = 0;
}

void pp_bad_option(const char *cmd, int opt, char **argv, int optind_now)
{
	const char *arg = argv[optind_now - 1];
	char shortopt[3] = { '-', (char)optopt, 0 };

	/* for a clustered short option argv[optind - 1] is the cluster */
	if (optopt && !(arg[0] == '-' && arg[1] == '-'))
		arg = shortopt;
	if (opt == ':')
		pp_error("%s: option '%s' needs a value; see 'pmemplan %s --help'",
			 cmd, arg, cmd);
	else
		pp_error("%s: unknown option '%s'; see 'pmemplan %s --help'",
			 cmd, arg, cmd);
}

static int load_snapshot(const struct pp_common_opts *o, const char *path,
			 struct pp_topology *t)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char err[256];
	int rc;

	if (!in) {
		pp_error("cannot open snapshot %s: %s", path, strerror(errno));
		return PP_EXIT_USAGE;
	}
	rc = pp_snapshot_read_rest(in == stdin ? o->input_head : NULL,
				   in == stdin ? o->input_headlen : 0, in, t,
				   err, sizeof(err));
	if (in != stdin)
		fclose(in);
	if (rc == -ENOMEM) {
		pp_error("out of memory reading %s", path);
		return PP_EXIT_FAILED;
	}
	if (rc) {
		pp_error("snapshot %s: %s", strcmp(path, "-") ? path : "<stdin>",
			 err);
		return PP_EXIT_USAGE;
	}
	return PP_EXIT_OK;
}

int pp_check_devdax(const char *cmd, const struct pp_topology *t)
{
	if (!t->no_devdax[0])
		return 0;
	pp_error("%s: kernel %s has no devdax support (%s has no dax seed: CONFIG_ZONE_DEVICE off), so kmem cannot hot-plug persistent memory; nothing changed: boot a kernel built with CONFIG_ZONE_DEVICE (on Debian 12 arm64: bookworm-backports' linux-image-arm64)",
		 cmd, t->plat.kernel[0] ? t->plat.kernel : "(unknown)",
		 t->no_devdax);
	return -ENODEV;
}

int pp_load_topology(const struct pp_common_opts *o, struct pp_topology *t)
{
	char err[PP_ERR_LEN];
	int rc;

	memset(t, 0, sizeof(*t));
	if (o->input) {
		rc = load_snapshot(o, o->input, t);
		if (rc)
			return rc;
	} else {
		/* -v is for our facts; -vv also lets the libraries speak */
		pp_probe_set_verbose(o->verbose > 1 ? o->verbose - 1 : 0);
		rc = pp_probe_set_sysroot(o->sysroot);
		if (rc) {
			pp_error("--sysroot %s: %s (a directory with sys/ and proc/, as tests/sysroot/ holds)",
				 o->sysroot, strerror(-rc));
			return PP_EXIT_USAGE;
		}
		rc = pp_probe(t);
		if (rc) {
			pp_error("cannot read the platform: %s (is libnvdimm loaded? try 'modprobe nfit')",
				 strerror(-rc));
			pp_topology_free(t);
			return PP_EXIT_FAILED;
		}
	}
	rc = pp_prepare_topology(o, t, err, sizeof(err));
	if (rc) {
		pp_error("%s", err);
		return rc == -ENOMEM ? PP_EXIT_FAILED : PP_EXIT_USAGE;
	}
	return PP_EXIT_OK;
}

int pp_prepare_topology(const struct pp_common_opts *o, struct pp_topology *t,
			char *err, size_t errlen)
{
	struct pp_whatif w = whatif_of(o);
	int rc;

	pp_platform_derive(&t->plat);
	pp_whatif_apply(t, &w);
	rc = pp_topology_keep_regions(t, o->regions, o->nr_regions, err,
				      errlen);
	if (rc)
		pp_topology_free(t);
	return rc;
}
