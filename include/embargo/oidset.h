/*
 * oidset.h - a set of object ids, stored inline (no allocation per id):
 * the commits a walk has seen, the boundary of a shallow repository.
 */
#ifndef EMBARGO_OIDSET_H
#define EMBARGO_OIDSET_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

struct emb_oidset {
	git_oid *slots; /* the zero id marks an empty slot */
	size_t n, cap;
	bool has_zero;
};

#define EMB_OIDSET_INIT                                                        \
	{                                                                      \
		.slots = NULL, .n = 0, .cap = 0, .has_zero = false             \
	}

/** @return true when oid was not in the set (and is now). */
bool emb_oidset_add(struct emb_oidset *set, const git_oid *oid);
bool emb_oidset_has(const struct emb_oidset *set, const git_oid *oid);
void emb_oidset_release(struct emb_oidset *set);

#endif
