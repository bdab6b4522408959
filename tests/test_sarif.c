/*
 * test_sarif.c - the one SARIF writer: the log and its runs, the rule
 * table, locations, fingerprints, and the streamed log of the audit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embargo/sarif.h"
#include "embargo/version.h"

static const char *str_at(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_is_array(o) ? json_array_get(o, (size_t)atoi(key)) :
				       json_object_get(o, key);
		path = dot + 1;
	}
	return json_string_value(json_is_array(o) ?
					 json_array_get(o, (size_t)atoi(path)) :
					 json_object_get(o, path));
}

static void test_log_and_run(void **state)
{
	json_t *log = emb_sarif_log(), *run = emb_sarif_run_new(NULL);

	(void)state;
	assert_string_equal(str_at(log, "version"), "2.1.0");
	assert_int_equal(json_array_size(json_object_get(log, "runs")), 0);
	/* the tool's version is the program's, whatever the command */
	assert_string_equal(str_at(run, "tool.driver.name"), "git-embargo");
	assert_string_equal(str_at(run, "tool.driver.version"), EMB_VERSION);
	assert_null(str_at(run, "tool.driver.informationUri"));
	assert_int_equal(json_array_size(json_object_get(run, "results")), 0);
	emb_sarif_run_set_id(run, "acme/widget");
	assert_string_equal(str_at(run, "automationDetails.id"), "acme/widget");
	emb_sarif_log_add_run(log, run);
	assert_int_equal(json_array_size(json_object_get(log, "runs")), 1);
	json_decref(log);

	run = emb_sarif_run_new("https://example.org/doc");
	assert_string_equal(str_at(run, "tool.driver.informationUri"),
			    "https://example.org/doc");
	json_decref(run);
}

static void test_rules(void **state)
{
	static const struct emb_sarif_rule full = {
		.id = "r/one",
		.name = "RuleOne",
		.short_text = "short",
		.full_text = "full",
		.help_text = "help",
		.help_markdown = "*help*",
		.level = "error",
	};
	struct emb_sarif_rule bare = { .id = "r/two" };
	json_t *run = emb_sarif_run_new(NULL), *rules, *r;

	(void)state;
	emb_sarif_run_add_rule(run, &full);
	emb_sarif_run_add_rule(run, &bare);
	/* one rule per id, however many results use it */
	emb_sarif_run_add_rule(run, &full);
	emb_sarif_run_add_rule(run, &bare);
	rules = json_object_get(
		json_object_get(json_object_get(run, "tool"), "driver"),
		"rules");
	assert_int_equal(json_array_size(rules), 2);
	r = json_array_get(rules, 0);
	assert_string_equal(str_at(r, "id"), "r/one");
	assert_string_equal(str_at(r, "name"), "RuleOne");
	assert_string_equal(str_at(r, "shortDescription.text"), "short");
	assert_string_equal(str_at(r, "fullDescription.text"), "full");
	assert_string_equal(str_at(r, "help.text"), "help");
	assert_string_equal(str_at(r, "help.markdown"), "*help*");
	assert_string_equal(str_at(r, "defaultConfiguration.level"), "error");
	assert_string_equal(str_at(r, "properties.tags.0"), "security");
	/* a rule this version does not know: its id is its name */
	r = json_array_get(rules, 1);
	assert_string_equal(str_at(r, "name"), "r/two");
	assert_int_equal(json_object_size(r), 2);
	json_decref(run);
}

static void test_location(void **state)
{
	json_t *l;

	(void)state;
	l = emb_sarif_location("a.c", 12, -1);
	assert_string_equal(str_at(l, "physicalLocation.artifactLocation.uri"),
			    "a.c");
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(l, "physicalLocation"),
					"region"),
			"startLine")),
		12);
	emb_sarif_location_logical(l, "abc123", "commit");
	assert_string_equal(str_at(l, "logicalLocations.0.kind"), "commit");
	json_decref(l);

	l = emb_sarif_location("bin.dat", 0, 0);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(l, "physicalLocation"),
					"region"),
			"byteOffset")),
		0);
	json_decref(l);

	/* neither: no region at all */
	l = emb_sarif_location(".git/refs/heads/x", 0, -1);
	assert_null(json_object_get(json_object_get(l, "physicalLocation"),
				    "region"));
	json_decref(l);
}

static void test_result(void **state)
{
	json_t *r;

	(void)state;
	r = emb_sarif_result("r/one", "warning", "what is wrong",
			     emb_sarif_location("a.c", 1, -1), "k/v1", "abc");
	assert_string_equal(str_at(r, "ruleId"), "r/one");
	assert_string_equal(str_at(r, "level"), "warning");
	assert_string_equal(str_at(r, "message.text"), "what is wrong");
	assert_string_equal(
		str_at(r, "locations.0.physicalLocation.artifactLocation.uri"),
		"a.c");
	/* the fingerprint is the SHA-256 of the text: FIPS 180-2's "abc" */
	assert_string_equal(str_at(r, "partialFingerprints.k/v1"),
			    "ba7816bf8f01cfea414140de5dae2223"
			    "b00361a396177a9cb410ff61f20015ad");
	json_decref(r);

	r = emb_sarif_result("r/one", "note", "m",
			     emb_sarif_location("a.c", 0, -1), NULL, NULL);
	assert_null(json_object_get(r, "partialFingerprints"));
	json_decref(r);
}

/* The streamed log parses as one log with every run, or none. */
static void test_stream(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_t *run = emb_sarif_run_new(NULL), *log;
	json_error_t err;

	(void)state;
	assert_int_equal(emb_sarif_stream_run(f, run, true), 0);
	assert_int_equal(emb_sarif_stream_run(f, run, false), 0);
	assert_int_equal(emb_sarif_stream_end(f, true), 0);
	fclose(f);
	log = json_loads(text, 0, &err);
	assert_non_null(log);
	assert_string_equal(str_at(log, "version"), "2.1.0");
	assert_int_equal(json_array_size(json_object_get(log, "runs")), 2);
	/* one run a line: a reader can take the log apart with grep */
	assert_non_null(strstr(text, "[\n{\"tool\""));
	assert_non_null(strstr(text, "},\n{\"tool\""));
	json_decref(log);
	free(text);

	f = open_memstream(&text, &len);
	assert_int_equal(emb_sarif_stream_end(f, false), 0);
	fclose(f);
	log = json_loads(text, 0, &err);
	assert_non_null(log);
	assert_int_equal(json_array_size(json_object_get(log, "runs")), 0);
	json_decref(log);
	free(text);
	json_decref(run);
}

int main(void)
{
	const struct CMUnitTest log_tests[] = {
		cmocka_unit_test(test_log_and_run),
		cmocka_unit_test(test_stream),
	};
	const struct CMUnitTest rule_tests[] = {
		cmocka_unit_test(test_rules),
	};
	const struct CMUnitTest result_tests[] = {
		cmocka_unit_test(test_location),
		cmocka_unit_test(test_result),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("emb_sarif_log", log_tests, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_sarif_run_add_rule",
					      rule_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_sarif_result", result_tests,
					      NULL, NULL);
	return failed;
}
