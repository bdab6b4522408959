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
#include "embargo/policy.h"
#include "embargo/report_html.h"
#include "embargo/version.h"

struct emb_html {
	FILE *out;
	FILE *spool; /* the table body, written as rows come */
	char *title;
	emb_date today;
};

/* How to fix a policy problem: the rule table's advice; the problem's
 * own message says what is wrong in this repository. */
static const char *fix_for(const char *rule)
{
	const struct emb_policy_rule_info *info = emb_policy_rule_find(rule);

	if (info && info->advice)
		return info->advice;
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
		 emb_date today)
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

#define HTML_FINDINGS_SHOWN 10

static void finding_item(struct emb_buf *b, const json_t *f, bool pub)
{
	struct emb_buf what = EMB_BUF_INIT;
	const char *until = str_of(f, "until"), *base = str_of(f, "baseline");
	bool sup = json_is_true(json_object_get(f, "suppressed")) ||
		   json_is_true(json_object_get(f, "gone"));

	emb_buf_printf(&what, "%s (embargoed %s%s) in ",
		       str_of(f, "identifier"),
		       until ? "until " : "until removed", until ? until : "");
	emb_audit_finding_place(&what, f);
	if (str_of(f, "excerpt"))
		emb_buf_printf(&what, ": %s", str_of(f, "excerpt"));
	emb_audit_finding_marks(&what, f);
	emb_buf_printf(b, "<li class=\"sev-%s\"><span class=\"rule\">",
		       sup ? "info" :
		       pub ? "error" :
			     "info");
	emb_buf_puts(b, json_is_true(json_object_get(f, "suppressed")) ?
				"suppressed" :
				"embargoed reference");
	emb_buf_puts(b, "</span> ");
	if (base && strcmp(base, "unchanged")) {
		emb_buf_printf(b, "<span class=\"tag %s\">", base);
		emb_html_escape(b, base);
		emb_buf_puts(b, "</span> ");
	}
	emb_html_escape(b, what.ptr);
	emb_buf_puts(b, "</li>\n");
	emb_buf_release(&what);
}

int emb_html_row(struct emb_html *h, const json_t *row)
{
	const json_t *policy = json_object_get(row, "policy"), *p, *f;
	const json_t *findings = json_object_get(row, "findings");
	const char *name = str_of(row, "repository"),
		   *err = str_of(row, "error"),
		   *inc = str_of(row, "incomplete");
	enum emb_audit_verdict v = emb_audit_row_verdict(row);
	const char *verdict = emb_audit_verdict_name(v);
	const char *status =
		json_is_object(policy) ? str_of(policy, "status") : NULL;
	const char *mdpath = str_of(policy, "path"),
		   *changed = str_of(policy, "last_changed");
	bool pub = json_is_true(json_object_get(row, "public"));
	long age = emb_audit_row_age(row, h->today);
	size_t i, nfind = json_array_size(findings), nprob = 0;
	struct emb_buf b = EMB_BUF_INIT, list = EMB_BUF_INIT,
		       fix = EMB_BUF_INIT;

	if (err) {
		problem(&list, "error", "not audited", err,
			emb_audit_error_fix(err));
		nprob++;
	} else if (inc) {
		problem(&list, "error", "incomplete", inc,
			emb_audit_error_fix(inc));
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
	json_array_foreach(json_object_get(row, "notes"), i, p)
	{
		emb_buf_puts(&list, "<li class=\"sev-info\"><span "
				    "class=\"rule\">note</span> ");
		emb_html_escape(&list, json_string_value(p));
		emb_buf_puts(&list, "</li>\n");
	}
	if (nfind) {
		emb_buf_puts(&list, "<li class=\"findings\"><ul>\n");
		json_array_foreach(findings, i, f)
		{
			if (i == HTML_FINDINGS_SHOWN)
				emb_buf_printf(&list,
					       "</ul><details><summary>and %zu "
					       "more</summary><ul>\n",
					       nfind - i);
			finding_item(&list, f, pub);
		}
		emb_buf_puts(&list, nfind > HTML_FINDINGS_SHOWN ?
					    "</ul></details>" :
					    "</ul>");
		if (!err) {
			emb_audit_row_fix(&fix, row);
			if (fix.size) {
				emb_buf_puts(&list, "<div class=\"fix\">Fix: ");
				emb_html_escape(&list, fix.ptr);
				emb_buf_puts(&list, "</div>");
			}
		}
		emb_buf_puts(&list, "</li>\n");
		nprob += nfind;
	}

	emb_buf_printf(&b,
		       "<tr data-status=\"%s\" data-access=\"%s\" "
		       "data-failing=\"%d\" data-problems=\"%zu\">",
		       verdict, pub ? "public" : "private",
		       v != EMB_VERDICT_OK && v != EMB_VERDICT_WARNING &&
			       v != EMB_VERDICT_PRIVATE_FINDINGS,
		       nprob);
	emb_buf_puts(&b, "<td class=\"repo\" data-label=\"Repository\">");
	emb_html_escape(&b, name);
	emb_buf_printf(&b, "</td><td data-label=\"Access\">%s</td>",
		       pub ? "public" : "private");
	emb_buf_printf(&b,
		       "<td data-label=\"Verdict\"><span class=\"badge "
		       "%s\">%s</span></td>",
		       verdict, verdict);
	emb_buf_printf(&b, "<td data-label=\"Policy\">%s</td>",
		       status ? status : "&ndash;");
	emb_buf_printf(&b,
		       "<td class=\"num\" data-label=\"Age (days)\" "
		       "data-sort=\"%ld\">",
		       age);
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
	emb_buf_puts(&b, "</td><td data-label=\"File\">");
	emb_html_escape(&b, mdpath ? mdpath : "");
	emb_buf_printf(&b,
		       "</td><td class=\"num\" data-label=\"Findings\" "
		       "data-sort=\"%zu\">%zu</td>",
		       nfind, nfind);
	emb_buf_printf(&b,
		       "<td class=\"problems\" data-label=\"Problems\">%s%s%s"
		       "</td></tr>\n",
		       nprob ? "<ul>" : "<span class=\"none\">none</span>",
		       list.ptr ? list.ptr : "", nprob ? "</ul>" : "");
	fwrite(b.ptr, 1, b.size, h->spool);
	emb_buf_release(&b);
	emb_buf_release(&list);
	emb_buf_release(&fix);
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
	"tr.hidden{display:none}\n"
	".badge.leak{background:#b42318;color:#fff}\n"
	".badge.incomplete,.badge.private-findings{background:#fef0c7;"
	"color:#93370d}\n"
	".tile.leak{border-color:#b42318}.tile.leak .n{color:#b42318}\n"
	"details summary{cursor:pointer;color:#344054;margin:4px 0}\n"
	"li.findings{list-style:none;margin-left:-18px}\n"
	".tag{font-size:11px;border-radius:6px;padding:0 5px;"
	"background:#e4e7ec}.tag.new{background:#fee4e2;color:#b42318}\n"
	"#leaks table{margin-bottom:18px}#leaks td.id{font-family:"
	"ui-monospace,monospace;white-space:nowrap}\n"
	"figure{flex:1 1 420px;min-width:0}svg{max-width:100%;height:auto;"
	"display:block}\n"
	".scroll{overflow-x:auto}\n"
	/* phone width: every table row becomes a card of labelled lines.
	 * A container query on main, so that the layout follows the width
	 * it is given (the browser test narrows main to 420 px; headless
	 * windows are not narrower than 500) */
	"main{container-type:inline-size}\n"
	"@container (max-width:720px){\n"
	".controls{flex-wrap:wrap}.controls input{flex:1 1 100%}\n"
	"table.cards,table.cards tbody,table.cards tr,table.cards td{"
	"display:block;width:auto}\n"
	"table.cards thead{display:none}\n"
	"table.cards tr{border:1px solid #dde1e7;border-radius:8px;"
	"margin-bottom:10px;background:#fff}\n"
	"table.cards tr.hidden{display:none}\n"
	"table.cards td{border:0;border-top:1px solid #eef0f4;"
	"min-width:0;text-align:left}\n"
	"table.cards td::before{content:attr(data-label);display:block;"
	"font-size:11px;color:#5b6475;text-transform:uppercase}\n"
	"td.repo,td.problems{min-width:0}}\n"
	"@media (max-width:720px){header,main{padding:0 10px}}\n";

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
	"r.cells[6].textContent);});}\n"
	"sortBy(6,-1);verdict.value='failing';apply();seen('failing');\n"
	"verdict.value='';text.value='TAGGED';apply();seen('text');\n"
	"text.value='';access.value='private';apply();seen('private');\n"
	"var st=document.createElement('pre');st.id='selftest';"
	"st.textContent=out.join('\\n');document.body.appendChild(st);}\n"
	"var m=/^#width=([0-9]+)$/.exec(location.hash),main=document."
	"querySelector('main');\n"
	"if(m){main.style.maxWidth='none';main.style.boxSizing='border-box';"
	"main.style.width=m[1]+'px';}\n"
	"de.setAttribute('data-cards',getComputedStyle(table.tHead).display"
	"==='none'?'1':'0');\n"
	"de.setAttribute('data-main-width',String(main.clientWidth));\n"
	"de.setAttribute('data-main-scroll-width',String(main.scrollWidth));"
	"\n"
	"de.setAttribute('data-viewport',String(window.innerWidth));\n"
	"de.setAttribute('data-scroll-width',String(Math.max(de.scrollWidth,"
	"document.body.scrollWidth)));\n"
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

/* A chart label: long ones on two lines, split at the last space, else
 * at the first hyphen ("private-findings"). */
static void chart_label(FILE *out, int x, int y, const char *label)
{
	struct emb_buf a = EMB_BUF_INIT, b = EMB_BUF_INIT;
	const char *cut = strlen(label) > 10 ? strrchr(label, ' ') : NULL;

	if (!cut && strlen(label) > 10)
		cut = strchr(label, '-');
	if (!cut) {
		emb_html_escape(&a, label);
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			"font-size=\"11\" fill=\"#475467\">%s</text>",
			x, y, a.ptr);
	} else {
		char *first = emb_xstrndup(label, (size_t)(cut - label) +
							  (*cut == '-'));

		emb_html_escape(&a, first);
		emb_html_escape(&b, cut + 1);
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			"font-size=\"11\" fill=\"#475467\"><tspan x=\"%d\">"
			"%s</tspan><tspan x=\"%d\" dy=\"13\">%s</tspan></text>",
			x, y, x, a.ptr, x, b.ptr);
		free(first);
	}
	emb_buf_release(&a);
	emb_buf_release(&b);
}

/* A bar chart: one bar per value, labelled below, count above.  It
 * scales down with its box (viewBox, max-width 100%). */
static void bar_chart(FILE *out, const char *id, const char *title,
		      const char *const *labels, const size_t *values,
		      const char *const *colors, size_t n)
{
	const int bar = 84, height = 230, top = 24, bottom = 48, left = 10;
	const int width = 2 * left + bar * (int)n;
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
		chart_label(out, x + (bar - 12) / 2, height - bottom + 16,
			    labels[i]);
		fputs("</g>\n", out);
		emb_buf_release(&label);
	}
	fputs("</svg></figure>\n", out);
}

static void names_cell(FILE *out, const struct emb_audit_names *l, size_t total)
{
	struct emb_buf b = EMB_BUF_INIT;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (i)
			emb_buf_puts(&b, ", ");
		emb_html_escape(&b, l->v[i]);
	}
	if (total > l->n)
		emb_buf_printf(&b, " and %zu more", total - l->n);
	fputs(b.ptr ? b.ptr : "&ndash;", out);
	emb_buf_release(&b);
}

/* The leaks per identifier: what a security lead reads first. */
static void leaks_section(FILE *out, struct emb_audit_rollup *r)
{
	const struct emb_audit_leak *v;
	size_t i, n;
	char dates[48];
	struct emb_buf id = EMB_BUF_INIT;

	v = emb_audit_rollup_leaks(r, &n);
	fprintf(out, "<section id=\"leaks\" data-count=\"%zu\">\n", n);
	if (!n) {
		fputs("<p class=\"meta\">No embargoed identifier in a public "
		      "repository.</p></section>\n",
		      out);
		return;
	}
	fprintf(out,
		"<h2>Embargoed identifiers in public repositories (%zu)</h2>"
		"\n<div class=\"scroll\"><table class=\"cards\"><thead><tr>"
		"<th>Identifier</th><th>Repositories</th><th>Commits</th>"
		"<th>Commit dates</th><th>Refs</th></tr></thead><tbody>\n",
		n);
	for (i = 0; i < n; i++) {
		emb_buf_clear(&id);
		emb_html_escape(&id, v[i].identifier);
		emb_audit_leak_dates(dates, sizeof(dates), &v[i]);
		fprintf(out,
			"<tr data-identifier=\"%s\"><td class=\"id\" "
			"data-label=\"Identifier\">%s</td>"
			"<td data-label=\"Repositories\"><b>%zu</b>: ",
			id.ptr, id.ptr, v[i].repositories);
		names_cell(out, &v[i].repos, v[i].repositories);
		fprintf(out,
			"</td><td class=\"num\" data-label=\"Commits\">%zu",
			v[i].commits);
		if (v[i].forge_only)
			fprintf(out,
				" <small>(%zu only on pull-request "
				"refs)</small>",
				v[i].forge_only);
		fprintf(out,
			"</td><td data-label=\"Commit dates\">%s</td>"
			"<td data-label=\"Refs\">",
			dates);
		names_cell(out, &v[i].refs, v[i].nrefs);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></div>\n</section>\n", out);
	emb_buf_release(&id);
}

int emb_html_finish(struct emb_html *h, const struct emb_audit_summary *s,
		    struct emb_audit_rollup *rollup)
{
	static const char *const age_colors[] = { "#12b76a", "#66c61c",
						  "#fdb022", "#f79009",
						  "#d92d20", "#98a2b3" };
	static const char *const verdict_colors[EMB_AUDIT_VERDICTS] = {
		"#7a271a", "#d92d20", "#f79009", "#12b76a",
		"#fdb022", "#98a2b3", "#667085"
	};
	static const char *const tile_class[EMB_AUDIT_VERDICTS] = {
		"leak bad", "bad", "warn", "good", "warn", "bad", "bad"
	};
	const char *verdict_labels[EMB_AUDIT_VERDICTS];
	struct emb_buf title = EMB_BUF_INIT, line = EMB_BUF_INIT;
	char day[16], buf[8192];
	size_t n;
	int i;
	FILE *out = h->out;

	for (i = 0; i < EMB_AUDIT_VERDICTS; i++)
		verdict_labels[i] =
			emb_audit_verdict_name((enum emb_audit_verdict)i);
	emb_date_format(day, sizeof(day), h->today);
	emb_html_escape(&title, h->title);
	emb_audit_summary_line(&line, s);

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
		EMB_VERSION, title.ptr, day, style);
	fprintf(out,
		"<header><h1>%s</h1>\n<p class=\"meta\">%s &middot; "
		"git-embargo %s &middot; embargoed references in public "
		"history and SECURITY.md policies</p></header>\n<main>\n",
		title.ptr, day, EMB_VERSION);
	leaks_section(out, rollup);

	fputs("<section class=\"tiles\" id=\"totals\">\n", out);
	tile(out, "repositories", s->repositories, "repositories", "");
	for (i = 0; i < EMB_AUDIT_VERDICTS; i++)
		tile(out, verdict_labels[i], s->verdicts[i], verdict_labels[i],
		     tile_class[i]);
	tile(out, "findings", s->findings,
	     "embargoed references in public repositories", "bad");
	if (s->suppressed)
		tile(out, "suppressed", s->suppressed, "suppressed", "");
	fputs("</section>\n<p class=\"meta\" id=\"summary\">", out);
	emb_buf_clear(&title);
	emb_html_escape(&title, line.ptr);
	fputs(title.ptr, out);
	fputs("</p>\n<section class=\"charts\">\n", out);
	bar_chart(out, "chart-verdicts", "Verdicts", verdict_labels,
		  s->verdicts, verdict_colors, EMB_AUDIT_VERDICTS);
	bar_chart(out, "chart-age", "SECURITY.md age (last change)",
		  emb_audit_age_labels, s->age, age_colors,
		  EMB_AUDIT_AGE_BUCKETS);
	fputs("</section>\n", out);

	fputs("<section>\n<div class=\"controls\">"
	      "<input id=\"filter\" type=\"search\" placeholder=\"Filter: "
	      "repository, rule, identifier, message\" aria-label=\"Filter\">"
	      "<select id=\"verdict\" aria-label=\"Verdict\">"
	      "<option value=\"\">all verdicts</option>"
	      "<option value=\"failing\">needs action</option>",
	      out);
	for (i = 0; i < EMB_AUDIT_VERDICTS; i++)
		fprintf(out, "<option value=\"%s\">%s</option>",
			verdict_labels[i], verdict_labels[i]);
	fputs("</select>"
	      "<select id=\"access\" aria-label=\"Access\">"
	      "<option value=\"\">public and private</option>"
	      "<option value=\"public\">public</option>"
	      "<option value=\"private\">private</option></select>"
	      "<span id=\"shown\"></span></div>\n"
	      "<table id=\"audit\" class=\"cards\"><thead><tr>"
	      "<th data-type=\"text\">Repository</th>"
	      "<th data-type=\"text\">Access</th>"
	      "<th data-type=\"text\">Verdict</th>"
	      "<th data-type=\"text\">Policy</th>"
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
	emb_buf_release(&line);
	if (ferror(h->spool) || ferror(out)) {
		emb_error_set("cannot write the report: %s", strerror(errno));
		return EMB_ERROR;
	}
	return 0;
}
