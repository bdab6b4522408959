/*
 * audit_report.c - audit rows: counting them, checking and redacting
 * rows read back, the text, JSON-lines and SARIF writers, and the k-way
 * merge of shard outputs.
 *
 * Every writer works from the row objects alone (never from scanner
 * structures), so that `audit --merge` renders exactly what a single
 * run would have.  Writers stream: text and JSON lines print each row
 * at once, SARIF writes its envelope by hand around one run per row
 * dumped by jansson, and HTML spools (report_html.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/list.h"
#include "embargo/report.h"
#include "embargo/report_html.h"

#define FINDING_RULE "embargoed-reference"
#define POLICY_RULE_PREFIX "security-policy/"
#define TEXT_FINDINGS_SHOWN 10

const char *const emb_audit_age_labels[EMB_AUDIT_AGE_BUCKETS] = {
	"< 90 days", "90-179 days", "180-364 days",
	"1-2 years", "> 2 years",   "unknown"};

static const char *str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- counting ---------------------------------------------------------- */

long emb_audit_row_age(const json_t *row, emb_date today)
{
	const char *lc = str_of(json_object_get(row, "policy"), "last_changed");
	emb_date d;

	if (!lc || emb_date_parse(&d, lc) < 0)
		return -1;
	return d > today ? 0 : (long)(today - d);
}

const char *emb_audit_row_verdict(const json_t *row)
{
	const json_t *policy = json_object_get(row, "policy");
	const char *st = str_of(policy, "status");

	if (!json_is_null(json_object_get(row, "error")))
		return "not audited";
	if (!json_is_object(policy))
		return "empty";
	return st ? st : "error";
}

void emb_audit_summary_add(struct emb_audit_summary *s, const json_t *row,
			   emb_date today)
{
	const char *verdict = emb_audit_row_verdict(row);
	size_t nfind = json_array_size(json_object_get(row, "findings"));
	bool pub = json_is_true(json_object_get(row, "public"));
	long age = emb_audit_row_age(row, today);
	bool failed = false;

	s->repositories++;
	if (!json_is_null(json_object_get(row, "error"))) {
		s->errors++;
		return;
	}
	if (!strcmp(verdict, "error")) {
		s->policy_errors++;
		s->verdict_error++;
		failed = true;
	} else if (!strcmp(verdict, "warning")) {
		s->verdict_warning++;
	} else if (!strcmp(verdict, "empty")) {
		s->empty++;
	} else {
		s->verdict_ok++;
	}
	if (nfind && pub) {
		s->with_findings++;
		s->findings += nfind;
		failed = true;
	} else if (nfind) {
		s->private_with_findings++;
	}
	if (!failed)
		s->clean++;
	if (age < 0)
		s->age[5]++;
	else if (age < 90)
		s->age[0]++;
	else if (age < 180)
		s->age[1]++;
	else if (age < 365)
		s->age[2]++;
	else if (age < 730)
		s->age[3]++;
	else
		s->age[4]++;
}

json_t *emb_audit_summary_json(const struct emb_audit_summary *s)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "type", "summary",
			 "repositories", (json_int_t)s->repositories, "clean",
			 (json_int_t)s->clean, "policy_errors",
			 (json_int_t)s->policy_errors, "with_findings",
			 (json_int_t)s->with_findings, "errors",
			 (json_int_t)s->errors);
}

int emb_audit_summary_exit(const struct emb_audit_summary *s)
{
	if (s->errors)
		return EMB_EXIT_REPO;
	if (s->policy_errors || s->with_findings)
		return EMB_EXIT_FOUND;
	return EMB_EXIT_OK;
}

/* ---- rows read back ---------------------------------------------------- */

int emb_audit_row_check(const json_t *row)
{
	const json_t *policy = json_object_get(row, "policy"),
		     *err = json_object_get(row, "error");
	const char *type = str_of(row, "type");

	if (!json_is_object(row) || !type || strcmp(type, "repository")) {
		emb_error_set("not a repository row");
		return EMB_ECONFIG;
	}
	if (!str_of(row, "repository") ||
	    !json_is_boolean(json_object_get(row, "public")) ||
	    !json_is_array(json_object_get(row, "findings")) ||
	    !(json_is_null(policy) ||
	      (json_is_object(policy) && str_of(policy, "status"))) ||
	    !(json_is_null(err) || json_is_string(err))) {
		emb_error_set("repository row lacks 'repository', 'public', "
			      "'policy', 'findings' or 'error'");
		return EMB_ECONFIG;
	}
	return 0;
}

struct redaction {
	char *text; /* as it appears: the matched text, or the identifier */
	char red[64];
};

/* Replace every redacted text in obj[key] by its hashed form. */
static void redact_field(json_t *obj, const char *key,
			 const struct redaction *r, size_t n)
{
	const char *v = json_string_value(json_object_get(obj, key));
	struct emb_buf b = EMB_BUF_INIT;
	size_t i;

	if (!v)
		return;
	emb_buf_puts(&b, v);
	for (i = 0; i < n; i++) {
		struct emb_buf next = EMB_BUF_INIT;
		const char *s = b.ptr, *hit;
		size_t len = strlen(r[i].text);

		if (!len || !strstr(s, r[i].text))
			continue;
		while ((hit = strstr(s, r[i].text))) {
			emb_buf_put(&next, s, (size_t)(hit - s));
			emb_buf_puts(&next, r[i].red);
			s = hit + len;
		}
		emb_buf_puts(&next, s);
		emb_buf_release(&b);
		b = next;
	}
	if (strcmp(b.ptr, v))
		json_object_set_new(obj, key, json_string(b.ptr));
	emb_buf_release(&b);
}

void emb_audit_row_redact(json_t *row)
{
	json_t *findings = json_object_get(row, "findings"), *f;
	struct redaction *r;
	size_t i, n = 0;

	/* every text that named an embargoed issue anywhere in the row: a
	 * branch or file name can hold one found by another finding */
	r = emb_xcalloc(2 * json_array_size(findings) + 1, sizeof(*r));
	json_array_foreach(findings, i, f)
	{
		const char *id = str_of(f, "identifier");
		const char *match = str_of(f, "match");

		if (!id || !strncmp(id, "sha256:", 7))
			continue; /* already redacted */
		emb_redact_id(r[n].red, sizeof(r[n].red), id);
		r[n++].text = emb_xstrdup(match ? match : id);
		if (match && strcmp(match, id)) {
			memcpy(r[n].red, r[n - 1].red, sizeof(r[n].red));
			r[n++].text = emb_xstrdup(id);
		}
	}
	json_array_foreach(findings, i, f)
	{
		const char *id = str_of(f, "identifier");
		char red[64];

		redact_field(f, "ref", r, n);
		redact_field(f, "path", r, n);
		if (!id || !strncmp(id, "sha256:", 7))
			continue;
		emb_redact_id(red, sizeof(red), id);
		json_object_set_new(f, "identifier", json_string(red));
		json_object_set_new(f, "subject", json_null());
		json_object_set_new(f, "excerpt", json_null());
		json_object_set_new(f, "match", json_string(red));
	}
	for (i = 0; i < n; i++)
		free(r[i].text);
	free(r);
}

/* ---- shared pieces ------------------------------------------------------ */

/* Where a finding is, from its JSON object (as emb_report_place()). */
static void place(struct emb_buf *out, const json_t *f)
{
	const char *kind = str_of(f, "kind"), *commit = str_of(f, "commit"),
		   *subject = str_of(f, "subject"), *ref = str_of(f, "ref"),
		   *path = str_of(f, "path");
	json_int_t line = json_integer_value(json_object_get(f, "line"));

	kind = kind ? kind : "";
	if (!strcmp(kind, "ref")) {
		emb_buf_printf(out, "ref %s", ref ? ref : "?");
		return;
	}
	if (!strcmp(kind, "tag")) {
		const char *name = ref ? ref : "?";

		if (!strncmp(name, "refs/tags/", 10))
			name += 10;
		emb_buf_printf(out, "tag %s", name);
		if (line)
			emb_buf_printf(out, " message line %lld",
				       (long long)line);
		return;
	}
	emb_buf_printf(out, "commit %.7s", commit ? commit : "?");
	if (subject)
		emb_buf_printf(out, " \"%s\"", subject);
	if (!strcmp(kind, "message"))
		emb_buf_printf(out, ": message line %lld", (long long)line);
	else if (!strcmp(kind, "author") || !strcmp(kind, "committer"))
		emb_buf_printf(out, ": %s", kind);
	else if (!strcmp(kind, "note"))
		emb_buf_printf(out, ": note line %lld", (long long)line);
	else if (!strcmp(kind, "line"))
		emb_buf_printf(out, ": %s:%lld (added)", path ? path : "?",
			       (long long)line);
	else if (!strcmp(kind, "path"))
		emb_buf_printf(out, ": %s (file name)", path ? path : "?");
	else if (!strcmp(kind, "fix"))
		emb_buf_printf(out, ": the fix (%s)",
			       str_of(f, "match") ? str_of(f, "match") : "?");
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
	fprintf(out, "%-*s  %-7s  %-7s  %6s  %8s  %s\n", w, "REPOSITORY",
		"ACCESS", "POLICY", "AGE", "FINDINGS", "DETAILS");
}

static void text_row(FILE *out, int w, const json_t *row, emb_date today)
{
	const json_t *policy = json_object_get(row, "policy"),
		     *findings = json_object_get(row, "findings"), *f;
	const char *err = str_of(row, "error");
	bool pub = json_is_true(json_object_get(row, "public"));
	long age = emb_audit_row_age(row, today);
	struct emb_buf details = EMB_BUF_INIT;
	char agebuf[32] = "-", nbuf[32] = "-";
	size_t i, n = json_array_size(findings);

	if (age >= 0)
		snprintf(agebuf, sizeof(agebuf), "%ldd", age);
	if (!err || n)
		snprintf(nbuf, sizeof(nbuf), "%zu", n);
	if (json_is_object(policy))
		reasons(&details, policy);
	if (err) {
		if (details.size)
			emb_buf_puts(&details, "; ");
		emb_buf_printf(&details, "error: %s", err);
	} else if (!json_is_object(policy)) {
		emb_buf_puts(&details, "empty: no commit to audit");
	}
	fprintf(out, "%-*s  %-7s  %-7s  %6s  %8s  %s\n", w,
		str_of(row, "repository"), pub ? "public" : "private",
		json_is_object(policy) ? str_of(policy, "status") : "-", agebuf,
		nbuf, details.ptr ? details.ptr : "");
	emb_buf_release(&details);

	json_array_foreach(findings, i, f)
	{
		struct emb_buf where = EMB_BUF_INIT;

		if (i == TEXT_FINDINGS_SHOWN) {
			fprintf(out, "    ... and %zu more\n", n - i);
			break;
		}
		place(&where, f);
		fprintf(out, "    %s  %s%s\n", str_of(f, "identifier"),
			where.ptr, pub ? "" : " (private: allowed)");
		emb_buf_release(&where);
	}
}

static void text_totals(FILE *out, const struct emb_audit_summary *s)
{
	fprintf(out,
		"\n%zu repositor%s: %zu clean, %zu with policy errors, %zu "
		"public with embargoed references (%zu reference%s)",
		s->repositories, s->repositories == 1 ? "y" : "ies", s->clean,
		s->policy_errors, s->with_findings, s->findings,
		s->findings == 1 ? "" : "s");
	if (s->private_with_findings)
		fprintf(out, ", %zu private with references (allowed)",
			s->private_with_findings);
	fprintf(out, ", %zu could not be audited\n", s->errors);
}

/* ---- SARIF ----------------------------------------------------------------
 */

static json_t *finding_rule(void)
{
	return json_pack(
		"{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}", "id",
		FINDING_RULE, "name", "EmbargoedReference", "shortDescription",
		"text", "Reference to an embargoed security issue", "help",
		"text",
		"Remove the reference before the history becomes public: "
		"reword the commit with 'git rebase -i', rename the file or "
		"ref, keep the repository private, or wait for the embargo "
		"date.",
		"defaultConfiguration", "level", "error", "properties",
		"precision", "high");
}

static json_t *policy_rule(const char *rule)
{
	struct emb_buf id = EMB_BUF_INIT, text = EMB_BUF_INIT;
	json_t *r;

	emb_buf_printf(&id, POLICY_RULE_PREFIX "%s", rule);
	emb_buf_printf(&text, "SECURITY.md: %s", rule);
	r = json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "id", id.ptr, "name",
		      rule, "shortDescription", "text", text.ptr, "help",
		      "text",
		      "See the result's message for what is wrong and how to "
		      "fix it ('git embargo policy' shows the same).");
	emb_buf_release(&id);
	emb_buf_release(&text);
	return r;
}

static const char *sarif_level(const char *severity)
{
	if (severity && !strcmp(severity, "error"))
		return "error";
	if (severity && !strcmp(severity, "warning"))
		return "warning";
	return "note";
}

static json_t *sarif_location(const char *uri, json_int_t line)
{
	json_t *phys = json_pack("{s:{s:s}}", "artifactLocation", "uri", uri);

	if (line > 0)
		json_object_set_new(phys, "region",
				    json_pack("{s:I}", "startLine", line));
	return json_pack("{s:o}", "physicalLocation", phys);
}

static json_t *sarif_finding(const json_t *f, bool pub)
{
	const char *id = str_of(f, "identifier"), *kind = str_of(f, "kind"),
		   *commit = str_of(f, "commit"), *ref = str_of(f, "ref"),
		   *path = str_of(f, "path"), *until = str_of(f, "until");
	json_int_t line = json_integer_value(json_object_get(f, "line"));
	struct emb_buf msg = EMB_BUF_INIT, uri = EMB_BUF_INIT,
		       fp = EMB_BUF_INIT;
	unsigned char h[EMB_HASH_LEN];
	char fph[2 * EMB_HASH_LEN + 1];
	json_t *loc, *res;

	kind = kind ? kind : "";
	emb_buf_printf(&msg,
		       "Reference to embargoed issue %s (embargoed %s%s) "
		       "in ",
		       id ? id : "?", until ? "until " : "until removed",
		       until ? until : "");
	place(&msg, f);
	if (!pub)
		emb_buf_puts(&msg, " (private repository: allowed)");
	if (!strcmp(kind, "line") || (!strcmp(kind, "path") && path))
		emb_buf_puts(&uri, path ? path : "?");
	else if (!strcmp(kind, "ref") || !strcmp(kind, "tag"))
		emb_buf_printf(&uri, ".git/%s", ref ? ref : "refs");
	else
		emb_buf_printf(&uri, ".git/commits/%s", commit ? commit : "");
	loc = sarif_location(uri.ptr, !strcmp(kind, "line") ? line : 0);
	if (commit)
		json_object_set_new(
			loc, "logicalLocations",
			json_pack("[{s:s, s:s}]", "name", commit, "kind",
				  !strcmp(kind, "tag") ? "tag" : "commit"));
	/* the same fingerprint as `scan --format sarif`: one alert, one
	 * identity, whichever command found it */
	emb_buf_printf(&fp, "%s|%s|%s|%s|%s|%lld", id ? id : "", kind,
		       commit ? commit : "", ref ? ref : "", path ? path : "",
		       (long long)line);
	emb_id_hash(h, fp.ptr);
	emb_hash_hex(fph, h);
	res = json_pack("{s:s, s:s, s:{s:s}, s:[o], s:{s:s}, s:O}", "ruleId",
			FINDING_RULE, "level", pub ? "error" : "note",
			"message", "text", msg.ptr, "locations", loc,
			"partialFingerprints", "embargoFinding/v1", fph,
			"properties", f);
	emb_buf_release(&msg);
	emb_buf_release(&uri);
	emb_buf_release(&fp);
	return res;
}

static json_t *sarif_run(const json_t *row, const char *version)
{
	const json_t *policy = json_object_get(row, "policy"), *p, *f;
	const char *name = str_of(row, "repository"),
		   *err = str_of(row, "error");
	bool pub = json_is_true(json_object_get(row, "public"));
	json_t *rules = json_array(), *results = json_array(), *run, *inv;
	struct emb_buf cat = EMB_BUF_INIT;
	size_t i, j;

	json_array_append_new(rules, finding_rule());
	json_array_foreach(json_object_get(row, "findings"), i, f)
		json_array_append_new(results, sarif_finding(f, pub));
	json_array_foreach(json_object_get(policy, "problems"), i, p)
	{
		const char *rule = str_of(p, "rule");
		const char *path = str_of(policy, "path");
		struct emb_buf id = EMB_BUF_INIT;
		bool known = false;
		json_t *r;

		rule = rule ? rule : "unknown";
		emb_buf_printf(&id, POLICY_RULE_PREFIX "%s", rule);
		for (j = 0; j < json_array_size(rules); j++)
			known |= !strcmp(str_of(json_array_get(rules, j), "id"),
					 id.ptr);
		if (!known)
			json_array_append_new(rules, policy_rule(rule));
		r = json_pack("{s:s, s:s, s:{s:s}, s:[o]}", "ruleId", id.ptr,
			      "level", sarif_level(str_of(p, "severity")),
			      "message", "text",
			      str_of(p, "message") ? str_of(p, "message") : "",
			      "locations",
			      sarif_location(path ? path : "SECURITY.md",
					     json_integer_value(json_object_get(
						     p, "line"))));
		json_array_append_new(results, r);
		emb_buf_release(&id);
	}
	inv = json_pack("{s:b}", "executionSuccessful", err == NULL);
	if (err)
		json_object_set_new(inv, "toolExecutionNotifications",
				    json_pack("[{s:s, s:{s:s}}]", "level",
					      "error", "message", "text", err));
	/* automationDetails.id "category/": one category per repository,
	 * so code scanning keeps the repositories' alerts apart */
	emb_buf_printf(&cat, "git-embargo-audit/%s/", name);
	run = json_pack("{s:{s:{s:s, s:s, s:o}}, s:{s:s}, s:[o], s:o, "
			"s:{s:s, s:b, s:O}}",
			"tool", "driver", "name", "git-embargo", "version",
			version, "rules", rules, "automationDetails", "id",
			cat.ptr, "invocations", inv, "results", results,
			"properties", "repository", name, "public", pub,
			"policy", policy ? policy : json_null());
	emb_buf_release(&cat);
	return run;
}

/* ---- sinks ----------------------------------------------------------------
 */

struct emb_audit_sink {
	enum emb_audit_format format;
	FILE *out;
	struct emb_audit_sink_opts opts;
	struct emb_audit_summary sum;
	struct emb_html *html;
	int width;
	bool started;
};

int emb_audit_parse_format(enum emb_audit_format *out, const char *name)
{
	static const char *const names[] = {"text", "json", "sarif", "html"};
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
	if (!s->opts.version)
		s->opts.version = "0";
	s->width = opts->name_width < 10   ? 10
		   : opts->name_width > 60 ? 60
					   : (int)opts->name_width;
	if (format == EMB_AUDIT_HTML &&
	    (error = emb_html_new(&s->html, stream, opts->title, opts->today,
				  s->opts.version)) < 0) {
		free(s);
		return error;
	}
	*out = s;
	return 0;
}

int emb_audit_sink_row(struct emb_audit_sink *s, const json_t *row)
{
	emb_audit_summary_add(&s->sum, row, s->opts.today);
	switch (s->format) {
	case EMB_AUDIT_TEXT:
		if (!s->started)
			text_header(s->out, s->width);
		text_row(s->out, s->width, row, s->opts.today);
		break;
	case EMB_AUDIT_JSON:
		if (json_dumpf(row, s->out, JSON_COMPACT) < 0)
			goto fail;
		fputc('\n', s->out);
		break;
	case EMB_AUDIT_SARIF: {
		json_t *run = sarif_run(row, s->opts.version);

		fputs(s->started ? ",\n"
				 : "{\"$schema\":\"https://json."
				   "schemastore.org/sarif-2.1.0.json"
				   "\",\"version\":\"2.1.0\",\"runs\""
				   ":[\n",
		      s->out);
		if (json_dumpf(run, s->out, JSON_COMPACT) < 0) {
			json_decref(run);
			goto fail;
		}
		json_decref(run);
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
	case EMB_AUDIT_TEXT:
		if (!s->started)
			fprintf(s->out, "no repositories audited\n");
		else
			text_totals(s->out, &s->sum);
		break;
	case EMB_AUDIT_JSON:
		sum = emb_audit_summary_json(&s->sum);
		json_dumpf(sum, s->out, JSON_COMPACT);
		fputc('\n', s->out);
		json_decref(sum);
		break;
	case EMB_AUDIT_SARIF:
		fputs(s->started ? "\n]}\n"
				 : "{\"$schema\":\"https://json.schemastore."
				   "org/sarif-2.1.0.json\",\"version\":\"2.1."
				   "0\",\"runs\":[]}\n",
		      s->out);
		break;
	case EMB_AUDIT_HTML:
		if (emb_html_finish(s->html, &s->sum) < 0)
			return EMB_ERROR;
		break;
	}
	if (fflush(s->out) != 0 || ferror(s->out)) {
		emb_error_set("cannot write the report: %s", strerror(errno));
		return EMB_ERROR;
	}
	return 0;
}

const struct emb_audit_summary *
emb_audit_sink_summary(const struct emb_audit_sink *s)
{
	return &s->sum;
}

void emb_audit_sink_free(struct emb_audit_sink *s)
{
	if (!s)
		return;
	emb_html_free(s->html);
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
};

/* Read the next repository row of a part (summary lines are checked and
 * skipped). */
static int part_next(struct part *p)
{
	ssize_t len;

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
			emb_error_set("'%s' line %zu: not JSON: %s", p->file,
				      p->lineno, jerr.text);
			return EMB_ECONFIG;
		}
		type = str_of(v, "type");
		if (type && !strcmp(type, "summary")) {
			json_decref(v);
			continue;
		}
		if (emb_audit_row_check(v) < 0) {
			emb_error_set("'%s' line %zu: not a line of 'git "
				      "embargo audit --format json'",
				      p->file, p->lineno);
			json_decref(v);
			return EMB_ECONFIG;
		}
		p->row = v;
		return 0;
	}
	if (ferror(p->f)) {
		emb_error_set("cannot read '%s': %s", p->file, strerror(errno));
		return EMB_ECONFIG;
	}
	return 0;
}

int emb_audit_merge(const char *const *files, size_t n,
		    int (*emit)(void *payload, json_t *row), void *payload,
		    size_t *duplicates)
{
	struct part *parts = emb_xcalloc(n ? n : 1, sizeof(*parts));
	char *last = NULL;
	size_t i, dups = 0;
	int error = 0;

	for (i = 0; i < n && !error; i++) {
		parts[i].file = files[i];
		parts[i].f =
			strcmp(files[i], "-") ? fopen(files[i], "r") : stdin;
		if (!parts[i].f) {
			emb_error_set("cannot open '%s': %s", files[i],
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
			emb_error_set("'%s' line %zu: '%s' is out of order: "
				      "merge the unchanged output of 'git "
				      "embargo audit --format json'",
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
	for (i = 0; i < n; i++) {
		if (parts[i].f && parts[i].f != stdin)
			fclose(parts[i].f);
		json_decref(parts[i].row);
		free(parts[i].line);
	}
	free(parts);
	free(last);
	if (duplicates)
		*duplicates = dups;
	return error;
}
