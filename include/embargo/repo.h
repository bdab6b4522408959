/*
 * repo.h - opening the repository a command works on.
 */
#ifndef EMBARGO_REPO_H
#define EMBARGO_REPO_H

#include <stdbool.h>

#include <git2.h>

#include "embargo/buf.h"

/** How emb_repo_open() finds the repository. */
enum emb_repo_open_flags {
	/*
	 * With `path` NULL and GIT_DIR set: open what git's environment for
	 * hooks and subcommands names (GIT_DIR, GIT_OBJECT_DIRECTORY,
	 * quarantine alternates), so a pre-receive hook sees the pushed
	 * objects.  A linked worktree's GIT_WORK_TREE and GIT_COMMON_DIR,
	 * which libgit2's env opening refuses, are handled;
	 * GIT_ALTERNATE_OBJECT_DIRECTORIES is read as git reads it (quoted
	 * entries too); GIT_NAMESPACE is not applied to the refs.
	 */
	EMB_REPO_OPEN_FROM_ENV = 1u << 0,
	/* `path` is the repository (its work tree or git folder), never a
	 * folder inside one: no walking up to an enclosing repository */
	EMB_REPO_OPEN_NO_SEARCH = 1u << 1,
	/* `path` is a git folder itself, opened bare (no work tree, no
	 * config read for one, no .git file followed): a mirror */
	EMB_REPO_OPEN_BARE = 1u << 2,
};

/**
 * Open a repository: the one way the tool opens one.  `path` NULL is the
 * current folder (or, with EMB_REPO_OPEN_FROM_ENV and GIT_DIR set, git's
 * environment); without EMB_REPO_OPEN_NO_SEARCH or EMB_REPO_OPEN_BARE the
 * repository is discovered from `path` upwards, as git does.
 * On failure libgit2's last error is left in place, so a caller may say
 * it in its own words with emb_error_set_git().
 * @param[out] out the repository, to free with git_repository_free()
 * @param flags of enum emb_repo_open_flags
 * @return 0, or EMB_EREPO with a message naming the path
 */
int emb_repo_open(git_repository **out, const char *path, unsigned int flags);

/**
 * Append the C-quoted string at `q` ("...", with git's escapes) to
 * `out`, as git's unquote_c_style() reads it.
 * @param[out] endp just past the closing quote
 * @return 0, or -1 (and `out` unchanged) when `q` is not such a string
 */
int emb_repo_unquote_c(struct emb_buf *out, const char *q, const char **endp);

#endif
