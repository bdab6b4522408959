/*
 * policy_versions.c - the "Supported Versions" table against the
 * release tags of the repository.
 *
 * Tags that read as versions (v1.2.3, 1.2, pkg-1.2.3, pkg@1.2.3) are
 * ordered by version, never by date; pre-releases (-rc1, -alpha, -beta,
 * -m01, ...) count as existing versions but never as the latest
 * release.  Rows are read as version ranges ("1.3.x", "< 4.0", ">= 2",
 * "1.0 - 1.4", "^1.2"); rows that name no version ("latest", "main",
 * "the last two releases") are relative and exempt.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/error.h"
#include "policy_int.h"

/* ---- versions ---- */

static const char *const pre_words[] = {
	"rc",	    "alpha",   "beta",	    "pre",    "preview",  "dev",
	"snapshot", "nightly", "milestone", "canary", "next",	  "ea",
	"test",	    "a",       "b",	    "m",      "insiders",
};

static const char *const release_words[] = { "final", "ga", "release", "stable",
					     "lts" };

/* Is the suffix after the numbers a pre-release marker? */
static bool pre_suffix(const char *s)
{
	size_t i, n;

	if (!*s || *s == '+')
		return false;
	while (*s == '-' || *s == '.' || *s == '_')
		s++;
	for (n = 0; isalpha((unsigned char)s[n]); n++)
		;
	for (i = 0; i < sizeof(release_words) / sizeof(release_words[0]); i++)
		if (n == strlen(release_words[i]) &&
		    !strncasecmp(s, release_words[i], n))
			return false;
	for (i = 0; i < sizeof(pre_words) / sizeof(pre_words[0]); i++)
		if (n == strlen(pre_words[i]) &&
		    !strncasecmp(s, pre_words[i], n))
			return true;
	/* anything else after the numbers is not a plain release */
	return true;
}

/* Numbers "1.2.3" at s; returns the bytes read, 0 when none. */
static size_t read_numbers(struct pol_version *v, const char *s, bool *wildcard)
{
	const char *p = s;

	v->n = 0;
	if (wildcard)
		*wildcard = false;
	char sep = 0;

	while (isdigit((unsigned char)*p) && v->n < 6) {
		char *end;

		v->v[v->n++] = strtoul(p, &end, 10);
		p = end;
		/* "2_8_3" as expat and curl tag them: one separator for the
		 * whole version */
		if (!sep && *p == '_' && isdigit((unsigned char)p[1]))
			sep = '_';
		if (sep == '_') {
			if (*p != '_' || !isdigit((unsigned char)p[1]))
				break;
			p++;
			continue;
		}
		sep = '.';
		if (*p != '.' ||
		    !(isdigit((unsigned char)p[1]) ||
		      ((p[1] == 'x' || p[1] == 'X' || p[1] == '*') &&
		       !isalnum((unsigned char)p[2]))))
			break;
		p++;
		if (*p == 'x' || *p == 'X' || *p == '*') {
			if (wildcard)
				*wildcard = true;
			p++;
			/* "1.x.x" */
			while (p[0] == '.' &&
			       (p[1] == 'x' || p[1] == 'X' || p[1] == '*'))
				p += 2;
			break;
		}
	}
	return v->n ? (size_t)(p - s) : 0;
}

bool pol_version_parse(struct pol_version *out, const char *s)
{
	size_t i, len = strlen(s);

	memset(out, 0, sizeof(*out));
	for (i = 0; i < len; i++) {
		bool v_prefix = false;
		size_t start = i, n;

		if ((s[i] == 'v' || s[i] == 'V') &&
		    isdigit((unsigned char)s[i + 1])) {
			v_prefix = true;
			start = i + 1;
		} else if (!isdigit((unsigned char)s[i])) {
			continue;
		}
		if (i > 0 && !strchr("-_/@ ", s[i - 1]))
			continue;
		n = read_numbers(out, s + start, NULL);
		if (!n)
			continue;
		if (out->n < 2 && !v_prefix)
			return false;
		out->pre = pre_suffix(s + start + n);
		return true;
	}
	return false;
}

int pol_version_cmp(const struct pol_version *a, const struct pol_version *b)
{
	size_t i, n = a->n > b->n ? a->n : b->n;

	for (i = 0; i < n; i++) {
		unsigned long x = i < a->n ? a->v[i] : 0;
		unsigned long y = i < b->n ? b->v[i] : 0;

		if (x != y)
			return x < y ? -1 : 1;
	}
	if (a->pre != b->pre)
		return a->pre ? -1 : 1;
	return 0;
}

/* Compare only the first p->n components of v with p. */
static int prefix_cmp(const struct pol_version *v, const struct pol_version *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		unsigned long x = i < v->n ? v->v[i] : 0;

		if (x != p->v[i])
			return x < p->v[i] ? -1 : 1;
	}
	return 0;
}

/* ---- tags ---- */

struct tag_walk {
	struct pol_ctx *c;
	int error;
};

static int tag_cb(const char *name, git_oid *oid, void *payload)
{
	struct tag_walk *w = payload;
	struct pol_tags *tags = &w->c->tags;
	struct pol_version v;
	git_object *obj = NULL, *commit = NULL;
	emb_date date = EMB_DATE_NONE;
	const char *short_name = name;

	if (!strncmp(short_name, "refs/tags/", 10))
		short_name += 10;
	if (!pol_version_parse(&v, short_name))
		return 0;
	if (git_object_lookup(&obj, w->c->repo, oid, GIT_OBJECT_ANY) < 0) {
		git_error_clear();
		return 0; /* a dangling tag is no release */
	}
	if (git_object_type(obj) == GIT_OBJECT_TAG) {
		const git_signature *sig = git_tag_tagger((git_tag *)obj);

		if (sig)
			date = emb_date_from_time(sig->when.time);
	}
	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		git_object_free(obj);
		return 0; /* a tag of a tree or blob */
	}
	if (date == EMB_DATE_NONE)
		date = emb_date_from_time(
			git_commit_time((git_commit *)commit));
	git_object_free(commit);
	git_object_free(obj);
	/* "today" (GIT_EMBARGO_NOW) is before this release: not yet made */
	if (w->c->today != EMB_DATE_NONE && date > w->c->today)
		return 0;

	if (tags->n == tags->alloc) {
		tags->alloc = tags->alloc ? tags->alloc * 2 : 32;
		tags->v = emb_xrealloc(tags->v, tags->alloc * sizeof(*tags->v));
	}
	tags->v[tags->n].name = emb_xstrdup(short_name);
	tags->v[tags->n].version = v;
	tags->v[tags->n].date = date;
	tags->n++;
	return 0;
}

static int tag_order(const void *a, const void *b)
{
	const struct pol_tag *x = a, *y = b;
	int r = pol_version_cmp(&x->version, &y->version);

	return r ? r : strcmp(x->name, y->name);
}

/*
 * The package a tag releases: what comes before its version, less the
 * separator ("tokio-1.2.3" -> "tokio", "tokio-macros-2.0.0" ->
 * "tokio-macros", "v1.2.3" and "1.2.3" -> "").
 */
static size_t tag_package(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		bool v = (name[i] == 'v' || name[i] == 'V') &&
			 isdigit((unsigned char)name[i + 1]);

		if ((v || isdigit((unsigned char)name[i])) &&
		    (i == 0 || strchr("-_/@ ", name[i - 1])))
			return i ? i - 1 : 0;
	}
	return 0;
}

/* The repository's name: its folder, less ".git". */
static char *repo_name(git_repository *repo)
{
	const char *dir = git_repository_workdir(repo);
	const char *end, *base;

	if (!dir)
		dir = git_repository_path(repo);
	end = dir + strlen(dir);
	while (end > dir && end[-1] == '/')
		end--;
	if (!git_repository_workdir(repo) && end - dir > 4 &&
	    !strncmp(end - 4, ".git", 4))
		end -= 4;
	for (base = end; base > dir && base[-1] != '/'; base--)
		;
	return emb_xstrndup(base, (size_t)(end - base));
}

/*
 * A repository of several packages tags each ("tokio-1.38.0",
 * "tokio-macros-2.3.0"): keep the releases of the package the repository
 * is named after, so that another package's higher number is not taken
 * for the latest release.  A single package, or none named after the
 * repository, keeps every tag.
 */
static void keep_own_package(struct pol_ctx *c)
{
	char *name = repo_name(c->repo);
	size_t i, out = 0, len = strlen(name), own = 0, first = 0;
	bool several = false;

	for (i = 0; i < c->tags.n; i++) {
		size_t n = tag_package(c->tags.v[i].name);

		if (i && (n != first ||
			  strncmp(c->tags.v[i].name, c->tags.v[0].name, n)))
			several = true;
		if (!i)
			first = n;
		own += n == len && !strncasecmp(c->tags.v[i].name, name, len);
	}
	if (several && own) {
		for (i = 0; i < c->tags.n; i++) {
			size_t n = tag_package(c->tags.v[i].name);

			if (n == len &&
			    !strncasecmp(c->tags.v[i].name, name, len))
				c->tags.v[out++] = c->tags.v[i];
			else
				free(c->tags.v[i].name);
		}
		c->tags.n = out;
	}
	free(name);
}

int pol_load_tags(struct pol_ctx *c)
{
	struct tag_walk w = { c, 0 };
	int error;

	if (c->tags_loaded)
		return 0;
	c->tags_loaded = true;
	error = git_tag_foreach(c->repo, tag_cb, &w);
	if (error < 0 && error != GIT_ENOTFOUND) {
		emb_error_set_git("cannot list tags");
		return EMB_EREPO;
	}
	git_error_clear();
	keep_own_package(c);
	if (c->tags.n)
		qsort(c->tags.v, c->tags.n, sizeof(*c->tags.v), tag_order);
	return 0;
}

/* ---- table rows ---- */

enum spec_op { OP_PREFIX, OP_LT, OP_LE, OP_GT, OP_GE, OP_RANGE, OP_CARET };

struct spec_item {
	enum spec_op op;
	struct pol_version a, b; /* b: upper end of a range */
};

struct spec {
	bool relative;
	struct spec_item items[8];
	size_t n;
};

static const char *const relative_words[] = {
	"latest", "last",	"current",  "newest",  "recent",  "main",
	"master", "head",	"trunk",    "develop", "nightly", "edge",
	"next",	  "any",	"all",	    "other",   "every",	  "stable",
	"tip",	  "unreleased", "previous", "lts",
};

static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	const char *p = s;

	while ((p = pol_memcasestr(p, strlen(p), w)) != NULL) {
		if ((p == s || !isalpha((unsigned char)p[-1])) &&
		    !isalpha((unsigned char)p[n]))
			return true;
		p += n;
	}
	return false;
}

static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s) || *s == '`' || *s == '*' ||
	       *s == '_')
		s++;
	return s;
}

/* One version token, "v1.2.x" or "1.2"; returns the end, NULL if none. */
static const char *read_version(struct pol_version *v, const char *s)
{
	size_t n;

	s = skip_space(s);
	if (*s == 'v' || *s == 'V')
		s++;
	n = read_numbers(v, s, NULL);
	if (!n)
		return NULL;
	s += n;
	/* a pre-release suffix in a table cell: "2.0.0-beta" */
	while (isalnum((unsigned char)*s) || *s == '-' || *s == '+' ||
	       (*s == '.' && isalnum((unsigned char)s[1])))
		s++;
	return s;
}

static bool parse_spec(struct spec *sp, const char *cell)
{
	const char *s = cell;
	size_t i;

	memset(sp, 0, sizeof(*sp));
	for (i = 0; i < sizeof(relative_words) / sizeof(relative_words[0]); i++)
		if (has_word(cell, relative_words[i])) {
			sp->relative = true;
			return true;
		}
	while (*s && sp->n < 8) {
		struct spec_item *it = &sp->items[sp->n];
		const char *e;

		s = skip_space(s);
		if (!*s)
			break;
		it->op = OP_PREFIX;
		if (!strncmp(s, "<=", 2) || !strncmp(s, "≤", 3)) {
			it->op = OP_LE;
			s += s[0] == '<' ? 2 : 3;
		} else if (!strncmp(s, ">=", 2) || !strncmp(s, "≥", 3)) {
			it->op = OP_GE;
			s += s[0] == '>' ? 2 : 3;
		} else if (*s == '<') {
			it->op = OP_LT;
			s++;
		} else if (*s == '>') {
			it->op = OP_GT;
			s++;
		} else if (*s == '^') {
			it->op = OP_CARET;
			s++;
		} else if (*s == '~' || *s == '=') {
			s++;
		}
		e = read_version(&it->a, s);
		if (!e)
			return false;
		s = skip_space(e);
		if (*s == '+') {
			it->op = OP_GE;
			s++;
		} else if (it->op == OP_PREFIX &&
			   (!strncasecmp(s, "and later", 9) ||
			    !strncasecmp(s, "and newer", 9) ||
			    !strncasecmp(s, "and above", 9) ||
			    !strncasecmp(s, "or later", 8) ||
			    !strncasecmp(s, "or newer", 8) ||
			    !strncasecmp(s, "or higher", 9) ||
			    !strncasecmp(s, "and up", 6))) {
			it->op = OP_GE;
			s += strcspn(s, ",/;");
		} else if (it->op == OP_PREFIX &&
			   (*s == '-' || !strncmp(s, "–", 3) ||
			    !strncasecmp(s, "to ", 3))) {
			s += *s == '-' ? 1 : *s == 't' || *s == 'T' ? 3 : 3;
			e = read_version(&it->b, s);
			if (!e)
				return false;
			it->op = OP_RANGE;
			s = e;
		}
		sp->n++;
		s = skip_space(s);
		if (*s == ',' || *s == '/' || *s == ';' || *s == '|')
			s++;
		else if (!strncasecmp(s, "and ", 4) ||
			 !strncasecmp(s, "or ", 3))
			s += s[0] == 'a' || s[0] == 'A' ? 4 : 3;
		else if (*s == '(')
			break; /* "1.2.x (LTS)": a note */
		else if (*s)
			return false;
	}
	return sp->n > 0;
}

static bool item_matches(const struct spec_item *it,
			 const struct pol_version *v)
{
	int c;

	switch (it->op) {
	case OP_PREFIX:
		return prefix_cmp(v, &it->a) == 0;
	case OP_LT:
		return prefix_cmp(v, &it->a) < 0;
	case OP_LE:
		return prefix_cmp(v, &it->a) <= 0;
	case OP_GT:
		return prefix_cmp(v, &it->a) > 0;
	case OP_GE:
		return prefix_cmp(v, &it->a) >= 0;
	case OP_RANGE:
		return prefix_cmp(v, &it->a) >= 0 && prefix_cmp(v, &it->b) <= 0;
	case OP_CARET:
		c = prefix_cmp(v, &it->a);
		return c >= 0 && v->n && it->a.n && v->v[0] == it->a.v[0];
	}
	return false;
}

static bool spec_matches(const struct spec *sp, const struct pol_version *v)
{
	size_t i;

	for (i = 0; i < sp->n; i++)
		if (item_matches(&sp->items[i], v))
			return true;
	return false;
}

/* ✅ / :white_check_mark: / yes: 1; ❌ / :x: / no: 0; else -1 */
static int support_cell(const char *cell)
{
	static const char *const no_marks[] = {
		"\xe2\x9d\x8c",
		"\xe2\x9c\x97",
		"\xe2\x9c\x98",
		"\xe2\x9b\x94",
		"\xf0\x9f\x9a\xab",
		":x:",
		":no_entry:",
		":no_entry_sign:",
		":heavy_multiplication_x:",
		":negative_squared_cross_mark:",
		":red_circle:",
	};
	static const char *const yes_marks[] = {
		"\xe2\x9c\x85",
		"\xe2\x9c\x94",
		"\xe2\x9c\x93",
		"\xe2\x98\x91",
		":white_check_mark:",
		":heavy_check_mark:",
		":ballot_box_with_check:",
		":green_circle:",
	};
	static const char *const no_words[] = {
		"no",	"not", "unsupported", "eol",  "deprecated",
		"none", "n",   "end",	      "false"
	};
	static const char *const yes_words[] = { "yes",	       "supported",
						 "y",	       "active",
						 "maintained", "true",
						 "security" };
	const char *s = skip_space(cell);
	size_t i, n;

	for (i = 0; i < sizeof(no_marks) / sizeof(no_marks[0]); i++)
		if (strstr(cell, no_marks[i]))
			return 0;
	for (i = 0; i < sizeof(yes_marks) / sizeof(yes_marks[0]); i++)
		if (strstr(cell, yes_marks[i]))
			return 1;
	for (n = 0; isalpha((unsigned char)s[n]); n++)
		;
	for (i = 0; i < sizeof(no_words) / sizeof(no_words[0]); i++)
		if (n == strlen(no_words[i]) && !strncasecmp(s, no_words[i], n))
			return 0;
	for (i = 0; i < sizeof(yes_words) / sizeof(yes_words[0]); i++)
		if (n == strlen(yes_words[i]) &&
		    !strncasecmp(s, yes_words[i], n))
			return 1;
	return -1;
}

struct vrow {
	const char *cell;
	size_t line;
	struct spec spec;
	int supported;
};

static bool header_like(const char *s)
{
	return has_word(s, "version") || has_word(s, "versions") ||
	       has_word(s, "release") || has_word(s, "releases") ||
	       has_word(s, "branch") || has_word(s, "supported") ||
	       has_word(s, "support") || has_word(s, "status");
}

/* Read a versions table into rows; false when it is not one. */
static bool versions_table(const struct pol_table *t, struct vrow **out,
			   size_t *nout)
{
	size_t vcol = 0, scol = SIZE_MAX, ncols = 0, r, k, n = 0;
	struct vrow *rows;

	*out = NULL;
	*nout = 0;
	for (r = 0; r < t->nrows; r++)
		if (t->rows[r].ncells > ncols)
			ncols = t->rows[r].ncells;
	if (ncols < 2)
		return false;
	/* columns named in a header row */
	for (r = 0; r < t->nrows; r++) {
		if (!t->rows[r].header)
			continue;
		for (k = 0; k < t->rows[r].ncells; k++) {
			const char *h = t->rows[r].cells[k];

			if (has_word(h, "version") || has_word(h, "versions") ||
			    has_word(h, "release") || has_word(h, "releases") ||
			    has_word(h, "branch"))
				vcol = k;
			else if (scol == SIZE_MAX &&
				 (has_word(h, "supported") ||
				  has_word(h, "support") ||
				  has_word(h, "status") ||
				  has_word(h, "maintained")))
				scol = k;
		}
	}
	/* else the first column whose cells say yes or no */
	for (k = 0; scol == SIZE_MAX && k < ncols; k++) {
		size_t yesno = 0, body = 0;

		if (k == vcol)
			continue;
		for (r = 0; r < t->nrows; r++) {
			if (t->rows[r].header || k >= t->rows[r].ncells)
				continue;
			body++;
			yesno += support_cell(t->rows[r].cells[k]) >= 0;
		}
		if (body && yesno * 2 >= body)
			scol = k;
	}
	if (scol == SIZE_MAX || scol == vcol)
		return false;
	rows = emb_xcalloc(t->nrows, sizeof(*rows));
	for (r = 0; r < t->nrows; r++) {
		const struct pol_row *row = &t->rows[r];
		struct vrow *v = &rows[n];

		if (row->header || vcol >= row->ncells)
			continue;
		v->cell = row->cells[vcol];
		v->line = row->line;
		v->supported = scol < row->ncells ?
				       support_cell(row->cells[scol]) :
				       -1;
		if (v->supported < 0 || !parse_spec(&v->spec, v->cell)) {
			if (!n && header_like(v->cell))
				continue; /* an unmarked header row */
			continue;
		}
		n++;
	}
	if (!n) {
		free(rows);
		return false;
	}
	*out = rows;
	*nout = n;
	return true;
}

static void list_supported(struct emb_buf *b, const struct vrow *rows, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (rows[i].supported != 1)
			continue;
		emb_buf_printf(b, "%s%s", k++ ? ", " : "", rows[i].cell);
	}
	if (!k)
		emb_buf_puts(b, "none");
}

/*
 * Rows that say opposite things of one version: "< 7.2" unsupported and
 * "6.2.x" supported (a real shape: a table grown row by row).  Only a
 * supported version line against an unsupported open range, where the
 * meaning is plain; ">= 2.0.5" against "2.0.x" is a legitimate split.
 */
static void contradictions(struct pol_ctx *c, const struct vrow *rows, size_t n)
{
	size_t i, k, j;

	for (i = 0; i < n; i++) {
		const struct spec *sup = &rows[i].spec;

		if (rows[i].supported != 1 || sup->relative)
			continue;
		for (j = 0; j < sup->n; j++) {
			if (sup->items[j].op != OP_PREFIX)
				continue;
			for (k = 0; k < n; k++) {
				const struct spec *uns = &rows[k].spec;
				size_t m;

				if (rows[k].supported != 0 || uns->relative)
					continue;
				for (m = 0; m < uns->n; m++)
					if ((uns->items[m].op == OP_LT ||
					     uns->items[m].op == OP_LE) &&
					    item_matches(&uns->items[m],
							 &sup->items[j].a))
						break;
				if (m == uns->n)
					continue;
				emb_policy_add(
					c->res, EMB_RULE_CONTRADICTORY_VERSIONS,
					rows[i].line,
					"'%s' line %zu: '%s' is marked "
					"supported, "
					"but line %zu marks '%s' unsupported, "
					"which includes it: make the rows "
					"agree",
					c->path, rows[i].line, rows[i].cell,
					rows[k].line, rows[k].cell);
				return;
			}
		}
	}
}

static void judge_table(struct pol_ctx *c, const struct pol_table *t,
			const struct vrow *rows, size_t n)
{
	const struct pol_tag *latest = NULL;
	size_t i, k, nsup = 0, first_sup = 0;
	bool relative = false, covered = false;

	for (i = c->tags.n; i-- > 0;)
		if (!c->tags.v[i].version.pre) {
			latest = &c->tags.v[i];
			break;
		}
	for (i = 0; i < n; i++) {
		if (rows[i].supported != 1)
			continue;
		if (!nsup++)
			first_sup = rows[i].line;
		if (rows[i].spec.relative)
			relative = true;
		else if (latest &&
			 spec_matches(&rows[i].spec, &latest->version))
			covered = true;
	}
	contradictions(c, rows, n);
	if (!nsup) {
		emb_policy_add(c->res, EMB_RULE_NOTHING_SUPPORTED, t->line,
			       "'%s' line %zu: every row of the versions table "
			       "is marked unsupported: mark the versions that "
			       "get security fixes",
			       c->path, t->line);
		return;
	}
	if (latest && !relative && !covered) {
		struct emb_buf sup = EMB_BUF_INIT;
		char d[16];

		list_supported(&sup, rows, n);
		emb_date_format(d, sizeof(d), latest->date);
		emb_policy_add_sev(
			c->res, EMB_RULE_UNSUPPORTED_LATEST,
			c->strict ? EMB_SEV_ERROR : EMB_SEV_WARNING, first_sup,
			"'%s' line %zu: the latest release, %s (%s), is "
			"in no supported row of the versions table "
			"(supported: %s): add a row for it and mark the "
			"versions that no longer get fixes",
			c->path, first_sup, latest->name, d, sup.ptr);
		emb_buf_release(&sup);
	}
	for (i = 0; i < n && c->tags.n; i++) {
		if (rows[i].supported != 1 || rows[i].spec.relative)
			continue;
		for (k = 0; k < c->tags.n; k++)
			if (spec_matches(&rows[i].spec, &c->tags.v[k].version))
				break;
		if (k < c->tags.n)
			continue;
		emb_policy_add(c->res, EMB_RULE_PHANTOM_VERSION, rows[i].line,
			       "'%s' line %zu: '%s' is marked supported, but "
			       "no tag is that version (the latest release is "
			       "%s): list the versions you have released",
			       c->path, rows[i].line, rows[i].cell,
			       latest ? latest->name :
					c->tags.v[c->tags.n - 1].name);
	}
}

/* A version named in prose or a cell ("1.4 and later", "v2.x", "4.x"):
 * a number with a dot, or with a 'v' before it, standing as a word.
 * @return where to look for the next one, NULL when there is none */
static const char *named_version(struct pol_version *v, const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		bool vee = *p == 'v' || *p == 'V';
		size_t n;

		if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '.'))
			continue;
		if (!vee && !isdigit((unsigned char)*p))
			continue;
		n = read_numbers(v, p + vee, NULL);
		if (n && (v->n >= 2 || vee || p[vee + n - 1] == 'x' ||
			  p[vee + n - 1] == 'X' || p[vee + n - 1] == '*'))
			return p + vee + n;
	}
	return NULL;
}

/* Is the text just before p (at most 160 bytes: a sentence) giving an
 * example? */
static bool example_before(const char *text, const char *p)
{
	const char *a = p - text > 160 ? p - 160 : text;
	size_t n = (size_t)(p - a);

	return pol_memcasestr(a, n, "e.g.") || pol_memcasestr(a, n, "eg.") ||
	       pol_memcasestr(a, n, "for example") ||
	       pol_memcasestr(a, n, "for instance");
}

bool pol_named_covers(const struct pol_ctx *c, const struct pol_version *v)
{
	size_t i;

	for (i = 0; i < c->nnamed; i++)
		if (prefix_cmp(v, &c->named[i]) == 0)
			return true;
	return false;
}

int pol_rules_versions(struct pol_ctx *c, const struct pol_doc *d)
{
	size_t i;
	int error;

	for (i = 0; i < d->nblocks; i++) {
		const struct pol_block *b = &d->blocks[i];
		const char *p = b->text;
		struct pol_version v;

		if (!(b->kind == POL_BLK_CELL ||
		      (b->kind == POL_BLK_TEXT &&
		       has_word(b->text, "version"))))
			continue;
		while ((p = named_version(&v, p))) {
			/* "e.g. if the latest version is v0.28.x": an example
			 * of a rule, not a claim about versions */
			if (example_before(b->text, p))
				continue;
			c->version_claim = true;
			if (c->nnamed < sizeof(c->named) / sizeof(c->named[0]))
				c->named[c->nnamed++] = v;
		}
	}
	for (i = 0; i < d->ntables; i++) {
		struct vrow *rows;
		size_t n;

		if (!versions_table(&d->tables[i], &rows, &n))
			continue;
		c->version_claim = true;
		if ((error = pol_load_tags(c)) < 0) {
			free(rows);
			return error;
		}
		judge_table(c, &d->tables[i], rows, n);
		free(rows);
	}
	return 0;
}
