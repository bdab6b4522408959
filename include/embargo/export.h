/*
 * export.h - a list for developers' machines, made from the security
 * team's: every identifier hashed, nothing the hooks do not need.
 *
 * Developers' pre-push hooks need to recognise an embargoed identifier,
 * not to read it: each entry becomes "sha256:<hash of its canonical
 * form>", which the matcher finds through the identifier shapes.  Notes
 * are always left out; aliases and patterns (plain text that names the
 * issue) are kept unless the team leaves them out; entries already
 * lifted are left out; fix fingerprints are left to the server.  What
 * was left out is counted, for the export to say so.
 */
#ifndef EMBARGO_EXPORT_H
#define EMBARGO_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "embargo/buf.h"
#include "embargo/date.h"
#include "embargo/list.h"

struct emb_export_opts {
	bool aliases;  /* keep aliases (plain text) */
	bool patterns; /* keep patterns (plain text) */
};

#define EMB_EXPORT_OPTS_INIT                                                   \
	{                                                                      \
		.aliases = true, .patterns = true                              \
	}

/** What an export left out. */
struct emb_export_counts {
	size_t entries; /* entries written */
	size_t lifted;	/* entries left out: already lifted */
	size_t aliases, patterns, notes;
	size_t fixes; /* entries whose fix fingerprints were left out */
};

/**
 * Write the list (git config syntax) to `out`, with a header of
 * comments saying what it is and what it left out.
 */
void emb_list_export(struct emb_buf *out, struct emb_export_counts *left,
		     const struct emb_list *list,
		     const struct emb_export_opts *opts);

#endif
