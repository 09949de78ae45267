// SPDX-License-Identifier: GPL-2.0
/*
 * The platform probe under --sysroot, on the trees captured from Debian
 * kernels in QEMU (tests/sysroot/capture-all.sh): each holds a 2 GiB
 * devdax namespace bound to kmem.  Every fact must equal what the live
 * probe said in that guest (the tree's pmemplan-show.json, read with the
 * snapshot reader) and the values the VM tests know.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "parse/parse.h"
#include "probe/probe.h"
#include "snapshot/snapshot.h"
#include "system/memblock.h"
#include "system/meminfo.h"
#include "system/paths.h"
#include "system/sysfs.h"
#include "system/sysroot.h"
#include "util/util.h"

#define MIB (1ULL << 20)

struct tree {
	const char *name;
	const char *kernel;
	uint32_t kver;
	uint64_t block_size;
	enum pp_mom_param mom;
	const char *auto_online;
	uint64_t mem_total;
	/* the dax device's range, and the System RAM kmem made of it */
	uint64_t dax_start, dax_end, kmem_start, kmem_end;
	uint64_t blocks;
};

static const struct tree trees[] = {
	{ "6.1", "6.1.0-57-amd64", PP_KVER(6, 1, 192), 128 * MIB, PP_MOM_OFF,
	  "offline", 2881496ULL * 1024,
	  4330618880ULL, 4330618880ULL + 2111832064ULL,
	  0x108000000ULL, 0x180000000ULL, 15 },
	{ "6.12", "6.12.95+deb12-amd64", PP_KVER(6, 12, 95), 128 * MIB,
	  PP_MOM_OFF, "online", 2957864960ULL, 0, 0,
	  0x108000000ULL, 0x180000000ULL, 15 },
	{ "6.12-bigblocks", "6.12.95+deb12-amd64", PP_KVER(6, 12, 95),
	  2048 * MIB, PP_MOM_OFF, "online", 75990601728ULL, 0, 0,
	  0x1100000000ULL, 0x1280000000ULL, 3 },
	{ "6.12-mom", "6.12.95+deb12-amd64", PP_KVER(6, 12, 95), 128 * MIB,
	  PP_MOM_ON, "online", 2957860864ULL, 0, 0,
	  0x108000000ULL, 0x180000000ULL, 15 },
};

static void tree_dir(char *buf, size_t len, const char *name)
{
	const char *src = getenv("SRCDIR");

	snprintf(buf, len, "%s/tests/sysroot/%s", src ? src : PP_SRCDIR, name);
}

/* What the live probe printed in the guest, as the snapshot reader reads it. */
static void live_platform(const char *dir, struct pp_topology *live)
{
	char path[PATH_MAX + 32], err[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/pmemplan-show.json", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	memset(live, 0, sizeof(*live));
	if (pp_snapshot_read(f, live, err, sizeof(err)))
		fail_msg("%s: %s", path, err);
	fclose(f);
}

static void fact_equal(const struct pp_fact *a, const struct pp_fact *b)
{
	assert_int_equal(a->src != PP_SRC_NONE, b->src != PP_SRC_NONE);
	if (a->src != PP_SRC_NONE)
		assert_int_equal(a->value, b->value);
}

static void check_platform(const struct tree *w, const char *dir)
{
	struct pp_topology t, live;
	const struct pp_platform *p = &t.plat, *l = &live.plat;
	unsigned int i;

	memset(&t, 0, sizeof(t));
	assert_int_equal(pp_probe_set_sysroot(dir), 0);
	assert_int_equal(pp_probe_platform(&t.plat, &t), 0);
	assert_int_equal(t.nr_notes, 0);

	/* what the VM tests know */
	assert_int_equal(p->arch, PP_ARCH_X86_64);
	assert_int_equal(p->arch_src, PP_SRC_PROC);
	assert_string_equal(p->kernel, w->kernel);
	assert_int_equal(p->kver, w->kver);
	assert_int_equal(p->page_size.value, 4096);
	assert_int_equal(p->block_size.value, w->block_size);
	assert_int_equal(p->block_size.src, PP_SRC_SYSFS);
	assert_int_equal(p->pageblock_order.value, 9);
	assert_int_equal(p->hpage_pmd_size.value, 2 * MIB);
	assert_int_equal(p->memmap_on_memory, w->mom);
	assert_string_equal(p->auto_online_blocks, w->auto_online);
	assert_int_equal(p->mem_total.value, w->mem_total);
	assert_int_equal(p->mem_total.src, PP_SRC_PROC);
	assert_int_equal(p->nr_nodes.value, 1);
	assert_true(p->nr_fwmap >= 7);
	assert_int_equal(p->fwmap[0].start, 0);
	assert_int_equal(p->fwmap[0].end, 654336);
	assert_string_equal(p->fwmap[0].type, "System RAM");

	/* and everything equal to what the live probe saw */
	live_platform(dir, &live);
	assert_int_equal(p->arch, l->arch);
	assert_string_equal(p->kernel, l->kernel);
	assert_int_equal(p->kver, l->kver);
	fact_equal(&p->page_size, &l->page_size);
	fact_equal(&p->block_size, &l->block_size);
	fact_equal(&p->pageblock_order, &l->pageblock_order);
	fact_equal(&p->hpage_pmd_size, &l->hpage_pmd_size);
	fact_equal(&p->mem_total, &l->mem_total);
	/* MemAvailable moves between two reads: only its presence */
	assert_int_equal(p->mem_available.src, l->mem_available.src);
	fact_equal(&p->nr_nodes, &l->nr_nodes);
	assert_int_equal(p->memmap_on_memory, l->memmap_on_memory);
	assert_string_equal(p->auto_online_blocks, l->auto_online_blocks);
	assert_int_equal(p->nr_fwmap, l->nr_fwmap);
	for (i = 0; i < p->nr_fwmap; i++) {
		assert_int_equal(p->fwmap[i].start, l->fwmap[i].start);
		assert_int_equal(p->fwmap[i].end, l->fwmap[i].end);
		assert_string_equal(p->fwmap[i].type, l->fwmap[i].type);
	}
	pp_topology_free(&live);
	pp_topology_free(&t);
}

/* /proc/iomem and the memory blocks of the range kmem hot-plugged. */
static void check_kmem(const struct tree *w)
{
	uint64_t s, e, total = 0, online = 0, mem_total = 0;
	char zone[16];
	char *iomem;
	int err;

	iomem = pp_sysroot_read_text(PP_PROC_IOMEM, &err);
	assert_non_null(iomem);
	if (w->dax_start) {
		assert_int_equal(pp_iomem_kmem_range(iomem, w->dax_start,
						     w->dax_end, &s, &e), 0);
		assert_int_equal(s, w->kmem_start);
		assert_int_equal(e, w->kmem_end);
	}
	/* the whole address space holds boot RAM too: not inside */
	assert_int_equal(pp_iomem_kmem_range(iomem, w->kmem_start,
					     w->kmem_end, &s, &e), 0);
	assert_int_equal(s, w->kmem_start);
	assert_int_equal(e, w->kmem_end);
	free(iomem);

	pp_walk_blocks(w->kmem_start, w->kmem_end, w->block_size, &total,
		       &online, zone, sizeof(zone));
	assert_int_equal(total, w->blocks);
	assert_int_equal(online, w->blocks);
	assert_string_equal(zone, "Movable");

	/* block 0 is boot memory, online in zone DMA */
	pp_walk_blocks(0, w->block_size, w->block_size, &total, &online,
		       zone, sizeof(zone));
	assert_int_equal(total, 1);
	assert_int_equal(online, 1);

	assert_int_equal(pp_meminfo_read(&mem_total, NULL), 0);
	assert_int_equal(mem_total, w->mem_total);
}

static void captured_trees(void **state)
{
	char dir[PATH_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(trees); i++) {
		tree_dir(dir, sizeof(dir), trees[i].name);
		check_platform(&trees[i], dir);
		check_kmem(&trees[i]);
	}
	assert_int_equal(pp_probe_set_sysroot(NULL), 0);
}

/*
 * tests/sysroot/6.12-cxl: a 1 GiB CXL ram region (QEMU cxl-type3, one
 * expander) made by the sysfs ABI and bound to kmem, 6.12 with
 * memmap_on_memory=1.  The CXL probe reads it all from the tree; the
 * facts must be the VM's (its /proc/iomem: region0 and System RAM
 * (kmem) at 0x11d0000000-0x120fffffff) and what the live probe said.
 */
static void cxl_tree(void **state)
{
	struct pp_topology t, live;
	const struct pp_cxl_region *c, *l;
	const struct pp_dax *d;
	char dir[PATH_MAX];

	(void)state;
	tree_dir(dir, sizeof(dir), "6.12-cxl");
	memset(&t, 0, sizeof(t));
	assert_int_equal(pp_probe_set_sysroot(dir), 0);
	/* the nvdimm part reads the host's /sys: only the CXL part counts */
	assert_int_equal(pp_probe(&t), 0);
	assert_int_equal(t.nr_cxl, 1);
	c = &t.cxl[0];
	assert_string_equal(c->dev, "region0");
	assert_int_equal(c->mode, PP_CXL_RAM);
	assert_int_equal(c->start, 0x11d0000000ULL);
	assert_int_equal(c->size, 1024 * MIB);
	assert_int_equal(c->ways, 1);
	assert_int_equal(c->granularity, 256);
	assert_true(c->committed && c->enabled);
	assert_string_equal(c->decoder, "decoder0.0");
	assert_int_equal(c->window_start, 0x11d0000000ULL);
	assert_int_equal(c->window_size, 4096 * MIB);
	assert_int_equal(c->nr_targets, 1);
	assert_string_equal(c->targets[0], "decoder2.0");
	assert_string_equal(c->dax_region, "dax_region0");
	assert_int_equal(c->dax_available, 0);
	assert_int_equal(c->nr_dax, 1);
	d = &c->dax[0];
	assert_string_equal(d->dev, "dax0.0");
	assert_int_equal(d->mode, PP_DAX_SYSTEM_RAM);
	assert_int_equal(d->memmap_on_memory, 1);
	assert_int_equal(d->kmem_start, 0x11d0000000ULL);
	assert_int_equal(d->kmem_end, 0x1210000000ULL);
	assert_int_equal(d->total_blocks, 8);
	assert_int_equal(d->online_blocks, 8);
	assert_string_equal(d->zone, "Normal");
	assert_int_equal(c->target_node, d->target_node);

	live_platform(dir, &live);
	assert_int_equal(live.nr_cxl, 1);
	l = &live.cxl[0];
	assert_string_equal(l->dev, c->dev);
	assert_int_equal(l->start, c->start);
	assert_int_equal(l->window_start, c->window_start);
	assert_int_equal(l->nr_dax, 1);
	assert_int_equal(l->dax[0].kmem_start, d->kmem_start);
	assert_int_equal(l->dax[0].kmem_end, d->kmem_end);
	assert_string_equal(l->dax[0].zone, d->zone);
	assert_int_equal(l->target_node, c->target_node);
	pp_topology_free(&live);
	pp_topology_free(&t);
	assert_int_equal(pp_probe_set_sysroot(NULL), 0);
}

static void set_sysroot(void **state)
{
	char dir[PATH_MAX], file[PATH_MAX + 32];

	(void)state;
	assert_int_equal(pp_probe_set_sysroot(NULL), 0);
	tree_dir(dir, sizeof(dir), "6.1");
	snprintf(file, sizeof(file), "%s/proc/meminfo", dir);
	assert_int_equal(pp_probe_set_sysroot("/nonexistent/pmemplan"),
			 -ENOENT);
	assert_int_equal(pp_probe_set_sysroot(file), -ENOTDIR);
	assert_string_equal(pp_sysroot_get(), "");

	/* a trailing slash names the same tree */
	snprintf(file, sizeof(file), "%s//", dir);
	assert_int_equal(pp_probe_set_sysroot(file), 0);
	assert_string_equal(pp_sysroot_get(), dir);
	snprintf(file, sizeof(file), "%s" PP_PROC_MEMINFO, dir);
	{
		char path[PATH_MAX + 32];

		assert_int_equal(pp_sysroot_path(path, sizeof(path),
						 PP_PROC_MEMINFO), 0);
		assert_string_equal(path, file);
		assert_int_equal(pp_sysroot_path(path, 8, PP_PROC_MEMINFO),
				 -ENAMETOOLONG);
	}

	/* "/" and "" are the running system */
	assert_int_equal(pp_probe_set_sysroot("/"), 0);
	assert_string_equal(pp_sysroot_get(), "");
	assert_int_equal(pp_probe_set_sysroot(""), 0);
	assert_string_equal(pp_sysroot_get(), "");
}

/* Attributes relative to a directory fd, as the block walks read them. */
static void sysfs_at(void **state)
{
	char dir[] = "/tmp/pmemplan-at-XXXXXX", path[PATH_MAX], buf[32];
	FILE *f;
	int dfd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/memory7", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/memory7/state", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("offline\n", f);
	fclose(f);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	assert_int_equal(pp_sysfs_read_at(dfd, "memory7/state", buf,
					  sizeof(buf)), 0);
	assert_string_equal(buf, "offline");
	assert_int_equal(pp_sysfs_write_at(dfd, "memory7/state",
					   "online_movable"), 0);
	assert_int_equal(pp_sysfs_read_at(dfd, "memory7/state", buf,
					  sizeof(buf)), 0);
	assert_string_equal(buf, "online_movable");
	assert_int_equal(pp_sysfs_read_at(dfd, "memory8/state", buf,
					  sizeof(buf)), -ENOENT);
	/* the same file by its whole path */
	assert_int_equal(pp_sysfs_read(path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "online_movable");
	close(dfd);
	unlink(path);
	snprintf(path, sizeof(path), "%s/memory7", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(captured_trees),
		cmocka_unit_test(cxl_tree),
		cmocka_unit_test(set_sysroot),
		cmocka_unit_test(sysfs_at),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
