/*
 * blobtext.c - a file as the scanner reads it: text, decoded UTF-16 or
 * UTF-32, or the printable runs of a binary (blobtext.h).
 *
 * Decoding is strict: a unit that is no character (an unpaired
 * surrogate, past U+10FFFF, U+0000) or a control code other than tab,
 * line breaks, form feed and escape means the file is not that text,
 * and it is read as binary; its runs then still hold any identifier
 * stored as ASCII or as 16-bit units.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "embargo/blobtext.h"
#include "embargo/buf.h"
#include "embargo/utf8.h"

#define MIN_RUN 4 /* as strings(1) */

bool emb_blob_is_binary(const char *data, size_t len)
{
	return memchr(data, '\0',
		      len < EMB_BINARY_PROBE ? len : EMB_BINARY_PROBE) != NULL;
}

unsigned emb_blob_mark(const char *data, size_t len, bool *be)
{
	const unsigned char *p = (const unsigned char *)data;

	if (len >= 4 && !memcmp(p, "\xFF\xFE\0\0", 4))
		return *be = false, 4;
	if (len >= 4 && !memcmp(p, "\0\0\xFE\xFF", 4))
		return *be = true, 4;
	if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
		return *be = false, 2;
	if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return *be = true, 2;
	return 0;
}

bool emb_blob_is_text(const char *data, size_t len)
{
	bool be;

	if (emb_blob_is_binary(data, len))
		return false;
	/* a mark whose NULs come after the probe: ASCII past it */
	return !(len > EMB_BINARY_PROBE && emb_blob_mark(data, len, &be) &&
		 memchr(data + EMB_BINARY_PROBE, '\0', len - EMB_BINARY_PROBE));
}

static bool text_char(uint32_t c)
{
	if (c >= 0x20)
		return c != 0x7F && !(c >= 0x80 && c < 0xA0) &&
		       !(c >= 0xD800 && c < 0xE000) && c <= 0x10FFFF;
	return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
	       c == 0x1B;
}

/* One unit of `width` bytes at p, in the byte order asked. */
static uint32_t unit(const unsigned char *p, unsigned width, bool be)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < width; i++)
		v |= (uint32_t)p[be ? width - 1 - i : i] << (8 * i);
	return v;
}

/* Decode UTF-16 (width 2) or UTF-32 (4) into b: false if it is not. */
static bool decode(struct emb_buf *b, const unsigned char *p, size_t len,
		   unsigned width, bool be)
{
	size_t i;

	if (len % width)
		return false;
	emb_buf_grow(b, len / width + len / 2);
	for (i = 0; i < len; i += width) {
		uint32_t c = unit(p + i, width, be);

		if (width == 2 && c >= 0xD800 && c < 0xDC00) {
			uint32_t lo;

			if (i + 4 > len)
				return false;
			lo = unit(p + i + 2, 2, be);
			if (lo < 0xDC00 || lo >= 0xE000)
				return false;
			c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		}
		if (!text_char(c))
			return false;
		emb_utf8_put(b, c);
	}
	return true;
}

/*
 * A file without a byte-order mark: which UTF-16 or UTF-32 its NULs
 * suggest.  Text in those forms that holds an identifier holds ASCII,
 * whose units have NUL high bytes: in the probe, every unit has a
 * non-NUL low byte and most have NUL high bytes.  @return the unit
 * width, 0 when it looks like neither.
 */
static unsigned guess(const unsigned char *p, size_t len, bool *be)
{
	size_t n = len < EMB_BINARY_PROBE ? len : EMB_BINARY_PROBE;
	unsigned width;

	for (width = 4; width >= 2; width -= 2) {
		int order;

		if (len % width || n < width)
			continue;
		for (order = 0; order < 2; order++) {
			size_t i, ascii = 0, units = 0;
			bool ok = true;

			for (i = 0; i + width <= n && ok; i += width) {
				uint32_t c = unit(p + i, width, order);

				units++;
				ok = c != 0;
				ascii += c < 0x80;
			}
			if (ok && ascii * 2 >= units) {
				*be = order;
				return width;
			}
		}
	}
	return 0;
}

static void run_add(struct emb_blobtext *t, uint64_t offset, unsigned width)
{
	if (t->rbuf.size)
		emb_buf_putc(&t->rbuf, '\n');
	if (t->nrun == t->run_alloc) {
		t->run_alloc = t->run_alloc ? t->run_alloc * 2 : 64;
		t->run = emb_xrealloc(t->run, t->run_alloc * sizeof(*t->run));
	}
	t->run[t->nrun].at = t->rbuf.size;
	t->run[t->nrun].offset = offset;
	t->run[t->nrun].width = width;
	t->nrun++;
}

/* A valid UTF-8 sequence of a printable character at p: its length. */
static size_t printable(const unsigned char *p, size_t left)
{
	uint32_t c;
	size_t n;

	if (p[0] < 0x80)
		return (p[0] >= 0x20 && p[0] < 0x7F) || p[0] == '\t';
	n = emb_utf8_decode(&c, p, left);
	return n && text_char(c) ? n : 0;
}

/*
 * The runs of a binary: printable ASCII and UTF-8, and (`wide`)
 * printable ASCII in 16-bit units (either byte order), MIN_RUN
 * characters or more.
 */
static void runs(struct emb_blobtext *t, const unsigned char *p, size_t len,
		 bool wide)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i, chars = 0, k;

		/* ASCII in 16-bit units: "C\0V\0E\0" (or from the \0 before) */
		while (wide && j + 1 < len && p[j + 1] == 0 && p[j] >= 0x20 &&
		       p[j] < 0x7F)
			j += 2, chars++;
		if (chars >= MIN_RUN) {
			run_add(t, i, 2);
			for (k = i; k < j; k += 2)
				emb_buf_putc(&t->rbuf, (char)p[k]);
			i = j;
			continue;
		}
		j = i, chars = 0;
		while (j < len && (k = printable(p + j, len - j)) > 0)
			j += k, chars++;
		if (chars >= MIN_RUN) {
			run_add(t, i, 1);
			emb_buf_put(&t->rbuf, (const char *)p + i, j - i);
			i = j;
			continue;
		}
		i = j > i ? j : i + 1;
	}
}

/* Decode p (after `skip` bytes of a mark) in units of `width`, or runs. */
static void read_units(struct emb_blobtext *t, const unsigned char *p,
		       size_t len, size_t skip, unsigned width, bool be)
{
	if (width && decode(&t->buf, p + skip, len - skip, width, be)) {
		t->form = EMB_BLOB_UTF16;
		t->text = t->buf.ptr ? t->buf.ptr : "";
		t->len = t->buf.size;
		t->width = width;
		t->be = be;
	} else {
		emb_buf_clear(&t->buf);
		t->form = EMB_BLOB_BINARY;
		t->text = "";
		t->len = 0;
	}
	runs(t, p, len, t->form == EMB_BLOB_BINARY);
	t->runs = t->rbuf.ptr ? t->rbuf.ptr : "";
	t->runs_len = t->rbuf.size;
}

void emb_blobtext_read(struct emb_blobtext *t, const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	unsigned width = 0;
	size_t skip = 0;
	bool be = false;

	memset(t, 0, sizeof(*t));
	t->form = EMB_BLOB_TEXT;
	t->text = data;
	t->len = len;
	t->runs = "";
	if (emb_blob_is_text(data, len))
		return; /* a mark without NULs: no ASCII could be in it */

	if ((width = emb_blob_mark(data, len, &be)))
		skip = width;
	else
		width = guess(p, len, &be);
	read_units(t, p, len, skip, width, be);
}

void emb_blobtext_decode(struct emb_blobtext *t, const char *data, size_t len,
			 size_t skip, unsigned width, bool be)
{
	memset(t, 0, sizeof(*t));
	read_units(t, (const unsigned char *)data, len, skip, width, be);
}

void emb_blobtext_runs(struct emb_blobtext *t, const char *data, size_t len)
{
	memset(t, 0, sizeof(*t));
	t->form = EMB_BLOB_BINARY;
	t->text = "";
	runs(t, (const unsigned char *)data, len, true);
	t->runs = t->rbuf.ptr ? t->rbuf.ptr : "";
	t->runs_len = t->rbuf.size;
}

uint64_t emb_blobtext_offset(const struct emb_blobtext *t, size_t pos)
{
	size_t lo = 0, hi = t->nrun;

	if (!t->nrun)
		return pos;
	while (hi - lo > 1) { /* the last run starting at or before pos */
		size_t mid = lo + (hi - lo) / 2;

		if (t->run[mid].at <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return t->run[lo].offset +
	       (uint64_t)(pos - t->run[lo].at) * t->run[lo].width;
}

void emb_blobtext_release(struct emb_blobtext *t)
{
	emb_buf_release(&t->buf);
	emb_buf_release(&t->rbuf);
	free(t->run);
	memset(t, 0, sizeof(*t));
}

bool emb_text_reencode(struct emb_buf *out, const char *data, size_t len,
		       const char *enc, size_t enc_len)
{
	char name[64], chunk[4096];
	char *in = (char *)data;
	size_t left = len, start = out->size;
	iconv_t cd;
	bool ok = true;

	/* git's is_encoding_utf8(): nothing to convert */
	if (!enc_len || enc_len >= sizeof(name))
		return false;
	memcpy(name, enc, enc_len);
	name[enc_len] = '\0';
	if (!strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8"))
		return false;
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return false;
	while (ok) {
		char *o = chunk;
		size_t room = sizeof(chunk);
		size_t r = left ? iconv(cd, &in, &left, &o, &room) :
				  iconv(cd, NULL, NULL, &o, &room);

		emb_buf_put(out, chunk, sizeof(chunk) - room);
		if (r != (size_t)-1) {
			if (!left)
				break; /* flushed: done */
		} else if (errno != E2BIG) {
			ok = false;
		}
	}
	iconv_close(cd);
	if (ok &&
	    (out->size - start != len || memcmp(out->ptr + start, data, len)))
		return true;
	out->size = start;
	if (out->ptr)
		out->ptr[start] = '\0';
	return false;
}
