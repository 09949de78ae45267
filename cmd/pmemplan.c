// SPDX-License-Identifier: GPL-2.0
/* pmemplan: plan persistent memory for use as RAM (dax kmem). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "config.h"
#include "pmemplan.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "show", cmd_show, "where every byte of pmem goes, today" },
	{ "plan", cmd_plan, "the layout that hot-plugs the most, and how" },
	{ "apply", cmd_apply, "carry the plan out, verify it, undo it on failure" },
};

/* Output that could not be written (a full disk) is a failure, not 0. */
static int flush_stdout(int rc)
{
	if (!fflush(stdout) && !ferror(stdout))
		return rc;
	pp_error("cannot write the output: %s", strerror(errno));
	return rc ? rc : PP_EXIT_FAILED;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: pmemplan <command> [options]\n\n"
		"Plan persistent memory namespaces for use as RAM (dax kmem).\n\n"
		"Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].what);
	fprintf(out, "\nOptions:\n"
		"  -h, --help     this text; 'pmemplan <command> --help' for a command\n"
		"  -V, --version  print the version\n\n"
		"Exit status: 0 success, 1 failure, 2 bad usage or input, 3 refused for safety.\n"
		"See pmemplan(1).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return PP_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return flush_stdout(PP_EXIT_OK);
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("pmemplan %s\n", PACKAGE_VERSION);
		return flush_stdout(PP_EXIT_OK);
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return flush_stdout(commands[i].fn(argc - 1,
							   argv + 1));
	pp_error("unknown command '%s': see 'pmemplan --help'", argv[1]);
	return PP_EXIT_USAGE;
}
