/*
 * test_repo.c - reading git's C-quoted strings, as in the quarantine's
 * GIT_ALTERNATE_OBJECT_DIRECTORIES (git's unquote_c_style()).
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/repo.h"

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
	const struct CMUnitTest unquote[] = {
		cmocka_unit_test(quoted_paths),
		cmocka_unit_test(bad_quoting),
	};

	return cmocka_run_group_tests_name("emb_repo_unquote_c", unquote, NULL,
					   NULL) ?
		       1 :
		       0;
}
