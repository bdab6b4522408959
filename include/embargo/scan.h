/*
 * scan.h - find references to embargoed issues in history.
 *
 * For each commit of a range: its message (trailers included), author
 * and committer, the git notes attached to it and, unless diffs are off,
 * the paths it adds or renames to and the lines it adds.  A line is
 * added when no parent's version of that file contains it and no file
 * the commit removes or changes contains it either, so a line that only
 * moved is not new.  For each ref of the range: its name and, for an
 * annotated tag, the tag's name, tagger and message.
 *
 * Added lines are found without patches: each new blob is matched as a
 * whole, and only the rare blob with a hit is compared line by line with
 * the parents' versions.  The walk, the metadata and the tree
 * comparisons run on the calling thread; the new blobs are read in
 * batches, in pack order, on a second one.
 */
#ifndef EMBARGO_SCAN_H
#define EMBARGO_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include <git2.h>

#include "embargo/config.h"
#include "embargo/finding.h"
#include "embargo/match.h"
#include "embargo/walk.h"

struct emb_scan_opts {
	bool diffs;	      /* paths and added lines (false: --no-diffs) */
	size_t max_blob_size; /* larger blobs are read in pieces */
	unsigned threads;     /* 1: all on the calling thread; 0: two
				 when the machine has two cores */
	int64_t deadline_ms;  /* emb_clock_ms() value; 0: none */
	/* verbose notes: skipped blobs; may be NULL */
	void (*note)(void *payload, const char *message);
	void *note_payload;
	/* do not scan the notes that local notes refs attach to the commits:
	 * a push does not publish them (hooks scan pushed notes refs
	 * as commits of their own) */
	bool no_notes;
	size_t batch; /* new blobs read per batch; 0: the default */
	/* a push: the lines of a fix that the commits add together count,
	 * not only those of each commit (fixprint.h) */
	bool fix_together;
	/* a file that cannot be scanned (over max_blob_size and stored as
	 * a delta): false, it is counted and `warn`ed; true (server
	 * hooks), the scan stops with EMB_EREPO naming it */
	bool unscanned_fails;
	void (*warn)(void *payload, const char *message); /* may be NULL */
	/* called from the walk every EMB_SCAN_PROGRESS_EVERY commits with
	 * the number walked so far; may be NULL */
	void (*progress)(void *payload, uint64_t commits);
	void *progress_payload;
};

#define EMB_SCAN_PROGRESS_EVERY 4096

#define EMB_SCAN_OPTS_INIT                                                     \
	{                                                                      \
		.diffs = true, .max_blob_size = EMB_CONFIG_DEFAULT_MAX_BLOB,   \
		.threads = 0, .deadline_ms = 0, .note = NULL,                  \
		.note_payload = NULL, .no_notes = false, .batch = 0,           \
		.fix_together = false, .unscanned_fails = false, .warn = NULL  \
	}

struct emb_scan_stats {
	uint64_t commits;
	uint64_t blobs;		  /* blobs matched */
	uint64_t blobs_binary;	  /* binary: their printable runs read */
	uint64_t blobs_decoded;	  /* UTF-16 or UTF-32 text, decoded */
	uint64_t blobs_large;	  /* over max_blob_size: read in pieces */
	uint64_t blobs_unscanned; /* over it and stored as deltas */
	uint64_t blobs_missing;	  /* skipped: not in a partial clone */
	uint64_t refs;
};

/**
 * Scan the refs and the commits of `range` and append findings, sorted
 * (refs first, then commits in walk order).  After a failure `out` has
 * the findings made before it.  A blob missing from a partial clone
 * (extensions.partialClone) is skipped with a note, as an oversized one.
 * @return 0, EMB_EREPO (missing or corrupt object, shallow boundary),
 * EMB_EMATCH (a pattern hit its match limit), EMB_ETIMEOUT
 */
int emb_scan_range(git_repository *repo, const struct emb_matcher *m,
		   const struct emb_range *range,
		   const struct emb_scan_opts *opts, struct emb_findings *out,
		   struct emb_scan_stats *stats);

/**
 * The sort key of a commit's findings (emb_finding.seq): commits newest
 * first, by committer time, after every ref.
 */
uint64_t emb_scan_commit_seq(int64_t commit_time);

/**
 * The object a note annotates, from the note's path in a notes tree:
 * its hex id, in one piece or fanned out in folders ("ab/cdef...", as
 * git writes them).  The scan reads notes trees by the same rule.
 * @param[out] out the annotated object's id
 * @return true when `path` is the path of a note
 */
bool emb_scan_note_target(git_oid *out, const char *path);

#endif
