/*
 * scan_int.h - what the scan*.c files share and nobody else sees: the
 * state of one scan, its workers, and the steps each file provides.
 *
 * scan.c        the walk, commit metadata, refs and tags, the workers,
 *               emb_scan_range()
 * scan_tree.c   trees read raw: the cache, the iterator, paths, the
 *               comparison of two trees, the walk over a tree's blobs
 * scan_notes.c  the one reader of notes trees (push.c's notes too)
 * scan_blobs.c  new blobs in batches, the reader thread, added lines,
 *               files over embargo.maxBlobSize
 * scan_fix.c    fix fingerprints: lines and patch-ids in a scan
 */
#ifndef EMBARGO_SCAN_INT_H
#define EMBARGO_SCAN_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "embargo/blobtext.h"
#include "embargo/buf.h"
#include "embargo/finding.h"
#include "embargo/fixprint.h"
#include "embargo/lineset.h"
#include "embargo/map.h"
#include "embargo/match.h"
#include "embargo/oidset.h"
#include "embargo/packorder.h"
#include "embargo/rawobj.h"
#include "embargo/scan.h"

#define NO_NEW ((size_t)-1)
#define STASH 4 /* parent commits kept for the walk */
/*
 * The order of a commit's findings (struct ctx's pos): its metadata from
 * 0, its notes (when read in one pass) from NOTES_POS, 2^24 apart, then
 * its changes from 2^40, 2^40 apart (see change_pos()).
 */
#define NOTES_POS ((uint64_t)1 << 36)
#define MAX_TREE_DEPTH 4096 /* as git's core.maxTreeDepth */

/* The notes with a hit of the notes pass (scan_notes.c). */
struct note_pairs {
	struct note_pair *v;
	size_t n, alloc;
};

/*
 * Commits are parsed from what git stores (rawobj.h): the walk needs only
 * the tree and parent ids, the identities, the committer time and the
 * message, and libgit2's parser allocates every field of every commit.
 * The subject, which libgit2 computes, is asked of it only for a
 * finding.
 */
struct rcommit {
	git_odb_object *obj;
	git_oid oid;
	struct emb_commit_fields f; /* pointing into obj */
};
/* An iterator over a tree read raw (scan_tree.c). */
struct titer {
	const unsigned char *p, *end;
	const git_oid *tree;
};

/* A commit with new blobs in a batch: what its findings need. */
struct bcommit {
	git_oid oid, tree;
	git_oid *parents;
	size_t np;
	uint64_t seq, pos;
};

/* A new blob: one (commit, path) that has it. */
struct brec {
	uint64_t key; /* emb_packorder_key() */
	git_oid oid;
	uint32_t commit; /* in batch.c */
	uint32_t change; /* its number among the commit's changes */
	char *path;
};

struct batch {
	struct bcommit *c;
	size_t nc, calloc;
	struct brec *r;
	size_t nr, ralloc;
	/* sorted: where each distinct blob's records start, then nr */
	size_t *groups;
	size_t ngroups;
	atomic_size_t next; /* the next group a reader claims */
};

struct shared {
	git_repository *repo;
	git_odb *odb;
	const struct emb_matcher *m;
	const struct emb_scan_opts *opts;
	struct emb_map notes; /* commit id -> struct notes_of (a range) */
	git_oid *note_roots;  /* the trees of the notes refs */
	size_t nnote_roots;
	struct note_pairs note_hits; /* the notes pass's */
	struct emb_oidset seen;	     /* the commits of a walk without hides */
	struct emb_packorder *po;
	size_t batch_size;

	/*
	 * The walk fills `filling`, then publishes it as `current`, which
	 * the reader thread and the walk (when it has nothing else to do)
	 * read together; the last of them to leave it frees it.
	 */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *filling, *current;
	uint64_t serial, walker_seen; /* of `current` */
	unsigned helpers;
	struct worker *reader;
	bool parallel, reader_started, closed;
	bool shallow; /* the repository is: asked once, on the calling thread */
	bool partial; /* a partial clone: blobs may be missing on purpose */

	atomic_int stop;
	int error;
	char message[1024];

	struct emb_scan_stats stats;
	struct emb_findings findings;
	const struct emb_fixset *fixes; /* the list's fixes, or NULL */
	struct emb_fixtally *fixtally;	/* when they have lines */
};

/*
 * The old lines of a commit: every line (and binary run) of the files
 * it removed or changed, hashed into a set once, so that checking its
 * hit lines is one pass over the old content however many there are.
 * A worker keeps the sets of the last few commits: the records of one
 * commit come in the order of their blobs, between other commits'.
 */
#define OLD_CACHE 4

struct oldlines {
	git_oid commit;
	uint64_t used; /* 0: empty slot */
	struct emb_lineset set;
};

struct worker {
	struct shared *sh;
	git_repository *repo;
	git_odb *odb; /* the reader's own, or the shared one */
	struct tcache_slot *tcache;
	struct rcommit *stash[STASH];
	size_t stash_next;
	struct emb_match_ctx *mctx;
	struct emb_hits hits, run_hits;
	struct oldlines old[OLD_CACHE];
	uint64_t old_tick;
	struct emb_lineset same; /* the parents' versions of a path */
	struct emb_fixhits fixhits;
	struct emb_findings findings;
	struct emb_scan_stats stats;
	pthread_t thread;
	bool own_repo;
};

struct ctx {
	uint64_t seq;
	uint64_t pos;
	const git_oid *commit;
	const char *subject;
	git_commit *obj; /* for the subject, read when a finding needs it */
	git_repository *repo;
};

struct change {
	char *path;
	git_oid oid;
	git_filemode_t mode;
	size_t new_from; /* offset where the path becomes new; NO_NEW */
};

struct removed {
	git_oid oid;
	bool tree;
};

struct diff {
	struct change *c;
	size_t n, alloc;
	struct removed *r;
	size_t nr, ralloc;
	uint64_t pathset; /* emb_fix_pathset_add() of every changed path */
	size_t npaths;
};

/*
 * The order of a commit's findings: metadata (from `pos`), then each
 * change in tree order, its path before its lines.
 */
static inline uint64_t change_pos(uint64_t pos, size_t change, bool lines)
{
	return pos + ((uint64_t)(change + 1) << 40) +
	       (lines ? (uint64_t)1 << 39 : 0);
}

/* scan.c */
void scan_fail_locked(struct shared *sh, int error);
void scan_fail(struct shared *sh, int error);
void scan_note(struct shared *sh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct emb_finding *scan_add_finding(struct worker *w, struct ctx *cx,
				     enum emb_kind kind,
				     const struct emb_hit *hit,
				     const char *text, size_t len,
				     const char *ref, const char *path,
				     bool with_line);
int scan_match_failed(int error, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int scan_text(struct worker *w, struct ctx *cx, enum emb_kind kind,
	      const char *text, size_t len, const char *ref, bool with_line);
int scan_odb_read(git_odb_object **out, struct worker *w, const git_oid *id);
int scan_odb_read_size(size_t *size, struct worker *w, const git_oid *id);
void scan_rcommit_free(struct rcommit *c);
int scan_read_commit(struct rcommit **out, struct worker *w,
		     const git_oid *id);
int scan_parent_trees(struct worker *w, const git_oid *commit,
		      const git_oid *parent_ids, size_t np, git_oid *out);
bool scan_past_deadline(struct shared *sh);
int scan_timeout(void);
int scan_worker_init(struct worker *w, struct shared *sh, bool own_repo);

/* scan_tree.c */
int scan_tree_error(const char *what, const git_oid *id);
int scan_tree_read(git_odb_object **out, struct worker *w, const git_oid *id);
void scan_tcache_free(struct worker *w);
void scan_titer_init(struct titer *it, git_odb_object *obj,
		     const git_oid *id);
int scan_titer_next(struct titer *it, struct emb_tree_entry *e);
int scan_tree_bypath(struct worker *w, const git_oid *root, const char *path,
		     git_oid *oid, unsigned *mode);
int scan_tree_blobs(struct worker *w, const git_oid *tree_id,
		    int (*fn)(struct worker *w,
			      const struct emb_tree_entry *e, void *payload),
		    void *payload);
int scan_diff_trees(struct worker *w, const git_oid *old_id,
		    const git_oid *new_id, struct emb_buf *path,
		    size_t new_from, struct diff *d, int depth);
void scan_diff_release(struct diff *d);

/* scan_notes.c */
int scan_notes_roots(struct shared *sh);
int scan_load_notes(struct worker *w);
int scan_notes(struct worker *w, struct ctx *cx, const git_oid *commit);
int scan_notes_pass(struct worker *w);
void *scan_notes_main(void *arg);
int scan_report_note_hits(struct worker *w);
void scan_free_notes(struct emb_map *map);

/* scan_blobs.c */
struct batch *scan_batch_new(void);
void scan_batch_free(struct batch *b);
void scan_batch_add(struct batch *b, const struct ctx *cx,
		    const git_oid *tree, const git_oid *parents, size_t np,
		    uint64_t pos, size_t change, struct change *c);
int scan_ship(struct shared *sh, struct worker *self, struct worker *reader,
	      bool last);

/* scan_fix.c */
void scan_fix_blob(struct worker *w, const struct batch *b,
		   const struct brec *r, size_t n,
		   const struct emb_blobtext *bt);
bool scan_fix_wanted(const struct emb_fixset *fs, const struct brec *r,
		     size_t n);
int scan_fix_lines(struct worker *w);
int scan_fix_paths(struct worker *w, struct ctx *cx, const struct diff *d,
		   const git_oid *parent_tree, const git_oid *tree);
int scan_fix_patches(struct worker *w);

#endif
