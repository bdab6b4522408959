/*
 * oidset.c - open addressing over object ids; ids are already uniformly
 * distributed, so their first bytes are the hash.
 */
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/oidset.h"

static bool is_zero(const git_oid *oid)
{
	static const git_oid zero;

	return !memcmp(oid, &zero, sizeof(zero));
}

static size_t slot_of(const git_oid *oid, size_t cap)
{
	size_t h;

	memcpy(&h, oid->id, sizeof(h));
	return h & (cap - 1);
}

static git_oid *find(const struct emb_oidset *set, const git_oid *oid)
{
	size_t i, mask = set->cap - 1;

	for (i = slot_of(oid, set->cap);; i = (i + 1) & mask)
		if (is_zero(&set->slots[i]) ||
		    !memcmp(&set->slots[i], oid, sizeof(*oid)))
			return &set->slots[i];
}

static void grow(struct emb_oidset *set)
{
	git_oid *old = set->slots;
	size_t i, oldcap = set->cap;

	set->cap = oldcap ? oldcap * 2 : 1024;
	set->slots = emb_xcalloc(set->cap, sizeof(git_oid));
	for (i = 0; i < oldcap; i++)
		if (!is_zero(&old[i]))
			*find(set, &old[i]) = old[i];
	free(old);
}

bool emb_oidset_add(struct emb_oidset *set, const git_oid *oid)
{
	git_oid *slot;

	if (is_zero(oid)) {
		bool was = set->has_zero;

		set->has_zero = true;
		return !was;
	}
	if ((set->n + 1) * 2 > set->cap)
		grow(set);
	slot = find(set, oid);
	if (!is_zero(slot))
		return false;
	*slot = *oid;
	set->n++;
	return true;
}

bool emb_oidset_has(const struct emb_oidset *set, const git_oid *oid)
{
	if (is_zero(oid))
		return set->has_zero;
	return set->cap && !is_zero(find(set, oid));
}

void emb_oidset_release(struct emb_oidset *set)
{
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
