/*
 * policy_template.c - how far a policy has drifted from the
 * organisation's template.
 *
 * The template is the organisation's canonical SECURITY.md in which
 * {{org}}, {{email}} and {{domain}} (or any {{name}}) stand for what
 * differs between repositories.  Their values are inferred from the
 * file judged: every template line with placeholders is matched against
 * every line of the file, each match votes for the values it binds, and
 * the value with most votes wins; a placeholder takes that one value
 * everywhere.  The rendered template and the file are then compared
 * line by line, ignoring whitespace, blank lines and line endings.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/error.h"
#include "policy_int.h"

#define MAX_VARS 16
#define MAX_TEMPLATE (1024 * 1024)
#define MAX_DIFF_LINES 30
#define MAX_MATCH_STEPS 20000

struct tline {
	char *norm;  /* whitespace collapsed, trimmed */
	size_t line; /* 1-based line in its file */
};

struct tlines {
	struct tline *v;
	size_t n;
};

/* Non-blank lines, whitespace collapsed. */
static void split_lines(struct tlines *out, const char *text, size_t len)
{
	size_t i = 0, line = 1, alloc = 0;

	out->v = NULL;
	out->n = 0;
	while (i < len) {
		struct emb_buf b = EMB_BUF_INIT;
		bool space = false;

		while (i < len && text[i] != '\n') {
			unsigned char ch = (unsigned char)text[i++];

			if (isspace(ch)) {
				space = b.size > 0;
				continue;
			}
			if (space)
				emb_buf_putc(&b, ' ');
			space = false;
			emb_buf_putc(&b, (char)ch);
		}
		if (b.size) {
			if (out->n == alloc) {
				alloc = alloc ? alloc * 2 : 64;
				out->v = emb_xrealloc(out->v,
						      alloc * sizeof(*out->v));
			}
			out->v[out->n].norm = emb_buf_detach(&b);
			out->v[out->n].line = line;
			out->n++;
		}
		emb_buf_release(&b);
		i++;
		line++;
	}
}

static void free_lines(struct tlines *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].norm);
	free(t->v);
}

/* ---- template lines as literal pieces and variables ---- */

struct vars {
	char *name[MAX_VARS];
	size_t n;
};

struct tok {
	const char *lit; /* NULL for a variable */
	size_t len;
	size_t var;
};

struct toks {
	struct tok *v;
	size_t n;
};

static size_t var_index(struct vars *vars, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < vars->n; i++)
		if (strlen(vars->name[i]) == n &&
		    !strncasecmp(vars->name[i], name, n))
			return i;
	if (vars->n == MAX_VARS)
		return SIZE_MAX;
	vars->name[vars->n] = emb_xstrndup(name, n);
	for (i = 0; i < n; i++)
		vars->name[vars->n][i] =
			(char)tolower((unsigned char)vars->name[vars->n][i]);
	return vars->n++;
}

static void tokenise(struct toks *out, const char *s, struct vars *vars)
{
	const char *p = s, *lit = s;

	out->v = NULL;
	out->n = 0;
	while ((p = strstr(p, "{{")) != NULL) {
		const char *name = p + 2, *close = strstr(name, "}}");
		size_t n, idx;

		if (!close)
			break;
		while (name < close && *name == ' ')
			name++;
		n = (size_t)(close - name);
		while (n && name[n - 1] == ' ')
			n--;
		if (!n || n > 32 ||
		    (idx = var_index(vars, name, n)) == SIZE_MAX) {
			p = close + 2;
			continue;
		}
		out->v = emb_xrealloc(out->v, (out->n + 2) * sizeof(*out->v));
		if (p > lit) {
			out->v[out->n].lit = lit;
			out->v[out->n].len = (size_t)(p - lit);
			out->n++;
		}
		out->v[out->n].lit = NULL;
		out->v[out->n].var = idx;
		out->n++;
		p = lit = close + 2;
	}
	if (*lit) {
		out->v = emb_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n].lit = lit;
		out->v[out->n].len = strlen(lit);
		out->n++;
	}
}

static bool has_vars(const struct toks *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!t->v[i].lit)
			return true;
	return false;
}

/* What a value of a variable may look like. */
static bool plausible(const char *name, const char *v, size_t n)
{
	size_t i, at = 0, dot = 0;

	if (!n || isspace((unsigned char)v[0]) ||
	    isspace((unsigned char)v[n - 1]))
		return false;
	for (i = 0; i < n; i++) {
		if (v[i] == '@')
			at++;
		if (v[i] == '.')
			dot++;
	}
	if (!strcmp(name, "email"))
		return at == 1 && dot && !memchr(v, ' ', n) && n <= 254;
	if (!strcmp(name, "domain"))
		return !at && dot && !memchr(v, ' ', n) && n <= 253;
	return n <= 80 && !memchr(v, '@', n);
}

struct binding {
	const char *v[MAX_VARS];
	size_t len[MAX_VARS];
};

static bool gmatch(const struct tok *t, size_t nt, const char *s,
		   struct binding *b, const struct vars *vars, size_t *steps)
{
	size_t len, n;

	if (++*steps > MAX_MATCH_STEPS)
		return false;
	if (!nt)
		return *s == '\0';
	if (t->lit)
		return !strncmp(s, t->lit, t->len) &&
		       gmatch(t + 1, nt - 1, s + t->len, b, vars, steps);
	if (b->v[t->var])
		return !strncmp(s, b->v[t->var], b->len[t->var]) &&
		       gmatch(t + 1, nt - 1, s + b->len[t->var], b, vars,
			      steps);
	len = strlen(s);
	for (n = 1; n <= len; n++) {
		if (!plausible(vars->name[t->var], s, n))
			continue;
		b->v[t->var] = s;
		b->len[t->var] = n;
		if (gmatch(t + 1, nt - 1, s + n, b, vars, steps))
			return true;
		b->v[t->var] = NULL;
	}
	return false;
}

struct vote {
	char *value;
	size_t count;
	size_t first; /* order of first appearance, for ties */
};

struct votes {
	struct vote *v;
	size_t n;
};

static void vote(struct votes *vs, const char *value, size_t len, size_t order)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (strlen(vs->v[i].value) == len &&
		    !strncmp(vs->v[i].value, value, len)) {
			vs->v[i].count++;
			return;
		}
	vs->v = emb_xrealloc(vs->v, (vs->n + 1) * sizeof(*vs->v));
	vs->v[vs->n].value = emb_xstrndup(value, len);
	vs->v[vs->n].count = 1;
	vs->v[vs->n].first = order;
	vs->n++;
}

static const char *winner(const struct votes *vs)
{
	const struct vote *best = NULL;
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (!best || vs->v[i].count > best->count ||
		    (vs->v[i].count == best->count &&
		     vs->v[i].first < best->first))
			best = &vs->v[i];
	return best ? best->value : NULL;
}

static char *render(const struct toks *t, const struct vars *vars,
		    const char *const *values)
{
	struct emb_buf b = EMB_BUF_INIT;
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].lit)
			emb_buf_put(&b, t->v[i].lit, t->v[i].len);
		else if (values[t->v[i].var])
			emb_buf_puts(&b, values[t->v[i].var]);
		else
			emb_buf_printf(&b, "{{%s}}", vars->name[t->v[i].var]);
	}
	return emb_buf_detach(&b);
}

/* ---- line diff ---- */

enum { SAME, DEL, ADD };

struct edit {
	int op;
	size_t a, b; /* indexes in the template and the file */
};

/* Edit script from an LCS over the middle after common ends. */
static struct edit *diff_lines(const struct tlines *x, const struct tlines *y,
			       size_t *nedits, size_t *same)
{
	size_t pre = 0, suf = 0, n, m, i, j, k = 0;
	struct edit *e = emb_xmalloc((x->n + y->n + 1) * sizeof(*e));
	unsigned *dp;

	while (pre < x->n && pre < y->n &&
	       !strcmp(x->v[pre].norm, y->v[pre].norm))
		pre++;
	while (suf < x->n - pre && suf < y->n - pre &&
	       !strcmp(x->v[x->n - 1 - suf].norm, y->v[y->n - 1 - suf].norm))
		suf++;
	n = x->n - pre - suf;
	m = y->n - pre - suf;
	*same = pre + suf;
	for (i = 0; i < pre; i++)
		e[k++] = (struct edit){ SAME, i, i };
	if (n && m && n * m <= 4u * 1024 * 1024) {
		dp = emb_xcalloc((n + 1) * (m + 1), sizeof(unsigned));
#define DP(a, b) dp[(a) * (m + 1) + (b)]
		for (i = n; i-- > 0;)
			for (j = m; j-- > 0;)
				DP(i, j) = !strcmp(x->v[pre + i].norm,
						   y->v[pre + j].norm) ?
						   DP(i + 1, j + 1) + 1 :
					   DP(i + 1, j) >= DP(i, j + 1) ?
						   DP(i + 1, j) :
						   DP(i, j + 1);
		i = j = 0;
		while (i < n || j < m) {
			if (i < n && j < m &&
			    !strcmp(x->v[pre + i].norm, y->v[pre + j].norm)) {
				e[k++] =
					(struct edit){ SAME, pre + i, pre + j };
				(*same)++;
				i++;
				j++;
			} else if (j < m &&
				   (i == n || DP(i, j + 1) >= DP(i + 1, j))) {
				e[k++] = (struct edit){ ADD, pre + i, pre + j };
				j++;
			} else {
				e[k++] = (struct edit){ DEL, pre + i, pre + j };
				i++;
			}
		}
#undef DP
		free(dp);
	} else {
		for (i = 0; i < n; i++)
			e[k++] = (struct edit){ DEL, pre + i, pre };
		for (j = 0; j < m; j++)
			e[k++] = (struct edit){ ADD, pre + n, pre + j };
	}
	for (i = 0; i < suf; i++)
		e[k++] = (struct edit){ SAME, x->n - suf + i, y->n - suf + i };
	*nedits = k;
	return e;
}

/* A unified diff without context lines; returns the changed lines. */
static size_t unified(struct emb_buf *out, const struct edit *e, size_t n,
		      const struct tlines *x, const struct tlines *y,
		      const char *xname, const char *yname, size_t *first_line)
{
	size_t i = 0, shown = 0, changed = 0;

	*first_line = 0;
	emb_buf_printf(out, "--- %s\n+++ %s\n", xname, yname);
	while (i < n) {
		size_t j = i, dels = 0, adds = 0, k, a_line, b_line;

		if (e[i].op == SAME) {
			i++;
			continue;
		}
		while (j < n && e[j].op != SAME) {
			dels += e[j].op == DEL;
			adds += e[j].op == ADD;
			j++;
		}
		a_line = e[i].a < x->n ? x->v[e[i].a].line :
			 x->n	       ? x->v[x->n - 1].line + 1 :
					 1;
		b_line = e[i].b < y->n ? y->v[e[i].b].line :
			 y->n	       ? y->v[y->n - 1].line + 1 :
					 1;
		if (!*first_line)
			*first_line = b_line;
		changed += dels > adds ? dels : adds;
		if (shown < MAX_DIFF_LINES)
			emb_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", a_line,
				       dels, b_line, adds);
		for (k = i; k < j; k++) {
			if (e[k].op != DEL)
				continue;
			if (shown++ < MAX_DIFF_LINES)
				emb_buf_printf(out, "-%s\n", x->v[e[k].a].norm);
		}
		for (k = i; k < j; k++) {
			if (e[k].op != ADD)
				continue;
			if (shown++ < MAX_DIFF_LINES)
				emb_buf_printf(out, "+%s\n", y->v[e[k].b].norm);
		}
		i = j;
	}
	if (shown > MAX_DIFF_LINES)
		emb_buf_printf(out, "... %zu more changed lines\n",
			       shown - MAX_DIFF_LINES);
	return changed;
}

static int read_template(char **out, size_t *len, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct emb_buf b = EMB_BUF_INIT;
	char chunk[8192];
	size_t n;

	*out = NULL;
	if (!f) {
		emb_error_set("cannot read template '%s': %s", path,
			      strerror(errno));
		return EMB_ECONFIG;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
	       b.size < MAX_TEMPLATE)
		emb_buf_put(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		emb_buf_release(&b);
		emb_error_set("cannot read template '%s': %s", path,
			      strerror(errno));
		return EMB_ECONFIG;
	}
	fclose(f);
	*len = b.size;
	*out = emb_buf_detach(&b);
	return 0;
}

int pol_rules_template(struct pol_ctx *c, const char *text, size_t len,
		       const struct pol_doc *d)
{
	struct tlines tl, fl, rl = { NULL, 0 };
	struct vars vars = { { NULL }, 0 };
	struct toks *toks = NULL;
	struct votes votes[MAX_VARS];
	const char *values[MAX_VARS] = { NULL };
	char *ttext = NULL, *fallback_domain = NULL;
	size_t tlen = 0, i, j, order = 0;
	int error;

	if (!c->template_path)
		return 0;
	if ((error = read_template(&ttext, &tlen, c->template_path)) < 0)
		return error;
	memset(votes, 0, sizeof(votes));
	split_lines(&tl, ttext, tlen);
	split_lines(&fl, text, len);
	toks = emb_xcalloc(tl.n ? tl.n : 1, sizeof(*toks));
	for (i = 0; i < tl.n; i++)
		tokenise(&toks[i], tl.v[i].norm, &vars);

	/* every template line with variables votes with each file line */
	for (i = 0; i < tl.n; i++) {
		if (!has_vars(&toks[i]))
			continue;
		for (j = 0; j < fl.n; j++) {
			struct binding b;
			size_t steps = 0, k;

			memset(&b, 0, sizeof(b));
			if (!gmatch(toks[i].v, toks[i].n, fl.v[j].norm, &b,
				    &vars, &steps))
				continue;
			for (k = 0; k < vars.n; k++)
				if (b.v[k])
					vote(&votes[k], b.v[k], b.len[k],
					     order++);
		}
	}
	for (i = 0; i < vars.n; i++)
		values[i] = winner(&votes[i]);
	/* not inferable from a line: the file's own contact */
	for (i = 0; i < vars.n; i++) {
		if (values[i] || !d->nemails)
			continue;
		if (!strcmp(vars.name[i], "email")) {
			values[i] = d->emails[0].addr;
		} else if (!strcmp(vars.name[i], "domain")) {
			const char *at = strchr(d->emails[0].addr, '@');

			if (at) {
				free(fallback_domain);
				fallback_domain = emb_xstrdup(at + 1);
				values[i] = fallback_domain;
			}
		}
	}

	rl.v = emb_xcalloc(tl.n ? tl.n : 1, sizeof(*rl.v));
	rl.n = tl.n;
	for (i = 0; i < tl.n; i++) {
		rl.v[i].norm = render(&toks[i], &vars, values);
		rl.v[i].line = tl.v[i].line;
	}
	{
		size_t nedits, same, first = 0, changed, total = rl.n + fl.n;
		struct edit *e = diff_lines(&rl, &fl, &nedits, &same);
		struct emb_buf diff = EMB_BUF_INIT, vals = EMB_BUF_INIT;
		int similarity =
			total ? (int)((200 * same + total / 2) / total) : 100;

		c->res->template_similarity = similarity;
		for (i = 0; i < vars.n; i++)
			emb_buf_printf(&vals, "%s%s '%s'", i ? ", " : " with ",
				       vars.name[i],
				       values[i] ? values[i] : "(not found)");
		changed = unified(&diff, e, nedits, &rl, &fl, c->template_path,
				  c->path, &first);
		if (changed) {
			struct emb_policy_problem *p;

			emb_policy_add(
				c->res, EMB_RULE_TEMPLATE_DRIFT, first,
				"'%s' line %zu: differs from the "
				"organisation template '%s'%s on %zu "
				"line%s (similarity %d%%): bring it back "
				"in line with the template, or change "
				"the template",
				c->path, first, c->template_path, vals.ptr,
				changed, changed == 1 ? "" : "s", similarity);
			p = &c->res->problems[c->res->nproblems - 1];
			p->detail = emb_buf_detach(&diff);
		}
		emb_buf_release(&diff);
		emb_buf_release(&vals);
		free(e);
	}

	for (i = 0; i < tl.n; i++)
		free(toks[i].v);
	free(toks);
	for (i = 0; i < vars.n; i++) {
		for (j = 0; j < votes[i].n; j++)
			free(votes[i].v[j].value);
		free(votes[i].v);
		free(vars.name[i]);
	}
	free_lines(&tl);
	free_lines(&fl);
	free_lines(&rl);
	free(fallback_domain);
	free(ttext);
	return 0;
}
