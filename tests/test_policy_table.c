/*
 * test_policy_table.c - the policy rule table: one row per rule, each
 * complete, found by its id, and the same rules and severities as the
 * table of docs/policy.md that users read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embargo/policy.h"

static void test_rows(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < EMB_POLICY_RULES; i++) {
		const struct emb_policy_rule_info *r = emb_policy_rule(i);

		assert_non_null(r);
		assert_non_null(r->id);
		assert_non_null(r->title);
		/* a SARIF name is one CamelCase word */
		assert_non_null(r->sarif_name);
		assert_true(strncmp(r->sarif_name, "Policy", 6) == 0);
		assert_null(strchr(r->sarif_name, ' '));
		assert_true(emb_policy_rule_find(r->id) == r);
		for (j = 0; j < i; j++)
			assert_string_not_equal(emb_policy_rule(j)->id, r->id);
	}
	assert_null(emb_policy_rule(EMB_POLICY_RULES));
	assert_null(emb_policy_rule_find("no-such-rule"));
	assert_null(emb_policy_rule_find(NULL));
	assert_string_equal(emb_policy_rule(EMB_RULE_MISSING)->id, "missing");
	assert_int_equal(emb_policy_rule(EMB_RULE_EXPIRED)->severity,
			 EMB_SEV_ERROR);
	/* advice is what the HTML page shows: present where it says more
	 * than the message */
	assert_non_null(emb_policy_rule(EMB_RULE_NO_CONTACT)->advice);
}

/* docs/policy.md's table: "| `id` | severity ..." for every rule, the
 * table's severity named first, and no rule the table lacks. */
static void test_documented(void **state)
{
	FILE *f = fopen(TH_DATA_DIR "/../../docs/policy.md", "r");
	char *line = NULL;
	size_t cap = 0, documented = 0, i;
	bool seen[EMB_POLICY_RULES] = { false };

	(void)state;
	assert_non_null(f);
	while (getline(&line, &cap, f) > 0) {
		char id[64], sev[16];
		const struct emb_policy_rule_info *r;

		if (sscanf(line, "| `%63[a-z-]` | %15[a-z] ", id, sev) != 2)
			continue;
		r = emb_policy_rule_find(id);
		if (!r)
			fail_msg("docs/policy.md has rule '%s', the table not",
				 id);
		assert_string_equal(emb_severity_name(r->severity), sev);
		seen[r - emb_policy_rule(0)] = true;
		documented++;
	}
	free(line);
	fclose(f);
	for (i = 0; i < EMB_POLICY_RULES; i++)
		if (!seen[i])
			fail_msg("rule '%s' is not in docs/policy.md",
				 emb_policy_rule(i)->id);
	assert_int_equal(documented, EMB_POLICY_RULES);
}

int main(void)
{
	const struct CMUnitTest table_tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_documented),
	};

	return cmocka_run_group_tests_name("emb_policy_rule", table_tests, NULL,
					   NULL);
}
