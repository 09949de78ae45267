// SPDX-License-Identifier: GPL-2.0
/* Size parsing (what users type) and printing (what they read). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "util/units.h"

static void parse_ok(void **state)
{
	static const struct { const char *in; uint64_t out; } cases[] = {
		{ "0", 0 }, { "4096", 4096 }, { "0x1000", 4096 },
		{ "2M", 2ULL << 20 }, { "2MiB", 2ULL << 20 },
		{ "2m", 2ULL << 20 }, { "16MB", 16ULL << 20 },
		{ "1.5G", 3ULL << 29 }, { "4k", 4096 }, { "1T", 1ULL << 40 },
		{ "15E", 15ULL << 60 },
	};
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(pp_parse_size(cases[i].in, &v), 0);
		assert_int_equal(v, cases[i].out);
	}
}

static void parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "-1", "M", "2Q", "2MX", "1.5", " 2M", "2 M", "0x", "abc",
	};
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pp_parse_size(bad[i], &v), -EINVAL);
	assert_int_equal(pp_parse_size("16E", &v), -ERANGE);
	assert_int_equal(pp_parse_size("18446744073709551616", &v), -ERANGE);
	assert_int_equal(pp_parse_size("99999999999T", &v), -ERANGE);
}

static void human(void **state)
{
	char b[PP_HUMAN_LEN];

	(void)state;
	assert_string_equal(pp_human_size(0, b, sizeof(b)), "0 B");
	assert_string_equal(pp_human_size(512, b, sizeof(b)), "512 B");
	assert_string_equal(pp_human_size(62ULL << 20, b, sizeof(b)),
			    "62 MiB");
	assert_string_equal(pp_human_size(4ULL << 30, b, sizeof(b)),
			    "4 GiB");
	assert_string_equal(pp_human_size(3968ULL << 20, b, sizeof(b)),
			    "3.9 GiB");
	assert_string_equal(pp_human_size(UINT64_MAX, b, sizeof(b)),
			    "16.0 EiB");
}

/* the exact text of a rule's or a step's size: never rounded */
static void exact(void **state)
{
	char b[PP_HUMAN_LEN];

	(void)state;
	assert_string_equal(pp_exact_size(0, b, sizeof(b)), "0 bytes");
	assert_string_equal(pp_exact_size(4097, b, sizeof(b)), "4097 bytes");
	assert_string_equal(pp_exact_size(16384, b, sizeof(b)), "16 KiB");
	assert_string_equal(pp_exact_size((2ULL << 20) + 4096, b, sizeof(b)),
			    "2052 KiB");
	assert_string_equal(pp_exact_size(3984ULL << 20, b, sizeof(b)),
			    "3984 MiB");
	assert_string_equal(pp_exact_size(UINT64_MAX, b, sizeof(b)),
			    "18446744073709551615 bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_ok),
		cmocka_unit_test(parse_bad),
		cmocka_unit_test(human),
		cmocka_unit_test(exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
