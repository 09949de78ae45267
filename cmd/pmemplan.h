/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the command front-ends: exit codes, errors, common options. */
#ifndef PMEMPLAN_CMD_H
#define PMEMPLAN_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "topology/topology.h"

struct pp_plan_opts;

/* Exit codes, documented in pmemplan(1). */
#define PP_EXIT_OK	0
#define PP_EXIT_FAILED	1	/* an operation failed */
#define PP_EXIT_USAGE	2	/* bad option or bad input */
#define PP_EXIT_REFUSED	3	/* refused for safety */

/* Options every command that reads a topology understands. */
struct pp_common_opts {
	const char *input;		/* --input FILE, "-" for stdin; plan:
					 * the first of inputs */
	const char *const *inputs;	/* plan: every --input, in order */
	unsigned int nr_inputs;
	bool many_inputs;		/* the command takes several --input */
	/* what plan read of standard input to tell JSON Lines from one
	 * document: the reader takes it before the rest */
	const char *input_head;
	size_t input_headlen;
	const char *sysroot;		/* --sysroot DIR: platform facts and
					 * memory blocks from DIR/sys, DIR/proc */
	const char **regions;		/* -r/--region, repeatable */
	unsigned int nr_regions;
	uint64_t block_size;		/* what-if overrides, 0 = none; checked
					 * by pp_whatif_parse() */
	uint64_t page_size;
	const char *arch;
	const char *kernel;
	const char *auto_online;	/* auto_online_blocks of the target */
	const char *memmap_on_memory;	/* its memory_hotplug parameter */
	bool json;
	bool bytes;
	int verbose;
};

/* Room for a one-line message from the library (an option value quoted). */
#define PP_ERR_LEN 4096

void pp_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The return convention of every option handler of cmd/ (pp_common_option,
 * pp_plan_option): what it did with one value of getopt_long().  The
 * numbers are fixed (1, 0, -1) so that "rc == 1" and "!rc" read the same.
 * Help is never an option handler's business: a command prints its usage
 * and returns PP_EXIT_OK itself.
 */
enum pp_opt_result {
	PP_OPT_ERROR = -1,	/* refused; the message is printed */
	PP_OPT_OTHER = 0,	/* not this handler's option: try the next */
	PP_OPT_HANDLED = 1,	/* taken */
};

/* Handle one common option (getopt_long's value and optarg). */
enum pp_opt_result pp_common_option(struct pp_common_opts *o, int opt,
				    const char *arg);

/*
 * The exclusion table: options command cmd refuses together (--input
 * with --sysroot; apply: no --input, --sysroot or what-if).  0, or
 * -EINVAL after printing why.
 */
int pp_check_exclusive(const char *cmd, const struct pp_common_opts *o);

/* Read the topology (live or --input), apply what-if overrides and the
 * region filter (topology/whatif.h).  Returns an exit code. */
int pp_load_topology(const struct pp_common_opts *o, struct pp_topology *t);
/*
 * What pp_load_topology() does after reading, for a topology read
 * otherwise (the fleet's snapshots): derive the platform, apply the
 * what-if options and the region filter.  0, or a negative errno with a
 * line in err (t is then freed).
 */
int pp_prepare_topology(const struct pp_common_opts *o, struct pp_topology *t,
			char *err, size_t errlen);

/*
 * plan --input with many snapshots (cmd/fleet.c): several --input, a
 * directory, or JSON Lines on standard input.  pp_fleet_open() tells
 * whether o->input asks for the fleet report (*fleet); when it does not
 * and the input is standard input, it sets o->input_head to what it read.
 * Both return an exit code; pp_fleet_close() releases what open kept.
 */
struct pp_fleet_src;
int pp_fleet_open(struct pp_common_opts *o, struct pp_fleet_src **src,
		  bool *fleet);
int pp_fleet_plan(struct pp_fleet_src *src, const struct pp_common_opts *o,
		  const struct pp_plan_opts *po);
void pp_fleet_close(struct pp_fleet_src *src);

/*
 * Every plan makes devdax namespaces: on a kernel the live probe found
 * without devdax (t->no_devdax), print why cmd cannot and return -ENODEV
 * (the command exits PP_EXIT_FAILED); 0 otherwise.
 */
int pp_check_devdax(const char *cmd, const struct pp_topology *t);

int cmd_show(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_apply(int argc, char **argv);

/*
 * Handle one option of the planner (plan and apply share them), cmd
 * naming the command in messages.
 */
enum pp_opt_result pp_plan_option(const char *cmd, struct pp_plan_opts *po,
				  int opt, const char *arg);
/* Every namespace named with --reconfigure/--replace must exist in t:
 * 0, or -EINVAL after printing an error. */
int pp_check_names(const char *cmd, const struct pp_topology *t,
		   const struct pp_plan_opts *po);
void pp_plan_opts_free(struct pp_plan_opts *po);

/* getopt_long returned '?' or ':' (opt): say which option, in our words. */
void pp_bad_option(const char *cmd, int opt, char **argv, int optind_now);

/* Long-only option values and the shared getopt_long table entries. */
enum {
	OPT_INPUT = 256,
	OPT_BLOCK_SIZE,
	OPT_PAGE_SIZE,
	OPT_ARCH,
	OPT_KERNEL,
	OPT_REGION_ALIGN,
	OPT_MEMMAP,
	OPT_ZONE,
	OPT_DRAM_PERCENT,
	OPT_RECONFIGURE,
	OPT_REPLACE,
	OPT_KEEP,
	OPT_SYSROOT,
	OPT_AUTO_ONLINE,
	OPT_MEMMAP_ON_MEMORY,
	OPT_CMD_FIRST = 300,	/* a command's own long-only options */
};

#define PP_COMMON_LONGOPTS						\
	{ "input", required_argument, NULL, OPT_INPUT },		\
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },		\
	{ "region", required_argument, NULL, 'r' },			\
	{ "json", no_argument, NULL, 'J' },				\
	{ "bytes", no_argument, NULL, 'b' },				\
	{ "verbose", no_argument, NULL, 'v' },				\
	{ "block-size", required_argument, NULL, OPT_BLOCK_SIZE },	\
	{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },	\
	{ "arch", required_argument, NULL, OPT_ARCH },			\
	{ "kernel", required_argument, NULL, OPT_KERNEL },		\
	{ "auto-online", required_argument, NULL, OPT_AUTO_ONLINE },	\
	{ "memmap-on-memory", required_argument, NULL,			\
	  OPT_MEMMAP_ON_MEMORY },					\
	{ "help", no_argument, NULL, 'h' }
/* leading ':': getopt_long returns ':' for a missing value */
#define PP_COMMON_SHORTOPTS ":r:Jbvh"

/* The planner's options, for plan and apply. */
#define PP_PLAN_LONGOPTS						\
	{ "target", required_argument, NULL, 't' },			\
	{ "size", required_argument, NULL, 's' },			\
	{ "force", no_argument, NULL, 'f' },				\
	{ "region-align", required_argument, NULL, OPT_REGION_ALIGN },	\
	{ "memmap", required_argument, NULL, OPT_MEMMAP },		\
	{ "zone", required_argument, NULL, OPT_ZONE },			\
	{ "dram-percent", required_argument, NULL, OPT_DRAM_PERCENT },	\
	{ "reconfigure", required_argument, NULL, OPT_RECONFIGURE },	\
	{ "replace", required_argument, NULL, OPT_REPLACE },		\
	{ "keep", no_argument, NULL, OPT_KEEP }
#define PP_PLAN_SHORTOPTS "t:s:f"

#endif /* PMEMPLAN_CMD_H */
