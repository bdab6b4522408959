/*
 * date.h - calendar dates in UTC, counted as days since 1970-01-01.
 *
 * Embargoes end at a moment (emb_time): an entry with until = T is
 * embargoed while now < T and lifted from T on; a date alone means the
 * start of that day in UTC.  "Now" is the clock, or GIT_EMBARGO_NOW (a
 * date or a moment) for tests and audits of the past.  Calendar dates
 * (emb_date) serve what is counted in days, such as SECURITY.md's.
 */
#ifndef EMBARGO_DATE_H
#define EMBARGO_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t emb_date; /* days since 1970-01-01 (UTC) */

#define EMB_DATE_NONE INT32_MIN

/**
 * Parse exactly "YYYY-MM-DD" (a real calendar day, year 1000-9999).
 * @param[out] out the day
 * @return 0, or EMB_ERROR for anything else (no message set)
 */
int emb_date_parse(emb_date *out, const char *str);

/**
 * Parse a date at the start of `str` ("YYYY-MM-DD" optionally followed
 * by an RFC 3339 time, which is ignored).
 * @return the number of bytes of the date consumed, 0 when none
 */
size_t emb_date_parse_prefix(emb_date *out, const char *str, size_t len);

/** Write "YYYY-MM-DD" into out (at least 11 bytes). */
void emb_date_format(char *out, size_t size, emb_date date);

/** @return the day of a Unix time (seconds). */
emb_date emb_date_from_time(int64_t seconds);

/**
 * Today in UTC, or the day of the GIT_EMBARGO_NOW override.
 * @return 0, or EMB_ECONFIG when the override is not a date
 */
int emb_date_today(emb_date *out);

/** A moment: Unix seconds, UTC.  An embargo ends at one. */
typedef int64_t emb_time;
#define EMB_TIME_NONE INT64_MIN

/**
 * Parse a moment: "YYYY-MM-DDTHH:MM[:SS[.frac]]" followed by "Z" or an
 * offset "+HH:MM" / "-HH:MM" (RFC 3339; a space may stand for the T),
 * or a date alone, "YYYY-MM-DD", meaning the start of that day in UTC.
 * A time without a zone is refused: the moment would depend on where
 * the list is read.
 * @return 0, or EMB_ERROR for anything else (no message set)
 */
int emb_time_parse(emb_time *out, const char *str);

/**
 * Write a moment: "YYYY-MM-DD" for the start of a day (UTC), else
 * "YYYY-MM-DDTHH:MMZ" (with ":SS" when the seconds are not zero).
 * `out` needs at least 24 bytes.
 */
void emb_time_format(char *out, size_t size, emb_time t);

/**
 * Now, or the GIT_EMBARGO_NOW override (a date or a moment, as
 * emb_time_parse() reads them).
 * @return 0, or EMB_ECONFIG when the override is neither
 */
int emb_time_now(emb_time *out);

/** @return a monotonic clock in milliseconds, for deadlines. */
int64_t emb_clock_ms(void);

#endif
