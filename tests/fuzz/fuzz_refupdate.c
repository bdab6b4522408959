/*
 * fuzz_refupdate.c - libFuzzer target: any bytes as the standard input
 * of a hook (pre-push's four fields, pre-receive's three) and as the
 * update hook's three arguments.  Each must parse or fail with a message;
 * what it fills in must be a ref name without NUL or newline.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/error.h"
#include "embargo/refupdate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct emb_refupdates *l, size_t len)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct emb_refupdate *u = &l->v[i];

		if (!u->ref || strchr(u->ref, '\n') || strlen(u->ref) > len)
			abort();
		if (u->src && strchr(u->src, '\n'))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly `size` bytes, so that ASan sees a read past them */
	char *text = malloc(size ? size : 1), *args;
	struct emb_refupdates l = EMB_REFUPDATES_INIT;
	struct emb_refupdate u;
	const char *a[3];
	size_t i, n;

	if (!text)
		return 0;
	memcpy(text, data, size);
	if (emb_refupdates_parse(&l, EMB_REFUPDATE_PRE_PUSH, text, size) == 0)
		check(&l, size);
	else if (!*emb_error_last())
		abort(); /* a failure must say why */
	emb_refupdates_release(&l);
	if (emb_refupdates_parse(&l, EMB_REFUPDATE_RECEIVE, text, size) == 0)
		check(&l, size);
	else if (!*emb_error_last())
		abort();
	emb_refupdates_release(&l);
	free(text);

	/* the update hook: three NUL-separated arguments */
	args = malloc(size + 3);
	if (!args)
		return 0;
	memcpy(args, data, size);
	memset(args + size, 0, 3);
	for (i = 0, n = 0; n < 3; n++) {
		a[n] = args + i;
		i += strlen(args + i) + 1;
		if (i > size)
			i = size; /* the rest are "" */
	}
	if (emb_refupdate_from_args(&u, a[0], a[1], a[2]) == 0)
		emb_refupdate_release(&u);
	free(args);
	return 0;
}
