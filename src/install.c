/*
 * install.c - hook scripts in, hook scripts out.
 *
 * Files are written next to their final name and renamed into place,
 * so git never runs half a script.  The scripts are the ones in hooks/
 * of the source tree (tests compare them); they rely on nothing but
 * POSIX sh and `git embargo` being on the PATH git gives its hooks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/install.h"

static const char *const known[] = { "pre-push", "pre-receive", "update" };

bool emb_install_known_hook(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(name, known[i]))
			return true;
	return false;
}

char *emb_install_script(const char *hook, bool chained)
{
	struct emb_buf b = EMB_BUF_INIT;

	emb_buf_printf(&b, "#!/bin/sh\n"
			   "# git-embargo %s hook: keeps references to "
			   "embargoed security issues\n"
			   "# out of public repositories.\n"
			   EMB_INSTALL_MARKER "; 'git embargo uninstall' "
			   "removes it.\n",
		       hook);
	if (!chained) {
		emb_buf_printf(&b, "exec git embargo hook %s \"$@\"\n", hook);
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
		       "printf '%%s' \"$input\" | git embargo hook %s \"$@\" || "
		       "status=$?\n"
		       "exit $status\n",
		       hook, EMB_INSTALL_CHAINED, hook, EMB_INSTALL_CHAINED,
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

int emb_install_hooks_dir(char **out, git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf hp = { 0 };
	struct emb_buf b = EMB_BUF_INIT;
	int error;

	*out = NULL;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		emb_error_set_git("cannot read git config");
		return EMB_ECONFIG;
	}
	error = git_config_get_path(&hp, cfg, "core.hookspath");
	git_config_free(cfg);
	if (error < 0 && error != GIT_ENOTFOUND) {
		emb_error_set_git("cannot read core.hooksPath");
		return EMB_ECONFIG;
	}
	git_error_clear();
	if (error == 0 && hp.ptr && *hp.ptr) {
		if (hp.ptr[0] != '/') {
			/* where git runs hooks: the work tree, or the git
			 * folder of a bare repository */
			const char *base = git_repository_workdir(repo);

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

static int mkdirs(const char *dir)
{
	char *p, *copy = emb_xstrdup(dir);
	int error = 0;

	for (p = copy + 1; ; p++) {
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

int emb_install_hook(enum emb_install_outcome *out, const char *dir,
		     const char *hook, bool force)
{
	struct emb_buf path = EMB_BUF_INIT, chained = EMB_BUF_INIT;
	char *script = NULL;
	int error;

	if ((error = mkdirs(dir)) < 0)
		return error;
	emb_buf_printf(&path, "%s/%s", dir, hook);
	emb_buf_printf(&chained, "%s%s", path.ptr, EMB_INSTALL_CHAINED);

	if (!exists(path.ptr)) {
		*out = EMB_INSTALL_WRITTEN;
	} else if (emb_install_is_ours(path.ptr)) {
		*out = EMB_INSTALL_UPDATED;
	} else if (force) {
		*out = EMB_INSTALL_REPLACED;
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
	script = emb_install_script(hook, *out != EMB_INSTALL_REPLACED &&
						  exists(chained.ptr));
	if ((error = write_script(path.ptr, script)) < 0 &&
	    *out == EMB_INSTALL_CHAINED_IT)
		(void)rename(chained.ptr, path.ptr); /* as it was */
done:
	free(script);
	emb_buf_release(&path);
	emb_buf_release(&chained);
	return error;
}

int emb_uninstall_hook(enum emb_uninstall_outcome *out, const char *dir,
		       const char *hook)
{
	struct emb_buf path = EMB_BUF_INIT, chained = EMB_BUF_INIT;
	int error = 0;

	emb_buf_printf(&path, "%s/%s", dir, hook);
	emb_buf_printf(&chained, "%s%s", path.ptr, EMB_INSTALL_CHAINED);
	if (!exists(path.ptr)) {
		*out = EMB_UNINSTALL_ABSENT;
	} else if (!emb_install_is_ours(path.ptr)) {
		*out = EMB_UNINSTALL_FOREIGN;
	} else if (exists(chained.ptr)) {
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
