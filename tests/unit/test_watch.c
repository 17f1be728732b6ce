/*
 * test_watch.c — the watch's storage over a real SQLite file in a
 * temporary directory: themes (known codes, once each, at most ten), the
 * checks of a source as typed, duplicates by canonical address, the
 * items' filters and French search, tagging, reading and selecting, the
 * selection the newsletter reads and its end, a source's deletion with
 * its items and their index, and which sources a timed round takes (the
 * interval, the back-off of failing sources, inactive ones never) — its
 * fetches refused before any connection, as private addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/db.h"
#include "resources/resources.h"
#include "watch/watch_int.h"

static char tmpdir[256];

static int
setup(void **state)
{
	char p[512];

	(void)state;
	vg_log_set_level(VG_LOG_ERROR);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-watch-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/vigie.db", tmpdir);
	vg_db_set_thread_path(p);
	if (vg_db_thread() == NULL ||
	    vg_db_migrate(vg_db_thread(), VIGIE_SRCDIR "/sql") != VG_OK)
		return -1;
	if (resources_content_check(VIGIE_SRCDIR, p, sizeof(p)) != VG_OK) {
		print_error("%s\n", p);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	resources_content_free();
	vg_db_thread_close();
	vg_db_set_thread_path(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
exec_sql(const char *sql)
{
	assert_int_equal(vg_db_exec_script(vg_db_thread(), sql), VG_OK);
}

static int64_t
count(const char *sql)
{
	vg_stmt *st;
	bool row;
	int64_t n;

	assert_int_equal(vg_db_prepare(vg_db_thread(), sql, &st), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	n = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return n;
}

static int64_t
source(const char *url, const char *name, const char *lang,
    const char *themes)
{
	struct watch_source_in in = {url, name, lang, themes, true};
	const char *why = NULL, *field = NULL;
	int64_t id = 0;

	assert_int_equal(watch_source_save(0, &in, &id, &why, &field), VG_OK);
	assert_true(id > 0);
	return id;
}

static void
test_themes(void **state)
{
	const char *bad;
	char *s;

	(void)state;
	s = watch_themes_norm(" harcelement, mineurs harcelement\tdroit ",
	    &bad);
	assert_non_null(s);
	assert_string_equal(s, "harcelement,mineurs,droit");
	free(s);
	s = watch_themes_norm(NULL, &bad);
	assert_string_equal(s, "");
	free(s);
	s = watch_themes_norm("harcelement,inconnu", &bad);
	assert_null(s);
	assert_string_equal(bad, "inconnu");
	s = watch_themes_norm("preuves harcelement images-intimes sextorsion "
	    "donnees-personnelles usurpation piratage surveillance "
	    "logiciel-espion traceurs", &bad);
	assert_non_null(s);             /* ten is the limit */
	free(s);
	s = watch_themes_norm("preuves harcelement images-intimes sextorsion "
	    "donnees-personnelles usurpation piratage surveillance "
	    "logiciel-espion traceurs droit", &bad);
	assert_null(s);
	assert_string_equal(bad, "");
	/* A theme's code inside another's is not it. */
	s = watch_themes_norm("harcelement%", &bad);
	assert_null(s);
}

static void
test_source_check(void **state)
{
	static const struct {
		const char *url, *name, *lang, *field;
	} bad[] = {
		{NULL, "x", "fr", "url"},
		{"ftp://exemple.fr/", "x", "fr", "url"},
		{"javascript:alert(1)", "x", "fr", "url"},
		{"file:///etc/passwd", "x", "fr", "url"},
		{"exemple.fr/flux", "x", "fr", "url"},
		{"http://", "x", "fr", "url"},
		{"https://exemple.fr/", "", "fr", "name"},
		{"https://exemple.fr/", "x", "de", "lang"},
		{"https://exemple.fr/", "x", NULL, "lang"},
	};
	struct watch_source_in in;
	const char *why, *field;
	char *canon, *themes;
	size_t i;

	(void)state;
	for (i = 0; i < VG_ARRAY_LEN(bad); i++) {
		in = (struct watch_source_in){bad[i].url, bad[i].name,
		    bad[i].lang, NULL, true};
		assert_int_equal(watch_source_check(&in, &canon, &themes, &why,
		    &field), VG_EINVAL);
		assert_null(canon);
		assert_null(themes);
		assert_non_null(why);
		assert_string_equal(field, bad[i].field);
	}
	in = (struct watch_source_in){"HTTPS://Exemple.FR:443/a/../flux#x",
	    "Exemple", "en", "droit", true};
	assert_int_equal(watch_source_check(&in, &canon, &themes, &why,
	    &field), VG_OK);
	assert_string_equal(canon, "https://exemple.fr/flux");
	assert_string_equal(themes, "droit");
	free(canon);
	free(themes);
}

static void
test_duplicates(void **state)
{
	struct watch_source_in in = {"https://exemple.fr/flux", "Deux", "fr",
	    NULL, true};
	const char *why, *field;
	int64_t a, b, id;

	(void)state;
	a = source("https://Exemple.fr/flux#haut", "Un", "fr", NULL);
	assert_int_equal(watch_source_save(0, &in, &id, &why, &field),
	    VG_ECONFLICT);
	assert_string_equal(field, "url");
	b = source("https://exemple.fr/autre", "Autre", "fr", NULL);
	/* Changing b to a's address is refused, and changes nothing. */
	assert_int_equal(watch_source_save(b, &in, &id, &why, &field),
	    VG_ECONFLICT);
	assert_int_equal(count("SELECT count(*) FROM watch_sources WHERE "
	    "name = 'Autre' AND url = 'https://exemple.fr/autre'"), 1);
	assert_int_equal(watch_source_delete(a), VG_OK);
	assert_int_equal(watch_source_delete(b), VG_OK);
	assert_int_equal(watch_source_delete(b), VG_ENOTFOUND);
}

/* Two sources, four items, inserted as a round would. */
static void
fill(int64_t *fr, int64_t *en)
{
	*fr = source("https://fr.exemple/flux", "Source FR", "fr",
	    "harcelement");
	*en = source("https://en.example/feed", "Source EN", "en", NULL);
	exec_sql("INSERT INTO watch_items (source_id, key, link, title, "
	    "summary, fetched, themes) VALUES "
	    "((SELECT id FROM watch_sources WHERE lang = 'fr'), 'guid:1', "
	    "'https://fr.exemple/1', 'Le harcèlement scolaire en ligne', "
	    "'Une enquête', '2026-11-01T10:00:00Z', 'harcelement'), "
	    "((SELECT id FROM watch_sources WHERE lang = 'fr'), 'guid:2', "
	    "'https://fr.exemple/2', 'Sextorsion des mineurs', '', "
	    "'2026-11-02T10:00:00Z', ''), "
	    "((SELECT id FROM watch_sources WHERE lang = 'en'), 'guid:3', "
	    "'https://en.example/3', 'Doxxing report', 'Personal data', "
	    "'2026-11-03T10:00:00Z', ''), "
	    "((SELECT id FROM watch_sources WHERE lang = 'en'), 'guid:4', "
	    "NULL, 'Untitled link-less note', '', '2026-11-04T10:00:00Z', '')");
}

static json_t *
find(const struct watch_filter *f, int64_t *total)
{
	json_t *out;

	assert_int_equal(watch_items_find(f, &out, total), VG_OK);
	assert_non_null(out);
	return out;
}

static int64_t
first_id(json_t *a)
{
	return json_integer_value(json_object_get(json_array_get(a, 0),
	    "id"));
}

static void
test_items(void **state)
{
	struct watch_filter f;
	int64_t fr, en, total, id, ids[3], changed;
	json_t *a, *sel;

	(void)state;
	fill(&fr, &en);
	memset(&f, 0, sizeof(f));
	a = find(&f, &total);
	assert_int_equal(total, 4);
	/* New first. */
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "title")), "Untitled link-less note");
	json_decref(a);
	f.q = "harcelée";
	a = find(&f, &total);
	assert_int_equal(total, 1);
	id = first_id(a);
	json_decref(a);
	f.q = "\"')*";                  /* no word: nothing, no error */
	a = find(&f, &total);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	f.q = NULL;
	f.lang = "en";
	a = find(&f, &total);
	assert_int_equal(total, 2);
	json_decref(a);
	f.lang = NULL;
	f.source = fr;
	f.theme = "harcelement";
	a = find(&f, &total);
	assert_int_equal(total, 1);
	json_decref(a);
	memset(&f, 0, sizeof(f));

	/* Tag and annotate: read, and the note is searched. */
	assert_int_equal(watch_item_annotate(id, "harcelement,mineurs",
	    "Chiffres de Pharos"), VG_OK);
	f.q = "pharos";
	a = find(&f, &total);
	assert_int_equal(first_id(a), id);
	json_decref(a);
	f.q = NULL;
	f.state = WATCH_READ;
	a = find(&f, &total);
	assert_int_equal(total, 1);
	json_decref(a);
	assert_int_equal(watch_item_read(id, false), VG_OK);
	assert_int_equal(watch_item_read(99999, true), VG_ENOTFOUND);
	assert_int_equal(watch_item_annotate(99999, "", ""), VG_ENOTFOUND);

	/* The selection, in the order chosen, as the newsletter reads it. */
	f.state = WATCH_ALL;
	f.lang = "en";
	a = find(&f, &total);
	ids[0] = first_id(a);
	json_decref(a);
	assert_int_equal(watch_item_select(ids[0], true), VG_OK);
	assert_int_equal(watch_item_select(id, true), VG_OK);
	assert_int_equal(watch_item_select(id, true), VG_OK);
	sel = watch_selection();
	assert_non_null(sel);
	assert_int_equal(json_array_size(sel), 2);
	{
		json_t *it;
		size_t i, fr_at = 2;

		json_array_foreach(sel, i, it)
			if (!strcmp(json_string_value(json_object_get(it,
			    "source")), "Source FR"))
				fr_at = i;
		assert_true(fr_at < 2);
		it = json_array_get(sel, fr_at);
		assert_int_equal(json_integer_value(json_object_get(it, "id")),
		    id);
		assert_int_equal(json_array_size(json_object_get(it,
		    "themes")), 2);
		assert_string_equal(json_string_value(json_object_get(it,
		    "note")), "Chiffres de Pharos");
	}
	json_decref(sel);
	assert_int_equal(watch_item_select(ids[0], false), VG_OK);
	sel = watch_selection();
	assert_int_equal(json_array_size(sel), 1);
	json_decref(sel);
	assert_int_equal(watch_selection_done(&id, 1, 7), VG_OK);
	sel = watch_selection();
	assert_int_equal(json_array_size(sel), 0);
	json_decref(sel);
	assert_int_equal(count("SELECT sent_issue FROM watch_items WHERE id = "
	    "(SELECT id FROM watch_items WHERE note LIKE 'Chiffres%')"), 7);

	/* A page read at once: only the unread ones count. */
	ids[1] = id;
	ids[2] = 99999;
	assert_int_equal(watch_items_read(ids, 3, &changed), VG_OK);
	assert_int_equal(changed, 0);   /* both read by their selection */
	memset(&f, 0, sizeof(f));
	f.state = WATCH_NEW;
	a = find(&f, &total);
	assert_int_equal(total, 2);
	ids[0] = first_id(a);
	ids[1] = json_integer_value(json_object_get(json_array_get(a, 1),
	    "id"));
	json_decref(a);
	assert_int_equal(watch_items_read(ids, 2, &changed), VG_OK);
	assert_int_equal(changed, 2);
	a = find(&f, &total);
	assert_int_equal(total, 0);
	json_decref(a);

	/* A source deleted: its items, and the index forgets them. */
	assert_int_equal(watch_source_delete(fr), VG_OK);
	memset(&f, 0, sizeof(f));
	f.q = "harcèlement";
	a = find(&f, &total);
	assert_int_equal(total, 0);
	json_decref(a);
	assert_int_equal(count("SELECT count(*) FROM watch_items"), 2);
	assert_int_equal(watch_source_delete(en), VG_OK);
	assert_int_equal(count("SELECT count(*) FROM watch_items_fts"), 0);
}

static void
collect(const struct watch_outcome *o, void *arg)
{
	json_t *ids = arg;

	json_array_append_new(ids, json_integer(o->id));
	assert_true(o->failed);
	if (strstr(o->error, "réseau privé") == NULL)
		fail_msg("source %lld: %s", (long long)o->id, o->error);
}

static void
test_round(void **state)
{
	vg_config c;
	json_t *ids = json_array();
	int64_t now = 1790000000;
	int failed;

	(void)state;
	vg_config_defaults(&c);
	c.watch_interval = 3600;
	c.watch_timeout = 5;
	c.url_check_private = false;
	/* Never read; read 30 min ago; read 2 h ago; failed twice 3 h ago
	 * (waits 4 h); failed once 3 h ago (waits 2 h); inactive. */
	exec_sql("INSERT INTO watch_sources (id, url, name, created, "
	    "last_fetch, failures, active) VALUES "
	    "(101, 'http://127.0.0.1:9/a', 'a', 'x', NULL, 0, 1), "
	    "(102, 'http://127.0.0.1:9/b', 'b', 'x', "
	    "datetime(1790000000 - 1800, 'unixepoch'), 0, 1), "
	    "(103, 'http://127.0.0.1:9/c', 'c', 'x', "
	    "datetime(1790000000 - 7200, 'unixepoch'), 0, 1), "
	    "(104, 'http://10.0.0.1/d', 'd', 'x', "
	    "datetime(1790000000 - 10800, 'unixepoch'), 2, 1), "
	    "(105, 'http://[::1]/e', 'e', 'x', "
	    "datetime(1790000000 - 10800, 'unixepoch'), 1, 1), "
	    "(106, 'http://127.0.0.1:9/f', 'f', 'x', NULL, 0, 0)");
	assert_int_equal(watch_round(&c, true, now, collect, ids, &failed),
	    VG_OK);
	assert_int_equal(json_array_size(ids), 3);
	assert_int_equal(json_integer_value(json_array_get(ids, 0)), 101);
	assert_int_equal(json_integer_value(json_array_get(ids, 1)), 103);
	assert_int_equal(json_integer_value(json_array_get(ids, 2)), 105);
	assert_int_equal(failed, 3);
	/* Refused before connecting: the error and one more failure, no
	 * item. */
	assert_int_equal(count("SELECT failures FROM watch_sources WHERE id = "
	    "105"), 2);
	assert_int_equal(count("SELECT count(*) FROM watch_items"), 0);
	/* Not timed: every active source. */
	json_array_clear(ids);
	assert_int_equal(watch_round(&c, false, now, collect, ids, &failed),
	    VG_OK);
	assert_int_equal(json_array_size(ids), 5);
	json_decref(ids);
	exec_sql("DELETE FROM watch_sources");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_themes),
		cmocka_unit_test(test_source_check),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_round),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
