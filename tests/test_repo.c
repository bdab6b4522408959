/*
 * test_repo.c - opening repositories, made with the real git, by path,
 * without search, bare, and from git's hook environment; and reading
 * git's C-quoted strings, as in the quarantine's
 * GIT_ALTERNATE_OBJECT_DIRECTORIES (git's unquote_c_style()).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#include "embargo/error.h"
#include "embargo/repo.h"

static char *dir, *work, *bare;

static int repos_setup(void **state)
{
	git_libgit2_init();
	th_env();
	dir = th_mkdtemp();
	work = th_repo(dir, "work", false);
	th_write(work, "sub/f", "x\n");
	assert_int_equal(th_commit(work, "one"), 0);
	assert_int_equal(th_sh(dir, "git clone -q --mirror work mirror.git"),
			 0);
	if (asprintf(&bare, "%s/mirror.git", dir) < 0)
		abort();
	return 0;
}

static int repos_teardown(void **state)
{
	th_rmrf(dir);
	free(dir);
	free(work);
	free(bare);
	git_libgit2_shutdown();
	return 0;
}

/* The folder git says the repository's objects are in, or NULL. */
static bool opened_is(git_repository *repo, const char *gitdir)
{
	char want[PATH_MAX], got[PATH_MAX];

	assert_non_null(realpath(gitdir, want));
	assert_non_null(realpath(git_repository_path(repo), got));
	return !strcmp(want, got);
}

static void by_path_searches_up(void **state)
{
	git_repository *repo = NULL;
	char *sub, *gitdir;

	assert_true(asprintf(&sub, "%s/sub", work) > 0);
	assert_true(asprintf(&gitdir, "%s/.git", work) > 0);
	assert_int_equal(emb_repo_open(&repo, sub, 0), 0);
	assert_true(opened_is(repo, gitdir));
	git_repository_free(repo);
	/* the work tree, its .git, and a bare repository all open */
	assert_int_equal(emb_repo_open(&repo, work, 0), 0);
	git_repository_free(repo);
	assert_int_equal(emb_repo_open(&repo, bare, 0), 0);
	assert_true(git_repository_is_bare(repo));
	git_repository_free(repo);
	free(sub);
	free(gitdir);
}

static void no_search(void **state)
{
	git_repository *repo = (git_repository *)1;
	char *sub;

	assert_true(asprintf(&sub, "%s/sub", work) > 0);
	/* a folder inside a repository is not one */
	assert_int_equal(emb_repo_open(&repo, sub, EMB_REPO_OPEN_NO_SEARCH),
			 EMB_EREPO);
	assert_null(repo);
	assert_non_null(strstr(emb_error_last(), "not a git repository"));
	assert_non_null(strstr(emb_error_last(), sub));
	assert_int_equal(emb_repo_open(&repo, work, EMB_REPO_OPEN_NO_SEARCH),
			 0);
	assert_false(git_repository_is_bare(repo));
	git_repository_free(repo);
	free(sub);
}

static void bare_only(void **state)
{
	git_repository *repo = NULL;
	char *gitdir;

	assert_int_equal(emb_repo_open(&repo, bare, EMB_REPO_OPEN_BARE), 0);
	assert_true(git_repository_is_bare(repo));
	git_repository_free(repo);
	/* a work tree's .git opens bare too: no work tree */
	assert_true(asprintf(&gitdir, "%s/.git", work) > 0);
	assert_int_equal(emb_repo_open(&repo, gitdir, EMB_REPO_OPEN_BARE), 0);
	assert_true(git_repository_is_bare(repo));
	git_repository_free(repo);
	/* a work tree is not a git folder */
	assert_int_equal(emb_repo_open(&repo, work, EMB_REPO_OPEN_BARE),
			 EMB_EREPO);
	assert_null(repo);
	assert_non_null(strstr(emb_error_last(), work));
	free(gitdir);
}

/*
 * A pre-receive hook's environment, as git sets it: GIT_DIR, a
 * quarantine folder as GIT_OBJECT_DIRECTORY holding the pushed objects,
 * the real store in GIT_ALTERNATE_OBJECT_DIRECTORIES.  Only the
 * environment sees an object that is only in the quarantine.
 */
static void from_env(void **state)
{
	git_repository *repo = NULL;
	char *quarantine, *objects, *hex, cwd[PATH_MAX];
	git_oid id;
	git_odb *odb;

	assert_true(asprintf(&quarantine, "%s/incoming", bare) > 0);
	assert_true(asprintf(&objects, "%s/objects", bare) > 0);
	hex = th_sh_out(dir, NULL,
			"mkdir -p '%s' && echo pushed | "
			"GIT_OBJECT_DIRECTORY='%s' git -C mirror.git "
			"hash-object -w --stdin | tr -d '\n'",
			quarantine, quarantine);
	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	setenv("GIT_DIR", bare, 1);
	setenv("GIT_OBJECT_DIRECTORY", quarantine, 1);
	setenv("GIT_ALTERNATE_OBJECT_DIRECTORIES", objects, 1);
	/* a linked worktree's variables, which libgit2 1.5 refuses */
	setenv("GIT_WORK_TREE", work, 1);

	assert_int_equal(emb_repo_open(&repo, NULL, EMB_REPO_OPEN_FROM_ENV), 0);
	assert_int_equal(git_repository_odb(&odb, repo), 0);
	assert_true(git_odb_exists(odb, &id));
	git_odb_free(odb);
	git_repository_free(repo);
	/* set aside while opening, and put back */
	assert_string_equal(getenv("GIT_WORK_TREE"), work);
	assert_string_equal(getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"),
			    objects);

	/* without the flag, GIT_DIR is not read: the current folder is */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(work), 0);
	assert_int_equal(emb_repo_open(&repo, NULL, 0), 0);
	assert_false(git_repository_is_bare(repo));
	git_repository_free(repo);
	/* nor with a path: the path is what was asked for */
	assert_int_equal(emb_repo_open(&repo, work, EMB_REPO_OPEN_FROM_ENV), 0);
	assert_false(git_repository_is_bare(repo));
	assert_int_equal(git_repository_odb(&odb, repo), 0);
	assert_false(git_odb_exists(odb, &id));
	git_odb_free(odb);
	git_repository_free(repo);
	assert_int_equal(chdir(cwd), 0);

	unsetenv("GIT_DIR");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	unsetenv("GIT_WORK_TREE");
	free(hex);
	free(objects);
	free(quarantine);
}

static void unquoted_is(const char *q, const char *want, const char *rest)
{
	struct emb_buf b = EMB_BUF_INIT;
	const char *end = NULL;

	emb_buf_puts(&b, "x");
	assert_int_equal(emb_repo_unquote_c(&b, q, &end), 0);
	assert_string_equal(b.ptr + 1, want);
	assert_string_equal(end, rest);
	emb_buf_release(&b);
}

static void not_quoted(const char *q)
{
	struct emb_buf b = EMB_BUF_INIT;
	const char *end = NULL;

	emb_buf_puts(&b, "x");
	assert_int_equal(emb_repo_unquote_c(&b, q, &end), -1);
	/* nothing appended */
	assert_string_equal(b.ptr, "x");
	emb_buf_release(&b);
}

static void quoted_paths(void **state)
{
	unquoted_is("\"/srv/a:b/objects\":/other", "/srv/a:b/objects",
		    ":/other");
	unquoted_is("\"\"", "", "");
	unquoted_is("\"q\\\"b\\\\s\"", "q\"b\\s", "");
	unquoted_is("\"\\t\\n\\a\\b\\f\\r\\v\"", "\t\n\a\b\f\r\v", "");
	/* octal: UTF-8 bytes as git writes them */
	unquoted_is("\"caf\\303\\251\"", "caf\xc3\xa9", "");
}

static void bad_quoting(void **state)
{
	not_quoted("/plain/path");
	not_quoted("\"no closing quote");
	not_quoted("\"bad escape \\q\"");
	not_quoted("\"octal over a byte \\400\"");
	not_quoted("\"short octal \\12\"");
	not_quoted("\"ends in a backslash \\");
}

int main(void)
{
	const struct CMUnitTest open[] = {
		cmocka_unit_test(by_path_searches_up),
		cmocka_unit_test(no_search),
		cmocka_unit_test(bare_only),
		cmocka_unit_test(from_env),
	};
	const struct CMUnitTest unquote[] = {
		cmocka_unit_test(quoted_paths),
		cmocka_unit_test(bad_quoting),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("emb_repo_open", open,
					      repos_setup, repos_teardown);
	failed += cmocka_run_group_tests_name("emb_repo_unquote_c", unquote,
					      NULL, NULL);
	return failed ? 1 : 0;
}
