// SPDX-License-Identifier: GPL-2.0
/* Building, naming and freeing the topology (no I/O). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "topology/topology.h"
#include "util/util.h"

void pp_topology_free(struct pp_topology *t)
{
	unsigned int i, j;

	for (i = 0; i < t->nr_regions; i++) {
		struct pp_region *r = &t->regions[i];

		for (j = 0; j < r->nr_ns; j++)
			free(r->ns[j].dax);
		free(r->ns);
	}
	free(t->regions);
	for (i = 0; i < t->nr_cxl; i++)
		free(t->cxl[i].dax);
	free(t->cxl);
	free(t->cxl_free);
	free(t->plat.fwmap);
	for (i = 0; i < t->nr_notes; i++)
		free(t->notes[i]);
	free(t->notes);
	memset(t, 0, sizeof(*t));
}

/* Grow an array by one zeroed element; NULL on allocation failure. */
static void *grow(void **array, unsigned int *nr, size_t elem)
{
	char *p = realloc(*array, (*nr + 1) * elem);

	if (!p)
		return NULL;
	*array = p;
	memset(p + *nr * elem, 0, elem);
	return p + (*nr)++ * elem;
}

struct pp_region *pp_topology_add_region(struct pp_topology *t)
{
	struct pp_region *r;

	r = grow((void **)&t->regions, &t->nr_regions, sizeof(*r));
	if (!r)
		return NULL;
	r->start = PP_UNKNOWN;
	r->align = PP_UNKNOWN;
	r->available_size = PP_UNKNOWN;
	r->max_available_extent = PP_UNKNOWN;
	r->ways = 1;
	r->numa_node = -1;
	r->target_node = -1;
	return r;
}

struct pp_namespace *pp_region_add_namespace(struct pp_region *r)
{
	struct pp_namespace *ns;

	ns = grow((void **)&r->ns, &r->nr_ns, sizeof(*ns));
	if (!ns)
		return NULL;
	ns->start = PP_UNKNOWN;
	ns->dataoff = PP_UNKNOWN;
	ns->align = PP_UNKNOWN;
	return ns;
}

static void dax_init(struct pp_dax *d)
{
	d->start = PP_UNKNOWN;
	d->size = PP_UNKNOWN;
	d->align = PP_UNKNOWN;
	d->target_node = -1;
	d->memmap_on_memory = -1;
	d->kmem_start = PP_UNKNOWN;
	d->kmem_end = PP_UNKNOWN;
	d->online_blocks = PP_UNKNOWN;
	d->total_blocks = PP_UNKNOWN;
}

struct pp_dax *pp_namespace_add_dax(struct pp_namespace *ns)
{
	struct pp_dax *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	dax_init(d);
	free(ns->dax);
	ns->dax = d;
	return d;
}

struct pp_cxl_region *pp_topology_add_cxl(struct pp_topology *t)
{
	struct pp_cxl_region *c;

	c = grow((void **)&t->cxl, &t->nr_cxl, sizeof(*t->cxl));
	if (!c)
		return NULL;
	c->start = PP_UNKNOWN;
	c->size = PP_UNKNOWN;
	c->granularity = PP_UNKNOWN;
	c->window_start = PP_UNKNOWN;
	c->window_size = PP_UNKNOWN;
	c->dax_available = PP_UNKNOWN;
	c->ways = 1;
	c->target_node = -1;
	return c;
}

struct pp_dax *pp_cxl_add_dax(struct pp_cxl_region *c)
{
	struct pp_dax *d;

	if (c->nr_dax >= PP_CXL_MAX_DAX)
		return NULL;
	d = grow((void **)&c->dax, &c->nr_dax, sizeof(*c->dax));
	if (d)
		dax_init(d);
	return d;
}

struct pp_cxl_free *pp_topology_add_cxl_free(struct pp_topology *t)
{
	struct pp_cxl_free *f;

	if (t->nr_cxl_free >= PP_CXL_MAX_FREE)
		return NULL;
	f = grow((void **)&t->cxl_free, &t->nr_cxl_free, sizeof(*f));
	if (!f)
		return NULL;
	f->ram_size = PP_UNKNOWN;
	f->ram_free = PP_UNKNOWN;
	f->window_start = PP_UNKNOWN;
	f->window_size = PP_UNKNOWN;
	return f;
}

static int fw_range_cmp(const void *a, const void *b)
{
	const struct pp_fw_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->type, y->type);
}

void pp_fwmap_sort(struct pp_platform *p)
{
	if (p->nr_fwmap > 1)
		qsort(p->fwmap, p->nr_fwmap, sizeof(*p->fwmap), fw_range_cmp);
}

int pp_topology_note(struct pp_topology *t, const char *fmt, ...)
{
	char **slot;
	va_list ap;
	int rc;

	slot = grow((void **)&t->notes, &t->nr_notes, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	va_start(ap, fmt);
	rc = vasprintf(slot, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		t->nr_notes--;
		return -ENOMEM;
	}
	return 0;
}

/* Name tables: index = enum value; the JSON contract uses these strings. */
static const char *const arch_names[] = {
	[PP_ARCH_UNKNOWN] = "unknown",	[PP_ARCH_X86_64] = "x86_64",
	[PP_ARCH_ARM64] = "aarch64",	[PP_ARCH_PPC64] = "ppc64le",
	[PP_ARCH_RISCV64] = "riscv64",	[PP_ARCH_S390X] = "s390x",
	[PP_ARCH_LOONGARCH64] = "loongarch64",
};
/* uname -m spellings that name the same architecture */
static const char *const arch_aliases[] = {
	"arm64", "aarch64", "amd64", "x86_64", "ppc64", "ppc64le", NULL,
};
static const char *const source_names[] = {
	[PP_SRC_NONE] = "unknown",	[PP_SRC_SYSFS] = "sysfs",
	[PP_SRC_PROC] = "proc",		[PP_SRC_UNAME] = "uname",
	[PP_SRC_DERIVED] = "derived",	[PP_SRC_OVERRIDE] = "override",
	[PP_SRC_SNAPSHOT] = "snapshot",
};
static const char *const mode_names[] = {
	[PP_MODE_UNKNOWN] = "unknown",	[PP_MODE_RAW] = "raw",
	[PP_MODE_FSDAX] = "fsdax",	[PP_MODE_DEVDAX] = "devdax",
	[PP_MODE_SECTOR] = "sector",
};
static const char *const map_names[] = {
	[PP_MAP_NONE] = "none", [PP_MAP_MEM] = "mem", [PP_MAP_DEV] = "dev",
};
static const char *const dax_mode_names[] = {
	[PP_DAX_DISABLED] = "disabled", [PP_DAX_DEVDAX] = "devdax",
	[PP_DAX_SYSTEM_RAM] = "system-ram",
};
static const char *const mom_names[] = {
	[PP_MOM_ABSENT] = "absent", [PP_MOM_OFF] = "N",
	[PP_MOM_ON] = "Y", [PP_MOM_FORCE] = "force",
};
static const char *const kind_names[] = {
	[PP_REGION_NFIT] = "nfit", [PP_REGION_E820] = "e820",
	[PP_REGION_VIRTIO] = "virtio", [PP_REGION_PAPR_SCM] = "papr_scm",
	[PP_REGION_OF_PMEM] = "of_pmem", [PP_REGION_CXL] = "cxl",
	[PP_REGION_NFIT_TEST] = "nfit_test", [PP_REGION_OTHER] = "other",
};
static const char *const cxl_mode_names[] = {
	[PP_CXL_UNKNOWN] = "unknown", [PP_CXL_RAM] = "ram",
	[PP_CXL_PMEM] = "pmem",
};
static const char *const label_index_names[] = {
	[PP_LABEL_INDEX_UNKNOWN] = "unknown", [PP_LABEL_INDEX_NONE] = "none",
	[PP_LABEL_INDEX_VALID] = "valid",
};

/* what (the word the reader's messages use), names, nr, aliases */
const struct pp_name_table pp_arch_names = {
	"architecture", arch_names, ARRAY_SIZE(arch_names), arch_aliases
};
const struct pp_name_table pp_source_names = {
	"source", source_names, ARRAY_SIZE(source_names), NULL
};
const struct pp_name_table pp_mode_names = {
	"mode", mode_names, ARRAY_SIZE(mode_names), NULL
};
const struct pp_name_table pp_map_names = {
	"map", map_names, ARRAY_SIZE(map_names), NULL
};
const struct pp_name_table pp_dax_mode_names = {
	"dax mode", dax_mode_names, ARRAY_SIZE(dax_mode_names), NULL
};
const struct pp_name_table pp_mom_names = {
	"memmap_on_memory value", mom_names, ARRAY_SIZE(mom_names), NULL
};
const struct pp_name_table pp_region_kind_names = {
	"region kind", kind_names, ARRAY_SIZE(kind_names), NULL
};
const struct pp_name_table pp_cxl_mode_names = {
	"CXL region mode", cxl_mode_names, ARRAY_SIZE(cxl_mode_names), NULL
};
const struct pp_name_table pp_label_index_names = {
	"label index", label_index_names, ARRAY_SIZE(label_index_names), NULL
};

const char *pp_name_of(const struct pp_name_table *t, unsigned int v)
{
	return v < t->nr && t->names[v] ? t->names[v] : "unknown";
}

static int find_exact(const struct pp_name_table *t, const char *s)
{
	unsigned int i;

	for (i = 0; s && i < t->nr; i++)
		if (t->names[i] && !strcmp(t->names[i], s))
			return (int)i;
	return -1;
}

int pp_name_find(const struct pp_name_table *t, const char *s)
{
	const char *const *a;
	int v = find_exact(t, s);

	for (a = t->aliases; v < 0 && s && a && *a; a += 2)
		if (!strcmp(a[0], s))
			v = find_exact(t, a[1]);
	return v;
}

/* "raw, fsdax, devdax or sector": every name but the "unknown" fallback */
void pp_name_list(const struct pp_name_table *t, char *buf, size_t size)
{
	unsigned int v, n = 0, i = 0;
	size_t off = 0;

	for (v = 0; v < t->nr; v++)
		if (t->names[v] && strcmp(t->names[v], "unknown"))
			n++;
	if (size)
		buf[0] = '\0';
	for (v = 0; v < t->nr && off < size; v++) {
		const char *sep;
		int w;

		if (!t->names[v] || !strcmp(t->names[v], "unknown"))
			continue;
		sep = !i ? "" : i + 1 == n ? " or " : ", ";
		w = snprintf(buf + off, size - off, "%s%s", sep, t->names[v]);
		if (w < 0)
			break;
		off += (size_t)w;
		i++;
	}
}

#define NAME_FNS(fn, type, table)					\
const char *fn##_name(type v)						\
{									\
	return pp_name_of(&(table), v);					\
}

NAME_FNS(pp_arch, enum pp_arch, pp_arch_names)
NAME_FNS(pp_source, enum pp_source, pp_source_names)
NAME_FNS(pp_mode, enum pp_ns_mode, pp_mode_names)
NAME_FNS(pp_map, enum pp_map, pp_map_names)
NAME_FNS(pp_dax_mode, enum pp_dax_mode, pp_dax_mode_names)
NAME_FNS(pp_mom, enum pp_mom_param, pp_mom_names)
NAME_FNS(pp_region_kind, enum pp_region_kind, pp_region_kind_names)
NAME_FNS(pp_label_index, enum pp_label_index, pp_label_index_names)
NAME_FNS(pp_cxl_mode, enum pp_cxl_mode, pp_cxl_mode_names)

/* A name the table lacks is the enum's "unknown" value, dflt. */
#define FROM_NAME_FN(fn, type, table, dflt)				\
type fn##_from_name(const char *name)					\
{									\
	int v = pp_name_find(&(table), name);				\
									\
	return v < 0 ? (dflt) : (type)v;				\
}

/* pp_arch_from_name() accepts uname -m spellings too ("arm64", "amd64") */
FROM_NAME_FN(pp_arch, enum pp_arch, pp_arch_names, PP_ARCH_UNKNOWN)
FROM_NAME_FN(pp_mode, enum pp_ns_mode, pp_mode_names, PP_MODE_UNKNOWN)
FROM_NAME_FN(pp_map, enum pp_map, pp_map_names, PP_MAP_NONE)
FROM_NAME_FN(pp_dax_mode, enum pp_dax_mode, pp_dax_mode_names,
	     PP_DAX_DISABLED)
FROM_NAME_FN(pp_mom, enum pp_mom_param, pp_mom_names, PP_MOM_ABSENT)

int pp_region_kind_from_name(const char *name)
{
	return pp_name_find(&pp_region_kind_names, name);
}

/*
 * nd_desc.provider_name, as each bus driver sets it: "ACPI.NFIT"
 * (drivers/acpi/nfit/core.c), "e820" (nd_e820.c), "virtio-pmem"
 * (virtio_pmem.c), "papr_scm" (arch/powerpc/platforms/pseries/papr_scm.c),
 * "of_pmem" (of_pmem.c), "CXL" (drivers/cxl/pmem.c), "nfit_test.N".
 * papr_scm_nvdimm_init() names its bus after the platform device, whose
 * name is the device-tree node's: "ibm,persistent-memory:ibm,pmemory@N"
 * under QEMU's pseries (and PowerVM).
 */
enum pp_region_kind pp_region_kind_from_provider(const char *provider)
{
	static const struct {
		const char *prefix;
		enum pp_region_kind kind;
	} kinds[] = {
		{ "ACPI.NFIT", PP_REGION_NFIT },
		{ "e820", PP_REGION_E820 },
		{ "virtio", PP_REGION_VIRTIO },
		{ "papr_scm", PP_REGION_PAPR_SCM },
		{ "ibm,persistent-memory", PP_REGION_PAPR_SCM },
		{ "of_pmem", PP_REGION_OF_PMEM },
		{ "CXL", PP_REGION_CXL },
		{ "nfit_test", PP_REGION_NFIT_TEST },
	};
	size_t i;

	for (i = 0; provider && i < ARRAY_SIZE(kinds); i++)
		if (!strncmp(provider, kinds[i].prefix,
			     strlen(kinds[i].prefix)))
			return kinds[i].kind;
	return PP_REGION_OTHER;
}

/* "6.1.0-28-amd64" or "6.12.9+bpo-amd64" -> PP_KVER(6, 1, 0) */
int pp_parse_kver(const char *release, uint32_t *kver)
{
	unsigned int a = 0, b = 0, c = 0;
	int n, endb = 0, endc = 0;

	if (!release)
		return -EINVAL;
	/* bounded fields: a plain %u wraps "4294967302.1" to 6.1 */
	n = sscanf(release, "%4u.%4u%n.%9u%n", &a, &b, &endb, &c, &endc);
	if (n < 2 || a > 255 || b > 255 ||
	    isdigit((unsigned char)release[n == 2 ? endb : endc]))
		return -EINVAL;
	*kver = PP_KVER(a, b, c);
	return 0;
}

/*
 * Distribution kernels keep the ABI name in the release ("6.1.0-28-amd64"
 * is Debian's 6.1.119) and put the real sublevel into the version string
 * ("#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)").  Rules such as
 * MAX_STRUCT_PAGE_SIZE in 6.1.0-6.1.8 depend on the sublevel, so take the
 * first "A.B.C" of the version whose A.B matches the release, if any.
 */
int pp_parse_kver_uname(const char *release, const char *version,
			uint32_t *kver)
{
	uint32_t rel, v;
	const char *s;

	if (pp_parse_kver(release, &rel))
		return -EINVAL;
	*kver = rel;
	for (s = version; s && *s; s++) {
		if ((s != version && (isdigit((unsigned char)s[-1]) ||
				      s[-1] == '.')) ||
		    !isdigit((unsigned char)*s))
			continue;
		if (!pp_parse_kver(s, &v) && (v >> 8) == (rel >> 8) &&
		    v > rel) {
			*kver = v;
			break;
		}
	}
	return 0;
}
