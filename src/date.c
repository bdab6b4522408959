/*
 * date.c - civil dates <-> day numbers, in UTC only.
 *
 * The conversion is Howard Hinnant's days_from_civil algorithm; nothing
 * here depends on the process time zone, so no gmtime/localtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "embargo/date.h"
#include "embargo/error.h"

static emb_date days_from_civil(int y, unsigned m, unsigned d)
{
	int era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int)doe - 719468;
}

static void civil_from_days(emb_date z, int *y, unsigned *m, unsigned *d)
{
	int era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

size_t emb_date_parse_prefix(emb_date *out, const char *s, size_t len)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (len < 10 || s[4] != '-' || s[7] != '-')
		return 0;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > (int)mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 &&
	    !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	if (len > 10 && s[10] >= '0' && s[10] <= '9')
		return 0;
	*out = days_from_civil(y, (unsigned)m, (unsigned)d);
	return 10;
}

int emb_date_parse(emb_date *out, const char *str)
{
	size_t len = strlen(str);

	if (len != 10 || emb_date_parse_prefix(out, str, len) != 10)
		return EMB_ERROR;
	return 0;
}

void emb_date_format(char *out, size_t size, emb_date date)
{
	unsigned m, d;
	int y;

	civil_from_days(date, &y, &m, &d);
	snprintf(out, size, "%04d-%02u-%02u", y, m, d);
}

emb_date emb_date_from_time(int64_t seconds)
{
	int64_t days = seconds / 86400;

	if (seconds < 0 && seconds % 86400)
		days--;
	return (emb_date)days;
}

int emb_date_today(emb_date *out)
{
	const char *now = getenv("GIT_EMBARGO_NOW");

	if (now && *now) {
		if (emb_date_parse(out, now) < 0) {
			emb_error_set("bad GIT_EMBARGO_NOW '%s': "
				      "expected YYYY-MM-DD", now);
			return EMB_ECONFIG;
		}
		return 0;
	}
	*out = emb_date_from_time((int64_t)time(NULL));
	return 0;
}

int64_t emb_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
