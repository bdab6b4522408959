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
#include "embargo/fold.h"
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

#define assert_ids(text, expected)                                             \
	do {                                                                   \
		char *got_ = ids(text);                                        \
		assert_string_equal(got_, expected);                           \
		free(got_);                                                    \
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
	/* a letter of the same case is no boundary; a camelCase hump is */
	assert_ids("XCVE-2026-31337", "");
	assert_ids("xCVE-2026-31337", "CVE-2026-31337@1");
	assert_ids("CVE-2026-31337a", "");
	assert_ids("SEC-10420 SEC-104 ASEC-1042", "");
	assert_ids("(CVE-2026-31337)", "CVE-2026-31337@1");
	assert_ids("CVE-2026-31337-1", "CVE-2026-31337@0");
	assert_ids("fix/CVE-2026-31337", "CVE-2026-31337@4");
	assert_ids("a CVE-2026-313370 then CVE-2026-31337",
		   "CVE-2026-31337@23");
}

/* Match text; return "id@start-end" of each hit, joined by spaces. */
static char *spans(const char *text)
{
	struct emb_buf out = EMB_BUF_INIT;
	size_t i;

	assert_int_equal(emb_match(fx.ctx, text, strlen(text), &fx.hits), 0);
	for (i = 0; i < fx.hits.n; i++)
		emb_buf_printf(&out, "%s%s@%zu-%zu", i ? " " : "",
			       fx.hits.v[i].entry->id, fx.hits.v[i].start,
			       fx.hits.v[i].end);
	return emb_buf_detach(&out);
}

#define assert_spans(text, expected)                                           \
	do {                                                                   \
		char *got_ = spans(text);                                      \
		assert_string_equal(got_, expected);                           \
		free(got_);                                                    \
	} while (0)

static void test_unicode_spellings(void **state)
{
	(void)state;
	/* dashes: en, em, U+2010, U+2011, figure dash, minus, small */
	assert_spans("CVE\u20132026\u201331337", "CVE-2026-31337@0-18");
	assert_spans("x CVE\u20142026\u201431337 y", "CVE-2026-31337@2-20");
	assert_ids("CVE\u20102026\u201131337 SEC\u20121042",
		   "CVE-2026-31337@0 SEC-1042@19");
	assert_ids("SEC\u22121042 SEC\ufe581042 SEC\ufe631042 SEC\uff0d1042",
		   "SEC-1042@0 SEC-1042@11 SEC-1042@22 SEC-1042@33");
	/* soft hyphen and zero-width characters inside, removed */
	assert_spans("CVE-20\u00ad26-31337", "CVE-2026-31337@0-16");
	assert_spans("CVE-2026-313\u200b37.", "CVE-2026-31337@0-17");
	assert_ids("S\u200cEC-10\u200d42 SEC\u2060-1042 \ufeffSEC-1042",
		   "SEC-1042@0 SEC-1042@15 SEC-1042@30");
	/* no-break and other Unicode spaces as a separator */
	assert_ids("CVE\u00a02026\u00a031337", "CVE-2026-31337@0");
	assert_ids("SEC\u20091042 SEC\u202f1042 SEC\u30001042",
		   "SEC-1042@0 SEC-1042@11 SEC-1042@22");
	/* full-width letters and digits, and a full-width dash */
	assert_spans("\uff23\uff36\uff25\uff0d\uff12\uff10\uff12\uff16"
		     "\uff0d\uff13\uff11\uff13\uff13\uff17 fix",
		     "CVE-2026-31337@0-42");
	/* mathematical bold letters and digits, circled letters */
	assert_ids("\U0001d412\U0001d404\U0001d402-\U0001d7cf\U0001d7ce"
		   "\U0001d7d2\U0001d7d0",
		   "SEC-1042@0");
	assert_ids("\u24c8\u24ba\u24b8-1042", "SEC-1042@0");
	/* the hit is reported in the original text, after what was folded */
	assert_spans("\u2014\u00a0SEC-1042\u00a0\u2014", "SEC-1042@5-13");
	/* not UTF-8, or an overlong dash: bytes, never folded */
	assert_ids("SEC\xe2\x80-1042 SEC\xe0\x82\x90"
		   "1042",
		   "");
	/* Cyrillic and Greek look-alikes in a word that reads as Latin */
	assert_ids("\u0421VE-2026-31337 \u0405\u0415\u0421-1042",
		   "CVE-2026-31337@0 SEC-1042@16");
	assert_ids("\u0405\u0415\u0421\u20131042 \u0395\u0421-1", "SEC-1042@0");
	/* a near miss stays one after folding */
	assert_ids("CVE\u20132026\u2013313370 SEC\uff0d10420", "");
}

static char *folded(const char *text)
{
	struct emb_fold f = EMB_FOLD_INIT;
	char *out;

	if (!emb_fold(&f, text, strlen(text)))
		return strdup(text);
	out = strdup(f.text);
	emb_fold_release(&f);
	return out;
}

#define assert_folded(text, expected)                                          \
	do {                                                                   \
		char *got_ = folded(text);                                     \
		assert_string_equal(got_, expected);                           \
		free(got_);                                                    \
	} while (0)

static void test_fold(void **state)
{
	(void)state;
	assert_folded("plain ASCII", "plain ASCII");
	assert_folded("caf\u00e9 \u2014 na\u00efve", "caf\u00e9 - na\u00efve");
	/* Russian and Greek words are not touched ... */
	assert_folded("\u041f\u0440\u0438\u0432\u0435\u0442 "
		      "\u0421\u0415\u0422\u042c, \u039f\u039a",
		      "\u041f\u0440\u0438\u0432\u0435\u0442 "
		      "\u0421\u0415\u0422\u042c, \u039f\u039a");
	/* ... but look-alikes are, next to ASCII or before a number */
	assert_folded("\u0421VE x\u0430y \u0405\u0415\u0421-1042 "
		      "\u0405\u0415\u0421 1",
		      "CVE xay SEC-1042 SEC 1");
	assert_folded("\u0421\u0415\u0422\u042c-1", "C"
						    "ET\u042c-1");
	/* invalid UTF-8 passes as bytes */
	assert_folded("\xd0\xa1VE \xd0", "CVE \xd0");
	assert_folded("\xd0VE", "\xd0VE");
}

static void test_no_separator(void **state)
{
	(void)state;
	assert_ids("CVE202631337", "CVE-2026-31337@0");
	assert_ids("cve2026-31337 CVE-202631337",
		   "CVE-2026-31337@0 CVE-2026-31337@14");
	assert_ids("SEC1042 sec1042", "SEC-1042@0 SEC-1042@8");
	assert_ids("GHSA4f5xabcd9xyz ghsa-4f5xabcd9xyz",
		   "GHSA-4f5x-abcd-9xyz@0 GHSA-4f5x-abcd-9xyz@17");
	/* a digit more is another identifier */
	assert_ids("CVE2026313370 CVE20263133 SEC10420 SEC104", "");
	/* a CVE id has a 4-digit year: no other reading is taken */
	assert_ids("CVE-20263-1337", "");
}

static void test_program_names(void **state)
{
	(void)state;
	assert_ids("TestCVE_2026_31337", "CVE-2026-31337@4");
	assert_ids("test_sec_1042_overflow", "SEC-1042@5");
	assert_ids("testSec1042Overflow", "SEC-1042@4");
	assert_ids("CVE_2026_31337Test", "CVE-2026-31337@0");
	assert_ids("TestCve202631337Regression", "CVE-2026-31337@4");
	assert_ids("test_CVE_2026_31337()", "CVE-2026-31337@5");
	/* near misses: no hump, or a digit or lower-case letter after */
	assert_ids("testsec1042 TESTSEC1042 XSEC1042 ASEC-1042", "");
	assert_ids("testSec10420 testSec1042overflow CVE_2026_31337test", "");
	assert_ids("CVE_2026_313370Test testCve2026313370", "");
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
	/* folded like any text: a no-break space, full-width letters */
	assert_spans("a Bleeding\u00a0Heart", "CVE-2026-31337@2-17");
	assert_ids("\uff22leeding \uff28eart", "CVE-2026-31337@0");
}

static void test_many_aliases(void **state)
{
	struct emb_buf list = EMB_BUF_INIT, text = EMB_BUF_INIT;
	emb_date today;
	size_t i;

	(void)state;
	drop();
	for (i = 0; i < 1500; i++)
		emb_buf_printf(&list,
			       "[embargo \"SEC-%zu\"]\n"
			       "\talias = project %zu overflow\n"
			       "\talias = @tag%zu\n",
			       i + 1, i, i);
	/* an alias written with full-width letters is folded too */
	emb_buf_puts(&list, "[embargo \"SEC-9999\"]\n"
			    "\talias = \uff33ilent \uff33tar\n");
	emb_date_parse(&today, "2026-06-01");
	build(list.ptr, today);
	assert_ids("the Project 1499 Overflow, project 14 overflowing, "
		   "@tag7 and silent star",
		   "SEC-1500@4 SEC-8@51 SEC-9999@61");
	/* one word scan, whatever the length of the text */
	for (i = 0; i < 20000; i++)
		emb_buf_puts(&text, "a project of 12 words overflow ");
	assert_int_equal(emb_match(fx.ctx, text.ptr, text.size, &fx.hits), 0);
	assert_int_equal(fx.hits.n, 0);
	emb_buf_release(&list);
	emb_buf_release(&text);
}

/*
 * An alias is written the ways names are: with a separator or none
 * between its words, and inside camelCase names; never inside a longer
 * word of the same case.
 */
static void test_alias_spellings(void **state)
{
	emb_date today;

	(void)state;
	drop();
	emb_date_parse(&today, "2026-06-01");
	build("[embargo \"SEC-7\"]\n"
	      "\talias = Silent Star\n"
	      "[embargo \"SEC-8\"]\n"
	      "\talias = Quietbleed\n",
	      today);
	assert_ids("branch silent-star", "SEC-7@7");
	assert_ids("silent_star.c", "SEC-7@0");
	assert_ids("docs/silent/star.md", "SEC-7@5");
	assert_ids("docs/silent.star.md", "SEC-7@5");
	assert_ids("SilentStar", "SEC-7@0");
	assert_ids("silentstar", "SEC-7@0");
	assert_ids("testSilentStarOverflow", "SEC-7@4");
	assert_ids("SILENT - STAR", "SEC-7@0");
	assert_ids("QuietbleedTest testQuietbleed", "SEC-8@0 SEC-8@19");
	/* near misses: a longer word, no case change, other words */
	assert_ids("silentstars unsilent star silentstarfish", "");
	assert_ids("testsilentstar QuietbleedingTest Quietbleeds", "");
	assert_ids("silent, star silent+star", "");
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
	hex = th_sh_out("/", NULL,
			"printf %%s CVE-2026-4242 | sha256sum | "
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
	/* hashed entries get every spelling plain ones get */
	{
		char *expected;

		if (asprintf(&expected,
			     "sha256:%s@0 sha256:%s@18 "
			     "sha256:%s@34",
			     hex, hex, hex) < 0)
			abort();
		assert_ids("CVE\u2013"
			   "2026\u2013"
			   "4242 CVE20264242 "
			   "TestCVE_2026_4242",
			   expected);
		free(expected);
	}
	assert_ids("OPS7 testOps7Fix ops70", "OPS-7@0 OPS-7@9");
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

static void test_many_patterns(void **state)
{
	struct emb_buf list = EMB_BUF_INIT;
	emb_date today;
	size_t i;

	(void)state;
	drop();
	for (i = 0; i < 600; i++)
		emb_buf_printf(&list,
			       "[embargo \"SEC-%zu\"]\n"
			       "\tpattern = proj%zu[-_ ]?(bug|flaw)\n",
			       i + 1, i);
	/* alone: a back reference, a verb, extended mode with a comment */
	emb_buf_puts(&list, "[embargo \"SEC-9001\"]\n"
			    "\tpattern = (zz)top\\\\1\n"
			    "[embargo \"SEC-9002\"]\n"
			    "\tpattern = (*COMMIT)ab|abc\n"
			    "[embargo \"SEC-9003\"]\n"
			    "\tpattern = \"(?x) q u u x  # a comment\"\n"
			    /* two patterns of one chunk on the same text */
			    "[embargo \"SEC-9004\"]\n"
			    "\tpattern = proj7[-_ ]?bug\n");
	emb_date_parse(&today, "2026-06-01");
	build(list.ptr, today);
	assert_ids("see proj599 flaw, Proj7Bug and proj42_bugs",
		   "SEC-600@4 SEC-8@18 SEC-9004@18 SEC-43@31");
	assert_ids("zztopzz quux abc", "SEC-9001@0 SEC-9003@8 SEC-9002@13");
	assert_ids("proj600 bug", "");
	emb_buf_release(&list);
}

static void build_with(const char *text, const char *const *idp, size_t n)
{
	char *path;
	emb_date today;

	emb_date_parse(&today, "2026-06-01");
	th_write(fx.dir, "list", text);
	if (asprintf(&path, "%s/list", fx.dir) < 0)
		abort();
	memset(&fx.list, 0, sizeof(fx.list));
	assert_int_equal(emb_list_load_file(&fx.list, path), 0);
	emb_list_expire(&fx.list, today);
	free(path);
	assert_int_equal(emb_matcher_new(&fx.m, &fx.list, idp, n), 0);
	assert_int_equal(emb_match_ctx_new(&fx.ctx, fx.m), 0);
}

static void test_id_patterns(void **state)
{
	const char *const inc[] = { "[0-9]{4}-[0-9]{4}" };
	const char *const only[] = { "[0-9]{4}-[0-9]{4}", "",
				     "[0-9]{4}-[0-9]{4}" };
	const char *const none[] = { "" };
	unsigned char h[EMB_HASH_LEN];
	char hex[2 * EMB_HASH_LEN + 1], *list, *expected;
	struct emb_list l = EMB_LIST_INIT;

	(void)state;
	drop();
	/* a shape is added: the built-in ones still find CVE ids */
	assert_int_equal(emb_match_hash_id(h, "1234-5678", inc, 1), 0);
	emb_sha256_tohex(hex, h);
	if (asprintf(&list,
		     "[embargo \"sha256:%s\"]\n"
		     "[embargo \"sha256:"
		     "8b8cc1bc5e6a5a8e9c5e1b1a9c53b8b4f0c4a5e0f7c3e0d4"
		     "a1b2c3d4e5f60718\"]\n",
		     hex) < 0 ||
	    asprintf(&expected, "sha256:%s@4", hex) < 0)
		abort();
	build_with(list, inc, 1);
	assert_ids("see 1234-5678", expected);
	drop();
	/* an empty value drops the shapes before it, the built-in ones too */
	build_with(list, only, 3);
	assert_ids("see 1234-5678", expected);
	drop();
	th_write(fx.dir, "list", list);
	free(list);
	if (asprintf(&list, "%s/list", fx.dir) < 0)
		abort();
	assert_int_equal(emb_list_load_file(&l, list), 0);
	assert_int_equal(emb_matcher_new(&fx.m, &l, none, 1), EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "embargo.idPattern"));
	emb_list_release(&l);
	free(list);
	free(expected);
	/* the fixture's teardown frees what build() made */
	build("[embargo \"SEC-1\"]\n", 0);
}

static void test_hash_id(void **state)
{
	const char *const inc[] = { "[0-9]{4}-[0-9]{4}" };
	unsigned char h[EMB_HASH_LEN], h2[EMB_HASH_LEN];
	char hex[2 * EMB_HASH_LEN + 1];

	(void)state;
	assert_int_equal(emb_match_hash_id(h, "CVE-2026-31337", NULL, 0), 0);
	emb_sha256_tohex(hex, h);
	/* printf %s CVE-2026-31337 | sha256sum */
	assert_int_equal(emb_match_hash_id(h2, "cve 2026 31337", NULL, 0), 0);
	assert_memory_equal(h, h2, EMB_HASH_LEN);
	assert_int_equal(emb_match_hash_id(h2,
					   "CVE\u2013"
					   "2026\u2013"
					   "31337",
					   NULL, 0),
			 0);
	assert_memory_equal(h, h2, EMB_HASH_LEN);
	assert_int_equal(emb_match_hash_id(h, "GHSA-4f5x-abcd-9xyz", NULL, 0),
			 0);
	assert_int_equal(emb_match_hash_id(h, "SEC-1042", NULL, 0), 0);
	/* a tracker id without separator is found by the built-in shapes */
	assert_int_equal(emb_match_hash_id(h, "INC0012345", NULL, 0), 0);
	/* no shape finds these in text: refused, without quoting them */
	assert_int_equal(emb_match_hash_id(h, "X-1", NULL, 0), EMB_ECONFIG);
	assert_int_equal(emb_match_hash_id(h, "PROJ-ALPHA", NULL, 0),
			 EMB_ECONFIG);
	assert_int_equal(emb_match_hash_id(h, "1234-5678", NULL, 0),
			 EMB_ECONFIG);
	assert_null(strstr(emb_error_last(), "1234"));
	assert_non_null(strstr(emb_error_last(), "embargo.idPattern"));
	assert_int_equal(emb_match_hash_id(h, "1234-5678", inc, 1), 0);
	assert_int_equal(emb_match_hash_id(h, "SEC/1042", NULL, 0),
			 EMB_ECONFIG);
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
		cmocka_unit_test(test_unicode_spellings),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_no_separator),
		cmocka_unit_test(test_program_names),
		cmocka_unit_test(test_hash_id),
		cmocka_unit_test(test_aliases_and_patterns),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_not_utf8),
	};
	const struct CMUnitTest rebuild[] = {
		cmocka_unit_test_setup_teardown(test_hashed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_entries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_aliases, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_alias_spellings, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_patterns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_id_patterns, setup,
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
