/*
 * annual.c — the observatory's annual report: `vigie report --year AAAA
 * --out FICHIER.pdf`, and /admin/rapport-annuel where editors see the
 * years with data, a year's figures (the JSON twin gives them all), and
 * download the PDF (POST, so that a link or a prefetch never builds one).
 *
 * The data are gathered by annual_data.c and drawn by annual_pdf.c; here
 * are only the checks of what people type.
 */
#include "barometer/annual.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "barometer/annual_int.h"
#include "barometer/barometer.h"
#include "core/i18n.h"
#include "reports/reports.h"

#define ACTION_BODY (4 * 1024)

static int
current_year(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* The year typed, checked: from 2000 to this year.  -1 with a French
 * reason in why. */
static int
parse_year(const char *s, int64_t now, char *why, size_t whylen)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0') {
		snprintf(why, whylen, "%s", _("précisez l'année, par exemple "
		    "--year 2026"));
		return -1;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || strlen(s) != 4) {
		snprintf(why, whylen, _("« %.20s » n'est pas une année (quatre "
		    "chiffres, par exemple 2026)"), s);
		return -1;
	}
	if (v < ANNUAL_YEAR_MIN || v > current_year(now)) {
		snprintf(why, whylen, _("l'année %ld est hors de la période "
		    "couverte (de %d à %d)"), v, ANNUAL_YEAR_MIN,
		    current_year(now));
		return -1;
	}
	return (int)v;
}

/* --- the command line --------------------------------------------------- */

static int
fail_cli(const char *fmt, const char *arg)
{
	fprintf(stderr, "vigie report : ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

int
annual_cli(const vg_config *c, const vg_keys *k, int argc, char **argv)
{
	static const struct option longs[] = {
		{"year", required_argument, NULL, 'y'},
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *year_s = NULL, *out = NULL;
	int64_t now = (int64_t)time(NULL), size = 0;
	json_t *data = NULL;
	struct stat sb;
	char why[1200];
	int ch, year, pages = 0, ret = 2;
	vg_rc rc;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":y:o:", longs, NULL)) != -1) {
		switch (ch) {
		case 'y':
			year_s = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case ':':
			return fail_cli(_("l'option %s attend une valeur"),
			    argv[optind - 1]);
		default:
			return fail_cli(_("option inconnue « %s »"),
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail_cli(_("argument inattendu « %s »"), argv[optind]);
	if ((year = parse_year(year_s, now, why, sizeof(why))) < 0)
		return fail_cli("%s", why);
	if (out == NULL || *out == '\0')
		return fail_cli("%s", _("précisez le fichier à écrire, par "
		    "exemple --out rapport.pdf"));
	if (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode))
		return fail_cli(_("%s est un dossier : donnez le nom du "
		    "fichier PDF à écrire"), out);
	/* The server loads these at start; the command line, here. */
	if (barometer_load(c->share, why, sizeof(why)) != VG_OK ||
	    reports_content_load(c->share, why, sizeof(why)) != VG_OK) {
		ret = fail_cli("%s", why);
		goto done;
	}
	barometer_set_threshold(c->suppress_threshold);
	if ((rc = annual_gather(c, k, year, now, &data)) != VG_OK) {
		ret = fail_cli("%s", _("la lecture des données a échoué (voir "
		    "le journal)"));
		goto done;
	}
	if (annual_pdf_write(data, out, &pages, &size, why, sizeof(why)) !=
	    VG_OK) {
		ret = fail_cli("%s", why);
		goto done;
	}
	printf(_("%s écrit : rapport %d, %d pages, %lld octets\n"), out, year,
	    pages, (long long)size);
	ret = 0;
done:
	json_decref(data);
	barometer_free();
	reports_content_free();
	return ret;
}

/* --- the editors' page -------------------------------------------------- */

/* The page's frame: the years to choose from, the form. */
static vg_rc
frame(vg_req *r, vg_resp *resp, int selected)
{
	json_t *years, *list = json_array(), *y;
	size_t i;
	vg_rc rc;

	resp->tmpl = "admin_annual";
	json_object_set_new(resp->ctx, "title", json_string(_("Rapport "
	    "annuel de l'observatoire")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if ((rc = annual_years((int64_t)time(NULL), &years)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	json_array_foreach(years, i, y)
		json_array_append_new(list, json_pack("{s:O, s:b}", "year", y,
		    "selected", json_integer_value(y) == selected));
	json_decref(years);
	json_object_set_new(resp->ctx, "years", list);
	return VG_OK;
}

/* The year of the form (or of the query string): -1 with the message set
 * when it is not one; 0 when absent and optional. */
static int
form_year(vg_req *r, vg_resp *resp, bool required)
{
	const char *s = NULL;
	char why[256];
	int year;

	if (vg_req_text(r, resp, "annee", 10, required, &s) != VG_OK) {
		vg_fail(resp, VG_EINVAL, _("Choisissez l'année du rapport."),
		    "annee");
		return -1;
	}
	if (s == NULL)
		return 0;
	if ((year = parse_year(s, (int64_t)time(NULL), why, sizeof(why))) <
	    0) {
		why[0] = (char)(why[0] >= 'a' && why[0] <= 'z' ? why[0] - 32 :
		    why[0]);
		vg_fail(resp, VG_EINVAL, vg_arena_printf(r->arena, "%s.", why),
		    "annee");
		return -1;
	}
	return year;
}

static vg_rc
page(vg_req *r, vg_resp *resp)
{
	json_t *data;
	int year;
	vg_rc rc;

	if ((year = form_year(r, resp, false)) < 0) {
		frame(r, resp, 0);
		return VG_EINVAL;
	}
	if ((rc = frame(r, resp, year)) != VG_OK)
		return rc;
	if (year == 0)
		return VG_OK;
	if ((rc = annual_gather(r->site->config, r->site->keys, year,
	    (int64_t)time(NULL), &data)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "year", json_integer(year));
	json_object_set_new(resp->ctx, "report", data);
	return VG_OK;
}

static vg_rc
download(vg_req *r, vg_resp *resp)
{
	json_t *data;
	const char *path;
	char err[1200];
	int year, fd, pages;
	int64_t size;
	vg_rc rc;

	if ((year = form_year(r, resp, true)) < 0) {
		frame(r, resp, 0);
		return VG_EINVAL;
	}
	if ((rc = annual_gather(r->site->config, r->site->keys, year,
	    (int64_t)time(NULL), &data)) != VG_OK)
		return rc;
	/* A name of our own in the uploads' temporary folder (cleared at
	 * start), replaced by the whole PDF, sent, then removed. */
	path = vg_arena_printf(r->arena, "%s/uploads/tmp/vg-upload-annual-"
	    "XXXXXX", r->site->config->data);
	if (path == NULL || (fd = mkstemp((char *)path)) < 0) {
		json_decref(data);
		return VG_EIO;
	}
	close(fd);
	rc = annual_pdf_write(data, path, &pages, &size, err, sizeof(err));
	json_decref(data);
	if (rc != VG_OK) {
		unlink(path);
		frame(r, resp, year);
		return vg_fail(resp, rc, _("Le rapport n'a pas pu être "
		    "produit ; réessayez, et prévenez l'administrateur si cela "
		    "recommence."), NULL);
	}
	resp->file_path = path;
	resp->file_unlink = true;
	resp->content_type = "application/pdf";
	resp->filename = vg_arena_printf(r->arena, "rapport-annuel-%d.pdf",
	    year);
	return VG_OK;
}

static const vg_route routes[] = {
	{"GET", "/admin/rapport-annuel", page, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/rapport-annuel", download, VG_ROLE_EDITOR,
	    ACTION_BODY, 0},
};

const vg_route *
annual_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
