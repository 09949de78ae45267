// SPDX-License-Identifier: GPL-2.0
/*
 * pmemplan apply --target kmem: carry out the plan on this machine, verify
 * it against the prediction, roll it back on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include "apply/apply.h"
#include "output/apply_output.h"
#include "output/plan_output.h"
#include "planner/consent.h"
#include "planner/planner.h"
#include "pmemplan.h"

#define LOCK_FILE "/run/pmemplan.lock"

static const char apply_usage[] =
"Usage: pmemplan apply [--target kmem] [options]\n"
"       pmemplan apply --restore[=DIR] [-v] [DAXDEV...]\n"
"       pmemplan apply --remove-config[=DIR]\n"
"\n"
"Carry out the plan of 'pmemplan plan' with the same options, through\n"
"libndctl, libdaxctl and libkmod: initialise labels, set the region\n"
"alignment, create or reconfigure the namespaces, bind kmem and online the\n"
"memory in the requested zone.  Every namespace and the hot-plugged range\n"
"are checked against the prediction; a failed step undoes everything done\n"
"so far.  Needs root; one apply at a time.\n"
"\n"
"Options:\n"
"  -n, --dry-run           print the operations, change nothing\n"
"      --write-config[=DIR]\n"
"                          afterwards record in DIR/pmemplan.conf (DIR\n"
"                          defaults to /etc/daxctl.conf.d) the memory that\n"
"                          is System RAM, for pmemplan-restore@.service to\n"
"                          make it System RAM again at boot\n"
"      --restore[=DIR]     make each DAXDEV (daxX.Y; none: every recorded\n"
"                          one) System RAM as DIR/pmemplan.conf records, in\n"
"                          its zone: what pmemplan-restore@.service runs\n"
"      --remove-config[=DIR]\n"
"                          remove DIR/pmemplan.conf: nothing is made System\n"
"                          RAM at boot any more (now nothing changes)\n"
"  -t, --target=kmem       what the memory is for (only kmem for now)\n"
"  -s, --size=SIZE         hot-plug exactly SIZE (whole memory blocks)\n"
"      --region-align=SIZE write this region alignment first (2M strands\n"
"                          less; 16M keeps the media usable everywhere)\n"
"      --memmap=POLICY     struct pages: auto (the more net memory), dram\n"
"                          or pmem\n"
"      --zone=ZONE         online as movable (default) or normal\n"
"      --dram-percent=N    share of MemAvailable struct pages may take (50)\n"
"      --reconfigure=NS    may reconfigure namespace NS in place; repeatable\n"
"      --replace=NS        may destroy namespace NS and reuse its space\n"
"      --keep              keep free raw namespaces as they are\n"
"  -f, --force             may replace any namespace not in use, and\n"
"                          initialise a label area that may hold labels\n"
"  -r, --region=REGION     only this region (regionN or N); repeatable\n"
"  -J, --json              the plan document with \"result\" and \"verified\"\n"
"  -b, --bytes             print sizes in bytes\n"
"  -v, --verbose           every step on stderr, timed (-vv: the libraries\n"
"                          too)\n"
"  -h, --help              this text\n"
"\n"
"Exit status: 0 done or nothing to do, 1 a step failed (rolled back) or\n"
"the kernel has no devdax, 2 bad usage or configuration, 3 refused for\n"
"safety (nothing changed).\n"
"See pmemplan-apply(1).\n";

enum {
	OPT_WRITE_CONFIG = OPT_CMD_FIRST,
	OPT_RESTORE,
	OPT_REMOVE_CONFIG,
};

static const struct option apply_options[] = {
	PP_COMMON_LONGOPTS,
	PP_PLAN_LONGOPTS,
	{ "dry-run", no_argument, NULL, 'n' },
	{ "write-config", optional_argument, NULL, OPT_WRITE_CONFIG },
	{ "restore", optional_argument, NULL, OPT_RESTORE },
	{ "remove-config", optional_argument, NULL, OPT_REMOVE_CONFIG },
	{ NULL, 0, NULL, 0 }
};

struct apply_args {
	struct pp_common_opts o;
	struct pp_plan_opts po;
	bool dry_run;
	const char *config_dir;		/* --write-config, NULL: no */
	/* the other modes: --restore or --remove-config, and their DIR */
	int mode;			/* OPT_RESTORE, OPT_REMOVE_CONFIG, 0 */
	const char *mode_dir;
	char **devs;			/* --restore's DAXDEV... */
	int nr_devs;
	bool other_opts;		/* an option other than -v */
};

/* The system as it is after apply: probed again, quietly. */
static void measure(const struct pp_common_opts *o, struct pp_apply_opts *ao,
		    struct pp_measurement *m)
{
	struct pp_common_opts quiet = *o;

	memset(m, 0, sizeof(*m));
	quiet.verbose = 0;
	if (pp_load_topology(&quiet, &m->t))
		return;
	pp_measurement_build(m);
	pp_apply_vlog(ao, "probed again");
}

static int print_json(const struct pp_topology *t, const struct pp_plan *plan,
		      const struct pp_apply_result *res,
		      const struct pp_measurement *m, const char *status,
		      const char *config, int nr_sections)
{
	struct pp_apply_doc doc = {
		.status = status, .res = res, .m = m, .config = config,
		.config_sections = nr_sections,
	};

	return pp_apply_json_print(stdout, t, plan, &doc);
}

/* ------------------------------------------------------------------ */

/*
 * One apply at a time: an exclusive lock on LOCK_FILE, held through *fd
 * until it is closed; wait: until the one holding it is done (--restore:
 * the units of several dax devices start together at boot, and each
 * switches the auto-online policy).  Returns 0, -EWOULDBLOCK when another
 * apply holds it, or another negative errno; the message is printed.
 */
static int take_lock(int *fd, bool wait)
{
	int rc;

	*fd = open(LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0) {
		rc = -errno;
		pp_error("apply: cannot open %s: %s", LOCK_FILE,
			 strerror(-rc));
		return rc;
	}
	if (flock(*fd, LOCK_EX | (wait ? 0 : LOCK_NB))) {
		rc = -errno;
		pp_error("apply: %s", rc == -EWOULDBLOCK ?
			 "another pmemplan apply is running" : strerror(-rc));
		close(*fd);
		*fd = -1;
		return rc;
	}
	return 0;
}

static const char *mode_name(int opt)
{
	return opt == OPT_RESTORE ? "--restore" :
	       opt == OPT_REMOVE_CONFIG ? "--remove-config" : "--write-config";
}

/* --write-config, --restore, --remove-config: one of them, DIR or not. */
static int mode_option(struct apply_args *args, int opt, const char *arg)
{
	const char *dir = arg ? arg : PP_DAXCTL_CONF_DIR;
	int had = args->config_dir ? OPT_WRITE_CONFIG : args->mode;

	if (had && had != opt) {
		pp_error("apply: %s and %s: give one of them", mode_name(had),
			 mode_name(opt));
		return -EINVAL;
	}
	if (!*dir) {
		pp_error("apply: %s=: an empty directory", mode_name(opt));
		return -EINVAL;
	}
	if (opt == OPT_WRITE_CONFIG) {
		args->config_dir = dir;
	} else {
		args->mode = opt;
		args->mode_dir = dir;
	}
	return 0;
}

/*
 * A dax device as udev names it: daxX.Y, or its node /dev/daxX.Y (as
 * daxctl takes it); *name is the name without "/dev/".
 */
static bool dax_name(char *arg, char **name)
{
	char *s = strncmp(arg, "/dev/", 5) ? arg : arg + 5;
	size_t x, y;

	*name = s;
	if (strncmp(s, "dax", 3))
		return false;
	s += 3;
	x = strspn(s, "0123456789");
	if (!x || s[x] != '.')
		return false;
	y = strspn(s + x + 1, "0123456789");
	return y && !s[x + 1 + y];
}

/* --restore or --remove-config: their arguments, nothing else but -v. */
static int parse_mode(struct apply_args *args, int argc, char **argv)
{
	char *name;
	int i;

	if (args->other_opts) {
		pp_error("apply: %s takes no option but -v/--verbose",
			 mode_name(args->mode));
		return PP_EXIT_USAGE;
	}
	if (args->mode == OPT_REMOVE_CONFIG && optind < argc) {
		pp_error("apply: --remove-config: unexpected argument '%s'",
			 argv[optind]);
		return PP_EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		if (!dax_name(argv[i], &name)) {
			pp_error("apply: --restore: '%s' is not a dax device (daxX.Y or /dev/daxX.Y, as daxctl list names them)",
				 argv[i]);
			return PP_EXIT_USAGE;
		}
		argv[i] = name;
	}
	args->devs = argv + optind;
	args->nr_devs = argc - optind;
	return PP_EXIT_OK;
}

/*
 * The command line into args.  Returns an exit code: PP_EXIT_OK with
 * *done set when there is nothing more to do (--help was printed),
 * PP_EXIT_USAGE after printing why.
 */
static int parse(int argc, char **argv, struct apply_args *args, bool *done)
{
	enum pp_opt_result res;
	int opt;

	*done = false;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv,
				  PP_COMMON_SHORTOPTS PP_PLAN_SHORTOPTS "n",
				  apply_options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(apply_usage, stdout);
			*done = true;
			return PP_EXIT_OK;
		}
		if (opt == OPT_WRITE_CONFIG || opt == OPT_RESTORE ||
		    opt == OPT_REMOVE_CONFIG) {
			if (mode_option(args, opt, optarg))
				return PP_EXIT_USAGE;
			continue;
		}
		if (opt != 'v')
			args->other_opts = true;
		if (opt == 'n') {
			args->dry_run = true;
			continue;
		}
		res = pp_common_option(&args->o, opt, optarg);
		if (res == PP_OPT_OTHER)
			res = pp_plan_option("apply", &args->po, opt, optarg);
		if (res == PP_OPT_HANDLED)
			continue;
		if (res == PP_OPT_OTHER)
			pp_bad_option("apply", opt, argv, optind);
		return PP_EXIT_USAGE;
	}
	if (args->mode)
		return parse_mode(args, argc, argv);
	if (optind < argc) {
		pp_error("apply: unexpected argument '%s' (regions are chosen with -r)",
			 argv[optind]);
		return PP_EXIT_USAGE;
	}
	if (pp_check_exclusive("apply", &args->o))
		return PP_EXIT_USAGE;
	return PP_EXIT_OK;
}

static int write_config(const char *dir, bool json, char *path, size_t len,
			int *nr)
{
	char err[PATH_MAX + 64];

	*nr = pp_apply_write_config(dir, path, len, err, sizeof(err));
	if (*nr < 0) {
		pp_error("apply: --write-config: %s", err);
		return PP_EXIT_FAILED;
	}
	/*
	 * The kernel's auto-online policy does not matter at boot: device_dax,
	 * not kmem, binds a pmem dax device (restore.c), and the unit switches
	 * the policy as apply does.
	 */
	fprintf(json ? stderr : stdout,
		"wrote %d section%s to %s: at boot pmemplan-restore@.service (pmemplan apply --restore) makes %s System RAM again, in the same zone\n",
		*nr, *nr == 1 ? "" : "s", path, *nr == 1 ? "it" : "them");
	return PP_EXIT_OK;
}

/* --remove-config: no root check of our own, the directory's decides */
static int remove_config(const char *dir)
{
	char path[PATH_MAX + 32], err[PATH_MAX + 128];
	int rc;

	rc = pp_apply_remove_config(dir, path, sizeof(path), err, sizeof(err));
	if (rc == 1) {
		printf("removed %s: at boot nothing is made System RAM any more; what is System RAM now stays so until then\n",
		       path);
		return PP_EXIT_OK;
	}
	if (!rc) {
		printf("nothing to remove: there is no %s\n", path);
		return PP_EXIT_OK;
	}
	if (rc == -EACCES || rc == -EPERM || rc == -EROFS) {
		pp_error("apply: --remove-config: %s (needs root)", err);
		return PP_EXIT_REFUSED;
	}
	pp_error("apply: --remove-config: %s", err);
	return PP_EXIT_FAILED;
}

/*
 * --restore [DAXDEV...]: the configuration first (missing or malformed:
 * exit 2, nothing to do without a section: no root needed), then under
 * the lock, waiting for it, each device.
 */
static int restore(struct apply_args *args)
{
	struct pp_apply_opts ao = { .verbose = args->o.verbose };
	char path[PATH_MAX + 32], err[PATH_MAX + 512];
	char *text;
	int rc, i, n, lock, ret = PP_EXIT_OK;

	n = pp_apply_read_config(args->mode_dir, &text, path, sizeof(path),
				 err, sizeof(err));
	if (n < 0) {
		pp_error("apply: --restore: %s%s", err, n == -ENOENT ?
			 " ('pmemplan apply --write-config' writes it)" : "");
		return n == -ENOMEM ? PP_EXIT_FAILED : PP_EXIT_USAGE;
	}
	if (!n) {
		printf("%s has no section: nothing to do\n", path);
		goto out;
	}
	if (geteuid() != 0) {
		pp_error("apply: --restore: needs root (it binds drivers and onlines memory)");
		ret = PP_EXIT_REFUSED;
		goto out;
	}
	rc = take_lock(&lock, true);
	if (rc) {
		ret = PP_EXIT_FAILED;
		goto out;
	}
	pp_apply_vlog(&ao, "restore from %s", path);
	for (i = 0; i < (args->nr_devs ? args->nr_devs : 1); i++) {
		rc = pp_apply_restore(text, path,
				      args->nr_devs ? args->devs[i] : NULL,
				      &ao, stdout, err, sizeof(err));
		fflush(stdout);
		if (!rc)
			continue;
		pp_error("apply: --restore: %s", err);
		if (rc == -ENODEV || rc == -EINVAL) {
			if (ret == PP_EXIT_OK)
				ret = PP_EXIT_USAGE;
		} else {
			ret = PP_EXIT_FAILED;
		}
	}
	close(lock);
out:
	free(text);
	return ret;
}

static void apply_opts(const struct apply_args *args,
		       struct pp_apply_opts *ao, struct pp_consent *c)
{
	const char *env = getenv("PMEMPLAN_TEST_FAIL_STEP");
	const char *stop = getenv("PMEMPLAN_TEST_STOP_STEP");
	char *end;
	unsigned long n;

	c->force = args->po.force;
	c->reconfigure = args->po.reconfigure;
	c->nr_reconfigure = args->po.nr_reconfigure;
	c->replace = args->po.replace;
	c->nr_replace = args->po.nr_replace;
	/*
	 * Testing aid (pmemplan-apply(1)): PMEMPLAN_TEST_FAIL_STEP=N makes
	 * step N fail before it changes anything, to test the rollback of
	 * every step.
	 */
	if (env && *env) {
		n = strtoul(env, &end, 10);
		if (!*end && n && n < 100000)
			ao->fail_step = (unsigned int)n;
	}
	/*
	 * PMEMPLAN_TEST_STOP_STEP=N|all: stop (SIGSTOP) before step N, or
	 * before every step, for tests that cut the power there.
	 */
	if (stop && !strcmp(stop, "all")) {
		ao->stop_step = PP_STOP_EVERY_STEP;
	} else if (stop && *stop) {
		n = strtoul(stop, &end, 10);
		if (!*end && n && n < 100000)
			ao->stop_step = (unsigned int)n;
	}
}

/* Plan, then carry it out: the part that runs under the lock. */
static int run(struct apply_args *args)
{
	struct pp_apply_result res = { 0 };
	struct pp_apply_opts ao = { .verbose = args->o.verbose };
	struct pp_consent consent;
	struct pp_topology t;
	struct pp_measurement m = { 0 };
	struct pp_plan plan;
	char err[512], path[4096];
	int rc, nr = 0;
	bool ok;

	/* -v: times from here, the probe included */
	pp_apply_vlog(&ao, "probe");
	rc = pp_load_topology(&args->o, &t);
	if (rc)
		return rc;
	if (pp_check_devdax("apply", &t)) {
		rc = PP_EXIT_FAILED;
		goto out_topo;
	}
	pp_apply_vlog(&ao, "plan");
	if (pp_check_names("apply", &t, &args->po)) {
		rc = PP_EXIT_USAGE;
		goto out_topo;
	}
	rc = pp_plan_build(&t, &args->po, &plan, err, sizeof(err));
	if (rc) {
		pp_error("apply: %s", err);
		rc = rc == -ENOMEM ? PP_EXIT_FAILED : PP_EXIT_USAGE;
		goto out_topo;
	}
	if (plan.shortfall[0]) {
		/* --size cannot be met */
		pp_error("apply: %s; nothing changed", plan.shortfall);
		rc = PP_EXIT_USAGE;
		goto out_plan;
	}
	if (pp_apply_complete(&t, &plan, args->po.zone) < 0) {
		pp_error("apply: out of memory");
		rc = PP_EXIT_FAILED;
		goto out_plan;
	}
	apply_opts(args, &ao, &consent);
	/* a layout the kernel cannot take (some it oopses on) or ndctl
	 * would refuse: never written, not even shown as what would be */
	rc = pp_plan_check_layouts(&t.plat, &plan, err, sizeof(err));
	if (rc) {
		pp_error("apply: %s; nothing changed", err);
		rc = PP_EXIT_REFUSED;
		goto out_plan;
	}

	if (args->dry_run) {
		if (args->config_dir)
			pp_warn("apply: --dry-run: --write-config writes nothing either");
		if (args->o.json) {
			rc = print_json(&t, &plan, NULL, NULL, "dry run", NULL,
					0);
		} else {
			printf("dry run: these operations would be carried out; nothing is changed\n");
			rc = pp_plan_human(stdout, &t, &plan, args->o.bytes);
		}
		rc = rc ? PP_EXIT_FAILED : PP_EXIT_OK;
		goto out_plan;
	}
	if (!pp_plan_has_ops(&plan)) {
		if (!args->o.json)
			printf("nothing to do: %s\n",
			       plan.nr_regions || plan.nr_cxl ?
			       "the selected regions are laid out as planned" :
			       "no persistent memory regions");
		rc = PP_EXIT_OK;
		if (args->config_dir)
			rc = write_config(args->config_dir, args->o.json,
					  path, sizeof(path), &nr);
		if (args->o.json) {
			measure(&args->o, &ao, &m);
			print_json(&t, &plan, NULL, &m, "nothing to do",
				   args->config_dir && !rc ? path : NULL, nr);
			pp_measurement_free(&m);
		}
		goto out_plan;
	}
	rc = pp_apply_consent(&plan, &consent, err, sizeof(err));
	if (rc) {
		pp_error("apply: %s", err);
		rc = PP_EXIT_REFUSED;
		goto out_plan;
	}

	rc = pp_apply_run(&t, &plan, &ao, &res);
	if (rc) {
		if (res.rollback_error[0])
			pp_error("apply: %s; rollback incomplete: %s", res.error,
				 res.rollback_error);
		else
			pp_error("apply: %s; %s%s%s", res.error, res.steps ?
				 "rolled back" : "nothing changed",
				 res.note[0] ? "; " : "", res.note);
		if (args->o.json)
			print_json(&t, &plan, &res, NULL,
				   res.refused ? "refused" : "failed", NULL, 0);
		rc = res.refused && !res.rollback_error[0] ? PP_EXIT_REFUSED :
		     PP_EXIT_FAILED;
		goto out_res;
	}
	measure(&args->o, &ao, &m);
	rc = PP_EXIT_OK;
	if (args->config_dir)
		rc = write_config(args->config_dir, args->o.json, path,
				  sizeof(path), &nr);
	if (args->o.json) {
		print_json(&t, &plan, &res, &m, "applied",
			   args->config_dir && !rc ? path : NULL, nr);
	} else {
		ok = pp_apply_human(stdout, &plan, &res, &m, args->o.bytes);
		if (!ok)
			pp_warn("apply: the result differs from the plan; see 'pmemplan show'");
	}
	pp_measurement_free(&m);
out_res:
	pp_apply_result_free(&res);
out_plan:
	pp_plan_free(&plan);
out_topo:
	pp_topology_free(&t);
	return rc;
}

int cmd_apply(int argc, char **argv)
{
	struct apply_args args;
	bool done;
	int rc, lock;

	memset(&args, 0, sizeof(args));
	rc = parse(argc, argv, &args, &done);
	if (rc || done)
		goto out;
	if (args.mode == OPT_REMOVE_CONFIG) {
		rc = remove_config(args.mode_dir);
		goto out;
	}
	if (args.mode == OPT_RESTORE) {
		rc = restore(&args);
		goto out;
	}
	if (geteuid() != 0) {
		pp_error("apply: needs root (it writes sysfs and binds drivers)");
		rc = PP_EXIT_REFUSED;
		goto out;
	}
	rc = take_lock(&lock, false);
	if (rc) {
		rc = rc == -EWOULDBLOCK ? PP_EXIT_REFUSED : PP_EXIT_FAILED;
		goto out;
	}
	rc = run(&args);
	close(lock);
out:
	free(args.o.regions);
	pp_plan_opts_free(&args.po);
	return rc;
}
