/*
 * fold.h - folding the Unicode spellings of identifiers to ASCII.
 *
 * Text copied from documents, chats and web pages carries Unicode
 * dashes, spaces, invisible characters and full-width or "styled"
 * letters and digits.  Folding maps each of those characters to the
 * ASCII character NFKC and Unicode's confusables give for it (or
 * removes it, for the invisible ones) in one pass over a buffer, so
 * every identifier shape, alias and pattern sees one spelling.  Every
 * other byte, valid UTF-8 or not, is kept as it is.  README lists what
 * is folded.
 *
 * A folded character becomes at most one byte, so positions in the
 * folded text map back to the original through a short list of spans
 * (one per place where the lengths start to differ).
 */
#ifndef EMBARGO_FOLD_H
#define EMBARGO_FOLD_H

#include <stdbool.h>
#include <stddef.h>

struct emb_fold_span {
	size_t folded,
		orig; /* from here on, orig = span.orig + (pos - folded) */
};

struct emb_fold {
	char *text; /* the folded text (NUL-terminated), when folded */
	size_t len, alloc;
	struct emb_fold_span *spans;
	size_t nspans, spans_alloc;
};

#define EMB_FOLD_INIT                                                          \
	{                                                                      \
		.text = NULL, .len = 0, .alloc = 0, .spans = NULL,             \
		.nspans = 0, .spans_alloc = 0                                  \
	}

/**
 * Fold `s`.  Text with no byte above 0x7F, or with nothing to fold, is
 * left alone (the common case costs one read of the buffer).
 * @return true when f->text holds a folded copy; false when `s` itself
 * is already folded
 */
bool emb_fold(struct emb_fold *f, const char *s, size_t len);

/** The original offset of the character at folded offset `pos`. */
size_t emb_fold_start(const struct emb_fold *f, size_t pos);

/**
 * The original offset just after the character that ends at folded
 * offset `pos` (pos > 0); `orig` is the text that was folded.
 */
size_t emb_fold_end(const struct emb_fold *f, const char *orig, size_t orig_len,
		    size_t pos);

void emb_fold_release(struct emb_fold *f);

#endif
