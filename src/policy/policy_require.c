/*
 * policy_require.c - embargo.requirePolicy, decided for a push: which
 * update moves the default branch, and whether its new SECURITY.md has
 * errors.  The hook command prints the result; nothing here prints.
 */
#include <string.h>

#include "embargo/error.h"
#include "embargo/policy_require.h"

int emb_policy_require(struct emb_policy_result **out, const char **ref,
		       git_repository *repo, git_config *cfg,
		       const struct emb_refupdates *updates)
{
	git_reference *head = NULL;
	const char *def;
	size_t i;
	bool on;
	int error;

	*out = NULL;
	*ref = NULL;
	if ((error = emb_config_require_policy(&on, cfg)) < 0 || !on)
		return error;
	if (git_reference_lookup(&head, repo, "HEAD") < 0 ||
	    git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		git_reference_free(head);
		git_error_clear();
		emb_error_set("embargo.requirePolicy is set, but HEAD names "
			      "no default branch");
		return EMB_ECONFIG;
	}
	def = git_reference_symbolic_target(head);
	for (i = 0; i < updates->n; i++) {
		const struct emb_refupdate *u = &updates->v[i];
		struct emb_policy_opts po = EMB_POLICY_OPTS_INIT;
		struct emb_policy_result *r = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		if (!u->has_new || strcmp(u->ref, def) != 0)
			continue;
		po.rev = git_oid_tostr(hex, sizeof(hex), &u->new_id);
		if ((error = emb_policy_check(&r, repo, &po)) < 0)
			break;
		if (!strcmp(emb_policy_status(r, false), "error")) {
			*out = r;
			*ref = u->ref;
			break;
		}
		emb_policy_result_free(r);
	}
	git_reference_free(head);
	return error;
}
