/*
 * config.h - the embargo.* settings, read once from a git config
 * snapshot (system, global and repository levels, as git does).
 */
#ifndef EMBARGO_CONFIG_H
#define EMBARGO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

/* embargo.maxBlobSize's default: the one place it is written */
#define EMB_CONFIG_DEFAULT_MAX_BLOB ((size_t)8 * 1024 * 1024)
#define EMB_CONFIG_DEFAULT_TIMEOUT_MS 4000
#define EMB_CONFIG_DEFAULT_POLICY_MAX_AGE 365

/* embargo.public: the repository's own word, when it gives one */
enum emb_config_public {
	EMB_PUBLIC_UNSET = -1,
	EMB_PUBLIC_NO = 0,
	EMB_PUBLIC_YES = 1,
};

struct emb_config {
	size_t max_blob_size; /* embargo.maxBlobSize, default 8 MiB */
	char **id_patterns;   /* embargo.idPattern (multi-valued) */
	size_t n_id_patterns;
	int64_t timeout_ms;	/* embargo.timeout (seconds), default 4 s */
	bool timeout_set;	/* embargo.timeout is set at all */
	unsigned fix_threshold; /* embargo.fixThreshold: percent of a fix's
				   lines that make a finding (fixprint.h) */

	/* the server's: overrides and the record of pushes */
	bool allow_override;   /* embargo.allowOverride, default false */
	char **override_users; /* embargo.overrideUsers: names, each value
				* a list split at spaces and commas; none:
				* anyone may override where allowed */
	size_t n_override_users;
	char *audit_log;      /* embargo.auditLog (a path), or NULL */
	char *pusher_env;     /* embargo.pusherEnv: a variable naming the
			       * pusher, or NULL */
	char *repository_env; /* embargo.repositoryEnv, or NULL */
	bool reveal_ids;      /* embargo.revealIds: a server names the
			       * issues, dates and list errors to pushers */
	enum emb_config_public public_repo; /* embargo.public */

	/* the audit's */
	char *audit_ignore; /* embargo.auditIgnore: the suppressions file
			     * (a path), or NULL */

	/* the policy check's (embargo.policy.*) */
	int64_t policy_max_age; /* maxAge: days, default 365 */
	char **policy_domains;	/* domain (multi-valued) */
	size_t n_policy_domains;
	char **policy_defunct; /* defunct (multi-valued) */
	size_t n_policy_defunct;
	char *policy_org_default; /* orgDefault (a path), or NULL */
	char *policy_template;	  /* template (a path), or NULL */
};

/**
 * Make libgit2 read the config files git reads, as git's environment
 * names them: GIT_CONFIG_NOSYSTEM drops the system file, and
 * GIT_CONFIG_SYSTEM names it (libgit2 1.5 looks for a file called
 * "gitconfig" in a folder, so a file of that name is followed, in any
 * folder).  Call once, after git_libgit2_init().
 */
void emb_config_follow_git_env(void);

/** git's color.ui, as git reads it. */
enum emb_color { EMB_COLOR_AUTO, EMB_COLOR_NEVER, EMB_COLOR_ALWAYS };

/**
 * Read color.ui ("auto", "always", "never", or a boolean: true is
 * auto) from `cfg` (may be NULL); unset or unreadable is auto.
 */
enum emb_color emb_config_color_ui(git_config *cfg);

/**
 * Read the settings; `cfg` may be NULL (defaults only).
 * @return 0, or EMB_ECONFIG naming the bad key and value
 */
int emb_config_load(struct emb_config *c, git_config *cfg);

void emb_config_release(struct emb_config *c);

/**
 * Read embargo.revealIds alone (default false), for messages that come
 * before the settings are loaded, or when they cannot be.
 * @return 0, or EMB_ECONFIG for a value that is not a boolean
 */
int emb_config_reveal_ids(bool *reveal, git_config *cfg);

/**
 * Read embargo.public alone (EMB_PUBLIC_UNSET when it is not set), for
 * a repository whose other settings do not matter to the caller.
 * @return 0, or EMB_ECONFIG for a value that is not a boolean
 */
int emb_config_public(enum emb_config_public *out, git_config *cfg);

/**
 * Read embargo.requirePolicy alone (default false): the server hook
 * reads it after the push is scanned, and a bad value fails that check
 * with its own message, not as broken list settings.
 * @return 0, or EMB_ECONFIG for a value that is not a boolean
 */
int emb_config_require_policy(bool *on, git_config *cfg);

/**
 * Collect every value of a multi-valued key into a NULL-terminated
 * array (the caller frees each string and the array).
 */
int emb_config_multivar(char ***out, size_t *n, git_config *cfg,
			const char *key);

/**
 * Every entry whose name matches the regular expression (libgit2's
 * names: section and key lower case, subsection as written), in the
 * order git reads them, as two NULL-terminated arrays of `n` strings:
 * the names and the values.  Free both with emb_config_strv_free().
 */
int emb_config_glob(char ***names, char ***values, size_t *n, git_config *cfg,
		    const char *regex);

/** Free `n` strings and the array holding them; NULL is a no-op. */
void emb_config_strv_free(char **v, size_t n);

#endif
