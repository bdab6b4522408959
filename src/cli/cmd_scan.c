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

static const char usage_text[] =
	"usage: git embargo scan [--list FILE] [--format text|json|sarif] "
	"[--no-diffs] [--verbose] [--threads=N] [<revision range>...]";

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
	int nrevs = 0, i, error, status;
	bool verbose = false, session = false, progress_shown = false;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--list") && i + 1 < argc)
			lists[nlists++] = argv[++i];
		else if (!strncmp(a, "--list=", 7))
			lists[nlists++] = a + 7;
		else if (!strcmp(a, "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strncmp(a, "--format=", 9))
			format = a + 9;
		else if (!strcmp(a, "--no-diffs"))
			opts.diffs = false;
		else if (!strcmp(a, "--verbose") || !strcmp(a, "-v"))
			verbose = true;
		else if (!strncmp(a, "--threads=", 10)) {
			char *end;
			unsigned long n = strtoul(a + 10, &end, 10);

			if (a[10] < '1' || a[10] > '9' || *end || n > 64) {
				status = cmd_fail(EMB_EXIT_CONFIG,
						  "--threads: '%s' is not a "
						  "number from 1 to 64",
						  a + 10);
				goto out;
			}
			opts.threads = (unsigned)n;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			puts(usage_text);
			status = 0;
			goto out;
		} else if (!strcmp(a, "--")) {
			for (i++; i < argc; i++)
				revs[nrevs++] = argv[i];
		} else if (!strcmp(a, "--list") || !strcmp(a, "--format")) {
			status = cmd_fail(EMB_EXIT_CONFIG,
					  "option '%s' needs a value\n%s", a,
					  usage_text);
			goto out;
		} else
			revs[nrevs++] = argv[i];
	}
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "sarif")) {
		status = cmd_fail(
			EMB_EXIT_CONFIG,
			"unknown format '%s': use text, json or sarif", format);
		goto out;
	}

	if ((error = emb_repo_open(&repo, NULL)) < 0) {
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
