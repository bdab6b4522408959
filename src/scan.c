/*
 * scan.c - the scanner: refs, commits, notes, paths and added lines.
 *
 * The calling thread walks the range, scans each commit's metadata and
 * compares its tree with its parents' (identical subtrees are never
 * opened).  Commits and trees are parsed here from the raw objects, and
 * the trees of the last commits are kept, since the next commit the walk
 * reads is most often the parent it has just compared with.
 *
 * The new blobs the comparison finds are collected in batches of a
 * bounded size, so memory does not grow with the length of history.
 * Each batch is sorted by pack offset and read by a second thread, with
 * its own object database, each distinct blob once: reading in pack
 * order is several times faster than in history order (delta bases come
 * before their deltas and stay in the delta-base cache).  When the walk
 * has filled the next batch before the reader is done, it reads blobs
 * of the current one too.  Each blob is matched whole, and only a blob
 * that has a hit is compared, line by line, with its previous versions.
 * No patch is generated (libgit2's patch generation is 2.5-3.3x slower
 * than `git log -p`).
 *
 * Notes of a whole history are read in one pass, in pack order, on a
 * thread of their own.  Each thread has its own match context and list
 * of findings; the lists are merged and sorted at the end.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embargo/blobstream.h"
#include "embargo/blobtext.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/fixprint.h"
#include "embargo/lineset.h"
#include "embargo/map.h"
#include "embargo/oidset.h"
#include "embargo/packorder.h"
#include "embargo/rawobj.h"
#include "embargo/scan.h"
#include "embargo/utf8.h"

#define BATCH_BLOBS 32768 /* new blobs per batch: about 3 MB */
#define NO_NEW ((size_t)-1)
#define STASH 4 /* parent commits kept for the walk */
/*
 * The order of a commit's findings (struct ctx's pos): its metadata from
 * 0, its notes (when read in one pass) from NOTES_POS, 2^24 apart, then
 * its changes from 2^40, 2^40 apart (see change_pos()).
 */
#define NOTES_POS ((uint64_t)1 << 36)
#define MAX_TREE_DEPTH 4096 /* as git's core.maxTreeDepth */

struct notes_of {
	git_oid *blobs;
	size_t n;
};

struct note_pair {
	uint64_t key; /* of the blob, emb_packorder_key() */
	git_oid commit, blob;
};

struct note_pairs {
	struct note_pair *v;
	size_t n, alloc;
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

static void fail_locked(struct shared *sh, int error)
{
	if (!sh->error) {
		sh->error = error;
		snprintf(sh->message, sizeof(sh->message), "%s",
			 emb_error_last());
	}
	atomic_store(&sh->stop, 1);
	pthread_cond_broadcast(&sh->cv);
}

static void fail(struct shared *sh, int error)
{
	pthread_mutex_lock(&sh->mu);
	fail_locked(sh, error);
	pthread_mutex_unlock(&sh->mu);
}

static void note(struct shared *sh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct shared *sh, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!sh->opts->note)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&sh->mu);
	sh->opts->note(sh->opts->note_payload, msg);
	pthread_mutex_unlock(&sh->mu);
}

/* @return the finding added, to complete (borrowed from the list) */
static struct emb_finding *add_finding(struct worker *w, struct ctx *cx,
				       enum emb_kind kind,
				       const struct emb_hit *hit,
				       const char *text, size_t len,
				       const char *ref, const char *path,
				       bool with_line)
{
	struct emb_finding f = { 0 };
	char *excerpt;
	size_t line = 0;

	f.entry = hit->entry;
	f.kind = kind;
	f.how = hit->how;
	f.match = emb_utf8_clean(text + hit->start, hit->end - hit->start);
	if (cx->commit) {
		f.has_commit = true;
		git_oid_cpy(&f.commit, cx->commit);
	}
	if (!cx->subject && !cx->obj && cx->repo && cx->commit &&
	    git_commit_lookup(&cx->obj, cx->repo, cx->commit) < 0)
		git_error_clear();
	if (!cx->subject && cx->obj)
		cx->subject = git_commit_summary(cx->obj);
	f.subject = cx->subject ?
			    emb_utf8_clean(cx->subject, strlen(cx->subject)) :
			    NULL;
	f.ref = ref ? emb_xstrdup(ref) : NULL;
	f.path = path ? emb_utf8_clean(path, strlen(path)) : NULL;
	excerpt = emb_excerpt(text, len, hit->start, hit->end, &line);
	f.excerpt = emb_utf8_clean(excerpt, strlen(excerpt));
	free(excerpt);
	f.line = with_line ? line : 0;
	f.seq = cx->seq;
	f.pos = cx->pos++;
	emb_findings_add(&w->findings, &f);
	return &w->findings.v[w->findings.n - 1];
}

/*
 * A match that failed (a pattern ran out of its limits): the matcher's
 * message, and where.  Formatted only then: scans match millions of
 * texts.
 */
static int match_failed(int error, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int match_failed(int error, const char *fmt, ...)
{
	char what[512], msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s, in %s", emb_error_last(), what);
	emb_error_set("%s", msg);
	return error;
}

static int scan_text(struct worker *w, struct ctx *cx, enum emb_kind kind,
		     const char *text, size_t len, const char *ref,
		     bool with_line)
{
	size_t i;
	int error;

	if ((error = emb_match(w->mctx, text, len, &w->hits)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		if (cx->commit)
			return match_failed(
				error, "%s of %s", emb_kind_name(kind),
				git_oid_tostr(hex, sizeof(hex), cx->commit));
		return match_failed(error, "%s", ref ? ref : "text");
	}
	for (i = 0; i < w->hits.n; i++)
		add_finding(w, cx, kind, &w->hits.v[i], text, len, ref, NULL,
			    with_line);
	return 0;
}

/*
 * A field the header of a commit or tag holds that is reported as its
 * own kind (an identity, a tag's name), with its own text; `skip`: one
 * reported already.
 */
struct field {
	const char *p;
	size_t len;
	enum emb_kind kind;
	bool skip;
};

/*
 * The header of a commit or tag (from its first identity or its name to
 * the blank line), matched whole: a hit inside one of `fields` is
 * reported as that field, any other one as a header of the raw object
 * `obj`, with its line there (mergetag, gpgsig, encoding, a second
 * committer: everything `git cat-file -p` shows).
 */
static int scan_header(struct worker *w, struct ctx *cx, const char *obj,
		       const char *head, size_t head_len,
		       const struct field *fields, size_t nfields,
		       const char *ref)
{
	size_t i, k;
	int error;

	if ((error = emb_match(w->mctx, head, head_len, &w->hits)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		return match_failed(
			error, "header of %s",
			git_oid_tostr(hex, sizeof(hex), cx->commit));
	}
	for (i = 0; i < w->hits.n; i++) {
		struct emb_hit h = w->hits.v[i];
		const char *s = head + h.start, *e = head + h.end;

		for (k = 0; k < nfields; k++)
			if (fields[k].p && s >= fields[k].p &&
			    e <= fields[k].p + fields[k].len)
				break;
		if (k < nfields) {
			if (fields[k].skip)
				continue;
			h.start = (size_t)(s - fields[k].p);
			h.end = (size_t)(e - fields[k].p);
			add_finding(w, cx, fields[k].kind, &h, fields[k].p,
				    fields[k].len, ref, NULL, false);
			continue;
		}
		h.start = (size_t)(s - obj);
		h.end = (size_t)(e - obj);
		add_finding(w, cx, EMB_KIND_HEADER, &h, obj,
			    (size_t)(head + head_len - obj), ref, NULL, true);
	}
	return 0;
}

/*
 * Objects come from the worker's database: the reader's own, which
 * opens the same folders as the repository's; should it lack one, the
 * shared database is asked.
 */
static int odb_read(git_odb_object **out, struct worker *w, const git_oid *id)
{
	if (git_odb_read(out, w->odb, id) == 0)
		return 0;
	if (w->odb == w->sh->odb)
		return -1;
	return git_odb_read(out, w->sh->odb, id);
}

/* The size of an object, asked the same way as odb_read(). */
static int odb_read_size(size_t *size, struct worker *w, const git_oid *id)
{
	git_object_t type;

	if (git_odb_read_header(size, &type, w->odb, id) == 0)
		return 0;
	if (w->odb == w->sh->odb)
		return -1;
	return git_odb_read_header(size, &type, w->sh->odb, id);
}

/* --- commits, read raw --- */

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

static void rcommit_free(struct rcommit *c)
{
	if (!c)
		return;
	emb_commit_fields_release(&c->f);
	git_odb_object_free(c->obj);
	free(c);
}

static int read_commit(struct rcommit **out, struct worker *w,
		       const git_oid *id)
{
	struct rcommit *c = emb_xcalloc(1, sizeof(*c));
	char hex[GIT_OID_HEXSZ + 1];

	*out = NULL;
	git_oid_cpy(&c->oid, id);
	if (odb_read(&c->obj, w, id) < 0) {
		free(c);
		emb_error_set_git("cannot read commit %s%s",
				  git_oid_tostr(hex, sizeof(hex), id),
				  w->sh->shallow ?
					  " (the repository is shallow: "
					  "'git fetch --unshallow' first)" :
					  "");
		return EMB_EREPO;
	}
	if (git_odb_object_type(c->obj) != GIT_OBJECT_COMMIT ||
	    emb_commit_parse(&c->f, git_odb_object_data(c->obj),
			     git_odb_object_size(c->obj)) < 0) {
		rcommit_free(c);
		emb_error_set("corrupt commit %s",
			      git_oid_tostr(hex, sizeof(hex), id));
		return EMB_EREPO;
	}
	*out = c;
	return 0;
}

/* A commit read for its tree id, kept for the walk to take. */
static void stash_put(struct worker *w, struct rcommit *c)
{
	rcommit_free(w->stash[w->stash_next]);
	w->stash[w->stash_next] = c;
	w->stash_next = (w->stash_next + 1) % STASH;
}

static struct rcommit *stash_take(struct worker *w, const git_oid *id)
{
	size_t i;

	for (i = 0; i < STASH; i++) {
		struct rcommit *c = w->stash[i];

		if (c && git_oid_equal(&c->oid, id)) {
			w->stash[i] = NULL;
			return c;
		}
	}
	return NULL;
}

static void stash_free(struct worker *w)
{
	size_t i;

	for (i = 0; i < STASH; i++) {
		rcommit_free(w->stash[i]);
		w->stash[i] = NULL;
	}
}

/* --- trees, read raw --- */

/*
 * Trees are read as git stores them and walked in place: libgit2's
 * git_tree parses every entry into an array first, and a scan reads a
 * few hundred thousand trees.  Each worker keeps the trees it read last
 * in a small direct-mapped cache: the walk compares a commit with its
 * parent, then that parent with its own, so every tree on a changed
 * path is wanted twice in a row.
 */
#define TCACHE_SLOTS 1024

struct tcache_slot {
	git_oid oid;
	git_odb_object *obj;
};

struct titer {
	const unsigned char *p, *end;
	const git_oid *tree;
};

static int tree_error(const char *what, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	emb_error_set_git("%s %s", what, git_oid_tostr(hex, sizeof(hex), id));
	return EMB_EREPO;
}

/* A tree, from the cache or the object database; free it after use. */
static int tree_read(git_odb_object **out, struct worker *w, const git_oid *id)
{
	struct tcache_slot *s;
	git_odb_object *obj;

	if (!w->tcache)
		w->tcache = emb_xcalloc(TCACHE_SLOTS, sizeof(*w->tcache));
	s = &w->tcache[(id->id[0] | (unsigned)id->id[1] << 8) % TCACHE_SLOTS];
	if (s->obj && git_oid_equal(&s->oid, id))
		return git_odb_object_dup(out, s->obj) < 0 ?
			       tree_error("cannot read tree", id) :
			       0;
	if (odb_read(&obj, w, id) < 0)
		return tree_error("cannot read tree", id);
	if (git_odb_object_type(obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(obj);
		git_error_clear();
		return tree_error("not a tree:", id);
	}
	git_odb_object_free(s->obj);
	git_oid_cpy(&s->oid, id);
	s->obj = obj;
	return git_odb_object_dup(out, obj) < 0 ?
		       tree_error("cannot read tree", id) :
		       0;
}

static void tcache_free(struct worker *w)
{
	size_t i;

	for (i = 0; w->tcache && i < TCACHE_SLOTS; i++)
		git_odb_object_free(w->tcache[i].obj);
	free(w->tcache);
	w->tcache = NULL;
}

static void titer_init(struct titer *it, git_odb_object *obj, const git_oid *id)
{
	it->p = obj ? git_odb_object_data(obj) : NULL;
	it->end = obj ? it->p + git_odb_object_size(obj) : NULL;
	it->tree = id;
}

/* The next entry of a tree: @return 1, 0 at the end, <0 (corrupt) */
static int titer_next(struct titer *it, struct emb_tree_entry *e)
{
	int r = emb_tree_next(&it->p, it->end, e);

	return r < 0 ? tree_error("corrupt tree", it->tree) : r;
}

/*
 * Both iterators are past the same entry: move on.  Two versions of a
 * tree share most entries, byte for byte, so the second one is compared
 * raw and parsed only where it differs.
 */
static int titer_next_both(struct titer *ia, struct emb_tree_entry *a, int *ha,
			   struct titer *ib, struct emb_tree_entry *b, int *hb)
{
	for (;;) {
		const unsigned char *start = ia->p;
		size_t span;

		if ((*ha = titer_next(ia, a)) <= 0)
			break;
		span = (size_t)(ia->p - start);
		if ((size_t)(ib->end - ib->p) < span ||
		    memcmp(ib->p, start, span))
			break;
		ib->p += span; /* the same entry: nothing to compare */
	}
	if (*ha < 0)
		return *ha;
	*hb = titer_next(ib, b);
	return *hb < 0 ? *hb : 0;
}

/* The entry at `path` under the tree `root`: 1 found, 0 not, <0 error. */
static int tree_bypath(struct worker *w, const git_oid *root, const char *path,
		       git_oid *oid, unsigned *mode)
{
	git_oid cur;
	int error = 0;

	git_oid_cpy(&cur, root);
	for (;;) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);
		git_odb_object *obj;
		struct titer it;
		struct emb_tree_entry e;
		bool found = false;

		if ((error = tree_read(&obj, w, &cur)) < 0)
			return error;
		titer_init(&it, obj, &cur);
		while ((error = titer_next(&it, &e)) > 0)
			if (e.len == len && !memcmp(e.name, path, len)) {
				found = true;
				break;
			}
		if (found) {
			git_oid_cpy(&cur, e.oid);
			*mode = e.mode;
		}
		git_odb_object_free(obj);
		if (error < 0 || !found)
			return error < 0 ? error : 0;
		if (!slash) {
			git_oid_cpy(oid, &cur);
			return 1;
		}
		if (!emb_mode_is_tree(*mode))
			return 0;
		path = slash + 1;
	}
}

static void diff_add(struct diff *d, const struct emb_buf *path,
		     const struct emb_tree_entry *e, size_t new_from)
{
	struct change *c;

	if (d->n == d->alloc) {
		d->alloc = d->alloc ? d->alloc * 2 : 32;
		d->c = emb_xrealloc(d->c, d->alloc * sizeof(*d->c));
	}
	c = &d->c[d->n++];
	c->path = emb_xstrndup(path->ptr, path->size);
	d->pathset =
		emb_fix_pathset_add(d->pathset, NULL, 0, c->path, path->size);
	d->npaths++;
	git_oid_cpy(&c->oid, e->oid);
	c->mode = (git_filemode_t)e->mode;
	c->new_from = new_from;
}

static void diff_removed(struct diff *d, const struct emb_tree_entry *e)
{
	if (!emb_mode_is_tree(e->mode) && !emb_mode_is_blob(e->mode))
		return; /* a submodule's commit is not here */
	if (d->nr == d->ralloc) {
		d->ralloc = d->ralloc ? d->ralloc * 2 : 32;
		d->r = emb_xrealloc(d->r, d->ralloc * sizeof(*d->r));
	}
	git_oid_cpy(&d->r[d->nr].oid, e->oid);
	d->r[d->nr].tree = emb_mode_is_tree(e->mode);
	d->nr++;
}

static void diff_release(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->c[i].path);
	free(d->c);
	free(d->r);
	memset(d, 0, sizeof(*d));
}

/* The entries of `new_id` that `old_id` (NULL: none) does not have. */
static int diff_trees(struct worker *w, const git_oid *old_id,
		      const git_oid *new_id, struct emb_buf *path,
		      size_t new_from, struct diff *d, int depth)
{
	git_odb_object *old = NULL, *new = NULL;
	struct titer ia, ib;
	struct emb_tree_entry a, b;
	size_t base = path->size;
	int ha = 0, hb = 0, error;

	if (depth > MAX_TREE_DEPTH) {
		error = tree_error("trees nested deeper than 4096 at", new_id);
		goto done;
	}
	if ((error = tree_read(&new, w, new_id)) < 0 ||
	    (old_id && (error = tree_read(&old, w, old_id)) < 0))
		goto done;
	titer_init(&ia, old, old_id);
	titer_init(&ib, new, new_id);
	if ((ha = old ? titer_next(&ia, &a) : 0) < 0 ||
	    (hb = titer_next(&ib, &b)) < 0) {
		error = ha < 0 ? ha : hb;
		goto done;
	}
	while ((ha || hb) && !error) {
		int c = !ha ? 1 : !hb ? -1 : emb_tree_entry_cmp(&a, &b);

		if (c < 0) {
			diff_removed(d, &a);
			d->pathset = emb_fix_pathset_add(d->pathset, path->ptr,
							 base, a.name, a.len);
			d->npaths++;
			ha = titer_next(&ia, &a);
			error = ha < 0 ? ha : 0;
			continue;
		}
		if (c == 0 && git_oid_equal(a.oid, b.oid)) {
			error = titer_next_both(&ia, &a, &ha, &ib, &b, &hb);
			continue;
		}
		path->size = base;
		if (base)
			emb_buf_putc(path, '/');
		emb_buf_put(path, b.name, b.len);
		if (emb_mode_is_tree(b.mode)) {
			size_t from = c > 0 && new_from == NO_NEW ?
					      base + (base ? 1 : 0) :
					      new_from;

			error = diff_trees(w, c == 0 ? a.oid : NULL, b.oid,
					   path, from, d, depth + 1);
		} else if (c == 0) {
			diff_removed(d, &a);
			diff_add(d, path, &b, new_from);
		} else {
			diff_add(d, path, &b,
				 new_from == NO_NEW ? base + (base ? 1 : 0) :
						      new_from);
		}
		if (!error && c == 0) {
			ha = titer_next(&ia, &a);
			error = ha < 0 ? ha : 0;
		}
		if (!error) {
			hb = titer_next(&ib, &b);
			error = hb < 0 ? hb : 0;
		}
	}
done:
	path->size = base;
	if (path->ptr)
		path->ptr[base] = '\0';
	git_odb_object_free(old);
	git_odb_object_free(new);
	return error;
}

/* --- added lines --- */

static bool past_deadline(struct shared *sh);
static int timeout(void);

/* Line classes of a line set: a line of text never matches a run. */
#define LINES_TEXT 1
#define LINES_RUNS 2

/* A line without the carriage returns before its end. */
static size_t line_len(const char *line, size_t len)
{
	while (len && line[len - 1] == '\r')
		len--;
	return len;
}

static void add_lines(struct emb_lineset *set, unsigned tag, const char *text,
		      size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);

		emb_lineset_add(set, emb_line_hash(tag, p, line_len(p, n)));
		p += n + 1;
	}
}

/*
 * Put the lines of a blob, read as the scanner reads it, into a set.  A
 * blob that is not read (over embargo.maxBlobSize) adds nothing: a line
 * that sat only in a version the scanner skipped is still new when a
 * later commit makes it readable.
 */
static int index_blob(struct worker *w, struct emb_lineset *set,
		      const git_oid *id)
{
	git_odb_object *blob;
	struct emb_blobtext bt;
	size_t size;

	if (past_deadline(w->sh))
		return timeout();
	if (odb_read_size(&size, w, id) == 0 &&
	    size > w->sh->opts->max_blob_size)
		return 0;
	if (odb_read(&blob, w, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		emb_error_set_git("cannot read blob %s",
				  git_oid_tostr(hex, sizeof(hex), id));
		return EMB_EREPO;
	}
	emb_blobtext_read(&bt, git_odb_object_data(blob),
			  git_odb_object_size(blob));
	add_lines(set, LINES_TEXT, bt.text, bt.len);
	add_lines(set, LINES_RUNS, bt.runs, bt.runs_len);
	emb_blobtext_release(&bt);
	git_odb_object_free(blob);
	return 0;
}

static int index_tree(struct worker *w, struct emb_lineset *set,
		      const git_oid *tree_id, int depth)
{
	git_odb_object *tree;
	struct titer it;
	struct emb_tree_entry e;
	int error;

	if (depth > MAX_TREE_DEPTH)
		return tree_error("trees nested deeper than 4096 at", tree_id);
	if ((error = tree_read(&tree, w, tree_id)) < 0)
		return error;
	titer_init(&it, tree, tree_id);
	while ((error = titer_next(&it, &e)) > 0) {
		if (emb_mode_is_tree(e.mode))
			error = index_tree(w, set, e.oid, depth + 1);
		else if (emb_mode_is_blob(e.mode))
			error = index_blob(w, set, e.oid);
		if (error < 0)
			break;
	}
	git_odb_object_free(tree);
	return error < 0 ? error : 0;
}

/*
 * The old lines of a commit (what it removed or changed from its first
 * parent), from the worker's cache or indexed now from the diff `d`.
 */
static int old_lines(struct emb_lineset **out, struct worker *w,
		     const git_oid *commit, const struct diff *d)
{
	struct oldlines *o = NULL;
	size_t i;
	int error = 0;

	for (i = 0; i < OLD_CACHE; i++) {
		if (w->old[i].used &&
		    git_oid_equal(&w->old[i].commit, commit)) {
			w->old[i].used = ++w->old_tick;
			*out = &w->old[i].set;
			return 0;
		}
		if (!o || w->old[i].used < o->used)
			o = &w->old[i]; /* the least recently used */
	}
	emb_lineset_clear(&o->set);
	o->used = 0;
	for (i = 0; i < d->nr && !error; i++)
		error = d->r[i].tree ? index_tree(w, &o->set, &d->r[i].oid, 0) :
				       index_blob(w, &o->set, &d->r[i].oid);
	if (error < 0)
		return error;
	git_oid_cpy(&o->commit, commit);
	o->used = ++w->old_tick;
	*out = &o->set;
	return 0;
}

/*
 * Is a hit new in the commit?  It is when any line it spans (an alias
 * may run over a line break) is in neither set: not in a parent's
 * version of this file (`same`), not in a file the commit removed or
 * changed (`old`, NULL: not asked yet).
 */
static bool hit_is_new(const struct emb_hit *h, const char *text, size_t len,
		       unsigned tag, const struct emb_lineset *same,
		       const struct emb_lineset *old)
{
	size_t ls = h->start, end = h->end > h->start ? h->end - 1 : h->start;

	while (ls > 0 && text[ls - 1] != '\n')
		ls--;
	while (ls <= end && ls < len) {
		const char *eol = memchr(text + ls, '\n', len - ls);
		size_t le = eol ? (size_t)(eol - text) : len;
		uint64_t hash = emb_line_hash(tag, text + ls,
					      line_len(text + ls, le - ls));

		if (!emb_lineset_has(same, hash) &&
		    !(old && emb_lineset_has(old, hash)))
			return true;
		ls = le + 1;
	}
	return false;
}

/*
 * The tree ids of a commit's parents: their commits are read (and kept
 * for the walk, which reads a parent next more often than not).  A
 * shallow repository may not have them.
 */
static int parent_trees(struct worker *w, const git_oid *commit,
			const git_oid *parent_ids, size_t np, git_oid *out)
{
	size_t i;

	for (i = 0; i < np; i++) {
		struct rcommit *p = stash_take(w, &parent_ids[i]);

		if (!p && read_commit(&p, w, &parent_ids[i]) < 0) {
			char hex[GIT_OID_HEXSZ + 1], msg[512];

			snprintf(msg, sizeof(msg), "%s", emb_error_last());
			emb_error_set("cannot read parent %zu of commit %s: %s",
				      i + 1,
				      git_oid_tostr(hex, sizeof(hex), commit),
				      msg);
			return EMB_EREPO;
		}
		git_oid_cpy(&out[i], &p->f.tree);
		stash_put(w, p);
	}
	return 0;
}

/* --- notes --- */

/*
 * Notes are read from the notes trees directly: an entry is named by
 * the hex id of the object it annotates, in one piece or fanned out in
 * folders of two hex digits, as git writes them.  A scan of the whole
 * history reads every note in one pass, in pack order, on a thread of
 * its own, and keeps only the notes with a hit; at the end those of
 * commits the walk has seen are reported.  A scan of a range (with
 * hides) looks up the notes of each commit it walks instead.
 */
static void pairs_add(struct note_pairs *p, const git_oid *commit,
		      const git_oid *blob)
{
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 64;
		p->v = emb_xrealloc(p->v, p->alloc * sizeof(*p->v));
	}
	p->v[p->n].key = 0;
	git_oid_cpy(&p->v[p->n].commit, commit);
	git_oid_cpy(&p->v[p->n].blob, blob);
	p->n++;
}

static bool all_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

static int notes_tree(struct worker *w, const git_oid *tree, char *hex,
		      size_t hexlen, struct note_pairs *out)
{
	git_odb_object *obj;
	struct titer it;
	struct emb_tree_entry e;
	int error;

	if ((error = tree_read(&obj, w, tree)) < 0)
		return error;
	titer_init(&it, obj, tree);
	while ((error = titer_next(&it, &e)) > 0) {
		size_t len = hexlen + e.len;

		if (len > GIT_OID_HEXSZ || !all_hex(e.name, e.len))
			continue; /* not a note */
		memcpy(hex + hexlen, e.name, e.len);
		if (emb_mode_is_tree(e.mode) && len < GIT_OID_HEXSZ) {
			if ((error = notes_tree(w, e.oid, hex, len, out)) < 0)
				break;
		} else if (len == GIT_OID_HEXSZ && !emb_mode_is_tree(e.mode)) {
			git_oid commit;

			if (git_oid_fromstrn(&commit, hex, GIT_OID_HEXSZ) == 0)
				pairs_add(out, &commit, e.oid);
		}
	}
	git_odb_object_free(obj);
	return error < 0 ? error : 0;
}

/* The root trees of the notes refs, read on the calling thread. */
static int notes_roots(struct shared *sh)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int error;

	if (git_reference_iterator_glob_new(&it, sh->repo, "refs/notes/*") <
	    0) {
		emb_error_set_git("cannot list the notes refs");
		return EMB_EREPO;
	}
	while ((error = git_reference_next(&ref, it)) == 0) {
		git_commit *c = NULL;

		if (git_reference_peel((git_object **)&c, ref,
				       GIT_OBJECT_COMMIT) < 0) {
			emb_error_set_git("cannot read notes '%s'",
					  git_reference_name(ref));
			git_reference_free(ref);
			git_reference_iterator_free(it);
			return EMB_EREPO;
		}
		sh->note_roots =
			emb_xrealloc(sh->note_roots,
				     (sh->nnote_roots + 1) * sizeof(git_oid));
		git_oid_cpy(&sh->note_roots[sh->nnote_roots++],
			    git_commit_tree_id(c));
		git_commit_free(c);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (error != GIT_ITEROVER) {
		emb_error_set_git("cannot list the notes refs");
		return EMB_EREPO;
	}
	return 0;
}

static int collect_notes(struct worker *w, struct note_pairs *out)
{
	struct shared *sh = w->sh;
	char hex[GIT_OID_HEXSZ];
	size_t i;
	int error = 0;

	for (i = 0; i < sh->nnote_roots && !error; i++)
		error = notes_tree(w, &sh->note_roots[i], hex, 0, out);
	return error;
}

/* Index the notes for a scan of a range: annotated commit -> blobs. */
static int load_notes(struct worker *w)
{
	struct note_pairs p = { 0 };
	size_t i;
	int error = collect_notes(w, &p);

	for (i = 0; i < p.n && !error; i++) {
		struct emb_map *map = &w->sh->notes;
		struct notes_of *no =
			emb_map_get(map, p.v[i].commit.id, GIT_OID_RAWSZ);

		if (!no) {
			no = emb_xcalloc(1, sizeof(*no));
			emb_map_put(map, p.v[i].commit.id, GIT_OID_RAWSZ, no);
		}
		no->blobs =
			emb_xrealloc(no->blobs, (no->n + 1) * sizeof(git_oid));
		git_oid_cpy(&no->blobs[no->n++], &p.v[i].blob);
	}
	free(p.v);
	return error;
}

static int read_note(git_odb_object **out, struct worker *w,
		     const git_oid *blob)
{
	if (odb_read(out, w, blob) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		emb_error_set_git("cannot read note %s",
				  git_oid_tostr(hex, sizeof(hex), blob));
		return EMB_EREPO;
	}
	return 0;
}

static int scan_notes(struct worker *w, struct ctx *cx, const git_oid *commit)
{
	struct notes_of *no =
		emb_map_get(&w->sh->notes, commit->id, GIT_OID_RAWSZ);
	size_t i;
	int error = 0;

	for (i = 0; no && i < no->n && !error; i++) {
		git_odb_object *blob;

		if ((error = read_note(&blob, w, &no->blobs[i])) < 0)
			return error;
		error = scan_text(w, cx, EMB_KIND_NOTE,
				  git_odb_object_data(blob),
				  git_odb_object_size(blob), NULL, true);
		git_odb_object_free(blob);
	}
	return error;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct note_pair *x = a, *y = b;
	int c;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if ((c = git_oid_cmp(&x->blob, &y->blob)) != 0)
		return c;
	return git_oid_cmp(&x->commit, &y->commit);
}

/* Every note, in pack order: keep those with a hit in sh->note_hits. */
static int notes_pass(struct worker *w)
{
	struct shared *sh = w->sh;
	struct note_pairs p = { 0 };
	size_t i, j, k;
	int error;

	if ((error = collect_notes(w, &p)) < 0)
		goto done;
	for (i = 0; i < p.n; i++)
		p.v[i].key = emb_packorder_key(sh->po, &p.v[i].blob);
	if (p.n > 1)
		qsort(p.v, p.n, sizeof(*p.v), pair_cmp);
	for (i = 0; i < p.n && !error; i = j) {
		git_odb_object *blob;

		for (j = i + 1;
		     j < p.n && git_oid_equal(&p.v[j].blob, &p.v[i].blob); j++)
			;
		if (atomic_load(&sh->stop))
			break;
		if (past_deadline(sh)) {
			error = timeout();
			break;
		}
		if ((error = read_note(&blob, w, &p.v[i].blob)) < 0)
			break;
		error = emb_match(w->mctx, git_odb_object_data(blob),
				  git_odb_object_size(blob), &w->hits);
		if (error < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			error = match_failed(
				error, "note %s",
				git_oid_tostr(hex, sizeof(hex), &p.v[i].blob));
		}
		for (k = i; k < j && !error && w->hits.n; k++)
			pairs_add(&sh->note_hits, &p.v[k].commit, &p.v[k].blob);
		git_odb_object_free(blob);
	}
done:
	free(p.v);
	return error;
}

static void *notes_main(void *arg)
{
	struct worker *w = arg;
	int error = notes_pass(w);

	if (error < 0)
		fail(w->sh, error);
	return NULL;
}

static uint64_t time_seq(int64_t t);

static int hit_cmp(const void *a, const void *b)
{
	const struct note_pair *x = a, *y = b;
	int c = git_oid_cmp(&x->commit, &y->commit);

	return c ? c : pair_cmp(a, b);
}

/*
 * After the walk: the notes with a hit that annotate a commit the walk
 * saw, scanned again with that commit for the findings.  They sort
 * after the commit's own metadata and before its diff (NOTES_POS).
 */
static int report_note_hits(struct worker *w)
{
	struct shared *sh = w->sh;
	size_t i, j = 0;
	int error = 0;

	if (!sh->note_hits.n)
		return 0;
	qsort(sh->note_hits.v, sh->note_hits.n, sizeof(*sh->note_hits.v),
	      hit_cmp);
	for (i = 0; i < sh->note_hits.n && !error; i++) {
		const struct note_pair *h = &sh->note_hits.v[i];
		struct ctx cx = { 0, 0, &h->commit, NULL, NULL, w->repo };
		struct rcommit *c;
		git_odb_object *blob;

		/* the how-manieth note of its commit */
		j = i && git_oid_equal(&h->commit, &h[-1].commit) ? j + 1 : 0;
		if (!emb_oidset_has(&sh->seen, &h->commit))
			continue;
		if ((error = read_commit(&c, w, &h->commit)) < 0)
			break;
		cx.seq = time_seq(c->f.time);
		cx.pos = NOTES_POS + ((uint64_t)j << 24);
		rcommit_free(c);
		if ((error = read_note(&blob, w, &h->blob)) == 0) {
			error = scan_text(w, &cx, EMB_KIND_NOTE,
					  git_odb_object_data(blob),
					  git_odb_object_size(blob), NULL,
					  true);
			git_odb_object_free(blob);
		}
		git_commit_free(cx.obj);
	}
	return error;
}

/* --- new blobs, in batches --- */

static bool past_deadline(struct shared *sh)
{
	int64_t dl = sh->opts->deadline_ms;

	return dl && emb_clock_ms() > dl;
}

static int timeout(void)
{
	emb_error_set("time limit reached before the scan finished "
		      "(embargo.timeout)");
	return EMB_ETIMEOUT;
}

static struct batch *batch_new(void)
{
	return emb_xcalloc(1, sizeof(struct batch));
}

static void batch_clear(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->nc; i++) {
		free(b->c[i].parents);
	}
	for (i = 0; i < b->nr; i++)
		free(b->r[i].path);
	b->nc = b->nr = b->ngroups = 0;
}

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	batch_clear(b);
	free(b->c);
	free(b->r);
	free(b->groups);
	free(b);
}

/* Queue a new blob of the commit `cx`; the batch takes c->path. */
static void batch_add(struct batch *b, const struct ctx *cx,
		      const git_oid *tree, const git_oid *parents, size_t np,
		      uint64_t pos, size_t change, struct change *c)
{
	struct brec *r;

	if (!b->nc || !git_oid_equal(&b->c[b->nc - 1].oid, cx->commit)) {
		struct bcommit *bc;

		if (b->nc == b->calloc) {
			b->calloc = b->calloc ? b->calloc * 2 : 64;
			b->c = emb_xrealloc(b->c, b->calloc * sizeof(*b->c));
		}
		bc = &b->c[b->nc++];
		git_oid_cpy(&bc->oid, cx->commit);
		git_oid_cpy(&bc->tree, tree);
		bc->np = np;
		bc->parents = emb_xcalloc(np ? np : 1, sizeof(git_oid));
		memcpy(bc->parents, parents, np * sizeof(git_oid));
		bc->seq = cx->seq;
		bc->pos = pos;
	}
	if (b->nr == b->ralloc) {
		b->ralloc = b->ralloc ? b->ralloc * 2 : 256;
		b->r = emb_xrealloc(b->r, b->ralloc * sizeof(*b->r));
	}
	r = &b->r[b->nr++];
	r->key = 0;
	git_oid_cpy(&r->oid, &c->oid);
	r->commit = (uint32_t)(b->nc - 1);
	r->change = (uint32_t)change;
	r->path = c->path;
	c->path = NULL;
}

/*
 * The order of a commit's findings: metadata (from `pos`), then each
 * change in tree order, its path before its lines.
 */
static uint64_t change_pos(uint64_t pos, size_t change, bool lines)
{
	return pos + ((uint64_t)(change + 1) << 40) +
	       (lines ? (uint64_t)1 << 39 : 0);
}

/* The line number at `pos` of text, counted on from the last one asked. */
struct line_cursor {
	size_t pos, line;
};

static void line_cursor(struct line_cursor *c, const char *text, size_t pos)
{
	const char *p, *end = text + pos;

	if (pos < c->pos)
		c->pos = 0, c->line = 1;
	for (p = text + c->pos; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		c->line++;
	c->pos = pos;
}

/*
 * Which hits are on lines this commit adds: `isnew` gets one flag per
 * hit, text hits first, then run hits.  Most hit lines were in the
 * file's own previous versions, so those are read first; only when a
 * hit line is not there is the commit's whole old content indexed.
 */
static int new_hits(struct worker *w, const struct bcommit *bc,
		    const git_oid *parents, const char *path,
		    const struct emb_blobtext *bt, bool *isnew)
{
	struct emb_buf dpath = EMB_BUF_INIT;
	struct diff d = { 0 };
	struct emb_lineset *old = NULL;
	size_t nt = w->hits.n, i, k, left = 0;
	int error = 0;

	emb_lineset_clear(&w->same);
	for (k = 0; k < bc->np && !error; k++) {
		git_oid oid;
		unsigned mode;

		error = tree_bypath(w, &parents[k], path, &oid, &mode);
		if (error > 0)
			error = emb_mode_is_blob(mode) ?
					index_blob(w, &w->same, &oid) :
					0;
	}
	for (i = 0; i < nt + w->run_hits.n && !error; i++) {
		isnew[i] = i < nt ? hit_is_new(&w->hits.v[i], bt->text, bt->len,
					       LINES_TEXT, &w->same, NULL) :
				    hit_is_new(&w->run_hits.v[i - nt], bt->runs,
					       bt->runs_len, LINES_RUNS,
					       &w->same, NULL);
		left += isnew[i];
	}
	if (error < 0 || !left)
		return error;

	/* some are in no previous version: did they move from elsewhere? */
	if ((error = diff_trees(w, bc->np ? &parents[0] : NULL, &bc->tree,
				&dpath, NO_NEW, &d, 0)) == 0)
		error = old_lines(&old, w, &bc->oid, &d);
	for (i = 0; i < nt + w->run_hits.n && !error; i++)
		if (isnew[i])
			isnew[i] =
				i < nt ? hit_is_new(&w->hits.v[i], bt->text,
						    bt->len, LINES_TEXT,
						    &w->same, old) :
					 hit_is_new(&w->run_hits.v[i - nt],
						    bt->runs, bt->runs_len,
						    LINES_RUNS, &w->same, old);
	diff_release(&d);
	emb_buf_release(&dpath);
	return error;
}

/* A blob has hits: report those on lines new in this commit. */
static int blob_hits(struct worker *w, const struct batch *b,
		     const struct brec *r, const struct emb_blobtext *bt)
{
	const struct bcommit *bc = &b->c[r->commit];
	struct ctx cx = { bc->seq,  change_pos(bc->pos, r->change, true),
			  &bc->oid, NULL,
			  NULL,	    NULL };
	git_oid small[8], *parents = small;
	struct line_cursor cur = { 0, 1 };
	size_t nt = w->hits.n, i;
	bool *isnew = emb_xcalloc(nt + w->run_hits.n, sizeof(bool));
	int error;

	/* rare (only blobs with a hit): the commit's parents are read again */
	if (git_commit_lookup(&cx.obj, w->repo, &bc->oid) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		free(isnew);
		emb_error_set_git("cannot read commit %s",
				  git_oid_tostr(hex, sizeof(hex), &bc->oid));
		return EMB_EREPO;
	}
	if (bc->np > 8)
		parents = emb_xcalloc(bc->np, sizeof(git_oid));
	error = parent_trees(w, &bc->oid, bc->parents, bc->np, parents);
	if (!error)
		error = new_hits(w, bc, parents, r->path, bt, isnew);

	for (i = 0; i < nt && !error; i++) {
		struct emb_hit h = w->hits.v[i];
		size_t ls = h.start;

		if (!isnew[i])
			continue;
		/* the excerpt from the hit's line: lines counted once */
		while (ls > 0 && bt->text[ls - 1] != '\n')
			ls--;
		line_cursor(&cur, bt->text, ls);
		h.start -= ls;
		h.end -= ls;
		add_finding(w, &cx, EMB_KIND_LINE, &h, bt->text + ls,
			    bt->len - ls, NULL, r->path, true)
			->line += bt->line0 + cur.line - 1;
	}
	for (i = 0; i < w->run_hits.n && !error; i++) {
		const struct emb_hit *h = &w->run_hits.v[i];

		if (isnew[nt + i])
			add_finding(w, &cx, EMB_KIND_BINARY, h, bt->runs,
				    bt->runs_len, NULL, r->path, false)
				->offset =
				bt->offset0 + emb_blobtext_offset(bt, h->start);
	}
	free(isnew);
	if (parents != small)
		free(parents);
	git_commit_free(cx.obj);
	return error;
}

/*
 * A blob holds lines of a fix's fingerprint: which of them does each
 * commit that has it add?  Not those the parent's version of the file
 * has, nor those of a file the commit changed or removed (they moved).
 */
/* Drop the lines an older version of the file has (read once). */
static int fix_drop_blob(struct worker *w, const git_oid *id,
			 struct emb_fixhits *h)
{
	struct emb_fixhits older = EMB_FIXHITS_INIT;
	git_odb_object *obj;

	if (!emb_fixtally_blob_hits(w->sh->fixtally, id, &older)) {
		if (odb_read(&obj, w, id) < 0)
			return tree_error("cannot read blob", id);
		emb_fixset_blob(w->sh->fixes, git_odb_object_data(obj),
				git_odb_object_size(obj), &older);
		git_odb_object_free(obj);
		emb_fixtally_blob(w->sh->fixtally, id, &older);
	}
	emb_fixhits_drop(h, &older);
	emb_fixhits_release(&older);
	return 0;
}

/*
 * A folder the commit removed (moved, most often): its files of the
 * same name may have had the lines.
 */
static int fix_drop_tree(struct worker *w, const git_oid *tree_id,
			 const char *name, struct emb_fixhits *h, int depth)
{
	git_odb_object *tree;
	struct titer it;
	struct emb_tree_entry e;
	size_t len = strlen(name);
	int error;

	if (depth > MAX_TREE_DEPTH)
		return tree_error("trees nested deeper than 4096 at", tree_id);
	if ((error = tree_read(&tree, w, tree_id)) < 0)
		return error;
	titer_init(&it, tree, tree_id);
	while (h->n && (error = titer_next(&it, &e)) > 0) {
		if (emb_mode_is_tree(e.mode))
			error = fix_drop_tree(w, e.oid, name, h, depth + 1);
		else if (emb_mode_is_blob(e.mode) && e.len == len &&
			 !memcmp(e.name, name, len))
			error = fix_drop_blob(w, e.oid, h);
		if (error < 0)
			break;
	}
	git_odb_object_free(tree);
	return error < 0 ? error : 0;
}

/*
 * After the blob pass: which fingerprint lines does each deferred
 * (commit, path) add?  Not those the parent's version of the file has,
 * nor those of a file the commit changed or removed (they moved).
 */
static int fix_lines(struct worker *w)
{
	struct emb_fixtally *t = w->sh->fixtally;
	struct emb_fixhits h = EMB_FIXHITS_INIT;
	size_t k, i, n = emb_fixtally_ndeferred(t);
	int error = 0;

	for (k = 0; k < n && !error; k++) {
		const struct emb_fixdeferred *fd = emb_fixtally_deferred(t, k);
		git_oid small[8], *parents = small;
		struct emb_buf path = EMB_BUF_INIT;
		struct diff d = { 0 };

		if (past_deadline(w->sh))
			return timeout();
		if (!emb_fixtally_blob_hits(t, &fd->blob, &h))
			continue;
		if (fd->np > 8)
			parents = emb_xcalloc(fd->np, sizeof(git_oid));
		error = parent_trees(w, &fd->commit, fd->parents, fd->np,
				     parents);
		for (i = 0; i < fd->np && !error && h.n; i++) {
			git_oid oid;
			unsigned mode;

			error = tree_bypath(w, &parents[i], fd->path, &oid,
					    &mode);
			if (error > 0)
				error = emb_mode_is_blob(mode) ?
						fix_drop_blob(w, &oid, &h) :
						0;
		}
		if (!error && h.n)
			error = diff_trees(w, fd->np ? &parents[0] : NULL,
					   &fd->tree, &path, NO_NEW, &d, 0);
		for (i = 0; i < d.nr && !error && h.n; i++) {
			const char *base = strrchr(fd->path, '/');

			error = d.r[i].tree ? fix_drop_tree(w, &d.r[i].oid,
							    base ? base + 1 :
								   fd->path,
							    &h, 0) :
					      fix_drop_blob(w, &d.r[i].oid, &h);
		}
		if (!error)
			emb_fixtally_add(t, &fd->commit, fd->seq, fd->path, &h);
		if (parents != small)
			free(parents);
		diff_release(&d);
		emb_buf_release(&path);
	}
	emb_fixhits_release(&h);
	return error;
}

/*
 * A blob of a file a fix added lines to: keep its fingerprint lines,
 * and defer the decision for each commit it is new in (fix_lines()).
 */
static void fix_blob(struct worker *w, const struct batch *b,
		     const struct brec *r, size_t n,
		     const struct emb_blobtext *bt)
{
	size_t k;

	emb_fixset_blob(w->sh->fixes, bt->text, bt->len, &w->fixhits);
	emb_fixtally_blob(w->sh->fixtally, &r->oid, &w->fixhits);
	for (k = 0; k < n && w->fixhits.n; k++) {
		const struct bcommit *bc = &b->c[r[k].commit];

		emb_fixtally_defer(w->sh->fixtally, &bc->oid, bc->seq,
				   &bc->tree, bc->parents, bc->np, r[k].path,
				   &r->oid);
	}
}

/* Is one of the files a blob is new in a file a fix added lines to? */
static bool fix_wanted(const struct emb_fixset *fs, const struct brec *r,
		       size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (emb_fixset_wants_file(fs, r[k].path))
			return true;
	return false;
}

/* The commit of a batch record, in hex: for messages only. */
static const char *rec_commit(const struct batch *b, const struct brec *r,
			      char hex[GIT_OID_HEXSZ + 1])
{
	return git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &b->c[r->commit].oid);
}

/* A partial clone (git clone --filter): a remote is its promisor
 * (remote.<name>.promisor, or extensions.partialClone naming it); its
 * missing blobs are not damage. */
static bool is_partial_clone(git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	git_buf v = GIT_BUF_INIT;
	bool partial = false;
	int on;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		goto done;
	if (git_config_get_string_buf(&v, cfg, "extensions.partialclone") ==
		    0 &&
	    v.size > 0)
		partial = true;
	/* every entry, compared by hand: libgit2 1.5's regex iterator
	 * leaks its pcre2 match data (6 MB over 50 repositories) */
	if (!partial && git_config_iterator_new(&it, cfg) == 0)
		while (!partial && git_config_next(&e, it) == 0) {
			size_t n = strlen(e->name);

			partial = n > 16 && !strncmp(e->name, "remote.", 7) &&
				  !strcmp(e->name + n - 9, ".promisor") &&
				  git_config_parse_bool(&on, e->value) == 0 &&
				  on;
		}
done:
	git_config_iterator_free(it);
	git_buf_dispose(&v);
	git_config_free(cfg);
	git_error_clear();
	return partial;
}

/* --- files over embargo.maxBlobSize --- */

#define WINDOW ((size_t)1 << 20) /* bytes of a large file matched at once */
#define OVERLAP 4096		 /* kept when a window has no line break */

/* The pack indexes, mapped the first time any thread asks for them. */
static const struct emb_packorder *packorder(struct shared *sh)
{
	const struct emb_packorder *po;

	pthread_mutex_lock(&sh->mu);
	if (!sh->po)
		sh->po = emb_packorder_new(sh->repo);
	po = sh->po;
	pthread_mutex_unlock(&sh->mu);
	return po;
}

/*
 * A file that cannot be read in pieces: a server hook stops (fail
 * closed, naming the file and the setting); a scan counts it, warns and
 * goes on.
 */
static int unscanned(struct worker *w, const struct batch *b,
		     const struct brec *r, size_t n, size_t size)
{
	char hex[GIT_OID_HEXSZ + 1], msg[1024];
	size_t k;

	for (k = 0; k < n; k++) {
		snprintf(msg, sizeof(msg),
			 "cannot scan '%s' in commit %.12s: %zu bytes, over "
			 "embargo.maxBlobSize (%zu) and stored as a delta, "
			 "which is read only whole; set embargo.maxBlobSize to "
			 "%zu or more to scan it",
			 r[k].path, rec_commit(b, &r[k], hex), size,
			 w->sh->opts->max_blob_size, size);
		if (w->sh->opts->unscanned_fails) {
			emb_error_set("%s", msg);
			return EMB_EREPO;
		}
		w->stats.blobs_unscanned++;
		if (w->sh->opts->warn) {
			pthread_mutex_lock(&w->sh->mu);
			w->sh->opts->warn(w->sh->opts->note_payload, msg);
			pthread_mutex_unlock(&w->sh->mu);
		}
	}
	return 0;
}

/* Drop the hits that end inside the first `seen` bytes: matched before. */
static void drop_seen(struct emb_hits *h, size_t seen)
{
	size_t i, k = 0;

	for (i = 0; i < h->n; i++)
		if (h->v[i].end > seen)
			h->v[k++] = h->v[i];
	h->n = k;
}

/* The same for the hits in a binary's runs, by their offset in the file. */
static void drop_seen_runs(struct emb_hits *h, const struct emb_blobtext *bt,
			   size_t seen)
{
	size_t i, k = 0;

	for (i = 0; i < h->n; i++)
		if (emb_blobtext_offset(bt, h->v[i].end) > seen)
			h->v[k++] = h->v[i];
	h->n = k;
}

/*
 * A file over embargo.maxBlobSize, read in windows of WINDOW bytes.  A
 * text file is cut after a line break, and the next window starts with
 * the last line of this one (or its last OVERLAP bytes, when it has no
 * line break), so a hit across the cut (an alias over a line break) is
 * found; hits inside that overlap were reported with the window before.
 * A binary or UTF-16 file is cut at a multiple of four bytes and each
 * window read as blobtext.c reads a file; a binary's next window starts
 * OVERLAP bytes before the cut, for an identifier across it.
 */
static int scan_large(struct worker *w, const struct batch *b,
		      const struct brec *r, size_t n, size_t size)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct emb_blobstream *s = NULL;
	char *buf = NULL;
	size_t have = 0, seen = 0, line0 = 0, k;
	uint64_t offset0 = 0;
	bool eof = false, first = true, text = true, decoded = false,
	     be = false;
	unsigned mark = 0, width = 0;
	int error;

	error = emb_blobstream_open(&s, w->odb, packorder(w->sh), &r->oid,
				    size);
	if (error == EMB_ENOTFOUND)
		return unscanned(w, b, r, n, size);
	if (error < 0)
		return error;
	w->stats.blobs_large += n;
	w->stats.blobs += n;
	buf = emb_xmalloc(WINDOW);
	while (!error) {
		struct emb_blobtext bt = EMB_BLOBTEXT_INIT;
		size_t cut, keep;

		while (have < WINDOW && !eof) {
			int64_t got = emb_blobstream_read(s, buf + have,
							  WINDOW - have);

			if (got < 0) {
				error = (int)got;
				break;
			}
			eof = got == 0;
			have += (size_t)got;
		}
		if (error < 0 || (past_deadline(w->sh) && (error = timeout())))
			break;
		if (first) {
			/* a mark says UTF-16 or UTF-32 even before a NUL */
			mark = emb_blob_mark(buf, have, &be);
			text = !mark && emb_blob_is_text(buf, have);
		}
		first = false;
		cut = have;
		if (!eof && text) {
			const char *nl = have > seen ? memrchr(buf + seen, '\n',
							       have - seen) :
						       NULL;

			cut = nl ? (size_t)(nl - buf) + 1 : have;
		} else if (!eof) {
			cut = have & ~(size_t)3;
		}
		if (text) {
			bt.text = buf;
			bt.len = cut;
			bt.runs = "";
		} else if (offset0 == 0) {
			if (mark)
				emb_blobtext_decode(&bt, buf, cut, mark, mark,
						    be);
			else
				emb_blobtext_read(&bt, buf, cut);
			decoded = bt.form == EMB_BLOB_UTF16;
			width = bt.width;
			be = bt.be;
		} else if (decoded) {
			/* UTF-16 text goes on without its mark */
			emb_blobtext_decode(&bt, buf, cut, 0, width, be);
		} else {
			emb_blobtext_runs(&bt, buf, cut);
		}
		bt.line0 = line0;
		bt.offset0 = offset0;
		w->run_hits.n = 0;
		if ((error = emb_match(w->mctx, bt.text, bt.len, &w->hits)) <
			    0 ||
		    (bt.runs_len &&
		     (error = emb_match(w->mctx, bt.runs, bt.runs_len,
					&w->run_hits)) < 0)) {
			error = match_failed(error, "'%s' in commit %s",
					     r->path, rec_commit(b, r, hex));
			emb_blobtext_release(&bt);
			break;
		}
		drop_seen(&w->hits, seen);
		if (!text)
			drop_seen_runs(&w->run_hits, &bt, seen);
		for (k = 0; k < n && (w->hits.n || w->run_hits.n) && !error;
		     k++)
			error = blob_hits(w, b, &r[k], &bt);
		if (!text) /* decoded lines go on across windows */
			for (k = 0; k < bt.len; k++)
				line0 += bt.text[k] == '\n';
		emb_blobtext_release(&bt);
		if (eof && cut == have)
			break;

		/* what the next window starts with */
		keep = cut;
		if (text) {
			const char *nl =
				cut > 1 ? memrchr(buf, '\n', cut - 1) : NULL;

			keep = nl ? (size_t)(nl - buf) + 1 : 0;
			if (cut - keep > OVERLAP || keep <= seen)
				keep = cut > OVERLAP ? cut - OVERLAP : cut;
			for (k = 0; k < keep; k++)
				line0 += buf[k] == '\n';
			seen = cut - keep;
		} else if (!decoded && cut > OVERLAP) {
			/* a binary's runs: an identifier over the cut */
			keep = (cut - OVERLAP) & ~(size_t)3;
			seen = cut - keep;
		}
		offset0 += keep;
		memmove(buf, buf + keep, have - keep);
		have -= keep;
	}
	free(buf);
	emb_blobstream_free(s);
	return error;
}

/* One distinct blob, new in the n (commit, path) pairs of `r`. */
static int scan_blob(struct worker *w, const struct batch *b,
		     const struct brec *r, size_t n)
{
	char hex[GIT_OID_HEXSZ + 1], bhex[GIT_OID_HEXSZ + 1];
	git_odb_object *obj = NULL;
	struct emb_blobtext bt;
	size_t size, k;
	int error = 0;

	if (odb_read_size(&size, w, &r->oid) < 0) {
		if (w->sh->partial) {
			/* filtered out by the clone: not here to scan, like
			 * a blob over the size limit */
			git_error_clear();
			for (k = 0; k < n; k++) {
				w->stats.blobs_missing++;
				note(w->sh,
				     "skipped '%s' in commit %.12s: blob %s "
				     "not in this partial clone",
				     r[k].path, rec_commit(b, &r[k], hex),
				     git_oid_tostr(bhex, sizeof(bhex),
						   &r->oid));
			}
			return 0;
		}
		emb_error_set_git("cannot read blob %s ('%s' in commit %s)",
				  git_oid_tostr(bhex, sizeof(bhex), &r->oid),
				  r->path, rec_commit(b, r, hex));
		return EMB_EREPO;
	}
	if (size > w->sh->opts->max_blob_size)
		return scan_large(w, b, r, n, size);
	if (odb_read(&obj, w, &r->oid) < 0) {
		emb_error_set_git("cannot read '%s' in commit %s", r->path,
				  rec_commit(b, r, hex));
		return EMB_EREPO;
	}
	emb_blobtext_read(&bt, git_odb_object_data(obj),
			  git_odb_object_size(obj));
	w->stats.blobs += n;
	if (bt.form == EMB_BLOB_BINARY)
		w->stats.blobs_binary += n;
	else if (bt.form == EMB_BLOB_UTF16)
		w->stats.blobs_decoded += n;
	w->run_hits.n = 0;
	if ((error = emb_match(w->mctx, bt.text, bt.len, &w->hits)) < 0 ||
	    (bt.runs_len && (error = emb_match(w->mctx, bt.runs, bt.runs_len,
					       &w->run_hits)) < 0)) {
		error = match_failed(error, "'%s' in commit %s", r->path,
				     rec_commit(b, r, hex));
		goto done;
	}
	for (k = 0; k < n && (w->hits.n || w->run_hits.n) && !error; k++)
		error = blob_hits(w, b, &r[k], &bt);
	if (!error && w->sh->fixtally && bt.form != EMB_BLOB_BINARY &&
	    fix_wanted(w->sh->fixes, r, n))
		fix_blob(w, b, r, n, &bt);
done:
	emb_blobtext_release(&bt);
	git_odb_object_free(obj);
	return error;
}

static int brec_cmp(const void *a, const void *b)
{
	const struct brec *x = a, *y = b;
	int c;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if ((c = git_oid_cmp(&x->oid, &y->oid)) != 0)
		return c;
	if (x->commit != y->commit)
		return x->commit < y->commit ? -1 : 1;
	return x->change < y->change ? -1 : x->change > y->change;
}

#define PACK_ORDER_MIN 256 /* fewer blobs (a push) are read by id */

/*
 * Sort a batch in pack order (a big scan: `order`, or many blobs) and
 * find its distinct blobs.  On the walk's thread, before any reader
 * thread starts: the pack indexes are mapped here the first time.
 */
static void batch_prepare(struct shared *sh, struct batch *b, bool order)
{
	const struct emb_packorder *po;
	size_t i;

	order = order || b->nr >= PACK_ORDER_MIN;
	po = order ? packorder(sh) : NULL;
	for (i = 0; i < b->nr; i++)
		b->r[i].key = order ? emb_packorder_key(po, &b->r[i].oid) : 0;
	if (b->nr > 1)
		qsort(b->r, b->nr, sizeof(*b->r), brec_cmp);
	b->groups = emb_xrealloc(b->groups, (b->nr + 1) * sizeof(size_t));
	b->ngroups = 0;
	for (i = 0; i < b->nr; i++)
		if (!i || !git_oid_equal(&b->r[i].oid, &b->r[i - 1].oid))
			b->groups[b->ngroups++] = i;
	b->groups[b->ngroups] = b->nr;
	atomic_init(&b->next, 0);
}

#define CLAIM 16 /* blobs claimed at a time: neighbours stay together */

/* Read the blobs of a prepared batch until none is left to claim. */
static int read_groups(struct worker *w, struct batch *b)
{
	struct shared *sh = w->sh;

	for (;;) {
		size_t g = atomic_fetch_add(&b->next, CLAIM), end, k;
		int error;

		if (g >= b->ngroups)
			return 0;
		end = g + CLAIM < b->ngroups ? g + CLAIM : b->ngroups;
		for (k = g; k < end; k++) {
			if (atomic_load(&sh->stop))
				return 0;
			if (past_deadline(sh))
				return timeout();
			error = scan_blob(w, b, &b->r[b->groups[k]],
					  b->groups[k + 1] - b->groups[k]);
			if (error < 0)
				return error;
		}
	}
}

static int scan_path(struct worker *w, struct ctx *cx, const struct change *c)
{
	size_t i, len = strlen(c->path);
	int error;

	if (c->new_from == NO_NEW)
		return 0;
	if ((error = emb_match(w->mctx, c->path, len, &w->hits)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		return match_failed(
			error, "path '%s' in commit %s", c->path,
			git_oid_tostr(hex, sizeof(hex), cx->commit));
	}
	for (i = 0; i < w->hits.n; i++) {
		/* only a hit in the part of the path that is new counts */
		if (w->hits.v[i].end <= c->new_from)
			continue;
		add_finding(w, cx, EMB_KIND_PATH, &w->hits.v[i], c->path, len,
			    NULL, c->path, false);
	}
	return 0;
}

/* A commit that changes the paths a fix changed: the same patch? */
static int fix_patch_id(struct worker *w, const git_oid *commit, uint64_t seq,
			const git_oid *parent_tree, const git_oid *tree)
{
	const struct emb_entry *e;
	const git_oid *fix;
	char ev[128], hex[GIT_OID_HEXSZ + 1];
	git_oid pid;
	int error = emb_fix_patch_id(&pid, NULL, w->repo, parent_tree, tree);

	if (error)
		return error < 0 ? error : 0;
	if (!(e = emb_fixset_patch_id(w->sh->fixes, &pid, &fix)))
		return 0;
	if (fix)
		snprintf(ev, sizeof(ev), "same patch as %s",
			 git_oid_tostr(hex, sizeof(hex), fix));
	else
		snprintf(ev, sizeof(ev), "same patch as the fix (patch-id %s)",
			 git_oid_tostr(hex, sizeof(hex), &pid));
	emb_fix_finding(&w->findings, w->repo, e, commit, seq, 1, ev, NULL, 0,
			NULL);
	return 0;
}

/*
 * The same path set as a fix's: the patch-id now, or after the blob
 * pass, and then only when the commit's files hold fingerprint lines.
 */
static int fix_paths(struct worker *w, struct ctx *cx, const struct diff *d,
		     const git_oid *parent_tree, const git_oid *tree)
{
	int need = emb_fixset_pathset(
		w->sh->fixes, emb_fix_pathset_final(d->pathset, d->npaths));

	if (need == 1 && w->sh->fixtally) {
		emb_fixtally_defer_patch(w->sh->fixtally, cx->commit, cx->seq,
					 parent_tree, tree);
		return 0;
	}
	return need ? fix_patch_id(w, cx->commit, cx->seq, parent_tree, tree) :
		      0;
}

/* After the blob pass: the deferred patch-ids that may match. */
static int fix_patches(struct worker *w)
{
	const struct emb_fixtally *t = w->sh->fixtally;
	size_t i, n = emb_fixtally_npatches(t);
	int error = 0;

	for (i = 0; i < n && !error; i++) {
		const struct emb_fixpatch *p = emb_fixtally_patch(t, i);

		if (emb_fixtally_commit_adds(t, &p->commit))
			error = fix_patch_id(w, &p->commit, p->seq,
					     p->root ? NULL : &p->parent_tree,
					     &p->tree);
	}
	return error;
}

/*
 * The diff part of a commit: its tree against its parents' trees.  New
 * paths are matched here; new blobs go to the batch.
 */
static int scan_changes(struct worker *w, struct ctx *cx,
			const git_oid *tree_id, const git_oid *parent_ids,
			size_t np, struct batch *b)
{
	git_oid small[8], *parents = small;
	struct emb_buf path = EMB_BUF_INIT;
	struct diff d = { 0 };
	uint64_t pos = cx->pos;
	size_t i, k;
	int error;

	if (np > 8)
		parents = emb_xcalloc(np, sizeof(git_oid));
	error = parent_trees(w, cx->commit, parent_ids, np, parents);
	if (!error)
		error = diff_trees(w, np ? &parents[0] : NULL, tree_id, &path,
				   NO_NEW, &d, 0);
	if (!error && np <= 1 && emb_fixset_wants_patch_ids(w->sh->fixes))
		error = fix_paths(w, cx, &d, np ? &parents[0] : NULL, tree_id);

	for (i = 0; i < d.n && !error; i++) {
		struct change *c = &d.c[i];
		bool from_parent = false;

		/* a merge: what another parent already had is not new */
		for (k = 1; k < np && !from_parent && !error; k++) {
			git_oid oid;
			unsigned mode;

			error = tree_bypath(w, &parents[k], c->path, &oid,
					    &mode);
			if (error > 0) {
				from_parent = git_oid_equal(&oid, &c->oid);
				c->new_from = NO_NEW;
				error = 0;
			}
		}
		if (from_parent || error < 0)
			continue;
		cx->pos = change_pos(pos, i, false);
		if ((error = scan_path(w, cx, c)) < 0)
			break;
		if (emb_mode_is_blob(c->mode))
			batch_add(b, cx, tree_id, parent_ids, np, pos, i, c);
	}
	cx->pos = pos;
	if (parents != small)
		free(parents);
	diff_release(&d);
	emb_buf_release(&path);
	return error;
}

/*
 * Findings sort by this key: refs first (by their number), then commits
 * newest first (committer time), whatever the walk order or the number
 * of threads.  Ties are broken by commit id when sorting.
 */
static uint64_t time_seq(int64_t t)
{
	const int64_t span = (int64_t)1 << 40;

	if (t < 0)
		t = 0;
	if (t >= span)
		t = span - 1;
	return ((uint64_t)1 << 62) + (uint64_t)(span - 1 - t);
}

uint64_t emb_scan_commit_seq(int64_t commit_time)
{
	return time_seq(commit_time);
}

/* Does a finding from `from` on already name `entry`? */
static bool found_since(const struct worker *w, size_t from,
			const struct emb_entry *entry)
{
	for (; from < w->findings.n; from++)
		if (w->findings.v[from].entry == entry)
			return true;
	return false;
}

/*
 * The message as `git log` shows it when an `encoding` header names
 * something other than UTF-8 (ISO-2022-JP, ...): git converts it, and an
 * identifier written in that encoding appears.  Entries the raw message
 * (its findings from `from` on) already names are not reported again.
 */
static int scan_reencoded(struct worker *w, struct ctx *cx,
			  const struct rcommit *c, size_t from)
{
	const char *p = c->f.head, *end = c->f.head + c->f.head_len, *eol;
	struct emb_buf text = EMB_BUF_INIT;
	size_t i;
	int error = 0;

	for (; p < end; p = eol + 1) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		eol = nl ? nl : end;
		if (eol - p > 9 && !memcmp(p, "encoding ", 9))
			break; /* git reads the first one */
	}
	if (p >= end || !emb_text_reencode(&text, c->f.msg, c->f.msg_len, p + 9,
					   (size_t)(eol - p - 9)))
		goto done;
	if ((error = emb_match(w->mctx, text.ptr, text.size, &w->hits)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		error = match_failed(error, "message of %s",
				     git_oid_tostr(hex, sizeof(hex), &c->oid));
		goto done;
	}
	for (i = 0; i < w->hits.n; i++)
		if (!found_since(w, from, w->hits.v[i].entry))
			add_finding(w, cx, EMB_KIND_MESSAGE, &w->hits.v[i],
				    text.ptr, text.size, NULL, NULL, true);
done:
	emb_buf_release(&text);
	return error;
}

/* Message, identities and notes: what needs the commit object itself. */
static int scan_commit_meta(struct worker *w, struct ctx *cx,
			    const struct rcommit *c)
{
	const struct field fields[] = {
		{ c->f.author, c->f.author_len, EMB_KIND_AUTHOR, false },
		/* the same identity twice is reported once */
		{ c->f.committer, c->f.committer_len, EMB_KIND_COMMITTER,
		  c->f.committer_len == c->f.author_len &&
			  !memcmp(c->f.committer, c->f.author,
				  c->f.author_len) },
	};
	size_t from = w->findings.n;
	int error;

	if ((error = scan_text(w, cx, EMB_KIND_MESSAGE, c->f.msg, c->f.msg_len,
			       NULL, true)) < 0 ||
	    (error = scan_reencoded(w, cx, c, from)) < 0 ||
	    (error = scan_header(w, cx, git_odb_object_data(c->obj), c->f.head,
				 c->f.head_len, fields, 2, NULL)) < 0)
		return error;
	if (w->sh->notes.n)
		error = scan_notes(w, cx, &c->oid);
	return error;
}

/* --- refs and tags --- */

static enum emb_kind ref_kind(const char *name)
{
	return !strncmp(name, "refs/tags/", 10) ? EMB_KIND_TAG : EMB_KIND_REF;
}

static int scan_ref(struct worker *w, const struct emb_range_ref *ref,
		    uint64_t seq)
{
	struct ctx cx = { seq, 0, NULL, NULL, NULL, NULL };
	const char *shortname = ref->name;
	git_oid target;
	int error;

	if (!strncmp(shortname, "refs/tags/", 10))
		shortname += 10;
	w->stats.refs++;
	if ((error = scan_text(w, &cx, ref_kind(ref->name), ref->name,
			       strlen(ref->name), ref->name, false)) < 0)
		return error;

	/*
	 * An annotated tag, or a chain of them to any depth (each one
	 * read is an object the push sends): name, tagger, other headers,
	 * message.
	 */
	git_oid_cpy(&target, &ref->target);
	for (;;) {
		git_odb_object *obj;
		struct emb_tag_fields t;
		char hex[GIT_OID_HEXSZ + 1];

		if (past_deadline(w->sh))
			return timeout();
		if (odb_read(&obj, w, &target) < 0) {
			emb_error_set_git(
				"cannot read %s (of '%s')",
				git_oid_tostr(hex, sizeof(hex), &target),
				ref->name);
			return EMB_EREPO;
		}
		if (git_odb_object_type(obj) != GIT_OBJECT_TAG) {
			git_odb_object_free(obj);
			return 0;
		}
		if (emb_tag_parse(&t, git_odb_object_data(obj),
				  git_odb_object_size(obj)) < 0) {
			git_odb_object_free(obj);
			emb_error_set("corrupt tag %s (of '%s')",
				      git_oid_tostr(hex, sizeof(hex), &target),
				      ref->name);
			return EMB_EREPO;
		}
		{
			const struct field fields[] = {
				/* a name that is the ref's was scanned */
				{ t.name, t.name_len, EMB_KIND_TAG,
				  t.name_len == strlen(shortname) &&
					  !memcmp(t.name, shortname,
						  t.name_len) },
				{ t.tagger, t.tagger_len, EMB_KIND_TAG, false },
			};

			cx.commit = git_odb_object_id(obj);
			error = scan_header(w, &cx, git_odb_object_data(obj),
					    t.head, t.head_len, fields, 2,
					    ref->name);
			if (!error && t.msg_len)
				error = scan_text(w, &cx, EMB_KIND_TAG, t.msg,
						  t.msg_len, ref->name, true);
		}
		git_oid_cpy(&target, &t.target);
		git_odb_object_free(obj);
		if (error < 0)
			return error;
	}
}

int emb_scan_refname(const struct emb_matcher *m, const char *name,
		     uint64_t seq, struct emb_findings *out)
{
	struct worker w = { 0 };
	struct ctx cx = { seq, 0, NULL, NULL, NULL, NULL };
	int error;

	if ((error = emb_match_ctx_new(&w.mctx, m)) < 0)
		return error;
	error = scan_text(&w, &cx, ref_kind(name), name, strlen(name), name,
			  false);
	emb_findings_move(out, &w.findings);
	emb_hits_release(&w.hits);
	emb_match_ctx_free(w.mctx);
	return error;
}

/* --- workers --- */

/*
 * Read the current batch with whoever else does (called and returning
 * with sh->mu held).  The last one to leave it frees it.
 */
static int help(struct shared *sh, struct worker *w)
{
	struct batch *b = sh->current;
	int error;

	sh->helpers++;
	pthread_mutex_unlock(&sh->mu);
	error = read_groups(w, b);
	pthread_mutex_lock(&sh->mu);
	if (error < 0)
		fail_locked(sh, error);
	if (--sh->helpers == 0) {
		batch_free(b);
		sh->current = NULL;
		pthread_cond_broadcast(&sh->cv);
	}
	return error;
}

static void *reader_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	uint64_t seen = 0;

	pthread_mutex_lock(&sh->mu);
	for (;;) {
		while ((!sh->current || sh->serial == seen) && !sh->closed &&
		       !atomic_load(&sh->stop))
			pthread_cond_wait(&sh->cv, &sh->mu);
		if (atomic_load(&sh->stop) || !sh->current ||
		    sh->serial == seen)
			break;
		seen = sh->serial;
		if (help(sh, w) < 0)
			break;
	}
	pthread_mutex_unlock(&sh->mu);
	return NULL;
}

static int worker_init(struct worker *w, struct shared *sh, bool own_repo)
{
	w->sh = sh;
	w->odb = sh->odb;
	w->repo = sh->repo;
	if (own_repo) {
		git_odb *odb = NULL;

		/* its own packs: no lock or cache shared with the walk */
		if (emb_packorder_odb(&odb, sh->po) == 0)
			w->odb = odb;
		if (git_repository_wrap_odb(&w->repo, w->odb) < 0) {
			emb_error_set_git("cannot open the object database");
			git_odb_free(odb);
			w->odb = NULL;
			w->repo = NULL;
			return EMB_EREPO;
		}
		w->own_repo = true;
	}
	return emb_match_ctx_new(&w->mctx, sh->m);
}

static void worker_finish(struct worker *w)
{
	struct shared *sh = w->sh;
	size_t i;

	pthread_mutex_lock(&sh->mu);
	emb_findings_move(&sh->findings, &w->findings);
	sh->stats.commits += w->stats.commits;
	sh->stats.blobs += w->stats.blobs;
	sh->stats.blobs_binary += w->stats.blobs_binary;
	sh->stats.blobs_decoded += w->stats.blobs_decoded;
	sh->stats.blobs_large += w->stats.blobs_large;
	sh->stats.blobs_unscanned += w->stats.blobs_unscanned;
	sh->stats.blobs_missing += w->stats.blobs_missing;
	sh->stats.refs += w->stats.refs;
	pthread_mutex_unlock(&sh->mu);
	emb_hits_release(&w->hits);
	emb_fixhits_release(&w->fixhits);
	emb_hits_release(&w->run_hits);
	for (i = 0; i < OLD_CACHE; i++)
		emb_lineset_release(&w->old[i].set);
	emb_lineset_release(&w->same);
	emb_match_ctx_free(w->mctx);
	emb_findings_release(&w->findings);
	stash_free(w);
	tcache_free(w);
	if (w->own_repo)
		git_repository_free(w->repo);
	if (w->odb != sh->odb)
		git_odb_free(w->odb);
}

/*
 * Two threads (the walk and trees; the blobs and notes) unless asked
 * for one or the machine has one core.  Readers that share one object
 * database do not pay: libgit2 1.5.1 locks each pack's reader and shares
 * its delta-base cache (bench/run.sh measured two diff workers over one
 * database at 34.1 s against 34.9 s for one on git's history), so the
 * second thread opens its own.
 */
static bool two_threads(const struct emb_scan_opts *o)
{
	if (o->threads == 1)
		return false;
	return o->threads >= 2 || sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

static void free_notes(struct emb_map *map)
{
	size_t i;

	for (i = 0; i < map->cap; i++) {
		struct notes_of *no = map->slots[i].value;

		if (map->slots[i].key && no) {
			free(no->blobs);
			free(no);
		}
	}
	emb_map_release(map);
}

/*
 * The batch being filled is read: by the reader thread (started with
 * the first full batch, so that a small scan never starts one) and by
 * the walk while the one before is still being read, or here alone.
 * `last`: the walk is over; this thread helps with the last batch.
 */
static int ship(struct shared *sh, struct worker *self, struct worker *reader,
		bool last)
{
	struct batch *b = sh->filling;
	int error = 0;

	if (!b->nr)
		return 0;
	batch_prepare(sh, b, sh->parallel && (sh->reader_started || !last));
	if (sh->parallel && !sh->reader_started && !last) {
		if ((error = worker_init(reader, sh, true)) < 0)
			return error;
		if (pthread_create(&reader->thread, NULL, reader_main,
				   reader) == 0)
			sh->reader_started = true;
		else
			sh->parallel = false; /* read them here */
	}
	if (!sh->reader_started) {
		error = read_groups(self, b);
		batch_clear(b);
		return error;
	}

	pthread_mutex_lock(&sh->mu);
	while (sh->current && !atomic_load(&sh->stop)) {
		if (sh->walker_seen != sh->serial) {
			sh->walker_seen = sh->serial;
			help(sh, self);
		} else {
			pthread_cond_wait(&sh->cv, &sh->mu);
		}
	}
	if (!atomic_load(&sh->stop)) {
		sh->current = b;
		sh->serial++;
		sh->filling = batch_new();
		pthread_cond_broadcast(&sh->cv);
		if (last) {
			sh->walker_seen = sh->serial;
			help(sh, self);
		}
	}
	if (atomic_load(&sh->stop))
		error = sh->error ? sh->error : EMB_ERROR;
	pthread_mutex_unlock(&sh->mu);
	return error;
}

/*
 * One commit seen by the walk: its metadata is scanned here, its diff
 * queued.  `shallow` commits are roots: their parents are not here.
 */
static int visit(struct shared *sh, struct worker *self,
		 const struct rcommit *c, bool root)
{
	struct ctx cx = { 0 };
	int error;

	if (past_deadline(sh))
		return timeout();
	self->stats.commits++;
	if (sh->opts->progress &&
	    self->stats.commits % EMB_SCAN_PROGRESS_EVERY == 0)
		sh->opts->progress(sh->opts->progress_payload,
				   self->stats.commits);
	cx.seq = time_seq(c->f.time);
	cx.commit = &c->oid;
	cx.repo = self->repo;
	error = scan_commit_meta(self, &cx, c);
	if (!error && emb_fixset_commit(sh->fixes, &c->oid))
		emb_fix_finding(&self->findings, self->repo,
				emb_fixset_commit(sh->fixes, &c->oid), &c->oid,
				cx.seq, 0, "fix commit", NULL, 0, NULL);
	if (!error && sh->opts->diffs)
		error = scan_changes(self, &cx, &c->f.tree, c->f.parents,
				     root ? 0 : c->f.np, sh->filling);
	git_commit_free(cx.obj);
	if (!error && sh->opts->diffs && sh->filling->nr >= sh->batch_size)
		error = ship(sh, self, sh->reader, false);
	return error;
}

/* $GIT_DIR/shallow: the commits whose parents this clone does not have. */
static int load_shallow(struct emb_oidset *set, git_repository *repo)
{
	struct emb_buf path = EMB_BUF_INIT;
	char line[128];
	FILE *f;

	if (!git_repository_is_shallow(repo))
		return 0;
	emb_buf_printf(&path, "%sshallow", git_repository_commondir(repo));
	f = fopen(path.ptr, "r");
	emb_buf_release(&path);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		git_oid oid;

		line[strcspn(line, "\r\n")] = '\0';
		if (git_oid_fromstr(&oid, line) == 0)
			emb_oidset_add(set, &oid);
	}
	fclose(f);
	return 0;
}

/* A commit for the walk: read ahead by the diff of a child, or now. */
static int lookup_commit(struct rcommit **out, struct worker *w,
			 const git_oid *oid)
{
	if ((*out = stash_take(w, oid)) != NULL)
		return 0;
	return read_commit(out, w, oid);
}

/*
 * Walk everything reachable from the pushed tips, reading each commit
 * once: its parent ids come with the parsed commit.  libgit2's revwalk
 * reads every commit to walk it and the scan would read it again.
 */
static int walk_all(struct shared *sh, struct worker *self,
		    const struct emb_range *range)
{
	struct emb_oidset *seen = &sh->seen, shallow = EMB_OIDSET_INIT;
	git_oid *stack = NULL;
	size_t n = 0, alloc = 0, i;
	int error = 0;

	load_shallow(&shallow, sh->repo);
	for (i = 0; i < range->npush; i++) {
		git_object *obj = NULL, *peeled = NULL;

		if (git_object_lookup(&obj, sh->repo, &range->push[i],
				      GIT_OBJECT_ANY) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			emb_error_set_git("cannot read %s",
					  git_oid_tostr(hex, sizeof(hex),
							&range->push[i]));
			error = EMB_EREPO;
			break;
		}
		if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0 &&
		    emb_oidset_add(seen, git_object_id(peeled))) {
			if (n == alloc) {
				alloc = alloc ? alloc * 2 : 64;
				stack = emb_xrealloc(stack,
						     alloc * sizeof(*stack));
			}
			git_oid_cpy(&stack[n++], git_object_id(peeled));
		}
		git_error_clear();
		git_object_free(peeled);
		git_object_free(obj);
	}
	while (!error && n > 0 && !atomic_load(&sh->stop)) {
		git_oid oid = stack[--n];
		struct rcommit *commit;
		bool root;

		if ((error = lookup_commit(&commit, self, &oid)) < 0)
			break;
		root = emb_oidset_has(&shallow, &oid);
		for (i = 0; !root && i < commit->f.np; i++) {
			const git_oid *p = &commit->f.parents[i];

			if (!emb_oidset_add(seen, p))
				continue;
			if (n == alloc) {
				alloc = alloc ? alloc * 2 : 64;
				stack = emb_xrealloc(stack,
						     alloc * sizeof(*stack));
			}
			git_oid_cpy(&stack[n++], p);
		}
		error = visit(sh, self, commit, root);
		rcommit_free(commit);
	}
	free(stack);
	emb_oidset_release(&shallow);
	return error;
}

/* A range with hides: libgit2's revwalk computes the difference. */
static int walk_range(struct shared *sh, struct worker *self,
		      const struct emb_range *range)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	int error, gerr;

	if ((error = emb_walk_new(&walk, sh->repo, range)) < 0)
		return error;
	while ((gerr = git_revwalk_next(&oid, walk)) == 0 &&
	       !atomic_load(&sh->stop)) {
		struct rcommit *commit;

		if ((error = lookup_commit(&commit, self, &oid)) < 0)
			break;
		error = visit(sh, self, commit, false);
		rcommit_free(commit);
		if (error < 0)
			break;
	}
	if (!error && gerr != GIT_ITEROVER && !atomic_load(&sh->stop)) {
		if (git_repository_is_shallow(sh->repo))
			emb_error_set_git("history is incomplete: the "
					  "repository is shallow ('git fetch "
					  "--unshallow' first)");
		else
			emb_error_set_git("cannot walk history");
		error = EMB_EREPO;
	}
	git_revwalk_free(walk);
	return error;
}

int emb_scan_range(git_repository *repo, const struct emb_matcher *m,
		   const struct emb_range *range,
		   const struct emb_scan_opts *opts, struct emb_findings *out,
		   struct emb_scan_stats *stats)
{
	struct shared sh;
	struct worker self = { 0 }, reader = { 0 }, notes = { 0 };
	bool notes_started = false;
	size_t i;
	int error;

	memset(&sh, 0, sizeof(sh));
	sh.repo = repo;
	sh.m = m;
	sh.opts = opts;
	sh.batch_size = opts->batch ? opts->batch : BATCH_BLOBS;
	sh.shallow = git_repository_is_shallow(repo) == 1;
	sh.partial = is_partial_clone(repo);
	sh.parallel = opts->diffs && two_threads(opts);
	sh.reader = &reader;
	sh.fixes = emb_matcher_fixes(m);
	if (opts->diffs)
		sh.fixtally = emb_fixtally_new(sh.fixes);
	pthread_mutex_init(&sh.mu, NULL);
	pthread_cond_init(&sh.cv, NULL);
	atomic_init(&sh.stop, 0);

	if (git_repository_odb(&sh.odb, repo) < 0) {
		emb_error_set_git("cannot open the object database");
		error = EMB_EREPO;
		goto done;
	}
	if ((!opts->no_notes && (error = notes_roots(&sh)) < 0) ||
	    (error = worker_init(&self, &sh, false)) < 0)
		goto done;
	if (opts->diffs)
		sh.filling = batch_new();

	/* notes: all of them in one pass (on a thread), or those of a range */
	if (sh.nnote_roots && range->nhide) {
		error = load_notes(&self);
	} else if (sh.nnote_roots && two_threads(opts)) {
		sh.po = emb_packorder_new(repo);
		if ((error = worker_init(&notes, &sh, true)) == 0 &&
		    pthread_create(&notes.thread, NULL, notes_main, &notes) ==
			    0)
			notes_started = true;
		else if (!error)
			error = notes_pass(&self);
	} else if (sh.nnote_roots) {
		sh.po = emb_packorder_new(repo);
		error = notes_pass(&self);
	}
	if (error < 0)
		goto done;

	/* refs: few, scanned first, numbered in order */
	for (i = 0; i < range->nrefs && !error; i++)
		error = scan_ref(&self, &range->refs[i], i);
	if (error < 0)
		goto done;

	error = range->nhide ? walk_range(&sh, &self, range) :
			       walk_all(&sh, &self, range);
	if (!error && !atomic_load(&sh.stop) && opts->diffs)
		error = ship(&sh, &self, &reader, true);

	if (sh.reader_started) {
		if (error < 0)
			fail(&sh, error);
		pthread_mutex_lock(&sh.mu);
		sh.closed = true;
		pthread_cond_broadcast(&sh.cv);
		pthread_mutex_unlock(&sh.mu);
		pthread_join(reader.thread, NULL);
	}
	if (notes_started) {
		if (error < 0)
			fail(&sh, error);
		pthread_join(notes.thread, NULL);
		notes_started = false;
	}
	if (sh.error) {
		error = sh.error;
		emb_error_set("%s", sh.message);
	}
	if (!error)
		error = report_note_hits(&self);
	if (!error && sh.fixtally)
		error = fix_lines(&self);
	if (!error && sh.fixtally)
		error = fix_patches(&self);
	if (!error)
		emb_fixtally_findings(sh.fixtally, repo, opts->fix_together,
				      &self.findings);

done:
	if (notes_started) { /* a failure before the walk */
		fail(&sh, error);
		pthread_join(notes.thread, NULL);
	}
	if (notes.sh)
		worker_finish(&notes);
	if (reader.sh)
		worker_finish(&reader);
	if (self.sh)
		worker_finish(&self);
	batch_free(sh.filling);
	batch_free(sh.current); /* after a failure */
	emb_packorder_free(sh.po);
	free_notes(&sh.notes);
	free(sh.note_roots);
	free(sh.note_hits.v);
	emb_oidset_release(&sh.seen);
	emb_fixtally_free(sh.fixtally);
	git_odb_free(sh.odb);
	emb_findings_sort(&sh.findings);
	if (sh.fixes)
		emb_fix_findings_dedupe(&sh.findings);
	/* after a failure too: what was found is kept (the caller knows
	 * from the error that it is not everything) */
	emb_findings_move(out, &sh.findings);
	emb_findings_release(&sh.findings);
	if (stats)
		*stats = sh.stats;
	pthread_mutex_destroy(&sh.mu);
	pthread_cond_destroy(&sh.cv);
	return error;
}
