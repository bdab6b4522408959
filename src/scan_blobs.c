/*
 * scan_blobs.c - the new blobs of a scan, in batches, and their lines.
 *
 * The new blobs the walk finds are collected in batches of a bounded
 * size, so memory does not grow with the length of history.  Each batch
 * is sorted by pack offset and read by a second thread, with its own
 * object database, each distinct blob once: reading in pack order is
 * several times faster than in history order (delta bases come before
 * their deltas and stay in the delta-base cache).  When the walk has
 * filled the next batch before the reader is done, it reads blobs of the
 * current one too.  Each blob is matched whole, and only a blob that has
 * a hit is compared, line by line, with its previous versions.  A file
 * over embargo.maxBlobSize is read in windows.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/blobstream.h"
#include "embargo/blobtext.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/lineset.h"
#include "embargo/packorder.h"
#include "embargo/rawobj.h"
#include "scan_int.h"

/* --- added lines --- */

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

	if (scan_past_deadline(w->sh))
		return scan_timeout();
	if (scan_odb_read_size(&size, w, id) == 0 &&
	    size > w->sh->opts->max_blob_size)
		return 0;
	if (scan_odb_read(&blob, w, id) < 0) {
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

static int index_entry(struct worker *w, const struct emb_tree_entry *e,
		       void *set)
{
	return index_blob(w, set, e->oid);
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
		error = d->r[i].tree ? scan_tree_blobs(w, &d->r[i].oid,
						       index_entry, &o->set) :
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

/* --- new blobs, in batches --- */

struct batch *scan_batch_new(void)
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

void scan_batch_free(struct batch *b)
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
void scan_batch_add(struct batch *b, const struct ctx *cx, const git_oid *tree,
		    const git_oid *parents, size_t np, uint64_t pos,
		    size_t change, struct change *c)
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

		error = scan_tree_bypath(w, &parents[k], path, &oid, &mode);
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
	if ((error = scan_diff_trees(w, bc->np ? &parents[0] : NULL, &bc->tree,
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
	scan_diff_release(&d);
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
	error = scan_parent_trees(w, &bc->oid, bc->parents, bc->np, parents);
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
		scan_add_finding(w, &cx, EMB_KIND_LINE, &h, bt->text + ls,
				 bt->len - ls, NULL, r->path, true)
			->line += bt->line0 + cur.line - 1;
	}
	for (i = 0; i < w->run_hits.n && !error; i++) {
		const struct emb_hit *h = &w->run_hits.v[i];

		if (isnew[nt + i])
			scan_add_finding(w, &cx, EMB_KIND_BINARY, h, bt->runs,
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

/* The commit of a batch record, in hex: for messages only. */
static const char *rec_commit(const struct batch *b, const struct brec *r,
			      char hex[GIT_OID_HEXSZ + 1])
{
	return git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &b->c[r->commit].oid);
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
		if (error < 0 ||
		    (scan_past_deadline(w->sh) && (error = scan_timeout())))
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
			error = scan_match_failed(error, "'%s' in commit %s",
						  r->path,
						  rec_commit(b, r, hex));
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

	if (scan_odb_read_size(&size, w, &r->oid) < 0) {
		if (w->sh->partial) {
			/* filtered out by the clone: not here to scan, like
			 * a blob over the size limit */
			git_error_clear();
			for (k = 0; k < n; k++) {
				w->stats.blobs_missing++;
				scan_note(
					w->sh,
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
	if (scan_odb_read(&obj, w, &r->oid) < 0) {
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
		error = scan_match_failed(error, "'%s' in commit %s", r->path,
					  rec_commit(b, r, hex));
		goto done;
	}
	for (k = 0; k < n && (w->hits.n || w->run_hits.n) && !error; k++)
		error = blob_hits(w, b, &r[k], &bt);
	if (!error && w->sh->fixtally && bt.form != EMB_BLOB_BINARY &&
	    scan_fix_wanted(w->sh->fixes, r, n))
		scan_fix_blob(w, b, r, n, &bt);
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
			if (scan_past_deadline(sh))
				return scan_timeout();
			error = scan_blob(w, b, &b->r[b->groups[k]],
					  b->groups[k + 1] - b->groups[k]);
			if (error < 0)
				return error;
		}
	}
}

/* --- the reader thread --- */

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
		scan_fail_locked(sh, error);
	if (--sh->helpers == 0) {
		scan_batch_free(b);
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

/*
 * The batch being filled is read: by the reader thread (started with
 * the first full batch, so that a small scan never starts one) and by
 * the walk while the one before is still being read, or here alone.
 * `last`: the walk is over; this thread helps with the last batch.
 */
int scan_ship(struct shared *sh, struct worker *self, struct worker *reader,
	      bool last)
{
	struct batch *b = sh->filling;
	int error = 0;

	if (!b->nr)
		return 0;
	batch_prepare(sh, b, sh->parallel && (sh->reader_started || !last));
	if (sh->parallel && !sh->reader_started && !last) {
		if ((error = scan_worker_init(reader, sh, true)) < 0)
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
		sh->filling = scan_batch_new();
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
