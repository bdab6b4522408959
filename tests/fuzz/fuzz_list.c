/*
 * fuzz_list.c - libFuzzer target: any bytes as an embargo list file.
 * Loading must succeed or fail with a message; never crash or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "embargo/error.h"
#include "embargo/list.h"
#include "embargo/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct emb_list list = EMB_LIST_INIT;
	struct emb_matcher *m = NULL;
	FILE *f;

	if (!path[0]) {
		git_libgit2_init();
		snprintf(path, sizeof(path), "/tmp/fuzz-list-%d",
			 (int)getpid());
	}
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (emb_list_load_file(&list, path) == 0) {
		if (emb_matcher_new(&m, &list, NULL, 0) == 0)
			emb_matcher_free(m);
	} else if (!*emb_error_last()) {
		abort(); /* a failure must say why */
	}
	emb_list_release(&list);
	return 0;
}
