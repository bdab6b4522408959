/*
 * list.h - embargo lists: which issues are embargoed, until when, and
 * under which other names.
 *
 * A list is git-config syntax, one subsection per issue:
 *
 *	[embargo "CVE-2026-31337"]
 *		until = 2026-12-31
 *		alias = Bleeding Heart
 *		pattern = bleed(ing)?[- _]?heart
 *		note = heap overflow in the parser
 *	[embargo "sha256:<64 hex digits>"]
 *	[embargo "CVE-2026-40001"]
 *		fix = <commit id>
 *		patchId = <patch-id> <commit id>
 *		fixPaths = <16 hex digits>
 *		fixFiles = <16 hex digits> ...
 *		fixLines = <16 hex digits> <16 hex digits> ...
 *
 * The fix keys (all multi-valued) describe the fix itself, as
 * `git embargo fingerprint` writes them: its commits, their stable
 * patch-ids, a hash of each commit's set of changed paths, hashes of
 * the names of the files it adds lines to, and hashes of its
 * distinctive added lines (fixprint.h).  No code is stored.
 *
 * Values are read with libgit2's config parser.  Lists come from --list,
 * else GIT_EMBARGO_LIST (colon-separated), else the multi-valued git
 * config embargo.list; none at all is a configuration error.
 */
#ifndef EMBARGO_LIST_H
#define EMBARGO_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "embargo/date.h"
#include "embargo/map.h"
#include "embargo/sha256.h"

#define EMB_HASH_LEN EMB_SHA256_LEN

struct emb_pattern_src {
	char *text;
	char *file;
	int line;
};

/* patchId = <patch-id> [<commit id>], as `git patch-id` prints them */
struct emb_patchid {
	git_oid id;
	git_oid commit;
	bool has_commit;
};

struct emb_entry {
	char *id;    /* as written in the list */
	char *canon; /* canonical form (plain entries), else NULL */
	bool hashed; /* a "sha256:" entry */
	unsigned char hash[EMB_HASH_LEN];
	emb_time until; /* the moment it lifts; EMB_TIME_NONE: embargoed
			 * until removed */
	bool expired;	/* until <= today: ignored by the matcher */
	char **aliases;
	size_t nalias;
	struct emb_pattern_src *patterns;
	size_t npattern;
	char *note;
	git_oid *fixes; /* fix = <commit id> */
	size_t nfix;
	struct emb_patchid *patchids;
	size_t npatchid;
	uint64_t *fix_paths; /* fixPaths: emb_fix_pathset hashes */
	size_t nfix_paths;
	uint64_t *fix_lines; /* fixLines: emb_fix_line_hash values */
	size_t nfix_lines;
	uint64_t *fix_files; /* fixFiles: emb_fix_file_hash of the names of
				the files the lines were added to */
	size_t nfix_files;
	char *file; /* where the entry was (first) defined */
	int line;

	/* loader state: the file generation that last saw the entry */
	unsigned gen;
	bool until_set;
	emb_time file_until;
};

struct emb_list {
	struct emb_entry *entries;
	size_t n, alloc;
	char **files; /* the lists read, in order */
	size_t nfiles;
	struct emb_map index; /* 'P' + canon or 'H' + hash -> index + 1 */
};

#define EMB_LIST_INIT                                                          \
	{                                                                      \
		.entries = NULL, .n = 0, .alloc = 0, .files = NULL,            \
		.nfiles = 0, .index = EMB_MAP_INIT                             \
	}

/**
 * Read one list file and add its entries (an identifier already present
 * is merged: aliases and patterns add up, the later `until` wins, and no
 * `until` at all wins over any date).
 * @return 0, or EMB_ECONFIG with "'file': line N: reason" set
 */
int emb_list_load_file(struct emb_list *list, const char *path);

/**
 * Load the lists in force: `files` when n > 0, else GIT_EMBARGO_LIST,
 * else embargo.list from `cfg` (may be NULL).
 * @return 0, or EMB_ECONFIG (no list configured, or a bad one)
 */
int emb_list_load(struct emb_list *list, git_config *cfg,
		  const char *const *files, size_t n);

/** Mark entries whose `until` is at or before `now` as expired. */
void emb_list_expire(struct emb_list *list, emb_time now);

/** @return the number of entries still in force. */
size_t emb_list_active(const struct emb_list *list);

void emb_list_release(struct emb_list *list);

/**
 * Canonical form of an identifier: folded (fold.h), ASCII upper case,
 * groups of letters and digits joined by '-'.  A separator ('-', '_',
 * '.', ' ') may be left out where the reading stays the same: between
 * letters and the digits that follow them (SEC1042 is SEC-1042), in a
 * CVE id (CVE + 4-digit year + 4 or more digits: CVE202631337 is
 * CVE-2026-31337) and in a GHSA id (GHSA + three groups of 4).
 * Writes at most `size` bytes.
 * @return false when `id` is not alphanumeric groups joined by single
 * separators
 */
bool emb_id_canonical(char *out, size_t size, const char *id, size_t len);

/**
 * The hash of a canonical identifier (emb_id_canonical()), as a list's
 * "sha256:<hex>" entries hold it: SHA-256 of its bytes (sha256.h).
 * Other digests (fingerprints, shard keys) use sha256.h directly.
 */
void emb_id_hash(unsigned char out[EMB_HASH_LEN], const char *canon);

#endif
