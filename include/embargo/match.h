/*
 * match.h - one compiled matcher for a whole embargo list.
 *
 * Identifiers are not alternated into one regex (1,000 caseless ids scan
 * at 34 MB/s and 10,000 do not compile).  Instead each identifier
 * *shape* in the list (letters kept, digit runs generalised: SEC-1042
 * gives `sec[-_. ]?[0-9]+`) is one JIT pattern; what it extracts is
 * canonicalised (emb_id_canonical) and looked up in a hash map holding
 * the plain ids and the SHA-256 of the hashed ones.  A list of 100,000
 * CVE ids is one pattern and one map.  Hashed entries are found with the
 * built-in shapes (CVE, GHSA and tracker ids) plus embargo.idPattern's.
 * Aliases are indexed by their first word; each `pattern` is compiled on
 * its own.  Text is folded (fold.h) before any of them runs; hits are
 * reported at their offsets in the original text.
 *
 * A matcher is read-only once built and shared by threads; each thread
 * matches through its own emb_match_ctx.
 */
#ifndef EMBARGO_MATCH_H
#define EMBARGO_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "embargo/list.h"

struct emb_matcher;
struct emb_match_ctx;

enum emb_hit_how { EMB_HIT_ID, EMB_HIT_HASH, EMB_HIT_ALIAS, EMB_HIT_PATTERN };

struct emb_hit {
	const struct emb_entry *entry;
	size_t start, end; /* byte offsets in the text */
	enum emb_hit_how how;
};

struct emb_hits {
	struct emb_hit *v;
	size_t n, alloc;
};

#define EMB_HITS_INIT                                                          \
	{                                                                      \
		.v = NULL, .n = 0, .alloc = 0                                  \
	}

/** The built-in candidate shapes used for hashed entries (NULL-ended). */
extern const char *const emb_default_id_patterns[];

/**
 * Compile the entries of `list` that are not expired.
 * @param id_patterns shapes for hashed entries, added to the built-in
 * ones; an empty string drops every shape before it
 * @return 0, or EMB_ECONFIG naming the file and line of a bad pattern
 */
int emb_matcher_new(struct emb_matcher **out, const struct emb_list *list,
		    const char *const *id_patterns, size_t n_id_patterns);
void emb_matcher_free(struct emb_matcher *m);

struct emb_fixset;

/**
 * The fix fingerprints of the entries in force (fixprint.h), or NULL.
 * Owned by the matcher; its threshold may be set before scanning.
 */
struct emb_fixset *emb_matcher_fixes(const struct emb_matcher *m);

/** A per-thread matching context (match data, JIT stack, limits). */
int emb_match_ctx_new(struct emb_match_ctx **out, const struct emb_matcher *m);
void emb_match_ctx_free(struct emb_match_ctx *ctx);

/**
 * Find every reference in text.  `out` is emptied first and receives
 * the hits ordered by position, one per (entry, start).
 * @return 0, or EMB_EMATCH when a pattern hit pcre2's match limit
 */
int emb_match(struct emb_match_ctx *ctx, const char *text, size_t len,
	      struct emb_hits *out);

void emb_hits_release(struct emb_hits *hits);

/**
 * The hash of `id` for a "sha256:" entry, once it is known that text
 * spelling `id` would be found by the shapes hashed entries are found
 * with (`id_patterns` as for emb_matcher_new).  Messages never quote
 * `id`.
 * @param[out] out the SHA-256 of the canonical form
 * @return 0, or EMB_ECONFIG (not an identifier, or no shape finds it)
 */
int emb_match_hash_id(unsigned char out[EMB_HASH_LEN], const char *id,
		      const char *const *id_patterns, size_t n_id_patterns);

#endif
