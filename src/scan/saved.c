/*
 * saved.c — the reports a professional chose to keep from the page
 * /verification-telephone.  The scanner itself stores nothing; this is
 * the platform keeping, at the user's request, the result (sealed) and a
 * label (sealed too: it may name the person).  Each user sees only their
 * own reports.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/sealed.h"
#include "scan/scan.h"

static const char *
verdict_of(json_t *result)
{
	json_t *f;
	size_t i;

	/* As the report's verdict (report.c): spy apps surely found, or
	 * only clues. */
	json_array_foreach(json_object_get(result, "findings"), i, f)
		if (json_is_string(json_object_get(f, "type")) &&
		    strcmp(json_string_value(json_object_get(f, "type")),
		    "stalkerware") == 0 &&
		    json_is_string(json_object_get(f, "confidence")) &&
		    strcmp(json_string_value(json_object_get(f, "confidence")),
		    "high") == 0)
			return "stalkerware";
	if (json_integer_value(json_object_get(result, "stalkerware")) > 0)
		return "clues";
	if (json_integer_value(json_object_get(result, "watchware")) > 0)
		return "watchware";
	if (json_integer_value(json_object_get(result, "errors")) > 0)
		return "incomplete";
	return "nothing";
}

vg_rc
scan_saved_add(const vg_keys *k, int64_t user, const char *label,
    json_t *result, int64_t *id)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st = NULL;
	char when[32], *text;
	time_t now = time(NULL);
	struct tm tm;
	vg_rc rc;

	if ((text = json_dumps(result, JSON_COMPACT)) == NULL)
		return VG_ENOMEM;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now,
	    &tm));
	if ((rc = vg_db_prepare(db, "INSERT INTO scan_reports (user_id, "
	    "created, label, verdict, report) VALUES (?, ?, ?, ?, ?)", &st))
	    == VG_OK &&
	    (rc = vg_stmt_bind_int(st, 1, user)) == VG_OK &&
	    (rc = vg_stmt_bind_text(st, 2, when)) == VG_OK &&
	    (rc = vg_stmt_bind_sealed(st, 3, k, label)) == VG_OK &&
	    (rc = vg_stmt_bind_text(st, 4, verdict_of(result))) == VG_OK &&
	    (rc = vg_stmt_bind_sealed(st, 5, k, text)) == VG_OK &&
	    (rc = vg_stmt_exec(st)) == VG_OK)
		*id = vg_db_last_id(db);
	vg_stmt_done(st);
	free(text);
	return rc;
}

vg_rc
scan_saved_list(const vg_keys *k, int64_t user, json_t **out)
{
	vg_stmt *st = NULL;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (list == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(vg_db_thread(), "SELECT id, created, label, "
	    "verdict FROM scan_reports WHERE user_id = ? ORDER BY created "
	    "DESC, id DESC", &st)) != VG_OK ||
	    (rc = vg_stmt_bind_int(st, 1, user)) != VG_OK)
		goto fail;
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *label = vg_stmt_unsealed(st, 2, k);

		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s}",
		    "id", (json_int_t)vg_stmt_int(st, 0),
		    "created", vg_stmt_text(st, 1),
		    "label", label ? label : "",
		    "verdict", vg_stmt_text(st, 3)));
		free(label);
	}
	if (rc != VG_OK)
		goto fail;
	vg_stmt_done(st);
	*out = list;
	return VG_OK;
fail:
	vg_stmt_done(st);
	json_decref(list);
	return rc;
}

vg_rc
scan_saved_get(const vg_keys *k, int64_t user, int64_t id, json_t **result,
    json_t **meta)
{
	vg_stmt *st = NULL;
	char *label = NULL, *text = NULL;
	bool row;
	vg_rc rc;

	*result = *meta = NULL;
	if ((rc = vg_db_prepare(vg_db_thread(), "SELECT created, label, "
	    "verdict, report FROM scan_reports WHERE id = ? AND user_id = ?",
	    &st)) != VG_OK ||
	    (rc = vg_stmt_bind_int(st, 1, id)) != VG_OK ||
	    (rc = vg_stmt_bind_int(st, 2, user)) != VG_OK ||
	    (rc = vg_stmt_step(st, &row)) != VG_OK)
		goto done;
	if (!row) {
		rc = VG_ENOTFOUND;
		goto done;
	}
	label = vg_stmt_unsealed(st, 1, k);
	text = vg_stmt_unsealed(st, 3, k);
	if (text == NULL || (*result = json_loads(text, 0, NULL)) == NULL) {
		rc = VG_EINTERNAL;
		goto done;
	}
	*meta = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id,
	    "created", vg_stmt_text(st, 0), "label", label ? label : "",
	    "verdict", vg_stmt_text(st, 2));
done:
	free(label);
	free(text);
	vg_stmt_done(st);
	return rc;
}

vg_rc
scan_saved_delete(int64_t user, int64_t id)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st = NULL;
	bool row = false;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, "SELECT 1 FROM scan_reports WHERE id = ? "
	    "AND user_id = ?", &st)) == VG_OK &&
	    (rc = vg_stmt_bind_int(st, 1, id)) == VG_OK &&
	    (rc = vg_stmt_bind_int(st, 2, user)) == VG_OK)
		rc = vg_stmt_step(st, &row);
	vg_stmt_done(st);
	st = NULL;
	if (rc != VG_OK)
		return rc;
	if (!row)
		return VG_ENOTFOUND;
	if ((rc = vg_db_prepare(db, "DELETE FROM scan_reports WHERE id = ? AND "
	    "user_id = ?", &st)) == VG_OK &&
	    (rc = vg_stmt_bind_int(st, 1, id)) == VG_OK &&
	    (rc = vg_stmt_bind_int(st, 2, user)) == VG_OK)
		rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}
