/*
 * fetch.c — one GET of a watch source with libcurl.
 *
 * Sources are typed by editors, but what they point at is on the open
 * network and can change under us: a feed may never end, trickle, redirect
 * forever, or redirect (or resolve) to the server's own network.  So every
 * fetch is bounded in time (watch_timeout, a connect timeout, a low-speed
 * limit), in decoded size (checked as the bytes arrive, so a compressed
 * bomb stops too), in redirects (5, http and https only), and the address
 * of every connection — the first and each redirect's, whatever DNS said —
 * is checked at the moment the socket is opened: private, loopback and
 * link-local addresses are refused unless url_check_private (tests).
 * No cookie is kept and no proxy from the environment is used (its address
 * would be the one checked).
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/netaddr.h"
#include "watch/watch_int.h"

#define CONNECT_TIMEOUT 10L     /* seconds, at most */
#define LOW_SPEED_BYTES 100L    /* a second, for LOW_SPEED_TIME seconds */
#define LOW_SPEED_TIME 15L

struct fetch {
	const vg_config *c;
	vg_buf body;
	bool too_big;
	bool refused;           /* a private address was refused */
	char *etag, *last_modified;
};

/* Every connection, redirects included, passes here with the address
 * libcurl is about to reach. */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct fetch *f = arg;

	if (purpose != CURLSOCKTYPE_IPCXN)
		return CURL_SOCKET_BAD;
	if (!f->c->url_check_private && vg_addr_private(&addr->addr)) {
		f->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

/* The decoded bytes: stop the transfer once over the cap. */
static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;

	n *= size;
	if (f->body.len + n > WATCH_FEED_MAX_BYTES) {
		f->too_big = true;
		return 0;
	}
	vg_buf_append(&f->body, p, n);
	return vg_buf_failed(&f->body) ? 0 : n;
}

/* A header's value (trimmed) when line is "name: value", else NULL. */
static char *
header_value(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return NULL;
	line += k + 1;
	n -= k + 1;
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n' ||
	    line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	/* A validator is sent back as is: keep it short and printable. */
	if (n == 0 || n > 300)
		return NULL;
	for (k = 0; k < n; k++)
		if ((unsigned char)line[k] < 0x20 || line[k] == 0x7f)
			return NULL;
	return strndup(line, n);
}

/* A long transfer stops when the server is asked to stop, rather than
 * hold its shutdown for up to watch_timeout seconds. */
static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	VG_UNUSED(arg);
	VG_UNUSED(dltotal);
	VG_UNUSED(dlnow);
	VG_UNUSED(ultotal);
	VG_UNUSED(ulnow);
	return vg_server_stopping() ? 1 : 0;
}

/* The headers of each answer in turn (a redirect's, then the next):
 * only the last answer's validators are kept. */
static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;
	char *v;

	n *= size;
	if (n >= 5 && !strncmp(p, "HTTP/", 5)) {
		free(f->etag);
		free(f->last_modified);
		f->etag = f->last_modified = NULL;
	} else if ((v = header_value(p, n, "ETag")) != NULL) {
		free(f->etag);
		f->etag = v;
	} else if ((v = header_value(p, n, "Last-Modified")) != NULL) {
		free(f->last_modified);
		f->last_modified = v;
	}
	return n;
}

/* The French line of a failed transfer. */
static void
transfer_error(const struct fetch *f, CURLcode cc, int timeout, char *err,
    size_t errlen)
{
	if (f->refused) {
		snprintf(err, errlen, "%s", _("l'adresse de la source mène "
		    "à un "
		    "réseau privé ou local : elle est refusée"));
		return;
	}
	if (f->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, _("le document dépasse la taille "
		    "acceptée (%u Mo) : la lecture a été arrêtée"),
		    WATCH_FEED_MAX_BYTES >> 20);
		return;
	}
	switch (cc) {
	case CURLE_ABORTED_BY_CALLBACK:
		snprintf(err, errlen, "%s", _("relevé interrompu : le serveur "
		    "s'arrête"));
		break;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(err, errlen, _("la source répond trop lentement ou "
		    "pas du tout (délai de %d s dépassé)"), timeout);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(err, errlen, _("trop de redirections (plus de %d)"),
		    WATCH_REDIRS_MAX);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(err, errlen, "%s", _("une redirection mène à une "
		    "adresse qui n'est ni http ni https"));
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(err, errlen, "%s", _("nom de domaine introuvable"));
		break;
	case CURLE_COULDNT_CONNECT:
		snprintf(err, errlen, "%s", _("connexion impossible au serveur "
		    "de la source"));
		break;
	case CURLE_URL_MALFORMAT:
		snprintf(err, errlen, "%s", _("l'adresse de la source "
		    "n'est pas "
		    "valide"));
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(err, errlen, "%s", _("la connexion sécurisée (TLS) a "
		    "échoué : certificat refusé ou invalide"));
		break;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		snprintf(err, errlen, "%s", _("la connexion a été coupée avant "
		    "la fin du document"));
		break;
	case CURLE_BAD_CONTENT_ENCODING:
		snprintf(err, errlen, "%s", _("le document compressé est "
		    "illisible"));
		break;
	default:
		snprintf(err, errlen, _("la source est injoignable (erreur "
		    "réseau n° %d)"), (int)cc);
		break;
	}
}

static void
set_options(CURL *curl, struct fetch *f, struct curl_slist *headers)
{
	long timeout = f->c->watch_timeout > 0 ? f->c->watch_timeout : 30;

	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROXY, "");
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, (long)WATCH_REDIRS_MAX);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout <
	    CONNECT_TIMEOUT ? timeout : CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BYTES);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, timeout <
	    LOW_SPEED_TIME ? timeout : LOW_SPEED_TIME);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)WATCH_FEED_MAX_BYTES);
	/* "": every encoding this libcurl decodes; on_body sees them
	 * decoded, so the cap is on what is parsed. */
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_USERAGENT,
	    "Vigie (veille de l'observatoire)");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, f);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, f);
}

vg_rc
watch_http_get(const vg_config *c, const char *url, const char *etag,
    const char *last_modified, struct watch_http *out, char *err,
    size_t errlen)
{
	struct curl_slist *headers = NULL, *h;
	struct fetch f;
	char line[400];
	CURLcode cc;
	CURL *curl;
	vg_rc rc = VG_EIO;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	f.c = c;
	err[0] = '\0';
	headers = curl_slist_append(NULL, "Accept: application/rss+xml, "
	    "application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
	    "text/html;q=0.8, */*;q=0.5");
	if (headers != NULL && etag != NULL && *etag != '\0') {
		snprintf(line, sizeof(line), "If-None-Match: %s", etag);
		if ((h = curl_slist_append(headers, line)) != NULL)
			headers = h;
	}
	if (headers != NULL && last_modified != NULL && *last_modified) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s",
		    last_modified);
		if ((h = curl_slist_append(headers, line)) != NULL)
			headers = h;
	}
	if (headers == NULL || (curl = curl_easy_init()) == NULL) {
		curl_slist_free_all(headers);
		snprintf(err, errlen, "%s", _("mémoire insuffisante"));
		return VG_ENOMEM;
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	set_options(curl, &f, headers);
	cc = curl_easy_perform(curl);
	if (cc == CURLE_OK && !vg_buf_failed(&f.body)) {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
		out->len = f.body.len;
		out->body = vg_buf_detach(&f.body, NULL);
		if (out->body == NULL)
			out->body = strdup("");
		out->etag = f.etag;
		out->last_modified = f.last_modified;
		f.etag = f.last_modified = NULL;
		rc = out->body != NULL ? VG_OK : VG_ENOMEM;
	} else {
		transfer_error(&f, cc, (int)(c->watch_timeout > 0 ?
		    c->watch_timeout : 30), err, errlen);
	}
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	vg_buf_free(&f.body);
	free(f.etag);
	free(f.last_modified);
	return rc;
}

void
watch_http_free(struct watch_http *h)
{
	free(h->body);
	free(h->etag);
	free(h->last_modified);
	memset(h, 0, sizeof(*h));
}
