/*
 * policy_links.c - links from the policy to files that do not exist:
 * relative links and links to this repository's files on its code host
 * (both checked in the tree of the revision judged), and, in an audit,
 * links to files of the organisation's other repositories (checked in
 * those repositories at the ref the link names).
 *
 * Relative links that climb above the repository root
 * ("/../../security/advisories/new") are GitHub routes, not files, and
 * are left alone; so are links whose ref cannot be resolved.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/error.h"
#include "embargo/repo.h"
#include "embargo/url.h"
#include "policy_int.h"

/* Percent-decoded copy of s[0..n). */
static char *decode(const char *s, size_t n)
{
	struct emb_buf b = EMB_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && emb_hexval(s[i + 1]) >= 0 &&
		    emb_hexval(s[i + 2]) >= 0) {
			emb_buf_putc(&b, (char)(emb_hexval(s[i + 1]) * 16 +
						emb_hexval(s[i + 2])));
			i += 2;
		} else {
			emb_buf_putc(&b, s[i]);
		}
	}
	return emb_buf_detach(&b);
}

/*
 * Join base and rel and resolve "." and "..": the result is a path in
 * the tree ("" for the root), or NULL when it climbs above the root.
 */
static char *resolve(const char *base, const char *rel)
{
	struct emb_buf in = EMB_BUF_INIT, out = EMB_BUF_INIT;
	char **seg = NULL;
	size_t n = 0, i;
	char *p, *save = NULL, *tok;
	bool above = false;

	if (rel[0] != '/' && *base)
		emb_buf_printf(&in, "%s/", base);
	emb_buf_puts(&in, rel);
	p = in.ptr;
	for (tok = strtok_r(p, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (!n) {
				above = true;
				break;
			}
			n--;
			continue;
		}
		seg = emb_xrealloc(seg, (n + 1) * sizeof(char *));
		seg[n++] = tok;
	}
	for (i = 0; i < n && !above; i++)
		emb_buf_printf(&out, "%s%s", i ? "/" : "", seg[i]);
	free(seg);
	emb_buf_release(&in);
	if (above) {
		emb_buf_release(&out);
		return NULL;
	}
	return emb_buf_detach(&out);
}

static bool in_tree(git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	bool ok;

	if (!*path)
		return true;
	ok = git_tree_entry_bypath(&e, tree, path) == 0;
	git_tree_entry_free(e);
	git_error_clear();
	return ok;
}

/* github.com/OWNER/REPO/(blob|tree|raw)/REST: "host/owner/repo", REST */
static bool code_host_link(const char *url, char **id, char **rest)
{
	const char *p, *seg[4];
	size_t len[4], k;
	struct emb_buf b = EMB_BUF_INIT;
	struct emb_url u;
	bool ok = false;
	char *s;

	/* the host as url.h reads it: no user, no port */
	emb_url_parse(&u, url);
	if (u.kind != EMB_URL_SCHEME || u.helper ||
	    (strcasecmp(u.scheme, "https") && strcasecmp(u.scheme, "http")) ||
	    u.path[0] != '/')
		goto done;
	seg[0] = u.host;
	len[0] = strlen(u.host);
	p = u.path + 1;
	for (k = 1; k < 4; k++) {
		seg[k] = p;
		len[k] = strcspn(p, "/?#");
		if (p[len[k]] != '/')
			goto done;
		p += len[k] + 1;
	}
	if (!((len[3] == 4 && !strncmp(seg[3], "blob", 4)) ||
	      (len[3] == 4 && !strncmp(seg[3], "tree", 4)) ||
	      (len[3] == 3 && !strncmp(seg[3], "raw", 3)) ||
	      (len[3] == 1 && seg[3][0] == '-'))) /* gitlab: /-/blob/ */
		goto done;
	if (len[3] == 1) {
		size_t n = strcspn(p, "/?#");

		if (!((n == 4 && !strncmp(p, "blob", 4)) ||
		      (n == 4 && !strncmp(p, "tree", 4))) ||
		    p[n] != '/')
			goto done;
		p += n + 1;
	}
	emb_buf_printf(&b, "%.*s/%.*s/%.*s", (int)len[0], seg[0], (int)len[1],
		       seg[1], (int)len[2], seg[2]);
	s = b.ptr;
	for (k = 0; s[k]; k++)
		s[k] = (char)tolower((unsigned char)s[k]);
	if (!strncmp(s, "www.", 4))
		memmove(s, s + 4, strlen(s + 4) + 1);
	*id = emb_buf_detach(&b);
	*rest = decode(p, strcspn(p, "?#"));
	ok = true;
done:
	emb_url_release(&u);
	return ok;
}

static bool is_own(const struct pol_ctx *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nown; i++)
		if (!strcmp(c->own[i], id))
			return true;
	return false;
}

/* Does sibling `name` stand for "host/owner/repo" id? */
static bool sibling_is(const char *name, const char *id)
{
	const char *owner_repo = strchr(id, '/') + 1, *repo_name;
	char buf[512];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", name);
	n = strlen(buf);
	while (n && buf[n - 1] == '/')
		buf[--n] = '\0';
	if (n > 4 && !strcmp(buf + n - 4, ".git"))
		buf[n -= 4] = '\0';
	repo_name = strrchr(owner_repo, '/') + 1;
	if (!strchr(buf, '/'))
		return !strcasecmp(buf, repo_name);
	/* "owner/repo" or a path ending in it */
	n = strlen(buf);
	if (n >= strlen(owner_repo) &&
	    !strcasecmp(buf + n - strlen(owner_repo), owner_repo) &&
	    (n == strlen(owner_repo) || buf[n - strlen(owner_repo) - 1] == '/'))
		return true;
	return false;
}

/* Find REF/PATH in a sibling: the shortest ref prefix that resolves. */
static void sibling_has(git_repository *repo, const char *rest, bool *exists,
			char **ref_out)
{
	static const char *const forms[] = { "refs/heads/%s",
					     "refs/remotes/origin/%s",
					     "refs/tags/%s", "%s" };
	const char *from = rest;

	*exists = false;
	*ref_out = NULL;
	for (;;) {
		const char *slash = strchr(from, '/');
		size_t n = slash ? (size_t)(slash - rest) : strlen(rest), k;
		char *ref = emb_xstrndup(rest, n);
		git_object *obj = NULL;
		git_tree *tree = NULL;

		for (k = 0; k < 4 && !obj; k++) {
			char spec[600];

			snprintf(spec, sizeof(spec), forms[k], ref);
			if (git_revparse_single(&obj, repo, spec) < 0)
				obj = NULL;
			git_error_clear();
		}
		if (obj && git_object_peel((git_object **)&tree, obj,
					   GIT_OBJECT_TREE) == 0) {
			*exists = in_tree(tree, slash ? slash + 1 : "");
			*ref_out = ref;
			git_tree_free(tree);
			git_object_free(obj);
			return;
		}
		git_error_clear();
		git_object_free(obj);
		free(ref);
		if (!slash)
			return;
		from = slash + 1;
	}
}

static void check_sibling(struct pol_ctx *c, const struct pol_link *l,
			  const char *id, const char *rest)
{
	const char *const *names = c->opts->siblings;
	size_t i;

	for (i = 0; names && names[i]; i++) {
		const char *where = c->opts->sibling_paths ?
					    c->opts->sibling_paths[i] :
					    names[i];
		git_repository *repo = NULL;
		char *ref = NULL;
		bool exists = false;
		const char *slash;

		if (!where || !sibling_is(names[i], id))
			continue;
		if (emb_repo_open(&repo, where, EMB_REPO_OPEN_NO_SEARCH) < 0) {
			git_error_clear();
			emb_error_clear();
			continue;
		}
		sibling_has(repo, rest, &exists, &ref);
		git_repository_free(repo);
		if (ref && !exists) {
			slash = strchr(id, '/') + 1;
			emb_policy_add(c->res, EMB_RULE_DEAD_LINK, l->line,
				       "'%s' line %zu: link '%s' points to "
				       "'%s' in %s, which does not exist at "
				       "%s: fix or remove the link",
				       c->path, l->line, l->text,
				       rest + strlen(ref) +
					       (rest[strlen(ref)] ? 1 : 0),
				       slash, ref);
		}
		free(ref);
		return;
	}
}

/* GitHub's anchor for a heading: lower case, punctuation dropped,
 * spaces to '-' (bytes of other scripts kept as they are). */
static char *slug(const char *heading)
{
	struct emb_buf b = EMB_BUF_INIT;
	const char *p;

	for (p = heading; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == ' ' || ch == '\n')
			emb_buf_putc(&b, '-');
		else if (isalnum(ch) || ch == '-' || ch == '_' || ch >= 0x80)
			emb_buf_putc(&b, (char)tolower(ch));
	}
	return emb_buf_detach(&b);
}

/* Is there a heading (or an HTML name/id) for the anchor? */
static bool has_anchor(const struct pol_doc *d, const char *anchor)
{
	char *want = decode(anchor, strlen(anchor)), *dup;
	struct emb_buf attr = EMB_BUF_INIT;
	size_t i, k;
	bool found = false;

	for (k = 0; want[k]; k++)
		want[k] = (char)tolower((unsigned char)want[k]);
	for (i = 0; i < d->nblocks && !found; i++) {
		char *s;

		if (d->blocks[i].kind != POL_BLK_HEADING)
			continue;
		s = slug(d->blocks[i].text);
		/* a repeated heading gets -1, -2, ...: accept the stem */
		found = !strcmp(s, want) ||
			(!strncmp(s, want, strlen(s)) &&
			 want[strlen(s)] == '-' &&
			 strspn(want + strlen(s) + 1, "0123456789") ==
				 strlen(want + strlen(s) + 1));
		free(s);
	}
	dup = emb_xstrndup(d->text, d->len);
	for (k = 0; dup[k]; k++)
		dup[k] = (char)tolower((unsigned char)dup[k]);
	emb_buf_printf(&attr, "name=\"%s\"", want);
	found = found || strstr(dup, attr.ptr);
	emb_buf_clear(&attr);
	emb_buf_printf(&attr, "id=\"%s\"", want);
	found = found || strstr(dup, attr.ptr);
	emb_buf_release(&attr);
	free(dup);
	free(want);
	return found;
}

int pol_rules_links(struct pol_ctx *c, const struct pol_doc *d)
{
	const char *rev = c->opts->rev ? c->opts->rev : "HEAD";
	size_t i;

	for (i = 0; i < d->nlinks; i++) {
		const struct pol_link *l = &d->links[i];
		const char *url = l->url;
		char *id = NULL, *rest = NULL;

		if (url[0] == '#' && url[1] && d->format == POL_MARKDOWN &&
		    !has_anchor(d, url + 1))
			emb_policy_add(c->res, EMB_RULE_DEAD_LINK, l->line,
				       "'%s' line %zu: link '%s' points to no "
				       "heading of the file: fix the anchor or "
				       "the heading",
				       c->path, l->line, url);
		if (!*url || url[0] == '#' || !strncasecmp(url, "mailto:", 7) ||
		    !strncmp(url, "//", 2))
			continue;
		if (!strstr(url, "://") && !strchr(url, ':')) {
			char *path = decode(url, strcspn(url, "?#"));
			char *full;

			if (!*path || strstr(path, "/security/advisories") ||
			    !c->file_tree) {
				free(path);
				continue;
			}
			full = resolve(c->file_dir ? c->file_dir : "", path);
			if (full && !in_tree(c->file_tree, full))
				emb_policy_add(
					c->res, EMB_RULE_DEAD_LINK, l->line,
					"'%s' line %zu: link '%s' points "
					"to '%s', which does not exist "
					"at %s: fix the path or add the "
					"file",
					c->path, l->line, url, full,
					c->res->inherited ? "the organisation "
							    "default's HEAD" :
							    rev);
			free(full);
			free(path);
			continue;
		}
		if (!code_host_link(url, &id, &rest))
			continue;
		if (is_own(c, id) && c->rev_tree) {
			/* blob/REF/PATH: the file is judged at REV */
			const char *slash = strchr(rest, '/');
			char *full = resolve("", slash ? slash + 1 : "");

			if (full && !in_tree(c->rev_tree, full))
				emb_policy_add(
					c->res, EMB_RULE_DEAD_LINK, l->line,
					"'%s' line %zu: link '%s' points "
					"to '%s' in this repository, "
					"which does not exist at %s: fix "
					"the link or add the file",
					c->path, l->line, url, full, rev);
			free(full);
		} else if (c->opts->siblings) {
			check_sibling(c, l, id, rest);
		}
		free(id);
		free(rest);
	}
	return 0;
}
