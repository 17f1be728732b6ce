/*
 * fts_fr.c — the "vigie_fr" FTS5 tokenizer: French full-text search that
 * ignores accents and grammatical endings.
 *
 * It wraps SQLite's unicode61 tokenizer (which splits words and folds case
 * but keeps accents), stems each word with the Snowball French stemmer
 * (libstemmer), then folds the accents of the stem, so that "harceler",
 * "harcèlement" and "harcelement" all index as "harcel".  Stemming before
 * folding keeps the stemmer's rules, written for accented French, exact.
 * Queries go through the same tokenizer, so they match the same way.
 */
#include "db/fts.h"

#include "core/buf.h"

#include <ctype.h>
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKEN 256

struct fr_tokenizer {
	fts5_tokenizer parent;
	Fts5Tokenizer *parent_tok;
	struct sb_stemmer *stemmer;
};

struct fr_ctx {
	struct fr_tokenizer *t;
	void *ctx;
	int (*token)(void *, int, const char *, int, int, int);
};

size_t
vg_fold_accents(const char *in, size_t n, char *out)
{
	/* Two-byte Latin-1 supplement letters, 0xC3 0x80..0xBF, already
	 * lower-cased by unicode61. */
	static const char latin1[64] =
	    "AAAAAAACEEEEIIII" "DNOOOOOxOUUUUYTs"
	    "aaaaaa\1ceeeeiiii" "dnooooo/ouuuuyty";
	size_t i = 0, o = 0;
	unsigned char c;

	while (i < n) {
		c = (unsigned char)in[i];
		if (c == 0xc3 && i + 1 < n &&
		    ((unsigned char)in[i + 1] & 0xc0) == 0x80) {
			char m = latin1[(unsigned char)in[i + 1] - 0x80];

			if (m == '\1') {                /* æ */
				out[o++] = 'a';
				out[o++] = 'e';
			} else {
				out[o++] = m;
			}
			i += 2;
		} else if (c == 0xc5 && i + 1 < n &&
		    ((unsigned char)in[i + 1] == 0x93 ||
		    (unsigned char)in[i + 1] == 0x92)) {        /* œ Œ */
			out[o++] = 'o';
			out[o++] = 'e';
			i += 2;
		} else {
			out[o++] = in[i++];
		}
	}
	out[o] = '\0';
	return o;
}

static int
on_token(void *p, int flags, const char *tok, int n, int start, int end)
{
	struct fr_ctx *c = p;
	const sb_symbol *stem;
	char folded[2 * MAX_TOKEN + 1];
	int len;

	if (n <= 0 || n > MAX_TOKEN)
		return c->token(c->ctx, flags, tok, n, start, end);
	stem = sb_stemmer_stem(c->t->stemmer, (const sb_symbol *)tok, n);
	if (stem == NULL)
		return SQLITE_NOMEM;
	len = sb_stemmer_length(c->t->stemmer);
	len = (int)vg_fold_accents((const char *)stem, (size_t)len, folded);
	return c->token(c->ctx, flags, folded, len, start, end);
}

static int
fr_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = user;
	struct fr_tokenizer *t;
	void *parent_user;
	static const char *args[] = {"remove_diacritics", "0"};
	int rc;

	(void)argv;
	(void)argc;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return SQLITE_NOMEM;
	rc = api->xFindTokenizer(api, "unicode61", &parent_user, &t->parent);
	if (rc == SQLITE_OK)
		rc = t->parent.xCreate(parent_user, args, 2, &t->parent_tok);
	if (rc == SQLITE_OK &&
	    (t->stemmer = sb_stemmer_new("french", "UTF_8")) == NULL)
		rc = SQLITE_NOMEM;
	if (rc != SQLITE_OK) {
		if (t->parent_tok != NULL)
			t->parent.xDelete(t->parent_tok);
		free(t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
fr_delete(Fts5Tokenizer *p)
{
	struct fr_tokenizer *t = (struct fr_tokenizer *)p;

	t->parent.xDelete(t->parent_tok);
	sb_stemmer_delete(t->stemmer);
	free(t);
}

static int
fr_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text,
    int n, int (*token)(void *, int, const char *, int, int, int))
{
	struct fr_tokenizer *t = (struct fr_tokenizer *)p;
	struct fr_ctx c = {t, ctx, token};

	return t->parent.xTokenize(t->parent_tok, &c, flags, text, n,
	    on_token);
}

int
vg_fts_register(sqlite3 *db)
{
	static fts5_tokenizer fr = {fr_create, fr_delete, fr_tokenize};
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	rc = sqlite3_finalize(st);
	if (rc != SQLITE_OK || api == NULL)
		return rc != SQLITE_OK ? rc : SQLITE_ERROR;
	return api->xCreateTokenizer(api, "vigie_fr", api, &fr, NULL);
}

/*
 * Turn the words of a visitor's query into an FTS5 query: each word
 * quoted (so no FTS5 operator can be injected), all required, the last
 * one also as a prefix ("logiciel esp" finds "logiciel espion").
 */
char *
vg_fts_query(const char *q)
{
	vg_buf b = VG_BUF_INIT;
	const unsigned char *p = (const unsigned char *)q;
	int words = 0;

	while (*p != '\0' && words < 12) {
		const unsigned char *start;

		while (*p != '\0' && *p < 0x80 && !isalnum(*p))
			p++;
		start = p;
		while (*p != '\0' && (*p >= 0x80 || isalnum(*p)))
			p++;
		if (p == start)
			continue;
		if (words++ > 0)
			vg_buf_putc(&b, ' ');
		vg_buf_putc(&b, '"');
		vg_buf_append(&b, start, (size_t)(p - start));
		vg_buf_putc(&b, '"');
	}
	if (words == 0) {
		vg_buf_free(&b);
		return NULL;
	}
	vg_buf_putc(&b, '*');
	return vg_buf_detach(&b, NULL);
}
