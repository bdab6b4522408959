/*
 * finding.c - finding records and lists.
 */
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/finding.h"

#define EXCERPT_MAX 160

void emb_findings_add(struct emb_findings *list, const struct emb_finding *f)
{
	if (list->n == list->alloc) {
		list->alloc = list->alloc ? list->alloc * 2 : 16;
		list->v = emb_xrealloc(list->v, list->alloc * sizeof(*f));
	}
	list->v[list->n++] = *f;
}

void emb_findings_move(struct emb_findings *to, struct emb_findings *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		emb_findings_add(to, &from->v[i]);
	free(from->v);
	from->v = NULL;
	from->n = from->alloc = 0;
}

static int cmp_finding(const void *a, const void *b)
{
	const struct emb_finding *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	if (x->has_commit && y->has_commit) {
		int c = git_oid_cmp(&x->commit, &y->commit);

		if (c)
			return c;
	}
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return 0;
}

void emb_findings_sort(struct emb_findings *list)
{
	if (list->n > 1)
		qsort(list->v, list->n, sizeof(*list->v), cmp_finding);
}

void emb_finding_release(struct emb_finding *f)
{
	free(f->match);
	free(f->subject);
	free(f->ref);
	free(f->path);
	free(f->excerpt);
	memset(f, 0, sizeof(*f));
}

void emb_findings_release(struct emb_findings *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		emb_finding_release(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = list->alloc = 0;
}

static const char *const kind_names[] = {
	[EMB_KIND_MESSAGE] = "message",
	[EMB_KIND_AUTHOR] = "author",
	[EMB_KIND_COMMITTER] = "committer",
	[EMB_KIND_NOTE] = "note",
	[EMB_KIND_LINE] = "line",
	[EMB_KIND_PATH] = "path",
	[EMB_KIND_TAG] = "tag",
	[EMB_KIND_REF] = "ref",
	[EMB_KIND_FIX] = "fix",
	[EMB_KIND_HEADER] = "header",
	[EMB_KIND_BINARY] = "binary",
};

const char *emb_kind_name(enum emb_kind kind)
{
	return kind_names[kind];
}

int emb_kind_from_name(enum emb_kind *out, const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcmp(kind_names[i], name)) {
			*out = (enum emb_kind)i;
			return 0;
		}
	return -1;
}

const char *emb_finding_identifier(const struct emb_finding *f, char *buf,
				   size_t size)
{
	if (!f->entry->hashed || f->kind == EMB_KIND_FIX)
		return f->entry->id;
	if (!emb_id_canonical(buf, size, f->match, strlen(f->match)))
		return f->match;
	return buf;
}

char *emb_excerpt(const char *text, size_t len, size_t start, size_t end,
		  size_t *line_out)
{
	struct emb_buf out = EMB_BUF_INIT;
	size_t ls = start, le = end, i, line = 1;

	for (i = 0; i < start; i++)
		line += text[i] == '\n';
	while (ls > 0 && text[ls - 1] != '\n')
		ls--;
	while (le < len && text[le] != '\n')
		le++;
	if (le > ls && text[le - 1] == '\r')
		le--;
	/* keep the match in view on long lines */
	if (le - ls > EXCERPT_MAX) {
		size_t from = start > ls + EXCERPT_MAX / 3 ?
				      start - EXCERPT_MAX / 3 :
				      ls;
		size_t to = from + EXCERPT_MAX < le ? from + EXCERPT_MAX : le;

		/* do not cut a UTF-8 sequence */
		while (from > ls && ((unsigned char)text[from] & 0xC0) == 0x80)
			from--;
		while (to < le && ((unsigned char)text[to] & 0xC0) == 0x80)
			to++;
		if (from > ls)
			emb_buf_puts(&out, "...");
		ls = from;
		for (i = ls; i < to; i++) {
			unsigned char c = (unsigned char)text[i];

			emb_buf_putc(&out,
				     c < 0x20 || c == 0x7f ? ' ' : (char)c);
		}
		if (to < le)
			emb_buf_puts(&out, "...");
	} else {
		for (i = ls; i < le; i++) {
			unsigned char c = (unsigned char)text[i];

			emb_buf_putc(&out,
				     c < 0x20 || c == 0x7f ? ' ' : (char)c);
		}
	}
	if (line_out)
		*line_out = line;
	return emb_buf_detach(&out);
}
