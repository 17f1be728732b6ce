/*
 * mail.c — the message is built in memory and handed to libcurl's SMTP
 * client, which speaks the protocol (dot-stuffing, TLS, AUTH).
 *
 * A text-only message keeps its text in 8 bits, as people and tests read
 * it; a line too long for SMTP (998 bytes) or a multipart message goes in
 * quoted-printable.  Header values a person wrote (the subject, the
 * sender's name) are always encoded words (RFC 2047), folded, so no byte
 * of theirs can start a header of its own.
 */
#include "core/mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define QP_LINE 76
#define WORD_BYTES 39           /* 52 base64 characters per encoded word:
                                   lines within 78 characters */
#define LONG_LINE 900           /* beyond it, 8 bits is not safe */

struct reader {
	const char *data;
	size_t len, at;
};

static size_t
read_cb(char *out, size_t size, size_t n, void *arg)
{
	struct reader *r = arg;
	size_t room = size * n, left = r->len - r->at;

	if (left > room)
		left = room;
	memcpy(out, r->data + r->at, left);
	r->at += left;
	return left;
}

bool
vg_mail_address_ok(const char *s)
{
	const char *at;
	size_t i;

	if (s == NULL || *s == '\0' || strlen(s) > 254 ||
	    (at = strchr(s, '@')) == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] == 0x7f ||
		    strchr("<>()[]\\,;:\"", s[i]) != NULL)
			return false;
	return true;
}

/* s as encoded words of at most WORD_BYTES bytes each, never cutting a
 * UTF-8 character, folded onto continuation lines. */
static void
put_encoded(vg_buf *b, const char *s)
{
	size_t n = strlen(s), at = 0;
	char word[WORD_BYTES * 2];

	if (n == 0)
		return;
	while (at < n) {
		size_t take = n - at;

		if (take > WORD_BYTES) {
			take = WORD_BYTES;
			/* Back up to the start of a character. */
			while (take > 0 &&
			    ((unsigned char)s[at + take] & 0xc0) == 0x80)
				take--;
			if (take == 0)
				take = WORD_BYTES;
		}
		sodium_bin2base64(word, sizeof(word),
		    (const unsigned char *)s + at, take,
		    sodium_base64_VARIANT_ORIGINAL);
		if (at > 0)
			vg_buf_puts(b, "\r\n ");
		vg_buf_printf(b, "=?UTF-8?B?%s?=", word);
		at += take;
	}
}

static bool
has_long_line(const char *s)
{
	size_t run = 0;

	for (; *s != '\0'; s++) {
		run = *s == '\n' ? 0 : run + 1;
		if (run > LONG_LINE)
			return true;
	}
	return false;
}

/* The text with every line ending in CRLF. */
static void
put_crlf(vg_buf *b, const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == '\n' && (p == s || p[-1] != '\r'))
			vg_buf_putc(b, '\r');
		vg_buf_putc(b, *p);
	}
	if (p == s || p[-1] != '\n')
		vg_buf_puts(b, "\r\n");
}

/* Quoted-printable (RFC 2045 6.7): lines of at most 76 characters with
 * soft breaks; "=", control bytes, bytes over 0x7f and white space
 * before a line's end encoded. */
static void
put_qp(vg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	const char *p;

	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		bool eol = p[1] == '\0' || p[1] == '\n' ||
		    (p[1] == '\r' && p[2] == '\n');
		size_t w;

		if (c == '\r' && p[1] == '\n')
			continue;
		if (c == '\n') {
			vg_buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		w = (c == '=' || c >= 0x7f || (c < ' ' && c != '\t') ||
		    ((c == ' ' || c == '\t') && eol)) ? 3 : 1;
		if (col + w > QP_LINE - 1) {
			vg_buf_puts(b, "=\r\n");
			col = 0;
		}
		if (w == 3) {
			vg_buf_putc(b, '=');
			vg_buf_putc(b, hex[c >> 4]);
			vg_buf_putc(b, hex[c & 15]);
		} else {
			vg_buf_putc(b, (char)c);
		}
		col += w;
	}
	vg_buf_puts(b, "\r\n");
}

static void
put_part(vg_buf *b, const char *type, const char *body, bool qp)
{
	vg_buf_printf(b, "Content-Type: %s; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: %s\r\n\r\n", type,
	    qp ? "quoted-printable" : "8bit");
	if (qp)
		put_qp(b, body);
	else
		put_crlf(b, body);
}

static bool
header_line_ok(const char *h)
{
	const char *colon = strchr(h, ':');

	return colon != NULL && colon > h && colon[1] == ' ' &&
	    strpbrk(h, "\r\n") == NULL && strlen(h) < 900;
}

vg_rc
vg_mail_format(const vg_mail *m, vg_buf *out)
{
	char date[64], id[40], boundary[40];
	unsigned char rnd[16];
	const char *domain;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	if (!vg_mail_address_ok(m->from) || !vg_mail_address_ok(m->to) ||
	    m->subject == NULL || strlen(m->subject) > 600 || m->text == NULL ||
	    (m->from_name != NULL && strlen(m->from_name) > 200))
		return VG_EINVAL;
	for (i = 0; m->headers != NULL && m->headers[i] != NULL; i++)
		if (!header_line_ok(m->headers[i]))
			return VG_EINVAL;
	domain = m->id_domain ? m->id_domain : strchr(m->from, '@') + 1;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(id, sizeof(id), rnd, sizeof(rnd));
	vg_buf_printf(out, "Date: %s\r\nFrom: ", date);
	if (m->from_name != NULL && *m->from_name != '\0') {
		put_encoded(out, m->from_name);
		vg_buf_puts(out, "\r\n ");
	}
	vg_buf_printf(out, "<%s>\r\nTo: <%s>\r\nSubject: ", m->from, m->to);
	put_encoded(out, m->subject);
	vg_buf_printf(out, "\r\nMessage-ID: <%s@%s>\r\nMIME-Version: 1.0\r\n",
	    id, domain);
	for (i = 0; m->headers != NULL && m->headers[i] != NULL; i++)
		vg_buf_printf(out, "%s\r\n", m->headers[i]);
	if (m->html == NULL) {
		put_part(out, "text/plain", m->text, has_long_line(m->text));
		return vg_buf_failed(out) ? VG_ENOMEM : VG_OK;
	}
	randombytes_buf(rnd, sizeof(rnd));
	/* "=_" cannot occur in quoted-printable text. */
	memcpy(boundary, "=_vigie_", 8);
	sodium_bin2hex(boundary + 8, sizeof(boundary) - 8, rnd, 12);
	vg_buf_printf(out, "Content-Type: multipart/alternative;\r\n "
	    "boundary=\"%s\"\r\n\r\n--%s\r\n", boundary, boundary);
	put_part(out, "text/plain", m->text, true);
	vg_buf_printf(out, "--%s\r\n", boundary);
	put_part(out, "text/html", m->html, true);
	vg_buf_printf(out, "--%s--\r\n", boundary);
	return vg_buf_failed(out) ? VG_ENOMEM : VG_OK;
}

void
vg_smtp_from_config(const vg_config *c, vg_smtp *out)
{
	memset(out, 0, sizeof(*out));
	out->url = c->smtp_url;
	out->user = c->smtp_user;
	out->password = c->smtp_password;
	out->ca_file = c->smtp_ca_file[0] ? c->smtp_ca_file : NULL;
	out->starttls = c->smtp_starttls;
	out->timeout = 20;
}

vg_rc
vg_mail_deliver(const vg_smtp *s, const vg_mail *m, int *reply, char *err,
    size_t errlen)
{
	vg_buf msg = VG_BUF_INIT, addr = VG_BUF_INIT;
	struct curl_slist *rcpt = NULL;
	struct reader rd;
	CURL *curl = NULL;
	CURLcode cc;
	long code = 0;
	vg_rc rc;

	if (reply != NULL)
		*reply = 0;
	if ((rc = vg_mail_format(m, &msg)) != VG_OK) {
		snprintf(err, errlen, "invalid address or header");
		goto out;
	}
	rc = VG_ENOMEM;
	vg_buf_printf(&addr, "<%s>", m->to);
	if (vg_buf_failed(&addr) || (curl = curl_easy_init()) == NULL ||
	    (rcpt = curl_slist_append(NULL, addr.data)) == NULL)
		goto out;
	rd.data = msg.data;
	rd.len = msg.len;
	rd.at = 0;
	vg_buf_reset(&addr);
	vg_buf_printf(&addr, "<%s>", m->from);
	if (vg_buf_failed(&addr))
		goto out;
	curl_easy_setopt(curl, CURLOPT_URL, s->url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, addr.data);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(curl, CURLOPT_READDATA, &rd);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, s->timeout > 0 ? s->timeout :
	    20L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (s->starttls)
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (s->ca_file != NULL && *s->ca_file != '\0')
		curl_easy_setopt(curl, CURLOPT_CAINFO, s->ca_file);
	if (s->user != NULL && *s->user != '\0') {
		curl_easy_setopt(curl, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD,
		    s->password ? s->password : "");
	}
	cc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	if (reply != NULL)
		*reply = (int)code;
	if (cc != CURLE_OK) {
		if (code > 0)
			snprintf(err, errlen, "%ld: %s", code,
			    curl_easy_strerror(cc));
		else
			snprintf(err, errlen, "%s", curl_easy_strerror(cc));
		rc = VG_EIO;
		goto out;
	}
	rc = VG_OK;
out:
	curl_slist_free_all(rcpt);
	if (curl != NULL)
		curl_easy_cleanup(curl);
	vg_buf_free(&msg);
	vg_buf_free(&addr);
	return rc;
}

vg_rc
vg_mail_send_config(const vg_config *c, const char *to, const char *subject,
    const char *body, char *err, size_t errlen)
{
	vg_smtp s;
	vg_mail m;

	vg_smtp_from_config(c, &s);
	memset(&m, 0, sizeof(m));
	m.from = c->notifier_email;
	m.from_name = c->notifier_name[0] ? c->notifier_name : NULL;
	m.to = to;
	m.subject = subject;
	m.text = body;
	return vg_mail_deliver(&s, &m, NULL, err, errlen);
}

vg_rc
vg_mail_send(const char *url, const char *from, const char *to,
    const char *subject, const char *body, char *err, size_t errlen)
{
	vg_smtp s;
	vg_mail m;

	memset(&s, 0, sizeof(s));
	s.url = url;
	s.timeout = 20;
	memset(&m, 0, sizeof(m));
	m.from = from;
	m.to = to;
	m.subject = subject;
	m.text = body;
	return vg_mail_deliver(&s, &m, NULL, err, errlen);
}
