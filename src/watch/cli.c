/*
 * cli.c — `vigie watch fetch [--source ID]`, `vigie watch list` and
 * `vigie watch add URL --name NOM --lang fr|en [--themes a,b]
 * [--inactive]`.
 *
 * main.c has read --data, --config and --help and opened the data;
 * argv[0] is "watch".  Exit status: 0 done (every source read), 1 a
 * source failed (or the storage did), 2 a usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "resources/resources.h"
#include "watch/watch_int.h"

static int
usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "vigie watch : ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return 2;
}

/* A positive id, or -1. */
static int64_t
parse_id(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 ? (int64_t)v : -1;
}

static void
print_outcome(const struct watch_outcome *o, void *arg)
{
	VG_UNUSED(arg);
	if (o->failed)
		printf(_("%s : erreur : %s\n"), o->name, o->error);
	else if (o->unchanged)
		printf(_("%s : inchangé\n"), o->name);
	else
		/* French: 0 and 1 take the singular. */
		printf(ngettext("%s : %d nouveau\n", "%s : %d nouveaux\n",
		    o->added > 1 ? 2ul : 1ul), o->name, o->added);
	if (!o->failed && o->feed_url[0] != '\0')
		printf(_("  cette page annonce un flux : %s\n"), o->feed_url);
	fflush(stdout);
}

static int
cmd_fetch(const vg_config *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0}
	};
	struct watch_outcome o;
	int64_t id = 0;
	int ch, failed = 0;
	vg_rc rc;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch == 's' && (id = parse_id(optarg)) < 0)
			return usage(_("--source attend le numéro d'une "
			    "source, pas « %s »"), optarg);
		if (ch == ':')
			return usage(_("l'option %s attend une valeur"),
			    argv[optind - 1]);
		if (ch == '?')
			return usage(_("option inconnue : %s"),
			    argv[optind - 1]);
	}
	if (optind < argc)
		return usage(_("argument en trop : %s"), argv[optind]);
	if (id > 0) {
		rc = watch_fetch_source(c, id, &o);
		if (rc == VG_ENOTFOUND) {
			fprintf(stderr, _("vigie watch : aucune source "
			    "n° %lld\n"),
			    (long long)id);
			return 1;
		}
		if (rc != VG_OK) {
			fprintf(stderr, "vigie watch : %s\n", _("la base de "
			    "données a échoué"));
			return 1;
		}
		print_outcome(&o, NULL);
		return o.failed ? 1 : 0;
	}
	if (watch_round(c, false, (int64_t)time(NULL), print_outcome, NULL,
	    &failed) != VG_OK) {
		fprintf(stderr, "vigie watch : %s\n", _("la base de données a "
		    "échoué"));
		return 1;
	}
	return failed > 0 ? 1 : 0;
}

static int
cmd_list(int argc, char **argv)
{
	json_t *list, *s;
	size_t i;

	VG_UNUSED(argv);
	if (argc > 1)
		return usage(_("argument en trop : %s"), argv[1]);
	if (watch_source_list(&list) != VG_OK) {
		fprintf(stderr, "vigie watch : %s\n", _("la base de données a "
		    "échoué"));
		return 1;
	}
	if (json_array_size(list) == 0)
		printf("%s\n", _("Aucune source."));
	json_array_foreach(list, i, s) {
		const char *err = json_string_value(json_object_get(s,
		    "error"));
		const char *last = json_string_value(json_object_get(s,
		    "last_fetch"));

		json_int_t n = json_integer_value(json_object_get(s,
		    "items"));

		printf("%lld\t%s\t%s\t%s\t%s\t%s\t%lld %s\t%s\n",
		    (long long)json_integer_value(json_object_get(s, "id")),
		    json_string_value(json_object_get(s, "name")),
		    json_string_value(json_object_get(s, "url")),
		    json_string_value(json_object_get(s, "lang")),
		    json_is_true(json_object_get(s, "active")) ? _("active") :
		    _("inactive"),
		    json_string_value(json_object_get(s, "kind_label")),
		    (long long)n, ngettext("élément", "éléments",
		    n > 1 ? 2ul : 1ul),
		    err ? err : last ? _("ok") : _("jamais relevée"));
	}
	json_decref(list);
	return 0;
}

static int
cmd_add(const vg_config *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"lang", required_argument, NULL, 'l'},
		{"themes", required_argument, NULL, 't'},
		{"inactive", no_argument, NULL, 'i'},
		{NULL, 0, NULL, 0}
	};
	struct watch_source_in in = {NULL, NULL, "fr", NULL, true};
	const char *why, *field;
	char err[1024];
	int64_t id;
	int ch;
	vg_rc rc;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': in.name = optarg; break;
		case 'l': in.lang = optarg; break;
		case 't': in.themes = optarg; break;
		case 'i': in.active = false; break;
		case ':':
			return usage(_("l'option %s attend une valeur"),
			    argv[optind - 1]);
		default:
			return usage(_("option inconnue : %s"),
			    argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage("%s", _("indiquez une adresse : vigie watch add "
		    "URL --name NOM --lang fr|en [--themes a,b] [--inactive]"));
	in.url = argv[optind];
	/* The theme vocabulary is the resources' one. */
	if (resources_content_check(c->share, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie watch : %s\n", err);
		return 1;
	}
	rc = watch_source_save(0, &in, &id, &why, &field);
	if (rc == VG_EINVAL || rc == VG_ECONFLICT) {
		fprintf(stderr, "vigie watch : %s\n", why);
		return 2;
	}
	if (rc != VG_OK) {
		fprintf(stderr, "vigie watch : %s\n", _("la base de données a "
		    "échoué"));
		return 1;
	}
	printf(_("Source n° %lld ajoutée.\n"), (long long)id);
	return 0;
}

int
watch_cli(const vg_config *c, const vg_keys *k, int argc, char **argv)
{
	VG_UNUSED(k);
	if (argc < 2)
		return usage("%s", _("indiquez une commande : fetch, list ou "
		    "add"));
	if (!strcmp(argv[1], "fetch"))
		return cmd_fetch(c, argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "add"))
		return cmd_add(c, argc - 1, argv + 1);
	return usage(_("commande inconnue : %s (fetch, list ou add)"),
	    argv[1]);
}
