// SPDX-License-Identifier: GPL-2.0
/* pmemplan plan --target kmem: the optimal layout, beside ndctl's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "planner/consent.h"
#include "planner/planner.h"
#include "output/plan_output.h"
#include "pmemplan.h"
#include "util/units.h"

static const char plan_usage[] =
"Usage: pmemplan plan [--target kmem] [options]\n"
"\n"
"Compute the namespace layout that hot-plugs the most persistent memory as\n"
"RAM, then strands the least, then spends the least DRAM on struct pages;\n"
"show it beside what ndctl's and daxctl's defaults give and the bound, with\n"
"the operations that get there.  Changes nothing.  Each CXL ram region gets\n"
"the layout that loses the least (head and tail as devdax, the block-aligned\n"
"middle as kmem) beside the kernel's default and the bound; apply does not\n"
"carry it out yet.\n"
"\n"
"Options:\n"
"  -t, --target=kmem       what the memory is for (only kmem for now)\n"
"  -s, --size=SIZE         hot-plug exactly SIZE (whole memory blocks), keep\n"
"                          the rest as usable pmem\n"
"      --region-align=SIZE write this region alignment first (16M keeps the\n"
"                          media usable on every architecture; 2M strands less)\n"
"      --memmap=POLICY     struct pages of hot-plugged memory: auto (where\n"
"                          they leave the more net memory; the device on a\n"
"                          tie), dram, or pmem\n"
"      --zone=ZONE         online as movable (default) or normal\n"
"      --dram-percent=N    share of MemAvailable struct pages may take (50)\n"
"      --reconfigure=NS    may reconfigure namespace NS in place; repeatable\n"
"      --replace=NS        may destroy namespace NS and reuse its space\n"
"      --keep              keep free raw namespaces as they are\n"
"  -f, --force             may replace any namespace that is not busy,\n"
"                          and initialise a label area that may hold labels\n"
"  -r, --region=REGION     only this region (regionN or N); repeatable\n"
"  -J, --json              the JSON document for scripts (schema 1)\n"
"  -b, --bytes             print sizes in bytes\n"
"      --input=FILE        plan from a 'show --json' snapshot ('-': stdin);\n"
"                          repeatable, FILE may be a directory (its *.json)\n"
"                          and stdin JSON Lines: then one row per host, the\n"
"                          fleet report (see pmemplan-plan(1), \"Fleets\")\n"
"      --sysroot=DIR       platform facts from DIR/sys and DIR/proc (see\n"
"                          pmemplan-show(1))\n"
"      --block-size=SIZE, --page-size=SIZE, --arch=ARCH, --kernel=RELEASE,\n"
"      --auto-online=POLICY, --memmap-on-memory=N|Y|force\n"
"                          what if (see pmemplan-show(1))\n"
"  -v, --verbose           -vv: libndctl's and libdaxctl's own messages on\n"
"                          stderr (as in show)\n"
"  -h, --help              this text\n"
"\n"
"See pmemplan-plan(1).\n";

static const struct option plan_options[] = {
	PP_COMMON_LONGOPTS,
	PP_PLAN_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

int cmd_plan(int argc, char **argv)
{
	struct pp_plan_opts po = { 0 };
	struct pp_common_opts o = { .many_inputs = true };
	struct pp_fleet_src *src = NULL;
	struct pp_topology t;
	struct pp_plan plan;
	enum pp_opt_result res;
	char err[256];
	int opt, rc = PP_EXIT_USAGE;
	bool fleet;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv,
				  PP_COMMON_SHORTOPTS PP_PLAN_SHORTOPTS,
				  plan_options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(plan_usage, stdout);
			rc = PP_EXIT_OK;
			goto out_opts;
		}
		res = pp_common_option(&o, opt, optarg);
		if (res == PP_OPT_OTHER)
			res = pp_plan_option("plan", &po, opt, optarg);
		if (res == PP_OPT_HANDLED)
			continue;
		if (res == PP_OPT_OTHER)
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
	if (pp_check_exclusive("plan", &o)) {
		rc = PP_EXIT_USAGE;
		goto out_opts;
	}
	if (o.input) {
		/* many snapshots: the fleet report (cmd/fleet.c) */
		rc = pp_fleet_open(&o, &src, &fleet);
		if (!rc && fleet)
			rc = pp_fleet_plan(src, &o, &po);
		if (rc || fleet)
			goto out_opts;
	}
	rc = pp_load_topology(&o, &t);
	if (rc)
		goto out_opts;
	if (pp_check_devdax("plan", &t)) {
		rc = PP_EXIT_FAILED;
		goto out_topo;
	}
	if (pp_check_names("plan", &t, &po)) {
		rc = PP_EXIT_USAGE;
		goto out_topo;
	}
	rc = pp_plan_build(&t, &po, &plan, err, sizeof(err));
	if (rc) {
		pp_error("plan: %s", err);
		rc = rc == -ENOMEM ? PP_EXIT_FAILED : PP_EXIT_USAGE;
		goto out_topo;
	}
	/* what apply with the same options does: it finishes an
	 * interrupted apply's kmem namespace too */
	if (pp_apply_complete(&t, &plan, po.zone) < 0) {
		pp_error("plan: out of memory");
		rc = PP_EXIT_FAILED;
		goto out_plan;
	}
	if (o.json)
		rc = pp_plan_json_print(stdout, &t, &plan);
	else
		rc = pp_plan_human(stdout, &t, &plan, o.bytes);
	rc = rc ? PP_EXIT_FAILED : PP_EXIT_OK;
	if (!rc && plan.shortfall[0]) {
		/* --size could not be met: the plan shows what fits */
		pp_error("plan: %s", plan.shortfall);
		rc = PP_EXIT_USAGE;
	}
out_plan:
	pp_plan_free(&plan);
out_topo:
	pp_topology_free(&t);
out_opts:
	pp_fleet_close(src);
	free((void *)o.inputs);
	free(o.regions);
	pp_plan_opts_free(&po);
	return rc;
}
