/*
 * resources.c — the resource centre's content files, storage and search.
 */
#include "resources/resources.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "db/fts.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/when.h"
#include "core/yaml.h"
#include "db/db.h"
#include "resources/resources_int.h"

#define MAX_FILES 500

static json_t *themes;          /* [{code, label}] from themes.yaml */
static json_t *files;           /* [{slug, title, …, body}] checked files */

const char *const resources_kinds[] = {"fiche", "guide", "modele", "video",
    NULL};

const char *
resources_kind_label(const char *kind)
{
	if (kind == NULL)
		return "";
	if (!strcmp(kind, "fiche"))
		return _("Fiche pratique");
	if (!strcmp(kind, "guide"))
		return _("Guide");
	if (!strcmp(kind, "modele"))
		return _("Modèle de lettre");
	if (!strcmp(kind, "video"))
		return _("Vidéo");
	return kind;
}

json_t *
resources_themes(void)
{
	return themes;
}

const char *
resources_theme_label(const char *code)
{
	size_t i;
	json_t *t;

	if (code == NULL)
		return NULL;
	json_array_foreach(themes, i, t)
		if (!strcmp(json_string_value(json_object_get(t, "code")), code))
			return json_string_value(json_object_get(t, "label"));
	return NULL;
}

bool
resources_valid_slug(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 80 || s[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/*
 * The body without Markdown markup, for the index and its excerpts: marks
 * of emphasis, headings and quotes dropped, "[text](url)" kept as "text".
 */
char *
resources_plain(const char *md)
{
	vg_buf b = VG_BUF_INIT;
	const char *p = md;
	bool line_start = true;

	while (*p != '\0') {
		if (line_start) {
			/* Block markers: headings, quotes, list bullets. */
			while (*p == ' ' || *p == '#' || *p == '>' ||
			    ((*p == '-' || *p == '*' || *p == '+') && p[1] == ' '))
				p++;
			line_start = false;
			continue;
		}
		if (*p == '[') {
			/* Links stay on one line: the scans stop there, so
			 * many '[' cost no more than their lines. */
			size_t line = strcspn(p, "\n");
			const char *close = memchr(p, ']', line);

			if (close != NULL && close[1] == '(') {
				/* Keep the text; skip the target, whose own
				 * parentheses may nest. */
				const char *q = close + 2;
				int depth = 1;

				while (*q != '\0' && *q != '\n' && depth > 0 &&
				    q - p < 2048) {
					if (*q == '(')
						depth++;
					else if (*q == ')')
						depth--;
					q++;
				}
				if (depth == 0) {
					vg_buf_append(&b, p + 1,
					    (size_t)(close - p - 1));
					p = q;
					continue;
				}
			}
		}
		/* Emphasis and code marks. */
		if (*p == '*' || *p == '`' || (*p == '_' && p[1] == '_')) {
			p++;
			continue;
		}
		if (*p == '\n')
			line_start = true;
		vg_buf_putc(&b, *p == '\n' ? ' ' : *p);
		p++;
	}
	return vg_buf_detach(&b, NULL);
}

/* --- content files -------------------------------------------------------- */

static vg_rc
bad(char *err, size_t errlen, const char *path, int line, const char *msg,
    const char *what)
{
	char m[256];

	snprintf(m, sizeof(m), msg, what ? what : "");
	snprintf(err, errlen, "%s:%d: %s", path, line, m);
	return VG_EINVAL;
}

static const char *
str_field(json_t *fm, const char *key)
{
	json_t *v = json_object_get(fm, key);

	return json_is_string(v) && *json_string_value(v) ?
	    json_string_value(v) : NULL;
}

static bool
valid_date(const char *s)
{
	int64_t t;

	/* A real day (no 31 February), from 2000 to 2100. */
	return vg_date_parse(s, &t) && t >= 946684800 && t < 4133980800;
}

vg_rc
resources_check_fields(const char *title, const char *summary,
    const char *audience, const char *kind, json_t *theme_list,
    const char *updated, const char *video, const char **why,
    const char **field)
{
	size_t i;
	json_t *t;

	*why = NULL;
	*field = NULL;
	if (title == NULL || vg_utf8_length(title, strlen(title)) > 200) {
		*field = "title";
		*why = _("le titre est obligatoire (200 caractères au plus)");
	} else if (summary == NULL ||
	    vg_utf8_length(summary, strlen(summary)) > 600) {
		*field = "summary";
		*why = _("le résumé est obligatoire (600 caractères au plus)");
	} else if (audience == NULL || (strcmp(audience, "public") != 0 &&
	    strcmp(audience, "professional") != 0)) {
		*field = "audience";
		*why = _("le public doit être « public » ou « professional »");
	} else if (kind == NULL || strcmp(resources_kind_label(kind), kind) ==
	    0) {
		*field = "kind";
		*why = _("le type doit être fiche, guide, modele ou video");
	} else if (!json_is_array(theme_list) ||
	    json_array_size(theme_list) == 0) {
		*field = "themes";
		*why = _("au moins un thème est attendu");
	} else if (updated == NULL || !valid_date(updated)) {
		*field = "updated";
		*why = _("la date de mise à jour doit s'écrire AAAA-MM-JJ");
	} else if (video != NULL && strncmp(video, "https://", 8) != 0) {
		*field = "video";
		*why = _("le lien de la vidéo doit commencer par https://");
	}
	if (*why != NULL)
		return VG_EINVAL;
	json_array_foreach(theme_list, i, t)
		if (!json_is_string(t) ||
		    resources_theme_label(json_string_value(t)) == NULL) {
			*field = "themes";
			*why = _("thème inconnu (voir content/resources/"
			    "themes.yaml)");
			return VG_EINVAL;
		}
	return VG_OK;
}

/* Parse one content file into {slug, title, …, body}. */
static vg_rc
parse_file(const char *path, const char *slug, json_t **out, char *err,
    size_t errlen)
{
	FILE *f;
	char *src = NULL, *end;
	long n;
	json_t *fm = NULL, *res = NULL;
	const char *why, *field, *body;
	vg_rc rc = VG_EIO;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL)
		goto io;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    n > 1024 * 1024 || fseek(f, 0, SEEK_SET) != 0 ||
	    (src = malloc((size_t)n + 1)) == NULL ||
	    fread(src, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		goto io;
	}
	fclose(f);
	src[n] = '\0';
	if (!vg_utf8_valid_text(src, (size_t)n)) {
		rc = bad(err, errlen, path, 1, "%s", _("le fichier doit être du "
		    "texte UTF-8"));
		goto out;
	}
	if (strncmp(src, "---\n", 4) != 0 ||
	    (end = strstr(src + 4, "\n---\n")) == NULL) {
		rc = bad(err, errlen, path, 1, "%s", _("le fichier doit commencer "
		    "par un en-tête entre deux lignes « --- »"));
		goto out;
	}
	/* Parse the front matter alone; its line numbers start at 2. */
	{
		char *yaml = src + 4;
		size_t ylen = (size_t)(end + 1 - yaml);
		char *pad = malloc(ylen + 2);

		if (pad == NULL) {
			rc = VG_ENOMEM;
			goto out;
		}
		pad[0] = '\n';                  /* the first "---" line */
		memcpy(pad + 1, yaml, ylen);
		pad[ylen + 1] = '\0';
		rc = vg_yaml_parse_ex(pad, ylen + 1, path, VG_YAML_LINES, &fm,
		    err, errlen);
		free(pad);
		if (rc != VG_OK)
			goto out;
	}
	if (!json_is_object(fm)) {
		rc = bad(err, errlen, path, 2, "%s", _("l'en-tête doit être une "
		    "liste de « clé: valeur »"));
		goto out;
	}
	body = end + 5;
	rc = resources_check_fields(str_field(fm, "title"),
	    str_field(fm, "summary"), str_field(fm, "audience"),
	    str_field(fm, "kind"), json_object_get(fm, "themes"),
	    json_is_string(json_object_get(fm, "updated")) ?
	    str_field(fm, "updated") : NULL, str_field(fm, "video"), &why,
	    &field);
	if (rc != VG_OK) {
		rc = bad(err, errlen, path, 2, "%s", why);
		goto out;
	}
	res = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:s?, s:s}",
	    "slug", slug, "title", str_field(fm, "title"),
	    "summary", str_field(fm, "summary"),
	    "audience", str_field(fm, "audience"),
	    "kind", str_field(fm, "kind"),
	    "themes", json_object_get(fm, "themes"),
	    "updated", str_field(fm, "updated"),
	    "video", str_field(fm, "video"),
	    "body", body);
	rc = res ? VG_OK : VG_ENOMEM;
	*out = res;
	goto out;
io:
	snprintf(err, errlen, _("%s : fichier illisible (%s)"), path,
	    strerror(errno));
out:
	json_decref(fm);
	free(src);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

vg_rc
resources_content_check(const char *share, char *err, size_t errlen)
{
	char dir[1100], path[1400];
	char *names[MAX_FILES];
	size_t n = 0, i, len;
	json_t *doc = NULL, *t, *res;
	DIR *d;
	struct dirent *e;
	vg_rc rc = VG_OK;

	resources_content_free();
	snprintf(path, sizeof(path), "%s/content/resources/themes.yaml", share);
	if ((rc = vg_yaml_load_file_ex(path, VG_YAML_LINES, &doc, err,
	    errlen)) != VG_OK)
		return rc;
	themes = json_array();
	json_array_foreach(json_object_get(doc, "themes"), i, t) {
		const char *code = str_field(t, "code");
		const char *label = str_field(t, "label");

		if (code == NULL || label == NULL || !resources_valid_slug(code)) {
			json_decref(doc);
			return bad(err, errlen, path, vg_yaml_line(t), "%s",
			    _("chaque thème a un « code » (minuscules, "
			    "chiffres, tirets) et un « label »"));
		}
		json_array_append_new(themes, json_pack("{s:s, s:s}", "code",
		    code, "label", label));
	}
	json_decref(doc);
	if (json_array_size(themes) == 0)
		return bad(err, errlen, path, 1, "%s", _("une liste « themes » est "
		    "attendue"));

	snprintf(dir, sizeof(dir), "%s/content/resources", share);
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, _("%s : dossier illisible (%s)"), dir,
		    strerror(errno));
		return VG_EIO;
	}
	while ((e = readdir(d)) != NULL && n < MAX_FILES) {
		len = strlen(e->d_name);
		if (len > 3 && strcmp(e->d_name + len - 3, ".md") == 0 &&
		    (names[n] = strndup(e->d_name, len - 3)) != NULL)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	files = json_array();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.md", dir, names[i]);
		if (rc == VG_OK && !resources_valid_slug(names[i]))
			rc = bad(err, errlen, path, 1, "%s", _("le nom du fichier "
			    "ne doit contenir que des minuscules sans accent, "
			    "des chiffres et des tirets"));
		if (rc == VG_OK &&
		    (rc = parse_file(path, names[i], &res, err, errlen)) ==
		    VG_OK)
			json_array_append_new(files, res);
		free(names[i]);
	}
	return rc;
}

void
resources_content_free(void)
{
	json_decref(themes);
	json_decref(files);
	themes = files = NULL;
}

bool
resources_slug_known(const char *slug)
{
	static const char q[] = "SELECT 1 FROM resources WHERE slug = ?";
	size_t i;
	json_t *f;
	vg_db *db;
	vg_stmt *st;
	bool row = false;

	json_array_foreach(files, i, f)
		if (!strcmp(json_string_value(json_object_get(f, "slug")), slug))
			return true;
	if ((db = vg_db_thread()) == NULL || vg_db_prepare(db, q, &st) != VG_OK)
		return false;
	vg_stmt_bind_text(st, 1, slug);
	if (vg_stmt_step(st, &row) != VG_OK)
		row = false;
	vg_stmt_done(st);
	return row;
}

/* --- storage --------------------------------------------------------------- */

char *
resources_themes_text(json_t *list)
{
	vg_buf b = VG_BUF_INIT;
	size_t i;
	json_t *t;

	json_array_foreach(list, i, t) {
		if (i > 0)
			vg_buf_putc(&b, ' ');
		vg_buf_puts(&b, json_string_value(t));
	}
	return vg_buf_detach(&b, NULL);
}

/* Within resources_save()'s transaction: the file columns, and the name
 * of the file they replace (into in->old_file). */
static vg_rc
save_file(vg_db *db, int64_t id, struct resource_input *in)
{
	static const char q_old[] = "SELECT file_name FROM resources "
	    "WHERE id = ?";
	static const char q_set[] = "UPDATE resources SET file_name = ?, "
	    "file_type = ?, file_size = ? WHERE id = ?";
	vg_stmt *st;
	bool row;
	vg_rc rc;

	in->old_file[0] = '\0';
	if ((rc = vg_db_prepare(db, q_old, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row &&
	    !vg_stmt_is_null(st, 0))
		snprintf(in->old_file, sizeof(in->old_file), "%s",
		    vg_stmt_text(st, 0));
	vg_stmt_done(st);
	if (rc != VG_OK || (rc = vg_db_prepare(db, q_set, &st)) != VG_OK)
		return rc;
	if (in->file_op == FILE_SET) {
		vg_stmt_bind_text(st, 1, in->file_name);
		vg_stmt_bind_text(st, 2, in->file_type);
		vg_stmt_bind_int(st, 3, in->file_size);
	}
	vg_stmt_bind_int(st, 4, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

vg_rc
resources_save(int64_t id, struct resource_input *in, int64_t author,
    int64_t *out_id)
{
	/* The nine fields an edit changes come first in both, bound once
	 * together. */
	static const char q_add[] =
	    "INSERT INTO resources (title, summary, audience, kind, themes, "
	    "body, plain, video_url, updated_on, modified_at, slug, "
	    "published, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char q_set[] =
	    "UPDATE resources SET title = ?, summary = ?, audience = ?, "
	    "kind = ?, themes = ?, body = ?, plain = ?, video_url = ?, "
	    "updated_on = ?, modified_at = ? WHERE id = ?";
	static const char q_version[] =
	    "INSERT INTO resource_versions (resource_id, title, summary, "
	    "audience, kind, themes, body, author_id, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	int64_t now = (int64_t)time(NULL);
	char *plain = resources_plain(in->body);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if (plain == NULL)
		return VG_ENOMEM;
	if (db == NULL) {
		free(plain);
		return VG_EDB;
	}
	if ((rc = vg_db_begin(db)) != VG_OK)
		goto out;
	if ((rc = vg_db_prepare(db, id == 0 ? q_add : q_set, &st)) != VG_OK)
		goto rollback;
	vg_stmt_bind_text(st, 1, in->title);
	vg_stmt_bind_text(st, 2, in->summary);
	vg_stmt_bind_text(st, 3, in->audience);
	vg_stmt_bind_text(st, 4, in->kind);
	vg_stmt_bind_text(st, 5, in->themes);
	vg_stmt_bind_text(st, 6, in->body);
	vg_stmt_bind_text(st, 7, plain);
	vg_stmt_bind_text(st, 8, in->video);
	vg_stmt_bind_text(st, 9, in->updated);
	vg_stmt_bind_int(st, 10, now);
	if (id == 0) {
		vg_stmt_bind_text(st, 11, in->slug);
		vg_stmt_bind_int(st, 12, in->published);
		vg_stmt_bind_int(st, 13, now);
	} else {
		vg_stmt_bind_int(st, 11, id);
	}
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc == VG_OK && id == 0)
		id = vg_db_last_id(db);
	if (rc != VG_OK)
		goto rollback;
	if (in->file_op != FILE_KEEP &&
	    (rc = save_file(db, id, in)) != VG_OK)
		goto rollback;
	if ((rc = vg_db_prepare(db, q_version, &st)) != VG_OK)
		goto rollback;
	vg_stmt_bind_int(st, 1, id);
	vg_stmt_bind_text(st, 2, in->title);
	vg_stmt_bind_text(st, 3, in->summary);
	vg_stmt_bind_text(st, 4, in->audience);
	vg_stmt_bind_text(st, 5, in->kind);
	vg_stmt_bind_text(st, 6, in->themes);
	vg_stmt_bind_text(st, 7, in->body);
	if (author > 0)
		vg_stmt_bind_int(st, 8, author);
	vg_stmt_bind_int(st, 9, now);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto rollback;
	if ((rc = vg_db_commit(db)) != VG_OK)
		goto rollback;
	if (out_id != NULL)
		*out_id = id;
	goto out;
rollback:
	vg_db_rollback(db);
out:
	free(plain);
	return rc;
}

vg_rc
resources_content_sync(const char *share, int *added, char *err,
    size_t errlen)
{
	size_t i;
	json_t *f;
	vg_rc rc;

	*added = 0;
	if (files == NULL &&
	    (rc = resources_content_check(share, err, errlen)) != VG_OK)
		return rc;
	json_array_foreach(files, i, f) {
		struct resource_input in;
		char *themes_text;
		static const char q[] = "SELECT 1 FROM resources WHERE slug = ?";
		vg_db *db = vg_db_thread();
		vg_stmt *st;
		bool row;

		if (db == NULL || vg_db_prepare(db, q, &st) != VG_OK)
			return VG_EDB;
		vg_stmt_bind_text(st, 1, json_string_value(json_object_get(f,
		    "slug")));
		rc = vg_stmt_step(st, &row);
		vg_stmt_done(st);
		if (rc != VG_OK)
			return rc;
		if (row)
			continue;
		if ((themes_text = resources_themes_text(json_object_get(f,
		    "themes"))) == NULL)
			return VG_ENOMEM;
		memset(&in, 0, sizeof(in));
		in.slug = json_string_value(json_object_get(f, "slug"));
		in.title = json_string_value(json_object_get(f, "title"));
		in.summary = json_string_value(json_object_get(f, "summary"));
		in.audience = json_string_value(json_object_get(f, "audience"));
		in.kind = json_string_value(json_object_get(f, "kind"));
		in.themes = themes_text;
		in.body = json_string_value(json_object_get(f, "body"));
		in.video = json_string_value(json_object_get(f, "video"));
		in.updated = json_string_value(json_object_get(f, "updated"));
		in.published = 1;
		rc = resources_save(0, &in, 0, NULL);
		free(themes_text);
		if (rc != VG_OK) {
			snprintf(err, errlen, _("la ressource « %s » n'a pas pu "
			    "être enregistrée"), in.slug);
			return rc;
		}
		(*added)++;
	}
	return VG_OK;
}

/* --- reading --------------------------------------------------------------- */

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
		const char *label = resources_theme_label(tok);

		json_array_append_new(list, json_pack("{s:s, s:s}", "code", tok,
		    "label", label ? label : tok));
	}
	free(copy);
	return list;
}

json_t *
resources_row_json(vg_stmt *st)
{
	/* Columns: id, slug, title, summary, audience, kind, themes,
	 * updated_on, published */
	int64_t id = vg_stmt_int(st, 0);
	const char *kind = vg_stmt_text(st, 5);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, "
	    "s:b, s:s}", "id", (json_int_t)id, "slug", vg_stmt_text(st, 1),
	    "title", vg_stmt_text(st, 2), "summary", vg_stmt_text(st, 3),
	    "audience", vg_stmt_text(st, 4), "kind", kind,
	    "kind_label", resources_kind_label(kind),
	    "themes", themes_json(vg_stmt_text(st, 6)),
	    "updated", vg_stmt_text(st, 7), "published",
	    vg_stmt_int(st, 8) != 0, "url", "");
	char url[64];

	snprintf(url, sizeof(url), "/ressources/%lld", (long long)id);
	if (o != NULL)
		json_object_set_new(o, "url", json_string(url));
	if (o != NULL && !strcmp(vg_stmt_text(st, 4), "professional"))
		json_object_set_new(o, "professional", json_true());
	return o;
}

vg_rc
resources_lookup(const char *slug, vg_role role, json_t **out)
{
	static const char q[] =
	    "SELECT id, slug, title, summary, audience, kind, themes, "
	    "updated_on, published FROM resources WHERE slug = ? "
	    "AND published = 1 AND (audience = 'public' OR ?)";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, slug);
	vg_stmt_bind_int(st, 2, role >= VG_ROLE_PROFESSIONAL);
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && row)
		*out = resources_row_json(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return *out ? VG_OK : VG_ENOTFOUND;
}

/* An excerpt with \x01…\x02 around matches, as [{text, hit}]. */
static json_t *
excerpt_json(const char *s)
{
	json_t *parts = json_array();
	const char *p = s;
	bool hit = false;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, "\x01\x02");

		if (n > 0)
			json_array_append_new(parts, json_pack("{s:s%, s:b}",
			    "text", p, n, "hit", hit));
		p += n;
		if (*p == '\x01')
			hit = true;
		else if (*p == '\x02')
			hit = false;
		if (*p != '\0')
			p++;
	}
	return parts;
}

vg_rc
resources_search(const char *query, const char *theme, const char *kind,
    const char *audience, vg_role role, json_t **out)
{
	static const char q_search[] =
	    "SELECT r.id, r.slug, r.title, r.summary, r.audience, r.kind, "
	    "r.themes, r.updated_on, r.published, "
	    "snippet(resources_fts, 2, char(1), char(2), '…', 24) "
	    "FROM resources_fts JOIN resources r ON r.id = resources_fts.rowid "
	    "WHERE resources_fts MATCH ?1 AND r.published = 1 "
	    "AND (r.audience = 'public' OR ?2) "
	    "AND (?3 IS NULL OR ' ' || r.themes || ' ' LIKE '% ' || ?3 || ' %') "
	    "AND (?4 IS NULL OR r.kind = ?4) "
	    "AND (?5 IS NULL OR r.audience = ?5) "
	    "ORDER BY bm25(resources_fts, 10.0, 4.0, 1.0) LIMIT 50";
	static const char q_all[] =
	    "SELECT id, slug, title, summary, audience, kind, themes, "
	    "updated_on, published, NULL FROM resources "
	    "WHERE published = 1 AND (audience = 'public' OR ?2) "
	    "AND (?3 IS NULL OR ' ' || themes || ' ' LIKE '% ' || ?3 || ' %') "
	    "AND (?4 IS NULL OR kind = ?4) "
	    "AND (?5 IS NULL OR audience = ?5) "
	    "AND ?1 IS NULL ORDER BY title";
	char *fq = query ? vg_fts_query(query) : NULL;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL) {
		free(fq);
		return VG_EDB;
	}
	if ((list = json_array()) == NULL) {
		free(fq);
		return VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, fq ? q_search : q_all, &st)) != VG_OK)
		goto out;
	vg_stmt_bind_text(st, 1, fq);
	vg_stmt_bind_int(st, 2, role >= VG_ROLE_PROFESSIONAL);
	vg_stmt_bind_text(st, 3, theme);
	vg_stmt_bind_text(st, 4, kind);
	vg_stmt_bind_text(st, 5, audience);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *o = resources_row_json(st);

		if (o != NULL && fq != NULL)
			json_object_set_new(o, "excerpt",
			    excerpt_json(vg_stmt_text(st, 9)));
		json_array_append_new(list, o);
	}
	vg_stmt_done(st);
out:
	free(fq);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
resources_new_since(int64_t t, json_t **out)
{
	static const char q[] =
	    "SELECT id, slug, title, summary, audience, kind, themes, "
	    "updated_on, published FROM resources WHERE published = 1 "
	    "AND audience = 'public' AND created_at >= ? "
	    "ORDER BY created_at DESC, id DESC LIMIT 20";
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
	vg_stmt_bind_int(st, 1, t);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *o = resources_row_json(st);

		if (o == NULL)
			continue;
		json_array_append_new(list, json_pack("{s:O, s:O, s:O, s:O, "
		    "s:O}", "id", json_object_get(o, "id"), "title",
		    json_object_get(o, "title"), "summary", json_object_get(o,
		    "summary"), "kind_label", json_object_get(o, "kind_label"),
		    "url", json_object_get(o, "url")));
		json_decref(o);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}
