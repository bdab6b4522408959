/*
 * test_audit_row.c - the audit's row model, decided from a row's fields
 * alone: where a finding is, what to do about a row, and why a
 * repository was not audited.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embargo/audit.h"
#include "embargo/buf.h"

#define COMMIT "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"

static char *place_of(const char *finding)
{
	json_error_t err;
	json_t *f = json_loads(finding, 0, &err);
	struct emb_buf b = EMB_BUF_INIT;

	assert_non_null(f);
	emb_audit_finding_place(&b, f);
	json_decref(f);
	return emb_buf_detach(&b);
}

static void expect_place(const char *finding, const char *want)
{
	char *got = place_of(finding);

	assert_string_equal(got, want);
	free(got);
}

static void test_place(void **state)
{
	(void)state;
	expect_place("{\"identifier\": \"CVE-2026-1\", \"kind\": \"message\", "
		     "\"commit\": \"" COMMIT "\", \"subject\": \"Fix it\", "
		     "\"line\": 3, \"match\": \"CVE-2026-1\"}",
		     "commit 1a2b3c4 \"Fix it\": message line 3");
	expect_place("{\"identifier\": \"CVE-2026-1\", \"kind\": \"line\", "
		     "\"commit\": \"" COMMIT "\", \"subject\": null, "
		     "\"path\": \"src/a.c\", \"line\": 12, "
		     "\"match\": \"CVE-2026-1\"}",
		     "commit 1a2b3c4: src/a.c:12 (added)");
	expect_place(
		"{\"identifier\": \"CVE-2026-1\", \"kind\": \"ref\", "
		"\"commit\": null, \"ref\": \"refs/heads/fix-CVE-2026-1\", "
		"\"match\": \"CVE-2026-1\"}",
		"ref refs/heads/fix-CVE-2026-1");
	expect_place("{\"identifier\": \"CVE-2026-1\", \"kind\": \"tag\", "
		     "\"commit\": \"" COMMIT "\", \"ref\": \"refs/tags/v1\", "
		     "\"line\": 3, \"match\": \"CVE-2026-1\"}",
		     "tag v1 message line 3");
	expect_place("{\"identifier\": \"CVE-2026-1\", \"kind\": \"author\", "
		     "\"commit\": \"" COMMIT "\", \"subject\": \"s\", "
		     "\"match\": \"CVE-2026-1\"}",
		     "commit 1a2b3c4 \"s\": author");
	/* the kinds the audit's own copy once left out: the scan's words */
	expect_place("{\"identifier\": \"CVE-2026-1\", \"kind\": \"binary\", "
		     "\"commit\": \"" COMMIT "\", \"subject\": null, "
		     "\"path\": \"a.bin\", \"line\": null, \"offset\": 4, "
		     "\"match\": \"CVE-2026-1\"}",
		     "commit 1a2b3c4: a.bin (added, binary file, offset 4)");
	expect_place("{\"identifier\": \"CVE-2026-1\", \"kind\": \"header\", "
		     "\"commit\": \"" COMMIT "\", \"ref\": \"refs/tags/v2\", "
		     "\"line\": 5, \"match\": \"CVE-2026-1\"}",
		     "tag v2 header line 5");
	/* a subject from the repository is cut and cleaned, as the scan
	 * does: an audit report is read in terminals too */
	expect_place("{\"identifier\": \"CVE-2026-1\", \"kind\": \"message\", "
		     "\"commit\": \"" COMMIT "\", \"subject\": "
		     "\"a\\u001b[2Jb\", \"line\": 1, \"match\": \"x\"}",
		     "commit 1a2b3c4 \"a [2Jb\": message line 1");
	/* a kind of a later version: the commit at least */
	expect_place("{\"identifier\": \"CVE-2026-1\", \"kind\": \"hologram\", "
		     "\"commit\": \"" COMMIT "\"}",
		     "commit 1a2b3c4");
}

static json_t *row(const char *text)
{
	json_error_t err;
	json_t *r = json_loads(text, 0, &err);

	assert_non_null(r);
	return r;
}

static char *fix_of(json_t *r)
{
	struct emb_buf b = EMB_BUF_INIT;

	emb_audit_row_fix(&b, r);
	json_decref(r);
	return b.ptr ? emb_buf_detach(&b) : strdup("");
}

static void test_row_fix(void **state)
{
	char *fix;

	(void)state;
	/* nothing to do about a clean row */
	fix = fix_of(
		row("{\"type\": \"repository\", \"repository\": \"a\", "
		    "\"public\": true, \"policy\": null, \"findings\": [], "
		    "\"error\": null}"));
	assert_string_equal(fix, "");
	free(fix);

	/* a private repository's findings are allowed */
	fix = fix_of(row("{\"type\": \"repository\", \"repository\": \"a\", "
			 "\"public\": false, \"policy\": null, \"findings\": "
			 "[{\"identifier\": \"CVE-2026-1\", \"kind\": "
			 "\"message\"}], \"error\": null}"));
	assert_non_null(strstr(fix, "Private repository: allowed"));
	free(fix);

	/* a public one's only on a pull-request ref: the forge must act */
	fix = fix_of(row("{\"type\": \"repository\", \"repository\": \"a\", "
			 "\"public\": true, \"policy\": null, \"findings\": "
			 "[{\"identifier\": \"CVE-2026-1\", \"kind\": "
			 "\"message\", \"forge_only\": true}], "
			 "\"error\": null}"));
	assert_non_null(strstr(fix, "Remove the references"));
	assert_non_null(strstr(fix, "1 finding is only in pull-request"));
	free(fix);

	/* suppressed findings count for nothing */
	fix = fix_of(row("{\"type\": \"repository\", \"repository\": \"a\", "
			 "\"public\": true, \"policy\": null, \"findings\": "
			 "[{\"identifier\": \"CVE-2026-1\", \"kind\": "
			 "\"message\", \"suppressed\": true}], "
			 "\"error\": null}"));
	assert_string_equal(fix, "");
	free(fix);

	/* not audited: what to do about the reason */
	fix = fix_of(
		row("{\"type\": \"repository\", \"repository\": \"a\", "
		    "\"public\": true, \"policy\": null, \"findings\": [], "
		    "\"error\": \"the repository is shallow\"}"));
	assert_non_null(strstr(fix, "--unshallow"));
	free(fix);
}

static void test_error_fix(void **state)
{
	(void)state;
	assert_non_null(
		strstr(emb_audit_error_fix("cannot clone 'x'"), "credentials"));
	assert_non_null(strstr(emb_audit_error_fix("not a git repository: "
						   "'x'"),
			       "Fix the path"));
	/* anything else: the general advice, never nothing */
	assert_non_null(
		strstr(emb_audit_error_fix("something new"), "git fsck"));
	assert_non_null(emb_audit_error_fix(NULL));
}

int main(void)
{
	const struct CMUnitTest place[] = { cmocka_unit_test(test_place) };
	const struct CMUnitTest fix[] = { cmocka_unit_test(test_row_fix) };
	const struct CMUnitTest error_fix[] = { cmocka_unit_test(
		test_error_fix) };
	int failed = 0;

	failed += cmocka_run_group_tests_name("emb_audit_finding_place", place,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_audit_row_fix", fix, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_audit_error_fix", error_fix,
					      NULL, NULL);
	return failed;
}
