/*
 * error.h - error codes and the last error message.
 *
 * A function that can fail returns 0 or a negative EMB_E* code and, on
 * failure, leaves a one-line message for emb_error_last().  The message
 * is kept per thread, so the audit's workers do not see each other's.
 */
#ifndef EMBARGO_ERROR_H
#define EMBARGO_ERROR_H

enum emb_error_code {
	EMB_OK = 0,
	EMB_ERROR = -1,	    /* generic failure */
	EMB_ENOTFOUND = -3, /* expected absence: no such file, ref, entry */
	EMB_EUSAGE = -10,   /* bad command line */
	EMB_ECONFIG = -11,  /* bad embargo list or configuration */
	EMB_EREPO = -12,    /* repository cannot be opened or read */
	EMB_ETIMEOUT = -13, /* the run's deadline passed */
	EMB_EMATCH = -14,   /* a pattern hit a pcre2 match or depth limit */
	EMB_ENOMEM = -15,
};

/** Exit statuses shared by every command. */
enum emb_exit {
	EMB_EXIT_OK = 0,
	EMB_EXIT_FOUND = 1,
	EMB_EXIT_CONFIG = 2,
	EMB_EXIT_REPO = 3,
};

/**
 * Record the message for the current failure (printf-style, no newline,
 * lowercase, subject first).  Replaces any earlier message.
 */
void emb_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * Record the message of libgit2's last error, prefixed by `fmt`.
 * Produces "prefix: libgit2 message" (or just the prefix).
 */
void emb_error_set_git(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/** @return the last message of this thread, "" when none (never NULL). */
const char *emb_error_last(void);

/** Forget the current message. */
void emb_error_clear(void);

/** @return the exit status that matches an EMB_E* code. */
int emb_error_exit_code(int error);

#endif
