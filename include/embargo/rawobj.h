/*
 * rawobj.h - commits, tags and trees parsed in place, from the bytes git
 * stores (as git_odb_read returns them).
 *
 * The scanner reads every commit and most trees of a history, and
 * libgit2's parsers allocate every field of a commit and every entry of
 * a tree.  These read only what the scanner needs and point into the
 * object's data, which must outlive what they fill in.  They take the
 * objects as libgit2 1.5 does: what libgit2 rejects, they reject.
 * Server hooks parse pushed objects with them, so they are fuzzed
 * (tests/fuzz/fuzz_rawobj.c).
 */
#ifndef EMBARGO_RAWOBJ_H
#define EMBARGO_RAWOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

struct emb_commit_fields {
	git_oid tree;
	git_oid *parents; /* `small`, or allocated past two parents */
	git_oid small[2];
	size_t np;
	/* the header past the tree and parent lines, from "author" up to
	 * (not with) the blank line: identities, encoding, gpgsig,
	 * mergetag, any other or repeated header */
	const char *head;
	size_t head_len;
	const char *author, *committer; /* "name <email>", not terminated */
	size_t author_len, committer_len;
	int64_t time;	 /* the committer's, seconds */
	const char *msg; /* after the header's blank line, not terminated */
	size_t msg_len;
};

/**
 * Parse a commit: "tree", the "parent" lines right after it (a parent
 * line anywhere else is no parent, for git as for libgit2), "author"
 * (extra ones skipped), "committer", other headers, a blank line and
 * the message.  `c` must not be copied afterwards (`parents` may point
 * into it).
 * @return 0, or -1 when the data is no such commit (c is released)
 */
int emb_commit_parse(struct emb_commit_fields *c, const char *data,
		     size_t size);

void emb_commit_fields_release(struct emb_commit_fields *c);

struct emb_tag_fields {
	git_oid target;
	git_object_t type; /* of the target */
	/* the header from "tag <name>" up to (not with) the blank line:
	 * name, tagger, any other header */
	const char *head;
	size_t head_len;
	const char *name; /* not terminated */
	size_t name_len;
	const char *tagger; /* "name <email>", or NULL */
	size_t tagger_len;
	const char *msg; /* after the blank line; msg_len 0 when none */
	size_t msg_len;
};

/**
 * Parse an annotated tag: "object", "type", "tag", an optional
 * "tagger", other headers, a blank line and the message.  Pointers go
 * into `data`; nothing is allocated.
 * @return 0, or -1 when the data is no such tag (as libgit2 decides)
 */
int emb_tag_parse(struct emb_tag_fields *t, const char *data, size_t size);

struct emb_tree_entry {
	const char *name; /* not terminated */
	size_t len;
	/* as git's canon_mode(): 100664 reads as 100644, 120777 as 120000,
	 * 040755 as 040000, any other type as a submodule (160000) */
	unsigned mode;
	const git_oid *oid;
};

/**
 * The entry of a tree at *p ("<octal mode> <name>\0<20-byte id>"), and
 * *p moved past it.
 * @return 1, 0 at the end, -1 when the data is no tree entry
 */
int emb_tree_next(const unsigned char **p, const unsigned char *end,
		  struct emb_tree_entry *e);

/** git's tree order: a tree's name sorts as if it ended in '/'. */
int emb_tree_entry_cmp(const struct emb_tree_entry *a,
		       const struct emb_tree_entry *b);

bool emb_mode_is_tree(unsigned mode);
bool emb_mode_is_blob(unsigned mode); /* a file or a symbolic link */

#endif
