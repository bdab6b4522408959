/*
 * policy.h - judging a repository's SECURITY.md: does it exist, does it
 * say how to report a vulnerability privately, and is it current.
 *
 * The file is read from git objects only (the tree of a revision), never
 * from a work tree.  Each problem has a stable rule id, a severity and a
 * message saying what is wrong and how to fix it.  The JSON object of a
 * result is the one `git embargo policy --format json` prints and the
 * one `git embargo audit` embeds per repository.
 */
#ifndef EMBARGO_POLICY_H
#define EMBARGO_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <git2.h>
#include <jansson.h>

#include "embargo/buf.h"
#include "embargo/date.h"

enum emb_severity { EMB_SEV_INFO, EMB_SEV_WARNING, EMB_SEV_ERROR };

/* The rules (docs/policy.md), each with one entry in the rule table. */
enum emb_policy_rule {
	EMB_RULE_MISSING,
	EMB_RULE_EMPTY,
	EMB_RULE_SEVERAL,
	EMB_RULE_NAME_CASE,
	EMB_RULE_INHERITED,
	EMB_RULE_NOT_A_FILE,
	EMB_RULE_BINARY,
	EMB_RULE_ENCODING,
	EMB_RULE_TOO_LARGE,
	EMB_RULE_NO_CONTACT,
	EMB_RULE_PLACEHOLDER,
	EMB_RULE_UNEDITED_TEMPLATE,
	EMB_RULE_PUBLIC_CHANNEL,
	EMB_RULE_FOREIGN_DOMAIN,
	EMB_RULE_DEFUNCT_CHANNEL,
	EMB_RULE_DEAD_LINK,
	EMB_RULE_EXPIRED,
	EMB_RULE_EXPIRES_FAR,
	EMB_RULE_REVIEW_OVERDUE,
	EMB_RULE_UNREADABLE_DATE,
	EMB_RULE_OLDER_THAN_RELEASE,
	EMB_RULE_UNSUPPORTED_LATEST,
	EMB_RULE_PHANTOM_VERSION,
	EMB_RULE_NOTHING_SUPPORTED,
	EMB_RULE_CONTRADICTORY_VERSIONS,
	EMB_RULE_TEMPLATE_DRIFT,
};

#define EMB_POLICY_RULES 26

/* One row of the rule table. */
struct emb_policy_rule_info {
	const char *id;		    /* stable: "missing", "expired", ... */
	enum emb_severity severity; /* a problem's severity, unless the
				     * rule says otherwise for one case */
	const char *title;	    /* what the rule finds, in a few words */
	const char *sarif_name;	    /* "PolicyMissing" */
	const char *advice; /* how to fix it, or NULL: the message says */
};

/** @return the table's row of a rule (borrowed, static) */
const struct emb_policy_rule_info *emb_policy_rule(enum emb_policy_rule rule);

/** @return the row of the rule with this id, or NULL (a row read back
 * from another version) */
const struct emb_policy_rule_info *emb_policy_rule_find(const char *id);

struct emb_policy_problem {
	const char *rule; /* stable id: "missing", "expired", ... */
	enum emb_severity severity;
	char *message; /* what is wrong and how to fix it */
	size_t line;   /* 1-based line in the file, 0 if none */
	char *detail;  /* more lines (a diff), or NULL */
};

struct emb_policy_opts {
	const char *rev;	   /* revision to judge; NULL: HEAD */
	bool strict;		   /* warnings count as failures */
	const char *org_default;   /* path or URL of the org default file */
	const char *template_path; /* organisation template, or NULL */
	/* other audited repositories, for cross-repository dead links:
	 * NULL-terminated names ("org/repo" or folder names); may be NULL */
	const char *const *siblings;
	emb_date today; /* for expiry and age rules; 0 or
			 * EMB_DATE_NONE: emb_date_today() */
	/* where the siblings are (git dirs or work trees), in the order of
	 * `siblings`; NULL: each name is tried as a path */
	const char *const *sibling_paths;
};

#define EMB_POLICY_OPTS_INIT                                                   \
	{                                                                      \
		.rev = NULL, .strict = false, .org_default = NULL,             \
		.template_path = NULL, .siblings = NULL,                       \
		.today = EMB_DATE_NONE, .sibling_paths = NULL                  \
	}

struct emb_policy_result {
	char *path;	       /* path used, NULL when missing */
	bool inherited;	       /* judged on the organisation default */
	emb_date last_changed; /* EMB_DATE_NONE when unknown */
	int scorecard;	       /* OpenSSF Scorecard Security-Policy, 0-10 */
	struct emb_policy_problem *problems;
	size_t nproblems;
	int template_similarity; /* 0-100 against the template, -1: none */
};

/**
 * Judge the SECURITY.md of `repo` at opts->rev.  Settings are read from
 * the repository's config: embargo.policy.maxAge, .domain, .defunct,
 * .orgDefault and .template (the last two when opts leaves them NULL),
 * and embargo.maxBlobSize.  Thread-safe for different repositories.
 * See docs/policy.md for the rules.
 * @param[out] out the result, the caller's to free with
 * emb_policy_result_free()
 * @return 0 (problems, even errors, are in the result), or EMB_EREPO /
 * EMB_ECONFIG when the check itself cannot be done
 */
int emb_policy_check(struct emb_policy_result **out, git_repository *repo,
		     const struct emb_policy_opts *opts);

void emb_policy_result_free(struct emb_policy_result *r);

/** @return "ok", "warning" or "error" (with strict, warnings -> error). */
const char *emb_policy_status(const struct emb_policy_result *r, bool strict);

/**
 * {"path", "status", "last_changed", "scorecard", "problems": [{"rule",
 * "severity", "message", "line" (, "diff")}], "inherited"
 * (, "template_similarity")}
 * @return a new reference
 */
json_t *emb_policy_to_json(const struct emb_policy_result *r, bool strict);

/** @return "error", "warning" or "info". */
const char *emb_severity_name(enum emb_severity sev);

/** @return the severity of a name emb_severity_name() gave; anything
 * else is EMB_SEV_INFO (a row read back from another version) */
enum emb_severity emb_severity_from_name(const char *name);

/**
 * Print the result for people: one line per problem ("SECURITY.md:9:
 * warning: ... [rule]"), details indented, then a summary line.
 * @param indent prefix of every line ("" or "remote: " style)
 */
void emb_policy_print(FILE *out, const struct emb_policy_result *r, bool strict,
		      bool color, const char *indent);

/* SARIF rule ids of policy problems: the same in `policy` and `audit`
 * reports, so that code scanning keeps one alert per problem. */
#define EMB_POLICY_SARIF_PREFIX "security-policy/"

/** Append "security-policy/<rule>" to out. */
void emb_policy_sarif_rule_id(struct emb_buf *out, const char *rule);

/** Add the SARIF rule of a policy rule to a run's table (sarif.h). */
void emb_policy_sarif_add_rule(json_t *run, const char *rule);

/** @return the SARIF level of a severity ("error", "warning", "note");
 * with strict, warnings are errors */
const char *emb_policy_sarif_level(enum emb_severity sev, bool strict);

/** @return where a problem is for SARIF: the file judged, or
 * "SECURITY.md" when there is none in the repository (missing, or the
 * organisation default's) */
const char *emb_policy_sarif_uri(const char *path, bool inherited);

/**
 * The SARIF result of one problem: the message with the detail below
 * it, located at `line` of `uri`, fingerprinted by rule, file and
 * message, so `policy` and `audit` make the same alert.
 * @return a new reference
 */
json_t *emb_policy_sarif_result(const char *rule, enum emb_severity sev,
				bool strict, const char *message,
				const char *detail, const char *uri,
				size_t line);

/**
 * Append one SARIF 2.1.0 run with the problems of `r` to a log made by
 * emb_sarif_log() (sarif.h); `repo` names the repository or is NULL.
 */
void emb_sarif_add_policy_run(json_t *log, const struct emb_policy_result *r,
			      const char *repo, bool strict);

#endif
