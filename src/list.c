/*
 * list.c - loading embargo lists.
 *
 * libgit2's config parser reads every value (quoting, escapes, line
 * continuations, comments).  libgit2 1.5 reports neither the line a
 * variable came from nor a section that has no variables, and both
 * matter here: "[embargo \"SEC-1042\"]" alone is a complete entry, and
 * an error must name its line.  So a small locator finds the section
 * header lines; it reads no values.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/fold.h"
#include "embargo/list.h"

struct header {
	char *section; /* lower case */
	char *sub;     /* NULL for [section] */
	int line;
	size_t offset; /* of the line after the header's */
};

struct loader {
	struct emb_list *list;
	const char *path;
	const char *text;
	size_t len;
	struct header *headers;
	size_t nheaders;
	struct emb_map embargo_headers; /* sub (or "") -> header index + 1 */
	size_t first_entry;  /* index of this file's first new entry */
	unsigned gen;	     /* this file's number, from 1 */
	struct emb_map seen; /* "sub\0key" -> values seen so far */
	int error;
};

/* Is g[0..n) letters then digits ("SEC1042")?  *cut: where digits start */
static bool letters_digits(const char *g, size_t n, size_t *cut)
{
	size_t i = 0;

	while (i < n && isalpha((unsigned char)g[i]))
		i++;
	if (i == 0 || i == n)
		return false;
	*cut = i;
	while (i < n && isdigit((unsigned char)g[i]))
		i++;
	return i == n;
}

static bool only_digits(const char *s, size_t n)
{
	while (n--)
		if (!isdigit((unsigned char)*s++))
			return false;
	return true;
}

/* Are all the group ends in `ends` among `allowed` (0-terminated)? */
static bool ends_within(const size_t *ends, size_t nends, const size_t *allowed)
{
	size_t i, j;

	for (i = 0; i < nends; i++) {
		for (j = 0; allowed[j] && allowed[j] != ends[i]; j++)
			;
		if (!allowed[j])
			return false;
	}
	return true;
}

static bool canonical_ascii(char *out, size_t size, const char *id, size_t len)
{
	char up[256];
	size_t ends[256], nends = 0, n = 0, i, o = 0, g;
	bool prev_sep = true;

	if (len == 0 || len >= sizeof(up))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];

		if (isalnum(c)) {
			up[n++] = (char)toupper(c);
			prev_sep = false;
		} else if (c == '-' || c == '_' || c == '.' || c == ' ') {
			if (prev_sep)
				return false;
			ends[nends++] = n;
			prev_sep = true;
		} else {
			return false;
		}
	}
	if (prev_sep)
		return false;
	ends[nends++] = n;

	/* CVE + 4-digit year + 4 or more digits, however separated */
	if (n >= 11 && !memcmp(up, "CVE", 3) && only_digits(up + 3, n - 3)) {
		const size_t cve[] = { 3, 7, n, 0 };

		if (ends_within(ends, nends, cve)) {
			if (n + 3 > size)
				return false;
			snprintf(out, size, "CVE-%.4s-%.*s", up + 3,
				 (int)(n - 7), up + 7);
			return true;
		}
	}
	/* GHSA + three groups of 4, however separated */
	if (n == 16 && !memcmp(up, "GHSA", 4)) {
		const size_t ghsa[] = { 4, 8, 12, 16, 0 };

		if (ends_within(ends, nends, ghsa)) {
			if (20 > size)
				return false;
			snprintf(out, size, "GHSA-%.4s-%.4s-%.4s", up + 4,
				 up + 8, up + 12);
			return true;
		}
	}
	/* groups joined by '-'; letters run into digits are two groups */
	for (i = 0, g = 0; i < nends; g = ends[i++]) {
		size_t glen = ends[i] - g, cut;
		bool split = letters_digits(up + g, glen, &cut);

		if (o + glen + (i > 0) + split + 1 > size)
			return false;
		if (i > 0)
			out[o++] = '-';
		if (split) {
			memcpy(out + o, up + g, cut);
			o += cut;
			out[o++] = '-';
			memcpy(out + o, up + g + cut, glen - cut);
			o += glen - cut;
		} else {
			memcpy(out + o, up + g, glen);
			o += glen;
		}
	}
	out[o] = '\0';
	return true;
}

bool emb_id_canonical(char *out, size_t size, const char *id, size_t len)
{
	struct emb_fold f = EMB_FOLD_INIT;
	bool ok;

	/* the spelling of a hit, or an id typed into a list or `hash` */
	if (!emb_fold(&f, id, len))
		return canonical_ascii(out, size, id, len);
	ok = canonical_ascii(out, size, f.text, f.len);
	emb_fold_release(&f);
	return ok;
}

void emb_id_hash(unsigned char out[EMB_HASH_LEN], const char *canon)
{
	emb_sha256(out, canon, strlen(canon));
}

static bool parse_hash(unsigned char out[EMB_HASH_LEN], const char *hex)
{
	return strlen(hex) == 2 * EMB_HASH_LEN &&
	       emb_hex_decode(out, hex, EMB_HASH_LEN);
}

/* The next blank-separated word of *p: @return its length, 0 at the end */
static size_t next_word(const char **p, const char **word)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	*word = s;
	while (s[n] && s[n] != ' ' && s[n] != '\t')
		n++;
	*p = s + n;
	return n;
}

static bool parse_oid(git_oid *out, const char *hex, size_t len)
{
	return len == GIT_OID_HEXSZ &&
	       emb_hex_decode(out->id, hex, GIT_OID_RAWSZ);
}

/* "<16 hex digits> ..." appended to *v: @return false on a bad word */
static bool parse_hashes(uint64_t **v, size_t *n, const char *value)
{
	const char *p = value, *w;
	size_t len, any = 0;

	while ((len = next_word(&p, &w)) > 0) {
		unsigned char raw[8];
		uint64_t h = 0;
		size_t i;

		if (len != 16 || !emb_hex_decode(raw, w, 8))
			return false;
		for (i = 0; i < 8; i++)
			h = h << 8 | raw[i];
		*v = emb_xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = h;
		any++;
	}
	return any > 0;
}

/*
 * Find "[name]" or "[name \"sub\"]" at the start of a line (after
 * blanks).  Escapes in the subsection follow git: \" and \\.
 */
static void locate_headers(struct loader *ld)
{
	const char *p = ld->text, *end = ld->text + ld->len;
	size_t alloc = 0;
	int line = 1;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *name;
		struct emb_buf sub = EMB_BUF_INIT;
		bool has_sub = false;

		if (!eol)
			eol = end;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q == '[') {
			q++;
			while (q < eol && isspace((unsigned char)*q))
				q++;
			name = q;
			while (q < eol && (isalnum((unsigned char)*q) ||
					   *q == '-' || *q == '.'))
				q++;
			if (q < eol && *name && q > name) {
				struct header h;
				size_t i, nlen = (size_t)(q - name);

				while (q < eol && isspace((unsigned char)*q))
					q++;
				if (q < eol && *q == '"') {
					has_sub = true;
					for (q++; q < eol && *q != '"'; q++) {
						if (*q == '\\' && q + 1 < eol)
							q++;
						emb_buf_putc(&sub, *q);
					}
				}
				h.section = emb_xstrndup(name, nlen);
				for (i = 0; i < nlen; i++)
					h.section[i] = (char)tolower(
						(unsigned char)h.section[i]);
				h.sub = has_sub ? emb_buf_detach(&sub) : NULL;
				h.line = line;
				h.offset =
					(size_t)(eol - ld->text) + (eol < end);
				if (ld->nheaders == alloc) {
					alloc = alloc ? alloc * 2 : 16;
					ld->headers = emb_xrealloc(
						ld->headers,
						alloc * sizeof(*ld->headers));
				}
				ld->headers[ld->nheaders++] = h;
			}
			emb_buf_release(&sub);
		}
		line++;
		p = eol + 1;
	}
}

/*
 * The line of the nth (from 0) `key` under the header of `sub`: libgit2
 * hands values over in file order, so counting occurrences finds the
 * line of a multi-valued key.
 */
static const struct header *find_header(const struct loader *ld,
					const char *sub)
{
	size_t i = (size_t)emb_map_get(&ld->embargo_headers, sub ? sub : "",
				       sub ? strlen(sub) + 1 : 0);

	return i ? &ld->headers[i - 1] : NULL;
}

static int locate_key(const struct loader *ld, const char *sub, const char *key,
		      size_t nth)
{
	const struct header *h = find_header(ld, sub);
	const char *p, *end = ld->text + ld->len;
	size_t klen = strlen(key);
	int line, next_header;

	if (!h)
		return 0;
	next_header = h + 1 < ld->headers + ld->nheaders ? h[1].line : 0;
	/* only the lines of this section are read */
	for (p = ld->text + h->offset, line = h->line + 1;
	     p < end && (!next_header || line < next_header); line++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;

		if (!eol)
			eol = end;
		while (q < eol && isspace((unsigned char)*q))
			q++;
		if ((size_t)(eol - q) >= klen && !strncasecmp(q, key, klen) &&
		    (q + klen == eol || !isalnum((unsigned char)q[klen])) &&
		    nth-- == 0)
			return line;
		p = eol + 1;
	}
	return h->line;
}

static int fail(struct loader *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct loader *ld, int line, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (line > 0)
		emb_error_set("bad embargo list '%s': line %d: %s", ld->path,
			      line, reason);
	else
		emb_error_set("bad embargo list '%s': %s", ld->path, reason);
	ld->error = EMB_ECONFIG;
	return EMB_ECONFIG;
}

static void index_key(char *key, size_t *len, bool hashed,
		      const unsigned char *hash, const char *canon)
{
	key[0] = hashed ? 'H' : 'P';
	if (hashed) {
		memcpy(key + 1, hash, EMB_HASH_LEN);
		*len = 1 + EMB_HASH_LEN;
	} else {
		*len = 1 + strlen(canon);
		memcpy(key + 1, canon, *len - 1);
	}
}

/* Add (or find) the entry for subsection `sub`, declared at `line`. */
static int add_entry(struct loader *ld, const char *sub, int line,
		     struct emb_entry **out)
{
	struct emb_list *list = ld->list;
	unsigned char hash[EMB_HASH_LEN];
	char canon[256], key[300];
	size_t keylen, slot;
	bool hashed = false;
	struct emb_entry *e;

	if (!*sub)
		return fail(ld, line, "empty identifier in [embargo \"\"]");
	if (!strncasecmp(sub, "sha256:", 7)) {
		hashed = true;
		if (!parse_hash(hash, sub + 7))
			return fail(ld, line,
				    "bad hash '%s': expected sha256: and 64 "
				    "hex digits (see 'git embargo hash')",
				    sub);
	} else if (!emb_id_canonical(canon, sizeof(canon), sub, strlen(sub))) {
		return fail(ld, line,
			    "bad identifier '%s': expected letters and digits "
			    "joined by single '-', '_', '.' or ' '",
			    sub);
	}

	/*
	 * The same entry is found twice in one file (locator, then values)
	 * and may be in several files; canonical forms that are equal are
	 * one entry.
	 */
	index_key(key, &keylen, hashed, hash, canon);
	slot = (size_t)emb_map_get(&list->index, key, keylen);
	if (slot) {
		e = &list->entries[slot - 1];
		if (e->gen != ld->gen) {
			e->gen = ld->gen;
			e->until_set = false;
		}
		*out = e;
		return 0;
	}
	if (list->n == list->alloc) {
		list->alloc = list->alloc ? list->alloc * 2 : 64;
		list->entries =
			emb_xrealloc(list->entries, list->alloc * sizeof(*e));
	}
	e = &list->entries[list->n++];
	memset(e, 0, sizeof(*e));
	e->id = emb_xstrdup(sub);
	e->hashed = hashed;
	if (hashed)
		memcpy(e->hash, hash, EMB_HASH_LEN);
	else
		e->canon = emb_xstrdup(canon);
	e->until = EMB_TIME_NONE;
	e->file = emb_xstrdup(ld->path);
	e->line = line;
	e->gen = ld->gen;
	emb_map_put(&list->index, key, keylen, (void *)list->n);
	*out = e;
	return 0;
}

static int header_line(const struct loader *ld, const char *sub)
{
	const struct header *h = find_header(ld, sub);

	return h ? h->line : 0;
}

static bool is_blank(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return !*s;
}

static int on_variable(const git_config_entry *ce, void *payload)
{
	struct loader *ld = payload;
	const char *name = ce->name, *dot1, *dot2;
	char sub[512], key[64];
	struct emb_entry *e;
	size_t sublen;
	int line, error;

	dot1 = strchr(name, '.');
	dot2 = strrchr(name, '.');
	if (!dot1 || strncmp(name, "embargo.", 8) != 0) {
		const char *kind = dot1 ? "section" : "variable";
		char sect[128];
		size_t i;

		snprintf(sect, sizeof(sect), "%.*s",
			 (int)(dot1 ? dot1 - name : (long)strlen(name)), name);
		line = 0;
		for (i = 0; i < ld->nheaders; i++)
			if (!strcmp(ld->headers[i].section, sect)) {
				line = ld->headers[i].line;
				break;
			}
		return fail(ld, line,
			    "unknown %s '%s': only [embargo \"<id>\"] "
			    "sections belong in an embargo list",
			    kind, sect);
	}
	if (dot1 == dot2)
		return fail(ld, locate_key(ld, NULL, dot2 + 1, 0),
			    "unknown key '%s': keys belong in an "
			    "[embargo \"<id>\"] section",
			    name);

	sublen = (size_t)(dot2 - dot1 - 1);
	snprintf(sub, sizeof(sub), "%.*s", (int)sublen, dot1 + 1);
	snprintf(key, sizeof(key), "%s", dot2 + 1);
	{
		struct emb_buf k = EMB_BUF_INIT;
		size_t nth;

		emb_buf_printf(&k, "%s%c%s", sub, 0, key);
		nth = (size_t)emb_map_get(&ld->seen, k.ptr, k.size);
		emb_map_put(&ld->seen, k.ptr, k.size, (void *)(nth + 1));
		emb_buf_release(&k);
		line = locate_key(ld, sub, key, nth);
	}

	if ((error = add_entry(ld, sub, header_line(ld, sub), &e)) < 0)
		return error;

	if (!strcmp(key, "until")) {
		emb_time d;

		if (!ce->value || emb_time_parse(&d, ce->value) < 0)
			return fail(ld, line,
				    "bad date '%s' for %s.until: expected "
				    "YYYY-MM-DD (the start of that day, UTC) "
				    "or a moment, YYYY-MM-DDTHH:MM:SSZ or "
				    "with an offset, +HH:MM",
				    ce->value ? ce->value : "", sub);
		/* within one file the last value wins, as in git */
		e->until_set = true;
		e->file_until = d;
	} else if (!strcmp(key, "alias")) {
		if (!ce->value || is_blank(ce->value))
			return fail(ld, line, "empty alias for '%s'", sub);
		e->aliases = emb_xrealloc(e->aliases,
					  (e->nalias + 1) * sizeof(char *));
		e->aliases[e->nalias++] = emb_xstrdup(ce->value);
	} else if (!strcmp(key, "pattern")) {
		struct emb_pattern_src *p;

		if (!ce->value || !*ce->value)
			return fail(ld, line, "empty pattern for '%s'", sub);
		e->patterns = emb_xrealloc(e->patterns,
					   (e->npattern + 1) * sizeof(*p));
		p = &e->patterns[e->npattern++];
		p->text = emb_xstrdup(ce->value);
		p->file = emb_xstrdup(ld->path);
		p->line = line;
	} else if (!strcmp(key, "fix")) {
		const char *p = ce->value ? ce->value : "", *w;
		size_t len = next_word(&p, &w);
		git_oid oid;

		if (!parse_oid(&oid, w, len) || next_word(&p, &w))
			return fail(ld, line,
				    "bad fix '%s' for '%s': expected a full "
				    "commit id (40 hex digits)",
				    ce->value ? ce->value : "", sub);
		e->fixes =
			emb_xrealloc(e->fixes, (e->nfix + 1) * sizeof(git_oid));
		git_oid_cpy(&e->fixes[e->nfix++], &oid);
	} else if (!strcmp(key, "patchid")) {
		const char *p = ce->value ? ce->value : "", *w;
		struct emb_patchid pid = { 0 };
		size_t len = next_word(&p, &w);
		bool ok =
			parse_oid(&pid.id, w, len) && !git_oid_is_zero(&pid.id);

		if (ok && (len = next_word(&p, &w)) > 0) {
			ok = parse_oid(&pid.commit, w, len) &&
			     !next_word(&p, &w);
			pid.has_commit = ok;
		}
		if (!ok)
			return fail(ld, line,
				    "bad patchId '%s' for '%s': expected "
				    "'<patch-id> [<commit id>]' as 'git "
				    "patch-id --stable' prints them",
				    ce->value ? ce->value : "", sub);
		e->patchids = emb_xrealloc(e->patchids,
					   (e->npatchid + 1) * sizeof(pid));
		e->patchids[e->npatchid++] = pid;
	} else if (!strcmp(key, "fixpaths") || !strcmp(key, "fixlines") ||
		   !strcmp(key, "fixfiles")) {
		static const char *const names[] = { "fixPaths", "fixLines",
						     "fixFiles" };
		int k = key[3] == 'p' ? 0 : key[3] == 'l' ? 1 : 2;
		uint64_t **v = k == 0 ? &e->fix_paths :
			       k == 1 ? &e->fix_lines :
					&e->fix_files;
		size_t *n = k == 0 ? &e->nfix_paths :
			    k == 1 ? &e->nfix_lines :
				     &e->nfix_files;

		if (!ce->value || !parse_hashes(v, n, ce->value))
			return fail(ld, line,
				    "bad %s '%s' for '%s': expected hashes "
				    "of 16 hex digits, as 'git embargo "
				    "fingerprint' writes them",
				    names[k], ce->value ? ce->value : "", sub);
	} else if (!strcmp(key, "note")) {
		free(e->note);
		e->note = emb_xstrdup(ce->value ? ce->value : "");
	} else {
		return fail(ld, line,
			    "unknown key '%s' in [embargo \"%s\"]: expected "
			    "until, alias, pattern, note, fix, patchId, "
			    "fixPaths, fixFiles or fixLines",
			    key, sub);
	}
	return 0;
}

static int read_file(char **out, size_t *len, const char *path)
{
	struct emb_buf buf = EMB_BUF_INIT;
	char chunk[8192];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		emb_error_set("cannot read embargo list '%s': %s", path,
			      strerror(errno));
		return EMB_ECONFIG;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		emb_buf_put(&buf, chunk, n);
	if (ferror(f)) {
		emb_error_set("cannot read embargo list '%s': %s", path,
			      strerror(errno));
		fclose(f);
		emb_buf_release(&buf);
		return EMB_ECONFIG;
	}
	fclose(f);
	*len = buf.size;
	*out = emb_buf_detach(&buf);
	return 0;
}

int emb_list_load_file(struct emb_list *list, const char *path)
{
	struct loader ld = { 0 };
	git_config *cfg = NULL;
	char *text = NULL;
	size_t i, len = 0;
	int error;

	ld.list = list;
	ld.path = path;
	ld.first_entry = list->n;
	ld.gen = (unsigned)list->nfiles + 1;

	if ((error = read_file(&text, &len, path)) < 0)
		return error;
	ld.text = text;
	ld.len = len;

	if (git_config_new(&cfg) < 0 ||
	    git_config_add_file_ondisk(cfg, path, GIT_CONFIG_LEVEL_APP, NULL,
				       1) < 0) {
		const git_error *ge = git_error_last();

		emb_error_set("bad embargo list '%s': %s", path,
			      ge && ge->message ? ge->message : "cannot parse");
		error = EMB_ECONFIG;
		goto done;
	}

	locate_headers(&ld);
	/* the first [embargo "sub"] of each sub: as the linear search had it */
	for (i = ld.nheaders; i-- > 0;)
		if (!strcmp(ld.headers[i].section, "embargo"))
			emb_map_put(&ld.embargo_headers,
				    ld.headers[i].sub ? ld.headers[i].sub : "",
				    ld.headers[i].sub ?
					    strlen(ld.headers[i].sub) + 1 :
					    0,
				    (void *)(i + 1));
	for (i = 0; i < ld.nheaders; i++) {
		struct emb_entry *e;

		if (strcmp(ld.headers[i].section, "embargo") != 0) {
			error = fail(&ld, ld.headers[i].line,
				     "unknown section '%s': only "
				     "[embargo \"<id>\"] sections belong in "
				     "an embargo list",
				     ld.headers[i].section);
			goto done;
		}
		if (!ld.headers[i].sub)
			continue;
		if ((error = add_entry(&ld, ld.headers[i].sub,
				       ld.headers[i].line, &e)) < 0)
			goto done;
	}

	error = git_config_foreach(cfg, on_variable, &ld);
	if (ld.error) {
		error = ld.error;
		goto done;
	}
	if (error < 0) {
		emb_error_set_git("bad embargo list '%s'", path);
		error = EMB_ECONFIG;
		goto done;
	}

	/*
	 * Several lists naming one issue keep the longest embargo: "until
	 * removed" (no until) beats any date, a later date an earlier one.
	 */
	for (i = 0, len = 0; i < list->n; i++) {
		struct emb_entry *e = &list->entries[i];
		emb_time d = e->until_set ? e->file_until : EMB_TIME_NONE;

		if (e->gen != ld.gen)
			continue;
		len++;
		if (i >= ld.first_entry || d == EMB_TIME_NONE ||
		    (e->until != EMB_TIME_NONE && d > e->until))
			e->until = d;
	}

	/* a copy truncated on its way must not turn the check off */
	if (len == 0) {
		error = fail(&ld, 0,
			     "no entries: an empty list would let "
			     "everything through; keep the lifted "
			     "entries, with their past 'until' dates");
		goto done;
	}

	list->files =
		emb_xrealloc(list->files, (list->nfiles + 1) * sizeof(char *));
	list->files[list->nfiles++] = emb_xstrdup(path);
	error = 0;

done:
	for (i = 0; i < ld.nheaders; i++) {
		free(ld.headers[i].section);
		free(ld.headers[i].sub);
	}
	free(ld.headers);
	emb_map_release(&ld.seen);
	emb_map_release(&ld.embargo_headers);
	git_config_free(cfg);
	free(text);
	return error;
}

static char *expand_home(const char *path)
{
	const char *home = getenv("HOME");
	struct emb_buf buf = EMB_BUF_INIT;

	if (path[0] == '~' && (path[1] == '/' || !path[1]) && home) {
		emb_buf_puts(&buf, home);
		emb_buf_puts(&buf, path + 1);
		return emb_buf_detach(&buf);
	}
	return emb_xstrdup(path);
}

struct cfg_paths {
	char **paths;
	size_t n;
};

static int collect_path(const git_config_entry *ce, void *payload)
{
	struct cfg_paths *cp = payload;

	if (!ce->value || !*ce->value)
		return 0;
	cp->paths = emb_xrealloc(cp->paths, (cp->n + 1) * sizeof(char *));
	cp->paths[cp->n++] = expand_home(ce->value);
	return 0;
}

int emb_list_load(struct emb_list *list, git_config *cfg,
		  const char *const *files, size_t n)
{
	struct cfg_paths cp = { NULL, 0 };
	const char *env = getenv("GIT_EMBARGO_LIST");
	size_t i;
	int error = 0;

	if (n > 0) {
		for (i = 0; i < n && !error; i++) {
			char *p = expand_home(files[i]);

			error = emb_list_load_file(list, p);
			free(p);
		}
		return error;
	}

	if (env && *env) {
		char *copy = emb_xstrdup(env), *s = copy, *colon;

		do {
			colon = strchr(s, ':');
			if (colon)
				*colon = '\0';
			if (*s)
				collect_path(&(git_config_entry){ .value = s },
					     &cp);
			s = colon + 1;
		} while (colon);
		free(copy);
	} else if (cfg) {
		error = git_config_get_multivar_foreach(
			cfg, "embargo.list", NULL, collect_path, &cp);
		if (error == GIT_ENOTFOUND)
			error = 0;
		if (error < 0) {
			emb_error_set_git("cannot read embargo.list");
			error = EMB_ECONFIG;
		}
	}

	if (!error && cp.n == 0) {
		emb_error_set("no embargo list: give --list FILE, set "
			      "GIT_EMBARGO_LIST, or set embargo.list in git "
			      "config");
		error = EMB_ECONFIG;
	}
	for (i = 0; i < cp.n; i++) {
		if (!error)
			error = emb_list_load_file(list, cp.paths[i]);
		free(cp.paths[i]);
	}
	free(cp.paths);
	return error;
}

void emb_list_expire(struct emb_list *list, emb_time now)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		struct emb_entry *e = &list->entries[i];

		e->expired = e->until != EMB_TIME_NONE && e->until <= now;
	}
}

size_t emb_list_active(const struct emb_list *list)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		n += !list->entries[i].expired;
	return n;
}

void emb_list_release(struct emb_list *list)
{
	size_t i, j;

	for (i = 0; i < list->n; i++) {
		struct emb_entry *e = &list->entries[i];

		free(e->id);
		free(e->canon);
		for (j = 0; j < e->nalias; j++)
			free(e->aliases[j]);
		free(e->aliases);
		for (j = 0; j < e->npattern; j++) {
			free(e->patterns[j].text);
			free(e->patterns[j].file);
		}
		free(e->patterns);
		free(e->note);
		free(e->fixes);
		free(e->patchids);
		free(e->fix_paths);
		free(e->fix_lines);
		free(e->fix_files);
		free(e->file);
	}
	free(list->entries);
	for (i = 0; i < list->nfiles; i++)
		free(list->files[i]);
	free(list->files);
	emb_map_release(&list->index);
	memset(list, 0, sizeof(*list));
}
