/*
 * cmd_list.c - `git embargo hash` and `git embargo list`: the two
 * commands security teams use to write and check embargo lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "embargo/error.h"
#include "embargo/export.h"
#include "embargo/repo.h"
#include "embargo/session.h"
#include "embargo/sha256.h"
#include "opt.h"

/*
 * Every identifier is checked before anything is printed, and only the
 * entries are printed: the plaintext never reaches the output, where it
 * would be pasted into the list along with its hash.
 */
static const struct cli_opt hash_opts[] = { { 0 } };

const struct cli_opt_cmd cmd_hash_options = {
	.name = "hash",
	.usage = "usage: git embargo hash <identifier>...\n\n"
		 "Prints the list entry that embargoes each identifier by its "
		 "SHA-256 (of the\ncanonical form); an identifier no "
		 "configured shape (embargo.idPattern)\nwould find is refused.",
	.opts = hash_opts,
};

int cmd_hash(int argc, char **argv)
{
	unsigned char(*h)[EMB_HASH_LEN] = NULL;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	struct emb_config conf = { 0 };
	char hex[2 * EMB_HASH_LEN + 1];
	int i, status = 0;

	if (argc == 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		cli_opt_help(stdout, &cmd_hash_options);
		return EMB_EXIT_OK;
	}
	if (argc < 2)
		return cmd_fail(EMB_EXIT_CONFIG,
				"usage: git embargo hash <identifier>...");
	/* embargo.idPattern may be set in a repository's config */
	if (emb_repo_open(&repo, NULL, EMB_REPO_OPEN_FROM_ENV) < 0)
		repo = NULL;
	if (emb_session_config(&cfg, &conf, repo) < 0) {
		status = cmd_fail_error(EMB_ECONFIG);
		goto out;
	}
	h = calloc((size_t)argc, sizeof(*h));
	for (i = 1; h && i < argc; i++)
		if (emb_match_hash_id(h[i], argv[i],
				      (const char *const *)conf.id_patterns,
				      conf.n_id_patterns) < 0) {
			status = cmd_fail(EMB_EXIT_CONFIG,
					  "cannot hash identifier %d of %d: %s",
					  i, argc - 1, emb_error_last());
			goto out;
		}
	for (i = 1; h && i < argc; i++) {
		emb_sha256_tohex(hex, h[i]);
		printf("[embargo \"sha256:%s\"]\n", hex);
	}
out:
	free(h);
	emb_config_release(&conf);
	git_config_free(cfg);
	git_repository_free(repo);
	return status;
}

static void print_note(void *payload, const char *message)
{
	(void)payload;
	fprintf(stderr, "git-embargo: note: %s\n", message);
}

enum { OPT_LIST = 1, OPT_EXPORT, OPT_NO_ALIASES, OPT_NO_PATTERNS };

static const struct cli_opt list_opts[] = {
	{ OPT_LIST, "list", 0, CLI_OPT_VALUE, "FILE",
	  "read this list (repeatable; default GIT_EMBARGO_LIST, else "
	  "embargo.list)",
	  0 },
	{ OPT_EXPORT, "export", 0, CLI_OPT_SWITCH, NULL,
	  "write a list for developers' machines: every identifier hashed, "
	  "notes and lifted entries left out",
	  0 },
	{ OPT_NO_ALIASES, "no-aliases", 0, CLI_OPT_SWITCH, NULL,
	  "leave aliases (plain text) out of the export", 0 },
	{ OPT_NO_PATTERNS, "no-patterns", 0, CLI_OPT_SWITCH, NULL,
	  "leave patterns (plain text) out of the export", 0 },
	{ 0 },
};

const struct cli_opt_cmd cmd_list_options = {
	.name = "list",
	.usage = "usage: git embargo list [--list <file>]...\n"
		 "   or: git embargo list --export [--no-aliases] "
		 "[--no-patterns] [--list <file>]...",
	.opts = list_opts,
};

int cmd_list(int argc, char **argv)
{
	const char *lists[64];
	size_t nlists = 0, i;
	struct emb_session s;
	struct emb_export_opts eo = EMB_EXPORT_OPTS_INIT;
	git_repository *repo = NULL;
	struct cli_opt_parser p;
	bool export = false;
	int k, error, status = 0;

	cli_opt_init(&p, &cmd_list_options, argc, argv);
	while ((k = cli_opt_next(&p)) != CLI_OPT_DONE) {
		switch (k) {
		case OPT_LIST:
			if (nlists == sizeof(lists) / sizeof(lists[0]))
				return cli_opt_usage_error(
					&cmd_list_options,
					"too many --list files (at most %zu)",
					nlists);
			lists[nlists++] = p.value;
			break;
		case OPT_EXPORT:
			export = true;
			break;
		case OPT_NO_ALIASES:
			eo.aliases = false;
			break;
		case OPT_NO_PATTERNS:
			eo.patterns = false;
			break;
		case CLI_OPT_HELP:
			cli_opt_help(stdout, &cmd_list_options);
			return EMB_EXIT_OK;
		case CLI_OPT_ARG:
			return cli_opt_usage_error(&cmd_list_options,
						   "unexpected argument '%s'",
						   p.value);
		default:
			return EMB_EXIT_CONFIG;
		}
	}
	if (!export && (!eo.aliases || !eo.patterns)) {
		return cli_opt_usage_error(&cmd_list_options,
					   "--no-aliases and --no-patterns go "
					   "with --export");
	}
	/* a repository is optional: lists may be checked anywhere */
	if (emb_repo_open(&repo, NULL, EMB_REPO_OPEN_FROM_ENV) < 0)
		repo = NULL;
	error = emb_session_init(&s, repo, lists, nlists,
				 export ? NULL : print_note, NULL);
	if (error < 0) {
		status = cmd_fail_error(error);
		goto out;
	}
	if (export) {
		struct emb_buf b = EMB_BUF_INIT;
		struct emb_export_counts c;

		emb_list_export(&b, &c, &s.list, &eo);
		fwrite(b.ptr, 1, b.size, stdout);
		emb_buf_release(&b);
		fprintf(stderr,
			"git-embargo: exported %zu entr%s, every identifier "
			"hashed; left out %zu note%s, %zu alias%s, %zu "
			"pattern%s, %zu lifted entr%s and the fix fingerprints "
			"of %zu entr%s\n",
			c.entries, c.entries == 1 ? "y" : "ies", c.notes,
			c.notes == 1 ? "" : "s", c.aliases,
			c.aliases == 1 ? "" : "es", c.patterns,
			c.patterns == 1 ? "" : "s", c.lifted,
			c.lifted == 1 ? "y" : "ies", c.fixes,
			c.fixes == 1 ? "y" : "ies");
		goto out;
	}
	for (i = 0; i < s.list.nfiles; i++)
		printf("# %s\n", s.list.files[i]);
	for (i = 0; i < s.list.n; i++) {
		const struct emb_entry *e = &s.list.entries[i];
		char d[32] = "-";

		if (e->until != EMB_TIME_NONE)
			emb_time_format(d, sizeof(d), e->until);
		printf("%-8s %-12s %s", e->expired ? "lifted" : "active", d,
		       e->id);
		if (e->nalias || e->npattern)
			printf(" (%zu alias%s, %zu pattern%s)", e->nalias,
			       e->nalias == 1 ? "" : "es", e->npattern,
			       e->npattern == 1 ? "" : "s");
		putchar('\n');
	}
	printf("%zu entries, %zu in force\n", s.list.n,
	       emb_list_active(&s.list));
	if (emb_list_active(&s.list))
		printf("an embargo lifts at the moment shown (a date alone: "
		       "00:00 UTC that day); '-': until removed from the "
		       "list\n");
	if (!emb_list_active(&s.list))
		printf("every embargo on the list has been lifted: nothing is "
		       "embargoed, and every push passes\n");
out:
	emb_session_release(&s);
	git_repository_free(repo);
	return status;
}
