/*
 * policy_table.c - every policy rule in one table: its stable id, its
 * severity, what it means in a few words, its SARIF name and how to fix
 * it.  The rules add problems by their enum; the text and SARIF writers
 * and the audit's HTML page read everything else from here.  What is
 * wrong in one repository is the problem's own message.
 */
#include <string.h>

#include "embargo/policy.h"

static const struct emb_policy_rule_info table[EMB_POLICY_RULES] = {
	[EMB_RULE_MISSING] = { "missing", EMB_SEV_ERROR, "No SECURITY.md",
			       "PolicyMissing",
			       "Add a SECURITY.md at the root, in .github/ or "
			       "in docs/ that "
			       "says how to report a vulnerability "
			       "privately." },
	[EMB_RULE_EMPTY] = { "empty", EMB_SEV_ERROR, "SECURITY.md is empty",
			     "PolicyEmpty",
			     "Write the policy: a private contact (security "
			     "e-mail or "
			     "private vulnerability reporting) and what to "
			     "expect." },
	[EMB_RULE_SEVERAL] = { "several", EMB_SEV_WARNING,
			       "More than one SECURITY.md", "PolicySeveral",
			       "Keep one SECURITY.md; delete the copies tools "
			       "ignore." },
	[EMB_RULE_NAME_CASE] = { "name-case", EMB_SEV_INFO,
				 "SECURITY.md named in another case",
				 "PolicyNameCase",
				 "Rename the file to SECURITY.md." },
	[EMB_RULE_INHERITED] = { "inherited", EMB_SEV_WARNING,
				 "SECURITY.md inherited from the organisation "
				 "default",
				 "PolicyInherited",
				 "Fine if the organisation default fits; add "
				 "the repository's "
				 "own file when it needs other contacts or "
				 "versions." },
	[EMB_RULE_NOT_A_FILE] = { "not-a-file", EMB_SEV_ERROR,
				  "SECURITY.md is a symbolic link, submodule "
				  "or folder",
				  "PolicyNotAFile", NULL },
	[EMB_RULE_BINARY] = { "binary", EMB_SEV_ERROR,
			      "SECURITY.md is not UTF-8 text", "PolicyBinary",
			      NULL },
	[EMB_RULE_ENCODING] = { "encoding", EMB_SEV_WARNING,
				"SECURITY.md is not valid UTF-8",
				"PolicyEncoding", NULL },
	[EMB_RULE_TOO_LARGE] = { "too-large", EMB_SEV_WARNING,
				 "SECURITY.md is too large to read",
				 "PolicyTooLarge", NULL },
	[EMB_RULE_NO_CONTACT] = { "no-contact", EMB_SEV_ERROR,
				  "No way to report a vulnerability",
				  "PolicyNoContact",
				  "Add a private channel: a security e-mail "
				  "address or the "
				  "/security/advisories/new link." },
	[EMB_RULE_PLACEHOLDER] = { "placeholder", EMB_SEV_ERROR,
				   "A contact or date is a placeholder",
				   "PolicyPlaceholder",
				   "Replace the placeholder with the real "
				   "contact or date." },
	[EMB_RULE_UNEDITED_TEMPLATE] = { "unedited-template", EMB_SEV_ERROR,
					 "GitHub's template text left in",
					 "PolicyUneditedTemplate",
					 "Replace GitHub's sample text and "
					 "version table with this "
					 "project's." },
	[EMB_RULE_PUBLIC_CHANNEL] = { "public-channel", EMB_SEV_WARNING,
				      "Reports go to public issues",
				      "PolicyPublicChannel",
				      "Offer a private channel: public issues "
				      "disclose the "
				      "vulnerability to everyone." },
	[EMB_RULE_FOREIGN_DOMAIN] = { "foreign-domain", EMB_SEV_WARNING,
				      "A contact or link is not on the "
				      "organisation's domain",
				      "PolicyForeignDomain",
				      "Check that the contact belongs to the "
				      "organisation; copied "
				      "policies keep other companies' "
				      "addresses." },
	[EMB_RULE_DEFUNCT_CHANNEL] = { "defunct-channel", EMB_SEV_WARNING,
				       "A reporting channel that no longer "
				       "exists",
				       "PolicyDefunctChannel",
				       "Replace the channel: it no longer "
				       "takes reports." },
	[EMB_RULE_DEAD_LINK] = { "dead-link", EMB_SEV_WARNING,
				 "A link to a file that does not exist",
				 "PolicyDeadLink",
				 "Fix or remove the link: its target does not "
				 "exist." },
	[EMB_RULE_EXPIRED] = { "expired", EMB_SEV_ERROR,
			       "The policy has expired", "PolicyExpired",
			       "Review the policy and move its Expires: date "
			       "forward (less "
			       "than a year, as RFC 9116 recommends)." },
	[EMB_RULE_EXPIRES_FAR] = { "expires-far", EMB_SEV_WARNING,
				   "The policy expires more than a year ahead",
				   "PolicyExpiresFar",
				   "Set Expires: less than a year ahead." },
	[EMB_RULE_REVIEW_OVERDUE] = { "review-overdue", EMB_SEV_WARNING,
				      "The policy's review date is too old",
				      "PolicyReviewOverdue",
				      "Review the policy and update its Last "
				      "reviewed: date." },
	[EMB_RULE_UNREADABLE_DATE] = { "unreadable-date", EMB_SEV_WARNING,
				       "A date in the policy cannot be read",
				       "PolicyUnreadableDate", NULL },
	[EMB_RULE_OLDER_THAN_RELEASE] = { "older-than-release", EMB_SEV_WARNING,
					  "Releases came after the policy last "
					  "changed",
					  "PolicyOlderThanRelease",
					  "Review the policy: releases came "
					  "after its last change." },
	[EMB_RULE_UNSUPPORTED_LATEST] = { "unsupported-latest", EMB_SEV_WARNING,
					  "The latest release is not a "
					  "supported version",
					  "PolicyUnsupportedLatest",
					  "Add the latest release to the "
					  "supported versions." },
	[EMB_RULE_PHANTOM_VERSION] = { "phantom-version", EMB_SEV_WARNING,
				       "A supported version that was never "
				       "released",
				       "PolicyPhantomVersion",
				       "Remove versions that were never "
				       "released from the supported "
				       "versions." },
	[EMB_RULE_NOTHING_SUPPORTED] = { "nothing-supported", EMB_SEV_WARNING,
					 "No version is marked supported",
					 "PolicyNothingSupported",
					 "Mark the versions that receive "
					 "security fixes as supported." },
	[EMB_RULE_CONTRADICTORY_VERSIONS] = { "contradictory-versions",
					      EMB_SEV_WARNING,
					      "Rows of the versions table "
					      "contradict each other",
					      "PolicyContradictoryVersions",
					      "Make the rows of the versions "
					      "table agree on each version." },
	[EMB_RULE_TEMPLATE_DRIFT] = { "template-drift", EMB_SEV_WARNING,
				      "SECURITY.md differs from the "
				      "organisation template",
				      "PolicyTemplateDrift",
				      "Bring the file back to the "
				      "organisation's template, or change "
				      "the template." },
};

const struct emb_policy_rule_info *emb_policy_rule(enum emb_policy_rule rule)
{
	return (unsigned)rule < EMB_POLICY_RULES ? &table[rule] : NULL;
}

const struct emb_policy_rule_info *emb_policy_rule_find(const char *id)
{
	size_t i;

	for (i = 0; id && i < EMB_POLICY_RULES; i++)
		if (!strcmp(table[i].id, id))
			return &table[i];
	return NULL;
}
