/*
 * test_report.c - the report's text for one place: what a pusher and an
 * auditor read, from text a repository's author wrote.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/finding.h"
#include "embargo/report.h"

/* A commit's place with `subject`, as emb_report_place() writes it. */
static char *place(const char *subject)
{
	struct emb_finding f;
	struct emb_buf b = EMB_BUF_INIT;

	memset(&f, 0, sizeof(f));
	f.kind = EMB_KIND_MESSAGE;
	f.has_commit = true;
	memset(f.commit.id, 0xab, sizeof(f.commit.id));
	f.subject = (char *)subject;
	f.line = 3;
	emb_report_place(&b, &f);
	return emb_buf_detach(&b);
}

static void test_place_subject(void **state)
{
	size_t n = 10 << 20;
	char *big = malloc(n + 1), *out;

	(void)state;
	out = place("Fix the parser");
	assert_string_equal(out, "commit abababa \"Fix the parser\": "
				 "message line 3");
	free(out);

	/* a 10 MiB subject: cut, saying so */
	memset(big, 'x', n);
	big[n] = '\0';
	out = place(big);
	assert_true(strlen(out) < 120);
	assert_non_null(strstr(out, "xxx...\": message line 3"));
	free(out);

	/* cut between characters, never inside one */
	for (size_t i = 0; i + 1 < 200; i += 2)
		memcpy(big + i, "\xc3\xa9", 2); /* é */
	big[200] = '\0';
	out = place(big);
	assert_non_null(strstr(out, "\xc3\xa9...\""));
	free(out);

	/* terminal escapes and new lines from the author are not passed on */
	out = place("a\033]0;title\007b\033[2Jc\rd");
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\007'));
	assert_null(strchr(out, '\r'));
	free(out);
	free(big);
}

/* A finding read back from its JSON is the finding: the audit renders
 * rows read back with the scan's own writers. */
static void test_from_json(void **state)
{
	struct emb_entry e, back_e;
	struct emb_finding f, back;
	json_t *o;

	(void)state;
	memset(&e, 0, sizeof(e));
	memset(&f, 0, sizeof(f));
	e.id = (char *)"CVE-2026-7";
	e.until = 4102444800; /* 2100-01-01 */
	f.entry = &e;
	f.kind = EMB_KIND_BINARY;
	f.has_commit = true;
	memset(f.commit.id, 0xab, sizeof(f.commit.id));
	f.match = (char *)"CVE-2026-7";
	f.subject = (char *)"Add the blob";
	f.path = (char *)"data/x.bin";
	f.offset = 77;
	o = emb_json_finding(&f, false);
	assert_int_equal(emb_finding_from_json(&back, &back_e, o), 0);
	assert_int_equal(back.kind, EMB_KIND_BINARY);
	assert_true(back.has_commit);
	assert_true(git_oid_equal(&back.commit, &f.commit));
	assert_string_equal(back.entry->id, "CVE-2026-7");
	assert_int_equal(back.entry->until, e.until);
	assert_int_equal(back.offset, 77);
	assert_string_equal(back.path, "data/x.bin");
	assert_string_equal(back.subject, "Add the blob");
	emb_finding_from_json_release(&back, &back_e);

	/* an unknown kind is refused, and leaves nothing to free */
	json_object_set_new(o, "kind", json_string("hologram"));
	assert_int_equal(emb_finding_from_json(&back, &back_e, o), EMB_ECONFIG);
	json_decref(o);
}

/* One SARIF result, whoever found the finding: a binary file's place
 * is the file and its byte offset. */
static void test_sarif_result(void **state)
{
	struct emb_entry e;
	struct emb_finding f;
	json_t *r, *phys;

	(void)state;
	memset(&e, 0, sizeof(e));
	memset(&f, 0, sizeof(f));
	e.id = (char *)"CVE-2026-7";
	e.until = EMB_TIME_NONE;
	f.entry = &e;
	f.kind = EMB_KIND_BINARY;
	f.has_commit = true;
	f.match = (char *)"CVE-2026-7";
	f.path = (char *)"data/x.bin";
	f.offset = 77;
	r = emb_report_sarif_result(&f, false, "note", " (allowed)",
				    json_object());
	assert_string_equal(json_string_value(json_object_get(r, "ruleId")),
			    EMB_REPORT_RULE_ID);
	assert_string_equal(json_string_value(json_object_get(r, "level")),
			    "note");
	assert_non_null(strstr(json_string_value(json_object_get(
				       json_object_get(r, "message"), "text")),
			       "until removed from the list) in commit "));
	assert_non_null(strstr(json_string_value(json_object_get(
				       json_object_get(r, "message"), "text")),
			       "offset 77) (allowed)"));
	phys = json_object_get(
		json_array_get(json_object_get(r, "locations"), 0),
		"physicalLocation");
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(phys, "artifactLocation"), "uri")),
		"data/x.bin");
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(phys, "region"), "byteOffset")),
		77);
	json_decref(r);
}

static void test_redact_text(void **state)
{
	const struct emb_redaction r[] = { { "CVE-2026-7", "sha256:aa" },
					   { "Bleed", "sha256:bb" },
					   { "", "never" } };
	char *out;

	(void)state;
	out = emb_redact_text("refs/heads/fix-CVE-2026-7-and-CVE-2026-7", r, 1);
	assert_string_equal(out, "refs/heads/fix-sha256:aa-and-sha256:aa");
	free(out);
	/* each redaction in turn; an empty text hides nothing */
	out = emb_redact_text("Bleed/CVE-2026-7.c", r, 3);
	assert_string_equal(out, "sha256:bb/sha256:aa.c");
	free(out);
	out = emb_redact_text("", r, 3);
	assert_string_equal(out, "");
	free(out);
}

int main(void)
{
	const struct CMUnitTest place_tests[] = {
		cmocka_unit_test(test_place_subject),
	};
	const struct CMUnitTest json_tests[] = {
		cmocka_unit_test(test_from_json),
	};
	const struct CMUnitTest sarif_tests[] = {
		cmocka_unit_test(test_sarif_result),
	};
	const struct CMUnitTest redact_tests[] = {
		cmocka_unit_test(test_redact_text),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("emb_report_place", place_tests,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_finding_from_json",
					      json_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_report_sarif_result",
					      sarif_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_redact_text", redact_tests,
					      NULL, NULL);
	return failed;
}
