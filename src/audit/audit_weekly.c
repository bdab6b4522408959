/*
 * audit_weekly.c - what changes from one audit to the next: a baseline
 * (the JSON of an earlier audit) marks each finding new, unchanged or
 * gone, and a suppressions file accepts known findings, each with a
 * reason and an expiry date, so that a security lead reading the report
 * every Monday sees what is new and what is still to do.
 *
 * A finding is known across runs by its repository and the fields that
 * place it (identifier in its redacted form, kind, commit, ref, path,
 * line): the same identity whether or not either run used --redact for
 * the identifier.  The baseline is held in memory (its findings only);
 * rows are changed in place as they pass to the writer.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/map.h"
#include "embargo/report.h"

static const char *str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The identity of a finding in a repository. */
static void finding_key(struct emb_buf *out, const char *repo, const json_t *f)
{
	const char *id = str_of(f, "identifier");
	char red[64];

	if (id && strncmp(id, "sha256:", 7))
		emb_redact_id(red, sizeof(red), id);
	else
		snprintf(red, sizeof(red), "%s", id ? id : "");
	emb_buf_printf(
		out, "%s%c%s%c%s%c%s%c%s%c%s%c%lld", repo, 0, red, 0,
		str_of(f, "kind") ? str_of(f, "kind") : "", 0,
		str_of(f, "commit") ? str_of(f, "commit") : "", 0,
		str_of(f, "ref") ? str_of(f, "ref") : "", 0,
		str_of(f, "path") ? str_of(f, "path") : "", 0,
		(long long)json_integer_value(json_object_get(f, "line")));
}

/* ---- baseline ------------------------------------------------------------ */

struct old_row {
	json_t *findings; /* the baseline's, live ones only */
	char *verdict;
	bool *matched;
};

struct emb_audit_baseline {
	struct emb_map rows;  /* repository -> struct old_row */
	struct emb_map known; /* finding key -> index + 1 in its row */
	char *file;
};

static void old_row_free(struct old_row *r)
{
	if (!r)
		return;
	json_decref(r->findings);
	free(r->verdict);
	free(r->matched);
	free(r);
}

int emb_audit_baseline_load(struct emb_audit_baseline **out, const char *path)
{
	struct emb_audit_baseline *b = emb_xcalloc(1, sizeof(*b));
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int error = 0;

	*out = NULL;
	b->file = emb_xstrdup(path);
	if (!f) {
		emb_error_set("cannot read baseline '%s': %s", path,
			      strerror(errno));
		emb_audit_baseline_free(b);
		return EMB_EUSAGE;
	}
	while (!error && (len = getline(&line, &cap, f)) >= 0) {
		json_error_t jerr;
		json_t *v, *fi;
		const char *repo, *type;
		struct old_row *r;
		size_t i;

		lineno++;
		if (len <= 1)
			continue;
		v = json_loadb(line, (size_t)len, 0, &jerr);
		type = str_of(v, "type");
		if (type && !strcmp(type, "summary")) {
			json_decref(v);
			continue;
		}
		if (!v || emb_audit_row_check(v) < 0) {
			emb_error_set("baseline '%s' line %zu: not a line of "
				      "'git embargo audit --format json'",
				      path, lineno);
			json_decref(v);
			error = EMB_EUSAGE;
			break;
		}
		repo = str_of(v, "repository");
		if (emb_map_get(&b->rows, repo, strlen(repo))) {
			json_decref(v);
			continue;
		}
		r = emb_xcalloc(1, sizeof(*r));
		r->findings = json_array();
		r->verdict = emb_xstrdup(
			emb_audit_verdict_name(emb_audit_row_verdict(v)));
		json_array_foreach(json_object_get(v, "findings"), i, fi)
		{
			struct emb_buf k = EMB_BUF_INIT;

			/* what was gone then is not news now */
			if (json_is_true(json_object_get(fi, "gone")))
				continue;
			finding_key(&k, repo, fi);
			json_array_append(r->findings, fi);
			emb_map_put(&b->known, k.ptr, k.size,
				    (void *)(uintptr_t)json_array_size(
					    r->findings));
			emb_buf_release(&k);
		}
		r->matched = emb_xcalloc(json_array_size(r->findings) + 1,
					 sizeof(*r->matched));
		emb_map_put(&b->rows, repo, strlen(repo), r);
		json_decref(v);
	}
	free(line);
	fclose(f);
	if (error < 0) {
		emb_audit_baseline_free(b);
		return error;
	}
	*out = b;
	return 0;
}

bool emb_audit_baseline_apply(struct emb_audit_baseline *b, json_t *row,
			      bool only_new)
{
	const char *repo = str_of(row, "repository");
	struct old_row *old = emb_map_get(&b->rows, repo, strlen(repo));
	json_t *findings = json_object_get(row, "findings"), *kept, *f;
	const char *before = old ? old->verdict : NULL;
	size_t i, nnew = 0, ngone = 0, nsame = 0;
	bool changed;

	kept = json_array();
	json_array_foreach(findings, i, f)
	{
		struct emb_buf k = EMB_BUF_INIT;
		size_t at;

		finding_key(&k, repo, f);
		at = (size_t)(uintptr_t)emb_map_get(&b->known, k.ptr, k.size);
		emb_buf_release(&k);
		if (at && old)
			old->matched[at - 1] = true;
		json_object_set_new(f, "baseline",
				    json_string(at ? "unchanged" : "new"));
		if (at)
			nsame++;
		else
			nnew++;
		json_array_append(kept, f);
	}
	for (i = 0; old && i < json_array_size(old->findings); i++) {
		json_t *g;

		if (old->matched[i])
			continue;
		g = json_deep_copy(json_array_get(old->findings, i));
		json_object_set_new(g, "baseline", json_string("gone"));
		json_object_set_new(g, "gone", json_true());
		json_array_append_new(kept, g);
		ngone++;
	}
	json_object_set_new(row, "findings", kept);
	json_object_set_new(row, "changes",
			    json_pack("{s:s?, s:I, s:I, s:I}", "verdict_before",
				      before, "new", (json_int_t)nnew,
				      "unchanged", (json_int_t)nsame, "gone",
				      (json_int_t)ngone));
	/* judged on every finding, before only_new drops the unchanged */
	changed = nnew || ngone || !before ||
		  strcmp(before,
			 emb_audit_verdict_name(emb_audit_row_verdict(row)));
	if (only_new) {
		json_t *fresh = json_array();

		json_array_foreach(kept, i, f) if (strcmp(str_of(f, "baseline"),
							  "unchanged"))
			json_array_append(fresh, f);
		json_object_set_new(row, "findings", fresh);
	}
	return changed;
}

void emb_audit_baseline_free(struct emb_audit_baseline *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->rows.cap; i++)
		if (b->rows.slots[i].key)
			old_row_free(b->rows.slots[i].value);
	emb_map_release(&b->rows);
	emb_map_release(&b->known);
	free(b->file);
	free(b);
}

/* ---- suppressions ----------------------------------------------------------
 */

struct suppression {
	char *repo;	/* fnmatch() glob on the repository name */
	char *id;	/* identifier as the list has it, or "*" */
	char red[64];	/* its redacted form */
	emb_date until; /* accepted until this day (exclusive) */
	char *reason;
	size_t line;
	size_t used;
};

struct emb_audit_suppressions {
	struct suppression *v;
	size_t n;
	char *file;
	emb_date today;
};

static char *next_field(char **s)
{
	char *start = *s, *end;

	while (*start == ' ' || *start == '\t')
		start++;
	if (!*start)
		return NULL;
	for (end = start; *end && *end != ' ' && *end != '\t'; end++)
		;
	if (*end)
		*end++ = '\0';
	*s = end;
	return start;
}

int emb_audit_suppressions_load(struct emb_audit_suppressions **out,
				const char *path, emb_date today)
{
	struct emb_audit_suppressions *s = emb_xcalloc(1, sizeof(*s));
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	int error = 0;

	*out = NULL;
	s->file = emb_xstrdup(path);
	s->today = today;
	if (!f) {
		emb_error_set("cannot read suppressions '%s': %s", path,
			      strerror(errno));
		emb_audit_suppressions_free(s);
		return EMB_ECONFIG;
	}
	while (getline(&line, &cap, f) >= 0) {
		char *p = line, *repo, *id, *until, *reason;
		struct suppression *x;
		size_t len = strlen(line);

		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		repo = next_field(&p);
		if (!repo || *repo == '#')
			continue;
		id = next_field(&p);
		until = next_field(&p);
		while (*p == ' ' || *p == '\t')
			p++;
		reason = p;
		s->v = emb_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		x = &s->v[s->n];
		memset(x, 0, sizeof(*x));
		x->line = lineno;
		if (!id || !until || emb_date_parse(&x->until, until) < 0 ||
		    !*reason) {
			emb_error_set("suppressions '%s' line %zu: expected "
				      "'REPOSITORY-GLOB IDENTIFIER YYYY-MM-DD "
				      "REASON'",
				      path, lineno);
			error = EMB_ECONFIG;
			break;
		}
		x->repo = emb_xstrdup(repo);
		x->id = emb_xstrdup(id);
		if (strcmp(id, "*") && strncmp(id, "sha256:", 7))
			emb_redact_id(x->red, sizeof(x->red), id);
		else
			snprintf(x->red, sizeof(x->red), "%s", id);
		x->reason = emb_xstrdup(reason);
		s->n++;
	}
	free(line);
	fclose(f);
	if (error < 0) {
		emb_audit_suppressions_free(s);
		return error;
	}
	*out = s;
	return 0;
}

/* Does suppression x cover finding f of repository repo? */
static bool covers(const struct suppression *x, const char *repo,
		   const json_t *f)
{
	const char *id = str_of(f, "identifier");
	char red[64];

	if (fnmatch(x->repo, repo, 0))
		return false;
	if (!strcmp(x->id, "*"))
		return true;
	if (!id)
		return false;
	if (strncmp(id, "sha256:", 7))
		emb_redact_id(red, sizeof(red), id);
	else
		snprintf(red, sizeof(red), "%s", id);
	return !strcmp(red, x->red);
}

void emb_audit_suppressions_apply(struct emb_audit_suppressions *s, json_t *row)
{
	const char *repo = str_of(row, "repository");
	json_t *f;
	size_t i, k;

	json_array_foreach(json_object_get(row, "findings"), i,
			   f) for (k = 0; k < s->n; k++)
	{
		struct suppression *x = &s->v[k];
		char until[16], where[32];

		if (!covers(x, repo, f))
			continue;
		emb_date_format(until, sizeof(until), x->until);
		snprintf(where, sizeof(where), "line %zu", x->line);
		if (s->today >= x->until) {
			/* an expired acceptance is a reminder, not
			 * an acceptance */
			json_object_set_new(f, "suppression_expired",
					    json_string(until));
			continue;
		}
		json_object_set_new(f, "suppressed", json_true());
		json_object_set_new(f, "suppression",
				    json_pack("{s:s, s:s, s:s}", "reason",
					      x->reason, "until", until,
					      "where", where));
		x->used++;
		break;
	}
}

size_t emb_audit_suppressions_count(const struct emb_audit_suppressions *s)
{
	return s ? s->n : 0;
}

void emb_audit_suppressions_free(struct emb_audit_suppressions *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].repo);
		free(s->v[i].id);
		free(s->v[i].reason);
	}
	free(s->v);
	free(s->file);
	free(s);
}
