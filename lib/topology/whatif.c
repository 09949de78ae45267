// SPDX-License-Identifier: GPL-2.0
/* What-if overrides of the platform and the region filter (whatif.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "topology/whatif.h"
#include "util/units.h"
#include "util/util.h"

/* A what-if size must be a power of two within [min, max]. */
static int parse_pow2(const char *opt, const char *arg, uint64_t min,
		      uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	char lo[PP_HUMAN_LEN], hi[PP_HUMAN_LEN];
	uint64_t v;
	int rc = pp_parse_size(arg, &v);

	if (rc == -ERANGE) {
		snprintf(err, errlen, "--%s=%s: does not fit in 64 bits", opt,
			 arg);
		return -ERANGE;
	}
	if (rc) {
		snprintf(err, errlen,
			 "--%s=%s: not a size (examples: 128M, 2G, 0x8000000)",
			 opt, arg);
		return -EINVAL;
	}
	if (!pp_is_pow2(v) || v < min || v > max) {
		snprintf(err, errlen,
			 "--%s=%s: must be a power of two from %s to %s",
			 opt, arg, pp_human_size(min, lo, sizeof(lo)),
			 pp_human_size(max, hi, sizeof(hi)));
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int pp_whatif_parse(struct pp_whatif *w, enum pp_whatif_key key,
		    const char *arg, char *err, size_t errlen)
{
	uint32_t kver;

	switch (key) {
	case PP_WHATIF_BLOCK_SIZE:
		/* x86 sections are 128 MiB; s390 blocks reach 2 GiB+ */
		return parse_pow2("block-size", arg, SZ_16M, 1ULL << 40,
				  &w->block_size, err, errlen);
	case PP_WHATIF_PAGE_SIZE:
		return parse_pow2("page-size", arg, SZ_4K, SZ_64K,
				  &w->page_size, err, errlen);
	case PP_WHATIF_ARCH:
		if (pp_arch_from_name(arg) == PP_ARCH_UNKNOWN) {
			snprintf(err, errlen,
				 "--arch=%s: unknown architecture (use x86_64, aarch64, ppc64le, riscv64, s390x or loongarch64)",
				 arg);
			return -EINVAL;
		}
		w->arch = arg;
		return 0;
	case PP_WHATIF_KERNEL:
		if (pp_parse_kver(arg, &kver)) {
			snprintf(err, errlen,
				 "--kernel=%s: not a kernel release (examples: 6.1, 6.12.9)",
				 arg);
			return -EINVAL;
		}
		w->kernel = arg;
		return 0;
	case PP_WHATIF_AUTO_ONLINE:
		/* online_type_to_str[] in drivers/base/memory.c (v5.7+) */
		if (strcmp(arg, "offline") && strcmp(arg, "online") &&
		    strcmp(arg, "online_kernel") &&
		    strcmp(arg, "online_movable")) {
			snprintf(err, errlen,
				 "--auto-online=%s: use offline, online, online_kernel or online_movable",
				 arg);
			return -EINVAL;
		}
		w->auto_online = arg;
		return 0;
	case PP_WHATIF_MEMMAP_ON_MEMORY:
		/* the module parameter's values; "absent" is a kernel
		 * without it (< 5.13), which --kernel says */
		if (pp_mom_from_name(arg) == PP_MOM_ABSENT) {
			snprintf(err, errlen,
				 "--memmap-on-memory=%s: use N, Y or force",
				 arg);
			return -EINVAL;
		}
		w->memmap_on_memory = arg;
		return 0;
	}
	snprintf(err, errlen, "no such what-if option");
	return -EINVAL;
}

bool pp_whatif_any(const struct pp_whatif *w)
{
	return w->block_size || w->page_size || w->arch || w->kernel ||
	       w->auto_online || w->memmap_on_memory;
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
 * The auto-online policy of a kernel we have not seen: its build default
 * (CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE, later CONFIG_MHP_DEFAULT_ONLINE_
 * TYPE_*, read by drivers/base/memory.c auto_online_blocks_show()) as
 * Debian sets it, the only distribution measured (kernel-model.md §6.3,
 * §13, vm-architectures.md).  Debian's linux-config-6.12 sets it for
 * amd64 only (not arm64, ppc64el or s390x); its 6.1 amd64 leaves it off.
 */
static const char *default_auto_online(enum pp_arch arch, uint32_t kver)
{
	if (arch == PP_ARCH_X86_64 && kver >= PP_KVER(6, 12, 0))
		return "online";
	return "offline";
}

/*
 * The policy and memmap_on_memory belong to the target machine: given,
 * they replace what was read; under --arch the policy read on the old
 * machine says nothing about the new one, so it is the target's default.
 */
static void apply_policy(const struct pp_whatif *w, struct pp_platform *p)
{
	if (w->auto_online) {
		pp_strscpy(p->auto_online_blocks,
			   sizeof(p->auto_online_blocks), w->auto_online);
		p->auto_online_src = PP_SRC_OVERRIDE;
	} else if (w->arch) {
		pp_strscpy(p->auto_online_blocks,
			   sizeof(p->auto_online_blocks),
			   default_auto_online(p->arch, p->kver));
		p->auto_online_src = PP_SRC_DERIVED;
	}
	if (w->memmap_on_memory) {
		p->memmap_on_memory = pp_mom_from_name(w->memmap_on_memory);
		p->memmap_on_memory_src = PP_SRC_OVERRIDE;
	}
}

/*
 * What-if: replace the facts the user named, then derive again every fact
 * that was derived from the old ones (section size from the arch, etc.).
 */
static void apply_overrides(const struct pp_whatif *w, struct pp_platform *p)
{
	uint64_t old_page_size = p->page_size.value;

	forget_derived(&p->page_size);
	forget_derived(&p->section_size);
	forget_derived(&p->block_size);
	forget_derived(&p->pageblock_order);
	forget_derived(&p->struct_page_size);
	forget_derived(&p->compat_align);
	forget_derived(&p->hpage_pmd_size);
	if (w->arch || w->page_size) {
		/* the kernel's own readings belong to the old platform */
		if (p->hpage_pmd_size.src != PP_SRC_OVERRIDE)
			p->hpage_pmd_size.src = PP_SRC_NONE;
		if (p->pageblock_order.src != PP_SRC_OVERRIDE)
			p->pageblock_order.src = PP_SRC_NONE;
		if (!w->block_size && p->block_size.src != PP_SRC_OVERRIDE)
			p->block_size.src = PP_SRC_NONE;
		p->nr_supported_align = 0;
	}
	if (w->arch) {
		p->arch = pp_arch_from_name(w->arch);
		p->arch_src = PP_SRC_OVERRIDE;
	}
	if (w->kernel) {
		pp_strscpy(p->kernel, sizeof(p->kernel), w->kernel);
		pp_parse_kver(w->kernel, &p->kver);
		p->kver_src = PP_SRC_OVERRIDE;
	}
	if (w->page_size)
		override(&p->page_size, w->page_size);
	if (w->block_size)
		override(&p->block_size, w->block_size);
	pp_platform_derive(p);
	/* an info block on the media keeps the page size it was written
	 * with: nd_pfn_validate() checks it against the new one */
	if (!p->media_page_size && old_page_size != PP_UNKNOWN &&
	    old_page_size != p->page_size.value)
		p->media_page_size = old_page_size;
	apply_policy(w, p);
}

/*
 * A kmem range the kernel measured on another platform says nothing about
 * the what-if one: predict instead.  Data offsets stay, since an existing
 * info block keeps its on-media values.
 */
static void forget_dax_kmem(struct pp_dax *d)
{
	if (d && d->kmem_start != PP_UNKNOWN) {
		d->kmem_start = d->kmem_end = PP_UNKNOWN;
		d->online_blocks = d->total_blocks = PP_UNKNOWN;
	}
}

static void forget_measured_kmem(struct pp_topology *t)
{
	unsigned int i, j;

	for (i = 0; i < t->nr_regions; i++)
		for (j = 0; j < t->regions[i].nr_ns; j++)
			forget_dax_kmem(t->regions[i].ns[j].dax);
	/* the dax devices of CXL ram regions likewise */
	for (i = 0; i < t->nr_cxl; i++)
		for (j = 0; j < t->cxl[i].nr_dax; j++)
			forget_dax_kmem(&t->cxl[i].dax[j]);
	pp_topology_note(t, "what-if: kmem is predicted for the overridden platform, not measured");
}

void pp_whatif_apply(struct pp_topology *t, const struct pp_whatif *w)
{
	if (!pp_whatif_any(w))
		return;
	apply_overrides(w, &t->plat);
	forget_measured_kmem(t);
}

/* Keep only the regions named with -r (regionN or N). */
/* "cxl/region0" or "cxl/0": a CXL region, by its name on the cxl bus */
#define CXL_PREFIX "cxl/"

int pp_topology_keep_regions(struct pp_topology *t, const char *const *names,
			     unsigned int n, char *err, size_t errlen)
{
	unsigned int i, j, kept = 0, kept_cxl = 0;
	bool *want, *want_cxl;

	if (!n)
		return 0;
	want = calloc(t->nr_regions + 1, sizeof(*want));
	want_cxl = calloc(t->nr_cxl + 1, sizeof(*want_cxl));
	if (!want || !want_cxl) {
		free(want);
		free(want_cxl);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		bool cxl = !strncmp(names[i], CXL_PREFIX, strlen(CXL_PREFIX));
		const char *name = names[i] + (cxl ? strlen(CXL_PREFIX) : 0);
		char full[PP_NAME_MAX + 8];
		bool found = false;

		snprintf(full, sizeof(full), "%s%s",
			 strncmp(name, "region", 6) ? "region" : "", name);
		for (j = 0; !cxl && j < t->nr_regions; j++)
			if (!strcmp(t->regions[j].dev, full))
				found = want[j] = true;
		for (j = 0; cxl && j < t->nr_cxl; j++)
			if (!strcmp(t->cxl[j].dev, full))
				found = want_cxl[j] = true;
		if (!found) {
			snprintf(err, errlen,
				 "unknown region '%s': see the regions with 'pmemplan show' (a CXL region as cxl/regionN)",
				 names[i]);
			free(want);
			free(want_cxl);
			return -ENOENT;
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
	/* CXL regions too: -r names what plan and apply may touch */
	for (i = 0; i < t->nr_cxl; i++) {
		if (want_cxl[i]) {
			t->cxl[kept_cxl++] = t->cxl[i];
			continue;
		}
		free(t->cxl[i].dax);
	}
	t->nr_cxl = kept_cxl;
	/* free CXL capacity is in no region: not what -r names */
	free(t->cxl_free);
	t->cxl_free = NULL;
	t->nr_cxl_free = 0;
	free(want);
	free(want_cxl);
	return 0;
}
