/*
 * remote.h - is a push going somewhere public?
 *
 * A remote is public unless marked private, so that a forgotten setting
 * fails safe.  In order:
 *   remote.<name>.embargo = private | public   (one remote)
 *   embargo.private = <URL pattern>            (multi-valued)
 * Patterns use `*` (any run of characters, '/' included), '?' and
 * [...] (fnmatch).  URLs and patterns are compared in one normal form,
 * "host/path" for network URLs and "/path" for local ones, so the
 * scp-like `git@host:org/repo`, `ssh://git@host:22/org/repo.git` and
 * `https://host/org/repo` are the same repository; user names, ports,
 * a trailing ".git" and trailing slashes do not count, and the host is
 * compared without regard to case.
 *
 * On a server, the repository itself is public unless its config says
 * `embargo.public = false`.
 */
#ifndef EMBARGO_REMOTE_H
#define EMBARGO_REMOTE_H

#include <stdbool.h>

#include <git2.h>

/**
 * The normal form of a URL or URL pattern (see above).  Relative local
 * paths are made absolute against `cwd` when it is not NULL.
 * @return a heap string, the caller's to free()
 */
char *emb_remote_normalize(const char *url, const char *cwd);

/** @return true when `url` matches `pattern` (both in any form). */
bool emb_remote_url_matches(const char *pattern, const char *url,
			    const char *cwd);

/**
 * Decide whether a push to remote `name` at `url` is private.  `name`
 * equal to `url` (a push to a bare URL) has no remote.<name> settings.
 * @param[out] is_private the verdict
 * @param[out] why when not NULL, a heap string saying which setting
 * decided ("remote.origin.embargo", "embargo.private 'git@host:sec/...'"),
 * NULL for the public default; the caller frees it
 * @return 0, or EMB_ECONFIG for a bad remote.<name>.embargo value
 */
int emb_remote_is_private(bool *is_private, char **why, git_config *cfg,
			  const char *name, const char *url);

/**
 * Is a receiving repository public: `embargo.public` when it is set,
 * else the forge's own word (GitHub Enterprise Server exports
 * GITHUB_REPO_PUBLIC=true or false to its pre-receive hooks), else
 * true.
 * @return 0, or EMB_ECONFIG for a value that is not a boolean
 */
int emb_remote_repo_is_public(bool *is_public, git_config *cfg);

#endif
