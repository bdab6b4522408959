/*
 * override.h - the server's record of a push and its override: who
 * pushed, to which repository, what was blocked or let through, and
 * whether an override asked for in the push's options is granted.
 *
 * A shared system account (git, gitea, ...) says nothing about who
 * pushed, and a disk path (@hashed/6b/86/...) nothing about which
 * project: the names come from what the forge exports to its hooks,
 * or from embargo.pusherEnv / embargo.repositoryEnv.
 *
 * An override names the identifiers it is for, before a colon, and a
 * reason after it:
 *     git push -o embargo.override="CVE-2026-31337: disclosed with the vendor"
 * It lets through only the findings of those identifiers (an alias or
 * a hashed entry counts as the identifier it stands for, the text of a
 * pattern does not); any other
 * embargoed identifier in the same push still rejects it.  Whether a
 * named identifier is embargoed at all is never said: the pusher
 * learns only which of the findings in their own push remain.
 */
#ifndef EMBARGO_OVERRIDE_H
#define EMBARGO_OVERRIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "embargo/config.h"
#include "embargo/finding.h"
#include "embargo/match.h"
#include "embargo/refupdate.h"

/** Who pushed, to which repository, as people know them. */
struct emb_pusher {
	char *name;	       /* never NULL: "unknown" when nothing says */
	const char *name_from; /* the variable it came from, or NULL */
	char *repository;      /* the forge's name, else the git folder */
	const char *repository_from;
};

/**
 * Read the pusher and the repository from the environment:
 * embargo.pusherEnv / embargo.repositoryEnv first, then GitLab
 * (GL_USERNAME, GL_ID; GL_PROJECT_PATH), GitHub Enterprise Server
 * (GITHUB_USER_LOGIN; GITHUB_REPO_NAME), Gitea and Forgejo
 * (GITEA_PUSHER_NAME; GITEA_REPO_USER_NAME/GITEA_REPO_NAME), gitolite
 * (GL_USER; GL_REPO), then REMOTE_USER and USER; the repository falls
 * back to `gitdir`.  Release with emb_pusher_release().
 */
void emb_pusher_init(struct emb_pusher *p, const struct emb_config *conf,
		     const char *gitdir);

void emb_pusher_release(struct emb_pusher *p);

/** An override as the push's options ask for it. */
struct emb_override_req {
	bool asked;   /* some option is embargo.override */
	char *ids;    /* the text before the colon, or NULL */
	char *reason; /* after the colon (or the whole value), trimmed */
};

/**
 * Find embargo.override[=<identifiers>: <reason>] in the push's options
 * (several are joined).  Release with emb_override_req_release().
 */
void emb_override_req_parse(struct emb_override_req *out,
			    const char *const *options, size_t n);

void emb_override_req_release(struct emb_override_req *r);

enum emb_override_verdict {
	EMB_OVERRIDE_GRANTED,	  /* every finding is named: let through */
	EMB_OVERRIDE_DISABLED,	  /* embargo.allowOverride is not true */
	EMB_OVERRIDE_NOT_ALLOWED, /* the pusher is not in overrideUsers */
	EMB_OVERRIDE_NO_REASON,	  /* no reason after the identifiers */
	EMB_OVERRIDE_NO_IDS,	  /* no identifier named */
	EMB_OVERRIDE_NO_LOG,	  /* embargo.auditLog is not set */
	EMB_OVERRIDE_PARTIAL,	  /* some findings are of other identifiers */
};

/**
 * Decide an override for `findings`.  `covered` (findings->n flags,
 * the caller's) says which findings the named identifiers cover, for
 * every verdict past the checks of the settings and the request.
 * @return 0, or EMB_EMATCH when the named identifiers cannot be read
 */
int emb_override_decide(enum emb_override_verdict *out, bool *covered,
			const struct emb_override_req *req,
			const struct emb_findings *findings,
			const struct emb_matcher *m,
			const struct emb_config *conf,
			const struct emb_pusher *pusher);

/** What a server does with a push whose findings stand. */
struct emb_override_outcome {
	bool asked;			   /* the push asks for an override */
	bool granted;			   /* let through, as an override */
	enum emb_override_verdict verdict; /* when asked: why (not) */
	/* findings->n flags, the findings that still reject the push after
	 * a partial override; NULL: all of them */
	bool *still;
	/* tell the pusher that an override may be asked for: the server
	 * allows them, to this pusher, in a hook that gets push options */
	bool offer;
};

/**
 * Decide a push with findings: emb_override_decide() on what `req`
 * asks for, then what the pusher is shown.  `options` says whether the
 * hook gets the push's options at all (pre-receive does, update does
 * not).  Release with emb_override_outcome_release().
 * @return 0, or EMB_EMATCH when the named identifiers cannot be read
 */
int emb_override_judge(struct emb_override_outcome *out,
		       const struct emb_override_req *req,
		       const struct emb_findings *findings,
		       const struct emb_matcher *m,
		       const struct emb_config *conf,
		       const struct emb_pusher *pusher, bool options);

void emb_override_outcome_release(struct emb_override_outcome *o);

/** The kinds of record in the audit log. */
enum emb_record_event {
	EMB_RECORD_OVERRIDE, /* "embargo.override": let through */
	EMB_RECORD_BLOCKED,  /* "embargo.blocked": rejected */
};

struct emb_record {
	enum emb_record_event event;
	int64_t time; /* Unix seconds */
	const struct emb_pusher *pusher;
	const char *reason; /* override: the reason; blocked: an override
			     * asked for and refused, else NULL */
	const struct emb_refupdates *updates;
	const struct emb_findings *findings;
	const bool *only; /* when not NULL: the findings to record */
};

/**
 * One JSON object {"time", "event", "pusher", "repository", "refs":
 * [{"ref", "old", "new"}], "commits", "identifiers", "reason"}, written
 * as one line (with its newline) by a single append to `path`, which is
 * created when missing.  Identifiers are the list's own form: a hashed
 * entry stays hashed.
 * @return 0, or EMB_ERROR with a message naming the file
 */
int emb_record_append(const char *path, const struct emb_record *r);

#endif
