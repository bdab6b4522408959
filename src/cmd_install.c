/*
 * cmd_install.c - `git embargo install` and `git embargo uninstall`:
 * put the hook scripts into a repository's hooks folder, or take them
 * out.  The file handling is in install.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "embargo/error.h"
#include "embargo/install.h"
#include "embargo/repo.h"

static const char install_usage[] =
	"usage: git embargo install [--pre-push] [--server] [--update] "
	"[--force] [<repository>]\n"
	"   or: git embargo uninstall [--pre-push] [--server] [--update] "
	"[<repository>]\n\n"
	"    --pre-push   the developer's hook (default in a repository "
	"with a work tree)\n"
	"    --server     the pre-receive hook (default in a bare "
	"repository)\n"
	"    --update     the update hook, deciding per ref (instead of "
	"--server)\n"
	"    --force      overwrite an existing hook instead of chaining it";

struct choice {
	bool pre_push, pre_receive, update, force;
	const char *path;
};

static int parse(struct choice *c, int argc, char **argv, bool install)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--pre-push"))
			c->pre_push = true;
		else if (!strcmp(a, "--server") || !strcmp(a, "--pre-receive"))
			c->pre_receive = true;
		else if (!strcmp(a, "--update"))
			c->update = true;
		else if (install && (!strcmp(a, "--force") || !strcmp(a, "-f")))
			c->force = true;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return 1;
		else if (a[0] == '-' || c->path)
			return -1;
		else
			c->path = a;
	}
	return 0;
}

/* The hooks chosen, or the defaults for this kind of repository. */
static size_t chosen(const char **out, const struct choice *c,
		     git_repository *repo, bool install)
{
	size_t n = 0;

	if (c->pre_push)
		out[n++] = "pre-push";
	if (c->pre_receive)
		out[n++] = "pre-receive";
	if (c->update)
		out[n++] = "update";
	if (n)
		return n;
	if (!install) {
		/* uninstall: whatever install may have written */
		out[n++] = "pre-push";
		out[n++] = "pre-receive";
		out[n++] = "update";
	} else {
		out[n++] = git_repository_is_bare(repo) ? "pre-receive" :
							  "pre-push";
	}
	return n;
}

static int run(int argc, char **argv, bool install)
{
	struct choice c;
	git_repository *repo = NULL;
	const char *hooks[3];
	char *dir = NULL;
	size_t n, i;
	int error, status = EMB_EXIT_OK, p;

	if ((p = parse(&c, argc, argv, install)) != 0) {
		fprintf(p > 0 ? stdout : stderr, "%s\n", install_usage);
		return p > 0 ? EMB_EXIT_OK : EMB_EXIT_CONFIG;
	}
	if ((error = emb_repo_open(&repo, c.path)) < 0 ||
	    (error = emb_install_hooks_dir(&dir, repo)) < 0) {
		status = cmd_fail_error(error);
		goto out;
	}
	n = chosen(hooks, &c, repo, install);
	for (i = 0; i < n; i++) {
		if (install) {
			enum emb_install_outcome o;

			if ((error = emb_install_hook(&o, dir, hooks[i],
						      c.force)) < 0) {
				status = cmd_fail_error(error);
				continue;
			}
			switch (o) {
			case EMB_INSTALL_WRITTEN:
				printf("installed %s in '%s'\n", hooks[i], dir);
				break;
			case EMB_INSTALL_UPDATED:
				printf("updated %s in '%s'\n", hooks[i], dir);
				break;
			case EMB_INSTALL_REPLACED:
				printf("replaced the existing %s in '%s'\n",
				       hooks[i], dir);
				break;
			case EMB_INSTALL_CHAINED_IT:
				printf("installed %s in '%s'; the existing hook "
				       "is kept as %s%s and runs first\n",
				       hooks[i], dir, hooks[i],
				       EMB_INSTALL_CHAINED);
				break;
			}
		} else {
			enum emb_uninstall_outcome o;

			if ((error = emb_uninstall_hook(&o, dir, hooks[i])) <
			    0) {
				status = cmd_fail_error(error);
				continue;
			}
			if (o == EMB_UNINSTALL_REMOVED)
				printf("removed %s from '%s'\n", hooks[i], dir);
			else if (o == EMB_UNINSTALL_RESTORED)
				printf("removed %s from '%s'; the hook it "
				       "chained is back in place\n",
				       hooks[i], dir);
			else if (o == EMB_UNINSTALL_FOREIGN)
				printf("left %s in '%s' alone: git-embargo did "
				       "not install it\n", hooks[i], dir);
		}
	}
out:
	free(dir);
	git_repository_free(repo);
	return status;
}

int cmd_install(int argc, char **argv)
{
	return run(argc, argv, true);
}

int cmd_uninstall(int argc, char **argv)
{
	return run(argc, argv, false);
}
