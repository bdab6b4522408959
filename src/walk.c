/*
 * walk.c - revision arguments to a revwalk.
 *
 * Only what rev-list syntax the scanner needs: single revisions, ^hides,
 * two- and three-dot ranges and the ref-set options.  Revisions resolve
 * with git_revparse, so anything git_revparse_single accepts works.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/walk.h"

static void oids_add(git_oid **v, size_t *n, size_t *alloc, const git_oid *o)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 16;
		*v = emb_xrealloc(*v, *alloc * sizeof(**v));
	}
	git_oid_cpy(&(*v)[(*n)++], o);
}

void emb_range_push(struct emb_range *r, const git_oid *oid)
{
	oids_add(&r->push, &r->npush, &r->apush, oid);
}

void emb_range_hide(struct emb_range *r, const git_oid *oid)
{
	oids_add(&r->hide, &r->nhide, &r->ahide, oid);
}

void emb_range_add_ref(struct emb_range *r, const char *name,
		       const git_oid *target)
{
	size_t i;

	for (i = 0; i < r->nrefs; i++)
		if (!strcmp(r->refs[i].name, name))
			return;
	if (r->nrefs == r->arefs) {
		r->arefs = r->arefs ? r->arefs * 2 : 16;
		r->refs = emb_xrealloc(r->refs, r->arefs * sizeof(*r->refs));
	}
	r->refs[r->nrefs].name = emb_xstrdup(name);
	git_oid_cpy(&r->refs[r->nrefs].target, target);
	r->nrefs++;
}

static int add_refs(struct emb_range *r, git_repository *repo, const char *glob,
		    bool (*keep)(const char *, void *), void *payload,
		    bool hide);

int emb_range_add_refs(struct emb_range *r, git_repository *repo,
		       const char *glob, bool hide)
{
	return add_refs(r, repo, glob, NULL, NULL, hide);
}

int emb_range_hide_refs_if(struct emb_range *r, git_repository *repo,
			   bool (*keep)(const char *ref, void *payload),
			   void *payload)
{
	return add_refs(r, repo, NULL, keep, payload, true);
}

static int add_refs(struct emb_range *r, git_repository *repo, const char *glob,
		    bool (*keep)(const char *, void *), void *payload,
		    bool hide)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int error;

	if ((error = git_reference_iterator_new(&it, repo)) < 0) {
		emb_error_set_git("cannot list refs");
		return EMB_EREPO;
	}
	while ((error = git_reference_next(&ref, it)) == 0) {
		git_reference *resolved = NULL;
		const char *name = git_reference_name(ref);

		if ((!glob || !fnmatch(glob, name, 0)) &&
		    (!keep || keep(name, payload)) &&
		    git_reference_resolve(&resolved, ref) == 0) {
			const git_oid *t = git_reference_target(resolved);

			if (hide) {
				emb_range_hide(r, t);
			} else {
				/*
				 * A notes ref's history is not walked: its
				 * notes are scanned attached to their commits
				 * (once, and named by commit, not fan-out
				 * path).
				 */
				if (strncmp(name, "refs/notes/", 11) != 0)
					emb_range_push(r, t);
				emb_range_add_ref(r, name, t);
			}
		}
		git_reference_free(resolved);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (error != GIT_ITEROVER) {
		emb_error_set_git("cannot list refs");
		return EMB_EREPO;
	}
	return 0;
}

/* Resolve one revision; a ref name also becomes a name to scan. */
static int add_rev(struct emb_range *r, git_repository *repo, const char *spec,
		   bool hide)
{
	git_object *obj = NULL;
	git_reference *ref = NULL;
	int error;

	if (git_revparse_single(&obj, repo, spec) < 0) {
		emb_error_set_git("bad revision '%s'", spec);
		return EMB_EREPO;
	}
	if (hide) {
		emb_range_hide(r, git_object_id(obj));
	} else {
		emb_range_push(r, git_object_id(obj));
		if (git_reference_dwim(&ref, repo, spec) == 0) {
			git_reference *resolved = NULL;

			if (git_reference_resolve(&resolved, ref) == 0)
				emb_range_add_ref(
					r, git_reference_name(resolved),
					git_reference_target(resolved));
			git_reference_free(resolved);
		}
	}
	error = 0;
	git_reference_free(ref);
	git_object_free(obj);
	return error;
}

/* "X^!": X, without its parents (git's `X --not X^@`). */
static int add_commit_only(struct emb_range *r, git_repository *repo,
			   const char *spec, bool not )
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	unsigned i;
	int error;

	if (git_revparse_single(&obj, repo, spec) < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) <
		    0) {
		emb_error_set_git("bad revision '%s^!'", spec);
		git_object_free(obj);
		return EMB_EREPO;
	}
	if ((error = add_rev(r, repo, spec, not )) == 0) {
		for (i = 0; i < git_commit_parentcount(commit); i++) {
			const git_oid *p = git_commit_parent_id(commit, i);

			if (not )
				emb_range_push(r, p);
			else
				emb_range_hide(r, p);
		}
	}
	git_commit_free(commit);
	git_object_free(obj);
	return error;
}

int emb_range_from_args(struct emb_range *r, git_repository *repo, int argc,
			char **argv)
{
	bool not = false, any = false;
	int i, error = 0;

	for (i = 0; i < argc && !error; i++) {
		const char *a = argv[i];
		const char *dots;

		if (!strcmp(a, "--not")) {
			not = !not ;
		} else if (!strcmp(a, "--all")) {
			error = emb_range_add_refs(r, repo, NULL, not );
			any = true;
		} else if (!strncmp(a, "--branches", 10) ||
			   !strncmp(a, "--tags", 6) ||
			   !strncmp(a, "--remotes", 9)) {
			const char *eq = strchr(a, '=');
			const char *base = a[2] == 'b' ? "refs/heads/" :
					   a[2] == 't' ? "refs/tags/" :
							 "refs/remotes/";
			struct emb_buf glob = EMB_BUF_INIT;

			emb_buf_puts(&glob, base);
			emb_buf_puts(&glob, eq ? eq + 1 : "*");
			error = emb_range_add_refs(r, repo, emb_buf_cstr(&glob),
						   not );
			emb_buf_release(&glob);
			any = true;
		} else if (a[0] == '-') {
			emb_error_set("unknown revision option '%s'", a);
			error = EMB_EUSAGE;
		} else if (a[0] == '^') {
			error = add_rev(r, repo, a + 1, !not );
		} else if (strlen(a) > 2 && !strcmp(a + strlen(a) - 2, "^!")) {
			/* one commit: it, and not its parents */
			char *rev = emb_xstrndup(a, strlen(a) - 2);

			error = add_commit_only(r, repo, rev, not );
			free(rev);
			any = true;
		} else if ((dots = strstr(a, ".."))) {
			git_revspec spec;

			if (git_revparse(&spec, repo, a) < 0) {
				emb_error_set_git("bad revision range '%s'", a);
				error = EMB_EREPO;
				break;
			}
			if (spec.flags & GIT_REVSPEC_MERGE_BASE) {
				git_oid base;

				emb_range_push(r, git_object_id(spec.from));
				emb_range_push(r, git_object_id(spec.to));
				if (git_merge_base(&base, repo,
						   git_object_id(spec.from),
						   git_object_id(spec.to)) == 0)
					emb_range_hide(r, &base);
			} else {
				char *to = emb_xstrdup(dots + 2);

				emb_range_hide(r, git_object_id(spec.from));
				error = *to ? add_rev(r, repo, to, false) :
					      add_rev(r, repo, "HEAD", false);
				free(to);
			}
			git_object_free(spec.from);
			git_object_free(spec.to);
			any = true;
		} else {
			error = add_rev(r, repo, a, not );
			any = true;
		}
	}
	if (!error && !any)
		error = emb_range_add_refs(r, repo, NULL, false);
	return error;
}

/* Peel to a commit; objects that are no commit are skipped. */
static int peel_commit(git_oid *out, git_repository *repo, const git_oid *oid)
{
	git_object *obj = NULL, *peeled = NULL;
	int error;

	if ((error = git_object_lookup(&obj, repo, oid, GIT_OBJECT_ANY)) < 0)
		return error;
	error = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	if (error == 0)
		git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

int emb_walk_new(git_revwalk **out, git_repository *repo,
		 const struct emb_range *r)
{
	git_revwalk *walk = NULL;
	size_t i;
	int error;
	char hex[GIT_OID_HEXSZ + 1];

	if (git_revwalk_new(&walk, repo) < 0) {
		emb_error_set_git("cannot walk history");
		return EMB_EREPO;
	}
	git_revwalk_sorting(walk, GIT_SORT_NONE);
	for (i = 0; i < r->npush; i++) {
		git_oid c;

		error = peel_commit(&c, repo, &r->push[i]);
		if (error == GIT_EPEEL || error == GIT_EINVALIDSPEC)
			continue; /* a tag of a tree or blob: no history */
		if (error < 0 || (error = git_revwalk_push(walk, &c)) < 0) {
			git_oid_tostr(hex, sizeof(hex), &r->push[i]);
			emb_error_set_git("cannot walk from %s", hex);
			git_revwalk_free(walk);
			return EMB_EREPO;
		}
	}
	for (i = 0; i < r->nhide; i++) {
		git_oid c;

		/* a hidden object we do not have hides nothing */
		if (peel_commit(&c, repo, &r->hide[i]) < 0)
			continue;
		if (git_revwalk_hide(walk, &c) < 0) {
			git_oid_tostr(hex, sizeof(hex), &r->hide[i]);
			emb_error_set_git("cannot hide %s", hex);
			git_revwalk_free(walk);
			return EMB_EREPO;
		}
	}
	*out = walk;
	return 0;
}

void emb_range_release(struct emb_range *r)
{
	size_t i;

	free(r->push);
	free(r->hide);
	for (i = 0; i < r->nrefs; i++)
		free(r->refs[i].name);
	free(r->refs);
	memset(r, 0, sizeof(*r));
}
