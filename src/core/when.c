#include "core/when.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void
vg_time_text(int64_t t, const char *fmt, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	if (strftime(out, n, fmt, &tm) == 0 && n > 0)
		out[0] = '\0';
}

bool
vg_date_parse(const char *s, int64_t *out)
{
	struct tm tm;
	time_t t;
	int y, m, d;
	char tail;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    y < 1900 || y > 9999)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	/* timegm() normalises 30 February into March: compare back. */
	gmtime_r(&t, &tm);
	if (tm.tm_year != y - 1900 || tm.tm_mon != m - 1 || tm.tm_mday != d)
		return false;
	*out = (int64_t)t;
	return true;
}
