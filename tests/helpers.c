/*
 * helpers.c - shared test helpers.  Repositories are real: made and
 * changed by the git binary on the machine, read by libgit2.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

void th_env(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "C O Mitter", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.org", 1);
	setenv("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z", 1);
	setenv("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z", 1);
	setenv("NO_COLOR", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_EMBARGO_LIST");
	unsetenv("GIT_EMBARGO_NOW");
}

char *th_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (asprintf(&path, "%s/embargo-test-XXXXXX", tmp ? tmp : "/tmp") < 0)
		abort();
	if (!mkdtemp(path)) {
		perror("mkdtemp");
		abort();
	}
	return path;
}

void th_rmrf(const char *path)
{
	if (path && *path && strcmp(path, "/"))
		th_sh("/", "rm -rf '%s'", path);
}

static void mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0777);
			*p = '/';
		}
	}
}

void th_write(const char *dir, const char *name, const char *content)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		abort();
	mkdirs(path);
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(content, 1, strlen(content), f);
	fclose(f);
	free(path);
}

static char *vcommand(const char *dir, const char *fmt, va_list ap)
{
	char *body, *cmd;

	if (vasprintf(&body, fmt, ap) < 0)
		abort();
	if (asprintf(&cmd, "cd '%s' && { %s\n}", dir, body) < 0)
		abort();
	free(body);
	return cmd;
}

int th_sh(const char *dir, const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int rc;

	th_env();
	va_start(ap, fmt);
	cmd = vcommand(dir, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	free(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

char *th_sh_out(const char *dir, int *status, const char *fmt, ...)
{
	va_list ap;
	char *cmd, buf[4096], *out = NULL;
	size_t len = 0, n;
	FILE *p;
	int rc;

	th_env();
	va_start(ap, fmt);
	cmd = vcommand(dir, fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		out = realloc(out, len + n + 1);
		memcpy(out + len, buf, n);
		len += n;
	}
	if (!out)
		out = calloc(1, 1);
	out[len] = '\0';
	rc = pclose(p);
	if (status)
		*status = WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
	free(cmd);
	return out;
}

char *th_repo(const char *dir, const char *name, bool bare)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		abort();
	assert_int_equal(th_sh(dir, "git init -q -b main %s '%s'",
			       bare ? "--bare" : "", name),
			 0);
	return path;
}

int th_commit(const char *repo, const char *msg)
{
	char *file;
	FILE *f;
	int rc;

	if (asprintf(&file, "%s/.git/th-msg", repo) < 0)
		abort();
	f = fopen(file, "wb");
	assert_non_null(f);
	fputs(msg, f);
	fclose(f);
	rc = th_sh(repo, "git add -A && git commit -q --allow-empty "
			 "--cleanup=verbatim -F .git/th-msg");
	free(file);
	return rc;
}

const char *th_bin(void)
{
	const char *bin = getenv("EMBARGO_BIN");

	return bin && *bin ? bin : "git-embargo";
}

#ifndef TH_DATA_DIR
#define TH_DATA_DIR "tests/data"
#endif

char *th_data_path(const char *rel)
{
	char *p;
	struct stat st;

	if (asprintf(&p, "%s/%s", TH_DATA_DIR, rel) < 0)
		abort();
	if (stat(p, &st) < 0)
		fail_msg("test data '%s' is missing", p);
	return p;
}
