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

/*
 * Every identifier is checked before anything is printed, and only the
 * entries are printed: the plaintext never reaches the output, where it
 * would be pasted into the list along with its hash.
 */
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
		puts("usage: git embargo hash <identifier>...\n\n"
		     "Prints the list entry that embargoes each identifier by "
		     "its SHA-256 (of the\ncanonical form); an identifier no "
		     "configured shape (embargo.idPattern)\nwould find is "
		     "refused.");
		return EMB_EXIT_OK;
	}
	if (argc < 2)
		return cmd_fail(EMB_EXIT_CONFIG,
				"usage: git embargo hash <identifier>...");
	/* embargo.idPattern may be set in a repository's config */
	if (emb_repo_open(&repo, NULL) < 0)
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
		emb_hash_hex(hex, h[i]);
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

static const char list_usage[] =
	"usage: git embargo list [--list <file>]...\n"
	"   or: git embargo list --export [--no-aliases] [--no-patterns] "
	"[--list <file>]...\n\n"
	"    --list <file>    read this list (default: GIT_EMBARGO_LIST, "
	"else embargo.list)\n"
	"    --export         write a list for developers' machines: every "
	"identifier hashed,\n"
	"                     notes and lifted entries left out\n"
	"    --no-aliases     leave aliases (plain text) out of the export\n"
	"    --no-patterns    leave patterns (plain text) out of the export";

int cmd_list(int argc, char **argv)
{
	const char *lists[64];
	size_t nlists = 0, i;
	struct emb_session s;
	struct emb_export_opts eo = EMB_EXPORT_OPTS_INIT;
	git_repository *repo = NULL;
	bool export = false;
	int k, error, status = 0;

	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--list") && k + 1 < argc && nlists < 64)
			lists[nlists++] = argv[++k];
		else if (!strncmp(argv[k], "--list=", 7) && nlists < 64)
			lists[nlists++] = argv[k] + 7;
		else if (!strcmp(argv[k], "--export"))
			export = true;
		else if (!strcmp(argv[k], "--no-aliases"))
			eo.aliases = false;
		else if (!strcmp(argv[k], "--no-patterns"))
			eo.patterns = false;
		else if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) {
			puts(list_usage);
			return EMB_EXIT_OK;
		} else {
			fprintf(stderr, "%s\n", list_usage);
			return EMB_EXIT_CONFIG;
		}
	}
	if (!export && (!eo.aliases || !eo.patterns)) {
		fprintf(stderr,
			"git-embargo: --no-aliases and --no-patterns "
			"go with --export\n%s\n",
			list_usage);
		return EMB_EXIT_CONFIG;
	}
	/* a repository is optional: lists may be checked anywhere */
	if (emb_repo_open(&repo, NULL) < 0)
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
