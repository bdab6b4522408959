/*
 * date.h - calendar dates in UTC, counted as days since 1970-01-01.
 *
 * Embargoes end on a day, not an instant: an entry with until = D is
 * embargoed while today < D and lifted from D on.  "Today" is the UTC
 * date, or GIT_EMBARGO_NOW=YYYY-MM-DD for tests and audits of the past.
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
 * Today in UTC, or the GIT_EMBARGO_NOW override.
 * @return 0, or EMB_ECONFIG when the override is not a date
 */
int emb_date_today(emb_date *out);

/** @return a monotonic clock in milliseconds, for deadlines. */
int64_t emb_clock_ms(void);

#endif
