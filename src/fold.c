/*
 * fold.c - folding Unicode look-alikes of identifier characters to
 * ASCII, with a map back to the original offsets.
 *
 * The table is small on purpose: only characters that can stand for a
 * letter, digit, separator or space of an identifier or alias are
 * folded, each to one ASCII byte or to nothing.  Other characters (and
 * bytes that are not UTF-8) pass through untouched, so aliases and
 * patterns written in other scripts still match.  Overlong and other
 * invalid sequences are never decoded: they are bytes, not characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/fold.h"

#define DROP 0x100 /* the character is removed */
#define KEEP (-1)

/*
 * What `cp` folds to: an ASCII byte, DROP, or KEEP.  NFKC gives the
 * full-width forms, the mathematical alphanumerics, the circled letters,
 * long s and the Kelvin sign; the confusables table the dashes and the
 * minus sign; the invisible ones are Unicode's default-ignorable
 * characters that can sit inside a word.
 */
static int fold_cp(uint32_t cp)
{
	if (cp < 0xA0)
		return KEEP;
	switch (cp) {
	case 0x00A0: /* no-break space */
	case 0x1680: /* ogham space mark */
	case 0x202F: /* narrow no-break space */
	case 0x205F: /* medium mathematical space */
	case 0x3000: /* ideographic space */
		return ' ';
	case 0x00AD: /* soft hyphen */
	case 0x034F: /* combining grapheme joiner */
	case 0x061C: /* arabic letter mark */
	case 0x115F: /* hangul fillers */
	case 0x1160:
	case 0x180E: /* mongolian vowel separator */
	case 0x3164:
	case 0xFEFF: /* zero-width no-break space, byte-order mark */
	case 0xFFA0:
		return DROP;
	case 0x017F: /* long s */
		return 's';
	case 0x212A: /* kelvin sign */
		return 'K';
	case 0x2024: /* one dot leader */
		return '.';
	case 0x2043: /* hyphen bullet */
	case 0x2212: /* minus sign */
	case 0x2E3A: /* two-em dash */
	case 0x2E3B: /* three-em dash */
	case 0xFE31: /* presentation forms of the em and en dash */
	case 0xFE32:
	case 0xFE58: /* small em dash */
	case 0xFE63: /* small hyphen-minus */
		return '-';
	}
	if (cp >= 0x2000 && cp <= 0x200A) /* en quad .. hair space */
		return ' ';
	if ((cp >= 0x200B && cp <= 0x200F) || /* zero-width, LRM, RLM */
	    (cp >= 0x202A && cp <= 0x202E) || /* bidi embeddings */
	    (cp >= 0x2060 && cp <= 0x206F) || /* word joiner, invisibles */
	    (cp >= 0xFE00 && cp <= 0xFE0F) || /* variation selectors */
	    (cp >= 0xE0000 && cp <= 0xE0FFF)) /* tags, selectors */
		return DROP;
	if (cp >= 0x2010 && cp <= 0x2015) /* hyphens, dashes, bar */
		return '-';
	if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
		return (int)(cp - 0xFEE0);
	if (cp >= 0x24B6 && cp <= 0x24CF) /* circled capitals */
		return (int)('A' + cp - 0x24B6);
	if (cp >= 0x24D0 && cp <= 0x24E9) /* circled small letters */
		return (int)('a' + cp - 0x24D0);
	if (cp >= 0x1D400 && cp <= 0x1D6A3) { /* bold, italic, script... */
		uint32_t k = (cp - 0x1D400) % 52;

		return k < 26 ? (int)('A' + k) : (int)('a' + k - 26);
	}
	if (cp >= 0x1D7CE && cp <= 0x1D7FF) /* mathematical digits */
		return (int)('0' + (cp - 0x1D7CE) % 10);
	if (cp >= 0x1FBF0 && cp <= 0x1FBF9) /* segmented digits */
		return (int)('0' + cp - 0x1FBF0);
	return KEEP;
}

/* Lead bytes of the sequences fold_cp can fold: the rest skip fast. */
static bool lead_may_fold(unsigned char c)
{
	switch (c) {
	case 0xC2: case 0xC5: case 0xCD: case 0xD8: case 0xE1: case 0xE2:
	case 0xE3: case 0xEF: case 0xF0: case 0xF3:
		return true;
	}
	return false;
}

/*
 * Decode the strict UTF-8 sequence at s[0..avail): its length, or 0
 * when the byte does not start a valid sequence.
 */
static size_t decode(uint32_t *cp, const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t v, min;

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

/* The offset of the first byte above 0x7F, or len. */
static size_t first_high(const char *s, size_t len)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
	}
	while (i < len && !((unsigned char)s[i] & 0x80))
		i++;
	return i;
}

/* The offset of the first character to fold, or len. */
static size_t first_fold(const char *s, size_t len)
{
	size_t i = first_high(s, len);

	while (i < len) {
		const unsigned char *u = (const unsigned char *)s + i;
		uint32_t cp;
		size_t n;

		if (*u < 0x80) {
			i++;
			continue;
		}
		if (!lead_may_fold(*u)) {
			i++;
			continue;
		}
		n = decode(&cp, u, len - i);
		if (n && fold_cp(cp) != KEEP)
			return i;
		i += n ? n : 1;
	}
	return len;
}

static void add_span(struct emb_fold *f, size_t folded, size_t orig)
{
	if (f->nspans == f->spans_alloc) {
		f->spans_alloc = f->spans_alloc ? 2 * f->spans_alloc : 16;
		f->spans = emb_xrealloc(f->spans,
					f->spans_alloc * sizeof(*f->spans));
	}
	f->spans[f->nspans].folded = folded;
	f->spans[f->nspans].orig = orig;
	f->nspans++;
}

bool emb_fold(struct emb_fold *f, const char *s, size_t len)
{
	size_t i = first_fold(s, len), o;

	f->len = 0;
	f->nspans = 0;
	if (i == len)
		return false;
	if (f->alloc < len + 1) {
		f->alloc = len + 1;
		free(f->text);
		f->text = emb_xmalloc(f->alloc);
	}
	memcpy(f->text, s, i);
	o = i;
	while (i < len) {
		const unsigned char *u = (const unsigned char *)s + i;
		uint32_t cp;
		size_t n;
		int to;

		if (*u < 0x80 || !lead_may_fold(*u) ||
		    !(n = decode(&cp, u, len - i)) ||
		    (to = fold_cp(cp)) == KEEP) {
			f->text[o++] = (char)*u;
			i++;
			continue;
		}
		if (to != DROP)
			f->text[o++] = (char)to;
		i += n;
		add_span(f, o, i);
	}
	f->text[o] = '\0';
	f->len = o;
	return true;
}

size_t emb_fold_start(const struct emb_fold *f, size_t pos)
{
	size_t lo = 0, hi = f->nspans;

	/* the last span that starts at or before pos */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->spans[mid].folded <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return pos;
	return f->spans[lo - 1].orig + (pos - f->spans[lo - 1].folded);
}

size_t emb_fold_end(const struct emb_fold *f, const char *orig,
		    size_t orig_len, size_t pos)
{
	size_t o = emb_fold_start(f, pos - 1);
	uint32_t cp;
	size_t n;

	/*
	 * The last character is either copied (one byte for one byte) or
	 * a folded sequence that became one ASCII byte: then take all of
	 * it.
	 */
	if ((unsigned char)f->text[pos - 1] < 0x80 &&
	    (unsigned char)orig[o] >= 0x80 &&
	    (n = decode(&cp, (const unsigned char *)orig + o, orig_len - o)))
		return o + n;
	return o + 1;
}

void emb_fold_release(struct emb_fold *f)
{
	free(f->text);
	free(f->spans);
	memset(f, 0, sizeof(*f));
}
