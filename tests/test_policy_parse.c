/*
 * test_policy_parse.c - the pure parts of the policy check: reading
 * Markdown, reStructuredText and AsciiDoc into a document, versions,
 * dates, remote URLs and the Scorecard score.  No repositories here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../src/policy/policy_int.h"

static void parse(struct pol_doc *d, const char *text, enum pol_format f)
{
	pol_doc_parse(d, text, strlen(text), f);
}

static const struct pol_link *link_to(const struct pol_doc *d, const char *url)
{
	size_t i;

	for (i = 0; i < d->nlinks; i++)
		if (!strcmp(d->links[i].url, url))
			return &d->links[i];
	return NULL;
}

static const struct pol_email *email(const struct pol_doc *d, const char *a)
{
	size_t i;

	for (i = 0; i < d->nemails; i++)
		if (!strcmp(d->emails[i].addr, a))
			return &d->emails[i];
	return NULL;
}

static const struct pol_meta *meta(const struct pol_doc *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->nmeta; i++)
		if (!strcmp(d->meta[i].key, key))
			return &d->meta[i];
	return NULL;
}

/* ---- Markdown ---- */

static void test_md_links(void **state)
{
	struct pol_doc d;
	const struct pol_link *l;

	(void)state;
	parse(&d,
	      "# Security\n\n"
	      "Mail security@acme.io or <team@acme.io>, see\n"
	      "[the policy](https://acme.io/policy) and https://acme.io/bare.\n"
	      "Code: `ops@acme.io`; [ref][r].\n\n"
	      "<!-- old: former@acme.io -->\n\n"
	      "[r]: https://acme.io/ref\n",
	      POL_MARKDOWN);
	assert_true(d.has_body);
	assert_non_null(email(&d, "security@acme.io"));
	assert_int_equal(email(&d, "security@acme.io")->line, 3);
	assert_non_null(email(&d, "team@acme.io"));
	assert_non_null(email(&d, "ops@acme.io"));
	assert_int_equal(email(&d, "ops@acme.io")->line, 5);
	assert_null(email(&d, "former@acme.io")); /* a comment is not shown */
	l = link_to(&d, "https://acme.io/policy");
	assert_non_null(l);
	assert_string_equal(l->text, "the policy");
	assert_false(l->bare);
	assert_int_equal(l->line, 4);
	l = link_to(&d, "https://acme.io/bare");
	assert_non_null(l);
	assert_true(l->bare);
	assert_int_equal(l->line, 4);
	l = link_to(&d, "https://acme.io/ref");
	assert_non_null(l);
	assert_string_equal(l->text, "ref");
	assert_int_equal(l->line, 5);
	pol_doc_release(&d);
}

static void test_md_tables(void **state)
{
	struct pol_doc d;
	const struct pol_table *t;

	(void)state;
	parse(&d,
	      "| Version | Supported |\n| --- | --- |\n"
	      "| 1.x | ✅ | extra |\n| 0.x |\n",
	      POL_MARKDOWN);
	assert_int_equal(d.ntables, 1);
	t = &d.tables[0];
	assert_int_equal(t->nrows, 3);
	assert_true(t->rows[0].header);
	assert_string_equal(t->rows[1].cells[0], "1.x");
	assert_string_equal(t->rows[1].cells[1], "✅");
	assert_int_equal(t->rows[1].ncells, 2); /* the extra cell is dropped */
	assert_int_equal(t->rows[2].ncells, 2); /* the missing one is empty */
	assert_string_equal(t->rows[2].cells[1], "");
	assert_int_equal(t->rows[2].line, 4);
	pol_doc_release(&d);
}

static void test_md_empty_and_meta(void **state)
{
	struct pol_doc d;

	(void)state;
	parse(&d, "# Security\n\n## Reporting\n\n<!-- todo -->\n",
	      POL_MARKDOWN);
	assert_false(d.has_body);
	pol_doc_release(&d);

	parse(&d,
	      "---\ntitle: Policy\nupdated: 2025-12-16 06:56 PST\n---\n\n"
	      "Report to a@acme.io.\n\n**Expires:** 2026-01-01\n\n"
	      "- Last reviewed on 2025-11-02\n",
	      POL_MARKDOWN);
	assert_non_null(meta(&d, "updated"));
	assert_int_equal(meta(&d, "updated")->line, 3);
	assert_non_null(meta(&d, "expires"));
	assert_string_equal(meta(&d, "expires")->value, "2026-01-01");
	assert_int_equal(meta(&d, "expires")->line, 8);
	assert_non_null(meta(&d, "last reviewed"));
	assert_string_equal(meta(&d, "last reviewed")->value, "2025-11-02");
	assert_int_equal(email(&d, "a@acme.io")->line, 6);
	pol_doc_release(&d);
}

/* ---- reStructuredText and AsciiDoc ---- */

static void test_rst(void **state)
{
	struct pol_doc d;
	const struct pol_table *t;

	(void)state;
	parse(&d,
	      "===============\nSecurity Policy\n===============\n\n"
	      "+---------+-----------+\n| Version | Supported |\n"
	      "+=========+===========+\n| 2.x     | Yes       |\n"
	      "+---------+-----------+\n| 1.x     | No        |\n"
	      "| (old)   |           |\n+---------+-----------+\n\n"
	      "Write to `the team <mailto:sec@acme.io>`_ or see\n"
	      "`docs <https://acme.io/docs>`_.\n\n"
	      ".. this comment names hidden@acme.io\n",
	      POL_RST);
	assert_true(d.has_body);
	assert_int_equal(d.ntables, 1);
	t = &d.tables[0];
	assert_int_equal(t->nrows, 3);
	assert_true(t->rows[0].header);
	assert_string_equal(t->rows[1].cells[0], "2.x");
	assert_string_equal(t->rows[2].cells[0], "1.x (old)");
	assert_string_equal(t->rows[2].cells[1], "No");
	assert_false(t->ragged);
	assert_non_null(email(&d, "sec@acme.io"));
	assert_int_equal(email(&d, "sec@acme.io")->line, 14);
	assert_string_equal(link_to(&d, "https://acme.io/docs")->text, "docs");
	assert_null(email(&d, "hidden@acme.io"));
	assert_string_equal(d.blocks[0].text, "Security Policy");
	assert_int_equal(d.blocks[0].kind, POL_BLK_HEADING);
	pol_doc_release(&d);

	/* a ragged grid row, and a border that never closes */
	parse(&d, "+-----+-----+\n| 1.x | yes |\n| 2.x |\n", POL_RST);
	assert_int_equal(d.ntables, 1);
	assert_true(d.tables[0].ragged);
	assert_string_equal(d.tables[0].rows[0].cells[0], "1.x 2.x");
	pol_doc_release(&d);
}

static void test_adoc(void **state)
{
	struct pol_doc d;

	(void)state;
	parse(&d,
	      "= Security\n\n|===\n|Version |Supported\n\n|1.x |yes\n"
	      "|0.x\n|no\n|===\n\n"
	      "Mail mailto:sec@acme.io[the team] or use "
	      "https://acme.io/form[the form].\n",
	      POL_ASCIIDOC);
	assert_int_equal(d.ntables, 1);
	assert_int_equal(d.tables[0].nrows, 3);
	assert_true(d.tables[0].rows[0].header);
	assert_string_equal(d.tables[0].rows[2].cells[0], "0.x");
	assert_string_equal(d.tables[0].rows[2].cells[1], "no");
	assert_non_null(email(&d, "sec@acme.io"));
	assert_string_equal(link_to(&d, "https://acme.io/form")->text,
			    "the form");
	pol_doc_release(&d);
}

/* ---- versions, dates, URLs ---- */

static void test_versions(void **state)
{
	struct pol_version a, b;

	(void)state;
	assert_true(pol_version_parse(&a, "v1.2.3"));
	assert_int_equal(a.n, 3);
	assert_int_equal(a.v[1], 2);
	assert_false(a.pre);
	assert_true(pol_version_parse(&a, "release-2.0.1"));
	assert_int_equal(a.v[0], 2);
	assert_true(pol_version_parse(&a, "pkg@1.4.0"));
	assert_true(pol_version_parse(&a, "v3"));
	assert_false(pol_version_parse(&a, "3"));
	assert_false(pol_version_parse(&a, "nightly"));
	assert_false(pol_version_parse(&a, "foo2"));
	assert_false(pol_version_parse(&a, "2024-01-01"));
	assert_true(pol_version_parse(&a, "8.0-m01"));
	assert_true(a.pre);
	assert_true(pol_version_parse(&a, "v2.0.0-rc1"));
	assert_true(a.pre);
	assert_true(pol_version_parse(&a, "1.0.0-beta.2"));
	assert_true(a.pre);
	assert_true(pol_version_parse(&a, "1.2.3+build.5"));
	assert_false(a.pre);
	assert_true(pol_version_parse(&a, "1.2.3-final"));
	assert_false(a.pre);

	/* by number, not by text */
	pol_version_parse(&a, "v1.10.0");
	pol_version_parse(&b, "v1.9.2");
	assert_true(pol_version_cmp(&a, &b) > 0);
	pol_version_parse(&a, "1.2");
	pol_version_parse(&b, "1.2.0");
	assert_int_equal(pol_version_cmp(&a, &b), 0);
	pol_version_parse(&a, "2.0.0-rc1");
	pol_version_parse(&b, "2.0.0");
	assert_true(pol_version_cmp(&a, &b) < 0);
}

static void test_dates(void **state)
{
	emb_date d;
	char s[16];
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "2024-05-01", "2024-05-01" },
		{ "2024-05-01T10:00:00.000Z", "2024-05-01" },
		{ "**2024/05/01**", "2024-05-01" },
		{ "May 1, 2024", "2024-05-01" },
		{ "March 3rd, 2024", "2024-03-03" },
		{ "1 May 2024", "2024-05-01" },
		{ "September 2023", "2023-09-01" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = pol_parse_date(cases[i].in);
		assert_int_not_equal(d, EMB_DATE_NONE);
		emb_date_format(s, sizeof(s), d);
		assert_string_equal(s, cases[i].out);
	}
	assert_int_equal(pol_parse_date("[Date]"), EMB_DATE_NONE);
	assert_int_equal(pol_parse_date("sometime"), EMB_DATE_NONE);
	assert_int_equal(pol_parse_date("2024-02-30"), EMB_DATE_NONE);
	assert_int_equal(pol_parse_date("Mayday"), EMB_DATE_NONE);
}

static void test_repo_id(void **state)
{
	static const struct {
		const char *url, *id;
	} cases[] = {
		{ "https://github.com/Acme/Widget.git",
		  "github.com/acme/widget" },
		{ "git@github.com:acme/widget.git", "github.com/acme/widget" },
		{ "ssh://git@gitlab.com:22/acme/widget",
		  "gitlab.com/acme/widget" },
		{ "https://user@github.com/acme/widget/",
		  "github.com/acme/widget" },
		{ "github.com:acme/widget", "github.com/acme/widget" },
		{ "persistent-https::https://github.com/acme/widget",
		  "github.com/acme/widget" },
		{ "ssh://git@[::1]:2222/acme/widget", "[::1]/acme/widget" },
		/* ssh's user ends at the last '@' */
		{ "x@gitlab.com@github.com:acme/widget",
		  "github.com/acme/widget" },
	};
	size_t i;
	char *id;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		id = pol_repo_id(cases[i].url);
		assert_non_null(id);
		assert_string_equal(id, cases[i].id);
		free(id);
	}
	assert_null(pol_repo_id("/srv/git/widget"));
	assert_null(pol_repo_id("https://github.com/"));
	assert_null(pol_repo_id("file:///srv/acme/widget"));
	assert_null(pol_repo_id("./acme:x/widget"));
}

/* ---- Scorecard ---- */

static void test_scorecard(void **state)
{
	static const struct {
		const char *text;
		int score;
	} cases[] = {
		{ "", 0 },
		{ "x", 0 },
		/* text beyond links: 3; hints need two */
		{ "Nothing to see here.", 3 },
		{ "Vulnerabilities: see the docs.", 3 },
		{ "Vulnerabilities are disclosed.", 4 },
		/* a link alone is not text beyond the link */
		{ "https://acme.io/x", 6 },
		{ "Mail a@acme.io", 9 },
		{ "a@acme.io", 6 },
		/* the same address twice is counted once as linked text */
		{ "a@acme.io a@acme.io", 9 },
		{ "Report vulnerabilities to a@acme.io within 90 days.", 10 },
		/* five digits are no hint, four are */
		{ "Mail a@acme.io, ticket 12345.", 9 },
		{ "Mail a@acme.io, ticket 1234 or 5678.", 10 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = pol_scorecard(cases[i].text, strlen(cases[i].text));

		if (got != cases[i].score)
			fail_msg("'%s': %d, expected %d", cases[i].text, got,
				 cases[i].score);
	}
}

int main(void)
{
	const struct CMUnitTest doc[] = {
		cmocka_unit_test(test_md_links),
		cmocka_unit_test(test_md_tables),
		cmocka_unit_test(test_md_empty_and_meta),
		cmocka_unit_test(test_rst),
		cmocka_unit_test(test_adoc),
	};
	const struct CMUnitTest values[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_repo_id),
		cmocka_unit_test(test_scorecard),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("pol_doc_parse", doc, NULL, NULL);
	failed += cmocka_run_group_tests_name("policy values", values, NULL,
					      NULL);
	return failed ? 1 : 0;
}
