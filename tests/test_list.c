/*
 * test_list.c - embargo lists: entries, merging, sources, and every
 * kind of bad input with its exact message.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/error.h"
#include "embargo/buf.h"
#include "embargo/list.h"
#include "embargo/match.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	th_env();
	dir = th_mkdtemp();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_rmrf(dir);
	free(dir);
	return 0;
}

static char *list_file(const char *name, const char *text)
{
	char *path;

	th_write(dir, name, text);
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		abort();
	return path;
}

/* Load one list; return the error and leave the message in *msg. */
static int load(struct emb_list *list, const char *text, char **path_out)
{
	char *path = list_file("list", text);
	int error;

	memset(list, 0, sizeof(*list));
	error = emb_list_load_file(list, path);
	if (path_out)
		*path_out = path;
	else
		free(path);
	return error;
}

static void expect_error(const char *text, const char *message_tail)
{
	struct emb_list list;
	char *path, *expected;
	int error = load(&list, text, &path);

	assert_int_equal(error, EMB_ECONFIG);
	if (asprintf(&expected, "bad embargo list '%s': %s", path,
		     message_tail) < 0)
		abort();
	assert_string_equal(emb_error_last(), expected);
	free(expected);
	free(path);
	emb_list_release(&list);
}

static void test_entries(void **state)
{
	struct emb_list list;
	const struct emb_entry *e;
	char d[16];

	(void)state;
	assert_int_equal(load(&list,
			      "# the security team's list\n"
			      "[embargo \"CVE-2026-31337\"]\n"
			      "\tuntil = 2026-12-31   # lifted then\n"
			      "\talias = Bleeding Heart\n"
			      "\talias = \"BH-2\"\n"
			      "\tpattern = bleed(ing)?[- _]?heart\n"
			      "\tnote = heap overflow, ticket SEC-88\n"
			      "[embargo \"SEC-1042\"]\n"
			      "[embargo \"sha256:"
			      "AE0B3C5B1F1A0E2A59B1E8B5E1B4C6D7"
			      "e8f90112233445566778899aabbccdff\"]\n"
			      "\tuntil = 2027-01-15\n",
			      NULL),
			 0);
	assert_int_equal(list.n, 3);

	e = &list.entries[0];
	assert_string_equal(e->id, "CVE-2026-31337");
	assert_string_equal(e->canon, "CVE-2026-31337");
	emb_time_format(d, sizeof(d), e->until);
	assert_string_equal(d, "2026-12-31");
	assert_int_equal(e->nalias, 2);
	assert_string_equal(e->aliases[0], "Bleeding Heart");
	assert_string_equal(e->aliases[1], "BH-2");
	assert_int_equal(e->npattern, 1);
	assert_int_equal(e->patterns[0].line, 6);
	assert_string_equal(e->note, "heap overflow, ticket SEC-88");
	assert_int_equal(e->line, 2);

	/* a section with no variables is a whole entry, until removed */
	e = &list.entries[1];
	assert_string_equal(e->id, "SEC-1042");
	assert_true(e->until == EMB_TIME_NONE);
	assert_int_equal(e->line, 8);

	e = &list.entries[2];
	assert_true(e->hashed);
	assert_null(e->canon);
	assert_int_equal(e->hash[0], 0xae);
	assert_int_equal(e->hash[31], 0xff);
	emb_list_release(&list);
}

static void test_bad_input(void **state)
{
	(void)state;
	expect_error("[embargo \"CVE-2026-1\"]\n\tuntil = 2026-13-45\n",
		     "line 2: bad date '2026-13-45' for CVE-2026-1.until: "
		     "expected YYYY-MM-DD (the start of that day, UTC) or a "
		     "moment, YYYY-MM-DDTHH:MM:SSZ or with an offset, +HH:MM");
	expect_error("[embargo \"CVE-2026-1\"]\n\tuntil = 2026-02-29\n",
		     "line 2: bad date '2026-02-29' for CVE-2026-1.until: "
		     "expected YYYY-MM-DD (the start of that day, UTC) or a "
		     "moment, YYYY-MM-DDTHH:MM:SSZ or with an offset, +HH:MM");
	/* a time of day needs a zone: it would mean another moment on
	 * every machine */
	expect_error(
		"[embargo \"CVE-2026-1\"]\n\tuntil = 2026-12-01T14:00\n",
		"line 2: bad date '2026-12-01T14:00' for CVE-2026-1.until: "
		"expected YYYY-MM-DD (the start of that day, UTC) or a "
		"moment, YYYY-MM-DDTHH:MM:SSZ or with an offset, +HH:MM");
	expect_error("[embargo \"CVE-2026-1\"]\n\tnote = x\n\tuntill = "
		     "2026-01-01\n",
		     "line 3: unknown key 'untill' in [embargo "
		     "\"CVE-2026-1\"]: expected until, alias, pattern, note, "
		     "fix, patchId, fixPaths, fixFiles or fixLines");
	expect_error("[embargo \"\"]\n\tuntil = 2026-01-01\n",
		     "line 1: empty identifier in [embargo \"\"]");
	expect_error("\n[embargo \"sha256:abc\"]\n",
		     "line 2: bad hash 'sha256:abc': expected sha256: and 64 "
		     "hex digits (see 'git embargo hash')");
	expect_error("[embargo \"sha256:zz0b3c5b1f1a0e2a59b1e8b5e1b4c6d7e8f90"
		     "112233445566778899aabbccddeeff\"]\n",
		     "line 1: bad hash 'sha256:zz0b3c5b1f1a0e2a59b1e8b5e1b4c6"
		     "d7e8f90112233445566778899aabbccddeeff': expected "
		     "sha256: and 64 hex digits (see 'git embargo hash')");
	expect_error("[embargo \"CVE--2026\"]\n",
		     "line 1: bad identifier 'CVE--2026': expected letters "
		     "and digits joined by single '-', '_', '.' or ' '");
	expect_error("[embargo \"CVE-1\"]\n[embargoes \"CVE-2\"]\n",
		     "line 2: unknown section 'embargoes': only [embargo "
		     "\"<id>\"] sections belong in an embargo list");
	expect_error("[embargo \"CVE-1\"]\n\talias =\n",
		     "line 2: empty alias for 'CVE-1'");
	expect_error("[embargo]\n\tuntil = 2026-01-01\n",
		     "line 2: unknown key 'embargo.until': keys belong in an "
		     "[embargo \"<id>\"] section");
	/* empty, or nothing but comments: a truncated copy */
	expect_error("", "no entries: an empty list would let everything "
			 "through; keep the lifted entries, with their past "
			 "'until' dates");
	expect_error("# the security team's list\n\n; nothing yet\n",
		     "no entries: an empty list would let everything "
		     "through; keep the lifted entries, with their past "
		     "'until' dates");
}

/*
 * Lines are found through an index of the sections, not a search from the
 * top for every value (which made 200,000 entries take an hour): the line
 * of a bad value far down a long list, in its own section and after a
 * value that was good.
 */
static void test_lines_in_long_list(void **state)
{
	struct emb_buf b = EMB_BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++)
		emb_buf_printf(&b,
			       "[embargo \"CVE-2025-%d\"]\n"
			       "\tuntil = 2026-12-31\n",
			       10000 + i);
	emb_buf_puts(&b, "[embargo \"CVE-2099-1\"]\n"
			 "\talias = last\n"
			 "\tuntil = 2026-02-30\n");
	expect_error(b.ptr, "line 10003: bad date '2026-02-30' for "
			    "CVE-2099-1.until: expected YYYY-MM-DD (the start "
			    "of that day, UTC) or a moment, "
			    "YYYY-MM-DDTHH:MM:SSZ or with an offset, +HH:MM");
	emb_buf_clear(&b);
	for (i = 0; i < 5000; i++)
		emb_buf_printf(&b,
			       "[embargo \"CVE-2025-%d\"]\n"
			       "\tnote = n\n",
			       10000 + i);
	emb_buf_puts(&b, "\tuntil = 2026-13-01\n");
	expect_error(b.ptr,
		     "line 10001: bad date '2026-13-01' for "
		     "CVE-2025-14999.until: expected YYYY-MM-DD (the start "
		     "of that day, UTC) or a moment, "
		     "YYYY-MM-DDTHH:MM:SSZ or with an offset, +HH:MM");
	emb_buf_release(&b);
}

static void test_syntax_error(void **state)
{
	struct emb_list list;
	char *path;

	(void)state;
	/* libgit2's parser reports the line of a syntax error itself */
	assert_int_equal(
		load(&list, "[embargo \"CVE-1\"\n\tuntil = x\n", &path),
		EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), path));
	assert_non_null(strstr(emb_error_last(), ":1"));
	free(path);
	emb_list_release(&list);
}

static void test_bad_pattern(void **state)
{
	struct emb_list list;
	struct emb_matcher *m = NULL;
	char *path, *expected;

	(void)state;
	assert_int_equal(load(&list,
			      "[embargo \"CVE-2026-1\"]\n"
			      "\tpattern = ok\n"
			      "\tpattern = bleed(ing\n",
			      &path),
			 0);
	assert_int_equal(emb_matcher_new(&m, &list, NULL, 0), EMB_ECONFIG);
	assert_null(m);
	if (asprintf(&expected,
		     "bad embargo list '%s': line 3: bad pattern "
		     "'bleed(ing': missing closing parenthesis at offset 9",
		     path) < 0)
		abort();
	assert_string_equal(emb_error_last(), expected);
	free(expected);
	free(path);
	emb_list_release(&list);

	/* a pattern that matches empty text would match everywhere */
	assert_int_equal(
		load(&list, "[embargo \"X-1\"]\n\tpattern = a*\n", &path), 0);
	assert_int_equal(emb_matcher_new(&m, &list, NULL, 0), EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "line 2: pattern 'a*' "
						 "matches empty text"));
	free(path);
	emb_list_release(&list);
}

static void test_missing_file(void **state)
{
	struct emb_list list = EMB_LIST_INIT;

	(void)state;
	assert_int_equal(emb_list_load_file(&list, "/nonexistent/list"),
			 EMB_ECONFIG);
	assert_string_equal(emb_error_last(),
			    "cannot read embargo list '/nonexistent/list': "
			    "No such file or directory");
	emb_list_release(&list);
}

static void test_merge_across_files(void **state)
{
	struct emb_list list = EMB_LIST_INIT;
	char *a = list_file("a",
			    "[embargo \"CVE-2026-1\"]\n\tuntil = "
			    "2026-05-01\n[embargo \"CVE-2026-2\"]\n"
			    "\tuntil = 2026-05-01\n"
			    "[embargo \"cve_2026_3\"]\n\tuntil = 2026-05-01\n");
	char *b = list_file("b",
			    "[embargo \"CVE-2026-1\"]\n\tuntil = "
			    "2026-09-01\n\talias = one\n"
			    "[embargo \"CVE-2026-2\"]\n"
			    "[embargo \"CVE 2026 3\"]\n\tuntil = 2026-01-01\n");
	char d[16];

	(void)state;
	assert_int_equal(emb_list_load_file(&list, a), 0);
	assert_int_equal(emb_list_load_file(&list, b), 0);
	/* one entry per canonical identifier; the longest embargo wins */
	assert_int_equal(list.n, 3);
	emb_time_format(d, sizeof(d), list.entries[0].until);
	assert_string_equal(d, "2026-09-01");
	assert_int_equal(list.entries[0].nalias, 1);
	assert_true(list.entries[1].until == EMB_TIME_NONE);
	emb_time_format(d, sizeof(d), list.entries[2].until);
	assert_string_equal(d, "2026-05-01");
	assert_int_equal(list.nfiles, 2);
	emb_list_release(&list);
	free(a);
	free(b);
}

static void test_sources(void **state)
{
	struct emb_list list = EMB_LIST_INIT;
	char *a = list_file("src-a", "[embargo \"A-1\"]\n");
	char *b = list_file("src-b", "[embargo \"B-1\"]\n");
	git_config *cfg = NULL;
	char *env, *cfgpath;

	(void)state;
	/* nothing configured: an error, never a silent pass */
	assert_int_equal(emb_list_load(&list, NULL, NULL, 0), EMB_ECONFIG);
	assert_string_equal(emb_error_last(),
			    "no embargo list: give --list FILE, set "
			    "GIT_EMBARGO_LIST, or set embargo.list in git "
			    "config");
	emb_list_release(&list);

	/* GIT_EMBARGO_LIST is colon-separated */
	if (asprintf(&env, "%s:%s", a, b) < 0)
		abort();
	setenv("GIT_EMBARGO_LIST", env, 1);
	assert_int_equal(emb_list_load(&list, NULL, NULL, 0), 0);
	assert_int_equal(list.n, 2);
	emb_list_release(&list);
	unsetenv("GIT_EMBARGO_LIST");
	free(env);

	/* embargo.list from git config, multi-valued, with ~ expanded */
	setenv("HOME", dir, 1);
	th_write(dir, "gitconfig",
		 "[embargo]\n\tlist = ~/src-a\n\tlist = ~/src-b\n");
	if (asprintf(&cfgpath, "%s/gitconfig", dir) < 0)
		abort();
	assert_int_equal(git_config_open_ondisk(&cfg, cfgpath), 0);
	assert_int_equal(emb_list_load(&list, cfg, NULL, 0), 0);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.entries[1].id, "B-1");
	emb_list_release(&list);
	git_config_free(cfg);
	free(cfgpath);
	free(a);
	free(b);
}

static void test_expiry(void **state)
{
	struct emb_list list;
	emb_time now;

	(void)state;
	assert_int_equal(
		load(&list,
		     "[embargo \"A-1\"]\n\tuntil = 2026-06-01\n"
		     "[embargo \"A-2\"]\n\tuntil = 2026-06-02\n"
		     "[embargo \"A-3\"]\n"
		     "[embargo \"A-4\"]\n\tuntil = 2026-06-01T14:00:00Z\n"
		     "[embargo \"A-5\"]\n\tuntil = 2026-06-01T16:00+02:00\n",
		     NULL),
		0);
	setenv("GIT_EMBARGO_NOW", "2026-06-01", 1);
	assert_int_equal(emb_time_now(&now), 0);
	emb_list_expire(&list, now);
	/* a date alone: lifted at the start of that day, UTC */
	assert_true(list.entries[0].expired);
	assert_false(list.entries[1].expired);
	assert_false(list.entries[2].expired);
	assert_false(list.entries[3].expired);
	assert_false(list.entries[4].expired);
	assert_int_equal(emb_list_active(&list), 4);

	/* a moment: embargoed until then, lifted from then on; an offset
	 * names the same moment as its UTC time */
	setenv("GIT_EMBARGO_NOW", "2026-06-01T13:59:59Z", 1);
	assert_int_equal(emb_time_now(&now), 0);
	emb_list_expire(&list, now);
	assert_false(list.entries[3].expired);
	assert_false(list.entries[4].expired);
	setenv("GIT_EMBARGO_NOW", "2026-06-01T16:00:00+02:00", 1);
	assert_int_equal(emb_time_now(&now), 0);
	emb_list_expire(&list, now);
	assert_true(list.entries[3].expired);
	assert_true(list.entries[4].expired);

	setenv("GIT_EMBARGO_NOW", "June 1st", 1);
	assert_int_equal(emb_time_now(&now), EMB_ECONFIG);
	assert_string_equal(emb_error_last(),
			    "bad GIT_EMBARGO_NOW 'June 1st': expected "
			    "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
	unsetenv("GIT_EMBARGO_NOW");
	emb_list_release(&list);
}

static void test_moments(void **state)
{
	char out[32];
	emb_time t;

	(void)state;
	assert_int_equal(emb_time_parse(&t, "2026-12-01"), 0);
	emb_time_format(out, sizeof(out), t);
	assert_string_equal(out, "2026-12-01");
	assert_int_equal(emb_time_parse(&t, "2026-12-01T14:00:00Z"), 0);
	emb_time_format(out, sizeof(out), t);
	assert_string_equal(out, "2026-12-01T14:00Z");
	assert_int_equal(emb_time_parse(&t, "2026-12-01 09:30:15-04:30"), 0);
	emb_time_format(out, sizeof(out), t);
	assert_string_equal(out, "2026-12-01T14:00:15Z");
	assert_int_equal(emb_time_parse(&t, "2026-12-01T00:30+01:00"), 0);
	emb_time_format(out, sizeof(out), t);
	assert_string_equal(out, "2026-11-30T23:30Z");
	assert_int_equal(emb_time_parse(&t, "2026-12-01T14:00:00.250Z"), 0);
	assert_int_equal(emb_time_parse(&t, "2026-12-01T14:00"), EMB_ERROR);
	assert_int_equal(emb_time_parse(&t, "2026-12-01T24:00Z"), EMB_ERROR);
	assert_int_equal(emb_time_parse(&t, "2026-12-01T14:00Zjunk"),
			 EMB_ERROR);
	assert_int_equal(emb_time_parse(&t, "2026-12-01T14:00+2"), EMB_ERROR);
}

#define assert_canon(id, expected)                                             \
	do {                                                                   \
		char c_[64];                                                   \
		assert_true(emb_id_canonical(c_, sizeof(c_), id, strlen(id))); \
		assert_string_equal(c_, expected);                             \
	} while (0)

static void test_canonical_and_hash(void **state)
{
	unsigned char h[EMB_HASH_LEN];
	char canon[64], hex[65];
	char *expected;

	(void)state;
	assert_true(
		emb_id_canonical(canon, sizeof(canon), "cve_2026.31337", 14));
	assert_string_equal(canon, "CVE-2026-31337");
	assert_true(emb_id_canonical(canon, sizeof(canon), "sec 1042", 8));
	assert_string_equal(canon, "SEC-1042");
	assert_false(emb_id_canonical(canon, sizeof(canon), "-SEC-1", 6));
	assert_false(emb_id_canonical(canon, sizeof(canon), "SEC-1-", 6));
	assert_false(emb_id_canonical(canon, sizeof(canon), "SEC/1", 5));

	/* a separator left out where the reading stays the same */
	assert_canon("CVE202631337", "CVE-2026-31337");
	assert_canon("cve2026_31337", "CVE-2026-31337");
	assert_canon("CVE-202631337", "CVE-2026-31337");
	assert_canon("CVE2026313370", "CVE-2026-313370");
	assert_canon("CVE-20263-1337", "CVE-20263-1337");
	assert_canon("CVE20263", "CVE-20263");
	assert_canon("SEC1042", "SEC-1042");
	assert_canon("sec_1042", "SEC-1042");
	assert_canon("ghsa4f5xabcd9xyz", "GHSA-4F5X-ABCD-9XYZ");
	assert_canon("GHSA-4f5xabcd-9xyz", "GHSA-4F5X-ABCD-9XYZ");
	assert_canon("GHSA-4f5-xabcd-9xyz", "GHSA-4F5-XABCD-9XYZ");
	assert_canon("1042B", "1042B");
	assert_canon("A1B2-SEC1", "A1B2-SEC-1");
	/* folded first: Unicode dashes, spaces, invisibles, full width */
	assert_canon("CVE\u20132026\u201431337", "CVE-2026-31337");
	assert_canon("SEC\u00a01042", "SEC-1042");
	assert_canon("S\u200bEC-10\u00ad42", "SEC-1042");
	assert_canon("\uff33\uff25\uff23\uff0d\uff11\uff10\uff14\uff12",
		     "SEC-1042");
	assert_false(emb_id_canonical(canon, sizeof(canon),
				      "SEC\u2026"
				      "1",
				      6));
	/* the output is bounded: one byte short of the separators is not ok */
	assert_false(emb_id_canonical(canon, 14, "CVE202631337", 12));
	assert_true(emb_id_canonical(canon, 15, "CVE202631337", 12));

	/* the hash is SHA-256 of the canonical form: check with coreutils */
	emb_id_hash(h, "CVE-2026-31337");
	emb_sha256_tohex(hex, h);
	expected = th_sh_out("/", NULL,
			     "printf %%s CVE-2026-31337 | "
			     "sha256sum | cut -c1-64 | tr -d '\\n'");
	assert_string_equal(hex, expected);
	free(expected);
}

int main(void)
{
	const struct CMUnitTest load_tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_lines_in_long_list),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_bad_pattern),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_merge_across_files),
		cmocka_unit_test(test_sources),
	};
	const struct CMUnitTest expire_tests[] = {
		cmocka_unit_test(test_expiry),
	};
	const struct CMUnitTest id_tests[] = {
		cmocka_unit_test(test_canonical_and_hash),
	};
	const struct CMUnitTest time_tests[] = {
		cmocka_unit_test(test_moments),
	};
	int failed = 0;

	git_libgit2_init();
	failed += cmocka_run_group_tests_name("emb_list_load", load_tests,
					      setup, teardown);
	failed += cmocka_run_group_tests_name("emb_list_expire", expire_tests,
					      setup, teardown);
	failed += cmocka_run_group_tests_name("emb_id_canonical", id_tests,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_time_parse", time_tests,
					      NULL, NULL);
	git_libgit2_shutdown();
	return failed;
}
