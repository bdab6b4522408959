/*
 * tsan_default.c - linked into the SANITIZE=thread build only (the binary
 * and the test programs), so that every process of `make check
 * SANITIZE=thread` and `make load SANITIZE=thread` has these
 * suppressions, hooks started by git or a web server included.
 *
 * glibc's mktime() calls tzset(), which frees and copies the saved TZ
 * value (time/tzset.c, tzset_internal) under glibc's own tzset_lock, a
 * lock inside libc that ThreadSanitizer does not see.  libgit2's
 * git_signature_now() calls mktime(), and the audit's workers fetch
 * mirrors at once (audit_cache.c), each fetch writing a reflog entry
 * with such a signature: ThreadSanitizer then reports two unordered
 * writes that the lock orders.  Only that function is named; a race in
 * git-embargo's own code, or in libgit2's, is still reported.
 */
const char *__tsan_default_suppressions(void);

const char *__tsan_default_suppressions(void)
{
	return "race:tzset_internal\n";
}
