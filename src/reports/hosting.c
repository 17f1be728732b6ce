/*
 * hosting.c — where a reported URL is hosted, and whether it is still
 * online.
 *
 * The URLs come from anonymous visitors, so a check must never become a
 * way to reach the server's own network: the host is resolved first, a
 * private, loopback or link-local address is refused, and libcurl is
 * pinned to the address that was checked (no second lookup, no redirect).
 * Only the status is kept; the body is never read into anything.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/netaddr.h"
#include "core/when.h"
#include "db/db.h"
#include "reports/hosting.h"
#include "reports/reports_int.h"

#define MAX_ADDRS 8

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* The port of an http(s) URL: explicit, or the scheme's. */
static int
url_port(const char *url)
{
	const char *p = strstr(url, "://"), *end, *colon;

	p = p ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	colon = NULL;
	for (const char *q = p; q < end; q++)
		if (*q == ':' && (q == p || q[-1] != ']'))
			colon = q;
		else if (*q == ']')
			colon = NULL;
	if (colon != NULL && colon + 1 < end)
		return atoi(colon + 1);
	return strncasecmp(url, "https", 5) == 0 ? 443 : 80;
}

/* Check one URL; fills addresses (space-separated), *status (0: none) and
 * err (may stay ""). */
static void
check_one(const vg_config *c, const char *url, const char *host,
    vg_buf *addresses, long *status, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char text[INET6_ADDRSTRLEN], pin[512], bare[256];
	const char *chosen = NULL;
	struct curl_slist *resolve = NULL;
	CURL *curl;
	CURLcode cc;
	int n = 0;
	bool refused = false;

	*status = 0;
	err[0] = '\0';
	snprintf(bare, sizeof(bare), "%s", host);
	if (bare[0] == '[') {           /* an IPv6 literal */
		memmove(bare, bare + 1, strlen(bare));
		bare[strcspn(bare, "]")] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(bare, NULL, &hints, &res) != 0 || res == NULL) {
		snprintf(err, errlen, "%s", _("nom d'hôte introuvable"));
		return;
	}
	for (ai = res; ai != NULL && n < MAX_ADDRS; ai = ai->ai_next, n++) {
		const void *a = ai->ai_family == AF_INET6 ?
		    (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr :
		    (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr;

		if (inet_ntop(ai->ai_family, a, text, sizeof(text)) == NULL)
			continue;
		vg_buf_printf(addresses, "%s%s", addresses->len ? " " : "", text);
		if (vg_addr_private(ai->ai_addr) && !c->url_check_private)
			refused = true;
		else if (chosen == NULL)
			chosen = strstr(addresses->data, text);
	}
	if (refused || chosen == NULL) {
		snprintf(err, errlen, "%s", _("adresse privée : vérification "
		    "refusée"));
		freeaddrinfo(res);
		return;
	}
	snprintf(pin, sizeof(pin), strchr(chosen, ':') ? "%s:%d:[%.*s]" :
	    "%s:%d:%.*s", bare, url_port(url), (int)strcspn(chosen, " "),
	    chosen);
	freeaddrinfo(res);
	if ((curl = curl_easy_init()) == NULL ||
	    (resolve = curl_slist_append(NULL, pin)) == NULL) {
		if (curl)
			curl_easy_cleanup(curl);
		snprintf(err, errlen, "out of memory");
		return;
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
	curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "Vigie (verification)");
	cc = curl_easy_perform(curl);
	if (cc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	/* Some servers refuse HEAD: ask again, the body thrown away. */
	if (cc == CURLE_OK && (*status == 405 || *status == 501)) {
		curl_easy_setopt(curl, CURLOPT_NOBODY, 0L);
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)1 << 20);
		cc = curl_easy_perform(curl);
		if (cc == CURLE_OK)
			curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	}
	if (cc != CURLE_OK)
		snprintf(err, errlen, "%s", curl_easy_strerror(cc));
	curl_slist_free_all(resolve);
	curl_easy_cleanup(curl);
}

vg_rc
hosting_check(const vg_config *c, int64_t report_id, int64_t actor,
    json_t **out)
{
	static const char q_urls[] = "SELECT id, url, host FROM report_urls "
	    "WHERE report_id = ? ORDER BY position";
	static const char q_add[] = "INSERT INTO url_checks (report_url_id, "
	    "at, addresses, http_status, error) VALUES (?, ?, ?, ?, ?)";
	struct {
		int64_t id;
		char *url, *host;
	} urls[REPORTS_MAX_URLS];
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	int n = 0, i;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q_urls, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, report_id);
	while (n < REPORTS_MAX_URLS && (rc = vg_stmt_step(st, &row)) == VG_OK &&
	    row) {
		urls[n].id = vg_stmt_int(st, 0);
		urls[n].url = strdup(vg_stmt_text(st, 1));
		urls[n].host = strdup(vg_stmt_text(st, 2));
		n++;
	}
	vg_stmt_done(st);
	if (rc == VG_OK && n == 0)
		rc = VG_ENOTFOUND;
	/* The network first, outside any transaction; then one write. */
	for (i = 0; rc == VG_OK && i < n; i++) {
		vg_buf addrs = VG_BUF_INIT;
		char err[256];
		long status;

		if (urls[i].url == NULL || urls[i].host == NULL) {
			rc = VG_ENOMEM;
			break;
		}
		check_one(c, urls[i].url, urls[i].host, &addrs, &status, err,
		    sizeof(err));
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I, "
		    "s:s?}", "url_id", (json_int_t)urls[i].id, "url",
		    urls[i].url, "addresses", addrs.data ? addrs.data : "",
		    "status", (json_int_t)status, "error", err[0] ? err : NULL));
		vg_buf_free(&addrs);
	}
	if (rc == VG_OK && (rc = vg_db_begin(db)) == VG_OK) {
		size_t k;
		json_t *o;

		json_array_foreach(list, k, o) {
			if ((rc = vg_db_prepare(db, q_add, &st)) != VG_OK)
				break;
			vg_stmt_bind_int(st, 1, json_integer_value(
			    json_object_get(o, "url_id")));
			vg_stmt_bind_int(st, 2, (int64_t)time(NULL));
			vg_stmt_bind_text(st, 3, json_string_value(
			    json_object_get(o, "addresses")));
			if (json_integer_value(json_object_get(o, "status")))
				vg_stmt_bind_int(st, 4, json_integer_value(
				    json_object_get(o, "status")));
			vg_stmt_bind_text(st, 5, json_string_value(
			    json_object_get(o, "error")));
			rc = vg_stmt_exec(st);
			vg_stmt_done(st);
			if (rc != VG_OK)
				break;
		}
		if (rc == VG_OK)
			rc = audit_append(actor, "check", report_id, NULL);
		if (rc == VG_OK)
			rc = vg_db_commit(db);
		if (rc != VG_OK)
			vg_db_rollback(db);
	}
	for (i = 0; i < n; i++) {
		free(urls[i].url);
		free(urls[i].host);
	}
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
hosting_last(int64_t report_id, json_t **out)
{
	static const char q[] =
	    "SELECT u.url, c.addresses, c.http_status, c.error, c.at "
	    "FROM url_checks c JOIN report_urls u ON u.id = c.report_url_id "
	    "WHERE u.report_id = ? AND c.id = (SELECT max(id) FROM url_checks "
	    " WHERE report_url_id = u.id) ORDER BY u.position";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, report_id);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char at[32];

		vg_time_text(vg_stmt_int(st, 4), "%Y-%m-%d %H:%M UTC", at,
		    sizeof(at));
		json_array_append_new(list, json_pack("{s:s, s:s?, s:I, s:s?, "
		    "s:s, s:b}", "url", vg_stmt_text(st, 0), "addresses",
		    vg_stmt_text(st, 1), "status",
		    (json_int_t)vg_stmt_int(st, 2), "error",
		    vg_stmt_text(st, 3), "at", at, "online",
		    vg_stmt_int(st, 2) >= 200 && vg_stmt_int(st, 2) < 400));
	}
	vg_stmt_done(st);
	*out = list;
	return rc;
}
