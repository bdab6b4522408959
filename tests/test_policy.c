/*
 * test_policy.c - emb_policy_check() on real repositories made with the
 * git binary: where the file is, what it says, whether it is current,
 * its versions table against tags, drift from a template, and bad
 * input.  The seeds and the corpus of real files are read, as they
 * are, from tests/data/ (see its README for where each came from).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "embargo/buf.h"
#include "embargo/date.h"
#include "embargo/error.h"
#include "embargo/policy.h"
#include "embargo/report.h"

static char *tmp; /* this run's scratch folder */
static int repo_count;

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct emb_buf b = EMB_BUF_INIT;
	char chunk[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		emb_buf_put(&b, chunk, n);
	fclose(f);
	if (len)
		*len = b.size;
	return emb_buf_detach(&b);
}

static char *new_repo(void)
{
	char name[32];

	snprintf(name, sizeof(name), "r%d", ++repo_count);
	return th_repo(tmp, name, false);
}

/* Copy a file of tests/data into the repository as `name`. */
static void put_data(const char *repo, const char *rel, const char *name)
{
	char *src = th_data_path(rel), *text = slurp(src, NULL);

	th_write(repo, name, text);
	free(text);
	free(src);
}

/* Commit everything with a committer date (YYYY-MM-DD). */
static void commit_on(const char *repo, const char *date, const char *msg)
{
	assert_int_equal(th_sh(repo,
			       "git add -A && GIT_COMMITTER_DATE=%sT12:00:00Z "
			       "GIT_AUTHOR_DATE=%sT12:00:00Z git commit -q "
			       "--allow-empty -m '%s'",
			       date, date, msg),
			 0);
}

static void tag_on(const char *repo, const char *tag, const char *date)
{
	assert_int_equal(th_sh(repo,
			       "GIT_COMMITTER_DATE=%sT12:00:00Z git "
			       "commit -q --allow-empty -m 'release %s' && "
			       "git tag %s",
			       date, tag, tag),
			 0);
}

static emb_date day(const char *s)
{
	emb_date d;

	assert_int_equal(emb_date_parse(&d, s), 0);
	return d;
}

static struct emb_policy_result *check_opts(const char *path,
					    struct emb_policy_opts *o)
{
	git_repository *repo = NULL;
	struct emb_policy_result *r = NULL;

	assert_int_equal(git_repository_open(&repo, path), 0);
	if (o->today == EMB_DATE_NONE)
		o->today = day("2026-06-01");
	assert_int_equal(emb_policy_check(&r, repo, o), 0);
	git_repository_free(repo);
	assert_non_null(r);
	return r;
}

static struct emb_policy_result *check(const char *path)
{
	struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;

	return check_opts(path, &o);
}

static size_t count(const struct emb_policy_result *r, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < r->nproblems; i++)
		n += !strcmp(r->problems[i].rule, rule);
	return n;
}

static const struct emb_policy_problem *find(const struct emb_policy_result *r,
					     const char *rule)
{
	size_t i;

	for (i = 0; i < r->nproblems; i++)
		if (!strcmp(r->problems[i].rule, rule))
			return &r->problems[i];
	return NULL;
}

static void dump(const struct emb_policy_result *r)
{
	emb_policy_print(stderr, r, false, false, "    | ");
}

/* Exactly these rules at warning or error, in any order, nothing else. */
static void expect_rules(const struct emb_policy_result *r, ...)
{
	const char *want[16];
	size_t nwant = 0, i, k;
	va_list ap;
	const char *s;
	bool ok = true;

	va_start(ap, r);
	while ((s = va_arg(ap, const char *)) != NULL && nwant < 16)
		want[nwant++] = s;
	va_end(ap);
	for (i = 0; i < r->nproblems; i++) {
		if (r->problems[i].severity == EMB_SEV_INFO)
			continue;
		for (k = 0; k < nwant; k++)
			if (!strcmp(want[k], r->problems[i].rule))
				break;
		if (k == nwant)
			ok = false;
	}
	for (k = 0; k < nwant; k++)
		if (!count(r, want[k]))
			ok = false;
	if (!ok) {
		fprintf(stderr, "    expected:");
		for (k = 0; k < nwant; k++)
			fprintf(stderr, " %s", want[k]);
		fprintf(stderr, "\n");
		dump(r);
	}
	assert_true(ok);
}

/* A repository holding one file of tests/data as `name`, committed. */
static char *repo_with(const char *rel, const char *name)
{
	char *repo = new_repo();

	put_data(repo, rel, name);
	commit_on(repo, "2026-01-01", "add policy");
	return repo;
}

#define CORPUS "corpus/security-md/"

static int setup(void **state)
{
	(void)state;
	return 0;
}

/* ---- where the file is ---- */

static void test_missing(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;
	json_t *j;

	(void)state;
	th_write(repo, "README.md", "# hello\n");
	commit_on(repo, "2026-01-01", "init");
	r = check(repo);
	expect_rules(r, "missing", NULL);
	assert_null(r->path);
	assert_string_equal(emb_policy_status(r, false), "error");
	j = emb_policy_to_json(r, false);
	assert_true(json_is_null(json_object_get(j, "path")));
	assert_string_equal(json_string_value(json_object_get(j, "status")),
			    "error");
	json_decref(j);
	emb_policy_result_free(r);
	free(repo);
}

static void test_empty(void **state)
{
	static const char *const bodies[] = {
		"", "x", "\n\n   \n", "# Security Policy\n\n## Reporting\n"
	};
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		char *repo = new_repo();
		struct emb_policy_result *r;

		th_write(repo, "SECURITY.md", bodies[i]);
		commit_on(repo, "2026-01-01", "empty");
		r = check(repo);
		expect_rules(r, "empty", NULL);
		assert_string_equal(r->path, "SECURITY.md");
		emb_policy_result_free(r);
		free(repo);
	}
}

static const char good[] =
	"# Security Policy\n\n"
	"Please report vulnerabilities to security@acme.io; we answer within "
	"3 days and disclose after a fix.\n";

static void test_locations(void **state)
{
	static const char *const places[] = {
		".github/SECURITY.md", "docs/SECURITY.md", "SECURITY.markdown",
		"docs/SECURITY.rst", ".github/SECURITY.adoc"
	};
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		char *repo = new_repo();
		struct emb_policy_result *r;

		th_write(repo, places[i], good);
		commit_on(repo, "2026-01-01", "policy");
		r = check(repo);
		expect_rules(r, NULL);
		assert_string_equal(r->path, places[i]);
		emb_policy_result_free(r);
		free(repo);
	}
	/* anywhere else is not recognised */
	{
		char *repo = new_repo();
		struct emb_policy_result *r;

		th_write(repo, "src/SECURITY.md", good);
		th_write(repo, "SECURITY.txt", good);
		commit_on(repo, "2026-01-01", "policy");
		r = check(repo);
		expect_rules(r, "missing", NULL);
		emb_policy_result_free(r);
		free(repo);
	}
}

static void test_several_and_case(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;

	(void)state;
	th_write(repo, "docs/SECURITY.md", good);
	th_write(repo, ".github/SECURITY.md",
		 "# Old\n\nWrite to old@acme.io.\n");
	th_write(repo, "security.md", good);
	commit_on(repo, "2026-01-01", "three");
	r = check(repo);
	expect_rules(r, "several", "name-case", NULL);
	assert_string_equal(r->path, "security.md");
	p = find(r, "several");
	assert_non_null(strstr(p->message, "'security.md' is used"));
	assert_non_null(strstr(p->message, "'.github/SECURITY.md'"));
	assert_non_null(strstr(p->message, "'docs/SECURITY.md'"));
	assert_non_null(strstr(find(r, "name-case")->message, "'SECURITY.md'"));
	emb_policy_result_free(r);

	/* the exact name wins over another case in the same folder */
	th_sh(repo, "git rm -q --cached security.md && rm security.md && "
		    "git rm -q -r --cached docs .github && rm -r docs .github");
	th_write(repo, "Security.md", good);
	th_write(repo, "SECURITY.md", good);
	commit_on(repo, "2026-01-02", "two cases");
	r = check(repo);
	if (!count(r, "several")) /* on a case-insensitive file system */
		skip();
	assert_string_equal(r->path, "SECURITY.md");
	assert_int_equal(count(r, "name-case"), 0);
	emb_policy_result_free(r);
	free(repo);
}

static void test_symlink_and_submodule(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;

	(void)state;
	th_write(repo, "docs/policy.md", good);
	assert_int_equal(th_sh(repo, "ln -s docs/policy.md SECURITY.md"), 0);
	commit_on(repo, "2026-01-01", "link");
	r = check(repo);
	expect_rules(r, "not-a-file", NULL);
	p = find(r, "not-a-file");
	assert_non_null(
		strstr(p->message, "symbolic link to 'docs/policy.md'"));
	assert_null(r->path); /* the link is not followed */
	emb_policy_result_free(r);

	/* a real file elsewhere is used, the link still reported */
	th_write(repo, ".github/SECURITY.md", good);
	commit_on(repo, "2026-01-02", "file");
	r = check(repo);
	expect_rules(r, "not-a-file", NULL);
	assert_string_equal(r->path, ".github/SECURITY.md");
	emb_policy_result_free(r);
	free(repo);

	/* a gitlink (submodule entry) named SECURITY.md */
	repo = new_repo();
	th_write(repo, "README.md", "x\n");
	commit_on(repo, "2026-01-01", "init");
	assert_int_equal(th_sh(repo,
			       "git update-index --add --cacheinfo "
			       "160000,$(git rev-parse HEAD),SECURITY.md && "
			       "git commit -q -m submodule"),
			 0);
	r = check(repo);
	expect_rules(r, "not-a-file", NULL);
	assert_non_null(strstr(find(r, "not-a-file")->message, "submodule"));
	emb_policy_result_free(r);
	free(repo);
}

static void test_bad_content(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;
	FILE *f;
	char *path;
	size_t i;

	(void)state;
	/* binary */
	assert_int_equal(asprintf(&path, "%s/SECURITY.md", repo),
			 3 + (int)strlen(repo) + 9);
	f = fopen(path, "wb");
	fwrite("# Sec\0\1\2\3report to a@acme.io\n", 1, 29, f);
	fclose(f);
	commit_on(repo, "2026-01-01", "binary");
	r = check(repo);
	expect_rules(r, "binary", NULL);
	emb_policy_result_free(r);

	/* UTF-16 */
	f = fopen(path, "wb");
	fwrite("\xff\xfe#\0 \0S\0e\0c\0\n\0", 1, 14, f);
	fclose(f);
	commit_on(repo, "2026-01-02", "utf-16");
	r = check(repo);
	expect_rules(r, "binary", NULL);
	assert_non_null(strstr(find(r, "binary")->message, "UTF-16"));
	emb_policy_result_free(r);

	/* invalid UTF-8 on line 3: a warning, and the rest is still read */
	th_write(repo, "SECURITY.md",
		 "# Security\n\nReport to security@acme.io \xc3\x28 now.\n");
	commit_on(repo, "2026-01-03", "latin-1");
	r = check(repo);
	expect_rules(r, "encoding", NULL);
	assert_int_equal(find(r, "encoding")->line, 3);
	emb_policy_result_free(r);

	/* huge: only the first part is read, and we say so */
	f = fopen(path, "wb");
	fputs("# Security\n\nReport to security@acme.io.\n\n", f);
	for (i = 0; i < 40000; i++)
		fputs("Padding line that says nothing at all about anything.\n",
		      f);
	fputs("Write to late@elsewhere.example instead.\n", f);
	fclose(f);
	commit_on(repo, "2026-01-04", "huge");
	r = check(repo);
	expect_rules(r, "too-large", NULL);
	p = find(r, "too-large");
	assert_int_equal(p->severity, EMB_SEV_WARNING);
	assert_non_null(strstr(p->message, "only its first"));
	/* the placeholder address past the cap was not read */
	assert_int_equal(count(r, "placeholder"), 0);
	emb_policy_result_free(r);

	/* over embargo.maxBlobSize: not read at all */
	th_sh(repo, "git config embargo.maxBlobSize 100000");
	r = check(repo);
	expect_rules(r, "too-large", NULL);
	assert_int_equal(find(r, "too-large")->severity, EMB_SEV_ERROR);
	emb_policy_result_free(r);
	free(path);
	free(repo);
}

/* ---- the seeds ---- */

static void test_seeds(void **state)
{
	char *repo;
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;
	json_t *j;

	(void)state;
	repo = repo_with("seeds/klarna-SECURITY.md", "SECURITY.md");
	r = check(repo);
	expect_rules(r, "foreign-domain", NULL);
	assert_int_equal(count(r, "foreign-domain"), 1);
	p = find(r, "foreign-domain");
	assert_non_null(strstr(p->message, "corporate.walmart.com"));
	assert_non_null(strstr(p->message, "klarna.com"));
	assert_int_equal(p->line, 9);
	assert_int_equal(r->scorecard, 10);
	j = emb_policy_to_json(r, false);
	assert_int_equal(json_integer_value(json_object_get(j, "scorecard")),
			 10);
	assert_string_equal(json_string_value(json_object_get(j, "status")),
			    "warning");
	assert_string_equal(
		json_string_value(json_object_get(j, "last_changed")),
		"2026-01-01");
	json_decref(j);
	emb_policy_result_free(r);

	/* the organisation's own domains: the link is no longer foreign */
	th_sh(repo, "git config --add embargo.policy.domain klarna.com && "
		    "git config --add embargo.policy.domain walmart.com");
	r = check(repo);
	expect_rules(r, NULL);
	emb_policy_result_free(r);
	free(repo);

	repo = repo_with("seeds/jet-SECURITY.md", "SECURITY.md");
	r = check(repo);
	assert_int_equal(r->scorecard, 10);
	expect_rules(r, "foreign-domain", NULL); /* jet.com -> walmart.com */
	emb_policy_result_free(r);
	free(repo);
}

/*
 * Domains are organisations: hosts with one registrable domain (the
 * public suffix list) are one; the address to escalate to when the
 * project does not answer is someone else's on purpose.
 */
static void test_domains(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;

	(void)state;
	/* the shape of foundations with a CNA and a mailing-list host */
	th_write(repo, "SECURITY.md",
		 "# Security\n\n## Reporting a vulnerability\n\n"
		 "E-mail security@lists.foundation.org, or use the [CNA's "
		 "report form](https://cna.foundation.org/report).\n");
	commit_on(repo, "2026-01-01", "policy");
	r = check(repo);
	expect_rules(r, NULL);
	emb_policy_result_free(r);

	/* ...while a form on another organisation's domain is foreign */
	th_write(repo, "SECURITY.md",
		 "# Security\n\n## Reporting a vulnerability\n\n"
		 "E-mail security@lists.foundation.org, or use the [report "
		 "form](https://reports.other-foundation.org/new).\n");
	commit_on(repo, "2026-01-02", "policy");
	r = check(repo);
	expect_rules(r, "foreign-domain", NULL);
	emb_policy_result_free(r);

	/* the escalation address does not make its domain the project's:
	 * the form on that domain is still foreign */
	th_write(repo, "SECURITY.md",
		 "# Security\n\n## Reporting a vulnerability\n\n"
		 "E-mail security@acme-corp.net. If you do not hear back "
		 "within five days, escalate to cve-request@mitre.org.\n\n"
		 "You can also use the [report form]"
		 "(https://cveform.mitre.org/).\n");
	commit_on(repo, "2026-01-03", "policy");
	r = check(repo);
	expect_rules(r, "foreign-domain", NULL);
	assert_non_null(strstr(find(r, "foreign-domain")->message,
			       "cveform.mitre.org"));
	emb_policy_result_free(r);
	free(repo);
}

/* ---- the corpus: rules that fire, and good files that stay quiet ---- */

struct corpus_case {
	const char *file, *as;
	const char *rules[6];
	const char *extra; /* another file the repository holds */
};

static const struct corpus_case corpus_cases[] = {
	/* reasonable policies: nothing at warning or error */
	{ "curl__curl__SECURITY.md",
	  "SECURITY.md",
	  { NULL },
	  "docs/VULN-DISCLOSURE-POLICY.md" },
	{ "git__git__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	{ "gitleaks__gitleaks__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	{ "libgit2__libgit2__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	{ "ossf__allstar__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	{ "ossf__scorecard__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	{ "trufflesecurity__trufflehog__SECURITY.md",
	  "SECURITY.md",
	  { NULL },
	  NULL },
	{ "GitGuardian__ggshield__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	{ "electron__electron__SECURITY.md",
	  "SECURITY.md",
	  { NULL },
	  "docs/tutorial/security.md" },
	{ "jqlang__jq__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	{ "yaml__pyyaml__.github_SECURITY.md",
	  ".github/SECURITY.md",
	  { NULL },
	  NULL },
	{ "pallets__flask__.github_SECURITY.md",
	  ".github/SECURITY.md",
	  { NULL },
	  NULL },
	{ "psf__requests__.github_SECURITY.md",
	  ".github/SECURITY.md",
	  { NULL },
	  NULL },
	{ "expressjs__.github__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	/* "< 7.2.x" unsupported above "6.2.x" supported */
	{ "redis__redis__SECURITY.md",
	  "SECURITY.md",
	  { "contradictory-versions" },
	  NULL },
	{ "cosmos__security__SECURITY.md",
	  "SECURITY.md",
	  { NULL },
	  "resources/CLASSIFICATION_MATRIX.md" },
	{ "cosmos__iavl__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	{ "Leaflet__Leaflet__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	{ "jet__equinox__SECURITY.md", "SECURITY.md", { NULL }, NULL },
	/* notable ones */
	{ "DrDead0__G-Orbit_Gaming-Community__SECURITY.md",
	  "SECURITY.md",
	  { "unedited-template", "no-contact" },
	  NULL },
	{ "moment__moment__SECURITY.md",
	  "SECURITY.md",
	  { "unedited-template", "no-contact" },
	  NULL },
	{ "baidubce__terraform-provider-baiducloud__SECURITY.md",
	  "SECURITY.md",
	  { "unedited-template", "no-contact" },
	  NULL },
	{ "XRPosse__xrpl-trading-bot__docs_SECURITY.md",
	  "docs/SECURITY.md",
	  { "placeholder", "no-contact" },
	  NULL },
	{ "c-sollad-org1__.github__SECURITY.md",
	  "SECURITY.md",
	  { "placeholder" },
	  NULL },
	{ "cinar__checker__SECURITY.md",
	  "SECURITY.md",
	  { "public-channel" },
	  NULL },
	{ "mhooreman__clalogger__SECURITY.rst.md",
	  "SECURITY.rst",
	  { "public-channel" },
	  NULL },
	{ "todogroup__repolinter__SECURITY.md",
	  "SECURITY.md",
	  { "no-contact" },
	  NULL },
	{ "axios__axios__SECURITY.md",
	  "SECURITY.md",
	  { "defunct-channel", "no-contact" },
	  NULL },
	/* a maintainer's gmail.com address defines no organisation domain,
	 * and Tidelift is a reporting platform */
	{ "opensrc0__fe-pilot__.github_SECURITY.md",
	  ".github/SECURITY.md",
	  { NULL },
	  NULL },
	{ "klarna-incubator__.github__SECURITY.md",
	  "SECURITY.md",
	  { "foreign-domain" },
	  NULL },
	{ "Soontao__object-vectorization__SECURITY.md",
	  "SECURITY.md",
	  { NULL },
	  NULL },
	{ "walmartlabs__concord__SECURITY.md", "SECURITY.md", { NULL }, NULL },
};

static void test_corpus(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(corpus_cases) / sizeof(corpus_cases[0]); i++) {
		const struct corpus_case *c = &corpus_cases[i];
		char rel[256];
		char *repo;
		struct emb_policy_result *r;
		const char *w[7] = { NULL };

		snprintf(rel, sizeof(rel), CORPUS "%s", c->file);
		repo = new_repo();
		put_data(repo, rel, c->as);
		if (c->extra)
			th_write(repo, c->extra, "# linked\n");
		commit_on(repo, "2026-01-01", "policy");
		r = check(repo);
		fprintf(stderr, "  %s\n", c->file);
		for (k = 0; k < 6 && c->rules[k]; k++)
			w[k] = c->rules[k];
		expect_rules(r, w[0], w[1], w[2], w[3], w[4], w[5], NULL);
		assert_string_equal(r->path, c->as);
		emb_policy_result_free(r);
		free(repo);
	}
}

/* the details the index notes, one by one */
static void test_corpus_details(void **state)
{
	char *repo;
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;

	(void)state;
	/* the placeholder address, the unfilled date */
	repo = repo_with(CORPUS "XRPosse__xrpl-trading-bot__docs_SECURITY.md",
			 "docs/SECURITY.md");
	r = check(repo);
	p = find(r, "placeholder");
	assert_non_null(strstr(p->message, "security@example.com"));
	assert_int_equal(p->line, 5);
	assert_true(count(r, "placeholder") >= 2);
	emb_policy_result_free(r);
	free(repo);

	/* <SECURITY_EMAIL>; the front matter date is recent: no overdue */
	repo = repo_with(CORPUS "c-sollad-org1__.github__SECURITY.md",
			 "SECURITY.md");
	r = check(repo);
	assert_non_null(
		strstr(find(r, "placeholder")->message, "<SECURITY_EMAIL>"));
	assert_int_equal(count(r, "review-overdue"), 0);
	emb_policy_result_free(r);
	/* ... but a year and a half later it is */
	{
		struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;

		o.today = day("2027-06-01");
		r = check_opts(repo, &o);
		p = find(r, "review-overdue");
		assert_non_null(p);
		assert_int_equal(p->line, 4); /* updated: in the front matter */
		emb_policy_result_free(r);
	}
	free(repo);

	/* one leftover sentence of GitHub's template is a warning */
	repo = new_repo();
	th_write(repo, "SECURITY.md",
		 "# Security Policy\n\n## Reporting a Vulnerability\n\n"
		 "Use this section to tell people how to report a "
		 "vulnerability.\n\nMail security@acme.io.\n");
	commit_on(repo, "2026-01-01", "half done");
	r = check(repo);
	expect_rules(r, "unedited-template", NULL);
	p = find(r, "unedited-template");
	assert_int_equal(p->severity, EMB_SEV_WARNING);
	assert_int_equal(p->line, 5);
	emb_policy_result_free(r);
	free(repo);

	/* walmartlabs: with walmart.com as the domain, wal-mart.com is not */
	repo = repo_with(CORPUS "walmartlabs__concord__SECURITY.md",
			 "SECURITY.md");
	r = check(repo);
	p = find(r, "public-channel");
	assert_non_null(p);
	assert_int_equal(p->severity, EMB_SEV_INFO);
	emb_policy_result_free(r);
	th_sh(repo, "git config embargo.policy.domain walmart.com");
	r = check(repo);
	expect_rules(r, "foreign-domain", NULL);
	assert_non_null(strstr(find(r, "foreign-domain")->message,
			       "concord-team@wal-mart.com"));
	emb_policy_result_free(r);
	free(repo);

	/* wwmoraes: the walmart link once the domain is known */
	repo = repo_with(CORPUS "wwmoraes__kubegraph__SECURITY.md",
			 "SECURITY.md");
	r = check(repo);
	expect_rules(r, NULL);
	emb_policy_result_free(r);
	th_sh(repo, "git config embargo.policy.domain wwmoraes.dev");
	r = check(repo);
	expect_rules(r, "foreign-domain", NULL);
	assert_non_null(strstr(find(r, "foreign-domain")->message,
			       "corporate.walmart.com"));
	emb_policy_result_free(r);
	free(repo);

	/* curl without the file it links to */
	repo = repo_with(CORPUS "curl__curl__SECURITY.md", "SECURITY.md");
	r = check(repo);
	expect_rules(r, "dead-link", NULL);
	p = find(r, "dead-link");
	assert_int_equal(p->line, 9);
	assert_non_null(strstr(p->message, "docs/VULN-DISCLOSURE-POLICY.md"));
	emb_policy_result_free(r);
	free(repo);

	/* axios: huntr.dev was fine before 2023-11-30 */
	repo = repo_with(CORPUS "axios__axios__SECURITY.md", "SECURITY.md");
	{
		struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;

		o.today = day("2023-06-01");
		r = check_opts(repo, &o);
		expect_rules(r, NULL);
		emb_policy_result_free(r);
	}
	free(repo);
}

/*
 * Contacts as projects really write them.  The lines are the shapes of
 * real README and SECURITY.md files (pgAdmin's README: "security (at)
 * pgadmin (dot) org"; ownCloud's disclosure page; Erigon's README:
 * "security [at] torquem.ch"; a Google-group address written
 * "... [at] googlegroups [dot] com"), the Security tab and the
 * organisation's .github policy as GitHub shows them.
 */
static void test_contacts_as_written(void **state)
{
	static const struct {
		const char *line, *addr; /* addr NULL: a link */
	} ok[] = {
		{ "please email\n**security (at) pgadmin (dot) org**.",
		  "security@pgadmin.org" },
		{ "contact <strong>security (at) owncloud (dot) com</strong>.",
		  "security@owncloud.com" },
		{ "Send an email to `security [at] torquem.ch`.",
		  "security@torquem.ch" },
		{ "Email **`recipe-planner-security [at] googlegroups [dot] "
		  "com`"
		  "**.",
		  "recipe-planner-security@googlegroups.com" },
		{ "Write to security[at]acme-corp[dot]net.",
		  "security@acme-corp.net" },
		{ "Write to security (at) acme-corp.net.",
		  "security@acme-corp.net" },
		{ "Mail jane at acme-corp dot net with the details.",
		  "jane@acme-corp.net" },
		{ "Report it privately in the [Security tab]"
		  "(https://github.com/acme/widget/security).",
		  NULL },
		{ "See [our policy](https://github.com/acme/.github/blob/main/"
		  "SECURITY.md).",
		  NULL },
	};
	static const char *const not_contacts[] = {
		"Look at acme-corp.net for the details.",
		"We meet at noon dot times.",
		"See https://github.com/acme/widget/security/advisories/GHSA-"
		"xxxx-yyyy-zzzz for a past one.",
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *repo = new_repo(), body[512];
		struct emb_policy_result *r;
		git_repository *g;
		json_t *j;
		char *dump_text;

		snprintf(body, sizeof(body),
			 "# Security\n\n## Reporting a vulnerability\n\n%s\n",
			 ok[i].line);
		th_write(repo, "SECURITY.md", body);
		commit_on(repo, "2026-01-01", "policy");
		r = check(repo);
		if (count(r, "no-contact")) {
			dump(r);
			fail_msg("not a contact: %s", ok[i].line);
		}
		(void)g;
		(void)k;
		(void)j;
		(void)dump_text;
		emb_policy_result_free(r);
		free(repo);
	}
	for (i = 0; i < sizeof(not_contacts) / sizeof(not_contacts[0]); i++) {
		char *repo = new_repo(), body[512];
		struct emb_policy_result *r;

		snprintf(body, sizeof(body),
			 "# Security\n\n## Reporting a vulnerability\n\n%s\n",
			 not_contacts[i]);
		th_write(repo, "SECURITY.md", body);
		commit_on(repo, "2026-01-01", "policy");
		r = check(repo);
		if (!count(r, "no-contact")) {
			dump(r);
			fail_msg("taken for a contact: %s", not_contacts[i]);
		}
		emb_policy_result_free(r);
		free(repo);
	}
}

static void test_placeholders(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;
	size_t i;
	static const char *const tokens[] = {
		"[your email]",	      "yourorg/your-project", "{{email}}",
		"security@acme.test", "<SECURITY_CONTACT>",
	};

	(void)state;
	th_write(repo, "SECURITY.md",
		 "# Security\n\nWrite to [your email] or use "
		 "[private reporting](https://github.com/yourorg/your-project/"
		 "security/advisories/new).\n\nBackup: {{email}}, "
		 "security@acme.test, <SECURITY_CONTACT>.\n");
	commit_on(repo, "2026-01-01", "scaffold");
	r = check(repo);
	expect_rules(r, "placeholder", "no-contact", NULL);
	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		size_t k;

		for (k = 0; k < r->nproblems; k++)
			if (!strcmp(r->problems[k].rule, "placeholder") &&
			    strstr(r->problems[k].message, tokens[i]))
				break;
		if (k == r->nproblems) {
			dump(r);
			fail_msg("no placeholder problem names '%s'",
				 tokens[i]);
		}
	}
	emb_policy_result_free(r);
	free(repo);
}

static void test_defunct_config(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;

	(void)state;
	th_write(
		repo, "SECURITY.md",
		"# Security\n\nReport through https://bounty.acme.io/report or "
		"to security@acme.io.\n");
	commit_on(repo, "2026-01-01", "policy");
	r = check(repo);
	expect_rules(r, NULL);
	emb_policy_result_free(r);
	th_sh(repo, "git config --add embargo.policy.defunct "
		    "'bounty.acme.io 2025-03-01 the bounty programme closed'");
	r = check(repo);
	expect_rules(r, "defunct-channel", NULL);
	p = find(r, "defunct-channel");
	assert_int_equal(p->line, 3);
	assert_non_null(strstr(p->message, "the bounty programme closed"));
	emb_policy_result_free(r);
	free(repo);
}

/* ---- dates ---- */

static void test_dates(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;
	struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;

	(void)state;
	th_write(repo, "SECURITY.md",
		 "# Security\n\nReport to security@acme.io.\n\n"
		 "Expires: 2026-03-01T00:00:00.000Z\n\n"
		 "Last reviewed: 2026-02-01\n");
	commit_on(repo, "2026-02-01", "policy");
	r = check(repo);
	expect_rules(r, "expired", NULL);
	assert_int_equal(find(r, "expired")->line, 5);
	emb_policy_result_free(r);

	o.today = day("2026-02-15");
	r = check_opts(repo, &o);
	expect_rules(r, NULL);
	emb_policy_result_free(r);

	th_write(repo, "SECURITY.md",
		 "# Security\n\nReport to security@acme.io.\n\n"
		 "**Expires:** 2028-01-01\n\n- Last updated: March 3, 2024\n");
	commit_on(repo, "2026-02-02", "policy");
	r = check(repo);
	expect_rules(r, "expires-far", "review-overdue", NULL);
	assert_int_equal(find(r, "review-overdue")->line, 7);
	emb_policy_result_free(r);

	/* maxAge in config */
	th_sh(repo, "git config embargo.policy.maxAge 1000");
	r = check(repo);
	expect_rules(r, "expires-far", NULL);
	emb_policy_result_free(r);

	th_write(repo, "SECURITY.md",
		 "# Security\n\nReport to security@acme.io.\n\n"
		 "Last updated: [Date]\n\nReviewed: sometime soon\n");
	commit_on(repo, "2026-02-03", "policy");
	r = check(repo);
	expect_rules(r, "placeholder", "unreadable-date", NULL);
	assert_int_equal(find(r, "placeholder")->line, 5);
	emb_policy_result_free(r);
	free(repo);
}

static void test_bad_config(void **state)
{
	char *repo = new_repo();
	git_repository *g = NULL;
	struct emb_policy_result *r = NULL;
	struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;

	(void)state;
	th_write(repo, "SECURITY.md", good);
	commit_on(repo, "2026-01-01", "policy");
	th_sh(repo, "git config embargo.policy.maxAge -3");
	assert_int_equal(git_repository_open(&g, repo), 0);
	assert_int_equal(emb_policy_check(&r, g, &o), EMB_ECONFIG);
	assert_null(r);
	th_sh(repo, "git config --unset embargo.policy.maxAge");
	o.rev = "no-such-branch";
	assert_int_equal(emb_policy_check(&r, g, &o), EMB_EREPO);
	assert_null(r);
	o.rev = NULL;
	o.template_path = "/nonexistent/template.md";
	assert_int_equal(emb_policy_check(&r, g, &o), EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "template"));
	git_repository_free(g);
	free(repo);
}

/* ---- history ---- */

static void test_last_changed(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;
	char d[16];
	int i;

	(void)state;
	th_write(repo, "README.md", "x\n");
	commit_on(repo, "2019-01-01", "root");
	th_write(repo, "SECURITY.md", "# Old\n\nMail old@acme.io.\n");
	commit_on(repo, "2019-06-01", "first policy");
	th_write(repo, "SECURITY.md", good);
	commit_on(repo, "2020-03-04", "the current policy");
	for (i = 0; i < 30; i++) {
		th_sh(repo, "echo %d >> README.md", i);
		commit_on(repo, "2021-01-01", "unrelated");
	}
	/* a side branch that touches other files, merged */
	th_sh(repo, "git checkout -q -b side && echo s > side.txt");
	commit_on(repo, "2021-05-01", "side");
	th_sh(repo,
	      "git checkout -q main && GIT_COMMITTER_DATE=2021-06-01T00:00:00Z "
	      "git merge -q --no-ff -m merge side");
	/* the walk stops at the change: older history is never read */
	th_sh(repo, "rm -f .git/objects/$(git rev-parse HEAD~33 | "
		    "sed 's|^\\(..\\)|\\1/|')");
	r = check(repo);
	emb_date_format(d, sizeof(d), r->last_changed);
	assert_string_equal(d, "2020-03-04");
	emb_policy_result_free(r);

	/* changed on a branch and merged: the branch commit */
	th_sh(repo, "git checkout -q -b fix HEAD~1");
	th_write(repo, "SECURITY.md",
		 "# Security\n\nMail security@acme.io, "
		 "answered in 2 days.\n");
	commit_on(repo, "2022-02-02", "fix policy");
	th_sh(repo,
	      "git checkout -q main && GIT_COMMITTER_DATE=2022-03-01T00:00:00Z "
	      "git merge -q --no-ff -m merge fix");
	r = check(repo);
	emb_date_format(d, sizeof(d), r->last_changed);
	assert_string_equal(d, "2022-02-02");
	emb_policy_result_free(r);
	free(repo);
}

/*
 * A file that names versions is made stale by releases: a warning, and
 * the latest release is the highest version, not the newest tag (a
 * maintenance release of an old line is tagged after the new line's).
 * Tags in the forms projects use: expat's R_2_8_3, curl's curl-8_21_0,
 * rel/2.26.1.
 */
static void test_older_than_release_claims(void **state)
{
	static const struct {
		const char *tags[3], *latest;
	} forms[] = {
		{ { "R_2_6_0", "R_2_7_1", "R_2_6_4" }, "R_2_7_1" },
		{ { "curl-8_19_0", "curl-8_21_0", "curl-8_20_1" },
		  "curl-8_21_0" },
		{ { "rel/2.25.0", "rel/2.26.1", "rel/2.25.3" }, "rel/2.26.1" },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		char *repo = new_repo();
		struct emb_policy_result *r;
		const struct emb_policy_problem *p;
		char want[64];

		th_write(repo, "SECURITY.md",
			 "# Security\n\n## Supported versions\n\n"
			 "Only version 2.5 and later get security fixes.\n\n"
			 "## Reporting\n\nMail security@acme-corp.net.\n");
		commit_on(repo, "2020-01-01", "policy");
		for (k = 0; k < 3; k++) {
			char date[16];

			snprintf(date, sizeof(date), "2021-0%zu-01", k + 1);
			tag_on(repo, forms[i].tags[k], date);
		}
		r = check(repo);
		p = find(r, "older-than-release");
		assert_non_null(p);
		assert_int_equal(p->severity, EMB_SEV_WARNING);
		assert_non_null(strstr(p->message, "3 releases"));
		snprintf(want, sizeof(want), "the latest %s on",
			 forms[i].latest);
		if (!strstr(p->message, want))
			fail_msg("%s: '%s' lacks '%s'", forms[i].latest,
				 p->message, want);
		emb_policy_result_free(r);
		free(repo);
	}
}

/*
 * A repository of several packages (tokio's tags: tokio-1.38.0 beside
 * tokio-macros-2.3.0 and tokio-util-0.7.11): the latest release is the
 * highest of the package the repository is named after.
 */
static void test_release_of_the_package(void **state)
{
	static const char *const tags[] = { "tokio-1.37.0",
					    "tokio-macros-2.3.0",
					    "tokio-1.38.0",
					    "tokio-util-0.7.11" };
	char *repo = th_repo(tmp, "tokio", false);
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;
	size_t i;

	(void)state;
	th_write(repo, "SECURITY.md",
		 "# Security\n\n## Supported Versions\n\n"
		 "| Version | Supported |\n| --- | --- |\n"
		 "| 1.38.x | ✅ |\n| < 1.38 | ❌ |\n\n"
		 "## Reporting\n\nMail security@acme-corp.net.\n");
	commit_on(repo, "2026-01-01", "policy");
	for (i = 0; i < 4; i++)
		tag_on(repo, tags[i], "2026-01-02");
	r = check(repo);
	/* tokio-macros-2.3.0 is not tokio's latest release */
	expect_rules(r, NULL);
	emb_policy_result_free(r);

	tag_on(repo, "tokio-1.39.0", "2026-01-03");
	r = check(repo);
	expect_rules(r, "unsupported-latest", NULL);
	p = find(r, "unsupported-latest");
	assert_non_null(strstr(p->message, "tokio-1.39.0"));
	emb_policy_result_free(r);
	free(repo);
}

static void test_older_than_release(void **state)
{
	char *repo;
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;

	(void)state;
	repo = new_repo();
	put_data(repo, CORPUS "jet__FsKafka__SECURITY.md", "SECURITY.md");
	commit_on(repo, "2020-11-13", "Walmart policy");
	tag_on(repo, "1.5.0", "2020-06-01");
	tag_on(repo, "1.9.1", "2021-10-01");
	tag_on(repo, "1.9.2", "2022-03-01");
	tag_on(repo, "2.0.0-rc1", "2022-04-01"); /* not a release */
	r = check(repo);
	expect_rules(r, "older-than-release", NULL);
	p = find(r, "older-than-release");
	assert_non_null(strstr(p->message, "2020-11-13"));
	assert_non_null(strstr(p->message, "(the latest 1.9.2)"));
	/* 1.5.0 came before the change, the rc is no release */
	assert_non_null(strstr(p->message, "2 releases"));
	/* Walmart's file only points to a web page: releases cannot make
	 * it wrong, so it is only information */
	assert_int_equal(p->severity, EMB_SEV_INFO);
	emb_policy_result_free(r);

	/* "today" before 1.9.2 was made: it is not a release yet */
	{
		struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;

		o.today = day("2022-01-01");
		r = check_opts(repo, &o);
		p = find(r, "older-than-release");
		assert_non_null(p);
		assert_non_null(strstr(p->message, "1 release came"));
		assert_non_null(strstr(p->message, "(the latest 1.9.1)"));
		emb_policy_result_free(r);
	}

	/* a review commit after the releases silences it */
	th_sh(repo, "echo >> SECURITY.md");
	commit_on(repo, "2026-01-02", "review");
	r = check(repo);
	expect_rules(r, NULL);
	emb_policy_result_free(r);
	free(repo);

	/* old, but nothing released since: fine */
	repo = new_repo();
	tag_on(repo, "v1.0.0", "2019-01-01");
	th_write(repo, "SECURITY.md", good);
	commit_on(repo, "2019-02-01", "policy");
	r = check(repo);
	expect_rules(r, NULL);
	emb_policy_result_free(r);
	free(repo);
}

/* ---- versions ---- */

static void test_versions_stale(void **state)
{
	char *repo;
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;
	struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;
	const char *tags[] = { "v1.2.0", "v1.3.0",	   "v1.4.1",
			       "v1.7.2", "v1.10.0-beta.1", NULL };
	size_t i;

	(void)state;
	repo = repo_with(CORPUS "opensrc0__fe-pilot__.github_SECURITY.md",
			 ".github/SECURITY.md");
	for (i = 0; tags[i]; i++)
		tag_on(repo, tags[i], "2025-01-01");
	r = check(repo);
	expect_rules(r, "unsupported-latest", NULL);
	p = find(r, "unsupported-latest");
	/* by version, not by name or date; the beta is not a release */
	assert_non_null(strstr(p->message, "v1.7.2"));
	assert_non_null(strstr(p->message, "1.3.x"));
	assert_int_equal(p->line, 14);
	assert_int_equal(p->severity, EMB_SEV_WARNING);
	emb_policy_result_free(r);
	o.strict = true;
	r = check_opts(repo, &o);
	assert_int_equal(find(r, "unsupported-latest")->severity,
			 EMB_SEV_ERROR);
	assert_string_equal(emb_policy_status(r, true), "error");
	emb_policy_result_free(r);
	free(repo);

	/* Soontao: claims 1.x, only 0.1.x exists */
	repo = repo_with(CORPUS "Soontao__object-vectorization__SECURITY.md",
			 "SECURITY.md");
	for (i = 0; i <= 10; i++) {
		char t[16];

		snprintf(t, sizeof(t), "v0.1.%zu", i);
		tag_on(repo, t, "2025-01-01");
	}
	r = check(repo);
	expect_rules(r, "phantom-version", "unsupported-latest", NULL);
	p = find(r, "phantom-version");
	assert_non_null(strstr(p->message, "'1.x'"));
	assert_non_null(strstr(p->message, "v0.1.10"));
	assert_int_equal(p->line, 9);
	emb_policy_result_free(r);
	free(repo);

	/* baidubce: the table stopped at v1.12.0 */
	repo = repo_with(CORPUS "baidubce__terraform-provider-baiducloud__"
				"SECURITY.md",
			 "SECURITY.md");
	{
		const char *b[] = { "v1.10.1", "v1.10.2", "v1.10.3", "v1.11.0",
				    "v1.11.1", "v1.11.2", "v1.11.3", "v1.12.0",
				    "v1.23.5", NULL };

		for (i = 0; b[i]; i++)
			tag_on(repo, b[i], "2021-12-26");
	}
	r = check(repo);
	expect_rules(r, "unedited-template", "no-contact", "unsupported-latest",
		     NULL);
	assert_non_null(
		strstr(find(r, "unsupported-latest")->message, "v1.23.5"));
	emb_policy_result_free(r);
	free(repo);

	/* cinar: 1.0.x, the latest is v2.0.1 */
	repo = repo_with(CORPUS "cinar__checker__SECURITY.md", "SECURITY.md");
	tag_on(repo, "v1.0.0", "2023-06-21");
	tag_on(repo, "v2.0.1", "2025-01-01");
	r = check(repo);
	expect_rules(r, "public-channel", "unsupported-latest", NULL);
	emb_policy_result_free(r);
	free(repo);
}

static void test_versions_current(void **state)
{
	char *repo;
	struct emb_policy_result *r;
	const char *redis[] = { "6.2.14", "7.2.5",   "7.4.0",
				"7.4.1",  "8.0-m01", NULL };
	size_t i;

	(void)state;
	/* redis: the newest tag is a milestone, the latest release 7.4.1
	 * is supported; only its interleaved rows contradict each other
	 * ("< 7.2.x" unsupported, then "6.2.x" supported) */
	repo = repo_with(CORPUS "redis__redis__SECURITY.md", "SECURITY.md");
	for (i = 0; redis[i]; i++)
		tag_on(repo, redis[i], "2026-01-01");
	r = check(repo);
	expect_rules(r, "contradictory-versions", NULL);
	emb_policy_result_free(r);
	free(repo);

	/* gitleaks: a single "Latest" row never goes stale */
	repo = repo_with(CORPUS "gitleaks__gitleaks__SECURITY.md",
			 "SECURITY.md");
	tag_on(repo, "v8.0.0", "2025-01-01");
	tag_on(repo, "v8.28.0", "2026-01-01");
	r = check(repo);
	expect_rules(r, NULL);
	emb_policy_result_free(r);
	free(repo);

	/* rST grid table "Any/others: Yes" */
	repo = repo_with(CORPUS "mhooreman__clalogger__SECURITY.rst.md",
			 "SECURITY.rst");
	tag_on(repo, "v0.3.0", "2020-01-01");
	r = check(repo);
	expect_rules(r, "public-channel", NULL);
	emb_policy_result_free(r);
	free(repo);
}

/*
 * Rows that contradict each other, in the shape of redis's table as it
 * grew (an "< 7.2 ❌" row above a "6.2.x ✅" one), and the usual tables
 * that must stay quiet.
 */
static void test_versions_contradict(void **state)
{
	static const struct {
		const char *table;
		bool contradicts;
	} cases[] = {
		{ "| Version | Supported |\n| --- | --- |\n| 7.4.x | ✅ |\n"
		  "| 7.2.x | ✅ |\n| < 7.2 | ❌ |\n| 6.2.x | ✅ |\n",
		  true },
		{ "| Version | Supported |\n| --- | --- |\n| 7.4.x | ✅ |\n"
		  "| 7.2.x | ✅ |\n| < 7.2 | ❌ |\n",
		  false },
		{ "| Version | Supported |\n| --- | --- |\n| >= 2.0.5 | ✅ |\n"
		  "| 2.0.x | ❌ |\n",
		  false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *repo = new_repo(), body[512];
		struct emb_policy_result *r;

		snprintf(body, sizeof(body),
			 "# Security\n\n## Supported Versions\n\n%s\n"
			 "## Reporting\n\nMail security@acme-corp.net.\n",
			 cases[i].table);
		th_write(repo, "SECURITY.md", body);
		commit_on(repo, "2026-01-01", "policy");
		tag_on(repo, "7.4.1", "2026-01-02");
		tag_on(repo, "7.2.5", "2026-01-02");
		tag_on(repo, "6.2.9", "2026-01-02");
		tag_on(repo, "2.0.5", "2026-01-02");
		r = check(repo);
		if ((count(r, "contradictory-versions") != 0) !=
		    cases[i].contradicts) {
			dump(r);
			fail_msg("case %zu", i);
		}
		if (cases[i].contradicts)
			assert_non_null(strstr(
				find(r, "contradictory-versions")->message,
				"'6.2.x' is marked supported, but line "));
		emb_policy_result_free(r);
		free(repo);
	}
}

static void test_versions_tables(void **state)
{
	char *repo = new_repo();
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;

	(void)state;
	tag_on(repo, "v2.3.1", "2025-01-01");
	tag_on(repo, "v3.0.0", "2025-06-01");
	/* every row unsupported */
	th_write(repo, "SECURITY.md",
		 "# Security\n\nMail security@acme.io.\n\n"
		 "| Version | Supported |\n|---|---|\n| 3.x | :x: |\n"
		 "| < 3.0 | No |\n");
	commit_on(repo, "2026-01-01", "policy");
	r = check(repo);
	expect_rules(r, "nothing-supported", NULL);
	assert_int_equal(find(r, "nothing-supported")->line, 5);
	emb_policy_result_free(r);

	/* ragged rows: an extra cell ignored, a missing one empty */
	th_write(repo, "SECURITY.md",
		 "# Security\n\nMail security@acme.io.\n\n"
		 "| Version | Supported |\n|---|---|\n"
		 "| 3.0.x | ✅ | extra | cells |\n| 2.x |\n| 1.x | ❌\n");
	commit_on(repo, "2026-01-02", "ragged");
	r = check(repo);
	expect_rules(r, NULL);
	emb_policy_result_free(r);

	/* ranges and comparisons */
	th_write(repo, "SECURITY.md",
		 "# Security\n\nMail security@acme.io.\n\n"
		 "| Version | Supported |\n|---|---|\n"
		 "| >= 2.3 | Yes |\n| 4.0 - 4.2 | ✅ |\n| < 2.3 | no |\n");
	commit_on(repo, "2026-01-03", "ranges");
	r = check(repo);
	expect_rules(r, "phantom-version", NULL);
	p = find(r, "phantom-version");
	assert_non_null(strstr(p->message, "'4.0 - 4.2'"));
	assert_int_equal(p->line, 8);
	emb_policy_result_free(r);

	/* reStructuredText simple table and AsciiDoc table */
	th_sh(repo, "git rm -q SECURITY.md");
	th_write(repo, "SECURITY.rst",
		 "Security\n========\n\nMail security@acme.io.\n\n"
		 "=======  =========\nVersion  Supported\n=======  =========\n"
		 "2.x      yes\n1.x      no\n=======  =========\n");
	commit_on(repo, "2026-01-04", "rst");
	r = check(repo);
	expect_rules(r, "unsupported-latest", NULL);
	assert_int_equal(find(r, "unsupported-latest")->line, 9);
	emb_policy_result_free(r);
	th_sh(repo, "git rm -q SECURITY.rst");
	th_write(repo, "SECURITY.adoc",
		 "= Security\n\nMail security@acme.io.\n\n|===\n"
		 "|Version |Supported\n\n|3.0.x |yes\n|2.3.x\n|yes\n|===\n");
	commit_on(repo, "2026-01-05", "adoc");
	r = check(repo);
	expect_rules(r, NULL);
	emb_policy_result_free(r);
	free(repo);
}

/* ---- the organisation's template ---- */

static char *jet_template(void)
{
	char *src = th_data_path("seeds/jet-SECURITY.md"), *text, *out;
	struct emb_buf b = EMB_BUF_INIT;
	const char *p;
	bool first_address = true;

	text = slurp(src, NULL);
	/* the company's name, address and domain become placeholders */
	for (p = text; *p;) {
		if (!strncmp(p, "security@jet.com", 16)) {
			emb_buf_puts(&b, first_address ? "security@{{domain}}" :
							 "{{email}}");
			first_address = false;
			p += 16;
		} else if (!strncmp(p, "Jet.com", 7)) {
			emb_buf_puts(&b, "{{org}}");
			p += 7;
		} else if (!strncmp(p, "Jet", 3)) {
			emb_buf_puts(&b, "{{org}}");
			p += 3;
		} else {
			emb_buf_putc(&b, *p++);
		}
	}
	out = th_mkdtemp();
	th_write(out, "template.md", b.ptr);
	emb_buf_release(&b);
	free(text);
	free(src);
	text = out;
	if (asprintf(&out, "%s/template.md", text) < 0)
		abort();
	free(text);
	return out;
}

static void test_template_drift(void **state)
{
	char *tmpl = jet_template(), *repo, *diff;
	struct emb_policy_result *r;
	const struct emb_policy_problem *p;
	struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;
	const char *line, *minus = NULL, *plus = NULL;
	size_t nminus = 0, nplus = 0;
	json_t *j;

	(void)state;
	o.template_path = tmpl;
	repo = repo_with("seeds/klarna-SECURITY.md", "SECURITY.md");
	r = check_opts(repo, &o);
	expect_rules(r, "foreign-domain", "template-drift", NULL);
	p = find(r, "template-drift");
	assert_int_equal(p->line, 22);
	assert_non_null(strstr(p->message, "org 'Klarna'"));
	assert_non_null(strstr(p->message, "email 'security@klarna.com'"));
	assert_non_null(strstr(p->message, "domain 'klarna.com'"));
	assert_non_null(strstr(p->message, "on 1 line"));
	assert_non_null(p->detail);
	/* exactly one line out, one line in: the "due diligence" line */
	diff = strdup(p->detail);
	for (line = strtok(diff, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "---", 3) || !strncmp(line, "+++", 3) ||
		    !strncmp(line, "@@", 2))
			continue;
		if (line[0] == '-') {
			nminus++;
			minus = line;
		} else if (line[0] == '+') {
			nplus++;
			plus = line;
		} else {
			fail_msg("unexpected diff line '%s'", line);
		}
	}
	assert_int_equal(nminus, 1);
	assert_int_equal(nplus, 1);
	assert_non_null(strstr(minus, "we do proper due diligence"));
	assert_non_null(strstr(plus, "we due properly due diligence"));
	free(diff);
	assert_true(r->template_similarity >= 90 &&
		    r->template_similarity < 100);
	j = emb_policy_to_json(r, false);
	assert_int_equal(
		json_integer_value(json_object_get(j, "template_similarity")),
		r->template_similarity);
	json_decref(j);
	emb_policy_result_free(r);
	free(repo);

	/* the org's own copy does not drift; configured, not passed */
	repo = repo_with("seeds/jet-SECURITY.md", "SECURITY.md");
	th_sh(repo, "git config embargo.policy.template '%s'", tmpl);
	r = check(repo);
	assert_int_equal(count(r, "template-drift"),
			 1); /* "Jet.com" vs "Jet" */
	emb_policy_result_free(r);
	free(repo);

	/* a name that changes half way is drift: one value everywhere */
	repo = new_repo();
	{
		char *src = th_data_path("seeds/klarna-SECURITY.md");
		char *text = slurp(src, NULL), *q;

		q = strstr(text, "Disclosing Security Bugs to Klarna");
		memcpy(q + strlen("Disclosing Security Bugs to "), "Acme  ", 6);
		th_write(repo, "SECURITY.md", text);
		free(text);
		free(src);
	}
	commit_on(repo, "2026-01-01", "renamed");
	r = check_opts(repo, &o);
	p = find(r, "template-drift");
	assert_non_null(p);
	assert_non_null(strstr(p->detail, "+## Responsibly Disclosing Security "
					  "Bugs to Acme"));
	assert_non_null(strstr(p->message, "org 'Klarna'"));
	emb_policy_result_free(r);
	free(repo);
	unlink(tmpl);
	tmpl[strlen(tmpl) - strlen("/template.md")] = '\0';
	rmdir(tmpl);
	free(tmpl);
}

static void test_template_exact(void **state)
{
	char *dir = th_mkdtemp(), *tmpl, *repo = new_repo();
	struct emb_policy_result *r;
	struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;

	(void)state;
	th_write(dir, "t.md",
		 "# {{org}} Security\n\nMail {{email}}; we are "
		 "{{org}}.\n");
	if (asprintf(&tmpl, "%s/t.md", dir) < 0)
		abort();
	o.template_path = tmpl;
	th_write(repo, "SECURITY.md",
		 "# Acme Corp  Security\r\n\r\n\r\nMail "
		 "sec@acme.io;\r\n we are Acme Corp.\r\n");
	commit_on(repo, "2026-01-01", "policy");
	r = check_opts(repo, &o);
	/* whitespace and line endings aside it is the template: but the
	 * line break in the middle of a sentence is a difference */
	assert_int_equal(count(r, "template-drift"), 1);
	emb_policy_result_free(r);
	th_write(repo, "SECURITY.md",
		 "# Acme Corp  Security\r\n\r\n\r\nMail "
		 "sec@acme.io;   we are Acme Corp.\r\n");
	commit_on(repo, "2026-01-02", "policy");
	r = check_opts(repo, &o);
	expect_rules(r, NULL);
	assert_int_equal(r->template_similarity, 100);
	emb_policy_result_free(r);
	free(tmpl);
	th_rmrf(dir);
	free(dir);
	free(repo);
}

/* ---- the organisation default ---- */

static void test_inherited(void **state)
{
	char *org = new_repo(), *repo = new_repo(), *url;
	struct emb_policy_result *r;
	struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;
	const struct emb_policy_problem *p;
	char d[16];

	(void)state;
	put_data(org, CORPUS "klarna-incubator__.github__SECURITY.md",
		 "SECURITY.md");
	commit_on(org, "2021-03-03", "org default");
	th_write(repo, "README.md", "x\n");
	commit_on(repo, "2026-01-01", "no policy");

	o.org_default = org;
	r = check_opts(repo, &o);
	expect_rules(r, "inherited", "foreign-domain", NULL);
	assert_true(r->inherited);
	assert_non_null(strstr(r->path, "SECURITY.md"));
	emb_date_format(d, sizeof(d), r->last_changed);
	assert_string_equal(d, "2021-03-03");
	p = find(r, "inherited");
	assert_int_equal(p->severity, EMB_SEV_WARNING);
	emb_policy_result_free(r);

	/* from config, and as a URL (cloned) */
	if (asprintf(&url, "file://%s", org) < 0)
		abort();
	th_sh(repo, "git config embargo.policy.orgDefault '%s'", url);
	r = check(repo);
	expect_rules(r, "inherited", "foreign-domain", NULL);
	emb_policy_result_free(r);

	/* the repository's own file wins */
	th_write(repo, "SECURITY.md", good);
	commit_on(repo, "2026-01-02", "own policy");
	r = check(repo);
	expect_rules(r, NULL);
	assert_false(r->inherited);
	emb_policy_result_free(r);

	/* an organisation without a default either */
	th_sh(org, "git rm -q SECURITY.md && git commit -q -m gone");
	th_sh(repo, "git rm -q SECURITY.md && git commit -q -m gone");
	r = check(repo);
	expect_rules(r, "missing", NULL);
	assert_non_null(strstr(find(r, "missing")->message,
			       "organisation default has none"));
	emb_policy_result_free(r);
	free(url);
	free(org);
	free(repo);
}

/* ---- dead links, here and in sibling repositories ---- */

static void test_dead_links(void **state)
{
	char *iavl, *security;
	struct emb_policy_result *r;
	struct emb_policy_opts o = EMB_POLICY_OPTS_INIT;
	const char *names[] = { "cosmos/security", NULL };
	const char *paths[2] = { NULL, NULL };

	(void)state;
	iavl = repo_with(CORPUS "cosmos__iavl__SECURITY.md", "SECURITY.md");
	security = new_repo();
	th_write(security, "SECURITY.md", good);
	th_write(security, "TIMELINE.md", "# t\n");
	commit_on(security, "2024-03-10", "central");
	paths[0] = security;
	o.siblings = names;
	o.sibling_paths = paths;
	r = check_opts(iavl, &o);
	/* "/../../security/advisories/new" is a GitHub route: not judged */
	expect_rules(r, "dead-link", NULL);
	assert_int_equal(count(r, "dead-link"), 2);
	assert_non_null(
		strstr(find(r, "dead-link")->message, "cosmos/security"));
	emb_policy_result_free(r);

	/* all three deleted, as on 2024-03-11 */
	th_sh(security, "git rm -q TIMELINE.md && git commit -q -m deleted");
	r = check_opts(iavl, &o);
	assert_int_equal(count(r, "dead-link"), 3);
	emb_policy_result_free(r);
	free(security);
	free(iavl);

	/* anchors: headings as GitHub names them */
	iavl = new_repo();
	th_write(iavl, "SECURITY.md",
		 "# Security Policy\n\n- [Reporting](#reporting-a-bug-or-"
		 "security-vulnerability)\n- [FAQ](#faq)\n- [Keys](#pgp-keys)"
		 "\n\n## Reporting a Bug or Security Vulnerability  \n\n"
		 "Mail security@acme.io.\n\n<a name=\"faq\"></a>\nNone yet.\n");
	commit_on(iavl, "2026-01-01", "policy");
	r = check(iavl);
	expect_rules(r, "dead-link", NULL);
	assert_int_equal(count(r, "dead-link"), 1);
	assert_int_equal(find(r, "dead-link")->line, 5);
	assert_non_null(strstr(find(r, "dead-link")->message, "#pgp-keys"));
	emb_policy_result_free(r);
	free(iavl);

	/* relative links, and absolute links to this repository */
	iavl = new_repo();
	th_write(iavl, ".github/SECURITY.md",
		 "# Security\n\nMail security@acme.io, see [the process]"
		 "(../docs/process.md#steps), [keys](keys/), "
		 "[faq](https://github.com/acme/widget/blob/main/docs/faq.md) "
		 "and "
		 "[old](https://github.com/acme/widget/blob/main/OLD.md).\n");
	th_write(iavl, "docs/process.md", "# p\n");
	th_write(iavl, ".github/keys/a.asc", "k\n");
	th_write(iavl, "docs/faq.md", "# f\n");
	commit_on(iavl, "2026-01-01", "policy");
	r = check(iavl);
	expect_rules(r, NULL); /* no remote: the absolute links are not ours */
	emb_policy_result_free(r);
	th_sh(iavl, "git remote add origin git@github.com:Acme/widget.git");
	r = check(iavl);
	expect_rules(r, "dead-link", NULL);
	assert_int_equal(count(r, "dead-link"), 1);
	assert_non_null(strstr(find(r, "dead-link")->message, "'OLD.md'"));
	emb_policy_result_free(r);
	free(iavl);
}

/* ---- output ---- */

static void test_sarif_and_text(void **state)
{
	char *repo = repo_with("seeds/klarna-SECURITY.md", "SECURITY.md");
	struct emb_policy_result *r = check(repo);
	json_t *log = emb_sarif_log(), *run, *res;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	emb_sarif_add_policy_run(log, r, "acme/widget", false);
	assert_string_equal(json_string_value(json_object_get(log, "version")),
			    "2.1.0");
	run = json_array_get(json_object_get(log, "runs"), 0);
	res = json_array_get(json_object_get(run, "results"), 0);
	assert_string_equal(json_string_value(json_object_get(res, "ruleId")),
			    "security-policy/foreign-domain");
	assert_string_equal(json_string_value(json_object_get(res, "level")),
			    "warning");
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(
				json_object_get(
					json_array_get(
						json_object_get(res,
								"locations"),
						0),
					"physicalLocation"),
				"region"),
			"startLine")),
		9);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(
				json_object_get(
					json_object_get(
						json_object_get(run, "tool"),
						"driver"),
					"rules"),
				0),
			"id")),
		"security-policy/foreign-domain");
	json_decref(log);

	f = open_memstream(&text, &len);
	emb_policy_print(f, r, false, false, "");
	fclose(f);
	assert_non_null(strstr(text, "warning: 'SECURITY.md' line 9: link "
				     "'responsible disclosure' goes to "
				     "corporate.walmart.com"));
	assert_non_null(strstr(text, "[foreign-domain]"));
	assert_non_null(strstr(text, "'SECURITY.md': warning (1 warning)"));
	free(text);
	emb_policy_result_free(r);
	free(repo);
}

int main(void)
{
	const struct CMUnitTest where[] = {
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_locations),
		cmocka_unit_test(test_several_and_case),
		cmocka_unit_test(test_symlink_and_submodule),
		cmocka_unit_test(test_bad_content),
		cmocka_unit_test(test_inherited),
	};
	const struct CMUnitTest says[] = {
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_corpus_details),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_contacts_as_written),
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_defunct_config),
		cmocka_unit_test(test_dead_links),
		cmocka_unit_test(test_sarif_and_text),
	};
	const struct CMUnitTest current[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_last_changed),
		cmocka_unit_test(test_older_than_release),
		cmocka_unit_test(test_older_than_release_claims),
		cmocka_unit_test(test_release_of_the_package),
		cmocka_unit_test(test_versions_stale),
		cmocka_unit_test(test_versions_current),
		cmocka_unit_test(test_versions_tables),
		cmocka_unit_test(test_versions_contradict),
	};
	const struct CMUnitTest drift[] = {
		cmocka_unit_test(test_template_drift),
		cmocka_unit_test(test_template_exact),
	};
	int failed = 0;

	(void)setup;
	th_env();
	git_libgit2_init();
	tmp = th_mkdtemp();
	failed += cmocka_run_group_tests_name("emb_policy_check: where", where,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_policy_check: what it says",
					      says, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_policy_check: is it current",
					      current, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_policy_check: template",
					      drift, NULL, NULL);
	th_rmrf(tmp);
	free(tmp);
	git_libgit2_shutdown();
	return failed ? 1 : 0;
}
