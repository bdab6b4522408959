/*
 * cmd_policy.c - `git embargo policy`: judge the SECURITY.md of a
 * revision and print the problems as text, JSON or SARIF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "embargo/error.h"
#include "embargo/policy.h"
#include "embargo/repo.h"
#include "embargo/report.h"
#include "opt.h"

enum { OPT_REV = 1, OPT_FORMAT, OPT_STRICT, OPT_ORG_DEFAULT, OPT_TEMPLATE };

static const struct cli_opt options[] = {
	{ OPT_REV, "rev", 0, CLI_OPT_VALUE, "REV",
	  "the revision to judge (default HEAD)", 0 },
	{ OPT_FORMAT, "format", 0, CLI_OPT_VALUE, "FMT",
	  "text, json or sarif (default text)", 0 },
	{ OPT_STRICT, "strict", 0, CLI_OPT_SWITCH, NULL,
	  "warnings are failures too", 0 },
	{ OPT_ORG_DEFAULT, "org-default", 0, CLI_OPT_VALUE, "PATH",
	  "the organisation's default SECURITY.md repository", 0 },
	{ OPT_TEMPLATE, "template", 0, CLI_OPT_VALUE, "FILE",
	  "the organisation's canonical SECURITY.md", 0 },
	{ 0 },
};

const struct cli_opt_cmd cmd_policy_options = {
	.name = "policy",
	.usage = "usage: git embargo policy [<options>] [<repository>]",
	.opts = options,
};

int cmd_policy(int argc, char **argv)
{
	struct emb_policy_opts opts = { 0 };
	struct emb_policy_result *r = NULL;
	struct cli_opt_parser p;
	git_repository *repo = NULL;
	const char *format = "text", *where = NULL, *status_word;
	int id, error, status;

	cli_opt_init(&p, &cmd_policy_options, argc, argv);
	while ((id = cli_opt_next(&p)) != CLI_OPT_DONE) {
		switch (id) {
		case OPT_REV:
			opts.rev = p.value;
			break;
		case OPT_FORMAT:
			format = p.value;
			break;
		case OPT_STRICT:
			opts.strict = true;
			break;
		case OPT_ORG_DEFAULT:
			opts.org_default = p.value;
			break;
		case OPT_TEMPLATE:
			opts.template_path = p.value;
			break;
		case CLI_OPT_HELP:
			cli_opt_help(stdout, &cmd_policy_options);
			return EMB_EXIT_OK;
		case CLI_OPT_ARG:
			if (where)
				return cli_opt_usage_error(
					&cmd_policy_options,
					"one repository at a time, not '%s'",
					p.value);
			where = p.value;
			break;
		default:
			return EMB_EXIT_CONFIG;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "sarif"))
		return cmd_fail(EMB_EXIT_CONFIG,
				"unknown format '%s': use text, json or sarif",
				format);
	if ((error = emb_date_today(&opts.today)) < 0)
		return cmd_fail_error(error);
	if ((error = emb_repo_open(&repo, where, EMB_REPO_OPEN_FROM_ENV)) < 0)
		return cmd_fail_error(error);
	if ((error = emb_policy_check(&r, repo, &opts)) < 0) {
		status = cmd_fail_error(error);
		goto out;
	}

	status_word = emb_policy_status(r, opts.strict);
	if (!strcmp(format, "text")) {
		emb_policy_print(stdout, r, opts.strict, cmd_use_color(stdout),
				 "");
	} else {
		json_t *doc;

		if (!strcmp(format, "json")) {
			doc = emb_policy_to_json(r, opts.strict);
		} else {
			doc = emb_sarif_log();
			emb_sarif_add_policy_run(doc, r, NULL, opts.strict);
		}
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
	}
	status = strcmp(status_word, "error") ? EMB_EXIT_OK : EMB_EXIT_FOUND;

out:
	emb_policy_result_free(r);
	git_repository_free(repo);
	return status;
}
