/*
 * remote.c - public or private: URL normal forms and pattern matching.
 *
 * git accepts a remote as a URL (scheme://[user@]host[:port]/path), as
 * scp-like syntax ([user@]host:path, recognised by a ':' before any
 * '/'), as "<transport>::<address>" for remote helpers, or as a local
 * path; url.h splits them as git does.  Each is reduced here to the part
 * that names the repository: the host (lower case) and the path, or the
 * absolute local path.  Nothing here touches the network or the file
 * system except realpath() on an existing local path.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "embargo/buf.h"
#include "embargo/config.h"
#include "embargo/error.h"
#include "embargo/remote.h"
#include "embargo/url.h"

/*
 * Trailing '/', then ".git", then '/' again, keeping at least `keep`
 * bytes: "x.git/" and "x" match.
 */
static void trim_path(struct emb_buf *b, size_t keep)
{
	if (!b->ptr)
		return; /* nothing written: "" (an empty URL or pattern) */
	while (b->size > keep && b->ptr[b->size - 1] == '/')
		b->size--;
	if (b->size >= keep + 4 && !memcmp(b->ptr + b->size - 4, ".git", 4))
		b->size -= 4;
	while (b->size > keep && b->ptr[b->size - 1] == '/')
		b->size--;
	b->ptr[b->size] = '\0';
}

/* The host (url.h: no user, no port), lower case. */
static void put_host(struct emb_buf *b, const char *host, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		emb_buf_putc(b, (char)tolower((unsigned char)host[i]));
}

static void put_lexical(struct emb_buf *b, const char *path);

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * After the host: "/org/repo" or "org/repo" -> "/org/repo".  The path
 * is the one the server resolves: percent-escapes of unreserved
 * characters decoded (RFC 3986 calls them equivalent, so "%2e%2e" is
 * ".."), then "." and ".." segments and repeated slashes removed, as
 * curl does before sending and an ssh server's file system would.
 */
static void put_path(struct emb_buf *b, const char *path)
{
	struct emb_buf dec = EMB_BUF_INIT;
	size_t host_end = b->size;
	const char *p;

	emb_buf_putc(&dec, '/');
	for (p = path; *p; p++) {
		int hi, lo;

		if (p[0] == '%' && (hi = hexval(p[1])) >= 0 &&
		    (lo = hexval(p[2])) >= 0) {
			char c = (char)(hi * 16 + lo);

			if (isalnum((unsigned char)c) ||
			    (c && strchr("-._~", c))) {
				emb_buf_putc(&dec, c);
				p += 2;
				continue;
			}
		}
		emb_buf_putc(&dec, *p);
	}
	put_lexical(b, dec.ptr);
	emb_buf_release(&dec);
	trim_path(b, host_end);
}

/* Drop "." and ".." components of an absolute path, as the shell would. */
static void put_lexical(struct emb_buf *b, const char *path)
{
	size_t base = b->size;
	const char *p = path;

	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (b->size > base && b->ptr[b->size - 1] != '/')
				b->size--;
			if (b->size > base)
				b->size--;
		} else {
			emb_buf_putc(b, '/');
			emb_buf_put(b, p, len);
		}
		p += len;
	}
	if (b->size == base)
		emb_buf_putc(b, '/');
	b->ptr[b->size] = '\0';
}

static void local_path(struct emb_buf *b, const char *path, const char *cwd)
{
	char resolved[PATH_MAX];

	if (path[0] != '/' && cwd) {
		struct emb_buf joined = EMB_BUF_INIT;

		emb_buf_printf(&joined, "%s/%s", cwd, path);
		if (realpath(joined.ptr, resolved))
			emb_buf_puts(b, resolved);
		else
			put_lexical(b, joined.ptr);
		emb_buf_release(&joined);
	} else if (path[0] == '/' && cwd && !strpbrk(path, "*?[") &&
		   realpath(path, resolved)) {
		emb_buf_puts(b, resolved);
	} else if (path[0] == '/') {
		put_lexical(b, path);
	} else {
		emb_buf_puts(b, path);
	}
	trim_path(b, 1);
}

char *emb_remote_normalize(const char *url, const char *cwd)
{
	struct emb_buf b = EMB_BUF_INIT;
	struct emb_url u;

	/* of "<transport>::<address>" (remote helpers) the address counts */
	emb_url_parse(&u, url);
	if (u.kind == EMB_URL_SCHEME && !strcasecmp(u.scheme, "file")) {
		/* file:///path or file://host/path: the path */
		local_path(&b, *u.path ? u.path : "/", cwd);
	} else if (u.kind != EMB_URL_LOCAL) {
		put_host(&b, u.host, strlen(u.host));
		put_path(&b, u.path);
	} else if (strchr("/.~", u.path[0]) && u.path[0]) {
		local_path(&b, u.path, cwd);
	} else {
		/* a pattern without a scheme ("host/org/...") keeps its
		 * "host/..." form */
		const char *first = u.path + strcspn(u.path, "/");

		put_host(&b, u.path, (size_t)(first - u.path));
		if (*first)
			put_path(&b, first);
		else
			trim_path(&b, b.size);
	}
	emb_url_release(&u);
	return emb_buf_detach(&b);
}

bool emb_remote_url_matches(const char *pattern, const char *url,
			    const char *cwd)
{
	char *p = emb_remote_normalize(pattern, NULL);
	char *u = emb_remote_normalize(url, cwd);
	bool match = fnmatch(p, u, 0) == 0;

	free(p);
	free(u);
	return match;
}

/* --- a remote's URLs, as git computes them (its remote.c) --- */

struct strlist {
	char **v;
	size_t n;
};

static void strlist_add(struct strlist *l, char *owned)
{
	l->v = emb_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = owned;
}

static void strlist_release(struct strlist *l)
{
	emb_config_strv_free(l->v, l->n);
	l->v = NULL;
	l->n = 0;
}

struct rewrites {
	char **names, **values; /* url.<base>.insteadof = <prefix> */
	size_t n;
	size_t suffix; /* strlen(".insteadof") or ".pushinsteadof" */
};

static int rewrites_read(struct rewrites *r, git_config *cfg, bool push)
{
	r->suffix = push ? strlen(".pushinsteadof") : strlen(".insteadof");
	return emb_config_glob(&r->names, &r->values, &r->n, cfg,
			       push ? "^url\\..*\\.pushinsteadof$" :
				      "^url\\..*\\.insteadof$");
}

static void rewrites_release(struct rewrites *r)
{
	emb_config_strv_free(r->names, r->n);
	emb_config_strv_free(r->values, r->n);
}

/* The longest insteadOf prefix of `url` replaced by its base, or NULL. */
static char *alias_url(const char *url, const struct rewrites *r)
{
	struct emb_buf b = EMB_BUF_INIT;
	size_t i, best = 0, best_len = 0;
	bool found = false;

	for (i = 0; i < r->n; i++) {
		size_t len = strlen(r->values[i]);

		if (strncmp(url, r->values[i], len) ||
		    (found && len <= best_len))
			continue;
		found = true;
		best = i;
		best_len = len;
	}
	if (!found)
		return NULL;
	/* "url." <base> ".insteadof" */
	emb_buf_put(&b, r->names[best] + 4,
		    strlen(r->names[best]) - 4 - r->suffix);
	emb_buf_puts(&b, url + best_len);
	return emb_buf_detach(&b);
}

/* remote.<name>.<key> in order; an empty value clears the list. */
static int remote_values(struct strlist *out, git_config *cfg, const char *name,
			 const char *key)
{
	struct emb_buf k = EMB_BUF_INIT;
	char **v = NULL;
	size_t n = 0, i;
	int error;

	emb_buf_printf(&k, "remote.%s.%s", name, key);
	error = emb_config_multivar(&v, &n, cfg, k.ptr);
	emb_buf_release(&k);
	for (i = 0; i < n; i++) {
		if (*v[i]) {
			strlist_add(out, v[i]);
			continue;
		}
		free(v[i]);
		strlist_release(out);
	}
	free(v);
	return error;
}

/*
 * Where remote `name` fetches from and pushes to: every pushurl
 * (insteadOf applied); without one, the urls that a pushInsteadOf
 * rewrites, rewritten; without those, the urls (insteadOf applied).
 */
static int remote_urls(struct strlist *fetch, struct strlist *push,
		       git_config *cfg, const char *name)
{
	struct rewrites in = { 0 }, pin = { 0 };
	struct strlist url = { 0 }, pushurl = { 0 };
	size_t i;
	int error;

	if ((error = rewrites_read(&in, cfg, false)) < 0 ||
	    (error = rewrites_read(&pin, cfg, true)) < 0 ||
	    (error = remote_values(&url, cfg, name, "url")) < 0 ||
	    (error = remote_values(&pushurl, cfg, name, "pushurl")) < 0)
		goto done;
	for (i = 0; i < pushurl.n; i++) {
		char *a = alias_url(pushurl.v[i], &in);

		strlist_add(push, a ? a : emb_xstrdup(pushurl.v[i]));
	}
	for (i = 0; !pushurl.n && i < url.n; i++) {
		char *a = alias_url(url.v[i], &pin);

		if (a)
			strlist_add(push, a);
	}
	for (i = 0; i < url.n; i++) {
		char *a = alias_url(url.v[i], &in);

		strlist_add(fetch, a ? a : emb_xstrdup(url.v[i]));
	}
	for (i = 0; !push->n && i < fetch->n; i++)
		strlist_add(push, emb_xstrdup(fetch->v[i]));
done:
	rewrites_release(&in);
	rewrites_release(&pin);
	strlist_release(&url);
	strlist_release(&pushurl);
	return error;
}

/* The same repository, in any of the URL forms. */
static bool same_repository(const char *a, const char *b, const char *cwd)
{
	char *na = emb_remote_normalize(a, cwd);
	char *nb = emb_remote_normalize(b, cwd);
	bool same = strcmp(na, nb) == 0;

	free(na);
	free(nb);
	return same;
}

/* remote.<name>.embargo: 1 private, -1 public, 0 not set. */
static int remote_marking(int *mark, git_config *cfg, const char *name)
{
	struct emb_buf key = EMB_BUF_INIT;
	git_config_entry *e = NULL;
	int error = 0;

	*mark = 0;
	emb_buf_printf(&key, "remote.%s.embargo", name);
	if (git_config_get_entry(&e, cfg, key.ptr) == 0) {
		/* a security fork is private, and more (push.h) */
		if (!strcasecmp(e->value, "private") ||
		    !strcasecmp(e->value, "security"))
			*mark = 1;
		else if (!strcasecmp(e->value, "public"))
			*mark = -1;
		else {
			emb_error_set("bad %s '%s': use 'private', 'public' "
				      "or 'security'",
				      key.ptr, e->value);
			error = EMB_ECONFIG;
		}
	}
	git_config_entry_free(e);
	git_error_clear();
	emb_buf_release(&key);
	return error;
}

/*
 * Why `url` is private (a heap string), or NULL: an embargo.private
 * pattern, or the remote's marking when `url` is one of the URLs it
 * fetches from (`marked`, NULL when the remote is not marked).
 */
static char *private_reason(const char *url, char **patterns, size_t n,
			    const struct strlist *marked, const char *name,
			    const char *cwd)
{
	struct emb_buf w = EMB_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (*patterns[i] &&
		    emb_remote_url_matches(patterns[i], url, cwd)) {
			emb_buf_printf(&w, "embargo.private '%s'", patterns[i]);
			return emb_buf_detach(&w);
		}
	}
	for (i = 0; marked && i < marked->n; i++) {
		if (same_repository(marked->v[i], url, cwd)) {
			emb_buf_printf(&w, "remote.%s.embargo", name);
			return emb_buf_detach(&w);
		}
	}
	return NULL;
}

int emb_remote_is_private(bool *is_private, char **why, git_config *cfg,
			  const char *name, const char *url)
{
	struct strlist fetch = { 0 }, push = { 0 };
	char cwdbuf[PATH_MAX], **patterns = NULL, *reason = NULL;
	const char *cwd;
	size_t n = 0, i;
	int mark = 0, error = 0;
	bool named = name && *name && strcmp(name, url);

	*is_private = false;
	if (why)
		*why = NULL;
	if (!cfg)
		return 0;
	cwd = getcwd(cwdbuf, sizeof(cwdbuf)) ? cwdbuf : NULL;

	if (named) {
		if ((error = remote_marking(&mark, cfg, name)) < 0)
			return error;
		if (mark < 0) {
			if (why) {
				struct emb_buf w = EMB_BUF_INIT;

				emb_buf_printf(&w, "remote.%s.embargo", name);
				*why = emb_buf_detach(&w);
			}
			return 0;
		}
		if ((error = remote_urls(&fetch, &push, cfg, name)) < 0)
			goto done;
	}
	if ((error = emb_config_multivar(&patterns, &n, cfg,
					 "embargo.private")) < 0)
		goto done;

	/* the URL of this push, then every other the remote pushes to:
	 * public when any of them is */
	strlist_add(&push, emb_xstrdup(url));
	for (i = push.n; i-- > 0;) {
		const char *u = push.v[i];

		free(reason);
		reason = private_reason(u, patterns, n,
					mark > 0 ? &fetch : NULL, name, cwd);
		if (reason)
			continue;
		if (mark > 0 && why) {
			struct emb_buf w = EMB_BUF_INIT;

			emb_buf_printf(&w,
				       "remote.%s.embargo marks the URL "
				       "it fetches from private, and "
				       "pushes go to '%s'",
				       name, u);
			*why = emb_buf_detach(&w);
		}
		goto done;
	}
	*is_private = true;
	if (why) {
		*why = reason;
		reason = NULL;
	}
done:
	free(reason);
	emb_config_strv_free(patterns, n);
	strlist_release(&fetch);
	strlist_release(&push);
	return error;
}

struct forks {
	char **v;
	size_t n;
};

static int collect_fork(const git_config_entry *e, void *payload)
{
	struct forks *f = payload;
	const char *name = e->name + 7; /* "remote." */
	size_t len = strlen(name) - 8;	/* ".embargo" */

	if (!e->value || strcasecmp(e->value, "security"))
		return 0;
	f->v = emb_xrealloc(f->v, (f->n + 2) * sizeof(char *));
	f->v[f->n++] = emb_xstrndup(name, len);
	f->v[f->n] = NULL;
	return 0;
}

int emb_remote_security_forks(char ***names, size_t *n, git_config *cfg)
{
	struct forks f = { NULL, 0 };

	*names = NULL;
	*n = 0;
	if (!cfg)
		return 0;
	if (git_config_foreach_match(cfg, "^remote\\..+\\.embargo$",
				     collect_fork, &f) < 0) {
		emb_error_set_git("cannot read remote.<name>.embargo");
		return EMB_ECONFIG;
	}
	*names = f.v;
	*n = f.n;
	return 0;
}

int emb_remote_repo_is_public(bool *is_public, git_config *cfg)
{
	enum emb_config_public v;
	const char *forge;
	int error;

	*is_public = true;
	if ((error = emb_config_public(&v, cfg)) < 0)
		return error;
	if (v != EMB_PUBLIC_UNSET) {
		*is_public = v == EMB_PUBLIC_YES;
		return 0;
	}
	/* the forge's word; anything but "false" keeps the check on */
	forge = getenv("GITHUB_REPO_PUBLIC");
	if (forge && !strcmp(forge, "false"))
		*is_public = false;
	return 0;
}

/* --- which refs show what the receiver has --- */

static void refspecs_add(git_refspec ***v, size_t *n, const char *text)
{
	git_refspec *spec = NULL;

	/* one that libgit2 cannot parse (a negative refspec) names no
	 * tracking ref: fewer commits taken as the receiver's */
	if (git_refspec_parse(&spec, text, true) < 0) {
		git_error_clear();
		return;
	}
	*v = emb_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = spec;
}

int emb_remote_refs_client(struct emb_remote_refs *r, git_config *cfg,
			   const char *name, const char *url)
{
	struct strlist fetch = { 0 }, push = { 0 };
	char **keys = NULL, **values = NULL, cwdbuf[PATH_MAX];
	const char *cwd = getcwd(cwdbuf, sizeof(cwdbuf)) ? cwdbuf : NULL;
	size_t n = 0, i, nlen;
	int error;

	memset(r, 0, sizeof(*r));
	if (!cfg || !name || !*name || !strcmp(name, url))
		return 0;
	/* the tracking refs describe the repository the remote fetches
	 * from; for a push elsewhere (a pushurl, pushInsteadOf) they say
	 * nothing of what the receiver has */
	if ((error = remote_urls(&fetch, &push, cfg, name)) < 0)
		goto done;
	if (!fetch.n || !same_repository(fetch.v[0], url, cwd))
		goto done;
	if ((error = emb_config_glob(&keys, &values, &n, cfg,
				     "^remote\\..*\\.(fetch|url)$")) < 0)
		goto done;
	nlen = strlen(name);
	for (i = 0; i < n; i++) {
		/* "remote." <name> ".fetch" or ".url" */
		const char *sub = keys[i] + 7;
		size_t slen = (size_t)(strrchr(sub, '.') - sub);
		bool spec = !strcmp(sub + slen, ".fetch");

		if (slen == nlen && !strncmp(sub, name, nlen)) {
			if (spec)
				refspecs_add(&r->own, &r->nown, values[i]);
			continue;
		}
		if (spec)
			refspecs_add(&r->other, &r->nother, values[i]);
		r->other_names = emb_xrealloc(
			r->other_names, (r->nother_names + 1) * sizeof(char *));
		r->other_names[r->nother_names] = emb_xcalloc(slen + 1, 1);
		memcpy(r->other_names[r->nother_names++], sub, slen);
	}
done:
	emb_config_strv_free(keys, n);
	emb_config_strv_free(values, n);
	strlist_release(&fetch);
	strlist_release(&push);
	return error;
}

int emb_remote_refs_server(struct emb_remote_refs *r, git_config *cfg,
			   const char *ns)
{
	struct emb_buf prefix = EMB_BUF_INIT;
	char **keys = NULL;
	size_t i;
	int error;

	memset(r, 0, sizeof(*r));
	r->server = true;
	/* GIT_NAMESPACE "a/b" is refs/namespaces/a/refs/namespaces/b/ */
	while (ns && *ns) {
		size_t len = strcspn(ns, "/");

		if (len)
			emb_buf_printf(&prefix, "refs/namespaces/%.*s/",
				       (int)len, ns);
		ns += len;
		while (*ns == '/')
			ns++;
	}
	if (prefix.size)
		r->ns = emb_buf_detach(&prefix);
	emb_buf_release(&prefix);
	error = emb_config_glob(&keys, &r->hide, &r->nhide, cfg,
				"^(transfer|uploadpack)\\.hiderefs$");
	emb_config_strv_free(keys, r->nhide);
	for (i = 0; i < r->nhide; i++) {
		size_t len = strlen(r->hide[i]);

		while (len && r->hide[i][len - 1] == '/')
			r->hide[i][--len] = '\0';
	}
	return error;
}

/* git's ref_is_hidden(): the last matching hideRefs entry decides. */
static bool is_hidden(const struct emb_remote_refs *r, const char *name,
		      const char *full)
{
	size_t i;

	for (i = r->nhide; i-- > 0;) {
		const char *match = r->hide[i], *subject = name;
		bool neg = false;
		size_t len;

		if (*match == '!') {
			neg = true;
			match++;
		}
		if (*match == '^') {
			subject = full;
			match++;
		}
		len = strlen(match);
		if (subject && !strncmp(subject, match, len) &&
		    (!subject[len] || subject[len] == '/'))
			return !neg;
	}
	return false;
}

static bool tracking_matches(git_refspec *const *v, size_t n, const char *ref)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (git_refspec_dst_matches(v[i], ref))
			return true;
	return false;
}

bool emb_remote_refs_shows(const struct emb_remote_refs *r, const char *ref,
			   bool pushed)
{
	struct emb_buf full = EMB_BUF_INIT;
	const char *name = ref;
	bool shows;
	size_t i;

	if (!r->server) {
		if (pushed)
			return true; /* git read its value from the receiver */
		/* a refspec into refs/heads/ (a mirror) names refs that
		 * local work moves too: only refs/remotes/ are evidence */
		if (strncmp(ref, "refs/remotes/", 13) ||
		    !tracking_matches(r->own, r->nown, ref) ||
		    tracking_matches(r->other, r->nother, ref))
			return false;
		/* remote "acme" beside "acme/security": the latter's refs
		 * are not the former's, whatever the refspecs say */
		for (i = 0; i < r->nother_names; i++) {
			size_t len = strlen(r->other_names[i]);

			if (!strncmp(ref, "refs/remotes/", 13) &&
			    !strncmp(ref + 13, r->other_names[i], len) &&
			    ref[13 + len] == '/')
				return false;
		}
		return true;
	}
	if (r->ns && pushed) {
		emb_buf_printf(&full, "%s%s", r->ns, ref);
		ref = full.ptr;
	} else if (r->ns) {
		size_t len = strlen(r->ns);

		if (strncmp(ref, r->ns, len)) {
			emb_buf_release(&full);
			return false; /* another namespace's */
		}
		name = ref + len;
	}
	shows = !is_hidden(r, name, ref);
	emb_buf_release(&full);
	return shows;
}

void emb_remote_refs_release(struct emb_remote_refs *r)
{
	size_t i;

	for (i = 0; i < r->nown; i++)
		git_refspec_free(r->own[i]);
	for (i = 0; i < r->nother; i++)
		git_refspec_free(r->other[i]);
	free(r->own);
	free(r->other);
	emb_config_strv_free(r->other_names, r->nother_names);
	emb_config_strv_free(r->hide, r->nhide);
	free(r->ns);
	memset(r, 0, sizeof(*r));
}
