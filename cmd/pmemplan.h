/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the command front-ends: exit codes, errors, common options. */
#ifndef PMEMPLAN_CMD_H
#define PMEMPLAN_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include "topology.h"

/* Exit codes, documented in pmemplan(1). */
#define PP_EXIT_OK	0
#define PP_EXIT_FAILED	1	/* an operation failed */
#define PP_EXIT_USAGE	2	/* bad option or bad input */
#define PP_EXIT_REFUSED	3	/* refused for safety */

/* Options every command that reads a topology understands. */
struct pp_common_opts {
	const char *input;		/* --input FILE, "-" for stdin */
	const char **regions;		/* -r/--region, repeatable */
	unsigned int nr_regions;
	uint64_t block_size;		/* what-if overrides, 0 = none */
	uint64_t page_size;
	const char *arch;
	const char *kernel;
	bool json;
	bool bytes;
	int verbose;
};

void pp_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Handle one common option (getopt_long's value and optarg).  Returns 1
 * when handled, 0 when not a common option, -1 after printing an error.
 */
int pp_common_option(struct pp_common_opts *o, int opt, const char *arg);

/* Read the topology (live or --input), apply what-if overrides and the
 * region filter.  Returns an exit code. */
int pp_load_topology(const struct pp_common_opts *o, struct pp_topology *t);

int cmd_show(int argc, char **argv);
int cmd_plan(int argc, char **argv);

/* getopt_long returned '?' or ':' (opt): say which option, in our words. */
void pp_bad_option(const char *cmd, int opt, char **argv, int optind_now);

/* Long-only option values and the shared getopt_long table entries. */
enum {
	OPT_INPUT = 256,
	OPT_BLOCK_SIZE,
	OPT_PAGE_SIZE,
	OPT_ARCH,
	OPT_KERNEL,
};

#define PP_COMMON_LONGOPTS						\
	{ "input", required_argument, NULL, OPT_INPUT },		\
	{ "region", required_argument, NULL, 'r' },			\
	{ "json", no_argument, NULL, 'J' },				\
	{ "bytes", no_argument, NULL, 'b' },				\
	{ "verbose", no_argument, NULL, 'v' },				\
	{ "block-size", required_argument, NULL, OPT_BLOCK_SIZE },	\
	{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },	\
	{ "arch", required_argument, NULL, OPT_ARCH },			\
	{ "kernel", required_argument, NULL, OPT_KERNEL },		\
	{ "help", no_argument, NULL, 'h' }
/* leading ':': getopt_long returns ':' for a missing value */
#define PP_COMMON_SHORTOPTS ":r:Jbvh"

#endif /* PMEMPLAN_CMD_H */
