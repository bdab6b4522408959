/*
 * bigendian.c - bounded big-endian reads and the fan-out table of pack
 * indexes (Documentation/gitformat-pack.txt) and commit-graphs
 * (gitformat-commit-graph.txt).  Nothing here opens or maps a file.
 */
#include "embargo/bigendian.h"

bool emb_be_u32_at(uint32_t *out, const unsigned char *buf, size_t size,
		   uint64_t off)
{
	if (off > size || size - off < 4)
		return false;
	*out = emb_be_u32(buf + off);
	return true;
}

bool emb_be_u64_at(uint64_t *out, const unsigned char *buf, size_t size,
		   uint64_t off)
{
	if (off > size || size - off < 8)
		return false;
	*out = emb_be_u64(buf + off);
	return true;
}

bool emb_be_fanout_check(uint32_t *total, const unsigned char *fan, size_t size)
{
	uint32_t prev = 0;
	size_t i;

	if (size < EMB_FANOUT_SIZE)
		return false;
	for (i = 0; i < 256; i++) {
		uint32_t c = emb_be_u32(fan + 4 * i);

		if (c < prev)
			return false;
		prev = c;
	}
	*total = prev;
	return true;
}

void emb_be_fanout_range(uint32_t *lo, uint32_t *hi, const unsigned char *fan,
			 unsigned char first)
{
	*lo = first ? emb_be_u32(fan + 4 * (first - 1)) : 0;
	*hi = emb_be_u32(fan + 4 * first);
}
