/*
 * audit_cache.c - bare mirrors of URL sources, cloned once with libgit2
 * and fetched incrementally on later runs.
 *
 * Layout: CACHE/mirrors/<16 hex of SHA-256(url)>-<name>.git, a bare
 * repository holding the remote's branches and tags under the same
 * names (what the audit scans; a forge's pull request refs would only
 * cost time; embargo.mirrorOf in its config names the URL), and whose
 * HEAD follows the remote's default branch, which the policy check
 * reads.  Fetches prune, so a branch deleted upstream stops being
 * reported.  A first clone goes to a temporary folder renamed into
 * place, so an interrupted clone is never taken for a mirror; a lock
 * file (flock) serialises every process and thread using one mirror.
 *
 * Credentials: an SSH agent for ssh URLs, and GIT_EMBARGO_USERNAME /
 * GIT_EMBARGO_PASSWORD (e.g. a forge token) when an HTTPS server asks.
 * Each is offered once, so a wrong one fails instead of looping.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/list.h"
#include "embargo/repo.h"
#include "embargo/sha256.h"

static const char *const mirror_specs[] = { "+refs/heads/*:refs/heads/*",
					    "+refs/tags/*:refs/tags/*" };

int emb_audit_cache_dir(char **out, const char *override)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct emb_buf b = EMB_BUF_INIT;

	*out = NULL;
	if (override && *override)
		emb_buf_puts(&b, override);
	else if (xdg && *xdg == '/')
		emb_buf_printf(&b, "%s/git-embargo", xdg);
	else if (home && *home)
		emb_buf_printf(&b, "%s/.cache/git-embargo", home);
	else {
		emb_error_set("no cache folder: set XDG_CACHE_HOME or HOME, "
			      "or use --cache DIR");
		return EMB_EUSAGE;
	}
	*out = emb_buf_detach(&b);
	return 0;
}

char *emb_audit_mirror_path(const char *cache, const char *url)
{
	char hex[EMB_SHA256_HEX_SIZE];
	struct emb_buf b = EMB_BUF_INIT;
	const char *end = url + strlen(url), *base;
	size_t i;

	while (end > url && (end[-1] == '/'))
		end--;
	if (end - url > 4 && !strncmp(end - 4, ".git", 4))
		end -= 4;
	for (base = end; base > url && !strchr("/:", base[-1]); base--)
		;
	emb_sha256_hex(hex, url, strlen(url));
	emb_buf_printf(&b, "%s/mirrors/%.16s-", cache, hex);
	for (i = 0; base + i < end && i < 64; i++) {
		char c = base[i];

		/* keep the name readable, and harmless as a file name */
		emb_buf_putc(&b,
			     (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					     (c >= '0' && c <= '9') ||
					     c == '-' || c == '_' || c == '.' ?
				     c :
				     '_');
	}
	emb_buf_puts(&b, ".git");
	return emb_buf_detach(&b);
}

static int mkdirs(const char *path)
{
	char *p = emb_xstrdup(path), *s;
	int error = 0;

	for (s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST) {
				emb_error_set("cannot create cache folder "
					      "'%s': %s",
					      p, strerror(errno));
				error = EMB_EREPO;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return error;
}

struct cred_state {
	unsigned tried; /* bitmask of GIT_CREDENTIAL_* already offered */
};

static int credentials(git_credential **out, const char *url,
		       const char *username, unsigned int allowed,
		       void *payload)
{
	struct cred_state *st = payload;
	const char *user = getenv("GIT_EMBARGO_USERNAME");
	const char *pass = getenv("GIT_EMBARGO_PASSWORD");

	(void)url;
	if ((allowed & GIT_CREDENTIAL_SSH_KEY) &&
	    !(st->tried & GIT_CREDENTIAL_SSH_KEY)) {
		st->tried |= GIT_CREDENTIAL_SSH_KEY;
		return git_credential_ssh_key_from_agent(
			out, username ? username : "git");
	}
	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && pass &&
	    !(st->tried & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) {
		st->tried |= GIT_CREDENTIAL_USERPASS_PLAINTEXT;
		return git_credential_userpass_plaintext_new(out,
							     user ? user :
							     username ?
								    username :
								    "git",
							     pass);
	}
	if ((allowed & GIT_CREDENTIAL_USERNAME) &&
	    !(st->tried & GIT_CREDENTIAL_USERNAME)) {
		st->tried |= GIT_CREDENTIAL_USERNAME;
		return git_credential_username_new(out, username ? username :
							user	 ? user :
								   "git");
	}
	git_error_set_str(GIT_ERROR_NET,
			  "authentication failed (ssh: an agent key; https: "
			  "GIT_EMBARGO_USERNAME and GIT_EMBARGO_PASSWORD)");
	return GIT_EAUTH;
}

/* What the mirror was made from, for people looking into the cache (the
 * fetch itself never reads it). */
static void record_origin(git_repository *repo, const char *url)
{
	git_config *cfg = NULL;
	char *shown = emb_audit_url_display(url);

	if (git_repository_config(&cfg, repo) == 0)
		git_config_set_string(cfg, "embargo.mirrorOf", shown);
	git_config_free(cfg);
	git_error_clear();
	free(shown);
}

/* Point HEAD at the remote's default branch, when it says which. */
static void follow_head(git_repository *repo, git_remote *remote)
{
	git_buf head = GIT_BUF_INIT;

	if (git_remote_default_branch(&head, remote) == 0 &&
	    !strncmp(head.ptr, "refs/heads/", 11))
		git_repository_set_head(repo, head.ptr);
	git_buf_dispose(&head);
	git_error_clear();
}

/* The URL in a message is the one reports show: without a password. */
static void fetch_error(const char *verb, const char *url)
{
	char *shown = emb_audit_url_display(url);

	emb_error_set_git("cannot %s '%s'", verb, shown);
	free(shown);
}

static int fetch(const char *path, const char *url, const char *verb)
{
	git_fetch_options fo;
	git_remote_create_options ro;
	git_repository *repo = NULL;
	git_remote *remote = NULL;
	git_strarray specs = { (char **)mirror_specs, 2 };
	struct cred_state st = { 0 };
	int error = 0;

	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	if (emb_repo_open(&repo, path, EMB_REPO_OPEN_BARE) < 0) {
		emb_error_set_git("cannot open mirror '%s' (delete it to "
				  "clone again)",
				  path);
		error = EMB_EREPO;
		goto done;
	}
	/*
	 * An in-memory remote with the refspecs given: libgit2 1.5.1 leaks
	 * a pcre2 match (about 20 KiB) per config entry each time it
	 * applies url.*.insteadOf, which named remotes always do; over
	 * thousands of repositories that is memory the audit must not
	 * grow by.
	 */
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
		   GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&remote, url, &ro) < 0) {
		fetch_error(verb, url);
		error = EMB_EREPO;
		goto done;
	}
	fo.prune = GIT_FETCH_PRUNE;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.callbacks.credentials = credentials;
	fo.callbacks.payload = &st;
	if (git_remote_connect(remote, GIT_DIRECTION_FETCH, &fo.callbacks,
			       &fo.proxy_opts, &fo.custom_headers) < 0 ||
	    git_remote_download(remote, &specs, &fo) < 0 ||
	    git_remote_update_tips(remote, &fo.callbacks, 0,
				   GIT_REMOTE_DOWNLOAD_TAGS_NONE, NULL) < 0 ||
	    git_remote_prune(remote, &fo.callbacks) < 0) {
		fetch_error(verb, url);
		error = EMB_EREPO;
		goto done;
	}
	follow_head(repo, remote);
	git_remote_disconnect(remote);

done:
	git_remote_free(remote);
	git_repository_free(repo);
	return error;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Remove a temporary clone folder (depth first, links not followed). */
static void rmrf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A clone is a fetch into a new bare repository, made aside and moved
 * into place once complete. */
static int clone(const char *path, const char *url)
{
	git_repository *repo = NULL;
	struct emb_buf tmp = EMB_BUF_INIT;
	int error;

	emb_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	rmrf(tmp.ptr);
	if (git_repository_init(&repo, tmp.ptr, 1) < 0) {
		emb_error_set_git("cannot create mirror '%s'", tmp.ptr);
		error = EMB_EREPO;
		goto done;
	}
	record_origin(repo, url);
	if ((error = fetch(tmp.ptr, url, "clone")) < 0)
		goto done;
	if (rename(tmp.ptr, path) < 0) {
		emb_error_set("cannot move mirror into '%s': %s", path,
			      strerror(errno));
		error = EMB_EREPO;
	}
done:
	git_repository_free(repo);
	if (error < 0)
		rmrf(tmp.ptr);
	emb_buf_release(&tmp);
	return error;
}

int emb_audit_mirror(char **out, bool *fetched, const char *cache,
		     const char *url)
{
	char *path = emb_audit_mirror_path(cache, url);
	struct emb_buf lock = EMB_BUF_INIT, dir = EMB_BUF_INIT;
	struct stat st;
	int fd = -1, error;

	*out = NULL;
	if (fetched)
		*fetched = false;
	emb_buf_printf(&dir, "%s/mirrors", cache);
	if ((error = mkdirs(dir.ptr)) < 0)
		goto done;
	emb_buf_printf(&lock, "%s.lock", path);
	fd = open(lock.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		emb_error_set("cannot lock '%s': %s", lock.ptr,
			      strerror(errno));
		error = EMB_EREPO;
		goto done;
	}
	if (stat(path, &st) == 0) {
		error = fetch(path, url, "fetch");
		if (fetched)
			*fetched = true;
	} else {
		error = clone(path, url);
	}
done:
	if (fd >= 0)
		close(fd); /* releases the lock */
	emb_buf_release(&lock);
	emb_buf_release(&dir);
	if (error < 0)
		free(path);
	else
		*out = path;
	return error;
}
