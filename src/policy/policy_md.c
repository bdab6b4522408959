/*
 * policy_md.c - reading a Markdown policy with cmark-gfm and its table
 * and autolink extensions into a struct pol_doc.
 *
 * cmark-gfm finds the links (inline, reference-style, <autolinks>, and
 * with the autolink extension bare URLs and e-mail addresses), tables
 * and the visible text of each block.  What it leaves as literal text
 * (code spans, HTML) is searched for addresses with pol_scan_tokens().
 * YAML front matter, which Markdown does not know, is read first.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "policy_int.h"

struct md_state {
	struct pol_doc *d;
	size_t base;	/* lines before what cmark was given */
	size_t line;	/* current source line */
	size_t section; /* current heading block, SIZE_MAX when none */
	bool in_block;
	size_t block; /* index the current leaf block will get */
	size_t block_line;
	struct emb_buf text;
	/* the link being read */
	int link_depth;
	size_t link_offset, link_line;
	char *link_url;
	/* the table being read */
	size_t table;
	bool in_table;
	char **cells;
	size_t ncells;
	size_t row_line;
	bool row_header;
};

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* cmark-gfm's registry is a global list: the audit's workers parse at
 * the same time, so it is filled once, before any of them reads it. */
static void ensure_extensions(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, register_extensions);
}

static size_t node_line(struct md_state *st, cmark_node *n)
{
	int l = cmark_node_get_start_line(n);

	return l > 0 ? st->base + (size_t)l : st->line;
}

/* An HTML tag like <SECURITY_EMAIL> is a placeholder, not markup. */
static bool placeholder_tag(const char *s)
{
	size_t n = strlen(s), i, upper = 0;

	if (n < 4 || s[0] != '<' || s[n - 1] != '>')
		return false;
	for (i = 1; i + 1 < n; i++) {
		if (isupper((unsigned char)s[i]))
			upper++;
		else if (s[i] != '_' && s[i] != '-' &&
			 !isdigit((unsigned char)s[i]))
			return false;
	}
	return upper >= 2;
}

/* Visible text of an HTML block: tags and comments removed. */
static char *html_text(const char *html)
{
	struct emb_buf b = EMB_BUF_INIT;
	const char *p = html;

	while (*p) {
		if (!strncmp(p, "<!--", 4)) {
			const char *e = strstr(p + 4, "-->");

			p = e ? e + 3 : p + strlen(p);
		} else if (*p == '<' && (isalpha((unsigned char)p[1]) ||
					 p[1] == '/' || p[1] == '!')) {
			const char *e = strchr(p, '>');

			p = e ? e + 1 : p + strlen(p);
		} else {
			emb_buf_putc(&b, *p++);
		}
	}
	return emb_buf_detach(&b);
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static void enter(struct md_state *st, cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	const char *type = cmark_node_get_type_string(n);
	const char *lit;

	if (cmark_node_get_start_line(n) > 0)
		st->line = node_line(st, n);

	switch (t) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		if (st->in_block) /* a paragraph inside a table cell? */
			return;
		st->in_block = true;
		st->block = st->d->nblocks;
		st->block_line = st->line;
		emb_buf_clear(&st->text);
		return;
	case CMARK_NODE_CODE_BLOCK: {
		int flen = 0, foff = 0;
		char fch = 0;
		size_t b;

		lit = cmark_node_get_literal(n);
		/* fenced code starts on the line after the fence */
		b = pol_doc_add_block(
			st->d, POL_BLK_CODE, emb_xstrdup(lit ? lit : ""),
			st->line +
				(cmark_node_get_fenced(n, &flen, &foff, &fch) ?
					 1 :
					 0),
			st->section);
		pol_scan_tokens(st->d, st->d->blocks[b].text,
				strlen(st->d->blocks[b].text),
				st->d->blocks[b].line, b, false);
		return;
	}
	case CMARK_NODE_HTML_BLOCK: {
		char *vis;
		size_t b;

		lit = cmark_node_get_literal(n);
		lit = lit ? lit : "";
		vis = html_text(lit);
		if (!blank(vis)) {
			b = pol_doc_add_block(st->d, POL_BLK_TEXT, vis,
					      st->line, st->section);
			pol_scan_meta(st->d, vis, st->line);
			pol_scan_tokens(st->d, lit, strlen(lit), st->line, b,
					true);
		} else {
			/* comments: not shown, so no contact of anyone's */
			free(vis);
			pol_doc_add_block(st->d, POL_BLK_HTML, emb_xstrdup(lit),
					  st->line, st->section);
		}
		return;
	}
	default:
		break;
	}

	if (!strcmp(type, "table")) {
		st->table = (size_t)(pol_doc_add_table(st->d, st->line) -
				     st->d->tables);
		st->in_table = true;
		return;
	}
	if (!strcmp(type, "table_row") || !strcmp(type, "table_header")) {
		st->cells = NULL;
		st->ncells = 0;
		st->row_line = st->line;
		st->row_header =
			!strcmp(type, "table_header") ||
			cmark_gfm_extensions_get_table_row_is_header(n);
		return;
	}
	if (!strcmp(type, "table_cell")) {
		st->in_block = true;
		st->block = st->d->nblocks;
		st->block_line = cmark_node_get_start_line(n) > 0 ?
					 st->line :
					 st->row_line;
		emb_buf_clear(&st->text);
		return;
	}

	if (!st->in_block)
		return;
	switch (t) {
	case CMARK_NODE_TEXT:
		lit = cmark_node_get_literal(n);
		emb_buf_puts(&st->text, lit ? lit : "");
		break;
	case CMARK_NODE_CODE:
		lit = cmark_node_get_literal(n);
		lit = lit ? lit : "";
		pol_scan_tokens(st->d, lit, strlen(lit), st->line, st->block,
				false);
		emb_buf_puts(&st->text, lit);
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		emb_buf_putc(&st->text, '\n');
		st->line++;
		break;
	case CMARK_NODE_HTML_INLINE:
		lit = cmark_node_get_literal(n);
		lit = lit ? lit : "";
		if (placeholder_tag(lit))
			emb_buf_puts(&st->text, lit);
		else if (strncmp(lit, "<!--", 4))
			pol_scan_tokens(st->d, lit, strlen(lit), st->line,
					st->block, true);
		break;
	case CMARK_NODE_LINK:
		if (st->link_depth++ == 0) {
			const char *url = cmark_node_get_url(n);

			st->link_offset = st->text.size;
			st->link_line = st->line;
			st->link_url = emb_xstrdup(url ? url : "");
		}
		break;
	default:
		break;
	}
}

static void leave(struct md_state *st, cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	const char *type = cmark_node_get_type_string(n);

	if (t == CMARK_NODE_LINK && st->link_depth > 0 &&
	    --st->link_depth == 0) {
		const char *text = emb_buf_cstr(&st->text) + st->link_offset;
		const char *url = st->link_url;
		size_t tlen = st->text.size - st->link_offset;
		bool bare =
			(strlen(url) == tlen && !strncmp(url, text, tlen)) ||
			(!strncmp(url, "mailto:", 7) &&
			 strlen(url + 7) == tlen &&
			 !strncmp(url + 7, text, tlen));

		pol_doc_add_link(st->d, url, strlen(url), text, tlen,
				 st->link_line, st->block, st->link_offset,
				 bare);
		free(st->link_url);
		st->link_url = NULL;
		return;
	}
	if (!strcmp(type, "table_cell") && st->in_block) {
		char *text = emb_buf_detach(&st->text);
		size_t i = 0, n = strlen(text);

		while (i < n && isspace((unsigned char)text[i]))
			i++;
		st->cells = emb_xrealloc(st->cells,
					 (st->ncells + 1) * sizeof(char *));
		st->cells[st->ncells++] = emb_xstrdup(text + i);
		pol_scan_obfuscated(st->d, text, n, st->block_line,
				    pol_doc_add_block(st->d, POL_BLK_CELL, text,
						      st->block_line,
						      st->section));
		st->in_block = false;
		return;
	}
	if ((!strcmp(type, "table_row") || !strcmp(type, "table_header")) &&
	    st->in_table) {
		pol_table_add_row(&st->d->tables[st->table], st->cells,
				  st->ncells, st->row_line, st->row_header);
		st->cells = NULL;
		st->ncells = 0;
		return;
	}
	if (!strcmp(type, "table")) {
		st->in_table = false;
		return;
	}
	if ((t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) &&
	    st->in_block && st->block == st->d->nblocks) {
		char *text = emb_buf_detach(&st->text);
		size_t b;

		b = pol_doc_add_block(st->d,
				      t == CMARK_NODE_HEADING ?
					      POL_BLK_HEADING :
					      POL_BLK_TEXT,
				      text, st->block_line, st->section);
		if (t == CMARK_NODE_HEADING) {
			st->section = b;
		} else {
			pol_scan_meta(st->d, text, st->block_line);
			pol_scan_obfuscated(st->d, text, strlen(text),
					    st->block_line, b);
		}
		st->in_block = false;
	}
}

void pol_parse_markdown(struct pol_doc *d, const char *text, size_t len)
{
	struct md_state st;
	cmark_parser *parser;
	cmark_node *root;
	cmark_iter *it;
	cmark_event_type ev;
	size_t fm = pol_front_matter(d, text, len), i;

	memset(&st, 0, sizeof(st));
	st.d = d;
	st.section = SIZE_MAX;
	for (i = 0; i < fm; i++)
		st.base += text[i] == '\n';

	ensure_extensions();
	parser =
		cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8);
	if (!parser)
		abort();
	cmark_parser_attach_syntax_extension(
		parser, cmark_find_syntax_extension("table"));
	cmark_parser_attach_syntax_extension(
		parser, cmark_find_syntax_extension("autolink"));
	cmark_parser_feed(parser, text + fm, len - fm);
	root = cmark_parser_finish(parser);
	it = cmark_iter_new(root);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);

		if (ev == CMARK_EVENT_ENTER)
			enter(&st, n);
		else if (ev == CMARK_EVENT_EXIT)
			leave(&st, n);
	}
	cmark_iter_free(it);
	cmark_node_free(root);
	cmark_parser_free(parser);
	free(st.link_url);
	for (i = 0; i < st.ncells; i++)
		free(st.cells[i]);
	free(st.cells);
	emb_buf_release(&st.text);
}
