/*
 * push.c - what a push publishes, scanned.
 *
 * The commits come from emb_reach_range() (tips minus the receiver's
 * refs, over the commit-graph), the scanning from emb_scan_range().
 * Notes refs get a scan of their own, so that a hit in a note blob can
 * be reported on the commit the note is attached to.  Nothing here
 * prints or exits: the hook command turns the result into a verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/fixprint.h"
#include "embargo/map.h"
#include "embargo/oidset.h"
#include "embargo/push.h"
#include "embargo/remote.h"
#include "embargo/scan.h"

#define SMALL_PUSH 256 /* commits: below this one thread is faster */

static bool is_notes_ref(const char *ref)
{
	return !strncmp(ref, "refs/notes/", 11);
}

/*
 * The commit a pushed object brings, and whether it is an annotated
 * tag.  Trees and blobs under a ref are refused rather than let through
 * unscanned.
 */
static int pushed_commit(git_oid *out, bool *is_tag, git_repository *repo,
			 const struct emb_refupdate *u)
{
	git_object *obj = NULL, *peeled = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int error;

	git_oid_tostr(hex, sizeof(hex), &u->new_id);
	if (git_object_lookup(&obj, repo, &u->new_id, GIT_OBJECT_ANY) < 0) {
		emb_error_set_git("cannot read %s, pushed to '%s'", hex,
				  u->ref);
		return EMB_EREPO;
	}
	*is_tag = git_object_type(obj) == GIT_OBJECT_TAG;
	error = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	if (error == 0) {
		git_oid_cpy(out, git_object_id(peeled));
	} else {
		emb_error_set("'%s' would point to %s, which is not a commit: "
			      "git-embargo does not scan such pushes",
			      u->ref, hex);
		error = EMB_EREPO;
	}
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

/*
 * Findings in the files of notes commits are findings in notes: report
 * them on the annotated commit, as `scan` reports the notes it reads.
 */
static void relabel_notes(struct emb_findings *f, git_repository *repo)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct emb_finding *x = &f->v[i];
		git_commit *c = NULL;
		git_oid target;

		if (x->kind != EMB_KIND_LINE || !x->path ||
		    !emb_scan_note_target(&target, x->path))
			continue;
		x->kind = EMB_KIND_NOTE;
		x->has_commit = true;
		git_oid_cpy(&x->commit, &target);
		free(x->path);
		x->path = NULL;
		free(x->subject);
		x->subject = NULL;
		if (git_commit_lookup(&c, repo, &target) == 0)
			x->subject = emb_xstrdup(git_commit_summary(c));
		git_commit_free(c);
		git_error_clear();
	}
}

static int scan_part(struct emb_push_result *out, git_repository *repo,
		     const struct emb_matcher *m, const git_oid *tips,
		     size_t ntips, const struct emb_range *hides,
		     const struct emb_range *refs,
		     const struct emb_push_opts *opts, bool notes)
{
	struct emb_scan_opts so = EMB_SCAN_OPTS_INIT;
	struct emb_scan_stats stats = { 0 };
	struct emb_findings found = EMB_FINDINGS_INIT;
	struct emb_range range = EMB_RANGE_INIT;
	struct emb_reach_stats rs = { 0 };
	size_t i;
	int error;

	if ((error = emb_reach_range(&range, repo, tips, ntips, hides->hide,
				     hides->nhide, opts->deadline_ms, &rs)) < 0)
		goto done;
	for (i = 0; refs && i < refs->nrefs; i++)
		emb_range_add_ref(&range, refs->refs[i].name,
				  &refs->refs[i].target);
	if (!notes)
		out->reach = rs;
	else {
		out->reach.new_commits += rs.new_commits;
		out->reach.visited += rs.visited;
	}

	so.diffs = true;
	so.no_notes = true;
	so.fix_together = !notes;
	so.max_blob_size = opts->max_blob_size;
	so.unscanned_fails = true; /* a push not fully checked is refused */
	so.deadline_ms = opts->deadline_ms;
	so.threads = opts->threads;
	if (rs.walked && rs.new_commits < SMALL_PUSH)
		so.threads = 1; /* starting threads costs more than it saves */
	if (range.npush == 0 && range.nrefs == 0)
		goto done;
	if ((error = emb_scan_range(repo, m, &range, &so, &found, &stats)) < 0)
		goto done;
	if (notes)
		relabel_notes(&found, repo);
	out->commits += stats.commits;
	out->refs += stats.refs;
	emb_findings_move(&out->findings, &found);
done:
	emb_findings_release(&found);
	emb_range_release(&range);
	return error;
}

/* The entry of a security fork's findings, owned by the result. */
static struct emb_entry *fork_entry(struct emb_push_result *out,
				    const char *fork)
{
	struct emb_entry *e = emb_xcalloc(1, sizeof(*e));
	struct emb_buf id = EMB_BUF_INIT;

	emb_buf_printf(&id, "security-fork:%s", fork);
	e->id = emb_buf_detach(&id);
	e->until = EMB_TIME_NONE;
	out->forks = emb_xrealloc(out->forks,
				  (out->nforks + 1) * sizeof(*out->forks));
	out->forks[out->nforks++] = e;
	return e;
}

/*
 * WebKit's rule: a pushed commit that the security fork has (in its
 * tracking refs) and the destination does not is an embargoed fix,
 * whatever it contains.
 */
static int fork_findings(struct emb_push_result *out, git_repository *repo,
			 const char *fork, const git_oid *tips, size_t ntips,
			 const struct emb_range *hides)
{
	struct emb_range on_fork = EMB_RANGE_INIT, pushed = EMB_RANGE_INIT;
	struct emb_oidset set = EMB_OIDSET_INIT;
	struct emb_buf glob = EMB_BUF_INIT, ev = EMB_BUF_INIT;
	git_revwalk *walk = NULL;
	struct emb_entry *e = NULL;
	git_oid oid;
	size_t i;
	int error, gerr = GIT_ITEROVER;

	emb_buf_printf(&glob, "refs/remotes/%s/*", fork);
	emb_buf_printf(&ev, "on the security fork '%s'", fork);
	if ((error = emb_range_add_refs(&on_fork, repo, glob.ptr, false)) < 0)
		goto done;
	for (i = 0; i < hides->nhide; i++) {
		emb_range_hide(&on_fork, &hides->hide[i]);
		emb_range_hide(&pushed, &hides->hide[i]);
	}
	for (i = 0; i < ntips; i++)
		emb_range_push(&pushed, &tips[i]);
	if (!on_fork.npush || !ntips)
		goto done;
	if ((error = emb_walk_new(&walk, repo, &on_fork)) < 0)
		goto done;
	while ((gerr = git_revwalk_next(&oid, walk)) == 0)
		emb_oidset_add(&set, &oid);
	git_revwalk_free(walk);
	walk = NULL;
	if (gerr == GIT_ITEROVER && set.n &&
	    (error = emb_walk_new(&walk, repo, &pushed)) == 0) {
		while ((gerr = git_revwalk_next(&oid, walk)) == 0) {
			git_commit *c = NULL;

			if (!emb_oidset_has(&set, &oid))
				continue;
			if (!e)
				e = fork_entry(out, fork);
			if (git_commit_lookup(&c, repo, &oid) < 0)
				git_error_clear();
			emb_fix_finding(
				&out->findings, repo, e, &oid,
				emb_scan_commit_seq(c ? git_commit_time(c) : 0),
				0, ev.ptr, NULL, 0, NULL);
			git_commit_free(c);
		}
	}
	if (!error && gerr != GIT_ITEROVER) {
		emb_error_set_git("cannot walk the commits of '%s'", glob.ptr);
		error = EMB_EREPO;
	}
done:
	git_revwalk_free(walk);
	emb_oidset_release(&set);
	emb_range_release(&on_fork);
	emb_range_release(&pushed);
	emb_buf_release(&glob);
	emb_buf_release(&ev);
	return error;
}

static bool receiver_shows(const char *ref, void *payload)
{
	return emb_remote_refs_shows(payload, ref, false);
}

int emb_push_check(struct emb_push_result *out, git_repository *repo,
		   const struct emb_matcher *m,
		   const struct emb_refupdates *updates,
		   const struct emb_push_opts *opts)
{
	struct emb_range hides = EMB_RANGE_INIT, refs = EMB_RANGE_INIT;
	git_oid *tips = NULL, *notes = NULL;
	size_t ntips = 0, nnotes = 0, i;
	int error = 0;

	tips = emb_xcalloc(updates->n + 1, sizeof(git_oid));
	notes = emb_xcalloc(updates->n + 1, sizeof(git_oid));

	for (i = 0; i < updates->n; i++) {
		const struct emb_refupdate *u = &updates->v[i];
		git_oid c;
		bool is_tag = false;

		/* the receiver's value of a ref it hides is not public */
		if (u->has_old &&
		    (!opts->receiver ||
		     emb_remote_refs_shows(opts->receiver, u->ref, true)))
			emb_range_hide(&hides, &u->old_id);
		if (!u->has_new)
			continue; /* a deletion publishes nothing */
		if ((error = pushed_commit(&c, &is_tag, repo, u)) < 0)
			goto done;
		if (is_notes_ref(u->ref))
			git_oid_cpy(&notes[nnotes++], &c);
		else
			git_oid_cpy(&tips[ntips++], &c);
		if (!u->has_old || is_tag)
			emb_range_add_ref(&refs, u->ref, &u->new_id);
	}

	if (!ntips && !nnotes && !refs.nrefs)
		goto done; /* only deletions: nothing is published */

	/* what the receiver has */
	if (opts->receiver)
		error = emb_range_hide_refs_if(&hides, repo, receiver_shows,
					       (void *)opts->receiver);
	else if (opts->side == EMB_PUSH_SERVER)
		error = emb_range_add_refs(&hides, repo, NULL, true);
	if (error < 0)
		goto done;

	error = scan_part(out, repo, m, tips, ntips, &hides, &refs, opts,
			  false);
	for (i = 0; !error && opts->side == EMB_PUSH_CLIENT && i < opts->nforks;
	     i++)
		error = fork_findings(out, repo, opts->security_forks[i], tips,
				      ntips, &hides);
	if (!error && opts->nforks) {
		emb_findings_sort(&out->findings);
		emb_fix_findings_dedupe(&out->findings);
	}
	if (!error && nnotes)
		error = scan_part(out, repo, m, notes, nnotes, &hides, NULL,
				  opts, true);
done:
	free(tips);
	free(notes);
	emb_range_release(&hides);
	emb_range_release(&refs);
	return error;
}

void emb_push_result_release(struct emb_push_result *r)
{
	size_t i;

	emb_findings_release(&r->findings);
	for (i = 0; i < r->nforks; i++) {
		free(r->forks[i]->id);
		free(r->forks[i]);
	}
	free(r->forks);
	memset(r, 0, sizeof(*r));
}

int64_t emb_push_deadline(int64_t start, enum emb_push_side side,
			  const struct emb_config *conf, const char *test_ms)
{
	if (test_ms && !strcmp(test_ms, "expired"))
		return 1;
	if (test_ms && *test_ms) {
		long long v = strtoll(test_ms, NULL, 10);

		return v > 0 ? start + v : 0;
	}
	if (side == EMB_PUSH_CLIENT && !conf->timeout_set)
		return 0;
	return conf->timeout_ms > 0 ? start + conf->timeout_ms : 0;
}
