/*
 * fuzz_audit_merge.c - libFuzzer target: any bytes as the JSON line
 * parts `git embargo audit --merge` reads (split into two parts at the
 * first form feed), each row redacted on every other run, and written
 * through the sink of the format the first byte chooses (text, JSON,
 * SARIF, HTML), as cmd_audit.c does.  A part that is not audit output
 * must be refused with a message naming the file and line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "embargo/audit.h"
#include "embargo/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
	struct emb_audit_sink *sink;
	bool redact;
};

static int emit_row(void *payload, json_t *row)
{
	struct state *st = payload;

	if (st->redact)
		emb_audit_row_redact(row);
	(void)emb_audit_row_verdict(row);
	return emb_audit_sink_row(st->sink, row);
}

static void put(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char a[64], b[64];
	static FILE *devnull;
	static const enum emb_audit_format formats[] = {
		EMB_AUDIT_TEXT, EMB_AUDIT_JSON, EMB_AUDIT_SARIF, EMB_AUDIT_HTML
	};
	struct emb_audit_sink_opts opts = { .today = 20605,
					    .name_width = 20,
					    .title = NULL };
	const char *files[2] = { a, b };
	const uint8_t *ff;
	struct state st = { NULL, false };
	struct emb_audit_merge_info info;
	int error;

	if (size < 1)
		return 0;
	if (!devnull) {
		snprintf(a, sizeof(a), "/tmp/fuzz-merge-%d.a", (int)getpid());
		snprintf(b, sizeof(b), "/tmp/fuzz-merge-%d.b", (int)getpid());
		if (!(devnull = fopen("/dev/null", "w")))
			abort();
	}
	st.redact = data[0] & 4;
	if (emb_audit_sink_new(&st.sink, formats[data[0] % 4], devnull, &opts) <
	    0)
		abort();
	data++, size--;
	ff = memchr(data, '\f', size);
	put(a, data, ff ? (size_t)(ff - data) : size);
	put(b, ff ? ff + 1 : data, ff ? size - (size_t)(ff - data) - 1 : 0);
	error = emb_audit_merge(files, 2, emit_row, &st, &info);
	if (!error)
		error = emb_audit_sink_finish(st.sink);
	else if (!*emb_error_last())
		abort(); /* a refusal must say why */
	emb_audit_sink_free(st.sink);
	unlink(a);
	unlink(b);
	return 0;
}
