/*
 * url.c - splitting a repository URL the way git does (its url.c,
 * connect.c and transport.c), without touching the network or the file
 * system.
 *
 * The rules, in git's order: "<transport>::<address>" names a remote
 * helper (transport_get()); "scheme://" with a scheme of letters,
 * digits, '+', '-' and '.' is a URL (is_url()); otherwise a ':' with no
 * '/' before it makes ssh's scp-like form (url_is_local_not_ssh()), with
 * "[...]" around an IPv6 host (host_end()); everything else is a local
 * path.  Where git leaves the rest to ssh or curl, they decide: the
 * user part ends at the last '@' (as ssh reads it), and an
 * http(s) host also ends at '?' or '#'.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "embargo/buf.h"
#include "embargo/url.h"

/* git's is_urlschemechar(): a letter first, then also digits, + - . */
static bool scheme_char(bool first, int c)
{
	return isalpha(c) ||
	       (!first && (isdigit(c) || c == '+' || c == '-' || c == '.'));
}

/* The length of a scheme followed by `tail` at s, or 0. */
static size_t scheme_len(const char *s, const char *tail)
{
	size_t n = 0;

	while (s[n] && scheme_char(n == 0, (unsigned char)s[n]))
		n++;
	return n && !strncmp(s + n, tail, strlen(tail)) ? n : 0;
}

static char *dup_range(const char *b, const char *e)
{
	return emb_xstrndup(b, (size_t)(e - b));
}

static const char *last_at(const char *b, const char *e)
{
	const char *at = NULL, *p;

	for (p = b; p < e; p++)
		if (*p == '@')
			at = p;
	return at;
}

static bool curl_scheme(const char *s, size_t n)
{
	return (n == 4 && !strncasecmp(s, "http", 4)) ||
	       (n == 5 && !strncasecmp(s, "https", 5)) ||
	       (n == 3 && !strncasecmp(s, "ftp", 3)) ||
	       (n == 4 && !strncasecmp(s, "ftps", 4));
}

/* scheme://[user[:password]@]host[:port][path] */
static void parse_scheme(struct emb_url *u, const char *url, size_t n)
{
	const char *auth = url + n + 3, *end, *at, *host, *colon;

	u->kind = EMB_URL_SCHEME;
	u->scheme = emb_xstrndup(url, n);
	end = auth + strcspn(auth, curl_scheme(url, n) ? "/?#" : "/");
	host = auth;
	if ((at = last_at(auth, end))) {
		const char *pw = memchr(auth, ':', (size_t)(at - auth));

		u->user = dup_range(auth, pw ? pw : at);
		if (pw)
			u->password = dup_range(pw + 1, at);
		host = at + 1;
	}
	colon = NULL;
	if (*host == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));

		if (close && close + 1 < end && close[1] == ':')
			colon = close + 1;
	} else {
		colon = memchr(host, ':', (size_t)(end - host));
	}
	u->host = dup_range(host, colon ? colon : end);
	if (colon)
		u->port = dup_range(colon + 1, end);
	u->path = emb_xstrdup(end);
}

/* [user@]host:path, or [user@][host]:path */
static void parse_scp(struct emb_url *u, const char *url)
{
	const char *start = strstr(url, "@["), *colon = NULL, *at;

	start = start ? start + 1 : url;
	if (*start == '[') {
		const char *close = strchr(start + 1, ']');

		if (close)
			colon = strchr(close, ':');
	}
	if (!colon)
		colon = strchr(url, ':');
	u->kind = EMB_URL_SCP;
	if ((at = last_at(url, colon))) {
		u->user = dup_range(url, at);
		u->host = dup_range(at + 1, colon);
	} else {
		u->host = dup_range(url, colon);
	}
	u->path = emb_xstrdup(colon + 1);
}

/* "<transport>::", as transport_get() finds a remote helper: @return
 * the length of <transport>, or 0 */
static size_t helper_len(const char *url)
{
	return scheme_len(url, "::");
}

static bool scp_like(const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');

	/* an empty host is no host: ":x" stays a path */
	return colon && colon > url && (!slash || colon < slash);
}

bool emb_url_is_local(const char *url)
{
	return !helper_len(url) && !scheme_len(url, "://") && !scp_like(url);
}

void emb_url_parse(struct emb_url *out, const char *url)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	if ((n = helper_len(url))) {
		out->helper = emb_xstrndup(url, n);
		url += n + 2;
	}
	if ((n = scheme_len(url, "://")))
		parse_scheme(out, url, n);
	else if (scp_like(url))
		parse_scp(out, url);
	else
		out->path = emb_xstrdup(url);
}

void emb_url_release(struct emb_url *u)
{
	free(u->helper);
	free(u->scheme);
	free(u->user);
	free(u->password);
	free(u->host);
	free(u->port);
	free(u->path);
	memset(u, 0, sizeof(*u));
}
