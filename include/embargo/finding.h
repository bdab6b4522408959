/*
 * finding.h - one reference to an embargoed issue, and lists of them.
 */
#ifndef EMBARGO_FINDING_H
#define EMBARGO_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "embargo/list.h"
#include "embargo/match.h"

enum emb_kind {
	EMB_KIND_MESSAGE,   /* commit message line N */
	EMB_KIND_AUTHOR,    /* author name or e-mail */
	EMB_KIND_COMMITTER, /* committer name or e-mail */
	EMB_KIND_NOTE,	    /* git note attached to the commit, line N */
	EMB_KIND_LINE,	    /* line N added to path */
	EMB_KIND_PATH,	    /* a path the commit adds or renames to */
	EMB_KIND_TAG,	    /* tag name, or annotated tag message line N */
	EMB_KIND_REF,	    /* ref name */
	EMB_KIND_FIX,	    /* the embargoed fix itself (fixprint.h): the
			     * evidence is in `match` */
	EMB_KIND_HEADER,    /* a commit's or tag's other header (mergetag,
			     * gpgsig, encoding, a repeated one), line N
			     * of the raw object (git cat-file -p) */
	EMB_KIND_BINARY,    /* a printable run of a binary file added to
			     * path, at byte `offset` of the file */
};

struct emb_finding {
	const struct emb_entry *entry;
	enum emb_kind kind;
	enum emb_hit_how how;
	char *match; /* the text that matched */
	bool has_commit;
	git_oid commit;	 /* the commit (or tag object) it was found in */
	char *subject;	 /* the commit's subject line, or NULL */
	char *ref;	 /* ref or tag name, or NULL */
	char *path;	 /* file path, or NULL */
	size_t line;	 /* 1-based line, 0 when not applicable */
	uint64_t offset; /* EMB_KIND_BINARY: byte offset in the file */
	char *excerpt;	 /* the line it is on, shortened */
	uint64_t seq;	 /* sort key: refs in order, then commits newest
			  * first (ties: by commit id) */
	uint64_t pos;	 /* order within one object */
};

struct emb_findings {
	struct emb_finding *v;
	size_t n, alloc;
};

#define EMB_FINDINGS_INIT                                                      \
	{                                                                      \
		.v = NULL, .n = 0, .alloc = 0                                  \
	}

/** Append (taking ownership of the strings in f). */
void emb_findings_add(struct emb_findings *list, const struct emb_finding *f);

/** Move every finding of `from` to the end of `to`. */
void emb_findings_move(struct emb_findings *to, struct emb_findings *from);

/** Order by (seq, commit id, pos): the same whatever the threads. */
void emb_findings_sort(struct emb_findings *list);

void emb_findings_release(struct emb_findings *list);

/** Free the strings of one finding (not the record itself). */
void emb_finding_release(struct emb_finding *f);

/** @return "message", "line", "path", ... (the JSON `kind`) */
const char *emb_kind_name(enum emb_kind kind);

/**
 * The kind of a name emb_kind_name() gave (a finding read back).
 * @return 0, or -1 for a name this version does not know
 */
int emb_kind_from_name(enum emb_kind *out, const char *name);

/**
 * The identifier to show: the entry's id, or for a hashed entry the
 * text that matched (canonicalised).  Writes into buf.
 */
const char *emb_finding_identifier(const struct emb_finding *f, char *buf,
				   size_t size);

/**
 * Make an excerpt: the line of `text` around [start, end), without the
 * line break, at most about 160 bytes, control characters replaced.
 * @return a heap string; *line_out gets the 1-based line number
 */
char *emb_excerpt(const char *text, size_t len, size_t start, size_t end,
		  size_t *line_out);

#endif
