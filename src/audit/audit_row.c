/*
 * audit_row.c - the audit's row model: the verdict of a repository row
 * and the totals over rows, a row's SECURITY.md age, checking and
 * redacting rows, where a finding is and what to do about a row.
 *
 * Everything here is decided from a row's fields alone, so that a row
 * read back by `audit --merge` or as a baseline says what it said when
 * it was made.  The writers (audit_report.c, report_html.c) render
 * these decisions; none of them is made twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/list.h"
#include "embargo/report.h"

const char *const emb_audit_age_labels[EMB_AUDIT_AGE_BUCKETS] = {
	"< 90 days", "90-179 days", "180-364 days",
	"1-2 years", "> 2 years",   "no SECURITY.md"
};

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

static const char *const verdict_names[EMB_AUDIT_VERDICTS] = {
	"leak",	      "error",	    "warning", "ok", "private-findings",
	"incomplete", "not-audited"
};

const char *emb_audit_verdict_name(enum emb_audit_verdict v)
{
	return (unsigned)v < EMB_AUDIT_VERDICTS ? verdict_names[v] : "?";
}

/* Findings that count: those a suppression did not accept. */
static size_t live_findings(const json_t *row)
{
	const json_t *f;
	size_t i, n = 0;

	json_array_foreach(json_object_get(row, "findings"), i, f) n +=
		!json_is_true(json_object_get(f, "suppressed")) &&
		!json_is_true(json_object_get(f, "gone"));
	return n;
}

enum emb_audit_verdict emb_audit_row_verdict(const json_t *row)
{
	const char *st = str_of(json_object_get(row, "policy"), "status");
	bool pub = json_is_true(json_object_get(row, "public"));
	size_t nfind = live_findings(row);

	if (str_of(row, "error"))
		return EMB_VERDICT_NOT_AUDITED;
	if (pub && nfind)
		return EMB_VERDICT_LEAK;
	/* a policy error found stands, even when the scan did not finish */
	if (st && !strcmp(st, "error"))
		return EMB_VERDICT_ERROR;
	if (str_of(row, "incomplete"))
		return EMB_VERDICT_INCOMPLETE;
	if (st && !strcmp(st, "warning"))
		return EMB_VERDICT_WARNING;
	if (nfind)
		return EMB_VERDICT_PRIVATE_FINDINGS;
	return EMB_VERDICT_OK;
}

void emb_audit_row_set_verdict(json_t *row)
{
	json_object_set_new(row, "verdict",
			    json_string(emb_audit_verdict_name(
				    emb_audit_row_verdict(row))));
}

void emb_audit_summary_add(struct emb_audit_summary *s, const json_t *row,
			   emb_date today)
{
	enum emb_audit_verdict v = emb_audit_row_verdict(row);
	const json_t *f;
	bool pub = json_is_true(json_object_get(row, "public"));
	long age = emb_audit_row_age(row, today);
	size_t i, nfind = live_findings(row);

	s->repositories++;
	s->verdicts[v]++;
	s->rows_incomplete += str_of(row, "incomplete") != NULL;
	json_array_foreach(json_object_get(row, "findings"), i, f)
		s->suppressed += json_is_true(json_object_get(f, "suppressed"));
	if (pub)
		s->findings += nfind;
	else
		s->private_findings += nfind;
	if (v == EMB_VERDICT_NOT_AUDITED)
		return;
	if (!json_is_object(json_object_get(row, "policy"))) {
		s->empty += !str_of(row, "incomplete");
		return;
	}
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
	json_t *v = json_object();
	char shard[32];
	int i;

	for (i = 0; i < EMB_AUDIT_VERDICTS; i++)
		json_object_set_new(v, verdict_names[i],
				    json_integer((json_int_t)s->verdicts[i]));
	snprintf(shard, sizeof(shard), "%u/%u", s->shards ? s->shard : 1,
		 s->shards ? s->shards : 1);
	return json_pack("{s:s, s:s, s:s, s:I, s:o, s:I, s:I, s:I, s:I}",
			 "type", "summary", "shard", shard, "sources",
			 s->sources, "repositories",
			 (json_int_t)s->repositories, "verdicts", v,
			 "rows_incomplete", (json_int_t)s->rows_incomplete,
			 "findings", (json_int_t)s->findings,
			 "private_findings", (json_int_t)s->private_findings,
			 "suppressed", (json_int_t)s->suppressed);
}

int emb_audit_summary_exit(const struct emb_audit_summary *s)
{
	if (s->verdicts[EMB_VERDICT_LEAK] || s->verdicts[EMB_VERDICT_ERROR])
		return EMB_EXIT_FOUND;
	if (s->verdicts[EMB_VERDICT_INCOMPLETE] ||
	    s->verdicts[EMB_VERDICT_NOT_AUDITED])
		return EMB_EXIT_REPO;
	return EMB_EXIT_OK;
}

/* ---- rows read back ---------------------------------------------------- */

int emb_audit_row_check(const json_t *row)
{
	const json_t *policy = json_object_get(row, "policy"),
		     *err = json_object_get(row, "error"),
		     *inc = json_object_get(row, "incomplete");
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
	    !(json_is_null(err) || json_is_string(err)) ||
	    !(!inc || json_is_null(inc) || json_is_string(inc))) {
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
			 const struct emb_redaction *r, size_t n)
{
	const char *v = json_string_value(json_object_get(obj, key));
	char *red;

	if (!v)
		return;
	red = emb_redact_text(v, r, n);
	if (strcmp(red, v))
		json_object_set_new(obj, key, json_string(red));
	free(red);
}

void emb_audit_row_redact(json_t *row)
{
	json_t *findings = json_object_get(row, "findings"), *f;
	struct redaction *r;
	struct emb_redaction *rr;
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
	rr = emb_xcalloc(n + 1, sizeof(*rr));
	for (i = 0; i < n; i++) {
		rr[i].text = r[i].text;
		rr[i].red = r[i].red;
	}
	json_array_foreach(findings, i, f)
	{
		const char *id = str_of(f, "identifier");
		char red[64];

		const json_t *refs = json_object_get(f, "refs");
		json_t *copy = json_array();
		size_t k;

		redact_field(f, "ref", rr, n);
		redact_field(f, "path", rr, n);
		for (k = 0; k < json_array_size(refs); k++) {
			json_t *one = json_pack("{s:O}", "ref",
						json_array_get(refs, k));

			redact_field(one, "ref", rr, n);
			json_array_append(copy, json_object_get(one, "ref"));
			json_decref(one);
		}
		if (refs)
			json_object_set(f, "refs", copy);
		json_decref(copy);
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
	free(rr);
}

void emb_audit_summary_line(struct emb_buf *out,
			    const struct emb_audit_summary *s)
{
	int i;

	emb_buf_printf(out, "%zu repositor%s:", s->repositories,
		       s->repositories == 1 ? "y" : "ies");
	for (i = 0; i < EMB_AUDIT_VERDICTS; i++)
		emb_buf_printf(out, "%s %zu %s", i ? "," : "", s->verdicts[i],
			       verdict_names[i]);
	emb_buf_printf(out, "; %zu reference%s in public repositories",
		       s->findings, s->findings == 1 ? "" : "s");
	if (s->private_findings)
		emb_buf_printf(out, ", %zu in private ones (allowed)",
			       s->private_findings);
	if (s->suppressed)
		emb_buf_printf(out, ", %zu suppressed", s->suppressed);
}

/* ---- shared pieces ------------------------------------------------------ */

void emb_audit_finding_place(struct emb_buf *out, const json_t *f)
{
	struct emb_finding rec;
	struct emb_entry entry;
	const char *commit = str_of(f, "commit");

	if (emb_finding_from_json(&rec, &entry, f) < 0) {
		/* a kind of a later version: the commit is all we know */
		emb_buf_printf(out, "commit %.7s", commit ? commit : "?");
		return;
	}
	emb_report_place(out, &rec);
	emb_finding_from_json_release(&rec, &entry);
}

void emb_audit_finding_marks(struct emb_buf *out, const json_t *f)
{
	const json_t *sup = json_object_get(f, "suppression");
	const char *base = str_of(f, "baseline"),
		   *expired = str_of(f, "suppression_expired");

	if (base && strcmp(base, "unchanged"))
		emb_buf_printf(out, " [%s]", base);
	if (json_is_true(json_object_get(f, "suppressed")))
		emb_buf_printf(
			out, " (suppressed until %s: %s)",
			str_of(sup, "until") ? str_of(sup, "until") : "?",
			str_of(sup, "reason") ? str_of(sup, "reason") : "");
	else if (expired)
		emb_buf_printf(out, " (its suppression expired on %s)",
			       expired);
}

/* ---- what to do ----------------------------------------------------- */

const char *emb_audit_error_fix(const char *err)
{
	static const struct {
		const char *says, *fix;
	} hints[] = {
		{ "shallow",
		  "Fetch the whole history ('git fetch --unshallow') "
		  "and audit again." },
		{ "partial clone", "Fetch the missing objects ('git fetch "
				   "--refetch' without a filter) and audit "
				   "again." },
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
		{ "time", "Audit it alone with a longer --timeout." },
		{ "HEAD names no branch", "Point HEAD at the default branch." },
		{ "owner", "Add the repository to safe.directory, or audit as "
			   "its owner." },
	};
	size_t i;

	for (i = 0; err && i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(err, hints[i].says))
			return hints[i].fix;
	return "Check access rights; a repository with missing or corrupt "
	       "objects needs 'git fsck' and repair, then audit it again.";
}

/* Is this ref one a forge publishes beyond branches and tags? */
static bool forge_ref(const char *name)
{
	return name && (!strncmp(name, "refs/pull/", 10) ||
			!strncmp(name, "refs/merge-requests/", 20));
}

void emb_audit_row_fix(struct emb_buf *out, const json_t *row)
{
	enum emb_audit_verdict v = emb_audit_row_verdict(row);
	bool pub = json_is_true(json_object_get(row, "public"));
	const char *inc = str_of(row, "incomplete");
	const json_t *f, *r;
	size_t i, j, forge = 0, live = live_findings(row);

	if (v == EMB_VERDICT_NOT_AUDITED) {
		emb_buf_puts(out, emb_audit_error_fix(str_of(row, "error")));
		return;
	}
	if (inc)
		emb_buf_puts(out, emb_audit_error_fix(inc));
	if (!live)
		return;
	if (out->size)
		emb_buf_putc(out, ' ');
	if (!pub) {
		emb_buf_puts(out, "Private repository: allowed. Keep it "
				  "private until the embargo ends, and the "
				  "references out of public forks.");
		return;
	}
	json_array_foreach(json_object_get(row, "findings"), i, f)
	{
		bool only = json_is_true(json_object_get(f, "forge_only")) ||
			    forge_ref(str_of(f, "ref"));

		json_array_foreach(json_object_get(f, "refs"), j, r) only |=
			j == 0 && forge_ref(json_string_value(r));
		forge += only;
	}
	emb_buf_puts(out, "Remove the references before anyone else sees "
			  "them: reword or drop the commits ('git rebase "
			  "-i'), rename the files, branches and tags, "
			  "force-push, and ask the forge to purge the old "
			  "objects; or make the repository private until "
			  "the embargo ends.");
	if (forge)
		emb_buf_printf(out,
			       " %zu finding%s only in pull-request or "
			       "merge-request refs (refs/pull/*, "
			       "refs/merge-requests/*): anyone can fetch "
			       "them and a force-push cannot remove them; "
			       "ask the forge's support to delete those "
			       "refs and the commits.",
			       forge, forge == 1 ? " is" : "s are");
}
