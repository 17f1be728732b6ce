/*
 * newsletter.c — the newsletter's two drivers of sending: the server's
 * tick (a few mails every few seconds, within newsletter_rate) and
 * `vigie newsletter send` (until the issue is done, paced with sleeps,
 * stopped cleanly by Ctrl-C).  Both go through nl_send_some(), so both
 * obey the lease and the at-most-once rule.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/log.h"
#include "newsletter/newsletter_int.h"

#define SERVER_PAUSE 60          /* seconds after the SMTP server failed */
#define PURGE_EVERY 3600

static bool
mail_configured(const vg_config *c)
{
	return c->smtp_url[0] != '\0' && c->notifier_email[0] != '\0';
}

/* --- the server's tick ------------------------------------------------------ */

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
newsletter_tick(const vg_site *s)
{
	/* Only the tick thread comes here. */
	static struct nl_sender snd;
	static bool ready;
	static double credit, last, pause_until, purged;
	const vg_config *c = s->config;
	double t = mono(), cap = c->newsletter_rate * 5.0 / 60.0;
	bool done, busy;
	int64_t wait;
	int n, tried;

	if (!ready) {
		nl_sender_init(&snd, c, s->keys, s->templates,
		    vg_server_stopping);
		credit = 1;
		last = t;
		purged = t - PURGE_EVERY;
		ready = true;
	}
	if (t - purged >= PURGE_EVERY) {
		purged = t;
		if (nl_purge_pending((int64_t)time(NULL), &n) == VG_OK && n > 0)
			vg_info("newsletter: %d unconfirmed requests erased", n);
	}
	/* What the rate allows since the last call, at most one tick's
	 * worth (and at least one mail, for slow rates). */
	credit += (t - last) * c->newsletter_rate / 60.0;
	last = t;
	if (credit > (cap > 1 ? cap : 1))
		credit = cap > 1 ? cap : 1;
	if (!mail_configured(c) || t < pause_until || credit < 1)
		return;
	snd.sent = snd.bounced = snd.failed = snd.retried = 0;
	if (nl_send_some(&snd, (int)credit, &done, &busy, &wait) != VG_OK)
		vg_error("newsletter: sending failed (database)");
	tried = snd.sent + snd.bounced + snd.failed + snd.retried;
	credit -= tried;
	if (snd.server_error) {
		vg_error("newsletter: the SMTP server failed: %s; trying again "
		    "in %d s", snd.last_error, SERVER_PAUSE);
		pause_until = t + SERVER_PAUSE;
	}
}

/* --- the command line --------------------------------------------------------- */

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	VG_UNUSED(sig);
	interrupted = 1;
}

static bool
cli_stopping(void)
{
	return interrupted != 0;
}

/* Sleep for seconds, waking early when interrupted. */
static void
nap(double seconds)
{
	struct timespec ts;

	if (seconds <= 0 || interrupted)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static int
cli_send(const vg_config *c, const vg_keys *k)
{
	struct sigaction sa, old_int, old_term;
	struct nl_sender snd;
	vg_tmpl_set *t = NULL;
	char path[1100], err[512];
	bool done = false, busy, told_busy = false, any = false;
	double gap = 60.0 / c->newsletter_rate;
	int sent = 0, bounced = 0, failed = 0, ret = 0;
	int64_t wait;

	if (!mail_configured(c)) {
		fprintf(stderr, "vigie newsletter : %s\n", _("l'envoi d'e-mails "
		    "n'est pas configuré (smtp_url et notifier_email)"));
		return 2;
	}
	snprintf(path, sizeof(path), "%s/templates", c->share);
	if ((t = vg_tmpl_set_new()) == NULL ||
	    vg_tmpl_set_load(t, path, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigie newsletter : %s\n", t ? err :
		    _("mémoire insuffisante"));
		vg_tmpl_set_free(t);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	nl_sender_init(&snd, c, k, t, cli_stopping);
	while (!interrupted) {
		if (nl_send_some(&snd, 1, &done, &busy, &wait) != VG_OK) {
			fprintf(stderr, "vigie newsletter : %s\n", _("erreur de "
			    "la base de données pendant l'envoi"));
			ret = 2;
			break;
		}
		sent += snd.sent;
		bounced += snd.bounced;
		failed += snd.failed;
		snd.sent = snd.bounced = snd.failed = snd.retried = 0;
		if (done)
			break;
		any = true;
		if (snd.server_error) {
			fprintf(stderr, _("vigie newsletter : le serveur SMTP "
			    "refuse ou ne répond pas (%s) ; rien n'est perdu, "
			    "relancez la commande une fois le problème "
			    "réglé\n"), snd.last_error);
			ret = 1;
			break;
		}
		if (busy) {
			if (!told_busy)
				printf("%s\n", _("Un autre processus (le serveur "
				    "?) envoie cette lettre ; en attente…"));
			told_busy = true;
			nap(1);
			continue;
		}
		nap(wait > 0 ? (double)(wait < 60 ? wait : 60) : gap);
	}
	if (interrupted) {
		fprintf(stderr, "vigie newsletter : %s\n", _("envoi interrompu ; "
		    "relancez la commande pour reprendre (aucun message ne "
		    "partira deux fois)"));
		ret = 1;
	} else if (done && !any && sent == 0) {
		printf("%s\n", _("Aucune lettre en cours d'envoi."));
	} else if (done) {
		printf(_("Envoi terminé : %d envoyés, %d refusés, %d en "
		    "échec.\n"), sent, bounced, failed);
		if (failed > 0 || bounced > 0)
			ret = 1;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	vg_tmpl_set_free(t);
	return ret;
}

static int
cli_status(const vg_keys *k)
{
	json_t *list = NULL, *is, *subs = NULL;
	size_t i;

	if (nl_issue_list(false, 0, &list) != VG_OK ||
	    nl_subscriber_counts(&subs) != VG_OK) {
		json_decref(list);
		fprintf(stderr, "vigie newsletter : %s\n", _("erreur de la base "
		    "de données"));
		return 2;
	}
	printf(_("Abonné·es : %lld confirmé·es, %lld en attente de "
	    "confirmation, %lld en erreur.\n"),
	    (long long)json_integer_value(json_object_get(subs, "confirmed")),
	    (long long)json_integer_value(json_object_get(subs, "pending")),
	    (long long)json_integer_value(json_object_get(subs, "bounced")));
	json_array_foreach(list, i, is) {
		json_t *d = NULL, *counts = NULL;
		int64_t id = json_integer_value(json_object_get(is, "id"));

		printf("%lld\t%s\t%s — %s", (long long)id, json_string_value(
		    json_object_get(is, "status_label")), json_string_value(
		    json_object_get(is, "title")), json_string_value(
		    json_object_get(is, "period")));
		if (!json_is_true(json_object_get(is, "is_draft")) &&
		    nl_deliveries(k, id, &d, &counts) == VG_OK)
			printf(_(" : %lld envoyés, %lld en attente, %lld refusés, "
			    "%lld en échec, %lld incertains"),
			    (long long)json_integer_value(json_object_get(counts,
			    "sent")), (long long)json_integer_value(
			    json_object_get(counts, "pending")),
			    (long long)json_integer_value(json_object_get(counts,
			    "bounced")), (long long)json_integer_value(
			    json_object_get(counts, "failed")),
			    (long long)json_integer_value(json_object_get(counts,
			    "uncertain")));
		printf("\n");
		json_decref(d);
		json_decref(counts);
	}
	json_decref(list);
	json_decref(subs);
	return 0;
}

int
newsletter_cli(const vg_config *c, const vg_keys *k, int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "send"))
		return cli_send(c, k);
	if (argc == 2 && !strcmp(argv[1], "status"))
		return cli_status(k);
	fprintf(stderr, "vigie newsletter : %s\n", argc < 2 ?
	    _("indiquez send (envoyer la lettre en cours) ou status (l'état "
	    "des lettres)") : _("commande inconnue : send ou status"));
	return 2;
}
