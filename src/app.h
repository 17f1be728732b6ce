/*
 * app.h — Vigie assembled: the areas' routes gathered into one table, the
 * data directory, and everything loaded at start.
 */
#ifndef VG_APP_H
#define VG_APP_H

#include <stdbool.h>

#include "core/config.h"
#include "core/crypto.h"
#include "http/http.h"

typedef struct vg_app {
	vg_config config;
	vg_keys keys;
	vg_tmpl_set *templates;
	struct vg_static *statics;
	char *asset_version;
	vg_route *routes;
	size_t nroutes;
	json_t *globals;
	long orientation_paths;         /* checked paths of the tree */
	char memory_tmp[1200];          /* site.memory_tmp, when there is one */
	vg_site site;
} vg_app;

/* Create what is missing in the data directory: the directory itself
 * (0700), uploads/, the key file (0600) and the database with every
 * migration applied.  Says what it created on stdout when verbose. */
vg_rc app_init_data(const vg_config *c, bool verbose, char *err,
    size_t errlen);

/* Open the data directory made by app_init_data (its key and database,
 * migrations applied) for the command line.  err says why in French. */
vg_rc app_open_data(vg_app *app, char *err, size_t errlen);

/* Load everything the server needs (templates, assets, content) and
 * build the route table.  err names the file and line of a bad file. */
vg_rc app_load_site(vg_app *app, char *err, size_t errlen);

/* Add to the database the default content it does not have yet (after
 * app_open_data and app_load_site). */
vg_rc app_sync_content(vg_app *app, char *err, size_t errlen);

void app_close(vg_app *app);

#endif
