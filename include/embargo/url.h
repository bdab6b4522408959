/*
 * url.h - the one reading of a repository URL, as git reads it.
 *
 * git takes a remote as "scheme://[user[:password]@]host[:port][/path]",
 * as scp-like "[user@]host:path" (a ':' before any '/'; connect.c's
 * url_is_local_not_ssh()), as "<transport>::<address>" for a remote
 * helper, or as a local path.  emb_url_parse() splits a string the same
 * way and hands back its parts as written: nothing is decoded, lowered
 * or resolved, so each caller decides what equality means for it (the
 * public/private normal form of remote.h, the repository id of policy,
 * a URL shown without its password).
 */
#ifndef EMBARGO_URL_H
#define EMBARGO_URL_H

#include <stdbool.h>

enum emb_url_kind {
	EMB_URL_LOCAL = 0, /* a path on this machine */
	EMB_URL_SCHEME,	   /* scheme://[user[:password]@]host[:port][path] */
	EMB_URL_SCP,	   /* [user@]host:path, git's ssh shorthand */
};

/**
 * A URL's parts, each a NUL-terminated copy of the bytes as written, or
 * NULL when the form has no such part.  Owned by the struct: free with
 * emb_url_release().
 */
struct emb_url {
	enum emb_url_kind kind;
	char *helper;	/* "<transport>" of "<transport>::<address>" */
	char *scheme;	/* EMB_URL_SCHEME: "https", "ssh", "file", ... */
	char *user;	/* before the last '@' of the host part */
	char *password; /* EMB_URL_SCHEME: after the user's first ':' */
	char *host;	/* "" for "file:///x"; "[::1]" keeps its brackets */
	char *port;	/* EMB_URL_SCHEME: after the host's ':' ("" if none) */
	/*
	 * EMB_URL_SCHEME: from the '/' that ends the host ("" when none);
	 * for http(s) and ftp(s) a '?' or '#' also ends the host, as curl
	 * reads it.  EMB_URL_SCP: after the ':'.  EMB_URL_LOCAL: all of it.
	 */
	char *path;
};

#define EMB_URL_INIT                                                           \
	{                                                                      \
		.kind = EMB_URL_LOCAL                                          \
	}

/**
 * Split `url` (after a "<transport>::" prefix, the address) into its
 * parts.  Every string is a URL of some kind, so this cannot fail.
 * @param[out] out to release with emb_url_release()
 */
void emb_url_parse(struct emb_url *out, const char *url);

void emb_url_release(struct emb_url *u);

/**
 * Whether git would read `url` as a path on this machine: no
 * "<transport>::", no "scheme://", and no ':' before the first '/' with
 * something in front of it.  "host:org/repo" is not local (ssh);
 * "./a:b" and "/srv/a:b" are.
 */
bool emb_url_is_local(const char *url);

#endif
