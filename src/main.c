/*
 * main.c — the command line: `vigie <command>`.  Each command calls the
 * same area logic as the web pages.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "app.h"
#include "surveys/surveys.h"
#include "barometer/barometer.h"
#include "core/i18n.h"
#include "core/territory.h"
#include "core/when.h"
#include "core/log.h"
#include "db/db.h"
#include "reports/reports.h"
#include "barometer/annual.h"
#include "newsletter/newsletter.h"
#include "scan/scan.h"
#include "trainings/trainings.h"
#include "watch/watch.h"
#include "vault/vault.h"
#include "workgroup/workgroup.h"

#ifndef VIGIE_VERSION
#define VIGIE_VERSION "0.0.0"
#endif
#ifndef VIGIE_LOCALEDIR
#define VIGIE_LOCALEDIR "/usr/share/locale"
#endif

#define EXIT_USAGE 2

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *summary;
};

static int cmd_serve(int, char **);
static int cmd_init(int, char **);
static int cmd_check_config(int, char **);
static int cmd_user(int, char **);
static int cmd_audit(int, char **);
static int cmd_purge(int, char **);
static int cmd_formations(int, char **);
static int cmd_survey(int, char **);
static int cmd_wave(int, char **);
static int cmd_scan(int, char **);
static int cmd_iocs(int, char **);
static int cmd_watch(int, char **);
static int cmd_newsletter(int, char **);
static int cmd_report(int, char **);
static int cmd_verify(int, char **);

static const struct command commands[] = {
	{"serve", cmd_serve,
	    N_("vigie serve [--listen ADRESSE:PORT] [--data DOSSIER] "
	    "[--config FICHIER]"),
	    N_("sert la plateforme (par défaut sur 127.0.0.1:8080)")},
	{"init", cmd_init, N_("vigie init [--data DOSSIER]"),
	    N_("crée le dossier de données, la clé et la base")},
	{"check-config", cmd_check_config,
	    N_("vigie check-config [--config FICHIER] [--data DOSSIER]"),
	    N_("vérifie la configuration et les contenus sans démarrer")},
	{"user", cmd_user,
	    N_("vigie user add EMAIL --role RÔLE [--name NOM] "
	    "[--data DOSSIER]\n       vigie user list [--data DOSSIER]"),
	    N_("crée ou liste les comptes (rôles : professional, analyst, "
	    "editor, admin)")},
	{"purge", cmd_purge, N_("vigie purge [--data DOSSIER]"),
	    N_("efface les données personnelles des signalements anciens "
	    "(voir retention_days) et les cas clos du groupe de travail (voir "
	    "workgroup_retention_days)")},
	{"audit", cmd_audit, N_("vigie audit verify [--data DOSSIER]"),
	    N_("vérifie que le journal d'audit des signalements est intact")},
	{"formations", cmd_formations,
	    N_("vigie formations rappels [--data DOSSIER] [--config FICHIER]"),
	    N_("envoie maintenant les rappels des sessions de formation des "
	    "deux jours à venir (pour cron)")},
	{"survey", cmd_survey,
	    N_("vigie survey import FICHIER [--data DOSSIER]\n"
	    "       vigie survey export VAGUE [--format csv|json] [--labels] "
	    "[--out FICHIER] [--data DOSSIER]"),
	    N_("importe un questionnaire XLSForm (.xlsx ou .csv) et affiche "
	    "son identifiant ; exporte les réponses d'une vague")},
	{"wave", cmd_wave,
	    N_("vigie wave open FORM_ID --name NOM [--until AAAA-MM-JJ] "
	    "[--panel] [--identified] [--linkage] [--data DOSSIER]\n"
	    "       vigie wave weight VAGUE --by dep[,sexe] [--margins "
	    "FICHIER.csv] [--data DOSSIER]"),
	    N_("ouvre une vague d'un questionnaire et affiche son numéro ; "
	    "pondère ses réponses par calage sur des marges")},
	{"scan", cmd_scan,
	    N_("vigie scan [--iocs DOSSIER] [--json] [--html FICHIER] "
	    "[--names] ENTRÉE..."),
	    N_("cherche des applications espion dans des captures réseau "
	    "(pcap, pcapng) ou des listes d'applications (adb shell pm list "
	    "packages, adb shell dumpsys package, empreintes SHA-256 d'APK) ; "
	    "sortie 0 : rien trouvé, 1 : quelque chose trouvé, 2 : erreur")},
	{"iocs", cmd_iocs, N_("vigie iocs check DOSSIER"),
	    N_("vérifie un dossier d'indicateurs mis à jour (ioc.yaml, "
	    "watchware.yaml, samples.csv) ; sortie 0 : valide, 1 : "
	    "problèmes, 2 : illisible")},
	{"watch", cmd_watch,
	    N_("vigie watch fetch [--source ID] [--data DOSSIER] "
	    "[--config FICHIER]\n       vigie watch list [--data DOSSIER]"
	    "\n       vigie watch add URL --name NOM [--lang fr|en] "
	    "[--themes a,b] [--inactive] [--data DOSSIER]"),
	    N_("relève maintenant les sources de la veille (flux RSS, Atom, "
	    "pages) ; sortie 0 : toutes relevées, 1 : une source en erreur")},
	{"newsletter", cmd_newsletter,
	    N_("vigie newsletter send [--data DOSSIER] [--config FICHIER]"),
	    N_("envoie (ou reprend) la lettre trimestrielle en cours d'envoi, "
	    "au rythme de newsletter_rate")},
	{"report", cmd_report,
	    N_("vigie report --year AAAA --out FICHIER.pdf [--data DOSSIER]"),
	    N_("écrit le rapport annuel de l'observatoire en PDF")},
	{"verify", cmd_verify, N_("vigie verify PAQUET.zip [--key CLÉ]"),
	    N_("vérifie hors ligne un export de coffre : empreintes, chaîne "
	    "et signatures ; sortie 0 : intact, 1 : modifié, 2 : erreur")},
};

void
vg_i18n_init(void)
{
	setlocale(LC_ALL, "");
	bindtextdomain("vigie", VIGIE_LOCALEDIR);
	bind_textdomain_codeset("vigie", "UTF-8");
	textdomain("vigie");
}

static int
usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "vigie%s%s : ", cmd ? " " : "", cmd ? cmd : "");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, _(" (voir « vigie %s%s--help »)\n"),
	    cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

static void
print_help(FILE *f)
{
	size_t i;

	fprintf(f, _("Vigie %s — plateforme contre les cyberviolences\n\n"
	    "Utilisation :\n"), VIGIE_VERSION);
	for (i = 0; i < VG_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-14s %s\n", commands[i].name,
		    _(commands[i].summary));
	fprintf(f, _("\n« vigie COMMANDE --help » détaille une commande.\n"
	    "Variables d'environnement : VIGIE_LISTEN, VIGIE_DATA, "
	    "VIGIE_CONFIG, VIGIE_SHARE, VIGIE_IOCS.\n"));
}

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < VG_ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/*
 * Options common to every command.  The configuration is built in order:
 * defaults, the file, the environment, then the options.
 */
struct opts {
	const char *listen, *data, *config, *role, *name;
	bool help;
};

static int
parse_opts(const char *cmd, int argc, char **argv, struct opts *o,
    bool allow_listen, bool allow_user)
{
	static const struct option longs[] = {
		{"listen", required_argument, NULL, 'l'},
		{"data", required_argument, NULL, 'd'},
		{"config", required_argument, NULL, 'c'},
		{"role", required_argument, NULL, 'r'},
		{"name", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (!allow_listen)
				goto bad;
			o->listen = optarg;
			break;
		case 'd':
			o->data = optarg;
			break;
		case 'c':
			o->config = optarg;
			break;
		case 'r':
			if (!allow_user)
				goto bad;
			o->role = optarg;
			break;
		case 'n':
			if (!allow_user)
				goto bad;
			o->name = optarg;
			break;
		case 'h':
			o->help = true;
			break;
		case ':':
			return usage_error(cmd, _("l'option %s attend une "
			    "valeur"), argv[optind - 1]);
		default:
			goto bad;
		}
	}
	return 0;
bad:
	return usage_error(cmd, _("option inconnue « %s »"), argv[optind - 1]);
}

static int
load_config(struct opts *o, vg_config *c)
{
	char err[1024], path[1200];
	const char *file = o->config ? o->config : getenv("VIGIE_CONFIG");
	vg_rc rc;

	vg_config_defaults(c);
	if ((rc = vg_config_read_env(c, err, sizeof(err))) != VG_OK)
		goto fail;
	if (o->data != NULL && (rc = vg_config_set(c, "data", o->data, err,
	    sizeof(err))) != VG_OK)
		goto fail;
	if (file == NULL || *file == '\0') {
		snprintf(path, sizeof(path), "%s/vigie.conf", c->data);
		if (access(path, F_OK) == 0)
			file = path;
	}
	if (file != NULL && *file != '\0') {
		if ((rc = vg_config_read_file(c, file, err, sizeof(err))) !=
		    VG_OK)
			goto fail;
		/* The environment and the options still win over the
		 * file. */
		if ((rc = vg_config_read_env(c, err, sizeof(err))) != VG_OK)
			goto fail;
		if (o->data != NULL && (rc = vg_config_set(c, "data", o->data,
		    err, sizeof(err))) != VG_OK)
			goto fail;
	}
	if (o->listen != NULL && (rc = vg_config_set(c, "listen", o->listen,
	    err, sizeof(err))) != VG_OK)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "vigie : %s\n", err);
	return rc == VG_EINVAL ? EXIT_USAGE : 1;
}

static int
cmd_help(const char *name)
{
	const struct command *c = find_command(name);

	printf(_("Utilisation : %s\n\n%s\n"), _(c->usage), _(c->summary));
	return 0;
}

/* Options of a command that takes no argument: -1 once its help is
 * printed, an exit status on a usage error, 0 to go on. */
static int
plain_command(const char *cmd, int argc, char **argv, struct opts *o,
    bool allow_listen)
{
	int ret;

	if ((ret = parse_opts(cmd, argc, argv, o, allow_listen, false)) != 0)
		return ret;
	if (o->help) {
		cmd_help(cmd);
		return -1;
	}
	if (optind < argc)
		return usage_error(cmd, _("argument inattendu « %s »"),
		    argv[optind]);
	return 0;
}

static int
cmd_init(int argc, char **argv)
{
	struct opts o;
	vg_config c;
	char err[1024];
	int ret;

	if ((ret = plain_command("init", argc, argv, &o, false)) != 0)
		return ret < 0 ? 0 : ret;
	if ((ret = load_config(&o, &c)) != 0)
		return ret;
	if (vg_crypto_init() != VG_OK)
		return 1;
	printf(_("Initialisation de %s\n"), c.data);
	if (app_init_data(&c, true, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie init : %s\n", err);
		return 1;
	}
	printf(_("Données prêtes dans %s\n"), c.data);
	return 0;
}

static void
admin_hint(const vg_config *c)
{
	bool yes = false;

	if (accounts_have_admin(&yes) == VG_OK && !yes)
		printf(_("\nAucun administrateur n'existe encore. Pour créer le "
		    "premier :\n  ./build/vigie user add vous@exemple.fr --role "
		    "admin --data %s\n(le mot de passe est demandé, 12 "
		    "caractères au moins)\n\n"), c->data);
}

static int
cmd_serve(int argc, char **argv)
{
	struct opts o;
	vg_app app;
	char err[1024];
	int ret;

	if ((ret = plain_command("serve", argc, argv, &o, true)) != 0)
		return ret < 0 ? 0 : ret;
	memset(&app, 0, sizeof(app));
	if ((ret = load_config(&o, &app.config)) != 0)
		return ret;
	if (vg_crypto_init() != VG_OK ||
	    app_init_data(&app.config, true, err, sizeof(err)) != VG_OK ||
	    app_open_data(&app, err, sizeof(err)) != VG_OK ||
	    app_load_site(&app, err, sizeof(err)) != VG_OK ||
	    app_sync_content(&app, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie serve : %s\n", err);
		app_close(&app);
		return 1;
	}
	admin_hint(&app.config);
	ret = vg_http_serve(&app.site) == VG_OK ? 0 : 1;
	surveys_flush_starts();         /* the starts counted in memory */
	app_close(&app);
	return ret;
}

static int
cmd_check_config(int argc, char **argv)
{
	struct opts o;
	vg_app app;
	char err[1024] = "";
	int ret;

	if ((ret = plain_command("check-config", argc, argv, &o, false)) != 0)
		return ret < 0 ? 0 : ret;
	memset(&app, 0, sizeof(app));
	if ((ret = load_config(&o, &app.config)) != 0)
		return ret == EXIT_USAGE ? 1 : ret;
	if (app_load_site(&app, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie check-config : %s\n", err);
		app_close(&app);
		return 1;
	}
	printf(_("Configuration valide%s%s (écoute %s, données %s, %zu "
	    "routes, %ld parcours d'orientation vérifiés, %zu départements et "
	    "%zu communes).\n"),
	    app.config.config_file[0] ? " : " : "", app.config.config_file,
	    app.config.listen, app.config.data, app.nroutes,
	    app.orientation_paths, vg_dept_count(), vg_commune_count());
	app_close(&app);
	return 0;
}

/* Read a password without echo: from the terminal (asked twice), or one
 * line of standard input when it is not a terminal.  Caller frees. */
static char *
read_password(void)
{
	char *line = NULL, *again = NULL;
	size_t cap = 0, cap2 = 0;
	ssize_t n;
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);

	if (tty) {
		if (tcgetattr(STDIN_FILENO, &old) != 0)
			return NULL;
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fprintf(stderr, _("Mot de passe (12 caractères au moins) : "));
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		fprintf(stderr, _("\nEncore une fois : "));
		if (n > 0 && getline(&again, &cap2, stdin) < 0) {
			free(again);
			again = NULL;
		}
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (n <= 0) {
		free(line);
		free(again);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	if (tty) {
		if (again == NULL)
			again = strdup("");
		if (again != NULL)
			again[strcspn(again, "\r\n")] = '\0';
		if (again == NULL || strcmp(line, again) != 0) {
			fprintf(stderr, _("vigie user add : les deux mots de "
			    "passe diffèrent\n"));
			free(line);
			free(again);
			return NULL;
		}
	}
	free(again);
	return line;
}

static int
user_add(struct opts *o, const char *email)
{
	vg_app app;
	char err[1024];
	const char *why;
	char *password = NULL;
	int role, ret = 1;
	int64_t id;
	vg_rc rc;

	if (o->role == NULL)
		return usage_error("user add", _("%s"),
		    _("l'option --role est obligatoire"));
	role = vg_role_parse(o->role);
	if (role <= VG_ROLE_PUBLIC)
		return usage_error("user add", _("rôle inconnu « %s » "
		    "(professional, analyst, editor ou admin)"), o->role);
	if (accounts_check_email(email, &why) != VG_OK) {
		fprintf(stderr, "vigie user add : %s\n", why);
		return 1;
	}
	memset(&app, 0, sizeof(app));
	if ((ret = load_config(o, &app.config)) != 0)
		return ret;
	ret = 1;
	if (app_open_data(&app, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie user add : %s\n", err);
		goto out;
	}
	if ((password = read_password()) == NULL) {
		fprintf(stderr, _("vigie user add : aucun mot de passe lu\n"));
		goto out;
	}
	if (accounts_check_password(password, &why) != VG_OK) {
		fprintf(stderr, "vigie user add : %s\n", why);
		goto out;
	}
	rc = accounts_user_add(email, password, (vg_role)role, o->name, &id);
	if (rc == VG_ECONFLICT) {
		fprintf(stderr, _("vigie user add : un compte existe déjà pour "
		    "%s\n"), email);
		goto out;
	}
	if (rc != VG_OK) {
		fprintf(stderr, _("vigie user add : le compte n'a pas pu être "
		    "créé\n"));
		goto out;
	}
	printf(_("Compte %s créé (n° %lld, rôle %s).\n"), email,
	    (long long)id, o->role);
	ret = 0;
out:
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	app_close(&app);
	return ret;
}

static int
user_list(struct opts *o)
{
	vg_app app;
	char err[1024];
	json_t *list, *u;
	size_t i;
	int ret;

	memset(&app, 0, sizeof(app));
	if ((ret = load_config(o, &app.config)) != 0)
		return ret;
	if (app_open_data(&app, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie user list : %s\n", err);
		app_close(&app);
		return 1;
	}
	if (accounts_user_list(&list) != VG_OK) {
		app_close(&app);
		return 1;
	}
	printf("%-5s %-32s %-13s %s\n", _("n°"), _("adresse"), _("rôle"),
	    _("état"));
	json_array_foreach(list, i, u)
		printf("%-5lld %-32s %-13s %s\n",
		    (long long)json_integer_value(json_object_get(u, "id")),
		    json_string_value(json_object_get(u, "email")),
		    json_string_value(json_object_get(u, "role")),
		    json_string_value(json_object_get(u, "status")));
	json_decref(list);
	app_close(&app);
	return 0;
}

static int
cmd_user(int argc, char **argv)
{
	struct opts o;
	const char *sub = argc > 1 ? argv[1] : NULL;
	int ret;

	if (sub == NULL || !strcmp(sub, "--help") || !strcmp(sub, "-h"))
		return sub ? cmd_help("user") : usage_error("user",
		    _("%s"), _("précisez « add » ou « list »"));
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0)
		return usage_error("user", _("sous-commande inconnue « %s »"),
		    sub);
	if ((ret = parse_opts("user", argc - 1, argv + 1, &o, false,
	    !strcmp(sub, "add"))) != 0)
		return ret;
	if (o.help)
		return cmd_help("user");
	if (!strcmp(sub, "list")) {
		if (optind < argc - 1)
			return usage_error("user list",
			    _("argument inattendu « %s »"), argv[optind + 1]);
		return user_list(&o);
	}
	/* getopt permutes: the address may stand before or after the
	 * options. */
	if (optind >= argc - 1)
		return usage_error("user add", _("%s"),
		    _("l'adresse e-mail manque"));
	if (optind < argc - 2)
		return usage_error("user add", _("argument inattendu « %s »"),
		    argv[optind + 2]);
	return user_add(&o, argv[optind + 1]);
}

static int
cmd_purge(int argc, char **argv)
{
	struct opts o;
	vg_app app;
	char err[1024];
	int64_t n = 0, cases = 0, shares = 0;
	int ret, days, case_days;
	vg_rc rc;

	if ((ret = plain_command("purge", argc, argv, &o, false)) != 0)
		return ret < 0 ? 0 : ret;
	memset(&app, 0, sizeof(app));
	if ((ret = load_config(&o, &app.config)) != 0)
		return ret;
	if (app_open_data(&app, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie purge : %s\n", err);
		app_close(&app);
		return 1;
	}
	days = app.config.retention_days;
	case_days = app.config.workgroup_retention_days;
	rc = reports_purge(days, &n);
	if (rc == VG_OK)
		rc = workgroup_purge(&app.config, &cases);
	if (rc == VG_OK)
		rc = vault_purge(&app.config, &shares);
	app_close(&app);
	if (rc != VG_OK) {
		fprintf(stderr, _("vigie purge : la purge a échoué ; rien n'a été "
		    "effacé à moitié\n"));
		return 1;
	}
	printf(_("Données personnelles effacées de %lld signalement(s) "
	    "(délai : %d jours).\n"), (long long)n, days);
	printf(_("Cas clos du groupe de travail effacés : %lld (délai : %d "
	    "jours).\n"), (long long)cases, case_days);
	printf(_("Partages de coffre expirés : %lld.\n"), (long long)shares);
	return 0;
}

static int
cmd_audit(int argc, char **argv)
{
	struct opts o;
	vg_app app;
	char err[1024];
	int64_t count, bad;
	int ret;
	vg_rc rc;

	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") ||
		    !strcmp(argv[1], "-h")))
			return cmd_help("audit");
		return usage_error("audit", _("%s"),
		    _("précisez « verify »"));
	}
	if ((ret = plain_command("audit", argc - 1, argv + 1, &o, false)) != 0)
		return ret < 0 ? 0 : ret;
	memset(&app, 0, sizeof(app));
	if ((ret = load_config(&o, &app.config)) != 0)
		return ret;
	if (app_open_data(&app, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie audit verify : %s\n", err);
		app_close(&app);
		return 1;
	}
	rc = reports_audit_verify(&count, &bad);
	app_close(&app);
	if (rc == VG_EINVAL) {
		fprintf(stderr, _("vigie audit verify : le journal est rompu à "
		    "l'entrée n° %lld (modifiée, supprimée ou insérée)\n"),
		    (long long)bad);
		return 1;
	}
	if (rc != VG_OK) {
		fprintf(stderr, _("vigie audit verify : lecture du journal "
		    "impossible\n"));
		return 1;
	}
	printf(_("Journal d'audit intact : %lld entrées vérifiées.\n"),
	    (long long)count);
	return 0;
}

/* `vigie formations rappels`: the reminders the server's daily job sends,
 * sent now (for a cron job, or after a change of date). */
static int
cmd_formations(int argc, char **argv)
{
	struct opts o;
	vg_app app;
	char err[1024];
	int ret, sent = 0;
	vg_rc rc;

	if (argc < 2 || strcmp(argv[1], "rappels") != 0) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") ||
		    !strcmp(argv[1], "-h")))
			return cmd_help("formations");
		return usage_error("formations", _("%s"),
		    _("précisez « rappels »"));
	}
	if ((ret = plain_command("formations", argc - 1, argv + 1, &o,
	    false)) != 0)
		return ret < 0 ? 0 : ret;
	memset(&app, 0, sizeof(app));
	if ((ret = load_config(&o, &app.config)) != 0)
		return ret;
	if (app_open_data(&app, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie formations rappels : %s\n", err);
		app_close(&app);
		return 1;
	}
	if (app.config.smtp_url[0] == '\0' ||
	    app.config.notifier_email[0] == '\0')
		fprintf(stderr, _("vigie formations rappels : l'envoi d'e-mails "
		    "n'est pas configuré (smtp_url et notifier_email) ; aucun "
		    "rappel n'est envoyé\n"));
	rc = trainings_send_reminders(&app.config, &sent);
	app_close(&app);
	printf(_("Rappels de formation envoyés : %d.\n"), sent);
	if (rc != VG_OK) {
		fprintf(stderr, _("vigie formations rappels : des rappels n'ont "
		    "pas pu être envoyés ; ils le seront au prochain passage\n"));
		return 1;
	}
	return 0;
}

/* Open the data of the options for a command that works on it. */
static int
open_app(const char *cmd, struct opts *o, vg_app *app, bool territories)
{
	char err[1024];
	int ret;

	memset(app, 0, sizeof(*app));
	if ((ret = load_config(o, &app->config)) != 0)
		return ret;
	if (app_open_data(app, err, sizeof(err)) != VG_OK || (territories &&
	    vg_territory_load(app->config.share, err, sizeof(err)) !=
	    VG_OK)) {
		fprintf(stderr, "vigie %s : %s\n", cmd, err);
		app_close(app);
		return 1;
	}
	return 0;
}

/*
 * The commands of an area with its own options (watch, newsletter,
 * report): main reads the common ones (--data, --config, --help), opens
 * the data, and hands the others to the area, argv[0] being the command.
 */
typedef int (*area_cli)(const vg_config *, const vg_keys *, int, char **);

static int
area_command(const char *cmd, int argc, char **argv, area_cli fn,
    bool territories)
{
	struct opts o;
	vg_app app;
	char **rest;
	int i, n = 0, ret;

	memset(&o, 0, sizeof(o));
	if ((rest = calloc((size_t)argc + 1, sizeof(*rest))) == NULL)
		return 1;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;

		if (i > 0 && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			free(rest);
			cmd_help(cmd);
			return 0;
		}
		if (i > 0 && !strcmp(a, "--data"))
			dst = &o.data;
		else if (i > 0 && !strcmp(a, "--config"))
			dst = &o.config;
		if (dst != NULL) {
			if (i + 1 >= argc) {
				free(rest);
				return usage_error(cmd, _("l'option %s attend "
				    "une valeur"), a);
			}
			*dst = argv[++i];
			continue;
		}
		if (i > 0 && !strncmp(a, "--data=", 7))
			o.data = a + 7;
		else if (i > 0 && !strncmp(a, "--config=", 9))
			o.config = a + 9;
		else
			rest[n++] = argv[i];
	}
	if ((ret = open_app(cmd, &o, &app, territories)) != 0) {
		free(rest);
		return ret;
	}
	ret = fn(&app.config, &app.keys, n, rest);
	app_close(&app);
	free(rest);
	return ret;
}

static int
cmd_watch(int argc, char **argv)
{
	return area_command("watch", argc, argv, watch_cli, false);
}

static int
cmd_newsletter(int argc, char **argv)
{
	return area_command("newsletter", argc, argv, newsletter_cli, false);
}

static int
cmd_report(int argc, char **argv)
{
	return area_command("report", argc, argv, annual_cli, true);
}

/* Offline: no data folder, no database, only the bundle. */
static int
cmd_verify(int argc, char **argv)
{
	return vault_verify_cli(argc, argv);
}

/*
 * `vigie survey import FILE`: the form's identifier on standard output
 * (for scripts); `vigie survey export WAVE`: the answers, one response at
 * a time, to standard output or --out.
 */
static int
cmd_survey(int argc, char **argv)
{
	static const struct option longs[] = {
		{"data", required_argument, NULL, 'd'},
		{"config", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{"out", required_argument, NULL, 'o'},
		{"labels", no_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "csv", *out = NULL, *sub;
	struct opts o;
	vg_app app;
	char err[1024], *form_id = NULL;
	bool labels = false;
	int ch, ret;
	vg_rc rc;

	memset(&o, 0, sizeof(o));
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		switch (ch) {
		case 'd': o.data = optarg; break;
		case 'c': o.config = optarg; break;
		case 'f': format = optarg; break;
		case 'o': out = optarg; break;
		case 'L': labels = true; break;
		case 'h': return cmd_help("survey");
		case ':':
			return usage_error("survey", _("l'option %s attend une "
			    "valeur"), argv[optind - 1]);
		default:
			return usage_error("survey", _("option inconnue « %s »"),
			    argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return usage_error("survey", "%s", _("précisez « import "
		    "FICHIER » ou « export VAGUE »"));
	sub = argv[optind];
	if (strcmp(sub, "import") != 0 && strcmp(sub, "export") != 0)
		return usage_error("survey", _("sous-commande inconnue « %s »"),
		    sub);
	/* Only labelled exports name départements. */
	if ((ret = open_app("survey", &o, &app, labels)) != 0)
		return ret;
	if (!strcmp(sub, "import")) {
		rc = surveys_import_file(argv[optind + 1], 0, &form_id, err,
		    sizeof(err));
		if (rc == VG_OK)
			printf("%s\n", form_id);
		else
			fprintf(stderr, "vigie survey import : %s\n", rc ==
			    VG_EINVAL || rc == VG_ECONFLICT ? err :
			    _("la base de données a refusé l'import"));
		free(form_id);
	} else {
		char *end;
		long long wave = strtoll(argv[optind + 1], &end, 10);
		FILE *f = stdout;
		int64_t count = 0;

		rc = VG_EINVAL;
		snprintf(err, sizeof(err), _("« %s » n'est pas un numéro de "
		    "vague"), argv[optind + 1]);
		if (*end == '\0' && wave > 0) {
			if (out != NULL && (f = fopen(out, "w")) == NULL) {
				snprintf(err, sizeof(err), _("%s : impossible "
				    "d'écrire le fichier"), out);
			} else {
				rc = surveys_export(wave, &app.keys, format,
				    labels, f, &count, err, sizeof(err));
				if (out != NULL && fclose(f) != 0 && rc == VG_OK)
					rc = VG_EIO;
			}
		}
		if (rc != VG_OK)
			fprintf(stderr, "vigie survey export : %s\n", err);
		else if (out != NULL)
			fprintf(stderr, _("%lld réponses exportées dans %s\n"),
			    (long long)count, out);
	}
	app_close(&app);
	return rc == VG_OK ? 0 : rc == VG_EINVAL || rc == VG_ECONFLICT ||
	    rc == VG_ENOTFOUND ? EXIT_USAGE : 1;
}

/* `vigie wave weight WAVE --by VARS [--margins FILE]`: rake the wave's
 * answers, store the weights, print their summary. */
static int
wave_weight(struct opts *o, const char *wave_s, const char *by,
    const char *margins)
{
	vg_app app;
	json_t *summary = NULL;
	char err[1024], *data = NULL, *end;
	long long wave = strtoll(wave_s, &end, 10);
	size_t len = 0;
	int ret;
	vg_rc rc;

	if (*end != '\0' || wave <= 0)
		return usage_error("wave", _("« %s » n'est pas un numéro de "
		    "vague"), wave_s);
	if (by == NULL)
		return usage_error("wave", "%s", _("--by VARIABLES est "
		    "obligatoire, par exemple --by dep,sexe"));
	if (margins != NULL) {
		FILE *f = fopen(margins, "rb");

		if (f == NULL)
			return usage_error("wave", _("%s : fichier illisible"),
			    margins);
		data = malloc(1024 * 1024 + 1);
		len = data ? fread(data, 1, 1024 * 1024, f) : 0;
		fclose(f);
		if (data == NULL)
			return 1;
		data[len] = '\0';
	}
	if ((ret = open_app("wave", o, &app, true)) != 0) {
		free(data);
		return ret;
	}
	rc = barometer_weigh(&app.keys, wave, by, data, len, &summary, err,
	    sizeof(err));
	free(data);
	app_close(&app);
	if (rc != VG_OK) {
		fprintf(stderr, "vigie wave weight : %s\n", rc == VG_EDB ?
		    _("la base de données a refusé les poids") : err);
		return rc == VG_EINVAL || rc == VG_ENOTFOUND ||
		    rc == VG_ECONFLICT ? EXIT_USAGE : 1;
	}
	printf(_("%lld réponses pondérées (calage sur %s, %d itérations) : "
	    "poids de %.3f à %.3f, effet de plan %.3f\n"),
	    (long long)json_integer_value(json_object_get(summary, "n")),
	    json_string_value(json_object_get(summary, "variables")),
	    (int)json_integer_value(json_object_get(summary, "iterations")),
	    json_real_value(json_object_get(summary, "min")),
	    json_real_value(json_object_get(summary, "max")),
	    json_real_value(json_object_get(summary, "deff")));
	json_decref(summary);
	return 0;
}

/* `vigie wave open FORM_ID --name NAME [--until DATE]`: the wave's number
 * on standard output. */
static int
cmd_wave(int argc, char **argv)
{
	static const struct option longs[] = {
		{"data", required_argument, NULL, 'd'},
		{"config", required_argument, NULL, 'c'},
		{"name", required_argument, NULL, 'n'},
		{"until", required_argument, NULL, 'u'},
		{"panel", no_argument, NULL, 'p'},
		{"identified", no_argument, NULL, 'i'},
		{"linkage", no_argument, NULL, 'k'},
		{"by", required_argument, NULL, 'b'},
		{"margins", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wave_options w;
	struct opts o;
	vg_app app;
	char err[1024];
	const char *until = NULL, *by = NULL, *margins = NULL;
	int64_t id, t;
	int ch, ret;
	vg_rc rc;

	memset(&o, 0, sizeof(o));
	memset(&w, 0, sizeof(w));
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		switch (ch) {
		case 'd': o.data = optarg; break;
		case 'c': o.config = optarg; break;
		case 'n': w.name = optarg; break;
		case 'u': until = optarg; break;
		case 'p': w.panel = true; break;
		case 'i': w.identified = true; break;
		case 'k': w.linkage = true; break;
		case 'b': by = optarg; break;
		case 'm': margins = optarg; break;
		case 'h': return cmd_help("wave");
		case ':':
			return usage_error("wave", _("l'option %s attend une "
			    "valeur"), argv[optind - 1]);
		default:
			return usage_error("wave", _("option inconnue « %s »"),
			    argv[optind - 1]);
		}
	}
	if (argc - optind == 2 && !strcmp(argv[optind], "weight"))
		return wave_weight(&o, argv[optind + 1], by, margins);
	if (argc - optind != 2 || strcmp(argv[optind], "open") != 0)
		return usage_error("wave", "%s", _("précisez « open FORM_ID "
		    "--name NOM » ou « weight VAGUE --by dep »"));
	if (w.name == NULL)
		return usage_error("wave", "%s", _("--name NOM est obligatoire"));
	if (until != NULL) {
		if (!vg_date_parse(until, &t))
			return usage_error("wave", _("date invalide « %s » "
			    "(AAAA-MM-JJ)"), until);
		w.closes_at = t + 86400;        /* that day included */
	}
	if ((ret = open_app("wave", &o, &app, false)) != 0)
		return ret;
	rc = surveys_wave_open(argv[optind + 1], &w, &id, err, sizeof(err));
	app_close(&app);
	if (rc != VG_OK) {
		fprintf(stderr, "vigie wave open : %s\n", rc == VG_EDB ?
		    _("la base de données a refusé la vague") : err);
		return rc == VG_EDB ? 1 : EXIT_USAGE;
	}
	printf("%lld\n", (long long)id);
	return 0;
}

/*
 * vigie scan: every input is read, even after one fails; the report
 * covers what could be read.  Exit 1 when something was found (it matters
 * more than an unreadable file), else 2 when an input failed, else 0.
 */
static int
cmd_scan(int argc, char **argv)
{
	static const struct option longs[] = {
		{"iocs", required_argument, NULL, 'i'},
		{"json", no_argument, NULL, 'j'},
		{"html", required_argument, NULL, 'H'},
		{"names", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *dir = NULL, *html = NULL;
	bool json = false, names = false;
	struct opts o;
	vg_config c;
	vg_iocs *iocs = NULL;
	vg_scan *s = NULL;
	json_t *result = NULL, *view = NULL, *contacts = NULL;
	char err[1200];
	int ch, i, ret;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		switch (ch) {
		case 'i':
			dir = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'H':
			html = optarg;
			break;
		case 'n':
			names = true;
			break;
		case 'h':
			return cmd_help("scan");
		case ':':
			return usage_error("scan", _("l'option %s attend une "
			    "valeur"), argv[optind - 1]);
		default:
			return usage_error("scan", _("option inconnue « %s »"),
			    argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("scan", "%s", _("indiquez au moins un "
		    "fichier à examiner"));
	memset(&o, 0, sizeof(o));
	vg_config_defaults(&c);
	(void)vg_config_read_env(&c, err, sizeof(err));
	if (dir == NULL) {
		if ((ret = load_config(&o, &c)) != 0)
			return 2;
		dir = c.iocs;
	}
	if (*dir == '\0') {
		fprintf(stderr, "vigie scan : %s\n", _("indiquez le dossier des "
		    "indicateurs (stalkerware-indicators d'Echap) avec --iocs "
		    "DOSSIER, ou la clé « iocs » de la configuration"));
		return 2;
	}
	if (vg_crypto_init() != VG_OK)
		return 2;
	if (vg_iocs_load(dir, &iocs, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie scan : %s\n", err);
		return 2;
	}
	ret = 2;
	if ((s = vg_scan_new(iocs, names ? VG_SCAN_NAMES : 0)) == NULL)
		goto done;
	if (isatty(STDERR_FILENO))
		vg_scan_progress(s, stderr);
	for (i = optind; i < argc; i++)
		if (vg_scan_file(s, argv[i], argv[i], err, sizeof(err)) !=
		    VG_OK)
			fprintf(stderr, "vigie scan : %s\n", err);
	if ((result = vg_scan_result(s)) == NULL)
		goto done;
	if (names) {
		json_t *list = vg_scan_names(s), *v;
		size_t k;

		json_array_foreach(list, k, v)
			printf("%s\n", json_string_value(v));
		json_decref(list);
		ret = json_integer_value(json_object_get(result, "errors")) ?
		    2 : 0;
		goto done;
	}
	contacts = vg_scan_contacts(c.share);
	if ((view = vg_scan_view(result, contacts)) == NULL)
		goto done;
	if (json)
		json_dumpf(result, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	else
		vg_scan_text(view, stdout);
	if (json)
		fputc('\n', stdout);
	if (html != NULL) {
		vg_tmpl_set *set = vg_tmpl_set_new();
		vg_buf b = VG_BUF_INIT;
		char path[1100];
		FILE *f;

		snprintf(path, sizeof(path), "%s/templates", c.share);
		if (set == NULL || vg_tmpl_set_load(set, path, err,
		    sizeof(err)) != VG_OK || vg_scan_html(set, view, &b) !=
		    VG_OK || (f = fopen(html, "w")) == NULL) {
			fprintf(stderr, _("vigie scan : impossible d'écrire le "
			    "rapport %s\n"), html);
			vg_tmpl_set_free(set);
			vg_buf_free(&b);
			if (json_is_true(json_object_get(result, "found")))
				ret = 1;
			goto done;
		}
		fwrite(b.data, 1, b.len, f);
		if (fclose(f) != 0) {
			fprintf(stderr, _("vigie scan : impossible d'écrire le "
			    "rapport %s\n"), html);
			vg_tmpl_set_free(set);
			vg_buf_free(&b);
			/* Still, a finding matters more than the file. */
			if (json_is_true(json_object_get(result, "found")))
				ret = 1;
			goto done;
		}
		vg_tmpl_set_free(set);
		vg_buf_free(&b);
	}
	if (json_is_true(json_object_get(result, "found")))
		ret = 1;
	else
		ret = json_integer_value(json_object_get(result, "errors")) ?
		    2 : 0;
done:
	fflush(stdout);
	json_decref(view);
	json_decref(contacts);
	json_decref(result);
	vg_scan_free(s);
	vg_iocs_free(iocs);
	return ret;
}

static int
cmd_iocs(int argc, char **argv)
{
	json_t *report = NULL, *p, *info;
	char err[1200];
	size_t i;
	vg_rc rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1],
	    "-h")))
		return cmd_help("iocs");
	if (argc != 3 || strcmp(argv[1], "check") != 0)
		return usage_error("iocs", "%s", _("précisez « check DOSSIER »"));
	if (vg_crypto_init() != VG_OK)
		return 2;
	rc = vg_iocs_check(argv[2], &report, err, sizeof(err));
	if (rc != VG_OK && rc != VG_EINVAL) {
		fprintf(stderr, "vigie iocs : %s\n", err);
		json_decref(report);
		return 2;
	}
	json_array_foreach(json_object_get(report, "problems"), i, p)
		printf("%s%s:%lld: %s\n", json_is_true(json_object_get(p,
		    "warning")) ? _("avertissement : ") : "",
		    json_string_value(json_object_get(p, "file")),
		    (long long)json_integer_value(json_object_get(p, "line")),
		    json_string_value(json_object_get(p, "message")));
	info = json_object_get(report, "info");
	if (rc == VG_OK)
		printf(_("Dossier valide, version %s : %lld applications (%lld "
		    "espions, %lld de surveillance visibles), %lld domaines, "
		    "%lld adresses IP, %lld paquets, %lld certificats, %lld "
		    "empreintes d'APK.\n"),
		    json_string_value(json_object_get(info, "version")),
		    (long long)json_integer_value(json_object_get(info, "apps")),
		    (long long)json_integer_value(json_object_get(info,
		    "stalkerware")),
		    (long long)json_integer_value(json_object_get(info,
		    "watchware")),
		    (long long)json_integer_value(json_object_get(info,
		    "domains")),
		    (long long)json_integer_value(json_object_get(info, "ips")),
		    (long long)json_integer_value(json_object_get(info,
		    "packages")),
		    (long long)json_integer_value(json_object_get(info,
		    "certificates")),
		    (long long)json_integer_value(json_object_get(info,
		    "samples")));
	else
		printf(_("Ce dossier a des problèmes : corrigez-les avant de "
		    "l'utiliser.\n"));
	json_decref(report);
	return rc == VG_OK ? 0 : 1;
}

int
main(int argc, char **argv)
{
	const struct command *c;

	vg_i18n_init();
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		print_help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("vigie %s\n", VIGIE_VERSION);
		return 0;
	}
	if ((c = find_command(argv[1])) == NULL)
		return usage_error(NULL, _("commande inconnue « %s »"),
		    argv[1]);
	return c->run(argc - 1, argv + 1);
}
