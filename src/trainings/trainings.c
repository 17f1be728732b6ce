/*
 * trainings.c — the training catalogue: trainings and sessions, the
 * registrations with their waiting list, attendance, reminders, and what
 * leaves the platform (mails, calendar files, exports).
 *
 * The waiting list is the 'waiting' registrations of a session in order
 * of seq (the order of arrival).  Every change of a session's
 * registrations takes the write lock first (vg_db_begin: BEGIN
 * IMMEDIATE), counts, and writes in the same transaction: two people can
 * never take the last place together.
 */
#include "trainings/trainings_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/csv.h"
#include "render/sheet.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/utf8.h"
#include "core/when.h"
#include "render/page.h"
#include "resources/resources.h"
#include "core/territory.h"

/* --- vocabularies ------------------------------------------------------------ */

/* Trainings are tagged with the resource centre's themes
 * (content/resources/themes.yaml), as are sheets and actors, so that one
 * vocabulary links the three. */
json_t *
trainings_theme_list(void)
{
	return json_deep_copy(resources_themes());
}

const char *
trainings_theme_label(const char *code)
{
	return resources_theme_label(code);
}

const char *
trainings_format_label(const char *format)
{
	if (format != NULL && !strcmp(format, "onsite"))
		return _("En présentiel");
	if (format != NULL && !strcmp(format, "remote"))
		return _("À distance");
	return NULL;
}

const char *
trainings_status_label(const char *status)
{
	if (status != NULL && !strcmp(status, "registered"))
		return _("inscrit·e");
	if (status != NULL && !strcmp(status, "waiting"))
		return _("liste d'attente");
	if (status != NULL && !strcmp(status, "cancelled"))
		return _("annulée");
	return "";
}

const char *
trainings_attendance_label(const char *attendance)
{
	if (attendance != NULL && !strcmp(attendance, "present"))
		return _("présent·e");
	if (attendance != NULL && !strcmp(attendance, "absent"))
		return _("absent·e");
	return _("non renseignée");
}

void
tr_ids_free(tr_ids *ids)
{
	free(ids->v);
	ids->v = NULL;
	ids->n = 0;
}

static vg_rc
ids_add(tr_ids *ids, int64_t id)
{
	int64_t *v = realloc(ids->v, (ids->n + 1) * sizeof(*v));

	if (v == NULL)
		return VG_ENOMEM;
	v[ids->n++] = id;
	ids->v = v;
	return VG_OK;
}

/* --- time -------------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* 0 = Sunday. */
static int
weekday(int64_t days)
{
	int64_t w = (days + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* 01:00 UTC on the last Sunday of month m of year y: when EU summer time
 * starts (March) and ends (October). */
static int64_t
eu_switch(int y, int m)
{
	int64_t last = days_from_civil(y, m + 1, 1) - 1;

	return (last - weekday(last)) * 86400 + 3600;
}

static bool
paris_summer(int64_t utc)
{
	time_t t = (time_t)utc;
	struct tm tm;
	int y;

	gmtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	return utc >= eu_switch(y, 3) && utc < eu_switch(y, 10);
}

static bool
parse_hhmm(const char *s, int *h, int *m)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':' ||
	    !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return false;
	*h = (s[0] - '0') * 10 + (s[1] - '0');
	*m = (s[3] - '0') * 10 + (s[4] - '0');
	return *h < 24 && *m < 60;
}

bool
trainings_paris_utc(const char *day, const char *hhmm, int64_t *out)
{
	int64_t midnight, local;
	int h, m;

	if (!vg_date_parse(day, &midnight) || !parse_hhmm(hhmm, &h, &m))
		return false;
	local = midnight + h * 3600 + m * 60;
	/* Summer time when the instant it would give falls in summer. */
	*out = paris_summer(local - 7200) ? local - 7200 : local - 3600;
	return true;
}

void
trainings_paris_text(int64_t t, const char *fmt, char *out, size_t n)
{
	vg_time_text(t + (paris_summer(t) ? 7200 : 3600), fmt, out, n);
}

/* "mardi 14 avril 2026" from "2026-04-14". */
static void
day_label(const char *day, char *out, size_t n)
{
	static const char *const days[] = {N_("dimanche"), N_("lundi"),
	    N_("mardi"), N_("mercredi"), N_("jeudi"), N_("vendredi"),
	    N_("samedi")};
	static const char *const months[] = {N_("janvier"), N_("février"),
	    N_("mars"), N_("avril"), N_("mai"), N_("juin"), N_("juillet"),
	    N_("août"), N_("septembre"), N_("octobre"), N_("novembre"),
	    N_("décembre")};
	int64_t t;
	int y, m, d;

	if (!vg_date_parse(day, &t) || sscanf(day, "%4d-%2d-%2d", &y, &m,
	    &d) != 3) {
		snprintf(out, n, "%s", day ? day : "");
		return;
	}
	snprintf(out, n, "%s %d %s %d", _(days[weekday(t / 86400)]), d,
	    _(months[m - 1]), y);
}

/* "9 h", "9 h 30" from "09:00", "09:30". */
static void
hour_label(const char *hhmm, char *out, size_t n)
{
	int h, m;

	if (!parse_hhmm(hhmm, &h, &m))
		snprintf(out, n, "%s", hhmm ? hhmm : "");
	else if (m == 0)
		snprintf(out, n, "%d h", h);
	else
		snprintf(out, n, "%d h %02d", h, m);
}

static void
time_label(const char *start, const char *end, char *out, size_t n)
{
	char a[16], b[16];

	hour_label(start, a, sizeof(a));
	hour_label(end, b, sizeof(b));
	snprintf(out, n, _("de %s à %s"), a, b);
}

static void
duration_label(int64_t minutes, char *out, size_t n)
{
	if (minutes < 60)
		snprintf(out, n, "%lld min", (long long)minutes);
	else if (minutes % 60 == 0)
		snprintf(out, n, "%lld h", (long long)(minutes / 60));
	else
		snprintf(out, n, "%lld h %02lld", (long long)(minutes / 60),
		    (long long)(minutes % 60));
}

/* --- checks ------------------------------------------------------------------ */

static bool
too_long(const char *s, size_t max)
{
	return vg_utf8_length(s, strlen(s)) > max;
}

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

vg_rc
trainings_check(const struct tr_training_input *in, const char **why,
    const char **field)
{
	*why = NULL;
	*field = NULL;
	if (in->title == NULL || too_long(in->title, 200) ||
	    has_control(in->title)) {
		*field = "title";
		*why = _("Le titre est obligatoire (200 caractères au plus, "
		    "sur une ligne).");
	} else if (in->objectives == NULL || too_long(in->objectives, 4000)) {
		*field = "objectives";
		*why = _("Les objectifs sont obligatoires (4 000 caractères au "
		    "plus).");
	} else if (in->audience == NULL || too_long(in->audience, 300) ||
	    has_control(in->audience)) {
		*field = "audience";
		*why = _("Le public visé est obligatoire (300 caractères au "
		    "plus).");
	} else if (in->duration < 1 || in->duration > TR_DURATION_MAX) {
		*field = "duration";
		*why = _("La durée s'écrit en minutes, de 1 à 10 080 (par "
		    "exemple 120 pour deux heures).");
	} else if (trainings_format_label(in->format) == NULL) {
		*field = "format";
		*why = _("Le format doit être « en présentiel » ou « à "
		    "distance ».");
	} else if (in->themes == NULL || *in->themes == '\0') {
		*field = "themes";
		*why = _("Choisissez au moins un thème.");
	} else if (in->trainer == NULL || too_long(in->trainer, 200) ||
	    has_control(in->trainer)) {
		*field = "trainer";
		*why = _("Le nom du formateur ou de la formatrice est "
		    "obligatoire (200 caractères au plus).");
	}
	if (*why != NULL)
		return VG_EINVAL;
	{
		char *copy = strdup(in->themes), *tok, *save = NULL;
		vg_rc rc = VG_OK;

		if (copy == NULL)
			return VG_ENOMEM;
		for (tok = strtok_r(copy, " ", &save); tok != NULL;
		    tok = strtok_r(NULL, " ", &save))
			if (trainings_theme_label(tok) == NULL) {
				*field = "themes";
				*why = _("Un des thèmes choisis n'existe pas.");
				rc = VG_EINVAL;
				break;
			}
		free(copy);
		return rc;
	}
}

/* A département code of the official list ("42", "2A", "974"), as the
 * directory's actors are checked. */
static bool
departement_shape(const char *s)
{
	/* The official list (@etalab/decoupage-administratif). */
	return vg_dept_get(s) != NULL;
}

static bool
survey_id_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

static bool
link_ok(const char *s)
{
	size_t i;

	if (strncmp(s, "https://", 8) != 0 || strlen(s) <= 8 ||
	    strlen(s) > 500)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f ||
		    s[i] == '"' || s[i] == '<' || s[i] == '>')
			return false;
	return true;
}

vg_rc
trainings_session_check(struct tr_session_input *in,
    const char *format, int64_t *starts, int64_t *ends, const char **why,
    const char **field)
{
	int64_t day;

	*why = NULL;
	*field = NULL;
	if (in->day == NULL || !vg_date_parse(in->day, &day) ||
	    day < 946684800 || day >= 4102444800) {
		*field = "day";
		*why = _("La date doit s'écrire AAAA-MM-JJ et être un vrai "
		    "jour, entre 2000 et 2099.");
	} else if (!trainings_paris_utc(in->day, in->start, starts)) {
		*field = "start";
		*why = _("L'heure de début doit s'écrire HH:MM (par exemple "
		    "09:30).");
	} else if (!trainings_paris_utc(in->day, in->end, ends)) {
		*field = "end";
		*why = _("L'heure de fin doit s'écrire HH:MM (par exemple "
		    "12:00).");
	} else if (*ends <= *starts) {
		*field = "end";
		*why = _("L'heure de fin doit venir après l'heure de début.");
	} else if (in->capacity < 1 || in->capacity > TR_CAPACITY_MAX) {
		*field = "capacity";
		*why = _("Le nombre de places est un nombre entier de 1 à "
		    "10 000.");
	} else if (format != NULL && !strcmp(format, "onsite") &&
	    (in->place == NULL || too_long(in->place, 300) ||
	    has_control(in->place))) {
		*field = "place";
		*why = _("Le lieu est obligatoire pour une formation en "
		    "présentiel (300 caractères au plus, sur une ligne).");
	} else if (format != NULL && !strcmp(format, "onsite") &&
	    (in->departement == NULL || !departement_shape(in->departement))) {
		*field = "departement";
		*why = _("Le département du lieu s'écrit avec son code, par "
		    "exemple 42, 2A ou 974.");
	} else if (format != NULL && !strcmp(format, "remote") &&
	    (in->link == NULL || !link_ok(in->link))) {
		*field = "link";
		*why = _("Le lien de la visioconférence est obligatoire pour "
		    "une formation à distance et commence par https://.");
	} else if (in->survey_before != NULL &&
	    !survey_id_ok(in->survey_before)) {
		*field = "survey_before";
		*why = _("Le questionnaire « avant » se désigne par son "
		    "identifiant : lettres, chiffres, tirets (64 au plus).");
	} else if (in->survey_after != NULL &&
	    !survey_id_ok(in->survey_after)) {
		*field = "survey_after";
		*why = _("Le questionnaire « après » se désigne par son "
		    "identifiant : lettres, chiffres, tirets (64 au plus).");
	}
	if (*why != NULL)
		return VG_EINVAL;
	/* Keep only the fields of the training's format. */
	if (format != NULL && !strcmp(format, "onsite"))
		in->link = NULL;
	else
		in->place = in->departement = NULL;
	return VG_OK;
}

/* --- small storage helpers ---------------------------------------------------- */

/* The first column of the first row of sql with up to two integer
 * parameters (ignored when the SQL has fewer); *found false when none. */
static vg_rc
int_query(vg_db *db, const char *sql, int nparams, int64_t a, int64_t b,
    int64_t *out, bool *found)
{
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = 0;
	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		return rc;
	if (nparams > 0)
		vg_stmt_bind_int(st, 1, a);
	if (nparams > 1)
		vg_stmt_bind_int(st, 2, b);
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && row)
		*out = vg_stmt_int(st, 0);
	if (found != NULL)
		*found = rc == VG_OK && row;
	vg_stmt_done(st);
	return rc;
}

static const char q_count_registered[] =
    "SELECT count(*) FROM training_registrations "
    "WHERE session_id = ? AND status = 'registered'";
static const char q_count_waiting[] =
    "SELECT count(*) FROM training_registrations "
    "WHERE session_id = ? AND status = 'waiting'";

/* 1-based place of a waiting registration of seq in its session. */
static vg_rc
waiting_position(vg_db *db, int64_t session_id, int64_t seq, int *pos)
{
	static const char q[] = "SELECT count(*) FROM training_registrations "
	    "WHERE session_id = ? AND status = 'waiting' AND seq <= ?";
	int64_t n;
	vg_rc rc = int_query(db, q, 2, session_id, seq, &n, NULL);

	*pos = (int)n;
	return rc;
}

/* Within a transaction: fill the free places of a session from its
 * waiting list, first come first served. */
static vg_rc
promote(vg_db *db, int64_t session_id, int64_t capacity, int64_t now,
    tr_ids *promoted)
{
	static const char q_first[] = "SELECT id FROM training_registrations "
	    "WHERE session_id = ? AND status = 'waiting' ORDER BY seq LIMIT 1";
	static const char q_up[] = "UPDATE training_registrations SET "
	    "status = 'registered', promoted_at = ?, reminded_at = NULL "
	    "WHERE id = ?";
	int64_t registered, next;
	bool found;
	vg_stmt *st;
	vg_rc rc;

	for (;;) {
		if ((rc = int_query(db, q_count_registered, 1, session_id, 0,
		    &registered, NULL)) != VG_OK)
			return rc;
		if (registered >= capacity)
			return VG_OK;
		if ((rc = int_query(db, q_first, 1, session_id, 0, &next,
		    &found)) != VG_OK)
			return rc;
		if (!found)
			return VG_OK;
		if ((rc = vg_db_prepare(db, q_up, &st)) != VG_OK)
			return rc;
		vg_stmt_bind_int(st, 1, now);
		vg_stmt_bind_int(st, 2, next);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
		if (rc != VG_OK || (rc = ids_add(promoted, next)) != VG_OK)
			return rc;
	}
}

/* --- writing ------------------------------------------------------------------ */

vg_rc
trainings_save(int64_t id, const struct tr_training_input *in, int64_t now,
    int64_t *out_id)
{
	static const char q_add[] =
	    "INSERT INTO trainings (title, objectives, audience, "
	    "duration_minutes, format, themes, trainer, published, "
	    "modified_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char q_set[] =
	    "UPDATE trainings SET title = ?, objectives = ?, audience = ?, "
	    "duration_minutes = ?, format = ?, themes = ?, trainer = ?, "
	    "published = ?, modified_at = ? WHERE id = ?";
	static const char q_changes[] = "SELECT changes()";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	int64_t changed;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, id == 0 ? q_add : q_set, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_text(st, 1, in->title);
	vg_stmt_bind_text(st, 2, in->objectives);
	vg_stmt_bind_text(st, 3, in->audience);
	vg_stmt_bind_int(st, 4, in->duration);
	vg_stmt_bind_text(st, 5, in->format);
	vg_stmt_bind_text(st, 6, in->themes);
	vg_stmt_bind_text(st, 7, in->trainer);
	vg_stmt_bind_int(st, 8, in->published);
	vg_stmt_bind_int(st, 9, now);
	vg_stmt_bind_int(st, 10, id == 0 ? now : id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if (id == 0) {
		id = vg_db_last_id(db);
	} else {
		if ((rc = int_query(db, q_changes, 0, 0, 0, &changed, NULL)) !=
		    VG_OK)
			goto fail;
		if (changed != 1) {
			rc = VG_ENOTFOUND;
			goto fail;
		}
	}
	if ((rc = vg_db_commit(db)) != VG_OK)
		goto fail;
	if (out_id != NULL)
		*out_id = id;
	return VG_OK;
fail:
	vg_db_rollback(db);
	return rc;
}

vg_rc
trainings_session_save(int64_t id, int64_t training_id,
    const struct tr_session_input *in, int64_t starts, int64_t ends,
    int64_t now, int64_t *out_id, tr_ids *promoted)
{
	/* The fields an edit changes come first in both, bound once. */
	static const char q_add[] =
	    "INSERT INTO training_sessions (day, start_time, end_time, "
	    "starts_at, ends_at, place, departement, link, capacity, "
	    "survey_before, survey_after, modified_at, training_id, "
	    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char q_set[] =
	    "UPDATE training_sessions SET day = ?, start_time = ?, "
	    "end_time = ?, starts_at = ?, ends_at = ?, place = ?, "
	    "departement = ?, link = ?, capacity = ?, survey_before = ?, "
	    "survey_after = ?, modified_at = ? WHERE id = ?";
	static const char q_old[] = "SELECT starts_at FROM training_sessions "
	    "WHERE id = ?";
	static const char q_training[] = "SELECT format FROM trainings "
	    "WHERE id = ?";
	static const char q_unremind[] = "UPDATE training_registrations SET "
	    "reminded_at = NULL WHERE session_id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	int64_t old_start = 0;
	bool found;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if (id != 0) {
		if ((rc = int_query(db, q_old, 1, id, 0, &old_start, &found)) !=
		    VG_OK)
			goto fail;
		if (!found) {
			rc = VG_ENOTFOUND;
			goto fail;
		}
	} else {
		bool row;

		if ((rc = vg_db_prepare(db, q_training, &st)) != VG_OK)
			goto fail;
		vg_stmt_bind_int(st, 1, training_id);
		rc = vg_stmt_step(st, &row);
		if (rc == VG_OK && !row)
			rc = VG_ENOTFOUND;
		vg_stmt_done(st);
		if (rc != VG_OK)
			goto fail;
	}
	if ((rc = vg_db_prepare(db, id == 0 ? q_add : q_set, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_text(st, 1, in->day);
	vg_stmt_bind_text(st, 2, in->start);
	vg_stmt_bind_text(st, 3, in->end);
	vg_stmt_bind_int(st, 4, starts);
	vg_stmt_bind_int(st, 5, ends);
	vg_stmt_bind_text(st, 6, in->place);
	vg_stmt_bind_text(st, 7, in->departement);
	vg_stmt_bind_text(st, 8, in->link);
	vg_stmt_bind_int(st, 9, in->capacity);
	vg_stmt_bind_text(st, 10, in->survey_before);
	vg_stmt_bind_text(st, 11, in->survey_after);
	vg_stmt_bind_int(st, 12, now);
	if (id == 0) {
		vg_stmt_bind_int(st, 13, training_id);
		vg_stmt_bind_int(st, 14, now);
	} else {
		vg_stmt_bind_int(st, 13, id);
	}
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if (id == 0) {
		id = vg_db_last_id(db);
	} else if (old_start != starts) {
		/* A new date: the reminders sent were for the old one. */
		if ((rc = vg_db_prepare(db, q_unremind, &st)) != VG_OK)
			goto fail;
		vg_stmt_bind_int(st, 1, id);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
		if (rc != VG_OK)
			goto fail;
	}
	/* More places: the waiting list moves up (before the session only). */
	if (starts > now && (rc = promote(db, id, in->capacity, now,
	    promoted)) != VG_OK)
		goto fail;
	if ((rc = vg_db_commit(db)) != VG_OK)
		goto fail;
	if (out_id != NULL)
		*out_id = id;
	return VG_OK;
fail:
	vg_db_rollback(db);
	tr_ids_free(promoted);
	return rc;
}

/* Within a transaction: a session a professional may register to, its
 * start and capacity.  VG_ENOTFOUND for an unknown session or an
 * unpublished training. */
static vg_rc
open_session(vg_db *db, int64_t session_id, int64_t *starts,
    int64_t *capacity)
{
	static const char q[] = "SELECT s.starts_at, s.capacity "
	    "FROM training_sessions s JOIN trainings t ON t.id = s.training_id "
	    "WHERE s.id = ? AND t.published = 1";
	vg_stmt *st;
	bool row;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, session_id);
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && row) {
		*starts = vg_stmt_int(st, 0);
		*capacity = vg_stmt_int(st, 1);
	} else if (rc == VG_OK) {
		rc = VG_ENOTFOUND;
	}
	vg_stmt_done(st);
	return rc;
}

static const char q_mine[] = "SELECT id, status, seq "
    "FROM training_registrations WHERE session_id = ? AND user_id = ?";

vg_rc
trainings_register(int64_t session_id, int64_t user_id, int64_t now,
    struct tr_outcome *out, const char **why)
{
	static const char q_add[] = "INSERT INTO training_registrations "
	    "(status, seq, registered_at, session_id, user_id) "
	    "VALUES (?, ?, ?, ?, ?)";
	/* A cancelled registration is taken again, at the end of the
	 * queue, as if new. */
	static const char q_again[] = "UPDATE training_registrations SET "
	    "status = ?, seq = ?, registered_at = ?, promoted_at = NULL, "
	    "cancelled_at = NULL, reminded_at = NULL, attendance = 'unknown' "
	    "WHERE session_id = ? AND user_id = ?";
	static const char q_seq[] = "SELECT coalesce(max(seq), 0) + 1 "
	    "FROM training_registrations WHERE session_id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	int64_t starts = 0, capacity = 0, registered, waiting, seq, reg = 0;
	bool row, again = false;
	vg_rc rc;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = open_session(db, session_id, &starts, &capacity)) != VG_OK) {
		if (rc == VG_ENOTFOUND)
			*why = _("Cette session n'existe pas ou n'est plus "
			    "proposée.");
		goto fail;
	}
	if (starts <= now) {
		*why = _("Cette session a déjà commencé ou est passée : "
		    "l'inscription n'est plus possible.");
		rc = VG_EINVAL;
		goto fail;
	}
	if ((rc = vg_db_prepare(db, q_mine, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, session_id);
	vg_stmt_bind_int(st, 2, user_id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *status = vg_stmt_text(st, 1);

		if (!strcmp(status, "registered")) {
			*why = _("Vous êtes déjà inscrit·e à cette session.");
			rc = VG_ECONFLICT;
		} else if (!strcmp(status, "waiting")) {
			*why = _("Vous êtes déjà sur la liste d'attente de "
			    "cette session.");
			rc = VG_ECONFLICT;
		}
		reg = vg_stmt_int(st, 0);
		again = true;
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if ((rc = int_query(db, q_count_registered, 1, session_id, 0,
	    &registered, NULL)) != VG_OK ||
	    (rc = int_query(db, q_count_waiting, 1, session_id, 0, &waiting,
	    NULL)) != VG_OK ||
	    (rc = int_query(db, q_seq, 1, session_id, 0, &seq, NULL)) != VG_OK)
		goto fail;
	/* Nobody overtakes the waiting list, even if a place is free. */
	out->status = registered < capacity && waiting == 0 ? "registered" :
	    "waiting";
	if ((rc = vg_db_prepare(db, again ? q_again : q_add, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_text(st, 1, out->status);
	vg_stmt_bind_int(st, 2, seq);
	vg_stmt_bind_int(st, 3, now);
	vg_stmt_bind_int(st, 4, session_id);
	vg_stmt_bind_int(st, 5, user_id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	out->registration = again ? reg : vg_db_last_id(db);
	if (out->status[0] == 'w' &&
	    (rc = waiting_position(db, session_id, seq, &out->position)) !=
	    VG_OK)
		goto fail;
	if ((rc = vg_db_commit(db)) != VG_OK)
		goto fail;
	return VG_OK;
fail:
	vg_db_rollback(db);
	out->status = NULL;
	return rc;
}

vg_rc
trainings_cancel(int64_t session_id, int64_t user_id, int64_t now,
    struct tr_outcome *out, const char **why)
{
	static const char q_cancel[] = "UPDATE training_registrations SET "
	    "status = 'cancelled', cancelled_at = ? WHERE id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	int64_t starts = 0, capacity = 0;
	bool row, was_registered = false;
	vg_rc rc;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = open_session(db, session_id, &starts, &capacity)) != VG_OK) {
		if (rc == VG_ENOTFOUND)
			*why = _("Cette session n'existe pas ou n'est plus "
			    "proposée.");
		goto fail;
	}
	if (starts <= now) {
		*why = _("Cette session a déjà commencé ou est passée : "
		    "l'annulation n'est plus possible en ligne. Prévenez "
		    "l'équipe qui l'organise.");
		rc = VG_EINVAL;
		goto fail;
	}
	if ((rc = vg_db_prepare(db, q_mine, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, session_id);
	vg_stmt_bind_int(st, 2, user_id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK &&
	    (!row || !strcmp(vg_stmt_text(st, 1), "cancelled"))) {
		*why = _("Vous n'êtes ni inscrit·e ni sur la liste d'attente "
		    "de cette session.");
		rc = VG_ENOTFOUND;
	} else if (rc == VG_OK) {
		out->registration = vg_stmt_int(st, 0);
		was_registered = !strcmp(vg_stmt_text(st, 1), "registered");
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, q_cancel, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_int(st, 2, out->registration);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	/* The place freed goes to the first one waiting; a place left by
	 * someone waiting frees nothing (the positions behind close up by
	 * themselves: they are counted, not stored). */
	if (was_registered && (rc = promote(db, session_id, capacity, now,
	    &out->promoted)) != VG_OK)
		goto fail;
	if ((rc = vg_db_commit(db)) != VG_OK)
		goto fail;
	out->status = "cancelled";
	return VG_OK;
fail:
	vg_db_rollback(db);
	tr_ids_free(&out->promoted);
	return rc;
}

vg_rc
trainings_attendance_set(int64_t session_id, const int64_t *ids,
    const char *const *values, size_t n)
{
	static const char q[] = "UPDATE training_registrations "
	    "SET attendance = ? WHERE id = ? AND session_id = ? "
	    "AND status = 'registered'";
	static const char q_changes[] = "SELECT changes()";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	int64_t changed;
	size_t i;
	vg_rc rc;

	for (i = 0; i < n; i++)
		if (values[i] == NULL || (strcmp(values[i], "present") != 0 &&
		    strcmp(values[i], "absent") != 0 &&
		    strcmp(values[i], "unknown") != 0))
			return VG_EINVAL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
			goto fail;
		vg_stmt_bind_text(st, 1, values[i]);
		vg_stmt_bind_int(st, 2, ids[i]);
		vg_stmt_bind_int(st, 3, session_id);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
		if (rc != VG_OK || (rc = int_query(db, q_changes, 0, 0, 0,
		    &changed, NULL)) != VG_OK)
			goto fail;
		if (changed != 1) {
			rc = VG_EINVAL;
			goto fail;
		}
	}
	if ((rc = vg_db_commit(db)) != VG_OK)
		goto fail;
	return VG_OK;
fail:
	vg_db_rollback(db);
	return rc;
}

/* --- reading ------------------------------------------------------------------ */

#define TRAINING_COLS "t.id, t.title, t.objectives, t.audience, " \
	"t.duration_minutes, t.format, t.themes, t.trainer, t.published"

#define SESSION_COLS "s.id, s.training_id, s.day, s.start_time, " \
	"s.end_time, s.starts_at, s.ends_at, s.place, s.departement, " \
	"s.link, s.capacity, s.survey_before, s.survey_after, " \
	"(SELECT count(*) FROM training_registrations r " \
	"WHERE r.session_id = s.id AND r.status = 'registered'), " \
	"(SELECT count(*) FROM training_registrations r " \
	"WHERE r.session_id = s.id AND r.status = 'waiting')"

static json_t *
themes_json(const char *text)
{
	json_t *list = json_array();
	char *copy = strdup(text ? text : ""), *tok, *save = NULL;

	if (list == NULL || copy == NULL) {
		free(copy);
		return list;
	}
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		const char *label = trainings_theme_label(tok);

		json_array_append_new(list, json_pack("{s:s, s:s}", "code", tok,
		    "label", label ? label : tok));
	}
	free(copy);
	return list;
}

/* A row of TRAINING_COLS from column `at` as a new object. */
static json_t *
training_row_json(vg_stmt *st, int at)
{
	char dur[32], url[64];
	int64_t id = vg_stmt_int(st, at);
	const char *format = vg_stmt_text(st, at + 5);
	const char *objectives = vg_stmt_text(st, at + 2);
	char *html = vg_markdown_html(objectives, strlen(objectives));
	json_t *o;

	duration_label(vg_stmt_int(st, at + 4), dur, sizeof(dur));
	snprintf(url, sizeof(url), "/formations/%lld", (long long)id);
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:o, "
	    "s:s, s:b, s:s}", "id", (json_int_t)id,
	    "title", vg_stmt_text(st, at + 1),
	    "objectives", objectives,
	    "objectives_html", html ? html : "",
	    "audience", vg_stmt_text(st, at + 3),
	    "duration", (json_int_t)vg_stmt_int(st, at + 4),
	    "duration_label", dur,
	    "format", format,
	    "format_label", trainings_format_label(format) ?
	    trainings_format_label(format) : format,
	    "themes", themes_json(vg_stmt_text(st, at + 6)),
	    "trainer", vg_stmt_text(st, at + 7),
	    "published", vg_stmt_int(st, at + 8) != 0,
	    "url", url);
	free(html);
	if (o != NULL && !strcmp(format, "remote"))
		json_object_set_new(o, "remote", json_true());
	return o;
}

/* A row of SESSION_COLS from column 0 as a new object.  show_private
 * adds the remote link and the questionnaires (registered people and
 * editors). */
static json_t *
session_row_json(vg_stmt *st, int64_t now, bool show_private)
{
	char date[64], hours[64], ics[80];
	int64_t id = vg_stmt_int(st, 0);
	int64_t capacity = vg_stmt_int(st, 10);
	int64_t registered = vg_stmt_int(st, 13);
	int64_t left = capacity > registered ? capacity - registered : 0;
	json_t *o;

	day_label(vg_stmt_text(st, 2), date, sizeof(date));
	time_label(vg_stmt_text(st, 3), vg_stmt_text(st, 4), hours,
	    sizeof(hours));
	snprintf(ics, sizeof(ics), "/formations/sessions/%lld/agenda.ics",
	    (long long)id);
	o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, "
	    "s:I, s:b, s:b, s:s}", "id", (json_int_t)id,
	    "training_id", (json_int_t)vg_stmt_int(st, 1),
	    "day", vg_stmt_text(st, 2), "start", vg_stmt_text(st, 3),
	    "end", vg_stmt_text(st, 4), "date_label", date,
	    "time_label", hours, "capacity", (json_int_t)capacity,
	    "registered", (json_int_t)registered,
	    "waiting", (json_int_t)vg_stmt_int(st, 14),
	    "places_left", (json_int_t)left, "full", left == 0 ||
	    vg_stmt_int(st, 14) > 0, "past", vg_stmt_int(st, 5) <= now,
	    "ics_url", ics);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "starts_at", json_integer(vg_stmt_int(st, 5)));
	json_object_set_new(o, "ends_at", json_integer(vg_stmt_int(st, 6)));
	if (!vg_stmt_is_null(st, 7))
		json_object_set_new(o, "place", json_string(vg_stmt_text(st,
		    7)));
	if (!vg_stmt_is_null(st, 8))
		json_object_set_new(o, "departement",
		    json_string(vg_stmt_text(st, 8)));
	if (!vg_stmt_is_null(st, 9)) {
		json_object_set_new(o, "remote", json_true());
		if (show_private)
			json_object_set_new(o, "link",
			    json_string(vg_stmt_text(st, 9)));
	}
	if (show_private && !vg_stmt_is_null(st, 11))
		json_object_set_new(o, "survey_before",
		    json_string(vg_stmt_text(st, 11)));
	if (show_private && !vg_stmt_is_null(st, 12))
		json_object_set_new(o, "survey_after",
		    json_string(vg_stmt_text(st, 12)));
	return o;
}

vg_rc
trainings_registration_of(int64_t session_id, int64_t user_id, json_t **out)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	const char *status = NULL;
	int64_t id = 0, seq = 0;
	int pos = 0;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q_mine, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, session_id);
	vg_stmt_bind_int(st, 2, user_id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *s = vg_stmt_text(st, 1);

		/* Static strings: the row is gone after vg_stmt_done(). */
		status = !strcmp(s, "registered") ? "registered" :
		    !strcmp(s, "waiting") ? "waiting" : "cancelled";
		id = vg_stmt_int(st, 0);
		seq = vg_stmt_int(st, 2);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (status == NULL)
		return VG_ENOTFOUND;
	if (!strcmp(status, "waiting") &&
	    (rc = waiting_position(db, session_id, seq, &pos)) != VG_OK)
		return rc;
	*out = json_pack("{s:I, s:s, s:s, s:i}", "id", (json_int_t)id,
	    "status", status, "status_label", trainings_status_label(status),
	    "position", pos);
	if (*out != NULL && !strcmp(status, "registered"))
		json_object_set_new(*out, "registered", json_true());
	if (*out != NULL && !strcmp(status, "waiting"))
		json_object_set_new(*out, "waiting", json_true());
	return *out ? VG_OK : VG_ENOMEM;
}

vg_rc
trainings_sessions(int64_t training_id, bool all, int64_t user_id,
    bool editor, int64_t now, json_t **out)
{
	static const char q[] = "SELECT " SESSION_COLS
	    " FROM training_sessions s WHERE s.training_id = ? "
	    "AND (? OR s.starts_at > ?) ORDER BY s.starts_at, s.id";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, training_id);
	vg_stmt_bind_int(st, 2, all);
	vg_stmt_bind_int(st, 3, now);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *mine = NULL, *o;

		if (user_id > 0) {
			rc = trainings_registration_of(vg_stmt_int(st, 0),
			    user_id, &mine);
			if (rc == VG_ENOTFOUND)
				rc = VG_OK;
			if (rc != VG_OK)
				break;
			if (mine != NULL && !strcmp(json_string_value(
			    json_object_get(mine, "status")), "cancelled")) {
				json_decref(mine);
				mine = NULL;
			}
		}
		o = session_row_json(st, now, editor || (mine != NULL &&
		    json_object_get(mine, "registered") != NULL));
		if (o == NULL) {
			json_decref(mine);
			rc = VG_ENOMEM;
			break;
		}
		if (mine != NULL)
			json_object_set_new(o, "registration", mine);
		json_array_append_new(list, o);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
trainings_get(int64_t id, bool editor, json_t **out)
{
	static const char q[] = "SELECT " TRAINING_COLS
	    " FROM trainings t WHERE t.id = ? AND (? OR t.published = 1)";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	vg_stmt_bind_int(st, 2, editor);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row &&
	    (*out = training_row_json(st, 0)) == NULL)
		rc = VG_ENOMEM;
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return *out ? VG_OK : VG_ENOTFOUND;
}

vg_rc
trainings_catalogue(const char *theme, const char *format, int64_t now,
    json_t **out)
{
	/* Trainings with a session to come first, soonest first. */
	static const char q[] = "SELECT " TRAINING_COLS ", "
	    "(SELECT min(starts_at) FROM training_sessions s "
	    "WHERE s.training_id = t.id AND s.starts_at > ?1) AS next "
	    "FROM trainings t WHERE t.published = 1 "
	    "AND (?2 IS NULL OR ' ' || t.themes || ' ' LIKE '% ' || ?2 || ' %') "
	    "AND (?3 IS NULL OR t.format = ?3) "
	    "ORDER BY next IS NULL, next, t.title, t.id";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_text(st, 2, theme);
	vg_stmt_bind_text(st, 3, format);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *o = training_row_json(st, 0), *sessions = NULL;

		if (o == NULL) {
			rc = VG_ENOMEM;
			break;
		}
		json_object_del(o, "objectives_html");
		if ((rc = trainings_sessions(vg_stmt_int(st, 0), false, 0,
		    false, now, &sessions)) != VG_OK) {
			json_decref(o);
			break;
		}
		json_object_set_new(o, "sessions", sessions);
		json_array_append_new(list, o);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
trainings_session_get(int64_t session_id, bool editor, int64_t user_id,
    int64_t now, json_t **out)
{
	static const char q[] = "SELECT " SESSION_COLS ", " TRAINING_COLS
	    " FROM training_sessions s JOIN trainings t "
	    "ON t.id = s.training_id WHERE s.id = ? AND (? OR t.published = 1)";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *mine = NULL;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if (user_id > 0) {
		rc = trainings_registration_of(session_id, user_id, &mine);
		if (rc != VG_OK && rc != VG_ENOTFOUND)
			return rc;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(mine);
		return rc;
	}
	vg_stmt_bind_int(st, 1, session_id);
	vg_stmt_bind_int(st, 2, editor);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		bool reg = mine != NULL &&
		    json_object_get(mine, "registered") != NULL;

		*out = session_row_json(st, now, editor || reg);
		if (*out != NULL)
			json_object_set_new(*out, "training",
			    training_row_json(st, 15));
		if (*out != NULL && mine != NULL)
			json_object_set(*out, "registration", mine);
		if (*out == NULL)
			rc = VG_ENOMEM;
	}
	vg_stmt_done(st);
	json_decref(mine);
	if (rc != VG_OK) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return *out ? VG_OK : VG_ENOTFOUND;
}

vg_rc
trainings_mine(int64_t user_id, int64_t now, json_t **out)
{
	static const char q[] = "SELECT " SESSION_COLS ", t.title, r.id, "
	    "r.status, r.seq FROM training_registrations r "
	    "JOIN training_sessions s ON s.id = r.session_id "
	    "JOIN trainings t ON t.id = s.training_id "
	    "WHERE r.user_id = ? AND r.status != 'cancelled' "
	    "ORDER BY s.starts_at <= ?, "
	    "CASE WHEN s.starts_at > ? THEN s.starts_at ELSE -s.starts_at END";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, user_id);
	vg_stmt_bind_int(st, 2, now);
	vg_stmt_bind_int(st, 3, now);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		bool reg = !strcmp(vg_stmt_text(st, 17), "registered");
		const char *status = reg ? "registered" : "waiting";
		json_t *o = session_row_json(st, now, reg);
		int pos = 0;

		if (o == NULL) {
			rc = VG_ENOMEM;
			break;
		}
		if (!reg && (rc = waiting_position(db, vg_stmt_int(st, 0),
		    vg_stmt_int(st, 18), &pos)) != VG_OK) {
			json_decref(o);
			break;
		}
		json_object_set_new(o, "training_title",
		    json_string(vg_stmt_text(st, 15)));
		{
			char url[64];

			snprintf(url, sizeof(url), "/formations/%lld",
			    (long long)vg_stmt_int(st, 1));
			json_object_set_new(o, "training_url",
			    json_string(url));
		}
		json_object_set_new(o, "registration", json_pack("{s:I, s:s, "
		    "s:s, s:i, s:b, s:b}", "id",
		    (json_int_t)vg_stmt_int(st, 16), "status", status,
		    "status_label", trainings_status_label(status),
		    "position", pos, "registered", reg, "waiting", !reg));
		json_array_append_new(list, o);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
trainings_registrations(int64_t session_id, json_t **out)
{
	/* Registered first (by arrival), then the waiting list in order,
	 * then cancellations. */
	static const char q[] = "SELECT r.id, u.name, u.email, r.status, "
	    "r.seq, r.attendance, r.registered_at, r.cancelled_at "
	    "FROM training_registrations r JOIN users u ON u.id = r.user_id "
	    "WHERE r.session_id = ? ORDER BY CASE r.status "
	    "WHEN 'registered' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, r.seq";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	int waiting = 0;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, session_id);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *status = vg_stmt_text(st, 3);
		const char *att = vg_stmt_text(st, 5);
		char at[32];
		json_t *o;

		trainings_paris_text(vg_stmt_int(st, 6), "%Y-%m-%d %H:%M", at,
		    sizeof(at));
		o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s}",
		    "id", (json_int_t)vg_stmt_int(st, 0),
		    "name", vg_stmt_text(st, 1), "email", vg_stmt_text(st, 2),
		    "status", status,
		    "status_label", trainings_status_label(status),
		    "position", !strcmp(status, "waiting") ? ++waiting : 0,
		    "attendance", att,
		    "attendance_label", trainings_attendance_label(att),
		    "registered_at", at);
		if (o == NULL) {
			rc = VG_ENOMEM;
			break;
		}
		/* Flags for the templates' sections. */
		json_object_set_new(o, status, json_true());
		json_object_set_new(o, !strcmp(att, "present") ? "is_present" :
		    !strcmp(att, "absent") ? "is_absent" : "is_unknown",
		    json_true());
		json_array_append_new(list, o);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
trainings_admin_list(int64_t now, json_t **out)
{
	static const char q[] = "SELECT " TRAINING_COLS ", "
	    "(SELECT count(*) FROM training_sessions s "
	    "WHERE s.training_id = t.id), "
	    "(SELECT count(*) FROM training_sessions s "
	    "WHERE s.training_id = t.id AND s.starts_at > ?) "
	    "FROM trainings t ORDER BY t.title, t.id";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, now);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *o = training_row_json(st, 0);

		if (o == NULL) {
			rc = VG_ENOMEM;
			break;
		}
		json_object_del(o, "objectives_html");
		json_object_set_new(o, "sessions_count",
		    json_integer(vg_stmt_int(st, 9)));
		json_object_set_new(o, "upcoming_count",
		    json_integer(vg_stmt_int(st, 10)));
		json_array_append_new(list, o);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

/* --- calendar file (RFC 5545) -------------------------------------------------- */

/* Append one content line "name:value" folded at 75 octets (never inside
 * a UTF-8 character), the value escaped as TEXT when escape. */
static void
ics_line(vg_buf *b, const char *name, const char *value, bool escape)
{
	vg_buf line = VG_BUF_INIT;
	const char *p;
	size_t at = 0, width = 75;

	vg_buf_puts(&line, name);
	vg_buf_putc(&line, ':');
	for (p = value; *p != '\0'; p++) {
		if (escape && (*p == '\\' || *p == ';' || *p == ',')) {
			vg_buf_putc(&line, '\\');
			vg_buf_putc(&line, *p);
		} else if (escape && *p == '\n') {
			vg_buf_puts(&line, "\\n");
		} else if (*p != '\r') {
			vg_buf_putc(&line, *p);
		}
	}
	if (vg_buf_failed(&line)) {
		vg_buf_free(&line);
		vg_buf_append(b, "", 0);
		return;
	}
	while (at < line.len) {
		size_t n = line.len - at;

		if (n > width) {
			n = width;
			/* Back to the start of a character. */
			while (n > 1 && ((unsigned char)line.data[at + n] & 0xC0) ==
			    0x80)
				n--;
		}
		if (at > 0)
			vg_buf_putc(b, ' ');
		vg_buf_append(b, line.data + at, n);
		vg_buf_puts(b, "\r\n");
		at += n;
		width = 74;     /* the leading space counts */
	}
	vg_buf_free(&line);
}

vg_rc
trainings_ics(const json_t *session, const char *uid_domain, bool show_link,
    int64_t now, vg_buf *b)
{
	const json_t *t = json_object_get(session, "training");
	const char *place = json_string_value(json_object_get(session,
	    "place"));
	const char *link = json_string_value(json_object_get(session, "link"));
	char stamp[32], start[32], end[32], uid[200];
	vg_buf desc = VG_BUF_INIT;

	if (t == NULL)
		return VG_EINTERNAL;
	vg_time_text(now, "%Y%m%dT%H%M%SZ", stamp, sizeof(stamp));
	vg_time_text(json_integer_value(json_object_get(session, "starts_at")),
	    "%Y%m%dT%H%M%SZ", start, sizeof(start));
	vg_time_text(json_integer_value(json_object_get(session, "ends_at")),
	    "%Y%m%dT%H%M%SZ", end, sizeof(end));
	snprintf(uid, sizeof(uid), "formation-session-%lld@%s",
	    (long long)json_integer_value(json_object_get(session, "id")),
	    uid_domain && *uid_domain ? uid_domain : "vigie.invalid");
	vg_buf_printf(&desc, _("Formation : %s\nFormat : %s\n"
	    "Formateur·rice : %s\nPublic : %s"),
	    json_string_value(json_object_get(t, "title")),
	    json_string_value(json_object_get(t, "format_label")),
	    json_string_value(json_object_get(t, "trainer")),
	    json_string_value(json_object_get(t, "audience")));
	if (json_object_get(session, "remote") != NULL && !show_link)
		vg_buf_puts(&desc, _("\nLe lien de connexion est donné aux "
		    "personnes inscrites."));
	vg_buf_puts(b, "BEGIN:VCALENDAR\r\n");
	ics_line(b, "VERSION", "2.0", false);
	ics_line(b, "PRODID", "-//Vigie//Formations//FR", false);
	ics_line(b, "CALSCALE", "GREGORIAN", false);
	ics_line(b, "METHOD", "PUBLISH", false);
	vg_buf_puts(b, "BEGIN:VEVENT\r\n");
	ics_line(b, "UID", uid, false);
	ics_line(b, "DTSTAMP", stamp, false);
	ics_line(b, "DTSTART", start, false);
	ics_line(b, "DTEND", end, false);
	ics_line(b, "SUMMARY", json_string_value(json_object_get(t, "title")),
	    true);
	if (place != NULL) {
		const char *dep = json_string_value(json_object_get(session,
		    "departement"));
		vg_buf where = VG_BUF_INIT;

		vg_buf_puts(&where, place);
		if (dep != NULL)
			vg_buf_printf(&where, " (%s)", dep);
		ics_line(b, "LOCATION", vg_buf_failed(&where) ? place :
		    where.data, true);
		vg_buf_free(&where);
	} else {
		ics_line(b, "LOCATION", _("À distance"), true);
	}
	if (show_link && link != NULL)
		ics_line(b, "URL", link, false);
	if (!vg_buf_failed(&desc))
		ics_line(b, "DESCRIPTION", desc.data, true);
	vg_buf_puts(b, "END:VEVENT\r\nEND:VCALENDAR\r\n");
	vg_buf_free(&desc);
	return vg_buf_failed(b) ? VG_ENOMEM : VG_OK;
}

#define TR_EXPORT_COLUMNS 6

/* --- exports -------------------------------------------------------------------- */

/* The list's columns, and its rows as the sheet writer takes them. */
static json_t *
registration_rows(const json_t *list, const char **heads)
{
	static const char *const keys[] = {"name", "email", "status_label",
	    "position", "attendance_label", "registered_at"};
	json_t *rows = json_array(), *o;
	size_t i, k;

	heads[0] = _("Nom");
	heads[1] = _("E-mail");
	heads[2] = _("Statut");
	heads[3] = _("Position en liste d'attente");
	heads[4] = _("Présence");
	heads[5] = _("Inscription (heure de Paris)");
	json_array_foreach(list, i, o) {
		json_t *row = json_array();

		for (k = 0; k < VG_ARRAY_LEN(keys); k++) {
			json_t *v = json_object_get(o, keys[k]);

			/* A position only on the waiting list. */
			if (json_is_integer(v) && json_integer_value(v) <= 0)
				v = NULL;
			json_array_append_new(row, v ? json_incref(v) :
			    json_null());
		}
		json_array_append_new(rows, row);
	}
	return rows;
}

void
trainings_registrations_csv(const json_t *list, vg_buf *b)
{
	const char *heads[TR_EXPORT_COLUMNS];
	json_t *rows = registration_rows(list, heads);

	vg_sheet_csv(b, heads, TR_EXPORT_COLUMNS, rows);
	json_decref(rows);
}

vg_rc
trainings_registrations_xlsx(const json_t *list, const json_t *session,
    const char *tmpdir, char **out, size_t *len)
{
	const char *heads[TR_EXPORT_COLUMNS];
	const json_t *t = json_object_get(session, "training");
	json_t *rows = registration_rows(list, heads);
	char title[400];
	vg_rc rc;

	snprintf(title, sizeof(title), "%s — %s, %s",
	    json_string_value(json_object_get(t, "title")),
	    json_string_value(json_object_get(session, "date_label")),
	    json_string_value(json_object_get(session, "time_label")));
	rc = vg_sheet_xlsx(tmpdir, _("Inscriptions"), title, heads,
	    TR_EXPORT_COLUMNS, rows, out, len);
	json_decref(rows);
	return rc;
}

/* --- mail ----------------------------------------------------------------------- */

vg_rc
trainings_mail(const vg_config *c, int64_t registration, enum tr_mail kind)
{
	static const char q[] = "SELECT u.email, u.name, r.status, r.seq, "
	    "r.session_id, t.title, t.trainer, s.day, s.start_time, "
	    "s.end_time, s.place, s.departement, s.link "
	    "FROM training_registrations r JOIN users u ON u.id = r.user_id "
	    "JOIN training_sessions s ON s.id = r.session_id "
	    "JOIN trainings t ON t.id = s.training_id WHERE r.id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_buf body = VG_BUF_INIT;
	char *to = NULL, *title = NULL, *status = NULL;
	char date[64], hours[64], subject[400], err[256];
	int64_t session_id = 0, seq = 0;
	int pos = 0;
	bool row;
	vg_rc rc;

	if (c->smtp_url[0] == '\0' || c->notifier_email[0] == '\0')
		return VG_OK;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, registration);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *place = vg_stmt_text(st, 10);
		const char *link = vg_stmt_text(st, 12);

		to = strdup(vg_stmt_text(st, 0));
		title = strdup(vg_stmt_text(st, 5));
		status = strdup(vg_stmt_text(st, 2));
		seq = vg_stmt_int(st, 3);
		session_id = vg_stmt_int(st, 4);
		if (kind == TR_MAIL_WAITING && status != NULL &&
		    !strcmp(status, "waiting"))
			rc = waiting_position(db, session_id, seq, &pos);
		day_label(vg_stmt_text(st, 7), date, sizeof(date));
		time_label(vg_stmt_text(st, 8), vg_stmt_text(st, 9), hours,
		    sizeof(hours));
		vg_buf_printf(&body, _("Bonjour %s,\n\n"), vg_stmt_text(st, 1));
		switch (kind) {
		case TR_MAIL_REGISTERED:
			vg_buf_printf(&body, _("Votre inscription à la "
			    "formation « %s » est confirmée.\n\n"), title ?
			    title : "");
			break;
		case TR_MAIL_WAITING:
			vg_buf_printf(&body, _("La session de la formation « %s » "
			    "que vous avez choisie est complète. Vous êtes sur "
			    "la liste d'attente, en position %d. Si une place "
			    "se libère, vous serez inscrit·e automatiquement et "
			    "prévenu·e par e-mail.\n\n"), title ? title : "", pos);
			break;
		case TR_MAIL_PROMOTED:
			vg_buf_printf(&body, _("Une place s'est libérée : vous "
			    "êtes maintenant inscrit·e à la formation « %s ».\n\n"),
			    title ? title : "");
			break;
		case TR_MAIL_REMINDER:
			vg_buf_printf(&body, _("Nous vous rappelons la formation "
			    "« %s », à laquelle vous êtes inscrit·e.\n\n"), title ?
			    title : "");
			break;
		}
		vg_buf_printf(&body, _("Date : %s, %s (heure de Paris)\n"), date,
		    hours);
		if (place != NULL && !vg_stmt_is_null(st, 11))
			vg_buf_printf(&body, _("Lieu : %s (%s)\n"), place,
			    vg_stmt_text(st, 11));
		else if (place != NULL)
			vg_buf_printf(&body, _("Lieu : %s\n"), place);
		else if (link != NULL && kind != TR_MAIL_WAITING)
			vg_buf_printf(&body, _("À distance, lien de connexion : "
			    "%s\n"), link);
		else
			vg_buf_printf(&body, "%s\n", _("À distance (le lien de "
			    "connexion sera envoyé si une place se libère)"));
		vg_buf_printf(&body, _("Formateur·rice : %s\n\n"),
		    vg_stmt_text(st, 6));
		vg_buf_printf(&body, "%s\n\n", _("Si vous ne pouvez pas venir, "
		    "annulez depuis votre espace professionnel (Formations, "
		    "puis « Mes inscriptions ») : votre place ira à une "
		    "personne en liste d'attente."));
		vg_buf_printf(&body, "— %s\n", c->notifier_name[0] ?
		    c->notifier_name : "Vigie");
	}
	vg_stmt_done(st);
	if (rc == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc == VG_OK && (to == NULL || title == NULL || status == NULL ||
	    vg_buf_failed(&body)))
		rc = VG_ENOMEM;
	if (rc != VG_OK)
		goto out;
	/* A registration cancelled or moved since is not told of. */
	if ((kind == TR_MAIL_WAITING) != (strcmp(status, "waiting") == 0) ||
	    !strcmp(status, "cancelled"))
		goto out;
	switch (kind) {
	case TR_MAIL_REGISTERED:
		snprintf(subject, sizeof(subject), _("Inscription confirmée : "
		    "%s"), title);
		break;
	case TR_MAIL_WAITING:
		snprintf(subject, sizeof(subject), _("Liste d'attente "
		    "(position %d) : %s"), pos, title);
		break;
	case TR_MAIL_PROMOTED:
		snprintf(subject, sizeof(subject), _("Une place s'est libérée : "
		    "%s"), title);
		break;
	case TR_MAIL_REMINDER:
		snprintf(subject, sizeof(subject), _("Rappel : %s, %s"), title,
		    date);
		break;
	}
	rc = vg_mail_send_config(c, to, subject, body.data, err,
	    sizeof(err));
	/* The log names the registration, never the address. */
	if (rc != VG_OK)
		vg_error("trainings: mail for registration %lld not sent: %s",
		    (long long)registration, err);
out:
	free(to);
	free(title);
	free(status);
	vg_buf_free(&body);
	return rc;
}

vg_rc
trainings_send_reminders_at(const vg_config *c, int64_t now, int *sent)
{
	static const char q_due[] = "SELECT r.id FROM training_registrations r "
	    "JOIN training_sessions s ON s.id = r.session_id "
	    "WHERE r.status = 'registered' AND r.reminded_at IS NULL "
	    "AND s.starts_at > ? AND s.starts_at <= ? ORDER BY r.id";
	/* Claimed before sending, so two runs at once never remind twice;
	 * given back when the mail fails, to be tried on the next run. */
	static const char q_claim[] = "UPDATE training_registrations "
	    "SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL "
	    "AND status = 'registered'";
	static const char q_unclaim[] = "UPDATE training_registrations "
	    "SET reminded_at = NULL WHERE id = ?";
	static const char q_changes[] = "SELECT changes()";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	tr_ids due = {NULL, 0};
	size_t i;
	bool row;
	vg_rc rc, worst = VG_OK;

	*sent = 0;
	if (c->smtp_url[0] == '\0' || c->notifier_email[0] == '\0')
		return VG_OK;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q_due, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_int(st, 2, now + TR_REMINDER_AHEAD);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		if ((rc = ids_add(&due, vg_stmt_int(st, 0))) != VG_OK)
			break;
	vg_stmt_done(st);
	if (rc != VG_OK) {
		tr_ids_free(&due);
		return rc;
	}
	for (i = 0; i < due.n; i++) {
		int64_t changed = 0;

		if ((rc = vg_db_begin(db)) != VG_OK)
			break;
		if ((rc = vg_db_prepare(db, q_claim, &st)) == VG_OK) {
			vg_stmt_bind_int(st, 1, now);
			vg_stmt_bind_int(st, 2, due.v[i]);
			rc = vg_stmt_exec(st);
			vg_stmt_done(st);
		}
		if (rc == VG_OK)
			rc = int_query(db, q_changes, 0, 0, 0, &changed, NULL);
		if (rc == VG_OK)
			rc = vg_db_commit(db);
		if (rc != VG_OK) {
			vg_db_rollback(db);
			break;
		}
		if (changed != 1)
			continue;
		if ((rc = trainings_mail(c, due.v[i], TR_MAIL_REMINDER)) ==
		    VG_OK) {
			(*sent)++;
			continue;
		}
		worst = rc;
		if (vg_db_prepare(db, q_unclaim, &st) == VG_OK) {
			vg_stmt_bind_int(st, 1, due.v[i]);
			if (vg_stmt_exec(st) != VG_OK)
				vg_error("trainings: reminder %lld stays "
				    "marked as sent", (long long)due.v[i]);
			vg_stmt_done(st);
		}
	}
	tr_ids_free(&due);
	return rc != VG_OK ? rc : worst;
}

vg_rc
trainings_send_reminders(const vg_config *c, int *sent)
{
	return trainings_send_reminders_at(c, (int64_t)time(NULL), sent);
}

vg_rc
trainings_upcoming(int64_t now, int64_t until, json_t **out)
{
	static const char q[] = "SELECT " SESSION_COLS ", " TRAINING_COLS
	    " FROM training_sessions s JOIN trainings t "
	    "ON t.id = s.training_id WHERE t.published = 1 "
	    "AND s.starts_at > ? AND s.starts_at <= ? "
	    "ORDER BY s.starts_at, s.id LIMIT 30";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_int(st, 2, until);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *s = session_row_json(st, now, false);
		json_t *t = training_row_json(st, 15);

		if (s != NULL && t != NULL)
			json_array_append_new(list, json_pack("{s:O, s:O, s:O, "
			    "s:O, s:O, s:O, s:O?, s:O?, s:O}", "session_id",
			    json_object_get(s, "id"), "training_id",
			    json_object_get(t, "id"), "title",
			    json_object_get(t, "title"), "date_label",
			    json_object_get(s, "date_label"), "time_label",
			    json_object_get(s, "time_label"), "format_label",
			    json_object_get(t, "format_label"), "place",
			    json_object_get(s, "place"), "departement",
			    json_object_get(s, "departement"), "url",
			    json_object_get(t, "url")));
		json_decref(s);
		json_decref(t);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}
