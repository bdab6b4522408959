/*
 * session.h - what every scanning command sets up the same way: the
 * config snapshot, today's date, the embargo list in force and its
 * compiled matcher.
 */
#ifndef EMBARGO_SESSION_H
#define EMBARGO_SESSION_H

#include <stdbool.h>

#include <git2.h>

#include "embargo/config.h"
#include "embargo/date.h"
#include "embargo/list.h"
#include "embargo/match.h"

struct emb_session {
	git_config *cfg; /* snapshot; may be NULL without a repository */
	struct emb_config conf;
	emb_time now;	/* the clock, or GIT_EMBARGO_NOW */
	emb_date today; /* the day of `now` (UTC) */
	struct emb_list list;
	struct emb_matcher *matcher;
};

/**
 * Only the settings: a config snapshot (from `repo`, or the global
 * config when NULL) and the embargo.* values read from it.
 * @param[out] out the snapshot (may be NULL), the caller's to free
 * @return 0, or EMB_ECONFIG
 */
int emb_session_config(git_config **out, struct emb_config *conf,
		       git_repository *repo);

/**
 * Read config (from `repo`, or the global config when NULL), load the
 * lists (`files` when nfiles > 0), expire entries and build the matcher.
 * @param note called for each expired entry when not NULL
 * @return 0, or EMB_ECONFIG
 */
int emb_session_init(struct emb_session *s, git_repository *repo,
		     const char *const *files, size_t nfiles,
		     void (*note)(void *payload, const char *message),
		     void *payload);

void emb_session_release(struct emb_session *s);

#endif
