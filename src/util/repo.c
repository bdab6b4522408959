/*
 * repo.c - open the repository from a path, the current folder, or the
 * environment git sets for hooks: the one place the tool opens one, with
 * flags for what a caller needs (repo.h).
 *
 * In a pre-receive hook the pushed objects are still in the quarantine
 * folder named by GIT_OBJECT_DIRECTORY, with the real object store in
 * GIT_ALTERNATE_OBJECT_DIRECTORIES; only GIT_REPOSITORY_OPEN_FROM_ENV
 * sees them.  libgit2 1.5 refuses that mode when GIT_WORK_TREE or
 * GIT_COMMON_DIR is set, so those are set aside while opening: the
 * tool never needs a work tree, and GIT_DIR alone finds the objects
 * and refs of a linked worktree through its commondir file.
 *
 * Two more variables are taken out of libgit2's hands.  git quotes an
 * entry of GIT_ALTERNATE_OBJECT_DIRECTORIES that holds the separator
 * (a repository path with ':'), C-style in double quotes; libgit2 1.5
 * only splits at ':', so it would look for the real object store in
 * two halves of its path.  The entries are read here as git reads them
 * and added to the object database.  GIT_NAMESPACE is not applied:
 * libgit2 1.5 lists no packed ref of a namespace, and the hooks decide
 * themselves which refs belong to it (remote.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embargo/error.h"
#include "embargo/repo.h"

static char *take_env(const char *name)
{
	const char *v = getenv(name);
	char *copy = v ? emb_xstrdup(v) : NULL;

	if (v)
		unsetenv(name);
	return copy;
}

static void restore_env(const char *name, char *value)
{
	if (value) {
		setenv(name, value, 1);
		free(value);
	}
}

/*
 * One entry of a PATH_SEP-separated list, as git's parse_alt_odb_entry()
 * reads it: a comment ('#'), a C-quoted path ("..."), else up to the
 * separator.  Quoting that does not parse is read unquoted, as git does.
 * @return where the next entry starts
 */
static const char *alt_entry(struct emb_buf *out, const char *s)
{
	const char *end;

	emb_buf_clear(out);
	if (*s == '#') {
		end = s + strcspn(s, ":");
	} else if (*s == '"' && emb_repo_unquote_c(out, s, &end) == 0) {
		/* "end" is past the closing quote */
	} else {
		end = s + strcspn(s, ":");
		emb_buf_put(out, s, (size_t)(end - s));
	}
	if (*end)
		end++;
	return end;
}

int emb_repo_unquote_c(struct emb_buf *out, const char *q, const char **endp)
{
	size_t old = out->size;

	if (*q++ != '"')
		return -1;
	for (;;) {
		size_t len = strcspn(q, "\"\\");
		int ch, ac;

		emb_buf_put(out, q, len);
		q += len;
		if (*q == '"') {
			*endp = q + 1;
			return 0;
		}
		if (*q++ != '\\')
			break; /* no closing quote */
		switch ((ch = *q++)) {
		case 'a':
			ch = '\a';
			break;
		case 'b':
			ch = '\b';
			break;
		case 'f':
			ch = '\f';
			break;
		case 'n':
			ch = '\n';
			break;
		case 'r':
			ch = '\r';
			break;
		case 't':
			ch = '\t';
			break;
		case 'v':
			ch = '\v';
			break;
		case '\\':
		case '"':
			break;
		case '0':
		case '1':
		case '2':
		case '3':
			ac = (ch - '0') << 6;
			if ((ch = *q++) < '0' || ch > '7')
				goto bad;
			ac |= (ch - '0') << 3;
			if ((ch = *q++) < '0' || ch > '7')
				goto bad;
			ch = ac | (ch - '0');
			break;
		default:
			goto bad;
		}
		emb_buf_putc(out, (char)ch);
	}
bad:
	out->size = old;
	if (out->ptr)
		out->ptr[old] = '\0';
	return -1;
}

static int add_alternates(git_repository *repo, const char *list)
{
	struct emb_buf entry = EMB_BUF_INIT;
	git_odb *odb = NULL;
	int error = 0;

	if (!list || !*list)
		return 0;
	if (git_repository_odb(&odb, repo) < 0) {
		emb_error_set_git("cannot open the object database");
		return EMB_EREPO;
	}
	while (*list && !error) {
		list = alt_entry(&entry, list);
		if (!entry.size)
			continue;
		if (git_odb_add_disk_alternate(odb, entry.ptr) < 0) {
			emb_error_set_git("cannot use the object store '%s' "
					  "(GIT_ALTERNATE_OBJECT_DIRECTORIES)",
					  entry.ptr);
			error = EMB_EREPO;
		}
	}
	git_odb_free(odb);
	emb_buf_release(&entry);
	return error;
}

int emb_repo_open(git_repository **out, const char *path, unsigned int flags)
{
	const char *gitdir = getenv("GIT_DIR");
	char cwd[PATH_MAX];
	int error;

	*out = NULL;
	if ((flags & EMB_REPO_OPEN_FROM_ENV) && !path && gitdir && *gitdir) {
		char *wt = take_env("GIT_WORK_TREE");
		char *common = take_env("GIT_COMMON_DIR");
		char *alt = take_env("GIT_ALTERNATE_OBJECT_DIRECTORIES");
		char *ns = take_env("GIT_NAMESPACE");

		error = git_repository_open_ext(
			out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
		restore_env("GIT_WORK_TREE", wt);
		restore_env("GIT_COMMON_DIR", common);
		restore_env("GIT_NAMESPACE", ns);
		if (error < 0) {
			free(alt);
			emb_error_set_git("cannot open repository '%s'",
					  gitdir);
			return EMB_EREPO;
		}
		error = add_alternates(*out, alt);
		restore_env("GIT_ALTERNATE_OBJECT_DIRECTORIES", alt);
		if (error < 0) {
			git_repository_free(*out);
			*out = NULL;
		}
		return error;
	}
	if (!path)
		path = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
	if (flags & EMB_REPO_OPEN_BARE)
		error = git_repository_open_bare(out, path);
	else
		error = git_repository_open_ext(
			out, path,
			flags & EMB_REPO_OPEN_NO_SEARCH ?
				GIT_REPOSITORY_OPEN_NO_SEARCH :
				0,
			NULL);
	if (error == GIT_ENOTFOUND) {
		emb_error_set("not a git repository: '%s'", path);
		return EMB_EREPO;
	}
	if (error < 0) {
		emb_error_set_git("cannot open repository '%s'", path);
		return EMB_EREPO;
	}
	return 0;
}
