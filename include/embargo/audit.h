/*
 * audit.h - auditing many repositories at once: finding them, mirroring
 * the remote ones, auditing each in a pool of workers, and turning the
 * per-repository results into reports.
 *
 * The unit of everything is the *row*: one JSON object per repository,
 *
 *	{"type": "repository", "repository": NAME, "verdict": VERDICT,
 *	 "public": BOOL, "policy": <emb_policy_to_json()> or null,
 *	 "findings": [<emb_json_finding()> + "date", "refs", "forge_only"...],
 *	 "error": null or MESSAGE (not audited),
 *	 "incomplete": null or MESSAGE (audited in part), "notes": [TEXT...]}
 *
 * which `audit --format json` prints one per line and `audit --merge`
 * reads back.  Every other format is rendered from rows, so a merged
 * report is the same as a single run's.  Rows are produced and consumed
 * one at a time, in the order of the sorted source names, whatever the
 * number of workers: memory does not grow with the number of
 * repositories.
 */
#ifndef EMBARGO_AUDIT_H
#define EMBARGO_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "embargo/buf.h"
#include "embargo/date.h"
#include "embargo/match.h"

/* ---- sources ---------------------------------------------------------- */

struct emb_audit_source {
	char *name;  /* the report's "repository": as given or found */
	char *path;  /* folder to open, or NULL for a URL */
	char *url;   /* URL to mirror (may hold credentials), or NULL */
	char *error; /* known to fail before auditing ("not a repository") */
};

struct emb_audit_sources {
	struct emb_audit_source *v;
	size_t n, alloc;
};

#define EMB_AUDIT_SOURCES_INIT                                                 \
	{                                                                      \
		.v = NULL, .n = 0, .alloc = 0                                  \
	}

/**
 * Add what one command-line source stands for: every repository below a
 * folder (bare or not, without descending into a repository), one URL,
 * or, for "@FILE" ("@-": standard input), each line of FILE ('#' starts
 * a comment).  A source that names nothing auditable is added as a
 * source with `error` set, so that it becomes an error row.
 * @return 0, or EMB_EUSAGE when an @FILE cannot be read
 */
int emb_audit_sources_add(struct emb_audit_sources *list, const char *arg);

/** Sort by name (byte order) and drop repeated names. */
void emb_audit_sources_finish(struct emb_audit_sources *list);

/**
 * The digest of a finished source list: "sha256:" and the hex SHA-256 of
 * the names, sorted, one per line.  Every shard of one run has the same,
 * so that `--merge` can tell parts of another run.
 * @param out at least EMB_AUDIT_DIGEST_SIZE bytes
 */
void emb_audit_sources_digest(char *out, const struct emb_audit_sources *list);

#define EMB_AUDIT_DIGEST_SIZE 72

/**
 * Keep only the sources of shard `index` (1-based) of `count`.
 */
void emb_audit_sources_shard(struct emb_audit_sources *list, unsigned index,
			     unsigned count);

void emb_audit_sources_release(struct emb_audit_sources *list);

/**
 * git's rule: "scheme://..." or scp-like "[user@]host:path" (a colon
 * before any slash) is a URL; anything else is a local path.
 */
bool emb_audit_is_url(const char *source);

/**
 * A URL as reports show it: without the password of its user part, so
 * that a token written into an @FILE list does not end up in reports.
 * @return a heap string, the caller's to free()
 */
char *emb_audit_url_display(const char *url);

/**
 * The shard (1..count) a source name falls in: the first 8 bytes of the
 * SHA-256 of the name, big-endian, modulo count, plus one.  Stable across
 * machines, runs and versions, so independent shards never overlap.
 */
unsigned emb_audit_shard_of(const char *name, unsigned count);

/**
 * Parse "I/N" (1 <= I <= N).
 * @return 0, or EMB_EUSAGE
 */
int emb_audit_parse_shard(unsigned *index, unsigned *count, const char *spec);

/* ---- URL mirrors ------------------------------------------------------ */

/**
 * The cache folder: `override`, else $XDG_CACHE_HOME/git-embargo, else
 * $HOME/.cache/git-embargo.  Not created here.
 * @param[out] out the caller's to free()
 */
int emb_audit_cache_dir(char **out, const char *override);

/**
 * Where the mirror of `url` lives: CACHE/mirrors/<16 hex of SHA-256 of
 * the URL>-<last path component>.git.
 * @param[out] out the caller's to free()
 */
char *emb_audit_mirror_path(const char *cache, const char *url);

/**
 * Make the bare mirror of `url` current: clone it (branches and tags,
 * HEAD as the remote's) the first time, fetch with pruning afterwards.
 * A lock file serialises processes and threads on one mirror.
 * @param[out] path the mirror's folder, the caller's to free()
 * @param[out] fetched true when an existing mirror was fetched, false
 * when it was cloned (may be NULL)
 * @return 0, or EMB_EREPO with the reason
 */
int emb_audit_mirror(char **path, bool *fetched, const char *cache,
		     const char *url);

/* ---- auditing --------------------------------------------------------- */

/**
 * The `--refs forge` preset, NULL-terminated: branches and tags, and what
 * forges publish beside them for anyone to fetch (GitHub's
 * refs/pull/N/head and /merge, GitLab's refs/merge-requests/N/head),
 * which a force-push to a branch does not remove.
 */
extern const char *const emb_audit_forge_refs[];

struct emb_audit_visibility {
	char *glob; /* fnmatch() pattern on the repository name */
	bool public;
};

struct emb_audit_progress {
	size_t done, total;
	const char *current; /* name of the repository started last */
	int64_t elapsed_ms;
};

struct emb_audit_opts {
	const struct emb_matcher *matcher;
	emb_date today;
	unsigned jobs;		 /* worker threads (>= 1) */
	size_t window;		 /* finished rows held back at most by a
				  * slow one; 0: max(256, 16 x jobs) */
	const char *cache;	 /* for URL sources */
	const char *const *refs; /* ref globs to scan; NULL: heads and tags */
	size_t nrefs;
	bool diffs;	    /* false: --no-diffs */
	int64_t timeout_ms; /* per repository scan; 0: none; < 0: already
			     * past (tests) */
	size_t max_blob_size;
	bool redact;
	bool strict; /* policy warnings are failures */
	/* --public/--private, in command-line order: the last match wins */
	const struct emb_audit_visibility *visibility;
	size_t nvisibility;
	unsigned shard, shards;	   /* audit only shard `shard` (1-based) of
				    * `shards`; 0: all */
	const char *org_default;   /* --org-default (path or URL), or NULL */
	const char *template_path; /* --template, or NULL */
	/* every audited repository (all shards), for links into them:
	 * names and paths as struct emb_policy_opts has them; NULL:
	 * emb_audit_run() makes them from its sources */
	const char *const *siblings;
	const char *const *sibling_paths;

	/* Called from the calling thread with each row, in source order;
	 * the row is borrowed.  A negative return stops the audit. */
	int (*emit)(void *payload, json_t *row);
	/* Called from the calling thread now and then; may be NULL. */
	void (*progress)(void *payload, const struct emb_audit_progress *p);
	void *payload;
};

/** The organisation default SECURITY.md of a repository. */
struct emb_audit_org {
	char *path; /* where it is read: a file or a local repository */
	char *name; /* what reports call it: the source as given */
};

/**
 * Audit one repository (no threads): open or mirror it, judge its
 * SECURITY.md at HEAD (or, when HEAD names no branch, at main, master or
 * the only branch), scan its refs.  Never fails: a repository that
 * cannot be opened has "error"; a failure after that (a missing object,
 * the timeout, a shallow history) sets "incomplete" and keeps the policy
 * and the findings made before it; an empty repository (no commit) has
 * neither a policy nor an error.
 * @param org the organisation default for this source, or NULL
 * @return a new reference to the row
 */
json_t *emb_audit_one(const struct emb_audit_source *src,
		      const struct emb_audit_opts *opts,
		      const struct emb_audit_org *org);

/**
 * Audit every source (of the shard, when opts->shards is set) with
 * opts->jobs workers and pass the rows to opts->emit in order.  The
 * organisation default of each source is --org-default, else the
 * `.github` repository among all the sources (whichever shard it is in)
 * whose folder or URL prefix is the longest one containing it.
 * @return 0, the emit callback's error, EMB_ECONFIG when the path given
 * as --org-default is neither a file nor a repository, or EMB_EREPO when
 * its URL cannot be mirrored
 */
int emb_audit_run(const struct emb_audit_sources *sources,
		  const struct emb_audit_opts *opts);

/**
 * Whether `name` is public by the visibility patterns alone.
 */
bool emb_audit_is_public(const char *name, const struct emb_audit_visibility *v,
			 size_t n);

/* ---- rows and reports -------------------------------------------------- */

/*
 * What a security lead does about a row, most urgent first.  One per
 * row, decided from the row's fields alone (emb_audit_row_verdict()), so
 * that a merged report says what a single run would have said:
 *  - LEAK: a public repository whose refs reach an embargoed reference
 *    or fix, whatever else is wrong with it;
 *  - NOT_AUDITED: it could not be opened or mirrored ("error");
 *  - ERROR: the SECURITY.md verdict is an error (it stands even when
 *    the scan did not finish);
 *  - INCOMPLETE: something failed on the way ("incomplete"); what was
 *    found and the policy verdict are kept;
 *  - WARNING: the SECURITY.md verdict is a warning;
 *  - PRIVATE_FINDINGS: references in a private repository (allowed);
 *  - OK: nothing to act on (also an empty repository).
 */
enum emb_audit_verdict {
	EMB_VERDICT_LEAK,
	EMB_VERDICT_ERROR,
	EMB_VERDICT_WARNING,
	EMB_VERDICT_OK,
	EMB_VERDICT_PRIVATE_FINDINGS,
	EMB_VERDICT_INCOMPLETE,
	EMB_VERDICT_NOT_AUDITED,
};

#define EMB_AUDIT_VERDICTS 7

/** @return "leak", "error", "warning", "ok", "private-findings",
 * "incomplete" or "not-audited" (the JSON `verdict`) */
const char *emb_audit_verdict_name(enum emb_audit_verdict v);

/** @return the verdict of a repository row (see the enum). */
enum emb_audit_verdict emb_audit_row_verdict(const json_t *row);

/** Set the row's "verdict" from its fields. */
void emb_audit_row_set_verdict(json_t *row);

/** Totals over rows: each row counts once, under its verdict. */
struct emb_audit_summary {
	size_t repositories;
	size_t verdicts[EMB_AUDIT_VERDICTS];
	size_t rows_incomplete;	 /* rows with "incomplete", any verdict */
	size_t findings;	 /* in public repositories */
	size_t private_findings; /* in private ones (allowed) */
	size_t empty;		 /* no commit: nothing to judge (ok) */
	size_t suppressed;	 /* findings accepted by a suppression */
	/* the run the rows come from: shard `shard` of `shards` (1/1: all)
	 * of the source list with digest `sources` ("": unknown) */
	unsigned shard, shards;
	char sources[EMB_AUDIT_DIGEST_SIZE];
	/* SECURITY.md age: < 90 days, < 180, < 1 year, < 2 years, older,
	 * no SECURITY.md (or no date) */
	size_t age[6];
};

#define EMB_AUDIT_AGE_BUCKETS 6
extern const char *const emb_audit_age_labels[EMB_AUDIT_AGE_BUCKETS];

/** Count one row. */
void emb_audit_summary_add(struct emb_audit_summary *s, const json_t *row,
			   emb_date today);

/** {"type": "summary", "shard": "I/N", "sources": DIGEST,
 * "repositories": N, "verdicts": {"leak": N, ...},
 * "rows_incomplete": N, "findings": N, "private_findings": N, "suppressed": N}
 * (new reference) */
json_t *emb_audit_summary_json(const struct emb_audit_summary *s);

/**
 * The exit status the verdicts call for: 1 when a row is a leak or a
 * policy error (what must be acted on comes first), else 3 when a row is
 * incomplete or not audited, else 0.
 */
int emb_audit_summary_exit(const struct emb_audit_summary *s);

/** @return the row's SECURITY.md age in days, or -1 when unknown. */
long emb_audit_row_age(const json_t *row, emb_date today);

/** Where a finding is, from its JSON object, as emb_report_place() says
 * it: "commit 1a2b3c4 \"subject\": src/x.c:12 (added)". */
void emb_audit_finding_place(struct emb_buf *out, const json_t *f);

/** What the week before says of a finding: " [new]", " [gone]", " (suppressed
 * until DATE: REASON)", " (its suppression expired on DATE)". */
void emb_audit_finding_marks(struct emb_buf *out, const json_t *f);

/** The one fix text of a row (what to do about its findings, or why it
 * is not or not fully audited); nothing for a policy verdict, whose
 * problems each carry their own. */
void emb_audit_row_fix(struct emb_buf *out, const json_t *row);

/** What to do about the reason a repository was not (fully) audited. */
const char *emb_audit_error_fix(const char *reason);

/** "10 repositories: 1 leak, 2 error, ...; 3 references in public
 * repositories" */
void emb_audit_summary_line(struct emb_buf *out,
			    const struct emb_audit_summary *s);

/* ---- leaks per identifier ------------------------------------------- */

#define EMB_AUDIT_LEAK_NAMES 12 /* names kept per list; counts are exact */

struct emb_audit_names {
	char *v[EMB_AUDIT_LEAK_NAMES];
	size_t n;
};

/** One embargoed identifier across the public repositories. */
struct emb_audit_leak {
	char *identifier; /* as the rows show it (hashed stays hashed) */
	size_t repositories, commits, findings, nrefs;
	size_t forge_only;    /* commits only refs beyond branches and tags
			       * reach */
	emb_date first, last; /* commit dates; EMB_DATE_NONE: none */
	struct emb_audit_names repos, refs; /* the first few, in order */
};

struct emb_audit_rollup;

/** @param[out] out the caller's to free with emb_audit_rollup_free() */
int emb_audit_rollup_new(struct emb_audit_rollup **out);

/** Count the findings of a row whose verdict is a leak. */
void emb_audit_rollup_add(struct emb_audit_rollup *r, const json_t *row);

/**
 * @return the identifiers, most widespread first (borrowed from r until
 * the next add or free)
 */
const struct emb_audit_leak *emb_audit_rollup_leaks(struct emb_audit_rollup *r,
						    size_t *n);

void emb_audit_rollup_free(struct emb_audit_rollup *r);

/** "2026-05-02" or "2026-05-02 to 2026-05-30" or "no commit" */
void emb_audit_leak_dates(char *out, size_t size,
			  const struct emb_audit_leak *e);

/* ---- week to week ------------------------------------------------------ */

struct emb_audit_baseline;

/**
 * Read an earlier audit's JSON lines (a run, or a merge) as the
 * baseline.
 * @param[out] out the caller's to free with emb_audit_baseline_free()
 * @return 0, or EMB_EUSAGE naming the file (and line) that cannot be read
 */
int emb_audit_baseline_load(struct emb_audit_baseline **out, const char *path);

/**
 * Mark each finding of the row "baseline": "new" or "unchanged", append
 * the baseline's findings the row no longer has as "gone" (with "gone":
 * true: they count for nothing), and set the row's "changes": {
 * "verdict_before", "new", "unchanged", "gone"}.  With only_new the
 * unchanged findings are dropped from the row.
 * @return true when the row changed: new or gone findings, another
 * verdict, or a repository the baseline did not have
 */
bool emb_audit_baseline_apply(struct emb_audit_baseline *b, json_t *row,
			      bool only_new);

void emb_audit_baseline_free(struct emb_audit_baseline *b);

struct emb_audit_suppressions;

/**
 * Read a suppressions file: one known finding accepted per line,
 *
 *	REPOSITORY-GLOB  IDENTIFIER  YYYY-MM-DD  REASON...
 *
 * (IDENTIFIER "*" for any; an identifier may be given in its hashed
 * form "sha256:..."), accepted until the date.  Blank lines and lines
 * starting with '#' are skipped.
 * @param[out] out the caller's to free with emb_audit_suppressions_free()
 * @return 0, or EMB_ECONFIG naming the file and line
 */
int emb_audit_suppressions_load(struct emb_audit_suppressions **out,
				const char *path, emb_date today);

/**
 * Mark each finding of the row that a suppression in force covers
 * ("suppressed": true, "suppression": {"reason", "until", "where"}); a
 * finding covered by one that expired gets "suppression_expired" and
 * still counts.
 */
void emb_audit_suppressions_apply(struct emb_audit_suppressions *s,
				  json_t *row);

size_t emb_audit_suppressions_count(const struct emb_audit_suppressions *s);

void emb_audit_suppressions_free(struct emb_audit_suppressions *s);

/**
 * Redact a row in place: identifiers shown hashed (emb_redact_id()),
 * subjects, excerpts and matched text dropped, and every text that named
 * an embargoed issue in the row replaced by its hashed form in ref and
 * file names ("refs/heads/fix-sha256:..."), so that a branch or a file
 * named after the issue does not give it away.  Findings already redacted
 * are left as they are.
 */
void emb_audit_row_redact(json_t *row);

/**
 * Check that `row` is a repository row as written by the audit.
 * @return 0, or EMB_ECONFIG with the reason
 */
int emb_audit_row_check(const json_t *row);

enum emb_audit_format {
	EMB_AUDIT_TEXT,
	EMB_AUDIT_JSON,
	EMB_AUDIT_SARIF,
	EMB_AUDIT_HTML
};

/** @return 0 and the format for "text", "json", "sarif", "html". */
int emb_audit_parse_format(enum emb_audit_format *out, const char *name);

struct emb_audit_sink_opts {
	emb_date today;
	size_t name_width; /* text: width of the repository column */
	const char *title; /* HTML: report title, or NULL */
	/* the run: shard I of N (0: 1/1) and the source list's digest */
	unsigned shard, shards;
	const char *sources;
};

struct emb_audit_sink;

/**
 * A report writer that takes rows one at a time.
 * @param[out] out the caller's to free with emb_audit_sink_free()
 */
int emb_audit_sink_new(struct emb_audit_sink **out,
		       enum emb_audit_format format, FILE *stream,
		       const struct emb_audit_sink_opts *opts);

/** Set the row's verdict, count it, and write (or spool) it. */
int emb_audit_sink_row(struct emb_audit_sink *sink, json_t *row);

/**
 * Write the totals and whatever the format keeps for the end.
 * @return 0, or EMB_ERROR when the stream failed
 */
int emb_audit_sink_finish(struct emb_audit_sink *sink);

/** Name the source list the rows come from (a merge learns it last). */
void emb_audit_sink_set_sources(struct emb_audit_sink *sink,
				const char *digest);

/** @return the totals of the rows seen so far (borrowed). */
const struct emb_audit_summary *emb_audit_sink_summary(
	const struct emb_audit_sink *sink);

void emb_audit_sink_free(struct emb_audit_sink *sink);

/** What a merge learnt about the run its parts come from. */
struct emb_audit_merge_info {
	size_t duplicates; /* repositories in more than one part */
	unsigned shards;   /* N of the parts' "I/N" */
	char sources[EMB_AUDIT_DIGEST_SIZE];
};

/**
 * Merge the JSON lines of shard runs: a k-way merge of files each sorted
 * by repository, calling `emit` with each repository row in order; a
 * repository present in two files is passed once.  Each part must end
 * with its summary line, whose count of rows, shard and source digest
 * are checked: a part that is empty, cut short (no summary, or fewer
 * rows than it says), of another run (another source digest or shard
 * count) is refused, and so is a set of parts that lacks a shard.
 * Totals are recounted from the rows.
 * @param[out] info may be NULL
 * @return 0, the callback's error, or EMB_ECONFIG naming the part (and
 * line) and what is wrong with it
 */
int emb_audit_merge(const char *const *files, size_t n,
		    int (*emit)(void *payload, json_t *row), void *payload,
		    struct emb_audit_merge_info *info);

#endif
