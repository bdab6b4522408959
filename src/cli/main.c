/*
 * main.c - `git embargo <command>`: dispatch, global options, and the
 * libgit2 lifecycle.  Commands live in src/cmd_<name>.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "cmd.h"
#include "embargo/config.h"
#include "embargo/error.h"
#include "embargo/version.h"
#include "opt.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const struct cli_opt_cmd *opts;
};

static const struct command commands[] = {
	{ "scan", cmd_scan, "find references to embargoed issues in history",
	  &cmd_scan_options },
	{ "hash", cmd_hash, "print the hashed form of an identifier",
	  &cmd_hash_options },
	{ "fingerprint", cmd_fingerprint,
	  "print the list entry that recognises a fix",
	  &cmd_fingerprint_options },
	{ "list", cmd_list, "check and print the embargo list in force",
	  &cmd_list_options },
	{ "policy", cmd_policy, "check that SECURITY.md exists and is current",
	  &cmd_policy_options },
	{ "hook", cmd_hook, "run as a pre-push, pre-receive or update hook",
	  &cmd_hook_options },
	{ "install", cmd_install, "install the hooks in a repository",
	  &cmd_install_options },
	{ "uninstall", cmd_uninstall, "remove the hooks install added",
	  &cmd_uninstall_options },
	{ "audit", cmd_audit,
	  "audit many repositories: SECURITY.md and embargoed references",
	  &cmd_audit_options },
};

enum { OPT_COLOR = 1, OPT_NO_COLOR, OPT_VERSION, OPT_DUMP_OPTIONS };

static const struct cli_opt global_opts[] = {
	{ OPT_COLOR, "color", 0, CLI_OPT_OPTIONAL, "WHEN",
	  "always (the default), never or auto; anywhere before '--'", 0 },
	{ OPT_NO_COLOR, "no-color", 0, CLI_OPT_SWITCH, NULL,
	  "no colour; anywhere before '--'", 0 },
	{ OPT_VERSION, "version", 0, CLI_OPT_SWITCH, NULL,
	  "the version, and libgit2's", CLI_OPT_HIDDEN },
	/* every command's options, for the man page's check */
	{ OPT_DUMP_OPTIONS, "dump-options", 0, CLI_OPT_SWITCH, NULL, NULL,
	  CLI_OPT_HIDDEN },
	{ 0 },
};

static const struct cli_opt_cmd global_options = {
	.name = NULL,
	.usage = "usage: git embargo [--no-color | --color[=<when>]] "
		 "<command> [<args>]",
	.opts = global_opts,
	.stop_at_arg = true,
};

int cmd_fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("git-embargo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int cmd_fail_error(int error)
{
	const char *msg = emb_error_last();

	fprintf(stderr, "git-embargo: %s\n", *msg ? msg : "unknown error");
	return emb_error_exit_code(error);
}

/* --color/--no-color on the command line; auto: as configured */
static enum emb_color color_arg = EMB_COLOR_AUTO;

/* color.ui of the repository here (or of the global and system config) */
static enum emb_color color_config(void)
{
	static int cached = -1;
	git_repository *repo = NULL;
	git_config *cfg = NULL, *snap = NULL;

	if (cached >= 0)
		return (enum emb_color)cached;
	if (git_repository_open_ext(&repo, ".", 0, NULL) == 0)
		(void)git_repository_config_snapshot(&snap, repo);
	else if (git_config_open_default(&cfg) == 0)
		(void)git_config_snapshot(&snap, cfg);
	git_error_clear();
	cached = (int)emb_config_color_ui(snap);
	git_config_free(snap);
	git_config_free(cfg);
	git_repository_free(repo);
	return (enum emb_color)cached;
}

bool cmd_use_color(FILE *stream)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	enum emb_color c = color_arg;

	if (c == EMB_COLOR_AUTO)
		c = color_config();
	if (c != EMB_COLOR_AUTO)
		return c == EMB_COLOR_ALWAYS;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(stream));
}

/*
 * Take --color[=<when>] and --no-color out of the arguments, wherever
 * they are before "--", as every command honours them.
 * @return -1 for a bad <when>
 */
static int take_color_args(int *argc, char **argv)
{
	const char *when;
	int i, j;

	for (i = j = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		switch (cli_opt_match(&global_options, a, &when)) {
		case OPT_NO_COLOR:
			color_arg = EMB_COLOR_NEVER;
			break;
		case OPT_COLOR:
			if (!when || !strcmp(when, "always"))
				color_arg = EMB_COLOR_ALWAYS;
			else if (!strcmp(when, "never"))
				color_arg = EMB_COLOR_NEVER;
			else if (!strcmp(when, "auto"))
				color_arg = EMB_COLOR_AUTO;
			else
				return -1;
			break;
		default:
			argv[j++] = argv[i];
		}
	}
	argv[j] = NULL;
	*argc = j;
	return 0;
}

/* Every option of every table, for tests/t0105-options.sh. */
static int dump_options(void)
{
	size_t i;

	cli_opt_dump(stdout, &global_options);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		cli_opt_dump(stdout, commands[i].opts);
	return 0;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: git embargo <command> [<args>]\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "   %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\nExit status: 0 clean, 1 findings, 2 usage or "
		     "configuration error, 3 repository error.\n"
		     "See 'git help embargo'.\n");
}

static int show_manual(void)
{
	/* Same as `git help embargo`: the man page, when installed. */
	execlp("man", "man", "git-embargo", (char *)NULL);
	usage(stdout);
	return 0;
}

static int print_version(void)
{
	printf("git-embargo %s (libgit2 %s)\n", EMB_VERSION, LIBGIT2_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	struct cli_opt_parser p;
	size_t i;
	int status;

	if (take_color_args(&argc, argv) < 0)
		return cmd_fail(EMB_EXIT_CONFIG, "--color takes always, never "
						 "or auto");
	if (argc < 2) {
		usage(stderr);
		return EMB_EXIT_CONFIG;
	}
	cli_opt_init(&p, &global_options, argc, argv);
	switch (cli_opt_next(&p)) {
	case CLI_OPT_ARG:
		break;
	case CLI_OPT_HELP:
		if (!strcmp(argv[1], "-h")) {
			usage(stdout);
			return 0;
		}
		return show_manual();
	case OPT_VERSION:
		return print_version();
	case OPT_DUMP_OPTIONS:
		return dump_options();
	case CLI_OPT_DONE:
		usage(stderr);
		return EMB_EXIT_CONFIG;
	default:
		return EMB_EXIT_CONFIG;
	}
	if (!strcmp(argv[1], "help"))
		return show_manual();
	if (!strcmp(argv[1], "version"))
		return print_version();
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			cmd = &commands[i];
	if (!cmd)
		return cmd_fail(EMB_EXIT_CONFIG,
				"'%s' is not a git-embargo command; "
				"see 'git embargo -h'",
				argv[1]);

	if (git_libgit2_init() < 0)
		return cmd_fail(EMB_EXIT_REPO, "cannot initialise libgit2");
	/*
	 * git does not re-hash every object it reads; libgit2 does by
	 * default, at 11-65% of a scan's time.  Corruption that zlib or
	 * the pack index detects is still an error.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/*
	 * Each object is read about once, and libgit2's object cache costs
	 * more in eviction than it saves: measured with bench/ on git's
	 * history, the scan with diffs went from 35-38 s to 28-34 s and its
	 * heap from 478 to 381 MB with the cache off; a hook scanning a new
	 * 100,000-commit push, 6.0 s and 584 MB -> 3.2 s and 82 MB
	 * (bench/hook-pre-receive.sh).
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	/* the system config git reads, not only /etc/gitconfig */
	emb_config_follow_git_env();

	status = cmd->fn(argc - 1, argv + 1);

	if (fflush(stdout) != 0 && status == 0)
		status = cmd_fail(EMB_EXIT_REPO, "cannot write output");
	git_libgit2_shutdown();
	return status;
}
