/*
 * test_blobtext.c - how a file is read: text as it is, UTF-16/UTF-32
 * decoded (with a byte-order mark or told by its NULs), binaries by
 * their printable runs, placed by offset; near misses stay binary.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "embargo/blobtext.h"

static void read_as(struct emb_blobtext *t, const char *data, size_t len,
		    enum emb_blob_form form)
{
	emb_blobtext_read(t, data, len);
	assert_int_equal(t->form, form);
}

static void test_forms(void **state)
{
	static const char le16[] = "\xff\xfe"
				   "a\0\n\0S\0\xe9\0C\0";
	static const char be16[] = "\0a\0\n\0S\0E\0C";
	static const char le32[] = "\xff\xfe\0\0"
				   "h\0\0\0"
				   "i\0\0\0";
	static const char pair[] = "\xff\xfe"
				   "=\xd8\0\xde"
				   "x\0";
	static const char lone[] = "\xff\xfe"
				   "=\xd8x\0"
				   "y\0";
	struct emb_blobtext t;

	(void)state;
	read_as(&t, "plain\n", 6, EMB_BLOB_TEXT);
	assert_int_equal(t.len, 6);
	assert_int_equal(t.runs_len, 0);
	emb_blobtext_release(&t);

	read_as(&t, le16, sizeof(le16) - 1, EMB_BLOB_UTF16);
	assert_string_equal(t.text, "a\nS\xc3\xa9"
				    "C");
	emb_blobtext_release(&t);
	read_as(&t, be16, sizeof(be16) - 1, EMB_BLOB_UTF16); /* no mark */
	assert_string_equal(t.text, "a\nSEC");
	emb_blobtext_release(&t);
	read_as(&t, le32, sizeof(le32) - 1, EMB_BLOB_UTF16);
	assert_string_equal(t.text, "hi");
	emb_blobtext_release(&t);
	read_as(&t, pair, sizeof(pair) - 1, EMB_BLOB_UTF16); /* U+1F600 */
	assert_string_equal(t.text, "\xf0\x9f\x98\x80x");
	emb_blobtext_release(&t);

	/* no such text: an unpaired surrogate, a control code, U+0000 */
	read_as(&t, lone, sizeof(lone) - 1, EMB_BLOB_BINARY);
	emb_blobtext_release(&t);
	read_as(&t, "\xff\xfe\x01\0a\0", 6, EMB_BLOB_BINARY);
	emb_blobtext_release(&t);
	read_as(&t, "a\0\0\0b\0", 6, EMB_BLOB_BINARY);
	emb_blobtext_release(&t);
	/* a mark without a NUL is text: no ASCII could hide behind it */
	read_as(&t,
		"\xff\xfe"
		"CVE-2026-31337",
		16, EMB_BLOB_TEXT);
	emb_blobtext_release(&t);
}

/* A mark whose NULs come after git's probe: ASCII past 8000 bytes. */
static void test_late_nul(void **state)
{
	static const char tail[] = "\n\0S\0E\0C\0";
	size_t n = 2 + 2 * 4100 + sizeof(tail) - 1, i;
	char *data = malloc(n);
	struct emb_blobtext t;

	(void)state;
	assert_non_null(data);
	memcpy(data, "\xff\xfe", 2);
	for (i = 0; i < 4100; i++) /* U+4E01, no NUL byte */
		memcpy(data + 2 + 2 * i, "\x01\x4e", 2);
	memcpy(data + n - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
	assert_false(emb_blob_is_binary(data, n));
	assert_false(emb_blob_is_text(data, n));
	read_as(&t, data, n, EMB_BLOB_UTF16);
	assert_int_equal(t.len, 3 * 4100 + 4);
	assert_memory_equal(t.text + t.len - 4, "\nSEC", 4);
	emb_blobtext_release(&t);
	free(data);
}

static void test_runs(void **state)
{
	static const char bin[] = "\x7f"
				  "ELF\0\1fix SEC-1042\0ab\0"
				  "W\0i\0d\0e\0!\0\0\0"
				  "caf\xc3\xa9s\xff";
	struct emb_blobtext t;
	const char *p;

	(void)state;
	read_as(&t, bin, sizeof(bin) - 1, EMB_BLOB_BINARY);
	/* "ELF" and "ab" are shorter than four: no runs */
	assert_string_equal(t.runs, "fix SEC-1042\nWide!\ncaf\xc3\xa9s");
	assert_int_equal(t.len, 0);
	p = strstr(t.runs, "SEC");
	assert_int_equal(emb_blobtext_offset(&t, (size_t)(p - t.runs)), 10);
	p = strstr(t.runs, "de!");
	assert_int_equal(emb_blobtext_offset(&t, (size_t)(p - t.runs)), 26);
	p = strstr(t.runs, "caf");
	assert_int_equal(emb_blobtext_offset(&t, (size_t)(p - t.runs)), 34);
	emb_blobtext_release(&t);

	/* an identifier split by a NUL is two runs */
	read_as(&t, "CVE-2026-\00031337\n", 16, EMB_BLOB_BINARY);
	assert_string_equal(t.runs, "CVE-2026-\n31337");
	emb_blobtext_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_late_nul),
		cmocka_unit_test(test_runs),
	};

	return cmocka_run_group_tests_name("emb_blobtext_read", tests, NULL,
					   NULL);
}
