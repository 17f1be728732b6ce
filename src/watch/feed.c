/* feed.c — placeholder until the reader lands (see feed.h). */
#include <stdio.h>
#include <stdlib.h>

#include "watch/feed.h"

vg_rc
watch_feed_parse(const char *data, size_t len, const char *url,
    struct watch_feed **out, char *err, size_t errlen)
{
	(void)data; (void)len; (void)url;
	*out = NULL;
	snprintf(err, errlen, "lecture des flux pas encore écrite");
	return VG_EINVAL;
}

void
watch_feed_free(struct watch_feed *f)
{
	free(f);
}

char *
watch_item_key(const struct watch_item *it)
{
	(void)it;
	return NULL;
}

char *
watch_canonical_url(const char *url, const char *base)
{
	(void)url; (void)base;
	return NULL;
}

int64_t
watch_parse_date(const char *s)
{
	(void)s;
	return 0;
}
