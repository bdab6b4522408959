/*
 * reach.h - the commits a receiver lacks: reachable from the pushed
 * tips and from none of the receiver's refs.
 *
 * A push of ten commits must not cost a walk of history.  The cost of
 * "tips --not hides" is the part of history between the hides and the
 * new commits: nothing for a branch based on a remote tip, but every
 * commit since the base when a branch starts from an old commit.  git
 * walks that part with its commit-graph (one array lookup per commit);
 * libgit2 1.5 parses each commit from the pack instead, and rejects the
 * commit-graph git 2.36+ writes.  So this module reads git's
 * commit-graph itself (a single file or a split chain, versions with or
 * without generation data), walks in generation order, which is exact
 * without date heuristics, and stops as soon as nothing interesting is
 * left.  Commits not in the graph (new ones, those fetched since the
 * graph was written, everything when there is no graph) are parsed with
 * libgit2 and ordered by date, as git and libgit2 do.
 *
 * Each commit is read once, so libgit2's object cache only costs here:
 * callers that walk long histories do well to turn it off
 * (GIT_OPT_ENABLE_CACHING; the hooks do).
 *
 * The result is a range the scanner walks cheaply: the new tips, and as
 * hides only the boundary (the hidden parents of new commits), so the
 * scanner's revwalk visits exactly the new commits and stops there.
 */
#ifndef EMBARGO_REACH_H
#define EMBARGO_REACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "embargo/walk.h"

struct emb_reach_stats {
	size_t new_commits; /* commits reachable from tips and no hide */
	size_t visited;	    /* commits the computation looked at */
	bool used_graph;    /* a commit-graph was read */
	bool walked;	    /* false: no hide, so no walk was needed */
};

/**
 * Add to `out` the range of commits reachable from `tips` and from none
 * of `hides`.  Tips must be commits; hides may be any object id (tags
 * are peeled, missing objects and non-commits hide nothing).
 * @param deadline_ms emb_clock_ms() value to give up at; 0: none
 * @param[out] stats may be NULL
 * @return 0, EMB_EREPO (a tip or a parent of a new commit cannot be
 * read), EMB_ETIMEOUT
 */
int emb_reach_range(struct emb_range *out, git_repository *repo,
		    const git_oid *tips, size_t ntips, const git_oid *hides,
		    size_t nhides, int64_t deadline_ms,
		    struct emb_reach_stats *stats);

/**
 * Stop libgit2 from loading the repository's commit-graph on its own:
 * it checksums the whole file (30 ms for 200,000 commits) and then
 * rejects the generation-data chunk git 2.36+ writes by default.
 * Walks that need speed go through emb_reach_range() instead.
 */
void emb_reach_drop_libgit2_graph(git_repository *repo);

#endif
