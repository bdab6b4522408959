/*
 * scan_notes.c - git notes: the one reader of notes trees.
 *
 * Notes are read from the notes trees directly: an entry is named by
 * the hex id of the object it annotates, in one piece or fanned out in
 * folders of two hex digits, as git writes them.  A scan of the whole
 * history reads every note in one pass, in pack order, on a thread of
 * its own, and keeps only the notes with a hit; at the end those of
 * commits the walk has seen are reported.  A scan of a range (with
 * hides) looks up the notes of each commit it walks instead.
 *
 * push.c reads the path of a note a push adds with the same rule
 * (emb_scan_note_target()).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/error.h"
#include "embargo/map.h"
#include "embargo/oidset.h"
#include "embargo/packorder.h"
#include "embargo/rawobj.h"
#include "embargo/scan.h"
#include "scan_int.h"

struct notes_of {
	git_oid *blobs;
	size_t n;
};

struct note_pair {
	uint64_t key; /* of the blob, emb_packorder_key() */
	git_oid commit, blob;
};

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

/*
 * The one reading of a note's path: the entry `name` of a notes tree,
 * under folders that spell the first `hexlen` digits of `hex`, goes on
 * with the hex id of the annotated object.  @return the digits now in
 * `hex`, or 0 when the name cannot be part of a note's path.
 */
static size_t note_name_add(char hex[GIT_OID_HEXSZ], size_t hexlen,
			    const char *name, size_t len)
{
	size_t i;

	if (hexlen + len > GIT_OID_HEXSZ)
		return 0;
	for (i = 0; i < len; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f') ||
		      (name[i] >= 'A' && name[i] <= 'F')))
			return 0;
	memcpy(hex + hexlen, name, len);
	return hexlen + len;
}

bool emb_scan_note_target(git_oid *out, const char *path)
{
	char hex[GIT_OID_HEXSZ];
	size_t n = 0;

	for (;;) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);

		if (len && !(n = note_name_add(hex, n, path, len)))
			return false;
		if (!slash)
			break;
		path = slash + 1;
	}
	return n == GIT_OID_HEXSZ &&
	       git_oid_fromstrn(out, hex, GIT_OID_HEXSZ) == 0;
}

static int notes_tree(struct worker *w, const git_oid *tree, char *hex,
		      size_t hexlen, struct note_pairs *out)
{
	git_odb_object *obj;
	struct titer it;
	struct emb_tree_entry e;
	int error;

	if ((error = scan_tree_read(&obj, w, tree)) < 0)
		return error;
	scan_titer_init(&it, obj, tree);
	while ((error = scan_titer_next(&it, &e)) > 0) {
		size_t len = note_name_add(hex, hexlen, e.name, e.len);

		if (!len)
			continue; /* not a note */
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
int scan_notes_roots(struct shared *sh)
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
int scan_load_notes(struct worker *w)
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
	if (scan_odb_read(out, w, blob) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		emb_error_set_git("cannot read note %s",
				  git_oid_tostr(hex, sizeof(hex), blob));
		return EMB_EREPO;
	}
	return 0;
}

int scan_notes(struct worker *w, struct ctx *cx, const git_oid *commit)
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
int scan_notes_pass(struct worker *w)
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
		if (scan_past_deadline(sh)) {
			error = scan_timeout();
			break;
		}
		if ((error = read_note(&blob, w, &p.v[i].blob)) < 0)
			break;
		error = emb_match(w->mctx, git_odb_object_data(blob),
				  git_odb_object_size(blob), &w->hits);
		if (error < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			error = scan_match_failed(
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

void *scan_notes_main(void *arg)
{
	struct worker *w = arg;
	int error = scan_notes_pass(w);

	if (error < 0)
		scan_fail(w->sh, error);
	return NULL;
}

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
int scan_report_note_hits(struct worker *w)
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
		if ((error = scan_read_commit(&c, w, &h->commit)) < 0)
			break;
		cx.seq = emb_scan_commit_seq(c->f.time);
		cx.pos = NOTES_POS + ((uint64_t)j << 24);
		scan_rcommit_free(c);
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

void scan_free_notes(struct emb_map *map)
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
