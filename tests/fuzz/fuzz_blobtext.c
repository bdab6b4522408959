/*
 * fuzz_blobtext.c - libFuzzer target: any bytes as a file the scanner
 * reads (what a push can send a server hook).  Decoding must stay
 * inside the data, give valid UTF-8 for decoded text, and place every
 * position of the runs at an offset inside the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/blobtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	struct emb_blobtext t;
	size_t i;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	emb_blobtext_read(&t, copy, size);
	if (t.form == EMB_BLOB_TEXT && (t.text != copy || t.len != size))
		abort();
	if (t.form == EMB_BLOB_BINARY && t.len)
		abort();
	if (memchr(t.runs, '\0', t.runs_len) ||
	    (t.form != EMB_BLOB_TEXT && memchr(t.text, '\0', t.len)))
		abort();
	for (i = 0; i < t.runs_len; i++)
		if (t.runs[i] != '\n' && emb_blobtext_offset(&t, i) >= size)
			abort();
	emb_blobtext_release(&t);
	free(copy);
	return 0;
}
