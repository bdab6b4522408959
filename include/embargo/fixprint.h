/*
 * fixprint.h - fix fingerprints: finding an embargoed fix by what it is.
 *
 * A list entry can describe its fix (list.h): the fix commits, their
 * stable patch-ids (as `git patch-id --stable` computes them), a hash of
 * each fix commit's set of changed paths, and 64-bit hashes of the
 * fix's distinctive added lines.  A line is hashed with its white space
 * removed, so a re-indented or re-typed copy hashes the same.  A
 * distinctive line is one the fix adds that has at least
 * EMB_FIX_MIN_LINE bytes that are not white space and that is nowhere
 * in the tree the fix applies to (so not moved, not re-indented, and
 * not a `}` or `return 0;` that is everywhere).
 *
 * The scanner asks three questions here (scan.c): is this commit a fix
 * commit; does this commit, whose changed paths hash like a fix's, have
 * the same patch-id; and which fingerprint lines does this new blob
 * hold.  Lines a commit adds are tallied per commit (and, for a push,
 * over all pushed commits) and become findings of kind EMB_KIND_FIX
 * when they reach the threshold.
 */
#ifndef EMBARGO_FIXPRINT_H
#define EMBARGO_FIXPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "embargo/buf.h"
#include "embargo/finding.h"
#include "embargo/list.h"
#include "embargo/walk.h"

#define EMB_FIX_MIN_LINE 10 /* bytes, white space not counted */
/* percent of a fix's lines a commit must add (embargo.fixThreshold) */
#define EMB_FIX_DEFAULT_THRESHOLD 50

/**
 * The hash of one line, white space (space, tab, CR, VT, FF) removed.
 * @param[out] folded the number of bytes hashed
 */
uint64_t emb_fix_line_hash(const char *line, size_t len, size_t *folded);

/**
 * Add one path to a path-set hash (start from 0).  The set's hash does
 * not depend on the order paths are added in.  The path is `dir`
 * (may be empty) joined to `name` with a '/'.
 */
uint64_t emb_fix_pathset_add(uint64_t acc, const char *dir, size_t dlen,
			     const char *name, size_t nlen);

/** The hash of a file's name (the last part of its path). */
uint64_t emb_fix_file_hash(const char *path);

/** The final hash of a set of `n` paths summed in `acc`. */
uint64_t emb_fix_pathset_final(uint64_t acc, size_t n);

/**
 * The stable patch-id of a commit's change (its tree against its only
 * parent's tree, or against nothing for a root commit), computed as
 * `git diff-tree -p --no-renames <commit> | git patch-id --stable`
 * does: white space removed, hunk headers and index lines ignored, and
 * the SHA-1 of each file's part summed.
 * @param parent_tree NULL for a root commit
 * @param[out] pathset the path-set hash of the change, when not NULL
 * @return 0, 1 when there is no change (no patch-id), EMB_EREPO
 */
int emb_fix_patch_id(git_oid *out, uint64_t *pathset, git_repository *repo,
		     const git_oid *parent_tree, const git_oid *tree);

/* --- the fingerprints of a list, for the scanner --- */

struct emb_fixset;

struct emb_fixhit {
	uint64_t hash;
	size_t line; /* 1-based, in the blob */
};

struct emb_fixhits {
	struct emb_fixhit *v;
	size_t n, alloc;
};

#define EMB_FIXHITS_INIT                                                       \
	{                                                                      \
		.v = NULL, .n = 0, .alloc = 0                                  \
	}

/**
 * Index the fix data of the entries of `list` that are not expired.
 * @param[out] out NULL when no entry in force describes a fix
 */
void emb_fixset_new(struct emb_fixset **out, const struct emb_list *list);
void emb_fixset_free(struct emb_fixset *fs);

/** Percent of a fix's lines that make a finding (1-100). */
void emb_fixset_set_threshold(struct emb_fixset *fs, unsigned percent);

/** @return the entry whose fix commit `oid` is, or NULL. */
const struct emb_entry *emb_fixset_commit(const struct emb_fixset *fs,
					  const git_oid *oid);

/**
 * Does a commit that changed exactly this set of paths need its
 * patch-id?  0: no fix changed these paths; 1: only if it adds some of
 * a fix's lines (a copy of a one-commit fix that has lines does); 2:
 * always (a fix without lines, or of several commits).
 */
int emb_fixset_pathset(const struct emb_fixset *fs, uint64_t pathset);

/** @return true when some fix has a patch-id (path sets are wanted). */
bool emb_fixset_wants_patch_ids(const struct emb_fixset *fs);

/**
 * The entry with this patch-id, or NULL; *commit gets the fix commit
 * it was computed from (NULL when the list does not say).
 */
const struct emb_entry *emb_fixset_patch_id(const struct emb_fixset *fs,
					    const git_oid *patch_id,
					    const git_oid **commit);

/**
 * Are the lines of a blob at `path` worth hashing: is its file name
 * one a fix added lines to (or does some fix not say)?  Hashing every
 * line of every blob would slow a full-history scan by half.
 */
bool emb_fixset_wants_file(const struct emb_fixset *fs, const char *path);

/**
 * The fingerprint lines `text` holds (each hash once, its first line).
 * @return true when there is at least one
 */
bool emb_fixset_blob(const struct emb_fixset *fs, const char *text, size_t len,
		     struct emb_fixhits *out);

void emb_fixhits_release(struct emb_fixhits *h);

/* --- the tally of the lines commits add --- */

struct emb_fixtally;

struct emb_fixtally *emb_fixtally_new(const struct emb_fixset *fs);
void emb_fixtally_free(struct emb_fixtally *t);

/**
 * Record that `commit` adds the lines of `h` to `path` (thread-safe).
 * @param seq the sort key of the commit's findings (finding.h)
 */
void emb_fixtally_add(struct emb_fixtally *t, const git_oid *commit,
		      uint64_t seq, const char *path,
		      const struct emb_fixhits *h);

/*
 * The blob pass runs on two threads, in pack order, so a blob's older
 * version may be read after it.  So each blob of a fix's files that is
 * hashed leaves its fingerprint lines here, and each (commit, path) of
 * a blob with some is deferred; after the pass, the scanner decides
 * which lines each commit adds, taking an older version's lines from
 * here when the pass read it (most often) and reading it otherwise.
 */
struct emb_fixdeferred {
	git_oid commit, tree, blob;
	git_oid *parents;
	size_t np;
	uint64_t seq;
	char *path;
};

/** Keep the fingerprint lines of a blob (thread-safe). */
void emb_fixtally_blob(struct emb_fixtally *t, const git_oid *blob,
		       const struct emb_fixhits *h);

/**
 * The fingerprint lines of a blob the pass hashed.
 * @return false when it did not (read it)
 */
bool emb_fixtally_blob_hits(struct emb_fixtally *t, const git_oid *blob,
			    struct emb_fixhits *out);

/** Defer the decision for one (commit, path) of a blob (thread-safe). */
void emb_fixtally_defer(struct emb_fixtally *t, const git_oid *commit,
			uint64_t seq, const git_oid *tree,
			const git_oid *parents, size_t np, const char *path,
			const git_oid *blob);

/* A commit whose patch-id is computed after the lines are tallied, if it
 * adds some. */
struct emb_fixpatch {
	git_oid commit, parent_tree, tree;
	bool root;
	uint64_t seq;
};

void emb_fixtally_defer_patch(struct emb_fixtally *t, const git_oid *commit,
			      uint64_t seq, const git_oid *parent_tree,
			      const git_oid *tree);
size_t emb_fixtally_npatches(const struct emb_fixtally *t);
const struct emb_fixpatch *emb_fixtally_patch(const struct emb_fixtally *t,
					      size_t i);

/** @return true when `commit` adds fingerprint lines (once they are
 * tallied): a copy of a fix's patch adds the fix's lines */
bool emb_fixtally_commit_adds(const struct emb_fixtally *t,
			      const git_oid *commit);

size_t emb_fixtally_ndeferred(const struct emb_fixtally *t);
const struct emb_fixdeferred *emb_fixtally_deferred(
	const struct emb_fixtally *t, size_t i);

/** Drop from `h` the lines of `older`. */
void emb_fixhits_drop(struct emb_fixhits *h, const struct emb_fixhits *older);

/**
 * Turn the tally into findings: a commit that adds at least the
 * threshold of a fix's lines; with `together` (a push), also the
 * commits together when none does alone (reported on the newest).
 */
void emb_fixtally_findings(struct emb_fixtally *t, git_repository *repo,
			   bool together, struct emb_findings *out);

/**
 * A finding of kind EMB_KIND_FIX on `commit`, with `evidence` as its
 * match (e.g. "fix commit").  The commit's subject is looked up.
 */
void emb_fix_finding(struct emb_findings *out, git_repository *repo,
		     const struct emb_entry *e, const git_oid *commit,
		     uint64_t seq, uint64_t pos, const char *evidence,
		     const char *path, size_t line, const char *excerpt);

/**
 * Keep one fix finding per commit and entry, the strongest: a fix
 * commit, else the same patch, else the lines.  `list` is sorted.
 */
void emb_fix_findings_dedupe(struct emb_findings *list);

/* --- making fingerprints --- */

struct emb_fingerprint {
	git_oid *commits;
	size_t ncommits;
	struct emb_patchid *patchids;
	size_t npatchid;
	uint64_t *paths;
	size_t npaths;
	uint64_t *lines;
	size_t nlines;
	uint64_t *files; /* emb_fix_file_hash of the files of the lines */
	size_t nfiles;
	size_t candidates; /* added lines considered */
};

#define EMB_FINGERPRINT_INIT                                                   \
	{                                                                      \
		.commits = NULL, .ncommits = 0, .patchids = NULL,              \
		.npatchid = 0, .paths = NULL, .npaths = 0, .lines = NULL,      \
		.nlines = 0, .files = NULL, .nfiles = 0, .candidates = 0       \
	}

/**
 * Fingerprint the commits of `range` that are not merges.  A line
 * already in the parent's tree is not distinctive; parent files larger
 * than `max_blob` (embargo.maxBlobSize) are not read for that.
 * @return 0, EMB_EREPO, or EMB_EUSAGE when the range has no commit
 */
int emb_fingerprint_range(struct emb_fingerprint *out, git_repository *repo,
			  const struct emb_range *range, size_t max_blob);

/**
 * Write the list section of a fingerprint: [embargo "<id>"] with until
 * (when not NULL), fix, patchId, fixPaths and fixLines.
 */
void emb_fingerprint_write(struct emb_buf *out,
			   const struct emb_fingerprint *fp, const char *id,
			   const char *until);

void emb_fingerprint_release(struct emb_fingerprint *fp);

#endif
