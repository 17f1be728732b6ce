/*
 * utf8.h — validation of user text.
 */
#ifndef VG_UTF8_H
#define VG_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, at most
 * U+10FFFF) with no NUL and no control character other than tab, LF and
 * CR. */
bool vg_utf8_valid_text(const char *s, size_t n);

/* Number of code points in the well-formed UTF-8 string s[0..n). */
size_t vg_utf8_length(const char *s, size_t n);

#endif
