/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-memory picture of a machine's persistent memory: platform facts,
 * regions, namespaces and dax devices.  Filled by lib/probe/ (live system)
 * or lib/snapshot/ (a "show --json" document); read by lib/model/ and
 * lib/output/.
 *
 * Sizes and addresses are bytes.  A value the source could not provide is
 * PP_UNKNOWN (all ones), never zero, so that "0 bytes" stays meaningful.
 */
#ifndef PMEMPLAN_TOPOLOGY_H
#define PMEMPLAN_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PP_UNKNOWN UINT64_MAX
#define PP_NAME_MAX 32
/* MAX_NVDIMM_ALIGN in drivers/nvdimm/pfn_devs.c */
#define PP_MAX_ALIGNMENTS 4

/* Where a platform fact came from; printed beside it in --json. */
enum pp_source {
	PP_SRC_NONE = 0,	/* not known */
	PP_SRC_SYSFS,		/* read from /sys */
	PP_SRC_PROC,		/* read from /proc */
	PP_SRC_UNAME,		/* uname(2) / sysconf(3) */
	PP_SRC_DERIVED,		/* computed from arch, page size and kernel */
	PP_SRC_OVERRIDE,	/* --block-size, --page-size, --arch ... */
	PP_SRC_SNAPSHOT,	/* taken from an --input document */
};

enum pp_arch {
	PP_ARCH_UNKNOWN = 0,
	PP_ARCH_X86_64,
	PP_ARCH_ARM64,
	PP_ARCH_PPC64,
	PP_ARCH_RISCV64,
	PP_ARCH_S390X,
	PP_ARCH_LOONGARCH64,
};

/* /sys/module/memory_hotplug/parameters/memmap_on_memory */
enum pp_mom_param {
	PP_MOM_ABSENT = 0,	/* no parameter: kernel < 5.13 or not built */
	PP_MOM_OFF,		/* "N" */
	PP_MOM_ON,		/* "Y" */
	PP_MOM_FORCE,		/* "force" (v6.6+) */
};

/* A fact plus where it came from. */
struct pp_fact {
	uint64_t value;
	enum pp_source src;
};

struct pp_platform {
	enum pp_arch arch;
	enum pp_source arch_src;
	char kernel[64];		/* uname -r, or "" */
	/* uname -n (HOST_NAME_MAX is 64), or "": the fleet report's name of
	 * the machine a snapshot was taken on */
	char hostname[65];
	uint32_t kver;			/* PP_KVER(a, b, c); 0 unknown */
	enum pp_source kver_src;
	struct pp_fact page_size;
	struct pp_fact section_size;
	struct pp_fact block_size;	/* memory_block_size_bytes() */
	struct pp_fact pageblock_order;
	struct pp_fact struct_page_size;
	struct pp_fact compat_align;	/* memremap_compat_align() */
	struct pp_fact hpage_pmd_size;
	enum pp_mom_param memmap_on_memory;
	enum pp_source memmap_on_memory_src;
	char auto_online_blocks[24];	/* "offline", "online", ... or "" */
	enum pp_source auto_online_src;
	/*
	 * The page size the existing info blocks were written with, when a
	 * what-if changed page_size; 0 = page_size.  nd_pfn_validate()
	 * compares the two (the on-media page_size field).
	 */
	uint64_t media_page_size;
	struct pp_fact mem_total;	/* /proc/meminfo, bytes */
	struct pp_fact mem_available;
	struct pp_fact nr_nodes;	/* nodes with memory or cpus online */
	/* nd_pfn_supported_alignments() as the dax seed reports it */
	uint64_t supported_align[PP_MAX_ALIGNMENTS];
	unsigned int nr_supported_align;
	bool is_root;			/* addresses readable */
	/* /sys/firmware/memmap: the firmware's (e820) map before memmap= */
	struct pp_fw_range *fwmap;
	unsigned int nr_fwmap;
};

/* One /sys/firmware/memmap/N entry: [start, end), type "System RAM"... */
struct pp_fw_range {
	uint64_t start;
	uint64_t end;			/* exclusive */
	char type[32];
};

#define PP_KVER(a, b, c) (((uint32_t)(a) << 16) | ((uint32_t)(b) << 8) | \
			  ((c) > 255 ? 255u : (uint32_t)(c)))

enum pp_ns_mode {
	PP_MODE_UNKNOWN = 0,
	PP_MODE_RAW,
	PP_MODE_FSDAX,
	PP_MODE_DEVDAX,
	PP_MODE_SECTOR,
};

/* nd_pfn "mode": where the struct pages of the device live */
enum pp_map {
	PP_MAP_NONE = 0,
	PP_MAP_MEM,		/* PFN_MODE_RAM: ndctl --map=mem */
	PP_MAP_DEV,		/* PFN_MODE_PMEM: ndctl --map=dev */
};

enum pp_dax_mode {
	PP_DAX_DISABLED = 0,	/* no driver bound */
	PP_DAX_DEVDAX,		/* device_dax */
	PP_DAX_SYSTEM_RAM,	/* kmem */
};

/* A dax-bus device (/sys/bus/dax/devices/daxX.Y) and what kmem made of it. */
struct pp_dax {
	char dev[PP_NAME_MAX];		/* "dax0.0" */
	enum pp_dax_mode mode;
	uint64_t start;			/* [start, start + size) */
	uint64_t size;
	uint64_t align;
	int target_node;		/* -1 when absent */
	int memmap_on_memory;		/* -1: attribute absent (< v6.8) */
	/* measured while bound to kmem */
	uint64_t kmem_start;		/* "System RAM (kmem)" from /proc/iomem */
	uint64_t kmem_end;		/* exclusive; PP_UNKNOWN unread */
	uint64_t online_blocks;
	uint64_t total_blocks;
	char zone[16];			/* "Movable", "Normal", "mixed" or "" */
};

/*
 * The alt name (label "name") of what apply creates, for the role it gave
 * the namespace: how an interrupted apply's namespaces are recognised
 * later (pmemplan-apply(1), "Interrupted applies").
 */
#define PP_APPLY_NAME_PREFIX	"pmemplan-"
#define PP_APPLY_NAME_KMEM	PP_APPLY_NAME_PREFIX "kmem"
#define PP_APPLY_NAME_SPACER	PP_APPLY_NAME_PREFIX "spacer"
#define PP_APPLY_NAME_FILLER	PP_APPLY_NAME_PREFIX "filler"
#define PP_APPLY_NAME_LEFTOVER	PP_APPLY_NAME_PREFIX "leftover"

struct pp_namespace {
	char dev[PP_NAME_MAX];		/* "namespace0.0" */
	enum pp_ns_mode mode;
	enum pp_map map;
	uint64_t align;			/* pfn/dax align as configured */
	uint64_t start;			/* nsio->res.start (root only) */
	uint64_t size;			/* raw namespace size */
	uint64_t dataoff;		/* measured info-block data offset */
	char uuid[40];
	char name[64];
	bool enabled;
	struct pp_dax *dax;		/* dax-bus device, devdax mode only */
	/* what may hold data: an info block (pfn/dax/btt claim), a signature
	 * libblkid recognises on /dev/pmemX.Y, or an open/mounted device */
	bool claimed;
	bool sig_probed;		/* libblkid ran on the block device */
	char signature[32];		/* "ext4", "LVM2_member", "dos"... or "" */
	bool busy;			/* mounted or open (O_EXCL fails) */
};

/*
 * The bus provider of a region (nd_desc.provider_name): what it is, for
 * the reader.  What a region can do is kept in what it means (labelled,
 * label_capable, an e820 carve-out for the memmap= advice), never in
 * this name.  Old documents name every firmware region "nfit".
 */
enum pp_region_kind {
	PP_REGION_NFIT = 0,		/* ACPI NFIT ("ACPI.NFIT") */
	PP_REGION_E820,			/* memmap=nn!ss, "Persistent Memory (legacy)" */
	PP_REGION_VIRTIO,		/* virtio-pmem */
	PP_REGION_PAPR_SCM,		/* PowerVM / QEMU pseries (papr_scm) */
	PP_REGION_OF_PMEM,		/* device tree "pmem-region" (of_pmem) */
	PP_REGION_CXL,			/* CXL persistent memory ("CXL") */
	PP_REGION_NFIT_TEST,		/* the kernel's nfit_test.N mock */
	PP_REGION_OTHER,		/* a provider not named above */
};

/*
 * What the label areas of a label-capable region's DIMMs hold, read as
 * "ndctl read-labels" does (ndctl_dimm_read_label_index() then
 * ndctl_dimm_validate_labels()): none when no DIMM holds a valid label
 * index (a label area never written), valid when at least one does (the
 * kernel then sets NDD_LABELING, dimm.c nvdimm_probe()), unknown when it
 * could not be read (not root, a command failed, an older snapshot).
 */
enum pp_label_index {
	PP_LABEL_INDEX_UNKNOWN,
	PP_LABEL_INDEX_NONE,
	PP_LABEL_INDEX_VALID,
};

struct pp_region {
	char dev[PP_NAME_MAX];		/* "region0" */
	enum pp_region_kind kind;
	uint64_t start;			/* PP_UNKNOWN non-root */
	uint64_t size;
	uint64_t align;			/* regionN/align, if present */
	unsigned int ways;		/* interleave ways, >= 1 */
	bool labelled;			/* nstype PMEM, not IO: divisible */
	bool enabled;
	bool readonly;
	int numa_node;
	int target_node;
	uint64_t available_size;
	uint64_t max_available_extent;
	/* every DIMM of the region can hold labels (label area present) */
	bool label_capable;
	enum pp_label_index label_index;	/* label_capable only */
	struct pp_namespace *ns;
	unsigned int nr_ns;
};

/* The mode of a CXL region (cxl/core/region.c mode_show()). */
enum pp_cxl_mode {
	PP_CXL_UNKNOWN = 0,
	PP_CXL_RAM,		/* volatile: a dax region, kmem */
	PP_CXL_PMEM,		/* persistent: an nvdimm region (kind cxl) */
};

#define PP_CXL_MAX_TARGETS 16	/* CXL_DECODER_MAX_INTERLEAVE */
#define PP_CXL_MAX_DAX 64

/*
 * A CXL region (/sys/bus/cxl/devices/regionN), and for a ram region the
 * dax region dax_cxl made of it and its dax devices (with what kmem
 * hot-plugged of each, as for a devdax namespace).
 */
struct pp_cxl_region {
	char dev[PP_NAME_MAX];		/* "region0" of the cxl bus */
	enum pp_cxl_mode mode;
	uint64_t start;			/* HPA, regionN/resource */
	uint64_t size;
	unsigned int ways;		/* interleave_ways */
	uint64_t granularity;		/* interleave_granularity, bytes */
	bool committed;			/* regionN/commit */
	bool enabled;			/* bound to cxl_region */
	char decoder[PP_NAME_MAX];	/* its root decoder: the window */
	uint64_t window_start;		/* the root decoder's start, size */
	uint64_t window_size;
	char targets[PP_CXL_MAX_TARGETS][PP_NAME_MAX];	/* endpoint decoders */
	unsigned int nr_targets;
	int target_node;		/* of its dax devices, -1 unknown */
	char nd_region[PP_NAME_MAX];	/* pmem: the nvdimm region, or "" */
	char dax_region[PP_NAME_MAX];	/* ram: "dax_region0", or "" */
	uint64_t dax_available;		/* the dax region's available_size */
	struct pp_dax *dax;
	unsigned int nr_dax;
};

/*
 * Free CXL ram capacity: a memory device's volatile capacity that no
 * endpoint decoder holds yet, and a window (root decoder) that can hold
 * volatile memory and reaches the device (cap_ram, its targets): what a
 * 1-way ram region of that device in that window could be made of.  Only
 * facts; where the kernel would place such a region and how large it can
 * be is the planner's (lib/planner/cxl.c).  One entry per memdev and
 * window; interleaving devices is not considered.
 */
struct pp_cxl_free {
	char memdev[PP_NAME_MAX];	/* "mem0" */
	char endpoint[PP_NAME_MAX];	/* its first unused endpoint decoder */
	uint64_t ram_size;		/* memN/ram/size */
	uint64_t ram_free;		/* of it in no endpoint decoder */
	char decoder[PP_NAME_MAX];	/* the root decoder: the window */
	uint64_t window_start, window_size;
};

#define PP_CXL_MAX_FREE 64

struct pp_topology {
	struct pp_platform plat;
	struct pp_region *regions;
	unsigned int nr_regions;
	struct pp_cxl_region *cxl;
	unsigned int nr_cxl;
	struct pp_cxl_free *cxl_free;
	unsigned int nr_cxl_free;
	/* what could not be read, for the "as non-root" explanations */
	char **notes;
	unsigned int nr_notes;
	/*
	 * Live probe only: the first enabled region the kernel gave no dax
	 * seed, i.e. a kernel without devdax (CONFIG_ZONE_DEVICE, hence
	 * CONFIG_NVDIMM_DAX, off: nd_region_probe() has no dax seed to
	 * create); "" otherwise and for snapshots.
	 */
	char no_devdax[PP_NAME_MAX];
};

void pp_topology_free(struct pp_topology *t);
struct pp_region *pp_topology_add_region(struct pp_topology *t);
struct pp_namespace *pp_region_add_namespace(struct pp_region *r);
struct pp_dax *pp_namespace_add_dax(struct pp_namespace *ns);
struct pp_cxl_region *pp_topology_add_cxl(struct pp_topology *t);
struct pp_dax *pp_cxl_add_dax(struct pp_cxl_region *c);
struct pp_cxl_free *pp_topology_add_cxl_free(struct pp_topology *t);
/* The firmware map in the order the probe gives it: start, end, type. */
void pp_fwmap_sort(struct pp_platform *p);
int pp_topology_note(struct pp_topology *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The one source of every enum's names (index = enum value; the JSON
 * contract and the options use these strings).  The snapshot reader
 * checks names against them and lists the valid ones in its messages.
 */
struct pp_name_table {
	const char *what;		/* "architecture", "mode", ... */
	const char *const *names;
	unsigned int nr;
	const char *const *aliases;	/* NULL-terminated pairs: alias, name */
};

extern const struct pp_name_table pp_arch_names, pp_source_names,
	pp_mode_names, pp_map_names, pp_dax_mode_names, pp_mom_names,
	pp_region_kind_names, pp_cxl_mode_names;

/* "unknown" for a value without a name */
const char *pp_name_of(const struct pp_name_table *t, unsigned int v);
/* the value named s (or an alias of it), -1 for none */
int pp_name_find(const struct pp_name_table *t, const char *s);
/* "raw, fsdax, devdax or sector": every name but "unknown" */
void pp_name_list(const struct pp_name_table *t, char *buf, size_t size);

/* Each *_from_name gives its zero value (or -1) for a name it lacks. */
const char *pp_arch_name(enum pp_arch arch);
enum pp_arch pp_arch_from_name(const char *name);
const char *pp_source_name(enum pp_source src);
const char *pp_mode_name(enum pp_ns_mode mode);
enum pp_ns_mode pp_mode_from_name(const char *name);
const char *pp_map_name(enum pp_map map);
enum pp_map pp_map_from_name(const char *name);
const char *pp_dax_mode_name(enum pp_dax_mode mode);
enum pp_dax_mode pp_dax_mode_from_name(const char *name);
const char *pp_mom_name(enum pp_mom_param p);
enum pp_mom_param pp_mom_from_name(const char *name);
const char *pp_region_kind_name(enum pp_region_kind kind);
int pp_region_kind_from_name(const char *name);
const char *pp_cxl_mode_name(enum pp_cxl_mode mode);
/* the kind of a bus provider name (ndctl_bus_get_provider()) */
enum pp_region_kind pp_region_kind_from_provider(const char *provider);
extern const struct pp_name_table pp_label_index_names;
const char *pp_label_index_name(enum pp_label_index v);
int pp_parse_kver(const char *release, uint32_t *kver);
int pp_parse_kver_uname(const char *release, const char *version,
			uint32_t *kver);

#endif /* PMEMPLAN_TOPOLOGY_H */
