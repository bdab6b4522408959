/*
 * lsan_default.c - linked into the SANITIZE=1 build only (the binary and
 * the test programs), so that every process of `make check SANITIZE=1`
 * has these suppressions, hooks started by git through ssh or a web
 * server included, whatever their environment.
 *
 * libgit2 1.5.1 (Debian bookworm), built with PCRE2 for its regular
 * expressions, leaks the match data of every git_regexp_match() that does
 * not match (src/util/regexp.c returns before pcre2_match_data_free):
 * every config entry git_config_iterator_glob_new() or
 * git_config_foreach_match() passes over leaks about 112 bytes plus
 * PCRE2's heap frames.  Those stacks end in libpcre2 (built without frame
 * pointers), so the library is what can be named.  git-embargo's own
 * PCRE2 objects are held in structures it allocates itself, whose leaks
 * are still reported.
 */
const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
	return "leak:libpcre2-8.so\n";
}
