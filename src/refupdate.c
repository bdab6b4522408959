/*
 * refupdate.c - parsing the ref updates of pre-push, pre-receive and
 * update.
 *
 * Only the syntax is checked here; whether the objects exist is the
 * caller's business (a pre-push remote id is often not in the local
 * repository).  Fields are separated by single spaces, as git writes
 * them; anything else is an error, since a hook that guesses lets a push
 * through on input it did not understand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/refupdate.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

int emb_refupdate_parse_oid(git_oid *out, bool *is_zero, const char *hex,
			    size_t len)
{
	size_t i;
	bool zero = true;

	if (len != GIT_OID_HEXSZ && len != 64)
		return EMB_EUSAGE;
	for (i = 0; i < len; i++) {
		if (!is_hex(hex[i]))
			return EMB_EUSAGE;
		if (hex[i] != '0')
			zero = false;
	}
	*is_zero = zero;
	if (zero)
		return 0;
	if (len != GIT_OID_HEXSZ)
		return EMB_EUSAGE; /* SHA-256: libgit2 1.5 cannot read it */
	return git_oid_fromstrn(out, hex, len) < 0 ? EMB_EUSAGE : 0;
}

/* Split into exactly n space-separated, non-empty fields. */
static bool split(const char *line, size_t len, size_t n, const char **f,
		  size_t *flen)
{
	size_t i = 0, k;

	for (k = 0; k < n; k++) {
		size_t start = i;

		while (i < len && line[i] != ' ')
			i++;
		if (i == start)
			return false;
		f[k] = line + start;
		flen[k] = i - start;
		if (k + 1 < n) {
			if (i == len)
				return false;
			i++; /* the separator */
		}
	}
	return i == len;
}

static int oid_field(git_oid *out, bool *has, const char *hex, size_t len,
		     const char *what)
{
	bool zero = false;

	if (emb_refupdate_parse_oid(out, &zero, hex, len) < 0) {
		if (len == 64)
			emb_error_set("%s '%.*s' is a SHA-256 object id: "
				      "SHA-256 repositories are not supported",
				      what, (int)len, hex);
		else
			emb_error_set("%s '%.*s' is not an object id", what,
				      (int)len, hex);
		return EMB_EUSAGE;
	}
	*has = !zero;
	return 0;
}

int emb_refupdate_parse(struct emb_refupdate *out,
			enum emb_refupdate_format format, const char *line,
			size_t len)
{
	const char *f[4];
	size_t fl[4];
	int error;

	memset(out, 0, sizeof(*out));
	if (len && line[len - 1] == '\r')
		len--;
	if (format == EMB_REFUPDATE_PRE_PUSH) {
		if (!split(line, len, 4, f, fl)) {
			emb_error_set("expected '<local ref> <local object> "
				      "<remote ref> <remote object>', got "
				      "'%.*s'",
				      (int)(len > 200 ? 200 : len), line);
			return EMB_EUSAGE;
		}
		if ((error = oid_field(&out->new_id, &out->has_new, f[1], fl[1],
				       "local object")) < 0 ||
		    (error = oid_field(&out->old_id, &out->has_old, f[3], fl[3],
				       "remote object")) < 0)
			return error;
		out->src = emb_xstrndup(f[0], fl[0]);
		out->ref = emb_xstrndup(f[2], fl[2]);
		return 0;
	}
	if (!split(line, len, 3, f, fl)) {
		emb_error_set("expected '<old object> <new object> <ref>', got "
			      "'%.*s'",
			      (int)(len > 200 ? 200 : len), line);
		return EMB_EUSAGE;
	}
	if ((error = oid_field(&out->old_id, &out->has_old, f[0], fl[0],
			       "old object")) < 0 ||
	    (error = oid_field(&out->new_id, &out->has_new, f[1], fl[1],
			       "new object")) < 0)
		return error;
	out->ref = emb_xstrndup(f[2], fl[2]);
	return 0;
}

int emb_refupdates_parse(struct emb_refupdates *out,
			 enum emb_refupdate_format format, const char *text,
			 size_t len)
{
	const char *p = text, *end = text + len;
	size_t lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct emb_refupdate u;

		lineno++;
		if (l && !(l == 1 && p[0] == '\r')) {
			if (emb_refupdate_parse(&u, format, p, l) < 0) {
				char msg[1024];

				snprintf(msg, sizeof(msg), "%s",
					 emb_error_last());
				emb_error_set("bad hook input line %zu: %s",
					      lineno, msg);
				return EMB_EUSAGE;
			}
			emb_refupdates_add(out, &u);
		}
		p += l + (nl ? 1 : 0);
	}
	return 0;
}

int emb_refupdate_from_args(struct emb_refupdate *out, const char *ref,
			    const char *old_hex, const char *new_hex)
{
	int error;

	memset(out, 0, sizeof(*out));
	if (!*ref || strchr(ref, ' ')) {
		emb_error_set("bad ref name '%s'", ref);
		return EMB_EUSAGE;
	}
	if ((error = oid_field(&out->old_id, &out->has_old, old_hex,
			       strlen(old_hex), "old object")) < 0 ||
	    (error = oid_field(&out->new_id, &out->has_new, new_hex,
			       strlen(new_hex), "new object")) < 0)
		return error;
	out->ref = emb_xstrdup(ref);
	return 0;
}

void emb_refupdate_release(struct emb_refupdate *u)
{
	free(u->ref);
	free(u->src);
	memset(u, 0, sizeof(*u));
}

void emb_refupdates_add(struct emb_refupdates *list,
			const struct emb_refupdate *u)
{
	if (list->n == list->alloc) {
		list->alloc = list->alloc ? list->alloc * 2 : 8;
		list->v = emb_xrealloc(list->v, list->alloc * sizeof(*u));
	}
	list->v[list->n++] = *u;
}

void emb_refupdates_release(struct emb_refupdates *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		emb_refupdate_release(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof(*list));
}
