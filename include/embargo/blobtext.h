/*
 * blobtext.h - what the scanner reads of a file: its text.
 *
 * A file is one of three forms.  Text (no NUL in its first 8,000 bytes,
 * as git decides) is read as it is.  UTF-16 or UTF-32 text, with a
 * byte-order mark or without one (then told by where its NULs fall, and
 * kept only when every unit decodes to a character that is no control
 * code), is decoded to UTF-8, and line numbers count the decoded lines.
 * Anything else is binary: its printable runs are read, as `strings`
 * finds them (four or more printable ASCII or UTF-8 characters, and the
 * same in 16-bit units, as UTF-16 text inside a binary is stored), each
 * run a line of its own; a hit in a run is placed by its byte offset in
 * the file.  A line break or NUL ends a run, so an identifier split by
 * a NUL is not one.
 */
#ifndef EMBARGO_BLOBTEXT_H
#define EMBARGO_BLOBTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "embargo/buf.h"

#define EMB_BINARY_PROBE 8000 /* as git: a NUL in the first 8000 bytes */

enum emb_blob_form {
	EMB_BLOB_TEXT,
	EMB_BLOB_UTF16,	 /* decoded: UTF-16 or UTF-32, either byte order */
	EMB_BLOB_BINARY, /* printable runs only */
};

struct emb_blob_run {
	size_t at;	 /* where the run starts in `runs` */
	uint64_t offset; /* and in the file */
	unsigned width;	 /* bytes of the file per byte of text: 1, 2 */
};

/*
 * Two parts, either may be empty: lines of text (the file itself, or
 * decoded) and the runs of a file git calls binary, one a line.  A file
 * decoded from UTF-16 has both: its text, and the 8-bit runs of its raw
 * bytes, so ASCII hidden behind a byte-order mark is read too.
 */
struct emb_blobtext {
	enum emb_blob_form form;
	const char *text; /* the file itself (TEXT), or buf.ptr */
	size_t len;
	const char *runs; /* rbuf.ptr */
	size_t runs_len;
	struct emb_buf buf, rbuf;
	struct emb_blob_run *run; /* in order of `at` */
	size_t nrun, run_alloc;
	/* a piece of a larger file: the lines before it, where it starts */
	size_t line0;
	uint64_t offset0;
	/* EMB_BLOB_UTF16: bytes a unit (2, 4) and their order */
	unsigned width;
	bool be;
};

#define EMB_BLOBTEXT_INIT                                                      \
	{                                                                      \
		.form = EMB_BLOB_TEXT, .text = NULL, .len = 0, .runs = NULL,   \
		.runs_len = 0, .buf = EMB_BUF_INIT, .rbuf = EMB_BUF_INIT,      \
		.run = NULL, .nrun = 0, .run_alloc = 0, .line0 = 0,            \
		.offset0 = 0, .width = 0, .be = false                          \
	}

/**
 * Read `data` (a whole file) as text.  `out->text` may point into
 * `data`, which must then outlive it.  Never fails.
 */
void emb_blobtext_read(struct emb_blobtext *out, const char *data, size_t len);

/**
 * Read `data` as the runs of a binary, whatever it holds: a piece of a
 * large file whose start was binary (blobstream.h).
 */
void emb_blobtext_runs(struct emb_blobtext *out, const char *data, size_t len);

/** @return true when `data` is binary for git (a NUL in its probe). */
bool emb_blob_is_binary(const char *data, size_t len);

/**
 * Read a file (or a piece of one, from a unit's start) known to be
 * UTF-16 or UTF-32 of `width` bytes a unit, after `skip` bytes of a
 * byte-order mark, as emb_blobtext_read() reads one: a piece that does
 * not decode is read as a binary.
 */
void emb_blobtext_decode(struct emb_blobtext *out, const char *data, size_t len,
			 size_t skip, unsigned width, bool be);

/**
 * The UTF-16 or UTF-32 byte-order mark `data` starts with: its width in
 * bytes (2, 4), or 0 when there is none.  @param[out] be its byte order
 */
unsigned emb_blob_mark(const char *data, size_t len, bool *be);

/**
 * @return true when `data` is read as the text it is: not binary for
 * git, and not a UTF-16 or UTF-32 mark with NULs after git's probe.
 */
bool emb_blob_is_text(const char *data, size_t len);

/** The byte offset in the file of position `pos` of `runs`. */
uint64_t emb_blobtext_offset(const struct emb_blobtext *t, size_t pos);

void emb_blobtext_release(struct emb_blobtext *t);

/**
 * A commit message as `git log` shows it: converted to UTF-8 from the
 * encoding its `encoding` header names (`enc`, not terminated), with
 * iconv, as git does.  All or nothing, like git: a message that does not
 * convert is shown as it is.
 * @param[out] out the converted text, appended to
 * @return true when `out` holds a text that differs from `data`; false
 * when the encoding is UTF-8, unknown, or the message does not convert
 */
bool emb_text_reencode(struct emb_buf *out, const char *data, size_t len,
		       const char *enc, size_t enc_len);

#endif
