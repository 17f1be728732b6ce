/*
 * stats.c — the yearly report of a trusted flagger (DSA art. 22): notices
 * by host, by type of content and by action taken, and the median time to
 * removal.  Counts only: no personal data ever leaves here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "db/db.h"
#include "reports/reports_int.h"
#include "reports/stats.h"

static int64_t
year_start(int year)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mday = 1;
	return (int64_t)timegm(&tm);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Run q with the year's bounds as ?1 and ?2; each row becomes an object
 * with the given keys (the first a text, the others integers). */
static vg_rc
table(vg_db *db, const char *q, int64_t from, int64_t to,
    const char *const *keys, int nkeys, json_t **out)
{
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	int i;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, from);
	vg_stmt_bind_int(st, 2, to);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *o = json_object();

		json_object_set_new(o, keys[0], json_string(vg_stmt_text(st, 0) ?
		    vg_stmt_text(st, 0) : "?"));
		for (i = 1; i < nkeys; i++)
			json_object_set_new(o, keys[i],
			    json_integer(vg_stmt_int(st, i)));
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
reports_stats(int year, json_t **out)
{
	static const char q_hosts[] =
	    "SELECT coalesce(u.platform, u.host), count(*), "
	    " sum(n.decision = 'retire'), sum(n.decision = 'refuse'), "
	    " sum(n.reply_at IS NULL) "
	    "FROM notices n JOIN report_urls u ON u.report_id = n.report_id "
	    " AND u.position = 0 "
	    "WHERE n.sent_at >= ?1 AND n.sent_at < ?2 "
	    "GROUP BY 1 ORDER BY 2 DESC, 1";
	static const char q_types[] =
	    "SELECT r.category, count(DISTINCT r.id), count(n.id), "
	    " count(DISTINCT CASE WHEN r.outcome = 'retire' THEN r.id END) "
	    "FROM reports r LEFT JOIN notices n ON n.report_id = r.id "
	    " AND n.sent_at IS NOT NULL "
	    "WHERE r.created_at >= ?1 AND r.created_at < ?2 "
	    "GROUP BY 1 ORDER BY 2 DESC, 1";
	/* Outcomes of the year's reports, and the forwards made. */
	static const char q_actions[] =
	    "SELECT a, count(*) FROM ("
	    " SELECT coalesce(outcome, status) AS a FROM reports "
	    " WHERE created_at >= ?1 AND created_at < ?2 "
	    " UNION ALL SELECT 'transmis-' || substr(detail, 1, "
	    "  CASE WHEN instr(detail, ' ') > 0 THEN instr(detail, ' ') - 1 "
	    "  ELSE length(detail) END) FROM report_events "
	    " WHERE kind = 'forward' AND at >= ?1 AND at < ?2"
	    ") GROUP BY 1 ORDER BY 2 DESC, 1";
	static const char q_delays[] =
	    "SELECT reply_at - sent_at FROM notices WHERE decision = 'retire' "
	    "AND sent_at >= ?1 AND sent_at < ?2";
	static const char *const k_hosts[] = {"host", "notices", "removed",
	    "refused", "unanswered"};
	static const char *const k_types[] = {"category", "reports",
	    "notices", "removed"};
	static const char *const k_actions[] = {"action", "reports"};
	int64_t from = year_start(year), to = year_start(year + 1);
	int64_t *d = NULL;
	size_t n = 0, cap = 0, i;
	vg_db *db = vg_db_thread();
	json_t *hosts = NULL, *types = NULL, *actions = NULL, *o;
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = table(db, q_hosts, from, to, k_hosts, 5, &hosts)) != VG_OK ||
	    (rc = table(db, q_types, from, to, k_types, 4, &types)) != VG_OK ||
	    (rc = table(db, q_actions, from, to, k_actions, 2, &actions)) !=
	    VG_OK)
		goto fail;
	json_array_foreach(types, i, o) {
		json_t *c = reports_find("categories", json_string_value(
		    json_object_get(o, "category")));

		json_object_set(o, "label", c ? json_object_get(c, "libelle") :
		    json_object_get(o, "category"));
	}
	json_array_foreach(actions, i, o)
		json_object_set_new(o, "label", json_string(
		    reports_action_label(json_string_value(json_object_get(o,
		    "action")))));
	if ((rc = vg_db_prepare(db, q_delays, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, from);
	vg_stmt_bind_int(st, 2, to);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		if (n == cap) {
			int64_t *p = realloc(d, (cap = cap ? 2 * cap : 64) *
			    sizeof(*d));

			if (p == NULL) {
				rc = VG_ENOMEM;
				break;
			}
			d = p;
		}
		d[n++] = vg_stmt_int(st, 0);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	qsort(d, n, sizeof(*d), cmp_i64);
	*out = json_pack("{s:i, s:o, s:o, s:o, s:I}", "year", year,
	    "by_host", hosts, "by_type", types, "by_action", actions,
	    "removals", (json_int_t)n);
	if (*out != NULL && n > 0)
		json_object_set_new(*out, "median_hours_to_removal", json_real(
		    (n % 2 ? (double)d[n / 2] : (d[n / 2 - 1] + d[n / 2]) /
		    2.0) / 3600.0));
	free(d);
	return *out ? VG_OK : VG_ENOMEM;
fail:
	free(d);
	json_decref(hosts);
	json_decref(types);
	json_decref(actions);
	return rc;
}

const char *
reports_action_label(const char *a)
{
	if (a == NULL)
		return "";
	if (!strcmp(a, "retire"))
		return _("contenu retiré");
	if (!strcmp(a, "refuse"))
		return _("retrait refusé");
	if (!strcmp(a, "sans-reponse"))
		return _("pas de réponse");
	if (!strcmp(a, "hors-champ"))
		return _("hors de nos missions");
	if (!strcmp(a, "transmis-pharos"))
		return _("transmis aux autorités (PHAROS)");
	if (!strcmp(a, "transmis-inhope"))
		return _("transmis à la ligne partenaire du pays d'hébergement "
		    "(INHOPE)");
	return reports_status_label(a);
}

/* One CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break; a leading = + - @ is prefixed with ' so that a spreadsheet never
 * runs it as a formula. */
static void
csv_field(vg_buf *b, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL && strchr("=+-@", s[0]) == NULL) {
		vg_buf_puts(b, s);
		return;
	}
	vg_buf_putc(b, '"');
	if (s[0] != '\0' && strchr("=+-@", s[0]) != NULL)
		vg_buf_putc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			vg_buf_putc(b, '"');
		vg_buf_putc(b, *p);
	}
	vg_buf_putc(b, '"');
}

static const struct {
	const char *table, *key;
	const char *cols[4];
} sheets[] = {
	{"by_host", "host", {"notices", "removed", "refused", "unanswered"}},
	{"by_type", "category", {"reports", "notices", "removed", NULL}},
	{"by_action", "action", {"reports", NULL, NULL, NULL}},
};

void
reports_stats_csv(const json_t *s, vg_buf *b)
{
	size_t i, j, k;
	json_t *row;

	vg_buf_puts(b, "table,key,count1,count2,count3,count4\r\n");
	for (i = 0; i < VG_ARRAY_LEN(sheets); i++)
		json_array_foreach(json_object_get(s, sheets[i].table), j, row) {
			vg_buf_printf(b, "%s,", sheets[i].table);
			csv_field(b, json_string_value(json_object_get(row,
			    sheets[i].key)));
			for (k = 0; k < 4; k++)
				vg_buf_printf(b, ",%lld", sheets[i].cols[k] ?
				    (long long)json_integer_value(json_object_get(
				    row, sheets[i].cols[k])) : 0LL);
			vg_buf_puts(b, "\r\n");
		}
	if (json_object_get(s, "median_hours_to_removal") != NULL)
		vg_buf_printf(b, "median,hours_to_removal,%.1f,0,0,0\r\n",
		    json_real_value(json_object_get(s,
		    "median_hours_to_removal")));
}

vg_rc
reports_stats_xlsx(const json_t *s, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	size_t i, j, k;
	json_t *row;

	if (wb == NULL)
		return VG_EIO;
	for (i = 0; i < VG_ARRAY_LEN(sheets); i++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb,
		    sheets[i].table);

		worksheet_write_string(ws, 0, 0, sheets[i].key, NULL);
		for (k = 0; k < 4 && sheets[i].cols[k]; k++)
			worksheet_write_string(ws, 0, (lxw_col_t)(k + 1),
			    sheets[i].cols[k], NULL);
		json_array_foreach(json_object_get(s, sheets[i].table), j, row) {
			/* Written as strings, never as formulas. */
			worksheet_write_string(ws, (lxw_row_t)(j + 1), 0,
			    json_string_value(json_object_get(row,
			    sheets[i].key)), NULL);
			for (k = 0; k < 4 && sheets[i].cols[k]; k++)
				worksheet_write_number(ws, (lxw_row_t)(j + 1),
				    (lxw_col_t)(k + 1), (double)json_integer_value(
				    json_object_get(row, sheets[i].cols[k])), NULL);
		}
	}
	return workbook_close(wb) == LXW_NO_ERROR ? VG_OK : VG_EIO;
}

/*
 * Counts of reports by category, platform (of their first address), month
 * of reporting or outcome, for the barometer: aggregates only, nothing of
 * a report.  *out is a new array of {group, label, count}, *total the
 * reports counted.
 */
vg_rc
reports_breakdown(const char *by, json_t **out, int64_t *total)
{
	static const char q_cat[] = "SELECT category, count(*) FROM reports "
	    "GROUP BY 1 ORDER BY 1";
	static const char q_month[] = "SELECT strftime('%Y-%m', created_at, "
	    "'unixepoch'), count(*) FROM reports GROUP BY 1 ORDER BY 1";
	static const char q_outcome[] = "SELECT coalesce(outcome, "
	    "'en-cours'), count(*) FROM reports GROUP BY 1 ORDER BY 1";
	static const char q_platform[] = "SELECT coalesce(u.platform, "
	    "'autre'), count(*) FROM reports r JOIN report_urls u ON "
	    "u.report_id = r.id AND u.position = (SELECT min(position) FROM "
	    "report_urls x WHERE x.report_id = r.id) GROUP BY 1 ORDER BY 1";
	static const char q_total[] = "SELECT count(*) FROM reports";
	const char *q = by == NULL ? NULL : !strcmp(by, "categorie") ? q_cat :
	    !strcmp(by, "mois") ? q_month : !strcmp(by, "issue") ? q_outcome :
	    !strcmp(by, "plateforme") ? q_platform : NULL;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	*total = 0;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q_total, &st)) == VG_OK) {
		if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
			*total = vg_stmt_int(st, 0);
		vg_stmt_done(st);
	}
	if (rc == VG_OK && by != NULL && q == NULL)
		rc = VG_EINVAL;
	if (rc == VG_OK && q != NULL && (rc = vg_db_prepare(db, q, &st)) ==
	    VG_OK) {
		while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
			const char *g = vg_stmt_text(st, 0);
			const char *label = g;
			json_t *c;

			if (q == q_cat && (c = reports_find("categories", g)) !=
			    NULL)
				label = json_string_value(json_object_get(c,
				    "libelle"));
			else if (q == q_outcome)
				label = !strcmp(g, "en-cours") ?
				    _("En cours de traitement") :
				    reports_outcome_label(g);
			json_array_append_new(list, json_pack("{s:s, s:s, s:I}",
			    "group", g, "label", label ? label : g, "count",
			    (json_int_t)vg_stmt_int(st, 1)));
		}
		vg_stmt_done(st);
	}
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

/* The value at p (0…1) of n sorted values, interpolated between the two
 * nearest (R's quantile type 7, numpy's default): the median of an even
 * count is the mean of the two middle values, as reports_stats() gives. */
static double
quantile(const int64_t *v, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)h;

	if (lo + 1 >= n)
		return (double)v[n - 1];
	return (double)v[lo] + (h - (double)lo) * (double)(v[lo + 1] - v[lo]);
}

/* Rows of (group, count) from q over the year's bounds, each labelled. */
static vg_rc
year_groups(vg_db *db, const char *q, int64_t from, int64_t to,
    const char *kind, json_t **out)
{
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, from);
	vg_stmt_bind_int(st, 2, to);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *g = vg_stmt_text(st, 0) ? vg_stmt_text(st, 0) : "?";
		const char *label = g;
		json_t *c;

		if (!strcmp(kind, "category") &&
		    (c = reports_find("categories", g)) != NULL)
			label = json_string_value(json_object_get(c,
			    "libelle"));
		else if (!strcmp(kind, "platform") && !strcmp(g, "autre"))
			label = _("Autres sites");
		else if (!strcmp(kind, "outcome"))
			label = !strcmp(g, "en-cours") ?
			    _("En cours de traitement") :
			    reports_outcome_label(g);
		json_array_append_new(list, json_pack("{s:s, s:s, s:I}",
		    "group", g, "label", label ? label : g, "count",
		    (json_int_t)vg_stmt_int(st, 1)));
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

/* The first row's nv integers of q over [a, b), with c as ?3 (when c is
 * not 0). */
static vg_rc
one_row(vg_db *db, const char *q, int64_t a, int64_t b, int64_t c,
    int64_t *v, int nv)
{
	vg_stmt *st;
	bool row;
	int i;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, a);
	vg_stmt_bind_int(st, 2, b);
	if (c != 0)
		vg_stmt_bind_int(st, 3, c);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		for (i = 0; i < nv; i++)
			v[i] = vg_stmt_int(st, i);
	vg_stmt_done(st);
	return rc;
}

vg_rc
reports_stats_year(int year, int64_t now, json_t **out)
{
	static const char q_total[] = "SELECT count(*) FROM reports "
	    "WHERE created_at >= ?1 AND created_at < ?2";
	static const char q_cat[] = "SELECT category, count(*) FROM reports "
	    "WHERE created_at >= ?1 AND created_at < ?2 "
	    "GROUP BY 1 ORDER BY 2 DESC, 1";
	/* The platform of a report's first address, as the barometer
	 * counts it. */
	static const char q_platform[] = "SELECT coalesce(u.platform, "
	    "'autre'), count(*) FROM reports r JOIN report_urls u ON "
	    "u.report_id = r.id AND u.position = (SELECT min(position) FROM "
	    "report_urls x WHERE x.report_id = r.id) "
	    "WHERE r.created_at >= ?1 AND r.created_at < ?2 "
	    "GROUP BY 1 ORDER BY 2 DESC, 1";
	static const char q_outcome[] = "SELECT coalesce(outcome, "
	    "'en-cours'), count(*) FROM reports "
	    "WHERE created_at >= ?1 AND created_at < ?2 "
	    "GROUP BY 1 ORDER BY 2 DESC, 1";
	static const char q_notices[] = "SELECT count(*), "
	    "coalesce(sum(reply_at IS NOT NULL), 0), "
	    "coalesce(sum(decision = 'retire'), 0), "
	    "coalesce(sum(decision = 'refuse'), 0), "
	    "coalesce(sum(reply_at IS NULL AND due_at < ?3), 0), "
	    "coalesce(sum(reply_at IS NULL AND (due_at IS NULL OR "
	    "due_at >= ?3)), 0) "
	    "FROM notices WHERE sent_at >= ?1 AND sent_at < ?2";
	static const char q_delays[] = "SELECT reply_at - sent_at FROM notices "
	    "WHERE decision = 'retire' AND sent_at >= ?1 AND sent_at < ?2 "
	    "ORDER BY 1";
	int64_t from = year_start(year), to = year_start(year + 1);
	int64_t total = 0, nv[6] = {0, 0, 0, 0, 0, 0}, *d = NULL;
	size_t n = 0, cap = 0;
	vg_db *db = vg_db_thread();
	json_t *cat = NULL, *plat = NULL, *outc = NULL, *rem;
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = one_row(db, q_total, from, to, 0, &total, 1)) != VG_OK ||
	    (rc = one_row(db, q_notices, from, to, now, nv, 6)) != VG_OK ||
	    (rc = year_groups(db, q_cat, from, to, "category", &cat)) !=
	    VG_OK ||
	    (rc = year_groups(db, q_platform, from, to, "platform", &plat)) !=
	    VG_OK ||
	    (rc = year_groups(db, q_outcome, from, to, "outcome", &outc)) !=
	    VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, q_delays, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, from);
	vg_stmt_bind_int(st, 2, to);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		if (n == cap) {
			int64_t *p = realloc(d, (cap = cap ? 2 * cap : 64) *
			    sizeof(*d));

			if (p == NULL) {
				rc = VG_ENOMEM;
				break;
			}
			d = p;
		}
		d[n++] = vg_stmt_int(st, 0);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	rem = json_pack("{s:I}", "count", (json_int_t)n);
	if (rem != NULL && n > 0) {
		json_object_set_new(rem, "median_hours",
		    json_real(quantile(d, n, 0.5) / 3600.0));
		json_object_set_new(rem, "q1_hours",
		    json_real(quantile(d, n, 0.25) / 3600.0));
		json_object_set_new(rem, "q3_hours",
		    json_real(quantile(d, n, 0.75) / 3600.0));
	}
	free(d);
	*out = json_pack("{s:i, s:I, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, "
	    "s:I, s:I, s:I}}", "year", year, "reports", (json_int_t)total,
	    "by_category", cat, "by_platform", plat, "by_outcome", outc,
	    "removals", rem, "notices", "sent", (json_int_t)nv[0], "answered",
	    (json_int_t)nv[1], "removed", (json_int_t)nv[2], "refused",
	    (json_int_t)nv[3], "overdue", (json_int_t)nv[4], "pending",
	    (json_int_t)nv[5]);
	return *out ? VG_OK : VG_ENOMEM;
fail:
	free(d);
	json_decref(cat);
	json_decref(plat);
	json_decref(outc);
	return rc;
}

vg_rc
reports_stats_years(json_t **out)
{
	static const char q[] = "SELECT DISTINCT y FROM ("
	    "SELECT CAST(strftime('%Y', created_at, 'unixepoch') AS INTEGER) "
	    "AS y FROM reports UNION SELECT CAST(strftime('%Y', sent_at, "
	    "'unixepoch') AS INTEGER) FROM notices WHERE sent_at IS NOT NULL"
	    ") ORDER BY 1 DESC";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || (rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return db == NULL ? VG_EDB : rc;
	}
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(list, json_integer(vg_stmt_int(st, 0)));
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}
