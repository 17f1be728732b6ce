/*
 * report.c — the scanner's report, for the person and the mediator.
 *
 * One view (vg_scan_view) feeds the three outputs: the terminal text, the
 * self-contained HTML page (templates/scan_report_doc.html) and the
 * platform's page (templates/scan.html), both through the partial
 * templates/partials/scan_report.html.  The view groups the findings by
 * app, says how sure each is and what it means, writes times for people,
 * and always carries the same advice: keep the evidence, remove nothing
 * before talking to a specialist, who to call, and that finding nothing
 * does not prove that the phone is clean.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/yaml.h"
#include "scan/scan.h"

/* Who the report names, in this order, from content/contacts.yaml. */
static const char *const contact_ids[] = {
	"violences-femmes-info", "echap", "e-enfance", "france-victimes",
	"police", "sms-114",
};

json_t *
vg_scan_contacts(const char *share)
{
	char path[4096], err[600];
	json_t *doc = NULL, *list, *out = json_array(), *c;
	size_t i, j;

	snprintf(path, sizeof(path), "%s/content/contacts.yaml", share);
	if (out == NULL || vg_yaml_load_file(path, &doc, err, sizeof(err)) !=
	    VG_OK)
		return out;
	list = json_object_get(doc, "contacts");
	for (i = 0; i < VG_ARRAY_LEN(contact_ids); i++)
		json_array_foreach(list, j, c) {
			if (strcmp(json_string_value(json_object_get(c, "id")) ?
			    json_string_value(json_object_get(c, "id")) : "",
			    contact_ids[i]) != 0)
				continue;
			json_array_append_new(out, json_pack("{s:O?, s:O?, "
			    "s:O?, s:O?, s:O?, s:O?}",
			    "name", json_object_get(c, "nom"),
			    "phone", json_object_get(c, "numero"),
			    "link", json_object_get(c, "lien"),
			    "url", json_object_get(c, "url"),
			    "hours", json_object_get(c, "horaires"),
			    "for", json_object_get(c, "pour")));
		}
	json_decref(doc);
	return out;
}

/* "2026-11-23T10:00:00.123456Z" as "23/11/2026 à 10:00:00 (UTC)" in
 * buf; "" when iso is not a time. */
static const char *
fr_time(const char *iso, char *buf, size_t n)
{
	if (iso == NULL || strlen(iso) < 19)
		*buf = '\0';
	else
		snprintf(buf, n, _("%.2s/%.2s/%.4s à %.8s (UTC)"), iso + 8,
		    iso + 5, iso, iso + 11);
	return buf;
}

static const char *
jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static const char *
kind_label(const char *kind)
{
	if (strcmp(kind, "domain") == 0)
		return _("nom de domaine");
	if (strcmp(kind, "ip") == 0)
		return _("adresse IP");
	if (strcmp(kind, "package") == 0)
		return _("application installée (nom de paquet)");
	if (strcmp(kind, "certificate") == 0)
		return _("certificat de signature de l'application");
	return _("fichier d'installation (APK) connu");
}

static const char *
list_label(const char *list, const char *kind)
{
	if (strcmp(list, "samples") == 0 && strcmp(kind, "package") == 0)
		return _("le nom de paquet d'un fichier connu de "
		    "l'application");
	if (strcmp(list, "samples") == 0 && strcmp(kind, "certificate") == 0)
		return _("le certificat d'un fichier connu de l'application");
	if (strcmp(list, "c2") == 0)
		return _("un serveur où l'application envoie ce qu'elle "
		    "collecte");
	if (strcmp(list, "website") == 0)
		return _("le site web de l'éditeur de l'application");
	if (strcmp(list, "distribution") == 0)
		return _("un site d'où l'application est téléchargée");
	if (strcmp(list, "packages") == 0)
		return _("le nom de paquet de l'application");
	if (strcmp(list, "certificates") == 0)
		return _("le certificat qui signe l'application");
	return _("la liste des fichiers connus de l'application");
}

static const char *
confidence_label(const char *c)
{
	if (strcmp(c, "high") == 0)
		return _("forte");
	if (strcmp(c, "medium") == 0)
		return _("moyenne");
	return _("faible");
}

/* What a finding means, in plain words. */
static const char *
meaning(const char *kind, const char *list)
{
	if (strcmp(kind, "sample") == 0)
		return _("Ce fichier est exactement une version connue de "
		    "l'application.");
	if (strcmp(kind, "certificate") == 0)
		return _("L'application installée est signée par le même "
		    "éditeur que l'application connue.");
	if (strcmp(kind, "package") == 0)
		return _("Une application installée porte le nom technique "
		    "de l'application connue.");
	if (strcmp(kind, "ip") == 0)
		return _("Le téléphone a échangé avec une adresse liée à "
		    "l'application. Une même adresse peut servir à d'autres "
		    "sites : c'est un indice, pas une preuve.");
	if (strcmp(list, "c2") == 0)
		return _("Le téléphone a contacté un serveur de l'application : "
		    "c'est en général le signe qu'elle est installée et "
		    "active.");
	return _("Le téléphone a visité un site de l'application. Cela peut "
	    "venir d'une simple recherche (par exemple pour se renseigner) : "
	    "c'est un indice, pas une preuve d'installation.");
}

static const char *
what_label(const char *what)
{
	if (strcmp(what, "traffic") == 0)
		return _("trafic");
	if (strcmp(what, "dns") == 0 || strcmp(what, "dns-answer") == 0)
		return _("DNS");
	if (strcmp(what, "tls") == 0)
		return _("TLS");
	if (strcmp(what, "http") == 0)
		return _("HTTP");
	if (strcmp(what, "ip") == 0)
		return _("paquet");
	if (strcmp(what, "hash") == 0)
		return _("empreinte");
	return _("application");
}

static void
view_evidence(json_t *ev)
{
	const char *what = jstr(ev, "what"), *input = jstr(ev, "input");
	json_int_t packet = json_integer_value(json_object_get(ev, "packet"));
	json_int_t line = json_integer_value(json_object_get(ev, "line"));
	char where[512], text[1400], t1[64], t2[64];

	if (line > 0)
		snprintf(where, sizeof(where), _("%s, ligne %lld"), input,
		    (long long)line);
	else
		snprintf(where, sizeof(where), _("%s, paquet n° %lld"), input,
		    (long long)packet);
	json_object_set_new(ev, "where", json_string(where));
	json_object_set_new(ev, "what_label", json_string(what_label(what)));
	json_object_set_new(ev, "time_fr", json_string(fr_time(jstr(ev,
	    "time"), t1, sizeof(t1))));
	if (strcmp(what, "traffic") == 0) {
		json_int_t n = json_integer_value(json_object_get(ev,
		    "packets"));

		fr_time(jstr(ev, "until"), t2, sizeof(t2));
		if (n > 1)
			snprintf(text, sizeof(text), _("%lld paquets envoyés à "
			    "%s, du %s au %s"), (long long)n, jstr(ev,
			    "destination"), t1, t2);
		else
			snprintf(text, sizeof(text), _("1 paquet envoyé à %s, "
			    "le %s"), jstr(ev, "destination"), t1);
		json_object_set_new(ev, "text", json_string(text));
	} else if (json_object_get(ev, "package") != NULL) {
		snprintf(text, sizeof(text), _("%s (paquet %s)"), jstr(ev,
		    "detail"), jstr(ev, "package"));
		json_object_set_new(ev, "text", json_string(text));
	} else {
		json_object_set(ev, "text", json_object_get(ev, "detail"));
	}
}

/* Join an array of strings with ", ". */
static json_t *
join(json_t *arr)
{
	vg_buf b = VG_BUF_INIT;
	json_t *v, *out;
	size_t i;

	json_array_foreach(arr, i, v) {
		if (i > 0)
			vg_buf_puts(&b, ", ");
		vg_buf_puts(&b, json_string_value(v));
	}
	out = json_stringn(b.len ? b.data : "", b.len);
	vg_buf_free(&b);
	return out;
}

static void
view_finding(json_t *f)
{
	const char *kind = jstr(f, "kind"), *list = jstr(f, "list");
	json_int_t count = json_integer_value(json_object_get(f, "count"));
	json_t *evs = json_object_get(f, "evidence"), *ev;
	json_int_t shown = 0;
	char t[64], buf[300];
	size_t i;

	json_object_set_new(f, "kind_label", json_string(kind_label(kind)));
	json_object_set_new(f, "list_label", json_string(list_label(list, kind)));
	json_object_set_new(f, "confidence_label", json_string(
	    confidence_label(jstr(f, "confidence"))));
	json_object_set_new(f, "meaning", json_string(meaning(kind, list)));
	json_object_set_new(f, "first_fr", json_string(fr_time(jstr(f,
	    "first"), t, sizeof(t))));
	json_object_set_new(f, "last_fr", json_string(fr_time(jstr(f,
	    "last"), t, sizeof(t))));
	json_object_set_new(f, "same", json_boolean(strcmp(jstr(f,
	    "indicator"), jstr(f, "observed")) == 0));
	json_array_foreach(evs, i, ev) {
		view_evidence(ev);
		if (strcmp(jstr(ev, "what"), "traffic") == 0)
			shown += json_integer_value(json_object_get(ev,
			    "packets"));
		else
			shown++;
	}
	if (count > shown) {
		snprintf(buf, sizeof(buf), _("et %lld autres observations du "
		    "même indicateur"), (long long)(count - shown));
		json_object_set_new(f, "more", json_string(buf));
	}
}

static void
view_input(json_t *in)
{
	const char *fmt = jstr(in, "format");
	char buf[600];

	if (strcmp(fmt, "pcap") == 0 || strcmp(fmt, "pcapng") == 0)
		snprintf(buf, sizeof(buf), _("capture réseau (%s) : %lld paquets "
		    "lus, dont %lld requêtes DNS, %lld connexions TLS et %lld "
		    "requêtes HTTP"), fmt,
		    (long long)json_integer_value(json_object_get(in,
		    "packets")),
		    (long long)json_integer_value(json_object_get(in, "dns")),
		    (long long)json_integer_value(json_object_get(in, "tls")),
		    (long long)json_integer_value(json_object_get(in,
		    "http")));
	else if (strcmp(fmt, "sha256-list") == 0)
		snprintf(buf, sizeof(buf), _("liste d'empreintes SHA-256 : "
		    "%lld empreintes lues"), (long long)json_integer_value(
		    json_object_get(in, "items")));
	else if (*fmt != '\0')
		snprintf(buf, sizeof(buf), _("liste des applications (%s) : "
		    "%lld applications lues"), strcmp(fmt, "dumpsys-package")
		    == 0 ? "dumpsys package" : "pm list packages",
		    (long long)json_integer_value(json_object_get(in,
		    "items")));
	if (json_integer_value(json_object_get(in, "unread")) > 0 &&
	    strcmp(fmt, "dumpsys-package") != 0) {
		size_t k = strlen(buf);

		snprintf(buf + k, sizeof(buf) - k, _(" ; %lld lignes n'ont pas "
		    "pu être lues"), (long long)json_integer_value(
		    json_object_get(in, "unread")));
	}
	else
		snprintf(buf, sizeof(buf), "%s", _("non lu"));
	json_object_set_new(in, "description", json_string(buf));
}

/* Whether a stalkerware finding is sure (high confidence): the app, its
 * certificate or file, or its servers contacted. */
static int
sure_spy(json_t *v)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(v, "findings"), i, f)
		if (strcmp(jstr(f, "type"), "stalkerware") == 0 &&
		    strcmp(jstr(f, "confidence"), "high") == 0)
			return 1;
	return 0;
}

/* What to do now: the same words in every report. */
static json_t *
advice(const char *level)
{
	json_t *a = json_array();

	json_array_append_new(a, json_string(_("Gardez les preuves : ce "
	    "rapport et les fichiers examinés (la capture, les listes). Ne "
	    "les effacez pas ; rangez-les hors de ce téléphone.")));
	json_array_append_new(a, json_string(_("Ne désinstallez rien et ne "
	    "réinitialisez pas le téléphone avant d'en avoir parlé avec un ou "
	    "une spécialiste : la suppression peut alerter la personne qui "
	    "surveille, la mettre en colère, et fait disparaître des "
	    "preuves.")));
	if (strcmp(level, "nothing") != 0)
		json_array_append_new(a, json_string(_("Tant que le téléphone "
		    "n'a pas été vérifié par un ou une spécialiste, considérez "
		    "que ce que vous y faites peut être vu : pour demander de "
		    "l'aide, utilisez un autre téléphone ou un ordinateur "
		    "sûr.")));
	json_array_append_new(a, json_string(_("Si vous êtes en danger, "
	    "appelez le 17 ou le 112, ou envoyez un SMS au 114.")));
	json_array_append_new(a, json_string(_("Pour être accompagnée ou "
	    "accompagné, appelez l'un des services ci-dessous : ils sont "
	    "gratuits et connaissent ces situations.")));
	return a;
}

json_t *
vg_scan_view(json_t *result, json_t *contacts)
{
	json_t *v = json_deep_copy(result), *apps = json_array(), *f, *in;
	json_t *byname = json_object(), *iocs, *file;
	const char *level, *title, *text;
	char when[64], buf[1200];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	if (v == NULL || apps == NULL || byname == NULL)
		goto fail;
	json_array_foreach(json_object_get(v, "findings"), i, f) {
		const char *name = jstr(f, "app");
		json_t *app = json_object_get(byname, name);

		view_finding(f);
		if (app == NULL) {
			app = json_pack("{s:s, s:O, s:s, s:b, s:o, s:[]}",
			    "app", name, "names", json_object_get(f, "names"),
			    "type", jstr(f, "type"), "watchware",
			    strcmp(jstr(f, "type"), "watchware") == 0,
			    "other_names", join(json_object_get(f, "names")),
			    "findings");
			json_object_set_new(byname, name, app);
			json_array_append(apps, app);
		}
		json_array_append(json_object_get(app, "findings"), f);
	}
	json_decref(byname);
	byname = NULL;
	json_object_set_new(v, "apps", apps);
	json_array_foreach(json_object_get(v, "inputs"), i, in)
		view_input(in);
	if (sure_spy(v)) {
		level = "stalkerware";
		title = _("Des traces d'une application espion ont été "
		    "trouvées");
		text = _("Ce qui suit est sérieux, mais ne faites rien dans "
		    "l'urgence : l'application peut prévenir la personne qui "
		    "l'a installée. Lisez d'abord « Que faire maintenant ».");
	} else if (json_integer_value(json_object_get(v, "stalkerware")) > 0) {
		level = "clues";
		title = _("Des indices à vérifier ont été trouvés");
		text = _("Le téléphone a échangé avec un site ou une adresse liés "
		    "à une application espion, sans signe sûr qu'elle soit "
		    "installée : cela peut venir d'une simple recherche. "
		    "Parlez-en avec un ou une spécialiste avant de conclure, "
		    "et lisez « Que faire maintenant ».");
	} else if (json_integer_value(json_object_get(v, "watchware")) > 0) {
		level = "watchware";
		title = _("Une application de surveillance a été trouvée");
		text = _("Ces applications ne se cachent pas (contrôle "
		    "parental, localisation familiale, gestion à distance) "
		    "mais elles peuvent servir à surveiller quelqu'un sans son "
		    "accord. Vérifiez que vous savez qui l'a installée et "
		    "pourquoi.");
	} else if (json_integer_value(json_object_get(v, "errors")) > 0) {
		level = "incomplete";
		title = _("La vérification n'a pas pu tout lire");
		text = _("Aucun indicateur connu dans ce qui a pu être lu, mais "
		    "une partie n'a pas pu l'être : voir les fichiers examinés "
		    "ci-dessous.");
	} else {
		level = "nothing";
		title = _("Aucune application espion connue n'a été trouvée");
		text = _("Aucun des indicateurs connus n'apparaît dans ce qui a "
		    "été examiné.");
	}
	json_object_set_new(v, "verdict", json_pack("{s:s, s:s, s:s}",
	    "level", level, "title", title, "text", text));
	snprintf(buf, sizeof(buf), "verdict_%s", level);
	json_object_set_new(v, buf, json_true());
	json_object_set_new(v, "advice", advice(level));
	json_object_set_new(v, "caveat", json_string(_("Ne rien trouver ne "
	    "prouve pas que le téléphone est sain : les indicateurs ne "
	    "connaissent pas toutes les applications espion, une capture ne "
	    "montre que le trafic de sa durée, et une liste d'applications ne "
	    "montre pas tout. Si les signes continuent (la personne sait où "
	    "vous êtes, connaît vos messages), parlez-en à un ou une "
	    "spécialiste.")));
	iocs = json_object_get(v, "iocs");
	json_array_foreach(json_object_get(iocs, "files"), i, file) {
		snprintf(buf, sizeof(buf), _("%s, daté du %s, SHA-256 %s"),
		    jstr(file, "name"), jstr(file, "date"), jstr(file,
		    "sha256"));
		json_object_set_new(file, "text", json_string(buf));
	}
	json_object_set_new(v, "contacts", contacts ? json_deep_copy(contacts)
	    : json_array());
	strftime(when, sizeof(when), "%d/%m/%Y %H:%M", gmtime_r(&now, &tm));
	json_object_set_new(v, "generated", json_string(when));
	return v;
fail:
	json_decref(v);
	json_decref(apps);
	json_decref(byname);
	return NULL;
}

static void
rule(FILE *f, const char *title)
{
	size_t n = 0;
	const unsigned char *p;

	fprintf(f, "\n%s\n", title);
	for (p = (const unsigned char *)title; *p; p++)
		n += (*p & 0xc0) != 0x80;      /* characters, not bytes */
	while (n-- > 0)
		fputc('-', f);
	fputc('\n', f);
}

void
vg_scan_text(json_t *v, FILE *f)
{
	json_t *verdict = json_object_get(v, "verdict"), *app, *fd, *ev, *x;
	size_t i, j, k;

	fprintf(f, "%s\n", _("Vérification d'un téléphone — rapport de "
	    "Vigie"));
	fprintf(f, _("Établi le %s (UTC)\n"), jstr(v, "generated"));
	fprintf(f, "\n%s\n%s\n", jstr(verdict, "title"), jstr(verdict,
	    "text"));
	if (json_array_size(json_object_get(v, "apps")) > 0)
		rule(f, _("Ce qui a été trouvé"));
	json_array_foreach(json_object_get(v, "apps"), i, app) {
		fprintf(f, "\n%zu. %s (%s)\n", i + 1, jstr(app, "app"),
		    json_is_true(json_object_get(app, "watchware")) ?
		    _("application de surveillance visible") :
		    _("application espion"));
		if (*jstr(app, "other_names") != '\0')
			fprintf(f, _("   Autres noms : %s\n"), jstr(app,
			    "other_names"));
		json_array_foreach(json_object_get(app, "findings"), j, fd) {
			fprintf(f, "\n   * %s : %s", jstr(fd, "kind_label"),
			    jstr(fd, "observed"));
			if (!json_is_true(json_object_get(fd, "same")))
				fprintf(f, _(" (indicateur : %s)"), jstr(fd,
				    "indicator"));
			fprintf(f, _("\n     C'est %s. Certitude : %s.\n"),
			    jstr(fd, "list_label"), jstr(fd,
			    "confidence_label"));
			fprintf(f, "     %s\n", jstr(fd, "meaning"));
			fprintf(f, "     %s\n", _("Preuves :"));
			json_array_foreach(json_object_get(fd, "evidence"), k,
			    ev) {
				fprintf(f, "       - %s", jstr(ev, "where"));
				if (*jstr(ev, "time_fr") != '\0' &&
				    strcmp(jstr(ev, "what"), "traffic") != 0)
					fprintf(f, ", %s", jstr(ev, "time_fr"));
				fprintf(f, " : %s\n", jstr(ev, "text"));
			}
			if ((x = json_object_get(fd, "more")) != NULL)
				fprintf(f, "       %s\n", json_string_value(x));
		}
	}
	rule(f, _("Que faire maintenant"));
	json_array_foreach(json_object_get(v, "advice"), i, x)
		fprintf(f, "- %s\n", json_string_value(x));
	json_array_foreach(json_object_get(v, "contacts"), i, x) {
		fprintf(f, "    %s", jstr(x, "name"));
		if (*jstr(x, "phone") != '\0')
			fprintf(f, " : %s", jstr(x, "phone"));
		if (*jstr(x, "hours") != '\0')
			fprintf(f, " (%s)", jstr(x, "hours"));
		if (*jstr(x, "url") != '\0')
			fprintf(f, " — %s", jstr(x, "url"));
		fprintf(f, "\n      %s\n", jstr(x, "for"));
	}
	fprintf(f, "\n%s\n", jstr(v, "caveat"));
	rule(f, _("Ce qui a été examiné"));
	json_array_foreach(json_object_get(v, "inputs"), i, x) {
		fprintf(f, "- %s : %s\n", jstr(x, "name"), jstr(x,
		    "description"));
		if (json_object_get(x, "error") != NULL)
			fprintf(f, _("  Erreur : %s\n"), jstr(x, "error"));
	}
	x = json_object_get(v, "iocs");
	fprintf(f, _("\nIndicateurs : stalkerware-indicators d'Echap (CC BY "
	    "4.0), version %s, %lld applications.\n"), jstr(x, "version"),
	    (long long)json_integer_value(json_object_get(x, "apps")));
	json_array_foreach(json_object_get(x, "files"), i, fd)
		fprintf(f, "  %s\n", jstr(fd, "text"));
}

vg_rc
vg_scan_html(const vg_tmpl_set *set, json_t *v, vg_buf *out)
{
	json_t *stack[1] = {v};

	return vg_tmpl_render(set, "scan_report_doc", stack, 1, out);
}
