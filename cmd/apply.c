// SPDX-License-Identifier: GPL-2.0
/*
 * pmemplan apply --target kmem: carry out the plan on this machine, verify
 * it against the prediction, roll it back on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <json-c/json.h>
#include "account/account.h"
#include "apply/apply.h"
#include "planner/planner.h"
#include "output/plan_output.h"
#include "pmemplan.h"
#include "snapshot/snapshot.h"
#include "util/units.h"

#define LOCK_FILE "/run/pmemplan.lock"

static const char apply_usage[] =
"Usage: pmemplan apply [--target kmem] [options]\n"
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
"                          write DIR/pmemplan.conf (DIR defaults to\n"
"                          /etc/daxctl.conf.d) so that daxctl's udev rule\n"
"                          makes the memory System RAM again at boot\n"
"  -t, --target=kmem       what the memory is for (only kmem for now)\n"
"  -s, --size=SIZE         hot-plug exactly SIZE (whole memory blocks)\n"
"      --region-align=SIZE write this region alignment first (2M strands\n"
"                          less; 16M keeps the media usable everywhere)\n"
"      --memmap=POLICY     struct pages: auto, dram or pmem\n"
"      --zone=ZONE         online as movable (default) or normal\n"
"      --dram-percent=N    share of MemAvailable struct pages may take (50)\n"
"      --reconfigure=NS    may reconfigure namespace NS in place; repeatable\n"
"      --replace=NS        may destroy namespace NS and reuse its space\n"
"      --keep              keep free raw namespaces as they are\n"
"  -f, --force             may replace any namespace not in use, and\n"
"                          initialise labels (erases the label area)\n"
"  -r, --region=REGION     only this region (regionN or N); repeatable\n"
"  -J, --json              the plan document with \"result\" and \"verified\"\n"
"  -b, --bytes             print sizes in bytes\n"
"  -v, --verbose           every step on stderr (-vv: the libraries too)\n"
"  -h, --help              this text\n"
"\n"
"Exit status: 0 done or nothing to do, 1 a step failed (rolled back),\n"
"2 bad usage, 3 refused for safety (nothing changed).\n"
"See pmemplan-apply(1).\n";

enum {
	OPT_WRITE_CONFIG = OPT_CMD_FIRST,
};

static const struct option apply_options[] = {
	PP_COMMON_LONGOPTS,
	PP_PLAN_LONGOPTS,
	{ "dry-run", no_argument, NULL, 'n' },
	{ "write-config", optional_argument, NULL, OPT_WRITE_CONFIG },
	{ NULL, 0, NULL, 0 }
};

struct apply_args {
	struct pp_common_opts o;
	struct pp_plan_opts po;
	bool dry_run;
	const char *config_dir;		/* --write-config, NULL: no */
};

#define JADD(obj, key, val) json_object_object_add(obj, key, val)

static const char *sz(uint64_t v, bool bytes, char *buf)
{
	if (bytes)
		snprintf(buf, PP_HUMAN_LEN, "%" PRIu64, v);
	else
		pp_human_size(v, buf, PP_HUMAN_LEN);
	return buf;
}

/* ------------------------------------------------------------------ */
/* What the system looks like after apply                              */
/* ------------------------------------------------------------------ */

struct outcome {
	struct pp_topology t;
	struct pp_report rep;
	bool ok;
};

static void measure(const struct pp_common_opts *o, struct outcome *m)
{
	struct pp_common_opts quiet = *o;

	memset(m, 0, sizeof(*m));
	quiet.verbose = 0;
	if (pp_load_topology(&quiet, &m->t))
		return;
	if (pp_report_build(&m->t, &m->rep)) {
		pp_topology_free(&m->t);
		return;
	}
	m->ok = true;
}

static void outcome_free(struct outcome *m)
{
	if (!m->ok)
		return;
	pp_report_free(&m->rep);
	pp_topology_free(&m->t);
}

static const struct pp_region_report *region_report(const struct outcome *m,
						    const char *dev)
{
	unsigned int i;

	for (i = 0; m->ok && i < m->rep.nr_regions; i++)
		if (!strcmp(m->rep.regions[i].r->dev, dev))
			return &m->rep.regions[i];
	return NULL;
}

static uint64_t report_blocks(const struct pp_region_report *rr)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < rr->r->nr_ns; i++)
		if (rr->ns[i].active)
			n += rr->ns[i].blocks;
	return n;
}

/* The region turned out as planned: kmem, blocks, every namespace. */
static bool region_verified(const struct pp_region_plan *rp,
			    const struct pp_region_report *rr,
			    const struct pp_apply_result *res)
{
	unsigned int i;

	if (!rr || rr->kmem != rp->predicted.kmem ||
	    report_blocks(rr) != rp->predicted.blocks)
		return false;
	for (i = 0; res && i < res->nr_ns; i++)
		if (!strcmp(res->ns[i].region, rp->r->dev) &&
		    !res->ns[i].verified)
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

/* plan's own document, to which apply adds its results */
static struct json_object *plan_doc(const struct pp_topology *t,
				    const struct pp_plan *plan)
{
	struct json_object *doc = NULL;
	size_t len = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (!pp_plan_json_print(f, t, plan) && !fflush(f))
		doc = json_tokener_parse(text);
	fclose(f);
	free(text);
	return doc;
}

static struct json_object *values_json(const struct pp_apply_values *v,
				       bool kmem, bool measured,
				       const char *zone)
{
	struct json_object *j = json_object_new_object();

	if (!j)
		return NULL;
	JADD(j, "resource", pp_json_u64(v->start));
	JADD(j, "dataoff", pp_json_u64(v->dataoff));
	if (!kmem)
		return j;
	JADD(j, "dax_start", pp_json_u64(v->dax_start));
	JADD(j, "dax_end", pp_json_u64(v->dax_end));
	JADD(j, "kmem_start", pp_json_u64(v->kmem_start));
	JADD(j, "kmem_end", pp_json_u64(v->kmem_end));
	JADD(j, "blocks", pp_json_u64(v->blocks));
	if (measured) {
		JADD(j, "online_blocks", pp_json_u64(v->online));
		JADD(j, "zone", json_object_new_string(zone));
	}
	return j;
}

static struct json_object *ns_json(const struct pp_apply_ns *n)
{
	struct json_object *j = json_object_new_object();
	bool kmem = n->role == PP_ROLE_KMEM;

	if (!j)
		return NULL;
	JADD(j, "dev", json_object_new_string(n->dev));
	JADD(j, "role", json_object_new_string(pp_role_name(n->role)));
	JADD(j, "mode", json_object_new_string(pp_mode_name(n->mode)));
	JADD(j, "map", n->map != PP_MAP_NONE ?
	     json_object_new_string(pp_map_name(n->map)) : NULL);
	JADD(j, "align", n->align ? pp_json_u64(n->align) : NULL);
	JADD(j, "size", pp_json_u64(n->size));
	JADD(j, "uuid", n->uuid[0] ? json_object_new_string(n->uuid) : NULL);
	JADD(j, "chardev", n->dax[0] ? json_object_new_string(n->dax) : NULL);
	JADD(j, "created", json_object_new_boolean(n->created));
	JADD(j, "system_ram", json_object_new_boolean(n->kmem));
	JADD(j, "memmap_on_memory", json_object_new_boolean(n->mom));
	if (kmem)
		JADD(j, "zone", json_object_new_string(pp_zone_name(n->zone)));
	JADD(j, "predicted", values_json(&n->predicted, kmem, false, NULL));
	JADD(j, "measured", values_json(&n->measured, kmem, true,
					n->zone_seen));
	JADD(j, "verified", json_object_new_boolean(n->verified));
	return j;
}

static struct json_object *result_json(const struct pp_region_plan *rp,
				       const struct pp_region_report *rr,
				       const struct pp_apply_result *res)
{
	struct json_object *j = json_object_new_object(), *a;
	unsigned int i;

	if (!j)
		return NULL;
	JADD(j, "kmem", rr ? pp_json_u64(rr->kmem) : NULL);
	JADD(j, "blocks", rr ? pp_json_u64(report_blocks(rr)) : NULL);
	JADD(j, "stranded", rr ? pp_json_u64(rr->stranded) : NULL);
	JADD(j, "usable", rr ? pp_json_u64(rr->usable) : NULL);
	a = json_object_new_array();
	for (i = 0; a && res && i < res->nr_ns; i++)
		if (!strcmp(res->ns[i].region, rp->r->dev))
			json_object_array_add(a, ns_json(&res->ns[i]));
	JADD(j, "namespaces", a);
	return j;
}

static int print_json(const struct pp_topology *t, const struct pp_plan *plan,
		      const struct pp_apply_result *res,
		      const struct outcome *m, const char *status,
		      const char *config, int nr_sections)
{
	struct json_object *doc = plan_doc(t, plan), *regions, *ap, *tot, *r;
	uint64_t kmem = 0, blocks = 0, stranded = 0;
	bool all = true, measured = m && m->ok;
	unsigned int i;

	if (!doc)
		return -ENOMEM;
	JADD(doc, "command", json_object_new_string("apply"));
	ap = json_object_new_object();
	JADD(ap, "status", json_object_new_string(status));
	JADD(ap, "steps", json_object_new_int(res ? (int)res->steps : 0));
	JADD(ap, "operations", json_object_new_int(res ? (int)res->ops : 0));
	JADD(ap, "error", res && res->error[0] ?
	     json_object_new_string(res->error) : NULL);
	JADD(ap, "rolled_back", json_object_new_boolean(res &&
							res->rolled_back));
	JADD(ap, "rollback_error", res && res->rollback_error[0] ?
	     json_object_new_string(res->rollback_error) : NULL);
	JADD(ap, "note", res && res->note[0] ?
	     json_object_new_string(res->note) : NULL);
	JADD(ap, "auto_online_blocks", res && res->policy[0] ?
	     json_object_new_string(res->policy) : NULL);
	JADD(ap, "policy_switched", json_object_new_boolean(res &&
						res->policy_switched));
	if (res && measured && res->mem_total_before &&
	    res->mem_total_after >= res->mem_total_before) {
		struct json_object *g = json_object_new_object();

		JADD(g, "predicted", pp_json_u64(res->ram_gain_predicted));
		JADD(g, "measured", pp_json_u64(res->mem_total_after -
						res->mem_total_before));
		JADD(ap, "ram_gain", g);
	}
	JADD(ap, "config", config ? json_object_new_string(config) : NULL);
	if (config)
		JADD(ap, "config_sections", json_object_new_int(nr_sections));
	JADD(doc, "apply", ap);

	json_object_object_get_ex(doc, "regions", &regions);
	for (i = 0; regions && i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];
		const struct pp_region_report *rr;
		bool ok;

		r = json_object_array_get_idx(regions, i);
		if (!r || !measured)
			continue;
		rr = region_report(m, rp->r->dev);
		ok = region_verified(rp, rr, res);
		all &= ok;
		if (rr) {
			kmem += rr->kmem;
			blocks += report_blocks(rr);
			stranded += rr->stranded;
		}
		JADD(r, "result", result_json(rp, rr, res));
		JADD(r, "verified", json_object_new_boolean(ok));
	}
	if (json_object_object_get_ex(doc, "totals", &tot) && measured) {
		struct json_object *j = json_object_new_object();

		JADD(j, "kmem", pp_json_u64(kmem));
		JADD(j, "blocks", pp_json_u64(blocks));
		JADD(j, "stranded", pp_json_u64(stranded));
		JADD(tot, "result", j);
		JADD(tot, "verified", json_object_new_boolean(all));
	}
	JADD(doc, "verified", measured ? json_object_new_boolean(all) : NULL);
	printf("%s\n", json_object_to_json_string_ext(doc,
			JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Human report                                                        */
/* ------------------------------------------------------------------ */

static void ns_line(const struct pp_apply_ns *n, bool bytes)
{
	char a[PP_HUMAN_LEN];

	printf("  %-14s %-6s %-8s %#14" PRIx64 " %9s", n->dev,
	       pp_mode_name(n->mode), pp_role_name(n->role),
	       n->measured.start, sz(n->size, bytes, a));
	if (n->role == PP_ROLE_KMEM && n->kmem)
		printf("  %s: kmem %#" PRIx64 "-%#" PRIx64 ", %" PRIu64
		       "/%" PRIu64 " blocks %s", n->dax,
		       n->measured.kmem_start, n->measured.kmem_end - 1,
		       n->measured.online, n->measured.blocks,
		       n->zone_seen[0] ? n->zone_seen : "offline");
	else if (n->mode != PP_MODE_RAW)
		printf("  data +%s", sz(n->measured.dataoff, bytes, a));
	printf("  %s\n", n->verified ? "as planned" : "NOT AS PLANNED");
}

static bool print_human(const struct pp_plan *plan,
			const struct pp_apply_result *res,
			const struct outcome *m, bool bytes)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN];
	bool all = true;
	unsigned int i, j;

	for (i = 0; i < plan->nr_regions; i++) {
		const struct pp_region_plan *rp = &plan->regions[i];
		const struct pp_region_report *rr;
		bool ok;

		rr = region_report(m, rp->r->dev);
		ok = region_verified(rp, rr, res);

		all &= ok;
		printf("%s: %u operation%s done\n", rp->r->dev, rp->nr_ops,
		       rp->nr_ops == 1 ? "" : "s");
		printf("  %-10s %12s %12s\n", "", "PREDICTED", "MEASURED");
		printf("  %-10s %12s %12s\n", "kmem",
		       sz(rp->predicted.kmem, bytes, a),
		       rr ? sz(rr->kmem, bytes, b) : "-");
		printf("  %-10s %12" PRIu64 " %12" PRIu64 "\n", "blocks",
		       rp->predicted.blocks, rr ? report_blocks(rr) : 0);
		printf("  %-10s %12s %12s\n", "stranded",
		       sz(rp->predicted.stranded, bytes, a),
		       rr ? sz(rr->stranded, bytes, b) : "-");
		for (j = 0; j < res->nr_ns; j++)
			if (!strcmp(res->ns[j].region, rp->r->dev))
				ns_line(&res->ns[j], bytes);
		printf("  verified: %s\n", ok ? "yes" : "NO");
	}
	if (res->mem_total_before && res->mem_total_after >=
	    res->mem_total_before)
		printf("MemTotal grew by %s (predicted %s); %u steps%s\n",
		       sz(res->mem_total_after - res->mem_total_before, bytes,
			  a), sz(res->ram_gain_predicted, bytes, b),
		       res->steps, res->policy_switched ?
		       "; auto_online_blocks was switched to offline while binding, and is back" :
		       "");
	return all;
}

/* ------------------------------------------------------------------ */

static int take_lock(void)
{
	int fd = open(LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0) {
		pp_error("apply: cannot open %s: %s", LOCK_FILE,
			 strerror(errno));
		return -PP_EXIT_FAILED;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int busy = errno == EWOULDBLOCK;

		pp_error("apply: %s", busy ? "another pmemplan apply is running" :
			 strerror(errno));
		close(fd);
		return busy ? -PP_EXIT_REFUSED : -PP_EXIT_FAILED;
	}
	return fd;
}

static int parse(int argc, char **argv, struct apply_args *args)
{
	int opt, rc;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv,
				  PP_COMMON_SHORTOPTS PP_PLAN_SHORTOPTS "n",
				  apply_options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(apply_usage, stdout);
			return -1;
		}
		if (opt == 'n') {
			args->dry_run = true;
			continue;
		}
		if (opt == OPT_WRITE_CONFIG) {
			args->config_dir = optarg ? optarg : PP_DAXCTL_CONF_DIR;
			if (!*args->config_dir) {
				pp_error("apply: --write-config=: an empty directory");
				return PP_EXIT_USAGE;
			}
			continue;
		}
		rc = pp_common_option(&args->o, opt, optarg);
		if (!rc)
			rc = pp_plan_option("apply", &args->po, opt, optarg);
		if (rc == 1)
			continue;
		if (rc == 0)
			pp_bad_option("apply", opt, argv, optind);
		return PP_EXIT_USAGE;
	}
	if (optind < argc) {
		pp_error("apply: unexpected argument '%s' (regions are chosen with -r)",
			 argv[optind]);
		return PP_EXIT_USAGE;
	}
	if (args->o.input) {
		pp_error("apply: --input: apply works on this machine only (plan from a snapshot with 'pmemplan plan --input')");
		return PP_EXIT_USAGE;
	}
	if (args->o.block_size || args->o.page_size || args->o.arch ||
	    args->o.kernel) {
		pp_error("apply: --block-size, --page-size, --arch and --kernel are what-if options of plan; apply works on this machine as it is");
		return PP_EXIT_USAGE;
	}
	return 0;
}

static int write_config(const char *dir, const struct pp_topology *t,
			bool json, char *path, size_t len, int *nr)
{
	char err[PATH_MAX + 64];

	*nr = pp_apply_write_config(dir, path, len, err, sizeof(err));
	if (*nr < 0) {
		pp_error("apply: --write-config: %s", err);
		return PP_EXIT_FAILED;
	}
	fprintf(json ? stderr : stdout,
		"wrote %d section%s to %s: at boot daxctl's udev rule (daxctl reconfigure-device --check-config) makes %s System RAM again\n",
		*nr, *nr == 1 ? "" : "s", path, *nr == 1 ? "it" : "them");
	if (!strncmp(t->plat.auto_online_blocks, "online", 6))
		pp_warn("auto_online_blocks is '%s': at boot the kernel onlines the memory itself, into ZONE_NORMAL, and daxctl refuses movable onlining; boot with memhp_default_state=offline",
			t->plat.auto_online_blocks);
	return PP_EXIT_OK;
}

static void apply_opts(const struct apply_args *args,
		       struct pp_apply_opts *ao)
{
	const char *env = getenv("PMEMPLAN_TEST_FAIL_STEP");
	char *end;
	unsigned long n;

	memset(ao, 0, sizeof(*ao));
	ao->verbose = args->o.verbose;
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
}

/* Plan, then carry it out: the part that runs under the lock. */
static int run(struct apply_args *args)
{
	struct pp_apply_result res = { 0 };
	struct pp_apply_opts ao;
	struct pp_consent consent;
	struct pp_topology t;
	struct outcome m = { 0 };
	struct pp_plan plan;
	char err[256], path[4096];
	int rc, nr = 0;
	bool ok;

	rc = pp_load_topology(&args->o, &t);
	if (rc)
		return rc;
	if (pp_check_names("apply", &t, &args->po)) {
		rc = PP_EXIT_USAGE;
		goto out_topo;
	}
	rc = pp_plan_build(&t, &args->po, &plan, err, sizeof(err));
	if (rc) {
		pp_error("apply: %s", rc == -ENOMEM ? "out of memory" : err);
		rc = rc == -ENOMEM ? PP_EXIT_FAILED : PP_EXIT_USAGE;
		goto out_topo;
	}
	if (err[0]) {
		/* --size cannot be met */
		pp_error("apply: %s; nothing changed", err);
		rc = PP_EXIT_USAGE;
		goto out_plan;
	}
	if (pp_apply_complete(&t, &plan, args->po.zone) < 0) {
		pp_error("apply: out of memory");
		rc = PP_EXIT_FAILED;
		goto out_plan;
	}
	apply_opts(args, &ao);

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
			printf("nothing to do: %s\n", plan.nr_regions ?
			       "the selected regions are laid out as planned" :
			       "no persistent memory regions");
		rc = PP_EXIT_OK;
		if (args->config_dir)
			rc = write_config(args->config_dir, &t, args->o.json,
					  path, sizeof(path), &nr);
		if (args->o.json) {
			measure(&args->o, &m);
			print_json(&t, &plan, NULL, &m, "nothing to do",
				   args->config_dir && !rc ? path : NULL, nr);
			outcome_free(&m);
		}
		goto out_plan;
	}
	consent.force = args->po.force;
	consent.reconfigure = args->po.reconfigure;
	consent.nr_reconfigure = args->po.nr_reconfigure;
	consent.replace = args->po.replace;
	consent.nr_replace = args->po.nr_replace;
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
	measure(&args->o, &m);
	rc = PP_EXIT_OK;
	if (args->config_dir)
		rc = write_config(args->config_dir, &t, args->o.json, path,
				  sizeof(path), &nr);
	if (args->o.json) {
		print_json(&t, &plan, &res, &m, "applied",
			   args->config_dir && !rc ? path : NULL, nr);
	} else {
		ok = print_human(&plan, &res, &m, args->o.bytes);
		if (!ok)
			pp_warn("apply: the result differs from the plan; see 'pmemplan show'");
	}
	outcome_free(&m);
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
	int rc, lock;

	memset(&args, 0, sizeof(args));
	rc = parse(argc, argv, &args);
	if (rc) {
		rc = rc < 0 ? PP_EXIT_OK : rc;
		goto out;
	}
	if (geteuid() != 0) {
		pp_error("apply: needs root (it writes sysfs and binds drivers)");
		rc = PP_EXIT_REFUSED;
		goto out;
	}
	lock = take_lock();
	if (lock < 0) {
		rc = -lock;
		goto out;
	}
	rc = run(&args);
	close(lock);
out:
	free(args.o.regions);
	pp_plan_opts_free(&args.po);
	return rc;
}
