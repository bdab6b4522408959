/*
 * walk.h - what to scan: commits to walk, commits to hide, and the refs
 * whose names (and annotated tags) are scanned.
 */
#ifndef EMBARGO_WALK_H
#define EMBARGO_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

struct emb_range_ref {
	char *name;	/* full ref name, e.g. refs/tags/v1.2 */
	git_oid target; /* what it points to (tag object or commit) */
};

struct emb_range {
	git_oid *push;
	size_t npush, apush;
	git_oid *hide;
	size_t nhide, ahide;
	struct emb_range_ref *refs;
	size_t nrefs, arefs;
};

#define EMB_RANGE_INIT                                                         \
	{                                                                      \
		.push = NULL, .npush = 0, .apush = 0, .hide = NULL,            \
		.nhide = 0, .ahide = 0, .refs = NULL, .nrefs = 0, .arefs = 0   \
	}

void emb_range_push(struct emb_range *r, const git_oid *oid);
void emb_range_hide(struct emb_range *r, const git_oid *oid);
void emb_range_add_ref(struct emb_range *r, const char *name,
		       const git_oid *target);

/**
 * Add every ref whose name matches the glob (NULL: all refs, as --all),
 * as a tip to walk and a name to scan.  Symbolic refs are resolved.
 * @param hide hide the refs' commits instead (their names are not scanned)
 */
int emb_range_add_refs(struct emb_range *r, git_repository *repo,
		       const char *glob, bool hide);

/**
 * Hide the commits of every ref for which `keep` returns true.
 * Symbolic refs are resolved.
 */
int emb_range_hide_refs_if(struct emb_range *r, git_repository *repo,
			   bool (*keep)(const char *ref, void *payload),
			   void *payload);

/**
 * Parse git rev-list style arguments: REV, ^REV, A..B, A...B, --all,
 * --branches, --tags, --remotes, --not.  No argument means --all.
 * @return 0, EMB_EUSAGE for an unknown option, EMB_EREPO for a revision
 * that does not resolve (message names it)
 */
int emb_range_from_args(struct emb_range *r, git_repository *repo, int argc,
			char **argv);

/**
 * A revwalk over r: every pushed commit, minus what hidden ones reach.
 * Pushed or hidden objects that are not commits (a tag of a tree) are
 * skipped.
 */
int emb_walk_new(git_revwalk **out, git_repository *repo,
		 const struct emb_range *r);

void emb_range_release(struct emb_range *r);

#endif
