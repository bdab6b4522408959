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

static const char usage_text[] =
	"usage: git embargo policy [--rev REV] [--format text|json|sarif] "
	"[--strict]\n"
	"                          [--org-default PATH] [--template FILE] "
	"[<repository>]";

int cmd_policy(int argc, char **argv)
{
	struct emb_policy_opts opts = { 0 };
	struct emb_policy_result *r = NULL;
	git_repository *repo = NULL;
	const char *format = "text", *where = NULL, *status_word;
	int i, error, status;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--rev") && i + 1 < argc)
			opts.rev = argv[++i];
		else if (!strncmp(a, "--rev=", 6))
			opts.rev = a + 6;
		else if (!strcmp(a, "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strncmp(a, "--format=", 9))
			format = a + 9;
		else if (!strcmp(a, "--strict"))
			opts.strict = true;
		else if (!strcmp(a, "--org-default") && i + 1 < argc)
			opts.org_default = argv[++i];
		else if (!strncmp(a, "--org-default=", 14))
			opts.org_default = a + 14;
		else if (!strcmp(a, "--template") && i + 1 < argc)
			opts.template_path = argv[++i];
		else if (!strncmp(a, "--template=", 11))
			opts.template_path = a + 11;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			puts(usage_text);
			return 0;
		} else if (a[0] == '-' && a[1])
			return cmd_fail(EMB_EXIT_CONFIG,
					"unknown option '%s'\n%s", a,
					usage_text);
		else if (!where)
			where = a;
		else
			return cmd_fail(EMB_EXIT_CONFIG, "%s", usage_text);
	}
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "sarif"))
		return cmd_fail(EMB_EXIT_CONFIG,
				"unknown format '%s': use text, json or sarif",
				format);
	if ((error = emb_date_today(&opts.today)) < 0)
		return cmd_fail_error(error);
	if ((error = emb_repo_open(&repo, where)) < 0)
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
