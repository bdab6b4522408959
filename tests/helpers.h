/*
 * helpers.h - what the cmocka tests share: temporary folders, real
 * repositories made with the real git binary, files.
 */
#ifndef EMBARGO_TEST_HELPERS_H
#define EMBARGO_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <cmocka.h>

#include <git2.h>

/** A new empty folder under $TMPDIR; the caller frees the string. */
char *th_mkdtemp(void);

/** rm -rf path. */
void th_rmrf(const char *path);

/** Write (or overwrite) dir/name with content, creating folders. */
void th_write(const char *dir, const char *name, const char *content);

/**
 * Run a shell command in `dir` (printf-style).  git gets a fixed
 * identity and dates, no user or system config.
 * @return the exit status
 */
int th_sh(const char *dir, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Like th_sh, but capture stdout (the caller frees it). */
char *th_sh_out(const char *dir, int *status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** `git init` a repository in dir/name (bare when asked); returns path. */
char *th_repo(const char *dir, const char *name, bool bare);

/** Commit everything in a work tree with message msg; returns 0. */
int th_commit(const char *repo, const char *msg);

/** Path of the git-embargo binary under test ($EMBARGO_BIN). */
const char *th_bin(void);

/**
 * The path of a file under tests/data (TH_DATA_DIR); fails the test
 * when it is missing.  The caller frees the string.
 */
char *th_data_path(const char *rel);

/** The environment isolation every test uses (called by th_sh). */
void th_env(void);

#endif
