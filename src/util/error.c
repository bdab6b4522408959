/*
 * error.c - the per-thread last error message.
 *
 * Messages are short (one line) and bounded; a longer one is cut, never
 * allocated, so that reporting an out-of-memory error cannot itself fail.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "embargo/error.h"

static _Thread_local char last_message[1024];

void emb_error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
}

void emb_error_set_git(const char *fmt, ...)
{
	const git_error *gerr = git_error_last();
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);

	len = strlen(last_message);
	if (gerr && gerr->message && len < sizeof(last_message))
		snprintf(last_message + len, sizeof(last_message) - len, "%s%s",
			 len ? ": " : "", gerr->message);
}

const char *emb_error_last(void)
{
	return last_message;
}

void emb_error_clear(void)
{
	last_message[0] = '\0';
}

int emb_error_exit_code(int error)
{
	switch (error) {
	case EMB_OK:
		return EMB_EXIT_OK;
	case EMB_EUSAGE:
	case EMB_ECONFIG:
	case EMB_EMATCH:
		return EMB_EXIT_CONFIG;
	default:
		return EMB_EXIT_REPO;
	}
}
