/*
 * map.h - an open-addressing hash map from byte strings to pointers.
 *
 * Used for the identifier set (canonical ids and their hashes), for
 * object id sets in the scanner, and for the notes index.  Keys are
 * copied; values are borrowed.  Not thread-safe for writes; concurrent
 * lookups on a map nobody writes are fine.
 */
#ifndef EMBARGO_MAP_H
#define EMBARGO_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emb_map_slot {
	char *key; /* NULL: empty */
	size_t len;
	uint64_t hash;
	void *value;
};

struct emb_map {
	struct emb_map_slot *slots;
	size_t n, cap;
};

#define EMB_MAP_INIT                                                           \
	{                                                                      \
		.slots = NULL, .n = 0, .cap = 0                                \
	}

/** @return the value stored under key, or NULL. */
void *emb_map_get(const struct emb_map *map, const void *key, size_t len);

/** @return true when key is present. */
bool emb_map_has(const struct emb_map *map, const void *key, size_t len);

/**
 * Store value under key, replacing any earlier value.
 * @return true when the key was new
 */
bool emb_map_put(struct emb_map *map, const void *key, size_t len, void *value);

void emb_map_release(struct emb_map *map);

uint64_t emb_map_hash(const void *key, size_t len);

#endif
