/*
 * fuzz_match.c - libFuzzer target: any bytes as text to match against a
 * list with every kind of entry.  Hits must lie inside the text, in
 * order, one per (entry, start).  The folding's map back to the original
 * must stay inside the text and never go backwards.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "embargo/error.h"
#include "embargo/fold.h"
#include "embargo/list.h"
#include "embargo/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char list_text[] =
	"[embargo \"CVE-2026-31337\"]\n"
	"\talias = Bleeding Heart\n"
	"\talias = \xef\xbc\xb3ilent\xc2\xa0Star\n"
	"\talias = @tag 7\n"
	"\tpattern = bleed(ing)?[- _]?heart\n"
	"[embargo \"SEC-1042\"]\n"
	"[embargo \"INC0012345\"]\n"
	"[embargo \"GHSA-4f5x-abcd-9xyz\"]\n"
	"[embargo \"sha256:"
	"d7a0f3f5d8c4e1b2a39485766f5e4d3c2b1a09f8e7d6c5b4a3928170615f4e3d\"]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct emb_list list = EMB_LIST_INIT;
	static struct emb_matcher *m;
	static struct emb_match_ctx *ctx;
	static struct emb_hits hits;
	size_t i;

	if (!m) {
		char path[64];
		FILE *f;

		git_libgit2_init();
		snprintf(path, sizeof(path), "/tmp/fuzz-match-%d",
			 (int)getpid());
		f = fopen(path, "wb");
		fputs(list_text, f);
		fclose(f);
		if (emb_list_load_file(&list, path) < 0 ||
		    emb_matcher_new(&m, &list, NULL, 0) < 0 ||
		    emb_match_ctx_new(&ctx, m) < 0)
			abort();
		unlink(path);
	}
	{
		static struct emb_fold f = EMB_FOLD_INIT;
		size_t p, prev = 0;

		if (emb_fold(&f, (const char *)data, size)) {
			if (f.len > size)
				abort();
			for (p = 0; p <= f.len; p++) {
				size_t o = emb_fold_start(&f, p);

				if (o > size || o < prev)
					abort();
				prev = o;
				if (p) {
					size_t s = emb_fold_start(&f, p - 1);
					size_t e = emb_fold_end(
						&f, (const char *)data, size,
						p);

					if (e <= s || e > size)
						abort();
				}
			}
		}
	}
	if (emb_match(ctx, (const char *)data, size, &hits) < 0)
		return 0; /* a match limit: reported, not a crash */
	for (i = 0; i < hits.n; i++) {
		if (hits.v[i].start >= hits.v[i].end || hits.v[i].end > size)
			abort();
		if (i && hits.v[i].start < hits.v[i - 1].start)
			abort();
	}
	return 0;
}
