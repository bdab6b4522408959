/*
 * report.h - scan findings as text, JSON and SARIF.
 *
 * JSON and SARIF are built with jansson; the same finding object is used
 * by `scan --format json`, the hooks' machine-readable output and each
 * repository line of `audit --format json` (and read back by --merge).
 */
#ifndef EMBARGO_REPORT_H
#define EMBARGO_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "embargo/buf.h"
#include "embargo/finding.h"
#include "embargo/sarif.h"
#include "embargo/scan.h"

struct emb_report_opts {
	bool color;
	bool redact;	    /* show identifiers only in hashed form */
	const char *indent; /* text: prefix of every line ("" or "remote") */
};

#define EMB_REPORT_OPTS_INIT                                                   \
	{                                                                      \
		.color = false, .redact = false, .indent = ""                  \
	}

/**
 * Findings grouped per embargoed issue: identifier, until date, then
 * one line per place.  Prints nothing for an empty list.
 */
void emb_report_text(FILE *out, const struct emb_findings *findings,
		     const struct emb_report_opts *opts);

/*
 * What a server tells a pusher (docs/hooks.md, "What a rejection
 * reveals").  The pusher already has what it pushed; what it lacks is
 * the list.  So by default a rejection names each place and the text
 * there that matched, as it appears in the push, and nothing of the
 * list: not the identifier an alias or pattern stands for, not which
 * texts belong to one issue, not dates, notes, patterns or paths.  A
 * push that matches more than EMB_DISCLOSE_MAX_TEXTS different texts
 * gets only a count: that is the shape of a probe (a file listing a
 * range of identifiers), and naming each would confirm every one.
 */
enum emb_disclosure {
	EMB_DISCLOSE_ALL,    /* embargo.revealIds: the full report */
	EMB_DISCLOSE_PLACES, /* places and matched texts */
	EMB_DISCLOSE_COUNT,  /* how many places, nothing else */
};

#define EMB_DISCLOSE_MAX_TEXTS 3

/** @return how much of these findings a server shows its pusher. */
enum emb_disclosure emb_report_disclosure(const struct emb_findings *findings,
					  bool reveal_ids);

/**
 * @return the number of different texts that matched (an identifier in
 * any spelling counts once; aliases by their words, in any case)
 */
size_t emb_report_texts(const struct emb_findings *findings);

/**
 * EMB_DISCLOSE_PLACES: one line per place, in the push's order:
 * "commit 1a2b3c4 \"subject\": src/x.c:12 (added): 'Bleeding Heart'".
 */
void emb_report_places(FILE *out, const struct emb_findings *findings,
		       const struct emb_report_opts *opts);

/** "commit 1a2b3c4 \"subject\": src/x.c:12 (added)" and so on. */
void emb_report_place(struct emb_buf *out, const struct emb_finding *f);

/** @return a new reference to the JSON object of one finding. */
json_t *emb_json_finding(const struct emb_finding *f, bool redact);

/** {"findings": [...], "summary": {...}} */
json_t *emb_json_scan(const struct emb_findings *findings,
		      const struct emb_scan_stats *stats, bool redact);

/* The SARIF rule of every finding, in `scan`, the hooks and `audit`. */
#define EMB_REPORT_RULE_ID "embargoed-reference"
extern const struct emb_sarif_rule emb_report_sarif_rule;

/**
 * The SARIF result of one finding (sarif.h): the message names the
 * issue, its embargo and the place, then `suffix` (or NULL); the
 * location is the file, else the ref, else the commit; the fingerprint
 * is the same whichever command found it.
 * @param level "error", or "note" where the finding is allowed
 * @param properties stolen: the result's "properties"
 * @return a new reference
 */
json_t *emb_report_sarif_result(const struct emb_finding *f, bool redact,
				const char *level, const char *suffix,
				json_t *properties);

/** Append one run of scan findings to a log made by emb_sarif_log()
 * (sarif.h); `repo` names the repository or NULL. */
void emb_sarif_add_scan_run(json_t *log, const struct emb_findings *findings,
			    const char *repo, bool redact);

/**
 * Read back a finding's JSON object (emb_json_finding(), as an audit row
 * holds it) as a record, so that every writer renders a finding read
 * back with the same code as one just found.  The kind is parsed once,
 * here; `entry` gets the identifier, whether it is hashed and the
 * embargo's end.
 * @param[out] out and entry: release with emb_finding_from_json_release()
 * @return 0, or EMB_ECONFIG when the object has no identifier or a kind
 * this version does not know (then there is nothing to release)
 */
int emb_finding_from_json(struct emb_finding *out, struct emb_entry *entry,
			  const json_t *o);

void emb_finding_from_json_release(struct emb_finding *f,
				   struct emb_entry *entry);

/* A text to hide and what to show instead. */
struct emb_redaction {
	const char *text;
	const char *red;
};

/**
 * `s` with every occurrence of each text replaced by its `red`, one
 * redaction after the other: a ref or file name can hold an identifier.
 * @return a heap string, the caller's to free()
 */
char *emb_redact_text(const char *s, const struct emb_redaction *r, size_t n);

/** The redacted form of an identifier: "sha256:<first 16 hex>". */
void emb_redact_id(char *out, size_t size, const char *identifier);

#endif
