/*
 * test_config.c - every embargo.* setting read in one place: the
 * defaults, the values, and the one message each bad value gets, from
 * real config files read by libgit2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/config.h"
#include "embargo/error.h"

static char *dir;
static git_config *cfg;

static int setup(void **state)
{
	(void)state;
	th_env();
	git_libgit2_init();
	dir = th_mkdtemp();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	git_config_free(cfg);
	cfg = NULL;
	th_rmrf(dir);
	free(dir);
	dir = NULL;
	git_libgit2_shutdown();
	return 0;
}

/* A config snapshot of `text`, freed by the next call or teardown. */
static git_config *cfg_of(const char *text)
{
	git_config *live = NULL;
	char path[4096];

	git_config_free(cfg);
	cfg = NULL;
	th_write(dir, "config", text);
	snprintf(path, sizeof(path), "%s/config", dir);
	assert_int_equal(git_config_open_ondisk(&live, path), 0);
	assert_int_equal(git_config_snapshot(&cfg, live), 0);
	git_config_free(live);
	return cfg;
}

static void load_fails(const char *text, const char *message)
{
	struct emb_config c;

	assert_int_equal(emb_config_load(&c, cfg_of(text)), EMB_ECONFIG);
	assert_string_equal(emb_error_last(), message);
	emb_config_release(&c);
}

/* --- emb_config_load --- */

static void test_defaults(void **state)
{
	struct emb_config c;

	(void)state;
	assert_int_equal(emb_config_load(&c, NULL), 0);
	assert_int_equal(c.max_blob_size, EMB_CONFIG_DEFAULT_MAX_BLOB);
	assert_int_equal(c.max_blob_size, 8 * 1024 * 1024);
	assert_int_equal(c.timeout_ms, EMB_CONFIG_DEFAULT_TIMEOUT_MS);
	assert_false(c.timeout_set);
	assert_int_equal(c.public_repo, EMB_PUBLIC_UNSET);
	assert_int_equal(c.policy_max_age, 365);
	emb_config_release(&c);

	/* an empty file is the same as none */
	assert_int_equal(emb_config_load(&c, cfg_of("[core]\n")), 0);
	assert_int_equal(c.max_blob_size, EMB_CONFIG_DEFAULT_MAX_BLOB);
	assert_false(c.timeout_set);
	assert_int_equal(c.public_repo, EMB_PUBLIC_UNSET);
	emb_config_release(&c);
}

static void test_values(void **state)
{
	struct emb_config c;

	(void)state;
	assert_int_equal(
		emb_config_load(&c, cfg_of("[embargo]\n"
					   "\tmaxBlobSize = 64k\n"
					   "\ttimeout = 0\n"
					   "\tpublic = false\n"
					   "\trequirePolicy = yes\n"
					   "[embargo \"policy\"]\n"
					   "\tmaxAge = 30\n"
					   "\tdomain = acme.io\n"
					   "\tdomain = acme.org\n"
					   "\tdefunct = old.acme.io\n"
					   "\ttemplate = /srv/template.md\n")),
		0);
	assert_int_equal(c.max_blob_size, 64 * 1024);
	assert_true(c.timeout_set);
	assert_int_equal(c.timeout_ms, 0);
	assert_int_equal(c.public_repo, EMB_PUBLIC_NO);
	assert_int_equal(c.policy_max_age, 30);
	assert_int_equal(c.n_policy_domains, 2);
	assert_string_equal(c.policy_domains[1], "acme.org");
	assert_int_equal(c.n_policy_defunct, 1);
	assert_string_equal(c.policy_template, "/srv/template.md");
	assert_null(c.policy_org_default);
	emb_config_release(&c);

	assert_int_equal(emb_config_load(&c, cfg_of("[embargo]\n"
						    "\ttimeout = 2\n"
						    "\tpublic = true\n")),
			 0);
	assert_true(c.timeout_set);
	assert_int_equal(c.timeout_ms, 2000);
	assert_int_equal(c.public_repo, EMB_PUBLIC_YES);
	emb_config_release(&c);
}

static void test_bad_values(void **state)
{
	(void)state;
	load_fails("[embargo]\n\tmaxBlobSize = 0\n",
		   "bad embargo.maxBlobSize 0: must be positive");
	load_fails("[embargo]\n\ttimeout = -1\n",
		   "bad embargo.timeout -1: seconds, 0 for none");
	load_fails("[embargo]\n\tfixThreshold = 101\n",
		   "bad embargo.fixThreshold 101: a percent from 1 to 100");
	load_fails("[embargo \"policy\"]\n\tmaxAge = 0\n",
		   "bad embargo.policy.maxAge 0: days, more than 0");
}

/* --- emb_config_require_policy --- */

static void test_require_policy(void **state)
{
	bool on = true;

	(void)state;
	assert_int_equal(emb_config_require_policy(&on, NULL), 0);
	assert_false(on);
	assert_int_equal(emb_config_require_policy(
				 &on, cfg_of("[embargo]\n"
					     "\trequirePolicy = yes\n")),
			 0);
	assert_true(on);
	assert_int_equal(emb_config_require_policy(
				 &on, cfg_of("[embargo]\n"
					     "\trequirePolicy = perhaps\n")),
			 EMB_ECONFIG);
	assert_string_equal(emb_error_last(),
			    "bad embargo.requirePolicy: failed to parse "
			    "'perhaps' as a boolean value");
	/* not part of the settings every command loads */
	{
		struct emb_config c;

		assert_int_equal(emb_config_load(&c, cfg), 0);
		emb_config_release(&c);
	}
}

/* --- emb_config_public --- */

static void test_public(void **state)
{
	enum emb_config_public v;

	(void)state;
	assert_int_equal(emb_config_public(&v, NULL), 0);
	assert_int_equal(v, EMB_PUBLIC_UNSET);
	assert_int_equal(emb_config_public(&v, cfg_of("[embargo]\n"
						      "\tpublic = off\n")),
			 0);
	assert_int_equal(v, EMB_PUBLIC_NO);
	/* read alone: another bad setting does not hide it */
	assert_int_equal(emb_config_public(&v, cfg_of("[embargo]\n"
						      "\tmaxBlobSize = -1\n"
						      "\tpublic = on\n")),
			 0);
	assert_int_equal(v, EMB_PUBLIC_YES);
	assert_int_equal(emb_config_public(&v, cfg_of("[embargo]\n"
						      "\tpublic = maybe\n")),
			 EMB_ECONFIG);
	assert_non_null(strstr(emb_error_last(), "bad embargo.public"));
}

int main(void)
{
	const struct CMUnitTest load[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bad_values),
	};
	const struct CMUnitTest req[] = {
		cmocka_unit_test(test_require_policy),
	};
	const struct CMUnitTest pub[] = {
		cmocka_unit_test(test_public),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("emb_config_load", load, setup,
					      teardown);
	failed += cmocka_run_group_tests_name("emb_config_require_policy", req,
					      setup, teardown);
	failed += cmocka_run_group_tests_name("emb_config_public", pub, setup,
					      teardown);
	return failed;
}
