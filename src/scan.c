/*
 * scan.c - the scanner: refs, commits and their metadata, the walk.
 *
 * The calling thread walks the range, scans each commit's metadata and
 * compares its tree with its parents' (scan_tree.c: identical subtrees
 * are never opened).  Commits are parsed here from the raw objects, and
 * the last few are kept, since the next commit the walk reads is most
 * often the parent it has just compared with.
 *
 * The new blobs the comparison finds go to batches that scan_blobs.c
 * reads, in pack order, on a second thread; notes are read by
 * scan_notes.c, and fix fingerprints are decided in scan_fix.c.  Each
 * thread has its own match context and list of findings; the lists are
 * merged and sorted at the end.  No patch is generated (libgit2's patch
 * generation is 2.5-3.3x slower than `git log -p`).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
#include "scan_int.h"

#define BATCH_BLOBS 32768 /* new blobs per batch: about 3 MB */

void scan_fail_locked(struct shared *sh, int error)
{
	if (!sh->error) {
		sh->error = error;
		snprintf(sh->message, sizeof(sh->message), "%s",
			 emb_error_last());
	}
	atomic_store(&sh->stop, 1);
	pthread_cond_broadcast(&sh->cv);
}

void scan_fail(struct shared *sh, int error)
{
	pthread_mutex_lock(&sh->mu);
	scan_fail_locked(sh, error);
	pthread_mutex_unlock(&sh->mu);
}

void scan_note(struct shared *sh, const char *fmt, ...)
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
struct emb_finding *scan_add_finding(struct worker *w, struct ctx *cx,
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
int scan_match_failed(int error, const char *fmt, ...)
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

int scan_text(struct worker *w, struct ctx *cx, enum emb_kind kind,
	      const char *text, size_t len, const char *ref, bool with_line)
{
	size_t i;
	int error;

	if ((error = emb_match(w->mctx, text, len, &w->hits)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		if (cx->commit)
			return scan_match_failed(
				error, "%s of %s", emb_kind_name(kind),
				git_oid_tostr(hex, sizeof(hex), cx->commit));
		return scan_match_failed(error, "%s", ref ? ref : "text");
	}
	for (i = 0; i < w->hits.n; i++)
		scan_add_finding(w, cx, kind, &w->hits.v[i], text, len, ref,
				 NULL, with_line);
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

		return scan_match_failed(
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
			scan_add_finding(w, cx, fields[k].kind, &h, fields[k].p,
					 fields[k].len, ref, NULL, false);
			continue;
		}
		h.start = (size_t)(s - obj);
		h.end = (size_t)(e - obj);
		scan_add_finding(w, cx, EMB_KIND_HEADER, &h, obj,
				 (size_t)(head + head_len - obj), ref, NULL,
				 true);
	}
	return 0;
}

/*
 * Objects come from the worker's database: the reader's own, which
 * opens the same folders as the repository's; should it lack one, the
 * shared database is asked.
 */
int scan_odb_read(git_odb_object **out, struct worker *w, const git_oid *id)
{
	if (git_odb_read(out, w->odb, id) == 0)
		return 0;
	if (w->odb == w->sh->odb)
		return -1;
	return git_odb_read(out, w->sh->odb, id);
}

/* The size of an object, asked the same way as scan_odb_read(). */
int scan_odb_read_size(size_t *size, struct worker *w, const git_oid *id)
{
	git_object_t type;

	if (git_odb_read_header(size, &type, w->odb, id) == 0)
		return 0;
	if (w->odb == w->sh->odb)
		return -1;
	return git_odb_read_header(size, &type, w->sh->odb, id);
}

void scan_rcommit_free(struct rcommit *c)
{
	if (!c)
		return;
	emb_commit_fields_release(&c->f);
	git_odb_object_free(c->obj);
	free(c);
}

int scan_read_commit(struct rcommit **out, struct worker *w, const git_oid *id)
{
	struct rcommit *c = emb_xcalloc(1, sizeof(*c));
	char hex[GIT_OID_HEXSZ + 1];

	*out = NULL;
	git_oid_cpy(&c->oid, id);
	if (scan_odb_read(&c->obj, w, id) < 0) {
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
		scan_rcommit_free(c);
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
	scan_rcommit_free(w->stash[w->stash_next]);
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
		scan_rcommit_free(w->stash[i]);
		w->stash[i] = NULL;
	}
}

/*
 * The tree ids of a commit's parents: their commits are read (and kept
 * for the walk, which reads a parent next more often than not).  A
 * shallow repository may not have them.
 */
int scan_parent_trees(struct worker *w, const git_oid *commit,
		      const git_oid *parent_ids, size_t np, git_oid *out)
{
	size_t i;

	for (i = 0; i < np; i++) {
		struct rcommit *p = stash_take(w, &parent_ids[i]);

		if (!p && scan_read_commit(&p, w, &parent_ids[i]) < 0) {
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

bool scan_past_deadline(struct shared *sh)
{
	int64_t dl = sh->opts->deadline_ms;

	return dl && emb_clock_ms() > dl;
}

int scan_timeout(void)
{
	emb_error_set("time limit reached before the scan finished "
		      "(embargo.timeout)");
	return EMB_ETIMEOUT;
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

static int scan_path(struct worker *w, struct ctx *cx, const struct change *c)
{
	size_t i, len = strlen(c->path);
	int error;

	if (c->new_from == NO_NEW)
		return 0;
	if ((error = emb_match(w->mctx, c->path, len, &w->hits)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		return scan_match_failed(
			error, "path '%s' in commit %s", c->path,
			git_oid_tostr(hex, sizeof(hex), cx->commit));
	}
	for (i = 0; i < w->hits.n; i++) {
		/* only a hit in the part of the path that is new counts */
		if (w->hits.v[i].end <= c->new_from)
			continue;
		scan_add_finding(w, cx, EMB_KIND_PATH, &w->hits.v[i], c->path,
				 len, NULL, c->path, false);
	}
	return 0;
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
	error = scan_parent_trees(w, cx->commit, parent_ids, np, parents);
	if (!error)
		error = scan_diff_trees(w, np ? &parents[0] : NULL, tree_id,
					&path, NO_NEW, &d, 0);
	if (!error && np <= 1 && emb_fixset_wants_patch_ids(w->sh->fixes))
		error = scan_fix_paths(w, cx, &d, np ? &parents[0] : NULL,
				       tree_id);

	for (i = 0; i < d.n && !error; i++) {
		struct change *c = &d.c[i];
		bool from_parent = false;

		/* a merge: what another parent already had is not new */
		for (k = 1; k < np && !from_parent && !error; k++) {
			git_oid oid;
			unsigned mode;

			error = scan_tree_bypath(w, &parents[k], c->path, &oid,
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
			scan_batch_add(b, cx, tree_id, parent_ids, np, pos, i,
				       c);
	}
	cx->pos = pos;
	if (parents != small)
		free(parents);
	scan_diff_release(&d);
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

		error = scan_match_failed(
			error, "message of %s",
			git_oid_tostr(hex, sizeof(hex), &c->oid));
		goto done;
	}
	for (i = 0; i < w->hits.n; i++)
		if (!found_since(w, from, w->hits.v[i].entry))
			scan_add_finding(w, cx, EMB_KIND_MESSAGE, &w->hits.v[i],
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

		if (scan_past_deadline(w->sh))
			return scan_timeout();
		if (scan_odb_read(&obj, w, &target) < 0) {
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

int scan_worker_init(struct worker *w, struct shared *sh, bool own_repo)
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
	scan_tcache_free(w);
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

/*
 * One commit seen by the walk: its metadata is scanned here, its diff
 * queued.  `shallow` commits are roots: their parents are not here.
 */
static int visit(struct shared *sh, struct worker *self,
		 const struct rcommit *c, bool root)
{
	struct ctx cx = { 0 };
	int error;

	if (scan_past_deadline(sh))
		return scan_timeout();
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
		error = scan_ship(sh, self, sh->reader, false);
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
	return scan_read_commit(out, w, oid);
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
		scan_rcommit_free(commit);
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
		scan_rcommit_free(commit);
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
	if ((!opts->no_notes && (error = scan_notes_roots(&sh)) < 0) ||
	    (error = scan_worker_init(&self, &sh, false)) < 0)
		goto done;
	if (opts->diffs)
		sh.filling = scan_batch_new();

	/* notes: all of them in one pass (on a thread), or those of a range */
	if (sh.nnote_roots && range->nhide) {
		error = scan_load_notes(&self);
	} else if (sh.nnote_roots && two_threads(opts)) {
		sh.po = emb_packorder_new(repo);
		if ((error = scan_worker_init(&notes, &sh, true)) == 0 &&
		    pthread_create(&notes.thread, NULL, scan_notes_main,
				   &notes) == 0)
			notes_started = true;
		else if (!error)
			error = scan_notes_pass(&self);
	} else if (sh.nnote_roots) {
		sh.po = emb_packorder_new(repo);
		error = scan_notes_pass(&self);
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
		error = scan_ship(&sh, &self, &reader, true);

	if (sh.reader_started) {
		if (error < 0)
			scan_fail(&sh, error);
		pthread_mutex_lock(&sh.mu);
		sh.closed = true;
		pthread_cond_broadcast(&sh.cv);
		pthread_mutex_unlock(&sh.mu);
		pthread_join(reader.thread, NULL);
	}
	if (notes_started) {
		if (error < 0)
			scan_fail(&sh, error);
		pthread_join(notes.thread, NULL);
		notes_started = false;
	}
	if (sh.error) {
		error = sh.error;
		emb_error_set("%s", sh.message);
	}
	if (!error)
		error = scan_report_note_hits(&self);
	if (!error && sh.fixtally)
		error = scan_fix_lines(&self);
	if (!error && sh.fixtally)
		error = scan_fix_patches(&self);
	if (!error)
		emb_fixtally_findings(sh.fixtally, repo, opts->fix_together,
				      &self.findings);

done:
	if (notes_started) { /* a failure before the walk */
		scan_fail(&sh, error);
		pthread_join(notes.thread, NULL);
	}
	if (notes.sh)
		worker_finish(&notes);
	if (reader.sh)
		worker_finish(&reader);
	if (self.sh)
		worker_finish(&self);
	scan_batch_free(sh.filling);
	scan_batch_free(sh.current); /* after a failure */
	emb_packorder_free(sh.po);
	scan_free_notes(&sh.notes);
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
