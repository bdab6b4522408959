/*
 * test_override.c - who pushed (from the forges' variables and the
 * settings), reading embargo.override options, and the override
 * decision over real findings of a real list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#include "embargo/override.h"

static const char *const forge_vars[] = {
	"GL_USERNAME",
	"GL_ID",
	"GL_PROJECT_PATH",
	"GITHUB_USER_LOGIN",
	"GITHUB_REPO_NAME",
	"GITEA_PUSHER_NAME",
	"GITEA_REPO_USER_NAME",
	"GITEA_REPO_NAME",
	"GL_USER",
	"GL_REPO",
	"REMOTE_USER",
	"USER",
	"MY_PUSHER",
	"MY_REPO",
};

static int clear_env(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forge_vars) / sizeof(forge_vars[0]); i++)
		unsetenv(forge_vars[i]);
	return 0;
}

static void pusher_is(const struct emb_config *c, const char *name,
		      const char *repo)
{
	struct emb_pusher p;

	emb_pusher_init(&p, c, "/srv/git/x.git/");
	assert_string_equal(p.name, name);
	assert_string_equal(p.repository, repo);
	emb_pusher_release(&p);
}

static void test_pusher_forges(void **state)
{
	struct emb_config c;

	(void)state;
	memset(&c, 0, sizeof(c));
	pusher_is(&c, "unknown", "/srv/git/x.git");
	setenv("USER", "git", 1);
	pusher_is(&c, "git", "/srv/git/x.git");
	setenv("GL_USER", "carol", 1);
	setenv("GL_REPO", "tools/x", 1);
	pusher_is(&c, "carol", "tools/x");
	setenv("GITEA_PUSHER_NAME", "dave", 1);
	setenv("GITEA_REPO_USER_NAME", "acme", 1);
	setenv("GITEA_REPO_NAME", "widget", 1);
	pusher_is(&c, "dave", "acme/widget");
	setenv("GITHUB_USER_LOGIN", "erin", 1);
	setenv("GITHUB_REPO_NAME", "octo/hello", 1);
	pusher_is(&c, "erin", "acme/widget"); /* Gitea's repository first */
	unsetenv("GITEA_REPO_NAME");
	pusher_is(&c, "erin", "octo/hello");
	setenv("GL_ID", "user-17", 1);
	pusher_is(&c, "user-17", "octo/hello");
	setenv("GL_USERNAME", "alice", 1);
	setenv("GL_PROJECT_PATH", "acme/tool", 1);
	pusher_is(&c, "alice", "acme/tool");
}

static void test_pusher_settings(void **state)
{
	struct emb_config c;
	char pe[] = "MY_PUSHER", re[] = "MY_REPO";

	(void)state;
	memset(&c, 0, sizeof(c));
	c.pusher_env = pe;
	c.repository_env = re;
	setenv("USER", "git", 1);
	pusher_is(&c, "git", "/srv/git/x.git"); /* named but unset */
	setenv("MY_PUSHER", "frank", 1);
	setenv("MY_REPO", "ops/infra", 1);
	setenv("GL_USERNAME", "alice", 1);
	pusher_is(&c, "frank", "ops/infra");
}

static void test_req_parse(void **state)
{
	const char *opts[] = { "ci.skip",
			       "embargo.override=CVE-2026-31337, "
			       "SEC-7 :  disclosed: with the vendor ",
			       "embargo.overrides=x" };
	const char *plain[] = { "embargo.override=just because" };
	const char *bare[] = { "embargo.override" };
	struct emb_override_req r;

	(void)state;
	emb_override_req_parse(&r, opts, 3);
	assert_true(r.asked);
	assert_string_equal(r.ids, "CVE-2026-31337, SEC-7");
	assert_string_equal(r.reason, "disclosed: with the vendor");
	emb_override_req_release(&r);

	emb_override_req_parse(&r, plain, 1);
	assert_true(r.asked);
	assert_null(r.ids);
	assert_string_equal(r.reason, "just because");
	emb_override_req_release(&r);

	emb_override_req_parse(&r, bare, 1);
	assert_true(r.asked);
	assert_null(r.ids);
	assert_null(r.reason);
	emb_override_req_release(&r);

	emb_override_req_parse(&r, opts + 2, 1);
	assert_false(r.asked);
	emb_override_req_release(&r);
}

/* A list with a plain and an aliased entry; one finding of each. */
struct fixture {
	char *dir;
	struct emb_list list;
	struct emb_matcher *m;
	struct emb_findings f;
};

static int setup_decide(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));
	char *path;
	size_t i;
	int rc;

	clear_env(NULL);
	x->dir = th_mkdtemp();
	th_write(x->dir, "list",
		 "[embargo \"CVE-2026-31337\"]\n"
		 "[embargo \"SEC-7\"]\n\talias = the parser bug\n");
	path = malloc(strlen(x->dir) + 6);
	snprintf(path, strlen(x->dir) + 6, "%s/list", x->dir);
	rc = emb_list_load_file(&x->list, path);
	free(path);
	assert_int_equal(rc, 0);
	assert_int_equal(emb_matcher_new(&x->m, &x->list, NULL, 0), 0);
	for (i = 0; i < 2; i++) {
		struct emb_finding f;

		memset(&f, 0, sizeof(f));
		f.entry = &x->list.entries[i];
		emb_findings_add(&x->f, &f);
	}
	*state = x;
	return 0;
}

static int teardown_decide(void **state)
{
	struct fixture *x = *state;

	emb_findings_release(&x->f);
	emb_matcher_free(x->m);
	emb_list_release(&x->list);
	th_rmrf(x->dir);
	free(x->dir);
	free(x);
	return 0;
}

static enum emb_override_verdict decide(struct fixture *x, struct emb_config *c,
					const char *opt, bool covered[2])
{
	const char *opts[] = { opt };
	struct emb_override_req r;
	struct emb_pusher p;
	enum emb_override_verdict v;

	setenv("GL_USERNAME", "alice", 1);
	emb_pusher_init(&p, c, "/srv/x.git");
	emb_override_req_parse(&r, opts, 1);
	assert_int_equal(
		emb_override_decide(&v, covered, &r, &x->f, x->m, c, &p), 0);
	emb_override_req_release(&r);
	emb_pusher_release(&p);
	return v;
}

static void test_decide(void **state)
{
	struct fixture *x = *state;
	struct emb_config c;
	char log[] = "/tmp/audit.log", alice[] = "alice", bob[] = "bob";
	char *users[] = { bob, alice };
	bool cov[2];

	memset(&c, 0, sizeof(c));
	assert_int_equal(
		decide(x, &c, "embargo.override=CVE-2026-31337: x", cov),
		EMB_OVERRIDE_DISABLED);
	c.allow_override = true;
	assert_int_equal(decide(x, &c, "embargo.override=because", cov),
			 EMB_OVERRIDE_NO_IDS);
	assert_int_equal(decide(x, &c, "embargo.override=SEC-7:", cov),
			 EMB_OVERRIDE_NO_REASON);
	assert_int_equal(decide(x, &c, "embargo.override=SEC-7: why", cov),
			 EMB_OVERRIDE_NO_LOG);
	c.audit_log = log;
	assert_int_equal(decide(x, &c, "embargo.override=SEC-7: why", cov),
			 EMB_OVERRIDE_PARTIAL);
	assert_false(cov[0]);
	assert_true(cov[1]);
	/* an alias names its identifier; spellings are folded as in text */
	assert_int_equal(decide(x, &c,
				"embargo.override=cve_2026_31337, the parser "
				"bug: published",
				cov),
			 EMB_OVERRIDE_GRANTED);
	assert_true(cov[0] && cov[1]);
	/* a name that is not a finding's changes nothing */
	assert_int_equal(
		decide(x, &c, "embargo.override=CVE-2026-4444, SEC-7: x", cov),
		EMB_OVERRIDE_PARTIAL);
	c.override_users = users;
	c.n_override_users = 1;
	assert_int_equal(
		decide(x, &c, "embargo.override=CVE-2026-31337, SEC-7: x", cov),
		EMB_OVERRIDE_NOT_ALLOWED);
	c.n_override_users = 2;
	assert_int_equal(
		decide(x, &c, "embargo.override=CVE-2026-31337, SEC-7: x", cov),
		EMB_OVERRIDE_GRANTED);
}

/* The whole outcome, as the server hook acts on it. */
static void judge(struct fixture *x, struct emb_config *c, const char *opt,
		  bool options, struct emb_override_outcome *o)
{
	const char *opts[] = { opt };
	struct emb_override_req r;
	struct emb_pusher p;

	setenv("GL_USERNAME", "alice", 1);
	emb_pusher_init(&p, c, "/srv/x.git");
	emb_override_req_parse(&r, opts, opt ? 1 : 0);
	assert_int_equal(emb_override_judge(o, &r, &x->f, x->m, c, &p, options),
			 0);
	emb_override_req_release(&r);
	emb_pusher_release(&p);
}

static void test_judge(void **state)
{
	struct fixture *x = *state;
	struct emb_override_outcome o;
	struct emb_config c;
	char log[] = "/tmp/audit.log", bob[] = "bob";
	char *users[] = { bob };

	memset(&c, 0, sizeof(c));
	/* nothing asked, overrides off: rejected, none offered */
	judge(x, &c, NULL, true, &o);
	assert_false(o.asked);
	assert_false(o.granted);
	assert_null(o.still);
	assert_false(o.offer);
	emb_override_outcome_release(&o);

	/* allowed here: offered where the hook gets push options */
	c.allow_override = true;
	c.audit_log = log;
	judge(x, &c, NULL, true, &o);
	assert_false(o.granted);
	assert_true(o.offer);
	emb_override_outcome_release(&o);
	judge(x, &c, NULL, false, &o);
	assert_false(o.offer);
	emb_override_outcome_release(&o);

	/* a partial override: what still rejects the push is shown */
	judge(x, &c, "embargo.override=SEC-7: why", true, &o);
	assert_true(o.asked);
	assert_false(o.granted);
	assert_int_equal(o.verdict, EMB_OVERRIDE_PARTIAL);
	assert_non_null(o.still);
	assert_true(o.still[0]);
	assert_false(o.still[1]);
	assert_true(o.offer);
	emb_override_outcome_release(&o);

	/* every finding named: let through */
	judge(x, &c, "embargo.override=CVE-2026-31337, SEC-7: why", true, &o);
	assert_true(o.granted);
	assert_int_equal(o.verdict, EMB_OVERRIDE_GRANTED);
	assert_null(o.still);
	emb_override_outcome_release(&o);

	/* a pusher who may not override is not told to try */
	c.override_users = users;
	c.n_override_users = 1;
	judge(x, &c, "embargo.override=CVE-2026-31337, SEC-7: why", true, &o);
	assert_false(o.granted);
	assert_int_equal(o.verdict, EMB_OVERRIDE_NOT_ALLOWED);
	assert_false(o.offer);
	emb_override_outcome_release(&o);
}

/*
 * Ref names, reasons and user names are bytes: the record keeps them
 * all, with what is not UTF-8 replaced, rather than drop a ref from its
 * "refs" or refuse the whole record.
 */
static void test_record_bytes(void **state)
{
	char dir[] = "/tmp/test_override.XXXXXX", path[64], line[1024];
	struct emb_refupdate u = { .ref = (char *)"refs/heads/caf\xe9",
				   .has_new = true };
	struct emb_refupdates ups = { &u, 1, 1 };
	struct emb_findings f = EMB_FINDINGS_INIT;
	struct emb_pusher who = { .name = (char *)"ren\xe9",
				  .repository = (char *)"x" };
	struct emb_record r = { .event = EMB_RECORD_OVERRIDE,
				.time = 0,
				.pusher = &who,
				.reason = "caf\xe9 fix",
				.updates = &ups,
				.findings = &f };
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/audit.log", dir);
	assert_int_equal(emb_record_append(path, &r), 0);
	assert_non_null(fp = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	assert_non_null(strstr(line, "\"ref\":\"refs/heads/caf\\uFFFD\""));
	assert_non_null(strstr(line, "\"pusher\":\"ren\\uFFFD\""));
	assert_non_null(strstr(line, "\"reason\":\"caf\\uFFFD fix\""));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest pusher[] = {
		cmocka_unit_test_setup(test_pusher_forges, clear_env),
		cmocka_unit_test_setup(test_pusher_settings, clear_env),
	};
	const struct CMUnitTest req[] = {
		cmocka_unit_test(test_req_parse),
	};
	const struct CMUnitTest dec[] = {
		cmocka_unit_test_setup_teardown(test_decide, setup_decide,
						teardown_decide),
	};
	const struct CMUnitTest jud[] = {
		cmocka_unit_test_setup_teardown(test_judge, setup_decide,
						teardown_decide),
	};
	const struct CMUnitTest rec[] = {
		cmocka_unit_test(test_record_bytes),
	};
	int failed = 0;

	git_libgit2_init();
	failed += cmocka_run_group_tests_name("emb_pusher_init", pusher, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_override_req_parse", req,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_override_decide", dec, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_override_judge", jud, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_record_append", rec, NULL,
					      NULL);
	git_libgit2_shutdown();
	return failed;
}
