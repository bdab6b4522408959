/*
 * policy_stub.c - TEMPORARY stand-in for the SECURITY.md check (issue 4)
 * so that the audit branch builds and runs before branch `policy` is
 * merged.  It knows only `missing`, `inherited` and `expired`, and the
 * last commit that changed the file.  REVERT THIS COMMIT before merging
 * branch `policy`; it must never reach main.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/policy.h"

static const char *const candidates[] = { "SECURITY.md", ".github/SECURITY.md",
					  "docs/SECURITY.md", NULL };

static void add_problem(struct emb_policy_result *r, const char *rule,
			enum emb_severity sev, const char *msg, size_t line)
{
	r->problems = emb_xrealloc(r->problems,
				   (r->nproblems + 1) * sizeof(*r->problems));
	r->problems[r->nproblems].rule = rule;
	r->problems[r->nproblems].severity = sev;
	r->problems[r->nproblems].message = emb_xstrdup(msg);
	r->problems[r->nproblems].line = line;
	r->nproblems++;
}

static int find_file(git_tree_entry **out, const char **path, git_tree *tree)
{
	size_t i;

	for (i = 0; candidates[i]; i++)
		if (git_tree_entry_bypath(out, tree, candidates[i]) == 0) {
			*path = candidates[i];
			return 0;
		}
	return EMB_ENOTFOUND;
}

/* First-parent walk from HEAD to the newest commit that changed path. */
static emb_date last_changed(git_repository *repo, const char *path)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	emb_date when = EMB_DATE_NONE;

	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_push_head(walk))
		goto done;
	git_revwalk_simplify_first_parent(walk);
	while (when == EMB_DATE_NONE && git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL, *parent = NULL;
		git_tree *t = NULL, *pt = NULL;
		git_tree_entry *e = NULL, *pe = NULL;

		if (git_commit_lookup(&c, repo, &oid) < 0)
			break;
		if (git_commit_tree(&t, c) == 0 &&
		    git_tree_entry_bypath(&e, t, path) == 0 &&
		    (git_commit_parent(&parent, c, 0) < 0 ||
		     git_commit_tree(&pt, parent) < 0 ||
		     git_tree_entry_bypath(&pe, pt, path) < 0 ||
		     !git_oid_equal(git_tree_entry_id(e),
				    git_tree_entry_id(pe))))
			when = emb_date_from_time(git_commit_time(c));
		git_tree_entry_free(e);
		git_tree_entry_free(pe);
		git_tree_free(t);
		git_tree_free(pt);
		git_commit_free(parent);
		git_commit_free(c);
	}
done:
	git_revwalk_free(walk);
	return when;
}

static void judge(struct emb_policy_result *r, git_repository *repo,
		  git_tree *tree, const struct emb_policy_opts *opts)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	const char *path, *text, *p;
	size_t len;

	if (find_file(&e, &path, tree) < 0)
		return;
	r->path = emb_xstrdup(path);
	r->last_changed = last_changed(repo, path);
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) == 0) {
		text = git_blob_rawcontent(blob);
		len = (size_t)git_blob_rawsize(blob);
		p = memmem(text, len, "Expires:", 8);
		if (p && (size_t)(text + len - p) > 19) {
			emb_date d;
			char day[11];

			memcpy(day, p + 9, 10);
			day[10] = '\0';
			if (emb_date_parse(&d, day) == 0 && d <= opts->today)
				add_problem(r, "expired", EMB_SEV_ERROR,
					    "the policy expired: renew it", 0);
		}
		git_blob_free(blob);
	}
	git_tree_entry_free(e);
}

int emb_policy_check(struct emb_policy_result **out, git_repository *repo,
		     const struct emb_policy_opts *opts)
{
	struct emb_policy_result *r = emb_xcalloc(1, sizeof(*r));
	git_object *obj = NULL;
	git_tree *tree = NULL;

	*out = NULL;
	r->last_changed = EMB_DATE_NONE;
	r->scorecard = 0;
	if (git_revparse_single(&obj, repo, opts->rev ? opts->rev : "HEAD^{tree}") ==
	    0) {
		tree = (git_tree *)obj;
		judge(r, repo, tree, opts);
	}
	if (!r->path && opts->org_default) {
		git_repository *org = NULL;

		if (git_repository_open_ext(&org, opts->org_default, 0, NULL) == 0 &&
		    git_revparse_single(&obj, org, "HEAD^{tree}") == 0) {
			judge(r, org, (git_tree *)obj, opts);
			git_object_free(obj);
		}
		git_repository_free(org);
		if (r->path) {
			r->inherited = true;
			add_problem(r, "inherited", EMB_SEV_WARNING,
				    "no SECURITY.md of its own: the "
				    "organisation default applies",
				    0);
		}
	}
	if (!r->path)
		add_problem(r, "missing", EMB_SEV_ERROR,
			    "no SECURITY.md: add one at the root", 0);
	git_tree_free(tree);
	*out = r;
	return 0;
}

void emb_policy_result_free(struct emb_policy_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nproblems; i++)
		free(r->problems[i].message);
	free(r->problems);
	free(r->path);
	free(r);
}

const char *emb_policy_status(const struct emb_policy_result *r, bool strict)
{
	const char *s = "ok";
	size_t i;

	for (i = 0; i < r->nproblems; i++) {
		if (r->problems[i].severity == EMB_SEV_ERROR ||
		    (strict && r->problems[i].severity == EMB_SEV_WARNING))
			return "error";
		if (r->problems[i].severity == EMB_SEV_WARNING)
			s = "warning";
	}
	return s;
}

json_t *emb_policy_to_json(const struct emb_policy_result *r, bool strict)
{
	static const char *const sev[] = { "info", "warning", "error" };
	json_t *o = json_object(), *probs = json_array();
	char d[16];
	size_t i;

	json_object_set_new(o, "path",
			    r->path ? json_string(r->path) : json_null());
	json_object_set_new(o, "status",
			    json_string(emb_policy_status(r, strict)));
	if (r->last_changed == EMB_DATE_NONE)
		json_object_set_new(o, "last_changed", json_null());
	else {
		emb_date_format(d, sizeof(d), r->last_changed);
		json_object_set_new(o, "last_changed", json_string(d));
	}
	json_object_set_new(o, "scorecard", json_integer(r->scorecard));
	for (i = 0; i < r->nproblems; i++)
		json_array_append_new(
			probs,
			json_pack("{s:s, s:s, s:s, s:o}", "rule",
				  r->problems[i].rule, "severity",
				  sev[r->problems[i].severity], "message",
				  r->problems[i].message, "line",
				  r->problems[i].line ?
					  json_integer((json_int_t)r->problems[i]
							       .line) :
					  json_null()));
	json_object_set_new(o, "problems", probs);
	return o;
}
