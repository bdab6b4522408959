/*
 * policy.c - finding the SECURITY.md of a revision and judging it.
 *
 * This file looks the file up in the tree of the revision (root, then
 * .github/, then docs/, the places GitHub and Scorecard recognise) or,
 * when the repository has none, in the organisation default; reads the
 * blob (at most POL_READ_CAP bytes of it); finds when it last changed;
 * and runs the rules over it.  Parsing is in policy_md.c and
 * policy_text.c, the rules in policy_rules.c and its siblings.  Nothing
 * here reads a work tree or follows a symbolic link.
 */
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embargo/buf.h"
#include "embargo/config.h"
#include "embargo/error.h"
#include "embargo/policy.h"
#include "embargo/repo.h"
#include "embargo/url.h"
#include "embargo/utf8.h"
#include "policy_int.h"

static void add_problem(struct emb_policy_result *r, enum emb_policy_rule rule,
			enum emb_severity sev, size_t line, const char *fmt,
			va_list ap)
{
	struct emb_policy_problem *p;
	struct emb_buf msg = EMB_BUF_INIT;

	emb_buf_vprintf(&msg, fmt, ap);
	r->problems = emb_xrealloc(r->problems,
				   (r->nproblems + 1) * sizeof(*r->problems));
	p = &r->problems[r->nproblems++];
	p->rule = emb_policy_rule(rule)->id;
	p->severity = sev;
	p->line = line;
	p->message = emb_buf_detach(&msg);
	p->detail = NULL;
}

void emb_policy_add(struct emb_policy_result *r, enum emb_policy_rule rule,
		    size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_problem(r, rule, emb_policy_rule(rule)->severity, line, fmt, ap);
	va_end(ap);
}

void emb_policy_add_sev(struct emb_policy_result *r, enum emb_policy_rule rule,
			enum emb_severity sev, size_t line, const char *fmt,
			...)
{
	va_list ap;

	va_start(ap, fmt);
	add_problem(r, rule, sev, line, fmt, ap);
	va_end(ap);
}

/* ---- where the file is ---- */

static const char *const policy_dirs[] = { "", ".github", "docs" };
static const char *const policy_exts[] = { ".md", ".markdown", ".rst",
					   ".adoc" };

/* @return the rank of the name (lower is preferred), -1 if no policy */
static int name_rank(const char *name)
{
	size_t i;

	if (strncasecmp(name, "security", 8))
		return -1;
	for (i = 0; i < sizeof(policy_exts) / sizeof(policy_exts[0]); i++)
		if (!strcasecmp(name + 8, policy_exts[i]))
			/* the exact name first, then by extension */
			return (int)i * 2 +
			       (strncmp(name, "SECURITY", 8) != 0 ||
				strcmp(name + 8, policy_exts[i]) != 0);
	return -1;
}

struct candidate {
	char *path;
	git_filemode_t mode;
	git_oid id;
	int dir, rank;
};

struct candidates {
	struct candidate *v;
	size_t n;
};

static int cand_order(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->dir != y->dir)
		return x->dir - y->dir;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->path, y->path);
}

static int find_candidates(struct candidates *out, git_repository *repo,
			   git_tree *root)
{
	size_t d;

	out->v = NULL;
	out->n = 0;
	for (d = 0; d < sizeof(policy_dirs) / sizeof(policy_dirs[0]); d++) {
		git_tree *tree = root;
		size_t i, n;

		if (*policy_dirs[d]) {
			const git_tree_entry *e =
				git_tree_entry_byname(root, policy_dirs[d]);

			if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE)
				continue;
			if (git_tree_lookup(&tree, repo, git_tree_entry_id(e)) <
			    0) {
				emb_error_set_git("cannot read '%s/'",
						  policy_dirs[d]);
				return EMB_EREPO;
			}
		}
		n = git_tree_entrycount(tree);
		for (i = 0; i < n; i++) {
			const git_tree_entry *e =
				git_tree_entry_byindex(tree, i);
			const char *name = git_tree_entry_name(e);
			struct candidate *c;
			struct emb_buf p = EMB_BUF_INIT;
			int rank = name_rank(name);

			if (rank < 0)
				continue;
			out->v = emb_xrealloc(out->v,
					      (out->n + 1) * sizeof(*out->v));
			c = &out->v[out->n++];
			if (*policy_dirs[d])
				emb_buf_printf(&p, "%s/", policy_dirs[d]);
			emb_buf_puts(&p, name);
			c->path = emb_buf_detach(&p);
			c->mode = git_tree_entry_filemode(e);
			git_oid_cpy(&c->id, git_tree_entry_id(e));
			c->dir = (int)d;
			c->rank = rank;
		}
		if (tree != root)
			git_tree_free(tree);
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cand_order);
	return 0;
}

static void free_candidates(struct candidates *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
}

static bool is_file(const struct candidate *c)
{
	return c->mode == GIT_FILEMODE_BLOB ||
	       c->mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static enum pol_format format_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && !strcasecmp(dot, ".rst"))
		return POL_RST;
	if (dot && !strcasecmp(dot, ".adoc"))
		return POL_ASCIIDOC;
	return POL_MARKDOWN;
}

/* ---- reading ---- */

struct content {
	char *text; /* NUL-terminated, at most POL_READ_CAP bytes */
	size_t len;
	size_t size; /* of the whole blob */
	bool truncated, unread;
};

static int read_blob(struct content *out, git_repository *repo,
		     const git_oid *id, size_t max_blob)
{
	git_odb *odb = NULL;
	git_blob *blob = NULL;
	git_object_t type;
	size_t size = 0;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_read_header(&size, &type, odb, id) < 0) {
		emb_error_set_git("cannot read blob %.12s",
				  git_oid_tostr_s(id));
		error = EMB_EREPO;
		goto done;
	}
	out->size = size;
	if (size > max_blob) {
		/* not even inflated: a policy this size is not one */
		out->unread = out->truncated = true;
		out->text = emb_xstrdup("");
		goto done;
	}
	if (git_blob_lookup(&blob, repo, id) < 0) {
		emb_error_set_git("cannot read blob %.12s",
				  git_oid_tostr_s(id));
		error = EMB_EREPO;
		goto done;
	}
	size = (size_t)git_blob_rawsize(blob);
	out->len = size;
	if (size > POL_READ_CAP) {
		const char *raw = git_blob_rawcontent(blob);
		size_t n = POL_READ_CAP;

		/* end at a line break, and never inside a UTF-8 sequence */
		while (n > POL_READ_CAP / 2 && raw[n - 1] != '\n')
			n--;
		if (raw[n - 1] != '\n')
			for (n = POL_READ_CAP;
			     n > 0 && ((unsigned char)raw[n] & 0xc0) == 0x80;
			     n--)
				;
		out->len = n;
		out->truncated = true;
	}
	out->text = emb_xstrndup(git_blob_rawcontent(blob), out->len);
done:
	git_blob_free(blob);
	git_odb_free(odb);
	return error;
}

/* @return the 1-based line of the first invalid UTF-8 byte, 0 if none */
static size_t bad_utf8_line(const char *s, size_t len)
{
	size_t bad = emb_utf8_invalid(s, len), i, line = 1;

	if (bad == len)
		return 0;
	for (i = 0; i < bad; i++)
		line += s[i] == '\n';
	return line;
}

static size_t human_kib(size_t n)
{
	return (n + 1023) / 1024;
}

/* ---- history ---- */

/* The id of `path` in a commit's tree; false when it is not there. */
static bool entry_at(git_oid *out, git_commit *commit, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	bool ok = false;

	if (git_commit_tree(&tree, commit) == 0 &&
	    git_tree_entry_bypath(&e, tree, path) == 0) {
		git_oid_cpy(out, git_tree_entry_id(e));
		ok = true;
	}
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_error_clear();
	return ok;
}

/*
 * The commit that last changed `path`, as `git log -1 -- path` finds
 * it: follow a parent that has the same version of the file (at a
 * merge, the first such parent, as history simplification does) until a
 * commit whose parents all differ.  One tree lookup per commit on that
 * line of history and nothing else; it stops at the first change.
 */
static int last_change(emb_date *out, git_commit *start, const char *path)
{
	git_commit *cur = NULL;
	git_oid id;
	size_t steps = 0;

	*out = EMB_DATE_NONE;
	if (!entry_at(&id, start, path))
		return 0;
	if (git_commit_dup(&cur, start) < 0)
		return 0;
	for (;;) {
		unsigned i, n = git_commit_parentcount(cur);
		git_commit *same = NULL;

		for (i = 0; i < n && !same; i++) {
			git_commit *p = NULL;
			git_oid pid;

			if (git_commit_parent(&p, cur, i) < 0) {
				/* a shallow boundary: the oldest we can see */
				git_error_clear();
				continue;
			}
			if (entry_at(&pid, p, path) && git_oid_equal(&pid, &id))
				same = p;
			else
				git_commit_free(p);
		}
		if (!same || ++steps > 10000000)
			break;
		git_commit_free(cur);
		cur = same;
	}
	*out = emb_date_from_time(git_commit_time(cur));
	git_commit_free(cur);
	return 0;
}

static void rule_older_than_release(struct pol_ctx *c)
{
	const struct pol_tag *latest = NULL;
	size_t i, after = 0;
	char d1[16], d2[16];

	if (c->res->last_changed == EMB_DATE_NONE ||
	    c->today - c->res->last_changed <= c->max_age)
		return;
	if (pol_load_tags(c) < 0)
		return;
	/* the latest release is the highest version, not the newest tag:
	 * a maintenance release of an old branch comes later by date */
	for (i = 0; i < c->tags.n; i++) {
		const struct pol_tag *t = &c->tags.v[i];

		if (t->version.pre || t->date <= c->res->last_changed)
			continue;
		after++;
		if (!latest ||
		    pol_version_cmp(&t->version, &latest->version) > 0)
			latest = t;
	}
	if (!after)
		return;
	emb_date_format(d1, sizeof(d1), c->res->last_changed);
	emb_date_format(d2, sizeof(d2), latest->date);
	/* a warning only when the versions the file names do not include
	 * the latest release ("2.4.x" still holds for 2.4.66) */
	if (c->version_claim && !pol_named_covers(c, &latest->version))
		emb_policy_add(c->res, EMB_RULE_OLDER_THAN_RELEASE, 0,
			       "'%s' last changed on %s, %d days ago, and %zu "
			       "release%s came after it, the latest %s on %s: "
			       "review the supported versions and contacts "
			       "and commit the result",
			       c->path, d1,
			       (int)(c->today - c->res->last_changed), after,
			       after == 1 ? "" : "s", latest->name, d2);
	else
		/* the versions it names still hold, or it names none:
		 * releases did not make it wrong */
		emb_policy_add_sev(
			c->res, EMB_RULE_OLDER_THAN_RELEASE, EMB_SEV_INFO, 0,
			"'%s' last changed on %s and %zu release%s "
			"came after it (the latest %s); no version it "
			"names leaves it out, so only its "
			"contacts could be stale",
			c->path, d1, after, after == 1 ? "" : "s",
			latest->name);
}

/* ---- judging one file's bytes ---- */

static bool only_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

static int judge(struct pol_ctx *c, const struct content *ct,
		 enum pol_format format)
{
	const char *text = ct->text;
	size_t len = ct->len, bad;
	struct pol_doc doc;
	int error = 0;

	if (ct->unread) {
		emb_policy_add_sev(
			c->res, EMB_RULE_TOO_LARGE, EMB_SEV_ERROR, 0,
			"'%s' is %zu KiB, more than embargo.maxBlobSize: "
			"it was not read; a policy is a page or two, "
			"replace it with one",
			c->path, human_kib(ct->size));
		return 0;
	}
	if (ct->size <= 1 || only_space(text, len)) {
		emb_policy_add(c->res, EMB_RULE_EMPTY, 0,
			       "'%s' is empty: say how to report a "
			       "vulnerability privately (a security e-mail "
			       "address or GitHub private vulnerability "
			       "reporting)",
			       c->path);
		return 0;
	}
	if ((len >= 2 && (((unsigned char)text[0] == 0xff &&
			   (unsigned char)text[1] == 0xfe) ||
			  ((unsigned char)text[0] == 0xfe &&
			   (unsigned char)text[1] == 0xff)))) {
		emb_policy_add(c->res, EMB_RULE_BINARY, 0,
			       "'%s' is UTF-16: GitHub and the tools that read "
			       "policies expect UTF-8; convert it",
			       c->path);
		return 0;
	}
	if (memchr(text, '\0', len < 8000 ? len : 8000)) {
		emb_policy_add(c->res, EMB_RULE_BINARY, 0,
			       "'%s' is not text (it holds NUL bytes): write "
			       "the policy as Markdown",
			       c->path);
		return 0;
	}
	if (ct->truncated)
		emb_policy_add(c->res, EMB_RULE_TOO_LARGE, 0,
			       "'%s' is %zu KiB: only its first %zu KiB were "
			       "read; a policy is a page or two, shorten it",
			       c->path, human_kib(ct->size), human_kib(len));
	if ((bad = bad_utf8_line(text, len)) != 0)
		emb_policy_add(c->res, EMB_RULE_ENCODING, bad,
			       "'%s' line %zu: not valid UTF-8: save the file "
			       "as UTF-8",
			       c->path, bad);
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}

	c->res->scorecard = pol_scorecard(text, len);
	pol_doc_parse(&doc, text, len, format);
	if (!doc.has_body) {
		emb_policy_add(c->res, EMB_RULE_EMPTY, 0,
			       "'%s' has headings but no text: say how to "
			       "report a vulnerability privately (a security "
			       "e-mail address or GitHub private vulnerability "
			       "reporting)",
			       c->path);
		goto done;
	}
	pol_rules_content(c, &doc);
	pol_rules_dates(c, &doc);
	if ((error = pol_rules_versions(c, &doc)) < 0 ||
	    (error = pol_rules_links(c, &doc)) < 0 ||
	    (error = pol_rules_template(c, text, len, &doc)) < 0)
		goto done;
done:
	pol_doc_release(&doc);
	return error;
}

/* ---- settings ---- */

static int read_settings(struct pol_ctx *c, size_t *max_blob,
			 char **org_default)
{
	struct emb_config conf;
	int error;

	*org_default = NULL;
	if ((error = emb_config_load(&conf, c->cfg)) < 0)
		goto done;
	c->max_age = conf.policy_max_age;
	*max_blob = conf.max_blob_size;
	c->domains = conf.policy_domains;
	c->ndomains = conf.n_policy_domains;
	c->defunct = conf.policy_defunct;
	c->ndefunct = conf.n_policy_defunct;
	conf.policy_domains = conf.policy_defunct = NULL;
	conf.n_policy_domains = conf.n_policy_defunct = 0;
	if (!c->opts->org_default) {
		*org_default = conf.policy_org_default;
		conf.policy_org_default = NULL;
	}
	if (c->opts->template_path) {
		c->template_path = emb_xstrdup(c->opts->template_path);
	} else {
		c->template_path = conf.policy_template;
		conf.policy_template = NULL;
	}
done:
	emb_config_release(&conf);
	return error;
}

char *pol_repo_id(const char *url)
{
	struct emb_buf b = EMB_BUF_INIT;
	struct emb_url u;
	const char *path;
	char *out = NULL;
	size_t pl, i;

	/* scheme://[user@]host[:port]/path or [user@]host:path (url.h) */
	emb_url_parse(&u, url);
	if (u.kind == EMB_URL_LOCAL || !*u.host)
		goto done;
	path = u.path;
	while (*path == '/')
		path++;
	pl = strlen(path);
	while (pl && path[pl - 1] == '/')
		pl--;
	if (pl > 4 && !strncmp(path + pl - 4, ".git", 4))
		pl -= 4;
	if (!pl || !memchr(path, '/', pl))
		goto done;
	emb_buf_puts(&b, u.host);
	emb_buf_putc(&b, '/');
	emb_buf_put(&b, path, pl);
	out = emb_buf_detach(&b);
	for (i = 0; out[i]; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
done:
	emb_url_release(&u);
	return out;
}

/*
 * The remotes' URLs, from the config snapshot.  Not git_remote_list():
 * in libgit2 1.5 it matches names with a regex whose pcre2 match data
 * is never freed.
 */
static void read_remotes(struct pol_ctx *c)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;

	if (!c->cfg || git_config_iterator_new(&it, c->cfg) < 0) {
		git_error_clear();
		return;
	}
	while (git_config_next(&e, it) == 0) {
		size_t n = strlen(e->name);
		char *id;

		if (strncmp(e->name, "remote.", 7) || n < 12 ||
		    strcmp(e->name + n - 4, ".url") || !e->value)
			continue;
		if ((id = pol_repo_id(e->value)) != NULL) {
			c->own = emb_xrealloc(c->own,
					      (c->nown + 1) * sizeof(char *));
			c->own[c->nown++] = id;
		}
	}
	git_config_iterator_free(it);
	git_error_clear();
}

/* ---- the organisation default ---- */

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

struct org_source {
	git_repository *repo; /* NULL for a plain file */
	char *tmpdir;	      /* a clone to remove */
	char *file;	      /* a plain file */
};

/*
 * Fetch the default branch of `url` into a new bare repository in
 * o->tmpdir, as refs/heads/default with HEAD on it.  An anonymous
 * remote without url.*.insteadOf and an explicit refspec rather than
 * git_clone(): libgit2 1.5 leaks pcre2 match data each time it matches
 * config names with a regex, which clone and insteadOf both do.
 */
static int fetch_org_default(struct org_source *o, const char *url)
{
	git_remote *remote = NULL;
	git_remote_create_options ro;
	git_fetch_options fo;
	char *spec = (char *)"+HEAD:refs/heads/default";
	git_strarray refspecs = { &spec, 1 };
	int error = 0;

	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
		   GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_repository_init(&o->repo, o->tmpdir, 1) < 0) {
		emb_error_set_git("cannot make a repository for '%s'", url);
		return EMB_EREPO;
	}
	ro.repository = o->repo;
	if (git_remote_create_with_opts(&remote, url, &ro) < 0 ||
	    git_remote_fetch(remote, &refspecs, &fo, NULL) < 0 ||
	    git_repository_set_head(o->repo, "refs/heads/default") < 0) {
		emb_error_set_git("cannot fetch organisation default '%s'",
				  url);
		error = EMB_EREPO;
	}
	git_remote_free(remote);
	return error;
}

static int open_org_default(struct org_source *o, const char *where)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	if (!emb_url_is_local(where)) {
		const char *tmp = getenv("TMPDIR");
		struct emb_buf dir = EMB_BUF_INIT;

		emb_buf_printf(&dir, "%s/git-embargo-org-XXXXXX",
			       tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir.ptr)) {
			emb_error_set("cannot make a folder for '%s': %s",
				      where, strerror(errno));
			emb_buf_release(&dir);
			return EMB_EREPO;
		}
		o->tmpdir = emb_buf_detach(&dir);
		return fetch_org_default(o, where);
	}
	if (stat(where, &st) < 0) {
		emb_error_set("cannot read organisation default '%s': %s",
			      where, strerror(errno));
		return EMB_ECONFIG;
	}
	if (S_ISREG(st.st_mode)) {
		o->file = emb_xstrdup(where);
		return 0;
	}
	if (emb_repo_open(&o->repo, where, EMB_REPO_OPEN_NO_SEARCH) < 0) {
		emb_error_set_git("cannot open organisation default '%s'",
				  where);
		return EMB_ECONFIG;
	}
	return 0;
}

static void close_org_default(struct org_source *o)
{
	git_repository_free(o->repo);
	if (o->tmpdir)
		nftw(o->tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(o->tmpdir);
	free(o->file);
	memset(o, 0, sizeof(*o));
}

static int read_file(struct content *out, const char *path, size_t max_blob)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!f || fstat(fileno(f), &st) < 0) {
		emb_error_set("cannot read '%s': %s", path, strerror(errno));
		if (f)
			fclose(f);
		return EMB_ECONFIG;
	}
	out->size = (size_t)st.st_size;
	if (out->size > max_blob) {
		out->unread = out->truncated = true;
		out->text = emb_xstrdup("");
		fclose(f);
		return 0;
	}
	out->text = emb_xmalloc(POL_READ_CAP + 1);
	n = fread(out->text, 1, POL_READ_CAP, f);
	fclose(f);
	out->text[n] = '\0';
	out->len = n;
	out->truncated = out->size > n;
	return 0;
}

/* Judge the organisation default for a repository without a policy. */
static int judge_inherited(struct pol_ctx *c, const char *where,
			   size_t max_blob, bool *found)
{
	struct org_source o;
	struct candidates cands = { NULL, 0 };
	struct content ct = { 0 };
	git_object *head = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	struct emb_buf shown = EMB_BUF_INIT;
	const struct candidate *use = NULL;
	size_t i;
	int error;

	*found = false;
	if ((error = open_org_default(&o, where)) < 0)
		goto done;
	if (o.file) {
		if ((error = read_file(&ct, o.file, max_blob)) < 0)
			goto done;
		emb_buf_puts(&shown, where);
		*found = true;
	} else {
		if (git_revparse_single(&head, o.repo, "HEAD") < 0 ||
		    git_object_peel((git_object **)&commit, head,
				    GIT_OBJECT_COMMIT) < 0 ||
		    git_commit_tree(&tree, commit) < 0) {
			emb_error_set_git("cannot read organisation default "
					  "'%s'",
					  where);
			error = EMB_ECONFIG;
			goto done;
		}
		if ((error = find_candidates(&cands, o.repo, tree)) < 0)
			goto done;
		for (i = 0; i < cands.n && !use; i++)
			if (is_file(&cands.v[i]))
				use = &cands.v[i];
		if (!use)
			goto done;
		*found = true;
		if ((error = read_blob(&ct, o.repo, &use->id, max_blob)) < 0)
			goto done;
		emb_buf_printf(&shown, "%s:%s", where, use->path);
		last_change(&c->res->last_changed, commit, use->path);
		c->file_repo = o.repo;
		c->file_tree = tree;
		c->file_dir = emb_xstrndup(
			use->path,
			strrchr(use->path, '/') ?
				(size_t)(strrchr(use->path, '/') - use->path) :
				0);
	}
	c->res->path = emb_buf_detach(&shown);
	c->res->inherited = true;
	c->path = c->res->path;
	emb_policy_add(c->res, EMB_RULE_INHERITED, 0,
		       "no SECURITY.md of its own: GitHub shows the "
		       "organisation default '%s', judged below; add one if "
		       "this repository's versions or contacts differ",
		       c->res->path);
	error = judge(c, &ct, format_of(use ? use->path : where));
	rule_older_than_release(c);
done:
	c->file_repo = NULL;
	c->file_tree = NULL;
	free(c->file_dir);
	c->file_dir = NULL;
	free(ct.text);
	free_candidates(&cands);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(head);
	close_org_default(&o);
	emb_buf_release(&shown);
	return error;
}

/* ---- the check ---- */

static void report_not_files(struct pol_ctx *c, const struct candidates *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		const struct candidate *k = &cs->v[i];

		if (is_file(k))
			continue;
		if (k->mode == GIT_FILEMODE_LINK) {
			git_blob *b = NULL;
			char target[256] = "?";

			if (git_blob_lookup(&b, c->repo, &k->id) == 0) {
				snprintf(target, sizeof(target), "%.*s",
					 (int)git_blob_rawsize(b),
					 (const char *)git_blob_rawcontent(b));
				git_blob_free(b);
			}
			git_error_clear();
			emb_policy_add(c->res, EMB_RULE_NOT_A_FILE, 0,
				       "'%s' is a symbolic link to '%s', which "
				       "GitHub does not follow: replace the "
				       "link with the file itself",
				       k->path, target);
		} else if (k->mode == GIT_FILEMODE_COMMIT) {
			emb_policy_add(c->res, EMB_RULE_NOT_A_FILE, 0,
				       "'%s' is a submodule, not a file: "
				       "remove the submodule and commit the "
				       "policy itself",
				       k->path);
		} else {
			emb_policy_add(c->res, EMB_RULE_NOT_A_FILE, 0,
				       "'%s' is a folder, not a file: move "
				       "the policy to a file named "
				       "SECURITY.md",
				       k->path);
		}
	}
}

static void ctx_release(struct pol_ctx *c)
{
	size_t i;

	for (i = 0; i < c->ndomains; i++)
		free(c->domains[i]);
	free(c->domains);
	for (i = 0; i < c->ndefunct; i++)
		free(c->defunct[i]);
	free(c->defunct);
	for (i = 0; i < c->nown; i++)
		free(c->own[i]);
	free(c->own);
	for (i = 0; i < c->tags.n; i++)
		free(c->tags.v[i].name);
	free(c->tags.v);
	free(c->template_path);
	free(c->file_dir);
	git_config_free(c->cfg);
}

int emb_policy_check(struct emb_policy_result **out, git_repository *repo,
		     const struct emb_policy_opts *opts)
{
	static const struct emb_policy_opts defaults = EMB_POLICY_OPTS_INIT;
	struct emb_policy_result *r = emb_xcalloc(1, sizeof(*r));
	struct pol_ctx c;
	struct candidates cands = { NULL, 0 };
	const struct candidate *use = NULL;
	struct content ct = { 0 };
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	char *org_default = NULL;
	const char *rev;
	size_t i, nfiles = 0, max_blob;
	int error = 0;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	rev = opts->rev ? opts->rev : "HEAD";
	memset(&c, 0, sizeof(c));
	c.repo = repo;
	c.opts = opts;
	c.res = r;
	c.strict = opts->strict;
	r->last_changed = EMB_DATE_NONE;
	r->template_similarity = -1;
	c.today = opts->today;
	if ((c.today == 0 || c.today == EMB_DATE_NONE) &&
	    (error = emb_date_today(&c.today)) < 0)
		goto done;
	if (git_repository_config_snapshot(&c.cfg, repo) < 0) {
		emb_error_set_git("cannot read git config");
		error = EMB_ECONFIG;
		goto done;
	}
	if ((error = read_settings(&c, &max_blob, &org_default)) < 0)
		goto done;
	read_remotes(&c);

	if (git_revparse_single(&obj, repo, rev) < 0) {
		emb_error_set_git("cannot resolve revision '%s'", rev);
		error = EMB_EREPO;
		goto done;
	}
	if (git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0)
		commit = NULL; /* a tree: no history to ask */
	git_error_clear();
	if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		emb_error_set_git("'%s' is not a commit or tree", rev);
		error = EMB_EREPO;
		goto done;
	}
	c.rev_tree = tree;
	if ((error = find_candidates(&cands, repo, tree)) < 0)
		goto done;
	report_not_files(&c, &cands);
	for (i = 0; i < cands.n; i++) {
		if (!is_file(&cands.v[i]))
			continue;
		if (!use)
			use = &cands.v[i];
		nfiles++;
	}

	if (!use) {
		const char *where =
			opts->org_default ? opts->org_default : org_default;
		bool found = false;

		if (where &&
		    (error = judge_inherited(&c, where, max_blob, &found)) < 0)
			goto done;
		if (!found && cands.n == 0)
			emb_policy_add(r, EMB_RULE_MISSING, 0,
				       "no security policy: add a SECURITY.md "
				       "at the root, in .github/ or in docs/ "
				       "saying how to report a vulnerability "
				       "privately%s",
				       where ? " (the organisation default "
					       "has none either)" :
					       "");
		goto done;
	}

	r->path = emb_xstrdup(use->path);
	c.path = r->path;
	if (nfiles > 1) {
		struct emb_buf others = EMB_BUF_INIT;
		size_t k = 0;

		for (i = 0; i < cands.n; i++)
			if (is_file(&cands.v[i]) && &cands.v[i] != use)
				emb_buf_printf(&others, "%s'%s'",
					       k++ ? ", " : "",
					       cands.v[i].path);
		emb_policy_add(r, EMB_RULE_SEVERAL, 0,
			       "%zu security policies: '%s' is used (root, "
			       "then .github/, then docs/) and %s ignored: "
			       "remove the others or make them point to it",
			       nfiles, use->path, others.ptr);
		emb_buf_release(&others);
	}
	if (use->rank % 2) {
		const char *base = strrchr(use->path, '/');
		char want[32];
		size_t k;

		base = base ? base + 1 : use->path;
		snprintf(want, sizeof(want), "SECURITY%s", base + 8);
		for (k = 8; want[k]; k++)
			want[k] = (char)tolower((unsigned char)want[k]);
		emb_policy_add(
			r, EMB_RULE_NAME_CASE, 0,
			"'%s': GitHub accepts any letter case, but other "
			"tools look for '%s' exactly: rename it with "
			"'git mv'",
			use->path, want);
	}
	if (commit)
		last_change(&r->last_changed, commit, use->path);
	if ((error = read_blob(&ct, repo, &use->id, max_blob)) < 0)
		goto done;
	c.file_repo = repo;
	c.file_tree = tree;
	c.file_dir = emb_xstrndup(
		use->path,
		strrchr(use->path, '/') ?
			(size_t)(strrchr(use->path, '/') - use->path) :
			0);
	if ((error = judge(&c, &ct, format_of(use->path))) < 0)
		goto done;
	rule_older_than_release(&c);

done:
	free(ct.text);
	free(org_default);
	free_candidates(&cands);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	ctx_release(&c);
	if (error < 0)
		emb_policy_result_free(r);
	else
		*out = r;
	return error;
}

void emb_policy_result_free(struct emb_policy_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nproblems; i++) {
		free(r->problems[i].message);
		free(r->problems[i].detail);
	}
	free(r->problems);
	free(r->path);
	free(r);
}

const char *emb_policy_status(const struct emb_policy_result *r, bool strict)
{
	const char *status = "ok";
	size_t i;

	for (i = 0; i < r->nproblems; i++) {
		if (r->problems[i].severity == EMB_SEV_ERROR)
			return "error";
		if (r->problems[i].severity == EMB_SEV_WARNING)
			status = strict ? "error" : "warning";
	}
	return status;
}

const char *emb_severity_name(enum emb_severity sev)
{
	switch (sev) {
	case EMB_SEV_ERROR:
		return "error";
	case EMB_SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}

enum emb_severity emb_severity_from_name(const char *name)
{
	if (name && !strcmp(name, "error"))
		return EMB_SEV_ERROR;
	if (name && !strcmp(name, "warning"))
		return EMB_SEV_WARNING;
	return EMB_SEV_INFO;
}

json_t *emb_policy_to_json(const struct emb_policy_result *r, bool strict)
{
	json_t *o = json_object(), *arr = json_array();
	char d[16];
	size_t i;

	json_object_set_new(o, "path",
			    r->path ? json_string(r->path) : json_null());
	json_object_set_new(o, "status",
			    json_string(emb_policy_status(r, strict)));
	if (r->last_changed == EMB_DATE_NONE) {
		json_object_set_new(o, "last_changed", json_null());
	} else {
		emb_date_format(d, sizeof(d), r->last_changed);
		json_object_set_new(o, "last_changed", json_string(d));
	}
	json_object_set_new(o, "scorecard", json_integer(r->scorecard));
	for (i = 0; i < r->nproblems; i++) {
		const struct emb_policy_problem *p = &r->problems[i];
		json_t *po =
			json_pack("{s:s, s:s, s:s, s:o}", "rule", p->rule,
				  "severity", emb_severity_name(p->severity),
				  "message", p->message, "line",
				  p->line ? json_integer((json_int_t)p->line) :
					    json_null());

		if (p->detail)
			json_object_set_new(po, "diff", json_string(p->detail));
		json_array_append_new(arr, po);
	}
	json_object_set_new(o, "problems", arr);
	json_object_set_new(o, "inherited", json_boolean(r->inherited));
	if (r->template_similarity >= 0)
		json_object_set_new(o, "template_similarity",
				    json_integer(r->template_similarity));
	return o;
}
