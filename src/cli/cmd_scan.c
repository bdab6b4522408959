/*
 * cmd_scan.c - `git embargo scan`: find references to embargoed issues
 * in a range of history and print them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "embargo/error.h"
#include "embargo/repo.h"
#include "embargo/report.h"
#include "embargo/scan.h"
#include "embargo/session.h"
#include "opt.h"

enum { OPT_LIST = 1, OPT_FORMAT, OPT_NO_DIFFS, OPT_VERBOSE, OPT_THREADS };

static const struct cli_opt options[] = {
	{ OPT_LIST, "list", 0, CLI_OPT_VALUE, "FILE",
	  "embargo list (repeatable; default GIT_EMBARGO_LIST, embargo.list)",
	  0 },
	{ OPT_FORMAT, "format", 0, CLI_OPT_VALUE, "FMT",
	  "text, json or sarif (default text)", 0 },
	{ OPT_NO_DIFFS, "no-diffs", 0, CLI_OPT_SWITCH, NULL,
	  "metadata only: no paths, no added lines", 0 },
	{ OPT_VERBOSE, "verbose", 'v', CLI_OPT_SWITCH, NULL,
	  "say what was scanned, and notes", 0 },
	{ OPT_THREADS, "threads", 0, CLI_OPT_VALUE, "N",
	  "threads, from 1 to 64 (default: two on two cores or more)", 0 },
	{ 0 },
};

const struct cli_opt_cmd cmd_scan_options = {
	.name = "scan",
	.usage = "usage: git embargo scan [<options>] [<revision range>...]",
	.opts = options,
	.revisions = true,
};

static void print_note(void *payload, const char *message)
{
	(void)payload;
	fprintf(stderr, "git-embargo: note: %s\n", message);
}

/* What could not be scanned is said whatever the verbosity. */
static void print_warning(void *payload, const char *message)
{
	(void)payload;
	fprintf(stderr, "git-embargo: warning: %s\n", message);
}

/* A long scan says how far it is, on a terminal only. */
static void show_progress(void *payload, uint64_t commits)
{
	bool *shown = payload;

	fprintf(stderr, "\rgit-embargo: scanning: %llu commits",
		(unsigned long long)commits);
	*shown = true;
}

int cmd_scan(int argc, char **argv)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	struct emb_findings findings = EMB_FINDINGS_INIT;
	struct emb_range range = EMB_RANGE_INIT;
	struct emb_scan_stats stats = { 0 };
	struct emb_session s;
	git_repository *repo = NULL;
	const char **lists = emb_xcalloc((size_t)argc + 1, sizeof(char *));
	char **revs = emb_xcalloc((size_t)argc + 1, sizeof(char *));
	const char *format = "text";
	size_t nlists = 0;
	struct cli_opt_parser p;
	int nrevs = 0, id, error, status;
	bool verbose = false, session = false, progress_shown = false;

	cli_opt_init(&p, &cmd_scan_options, argc, argv);
	while ((id = cli_opt_next(&p)) != CLI_OPT_DONE) {
		const char *a = p.value;
		char *end;
		unsigned long n;

		switch (id) {
		case OPT_LIST:
			lists[nlists++] = a;
			break;
		case OPT_FORMAT:
			format = a;
			break;
		case OPT_NO_DIFFS:
			opts.diffs = false;
			break;
		case OPT_VERBOSE:
			verbose = true;
			break;
		case OPT_THREADS:
			n = strtoul(a, &end, 10);
			if (a[0] < '1' || a[0] > '9' || *end || n > 64) {
				status = cmd_fail(EMB_EXIT_CONFIG,
						  "--threads: '%s' is not a "
						  "number from 1 to 64",
						  a);
				goto out;
			}
			opts.threads = (unsigned)n;
			break;
		case CLI_OPT_HELP:
			cli_opt_help(stdout, &cmd_scan_options);
			status = 0;
			goto out;
		case CLI_OPT_ARG:
			revs[nrevs++] = (char *)a;
			break;
		default:
			status = EMB_EXIT_CONFIG;
			goto out;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "sarif")) {
		status = cmd_fail(
			EMB_EXIT_CONFIG,
			"unknown format '%s': use text, json or sarif", format);
		goto out;
	}

	if ((error = emb_repo_open(&repo, NULL, EMB_REPO_OPEN_FROM_ENV)) < 0) {
		status = cmd_fail_error(error);
		goto out;
	}
	if ((error = emb_session_init(&s, repo, lists, nlists,
				      verbose ? print_note : NULL, NULL)) < 0) {
		session = true;
		status = cmd_fail_error(error);
		goto out;
	}
	session = true;
	opts.max_blob_size = s.conf.max_blob_size;
	if (verbose)
		opts.note = print_note;
	opts.warn = print_warning;
	if (isatty(STDERR_FILENO)) {
		opts.progress = show_progress;
		opts.progress_payload = &progress_shown;
	}

	error = emb_range_from_args(&range, repo, nrevs, revs);
	if (!error)
		error = emb_scan_range(repo, s.matcher, &range, &opts,
				       &findings, &stats);
	if (progress_shown)
		fputs("\r\033[K", stderr); /* the line goes */
	if (error < 0) {
		status = cmd_fail_error(error);
		goto out;
	}

	if (!strcmp(format, "text")) {
		struct emb_report_opts ro = EMB_REPORT_OPTS_INIT;

		ro.color = cmd_use_color(stdout);
		emb_report_text(stdout, &findings, &ro);
		if (findings.n || verbose)
			fprintf(findings.n ? stdout : stderr,
				"%s%zu reference%s to embargoed issues in %llu "
				"commit%s and %llu ref%s scanned\n",
				findings.n ? "\n" : "", findings.n,
				findings.n == 1 ? "" : "s",
				(unsigned long long)stats.commits,
				stats.commits == 1 ? "" : "s",
				(unsigned long long)stats.refs,
				stats.refs == 1 ? "" : "s");
	} else {
		json_t *doc;

		if (!strcmp(format, "json")) {
			doc = emb_json_scan(&findings, &stats, false);
		} else {
			doc = emb_sarif_log();
			emb_sarif_add_scan_run(doc, &findings, NULL, false);
		}
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
	}
	/* a scan that could not read everything is no clean pass */
	if (stats.blobs_unscanned)
		fprintf(stderr,
			"git-embargo: %llu file%s could not be scanned (see "
			"above): the history is not known to be clean\n",
			(unsigned long long)stats.blobs_unscanned,
			stats.blobs_unscanned == 1 ? "" : "s");
	status = findings.n || stats.blobs_unscanned ? EMB_EXIT_FOUND :
						       EMB_EXIT_OK;

out:
	emb_findings_release(&findings);
	emb_range_release(&range);
	if (session)
		emb_session_release(&s);
	git_repository_free(repo);
	free(lists);
	free(revs);
	return status;
}
