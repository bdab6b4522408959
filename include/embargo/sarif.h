/*
 * sarif.h - the one SARIF 2.1.0 writer: the log, its runs, the rule
 * table of a run, results with their locations and fingerprints.
 *
 * `scan`, `policy` and `audit` build their runs with these functions
 * only, so that a problem has one rule id and one fingerprint whichever
 * command reports it, and the tool's name and version come from one
 * place (version.h).  What a result says is the caller's; how SARIF
 * spells it is decided here.
 */
#ifndef EMBARGO_SARIF_H
#define EMBARGO_SARIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* A rule (SARIF reportingDescriptor).  Only `id` is required: a rule
 * without `short_text` is written as {id, name} (a rule read back from
 * an older report that this version does not know). */
struct emb_sarif_rule {
	const char *id;		   /* "embargoed-reference", ... */
	const char *name;	   /* "EmbargoedReference"; NULL: the id */
	const char *short_text;	   /* shortDescription */
	const char *full_text;	   /* fullDescription, or NULL */
	const char *help_text;	   /* help */
	const char *help_markdown; /* help in Markdown, or NULL */
	const char *level;	   /* defaultConfiguration, or NULL */
};

/** A whole log with no run yet (new reference). */
json_t *emb_sarif_log(void);

/**
 * A run of git-embargo with an empty rule table and no result yet:
 * {"tool": {"driver": {"name", "version", ["informationUri",] "rules"}},
 *  "results": []}.
 * @param information_uri may be NULL
 * @return a new reference
 */
json_t *emb_sarif_run_new(const char *information_uri);

/** Add a rule to the run's table unless a rule of that id is there. */
void emb_sarif_run_add_rule(json_t *run, const struct emb_sarif_rule *rule);

/** Append a result (stolen) to the run. */
void emb_sarif_run_add_result(json_t *run, json_t *result);

/** Set the run's automationDetails.id (stable across runs). */
void emb_sarif_run_set_id(json_t *run, const char *id);

/** Append a run (stolen) to a log made by emb_sarif_log(). */
void emb_sarif_log_add_run(json_t *log, json_t *run);

/**
 * A location in a file of the repository: uri, and a region when
 * `line` (1-based) is not 0 or `byte_offset` is not negative.
 * @return a new reference
 */
json_t *emb_sarif_location(const char *uri, size_t line, int64_t byte_offset);

/** Add a logical location ({name, kind}: a commit or a tag). */
void emb_sarif_location_logical(json_t *location, const char *name,
				const char *kind);

/**
 * A result: {"ruleId", "level", "message": {"text"}, "locations":
 * [location], "partialFingerprints": {fp_key: sha256(fp_text)}}.
 * @param location stolen
 * @param fp_key the fingerprint's name ("embargoFinding/v1"); with
 * fp_text, NULL for none
 * @return a new reference
 */
json_t *emb_sarif_result(const char *rule_id, const char *level,
			 const char *message, json_t *location,
			 const char *fp_key, const char *fp_text);

/*
 * A log written a run at a time, compact, one run a line (the audit's:
 * memory does not grow with the number of repositories).  The first
 * run opens the log; _end closes it, or writes the empty log when there
 * was no run.  Each returns 0, or -1 when the stream failed.
 */
int emb_sarif_stream_run(FILE *out, const json_t *run, bool first);
int emb_sarif_stream_end(FILE *out, bool any_run);

#endif
