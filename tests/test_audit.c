/*
 * test_audit.c - the organisation audit's library on real repositories
 * made with git: discovery of sources, @FILE lists, shards, mirrors of
 * file:// URLs (clone, then incremental fetch with pruning), auditing
 * one repository, the worker pool's ordering, rows, the report writers
 * and the merge of shard outputs.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/list.h"
#include "embargo/match.h"
#include "embargo/report_html.h"

static const char list_text[] = "[embargo \"CVE-2026-1001\"]\n"
				"\tuntil = 2099-12-31\n";

struct env {
	char *dir;
	struct emb_list list;
	struct emb_matcher *m;
};

static struct env E;

static char *path_of(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", E.dir, name) < 0)
		abort();
	return p;
}

static int setup(void **state)
{
	char *list;

	(void)state;
	th_env();
	memset(&E, 0, sizeof(E));
	E.dir = th_mkdtemp();
	th_write(E.dir, "list", list_text);
	list = path_of("list");
	assert_int_equal(emb_list_load_file(&E.list, list), 0);
	assert_int_equal(emb_matcher_new(&E.m, &E.list, NULL, 0), 0);
	free(list);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	emb_matcher_free(E.m);
	emb_list_release(&E.list);
	th_rmrf(E.dir);
	free(E.dir);
	return 0;
}

/* The names of a source list, one per line, "!" marking an error. */
static char *names(const struct emb_audit_sources *s)
{
	struct emb_buf b = EMB_BUF_INIT;
	size_t i, n = strlen(E.dir) + 1;

	for (i = 0; i < s->n; i++) {
		const char *name = s->v[i].name;

		if (!strncmp(name, E.dir, n - 1) && name[n - 1] == '/')
			name += n; /* relative to the test folder */
		emb_buf_printf(&b, "%s%s%s\n", s->v[i].error ? "!" : "",
			       s->v[i].url ? "url:" : "", name);
	}
	return b.ptr ? emb_buf_detach(&b) : calloc(1, 1);
}

/* ---- emb_audit_is_url ------------------------------------------------ */

static void test_is_url(void **state)
{
	(void)state;
	assert_true(emb_audit_is_url("https://github.com/acme/x.git"));
	assert_true(emb_audit_is_url("git://127.0.0.1:9418/x.git"));
	assert_true(emb_audit_is_url("file:///srv/git/x.git"));
	assert_true(emb_audit_is_url("ssh://git@host/x.git"));
	assert_true(emb_audit_is_url("git@github.com:acme/x.git"));
	assert_true(emb_audit_is_url("host:x.git"));
	assert_false(emb_audit_is_url("org/team/x.git"));
	assert_false(emb_audit_is_url("./a:b"));
	assert_false(emb_audit_is_url("/srv/a:b"));
	assert_false(emb_audit_is_url("plain"));
	/* as git reads them (url.h): scp-like without a user, and a
	 * one-letter host, which git on POSIX runs ssh for */
	assert_true(emb_audit_is_url("host:org/repo"));
	assert_true(emb_audit_is_url("C:"));
	assert_true(emb_audit_is_url("persistent-https::https://h/x"));
	assert_false(emb_audit_is_url("/srv/x://h/y"));
}

/* ---- emb_audit_url_display ------------------------------------------ */

static void display_is(const char *url, const char *want)
{
	char *got = emb_audit_url_display(url);

	assert_string_equal(got, want);
	free(got);
}

static void test_url_display(void **state)
{
	(void)state;
	display_is("https://github.com/acme/x.git",
		   "https://github.com/acme/x.git");
	display_is("https://tok:x-oauth@github.com/acme/x.git",
		   "https://tok@github.com/acme/x.git");
	display_is("https://u:@h:8443/x", "https://u@h:8443/x");
	display_is("persistent-https::https://u:pw@h/x",
		   "persistent-https::https://u@h/x");
	/* a password with an '@' in it goes whole (the first '@' once
	 * left "ss" of "p@ss" in the report) */
	display_is("https://u:p@ss@h/x", "https://u@h/x");
	/* no password: as written */
	display_is("ssh://git@h:22/x", "ssh://git@h:22/x");
	display_is("git@h:acme/x", "git@h:acme/x");
	display_is("/srv/u:p@h/x", "/srv/u:p@h/x");
}

/* ---- shards ------------------------------------------------------------ */

static void test_shard_stable(void **state)
{
	(void)state;
	/* printf %s org/alpha | sha256sum: 4cae56cc6ae45c09... */
	assert_int_equal(emb_audit_shard_of("org/alpha", 4), 2);
	assert_int_equal(emb_audit_shard_of("org/alpha", 7), 5);
	assert_int_equal(
		emb_audit_shard_of("https://example.org/acme/widget.git", 4),
		4);
	assert_int_equal(emb_audit_shard_of("anything", 1), 1);
}

static void test_shard_covers(void **state)
{
	unsigned seen[6] = { 0 };
	char name[32];
	int i;

	(void)state;
	for (i = 0; i < 300; i++) {
		unsigned s;

		snprintf(name, sizeof(name), "org/repo-%d", i);
		s = emb_audit_shard_of(name, 5);
		assert_true(s >= 1 && s <= 5);
		seen[s]++;
	}
	for (i = 1; i <= 5; i++)
		assert_true(seen[i] > 30); /* 60 expected each */
}

static void test_parse_shard(void **state)
{
	static const char *const bad[] = { "0/4",  "5/4", "a/4",  "1/0",
					   "1/",   "/4",  "1/4x", "-1/4",
					   "1/-4", "",	  "14",	  NULL };
	unsigned i = 0, n = 0;
	int k;

	(void)state;
	assert_int_equal(emb_audit_parse_shard(&i, &n, "3/4"), 0);
	assert_int_equal(i, 3);
	assert_int_equal(n, 4);
	assert_int_equal(emb_audit_parse_shard(&i, &n, "1/1"), 0);
	for (k = 0; bad[k]; k++) {
		assert_int_equal(emb_audit_parse_shard(&i, &n, bad[k]),
				 EMB_EUSAGE);
		assert_non_null(strstr(emb_error_last(), "bad shard"));
	}
}

static void test_sources_shard(void **state)
{
	struct emb_audit_sources all = EMB_AUDIT_SOURCES_INIT;
	size_t total = 0;
	unsigned k;
	char name[32];
	int i;

	(void)state;
	for (k = 1; k <= 3; k++) {
		struct emb_audit_sources part = EMB_AUDIT_SOURCES_INIT;

		for (i = 0; i < 50; i++) {
			snprintf(name, sizeof(name), "https://h/o/r%d", i);
			assert_int_equal(emb_audit_sources_add(&part, name), 0);
		}
		emb_audit_sources_finish(&part);
		emb_audit_sources_shard(&part, k, 3);
		for (i = 0; i < (int)part.n; i++)
			assert_int_equal(emb_audit_shard_of(part.v[i].name, 3),
					 k);
		total += part.n;
		emb_audit_sources_release(&part);
	}
	assert_int_equal(total, 50);
	emb_audit_sources_release(&all);
}

/* ---- discovery ----------------------------------------------------------- */

static void make_tree(void)
{
	assert_int_equal(
		th_sh(E.dir,
		      "mkdir -p top/deep/er top/plain top/fake.git top/wt && "
		      "git init -q top/a && git init -q top/a/sub && "
		      "git init -q --bare top/b.git && "
		      "git init -q top/deep/er/c && "
		      "echo hi >top/plain/readme && "
		      "echo hi >top/fake.git/readme && "
		      "git init -q --separate-git-dir=\"$PWD/wt.git-dir\" "
		      "top/wt "
		      ">/dev/null && "
		      "ln -s a top/link && mkdir empty && echo x >file"),
		0);
}

static void test_discover(void **state)
{
	struct emb_audit_sources s = EMB_AUDIT_SOURCES_INIT;
	char *top = path_of("top"), *got;

	(void)state;
	make_tree();
	assert_int_equal(emb_audit_sources_add(&s, top), 0);
	emb_audit_sources_finish(&s);
	got = names(&s);
	/* no top/a/sub (inside a work tree), no top/link (symlink), no
	 * top/plain (a folder without repositories) */
	assert_string_equal(got, "top/a\n"
				 "top/b.git\n"
				 "top/deep/er/c\n"
				 "!top/fake.git\n"
				 "top/wt\n");
	assert_non_null(strstr(s.v[3].error, "not a git repository"));
	free(got);
	emb_audit_sources_release(&s);
	free(top);
}

static void test_discover_named(void **state)
{
	struct emb_audit_sources s = EMB_AUDIT_SOURCES_INIT;
	char *a, *missing, *file, *empty, *got;

	(void)state;
	make_tree();
	if (asprintf(&a, "%s/top/a///", E.dir) < 0)
		abort();
	missing = path_of("nowhere");
	file = path_of("file");
	empty = path_of("empty");
	assert_int_equal(emb_audit_sources_add(&s, a), 0);
	assert_int_equal(emb_audit_sources_add(&s, missing), 0);
	assert_int_equal(emb_audit_sources_add(&s, file), 0);
	assert_int_equal(emb_audit_sources_add(&s, empty), 0);
	assert_int_equal(emb_audit_sources_add(&s, "https://u:tok@h/o/r.git"),
			 0);
	assert_int_equal(emb_audit_sources_add(&s, "git@h:o/s.git"), 0);
	assert_int_equal(emb_audit_sources_add(&s, ""), EMB_EUSAGE);
	emb_audit_sources_finish(&s);
	got = names(&s);
	/* a repository named directly, trailing slashes dropped; the
	 * password is not part of the reported name */
	assert_string_equal(got, "!empty\n"
				 "!file\n"
				 "!nowhere\n"
				 "top/a\n"
				 "url:git@h:o/s.git\n"
				 "url:https://u@h/o/r.git\n");
	assert_string_equal(s.v[5].url, "https://u:tok@h/o/r.git");
	assert_non_null(strstr(s.v[0].error, "no git repository found"));
	assert_non_null(strstr(s.v[1].error, "is a file"));
	assert_non_null(strstr(s.v[2].error, "No such file"));
	free(got);
	emb_audit_sources_release(&s);
	free(a);
	free(missing);
	free(file);
	free(empty);
}

static void test_not_utf8(void **state)
{
	struct emb_audit_sources s = EMB_AUDIT_SOURCES_INIT;
	struct emb_audit_opts o;
	char *top = path_of("latin1");
	json_t *row;

	(void)state;
	assert_int_equal(th_sh(E.dir,
			       "mkdir -p \"latin1/caf$(printf '\\351')\" "
			       "&& git init -q \"latin1/caf$(printf "
			       "'\\351')/r\""),
			 0);
	assert_int_equal(emb_audit_sources_add(&s, top), 0);
	assert_int_equal(s.n, 1);
	/* the name is text, the path the bytes on disk */
	assert_non_null(strstr(s.v[0].name, "/latin1/caf\xef\xbf\xbd/r"));
	assert_non_null(strstr(s.v[0].path, "/latin1/caf\xe9/r"));
	memset(&o, 0, sizeof(o));
	o.matcher = E.m;
	o.jobs = 1;
	row = emb_audit_one(&s.v[0], &o, NULL);
	assert_int_equal(emb_audit_row_check(row), 0);
	assert_true(json_is_null(json_object_get(row, "error")));
	json_decref(row);

	emb_audit_sources_release(&s);
	free(top);
}

static void test_list_file(void **state)
{
	struct emb_audit_sources s = EMB_AUDIT_SOURCES_INIT;
	struct emb_buf text = EMB_BUF_INIT;
	char *lst, *nested, *got;

	(void)state;
	make_tree();
	nested = path_of("more.lst");
	emb_buf_printf(&text,
		       "# the organisation's repositories\n"
		       "\n"
		       "   %s/top/b.git   # bare\n"
		       "https://h/o/r.git#not-a-comment\n"
		       "@%s\n"
		       "%s/top/b.git\n",
		       E.dir, nested, E.dir);
	th_write(E.dir, "org.lst", text.ptr);
	th_write(E.dir, "more.lst", "\t# nothing but\n\ngit://h/o/q.git\n");
	lst = path_of("org.lst");
	emb_buf_clear(&text);
	emb_buf_printf(&text, "@%s", lst);
	assert_int_equal(emb_audit_sources_add(&s, text.ptr), 0);
	emb_audit_sources_finish(&s);
	got = names(&s);
	assert_string_equal(got, "top/b.git\n"
				 "url:git://h/o/q.git\n"
				 "url:https://h/o/r.git#not-a-comment\n");
	free(got);

	assert_int_equal(emb_audit_sources_add(&s, "@/nonexistent/list"),
			 EMB_EUSAGE);
	assert_non_null(strstr(emb_error_last(), "cannot read source list"));
	/* a list that includes itself stops */
	th_write(E.dir, "loop.lst", "");
	free(lst);
	lst = path_of("loop.lst");
	emb_buf_clear(&text);
	emb_buf_printf(&text, "@%s\n", lst);
	th_write(E.dir, "loop.lst", text.ptr);
	emb_buf_clear(&text);
	emb_buf_printf(&text, "@%s", lst);
	assert_int_equal(emb_audit_sources_add(&s, text.ptr), EMB_EUSAGE);
	assert_non_null(strstr(emb_error_last(), "nested"));
	emb_buf_release(&text);
	emb_audit_sources_release(&s);
	free(lst);
	free(nested);
}

/* ---- mirrors ---------------------------------------------------------- */

static char *git_out(const char *dir, const char *cmd)
{
	int status;
	char *out = th_sh_out(dir, &status, "%s", cmd);
	size_t n = strlen(out);

	assert_int_equal(status, 0);
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	return out;
}

static void test_mirror_path(void **state)
{
	char *p;

	(void)state;
	p = emb_audit_mirror_path("/c", "https://h/acme/Wid get.git/");
	assert_string_equal(p + strlen(p) - 12, "-Wid_get.git");
	assert_int_equal(strncmp(p, "/c/mirrors/", 11), 0);
	assert_int_equal(strlen(p), strlen("/c/mirrors/") + 16 + 12);
	free(p);
	p = emb_audit_mirror_path("/c", "git@h:acme/x");
	assert_string_equal(p + strlen(p) - 6, "-x.git");
	free(p);
}

static void test_mirror_clone_fetch(void **state)
{
	char *origin, *cache, *url, *mirror = NULL, *again = NULL, *out;
	bool fetched = true;

	(void)state;
	origin = th_repo(E.dir, "origin", false);
	cache = path_of("cache");
	assert_int_equal(th_commit(origin, "first"), 0);
	assert_int_equal(th_sh(origin, "git branch topic && git tag v1 && "
				       "git tag -a -m note v1-annotated"),
			 0);
	if (asprintf(&url, "file://%s", origin) < 0)
		abort();

	assert_int_equal(emb_audit_mirror(&mirror, &fetched, cache, url), 0);
	assert_false(fetched);
	out = git_out(mirror, "git for-each-ref --format='%(refname)' && "
			      "git symbolic-ref HEAD && "
			      "git rev-parse --is-bare-repository");
	assert_string_equal(out, "refs/heads/main\nrefs/heads/topic\n"
				 "refs/tags/v1\nrefs/tags/v1-annotated\n"
				 "refs/heads/main\ntrue");
	free(out);
	th_write(mirror, "marker", "still the same mirror\n");

	/* upstream moves on: a commit, a branch deleted, a new default */
	assert_int_equal(th_commit(origin, "second"), 0);
	assert_int_equal(th_sh(origin, "git branch -D topic >/dev/null && "
				       "git checkout -q -b dev"),
			 0);
	assert_int_equal(emb_audit_mirror(&again, &fetched, cache, url), 0);
	assert_true(fetched);
	assert_string_equal(again, mirror);
	assert_int_equal(access(again, F_OK), 0);
	out = git_out(mirror, "cat marker && git for-each-ref "
			      "--format='%(refname)' refs/heads && "
			      "git symbolic-ref HEAD && git log -1 --format=%s "
			      "main");
	assert_string_equal(out, "still the same mirror\nrefs/heads/dev\n"
				 "refs/heads/main\nrefs/heads/dev\nsecond");
	free(out);
	/* no temporary folder or stray lock left but the lock file */
	out = git_out(cache, "ls mirrors | sed 's/^[0-9a-f]*-//' | sort");
	assert_string_equal(out, "origin.git\norigin.git.lock");
	free(out);

	free(mirror);
	free(again);
	mirror = NULL;
	assert_int_equal(emb_audit_mirror(&mirror, NULL, cache,
					  "file:///nonexistent/repo.git"),
			 EMB_EREPO);
	assert_null(mirror);
	assert_non_null(strstr(emb_error_last(), "cannot clone"));
	free(url);
	free(origin);
	free(cache);
}

static void test_cache_dir(void **state)
{
	char *dir = NULL;
	char *old_xdg = getenv("XDG_CACHE_HOME") ?
				strdup(getenv("XDG_CACHE_HOME")) :
				NULL;

	(void)state;
	assert_int_equal(emb_audit_cache_dir(&dir, "/x/y"), 0);
	assert_string_equal(dir, "/x/y");
	free(dir);
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	assert_int_equal(emb_audit_cache_dir(&dir, NULL), 0);
	assert_string_equal(dir, "/xdg/git-embargo");
	free(dir);
	unsetenv("XDG_CACHE_HOME");
	assert_int_equal(emb_audit_cache_dir(&dir, NULL), 0);
	assert_non_null(strstr(dir, "/.cache/git-embargo"));
	free(dir);
	if (old_xdg)
		setenv("XDG_CACHE_HOME", old_xdg, 1);
	free(old_xdg);
}

/* ---- one repository ------------------------------------------------------ */

static void opts_init(struct emb_audit_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->matcher = E.m;
	assert_int_equal(emb_date_parse(&o->today, "2026-06-01"), 0);
	o->jobs = 1;
	o->diffs = true;
}

static json_t *audit_path(const char *path, const struct emb_audit_opts *o)
{
	struct emb_audit_source src = { NULL, NULL, NULL, NULL };

	src.name = (char *)path;
	src.path = (char *)path;
	return emb_audit_one(&src, o, NULL);
}

static void make_tagged(const char *repo)
{
	th_write(repo, "SECURITY.md", "# Security\n\nMail security@acme.net\n");
	assert_int_equal(th_commit(repo, "policy"), 0);
	assert_int_equal(th_sh(repo, "git checkout -q -b hot && echo x >x && "
				     "git add x && git commit -q -m "
				     "'fix CVE-2026-1001' && git tag t1 && "
				     "git checkout -q main && "
				     "git branch -q -D hot"),
			 0);
}

static void test_one_tag_only(void **state)
{
	struct emb_audit_opts o;
	const char *heads[] = { "refs/heads/*" };
	char *repo = th_repo(E.dir, "tagged", false);
	json_t *row, *f;

	(void)state;
	make_tagged(repo);
	opts_init(&o);
	row = audit_path(repo, &o);
	assert_int_equal(emb_audit_row_check(row), 0);
	assert_true(json_is_null(json_object_get(row, "error")));
	assert_true(json_is_true(json_object_get(row, "public")));
	assert_true(json_is_object(json_object_get(row, "policy")));
	assert_int_equal(json_array_size(json_object_get(row, "findings")), 1);
	f = json_array_get(json_object_get(row, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "identifier")),
			    "CVE-2026-1001");
	assert_string_equal(json_string_value(json_object_get(f, "kind")),
			    "message");
	json_decref(row);

	/* --refs narrows the scan to branches: nothing left */
	o.refs = heads;
	o.nrefs = 1;
	row = audit_path(repo, &o);
	assert_int_equal(json_array_size(json_object_get(row, "findings")), 0);
	json_decref(row);

	/* --redact hashes the identifier and drops the text around it */
	o.nrefs = 0;
	o.redact = true;
	row = audit_path(repo, &o);
	f = json_array_get(json_object_get(row, "findings"), 0);
	assert_int_equal(
		strncmp(json_string_value(json_object_get(f, "identifier")),
			"sha256:", 7),
		0);
	assert_true(json_is_null(json_object_get(f, "excerpt")));
	assert_true(json_is_null(json_object_get(f, "subject")));
	json_decref(row);
	free(repo);
}

static void test_one_visibility(void **state)
{
	struct emb_audit_opts o;
	struct emb_audit_visibility v[] = { { (char *)"*", false },
					    { (char *)"*/open*", true } };
	char *priv = th_repo(E.dir, "closed", false);
	char *open = th_repo(E.dir, "open", true);
	json_t *row;

	(void)state;
	opts_init(&o);
	o.visibility = v;
	o.nvisibility = 2;
	assert_false(emb_audit_is_public("x/closed", v, 2));
	assert_true(emb_audit_is_public("x/open", v, 2));
	assert_true(emb_audit_is_public("x/open", v, 0));

	row = audit_path(priv, &o);
	assert_true(json_is_false(json_object_get(row, "public")));
	json_decref(row);
	/* the repository's own embargo.public comes before the patterns */
	assert_int_equal(th_sh(priv, "git config embargo.public true"), 0);
	row = audit_path(priv, &o);
	assert_true(json_is_true(json_object_get(row, "public")));
	json_decref(row);
	assert_int_equal(th_sh(open, "git config embargo.public false"), 0);
	row = audit_path(open, &o);
	assert_true(json_is_false(json_object_get(row, "public")));
	json_decref(row);
	free(priv);
	free(open);
}

static void test_one_errors(void **state)
{
	struct emb_audit_opts o;
	struct emb_audit_source src = { (char *)"known", NULL, NULL,
					(char *)"told before" };
	char *plain = path_of("plain"), *inner;
	char *repo = th_repo(E.dir, "outer", false);
	json_t *row;

	(void)state;
	opts_init(&o);
	row = emb_audit_one(&src, &o, NULL);
	assert_string_equal(json_string_value(json_object_get(row, "error")),
			    "told before");
	assert_true(json_is_null(json_object_get(row, "policy")));
	json_decref(row);

	/* a folder inside a work tree is not that repository */
	if (asprintf(&inner, "%s/inside.git", repo) < 0)
		abort();
	assert_int_equal(th_sh(repo, "mkdir inside.git"), 0);
	row = audit_path(inner, &o);
	assert_non_null(strstr(json_string_value(json_object_get(row, "error")),
			       "not a git repository"));
	json_decref(row);

	assert_int_equal(th_sh(E.dir, "mkdir plain"), 0);
	row = audit_path(plain, &o);
	assert_int_equal(emb_audit_row_check(row), 0);
	assert_non_null(json_string_value(json_object_get(row, "error")));
	json_decref(row);

	/* an empty repository: neither a policy nor an error */
	free(repo);
	repo = th_repo(E.dir, "empty", true);
	row = audit_path(repo, &o);
	assert_int_equal(emb_audit_row_check(row), 0);
	assert_true(json_is_null(json_object_get(row, "policy")));
	assert_true(json_is_null(json_object_get(row, "error")));
	/* nothing to act on */
	assert_int_equal(emb_audit_row_verdict(row), EMB_VERDICT_OK);
	json_decref(row);

	/* HEAD names no branch: the policy is judged on main */
	assert_int_equal(
		th_sh(E.dir, "git init -q -b main dangle-src && cd dangle-src "
			     "&& echo '# Security' >SECURITY.md && "
			     "git add . && git commit -q -m x && "
			     "git init -q --bare ../dangle.git && "
			     "git push -q ../dangle.git main && cd "
			     "../dangle.git && git symbolic-ref HEAD "
			     "refs/heads/gone"),
		0);
	free(repo);
	repo = path_of("dangle.git");
	row = audit_path(repo, &o);
	assert_true(json_is_null(json_object_get(row, "error")));
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(row, "policy"), "path")),
			    "SECURITY.md");
	json_decref(row);
	/* ...and with two other branches, none main or master, the policy
	 * cannot be judged: the row is incomplete, says what to do, and
	 * the history is still scanned */
	assert_int_equal(th_sh(repo, "git branch -m main one && "
				     "git branch two one"),
			 0);
	row = audit_path(repo, &o);
	assert_true(json_is_null(json_object_get(row, "error")));
	assert_non_null(
		strstr(json_string_value(json_object_get(row, "incomplete")),
		       "HEAD names no branch and there are 2 others"));
	assert_int_equal(emb_audit_row_verdict(row), EMB_VERDICT_INCOMPLETE);
	json_decref(row);

	/* a shallow clone: what it holds is audited, and it is incomplete;
	 * its finding is kept (a public one: the verdict is a leak) */
	free(repo);
	repo = path_of("shallow");
	assert_int_equal(th_sh(E.dir, "cd dangle-src && for i in 1 2 3; do "
				      "git commit -q --allow-empty -m "
				      "\"CVE-2026-1001 $i\"; done && cd .. && "
				      "git clone -q --depth 1 "
				      "\"file://$PWD/dangle-src\" shallow"),
			 0);
	row = audit_path(repo, &o);
	assert_true(json_is_null(json_object_get(row, "error")));
	assert_non_null(
		strstr(json_string_value(json_object_get(row, "incomplete")),
		       "shallow"));
	assert_int_equal(json_array_size(json_object_get(row, "findings")), 1);
	assert_int_equal(emb_audit_row_verdict(row), EMB_VERDICT_LEAK);
	json_decref(row);

	/* a URL source without a cache is an error row, not a crash */
	src.error = NULL;
	src.url = (char *)"file:///nonexistent";
	row = emb_audit_one(&src, &o, NULL);
	assert_non_null(json_string_value(json_object_get(row, "error")));
	json_decref(row);
	free(plain);
	free(inner);
	free(repo);
}

/* ---- the pool --------------------------------------------------------- */

struct collect {
	struct emb_buf out;
	size_t stop_after;
	size_t n;
};

static int collect(void *payload, json_t *row)
{
	struct collect *c = payload;
	char *s = json_dumps(row, JSON_COMPACT);

	emb_buf_printf(&c->out, "%s\n", s);
	free(s);
	if (++c->n == c->stop_after) {
		emb_error_set("stop here");
		return EMB_ERROR;
	}
	return 0;
}

static void test_run_order(void **state)
{
	struct emb_audit_sources s = EMB_AUDIT_SOURCES_INIT;
	struct emb_audit_opts o;
	struct collect one = { EMB_BUF_INIT, 0, 0 },
		       three = { EMB_BUF_INIT, 0, 0 },
		       stop = { EMB_BUF_INIT, 2, 0 };
	char *org = path_of("org");
	int i;

	(void)state;
	for (i = 0; i < 12; i++) {
		char name[32], *r;

		snprintf(name, sizeof(name), "org/r%02d", 11 - i);
		r = th_repo(E.dir, name, i % 3 == 0);
		if (i % 3) {
			th_write(r, "f", i % 2 ? "CVE-2026-1001\n" : "clean\n");
			assert_int_equal(th_commit(r, "c"), 0);
		}
		free(r);
	}
	assert_int_equal(emb_audit_sources_add(&s, org), 0);
	emb_audit_sources_finish(&s);
	assert_int_equal(s.n, 12);

	opts_init(&o);
	o.emit = collect;
	o.payload = &one;
	assert_int_equal(emb_audit_run(&s, &o), 0);
	o.jobs = 3;
	o.payload = &three;
	assert_int_equal(emb_audit_run(&s, &o), 0);
	assert_int_equal(one.n, 12);
	assert_string_equal(one.out.ptr, three.out.ptr);
	/* a window smaller than the work: workers wait for the writer */
	for (i = 1; i <= 2; i++) {
		struct collect small = { EMB_BUF_INIT, 0, 0 };

		o.window = (size_t)i;
		o.payload = &small;
		assert_int_equal(emb_audit_run(&s, &o), 0);
		assert_string_equal(one.out.ptr, small.out.ptr);
		emb_buf_release(&small.out);
	}
	o.window = 0;
	assert_true(strstr(one.out.ptr, "/org/r00\"") <
		    strstr(one.out.ptr, "/org/r11\""));

	/* the callback's error stops the audit and is returned */
	o.payload = &stop;
	assert_int_equal(emb_audit_run(&s, &o), EMB_ERROR);
	assert_int_equal(stop.n, 2);

	/* a shard audits only its own */
	one.n = 0;
	emb_buf_clear(&one.out);
	o.payload = &one;
	o.shard = 2;
	o.shards = 3;
	assert_int_equal(emb_audit_run(&s, &o), 0);
	for (i = 0; i < (int)s.n; i++)
		one.n -= emb_audit_shard_of(s.v[i].name, 3) == 2;
	assert_int_equal(one.n, 0);

	emb_buf_release(&one.out);
	emb_buf_release(&three.out);
	emb_buf_release(&stop.out);
	emb_audit_sources_release(&s);
	free(org);
}

/* ---- rows, totals, writers -------------------------------------------- */

static const char *const sample_rows[] = {
	"{\"type\":\"repository\",\"repository\":\"o/a\",\"public\":true,"
	"\"policy\":{\"path\":\"SECURITY.md\",\"status\":\"ok\","
	"\"last_changed\":\"2026-05-02\",\"scorecard\":10,\"problems\":[]},"
	"\"findings\":[],\"error\":null}",
	"{\"type\":\"repository\",\"repository\":\"o/b<script>\",\"public\":"
	"true,\"policy\":{\"path\":null,\"status\":\"error\",\"last_changed\":"
	"null,\"scorecard\":0,\"problems\":[{\"rule\":\"missing\",\"severity\":"
	"\"error\",\"message\":\"no SECURITY.md\",\"line\":null}]},"
	"\"findings\":[{\"identifier\":\"CVE-2026-1001\",\"hashed\":false,"
	"\"until\":\"2099-12-31\",\"kind\":\"line\",\"commit\":"
	"\"0123456789abcdef0123456789abcdef01234567\",\"subject\":\"s\","
	"\"ref\":null,\"path\":\"a.c\",\"line\":3,\"excerpt\":\"CVE-2026-1001 "
	"<b>\",\"match\":\"CVE-2026-1001\"}],\"error\":null}",
	"{\"type\":\"repository\",\"repository\":\"o/c\",\"public\":false,"
	"\"policy\":{\"path\":\"SECURITY.md\",\"status\":\"warning\","
	"\"last_changed\":\"2023-01-01\",\"scorecard\":10,\"problems\":[{"
	"\"rule\":\"review-overdue\",\"severity\":\"warning\",\"message\":"
	"\"old\",\"line\":4}]},\"findings\":[{\"identifier\":\"CVE-2026-1001\","
	"\"hashed\":false,\"until\":null,\"kind\":\"tag\",\"commit\":null,"
	"\"subject\":null,\"ref\":\"refs/tags/CVE-2026-1001\",\"path\":null,"
	"\"line\":null,\"excerpt\":null,\"match\":\"CVE-2026-1001\"}],"
	"\"error\":null}",
	"{\"type\":\"repository\",\"repository\":\"o/d\",\"public\":true,"
	"\"policy\":null,\"findings\":[],\"error\":\"cannot clone: gone\"}",
	"{\"type\":\"repository\",\"repository\":\"o/e\",\"public\":true,"
	"\"policy\":null,\"findings\":[],\"error\":null}",
	NULL
};

static json_t *sample(int i)
{
	json_error_t err;
	json_t *v = json_loads(sample_rows[i], 0, &err);

	assert_non_null(v);
	return v;
}

static void test_summary(void **state)
{
	struct emb_audit_summary s;
	emb_date today;
	json_t *row, *js;
	int i;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(emb_date_parse(&today, "2026-06-01"), 0);
	for (i = 0; sample_rows[i]; i++) {
		row = sample(i);
		assert_int_equal(emb_audit_row_check(row), 0);
		emb_audit_summary_add(&s, row, today);
		if (i == 0)
			assert_int_equal(emb_audit_row_age(row, today), 30);
		json_decref(row);
	}
	assert_int_equal(s.repositories, 5);
	/* o/a ok; o/b leak (and a policy error); o/c private, warning;
	 * o/d not audited; o/e empty: ok */
	assert_int_equal(s.verdicts[EMB_VERDICT_OK], 2);
	assert_int_equal(s.verdicts[EMB_VERDICT_LEAK], 1);
	assert_int_equal(s.verdicts[EMB_VERDICT_WARNING], 1);
	assert_int_equal(s.verdicts[EMB_VERDICT_NOT_AUDITED], 1);
	assert_int_equal(s.verdicts[EMB_VERDICT_ERROR], 0);
	assert_int_equal(s.empty, 1);
	assert_int_equal(s.findings, 1);
	assert_int_equal(s.private_findings, 1);
	assert_int_equal(s.age[0], 1);
	assert_int_equal(s.age[3], 0);
	assert_int_equal(s.age[4], 1); /* 2023-01-01 */
	assert_int_equal(s.age[5], 1); /* o/b has no file */
	/* a leak is acted on before what could not be audited */
	assert_int_equal(emb_audit_summary_exit(&s), 1);
	s.verdicts[EMB_VERDICT_LEAK] = 0;
	assert_int_equal(emb_audit_summary_exit(&s), 3);
	s.verdicts[EMB_VERDICT_ERROR] = 1;
	assert_int_equal(emb_audit_summary_exit(&s), 1);
	s.verdicts[EMB_VERDICT_ERROR] = 0;
	s.verdicts[EMB_VERDICT_NOT_AUDITED] = 0;
	assert_int_equal(emb_audit_summary_exit(&s), 0);
	s.verdicts[EMB_VERDICT_INCOMPLETE] = 1;
	assert_int_equal(emb_audit_summary_exit(&s), 3);

	js = emb_audit_summary_json(&s);
	{
		char *a = json_dumps(js, JSON_COMPACT);

		assert_string_equal(
			a, "{\"type\":\"summary\",\"shard\":\"1/1\","
			   "\"sources\":\"\",\"repositories\":5,"
			   "\"verdicts\":{\"leak\":0,\"error\":0,"
			   "\"warning\":1,\"ok\":2,\"private-findings\":0,"
			   "\"incomplete\":1,\"not-audited\":0},"
			   "\"rows_incomplete\":0,\"findings\":1,\"private_"
			   "findings\":1,"
			   "\"suppressed\":0}");
		free(a);
	}
	json_decref(js);
}

static void test_verdict(void **state)
{
	static const struct {
		const char *row;
		enum emb_audit_verdict want;
	} cases[] = {
		/* a leak wins over a policy error and over an incomplete
		 * scan: it is what must be acted on first */
		{ "{\"public\":true,\"policy\":{\"status\":\"error\"},"
		  "\"findings\":[{}],\"error\":null,\"incomplete\":\"x\"}",
		  EMB_VERDICT_LEAK },
		/* a policy error found stands when the scan did not finish */
		{ "{\"public\":true,\"policy\":{\"status\":\"error\"},"
		  "\"findings\":[],\"error\":null,\"incomplete\":\"x\"}",
		  EMB_VERDICT_ERROR },
		{ "{\"public\":true,\"policy\":{\"status\":\"warning\"},"
		  "\"findings\":[],\"error\":null,\"incomplete\":\"x\"}",
		  EMB_VERDICT_INCOMPLETE },
		{ "{\"public\":false,\"policy\":{\"status\":\"error\"},"
		  "\"findings\":[{}],\"error\":null}",
		  EMB_VERDICT_ERROR },
		{ "{\"public\":false,\"policy\":{\"status\":\"ok\"},"
		  "\"findings\":[{}],\"error\":null}",
		  EMB_VERDICT_PRIVATE_FINDINGS },
		{ "{\"public\":true,\"policy\":null,\"findings\":[],"
		  "\"error\":\"cannot clone\"}",
		  EMB_VERDICT_NOT_AUDITED },
		/* a public repository holding the embargoed fix itself */
		{ "{\"public\":true,\"policy\":{\"status\":\"ok\"},"
		  "\"findings\":[{\"kind\":\"fix\"}],\"error\":null}",
		  EMB_VERDICT_LEAK },
		/* a finding a suppression accepted is not a leak */
		{ "{\"public\":true,\"policy\":{\"status\":\"warning\"},"
		  "\"findings\":[{\"suppressed\":true}],\"error\":null}",
		  EMB_VERDICT_WARNING },
		/* nor is one that is gone since the baseline */
		{ "{\"public\":true,\"policy\":{\"status\":\"ok\"},"
		  "\"findings\":[{\"gone\":true}],\"error\":null}",
		  EMB_VERDICT_OK },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_error_t err;
		json_t *row = json_loads(cases[i].row, 0, &err);

		assert_non_null(row);
		assert_int_equal(emb_audit_row_verdict(row), cases[i].want);
		emb_audit_row_set_verdict(row);
		assert_string_equal(
			json_string_value(json_object_get(row, "verdict")),
			emb_audit_verdict_name(cases[i].want));
		json_decref(row);
	}
	assert_string_equal(emb_audit_verdict_name(EMB_VERDICT_LEAK), "leak");
	assert_string_equal(
		emb_audit_verdict_name(EMB_VERDICT_PRIVATE_FINDINGS),
		"private-findings");
	assert_string_equal(emb_audit_verdict_name(EMB_VERDICT_NOT_AUDITED),
			    "not-audited");
}

static void test_row_check_redact(void **state)
{
	json_error_t err;
	json_t *row = sample(1), *f, *bad;
	char *again;

	(void)state;
	emb_audit_row_redact(row);
	f = json_array_get(json_object_get(row, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "identifier")),
			    "sha256:e19c73b528344585");
	assert_true(json_is_null(json_object_get(f, "excerpt")));
	assert_true(json_is_null(json_object_get(f, "subject")));
	assert_string_equal(json_string_value(json_object_get(f, "match")),
			    "sha256:e19c73b528344585");
	again = json_dumps(row, 0);
	emb_audit_row_redact(row); /* idempotent */
	{
		char *twice = json_dumps(row, 0);

		assert_string_equal(again, twice);
		free(twice);
	}
	free(again);
	json_decref(row);

	bad = json_loads("{\"type\":\"repository\",\"repository\":1}", 0, &err);
	assert_int_equal(emb_audit_row_check(bad), EMB_ECONFIG);
	json_decref(bad);
	bad = json_loads("{\"type\":\"summary\"}", 0, &err);
	assert_int_equal(emb_audit_row_check(bad), EMB_ECONFIG);
	json_decref(bad);
	bad = json_loads("[1]", 0, &err);
	assert_int_equal(emb_audit_row_check(bad), EMB_ECONFIG);
	json_decref(bad);
}

/* Render the sample rows in one format into a string. */
static char *render(enum emb_audit_format fmt)
{
	struct emb_audit_sink_opts so;
	struct emb_audit_sink *sink;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	memset(&so, 0, sizeof(so));
	assert_int_equal(emb_date_parse(&so.today, "2026-06-01"), 0);
	so.name_width = 12;
	assert_int_equal(emb_audit_sink_new(&sink, fmt, f, &so), 0);
	for (i = 0; sample_rows[i]; i++) {
		json_t *row = sample(i);

		assert_int_equal(emb_audit_sink_row(sink, row), 0);
		json_decref(row);
	}
	assert_int_equal(emb_audit_sink_finish(sink), 0);
	assert_int_equal(emb_audit_sink_summary(sink)->repositories, 5);
	emb_audit_sink_free(sink);
	fclose(f);
	return buf;
}

static void test_sink_text(void **state)
{
	char *out = render(EMB_AUDIT_TEXT);

	(void)state;
	assert_int_equal(strncmp(out,
				 "EMBARGOED IDENTIFIERS IN PUBLIC "
				 "REPOSITORIES (1)\n  CVE-2026-1001  1 "
				 "repository, 1 commit, no commit\n"
				 "      repositories: o/b<script>\n\n",
				 strlen("EMBARGOED IDENTIFIERS IN PUBLIC "
					"REPOSITORIES (1)\n  CVE-2026-1001  1 "
					"repository, 1 commit, no commit\n"
					"      repositories: o/b<script>\n\n")),
			 0);
	assert_non_null(strstr(out, "REPOSITORY    VERDICT           ACCESS   "
				    "POLICY      AGE  FINDINGS  DETAILS\n"));
	assert_non_null(strstr(out, "o/a           ok                public   "
				    "ok          30d         0  \n"));
	assert_non_null(strstr(out, "o/b<script>   leak              public   "
				    "error         -         1  missing\n"));
	assert_non_null(strstr(out, "    CVE-2026-1001  commit 0123456 \"s\": "
				    "a.c:3 (added)\n    fix: Remove the "
				    "references"));
	/* the policy warning comes before private references (allowed) */
	assert_non_null(strstr(out, "o/c           warning           private  "
				    "warning   "));
	assert_non_null(strstr(out, "review-overdue\n    CVE-2026-1001  tag "
				    "CVE-2026-1001\n    fix: Private "
				    "repository: allowed."));
	assert_non_null(strstr(out, "o/d           not-audited       public   "
				    "-             -         -  error: cannot "
				    "clone: gone\n    fix: Check the URL"));
	assert_non_null(strstr(out, "o/e           ok                public   "
				    "-             -         0  empty: no "
				    "commit to audit\n"));
	assert_non_null(strstr(out, "\n5 repositories: 1 leak, 0 error, 1 "
				    "warning, 2 ok, 0 private-findings, 0 "
				    "incomplete, 1 not-audited; 1 reference in "
				    "public repositories, 1 in private ones "
				    "(allowed)\n"));
	free(out);
}

static void test_sink_json(void **state)
{
	char *out = render(EMB_AUDIT_JSON), *line, *save = NULL;
	int i = 0;

	(void)state;
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), i++) {
		json_error_t err;
		json_t *v = json_loads(line, 0, &err);

		assert_non_null(v);
		if (i < 5) {
			json_t *want = sample(i);

			emb_audit_row_set_verdict(want);
			assert_true(json_equal(v, want));
			json_decref(want);
		} else {
			assert_string_equal(
				json_string_value(json_object_get(v, "type")),
				"summary");
		}
		json_decref(v);
	}
	assert_int_equal(i, 6);
	free(out);
}

static void test_sink_sarif(void **state)
{
	char *out = render(EMB_AUDIT_SARIF);
	json_error_t err;
	json_t *log = json_loads(out, 0, &err), *runs, *r;

	(void)state;
	assert_non_null(log);
	assert_string_equal(json_string_value(json_object_get(log, "version")),
			    "2.1.0");
	runs = json_object_get(log, "runs");
	assert_int_equal(json_array_size(runs), 5);
	/* o/b: one finding (error) and one policy problem */
	r = json_object_get(json_array_get(runs, 1), "results");
	assert_int_equal(json_array_size(r), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(r, 0), "level")),
			    "error");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(r, 1), "ruleId")),
			    "security-policy/missing");
	/* o/c is private: its finding is a note */
	r = json_object_get(json_array_get(runs, 2), "results");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(r, 0), "level")),
			    "note");
	/* o/d could not be audited */
	r = json_array_get(
		json_object_get(json_array_get(runs, 3), "invocations"), 0);
	assert_true(json_is_false(json_object_get(r, "executionSuccessful")));
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_array_get(runs, 3),
						    "automationDetails"),
				    "id")),
			    "git-embargo-audit/o/d/");
	json_decref(log);
	free(out);

	/* no rows: still a valid log */
	{
		struct emb_audit_sink_opts so;
		struct emb_audit_sink *sink;
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		memset(&so, 0, sizeof(so));
		assert_int_equal(
			emb_audit_sink_new(&sink, EMB_AUDIT_SARIF, f, &so), 0);
		assert_int_equal(emb_audit_sink_finish(sink), 0);
		emb_audit_sink_free(sink);
		fclose(f);
		log = json_loads(buf, 0, &err);
		assert_non_null(log);
		assert_int_equal(json_array_size(json_object_get(log, "runs")),
				 0);
		json_decref(log);
		free(buf);
	}
}

static void test_sink_html(void **state)
{
	char *out = render(EMB_AUDIT_HTML);
	struct emb_buf b = EMB_BUF_INIT;

	(void)state;
	assert_int_equal(strncmp(out, "<!DOCTYPE html>", 15), 0);
	assert_non_null(strstr(out, "default-src 'none'"));
	assert_non_null(strstr(out, "id=\"total-repositories\">5<"));
	assert_non_null(strstr(out, "id=\"total-not-audited\">1<"));
	assert_non_null(strstr(out, "id=\"total-leak\">1<"));
	assert_non_null(strstr(out, "<svg id=\"chart-age\""));
	assert_non_null(
		strstr(out, "data-label=\"no SECURITY.md\" data-count=\"1\""));
	/* the verdict chart has the leaks */
	assert_non_null(strstr(out, "data-label=\"leak\" data-count=\"1\""));
	assert_non_null(strstr(out, "data-label=\"ok\" data-count=\"2\""));
	/* the leaks per identifier come before the totals */
	assert_non_null(strstr(out, "<section id=\"leaks\" data-count=\"1\">"));
	assert_true(strstr(out, "id=\"leaks\"") < strstr(out, "id=\"totals\""));
	assert_non_null(strstr(out, "<tr data-identifier=\"CVE-2026-1001\">"));
	/* names and excerpts from repositories are escaped */
	assert_null(strstr(out, "o/b<script>"));
	assert_non_null(strstr(out, "o/b&lt;script&gt;"));
	assert_non_null(strstr(out, "CVE-2026-1001 &lt;b&gt;"));
	/* nothing is fetched: no src, no link, no url() */
	assert_null(strstr(out, " src="));
	assert_null(strstr(out, "<link"));
	assert_null(strstr(out, "url("));
	assert_null(strstr(out, "@import"));
	free(out);

	emb_html_escape(&b, "<a href=\"x\">'&'</a>");
	assert_string_equal(b.ptr, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
				   "&#39;&lt;/a&gt;");
	emb_buf_release(&b);
}

static void test_parse_format(void **state)
{
	enum emb_audit_format f;

	(void)state;
	assert_int_equal(emb_audit_parse_format(&f, "html"), 0);
	assert_int_equal(f, EMB_AUDIT_HTML);
	assert_int_equal(emb_audit_parse_format(&f, "xml"), EMB_EUSAGE);
	assert_non_null(strstr(emb_error_last(), "unknown format 'xml'"));
}

/* ---- merge ------------------------------------------------------------ */

static char *write_part(const char *name, const char *const *rows)
{
	struct emb_buf b = EMB_BUF_INIT;
	char *p;

	for (; *rows; rows++)
		emb_buf_printf(&b, "%s\n", *rows);
	th_write(E.dir, name, b.ptr ? b.ptr : "");
	emb_buf_release(&b);
	p = path_of(name);
	return p;
}

#define SUM(shard, n, src)                                                     \
	"{\"type\":\"summary\",\"shard\":\"" shard                             \
	"\",\"sources\":\"sha256:" src "\",\"repositories\":" #n "}"

static void test_merge(void **state)
{
	const char *p1[] = { sample_rows[0], sample_rows[2],
			     SUM("1/3", 2, "aa"), NULL };
	const char *p2[] = { sample_rows[1], sample_rows[3],
			     SUM("2/3", 2, "aa"), NULL };
	const char *p3[] = { SUM("3/3", 0, "aa"), NULL };
	const char *dup[] = { sample_rows[2], SUM("3/3", 1, "aa"), NULL };
	const char *unordered[] = { sample_rows[3], sample_rows[0],
				    SUM("1/1", 2, "aa"), NULL };
	const char *notjson[] = { sample_rows[0], "{oops", NULL };
	const char *notrow[] = { "{\"type\":\"repository\"}", NULL };
	const char *empty[] = { NULL };
	const char *cut[] = { sample_rows[1], NULL };
	const char *short3[] = { sample_rows[4], SUM("3/3", 2, "aa"), NULL };
	const char *other[] = { SUM("3/3", 0, "bb"), NULL };
	const char *four[] = { SUM("3/4", 0, "aa"), NULL };
	const char *old[] = { sample_rows[4],
			      "{\"type\":\"summary\",\"repositories\":1}",
			      NULL };
	const char *twice[] = { SUM("3/3", 0, "aa"), sample_rows[4], NULL };
	const struct {
		const char *name;
		const char *const *rows;
	} bad[] = {
		{ "empty.json", empty },  { "cut.json", cut },
		{ "short.json", short3 }, { "other.json", other },
		{ "four.json", four },	  { "old.json", old },
		{ "twice.json", twice },
	};
	static const char *const says[] = {
		"part '%s' is empty",
		"part '%s' is cut short: it ends after 1 rows without its "
		"summary line",
		"part '%s' is cut short: its summary says 2 repositories, it "
		"has 1 rows",
		"part '%s' is from another run: its sources",
		"part '%s' is shard 3/4, but '",
		"part '%s' line 2: the summary lacks the shard and the source "
		"digest",
		"part '%s' line 2: a row after the summary",
	};
	char *files[7], *path;
	const char *args[4];
	struct collect c = { EMB_BUF_INIT, 0, 0 };
	struct emb_audit_merge_info info;
	size_t i;

	(void)state;
	files[0] = write_part("p1.json", p1);
	files[1] = write_part("p2.json", p2);
	files[2] = write_part("p3.json", p3);
	files[3] = write_part("dup.json", dup);
	files[4] = write_part("unordered.json", unordered);
	files[5] = write_part("notjson.json", notjson);
	files[6] = write_part("notrow.json", notrow);

	args[0] = files[0];
	args[1] = files[1];
	args[2] = files[2];
	assert_int_equal(emb_audit_merge(args, 3, collect, &c, &info), 0);
	assert_int_equal(info.duplicates, 0);
	assert_int_equal(info.shards, 3);
	assert_string_equal(info.sources, "sha256:aa");
	assert_int_equal(c.n, 4);
	{
		const char *a = strstr(c.out.ptr, "\"o/a\""),
			   *b = strstr(c.out.ptr, "\"o/b<script>\""),
			   *cc = strstr(c.out.ptr, "\"o/c\""),
			   *d = strstr(c.out.ptr, "\"o/d\"");

		assert_true(a && b && cc && d && a < b && b < cc && cc < d);
	}
	/* shard 3 given as a part that repeats a row of shard 1 */
	args[2] = files[3];
	c.n = 0;
	assert_int_equal(emb_audit_merge(args, 3, collect, &c, &info), 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(info.duplicates, 1);

	/* a shard missing from the set */
	assert_int_equal(emb_audit_merge(args, 2, collect, &c, NULL),
			 EMB_ECONFIG);
	assert_string_equal(emb_error_last(), "shard 3/3 is missing: merge "
					      "the parts of every shard");

	args[0] = files[4];
	assert_int_equal(emb_audit_merge(args, 1, collect, &c, NULL),
			 EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "out of order"));
	args[0] = files[5];
	assert_int_equal(emb_audit_merge(args, 1, collect, &c, NULL),
			 EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "line 2: not JSON"));
	args[0] = files[6];
	assert_int_equal(emb_audit_merge(args, 1, collect, &c, NULL),
			 EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "line 1: not a line of"));
	args[0] = "/nonexistent.json";
	assert_int_equal(emb_audit_merge(args, 1, collect, &c, NULL),
			 EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "cannot open"));

	/* each bad third part is refused, naming it */
	args[0] = files[0];
	args[1] = files[1];
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct emb_buf want = EMB_BUF_INIT;

		path = write_part(bad[i].name, bad[i].rows);
		args[2] = path;
		assert_int_equal(emb_audit_merge(args, 3, collect, &c, NULL),
				 EMB_ECONFIG);
		emb_buf_printf(&want, says[i], path);
		if (!strstr(emb_error_last(), want.ptr))
			fail_msg("%s: '%s' lacks '%s'", bad[i].name,
				 emb_error_last(), want.ptr);
		emb_buf_release(&want);
		free(path);
	}

	for (i = 0; i < 7; i++)
		free(files[i]);
	emb_buf_release(&c.out);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest url[] = { T(test_is_url) };
	const struct CMUnitTest display[] = { T(test_url_display) };
	const struct CMUnitTest shard[] = { T(test_shard_stable),
					    T(test_shard_covers),
					    T(test_parse_shard),
					    T(test_sources_shard) };
	const struct CMUnitTest sources[] = { T(test_discover),
					      T(test_discover_named),
					      T(test_not_utf8),
					      T(test_list_file) };
	const struct CMUnitTest mirror[] = { T(test_mirror_path),
					     T(test_mirror_clone_fetch),
					     T(test_cache_dir) };
	const struct CMUnitTest one[] = { T(test_one_tag_only),
					  T(test_one_visibility),
					  T(test_one_errors) };
	const struct CMUnitTest run[] = { T(test_run_order) };
	const struct CMUnitTest rows[] = { T(test_summary), T(test_verdict),
					   T(test_row_check_redact) };
	const struct CMUnitTest sinks[] = {
		T(test_parse_format), T(test_sink_text), T(test_sink_json),
		T(test_sink_sarif), T(test_sink_html)
	};
	const struct CMUnitTest merge[] = { T(test_merge) };
	int failed = 0;

	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	json_object_seed(0);
	failed += cmocka_run_group_tests_name("emb_audit_is_url", url, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_audit_url_display", display,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_audit_shard_of", shard, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_audit_sources_add", sources,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_audit_mirror", mirror, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_audit_one", one, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_audit_run", run, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_audit_summary", rows, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_audit_sink", sinks, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_audit_merge", merge, NULL,
					      NULL);
	git_libgit2_shutdown();
	return failed;
}
