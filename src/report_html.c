/*
 * report_html.c - the audit as one HTML page a security lead opens.
 *
 * Self-contained by construction: styles and the script are inline, the
 * charts are SVG drawn here, and a Content-Security-Policy forbids every
 * fetch, so the page shows the same thing offline, from a mail
 * attachment or a CI artefact.  Everything is readable without the
 * script; the script only sorts, filters and counts what is shown.
 * Every string from a row (repository names, messages, excerpts) is
 * escaped: the rows come from repositories the auditor does not control.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/report_html.h"

struct emb_html {
	FILE *out;
	FILE *spool; /* the table body, written as rows come */
	char *title;
	char *version;
	emb_date today;
};

/* How to fix each policy rule (issue 4's rules); the problem's own
 * message says what is wrong in this repository. */
static const struct {
	const char *rule, *fix;
} fixes[] = {
	{"missing", "Add a SECURITY.md at the root, in .github/ or in docs/ "
		    "that says how to report a vulnerability privately."},
	{"empty", "Write the policy: a private contact (security e-mail or "
		  "private vulnerability reporting) and what to expect."},
	{"several", "Keep one SECURITY.md; delete the copies tools ignore."},
	{"name-case", "Rename the file to SECURITY.md."},
	{"inherited", "Fine if the organisation default fits; add the "
		      "repository's own file when it needs other contacts "
		      "or versions."},
	{"no-contact", "Add a private channel: a security e-mail address or "
		       "the /security/advisories/new link."},
	{"placeholder", "Replace the placeholder with the real contact or "
			"date."},
	{"unedited-template", "Replace GitHub's sample text and version "
			      "table with this project's."},
	{"public-channel", "Offer a private channel: public issues disclose "
			   "the vulnerability to everyone."},
	{"foreign-domain", "Check that the contact belongs to the "
			   "organisation; copied policies keep other "
			   "companies' addresses."},
	{"defunct-channel", "Replace the channel: it no longer takes "
			    "reports."},
	{"dead-link", "Fix or remove the link: its target does not exist."},
	{"expired", "Review the policy and move its Expires: date forward "
		    "(less than a year, as RFC 9116 recommends)."},
	{"expires-far", "Set Expires: less than a year ahead."},
	{"review-overdue", "Review the policy and update its Last reviewed: "
			   "date."},
	{"older-than-release", "Review the policy: releases came after its "
			       "last change."},
	{"unsupported-latest", "Add the latest release to the supported "
			       "versions."},
	{"phantom-version", "Remove versions that were never released from "
			    "the supported versions."},
	{"nothing-supported", "Mark the versions that receive security "
			      "fixes as supported."},
	{"template-drift", "Bring the file back to the organisation's "
			   "template, or change the template."},
};

/* How to fix a repository that could not be audited, by its message. */
static const char *error_fix(const char *err)
{
	static const struct {
		const char *says, *fix;
	} hints[] = {
		{ "shallow", "Fetch the whole history ('git fetch --unshallow') "
			     "and audit again." },
		{ "not a git repository", "Fix the path, or take it out of the "
					  "sources." },
		{ "no git repository found", "Fix the path (a typo, a disk not "
					     "mounted?), or take it out of "
					     "the sources." },
		{ "cannot clone", "Check the URL, the network and the "
				  "credentials (an SSH agent key; "
				  "GIT_EMBARGO_USERNAME and "
				  "GIT_EMBARGO_PASSWORD for HTTPS)." },
		{ "cannot fetch", "Check the network and the credentials; "
				  "delete the mirror in the cache if it is "
				  "damaged." },
		{ "HEAD names no branch", "Point HEAD at the default branch." },
		{ "owner", "Add the repository to safe.directory, or audit as "
			   "its owner." },
	};
	size_t i;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(err, hints[i].says))
			return hints[i].fix;
	return "Check access rights; a repository with missing or corrupt "
	       "objects needs 'git fsck' and repair.";
}

static const char *fix_for(const char *rule)
{
	size_t i;

	for (i = 0; rule && i < sizeof(fixes) / sizeof(fixes[0]); i++)
		if (!strcmp(fixes[i].rule, rule))
			return fixes[i].fix;
	return "Follow the message; 'git embargo policy' in the repository "
	       "shows the same.";
}

void emb_html_escape(struct emb_buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			emb_buf_puts(out, "&amp;");
			break;
		case '<':
			emb_buf_puts(out, "&lt;");
			break;
		case '>':
			emb_buf_puts(out, "&gt;");
			break;
		case '"':
			emb_buf_puts(out, "&quot;");
			break;
		case '\'':
			emb_buf_puts(out, "&#39;");
			break;
		default:
			emb_buf_putc(out, *s);
		}
	}
}

int emb_html_new(struct emb_html **out, FILE *stream, const char *title,
		 emb_date today, const char *version)
{
	struct emb_html *h = emb_xcalloc(1, sizeof(*h));

	*out = NULL;
	h->spool = tmpfile();
	if (!h->spool) {
		emb_error_set("cannot make a temporary file for the report: %s",
			      strerror(errno));
		free(h);
		return EMB_ERROR;
	}
	h->out = stream;
	h->title = emb_xstrdup(title ? title : "git-embargo audit");
	h->version = emb_xstrdup(version ? version : "");
	h->today = today;
	*out = h;
	return 0;
}

void emb_html_free(struct emb_html *h)
{
	if (!h)
		return;
	if (h->spool)
		fclose(h->spool);
	free(h->title);
	free(h->version);
	free(h);
}

static const char *str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void problem(struct emb_buf *b, const char *sev, const char *label,
		    const char *what, const char *fix)
{
	emb_buf_printf(b, "<li class=\"sev-%s\"><span class=\"rule\">", sev);
	emb_html_escape(b, label);
	emb_buf_puts(b, "</span> ");
	emb_html_escape(b, what);
	emb_buf_puts(b, "<div class=\"fix\">Fix: ");
	emb_html_escape(b, fix);
	emb_buf_puts(b, "</div></li>\n");
}

/* Where a finding is, in words (the JSON object's fields). */
static void finding_place(struct emb_buf *b, const json_t *f)
{
	const char *kind = str_of(f, "kind"), *commit = str_of(f, "commit"),
		   *ref = str_of(f, "ref"), *path = str_of(f, "path");
	json_int_t line = json_integer_value(json_object_get(f, "line"));

	kind = kind ? kind : "?";
	if (!strcmp(kind, "ref") || !strcmp(kind, "tag")) {
		emb_buf_printf(b, "%s %s", kind, ref ? ref : "?");
		return;
	}
	emb_buf_printf(b, "commit %.10s, %s", commit ? commit : "?", kind);
	if (path)
		emb_buf_printf(b, " %s", path);
	if (line)
		emb_buf_printf(b, " line %lld", (long long)line);
}

int emb_html_row(struct emb_html *h, const json_t *row)
{
	const json_t *policy = json_object_get(row, "policy"), *p, *f;
	const json_t *findings = json_object_get(row, "findings");
	const char *name = str_of(row, "repository"),
		   *err = str_of(row, "error");
	const char *status = err		      ? "not-audited"
			     : json_is_object(policy) ? str_of(policy, "status")
						      : "empty";
	const char *mdpath = str_of(policy, "path"),
		   *changed = str_of(policy, "last_changed");
	bool pub = json_is_true(json_object_get(row, "public"));
	long age = emb_audit_row_age(row, h->today);
	size_t i, nfind = json_array_size(findings), nprob = 0;
	struct emb_buf b = EMB_BUF_INIT, list = EMB_BUF_INIT;

	if (!status)
		status = "error";
	if (err) {
		problem(&list, "error", "not audited", err, error_fix(err));
		nprob++;
	} else if (!json_is_object(policy)) {
		problem(&list, "info", "empty", "no commit: nothing to audit",
			"Archive or delete it if it is abandoned; its first "
			"push will be audited next time.");
		nprob++;
	}
	json_array_foreach(json_object_get(policy, "problems"), i, p)
	{
		const char *sev = str_of(p, "severity");

		problem(&list, sev ? sev : "info", str_of(p, "rule"),
			str_of(p, "message"), fix_for(str_of(p, "rule")));
		nprob++;
	}
	json_array_foreach(findings, i, f)
	{
		struct emb_buf what = EMB_BUF_INIT;
		const char *until = str_of(f, "until");

		emb_buf_printf(&what, "%s (embargoed %s%s) in ",
			       str_of(f, "identifier"),
			       until ? "until " : "until removed",
			       until ? until : "");
		finding_place(&what, f);
		if (str_of(f, "excerpt"))
			emb_buf_printf(&what, ": %s", str_of(f, "excerpt"));
		problem(&list, pub ? "error" : "info", "embargoed reference",
			what.ptr,
			pub ? "Remove the reference before anyone else sees "
			      "it: reword the commit (git rebase -i), rename "
			      "the file, branch or tag, and force-push; or "
			      "make the repository private until the embargo "
			      "ends."
			    : "Private repository: allowed. Keep it private "
			      "until the embargo ends, and keep the reference "
			      "out of public forks.");
		emb_buf_release(&what);
		nprob++;
	}

	emb_buf_printf(&b,
		       "<tr data-status=\"%s\" data-access=\"%s\" "
		       "data-failing=\"%d\" data-problems=\"%zu\">",
		       status, pub ? "public" : "private",
		       err || !strcmp(status, "error") || (pub && nfind),
		       nprob);
	emb_buf_puts(&b, "<td class=\"repo\">");
	emb_html_escape(&b, name);
	emb_buf_printf(&b, "</td><td>%s</td>", pub ? "public" : "private");
	emb_buf_printf(&b, "<td><span class=\"badge %s\">%s</span></td>",
		       status, err ? "not audited" : status);
	emb_buf_printf(&b, "<td class=\"num\" data-sort=\"%ld\">", age);
	if (age >= 0) {
		emb_buf_printf(&b, "%ld", age);
		if (changed) {
			emb_buf_puts(&b, " <small>(");
			emb_html_escape(&b, changed);
			emb_buf_puts(&b, ")</small>");
		}
	} else {
		emb_buf_puts(&b, "&ndash;");
	}
	emb_buf_puts(&b, "</td><td>");
	emb_html_escape(&b, mdpath ? mdpath : "");
	emb_buf_printf(&b, "</td><td class=\"num\" data-sort=\"%zu\">%zu</td>",
		       nfind, nfind);
	emb_buf_printf(&b, "<td class=\"problems\">%s%s%s</td></tr>\n",
		       nprob ? "<ul>" : "<span class=\"none\">none</span>",
		       list.ptr ? list.ptr : "", nprob ? "</ul>" : "");
	fwrite(b.ptr, 1, b.size, h->spool);
	emb_buf_release(&b);
	emb_buf_release(&list);
	if (ferror(h->spool)) {
		emb_error_set("cannot write the temporary report: %s",
			      strerror(errno));
		return EMB_ERROR;
	}
	return 0;
}

static const char style[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;"
	"background:#f6f7f9}\n"
	"header,main{max-width:1200px;margin:0 auto;padding:0 20px}\n"
	"header{padding-top:18px}h1{font-size:22px;margin:0 0 4px}\n"
	".meta{color:#5b6475;margin:0 0 16px}\n"
	".tiles{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 18px}\n"
	".tile{background:#fff;border:1px solid #dde1e7;border-radius:8px;"
	"padding:10px 16px;min-width:120px}\n"
	".tile .n{display:block;font-size:28px;font-weight:600}\n"
	".tile.bad .n{color:#b42318}.tile.good .n{color:#067647}\n"
	".tile.warn .n{color:#b54708}\n"
	".charts{display:flex;flex-wrap:wrap;gap:16px;margin-bottom:18px}\n"
	"figure{background:#fff;border:1px solid #dde1e7;border-radius:8px;"
	"margin:0;padding:10px 14px}\n"
	"figcaption{font-weight:600;margin-bottom:6px}\n"
	".controls{display:flex;gap:10px;align-items:center;margin:8px 0}\n"
	".controls input{flex:1;padding:6px 8px}\n"
	"table{border-collapse:collapse;width:100%;background:#fff}\n"
	"th,td{border:1px solid #dde1e7;padding:6px 8px;vertical-align:top;"
	"text-align:left}\n"
	"th{background:#eef0f4;cursor:pointer;user-select:none;"
	"white-space:nowrap}\n"
	"th[aria-sort=ascending]::after{content:' \\25B2'}\n"
	"th[aria-sort=descending]::after{content:' \\25BC'}\n"
	"td.num{text-align:right;white-space:nowrap}\n"
	"td.repo{font-family:ui-monospace,monospace;min-width:11em;"
	"overflow-wrap:anywhere}\n"
	"td.problems{min-width:22em;overflow-wrap:anywhere}\n"
	".badge{border-radius:10px;padding:1px 8px;font-size:12px;"
	"white-space:nowrap}\n"
	".badge.ok{background:#dcfae6;color:#067647}\n"
	".badge.warning{background:#fef0c7;color:#93370d}\n"
	".badge.error{background:#fee4e2;color:#b42318}\n"
	".badge.not-audited,.badge.empty{background:#e4e7ec;color:#344054}"
	"\n"
	"ul{margin:0;padding-left:18px}li{margin-bottom:4px}\n"
	".rule{font-weight:600;font-family:ui-monospace,monospace}\n"
	"li.sev-error .rule{color:#b42318}li.sev-warning .rule{color:#b54708}"
	"\n"
	".fix{color:#475467;font-size:13px}.none{color:#98a2b3}\n"
	"tr.hidden{display:none}\n";

/*
 * Sorting (click a header; numbers by data-sort), filtering (text, verdict,
 * access) and the shown count.  With #selftest in the address it also
 * sorts by findings, filters (failing; the text "tagged"; private) and
 * writes the rows it shows into #selftest, so that a headless browser's
 * DOM dump proves the script works.
 */
static const char script[] =
	"(function(){'use strict';\n"
	"var de=document.documentElement;\n"
	"window.addEventListener('error',function(e){de.setAttribute("
	"'data-js-error',String(e.message));});\n"
	"var table=document.getElementById('audit');\n"
	"var body=table.tBodies[0];\n"
	"var heads=table.tHead.rows[0].cells;\n"
	"var text=document.getElementById('filter');\n"
	"var verdict=document.getElementById('verdict');\n"
	"var access=document.getElementById('access');\n"
	"var shown=document.getElementById('shown');\n"
	"function key(row,i,num){var c=row.cells[i];"
	"return num?Number(c.getAttribute('data-sort')):"
	"c.textContent.toLowerCase();}\n"
	"function sortBy(i,dir){var num=heads[i].getAttribute('data-type')"
	"==='num';var rows=Array.prototype.slice.call(body.rows);\n"
	"rows.sort(function(a,b){var x=key(a,i,num),y=key(b,i,num);"
	"return (x<y?-1:x>y?1:0)*dir;});\n"
	"rows.forEach(function(r){body.appendChild(r);});\n"
	"for(var j=0;j<heads.length;j++)heads[j].removeAttribute('aria-sort');"
	"\nheads[i].setAttribute('aria-sort',dir>0?'ascending':'descending');"
	"}\n"
	"function apply(){var q=text.value.toLowerCase(),v=verdict.value,"
	"a=access.value,n=0;\n"
	"Array.prototype.forEach.call(body.rows,function(r){var ok=(!q||"
	"r.textContent.toLowerCase().indexOf(q)>=0)&&(!v||(v==='failing'?"
	"r.getAttribute('data-failing')==='1':r.getAttribute('data-status')"
	"===v))&&(!a||r.getAttribute('data-access')===a);\n"
	"r.className=ok?'':'hidden';if(ok)n++;});\n"
	"shown.textContent=n+' of '+body.rows.length+' repositories shown';"
	"shown.setAttribute('data-shown',String(n));}\n"
	"Array.prototype.forEach.call(heads,function(h,i){h.addEventListener("
	"'click',function(){sortBy(i,h.getAttribute('aria-sort')==="
	"'ascending'?-1:1);});});\n"
	"text.addEventListener('input',apply);verdict.addEventListener("
	"'change',apply);access.addEventListener('change',apply);\n"
	"apply();\n"
	"if(location.hash==='#selftest'){var out=[];function seen(tag){"
	"Array.prototype.forEach.call(body.rows,function(r){if(r.className"
	"!=='hidden')out.push(tag+':'+r.cells[0].textContent+'='+"
	"r.cells[5].textContent);});}\n"
	"sortBy(5,-1);verdict.value='failing';apply();seen('failing');\n"
	"verdict.value='';text.value='TAGGED';apply();seen('text');\n"
	"text.value='';access.value='private';apply();seen('private');\n"
	"var st=document.createElement('pre');st.id='selftest';"
	"st.textContent=out.join('\\n');document.body.appendChild(st);}\n"
	"de.setAttribute('data-ready','1');\n"
	"})();\n";

static void tile(FILE *out, const char *id, size_t n, const char *label,
		 const char *cls)
{
	fprintf(out,
		"<div class=\"tile %s\"><span class=\"n\" id=\"total-%s\">%zu"
		"</span>%s</div>\n",
		n ? cls : "", id, n, label);
}

/* A bar chart: one bar per value, labelled below, count above. */
static void bar_chart(FILE *out, const char *id, const char *title,
		      const char *const *labels, const size_t *values,
		      const char *const *colors, size_t n)
{
	const int width = 480, height = 220, top = 24, bottom = 40, left = 10;
	int bar = (width - 2 * left) / (int)n;
	size_t i, max = 1;

	for (i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	fprintf(out,
		"<figure><figcaption>%s</figcaption>\n<svg id=\"%s\" "
		"xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"%s\">\n",
		title, id, width, height, width, height, title);
	fprintf(out,
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		"stroke=\"#98a2b3\"/>\n",
		left, height - bottom, width - left, height - bottom);
	for (i = 0; i < n; i++) {
		int h = (int)((double)(height - top - bottom) *
			      (double)values[i] / (double)max);
		int x = left + (int)i * bar + 6;
		struct emb_buf label = EMB_BUF_INIT;

		emb_html_escape(&label, labels[i]);
		fprintf(out,
			"<g data-label=\"%s\" data-count=\"%zu\"><title>%s: "
			"%zu</title><rect x=\"%d\" y=\"%d\" width=\"%d\" "
			"height=\"%d\" fill=\"%s\" rx=\"3\"/>",
			label.ptr, values[i], label.ptr, values[i], x,
			height - bottom - h, bar - 12, h, colors[i]);
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			"font-size=\"13\" font-weight=\"600\">%zu</text>",
			x + (bar - 12) / 2, height - bottom - h - 6, values[i]);
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			"font-size=\"11\" fill=\"#475467\">%s</text></g>\n",
			x + (bar - 12) / 2, height - bottom + 16, label.ptr);
		emb_buf_release(&label);
	}
	fputs("</svg></figure>\n", out);
}

int emb_html_finish(struct emb_html *h, const struct emb_audit_summary *s)
{
	static const char *const age_colors[] = {"#12b76a", "#66c61c",
						 "#fdb022", "#f79009",
						 "#d92d20", "#98a2b3"};
	static const char *const verdict_labels[] = {"ok", "warning", "error",
						     "empty", "not audited"};
	static const char *const verdict_colors[] = {
		"#12b76a", "#f79009", "#d92d20", "#d0d5dd", "#98a2b3"};
	size_t verdicts[5];
	struct emb_buf title = EMB_BUF_INIT;
	char day[16], buf[8192];
	size_t n;
	FILE *out = h->out;

	verdicts[0] = s->verdict_ok;
	verdicts[1] = s->verdict_warning;
	verdicts[2] = s->verdict_error;
	verdicts[3] = s->empty;
	verdicts[4] = s->errors;
	emb_date_format(day, sizeof(day), h->today);
	emb_html_escape(&title, h->title);

	fprintf(out,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" "
		"content=\"default-src 'none'; style-src 'unsafe-inline'; "
		"script-src 'unsafe-inline'; img-src data:\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, "
		"initial-scale=1\">\n<meta name=\"generator\" "
		"content=\"git-embargo %s\">\n"
		"<title>%s %s</title>\n<style>\n%s</style>\n</head>\n<body>\n",
		h->version, title.ptr, day, style);
	fprintf(out,
		"<header><h1>%s</h1>\n<p class=\"meta\">%s &middot; "
		"git-embargo %s &middot; embargoed references in public "
		"history and SECURITY.md policies</p></header>\n<main>\n",
		title.ptr, day, h->version);

	fputs("<section class=\"tiles\" id=\"totals\">\n", out);
	tile(out, "repositories", s->repositories, "repositories", "");
	tile(out, "clean", s->clean, "clean", "good");
	tile(out, "policy_errors", s->policy_errors, "with SECURITY.md errors",
	     "bad");
	tile(out, "with_findings", s->with_findings,
	     "public with embargoed references", "bad");
	tile(out, "private_with_findings", s->private_with_findings,
	     "private with references (allowed)", "warn");
	tile(out, "errors", s->errors, "could not be audited", "bad");
	fputs("</section>\n<section class=\"charts\">\n", out);
	bar_chart(out, "chart-age", "SECURITY.md age (last change)",
		  emb_audit_age_labels, s->age, age_colors,
		  EMB_AUDIT_AGE_BUCKETS);
	bar_chart(out, "chart-verdicts", "Policy verdicts", verdict_labels,
		  verdicts, verdict_colors, 5);
	fputs("</section>\n", out);

	fputs("<section>\n<div class=\"controls\">"
	      "<input id=\"filter\" type=\"search\" placeholder=\"Filter: "
	      "repository, rule, identifier, message\" aria-label=\"Filter\">"
	      "<select id=\"verdict\" aria-label=\"Verdict\">"
	      "<option value=\"\">all verdicts</option>"
	      "<option value=\"failing\">failing</option>"
	      "<option value=\"error\">error</option>"
	      "<option value=\"warning\">warning</option>"
	      "<option value=\"ok\">ok</option>"
	      "<option value=\"empty\">empty</option>"
	      "<option value=\"not-audited\">not audited</option></select>"
	      "<select id=\"access\" aria-label=\"Access\">"
	      "<option value=\"\">public and private</option>"
	      "<option value=\"public\">public</option>"
	      "<option value=\"private\">private</option></select>"
	      "<span id=\"shown\"></span></div>\n"
	      "<table id=\"audit\"><thead><tr>"
	      "<th data-type=\"text\">Repository</th>"
	      "<th data-type=\"text\">Access</th>"
	      "<th data-type=\"text\">Verdict</th>"
	      "<th data-type=\"num\" title=\"days since the last change of "
	      "the SECURITY.md in use\">Age (days)</th>"
	      "<th data-type=\"text\">File</th>"
	      "<th data-type=\"num\" title=\"references to embargoed "
	      "issues\">Findings</th>"
	      "<th data-type=\"text\">Problems and how to fix them</th>"
	      "</tr></thead>\n<tbody>\n",
	      out);
	rewind(h->spool);
	while ((n = fread(buf, 1, sizeof(buf), h->spool)) > 0)
		fwrite(buf, 1, n, out);
	fprintf(out,
		"</tbody></table>\n</section>\n</main>\n<script>\n%s"
		"</script>\n</body>\n</html>\n",
		script);
	emb_buf_release(&title);
	if (ferror(h->spool) || ferror(out)) {
		emb_error_set("cannot write the report: %s", strerror(errno));
		return EMB_ERROR;
	}
	return 0;
}
