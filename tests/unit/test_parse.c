// SPDX-License-Identifier: GPL-2.0
/*
 * lib/parse/: the kernel's text as captured from Debian 6.1 and 6.12
 * guests (tests/sysroot/), and as an ordinary user sees /proc/iomem.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "parse/parse.h"
#include "util/util.h"

/* Debian 6.1, a 2 GiB devdax namespace bound to kmem (tests/sysroot/6.1) */
static const char iomem_61[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"00100000-3ffdefff : System RAM\n"
	"  0ee00000-0fc01d31 : Kernel code\n"
	"  0fe00000-106eafff : Kernel rodata\n"
	"3ffdf000-3fffffff : Reserved\n"
	"100000000-17fffffff : Persistent Memory\n"
	"  100000000-1021fffff : namespace0.0\n"
	"  108000000-17fffffff : dax0.0\n"
	"    108000000-17fffffff : System RAM (kmem)\n"
	"11c0000000-123fffffff : PCI Bus 0000:00\n"
	"fd00000000-ffffffffff : Reserved\n";

/* Debian 6.12 with 2 GiB blocks (tests/sysroot/6.12-bigblocks) */
static const char iomem_612_big[] =
	"fffc0000-ffffffff : Reserved\n"
	"100000000-10bfffffff : System RAM\n"
	"  180000000-180ffffff : Kernel code\n"
	"10c0000000-12bfffffff : Persistent Memory\n"
	"  10c0000000-10c81fffff : namespace0.0\n"
	"  1100000000-127fffffff : dax0.0\n"
	"    1100000000-127fffffff : System RAM (kmem)\n"
	"1600000000-167fffffff : PCI Bus 0000:00\n";

/* Before v5.8 kmem's resources were plain "System RAM", in two ranges. */
static const char iomem_old[] =
	"100000000-17fffffff : Persistent Memory\n"
	"  108000000-17fffffff : dax0.0\n"
	"    108000000-13fffffff : System RAM\n"
	"    150000000-17fffffff : System RAM\n";

/* What a reader without CAP_SYS_ADMIN sees: every address zero. */
static const char iomem_nonroot[] =
	"00000000-00000000 : Reserved\n"
	"00000000-00000000 : System RAM\n"
	"00000000-00000000 : Persistent Memory\n"
	"  00000000-00000000 : namespace0.0\n"
	"    00000000-00000000 : dax0.0\n"
	"      00000000-00000000 : System RAM (kmem)\n";

static void iomem_kmem(void **state)
{
	uint64_t s = 0, e = 0;

	(void)state;
	assert_int_equal(pp_iomem_kmem_range(iomem_61, 0x108000000ULL,
					     0x180000000ULL, &s, &e), 0);
	assert_int_equal(s, 0x108000000ULL);
	assert_int_equal(e, 0x180000000ULL);

	/* the device's range, not the block-aligned kmem one */
	assert_int_equal(pp_iomem_kmem_range(iomem_612_big, 0x10c2200000ULL,
					     0x12c0000000ULL, &s, &e), 0);
	assert_int_equal(s, 0x1100000000ULL);
	assert_int_equal(e, 0x1280000000ULL);

	/* lowest start, highest end of several ranges */
	assert_int_equal(pp_iomem_kmem_range(iomem_old, 0x108000000ULL,
					     0x180000000ULL, &s, &e), 0);
	assert_int_equal(s, 0x108000000ULL);
	assert_int_equal(e, 0x180000000ULL);
}

static void iomem_none(void **state)
{
	uint64_t s, e;

	(void)state;
	/* boot RAM lies outside the device: not kmem's */
	assert_int_equal(pp_iomem_kmem_range(iomem_61, 0x100000000ULL,
					     0x108000000ULL, &s, &e), -ENOENT);
	/* a range that holds the RAM only in part */
	assert_int_equal(pp_iomem_kmem_range(iomem_61, 0x110000000ULL,
					     0x180000000ULL, &s, &e), -ENOENT);
	assert_int_equal(pp_iomem_kmem_range(iomem_nonroot, 0,
					     0x180000000ULL, &s, &e), -ENOENT);
	assert_int_equal(pp_iomem_kmem_range("", 0, 1, &s, &e), -ENOENT);
	assert_int_equal(pp_iomem_kmem_range("garbage\n\n-", 0, 1, &s, &e),
			 -ENOENT);
	assert_int_equal(pp_iomem_kmem_range(NULL, 0, 1, &s, &e), -EINVAL);
	assert_int_equal(pp_iomem_kmem_range(iomem_61, 2, 2, &s, &e), -EINVAL);
	assert_int_equal(pp_iomem_kmem_range(iomem_61, 0, 1, NULL, &e),
			 -EINVAL);
}

static const char meminfo[] =
	"MemTotal:        2881496 kB\n"
	"MemFree:         2714304 kB\n"
	"MemAvailable:    2712668 kB\n"
	"Buffers:               0 kB\n"
	"HugePages_Total:       0\n"
	"DirectMap1G:           0 kB\n";

static void meminfo_keys(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(pp_meminfo_bytes(meminfo, "MemTotal", &v), 0);
	assert_int_equal(v, 2881496ULL * 1024);
	assert_int_equal(pp_meminfo_bytes(meminfo, "MemAvailable", &v), 0);
	assert_int_equal(v, 2712668ULL * 1024);
	assert_int_equal(pp_meminfo_bytes(meminfo, "DirectMap1G", &v), 0);
	assert_int_equal(v, 0);
	/* a key is a whole name at the start of a line */
	assert_int_equal(pp_meminfo_bytes(meminfo, "Mem", &v), -ENOENT);
	assert_int_equal(pp_meminfo_bytes(meminfo, "Free", &v), -ENOENT);
	assert_int_equal(pp_meminfo_bytes(meminfo, "Cached", &v), -ENOENT);
	assert_int_equal(pp_meminfo_bytes("", "MemTotal", &v), -ENOENT);
	assert_int_equal(pp_meminfo_bytes("MemTotal: x kB\n", "MemTotal", &v),
			 -EINVAL);
	assert_int_equal(pp_meminfo_bytes("MemTotal: 18014398509481984 kB",
					  "MemTotal", &v), -ERANGE);
	/* /proc/self/smaps uses the same format */
	assert_int_equal(pp_meminfo_bytes("KernelPageSize:        4 kB\n",
					  "KernelPageSize", &v), 0);
	assert_int_equal(v, 4096);
}

static void pagetypeinfo(void **state)
{
	unsigned int order = 0;

	(void)state;
	assert_int_equal(pp_pagetypeinfo_order("Page block order: 9\n"
					       "Pages per block:  512\n",
					       &order), 0);
	assert_int_equal(order, 9);
	assert_int_equal(pp_pagetypeinfo_order("Pages per block:  512\n",
					       &order), -ENOENT);
}

static void count_list(void **state)
{
	static const struct { const char *in; int n; } cases[] = {
		{ "0", 1 }, { "0-1", 2 }, { "0-1,3", 3 }, { "0,2,4-7", 6 },
		{ "", 0 }, { "5-5", 1 },
		{ "1-0", -EINVAL }, { "a", -EINVAL }, { "0,", 1 },
		{ "0-", -EINVAL }, { "0 1", -EINVAL },
		{ "0-4294967295", -EINVAL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(pp_count_list(cases[i].in), cases[i].n);
}

static void parse_u64(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(pp_parse_u64("8000000", 16, &v), 0);
	assert_int_equal(v, 0x8000000);
	assert_int_equal(pp_parse_u64("0x1000", 0, &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(pp_parse_u64("2097152", 10, &v), 0);
	assert_int_equal(v, 2097152);
	assert_int_equal(pp_parse_u64("", 10, &v), -EINVAL);
	assert_int_equal(pp_parse_u64(NULL, 10, &v), -EINVAL);
	assert_int_equal(pp_parse_u64("-1", 10, &v), -EINVAL);
	assert_int_equal(pp_parse_u64("12 ", 10, &v), -EINVAL);
	assert_int_equal(pp_parse_u64("18446744073709551616", 10, &v),
			 -EINVAL);
}

/* The form apply --write-config writes, two namespaces (config.c) */
static const char conf_written[] =
	"# Written by pmemplan apply --write-config: the devdax\n"
	"# namespaces that were System RAM then, made System RAM again\n"
	"\n"
	"# region0 namespace0.1 (dax0.1)\n"
	"[reconfigure-device 6f1e6a5c-3f8a-4c1e-9d55-0a1b2c3d4e5f]\n"
	"nvdimm.uuid = 6f1e6a5c-3f8a-4c1e-9d55-0a1b2c3d4e5f\n"
	"mode = system-ram\nonline = true\nmovable = true\n"
	"\n"
	"# region1 namespace1.0 (dax1.0)\n"
	"[reconfigure-device 0c8e2f41-aa8e-4b7e-8c3d-93b1f0e2d7a6]\n"
	"nvdimm.uuid = 0c8e2f41-aa8e-4b7e-8c3d-93b1f0e2d7a6\n"
	"mode = system-ram\nonline = true\nmovable = false\n";

static void daxctl_conf(void **state)
{
	struct pp_daxconf_section sec;
	char err[128];

	(void)state;
	assert_int_equal(pp_daxctl_conf_find(conf_written, NULL, &sec, err,
					     sizeof(err)), 2);
	assert_int_equal(pp_daxctl_conf_find(conf_written,
			"0C8E2F41-AA8E-4B7E-8C3D-93B1F0E2D7A6", &sec, err,
			sizeof(err)), 1);
	assert_string_equal(sec.name, "0c8e2f41-aa8e-4b7e-8c3d-93b1f0e2d7a6");
	assert_true(sec.system_ram && sec.online && !sec.movable);
	assert_int_equal(sec.line, 12);
	assert_int_equal(pp_daxctl_conf_find(conf_written,
			"6f1e6a5c-3f8a-4c1e-9d55-0a1b2c3d4e5f", &sec, err,
			sizeof(err)), 1);
	assert_true(sec.system_ram && sec.online && sec.movable);
	assert_int_equal(pp_daxctl_conf_find(conf_written,
			"6f1e6a5c-3f8a-4c1e-9d55-0a1b2c3d4e50", &sec, err,
			sizeof(err)), 0);
	/* an empty file (nothing was System RAM), comments only */
	assert_int_equal(pp_daxctl_conf_find("", NULL, &sec, err, sizeof(err)), 0);
	assert_int_equal(pp_daxctl_conf_find("# nothing\n\n", NULL, &sec, err,
					     sizeof(err)), 0);
}

/* daxctl's defaults, its booleans, quotes, sections of other tools */
static void daxctl_conf_upstream(void **state)
{
	static const char text[] =
		"; the example of daxctl-reconfigure-device(1)\n"
		"[monitor]\ndimm = all\n"
		"[reconfigure-device dax0]\n"
		"nvdimm.uuid = ed93e918-e165-49d8-921d-383d7b9660c5\n"
		"mode = devdax\n"
		"  [ reconfigure-device dax1 ]  \n"
		"nvdimm.uuid=\"f36d02ff-1d9f-4fb9-a5b9-8ceb10a00fe3\"\n"
		"[reconfigure-device dax2]\n"
		"nvdimm.uuid = f36d02ff-1d9f-4fb9-a5b9-8ceb10a00fe4\n"
		"online = Yes\nmovable = 0\nunknown = ignored\n";
	struct pp_daxconf_section sec;
	char err[128];

	(void)state;
	assert_int_equal(pp_daxctl_conf_find(text, NULL, &sec, err, sizeof(err)), 3);
	assert_int_equal(pp_daxctl_conf_find(text,
			"ed93e918-e165-49d8-921d-383d7b9660c5", &sec, err,
			sizeof(err)), 1);
	assert_false(sec.system_ram);
	assert_int_equal(pp_daxctl_conf_find(text,
			"f36d02ff-1d9f-4fb9-a5b9-8ceb10a00fe3", &sec, err,
			sizeof(err)), 1);
	assert_string_equal(sec.name, "dax1");
	assert_true(sec.system_ram && sec.online && sec.movable);
	assert_int_equal(pp_daxctl_conf_find(text,
			"f36d02ff-1d9f-4fb9-a5b9-8ceb10a00fe4", &sec, err,
			sizeof(err)), 1);
	assert_true(sec.system_ram && sec.online && !sec.movable);
}

static void daxctl_conf_malformed(void **state)
{
	static const struct { const char *text, *err; } cases[] = {
		{ "[reconfigure-device a\n", "line 1: '[' without ']'" },
		{ "# x\njunk\n", "line 2: neither a [section], a key = value nor a comment" },
		{ "[reconfigure-device a]\nmode = system-ram\n",
		  "line 1: [reconfigure-device a] has no nvdimm.uuid" },
		{ "[reconfigure-device a]\nnvdimm.uuid = 12\n",
		  "line 2: nvdimm.uuid '12' is not a uuid" },
		{ "[reconfigure-device a]\nmode = ram\n",
		  "line 2: mode 'ram': use system-ram or devdax" },
		{ "[reconfigure-device a]\nmovable = maybe\n",
		  "line 2: movable 'maybe': use true or false" },
		{ "[reconfigure-device a]\nonline =\n",
		  "line 2: online '': use true or false" },
		{ "[reconfigure-device a]\nonline = 1\nonline = 0\n",
		  "line 3: online given twice" },
		{ "= x\n", "line 1: '=' without a key" },
		{ "[reconfigure-device a]\nnvdimm.uuid = ed93e918-e165-49d8-921d-383d7b9660c5\n"
		  "[reconfigure-device b]\nnvdimm.uuid = ED93E918-E165-49D8-921D-383D7B9660C5\n",
		  "line 3: nvdimm.uuid ED93E918-E165-49D8-921D-383D7B9660C5 is also in the section of line 1" },
	};
	struct pp_daxconf_section sec;
	char err[160], big[700];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(pp_daxctl_conf_find(cases[i].text,
				"ed93e918-e165-49d8-921d-383d7b9660c5", &sec,
				err, sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
	memset(big, '#', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(pp_daxctl_conf_find(big, NULL, &sec, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "line 1: longer than 512 characters");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iomem_kmem),
		cmocka_unit_test(iomem_none),
		cmocka_unit_test(meminfo_keys),
		cmocka_unit_test(pagetypeinfo),
		cmocka_unit_test(count_list),
		cmocka_unit_test(parse_u64),
		cmocka_unit_test(daxctl_conf),
		cmocka_unit_test(daxctl_conf_upstream),
		cmocka_unit_test(daxctl_conf_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
