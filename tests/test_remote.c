/*
 * test_remote.c - URL normal forms, patterns, and the public/private
 * decision read from real git config files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/error.h"
#include "embargo/remote.h"

static void norm_is(const char *url, const char *want)
{
	char *got = emb_remote_normalize(url, "/work");

	if (strcmp(got, want))
		fail_msg("'%s' -> '%s', expected '%s'", url, got, want);
	free(got);
}

/* --- emb_remote_normalize --- */

static void url_forms_of_one_repository(void **state)
{
	norm_is("git@github.com:acme/tool.git", "github.com/acme/tool");
	norm_is("git@github.com:/acme/tool.git/", "github.com/acme/tool");
	norm_is("ssh://git@github.com/acme/tool.git", "github.com/acme/tool");
	norm_is("ssh://git@GitHub.com:22/acme/tool", "github.com/acme/tool");
	norm_is("https://github.com/acme/tool", "github.com/acme/tool");
	norm_is("https://user:secret@github.com/acme/tool.git",
		"github.com/acme/tool");
	norm_is("git://git.example.org:9418/pub/x.git",
		"git.example.org/pub/x");
	norm_is("github.com:acme/tool", "github.com/acme/tool");
}

static void url_local_paths(void **state)
{
	norm_is("/srv/git/private/x.git", "/srv/git/private/x");
	norm_is("file:///srv/git/private/x.git", "/srv/git/private/x");
	norm_is("file://localhost/srv/git/x.git/", "/srv/git/x");
	/* relative to the folder the hook runs in */
	norm_is("../up/x.git", "/up/x");
	norm_is("./a/./b/../x", "/work/a/x");
}

static void url_dot_segments(void **state)
{
	/* the path the server resolves, not the one written */
	norm_is("https://github.com/acme-security/../acme/tool.git",
		"github.com/acme/tool");
	norm_is("git@github.com:acme-security/./../acme//tool.git",
		"github.com/acme/tool");
	norm_is("https://github.com/acme-security/%2e%2E/acme/tool",
		"github.com/acme/tool");
	norm_is("ssh://git@host//srv/../../x.git", "host/x");
	norm_is("/srv/git/private/../public/x.git", "/srv/git/public/x");
	/* a name that only looks like a dot segment stays */
	norm_is("https://host/a/..b/x", "host/a/..b/x");
	/* an escaped '/' is not a separator */
	norm_is("https://host/a%2F../x", "host/a%2F../x");
}

static void url_other_forms(void **state)
{
	norm_is("[::1]:repo.git", "[::1]/repo");
	norm_is("ssh://git@[::1]:2222/repo.git", "[::1]/repo");
	norm_is("persistent-https::https://host/org/r", "host/org/r");
	norm_is("https://host", "host");
	norm_is("git@[::1]:repo.git", "[::1]/repo");
	/* an empty URL or pattern (`embargo.private =`) is no crash */
	norm_is("", "");
	assert_false(emb_remote_url_matches("", "https://h/x", NULL));
}

/*
 * Where an earlier reading of the URL was not git's: the host is where
 * git (and ssh or curl after it) connects, whatever a pattern sees.
 */
static void url_read_as_git_does(void **state)
{
	/* ssh's user ends at the last '@' */
	norm_is("x@private.example@github.com:acme/tool",
		"github.com/acme/tool");
	/* "://" after a '/' makes no scheme: a local path */
	norm_is("/srv/x://github.com/acme", "/srv/x:/github.com/acme");
	/* curl ends an http(s) host at '#' or '?' */
	norm_is("https://github.com#@private.example/acme/tool",
		"github.com/#@private.example/acme/tool");
	assert_false(emb_remote_url_matches(
		"private.example/*",
		"https://github.com#@private.example/acme/tool", NULL));
	assert_false(emb_remote_url_matches(
		"private.example*", "x@private.example@github.com:acme/tool",
		NULL));
}

/* --- emb_remote_url_matches --- */

static void scp_pattern_matches_url_forms(void **state)
{
	const char *p = "git@github.com:acme-security/*";

	assert_true(emb_remote_url_matches(
		p, "git@github.com:acme-security/tool.git", NULL));
	assert_true(emb_remote_url_matches(
		p, "ssh://git@github.com/acme-security/tool", NULL));
	assert_true(emb_remote_url_matches(
		p, "https://github.com/acme-security/tool.git", NULL));
	assert_false(emb_remote_url_matches(p, "git@github.com:acme/tool.git",
					    NULL));
	/* a look-alike organisation is not the private one */
	assert_false(emb_remote_url_matches(
		p, "git@github.com:acme-security-public/tool.git", NULL));
	assert_false(emb_remote_url_matches(
		p, "git@gitlab.com:acme-security/tool.git", NULL));
	/* ".." out of the private organisation is not in it */
	assert_false(emb_remote_url_matches(
		p, "https://github.com/acme-security/../acme/tool", NULL));
	assert_false(emb_remote_url_matches(
		p, "git@github.com:acme-security/x/%2e%2e/../acme/tool", NULL));
	assert_true(emb_remote_url_matches(
		p, "https://github.com/acme/../acme-security/tool", NULL));
}

static void url_pattern_matches_scp(void **state)
{
	const char *p = "https://git.internal.example/*";

	assert_true(emb_remote_url_matches(
		p, "git@git.internal.example:team/sub/repo.git", NULL));
	assert_true(emb_remote_url_matches(
		p, "https://git.internal.example/team/repo", NULL));
	assert_false(emb_remote_url_matches(
		p, "https://git.internal.example.evil.org/team/repo", NULL));
	assert_false(emb_remote_url_matches(p, "https://github.com/x/y", NULL));
	/* without a scheme, a pattern is host/path */
	assert_true(emb_remote_url_matches("git.internal.example/*",
					   "ssh://git.internal.example/a/b.git",
					   NULL));
}

static void exact_and_local_patterns(void **state)
{
	assert_true(emb_remote_url_matches("git@host:org/repo.git",
					   "https://host/org/repo", NULL));
	assert_false(emb_remote_url_matches("git@host:org/repo",
					    "https://host/org/repo2", NULL));
	assert_true(emb_remote_url_matches("/srv/private/*",
					   "file:///srv/private/x.git", NULL));
	assert_true(emb_remote_url_matches("file:///srv/private/*",
					   "/srv/private/x.git", NULL));
	assert_false(emb_remote_url_matches("/srv/private/*",
					    "/srv/public/x.git", NULL));
}

/* --- emb_remote_is_private --- */

struct fx {
	char *dir;
	git_config *cfg;
};

static int cfg_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	fx->dir = th_mkdtemp();
	*state = fx;
	return 0;
}

static int cfg_teardown(void **state)
{
	struct fx *fx = *state;

	git_config_free(fx->cfg);
	th_rmrf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

static git_config *cfg_of(struct fx *fx, const char *text)
{
	char *path;

	th_write(fx->dir, "config", text);
	if (asprintf(&path, "%s/config", fx->dir) < 0)
		abort();
	git_config_free(fx->cfg);
	assert_int_equal(git_config_open_ondisk(&fx->cfg, path), 0);
	free(path);
	return fx->cfg;
}

static void public_by_default(void **state)
{
	struct fx *fx = *state;
	git_config *cfg = cfg_of(fx, "[core]\n\tbare = false\n");
	bool priv = true;
	char *why = (char *)"x";

	assert_int_equal(emb_remote_is_private(&priv, &why, cfg, "origin",
					       "git@github.com:acme/x"),
			 0);
	assert_false(priv);
	assert_null(why);
	assert_int_equal(emb_remote_is_private(&priv, NULL, NULL, "origin",
					       "git@github.com:acme/x"),
			 0);
	assert_false(priv);
}

static void private_by_pattern(void **state)
{
	struct fx *fx = *state;
	git_config *cfg =
		cfg_of(fx, "[embargo]\n"
			   "\tprivate = https://git.internal.example/*\n"
			   "\tprivate = git@github.com:acme-security/*\n");
	bool priv = false;
	char *why = NULL;

	assert_int_equal(emb_remote_is_private(
				 &priv, &why, cfg, "sec",
				 "https://github.com/acme-security/tool.git"),
			 0);
	assert_true(priv);
	assert_string_equal(why,
			    "embargo.private 'git@github.com:acme-security/*'");
	free(why);
	assert_int_equal(
		emb_remote_is_private(&priv, NULL, cfg, "origin",
				      "https://github.com/acme/tool.git"),
		0);
	assert_false(priv);
}

static void remote_setting_overrides(void **state)
{
	struct fx *fx = *state;
	git_config *cfg =
		cfg_of(fx, "[embargo]\n\tprivate = git@github.com:acme/*\n"
			   "[remote \"mirror\"]\n\tembargo = public\n"
			   "[remote \"vault\"]\n\tembargo = Private\n"
			   "\turl = https://example.org/x\n");
	bool priv = false;
	char *why = NULL;

	/* the pattern says private, the remote says public: public */
	assert_int_equal(emb_remote_is_private(&priv, &why, cfg, "mirror",
					       "git@github.com:acme/tool"),
			 0);
	assert_false(priv);
	assert_string_equal(why, "remote.mirror.embargo");
	free(why);
	assert_int_equal(emb_remote_is_private(&priv, NULL, cfg, "vault",
					       "https://example.org/x"),
			 0);
	assert_true(priv);
	/* a push to a bare URL has no remote.<name> settings */
	assert_int_equal(emb_remote_is_private(&priv, NULL, cfg,
					       "https://example.org/x",
					       "https://example.org/x"),
			 0);
	assert_false(priv);
}

/* is a push to remote `name` at `url` private under `config`? */
static bool private_in(struct fx *fx, const char *config, const char *name,
		       const char *url, char **why)
{
	bool priv = true;

	assert_int_equal(emb_remote_is_private(&priv, why, cfg_of(fx, config),
					       name, url),
			 0);
	return priv;
}

static void marked_remote_public_pushurl(void **state)
{
	struct fx *fx = *state;
	const char *cfg = "[remote \"sec\"]\n\tembargo = private\n"
			  "\turl = git@github.com:acme-security/tool\n"
			  "\tpushurl = git@github.com:acme/tool\n";
	char *why = NULL;

	/* git pushes to the pushurl, which the marking does not cover */
	assert_false(
		private_in(fx, cfg, "sec", "git@github.com:acme/tool", &why));
	assert_non_null(strstr(why, "remote.sec.embargo"));
	assert_non_null(strstr(why, "git@github.com:acme/tool"));
	free(why);
	/* a hook given the fetch URL still sees the pushurl */
	assert_false(private_in(fx, cfg, "sec",
				"git@github.com:acme-security/tool", NULL));
}

static void marked_remote_same_pushurl(void **state)
{
	struct fx *fx = *state;
	char *why = NULL;

	/* near miss: a pushurl naming the same repository another way */
	assert_true(private_in(
		fx,
		"[remote \"sec\"]\n\tembargo = private\n"
		"\turl = https://github.com/acme-security/tool.git\n"
		"\tpushurl = ssh://git@github.com/acme-security/tool\n",
		"sec", "ssh://git@github.com/acme-security/tool", &why));
	assert_string_equal(why, "remote.sec.embargo");
	free(why);
	/* near miss: a truly private pushurl, by pattern */
	assert_true(
		private_in(fx,
			   "[embargo]\n\tprivate = git@git.internal.example:*\n"
			   "[remote \"sec\"]\n\tembargo = private\n"
			   "\turl = https://github.com/acme-security/tool\n"
			   "\tpushurl = git@git.internal.example:sec/tool\n",
			   "sec", "git@git.internal.example:sec/tool", NULL));
}

static void several_pushurls(void **state)
{
	struct fx *fx = *state;
	const char *cfg = "[embargo]\n"
			  "\tprivate = git@git.internal.example:*\n"
			  "[remote \"all\"]\n"
			  "\turl = git@git.internal.example:sec/tool\n"
			  "\tpushurl = git@git.internal.example:sec/tool\n"
			  "\tpushurl = https://github.com/acme/tool\n";

	/* public when any of them is, whichever git is pushing to now */
	assert_false(private_in(fx, cfg, "all",
				"git@git.internal.example:sec/tool", NULL));
	assert_false(private_in(fx, cfg, "all", "https://github.com/acme/tool",
				NULL));
	/* an empty pushurl clears the ones before it, as in git */
	assert_true(
		private_in(fx,
			   "[embargo]\n\tprivate = git@git.internal.example:*\n"
			   "[remote \"all\"]\n"
			   "\turl = git@git.internal.example:sec/tool\n"
			   "\tpushurl = https://github.com/acme/tool\n"
			   "\tpushurl =\n"
			   "\tpushurl = git@git.internal.example:sec/mirror\n",
			   "all", "git@git.internal.example:sec/mirror", NULL));
}

static void triangular_push_instead_of(void **state)
{
	struct fx *fx = *state;
	const char *cfg = "[url \"git@github.com:acme/\"]\n"
			  "\tpushInsteadOf = https://git.internal.example/\n"
			  "[remote \"origin\"]\n\tembargo = private\n"
			  "\turl = https://git.internal.example/tool\n";

	/* fetched from the private host, pushed to the public one */
	assert_false(private_in(fx, cfg, "origin", "git@github.com:acme/tool",
				NULL));
	/* near miss: insteadOf (both ways) keeps the marking's URL */
	assert_true(private_in(fx,
			       "[url \"git@git.internal.example:\"]\n"
			       "\tinsteadOf = int:\n"
			       "[url \"git@git.internal.example:team/\"]\n"
			       "\tinsteadOf = int:t/\n"
			       "[remote \"origin\"]\n\tembargo = private\n"
			       "\turl = int:t/tool\n",
			       "origin", "git@git.internal.example:team/tool",
			       NULL));
}

static void bad_remote_setting(void **state)
{
	struct fx *fx = *state;
	git_config *cfg =
		cfg_of(fx, "[remote \"origin\"]\n\tembargo = maybe\n");
	bool priv = false;

	assert_int_equal(emb_remote_is_private(&priv, NULL, cfg, "origin",
					       "https://example.org/x"),
			 EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "remote.origin.embargo"));
	assert_non_null(strstr(emb_error_last(), "maybe"));
}

/* --- emb_remote_refs_client, emb_remote_refs_server --- */

static const char remotes_cfg[] =
	"[remote \"acme\"]\n"
	"\turl = https://github.com/acme/tool\n"
	"\tfetch = +refs/heads/*:refs/remotes/acme/*\n"
	"[remote \"acme/security\"]\n"
	"\turl = git@git.internal.example:acme/tool\n"
	"\tfetch = +refs/heads/*:refs/remotes/acme/security/*\n"
	"[remote \"acme-other\"]\n"
	"\turl = https://github.com/acme/other\n"
	"\tfetch = +refs/heads/*:refs/remotes/acme-other/*\n"
	"[remote \"acme/x\"]\n"
	"\turl = https://github.com/acme/x\n";

static void client_tracking_refs_exactly(void **state)
{
	struct fx *fx = *state;
	struct emb_remote_refs r = EMB_REMOTE_REFS_INIT;

	assert_int_equal(emb_remote_refs_client(&r, cfg_of(fx, remotes_cfg),
						"acme",
						"git@github.com:acme/tool.git"),
			 0);
	assert_true(emb_remote_refs_shows(&r, "refs/remotes/acme/main", false));
	assert_true(
		emb_remote_refs_shows(&r, "refs/remotes/acme/fix/a", false));
	/* the private remote's refs are not the public one's */
	assert_false(emb_remote_refs_shows(
		&r, "refs/remotes/acme/security/main", false));
	/* nor those of a remote with no fetch refspec, by its name */
	assert_false(
		emb_remote_refs_shows(&r, "refs/remotes/acme/x/main", false));
	assert_false(emb_remote_refs_shows(&r, "refs/remotes/acme-other/main",
					   false));
	assert_false(emb_remote_refs_shows(&r, "refs/heads/main", false));
	/* what git read from the receiver is the receiver's */
	assert_true(emb_remote_refs_shows(&r, "refs/heads/main", true));
	emb_remote_refs_release(&r);

	/* near miss: the other remote is still itself */
	assert_int_equal(
		emb_remote_refs_client(&r, fx->cfg, "acme-other",
				       "https://github.com/acme/other"),
		0);
	assert_true(emb_remote_refs_shows(&r, "refs/remotes/acme-other/main",
					  false));
	assert_false(
		emb_remote_refs_shows(&r, "refs/remotes/acme/main", false));
	emb_remote_refs_release(&r);
}

static void client_tracking_refs_mirror(void **state)
{
	struct fx *fx = *state;
	struct emb_remote_refs r = EMB_REMOTE_REFS_INIT;

	/* git remote add --mirror=fetch: its refspec writes local branches,
	 * which local commits move too */
	assert_int_equal(
		emb_remote_refs_client(
			&r,
			cfg_of(fx, "[remote \"backup\"]\n"
				   "\turl = https://github.com/acme/tool\n"
				   "\tfetch = +refs/*:refs/*\n"
				   "\tmirror = true\n"),
			"backup", "https://github.com/acme/tool"),
		0);
	assert_false(emb_remote_refs_shows(&r, "refs/heads/main", false));
	assert_false(emb_remote_refs_shows(&r, "refs/tags/v1", false));
	assert_true(emb_remote_refs_shows(&r, "refs/remotes/x/main", false));
	emb_remote_refs_release(&r);
}

static void client_tracking_refs_other_url(void **state)
{
	struct fx *fx = *state;
	struct emb_remote_refs r = EMB_REMOTE_REFS_INIT;

	/* pushing elsewhere than the remote fetches from: the tracking
	 * refs describe the other repository */
	assert_int_equal(
		emb_remote_refs_client(&r, cfg_of(fx, remotes_cfg), "acme",
				       "https://github.com/acme/tool-fork"),
		0);
	assert_false(
		emb_remote_refs_shows(&r, "refs/remotes/acme/main", false));
	emb_remote_refs_release(&r);
	/* a push to a bare URL: none */
	assert_int_equal(emb_remote_refs_client(&r, fx->cfg,
						"https://github.com/acme/tool",
						"https://github.com/acme/tool"),
			 0);
	assert_false(
		emb_remote_refs_shows(&r, "refs/remotes/acme/main", false));
	emb_remote_refs_release(&r);
}

static void server_hidden_refs(void **state)
{
	struct fx *fx = *state;
	struct emb_remote_refs r = EMB_REMOTE_REFS_INIT;

	assert_int_equal(
		emb_remote_refs_server(
			&r,
			cfg_of(fx, "[transfer]\n\thideRefs = refs/embargo/\n"
				   "[uploadpack]\n\thideRefs = refs/pull\n"
				   "\thideRefs = !refs/pull/1\n"
				   "\thideRefs = ^refs/namespaces/x\n"),
			NULL),
		0);
	assert_true(emb_remote_refs_shows(&r, "refs/heads/main", false));
	assert_false(emb_remote_refs_shows(&r, "refs/embargo/fix", false));
	assert_false(emb_remote_refs_shows(&r, "refs/pull/2/head", false));
	/* a later '!' entry shows again */
	assert_true(emb_remote_refs_shows(&r, "refs/pull/1/head", false));
	/* a prefix counts only up to a '/' */
	assert_true(emb_remote_refs_shows(&r, "refs/pulls", false));
	assert_false(emb_remote_refs_shows(&r, "refs/namespaces/x/refs/heads/a",
					   false));
	assert_false(emb_remote_refs_shows(&r, "refs/embargo/fix", true));
	emb_remote_refs_release(&r);
}

static void server_namespace(void **state)
{
	struct fx *fx = *state;
	struct emb_remote_refs r = EMB_REMOTE_REFS_INIT;

	assert_int_equal(
		emb_remote_refs_server(
			&r,
			cfg_of(fx,
			       "[uploadpack]\n\thideRefs = refs/tmp\n"
			       "\thideRefs = "
			       "^refs/namespaces/a/refs/namespaces/b/refs/x\n"),
			"a//b/"),
		0);
	assert_true(emb_remote_refs_shows(
		&r, "refs/namespaces/a/refs/namespaces/b/refs/heads/main",
		false));
	/* another namespace, and the refs outside any, are not public */
	assert_false(emb_remote_refs_shows(
		&r, "refs/namespaces/c/refs/heads/main", false));
	assert_false(emb_remote_refs_shows(&r, "refs/heads/main", false));
	/* hideRefs see the name inside the namespace, or with '^' the
	 * full one */
	assert_false(emb_remote_refs_shows(
		&r, "refs/namespaces/a/refs/namespaces/b/refs/tmp/1", false));
	assert_false(emb_remote_refs_shows(&r, "refs/x/1", true));
	assert_true(emb_remote_refs_shows(&r, "refs/heads/main", true));
	emb_remote_refs_release(&r);
}

/* --- emb_remote_repo_is_public --- */

static void server_public_setting(void **state)
{
	struct fx *fx = *state;
	bool pub = false;

	assert_int_equal(emb_remote_repo_is_public(
				 &pub, cfg_of(fx, "[core]\n\tbare = true\n")),
			 0);
	assert_true(pub);
	assert_int_equal(
		emb_remote_repo_is_public(
			&pub, cfg_of(fx, "[embargo]\n\tpublic = false\n")),
		0);
	assert_false(pub);
	assert_int_equal(
		emb_remote_repo_is_public(
			&pub, cfg_of(fx, "[embargo]\n\tpublic = sometimes\n")),
		EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "embargo.public"));
}

int main(void)
{
	const struct CMUnitTest norm[] = {
		cmocka_unit_test(url_forms_of_one_repository),
		cmocka_unit_test(url_local_paths),
		cmocka_unit_test(url_dot_segments),
		cmocka_unit_test(url_other_forms),
		cmocka_unit_test(url_read_as_git_does),
	};
	const struct CMUnitTest match[] = {
		cmocka_unit_test(scp_pattern_matches_url_forms),
		cmocka_unit_test(url_pattern_matches_scp),
		cmocka_unit_test(exact_and_local_patterns),
	};
	const struct CMUnitTest priv[] = {
		cmocka_unit_test_setup_teardown(public_by_default, cfg_setup,
						cfg_teardown),
		cmocka_unit_test_setup_teardown(private_by_pattern, cfg_setup,
						cfg_teardown),
		cmocka_unit_test_setup_teardown(remote_setting_overrides,
						cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(marked_remote_public_pushurl,
						cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(marked_remote_same_pushurl,
						cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(several_pushurls, cfg_setup,
						cfg_teardown),
		cmocka_unit_test_setup_teardown(triangular_push_instead_of,
						cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(bad_remote_setting, cfg_setup,
						cfg_teardown),
	};
	const struct CMUnitTest refs[] = {
		cmocka_unit_test_setup_teardown(client_tracking_refs_exactly,
						cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(client_tracking_refs_mirror,
						cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(client_tracking_refs_other_url,
						cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(server_hidden_refs, cfg_setup,
						cfg_teardown),
		cmocka_unit_test_setup_teardown(server_namespace, cfg_setup,
						cfg_teardown),
	};
	const struct CMUnitTest pub[] = {
		cmocka_unit_test_setup_teardown(server_public_setting,
						cfg_setup, cfg_teardown),
	};
	int failed = 0;

	git_libgit2_init();
	failed += cmocka_run_group_tests_name("emb_remote_normalize", norm,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_remote_url_matches", match,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_remote_is_private", priv,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_remote_refs", refs, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_remote_repo_is_public", pub,
					      NULL, NULL);
	git_libgit2_shutdown();
	return failed ? 1 : 0;
}
