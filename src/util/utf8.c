/*
 * utf8.c - strict UTF-8 (utf8.h): one decoder behind the validator, the
 * cleaner and every caller that reads characters (folding, the
 * printable runs of binaries, SECURITY.md's encoding check).
 */
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/utf8.h"

size_t emb_utf8_decode(uint32_t *cp, const unsigned char *s, size_t avail)
{
	unsigned char c;
	size_t n, i;
	uint32_t v, min;

	if (!avail)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, v = c & 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, v = c & 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

void emb_utf8_put(struct emb_buf *b, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6), n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12), n = 3;
	} else {
		u[0] = (char)(0xF0 | c >> 18), n = 4;
	}
	if (n == 4)
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	if (n >= 3)
		u[n - 2] = (char)(0x80 | ((c >> 6) & 0x3F));
	if (n >= 2)
		u[n - 1] = (char)(0x80 | (c & 0x3F));
	emb_buf_put(b, u, n);
}

size_t emb_utf8_invalid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (!(n = emb_utf8_decode(&cp, u + i, len - i)))
			return i;
		i += n;
	}
	return len;
}

char *emb_utf8_clean(const char *s, size_t len)
{
	struct emb_buf out = EMB_BUF_INIT;
	size_t i = 0;

	while (i < len) {
		size_t ok = emb_utf8_invalid(s + i, len - i);

		emb_buf_put(&out, s + i, ok);
		i += ok;
		if (i < len) {
			emb_buf_puts(&out, "\xEF\xBF\xBD"); /* U+FFFD */
			i++;
		}
	}
	return emb_buf_detach(&out);
}

char *emb_utf8_cleanz(const char *s)
{
	return emb_utf8_clean(s, strlen(s));
}
