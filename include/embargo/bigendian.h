/*
 * bigendian.h - reading git's binary index files: big-endian integers,
 * with or without a bounds check, and the 256-entry fan-out table that
 * pack indexes and commit-graphs both start their object ids with.
 *
 * The files are mapped and untrusted (a pack index or commit-graph may
 * be damaged, and both are fuzzed): a reader whose offset comes from the
 * file uses the _at forms, which say no instead of reading past the end.
 */
#ifndef EMBARGO_BIGENDIAN_H
#define EMBARGO_BIGENDIAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Bytes in a fan-out table: 256 big-endian 32-bit counts. */
#define EMB_FANOUT_SIZE (256 * 4)

/*
 * The unchecked readers are inline: the commit-graph walk reads a few
 * of them per commit, and the caller has checked the bounds already.
 */

/** @return the big-endian 32-bit integer at `p` (4 bytes readable). */
static inline uint32_t emb_be_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/** @return the big-endian 64-bit integer at `p` (8 bytes readable). */
static inline uint64_t emb_be_u64(const unsigned char *p)
{
	return (uint64_t)emb_be_u32(p) << 32 | emb_be_u32(p + 4);
}

/**
 * The big-endian 32-bit integer at `off` in `size` bytes at `buf`.
 * @param[out] out untouched when it does not fit
 * @return false when the 4 bytes at `off` are not all inside
 */
bool emb_be_u32_at(uint32_t *out, const unsigned char *buf, size_t size,
		   uint64_t off);

/** As emb_be_u32_at(), for the 8 bytes of a 64-bit integer. */
bool emb_be_u64_at(uint64_t *out, const unsigned char *buf, size_t size,
		   uint64_t off);

/**
 * Check a fan-out table: entry i counts the ids whose first byte is at
 * most i, so the counts never decrease, and the last is the number of
 * ids.
 * @param fan the table, `size` bytes readable from it
 * @param[out] total the last count (the number of ids)
 * @return false when the table is shorter than EMB_FANOUT_SIZE or a
 * count decreases
 */
bool emb_be_fanout_check(uint32_t *total, const unsigned char *fan,
			 size_t size);

/**
 * The positions [*lo, *hi) where ids starting with byte `first` sit, in
 * a table emb_be_fanout_check() accepted.
 */
void emb_be_fanout_range(uint32_t *lo, uint32_t *hi, const unsigned char *fan,
			 unsigned char first);

#endif
