/*
 * scan_tree.c - trees, read raw, for the scanner.
 *
 * The comparison of a commit's tree with its parents' (what it adds and
 * what it removes), the entry at a path, and the walk over every blob
 * under a tree.  Nothing here matches text: the files that read blobs
 * call these.
 */
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/fixprint.h"
#include "embargo/rawobj.h"
#include "scan_int.h"

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

int scan_tree_error(const char *what, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	emb_error_set_git("%s %s", what, git_oid_tostr(hex, sizeof(hex), id));
	return EMB_EREPO;
}

/* A tree, from the cache or the object database; free it after use. */
int scan_tree_read(git_odb_object **out, struct worker *w, const git_oid *id)
{
	struct tcache_slot *s;
	git_odb_object *obj;

	if (!w->tcache)
		w->tcache = emb_xcalloc(TCACHE_SLOTS, sizeof(*w->tcache));
	s = &w->tcache[(id->id[0] | (unsigned)id->id[1] << 8) % TCACHE_SLOTS];
	if (s->obj && git_oid_equal(&s->oid, id))
		return git_odb_object_dup(out, s->obj) < 0 ?
			       scan_tree_error("cannot read tree", id) :
			       0;
	if (scan_odb_read(&obj, w, id) < 0)
		return scan_tree_error("cannot read tree", id);
	if (git_odb_object_type(obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(obj);
		git_error_clear();
		return scan_tree_error("not a tree:", id);
	}
	git_odb_object_free(s->obj);
	git_oid_cpy(&s->oid, id);
	s->obj = obj;
	return git_odb_object_dup(out, obj) < 0 ?
		       scan_tree_error("cannot read tree", id) :
		       0;
}

void scan_tcache_free(struct worker *w)
{
	size_t i;

	for (i = 0; w->tcache && i < TCACHE_SLOTS; i++)
		git_odb_object_free(w->tcache[i].obj);
	free(w->tcache);
	w->tcache = NULL;
}

void scan_titer_init(struct titer *it, git_odb_object *obj, const git_oid *id)
{
	it->p = obj ? git_odb_object_data(obj) : NULL;
	it->end = obj ? it->p + git_odb_object_size(obj) : NULL;
	it->tree = id;
}

/* The next entry of a tree: @return 1, 0 at the end, <0 (corrupt) */
int scan_titer_next(struct titer *it, struct emb_tree_entry *e)
{
	int r = emb_tree_next(&it->p, it->end, e);

	return r < 0 ? scan_tree_error("corrupt tree", it->tree) : r;
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

		if ((*ha = scan_titer_next(ia, a)) <= 0)
			break;
		span = (size_t)(ia->p - start);
		if ((size_t)(ib->end - ib->p) < span ||
		    memcmp(ib->p, start, span))
			break;
		ib->p += span; /* the same entry: nothing to compare */
	}
	if (*ha < 0)
		return *ha;
	*hb = scan_titer_next(ib, b);
	return *hb < 0 ? *hb : 0;
}

/* The entry at `path` under the tree `root`: 1 found, 0 not, <0 error. */
int scan_tree_bypath(struct worker *w, const git_oid *root, const char *path,
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

		if ((error = scan_tree_read(&obj, w, &cur)) < 0)
			return error;
		scan_titer_init(&it, obj, &cur);
		while ((error = scan_titer_next(&it, &e)) > 0)
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

void scan_diff_release(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->c[i].path);
	free(d->c);
	free(d->r);
	memset(d, 0, sizeof(*d));
}

/* The entries of `new_id` that `old_id` (NULL: none) does not have. */
int scan_diff_trees(struct worker *w, const git_oid *old_id,
		    const git_oid *new_id, struct emb_buf *path,
		    size_t new_from, struct diff *d, int depth)
{
	git_odb_object *old = NULL, *new = NULL;
	struct titer ia, ib;
	struct emb_tree_entry a, b;
	size_t base = path->size;
	int ha = 0, hb = 0, error;

	if (depth > MAX_TREE_DEPTH) {
		error = scan_tree_error("trees nested deeper than 4096 at",
					new_id);
		goto done;
	}
	if ((error = scan_tree_read(&new, w, new_id)) < 0 ||
	    (old_id && (error = scan_tree_read(&old, w, old_id)) < 0))
		goto done;
	scan_titer_init(&ia, old, old_id);
	scan_titer_init(&ib, new, new_id);
	if ((ha = old ? scan_titer_next(&ia, &a) : 0) < 0 ||
	    (hb = scan_titer_next(&ib, &b)) < 0) {
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
			ha = scan_titer_next(&ia, &a);
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

			error = scan_diff_trees(w, c == 0 ? a.oid : NULL, b.oid,
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
			ha = scan_titer_next(&ia, &a);
			error = ha < 0 ? ha : 0;
		}
		if (!error) {
			hb = scan_titer_next(&ib, &b);
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

static int tree_blobs(struct worker *w, const git_oid *tree_id,
		      int (*fn)(struct worker *w,
				const struct emb_tree_entry *e, void *payload),
		      void *payload, int depth)
{
	git_odb_object *tree;
	struct titer it;
	struct emb_tree_entry e;
	int error;

	if (depth > MAX_TREE_DEPTH)
		return scan_tree_error("trees nested deeper than 4096 at",
				       tree_id);
	if ((error = scan_tree_read(&tree, w, tree_id)) < 0)
		return error;
	scan_titer_init(&it, tree, tree_id);
	while ((error = scan_titer_next(&it, &e)) > 0) {
		if (emb_mode_is_tree(e.mode))
			error = tree_blobs(w, e.oid, fn, payload, depth + 1);
		else if (emb_mode_is_blob(e.mode))
			error = fn(w, &e, payload);
		else
			continue; /* a submodule's commit is not here */
		if (error != 0)
			break;
	}
	git_odb_object_free(tree);
	return error;
}

/*
 * Every blob under a tree, in tree order: `fn` returns 0 to go on, 1 to
 * stop the walk (it has what it wanted), <0 to fail with that error.
 */
int scan_tree_blobs(struct worker *w, const git_oid *tree_id,
		    int (*fn)(struct worker *w, const struct emb_tree_entry *e,
			      void *payload),
		    void *payload)
{
	int error = tree_blobs(w, tree_id, fn, payload, 0);

	return error < 0 ? error : 0;
}
