/*
 * policy_require.h - embargo.requirePolicy: a push may not leave the
 * default branch with a SECURITY.md that has errors.
 */
#ifndef EMBARGO_POLICY_REQUIRE_H
#define EMBARGO_POLICY_REQUIRE_H

#include <git2.h>

#include "embargo/config.h"
#include "embargo/policy.h"
#include "embargo/refupdate.h"

/**
 * Judge the push `updates` under embargo.requirePolicy (read from
 * `cfg`, which may be NULL): when it
 * is set and an update moves the default branch (the branch HEAD
 * names), the SECURITY.md of its new tip is checked, read from the
 * objects (in a hook, the quarantine) like the scan.  Errors reject the
 * push; warnings do not, and other branches are not judged.
 * @param[out] out the failing result, the caller's to free with
 * emb_policy_result_free(); NULL when the push may go on
 * @param[out] ref the default branch the result is about (borrowed from
 * `updates`), or NULL
 * @return 0, EMB_ECONFIG for a bad value or when the setting is on but
 * HEAD names no branch, or what emb_policy_check() returns
 */
int emb_policy_require(struct emb_policy_result **out, const char **ref,
		       git_repository *repo, git_config *cfg,
		       const struct emb_refupdates *updates);

#endif
