// SPDX-License-Identifier: GPL-2.0
/* pmemplan plan --target kmem: the optimal layout, beside ndctl's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan.h"
#include "plan_output.h"
#include "pmemplan.h"
#include "units.h"

static const char plan_usage[] =
"Usage: pmemplan plan [--target kmem] [options]\n"
"\n"
"Compute the namespace layout that hot-plugs the most persistent memory as\n"
"RAM, then strands the least, then spends the least DRAM on struct pages;\n"
"show it beside what ndctl's and daxctl's defaults give and the bound, with\n"
"the operations that get there.  Changes nothing.\n"
"\n"
"Options:\n"
"  -t, --target=kmem       what the memory is for (only kmem for now)\n"
"  -s, --size=SIZE         hot-plug exactly SIZE (whole memory blocks), keep\n"
"                          the rest as usable pmem\n"
"      --region-align=SIZE write this region alignment first (16M keeps the\n"
"                          media usable on every architecture; 2M strands less)\n"
"      --memmap=POLICY     struct pages of hot-plugged memory: auto (on the\n"
"                          device where the kernel can), dram, or pmem\n"
"      --zone=ZONE         online as movable (default) or normal\n"
"      --dram-percent=N    share of MemAvailable struct pages may take (50)\n"
"      --reconfigure=NS    may reconfigure namespace NS in place; repeatable\n"
"      --replace=NS        may destroy namespace NS and reuse its space\n"
"      --keep              keep free raw namespaces as they are\n"
"  -f, --force             may replace any namespace that is not busy\n"
"  -r, --region=REGION     only this region (regionN or N); repeatable\n"
"  -J, --json              the JSON document for scripts (schema 1)\n"
"  -b, --bytes             print sizes in bytes\n"
"      --input=FILE        plan from a 'show --json' snapshot ('-': stdin)\n"
"      --block-size=SIZE, --page-size=SIZE, --arch=ARCH, --kernel=RELEASE\n"
"                          what if (see pmemplan-show(1))\n"
"  -h, --help              this text\n"
"\n"
"See pmemplan-plan(1).\n";

enum {
	OPT_REGION_ALIGN = 300,
	OPT_MEMMAP,
	OPT_ZONE,
	OPT_DRAM_PERCENT,
	OPT_RECONFIGURE,
	OPT_REPLACE,
	OPT_KEEP,
};

static const struct option plan_options[] = {
	PP_COMMON_LONGOPTS,
	{ "target", required_argument, NULL, 't' },
	{ "size", required_argument, NULL, 's' },
	{ "force", no_argument, NULL, 'f' },
	{ "region-align", required_argument, NULL, OPT_REGION_ALIGN },
	{ "memmap", required_argument, NULL, OPT_MEMMAP },
	{ "zone", required_argument, NULL, OPT_ZONE },
	{ "dram-percent", required_argument, NULL, OPT_DRAM_PERCENT },
	{ "reconfigure", required_argument, NULL, OPT_RECONFIGURE },
	{ "replace", required_argument, NULL, OPT_REPLACE },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ NULL, 0, NULL, 0 }
};

static int add_name(const char *const **list, unsigned int *n,
		    const char *name)
{
	const char **l = realloc((void *)*list, (*n + 1) * sizeof(*l));

	if (!l)
		return -ENOMEM;
	l[(*n)++] = name;
	*list = l;
	return 0;
}

static int parse_size_opt(const char *opt, const char *arg, uint64_t *out)
{
	int rc = pp_parse_size(arg, out);

	if (rc || !*out) {
		pp_error("plan: --%s=%s: %s (examples: 2G, 3968M)", opt, arg,
			 rc == -ERANGE ? "does not fit in 64 bits" :
			 "not a positive size");
		return -1;
	}
	return 0;
}

/* Plan-only options; returns 1 handled, 0 not ours, -1 error. */
static int plan_option(struct pp_plan_opts *po, int opt, const char *arg)
{
	char *end;
	long v;

	switch (opt) {
	case 't':
		if (strcmp(arg, "kmem")) {
			pp_error("plan: --target=%s: only 'kmem' is supported",
				 arg);
			return -1;
		}
		return 1;
	case 's':
		return parse_size_opt("size", arg, &po->size) ? -1 : 1;
	case 'f':
		po->force = true;
		return 1;
	case OPT_REGION_ALIGN:
		return parse_size_opt("region-align", arg, &po->region_align) ?
		       -1 : 1;
	case OPT_MEMMAP:
		if (!strcmp(arg, "auto"))
			po->memmap = PP_MEMMAP_AUTO;
		else if (!strcmp(arg, "dram"))
			po->memmap = PP_MEMMAP_DRAM;
		else if (!strcmp(arg, "pmem"))
			po->memmap = PP_MEMMAP_PMEM;
		else {
			pp_error("plan: --memmap=%s: use auto, dram or pmem",
				 arg);
			return -1;
		}
		return 1;
	case OPT_ZONE:
		if (!strcmp(arg, "movable"))
			po->zone = PP_ZONE_MOVABLE;
		else if (!strcmp(arg, "normal"))
			po->zone = PP_ZONE_NORMAL;
		else {
			pp_error("plan: --zone=%s: use movable or normal", arg);
			return -1;
		}
		return 1;
	case OPT_DRAM_PERCENT:
		v = strtol(arg, &end, 10);
		if (*end || v < 1 || v > 90) {
			pp_error("plan: --dram-percent=%s: a whole number from 1 to 90",
				 arg);
			return -1;
		}
		po->dram_percent = (unsigned int)v;
		return 1;
	case OPT_RECONFIGURE:
		return add_name(&po->reconfigure, &po->nr_reconfigure, arg) ?
		       -1 : 1;
	case OPT_REPLACE:
		return add_name(&po->replace, &po->nr_replace, arg) ? -1 : 1;
	case OPT_KEEP:
		po->keep = true;
		return 1;
	}
	return 0;
}

/* Every namespace named with --reconfigure/--replace must exist. */
static int check_names(const struct pp_topology *t, const char *const *names,
		       unsigned int n, const char *opt)
{
	unsigned int i, r, k;

	for (i = 0; i < n; i++) {
		bool found = false;

		for (r = 0; r < t->nr_regions; r++)
			for (k = 0; k < t->regions[r].nr_ns; k++)
				found |= !strcmp(t->regions[r].ns[k].dev,
						 names[i]);
		if (!found) {
			pp_error("plan: --%s=%s: no such namespace in the selected regions; see 'pmemplan show'",
				 opt, names[i]);
			return -1;
		}
	}
	return 0;
}

int cmd_plan(int argc, char **argv)
{
	struct pp_plan_opts po = { 0 };
	struct pp_common_opts o = { 0 };
	struct pp_topology t;
	struct pp_plan plan;
	char err[256];
	int opt, rc = PP_EXIT_USAGE;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, PP_COMMON_SHORTOPTS "t:s:f",
				  plan_options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(plan_usage, stdout);
			rc = PP_EXIT_OK;
			goto out_opts;
		}
		rc = pp_common_option(&o, opt, optarg);
		if (!rc)
			rc = plan_option(&po, opt, optarg);
		if (rc == 1)
			continue;
		if (rc == 0)
			pp_bad_option("plan", opt, argv, optind);
		rc = PP_EXIT_USAGE;
		goto out_opts;
	}
	if (optind < argc) {
		pp_error("plan: unexpected argument '%s' (regions are chosen with -r)",
			 argv[optind]);
		rc = PP_EXIT_USAGE;
		goto out_opts;
	}
	rc = pp_load_topology(&o, &t);
	if (rc)
		goto out_opts;
	if (check_names(&t, po.reconfigure, po.nr_reconfigure, "reconfigure") ||
	    check_names(&t, po.replace, po.nr_replace, "replace")) {
		rc = PP_EXIT_USAGE;
		goto out_topo;
	}
	rc = pp_plan_build(&t, &po, &plan, err, sizeof(err));
	if (rc) {
		pp_error("plan: %s", rc == -ENOMEM ? "out of memory" : err);
		rc = rc == -ENOMEM ? PP_EXIT_FAILED : PP_EXIT_USAGE;
		goto out_topo;
	}
	if (o.json)
		rc = pp_plan_json_print(stdout, &t, &plan);
	else
		rc = pp_plan_human(stdout, &t, &plan, o.bytes);
	rc = rc ? PP_EXIT_FAILED : PP_EXIT_OK;
	if (!rc && err[0]) {
		/* --size could not be met: the plan shows what fits */
		pp_error("plan: %s", err);
		rc = PP_EXIT_USAGE;
	}
	pp_plan_free(&plan);
out_topo:
	pp_topology_free(&t);
out_opts:
	free(o.regions);
	free((void *)po.reconfigure);
	free((void *)po.replace);
	return rc;
}
