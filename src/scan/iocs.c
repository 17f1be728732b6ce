/*
 * iocs.c — Echap's stalkerware indicators, read from a folder and indexed
 * so that a lookup costs the same whatever their number.
 *
 * ioc.yaml (stalkerware) and watchware.yaml (monitoring apps that do not
 * hide) are lists of apps:
 *
 *	- name: TheTruthSpy
 *	  names: [Copy9, …]          other names
 *	  type: stalkerware          or watchware
 *	  packages: [com.thetruth]   Android package names
 *	  certificates: [31A6…]      SHA-1 of the signing certificate
 *	  websites: [copy9.com]      the vendor's sites
 *	  distribution: [app.x.com]  where the app is downloaded (a full URL
 *	                             is kept but not matched: its host is
 *	                             often shared, github.com say)
 *	  c2: {domains: […], ips: […]}   where the app sends what it steals
 *
 * (ios_bundles, certificate_organizations and certificate_cname_re are
 * read but not matched: nothing an adb list or a capture shows.)
 * samples.csv lists known APK files: SHA256, package, certificate,
 * version, app (an app's name or one of its other names).
 *
 * Keys: domains lower-case; addresses binary (iocs_ip_key); packages as
 * written (Android's names are case-sensitive); certificates upper-case
 * hex; hashes lower-case hex.  Each kind has its own open-addressing
 * table, sized twice the entries, so that a lookup is one hash and a
 * probe or two.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "core/csv.h"
#include "core/i18n.h"
#include "core/yaml.h"
#include "scan/scan_int.h"

struct table {
	uint32_t *slot;         /* entry index + 1; 0: empty */
	size_t mask;
};

struct vg_iocs {
	struct ioc_app *apps;
	size_t napps, capps;
	struct ioc_entry *ents;
	size_t nents, cents;
	struct table tab[IOC_KINDS];
	size_t count[IOC_KINDS];
	json_t *files;          /* [{name, date, sha256}] */
	char version[64];
	int nwatch;
};

/* What loading reports to: the first problem fails a load; a check goes
 * on and lists them all, warnings included. */
struct ctx {
	vg_iocs *iocs;
	json_t *problems;       /* check mode; NULL when loading */
	char *err;
	size_t errlen;
	int failed;
	int oom;
};

static const char *const list_names[] = {
	"c2", "website", "distribution", "packages", "certificates", "samples"
};

static uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

/*
 * Record a problem at file:line.  Loading stops at the first; a check
 * keeps them all.  Returns -1 for a problem, 0 for a warning.
 */
static int
problem(struct ctx *c, const char *file, int line, int warning,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->problems != NULL) {
		json_array_append_new(c->problems, json_pack("{s:s, s:i, s:s, "
		    "s:b}", "file", file, "line", line, "message", msg,
		    "warning", warning));
		if (!warning)
			c->failed = 1;
		return warning ? 0 : -1;
	}
	if (warning)
		return 0;
	if (!c->failed)
		snprintf(c->err, c->errlen, "%s:%d: %s", file, line, msg);
	c->failed = 1;
	return -1;
}

/* Out of memory: a failure of the load, whatever the mode. */
static int
oom(struct ctx *c)
{
	if (!c->failed)
		snprintf(c->err, c->errlen, "%s", _("mémoire épuisée"));
	c->failed = 1;
	c->oom = 1;
	return -1;
}

static int
ishex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A host name: labels of letters, digits, '-' and '_', 1 to 63 bytes, at
 * least two of them, 253 bytes at most. */
static int
domain_ok(const char *s, size_t n)
{
	size_t i, label = 0, dots = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '.') {
			if (label == 0)
				return 0;
			label = 0;
			dots++;
		} else if (isalnum(ch) || ch == '-' || ch == '_') {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return label > 0 && dots > 0;
}

int
iocs_package_ok(const char *s, size_t n)
{
	size_t i, seg = 0;

	if (n == 0 || n > 255)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '.') {
			if (seg == 0)
				return 0;
			seg = 0;
		} else if (isalnum(ch) || ch == '_') {
			if (seg == 0 && isdigit(ch))
				return 0;
			seg++;
		} else {
			return 0;
		}
	}
	return seg > 0;
}

size_t
iocs_ip_key(int family, const uint8_t *bytes, uint8_t key[17])
{
	size_t n = family == 6 ? 16 : 4;

	key[0] = (uint8_t)family;
	memcpy(key + 1, bytes, n);
	return n + 1;
}

/* "1.2.3.4" or an IPv6 address as a key; 0 when it is neither. */
static size_t
ip_key_text(const char *s, uint8_t key[17])
{
	uint8_t b[16];

	if (inet_pton(AF_INET, s, b) == 1)
		return iocs_ip_key(4, b, key);
	if (inet_pton(AF_INET6, s, b) == 1)
		return iocs_ip_key(6, b, key);
	return 0;
}

static int
add_entry(struct ctx *c, int kind, int list, uint32_t app, const void *key,
    size_t keylen, const char *text)
{
	vg_iocs *io = c->iocs;
	struct ioc_entry *e;

	if (io->nents == io->cents) {
		size_t n = io->cents ? io->cents * 2 : 1024;
		struct ioc_entry *p = realloc(io->ents, n * sizeof(*p));

		if (p == NULL)
			return oom(c);
		io->ents = p;
		io->cents = n;
	}
	e = &io->ents[io->nents];
	memset(e, 0, sizeof(*e));
	if ((e->key = malloc(keylen + 1)) == NULL ||
	    (e->text = strdup(text)) == NULL) {
		free(e->key);
		return oom(c);
	}
	memcpy(e->key, key, keylen);
	e->key[keylen] = '\0';
	e->keylen = keylen;
	e->app = app;
	e->kind = (uint8_t)kind;
	e->list = (uint8_t)list;
	e->next = IOC_NONE;
	io->nents++;
	return 0;
}

/* Build the tables once every entry is in; entries with the same key and
 * kind are chained, in file order. */
static int
build_tables(vg_iocs *io)
{
	size_t k, i;

	for (k = 0; k < IOC_KINDS; k++) {
		size_t n = 0, size = 16;

		for (i = 0; i < io->nents; i++)
			n += io->ents[i].kind == k;
		while (size < 2 * n + 1)
			size *= 2;
		io->tab[k].slot = calloc(size, sizeof(uint32_t));
		if (io->tab[k].slot == NULL)
			return -1;
		io->tab[k].mask = size - 1;
	}
	for (i = 0; i < io->nents; i++) {
		struct ioc_entry *e = &io->ents[i];
		struct table *t = &io->tab[e->kind];
		size_t h = hash_bytes(e->key, e->keylen) & t->mask;

		for (;; h = (h + 1) & t->mask) {
			struct ioc_entry *o;

			if (t->slot[h] == 0) {
				t->slot[h] = (uint32_t)i + 1;
				io->count[e->kind]++;
				break;
			}
			o = &io->ents[t->slot[h] - 1];
			if (o->keylen == e->keylen &&
			    memcmp(o->key, e->key, e->keylen) == 0) {
				/* Chained once per app: samples.csv repeats
				 * the certificates and packages of the
				 * YAML files. */
				for (;;) {
					if (o->app == e->app)
						break;
					if (o->next == IOC_NONE) {
						o->next = (uint32_t)i;
						break;
					}
					o = &io->ents[o->next];
				}
				break;
			}
		}
	}
	return 0;
}

uint32_t
iocs_find(const vg_iocs *io, int kind, const void *key, size_t len)
{
	const struct table *t = &io->tab[kind];
	size_t h = hash_bytes(key, len) & t->mask;

	for (;; h = (h + 1) & t->mask) {
		uint32_t s = t->slot[h];
		const struct ioc_entry *e;

		if (s == 0)
			return IOC_NONE;
		e = &io->ents[s - 1];
		if (e->keylen == len && memcmp(e->key, key, len) == 0)
			return s - 1;
	}
}

uint32_t
iocs_find_domain(const vg_iocs *io, const char *name, size_t len)
{
	size_t i;

	/* The name itself, then each parent on a label boundary: a dot
	 * written "\." lies inside a label. */
	for (i = 0; i < len; i++) {
		uint32_t e;

		if (i > 0 && !(name[i - 1] == '.' &&
		    (i < 2 || name[i - 2] != '\\')))
			continue;
		if ((e = iocs_find(io, IOC_DOMAIN, name + i, len - i)) !=
		    IOC_NONE)
			return e;
	}
	return IOC_NONE;
}

const struct ioc_app *
iocs_app(const vg_iocs *io, uint32_t i)
{
	return &io->apps[i];
}

const struct ioc_entry *
iocs_entry(const vg_iocs *io, uint32_t i)
{
	return &io->ents[i];
}

/* The strings of a YAML sequence, one by one: fn for each, a problem for
 * what is not a string.  key names the sequence in messages. */
static const char *
seq_string(struct ctx *c, const char *file, int line, const char *app,
    const char *key, json_t *v)
{
	if (json_is_string(v) && json_string_length(v) > 0)
		return json_string_value(v);
	problem(c, file, line, 0, _("%s : une valeur de « %s » n'est pas un "
	    "texte"), app, key);
	return NULL;
}

static int
add_domain_or_ip(struct ctx *c, const char *file, int line, const char *app,
    uint32_t ai, int list, const char *s)
{
	char low[256];
	uint8_t key[17];
	size_t n = strlen(s), i, kl;

	if ((kl = ip_key_text(s, key)) > 0)
		return add_entry(c, IOC_IP, list, ai, key, kl, s);
	if (list == LIST_DISTRIBUTION && strstr(s, "://") != NULL)
		return 0;       /* a full URL: see the head comment */
	if (!domain_ok(s, n)) {
		problem(c, file, line, 0, _("%s : « %s » n'est ni un nom de "
		    "domaine ni une adresse IP"), app, s);
		return c->problems ? 0 : -1;
	}
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	return add_entry(c, IOC_DOMAIN, list, ai, low, n, s);
}

static int
add_list(struct ctx *c, const char *file, int line, const char *app,
    uint32_t ai, json_t *obj, const char *key, int list)
{
	json_t *arr = json_object_get(obj, key), *v;
	size_t i;

	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		problem(c, file, line, 0, _("%s : « %s » doit être une liste"),
		    app, key);
		return c->problems ? 0 : -1;
	}
	json_array_foreach(arr, i, v) {
		const char *s = seq_string(c, file, line, app, key, v);
		size_t n;
		char up[41];

		if (s == NULL) {
			if (c->problems == NULL)
				return -1;
			continue;
		}
		n = strlen(s);
		switch (list) {
		case LIST_PACKAGES:
			if (!iocs_package_ok(s, n)) {
				if (problem(c, file, line, 0, _("%s : « %s » "
				    "n'est pas un nom de paquet Android"), app,
				    s) < 0 && c->problems == NULL)
					return -1;
				continue;
			}
			if (add_entry(c, IOC_PACKAGE, list, ai, s, n, s) < 0)
				return -1;
			break;
		case LIST_CERTIFICATES:
			if (n != 40 || !ishex(s, n)) {
				if (problem(c, file, line, 0, _("%s : « %s » "
				    "n'est pas une empreinte SHA-1 (40 chiffres "
				    "hexadécimaux)"), app, s) < 0 &&
				    c->problems == NULL)
					return -1;
				continue;
			}
			for (n = 0; n < 40; n++)
				up[n] = (char)toupper((unsigned char)s[n]);
			up[40] = '\0';
			if (add_entry(c, IOC_CERT, list, ai, up, 40, s) < 0)
				return -1;
			break;
		default:
			if (add_domain_or_ip(c, file, line, app, ai, list, s) <
			    0)
				return -1;
		}
	}
	return 0;
}

static const char *const known_keys[] = {
	"name", "names", "type", "packages", "certificates", "websites",
	"distribution", "c2", "ios_bundles", "certificate_organizations",
	"certificate_cname_re", VG_YAML_LINE_KEY,
};

static int
known_key(const char *k, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(k, list[i]) == 0)
			return 1;
	return 0;
}

static int
add_app(struct ctx *c, const char *file, json_t *obj, int watch_file)
{
	vg_iocs *io = c->iocs;
	int line = vg_yaml_line(obj);
	const char *name, *type, *k;
	json_t *names, *c2, *v;
	struct ioc_app *a;
	uint32_t ai;
	size_t i;

	if (!json_is_object(obj))
		return problem(c, file, line, 0, _("chaque application doit "
		    "être décrite par des clés (name, type…)"));
	name = json_string_value(json_object_get(obj, "name"));
	if (name == NULL || *name == '\0')
		return problem(c, file, line, 0, _("une application sans "
		    "« name »"));
	type = json_string_value(json_object_get(obj, "type"));
	if (type == NULL || (strcmp(type, "stalkerware") != 0 &&
	    strcmp(type, "watchware") != 0))
		return problem(c, file, line, 0, _("%s : « type » doit valoir "
		    "stalkerware ou watchware"), name);
	if (watch_file != (strcmp(type, "watchware") == 0))
		problem(c, file, line, 1, _("%s : type « %s » inattendu dans "
		    "ce fichier"), name, type);
	json_object_foreach(obj, k, v)
		if (!known_key(k, known_keys, VG_ARRAY_LEN(known_keys)))
			problem(c, file, line, 1, _("%s : clé « %s » inconnue, "
			    "ignorée"), name, k);
	names = json_object_get(obj, "names");
	if (names != NULL && !json_is_null(names) && !json_is_array(names))
		return problem(c, file, line, 0, _("%s : « names » doit être "
		    "une liste"), name);
	if (io->napps == io->capps) {
		size_t n = io->capps ? io->capps * 2 : 256;
		struct ioc_app *p = realloc(io->apps, n * sizeof(*p));

		if (p == NULL)
			return oom(c);
		io->apps = p;
		io->capps = n;
	}
	ai = (uint32_t)io->napps;
	a = &io->apps[io->napps];
	a->name = strdup(name);
	a->names = json_array();
	if (a->name == NULL || a->names == NULL) {
		free(a->name);
		json_decref(a->names);
		return oom(c);
	}
	io->napps++;
	a->watchware = strcmp(type, "watchware") == 0;
	io->nwatch += a->watchware;
	json_array_foreach(names, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), name) !=
		    0)
			json_array_append(a->names, v);
	/* c2 first: a name both in c2 and in websites is kept once per app
	 * (build_tables), as the surer c2. */
	c2 = json_object_get(obj, "c2");
	if (c2 != NULL && !json_is_null(c2) && !json_is_object(c2))
		return problem(c, file, line, 0, _("%s : « c2 » doit contenir "
		    "domains et ips"), name);
	json_object_foreach(c2, k, v)
		if (strcmp(k, "domains") != 0 && strcmp(k, "ips") != 0 &&
		    strcmp(k, "ip") != 0 && strcmp(k, VG_YAML_LINE_KEY) != 0)
			problem(c, file, line, 1, _("%s : clé « c2.%s » "
			    "inconnue, ignorée"), name, k);
	/* "ip" is a variant the real file has twice. */
	if (add_list(c, file, line, name, ai, c2, "domains", LIST_C2) < 0 ||
	    add_list(c, file, line, name, ai, c2, "ips", LIST_C2) < 0 ||
	    add_list(c, file, line, name, ai, c2, "ip", LIST_C2) < 0 ||
	    add_list(c, file, line, name, ai, obj, "packages",
	    LIST_PACKAGES) < 0 ||
	    add_list(c, file, line, name, ai, obj, "certificates",
	    LIST_CERTIFICATES) < 0 ||
	    add_list(c, file, line, name, ai, obj, "websites",
	    LIST_WEBSITE) < 0 ||
	    add_list(c, file, line, name, ai, obj, "distribution",
	    LIST_DISTRIBUTION) < 0)
		return -1;
	return 0;
}

/* The file's date (modification, UTC) and SHA-256, for the version. */
static int
file_info(vg_iocs *io, const char *path, const char *name,
    const char *data, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof(h) + 1], date[16] = "";
	struct stat st;
	struct tm tm;

	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if (stat(path, &st) == 0 && gmtime_r(&st.st_mtime, &tm) != NULL)
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	return json_array_append_new(io->files, json_pack("{s:s, s:s, s:s}",
	    "name", name, "date", date, "sha256", hex));
}

vg_rc
scan_read_file(const char *path, const char *name, size_t max, char **out,
    size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;
	vg_rc rc = VG_EIO;

	*out = NULL;
	if (f == NULL) {
		snprintf(err, errlen, _("%s : impossible de lire le fichier "
		    "(%s)"), name, strerror(errno));
		return VG_EIO;
	}
	do {
		if (cap - n < 65536) {
			char *p;

			cap = cap ? cap * 2 : 131072;
			if (cap > max + 65536)
				cap = max + 65536;
			if ((p = realloc(buf, cap + 1)) == NULL) {
				snprintf(err, errlen, "%s",
				    _("mémoire épuisée"));
				rc = VG_ENOMEM;
				goto fail;
			}
			buf = p;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (n > max) {
			snprintf(err, errlen, _("%s : fichier trop grand (plus "
			    "de %zu Mo)"), name, max >> 20);
			rc = VG_EINVAL;
			goto fail;
		}
	} while (r > 0);
	if (ferror(f)) {
		snprintf(err, errlen, _("%s : impossible de lire le fichier "
		    "(%s)"), name, strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return VG_OK;
fail:
	fclose(f);
	free(buf);
	return rc;
}

static vg_rc
load_yaml(struct ctx *c, const char *dir, const char *name, int watch)
{
	char path[4096], yerr[600];
	json_t *doc = NULL, *v;
	char *data;
	size_t len, i;
	vg_rc rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((rc = scan_read_file(path, name, VG_YAML_MAX_FILE, &data, &len,
	    c->err, c->errlen)) != VG_OK)
		return rc;
	if (file_info(c->iocs, path, name, data, len) < 0) {
		free(data);
		return VG_ENOMEM;
	}
	rc = vg_yaml_parse_ex(data, len, name, VG_YAML_LINES, &doc, yerr,
	    sizeof(yerr));
	free(data);
	if (rc != VG_OK) {
		if (c->problems != NULL)
			json_array_append_new(c->problems, json_pack("{s:s, "
			    "s:i, s:s, s:b}", "file", name, "line", 0,
			    "message", yerr, "warning", 0));
		snprintf(c->err, c->errlen, "%s", yerr);
		c->failed = 1;
		return rc;
	}
	if (!json_is_array(doc)) {
		problem(c, name, 1, 0, _("le fichier doit être une liste "
		    "d'applications (« - name: … »)"));
		json_decref(doc);
		return VG_EINVAL;
	}
	json_array_foreach(doc, i, v)
		if (add_app(c, name, v, watch) < 0 && c->problems == NULL)
			break;
	json_decref(doc);
	return c->oom ? VG_ENOMEM : c->failed ? VG_EINVAL : VG_OK;
}

/* The app of samples.csv's last column: an app's name or another of its
 * names, else a new app of that name. */
static int64_t
sample_app(struct ctx *c, const char *name)
{
	vg_iocs *io = c->iocs;
	struct ioc_app *a;
	size_t i, j;
	json_t *v;

	for (i = 0; i < io->napps; i++) {
		if (strcasecmp(io->apps[i].name, name) == 0)
			return (int64_t)i;
		json_array_foreach(io->apps[i].names, j, v)
			if (strcasecmp(json_string_value(v), name) == 0)
				return (int64_t)i;
	}
	if (io->napps == io->capps) {
		size_t n = io->capps ? io->capps * 2 : 256;
		struct ioc_app *p = realloc(io->apps, n * sizeof(*p));

		if (p == NULL)
			return -1;
		io->apps = p;
		io->capps = n;
	}
	a = &io->apps[io->napps];
	a->names = NULL;
	if ((a->name = strdup(name)) == NULL ||
	    (a->names = json_array()) == NULL) {
		free(a->name);
		json_decref(a->names);
		oom(c);
		return -1;
	}
	a->watchware = 0;
	return (int64_t)io->napps++;
}

static vg_rc
load_samples(struct ctx *c, const char *dir)
{
	static const char *const head[] = {
		"SHA256", "Package Name", "Certificate", "Version", "App"
	};
	const char *file = "samples.csv";
	char path[4096], cerr[600];
	vg_csv *csv = NULL;
	char *data;
	size_t len, i, j;
	vg_rc rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((rc = scan_read_file(path, file, 64u << 20, &data, &len, c->err,
	    c->errlen)) != VG_OK)
		return rc;
	if (file_info(c->iocs, path, file, data, len) < 0) {
		free(data);
		return VG_ENOMEM;
	}
	rc = vg_csv_parse(data, len, &csv, cerr, sizeof(cerr));
	free(data);
	if (rc != VG_OK) {
		problem(c, file, 0, 0, "%s", cerr);
		return rc;
	}
	if (csv->nrows == 0 || csv->rows[0].n < VG_ARRAY_LEN(head)) {
		problem(c, file, 1, 0, _("l'en-tête doit être « SHA256,Package "
		    "Name,Certificate,Version,App »"));
		goto done;
	}
	for (j = 0; j < VG_ARRAY_LEN(head); j++)
		if (strcasecmp(csv->rows[0].field[j], head[j]) != 0) {
			problem(c, file, 1, 0, _("l'en-tête doit être "
			    "« SHA256,Package Name,Certificate,Version,App »"));
			goto done;
		}
	for (i = 1; i < csv->nrows; i++) {
		const vg_csv_row *r = &csv->rows[i];
		const char *sha = r->field[0], *pkg, *cert, *app;
		char low[65], up[41];
		int64_t ai;

		if (r->n < VG_ARRAY_LEN(head)) {
			if (problem(c, file, (int)r->line, 0, _("il manque des "
			    "colonnes (5 attendues)")) < 0 &&
			    c->problems == NULL)
				break;
			continue;
		}
		pkg = r->field[1];
		cert = r->field[2];
		app = r->field[4];
		if (strlen(sha) != 64 || !ishex(sha, 64)) {
			if (problem(c, file, (int)r->line, 0, _("« %s » n'est "
			    "pas une empreinte SHA-256 (64 chiffres "
			    "hexadécimaux)"), sha) < 0 && c->problems == NULL)
				break;
			continue;
		}
		if (*cert != '\0' && (strlen(cert) != 40 || !ishex(cert, 40))) {
			if (problem(c, file, (int)r->line, 0, _("« %s » n'est "
			    "pas une empreinte SHA-1 de certificat"), cert) < 0
			    && c->problems == NULL)
				break;
			continue;
		}
		if (*app == '\0') {
			if (problem(c, file, (int)r->line, 0, _("le nom de "
			    "l'application manque")) < 0 && c->problems == NULL)
				break;
			continue;
		}
		if ((ai = sample_app(c, app)) < 0) {
			rc = VG_ENOMEM;
			goto done;
		}
		for (j = 0; j < 64; j++)
			low[j] = (char)tolower((unsigned char)sha[j]);
		low[64] = '\0';
		if (add_entry(c, IOC_SAMPLE, LIST_SAMPLES, (uint32_t)ai, low,
		    64, sha) < 0) {
			rc = VG_ENOMEM;
			goto done;
		}
		/* A sample's certificate and package are indicators too. */
		if (*cert != '\0') {
			for (j = 0; j < 40; j++)
				up[j] = (char)toupper((unsigned char)cert[j]);
			up[40] = '\0';
			if (add_entry(c, IOC_CERT, LIST_SAMPLES, (uint32_t)ai,
			    up, 40, cert) < 0) {
				rc = VG_ENOMEM;
				goto done;
			}
		}
		if (iocs_package_ok(pkg, strlen(pkg)) &&
		    add_entry(c, IOC_PACKAGE, LIST_SAMPLES, (uint32_t)ai, pkg,
		    strlen(pkg), pkg) < 0) {
			rc = VG_ENOMEM;
			goto done;
		}
	}
done:
	vg_csv_free(csv);
	if (rc == VG_OK && c->failed)
		rc = VG_EINVAL;
	return rc;
}

void
vg_iocs_free(vg_iocs *io)
{
	size_t i;

	if (io == NULL)
		return;
	for (i = 0; i < io->napps; i++) {
		free(io->apps[i].name);
		json_decref(io->apps[i].names);
	}
	for (i = 0; i < io->nents; i++) {
		free(io->ents[i].key);
		free(io->ents[i].text);
	}
	for (i = 0; i < IOC_KINDS; i++)
		free(io->tab[i].slot);
	free(io->apps);
	free(io->ents);
	json_decref(io->files);
	free(io);
}

/* "2026-06-21/3f2a9c1b04de": the newest file's date, and the start of a
 * hash over the files' hashes, so that two folders compare at a glance. */
static void
make_version(vg_iocs *io)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof(h) + 1];
	const char *newest = "";
	json_t *f;
	size_t i;

	crypto_hash_sha256_init(&st);
	json_array_foreach(io->files, i, f) {
		const char *d = json_string_value(json_object_get(f, "date"));
		const char *s = json_string_value(json_object_get(f,
		    "sha256"));

		if (d != NULL && strcmp(d, newest) > 0)
			newest = d;
		crypto_hash_sha256_update(&st, (const unsigned char *)s,
		    strlen(s));
	}
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(io->version, sizeof(io->version), "%s/%.12s", newest, hex);
}

static vg_rc
load(const char *dir, struct ctx *c)
{
	vg_rc rc;

	if ((c->iocs = calloc(1, sizeof(*c->iocs))) == NULL ||
	    (c->iocs->files = json_array()) == NULL)
		return VG_ENOMEM;
	if ((rc = load_yaml(c, dir, "ioc.yaml", 0)) != VG_OK &&
	    (c->problems == NULL || rc != VG_EINVAL))
		return rc;
	if ((rc = load_yaml(c, dir, "watchware.yaml", 1)) != VG_OK &&
	    (c->problems == NULL || rc != VG_EINVAL))
		return rc;
	if ((rc = load_samples(c, dir)) != VG_OK &&
	    (c->problems == NULL || rc != VG_EINVAL))
		return rc;
	if (c->oom || build_tables(c->iocs) < 0)
		return VG_ENOMEM;
	make_version(c->iocs);
	return c->failed ? VG_EINVAL : VG_OK;
}

vg_rc
vg_iocs_load(const char *dir, vg_iocs **out, char *err, size_t errlen)
{
	struct ctx c;
	char dummy[8];
	vg_rc rc;

	memset(&c, 0, sizeof(c));
	c.err = err ? err : dummy;
	c.errlen = err ? errlen : sizeof(dummy);
	*c.err = '\0';
	*out = NULL;
	if ((rc = load(dir, &c)) != VG_OK) {
		if (rc == VG_ENOMEM)
			snprintf(c.err, c.errlen, "%s", _("mémoire épuisée"));
		vg_iocs_free(c.iocs);
		return rc;
	}
	*out = c.iocs;
	return VG_OK;
}

json_t *
vg_iocs_info(const vg_iocs *io)
{
	return json_pack("{s:s, s:O, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
	    "version", io->version, "files", io->files,
	    "apps", (int)io->napps, "stalkerware", (int)io->napps - io->nwatch,
	    "watchware", io->nwatch, "domains", (int)io->count[IOC_DOMAIN],
	    "ips", (int)io->count[IOC_IP],
	    "packages", (int)io->count[IOC_PACKAGE],
	    "certificates", (int)io->count[IOC_CERT],
	    "samples", (int)io->count[IOC_SAMPLE]);
}

vg_rc
vg_iocs_check(const char *dir, json_t **report, char *err, size_t errlen)
{
	struct ctx c;
	char dummy[8];
	json_t *info = NULL;
	vg_rc rc;

	memset(&c, 0, sizeof(c));
	c.err = err ? err : dummy;
	c.errlen = err ? errlen : sizeof(dummy);
	*c.err = '\0';
	*report = NULL;
	if ((c.problems = json_array()) == NULL)
		return VG_ENOMEM;
	rc = load(dir, &c);
	if (rc == VG_OK || rc == VG_EINVAL) {
		if (c.iocs->version[0] == '\0')
			make_version(c.iocs);
		info = vg_iocs_info(c.iocs);
	}
	*report = json_pack("{s:o, s:o*}", "problems", c.problems, "info",
	    info);
	if (rc == VG_ENOMEM)
		snprintf(c.err, c.errlen, "%s", _("mémoire épuisée"));
	vg_iocs_free(c.iocs);
	return rc;
}

const char *
iocs_list_name(int list)
{
	return list >= 0 && list < (int)VG_ARRAY_LEN(list_names) ?
	    list_names[list] : "";
}
