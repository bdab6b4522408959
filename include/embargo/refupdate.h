/*
 * refupdate.h - the ref updates git hands its hooks.
 *
 * pre-push reads "<local ref> <local oid> <remote ref> <remote oid>"
 * lines on stdin; pre-receive "<old oid> <new oid> <ref>" lines; the
 * update hook gets "<ref> <old oid> <new oid>" as arguments.  An object
 * id is 40 hex digits (SHA-1) or 64 (SHA-256); all zeros of either
 * length means "no object": a ref being created (old) or deleted (new).
 *
 * Pure parsers: no repository is needed.  libgit2 1.5 knows SHA-1 only,
 * so a 64-digit id that is not all zeros is refused with a message
 * rather than misread.
 */
#ifndef EMBARGO_REFUPDATE_H
#define EMBARGO_REFUPDATE_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

/*
 * One update, seen from the side that receives the objects: `old` is
 * what the receiver's ref points to now, `new` what it will point to.
 */
struct emb_refupdate {
	char *ref;	/* the ref updated on the receiving side */
	char *src;	/* pre-push: the local ref pushed ("(delete)",
			   "HEAD", ...); NULL for pre-receive and update */
	bool has_old;	/* false: the ref is created */
	bool has_new;	/* false: the ref is deleted */
	git_oid old_id; /* valid when has_old */
	git_oid new_id; /* valid when has_new */
};

struct emb_refupdates {
	struct emb_refupdate *v;
	size_t n, alloc;
};

#define EMB_REFUPDATES_INIT                                                    \
	{                                                                      \
		.v = NULL, .n = 0, .alloc = 0                                  \
	}

enum emb_refupdate_format {
	EMB_REFUPDATE_PRE_PUSH, /* <local ref> <local oid> <remote ref> <remote
				   oid> */
	EMB_REFUPDATE_RECEIVE,	/* <old oid> <new oid> <ref> */
};

/**
 * Parse one object id: 40 or 64 hex digits.
 * @param[out] out the id (left untouched when all zeros)
 * @param[out] is_zero true for an all-zeros id of either length
 * @return 0, or EMB_EUSAGE (no message set) for anything else,
 * including a non-zero SHA-256 id
 */
int emb_refupdate_parse_oid(git_oid *out, bool *is_zero, const char *hex,
			    size_t len);

/**
 * Parse one line (without its newline; a trailing CR is ignored).
 * @param[out] out an update whose strings the caller releases with
 * emb_refupdate_release()
 * @return 0, or EMB_EUSAGE with a message naming what is wrong
 */
int emb_refupdate_parse(struct emb_refupdate *out,
			enum emb_refupdate_format format, const char *line,
			size_t len);

/**
 * Parse every line of a hook's input (empty lines are skipped).  Stops
 * at the first bad line.
 * @return 0, or EMB_EUSAGE with "line N: ..." set
 */
int emb_refupdates_parse(struct emb_refupdates *out,
			 enum emb_refupdate_format format, const char *text,
			 size_t len);

/**
 * Build the update the `update` hook is given as arguments.
 * @return 0, or EMB_EUSAGE with a message
 */
int emb_refupdate_from_args(struct emb_refupdate *out, const char *ref,
			    const char *old_hex, const char *new_hex);

void emb_refupdate_release(struct emb_refupdate *u);

/** Append (taking ownership of u's strings). */
void emb_refupdates_add(struct emb_refupdates *list,
			const struct emb_refupdate *u);

void emb_refupdates_release(struct emb_refupdates *list);

#endif
