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
#include "util/units.h"

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

/* A what-if size must be a power of two within [min, max]. */
static int parse_pow2(const char *opt, const char *arg, uint64_t min,
		      uint64_t max, uint64_t *out)
{
	char lo[PP_HUMAN_LEN], hi[PP_HUMAN_LEN];
	uint64_t v;
	int rc = pp_parse_size(arg, &v);

	if (rc == -ERANGE) {
		pp_error("--%s=%s: does not fit in 64 bits", opt, arg);
		return -1;
	}
	if (rc) {
		pp_error("--%s=%s: not a size (examples: 128M, 2G, 0x8000000)",
			 opt, arg);
		return -1;
	}
	if (!pp_is_pow2(v) || v < min || v > max) {
		pp_error("--%s=%s: must be a power of two from %s to %s",
			 opt, arg, pp_human_size(min, lo, sizeof(lo)),
			 pp_human_size(max, hi, sizeof(hi)));
		return -1;
	}
	*out = v;
	return 0;
}

int pp_common_option(struct pp_common_opts *o, int opt, const char *arg)
{
	const char **r;
	uint32_t kver;

	switch (opt) {
	case OPT_INPUT:
		o->input = arg;
		return 1;
	case 'r':
		r = realloc(o->regions, (o->nr_regions + 1) * sizeof(*r));
		if (!r) {
			pp_error("out of memory");
			return -1;
		}
		o->regions = r;
		o->regions[o->nr_regions++] = arg;
		return 1;
	case 'J':
		o->json = true;
		return 1;
	case 'b':
		o->bytes = true;
		return 1;
	case 'v':
		o->verbose++;
		return 1;
	case OPT_BLOCK_SIZE:
		/* x86 sections are 128 MiB; s390 blocks reach 2 GiB+ */
		return parse_pow2("block-size", arg, SZ_16M, 1ULL << 40,
				  &o->block_size) ? -1 : 1;
	case OPT_PAGE_SIZE:
		return parse_pow2("page-size", arg, SZ_4K, SZ_64K,
				  &o->page_size) ? -1 : 1;
	case OPT_ARCH:
		if (pp_arch_from_name(arg) == PP_ARCH_UNKNOWN) {
			pp_error("--arch=%s: unknown architecture (use x86_64, aarch64, ppc64le, riscv64, s390x or loongarch64)",
				 arg);
			return -1;
		}
		o->arch = arg;
		return 1;
	case OPT_KERNEL:
		if (pp_parse_kver(arg, &kver)) {
			pp_error("--kernel=%s: not a kernel release (examples: 6.1, 6.12.9)",
				 arg);
			return -1;
		}
		o->kernel = arg;
		return 1;
	}
	return 0;
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

static int parse_size_opt(const char *cmd, const char *opt, const char *arg,
			  uint64_t *out)
{
	int rc = pp_parse_size(arg, out);

	if (rc || !*out) {
		pp_error("%s: --%s=%s: %s (examples: 2G, 3968M)", cmd, opt, arg,
			 rc == -ERANGE ? "does not fit in 64 bits" :
			 "not a positive size");
		return -1;
	}
	return 0;
}

int pp_plan_option(const char *cmd, struct pp_plan_opts *po, int opt,
		   const char *arg)
{
	char *end;
	long v;

	switch (opt) {
	case 't':
		if (strcmp(arg, "kmem")) {
			pp_error("%s: --target=%s: only 'kmem' is supported",
				 cmd, arg);
			return -1;
		}
		return 1;
	case 's':
		return parse_size_opt(cmd, "size", arg, &po->size) ? -1 : 1;
	case 'f':
		po->force = true;
		return 1;
	case OPT_REGION_ALIGN:
		return parse_size_opt(cmd, "region-align", arg,
				      &po->region_align) ? -1 : 1;
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
			return -1;
		}
		return 1;
	case OPT_ZONE:
		if (!strcmp(arg, "movable"))
			po->zone = PP_ZONE_MOVABLE;
		else if (!strcmp(arg, "normal"))
			po->zone = PP_ZONE_NORMAL;
		else {
			pp_error("%s: --zone=%s: use movable or normal", cmd,
				 arg);
			return -1;
		}
		return 1;
	case OPT_DRAM_PERCENT:
		v = strtol(arg, &end, 10);
		if (*end || v < 1 || v > 90) {
			pp_error("%s: --dram-percent=%s: a whole number from 1 to 90",
				 cmd, arg);
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
			return -1;
		}
	}
	return 0;
}

int pp_check_names(const char *cmd, const struct pp_topology *t,
		   const struct pp_plan_opts *po)
{
	if (check_list(cmd, t, po->reconfigure, po->nr_reconfigure,
		       "reconfigure"))
		return -1;
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

static void forget_derived(struct pp_fact *f)
{
	if (f->src == PP_SRC_DERIVED)
		f->src = PP_SRC_NONE;
}

static void override(struct pp_fact *f, uint64_t v)
{
	f->value = v;
	f->src = PP_SRC_OVERRIDE;
}

/*
 * What-if: replace the facts the user named, then derive again every fact
 * that was derived from the old ones (section size from the arch, etc.).
 */
static void apply_overrides(const struct pp_common_opts *o,
			    struct pp_platform *p)
{
	forget_derived(&p->page_size);
	forget_derived(&p->section_size);
	forget_derived(&p->block_size);
	forget_derived(&p->pageblock_order);
	forget_derived(&p->struct_page_size);
	forget_derived(&p->compat_align);
	forget_derived(&p->hpage_pmd_size);
	if (o->arch || o->page_size) {
		/* the kernel's own readings belong to the old platform */
		if (p->hpage_pmd_size.src != PP_SRC_OVERRIDE)
			p->hpage_pmd_size.src = PP_SRC_NONE;
		if (p->pageblock_order.src != PP_SRC_OVERRIDE)
			p->pageblock_order.src = PP_SRC_NONE;
		if (!o->block_size && p->block_size.src != PP_SRC_OVERRIDE)
			p->block_size.src = PP_SRC_NONE;
		p->nr_supported_align = 0;
	}
	if (o->arch) {
		p->arch = pp_arch_from_name(o->arch);
		p->arch_src = PP_SRC_OVERRIDE;
	}
	if (o->kernel) {
		snprintf(p->kernel, sizeof(p->kernel), "%s", o->kernel);
		pp_parse_kver(o->kernel, &p->kver);
		p->kver_src = PP_SRC_OVERRIDE;
	}
	if (o->page_size)
		override(&p->page_size, o->page_size);
	if (o->block_size)
		override(&p->block_size, o->block_size);
	pp_platform_derive(p);
}

/*
 * A kmem range the kernel measured on another platform says nothing about
 * the what-if one: predict instead.  Data offsets stay, since an existing
 * info block keeps its on-media values.
 */
static void forget_measured_kmem(struct pp_topology *t)
{
	unsigned int i, j;

	for (i = 0; i < t->nr_regions; i++)
		for (j = 0; j < t->regions[i].nr_ns; j++) {
			struct pp_dax *d = t->regions[i].ns[j].dax;

			if (d && d->kmem_start != PP_UNKNOWN) {
				d->kmem_start = d->kmem_end = PP_UNKNOWN;
				d->online_blocks = d->total_blocks = PP_UNKNOWN;
			}
		}
	pp_topology_note(t, "what-if: kmem is predicted for the overridden platform, not measured");
}


/* Keep only the regions named with -r (regionN or N). */
static int filter_regions(const struct pp_common_opts *o,
			  struct pp_topology *t)
{
	unsigned int i, j, kept = 0;
	bool *want;

	if (!o->nr_regions)
		return PP_EXIT_OK;
	want = calloc(t->nr_regions + 1, sizeof(*want));
	if (!want)
		return PP_EXIT_FAILED;
	for (i = 0; i < o->nr_regions; i++) {
		const char *name = o->regions[i];
		char full[PP_NAME_MAX + 8];
		bool found = false;

		snprintf(full, sizeof(full), "%s%s",
			 strncmp(name, "region", 6) ? "region" : "", name);
		for (j = 0; j < t->nr_regions; j++)
			if (!strcmp(t->regions[j].dev, full))
				found = want[j] = true;
		if (!found) {
			pp_error("unknown region '%s': see the regions with 'pmemplan show'",
				 name);
			free(want);
			return PP_EXIT_USAGE;
		}
	}
	for (i = 0; i < t->nr_regions; i++) {
		if (want[i]) {
			t->regions[kept++] = t->regions[i];
			continue;
		}
		for (j = 0; j < t->regions[i].nr_ns; j++)
			free(t->regions[i].ns[j].dax);
		free(t->regions[i].ns);
	}
	t->nr_regions = kept;
	free(want);
	return PP_EXIT_OK;
}

static int load_snapshot(const char *path, struct pp_topology *t)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char err[256];
	int rc;

	if (!in) {
		pp_error("cannot open snapshot %s: %s", path, strerror(errno));
		return PP_EXIT_USAGE;
	}
	rc = pp_snapshot_read(in, t, err, sizeof(err));
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

int pp_load_topology(const struct pp_common_opts *o, struct pp_topology *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (o->input) {
		rc = load_snapshot(o->input, t);
		if (rc)
			return rc;
	} else {
		/* -v is for our facts; -vv also lets the libraries speak */
		pp_probe_set_verbose(o->verbose > 1 ? o->verbose - 1 : 0);
		rc = pp_probe(t);
		if (rc) {
			pp_error("cannot read the platform: %s (is libnvdimm loaded? try 'modprobe nfit')",
				 strerror(-rc));
			pp_topology_free(t);
			return PP_EXIT_FAILED;
		}
	}
	pp_platform_derive(&t->plat);
	if (o->block_size || o->page_size || o->arch || o->kernel) {
		apply_overrides(o, &t->plat);
		forget_measured_kmem(t);
	}
	rc = filter_regions(o, t);
	if (rc)
		pp_topology_free(t);
	return rc;
}
