// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: what the command line parses, and the what-if path.
 *
 * Input: one control byte, then strings separated by NUL or newline.
 *  - Every string goes through pp_parse_size(), pp_parse_kver() and the
 *    name parsers (pp_arch_from_name() and friends); every pair of
 *    neighbours through pp_parse_kver_uname().  Each result is checked
 *    against a property it must have (round trips, ranges).
 *  - Every string is also a what-if option or a region name, as show and
 *    plan take them: its first byte picks --block-size, --page-size,
 *    --arch, --kernel, --auto-online, --memmap-on-memory
 *    (pp_whatif_parse()), -r (a name for
 *    pp_topology_keep_regions()) or -v (ignored) -- see option_of() --
 *    and the rest is the value.
 *  - When bit 0 of the control byte is set, the options are applied like
 *    "pmemplan show --input SNAPSHOT [options]": one of the tests/snapshots
 *    JSON files (control byte bits 1-7 choose it) through
 *    pp_snapshot_read(), pp_platform_derive(), pp_whatif_apply() and
 *    pp_topology_keep_regions(), then pp_report_build(), and the JSON and
 *    human output to /dev/null.
 *
 * It links the core library alone: nothing here can read this machine.
 * Built by tests/fuzz/build.sh with -fsanitize=fuzzer,address,undefined.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "account/account.h"
#include "model/model.h"
#include "output/output.h"
#include "snapshot/snapshot.h"
#include "topology/topology.h"
#include "topology/whatif.h"
#include "util/units.h"

#ifndef PP_FUZZ_SNAPSHOTS
#define PP_FUZZ_SNAPSHOTS "tests/snapshots"
#endif
#define MAX_STRINGS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static FILE *devnull;
static char **snapshots;
static unsigned int nr_snapshots;

static int json_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("PP_FUZZ_SNAPSHOTS");
	struct dirent **list;
	int i, n;

	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	if (!dir)
		dir = PP_FUZZ_SNAPSHOTS;
	n = scandir(dir, &list, json_name, alphasort);
	if (n <= 0) {
		fprintf(stderr, "fuzz_options: no snapshots in %s: the what-if path is not fuzzed\n",
			dir);
		return 0;
	}
	snapshots = calloc((size_t)n, sizeof(*snapshots));
	if (!snapshots)
		abort();
	for (i = 0; i < n; i++) {
		if (asprintf(&snapshots[nr_snapshots], "%s/%s", dir,
			     list[i]->d_name) < 0)
			abort();
		nr_snapshots++;
		free(list[i]);
	}
	free(list);
	return 0;
}

static void check_size(const char *s)
{
	char buf[64], human[PP_HUMAN_LEN];
	uint64_t v = 12345, w;
	int rc = pp_parse_size(s, &v);

	if (rc == -EINVAL || rc == -ERANGE)
		return;
	if (rc)
		abort();
	pp_human_size(v, human, sizeof(human));
	if (strlen(human) >= sizeof(human) - 1)
		abort();
	/* the value in plain decimal reads back the same */
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	if (pp_parse_size(buf, &w) || w != v)
		abort();
	/* and with a unit, scaled, or -ERANGE when it cannot be */
	snprintf(buf, sizeof(buf), "%lluKiB", (unsigned long long)v);
	rc = pp_parse_size(buf, &w);
	if (v > (UINT64_MAX >> 10) ? rc != -ERANGE : (rc || w != v << 10))
		abort();
}

/* A run of decimal digits at *p, saturated far above 255. */
static bool digits(const char **p, unsigned long long *v)
{
	const char *s = *p;
	unsigned long long x = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++)
		if (x < 1000000000000ULL)
			x = x * 10 + (unsigned long long)(*s - '0');
	*v = x;
	*p = s;
	return true;
}

static void check_kver(const char *s)
{
	unsigned long long a, b, c;
	const char *p = s;
	char buf[32];
	uint32_t k = 0, k2;

	if (pp_parse_kver(s, &k))
		return;
	if ((k >> 16) > 255)
		abort();
	/* "A.B[.C]...": exactly the numbers written, the sublevel clamped */
	while (isspace((unsigned char)*p))
		p++;
	if (digits(&p, &a) && *p == '.' && (p++, digits(&p, &b))) {
		if (a != (k >> 16) || b != ((k >> 8) & 0xff))
			abort();
		if (*p == '.' && (p++, digits(&p, &c)) &&
		    (c > 255 ? 255 : c) != (k & 0xff))
			abort();
	}
	snprintf(buf, sizeof(buf), "%u.%u.%u", k >> 16, (k >> 8) & 0xff,
		 k & 0xff);
	if (pp_parse_kver(buf, &k2) || k2 != k)
		abort();
}

static void check_kver_uname(const char *release, const char *version)
{
	uint32_t rel, k = 0;
	int rc = pp_parse_kver_uname(release, version, &k);

	if (pp_parse_kver(release, &rel)) {
		if (rc != -EINVAL)
			abort();
		return;
	}
	/* same major.minor as the release, never an older sublevel */
	if (rc || (k >> 8) != (rel >> 8) || k < rel)
		abort();
}

/* Each parsed name prints as a name that parses back to it. */
static void check_names(const char *s)
{
	enum pp_arch a = pp_arch_from_name(s);
	enum pp_ns_mode m = pp_mode_from_name(s);
	enum pp_map map = pp_map_from_name(s);
	enum pp_dax_mode d = pp_dax_mode_from_name(s);
	enum pp_mom_param mom = pp_mom_from_name(s);
	int kind = pp_region_kind_from_name(s);

	if (a != PP_ARCH_UNKNOWN && pp_arch_from_name(pp_arch_name(a)) != a)
		abort();
	if (pp_mode_from_name(pp_mode_name(m)) != m ||
	    pp_map_from_name(pp_map_name(map)) != map ||
	    pp_dax_mode_from_name(pp_dax_mode_name(d)) != d ||
	    pp_mom_from_name(pp_mom_name(mom)) != mom)
		abort();
	if (kind >= 0 && pp_region_kind_from_name(
		    pp_region_kind_name((enum pp_region_kind)kind)) != kind)
		abort();
}

/* What the strings asked for: what-if values and region names. */
struct options {
	struct pp_whatif whatif;
	const char *regions[MAX_STRINGS];
	unsigned int nr_regions;
};

enum { OPT_REGION = -1, OPT_VERBOSE = -2 };

/* 'B' --block-size, 'P' --page-size, 'A' --arch, 'K' --kernel, 'R' -r,
 * 'V' -v, 'O' --auto-online, 'M' --memmap-on-memory (readable seeds); any
 * other byte picks one by its value. */
static int option_of(unsigned char c)
{
	static const int opts[] = {
		PP_WHATIF_BLOCK_SIZE, PP_WHATIF_PAGE_SIZE, PP_WHATIF_ARCH,
		PP_WHATIF_KERNEL, OPT_REGION, OPT_VERBOSE,
		PP_WHATIF_AUTO_ONLINE, PP_WHATIF_MEMMAP_ON_MEMORY,
	};
	static const char letters[] = "BPAKRVOM";
	const char *l = c ? strchr(letters, c) : NULL;

	return opts[l ? l - letters : c % (sizeof(opts) / sizeof(opts[0]))];
}

/* One option; false when it is refused (with a message, which must fit). */
static bool take_option(struct options *o, int opt, const char *arg)
{
	char err[256];
	int rc;

	switch (opt) {
	case OPT_REGION:
		o->regions[o->nr_regions++] = arg;
		return true;
	case OPT_VERBOSE:
		return true;
	}
	err[0] = '\0';
	rc = pp_whatif_parse(&o->whatif, (enum pp_whatif_key)opt, arg, err,
			     sizeof(err));
	if (rc && (rc != -EINVAL && rc != -ERANGE))
		abort();
	if (rc && !err[0])
		abort();	/* a refusal always says why */
	return !rc;
}

/* "show --input SNAPSHOT" with the options, to /dev/null. */
static void what_if(const struct options *o, unsigned int which)
{
	static const struct pp_output_opts human = { .bytes = false };
	struct pp_topology t;
	struct pp_report rep;
	char err[256];
	FILE *in;
	int rc;

	if (!nr_snapshots)
		return;
	in = fopen(snapshots[which % nr_snapshots], "r");
	if (!in)
		abort();
	memset(&t, 0, sizeof(t));
	rc = pp_snapshot_read(in, &t, err, sizeof(err));
	fclose(in);
	if (rc) {
		/* the committed snapshots are all good ones */
		if (rc != -ENOMEM)
			abort();
		return;
	}
	pp_platform_derive(&t.plat);
	pp_whatif_apply(&t, &o->whatif);
	rc = pp_topology_keep_regions(&t, o->regions, o->nr_regions, err,
				      sizeof(err));
	if (rc && rc != -ENOENT && rc != -ENOMEM)
		abort();
	if (!rc && !pp_report_build(&t, &rep)) {
		pp_show_json_print(devnull, &t, &rep);
		pp_show_human(devnull, &t, &rep, &human);
		pp_report_free(&rep);
	}
	pp_topology_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o = { 0 };
	char *s[MAX_STRINGS];
	unsigned int n = 0, i;
	size_t at, end;
	bool ok = true;

	if (!size)
		return 0;
	/* exact-size copies, so that reading past a string is caught */
	for (at = 1; at < size && n < MAX_STRINGS; at = end + 1) {
		for (end = at; end < size && data[end] && data[end] != '\n';
		     end++)
			;
		s[n] = malloc(end - at + 1);
		if (!s[n])
			abort();
		memcpy(s[n], data + at, end - at);
		s[n][end - at] = '\0';
		n++;
	}
	for (i = 0; i < n; i++) {
		check_size(s[i]);
		check_kver(s[i]);
		check_names(s[i]);
		if (i + 1 < n)
			check_kver_uname(s[i], s[i + 1]);
	}
	for (i = 0; ok && i < n; i++) {
		const char *arg = s[i][0] ? s[i] + 1 : s[i];

		ok = take_option(&o, option_of((unsigned char)s[i][0]), arg);
	}
	if (ok && (data[0] & 1))
		what_if(&o, data[0] >> 1);
	for (i = 0; i < n; i++)
		free(s[i]);
	return 0;
}
