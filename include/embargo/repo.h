/*
 * repo.h - opening the repository a command works on.
 */
#ifndef EMBARGO_REPO_H
#define EMBARGO_REPO_H

#include <stdbool.h>

#include <git2.h>

/**
 * Open a repository.  With `path` NULL: from the environment git gives
 * hooks and subcommands (GIT_DIR, GIT_OBJECT_DIRECTORY, quarantine
 * alternates, GIT_NAMESPACE) when GIT_DIR is set, else discovered from
 * the current folder.  A linked worktree's GIT_WORK_TREE and
 * GIT_COMMON_DIR, which libgit2's env opening refuses, are handled.
 * @return 0, or EMB_EREPO with a message naming the path
 */
int emb_repo_open(git_repository **out, const char *path);

#endif
