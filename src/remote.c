/*
 * remote.c - public or private: URL normal forms and pattern matching.
 *
 * git accepts a remote as a URL (scheme://[user@]host[:port]/path), as
 * scp-like syntax ([user@]host:path, recognised by a ':' before any
 * '/'), as "<transport>::<address>" for remote helpers, or as a local
 * path.  Each is reduced to the part that names the repository: the
 * host (lower case) and the path, or the absolute local path.  Nothing
 * here touches the network or the file system except realpath() on an
 * existing local path.
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

/*
 * Trailing '/', then ".git", then '/' again, keeping at least `keep`
 * bytes: "x.git/" and "x" match.
 */
static void trim_path(struct emb_buf *b, size_t keep)
{
	while (b->size > keep && b->ptr[b->size - 1] == '/')
		b->size--;
	if (b->size >= keep + 4 && !memcmp(b->ptr + b->size - 4, ".git", 4))
		b->size -= 4;
	while (b->size > keep && b->ptr[b->size - 1] == '/')
		b->size--;
	b->ptr[b->size] = '\0';
}

/* host[:port] with user@ already removed: keep the host, lower case. */
static void put_host(struct emb_buf *b, const char *host, size_t len)
{
	size_t i, end = len;

	if (len && host[0] == '[') {
		const char *close = memchr(host, ']', len);

		end = close ? (size_t)(close - host) + 1 : len;
	} else {
		const char *colon = memchr(host, ':', len);

		if (colon)
			end = (size_t)(colon - host);
	}
	for (i = 0; i < end; i++)
		emb_buf_putc(b, (char)tolower((unsigned char)host[i]));
}

/* After the host: "/org/repo" or "org/repo" -> "/org/repo". */
static void put_path(struct emb_buf *b, const char *path)
{
	size_t host_end = b->size;

	while (*path == '/')
		path++;
	emb_buf_putc(b, '/');
	emb_buf_puts(b, path);
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
	} else {
		emb_buf_puts(b, path);
	}
	trim_path(b, 1);
}

char *emb_remote_normalize(const char *url, const char *cwd)
{
	struct emb_buf b = EMB_BUF_INIT;
	const char *scheme_end, *colon, *slash, *helper;

	/* "<transport>::<address>" (remote helpers): the address counts */
	helper = strstr(url, "::");
	if (helper && helper > url &&
	    strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789+-.") == (size_t)(helper - url))
		url = helper + 2;

	scheme_end = strstr(url, "://");
	if (scheme_end) {
		const char *auth = scheme_end + 3, *path, *at;
		size_t scheme_len = (size_t)(scheme_end - url);

		if (scheme_len == 4 && !strncasecmp(url, "file", 4)) {
			/* file:///path or file://host/path: the path */
			path = strchr(auth, '/');
			local_path(&b, path ? path : "/", cwd);
			return emb_buf_detach(&b);
		}
		path = auth + strcspn(auth, "/");
		at = memchr(auth, '@', (size_t)(path - auth));
		while (at) { /* the last '@' ends the user part */
			const char *next = memchr(at + 1, '@',
						  (size_t)(path - at - 1));

			if (!next)
				break;
			at = next;
		}
		if (at)
			auth = at + 1;
		put_host(&b, auth, (size_t)(path - auth));
		put_path(&b, path);
		return emb_buf_detach(&b);
	}

	colon = strchr(url, ':');
	slash = strchr(url, '/');
	if (colon && (!slash || colon < slash) && colon > url) {
		/* scp-like: [user@]host:path ([::1]:path too) */
		const char *host = url, *at = memchr(url, '@', (size_t)(colon - url));

		if (url[0] == '[') {
			const char *close = strchr(url, ']');

			if (close && close[1] == ':')
				colon = close + 1;
		}
		if (at)
			host = at + 1;
		put_host(&b, host, (size_t)(colon - host));
		put_path(&b, colon + 1);
		return emb_buf_detach(&b);
	}

	/* a local path; a pattern without a scheme ("host/org/...") also
	 * lands here and keeps its "host/..." form */
	if (url[0] == '/' || url[0] == '.' || url[0] == '~')
		local_path(&b, url, cwd);
	else {
		const char *first = url + strcspn(url, "/");

		put_host(&b, url, (size_t)(first - url));
		if (*first)
			put_path(&b, first);
		else
			trim_path(&b, b.size);
	}
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

int emb_remote_is_private(bool *is_private, char **why, git_config *cfg,
			  const char *name, const char *url)
{
	char cwd[PATH_MAX], **patterns = NULL;
	size_t n = 0, i;
	int error = 0;

	*is_private = false;
	if (why)
		*why = NULL;
	if (!cfg)
		return 0;

	if (name && *name && strcmp(name, url)) {
		struct emb_buf key = EMB_BUF_INIT;
		git_config_entry *e = NULL;

		emb_buf_printf(&key, "remote.%s.embargo", name);
		error = git_config_get_entry(&e, cfg, key.ptr);
		if (error == 0) {
			if (!strcasecmp(e->value, "private") ||
			    !strcasecmp(e->value, "public")) {
				*is_private = !strcasecmp(e->value, "private");
				if (why)
					*why = emb_xstrdup(key.ptr);
				git_config_entry_free(e);
				emb_buf_release(&key);
				return 0;
			}
			emb_error_set("bad %s '%s': use 'private' or 'public'",
				      key.ptr, e->value);
			git_config_entry_free(e);
			emb_buf_release(&key);
			return EMB_ECONFIG;
		}
		git_error_clear();
		emb_buf_release(&key);
	}

	if ((error = emb_config_multivar(&patterns, &n, cfg,
					 "embargo.private")) < 0)
		return error;
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!*is_private && *patterns[i] &&
		    emb_remote_url_matches(patterns[i], url,
					   cwd[0] ? cwd : NULL)) {
			*is_private = true;
			if (why) {
				struct emb_buf w = EMB_BUF_INIT;

				emb_buf_printf(&w, "embargo.private '%s'",
					       patterns[i]);
				*why = emb_buf_detach(&w);
			}
		}
		free(patterns[i]);
	}
	free(patterns);
	return 0;
}

int emb_remote_repo_is_public(bool *is_public, git_config *cfg)
{
	int v = 1, error;

	*is_public = true;
	if (!cfg) {
		const char *forge = getenv("GITHUB_REPO_PUBLIC");

		*is_public = !(forge && !strcmp(forge, "false"));
		return 0;
	}
	error = git_config_get_bool(&v, cfg, "embargo.public");
	if (error == GIT_ENOTFOUND) {
		const char *forge = getenv("GITHUB_REPO_PUBLIC");

		git_error_clear();
		/* anything but "false" keeps the check on */
		if (forge && !strcmp(forge, "false"))
			*is_public = false;
		return 0;
	}
	if (error < 0) {
		emb_error_set_git("bad embargo.public");
		return EMB_ECONFIG;
	}
	*is_public = v != 0;
	return 0;
}
