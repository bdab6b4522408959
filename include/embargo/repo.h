/*
 * repo.h - opening the repository a command works on.
 */
#ifndef EMBARGO_REPO_H
#define EMBARGO_REPO_H

#include <stdbool.h>

#include <git2.h>

#include "embargo/buf.h"

/**
 * Open a repository.  With `path` NULL: from the environment git gives
 * hooks and subcommands (GIT_DIR, GIT_OBJECT_DIRECTORY, quarantine
 * alternates, GIT_NAMESPACE) when GIT_DIR is set, else discovered from
 * the current folder.  A linked worktree's GIT_WORK_TREE and
 * GIT_COMMON_DIR, which libgit2's env opening refuses, are handled;
 * GIT_ALTERNATE_OBJECT_DIRECTORIES is read as git reads it (quoted
 * entries too); GIT_NAMESPACE is not applied to the refs.
 * @return 0, or EMB_EREPO with a message naming the path
 */
int emb_repo_open(git_repository **out, const char *path);

/**
 * Append the C-quoted string at `q` ("...", with git's escapes) to
 * `out`, as git's unquote_c_style() reads it.
 * @param[out] endp just past the closing quote
 * @return 0, or -1 (and `out` unchanged) when `q` is not such a string
 */
int emb_repo_unquote_c(struct emb_buf *out, const char *q, const char **endp);

#endif
