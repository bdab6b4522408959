/*
 * test_policy_require.c - embargo.requirePolicy over a real repository:
 * which update is judged, what rejects it, and what is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/error.h"
#include "embargo/policy_require.h"

struct fixture {
	char *dir, *repo;
	git_repository *r;
	struct emb_refupdates u; /* the last push judged: `ref` is its */
	char good[GIT_OID_HEXSZ + 1], gone[GIT_OID_HEXSZ + 1];
};

static void head_of(char *hex, const char *repo)
{
	int status;
	char *out = th_sh_out(repo, &status, "git rev-parse HEAD");

	assert_int_equal(status, 0);
	assert_true(strlen(out) > GIT_OID_HEXSZ);
	memcpy(hex, out, GIT_OID_HEXSZ);
	hex[GIT_OID_HEXSZ] = '\0';
	free(out);
}

/* main: a good SECURITY.md, then a commit that deletes it */
static int setup(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));

	git_libgit2_init();
	x->dir = th_mkdtemp();
	x->repo = th_repo(x->dir, "r", false);
	th_write(x->repo, "SECURITY.md",
		 "# Security Policy\n\n"
		 "Report vulnerabilities to security@acme.io; we answer "
		 "within 3 days and\ndisclose after the fix.\n");
	assert_int_equal(th_commit(x->repo, "policy"), 0);
	head_of(x->good, x->repo);
	assert_int_equal(th_sh(x->repo, "git rm -q SECURITY.md"), 0);
	assert_int_equal(th_commit(x->repo, "no policy"), 0);
	head_of(x->gone, x->repo);
	assert_int_equal(git_repository_open(&x->r, x->repo), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *x = *state;

	emb_refupdates_release(&x->u);
	git_repository_free(x->r);
	th_rmrf(x->dir);
	free(x->dir);
	free(x->repo);
	free(x);
	git_libgit2_shutdown();
	return 0;
}

/* Judge one update of `ref` to `new_hex` with `setting` (or none). */
static int require(struct fixture *x, const char *setting, const char *ref,
		   const char *new_hex, struct emb_policy_result **r,
		   const char **which)
{
	struct emb_refupdate one;
	git_config *cfg = NULL;
	int error;

	assert_int_equal(
		th_sh(x->repo,
		      "git config --unset-all "
		      "embargo.requirePolicy; %s%s",
		      setting ? "git config embargo.requirePolicy " : "true",
		      setting ? setting : ""),
		0);
	assert_int_equal(git_repository_config_snapshot(&cfg, x->r), 0);
	assert_int_equal(emb_refupdate_from_args(&one, ref, x->good, new_hex),
			 0);
	emb_refupdates_release(&x->u);
	emb_refupdates_add(&x->u, &one);
	error = emb_policy_require(r, which, x->r, cfg, &x->u);
	git_config_free(cfg);
	return error;
}

/* --- emb_policy_require --- */

static void test_off(void **state)
{
	struct fixture *x = *state;
	struct emb_policy_result *r;
	const char *ref;

	assert_int_equal(require(x, NULL, "refs/heads/main", x->gone, &r, &ref),
			 0);
	assert_null(r);
	assert_int_equal(
		require(x, "false", "refs/heads/main", x->gone, &r, &ref), 0);
	assert_null(r);
}

static void test_default_branch(void **state)
{
	struct fixture *x = *state;
	struct emb_policy_result *r;
	const char *ref;
	size_t i;
	bool missing = false;

	assert_int_equal(
		require(x, "true", "refs/heads/main", x->good, &r, &ref), 0);
	assert_null(r);
	assert_null(ref);
	assert_int_equal(
		require(x, "true", "refs/heads/main", x->gone, &r, &ref), 0);
	assert_non_null(r);
	assert_string_equal(ref, "refs/heads/main");
	for (i = 0; i < r->nproblems; i++)
		missing |= !strcmp(r->problems[i].rule, "missing");
	assert_true(missing);
	emb_policy_result_free(r);
}

static void test_other_branches(void **state)
{
	struct fixture *x = *state;
	struct emb_policy_result *r;
	const char *ref;

	assert_int_equal(
		require(x, "true", "refs/heads/topic", x->gone, &r, &ref), 0);
	assert_null(r);
}

static void test_errors(void **state)
{
	struct fixture *x = *state;
	struct emb_policy_result *r;
	const char *ref;

	assert_int_equal(
		require(x, "maybe", "refs/heads/main", x->gone, &r, &ref),
		EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "bad embargo.requirePolicy"));
	assert_null(r);
	/* a detached HEAD names no default branch */
	assert_int_equal(th_sh(x->repo, "git checkout -q --detach"), 0);
	assert_int_equal(
		require(x, "true", "refs/heads/main", x->gone, &r, &ref),
		EMB_ECONFIG);
	assert_string_equal(emb_error_last(),
			    "embargo.requirePolicy is set, but HEAD names no "
			    "default branch");
	assert_int_equal(th_sh(x->repo, "git checkout -q main"), 0);
}

int main(void)
{
	const struct CMUnitTest req[] = {
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_default_branch),
		cmocka_unit_test(test_other_branches),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("emb_policy_require", req, setup,
					   teardown);
}
