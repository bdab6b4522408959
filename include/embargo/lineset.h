/*
 * lineset.h - a set of lines, kept as keyed 64-bit hashes.
 *
 * The scanner asks, for the few lines of a commit that hold a hit,
 * whether the commit's parents or the files it removed already had
 * them.  The old lines are put in a set once per commit, so the check
 * costs one pass over the old content however many hit lines there
 * are.  Only hashes are kept, so the set stays small for a commit that
 * removes a large folder; the hash is SipHash-2-4 with a key drawn once
 * per process, so a pusher who knows the code cannot craft an old line
 * that collides with the new one to make it look moved.
 */
#ifndef EMBARGO_LINESET_H
#define EMBARGO_LINESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emb_lineset {
	uint64_t *slots; /* 0: empty (a hash of 0 is stored as 1) */
	size_t n, cap;
};

#define EMB_LINESET_INIT                                                       \
	{                                                                      \
		.slots = NULL, .n = 0, .cap = 0                                \
	}

/**
 * The hash of a line in a class (`tag`: lines of text and runs of a
 * binary file are different classes; a line never matches a run).
 */
uint64_t emb_line_hash(unsigned tag, const char *line, size_t len);

void emb_lineset_add(struct emb_lineset *set, uint64_t hash);
bool emb_lineset_has(const struct emb_lineset *set, uint64_t hash);
void emb_lineset_clear(struct emb_lineset *set);
void emb_lineset_release(struct emb_lineset *set);

#endif
