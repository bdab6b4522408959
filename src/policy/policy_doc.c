/*
 * policy_doc.c - the parsed form of a policy that the rules read: leaf
 * blocks of visible text, links, e-mail addresses, tables and "Key:
 * value" lines.  The Markdown reader (policy_md.c) and the text reader
 * for reStructuredText and AsciiDoc (policy_text.c) fill it; this file
 * holds what both use.  Nothing here judges anything.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

#define GROW(arr, n, alloc)                                                    \
	do {                                                                   \
		if ((n) == (alloc)) {                                          \
			(alloc) = (alloc) ? (alloc)*2 : 8;                     \
			(arr) = emb_xrealloc((arr), (alloc) * sizeof(*(arr))); \
		}                                                              \
	} while (0)

size_t pol_doc_add_block(struct pol_doc *d, enum pol_block_kind kind,
			 char *text, size_t line, size_t section)
{
	struct pol_block *b;
	const char *p;

	GROW(d->blocks, d->nblocks, d->ablocks);
	b = &d->blocks[d->nblocks];
	b->kind = kind;
	b->text = text;
	b->line = line;
	b->section = section;
	if (kind != POL_BLK_HEADING && kind != POL_BLK_HTML)
		for (p = text; *p; p++)
			if (!isspace((unsigned char)*p)) {
				d->has_body = true;
				break;
			}
	return d->nblocks++;
}

void pol_doc_add_link(struct pol_doc *d, const char *url, size_t ulen,
		      const char *text, size_t tlen, size_t line, size_t block,
		      size_t offset, bool bare)
{
	struct pol_link *l;

	GROW(d->links, d->nlinks, d->alinks);
	l = &d->links[d->nlinks++];
	l->url = emb_xstrndup(url, ulen);
	l->text = emb_xstrndup(text, tlen);
	l->line = line;
	l->block = block;
	l->offset = offset;
	l->bare = bare;
	if (ulen > 7 && !strncasecmp(url, "mailto:", 7)) {
		size_t n = 7;

		while (n < ulen && url[n] != '?')
			n++;
		pol_doc_add_email(d, url + 7, n - 7, line, block, offset);
	}
}

void pol_doc_add_email(struct pol_doc *d, const char *addr, size_t len,
		       size_t line, size_t block, size_t offset)
{
	struct pol_email *e;

	if (!len)
		return;
	GROW(d->emails, d->nemails, d->aemails);
	e = &d->emails[d->nemails++];
	e->addr = emb_xstrndup(addr, len);
	e->line = line;
	e->block = block;
	e->offset = offset;
}

struct pol_table *pol_doc_add_table(struct pol_doc *d, size_t line)
{
	struct pol_table *t;

	GROW(d->tables, d->ntables, d->atables);
	t = &d->tables[d->ntables++];
	memset(t, 0, sizeof(*t));
	t->line = line;
	d->has_body = true;
	return t;
}

void pol_table_add_row(struct pol_table *t, char **cells, size_t n, size_t line,
		       bool header)
{
	struct pol_row *r;

	t->rows = emb_xrealloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
	r = &t->rows[t->nrows++];
	r->cells = cells;
	r->ncells = n;
	r->line = line;
	r->header = header;
	if (t->nrows > 1 && n != t->rows[0].ncells)
		t->ragged = true;
}

void pol_doc_add_meta(struct pol_doc *d, const char *key, size_t klen,
		      const char *value, size_t vlen, size_t line)
{
	struct pol_meta *m;
	struct emb_buf k = EMB_BUF_INIT;
	size_t i;
	bool space = false;

	for (i = 0; i < klen; i++) {
		unsigned char c = (unsigned char)key[i];

		if (isspace(c) || c == '_' || c == '-') {
			space = k.size > 0;
			continue;
		}
		if (space)
			emb_buf_putc(&k, ' ');
		space = false;
		emb_buf_putc(&k, (char)tolower(c));
	}
	while (vlen && isspace((unsigned char)*value)) {
		value++;
		vlen--;
	}
	while (vlen && isspace((unsigned char)value[vlen - 1]))
		vlen--;
	GROW(d->meta, d->nmeta, d->ameta);
	m = &d->meta[d->nmeta++];
	m->key = emb_buf_detach(&k);
	m->value = emb_xstrndup(value, vlen);
	m->line = line;
}

bool pol_is_email_char(int c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
	       c == '-';
}

static bool is_domain_char(int c)
{
	return isalnum(c) || c == '.' || c == '-';
}

static bool url_stop(int c)
{
	return c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' ||
	       c == '`' || c == '[' || c == ']' || c == '|' || c == '{' ||
	       c == '}' || c == '\\' || c == 0x7f;
}

/* Length of the URL at s: stops at spaces and markup, trims the
 * punctuation that ends a sentence, keeps balanced parentheses. */
static size_t url_length(const char *s, size_t len)
{
	size_t n = 0, open = 0;

	while (n < len && !url_stop((unsigned char)s[n])) {
		if (s[n] == '(')
			open++;
		else if (s[n] == ')') {
			if (!open)
				break;
			open--;
		}
		n++;
	}
	while (n && strchr(".,;:!?*_", s[n - 1]))
		n--;
	return n;
}

/* An e-mail address around the '@' at s[at]: its bounds, or false. */
static bool email_at(const char *s, size_t len, size_t at, size_t *start,
		     size_t *end)
{
	size_t b = at, e = at + 1, dot = 0, i, tld = 0;

	while (b > 0 && pol_is_email_char((unsigned char)s[b - 1]))
		b--;
	while (b < at && (s[b] == '.' || s[b] == '-'))
		b++;
	while (e < len && is_domain_char((unsigned char)s[e]))
		e++;
	while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
		e--;
	if (b == at || e <= at + 1)
		return false;
	for (i = at + 1; i < e; i++)
		if (s[i] == '.')
			dot = i;
	if (!dot)
		return false;
	for (i = dot + 1; i < e; i++) {
		if (!isalpha((unsigned char)s[i]))
			return false;
		tld++;
	}
	if (tld < 2)
		return false;
	*start = b;
	*end = e;
	return true;
}

static bool has_prefix_ci(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !strncasecmp(s, p, n);
}

/*
 * A spelt-out separator at s (the word "at" or "dot"): "[w]", "(w)",
 * "{w}", "<w>" with or without spaces around, or " w " between spaces
 * (*spelt set).  @return its length, 0 when there is none
 */
static size_t spelt(const char *s, size_t len, const char *w, bool *spelt_out)
{
	static const char open[] = "[({<", close[] = "])}>";
	size_t n = strlen(w), i = 0, k;
	const char *o;

	*spelt_out = false;
	while (i < len && s[i] == ' ')
		i++;
	if (i < len && (o = strchr(open, s[i])) && *o) {
		k = (size_t)(o - open);
		if (i + n + 2 <= len && !strncasecmp(s + i + 1, w, n) &&
		    s[i + n + 1] == close[k]) {
			i += n + 2;
			while (i < len && s[i] == ' ')
				i++;
			return i;
		}
		return 0;
	}
	/* " at ", " AT ": spaces on both sides, nothing else */
	if (i == 0 || i + n + 1 > len || strncasecmp(s + i, w, n) ||
	    s[i + n] != ' ')
		return 0;
	if (i + n < len && isalpha((unsigned char)s[i + n]))
		return 0;
	*spelt_out = true;
	return i + n + 1;
}

/* Prose says "meet at noon dot times": the plain word "at" makes an
 * address only with a top-level domain people write that way. */
static bool common_tld(const char *s, size_t n)
{
	static const char *const tlds[] = {
		"com", "org", "net", "io", "dev",  "edu", "gov", "co", "uk",
		"de",  "fr",  "nl",  "eu", "ch",   "jp",  "cn",	 "ru", "br",
		"au",  "ca",  "in",  "it", "es",   "se",  "no",	 "fi", "dk",
		"be",  "at",  "pl",  "cz", "info", "app", "ai",	 "me", "sh"
	};
	size_t i;

	for (i = 0; i < sizeof(tlds) / sizeof(tlds[0]); i++)
		if (strlen(tlds[i]) == n && !strncasecmp(s, tlds[i], n))
			return true;
	return false;
}

/*
 * An address written to keep harvesters off, at s[i] (the first byte
 * after the local part): "security [at] example.org", "security (at)
 * pgadmin (dot) org", "name at example dot com" (the plain word "at" only
 * with a spelt "dot", so that "look at example.com" is no address).
 * @param[out] addr "local@domain", the caller's to free
 */
static bool obfuscated_email(const char *s, size_t len, size_t i, size_t *start,
			     size_t *end, char **addr)
{
	struct emb_buf a = EMB_BUF_INIT;
	size_t b = i, e, n, last = 0, ndots = 0;
	bool plain_at, any_spelt_dot = false;

	while (b > 0 && pol_is_email_char((unsigned char)s[b - 1]))
		b--;
	while (b < i && (s[b] == '.' || s[b] == '-'))
		b++;
	if (b == i || !(n = spelt(s + i, len - i, "at", &plain_at)))
		return false;
	emb_buf_put(&a, s + b, i - b);
	emb_buf_putc(&a, '@');
	e = i + n;
	for (;;) {
		size_t l = e, k;
		bool pd;

		while (l < len && (isalnum((unsigned char)s[l]) || s[l] == '-'))
			l++;
		if (l == e)
			break;
		emb_buf_put(&a, s + e, l - e);
		last = e;
		e = l;
		if (e + 1 < len && s[e] == '.' &&
		    isalnum((unsigned char)s[e + 1])) {
			k = 1;
			pd = false;
		} else if (!(k = spelt(s + e, len - e, "dot", &pd))) {
			break;
		} else {
			any_spelt_dot = true;
		}
		(void)pd;
		emb_buf_putc(&a, '.');
		e += k;
		ndots++;
	}
	/* the address ends with a label: drop a separator taken after it */
	if (a.size && a.ptr[a.size - 1] == '.') {
		a.ptr[--a.size] = '\0';
		ndots--;
	}
	n = 0;
	while (last && last + n < e && isalpha((unsigned char)s[last + n]))
		n++;
	if (!ndots || n < 2 || (plain_at && !any_spelt_dot) ||
	    (plain_at && !common_tld(s + last, n))) {
		emb_buf_release(&a);
		return false;
	}
	/* the end of the last label */
	e = last;
	while (e < len && (isalnum((unsigned char)s[e]) || s[e] == '-'))
		e++;
	*start = b;
	*end = e;
	*addr = emb_buf_detach(&a);
	return true;
}

void pol_scan_obfuscated(struct pol_doc *d, const char *text, size_t len,
			 size_t line, size_t block)
{
	size_t i, b, e;

	for (i = 1; i < len; i++) {
		char *addr = NULL;

		if (text[i - 1] == '\n')
			line++;
		if (!strchr(" [({<", text[i]) ||
		    !pol_is_email_char((unsigned char)text[i - 1]) ||
		    !obfuscated_email(text, len, i, &b, &e, &addr))
			continue;
		pol_doc_add_email(d, addr, strlen(addr), line, block, b);
		free(addr);
		for (; i < e; i++)
			if (text[i] == '\n')
				line++;
	}
}

void pol_scan_tokens(struct pol_doc *d, const char *text, size_t len,
		     size_t line, size_t block, bool links)
{
	size_t i = 0;

	while (i < len) {
		const char *s = text + i;
		size_t rest = len - i, n, b, e;

		if (text[i] == '\n') {
			line++;
			i++;
			continue;
		}
		if ((i == 0 || !isalnum((unsigned char)text[i - 1])) &&
		    (has_prefix_ci(s, rest, "https://") ||
		     has_prefix_ci(s, rest, "http://") ||
		     has_prefix_ci(s, rest, "mailto:") ||
		     (links && has_prefix_ci(s, rest, "link:")))) {
			const char *url = s, *t = NULL;
			size_t tlen = 0, skip;

			if (has_prefix_ci(s, rest, "link:")) {
				url += 5;
				rest -= 5;
			}
			skip = (size_t)(url - s);
			n = url_length(url, rest);
			if (n <= 8 && strncasecmp(url, "mailto:", 7)) {
				i += skip + (n ? n : 1);
				continue;
			}
			/* AsciiDoc url[text], rST `text <url>`_ */
			if (skip + n < len - i && url[n] == '[') {
				const char *close =
					memchr(url + n, ']', rest - n);

				if (close) {
					t = url + n + 1;
					tlen = (size_t)(close - t);
				}
			} else if (i > 0 && text[i - 1] == '<') {
				size_t k = i - 1;

				while (k > 0 && text[k - 1] != '`' &&
				       text[k - 1] != '\n')
					k--;
				if (k > 0 && text[k - 1] == '`') {
					t = text + k;
					tlen = i - 1 - k;
					while (tlen &&
					       isspace((unsigned char)
							       t[tlen - 1]))
						tlen--;
				}
			}
			if (links) {
				pol_doc_add_link(d, url, n, t && tlen ? t : url,
						 t && tlen ? tlen : n, line,
						 block, i, !(t && tlen));
			} else if (!strncasecmp(url, "mailto:", 7)) {
				size_t alen = 0;

				while (7 + alen < n && url[7 + alen] != '?')
					alen++;
				pol_doc_add_email(d, url + 7, alen, line, block,
						  i);
			}
			i += skip + n;
			continue;
		}
		if (text[i] == '@' && email_at(text, len, i, &b, &e)) {
			pol_doc_add_email(d, text + b, e - b, line, block, b);
			i = e;
			continue;
		}
		if (links && strchr(" [({<", text[i]) && i > 0 &&
		    pol_is_email_char((unsigned char)text[i - 1])) {
			char *addr = NULL;

			if (obfuscated_email(text, len, i, &b, &e, &addr)) {
				pol_doc_add_email(d, addr, strlen(addr), line,
						  block, b);
				free(addr);
				i = e;
				continue;
			}
		}
		i++;
	}
}

static const char *const meta_phrases[] = {
	"last reviewed", "last updated", "last modified", "last revised",
	"last review",	 "last update",	 "reviewed",	  "updated",
	"expires",	 "expiry",	 "valid until",	  "review date",
	"date",
};

void pol_scan_meta(struct pol_doc *d, const char *text, size_t line)
{
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n'), *s = p, *colon;
		size_t len, k, i;

		if (!eol)
			eol = p + strlen(p);
		while (s < eol &&
		       (isspace((unsigned char)*s) || *s == '*' || *s == '_' ||
			*s == '-' || *s == '>' || *s == ':'))
			s++;
		len = (size_t)(eol - s);
		colon = memchr(s, ':', len);
		if (colon && colon - s <= 40 && colon > s) {
			const char *v = colon + 1;
			size_t klen = (size_t)(colon - s);
			bool ok = true;

			while (klen &&
			       (s[klen - 1] == '*' || s[klen - 1] == '_' ||
				isspace((unsigned char)s[klen - 1])))
				klen--;
			for (i = 0; i < klen; i++)
				if (!isalpha((unsigned char)s[i]) &&
				    !strchr(" _-", s[i]))
					ok = false;
			while (v < eol && (*v == '*' || *v == '_' ||
					   isspace((unsigned char)*v)))
				v++;
			if (ok && klen)
				pol_doc_add_meta(d, s, klen, v,
						 (size_t)(eol - v), line);
		} else {
			/* "Last updated on 2024-05-01" */
			for (k = 0;
			     k < sizeof(meta_phrases) / sizeof(meta_phrases[0]);
			     k++) {
				size_t n = strlen(meta_phrases[k]);
				const char *v = s + n;

				if (len <= n ||
				    strncasecmp(s, meta_phrases[k], n) ||
				    !isspace((unsigned char)s[n]) ||
				    strncmp(meta_phrases[k], "last", 4))
					continue;
				while (v < eol && isspace((unsigned char)*v))
					v++;
				if ((size_t)(eol - v) > 3 &&
				    !strncasecmp(v, "on ", 3))
					v += 3;
				pol_doc_add_meta(d, s, n, v, (size_t)(eol - v),
						 line);
				break;
			}
		}
		line++;
		p = *eol ? eol + 1 : eol;
	}
}

size_t pol_front_matter(struct pol_doc *d, const char *text, size_t len)
{
	size_t i, line = 2;

	if (len < 4 || strncmp(text, "---", 3) ||
	    (text[3] != '\n' && text[3] != '\r'))
		return 0;
	i = text[3] == '\r' ? 5 : 4;
	while (i < len) {
		const char *s = text + i, *eol = memchr(s, '\n', len - i);
		size_t n = eol ? (size_t)(eol - s) : len - i;
		const char *colon;

		if (n && s[n - 1] == '\r')
			n--;
		if ((n == 3 &&
		     (!strncmp(s, "---", 3) || !strncmp(s, "...", 3))))
			return eol ? (size_t)(eol - text) + 1 : len;
		colon = memchr(s, ':', n);
		if (colon && colon > s && !isspace((unsigned char)*s))
			pol_doc_add_meta(d, s, (size_t)(colon - s), colon + 1,
					 n - (size_t)(colon + 1 - s), line);
		if (!eol)
			break;
		i = (size_t)(eol - text) + 1;
		line++;
	}
	/* no closing line: not front matter after all */
	for (i = 0; i < d->nmeta; i++) {
		free(d->meta[i].key);
		free(d->meta[i].value);
	}
	d->nmeta = 0;
	return 0;
}

void pol_doc_parse(struct pol_doc *d, const char *text, size_t len,
		   enum pol_format format)
{
	memset(d, 0, sizeof(*d));
	d->format = format;
	d->text = text;
	d->len = len;
	if (format == POL_MARKDOWN)
		pol_parse_markdown(d, text, len);
	else
		pol_parse_text(d, text, len);
}

void pol_doc_release(struct pol_doc *d)
{
	size_t i, j;

	for (i = 0; i < d->nblocks; i++)
		free(d->blocks[i].text);
	for (i = 0; i < d->nlinks; i++) {
		free(d->links[i].url);
		free(d->links[i].text);
	}
	for (i = 0; i < d->nemails; i++)
		free(d->emails[i].addr);
	for (i = 0; i < d->ntables; i++) {
		for (j = 0; j < d->tables[i].nrows; j++) {
			size_t k;

			for (k = 0; k < d->tables[i].rows[j].ncells; k++)
				free(d->tables[i].rows[j].cells[k]);
			free(d->tables[i].rows[j].cells);
		}
		free(d->tables[i].rows);
	}
	for (i = 0; i < d->nmeta; i++) {
		free(d->meta[i].key);
		free(d->meta[i].value);
	}
	free(d->blocks);
	free(d->links);
	free(d->emails);
	free(d->tables);
	free(d->meta);
	memset(d, 0, sizeof(*d));
}

const char *pol_section_of(const struct pol_doc *d, size_t block)
{
	if (block >= d->nblocks || d->blocks[block].section >= d->nblocks)
		return "";
	return d->blocks[d->blocks[block].section].text;
}

static bool sentence_end(const char *s, size_t i)
{
	return strchr(".!?;", s[i]) &&
	       (s[i + 1] == '\0' || isspace((unsigned char)s[i + 1]));
}

void pol_sentence(const struct pol_doc *d, size_t block, size_t offset,
		  size_t *start, size_t *end)
{
	const char *s;
	size_t len, b, e;

	*start = *end = 0;
	if (block >= d->nblocks)
		return;
	s = d->blocks[block].text;
	len = strlen(s);
	if (offset > len)
		offset = len;
	for (b = offset; b > 0 && !sentence_end(s, b - 1); b--)
		;
	for (e = offset; e < len && !sentence_end(s, e); e++)
		;
	*start = b;
	*end = e < len ? e + 1 : len;
}

const char *pol_memcasestr(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	if (!m)
		return hay;
	for (i = 0; i + m <= n; i++)
		if (!strncasecmp(hay + i, needle, m))
			return hay + i;
	return NULL;
}
