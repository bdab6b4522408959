/*
 * audit.c - what the audit audits: repositories found below folders,
 * URLs, and @FILE lists of either; sorting, de-duplication and shards.
 *
 * Discovery only looks at folder entries (no libgit2 here): a folder is
 * a repository when it has a `.git` entry (a work tree), when it has
 * HEAD, objects/ and refs/ (a bare repository or a git folder), or when
 * its name ends in ".git" (then it had better be one: if it is not, the
 * row says so).  Discovery never descends into a repository, nor follows
 * symbolic links, so a work tree's submodules and vendored copies are
 * not audited twice and a link loop cannot trap it.  Opening and
 * mirroring happen later, in the workers.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/list.h"
#include "embargo/sha256.h"
#include "embargo/url.h"
#include "embargo/utf8.h"

#define MAX_LIST_DEPTH 8

static void add_source(struct emb_audit_sources *list, const char *name,
		       const char *path, const char *url, const char *error)
{
	struct emb_audit_source *s;

	if (list->n == list->alloc) {
		list->alloc = list->alloc ? 2 * list->alloc : 64;
		list->v = emb_xrealloc(list->v, list->alloc * sizeof(*list->v));
	}
	s = &list->v[list->n++];
	/* names and messages go into JSON, which is UTF-8; paths and URLs
	 * are used as they are */
	s->name = emb_utf8_cleanz(name);
	s->path = path ? emb_xstrdup(path) : NULL;
	s->url = url ? emb_xstrdup(url) : NULL;
	s->error = error ? emb_utf8_cleanz(error) : NULL;
}

bool emb_audit_is_url(const char *s)
{
	/* git's reading (url.h): a URL, scp-like or a remote helper */
	return !emb_url_is_local(s);
}

/*
 * The name a URL is reported under: the URL without a password, so that
 * a token written into an @FILE list does not end up in shared reports.
 */
char *emb_audit_url_display(const char *url)
{
	struct emb_buf b = EMB_BUF_INIT;
	struct emb_url u;

	emb_url_parse(&u, url);
	if (u.kind != EMB_URL_SCHEME || !u.password) {
		emb_url_release(&u);
		return emb_xstrdup(url);
	}
	/* the parts as written, all but ":<password>" */
	if (u.helper)
		emb_buf_printf(&b, "%s::", u.helper);
	emb_buf_printf(&b, "%s://%s@%s", u.scheme, u.user, u.host);
	if (u.port)
		emb_buf_printf(&b, ":%s", u.port);
	emb_buf_puts(&b, u.path);
	emb_url_release(&u);
	return emb_buf_detach(&b);
}

static bool has_entry(const char *dir, const char *name, bool want_dir)
{
	struct emb_buf p = EMB_BUF_INIT;
	struct stat st;
	bool ok;

	emb_buf_printf(&p, "%s/%s", dir, name);
	ok = lstat(p.ptr, &st) == 0 &&
	     (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
	emb_buf_release(&p);
	return ok;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* A work tree (".git" folder or gitlink file) or a git folder. */
static bool looks_like_repo(const char *dir)
{
	struct emb_buf p = EMB_BUF_INIT;
	struct stat st;
	bool worktree;

	emb_buf_printf(&p, "%s/.git", dir);
	worktree = lstat(p.ptr, &st) == 0 &&
		   (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
	emb_buf_release(&p);
	return worktree || (has_entry(dir, "HEAD", false) &&
			    has_entry(dir, "objects", true) &&
			    has_entry(dir, "refs", true));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add every repository below `dir`; @return how many sources added. */
static size_t discover(struct emb_audit_sources *list, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i, found = 0;

	if (!d) {
		struct emb_buf msg = EMB_BUF_INIT;

		emb_buf_printf(&msg, "cannot read folder '%s': %s", dir,
			       strerror(errno));
		add_source(list, dir, dir, NULL, msg.ptr);
		emb_buf_release(&msg);
		return 1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 32;
			names = emb_xrealloc(names, alloc * sizeof(*names));
		}
		names[n++] = emb_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);

	for (i = 0; i < n; i++) {
		struct emb_buf child = EMB_BUF_INIT;
		struct stat st;

		if (!strcmp(dir, "/"))
			emb_buf_printf(&child, "/%s", names[i]);
		else
			emb_buf_printf(&child, "%s/%s", dir, names[i]);
		/* lstat: symbolic links are not followed */
		if (lstat(child.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (looks_like_repo(child.ptr)) {
				add_source(list, child.ptr, child.ptr, NULL,
					   NULL);
				found++;
			} else if (ends_with(names[i], ".git")) {
				struct emb_buf msg = EMB_BUF_INIT;

				emb_buf_printf(&msg,
					       "not a git repository: '%s' "
					       "has no HEAD, objects or refs",
					       child.ptr);
				add_source(list, child.ptr, child.ptr, NULL,
					   msg.ptr);
				emb_buf_release(&msg);
				found++;
			} else {
				found += discover(list, child.ptr);
			}
		}
		emb_buf_release(&child);
		free(names[i]);
	}
	free(names);
	return found;
}

static int add_one(struct emb_audit_sources *list, const char *arg, int depth);

static void trim(char **start, char **end)
{
	while (*start < *end && strchr(" \t\r\n", **start))
		(*start)++;
	while (*end > *start && strchr(" \t\r\n", (*end)[-1]))
		(*end)--;
}

static int add_list_file(struct emb_audit_sources *list, const char *file,
			 int depth)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int error = 0;

	if (depth >= MAX_LIST_DEPTH) {
		emb_error_set("source list '%s': lists nested more than %d "
			      "deep",
			      file, MAX_LIST_DEPTH);
		return EMB_EUSAGE;
	}
	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f) {
		emb_error_set("cannot read source list '%s': %s", file,
			      strerror(errno));
		return EMB_EUSAGE;
	}
	while (!error && (len = getline(&line, &cap, f)) >= 0) {
		char *start = line, *end = line + len, *hash;

		/* '#' at the start of a line or after a blank is a comment;
		 * inside a word it is part of it (a URL fragment) */
		for (hash = line; (hash = strchr(hash, '#')); hash++)
			if (hash == line || hash[-1] == ' ' ||
			    hash[-1] == '\t') {
				end = hash;
				break;
			}
		trim(&start, &end);
		if (start == end)
			continue;
		*end = '\0';
		error = add_one(list, start, depth + 1);
	}
	if (!error && ferror(f)) {
		emb_error_set("cannot read source list '%s': %s", file,
			      strerror(errno));
		error = EMB_EUSAGE;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return error;
}

static int add_one(struct emb_audit_sources *list, const char *arg, int depth)
{
	struct emb_buf path = EMB_BUF_INIT, msg = EMB_BUF_INIT;
	struct stat st;

	if (arg[0] == '@')
		return add_list_file(list, arg + 1, depth);
	if (emb_audit_is_url(arg)) {
		char *name = emb_audit_url_display(arg);

		add_source(list, name, NULL, arg, NULL);
		free(name);
		return 0;
	}

	/* a folder: drop trailing slashes, so names are the same however
	 * the folder was typed */
	emb_buf_puts(&path, arg);
	while (path.size > 1 && path.ptr[path.size - 1] == '/')
		path.ptr[--path.size] = '\0';

	if (stat(path.ptr, &st) < 0) {
		emb_buf_printf(&msg, "cannot open '%s': %s", path.ptr,
			       strerror(errno));
		add_source(list, path.ptr, path.ptr, NULL, msg.ptr);
	} else if (!S_ISDIR(st.st_mode)) {
		emb_buf_printf(&msg, "not a git repository: '%s' is a file",
			       path.ptr);
		add_source(list, path.ptr, path.ptr, NULL, msg.ptr);
	} else if (looks_like_repo(path.ptr) || ends_with(path.ptr, ".git")) {
		/* given by name: opening it tells whether it is one */
		add_source(list, path.ptr, path.ptr, NULL, NULL);
	} else if (discover(list, path.ptr) == 0) {
		emb_buf_printf(&msg, "no git repository found in '%s'",
			       path.ptr);
		add_source(list, path.ptr, path.ptr, NULL, msg.ptr);
	}
	emb_buf_release(&path);
	emb_buf_release(&msg);
	return 0;
}

int emb_audit_sources_add(struct emb_audit_sources *list, const char *arg)
{
	if (!*arg) {
		emb_error_set("empty source");
		return EMB_EUSAGE;
	}
	return add_one(list, arg, 0);
}

static int cmp_source(const void *a, const void *b)
{
	const struct emb_audit_source *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static void source_release(struct emb_audit_source *s)
{
	free(s->name);
	free(s->path);
	free(s->url);
	free(s->error);
}

void emb_audit_sources_finish(struct emb_audit_sources *list)
{
	size_t i, out = 0;

	if (!list->n)
		return;
	/* repeated names stand for the same source: which one stays does
	 * not matter */
	qsort(list->v, list->n, sizeof(*list->v), cmp_source);
	for (i = 0; i < list->n; i++) {
		if (out && !strcmp(list->v[out - 1].name, list->v[i].name)) {
			source_release(&list->v[i]);
			continue;
		}
		list->v[out++] = list->v[i];
	}
	list->n = out;
}

unsigned emb_audit_shard_of(const char *name, unsigned count)
{
	unsigned char h[EMB_SHA256_LEN];
	uint64_t v = 0;
	int i;

	emb_sha256(h, name, strlen(name));
	for (i = 0; i < 8; i++)
		v = (v << 8) | h[i];
	return count ? (unsigned)(v % count) + 1 : 1;
}

int emb_audit_parse_shard(unsigned *index, unsigned *count, const char *spec)
{
	const char *p = spec;
	unsigned long i, n;
	char *end;

	errno = 0;
	if (*p == '-' || *p == '+')
		goto bad;
	i = strtoul(p, &end, 10);
	if (end == p || *end != '/' || errno)
		goto bad;
	p = end + 1;
	if (*p == '-' || *p == '+')
		goto bad;
	n = strtoul(p, &end, 10);
	if (end == p || *end || errno || n < 1 || n > 1000000 || i < 1 || i > n)
		goto bad;
	*index = (unsigned)i;
	*count = (unsigned)n;
	return 0;
bad:
	emb_error_set("bad shard '%s': expected I/N with 1 <= I <= N", spec);
	return EMB_EUSAGE;
}

void emb_audit_sources_digest(char *out, const struct emb_audit_sources *list)
{
	struct emb_buf names = EMB_BUF_INIT;
	char hex[EMB_SHA256_HEX_SIZE];
	size_t i;

	for (i = 0; i < list->n; i++) {
		emb_buf_puts(&names, list->v[i].name);
		emb_buf_putc(&names, '\n');
	}
	emb_sha256_hex(hex, names.ptr, names.size);
	snprintf(out, EMB_AUDIT_DIGEST_SIZE, "sha256:%s", hex);
	emb_buf_release(&names);
}

void emb_audit_sources_shard(struct emb_audit_sources *list, unsigned index,
			     unsigned count)
{
	size_t i, out = 0;

	for (i = 0; i < list->n; i++) {
		if (emb_audit_shard_of(list->v[i].name, count) == index)
			list->v[out++] = list->v[i];
		else
			source_release(&list->v[i]);
	}
	list->n = out;
}

void emb_audit_sources_release(struct emb_audit_sources *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		source_release(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof(*list));
}
