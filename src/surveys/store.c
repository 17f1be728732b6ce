/*
 * store.c — forms, waves, participants' codes, drafts and responses in
 * the database.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <time.h>

#include <sodium.h>

#include "core/i18n.h"
#include "core/when.h"
#include "db/sealed.h"
#include "surveys/surveys_int.h"
#include "surveys/xlsform.h"

#define DRAFT_DAYS 30

void
wave_free(struct wave *w)
{
	json_decref(w->def);
	memset(w, 0, sizeof(*w));
}

static vg_rc
wave_row(vg_stmt *st, struct wave *w)
{
	json_error_t je;

	w->id = vg_stmt_int(st, 0);
	w->form = vg_stmt_int(st, 1);
	snprintf(w->form_id, sizeof(w->form_id), "%s", vg_stmt_text(st, 2));
	snprintf(w->name, sizeof(w->name), "%s", vg_stmt_is_null(st, 3) ? "" :
	    vg_stmt_text(st, 3));
	w->opens_at = vg_stmt_int(st, 4);
	w->closes_at = vg_stmt_is_null(st, 5) ? 0 : vg_stmt_int(st, 5);
	w->panel = vg_stmt_int(st, 6) != 0;
	w->identified = vg_stmt_int(st, 7) != 0;
	w->linkage = vg_stmt_int(st, 8) != 0;
	w->def = json_loads(vg_stmt_text(st, 9), 0, &je);
	return w->def != NULL ? VG_OK : VG_EDB;
}

vg_rc
wave_load(int64_t wave_id, struct wave *w)
{
	static const char q[] = "SELECT w.id, f.id, f.form_id, w.name, "
	    "w.opens_at, w.closes_at, w.access = 'panel', w.anonymous = 0, "
	    "w.linkage, f.definition FROM survey_waves w "
	    "JOIN survey_forms f ON f.id = w.form_id WHERE w.id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	memset(w, 0, sizeof(*w));
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, wave_id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK)
		rc = row ? wave_row(st, w) : VG_ENOTFOUND;
	vg_stmt_done(st);
	if (rc != VG_OK)
		wave_free(w);
	return rc;
}

bool
wave_is_open(const struct wave *w, int64_t now)
{
	return w->id > 0 && w->opens_at <= now &&
	    (w->closes_at == 0 || now < w->closes_at);
}

vg_rc
wave_current(const char *form_id, int64_t now, struct wave *w, bool *open)
{
	static const char q_open[] = "SELECT w.id, f.id, f.form_id, w.name, "
	    "w.opens_at, w.closes_at, w.access = 'panel', w.anonymous = 0, "
	    "w.linkage, f.definition FROM survey_waves w "
	    "JOIN survey_forms f ON f.id = w.form_id "
	    "WHERE f.form_id = ?1 AND w.opens_at <= ?2 "
	    "AND (w.closes_at IS NULL OR w.closes_at > ?2) "
	    "ORDER BY w.opens_at DESC, w.id DESC LIMIT 1";
	static const char q_form[] = "SELECT 0, id, form_id, NULL, 0, NULL, "
	    "0, 0, 0, definition FROM survey_forms WHERE form_id = ?1";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	memset(w, 0, sizeof(*w));
	*open = false;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q_open, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, form_id);
	vg_stmt_bind_int(st, 2, now);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		rc = wave_row(st, w);
		*open = rc == VG_OK;
	}
	vg_stmt_done(st);
	if (rc != VG_OK || *open)
		return rc;
	if ((rc = vg_db_prepare(db, q_form, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, form_id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK)
		rc = row ? wave_row(st, w) : VG_ENOTFOUND;
	vg_stmt_done(st);
	if (rc != VG_OK)
		wave_free(w);
	return rc;
}

/* --- codes ------------------------------------------------------------- */

void
code_hash(const vg_keys *k, const char *code, char out[VG_TOKEN_CHARS + 1])
{
	char norm[256];
	size_t n = 0;

	/* "k7qf 2mzx-9tba" and "K7QF-2MZX-9TBA" are the same code. */
	for (; code != NULL && *code != '\0' && n + 1 < sizeof(norm); code++)
		if (isalnum((unsigned char)*code))
			norm[n++] = (char)toupper((unsigned char)*code);
		else if ((unsigned char)*code >= 0x80)
			norm[n++] = *code;
	norm[n] = '\0';
	vg_hash_text(k->survey, norm, n, out);
}

void
code_new(char out[16])
{
	/* No 0/O, 1/I/L, 5/S, 8/B: read aloud or copied by hand. */
	static const char alphabet[] = "234679ACDEFGHJKMNPQRTUVWXYZ";
	size_t i, o = 0;

	for (i = 0; i < 12; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	}
	out[o] = '\0';
}

/* --- forms and waves --------------------------------------------------- */

static bool
has_answers(vg_db *db, int64_t form)
{
	static const char q[] = "SELECT 1 FROM survey_responses r "
	    "JOIN survey_waves w ON w.id = r.wave_id WHERE w.form_id = ? "
	    "LIMIT 1";
	vg_stmt *st;
	bool row = false;

	if (vg_db_prepare(db, q, &st) != VG_OK)
		return true;
	vg_stmt_bind_int(st, 1, form);
	if (vg_stmt_step(st, &row) != VG_OK)
		row = true;
	vg_stmt_done(st);
	return row;
}

vg_rc
surveys_form_store(const json_t *form, int64_t user, int64_t *id, char *err,
    size_t errlen)
{
	static const char q_find[] = "SELECT id FROM survey_forms "
	    "WHERE form_id = ?";
	static const char q_insert[] = "INSERT INTO survey_forms (form_id, "
	    "title, version, definition, created_at, modified_at, created_by) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)";
	static const char q_update[] = "UPDATE survey_forms SET title = ?2, "
	    "version = ?3, definition = ?4, modified_at = ?5 WHERE id = ?7";
	const char *fid = json_string_value(json_object_get(form, "id"));
	const char *title = json_string_value(json_object_get(form, "title"));
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	char *def;
	int64_t existing = 0;
	bool row;
	vg_rc rc;

	*id = 0;
	if (db == NULL)
		return VG_EDB;
	if (fid == NULL) {
		snprintf(err, errlen, "%s", _("le questionnaire n'a pas "
		    "d'identifiant (form_id)"));
		return VG_EINVAL;
	}
	if ((def = json_dumps(form, JSON_COMPACT)) == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_begin(db)) != VG_OK) {
		free(def);
		return rc;
	}
	if ((rc = vg_db_prepare(db, q_find, &st)) == VG_OK) {
		vg_stmt_bind_text(st, 1, fid);
		if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
			existing = vg_stmt_int(st, 0);
		vg_stmt_done(st);
	}
	if (rc == VG_OK && existing > 0 && has_answers(db, existing)) {
		snprintf(err, errlen, _("le questionnaire « %s » a déjà des "
		    "réponses : il ne peut plus être remplacé ; importez-le "
		    "sous un autre form_id (par exemple %s_v2)"), fid, fid);
		rc = VG_ECONFLICT;
	}
	if (rc == VG_OK && (rc = vg_db_prepare(db, existing ? q_update :
	    q_insert, &st)) == VG_OK) {
		vg_stmt_bind_text(st, 1, fid);
		vg_stmt_bind_text(st, 2, title ? title : fid);
		vg_stmt_bind_text(st, 3, json_string_value(json_object_get(form,
		    "version")));
		vg_stmt_bind_text(st, 4, def);
		vg_stmt_bind_int(st, 5, (int64_t)time(NULL));
		if (user > 0)
			vg_stmt_bind_int(st, 6, user);
		else
			vg_stmt_bind_null(st, 6);
		if (existing)
			vg_stmt_bind_int(st, 7, existing);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	free(def);
	if (rc == VG_OK && (rc = vg_db_commit(db)) == VG_OK) {
		*id = existing ? existing : vg_db_last_id(db);
		return VG_OK;
	}
	vg_db_rollback(db);
	return rc;
}

/* The sheets of "NAME.csv": NAME.choices.csv and NAME.settings.csv. */
static char *
read_all(const char *path, size_t *len, bool *missing)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	struct stat sb;

	*missing = f == NULL && errno == ENOENT;
	if (f == NULL)
		return NULL;
	if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0 ||
	    (size_t)sb.st_size > VG_XLSFORM_MAX_FILE) {
		fclose(f);
		return NULL;
	}
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)sb.st_size, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

vg_rc
surveys_import_file(const char *path, int64_t user, char **form_id,
    char *err, size_t errlen)
{
	char base[1024], other[1100], *data = NULL, *choices = NULL;
	char *settings = NULL;
	const char *slash = strrchr(path, '/'), *dot;
	size_t len = 0, clen = 0, slen = 0, n;
	json_t *form = NULL;
	int64_t id;
	bool missing;
	vg_rc rc;

	*form_id = NULL;
	/* The file's name, without its extension, names a form that has
	 * no form_id setting. */
	snprintf(base, sizeof(base), "%s", slash ? slash + 1 : path);
	if ((dot = strrchr(base, '.')) != NULL)
		base[dot - base] = '\0';
	for (n = 0; base[n] != '\0'; n++)
		if (!isalnum((unsigned char)base[n]) && base[n] != '-')
			base[n] = '_';
		else
			base[n] = (char)tolower((unsigned char)base[n]);
	if ((data = read_all(path, &len, &missing)) == NULL) {
		snprintf(err, errlen, _("%s : fichier illisible (%s)"), path,
		    missing ? _("il n'existe pas") : _("trop gros ou protégé"));
		return VG_EINVAL;
	}
	dot = strrchr(path, '.');
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		rc = vg_xlsform_read_xlsx(data, len, base, &form, err, errlen);
	} else if (dot != NULL && strcasecmp(dot, ".csv") == 0) {
		snprintf(other, sizeof(other), "%.*s.choices.csv",
		    (int)(dot - path), path);
		choices = read_all(other, &clen, &missing);
		snprintf(other, sizeof(other), "%.*s.settings.csv",
		    (int)(dot - path), path);
		settings = read_all(other, &slen, &missing);
		rc = vg_xlsform_read_csv(data, len, choices, clen, settings,
		    slen, base, &form, err, errlen);
	} else {
		snprintf(err, errlen, _("%s : ni un classeur .xlsx ni un fichier "
		    ".csv de la feuille survey"), path);
		rc = VG_EINVAL;
	}
	free(data);
	free(choices);
	free(settings);
	if (rc != VG_OK)
		return rc;
	rc = surveys_form_store(form, user, &id, err, errlen);
	if (rc == VG_OK && (*form_id = strdup(json_string_value(
	    json_object_get(form, "id")))) == NULL)
		rc = VG_ENOMEM;
	json_decref(form);
	return rc;
}

/* A form that the database does not have yet is added from
 * share/content/questionnaires/NAME.csv (with NAME.choices.csv and
 * NAME.settings.csv): the starter questionnaires, after which editors own
 * them. */
vg_rc
surveys_content_sync(const char *share, int *added, char *err, size_t errlen)
{
	static const char q[] = "SELECT 1 FROM survey_forms WHERE form_id = ?";
	char dir[1200], path[1600], base[1600];
	struct dirent *e;
	DIR *d;
	vg_rc rc = VG_OK;

	*added = 0;
	snprintf(dir, sizeof(dir), "%s/content/questionnaires", share);
	if ((d = opendir(dir)) == NULL)
		return VG_OK;
	while (rc == VG_OK && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), len[3] = {0, 0, 0};
		char *data[3] = {NULL, NULL, NULL};
		json_t *form = NULL;
		bool missing, have = false;
		vg_stmt *st;
		int64_t id;
		int i;

		/* NAME.csv only: not NAME.choices.csv, NAME.settings.csv. */
		if (n < 5 || strcmp(e->d_name + n - 4, ".csv") != 0 ||
		    memchr(e->d_name, '.', n - 4) != NULL)
			continue;
		snprintf(base, sizeof(base), "%s/%.*s", dir, (int)(n - 4),
		    e->d_name);
		for (i = 0; i < 3; i++) {
			static const char *const ext[] = {".csv",
			    ".choices.csv", ".settings.csv"};

			snprintf(path, sizeof(path), "%s%s", base, ext[i]);
			data[i] = read_all(path, &len[i], &missing);
		}
		rc = data[0] ? vg_xlsform_read_csv(data[0], len[0], data[1],
		    len[1], data[2], len[2], NULL, &form, err, errlen) : VG_EIO;
		for (i = 0; i < 3; i++)
			free(data[i]);
		if (rc != VG_OK)
			break;
		if ((rc = vg_db_prepare(vg_db_thread(), q, &st)) == VG_OK) {
			vg_stmt_bind_text(st, 1, json_string_value(
			    json_object_get(form, "id")));
			rc = vg_stmt_step(st, &have);
			vg_stmt_done(st);
		}
		if (rc == VG_OK && !have && (rc = surveys_form_store(form, 0,
		    &id, err, errlen)) == VG_OK)
			(*added)++;
		json_decref(form);
	}
	closedir(d);
	return rc;
}

vg_rc
surveys_wave_open(const char *form_id, const struct wave_options *o,
    int64_t *wave_id, char *err, size_t errlen)
{
	static const char q_form[] = "SELECT id FROM survey_forms "
	    "WHERE form_id = ?";
	static const char q_insert[] = "INSERT INTO survey_waves (form_id, "
	    "name, opens_at, closes_at, access, anonymous, linkage, "
	    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	int64_t form = 0, now = (int64_t)time(NULL);
	int64_t opens = o->opens_at ? o->opens_at : now;
	bool row;
	vg_rc rc;

	*wave_id = 0;
	if (db == NULL)
		return VG_EDB;
	if (o->name == NULL || *o->name == '\0' || strlen(o->name) > 100) {
		snprintf(err, errlen, "%s", _("le nom de la vague est "
		    "obligatoire (100 caractères au plus), par exemple "
		    "« 2026 — T1 »"));
		return VG_EINVAL;
	}
	if (o->closes_at != 0 && o->closes_at <= opens) {
		snprintf(err, errlen, "%s", _("la date de fermeture doit venir "
		    "après l'ouverture"));
		return VG_EINVAL;
	}
	if ((rc = vg_db_prepare(db, q_form, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, form_id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		form = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (form == 0) {
		snprintf(err, errlen, _("aucun questionnaire « %s » : importez-"
		    "le d'abord (vigie survey import)"), form_id);
		return VG_ENOTFOUND;
	}
	if ((rc = vg_db_prepare(db, q_insert, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, form);
	vg_stmt_bind_text(st, 2, o->name);
	vg_stmt_bind_int(st, 3, opens);
	if (o->closes_at)
		vg_stmt_bind_int(st, 4, o->closes_at);
	else
		vg_stmt_bind_null(st, 4);
	vg_stmt_bind_text(st, 5, o->panel ? "panel" : "open");
	vg_stmt_bind_int(st, 6, !o->identified);
	vg_stmt_bind_int(st, 7, o->linkage);
	vg_stmt_bind_int(st, 8, now);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc == VG_ECONFLICT)
		snprintf(err, errlen, _("ce questionnaire a déjà une vague "
		    "« %s »"), o->name);
	if (rc == VG_OK)
		*wave_id = vg_db_last_id(db);
	return rc;
}

/* --- answering ----------------------------------------------------------- */

/*
 * Starts are counted in memory and written with the next sending (in its
 * transaction), or when the editors' page or the daily job asks: a start
 * is not worth a disk flush of its own.  A crash loses at most the starts
 * since the last write, which only makes the completion rate look a
 * little better for that day.
 */
struct start_count {
	int64_t wave;
	char day[16];
	int64_t n;
};

static pthread_mutex_t starts_lock = PTHREAD_MUTEX_INITIALIZER;
static struct start_count *starts;
static size_t nstarts, capstarts;

void
wave_count_start(int64_t wave_id)
{
	char day[16];
	size_t i;

	vg_time_text(time(NULL), "%Y-%m-%d", day, sizeof(day));
	pthread_mutex_lock(&starts_lock);
	for (i = 0; i < nstarts; i++)
		if (starts[i].wave == wave_id && !strcmp(starts[i].day, day))
			break;
	if (i == nstarts && nstarts == capstarts) {
		size_t cap = capstarts ? 2 * capstarts : 8;
		struct start_count *p = realloc(starts, cap * sizeof(*p));

		if (p != NULL) {
			starts = p;
			capstarts = cap;
		}
	}
	if (i == nstarts && nstarts < capstarts) {
		starts[i].wave = wave_id;
		snprintf(starts[i].day, sizeof(starts[i].day), "%s", day);
		starts[i].n = 0;
		nstarts++;
	}
	if (i < nstarts)
		starts[i].n++;
	pthread_mutex_unlock(&starts_lock);
}

/* Write the counted starts (inside the caller's transaction, if any).
 * On failure they are kept for the next time. */
static vg_rc
starts_write(vg_db *db)
{
	static const char q[] = "INSERT INTO survey_wave_days (wave_id, day, "
	    "started) VALUES (?1, ?2, ?3) ON CONFLICT (wave_id, day) "
	    "DO UPDATE SET started = started + ?3";
	struct start_count *copy;
	vg_stmt *st;
	size_t n, i;
	vg_rc rc = VG_OK;

	pthread_mutex_lock(&starts_lock);
	copy = starts;
	n = nstarts;
	starts = NULL;
	nstarts = capstarts = 0;
	pthread_mutex_unlock(&starts_lock);
	for (i = 0; i < n && rc == VG_OK; i++) {
		if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
			break;
		vg_stmt_bind_int(st, 1, copy[i].wave);
		vg_stmt_bind_text(st, 2, copy[i].day);
		vg_stmt_bind_int(st, 3, copy[i].n);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	if (rc != VG_OK) {
		/* Put them back: counted again next time. */
		for (i = 0; i < n; i++)
			while (copy[i].n-- > 0)
				wave_count_start(copy[i].wave);
	}
	free(copy);
	return rc;
}

void
surveys_flush_starts(void)
{
	vg_db *db = vg_db_thread();

	if (db != NULL && vg_db_begin(db) == VG_OK) {
		if (starts_write(db) == VG_OK)
			vg_db_commit(db);
		else
			vg_db_rollback(db);
	}
}

vg_rc
response_insert(const vg_keys *k, const struct wave *w, const json_t *answers,
    const char *language, int64_t participant, const char *link_hash,
    const char *nonce, int64_t *id)
{
	static const char q_nonce[] = "INSERT INTO survey_nonces (wave_id, "
	    "nonce) VALUES (?, ?)";
	static const char q_use[] = "UPDATE survey_participants SET used = 1, "
	    "code_sealed = NULL WHERE id = ? AND wave_id = ? AND used = 0";
	static const char q_changed[] = "SELECT changes()";
	static const char q_insert[] = "INSERT INTO survey_responses (id, "
	    "wave_id, submitted_on, submitted_at, participant_id, language, "
	    "link_hash, answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	static const char q_day[] = "INSERT INTO survey_wave_days (wave_id, "
	    "day, completed) VALUES (?1, ?2, 1) ON CONFLICT (wave_id, day) "
	    "DO UPDATE SET completed = completed + 1";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	char day[16], *text;
	int64_t now = (int64_t)time(NULL), rid = 0;
	bool row;
	vg_rc rc;
	int tries;

	*id = 0;
	if (db == NULL)
		return VG_EDB;
	if ((text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return VG_ENOMEM;
	vg_time_text(now, "%Y-%m-%d", day, sizeof(day));
	if ((rc = vg_db_begin(db)) != VG_OK) {
		free(text);
		return rc;
	}
	if ((rc = vg_db_prepare(db, q_nonce, &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, w->id);
		vg_stmt_bind_text(st, 2, nonce);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	if (rc == VG_OK && participant > 0) {
		if ((rc = vg_db_prepare(db, q_use, &st)) == VG_OK) {
			vg_stmt_bind_int(st, 1, participant);
			vg_stmt_bind_int(st, 2, w->id);
			rc = vg_stmt_exec(st);
			vg_stmt_done(st);
		}
		if (rc == VG_OK && (rc = vg_db_prepare(db, q_changed, &st)) ==
		    VG_OK) {
			if ((rc = vg_stmt_step(st, &row)) == VG_OK &&
			    (!row || vg_stmt_int(st, 0) != 1))
				rc = VG_ECONFLICT;
			vg_stmt_done(st);
		}
	}
	/* Anonymous answers get a random row number: the order of the rows
	 * tells nothing of who answered when.  A collision is retried. */
	for (tries = 0; rc == VG_OK && tries < 4; tries++) {
		if (!w->identified) {
			randombytes_buf(&rid, sizeof(rid));
			rid &= INT64_MAX;
			if (rid == 0)
				rid = 1;
		}
		if ((rc = vg_db_prepare(db, q_insert, &st)) != VG_OK)
			break;
		if (w->identified)
			vg_stmt_bind_null(st, 1);
		else
			vg_stmt_bind_int(st, 1, rid);
		vg_stmt_bind_int(st, 2, w->id);
		vg_stmt_bind_text(st, 3, day);
		if (w->identified) {
			vg_stmt_bind_int(st, 4, now);
			if (participant > 0)
				vg_stmt_bind_int(st, 5, participant);
			else
				vg_stmt_bind_null(st, 5);
		} else {
			vg_stmt_bind_null(st, 4);
			vg_stmt_bind_null(st, 5);
		}
		vg_stmt_bind_text(st, 6, language);
		vg_stmt_bind_text(st, 7, link_hash);
		rc = vg_stmt_bind_sealed(st, 8, k, text);
		if (rc == VG_OK)
			rc = vg_stmt_exec(st);
		vg_stmt_done(st);
		if (rc != VG_ECONFLICT || w->identified)
			break;
		rc = VG_OK;
	}
	if (rc == VG_OK)
		rid = vg_db_last_id(db);
	if (rc == VG_OK && (rc = vg_db_prepare(db, q_day, &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, w->id);
		vg_stmt_bind_text(st, 2, day);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	/* The starts counted since the last write go with this sending. */
	if (rc == VG_OK)
		rc = starts_write(db);
	free(text);
	if (rc == VG_OK && (rc = vg_db_commit(db)) == VG_OK) {
		*id = rid;
		return VG_OK;
	}
	vg_db_rollback(db);
	return rc;
}

/* --- drafts ------------------------------------------------------------ */

vg_rc
draft_save(const vg_keys *k, int64_t wave_id, const char *state,
    char code[16])
{
	static const char q_purge[] = "DELETE FROM survey_drafts "
	    "WHERE saved_at < ?";
	static const char q[] = "INSERT INTO survey_drafts (code_hash, "
	    "wave_id, state_sealed, saved_at) VALUES (?, ?, ?, ?)";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	char hash[VG_TOKEN_CHARS + 1];
	int64_t now = (int64_t)time(NULL);
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if (vg_db_prepare(db, q_purge, &st) == VG_OK) {
		vg_stmt_bind_int(st, 1, now - DRAFT_DAYS * 86400);
		vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	code_new(code);
	code_hash(k, code, hash);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, hash);
	vg_stmt_bind_int(st, 2, wave_id);
	if ((rc = vg_stmt_bind_sealed(st, 3, k, state)) == VG_OK) {
		vg_stmt_bind_int(st, 4, now);
		rc = vg_stmt_exec(st);
	}
	vg_stmt_done(st);
	return rc;
}

vg_rc
draft_load(const vg_keys *k, int64_t wave_id, const char *code, char **state)
{
	static const char q[] = "SELECT state_sealed FROM survey_drafts "
	    "WHERE code_hash = ? AND wave_id = ? AND saved_at >= ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	char hash[VG_TOKEN_CHARS + 1];
	bool row;
	vg_rc rc;

	*state = NULL;
	if (db == NULL)
		return VG_EDB;
	code_hash(k, code, hash);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, hash);
	vg_stmt_bind_int(st, 2, wave_id);
	vg_stmt_bind_int(st, 3, (int64_t)time(NULL) - DRAFT_DAYS * 86400);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		*state = vg_stmt_unsealed(st, 0, k);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return *state != NULL ? VG_OK : VG_ENOTFOUND;
}

void
draft_delete(const vg_keys *k, const char *code)
{
	static const char q[] = "DELETE FROM survey_drafts WHERE code_hash = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	char hash[VG_TOKEN_CHARS + 1];

	if (code == NULL || db == NULL || vg_db_prepare(db, q, &st) != VG_OK)
		return;
	code_hash(k, code, hash);
	vg_stmt_bind_text(st, 1, hash);
	vg_stmt_exec(st);
	vg_stmt_done(st);
}

vg_rc
participant_find(const vg_keys *k, int64_t wave_id, const char *code,
    int64_t *id, bool *used)
{
	static const char q[] = "SELECT id, used FROM survey_participants "
	    "WHERE code_hash = ? AND wave_id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	char hash[VG_TOKEN_CHARS + 1];
	bool row;
	vg_rc rc;

	*id = 0;
	*used = false;
	if (db == NULL)
		return VG_EDB;
	code_hash(k, code, hash);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, hash);
	vg_stmt_bind_int(st, 2, wave_id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		*id = vg_stmt_int(st, 0);
		*used = vg_stmt_int(st, 1) != 0;
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return *id > 0 ? VG_OK : VG_ENOTFOUND;
}

const char *
label_in(const json_t *labels, const char *lang)
{
	const char *s = json_string_value(json_object_get(labels, lang));
	const char *key;
	json_t *v;

	if (s == NULL)
		s = json_string_value(json_object_get(labels, "fr"));
	if (s == NULL)
		json_object_foreach((json_t *)labels, key, v)
			if ((s = json_string_value(v)) != NULL)
				break;
	return s;
}
