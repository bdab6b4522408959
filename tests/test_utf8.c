/*
 * test_utf8.c - strict UTF-8: what one decoder accepts, and what the
 * validator and the cleaner built on it make of broken text.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/utf8.h"

static size_t dec(const char *s, size_t n, uint32_t *cp)
{
	return emb_utf8_decode(cp, (const unsigned char *)s, n);
}

static void test_decode(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(dec("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(dec("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(dec("\xe2\x80\x93", 3, &cp), 3); /* en dash */
	assert_int_equal(cp, 0x2013);
	assert_int_equal(dec("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* what strict means */
	assert_int_equal(dec("", 0, &cp), 0);
	assert_int_equal(dec("\x80", 1, &cp), 0);	  /* continuation */
	assert_int_equal(dec("\xc0\xaf", 2, &cp), 0);	  /* overlong '/' */
	assert_int_equal(dec("\xc1\xbf", 2, &cp), 0);	  /* overlong */
	assert_int_equal(dec("\xe0\x80\xaf", 3, &cp), 0); /* overlong */
	assert_int_equal(dec("\xf0\x80\x80\xaf", 4, &cp), 0);
	assert_int_equal(dec("\xed\xa0\x80", 3, &cp), 0);     /* surrogate */
	assert_int_equal(dec("\xf4\x90\x80\x80", 4, &cp), 0); /* > 10FFFF */
	assert_int_equal(dec("\xf5\x80\x80\x80", 4, &cp), 0);
	assert_int_equal(dec("\xe2\x80", 2, &cp), 0); /* cut short */
	assert_int_equal(dec("\xe2\x80\x93", 2, &cp), 0);
	assert_int_equal(dec("\xc3(", 2, &cp), 0);
}

static void test_put(void **state)
{
	static const uint32_t cps[] = {
		0,     'a',    0x7F,   0x80,	0x7FF,
		0x800, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF
	};
	struct emb_buf b = EMB_BUF_INIT;
	size_t i, off = 0;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++)
		emb_utf8_put(&b, cps[i]);
	assert_int_equal(b.size, 1 + 1 + 1 + 2 + 2 + 3 + 3 + 3 + 4 + 4);
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		uint32_t cp = 1;
		size_t n = dec(b.ptr + off, b.size - off, &cp);

		assert_true(n > 0);
		assert_int_equal(cp, cps[i]);
		off += n;
	}
	assert_int_equal(off, b.size);
	emb_buf_release(&b);
}

static void test_invalid(void **state)
{
	(void)state;
	assert_int_equal(emb_utf8_invalid("", 0), 0);
	assert_int_equal(emb_utf8_invalid("plain", 5), 5);
	assert_int_equal(emb_utf8_invalid("caf\xc3\xa9", 5), 5);
	assert_int_equal(emb_utf8_invalid("caf\xe9!", 5), 3);
	assert_int_equal(emb_utf8_invalid("ab\xed\xb0\x80", 5), 2);
	/* a sequence cut by the end of the text is invalid at its start */
	assert_int_equal(emb_utf8_invalid("ab\xe2\x80", 4), 2);
	/* a NUL is a character like any other */
	assert_int_equal(emb_utf8_invalid("a\0b", 3), 3);
}

static void test_clean(void **state)
{
	char *u;

	(void)state;
	u = emb_utf8_cleanz("a\xff\xc3\xa9\xe0\x80\x80z");
	assert_string_equal(u, "a\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf"
			       "\xbd\xef\xbf\xbdz");
	free(u);
	/* surrogates and code points above U+10FFFF: one U+FFFD a byte */
	u = emb_utf8_clean("\xed\xa0\x80|\xf4\x90\x80\x80", 9);
	assert_string_equal(u, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
			       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			       "\xef\xbf\xbd");
	free(u);
	u = emb_utf8_clean("", 0);
	assert_string_equal(u, "");
	free(u);
	u = emb_utf8_clean("ok \xe2\x80\x93 ok", 9);
	assert_string_equal(u, "ok \xe2\x80\x93 ok");
	free(u);
	/* what comes out is always valid */
	u = emb_utf8_clean("\xc3\xc3\xa9\xe2\x80", 5);
	assert_int_equal(emb_utf8_invalid(u, strlen(u)), strlen(u));
	free(u);
}

int main(void)
{
	const struct CMUnitTest decode[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_put),
	};
	const struct CMUnitTest validate[] = {
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_clean),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("emb_utf8_decode", decode, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_utf8_invalid", validate,
					      NULL, NULL);
	return failed;
}
