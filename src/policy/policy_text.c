/*
 * policy_text.c - a small reader for reStructuredText and AsciiDoc
 * policies: paragraphs, section titles, grid and simple tables (rST),
 * |=== tables (AsciiDoc), and the links and addresses in the text.
 *
 * It does not try to be a full parser of either language: a policy
 * needs its prose, its contacts and its versions table, and a line
 * that is none of those is prose.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

struct line {
	const char *s;
	size_t len;
};

struct reader {
	struct pol_doc *d;
	struct line *lines;
	size_t n;
	size_t section;
};

static bool is_blank(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		if (!isspace((unsigned char)l->s[i]))
			return false;
	return true;
}

/* "=====", "-----", "~~~~": one punctuation character repeated. */
static bool is_adornment(const struct line *l)
{
	size_t i, n = l->len;

	while (n && isspace((unsigned char)l->s[n - 1]))
		n--;
	if (n < 3 || !strchr("=-~^*#+'`\"._:", l->s[0]))
		return false;
	for (i = 1; i < n; i++)
		if (l->s[i] != l->s[0])
			return false;
	return true;
}

static bool is_grid_border(const struct line *l)
{
	size_t i, n = l->len;

	while (n && isspace((unsigned char)l->s[n - 1]))
		n--;
	if (n < 3 || l->s[0] != '+' || l->s[n - 1] != '+')
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("+-=", l->s[i]))
			return false;
	return true;
}

/* "=====  ======" with at least two columns. */
static bool is_simple_border(const struct line *l)
{
	size_t i, n = l->len, runs = 0;
	bool in = false;

	while (n && isspace((unsigned char)l->s[n - 1]))
		n--;
	if (!n || l->s[0] != '=')
		return false;
	for (i = 0; i < n; i++) {
		if (l->s[i] == '=') {
			if (!in)
				runs++;
			in = true;
		} else if (l->s[i] == ' ') {
			in = false;
		} else {
			return false;
		}
	}
	return runs >= 2;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return emb_xstrndup(s, n);
}

static void add_prose(struct reader *r, size_t from, size_t to,
		      enum pol_block_kind kind)
{
	struct emb_buf b = EMB_BUF_INIT;
	size_t i, blk;

	for (i = from; i < to; i++) {
		if (i > from)
			emb_buf_putc(&b, '\n');
		emb_buf_put(&b, r->lines[i].s, r->lines[i].len);
	}
	blk = pol_doc_add_block(r->d, kind, emb_buf_detach(&b), from + 1,
				r->section);
	if (kind == POL_BLK_HEADING)
		r->section = blk;
	pol_scan_tokens(r->d, r->d->blocks[blk].text,
			strlen(r->d->blocks[blk].text), from + 1, blk, true);
	if (kind == POL_BLK_TEXT)
		pol_scan_meta(r->d, r->d->blocks[blk].text, from + 1);
}

/* Split a row line at the given column starts (grid and simple tables). */
static char **split_columns(const struct line *l, const size_t *cols,
			    size_t ncols, bool grid)
{
	char **cells = emb_xcalloc(ncols, sizeof(char *));
	size_t c;

	/* a grid table's columns end at the next '+' (cols[ncols]) */
	for (c = 0; c < ncols; c++) {
		size_t a = cols[c] + (grid ? 1 : 0);
		size_t b = c + 1 < ncols || grid ? cols[c + 1] : l->len;

		if (a > l->len)
			a = l->len;
		if (b > l->len)
			b = l->len;
		cells[c] = trimmed(l->s + a, b > a ? b - a : 0);
	}
	return cells;
}

static void append_cells(char **row, char **more, size_t n)
{
	size_t c;

	for (c = 0; c < n; c++) {
		if (*more[c]) {
			size_t len = strlen(row[c]);

			row[c] =
				emb_xrealloc(row[c], len + strlen(more[c]) + 2);
			if (len)
				row[c][len++] = ' ';
			strcpy(row[c] + len, more[c]);
		}
		free(more[c]);
	}
	free(more);
}

static void add_cell_blocks(struct reader *r, char **cells, size_t n,
			    size_t line)
{
	size_t c;

	for (c = 0; c < n; c++) {
		size_t b = pol_doc_add_block(r->d, POL_BLK_CELL,
					     emb_xstrdup(cells[c]), line,
					     r->section);

		pol_scan_tokens(r->d, cells[c], strlen(cells[c]), line, b,
				true);
	}
}

/* A grid table starting at line i; returns the line after it. */
static size_t grid_table(struct reader *r, size_t i)
{
	struct pol_table *t = pol_doc_add_table(r->d, i + 1);
	size_t cols[65], ncols = 0, k, j, first = 0;
	char **row = NULL;
	const struct line *b = &r->lines[i];

	/* cols[0..ncols]: the '+' of the border, one more than columns */
	for (k = 0; k < b->len && ncols < 64; k++)
		if (b->s[k] == '+')
			cols[ncols++] = k;
	ncols--;
	for (j = i + 1; j < r->n; j++) {
		const struct line *l = &r->lines[j];

		if (is_grid_border(l)) {
			bool header = memchr(l->s, '=', l->len) != NULL;

			if (row) {
				add_cell_blocks(r, row, ncols, first + 1);
				pol_table_add_row(t, row, ncols, first + 1,
						  header);
				row = NULL;
			}
			continue;
		}
		if (!l->len || (l->s[0] != '|' && l->s[0] != '+'))
			break;
		if (!row) {
			row = split_columns(l, cols, ncols, true);
			first = j;
		} else {
			append_cells(row, split_columns(l, cols, ncols, true),
				     ncols);
		}
	}
	if (row) { /* no closing border: keep what was read */
		add_cell_blocks(r, row, ncols, first + 1);
		pol_table_add_row(t, row, ncols, first + 1, false);
		t->ragged = true;
	}
	/* a row line whose bars are not where the border put them */
	for (k = i + 1; k < j; k++) {
		const struct line *l = &r->lines[k];
		size_t c;

		if (l->s[0] != '|')
			continue;
		for (c = 1; c <= ncols; c++)
			if (cols[c] >= l->len || l->s[cols[c]] != '|')
				t->ragged = true;
	}
	return j;
}

/* An rST simple table starting at border line i. */
static size_t simple_table(struct reader *r, size_t i)
{
	struct pol_table *t = pol_doc_add_table(r->d, i + 1);
	const struct line *b = &r->lines[i];
	size_t cols[64], ncols = 0, k, j, borders = 1, nrows_before = 0;
	bool in = false;

	for (k = 0; k < b->len && ncols < 64; k++) {
		if (b->s[k] == '=' && !in)
			cols[ncols++] = k;
		in = b->s[k] == '=';
	}
	for (j = i + 1; j < r->n; j++) {
		const struct line *l = &r->lines[j];
		char **cells;

		if (is_simple_border(l)) {
			borders++;
			if (borders == 2)
				nrows_before = t->nrows;
			if (borders == 3 ||
			    (j + 1 < r->n && is_blank(&r->lines[j + 1]))) {
				j++;
				break;
			}
			continue;
		}
		if (is_blank(l))
			continue;
		cells = split_columns(l, cols, ncols, false);
		add_cell_blocks(r, cells, ncols, j + 1);
		pol_table_add_row(t, cells, ncols, j + 1, false);
	}
	/* with three borders, the rows above the second are the header */
	if (borders == 3)
		for (k = 0; k < nrows_before; k++)
			t->rows[k].header = true;
	return j;
}

/* An AsciiDoc |=== table starting at line i. */
static size_t adoc_table(struct reader *r, size_t i)
{
	struct pol_table *t = pol_doc_add_table(r->d, i + 1);
	char **cells = NULL;
	size_t *lines = NULL, n = 0, ncols = 0, j, k, first_line_end = 0;
	bool header = false;

	for (j = i + 1; j < r->n; j++) {
		const struct line *l = &r->lines[j];
		size_t a = 0, count = 0;

		if (l->len >= 4 && !strncmp(l->s, "|===", 4)) {
			j++;
			break;
		}
		if (is_blank(l)) {
			if (n && n == first_line_end && !header && ncols)
				header = true;
			continue;
		}
		if (l->s[0] != '|')
			continue;
		while (a < l->len) {
			size_t e = a + 1;

			while (e < l->len && l->s[e] != '|')
				e++;
			cells = emb_xrealloc(cells, (n + 1) * sizeof(char *));
			lines = emb_xrealloc(lines, (n + 1) * sizeof(size_t));
			cells[n] = trimmed(l->s + a + 1, e - a - 1);
			lines[n++] = j + 1;
			count++;
			a = e;
		}
		if (!ncols) {
			ncols = count;
			first_line_end = n;
		} else if (count != ncols && count != 1) {
			t->ragged = true;
		}
	}
	if (!ncols)
		ncols = 1;
	for (k = 0; k < n; k += ncols) {
		size_t m = n - k < ncols ? n - k : ncols, c;
		char **row = emb_xcalloc(ncols, sizeof(char *));

		for (c = 0; c < ncols; c++)
			row[c] = c < m ? cells[k + c] : emb_xstrdup("");
		if (m < ncols)
			t->ragged = true;
		add_cell_blocks(r, row, ncols, lines[k]);
		pol_table_add_row(t, row, ncols, lines[k], k == 0 && header);
	}
	free(cells);
	free(lines);
	return j;
}

static bool is_list_start(const struct line *l)
{
	size_t i = 0;

	while (i < l->len && l->s[i] == ' ')
		i++;
	if (i + 1 < l->len && strchr("-*+.", l->s[i]) && l->s[i + 1] == ' ')
		return true;
	while (i < l->len && isdigit((unsigned char)l->s[i]))
		i++;
	return i > 0 && i + 1 < l->len && (l->s[i] == '.' || l->s[i] == ')') &&
	       l->s[i + 1] == ' ' && isdigit((unsigned char)l->s[0]);
}

static bool adoc_title(const struct line *l)
{
	size_t i = 0;

	while (i < l->len && (l->s[i] == '=' || l->s[i] == '#'))
		i++;
	return i > 0 && i < 7 && i < l->len && l->s[i] == ' ';
}

void pol_parse_text(struct pol_doc *d, const char *text, size_t len)
{
	struct reader r = { d, NULL, 0, SIZE_MAX };
	size_t i = 0, alloc = 0, start;
	size_t fm = pol_front_matter(d, text, len);
	bool adoc = d->format == POL_ASCIIDOC;

	/* lines, without their line breaks; front matter kept as blank */
	while (i < len) {
		const char *s = text + i, *e = memchr(s, '\n', len - i);
		size_t n = e ? (size_t)(e - s) : len - i;
		size_t next = i + n + (e ? 1 : 0);

		if (n && s[n - 1] == '\r')
			n--;
		if (r.n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			r.lines =
				emb_xrealloc(r.lines, alloc * sizeof(*r.lines));
		}
		r.lines[r.n].s = i < fm ? "" : s;
		r.lines[r.n].len = i < fm ? 0 : n;
		r.n++;
		i = next;
	}

	i = 0;
	while (i < r.n) {
		const struct line *l = &r.lines[i];

		if (is_blank(l)) {
			i++;
			continue;
		}
		if (is_grid_border(l)) {
			i = grid_table(&r, i);
			continue;
		}
		if (!adoc && is_simple_border(l)) {
			i = simple_table(&r, i);
			continue;
		}
		if (adoc && l->len >= 4 && !strncmp(l->s, "|===", 4)) {
			i = adoc_table(&r, i);
			continue;
		}
		/* rST title: [overline] text underline */
		if (is_adornment(l) && i + 2 < r.n &&
		    !is_blank(&r.lines[i + 1]) &&
		    is_adornment(&r.lines[i + 2])) {
			add_prose(&r, i + 1, i + 2, POL_BLK_HEADING);
			i += 3;
			continue;
		}
		if (i + 1 < r.n && is_adornment(&r.lines[i + 1]) &&
		    !is_adornment(l)) {
			add_prose(&r, i, i + 1, POL_BLK_HEADING);
			i += 2;
			continue;
		}
		if (is_adornment(l)) { /* a transition */
			i++;
			continue;
		}
		if (adoc && adoc_title(l)) {
			add_prose(&r, i, i + 1, POL_BLK_HEADING);
			i++;
			continue;
		}
		if ((!adoc && l->len >= 3 && !strncmp(l->s, "..", 2) &&
		     l->s[2] == ' ') ||
		    (adoc && l->len >= 2 && !strncmp(l->s, "//", 2))) {
			/* rST comment or directive, AsciiDoc comment */
			bool target = !adoc && (l->s[3] == '_' ||
						strstr(l->s, "::") != NULL);

			start = i++;
			while (i < r.n && !is_blank(&r.lines[i]) &&
			       (r.lines[i].s[0] == ' ' || adoc))
				i++;
			/* link targets and directives carry links; comments
			 * are not shown */
			if (target)
				add_prose(&r, start, i, POL_BLK_CODE);
			else
				pol_doc_add_block(r.d, POL_BLK_HTML,
						  emb_xstrdup(""), start + 1,
						  r.section);
			continue;
		}
		start = i++;
		while (i < r.n && !is_blank(&r.lines[i]) &&
		       !is_list_start(&r.lines[i]) &&
		       !is_grid_border(&r.lines[i]) &&
		       !(i + 1 < r.n && is_adornment(&r.lines[i + 1])) &&
		       !(adoc && adoc_title(&r.lines[i])))
			i++;
		add_prose(&r, start, i, POL_BLK_TEXT);
	}
	free(r.lines);
}
