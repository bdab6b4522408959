/*
 * utf8.h - UTF-8, strictly: decoding one character, encoding one,
 * finding the first invalid byte, and replacing invalid bytes.
 *
 * Strict means what RFC 3629 and JSON parsers (jansson) accept: no
 * overlong forms, no surrogates, nothing above U+10FFFF.  Every output
 * the tool writes (text, JSON, SARIF, HTML, audit lines) passes what it
 * did not produce itself through emb_utf8_clean().
 */
#ifndef EMBARGO_UTF8_H
#define EMBARGO_UTF8_H

#include <stddef.h>
#include <stdint.h>

struct emb_buf;

/**
 * Decode the character at s[0..avail).
 * @param[out] cp the code point
 * @return its length in bytes (1 to 4), or 0 when s does not start a
 *         valid sequence (or avail is 0)
 */
size_t emb_utf8_decode(uint32_t *cp, const unsigned char *s, size_t avail);

/** Append code point cp (at most U+10FFFF) to b in UTF-8. */
void emb_utf8_put(struct emb_buf *b, uint32_t cp);

/** @return the offset of the first byte of s that is not valid UTF-8, or
 *          len when all of it is */
size_t emb_utf8_invalid(const char *s, size_t len);

/**
 * s[0..len) with each byte that does not start a valid sequence replaced
 * by U+FFFD.
 * @return a new string, the caller's to free
 */
char *emb_utf8_clean(const char *s, size_t len);

/** emb_utf8_clean() of the NUL-terminated string s. */
char *emb_utf8_cleanz(const char *s);

#endif
