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

/* "HH:MM[:SS[.frac]]" then "Z" or "+HH:MM"/"-HH:MM", exactly to the end */
static int parse_clock(int64_t *secs, const char *s)
{
	int h, mi, sec = 0, oh, om;

	/* digits() stops at the terminator: no index below reads past it */
	h = digits(s, 2);
	mi = h >= 0 && s[2] == ':' ? digits(s + 3, 2) : -1;
	if (h < 0 || h > 23 || mi < 0 || mi > 59)
		return EMB_ERROR;
	s += 5;
	if (*s == ':') {
		sec = digits(s + 1, 2);
		if (sec < 0 || sec > 59)
			return EMB_ERROR;
		s += 3;
		if (*s == '.') /* fractions of a second: dropped */
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
	}
	*secs = (int64_t)h * 3600 + mi * 60 + sec;
	if ((s[0] == 'Z' || s[0] == 'z') && !s[1])
		return 0;
	if ((s[0] != '+' && s[0] != '-') || (oh = digits(s + 1, 2)) < 0 ||
	    s[3] != ':' || (om = digits(s + 4, 2)) < 0 || s[6])
		return EMB_ERROR;
	if (oh > 23 || om > 59)
		return EMB_ERROR;
	/* 14:00+02:00 is 12:00Z */
	*secs -= (s[0] == '+' ? 1 : -1) * ((int64_t)oh * 3600 + om * 60);
	return 0;
}

int emb_time_parse(emb_time *out, const char *str)
{
	size_t len = strlen(str);
	emb_date d;
	int64_t secs = 0;

	if (emb_date_parse_prefix(&d, str, len) != 10)
		return EMB_ERROR;
	if (len > 10) {
		if ((str[10] != 'T' && str[10] != 't' && str[10] != ' ') ||
		    parse_clock(&secs, str + 11) < 0)
			return EMB_ERROR;
	}
	*out = (emb_time)d * 86400 + secs;
	return 0;
}

void emb_time_format(char *out, size_t size, emb_time t)
{
	emb_date d = emb_date_from_time(t);
	int64_t s = t - (int64_t)d * 86400;
	char day[16];

	emb_date_format(day, sizeof(day), d);
	if (!s)
		snprintf(out, size, "%s", day);
	else if (s % 60)
		snprintf(out, size, "%sT%02d:%02d:%02dZ", day, (int)(s / 3600),
			 (int)(s / 60 % 60), (int)(s % 60));
	else
		snprintf(out, size, "%sT%02d:%02dZ", day, (int)(s / 3600),
			 (int)(s / 60 % 60));
}

int emb_time_now(emb_time *out)
{
	const char *now = getenv("GIT_EMBARGO_NOW");

	if (now && *now) {
		if (emb_time_parse(out, now) < 0) {
			emb_error_set("bad GIT_EMBARGO_NOW '%s': expected "
				      "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
				      now);
			return EMB_ECONFIG;
		}
		return 0;
	}
	*out = (emb_time)time(NULL);
	return 0;
}

int emb_date_today(emb_date *out)
{
	emb_time now;
	int error;

	if ((error = emb_time_now(&now)) < 0)
		return error;
	*out = emb_date_from_time(now);
	return 0;
}

int64_t emb_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
