/*
 * verify.c — `vigie verify BUNDLE.zip [--key PUBKEY]`: the offline check
 * of a vault's bundle, and /coffre/verification, the page that explains
 * it to a lawyer or an officer.
 *
 * The check trusts nothing in the bundle but the arithmetic: every
 * record is rebuilt from the manifest's fields and must hash to its link,
 * name the previous link and carry the key's signature; every element
 * must hash to its record; the head, signed at export, must name the
 * last link and the count, so that items removed from the end show too.
 * Each problem is one French line naming the item, so that a lawyer can
 * say what was changed, not only that something was.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>
#include <zip.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "vault/vault.h"
#include "vault/vault_int.h"

#define MANIFEST_MAX (64u << 20)        /* bytes of manifest.json */

/* The state of one check. */
struct check {
	zip_t *za;
	const json_t *m;
	const char *pub;           /* the key the signatures are checked with */
	const char **named;        /* ZIP entries the manifest names */
	size_t nnamed, cap;
	struct vault_verify_result *res;
	vg_buf report;
};

static void
problem(struct check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
problem(struct check *c, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	vg_buf_puts(&c->report, line);
	vg_buf_putc(&c->report, '\n');
	c->res->problems++;
}

static void
fail(struct vault_verify_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
fail(struct vault_verify_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->err, sizeof(res->err), fmt, ap);
	va_end(ap);
	res->status = VAULT_VERIFY_ERROR;
}

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "2026-11-23T15:20:01Z" exactly (what export writes) into *t. */
static bool
parse_iso(const char *s, int64_t *t)
{
	struct tm tm;
	char back[VAULT_ISO_TIME + 1];
	int y, mo, d, h, mi, se;
	char z;

	if (s == NULL || strlen(s) != VAULT_ISO_TIME)
		return false;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se,
	    &z) != 7 || z != 'Z')
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*t = (int64_t)timegm(&tm);
	if (*t < 0)
		return false;
	/* Only the canonical spelling: no 30 February, no 24:00. */
	vault_iso_time(*t, back);
	return strcmp(back, s) == 0;
}

/* A 64-hex-digit key, lowercased, from hex text or a file holding it. */
static bool
key_from_arg(const char *arg, char out[VAULT_HEX_KEY + 1])
{
	char line[512];
	const char *s = arg;
	size_t i, n;
	FILE *f;

	n = strlen(arg);
	if (n != VAULT_HEX_KEY && (f = fopen(arg, "r")) != NULL) {
		if (fgets(line, sizeof(line), f) == NULL)
			line[0] = '\0';
		fclose(f);
		s = line;
		while (isspace((unsigned char)*s))
			s++;
		n = strlen(s);
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
	}
	if (n != VAULT_HEX_KEY)
		return false;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[n] = '\0';
	return true;
}

/* Names borrowed from the manifest, which outlives the check. */
static bool
named_add(struct check *c, const char *name)
{
	const char **p;
	size_t cap;

	if (c->nnamed == c->cap) {
		cap = c->cap ? 2 * c->cap : 64;
		if ((p = realloc(c->named, cap * sizeof(*p))) == NULL)
			return false;
		c->named = p;
		c->cap = cap;
	}
	c->named[c->nnamed++] = name;
	return true;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* After the items: sorted once, so that a bundle of many entries is
 * checked in n log n. */
static bool
named_has(const struct check *c, const char *name)
{
	return c->nnamed > 0 && bsearch(&name, c->named, c->nnamed,
	    sizeof(*c->named), name_cmp) != NULL;
}

/*
 * Hash the entry name of the ZIP; false (and *why set) when it is absent
 * or unreadable (libzip checks the entry's CRC as it reads, so a byte
 * changed inside the ZIP shows here too).  Reads at most limit + 1 bytes:
 * a larger entry is already wrong.
 */
static bool
hash_entry(struct check *c, const char *name, int64_t limit,
    char hex[VAULT_HEX_HASH + 1], int64_t *size, bool *absent)
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536], h[crypto_hash_sha256_BYTES];
	zip_int64_t idx, r;
	zip_file_t *zf;
	int64_t total = 0;

	*absent = false;
	if ((idx = zip_name_locate(c->za, name, ZIP_FL_ENC_GUESS)) < 0) {
		*absent = true;
		return false;
	}
	if ((zf = zip_fopen_index(c->za, (zip_uint64_t)idx, 0)) == NULL)
		return false;
	crypto_hash_sha256_init(&st);
	while ((r = zip_fread(zf, buf, sizeof(buf))) > 0) {
		crypto_hash_sha256_update(&st, buf, (unsigned long long)r);
		total += r;
		if (total > limit)
			break;
	}
	zip_fclose(zf);
	if (r < 0)
		return false;
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, VAULT_HEX_HASH + 1, h, sizeof(h));
	*size = total;
	return true;
}

/* Copy a 64-hex field into a record's buffer ("" when it cannot be). */
static void
hex_field(char dst[VAULT_HEX_HASH + 1], const char *s)
{
	if (s != NULL && strlen(s) == VAULT_HEX_HASH)
		memcpy(dst, s, VAULT_HEX_HASH + 1);
	else
		dst[0] = '\0';
}

/* The element of a present item: there, and of the recorded hash. */
static void
check_file(struct check *c, const json_t *it, int64_t seq, int64_t size,
    const char *sha)
{
	const char *file = jstr(it, "file");
	char hex[VAULT_HEX_HASH + 1];
	int64_t got = 0;
	bool absent;

	if (file == NULL) {
		problem(c, _("élément %lld : le manifeste ne nomme pas son "
		    "fichier alors que l'élément n'est pas supprimé"),
		    (long long)seq);
		return;
	}
	if (!named_add(c, file)) {
		fail(c->res, "%s", _("mémoire insuffisante"));
		return;
	}
	if (!hash_entry(c, file, size < 0 ? 0 : size, hex, &got, &absent)) {
		if (absent)
			problem(c, _("élément %lld : le fichier %s est absent "
			    "du paquet"), (long long)seq, file);
		else
			problem(c, _("élément %lld : le fichier %s est "
			    "illisible ou abîmé dans le paquet"),
			    (long long)seq, file);
		return;
	}
	if (got != size || sha == NULL || strcmp(hex, sha) != 0)
		problem(c, _("élément %lld : le fichier %s a été modifié (son "
		    "empreinte SHA-256 n'est plus celle de l'enregistrement)"),
		    (long long)seq, file);
}

/* Item i of the manifest; *prev is the link it must name, and becomes
 * its own. */
static void
check_item(struct check *c, const json_t *it, size_t i, const char **prev)
{
	static const char *const fields[] = { "kind", "sha256", "name",
	    "type", "url", "facts_date", "platform", "author", "prev", "link",
	    "signature", "received_at" };
	struct vault_record rec;
	const char *link, *sig, *deleted;
	char mine[VAULT_HEX_HASH + 1], *text;
	int64_t seq, t;
	size_t k;
	vg_rc rc;

	if (!json_is_object(it) || !json_is_integer(json_object_get(it,
	    "seq")) || !json_is_integer(json_object_get(it, "size"))) {
		problem(c, _("élément en position %zu : enregistrement "
		    "incomplet"), i + 1);
		*prev = NULL;
		return;
	}
	seq = json_integer_value(json_object_get(it, "seq"));
	for (k = 0; k < VG_ARRAY_LEN(fields); k++)
		if (jstr(it, fields[k]) == NULL) {
			problem(c, _("élément %lld : enregistrement incomplet "
			    "(champ « %s » manquant)"), (long long)seq,
			    fields[k]);
			*prev = NULL;
			return;
		}
	if (seq != (int64_t)i + 1)
		problem(c, _("élément %lld : il est en position %zu ; les "
		    "éléments doivent se suivre (1, 2, 3…) sans trou ni "
		    "déplacement"), (long long)seq, i + 1);

	memset(&rec, 0, sizeof(rec));
	rec.seq = seq;
	rec.kind = jstr(it, "kind");
	hex_field(rec.sha256, jstr(it, "sha256"));
	rec.size = json_integer_value(json_object_get(it, "size"));
	rec.name = jstr(it, "name");
	rec.type = jstr(it, "type");
	rec.url = jstr(it, "url");
	rec.facts_date = jstr(it, "facts_date");
	rec.platform = jstr(it, "platform");
	rec.author = jstr(it, "author");
	hex_field(rec.prev, jstr(it, "prev"));
	link = jstr(it, "link");
	sig = jstr(it, "signature");

	if (*prev != NULL && strcmp(jstr(it, "prev"), *prev) != 0)
		problem(c, _("élément %lld : il ne suit pas l'élément qui le "
		    "précède dans la chaîne (un élément a été retiré, ajouté "
		    "ou déplacé)"), (long long)seq);
	*prev = link;

	text = NULL;
	if (parse_iso(jstr(it, "received_at"), &t)) {
		rec.received_at = t;
		text = vault_record_text(&rec, &rc);
	}
	if (text == NULL) {
		problem(c, _("élément %lld : enregistrement invalide (un champ "
		    "a une forme impossible)"), (long long)seq);
		return;
	}
	vault_sha256_hex(text, strlen(text), mine);
	if (strcmp(mine, link) != 0)
		problem(c, _("élément %lld : son enregistrement a été modifié "
		    "(il ne correspond plus à son maillon)"), (long long)seq);
	else if (!vault_sig_check(c->pub, text, strlen(text), sig))
		problem(c, _("élément %lld : la signature du serveur ne "
		    "correspond pas"), (long long)seq);
	free(text);

	deleted = jstr(it, "deleted_at");
	if (json_object_get(it, "deleted_at") != NULL &&
	    !json_is_null(json_object_get(it, "deleted_at")) &&
	    deleted == NULL) {
		problem(c, _("élément %lld : date de suppression illisible"),
		    (long long)seq);
		return;
	}
	if (deleted == NULL)
		check_file(c, it, seq, rec.size, rec.sha256);
}

/* The head: the count and the last link, signed at export. */
static void
check_head(struct check *c, size_t n, const char *last)
{
	const json_t *head = json_object_get(c->m, "head");
	const char *link = jstr(head, "link"), *at = jstr(head, "exported_at"),
	    *sig = jstr(head, "signature"), *chain = jstr(c->m, "chain_id");
	json_t *count = json_object_get(head, "count");
	char *text;

	if (!json_is_object(head) || link == NULL || at == NULL ||
	    sig == NULL || !json_is_integer(count)) {
		problem(c, "%s", _("la tête du paquet (le résumé signé à "
		    "l'export) est absente ou incomplète"));
		return;
	}
	if (json_integer_value(count) != (json_int_t)n)
		problem(c, _("le paquet a été exporté avec %lld élément(s) "
		    "mais le manifeste en décrit %zu (des éléments ont été "
		    "retirés ou ajoutés)"),
		    (long long)json_integer_value(count), n);
	else if (last == NULL || strcmp(link, last) != 0)
		problem(c, "%s", _("le dernier élément n'est plus celui de "
		    "l'export (des éléments ont été retirés, ajoutés ou "
		    "déplacés)"));
	text = vault_head_text(chain, json_integer_value(count), link, at);
	if (text == NULL) {
		fail(c->res, "%s", _("mémoire insuffisante"));
		return;
	}
	if (!vault_sig_check(c->pub, text, strlen(text), sig))
		problem(c, "%s", _("la signature de la tête du paquet ne "
		    "correspond pas (le nombre d'éléments, le dernier maillon "
		    "ou la date d'export ont été modifiés)"));
	free(text);
	if (jstr(c->m, "exported_at") == NULL ||
	    strcmp(jstr(c->m, "exported_at"), at) != 0)
		problem(c, "%s", _("la date d'export du manifeste n'est pas "
		    "celle qui a été signée"));
}

/*
 * Whether entry i reads to its end with a matching CRC.  The chronology
 * and LISEZMOI.txt are reading aids, not signed: this only catches a
 * damaged copy, not a rewritten one (the manifest and the elements are
 * what the signatures cover).
 */
static bool
entry_readable(zip_t *za, zip_uint64_t i)
{
	char buf[65536];
	zip_file_t *zf;
	zip_int64_t r;

	if ((zf = zip_fopen_index(za, i, 0)) == NULL)
		return false;
	while ((r = zip_fread(zf, buf, sizeof(buf))) > 0)
		;
	zip_fclose(zf);
	return r == 0;
}

/* Entries the manifest does not name, other than the bundle's own. */
static void
check_extra(struct check *c)
{
	static const char *const own[] = { "manifest.json",
	    "chronologie.html", "chronologie.pdf", "LISEZMOI.txt" };
	zip_int64_t i, n = zip_get_num_entries(c->za, 0);
	const char *name;
	size_t k, len;
	bool known;

	if (c->nnamed > 0)
		qsort(c->named, c->nnamed, sizeof(*c->named), name_cmp);
	for (i = 0; i < n; i++) {
		name = zip_get_name(c->za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		if (name == NULL)
			continue;
		len = strlen(name);
		if (len > 0 && name[len - 1] == '/')
			continue;       /* a folder */
		if (named_has(c, name))
			continue;
		known = false;
		for (k = 0; !known && k < VG_ARRAY_LEN(own); k++)
			known = strcmp(name, own[k]) == 0;
		if (!known)
			problem(c, _("le fichier %s est dans le paquet mais "
			    "le manifeste ne le nomme pas"), name);
		else if (!entry_readable(c->za, (zip_uint64_t)i))
			problem(c, _("le fichier %s est abîmé dans le paquet"),
			    name);
	}
}

/* manifest.json of the ZIP, parsed; NULL with res->err set. */
static json_t *
read_manifest(zip_t *za, struct vault_verify_result *res)
{
	zip_stat_t st;
	zip_file_t *zf;
	json_error_t je;
	json_t *m;
	char *data;
	zip_int64_t r;

	if (zip_stat(za, "manifest.json", 0, &st) != 0) {
		fail(res, "%s", _("le paquet ne contient pas de "
		    "manifest.json"));
		return NULL;
	}
	if (!(st.valid & ZIP_STAT_SIZE) || st.size > MANIFEST_MAX) {
		fail(res, "%s", _("le manifest.json du paquet est trop "
		    "grand"));
		return NULL;
	}
	if ((data = malloc(st.size + 1)) == NULL) {
		fail(res, "%s", _("mémoire insuffisante"));
		return NULL;
	}
	if ((zf = zip_fopen(za, "manifest.json", 0)) == NULL ||
	    (r = zip_fread(zf, data, st.size)) != (zip_int64_t)st.size) {
		if (zf != NULL)
			zip_fclose(zf);
		free(data);
		fail(res, "%s", _("le manifest.json du paquet est illisible"));
		return NULL;
	}
	zip_fclose(zf);
	m = json_loadb(data, st.size, JSON_REJECT_DUPLICATES, &je);
	free(data);
	if (m == NULL || !json_is_object(m)) {
		json_decref(m);
		fail(res, _("le manifest.json du paquet est illisible (ligne "
		    "%d : %s)"), je.line, je.text);
		return NULL;
	}
	return m;
}

static void
check_zip(zip_t *za, const char *key, struct vault_verify_result *res)
{
	struct check c;
	const json_t *items;
	const char *prev, *last;
	char genesis[VAULT_HEX_HASH + 1];
	json_t *m;
	size_t i;

	memset(&c, 0, sizeof(c));
	if ((m = read_manifest(za, res)) == NULL)
		return;
	c.za = za;
	c.m = m;
	c.res = res;
	res->status = VAULT_VERIFY_INTACT;       /* until a problem */
	items = json_object_get(m, "items");
	if (jstr(m, "format") == NULL || strcmp(jstr(m, "format"),
	    VAULT_FORMAT) != 0) {
		fail(res, "%s", _("le manifest.json n'est pas celui d'un "
		    "paquet de coffre Vigie (format inconnu)"));
		goto done;
	}
	if (jstr(m, "chain_id") == NULL || jstr(m, "public_key") == NULL ||
	    !json_is_array(items)) {
		fail(res, "%s", _("le manifest.json est incomplet (identifiant "
		    "de chaîne, clé publique ou liste des éléments "
		    "manquants)"));
		goto done;
	}
	c.pub = jstr(m, "public_key");
	if (key != NULL && strcasecmp(key, c.pub) != 0) {
		problem(&c, "%s", _("le paquet n'a pas été signé par la clé "
		    "attendue"));
		res->other_key = true;
	}
	snprintf(res->public_key, sizeof(res->public_key), "%.64s", c.pub);
	vault_genesis(jstr(m, "chain_id"), genesis);
	prev = genesis;
	last = genesis;
	res->items = json_array_size(items);
	for (i = 0; i < json_array_size(items); i++) {
		check_item(&c, json_array_get(items, i), i, &prev);
		if (res->status == VAULT_VERIFY_ERROR)
			goto done;
		last = prev;
	}
	check_head(&c, json_array_size(items), last);
	check_extra(&c);
	if (res->status != VAULT_VERIFY_ERROR)
		res->status = res->problems > 0 ? VAULT_VERIFY_CHANGED :
		    VAULT_VERIFY_INTACT;
done:
	if (res->status != VAULT_VERIFY_ERROR && !vg_buf_failed(&c.report))
		res->report = vg_buf_detach(&c.report, NULL);
	vg_buf_free(&c.report);
	free(c.named);
	json_decref(m);
}

static void
result_init(struct vault_verify_result *res)
{
	memset(res, 0, sizeof(*res));
	res->status = VAULT_VERIFY_ERROR;
}

void
vault_verify_result_free(struct vault_verify_result *res)
{
	free(res->report);
	res->report = NULL;
}

void
vault_verify_file(const char *path, const char *key,
    struct vault_verify_result *res)
{
	zip_t *za;
	int err = 0;

	result_init(res);
	if ((za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err)) == NULL) {
		if (err == ZIP_ER_NOENT || err == ZIP_ER_OPEN ||
		    err == ZIP_ER_READ)
			fail(res, _("impossible de lire %s"), path);
		else
			fail(res, _("%s n'est pas un paquet ZIP lisible"),
			    path);
		return;
	}
	check_zip(za, key, res);
	zip_discard(za);
}

void
vault_verify_mem(const void *data, size_t n, const char *key,
    struct vault_verify_result *res)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;

	result_init(res);
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, n, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		fail(res, "%s", _("mémoire insuffisante"));
		return;
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
	    &ze)) == NULL) {
		zip_source_free(src);
		zip_error_fini(&ze);
		fail(res, "%s", _("ce n'est pas un paquet ZIP lisible"));
		return;
	}
	zip_error_fini(&ze);
	check_zip(za, key, res);
	zip_discard(za);
}

/* --- the command -------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f, "%s\n", _("Usage : vigie verify PAQUET.zip [--key CLÉ]"));
}

static int
usage_error(const char *what)
{
	fprintf(stderr, _("vigie verify : %s (vigie verify PAQUET.zip "
	    "[--key CLÉ])\n"), what);
	return VAULT_VERIFY_ERROR;
}

static void
help(void)
{
	usage(stdout);
	printf("\n%s\n\n%s\n%s\n\n%s\n", _("Vérifie hors ligne un paquet "
	    "exporté d'un coffre : l'empreinte de chaque fichier, la chaîne "
	    "des éléments et les signatures du serveur."),
	    _("  --key CLÉ   la clé publique attendue (64 caractères "
	    "hexadécimaux, ou un fichier qui la contient), celle que "
	    "l'organisation publie à l'adresse /coffre/cle"),
	    _("  --help      cette aide"),
	    _("Code de sortie : 0 si le paquet est intact, 1 s'il a été "
	    "modifié (chaque problème est décrit), 2 en cas d'erreur."));
}

int
vault_verify_cli(int argc, char **argv)
{
	static const struct option longs[] = {
		{"key", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct vault_verify_result res;
	char key[VAULT_HEX_KEY + 1];
	const char *key_arg = NULL;
	int ch, status;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "k:h", longs, NULL)) != -1) {
		switch (ch) {
		case 'k':
			key_arg = optarg;
			break;
		case 'h':
			help();
			return 0;
		default:
			return usage_error(_("option inconnue ou incomplète"));
		}
	}
	if (optind >= argc)
		return usage_error(_("précisez le paquet à vérifier"));
	if (optind + 1 < argc)
		return usage_error(_("un seul paquet à la fois"));
	if (key_arg != NULL && !key_from_arg(key_arg, key))
		return usage_error(_("la clé donnée n'est ni une clé publique "
		    "(64 caractères hexadécimaux) ni un fichier qui en "
		    "contient une"));
	if (vg_crypto_init() != VG_OK) {
		fprintf(stderr, "vigie verify : %s\n",
		    _("libsodium ne démarre pas"));
		return VAULT_VERIFY_ERROR;
	}
	vault_verify_file(argv[optind], key_arg ? key : NULL, &res);
	status = res.status;
	if (status == VAULT_VERIFY_ERROR) {
		fprintf(stderr, "vigie verify : %s\n", res.err);
		vault_verify_result_free(&res);
		return status;
	}
	if (status == VAULT_VERIFY_INTACT)
		printf(_("Paquet intact : %zu éléments, chaîne et signatures "
		    "vérifiées.\n"), res.items);
	else {
		fputs(res.report ? res.report : "", stdout);
		printf(_("Paquet modifié : %zu problème(s) trouvé(s).\n"),
		    res.problems);
	}
	if (key_arg == NULL)
		printf("%s\n", _("La clé utilisée est celle contenue dans le "
		    "paquet : seule la clé publiée par l'organisation (page "
		    "/coffre/cle de son site) prouve d'où vient le paquet. "
		    "Donnez-la avec --key."));
	vault_verify_result_free(&res);
	return status;
}

/* --- GET /coffre/verification ------------------------------------------- */

vg_rc
vault_verify_page(vg_req *r, vg_resp *resp)
{
	const char *pub = vault_public_key_hex();
	char fp[VAULT_FINGERPRINT + 1];
	json_t *key, *files;

	(void)r;
	resp->tmpl = "vault_verify";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Espace personnel")));
	files = json_pack("[s, s, s, s, s]", "manifest.json",
	    "elements/", "chronologie.html", "chronologie.pdf",
	    "LISEZMOI.txt");
	if (files == NULL)
		return VG_ENOMEM;
	json_object_set_new(resp->ctx, "bundle_files", files);
	json_object_set_new(resp->ctx, "command",
	    json_string("vigie verify paquet.zip --key CLÉ"));
	json_object_set_new(resp->ctx, "exit_codes", json_pack("{s:s, s:s, "
	    "s:s}", "0", _("paquet intact"), "1", _("paquet modifié : chaque "
	    "problème est décrit"), "2", _("erreur : ce n'est pas un paquet "
	    "lisible")));
	if (pub != NULL) {
		vault_key_fingerprint(pub, fp);
		key = json_pack("{s:s, s:s, s:s}", "public", pub, "algorithm",
		    "Ed25519", "fingerprint", fp);
		if (key == NULL)
			return VG_ENOMEM;
		json_object_set_new(resp->ctx, "key", key);
	}
	return VG_OK;
}
