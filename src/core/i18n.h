/*
 * i18n.h — every string a user reads goes through _() (gettext).  The
 * message ids are French: French is the source language, English follows
 * through po/en.po.
 */
#ifndef VG_I18N_H
#define VG_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Bind the text domain to the compiled catalogues; call once at start. */
void vg_i18n_init(void);

#endif
