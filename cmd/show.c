// SPDX-License-Identifier: GPL-2.0
/* pmemplan show: the platform and where every byte of pmem goes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "account/account.h"
#include "output/output.h"
#include "pmemplan.h"

static const char show_usage[] =
"Usage: pmemplan show [options]\n"
"\n"
"Show the platform, every pmem region, namespace and dax device, what each\n"
"hot-plugs as RAM (measured, or predicted by the kernel model) and where\n"
"every other byte goes.  CXL regions follow (pmem ones are also nvdimm\n"
"regions of kind cxl; ram ones with their dax devices, kmem and losses);\n"
"-r does not select them.\n"
"\n"
"Options:\n"
"  -r, --region=REGION   only this region (regionN or N); repeatable\n"
"  -J, --json            the JSON document for scripts (schema 1)\n"
"  -b, --bytes           print sizes in bytes\n"
"  -o, --output=LIST     tree columns, comma separated; '+LIST' adds to\n"
"                        the default (NAME,TYPE,START,SIZE,KMEM,LOST,SOURCE)\n"
"  -O, --output-all      every column\n"
"  -v, --verbose         every platform fact and where it came from;\n"
"                        -vv also shows libndctl/libdaxctl messages\n"
"      --input=FILE      read a 'show --json' snapshot instead of this\n"
"                        machine ('-' for standard input)\n"
"      --sysroot=DIR     platform facts and memory blocks from DIR/sys and\n"
"                        DIR/proc (a captured tree), CXL regions too;\n"
"                        nvdimm regions still come from this machine's\n"
"                        libndctl\n"
"      --block-size=SIZE what if the memory block size were SIZE\n"
"      --page-size=SIZE  what if the base page size were SIZE\n"
"      --arch=ARCH       what if the architecture were ARCH\n"
"      --kernel=RELEASE  what if the kernel were RELEASE (e.g. 6.12)\n"
"      --auto-online=POLICY  what if auto_online_blocks were POLICY:\n"
"                        offline, online, online_kernel or online_movable\n"
"                        (under --arch: the target's default unless given)\n"
"      --memmap-on-memory=VALUE  what if memory_hotplug.memmap_on_memory\n"
"                        were VALUE: N, Y or force\n"
"  -h, --help            this text\n"
"\n"
"Columns:\n";

static const struct option show_options[] = {
	PP_COMMON_LONGOPTS,
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, 'O' },
	{ NULL, 0, NULL, 0 }
};

int cmd_show(int argc, char **argv)
{
	struct pp_common_opts o = { 0 };
	struct pp_output_opts out = { 0 };
	struct pp_topology t;
	struct pp_report rep;
	enum pp_opt_result res;
	int opt, rc;

	pp_output_default_columns(&out);
	optind = 1;
	opterr = 0;	/* our own message: pp_bad_option() */
	while ((opt = getopt_long(argc, argv, PP_COMMON_SHORTOPTS "o:O",
				  show_options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(show_usage, stdout);
			pp_output_list_columns(stdout);
			puts("\nSee pmemplan-show(1).");
			free(o.regions);
			return PP_EXIT_OK;
		}
		if (opt == 'O') {
			pp_output_all_columns(&out);
			continue;
		}
		if (opt == 'o') {
			char bad[32];

			if (!pp_output_parse_columns(optarg, &out, bad,
						     sizeof(bad)))
				continue;
			pp_error("show: --output=%s: unknown column '%s'; see 'pmemplan show --help' for the list",
				 optarg, bad);
			free(o.regions);
			return PP_EXIT_USAGE;
		}
		res = pp_common_option(&o, opt, optarg);
		if (res == PP_OPT_HANDLED)
			continue;
		if (res == PP_OPT_OTHER)
			pp_bad_option("show", opt, argv, optind);
		free(o.regions);
		return PP_EXIT_USAGE;
	}
	if (optind < argc) {
		pp_error("show: unexpected argument '%s' (regions are chosen with -r)",
			 argv[optind]);
		free(o.regions);
		return PP_EXIT_USAGE;
	}
	if (pp_check_exclusive("show", &o)) {
		free(o.regions);
		return PP_EXIT_USAGE;
	}
	rc = pp_load_topology(&o, &t);
	free(o.regions);
	if (rc)
		return rc;
	if (pp_report_build(&t, &rep)) {
		pp_error("out of memory");
		pp_topology_free(&t);
		return PP_EXIT_FAILED;
	}
	if (o.json) {
		rc = pp_show_json_print(stdout, &t, &rep) ? PP_EXIT_FAILED :
		     PP_EXIT_OK;
		if (rc)
			pp_error("out of memory");
	} else {
		out.bytes = o.bytes;
		out.verbose = o.verbose > 0;
		rc = pp_show_human(stdout, &t, &rep, &out) ? PP_EXIT_FAILED :
		     PP_EXIT_OK;
	}
	pp_report_free(&rep);
	pp_topology_free(&t);
	return rc;
}
