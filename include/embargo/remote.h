/*
 * remote.h - is a push going somewhere public?
 *
 * A push is judged by the URLs git pushes to, never by the remote's
 * name: the URL git gives the pre-push hook and, for a named remote,
 * every other URL a push to it goes to (git pushes to each pushurl in
 * turn).  The push is private only when every one of them is:
 *   remote.<name>.embargo = public             (one remote: public)
 *   embargo.private = <URL pattern>            (multi-valued)
 *   remote.<name>.embargo = private            (the URLs the remote
 *                                               fetches from, only)
 *   remote.<name>.embargo = security           (the same, and the
 *                                               remote is a security
 *                                               fork: see push.h)
 * so a remote marked private whose pushurl, or a pushInsteadOf, sends
 * the push elsewhere is public unless a pattern covers that URL.  The
 * URLs are computed as git does (remote.<name>.url and .pushurl, an
 * empty value clearing the list, url.<base>.insteadOf and
 * .pushInsteadOf with the longest prefix winning).
 *
 * Patterns use `*` (any run of characters, '/' included), '?' and
 * [...] (fnmatch).  URLs and patterns are compared in one normal form,
 * "host/path" for network URLs and "/path" for local ones, so the
 * scp-like `git@host:org/repo`, `ssh://git@host:22/org/repo.git` and
 * `https://host/org/repo` are the same repository; user names, ports,
 * a trailing ".git" and trailing slashes do not count, the host is
 * compared without regard to case, and the path is the one the server
 * resolves ("." and ".." segments, repeated slashes and escaped
 * unreserved characters such as "%2e" undone).
 *
 * On a server, the repository itself is public unless its config says
 * `embargo.public = false`.
 *
 * What the receiver already has (so need not be scanned again) comes
 * from refs: on a server, every ref a fetch shows (not hidden by
 * uploadpack.hideRefs or transfer.hideRefs, inside GIT_NAMESPACE); on
 * a client, the tracking refs the remote's own fetch refspecs write,
 * when the push goes to the URL the remote fetches from.
 */
#ifndef EMBARGO_REMOTE_H
#define EMBARGO_REMOTE_H

#include <stdbool.h>

#include <git2.h>

/**
 * The normal form of a URL or URL pattern (see above).  Relative local
 * paths are made absolute against `cwd` when it is not NULL.
 * @return a heap string, the caller's to free()
 */
char *emb_remote_normalize(const char *url, const char *cwd);

/** @return true when `url` matches `pattern` (both in any form). */
bool emb_remote_url_matches(const char *pattern, const char *url,
			    const char *cwd);

/**
 * Decide whether a push to remote `name` at `url` is private.  `name`
 * equal to `url` (a push to a bare URL) has no remote.<name> settings.
 * @param[out] is_private the verdict
 * @param[out] why when not NULL, a heap string saying which setting
 * decided ("remote.origin.embargo", "embargo.private 'git@host:sec/...'"),
 * or for a public verdict on a remote marked private why the marking
 * does not cover the push; NULL for the public default.  The caller
 * frees it
 * @return 0, or EMB_ECONFIG for a bad remote.<name>.embargo value
 */
int emb_remote_is_private(bool *is_private, char **why, git_config *cfg,
			  const char *name, const char *url);

/**
 * The remotes marked `remote.<name>.embargo = security`: commits their
 * tracking refs have are embargoed fixes (emb_push_opts.security_forks).
 * @param[out] names a NULL-terminated array of heap strings (each and
 * the array the caller's to free), NULL when there is none
 * @return 0, or EMB_ECONFIG
 */
int emb_remote_security_forks(char ***names, size_t *n, git_config *cfg);

/**
 * Is a receiving repository public: `embargo.public` when it is set,
 * else the forge's own word (GitHub Enterprise Server exports
 * GITHUB_REPO_PUBLIC=true or false to its pre-receive hooks), else
 * true.
 * @return 0, or EMB_ECONFIG for a value that is not a boolean
 */
int emb_remote_repo_is_public(bool *is_public, git_config *cfg);

struct emb_remote_refs {
	bool server;
	/* client: the remote's own fetch refspecs, and the others' */
	git_refspec **own, **other;
	size_t nown, nother;
	char **other_names; /* the other remotes */
	size_t nother_names;
	/* server */
	char *ns;    /* "refs/namespaces/<ns>/...", or NULL */
	char **hide; /* hideRefs values, in config order */
	size_t nhide;
};

#define EMB_REMOTE_REFS_INIT                                                   \
	{                                                                      \
		.server = false, .own = NULL, .other = NULL, .nown = 0,        \
		.nother = 0, .other_names = NULL, .nother_names = 0,           \
		.ns = NULL, .hide = NULL, .nhide = 0                           \
	}

/**
 * The refs of a client repository that show what a push to remote
 * `name` at `url` finds on the receiver: refs under refs/remotes/ that
 * the remote's fetch refspecs write and no other remote's refspecs (or
 * name: "acme" and "acme/security") could, and none when `url` is not
 * the URL the remote fetches from.  `name` NULL or equal to `url`: none.
 * @return 0, or EMB_ECONFIG when the config cannot be read
 */
int emb_remote_refs_client(struct emb_remote_refs *r, git_config *cfg,
			   const char *name, const char *url);

/**
 * The refs of a server repository that a fetch shows: inside the
 * namespace `ns` (GIT_NAMESPACE's value, NULL or "" for none) and not
 * hidden by uploadpack.hideRefs or transfer.hideRefs (git's rules: a
 * prefix up to a '/', '^' for the full name, '!' to show again, the
 * last matching entry decides).
 * @return 0, or EMB_ECONFIG when the config cannot be read
 */
int emb_remote_refs_server(struct emb_remote_refs *r, git_config *cfg,
			   const char *ns);

/**
 * @param ref a ref of the local repository (its full name), or with
 * `pushed` the name a pushed ref has on the receiver (inside its
 * namespace, as the hook's input gives it)
 * @return true when its value is something the receiver already shows
 */
bool emb_remote_refs_shows(const struct emb_remote_refs *r, const char *ref,
			   bool pushed);

void emb_remote_refs_release(struct emb_remote_refs *r);

#endif
