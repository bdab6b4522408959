/*
 * buf.h - a growable, always NUL-terminated byte buffer.
 *
 * libgit2 1.5's git_buf is an output type only, so the tool keeps its own.
 * An allocation failure aborts: every caller would have to treat it as
 * fatal anyway, and a hook that aborts rejects the push (fails closed).
 */
#ifndef EMBARGO_BUF_H
#define EMBARGO_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct emb_buf {
	char *ptr;    /* never NULL after the first write; "" before */
	size_t size;  /* bytes used, not counting the NUL */
	size_t asize; /* bytes allocated */
};

#define EMB_BUF_INIT                                                           \
	{                                                                      \
		.ptr = NULL, .size = 0, .asize = 0                             \
	}

void emb_buf_grow(struct emb_buf *buf, size_t extra);
void emb_buf_put(struct emb_buf *buf, const char *data, size_t len);
void emb_buf_puts(struct emb_buf *buf, const char *str);
void emb_buf_putc(struct emb_buf *buf, char c);
void emb_buf_printf(struct emb_buf *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void emb_buf_vprintf(struct emb_buf *buf, const char *fmt, va_list ap);
/** Empty the buffer, keeping its memory. */
void emb_buf_clear(struct emb_buf *buf);
/** Free the memory; the buffer is EMB_BUF_INIT again. */
void emb_buf_release(struct emb_buf *buf);
/** @return the contents ("" when empty), borrowed from the buffer. */
const char *emb_buf_cstr(const struct emb_buf *buf);
/** @return the heap string, now the caller's to free(); buffer reset. */
char *emb_buf_detach(struct emb_buf *buf);

/** Abort with a message when memory runs out (used by every module). */
void *emb_xmalloc(size_t size);
void *emb_xcalloc(size_t n, size_t size);
void *emb_xrealloc(void *ptr, size_t size);
char *emb_xstrdup(const char *s);
char *emb_xstrndup(const char *s, size_t n);

/** The value of an ASCII hex digit, or -1. */
int emb_hexval(int c);

/** Decode the 2 * n hex digits at hex into out. @return false if any is not one
 */
bool emb_hex_decode(unsigned char *out, const char *hex, size_t n);

#endif
