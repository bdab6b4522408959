/*
 * rawobj.c - commits, tags and trees parsed in place.
 *
 * The commit header as libgit2 1.5's commit_parse() reads it; tree
 * entries as git's tree-walk.c decodes them.  Pointers go into the
 * caller's data; nothing is copied.
 */
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/rawobj.h"

/* 40 hex digits, then the end of the line. */
static bool parse_oid(git_oid *out, const char *p, const char *eol)
{
	/* not git_oid_fromstrn: callgrind put it at 2.5% of a metadata scan */
	return eol - p == GIT_OID_HEXSZ &&
	       emb_hex_decode(out->id, p, GIT_OID_RAWSZ);
}

/* "name <email> time zone": where "name <email>" ends, and the time */
static size_t parse_ident(const char *p, const char *eol, int64_t *time)
{
	const char *gt = memrchr(p, '>', (size_t)(eol - p));
	const char *t;
	int64_t v = 0;

	if (!gt)
		return (size_t)(eol - p);
	for (t = gt + 1; t < eol && *t == ' '; t++)
		;
	for (; t < eol && *t >= '0' && *t <= '9' && v < ((int64_t)1 << 50); t++)
		v = v * 10 + (*t - '0');
	if (time)
		*time = v;
	return (size_t)(gt + 1 - p);
}

static bool starts(const char *p, const char *eol, const char *key, size_t len)
{
	return (size_t)(eol - p) >= len && !memcmp(p, key, len);
}

/* "<key>name <email> time zone" at p; false when it is not one. */
static bool ident_line(const char **p, const char *end, const char *key,
		       size_t klen, const char **ident, size_t *len,
		       int64_t *time)
{
	const char *eol = memchr(*p, '\n', (size_t)(end - *p));
	const char *lt, *gt;

	if (!eol)
		eol = end;
	if (!starts(*p, eol, key, klen))
		return false;
	lt = memchr(*p + klen, '<', (size_t)(eol - *p - klen));
	gt = memrchr(*p + klen, '>', (size_t)(eol - *p - klen));
	if (!lt || !gt || gt < lt)
		return false; /* libgit2: "malformed e-mail" */
	if (ident) {
		*ident = *p + klen;
		*len = parse_ident(*p + klen, eol, time);
	}
	*p = eol < end ? eol + 1 : end;
	return true;
}

/*
 * The header as libgit2 1.5 reads it, in this order: "tree", any number
 * of "parent" lines, "author" (extra ones are skipped), "committer",
 * then other headers (encoding, gpgsig, mergetag, ...) up to a blank
 * line, and the message.  A "parent" line anywhere else is not a parent,
 * for git as for libgit2, so it is not one here either.
 */
static int parse(struct emb_commit_fields *c, const char *p, const char *end)
{
	size_t alloc = 2;

	c->parents = c->small;
	if (!starts(p, end, "tree ", 5) || end - p < 5 + GIT_OID_HEXSZ + 1 ||
	    p[5 + GIT_OID_HEXSZ] != '\n' ||
	    !parse_oid(&c->tree, p + 5, p + 5 + GIT_OID_HEXSZ))
		return -1;
	p += 5 + GIT_OID_HEXSZ + 1;
	while (starts(p, end, "parent ", 7) &&
	       end - p >= 7 + GIT_OID_HEXSZ + 1 &&
	       p[7 + GIT_OID_HEXSZ] == '\n') {
		if (c->np == alloc) {
			alloc *= 2;
			if (c->parents == c->small) {
				c->parents =
					emb_xcalloc(alloc, sizeof(git_oid));
				memcpy(c->parents, c->small, sizeof(c->small));
			} else {
				c->parents = emb_xrealloc(
					c->parents, alloc * sizeof(git_oid));
			}
		}
		if (!parse_oid(&c->parents[c->np++], p + 7,
			       p + 7 + GIT_OID_HEXSZ))
			return -1;
		p += 7 + GIT_OID_HEXSZ + 1;
	}
	c->head = p;
	if (!ident_line(&p, end, "author ", 7, &c->author, &c->author_len,
			NULL))
		return -1;
	while (ident_line(&p, end, "author ", 7, NULL, NULL, NULL))
		;
	if (!ident_line(&p, end, "committer ", 10, &c->committer,
			&c->committer_len, &c->time))
		return -1;
	while (p < end) { /* the other headers */
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (*p == '\n') { /* the blank line before the message */
			c->head_len = (size_t)(p - c->head);
			p++;
			break;
		}
		p = eol ? eol + 1 : end;
	}
	if (!c->head_len)
		c->head_len = (size_t)(p - c->head);
	c->msg = p;
	c->msg_len = (size_t)(end - p);
	return 0;
}

int emb_commit_parse(struct emb_commit_fields *c, const char *data, size_t size)
{
	memset(c, 0, sizeof(*c));
	if (parse(c, data, data + size) < 0) {
		emb_commit_fields_release(c);
		return -1;
	}
	return 0;
}

void emb_commit_fields_release(struct emb_commit_fields *c)
{
	if (c->parents && c->parents != c->small)
		free(c->parents);
	c->parents = NULL;
	c->np = 0;
}

/*
 * A tag as libgit2 1.5's tag_parse() reads it: "object", "type" (one of
 * the four), "tag <name>", an optional "tagger", then other headers up
 * to a blank line, and the message.  git reads the same fields
 * (tag.c, parse_tag_buffer()).
 */
int emb_tag_parse(struct emb_tag_fields *t, const char *data, size_t size)
{
	static const struct {
		const char *name;
		size_t len;
		git_object_t type;
	} types[] = {
		{ "commit\n", 7, GIT_OBJECT_COMMIT },
		{ "tree\n", 5, GIT_OBJECT_TREE },
		{ "blob\n", 5, GIT_OBJECT_BLOB },
		{ "tag\n", 4, GIT_OBJECT_TAG },
	};
	const char *p = data, *end = data + size, *eol;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (!starts(p, end, "object ", 7) || end - p < 7 + GIT_OID_HEXSZ + 1 ||
	    p[7 + GIT_OID_HEXSZ] != '\n' ||
	    !parse_oid(&t->target, p + 7, p + 7 + GIT_OID_HEXSZ))
		return -1;
	p += 7 + GIT_OID_HEXSZ + 1;
	if (end - p <= 5 || memcmp(p, "type ", 5))
		return -1;
	p += 5;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if ((size_t)(end - p) <= types[i].len)
			return -1; /* libgit2: "object too short" */
		if (!memcmp(p, types[i].name, types[i].len)) {
			t->type = types[i].type;
			p += types[i].len;
			break;
		}
	}
	if (!t->type || end - p <= 4 || memcmp(p, "tag ", 4))
		return -1;
	t->head = p;
	p += 4;
	if (!(eol = memchr(p, '\n', (size_t)(end - p))))
		return -1;
	t->name = p;
	t->name_len = (size_t)(eol - p);
	p = eol + 1;
	if (p < end && *p != '\n' &&
	    !ident_line(&p, end, "tagger ", 7, &t->tagger, &t->tagger_len,
			NULL))
		return -1;
	t->head_len = (size_t)(p - t->head);
	t->msg = end;
	if (p < end) {
		if (*p != '\n') { /* other headers, up to the blank line */
			const char *blank =
				memmem(p, (size_t)(end - p), "\n\n", 2);

			if (!blank)
				return -1; /* libgit2: "no message" */
			p = blank + 1;
			t->head_len = (size_t)(p - t->head);
		}
		t->msg = p + 1;
	}
	t->msg_len = (size_t)(end - t->msg);
	return 0;
}

bool emb_mode_is_tree(unsigned mode)
{
	return (mode & 0170000) == 0040000;
}

bool emb_mode_is_blob(unsigned mode)
{
	return mode == GIT_FILEMODE_BLOB ||
	       mode == GIT_FILEMODE_BLOB_EXECUTABLE ||
	       mode == GIT_FILEMODE_LINK;
}

int emb_tree_entry_cmp(const struct emb_tree_entry *a,
		       const struct emb_tree_entry *b)
{
	size_t l = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, l);
	unsigned ca, cb;

	if (c)
		return c;
	ca = a->len > l		       ? (unsigned char)a->name[l] :
	     emb_mode_is_tree(a->mode) ? '/' :
					 0;
	cb = b->len > l		       ? (unsigned char)b->name[l] :
	     emb_mode_is_tree(b->mode) ? '/' :
					 0;
	return (int)ca - (int)cb;
}

int emb_tree_next(const unsigned char **pp, const unsigned char *end,
		  struct emb_tree_entry *e)
{
	const unsigned char *p = *pp, *nul;
	unsigned mode = 0;

	if (p == end)
		return 0;
	while (p < end && *p >= '0' && *p <= '7' && mode < 01000000)
		mode = mode * 8 + (unsigned)(*p++ - '0');
	if (p == end || *p != ' ')
		return -1;
	p++;
	nul = memchr(p, '\0', (size_t)(end - p));
	if (!nul || nul == p || (size_t)(end - nul - 1) < GIT_OID_RAWSZ)
		return -1;
	switch (mode & 0170000) { /* git's canon_mode() */
	case 0100000:
		mode = mode & 0100 ? 0100755 : 0100644;
		break;
	case 0120000: /* 120777 is a symbolic link too */
		mode = 0120000;
		break;
	case 0040000:
		mode = 0040000;
		break;
	default: /* what git checks out as a submodule: no content */
		mode = 0160000;
		break;
	}
	e->name = (const char *)p;
	e->len = (size_t)(nul - p);
	e->mode = mode;
	e->oid = (const git_oid *)(nul + 1);
	*pp = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}
