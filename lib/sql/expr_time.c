/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DATE_FORMAT for the expression evaluator: every MariaDB 10.11 format
 * specifier with the en_US names, and MariaDB's day numbers and week
 * numbers (including what they give for zero dates). See dm_sql_eval(3).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dm/err.h"
#include "sql/expr_private.h"

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static const char *const day_names[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};

long dm__sql_daynr(long year, long month, long day)
{
	long sum, y = year;

	if (y == 0 && month == 0)
		return 0;
	sum = 365 * y + 31 * (month - 1) + day;
	if (month <= 2)
		y--;
	else
		sum -= (month * 4 + 23) / 10;
	return sum + y / 4 - (y / 100 + 1) * 3 / 4;
}

/* 0 = Monday .. 6 = Sunday, or 0 = Sunday when sunday_first. */
static int weekday(long daynr, bool sunday_first)
{
	return (int)((daynr + 5 + (sunday_first ? 1 : 0)) % 7);
}

static unsigned long days_in_year(uint32_t y)
{
	return ((y & 3) == 0 && (y % 100 || (y % 400 == 0 && y))) ? 366 : 365;
}

#define WK_MONDAY_FIRST 1u
#define WK_YEAR 2u
#define WK_FIRST_WEEKDAY 4u

/* MariaDB's week number of a date for a week mode; *year gets the year
 * the week belongs to. Unsigned arithmetic as the server does it, so
 * zero dates give the server's numbers. */
static uint32_t week_of(const dm_time *t, unsigned mode, uint32_t *year)
{
	uint32_t days;
	unsigned long daynr = (unsigned long)dm__sql_daynr(t->year, t->month,
							  t->day);
	unsigned long first = (unsigned long)dm__sql_daynr(t->year, 1, 1);
	bool monday_first = mode & WK_MONDAY_FIRST;
	bool week_year = mode & WK_YEAR;
	bool first_weekday = mode & WK_FIRST_WEEKDAY;
	unsigned wd = (unsigned)weekday((long)first, !monday_first);

	*year = t->year;
	if (t->month == 1 && t->day <= 7 - wd) {
		if (!week_year && ((first_weekday && wd != 0) ||
				   (!first_weekday && wd >= 4)))
			return 0;
		week_year = true;
		(*year)--;
		days = (uint32_t)days_in_year(*year);
		first -= days;
		wd = (wd + 53 * 7 - days) % 7;
	}
	if ((first_weekday && wd != 0) || (!first_weekday && wd >= 4))
		days = (uint32_t)(daynr - (first + (7 - wd)));
	else
		days = (uint32_t)(daynr - (first - wd));
	if (week_year && days >= 52 * 7) {
		wd = (unsigned)((wd + days_in_year(*year)) % 7u);
		if ((!first_weekday && wd < 4) || (first_weekday && wd == 0)) {
			(*year)++;
			return 1;
		}
	}
	return days / 7 + 1;
}

static int put_num(dm_buf *out, unsigned long v, int width)
{
	return dm_buf_printf(out, "%0*lu", width, v);
}

static int put_str(dm_buf *out, const char *s, size_t n)
{
	return dm_buf_append(out, s, n);
}

int dm__sql_date_format(dm_buf *out, const dm_time *t, bool is_time,
			const char *fmt, size_t n)
{
	size_t i;
	int rc = 0;
	bool no_date = is_time || !(t->month || t->year);
	uint32_t yr;
	long daynr = dm__sql_daynr(t->year, t->month, t->day);
	unsigned h12 = (t->hour % 24u + 11u) % 12u + 1u;

	if (t->negative && put_str(out, "-", 1))
		return DM_E_NO_MEMORY;
	for (i = 0; i < n && rc == 0; i++) {
		char ch = fmt[i];

		if (ch != '%' || i + 1 == n) {
			rc = put_str(out, &fmt[i], 1);
			continue;
		}
		ch = fmt[++i];
		switch (ch) {
		case 'M':
		case 'b':
			if (is_time || !t->month)
				return 1;
			rc = put_str(out, month_names[t->month - 1],
				     ch == 'M' ? strlen(month_names[t->month - 1]) : 3);
			break;
		case 'W':
		case 'a':
			if (no_date)
				return 1;
			{
				const char *d = day_names[weekday(daynr, false)];

				rc = put_str(out, d, ch == 'W' ? strlen(d) : 3);
			}
			break;
		case 'D':
			if (is_time)
				return 1;
			rc = put_num(out, t->day, 1);
			if (!rc) {
				const char *sfx = "th";

				if (t->day < 11 || t->day > 13) {
					if (t->day % 10 == 1)
						sfx = "st";
					else if (t->day % 10 == 2)
						sfx = "nd";
					else if (t->day % 10 == 3)
						sfx = "rd";
				}
				rc = put_str(out, sfx, 2);
			}
			break;
		case 'Y':
			rc = put_num(out, t->year, 4);
			break;
		case 'y':
			rc = put_num(out, t->year % 100u, 2);
			break;
		case 'm':
			rc = put_num(out, t->month, 2);
			break;
		case 'c':
			rc = put_num(out, t->month, 1);
			break;
		case 'd':
			rc = put_num(out, t->day, 2);
			break;
		case 'e':
			rc = put_num(out, t->day, 1);
			break;
		case 'f':
			rc = put_num(out, t->microsecond, 6);
			break;
		case 'H':
			rc = put_num(out, t->hour, 2);
			break;
		case 'h':
		case 'I':
			rc = put_num(out, h12, 2);
			break;
		case 'i':
			rc = put_num(out, t->minute, 2);
			break;
		case 'j':
			if (is_time || !t->month || !t->year)
				return 1;
			rc = put_num(out, (unsigned long)(daynr -
				dm__sql_daynr(t->year, 1, 1) + 1), 3);
			break;
		case 'k':
			rc = put_num(out, t->hour, 1);
			break;
		case 'l':
			rc = put_num(out, h12, 1);
			break;
		case 'p':
			rc = put_str(out, t->hour % 24u < 12 ? "AM" : "PM", 2);
			break;
		case 'r':
			rc = dm_buf_printf(out, "%02u:%02u:%02u %s", h12,
					   (unsigned)t->minute, (unsigned)t->second,
					   t->hour % 24u < 12 ? "AM" : "PM");
			break;
		case 'S':
		case 's':
			rc = put_num(out, t->second, 2);
			break;
		case 'T':
			rc = dm_buf_printf(out, "%02u:%02u:%02u", (unsigned)t->hour,
					   (unsigned)t->minute, (unsigned)t->second);
			break;
		case 'U':
		case 'u':
			if (is_time)
				return 1;
			rc = put_num(out, week_of(t, ch == 'U' ? WK_FIRST_WEEKDAY
							       : WK_MONDAY_FIRST,
						  &yr), 2);
			break;
		case 'V':
		case 'v':
			if (is_time)
				return 1;
			rc = put_num(out, week_of(t, ch == 'V' ?
						  WK_YEAR | WK_FIRST_WEEKDAY :
						  WK_YEAR | WK_MONDAY_FIRST, &yr), 2);
			break;
		case 'X':
		case 'x':
			if (is_time)
				return 1;
			week_of(t, ch == 'X' ? WK_YEAR | WK_FIRST_WEEKDAY
					     : WK_YEAR | WK_MONDAY_FIRST, &yr);
			rc = put_num(out, yr, 4);
			break;
		case 'w':
			if (no_date)
				return 1;
			rc = put_num(out, (unsigned long)weekday(daynr, true), 1);
			break;
		default:
			rc = put_str(out, &fmt[i], 1);
			break;
		}
	}
	return rc ? DM_E_NO_MEMORY : 0;
}
