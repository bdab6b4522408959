/*
 * map.c - open addressing with linear probing, kept at most half full.
 */
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/map.h"

uint64_t emb_map_hash(const void *key, size_t len)
{
	/* FNV-1a; keys are short (identifiers, object ids). */
	const unsigned char *p = key;
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static struct emb_map_slot *find(const struct emb_map *map, const void *key,
				 size_t len, uint64_t h)
{
	size_t i, mask = map->cap - 1;

	for (i = h & mask;; i = (i + 1) & mask) {
		struct emb_map_slot *s = &map->slots[i];

		if (!s->key)
			return s;
		if (s->hash == h && s->len == len && !memcmp(s->key, key, len))
			return s;
	}
}

void *emb_map_get(const struct emb_map *map, const void *key, size_t len)
{
	struct emb_map_slot *s;

	if (!map->n)
		return NULL;
	s = find(map, key, len, emb_map_hash(key, len));
	return s->key ? s->value : NULL;
}

bool emb_map_has(const struct emb_map *map, const void *key, size_t len)
{
	if (!map->n)
		return false;
	return find(map, key, len, emb_map_hash(key, len))->key != NULL;
}

static void grow(struct emb_map *map)
{
	struct emb_map_slot *old = map->slots;
	size_t i, oldcap = map->cap;

	map->cap = oldcap ? oldcap * 2 : 64;
	map->slots = emb_xcalloc(map->cap, sizeof(*map->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i].key)
			*find(map, old[i].key, old[i].len, old[i].hash) =
				old[i];
	free(old);
}

bool emb_map_put(struct emb_map *map, const void *key, size_t len, void *value)
{
	uint64_t h = emb_map_hash(key, len);
	struct emb_map_slot *s;

	if ((map->n + 1) * 2 > map->cap)
		grow(map);
	s = find(map, key, len, h);
	if (s->key) {
		s->value = value;
		return false;
	}
	s->key = emb_xmalloc(len ? len : 1);
	memcpy(s->key, key, len);
	s->len = len;
	s->hash = h;
	s->value = value;
	map->n++;
	return true;
}

void emb_map_release(struct emb_map *map)
{
	size_t i;

	for (i = 0; i < map->cap; i++)
		free(map->slots[i].key);
	free(map->slots);
	memset(map, 0, sizeof(*map));
}
