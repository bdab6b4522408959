/*
 * audit_report.c - the audit's report sink (text, JSON lines, SARIF,
 * and HTML through report_html.c) and the k-way merge of shard
 * outputs.
 *
 * Every writer works from the rows alone, and every decision about a
 * row (its verdict, its age, where a finding is, what to do) is
 * audit_row.c's, so that `audit --merge` renders exactly what a single
 * run would have.  Writers stream: text and JSON lines print each row
 * at once, SARIF writes one run per row (sarif.c), and HTML spools.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/list.h"
#include "embargo/policy.h"
#include "embargo/report.h"
#include "embargo/report_html.h"
#include "embargo/sarif.h"

#define TEXT_FINDINGS_SHOWN 10

static const char *str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* "missing, review-overdue": the rules behind the verdict. */
static void reasons(struct emb_buf *out, const json_t *policy)
{
	const json_t *p;
	size_t i;
	int pass;

	/* errors first, then warnings; infos are not a reason */
	for (pass = 0; pass < 2; pass++)
		json_array_foreach(json_object_get(policy, "problems"), i, p)
		{
			const char *sev = str_of(p, "severity");
			const char *rule = str_of(p, "rule");

			if (!sev || !rule ||
			    strcmp(sev, pass ? "warning" : "error"))
				continue;
			if (out->size)
				emb_buf_puts(out, ", ");
			emb_buf_puts(out, rule);
		}
}

/* ---- text --------------------------------------------------------------- */

static void text_header(FILE *out, int w)
{
	fprintf(out, "%-*s  %-16s  %-7s  %-7s  %6s  %8s  %s\n", w, "REPOSITORY",
		"VERDICT", "ACCESS", "POLICY", "AGE", "FINDINGS", "DETAILS");
}

static void text_row(FILE *out, int w, const json_t *row, emb_date today)
{
	const json_t *policy = json_object_get(row, "policy"),
		     *findings = json_object_get(row, "findings"), *f;
	const char *err = str_of(row, "error"),
		   *inc = str_of(row, "incomplete");
	bool pub = json_is_true(json_object_get(row, "public"));
	long age = emb_audit_row_age(row, today);
	struct emb_buf details = EMB_BUF_INIT, fix = EMB_BUF_INIT;
	char agebuf[32] = "-", nbuf[32] = "-";
	size_t i, n = json_array_size(findings), shown = 0;

	if (age >= 0)
		snprintf(agebuf, sizeof(agebuf), "%ldd", age);
	if (!err || n)
		snprintf(nbuf, sizeof(nbuf), "%zu", n);
	if (json_is_object(policy))
		reasons(&details, policy);
	if (err || inc) {
		if (details.size)
			emb_buf_puts(&details, "; ");
		emb_buf_printf(&details, "%s: %s", err ? "error" : "incomplete",
			       err ? err : inc);
	} else if (!json_is_object(policy)) {
		emb_buf_puts(&details, "empty: no commit to audit");
	}
	fprintf(out, "%-*s  %-16s  %-7s  %-7s  %6s  %8s  %s\n", w,
		str_of(row, "repository"),
		emb_audit_verdict_name(emb_audit_row_verdict(row)),
		pub ? "public" : "private",
		json_is_object(policy) ? str_of(policy, "status") : "-", agebuf,
		nbuf, details.ptr ? details.ptr : "");
	emb_buf_release(&details);

	json_array_foreach(findings, i, f)
	{
		struct emb_buf where = EMB_BUF_INIT;

		if (shown == TEXT_FINDINGS_SHOWN) {
			fprintf(out, "    ... and %zu more\n", n - i);
			break;
		}
		shown++;
		emb_audit_finding_place(&where, f);
		emb_audit_finding_marks(&where, f);
		fprintf(out, "    %s  %s\n", str_of(f, "identifier"),
			where.ptr);
		emb_buf_release(&where);
	}
	emb_audit_row_fix(&fix, row);
	if (fix.size)
		fprintf(out, "    fix: %s\n", fix.ptr);
	emb_buf_release(&fix);
}

/* "a, b, c and 4 more" */
static void name_list(FILE *out, const struct emb_audit_names *l, size_t total)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		fprintf(out, "%s%s", i ? ", " : "", l->v[i]);
	if (total > l->n)
		fprintf(out, " and %zu more", total - l->n);
}

static void text_rollup(FILE *out, struct emb_audit_rollup *r)
{
	const struct emb_audit_leak *v;
	size_t i, n;
	char dates[48];

	v = emb_audit_rollup_leaks(r, &n);
	if (!n) {
		fputs("No embargoed identifier in a public repository.\n\n",
		      out);
		return;
	}
	fprintf(out, "EMBARGOED IDENTIFIERS IN PUBLIC REPOSITORIES (%zu)\n", n);
	for (i = 0; i < n; i++) {
		emb_audit_leak_dates(dates, sizeof(dates), &v[i]);
		fprintf(out, "  %s  %zu repositor%s, %zu commit%s, %s",
			v[i].identifier, v[i].repositories,
			v[i].repositories == 1 ? "y" : "ies", v[i].commits,
			v[i].commits == 1 ? "" : "s", dates);
		if (v[i].forge_only)
			fprintf(out, ", %zu only on pull-request refs",
				v[i].forge_only);
		fputs("\n      repositories: ", out);
		name_list(out, &v[i].repos, v[i].repositories);
		if (v[i].nrefs) {
			fputs("\n      refs: ", out);
			name_list(out, &v[i].refs, v[i].nrefs);
		}
		fputc('\n', out);
	}
	fputc('\n', out);
}

static void text_totals(FILE *out, const struct emb_audit_summary *s)
{
	struct emb_buf b = EMB_BUF_INIT;

	emb_audit_summary_line(&b, s);
	fprintf(out, "\n%s\n", b.ptr);
	emb_buf_release(&b);
}

/* ---- SARIF ----------------------------------------------------------------
 */

/* The scan's result of the finding read back; the row is already
 * redacted when the audit was asked to redact. */
static json_t *sarif_finding(const json_t *f, bool pub)
{
	struct emb_finding rec;
	struct emb_entry entry;
	json_t *res;

	if (emb_finding_from_json(&rec, &entry, f) < 0) {
		const char *id = str_of(f, "identifier");

		/* a kind of a later version: say what can be said */
		return emb_sarif_result(EMB_REPORT_RULE_ID,
					pub ? "error" : "note", id ? id : "?",
					emb_sarif_location(".git/refs", 0, -1),
					NULL, NULL);
	}
	res = emb_report_sarif_result(&rec, false, pub ? "error" : "note",
				      pub ? NULL :
					    " (private repository: allowed)",
				      json_incref((json_t *)f));
	emb_finding_from_json_release(&rec, &entry);
	return res;
}

static json_t *sarif_run(const json_t *row)
{
	const json_t *policy = json_object_get(row, "policy"), *p, *f;
	const char *name = str_of(row, "repository"),
		   *err = str_of(row, "error");
	const char *uri = emb_policy_sarif_uri(
		str_of(policy, "path"),
		json_is_true(json_object_get(policy, "inherited")));
	bool pub = json_is_true(json_object_get(row, "public"));
	json_t *run = emb_sarif_run_new(NULL), *inv;
	struct emb_buf cat = EMB_BUF_INIT;
	size_t i;

	emb_sarif_run_add_rule(run, &emb_report_sarif_rule);
	json_array_foreach(json_object_get(row, "findings"), i, f)
		emb_sarif_run_add_result(run, sarif_finding(f, pub));
	json_array_foreach(json_object_get(policy, "problems"), i, p)
	{
		const char *rule = str_of(p, "rule");
		json_int_t line =
			json_integer_value(json_object_get(p, "line"));

		rule = rule ? rule : "unknown";
		emb_policy_sarif_add_rule(run, rule);
		emb_sarif_run_add_result(
			run,
			emb_policy_sarif_result(
				rule,
				emb_severity_from_name(str_of(p, "severity")),
				false,
				str_of(p, "message") ? str_of(p, "message") :
						       "",
				str_of(p, "diff"), uri,
				line > 0 ? (size_t)line : 0));
	}
	/* automationDetails.id "category/": one category per repository,
	 * so code scanning keeps the repositories' alerts apart */
	emb_buf_printf(&cat, "git-embargo-audit/%s/", name);
	emb_sarif_run_set_id(run, cat.ptr);
	inv = json_pack("{s:b}", "executionSuccessful",
			err == NULL && !str_of(row, "incomplete"));
	if (err || str_of(row, "incomplete"))
		json_object_set_new(
			inv, "toolExecutionNotifications",
			json_pack("[{s:s, s:{s:s}}]", "level", "error",
				  "message", "text",
				  err ? err : str_of(row, "incomplete")));
	json_object_set_new(run, "invocations", json_pack("[o]", inv));
	json_object_set_new(
		run, "properties",
		json_pack("{s:s, s:s, s:b, s:O}", "repository", name, "verdict",
			  emb_audit_verdict_name(emb_audit_row_verdict(row)),
			  "public", pub, "policy",
			  policy ? policy : json_null()));
	emb_buf_release(&cat);
	return run;
}

/* ---- sinks ----------------------------------------------------------------
 */

struct emb_audit_sink {
	enum emb_audit_format format;
	FILE *out;
	FILE *spool; /* text: the table, written after the rollup */
	struct emb_audit_sink_opts opts;
	struct emb_audit_summary sum;
	struct emb_audit_rollup *rollup;
	struct emb_html *html;
	int width;
	bool started;
};

int emb_audit_parse_format(enum emb_audit_format *out, const char *name)
{
	static const char *const names[] = { "text", "json", "sarif", "html" };
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(name, names[i])) {
			*out = (enum emb_audit_format)i;
			return 0;
		}
	emb_error_set("unknown format '%s': use text, json, sarif or html",
		      name);
	return EMB_EUSAGE;
}

int emb_audit_sink_new(struct emb_audit_sink **out,
		       enum emb_audit_format format, FILE *stream,
		       const struct emb_audit_sink_opts *opts)
{
	struct emb_audit_sink *s = emb_xcalloc(1, sizeof(*s));
	int error;

	*out = NULL;
	s->format = format;
	s->out = stream;
	s->opts = *opts;
	s->sum.shard = opts->shards ? opts->shard : 1;
	s->sum.shards = opts->shards ? opts->shards : 1;
	snprintf(s->sum.sources, sizeof(s->sum.sources), "%s",
		 opts->sources ? opts->sources : "");
	s->width = opts->name_width < 10 ? 10 :
		   opts->name_width > 60 ? 60 :
					   (int)opts->name_width;
	emb_audit_rollup_new(&s->rollup);
	if (format == EMB_AUDIT_TEXT && !(s->spool = tmpfile())) {
		emb_error_set("cannot make a temporary file for the report: %s",
			      strerror(errno));
		emb_audit_sink_free(s);
		return EMB_ERROR;
	}
	if (format == EMB_AUDIT_HTML &&
	    (error = emb_html_new(&s->html, stream, opts->title, opts->today)) <
		    0) {
		emb_audit_sink_free(s);
		return error;
	}
	*out = s;
	return 0;
}

int emb_audit_sink_row(struct emb_audit_sink *s, json_t *row)
{
	emb_audit_row_set_verdict(row);
	emb_audit_summary_add(&s->sum, row, s->opts.today);
	emb_audit_rollup_add(s->rollup, row);
	switch (s->format) {
	case EMB_AUDIT_TEXT:
		if (!s->started)
			text_header(s->spool, s->width);
		text_row(s->spool, s->width, row, s->opts.today);
		if (ferror(s->spool))
			goto fail;
		break;
	case EMB_AUDIT_JSON:
		if (json_dumpf(row, s->out, JSON_COMPACT) < 0)
			goto fail;
		fputc('\n', s->out);
		break;
	case EMB_AUDIT_SARIF: {
		json_t *run = sarif_run(row);
		int error = emb_sarif_stream_run(s->out, run, !s->started);

		json_decref(run);
		if (error < 0)
			goto fail;
		break;
	}
	case EMB_AUDIT_HTML:
		if (emb_html_row(s->html, row) < 0)
			return EMB_ERROR;
		break;
	}
	s->started = true;
	if (ferror(s->out))
		goto fail;
	return 0;
fail:
	emb_error_set("cannot write the report: %s", strerror(errno));
	return EMB_ERROR;
}

int emb_audit_sink_finish(struct emb_audit_sink *s)
{
	json_t *sum;

	switch (s->format) {
	case EMB_AUDIT_TEXT: {
		char buf[8192];
		size_t n;

		if (!s->started) {
			fprintf(s->out, "no repositories audited\n");
			break;
		}
		text_rollup(s->out, s->rollup);
		rewind(s->spool);
		while ((n = fread(buf, 1, sizeof(buf), s->spool)) > 0)
			fwrite(buf, 1, n, s->out);
		text_totals(s->out, &s->sum);
		break;
	}
	case EMB_AUDIT_JSON:
		sum = emb_audit_summary_json(&s->sum);
		json_dumpf(sum, s->out, JSON_COMPACT);
		fputc('\n', s->out);
		json_decref(sum);
		break;
	case EMB_AUDIT_SARIF:
		emb_sarif_stream_end(s->out, s->started);
		break;
	case EMB_AUDIT_HTML:
		if (emb_html_finish(s->html, &s->sum, s->rollup) < 0)
			return EMB_ERROR;
		break;
	}
	if (fflush(s->out) != 0 || ferror(s->out)) {
		emb_error_set("cannot write the report: %s", strerror(errno));
		return EMB_ERROR;
	}
	return 0;
}

void emb_audit_sink_set_sources(struct emb_audit_sink *s, const char *digest)
{
	snprintf(s->sum.sources, sizeof(s->sum.sources), "%s",
		 digest ? digest : "");
}

const struct emb_audit_summary *emb_audit_sink_summary(
	const struct emb_audit_sink *s)
{
	return &s->sum;
}

void emb_audit_sink_free(struct emb_audit_sink *s)
{
	if (!s)
		return;
	emb_html_free(s->html);
	emb_audit_rollup_free(s->rollup);
	if (s->spool)
		fclose(s->spool);
	free(s);
}

/* ---- merge -----------------------------------------------------------------
 */

struct part {
	const char *file;
	FILE *f;
	size_t lineno;
	json_t *row; /* the next repository row, NULL at the end */
	char *line;
	size_t cap;
	size_t rows;  /* repository rows read */
	bool summary; /* its closing summary was read */
	unsigned shard, shards;
	char sources[EMB_AUDIT_DIGEST_SIZE];
};

/* The closing summary of a part: what it says of its run. */
static int part_summary(struct part *p, const json_t *v)
{
	const char *shard = str_of(v, "shard"), *src = str_of(v, "sources");
	json_int_t n = json_integer_value(json_object_get(v, "repositories"));

	if (p->summary) {
		emb_error_set("part '%s' line %zu: a second summary: parts "
			      "of two runs joined? merge the outputs of "
			      "'git embargo audit --format json' as they are",
			      p->file, p->lineno);
		return EMB_ECONFIG;
	}
	if (!shard || !src ||
	    emb_audit_parse_shard(&p->shard, &p->shards, shard) < 0 ||
	    strncmp(src, "sha256:", 7)) {
		emb_error_set("part '%s' line %zu: the summary lacks the "
			      "shard and the source digest: audit it again "
			      "with this version",
			      p->file, p->lineno);
		return EMB_ECONFIG;
	}
	snprintf(p->sources, sizeof(p->sources), "%s", src);
	if ((size_t)n != p->rows) {
		emb_error_set("part '%s' is cut short: its summary says %lld "
			      "repositories, it has %zu rows",
			      p->file, (long long)n, p->rows);
		return EMB_ECONFIG;
	}
	p->summary = true;
	return 0;
}

/* Read the next repository row of a part; its summary is checked. */
static int part_next(struct part *p)
{
	ssize_t len;
	int error;

	json_decref(p->row);
	p->row = NULL;
	while ((len = getline(&p->line, &p->cap, p->f)) >= 0) {
		json_error_t jerr;
		const char *type;
		json_t *v;

		p->lineno++;
		if (len == 0 || (len == 1 && p->line[0] == '\n'))
			continue;
		v = json_loadb(p->line, (size_t)len, 0, &jerr);
		if (!v) {
			emb_error_set("part '%s' line %zu: not JSON (cut "
				      "short?): %s",
				      p->file, p->lineno, jerr.text);
			return EMB_ECONFIG;
		}
		type = str_of(v, "type");
		if (type && !strcmp(type, "summary")) {
			error = part_summary(p, v);
			json_decref(v);
			if (error < 0)
				return error;
			continue;
		}
		if (emb_audit_row_check(v) < 0) {
			emb_error_set("part '%s' line %zu: not a line of 'git "
				      "embargo audit --format json'",
				      p->file, p->lineno);
			json_decref(v);
			return EMB_ECONFIG;
		}
		if (p->summary) {
			emb_error_set("part '%s' line %zu: a row after the "
				      "summary: parts of two runs joined?",
				      p->file, p->lineno);
			json_decref(v);
			return EMB_ECONFIG;
		}
		/* recounted, as the totals are: a part cannot claim a
		 * verdict its fields do not support */
		emb_audit_row_set_verdict(v);
		p->rows++;
		p->row = v;
		return 0;
	}
	if (ferror(p->f)) {
		emb_error_set("cannot read part '%s': %s", p->file,
			      strerror(errno));
		return EMB_ECONFIG;
	}
	if (!p->lineno) {
		emb_error_set("part '%s' is empty: its shard did not run or "
			      "failed before its first row",
			      p->file);
		return EMB_ECONFIG;
	}
	if (!p->summary) {
		emb_error_set("part '%s' is cut short: it ends after %zu rows "
			      "without its summary line (the run did not "
			      "finish)",
			      p->file, p->rows);
		return EMB_ECONFIG;
	}
	return 0;
}

/* The parts make one whole run: one source list, one shard count, and
 * every shard of it. */
static int parts_whole(const struct part *parts, size_t n,
		       struct emb_audit_merge_info *info)
{
	bool *seen;
	size_t i;
	unsigned k;

	for (i = 1; i < n; i++) {
		if (strcmp(parts[i].sources, parts[0].sources)) {
			emb_error_set("part '%s' is from another run: its "
				      "sources (%.20s...) are not those of "
				      "'%s' (%.20s...)",
				      parts[i].file, parts[i].sources,
				      parts[0].file, parts[0].sources);
			return EMB_ECONFIG;
		}
		if (parts[i].shards != parts[0].shards) {
			emb_error_set("part '%s' is shard %u/%u, but '%s' is "
				      "%u/%u: parts of runs with another "
				      "number of shards",
				      parts[i].file, parts[i].shard,
				      parts[i].shards, parts[0].file,
				      parts[0].shard, parts[0].shards);
			return EMB_ECONFIG;
		}
	}
	seen = emb_xcalloc(parts[0].shards + 1, sizeof(*seen));
	for (i = 0; i < n; i++)
		seen[parts[i].shard] = true;
	for (k = 1; k <= parts[0].shards; k++)
		if (!seen[k]) {
			emb_error_set("shard %u/%u is missing: merge the parts "
				      "of every shard",
				      k, parts[0].shards);
			free(seen);
			return EMB_ECONFIG;
		}
	free(seen);
	if (info) {
		info->shards = parts[0].shards;
		snprintf(info->sources, sizeof(info->sources), "%s",
			 parts[0].sources);
	}
	return 0;
}

int emb_audit_merge(const char *const *files, size_t n,
		    int (*emit)(void *payload, json_t *row), void *payload,
		    struct emb_audit_merge_info *info)
{
	struct part *parts = emb_xcalloc(n ? n : 1, sizeof(*parts));
	char *last = NULL;
	size_t i, dups = 0;
	int error = 0;

	if (info)
		memset(info, 0, sizeof(*info));
	for (i = 0; i < n && !error; i++) {
		parts[i].file = files[i];
		parts[i].f =
			strcmp(files[i], "-") ? fopen(files[i], "r") : stdin;
		if (!parts[i].f) {
			emb_error_set("cannot open part '%s': %s", files[i],
				      strerror(errno));
			error = EMB_ECONFIG;
			break;
		}
		error = part_next(&parts[i]);
	}
	while (!error) {
		struct part *min = NULL;
		const char *name;

		for (i = 0; i < n; i++)
			if (parts[i].row &&
			    (!min ||
			     strcmp(str_of(parts[i].row, "repository"),
				    str_of(min->row, "repository")) < 0))
				min = &parts[i];
		if (!min)
			break;
		name = str_of(min->row, "repository");
		if (last && strcmp(name, last) < 0) {
			emb_error_set("part '%s' line %zu: '%s' is out of "
				      "order: merge the unchanged output of "
				      "'git embargo audit --format json'",
				      min->file, min->lineno, name);
			error = EMB_ECONFIG;
			break;
		}
		if (last && !strcmp(name, last)) {
			dups++;
		} else {
			free(last);
			last = emb_xstrdup(name);
			if ((error = emit(payload, min->row)) < 0)
				break;
		}
		error = part_next(min);
	}
	if (!error && n)
		error = parts_whole(parts, n, info);
	for (i = 0; i < n; i++) {
		if (parts[i].f && parts[i].f != stdin)
			fclose(parts[i].f);
		json_decref(parts[i].row);
		free(parts[i].line);
	}
	free(parts);
	free(last);
	if (info)
		info->duplicates = dups;
	return error;
}
