/*
 * fuzz_rawobj.c - libFuzzer target: any bytes as a commit, a tag and a
 * tree
 * (what a push can send a server hook).  The parsers must accept or
 * reject them without reading outside the data, and what they fill in
 * must lie inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/rawobj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const void *p, size_t len, const uint8_t *data, size_t size)
{
	const uint8_t *q = p;

	if (len && (q < data || q + len > data + size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly `size` bytes: ASan sees any read past it */
	char *copy = malloc(size ? size : 1);
	struct emb_commit_fields c;
	struct emb_tag_fields t;
	const unsigned char *p, *end;
	struct emb_tree_entry e, prev;
	int r, n = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (emb_commit_parse(&c, copy, size) == 0) {
		inside(c.author, c.author_len, (const uint8_t *)copy, size);
		inside(c.committer, c.committer_len, (const uint8_t *)copy,
		       size);
		inside(c.msg, c.msg_len, (const uint8_t *)copy, size);
		inside(c.head, c.head_len, (const uint8_t *)copy, size);
		if (c.np > size / 48)
			abort(); /* "parent <40 hex>\n" each */
		emb_commit_fields_release(&c);
	}
	if (emb_tag_parse(&t, copy, size) == 0) {
		inside(t.head, t.head_len, (const uint8_t *)copy, size);
		inside(t.name, t.name_len, (const uint8_t *)copy, size);
		inside(t.tagger, t.tagger_len, (const uint8_t *)copy, size);
		inside(t.msg, t.msg_len, (const uint8_t *)copy, size);
		if (t.msg < copy || t.msg > copy + size)
			abort();
	}
	p = (const unsigned char *)copy;
	end = p + size;
	while ((r = emb_tree_next(&p, end, &e)) == 1) {
		inside(e.name, e.len, (const uint8_t *)copy, size);
		inside(e.oid, GIT_OID_RAWSZ, (const uint8_t *)copy, size);
		if (n++) /* comparing reads inside both */
			(void)emb_tree_entry_cmp(&prev, &e);
		prev = e;
	}
	if (p > end)
		abort();
	free(copy);
	return 0;
}
