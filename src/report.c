/*
 * report.c - rendering scan findings.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/date.h"
#include "embargo/error.h"
#include "embargo/map.h"
#include "embargo/report.h"
#include "embargo/sarif.h"
#include "embargo/sha256.h"

static const char *C_RED = "\033[1;31m", *C_YEL = "\033[33m",
		  *C_DIM = "\033[2m", *C_OFF = "\033[0m";

void emb_redact_id(char *out, size_t size, const char *identifier)
{
	unsigned char h[EMB_HASH_LEN];
	char canon[256], hex[2 * EMB_HASH_LEN + 1];

	if (!emb_id_canonical(canon, sizeof(canon), identifier,
			      strlen(identifier)))
		snprintf(canon, sizeof(canon), "%s", identifier);
	emb_id_hash(h, canon);
	emb_sha256_tohex(hex, h);
	snprintf(out, size, "sha256:%.16s", hex);
}

static void until_text(char *out, size_t size, const struct emb_entry *e)
{
	if (e->until == EMB_TIME_NONE)
		snprintf(out, size, "until removed from the list");
	else {
		char d[32];

		/* the moment, and plainly that it lifts then */
		emb_time_format(d, sizeof(d), e->until);
		snprintf(out, size, "until %s%s, when it lifts", d,
			 e->until % 86400 ? "" : " 00:00 UTC");
	}
}

/*
 * Text from a repository on one line, at most about 80 bytes (a character
 * is not cut), control characters shown as spaces: a subject or a match
 * may be megabytes long, and may hold terminal escapes.
 */
static void put_match(struct emb_buf *out, const char *m)
{
	size_t i;

	for (i = 0; m[i] && (i < 80 || ((unsigned char)m[i] & 0xc0) == 0x80);
	     i++)
		emb_buf_putc(out, (unsigned char)m[i] < 0x20 || m[i] == 0x7f ?
					  ' ' :
					  m[i]);
	if (m[i])
		emb_buf_puts(out, "...");
}

void emb_report_place(struct emb_buf *out, const struct emb_finding *f)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (f->has_commit)
		git_oid_tostr(hex, sizeof(hex), &f->commit);
	switch (f->kind) {
	case EMB_KIND_REF:
		emb_buf_printf(out, "ref %s", f->ref);
		return;
	case EMB_KIND_TAG:
	case EMB_KIND_HEADER: {
		const char *name = f->ref ? f->ref : "?";

		if (f->kind == EMB_KIND_HEADER && !f->ref)
			break; /* a commit's */
		if (!strncmp(name, "refs/tags/", 10))
			name += 10;
		emb_buf_printf(out, "tag %s", name);
		if (f->kind == EMB_KIND_HEADER)
			emb_buf_printf(out, " header line %zu", f->line);
		else if (f->line)
			emb_buf_printf(out, " message line %zu", f->line);
		return;
	}
	default:
		break;
	}
	emb_buf_printf(out, "commit %.7s", f->has_commit ? hex : "?");
	if (f->subject) {
		emb_buf_puts(out, " \"");
		put_match(out, f->subject);
		emb_buf_putc(out, '"');
	}
	switch (f->kind) {
	case EMB_KIND_MESSAGE:
		emb_buf_printf(out, ": message line %zu", f->line);
		break;
	case EMB_KIND_AUTHOR:
		emb_buf_puts(out, ": author");
		break;
	case EMB_KIND_COMMITTER:
		emb_buf_puts(out, ": committer");
		break;
	case EMB_KIND_NOTE:
		emb_buf_printf(out, ": note line %zu", f->line);
		break;
	case EMB_KIND_LINE:
		emb_buf_printf(out, ": %s:%zu (added)", f->path, f->line);
		break;
	case EMB_KIND_PATH:
		emb_buf_printf(out, ": %s (file name)", f->path);
		break;
	case EMB_KIND_FIX:
		emb_buf_printf(out, ": the fix (%s)", f->match);
		break;
	case EMB_KIND_HEADER:
		emb_buf_printf(out, ": header line %zu", f->line);
		break;
	case EMB_KIND_BINARY:
		emb_buf_printf(out, ": %s (added, binary file, offset %llu)",
			       f->path, (unsigned long long)f->offset);
		break;
	default:
		break;
	}
}

/* The identifier to show, redacted if asked. */
static const char *shown_id(const struct emb_finding *f, bool redact, char *buf,
			    size_t size)
{
	char tmp[256];
	const char *id = emb_finding_identifier(f, tmp, sizeof(tmp));

	if (redact) {
		emb_redact_id(buf, size, f->entry->hashed ? id : f->entry->id);
		return buf;
	}
	snprintf(buf, size, "%s", id);
	return buf;
}

void emb_report_text(FILE *out, const struct emb_findings *findings,
		     const struct emb_report_opts *opts)
{
	const char *ind = opts->indent ? opts->indent : "";
	bool *done = emb_xcalloc(findings->n ? findings->n : 1, 1);
	size_t i, j;

	/* group per issue, in order of first appearance */
	for (i = 0; i < findings->n; i++) {
		const struct emb_finding *f = &findings->v[i];
		char id[300], until[64];

		if (done[i])
			continue;
		shown_id(f, opts->redact, id, sizeof(id));
		until_text(until, sizeof(until), f->entry);
		fprintf(out, "%s%s%s%s  embargoed %s", ind,
			opts->color ? C_RED : "", id, opts->color ? C_OFF : "",
			until);
		if (f->entry->hashed && !opts->redact)
			fprintf(out, " (hashed entry)");
		fputc('\n', out);
		for (j = i; j < findings->n; j++) {
			const struct emb_finding *g = &findings->v[j];
			struct emb_buf place = EMB_BUF_INIT;

			if (done[j] || g->entry != f->entry)
				continue;
			done[j] = true;
			emb_report_place(&place, g);
			if ((g->how == EMB_HIT_ALIAS ||
			     g->how == EMB_HIT_PATTERN) &&
			    !opts->redact)
				emb_buf_printf(&place, " (as '%s')", g->match);
			fprintf(out, "%s    %s%s%s", ind,
				opts->color ? C_YEL : "", place.ptr,
				opts->color ? C_OFF : "");
			if (g->kind != EMB_KIND_REF &&
			    g->kind != EMB_KIND_PATH && g->excerpt &&
			    !opts->redact)
				fprintf(out, "%s: %s%s",
					opts->color ? C_DIM : "", g->excerpt,
					opts->color ? C_OFF : "");
			fputc('\n', out);
			emb_buf_release(&place);
		}
	}
	free(done);
}

/* One key per text as written: "CVE_2026_1" and "cve-2026-1" are one. */
static void text_key(struct emb_buf *out, const char *m)
{
	char canon[256];
	bool space = false;

	emb_buf_clear(out);
	if (emb_id_canonical(canon, sizeof(canon), m, strlen(m))) {
		emb_buf_puts(out, canon);
		return;
	}
	for (; *m; m++) {
		if (*m == ' ' || *m == '\t' || *m == '\n' || *m == '\r') {
			space = out->size > 0;
			continue;
		}
		if (space)
			emb_buf_putc(out, ' ');
		space = false;
		emb_buf_putc(out, (char)tolower((unsigned char)*m));
	}
}

size_t emb_report_texts(const struct emb_findings *findings)
{
	struct emb_map seen = EMB_MAP_INIT;
	struct emb_buf key = EMB_BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < findings->n; i++) {
		text_key(&key,
			 findings->v[i].match ? findings->v[i].match : "");
		if (emb_map_put(&seen, key.ptr ? key.ptr : "", key.size, NULL))
			n++;
	}
	emb_buf_release(&key);
	emb_map_release(&seen);
	return n;
}

enum emb_disclosure emb_report_disclosure(const struct emb_findings *findings,
					  bool reveal_ids)
{
	if (reveal_ids)
		return EMB_DISCLOSE_ALL;
	return emb_report_texts(findings) > EMB_DISCLOSE_MAX_TEXTS ?
		       EMB_DISCLOSE_COUNT :
		       EMB_DISCLOSE_PLACES;
}

void emb_report_places(FILE *out, const struct emb_findings *findings,
		       const struct emb_report_opts *opts)
{
	const char *ind = opts->indent ? opts->indent : "";
	struct emb_map printed = EMB_MAP_INIT;
	size_t i;

	/* in the push's order, never grouped by issue: grouping would say
	 * which texts stand for the same identifier */
	for (i = 0; i < findings->n; i++) {
		const struct emb_finding *f = &findings->v[i];
		struct emb_buf line = EMB_BUF_INIT;

		if (f->kind == EMB_KIND_FIX) {
			/* the evidence names the list's fix (its commit,
			 * its patch-id): only say what the commit is */
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, sizeof(hex), &f->commit);
			emb_buf_printf(&line, "commit %.7s", hex);
			if (f->subject) {
				emb_buf_puts(&line, " \"");
				put_match(&line, f->subject);
				emb_buf_putc(&line, '"');
			}
			emb_buf_puts(&line, ": an embargoed fix");
		} else {
			emb_report_place(&line, f);
			emb_buf_puts(&line, ": '");
			put_match(&line, f->match ? f->match : "");
			emb_buf_putc(&line, '\'');
		}
		if (emb_map_put(&printed, line.ptr, line.size, NULL))
			fprintf(out, "%s%s%s%s\n", ind,
				opts->color ? C_YEL : "", line.ptr,
				opts->color ? C_OFF : "");
		emb_buf_release(&line);
	}
	emb_map_release(&printed);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

char *emb_redact_text(const char *s, const struct emb_redaction *r, size_t n)
{
	struct emb_buf b = EMB_BUF_INIT;
	size_t i;

	emb_buf_puts(&b, s);
	for (i = 0; i < n; i++) {
		struct emb_buf next = EMB_BUF_INIT;
		const char *at = b.ptr, *hit;
		size_t len = strlen(r[i].text);

		if (!len || !strstr(at, r[i].text))
			continue;
		while ((hit = strstr(at, r[i].text))) {
			emb_buf_put(&next, at, (size_t)(hit - at));
			emb_buf_puts(&next, r[i].red);
			at = hit + len;
		}
		emb_buf_puts(&next, at);
		emb_buf_release(&b);
		b = next;
	}
	return emb_buf_detach(&b);
}

/* `s` with every occurrence of the matched text replaced by `red`. */
static json_t *redacted(const char *s, const char *match, const char *red)
{
	struct emb_redaction r = { match, red };
	char *text;
	json_t *out;

	if (!s)
		return json_null();
	text = emb_redact_text(s, &r, 1);
	out = json_string(text);
	free(text);
	return out;
}

json_t *emb_json_finding(const struct emb_finding *f, bool redact)
{
	char id[300], until[32], hex[GIT_OID_HEXSZ + 1];
	json_t *o = json_object();

	shown_id(f, redact, id, sizeof(id));
	json_object_set_new(o, "identifier", json_string(id));
	json_object_set_new(o, "hashed", json_boolean(f->entry->hashed));
	if (f->entry->until == EMB_TIME_NONE) {
		json_object_set_new(o, "until", json_null());
	} else {
		emb_time_format(until, sizeof(until), f->entry->until);
		json_object_set_new(o, "until", json_string(until));
	}
	json_object_set_new(o, "kind", json_string(emb_kind_name(f->kind)));
	json_object_set_new(o, "commit",
			    f->has_commit ?
				    json_string(git_oid_tostr(hex, sizeof(hex),
							      &f->commit)) :
				    json_null());
	json_object_set_new(o, "subject",
			    redact ? json_null() : str_or_null(f->subject));
	/* a ref or file name may hold the identifier itself */
	json_object_set_new(o, "ref",
			    redact ? redacted(f->ref, f->match, id) :
				     str_or_null(f->ref));
	json_object_set_new(o, "path",
			    redact ? redacted(f->path, f->match, id) :
				     str_or_null(f->path));
	json_object_set_new(o, "line",
			    f->line ? json_integer((json_int_t)f->line) :
				      json_null());
	if (f->kind == EMB_KIND_BINARY)
		json_object_set_new(o, "offset",
				    json_integer((json_int_t)f->offset));
	json_object_set_new(o, "excerpt",
			    redact ? json_null() : str_or_null(f->excerpt));
	json_object_set_new(o, "match",
			    redact ? json_string(id) : json_string(f->match));
	return o;
}

static char *dup_of(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? emb_xstrdup(v) : NULL;
}

int emb_finding_from_json(struct emb_finding *out, struct emb_entry *entry,
			  const json_t *o)
{
	const char *id = json_string_value(json_object_get(o, "identifier"));
	const char *until = json_string_value(json_object_get(o, "until"));
	const char *commit = json_string_value(json_object_get(o, "commit"));
	json_int_t line = json_integer_value(json_object_get(o, "line"));
	json_int_t offset = json_integer_value(json_object_get(o, "offset"));

	memset(out, 0, sizeof(*out));
	memset(entry, 0, sizeof(*entry));
	if (!id || emb_kind_from_name(
			   &out->kind,
			   json_string_value(json_object_get(o, "kind"))) < 0)
		return EMB_ECONFIG;
	entry->id = emb_xstrdup(id);
	entry->hashed = json_is_true(json_object_get(o, "hashed"));
	if (!until || emb_time_parse(&entry->until, until) < 0)
		entry->until = EMB_TIME_NONE;
	out->entry = entry;
	out->how = EMB_HIT_ID;
	out->match = dup_of(o, "match");
	if (!out->match)
		out->match = emb_xstrdup(id);
	out->has_commit = commit && git_oid_fromstr(&out->commit, commit) == 0;
	out->subject = dup_of(o, "subject");
	out->ref = dup_of(o, "ref");
	out->path = dup_of(o, "path");
	out->line = line > 0 ? (size_t)line : 0;
	out->offset = offset > 0 ? (uint64_t)offset : 0;
	out->excerpt = dup_of(o, "excerpt");
	return 0;
}

void emb_finding_from_json_release(struct emb_finding *f,
				   struct emb_entry *entry)
{
	emb_finding_release(f);
	free(entry->id);
	memset(entry, 0, sizeof(*entry));
}

static size_t count_issues(const struct emb_findings *findings)
{
	size_t i, j, n = 0;

	for (i = 0; i < findings->n; i++) {
		for (j = 0; j < i; j++)
			if (findings->v[j].entry == findings->v[i].entry)
				break;
		n += j == i;
	}
	return n;
}

json_t *emb_json_scan(const struct emb_findings *findings,
		      const struct emb_scan_stats *stats, bool redact)
{
	json_t *doc = json_object(), *arr = json_array(), *sum = json_object();
	size_t i;

	for (i = 0; i < findings->n; i++)
		json_array_append_new(
			arr, emb_json_finding(&findings->v[i], redact));
	json_object_set_new(doc, "findings", arr);
	json_object_set_new(sum, "findings",
			    json_integer((json_int_t)findings->n));
	json_object_set_new(sum, "identifiers",
			    json_integer((json_int_t)count_issues(findings)));
	if (stats) {
		json_object_set_new(sum, "commits_scanned",
				    json_integer((json_int_t)stats->commits));
		json_object_set_new(sum, "refs_scanned",
				    json_integer((json_int_t)stats->refs));
		json_object_set_new(sum, "blobs_scanned",
				    json_integer((json_int_t)stats->blobs));
		json_object_set_new(
			sum, "blobs_binary",
			json_integer((json_int_t)stats->blobs_binary));
		json_object_set_new(
			sum, "blobs_decoded",
			json_integer((json_int_t)stats->blobs_decoded));
		json_object_set_new(
			sum, "blobs_large",
			json_integer((json_int_t)stats->blobs_large));
		json_object_set_new(
			sum, "blobs_unscanned",
			json_integer((json_int_t)stats->blobs_unscanned));
	}
	json_object_set_new(doc, "summary", sum);
	return doc;
}

const struct emb_sarif_rule emb_report_sarif_rule = {
	.id = EMB_REPORT_RULE_ID,
	.name = "EmbargoedReference",
	.short_text = "Reference to an embargoed security issue",
	.full_text = "A commit, file, path, tag or ref names a security issue "
		     "that is still under embargo.",
	.help_text = "Remove the reference before the history becomes "
		     "public: reword the commit with 'git rebase -i', rename "
		     "the file or ref, push to a private remote, or wait for "
		     "the embargo date.",
	.help_markdown = "Remove the reference before the history becomes "
			 "public: reword the commit with `git rebase -i`, "
			 "rename the file or ref, push to a private remote, or "
			 "wait for the embargo date.",
	.level = "error",
};

json_t *emb_report_sarif_result(const struct emb_finding *f, bool redact,
				const char *level, const char *suffix,
				json_t *properties)
{
	struct emb_buf msg = EMB_BUF_INIT, uri = EMB_BUF_INIT,
		       fp = EMB_BUF_INIT;
	char id[300], until[64], hex[GIT_OID_HEXSZ + 1] = "";
	json_t *loc, *result;
	bool of_tag = f->kind == EMB_KIND_TAG ||
		      (f->kind == EMB_KIND_HEADER && f->ref);

	shown_id(f, redact, id, sizeof(id));
	until_text(until, sizeof(until), f->entry);
	if (f->has_commit)
		git_oid_tostr(hex, sizeof(hex), &f->commit);
	emb_buf_printf(&msg,
		       "Reference to embargoed issue %s "
		       "(embargoed %s) in ",
		       id, until);
	if (redact)
		emb_buf_printf(&msg, "%s %s", emb_kind_name(f->kind),
			       f->has_commit ? hex : "");
	else
		emb_report_place(&msg, f);
	if (suffix)
		emb_buf_puts(&msg, suffix);
	/* every result needs a location: files where there is one */
	if (f->kind == EMB_KIND_LINE || f->kind == EMB_KIND_BINARY ||
	    (f->kind == EMB_KIND_PATH && !redact))
		emb_buf_puts(&uri, f->path);
	else if (f->kind == EMB_KIND_REF || of_tag)
		emb_buf_printf(&uri, ".git/%s", f->ref ? f->ref : "refs");
	else
		emb_buf_printf(&uri, ".git/commits/%s", hex);
	loc = emb_sarif_location(
		uri.ptr, f->kind == EMB_KIND_LINE ? f->line : 0,
		f->kind == EMB_KIND_BINARY ? (int64_t)f->offset : -1);
	if (f->has_commit)
		emb_sarif_location_logical(loc, hex, of_tag ? "tag" : "commit");
	emb_buf_printf(&fp, "%s|%s|%s|%s|%s|%zu", id, emb_kind_name(f->kind),
		       hex, f->ref ? f->ref : "", f->path ? f->path : "",
		       f->line);
	result = emb_sarif_result(EMB_REPORT_RULE_ID, level, msg.ptr, loc,
				  "embargoFinding/v1", fp.ptr);
	json_object_set_new(result, "properties", properties);
	emb_buf_release(&msg);
	emb_buf_release(&uri);
	emb_buf_release(&fp);
	return result;
}

void emb_sarif_add_scan_run(json_t *log, const struct emb_findings *findings,
			    const char *repo, bool redact)
{
	json_t *run = emb_sarif_run_new(NULL);
	size_t i;

	emb_sarif_run_add_rule(run, &emb_report_sarif_rule);
	for (i = 0; i < findings->n; i++)
		emb_sarif_run_add_result(
			run,
			emb_report_sarif_result(
				&findings->v[i], redact, "error", NULL,
				emb_json_finding(&findings->v[i], redact)));
	if (repo)
		emb_sarif_run_set_id(run, repo);
	emb_sarif_log_add_run(log, run);
}
