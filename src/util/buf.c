/*
 * buf.c - growable string buffer and checked allocation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"

static void die_oom(size_t size)
{
	fprintf(stderr, "git-embargo: out of memory allocating %zu bytes\n",
		size);
	abort();
}

void *emb_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die_oom(size);
	return p;
}

void *emb_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die_oom(n * size);
	return p;
}

void *emb_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		die_oom(size);
	return p;
}

char *emb_xstrndup(const char *s, size_t n)
{
	char *p = emb_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *emb_xstrdup(const char *s)
{
	return emb_xstrndup(s, strlen(s));
}

void emb_buf_grow(struct emb_buf *buf, size_t extra)
{
	size_t need = buf->size + extra + 1;

	if (need <= buf->asize)
		return;
	if (need < buf->size)
		die_oom(SIZE_MAX);
	buf->asize = buf->asize ? buf->asize : 64;
	while (buf->asize < need)
		buf->asize = buf->asize * 3 / 2 + 1;
	buf->ptr = emb_xrealloc(buf->ptr, buf->asize);
}

void emb_buf_put(struct emb_buf *buf, const char *data, size_t len)
{
	emb_buf_grow(buf, len);
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
}

void emb_buf_puts(struct emb_buf *buf, const char *str)
{
	emb_buf_put(buf, str, strlen(str));
}

void emb_buf_putc(struct emb_buf *buf, char c)
{
	emb_buf_put(buf, &c, 1);
}

void emb_buf_vprintf(struct emb_buf *buf, const char *fmt, va_list ap)
{
	va_list ap2;
	int len;

	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		return;
	emb_buf_grow(buf, (size_t)len);
	vsnprintf(buf->ptr + buf->size, (size_t)len + 1, fmt, ap);
	buf->size += (size_t)len;
}

void emb_buf_printf(struct emb_buf *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emb_buf_vprintf(buf, fmt, ap);
	va_end(ap);
}

void emb_buf_clear(struct emb_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

void emb_buf_release(struct emb_buf *buf)
{
	free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
}

const char *emb_buf_cstr(const struct emb_buf *buf)
{
	return buf->ptr ? buf->ptr : "";
}

char *emb_buf_detach(struct emb_buf *buf)
{
	char *p = buf->ptr ? buf->ptr : emb_xstrdup("");

	buf->ptr = NULL;
	buf->size = buf->asize = 0;
	return p;
}

int emb_hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 :
				      -1;
}

bool emb_hex_decode(unsigned char *out, const char *hex, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = emb_hexval((unsigned char)hex[2 * i]);
		int lo =
			hi < 0 ? -1 : emb_hexval((unsigned char)hex[2 * i + 1]);

		if (lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}
