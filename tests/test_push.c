/*
 * test_push.c - when the check of a push gives up: the server's shared
 * budget, the developer's own push, and the test override.  The
 * deadline is a pure function of its inputs; no clock is raced.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/push.h"

static void conf_init(struct emb_config *c)
{
	assert_int_equal(emb_config_load(c, NULL), 0);
}

/* --- emb_push_deadline --- */

static void server_always_has_a_limit(void **state)
{
	struct emb_config c;

	(void)state;
	conf_init(&c);
	assert_int_equal(emb_push_deadline(1000, EMB_PUSH_SERVER, &c, NULL),
			 1000 + EMB_CONFIG_DEFAULT_TIMEOUT_MS);
	c.timeout_set = true;
	c.timeout_ms = 2000;
	assert_int_equal(emb_push_deadline(1000, EMB_PUSH_SERVER, &c, NULL),
			 3000);
	/* embargo.timeout = 0: no limit, even on a server */
	c.timeout_ms = 0;
	assert_int_equal(emb_push_deadline(1000, EMB_PUSH_SERVER, &c, NULL), 0);
	emb_config_release(&c);
}

static void client_only_when_configured(void **state)
{
	struct emb_config c;

	(void)state;
	conf_init(&c);
	assert_int_equal(emb_push_deadline(1000, EMB_PUSH_CLIENT, &c, NULL), 0);
	c.timeout_set = true;
	assert_int_equal(emb_push_deadline(1000, EMB_PUSH_CLIENT, &c, NULL),
			 1000 + EMB_CONFIG_DEFAULT_TIMEOUT_MS);
	emb_config_release(&c);
}

static void test_override_comes_first(void **state)
{
	struct emb_config c;

	(void)state;
	conf_init(&c);
	assert_int_equal(emb_push_deadline(1000, EMB_PUSH_CLIENT, &c, "250"),
			 1250);
	assert_int_equal(emb_push_deadline(1000, EMB_PUSH_SERVER, &c, "0"), 0);
	/* already past whatever the clock says */
	assert_int_equal(
		emb_push_deadline(1000, EMB_PUSH_SERVER, &c, "expired"), 1);
	assert_int_equal(
		emb_push_deadline(1000, EMB_PUSH_CLIENT, &c, "expired"), 1);
	/* empty is unset */
	assert_int_equal(emb_push_deadline(1000, EMB_PUSH_SERVER, &c, ""),
			 1000 + EMB_CONFIG_DEFAULT_TIMEOUT_MS);
	emb_config_release(&c);
}

int main(void)
{
	const struct CMUnitTest deadline[] = {
		cmocka_unit_test(server_always_has_a_limit),
		cmocka_unit_test(client_only_when_configured),
		cmocka_unit_test(test_override_comes_first),
	};

	return cmocka_run_group_tests_name("emb_push_deadline", deadline, NULL,
					   NULL);
}
