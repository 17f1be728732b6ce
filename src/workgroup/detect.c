/* detect.c — placeholder until the detector is written (issue 10). */
#include "workgroup/detect.h"

vg_rc
wg_detect_load(const char *share, char *err, size_t errlen)
{
	VG_UNUSED(share);
	VG_UNUSED(err);
	VG_UNUSED(errlen);
	return VG_OK;
}

void
wg_detect_free(void)
{
}

size_t
wg_detect(const char *text, size_t len, struct wg_match *out, size_t max)
{
	VG_UNUSED(text);
	VG_UNUSED(len);
	VG_UNUSED(out);
	VG_UNUSED(max);
	return 0;
}

const char *
wg_ident_label(enum wg_ident kind)
{
	VG_UNUSED(kind);
	return "";
}
