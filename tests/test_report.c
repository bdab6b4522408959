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

int main(void)
{
	const struct CMUnitTest place_tests[] = {
		cmocka_unit_test(test_place_subject),
	};

	return cmocka_run_group_tests_name("emb_report_place", place_tests,
					   NULL, NULL);
}
