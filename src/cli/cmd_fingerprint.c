/*
 * cmd_fingerprint.c - `git embargo fingerprint`: the list section that
 * describes a fix, for the security team to add to its embargo list.
 *
 * Run in the private repository that has the fix.  The output is a
 * complete [embargo "<id>"] section (git-config syntax): the fix
 * commits, their stable patch-ids, the hashes of their path sets and of
 * the fix's distinctive added lines.  It holds no code (fixprint.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "embargo/date.h"
#include "embargo/error.h"
#include "embargo/fixprint.h"
#include "embargo/list.h"
#include "embargo/repo.h"
#include "embargo/session.h"
#include "embargo/walk.h"
#include "opt.h"

enum { OPT_ID = 1, OPT_UNTIL };

static const struct cli_opt options[] = {
	{ OPT_ID, "id", 0, CLI_OPT_VALUE, "ID",
	  "the identifier of the entry (default FIX-<commit>)", 0 },
	{ OPT_UNTIL, "until", 0, CLI_OPT_VALUE, "MOMENT",
	  "when the embargo lifts: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", 0 },
	{ 0 },
};

const struct cli_opt_cmd cmd_fingerprint_options = {
	.name = "fingerprint",
	.usage = "usage: git embargo fingerprint [<options>] "
		 "<revision range>...",
	.opts = options,
	.revisions = true,
};

int cmd_fingerprint(int argc, char **argv)
{
	const char *id = NULL, *until = NULL;
	struct emb_fingerprint fp = EMB_FINGERPRINT_INIT;
	struct emb_range range = EMB_RANGE_INIT;
	struct emb_buf out = EMB_BUF_INIT;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	struct emb_config conf = { 0 };
	char **revs = emb_xcalloc((size_t)argc + 1, sizeof(char *));
	struct cli_opt_parser p;
	char canon[256], defid[64];
	int k, nrevs = 0, error, status = EMB_EXIT_OK;

	cli_opt_init(&p, &cmd_fingerprint_options, argc, argv);
	while ((k = cli_opt_next(&p)) != CLI_OPT_DONE) {
		switch (k) {
		case OPT_ID:
			id = p.value;
			break;
		case OPT_UNTIL:
			until = p.value;
			break;
		case CLI_OPT_HELP:
			cli_opt_help(stdout, &cmd_fingerprint_options);
			goto out;
		case CLI_OPT_ARG:
			revs[nrevs++] = (char *)p.value;
			break;
		default:
			status = EMB_EXIT_CONFIG;
			goto out;
		}
	}
	if (!nrevs)
		goto usage;
	if (id && strncmp(id, "sha256:", 7) &&
	    !emb_id_canonical(canon, sizeof(canon), id, strlen(id))) {
		status = cmd_fail(EMB_EXIT_CONFIG,
				  "bad identifier '%s': expected letters and "
				  "digits joined by single '-', '_', '.' or "
				  "' '",
				  id);
		goto out;
	}
	if (until) {
		emb_time d;

		if (emb_time_parse(&d, until) < 0) {
			status = cmd_fail(EMB_EXIT_CONFIG,
					  "bad date '%s' for --until: expected "
					  "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
					  until);
			goto out;
		}
	}
	if ((error = emb_repo_open(&repo, NULL, EMB_REPO_OPEN_FROM_ENV)) < 0 ||
	    (error = emb_session_config(&cfg, &conf, repo)) < 0 ||
	    (error = emb_range_from_args(&range, repo, nrevs, revs)) < 0 ||
	    (error = emb_fingerprint_range(&fp, repo, &range,
					   conf.max_blob_size)) < 0) {
		status = cmd_fail_error(error);
		goto out;
	}
	if (!id) {
		/* a name that says which fix, until the team gives one */
		snprintf(defid, sizeof(defid), "FIX-%.12s",
			 git_oid_tostr_s(&fp.commits[fp.ncommits - 1]));
		id = defid;
	}
	emb_buf_printf(&out,
		       "# git embargo fingerprint: %zu commit%s, %zu "
		       "distinctive line%s of %zu added\n",
		       fp.ncommits, fp.ncommits == 1 ? "" : "s", fp.nlines,
		       fp.nlines == 1 ? "" : "s", fp.candidates);
	emb_fingerprint_write(&out, &fp, id, until);
	if (fwrite(out.ptr, 1, out.size, stdout) != out.size)
		status = cmd_fail(EMB_EXIT_REPO, "cannot write output");
	goto out;
usage:
	status = cli_opt_usage_error(&cmd_fingerprint_options,
				     "no revision range to fingerprint");
out:
	emb_buf_release(&out);
	emb_fingerprint_release(&fp);
	emb_range_release(&range);
	emb_config_release(&conf);
	git_config_free(cfg);
	git_repository_free(repo);
	free(revs);
	return status;
}
