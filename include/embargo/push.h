/*
 * push.h - checking a push: from ref updates to findings.
 *
 * What a push publishes is what the receiver lacks: the commits
 * reachable from the new tips and from nothing the receiver has, the
 * names of the refs it creates, the annotated tags it sends and, for
 * notes refs, the notes it adds.  The client side (pre-push) knows the
 * receiver's refs only through the old values of the pushed refs and
 * the remote's own remote-tracking refs; the server side (pre-receive,
 * update) has every ref, but only those a fetch shows are public.
 *
 * Overrides and the audit record are in override.h.
 */
#ifndef EMBARGO_PUSH_H
#define EMBARGO_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "embargo/config.h"
#include "embargo/finding.h"
#include "embargo/match.h"
#include "embargo/reach.h"
#include "embargo/refupdate.h"
#include "embargo/remote.h"

enum emb_push_side {
	EMB_PUSH_CLIENT, /* pre-push: the receiver is a remote */
	EMB_PUSH_SERVER, /* pre-receive, update: the receiver is `repo` */
};

struct emb_push_opts {
	enum emb_push_side side;
	/* the refs that show what the receiver has (remote.h); NULL: on a
	 * server every ref, on a client none but the pushed refs' old
	 * values */
	const struct emb_remote_refs *receiver;
	int64_t deadline_ms; /* emb_clock_ms() value; 0: none */
	size_t max_blob_size;
	unsigned threads; /* 0: one per processor for large pushes */
	/* client: remotes marked `remote.<name>.embargo = security`; a
	 * pushed commit their tracking refs have is an embargoed fix */
	const char *const *security_forks;
	size_t nforks;
};

#define EMB_PUSH_OPTS_INIT                                                     \
	{                                                                      \
		.side = EMB_PUSH_CLIENT, .receiver = NULL, .deadline_ms = 0,   \
		.max_blob_size = EMB_CONFIG_DEFAULT_MAX_BLOB, .threads = 0,    \
		.security_forks = NULL, .nforks = 0                            \
	}

struct emb_push_result {
	struct emb_findings findings;
	uint64_t commits; /* commits scanned */
	uint64_t refs;	  /* ref names (and tags) scanned */
	struct emb_reach_stats reach;
	/* the entries of security-fork findings ("security-fork:<name>"),
	 * one allocation each: findings point to them */
	struct emb_entry **forks;
	size_t nforks;
};

#define EMB_PUSH_RESULT_INIT                                                   \
	{                                                                      \
		.findings = EMB_FINDINGS_INIT, .commits = 0, .refs = 0,        \
		.reach = { 0 }, .forks = NULL, .nforks = 0                     \
	}

/**
 * Scan what the updates publish.  Deletions publish nothing.  A ref
 * name is scanned when the ref is created, an annotated tag whenever it
 * is sent.  Notes refs (refs/notes/...) are scanned as notes: findings
 * of kind EMB_KIND_NOTE on the annotated commit.
 * @param[out] out findings and counts; release with
 * emb_push_result_release() even on error
 * @return 0 (findings or not), EMB_EREPO (an object cannot be read, or
 * a ref would point to a tree or blob, which is not scanned),
 * EMB_ETIMEOUT, EMB_EMATCH
 */
int emb_push_check(struct emb_push_result *out, git_repository *repo,
		   const struct emb_matcher *m,
		   const struct emb_refupdates *updates,
		   const struct emb_push_opts *opts);

void emb_push_result_release(struct emb_push_result *r);

/**
 * When the check of a push must give up, as an emb_clock_ms() value
 * (0: never).  A server shares one budget with every other hook, so it
 * always has a limit: embargo.timeout, else its default.  A developer's
 * push has no shared budget: a limit only when embargo.timeout is set.
 * `test_ms` (GIT_EMBARGO_TIMEOUT_MS, for tests and benchmarks) comes
 * first when set: milliseconds, 0 for none, or "expired" for a deadline
 * already past, so that a test of running out of time never races the
 * clock.
 * @param start when the hook started (emb_clock_ms())
 */
int64_t emb_push_deadline(int64_t start, enum emb_push_side side,
			  const struct emb_config *conf, const char *test_ms);

#endif
