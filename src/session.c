/*
 * session.c - config, list and matcher, set up once per run.
 */
#include <stdio.h>
#include <string.h>

#include "embargo/error.h"
#include "embargo/fixprint.h"
#include "embargo/session.h"

int emb_session_config(git_config **out, struct emb_config *conf,
		       git_repository *repo)
{
	git_config *live = NULL;

	*out = NULL;
	if (repo) {
		if (git_repository_config_snapshot(out, repo) < 0) {
			emb_error_set_git("cannot read git config");
			return EMB_ECONFIG;
		}
	} else if (git_config_open_default(&live) == 0) {
		if (git_config_snapshot(out, live) < 0)
			*out = NULL;
		git_config_free(live);
	}
	git_error_clear();
	return emb_config_load(conf, *out);
}

int emb_session_init(struct emb_session *s, git_repository *repo,
		     const char *const *files, size_t nfiles,
		     void (*note)(void *payload, const char *message),
		     void *payload)
{
	size_t i;
	int error;

	memset(s, 0, sizeof(*s));
	if ((error = emb_session_config(&s->cfg, &s->conf, repo)) < 0 ||
	    (error = emb_time_now(&s->now)) < 0 ||
	    (error = emb_list_load(&s->list, s->cfg, files, nfiles)) < 0)
		return error;
	s->today = emb_date_from_time(s->now);
	emb_list_expire(&s->list, s->now);
	for (i = 0; note && i < s->list.n; i++) {
		const struct emb_entry *e = &s->list.entries[i];
		char msg[512], d[32];

		if (!e->expired)
			continue;
		emb_time_format(d, sizeof(d), e->until);
		snprintf(msg, sizeof(msg),
			 "embargo on '%s' lifted at %s ('%s' line %d): ignored",
			 e->id, d, e->file, e->line);
		note(payload, msg);
	}
	if ((error = emb_matcher_new(&s->matcher, &s->list,
				     (const char *const *)s->conf.id_patterns,
				     s->conf.n_id_patterns)) < 0)
		return error;
	emb_fixset_set_threshold(emb_matcher_fixes(s->matcher),
				 s->conf.fix_threshold);
	return 0;
}

void emb_session_release(struct emb_session *s)
{
	emb_matcher_free(s->matcher);
	emb_list_release(&s->list);
	emb_config_release(&s->conf);
	git_config_free(s->cfg);
	memset(s, 0, sizeof(*s));
}
