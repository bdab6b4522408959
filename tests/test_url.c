/*
 * test_url.c - splitting repository URLs as git does: every form git
 * accepts, the scp-like rule of connect.c (a ':' before any '/'), the
 * cases where two copies of this once disagreed, and the forms git
 * itself was asked about (`git ls-remote` of each, to a host that does
 * not exist, says which transport it picked).
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/buf.h"
#include "embargo/url.h"

struct want {
	const char *url;
	enum emb_url_kind kind;
	const char *helper, *scheme, *user, *password, *host, *port, *path;
};

static void str_is(const char *what, const char *url, const char *got,
		   const char *want)
{
	if ((got == NULL) != (want == NULL) || (got && strcmp(got, want)))
		fail_msg("'%s': %s is '%s', expected '%s'", url, what,
			 got ? got : "(none)", want ? want : "(none)");
}

static void parses_as(const struct want *w)
{
	struct emb_url u;

	emb_url_parse(&u, w->url);
	if (u.kind != w->kind)
		fail_msg("'%s': kind %d, expected %d", w->url, (int)u.kind,
			 (int)w->kind);
	str_is("helper", w->url, u.helper, w->helper);
	str_is("scheme", w->url, u.scheme, w->scheme);
	str_is("user", w->url, u.user, w->user);
	str_is("password", w->url, u.password, w->password);
	str_is("host", w->url, u.host, w->host);
	str_is("port", w->url, u.port, w->port);
	str_is("path", w->url, u.path, w->path);
	emb_url_release(&u);
}

#define L EMB_URL_LOCAL
#define S EMB_URL_SCHEME
#define P EMB_URL_SCP

static void scheme_urls(void **state)
{
	static const struct want v[] = {
		{ "https://github.com/acme/tool.git", S, NULL, "https", NULL,
		  NULL, "github.com", NULL, "/acme/tool.git" },
		{ "ssh://git@GitHub.com:22/acme/tool", S, NULL, "ssh", "git",
		  NULL, "GitHub.com", "22", "/acme/tool" },
		{ "https://user:secret@h/x", S, NULL, "https", "user", "secret",
		  "h", NULL, "/x" },
		/* the password runs to the last '@'; it may hold ':' */
		{ "https://u:p@ss:w@h/x", S, NULL, "https", "u", "p@ss:w", "h",
		  NULL, "/x" },
		{ "https://u:@h:/x", S, NULL, "https", "u", "", "h", "", "/x" },
		{ "git://127.0.0.1:9418/x.git", S, NULL, "git", NULL, NULL,
		  "127.0.0.1", "9418", "/x.git" },
		{ "ssh://git@[::1]:2222/repo.git", S, NULL, "ssh", "git", NULL,
		  "[::1]", "2222", "/repo.git" },
		{ "https://[fe80::1]/r", S, NULL, "https", NULL, NULL,
		  "[fe80::1]", NULL, "/r" },
		{ "file:///srv/git/x.git", S, NULL, "file", NULL, NULL, "",
		  NULL, "/srv/git/x.git" },
		{ "file://localhost/srv/x", S, NULL, "file", NULL, NULL,
		  "localhost", NULL, "/srv/x" },
		{ "https://host", S, NULL, "https", NULL, NULL, "host", NULL,
		  "" },
		/* curl ends an http host at '?' or '#'; ssh only at '/' */
		{ "https://github.com#@evil.example/o/r", S, NULL, "https",
		  NULL, NULL, "github.com", NULL, "#@evil.example/o/r" },
		{ "ssh://github.com#@evil.example/o/r", S, NULL, "ssh",
		  "github.com#", NULL, "evil.example", NULL, "/o/r" },
		{ "git+ssh://h/r", S, NULL, "git+ssh", NULL, NULL, "h", NULL,
		  "/r" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(*v); i++)
		parses_as(&v[i]);
}

static void scp_like(void **state)
{
	static const struct want v[] = {
		{ "git@github.com:acme/tool.git", P, NULL, NULL, "git", NULL,
		  "github.com", NULL, "acme/tool.git" },
		/* no user: git reads this as ssh too (it once was a path to
		 * the policy check and a URL to the audit) */
		{ "host:org/repo", P, NULL, NULL, NULL, NULL, "host", NULL,
		  "org/repo" },
		{ "host:/abs/path", P, NULL, NULL, NULL, NULL, "host", NULL,
		  "/abs/path" },
		/* ssh takes the user up to the last '@' (the first would
		 * make "private.example@github.com" the host) */
		{ "x@private.example@github.com:org/r", P, NULL, NULL,
		  "x@private.example", NULL, "github.com", NULL, "org/r" },
		/* a ':' in the path is the path's */
		{ "h:a:b", P, NULL, NULL, NULL, NULL, "h", NULL, "a:b" },
		{ "[::1]:repo.git", P, NULL, NULL, NULL, NULL, "[::1]", NULL,
		  "repo.git" },
		{ "git@[::1]:repo.git", P, NULL, NULL, "git", NULL, "[::1]",
		  NULL, "repo.git" },
		/* one letter is a host on POSIX, as for git */
		{ "C:x", P, NULL, NULL, NULL, NULL, "C", NULL, "x" },
		{ "C:", P, NULL, NULL, NULL, NULL, "C", NULL, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(*v); i++)
		parses_as(&v[i]);
}

static void local_paths(void **state)
{
	static const struct want v[] = {
		{ "/srv/git/x.git", L, NULL, NULL, NULL, NULL, NULL, NULL,
		  "/srv/git/x.git" },
		/* a '/' before the ':' makes it a path (url_is_local_not_ssh)
		 */
		{ "./a:b", L, NULL, NULL, NULL, NULL, NULL, NULL, "./a:b" },
		{ "/srv/a:b", L, NULL, NULL, NULL, NULL, NULL, NULL,
		  "/srv/a:b" },
		{ "org/team/x.git", L, NULL, NULL, NULL, NULL, NULL, NULL,
		  "org/team/x.git" },
		/* "://" after a '/' is no scheme: git's is_url() */
		{ "/srv/x://h/y", L, NULL, NULL, NULL, NULL, NULL, NULL,
		  "/srv/x://h/y" },
		{ "plain", L, NULL, NULL, NULL, NULL, NULL, NULL, "plain" },
		{ "", L, NULL, NULL, NULL, NULL, NULL, NULL, "" },
		/* no host before the ':' */
		{ ":x", L, NULL, NULL, NULL, NULL, NULL, NULL, ":x" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(*v); i++)
		parses_as(&v[i]);
}

static void remote_helpers(void **state)
{
	static const struct want v[] = {
		{ "persistent-https::https://host/org/r", S, "persistent-https",
		  "https", NULL, NULL, "host", NULL, "/org/r" },
		{ "ext::ssh -p 22 host %S r", L, "ext", NULL, NULL, NULL, NULL,
		  NULL, "ssh -p 22 host %S r" },
		/* a helper's name starts with a letter */
		{ "1x::y", P, NULL, NULL, NULL, NULL, "1x", NULL, ":y" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(*v); i++)
		parses_as(&v[i]);
}

static void release_twice(void **state)
{
	struct emb_url u = EMB_URL_INIT;

	emb_url_release(&u); /* nothing parsed: fine */
	emb_url_parse(&u, "https://u:p@h:1/x");
	emb_url_release(&u);
	assert_null(u.host);
	assert_null(u.password);
	emb_url_release(&u);
}

static void is_local(void **state)
{
	assert_false(emb_url_is_local("https://github.com/acme/x.git"));
	assert_false(emb_url_is_local("file:///srv/git/x.git"));
	assert_false(emb_url_is_local("git@github.com:acme/x.git"));
	assert_false(emb_url_is_local("host:org/repo"));
	assert_false(emb_url_is_local("host:x.git"));
	assert_false(emb_url_is_local("[::1]:x"));
	assert_false(emb_url_is_local("C:"));
	assert_false(emb_url_is_local("persistent-https::https://h/x"));
	assert_true(emb_url_is_local("org/team/x.git"));
	assert_true(emb_url_is_local("./a:b"));
	assert_true(emb_url_is_local("/srv/a:b"));
	assert_true(emb_url_is_local("/srv/x://h/y"));
	assert_true(emb_url_is_local(":x"));
	assert_true(emb_url_is_local("plain"));
}

/*
 * git's own answer: `git ls-remote` of each form runs ssh (here a
 * stand-in that writes down its arguments and fails) or opens a path.
 * The parser picks the same, and ssh is given the user, host and path
 * it found (git takes the brackets off an IPv6 host).
 */
static void agrees_with_git(void **state)
{
	static const char *const v[] = {
		"host:org/repo", "git@host:org/repo", "./a:b",	 "sub/a:b",
		"C:x",		 "ssh://h/r",	      "x@y@h:r", "[::1]:x",
		"git@[::1]:x",	 "/srv/a:b",	      "h:a:b",
	};
	char *dir = th_mkdtemp();
	size_t i;

	th_write(dir, "fake-ssh",
		 "#!/bin/sh\necho \"ssh $*\" >>\"$(dirname \"$0\")/ran\"\n"
		 "exit 1\n");
	assert_int_equal(th_sh(dir, "chmod +x fake-ssh && mkdir -p sub"), 0);
	for (i = 0; i < sizeof(v) / sizeof(*v); i++) {
		struct emb_buf want = EMB_BUF_INIT;
		struct emb_url u;
		char *ran;

		ran = th_sh_out(dir, NULL,
				"rm -f ran; GIT_SSH=\"$PWD/fake-ssh\" "
				"git ls-remote '%s' >/dev/null 2>&1; "
				"if [ -f ran ]; then tail -n 1 ran; "
				"else echo local; fi",
				v[i]);
		emb_url_parse(&u, v[i]);
		if (u.kind == EMB_URL_LOCAL) {
			emb_buf_puts(&want, "local\n");
		} else {
			size_t hl = strlen(u.host);
			bool br = hl > 1 && u.host[0] == '[';

			emb_buf_puts(&want, "ssh ");
			if (u.user)
				emb_buf_printf(&want, "%s@", u.user);
			emb_buf_put(&want, u.host + br, hl - 2 * br);
			emb_buf_printf(&want, " git-upload-pack '%s'\n",
				       u.path);
		}
		if (strcmp(ran, want.ptr))
			fail_msg("'%s': git ran '%s', the parser says '%s'",
				 v[i], ran, want.ptr);
		emb_url_release(&u);
		emb_buf_release(&want);
		free(ran);
	}
	th_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest parse[] = {
		cmocka_unit_test(scheme_urls),
		cmocka_unit_test(scp_like),
		cmocka_unit_test(local_paths),
		cmocka_unit_test(remote_helpers),
		cmocka_unit_test(agrees_with_git),
	};
	const struct CMUnitTest release[] = {
		cmocka_unit_test(release_twice),
	};
	const struct CMUnitTest local[] = {
		cmocka_unit_test(is_local),
	};
	int failed = 0;

	th_env();
	failed +=
		cmocka_run_group_tests_name("emb_url_parse", parse, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_url_release", release, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_url_is_local", local, NULL,
					      NULL);
	return failed ? 1 : 0;
}
