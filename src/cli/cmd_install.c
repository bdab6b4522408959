/*
 * cmd_install.c - `git embargo install` and `git embargo uninstall`:
 * put the hook scripts where the product serving a repository runs
 * them, or take them out.  Where that is, and the file handling, are in
 * install.c.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/install.h"
#include "embargo/repo.h"
#include "opt.h"

static const char install_usage[] =
	"usage: git embargo install [<options>] [<repository>]\n"
	"   or: git embargo uninstall [<options>] [<repository>]";

enum {
	OPT_PRE_PUSH = 1,
	OPT_SERVER,
	OPT_PRE_RECEIVE,
	OPT_UPDATE,
	OPT_FORGE,
	OPT_HOOKS_DIR,
	OPT_BINARY,
	OPT_FORCE
};

#define COMMON_OPTIONS                                                           \
	{ OPT_PRE_PUSH,                                                          \
	  "pre-push",                                                            \
	  0,                                                                     \
	  CLI_OPT_SWITCH,                                                        \
	  NULL,                                                                  \
	  "the developer's hook (default in a repository with a work tree)",     \
	  0 },                                                                   \
		{ OPT_SERVER,                                                    \
		  "server",                                                      \
		  0,                                                             \
		  CLI_OPT_SWITCH,                                                \
		  NULL,                                                          \
		  "the pre-receive hook (default in a bare repository)",         \
		  0 },                                                           \
		{ OPT_PRE_RECEIVE, "pre-receive", 0, CLI_OPT_SWITCH, NULL, NULL, \
		  CLI_OPT_HIDDEN },                                              \
		{ OPT_UPDATE,                                                    \
		  "update",                                                      \
		  0,                                                             \
		  CLI_OPT_SWITCH,                                                \
		  NULL,                                                          \
		  "the update hook, deciding per ref (pre-receive comes too "    \
		  "and rejects first: a commit update rejects stays "            \
		  "fetchable "                                                   \
		  "by id)",                                                      \
		  0 },                                                           \
		{ OPT_FORGE,                                                     \
		  "forge",                                                       \
		  0,                                                             \
		  CLI_OPT_VALUE,                                                 \
		  "PRODUCT",                                                     \
		  "gitea, forgejo, gitlab, ghes, gitolite or plain (default: "   \
		  "recognised from the repository)",                             \
		  0 },                                                           \
	{                                                                        \
		OPT_HOOKS_DIR, "hooks-dir", 0, CLI_OPT_VALUE, "FOLDER",          \
			"this folder (a global hooks folder) instead of the "    \
			"repository's",                                          \
			0                                                        \
	}

static const struct cli_opt install_opts[] = {
	COMMON_OPTIONS,
	{ OPT_BINARY, "binary", 0, CLI_OPT_VALUE, "PATH",
	  "the git-embargo the scripts run (default: this one; for "
	  "ghes: " EMB_INSTALL_GHES_BINARY ")",
	  0 },
	{ OPT_FORCE, "force", 'f', CLI_OPT_SWITCH, NULL,
	  "overwrite an existing hook instead of chaining it", 0 },
	{ 0 },
};

static const struct cli_opt uninstall_opts[] = { COMMON_OPTIONS, { 0 } };

const struct cli_opt_cmd cmd_install_options = {
	.name = "install",
	.usage = install_usage,
	.opts = install_opts,
};

const struct cli_opt_cmd cmd_uninstall_options = {
	.name = "uninstall",
	.usage = install_usage,
	.opts = uninstall_opts,
};

struct choice {
	bool pre_push, pre_receive, update, force, forge_set;
	enum emb_forge forge;
	const char *path, *hooks_dir, *binary;
};

/* @return 0 to go on, 1 after --help, or -1 after a usage error */
static int parse(struct choice *c, int argc, char **argv, bool install)
{
	const struct cli_opt_cmd *cmd =
		install ? &cmd_install_options : &cmd_uninstall_options;
	struct cli_opt_parser p;
	int id;

	memset(c, 0, sizeof(*c));
	cli_opt_init(&p, cmd, argc, argv);
	while ((id = cli_opt_next(&p)) != CLI_OPT_DONE) {
		switch (id) {
		case OPT_PRE_PUSH:
			c->pre_push = true;
			break;
		case OPT_SERVER:
		case OPT_PRE_RECEIVE:
			c->pre_receive = true;
			break;
		case OPT_UPDATE:
			c->update = true;
			break;
		case OPT_FORCE:
			c->force = true;
			break;
		case OPT_FORGE:
			if (emb_forge_from_name(&c->forge, p.value) < 0) {
				fprintf(stderr, "git-embargo: %s\n",
					emb_error_last());
				return -1;
			}
			c->forge_set = true;
			break;
		case OPT_HOOKS_DIR:
			c->hooks_dir = p.value;
			break;
		case OPT_BINARY:
			c->binary = p.value;
			break;
		case CLI_OPT_HELP:
			cli_opt_help(stdout, cmd);
			return 1;
		case CLI_OPT_ARG:
			if (c->path) {
				cli_opt_usage_error(cmd,
						    "one repository at a time, "
						    "not '%s'",
						    p.value);
				return -1;
			}
			c->path = p.value;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/* The hooks chosen, or the defaults for this kind of repository. */
static size_t chosen(const char **out, const struct choice *c, bool bare,
		     bool install)
{
	size_t n = 0;

	if (c->pre_push)
		out[n++] = "pre-push";
	/* the update hook runs after the objects are in: pre-receive
	 * does the rejecting wherever update is installed */
	if (c->pre_receive || (install && c->update))
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
		out[n++] = bare || c->forge != EMB_FORGE_PLAIN ? "pre-receive" :
								 "pre-push";
	}
	return n;
}

/* The absolute path of the running binary, or NULL. */
static char *own_binary(void)
{
	char buf[PATH_MAX];

	return realpath("/proc/self/exe", buf) ? strdup(buf) : NULL;
}

/* Say so when the hook would have no list to check against. */
static void warn_no_list(git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	const char *env = getenv("GIT_EMBARGO_LIST");
	bool have = env && *env;

	if (!have && (repo ? git_repository_config_snapshot(&cfg, repo) :
			     git_config_open_default(&cfg)) == 0)
		have = git_config_get_entry(&e, cfg, "embargo.list") == 0;
	git_config_entry_free(e);
	git_config_free(cfg);
	git_error_clear();
	if (!have)
		fprintf(stderr,
			"warning: no embargo list is configured here "
			"(embargo.list): the hooks will refuse every push "
			"until one is;\n"
			"warning: set it where the hooks run, e.g. 'git config "
			"--system embargo.list "
			"/etc/git-embargo/embargo.list'\n");
}

static void report_install(enum emb_install_outcome o, const char *hook,
			   const struct emb_install_target *t,
			   enum emb_forge forge)
{
	switch (o) {
	case EMB_INSTALL_WRITTEN:
		printf("installed %s in '%s'", hook, t->dir);
		break;
	case EMB_INSTALL_UPDATED:
		printf("updated %s in '%s'", hook, t->dir);
		break;
	case EMB_INSTALL_REPLACED:
		printf("replaced the existing %s in '%s'", hook, t->dir);
		break;
	case EMB_INSTALL_CHAINED_IT:
		printf("installed %s in '%s'; the existing hook is kept as "
		       "%s%s and runs first",
		       hook, t->dir, t->file, EMB_INSTALL_CHAINED);
		break;
	}
	if (!t->chain)
		printf(" as '%s'", t->file);
	if (forge == EMB_FORGE_GITEA)
		printf(" (%s's own hook keeps running beside it)",
		       emb_forge_name(forge));
	putchar('\n');
	if (forge == EMB_FORGE_GHES && o != EMB_INSTALL_UPDATED)
		printf("next: commit it to the hook repository, and add a "
		       "pre-receive hook that runs '%s' in an environment with "
		       "git-embargo (docs/deploy.md)\n",
		       t->file);
}

static void report_uninstall(enum emb_uninstall_outcome o, const char *hook,
			     const struct emb_install_target *t)
{
	if (o == EMB_UNINSTALL_REMOVED)
		printf("removed %s from '%s'\n", hook, t->dir);
	else if (o == EMB_UNINSTALL_RESTORED)
		printf("removed %s from '%s'; the hook it chained is back in "
		       "place\n",
		       hook, t->dir);
	else if (o == EMB_UNINSTALL_FOREIGN)
		printf("left %s in '%s' alone: git-embargo did not install "
		       "it\n",
		       hook, t->dir);
}

static int run(int argc, char **argv, bool install)
{
	struct choice c;
	git_repository *repo = NULL;
	const char *hooks[3], *why = NULL;
	char *gitdir = NULL, *binary = NULL;
	size_t n, i;
	int error, status = EMB_EXIT_OK, p;

	if ((p = parse(&c, argc, argv, install)) != 0)
		return p > 0 ? EMB_EXIT_OK : EMB_EXIT_CONFIG;
	if (c.forge_set && c.forge == EMB_FORGE_GHES) {
		/* a folder of the hook repository, not a repository git
		 * runs hooks in */
		if (!c.hooks_dir)
			c.hooks_dir = c.path ? c.path : ".";
	} else if (c.path || !c.hooks_dir) {
		if ((error = emb_repo_open(&repo, c.path,
					   EMB_REPO_OPEN_FROM_ENV)) < 0) {
			status = cmd_fail_error(error);
			goto out;
		}
		gitdir = emb_xstrdup(git_repository_commondir(repo));
		while (strlen(gitdir) > 1 && gitdir[strlen(gitdir) - 1] == '/')
			gitdir[strlen(gitdir) - 1] = '\0';
		if (!c.forge_set) {
			c.forge = emb_forge_detect(gitdir, &why);
			if (why)
				printf("%s: %s\n", emb_forge_name(c.forge),
				       why);
		}
	} else if (!c.pre_push && !c.pre_receive && !c.update && !c.forge_set) {
		status = cmd_fail(EMB_EXIT_CONFIG,
				  "--hooks-dir without a repository: say "
				  "which hook, --pre-push or --server");
		goto out;
	}
	if (install) {
		binary = c.binary ? emb_xstrdup(c.binary) :
			 c.forge == EMB_FORGE_GHES ?
				    emb_xstrdup(EMB_INSTALL_GHES_BINARY) :
				    own_binary();
		if (binary && binary[0] != '/') {
			status = cmd_fail(EMB_EXIT_CONFIG,
					  "--binary '%s' is not an absolute "
					  "path: hooks run with another PATH "
					  "and folder",
					  binary);
			goto out;
		}
	}
	n = chosen(hooks, &c, repo && git_repository_is_bare(repo), install);
	if (install && c.update)
		fprintf(stderr,
			"note: the update hook runs after git has moved the "
			"pushed objects into the repository,\n"
			"note: so a commit it rejects stays fetchable by its "
			"id: pre-receive is installed too and rejects first\n");
	for (i = 0; i < n; i++) {
		struct emb_install_target t;
		char *dir = NULL, *shared = NULL;
		const char *base = c.hooks_dir;

		if (c.forge == EMB_FORGE_GHES &&
		    strcmp(hooks[i], "pre-receive"))
			continue; /* GHES runs pre-receive scripts only */
		if (!base && (c.forge == EMB_FORGE_PLAIN ||
			      c.forge == EMB_FORGE_GITOLITE)) {
			bool server = strcmp(hooks[i], "pre-push") != 0;

			if ((error = emb_install_hooks_dir(&dir, &shared, repo,
							   server)) < 0) {
				status = cmd_fail_error(error);
				break;
			}
			if (shared && install) {
				status = cmd_fail(
					EMB_EXIT_CONFIG,
					"core.hooksPath '%s' is set in %s and "
					"shared by every repository: not "
					"changing it behind your back; to put "
					"the hook there for all of them, run "
					"'git embargo install --%s --hooks-dir "
					"%s'",
					dir, shared,
					strcmp(hooks[i], "pre-push") ?
						"server" :
						"pre-push",
					dir);
				free(dir);
				free(shared);
				break;
			}
			free(shared);
			base = dir;
		}
		emb_install_target_for(&t, c.forge, hooks[i], gitdir, base);
		if (install) {
			struct emb_install_opts io = { .hook = hooks[i],
						       .binary = binary,
						       .force = c.force };
			enum emb_install_outcome o;

			if ((error = emb_install_hook(&o, &t, &io)) < 0)
				status = cmd_fail_error(error);
			else
				report_install(o, hooks[i], &t, c.forge);
		} else {
			enum emb_uninstall_outcome o;

			if ((error = emb_uninstall_hook(&o, &t)) < 0)
				status = cmd_fail_error(error);
			else
				report_uninstall(o, hooks[i], &t);
		}
		emb_install_target_release(&t);
		free(dir);
	}
	if (install && status == EMB_EXIT_OK && c.forge != EMB_FORGE_GHES)
		warn_no_list(repo);
out:
	free(binary);
	free(gitdir);
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
