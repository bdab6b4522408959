/*
 * lineset.c - a set of keyed line hashes (open addressing, linear
 * probing), and SipHash-2-4 (Aumasson and Bernstein, as in its
 * reference implementation) for the hashes.  The key comes from
 * getrandom() once per process; when that fails, from the clock and the
 * process id, which still keeps it out of a pusher's reach.
 *
 * This is a third hash set beside map.c and oidset.c on purpose: their
 * keys are chosen by the list and by git (FNV-1a over an identifier,
 * the first bytes of an object id), while these are lines a pusher
 * writes.  With an unkeyed hash a pusher could make a new line collide
 * with an old one, so that it looks moved and is never reported; the
 * set keeps only the 64-bit keyed hashes, never the lines.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "embargo/buf.h"
#include "embargo/lineset.h"

static uint64_t key[2];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void key_init(void)
{
	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		key[0] = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ULL ^
			 (uint64_t)ts.tv_sec;
		key[1] = (uint64_t)getpid() * 0xC2B2AE3D27D4EB4FULL ^
			 (uintptr_t)&ts;
	}
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1, v1 = ROTL(v1, 13), v1 ^= v0, v0 = ROTL(v0, 32);      \
		v2 += v3, v3 = ROTL(v3, 16), v3 ^= v2;                         \
		v0 += v3, v3 = ROTL(v3, 21), v3 ^= v0;                         \
		v2 += v1, v1 = ROTL(v1, 17), v1 ^= v2, v2 = ROTL(v2, 32);      \
	} while (0)

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t siphash(uint64_t k0, uint64_t k1, const unsigned char *p,
			size_t len)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0,
		 v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0,
		 v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)len << 56, m;
	const unsigned char *end = p + (len & ~(size_t)7);
	size_t left = len & 7;

	for (; p < end; p += 8) {
		m = le64(p);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	while (left--)
		b |= (uint64_t)p[left] << (8 * left);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t emb_line_hash(unsigned tag, const char *line, size_t len)
{
	uint64_t h;

	pthread_once(&key_once, key_init);
	h = siphash(key[0] ^ tag, key[1], (const unsigned char *)line, len);
	return h ? h : 1;
}

static size_t slot_of(uint64_t h, size_t cap)
{
	return (size_t)(h ^ (h >> 32)) & (cap - 1);
}

static void grow(struct emb_lineset *set)
{
	uint64_t *old = set->slots;
	size_t oldcap = set->cap, i;

	set->cap = oldcap ? oldcap * 2 : 1024;
	set->slots = emb_xcalloc(set->cap, sizeof(*set->slots));
	for (i = 0; i < oldcap; i++) {
		size_t s;

		if (!old[i])
			continue;
		for (s = slot_of(old[i], set->cap); set->slots[s];
		     s = (s + 1) & (set->cap - 1))
			;
		set->slots[s] = old[i];
	}
	free(old);
}

void emb_lineset_add(struct emb_lineset *set, uint64_t h)
{
	size_t s;

	h = h ? h : 1;
	if ((set->n + 1) * 2 > set->cap)
		grow(set);
	for (s = slot_of(h, set->cap); set->slots[s];
	     s = (s + 1) & (set->cap - 1))
		if (set->slots[s] == h)
			return;
	set->slots[s] = h;
	set->n++;
}

bool emb_lineset_has(const struct emb_lineset *set, uint64_t h)
{
	size_t s;

	h = h ? h : 1;
	if (!set->cap)
		return false;
	for (s = slot_of(h, set->cap); set->slots[s];
	     s = (s + 1) & (set->cap - 1))
		if (set->slots[s] == h)
			return true;
	return false;
}

void emb_lineset_clear(struct emb_lineset *set)
{
	if (set->cap > 65536) /* a large set is not kept for a small one */
		emb_lineset_release(set);
	else if (set->slots)
		memset(set->slots, 0, set->cap * sizeof(*set->slots));
	set->n = 0;
}

void emb_lineset_release(struct emb_lineset *set)
{
	free(set->slots);
	set->slots = NULL;
	set->n = set->cap = 0;
}
