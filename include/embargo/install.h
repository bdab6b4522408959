/*
 * install.h - writing the hook scripts into a repository, and taking
 * them out again.
 *
 * A hook is a small POSIX sh script that runs `git embargo hook <name>`.
 * An existing hook of the same name is never overwritten: it is moved
 * to <name>.embargo-chained and the script runs both, on the same input,
 * and fails when either fails.  Uninstalling removes only a script this
 * module wrote (recognised by its marker line) and puts a chained hook
 * back.  --force replaces a foreign hook instead of chaining it.
 */
#ifndef EMBARGO_INSTALL_H
#define EMBARGO_INSTALL_H

#include <stdbool.h>

#include <git2.h>

/** The line that marks a script as git-embargo's. */
#define EMB_INSTALL_MARKER "# Installed by 'git embargo install'"

/** Suffix of a hook kept and chained. */
#define EMB_INSTALL_CHAINED ".embargo-chained"

enum emb_install_outcome {
	EMB_INSTALL_WRITTEN,   /* no hook was there */
	EMB_INSTALL_CHAINED_IT, /* a hook was there: kept and chained */
	EMB_INSTALL_REPLACED,  /* a foreign hook was overwritten (force) */
	EMB_INSTALL_UPDATED,   /* ours was there: rewritten */
};

enum emb_uninstall_outcome {
	EMB_UNINSTALL_ABSENT,   /* no hook of that name */
	EMB_UNINSTALL_FOREIGN,  /* a hook that is not ours: left alone */
	EMB_UNINSTALL_REMOVED,  /* ours, removed */
	EMB_UNINSTALL_RESTORED, /* ours removed, the chained hook put back */
};

/** @return true for "pre-push", "pre-receive" and "update". */
bool emb_install_known_hook(const char *name);

/**
 * The text of the script for `hook`, chaining <hook>.embargo-chained
 * when `chained`.
 * @return a heap string, the caller's to free()
 */
char *emb_install_script(const char *hook, bool chained);

/** @return true when the file at `path` is a script install wrote. */
bool emb_install_is_ours(const char *path);

/**
 * The folder git runs the repository's hooks from: core.hooksPath
 * (relative to the work tree, or to the git folder of a bare
 * repository, as git resolves it), else <git common dir>/hooks.
 * @param[out] out a heap string without a trailing slash
 * @return 0, or EMB_ECONFIG when core.hooksPath cannot be read
 */
int emb_install_hooks_dir(char **out, git_repository *repo);

/**
 * Install one hook into `dir` (created when missing).
 * @return 0, or EMB_ERROR with a message (a file that cannot be
 * written; a chained hook already kept from an earlier install and a
 * foreign hook in its place, without force)
 */
int emb_install_hook(enum emb_install_outcome *out, const char *dir,
		     const char *hook, bool force);

/**
 * Remove one hook that install wrote, putting a chained hook back.
 * @return 0, or EMB_ERROR with a message
 */
int emb_uninstall_hook(enum emb_uninstall_outcome *out, const char *dir,
		       const char *hook);

#endif
