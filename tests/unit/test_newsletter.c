/*
 * test_newsletter.c — the pieces of the newsletter below HTTP: the mail
 * as it goes on the wire (quoted-printable, encoded and folded subject,
 * headers refused when they would break the message), addresses and
 * their masks, subscribing and confirming over a real SQLite file, the
 * snapshot of an issue's deliveries, and the sender's lease (a live
 * holder makes others wait; taking over a dead one's lease turns its
 * rows "sending" into "uncertain", never sent again).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mail.h"
#include "db/db.h"
#include "newsletter/newsletter_int.h"

#define NOW INT64_C(1790000000)

static char tmpdir[256];
static vg_keys keys;
static vg_tmpl_set *templates;

static int
setup(void **state)
{
	char p[512];

	(void)state;
	vg_log_set_level(VG_LOG_ERROR);
	if (vg_crypto_init() != VG_OK)
		return -1;
	randombytes_buf(&keys, sizeof(keys));
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-newsletter-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/vigie.db", tmpdir);
	vg_db_set_thread_path(p);
	if (vg_db_thread() == NULL ||
	    vg_db_migrate(vg_db_thread(), VIGIE_SRCDIR "/sql") != VG_OK)
		return -1;
	if ((templates = vg_tmpl_set_new()) == NULL ||
	    vg_tmpl_set_load(templates, VIGIE_SRCDIR "/templates", p,
	    sizeof(p)) != VG_OK) {
		print_error("%s\n", p);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	vg_tmpl_set_free(templates);
	vg_db_thread_close();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t
count(const char *sql)
{
	vg_stmt *st;
	int64_t n = -1;
	bool row;

	assert_int_equal(vg_db_prepare(vg_db_thread(), sql, &st), VG_OK);
	if (vg_stmt_step(st, &row) == VG_OK && row)
		n = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return n;
}

static void
exec(const char *sql)
{
	assert_int_equal(vg_db_exec_script(vg_db_thread(), sql), VG_OK);
}

/* --- the mail on the wire ------------------------------------------------------ */

static void
test_mail_format(void **state)
{
	const char *headers[] = {"List-Unsubscribe: <https://x.fr/u/t>",
	    NULL};
	vg_buf b = VG_BUF_INIT;
	vg_mail m;
	char *long_text;
	const char *p;
	size_t longest = 0, run = 0;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.from = "lettre@obs.fr";
	m.from_name = "Observatoire « départemental »";
	m.to = "a@exemple.fr";
	m.subject = "Lettre d'automne — une très longue ligne d'objet qui "
	    "dépasse largement la longueur d'un mot encodé";
	long_text = malloc(3001);
	assert_non_null(long_text);
	memset(long_text, 'e', 3000);
	long_text[3000] = '\0';
	m.text = long_text;
	m.html = "<p>Très = bien</p>";
	m.headers = headers;
	assert_int_equal(vg_mail_format(&m, &b), VG_OK);
	/* Every line is short, and ends in CRLF. */
	for (p = b.data; *p != '\0'; p++) {
		if (*p == '\n') {
			assert_true(p > b.data && p[-1] == '\r');
			longest = run > longest ? run : longest;
			run = 0;
		} else {
			run++;
		}
	}
	if (longest > 78)
		print_error("longest line: %zu\n%s\n", longest, b.data);
	assert_true(longest <= 78);
	assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(b.data, "?=\r\n =?UTF-8?B?"));
	assert_non_null(strstr(b.data, "From: =?UTF-8?B?"));
	assert_non_null(strstr(b.data, "<lettre@obs.fr>\r\n"));
	assert_non_null(strstr(b.data, "List-Unsubscribe: <https://x.fr/u/t>"
	    "\r\n"));
	assert_non_null(strstr(b.data, "multipart/alternative"));
	assert_non_null(strstr(b.data, "Content-Type: text/plain"));
	assert_non_null(strstr(b.data, "Content-Type: text/html"));
	/* Quoted-printable: "é" and "=" encoded. */
	assert_non_null(strstr(b.data, "Tr=C3=A8s =3D bien"));
	assert_non_null(strstr(b.data, "Message-ID: <"));
	vg_buf_free(&b);

	/* A text-only mail stays readable (8 bits). */
	m.html = NULL;
	m.text = "Très bien\n";
	assert_int_equal(vg_mail_format(&m, &b), VG_OK);
	assert_non_null(strstr(b.data, "8bit"));
	assert_non_null(strstr(b.data, "\r\n\r\nTrès bien\r\n"));
	vg_buf_free(&b);

	/* Headers that would break the message are refused. */
	headers[0] = "X-Injected: a\r\nBcc: b@c.fr";
	m.headers = headers;
	assert_int_equal(vg_mail_format(&m, &b), VG_EINVAL);
	vg_buf_free(&b);
	m.headers = NULL;
	m.to = "a@exemple.fr>\r\nBcc: <b@c.fr";
	assert_int_equal(vg_mail_format(&m, &b), VG_EINVAL);
	vg_buf_free(&b);
	free(long_text);
}

static void
test_addresses(void **state)
{
	char out[64];

	(void)state;
	assert_true(nl_email_ok("prenom.nom@exemple.fr"));
	assert_true(nl_email_ok("a+b@sous.domaine.fr"));
	assert_false(nl_email_ok("a@b"));
	assert_false(nl_email_ok("a@b."));
	assert_false(nl_email_ok("@exemple.fr"));
	assert_false(nl_email_ok("a b@exemple.fr"));
	assert_false(nl_email_ok("a@b@exemple.fr"));
	assert_false(nl_email_ok("<a@exemple.fr>"));
	assert_false(nl_email_ok(""));
	nl_mask("marie@exemple.fr", out, sizeof(out));
	assert_string_equal(out, "ma…@exemple.fr");
	nl_mask("jo@exemple.fr", out, sizeof(out));
	assert_string_equal(out, "j…@exemple.fr");
}

/* --- subscribing ----------------------------------------------------------------- */

static void
test_subscribe_confirm(void **state)
{
	struct nl_subscription s1, s2, s3;
	bool expired;

	(void)state;
	assert_int_equal(nl_subscribe(&keys, "Lea@Exemple.fr", NULL, NOW, &s1),
	    VG_OK);
	assert_int_equal(s1.outcome, NL_SUB_NEW);
	assert_int_equal(strlen(s1.confirm), VG_TOKEN_CHARS);
	/* Again while pending: a new link, the old one dead. */
	assert_int_equal(nl_subscribe(&keys, "lea@exemple.fr", "Léa", NOW,
	    &s2), VG_OK);
	assert_int_equal(s2.outcome, NL_SUB_PENDING);
	assert_string_equal(s1.unsubscribe, s2.unsubscribe);
	assert_int_equal(nl_confirm_check(&keys, s1.confirm, NOW, &expired),
	    VG_ENOTFOUND);
	assert_false(expired);
	/* Expired. */
	assert_int_equal(nl_confirm(&keys, s2.confirm, NOW + NL_CONFIRM_TTL,
	    &expired), VG_ENOTFOUND);
	assert_true(expired);
	assert_int_equal(nl_confirm(&keys, s2.confirm, NOW + 60, &expired),
	    VG_OK);
	/* Single use. */
	assert_int_equal(nl_confirm(&keys, s2.confirm, NOW + 61, &expired),
	    VG_ENOTFOUND);
	assert_false(expired);
	assert_int_equal(nl_confirm(&keys, "court", NOW, &expired),
	    VG_ENOTFOUND);
	/* Confirmed: a duplicate changes nothing. */
	assert_int_equal(nl_subscribe(&keys, "LEA@exemple.fr", NULL, NOW, &s3),
	    VG_OK);
	assert_int_equal(s3.outcome, NL_SUB_ALREADY);
	assert_string_equal(s3.confirm, "");
	assert_int_equal(count("SELECT count(*) FROM newsletter_subscribers "
	    "WHERE status = 'confirmed'"), 1);
	/* Unsubscribing erases. */
	assert_int_equal(nl_unsubscribe_check(&keys, s3.unsubscribe), VG_OK);
	assert_int_equal(nl_unsubscribe(&keys, s3.unsubscribe), VG_OK);
	assert_int_equal(nl_unsubscribe(&keys, s3.unsubscribe), VG_ENOTFOUND);
	assert_int_equal(count("SELECT count(*) FROM newsletter_subscribers"),
	    0);
	/* Pending requests are erased NL_PENDING_KEEP after expiring. */
	{
		int n;

		assert_int_equal(nl_subscribe(&keys, "oubli@exemple.fr", NULL,
		    NOW, &s1), VG_OK);
		assert_int_equal(nl_purge_pending(NOW + NL_CONFIRM_TTL, &n),
		    VG_OK);
		assert_int_equal(n, 0);
		assert_int_equal(nl_purge_pending(NOW + NL_CONFIRM_TTL +
		    NL_PENDING_KEEP + 1, &n), VG_OK);
		assert_int_equal(n, 1);
	}
}

/* --- sending ----------------------------------------------------------------------- */

static void
confirmed(const char *email)
{
	struct nl_subscription s;
	bool expired;

	assert_int_equal(nl_subscribe(&keys, email, NULL, NOW, &s), VG_OK);
	assert_int_equal(nl_confirm(&keys, s.confirm, NOW, &expired), VG_OK);
}

static bool
never(void)
{
	return false;
}

static void
test_send_start_and_lease(void **state)
{
	vg_config c;
	struct nl_sender snd;
	json_t *data;
	int64_t issue, block;
	int n;
	bool done, busy;
	int64_t wait;

	(void)state;
	confirmed("un@exemple.fr");
	confirmed("deux@exemple.fr");
	confirmed("trois@exemple.fr");
	assert_int_equal(nl_issue_create("Lettre", "Automne 2026", 0, NOW,
	    &issue), VG_OK);
	/* Empty: refused. */
	assert_int_equal(nl_send_start(&keys, issue, NOW, &n), VG_EINVAL);
	data = json_pack("{s:s}", "markdown", "Bonjour");
	assert_int_equal(nl_block_add(issue, "text", data, NOW, &block), VG_OK);
	json_decref(data);
	assert_int_equal(nl_send_start(&keys, issue, NOW, &n), VG_OK);
	assert_int_equal(n, 3);
	assert_int_equal(nl_send_start(&keys, issue, NOW, &n), VG_ECONFLICT);
	data = json_pack("{s:s}", "markdown", "Trop tard");
	assert_int_equal(nl_block_add(issue, "text", data, NOW, &block),
	    VG_ECONFLICT);
	json_decref(data);
	assert_int_equal(count("SELECT number FROM newsletter_issues"), 1);
	assert_int_equal(count("SELECT count(*) FROM newsletter_issues WHERE "
	    "content LIKE '%Bonjour%'"), 1);

	/* A crash left one row "sending" under a lease still alive. */
	exec("UPDATE newsletter_deliveries SET status = 'sending' WHERE id = "
	    "(SELECT min(id) FROM newsletter_deliveries)");
	exec("INSERT INTO newsletter_sender (id, owner, expires_at) VALUES "
	    "(1, 'mort', 4000000000)");
	vg_config_defaults(&c);
	snprintf(c.smtp_url, sizeof(c.smtp_url), "smtp://127.0.0.1:9");
	snprintf(c.notifier_email, sizeof(c.notifier_email), "l@obs.fr");
	nl_sender_init(&snd, &c, &keys, templates, never);
	assert_int_equal(nl_send_some(&snd, 5, &done, &busy, &wait), VG_OK);
	assert_true(busy);
	assert_false(done);
	assert_int_equal(count("SELECT count(*) FROM newsletter_deliveries "
	    "WHERE status = 'sending'"), 1);
	/* The lease expired: the row is uncertain, the others are tried;
	 * the SMTP server is unreachable, which blames no address. */
	exec("UPDATE newsletter_sender SET expires_at = 0");
	assert_int_equal(nl_send_some(&snd, 5, &done, &busy, &wait), VG_OK);
	assert_false(busy);
	assert_true(snd.server_error);
	assert_int_equal(count("SELECT count(*) FROM newsletter_deliveries "
	    "WHERE status = 'uncertain'"), 1);
	assert_int_equal(count("SELECT count(*) FROM newsletter_deliveries "
	    "WHERE status = 'pending' AND attempts = 0"), 2);
	assert_int_equal(count("SELECT count(*) FROM newsletter_sender"), 0);
	/* Everything done but the uncertain row: the issue is sent. */
	exec("UPDATE newsletter_deliveries SET status = 'sent' WHERE status = "
	    "'pending'");
	assert_int_equal(nl_send_some(&snd, 5, &done, &busy, &wait), VG_OK);
	assert_int_equal(count("SELECT count(*) FROM newsletter_issues WHERE "
	    "status = 'sent' AND sent_at IS NOT NULL"), 1);
	assert_int_equal(nl_send_some(&snd, 5, &done, &busy, &wait), VG_OK);
	assert_true(done);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mail_format),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_subscribe_confirm),
		cmocka_unit_test(test_send_start_and_lease),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
