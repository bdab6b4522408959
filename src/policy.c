/*
 * policy.c - finding the SECURITY.md of a revision and judging it.
 *
 * This file looks the file up in the tree of the revision (root, then
 * .github/, then docs/, the places GitHub and Scorecard recognise),
 * reads the blob, and assembles the result; it does not parse the
 * file's contents (policy_md.c) nor decide what its contents mean
 * (the rules in policy_rules.c and friends).  Nothing here reads the
 * work tree or follows a symbolic link.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/policy.h"
#include "policy_int.h"

void emb_policy_add(struct emb_policy_result *r, const char *rule,
		    enum emb_severity sev, size_t line, const char *fmt, ...)
{
	struct emb_policy_problem *p;
	struct emb_buf msg = EMB_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	emb_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	r->problems = emb_xrealloc(r->problems, (r->nproblems + 1) *
							sizeof(*r->problems));
	p = &r->problems[r->nproblems++];
	p->rule = rule;
	p->severity = sev;
	p->line = line;
	p->message = emb_buf_detach(&msg);
}

static const char *const policy_dirs[] = { "", ".github", "docs" };
static const char *const policy_exts[] = { ".md", ".markdown", ".rst",
					   ".adoc" };

/* @return the rank of the extension (lower is preferred), -1 if none */
static int policy_name_rank(const char *name)
{
	size_t i;

	if (strncasecmp(name, "security", 8))
		return -1;
	for (i = 0; i < sizeof(policy_exts) / sizeof(policy_exts[0]); i++)
		if (!strcasecmp(name + 8, policy_exts[i]))
			return (int)i;
	return -1;
}

static int find_candidates(struct emb_policy_result *r, git_tree *root,
			   git_repository *repo, char **out_path,
			   git_oid *out_blob)
{
	size_t d;

	*out_path = NULL;
	for (d = 0; d < sizeof(policy_dirs) / sizeof(policy_dirs[0]); d++) {
		git_tree *tree = NULL;
		size_t i, n;

		if (!*policy_dirs[d]) {
			tree = root;
		} else {
			const git_tree_entry *e =
				git_tree_entry_byname(root, policy_dirs[d]);

			if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE)
				continue;
			if (git_tree_lookup(&tree, repo,
					    git_tree_entry_id(e)) < 0) {
				emb_error_set_git("cannot read '%s/'",
						  policy_dirs[d]);
				return EMB_EREPO;
			}
		}
		n = git_tree_entrycount(tree);
		for (i = 0; i < n && !*out_path; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(tree, i);
			const char *name = git_tree_entry_name(e);

			if (policy_name_rank(name) < 0)
				continue;
			if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
				continue;
			*out_path = *policy_dirs[d] ?
				emb_xstrdup(name) : emb_xstrdup(name);
			if (*policy_dirs[d]) {
				struct emb_buf p = EMB_BUF_INIT;

				free(*out_path);
				emb_buf_printf(&p, "%s/%s", policy_dirs[d],
					       name);
				*out_path = emb_buf_detach(&p);
			}
			git_oid_cpy(out_blob, git_tree_entry_id(e));
		}
		if (tree != root)
			git_tree_free(tree);
		if (*out_path)
			break;
	}
	(void)r;
	return 0;
}

static bool only_headings(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && s[j] != '\n')
			j++;
		while (i < j && isspace((unsigned char)s[i]))
			i++;
		if (i < j && s[i] != '#')
			return false;
		i = j + 1;
	}
	return true;
}

int emb_policy_check(struct emb_policy_result **out, git_repository *repo,
		     const struct emb_policy_opts *opts)
{
	struct emb_policy_result *r = emb_xcalloc(1, sizeof(*r));
	git_object *obj = NULL;
	git_tree *tree = NULL;
	git_blob *blob = NULL;
	const char *rev = opts && opts->rev ? opts->rev : "HEAD";
	char *path = NULL;
	git_oid blob_id;
	int error = 0;

	*out = NULL;
	r->last_changed = EMB_DATE_NONE;
	if (git_revparse_single(&obj, repo, rev) < 0 ||
	    git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		emb_error_set_git("cannot resolve revision '%s'", rev);
		error = EMB_EREPO;
		goto done;
	}
	if ((error = find_candidates(r, tree, repo, &path, &blob_id)) < 0)
		goto done;
	if (!path) {
		emb_policy_add(r, "missing", EMB_SEV_ERROR, 0,
			       "no security policy: add a SECURITY.md at the "
			       "root, in .github/ or in docs/ saying how to "
			       "report a vulnerability privately");
		goto done;
	}
	r->path = path;
	path = NULL;
	if (git_blob_lookup(&blob, repo, &blob_id) < 0) {
		emb_error_set_git("cannot read '%s'", r->path);
		error = EMB_EREPO;
		goto done;
	}
	if (only_headings(git_blob_rawcontent(blob),
			  (size_t)git_blob_rawsize(blob)))
		emb_policy_add(r, "empty", EMB_SEV_ERROR, 0,
			       "'%s' is empty: say how to report a "
			       "vulnerability privately (an e-mail address "
			       "or a private reporting link)", r->path);

done:
	git_blob_free(blob);
	git_tree_free(tree);
	git_object_free(obj);
	free(path);
	if (error < 0)
		emb_policy_result_free(r);
	else
		*out = r;
	return error;
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
	const char *status = "ok";
	size_t i;

	for (i = 0; i < r->nproblems; i++) {
		if (r->problems[i].severity == EMB_SEV_ERROR)
			return "error";
		if (r->problems[i].severity == EMB_SEV_WARNING)
			status = strict ? "error" : "warning";
	}
	return status;
}

static const char *severity_name(enum emb_severity sev)
{
	switch (sev) {
	case EMB_SEV_ERROR:
		return "error";
	case EMB_SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}

json_t *emb_policy_to_json(const struct emb_policy_result *r, bool strict)
{
	json_t *o = json_object(), *arr = json_array();
	char d[16];
	size_t i;

	json_object_set_new(o, "path",
			    r->path ? json_string(r->path) : json_null());
	json_object_set_new(o, "status",
			    json_string(emb_policy_status(r, strict)));
	if (r->last_changed == EMB_DATE_NONE) {
		json_object_set_new(o, "last_changed", json_null());
	} else {
		emb_date_format(d, sizeof(d), r->last_changed);
		json_object_set_new(o, "last_changed", json_string(d));
	}
	json_object_set_new(o, "scorecard", json_integer(r->scorecard));
	for (i = 0; i < r->nproblems; i++) {
		const struct emb_policy_problem *p = &r->problems[i];

		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s, s:o}", "rule", p->rule,
				       "severity", severity_name(p->severity),
				       "message", p->message, "line",
				       p->line ? json_integer((json_int_t)p->line) :
						 json_null()));
	}
	json_object_set_new(o, "problems", arr);
	return o;
}
