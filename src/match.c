/*
 * match.c - compiling an embargo list into one matcher; all pcre2 use.
 *
 * Identifier shapes run in byte mode (identifiers are ASCII); the left
 * word boundary is checked here rather than with a lookbehind so that
 * pcre2 keeps its first-code-unit search.  Aliases and user patterns
 * run in UTF mode with PCRE2_MATCH_INVALID_UTF, so text that is not
 * UTF-8 (old commit messages, binary-ish files) is matched, not refused.
 * Every match has a match limit: a pattern that backtracks
 * catastrophically is stopped and reported, never left to hang.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/fixprint.h"
#include "embargo/map.h"
#include "embargo/match.h"

#define MATCH_LIMIT 5000000
#define DEPTH_LIMIT 10000
#define HEAP_LIMIT (64 * 1024) /* KiB */
#define JIT_STACK_MAX (4 * 1024 * 1024)
#define MAX_ID_LEN 255

const char *const emb_default_id_patterns[] = {
	"CVE[-_. ][0-9]{4}[-_. ][0-9]{4,}",
	"GHSA(?:[-_. ][0-9a-z]{4}){3}",
	"[A-Z][A-Z0-9]+[-_. ][0-9]+",
	NULL,
};

enum shape_kind { SHAPE_ID, SHAPE_IDPATTERN };

struct compiled {
	pcre2_code *code;
	const char *text;        /* for messages */
	const char *file;        /* where it was defined, or NULL */
	int line;
	const struct emb_entry *entry; /* for user patterns */
};

struct emb_matcher {
	struct compiled *shapes; /* identifier extractors */
	size_t nshapes;
	struct compiled aliases; /* one alternation, group i = alias i */
	const struct emb_entry **alias_entry;
	size_t nalias;
	struct compiled *patterns;
	size_t npatterns;
	struct emb_map plain;  /* canonical id -> entry */
	struct emb_map hashed; /* sha256 bytes -> entry */
	size_t active;
	struct emb_fixset *fixes; /* fix fingerprints, or NULL */
};

struct emb_match_ctx {
	const struct emb_matcher *m;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
};

static int compile(struct compiled *c, const char *pattern, uint32_t flags,
		   char *err, size_t errsize)
{
	int errcode;
	PCRE2_SIZE erroff;

	c->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				flags, &errcode, &erroff, NULL);
	if (!c->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		snprintf(err, errsize, "%s at offset %zu", (char *)msg,
			 (size_t)erroff);
		return EMB_ECONFIG;
	}
	/* JIT is an optimisation: where it is unavailable, interpret. */
	pcre2_jit_compile(c->code, PCRE2_JIT_COMPLETE);
	return 0;
}

#define USER_FLAGS \
	(PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_UCP | PCRE2_CASELESS)

int emb_match_check_pattern(const char *pattern)
{
	struct compiled c = { 0 };
	char err[300];
	int error;

	if ((error = compile(&c, pattern, USER_FLAGS, err, sizeof(err))) < 0)
		emb_error_set("%s", err);
	pcre2_code_free(c.code);
	return error;
}

/* SEC-1042 -> sec[-_. ][0-9]+ ; GHSA-4f5x-... -> ghsa[-_. ][0-9a-z]+... */
static void shape_of(struct emb_buf *out, const char *canon)
{
	const char *p = canon;

	while (*p) {
		const char *g = p;
		bool alpha = true, digit = true;

		while (*p && *p != '-') {
			alpha &= isalpha((unsigned char)*p) != 0;
			digit &= isdigit((unsigned char)*p) != 0;
			p++;
		}
		if (g != canon)
			emb_buf_puts(out, "[-_. ]");
		if (alpha) {
			for (; g < p; g++)
				emb_buf_putc(out, (char)tolower(*g));
		} else if (digit) {
			emb_buf_puts(out, "[0-9]+");
		} else {
			emb_buf_puts(out, "[0-9a-z]+");
		}
		if (*p == '-')
			p++;
	}
}

static void escape_literal(struct emb_buf *out, const char *s)
{
	bool in_space = false;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isspace(c)) {
			if (!in_space)
				emb_buf_puts(out, "\\s+");
			in_space = true;
			continue;
		}
		in_space = false;
		if (c < 0x80 && !isalnum(c))
			emb_buf_putc(out, '\\');
		emb_buf_putc(out, (char)c);
	}
}

static bool matches_empty(pcre2_code *code)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc = pcre2_match(code, (PCRE2_SPTR) "", 0, 0, 0, md, NULL);

	pcre2_match_data_free(md);
	return rc >= 0;
}

static int add_shape(struct emb_matcher *m, struct emb_map *seen,
		     const char *shape, const char *file, int line)
{
	struct emb_buf pat = EMB_BUF_INIT;
	struct compiled *c;
	char err[300];
	int error;

	if (!emb_map_put(seen, shape, strlen(shape), NULL))
		return 0;
	emb_buf_printf(&pat, "(?:%s)(?![0-9a-z])", shape);
	m->shapes = emb_xrealloc(m->shapes, (m->nshapes + 1) * sizeof(*c));
	c = &m->shapes[m->nshapes];
	memset(c, 0, sizeof(*c));
	error = compile(c, emb_buf_cstr(&pat), PCRE2_CASELESS, err,
			sizeof(err));
	emb_buf_release(&pat);
	if (error < 0) {
		if (file)
			emb_error_set("bad embargo.idPattern '%s' in '%s': %s",
				      shape, file, err);
		else
			emb_error_set("bad embargo.idPattern '%s': %s", shape,
				      err);
		return error;
	}
	if (matches_empty(c->code)) {
		pcre2_code_free(c->code);
		emb_error_set("bad embargo.idPattern '%s': it matches empty "
			      "text", shape);
		return EMB_ECONFIG;
	}
	c->text = shape;
	c->file = file;
	c->line = line;
	m->nshapes++;
	return 0;
}

static int build_aliases(struct emb_matcher *m, const struct emb_list *list)
{
	struct emb_buf pat = EMB_BUF_INIT;
	char err[300];
	size_t i, j;
	int error = 0;

	for (i = 0; i < list->n; i++) {
		const struct emb_entry *e = &list->entries[i];

		if (e->expired)
			continue;
		for (j = 0; j < e->nalias; j++) {
			m->alias_entry = emb_xrealloc(
				m->alias_entry,
				(m->nalias + 1) * sizeof(*m->alias_entry));
			m->alias_entry[m->nalias++] = e;
			emb_buf_puts(&pat, m->nalias > 1 ? "|(" : "(");
			escape_literal(&pat, e->aliases[j]);
			emb_buf_putc(&pat, ')');
		}
	}
	if (m->nalias) {
		struct emb_buf full = EMB_BUF_INIT;

		emb_buf_printf(&full, "(?<![\\p{L}\\p{N}])(?:%s)(?![\\p{L}\\p{N}])",
			       emb_buf_cstr(&pat));
		error = compile(&m->aliases, emb_buf_cstr(&full), USER_FLAGS,
				err, sizeof(err));
		if (error < 0)
			emb_error_set("cannot compile the aliases: %s", err);
		emb_buf_release(&full);
	}
	emb_buf_release(&pat);
	return error;
}

static int build_patterns(struct emb_matcher *m, const struct emb_list *list)
{
	size_t i, j;
	char err[300];

	for (i = 0; i < list->n; i++) {
		const struct emb_entry *e = &list->entries[i];

		for (j = 0; j < e->npattern; j++) {
			const struct emb_pattern_src *src = &e->patterns[j];
			struct compiled c = { 0 };

			/* expired or not, a bad regex is a bad list */
			if (compile(&c, src->text, USER_FLAGS, err,
				    sizeof(err)) < 0) {
				emb_error_set("bad embargo list '%s': line %d: "
					      "bad pattern '%s': %s",
					      src->file, src->line, src->text,
					      err);
				return EMB_ECONFIG;
			}
			if (matches_empty(c.code)) {
				pcre2_code_free(c.code);
				emb_error_set("bad embargo list '%s': line %d: "
					      "pattern '%s' matches empty "
					      "text",
					      src->file, src->line, src->text);
				return EMB_ECONFIG;
			}
			if (e->expired) {
				pcre2_code_free(c.code);
				continue;
			}
			c.text = src->text;
			c.file = src->file;
			c.line = src->line;
			c.entry = e;
			m->patterns = emb_xrealloc(m->patterns,
						   (m->npatterns + 1) *
							   sizeof(c));
			m->patterns[m->npatterns++] = c;
		}
	}
	return 0;
}

int emb_matcher_new(struct emb_matcher **out, const struct emb_list *list,
		    const char *const *id_patterns, size_t n_id_patterns)
{
	struct emb_matcher *m = emb_xcalloc(1, sizeof(*m));
	struct emb_map seen = EMB_MAP_INIT;
	struct emb_buf shape = EMB_BUF_INIT;
	/* shape strings must outlive the matcher: kept in one arena */
	bool any_hashed = false;
	size_t i;
	int error = 0;

	for (i = 0; i < list->n; i++) {
		const struct emb_entry *e = &list->entries[i];

		if (e->expired)
			continue;
		m->active++;
		if (e->hashed) {
			any_hashed = true;
			emb_map_put(&m->hashed, e->hash, EMB_HASH_LEN,
				    (void *)e);
			continue;
		}
		emb_map_put(&m->plain, e->canon, strlen(e->canon), (void *)e);
		emb_buf_clear(&shape);
		shape_of(&shape, e->canon);
		if ((error = add_shape(m, &seen, emb_buf_cstr(&shape), NULL,
				       0)) < 0)
			goto done;
	}
	if (any_hashed) {
		if (!id_patterns || !n_id_patterns) {
			id_patterns = emb_default_id_patterns;
			for (n_id_patterns = 0; id_patterns[n_id_patterns];)
				n_id_patterns++;
		}
		for (i = 0; i < n_id_patterns; i++)
			if ((error = add_shape(m, &seen, id_patterns[i], NULL,
					       0)) < 0)
				goto done;
	}
	/* The shape texts were borrowed from a scratch buffer: copy them. */
	for (i = 0; i < m->nshapes; i++)
		m->shapes[i].text = NULL;

	if ((error = build_aliases(m, list)) < 0 ||
	    (error = build_patterns(m, list)) < 0)
		goto done;
	emb_fixset_new(&m->fixes, list);

done:
	emb_map_release(&seen);
	emb_buf_release(&shape);
	if (error < 0) {
		emb_matcher_free(m);
		m = NULL;
	}
	*out = m;
	return error;
}

void emb_matcher_free(struct emb_matcher *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nshapes; i++)
		pcre2_code_free(m->shapes[i].code);
	free(m->shapes);
	pcre2_code_free(m->aliases.code);
	free(m->alias_entry);
	for (i = 0; i < m->npatterns; i++)
		pcre2_code_free(m->patterns[i].code);
	free(m->patterns);
	emb_map_release(&m->plain);
	emb_map_release(&m->hashed);
	emb_fixset_free(m->fixes);
	free(m);
}

struct emb_fixset *emb_matcher_fixes(const struct emb_matcher *m)
{
	return m ? m->fixes : NULL;
}

bool emb_matcher_is_empty(const struct emb_matcher *m)
{
	return m->active == 0;
}

int emb_match_ctx_new(struct emb_match_ctx **out, const struct emb_matcher *m)
{
	struct emb_match_ctx *ctx = emb_xcalloc(1, sizeof(*ctx));

	ctx->m = m;
	/* enough pairs for the alias groups */
	ctx->md = pcre2_match_data_create((uint32_t)m->nalias + 2, NULL);
	ctx->mctx = pcre2_match_context_create(NULL);
	ctx->jit = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
	if (!ctx->md || !ctx->mctx) {
		emb_match_ctx_free(ctx);
		emb_error_set("out of memory creating a match context");
		*out = NULL;
		return EMB_ENOMEM;
	}
	pcre2_set_match_limit(ctx->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(ctx->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(ctx->mctx, HEAP_LIMIT);
	if (ctx->jit)
		pcre2_jit_stack_assign(ctx->mctx, NULL, ctx->jit);
	*out = ctx;
	return 0;
}

void emb_match_ctx_free(struct emb_match_ctx *ctx)
{
	if (!ctx)
		return;
	pcre2_match_data_free(ctx->md);
	pcre2_match_context_free(ctx->mctx);
	pcre2_jit_stack_free(ctx->jit);
	free(ctx);
}

static void push_hit(struct emb_hits *out, const struct emb_entry *e,
		     size_t start, size_t end, enum emb_hit_how how)
{
	if (out->n == out->alloc) {
		out->alloc = out->alloc ? out->alloc * 2 : 16;
		out->v = emb_xrealloc(out->v, out->alloc * sizeof(*out->v));
	}
	out->v[out->n].entry = e;
	out->v[out->n].start = start;
	out->v[out->n].end = end;
	out->v[out->n].how = how;
	out->n++;
}

static int limit_error(const struct compiled *c, int rc)
{
	PCRE2_UCHAR msg[256];

	pcre2_get_error_message(rc, msg, sizeof(msg));
	if (c->file)
		emb_error_set("pattern '%s' ('%s' line %d) stopped: %s",
			      c->text ? c->text : "?", c->file, c->line,
			      (char *)msg);
	else
		emb_error_set("identifier pattern stopped: %s", (char *)msg);
	return EMB_EMATCH;
}

static void lookup_candidate(const struct emb_matcher *m, struct emb_hits *out,
			     const char *s, size_t len, size_t start)
{
	char canon[MAX_ID_LEN + 1];
	const struct emb_entry *e;

	if (!emb_id_canonical(canon, sizeof(canon), s, len))
		return;
	if ((e = emb_map_get(&m->plain, canon, len)))
		push_hit(out, e, start, start + len, EMB_HIT_ID);
	if (m->hashed.n) {
		unsigned char h[EMB_HASH_LEN];

		emb_id_hash(h, canon);
		if ((e = emb_map_get(&m->hashed, h, EMB_HASH_LEN)))
			push_hit(out, e, start, start + len, EMB_HIT_HASH);
	}
}

/* Advance one character (UTF-8 aware) past an empty match. */
static size_t step(const char *text, size_t len, size_t off)
{
	off++;
	while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
		off++;
	return off;
}

static int run_shape(struct emb_match_ctx *ctx, const struct compiled *c,
		     const char *text, size_t len, struct emb_hits *out)
{
	size_t off = 0;

	while (off < len) {
		int rc = pcre2_match(c->code, (PCRE2_SPTR)text, len, off, 0,
				     ctx->md, ctx->mctx);
		PCRE2_SIZE *ov;

		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc < 0)
			return limit_error(c, rc);
		ov = pcre2_get_ovector_pointer(ctx->md);
		if (ov[0] > 0 && isalnum((unsigned char)text[ov[0] - 1])) {
			off = ov[0] + 1; /* not at a word start */
			continue;
		}
		if (ov[1] - ov[0] <= MAX_ID_LEN)
			lookup_candidate(ctx->m, out, text + ov[0],
					 ov[1] - ov[0], ov[0]);
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	return 0;
}

static int run_user(struct emb_match_ctx *ctx, const struct compiled *c,
		    const char *text, size_t len, struct emb_hits *out,
		    bool alias)
{
	size_t off = 0;

	while (off <= len) {
		int rc = pcre2_match(c->code, (PCRE2_SPTR)text, len, off, 0,
				     ctx->md, ctx->mctx);
		PCRE2_SIZE *ov;

		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc < 0)
			return limit_error(c, rc);
		ov = pcre2_get_ovector_pointer(ctx->md);
		if (ov[1] == ov[0]) {
			off = step(text, len, ov[0]);
			continue;
		}
		if (alias) {
			int g;

			/* the group that took part names the alias */
			for (g = 1; g < rc; g++)
				if (ov[2 * g] != PCRE2_UNSET)
					break;
			if (g <= (int)ctx->m->nalias)
				push_hit(out, ctx->m->alias_entry[g - 1],
					 ov[0], ov[1], EMB_HIT_ALIAS);
		} else {
			push_hit(out, c->entry, ov[0], ov[1], EMB_HIT_PATTERN);
		}
		off = ov[1];
	}
	return 0;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct emb_hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->entry != y->entry)
		return (uintptr_t)x->entry < (uintptr_t)y->entry ? -1 : 1;
	return (int)x->how - (int)y->how;
}

int emb_match(struct emb_match_ctx *ctx, const char *text, size_t len,
	      struct emb_hits *out)
{
	const struct emb_matcher *m = ctx->m;
	size_t i, w;
	int error;

	out->n = 0;
	for (i = 0; i < m->nshapes; i++)
		if ((error = run_shape(ctx, &m->shapes[i], text, len, out)) < 0)
			return error;
	if (m->nalias &&
	    (error = run_user(ctx, &m->aliases, text, len, out, true)) < 0)
		return error;
	for (i = 0; i < m->npatterns; i++)
		if ((error = run_user(ctx, &m->patterns[i], text, len, out,
				      false)) < 0)
			return error;

	if (out->n > 1) {
		qsort(out->v, out->n, sizeof(*out->v), cmp_hit);
		for (i = 1, w = 1; i < out->n; i++)
			if (out->v[i].start != out->v[w - 1].start ||
			    out->v[i].entry != out->v[w - 1].entry)
				out->v[w++] = out->v[i];
		out->n = w;
	}
	return 0;
}

void emb_hits_release(struct emb_hits *hits)
{
	free(hits->v);
	hits->v = NULL;
	hits->n = hits->alloc = 0;
}
