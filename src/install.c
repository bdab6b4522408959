/*
 * install.c - hook scripts in, hook scripts out.
 *
 * Files are written next to their final name and renamed into place,
 * so git never runs half a script.  The scripts rely on nothing but
 * POSIX sh and the git-embargo binary, named by its absolute path (the
 * ones in hooks/ of the source tree, for templates and the package,
 * find it on PATH).  Which product serves a repository is recognised
 * from the files it leaves in the git folder; nothing here runs git.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/install.h"

/* `s` as one sh word in single quotes. */
static void put_quoted(struct emb_buf *b, const char *s)
{
	emb_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			emb_buf_puts(b, "'\\''");
		else
			emb_buf_putc(b, *s);
	}
	emb_buf_putc(b, '\'');
}

/*
 * The lines that find the binary and stop when it is not there.  A
 * server hook that cannot run rejects (fail closed) and says so in
 * words an administrator acts on; so does pre-push, which would
 * otherwise let everything through unchecked.
 */
static void put_binary_check(struct emb_buf *b, const char *hook,
			     const char *binary)
{
	bool server = strcmp(hook, "pre-push") != 0;
	const char *what = server ? "push rejected" : "push stopped";
	const char *who = server ? "administrators of this server" : "you";

	if (binary) {
		emb_buf_puts(b, "embargo=");
		put_quoted(b, binary);
		emb_buf_printf(b,
			       "\nif [ ! -x \"$embargo\" ]; then\n"
			       "\techo \"git-embargo: %s: the %s hook "
			       "cannot run '$embargo' (missing or not "
			       "executable)\" >&2\n"
			       "\techo \"git-embargo: %s: reinstall "
			       "git-embargo there, or run 'git embargo "
			       "install' again with the binary where it is "
			       "now\" >&2\n"
			       "\texit 1\n"
			       "fi\n",
			       what, hook, who);
		return;
	}
	emb_buf_printf(b,
		       "embargo=git-embargo\n"
		       "if ! command -v git-embargo >/dev/null 2>&1; then\n"
		       "\techo \"git-embargo: %s: the %s hook cannot find "
		       "git-embargo on PATH ($PATH)\" >&2\n"
		       "\techo \"git-embargo: %s: install git-embargo, or "
		       "run 'git embargo install' to name it by its "
		       "path\" >&2\n"
		       "\texit 1\n"
		       "fi\n",
		       what, hook, who);
}

char *emb_install_script(const char *hook, const char *file, bool chained,
			 const char *binary)
{
	struct emb_buf b = EMB_BUF_INIT;

	emb_buf_printf(&b,
		       "#!/bin/sh\n"
		       "# git-embargo %s hook: keeps references to "
		       "embargoed security issues\n"
		       "# out of public repositories.\n" EMB_INSTALL_MARKER
		       "; 'git embargo uninstall' "
		       "removes it.\n",
		       hook);
	if (!strcmp(hook, "update"))
		emb_buf_puts(&b,
			     "# The update hook runs after git has moved the "
			     "pushed objects into the\n"
			     "# repository: a commit it rejects stays "
			     "fetchable by its id.  pre-receive\n"
			     "# (installed beside it) rejects before that.\n");
	put_binary_check(&b, hook, binary);
	if (!chained) {
		emb_buf_printf(&b, "exec \"$embargo\" hook %s \"$@\"\n", hook);
		return emb_buf_detach(&b);
	}
	/*
	 * Both hooks read the same input, so it is kept in a variable
	 * ("." protects trailing newlines from $(...)).  Both always run,
	 * so each reports what it objects to; either one can stop the push.
	 */
	emb_buf_printf(&b,
		       "# The hook that was here before runs first: %s%s.\n"
		       "chained=\"$(dirname \"$0\")/%s%s\"\n"
		       "input=$(cat; echo .)\n"
		       "input=${input%%.}\n"
		       "status=0\n"
		       "if [ -x \"$chained\" ]; then\n"
		       "\tprintf '%%s' \"$input\" | \"$chained\" \"$@\" || "
		       "status=$?\n"
		       "fi\n"
		       "printf '%%s' \"$input\" | \"$embargo\" hook %s \"$@\" "
		       "|| status=$?\n"
		       "exit $status\n",
		       file, EMB_INSTALL_CHAINED, file, EMB_INSTALL_CHAINED,
		       hook);
	return emb_buf_detach(&b);
}

bool emb_install_is_ours(const char *path)
{
	char head[512];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	return strstr(head, "\n" EMB_INSTALL_MARKER) != NULL;
}

int emb_install_hooks_dir(char **out, char **shared_in, git_repository *repo,
			  bool server)
{
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	git_buf hp = { 0 };
	struct emb_buf b = EMB_BUF_INIT;
	int error;

	*out = NULL;
	if (shared_in)
		*shared_in = NULL;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		emb_error_set_git("cannot read git config");
		return EMB_ECONFIG;
	}
	error = git_config_get_path(&hp, cfg, "core.hookspath");
	if (error == 0 && shared_in &&
	    git_config_get_entry(&e, cfg, "core.hookspath") == 0 &&
	    e->level < GIT_CONFIG_LEVEL_LOCAL)
		*shared_in = emb_xstrdup(e->level <= GIT_CONFIG_LEVEL_SYSTEM ?
						 "the system config" :
						 "the global config");
	git_config_entry_free(e);
	git_config_free(cfg);
	if (error < 0 && error != GIT_ENOTFOUND) {
		emb_error_set_git("cannot read core.hooksPath");
		return EMB_ECONFIG;
	}
	git_error_clear();
	if (error == 0 && hp.ptr && *hp.ptr) {
		if (hp.ptr[0] != '/') {
			/* where git runs the hook: receive-pack runs the
			 * hooks of a push in the git folder, other hooks
			 * run in the work tree of a repository that has
			 * one */
			const char *base =
				server ? NULL : git_repository_workdir(repo);

			if (!base)
				base = git_repository_path(repo);
			emb_buf_puts(&b, base);
			if (b.size && b.ptr[b.size - 1] != '/')
				emb_buf_putc(&b, '/');
		}
		emb_buf_puts(&b, hp.ptr);
	} else {
		emb_buf_printf(&b, "%shooks", git_repository_commondir(repo));
	}
	git_buf_dispose(&hp);
	while (b.size > 1 && b.ptr[b.size - 1] == '/')
		b.ptr[--b.size] = '\0';
	*out = emb_buf_detach(&b);
	return 0;
}

/* --- which product, and where its hooks go --- */

static const struct {
	const char *name;
	enum emb_forge forge;
} forges[] = {
	{ "plain", EMB_FORGE_PLAIN },	{ "gitea", EMB_FORGE_GITEA },
	{ "forgejo", EMB_FORGE_GITEA }, { "gitlab", EMB_FORGE_GITLAB },
	{ "ghes", EMB_FORGE_GHES },	{ "gitolite", EMB_FORGE_GITOLITE },
};

int emb_forge_from_name(enum emb_forge *out, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(forges) / sizeof(forges[0]); i++) {
		if (!strcmp(name, forges[i].name)) {
			*out = forges[i].forge;
			return 0;
		}
	}
	emb_error_set("unknown --forge '%s' (gitea, forgejo, gitlab, ghes, "
		      "gitolite or plain)",
		      name);
	return EMB_EUSAGE;
}

const char *emb_forge_name(enum emb_forge forge)
{
	size_t i;

	for (i = 0; i < sizeof(forges) / sizeof(forges[0]); i++)
		if (forges[i].forge == forge)
			return forges[i].name;
	return "plain";
}

/* The first `max` bytes of a file, NUL-terminated ("" when unreadable). */
static void read_head(char *buf, size_t max, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, max - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ".../@hashed/ab/cd/<64 hex>.git", as GitLab's hashed storage names it */
static bool gitlab_hashed_path(const char *gitdir)
{
	const char *p = strstr(gitdir, "/@hashed/");
	size_t i;

	if (!p)
		return false;
	p += strlen("/@hashed/");
	for (i = 0; i < 6; i++)
		if (!(i % 3 == 2 ? p[i] == '/' : isxdigit((unsigned char)p[i])))
			return false;
	p += 6;
	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return !strncmp(p + 64, ".git", 4);
}

enum emb_forge emb_forge_detect(const char *gitdir, const char **why)
{
	struct emb_buf path = EMB_BUF_INIT;
	char head[1024], link[PATH_MAX];
	enum emb_forge forge = EMB_FORGE_PLAIN;
	ssize_t n;

	*why = NULL;
	emb_buf_printf(&path, "%s/hooks/pre-receive", gitdir);
	read_head(head, sizeof(head), path.ptr);
	emb_buf_puts(&path, ".d");
	if (strstr(head, "AUTO GENERATED BY GITEA") ||
	    ((strstr(head, "pre-receive.d") || strstr(head, "${hookname}.d")) &&
	     is_dir(path.ptr))) {
		forge = EMB_FORGE_GITEA;
		*why = "hooks/pre-receive delegates to hooks/pre-receive.d/";
		goto done;
	}
	emb_buf_clear(&path);
	emb_buf_printf(&path, "%s/custom_hooks", gitdir);
	if (gitlab_hashed_path(gitdir) || is_dir(path.ptr)) {
		forge = EMB_FORGE_GITLAB;
		*why = gitlab_hashed_path(gitdir) ?
			       "a GitLab hashed storage path" :
			       "a custom_hooks/ folder";
		goto done;
	}
	emb_buf_clear(&path);
	emb_buf_printf(&path, "%s/hooks/update", gitdir);
	n = readlink(path.ptr, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	read_head(head, sizeof(head), path.ptr);
	if (strstr(link, "gitolite") || strstr(head, "Gitolite") ||
	    strstr(head, "gitolite")) {
		forge = EMB_FORGE_GITOLITE;
		*why = "gitolite's update hook";
	}
done:
	emb_buf_release(&path);
	return forge;
}

void emb_install_target_for(struct emb_install_target *out,
			    enum emb_forge forge, const char *hook,
			    const char *gitdir, const char *hooks_dir)
{
	struct emb_buf dir = EMB_BUF_INIT;

	memset(out, 0, sizeof(*out));
	switch (forge) {
	case EMB_FORGE_GITEA:
	case EMB_FORGE_GITLAB:
		/* the product's own hook runs every file in <hook>.d/;
		 * ours sits beside the product's, under a name of its
		 * own, so nothing is renamed or chained */
		if (hooks_dir)
			emb_buf_puts(&dir, hooks_dir);
		else
			emb_buf_printf(&dir, "%s/%s", gitdir,
				       forge == EMB_FORGE_GITEA ?
					       "hooks" :
					       "custom_hooks");
		while (dir.size > 1 && dir.ptr[dir.size - 1] == '/')
			dir.ptr[--dir.size] = '\0';
		emb_buf_printf(&dir, "/%s.d", hook);
		out->file = emb_xstrdup(EMB_INSTALL_DROPIN);
		break;
	case EMB_FORGE_GHES:
		/* a script in the hook repository, chosen in the site
		 * admin's settings; git never runs it from here */
		emb_buf_puts(&dir, hooks_dir ? hooks_dir : gitdir);
		out->file = emb_xstrdup(EMB_INSTALL_GHES_SCRIPT);
		break;
	default:
		emb_buf_puts(&dir, hooks_dir ? hooks_dir : gitdir);
		out->file = emb_xstrdup(hook);
		out->chain = true;
		break;
	}
	out->dir = emb_buf_detach(&dir);
}

void emb_install_target_release(struct emb_install_target *t)
{
	free(t->dir);
	free(t->file);
	memset(t, 0, sizeof(*t));
}

static int mkdirs(const char *dir)
{
	char *p, *copy = emb_xstrdup(dir);
	int error = 0;

	for (p = copy + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(copy, 0777) < 0 && errno != EEXIST) {
				emb_error_set("cannot create '%s': %s", copy,
					      strerror(errno));
				error = EMB_ERROR;
				break;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	free(copy);
	return error;
}

/* Write `text` to path through a temporary file and a rename. */
static int write_script(const char *path, const char *text)
{
	struct emb_buf tmp = EMB_BUF_INIT;
	size_t len = strlen(text);
	int fd, error = 0;

	emb_buf_printf(&tmp, "%s.embargo-tmp", path);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len ||
	    fchmod(fd, 0755) < 0 || close(fd) < 0) {
		emb_error_set("cannot write '%s': %s", tmp.ptr,
			      strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp.ptr);
		error = EMB_ERROR;
	} else if (rename(tmp.ptr, path) < 0) {
		emb_error_set("cannot write '%s': %s", path, strerror(errno));
		unlink(tmp.ptr);
		error = EMB_ERROR;
	}
	emb_buf_release(&tmp);
	return error;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int emb_install_hook(enum emb_install_outcome *out,
		     const struct emb_install_target *t,
		     const struct emb_install_opts *opts)
{
	struct emb_buf path = EMB_BUF_INIT, chained = EMB_BUF_INIT;
	char *script = NULL;
	int error;

	if ((error = mkdirs(t->dir)) < 0)
		return error;
	emb_buf_printf(&path, "%s/%s", t->dir, t->file);
	emb_buf_printf(&chained, "%s%s", path.ptr, EMB_INSTALL_CHAINED);

	if (!exists(path.ptr)) {
		*out = EMB_INSTALL_WRITTEN;
	} else if (emb_install_is_ours(path.ptr)) {
		*out = EMB_INSTALL_UPDATED;
	} else if (opts->force) {
		*out = EMB_INSTALL_REPLACED;
	} else if (!t->chain) {
		emb_error_set("'%s' is not git-embargo's: move it away, or "
			      "use --force to overwrite it",
			      path.ptr);
		error = EMB_ERROR;
		goto done;
	} else if (exists(chained.ptr)) {
		emb_error_set("'%s' is not git-embargo's, and '%s' is kept "
			      "from an earlier install: move one of them away, "
			      "or use --force to overwrite '%s'",
			      path.ptr, chained.ptr, path.ptr);
		error = EMB_ERROR;
		goto done;
	} else {
		if (rename(path.ptr, chained.ptr) < 0) {
			emb_error_set("cannot move '%s' to '%s': %s", path.ptr,
				      chained.ptr, strerror(errno));
			error = EMB_ERROR;
			goto done;
		}
		*out = EMB_INSTALL_CHAINED_IT;
	}
	script = emb_install_script(opts->hook, t->file,
				    t->chain && *out != EMB_INSTALL_REPLACED &&
					    exists(chained.ptr),
				    opts->binary);
	if ((error = write_script(path.ptr, script)) < 0 &&
	    *out == EMB_INSTALL_CHAINED_IT)
		(void)rename(chained.ptr, path.ptr); /* as it was */
done:
	free(script);
	emb_buf_release(&path);
	emb_buf_release(&chained);
	return error;
}

int emb_uninstall_hook(enum emb_uninstall_outcome *out,
		       const struct emb_install_target *t)
{
	struct emb_buf path = EMB_BUF_INIT, chained = EMB_BUF_INIT;
	int error = 0;

	emb_buf_printf(&path, "%s/%s", t->dir, t->file);
	emb_buf_printf(&chained, "%s%s", path.ptr, EMB_INSTALL_CHAINED);
	if (!exists(path.ptr)) {
		*out = EMB_UNINSTALL_ABSENT;
	} else if (!emb_install_is_ours(path.ptr)) {
		*out = EMB_UNINSTALL_FOREIGN;
	} else if (t->chain && exists(chained.ptr)) {
		if (rename(chained.ptr, path.ptr) < 0) {
			emb_error_set("cannot move '%s' back to '%s': %s",
				      chained.ptr, path.ptr, strerror(errno));
			error = EMB_ERROR;
		}
		*out = EMB_UNINSTALL_RESTORED;
	} else {
		if (unlink(path.ptr) < 0) {
			emb_error_set("cannot remove '%s': %s", path.ptr,
				      strerror(errno));
			error = EMB_ERROR;
		}
		*out = EMB_UNINSTALL_REMOVED;
	}
	emb_buf_release(&path);
	emb_buf_release(&chained);
	return error;
}
