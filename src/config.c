/*
 * config.c - embargo.* settings from git config, with defaults.
 */
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

/* A string (or, with `path`, a path with ~ expanded) setting, or NULL. */
static int read_string(char **out, git_config *cfg, const char *key, bool path)
{
	git_buf b = { 0 };
	int error = path ? git_config_get_path(&b, cfg, key) :
			   git_config_get_string_buf(&b, cfg, key);

	*out = NULL;
	if (error == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (error < 0) {
		emb_error_set_git("bad %s", key);
		return EMB_ECONFIG;
	}
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
	if (error < 0 && error != GIT_ENOTFOUND) {
		emb_error_set_git("bad embargo.allowOverride");
		return EMB_ECONFIG;
	}
	git_error_clear();
	c->allow_override = error == 0 && b;
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

int emb_config_reveal_ids(bool *reveal, git_config *cfg)
{
	int v = 0, error;

	*reveal = false;
	if (!cfg)
		return 0;
	error = git_config_get_bool(&v, cfg, "embargo.revealids");
	if (error == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (error < 0) {
		emb_error_set_git("bad embargo.revealIds");
		return EMB_ECONFIG;
	}
	*reveal = v != 0;
	return 0;
}

int emb_config_load(struct emb_config *c, git_config *cfg)
{
	int64_t v;
	int error;

	memset(c, 0, sizeof(*c));
	c->max_blob_size = 8 * 1024 * 1024;
	c->timeout_ms = EMB_CONFIG_DEFAULT_TIMEOUT_MS;
	c->fix_threshold = EMB_FIX_DEFAULT_THRESHOLD;
	if (!cfg)
		return 0;
	if ((error = emb_config_reveal_ids(&c->reveal_ids, cfg)) < 0)
		return error;

	error = git_config_get_int64(&v, cfg, "embargo.maxblobsize");
	if (error == 0) {
		if (v <= 0) {
			emb_error_set("bad embargo.maxBlobSize %lld: must be "
				      "positive",
				      (long long)v);
			return EMB_ECONFIG;
		}
		c->max_blob_size = (size_t)v;
	} else if (error != GIT_ENOTFOUND) {
		emb_error_set_git("bad embargo.maxBlobSize");
		return EMB_ECONFIG;
	}

	error = git_config_get_int64(&v, cfg, "embargo.timeout");
	if (error == 0) {
		if (v < 0) {
			emb_error_set("bad embargo.timeout %lld: seconds, 0 "
				      "for none",
				      (long long)v);
			return EMB_ECONFIG;
		}
		c->timeout_ms = v * 1000;
	} else if (error != GIT_ENOTFOUND) {
		emb_error_set_git("bad embargo.timeout");
		return EMB_ECONFIG;
	}

	error = git_config_get_int64(&v, cfg, "embargo.fixthreshold");
	if (error == 0) {
		if (v < 1 || v > 100) {
			emb_error_set(
				"bad embargo.fixThreshold %lld: a percent "
				"from 1 to 100",
				(long long)v);
			return EMB_ECONFIG;
		}
		c->fix_threshold = (unsigned)v;
	} else if (error != GIT_ENOTFOUND) {
		emb_error_set_git("bad embargo.fixThreshold");
		return EMB_ECONFIG;
	}

	if ((error = read_server(c, cfg)) < 0)
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
	memset(c, 0, sizeof(*c));
}
