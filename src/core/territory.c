/*
 * territory.c — the official départements and communes (see territory.h).
 *
 * The package's JSON is read once with jansson and copied into flat,
 * sorted arrays; lookups are binary searches by code, and name lookups
 * compare a folded key (lower case, no accents, hyphens and apostrophes
 * as spaces) so that "saint etienne" finds "Saint-Étienne".
 */
#include "core/territory.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "db/fts.h"

#define DATA_DIR "node_modules/@etalab/decoupage-administratif/data"

static struct {
	vg_dept *depts;
	size_t ndepts;
	vg_commune *communes;           /* by code */
	size_t ncommunes;
	const vg_commune **by_dept;     /* by département, then name */
	size_t *dept_first;             /* index into by_dept, per dept */
	size_t *dept_n;
	char *names;                    /* every name, back to back */
	char **dept_keys;               /* folded names, per dept */
	char **commune_keys;            /* folded names, per commune */
} T;

char *
vg_fold_key(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *tmp = malloc(2 * n + 1), *out = malloc(2 * n + 1);
	bool space = true;

	if (tmp == NULL || out == NULL) {
		free(tmp);
		free(out);
		return NULL;
	}
	n = vg_fold_accents(s, n, tmp);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tmp[i];

		/* "’" (U+2019) is an apostrophe too. */
		if (c == 0xe2 && i + 2 < n &&
		    (unsigned char)tmp[i + 1] == 0x80 &&
		    (unsigned char)tmp[i + 2] == 0x99) {
			c = '\'';
			i += 2;
		}
		if (c == '-' || c == '_' || c == '\'' || isspace(c)) {
			if (!space)
				out[o++] = ' ';
			space = true;
			continue;
		}
		out[o++] = (char)tolower(c);
		space = false;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	free(tmp);
	return out;
}

static int
cmp_dept(const void *a, const void *b)
{
	return strcmp(((const vg_dept *)a)->code, ((const vg_dept *)b)->code);
}

static int
cmp_commune(const void *a, const void *b)
{
	return strcmp(((const vg_commune *)a)->code,
	    ((const vg_commune *)b)->code);
}

static int
cmp_by_dept(const void *a, const void *b)
{
	const vg_commune *x = *(const vg_commune *const *)a;
	const vg_commune *y = *(const vg_commune *const *)b;
	int c = strcmp(x->dept, y->dept);

	/* Folded names: "Écully" sorts with the E's whatever the locale. */
	return c != 0 ? c : strcmp(T.commune_keys[x - T.communes],
	    T.commune_keys[y - T.communes]);
}

static json_t *
load_json(const char *share, const char *name, char *err, size_t errlen)
{
	char path[1200];
	json_error_t je;
	json_t *v;

	snprintf(path, sizeof(path), "%s/" DATA_DIR "/%s", share, name);
	v = json_load_file(path, 0, &je);
	if (v == NULL || !json_is_array(v)) {
		snprintf(err, errlen, _("%s illisible : lancez « make run » ou "
		    "« npm ci » pour installer les données des territoires "
		    "(%s)"), path, v == NULL ? je.text : "pas une liste");
		json_decref(v);
		return NULL;
	}
	return v;
}

static bool
copy_code(char *dst, size_t cap, json_t *v)
{
	const char *s = json_string_value(v);

	if (s == NULL || strlen(s) == 0 || strlen(s) >= cap)
		return false;
	memcpy(dst, s, strlen(s) + 1);
	return true;
}

vg_rc
vg_territory_load(const char *share, char *err, size_t errlen)
{
	json_t *depts = NULL, *communes = NULL, *o;
	size_t i, names_len = 0, at = 0, k;
	vg_rc rc = VG_ENOMEM;

	vg_territory_free();
	if ((depts = load_json(share, "departements.json", err, errlen)) ==
	    NULL || (communes = load_json(share, "communes.json", err,
	    errlen)) == NULL) {
		json_decref(depts);
		return VG_EIO;
	}
	/* Names are copied into one block: measure it first. */
	json_array_foreach(depts, i, o)
		names_len += strlen(json_string_value(json_object_get(o,
		    "nom")) ?: "") + 1;
	json_array_foreach(communes, i, o)
		names_len += strlen(json_string_value(json_object_get(o,
		    "nom")) ?: "") + 1;
	T.names = malloc(names_len);
	T.depts = calloc(json_array_size(depts), sizeof(*T.depts));
	T.communes = calloc(json_array_size(communes), sizeof(*T.communes));
	if (T.names == NULL || T.depts == NULL || T.communes == NULL)
		goto fail;

	json_array_foreach(depts, i, o) {
		const char *zone = json_string_value(json_object_get(o, "zone"));
		const char *nom = json_string_value(json_object_get(o, "nom"));
		vg_dept *d = &T.depts[T.ndepts];

		/* Overseas collectivities (zone "com") are not départements. */
		if (zone == NULL || (strcmp(zone, "metro") != 0 &&
		    strcmp(zone, "drom") != 0))
			continue;
		if (nom == NULL || !copy_code(d->code, sizeof(d->code),
		    json_object_get(o, "code"))) {
			rc = VG_EIO;
			snprintf(err, errlen, _("departements.json : entrée %zu "
			    "sans code ou sans nom"), i + 1);
			goto fail;
		}
		copy_code(d->region, sizeof(d->region),
		    json_object_get(o, "region"));
		d->overseas = strcmp(zone, "drom") == 0;
		d->name = T.names + at;
		memcpy(T.names + at, nom, strlen(nom) + 1);
		at += strlen(nom) + 1;
		T.ndepts++;
	}
	qsort(T.depts, T.ndepts, sizeof(*T.depts), cmp_dept);

	json_array_foreach(communes, i, o) {
		const char *type = json_string_value(json_object_get(o, "type"));
		const char *nom = json_string_value(json_object_get(o, "nom"));
		vg_commune *c = &T.communes[T.ncommunes];
		vg_dept *d;

		if (type == NULL || (strcmp(type, "commune-actuelle") != 0 &&
		    strcmp(type, "arrondissement-municipal") != 0))
			continue;
		if (nom == NULL || !copy_code(c->code, sizeof(c->code),
		    json_object_get(o, "code")) || !copy_code(c->dept,
		    sizeof(c->dept), json_object_get(o, "departement"))) {
			rc = VG_EIO;
			snprintf(err, errlen, _("communes.json : entrée %zu "
			    "sans code, sans nom ou sans département"), i + 1);
			goto fail;
		}
		d = (vg_dept *)vg_dept_get(c->dept);
		if (d == NULL)          /* an overseas collectivity's */
			continue;
		c->population = json_integer_value(json_object_get(o,
		    "population"));
		/* The arrondissements are inside their commune's figure. */
		if (strcmp(type, "commune-actuelle") == 0)
			d->population += c->population;
		c->name = T.names + at;
		memcpy(T.names + at, nom, strlen(nom) + 1);
		at += strlen(nom) + 1;
		T.ncommunes++;
	}
	qsort(T.communes, T.ncommunes, sizeof(*T.communes), cmp_commune);

	T.by_dept = calloc(T.ncommunes + 1, sizeof(*T.by_dept));
	T.dept_first = calloc(T.ndepts + 1, sizeof(*T.dept_first));
	T.dept_n = calloc(T.ndepts + 1, sizeof(*T.dept_n));
	T.dept_keys = calloc(T.ndepts + 1, sizeof(*T.dept_keys));
	T.commune_keys = calloc(T.ncommunes + 1, sizeof(*T.commune_keys));
	if (T.by_dept == NULL || T.dept_first == NULL || T.dept_n == NULL ||
	    T.dept_keys == NULL || T.commune_keys == NULL)
		goto fail;
	for (i = 0; i < T.ncommunes; i++) {
		T.by_dept[i] = &T.communes[i];
		if ((T.commune_keys[i] = vg_fold_key(T.communes[i].name)) == NULL)
			goto fail;
	}
	qsort(T.by_dept, T.ncommunes, sizeof(*T.by_dept), cmp_by_dept);
	for (i = 0, k = 0; i < T.ndepts; i++) {
		if ((T.dept_keys[i] = vg_fold_key(T.depts[i].name)) == NULL)
			goto fail;
		while (k < T.ncommunes && strcmp(T.by_dept[k]->dept,
		    T.depts[i].code) < 0)
			k++;
		T.dept_first[i] = k;
		while (k < T.ncommunes && strcmp(T.by_dept[k]->dept,
		    T.depts[i].code) == 0) {
			k++;
			T.dept_n[i]++;
		}
	}
	if (T.ndepts < 100 || T.ncommunes < 30000) {
		rc = VG_EIO;
		snprintf(err, errlen, _("données des territoires incomplètes "
		    "(%zu départements, %zu communes) : réinstallez-les avec "
		    "« npm ci »"), T.ndepts, T.ncommunes);
		goto fail;
	}
	json_decref(depts);
	json_decref(communes);
	return VG_OK;
fail:
	if (rc == VG_ENOMEM)
		snprintf(err, errlen, _("mémoire insuffisante pour les "
		    "territoires"));
	json_decref(depts);
	json_decref(communes);
	vg_territory_free();
	return rc;
}

void
vg_territory_free(void)
{
	size_t i;

	if (T.dept_keys != NULL)
		for (i = 0; i < T.ndepts; i++)
			free(T.dept_keys[i]);
	if (T.commune_keys != NULL)
		for (i = 0; i < T.ncommunes; i++)
			free(T.commune_keys[i]);
	free(T.dept_keys);
	free(T.commune_keys);
	free(T.depts);
	free(T.communes);
	free(T.by_dept);
	free(T.dept_first);
	free(T.dept_n);
	free(T.names);
	memset(&T, 0, sizeof(T));
}

size_t
vg_dept_count(void)
{
	return T.ndepts;
}

const vg_dept *
vg_dept_at(size_t i)
{
	return i < T.ndepts ? &T.depts[i] : NULL;
}

const vg_dept *
vg_dept_get(const char *code)
{
	vg_dept key;

	if (code == NULL || strlen(code) >= sizeof(key.code) || T.ndepts == 0)
		return NULL;
	memcpy(key.code, code, strlen(code) + 1);
	return bsearch(&key, T.depts, T.ndepts, sizeof(*T.depts), cmp_dept);
}

const vg_dept *
vg_dept_find(const char *text)
{
	char code[4], *key;
	const vg_dept *d = NULL;
	size_t n, i;

	if (text == NULL)
		return NULL;
	while (isspace((unsigned char)*text))
		text++;
	n = strlen(text);
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	if (n <= 3) {
		for (i = 0; i < n; i++)
			code[i] = (char)toupper((unsigned char)text[i]);
		code[n] = '\0';
		if (n == 1 && isdigit((unsigned char)code[0])) {
			code[2] = '\0';
			code[1] = code[0];
			code[0] = '0';
		}
		if ((d = vg_dept_get(code)) != NULL)
			return d;
	}
	if ((key = strndup(text, n)) == NULL)
		return NULL;
	{
		char *folded = vg_fold_key(key);

		free(key);
		if (folded == NULL)
			return NULL;
		for (i = 0; i < T.ndepts && d == NULL; i++)
			if (strcmp(T.dept_keys[i], folded) == 0)
				d = &T.depts[i];
		free(folded);
	}
	return d;
}

size_t
vg_commune_count(void)
{
	return T.ncommunes;
}

const vg_commune *
vg_commune_get(const char *code)
{
	vg_commune key;

	if (code == NULL || strlen(code) >= sizeof(key.code) ||
	    T.ncommunes == 0)
		return NULL;
	memcpy(key.code, code, strlen(code) + 1);
	return bsearch(&key, T.communes, T.ncommunes, sizeof(*T.communes),
	    cmp_commune);
}

static size_t
dept_index(const char *dept)
{
	const vg_dept *d = vg_dept_get(dept);

	return d == NULL ? (size_t)-1 : (size_t)(d - T.depts);
}

const vg_commune *
vg_commune_find(const char *dept, const char *text)
{
	size_t di = dept_index(dept), n, i;
	const vg_commune *c = NULL;
	char code[6], *folded;

	if (di == (size_t)-1 || text == NULL)
		return NULL;
	while (isspace((unsigned char)*text))
		text++;
	n = strlen(text);
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	if (n == 4 || n == 5) {
		snprintf(code, sizeof(code), "%s%.*s", n == 4 ? "0" : "",
		    (int)n, text);
		for (i = 0; code[i]; i++)
			code[i] = (char)toupper((unsigned char)code[i]);
		if ((c = vg_commune_get(code)) != NULL)
			return strcmp(c->dept, dept) == 0 ? c : NULL;
	}
	{
		char *tmp = strndup(text, n);

		if (tmp == NULL)
			return NULL;
		folded = vg_fold_key(tmp);
		free(tmp);
	}
	if (folded == NULL)
		return NULL;
	for (i = T.dept_first[di]; i < T.dept_first[di] + T.dept_n[di]; i++) {
		size_t ci = (size_t)(T.by_dept[i] - T.communes);

		if (strcmp(T.commune_keys[ci], folded) == 0) {
			c = T.by_dept[i];
			break;
		}
	}
	free(folded);
	return c;
}

const vg_commune *const *
vg_communes_of(const char *dept, size_t *n)
{
	size_t di = dept_index(dept);

	*n = 0;
	if (di == (size_t)-1)
		return NULL;
	*n = T.dept_n[di];
	return T.by_dept + T.dept_first[di];
}
