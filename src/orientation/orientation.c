/*
 * orientation.c — the decision tree, its checks and the plan.
 *
 * Each answer sets the fact "QUESTION.VALUE".  A plan block applies when
 * all of its "si" facts hold, at least one of its "si_un" (if any) and
 * none of its "sauf".  Blocks are shown by section in a fixed order, then
 * in file order.
 */
#include "orientation/orientation.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/yaml.h"
#include "directory/directory.h"
#include "resources/resources.h"

#define MAX_PATHS 100000

static const struct {
	const char *code, *label;
} sections[] = {
	{"maintenant", N_("Ce que vous pouvez faire maintenant")},
	{"preuves", N_("Garder des preuves")},
	{"signaler", N_("Signaler")},
	{"soutien", N_("Qui peut vous aider")},
	{"ressources", N_("Pour aller plus loin")},
};

static json_t *contacts;        /* [{id, nom, …}] */
static json_t *tree;            /* {debut, questions: [...], plan: [...]} */
static char contacts_path[1200], tree_path[1200];

/* --- lookups ------------------------------------------------------------- */

static const char *
str(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) && *json_string_value(v) ?
	    json_string_value(v) : NULL;
}

static json_t *
find_question(const char *id)
{
	size_t i;
	json_t *q;

	if (id == NULL)
		return NULL;
	json_array_foreach(json_object_get(tree, "questions"), i, q)
		if (!strcmp(str(q, "id"), id))
			return q;
	return NULL;
}

static json_t *
find_choice(const json_t *q, const char *value)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(q, "choix"), i, c)
		if (!strcmp(str(c, "valeur"), value))
			return c;
	return NULL;
}

static json_t *
find_contact(const char *id)
{
	size_t i;
	json_t *c;

	json_array_foreach(contacts, i, c)
		if (!strcmp(str(c, "id"), id))
			return c;
	return NULL;
}

static bool
valid_id(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 40)
		return false;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

/* Whether "q.v" names a question and one of its choices. */
static bool
valid_fact(const char *fact)
{
	const char *dot = strchr(fact, '.');
	char q[64];
	json_t *question;

	if (dot == NULL || (size_t)(dot - fact) >= sizeof(q))
		return false;
	memcpy(q, fact, (size_t)(dot - fact));
	q[dot - fact] = '\0';
	question = find_question(q);
	return question != NULL && find_choice(question, dot + 1) != NULL;
}

static bool has_fact(const orient_answers *ans, const char *fact);

/* --- loading and checking ------------------------------------------------- */

static vg_rc
check_contacts(json_t *doc, char *err, size_t errlen)
{
	const char *p = contacts_path;
	size_t i, j;
	json_t *c, *d;

	contacts = json_object_get(doc, "contacts");
	if (!json_is_array(contacts) || json_array_size(contacts) == 0)
		return vg_yaml_fail(err, errlen, p, doc, "%s",
		    _("une liste « contacts » est attendue"));
	json_array_foreach(contacts, i, c) {
		const char *lien = str(c, "lien"), *url = str(c, "url");
		json_t *home = json_object_get(c, "accueil");

		if (!json_is_object(c) || !valid_id(str(c, "id")))
			return vg_yaml_fail(err, errlen, p, c, "%s", _("chaque contact a un "
			    "« id » fait de minuscules, chiffres et tirets"));
		if (str(c, "nom") == NULL || str(c, "pour") == NULL)
			return vg_yaml_fail(err, errlen, p, c, _("le contact « %s » doit "
			    "avoir un « nom » et un « pour »"), str(c, "id"));
		if (lien != NULL && strncmp(lien, "tel:", 4) != 0 &&
		    strncmp(lien, "sms:", 4) != 0)
			return vg_yaml_fail(err, errlen, p, c, _("le lien du contact « %s » "
			    "doit commencer par tel: ou sms:"), str(c, "id"));
		if (url != NULL && strncmp(url, "https://", 8) != 0)
			return vg_yaml_fail(err, errlen, p, c, _("le site du contact « %s » "
			    "doit commencer par https://"), str(c, "id"));
		if (home != NULL && (!json_is_integer(home) ||
		    json_integer_value(home) < 1 ||
		    json_integer_value(home) > 20))
			return vg_yaml_fail(err, errlen, p, c, _("« accueil » du contact "
			    "« %s » doit être un rang de 1 à 20"), str(c, "id"));
		for (j = 0; j < i; j++) {
			d = json_array_get(contacts, j);
			if (!strcmp(str(d, "id"), str(c, "id")))
				return vg_yaml_fail(err, errlen, p, c, _("le contact « %s » "
				    "est défini deux fois"), str(c, "id"));
			if (home != NULL && json_equal(home,
			    json_object_get(d, "accueil")))
				return vg_yaml_fail(err, errlen, p, c, _("deux contacts "
				    "ont le même rang « accueil » (%s)"),
				    str(c, "id"));
		}
	}
	return VG_OK;
}

static vg_rc
check_questions(char *err, size_t errlen)
{
	const char *p = tree_path;
	json_t *qs = json_object_get(tree, "questions"), *q, *c;
	size_t i, j, k;

	if (!json_is_array(qs) || json_array_size(qs) == 0)
		return vg_yaml_fail(err, errlen, p, tree, "%s",
		    _("une liste « questions » est attendue"));
	json_array_foreach(qs, i, q) {
		json_t *choices = json_object_get(q, "choix");

		if (!json_is_object(q) || !valid_id(str(q, "id")))
			return vg_yaml_fail(err, errlen, p, q, "%s", _("chaque question a un "
			    "« id » fait de minuscules, chiffres, - ou _"));
		if (str(q, "question") == NULL)
			return vg_yaml_fail(err, errlen, p, q, _("la question « %s » n'a "
			    "pas de texte (« question »)"), str(q, "id"));
		for (j = 0; j < i; j++)
			if (!strcmp(str(json_array_get(qs, j), "id"),
			    str(q, "id")))
				return vg_yaml_fail(err, errlen, p, q, _("la question "
				    "« %s » est définie deux fois"), str(q, "id"));
		if (!json_is_array(choices) || json_array_size(choices) < 2)
			return vg_yaml_fail(err, errlen, p, q, _("la question « %s » doit "
			    "proposer au moins deux « choix »"), str(q, "id"));
		json_array_foreach(choices, j, c) {
			if (!json_is_object(c) || !valid_id(str(c, "valeur")) ||
			    str(c, "libelle") == NULL)
				return vg_yaml_fail(err, errlen, p, c, "%s", _("chaque choix "
				    "a une « valeur » (minuscules, chiffres, - "
				    "ou _) et un « libelle »"));
			for (k = 0; k < j; k++)
				if (!strcmp(str(json_array_get(choices, k),
				    "valeur"), str(c, "valeur")))
					return vg_yaml_fail(err, errlen, p, c, _("la "
					    "valeur « %s » est en double"),
					    str(c, "valeur"));
		}
	}
	/* References, once every question is known. */
	json_array_foreach(qs, i, q)
		json_array_foreach(json_object_get(q, "choix"), j, c)
			if (json_object_get(c, "suite") != NULL &&
			    find_question(str(c, "suite")) == NULL)
				return vg_yaml_fail(err, errlen, p, c, _("« suite » renvoie "
				    "à une question qui n'existe pas : « %s »"),
				    str(c, "suite") ? str(c, "suite") : "");
	if (find_question(str(tree, "debut")) == NULL)
		return vg_yaml_fail(err, errlen, p, tree, _("« debut » doit nommer une "
		    "question (« %s » n'existe pas)"), str(tree, "debut"));
	return VG_OK;
}

static vg_rc
check_facts(const json_t *block, const char *key, char *err, size_t errlen)
{
	json_t *list = json_object_get(block, key), *f;
	size_t i;

	if (list == NULL)
		return VG_OK;
	if (!json_is_array(list))
		return vg_yaml_fail(err, errlen, tree_path, block, _("« %s » doit être une "
		    "liste, par exemple [danger.oui]"), key);
	json_array_foreach(list, i, f)
		if (!json_is_string(f) || !valid_fact(json_string_value(f)))
			return vg_yaml_fail(err, errlen, tree_path, block, _("condition "
			    "inconnue « %s » (attendu QUESTION.VALEUR)"),
			    json_is_string(f) ? json_string_value(f) : "?");
	return VG_OK;
}

/* acteurs: {themes: {FACT: [THEME…]}, publics: {FACT: PUBLIC}} */
static vg_rc
check_actors(char *err, size_t errlen)
{
	json_t *a = json_object_get(tree, "acteurs"), *m, *v, *t;
	const char *fact;
	size_t i;

	if (a == NULL)
		return VG_OK;
	if (!json_is_object(a))
		return vg_yaml_fail(err, errlen, tree_path, NULL, "%s",
		    _("« acteurs » doit contenir « themes: » et « publics: »"));
	m = json_object_get(a, "themes");
	json_object_foreach(m, fact, v) {
		if (fact[0] == '@')
			continue;
		if (!valid_fact(fact))
			return vg_yaml_fail(err, errlen, tree_path, m,
			    _("acteurs : réponse inconnue « %s » (attendu "
			    "QUESTION.VALEUR)"), fact);
		if (!json_is_array(v))
			return vg_yaml_fail(err, errlen, tree_path, m,
			    _("acteurs : « %s » doit avoir une liste de "
			    "thématiques"), fact);
		json_array_foreach(v, i, t)
			if (resources_theme_label(json_string_value(t)) ==
			    NULL)
				return vg_yaml_fail(err, errlen, tree_path, m,
				    _("acteurs : thématique inconnue « %s » "
				    "(voir content/resources/themes.yaml)"),
				    json_is_string(t) ? json_string_value(t) :
				    "?");
	}
	m = json_object_get(a, "publics");
	json_object_foreach(m, fact, v) {
		if (fact[0] == '@')
			continue;
		if (!valid_fact(fact))
			return vg_yaml_fail(err, errlen, tree_path, m,
			    _("acteurs : réponse inconnue « %s » (attendu "
			    "QUESTION.VALEUR)"), fact);
		if (!directory_public_known(json_string_value(v)))
			return vg_yaml_fail(err, errlen, tree_path, m,
			    _("acteurs : public inconnu pour « %s » (tous, "
			    "mineurs, femmes ou seniors)"), fact);
	}
	return VG_OK;
}

size_t
orientation_actor_fit(const orient_answers *ans, const char **themes,
    size_t max, const char **public_code)
{
	json_t *a = json_object_get(tree, "acteurs"), *v, *t;
	const char *fact;
	size_t n = 0, i;

	*public_code = NULL;
	json_object_foreach(json_object_get(a, "themes"), fact, v)
		if (fact[0] != '@' && has_fact(ans, fact))
			json_array_foreach(v, i, t)
				if (n + 1 < max)
					themes[n++] = json_string_value(t);
	json_object_foreach(json_object_get(a, "publics"), fact, v)
		if (fact[0] != '@' && has_fact(ans, fact))
			*public_code = json_string_value(v);
	themes[n] = NULL;
	return n;
}

static vg_rc
check_plan(char *err, size_t errlen)
{
	json_t *plan = json_object_get(tree, "plan"), *b, *v;
	size_t i, j, s;
	vg_rc rc;

	if (!json_is_array(plan) || json_array_size(plan) == 0)
		return vg_yaml_fail(err, errlen, tree_path, tree, "%s",
		    _("une liste « plan » est attendue"));
	json_array_foreach(plan, i, b) {
		const char *section = str(b, "section");

		for (s = 0; s < VG_ARRAY_LEN(sections); s++)
			if (section && !strcmp(section, sections[s].code))
				break;
		if (!json_is_object(b) || s == VG_ARRAY_LEN(sections))
			return vg_yaml_fail(err, errlen, tree_path, b, "%s", _("« section » "
			    "doit être maintenant, preuves, signaler, soutien "
			    "ou ressources"));
		if (str(b, "titre") == NULL || str(b, "texte") == NULL)
			return vg_yaml_fail(err, errlen, tree_path, b, "%s", _("chaque bloc "
			    "du plan a un « titre » et un « texte »"));
		if ((rc = check_facts(b, "si", err, errlen)) != VG_OK ||
		    (rc = check_facts(b, "si_un", err, errlen)) != VG_OK ||
		    (rc = check_facts(b, "sauf", err, errlen)) != VG_OK)
			return rc;
		json_array_foreach(json_object_get(b, "contacts"), j, v)
			if (!json_is_string(v) ||
			    find_contact(json_string_value(v)) == NULL)
				return vg_yaml_fail(err, errlen, tree_path, b, _("contact "
				    "inconnu « %s » (voir contacts.yaml)"),
				    json_is_string(v) ? json_string_value(v) :
				    "?");
		json_array_foreach(json_object_get(b, "ressources"), j, v)
			if (!json_is_string(v) ||
			    !resources_slug_known(json_string_value(v)))
				return vg_yaml_fail(err, errlen, tree_path, b, _("ressource "
				    "inconnue « %s » (voir content/resources)"),
				    json_is_string(v) ? json_string_value(v) :
				    "?");
	}
	return VG_OK;
}

/* Every question reachable from the start, and no loop. */
static vg_rc
check_graph(char *err, size_t errlen)
{
	json_t *qs = json_object_get(tree, "questions"), *q, *c;
	size_t n = json_array_size(qs), i, j, changed;
	char *seen = calloc(n + 1, 1);
	long depth[512];

	if (seen == NULL || n > 500) {
		free(seen);
		return vg_yaml_fail(err, errlen, tree_path, tree, "%s",
		    _("trop de questions (500 au plus)"));
	}
	/* Reachability by fixed point, with the longest distance from the
	 * start: a distance beyond n means a loop. */
	for (i = 0; i < n; i++)
		depth[i] = -1;
	for (i = 0; i < n; i++)
		if (!strcmp(str(json_array_get(qs, i), "id"), str(tree, "debut")))
			depth[i] = 0;
	do {
		changed = 0;
		json_array_foreach(qs, i, q) {
			if (depth[i] < 0)
				continue;
			json_array_foreach(json_object_get(q, "choix"), j, c) {
				size_t k;

				if (str(c, "suite") == NULL)
					continue;
				for (k = 0; k < n; k++)
					if (!strcmp(str(json_array_get(qs, k),
					    "id"), str(c, "suite")))
						break;
				if (depth[k] < depth[i] + 1) {
					depth[k] = depth[i] + 1;
					changed = 1;
					if (depth[k] > (long)n) {
						free(seen);
						return vg_yaml_fail(err, errlen,
						    tree_path, c, _("le parcours "
						    "boucle : « %s » revient à "
						    "une question déjà posée"),
						    str(c, "suite"));
					}
				}
			}
		}
	} while (changed);
	free(seen);
	json_array_foreach(qs, i, q)
		if (depth[i] < 0)
			return vg_yaml_fail(err, errlen, tree_path, q, _("la question « %s » "
			    "n'est jamais posée : aucun choix n'y mène"),
			    str(q, "id"));
	for (i = 0; i < n; i++)
		if (depth[i] >= ORIENT_MAX_ANSWERS)
			return vg_yaml_fail(err, errlen, tree_path, json_array_get(qs, i),
			    "%s", _("un parcours compte trop de questions (16 "
			    "au plus)"));
	return VG_OK;
}

struct walk_check {
	char *err;
	size_t errlen;
};

static vg_rc
check_one_path(const orient_answers *ans, void *arg)
{
	struct walk_check *w = arg;
	json_t *plan = orientation_plan(ans, VG_ROLE_ADMIN);
	vg_buf path = VG_BUF_INIT;
	bool ok;
	int i;

	if (plan == NULL)
		return VG_ENOMEM;
	ok = json_array_size(json_object_get(plan, "actions")) > 0 &&
	    json_array_size(json_object_get(plan, "contacts")) > 0;
	json_decref(plan);
	if (ok)
		return VG_OK;
	for (i = 0; i < ans->n; i++)
		vg_buf_printf(&path, "%s%s.%s", i ? ", " : "", ans->question[i],
		    ans->value[i]);
	snprintf(w->err, w->errlen, _("%s:1: le parcours %s ne mène à aucun "
	    "conseil ou à aucun contact : ajoutez un bloc de plan qui "
	    "s'applique"), tree_path, path.data ? path.data : "");
	vg_buf_free(&path);
	return VG_EINVAL;
}

vg_rc
orientation_load(const char *share, long *paths, char *err, size_t errlen)
{
	json_t *doc = NULL;
	struct walk_check w = {err, errlen};
	long count = 0;
	vg_rc rc;

	orientation_free();
	snprintf(contacts_path, sizeof(contacts_path), "%s/content/contacts.yaml",
	    share);
	snprintf(tree_path, sizeof(tree_path), "%s/content/orientation.yaml",
	    share);
	if ((rc = vg_yaml_load_file_ex(contacts_path, VG_YAML_LINES, &doc, err,
	    errlen)) != VG_OK)
		return rc;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return vg_yaml_fail(err, errlen, contacts_path, NULL, "%s",
		    _("le fichier doit contenir « contacts: »"));
	}
	rc = check_contacts(doc, err, errlen);
	json_incref(contacts);
	json_decref(doc);
	if (rc != VG_OK)
		goto fail;
	if ((rc = vg_yaml_load_file_ex(tree_path, VG_YAML_LINES, &tree, err,
	    errlen)) != VG_OK)
		goto fail;
	if (!json_is_object(tree)) {
		rc = vg_yaml_fail(err, errlen, tree_path, NULL, "%s", _("le fichier doit "
		    "contenir « debut: », « questions: » et « plan: »"));
		goto fail;
	}
	if ((rc = check_questions(err, errlen)) != VG_OK ||
	    (rc = check_plan(err, errlen)) != VG_OK ||
	    (rc = check_actors(err, errlen)) != VG_OK ||
	    (rc = check_graph(err, errlen)) != VG_OK ||
	    (rc = orientation_walk(check_one_path, &w, &count)) != VG_OK)
		goto fail;
	if (paths != NULL)
		*paths = count;
	return VG_OK;
fail:
	orientation_free();
	return rc;
}

void
orientation_free(void)
{
	json_decref(contacts);
	json_decref(tree);
	contacts = tree = NULL;
}

json_t *
orientation_home_contacts(void)
{
	json_t *list = json_array(), *c;
	size_t i;
	json_int_t rank;

	/* Ranks are unique and small: pick them in order. */
	for (rank = 1; rank <= 20; rank++)
		json_array_foreach(contacts, i, c)
			if (json_integer_value(json_object_get(c, "accueil")) ==
			    rank)
				json_array_append_new(list, json_pack("{s:s?, "
				    "s:s?, s:s, s:s, s:s?}", "numero",
				    str(c, "numero"), "lien", str(c, "lien"),
				    "nom", str(c, "nom"), "pour", str(c, "pour"),
				    "horaires", str(c, "horaires")));
	return list;
}

/* --- the engine ------------------------------------------------------------ */

/* The id of the question after the answers so far, or NULL at the end. */
static const char *
current_question(const orient_answers *ans)
{
	json_t *q, *c;

	if (ans->n == 0)
		return str(tree, "debut");
	q = find_question(ans->question[ans->n - 1]);
	c = q ? find_choice(q, ans->value[ans->n - 1]) : NULL;
	return c ? str(c, "suite") : NULL;
}

vg_rc
orientation_answer(orient_answers *ans, const char *value)
{
	const char *qid = current_question(ans);
	json_t *q = find_question(qid), *c;

	if (q == NULL || value == NULL || ans->n == ORIENT_MAX_ANSWERS ||
	    (c = find_choice(q, value)) == NULL)
		return VG_EINVAL;
	/* Borrow the tree's own strings: they live as long as the tree. */
	ans->question[ans->n] = str(q, "id");
	ans->value[ans->n] = str(c, "valeur");
	ans->n++;
	return VG_OK;
}

json_t *
orientation_next_step(const orient_answers *ans)
{
	json_t *q = find_question(current_question(ans)), *step, *list, *c;
	size_t i;

	if (q == NULL)
		return NULL;
	list = json_array();
	json_array_foreach(json_object_get(q, "choix"), i, c)
		json_array_append_new(list, json_pack("{s:s, s:s}", "value",
		    str(c, "valeur"), "label", str(c, "libelle")));
	step = json_pack("{s:s, s:s, s:s?, s:o, s:i}", "id", str(q, "id"),
	    "question", str(q, "question"), "help", str(q, "aide"),
	    "choices", list, "number", ans->n + 1);
	return step;
}

static char *
encode_payload(const orient_answers *ans)
{
	vg_buf b = VG_BUF_INIT;
	int i;

	for (i = 0; i < ans->n; i++)
		vg_buf_printf(&b, "%s%s=%s", i ? "," : "", ans->question[i],
		    ans->value[i]);
	return vg_buf_detach(&b, NULL);
}

const char *
orientation_state_encode(vg_arena *a, const unsigned char *key,
    const orient_answers *ans)
{
	char mac[VG_TOKEN_CHARS + 1];
	char *payload = encode_payload(ans);
	const char *out;

	if (payload == NULL)
		return NULL;
	vg_hash_text(key, payload, strlen(payload), mac);
	out = vg_arena_printf(a, "%s.%s", payload, mac);
	free(payload);
	return out;
}

vg_rc
orientation_state_decode(vg_arena *a, const unsigned char *key,
    const char *state, orient_answers *out)
{
	char mac[VG_TOKEN_CHARS + 1];
	const char *dot;
	char *payload, *pair, *save = NULL;

	memset(out, 0, sizeof(*out));
	if (state == NULL || *state == '\0')
		return VG_OK;
	dot = strrchr(state, '.');
	if (dot == NULL || strlen(state) > 2048)
		return VG_EINVAL;
	if ((payload = vg_arena_strndup(a, state, (size_t)(dot - state))) ==
	    NULL)
		return VG_ENOMEM;
	vg_hash_text(key, payload, strlen(payload), mac);
	if (!vg_str_equal_ct(mac, dot + 1))
		return VG_EINVAL;
	/* Signed by us, but the tree may have changed since: replay the
	 * answers against today's tree. */
	for (pair = strtok_r(payload, ",", &save); pair != NULL;
	    pair = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(pair, '=');
		const char *qid = current_question(out);

		if (eq == NULL || qid == NULL)
			return VG_EINVAL;
		*eq = '\0';
		if (strcmp(pair, qid) != 0 ||
		    orientation_answer(out, eq + 1) != VG_OK)
			return VG_EINVAL;
	}
	return VG_OK;
}

static bool
has_fact(const orient_answers *ans, const char *fact)
{
	size_t ql;
	int i;

	for (i = 0; i < ans->n; i++) {
		ql = strlen(ans->question[i]);
		if (!strncmp(fact, ans->question[i], ql) && fact[ql] == '.' &&
		    !strcmp(fact + ql + 1, ans->value[i]))
			return true;
	}
	return false;
}

static bool
applies(const json_t *block, const orient_answers *ans)
{
	json_t *f, *any = json_object_get(block, "si_un");
	size_t i;
	bool one = false;

	json_array_foreach(json_object_get(block, "si"), i, f)
		if (!has_fact(ans, json_string_value(f)))
			return false;
	json_array_foreach(json_object_get(block, "sauf"), i, f)
		if (has_fact(ans, json_string_value(f)))
			return false;
	json_array_foreach(any, i, f)
		if (has_fact(ans, json_string_value(f)))
			one = true;
	return any == NULL || one;
}

static bool
listed(json_t *list, const char *key, const char *value)
{
	size_t i;
	json_t *o;

	json_array_foreach(list, i, o)
		if (!strcmp(json_string_value(json_object_get(o, key)), value))
			return true;
	return false;
}

/* The block's text as paragraphs (split on blank lines). */
static json_t *
paragraphs(const char *text)
{
	json_t *list = json_array();
	const char *p = text;

	while (*p != '\0') {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);

		while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == ' '))
			n--;
		if (n > 0)
			json_array_append_new(list, json_stringn(p, n));
		if (end == NULL)
			break;
		p = end + 2;
		while (*p == '\n')
			p++;
	}
	return list;
}

json_t *
orientation_plan(const orient_answers *ans, vg_role role)
{
	json_t *actions = json_array(), *people = json_array();
	json_t *reading = json_array(), *groups = json_array(), *plan;
	json_t *b, *v;
	size_t s, i, j;

	for (s = 0; s < VG_ARRAY_LEN(sections); s++) {
		json_t *group = NULL;

		json_array_foreach(json_object_get(tree, "plan"), i, b) {
			if (strcmp(str(b, "section"), sections[s].code) != 0 ||
			    !applies(b, ans))
				continue;
			json_array_append_new(actions, json_pack("{s:s, s:s, "
			    "s:s}", "title", str(b, "titre"), "text",
			    str(b, "texte"), "section", sections[s].code));
			if (group == NULL) {
				group = json_pack("{s:s, s:s, s:[]}", "code",
				    sections[s].code, "label",
				    _(sections[s].label), "actions");
				json_array_append_new(groups, group);
			}
			json_array_append_new(json_object_get(group, "actions"),
			    json_pack("{s:s, s:o}", "title", str(b, "titre"),
			    "paragraphs", paragraphs(str(b, "texte"))));
			json_array_foreach(json_object_get(b, "contacts"), j, v) {
				json_t *c = find_contact(json_string_value(v));

				if (c == NULL || listed(people, "id",
				    str(c, "id")))
					continue;
				json_array_append_new(people, json_pack("{s:s, "
				    "s:s, s:s?, s:s?, s:s?, s:s?, s:s}", "id",
				    str(c, "id"), "name", str(c, "nom"),
				    "phone", str(c, "numero"), "link",
				    str(c, "lien"), "url", str(c, "url"),
				    "hours", str(c, "horaires"), "for",
				    str(c, "pour")));
			}
			json_array_foreach(json_object_get(b, "ressources"), j,
			    v) {
				json_t *r = NULL;

				if (resources_lookup(json_string_value(v), role,
				    &r) != VG_OK || listed(reading, "url",
				    json_string_value(json_object_get(r,
				    "url")))) {
					json_decref(r);
					continue;
				}
				json_array_append_new(reading, json_pack("{s:O, "
				    "s:O}", "title", json_object_get(r, "title"),
				    "url", json_object_get(r, "url")));
				json_decref(r);
			}
		}
	}
	plan = json_pack("{s:o, s:o, s:o, s:o}", "actions", actions,
	    "contacts", people, "resources", reading, "sections", groups);
	return plan;
}

static vg_rc
walk(orient_answers *ans, vg_rc (*fn)(const orient_answers *, void *),
    void *arg, long *count)
{
	json_t *q = find_question(current_question(ans)), *c;
	size_t i;
	vg_rc rc;

	if (q == NULL) {
		if (++*count > MAX_PATHS)
			return VG_EINVAL;
		return fn(ans, arg);
	}
	json_array_foreach(json_object_get(q, "choix"), i, c) {
		if (ans->n == ORIENT_MAX_ANSWERS)
			return VG_EINVAL;
		ans->question[ans->n] = str(q, "id");
		ans->value[ans->n] = str(c, "valeur");
		ans->n++;
		rc = walk(ans, fn, arg, count);
		ans->n--;
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

vg_rc
orientation_walk(vg_rc (*fn)(const orient_answers *, void *), void *arg,
    long *count)
{
	orient_answers ans;
	long n = 0;
	vg_rc rc;

	memset(&ans, 0, sizeof(ans));
	rc = walk(&ans, fn, arg, &n);
	if (count != NULL)
		*count = n;
	return rc;
}
