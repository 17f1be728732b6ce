/*
 * answer.c — the answering engine: where a person is, which pages and
 * questions apply to their answers (XLSForm's `relevant`), and the checks
 * of each answer (type, choices, `required`, `constraint`).
 *
 * Skip logic is applied here, on the server, so the pages work without
 * JavaScript and a tampered form cannot answer a question it was not
 * asked.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/i18n.h"
#include "core/territory.h"
#include "core/utf8.h"
#include "core/when.h"
#include "surveys/expr.h"
#include "surveys/surveys_int.h"

#define TEXT_MAX 2000           /* characters of a text answer */
#define STATE_MAX (256 * 1024)  /* bytes of a sealed progress */

void
progress_free(struct progress *p)
{
	json_decref(p->answers);
	memset(p, 0, sizeof(*p));
}

const char *
progress_encode(vg_arena *a, const vg_keys *k, const struct progress *p)
{
	json_t *o = json_pack("{s:I, s:i, s:b, s:O, s:I, s:s, s:s, s:s}",
	    "w", (json_int_t)p->wave, "p", p->page, "r", p->review,
	    "a", p->answers, "pt", (json_int_t)p->participant, "l", p->lang,
	    "k", p->link, "n", p->nonce);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	unsigned char *sealed;
	char *out;
	size_t n, b64;

	json_decref(o);
	if (text == NULL)
		return NULL;
	n = strlen(text) + VG_SEAL_OVERHEAD;
	b64 = sodium_base64_encoded_len(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if ((sealed = malloc(n)) == NULL ||
	    (out = vg_arena_alloc(a, b64)) == NULL) {
		free(sealed);
		free(text);
		return NULL;
	}
	vg_seal(k, text, strlen(text), sealed);
	sodium_bin2base64(out, b64, sealed, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(sealed);
	free(text);
	return out;
}

vg_rc
progress_decode(const vg_keys *k, const char *text, int64_t wave,
    struct progress *p)
{
	unsigned char *sealed = NULL;
	char *plain = NULL;
	size_t n = 0, len;
	json_t *o = NULL;
	json_error_t je;
	const char *lang = NULL, *link = NULL, *nonce = NULL;
	json_int_t w = 0, pt = 0;
	int page = -1, review = 0;
	vg_rc rc = VG_EINVAL;

	memset(p, 0, sizeof(*p));
	if (text == NULL || (len = strlen(text)) == 0 || len > STATE_MAX)
		return VG_EINVAL;
	if ((sealed = malloc(len)) == NULL)
		return VG_ENOMEM;
	if (sodium_base642bin(sealed, len, text, len, NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n <= VG_SEAL_OVERHEAD)
		goto out;
	if ((plain = malloc(n - VG_SEAL_OVERHEAD + 1)) == NULL) {
		rc = VG_ENOMEM;
		goto out;
	}
	if (vg_unseal(k, sealed, n, (unsigned char *)plain) != VG_OK)
		goto out;
	o = json_loads(plain, 0, &je);
	if (o == NULL || json_unpack(o, "{s:I, s:i, s:b, s:o, s:I, s:s, s:s, "
	    "s:s}", "w", &w, "p", &page, "r", &review, "a", &p->answers, "pt",
	    &pt, "l", &lang, "k", &link, "n", &nonce) != 0 || w != wave ||
	    !json_is_object(p->answers) || strlen(lang) >= sizeof(p->lang) ||
	    strlen(link) >= sizeof(p->link) || strlen(nonce) >=
	    sizeof(p->nonce))
		goto out;
	snprintf(p->nonce, sizeof(p->nonce), "%s", nonce);
	json_incref(p->answers);
	p->wave = w;
	p->page = page;
	p->review = review != 0;
	p->participant = pt;
	snprintf(p->lang, sizeof(p->lang), "%s", lang);
	snprintf(p->link, sizeof(p->link), "%s", link);
	rc = VG_OK;
out:
	if (rc != VG_OK) {
		p->answers = NULL;
		memset(p, 0, sizeof(*p));
	}
	json_decref(o);
	free(plain);
	free(sealed);
	return rc;
}

/* --- relevance ------------------------------------------------------------ */

static const char *
get_answer(void *arg, const char *name)
{
	return json_string_value(json_object_get((const json_t *)arg, name));
}

/* An expression of the form (checked at import) on the answers; an
 * expression that no longer parses counts as true, so that nobody is
 * locked out of a question. */
static bool
holds(const char *src, const json_t *answers, const char *self)
{
	vg_expr *e;
	bool v;

	if (src == NULL || *src == '\0')
		return true;
	if (vg_expr_parse(src, &e, NULL, 0) != VG_OK)
		return true;
	v = vg_expr_eval(e, get_answer, (void *)answers, self);
	vg_expr_free(e);
	return v;
}

static json_t *
page_at(const json_t *def, int i)
{
	return json_array_get(json_object_get(def, "pages"), (size_t)i);
}

bool
question_relevant(const json_t *q, const json_t *answers)
{
	return holds(json_string_value(json_object_get(q, "relevant")),
	    answers, NULL);
}

bool
page_relevant(const json_t *def, int i, const json_t *answers)
{
	json_t *pg = page_at(def, i), *q;
	size_t j;

	if (pg == NULL || !holds(json_string_value(json_object_get(pg,
	    "relevant")), answers, NULL))
		return false;
	/* A page none of whose questions applies is skipped too. */
	json_array_foreach(json_object_get(pg, "questions"), j, q)
		if (question_relevant(q, answers))
			return true;
	return false;
}

struct pending {
	const json_t *answers;
	bool unanswered;
};

static void
note_unanswered(void *arg, const char *name)
{
	struct pending *p = arg;

	if (json_object_get(p->answers, name) == NULL)
		p->unanswered = true;
}

/* Whether page i's condition depends on a question not answered yet. */
static bool
page_undecided(const json_t *def, int i, const json_t *answers)
{
	const char *src = json_string_value(json_object_get(page_at(def, i),
	    "relevant"));
	struct pending p = {answers, false};
	vg_expr *e;

	if (src == NULL || vg_expr_parse(src, &e, NULL, 0) != VG_OK)
		return false;
	vg_expr_names(e, note_unanswered, &p);
	vg_expr_free(e);
	return p.unanswered;
}

int
page_step(const json_t *def, int i, int dir, const json_t *answers)
{
	int n = (int)json_array_size(json_object_get(def, "pages"));

	for (i += dir; i >= 0 && i < n; i += dir)
		if (page_relevant(def, i, answers))
			return i;
	return -1;
}

/* --- the page's view ------------------------------------------------------ */

/* The template's flag for a type: {{#is_select_one}}… */
static const char *
type_flag(const char *type)
{
	static const char *const flags[][2] = {
		{"text", "is_text"}, {"integer", "is_integer"},
		{"decimal", "is_decimal"}, {"date", "is_date"},
		{"select_one", "is_select_one"},
		{"select_multiple", "is_select_multiple"},
		{"note", "is_note"}, {"departement", "is_departement"},
	};
	size_t i;

	for (i = 0; type != NULL && i < VG_ARRAY_LEN(flags); i++)
		if (!strcmp(type, flags[i][0]))
			return flags[i][1];
	return "is_text";
}

static json_t *
choices_of(const json_t *def, const json_t *q, const char *lang,
    const char *value)
{
	const char *type = json_string_value(json_object_get(q, "type"));
	json_t *out = json_array(), *c;
	char pad[4096];
	size_t i;

	snprintf(pad, sizeof(pad), " %s ", value ? value : "");
	if (type != NULL && !strcmp(type, "departement")) {
		for (i = 0; i < vg_dept_count(); i++) {
			const vg_dept *d = vg_dept_at(i);
			char lab[128];

			snprintf(lab, sizeof(lab), "%s — %s", d->code, d->name);
			json_array_append_new(out, json_pack("{s:s, s:s, s:b}",
			    "name", d->code, "label", lab, "checked", value &&
			    !strcmp(value, d->code)));
		}
		return out;
	}
	json_array_foreach(json_object_get(json_object_get(def, "choices"),
	    json_string_value(json_object_get(q, "list"))), i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		char item[300];

		snprintf(item, sizeof(item), " %s ", name);
		json_array_append_new(out, json_pack("{s:s, s:s?, s:b, s:O}",
		    "name", name, "label", label_in(json_object_get(c, "label"),
		    lang), "checked", value != NULL && strstr(pad, item) != NULL,
		    "field", json_object_get(q, "name")));
	}
	return out;
}

json_t *
page_view(const json_t *def, int i, const json_t *answers, const char *lang,
    const json_t *errors, const json_t *posted)
{
	json_t *pg = page_at(def, i), *qs = json_array(), *q, *view;
	int number = 0, total = 0, k;
	int n = (int)json_array_size(json_object_get(def, "pages"));
	size_t j;

	/* Pages whose condition waits on a question not answered yet are
	 * counted: "page 1 of 2" then "2 of 2", not "1 of 1" then "2 of 2". */
	for (k = 0; k < n; k++)
		if (page_relevant(def, k, answers) || (k > i &&
		    page_undecided(def, k, answers))) {
			total++;
			if (k <= i)
				number++;
		}
	json_array_foreach(json_object_get(pg, "questions"), j, q) {
		const char *name = json_string_value(json_object_get(q, "name"));
		const char *type = json_string_value(json_object_get(q, "type"));
		const char *value = json_string_value(json_object_get(
		    posted && json_object_get(posted, name) ? posted : answers,
		    name));
		json_t *v;

		if (!question_relevant(q, answers))
			continue;
		v = json_pack("{s:s, s:s, s:s?, s:s?, s:b, s:s?, s:s?}",
		    "name", name, "type", type, "label",
		    label_in(json_object_get(q, "label"), lang), "hint",
		    label_in(json_object_get(q, "hint"), lang), "required",
		    json_is_true(json_object_get(q, "required")), "value",
		    value, "error", json_string_value(json_object_get(errors,
		    name)));
		/* One flag per type, for the template. */
		json_object_set_new(v, type_flag(type), json_true());
		if (!strcmp(type, "select_one") ||
		    !strcmp(type, "select_multiple") ||
		    !strcmp(type, "departement"))
			json_object_set_new(v, "choices", choices_of(def, q,
			    lang, value));
		json_array_append_new(qs, v);
	}
	view = json_pack("{s:i, s:i, s:i, s:s?, s:o}", "index", i, "number",
	    number, "total", total, "label", label_in(json_object_get(pg,
	    "label"), lang), "questions", qs);
	return view;
}

/* --- checking answers ------------------------------------------------------ */

static bool
in_list(const json_t *def, const json_t *q, const char *name)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(def, "choices"),
	    json_string_value(json_object_get(q, "list"))), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "name")), name))
			return true;
	return false;
}

/* The value typed for a question, normalised, or NULL with *why set. */
static char *
read_value(const json_t *def, const json_t *q, const vg_form *form,
    const char **why)
{
	const char *name = json_string_value(json_object_get(q, "name"));
	const char *type = json_string_value(json_object_get(q, "type"));
	const vg_form_field *f;
	char *v, *end;
	size_t n;

	*why = NULL;
	if (!strcmp(type, "select_multiple")) {
		/* Every box ticked, in the list's order, each once. */
		json_t *c;
		size_t i;
		vg_buf b = VG_BUF_INIT;

		for (f = form->first; f != NULL; f = f->next)
			if (!strcmp(f->name, name) && f->filename == NULL &&
			    *f->value != '\0' && !in_list(def, q, f->value)) {
				*why = _("Ce choix ne fait pas partie de la "
				    "liste.");
				return NULL;
			}
		json_array_foreach(json_object_get(json_object_get(def,
		    "choices"), json_string_value(json_object_get(q, "list"))),
		    i, c) {
			const char *cn = json_string_value(json_object_get(c,
			    "name"));

			for (f = form->first; f != NULL; f = f->next)
				if (!strcmp(f->name, name) &&
				    f->filename == NULL &&
				    !strcmp(f->value, cn)) {
					if (b.len > 0)
						vg_buf_putc(&b, ' ');
					vg_buf_puts(&b, cn);
					break;
				}
		}
		return b.data ? vg_buf_detach(&b, NULL) : strdup("");
	}
	v = strdup(vg_form_get(form, name) ? vg_form_get(form, name) : "");
	if (v == NULL)
		return NULL;
	/* Surrounding spaces are not part of an answer. */
	n = strlen(v);
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		v[--n] = '\0';
	for (end = v; isspace((unsigned char)*end); end++)
		;
	memmove(v, end, strlen(end) + 1);
	if (*v == '\0')
		return v;
	if (!vg_utf8_valid_text(v, strlen(v))) {
		*why = _("Cette réponse contient des caractères invalides.");
	} else if (!strcmp(type, "text")) {
		if (vg_utf8_length(v, strlen(v)) > TEXT_MAX)
			*why = _("Cette réponse est trop longue (2 000 "
			    "caractères au plus).");
	} else if (!strcmp(type, "integer")) {
		long long x;

		errno = 0;
		x = strtoll(v, &end, 10);
		if (*end != '\0' || errno != 0 || end == v)
			*why = _("Écrivez un nombre entier, par exemple 14.");
		else
			snprintf(v, strlen(v) + 1, "%lld", x);
	} else if (!strcmp(type, "decimal")) {
		double x;
		char *c = strchr(v, ',');

		if (c != NULL && strchr(c + 1, ',') == NULL)
			*c = '.';       /* "2,5" as French people write it */
		errno = 0;
		x = strtod(v, &end);
		if (*end != '\0' || errno != 0 || end == v || !isfinite(x))
			*why = _("Écrivez un nombre, par exemple 2,5.");
	} else if (!strcmp(type, "date")) {
		int64_t t;

		if (!vg_date_parse(v, &t))
			*why = _("Écrivez une date sous la forme AAAA-MM-JJ, "
			    "par exemple 2026-03-15.");
	} else if (!strcmp(type, "select_one")) {
		if (!in_list(def, q, v))
			*why = _("Ce choix ne fait pas partie de la liste.");
	} else if (!strcmp(type, "departement")) {
		if (vg_dept_get(v) == NULL)
			*why = _("Choisissez un département dans la liste.");
	}
	if (*why != NULL) {
		free(v);
		return NULL;
	}
	return v;
}

void
page_apply(const json_t *def, int i, const vg_form *form, json_t *answers,
    json_t **errors, json_t **posted)
{
	json_t *pg = page_at(def, i), *q;
	size_t j;

	*errors = json_object();
	*posted = json_object();
	json_array_foreach(json_object_get(pg, "questions"), j, q) {
		const char *name = json_string_value(json_object_get(q, "name"));
		const char *type = json_string_value(json_object_get(q, "type"));
		const char *why = NULL, *raw;
		char *v;

		/* Earlier answers on this page may change what applies:
		 * questions are read in order. */
		if (!strcmp(type, "note"))
			continue;
		if (!question_relevant(q, answers)) {
			json_object_del(answers, name);
			continue;
		}
		raw = vg_form_get(form, name);
		if (raw != NULL && strcmp(type, "select_multiple") != 0)
			json_object_set_new(*posted, name, json_string(raw));
		v = read_value(def, q, form, &why);
		if (v == NULL) {
			json_object_set_new(*errors, name, json_string(why ?
			    why : _("Réponse illisible.")));
			json_object_del(answers, name);
			continue;
		}
		if (*v == '\0') {
			json_object_del(answers, name);
			if (json_is_true(json_object_get(q, "required")))
				json_object_set_new(*errors, name, json_string(
				    _("Cette question est obligatoire.")));
			free(v);
			continue;
		}
		json_object_set_new(answers, name, json_string(v));
		if (!holds(json_string_value(json_object_get(q, "constraint")),
		    answers, v)) {
			const char *m = label_in(json_object_get(q,
			    "constraint_message"), "fr");

			json_object_set_new(*errors, name, json_string(m ? m :
			    _("Cette réponse n'est pas acceptée : "
			    "vérifiez-la.")));
			json_object_del(answers, name);
		}
		free(v);
	}
}

const char *
answers_finish(const json_t *def, json_t *answers)
{
	json_t *pg, *q;
	size_t i, j;
	const char *missing = NULL;

	json_array_foreach(json_object_get(def, "pages"), i, pg) {
		bool page_on = page_relevant(def, (int)i, answers);

		json_array_foreach(json_object_get(pg, "questions"), j, q) {
			const char *name = json_string_value(json_object_get(q,
			    "name"));

			if (!page_on || !question_relevant(q, answers)) {
				json_object_del(answers, name);
				continue;
			}
			if (missing == NULL && json_is_true(json_object_get(q,
			    "required")) && json_object_get(answers, name) ==
			    NULL && strcmp(json_string_value(json_object_get(q,
			    "type")), "note") != 0)
				missing = name;
		}
	}
	return missing;
}
