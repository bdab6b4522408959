/*
 * install.h - writing the hook scripts into a repository, and taking
 * them out again.
 *
 * A hook is a small POSIX sh script that runs `<binary> hook <name>`,
 * with the binary named by its absolute path (an ssh session's PATH is
 * not the administrator's) and a check that fails closed, with a line
 * an administrator understands, when the binary is gone.  Where the
 * script goes depends on the product that serves the repository
 * (enum emb_forge): git's own hooks folder, Gitea's and Forgejo's
 * hooks/<hook>.d/ (their delegating hook keeps running), GitLab's
 * custom_hooks/<hook>.d/, or a folder for GitHub Enterprise Server's
 * hook repository.  An existing hook of git's own name is never
 * overwritten: it is moved to <name>.embargo-chained and the script
 * runs both, on the same input, and fails when either fails.
 * Uninstalling removes only a script this module wrote (recognised by
 * its marker line) and puts a chained hook back.  --force replaces a
 * foreign hook instead of chaining it.
 */
#ifndef EMBARGO_INSTALL_H
#define EMBARGO_INSTALL_H

#include <stdbool.h>

#include <git2.h>

/** The line that marks a script as git-embargo's. */
#define EMB_INSTALL_MARKER "# Installed by 'git embargo install'"

/** Suffix of a hook kept and chained. */
#define EMB_INSTALL_CHAINED ".embargo-chained"

/** The name of git-embargo's script in a <hook>.d/ folder. */
#define EMB_INSTALL_DROPIN "git-embargo"

/** The script written for GitHub Enterprise Server's hook repository. */
#define EMB_INSTALL_GHES_SCRIPT "git-embargo-pre-receive.sh"

/** Where GitHub Enterprise Server's hook environment has the binary. */
#define EMB_INSTALL_GHES_BINARY "/usr/bin/git-embargo"

/** The products whose way of running hooks install knows. */
enum emb_forge {
	EMB_FORGE_PLAIN,    /* git's hooks folder (also a shared ssh account) */
	EMB_FORGE_GITEA,    /* Gitea and Forgejo: hooks/<hook>.d/ */
	EMB_FORGE_GITLAB,   /* GitLab (Gitaly): custom_hooks/<hook>.d/ */
	EMB_FORGE_GHES,	    /* GitHub Enterprise Server: a hook repository */
	EMB_FORGE_GITOLITE, /* gitolite: git's hooks folder, update is its */
};

enum emb_install_outcome {
	EMB_INSTALL_WRITTEN,	/* no hook was there */
	EMB_INSTALL_CHAINED_IT, /* a hook was there: kept and chained */
	EMB_INSTALL_REPLACED,	/* a foreign hook was overwritten (force) */
	EMB_INSTALL_UPDATED,	/* ours was there: rewritten */
};

enum emb_uninstall_outcome {
	EMB_UNINSTALL_ABSENT,	/* no hook of that name */
	EMB_UNINSTALL_FOREIGN,	/* a hook that is not ours: left alone */
	EMB_UNINSTALL_REMOVED,	/* ours, removed */
	EMB_UNINSTALL_RESTORED, /* ours removed, the chained hook put back */
};

/**
 * The product named `name` ("plain", "gitea", "forgejo", "gitlab",
 * "ghes", "gitolite").
 * @return 0, or EMB_EUSAGE with a message listing the names
 */
int emb_forge_from_name(enum emb_forge *out, const char *name);

/** @return the product's name as --forge spells it. */
const char *emb_forge_name(enum emb_forge forge);

/**
 * Which product serves the repository at `gitdir`, from what it leaves
 * there: Gitea's generated delegating hooks/pre-receive and its
 * hooks/pre-receive.d/; GitLab's custom_hooks/ or hashed storage path
 * (@hashed/ab/cd/<sha256>.git); gitolite's update hook.  GitHub
 * Enterprise Server leaves nothing to recognise.
 * @param[out] why what was recognised (a static string), NULL for plain
 */
enum emb_forge emb_forge_detect(const char *gitdir, const char **why);

/**
 * Where a hook goes: the folder and the file name in it, and whether a
 * foreign file of that name is chained (git's own hook names) or not.
 */
struct emb_install_target {
	char *dir;
	char *file;
	bool chain;
};

/**
 * The target for `hook` of a repository served by `forge`.
 * `hooks_dir` is the folder git runs hooks from (emb_install_hooks_dir)
 * or a folder the administrator named (a global hooks folder);
 * `gitdir` the repository's git folder, or NULL with a named folder.
 * Release with emb_install_target_release().
 */
void emb_install_target_for(struct emb_install_target *out,
			    enum emb_forge forge, const char *hook,
			    const char *gitdir, const char *hooks_dir);

void emb_install_target_release(struct emb_install_target *t);

/**
 * The text of the script for `hook`, chaining <file>.embargo-chained
 * when `chained`.  `binary` is the absolute path of git-embargo, or
 * NULL for `git embargo` found through PATH.
 * @return a heap string, the caller's to free()
 */
char *emb_install_script(const char *hook, const char *file, bool chained,
			 const char *binary);

/** @return true when the file at `path` is a script install wrote. */
bool emb_install_is_ours(const char *path);

/**
 * The folder git runs the repository's hooks from: core.hooksPath,
 * else <git common dir>/hooks.  A relative core.hooksPath is resolved
 * where git runs the hook: the work tree for pre-push, but the git
 * folder for the hooks of a push (`server`), which receive-pack always
 * runs in the git folder, bare or not.
 * @param[out] out a heap string without a trailing slash
 * @param[out] shared_in when not NULL, the config file that sets a
 * core.hooksPath shared by other repositories (the global or system
 * level), as a heap string; NULL when the folder is the repository's
 * own
 * @return 0, or EMB_ECONFIG when core.hooksPath cannot be read
 */
int emb_install_hooks_dir(char **out, char **shared_in, git_repository *repo,
			  bool server);

/** What emb_install_hook() writes. */
struct emb_install_opts {
	const char *hook;   /* "pre-push", "pre-receive", "update" */
	const char *binary; /* absolute path; NULL: `git embargo` */
	bool force;
};

/**
 * Install one hook at `t` (the folder is created when missing).
 * @return 0, or EMB_ERROR with a message (a file that cannot be
 * written; a chained hook already kept from an earlier install and a
 * foreign hook in its place, without force)
 */
int emb_install_hook(enum emb_install_outcome *out,
		     const struct emb_install_target *t,
		     const struct emb_install_opts *opts);

/**
 * Remove one hook that install wrote, putting a chained hook back.
 * @return 0, or EMB_ERROR with a message
 */
int emb_uninstall_hook(enum emb_uninstall_outcome *out,
		       const struct emb_install_target *t);

#endif
