/*
 * scan_fix.c - fix fingerprints in a scan: the lines and patches of
 * the list's fixes that the scanned commits add.
 *
 * The blob pass (scan_blobs.c) keeps the blobs that hold fingerprint
 * lines and defers the decision; after it, each deferred (commit, path)
 * is compared here with its parents' versions, and the patch-ids of the
 * commits whose paths are a fix's are computed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/blobtext.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/fixprint.h"
#include "embargo/rawobj.h"
#include "scan_int.h"

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
		if (scan_odb_read(&obj, w, id) < 0)
			return scan_tree_error("cannot read blob", id);
		emb_fixset_blob(w->sh->fixes, git_odb_object_data(obj),
				git_odb_object_size(obj), &older);
		git_odb_object_free(obj);
		emb_fixtally_blob(w->sh->fixtally, id, &older);
	}
	emb_fixhits_drop(h, &older);
	emb_fixhits_release(&older);
	return 0;
}

/* The files of one name under a folder, and the lines they drop. */
struct drop_named {
	const char *name;
	size_t len;
	struct emb_fixhits *h;
};

static int drop_if_named(struct worker *w, const struct emb_tree_entry *e,
			 void *payload)
{
	struct drop_named *d = payload;
	int error;

	if (e->len != d->len || memcmp(e->name, d->name, d->len))
		return 0;
	error = fix_drop_blob(w, e->oid, d->h);
	return error < 0 ? error : !d->h->n; /* none left: stop */
}

/*
 * A folder the commit removed (moved, most often): its files of the
 * same name may have had the lines.
 */
static int fix_drop_tree(struct worker *w, const git_oid *tree_id,
			 const char *name, struct emb_fixhits *h)
{
	struct drop_named d = { name, strlen(name), h };

	return scan_tree_blobs(w, tree_id, drop_if_named, &d);
}

/*
 * After the blob pass: which fingerprint lines does each deferred
 * (commit, path) add?  Not those the parent's version of the file has,
 * nor those of a file the commit changed or removed (they moved).
 */
int scan_fix_lines(struct worker *w)
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

		if (scan_past_deadline(w->sh))
			return scan_timeout();
		if (!emb_fixtally_blob_hits(t, &fd->blob, &h))
			continue;
		if (fd->np > 8)
			parents = emb_xcalloc(fd->np, sizeof(git_oid));
		error = scan_parent_trees(w, &fd->commit, fd->parents, fd->np,
					  parents);
		for (i = 0; i < fd->np && !error && h.n; i++) {
			git_oid oid;
			unsigned mode;

			error = scan_tree_bypath(w, &parents[i], fd->path, &oid,
						 &mode);
			if (error > 0)
				error = emb_mode_is_blob(mode) ?
						fix_drop_blob(w, &oid, &h) :
						0;
		}
		if (!error && h.n)
			error = scan_diff_trees(w, fd->np ? &parents[0] : NULL,
						&fd->tree, &path, NO_NEW, &d,
						0);
		for (i = 0; i < d.nr && !error && h.n; i++) {
			const char *base = strrchr(fd->path, '/');

			error = d.r[i].tree ? fix_drop_tree(w, &d.r[i].oid,
							    base ? base + 1 :
								   fd->path,
							    &h) :
					      fix_drop_blob(w, &d.r[i].oid, &h);
		}
		if (!error)
			emb_fixtally_add(t, &fd->commit, fd->seq, fd->path, &h);
		if (parents != small)
			free(parents);
		scan_diff_release(&d);
		emb_buf_release(&path);
	}
	emb_fixhits_release(&h);
	return error;
}

/*
 * A blob of a file a fix added lines to: keep its fingerprint lines,
 * and defer the decision for each commit it is new in (scan_fix_lines()).
 */
void scan_fix_blob(struct worker *w, const struct batch *b,
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
bool scan_fix_wanted(const struct emb_fixset *fs, const struct brec *r,
		     size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (emb_fixset_wants_file(fs, r[k].path))
			return true;
	return false;
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
int scan_fix_paths(struct worker *w, struct ctx *cx, const struct diff *d,
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
int scan_fix_patches(struct worker *w)
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
