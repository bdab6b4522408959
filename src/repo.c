/*
 * repo.c - open the repository from a path, the current folder, or the
 * environment git sets for hooks.
 *
 * In a pre-receive hook the pushed objects are still in the quarantine
 * folder named by GIT_OBJECT_DIRECTORY, with the real object store in
 * GIT_ALTERNATE_OBJECT_DIRECTORIES; only GIT_REPOSITORY_OPEN_FROM_ENV
 * sees them.  libgit2 1.5 refuses that mode when GIT_WORK_TREE or
 * GIT_COMMON_DIR is set, so those are set aside while opening: the
 * tool never needs a work tree, and GIT_DIR alone finds the objects
 * and refs of a linked worktree through its commondir file.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embargo/buf.h"
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

int emb_repo_open(git_repository **out, const char *path)
{
	const char *gitdir = getenv("GIT_DIR");
	char cwd[PATH_MAX];
	int error;

	*out = NULL;
	if (!path && gitdir && *gitdir) {
		char *wt = take_env("GIT_WORK_TREE");
		char *common = take_env("GIT_COMMON_DIR");

		error = git_repository_open_ext(out, NULL,
						GIT_REPOSITORY_OPEN_FROM_ENV,
						NULL);
		restore_env("GIT_WORK_TREE", wt);
		restore_env("GIT_COMMON_DIR", common);
		if (error < 0) {
			emb_error_set_git("cannot open repository '%s'",
					  gitdir);
			return EMB_EREPO;
		}
		return 0;
	}
	if (!path)
		path = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
	error = git_repository_open_ext(out, path, 0, NULL);
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
