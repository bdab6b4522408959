/*
 * scan.c - the scanner: refs, commits, notes, paths and added lines.
 *
 * The calling thread walks the range, scans each commit's metadata and
 * compares its tree with its parents' (identical subtrees are never
 * opened).  The new blobs that comparison finds are collected in
 * batches of a bounded size, so memory does not grow with the length
 * of history; each batch is sorted by pack offset and read on a second
 * thread, each distinct blob once: reading in pack order is several
 * times faster than in history order (delta bases are read before
 * their deltas and stay cached).  Each blob is matched whole, and only
 * a blob that has a hit is compared, line by line, with its previous
 * versions.  No patch is generated (libgit2's patch generation is
 * 2.5-3.3x slower than `git log -p`).  Each thread has its own match
 * context and list of findings; the lists are merged and sorted at the
 * end.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/map.h"
#include "embargo/oidset.h"
#include "embargo/packorder.h"
#include "embargo/scan.h"

#define BINARY_PROBE 8000 /* as git: a NUL in the first 8000 bytes */
#define BATCH_BLOBS 32768 /* new blobs per batch: about 3 MB */
#define NO_NEW ((size_t)-1)

struct notes_of {
	git_oid *blobs;
	size_t n;
};

/* A commit with new blobs in a batch: what its findings need. */
struct bcommit {
	git_oid oid, tree;
	git_oid *parents;
	size_t np;
	uint64_t seq, pos;
	char *subject;
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
};

struct shared {
	git_repository *repo;
	git_odb *odb;
	const struct emb_matcher *m;
	const struct emb_scan_opts *opts;
	struct emb_map notes; /* commit id -> struct notes_of */
	struct emb_packorder *po;
	size_t batch_size;

	/* the walk fills `filling`; the reader takes `handoff` */
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	struct batch *filling, *handoff;
	struct worker *reader;
	bool parallel, reader_started, closed;

	atomic_int stop;
	int error;
	char message[1024];

	struct emb_scan_stats stats;
	struct emb_findings findings;
};

struct worker {
	struct shared *sh;
	git_repository *repo;
	git_odb *odb; /* the reader's own, or the shared one */
	struct emb_match_ctx *mctx;
	struct emb_hits hits;
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
};

static void fail(struct shared *sh, int error)
{
	pthread_mutex_lock(&sh->mu);
	if (!sh->error) {
		sh->error = error;
		snprintf(sh->message, sizeof(sh->message), "%s",
			 emb_error_last());
	}
	atomic_store(&sh->stop, 1);
	pthread_cond_broadcast(&sh->not_empty);
	pthread_cond_broadcast(&sh->not_full);
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

/* Replace bytes that are not UTF-8 with U+FFFD, for every output. */
static char *utf8_clean(const char *s, size_t len)
{
	struct emb_buf out = EMB_BUF_INIT;
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 :
				      (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		size_t k;
		bool ok = n > 0 && i + n <= len;

		for (k = 1; ok && k < n; k++)
			ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
		if (ok && n == 2 && c < 0xC2)
			ok = false;
		if (ok) {
			emb_buf_put(&out, s + i, n);
			i += n;
		} else {
			emb_buf_puts(&out, "\xEF\xBF\xBD");
			i++;
		}
	}
	return emb_buf_detach(&out);
}

static void add_finding(struct worker *w, struct ctx *cx, enum emb_kind kind,
			const struct emb_hit *hit, const char *text,
			size_t len, const char *ref, const char *path,
			bool with_line)
{
	struct emb_finding f = { 0 };
	char *excerpt;
	size_t line = 0;

	f.entry = hit->entry;
	f.kind = kind;
	f.how = hit->how;
	f.match = utf8_clean(text + hit->start, hit->end - hit->start);
	if (cx->commit) {
		f.has_commit = true;
		git_oid_cpy(&f.commit, cx->commit);
	}
	f.subject = cx->subject ? utf8_clean(cx->subject, strlen(cx->subject)) :
				  NULL;
	f.ref = ref ? emb_xstrdup(ref) : NULL;
	f.path = path ? utf8_clean(path, strlen(path)) : NULL;
	excerpt = emb_excerpt(text, len, hit->start, hit->end, &line);
	f.excerpt = utf8_clean(excerpt, strlen(excerpt));
	free(excerpt);
	f.line = with_line ? line : 0;
	f.seq = cx->seq;
	f.pos = cx->pos++;
	emb_findings_add(&w->findings, &f);
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
			return match_failed(error, "%s of %s",
					    emb_kind_name(kind),
					    git_oid_tostr(hex, sizeof(hex),
							  cx->commit));
		return match_failed(error, "%s", ref ? ref : "text");
	}
	for (i = 0; i < w->hits.n; i++)
		add_finding(w, cx, kind, &w->hits.v[i], text, len, ref, NULL,
			    with_line);
	return 0;
}

static int scan_signature(struct worker *w, struct ctx *cx, enum emb_kind kind,
			  const git_signature *sig)
{
	struct emb_buf b = EMB_BUF_INIT;
	int error;

	if (!sig)
		return 0;
	emb_buf_printf(&b, "%s <%s>", sig->name ? sig->name : "",
		       sig->email ? sig->email : "");
	error = scan_text(w, cx, kind, b.ptr, b.size, NULL, false);
	emb_buf_release(&b);
	return error;
}

/* --- notes --- */

static int collect_note(const git_oid *blob, const git_oid *annotated,
			void *payload)
{
	struct emb_map *map = payload;
	struct notes_of *no = emb_map_get(map, annotated->id, GIT_OID_RAWSZ);

	if (!no) {
		no = emb_xcalloc(1, sizeof(*no));
		emb_map_put(map, annotated->id, GIT_OID_RAWSZ, no);
	}
	no->blobs = emb_xrealloc(no->blobs, (no->n + 1) * sizeof(git_oid));
	git_oid_cpy(&no->blobs[no->n++], blob);
	return 0;
}

/* Index every notes ref: annotated commit -> note blobs. */
static int load_notes(struct shared *sh)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int error;

	if (git_reference_iterator_glob_new(&it, sh->repo, "refs/notes/*") < 0)
		return 0;
	while ((error = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);

		if (git_note_foreach(sh->repo, name, collect_note,
				     &sh->notes) < 0) {
			emb_error_set_git("cannot read notes '%s'", name);
			git_reference_free(ref);
			git_reference_iterator_free(it);
			return EMB_EREPO;
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	return 0;
}

static int scan_notes(struct worker *w, struct ctx *cx, const git_oid *commit)
{
	struct notes_of *no = emb_map_get(&w->sh->notes, commit->id,
					  GIT_OID_RAWSZ);
	size_t i;
	int error = 0;

	for (i = 0; no && i < no->n && !error; i++) {
		git_blob *blob;

		if (git_blob_lookup(&blob, w->repo, &no->blobs[i]) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			emb_error_set_git("cannot read note %s",
					  git_oid_tostr(hex, sizeof(hex),
							&no->blobs[i]));
			return EMB_EREPO;
		}
		error = scan_text(w, cx, EMB_KIND_NOTE,
				  git_blob_rawcontent(blob),
				  (size_t)git_blob_rawsize(blob), NULL, true);
		git_blob_free(blob);
	}
	return error;
}

/* --- tree comparison --- */

/* git's tree order: a tree's name sorts as if it ended in '/'. */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), l = la < lb ? la : lb;
	int c = memcmp(na, nb, l);
	unsigned ca, cb;

	if (c)
		return c;
	ca = la > l ? (unsigned char)na[l] :
	     git_tree_entry_type(a) == GIT_OBJECT_TREE ? '/' : 0;
	cb = lb > l ? (unsigned char)nb[l] :
	     git_tree_entry_type(b) == GIT_OBJECT_TREE ? '/' : 0;
	return (int)ca - (int)cb;
}

static void diff_add(struct diff *d, const struct emb_buf *path,
		     const git_tree_entry *e, size_t new_from)
{
	struct change *c;

	if (d->n == d->alloc) {
		d->alloc = d->alloc ? d->alloc * 2 : 32;
		d->c = emb_xrealloc(d->c, d->alloc * sizeof(*d->c));
	}
	c = &d->c[d->n++];
	c->path = emb_xstrndup(path->ptr, path->size);
	git_oid_cpy(&c->oid, git_tree_entry_id(e));
	c->mode = git_tree_entry_filemode(e);
	c->new_from = new_from;
}

static void diff_removed(struct diff *d, const git_tree_entry *e)
{
	if (d->nr == d->ralloc) {
		d->ralloc = d->ralloc ? d->ralloc * 2 : 32;
		d->r = emb_xrealloc(d->r, d->ralloc * sizeof(*d->r));
	}
	git_oid_cpy(&d->r[d->nr].oid, git_tree_entry_id(e));
	d->r[d->nr].tree = git_tree_entry_type(e) == GIT_OBJECT_TREE;
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

static int lookup_tree(git_tree **out, git_repository *repo, const git_oid *id)
{
	if (git_tree_lookup(out, repo, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		emb_error_set_git("cannot read tree %s",
				  git_oid_tostr(hex, sizeof(hex), id));
		return EMB_EREPO;
	}
	return 0;
}

static int diff_trees(struct worker *w, const git_tree *old,
		      const git_tree *new, struct emb_buf *path,
		      size_t new_from, struct diff *d)
{
	size_t i = 0, j = 0, no = old ? git_tree_entrycount(old) : 0;
	size_t nn = new ? git_tree_entrycount(new) : 0;
	size_t base = path->size;
	int error = 0;

	while ((i < no || j < nn) && !error) {
		const git_tree_entry *a = i < no ? git_tree_entry_byindex(old, i) :
						   NULL;
		const git_tree_entry *b = j < nn ? git_tree_entry_byindex(new, j) :
						   NULL;
		int c = !a ? 1 : !b ? -1 : entry_cmp(a, b);
		git_tree *sa = NULL, *sb = NULL;

		if (c < 0) {
			diff_removed(d, a);
			i++;
			continue;
		}
		if (c == 0 && git_oid_equal(git_tree_entry_id(a),
					    git_tree_entry_id(b))) {
			i++;
			j++;
			continue;
		}
		path->size = base;
		if (base)
			emb_buf_putc(path, '/');
		emb_buf_puts(path, git_tree_entry_name(b));
		if (git_tree_entry_type(b) == GIT_OBJECT_TREE) {
			size_t from = c > 0 && new_from == NO_NEW ?
					      base + (base ? 1 : 0) :
					      new_from;

			error = lookup_tree(&sb, w->repo, git_tree_entry_id(b));
			if (!error && c == 0)
				error = lookup_tree(&sa, w->repo,
						    git_tree_entry_id(a));
			if (!error)
				error = diff_trees(w, sa, sb, path, from, d);
			git_tree_free(sa);
			git_tree_free(sb);
		} else if (c == 0) {
			diff_removed(d, a);
			diff_add(d, path, b, new_from);
		} else {
			diff_add(d, path, b,
				 new_from == NO_NEW ? base + (base ? 1 : 0) :
						      new_from);
		}
		if (c == 0)
			i++;
		j++;
	}
	path->size = base;
	if (path->ptr)
		path->ptr[base] = '\0';
	return error;
}

/* --- added lines --- */

static bool has_line(const char *text, size_t len, const char *line,
		     size_t llen)
{
	const char *p = text, *end = text + len;

	if (!llen)
		return true;
	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), line, llen);
		const char *after;

		if (!hit)
			return false;
		after = hit + llen;
		if ((hit == text || hit[-1] == '\n') &&
		    (after == end || *after == '\n' ||
		     (*after == '\r' && (after + 1 == end || after[1] == '\n'))))
			return true;
		p = hit + 1;
	}
	return false;
}

static int blob_has_line(struct worker *w, const git_oid *id, const char *line,
			 size_t llen, bool *found)
{
	git_blob *blob;

	if (git_blob_lookup(&blob, w->repo, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		emb_error_set_git("cannot read blob %s",
				  git_oid_tostr(hex, sizeof(hex), id));
		return EMB_EREPO;
	}
	*found = has_line(git_blob_rawcontent(blob),
			  (size_t)git_blob_rawsize(blob), line, llen);
	git_blob_free(blob);
	return 0;
}

static int tree_has_line(struct worker *w, const git_oid *tree_id,
			 const char *line, size_t llen, bool *found)
{
	git_tree *tree;
	size_t i;
	int error;

	if ((error = lookup_tree(&tree, w->repo, tree_id)) < 0)
		return error;
	for (i = 0; i < git_tree_entrycount(tree) && !*found && !error; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);

		if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
			error = tree_has_line(w, git_tree_entry_id(e), line,
					      llen, found);
		else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			error = blob_has_line(w, git_tree_entry_id(e), line,
					      llen, found);
	}
	git_tree_free(tree);
	return error;
}

/*
 * Is this line new in the commit?  Not when a parent's version of the
 * file has it, nor when a file the commit changed or removed had it (it
 * moved).  Only called for lines that reference an embargoed issue.
 */
static int line_is_new(struct worker *w, const char *path, const char *line,
		       size_t llen, git_tree **parents, size_t np,
		       const struct diff *d, bool *is_new)
{
	bool found = false;
	size_t i;
	int error = 0;

	while (llen && line[llen - 1] == '\r')
		llen--;
	for (i = 0; i < np && !found && !error; i++) {
		git_tree_entry *e = NULL;

		if (git_tree_entry_bypath(&e, parents[i], path) == 0 &&
		    git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			error = blob_has_line(w, git_tree_entry_id(e), line,
					      llen, &found);
		git_tree_entry_free(e);
	}
	for (i = 0; i < d->nr && !found && !error; i++)
		error = d->r[i].tree ?
				tree_has_line(w, &d->r[i].oid, line, llen,
					      &found) :
				blob_has_line(w, &d->r[i].oid, line, llen,
					      &found);
	*is_new = !found;
	return error;
}

/*
 * A commit's tree and its parents' trees.  The parents' commits are read
 * for their tree ids; a shallow repository may not have them.
 */
static int commit_trees(struct worker *w, const git_oid *commit,
			const git_oid *tree_id, const git_oid *parent_ids,
			size_t np, git_tree **tree, git_tree ***parents)
{
	size_t i;
	int error;

	*parents = emb_xcalloc(np ? np : 1, sizeof(**parents));
	if ((error = lookup_tree(tree, w->repo, tree_id)) < 0)
		return error;
	for (i = 0; i < np; i++) {
		git_commit *p = NULL;

		if (git_commit_lookup(&p, w->repo, &parent_ids[i]) < 0 ||
		    git_commit_tree(&(*parents)[i], p) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			git_commit_free(p);
			emb_error_set_git(
				"cannot read parent %zu of commit %s%s", i + 1,
				git_oid_tostr(hex, sizeof(hex), commit),
				git_repository_is_shallow(w->sh->repo) ?
					" (the repository is shallow: "
					"'git fetch --unshallow' first)" :
					"");
			return EMB_EREPO;
		}
		git_commit_free(p);
	}
	return 0;
}

static void free_trees(git_tree *tree, git_tree **parents, size_t np)
{
	size_t i;

	for (i = 0; parents && i < np; i++)
		git_tree_free(parents[i]);
	free(parents);
	git_tree_free(tree);
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
		free(b->c[i].subject);
	}
	for (i = 0; i < b->nr; i++)
		free(b->r[i].path);
	b->nc = b->nr = 0;
}

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	batch_clear(b);
	free(b->c);
	free(b->r);
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
		bc->subject = cx->subject ? emb_xstrdup(cx->subject) : NULL;
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
	return pos + ((uint64_t)(change + 1) << 32) + (lines ? 1u << 31 : 0);
}

/* A blob has hits: which of them are on lines new in this commit? */
static int blob_hits(struct worker *w, const struct batch *b,
		     const struct brec *r, const char *text, size_t len)
{
	const struct bcommit *bc = &b->c[r->commit];
	struct ctx cx = { bc->seq, change_pos(bc->pos, r->change, true),
			  &bc->oid, bc->subject };
	struct emb_buf path = EMB_BUF_INIT;
	git_tree *tree = NULL, **parents = NULL;
	struct diff d = { 0 };
	size_t i, line_start = (size_t)-1;
	bool line_new = false;
	int error;

	/* rare (only blobs with a hit): the commit's diff is made again */
	error = commit_trees(w, &bc->oid, &bc->tree, bc->parents, bc->np,
			     &tree, &parents);
	if (!error)
		error = diff_trees(w, bc->np ? parents[0] : NULL, tree, &path,
				   NO_NEW, &d);
	for (i = 0; i < w->hits.n && !error; i++) {
		const struct emb_hit *h = &w->hits.v[i];
		size_t ls = h->start, le = h->start;

		while (ls > 0 && text[ls - 1] != '\n')
			ls--;
		while (le < len && text[le] != '\n')
			le++;
		if (ls != line_start) {
			line_start = ls;
			error = line_is_new(w, r->path, text + ls, le - ls,
					    parents, bc->np, &d, &line_new);
		}
		if (!error && line_new)
			add_finding(w, &cx, EMB_KIND_LINE, h, text, len, NULL,
				    r->path, true);
	}
	free_trees(tree, parents, bc->np);
	diff_release(&d);
	emb_buf_release(&path);
	return error;
}

/* One distinct blob, new in the n (commit, path) pairs of `r`. */
static int scan_blob(struct worker *w, const struct batch *b,
		     const struct brec *r, size_t n)
{
	const struct emb_scan_opts *o = w->sh->opts;
	git_odb *odb = w->odb; /* the shared one if not in the reader's */
	char hex[GIT_OID_HEXSZ + 1], bhex[GIT_OID_HEXSZ + 1];
	git_odb_object *obj = NULL;
	git_object_t type;
	const char *text;
	size_t len, size, k;
	int error = 0;

	git_oid_tostr(hex, sizeof(hex), &b->c[r->commit].oid);
	if (git_odb_read_header(&size, &type, odb, &r->oid) < 0 &&
	    (odb == w->sh->odb ||
	     git_odb_read_header(&size, &type, odb = w->sh->odb, &r->oid) < 0)) {
		emb_error_set_git("cannot read blob %s ('%s' in commit %s)",
				  git_oid_tostr(bhex, sizeof(bhex), &r->oid),
				  r->path, hex);
		return EMB_EREPO;
	}
	if (size > o->max_blob_size) {
		for (k = 0; k < n; k++) {
			w->stats.blobs_large++;
			note(w->sh, "skipped '%s' in commit %.12s: %zu bytes, "
				    "over embargo.maxBlobSize",
			     r[k].path,
			     git_oid_tostr(hex, sizeof(hex),
					   &b->c[r[k].commit].oid),
			     size);
		}
		return 0;
	}
	if (git_odb_read(&obj, odb, &r->oid) < 0) {
		emb_error_set_git("cannot read '%s' in commit %s", r->path,
				  hex);
		return EMB_EREPO;
	}
	text = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	if (memchr(text, '\0', len < BINARY_PROBE ? len : BINARY_PROBE)) {
		for (k = 0; k < n; k++) {
			w->stats.blobs_binary++;
			note(w->sh, "skipped binary file '%s' in commit %.12s",
			     r[k].path,
			     git_oid_tostr(hex, sizeof(hex),
					   &b->c[r[k].commit].oid));
		}
		goto done;
	}
	w->stats.blobs += n;
	if ((error = emb_match(w->mctx, text, len, &w->hits)) < 0) {
		error = match_failed(error, "'%s' in commit %s", r->path, hex);
		goto done;
	}
	for (k = 0; k < n && w->hits.n && !error; k++)
		error = blob_hits(w, b, &r[k], text, len);
done:
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

/* Read a batch's blobs in pack order, each distinct one once. */
static int scan_batch(struct worker *w, struct batch *b)
{
	struct shared *sh = w->sh;
	size_t i, j;
	int error = 0;

	if (b->nr > 1) {
		for (i = 0; i < b->nr; i++)
			b->r[i].key = emb_packorder_key(sh->po, &b->r[i].oid);
		qsort(b->r, b->nr, sizeof(*b->r), brec_cmp);
	}
	for (i = 0; i < b->nr && !error; i = j) {
		if (atomic_load(&sh->stop))
			break;
		if (past_deadline(sh))
			return timeout();
		for (j = i + 1; j < b->nr && git_oid_equal(&b->r[j].oid,
							   &b->r[i].oid);
		     j++)
			;
		error = scan_blob(w, b, &b->r[i], j - i);
	}
	return error;
}

static int scan_path(struct worker *w, struct ctx *cx, const struct change *c)
{
	size_t i, len = strlen(c->path);
	int error;

	if (c->new_from == NO_NEW)
		return 0;
	if ((error = emb_match(w->mctx, c->path, len, &w->hits)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		return match_failed(error, "path '%s' in commit %s", c->path,
				    git_oid_tostr(hex, sizeof(hex),
						  cx->commit));
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

/*
 * The diff part of a commit: its tree against its parents' trees.  New
 * paths are matched here; new blobs go to the batch.
 */
static int scan_changes(struct worker *w, struct ctx *cx, const git_oid *tree_id,
			const git_oid *parent_ids, size_t np, struct batch *b)
{
	git_tree *tree = NULL, **parents = NULL;
	struct emb_buf path = EMB_BUF_INIT;
	struct diff d = { 0 };
	uint64_t pos = cx->pos;
	size_t i, k;
	int error;

	error = commit_trees(w, cx->commit, tree_id, parent_ids, np, &tree,
			     &parents);
	if (!error)
		error = diff_trees(w, np ? parents[0] : NULL, tree, &path,
				   NO_NEW, &d);

	for (i = 0; i < d.n && !error; i++) {
		struct change *c = &d.c[i];
		bool from_parent = false;

		/* a merge: what another parent already had is not new */
		for (k = 1; k < np && !from_parent; k++) {
			git_tree_entry *e = NULL;

			if (git_tree_entry_bypath(&e, parents[k], c->path) ==
			    0) {
				from_parent = git_oid_equal(
					git_tree_entry_id(e), &c->oid);
				c->new_from = NO_NEW;
			}
			git_tree_entry_free(e);
		}
		if (from_parent)
			continue;
		cx->pos = change_pos(pos, i, false);
		if ((error = scan_path(w, cx, c)) < 0)
			break;
		if (c->mode == GIT_FILEMODE_BLOB ||
		    c->mode == GIT_FILEMODE_BLOB_EXECUTABLE ||
		    c->mode == GIT_FILEMODE_LINK)
			batch_add(b, cx, tree_id, parent_ids, np, pos, i, c);
	}
	cx->pos = pos;
	free_trees(tree, parents, np);
	diff_release(&d);
	emb_buf_release(&path);
	return error;
}

/*
 * Findings sort by this key: refs first (by their number), then commits
 * newest first (committer time), whatever the walk order or the number
 * of threads.  Ties are broken by commit id when sorting.
 */
static uint64_t commit_seq(const git_commit *commit)
{
	int64_t t = (int64_t)git_commit_time(commit);
	const int64_t span = (int64_t)1 << 40;

	if (t < 0)
		t = 0;
	if (t >= span)
		t = span - 1;
	return ((uint64_t)1 << 62) + (uint64_t)(span - 1 - t);
}

/* Message, identities and notes: what needs the commit object itself. */
static int scan_commit_meta(struct worker *w, struct ctx *cx,
			    git_commit *commit)
{
	const git_signature *author = git_commit_author(commit);
	const git_signature *committer = git_commit_committer(commit);
	const char *msg = git_commit_message_raw(commit);
	int error;

	if ((error = scan_text(w, cx, EMB_KIND_MESSAGE, msg, strlen(msg), NULL,
			       true)) < 0 ||
	    (error = scan_signature(w, cx, EMB_KIND_AUTHOR, author)) < 0)
		return error;
	if (committer && author &&
	    (strcmp(committer->name, author->name) ||
	     strcmp(committer->email, author->email)) &&
	    (error = scan_signature(w, cx, EMB_KIND_COMMITTER, committer)) < 0)
		return error;
	if (w->sh->notes.n)
		error = scan_notes(w, cx, git_commit_id(commit));
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
	struct ctx cx = { seq, 0, NULL, NULL };
	const char *shortname = ref->name;
	git_oid target;
	int depth, error;

	if (!strncmp(shortname, "refs/tags/", 10))
		shortname += 10;
	w->stats.refs++;
	if ((error = scan_text(w, &cx, ref_kind(ref->name), ref->name,
			       strlen(ref->name), ref->name, false)) < 0)
		return error;

	/* an annotated tag (or a chain of them): name, tagger, message */
	git_oid_cpy(&target, &ref->target);
	for (depth = 0; depth < 16; depth++) {
		git_tag *tag;
		const char *msg;

		if (git_tag_lookup(&tag, w->repo, &target) < 0) {
			git_error_clear();
			break;
		}
		cx.commit = git_tag_id(tag);
		cx.subject = NULL;
		if (strcmp(git_tag_name(tag), shortname) &&
		    (error = scan_text(w, &cx, EMB_KIND_TAG, git_tag_name(tag),
				       strlen(git_tag_name(tag)), ref->name,
				       false)) < 0)
			goto tag_done;
		msg = git_tag_message(tag);
		if (msg && (error = scan_text(w, &cx, EMB_KIND_TAG, msg,
					      strlen(msg), ref->name, true)) < 0)
			goto tag_done;
		if (git_tag_tagger(tag))
			error = scan_signature(w, &cx, EMB_KIND_TAG,
					       git_tag_tagger(tag));
		git_oid_cpy(&target, git_tag_target_id(tag));
tag_done:
		git_tag_free(tag);
		if (error < 0)
			return error;
	}
	return 0;
}

int emb_scan_refname(const struct emb_matcher *m, const char *name,
		     uint64_t seq, struct emb_findings *out)
{
	struct worker w = { 0 };
	struct ctx cx = { seq, 0, NULL, NULL };
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

static void *reader_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;

	for (;;) {
		struct batch *b;
		int error;

		pthread_mutex_lock(&sh->mu);
		while (!sh->handoff && !sh->closed && !atomic_load(&sh->stop))
			pthread_cond_wait(&sh->not_empty, &sh->mu);
		if (atomic_load(&sh->stop) || !sh->handoff) {
			pthread_mutex_unlock(&sh->mu);
			break;
		}
		b = sh->handoff;
		sh->handoff = NULL;
		pthread_cond_signal(&sh->not_full);
		pthread_mutex_unlock(&sh->mu);

		error = scan_batch(w, b);
		batch_free(b);
		if (error < 0) {
			fail(sh, error);
			break;
		}
	}
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

	pthread_mutex_lock(&sh->mu);
	emb_findings_move(&sh->findings, &w->findings);
	sh->stats.commits += w->stats.commits;
	sh->stats.blobs += w->stats.blobs;
	sh->stats.blobs_binary += w->stats.blobs_binary;
	sh->stats.blobs_large += w->stats.blobs_large;
	sh->stats.refs += w->stats.refs;
	pthread_mutex_unlock(&sh->mu);
	emb_hits_release(&w->hits);
	emb_match_ctx_free(w->mctx);
	emb_findings_release(&w->findings);
	if (w->own_repo)
		git_repository_free(w->repo);
	if (w->odb != sh->odb)
		git_odb_free(w->odb);
}

/*
 * Two threads (the walk and trees; the blobs) unless asked for one or
 * the machine has one core.  More readers of the same packs do not pay:
 * libgit2 1.5.1 shares each pack's lock and delta-base cache between
 * them (bench/run.sh measured two diff workers at 34.1 s against 34.9 s
 * for one on git's history before the blobs were batched).
 */
static bool want_parallel(const struct emb_scan_opts *o)
{
	if (!o->diffs || o->threads == 1)
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
 * The batch being filled goes to the reader thread (started with the
 * first full batch, so that a small scan never starts one), or is read
 * here.  `last`: the walk is over.
 */
static int ship(struct shared *sh, struct worker *self, struct worker *reader,
		bool last)
{
	struct batch *b = sh->filling;
	int error;

	if (!b->nr)
		return 0;
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
		error = scan_batch(self, b);
		batch_clear(b);
		return error;
	}
	pthread_mutex_lock(&sh->mu);
	while (sh->handoff && !atomic_load(&sh->stop))
		pthread_cond_wait(&sh->not_full, &sh->mu);
	if (atomic_load(&sh->stop)) {
		pthread_mutex_unlock(&sh->mu);
		return sh->error ? sh->error : EMB_ERROR;
	}
	sh->handoff = b;
	sh->filling = batch_new();
	pthread_cond_signal(&sh->not_empty);
	pthread_mutex_unlock(&sh->mu);
	return 0;
}

/*
 * One commit seen by the walk: its metadata is scanned here, its diff
 * queued.  `shallow` commits are roots: their parents are not here.
 */
static int visit(struct shared *sh, struct worker *self, git_commit *commit,
		 bool root)
{
	struct ctx cx = { 0 };
	git_oid small[8], *parents = small;
	size_t i, np = root ? 0 : git_commit_parentcount(commit);
	int error;

	if (past_deadline(sh))
		return timeout();
	self->stats.commits++;
	cx.seq = commit_seq(commit);
	cx.commit = git_commit_id(commit);
	cx.subject = git_commit_summary(commit);
	if ((error = scan_commit_meta(self, &cx, commit)) < 0 ||
	    !sh->opts->diffs)
		return error;

	if (np > 8)
		parents = emb_xcalloc(np, sizeof(git_oid));
	for (i = 0; i < np; i++)
		git_oid_cpy(&parents[i], git_commit_parent_id(commit,
							      (unsigned)i));
	error = scan_changes(self, &cx, git_commit_tree_id(commit), parents,
			     np, sh->filling);
	if (parents != small)
		free(parents);
	if (!error && sh->filling->nr >= sh->batch_size)
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

static int lookup_commit(git_commit **out, git_repository *repo,
			 const git_oid *oid)
{
	if (git_commit_lookup(out, repo, oid) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		emb_error_set_git("cannot read commit %s%s",
				  git_oid_tostr(hex, sizeof(hex), oid),
				  git_repository_is_shallow(repo) ?
					  " (the repository is shallow: "
					  "'git fetch --unshallow' first)" :
					  "");
		return EMB_EREPO;
	}
	return 0;
}

/*
 * Walk everything reachable from the pushed tips, reading each commit
 * once: its parent ids come with the parsed commit.  libgit2's revwalk
 * reads every commit to walk it and the scan would read it again.
 */
static int walk_all(struct shared *sh, struct worker *self,
		    const struct emb_range *range)
{
	struct emb_oidset seen = EMB_OIDSET_INIT, shallow = EMB_OIDSET_INIT;
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
		    emb_oidset_add(&seen, git_object_id(peeled))) {
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
		git_commit *commit;
		bool root;

		if ((error = lookup_commit(&commit, sh->repo, &oid)) < 0)
			break;
		root = emb_oidset_has(&shallow, &oid);
		for (i = 0; !root && i < git_commit_parentcount(commit); i++) {
			const git_oid *p = git_commit_parent_id(commit,
								(unsigned)i);

			if (!emb_oidset_add(&seen, p))
				continue;
			if (n == alloc) {
				alloc = alloc ? alloc * 2 : 64;
				stack = emb_xrealloc(stack,
						     alloc * sizeof(*stack));
			}
			git_oid_cpy(&stack[n++], p);
		}
		error = visit(sh, self, commit, root);
		git_commit_free(commit);
	}
	free(stack);
	emb_oidset_release(&seen);
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
		git_commit *commit;

		if ((error = lookup_commit(&commit, sh->repo, &oid)) < 0)
			break;
		error = visit(sh, self, commit, false);
		git_commit_free(commit);
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
	struct worker self = { 0 }, reader = { 0 };
	size_t i;
	int error;

	memset(&sh, 0, sizeof(sh));
	sh.repo = repo;
	sh.m = m;
	sh.opts = opts;
	sh.batch_size = opts->batch ? opts->batch : BATCH_BLOBS;
	sh.parallel = want_parallel(opts);
	sh.reader = &reader;
	pthread_mutex_init(&sh.mu, NULL);
	pthread_cond_init(&sh.not_empty, NULL);
	pthread_cond_init(&sh.not_full, NULL);
	atomic_init(&sh.stop, 0);

	if (git_repository_odb(&sh.odb, repo) < 0) {
		emb_error_set_git("cannot open the object database");
		error = EMB_EREPO;
		goto done;
	}
	if ((!opts->no_notes && (error = load_notes(&sh)) < 0) ||
	    (error = worker_init(&self, &sh, false)) < 0)
		goto done;
	if (opts->diffs) {
		sh.po = emb_packorder_new(repo);
		sh.filling = batch_new();
	}

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
		pthread_cond_broadcast(&sh.not_empty);
		pthread_mutex_unlock(&sh.mu);
		pthread_join(reader.thread, NULL);
	}
	if (sh.error) {
		error = sh.error;
		emb_error_set("%s", sh.message);
	}

done:
	if (reader.sh)
		worker_finish(&reader);
	if (self.sh)
		worker_finish(&self);
	batch_free(sh.filling);
	batch_free(sh.handoff);
	emb_packorder_free(sh.po);
	free_notes(&sh.notes);
	git_odb_free(sh.odb);
	emb_findings_sort(&sh.findings);
	if (!error)
		emb_findings_move(out, &sh.findings);
	emb_findings_release(&sh.findings);
	if (stats)
		*stats = sh.stats;
	pthread_mutex_destroy(&sh.mu);
	pthread_cond_destroy(&sh.not_empty);
	pthread_cond_destroy(&sh.not_full);
	return error;
}
