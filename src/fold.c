/*
 * fold.c - folding Unicode look-alikes of identifier characters to
 * ASCII, with a map back to the original offsets.
 *
 * The table is small on purpose: only characters that can stand for a
 * letter, digit, separator or space of an identifier or alias are
 * folded, each to one ASCII byte or to nothing.  Cyrillic and Greek
 * look-alikes of Latin letters are folded only inside a word that is
 * otherwise Latin, or that reads like an identifier.  Other characters (and
 * bytes that are not UTF-8) pass through untouched, so aliases and
 * patterns written in other scripts still match.  Overlong and other
 * invalid sequences are never decoded: they are bytes, not characters.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/fold.h"
#include "embargo/utf8.h"

#define DROP 0x100 /* the character is removed */
#define KEEP (-1)
#define LOOKALIKE 0x200 /* folded only in a word with ASCII (see below) */

/*
 * Cyrillic and Greek letters that look like Latin ones (Unicode's
 * confusables), as the Latin letter | LOOKALIKE.
 */
static int lookalike(uint32_t cp)
{
	static const struct {
		uint16_t cp;
		char to;
	} t[] = {
		{ 0x0391, 'A' }, { 0x0392, 'B' }, { 0x0395, 'E' },
		{ 0x0396, 'Z' }, { 0x0397, 'H' }, { 0x0399, 'I' },
		{ 0x039A, 'K' }, { 0x039C, 'M' }, { 0x039D, 'N' },
		{ 0x039F, 'O' }, { 0x03A1, 'P' }, { 0x03A4, 'T' },
		{ 0x03A5, 'Y' }, { 0x03A7, 'X' }, { 0x03BF, 'o' },
		{ 0x0405, 'S' }, { 0x0406, 'I' }, { 0x0408, 'J' },
		{ 0x0410, 'A' }, { 0x0412, 'B' }, { 0x0415, 'E' },
		{ 0x041A, 'K' }, { 0x041C, 'M' }, { 0x041D, 'H' },
		{ 0x041E, 'O' }, { 0x0420, 'P' }, { 0x0421, 'C' },
		{ 0x0422, 'T' }, { 0x0425, 'X' }, { 0x0430, 'a' },
		{ 0x0435, 'e' }, { 0x043E, 'o' }, { 0x0440, 'p' },
		{ 0x0441, 'c' }, { 0x0443, 'y' }, { 0x0445, 'x' },
		{ 0x0455, 's' }, { 0x0456, 'i' }, { 0x0458, 'j' },
		{ 0x04BB, 'h' }, { 0x051A, 'Q' }, { 0x051B, 'q' },
		{ 0x051C, 'W' }, { 0x051D, 'w' },
	};
	size_t lo = 0, hi = sizeof(t) / sizeof(t[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t[mid].cp == cp)
			return t[mid].to | LOOKALIKE;
		if (t[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return KEEP;
}

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
	if (cp >= 0x0391 && cp <= 0x051D)
		return lookalike(cp);
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
	case 0xC2:
	case 0xC5:
	case 0xCD:
	case 0xCE:
	case 0xCF:
	case 0xD0:
	case 0xD1:
	case 0xD2:
	case 0xD4:
	case 0xD8:
	case 0xE1:
	case 0xE2:
	case 0xE3:
	case 0xEF:
	case 0xF0:
	case 0xF3:
		return true;
	}
	return false;
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
		n = emb_utf8_decode(&cp, u, len - i);
		if (n && fold_cp(cp) != KEEP)
			return i;
		i += n ? n : 1;
	}
	return len;
}

/* Letters of a word: ASCII letters and digits, U+00C0..U+053F. */
static bool word_lead(unsigned char c)
{
	return c < 0x80 ? (isalnum(c) != 0) : (c >= 0xC3 && c <= 0xD4);
}

static size_t char_before(const char *s, size_t i)
{
	do
		i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
	return i;
}

static size_t char_after(const char *s, size_t len, size_t i)
{
	do
		i++;
	while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80);
	return i;
}

/*
 * Does the look-alike at s[i] stand for a Latin letter?  Only in a word
 * that also has an ASCII letter or digit (CVE with a Cyrillic C), or
 * that a separator and a digit follow (SEC-1042 all in look-alikes):
 * words of Russian or Greek text stay as they are, so aliases and
 * patterns in those scripts still match.  *end: where the word ends,
 * so that the answer holds for the rest of it.
 */
static bool latin_word(const char *s, size_t len, size_t i, size_t *end)
{
	size_t a = i, b = i;
	bool ascii = false;
	uint32_t cp;
	size_t n;

	while (a > 0) {
		size_t p = char_before(s, a);

		if (!word_lead((unsigned char)s[p]))
			break;
		ascii |= (unsigned char)s[p] < 0x80;
		a = p;
	}
	while (b < len && word_lead((unsigned char)s[b])) {
		ascii |= (unsigned char)s[b] < 0x80;
		b = char_after(s, len, b);
	}
	*end = b;
	if (ascii)
		return true;
	if (b < len && strchr("-_. ", s[b]) && s[b])
		b++;
	else if (b < len && (unsigned char)s[b] >= 0x80 &&
		 (n = emb_utf8_decode(&cp, (const unsigned char *)s + b,
				      len - b)) &&
		 (fold_cp(cp) == '-' || fold_cp(cp) == ' '))
		b += n;
	return b < len && isdigit((unsigned char)s[b]);
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
	size_t i = first_fold(s, len), o, word_end = 0;
	bool latin = false;

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
		    !(n = emb_utf8_decode(&cp, u, len - i)) ||
		    (to = fold_cp(cp)) == KEEP) {
			f->text[o++] = (char)*u;
			i++;
			continue;
		}
		if (to & LOOKALIKE) {
			if (i >= word_end)
				latin = latin_word(s, len, i, &word_end);
			if (!latin) {
				memcpy(f->text + o, u, n);
				o += n;
				i += n;
				continue;
			}
			to &= ~LOOKALIKE;
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

size_t emb_fold_end(const struct emb_fold *f, const char *orig, size_t orig_len,
		    size_t pos)
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
	    (n = emb_utf8_decode(&cp, (const unsigned char *)orig + o,
				 orig_len - o)))
		return o + n;
	return o + 1;
}

void emb_fold_release(struct emb_fold *f)
{
	free(f->text);
	free(f->spans);
	memset(f, 0, sizeof(*f));
}
