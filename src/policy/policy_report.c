/*
 * policy_report.c - a policy result for people (text) and for code
 * scanning (SARIF 2.1.0, one run beside the scanner's in report.c).
 * The JSON object itself is emb_policy_to_json() in policy.c.
 */
#include <stdio.h>
#include <string.h>

#include "embargo/list.h"
#include "embargo/policy.h"
#include "embargo/sarif.h"

static const char *C_RED = "\033[1;31m", *C_YEL = "\033[33m",
		  *C_DIM = "\033[2m", *C_OFF = "\033[0m";

void emb_policy_print(FILE *out, const struct emb_policy_result *r, bool strict,
		      bool color, const char *indent)
{
	size_t i, n[3] = { 0, 0, 0 };
	const char *status = emb_policy_status(r, strict);
	char d[16];

	if (!indent)
		indent = "";
	for (i = 0; i < r->nproblems; i++) {
		const struct emb_policy_problem *p = &r->problems[i];
		const char *on = !color				? "" :
				 p->severity == EMB_SEV_ERROR	? C_RED :
				 p->severity == EMB_SEV_WARNING ? C_YEL :
								  C_DIM;

		n[p->severity]++;
		fprintf(out, "%s%s%s%s: %s [%s]\n", indent, on,
			emb_severity_name(p->severity), color ? C_OFF : "",
			p->message, p->rule);
		if (p->detail) {
			const char *s = p->detail;

			while (*s) {
				size_t len = strcspn(s, "\n");

				fprintf(out, "%s    %.*s\n", indent, (int)len,
					s);
				s += len + (s[len] == '\n');
			}
		}
	}
	fprintf(out, "%s%s%s%s: %s", indent, r->path ? "'" : "",
		r->path ? r->path : "no SECURITY.md", r->path ? "'" : "",
		status);
	if (n[EMB_SEV_ERROR] || n[EMB_SEV_WARNING] || n[EMB_SEV_INFO]) {
		const char *sep = " (";

		if (n[EMB_SEV_ERROR]) {
			fprintf(out, "%s%zu error%s", sep, n[EMB_SEV_ERROR],
				n[EMB_SEV_ERROR] == 1 ? "" : "s");
			sep = ", ";
		}
		if (n[EMB_SEV_WARNING]) {
			fprintf(out, "%s%zu warning%s", sep, n[EMB_SEV_WARNING],
				n[EMB_SEV_WARNING] == 1 ? "" : "s");
			sep = ", ";
		}
		if (n[EMB_SEV_INFO])
			fprintf(out, "%s%zu note%s", sep, n[EMB_SEV_INFO],
				n[EMB_SEV_INFO] == 1 ? "" : "s");
		fputc(')', out);
	}
	if (r->path) {
		if (r->last_changed != EMB_DATE_NONE) {
			emb_date_format(d, sizeof(d), r->last_changed);
			fprintf(out, "; last changed %s", d);
		}
		fprintf(out, "; OpenSSF Scorecard would give %d/10",
			r->scorecard);
		if (r->template_similarity >= 0)
			fprintf(out, "; %d%% like the template",
				r->template_similarity);
	}
	fputc('\n', out);
}

void emb_policy_sarif_rule_id(struct emb_buf *out, const char *rule)
{
	emb_buf_printf(out, EMB_POLICY_SARIF_PREFIX "%s", rule);
}

void emb_policy_sarif_add_rule(json_t *run, const char *rule)
{
	const struct emb_policy_rule_info *info = emb_policy_rule_find(rule);
	struct emb_buf id = EMB_BUF_INIT;
	struct emb_sarif_rule d = { 0 };

	emb_policy_sarif_rule_id(&id, rule);
	d.id = id.ptr;
	d.name = rule;
	if (info) {
		d.name = info->sarif_name;
		d.short_text = info->title;
		d.help_text = "See the result's message for what is wrong and "
			      "how to fix it.";
	}
	emb_sarif_run_add_rule(run, &d);
	emb_buf_release(&id);
}

const char *emb_policy_sarif_level(enum emb_severity sev, bool strict)
{
	return sev == EMB_SEV_ERROR   ? "error" :
	       sev == EMB_SEV_WARNING ? (strict ? "error" : "warning") :
					"note";
}

json_t *emb_policy_sarif_result(const char *rule, enum emb_severity sev,
				bool strict, const char *message,
				const char *detail, const char *uri,
				size_t line)
{
	struct emb_buf fp = EMB_BUF_INIT, msg = EMB_BUF_INIT, id = EMB_BUF_INIT;
	json_t *result;

	emb_policy_sarif_rule_id(&id, rule);
	emb_buf_puts(&msg, message);
	if (detail)
		emb_buf_printf(&msg, "\n%s", detail);
	/* stable across runs: the rule, the file, the message */
	emb_buf_printf(&fp, "%s|%s|%s", rule, uri, message);
	result = emb_sarif_result(id.ptr, emb_policy_sarif_level(sev, strict),
				  msg.ptr, emb_sarif_location(uri, line, -1),
				  "embargoPolicy/v1", fp.ptr);
	emb_buf_release(&fp);
	emb_buf_release(&msg);
	emb_buf_release(&id);
	return result;
}

const char *emb_policy_sarif_uri(const char *path, bool inherited)
{
	/* the organisation default is not a file of this repository */
	return path && !inherited ? path : "SECURITY.md";
}

void emb_sarif_add_policy_run(json_t *log, const struct emb_policy_result *r,
			      const char *repo, bool strict)
{
	json_t *run = emb_sarif_run_new(
		"https://docs.github.com/code-security/getting-started/"
		"adding-a-security-policy-to-your-repository");
	const char *uri = emb_policy_sarif_uri(r->path, r->inherited);
	size_t i;

	for (i = 0; i < r->nproblems; i++) {
		const struct emb_policy_problem *p = &r->problems[i];

		emb_policy_sarif_add_rule(run, p->rule);
		emb_sarif_run_add_result(
			run, emb_policy_sarif_result(p->rule, p->severity,
						     strict, p->message,
						     p->detail, uri, p->line));
	}
	json_object_set_new(
		run, "properties",
		json_pack("{s:o}", "policy", emb_policy_to_json(r, strict)));
	if (repo)
		emb_sarif_run_set_id(run, repo);
	emb_sarif_log_add_run(log, run);
}
