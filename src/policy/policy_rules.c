/*
 * policy_rules.c - what a policy says: is there a private way to report
 * a vulnerability, is it filled in, does it lead to the organisation and
 * not to a placeholder, a dead service or someone else's company, is it
 * GitHub's template left as it was, are its dates current.  Also the
 * OpenSSF Scorecard score the file would get.
 *
 * The rules read the parsed document (policy_doc.c); none of them reads
 * raw Markdown, except the Scorecard score, which reproduces Scorecard's
 * own reading of the raw bytes on purpose.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "embargo/url.h"

#include "policy_int.h"

/* ---- small text helpers ---- */

static bool lower_contains(const char *s, size_t n, const char *needle)
{
	return pol_memcasestr(s, n, needle) != NULL;
}

/* Lower case, one space for each run of whitespace, tags removed. */
static char *normalise(const char *s)
{
	struct emb_buf b = EMB_BUF_INIT;
	bool space = false;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '<' && (isalpha((unsigned char)s[1]) || s[1] == '/')) {
			const char *e = strchr(s, '>');

			if (e) {
				s = e;
				continue;
			}
		}
		if (isspace(c)) {
			space = b.size > 0;
			continue;
		}
		if (space)
			emb_buf_putc(&b, ' ');
		space = false;
		emb_buf_putc(&b, (char)tolower(c));
	}
	return emb_buf_detach(&b);
}

/* Line of byte `offset` in block b (blocks keep their line breaks). */
static size_t block_line(const struct pol_doc *d, size_t b, size_t offset)
{
	const char *s;
	size_t line, i;

	if (b >= d->nblocks)
		return 0;
	s = d->blocks[b].text;
	line = d->blocks[b].line;
	for (i = 0; i < offset && s[i]; i++)
		line += s[i] == '\n';
	return line;
}

/* ---- hosts and domains ---- */

/* The host of an http(s) URL or the domain of an address, lower case. */
static bool url_host(const char *url, char *out, size_t size)
{
	struct emb_url u = EMB_URL_INIT;
	const char *p, *e, *at;
	size_t n, i;
	bool ok;

	if (!strncasecmp(url, "mailto:", 7)) {
		at = strchr(url, '@');
		if (!at)
			return false;
		p = at + 1;
		e = p + strcspn(p, "?>/ ");
	} else if (!strncasecmp(url, "https://", 8) ||
		   !strncasecmp(url, "http://", 7)) {
		/* url.h: the host without user or port */
		emb_url_parse(&u, url);
		p = u.host;
		e = p + strlen(p);
	} else {
		at = strchr(url, '@');
		if (!at)
			return false;
		p = at + 1;
		e = p + strlen(p);
	}
	n = (size_t)(e - p);
	while (n && p[n - 1] == '.')
		n--;
	if ((ok = n && n < size)) {
		for (i = 0; i < n; i++)
			out[i] = (char)tolower((unsigned char)p[i]);
		out[n] = '\0';
	}
	emb_url_release(&u);
	return ok;
}

/* host is dom or one of its subdomains */
static bool host_in(const char *host, const char *dom)
{
	size_t h = strlen(host), n = strlen(dom);

	while (n && dom[0] == '.') {
		dom++;
		n--;
	}
	if (!n || h < n || strcasecmp(host + h - n, dom))
		return false;
	return h == n || host[h - n - 1] == '.';
}

/*
 * The registrable domain of a host (the public suffix list, through
 * libpsl's built-in copy): "cna.foundation.org" -> "foundation.org",
 * "www.example.co.uk" -> "example.co.uk".  NULL for a public suffix.
 */
static const char *registrable(const char *host)
{
	const psl_ctx_t *psl = psl_builtin();

	return psl ? psl_registrable_domain(psl, host) : NULL;
}

/* One organisation: the same registrable domain (or one under the
 * other, where the list knows neither). */
static bool same_org(const char *host, const char *dom)
{
	const char *a = registrable(host), *b = registrable(dom);

	if (a && b)
		return !strcasecmp(a, b);
	return host_in(host, dom);
}

static const char *const reserved_names[] = {
	"example.com", "example.org", "example.net", "example",
	"test",	       "invalid",     "localhost",
};

static const char *reserved_domain(const char *host)
{
	size_t i;

	for (i = 0; i < sizeof(reserved_names) / sizeof(reserved_names[0]); i++)
		if (host_in(host, reserved_names[i]))
			return reserved_names[i];
	return NULL;
}

static const char *const platforms[] = {
	"github.com",
	"gitlab.com",
	"hackerone.com",
	"bugcrowd.com",
	"intigriti.com",
	"yeswehack.com",
	"githubusercontent.com",
	"tidelift.com", /* reports for the packages it supports */
};

/* Mail providers: an address there says nothing of an organisation's
 * domain (a maintainer's gmail.com address makes no link foreign). */
static const char *const webmail[] = {
	"gmail.com",	  "googlemail.com", "outlook.com", "hotmail.com",
	"live.com",	  "yahoo.com",	    "icloud.com",  "me.com",
	"protonmail.com", "proton.me",	    "pm.me",	   "gmx.de",
	"gmx.net",	  "web.de",	    "qq.com",	   "163.com",
	"yandex.ru",	  "mail.ru",
};

static bool is_webmail(const char *host)
{
	size_t i;

	for (i = 0; i < sizeof(webmail) / sizeof(webmail[0]); i++)
		if (!strcasecmp(host, webmail[i]))
			return true;
	return false;
}

static bool is_platform(const char *host)
{
	size_t i;

	for (i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++)
		if (host_in(host, platforms[i]))
			return true;
	return false;
}

/* "yourorg/your-project", "your-email@", "you@": not filled in. */
static bool your_placeholder(const char *s)
{
	static const char *const words[] = {
		"org",	  "organization", "organisation", "project",
		"repo",	  "repository",	  "user",	  "username",
		"name",	  "company",	  "domain",	  "email",
		"e-mail", "mail",	  "team",
	};
	const char *p = s;
	size_t i;

	while ((p = pol_memcasestr(p, strlen(p), "your")) != NULL) {
		const char *w = p + 4;

		if (p > s && isalpha((unsigned char)p[-1])) {
			p += 4;
			continue;
		}
		if (*w == '-' || *w == '_' || *w == '.')
			w++;
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			size_t n = strlen(words[i]);

			if (!strncasecmp(w, words[i], n) &&
			    !isalpha((unsigned char)w[n]))
				return true;
		}
		p += 4;
	}
	return false;
}

/* ---- link classes ---- */

enum link_class {
	LC_ANCHOR,   /* #section */
	LC_RELATIVE, /* a file of the repository */
	LC_PVR,	     /* GitHub private vulnerability reporting */
	LC_ISSUES,   /* public issues or discussions */
	LC_DOC,	     /* a page of a code host: files, repositories, docs */
	LC_WEB,	     /* anything else on the web: forms, portals, pages */
	LC_MAIL,
	LC_OTHER,
};

/* "/OWNER/REPO/security" or ".../security/policy", nothing after. */
static bool security_tab(const char *path)
{
	const char *p = path;
	int k;

	for (k = 0; k < 2; k++) {
		if (*p != '/' || !p[1] || p[1] == '/')
			return false;
		p += 1 + strcspn(p + 1, "/?#");
	}
	if (strncmp(p, "/security", 9))
		return false;
	p += 9;
	if (!strncmp(p, "/policy", 7))
		p += 7;
	if (*p == '/')
		p++;
	return !*p || *p == '?' || *p == '#';
}

/* "/ORG/.github/blob/BRANCH/SECURITY.md" (any case, .github/ or docs/
 * inside): the organisation's own policy. */
static bool org_policy(const char *path)
{
	const char *p = path + (*path == '/'), *base;

	p += strcspn(p, "/");
	if (strncmp(p, "/.github/", 9))
		return false;
	base = strrchr(p, '/');
	return base && !strncasecmp(base + 1, "security.", 9);
}

static enum link_class classify(const char *url)
{
	char host[256];
	const char *path;

	if (!strncasecmp(url, "mailto:", 7))
		return LC_MAIL;
	if (strstr(url, "/security/advisories/new"))
		return LC_PVR;
	if (url[0] == '#')
		return LC_ANCHOR;
	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
		return strchr(url, ':') && !strchr(url, '/') ? LC_OTHER :
		       strstr(url, "://")		     ? LC_OTHER :
							       LC_RELATIVE;
	if (!url_host(url, host, sizeof(host)))
		return LC_OTHER;
	path = strstr(url, "://") + 3;
	path += strcspn(path, "/");
	if (host_in(host, "github.com") || host_in(host, "gitlab.com") ||
	    host_in(host, "githubusercontent.com") ||
	    host_in(host, "codeberg.org") || host_in(host, "bitbucket.org")) {
		const char *seg = path;
		size_t k;

		if (strstr(path, "/security/advisories") &&
		    !strstr(path, "/security/advisories/GHSA"))
			return LC_PVR;
		/* the repository's Security tab (/O/R/security, its
		 * /policy), where a forge shows how to report, and the
		 * organisation's policy in its .github repository */
		if (security_tab(path) || org_policy(path))
			return LC_PVR;
		/* /OWNER/REPO/issues, /O/R/-/issues, /orgs/O/discussions */
		for (k = 0; k < 4 && *seg == '/'; k++) {
			size_t n;

			seg++;
			n = strcspn(seg, "/?#");
			if (k >= 2 &&
			    ((n == 6 && !strncmp(seg, "issues", 6)) ||
			     (n == 11 && !strncmp(seg, "discussions", 11))))
				return LC_ISSUES;
			seg += n;
		}
		return LC_DOC;
	}
	return LC_WEB;
}

/* ---- the defunct channels ---- */

struct defunct {
	char *match; /* host, or host/path prefix */
	emb_date since;
	char *note;
};

static const struct {
	const char *match, *since, *note;
} builtin_defunct[] = {
	{ "huntr.dev", "2023-11-30",
	  "huntr.dev stopped taking reports for projects other than AI/ML "
	  "on 2023-11-30" },
};

static size_t load_defunct(struct pol_ctx *c, struct defunct **out)
{
	struct defunct *v = NULL;
	size_t n = 0, i;

	for (i = 0; i < sizeof(builtin_defunct) / sizeof(builtin_defunct[0]);
	     i++) {
		v = emb_xrealloc(v, (n + 1) * sizeof(*v));
		v[n].match = emb_xstrdup(builtin_defunct[i].match);
		emb_date_parse(&v[n].since, builtin_defunct[i].since);
		v[n].note = emb_xstrdup(builtin_defunct[i].note);
		n++;
	}
	/* embargo.policy.defunct = HOST[/PATH] [YYYY-MM-DD] [note] */
	for (i = 0; i < c->ndefunct; i++) {
		const char *s = c->defunct[i], *e;
		emb_date since = EMB_DATE_NONE;
		struct emb_buf note = EMB_BUF_INIT;

		while (isspace((unsigned char)*s))
			s++;
		e = s + strcspn(s, " \t");
		if (e == s)
			continue;
		v = emb_xrealloc(v, (n + 1) * sizeof(*v));
		v[n].match = emb_xstrndup(s, (size_t)(e - s));
		if (!strncasecmp(v[n].match, "https://", 8))
			memmove(v[n].match, v[n].match + 8,
				strlen(v[n].match + 8) + 1);
		else if (!strncasecmp(v[n].match, "http://", 7))
			memmove(v[n].match, v[n].match + 7,
				strlen(v[n].match + 7) + 1);
		while (isspace((unsigned char)*e))
			e++;
		if (emb_date_parse_prefix(&since, e, strlen(e)) == 10) {
			e += 10;
			while (isspace((unsigned char)*e))
				e++;
		} else {
			since = EMB_DATE_NONE;
		}
		if (*e)
			emb_buf_printf(&note, "%s", e);
		else
			emb_buf_printf(&note,
				       "%s is listed as defunct in "
				       "embargo.policy.defunct",
				       v[n].match);
		v[n].since = since;
		v[n].note = emb_buf_detach(&note);
		n++;
	}
	*out = v;
	return n;
}

static void free_defunct(struct defunct *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].match);
		free(v[i].note);
	}
	free(v);
}

/* The defunct entry a URL or address falls under, or NULL. */
static const struct defunct *find_defunct(const struct pol_ctx *c,
					  const struct defunct *v, size_t n,
					  const char *url)
{
	struct emb_buf where = EMB_BUF_INIT;
	const struct defunct *found = NULL;
	struct emb_url u;
	char host[256];
	const char *rest = url;
	size_t i;

	if (!url_host(url, host, sizeof(host)))
		return NULL;
	/* "host/path" of a URL (url.h), to compare with "host/path" entries */
	emb_url_parse(&u, url);
	if (u.kind == EMB_URL_SCHEME) {
		emb_buf_printf(&where, "%s%s", u.host, u.path);
		rest = where.ptr;
	}
	for (i = 0; i < n && !found; i++) {
		const char *slash = strchr(v[i].match, '/');

		if (v[i].since != EMB_DATE_NONE && c->today < v[i].since)
			continue;
		if (slash ? !strncasecmp(rest, v[i].match, strlen(v[i].match)) :
			    host_in(host, v[i].match))
			found = &v[i];
	}
	emb_url_release(&u);
	emb_buf_release(&where);
	return found;
}

/* ---- GitHub's default SECURITY.md ---- */

static const char *const template_sentences[] = {
	"use this section to tell people about which versions of your "
	"project are currently being supported with security updates",
	"use this section to tell people how to report a vulnerability",
	"tell them where to go, how often they can expect to get an update "
	"on a reported vulnerability",
};

static bool sample_table(const struct pol_table *t)
{
	static const char *const rows[] = { "5.1.x", "5.0.x", "4.0.x",
					    "< 4.0" };
	size_t i, k = 0;

	for (i = 0; i < t->nrows; i++) {
		if (t->rows[i].header || !t->rows[i].ncells)
			continue;
		if (k >= 4 || strcmp(t->rows[i].cells[0], rows[k]))
			return false;
		k++;
	}
	return k == 4;
}

static void rule_unedited(struct pol_ctx *c, const struct pol_doc *d)
{
	size_t hits = 0, first = 0, i, k, one_line = 0;
	const char *what = NULL;

	for (i = 0; i < d->nblocks; i++) {
		char *norm;

		if (d->blocks[i].kind != POL_BLK_TEXT)
			continue;
		norm = normalise(d->blocks[i].text);
		for (k = 0; k < 3; k++) {
			if (!strstr(norm, template_sentences[k]))
				continue;
			if (!hits++ || d->blocks[i].line < first)
				first = d->blocks[i].line;
			one_line = d->blocks[i].line;
			what = template_sentences[k];
		}
		free(norm);
	}
	for (i = 0; i < d->ntables; i++) {
		if (!sample_table(&d->tables[i]))
			continue;
		if (!hits++ || d->tables[i].line < first)
			first = d->tables[i].line;
		one_line = d->tables[i].line;
		what = NULL;
	}
	if (hits >= 2)
		emb_policy_add(
			c->res, EMB_RULE_UNEDITED_TEMPLATE, first,
			"'%s' line %zu: GitHub's SECURITY.md template is "
			"left as it is (%zu of its 4 placeholder parts: "
			"the \"Use this section to tell people...\" "
			"text and the 5.1.x/5.0.x/4.0.x sample table): "
			"write down the versions you support and how "
			"to report a vulnerability privately",
			c->path, first, hits);
	else if (hits == 1 && what)
		emb_policy_add_sev(
			c->res, EMB_RULE_UNEDITED_TEMPLATE, EMB_SEV_WARNING,
			one_line,
			"'%s' line %zu: a sentence of GitHub's template "
			"is left in (\"%.60s...\"): replace it with what "
			"it asks for",
			c->path, one_line, what);
	else if (hits == 1)
		emb_policy_add_sev(
			c->res, EMB_RULE_UNEDITED_TEMPLATE, EMB_SEV_WARNING,
			one_line,
			"'%s' line %zu: the versions table is GitHub's "
			"sample (5.1.x, 5.0.x, 4.0.x, < 4.0): list the "
			"versions you support",
			c->path, one_line);
}

/* ---- placeholders ---- */

struct seen {
	char **v;
	size_t n;
};

static bool seen_add(struct seen *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcasecmp(s->v[i], key))
			return false;
	s->v = emb_xrealloc(s->v, (s->n + 1) * sizeof(char *));
	s->v[s->n++] = emb_xstrdup(key);
	return true;
}

static void seen_release(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static bool bracket_placeholder(const char *inner, size_t n)
{
	static const char *const dates[] = { "date",	       "yyyy-mm-dd",
					     "dd/mm/yyyy",     "mm/dd/yyyy",
					     "insert date",    "today's date",
					     "month day, year" };
	static const char *const starts[] = { "your ",	 "your-",  "your_",
					      "insert ", "enter ", "add your" };
	size_t i;

	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		if (n == strlen(dates[i]) && !strncasecmp(inner, dates[i], n))
			return true;
	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (n > strlen(starts[i]) &&
		    !strncasecmp(inner, starts[i], strlen(starts[i])))
			return true;
	return false;
}

/* <SECURITY_EMAIL>, <CONTACT>: upper case, underscores, in brackets. */
static bool angle_placeholder(const char *inner, size_t n)
{
	size_t i, upper = 0;
	bool underscore = false;

	if (n < 4)
		return false;
	for (i = 0; i < n; i++) {
		if (isupper((unsigned char)inner[i]))
			upper++;
		else if (inner[i] == '_' || inner[i] == '-')
			underscore = true;
		else if (!isdigit((unsigned char)inner[i]))
			return false;
	}
	return upper >= 4 && (underscore || strstr(inner, "EMAIL") ||
			      strstr(inner, "CONTACT") ||
			      strstr(inner, "DATE") || strstr(inner, "DOMAIN"));
}

static void report_placeholder(struct pol_ctx *c, struct seen *seen,
			       const char *token, size_t line, const char *why)
{
	if (!seen_add(seen, token))
		return;
	emb_policy_add(c->res, EMB_RULE_PLACEHOLDER, line,
		       "'%s' line %zu: '%s' is a placeholder%s: fill in the "
		       "real value",
		       c->path, line, token, why);
}

static void rule_placeholders(struct pol_ctx *c, const struct pol_doc *d)
{
	struct seen seen = { NULL, 0 };
	size_t i;

	for (i = 0; i < d->nemails; i++) {
		char host[256], why[300];
		const char *res;

		if (!url_host(d->emails[i].addr, host, sizeof(host)))
			continue;
		if ((res = reserved_domain(host)) != NULL) {
			snprintf(why, sizeof(why),
				 " (%s is reserved for examples and receives "
				 "no mail)",
				 res);
			report_placeholder(c, &seen, d->emails[i].addr,
					   d->emails[i].line, why);
		} else if (your_placeholder(d->emails[i].addr)) {
			report_placeholder(c, &seen, d->emails[i].addr,
					   d->emails[i].line, "");
		}
	}
	for (i = 0; i < d->nlinks; i++) {
		const struct pol_link *l = &d->links[i];
		char host[256], why[300];
		const char *res;

		if (!strncasecmp(l->url, "mailto:", 7))
			continue; /* judged as an address above */
		if (url_host(l->url, host, sizeof(host)) &&
		    (res = reserved_domain(host)) != NULL) {
			snprintf(why, sizeof(why),
				 " (%s is reserved for examples)", res);
			report_placeholder(c, &seen, l->url, l->line, why);
		} else if (your_placeholder(l->url)) {
			report_placeholder(c, &seen, l->url, l->line, "");
		}
	}
	for (i = 0; i < d->nblocks; i++) {
		const struct pol_block *b = &d->blocks[i];
		const char *s = b->text, *p;

		if (b->kind == POL_BLK_CODE || b->kind == POL_BLK_HTML)
			continue;
		for (p = s; *p; p++) {
			const char *close;
			char *token;
			size_t n;

			if (*p == '[' && (close = strchr(p + 1, ']')) &&
			    close - p < 60 &&
			    !memchr(p, '\n', (size_t)(close - p)) &&
			    bracket_placeholder(p + 1,
						(size_t)(close - p - 1))) {
				n = (size_t)(close - p) + 1;
			} else if (*p == '<' && (close = strchr(p + 1, '>')) &&
				   close - p < 60 &&
				   angle_placeholder(p + 1,
						     (size_t)(close - p - 1))) {
				n = (size_t)(close - p) + 1;
			} else if (*p == '{' && p[1] == '{' &&
				   (close = strstr(p + 2, "}}")) &&
				   close - p < 60) {
				n = (size_t)(close - p) + 2;
			} else if (p == s || !isalpha((unsigned char)p[-1])) {
				/* yourorg/your-project as plain text */
				size_t w = strcspn(p, " \t\n()[]<>\"'`,;");

				if (w < 4 || w > 120 || !memchr(p, '/', w))
					continue;
				token = emb_xstrndup(p, w);
				if (your_placeholder(token))
					report_placeholder(
						c, &seen, token,
						block_line(d, i,
							   (size_t)(p - s)),
						"");
				free(token);
				p += w - 1;
				continue;
			} else {
				continue;
			}
			token = emb_xstrndup(p, n);
			report_placeholder(c, &seen, token,
					   block_line(d, i, (size_t)(p - s)),
					   "");
			free(token);
			p += n - 1;
		}
	}
	seen_release(&seen);
}

/* ---- channels: private, public, none ---- */

/* a word of [s, s+n), whatever the case and the spaces around it */
static bool has_word_n(const char *s, size_t n, const char *w)
{
	size_t m = strlen(w);
	const char *p = s, *end = s + n;

	while ((p = pol_memcasestr(p, (size_t)(end - p), w)) != NULL) {
		if ((p == s || !isalpha((unsigned char)p[-1])) &&
		    (p + m >= end || !isalpha((unsigned char)p[m])))
			return true;
		p += m;
	}
	return false;
}

static bool negated(const char *s, size_t n)
{
	return has_word_n(s, n, "not") || lower_contains(s, n, "n't") ||
	       lower_contains(s, n, "n\xe2\x80\x99t") ||
	       has_word_n(s, n, "never") || has_word_n(s, n, "instead") ||
	       lower_contains(s, n, "rather than") ||
	       lower_contains(s, n, "non-security") ||
	       has_word_n(s, n, "without");
}

static bool security_context(const char *s, size_t n)
{
	return lower_contains(s, n, "secur") ||
	       lower_contains(s, n, "vulnerab") ||
	       lower_contains(s, n, "report") ||
	       lower_contains(s, n, "disclos");
}

/* The word before position p in [s, p), lower case, into w. */
static const char *word_before(const char *s, const char *p, char *w,
			       size_t size)
{
	const char *e = p, *b;
	size_t n, i;

	while (e > s && !isalpha((unsigned char)e[-1]))
		e--;
	for (b = e; b > s && isalpha((unsigned char)b[-1]); b--)
		;
	n = (size_t)(e - b) < size - 1 ? (size_t)(e - b) : size - 1;
	for (i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)b[i]);
	w[n] = '\0';
	return b;
}

static bool in_list(const char *w, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(w, list[i]))
			return true;
	return false;
}

/*
 * Does [s, s+n) invite reports as public issues?  "file a new issue",
 * "open a GitHub issue", "report it on the issue tracker", "as issues",
 * and no "do not", "instead", ... in the same sentence.
 */
static bool invites_issue(const char *s, size_t n, const char *section)
{
	static const char *const verbs[] = { "open",	"file",	  "create",
					     "submit",	"raise",  "post",
					     "opening", "filing", "creating",
					     "use",	"using" };
	static const char *const fillers[] = { "a",	 "an",	    "new",
					       "public", "github",  "gitlab",
					       "normal", "regular", "our" };
	static const char *const preps[] = { "on", "in",    "via", "through",
					     "as", "using", "to" };
	const char *p = s, *end = s + n;

	if (negated(s, n))
		return false;
	/* the sentence, or the section it is in, is about reporting */
	if (!security_context(s, n) &&
	    !lower_contains(section, strlen(section), "report") &&
	    !lower_contains(section, strlen(section), "vulnerab") &&
	    !lower_contains(section, strlen(section), "disclos"))
		return false;
	while ((p = pol_memcasestr(p, (size_t)(end - p), "issue")) != NULL) {
		const char *at = p;
		char w[32];
		int k;

		if (p > s && isalpha((unsigned char)p[-1])) {
			p += 5;
			continue;
		}
		/* skip "a new public" before the noun */
		for (k = 0; k < 4; k++) {
			const char *b = word_before(s, at, w, sizeof(w));

			if (!*w ||
			    !in_list(w, fillers,
				     sizeof(fillers) / sizeof(fillers[0])))
				break;
			at = b;
		}
		word_before(s, at, w, sizeof(w));
		if (in_list(w, verbs, sizeof(verbs) / sizeof(verbs[0])) ||
		    (in_list(w, preps, sizeof(preps) / sizeof(preps[0])) &&
		     (!strcmp(w, "as") ||
		      has_word_n(s, (size_t)(at - s), "report") ||
		      has_word_n(s, (size_t)(at - s), "reported") ||
		      has_word_n(s, (size_t)(at - s), "reports"))))
			return true;
		p += 5;
	}
	return false;
}

/* GitHub's private reporting described in words, without a link. */
static bool mentions_pvr(const char *s)
{
	size_t n = strlen(s);

	if (negated(s, n))
		return false;
	return lower_contains(s, n, "private vulnerability report") ||
	       lower_contains(s, n, "privately report") ||
	       lower_contains(s, n, "security advisories") ||
	       lower_contains(s, n, "security advisory") ||
	       (lower_contains(s, n, "security tab") &&
		lower_contains(s, n, "report a vulnerability"));
}

/* Sections whose links are references, not channels. */
static bool reference_section(const char *title)
{
	static const char *const words[] = {
		"reference",	       "see also", "further reading",
		"resources",	       "credits",  "acknowledg",
		"other communication", "links",	   "learn",
		"more information"
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (lower_contains(title, strlen(title), words[i]))
			return true;
	return false;
}

static void rule_channels(struct pol_ctx *c, const struct pol_doc *d,
			  const struct defunct *dv, size_t ndv)
{
	size_t i, private_n = 0, defunct_n = 0, public_line = 0;
	const char *dead_example = NULL;
	bool public_ = false;

	for (i = 0; i < d->nemails; i++) {
		char host[256];

		if (!url_host(d->emails[i].addr, host, sizeof(host)) ||
		    reserved_domain(host) ||
		    your_placeholder(d->emails[i].addr))
			continue;
		if (find_defunct(c, dv, ndv, d->emails[i].addr)) {
			defunct_n++;
			dead_example = d->emails[i].addr;
			continue;
		}
		private_n++;
	}
	for (i = 0; i < d->nlinks; i++) {
		const struct pol_link *l = &d->links[i];
		enum link_class k = classify(l->url);
		char host[256];

		if (k == LC_PVR) {
			if (!your_placeholder(l->url))
				private_n++;
		} else if (k == LC_ISSUES) {
			size_t a, b;
			const char *text;

			pol_sentence(d, l->block, l->offset, &a, &b);
			text = l->block < d->nblocks ?
				       d->blocks[l->block].text :
				       "";
			/* a link to the issues in a security policy is an
			 * invitation, unless the sentence says otherwise */
			if (l->block >= d->nblocks ||
			    !negated(text + a, b - a)) {
				if (!public_)
					public_line = l->line;
				public_ = true;
			}
		} else if (k == LC_WEB) {
			if (!url_host(l->url, host, sizeof(host)) ||
			    reserved_domain(host) || your_placeholder(l->url))
				continue;
			if (find_defunct(c, dv, ndv, l->url)) {
				defunct_n++;
				dead_example = l->url;
				continue;
			}
			private_n++;
		}
	}
	for (i = 0; i < d->nblocks; i++) {
		const struct pol_block *b = &d->blocks[i];
		size_t a = 0, e, len;

		if (b->kind != POL_BLK_TEXT && b->kind != POL_BLK_CELL)
			continue;
		if (mentions_pvr(b->text))
			private_n++;
		len = strlen(b->text);
		while (a < len) {
			pol_sentence(d, i, a, &a, &e);
			if (invites_issue(b->text + a, e - a,
					  pol_section_of(d, i))) {
				if (!public_ ||
				    block_line(d, i, a) < public_line)
					public_line = block_line(d, i, a);
				public_ = true;
			}
			if (e <= a)
				break;
			a = e;
		}
	}

	if (!private_n && !public_) {
		if (defunct_n)
			emb_policy_add(c->res, EMB_RULE_NO_CONTACT, 0,
				       "'%s' gives no working way to report a "
				       "vulnerability (its only channel, '%s', "
				       "is defunct): add a security e-mail "
				       "address or enable GitHub private "
				       "vulnerability reporting and link "
				       "/security/advisories/new",
				       c->path, dead_example);
		else
			emb_policy_add(c->res, EMB_RULE_NO_CONTACT, 0,
				       "'%s' gives no way to report a "
				       "vulnerability (no e-mail address, web "
				       "link or private reporting link): add a "
				       "security e-mail address or enable "
				       "GitHub private vulnerability reporting "
				       "and link /security/advisories/new",
				       c->path);
	} else if (!private_n) {
		emb_policy_add(
			c->res, EMB_RULE_PUBLIC_CHANNEL, public_line,
			"'%s' line %zu: the only channel for reports is "
			"public issues, which discloses a vulnerability "
			"to everyone before it is fixed: give a security "
			"e-mail address or enable GitHub private "
			"vulnerability reporting",
			c->path, public_line);
	} else if (public_) {
		emb_policy_add_sev(
			c->res, EMB_RULE_PUBLIC_CHANNEL, EMB_SEV_INFO,
			public_line,
			"'%s' line %zu: public issues are offered for "
			"security reports beside a private channel: "
			"point reporters to the private one only",
			c->path, public_line);
	}
}

static void rule_defunct(struct pol_ctx *c, const struct pol_doc *d,
			 const struct defunct *dv, size_t ndv)
{
	struct seen seen = { NULL, 0 };
	size_t i;

	for (i = 0; i < d->nlinks + d->nemails; i++) {
		const char *url = i < d->nlinks ? d->links[i].url :
						  d->emails[i - d->nlinks].addr;
		size_t line = i < d->nlinks ? d->links[i].line :
					      d->emails[i - d->nlinks].line;
		const struct defunct *f = find_defunct(c, dv, ndv, url);
		char key[300];

		if (!f)
			continue;
		snprintf(key, sizeof(key), "%s:%zu", f->match, line);
		if (!seen_add(&seen, key))
			continue;
		emb_policy_add(c->res, EMB_RULE_DEFUNCT_CHANNEL, line,
			       "'%s' line %zu: '%s' is no longer a reporting "
			       "channel (%s): replace it with GitHub private "
			       "vulnerability reporting or a security e-mail "
			       "address",
			       c->path, line, url, f->note);
	}
	seen_release(&seen);
}

/* ---- foreign domains ---- */

static bool channel_words(const char *s, size_t n)
{
	return lower_contains(s, n, "disclos") ||
	       lower_contains(s, n, "report") ||
	       lower_contains(s, n, "bounty") ||
	       lower_contains(s, n, "contact") ||
	       lower_contains(s, n, "security polic") ||
	       lower_contains(s, n, "security team") ||
	       lower_contains(s, n, "vdp");
}

static bool channel_verbs(const char *s, size_t n)
{
	return lower_contains(s, n, "report") ||
	       lower_contains(s, n, "contact") ||
	       lower_contains(s, n, "visit") ||
	       lower_contains(s, n, "submit") || lower_contains(s, n, "send") ||
	       lower_contains(s, n, "disclos") || lower_contains(s, n, "reach");
}

/*
 * Is the address where to turn when the project does not answer ("if
 * you do not hear back within 5 days, contact cve@mitre.org", the
 * distros list, a foundation's security team)?  Such an address is
 * another organisation's on purpose: it says nothing of this one's
 * domain.
 */
static bool escalation(const struct pol_doc *d, const struct pol_email *e)
{
	static const char *const words[] = {
		"escalat",	   "do not hear",  "don't hear",
		"not hear back",   "no response",  "not receive a response",
		"not respond",	   "unresponsive", "no reply",
		"not get a reply", "if we fail",   "as a last resort",
	};
	const char *text;
	size_t a, b, k;

	if (e->block >= d->nblocks)
		return false;
	text = d->blocks[e->block].text;
	pol_sentence(d, e->block, e->offset, &a, &b);
	/* the sentence before counts too: "No answer after a week?
	 * Write to ..." */
	if (a > 1)
		pol_sentence(d, e->block, a - 2, &a, &k);
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (lower_contains(text + a, b - a, words[k]))
			return true;
	return false;
}

static void rule_foreign(struct pol_ctx *c, const struct pol_doc *d)
{
	struct seen own = { NULL, 0 }, seen = { NULL, 0 };
	struct emb_buf list = EMB_BUF_INIT;
	bool configured = c->ndomains > 0;
	size_t i, k;

	for (i = 0; i < c->ndomains; i++) {
		const char *dom = c->domains[i];

		while (*dom == '.' || *dom == '@')
			dom++;
		if (*dom)
			seen_add(&own, dom);
	}
	if (!configured)
		for (i = 0; i < d->nemails; i++) {
			char host[256];

			if (url_host(d->emails[i].addr, host, sizeof(host)) &&
			    !reserved_domain(host) &&
			    !your_placeholder(d->emails[i].addr) &&
			    !escalation(d, &d->emails[i]) && !is_webmail(host))
				seen_add(&own, host);
		}
	if (!own.n)
		goto done; /* nothing says what the organisation's domain is */
	for (k = 0; k < own.n; k++)
		emb_buf_printf(&list, "%s%s", k ? ", " : "", own.v[k]);

	for (i = 0; i < d->nemails && configured; i++) {
		char host[256];

		if (!url_host(d->emails[i].addr, host, sizeof(host)) ||
		    reserved_domain(host) || is_platform(host))
			continue;
		for (k = 0; k < own.n && !same_org(host, own.v[k]); k++)
			;
		if (k < own.n || !seen_add(&seen, d->emails[i].addr))
			continue;
		emb_policy_add(c->res, EMB_RULE_FOREIGN_DOMAIN,
			       d->emails[i].line,
			       "'%s' line %zu: contact '%s' is not on the "
			       "organisation's domain (%s): use an address of "
			       "your own, or add the domain with 'git config "
			       "--add embargo.policy.domain %s'",
			       c->path, d->emails[i].line, d->emails[i].addr,
			       list.ptr, host);
	}
	for (i = 0; i < d->nlinks; i++) {
		const struct pol_link *l = &d->links[i];
		char host[256], key[300];
		size_t a, b, o;
		const char *btext;

		if (classify(l->url) != LC_WEB ||
		    !url_host(l->url, host, sizeof(host)) ||
		    reserved_domain(host) || is_platform(host))
			continue;
		for (k = 0; k < own.n && !same_org(host, own.v[k]); k++)
			;
		if (k < own.n)
			continue;
		if (reference_section(pol_section_of(d, l->block)))
			continue;
		/* only what reads as a channel or the policy itself */
		btext = l->block < d->nblocks ? d->blocks[l->block].text : "";
		pol_sentence(d, l->block, l->offset, &a, &b);
		/* a bare link is read with the words since the last link */
		for (k = 0; k < d->nlinks; k++) {
			size_t end =
				d->links[k].offset + strlen(d->links[k].text);

			if (d->links[k].block == l->block &&
			    d->links[k].offset < l->offset && end > a &&
			    end <= l->offset)
				a = end;
		}
		/* a link's offset can lie past its block's visible text */
		o = l->offset < strlen(btext) ? l->offset : strlen(btext);
		if (!(l->bare ? o > a && channel_verbs(btext + a, o - a) :
				channel_words(l->text, strlen(l->text))))
			continue;
		snprintf(key, sizeof(key), "%s:%zu", host, l->line);
		if (!seen_add(&seen, key))
			continue;
		if (l->bare)
			emb_policy_add(c->res, EMB_RULE_FOREIGN_DOMAIN, l->line,
				       "'%s' line %zu: link '%s' goes to %s, "
				       "which is not the organisation's domain "
				       "(%s): point it at your own policy or "
				       "channel, or add the domain with 'git "
				       "config --add embargo.policy.domain %s'",
				       c->path, l->line, l->url, host, list.ptr,
				       host);
		else
			emb_policy_add(c->res, EMB_RULE_FOREIGN_DOMAIN, l->line,
				       "'%s' line %zu: link '%s' goes to %s "
				       "(%s), which is not the organisation's "
				       "domain (%s): point it at your own "
				       "policy or channel, or add the domain "
				       "with 'git config --add "
				       "embargo.policy.domain %s'",
				       c->path, l->line, l->text, host, l->url,
				       list.ptr, host);
	}
done:
	emb_buf_release(&list);
	seen_release(&own);
	seen_release(&seen);
}

void pol_rules_content(struct pol_ctx *c, const struct pol_doc *d)
{
	struct defunct *dv;
	size_t ndv = load_defunct(c, &dv);

	rule_unedited(c, d);
	rule_placeholders(c, d);
	rule_channels(c, d, dv, ndv);
	rule_foreign(c, d);
	rule_defunct(c, d, dv, ndv);
	free_defunct(dv, ndv);
}

/* ---- dates ---- */

static const char *const months[] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec"
};

static int month_at(const char *s, size_t *len)
{
	size_t i, n = 0;

	while (isalpha((unsigned char)s[n]))
		n++;
	if (n < 3)
		return 0;
	for (i = 0; i < 12; i++)
		if (!strncasecmp(s, months[i], 3)) {
			*len = n;
			return (int)i + 1;
		}
	return 0;
}

static emb_date ymd(int y, int m, int d)
{
	char buf[48];
	emb_date out;

	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return EMB_DATE_NONE;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	return emb_date_parse(&out, buf) < 0 ? EMB_DATE_NONE : out;
}

emb_date pol_parse_date(const char *s)
{
	emb_date out;
	size_t n;
	int y, m, d;
	char *end;

	while (isspace((unsigned char)*s) || *s == '*' || *s == '_' ||
	       *s == '`')
		s++;
	if (emb_date_parse_prefix(&out, s, strlen(s)) == 10)
		return out;
	/* 2024/05/01 */
	if (isdigit((unsigned char)s[0]) && strlen(s) >= 10 && s[4] == '/' &&
	    s[7] == '/') {
		y = atoi(s);
		m = atoi(s + 5);
		d = atoi(s + 8);
		return ymd(y, m, d);
	}
	/* May 1, 2024 / May 2024 */
	if ((m = month_at(s, &n)) != 0) {
		s += n;
		while (*s == ' ' || *s == '.')
			s++;
		d = (int)strtol(s, &end, 10);
		if (end != s && d >= 1 && d <= 31 && d < 1000) {
			s = end;
			while (*s == ',' || *s == ' ' ||
			       isalpha((unsigned char)*s))
				s++; /* "1st," */
			y = (int)strtol(s, &end, 10);
			return end != s ? ymd(y, m, d) : EMB_DATE_NONE;
		}
		y = (int)strtol(s, &end, 10);
		return end != s && y >= 1000 ? ymd(y, m, 1) : EMB_DATE_NONE;
	}
	/* 1 May 2024 */
	d = (int)strtol(s, &end, 10);
	if (end != s && d >= 1 && d <= 31) {
		s = end;
		while (*s == ' ' || *s == '.')
			s++;
		while (isalpha((unsigned char)*s) && !month_at(s, &n))
			s++; /* "1st" */
		while (*s == ' ')
			s++;
		if ((m = month_at(s, &n)) != 0) {
			s += n;
			while (*s == ' ' || *s == ',' || *s == '.')
				s++;
			y = (int)strtol(s, &end, 10);
			return end != s ? ymd(y, m, d) : EMB_DATE_NONE;
		}
	}
	return EMB_DATE_NONE;
}

static bool date_placeholder(const char *v)
{
	size_t n = strlen(v);

	return !n || strchr(v, '[') || strchr(v, '<') || strchr(v, '{') ||
	       lower_contains(v, n, "yyyy") || lower_contains(v, n, "tbd") ||
	       lower_contains(v, n, "xx") || lower_contains(v, n, "date") ||
	       lower_contains(v, n, "todo");
}

enum date_kind { DK_NONE, DK_EXPIRES, DK_REVIEWED };

static enum date_kind date_key(const char *key)
{
	static const char *const expires[] = { "expires",	 "expiry",
					       "expiration",	 "expires on",
					       "valid until",	 "expiry date",
					       "expiration date" };
	static const char *const reviewed[] = {
		"last reviewed",    "last updated",    "last modified",
		"last revised",	    "last review",     "last update",
		"updated",	    "reviewed",	       "review date",
		"last reviewed on", "last updated on", "date reviewed",
		"date updated",	    "last verified",
	};
	size_t i;

	for (i = 0; i < sizeof(expires) / sizeof(expires[0]); i++)
		if (!strcmp(key, expires[i]))
			return DK_EXPIRES;
	for (i = 0; i < sizeof(reviewed) / sizeof(reviewed[0]); i++)
		if (!strcmp(key, reviewed[i]))
			return DK_REVIEWED;
	return DK_NONE;
}

/* today plus one calendar year (29 February becomes 28 February) */
static emb_date one_year_after(emb_date today)
{
	char full[16], year[16];
	emb_date out;

	emb_date_format(full, sizeof(full), today);
	snprintf(year, sizeof(year), "%04d", atoi(full) + 1);
	memcpy(full, year, 4);
	if (emb_date_parse(&out, full) == 0)
		return out;
	full[9] = '8';
	return emb_date_parse(&out, full) == 0 ? out : today + 365;
}

void pol_rules_dates(struct pol_ctx *c, const struct pol_doc *d)
{
	emb_date newest = EMB_DATE_NONE;
	size_t newest_line = 0, i;
	char ds[16], ts[16];

	emb_date_format(ts, sizeof(ts), c->today);
	for (i = 0; i < d->nmeta; i++) {
		const struct pol_meta *m = &d->meta[i];
		enum date_kind k = date_key(m->key);
		emb_date when;

		if (k == DK_NONE)
			continue;
		when = pol_parse_date(m->value);
		if (when == EMB_DATE_NONE) {
			if (date_placeholder(m->value))
				emb_policy_add(
					c->res, EMB_RULE_PLACEHOLDER, m->line,
					"'%s' line %zu: the %s date "
					"'%s' is a placeholder: write "
					"the real date (YYYY-MM-DD)",
					c->path, m->line, m->key, m->value);
			else
				emb_policy_add(c->res, EMB_RULE_UNREADABLE_DATE,
					       m->line,
					       "'%s' line %zu: cannot read the "
					       "%s date '%s': write it as "
					       "YYYY-MM-DD",
					       c->path, m->line, m->key,
					       m->value);
			continue;
		}
		emb_date_format(ds, sizeof(ds), when);
		if (k == DK_EXPIRES) {
			if (when < c->today)
				emb_policy_add(c->res, EMB_RULE_EXPIRED,
					       m->line,
					       "'%s' line %zu: the policy "
					       "expired on %s (%d days ago): "
					       "review it and set a new "
					       "'Expires:' date",
					       c->path, m->line, ds,
					       (int)(c->today - when));
			else if (when > one_year_after(c->today))
				emb_policy_add(
					c->res, EMB_RULE_EXPIRES_FAR, m->line,
					"'%s' line %zu: the policy "
					"expires on %s, more than a year "
					"ahead: RFC 9116 recommends less "
					"than a year, so it is reviewed",
					c->path, m->line, ds);
			continue;
		}
		if (newest == EMB_DATE_NONE || when > newest) {
			newest = when;
			newest_line = m->line;
		}
	}
	if (newest != EMB_DATE_NONE && c->today - newest > c->max_age) {
		emb_date_format(ds, sizeof(ds), newest);
		emb_policy_add(c->res, EMB_RULE_REVIEW_OVERDUE, newest_line,
			       "'%s' line %zu: last reviewed on %s, %d days "
			       "ago (more than embargo.policy.maxAge, %lld "
			       "days): check the contacts and versions, then "
			       "update the date",
			       c->path, newest_line, ds,
			       (int)(c->today - newest), (long long)c->max_age);
	}
}

/* ---- the Scorecard score ---- */

static bool word_char(int c)
{
	return isalnum(c) || c == '_';
}

static bool url_char(int c)
{
	return isalnum(c) || (c && strchr("./?=_%:-", c));
}

static bool local_char(int c)
{
	return isalnum(c) || (c && strchr("._%+-", c));
}

static void uniq_add(struct seen *s, const char *p, size_t n, size_t *len)
{
	char *tok = emb_xstrndup(p, n);

	if (seen_add(s, tok))
		*len += n;
	free(tok);
}

/*
 * Scorecard's Security-Policy check reads raw lines with three
 * patterns: URLs `(http|https)://[a-zA-Z0-9./?=_%:-]*`, e-mail
 * addresses `\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,6}\b`, and
 * "hints" `(?i)([0-9]{1,4}\b|disclos|vuln)`.  Six points for any unique
 * URL or address, three when the file is longer than the unique links
 * plus two bytes each, one for more than one hint.
 */
int pol_scorecard(const char *text, size_t len)
{
	struct seen urls = { NULL, 0 }, mails = { NULL, 0 };
	size_t linked = 0, hints = 0, i = 0;
	int score = 0;

	while (i < len) {
		size_t eol = i, j;

		while (eol < len && text[eol] != '\n')
			eol++;
		/* URLs */
		for (j = i; j < eol;) {
			size_t k = 0;

			if (eol - j >= 7 && !strncmp(text + j, "http://", 7))
				k = j + 7;
			else if (eol - j >= 8 &&
				 !strncmp(text + j, "https://", 8))
				k = j + 8;
			if (!k) {
				j++;
				continue;
			}
			while (k < eol && url_char((unsigned char)text[k]))
				k++;
			uniq_add(&urls, text + j, k - j, &linked);
			j = k;
		}
		/* e-mail addresses */
		for (j = i; j < eol;) {
			size_t a = j, at, e, q, best = 0;

			bool prev =
				j > i && word_char((unsigned char)text[j - 1]);

			/* \b before the address */
			if (!local_char((unsigned char)text[j]) ||
			    prev == word_char((unsigned char)text[j])) {
				j++;
				continue;
			}
			for (at = a;
			     at < eol && local_char((unsigned char)text[at]);
			     at++)
				;
			if (at == a || at >= eol || text[at] != '@') {
				j++;
				continue;
			}
			for (e = at + 1;
			     e < eol && (isalnum((unsigned char)text[e]) ||
					 text[e] == '.' || text[e] == '-');
			     e++)
				;
			for (q = e; q > at + 2; q--) {
				size_t t = q, n = 0;

				if (text[q - 1] != '.')
					continue;
				while (t < eol &&
				       isalpha((unsigned char)text[t]))
					t++, n++;
				if (n >= 2 && n <= 6 &&
				    (t >= eol ||
				     !word_char((unsigned char)text[t]))) {
					best = t;
					break;
				}
			}
			if (!best) {
				j++;
				continue;
			}
			uniq_add(&mails, text + a, best - a, &linked);
			j = best;
		}
		/* hints: digits, "disclos", "vuln" */
		for (j = i; j < eol;) {
			if (isdigit((unsigned char)text[j])) {
				size_t k = j;

				while (k < eol &&
				       isdigit((unsigned char)text[k]))
					k++;
				if (k - j <= 4 &&
				    (k >= eol ||
				     !word_char((unsigned char)text[k]))) {
					hints++;
					j = k;
					continue;
				}
				j++;
				continue;
			}
			if (eol - j >= 7 &&
			    !strncasecmp(text + j, "disclos", 7)) {
				hints++;
				j += 7;
				continue;
			}
			if (eol - j >= 4 && !strncasecmp(text + j, "vuln", 4)) {
				hints++;
				j += 4;
				continue;
			}
			j++;
		}
		i = eol + 1;
	}
	if (urls.n + mails.n > 0)
		score += 6;
	if (len > 1 && len > linked + (urls.n + mails.n) * 2)
		score += 3;
	if (hints > 1)
		score += 1;
	seen_release(&urls);
	seen_release(&mails);
	return score;
}
