/*
 * test_refupdate.c - parsing the input of pre-push, pre-receive and
 * update hooks.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/error.h"
#include "embargo/refupdate.h"

#define A40 "1111111111111111111111111111111111111111"
#define B40 "2222222222222222222222222222222222222222"
#define Z40 "0000000000000000000000000000000000000000"
#define Z64 Z40 "000000000000000000000000"
#define B64 B40 "222222222222222222222222"

static int parse(struct emb_refupdate *u, enum emb_refupdate_format f,
		 const char *line)
{
	return emb_refupdate_parse(u, f, line, strlen(line));
}

/* --- emb_refupdate_parse_oid --- */

static void oid_sha1(void **state)
{
	git_oid o;
	bool zero = true;
	char hex[GIT_OID_HEXSZ + 1];

	assert_int_equal(emb_refupdate_parse_oid(&o, &zero, A40, 40), 0);
	assert_false(zero);
	assert_string_equal(git_oid_tostr(hex, sizeof(hex), &o), A40);
	/* upper case is accepted */
	assert_int_equal(emb_refupdate_parse_oid(
				 &o, &zero,
				 "ABCDEF1111111111111111111111111111111111",
				 40),
			 0);
	assert_false(zero);
}

static void oid_zeros_both_lengths(void **state)
{
	git_oid o;
	bool zero = false;

	assert_int_equal(emb_refupdate_parse_oid(&o, &zero, Z40, 40), 0);
	assert_true(zero);
	zero = false;
	assert_int_equal(emb_refupdate_parse_oid(&o, &zero, Z64, 64), 0);
	assert_true(zero);
}

static void oid_bad(void **state)
{
	git_oid o;
	bool zero;

	assert_int_equal(emb_refupdate_parse_oid(&o, &zero, A40, 39),
			 EMB_EUSAGE);
	assert_int_equal(emb_refupdate_parse_oid(
				 &o, &zero,
				 "g111111111111111111111111111111111111111",
				 40),
			 EMB_EUSAGE);
	/* a real SHA-256 id: libgit2 1.5 cannot read it, so refused */
	assert_int_equal(emb_refupdate_parse_oid(&o, &zero, B64, 64),
			 EMB_EUSAGE);
	assert_int_equal(emb_refupdate_parse_oid(&o, &zero, "", 0), EMB_EUSAGE);
}

/* --- emb_refupdate_parse --- */

static void push_update(void **state)
{
	struct emb_refupdate u;
	char hex[GIT_OID_HEXSZ + 1];

	assert_int_equal(parse(&u, EMB_REFUPDATE_PRE_PUSH,
			       "refs/heads/main " A40 " refs/heads/main " B40),
			 0);
	assert_string_equal(u.src, "refs/heads/main");
	assert_string_equal(u.ref, "refs/heads/main");
	assert_true(u.has_new);
	assert_true(u.has_old);
	assert_string_equal(git_oid_tostr(hex, sizeof(hex), &u.new_id), A40);
	assert_string_equal(git_oid_tostr(hex, sizeof(hex), &u.old_id), B40);
	emb_refupdate_release(&u);
}

static void push_new_branch(void **state)
{
	struct emb_refupdate u;

	assert_int_equal(parse(&u, EMB_REFUPDATE_PRE_PUSH,
			       "HEAD " A40 " refs/heads/fix/CVE-2026-1 " Z40),
			 0);
	assert_true(u.has_new);
	assert_false(u.has_old);
	assert_string_equal(u.ref, "refs/heads/fix/CVE-2026-1");
	emb_refupdate_release(&u);
	/* the 64-zero form of a SHA-256 aware git */
	assert_int_equal(parse(&u, EMB_REFUPDATE_PRE_PUSH,
			       "HEAD " A40 " refs/heads/x " Z64),
			 0);
	assert_false(u.has_old);
	emb_refupdate_release(&u);
}

static void push_delete(void **state)
{
	struct emb_refupdate u;

	assert_int_equal(parse(&u, EMB_REFUPDATE_PRE_PUSH,
			       "(delete) " Z40 " refs/heads/old " B40 "\r"),
			 0);
	assert_false(u.has_new);
	assert_true(u.has_old);
	assert_string_equal(u.src, "(delete)");
	emb_refupdate_release(&u);
}

static void push_bad(void **state)
{
	struct emb_refupdate u;

	assert_int_equal(parse(&u, EMB_REFUPDATE_PRE_PUSH,
			       "refs/heads/main " A40 " refs/heads/main"),
			 EMB_EUSAGE);
	assert_non_null(strstr(emb_error_last(), "expected"));
	assert_int_equal(parse(&u, EMB_REFUPDATE_PRE_PUSH,
			       "refs/heads/main  " A40 " r " B40),
			 EMB_EUSAGE);
	assert_int_equal(
		parse(&u, EMB_REFUPDATE_PRE_PUSH, "a " A40 " b " B40 " extra"),
		EMB_EUSAGE);
	assert_int_equal(parse(&u, EMB_REFUPDATE_PRE_PUSH, "a " A40 " b 1234"),
			 EMB_EUSAGE);
	assert_non_null(strstr(emb_error_last(), "remote object '1234'"));
	assert_int_equal(parse(&u, EMB_REFUPDATE_PRE_PUSH, "a " B64 " b " Z64),
			 EMB_EUSAGE);
	assert_non_null(strstr(emb_error_last(), "SHA-256"));
}

static void receive_lines(void **state)
{
	struct emb_refupdate u;

	assert_int_equal(
		parse(&u, EMB_REFUPDATE_RECEIVE, Z40 " " A40 " refs/heads/new"),
		0);
	assert_null(u.src);
	assert_false(u.has_old);
	assert_true(u.has_new);
	assert_string_equal(u.ref, "refs/heads/new");
	emb_refupdate_release(&u);

	assert_int_equal(
		parse(&u, EMB_REFUPDATE_RECEIVE, B40 " " Z40 " refs/tags/v1"),
		0);
	assert_true(u.has_old);
	assert_false(u.has_new);
	emb_refupdate_release(&u);

	assert_int_equal(parse(&u, EMB_REFUPDATE_RECEIVE, A40 " " B40),
			 EMB_EUSAGE);
	assert_int_equal(parse(&u, EMB_REFUPDATE_RECEIVE, ""), EMB_EUSAGE);
}

/* --- emb_refupdates_parse --- */

static void every_line_is_read(void **state)
{
	const char *text = "refs/heads/a " A40 " refs/heads/a " Z40 "\n"
			   "\n"
			   "refs/heads/b " B40 " refs/heads/b " A40 "\n"
			   "(delete) " Z40 " refs/heads/c " B40; /* no \n */
	struct emb_refupdates l = EMB_REFUPDATES_INIT;

	assert_int_equal(emb_refupdates_parse(&l, EMB_REFUPDATE_PRE_PUSH, text,
					      strlen(text)),
			 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].ref, "refs/heads/a");
	assert_string_equal(l.v[1].ref, "refs/heads/b");
	assert_string_equal(l.v[2].ref, "refs/heads/c");
	assert_false(l.v[2].has_new);
	emb_refupdates_release(&l);
}

static void bad_line_is_named(void **state)
{
	const char *text = Z40 " " A40 " refs/heads/a\n"
			       "garbage\n";
	struct emb_refupdates l = EMB_REFUPDATES_INIT;

	assert_int_equal(emb_refupdates_parse(&l, EMB_REFUPDATE_RECEIVE, text,
					      strlen(text)),
			 EMB_EUSAGE);
	assert_non_null(strstr(emb_error_last(), "line 2"));
	emb_refupdates_release(&l);
}

static void empty_input(void **state)
{
	struct emb_refupdates l = EMB_REFUPDATES_INIT;

	assert_int_equal(emb_refupdates_parse(&l, EMB_REFUPDATE_RECEIVE, "", 0),
			 0);
	assert_int_equal(l.n, 0);
	emb_refupdates_release(&l);
}

/* --- emb_refupdate_from_args --- */

static void update_args(void **state)
{
	struct emb_refupdate u;

	assert_int_equal(emb_refupdate_from_args(&u, "refs/heads/x", Z40, A40),
			 0);
	assert_false(u.has_old);
	assert_true(u.has_new);
	emb_refupdate_release(&u);
	assert_int_equal(emb_refupdate_from_args(&u, "", Z40, A40), EMB_EUSAGE);
	assert_int_equal(emb_refupdate_from_args(&u, "refs/heads/x", "x", A40),
			 EMB_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest oid[] = {
		cmocka_unit_test(oid_sha1),
		cmocka_unit_test(oid_zeros_both_lengths),
		cmocka_unit_test(oid_bad),
	};
	const struct CMUnitTest line[] = {
		cmocka_unit_test(push_update),
		cmocka_unit_test(push_new_branch),
		cmocka_unit_test(push_delete),
		cmocka_unit_test(push_bad),
		cmocka_unit_test(receive_lines),
	};
	const struct CMUnitTest lines[] = {
		cmocka_unit_test(every_line_is_read),
		cmocka_unit_test(bad_line_is_named),
		cmocka_unit_test(empty_input),
	};
	const struct CMUnitTest args[] = {
		cmocka_unit_test(update_args),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("emb_refupdate_parse_oid", oid,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_refupdate_parse", line, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_refupdates_parse", lines,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_refupdate_from_args", args,
					      NULL, NULL);
	return failed ? 1 : 0;
}
