/*
 * mail.c — the message is built in memory and handed to libcurl's SMTP
 * client, which speaks the protocol (dot-stuffing, TLS when asked).
 */
#include "core/mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"

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

static int
header_safe(const char *s)
{
	return s != NULL && *s != '\0' && strpbrk(s, "\r\n<>,;\"") == NULL &&
	    strchr(s, '@') != NULL && strlen(s) < 255;
}

vg_rc
vg_mail_send(const char *url, const char *from, const char *to,
    const char *subject, const char *body, char *err, size_t errlen)
{
	vg_buf msg = VG_BUF_INIT, addr = VG_BUF_INIT;
	struct curl_slist *rcpt = NULL;
	struct reader rd;
	char date[64], b64[1024], id[24];
	unsigned char rnd[12];
	time_t now = time(NULL);
	struct tm tm;
	CURL *curl = NULL;
	CURLcode cc;
	const char *p;
	vg_rc rc = VG_EIO;

	if (!header_safe(from) || !header_safe(to) ||
	    strlen(subject) > 600) {
		snprintf(err, errlen, "invalid address or subject");
		return VG_EINVAL;
	}
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(id, sizeof(id), rnd, 11);
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)subject,
	    strlen(subject), sodium_base64_VARIANT_ORIGINAL);
	vg_buf_printf(&msg, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\n"
	    "Subject: =?UTF-8?B?%s?=\r\nMessage-ID: <%s@%s>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n", date, from, to, b64,
	    id, strchr(from, '@') + 1);
	/* Lines end in CRLF on the wire. */
	for (p = body; *p != '\0'; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			vg_buf_putc(&msg, '\r');
		vg_buf_putc(&msg, *p);
	}
	vg_buf_puts(&msg, "\r\n");
	if (vg_buf_failed(&msg)) {
		rc = VG_ENOMEM;
		goto out;
	}
	vg_buf_printf(&addr, "<%s>", to);
	if ((curl = curl_easy_init()) == NULL ||
	    (rcpt = curl_slist_append(NULL, addr.data)) == NULL) {
		rc = VG_ENOMEM;
		goto out;
	}
	rd.data = msg.data;
	rd.len = msg.len;
	rd.at = 0;
	vg_buf_reset(&addr);
	vg_buf_printf(&addr, "<%s>", from);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, addr.data);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(curl, CURLOPT_READDATA, &rd);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if ((cc = curl_easy_perform(curl)) != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_easy_strerror(cc));
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
