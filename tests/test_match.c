/*
 * test_match.c - the compiled matcher: separators, word boundaries,
 * aliases, patterns, hashed entries, expiry, limits, scale.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/list.h"
#include "embargo/match.h"

struct fixture {
	char *dir;
	struct emb_list list;
	struct emb_matcher *m;
	struct emb_match_ctx *ctx;
	struct emb_hits hits;
};

static struct fixture fx;

static void build(const char *text, emb_date today)
{
	char *path;

	th_write(fx.dir, "list", text);
	if (asprintf(&path, "%s/list", fx.dir) < 0)
		abort();
	memset(&fx.list, 0, sizeof(fx.list));
	assert_int_equal(emb_list_load_file(&fx.list, path), 0);
	emb_list_expire(&fx.list, (emb_time)today * 86400);
	assert_int_equal(emb_matcher_new(&fx.m, &fx.list, NULL, 0), 0);
	assert_int_equal(emb_match_ctx_new(&fx.ctx, fx.m), 0);
	free(path);
}

static void drop(void)
{
	emb_match_ctx_free(fx.ctx);
	emb_matcher_free(fx.m);
	emb_list_release(&fx.list);
	fx.ctx = NULL;
	fx.m = NULL;
}

static int setup(void **state)
{
	emb_date today;

	(void)state;
	th_env();
	fx.dir = th_mkdtemp();
	emb_date_parse(&today, "2026-06-01");
	build("[embargo \"CVE-2026-31337\"]\n"
	      "\tuntil = 2026-12-31\n"
	      "\talias = Bleeding Heart\n"
	      "\tpattern = bleed(ing)?[- _]?heart\n"
	      "[embargo \"SEC-1042\"]\n"
	      "[embargo \"GHSA-4f5x-abcd-9xyz\"]\n"
	      "[embargo \"CVE-2025-1111\"]\n"
	      "\tuntil = 2026-01-01\n"
	      "\talias = old news\n",
	      today);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	drop();
	emb_hits_release(&fx.hits);
	th_rmrf(fx.dir);
	free(fx.dir);
	return 0;
}

/* Match text; return the ids found, "id@start" joined by spaces. */
static char *ids(const char *text)
{
	struct emb_buf out = EMB_BUF_INIT;
	size_t i;

	assert_int_equal(emb_match(fx.ctx, text, strlen(text), &fx.hits), 0);
	for (i = 0; i < fx.hits.n; i++)
		emb_buf_printf(&out, "%s%s@%zu", i ? " " : "",
			       fx.hits.v[i].entry->id, fx.hits.v[i].start);
	return emb_buf_detach(&out);
}

#define assert_ids(text, expected)                 \
	do {                                       \
		char *got_ = ids(text);            \
		assert_string_equal(got_, expected); \
		free(got_);                        \
	} while (0)

static void test_separators(void **state)
{
	(void)state;
	assert_ids("Fix CVE-2026-31337 heap overflow", "CVE-2026-31337@4");
	assert_ids("cve_2026_31337", "CVE-2026-31337@0");
	assert_ids("see CVE 2026 31337.", "CVE-2026-31337@4");
	assert_ids("cve.2026.31337", "CVE-2026-31337@0");
	assert_ids("Cve-2026_31337", "CVE-2026-31337@0");
	assert_ids("sec_1042 and SEC 1042", "SEC-1042@0 SEC-1042@13");
	assert_ids("ghsa-4F5X-ABCD-9xyz", "GHSA-4f5x-abcd-9xyz@0");
	/* separators are single: two in a row are no separator */
	assert_ids("CVE--2026-31337 CVE-2026  31337", "");
}

static void test_boundaries(void **state)
{
	(void)state;
	assert_ids("CVE-2026-313370", "");
	assert_ids("CVE-2026-3133", "");
	assert_ids("xCVE-2026-31337", "");
	assert_ids("CVE-2026-31337a", "");
	assert_ids("SEC-10420 SEC-104 ASEC-1042", "");
	assert_ids("(CVE-2026-31337)", "CVE-2026-31337@1");
	assert_ids("CVE-2026-31337-1", "CVE-2026-31337@0");
	assert_ids("fix/CVE-2026-31337", "CVE-2026-31337@4");
	assert_ids("a CVE-2026-313370 then CVE-2026-31337",
		   "CVE-2026-31337@23");
}

static void test_aliases_and_patterns(void **state)
{
	(void)state;
	assert_ids("the Bleeding Heart bug", "CVE-2026-31337@4");
	assert_ids("bleeding\n  HEART", "CVE-2026-31337@0");
	assert_ids("bleedheart", "CVE-2026-31337@0");
	assert_ids("bleed-heart", "CVE-2026-31337@0");
	/* the pattern has no boundaries of its own: it is a regex */
	assert_ids("unbleedinghearted", "CVE-2026-31337@2");
	/* one hit per (entry, position) even when alias and pattern agree */
	assert_ids("Bleeding Heart", "CVE-2026-31337@0");
	/* an alias is a word: no match inside a longer word */
	assert_ids("superbleeding hearts", "CVE-2026-31337@5");
}

static void test_expired(void **state)
{
	(void)state;
	assert_ids("CVE-2025-1111 and old news", "");
}

static void test_not_utf8(void **state)
{
	(void)state;
	assert_ids("caf\xe9 CVE-2026-31337 \xff\xfe", "CVE-2026-31337@5");
	assert_ids("\xc3 Bleeding Heart \xc3", "CVE-2026-31337@2");
}

static void test_hashed(void **state)
{
	char *hex;
	emb_date today;
	struct emb_buf list = EMB_BUF_INIT;

	(void)state;
	drop();
	hex = th_sh_out("/", NULL, "printf %%s CVE-2026-4242 | sha256sum | "
				   "cut -c1-64 | tr -d '\\n'");
	emb_buf_printf(&list, "[embargo \"sha256:%s\"]\n[embargo \"OPS-7\"]\n",
		       hex);
	emb_date_parse(&today, "2026-06-01");
	build(list.ptr, today);
	{
		char *expected;

		if (asprintf(&expected, "sha256:%s@6 OPS-7@25", hex) < 0)
			abort();
		assert_ids("fixes cve_2026_4242 (and OPS-7)", expected);
		free(expected);
	}
	/* the hash is of the canonical form: other ids do not collide */
	assert_ids("CVE-2026-4243 CVE-2026-42420", "");
	free(hex);
	emb_buf_release(&list);
}

static void test_limits(void **state)
{
	struct emb_buf text = EMB_BUF_INIT;
	emb_date today;
	size_t i;

	(void)state;
	drop();
	emb_date_parse(&today, "2026-06-01");
	build("[embargo \"X-1\"]\n\tpattern = ([a-z]+ ?)+$\n", today);
	for (i = 0; i < 5000; i++)
		emb_buf_puts(&text, "word ");
	emb_buf_puts(&text, "!");
	assert_int_equal(emb_match(fx.ctx, text.ptr, text.size, &fx.hits),
			 EMB_EMATCH);
	assert_non_null(strstr(emb_error_last(), "pattern '([a-z]+ ?)+$'"));
	assert_non_null(strstr(emb_error_last(), "line 2"));
	emb_buf_release(&text);
}

static void test_many_entries(void **state)
{
	struct emb_buf list = EMB_BUF_INIT;
	emb_date today;
	size_t i;

	(void)state;
	drop();
	for (i = 0; i < 100000; i++)
		emb_buf_printf(&list, "[embargo \"CVE-2026-%zu\"]\n",
			       10000 + i);
	emb_date_parse(&today, "2026-06-01");
	build(list.ptr, today);
	assert_int_equal(fx.list.n, 100000);
	assert_ids("CVE-2026-109999 CVE-2026-110000 cve-2026-10000",
		   "CVE-2026-109999@0 CVE-2026-10000@32");
	emb_buf_release(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_aliases_and_patterns),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_not_utf8),
	};
	const struct CMUnitTest rebuild[] = {
		cmocka_unit_test_setup_teardown(test_hashed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_entries, setup,
						teardown),
	};
	int failed = 0;

	git_libgit2_init();
	failed += cmocka_run_group_tests_name("emb_match", tests, setup,
					      teardown);
	failed += cmocka_run_group_tests_name("emb_matcher_new", rebuild, NULL,
					      NULL);
	git_libgit2_shutdown();
	return failed;
}
