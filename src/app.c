/*
 * app.c — gathers the areas: each exports its routes; the server knows
 * none of them.
 */
#include "app.h"

#include <dirent.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "accounts/accounts.h"
#include "barometer/annual.h"
#include "barometer/barometer.h"
#include "core/i18n.h"
#include "core/log.h"
#include "directory/directory.h"
#include "core/territory.h"
#include "db/db.h"
#include "newsletter/newsletter.h"
#include "orientation/orientation.h"
#include "render/map.h"
#include "reports/reports.h"
#include "scan/scan.h"
#include "resources/resources.h"
#include "site/site.h"
#include "surveys/surveys.h"
#include "trainings/trainings.h"
#include "vault/vault.h"
#include "watch/watch.h"
#include "workgroup/workgroup.h"

typedef const vg_route *(*routes_fn)(size_t *n);

static const routes_fn areas[] = {
	site_routes,
	accounts_routes,
	resources_routes,
	orientation_routes,
	reports_routes,
	directory_routes,
	trainings_routes,
	surveys_routes,
	barometer_routes,
	scan_routes,
	watch_routes,
	newsletter_routes,
	annual_routes,
	workgroup_routes,
	vault_routes,
};

static vg_rc
make_dir(const char *path, bool verbose, char *err, size_t errlen)
{
	if (mkdir(path, 0700) == 0) {
		if (verbose)
			printf(_("  dossier créé : %s\n"), path);
		return VG_OK;
	}
	if (errno == EEXIST)
		return VG_OK;
	snprintf(err, errlen, _("impossible de créer le dossier %s (%s)"),
	    path, strerror(errno));
	return VG_EIO;
}

/* Uploads left half-way by a process that died: nothing can claim them. */
static void
clear_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1600];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "vg-upload-", 10) == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(d);
}

/*
 * The server's own folder on a tmpfs (config memory_tmp), for the files
 * that must never reach a disk in clear: the vault's uploads before they
 * are encrypted and its exports before they are sent.  Made mode 0700 and
 * checked to be ours (the parent is usually the world-writable /dev/shm,
 * where anyone could have made it first); emptied of what a dead process
 * left.  Empty out when there is no such place: the files then transit
 * through DATA/uploads/tmp, and the log says so.
 */
static void
memory_tmp_setup(const vg_config *c, char *out, size_t n)
{
	char real[4096], tag[VG_TOKEN_CHARS + 1];
	struct statfs fs;
	struct stat sb;

	out[0] = '\0';
	if (c->memory_tmp[0] == '\0')
		return;
	if (statfs(c->memory_tmp, &fs) != 0 ||
	    ((unsigned long)fs.f_type != 0x01021994UL &&     /* TMPFS_MAGIC */
	    (unsigned long)fs.f_type != 0x858458f6UL)) {     /* RAMFS_MAGIC */
		vg_warn("memory_tmp %s is not a tmpfs: the vault's uploads and "
		    "exports transit in clear through %s/uploads/tmp",
		    c->memory_tmp, c->data);
		return;
	}
	if (realpath(c->data, real) == NULL)
		snprintf(real, sizeof(real), "%s", c->data);
	vg_hash_text(NULL, real, strlen(real), tag);
	snprintf(out, n, "%s/vigie-%lu-%.12s", c->memory_tmp,
	    (unsigned long)geteuid(), tag);
	if ((mkdir(out, 0700) != 0 && errno != EEXIST) ||
	    lstat(out, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    sb.st_uid != geteuid() || (sb.st_mode & 077) != 0) {
		vg_warn("memory_tmp: %s cannot be used (not a private folder "
		    "of ours): the vault's uploads and exports transit through "
		    "%s/uploads/tmp", out, c->data);
		out[0] = '\0';
		return;
	}
	clear_tmp(out);
	vg_info("the vault's uploads and exports transit in memory, in %s",
	    out);
}

vg_rc
app_init_data(const vg_config *c, bool verbose, char *err, size_t errlen)
{
	char path[1200], sqldir[1200];
	vg_db *db = NULL;
	vg_rc rc;

	if ((rc = make_dir(c->data, verbose, err, errlen)) != VG_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/uploads", c->data);
	if ((rc = make_dir(path, verbose, err, errlen)) != VG_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/uploads/tmp", c->data);
	if ((rc = make_dir(path, verbose, err, errlen)) != VG_OK)
		return rc;
	clear_tmp(path);
	snprintf(path, sizeof(path), "%s/vigie.key", c->data);
	rc = vg_key_create(path);
	if (rc == VG_OK && verbose)
		printf(_("  clé de chiffrement créée : %s (à sauvegarder à "
		    "part, jamais avec la base)\n"), path);
	else if (rc != VG_OK && rc != VG_ECONFLICT) {
		snprintf(err, errlen, _("impossible de créer la clé %s (%s)"),
		    path, strerror(errno));
		return rc;
	}
	if ((rc = vault_init_data(c->data, verbose, err, errlen)) != VG_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/vigie.db", c->data);
	snprintf(sqldir, sizeof(sqldir), "%s/sql", c->share);
	if ((rc = vg_db_open(path, &db)) != VG_OK) {
		snprintf(err, errlen, _("impossible d'ouvrir la base %s"),
		    path);
		return rc;
	}
	rc = vg_db_migrate(db, sqldir);
	vg_db_close(db);
	if (rc != VG_OK) {
		snprintf(err, errlen, _("la mise à jour de la base %s a "
		    "échoué (voir le journal ci-dessus)"), path);
		return rc;
	}
	return VG_OK;
}

vg_rc
app_open_data(vg_app *app, char *err, size_t errlen)
{
	char path[1200];
	vg_rc rc;

	if ((rc = vg_crypto_init()) != VG_OK) {
		snprintf(err, errlen, _("libsodium ne peut pas démarrer"));
		return rc;
	}
	snprintf(path, sizeof(path), "%s/vigie.key", app->config.data);
	rc = vg_key_load(path, &app->keys);
	if (rc == VG_EDENIED) {
		snprintf(err, errlen, _("la clé %s est lisible par d'autres "
		    "utilisateurs : faites « chmod 600 %s »"), path, path);
		return rc;
	}
	if (rc != VG_OK) {
		snprintf(err, errlen, _("clé %s illisible : lancez d'abord "
		    "« vigie init »"), path);
		return rc;
	}
	if ((rc = app_init_data(&app->config, false, err, errlen)) != VG_OK)
		return rc;
	if ((rc = vault_load(&app->config, err, errlen)) != VG_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/vigie.db", app->config.data);
	vg_db_set_thread_path(path);
	if (vg_db_thread() == NULL) {
		snprintf(err, errlen, _("impossible d'ouvrir la base %s"),
		    path);
		return VG_EDB;
	}
	return VG_OK;
}

static vg_rc
gather_routes(vg_app *app)
{
	size_t i, n, total = 0;
	const vg_route *r;

	for (i = 0; i < VG_ARRAY_LEN(areas); i++) {
		areas[i](&n);
		total += n;
	}
	app->routes = calloc(total, sizeof(*app->routes));
	if (app->routes == NULL)
		return VG_ENOMEM;
	for (i = 0; i < VG_ARRAY_LEN(areas); i++) {
		r = areas[i](&n);
		if (n == 0)
			continue;
		memcpy(app->routes + app->nroutes, r, n * sizeof(*r));
		app->nroutes += n;
	}
	return VG_OK;
}

static void
daily(const vg_site *s)
{
	int64_t n = 0;

	if (reports_purge(s->config->retention_days, &n) != VG_OK)
		vg_error("purge failed");
	else if (n > 0)
		vg_info("purge: personal data removed from %lld reports",
		    (long long)n);
	if (workgroup_purge(s->config, &n) != VG_OK)
		vg_error("working group purge failed");
	else if (n > 0)
		vg_info("purge: %lld closed working group cases deleted",
		    (long long)n);
	if (vault_purge(s->config, &n) != VG_OK)
		vg_error("vault purge failed");
	else if (n > 0)
		vg_info("purge: %lld vault shares expired", (long long)n);
	surveys_flush_starts();
	barometer_warm(s->keys);
	{
		int sent = 0;

		if (trainings_send_reminders(s->config, &sent) != VG_OK)
			vg_error("training reminders failed");
		else if (sent > 0)
			vg_info("trainings: %d reminders sent", sent);
	}
}

/* Every few seconds, from the server's tick thread: short work only. */
static void
tick(const vg_site *s)
{
	watch_tick(s);
	newsletter_tick(s);
	workgroup_tick(s);
}

vg_rc
app_sync_content(vg_app *app, char *err, size_t errlen)
{
	int added = 0;
	vg_rc rc;

	rc = resources_content_sync(app->config.share, &added, err, errlen);
	if (rc == VG_OK && added > 0)
		printf(_("  %d ressources ajoutées depuis content/resources\n"),
		    added);
	if (rc == VG_OK && (rc = surveys_content_sync(app->config.share,
	    &added, err, errlen)) == VG_OK && added > 0)
		printf(_("  %d questionnaires ajoutés depuis "
		    "content/questionnaires\n"), added);
	return rc;
}

vg_rc
app_load_site(vg_app *app, char *err, size_t errlen)
{
	char path[1200];
	vg_rc rc;

	snprintf(path, sizeof(path), "%s/templates", app->config.share);
	if ((app->templates = vg_tmpl_set_new()) == NULL)
		return VG_ENOMEM;
	if ((rc = vg_tmpl_set_load(app->templates, path, err, errlen)) !=
	    VG_OK)
		return rc;
	if (!vg_tmpl_exists(app->templates, "layout") ||
	    !vg_tmpl_exists(app->templates, "error")) {
		snprintf(err, errlen, _("%s : les gabarits « layout » et "
		    "« error » sont nécessaires"), path);
		return VG_EINVAL;
	}
	snprintf(path, sizeof(path), "%s/static", app->config.share);
	if ((rc = vg_static_load(path, &app->statics, &app->asset_version)) !=
	    VG_OK) {
		snprintf(err, errlen, _("%s : fichiers statiques illisibles"),
		    path);
		return rc;
	}
	if ((rc = site_content_load(app->config.share, err, errlen)) != VG_OK)
		return rc;
	if ((rc = vg_territory_load(app->config.share, err, errlen)) != VG_OK ||
	    (rc = vg_map_load(app->config.share, err, errlen)) != VG_OK ||
	    (rc = barometer_load(app->config.share, err, errlen)) != VG_OK ||
	    (rc = workgroup_load(app->config.share, err, errlen)) != VG_OK)
		return rc;
	if ((rc = resources_content_check(app->config.share, err, errlen)) !=
	    VG_OK)
		return rc;
	if ((rc = reports_content_load(app->config.share, err, errlen)) !=
	    VG_OK)
		return rc;
	/* After the resources: the tree checks the sheets it cites. */
	if ((rc = orientation_load(app->config.share, &app->orientation_paths,
	    err, errlen)) != VG_OK)
		return rc;
	if ((rc = gather_routes(app)) != VG_OK)
		return rc;
	barometer_set_threshold(app->config.suppress_threshold);
	app->globals = json_pack("{s:s, s:s, s:s, s:i}",
	    "site_name", "Vigie",
	    "asset_version", app->asset_version,
	    "quick_exit_url", app->config.quick_exit_url,
	    "suppress_threshold", app->config.suppress_threshold);
	if (app->globals == NULL)
		return VG_ENOMEM;
	app->site.config = &app->config;
	app->site.keys = &app->keys;
	app->site.templates = app->templates;
	app->site.routes = app->routes;
	app->site.nroutes = app->nroutes;
	app->site.load_user = accounts_load_user;
	app->site.daily = daily;
	app->site.tick = tick;
	app->site.tick_seconds = 5;
	memory_tmp_setup(&app->config, app->memory_tmp,
	    sizeof(app->memory_tmp));
	app->site.memory_tmp = app->memory_tmp[0] ? app->memory_tmp : NULL;
	app->site.globals = app->globals;
	app->site.statics = app->statics;
	app->site.asset_version = app->asset_version;
	return VG_OK;
}

void
app_close(vg_app *app)
{
	if (app->memory_tmp[0] != '\0')
		(void)rmdir(app->memory_tmp);   /* only when empty */
	site_content_free();
	vg_territory_free();
	vg_map_free();
	barometer_free();
	workgroup_free();
	vault_free();
	resources_content_free();
	orientation_free();
	reports_content_free();
	vg_tmpl_set_free(app->templates);
	vg_static_free(app->statics);
	free(app->asset_version);
	free(app->routes);
	json_decref(app->globals);
	vg_db_thread_close();
	vg_db_set_thread_path(NULL);
	memset(app, 0, sizeof(*app));
}
