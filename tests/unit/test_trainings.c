/*
 * test_trainings.c — the waiting list (capacity, positions, moving up,
 * duplicates, past sessions, capacity lowered and raised, concurrent
 * registrations), the checks of the editors' fields, Europe/Paris times,
 * attendance, the calendar file, the CSV export and the reminders' claim,
 * over a real SQLite file in a temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/territory.h"
#include "resources/resources.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/when.h"
#include "db/db.h"
#include "trainings/trainings_int.h"

/* A fixed clock: 2026-03-02 12:00 UTC.  Sessions are dated after (or
 * before) it. */
#define NOW INT64_C(1772452800)
#define DAY INT64_C(86400)

static char tmpdir[256];
static int64_t users[12];

static int64_t
add_user(const char *email, const char *name)
{
	static const char q[] = "INSERT INTO users (email, password_hash, "
	    "role, status, name, created_at) "
	    "VALUES (?, 'x', 'professional', 'active', ?, 0)";
	vg_stmt *st;

	assert_int_equal(vg_db_prepare(vg_db_thread(), q, &st), VG_OK);
	vg_stmt_bind_text(st, 1, email);
	vg_stmt_bind_text(st, 2, name);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);
	return vg_db_last_id(vg_db_thread());
}

static int
setup(void **state)
{
	char p[512];
	size_t i;

	(void)state;
	vg_log_set_level(VG_LOG_ERROR);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-trainings-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/vigie.db", tmpdir);
	vg_db_set_thread_path(p);
	if (vg_db_thread() == NULL ||
	    vg_db_migrate(vg_db_thread(), VIGIE_SRCDIR "/sql") != VG_OK)
		return -1;
	/* Themes and départements are checked against the shared data. */
	if (resources_content_check(VIGIE_SRCDIR, p, sizeof(p)) != VG_OK ||
	    vg_territory_load(VIGIE_SRCDIR, p, sizeof(p)) != VG_OK) {
		print_error("%s\n", p);
		return -1;
	}
	for (i = 0; i < VG_ARRAY_LEN(users); i++) {
		char email[64], name[64];

		snprintf(email, sizeof(email), "pro%zu@exemple.fr", i);
		snprintf(name, sizeof(name), "Personne %zu", i);
		users[i] = add_user(email, name);
	}
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	resources_content_free();
	vg_territory_free();
	vg_db_thread_close();
	vg_db_set_thread_path(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A training (published or not), checked and saved. */
static int64_t
training(const char *format, bool published)
{
	struct tr_training_input in = {
		.title = "Repérer les cyberviolences",
		.objectives = "- reconnaître\n- orienter",
		.audience = "Professionnel·les de l'enfance",
		.format = format, .trainer = "Équipe du pôle",
		.themes = "harcelement droit", .duration = 120,
		.published = published,
	};
	const char *why, *field;
	int64_t id;

	assert_int_equal(trainings_check(&in, &why, &field), VG_OK);
	assert_int_equal(trainings_save(0, &in, NOW, &id), VG_OK);
	return id;
}

/* A session of tid on the UTC day of t (Paris 10:00–12:00). */
static int64_t
session_at(int64_t tid, int64_t t, int capacity, int64_t sid)
{
	struct tr_session_input in;
	char day[16];
	const char *why = NULL, *field = NULL;
	int64_t starts, ends, id;
	tr_ids promoted = {NULL, 0};

	vg_time_text(t, "%Y-%m-%d", day, sizeof(day));
	memset(&in, 0, sizeof(in));
	in.day = day;
	in.start = "10:00";
	in.end = "12:00";
	in.place = "Maison des associations, 3 rue Neuve, Saint-Étienne";
	in.departement = "42";
	in.capacity = capacity;
	assert_int_equal(trainings_session_check(&in, "onsite", &starts, &ends,
	    &why, &field), VG_OK);
	assert_int_equal(trainings_session_save(sid, tid, &in, starts, ends,
	    NOW, &id, &promoted), VG_OK);
	tr_ids_free(&promoted);
	return id;
}

static const char *
status_of(int64_t sid, int64_t uid, int *pos)
{
	static char buf[16];
	json_t *o;

	if (trainings_registration_of(sid, uid, &o) != VG_OK)
		return "none";
	snprintf(buf, sizeof(buf), "%s", json_string_value(json_object_get(o,
	    "status")));
	*pos = (int)json_integer_value(json_object_get(o, "position"));
	json_decref(o);
	return buf;
}

static vg_rc
reg(int64_t sid, int64_t uid, struct tr_outcome *out)
{
	const char *why = NULL;
	vg_rc rc = trainings_register(sid, uid, NOW, out, &why);

	if (rc != VG_OK)
		assert_non_null(why);   /* every refusal says why, in French */
	return rc;
}

/* --- the waiting list ------------------------------------------------------- */

static void
test_fill_and_wait(void **state)
{
	int64_t tid = training("onsite", true);
	int64_t sid = session_at(tid, NOW + 10 * DAY, 2, 0);
	struct tr_outcome o;
	int pos = -1;

	(void)state;
	assert_int_equal(reg(sid, users[0], &o), VG_OK);
	assert_string_equal(o.status, "registered");
	assert_int_equal(o.position, 0);
	assert_true(o.registration > 0);
	assert_int_equal(reg(sid, users[1], &o), VG_OK);
	assert_string_equal(o.status, "registered");
	/* Full: the next ones wait, in order. */
	assert_int_equal(reg(sid, users[2], &o), VG_OK);
	assert_string_equal(o.status, "waiting");
	assert_int_equal(o.position, 1);
	assert_int_equal(reg(sid, users[3], &o), VG_OK);
	assert_string_equal(o.status, "waiting");
	assert_int_equal(o.position, 2);
	assert_string_equal(status_of(sid, users[3], &pos), "waiting");
	assert_int_equal(pos, 2);
	assert_string_equal(status_of(sid, users[9], &pos), "none");
}

static void
test_duplicate_refused(void **state)
{
	int64_t tid = training("onsite", true);
	int64_t sid = session_at(tid, NOW + 10 * DAY, 1, 0);
	struct tr_outcome o;
	int pos;

	(void)state;
	assert_int_equal(reg(sid, users[0], &o), VG_OK);
	assert_int_equal(reg(sid, users[0], &o), VG_ECONFLICT);
	assert_null(o.status);
	assert_int_equal(reg(sid, users[1], &o), VG_OK);
	assert_string_equal(o.status, "waiting");
	/* Already waiting is a duplicate too, and keeps the place. */
	assert_int_equal(reg(sid, users[1], &o), VG_ECONFLICT);
	assert_string_equal(status_of(sid, users[1], &pos), "waiting");
	assert_int_equal(pos, 1);
}

static void
test_cancel_moves_first_up(void **state)
{
	int64_t tid = training("onsite", true);
	int64_t sid = session_at(tid, NOW + 10 * DAY, 2, 0);
	struct tr_outcome o, c;
	int64_t third;
	const char *why;
	int pos;

	(void)state;
	reg(sid, users[0], &o);
	reg(sid, users[1], &o);
	reg(sid, users[2], &o);
	third = o.registration;
	reg(sid, users[3], &o);
	assert_int_equal(trainings_cancel(sid, users[0], NOW, &c, &why), VG_OK);
	assert_string_equal(c.status, "cancelled");
	/* The first waiting, and only that one, moved up. */
	assert_int_equal(c.promoted.n, 1);
	assert_int_equal(c.promoted.v[0], third);
	tr_ids_free(&c.promoted);
	assert_string_equal(status_of(sid, users[2], &pos), "registered");
	assert_string_equal(status_of(sid, users[3], &pos), "waiting");
	assert_int_equal(pos, 1);
	assert_string_equal(status_of(sid, users[0], &pos), "cancelled");
	/* Cancelling twice: not registered any more. */
	assert_int_equal(trainings_cancel(sid, users[0], NOW, &c, &why),
	    VG_ENOTFOUND);
	assert_non_null(why);
	assert_int_equal(trainings_cancel(sid, users[8], NOW, &c, &why),
	    VG_ENOTFOUND);
	/* Registering again goes to the end of the queue. */
	assert_int_equal(reg(sid, users[0], &o), VG_OK);
	assert_string_equal(o.status, "waiting");
	assert_int_equal(o.position, 2);
}

static void
test_cancel_waiting_reorders(void **state)
{
	int64_t tid = training("onsite", true);
	int64_t sid = session_at(tid, NOW + 10 * DAY, 1, 0);
	struct tr_outcome o, c;
	const char *why;
	int pos;

	(void)state;
	reg(sid, users[0], &o);
	reg(sid, users[1], &o);
	reg(sid, users[2], &o);
	reg(sid, users[3], &o);
	assert_int_equal(o.position, 3);
	/* The first one waiting leaves: nobody is promoted, the others
	 * move forward. */
	assert_int_equal(trainings_cancel(sid, users[1], NOW, &c, &why), VG_OK);
	assert_int_equal(c.promoted.n, 0);
	assert_string_equal(status_of(sid, users[0], &pos), "registered");
	assert_string_equal(status_of(sid, users[2], &pos), "waiting");
	assert_int_equal(pos, 1);
	assert_string_equal(status_of(sid, users[3], &pos), "waiting");
	assert_int_equal(pos, 2);
}

static void
test_past_session_refused(void **state)
{
	int64_t tid = training("onsite", true);
	int64_t past = session_at(tid, NOW - 3 * DAY, 5, 0);
	/* Today 10:00 Paris is 09:00 UTC, before NOW (12:00 UTC): started. */
	int64_t today = session_at(tid, NOW, 5, 0);
	int64_t later = session_at(tid, NOW + DAY, 5, 0);
	struct tr_outcome o;
	const char *why = NULL;

	(void)state;
	assert_int_equal(reg(past, users[0], &o), VG_EINVAL);
	assert_int_equal(reg(today, users[0], &o), VG_EINVAL);
	assert_int_equal(reg(later, users[0], &o), VG_OK);
	/* Once it has started, no cancellation online either. */
	assert_int_equal(trainings_cancel(later, users[0], NOW + 2 * DAY, &o,
	    &why), VG_EINVAL);
	assert_non_null(why);
	assert_int_equal(trainings_register(later, users[1], NOW + 2 * DAY, &o,
	    &why), VG_EINVAL);
	/* Nothing was written by the refusals. */
	{
		int pos;

		assert_string_equal(status_of(past, users[0], &pos), "none");
		assert_string_equal(status_of(later, users[1], &pos), "none");
		assert_string_equal(status_of(later, users[0], &pos),
		    "registered");
	}
}

static void
test_unpublished_and_unknown(void **state)
{
	int64_t tid = training("onsite", false);
	int64_t sid = session_at(tid, NOW + 5 * DAY, 5, 0);
	struct tr_outcome o;

	(void)state;
	assert_int_equal(reg(sid, users[0], &o), VG_ENOTFOUND);
	assert_int_equal(reg(999999, users[0], &o), VG_ENOTFOUND);
}

static void
test_capacity_lowered_then_raised(void **state)
{
	int64_t tid = training("onsite", true);
	int64_t sid = session_at(tid, NOW + 10 * DAY, 3, 0);
	struct tr_outcome o, c;
	struct tr_session_input in;
	const char *why, *field;
	int64_t starts, ends, id, w1, w2;
	tr_ids promoted = {NULL, 0};
	int pos;

	(void)state;
	reg(sid, users[0], &o);
	reg(sid, users[1], &o);
	reg(sid, users[2], &o);
	reg(sid, users[3], &o);
	w1 = o.registration;
	reg(sid, users[4], &o);
	w2 = o.registration;
	/* Lower to 1: the three registered stay registered. */
	session_at(tid, NOW + 10 * DAY, 1, sid);
	assert_string_equal(status_of(sid, users[0], &pos), "registered");
	assert_string_equal(status_of(sid, users[1], &pos), "registered");
	assert_string_equal(status_of(sid, users[2], &pos), "registered");
	/* A cancellation frees no place while over capacity. */
	assert_int_equal(trainings_cancel(sid, users[0], NOW, &c, &why), VG_OK);
	assert_int_equal(c.promoted.n, 0);
	assert_string_equal(status_of(sid, users[3], &pos), "waiting");
	assert_int_equal(pos, 1);
	/* A new person waits too, behind the others. */
	assert_int_equal(reg(sid, users[5], &o), VG_OK);
	assert_string_equal(o.status, "waiting");
	assert_int_equal(o.position, 3);
	/* Raise to 4: two places, the first two waiting move up. */
	memset(&in, 0, sizeof(in));
	{
		char day[16];

		vg_time_text(NOW + 10 * DAY, "%Y-%m-%d", day, sizeof(day));
		in.day = day;
		in.start = "10:00";
		in.end = "12:00";
		in.place = "Salle 2";
		in.departement = "42";
		in.capacity = 4;
		assert_int_equal(trainings_session_check(&in, "onsite",
		    &starts, &ends, &why, &field), VG_OK);
		assert_int_equal(trainings_session_save(sid, tid, &in, starts,
		    ends, NOW, &id, &promoted), VG_OK);
	}
	assert_int_equal(id, sid);
	assert_int_equal(promoted.n, 2);
	assert_int_equal(promoted.v[0], w1);
	assert_int_equal(promoted.v[1], w2);
	tr_ids_free(&promoted);
	assert_string_equal(status_of(sid, users[5], &pos), "waiting");
	assert_int_equal(pos, 1);
}

struct racer {
	int64_t sid, uid;
	vg_rc rc;
	const char *status;
	int position;
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	struct tr_outcome o;
	const char *why;

	r->rc = trainings_register(r->sid, r->uid, NOW, &o, &why);
	r->status = o.status;
	r->position = o.position;
	return NULL;
}

static void
test_concurrent_registrations(void **state)
{
	int64_t tid = training("onsite", true);
	int64_t sid = session_at(tid, NOW + 10 * DAY, 3, 0);
	struct racer r[8];
	pthread_t th[8];
	int registered = 0, seen = 0;
	size_t i;

	(void)state;
	for (i = 0; i < 8; i++) {
		r[i].sid = sid;
		r[i].uid = users[i];
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 8; i++) {
		assert_int_equal(r[i].rc, VG_OK);
		if (!strcmp(r[i].status, "registered"))
			registered++;
		else
			seen |= 1 << r[i].position;
	}
	/* Exactly the capacity, and positions 1 to 5 each given once. */
	assert_int_equal(registered, 3);
	assert_int_equal(seen, 0x3e);
}

/* --- checks ------------------------------------------------------------------- */

static void
test_training_checks(void **state)
{
	struct tr_training_input ok = {
		.title = "T", .objectives = "O", .audience = "A",
		.format = "remote", .trainer = "F", .themes = "mineurs",
		.duration = 90,
	}, in;
	const char *why, *field;

	(void)state;
	assert_int_equal(trainings_check(&ok, &why, &field), VG_OK);
	in = ok;
	in.title = NULL;
	assert_int_equal(trainings_check(&in, &why, &field), VG_EINVAL);
	assert_string_equal(field, "title");
	assert_non_null(strstr(why, "titre"));
	in = ok;
	in.duration = 0;
	assert_int_equal(trainings_check(&in, &why, &field), VG_EINVAL);
	assert_string_equal(field, "duration");
	in.duration = TR_DURATION_MAX + 1;
	assert_int_equal(trainings_check(&in, &why, &field), VG_EINVAL);
	in = ok;
	in.format = "hybride";
	assert_int_equal(trainings_check(&in, &why, &field), VG_EINVAL);
	assert_string_equal(field, "format");
	in = ok;
	in.themes = "mineurs inconnu";
	assert_int_equal(trainings_check(&in, &why, &field), VG_EINVAL);
	assert_string_equal(field, "themes");
	in.themes = "";
	assert_int_equal(trainings_check(&in, &why, &field), VG_EINVAL);
	assert_string_equal(field, "themes");
	in = ok;
	in.trainer = NULL;
	assert_int_equal(trainings_check(&in, &why, &field), VG_EINVAL);
	assert_string_equal(field, "trainer");
}

static const char *
session_field(const char *day, const char *start, const char *end,
    const char *dep, const char *link, int capacity, const char *survey,
    const char *format)
{
	struct tr_session_input in;
	const char *why = NULL, *field = NULL;
	int64_t s, e;

	memset(&in, 0, sizeof(in));
	in.day = day;
	in.start = start;
	in.end = end;
	in.place = "Salle";
	in.departement = dep;
	in.link = link;
	in.capacity = capacity;
	in.survey_before = survey;
	if (trainings_session_check(&in, format, &s, &e, &why, &field) ==
	    VG_OK)
		return "ok";
	assert_non_null(why);
	return field;
}

static void
test_session_checks(void **state)
{
	(void)state;
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "42",
	    NULL, 10, NULL, "onsite"), "ok");
	assert_string_equal(session_field("2026-02-30", "09:00", "12:00", "42",
	    NULL, 10, NULL, "onsite"), "day");
	assert_string_equal(session_field("12/05/2026", "09:00", "12:00", "42",
	    NULL, 10, NULL, "onsite"), "day");
	assert_string_equal(session_field("2026-05-12", "9:00", "12:00", "42",
	    NULL, 10, NULL, "onsite"), "start");
	assert_string_equal(session_field("2026-05-12", "09:00", "24:00", "42",
	    NULL, 10, NULL, "onsite"), "end");
	assert_string_equal(session_field("2026-05-12", "12:00", "09:00", "42",
	    NULL, 10, NULL, "onsite"), "end");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "42",
	    NULL, 0, NULL, "onsite"), "capacity");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "42",
	    NULL, TR_CAPACITY_MAX + 1, NULL, "onsite"), "capacity");
	/* Départements: shape only for now (see departement_shape()). */
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "2A",
	    NULL, 10, NULL, "onsite"), "ok");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "974",
	    NULL, 10, NULL, "onsite"), "ok");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "20",
	    NULL, 10, NULL, "onsite"), "departement");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "4",
	    NULL, 10, NULL, "onsite"), "departement");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "979",
	    NULL, 10, NULL, "onsite"), "departement");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", NULL,
	    NULL, 10, NULL, "onsite"), "departement");
	/* Remote: a link, https only. */
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", NULL,
	    "https://visio.exemple.fr/salle", 10, NULL, "remote"), "ok");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", NULL,
	    "http://visio.exemple.fr/salle", 10, NULL, "remote"), "link");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", NULL,
	    "https://a b", 10, NULL, "remote"), "link");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", NULL,
	    NULL, 10, NULL, "remote"), "link");
	/* Questionnaires: an identifier. */
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "42",
	    NULL, 10, "avant-2026_1", "onsite"), "ok");
	assert_string_equal(session_field("2026-05-12", "09:00", "12:00", "42",
	    NULL, 10, "../q", "onsite"), "survey_before");
}

static void
test_paris_time(void **state)
{
	int64_t t;
	char s[32];

	(void)state;
	/* Winter: UTC+1; summer: UTC+2. */
	assert_true(trainings_paris_utc("2026-01-15", "09:30", &t));
	vg_time_text(t, "%Y-%m-%d %H:%M", s, sizeof(s));
	assert_string_equal(s, "2026-01-15 08:30");
	assert_true(trainings_paris_utc("2026-07-15", "09:30", &t));
	vg_time_text(t, "%Y-%m-%d %H:%M", s, sizeof(s));
	assert_string_equal(s, "2026-07-15 07:30");
	/* 29 March 2026: clocks go forward at 02:00 local (01:00 UTC). */
	assert_true(trainings_paris_utc("2026-03-29", "01:30", &t));
	vg_time_text(t, "%H:%M", s, sizeof(s));
	assert_string_equal(s, "00:30");
	assert_true(trainings_paris_utc("2026-03-29", "03:30", &t));
	vg_time_text(t, "%H:%M", s, sizeof(s));
	assert_string_equal(s, "01:30");
	/* 25 October 2026: back at 03:00 local (01:00 UTC). */
	assert_true(trainings_paris_utc("2026-10-25", "04:00", &t));
	vg_time_text(t, "%H:%M", s, sizeof(s));
	assert_string_equal(s, "03:00");
	assert_true(trainings_paris_utc("2026-10-24", "04:00", &t));
	vg_time_text(t, "%H:%M", s, sizeof(s));
	assert_string_equal(s, "02:00");
	trainings_paris_text(t, "%H:%M", s, sizeof(s));
	assert_string_equal(s, "04:00");
	assert_false(trainings_paris_utc("2026-10-24", "4:00", &t));
	assert_false(trainings_paris_utc("2026-10-24", "04:60", &t));
	assert_false(trainings_paris_utc("2026-13-01", "04:00", &t));
}

/* --- attendance ------------------------------------------------------------------ */

static const char *
attendance_of(int64_t rid)
{
	static const char q[] = "SELECT attendance FROM training_registrations "
	    "WHERE id = ?";
	static char buf[16];
	vg_stmt *st;
	bool row;

	assert_int_equal(vg_db_prepare(vg_db_thread(), q, &st), VG_OK);
	vg_stmt_bind_int(st, 1, rid);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	snprintf(buf, sizeof(buf), "%s", vg_stmt_text(st, 0));
	vg_stmt_done(st);
	return buf;
}

static void
test_attendance(void **state)
{
	int64_t tid = training("onsite", true);
	int64_t sid = session_at(tid, NOW + 10 * DAY, 2, 0);
	int64_t other = session_at(tid, NOW + 11 * DAY, 2, 0);
	struct tr_outcome o;
	int64_t a, b, w, x, ids[2];
	const char *vals[2];

	(void)state;
	reg(sid, users[0], &o);
	a = o.registration;
	reg(sid, users[1], &o);
	b = o.registration;
	reg(sid, users[2], &o);
	w = o.registration;
	reg(other, users[0], &o);
	x = o.registration;
	ids[0] = a;
	vals[0] = "present";
	ids[1] = b;
	vals[1] = "absent";
	assert_int_equal(trainings_attendance_set(sid, ids, vals, 2), VG_OK);
	assert_string_equal(attendance_of(a), "present");
	assert_string_equal(attendance_of(b), "absent");
	/* A bad value: nothing written, not even the good one before it. */
	vals[0] = "unknown";
	vals[1] = "peut-être";
	assert_int_equal(trainings_attendance_set(sid, ids, vals, 2),
	    VG_EINVAL);
	assert_string_equal(attendance_of(a), "present");
	/* Another session's registration, or someone waiting: refused, and
	 * the whole batch undone. */
	vals[1] = "present";
	ids[1] = x;
	assert_int_equal(trainings_attendance_set(sid, ids, vals, 2),
	    VG_EINVAL);
	assert_string_equal(attendance_of(a), "present");
	assert_string_equal(attendance_of(x), "unknown");
	ids[1] = w;
	assert_int_equal(trainings_attendance_set(sid, ids, vals, 2),
	    VG_EINVAL);
	assert_string_equal(attendance_of(w), "unknown");
}

/* --- output ------------------------------------------------------------------ */

static void
test_ics(void **state)
{
	json_t *s = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:b, "
	    "s:{s:s, s:s, s:s, s:s}}", "id", (json_int_t)7,
	    "starts_at", (json_int_t)1778573400, "ends_at",
	    (json_int_t)1778580600, "place", "Salle; «Éole», 2e étage\\B",
	    "departement", "42", "link", "https://visio.exemple.fr/x",
	    "remote", 0, "training", "title",
	    "Cyberviolences, législation ; et « procédures » — un titre assez "
	    "long pour être plié au moins deux fois, avec des accents éèàç",
	    "format_label", "En présentiel", "trainer", "Équipe",
	    "audience", "Tous\nles professionnels");
	vg_buf b = VG_BUF_INIT;
	char *text, *line, *save = NULL, *unfolded;
	size_t i, j;

	(void)state;
	assert_non_null(s);
	assert_int_equal(trainings_ics(s, "asso.test", false, 1772452800, &b),
	    VG_OK);
	vg_buf_putc(&b, '\0');
	text = b.data;
	/* Every line ends in CRLF and is at most 75 octets. */
	for (i = 0; text[i] != '\0'; i++)
		if (text[i] == '\n')
			assert_true(i > 0 && text[i - 1] == '\r');
	{
		char *copy = strdup(text);

		for (line = strtok_r(copy, "\r\n", &save); line != NULL;
		    line = strtok_r(NULL, "\r\n", &save)) {
			assert_true(strlen(line) <= 75);
			/* Never cut inside a UTF-8 character. */
			assert_true(((unsigned char)line[line[0] == ' ' ? 1 : 0] &
			    0xC0) != 0x80);
		}
		free(copy);
	}
	assert_non_null(strstr(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(text, "UID:formation-session-7@asso.test\r\n"));
	assert_non_null(strstr(text, "DTSTAMP:20260302T120000Z\r\n"));
	assert_non_null(strstr(text, "DTSTART:20260512T081000Z\r\n"));
	assert_non_null(strstr(text, "DTEND:20260512T101000Z\r\n"));
	assert_non_null(strstr(text, "END:VEVENT\r\nEND:VCALENDAR\r\n"));
	/* No link unless asked. */
	assert_null(strstr(text, "URL:"));
	/* Unfold, then look at the escaping. */
	unfolded = malloc(strlen(text) + 1);
	for (i = j = 0; text[i] != '\0'; i++) {
		if (text[i] == '\r' && text[i + 1] == '\n' && text[i + 2] == ' ') {
			i += 2;
			continue;
		}
		unfolded[j++] = text[i];
	}
	unfolded[j] = '\0';
	assert_non_null(strstr(unfolded, "SUMMARY:Cyberviolences\\, législation "
	    "\\; et « procédures » — un titre assez long pour être plié au "
	    "moins deux fois\\, avec des accents éèàç\r\n"));
	assert_non_null(strstr(unfolded, "LOCATION:Salle\\; «Éole»\\, 2e "
	    "étage\\\\B (42)\r\n"));
	assert_non_null(strstr(unfolded, "Tous\\nles professionnels"));
	free(unfolded);
	vg_buf_free(&b);
	assert_int_equal(trainings_ics(s, "asso.test", true, 1772452800, &b),
	    VG_OK);
	vg_buf_putc(&b, '\0');
	assert_non_null(strstr(b.data, "URL:https://visio.exemple.fr/x\r\n"));
	vg_buf_free(&b);
	json_decref(s);
}

static void
test_csv(void **state)
{
	json_t *list = json_pack("[{s:s, s:s, s:s, s:i, s:s, s:s}]",
	    "name", "Dupont, Marie", "email", "m@exemple.fr",
	    "status_label", "inscrit·e", "position", 0,
	    "attendance_label", "présent·e", "registered_at",
	    "2026-03-01 10:00");
	vg_buf b = VG_BUF_INIT;

	(void)state;
	trainings_registrations_csv(list, &b);
	vg_buf_putc(&b, '\0');
	assert_memory_equal(b.data, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(b.data, "\"Dupont, Marie\",m@exemple.fr,"
	    "inscrit·e,,présent·e,2026-03-01 10:00\r\n"));
	vg_buf_free(&b);
	json_decref(list);
}

/* --- reminders -------------------------------------------------------------------- */

static int64_t
reminded(int64_t rid)
{
	static const char q[] = "SELECT coalesce(reminded_at, 0) "
	    "FROM training_registrations WHERE id = ?";
	vg_stmt *st;
	bool row;
	int64_t v;

	assert_int_equal(vg_db_prepare(vg_db_thread(), q, &st), VG_OK);
	vg_stmt_bind_int(st, 1, rid);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	v = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return v;
}

static void
test_reminders_claim(void **state)
{
	int64_t tid = training("onsite", true);
	int64_t sid = session_at(tid, NOW + DAY, 5, 0);
	vg_config c;
	struct tr_outcome o;
	int sent = -1;

	(void)state;
	reg(sid, users[10], &o);
	memset(&c, 0, sizeof(c));
	/* No mail configured: nothing sent, nothing marked. */
	assert_int_equal(trainings_send_reminders_at(&c, NOW, &sent), VG_OK);
	assert_int_equal(sent, 0);
	assert_int_equal(reminded(o.registration), 0);
	/* A server that refuses: the claim is given back for the next run. */
	snprintf(c.smtp_url, sizeof(c.smtp_url), "smtp://127.0.0.1:1");
	snprintf(c.notifier_email, sizeof(c.notifier_email), "f@asso.test");
	assert_int_not_equal(trainings_send_reminders_at(&c, NOW, &sent),
	    VG_OK);
	assert_int_equal(sent, 0);
	assert_int_equal(reminded(o.registration), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_and_wait),
		cmocka_unit_test(test_duplicate_refused),
		cmocka_unit_test(test_cancel_moves_first_up),
		cmocka_unit_test(test_cancel_waiting_reorders),
		cmocka_unit_test(test_past_session_refused),
		cmocka_unit_test(test_unpublished_and_unknown),
		cmocka_unit_test(test_capacity_lowered_then_raised),
		cmocka_unit_test(test_concurrent_registrations),
		cmocka_unit_test(test_training_checks),
		cmocka_unit_test(test_session_checks),
		cmocka_unit_test(test_paris_time),
		cmocka_unit_test(test_attendance),
		cmocka_unit_test(test_ics),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_reminders_claim),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
