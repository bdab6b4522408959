/*
 * export.c - the developers' list: hashed identifiers, no notes, and
 * aliases and patterns only where the team keeps them.  The text is
 * read back by list.c like any list; nothing here touches files.
 */
#include <string.h>

#include "embargo/export.h"
#include "embargo/sha256.h"

/* A config value in double quotes, so '#', ';' and spaces survive. */
static void put_value(struct emb_buf *b, const char *key, const char *v)
{
	emb_buf_printf(b, "\t%s = \"", key);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			emb_buf_putc(b, '\\');
		if (*v == '\n')
			emb_buf_puts(b, "\\n");
		else
			emb_buf_putc(b, *v);
	}
	emb_buf_puts(b, "\"\n");
}

static void put_left_out(struct emb_buf *b, const struct emb_export_counts *c)
{
	emb_buf_printf(b,
		       "# Left out: %zu note%s, %zu alias%s, %zu pattern%s, "
		       "%zu lifted entr%s, the fix fingerprints of %zu "
		       "entr%s.\n",
		       c->notes, c->notes == 1 ? "" : "s", c->aliases,
		       c->aliases == 1 ? "" : "es", c->patterns,
		       c->patterns == 1 ? "" : "s", c->lifted,
		       c->lifted == 1 ? "y" : "ies", c->fixes,
		       c->fixes == 1 ? "y" : "ies");
}

void emb_list_export(struct emb_buf *out, struct emb_export_counts *left,
		     const struct emb_list *list,
		     const struct emb_export_opts *opts)
{
	struct emb_buf body = EMB_BUF_INIT;
	size_t i, j;

	memset(left, 0, sizeof(*left));
	for (i = 0; i < list->n; i++) {
		const struct emb_entry *e = &list->entries[i];
		unsigned char h[EMB_HASH_LEN];
		char hex[2 * EMB_HASH_LEN + 1], until[32];

		if (e->expired) {
			left->lifted++;
			continue;
		}
		if (e->hashed)
			memcpy(h, e->hash, sizeof(h));
		else
			emb_id_hash(h, e->canon);
		emb_sha256_tohex(hex, h);
		emb_buf_printf(&body, "[embargo \"sha256:%s\"]\n", hex);
		if (e->until != EMB_TIME_NONE) {
			emb_time_format(until, sizeof(until), e->until);
			emb_buf_printf(&body, "\tuntil = %s\n", until);
		}
		for (j = 0; j < e->nalias; j++) {
			if (opts->aliases)
				put_value(&body, "alias", e->aliases[j]);
			else
				left->aliases++;
		}
		for (j = 0; j < e->npattern; j++) {
			if (opts->patterns)
				put_value(&body, "pattern",
					  e->patterns[j].text);
			else
				left->patterns++;
		}
		left->notes += e->note != NULL;
		left->fixes += e->nfix || e->npatchid || e->nfix_paths ||
			       e->nfix_lines;
		left->entries++;
	}
	emb_buf_printf(out,
		       "# git-embargo list for developers' machines: %zu "
		       "entr%s, every identifier hashed\n"
		       "# (sha256 of its canonical form; 'git embargo hash "
		       "<id>' gives the same).\n",
		       left->entries, left->entries == 1 ? "y" : "ies");
	put_left_out(out, left);
	if (opts->aliases && opts->patterns)
		emb_buf_puts(out, "# Aliases and patterns are plain text: "
				  "leave them out with --no-aliases "
				  "--no-patterns.\n");
	emb_buf_put(out, body.ptr ? body.ptr : "", body.size);
	emb_buf_release(&body);
}
