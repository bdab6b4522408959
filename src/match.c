/*
 * match.c - compiling an embargo list into one matcher; all pcre2 use.
 *
 * Text is folded first (fold.h), and every shape, alias and pattern
 * runs over the folded text; hits are mapped back to the original
 * offsets.  Identifier shapes run in byte mode (identifiers are ASCII);
 * the word boundaries (a non-alphanumeric byte, or a camelCase change)
 * are checked here rather than with lookarounds so that pcre2 keeps its
 * first-code-unit search.  Aliases are looked up by their first word
 * and confirmed by a regex of their own anchored there, so a list of
 * thousands of aliases costs one word scan, not one giant alternation.
 * Aliases and user patterns run in UTF mode with PCRE2_MATCH_INVALID_UTF,
 * so text that is not UTF-8 (old commit messages, binary-ish files) is
 * matched, not refused.
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
#include "embargo/fold.h"
#include "embargo/map.h"
#include "embargo/match.h"

#define MATCH_LIMIT 5000000
#define DEPTH_LIMIT 10000
#define HEAP_LIMIT (64 * 1024) /* KiB */
#define JIT_STACK_MAX (4 * 1024 * 1024)
#define MAX_ID_LEN 255

#define CVE_SHAPE "cve[-_. ]?[0-9]{4}[-_. ]?[0-9]{4,}"
#define GHSA_SHAPE "ghsa(?:[-_. ]?[0-9a-z]{4}){3}"

const char *const emb_default_id_patterns[] = {
	CVE_SHAPE,
	GHSA_SHAPE,
	"[a-z][a-z0-9]+[-_. ][0-9]+|[a-z]{2,}[0-9]+",
	NULL,
};

struct compiled {
	pcre2_code *code;
	const char *text; /* for messages */
	const char *file; /* where it was defined, or NULL */
	int line;
	const struct emb_entry *entry; /* for aliases and user patterns */
	bool raw; /* a pattern that may mean characters folding removes */
};

/* An alias: found by its first word, confirmed by its own regex. */
struct alias {
	struct compiled c;
	char *lead;  /* lower-case folded text up to its first non-ASCII byte */
	size_t next; /* the next alias with the same first word, + 1 */
};

#define KEY_MAX 63 /* first words longer than this are scanned for */

#define CHUNK_PATTERNS 32
#define PREFIX_MAX 15

struct chunk {
	pcre2_code *code; /* the alternation, or NULL: each runs alone */
	size_t first, n;  /* indices into `combined` */
};

struct emb_matcher {
	struct compiled *shapes; /* identifier extractors */
	size_t nshapes;
	struct alias *aliases;
	size_t nalias;
	struct emb_map alias_keys; /* lower-case first word -> alias + 1 */
	/* bit n of key_len[c]: a first word of n bytes starts with c */
	uint64_t key_len[256];
	struct compiled *scanned; /* aliases not led by an ASCII word */
	size_t nscanned;
	struct compiled *patterns;
	size_t npatterns;
	/*
	 * Patterns are looked for a chunk at a time: one pass of their
	 * alternation says whether any of them can match the text, and
	 * only then does each run on its own (which is what gives every
	 * hit its entry).  Patterns an alternation could change the
	 * meaning of (back references, verbs, extended mode) run alone.
	 */
	struct chunk *chunks;
	size_t nchunks;
	size_t *alone; /* indices into patterns */
	size_t nalone;
	size_t *combined; /* indices into patterns, chunk by chunk */
	/*
	 * Patterns that begin with 3 or more literal letters or digits are
	 * only run on text where those 3 occur: a set of hashed trigrams
	 * says where to look, a map from the trigram to the patterns.
	 */
	uint64_t tri_bits[1024];	/* 65,536 bits */
	struct emb_map tri_map;		/* trigram -> pattern + 1 */
	size_t *tri_next;		/* the next pattern of a trigram, + 1 */
	char (*prefix)[PREFIX_MAX + 1]; /* each pattern's literal start */
	size_t *raw;			/* patterns also run on unfolded text */
	size_t nraw;
	struct emb_map plain;	  /* canonical id -> entry */
	struct emb_map hashed;	  /* sha256 bytes -> entry */
	struct emb_fixset *fixes; /* fix fingerprints, or NULL */
};

struct emb_match_ctx {
	const struct emb_matcher *m;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	struct emb_fold fold;
	unsigned *mark; /* per pattern: the match number that will run it */
	unsigned gen;
	size_t *run; /* the patterns to run on this text */
};

static int compile(struct compiled *c, const char *pattern, uint32_t flags,
		   bool jit, char *err, size_t errsize)
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
	if (jit)
		pcre2_jit_compile(c->code, PCRE2_JIT_COMPLETE);
	return 0;
}

#define USER_FLAGS                                                             \
	(PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_UCP | PCRE2_CASELESS)

static bool is_shape(const char *canon, const char *form)
{
	/* form: 'A' a letter, '9' a digit, 'x' either, '+' more of the last */
	for (; *form; form++, canon++) {
		unsigned char c = (unsigned char)*canon;

		if (*form == '+') {
			while (isdigit((unsigned char)canon[0]))
				canon++;
			canon--;
			continue;
		}
		if (*form == '9' ? !isdigit(c) :
		    *form == 'x' ? !isalnum(c) :
				   c != (unsigned char)*form)
			return false;
	}
	return !*canon;
}

/*
 * The shape of a canonical id, as a regex that also takes the spellings
 * emb_id_canonical() reads back to it: SEC-1042 -> sec[-_. ]?[0-9]+,
 * FOO-A1B2 -> foo[-_. ][0-9a-z]{4}, CVE and GHSA ids -> their shapes.
 */
static void shape_of(struct emb_buf *out, const char *canon)
{
	const char *p = canon;
	enum { NONE, ALPHA, DIGIT, MIXED } prev = NONE;

	if (is_shape(canon, "CVE-9999-9999+")) {
		emb_buf_puts(out, CVE_SHAPE);
		return;
	}
	if (is_shape(canon, "GHSA-xxxx-xxxx-xxxx")) {
		emb_buf_puts(out, GHSA_SHAPE);
		return;
	}
	while (*p) {
		const char *g = p;
		bool alpha = true, digit = true;
		int kind;

		while (*p && *p != '-') {
			alpha &= isalpha((unsigned char)*p) != 0;
			digit &= isdigit((unsigned char)*p) != 0;
			p++;
		}
		kind = alpha ? ALPHA : digit ? DIGIT : MIXED;
		if (prev != NONE)
			emb_buf_puts(out, prev == ALPHA && kind == DIGIT ?
						  "[-_. ]?" :
						  "[-_. ]");
		if (kind == ALPHA) {
			for (; g < p; g++)
				emb_buf_putc(out, (char)tolower(*g));
		} else if (kind == DIGIT) {
			emb_buf_puts(out, "[0-9]+");
		} else {
			emb_buf_printf(out, "[0-9a-z]{%d}", (int)(p - g));
		}
		prev = kind;
		if (*p == '-')
			p++;
	}
}

/*
 * Between two words of an alias the text may put white space, one of the
 * separators programmers and file names use, or nothing:
 * "Bleeding Heart" is also bleeding-heart, bleeding_heart,
 * docs/bleeding.heart and BleedingHeart.
 */
#define ALIAS_GAP "[\\s\\-_./]*"
#define ALIAS_SEP(c) ((c) == '-' || (c) == '_' || (c) == '.' || (c) == '/')

/*
 * An alias stands alone: no letter or digit touches it, except where the
 * case changes (testBleedingHeart, BleedingHeartTest), as for identifiers.
 */
#define ALIAS_LEFT "(?:(?<![\\p{L}\\p{N}])|(?<=\\p{Ll})(?=\\p{Lu}))"
#define ALIAS_RIGHT "(?:(?![\\p{L}\\p{N}])|(?<=\\p{Ll})(?=\\p{Lu}))"

static void escape_literal(struct emb_buf *out, const char *s)
{
	bool in_space = false;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isspace(c)) {
			if (!in_space)
				emb_buf_puts(out, ALIAS_GAP);
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
		     const char *shape)
{
	struct emb_buf pat = EMB_BUF_INIT;
	struct compiled *c;
	char err[300];
	int error;

	if (!emb_map_put(seen, shape, strlen(shape), NULL))
		return 0;
	emb_buf_printf(&pat, "(?:%s)", shape);
	m->shapes = emb_xrealloc(m->shapes, (m->nshapes + 1) * sizeof(*c));
	c = &m->shapes[m->nshapes];
	memset(c, 0, sizeof(*c));
	error = compile(c, emb_buf_cstr(&pat), PCRE2_CASELESS, true, err,
			sizeof(err));
	emb_buf_release(&pat);
	if (error < 0) {
		emb_error_set("bad embargo.idPattern '%s': %s", shape, err);
		return error;
	}
	if (matches_empty(c->code)) {
		pcre2_code_free(c->code);
		emb_error_set("bad embargo.idPattern '%s': it matches empty "
			      "text",
			      shape);
		return EMB_ECONFIG;
	}
	m->nshapes++;
	return 0;
}

/* Lower-case ASCII first word of `s` (folded), or 0 when it has none. */
static size_t first_word(char *key, const char *s)
{
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) && n <= KEY_MAX) {
		key[n] = (char)tolower((unsigned char)s[n]);
		n++;
	}
	return n > KEY_MAX ? 0 : n;
}

static char *lead_of(const char *text)
{
	size_t i, n = 0;
	char *lead;

	while ((unsigned char)text[n] && (unsigned char)text[n] < 0x80)
		n++;
	lead = emb_xmalloc(n + 1);
	for (i = 0; i < n; i++)
		lead[i] = (char)tolower((unsigned char)text[i]);
	lead[n] = '\0';
	return lead;
}

/*
 * Could the alias whose lead is `lead` start at text[s]?  A cheap check
 * before its regex: ASCII letters compared without case, a run of
 * white space against what ALIAS_GAP takes.
 */
static bool lead_fits(const char *lead, const char *text, size_t len, size_t s)
{
	while (*lead) {
		if (isspace((unsigned char)*lead)) {
			while (isspace((unsigned char)*lead))
				lead++;
			while (s < len && (isspace((unsigned char)text[s]) ||
					   ALIAS_SEP(text[s])))
				s++;
			continue;
		}
		if (s == len ||
		    tolower((unsigned char)text[s]) != (unsigned char)*lead)
			return false;
		lead++;
		s++;
	}
	return true;
}

static int add_alias(struct emb_matcher *m, const struct emb_entry *e,
		     const char *alias)
{
	struct emb_fold f = EMB_FOLD_INIT;
	struct emb_buf pat = EMB_BUF_INIT;
	const char *text = alias;
	char key[KEY_MAX + 1], err[300], *lead;
	size_t klen;
	struct compiled c = { 0 };
	int error;

	/* an alias is folded as the text it is looked for in */
	if (emb_fold(&f, alias, strlen(alias)))
		text = f.text;
	klen = first_word(key, text);
	lead = lead_of(text);
	emb_buf_puts(&pat, ALIAS_LEFT "(?:");
	escape_literal(&pat, text);
	emb_buf_puts(&pat, ")" ALIAS_RIGHT);
	error = compile(&c, emb_buf_cstr(&pat),
			USER_FLAGS | (klen ? PCRE2_ANCHORED : 0), !klen, err,
			sizeof(err));
	emb_buf_release(&pat);
	emb_fold_release(&f);
	if (error < 0) {
		free(lead);
		emb_error_set("bad embargo list '%s': line %d: bad alias: %s",
			      e->file, e->line, err);
		return error;
	}
	c.entry = e;
	c.file = e->file;
	c.line = e->line;
	if (!klen) {
		free(lead);
		m->scanned =
			emb_xrealloc(m->scanned, (m->nscanned + 1) * sizeof(c));
		m->scanned[m->nscanned++] = c;
		return 0;
	}
	m->aliases =
		emb_xrealloc(m->aliases, (m->nalias + 1) * sizeof(*m->aliases));
	m->aliases[m->nalias].c = c;
	m->aliases[m->nalias].lead = lead;
	m->aliases[m->nalias].next =
		(size_t)emb_map_get(&m->alias_keys, key, klen);
	m->nalias++;
	emb_map_put(&m->alias_keys, key, klen, (void *)m->nalias);
	m->key_len[(unsigned char)key[0]] |= (uint64_t)1 << klen;
	return 0;
}

static int build_aliases(struct emb_matcher *m, const struct emb_list *list)
{
	size_t i, j;
	int error;

	for (i = 0; i < list->n; i++) {
		const struct emb_entry *e = &list->entries[i];

		if (e->expired)
			continue;
		for (j = 0; j < e->nalias; j++)
			if ((error = add_alias(m, e, e->aliases[j])) < 0)
				return error;
	}
	return 0;
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
			if (compile(&c, src->text, USER_FLAGS, !e->expired, err,
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
			m->patterns = emb_xrealloc(
				m->patterns, (m->npatterns + 1) * sizeof(c));
			m->patterns[m->npatterns++] = c;
		}
	}
	return 0;
}

/*
 * Can `re` be one branch of an alternation and mean the same?  Not with
 * numbered or named references (the numbers shift), backtracking verbs
 * or start-of-pattern options (they reach the other branches), extended
 * mode (a # comment would swallow them) or \Q quoting (to be safe).
 */
static bool combinable(const char *re)
{
	const char *p;

	for (p = re; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				return false;
			if (strchr("123456789gkQ", p[1]))
				return false;
			p++;
			continue;
		}
		if (*p == '(' && p[1] == '*')
			return false;
		if (*p == '(' && p[1] == '?') {
			const char *q = p + 2;

			if (strchr("P&R(+0123456789'", *q) ||
			    (*q == '-' && isdigit((unsigned char)q[1])))
				return false;
			/* an option setting: (?ix) or (?i-x:...) */
			while (isalpha((unsigned char)*q) || *q == '-' ||
			       *q == '^') {
				if (*q == 'x')
					return false;
				q++;
			}
		}
	}
	return true;
}

/*
 * The literal letters and digits every match of `re` starts with, lower
 * case, at most `size`: none when the pattern has a top-level `|`, or
 * starts with anything else.  A letter a quantifier makes optional does
 * not count.
 */
static size_t literal_prefix(char *out, size_t size, const char *re)
{
	const char *p;
	size_t n = 0;
	int depth = 0;
	bool in_class = false;

	for (p = re; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				break;
		} else if (in_class) {
			in_class = *p != ']';
		} else if (*p == '[') {
			in_class = true;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if (*p == '|' && depth == 0) {
			return 0;
		}
	}
	for (p = re; n < size && isalnum((unsigned char)*p); p++)
		out[n++] = (char)tolower((unsigned char)*p);
	if (n && (*p == '?' || *p == '*' || *p == '{'))
		n--;
	return n;
}

static uint32_t tri_hash(const char *t)
{
	return ((uint32_t)(unsigned char)t[0] * 961u +
		(uint32_t)(unsigned char)t[1] * 31u +
		(uint32_t)(unsigned char)t[2]) &
	       0xFFFF;
}

static bool tri_bit(const uint64_t *bits, uint32_t h)
{
	return (bits[h >> 6] >> (h & 63)) & 1;
}

static void build_chunks(struct emb_matcher *m)
{
	struct emb_buf alt = EMB_BUF_INIT;
	char err[300];
	size_t i, ncomb = 0;

	m->combined = emb_xcalloc(m->npatterns + 1, sizeof(size_t));
	m->alone = emb_xcalloc(m->npatterns + 1, sizeof(size_t));
	m->tri_next = emb_xcalloc(m->npatterns + 1, sizeof(size_t));
	m->prefix = emb_xcalloc(m->npatterns + 1, sizeof(*m->prefix));
	m->raw = emb_xcalloc(m->npatterns + 1, sizeof(size_t));
	for (i = 0; i < m->npatterns; i++) {
		const char *re = m->patterns[i].text, *q;
		char *pre = m->prefix[i];

		for (q = re; *q; q++)
			if ((unsigned char)*q >= 0x80 ||
			    (*q == '\\' && q[1] && strchr("xpPNX", q[1])))
				break;
		if (*q)
			m->raw[m->nraw++] = i;
		if (literal_prefix(pre, PREFIX_MAX, re) >= 3) {
			uint32_t h = tri_hash(pre);

			m->tri_bits[h >> 6] |= (uint64_t)1 << (h & 63);
			m->tri_next[i] =
				(size_t)emb_map_get(&m->tri_map, pre, 3);
			emb_map_put(&m->tri_map, pre, 3, (void *)(i + 1));
		} else if (combinable(re)) {
			m->combined[ncomb++] = i;
		} else {
			m->alone[m->nalone++] = i;
		}
	}
	for (i = 0; i < ncomb; i += CHUNK_PATTERNS) {
		struct chunk *ch;
		struct compiled c = { 0 };
		size_t k, n = ncomb - i < CHUNK_PATTERNS ? ncomb - i :
							   CHUNK_PATTERNS;

		emb_buf_clear(&alt);
		for (k = 0; k < n; k++)
			emb_buf_printf(&alt, "%s(?:%s)", k ? "|" : "",
				       m->patterns[m->combined[i + k]].text);
		/* a chunk that does not compile (too large, duplicate
		 * group names) is run pattern by pattern */
		if (n > 1 && compile(&c, emb_buf_cstr(&alt), USER_FLAGS, true,
				     err, sizeof(err)) < 0)
			c.code = NULL;
		m->chunks =
			emb_xrealloc(m->chunks, (m->nchunks + 1) * sizeof(*ch));
		ch = &m->chunks[m->nchunks++];
		ch->code = c.code;
		ch->first = i;
		ch->n = n;
	}
	emb_buf_release(&alt);
}

/*
 * The shapes hashed entries are found with: the built-in ones, then
 * embargo.idPattern's.  An empty idPattern value drops every shape
 * before it (git's way of resetting a multi-valued setting), which is
 * how the built-in shapes are replaced.
 */
static int add_id_patterns(struct emb_matcher *m, struct emb_map *seen,
			   const char *const *id_patterns, size_t n)
{
	size_t i, from = 0, before = m->nshapes;
	bool defaults = true;
	int error;

	for (i = 0; i < n; i++)
		if (!*id_patterns[i]) {
			defaults = false;
			from = i + 1;
		}
	for (i = 0; defaults && emb_default_id_patterns[i]; i++)
		if ((error = add_shape(m, seen, emb_default_id_patterns[i])) <
		    0)
			return error;
	for (i = from; i < n; i++)
		if ((error = add_shape(m, seen, id_patterns[i])) < 0)
			return error;
	if (!defaults && from == n && m->nshapes == before) {
		emb_error_set("embargo.idPattern: an empty value removes the "
			      "built-in identifier shapes and no shape follows "
			      "it, so hashed entries could never match");
		return EMB_ECONFIG;
	}
	return 0;
}

int emb_matcher_new(struct emb_matcher **out, const struct emb_list *list,
		    const char *const *id_patterns, size_t n_id_patterns)
{
	struct emb_matcher *m = emb_xcalloc(1, sizeof(*m));
	struct emb_map seen = EMB_MAP_INIT;
	struct emb_buf shape = EMB_BUF_INIT;
	bool any_hashed = false;
	size_t i;
	int error = 0;

	for (i = 0; i < list->n; i++) {
		const struct emb_entry *e = &list->entries[i];

		if (e->expired)
			continue;
		if (e->hashed) {
			any_hashed = true;
			emb_map_put(&m->hashed, e->hash, EMB_HASH_LEN,
				    (void *)e);
			continue;
		}
		emb_map_put(&m->plain, e->canon, strlen(e->canon), (void *)e);
		emb_buf_clear(&shape);
		shape_of(&shape, e->canon);
		if ((error = add_shape(m, &seen, emb_buf_cstr(&shape))) < 0)
			goto done;
	}
	if (any_hashed &&
	    (error = add_id_patterns(m, &seen, id_patterns, n_id_patterns)) < 0)
		goto done;
	if ((error = build_aliases(m, list)) < 0 ||
	    (error = build_patterns(m, list)) < 0)
		goto done;
	build_chunks(m);
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
	for (i = 0; i < m->nalias; i++) {
		pcre2_code_free(m->aliases[i].c.code);
		free(m->aliases[i].lead);
	}
	free(m->aliases);
	emb_map_release(&m->alias_keys);
	for (i = 0; i < m->nscanned; i++)
		pcre2_code_free(m->scanned[i].code);
	free(m->scanned);
	for (i = 0; i < m->npatterns; i++)
		pcre2_code_free(m->patterns[i].code);
	free(m->patterns);
	for (i = 0; i < m->nchunks; i++)
		pcre2_code_free(m->chunks[i].code);
	free(m->chunks);
	free(m->alone);
	free(m->combined);
	emb_map_release(&m->tri_map);
	free(m->tri_next);
	free(m->prefix);
	free(m->raw);
	emb_map_release(&m->plain);
	emb_map_release(&m->hashed);
	emb_fixset_free(m->fixes);
	free(m);
}

struct emb_fixset *emb_matcher_fixes(const struct emb_matcher *m)
{
	return m ? m->fixes : NULL;
}

int emb_match_ctx_new(struct emb_match_ctx **out, const struct emb_matcher *m)
{
	struct emb_match_ctx *ctx = emb_xcalloc(1, sizeof(*ctx));

	ctx->m = m;
	ctx->mark = emb_xcalloc(m->npatterns + 1, sizeof(*ctx->mark));
	ctx->run = emb_xcalloc(m->npatterns + 1, sizeof(*ctx->run));
	/* only the whole match is read */
	ctx->md = pcre2_match_data_create(1, NULL);
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
	emb_fold_release(&ctx->fold);
	free(ctx->mark);
	free(ctx->run);
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
	if (c->file && c->text)
		emb_error_set("pattern '%s' ('%s' line %d) stopped: %s",
			      c->text, c->file, c->line, (char *)msg);
	else if (c->file)
		emb_error_set("an alias ('%s' line %d) stopped: %s", c->file,
			      c->line, (char *)msg);
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
	if ((e = emb_map_get(&m->plain, canon, strlen(canon))))
		push_hit(out, e, start, start + len, EMB_HIT_ID);
	if (m->hashed.n) {
		unsigned char h[EMB_HASH_LEN];

		emb_id_hash(h, canon);
		if ((e = emb_map_get(&m->hashed, h, EMB_HASH_LEN)))
			push_hit(out, e, start, start + len, EMB_HIT_HASH);
	}
}

static bool is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_alnum(unsigned char c)
{
	return is_upper(c) || is_lower(c) || (c >= '0' && c <= '9');
}

/*
 * Word boundaries of an identifier at [s, e): anything but an ASCII
 * letter or digit ('_' included), or a camelCase change: a lower-case
 * letter before an upper-case start (testSec1042, TestCVE_...), an
 * upper-case letter after a digit or lower-case end (SEC1042Overflow).
 * A digit next to the id never is (SEC10420 is another id), nor is a
 * letter of the same case (XSEC1042, CVE-2026-31337a).
 */
static bool starts_word(const char *t, size_t s)
{
	unsigned char a, b;

	if (s == 0)
		return true;
	a = (unsigned char)t[s - 1];
	b = (unsigned char)t[s];
	return !is_alnum(a) || (is_lower(a) && is_upper(b));
}

static bool ends_word(const char *t, size_t len, size_t e)
{
	unsigned char a, b;

	if (e == len)
		return true;
	a = (unsigned char)t[e - 1];
	b = (unsigned char)t[e];
	return !is_alnum(b) || (is_upper(b) && !is_upper(a));
}

/* Where an identifier could start again inside [s, e): a camelCase hump. */
static size_t next_hump(const char *t, size_t s, size_t e)
{
	for (s++; s < e; s++)
		if (is_lower((unsigned char)t[s - 1]) &&
		    is_upper((unsigned char)t[s]))
			return s;
	return e;
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
		if (!starts_word(text, ov[0])) {
			off = ov[0] + 1;
			continue;
		}
		if (ends_word(text, len, ov[1]) && ov[1] - ov[0] <= MAX_ID_LEN)
			lookup_candidate(ctx->m, out, text + ov[0],
					 ov[1] - ov[0], ov[0]);
		/* testSec1042: the id may start at a hump inside the match */
		off = next_hump(text, ov[0], ov[1]);
	}
	return 0;
}

/* Advance one character (UTF-8 aware) past an empty match. */
static size_t step(const char *text, size_t len, size_t off)
{
	off++;
	while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
		off++;
	return off;
}

static int run_user(struct emb_match_ctx *ctx, const struct compiled *c,
		    const char *text, size_t len, struct emb_hits *out,
		    enum emb_hit_how how)
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
		push_hit(out, c->entry, ov[0], ov[1], how);
		off = ov[1];
	}
	return 0;
}

/* The aliases whose first word is key[0..n), confirmed at text[s]. */
static int confirm_aliases(struct emb_match_ctx *ctx, const char *text,
			   size_t len, size_t s, const char *key, size_t n,
			   struct emb_hits *out)
{
	const struct emb_matcher *m = ctx->m;
	size_t a;

	for (a = (size_t)emb_map_get(&m->alias_keys, key, n); a;
	     a = m->aliases[a - 1].next) {
		const struct compiled *c = &m->aliases[a - 1].c;
		PCRE2_SIZE *ov;
		int rc;

		if (!lead_fits(m->aliases[a - 1].lead, text, len, s))
			continue;
		rc = pcre2_match(c->code, (PCRE2_SPTR)text, len, s, 0, ctx->md,
				 ctx->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc < 0)
			return limit_error(c, rc);
		ov = pcre2_get_ovector_pointer(ctx->md);
		push_hit(out, c->entry, ov[0], ov[1], EMB_HIT_ALIAS);
	}
	return 0;
}

/* Where a camelCase part of the word text[s..end) after s begins. */
static size_t next_part(const char *text, size_t s, size_t end)
{
	for (s++; s < end; s++)
		if (islower((unsigned char)text[s - 1]) &&
		    isupper((unsigned char)text[s]))
			break;
	return s;
}

/*
 * Each start of an ASCII word, or of a camelCase part of one, where some
 * alias's first word begins: confirm those aliases there.  The first
 * word may run on into the next (BleedingHeart), so every first-word
 * length that aliases have is looked up, not only the word's own.
 */
static int run_aliases(struct emb_match_ctx *ctx, const char *text, size_t len,
		       struct emb_hits *out)
{
	const struct emb_matcher *m = ctx->m;
	char key[KEY_MAX + 1];
	size_t i = 0, end = 0;
	int error;

	while (i < len) {
		size_t s = i, n, k;
		uint64_t lens;

		if (!is_alnum((unsigned char)text[i])) {
			i++;
			continue;
		}
		if (end <= i)
			for (end = i;
			     end < len && is_alnum((unsigned char)text[end]);
			     end++)
				;
		i = next_part(text, s, end);
		lens = m->key_len[(unsigned char)tolower(text[s])];
		for (n = 1; n <= KEY_MAX && s + n <= end && (lens >> n); n++) {
			if (!(lens & ((uint64_t)1 << n)))
				continue;
			for (k = 0; k < n; k++)
				key[k] = (char)tolower(
					(unsigned char)text[s + k]);
			if ((error = confirm_aliases(ctx, text, len, s, key, n,
						     out)) < 0)
				return error;
		}
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

/* Does the lower-case literal `pre` start at text[s]? */
static bool prefix_at(const char *pre, const char *text, size_t len, size_t s)
{
	for (; *pre; pre++, s++)
		if (s == len || tolower((unsigned char)text[s]) != *pre)
			return false;
	return true;
}

/* The patterns whose literal start occurs in text, each once. */
static size_t by_trigram(struct emb_match_ctx *ctx, const char *text,
			 size_t len)
{
	const struct emb_matcher *m = ctx->m;
	size_t i, n = 0;
	char tri[3];

	if (!m->tri_map.n || len < 3)
		return 0;
	if (++ctx->gen == 0) {
		memset(ctx->mark, 0, m->npatterns * sizeof(*ctx->mark));
		ctx->gen = 1;
	}
	tri[1] = (char)tolower((unsigned char)text[0]);
	tri[2] = (char)tolower((unsigned char)text[1]);
	for (i = 2; i < len; i++) {
		size_t p;

		tri[0] = tri[1];
		tri[1] = tri[2];
		tri[2] = (char)tolower((unsigned char)text[i]);
		if (!tri_bit(m->tri_bits, tri_hash(tri)))
			continue;
		for (p = (size_t)emb_map_get(&m->tri_map, tri, 3); p;
		     p = m->tri_next[p - 1])
			if (ctx->mark[p - 1] != ctx->gen &&
			    prefix_at(m->prefix[p - 1], text, len, i - 2)) {
				ctx->mark[p - 1] = ctx->gen;
				ctx->run[n++] = p - 1;
			}
	}
	return n;
}

static int run_patterns(struct emb_match_ctx *ctx, const char *text, size_t len,
			struct emb_hits *out, bool unfolded)
{
	const struct emb_matcher *m = ctx->m;
	size_t i, n;
	int error;

	if (unfolded) {
		for (i = 0; i < m->nraw; i++)
			if ((error = run_user(ctx, &m->patterns[m->raw[i]],
					      text, len, out,
					      EMB_HIT_PATTERN)) < 0)
				return error;
		return 0;
	}
	n = by_trigram(ctx, text, len);
	for (i = 0; i < n; i++)
		if ((error = run_user(ctx, &m->patterns[ctx->run[i]], text, len,
				      out, EMB_HIT_PATTERN)) < 0)
			return error;
	for (i = 0; i < m->nalone; i++)
		if ((error = run_user(ctx, &m->patterns[m->alone[i]], text, len,
				      out, EMB_HIT_PATTERN)) < 0)
			return error;
	for (i = 0; i < m->nchunks; i++) {
		const struct chunk *ch = &m->chunks[i];
		size_t k;

		if (ch->code) {
			int rc = pcre2_match(ch->code, (PCRE2_SPTR)text, len, 0,
					     0, ctx->md, ctx->mctx);

			/* on a limit, let each pattern say it for itself */
			if (rc == PCRE2_ERROR_NOMATCH)
				continue;
		}
		for (k = 0; k < ch->n; k++)
			if ((error = run_user(
				     ctx,
				     &m->patterns[m->combined[ch->first + k]],
				     text, len, out, EMB_HIT_PATTERN)) < 0)
				return error;
	}
	return 0;
}

int emb_match(struct emb_match_ctx *ctx, const char *text, size_t len,
	      struct emb_hits *out)
{
	const struct emb_matcher *m = ctx->m;
	bool folded = emb_fold(&ctx->fold, text, len);
	const char *t = folded ? ctx->fold.text : text;
	size_t tl = folded ? ctx->fold.len : len, i, w;
	int error;

	out->n = 0;
	for (i = 0; i < m->nshapes; i++)
		if ((error = run_shape(ctx, &m->shapes[i], t, tl, out)) < 0)
			return error;
	if (m->nalias && (error = run_aliases(ctx, t, tl, out)) < 0)
		return error;
	for (i = 0; i < m->nscanned; i++)
		if ((error = run_user(ctx, &m->scanned[i], t, tl, out,
				      EMB_HIT_ALIAS)) < 0)
			return error;
	if ((error = run_patterns(ctx, t, tl, out, false)) < 0)
		return error;
	if (folded) {
		size_t n = out->n;

		for (i = 0; i < n; i++) {
			struct emb_hit *h = &out->v[i];

			h->end = emb_fold_end(&ctx->fold, text, len, h->end);
			h->start = emb_fold_start(&ctx->fold, h->start);
		}
		/* a pattern may be written for the characters folded away */
		if ((error = run_patterns(ctx, text, len, out, true)) < 0)
			return error;
	}

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

int emb_match_hash_id(unsigned char out[EMB_HASH_LEN], const char *id,
		      const char *const *id_patterns, size_t n_id_patterns)
{
	struct emb_entry e = { 0 };
	struct emb_list list = EMB_LIST_INIT;
	struct emb_matcher *m = NULL;
	struct emb_match_ctx *ctx = NULL;
	struct emb_hits hits = EMB_HITS_INIT;
	char canon[MAX_ID_LEN + 1];
	int error;

	if (!emb_id_canonical(canon, sizeof(canon), id, strlen(id))) {
		emb_error_set("not an identifier: expected letters and digits "
			      "joined by single '-', '_', '.' or ' '");
		return EMB_ECONFIG;
	}
	emb_id_hash(out, canon);
	/* would text spelling it, as given, be found? */
	e.hashed = true;
	memcpy(e.hash, out, EMB_HASH_LEN);
	e.until = EMB_DATE_NONE;
	list.entries = &e;
	list.n = 1;
	if ((error = emb_matcher_new(&m, &list, id_patterns, n_id_patterns)) <
		    0 ||
	    (error = emb_match_ctx_new(&ctx, m)) < 0 ||
	    (error = emb_match(ctx, id, strlen(id), &hits)) < 0)
		goto done;
	if (hits.n == 0 || hits.v[0].start != 0 ||
	    hits.v[0].end != strlen(id)) {
		emb_error_set("no identifier shape finds it in text, so a "
			      "hashed entry of it could never match: add an "
			      "embargo.idPattern that does");
		error = EMB_ECONFIG;
	}
done:
	emb_hits_release(&hits);
	emb_match_ctx_free(ctx);
	emb_matcher_free(m);
	return error;
}
