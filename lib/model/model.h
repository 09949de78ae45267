/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's arithmetic from pmem namespace to hot-plugged memory, as pure
 * functions of a pp_platform.  Each function names the kernel function it
 * mirrors; ../shared/reference/kernel-model.md has the sources.
 *
 * defaults.c: platform facts derived per architecture and kernel;
 * namespace.c: info block, device-dax range and kmem blocks of a namespace;
 * memmap.c: where struct pages go (DRAM, memmap_on_memory, device_dax);
 * extents.c: the free extents of a region, as space_valid() trims them;
 * constraints.c: the layouts the kernel and ndctl take.
 */
#ifndef PMEMPLAN_MODEL_H
#define PMEMPLAN_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include "topology/topology.h"

#define SZ_4K  0x1000ULL
#define SZ_8K  0x2000ULL
#define SZ_64K 0x10000ULL
#define SZ_1M  0x100000ULL
#define SZ_2M  0x200000ULL
#define SZ_16M 0x1000000ULL
#define SZ_32M 0x2000000ULL
#define SZ_128M 0x8000000ULL
#define SZ_256M 0x10000000ULL
#define SZ_512M 0x20000000ULL
#define SZ_1G  0x40000000ULL
#define SZ_2G  0x80000000ULL
#define SZ_64G 0x1000000000ULL

/* claim.c nd_namespace_store(): smaller namespaces cannot host dax/pfn/btt */
#define PP_MIN_DAX_NAMESPACE SZ_16M
/* region_devs.c MEMREMAP_COMPAT_ALIGN_MAX: the default region align */
#define PP_DEFAULT_REGION_ALIGN SZ_16M

static inline uint64_t pp_align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline uint64_t pp_align_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

static inline bool pp_is_aligned(uint64_t x, uint64_t a)
{
	return (x & (a - 1)) == 0;
}

static inline bool pp_is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/*
 * Fill every platform fact the source left unknown from the architecture,
 * page size and kernel version.  Facts already set are never changed.
 */
void pp_platform_derive(struct pp_platform *p);

/* Defaults per architecture; each cites its kernel source in defaults.c. */
uint64_t pp_default_page_size(enum pp_arch arch);
uint64_t pp_default_section_size(enum pp_arch arch, uint64_t page_size,
				 uint32_t kver);
uint64_t pp_default_block_size(enum pp_arch arch, uint64_t page_size,
			       uint32_t kver, uint64_t boot_mem);
uint64_t pp_default_hpage_pmd_size(enum pp_arch arch, uint64_t page_size);
unsigned int pp_max_page_order(enum pp_arch arch, uint64_t page_size);
unsigned int pp_default_pageblock_order(enum pp_arch arch, uint64_t page_size,
					uint64_t hpage_pmd_size);
uint64_t pp_default_compat_align(enum pp_arch arch, uint64_t page_size,
				 uint64_t hpage_pmd_size);
uint64_t pp_map_dev_struct_page_size(const struct pp_platform *p);
uint64_t pp_default_dax_align(const struct pp_platform *p);
bool pp_align_supported(const struct pp_platform *p, uint64_t align);

/* What nd_pfn_init() writes into a fresh info block. */
struct pp_pfn_layout {
	uint64_t align;		/* effective: max(requested, compat) */
	uint64_t dataoff;	/* [S, S+dataoff) is metadata */
	uint64_t memmap;	/* map=dev: struct pages inside dataoff */
	uint64_t end_trunc;	/* [S+N-end_trunc, S+N) unused */
};
int pp_pfn_layout(const struct pp_platform *p, uint64_t start, uint64_t size,
		  enum pp_map map, uint64_t align, struct pp_pfn_layout *out);

/* dax_kmem_range(): the memory-block-aligned part of [lo, hi). */
struct pp_kmem_range {
	uint64_t start;
	uint64_t end;		/* exclusive */
	uint64_t blocks;
};
int pp_kmem_range(const struct pp_platform *p, uint64_t lo, uint64_t hi,
		  struct pp_kmem_range *out);

/* memory_block_memmap_size() and memmap_on_memory, mm/memory_hotplug.c */
uint64_t pp_block_memmap_bytes(const struct pp_platform *p);
uint64_t pp_mom_pages(const struct pp_platform *p, bool force);
enum pp_mom_verdict {
	PP_MOM_OK = 0,
	PP_MOM_NO_KERNEL,	/* kernel < 6.8: kmem cannot use it */
	PP_MOM_DISABLED,	/* memory_hotplug.memmap_on_memory N/absent */
	PP_MOM_UNALIGNED,	/* memmap not pageblock aligned, not forced */
	PP_MOM_ARCH,		/* arch_supports_memmap_on_memory() says no */
	PP_MOM_WHOLE_BLOCK,	/* memmap would fill the whole block */
};
enum pp_mom_verdict pp_mom_supported(const struct pp_platform *p,
				     enum pp_mom_param mode);
const char *pp_mom_verdict_str(enum pp_mom_verdict v);

/* Where every byte of one namespace goes when it is devdax bound to kmem. */
struct pp_ns_account {
	uint64_t capacity;	/* namespace size */
	struct pp_pfn_layout pfn;
	int pfn_err;		/* nd_pfn_init() would fail: -EINVAL/-ENXIO */
	uint64_t info_block;	/* dataoff minus the struct-page reserve */
	uint64_t dax_start, dax_end;
	struct pp_kmem_range kmem;
	int kmem_err;		/* -EINVAL: kmem rejects, nothing left */
	uint64_t head_gap;	/* dax start to first block boundary */
	uint64_t tail_gap;	/* last block boundary to dax end */
	uint64_t mom_bytes;	/* hot-plugged bytes holding their own memmap */
	uint64_t ram_gain;	/* MemTotal growth: kmem minus mom_bytes */
	uint64_t dram_memmap;	/* struct pages of kmem kept in DRAM */
};
void pp_account_namespace(const struct pp_platform *p, uint64_t start,
			  uint64_t size, enum pp_map map, uint64_t align,
			  bool memmap_on_memory, struct pp_ns_account *out);
/* The same for a dax range without an info block (a CXL ram region). */
void pp_account_dax_range(const struct pp_platform *p, uint64_t start,
			  uint64_t size, bool memmap_on_memory,
			  struct pp_ns_account *out);

/*
 * device_dax's struct pages for a map=mem namespace of size bytes at dax
 * align, in DRAM while it is devdax, before kmem binds (memmap.c).
 */
uint64_t pp_devdax_memmap_bytes(const struct pp_platform *p, uint64_t size,
				uint64_t align);

/* The most any layout can hot-plug of [start, end): whole blocks in
 * [ALIGN(start + minimal dataoff, B), ALIGN_DOWN(end, B)). */
uint64_t pp_kmem_bound(const struct pp_platform *p, uint64_t start,
		       uint64_t end);

struct pp_extent {
	uint64_t start, end;		/* [start, end) */
};

/*
 * The holes of region r between its namespaces, those with gone[i] set
 * left out (gone may be NULL), each trimmed to align from the region start
 * like space_valid(); holes shorter than min_size are left out too.  *out
 * is NULL when there are none, else the caller frees it.  Returns 0,
 * -ENOMEM, or -EINVAL when a namespace that stays has an unknown start.
 */
int pp_free_extents(const struct pp_region *r, const bool *gone,
		    uint64_t align, uint64_t min_size, struct pp_extent **out,
		    unsigned int *nr);

/*
 * The rules a namespace layout must satisfy (constraints.c names the
 * kernel and ndctl code behind each).  The names are the JSON contract.
 */
enum pp_rule {
	PP_RULE_ALIGN_UNSUPPORTED,	/* align_store(), nd_pfn_validate() */
	PP_RULE_TOO_SMALL,		/* nd_namespace_store(): < 16 MiB */
	PP_RULE_START_MISALIGNED,	/* nd_pfn_init(): compat align */
	PP_RULE_NO_DATA,		/* nd_pfn_init(): nothing left */
	PP_RULE_BAD_OFFSET,		/* nd_pfn_validate(): bad offset */
	PP_RULE_COMPOUND_PAGE,		/* dev_dax_probe(): oops, no error */
	PP_RULE_NDCTL_REGION_ALIGN,	/* ndctl: size % region align */
	PP_RULE_NDCTL_SIZE_ALIGN,	/* ndctl: size % (align x ways) */
};

struct pp_violation {
	enum pp_rule rule;
	char why[240];			/* one sentence, for the user */
};

/* One namespace as the kernel and ndctl will see it. */
struct pp_shape {
	uint64_t start, size;
	enum pp_ns_mode mode;
	enum pp_map map;
	uint64_t align;			/* 0: the dax/pfn seed's default */
	uint64_t region_align;		/* 0 or PP_UNKNOWN: none (label-less) */
	unsigned int ways;		/* 0 counts as 1 */
	/* an info block on the media (existing namespaces): its data
	 * offset and the end of its data; PP_UNKNOWN: a fresh one that
	 * nd_pfn_init() will write */
	uint64_t dataoff;
	uint64_t data_end;
};

/*
 * Every rule s breaks, the first max of them into v (v may be NULL when
 * max is 0); returns how many it breaks.
 */
unsigned int pp_shape_check(const struct pp_platform *p,
			    const struct pp_shape *s, struct pp_violation *v,
			    unsigned int max);
bool pp_shape_ok(const struct pp_platform *p, const struct pp_shape *s);
const char *pp_rule_name(enum pp_rule r);
/* ndctl refuses it; the kernel would take it */
bool pp_rule_is_ndctl(enum pp_rule r);

#endif /* PMEMPLAN_MODEL_H */
