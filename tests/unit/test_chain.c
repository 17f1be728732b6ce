/*
 * test_chain.c — the vault's records, links and signing key (chain.c),
 * the bundle (export.c) and its offline verification (verify.c).
 *
 * Known answers were computed outside Vigie (Python's hashlib), so a
 * mistake in the record's text or in the hashing shows here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <zip.h>

#include "core/crypto.h"
#include "vault/vault.h"
#include "vault/vault_int.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>

/* The chronology's PDF starts fontconfig, whose XML parser loses a few
 * hundred bytes once per process (as in src/barometer/annual_pdf.c). */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

static char tmpdir[256];

#define CHAIN_ID "00112233445566778899aabbccddeeff"
/* sha256("vigie-coffre-v1 genesis " CHAIN_ID) */
#define GENESIS \
	"2e5c9ebfff2ec7b40b40770dc5d93d55bb4f24a783751d91268b456d22435a55"
/* sha256("https://exemple.fr/p/1\n\nUn message") */
#define URL_SHA \
	"0dd205ab0da2cad89dd5d7ecfc60cf68d3ba5d3390bcdf64325ecb6f4340bb76"
/* sha256 of REC_TEXT */
#define REC_LINK \
	"33b02b2ee5a9cee7b4e426cfcc50af8880b8e459e85b32b4d0a9e24b9effc63a"
#define REC_TEXT \
	"vigie-coffre-v1\n" \
	"seq: 1\n" \
	"received_at: 2026-11-23T15:20:01Z\n" \
	"kind: url\n" \
	"sha256: " URL_SHA "\n" \
	"size: 34\n" \
	"name: \n" \
	"type: text/plain\n" \
	"url: https://exemple.fr/p/1\n" \
	"facts_date: 2026-11-20\n" \
	"platform: Instagram\n" \
	"author: @pseudo\n" \
	"prev: " GENESIS "\n"

static void
path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static int
setup(void **state)
{
	char p[512];

	(void)state;
	if (vg_crypto_init() != VG_OK)
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-chain-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	path_in(p, sizeof(p), "server.key");
	if (vault_sign_key_create(p) != VG_OK)
		return -1;
	return vault_sign_key_load(p) == VG_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	vault_sign_key_free();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The record of REC_TEXT. */
static void
sample_record(struct vault_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->seq = 1;
	rec->received_at = 1795447201;
	rec->kind = "url";
	strcpy(rec->sha256, URL_SHA);
	rec->size = 34;
	rec->name = "";
	rec->type = "text/plain";
	rec->url = "https://exemple.fr/p/1";
	rec->facts_date = "2026-11-20";
	rec->platform = "Instagram";
	rec->author = "@pseudo";
	strcpy(rec->prev, GENESIS);
}

static void
test_genesis(void **state)
{
	char g[VAULT_HEX_HASH + 1], id1[VAULT_CHAIN_ID + 1],
	    id2[VAULT_CHAIN_ID + 1];

	(void)state;
	vault_genesis(CHAIN_ID, g);
	assert_string_equal(g, GENESIS);
	vault_chain_id_new(id1);
	vault_chain_id_new(id2);
	assert_int_equal(strlen(id1), VAULT_CHAIN_ID);
	assert_int_equal(strspn(id1, "0123456789abcdef"), VAULT_CHAIN_ID);
	assert_string_not_equal(id1, id2);
}

static void
test_url_evidence(void **state)
{
	char *e, h[VAULT_HEX_HASH + 1];
	size_t n = 0;

	(void)state;
	e = vault_url_evidence("https://exemple.fr/p/1", "Un message", &n);
	assert_non_null(e);
	assert_int_equal(n, 34);
	assert_memory_equal(e, "https://exemple.fr/p/1\n\nUn message", 34);
	vault_sha256_hex(e, n, h);
	assert_string_equal(h, URL_SHA);
	free(e);
	e = vault_url_evidence("https://exemple.fr/", "", &n);
	assert_non_null(e);
	assert_int_equal(n, strlen("https://exemple.fr/\n\n"));
	assert_string_equal(e, "https://exemple.fr/\n\n");
	free(e);
}

static void
test_record_text(void **state)
{
	struct vault_record rec;
	char *t, h[VAULT_HEX_HASH + 1];
	vg_rc rc;

	(void)state;
	sample_record(&rec);
	t = vault_record_text(&rec, &rc);
	assert_int_equal(rc, VG_OK);
	assert_non_null(t);
	assert_string_equal(t, REC_TEXT);
	vault_sha256_hex(t, strlen(t), h);
	assert_string_equal(h, REC_LINK);
	free(t);
}

/* Each way a record can be refused, one at a time. */
static void
test_record_refused(void **state)
{
	struct vault_record rec;
	vg_rc rc;
	size_t i;
	static const char *bad_values[] = {
		"deux\nlignes", "tab\there", "retour\r", "bip\a",
		"\xc3\x28",             /* not UTF-8 */
	};

	(void)state;
	sample_record(&rec);
	rec.kind = "photo";
	assert_null(vault_record_text(&rec, &rc));
	assert_int_equal(rc, VG_EINVAL);
	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		sample_record(&rec);
		rec.platform = bad_values[i];
		assert_null(vault_record_text(&rec, &rc));
		assert_int_equal(rc, VG_EINVAL);
		sample_record(&rec);
		rec.author = bad_values[i];
		assert_null(vault_record_text(&rec, &rc));
		assert_int_equal(rc, VG_EINVAL);
		sample_record(&rec);
		rec.name = bad_values[i];
		assert_null(vault_record_text(&rec, &rc));
	}
	sample_record(&rec);
	rec.type = "";
	assert_null(vault_record_text(&rec, &rc));
	sample_record(&rec);
	rec.seq = 0;
	assert_null(vault_record_text(&rec, &rc));
	sample_record(&rec);
	rec.sha256[3] = 'G';
	assert_null(vault_record_text(&rec, &rc));
	sample_record(&rec);
	rec.prev[10] = '\0';
	assert_null(vault_record_text(&rec, &rc));
	/* UTF-8 that is not a control character is kept as given. */
	sample_record(&rec);
	rec.author = "@Zoé_éà";
	{
		char *t = vault_record_text(&rec, &rc);

		assert_non_null(t);
		assert_non_null(strstr(t, "author: @Zoé_éà\n"));
		free(t);
	}
}

static void
test_seal_and_check(void **state)
{
	struct vault_record rec;
	char link[VAULT_HEX_HASH + 1], sig[VAULT_HEX_SIG + 1];
	char text[] = REC_TEXT;
	const char *pub;

	(void)state;
	sample_record(&rec);
	assert_int_equal(vault_seal_record(&rec, link, sig), VG_OK);
	assert_string_equal(link, REC_LINK);
	assert_int_equal(strlen(sig), VAULT_HEX_SIG);
	pub = vault_public_key_hex();
	assert_non_null(pub);
	assert_int_equal(strlen(pub), VAULT_HEX_KEY);
	assert_true(vault_sig_check(pub, text, strlen(text), sig));

	/* One changed byte in the text, in the signature, in the key. */
	text[20] ^= 1;
	assert_false(vault_sig_check(pub, text, strlen(text), sig));
	text[20] ^= 1;
	{
		char s2[VAULT_HEX_SIG + 1], k2[VAULT_HEX_KEY + 1];

		strcpy(s2, sig);
		s2[5] = s2[5] == '0' ? '1' : '0';
		assert_false(vault_sig_check(pub, text, strlen(text), s2));
		strcpy(k2, pub);
		k2[7] = k2[7] == '0' ? '1' : '0';
		assert_false(vault_sig_check(k2, text, strlen(text), sig));
		/* Not hex, wrong lengths. */
		assert_false(vault_sig_check("zz", text, strlen(text), sig));
		assert_false(vault_sig_check(pub, text, strlen(text), "00"));
		s2[0] = 'x';
		assert_false(vault_sig_check(pub, text, strlen(text), s2));
	}
	/* Independently: libsodium's own check on the raw bytes. */
	{
		unsigned char pk[32], s[64];

		assert_int_equal(sodium_hex2bin(pk, 32, pub, 64, NULL, NULL,
		    NULL), 0);
		assert_int_equal(sodium_hex2bin(s, 64, sig, 128, NULL, NULL,
		    NULL), 0);
		assert_int_equal(crypto_sign_verify_detached(s,
		    (const unsigned char *)text, strlen(text), pk), 0);
	}
}

static void
test_fingerprint(void **state)
{
	char fp[VAULT_FINGERPRINT + 1], up[VAULT_HEX_KEY + 1];
	const char *pub = vault_public_key_hex();
	size_t i;

	(void)state;
	vault_key_fingerprint(pub, fp);
	assert_int_equal(strlen(fp), VAULT_FINGERPRINT);
	assert_int_equal(fp[4], ' ');
	for (i = 0; pub[i]; i++)
		up[i] = (char)(pub[i] >= 'a' ? pub[i] - 32 : pub[i]);
	up[i] = '\0';
	{
		char fp2[VAULT_FINGERPRINT + 1];

		vault_key_fingerprint(up, fp2);
		assert_string_equal(fp, fp2);
	}
	vault_key_fingerprint("abc", fp);
	assert_string_equal(fp, "");
}

static void
test_key_file(void **state)
{
	char p[512], pub1[VAULT_HEX_KEY + 1];
	struct stat sb;
	unsigned char buf[64];
	int fd;
	FILE *f;

	(void)state;
	strcpy(pub1, vault_public_key_hex());
	path_in(p, sizeof(p), "k1.key");
	assert_int_equal(vault_sign_key_create(p), VG_OK);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, 64);
	/* Never overwritten. */
	assert_int_equal(vault_sign_key_create(p), VG_ECONFLICT);
	assert_int_equal(vault_sign_key_load(p), VG_OK);
	assert_string_not_equal(vault_public_key_hex(), pub1);
	assert_true(vault_public_key_made_at() > 0);

	/* Group-readable: refused, and the loaded key stays. */
	strcpy(pub1, vault_public_key_hex());
	assert_int_equal(chmod(p, 0640), 0);
	assert_int_equal(vault_sign_key_load(p), VG_EDENIED);
	assert_string_equal(vault_public_key_hex(), pub1);
	assert_int_equal(chmod(p, 0604), 0);
	assert_int_equal(vault_sign_key_load(p), VG_EDENIED);

	/* Too short. */
	path_in(p, sizeof(p), "short.key");
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	memset(buf, 7, sizeof(buf));
	assert_int_equal(write(fd, buf, 32), 32);
	close(fd);
	assert_int_equal(vault_sign_key_load(p), VG_EIO);

	/* 64 bytes whose public half does not match the seed. */
	path_in(p, sizeof(p), "bad.key");
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, 64), 64);
	close(fd);
	assert_int_equal(vault_sign_key_load(p), VG_EIO);

	/* Missing; in a missing folder: create fails without a crash. */
	path_in(p, sizeof(p), "none.key");
	assert_int_equal(vault_sign_key_load(p), VG_EIO);
	path_in(p, sizeof(p), "no/such/dir.key");
	assert_int_equal(vault_sign_key_create(p), VG_EIO);
	assert_string_equal(vault_public_key_hex(), pub1);

	/* Back to the key of setup() for the other tests. */
	path_in(p, sizeof(p), "server.key");
	assert_int_equal(vault_sign_key_load(p), VG_OK);
	f = fopen(p, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, 64, f), 64);
	fclose(f);
	{
		char hex[65];

		/* The file's second half is the public key. */
		sodium_bin2hex(hex, sizeof(hex), buf + 32, 32);
		assert_string_equal(hex, vault_public_key_hex());
	}
}

static void
test_sign_without_key(void **state)
{
	char sig[VAULT_HEX_SIG + 1], p[512];

	(void)state;
	vault_sign_key_free();
	assert_null(vault_public_key_hex());
	assert_int_equal(vault_sign("x", 1, sig), VG_EINTERNAL);
	path_in(p, sizeof(p), "server.key");
	assert_int_equal(vault_sign_key_load(p), VG_OK);
	assert_int_equal(vault_sign("x", 1, sig), VG_OK);
}

/* --- the bundle: export and verify ------------------------------------- */

static const unsigned char png[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H',
	'D', 'R', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
};
static const char link_ev[] = "https://exemple.fr/p/1\n\nUn message";
static const char text_ev[] = "Tu vas voir ce qui va t'arriver.\n"
	"Deuxième ligne, avec des accents.";

/* The evidence bytes of seq, as the store would give them. */
static vg_rc
content(void *ctx, int64_t seq, unsigned char **data, size_t *len)
{
	const void *p;
	size_t n;

	(void)ctx;
	switch (seq) {
	case 1: p = png; n = sizeof(png); break;
	case 2: p = link_ev; n = strlen(link_ev); break;
	case 3: p = text_ev; n = strlen(text_ev); break;
	default: return VG_ENOTFOUND;   /* 4 is deleted: never asked */
	}
	if ((*data = malloc(n)) == NULL)
		return VG_ENOMEM;
	memcpy(*data, p, n);
	*len = n;
	return VG_OK;
}

/* The text held by ctx. */
static vg_rc
content_big(void *ctx, int64_t seq, unsigned char **data, size_t *len)
{
	(void)seq;
	*len = strlen(ctx);
	if ((*data = malloc(*len)) == NULL)
		return VG_ENOMEM;
	memcpy(*data, ctx, *len);
	return VG_OK;
}

static struct vault_export_item items[4];
static char chain_id[VAULT_CHAIN_ID + 1];

/* Four items sealed as they would be at arrival: a file, a link, a
 * text, and a file the person deleted since. */
static void
make_items(void)
{
	static const char *kinds[4] = { "file", "url", "text", "file" };
	static const char *names[4] = { "capture/écran.png", "", "",
	    "vieux.png" };
	static const char *types[4] = { "image/png", "text/plain",
	    "text/plain", "image/png" };
	static const char *facts[4] = { "2026-11-20", "2026-11-18", "",
	    "2026-11-19" };
	char prev[VAULT_HEX_HASH + 1], clean[200];
	static char names_clean[4][200];
	size_t i;

	memset(items, 0, sizeof(items));
	vault_chain_id_new(chain_id);
	vault_genesis(chain_id, prev);
	for (i = 0; i < 4; i++) {
		struct vault_record *r = &items[i].rec;

		r->seq = (int64_t)i + 1;
		r->received_at = 1795447201 + 60 * (int64_t)i;
		r->kind = kinds[i];
		vault_sanitize_name(names[i], clean, sizeof(clean));
		strcpy(names_clean[i], names[i][0] ? clean : "");
		r->name = names_clean[i];
		r->type = types[i];
		r->url = i == 1 ? "https://exemple.fr/p/1" : "";
		r->facts_date = facts[i];
		r->platform = i == 1 ? "Instagram" : "";
		r->author = i == 1 ? "@pseudo" : "";
		switch (i) {
		case 0: vault_sha256_hex(png, sizeof(png), r->sha256);
			r->size = sizeof(png); break;
		case 1: vault_sha256_hex(link_ev, strlen(link_ev), r->sha256);
			r->size = (int64_t)strlen(link_ev); break;
		case 2: vault_sha256_hex(text_ev, strlen(text_ev), r->sha256);
			r->size = (int64_t)strlen(text_ev); break;
		default: vault_sha256_hex("old", 3, r->sha256);
			r->size = 3; break;
		}
		strcpy(r->prev, prev);
		assert_int_equal(vault_seal_record(r, items[i].link,
		    items[i].signature), VG_OK);
		strcpy(prev, items[i].link);
	}
	items[1].description = "Un message";
	items[1].note = "Vu le soir même";
	items[2].text = text_ev;
	items[3].deleted_at = 1795447201 + 3600;
}

static void
export_to(const char *name, char *path, size_t n)
{
	struct vault_export_in in;

	path_in(path, n, name);
	memset(&in, 0, sizeof(in));
	in.chain_id = chain_id;
	in.items = items;
	in.n = 4;
	in.content = content;
	in.now = 1795450000;
	assert_int_equal(vault_export_zip(&in, path), VG_OK);
}

/* The bytes of entry name of the ZIP at path (caller frees), or NULL. */
static char *
zip_entry(const char *path, const char *name, size_t *len)
{
	zip_t *za = zip_open(path, ZIP_RDONLY, NULL);
	zip_stat_t st;
	zip_file_t *zf;
	char *data = NULL;

	assert_non_null(za);
	if (zip_stat(za, name, 0, &st) == 0 &&
	    (zf = zip_fopen(za, name, 0)) != NULL) {
		data = malloc(st.size + 1);
		assert_non_null(data);
		assert_int_equal(zip_fread(zf, data, st.size),
		    (zip_int64_t)st.size);
		data[st.size] = '\0';
		*len = st.size;
		zip_fclose(zf);
	}
	zip_discard(za);
	return data;
}

/* Replace (or add, or with data NULL delete) entry name. */
static void
zip_put(const char *path, const char *name, const void *data, size_t len)
{
	zip_t *za = zip_open(path, 0, NULL);
	zip_int64_t idx;
	zip_source_t *src;

	assert_non_null(za);
	idx = zip_name_locate(za, name, 0);
	if (data == NULL) {
		assert_true(idx >= 0);
		assert_int_equal(zip_delete(za, (zip_uint64_t)idx), 0);
	} else {
		void *copy = malloc(len);

		assert_non_null(copy);
		memcpy(copy, data, len);
		src = zip_source_buffer(za, copy, len, 1);
		assert_non_null(src);
		assert_true(zip_file_add(za, name, src, ZIP_FL_OVERWRITE |
		    ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
}

static json_t *
manifest_of(const char *path)
{
	size_t len;
	char *text = zip_entry(path, "manifest.json", &len);
	json_t *m;

	assert_non_null(text);
	m = json_loadb(text, len, 0, NULL);
	free(text);
	assert_non_null(m);
	return m;
}

static void
manifest_put(const char *path, json_t *m)
{
	char *text = json_dumps(m, JSON_INDENT(2));

	assert_non_null(text);
	zip_put(path, "manifest.json", text, strlen(text));
	free(text);
	json_decref(m);
}

/* A copy of the intact bundle named name. */
static void
copy_bundle(const char *from, const char *name, char *path, size_t n)
{
	char cmd[1200];

	path_in(path, n, name);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", from, path);
	assert_int_equal(system(cmd), 0);
}

/* Verify path; expect status, and each of the NULL-ended needles in the
 * report. */
static void
expect(const char *path, const char *key, int status, ...)
{
	struct vault_verify_result res;
	const char *needle;
	va_list ap;

	vault_verify_file(path, key, &res);
	if (res.status != status)
		fprintf(stderr, "%s: status %d, report:\n%s%s\n", path,
		    res.status, res.report ? res.report : "", res.err);
	assert_int_equal(res.status, status);
	va_start(ap, status);
	while ((needle = va_arg(ap, const char *)) != NULL) {
		if (strstr(res.report ? res.report : res.err, needle) == NULL)
			fprintf(stderr, "missing «%s» in:\n%s%s\n", needle,
			    res.report ? res.report : "", res.err);
		assert_non_null(strstr(res.report ? res.report : res.err,
		    needle));
	}
	va_end(ap);
	vault_verify_result_free(&res);
}

/* Keep a few bundles as the fuzzer's seeds when asked. */
static void
seed(const char *path, const char *name)
{
	const char *dir = getenv("VIGIE_BUNDLE_CORPUS");
	char cmd[1200];

	if (dir == NULL)
		return;
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/%s'", path, dir, name);
	assert_int_equal(system(cmd), 0);
}

static char intact[512];

static void
test_export_contents(void **state)
{
	struct stat sb;
	size_t len;
	char *p;
	json_t *m, *it;

	(void)state;
	make_items();
	export_to("intact.zip", intact, sizeof(intact));
	seed(intact, "intact.zip");
	assert_int_equal(stat(intact, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	/* Exactly the evidence bytes, under the names of the design. */
	p = zip_entry(intact, "elements/0001-capture_écran.png", &len);
	assert_non_null(p);
	assert_int_equal(len, sizeof(png));
	assert_memory_equal(p, png, len);
	free(p);
	p = zip_entry(intact, "elements/0002-lien.txt", &len);
	assert_non_null(p);
	assert_string_equal(p, link_ev);
	free(p);
	p = zip_entry(intact, "elements/0003-texte.txt", &len);
	assert_non_null(p);
	assert_string_equal(p, text_ev);
	free(p);
	assert_null(zip_entry(intact, "elements/0004-vieux.png", &len));

	m = manifest_of(intact);
	assert_string_equal(json_string_value(json_object_get(m, "format")),
	    "vigie-coffre-v1");
	assert_string_equal(json_string_value(json_object_get(m,
	    "public_key")), vault_public_key_hex());
	assert_string_equal(json_string_value(json_object_get(m,
	    "exported_at")), "2026-11-23T16:06:40Z");
	it = json_array_get(json_object_get(m, "items"), 1);
	assert_string_equal(json_string_value(json_object_get(it, "link")),
	    items[1].link);
	assert_string_equal(json_string_value(json_object_get(it, "note")),
	    "Vu le soir même");
	assert_string_equal(json_string_value(json_object_get(it,
	    "received_at")), "2026-11-23T15:21:01Z");
	it = json_array_get(json_object_get(m, "items"), 3);
	assert_true(json_is_null(json_object_get(it, "file")));
	assert_true(json_is_null(json_object_get(it, "note")));
	assert_string_equal(json_string_value(json_object_get(it,
	    "deleted_at")), "2026-11-23T16:20:01Z");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(m,
	    "head"), "count")), 4);
	json_decref(m);

	/* The chronology: in the order of the facts (item 2 of 18/11
	 * first, the undated text last), the deleted item said so. */
	p = zip_entry(intact, "chronologie.html", &len);
	assert_non_null(p);
	assert_non_null(strstr(p, "<html lang=\"fr\">"));
	assert_non_null(strstr(p, "supprimé par la personne"));
	assert_null(strstr(p, "http-equiv"));
	assert_null(strstr(p, "src="));
	assert_true(strstr(p, "18/11/2026") < strstr(p, "20/11/2026"));
	assert_true(strstr(p, "20/11/2026") < strstr(p, "Tu vas voir"));
	free(p);
	p = zip_entry(intact, "chronologie.pdf", &len);
	assert_non_null(p);
	assert_true(len > 1000);
	assert_memory_equal(p, "%PDF-", 5);
	free(p);
	p = zip_entry(intact, "LISEZMOI.txt", &len);
	assert_non_null(p);
	assert_non_null(strstr(p, vault_public_key_hex()));
	assert_non_null(strstr(p, "vigie verify"));
	free(p);

	expect(intact, NULL, VAULT_VERIFY_INTACT, NULL);
	expect(intact, vault_public_key_hex(), VAULT_VERIFY_INTACT, NULL);
}

static void
test_verify_mem(void **state)
{
	struct vault_verify_result res;
	FILE *f;
	char *buf;
	long n;

	(void)state;
	f = fopen(intact, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	vault_verify_mem(buf, (size_t)n, NULL, &res);
	assert_int_equal(res.status, VAULT_VERIFY_INTACT);
	assert_int_equal(res.items, 4);
	vault_verify_result_free(&res);
	/* One byte changed in the middle of the ZIP: never intact. */
	buf[n / 2] ^= 0x20;
	vault_verify_mem(buf, (size_t)n, NULL, &res);
	assert_int_not_equal(res.status, VAULT_VERIFY_INTACT);
	vault_verify_result_free(&res);
	free(buf);
}

static void
test_changed_element(void **state)
{
	char p[512];
	unsigned char bad[sizeof(png)];

	(void)state;
	copy_bundle(intact, "element.zip", p, sizeof(p));
	memcpy(bad, png, sizeof(png));
	bad[20] ^= 1;
	zip_put(p, "elements/0001-capture_écran.png", bad, sizeof(bad));
	seed(p, "changed-element.zip");
	expect(p, NULL, VAULT_VERIFY_CHANGED, "élément 1 : le fichier "
	    "elements/0001-capture_écran.png a été modifié", NULL);
	/* Missing altogether. */
	zip_put(p, "elements/0001-capture_écran.png", NULL, 0);
	expect(p, NULL, VAULT_VERIFY_CHANGED, "élément 1 : le fichier "
	    "elements/0001-capture_écran.png est absent", NULL);
}

static void
test_changed_field(void **state)
{
	char p[512];
	json_t *m;

	(void)state;
	copy_bundle(intact, "field.zip", p, sizeof(p));
	m = manifest_of(p);
	json_object_set_new(json_array_get(json_object_get(m, "items"), 1),
	    "platform", json_string("Instagrem"));
	manifest_put(p, m);
	seed(p, "changed-field.zip");
	expect(p, NULL, VAULT_VERIFY_CHANGED, "élément 2 : son "
	    "enregistrement a été modifié", NULL);

	/* The note is not signed: the person may change it. */
	copy_bundle(intact, "note.zip", p, sizeof(p));
	m = manifest_of(p);
	json_object_set_new(json_array_get(json_object_get(m, "items"), 1),
	    "note", json_string("Une autre note"));
	manifest_put(p, m);
	expect(p, NULL, VAULT_VERIFY_INTACT, NULL);

	/* A received_at spelt otherwise is not the signed one. */
	copy_bundle(intact, "time.zip", p, sizeof(p));
	m = manifest_of(p);
	json_object_set_new(json_array_get(json_object_get(m, "items"), 2),
	    "received_at", json_string("2026-11-23T15:22:01+00:00"));
	manifest_put(p, m);
	expect(p, NULL, VAULT_VERIFY_CHANGED, "élément 3 : enregistrement "
	    "invalide", NULL);
}

static void
test_removed_middle(void **state)
{
	char p[512];
	json_t *m;

	(void)state;
	copy_bundle(intact, "middle.zip", p, sizeof(p));
	m = manifest_of(p);
	json_array_remove(json_object_get(m, "items"), 1);
	manifest_put(p, m);
	zip_put(p, "elements/0002-lien.txt", NULL, 0);
	seed(p, "removed-middle.zip");
	expect(p, NULL, VAULT_VERIFY_CHANGED, "élément 3 : il est en "
	    "position 2", "élément 3 : il ne suit pas", "exporté avec 4 "
	    "élément(s) mais le manifeste en décrit 3", NULL);
}

static void
test_removed_last(void **state)
{
	char p[512];
	json_t *m;

	(void)state;
	copy_bundle(intact, "last.zip", p, sizeof(p));
	m = manifest_of(p);
	json_array_remove(json_object_get(m, "items"), 3);
	manifest_put(p, m);
	seed(p, "removed-last.zip");
	/* Every item left is fine: only the signed head tells. */
	expect(p, NULL, VAULT_VERIFY_CHANGED, "exporté avec 4 élément(s) "
	    "mais le manifeste en décrit 3", NULL);

	/* Rewriting the head to match needs the server's key. */
	m = manifest_of(p);
	json_object_set_new(json_object_get(m, "head"), "count",
	    json_integer(3));
	json_object_set_new(json_object_get(m, "head"), "link",
	    json_string(items[2].link));
	manifest_put(p, m);
	expect(p, NULL, VAULT_VERIFY_CHANGED, "la signature de la tête du "
	    "paquet ne correspond pas", NULL);
}

static void
test_reordered(void **state)
{
	char p[512];
	json_t *m, *list, *two;

	(void)state;
	copy_bundle(intact, "swap.zip", p, sizeof(p));
	m = manifest_of(p);
	list = json_object_get(m, "items");
	two = json_incref(json_array_get(list, 1));
	json_array_remove(list, 1);
	json_array_insert_new(list, 2, two);
	manifest_put(p, m);
	seed(p, "reordered.zip");
	expect(p, NULL, VAULT_VERIFY_CHANGED, "élément 3 : il est en "
	    "position 2", "élément 3 : il ne suit pas", "élément 2 : il est "
	    "en position 3", NULL);

	/* Renumbered too: the records' texts no longer hash to their
	 * links. */
	m = manifest_of(p);
	list = json_object_get(m, "items");
	json_object_set_new(json_array_get(list, 1), "seq", json_integer(2));
	json_object_set_new(json_array_get(list, 2), "seq", json_integer(3));
	manifest_put(p, m);
	expect(p, NULL, VAULT_VERIFY_CHANGED, "élément 2 : son "
	    "enregistrement a été modifié", "élément 3 : son enregistrement "
	    "a été modifié", NULL);
}

/* Sign with another key (k2.key of test_key_file, or a fresh one). */
static void
other_key(char *pub)
{
	char p[512];

	path_in(p, sizeof(p), "other.key");
	(void)vault_sign_key_create(p);
	assert_int_equal(vault_sign_key_load(p), VG_OK);
	strcpy(pub, vault_public_key_hex());
}

static void
back_to_server_key(void)
{
	char p[512];

	path_in(p, sizeof(p), "server.key");
	assert_int_equal(vault_sign_key_load(p), VG_OK);
}

static void
test_other_key(void **state)
{
	char p[512], server[VAULT_HEX_KEY + 1], other[VAULT_HEX_KEY + 1];
	char link[VAULT_HEX_HASH + 1], sig[VAULT_HEX_SIG + 1];
	json_t *m;

	(void)state;
	strcpy(server, vault_public_key_hex());
	/* --key with another key: the bundle is intact but not this
	 * server's. */
	other_key(other);
	back_to_server_key();
	expect(intact, other, VAULT_VERIFY_CHANGED, "le paquet n'a pas été "
	    "signé par la clé attendue", NULL);

	/* One record re-signed with another key. */
	copy_bundle(intact, "resigned.zip", p, sizeof(p));
	other_key(other);
	assert_int_equal(vault_seal_record(&items[1].rec, link, sig), VG_OK);
	back_to_server_key();
	m = manifest_of(p);
	json_object_set_new(json_array_get(json_object_get(m, "items"), 1),
	    "signature", json_string(sig));
	manifest_put(p, m);
	seed(p, "other-signature.zip");
	expect(p, NULL, VAULT_VERIFY_CHANGED, "élément 2 : la signature du "
	    "serveur ne correspond pas", NULL);

	/* A whole bundle forged with another key: consistent inside, so
	 * only --key with the published key tells. */
	other_key(other);
	make_items();
	export_to("forged.zip", p, sizeof(p));
	back_to_server_key();
	expect(p, NULL, VAULT_VERIFY_INTACT, NULL);
	expect(p, server, VAULT_VERIFY_CHANGED, "le paquet n'a pas été signé "
	    "par la clé attendue", NULL);
	/* The items of the other tests are sealed by the server again. */
	make_items();
	export_to("intact.zip", intact, sizeof(intact));
}

static void
test_extra_and_errors(void **state)
{
	char p[512];
	FILE *f;

	(void)state;
	copy_bundle(intact, "extra.zip", p, sizeof(p));
	zip_put(p, "elements/0005-ajout.png", png, sizeof(png));
	expect(p, NULL, VAULT_VERIFY_CHANGED, "le fichier "
	    "elements/0005-ajout.png est dans le paquet mais le manifeste ne "
	    "le nomme pas", NULL);

	path_in(p, sizeof(p), "not-a-zip.zip");
	f = fopen(p, "wb");
	assert_non_null(f);
	fputs("ceci n'est pas un zip\n", f);
	fclose(f);
	seed(p, "not-a-zip.zip");
	expect(p, NULL, VAULT_VERIFY_ERROR, "n'est pas un paquet ZIP", NULL);
	path_in(p, sizeof(p), "absent.zip");
	expect(p, NULL, VAULT_VERIFY_ERROR, "impossible de lire", NULL);

	copy_bundle(intact, "no-manifest.zip", p, sizeof(p));
	zip_put(p, "manifest.json", NULL, 0);
	seed(p, "no-manifest.zip");
	expect(p, NULL, VAULT_VERIFY_ERROR, "ne contient pas de "
	    "manifest.json", NULL);
	zip_put(p, "manifest.json", "{\"format\": ", 11);
	expect(p, NULL, VAULT_VERIFY_ERROR, "illisible", NULL);
	zip_put(p, "manifest.json", "{\"format\": \"autre\"}", 19);
	expect(p, NULL, VAULT_VERIFY_ERROR, "format inconnu", NULL);
	zip_put(p, "manifest.json", "{\"format\": \"vigie-coffre-v1\", "
	    "\"items\": [1, {}]}", 47);
	expect(p, NULL, VAULT_VERIFY_ERROR, "incomplet", NULL);
}

static void
test_cli(void **state)
{
	char p[512], keyfile[512];
	char *ok[] = { "verify", intact, NULL };
	char *help[] = { "verify", "--help", NULL };
	char *none[] = { "verify", NULL };
	char *two[] = { "verify", intact, intact, NULL };
	char *badkey[] = { "verify", intact, "--key", "abc", NULL };
	char *filekey[] = { "verify", "--key", keyfile, intact, NULL };
	char *missing[] = { "verify", p, NULL };
	FILE *f;

	(void)state;
	assert_int_equal(vault_verify_cli(2, ok), 0);
	assert_int_equal(vault_verify_cli(2, help), 0);
	assert_int_equal(vault_verify_cli(1, none), 2);
	assert_int_equal(vault_verify_cli(3, two), 2);
	assert_int_equal(vault_verify_cli(4, badkey), 2);
	path_in(keyfile, sizeof(keyfile), "published.txt");
	f = fopen(keyfile, "w");
	assert_non_null(f);
	fprintf(f, "  %s\n", vault_public_key_hex());
	fclose(f);
	assert_int_equal(vault_verify_cli(4, filekey), 0);
	path_in(p, sizeof(p), "element.zip");
	assert_int_equal(vault_verify_cli(2, missing), 1);
	path_in(p, sizeof(p), "absent.zip");
	assert_int_equal(vault_verify_cli(2, missing), 2);
}

static void
test_sanitize(void **state)
{
	char out[200], longname[300];

	(void)state;
	vault_sanitize_name("../a/b\\c\x01.png", out, sizeof(out));
	assert_string_equal(out, ".._a_b_c_.png");
	vault_sanitize_name("", out, sizeof(out));
	assert_string_equal(out, "fichier");
	vault_sanitize_name("..", out, sizeof(out));
	assert_string_equal(out, "fichier");
	/* 119 'a' then "é": cut before the é, not through it. */
	memset(longname, 'a', 119);
	strcpy(longname + 119, "é.png");
	vault_sanitize_name(longname, out, sizeof(out));
	assert_int_equal(strlen(out), 119);
	memset(longname, 'a', 118);
	strcpy(longname + 118, "é.png");
	vault_sanitize_name(longname, out, sizeof(out));
	assert_int_equal(strlen(out), 120);
	assert_string_equal(out + 118, "é");
}

static vg_rc
content_fails(void *ctx, int64_t seq, unsigned char **data, size_t *len)
{
	(void)ctx;
	if (seq == 2)
		return VG_EIO;
	return content(NULL, seq, data, len);
}

/* Whether the folder holds a file whose name starts with prefix. */
static int
left_in_tmpdir(const char *prefix)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -q '^%s'", tmpdir, prefix);
	return system(cmd) == 0;
}

static void
test_export_nothing_half_written(void **state)
{
	struct vault_export_in in;
	char p[512];

	(void)state;
	make_items();
	path_in(p, sizeof(p), "broken.zip");
	memset(&in, 0, sizeof(in));
	in.chain_id = chain_id;
	in.items = items;
	in.n = 4;
	in.content = content_fails;
	in.now = 1795450000;
	assert_int_equal(vault_export_zip(&in, p), VG_EIO);
	assert_int_equal(access(p, F_OK), -1);
	assert_false(left_in_tmpdir("broken.zip"));

	/* Items out of order, or a record that cannot be written: refused
	 * before anything is written. */
	in.content = content;
	in.items = items + 1;
	in.n = 3;
	assert_int_equal(vault_export_zip(&in, p), VG_EINVAL);
	assert_int_equal(access(p, F_OK), -1);
	items[1].rec.platform = "deux\nlignes";
	in.items = items;
	in.n = 4;
	assert_int_equal(vault_export_zip(&in, p), VG_EINVAL);
	assert_false(left_in_tmpdir("broken.zip"));
	make_items();

	/* Without a signing key, nothing either. */
	vault_sign_key_free();
	assert_int_equal(vault_export_zip(&in, p), VG_EINTERNAL);
	assert_false(left_in_tmpdir("broken.zip"));
	back_to_server_key();
}

static void
test_export_empty_and_long(void **state)
{
	struct vault_export_in in;
	struct vault_export_item one[1];
	char p[512], prev[VAULT_HEX_HASH + 1], *big, *html;
	size_t i, len;
	json_t *m;

	(void)state;
	/* An empty vault: the head names the genesis. */
	vault_chain_id_new(chain_id);
	memset(&in, 0, sizeof(in));
	in.chain_id = chain_id;
	in.content = content;
	in.now = 1795450000;
	path_in(p, sizeof(p), "empty.zip");
	assert_int_equal(vault_export_zip(&in, p), VG_OK);
	seed(p, "empty.zip");
	expect(p, NULL, VAULT_VERIFY_INTACT, NULL);
	m = manifest_of(p);
	vault_genesis(chain_id, prev);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    m, "head"), "link")), prev);
	json_decref(m);

	/* A text of 200 kB and 5000 lines: whole in the element and the
	 * HTML, cut in the PDF, which is still made. */
	big = malloc(200001);
	assert_non_null(big);
	for (i = 0; i < 200000; i++)
		big[i] = i % 40 == 39 ? '\n' : (char)('a' + i % 26);
	big[200000] = '\0';
	memset(one, 0, sizeof(one));
	one[0].rec.seq = 1;
	one[0].rec.received_at = 1795447201;
	one[0].rec.kind = "text";
	vault_sha256_hex(big, 200000, one[0].rec.sha256);
	one[0].rec.size = 200000;
	one[0].rec.name = one[0].rec.url = one[0].rec.facts_date = "";
	one[0].rec.platform = one[0].rec.author = "";
	one[0].rec.type = "text/plain";
	strcpy(one[0].rec.prev, prev);
	one[0].text = big;
	one[0].note = big;
	assert_int_equal(vault_seal_record(&one[0].rec, one[0].link,
	    one[0].signature), VG_OK);
	in.items = one;
	in.n = 1;
	in.ctx = big;
	in.content = content_big;
	path_in(p, sizeof(p), "long.zip");
	assert_int_equal(vault_export_zip(&in, p), VG_OK);
	expect(p, NULL, VAULT_VERIFY_INTACT, NULL);
	html = zip_entry(p, "chronologie.html", &len);
	assert_non_null(html);
	assert_true(len > 400000);
	free(html);
	html = zip_entry(p, "chronologie.pdf", &len);
	assert_non_null(html);
	assert_memory_equal(html, "%PDF-", 5);
	free(html);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_genesis),
		cmocka_unit_test(test_url_evidence),
		cmocka_unit_test(test_record_text),
		cmocka_unit_test(test_record_refused),
		cmocka_unit_test(test_seal_and_check),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_key_file),
		cmocka_unit_test(test_sign_without_key),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_export_contents),
		cmocka_unit_test(test_verify_mem),
		cmocka_unit_test(test_changed_element),
		cmocka_unit_test(test_changed_field),
		cmocka_unit_test(test_removed_middle),
		cmocka_unit_test(test_removed_last),
		cmocka_unit_test(test_reordered),
		cmocka_unit_test(test_other_key),
		cmocka_unit_test(test_extra_and_errors),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_export_nothing_half_written),
		cmocka_unit_test(test_export_empty_and_long),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
