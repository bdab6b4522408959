/*
 * config.c - embargo.* settings from git config, with defaults.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "embargo/buf.h"
#include "embargo/config.h"
#include "embargo/error.h"
#include "embargo/fixprint.h"

struct strv {
	char **v;
	size_t n;
};

static int collect(const git_config_entry *e, void *payload)
{
	struct strv *s = payload;

	s->v = emb_xrealloc(s->v, (s->n + 2) * sizeof(char *));
	s->v[s->n++] = emb_xstrdup(e->value ? e->value : "");
	s->v[s->n] = NULL;
	return 0;
}

int emb_config_multivar(char ***out, size_t *n, git_config *cfg,
			const char *key)
{
	struct strv s = { NULL, 0 };
	int error;

	*out = NULL;
	*n = 0;
	if (!cfg)
		return 0;
	error = git_config_get_multivar_foreach(cfg, key, NULL, collect, &s);
	if (error < 0 && error != GIT_ENOTFOUND) {
		emb_error_set_git("cannot read %s", key);
		return EMB_ECONFIG;
	}
	*out = s.v;
	*n = s.n;
	return 0;
}

int emb_config_glob(char ***names, char ***values, size_t *n, git_config *cfg,
		    const char *regex)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct strv k = { NULL, 0 }, v = { NULL, 0 };
	int error;

	*names = *values = NULL;
	*n = 0;
	if (!cfg)
		return 0;
	if (git_config_iterator_glob_new(&it, cfg, regex) < 0) {
		emb_error_set_git("cannot read git config");
		return EMB_ECONFIG;
	}
	while ((error = git_config_next(&e, it)) == 0) {
		struct git_config_entry name = *e;

		name.value = e->name;
		collect(&name, &k);
		collect(e, &v);
	}
	git_config_iterator_free(it);
	if (error != GIT_ITEROVER) {
		emb_config_strv_free(k.v, k.n);
		emb_config_strv_free(v.v, v.n);
		emb_error_set_git("cannot read git config");
		return EMB_ECONFIG;
	}
	git_error_clear();
	*names = k.v;
	*values = v.v;
	*n = k.n;
	return 0;
}

void emb_config_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * What a libgit2 read of `shown` said: 1 set, 0 not set, or
 * EMB_ECONFIG naming the setting.
 */
static int found(int error, const char *shown)
{
	if (error == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (error < 0) {
		emb_error_set_git("bad %s", shown);
		return EMB_ECONFIG;
	}
	return 1;
}

/* A string (or, with `path`, a path with ~ expanded) setting, or NULL. */
static int read_string(char **out, git_config *cfg, const char *key, bool path)
{
	git_buf b = { 0 };
	int error = path ? git_config_get_path(&b, cfg, key) :
			   git_config_get_string_buf(&b, cfg, key);

	*out = NULL;
	if ((error = found(error, key)) <= 0)
		return error;
	if (b.ptr && *b.ptr)
		*out = emb_xstrdup(b.ptr);
	git_buf_dispose(&b);
	return 0;
}

/* embargo.overrideUsers: every value, split at spaces and commas. */
static int read_users(struct emb_config *c, git_config *cfg)
{
	char **v = NULL;
	size_t n = 0, i;
	int error;

	if ((error = emb_config_multivar(&v, &n, cfg,
					 "embargo.overrideusers")) < 0)
		return error;
	for (i = 0; i < n; i++) {
		char *save = NULL, *w;

		for (w = strtok_r(v[i], " \t,", &save); w;
		     w = strtok_r(NULL, " \t,", &save)) {
			c->override_users = emb_xrealloc(
				c->override_users,
				(c->n_override_users + 1) * sizeof(char *));
			c->override_users[c->n_override_users++] =
				emb_xstrdup(w);
		}
		free(v[i]);
	}
	free(v);
	return 0;
}

/*
 * embargo.pusherEnv must not name a variable the pusher sets: git
 * exports push options and the protocol version from the client, sshd
 * passes LANG and LC_* (Debian's AcceptEnv), a CGI server every header
 * as HTTP_*.  Such a name would let anyone claim to be in
 * embargo.overrideUsers.
 */
static int check_pusher_env(const char *name)
{
	static const char *const prefixes[] = { "GIT_PUSH_OPTION_", "HTTP_",
						"LC_" };
	size_t i;

	if (!name)
		return 0;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			goto bad;
	if (strcmp(name, "GIT_PROTOCOL") && strcmp(name, "LANG"))
		return 0;
bad:
	emb_error_set("bad embargo.pusherEnv '%s': the pusher sets that "
		      "variable, so it cannot say who pushed",
		      name);
	return EMB_ECONFIG;
}

static int read_server(struct emb_config *c, git_config *cfg)
{
	int b = 0, error;

	error = git_config_get_bool(&b, cfg, "embargo.allowoverride");
	if ((error = found(error, "embargo.allowOverride")) < 0)
		return error;
	c->allow_override = error == 1 && b;
	if ((error = read_users(c, cfg)) < 0 ||
	    (error = read_string(&c->audit_log, cfg, "embargo.auditlog",
				 true)) < 0 ||
	    (error = read_string(&c->pusher_env, cfg, "embargo.pusherenv",
				 false)) < 0 ||
	    (error = check_pusher_env(c->pusher_env)) < 0 ||
	    (error = read_string(&c->repository_env, cfg,
				 "embargo.repositoryenv", false)) < 0 ||
	    (error = read_string(&c->audit_ignore, cfg, "embargo.auditignore",
				 true)) < 0)
		return error;
	return 0;
}

enum emb_color emb_config_color_ui(git_config *cfg)
{
	git_buf v = { 0 };
	enum emb_color c = EMB_COLOR_AUTO;
	int b;

	if (!cfg || git_config_get_string_buf(&v, cfg, "color.ui") < 0) {
		git_error_clear();
		return EMB_COLOR_AUTO;
	}
	if (!strcasecmp(v.ptr, "always"))
		c = EMB_COLOR_ALWAYS;
	else if (!strcasecmp(v.ptr, "never"))
		c = EMB_COLOR_NEVER;
	else if (git_config_parse_bool(&b, v.ptr) == 0 && !b)
		c = EMB_COLOR_NEVER;
	git_error_clear();
	git_buf_dispose(&v);
	return c;
}

void emb_config_follow_git_env(void)
{
	const char *no = getenv("GIT_CONFIG_NOSYSTEM");
	const char *sys = getenv("GIT_CONFIG_SYSTEM");
	const char *base;

	if (no && *no && strcmp(no, "0") && strcmp(no, "false")) {
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
				 GIT_CONFIG_LEVEL_SYSTEM, "");
		return;
	}
	if (!sys || !*sys)
		return;
	base = strrchr(sys, '/');
	if (base && !strcmp(base + 1, "gitconfig")) {
		char *dir = emb_xstrndup(sys, (size_t)(base - sys));

		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
				 GIT_CONFIG_LEVEL_SYSTEM, *dir ? dir : "/");
		free(dir);
	}
}

/* A boolean setting: `*out` untouched when it is not set. */
static int read_bool(bool *out, bool *set, git_config *cfg, const char *key,
		     const char *shown)
{
	int v = 0, error;

	if (set)
		*set = false;
	if (!cfg)
		return 0;
	if ((error = found(git_config_get_bool(&v, cfg, key), shown)) <= 0)
		return error;
	*out = v != 0;
	if (set)
		*set = true;
	return 0;
}

int emb_config_reveal_ids(bool *reveal, git_config *cfg)
{
	*reveal = false;
	return read_bool(reveal, NULL, cfg, "embargo.revealids",
			 "embargo.revealIds");
}

int emb_config_require_policy(bool *on, git_config *cfg)
{
	*on = false;
	return read_bool(on, NULL, cfg, "embargo.requirepolicy",
			 "embargo.requirePolicy");
}

int emb_config_public(enum emb_config_public *out, git_config *cfg)
{
	bool v = true, set;
	int error;

	*out = EMB_PUBLIC_UNSET;
	if ((error = read_bool(&v, &set, cfg, "embargo.public",
			       "embargo.public")) < 0)
		return error;
	if (set)
		*out = v ? EMB_PUBLIC_YES : EMB_PUBLIC_NO;
	return 0;
}

/*
 * An integer setting that must lie in [min, max]; `*set` says whether
 * it is set at all.  `what` says what the number means in the message.
 */
static int read_int(int64_t *out, bool *set, git_config *cfg, const char *key,
		    const char *shown, int64_t min, int64_t max,
		    const char *what)
{
	int64_t v;
	int error = git_config_get_int64(&v, cfg, key);

	if (set)
		*set = false;
	if ((error = found(error, shown)) <= 0)
		return error;
	if (v < min || v > max) {
		emb_error_set("bad %s %lld: %s", shown, (long long)v, what);
		return EMB_ECONFIG;
	}
	*out = v;
	if (set)
		*set = true;
	return 0;
}

/* embargo.policy.*: what the policy check is told about its world. */
static int read_policy(struct emb_config *c, git_config *cfg)
{
	int error;

	if ((error = read_int(&c->policy_max_age, NULL, cfg,
			      "embargo.policy.maxage", "embargo.policy.maxAge",
			      1, INT64_MAX, "days, more than 0")) < 0 ||
	    (error = emb_config_multivar(&c->policy_domains,
					 &c->n_policy_domains, cfg,
					 "embargo.policy.domain")) < 0 ||
	    (error = emb_config_multivar(&c->policy_defunct,
					 &c->n_policy_defunct, cfg,
					 "embargo.policy.defunct")) < 0 ||
	    (error = read_string(&c->policy_org_default, cfg,
				 "embargo.policy.orgdefault", true)) < 0 ||
	    (error = read_string(&c->policy_template, cfg,
				 "embargo.policy.template", true)) < 0)
		return error;
	return 0;
}

int emb_config_load(struct emb_config *c, git_config *cfg)
{
	int64_t v;
	bool set;
	int error;

	memset(c, 0, sizeof(*c));
	c->max_blob_size = EMB_CONFIG_DEFAULT_MAX_BLOB;
	c->timeout_ms = EMB_CONFIG_DEFAULT_TIMEOUT_MS;
	c->fix_threshold = EMB_FIX_DEFAULT_THRESHOLD;
	c->public_repo = EMB_PUBLIC_UNSET;
	c->policy_max_age = EMB_CONFIG_DEFAULT_POLICY_MAX_AGE;
	if (!cfg)
		return 0;
	if ((error = emb_config_reveal_ids(&c->reveal_ids, cfg)) < 0 ||
	    (error = emb_config_public(&c->public_repo, cfg)) < 0)
		return error;

	if ((error = read_int(&v, &set, cfg, "embargo.maxblobsize",
			      "embargo.maxBlobSize", 1, INT64_MAX,
			      "must be positive")) < 0)
		return error;
	if (set)
		c->max_blob_size = (size_t)v;
	if ((error = read_int(&v, &c->timeout_set, cfg, "embargo.timeout",
			      "embargo.timeout", 0, INT64_MAX / 1000,
			      "seconds, 0 for none")) < 0)
		return error;
	if (c->timeout_set)
		c->timeout_ms = v * 1000;
	if ((error = read_int(&v, &set, cfg, "embargo.fixthreshold",
			      "embargo.fixThreshold", 1, 100,
			      "a percent from 1 to 100")) < 0)
		return error;
	if (set)
		c->fix_threshold = (unsigned)v;

	if ((error = read_server(c, cfg)) < 0 ||
	    (error = read_policy(c, cfg)) < 0)
		return error;
	return emb_config_multivar(&c->id_patterns, &c->n_id_patterns, cfg,
				   "embargo.idpattern");
}

void emb_config_release(struct emb_config *c)
{
	size_t i;

	for (i = 0; i < c->n_id_patterns; i++)
		free(c->id_patterns[i]);
	free(c->id_patterns);
	for (i = 0; i < c->n_override_users; i++)
		free(c->override_users[i]);
	free(c->override_users);
	free(c->audit_log);
	free(c->audit_ignore);
	free(c->pusher_env);
	free(c->repository_env);
	emb_config_strv_free(c->policy_domains, c->n_policy_domains);
	emb_config_strv_free(c->policy_defunct, c->n_policy_defunct);
	free(c->policy_org_default);
	free(c->policy_template);
	memset(c, 0, sizeof(*c));
}
