/*
 * policy_int.h - what the policy*.c files share and nobody else sees:
 * the state of one check, the parsed document, and the rule helpers.
 */
#ifndef EMBARGO_POLICY_INT_H
#define EMBARGO_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "embargo/buf.h"
#include "embargo/date.h"
#include "embargo/policy.h"

/** Append a problem to the result (message printf-style). */
void emb_policy_add(struct emb_policy_result *r, const char *rule,
		    enum emb_severity sev, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
