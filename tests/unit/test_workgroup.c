/*
 * test_workgroup.c — the working group's storage over a real SQLite file
 * in a temporary directory: types of attachments recognised by content,
 * the checks of a case, who may read a case (members, named members,
 * others), attachments sealed and opened again, notifications queued for
 * followers but the author, the audit chain still verified, and the purge
 * of closed cases with everything attached, at a fixed clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "reports/reports.h"
#include "workgroup/workgroup_int.h"

#define NOW INT64_C(1772452800)         /* 2026-03-02 12:00 UTC */
#define DAY INT64_C(86400)

static char tmpdir[256];
static int64_t users[4];                /* 0-2 members, 3 outside */
static vg_keys keys;

static int64_t
add_user(const char *email)
{
	static const char q[] = "INSERT INTO users (email, password_hash, "
	    "role, status, name, created_at) "
	    "VALUES (?, 'x', 'professional', 'active', ?, 0)";
	vg_stmt *st;

	assert_int_equal(vg_db_prepare(vg_db_thread(), q, &st), VG_OK);
	vg_stmt_bind_text(st, 1, email);
	vg_stmt_bind_text(st, 2, email);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);
	return vg_db_last_id(vg_db_thread());
}

static int64_t
count(const char *sql)
{
	vg_stmt *st;
	bool row;
	int64_t n = -1;

	assert_int_equal(vg_db_prepare(vg_db_thread(), sql, &st), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	if (row)
		n = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return n;
}

/* The number of notifications waiting for user. */
static int64_t
waiting(int64_t user)
{
	vg_stmt *st;
	bool row;
	int64_t n = -1;

	assert_int_equal(vg_db_prepare(vg_db_thread(), "SELECT count(*) FROM "
	    "wg_notifications WHERE user_id = ?", &st), VG_OK);
	vg_stmt_bind_int(st, 1, user);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	if (row)
		n = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return n;
}

static int
setup(void **state)
{
	char p[512], email[64];
	int64_t id;
	size_t i;

	(void)state;
	vg_log_set_level(VG_LOG_ERROR);
	if (vg_crypto_init() != VG_OK)
		return -1;
	memset(&keys, 0x5a, sizeof(keys));
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-workgroup-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/vigie.db", tmpdir);
	vg_db_set_thread_path(p);
	if (vg_db_thread() == NULL ||
	    vg_db_migrate(vg_db_thread(), VIGIE_SRCDIR "/sql") != VG_OK)
		return -1;
	for (i = 0; i < VG_ARRAY_LEN(users); i++) {
		snprintf(email, sizeof(email), "pro%zu@exemple.fr", i);
		users[i] = add_user(email);
		if (i < 3 && wg_member_add(users[0], email, &id) != VG_OK)
			return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	vg_db_thread_close();
	vg_db_set_thread_path(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t
new_case(bool restricted, const int64_t *named, size_t n)
{
	struct wg_case_input in = {
		.title = "Menaces sur une messagerie",
		.summary = "Une adolescente reçoit des menaces.",
		.kinds = "menaces harcelement", .departement = "42",
		.professions = "education", .restricted = restricted,
		.named = named, .nnamed = n,
	};
	const char *why, *field;
	int64_t id = 0;

	assert_int_equal(wg_case_check(&in, &why, &field), VG_OK);
	assert_int_equal(wg_case_create(&keys, users[0], &in, NOW, &id, &why),
	    VG_OK);
	return id;
}

static void
test_sniff(void **state)
{
	static const unsigned char odt[] = "PK\x03\x04" "0123456789"
	    "0123456789012345" "mimetypeapplication/vnd.oasis.opendocument."
	    "text";
	static const unsigned char exe[] = "MZ\x90\x00\x03";

	(void)state;
	assert_string_equal(wg_sniff((const unsigned char *)"%PDF-1.7\n", 9),
	    "application/pdf");
	assert_string_equal(wg_sniff((const unsigned char *)
	    "\x89PNG\r\n\x1a\n....", 12), "image/png");
	assert_string_equal(wg_sniff((const unsigned char *)"\xff\xd8\xff\xe0",
	    4), "image/jpeg");
	assert_string_equal(wg_sniff(odt, sizeof(odt) - 1),
	    "application/vnd.oasis.opendocument.text");
	assert_string_equal(wg_sniff((const unsigned char *)
	    "Compte rendu\tété\r\n", strlen("Compte rendu\tété\r\n")),
	    "text/plain");
	/* A program, a text with a control character, broken UTF-8, an
	 * empty file, a zip that is not a text document. */
	assert_null(wg_sniff(exe, sizeof(exe) - 1));
	assert_null(wg_sniff((const unsigned char *)"abc\x01", 4));
	assert_null(wg_sniff((const unsigned char *)"\xc3\x28", 2));
	assert_null(wg_sniff((const unsigned char *)"", 0));
	assert_null(wg_sniff((const unsigned char *)"PK\x03\x04zzzz", 8));
}

static void
test_case_checks(void **state)
{
	struct wg_case_input ok = {
		.title = "Titre", .summary = "Résumé", .kinds = "intime",
		.professions = "sante justice",
	}, in;
	const char *why, *field;

	(void)state;
	assert_int_equal(wg_case_check(&ok, &why, &field), VG_OK);
	in = ok;
	in.title = "";
	assert_int_equal(wg_case_check(&in, &why, &field), VG_EINVAL);
	assert_string_equal(field, "title");
	in = ok;
	in.kinds = "intime inconnu";
	assert_int_equal(wg_case_check(&in, &why, &field), VG_EINVAL);
	assert_string_equal(field, "kinds");
	in = ok;
	in.kinds = "   ";
	assert_int_equal(wg_case_check(&in, &why, &field), VG_EINVAL);
	in = ok;
	in.professions = NULL;
	assert_int_equal(wg_case_check(&in, &why, &field), VG_EINVAL);
	assert_string_equal(field, "professions");
	assert_null(wg_status_label("archive"));
	assert_non_null(wg_status_label("closed"));
}

static void
test_access(void **state)
{
	int64_t named[] = {users[1]};
	int64_t open, hidden;
	const char *why;
	json_t *o, *list;
	struct wg_case_input in = {
		.title = "t", .summary = "s", .kinds = "autre",
		.professions = "sante", .restricted = true,
		.named = (int64_t[]){users[3]}, .nnamed = 1,
	};
	int64_t id;

	(void)state;
	open = new_case(false, NULL, 0);
	hidden = new_case(true, named, 1);
	assert_int_equal(wg_case_get(&keys, users[2], open, &o), VG_OK);
	assert_string_equal(json_string_value(json_object_get(o, "title")),
	    "Menaces sur une messagerie");
	json_decref(o);
	assert_int_equal(wg_case_get(&keys, users[1], hidden, &o), VG_OK);
	json_decref(o);
	assert_int_equal(wg_case_get(&keys, users[0], hidden, &o), VG_OK);
	json_decref(o);
	/* Not named, not a member, no such case: the same answer. */
	assert_int_equal(wg_case_get(&keys, users[2], hidden, &o),
	    VG_ENOTFOUND);
	assert_int_equal(wg_case_get(&keys, users[3], open, &o), VG_ENOTFOUND);
	assert_int_equal(wg_case_get(&keys, users[0], 99999, &o),
	    VG_ENOTFOUND);
	assert_int_equal(wg_case_set_status(users[2], hidden, "closed", NOW),
	    VG_ENOTFOUND);
	assert_int_equal(wg_case_list(&keys, users[2], &list), VG_OK);
	for (size_t i = 0; i < json_array_size(list); i++)
		assert_int_not_equal(json_integer_value(json_object_get(
		    json_array_get(list, i), "id")), hidden);
	json_decref(list);
	assert_int_equal(wg_case_list(&keys, users[3], &list), VG_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	/* Naming someone outside the group writes nothing. */
	id = count("SELECT count(*) FROM wg_cases");
	assert_int_equal(wg_case_create(&keys, users[0], &in, NOW, &id, &why),
	    VG_EINVAL);
	assert_int_equal(count("SELECT count(*) FROM wg_cases"), 2);
	/* A member removed loses the restricted case. */
	assert_int_equal(wg_member_remove(users[0], users[1]), VG_OK);
	assert_int_equal(wg_case_get(&keys, users[1], hidden, &o),
	    VG_ENOTFOUND);
	assert_int_equal(wg_member_add(users[0], "pro1@exemple.fr", &id),
	    VG_OK);
	assert_int_equal(wg_case_get(&keys, users[1], hidden, &o),
	    VG_ENOTFOUND);
	assert_int_equal(wg_case_get(&keys, users[1], open, &o), VG_OK);
	json_decref(o);
}

static void
test_contribution_and_purge(void **state)
{
	static const unsigned char pdf[] = "%PDF-1.4 secret du dossier";
	struct wg_file f = {"note.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1};
	int64_t id, cid, purged, att;
	char *name, *type;
	unsigned char *data;
	size_t size;
	int64_t bad;

	(void)state;
	id = new_case(false, NULL, 0);
	assert_int_equal(wg_case_follow(users[1], id, true), VG_OK);
	assert_int_equal(wg_contribution_add(&keys, users[1], id, "Avis.",
	    false, &f, 1, NOW, &cid), VG_OK);
	/* The author of the case follows it; the author of the
	 * contribution is not told. */
	assert_int_equal(waiting(users[0]), 1);
	assert_int_equal(waiting(users[1]), 0);
	assert_int_equal(waiting(users[2]), 0);
	att = count("SELECT max(id) FROM wg_attachments");
	assert_int_equal(wg_attachment_get(&keys, users[2], id, att, &name,
	    &type, &data, &size), VG_OK);
	assert_string_equal(name, "note.pdf");
	assert_int_equal(size, sizeof(pdf) - 1);
	assert_memory_equal(data, pdf, size);
	free(name);
	free(type);
	free(data);
	assert_int_equal(wg_attachment_get(&keys, users[3], id, att, &name,
	    &type, &data, &size), VG_ENOTFOUND);
	assert_null(data);
	assert_int_equal(count("SELECT count(*) FROM wg_attachments WHERE "
	    "instr(data, 'secret') > 0"), 0);

	assert_int_equal(wg_case_set_status(users[0], id, "closed", NOW),
	    VG_OK);
	assert_int_equal(wg_purge_at(365, NOW + 364 * DAY, &purged), VG_OK);
	assert_int_equal(purged, 0);
	assert_int_equal(wg_purge_at(365, NOW + 366 * DAY, &purged), VG_OK);
	assert_int_equal(purged, 1);
	assert_int_equal(count("SELECT count(*) FROM wg_attachments WHERE "
	    "contribution_id NOT IN (SELECT id FROM wg_contributions)"), 0);
	assert_int_equal(count("SELECT count(*) FROM wg_contributions WHERE "
	    "case_id NOT IN (SELECT id FROM wg_cases)"), 0);
	assert_int_equal(count("SELECT count(*) FROM wg_notifications WHERE "
	    "case_id NOT IN (SELECT id FROM wg_cases)"), 0);
	/* The purge left the audit chain whole. */
	assert_int_equal(reports_audit_verify(&purged, &bad), VG_OK);
	assert_true(purged > 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_case_checks),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_contribution_and_purge),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
