/*
 * scan_int.h — what the scanner's files share: the indicators' index
 * (iocs.c), the readers of app lists (applist.c).  Not for other areas.
 */
#ifndef VG_SCAN_INT_H
#define VG_SCAN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "scan/scan.h"

enum ioc_kind { IOC_DOMAIN, IOC_IP, IOC_PACKAGE, IOC_CERT, IOC_SAMPLE,
	IOC_KINDS };

enum ioc_list { LIST_C2, LIST_WEBSITE, LIST_DISTRIBUTION, LIST_PACKAGES,
	LIST_CERTIFICATES, LIST_SAMPLES };

#define IOC_NONE UINT32_MAX

struct ioc_app {
	char *name;
	json_t *names;          /* other names (array of strings) */
	int watchware;          /* 1: a monitoring app that does not hide */
};

struct ioc_entry {
	char *key;              /* the indicator as matched (see iocs.c) */
	size_t keylen;
	char *text;             /* the indicator as written in the file */
	uint32_t app;
	uint32_t next;          /* next entry with the same key, or IOC_NONE */
	uint8_t kind, list;
};

const struct ioc_app *iocs_app(const vg_iocs *iocs, uint32_t i);
const struct ioc_entry *iocs_entry(const vg_iocs *iocs, uint32_t i);

/* The first entry of kind whose key is key[0..len), or IOC_NONE; the
 * others follow through ->next. */
uint32_t iocs_find(const vg_iocs *iocs, int kind, const void *key,
    size_t len);

/* The most specific domain indicator that name[0..len) is, or is a
 * subdomain of (on a label boundary), or IOC_NONE.  name is lower-case,
 * escaped as capture.h writes it. */
uint32_t iocs_find_domain(const vg_iocs *iocs, const char *name,
    size_t len);

/* Read the whole file at path (at most max bytes) into *out, NUL-
 * terminated, for the caller to free; messages name it name.  VG_EIO,
 * VG_EINVAL when too large, VG_ENOMEM, with one French line in err. */
vg_rc scan_read_file(const char *path, const char *name, size_t max,
    char **out, size_t *len, char *err, size_t errlen);

/* "c2", "website"…: where an indicator comes from. */
const char *iocs_list_name(int list);

/* An address as a key: family (4 or 6) then 4 or 16 bytes. */
size_t iocs_ip_key(int family, const uint8_t *bytes, uint8_t key[17]);

/* Whether s[0..n) is a valid Android package name. */
int iocs_package_ok(const char *s, size_t n);

/*
 * App lists.  Each reader walks text[0..len) line by line and calls fn
 * for each item: a package name (with the certificate digest when the
 * line or the dumpsys block gives one), or an APK hash.  The readers
 * never fail: a line they cannot read is counted in *bad.  The kind of
 * text is guessed first by applist_guess().
 */
enum applist_format { APPLIST_NONE, APPLIST_PM, APPLIST_DUMPSYS,
	APPLIST_HASHES };

struct applist_item {
	const char *package;    /* NUL-terminated, or NULL */
	const char *cert;       /* 40 upper-case hex digits, or NULL */
	const char *sha256;     /* 64 lower-case hex digits, or NULL */
	const char *line;       /* the line, NUL-terminated, at most 300 bytes */
	size_t lineno;
};

typedef void (*applist_fn)(void *arg, const struct applist_item *it);

enum applist_format applist_guess(const char *text, size_t len);
size_t applist_read(enum applist_format f, const char *text, size_t len,
    applist_fn fn, void *arg, size_t *bad);

#endif
