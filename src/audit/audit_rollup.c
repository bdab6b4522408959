/*
 * audit_rollup.c - the audit's leaks per embargoed identifier: in how
 * many public repositories it appears, in how many commits, between
 * which commit dates, and from which refs.  This is what leads the text
 * and HTML reports: a security lead acts per issue first, per
 * repository second.
 *
 * Rows come one at a time; only the identifiers' counts and a few names
 * are kept (composite keys in one hash map count distinct repositories,
 * commits and refs), so memory grows with the leaks, not with the
 * repositories.  Identifiers are taken as the row shows them: a redacted
 * or hashed entry stays in its hashed form.
 */
#include <stdlib.h>
#include <string.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/map.h"

struct emb_audit_rollup {
	struct emb_map seen;  /* "K\0identifier\0value": counted once */
	struct emb_map index; /* identifier -> entry number + 1 */
	struct emb_audit_leak *v;
	size_t n, alloc;
};

int emb_audit_rollup_new(struct emb_audit_rollup **out)
{
	*out = emb_xcalloc(1, sizeof(**out));
	return 0;
}

static void names_add(struct emb_audit_names *l, const char *name)
{
	if (l->n == EMB_AUDIT_LEAK_NAMES)
		return;
	l->v[l->n++] = emb_xstrdup(name);
}

/* @return true the first time (kind, id, value) is seen */
static bool first_time(struct emb_audit_rollup *r, char kind, const char *id,
		       const char *value)
{
	struct emb_buf k = EMB_BUF_INIT;
	bool fresh;

	emb_buf_putc(&k, kind);
	emb_buf_put(&k, id, strlen(id) + 1);
	emb_buf_puts(&k, value);
	fresh = emb_map_put(&r->seen, k.ptr, k.size, NULL);
	emb_buf_release(&k);
	return fresh;
}

static struct emb_audit_leak *entry(struct emb_audit_rollup *r, const char *id)
{
	size_t i = (size_t)(uintptr_t)emb_map_get(&r->index, id, strlen(id));

	if (i)
		return &r->v[i - 1];
	if (r->n == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 16;
		r->v = emb_xrealloc(r->v, r->alloc * sizeof(*r->v));
	}
	memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
	r->v[r->n].identifier = emb_xstrdup(id);
	r->v[r->n].first = r->v[r->n].last = EMB_DATE_NONE;
	r->n++;
	emb_map_put(&r->index, id, strlen(id), (void *)(uintptr_t)r->n);
	return &r->v[r->n - 1];
}

void emb_audit_rollup_add(struct emb_audit_rollup *r, const json_t *row)
{
	const char *repo =
		json_string_value(json_object_get(row, "repository"));
	const json_t *f, *ref;
	size_t i, j;

	if (emb_audit_row_verdict(row) != EMB_VERDICT_LEAK || !repo)
		return;
	json_array_foreach(json_object_get(row, "findings"), i, f)
	{
		const char *id =
			json_string_value(json_object_get(f, "identifier"));
		const char *commit =
			json_string_value(json_object_get(f, "commit"));
		const char *date =
			json_string_value(json_object_get(f, "date"));
		const char *own = json_string_value(json_object_get(f, "ref"));
		struct emb_audit_leak *e;
		emb_date d;

		if (!id || json_is_true(json_object_get(f, "suppressed")) ||
		    json_is_true(json_object_get(f, "gone")))
			continue;
		e = entry(r, id);
		e->findings++;
		if (first_time(r, 'r', id, repo)) {
			e->repositories++;
			names_add(&e->repos, repo);
		}
		if (commit) {
			/* a commit id is only unique within its repository
			 * for a reader: forks share them, count them once */
			if (first_time(r, 'c', id, commit)) {
				e->commits++;
				if (json_is_true(
					    json_object_get(f, "forge_only")))
					e->forge_only++;
			}
		}
		if (date && emb_date_parse(&d, date) == 0) {
			if (e->first == EMB_DATE_NONE || d < e->first)
				e->first = d;
			if (e->last == EMB_DATE_NONE || d > e->last)
				e->last = d;
		}
		if (own && first_time(r, 'f', id, own)) {
			e->nrefs++;
			names_add(&e->refs, own);
		}
		json_array_foreach(json_object_get(f, "refs"), j, ref)
		{
			const char *name = json_string_value(ref);

			if (name && first_time(r, 'f', id, name)) {
				e->nrefs++;
				names_add(&e->refs, name);
			}
		}
	}
}

static int by_reach(const void *a, const void *b)
{
	const struct emb_audit_leak *x = a, *y = b;

	if (x->repositories != y->repositories)
		return x->repositories > y->repositories ? -1 : 1;
	if (x->commits != y->commits)
		return x->commits > y->commits ? -1 : 1;
	return strcmp(x->identifier, y->identifier);
}

const struct emb_audit_leak *emb_audit_rollup_leaks(struct emb_audit_rollup *r,
						    size_t *n)
{
	size_t i;

	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), by_reach);
	/* sorting moved the entries: the index is rebuilt for later adds */
	emb_map_release(&r->index);
	for (i = 0; i < r->n; i++)
		emb_map_put(&r->index, r->v[i].identifier,
			    strlen(r->v[i].identifier),
			    (void *)(uintptr_t)(i + 1));
	*n = r->n;
	return r->v;
}

static void names_release(struct emb_audit_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
}

void emb_audit_rollup_free(struct emb_audit_rollup *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].identifier);
		names_release(&r->v[i].repos);
		names_release(&r->v[i].refs);
	}
	free(r->v);
	emb_map_release(&r->seen);
	emb_map_release(&r->index);
	free(r);
}

void emb_audit_leak_dates(char *out, size_t size,
			  const struct emb_audit_leak *e)
{
	char a[16], b[16];

	if (e->first == EMB_DATE_NONE) {
		snprintf(out, size, "no commit");
		return;
	}
	emb_date_format(a, sizeof(a), e->first);
	emb_date_format(b, sizeof(b), e->last);
	if (e->first == e->last)
		snprintf(out, size, "%s", a);
	else
		snprintf(out, size, "%s to %s", a, b);
}
